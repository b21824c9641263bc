//! Seeding that needs more than records: the facts of catalogue that curriculum keeps
//! (read through catalogue's API, so that seeding does not wait for events), the demo
//! curricula, and the demo student body with its teachers and grades.

use edu24_catalogue::CatalogueApi;
use edu24_curriculum::CurriculumService;

/// What curriculum keeps of catalogue, read through catalogue's API: for seeding the
/// demo curricula without waiting for catalogue's events.
pub async fn catalogue_refs(
    catalogue: &dyn CatalogueApi,
) -> anyhow::Result<(
    Vec<edu24_curriculum::domain::InstitutionRef>,
    Vec<edu24_curriculum::domain::SpecialtyRef>,
    Vec<edu24_curriculum::domain::ProgrammeRef>,
)> {
    use edu24_curriculum::domain::{InstitutionRef, ProgrammeRef, SpecialtyRef};
    let c = edu24_shared::auth::CallCtx::anonymous();
    let framework = catalogue.framework(&c).await.map_err(|e| anyhow::anyhow!(e.message))?;
    let specialties = framework
        .specialties
        .iter()
        .map(|s| SpecialtyRef { code: s.code.clone(), level: s.level, name: s.name.clone(), version: s.version })
        .collect();
    let mut institutions = Vec::new();
    let mut programmes = Vec::new();
    let mut page = 1;
    loop {
        let q = edu24_catalogue::domain::InstitutionQuery {
            page,
            per_page: edu24_catalogue::domain::MAX_PER_PAGE,
            sort_language: "en".into(),
            ..Default::default()
        };
        let found = catalogue.institution_search(&c, &q).await.map_err(|e| anyhow::anyhow!(e.message))?;
        for summary in &found.items {
            let i = catalogue.institution_get(&c, &summary.code).await.map_err(|e| anyhow::anyhow!(e.message))?;
            institutions.push(InstitutionRef {
                id: i.summary.id.clone(),
                code: i.summary.code.clone(),
                name: i.summary.name.clone(),
                version: i.summary.version,
            });
            for p in &i.programmes {
                programmes.push(ProgrammeRef {
                    id: p.id.clone(),
                    institution_id: p.institution_id.clone(),
                    specialty_code: p.specialty_code.clone(),
                    level: p.level,
                    form: p.form.as_str().to_owned(),
                    language: p.language.clone(),
                    duration_months: p.duration_months,
                    credits: p.credits,
                    version: p.version,
                });
            }
        }
        if u64::from(page) * u64::from(edu24_catalogue::domain::MAX_PER_PAGE) >= found.total {
            break;
        }
        page += 1;
    }
    Ok((institutions, specialties, programmes))
}

/// Seeds the demo curricula from what catalogue holds; whether it seeded.
pub async fn curriculum_demo_seed(
    curriculum: &CurriculumService,
    catalogue: &dyn CatalogueApi,
) -> anyhow::Result<bool> {
    if edu24_curriculum::app::status_counts(curriculum.db()).await?.values().sum::<i64>() > 0 {
        return Ok(false);
    }
    let (institutions, specialties, programmes) = catalogue_refs(catalogue).await?;
    Ok(edu24_curriculum::seed::demo_seed(curriculum, &institutions, &specialties, &programmes).await?.is_some())
}

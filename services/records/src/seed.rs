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

/// The demo student body: KNU's law and philology (Kyrgyz) and part-time applied
/// informatics, OshSU's economics and applied informatics; four intakes each, with their
/// teachers and closed sheets, and the demo accounts `knu.teacher`, `knu.student` and
/// `knu.graduate` linked to a teacher of law, a second-year law student and an excellent
/// student of the graduating law class (whose diplomas the registrar issues). Whether it
/// seeded.
#[allow(clippy::too_many_arguments)]
pub async fn records_demo_seed(
    db: &edu24_shared::db::Db,
    seal: &crate::gradelog::GradeSeal,
    catalogue: &dyn CatalogueApi,
    curriculum: &dyn edu24_curriculum::CurriculumApi,
    system: &edu24_shared::auth::CallCtx,
    teacher_account: Option<String>,
    student_account: Option<String>,
    graduate_account: Option<String>,
    as_of: time::Date,
) -> anyhow::Result<Option<crate::generate::Generated>> {
    use crate::generate::{Named, Plan, generate};
    use edu24_shared::names::stable_id;
    let any: i64 = sqlx::Row::get(&sqlx::query("SELECT COUNT(*) FROM person").fetch_one(db.pool()).await?, 0);
    if any > 0 {
        return Ok(None);
    }
    let p = |key: &str| stable_id("programme", key);
    let mut named = Vec::new();
    if let Some(a) = teacher_account {
        named.push(Named {
            family: "Касымов".into(),
            given: "Эрлан".into(),
            patronymic: "Бекович".into(),
            birth: "1978-07-02".into(),
            sex: crate::domain::Sex::Male,
            account_id: a,
            institution: "knu".into(),
            programme_id: String::new(),
            intake: 0,
            ability: None,
        });
    }
    if let Some(a) = student_account {
        named.push(Named {
            family: "Токтосунова".into(),
            given: "Айпери".into(),
            patronymic: "Бакытовна".into(),
            birth: "2006-03-15".into(),
            sex: crate::domain::Sex::Female,
            account_id: a,
            institution: "knu".into(),
            programme_id: p("knu:530500:bachelor:full_time:ky"),
            intake: 2025,
            ability: None,
        });
    }
    if let Some(a) = graduate_account {
        named.push(Named {
            family: "Абдыкадыров".into(),
            given: "Бекзат".into(),
            patronymic: "Талантбекович".into(),
            birth: "2004-05-21".into(),
            sex: crate::domain::Sex::Male,
            account_id: a,
            institution: "knu".into(),
            programme_id: p("knu:530500:bachelor:full_time:ky"),
            intake: edu24_curriculum::seed::GRADUATING_INTAKE,
            ability: Some(105.0),
        });
    }
    let plan = Plan {
        label: "demo".into(),
        seed: 2026,
        as_of,
        intakes: vec![edu24_curriculum::seed::GRADUATING_INTAKE, 2023, 2024, 2025, 2026],
        institutions: vec![
            (
                "knu".into(),
                vec![
                    p("knu:530500:bachelor:full_time:ky"),
                    p("knu:531000:bachelor:full_time:ky"),
                    p("knu:710300:bachelor:part_time:ky"),
                ],
            ),
            ("oshsu".into(), vec![p("oshsu:580100:bachelor:full_time:ky"), p("oshsu:710300:bachelor:full_time:ky")]),
        ],
        cohort_full_time: 22,
        cohort_part_time: 14,
        group_size: 25,
        named,
        demo_sheets: true,
        grant_factor: 1.0,
        make_up_full_time: false,
        awaiting_diplomas: vec![edu24_curriculum::seed::GRADUATING_INTAKE],
    };
    Ok(Some(generate(db, seal, catalogue, curriculum, system, &plan).await?))
}

/// What `edu24 seed --scale national` wrote, and how long each part took.
#[derive(Debug, Clone, Default)]
pub struct NationalReport {
    pub institutions: usize,
    pub programmes: usize,
    pub licences: usize,
    pub curricula: usize,
    pub generated: crate::generate::Generated,
    pub catalogue_s: f64,
    pub curriculum_s: f64,
    pub records_s: f64,
}

/// The national intakes: 2022 (graduated in June 2026) to 2026.
pub const NATIONAL_INTAKES: [i32; 5] = [2022, 2023, 2024, 2025, 2026];
pub const NATIONAL_STUDENTS: u64 = 230_000;
pub const NATIONAL_PART_TIME: f64 = 0.37;
pub const NATIONAL_CONTRACT: f64 = 0.88;

/// A realistic country on top of the demo: 88 institutions (the real ones of the demo
/// and synthetic ones), 3,000 programmes and 4,000 licences in catalogue, an approved
/// curriculum for every programme and intake, and about 230,000 students with their
/// histories, teachers, assignments and some ten million grades in records.
/// Deterministic for `seed` and `as_of`. Needs the demo data first.
pub async fn national_seed(
    catalogue: &edu24_catalogue::CatalogueService,
    curriculum: &CurriculumService,
    records_db: &edu24_shared::db::Db,
    seal: &crate::gradelog::GradeSeal,
    system: &edu24_shared::auth::CallCtx,
    seed: u64,
    as_of: time::Date,
) -> anyhow::Result<NationalReport> {
    use edu24_curriculum::CurriculumApi;
    let mut report = NationalReport::default();
    let t = std::time::Instant::now();
    let scale = edu24_catalogue::seed::NationalScale { institutions: 88, programmes: 3000, licences: 4000 };
    let (i, p, l) = edu24_catalogue::seed::national_seed(catalogue, scale).await?;
    (report.institutions, report.programmes, report.licences) = (i, p, l);
    report.catalogue_s = t.elapsed().as_secs_f64();

    let t = std::time::Instant::now();
    let (institutions, specialties, programmes) = catalogue_refs(catalogue).await?;
    edu24_curriculum::seed::refs_apply(curriculum, &institutions, &specialties, &[]).await?;
    let anon = edu24_shared::auth::CallCtx::anonymous();
    let (mut planned, mut fresh) = (Vec::new(), Vec::new());
    for pr in &programmes {
        if curriculum.requirements(&anon, &pr.id, 2023, None).await.is_ok() {
            // The demo's own plans of 2022 (its class of 2026) stay as they are.
            if curriculum.requirements(&anon, &pr.id, 2022, None).await.is_err() {
                planned.push(pr.clone());
            }
        } else {
            fresh.push(pr.clone());
        }
    }
    report.curricula = edu24_curriculum::seed::national_seed(curriculum, &fresh, &NATIONAL_INTAKES).await?
        + edu24_curriculum::seed::national_seed(curriculum, &planned, &[2022]).await?;
    report.curriculum_s = t.elapsed().as_secs_f64();

    // Cohort sizes: the students still studying on `as_of` (not yet graduated) come to
    // the national total, with the part-time share as planned. A cohort is counted where
    // its programme has a licence in force.
    let t = std::time::Instant::now();
    let (mut full, mut part) = (0u64, 0u64);
    let anon = edu24_shared::auth::CallCtx::anonymous();
    let day = as_of.to_string();
    for i in &institutions {
        let Ok(inst) = edu24_catalogue::CatalogueApi::institution_get(catalogue, &anon, &i.code).await else {
            continue;
        };
        for p in &inst.programmes {
            let licensed = inst.licences.iter().any(|l| {
                l.specialty_code == p.specialty_code && l.level == p.level && l.form == p.form && l.in_force_on(&day)
            });
            if !licensed {
                continue;
            }
            let current = NATIONAL_INTAKES.iter().filter(|&&y| crate::generate::graduation_day(p, y) >= as_of).count();
            if p.form.as_str() == "full_time" {
                full += current as u64;
            } else {
                part += current as u64;
            }
        }
    }
    let target = NATIONAL_STUDENTS as f64;
    let cohort_full_time = (target * (1.0 - NATIONAL_PART_TIME) / full.max(1) as f64).round() as u32;
    let cohort_part_time = (target * NATIONAL_PART_TIME / part.max(1) as f64).round() as u32;
    let codes: Vec<String> = institutions.iter().map(|i| i.code.clone()).collect();
    let plan = crate::generate::Plan {
        label: "national".into(),
        seed,
        as_of,
        intakes: NATIONAL_INTAKES.to_vec(),
        institutions: codes.into_iter().map(|c| (c, Vec::new())).collect(),
        cohort_full_time: cohort_full_time.max(1),
        cohort_part_time: cohort_part_time.max(1),
        group_size: 25,
        named: Vec::new(),
        demo_sheets: false,
        grant_factor: 5.0,
        make_up_full_time: true,
        awaiting_diplomas: Vec::new(),
    };
    report.generated = crate::generate::generate(records_db, seal, catalogue, curriculum, system, &plan).await?;
    report.records_s = t.elapsed().as_secs_f64();
    Ok(report)
}

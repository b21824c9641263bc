//! Reference data (the classifier, always present) and the demo data set (real
//! institutions from `shared/data`, illustrative programmes and licences; see
//! `seed/README.md`). Ids of seeded records are UUIDv5 of their natural keys, so every
//! installation names the same institution the same way.

use edu24_shared::db::Db;
use edu24_shared::time::now_ms;
use serde::Deserialize;

use crate::CatalogueService;
use crate::domain::*;
use crate::store;

const SPECIALTIES: &str = include_str!("../seed/specialties.csv");
const INSTITUTIONS: &str = include_str!("../seed/institutions.csv");
const PROGRAMMES: &str = include_str!("../seed/programmes.csv");
const LICENCES: &str = include_str!("../seed/licences.csv");
const ACCREDITATIONS: &str = include_str!("../seed/accreditations.csv");

/// The classifier of directions and specialties follows Government Resolution No. 496
/// of 23 August 2011 (shared/data/SOURCES.md): seeded entries are valid from then.
pub const CLASSIFIER_SINCE: &str = "2011-08-23";

/// The actor recorded for seeded changes.
pub const SEED_ACTOR: &str = "system:seed";

pub use edu24_shared::names::stable_id;

/// The id of a seeded institution (identity's demo accounts are scoped by it).
pub fn institution_id(code: &str) -> String {
    stable_id("institution", code)
}

/// Part-time admission is suspended for these directions in 2025/26 (DOMAIN.md).
const BARRED_PART_TIME: &[&str] = &["530500", "580100", "580200"];

#[derive(Deserialize)]
struct SpecialtyRow {
    code: String,
    level: String,
    name_ru: String,
    name_ky: String,
    name_en: String,
    isced_f_broad: String,
    verified: String,
}

fn parse_csv<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> anyhow::Result<Vec<T>> {
    let mut rows = Vec::new();
    for (i, r) in csv::Reader::from_reader(text.as_bytes()).deserialize().enumerate() {
        rows.push(r.map_err(|e| anyhow::anyhow!("{name} row {}: {e}", i + 2))?);
    }
    Ok(rows)
}

/// Loads the classifier when the database has none (first start, any installation).
pub async fn reference_ensure(db: &Db) -> anyhow::Result<()> {
    let have: i64 = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM specialty").fetch_one(db.pool()).await?;
    if have > 0 {
        return Ok(());
    }
    let rows: Vec<SpecialtyRow> = parse_csv("specialties.csv", SPECIALTIES)?;
    let mut tx = db.begin_write().await?;
    let now = now_ms();
    for r in rows {
        let level =
            Level::parse(&r.level).ok_or_else(|| anyhow::anyhow!("specialty {}: unknown level {}", r.code, r.level))?;
        let barred_forms = if BARRED_PART_TIME.contains(&r.code.as_str()) { vec![StudyForm::PartTime] } else { vec![] };
        let s = SpecialtyInput {
            code: r.code,
            level,
            name: Localized { ky: r.name_ky, ru: r.name_ru, en: r.name_en },
            isced_f_broad: r.isced_f_broad,
            verified: r.verified == "yes",
            barred_forms,
            valid_from: CLASSIFIER_SINCE.into(),
            valid_to: None,
        };
        store::specialty_upsert(&mut tx, &s, SEED_ACTOR, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Publishes, once per database, the facts that were written without an event: the
/// classifier loaded by [`reference_ensure`], and programmes seeded before programme
/// events existed. Consumers that came later (curriculum) build their read models from
/// them; a consumer that had them already changes nothing (versions).
pub async fn events_backfill(db: &Db) -> anyhow::Result<()> {
    const NAME: &str = "specialties-programmes-v1";
    let done: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM event_backfill WHERE name = $1")
        .bind(NAME)
        .fetch_one(db.pool())
        .await?;
    if done > 0 {
        return Ok(());
    }
    let framework = store::framework_load(db).await?;
    let institutions = store::institutions_load(db, &framework).await?;
    let mut tx = db.begin_write().await?;
    for sp in &framework.specialties {
        edu24_shared::outbox::outbox_add(
            &mut tx,
            crate::events::SPECIALTY_CHANGED,
            &crate::events::specialty_changed(sp),
            SEED_ACTOR,
        )
        .await?;
    }
    for i in &institutions {
        for p in &i.programmes {
            edu24_shared::outbox::outbox_add(
                &mut tx,
                crate::events::PROGRAMME_CHANGED,
                &crate::events::programme_changed(p),
                SEED_ACTOR,
            )
            .await?;
        }
    }
    sqlx::query("INSERT INTO event_backfill (name, done_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
        .bind(NAME)
        .bind(now_ms())
        .execute(tx.conn())
        .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Deserialize)]
struct InstitutionRow {
    code: String,
    name_ky: String,
    name_ru: String,
    name_en: String,
    region: String,
    city_ky: String,
    city_ru: String,
    city_en: String,
    ownership: String,
    status: String,
    founded: Option<i32>,
    website: String,
    special_status: String,
}

#[derive(Deserialize)]
struct ProgrammeRow {
    institution_code: String,
    specialty_code: String,
    level: String,
    form: String,
    language: String,
    duration_months: i32,
    credits: i32,
    fee_citizen: Option<i64>,
    fee_foreign: Option<i64>,
    grant_places: i32,
    contract_places: i32,
    admission_year: i32,
    passing_score: Option<i32>,
    passing_score_year: Option<i32>,
    graduates: Option<i32>,
    graduates_employed: Option<i32>,
    outcomes_year: Option<i32>,
}

#[derive(Deserialize)]
struct AccreditationRow {
    institution_code: String,
    /// Empty for institutional accreditation; else `specialty:level:form:language`.
    programme_key: String,
    agency: String,
    result: String,
    valid_from: String,
    valid_to: String,
    document_no: String,
}

#[derive(Deserialize)]
struct LicenceRow {
    institution_code: String,
    specialty_code: String,
    level: String,
    form: String,
    contingent: i32,
    valid_from: String,
    valid_to: String,
    document_no: String,
    status: String,
    /// Illustrative count of enrolled students until records publishes real ones.
    demo_enrolled: i64,
    reason: String,
}

fn parse_enum<T>(what: &str, v: &str, f: impl Fn(&str) -> Option<T>) -> anyhow::Result<T> {
    f(v).ok_or_else(|| anyhow::anyhow!("unknown {what} {v:?} in demo data"))
}

/// Seeds the demo data set, in one transaction, when the catalogue has no institution
/// yet. Returns whether it seeded. Every change goes through the outbox like any other,
/// so other services learn about the demo institutions through events.
pub async fn demo_seed(svc: &CatalogueService) -> anyhow::Result<bool> {
    let db = svc.db();
    if store::institution_count(db).await? > 0 {
        return Ok(false);
    }
    let framework = store::framework_load(db).await?;
    let this_year = time::OffsetDateTime::now_utc().year();
    let institutions: Vec<InstitutionRow> = parse_csv("institutions.csv", INSTITUTIONS)?;
    let programmes: Vec<ProgrammeRow> = parse_csv("programmes.csv", PROGRAMMES)?;
    let licences: Vec<LicenceRow> = parse_csv("licences.csv", LICENCES)?;

    let mut tx = db.begin_write().await?;
    for r in &institutions {
        let input = InstitutionInput {
            code: r.code.clone(),
            name: Localized { ky: r.name_ky.clone(), ru: r.name_ru.clone(), en: r.name_en.clone() },
            region: r.region.clone(),
            city: Localized { ky: r.city_ky.clone(), ru: r.city_ru.clone(), en: r.city_en.clone() },
            ownership: if r.ownership.is_empty() {
                Ownership::Unknown
            } else {
                parse_enum("ownership", &r.ownership, Ownership::parse)?
            },
            status: parse_enum("status", &r.status, InstitutionStatus::parse)?,
            founded: r.founded,
            website: r.website.clone(),
            special_status: r.special_status == "yes",
        };
        input.validate(&framework, this_year).map_err(|e| anyhow::anyhow!("institution {}: {}", r.code, e.message))?;
        svc.institution_write(SEED_ACTOR, &input, &institution_id(&r.code), &mut tx)
            .await
            .map_err(|e| anyhow::anyhow!("institution {}: {}", r.code, e.message))?;
    }
    let now = now_ms();
    for r in &programmes {
        let level = parse_enum("level", &r.level, Level::parse)?;
        let form = parse_enum("form", &r.form, StudyForm::parse)?;
        let key = format!("{}:{}:{}:{}:{}", r.institution_code, r.specialty_code, r.level, r.form, r.language);
        let specialty = framework
            .specialty(&r.specialty_code, level)
            .ok_or_else(|| anyhow::anyhow!("programme {key}: specialty not in the classifier"))?;
        let p = Programme {
            id: stable_id("programme", &key),
            institution_id: institution_id(&r.institution_code),
            specialty_code: r.specialty_code.clone(),
            level,
            specialty_name: specialty.name.clone(),
            form,
            language: r.language.clone(),
            duration_months: r.duration_months,
            credits: r.credits,
            fee_citizen: r.fee_citizen,
            fee_foreign: r.fee_foreign,
            grant_places: r.grant_places,
            contract_places: r.contract_places,
            admission_year: r.admission_year,
            passing_score: r.passing_score,
            passing_score_year: r.passing_score_year,
            graduates: r.graduates,
            graduates_employed: r.graduates_employed,
            outcomes_year: r.outcomes_year,
            version: 1,
        };
        let p = store::programme_upsert(&mut tx, &p, now, &framework).await?;
        edu24_shared::outbox::outbox_add(
            &mut tx,
            crate::events::PROGRAMME_CHANGED,
            &crate::events::programme_changed(&p),
            SEED_ACTOR,
        )
        .await?;
    }
    for r in &licences {
        let key = format!("{}:{}:{}:{}", r.institution_code, r.specialty_code, r.level, r.form);
        let input = LicenceInput {
            id: None,
            institution_code: r.institution_code.clone(),
            specialty_code: r.specialty_code.clone(),
            level: parse_enum("level", &r.level, Level::parse)?,
            form: parse_enum("form", &r.form, StudyForm::parse)?,
            contingent: r.contingent,
            valid_from: r.valid_from.clone(),
            valid_to: (!r.valid_to.is_empty()).then(|| r.valid_to.clone()),
            document_no: r.document_no.clone(),
            status: parse_enum("licence status", &r.status, LicenceStatus::parse)?,
            reason: r.reason.clone(),
        };
        input.validate(&framework).map_err(|e| anyhow::anyhow!("licence {key}: {}", e.message))?;
        let licence = svc
            .licence_write(SEED_ACTOR, &input, &stable_id("licence", &key), &mut tx)
            .await
            .map_err(|e| anyhow::anyhow!("licence {key}: {}", e.message))?;
        store::demo_enrolled_set(&mut tx, &licence.id, r.demo_enrolled).await?;
    }
    let accreditations: Vec<AccreditationRow> = parse_csv("accreditations.csv", ACCREDITATIONS)?;
    for r in &accreditations {
        let programme_id = (!r.programme_key.is_empty())
            .then(|| stable_id("programme", &format!("{}:{}", r.institution_code, r.programme_key)));
        let input = AccreditationInput {
            id: None,
            institution_code: r.institution_code.clone(),
            programme_id,
            agency: r.agency.clone(),
            result: parse_enum("accreditation result", &r.result, AccreditationResult::parse)?,
            valid_from: r.valid_from.clone(),
            valid_to: (!r.valid_to.is_empty()).then(|| r.valid_to.clone()),
            document_no: r.document_no.clone(),
        };
        input.validate().map_err(|e| anyhow::anyhow!("accreditation {}: {}", r.document_no, e.message))?;
        let id = stable_id("accreditation", &r.document_no);
        let institution = institution_id(&r.institution_code);
        let a = store::accreditation_upsert(&mut tx, &id, &institution, &input, now).await?;
        edu24_shared::outbox::outbox_add(
            &mut tx,
            crate::events::ACCREDITATION_CHANGED,
            &crate::events::accreditation_changed(&a),
            SEED_ACTOR,
        )
        .await?;
    }
    tx.commit().await?;
    svc.relay().wake();
    svc.refresh().await?;
    Ok(true)
}

/// What [`national_seed`] adds.
#[derive(Debug, Clone, Copy)]
pub struct NationalScale {
    pub institutions: usize,
    pub programmes: usize,
    pub licences: usize,
}

impl NationalScale {
    /// The national scale named by issue 4: 90 institutions, 3,000 programmes, 4,000 licences.
    pub const ISSUE_4: NationalScale = NationalScale { institutions: 90, programmes: 3000, licences: 4000 };
}

/// Tops the catalogue up to a national-scale data set for benchmarks: synthetic
/// institutions (codes `syn_NN`, names say "synthetic") with programmes and licences over
/// the classifier, until the totals are reached. Never part of the demo. One transaction,
/// one index rebuild. Returns the totals.
pub async fn national_seed(svc: &CatalogueService, scale: NationalScale) -> anyhow::Result<(usize, usize, usize)> {
    let db = svc.db();
    let framework = store::framework_load(db).await?;
    let regions: Vec<String> = framework.regions.iter().map(|r| r.code.clone()).collect();
    let snap = svc.snapshot();
    let mut codes: Vec<String> = snap.institutions().map(|i| i.summary.code.clone()).collect();
    let mut programmes: usize = snap.institutions().map(|i| i.programmes.len()).sum();
    let mut licences: usize = snap.institutions().map(|i| i.licences.len()).sum();
    let mut tx = db.begin_write().await?;
    let now = now_ms();
    let mut n = 0;
    while codes.len() < scale.institutions {
        n += 1;
        let code = format!("syn_{n:02}");
        if codes.contains(&code) {
            continue;
        }
        let input = InstitutionInput {
            code: code.clone(),
            name: Localized {
                ky: format!("Синтетикалык университет № {n}"),
                ru: format!("Синтетический университет № {n}"),
                en: format!("Synthetic University No. {n}"),
            },
            region: regions[n % regions.len()].clone(),
            city: Localized::new("Бишкек", "Бишкек", "Bishkek"),
            ownership: if n % 3 == 0 { Ownership::State } else { Ownership::Private },
            status: InstitutionStatus::Active,
            founded: Some(1990 + (n as i32 % 30)),
            website: format!("syn{n}.example.kg"),
            special_status: false,
        };
        svc.institution_write(SEED_ACTOR, &input, &institution_id(&code), &mut tx)
            .await
            .map_err(|e| anyhow::anyhow!("{code}: {}", e.message))?;
        codes.push(code);
    }
    let synthetic: Vec<String> = codes.iter().filter(|c| c.starts_with("syn_")).cloned().collect();
    anyhow::ensure!(!synthetic.is_empty() || (programmes >= scale.programmes && licences >= scale.licences), "no room");
    // Every (specialty, level, form, language) a synthetic institution may teach.
    let mut combos = Vec::new();
    for s in &framework.specialties {
        for f in StudyForm::ALL {
            if s.barred_forms.contains(f) {
                continue;
            }
            for lang in ["ky", "ru", "en"] {
                combos.push((s.code.clone(), s.level, *f, lang));
            }
        }
    }
    let mut licensed = std::collections::HashSet::new();
    let mut i = 0usize;
    while programmes < scale.programmes && i < synthetic.len() * combos.len() {
        let code = &synthetic[i % synthetic.len()];
        let (spec, level, form, lang) = &combos[(i / synthetic.len() * 7 + i) % combos.len()];
        i += 1;
        let key = format!("{code}:{spec}:{level}:{form}:{lang}");
        let id = stable_id("programme", &key);
        let h = i as i64;
        let p = Programme {
            id,
            institution_id: institution_id(code),
            specialty_code: spec.clone(),
            level: *level,
            specialty_name: Localized::default(),
            form: *form,
            language: (*lang).into(),
            duration_months: 48,
            credits: 240,
            fee_citizen: Some(30_000 + (h * 7_919) % 90_000 / 1000 * 1000),
            fee_foreign: Some(80_000 + (h * 6_007) % 120_000 / 1000 * 1000),
            grant_places: if h % 3 == 0 { (h % 30) as i32 } else { 0 },
            contract_places: 20 + (h % 60) as i32,
            admission_year: 2026,
            passing_score: (h % 3 == 0).then_some(120 + (h % 100) as i32),
            passing_score_year: (h % 3 == 0).then_some(2025),
            graduates: (h % 2 == 0).then_some((h % 90) as i32),
            graduates_employed: (h % 2 == 0).then_some((h % 90) as i32 / 2),
            outcomes_year: (h % 2 == 0).then_some(2025),
            version: 1,
        };
        if store::programme_get(&mut tx, &p.id, &framework).await?.is_some() {
            continue;
        }
        let p = store::programme_upsert(&mut tx, &p, now, &framework).await?;
        edu24_shared::outbox::outbox_add(
            &mut tx,
            crate::events::PROGRAMME_CHANGED,
            &crate::events::programme_changed(&p),
            SEED_ACTOR,
        )
        .await?;
        programmes += 1;
        let lkey = format!("{code}:{spec}:{level}:{form}");
        if licensed.insert(lkey.clone()) && licences < scale.licences {
            let input = LicenceInput {
                id: None,
                institution_code: code.clone(),
                specialty_code: spec.clone(),
                level: *level,
                form: *form,
                // Full-time licences are the larger ones: the ky/ru/en programmes of
                // a specialty share one, and full-time students are 63% of the country.
                contingent: if form.as_str() == "full_time" {
                    400 + (h % 20) as i32 * 60
                } else {
                    200 + (h % 20) as i32 * 40
                },
                valid_from: "2022-09-01".into(),
                valid_to: (h % 11 == 0).then(|| "2027-01-31".to_owned()),
                document_no: format!("ЛД-SYN-{h:06}"),
                status: LicenceStatus::Active,
                reason: String::new(),
            };
            svc.licence_write(SEED_ACTOR, &input, &stable_id("licence", &lkey), &mut tx)
                .await
                .map_err(|e| anyhow::anyhow!("licence {lkey}: {}", e.message))?;
            // No illustrative count: the national records seed enrols real students
            // on these licences.
            licences += 1;
        }
    }
    // Earlier, expired licences (history) until the licence total is reached.
    let mut j = 0usize;
    while licences < scale.licences && !synthetic.is_empty() {
        let code = &synthetic[j % synthetic.len()];
        let (spec, level, form, _) = &combos[(j * 3) % combos.len()];
        j += 1;
        let input = LicenceInput {
            id: None,
            institution_code: code.clone(),
            specialty_code: spec.clone(),
            level: *level,
            form: *form,
            contingent: 100,
            valid_from: "2012-09-01".into(),
            valid_to: Some("2021-08-31".into()),
            document_no: format!("ЛД-SYN-H{j:06}"),
            status: LicenceStatus::Active,
            reason: String::new(),
        };
        svc.licence_write(SEED_ACTOR, &input, &stable_id("licence", &format!("history:{code}:{j}")), &mut tx)
            .await
            .map_err(|e| anyhow::anyhow!("historic licence {j}: {}", e.message))?;
        licences += 1;
    }
    tx.commit().await?;
    svc.relay().wake();
    svc.refresh().await?;
    Ok((codes.len(), programmes, licences))
}

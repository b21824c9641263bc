//! Catalogue SQL: one portable text per query (SQLite and PostgreSQL).

use std::collections::HashMap;

use edu24_shared::db::{Db, WriteTx, flag};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::domain::*;

fn loc(row: &AnyRow, prefix: &str) -> Result<Localized, sqlx::Error> {
    Ok(Localized {
        ky: row.try_get(format!("{prefix}_ky").as_str())?,
        ru: row.try_get(format!("{prefix}_ru").as_str())?,
        en: row.try_get(format!("{prefix}_en").as_str())?,
    })
}

fn bad(what: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("unknown {what} {value:?} in catalogue database").into())
}

fn level(s: &str) -> Result<Level, sqlx::Error> {
    Level::parse(s).ok_or_else(|| bad("level", s))
}
fn form(s: &str) -> Result<StudyForm, sqlx::Error> {
    StudyForm::parse(s).ok_or_else(|| bad("study form", s))
}

pub async fn framework_load(db: &Db) -> Result<Framework, sqlx::Error> {
    let pool = db.pool();
    let levels =
        sqlx::query("SELECT code, name_ky, name_ru, name_en, nominal_credits, nominal_years FROM level ORDER BY ord")
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| {
                Ok(LevelInfo {
                    code: level(&r.try_get::<String, _>("code")?)?,
                    name: loc(r, "name")?,
                    nominal_credits: r.try_get::<i64, _>("nominal_credits")? as i32,
                    nominal_years: r.try_get::<i64, _>("nominal_years")? as i32,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let forms = sqlx::query("SELECT code, name_ky, name_ru, name_en FROM study_form ORDER BY ord")
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| Ok(FormInfo { code: form(&r.try_get::<String, _>("code")?)?, name: loc(r, "name")? }))
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let regions = sqlx::query("SELECT code, name_ky, name_ru, name_en FROM region ORDER BY ord")
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| Ok(Region { code: r.try_get("code")?, name: loc(r, "name")? }))
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let isced_fields = sqlx::query("SELECT code, name_ky, name_ru, name_en FROM isced_field ORDER BY code")
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| Ok(IscedField { code: r.try_get("code")?, name: loc(r, "name")? }))
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let specialties = sqlx::query(&format!("SELECT {SPECIALTY_COLUMNS} FROM specialty ORDER BY code, level"))
        .fetch_all(pool)
        .await?
        .iter()
        .map(specialty_from)
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Framework { levels, forms, regions, isced_fields, specialties })
}

const SPECIALTY_COLUMNS: &str =
    "code, level, name_ky, name_ru, name_en, isced_f_broad, verified, barred_forms, valid_from, valid_to, version";

fn specialty_from(r: &AnyRow) -> Result<Specialty, sqlx::Error> {
    let barred: String = r.try_get("barred_forms")?;
    Ok(Specialty {
        code: r.try_get("code")?,
        level: level(&r.try_get::<String, _>("level")?)?,
        name: loc(r, "name")?,
        isced_f_broad: r.try_get("isced_f_broad")?,
        verified: r.try_get::<i64, _>("verified")? != 0,
        barred_forms: barred.split(',').filter(|s| !s.is_empty()).map(form).collect::<Result<_, _>>()?,
        valid_from: r.try_get("valid_from")?,
        valid_to: r.try_get("valid_to")?,
        version: r.try_get("version")?,
    })
}

/// The classifier entry as it stands, inside a write.
pub async fn specialty_get(tx: &mut WriteTx, code: &str, lvl: Level) -> Result<Option<Specialty>, sqlx::Error> {
    sqlx::query(&format!("SELECT {SPECIALTY_COLUMNS} FROM specialty WHERE code = $1 AND level = $2"))
        .bind(code)
        .bind(lvl.as_str())
        .fetch_optional(tx.conn())
        .await?
        .map(|r| specialty_from(&r))
        .transpose()
}

/// Writes a classifier entry and records the new state as its next version. Returns
/// `None` when nothing changed (no version is recorded then).
pub async fn specialty_upsert(
    tx: &mut WriteTx,
    s: &SpecialtyInput,
    actor: &str,
    now: i64,
) -> Result<Option<Specialty>, sqlx::Error> {
    let old = specialty_get(tx, &s.code, s.level).await?;
    let mut barred: Vec<StudyForm> = s.barred_forms.clone();
    barred.sort();
    barred.dedup();
    let version = match &old {
        Some(o)
            if o.name == s.name
                && o.isced_f_broad == s.isced_f_broad
                && o.verified == s.verified
                && o.barred_forms == barred
                && o.valid_from == s.valid_from
                && o.valid_to == s.valid_to =>
        {
            return Ok(None);
        }
        Some(o) => o.version + 1,
        None => 1,
    };
    let barred_text: Vec<&str> = barred.iter().map(|f| f.as_str()).collect();
    let barred_text = barred_text.join(",");
    sqlx::query(
        "INSERT INTO specialty (code, level, name_ky, name_ru, name_en, isced_f_broad, verified, barred_forms, \
         updated_at, valid_from, valid_to, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         ON CONFLICT (code, level) DO UPDATE SET name_ky = excluded.name_ky, name_ru = excluded.name_ru, \
         name_en = excluded.name_en, isced_f_broad = excluded.isced_f_broad, verified = excluded.verified, \
         barred_forms = excluded.barred_forms, updated_at = excluded.updated_at, valid_from = excluded.valid_from, \
         valid_to = excluded.valid_to, version = excluded.version",
    )
    .bind(&s.code)
    .bind(s.level.as_str())
    .bind(&s.name.ky)
    .bind(&s.name.ru)
    .bind(&s.name.en)
    .bind(&s.isced_f_broad)
    .bind(flag(s.verified))
    .bind(&barred_text)
    .bind(now)
    .bind(&s.valid_from)
    .bind(s.valid_to.as_deref())
    .bind(version)
    .execute(tx.conn())
    .await?;
    sqlx::query(
        "INSERT INTO specialty_version (code, level, version, name_ky, name_ru, name_en, isced_f_broad, verified, \
         barred_forms, valid_from, valid_to, recorded_at, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(&s.code)
    .bind(s.level.as_str())
    .bind(version)
    .bind(&s.name.ky)
    .bind(&s.name.ru)
    .bind(&s.name.en)
    .bind(&s.isced_f_broad)
    .bind(flag(s.verified))
    .bind(&barred_text)
    .bind(&s.valid_from)
    .bind(s.valid_to.as_deref())
    .bind(now)
    .bind(actor)
    .execute(tx.conn())
    .await?;
    Ok(Some(Specialty {
        code: s.code.clone(),
        level: s.level,
        name: s.name.clone(),
        isced_f_broad: s.isced_f_broad.clone(),
        verified: s.verified,
        barred_forms: barred,
        valid_from: s.valid_from.clone(),
        valid_to: s.valid_to.clone(),
        version,
    }))
}

/// The classifier as it was recorded at `at` (epoch ms): the newest version of each
/// entry recorded by then.
pub async fn specialties_as_of(db: &Db, at: i64) -> Result<Vec<SpecialtyVersion>, sqlx::Error> {
    sqlx::query(
        "SELECT v.code, v.level, v.name_ky, v.name_ru, v.name_en, v.isced_f_broad, v.verified, v.barred_forms, \
         v.valid_from, v.valid_to, v.version, v.recorded_at, v.recorded_by FROM specialty_version v \
         WHERE v.recorded_at <= $1 AND v.version = (SELECT MAX(w.version) FROM specialty_version w \
         WHERE w.code = v.code AND w.level = v.level AND w.recorded_at <= $1) ORDER BY v.code, v.level",
    )
    .bind(at)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| {
        Ok(SpecialtyVersion {
            specialty: specialty_from(r)?,
            recorded_at: r.try_get("recorded_at")?,
            recorded_by: r.try_get("recorded_by")?,
        })
    })
    .collect()
}

/// Every recorded state of one entry, newest first.
pub async fn specialty_history(db: &Db, code: &str, lvl: Level) -> Result<Vec<SpecialtyVersion>, sqlx::Error> {
    sqlx::query(
        "SELECT code, level, name_ky, name_ru, name_en, isced_f_broad, verified, barred_forms, valid_from, valid_to, \
         version, recorded_at, recorded_by FROM specialty_version WHERE code = $1 AND level = $2 ORDER BY version DESC",
    )
    .bind(code)
    .bind(lvl.as_str())
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| {
        Ok(SpecialtyVersion {
            specialty: specialty_from(r)?,
            recorded_at: r.try_get("recorded_at")?,
            recorded_by: r.try_get("recorded_by")?,
        })
    })
    .collect()
}

fn summary_from(r: &AnyRow) -> Result<InstitutionSummary, sqlx::Error> {
    let ownership: String = r.try_get("ownership")?;
    let status: String = r.try_get("status")?;
    Ok(InstitutionSummary {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        name: loc(r, "name")?,
        region: r.try_get("region")?,
        city: loc(r, "city")?,
        ownership: Ownership::parse(&ownership).ok_or_else(|| bad("ownership", &ownership))?,
        status: InstitutionStatus::parse(&status).ok_or_else(|| bad("status", &status))?,
        founded: r.try_get::<Option<i64>, _>("founded")?.map(|y| y as i32),
        website: r.try_get("website")?,
        special_status: r.try_get::<i64, _>("special_status")? != 0,
        programme_count: 0,
        levels: Vec::new(),
        languages: Vec::new(),
        accredited: false,
        version: r.try_get("version")?,
    })
}

fn profile_from(r: &AnyRow) -> Result<InstitutionProfile, sqlx::Error> {
    let languages: String = r.try_get("languages")?;
    Ok(InstitutionProfile {
        address: loc(r, "address")?,
        phone: r.try_get("phone")?,
        email: r.try_get("email")?,
        rector: r.try_get("rector")?,
        languages: languages.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
        logo: None,
        photos: Vec::new(),
    })
}

const INSTITUTION_COLUMNS: &str = "id, code, name_ky, name_ru, name_en, region, city_ky, city_ru, city_en, \
     ownership, status, founded, website, special_status, version, address_ky, address_ru, address_en, phone, \
     email, rector, languages";

const PROGRAMME_COLUMNS: &str = "id, institution_id, specialty_code, level, form, language, duration_months, \
     credits, fee_citizen, fee_foreign, grant_places, contract_places, admission_year, passing_score, \
     passing_score_year, graduates, graduates_employed, outcomes_year, version";

const LICENCE_COLUMNS: &str = "id, institution_id, specialty_code, level, form, contingent, valid_from, valid_to, \
     document_no, status, reason, version";

const ACCREDITATION_COLUMNS: &str =
    "id, institution_id, programme_id, agency, result, valid_from, valid_to, document_no, version";

fn opt_i32(r: &AnyRow, col: &str) -> Result<Option<i32>, sqlx::Error> {
    Ok(r.try_get::<Option<i64>, _>(col)?.map(|v| v as i32))
}

fn programme_from(r: &AnyRow, framework: &Framework) -> Result<Programme, sqlx::Error> {
    let lvl = level(&r.try_get::<String, _>("level")?)?;
    let specialty_code: String = r.try_get("specialty_code")?;
    let specialty_name = framework.specialty(&specialty_code, lvl).map(|s| s.name.clone()).unwrap_or_default();
    Ok(Programme {
        id: r.try_get("id")?,
        institution_id: r.try_get("institution_id")?,
        specialty_code,
        level: lvl,
        specialty_name,
        form: form(&r.try_get::<String, _>("form")?)?,
        language: r.try_get("language")?,
        duration_months: r.try_get::<i64, _>("duration_months")? as i32,
        credits: r.try_get::<i64, _>("credits")? as i32,
        fee_citizen: r.try_get("fee_citizen")?,
        fee_foreign: r.try_get("fee_foreign")?,
        grant_places: r.try_get::<i64, _>("grant_places")? as i32,
        contract_places: r.try_get::<i64, _>("contract_places")? as i32,
        admission_year: r.try_get::<i64, _>("admission_year")? as i32,
        passing_score: opt_i32(r, "passing_score")?,
        passing_score_year: opt_i32(r, "passing_score_year")?,
        graduates: opt_i32(r, "graduates")?,
        graduates_employed: opt_i32(r, "graduates_employed")?,
        outcomes_year: opt_i32(r, "outcomes_year")?,
        version: r.try_get("version")?,
    })
}

fn accreditation_from(r: &AnyRow) -> Result<Accreditation, sqlx::Error> {
    let result: String = r.try_get("result")?;
    Ok(Accreditation {
        id: r.try_get("id")?,
        institution_id: r.try_get("institution_id")?,
        programme_id: r.try_get("programme_id")?,
        agency: r.try_get("agency")?,
        result: AccreditationResult::parse(&result).ok_or_else(|| bad("accreditation result", &result))?,
        valid_from: r.try_get("valid_from")?,
        valid_to: r.try_get("valid_to")?,
        document_no: r.try_get("document_no")?,
        version: r.try_get("version")?,
    })
}

/// Everything the public read index needs, in a few queries.
pub async fn institutions_load(db: &Db, framework: &Framework) -> Result<Vec<Institution>, sqlx::Error> {
    let pool = db.pool();
    let mut institutions: Vec<Institution> = sqlx::query(&format!("SELECT {INSTITUTION_COLUMNS} FROM institution"))
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            Ok(Institution {
                summary: summary_from(r)?,
                profile: profile_from(r)?,
                programmes: Vec::new(),
                licences: Vec::new(),
                accreditations: Vec::new(),
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    let index: HashMap<String, usize> =
        institutions.iter().enumerate().map(|(i, inst)| (inst.summary.id.clone(), i)).collect();
    let programmes = sqlx::query(&format!(
        "SELECT {PROGRAMME_COLUMNS} FROM programme ORDER BY level, specialty_code, form, language"
    ))
    .fetch_all(pool)
    .await?;
    for r in &programmes {
        let p = programme_from(r, framework)?;
        if let Some(&i) = index.get(&p.institution_id) {
            institutions[i].programmes.push(p);
        }
    }
    let licences =
        sqlx::query(&format!("SELECT {LICENCE_COLUMNS} FROM licence ORDER BY level, specialty_code, form, valid_from"))
            .fetch_all(pool)
            .await?;
    for r in &licences {
        let l = licence_from(r)?;
        if let Some(&i) = index.get(&l.institution_id) {
            institutions[i].licences.push(l);
        }
    }
    let accreditations =
        sqlx::query(&format!("SELECT {ACCREDITATION_COLUMNS} FROM accreditation ORDER BY valid_from DESC, id"))
            .fetch_all(pool)
            .await?;
    for r in &accreditations {
        let a = accreditation_from(r)?;
        if let Some(&i) = index.get(&a.institution_id) {
            institutions[i].accreditations.push(a);
        }
    }
    let images = sqlx::query("SELECT id, institution_id, kind FROM institution_image ORDER BY created_at DESC, id")
        .fetch_all(pool)
        .await?;
    for r in &images {
        let institution_id: String = r.try_get("institution_id")?;
        let (id, kind): (String, String) = (r.try_get("id")?, r.try_get("kind")?);
        if let Some(&i) = index.get(&institution_id) {
            let profile = &mut institutions[i].profile;
            match kind.as_str() {
                "logo" if profile.logo.is_none() => profile.logo = Some(id),
                "photo" => profile.photos.push(id),
                _ => {}
            }
        }
    }
    let today = today();
    for inst in &mut institutions {
        let mut levels: Vec<Level> = inst.programmes.iter().map(|p| p.level).collect();
        levels.sort();
        levels.dedup();
        inst.summary.levels = levels;
        let mut languages: Vec<String> = inst.profile.languages.clone();
        languages.extend(inst.programmes.iter().map(|p| p.language.clone()));
        languages.sort();
        languages.dedup();
        inst.summary.languages = languages;
        inst.summary.programme_count = inst.programmes.len() as u32;
        inst.summary.accredited = inst.accreditations.iter().any(|a| a.programme_id.is_none() && a.in_force_on(&today));
    }
    Ok(institutions)
}

fn licence_from(r: &AnyRow) -> Result<Licence, sqlx::Error> {
    let status: String = r.try_get("status")?;
    Ok(Licence {
        id: r.try_get("id")?,
        institution_id: r.try_get("institution_id")?,
        specialty_code: r.try_get("specialty_code")?,
        level: level(&r.try_get::<String, _>("level")?)?,
        form: form(&r.try_get::<String, _>("form")?)?,
        contingent: r.try_get::<i64, _>("contingent")? as i32,
        valid_from: r.try_get("valid_from")?,
        valid_to: r.try_get("valid_to")?,
        document_no: r.try_get("document_no")?,
        status: LicenceStatus::parse(&status).ok_or_else(|| bad("licence status", &status))?,
        reason: r.try_get("reason")?,
        version: r.try_get("version")?,
    })
}

pub async fn institution_by_code(tx: &mut WriteTx, code: &str) -> Result<Option<InstitutionSummary>, sqlx::Error> {
    sqlx::query(&format!("SELECT {INSTITUTION_COLUMNS} FROM institution WHERE code = $1"))
        .bind(code)
        .fetch_optional(tx.conn())
        .await?
        .map(|r| summary_from(&r))
        .transpose()
}

/// Creates or updates an institution by code; returns its state after the write.
pub async fn institution_upsert(
    tx: &mut WriteTx,
    id_if_new: &str,
    input: &InstitutionInput,
    now: i64,
) -> Result<InstitutionSummary, sqlx::Error> {
    sqlx::query(
        "INSERT INTO institution (id, code, name_ky, name_ru, name_en, region, city_ky, city_ru, city_en, \
         ownership, status, founded, website, special_status, version, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1, $15) \
         ON CONFLICT (code) DO UPDATE SET name_ky = excluded.name_ky, name_ru = excluded.name_ru, \
         name_en = excluded.name_en, region = excluded.region, city_ky = excluded.city_ky, \
         city_ru = excluded.city_ru, city_en = excluded.city_en, ownership = excluded.ownership, \
         status = excluded.status, founded = excluded.founded, website = excluded.website, \
         special_status = excluded.special_status, version = institution.version + 1, \
         updated_at = excluded.updated_at",
    )
    .bind(id_if_new)
    .bind(&input.code)
    .bind(&input.name.ky)
    .bind(&input.name.ru)
    .bind(&input.name.en)
    .bind(&input.region)
    .bind(&input.city.ky)
    .bind(&input.city.ru)
    .bind(&input.city.en)
    .bind(input.ownership.as_str())
    .bind(input.status.as_str())
    .bind(input.founded.map(i64::from))
    .bind(&input.website)
    .bind(flag(input.special_status))
    .bind(now)
    .execute(tx.conn())
    .await?;
    institution_by_code(tx, &input.code).await?.ok_or_else(|| sqlx::Error::RowNotFound)
}

/// Writes the profile an institution keeps about itself.
pub async fn profile_update(tx: &mut WriteTx, p: &ProfileInput, now: i64) -> Result<InstitutionSummary, sqlx::Error> {
    sqlx::query(
        "UPDATE institution SET name_ky = $2, name_ru = $3, name_en = $4, address_ky = $5, address_ru = $6, \
         address_en = $7, phone = $8, email = $9, rector = $10, founded = $11, website = $12, languages = $13, \
         version = version + 1, updated_at = $14 WHERE code = $1",
    )
    .bind(&p.institution_code)
    .bind(p.name.ky.trim())
    .bind(p.name.ru.trim())
    .bind(p.name.en.trim())
    .bind(p.address.ky.trim())
    .bind(p.address.ru.trim())
    .bind(p.address.en.trim())
    .bind(p.phone.trim())
    .bind(p.email.trim())
    .bind(p.rector.trim())
    .bind(p.founded.map(i64::from))
    .bind(p.website.trim())
    .bind(p.languages.join(","))
    .bind(now)
    .execute(tx.conn())
    .await?;
    institution_by_code(tx, &p.institution_code).await?.ok_or_else(|| sqlx::Error::RowNotFound)
}

/// Creates or updates a programme by id; returns its state after the write.
pub async fn programme_upsert(
    tx: &mut WriteTx,
    p: &Programme,
    now: i64,
    framework: &Framework,
) -> Result<Programme, sqlx::Error> {
    sqlx::query(
        "INSERT INTO programme (id, institution_id, specialty_code, level, form, language, duration_months, credits, \
         fee_citizen, fee_foreign, grant_places, contract_places, admission_year, passing_score, passing_score_year, \
         graduates, graduates_employed, outcomes_year, version, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, 1, $19) \
         ON CONFLICT (id) DO UPDATE SET specialty_code = excluded.specialty_code, level = excluded.level, \
         form = excluded.form, language = excluded.language, duration_months = excluded.duration_months, \
         credits = excluded.credits, fee_citizen = excluded.fee_citizen, fee_foreign = excluded.fee_foreign, \
         grant_places = excluded.grant_places, contract_places = excluded.contract_places, \
         admission_year = excluded.admission_year, version = programme.version + 1, updated_at = excluded.updated_at",
    )
    .bind(&p.id)
    .bind(&p.institution_id)
    .bind(&p.specialty_code)
    .bind(p.level.as_str())
    .bind(p.form.as_str())
    .bind(&p.language)
    .bind(i64::from(p.duration_months))
    .bind(i64::from(p.credits))
    .bind(p.fee_citizen)
    .bind(p.fee_foreign)
    .bind(i64::from(p.grant_places))
    .bind(i64::from(p.contract_places))
    .bind(i64::from(p.admission_year))
    .bind(p.passing_score.map(i64::from))
    .bind(p.passing_score_year.map(i64::from))
    .bind(p.graduates.map(i64::from))
    .bind(p.graduates_employed.map(i64::from))
    .bind(p.outcomes_year.map(i64::from))
    .bind(now)
    .execute(tx.conn())
    .await?;
    programme_get(tx, &p.id, framework).await?.ok_or(sqlx::Error::RowNotFound)
}

pub async fn programme_get(
    tx: &mut WriteTx,
    id: &str,
    framework: &Framework,
) -> Result<Option<Programme>, sqlx::Error> {
    sqlx::query(&format!("SELECT {PROGRAMME_COLUMNS} FROM programme WHERE id = $1"))
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .map(|r| programme_from(&r, framework))
        .transpose()
}

/// The programme with the same natural key, if one exists (a second one is refused).
pub async fn programme_by_key(
    tx: &mut WriteTx,
    institution_id: &str,
    input: &ProgrammeInput,
) -> Result<Option<String>, sqlx::Error> {
    Ok(sqlx::query(
        "SELECT id FROM programme WHERE institution_id = $1 AND specialty_code = $2 AND level = $3 AND form = $4 \
         AND language = $5",
    )
    .bind(institution_id)
    .bind(&input.specialty_code)
    .bind(input.level.as_str())
    .bind(input.form.as_str())
    .bind(&input.language)
    .fetch_optional(tx.conn())
    .await?
    .map(|r| r.get(0)))
}

/// Creates or updates a licence by id; returns its state after the write.
pub async fn licence_upsert(
    tx: &mut WriteTx,
    id: &str,
    institution_id: &str,
    input: &LicenceInput,
    now: i64,
) -> Result<Licence, sqlx::Error> {
    sqlx::query(
        "INSERT INTO licence (id, institution_id, specialty_code, level, form, contingent, valid_from, valid_to, \
         document_no, status, reason, version, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12) \
         ON CONFLICT (id) DO UPDATE SET specialty_code = excluded.specialty_code, level = excluded.level, \
         form = excluded.form, contingent = excluded.contingent, valid_from = excluded.valid_from, \
         valid_to = excluded.valid_to, document_no = excluded.document_no, status = excluded.status, \
         reason = excluded.reason, version = licence.version + 1, updated_at = excluded.updated_at",
    )
    .bind(id)
    .bind(institution_id)
    .bind(&input.specialty_code)
    .bind(input.level.as_str())
    .bind(input.form.as_str())
    .bind(i64::from(input.contingent))
    .bind(&input.valid_from)
    .bind(input.valid_to.as_deref())
    .bind(input.document_no.trim())
    .bind(input.status.as_str())
    .bind(input.reason.trim())
    .bind(now)
    .execute(tx.conn())
    .await?;
    let row = sqlx::query(&format!("SELECT {LICENCE_COLUMNS} FROM licence WHERE id = $1"))
        .bind(id)
        .fetch_one(tx.conn())
        .await?;
    licence_from(&row)
}

/// The institution a licence belongs to, for updates (a licence never moves).
pub async fn licence_institution(tx: &mut WriteTx, id: &str) -> Result<Option<String>, sqlx::Error> {
    Ok(sqlx::query("SELECT institution_id FROM licence WHERE id = $1")
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .map(|r| r.get(0)))
}

/// Sets a licence's enrolled count in the demo data set (records publishes the real
/// counts through enrolment events).
pub async fn demo_enrolled_set(tx: &mut WriteTx, licence_id: &str, enrolled: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE licence SET enrolled = $2 WHERE id = $1")
        .bind(licence_id)
        .bind(enrolled)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// The institution a programme belongs to.
pub async fn programme_institution(tx: &mut WriteTx, id: &str) -> Result<Option<String>, sqlx::Error> {
    Ok(sqlx::query("SELECT institution_id FROM programme WHERE id = $1")
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .map(|r| r.get(0)))
}

/// The institution an accreditation decision belongs to.
pub async fn accreditation_institution(tx: &mut WriteTx, id: &str) -> Result<Option<String>, sqlx::Error> {
    Ok(sqlx::query("SELECT institution_id FROM accreditation WHERE id = $1")
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .map(|r| r.get(0)))
}

pub async fn accreditation_upsert(
    tx: &mut WriteTx,
    id: &str,
    institution_id: &str,
    a: &AccreditationInput,
    now: i64,
) -> Result<Accreditation, sqlx::Error> {
    sqlx::query(
        "INSERT INTO accreditation (id, institution_id, programme_id, agency, result, valid_from, valid_to, \
         document_no, version, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9) \
         ON CONFLICT (id) DO UPDATE SET programme_id = excluded.programme_id, agency = excluded.agency, \
         result = excluded.result, valid_from = excluded.valid_from, valid_to = excluded.valid_to, \
         document_no = excluded.document_no, version = accreditation.version + 1, updated_at = excluded.updated_at",
    )
    .bind(id)
    .bind(institution_id)
    .bind(a.programme_id.as_deref())
    .bind(a.agency.trim())
    .bind(a.result.as_str())
    .bind(&a.valid_from)
    .bind(a.valid_to.as_deref())
    .bind(a.document_no.trim())
    .bind(now)
    .execute(tx.conn())
    .await?;
    let row = sqlx::query(&format!("SELECT {ACCREDITATION_COLUMNS} FROM accreditation WHERE id = $1"))
        .bind(id)
        .fetch_one(tx.conn())
        .await?;
    accreditation_from(&row)
}

/// Stores an image of an institution.
#[allow(clippy::too_many_arguments)]
pub async fn image_insert(
    tx: &mut WriteTx,
    id: &str,
    institution_id: &str,
    kind: &str,
    content_type: &str,
    (width, height): (u32, u32),
    data: &[u8],
    sha256: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO institution_image (id, institution_id, kind, content_type, width, height, data, sha256, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(institution_id)
    .bind(kind)
    .bind(content_type)
    .bind(i64::from(width))
    .bind(i64::from(height))
    .bind(data)
    .bind(sha256)
    .bind(now)
    .execute(tx.conn())
    .await?;
    // Touch the institution so that read indexes pick the new image up.
    sqlx::query("UPDATE institution SET updated_at = $2 WHERE id = $1")
        .bind(institution_id)
        .bind(now)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Removes an image (photos can be taken down; logos are replaced by a newer one).
pub async fn image_delete(tx: &mut WriteTx, institution_id: &str, id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let n = sqlx::query("DELETE FROM institution_image WHERE id = $1 AND institution_id = $2")
        .bind(id)
        .bind(institution_id)
        .execute(tx.conn())
        .await?
        .rows_affected();
    sqlx::query("UPDATE institution SET updated_at = $2 WHERE id = $1")
        .bind(institution_id)
        .bind(now)
        .execute(tx.conn())
        .await?;
    Ok(n > 0)
}

/// One image: content type, bytes and hash.
pub async fn image_get(db: &Db, id: &str) -> Result<Option<(String, Vec<u8>, String)>, sqlx::Error> {
    sqlx::query("SELECT content_type, data, sha256 FROM institution_image WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await?
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .transpose()
}

/// A marker that changes whenever catalogue data changes, to refresh read indexes of
/// other replicas. Licence counters (enrolled, held) are not part of it: they are read
/// live.
pub async fn generation(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "SELECT COALESCE((SELECT MAX(updated_at) FROM institution), 0) + \
         COALESCE((SELECT MAX(updated_at) FROM programme), 0) + \
         COALESCE((SELECT MAX(updated_at) FROM licence), 0) + \
         COALESCE((SELECT MAX(updated_at) FROM specialty), 0) + \
         COALESCE((SELECT MAX(updated_at) FROM accreditation), 0) + \
         (SELECT COUNT(*) FROM licence) + (SELECT COUNT(*) FROM programme) + \
         (SELECT COUNT(*) FROM institution_image) + (SELECT COUNT(*) FROM accreditation)",
    )
    .fetch_one(db.pool())
    .await?
    .try_get(0)
}

pub async fn institution_count(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) FROM institution").fetch_one(db.pool()).await?.try_get(0)
}

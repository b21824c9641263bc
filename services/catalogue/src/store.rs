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
    let specialties = sqlx::query(
        "SELECT code, level, name_ky, name_ru, name_en, isced_f_broad, verified, barred_forms \
         FROM specialty ORDER BY code, level",
    )
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        let barred: String = r.try_get("barred_forms")?;
        Ok(Specialty {
            code: r.try_get("code")?,
            level: level(&r.try_get::<String, _>("level")?)?,
            name: loc(r, "name")?,
            isced_f_broad: r.try_get("isced_f_broad")?,
            verified: r.try_get::<i64, _>("verified")? != 0,
            barred_forms: barred.split(',').filter(|s| !s.is_empty()).map(form).collect::<Result<_, _>>()?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Framework { levels, forms, regions, isced_fields, specialties })
}

pub async fn specialty_upsert(tx: &mut WriteTx, s: &Specialty, now: i64) -> Result<(), sqlx::Error> {
    let barred: Vec<&str> = s.barred_forms.iter().map(|f| f.as_str()).collect();
    sqlx::query(
        "INSERT INTO specialty (code, level, name_ky, name_ru, name_en, isced_f_broad, verified, barred_forms, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (code, level) DO UPDATE SET name_ky = excluded.name_ky, name_ru = excluded.name_ru, \
         name_en = excluded.name_en, isced_f_broad = excluded.isced_f_broad, verified = excluded.verified, \
         barred_forms = excluded.barred_forms, updated_at = excluded.updated_at",
    )
    .bind(&s.code)
    .bind(s.level.as_str())
    .bind(&s.name.ky)
    .bind(&s.name.ru)
    .bind(&s.name.en)
    .bind(&s.isced_f_broad)
    .bind(flag(s.verified))
    .bind(barred.join(","))
    .bind(now)
    .execute(tx.conn())
    .await?;
    Ok(())
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
        version: r.try_get("version")?,
    })
}

const INSTITUTION_COLUMNS: &str = "id, code, name_ky, name_ru, name_en, region, city_ky, city_ru, city_en, \
     ownership, status, founded, website, special_status, version";

/// Everything the public read index needs, in three queries.
pub async fn institutions_load(db: &Db, framework: &Framework) -> Result<Vec<Institution>, sqlx::Error> {
    let pool = db.pool();
    let mut institutions: Vec<Institution> = sqlx::query(&format!("SELECT {INSTITUTION_COLUMNS} FROM institution"))
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| Ok(Institution { summary: summary_from(r)?, programmes: Vec::new(), licences: Vec::new() }))
        .collect::<Result<_, sqlx::Error>>()?;
    let index: HashMap<String, usize> =
        institutions.iter().enumerate().map(|(i, inst)| (inst.summary.id.clone(), i)).collect();
    let programmes = sqlx::query(
        "SELECT id, institution_id, specialty_code, level, form, language, duration_months, credits \
         FROM programme ORDER BY level, specialty_code, form, language",
    )
    .fetch_all(pool)
    .await?;
    for r in &programmes {
        let institution_id: String = r.try_get("institution_id")?;
        let lvl = level(&r.try_get::<String, _>("level")?)?;
        let specialty_code: String = r.try_get("specialty_code")?;
        let specialty_name = framework.specialty(&specialty_code, lvl).map(|s| s.name.clone()).unwrap_or_default();
        let p = Programme {
            id: r.try_get("id")?,
            institution_id: institution_id.clone(),
            specialty_code,
            level: lvl,
            specialty_name,
            form: form(&r.try_get::<String, _>("form")?)?,
            language: r.try_get("language")?,
            duration_months: r.try_get::<i64, _>("duration_months")? as i32,
            credits: r.try_get::<i64, _>("credits")? as i32,
        };
        if let Some(&i) = index.get(&institution_id) {
            institutions[i].programmes.push(p);
        }
    }
    let licences = sqlx::query(
        "SELECT id, institution_id, specialty_code, level, form, contingent, valid_from, valid_to, document_no, status, version \
         FROM licence ORDER BY level, specialty_code, form",
    )
    .fetch_all(pool)
    .await?;
    for r in &licences {
        let l = licence_from(r)?;
        if let Some(&i) = index.get(&l.institution_id) {
            institutions[i].licences.push(l);
        }
    }
    for inst in &mut institutions {
        let mut levels: Vec<Level> = inst.programmes.iter().map(|p| p.level).collect();
        levels.sort();
        levels.dedup();
        inst.summary.levels = levels;
        inst.summary.programme_count = inst.programmes.len() as u32;
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

pub async fn programme_upsert(tx: &mut WriteTx, p: &Programme, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO programme (id, institution_id, specialty_code, level, form, language, duration_months, credits, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (institution_id, specialty_code, level, form, language) DO UPDATE SET \
         duration_months = excluded.duration_months, credits = excluded.credits, updated_at = excluded.updated_at",
    )
    .bind(&p.id)
    .bind(&p.institution_id)
    .bind(&p.specialty_code)
    .bind(p.level.as_str())
    .bind(p.form.as_str())
    .bind(&p.language)
    .bind(i64::from(p.duration_months))
    .bind(i64::from(p.credits))
    .bind(now)
    .execute(tx.conn())
    .await?;
    Ok(())
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
         document_no, status, version, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11) \
         ON CONFLICT (id) DO UPDATE SET specialty_code = excluded.specialty_code, level = excluded.level, \
         form = excluded.form, contingent = excluded.contingent, valid_from = excluded.valid_from, \
         valid_to = excluded.valid_to, document_no = excluded.document_no, status = excluded.status, \
         version = licence.version + 1, updated_at = excluded.updated_at",
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
    .bind(now)
    .execute(tx.conn())
    .await?;
    let row = sqlx::query(
        "SELECT id, institution_id, specialty_code, level, form, contingent, valid_from, valid_to, document_no, status, version \
         FROM licence WHERE id = $1",
    )
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

/// A marker that changes whenever catalogue data changes, to refresh read indexes of
/// other replicas.
pub async fn generation(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "SELECT COALESCE((SELECT MAX(updated_at) FROM institution), 0) + \
         COALESCE((SELECT MAX(updated_at) FROM programme), 0) + \
         COALESCE((SELECT MAX(updated_at) FROM licence), 0) + \
         COALESCE((SELECT MAX(updated_at) FROM specialty), 0) + \
         (SELECT COUNT(*) FROM licence) + (SELECT COUNT(*) FROM programme)",
    )
    .fetch_one(db.pool())
    .await?
    .try_get(0)
}

pub async fn institution_count(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) FROM institution").fetch_one(db.pool()).await?.try_get(0)
}

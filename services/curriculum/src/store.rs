//! Curriculum SQL: one portable text per query (SQLite and PostgreSQL).

use std::collections::HashMap;

use edu24_shared::db::{Db, WriteTx, flag};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::domain::*;

fn bad(what: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("unknown {what} {value:?} in curriculum database").into())
}

fn loc(row: &AnyRow, prefix: &str) -> Result<Localized, sqlx::Error> {
    Ok(Localized {
        ky: row.try_get(format!("{prefix}_ky").as_str())?,
        ru: row.try_get(format!("{prefix}_ru").as_str())?,
        en: row.try_get(format!("{prefix}_en").as_str())?,
    })
}

/// A nullable text column of a LEFT JOIN, empty when NULL.
fn loc_opt(row: &AnyRow, prefix: &str) -> Result<Localized, sqlx::Error> {
    let get = |l: &str| -> Result<String, sqlx::Error> {
        Ok(row.try_get::<Option<String>, _>(format!("{prefix}_{l}").as_str())?.unwrap_or_default())
    };
    Ok(Localized { ky: get("ky")?, ru: get("ru")?, en: get("en")? })
}

fn int(row: &AnyRow, col: &str) -> Result<i32, sqlx::Error> {
    Ok(row.try_get::<i64, _>(col)? as i32)
}

fn level(s: &str) -> Result<Level, sqlx::Error> {
    Level::parse(s).ok_or_else(|| bad("level", s))
}

// ----- read models from catalogue

pub async fn institution_ref_apply(tx: &mut WriteTx, r: &InstitutionRef) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "INSERT INTO institution_ref (id, code, name_ky, name_ru, name_en, version) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (id) DO UPDATE SET code = excluded.code, name_ky = excluded.name_ky, name_ru = excluded.name_ru, \
         name_en = excluded.name_en, version = excluded.version WHERE institution_ref.version < excluded.version",
    )
    .bind(&r.id)
    .bind(&r.code)
    .bind(&r.name.ky)
    .bind(&r.name.ru)
    .bind(&r.name.en)
    .bind(r.version)
    .execute(tx.conn())
    .await?
    .rows_affected()
        > 0)
}

pub async fn specialty_ref_apply(tx: &mut WriteTx, r: &SpecialtyRef) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "INSERT INTO specialty_ref (code, level, name_ky, name_ru, name_en, version) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (code, level) DO UPDATE SET name_ky = excluded.name_ky, name_ru = excluded.name_ru, \
         name_en = excluded.name_en, version = excluded.version WHERE specialty_ref.version < excluded.version",
    )
    .bind(&r.code)
    .bind(r.level.as_str())
    .bind(&r.name.ky)
    .bind(&r.name.ru)
    .bind(&r.name.en)
    .bind(r.version)
    .execute(tx.conn())
    .await?
    .rows_affected()
        > 0)
}

pub async fn programme_ref_apply(tx: &mut WriteTx, r: &ProgrammeRef) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "INSERT INTO programme_ref (id, institution_id, specialty_code, level, form, language, duration_months, credits, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (id) DO UPDATE SET institution_id = excluded.institution_id, specialty_code = excluded.specialty_code, \
         level = excluded.level, form = excluded.form, language = excluded.language, \
         duration_months = excluded.duration_months, credits = excluded.credits, version = excluded.version \
         WHERE programme_ref.version < excluded.version",
    )
    .bind(&r.id)
    .bind(&r.institution_id)
    .bind(&r.specialty_code)
    .bind(r.level.as_str())
    .bind(&r.form)
    .bind(&r.language)
    .bind(i64::from(r.duration_months))
    .bind(i64::from(r.credits))
    .bind(r.version)
    .execute(tx.conn())
    .await?
    .rows_affected()
        > 0)
}

const PROGRAMME_REF_COLUMNS: &str =
    "id, institution_id, specialty_code, level, form, language, duration_months, credits, version";

fn programme_ref_from(r: &AnyRow) -> Result<ProgrammeRef, sqlx::Error> {
    Ok(ProgrammeRef {
        id: r.try_get("id")?,
        institution_id: r.try_get("institution_id")?,
        specialty_code: r.try_get("specialty_code")?,
        level: level(&r.try_get::<String, _>("level")?)?,
        form: r.try_get("form")?,
        language: r.try_get("language")?,
        duration_months: int(r, "duration_months")?,
        credits: int(r, "credits")?,
        version: r.try_get("version")?,
    })
}

pub async fn programme_ref_get(db: &Db, id: &str) -> Result<Option<ProgrammeRef>, sqlx::Error> {
    sqlx::query(&format!("SELECT {PROGRAMME_REF_COLUMNS} FROM programme_ref WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?
        .map(|r| programme_ref_from(&r))
        .transpose()
}

pub async fn programme_refs(db: &Db) -> Result<Vec<ProgrammeRef>, sqlx::Error> {
    sqlx::query(&format!("SELECT {PROGRAMME_REF_COLUMNS} FROM programme_ref ORDER BY id"))
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(programme_ref_from)
        .collect()
}

pub async fn institution_refs(db: &Db) -> Result<HashMap<String, InstitutionRef>, sqlx::Error> {
    sqlx::query("SELECT id, code, name_ky, name_ru, name_en, version FROM institution_ref")
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| {
            let i = InstitutionRef {
                id: r.try_get("id")?,
                code: r.try_get("code")?,
                name: loc(r, "name")?,
                version: r.try_get("version")?,
            };
            Ok((i.id.clone(), i))
        })
        .collect()
}

pub async fn institution_ref_get(db: &Db, id: &str) -> Result<Option<InstitutionRef>, sqlx::Error> {
    sqlx::query("SELECT id, code, name_ky, name_ru, name_en, version FROM institution_ref WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await?
        .map(|r| {
            Ok(InstitutionRef {
                id: r.try_get("id")?,
                code: r.try_get("code")?,
                name: loc(&r, "name")?,
                version: r.try_get("version")?,
            })
        })
        .transpose()
}

// ----- national courses

pub async fn national_all(db: &Db) -> Result<Vec<NationalCourse>, sqlx::Error> {
    sqlx::query(
        "SELECT code, name_ky, name_ru, name_en, recommended_tenths, mandatory, note, version FROM national_course ORDER BY code",
    )
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| {
        Ok(NationalCourse {
            code: r.try_get("code")?,
            name: loc(r, "name")?,
            recommended_tenths: r.try_get::<Option<i64>, _>("recommended_tenths")?.map(|v| v as i32),
            mandatory: r.try_get::<i64, _>("mandatory")? != 0,
            note: r.try_get("note")?,
            version: r.try_get("version")?,
        })
    })
    .collect()
}

/// Writes a national course; its new version, or `None` when nothing changed.
pub async fn national_upsert(
    tx: &mut WriteTx,
    c: &NationalCourse,
    actor: &str,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let old = sqlx::query(
        "SELECT name_ky, name_ru, name_en, recommended_tenths, mandatory, note, version FROM national_course WHERE code = $1",
    )
    .bind(&c.code)
    .fetch_optional(tx.conn())
    .await?;
    let version = match &old {
        Some(o) => {
            let same = loc(o, "name")? == c.name
                && o.try_get::<Option<i64>, _>("recommended_tenths")?.map(|v| v as i32) == c.recommended_tenths
                && (o.try_get::<i64, _>("mandatory")? != 0) == c.mandatory
                && o.try_get::<String, _>("note")? == c.note;
            if same {
                return Ok(None);
            }
            o.try_get::<i64, _>("version")? + 1
        }
        None => 1,
    };
    sqlx::query(
        "INSERT INTO national_course (code, name_ky, name_ru, name_en, recommended_tenths, mandatory, note, version, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (code) DO UPDATE SET name_ky = excluded.name_ky, name_ru = excluded.name_ru, name_en = excluded.name_en, \
         recommended_tenths = excluded.recommended_tenths, mandatory = excluded.mandatory, note = excluded.note, \
         version = excluded.version, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(&c.code)
    .bind(&c.name.ky)
    .bind(&c.name.ru)
    .bind(&c.name.en)
    .bind(c.recommended_tenths.map(i64::from))
    .bind(flag(c.mandatory))
    .bind(&c.note)
    .bind(version)
    .bind(now)
    .bind(actor)
    .execute(tx.conn())
    .await?;
    Ok(Some(version))
}

// ----- standards

const STANDARD_COLUMNS: &str = "id, specialty_code, level, valid_from, document_no, title_ky, title_ru, title_en, \
     total_tenths, hours_per_credit, semesters, weeks_per_semester, max_weekly_hours, state_component_percent, \
     version, updated_at, updated_by";

fn standard_from(r: &AnyRow) -> Result<Standard, sqlx::Error> {
    Ok(Standard {
        id: r.try_get("id")?,
        specialty_code: r.try_get("specialty_code")?,
        level: level(&r.try_get::<String, _>("level")?)?,
        valid_from: r.try_get("valid_from")?,
        document_no: r.try_get("document_no")?,
        title: loc(r, "title")?,
        total_tenths: int(r, "total_tenths")?,
        hours_per_credit: int(r, "hours_per_credit")?,
        semesters: int(r, "semesters")?,
        weeks_per_semester: int(r, "weeks_per_semester")?,
        max_weekly_hours: int(r, "max_weekly_hours")?,
        state_component_percent: int(r, "state_component_percent")?,
        blocks: Vec::new(),
        courses: Vec::new(),
        version: r.try_get("version")?,
        in_use: false,
        updated_at_ms: r.try_get("updated_at")?,
        updated_by: r.try_get("updated_by")?,
    })
}

/// Every standard with its blocks and courses, ordered by specialty, level and date.
pub async fn standards_all(db: &Db) -> Result<Vec<Standard>, sqlx::Error> {
    let pool = db.pool();
    let mut standards: Vec<Standard> =
        sqlx::query(&format!("SELECT {STANDARD_COLUMNS} FROM standard ORDER BY specialty_code, level, valid_from"))
            .fetch_all(pool)
            .await?
            .iter()
            .map(standard_from)
            .collect::<Result<_, _>>()?;
    let index: HashMap<String, usize> = standards.iter().enumerate().map(|(i, s)| (s.id.clone(), i)).collect();
    for r in sqlx::query(
        "SELECT standard_id, code, kind, name_ky, name_ru, name_en, min_tenths, max_tenths FROM standard_block ORDER BY standard_id, ord",
    )
    .fetch_all(pool)
    .await?
    {
        let sid: String = r.try_get("standard_id")?;
        let kind: String = r.try_get("kind")?;
        if let Some(&i) = index.get(&sid) {
            standards[i].blocks.push(StandardBlock {
                code: r.try_get("code")?,
                kind: BlockKind::parse(&kind).ok_or_else(|| bad("block kind", &kind))?,
                name: loc(&r, "name")?,
                min_tenths: int(&r, "min_tenths")?,
                max_tenths: int(&r, "max_tenths")?,
            });
        }
    }
    for r in sqlx::query(
        "SELECT standard_id, code, name_ky, name_ru, name_en, block, min_tenths FROM standard_course ORDER BY standard_id, ord",
    )
    .fetch_all(pool)
    .await?
    {
        let sid: String = r.try_get("standard_id")?;
        if let Some(&i) = index.get(&sid) {
            standards[i].courses.push(StandardCourse {
                code: r.try_get("code")?,
                name: loc(&r, "name")?,
                block: r.try_get("block")?,
                min_tenths: int(&r, "min_tenths")?,
            });
        }
    }
    for r in sqlx::query("SELECT DISTINCT approved_standard_id FROM curriculum WHERE approved_standard_id IS NOT NULL")
        .fetch_all(pool)
        .await?
    {
        let sid: String = r.try_get(0)?;
        if let Some(&i) = index.get(&sid) {
            standards[i].in_use = true;
        }
    }
    Ok(standards)
}

/// A fingerprint of the reference data (standards and national courses): changes with
/// every write, so replicas know when to reload.
pub async fn reference_generation(db: &Db) -> Result<i64, sqlx::Error> {
    let r = sqlx::query(
        "SELECT CAST((SELECT COALESCE(SUM(version), 0) + COUNT(*) FROM standard) * 1000003 \
         + (SELECT COALESCE(SUM(version), 0) + COUNT(*) FROM national_course) \
         + (SELECT COUNT(*) FROM curriculum WHERE approved_standard_id IS NOT NULL) * 7 AS BIGINT)",
    )
    .fetch_one(db.pool())
    .await?;
    r.try_get(0)
}

pub async fn standard_in_use(tx: &mut WriteTx, id: &str) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query("SELECT 1 FROM curriculum WHERE approved_standard_id = $1 LIMIT 1")
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .is_some())
}

/// The id and version of the standard of a specialty, level and date, inside a write.
pub async fn standard_by_key(
    tx: &mut WriteTx,
    specialty_code: &str,
    lvl: Level,
    valid_from: &str,
) -> Result<Option<(String, i64)>, sqlx::Error> {
    sqlx::query("SELECT id, version FROM standard WHERE specialty_code = $1 AND level = $2 AND valid_from = $3")
        .bind(specialty_code)
        .bind(lvl.as_str())
        .bind(valid_from)
        .fetch_optional(tx.conn())
        .await?
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .transpose()
}

pub async fn standard_version(tx: &mut WriteTx, id: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query("SELECT version FROM standard WHERE id = $1")
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .map(|r| r.try_get(0))
        .transpose()
}

/// Writes a standard with its blocks and courses (replacing them). `s.version` is the
/// version to write.
pub async fn standard_write(tx: &mut WriteTx, s: &Standard, now: i64, actor: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO standard (id, specialty_code, level, valid_from, document_no, title_ky, title_ru, title_en, \
         total_tenths, hours_per_credit, semesters, weeks_per_semester, max_weekly_hours, state_component_percent, \
         version, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) \
         ON CONFLICT (id) DO UPDATE SET valid_from = excluded.valid_from, document_no = excluded.document_no, \
         title_ky = excluded.title_ky, title_ru = excluded.title_ru, title_en = excluded.title_en, \
         total_tenths = excluded.total_tenths, hours_per_credit = excluded.hours_per_credit, semesters = excluded.semesters, \
         weeks_per_semester = excluded.weeks_per_semester, max_weekly_hours = excluded.max_weekly_hours, \
         state_component_percent = excluded.state_component_percent, version = excluded.version, \
         updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(&s.id)
    .bind(&s.specialty_code)
    .bind(s.level.as_str())
    .bind(&s.valid_from)
    .bind(&s.document_no)
    .bind(&s.title.ky)
    .bind(&s.title.ru)
    .bind(&s.title.en)
    .bind(i64::from(s.total_tenths))
    .bind(i64::from(s.hours_per_credit))
    .bind(i64::from(s.semesters))
    .bind(i64::from(s.weeks_per_semester))
    .bind(i64::from(s.max_weekly_hours))
    .bind(i64::from(s.state_component_percent))
    .bind(s.version)
    .bind(now)
    .bind(actor)
    .execute(tx.conn())
    .await?;
    sqlx::query("DELETE FROM standard_block WHERE standard_id = $1").bind(&s.id).execute(tx.conn()).await?;
    sqlx::query("DELETE FROM standard_course WHERE standard_id = $1").bind(&s.id).execute(tx.conn()).await?;
    for (i, b) in s.blocks.iter().enumerate() {
        sqlx::query(
            "INSERT INTO standard_block (standard_id, ord, code, kind, name_ky, name_ru, name_en, min_tenths, max_tenths) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&s.id)
        .bind(i as i64)
        .bind(&b.code)
        .bind(b.kind.as_str())
        .bind(&b.name.ky)
        .bind(&b.name.ru)
        .bind(&b.name.en)
        .bind(i64::from(b.min_tenths))
        .bind(i64::from(b.max_tenths))
        .execute(tx.conn())
        .await?;
    }
    for (i, c) in s.courses.iter().enumerate() {
        sqlx::query(
            "INSERT INTO standard_course (standard_id, ord, code, name_ky, name_ru, name_en, block, min_tenths) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&s.id)
        .bind(i as i64)
        .bind(&c.code)
        .bind(&c.name.ky)
        .bind(&c.name.ru)
        .bind(&c.name.en)
        .bind(&c.block)
        .bind(i64::from(c.min_tenths))
        .execute(tx.conn())
        .await?;
    }
    Ok(())
}

// ----- curricula

/// A new curriculum row as a draft (its lines follow with [`lines_replace`]).
pub struct NewCurriculum<'a> {
    pub id: &'a str,
    pub programme: &'a ProgrammeRef,
    pub intake_year: i32,
    pub version: i32,
    pub actor: &'a str,
    pub now: i64,
}

/// Whether a database error is a unique violation (a version raced in first).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error().is_some_and(|d| d.is_unique_violation())
}

pub async fn curriculum_insert(tx: &mut WriteTx, c: &NewCurriculum<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO curriculum (id, programme_id, institution_id, specialty_code, level, intake_year, version, status, \
         revision, standard_id, approved_standard_id, errors, warnings, total_tenths, line_count, findings, checked_at, \
         content_sha256, created_at, created_by, content_by, updated_at, updated_by, submitted_at, submitted_by, decided_at, \
         decided_by, decision_note, superseded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft', 1, NULL, NULL, 0, 0, 0, 0, '[]', $8, '', $8, $9, $9, $8, $9, NULL, '', NULL, \
         '', '', NULL)",
    )
    .bind(c.id)
    .bind(&c.programme.id)
    .bind(&c.programme.institution_id)
    .bind(&c.programme.specialty_code)
    .bind(c.programme.level.as_str())
    .bind(i64::from(c.intake_year))
    .bind(i64::from(c.version))
    .bind(c.now)
    .bind(c.actor)
    .execute(tx.conn())
    .await?;
    Ok(())
}

const LINE_COLUMNS: &str = "curriculum_id, line_no, semester, code, name_ky, name_ru, name_en, block, credits_tenths, \
     lectures, practicals, labs, independent, assessment, prerequisites, component, choice_group";
const LINE_PARAMS: usize = 17;

/// Takes a version for a change, as the first write of its transaction: moves its
/// revision on if it is in `status` (and at `expected_revision`, when given). On
/// PostgreSQL this locks the row, so concurrent changes of one version take turns and the
/// later one finds the revision moved. False when the version is not in that state.
pub async fn claim(
    tx: &mut WriteTx,
    id: &str,
    status: Status,
    expected_revision: Option<i64>,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE curriculum SET revision = revision + 1 WHERE id = $1 AND status = $2 AND ($3 < 0 OR revision = $3)",
    )
    .bind(id)
    .bind(status.as_str())
    .bind(expected_revision.unwrap_or(-1))
    .execute(tx.conn())
    .await?
    .rows_affected()
        == 1)
}

/// Reads a standard's version inside a write, holding it (PostgreSQL: `FOR SHARE`) so that
/// it cannot change before the transaction ends. SQLite's single writer holds it anyway.
pub async fn standard_hold(
    tx: &mut WriteTx,
    id: &str,
    backend: edu24_shared::db::Backend,
) -> Result<Option<i64>, sqlx::Error> {
    let sql = match backend {
        edu24_shared::db::Backend::Postgres => "SELECT version FROM standard WHERE id = $1 FOR SHARE",
        edu24_shared::db::Backend::Sqlite => "SELECT version FROM standard WHERE id = $1",
    };
    sqlx::query(sql).bind(id).fetch_optional(tx.conn()).await?.map(|r| r.try_get(0)).transpose()
}

/// Replaces every line of a draft (the database refuses it for any other status), as
/// written by `actor`.
pub async fn lines_replace(tx: &mut WriteTx, id: &str, lines: &[Line], actor: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE curriculum SET content_by = $2 WHERE id = $1").bind(id).bind(actor).execute(tx.conn()).await?;
    sqlx::query("DELETE FROM curriculum_line WHERE curriculum_id = $1").bind(id).execute(tx.conn()).await?;
    for chunk in lines.chunks(100) {
        let mut sql = format!("INSERT INTO curriculum_line ({LINE_COLUMNS}) VALUES ");
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for j in 0..LINE_PARAMS {
                if j > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!("${}", i * LINE_PARAMS + j + 1));
            }
            sql.push(')');
        }
        let mut q = sqlx::query(&sql);
        for l in chunk {
            q = q
                .bind(id)
                .bind(i64::from(l.line_no))
                .bind(i64::from(l.semester))
                .bind(&l.code)
                .bind(&l.name.ky)
                .bind(&l.name.ru)
                .bind(&l.name.en)
                .bind(&l.block)
                .bind(i64::from(l.credits_tenths))
                .bind(i64::from(l.lectures))
                .bind(i64::from(l.practicals))
                .bind(i64::from(l.labs))
                .bind(i64::from(l.independent))
                .bind(l.assessment.as_str())
                .bind(l.prerequisites.join(" "))
                .bind(l.component.as_str())
                .bind(&l.choice_group);
        }
        q.execute(tx.conn()).await?;
    }
    Ok(())
}

fn line_from(r: &AnyRow) -> Result<Line, sqlx::Error> {
    let assessment: String = r.try_get("assessment")?;
    let component: String = r.try_get("component")?;
    let prerequisites: String = r.try_get("prerequisites")?;
    Ok(Line {
        line_no: r.try_get::<i64, _>("line_no")? as u32,
        semester: int(r, "semester")?,
        code: r.try_get("code")?,
        name: loc(r, "name")?,
        block: r.try_get("block")?,
        credits_tenths: int(r, "credits_tenths")?,
        lectures: int(r, "lectures")?,
        practicals: int(r, "practicals")?,
        labs: int(r, "labs")?,
        independent: int(r, "independent")?,
        assessment: Assessment::parse(&assessment).ok_or_else(|| bad("assessment", &assessment))?,
        prerequisites: prerequisites.split(' ').filter(|p| !p.is_empty()).map(str::to_owned).collect(),
        component: Component::parse(&component).ok_or_else(|| bad("component", &component))?,
        choice_group: r.try_get("choice_group")?,
    })
}

pub async fn lines_get(db: &Db, id: &str) -> Result<Vec<Line>, sqlx::Error> {
    sqlx::query(&format!("SELECT {LINE_COLUMNS} FROM curriculum_line WHERE curriculum_id = $1 ORDER BY line_no"))
        .bind(id)
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(line_from)
        .collect()
}

pub async fn lines_get_tx(tx: &mut WriteTx, id: &str) -> Result<Vec<Line>, sqlx::Error> {
    sqlx::query(&format!("SELECT {LINE_COLUMNS} FROM curriculum_line WHERE curriculum_id = $1 ORDER BY line_no"))
        .bind(id)
        .fetch_all(tx.conn())
        .await?
        .iter()
        .map(line_from)
        .collect()
}

/// Every line of every curriculum, grouped by curriculum id, with what the compliance
/// check reads (names are left empty): one row per curriculum, its lines concatenated by
/// the database (`group_concat` / `string_agg`), because fetching the lines of a whole
/// country row by row costs ten times more on SQLite. The fields are codes and numbers,
/// which never hold `,` or `;`.
pub async fn lines_all_for_check(db: &Db, scope: &Scope) -> Result<HashMap<String, Vec<Line>>, sqlx::Error> {
    const FIELDS: &str = "line_no || ',' || semester || ',' || code || ',' || block || ',' || credits_tenths || ',' || \
         lectures || ',' || practicals || ',' || labs || ',' || independent || ',' || assessment || ',' || \
         prerequisites || ',' || component || ',' || choice_group";
    let agg = match db.backend() {
        edu24_shared::db::Backend::Sqlite => "group_concat",
        edu24_shared::db::Backend::Postgres => "string_agg",
    };
    let (filter, binds) = scope.lines_filter();
    let sql = format!("SELECT curriculum_id, {agg}({FIELDS}, ';') FROM curriculum_line{filter} GROUP BY curriculum_id");
    let mut q = sqlx::query(&sql);
    for b in &binds {
        q = q.bind(b);
    }
    let rows = q.fetch_all(db.pool()).await?;
    let mut out = HashMap::with_capacity(rows.len());
    for r in rows {
        let id: String = r.try_get(0)?;
        let packed: String = r.try_get(1)?;
        let mut lines = packed.split(';').map(line_unpack).collect::<Result<Vec<_>, _>>()?;
        lines.sort_by_key(|l| l.line_no);
        out.insert(id, lines);
    }
    Ok(out)
}

fn line_unpack(s: &str) -> Result<Line, sqlx::Error> {
    let f: Vec<&str> = s.split(',').collect();
    let broken = || sqlx::Error::Decode(format!("packed curriculum line {s:?}").into());
    if f.len() != 13 {
        return Err(broken());
    }
    let n = |i: usize| f[i].parse::<i64>().map_err(|_| broken());
    Ok(Line {
        line_no: n(0)? as u32,
        semester: n(1)? as i32,
        code: f[2].to_owned(),
        name: Localized::default(),
        block: f[3].to_owned(),
        credits_tenths: n(4)? as i32,
        lectures: n(5)? as i32,
        practicals: n(6)? as i32,
        labs: n(7)? as i32,
        independent: n(8)? as i32,
        assessment: Assessment::parse(f[9]).ok_or_else(broken)?,
        prerequisites: f[10].split(' ').filter(|p| !p.is_empty()).map(str::to_owned).collect(),
        component: Component::parse(f[11]).ok_or_else(broken)?,
        choice_group: f[12].to_owned(),
    })
}

/// Records the result of a check (and the lines' count and hash) and bumps the revision.
pub async fn check_record(
    tx: &mut WriteTx,
    id: &str,
    c: &Compliance,
    line_count: usize,
    content_sha256: &str,
    actor: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE curriculum SET standard_id = $2, errors = $3, warnings = $4, total_tenths = $5, line_count = $6, \
         findings = $7, checked_at = $8, content_sha256 = $9, revision = revision + 1, updated_at = $8, updated_by = $10 \
         WHERE id = $1",
    )
    .bind(id)
    .bind(c.standard_id.as_deref())
    .bind(i64::from(c.errors))
    .bind(i64::from(c.warnings))
    .bind(i64::from(c.total_tenths))
    .bind(line_count as i64)
    .bind(serde_json::to_string(&c.findings).unwrap_or_else(|_| "[]".into()))
    .bind(now)
    .bind(content_sha256)
    .bind(actor)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Records a re-check of any version (final ones included: only the check's columns and
/// the revision change), if it is still at the revision that was checked; false when it
/// changed meanwhile (or is gone), so that a save is never overwritten by an older check.
pub async fn recheck_record(
    tx: &mut WriteTx,
    id: &str,
    checked_revision: i64,
    c: &Compliance,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE curriculum SET standard_id = $2, errors = $3, warnings = $4, findings = $5, checked_at = $6, \
         revision = revision + 1 WHERE id = $1 AND revision = $7",
    )
    .bind(id)
    .bind(c.standard_id.as_deref())
    .bind(i64::from(c.errors))
    .bind(i64::from(c.warnings))
    .bind(serde_json::to_string(&c.findings).unwrap_or_else(|_| "[]".into()))
    .bind(now)
    .bind(checked_revision)
    .execute(tx.conn())
    .await?
    .rows_affected()
        == 1)
}

/// Moves a version from `from` to `to`, with who and when; false when it was not in
/// `from` (someone else moved it first).
pub async fn status_move(
    tx: &mut WriteTx,
    id: &str,
    from: Status,
    to: Status,
    actor: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let sql = match to {
        Status::Submitted => {
            "UPDATE curriculum SET status = $3, submitted_at = $5, submitted_by = $4, decision_note = '', \
             revision = revision + 1, updated_at = $5, updated_by = $4 WHERE id = $1 AND status = $2"
        }
        _ => {
            "UPDATE curriculum SET status = $3, revision = revision + 1, updated_at = $5, updated_by = $4 \
             WHERE id = $1 AND status = $2"
        }
    };
    Ok(sqlx::query(sql)
        .bind(id)
        .bind(from.as_str())
        .bind(to.as_str())
        .bind(actor)
        .bind(now)
        .execute(tx.conn())
        .await?
        .rows_affected()
        == 1)
}

/// Returns a submitted version to draft with the approver's note.
pub async fn returned(tx: &mut WriteTx, id: &str, actor: &str, note: &str, now: i64) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE curriculum SET status = 'draft', decided_at = $3, decided_by = $2, decision_note = $4, \
         submitted_at = NULL, submitted_by = '', revision = revision + 1, updated_at = $3, updated_by = $2 \
         WHERE id = $1 AND status = 'submitted'",
    )
    .bind(id)
    .bind(actor)
    .bind(now)
    .bind(note)
    .execute(tx.conn())
    .await?
    .rows_affected()
        == 1)
}

/// Approves a submitted version under `standard_id`, pinning its content hash.
pub async fn approved(
    tx: &mut WriteTx,
    id: &str,
    standard_id: &str,
    sha: &str,
    actor: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE curriculum SET status = 'approved', approved_standard_id = $2, content_sha256 = $3, decided_at = $5, \
         decided_by = $4, decision_note = '', revision = revision + 1, updated_at = $5, updated_by = $4 \
         WHERE id = $1 AND status = 'submitted'",
    )
    .bind(id)
    .bind(standard_id)
    .bind(sha)
    .bind(actor)
    .bind(now)
    .execute(tx.conn())
    .await?
    .rows_affected()
        == 1)
}

/// Supersedes the approved version of a programme and intake (if any) by `by`; its id.
pub async fn supersede(
    tx: &mut WriteTx,
    programme_id: &str,
    intake_year: i32,
    by: &str,
) -> Result<Option<String>, sqlx::Error> {
    let old: Option<String> =
        sqlx::query("SELECT id FROM curriculum WHERE programme_id = $1 AND intake_year = $2 AND status = 'approved'")
            .bind(programme_id)
            .bind(i64::from(intake_year))
            .fetch_optional(tx.conn())
            .await?
            .map(|r| r.try_get(0))
            .transpose()?;
    if let Some(old) = &old {
        sqlx::query(
            "UPDATE curriculum SET status = 'superseded', superseded_by = $2, revision = revision + 1 WHERE id = $1",
        )
        .bind(old)
        .bind(by)
        .execute(tx.conn())
        .await?;
    }
    Ok(old)
}

pub async fn discard(tx: &mut WriteTx, id: &str) -> Result<bool, sqlx::Error> {
    sqlx::query("DELETE FROM curriculum_line WHERE curriculum_id = $1").bind(id).execute(tx.conn()).await?;
    Ok(sqlx::query("DELETE FROM curriculum WHERE id = $1 AND status = 'draft'")
        .bind(id)
        .execute(tx.conn())
        .await?
        .rows_affected()
        == 1)
}

pub async fn next_version(tx: &mut WriteTx, programme_id: &str, intake_year: i32) -> Result<i32, sqlx::Error> {
    let v: Option<i64> =
        sqlx::query("SELECT MAX(version) FROM curriculum WHERE programme_id = $1 AND intake_year = $2")
            .bind(programme_id)
            .bind(i64::from(intake_year))
            .fetch_one(tx.conn())
            .await?
            .try_get(0)?;
    Ok(v.unwrap_or(0) as i32 + 1)
}

/// The open (draft or submitted) version of a programme and intake, if any.
pub async fn open_version(
    tx: &mut WriteTx,
    programme_id: &str,
    intake_year: i32,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query(
        "SELECT id FROM curriculum WHERE programme_id = $1 AND intake_year = $2 AND status IN ('draft', 'submitted')",
    )
    .bind(programme_id)
    .bind(i64::from(intake_year))
    .fetch_optional(tx.conn())
    .await?
    .map(|r| r.try_get(0))
    .transpose()
}

const SUMMARY_SELECT: &str = "SELECT c.id, c.programme_id, c.institution_id, c.specialty_code, c.level, c.intake_year, \
     c.version, c.status, c.standard_id, c.approved_standard_id, c.errors, c.warnings, c.total_tenths, c.line_count, \
     c.revision, c.updated_at, c.updated_by, c.submitted_at, c.submitted_by, c.decided_at, c.decided_by, \
     c.decision_note, c.content_sha256, c.superseded_by, c.findings, c.checked_at, c.content_by, \
     i.code AS inst_code, i.name_ky AS inst_ky, i.name_ru AS inst_ru, i.name_en AS inst_en, \
     s.name_ky AS spec_ky, s.name_ru AS spec_ru, s.name_en AS spec_en, p.form AS p_form, p.language AS p_language \
     FROM curriculum c \
     LEFT JOIN institution_ref i ON i.id = c.institution_id \
     LEFT JOIN specialty_ref s ON s.code = c.specialty_code AND s.level = c.level \
     LEFT JOIN programme_ref p ON p.id = c.programme_id";

/// A summary row, with the stored findings and the standard it was approved under.
pub struct SummaryRow {
    pub summary: CurriculumSummary,
    /// Who last wrote the lines.
    pub content_by: String,
    pub approved_standard_id: Option<String>,
    pub findings: Vec<Finding>,
    pub checked_at: i64,
}

fn summary_from(r: &AnyRow) -> Result<SummaryRow, sqlx::Error> {
    let status: String = r.try_get("status")?;
    let findings: String = r.try_get("findings")?;
    Ok(SummaryRow {
        summary: CurriculumSummary {
            id: r.try_get("id")?,
            programme_id: r.try_get("programme_id")?,
            institution_id: r.try_get("institution_id")?,
            specialty_code: r.try_get("specialty_code")?,
            level: level(&r.try_get::<String, _>("level")?)?,
            intake_year: int(r, "intake_year")?,
            version: int(r, "version")?,
            status: Status::parse(&status).ok_or_else(|| bad("status", &status))?,
            standard_id: r.try_get("standard_id")?,
            errors: r.try_get::<i64, _>("errors")? as u32,
            warnings: r.try_get::<i64, _>("warnings")? as u32,
            total_tenths: int(r, "total_tenths")?,
            lines: r.try_get::<i64, _>("line_count")? as u32,
            revision: r.try_get("revision")?,
            updated_at_ms: r.try_get("updated_at")?,
            updated_by: r.try_get("updated_by")?,
            submitted_at_ms: r.try_get("submitted_at")?,
            submitted_by: r.try_get("submitted_by")?,
            decided_at_ms: r.try_get("decided_at")?,
            decided_by: r.try_get("decided_by")?,
            decision_note: r.try_get("decision_note")?,
            content_sha256: r.try_get("content_sha256")?,
            superseded_by: r.try_get("superseded_by")?,
            institution_name: loc_opt(r, "inst")?,
            institution_code: r.try_get::<Option<String>, _>("inst_code")?.unwrap_or_default(),
            specialty_name: loc_opt(r, "spec")?,
            form: r.try_get::<Option<String>, _>("p_form")?.unwrap_or_default(),
            language: r.try_get::<Option<String>, _>("p_language")?.unwrap_or_default(),
        },
        approved_standard_id: r.try_get("approved_standard_id")?,
        content_by: r.try_get("content_by")?,
        findings: serde_json::from_str(&findings).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        checked_at: r.try_get("checked_at")?,
    })
}

pub async fn summary_get(db: &Db, id: &str) -> Result<Option<SummaryRow>, sqlx::Error> {
    sqlx::query(&format!("{SUMMARY_SELECT} WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?
        .map(|r| summary_from(&r))
        .transpose()
}

pub async fn summary_get_tx(tx: &mut WriteTx, id: &str) -> Result<Option<SummaryRow>, sqlx::Error> {
    sqlx::query(&format!("{SUMMARY_SELECT} WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .map(|r| summary_from(&r))
        .transpose()
}

/// The approved version in force for a programme and intake.
pub async fn approved_for(db: &Db, programme_id: &str, intake_year: i32) -> Result<Option<String>, sqlx::Error> {
    sqlx::query("SELECT id FROM curriculum WHERE programme_id = $1 AND intake_year = $2 AND status = 'approved'")
        .bind(programme_id)
        .bind(i64::from(intake_year))
        .fetch_optional(db.pool())
        .await?
        .map(|r| r.try_get(0))
        .transpose()
}

/// Filters of a list, with what the caller may see of open versions: every open version
/// (`open_all`), those of `open_institutions`, or none.
pub struct ListFilter<'a> {
    pub q: &'a CurriculumQuery,
    pub open_all: bool,
    pub open_institutions: &'a [String],
}

fn list_where(f: &ListFilter<'_>) -> (String, Vec<String>, Vec<i64>) {
    let mut clauses = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    let mut ints: Vec<i64> = Vec::new();
    let push_text = |clauses: &mut Vec<String>, col: &str, v: &str, texts: &mut Vec<String>| {
        texts.push(v.to_owned());
        clauses.push(format!("{col} = $T{}", texts.len()));
    };
    if let Some(v) = &f.q.institution_id {
        push_text(&mut clauses, "c.institution_id", v, &mut texts);
    }
    if let Some(v) = &f.q.programme_id {
        push_text(&mut clauses, "c.programme_id", v, &mut texts);
    }
    if let Some(v) = f.q.status {
        push_text(&mut clauses, "c.status", v.as_str(), &mut texts);
    }
    if let Some(v) = &f.q.specialty_code {
        push_text(&mut clauses, "c.specialty_code", v, &mut texts);
    }
    if let Some(v) = f.q.level {
        push_text(&mut clauses, "c.level", v.as_str(), &mut texts);
    }
    if let Some(y) = f.q.intake_year {
        ints.push(i64::from(y));
        clauses.push(format!("c.intake_year = $I{}", ints.len()));
    }
    if !f.open_all {
        let mut allowed = vec!["c.status IN ('approved', 'superseded')".to_owned()];
        for inst in f.open_institutions {
            texts.push(inst.clone());
            allowed.push(format!("c.institution_id = $T{}", texts.len()));
        }
        clauses.push(format!("({})", allowed.join(" OR ")));
    }
    let sql = if clauses.is_empty() { String::new() } else { format!(" WHERE {}", clauses.join(" AND ")) };
    (sql, texts, ints)
}

/// Numbers the `$T..` and `$I..` placeholders of a WHERE clause as `$1..`.
fn number(sql: &str, texts: usize) -> String {
    let mut out = sql.to_owned();
    // Highest first so that $T1 does not match inside $T10.
    for i in (1..=texts).rev() {
        out = out.replace(&format!("$T{i}"), &format!("${i}"));
    }
    for i in (1..=8).rev() {
        out = out.replace(&format!("$I{i}"), &format!("${}", texts + i));
    }
    out
}

pub async fn list(db: &Db, f: &ListFilter<'_>) -> Result<(Vec<CurriculumSummary>, u64), sqlx::Error> {
    let (where_sql, texts, ints) = list_where(f);
    let n = texts.len() + ints.len();
    let count_sql = number(&format!("SELECT COUNT(*) FROM curriculum c{where_sql}"), texts.len());
    let mut q = sqlx::query(&count_sql);
    for t in &texts {
        q = q.bind(t);
    }
    for i in &ints {
        q = q.bind(*i);
    }
    let total: i64 = q.fetch_one(db.pool()).await?.try_get(0)?;
    let per_page = f.q.per_page.clamp(1, MAX_PER_PAGE);
    let page = f.q.page.max(1);
    let sql = number(
        &format!(
            "{SUMMARY_SELECT}{where_sql} ORDER BY c.intake_year DESC, i.code, c.specialty_code, c.level, p.form, p.language, \
             c.version DESC LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        ),
        texts.len(),
    );
    let mut q = sqlx::query(&sql);
    for t in &texts {
        q = q.bind(t);
    }
    for i in &ints {
        q = q.bind(*i);
    }
    q = q.bind(i64::from(per_page)).bind(i64::from(page - 1) * i64::from(per_page));
    let items =
        q.fetch_all(db.pool()).await?.iter().map(|r| summary_from(r).map(|s| s.summary)).collect::<Result<_, _>>()?;
    Ok((items, total as u64))
}

/// Every curriculum's summary (for national views and re-checks), with stored findings.
pub async fn all_summaries(db: &Db) -> Result<Vec<SummaryRow>, sqlx::Error> {
    scoped_summaries(db, &Scope::All).await
}

/// Which curricula a re-check covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    /// The curricula of one specialty and level (its standard changed).
    Specialty(String, Level),
    /// The curricula with a line of this course (a national course changed).
    Course(String),
}

impl Scope {
    fn curricula_filter(&self) -> (String, Vec<String>) {
        match self {
            Scope::All => (String::new(), vec![]),
            Scope::Specialty(code, level) => {
                (" WHERE c.specialty_code = $1 AND c.level = $2".into(), vec![code.clone(), level.as_str().into()])
            }
            Scope::Course(code) => (
                " WHERE c.id IN (SELECT curriculum_id FROM curriculum_line WHERE code = $1)".into(),
                vec![code.clone()],
            ),
        }
    }

    fn lines_filter(&self) -> (String, Vec<String>) {
        match self {
            Scope::All => (String::new(), vec![]),
            Scope::Specialty(code, level) => (
                " WHERE curriculum_id IN (SELECT id FROM curriculum WHERE specialty_code = $1 AND level = $2)".into(),
                vec![code.clone(), level.as_str().into()],
            ),
            Scope::Course(code) => (
                " WHERE curriculum_id IN (SELECT curriculum_id FROM curriculum_line WHERE code = $1)".into(),
                vec![code.clone()],
            ),
        }
    }
}

pub async fn scoped_summaries(db: &Db, scope: &Scope) -> Result<Vec<SummaryRow>, sqlx::Error> {
    let (filter, binds) = scope.curricula_filter();
    let sql = format!("{SUMMARY_SELECT}{filter}");
    let mut q = sqlx::query(&sql);
    for b in &binds {
        q = q.bind(b);
    }
    q.fetch_all(db.pool()).await?.iter().map(summary_from).collect()
}

/// A re-check owed for `scope`, written with the change that calls for it.
pub async fn pending_add(tx: &mut WriteTx, scope: &Scope, now: i64) -> Result<(), sqlx::Error> {
    let (spec, level, course) = match scope {
        Scope::All => (String::new(), String::new(), String::new()),
        Scope::Specialty(c, l) => (c.clone(), l.as_str().to_owned(), String::new()),
        Scope::Course(c) => (String::new(), String::new(), c.clone()),
    };
    sqlx::query(
        "INSERT INTO recheck_pending (id, specialty_code, level, course_code, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(edu24_shared::time::new_id())
    .bind(spec)
    .bind(level)
    .bind(course)
    .bind(now)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// The re-checks owed, oldest first.
pub async fn pending(db: &Db) -> Result<Vec<(String, Scope)>, sqlx::Error> {
    sqlx::query("SELECT id, specialty_code, level, course_code FROM recheck_pending ORDER BY created_at, id")
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| {
            let (spec, lvl, course): (String, String, String) = (r.try_get(1)?, r.try_get(2)?, r.try_get(3)?);
            let scope = if !course.is_empty() {
                Scope::Course(course)
            } else if !spec.is_empty() {
                Scope::Specialty(spec, level(&lvl)?)
            } else {
                Scope::All
            };
            Ok((r.try_get(0)?, scope))
        })
        .collect()
}

pub async fn pending_done(db: &Db, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM recheck_pending WHERE id = $1").bind(id).execute(db.pool()).await?;
    Ok(())
}

pub async fn last_recheck(db: &Db) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query("SELECT MAX(at) FROM recheck_run").fetch_one(db.pool()).await?.try_get(0)
}

pub async fn recheck_run_add(tx: &mut WriteTx, r: &RecheckReport, actor: &str, now: i64) -> Result<(), sqlx::Error> {
    let id: Option<i64> = sqlx::query("SELECT MAX(id) FROM recheck_run").fetch_one(tx.conn()).await?.try_get(0)?;
    sqlx::query(
        "INSERT INTO recheck_run (id, at, curricula, changed, with_errors, elapsed_ms, actor) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id.unwrap_or(0) + 1)
    .bind(now)
    .bind(i64::from(r.curricula))
    .bind(i64::from(r.changed))
    .bind(i64::from(r.with_errors))
    .bind(r.elapsed_ms)
    .bind(actor)
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn curriculum_count(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) FROM curriculum").fetch_one(db.pool()).await?.try_get(0)
}

// ----- delegation

pub async fn delegation_set(
    tx: &mut WriteTx,
    institution_id: &str,
    delegated: bool,
    actor: &str,
    note: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO delegation (institution_id, delegated, granted_at, granted_by, note) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (institution_id) DO UPDATE SET delegated = excluded.delegated, granted_at = excluded.granted_at, \
         granted_by = excluded.granted_by, note = excluded.note",
    )
    .bind(institution_id)
    .bind(flag(delegated))
    .bind(now)
    .bind(actor)
    .bind(note)
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn delegations(db: &Db) -> Result<Vec<Delegation>, sqlx::Error> {
    sqlx::query(
        "SELECT d.institution_id, d.delegated, d.granted_at, d.granted_by, d.note, \
         i.name_ky AS inst_ky, i.name_ru AS inst_ru, i.name_en AS inst_en \
         FROM delegation d LEFT JOIN institution_ref i ON i.id = d.institution_id ORDER BY i.code, d.institution_id",
    )
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| {
        Ok(Delegation {
            institution_id: r.try_get("institution_id")?,
            delegated: r.try_get::<i64, _>("delegated")? != 0,
            granted_at_ms: r.try_get("granted_at")?,
            granted_by: r.try_get("granted_by")?,
            note: r.try_get("note")?,
            institution_name: loc_opt(r, "inst")?,
        })
    })
    .collect()
}

pub async fn delegated(db: &Db, institution_id: &str) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query("SELECT delegated FROM delegation WHERE institution_id = $1")
        .bind(institution_id)
        .fetch_optional(db.pool())
        .await?
        .map(|r| r.try_get::<i64, _>(0))
        .transpose()?
        .is_some_and(|d| d != 0))
}

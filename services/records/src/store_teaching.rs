//! Teaching and grading SQL: one portable text per query (SQLite and PostgreSQL).
//! Functions take a connection, so that the same read serves inside a write
//! transaction (`tx.conn()`) and outside it (`&mut *pool.acquire()`).

use edu24_shared::db::{WriteTx, flag};
use edu24_shared::names::Localized;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::domain::*;
use crate::grading::*;
use crate::store::{bad, name};

type Conn = AnyConnection;

// ---------------------------------------------------------------------------------
// Accounts of persons.

pub async fn person_account_set(
    tx: &mut WriteTx,
    person_id: &str,
    account_id: Option<&str>,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query("UPDATE person SET account_id = $2, version = version + 1 WHERE id = $1 AND merged_into IS NULL")
        .bind(person_id)
        .bind(account_id)
        .execute(tx.conn())
        .await?
        .rows_affected()
        == 1)
}

pub async fn person_of_account(c: &mut Conn, account_id: &str) -> Result<Option<String>, sqlx::Error> {
    Ok(sqlx::query("SELECT id FROM person WHERE account_id = $1")
        .bind(account_id)
        .fetch_optional(c)
        .await?
        .map(|r| r.get(0)))
}

// ---------------------------------------------------------------------------------
// Teachers.

const TEACHER_COLUMNS: &str = "t.id, t.person_id, t.institution_id, t.department, t.degree, t.title, t.active, \
     t.created_at, t.version, p.family, p.given, p.patronymic";

fn teacher_from(r: &AnyRow) -> Result<Teacher, sqlx::Error> {
    let (degree, title): (String, String) = (r.try_get("degree")?, r.try_get("title")?);
    Ok(Teacher {
        id: r.try_get("id")?,
        person_id: r.try_get("person_id")?,
        institution_id: r.try_get("institution_id")?,
        name: name(r, "")?,
        department: r.try_get("department")?,
        degree: Degree::parse(&degree).ok_or_else(|| bad("degree", &degree))?,
        title: Title::parse(&title).ok_or_else(|| bad("title", &title))?,
        active: r.try_get::<i64, _>("active")? != 0,
        created_at_ms: r.try_get("created_at")?,
        version: r.try_get("version")?,
    })
}

pub async fn teacher_insert(tx: &mut WriteTx, t: &Teacher, actor: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO teacher (id, person_id, institution_id, department, degree, title, active, created_at, created_by, \
         version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1)",
    )
    .bind(&t.id)
    .bind(&t.person_id)
    .bind(&t.institution_id)
    .bind(&t.department)
    .bind(t.degree.as_str())
    .bind(t.title.as_str())
    .bind(flag(t.active))
    .bind(t.created_at_ms)
    .bind(actor)
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn teacher_get(c: &mut Conn, id: &str) -> Result<Option<Teacher>, sqlx::Error> {
    sqlx::query(&format!("SELECT {TEACHER_COLUMNS} FROM teacher t JOIN person p ON p.id = t.person_id WHERE t.id = $1"))
        .bind(id)
        .fetch_optional(c)
        .await?
        .map(|r| teacher_from(&r))
        .transpose()
}

pub async fn teacher_of(c: &mut Conn, person_id: &str, institution_id: &str) -> Result<Option<Teacher>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT {TEACHER_COLUMNS} FROM teacher t JOIN person p ON p.id = t.person_id \
         WHERE t.person_id = $1 AND t.institution_id = $2"
    ))
    .bind(person_id)
    .bind(institution_id)
    .fetch_optional(c)
    .await?
    .map(|r| teacher_from(&r))
    .transpose()
}

/// The posts of the person with this account, in every institution.
pub async fn teachers_of_account(c: &mut Conn, account_id: &str) -> Result<Vec<Teacher>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT {TEACHER_COLUMNS} FROM teacher t JOIN person p ON p.id = t.person_id \
         WHERE p.account_id = $1 AND t.active = 1 ORDER BY t.institution_id"
    ))
    .bind(account_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(teacher_from)
    .collect()
}

pub async fn teachers(c: &mut Conn, institution_id: &str) -> Result<Vec<Teacher>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT {TEACHER_COLUMNS} FROM teacher t JOIN person p ON p.id = t.person_id \
         WHERE t.institution_id = $1 ORDER BY t.department, p.family, p.given, t.id"
    ))
    .bind(institution_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(teacher_from)
    .collect()
}

// ---------------------------------------------------------------------------------
// Assignments.

const ASSIGNMENT_COLUMNS: &str = "a.id, a.institution_id, a.programme_id, a.intake_year, a.curriculum_id, \
     a.curriculum_version, a.line_code, a.course_ky, a.course_ru, a.course_en, a.credits_tenths, a.assessment, \
     a.semester, a.study_group, a.teacher_id, a.created_at, tp.family AS t_family, tp.given AS t_given, \
     tp.patronymic AS t_patronymic";

const ASSIGNMENT_FROM: &str =
    "assignment a JOIN teacher t ON t.id = a.teacher_id JOIN person tp ON tp.id = t.person_id";

fn assignment_from(r: &AnyRow) -> Result<Assignment, sqlx::Error> {
    Ok(Assignment {
        id: r.try_get("id")?,
        institution_id: r.try_get("institution_id")?,
        programme_id: r.try_get("programme_id")?,
        intake_year: r.try_get::<i64, _>("intake_year")? as i32,
        curriculum_id: r.try_get("curriculum_id")?,
        curriculum_version: r.try_get::<i64, _>("curriculum_version")? as i32,
        line_code: r.try_get("line_code")?,
        course: Localized { ky: r.try_get("course_ky")?, ru: r.try_get("course_ru")?, en: r.try_get("course_en")? },
        credits_tenths: r.try_get::<i64, _>("credits_tenths")? as i32,
        assessment: r.try_get("assessment")?,
        semester: r.try_get::<i64, _>("semester")? as i32,
        study_group: r.try_get("study_group")?,
        teacher_id: r.try_get("teacher_id")?,
        teacher_name: name(r, "t")?,
        created_at_ms: r.try_get("created_at")?,
    })
}

pub async fn assignment_insert(tx: &mut WriteTx, a: &Assignment, actor: &str) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "INSERT INTO assignment (id, institution_id, programme_id, intake_year, curriculum_id, curriculum_version, \
         line_code, course_ky, course_ru, course_en, credits_tenths, assessment, semester, study_group, teacher_id, \
         created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) \
         ON CONFLICT (programme_id, intake_year, line_code, semester, study_group) DO NOTHING",
    )
    .bind(&a.id)
    .bind(&a.institution_id)
    .bind(&a.programme_id)
    .bind(i64::from(a.intake_year))
    .bind(&a.curriculum_id)
    .bind(i64::from(a.curriculum_version))
    .bind(&a.line_code)
    .bind(&a.course.ky)
    .bind(&a.course.ru)
    .bind(&a.course.en)
    .bind(i64::from(a.credits_tenths))
    .bind(&a.assessment)
    .bind(i64::from(a.semester))
    .bind(&a.study_group)
    .bind(&a.teacher_id)
    .bind(a.created_at_ms)
    .bind(actor)
    .execute(tx.conn())
    .await?
    .rows_affected()
        == 1)
}

pub async fn assignment_get(c: &mut Conn, id: &str) -> Result<Option<Assignment>, sqlx::Error> {
    sqlx::query(&format!("SELECT {ASSIGNMENT_COLUMNS} FROM {ASSIGNMENT_FROM} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(c)
        .await?
        .map(|r| assignment_from(&r))
        .transpose()
}

pub async fn assignments(c: &mut Conn, q: &AssignmentQuery) -> Result<Vec<Assignment>, sqlx::Error> {
    let sql = format!(
        "SELECT {ASSIGNMENT_COLUMNS} FROM {ASSIGNMENT_FROM} WHERE a.institution_id = $1 \
         AND ($2 = '' OR a.teacher_id = $2) AND ($3 = '' OR a.study_group = $3) AND ($4 = '' OR a.programme_id = $4) \
         ORDER BY a.intake_year DESC, a.semester, a.study_group, a.line_code LIMIT 2000"
    );
    sqlx::query(&sql)
        .bind(&q.institution_id)
        .bind(q.teacher_id.as_deref().unwrap_or(""))
        .bind(q.study_group.as_deref().unwrap_or(""))
        .bind(q.programme_id.as_deref().unwrap_or(""))
        .fetch_all(c)
        .await?
        .iter()
        .map(assignment_from)
        .collect()
}

// ---------------------------------------------------------------------------------
// Sheets.

/// The sheet's own row (without the assignment, entries and corrections).
#[derive(Debug, Clone)]
pub struct SheetRow {
    pub id: String,
    pub assignment_id: String,
    pub institution_id: String,
    pub teacher_id: String,
    pub kind: SheetKind,
    pub as_of: String,
    pub state: SheetState,
    pub version: i64,
    pub created_at: i64,
    pub created_by: String,
    pub submitted_at: i64,
    pub submitted_by: String,
    pub closed_at: i64,
    pub closed_by: String,
    pub returned_note: String,
    pub digest: String,
}

const SHEET_COLUMNS: &str = "s.id, s.assignment_id, s.institution_id, s.teacher_id, s.kind, s.as_of, s.state, \
     s.version, s.created_at, s.created_by, s.submitted_at, s.submitted_by, s.closed_at, s.closed_by, \
     s.returned_note, s.digest";

fn sheet_from(r: &AnyRow) -> Result<SheetRow, sqlx::Error> {
    let (kind, state): (String, String) = (r.try_get("kind")?, r.try_get("state")?);
    Ok(SheetRow {
        id: r.try_get("id")?,
        assignment_id: r.try_get("assignment_id")?,
        institution_id: r.try_get("institution_id")?,
        teacher_id: r.try_get("teacher_id")?,
        kind: SheetKind::parse(&kind).ok_or_else(|| bad("sheet kind", &kind))?,
        as_of: r.try_get("as_of")?,
        state: SheetState::parse(&state).ok_or_else(|| bad("sheet state", &state))?,
        version: r.try_get("version")?,
        created_at: r.try_get("created_at")?,
        created_by: r.try_get("created_by")?,
        submitted_at: r.try_get("submitted_at")?,
        submitted_by: r.try_get("submitted_by")?,
        closed_at: r.try_get("closed_at")?,
        closed_by: r.try_get("closed_by")?,
        returned_note: r.try_get("returned_note")?,
        digest: r.try_get("digest")?,
    })
}

pub async fn sheet_insert(tx: &mut WriteTx, s: &SheetRow) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "INSERT INTO sheet (id, assignment_id, institution_id, teacher_id, kind, as_of, state, version, created_at, \
         created_by, submitted_at, submitted_by, closed_at, closed_by, returned_note, digest, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'draft', 1, $7, $8, 0, '', 0, '', '', '', $7) ON CONFLICT DO NOTHING",
    )
    .bind(&s.id)
    .bind(&s.assignment_id)
    .bind(&s.institution_id)
    .bind(&s.teacher_id)
    .bind(s.kind.as_str())
    .bind(&s.as_of)
    .bind(s.created_at)
    .bind(&s.created_by)
    .execute(tx.conn())
    .await?
    .rows_affected()
        == 1)
}

pub async fn sheet_get(c: &mut Conn, id: &str) -> Result<Option<SheetRow>, sqlx::Error> {
    sqlx::query(&format!("SELECT {SHEET_COLUMNS} FROM sheet s WHERE s.id = $1"))
        .bind(id)
        .fetch_optional(c)
        .await?
        .map(|r| sheet_from(&r))
        .transpose()
}

/// The regular sheet of an assignment, if opened.
pub async fn regular_sheet_of(c: &mut Conn, assignment_id: &str) -> Result<Option<SheetRow>, sqlx::Error> {
    sqlx::query(&format!("SELECT {SHEET_COLUMNS} FROM sheet s WHERE s.assignment_id = $1 AND s.kind = 'regular'"))
        .bind(assignment_id)
        .fetch_optional(c)
        .await?
        .map(|r| sheet_from(&r))
        .transpose()
}

pub async fn sheets_of_assignment(c: &mut Conn, assignment_id: &str) -> Result<Vec<SheetRow>, sqlx::Error> {
    sqlx::query(&format!("SELECT {SHEET_COLUMNS} FROM sheet s WHERE s.assignment_id = $1 ORDER BY s.created_at"))
        .bind(assignment_id)
        .fetch_all(c)
        .await?
        .iter()
        .map(sheet_from)
        .collect()
}

/// Moves a sheet to its next state if it is still at `from_version`.
pub async fn sheet_update(tx: &mut WriteTx, s: &SheetRow, from_version: i64, now: i64) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE sheet SET state = $2, version = $3, submitted_at = $4, submitted_by = $5, closed_at = $6, \
         closed_by = $7, returned_note = $8, digest = $9, updated_at = $10 WHERE id = $1 AND version = $11",
    )
    .bind(&s.id)
    .bind(s.state.as_str())
    .bind(s.version)
    .bind(s.submitted_at)
    .bind(&s.submitted_by)
    .bind(s.closed_at)
    .bind(&s.closed_by)
    .bind(&s.returned_note)
    .bind(&s.digest)
    .bind(now)
    .bind(from_version)
    .execute(tx.conn())
    .await?
    .rows_affected()
        == 1)
}

/// The students of `group` in `programme` enrolled (active) on `date`, by name.
pub async fn roster_at(
    c: &mut Conn,
    programme_id: &str,
    group: &str,
    date: &str,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    Ok(sqlx::query(
        "SELECT e.id, e.person_id FROM enrolment_span sp JOIN enrolment e ON e.id = sp.enrolment_id \
         JOIN person p ON p.id = e.person_id \
         WHERE sp.programme_id = $1 AND sp.study_group = $2 AND sp.status = 'active' AND sp.from_date <= $3 \
         AND (sp.to_date IS NULL OR sp.to_date > $3) ORDER BY p.family, p.given, p.patronymic, e.id",
    )
    .bind(programme_id)
    .bind(group)
    .bind(date)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect())
}

pub async fn entry_insert(
    tx: &mut WriteTx,
    sheet_id: &str,
    enrolment_id: &str,
    position: i32,
    actor: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sheet_entry (sheet_id, enrolment_id, position, score, absent, attendance, updated_at, updated_by) \
         VALUES ($1, $2, $3, NULL, 0, NULL, $4, $5)",
    )
    .bind(sheet_id)
    .bind(enrolment_id)
    .bind(i64::from(position))
    .bind(now)
    .bind(actor)
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn entry_set(
    tx: &mut WriteTx,
    sheet_id: &str,
    enrolment_id: &str,
    v: &EntryValue,
    actor: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE sheet_entry SET score = $3, absent = $4, attendance = $5, updated_at = $6, updated_by = $7 \
         WHERE sheet_id = $1 AND enrolment_id = $2",
    )
    .bind(sheet_id)
    .bind(enrolment_id)
    .bind(v.score.map(i64::from))
    .bind(flag(v.absent))
    .bind(v.attendance.map(i64::from))
    .bind(now)
    .bind(actor)
    .execute(tx.conn())
    .await?
    .rows_affected()
        == 1)
}

/// A sheet's entries as stored, in order: (enrolment, person, name, ticket, position, value).
pub async fn entries(
    c: &mut Conn,
    sheet_id: &str,
) -> Result<Vec<(String, String, PersonName, String, i32, EntryValue)>, sqlx::Error> {
    sqlx::query(
        "SELECT se.enrolment_id, e.person_id, p.family, p.given, p.patronymic, e.student_ticket, se.position, \
         se.score, se.absent, se.attendance FROM sheet_entry se JOIN enrolment e ON e.id = se.enrolment_id \
         JOIN person p ON p.id = e.person_id WHERE se.sheet_id = $1 ORDER BY se.position",
    )
    .bind(sheet_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok((
            r.try_get("enrolment_id")?,
            r.try_get("person_id")?,
            name(r, "")?,
            r.try_get("student_ticket")?,
            r.try_get::<i64, _>("position")? as i32,
            value_from(r)?,
        ))
    })
    .collect()
}

fn value_from(r: &AnyRow) -> Result<EntryValue, sqlx::Error> {
    Ok(EntryValue {
        score: r.try_get::<Option<i64>, _>("score")?.map(|v| v as i32),
        absent: r.try_get::<i64, _>("absent")? != 0,
        attendance: r.try_get::<Option<i64>, _>("attendance")?.map(|v| v as i32),
    })
}

/// Summaries of sheets: students, graded, flagged (scores without attendance), pending corrections.
pub async fn sheet_summaries(c: &mut Conn, q: &SheetQuery) -> Result<Vec<(SheetRow, [i32; 4])>, sqlx::Error> {
    let sql = format!(
        "SELECT {SHEET_COLUMNS}, \
         (SELECT COUNT(*) FROM sheet_entry se WHERE se.sheet_id = s.id) AS students, \
         (SELECT COUNT(*) FROM sheet_entry se WHERE se.sheet_id = s.id AND (se.score IS NOT NULL OR se.absent = 1)) AS graded, \
         (SELECT COUNT(*) FROM sheet_entry se WHERE se.sheet_id = s.id AND se.score IS NOT NULL \
            AND (se.attendance IS NULL OR se.attendance = 0)) AS flagged, \
         (SELECT COUNT(*) FROM grade_correction gc WHERE gc.sheet_id = s.id AND gc.state = 'pending') AS pending \
         FROM sheet s WHERE s.institution_id = $1 AND ($2 = '' OR s.teacher_id = $2) AND ($3 = '' OR s.state = $3) \
         AND ($4 = '' OR s.assignment_id = $4) ORDER BY s.updated_at DESC, s.id LIMIT $5"
    );
    sqlx::query(&sql)
        .bind(&q.institution_id)
        .bind(q.teacher_id.as_deref().unwrap_or(""))
        .bind(q.state.map(|s| s.as_str()).unwrap_or(""))
        .bind(q.assignment_id.as_deref().unwrap_or(""))
        .bind(i64::from(q.limit.clamp(1, 500)))
        .fetch_all(c)
        .await?
        .iter()
        .map(|r| {
            let n = |c: &str| r.try_get::<i64, _>(c).map(|v| v as i32);
            Ok((sheet_from(r)?, [n("students")?, n("graded")?, n("flagged")?, n("pending")?]))
        })
        .collect()
}

// ---------------------------------------------------------------------------------
// Corrections.

const CORRECTION_COLUMNS: &str = "id, sheet_id, enrolment_id, before_value, after_value, reason, requested_by, \
     requested_at, state, decided_by, decided_at, note";

fn correction_from(r: &AnyRow) -> Result<Correction, sqlx::Error> {
    let state: String = r.try_get("state")?;
    let value = |c: &str| -> Result<EntryValue, sqlx::Error> {
        let text: String = r.try_get(c)?;
        serde_json::from_str(&text).map_err(|e| sqlx::Error::Decode(Box::new(e)))
    };
    Ok(Correction {
        id: r.try_get("id")?,
        sheet_id: r.try_get("sheet_id")?,
        enrolment_id: r.try_get("enrolment_id")?,
        before: value("before_value")?,
        after: value("after_value")?,
        reason: r.try_get("reason")?,
        requested_by: r.try_get("requested_by")?,
        requested_at_ms: r.try_get("requested_at")?,
        state: CorrectionState::parse(&state).ok_or_else(|| bad("correction state", &state))?,
        decided_by: r.try_get("decided_by")?,
        decided_at_ms: r.try_get("decided_at")?,
        note: r.try_get("note")?,
    })
}

pub async fn correction_insert(tx: &mut WriteTx, c: &Correction) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "INSERT INTO grade_correction (id, sheet_id, enrolment_id, before_value, after_value, reason, requested_by, \
         requested_at, state, decided_by, decided_at, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', '', 0, '') \
         ON CONFLICT DO NOTHING",
    )
    .bind(&c.id)
    .bind(&c.sheet_id)
    .bind(&c.enrolment_id)
    .bind(serde_json::to_string(&c.before).unwrap_or_default())
    .bind(serde_json::to_string(&c.after).unwrap_or_default())
    .bind(&c.reason)
    .bind(&c.requested_by)
    .bind(c.requested_at_ms)
    .execute(tx.conn())
    .await?
    .rows_affected()
        == 1)
}

pub async fn correction_get(c: &mut Conn, id: &str) -> Result<Option<Correction>, sqlx::Error> {
    sqlx::query(&format!("SELECT {CORRECTION_COLUMNS} FROM grade_correction WHERE id = $1"))
        .bind(id)
        .fetch_optional(c)
        .await?
        .map(|r| correction_from(&r))
        .transpose()
}

pub async fn corrections_of(c: &mut Conn, sheet_id: &str) -> Result<Vec<Correction>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT {CORRECTION_COLUMNS} FROM grade_correction WHERE sheet_id = $1 ORDER BY requested_at, id"
    ))
    .bind(sheet_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(correction_from)
    .collect()
}

pub async fn correction_decide(
    tx: &mut WriteTx,
    id: &str,
    state: CorrectionState,
    by: &str,
    at: i64,
    note: &str,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE grade_correction SET state = $2, decided_by = $3, decided_at = $4, note = $5 \
         WHERE id = $1 AND state = 'pending'",
    )
    .bind(id)
    .bind(state.as_str())
    .bind(by)
    .bind(at)
    .bind(note)
    .execute(tx.conn())
    .await?
    .rows_affected()
        == 1)
}

// ---------------------------------------------------------------------------------
// Results in force, GPA, scale.

/// Sets the result in force of a student in a course (the sheet closed last wins).
#[allow(clippy::too_many_arguments)]
pub async fn grade_put(
    tx: &mut WriteTx,
    a: &Assignment,
    enrolment_id: &str,
    sheet_id: &str,
    v: &EntryValue,
    corrected: bool,
    closed_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO grade (enrolment_id, line_code, semester, institution_id, assignment_id, sheet_id, score, absent, \
         attendance, corrected, closed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (enrolment_id, line_code, semester) DO UPDATE SET assignment_id = excluded.assignment_id, \
         sheet_id = excluded.sheet_id, score = excluded.score, absent = excluded.absent, \
         attendance = excluded.attendance, corrected = excluded.corrected, closed_at = excluded.closed_at \
         WHERE grade.closed_at <= excluded.closed_at",
    )
    .bind(enrolment_id)
    .bind(&a.line_code)
    .bind(i64::from(a.semester))
    .bind(&a.institution_id)
    .bind(&a.id)
    .bind(sheet_id)
    .bind(v.score.map(i64::from))
    .bind(flag(v.absent))
    .bind(v.attendance.map(i64::from))
    .bind(flag(corrected))
    .bind(closed_at)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// A row of `grade` with its course: (line, sheet id, value, corrected, closed at, assignment).
pub type GradeRow = (TranscriptLine, String);

/// The results in force of an enrolment (optionally of one semester), by semester and code.
pub async fn grades_of(c: &mut Conn, enrolment_id: &str, semester: Option<i32>) -> Result<Vec<GradeRow>, sqlx::Error> {
    sqlx::query(
        "SELECT g.semester, g.line_code, a.course_ky, a.course_ru, a.course_en, a.credits_tenths, a.assessment, \
         g.score, g.absent, g.attendance, g.sheet_id, g.closed_at, g.corrected, g.assignment_id \
         FROM grade g JOIN assignment a ON a.id = g.assignment_id WHERE g.enrolment_id = $1 \
         AND ($2 = 0 OR g.semester = $2) ORDER BY g.semester, g.line_code",
    )
    .bind(enrolment_id)
    .bind(i64::from(semester.unwrap_or(0)))
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok((
            TranscriptLine {
                semester: r.try_get::<i64, _>("semester")? as i32,
                line_code: r.try_get("line_code")?,
                course: Localized {
                    ky: r.try_get("course_ky")?,
                    ru: r.try_get("course_ru")?,
                    en: r.try_get("course_en")?,
                },
                credits_tenths: r.try_get::<i64, _>("credits_tenths")? as i32,
                assessment: r.try_get("assessment")?,
                value: value_from(r)?,
                grade: None,
                sheet_id: r.try_get("sheet_id")?,
                closed_at_ms: r.try_get("closed_at")?,
                corrected: r.try_get::<i64, _>("corrected")? != 0,
                in_gpa: false,
            },
            r.try_get("assignment_id")?,
        ))
    })
    .collect()
}

pub async fn gpa_put(
    tx: &mut WriteTx,
    e: &Enrolment,
    gpa: Option<i32>,
    earned: i32,
    attempted: i32,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO enrolment_gpa (enrolment_id, institution_id, programme_id, gpa, credits_earned_tenths, \
         credits_attempted_tenths, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (enrolment_id) DO UPDATE SET gpa = excluded.gpa, \
         credits_earned_tenths = excluded.credits_earned_tenths, \
         credits_attempted_tenths = excluded.credits_attempted_tenths, updated_at = excluded.updated_at",
    )
    .bind(&e.id)
    .bind(&e.institution_id)
    .bind(&e.programme_id)
    .bind(gpa.map(i64::from))
    .bind(i64::from(earned))
    .bind(i64::from(attempted))
    .bind(now)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Students of an institution by GPA, best first (students studying now only).
pub async fn ranking(c: &mut Conn, q: &RankQuery) -> Result<(Vec<RankRow>, u64), sqlx::Error> {
    let per = i64::from(q.per_page.clamp(1, 200));
    let offset = (i64::from(q.page.max(1)) - 1) * per;
    // The GPA rows carry their enrolment's status (kept by triggers): the page is read off
    // the ranking index, and only its students are looked up.
    let programme = q.programme_id.as_deref().unwrap_or("");
    let filter = if programme.is_empty() {
        "g.institution_id = $1 AND g.status = 'active' AND g.gpa IS NOT NULL AND $2 = ''"
    } else {
        "g.institution_id = $1 AND g.programme_id = $2 AND g.status = 'active' AND g.gpa IS NOT NULL"
    };
    let total: i64 = sqlx::query(&format!("SELECT COUNT(*) FROM enrolment_gpa g WHERE {filter}"))
        .bind(&q.institution_id)
        .bind(programme)
        .fetch_one(&mut *c)
        .await?
        .get(0);
    let rows = sqlx::query(&format!(
        "SELECT g.enrolment_id, e.person_id, p.family, p.given, p.patronymic, g.programme_id, e.study_group, g.gpa, \
         g.credits_earned_tenths FROM \
         (SELECT g.enrolment_id, g.programme_id, g.gpa, g.credits_earned_tenths FROM enrolment_gpa g WHERE {filter} \
          ORDER BY g.gpa DESC, g.credits_earned_tenths DESC, g.enrolment_id LIMIT $3 OFFSET $4) g \
         JOIN enrolment e ON e.id = g.enrolment_id JOIN person p ON p.id = e.person_id \
         ORDER BY g.gpa DESC, g.credits_earned_tenths DESC, g.enrolment_id"
    ))
    .bind(&q.institution_id)
    .bind(programme)
    .bind(per)
    .bind(offset)
    .fetch_all(&mut *c)
    .await?;
    let items = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            Ok(RankRow {
                rank: (offset + i as i64 + 1) as u64,
                enrolment_id: r.try_get("enrolment_id")?,
                person_id: r.try_get("person_id")?,
                name: name(r, "")?,
                programme_id: r.try_get("programme_id")?,
                study_group: r.try_get("study_group")?,
                gpa: r.try_get::<i64, _>("gpa")? as i32,
                credits_earned_tenths: r.try_get::<i64, _>("credits_earned_tenths")? as i32,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok((items, total as u64))
}

pub async fn scale_get(c: &mut Conn, institution_id: &str) -> Result<Scale, sqlx::Error> {
    let row = sqlx::query("SELECT scale FROM grade_scale WHERE institution_id = $1")
        .bind(institution_id)
        .fetch_optional(c)
        .await?;
    match row {
        Some(r) => {
            let text: String = r.get(0);
            serde_json::from_str(&text).map_err(|e| sqlx::Error::Decode(Box::new(e)))
        }
        None => Ok(Scale::default()),
    }
}

pub async fn scale_put(
    tx: &mut WriteTx,
    institution_id: &str,
    s: &Scale,
    by: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO grade_scale (institution_id, scale, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (institution_id) DO UPDATE SET scale = excluded.scale, updated_at = excluded.updated_at, \
         updated_by = excluded.updated_by",
    )
    .bind(institution_id)
    .bind(serde_json::to_string(s).unwrap_or_default())
    .bind(now)
    .bind(by)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Every entry of an institution's sheets, for the log check: (sheet, enrolment, value).
pub async fn all_entries(c: &mut Conn, institution_id: &str) -> Result<Vec<(String, String, EntryValue)>, sqlx::Error> {
    sqlx::query(
        "SELECT se.sheet_id, se.enrolment_id, se.score, se.absent, se.attendance FROM sheet_entry se \
         JOIN sheet s ON s.id = se.sheet_id WHERE s.institution_id = $1",
    )
    .bind(institution_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("sheet_id")?, r.try_get("enrolment_id")?, value_from(r)?)))
    .collect()
}

/// Every result in force of an institution: (enrolment, line, semester, sheet, value).
pub async fn all_grades(
    c: &mut Conn,
    institution_id: &str,
) -> Result<Vec<(String, String, i32, String, EntryValue)>, sqlx::Error> {
    sqlx::query(
        "SELECT enrolment_id, line_code, semester, sheet_id, score, absent, attendance FROM grade \
         WHERE institution_id = $1",
    )
    .bind(institution_id)
    .fetch_all(c)
    .await?
    .iter()
    .map(|r| {
        Ok((
            r.try_get("enrolment_id")?,
            r.try_get("line_code")?,
            r.try_get::<i64, _>("semester")? as i32,
            r.try_get("sheet_id")?,
            value_from(r)?,
        ))
    })
    .collect()
}

/// Closed sheets of an institution: (id, digest).
pub async fn closed_sheets(c: &mut Conn, institution_id: &str) -> Result<Vec<(String, String)>, sqlx::Error> {
    Ok(sqlx::query("SELECT id, digest FROM sheet WHERE institution_id = $1 AND state = 'closed'")
        .bind(institution_id)
        .fetch_all(c)
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect())
}

//! Records SQL: one portable text per query (SQLite and PostgreSQL).

use edu24_shared::db::{Db, WriteTx};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::domain::*;

pub(crate) fn bad(what: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("unknown {what} {value:?} in records database").into())
}

pub(crate) fn name(r: &AnyRow, prefix: &str) -> Result<PersonName, sqlx::Error> {
    let col = |c: &str| if prefix.is_empty() { c.to_owned() } else { format!("{prefix}_{c}") };
    Ok(PersonName {
        family: r.try_get(col("family").as_str())?,
        given: r.try_get(col("given").as_str())?,
        patronymic: r.try_get(col("patronymic").as_str())?,
    })
}

/// The key two records of one person share: family and given names, lower case.
pub fn name_key(n: &PersonName) -> String {
    edu24_shared::people::name_key(&format!("{} {}", n.family, n.given))
}

const PERSON_COLUMNS: &str = "id, pin, pin_exception, family, given, patronymic, latin_family, latin_given, \
     latin_patronymic, birth_date, sex, citizenship, merged_into, created_at, created_by, version";

fn person_from(r: &AnyRow) -> Result<Person, sqlx::Error> {
    let sex: String = r.try_get("sex")?;
    Ok(Person {
        id: r.try_get("id")?,
        pin: r.try_get("pin")?,
        pin_exception: r.try_get("pin_exception")?,
        name: name(r, "")?,
        latin: name(r, "latin")?,
        birth_date: r.try_get("birth_date")?,
        sex: Sex::parse(&sex).ok_or_else(|| bad("sex", &sex))?,
        citizenship: r.try_get("citizenship")?,
        merged_into: r.try_get("merged_into")?,
        created_at_ms: r.try_get("created_at")?,
        created_by: r.try_get("created_by")?,
        version: r.try_get("version")?,
    })
}

pub async fn person_insert(tx: &mut WriteTx, p: &Person, created_for: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO person (id, pin, pin_exception, family, given, patronymic, latin_family, latin_given, \
         latin_patronymic, name_key, birth_date, sex, citizenship, merged_into, created_for, created_at, created_by, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, NULL, $14, $15, $16, 1)",
    )
    .bind(&p.id)
    .bind(p.pin.as_deref())
    .bind(&p.pin_exception)
    .bind(&p.name.family)
    .bind(&p.name.given)
    .bind(&p.name.patronymic)
    .bind(&p.latin.family)
    .bind(&p.latin.given)
    .bind(&p.latin.patronymic)
    .bind(name_key(&p.name))
    .bind(&p.birth_date)
    .bind(p.sex.as_str())
    .bind(&p.citizenship)
    .bind(created_for)
    .bind(p.created_at_ms)
    .bind(&p.created_by)
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn person_by_pin(tx: &mut WriteTx, pin: &str) -> Result<Option<Person>, sqlx::Error> {
    sqlx::query(&format!("SELECT {PERSON_COLUMNS} FROM person WHERE pin = $1"))
        .bind(pin)
        .fetch_optional(tx.conn())
        .await?
        .map(|r| person_from(&r))
        .transpose()
}

/// Persons with the same names and birth date (possible duplicates), not merged away.
pub async fn persons_alike(tx: &mut WriteTx, n: &PersonName, birth_date: &str) -> Result<Vec<Person>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT {PERSON_COLUMNS} FROM person WHERE name_key = $1 AND birth_date = $2 AND merged_into IS NULL ORDER BY id"
    ))
    .bind(name_key(n))
    .bind(birth_date)
    .fetch_all(tx.conn())
    .await?
    .iter()
    .map(person_from)
    .collect()
}

pub async fn person_get(db: &Db, id: &str) -> Result<Option<Person>, sqlx::Error> {
    sqlx::query(&format!("SELECT {PERSON_COLUMNS} FROM person WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?
        .map(|r| person_from(&r))
        .transpose()
}

/// The institutions a person belongs to: where they have (had) an enrolment, and the one
/// that recorded them.
pub async fn person_institutions(db: &Db, id: &str) -> Result<Vec<String>, sqlx::Error> {
    let mut out: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT institution_id FROM enrolment WHERE person_id = $1 \
         UNION SELECT created_for FROM person WHERE id = $1",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await?;
    out.sort();
    out.dedup();
    Ok(out)
}

/// Persons by PIN (exact) or by family name and given name (prefix), among those of
/// `institution_id` (`None`: anywhere).
pub async fn persons_find(
    db: &Db,
    institution_id: Option<&str>,
    query: &str,
    limit: u32,
) -> Result<Vec<Person>, sqlx::Error> {
    let q = query.trim();
    let key = edu24_shared::people::name_key(q);
    let (pin, prefix) = if q.len() == 14 && q.bytes().all(|b| b.is_ascii_digit()) {
        // Names never hold `#`: a PIN search matches no name.
        (q.to_owned(), "#".to_owned())
    } else {
        (String::new(), format!("{}%", key.replace(['%', '_'], "")))
    };
    let scope = match institution_id {
        Some(_) => {
            " AND (p.created_for = $3 OR EXISTS (SELECT 1 FROM enrolment e WHERE e.person_id = p.id AND e.institution_id = $3))"
        }
        None => " AND $3 = $3",
    };
    sqlx::query(&format!(
        "SELECT {} FROM person p WHERE p.merged_into IS NULL AND (p.pin = $1 OR p.name_key LIKE $2){scope} \
         ORDER BY p.name_key, p.birth_date, p.id LIMIT $4",
        PERSON_COLUMNS.split(", ").map(|c| format!("p.{c}")).collect::<Vec<_>>().join(", ")
    ))
    .bind(pin)
    .bind(prefix)
    .bind(institution_id.unwrap_or(""))
    .bind(i64::from(limit))
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(person_from)
    .collect()
}

/// Marks `merge_id` as merged into `keep_id` and moves its enrolments. False when it was
/// merged already.
pub async fn person_merge(tx: &mut WriteTx, keep_id: &str, merge_id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let moved =
        sqlx::query("UPDATE person SET merged_into = $2, version = version + 1 WHERE id = $1 AND merged_into IS NULL")
            .bind(merge_id)
            .bind(keep_id)
            .execute(tx.conn())
            .await?
            .rows_affected();
    if moved == 0 {
        return Ok(false);
    }
    sqlx::query("UPDATE enrolment SET person_id = $1, version = version + 1, updated_at = $3 WHERE person_id = $2")
        .bind(keep_id)
        .bind(merge_id)
        .bind(now)
        .execute(tx.conn())
        .await?;
    Ok(true)
}

pub(crate) const ENROLMENT_COLUMNS: &str = "id, person_id, institution_id, programme_id, specialty_code, level, form, intake_year, \
     study_group, funding, status, student_ticket, licence_id, version, since";

pub(crate) fn enrolment_from(r: &AnyRow) -> Result<Enrolment, sqlx::Error> {
    let (level, funding, status): (String, String, String) =
        (r.try_get("level")?, r.try_get("funding")?, r.try_get("status")?);
    Ok(Enrolment {
        id: r.try_get("id")?,
        person_id: r.try_get("person_id")?,
        institution_id: r.try_get("institution_id")?,
        programme_id: r.try_get("programme_id")?,
        specialty_code: r.try_get("specialty_code")?,
        level: Level::parse(&level).ok_or_else(|| bad("level", &level))?,
        form: r.try_get("form")?,
        intake_year: r.try_get::<i64, _>("intake_year")? as i32,
        study_group: r.try_get("study_group")?,
        funding: Funding::parse(&funding).ok_or_else(|| bad("funding", &funding))?,
        status: EnrolmentStatus::parse(&status).ok_or_else(|| bad("status", &status))?,
        student_ticket: r.try_get("student_ticket")?,
        licence_id: r.try_get("licence_id")?,
        version: r.try_get("version")?,
        since: r.try_get("since")?,
    })
}

pub async fn enrolment_insert(tx: &mut WriteTx, e: &Enrolment, hold_id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO enrolment (id, person_id, institution_id, programme_id, specialty_code, level, form, intake_year, \
         study_group, funding, status, student_ticket, licence_id, hold_id, version, since, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)",
    )
    .bind(&e.id)
    .bind(&e.person_id)
    .bind(&e.institution_id)
    .bind(&e.programme_id)
    .bind(&e.specialty_code)
    .bind(e.level.as_str())
    .bind(&e.form)
    .bind(i64::from(e.intake_year))
    .bind(&e.study_group)
    .bind(e.funding.as_str())
    .bind(e.status.as_str())
    .bind(&e.student_ticket)
    .bind(&e.licence_id)
    .bind(hold_id)
    .bind(e.version)
    .bind(&e.since)
    .bind(now)
    .execute(tx.conn())
    .await?;
    span_open(tx, e).await
}

/// Ends the enrolment's open span on `e.since` and opens one in its new group and status
/// (two orders effective the same day: the later one's span replaces the earlier one's).
async fn span_open(tx: &mut WriteTx, e: &Enrolment) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE enrolment_span SET to_date = $2 WHERE enrolment_id = $1 AND to_date IS NULL AND from_date < $2",
    )
    .bind(&e.id)
    .bind(&e.since)
    .execute(tx.conn())
    .await?;
    sqlx::query(
        "INSERT INTO enrolment_span (enrolment_id, from_date, to_date, study_group, status, programme_id, institution_id) \
         VALUES ($1, $2, NULL, $3, $4, $5, $6) ON CONFLICT (enrolment_id, from_date) DO UPDATE SET \
         to_date = NULL, study_group = excluded.study_group, status = excluded.status",
    )
    .bind(&e.id)
    .bind(&e.since)
    .bind(&e.study_group)
    .bind(e.status.as_str())
    .bind(&e.programme_id)
    .bind(&e.institution_id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn enrolment_get(db: &Db, id: &str) -> Result<Option<Enrolment>, sqlx::Error> {
    sqlx::query(&format!("SELECT {ENROLMENT_COLUMNS} FROM enrolment WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?
        .map(|r| enrolment_from(&r))
        .transpose()
}

/// Writes the enrolment's new state if it is still at `from_version` (true), else false.
pub async fn enrolment_update(
    tx: &mut WriteTx,
    e: &Enrolment,
    from_version: i64,
    hold_id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query(
        "UPDATE enrolment SET study_group = $2, funding = $3, status = $4, version = $5, since = $6, updated_at = $7, \
         hold_id = $8 WHERE id = $1 AND version = $9",
    )
    .bind(&e.id)
    .bind(&e.study_group)
    .bind(e.funding.as_str())
    .bind(e.status.as_str())
    .bind(e.version)
    .bind(&e.since)
    .bind(now)
    .bind(hold_id)
    .bind(from_version)
    .execute(tx.conn())
    .await?
    .rows_affected()
        == 1;
    if updated {
        span_open(tx, e).await?;
    }
    Ok(updated)
}

pub async fn enrolments_of(db: &Db, person_id: &str) -> Result<Vec<Enrolment>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT {ENROLMENT_COLUMNS} FROM enrolment WHERE person_id = $1 ORDER BY intake_year DESC, id"
    ))
    .bind(person_id)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(enrolment_from)
    .collect()
}

/// Whether a student ticket is taken at an institution.
pub async fn ticket_taken(tx: &mut WriteTx, institution_id: &str, ticket: &str) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "SELECT 1 FROM enrolment WHERE institution_id = $1 AND student_ticket = $2 AND status IN ('active', 'academic_leave')",
    )
        .bind(institution_id)
        .bind(ticket)
        .fetch_optional(tx.conn())
        .await?
        .is_some())
}

/// Whether the person already studies in the programme.
pub async fn current_in(tx: &mut WriteTx, person_id: &str, programme_id: &str) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "SELECT 1 FROM enrolment WHERE person_id = $1 AND programme_id = $2 AND status IN ('active', 'academic_leave')",
    )
    .bind(person_id)
    .bind(programme_id)
    .fetch_optional(tx.conn())
    .await?
    .is_some())
}

pub async fn order_insert(tx: &mut WriteTx, o: &Order) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO student_order (id, enrolment_id, person_id, institution_id, kind, number, signed_on, effective_on, \
         signatory, reason, detail, status_after, recorded_at, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(&o.id)
    .bind(&o.enrolment_id)
    .bind(&o.person_id)
    .bind(&o.institution_id)
    .bind(o.kind.as_str())
    .bind(&o.number)
    .bind(&o.signed_on)
    .bind(&o.effective_on)
    .bind(&o.signatory)
    .bind(&o.reason)
    .bind(&o.detail)
    .bind(o.status_after.as_str())
    .bind(o.recorded_at_ms)
    .bind(&o.recorded_by)
    .execute(tx.conn())
    .await?;
    Ok(())
}

fn order_from(r: &AnyRow) -> Result<Order, sqlx::Error> {
    let (kind, status): (String, String) = (r.try_get("kind")?, r.try_get("status_after")?);
    Ok(Order {
        id: r.try_get("id")?,
        enrolment_id: r.try_get("enrolment_id")?,
        person_id: r.try_get("person_id")?,
        institution_id: r.try_get("institution_id")?,
        kind: OrderKind::parse(&kind).ok_or_else(|| bad("order kind", &kind))?,
        number: r.try_get("number")?,
        signed_on: r.try_get("signed_on")?,
        effective_on: r.try_get("effective_on")?,
        signatory: r.try_get("signatory")?,
        reason: r.try_get("reason")?,
        detail: r.try_get("detail")?,
        recorded_at_ms: r.try_get("recorded_at")?,
        recorded_by: r.try_get("recorded_by")?,
        status_after: EnrolmentStatus::parse(&status).ok_or_else(|| bad("status", &status))?,
    })
}

/// The orders of a person's enrolments (also those recorded before a merge), oldest first.
pub async fn orders_of(db: &Db, person_id: &str) -> Result<Vec<Order>, sqlx::Error> {
    sqlx::query(
        "SELECT id, enrolment_id, person_id, institution_id, kind, number, signed_on, effective_on, signatory, reason, \
         detail, status_after, recorded_at, recorded_by FROM student_order \
         WHERE enrolment_id IN (SELECT id FROM enrolment WHERE person_id = $1) ORDER BY recorded_at, id",
    )
    .bind(person_id)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(order_from)
    .collect()
}

/// What a request did the first time (JSON), if it was made before.
pub async fn request_get(tx: &mut WriteTx, request_id: &str) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query("SELECT institution_id, result FROM order_request WHERE request_id = $1")
        .bind(request_id)
        .fetch_optional(tx.conn())
        .await?
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .transpose()
}

pub async fn request_put(
    tx: &mut WriteTx,
    request_id: &str,
    institution_id: &str,
    result: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO order_request (request_id, institution_id, result, created_at) VALUES ($1, $2, $3, $4)")
        .bind(request_id)
        .bind(institution_id)
        .bind(result)
        .bind(now)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// An institution's students, newest intake first, then by name.
pub async fn students(db: &Db, q: &StudentQuery) -> Result<(Vec<StudentRow>, u64), sqlx::Error> {
    let text = q.query.trim();
    let key = edu24_shared::people::name_key(text);
    let exact = text.to_owned();
    let prefix = format!("{}%", key.replace(['%', '_'], ""));
    // The enrolment alone decides what is listed and in which order (its index), and only
    // the page's persons are read.
    let mut filter = String::from(
        "e.institution_id = $1 AND ($2 = '' OR e.programme_id = $2) AND ($3 = '' OR e.study_group = $3) \
         AND ($4 = '' OR e.status = $4)",
    );
    let searching = !text.is_empty();
    if searching {
        filter.push_str(
            " AND (e.name_key LIKE $5 OR e.student_ticket = $6 \
             OR e.person_id IN (SELECT id FROM person WHERE pin = $6))",
        );
    }
    let (limit, offset_param) = if searching { ("$7", "$8") } else { ("$5", "$6") };
    let programme = q.programme_id.clone().unwrap_or_default();
    let group = q.study_group.clone().unwrap_or_default();
    let status = q.status.map(|s| s.as_str().to_owned()).unwrap_or_default();
    let count_sql = format!("SELECT COUNT(*) FROM enrolment e WHERE {filter}");
    let mut count = sqlx::query(&count_sql).bind(&q.institution_id).bind(&programme).bind(&group).bind(&status);
    if searching {
        count = count.bind(&prefix).bind(&exact);
    }
    let total: i64 = count.fetch_one(db.pool()).await?.try_get(0)?;
    let per_page = q.per_page.clamp(1, MAX_PER_PAGE);
    let offset = i64::from(q.page.max(1) - 1) * i64::from(per_page);
    let cols = ENROLMENT_COLUMNS.split(", ").map(|c| format!("e.{c}")).collect::<Vec<_>>().join(", ");
    let list_sql = format!(
        "SELECT {cols}, p.family, p.given, p.patronymic, p.pin FROM \
         (SELECT e.id FROM enrolment e WHERE {filter} ORDER BY e.intake_year DESC, e.name_key, e.id \
          LIMIT {limit} OFFSET {offset_param}) k \
         JOIN enrolment e ON e.id = k.id JOIN person p ON p.id = e.person_id \
         ORDER BY e.intake_year DESC, e.name_key, e.id"
    );
    let mut list = sqlx::query(&list_sql).bind(&q.institution_id).bind(&programme).bind(&group).bind(&status);
    if searching {
        list = list.bind(&prefix).bind(&exact);
    }
    let rows = list.bind(i64::from(per_page)).bind(offset).fetch_all(db.pool()).await?;
    let items = rows
        .iter()
        .map(|r| {
            Ok(StudentRow {
                enrolment: enrolment_from(r)?,
                name: name(r, "")?,
                pin: r.try_get::<Option<String>, _>("pin")?.unwrap_or_default(),
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok((items, total as u64))
}

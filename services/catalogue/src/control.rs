//! Real-time licence control: per licence, how many students are enrolled against it
//! (from records' enrolment events) and how many places are held for enrolments in
//! progress. A hold is granted by one conditional UPDATE, so that two registrars racing
//! for the last place cannot both win, on SQLite (one writer) and on PostgreSQL (the
//! row lock makes the second UPDATE re-check its condition after the first commits).
//! On SQLite the hold is a single INSERT statement instead ([`hold_single`]).

use std::collections::HashMap;

use edu24_proto::records::v1::EnrolmentChanged;
use edu24_shared::db::{Db, WriteTx};
use edu24_shared::inbox::HandlerError;
use sqlx::Row;

use crate::domain::*;

/// Enrolment statuses that occupy a licensed place.
pub const COUNTED_STATUSES: &[&str] = &["active", "academic_leave"];
pub const KNOWN_STATUSES: &[&str] = &["active", "academic_leave", "expelled", "graduated", "transferred_out"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counters {
    pub contingent: i32,
    pub enrolled: i32,
    pub held: i32,
}

impl Counters {
    pub fn free(&self) -> i32 {
        self.contingent - self.enrolled - self.held
    }
}

async fn counters(tx: &mut WriteTx, licence_id: &str) -> Result<Option<(Counters, String)>, sqlx::Error> {
    sqlx::query("SELECT contingent, enrolled, held, institution_id FROM licence WHERE id = $1")
        .bind(licence_id)
        .fetch_optional(tx.conn())
        .await?
        .map(|r| {
            Ok((
                Counters {
                    contingent: r.try_get::<i64, _>(0)? as i32,
                    enrolled: r.try_get::<i64, _>(1)? as i32,
                    held: r.try_get::<i64, _>(2)? as i32,
                },
                r.try_get(3)?,
            ))
        })
        .transpose()
}

/// The institution a licence belongs to (for the authorization of a hold).
pub async fn licence_owner(db: &Db, licence_id: &str) -> Result<Option<String>, sqlx::Error> {
    Ok(sqlx::query("SELECT institution_id FROM licence WHERE id = $1")
        .bind(licence_id)
        .fetch_optional(db.pool())
        .await?
        .map(|r| r.get(0)))
}

/// The answer already given to `request_id`, if any.
async fn earlier_answer(tx: &mut WriteTx, request_id: &str) -> Result<Option<HoldAnswer>, sqlx::Error> {
    let Some(r) = sqlx::query("SELECT id, licence_id, expires_at FROM licence_hold WHERE request_id = $1")
        .bind(request_id)
        .fetch_optional(tx.conn())
        .await?
    else {
        return Ok(None);
    };
    let (hold_id, licence_id, expires_at): (String, String, i64) = (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
    let (c, _) = counters(tx, &licence_id).await?.ok_or(sqlx::Error::RowNotFound)?;
    Ok(Some(HoldAnswer {
        verdict: HoldVerdict::Granted,
        hold_id: Some(hold_id),
        free: c.free(),
        contingent: c.contingent,
        enrolled: c.enrolled,
        held: c.held,
        expires_at,
    }))
}

/// Outcome of [`hold`].
pub enum HoldOutcome {
    /// Granted now, or the answer given earlier to the same request id: commit.
    Answer(HoldAnswer),
    /// Full or not in force: roll back (nothing may stay written).
    Refused(HoldAnswer),
    NoLicence,
}

/// Asks for `req.seats` places under a licence; on yes, holds them until `now + ttl`.
/// The hold row goes in first (a repeated request id finds the earlier answer), then the
/// one conditional UPDATE decides. On a refusal the caller must roll back (drop the
/// transaction), which also takes the hold row back.
pub async fn hold(
    tx: &mut WriteTx,
    req: &HoldRequest,
    hold_id: &str,
    actor: &str,
    today: &str,
    now: i64,
    ttl_ms: i64,
) -> Result<HoldOutcome, sqlx::Error> {
    let expires_at = now + ttl_ms;
    let inserted = sqlx::query(
        "INSERT INTO licence_hold (id, licence_id, request_id, seats, used, state, actor, created_at, expires_at) \
         SELECT $1, id, $3, $4, 0, 'held', $5, $6, $7 FROM licence WHERE id = $2 \
         ON CONFLICT (request_id) DO NOTHING",
    )
    .bind(hold_id)
    .bind(&req.licence_id)
    .bind(&req.request_id)
    .bind(i64::from(req.seats))
    .bind(actor)
    .bind(now)
    .bind(expires_at)
    .execute(tx.conn())
    .await?
    .rows_affected();
    if inserted == 0 {
        return Ok(match earlier_answer(tx, &req.request_id).await? {
            Some(a) => HoldOutcome::Answer(a),
            // No earlier hold with this id, and nothing inserted: no such licence.
            None => HoldOutcome::NoLicence,
        });
    }
    let granted = sqlx::query(
        "UPDATE licence SET held = held + $2 WHERE id = $1 AND status = 'active' AND valid_from <= $3 \
         AND (valid_to IS NULL OR valid_to >= $3) AND enrolled + held + $2 <= contingent \
         RETURNING contingent, enrolled, held",
    )
    .bind(&req.licence_id)
    .bind(i64::from(req.seats))
    .bind(today)
    .fetch_optional(tx.conn())
    .await?;
    let Some(row) = granted else {
        let Some((c, _)) = counters(tx, &req.licence_id).await? else {
            return Ok(HoldOutcome::NoLicence);
        };
        let in_force = sqlx::query(
            "SELECT 1 FROM licence WHERE id = $1 AND status = 'active' AND valid_from <= $2 \
             AND (valid_to IS NULL OR valid_to >= $2)",
        )
        .bind(&req.licence_id)
        .bind(today)
        .fetch_optional(tx.conn())
        .await?
        .is_some();
        return Ok(HoldOutcome::Refused(HoldAnswer {
            verdict: if in_force { HoldVerdict::Full } else { HoldVerdict::NotInForce },
            hold_id: None,
            free: c.free().max(0),
            contingent: c.contingent,
            enrolled: c.enrolled,
            held: c.held,
            expires_at: 0,
        }));
    };
    let c = Counters {
        contingent: row.try_get::<i64, _>(0)? as i32,
        enrolled: row.try_get::<i64, _>(1)? as i32,
        held: row.try_get::<i64, _>(2)? as i32,
    };
    Ok(HoldOutcome::Answer(HoldAnswer {
        verdict: HoldVerdict::Granted,
        hold_id: Some(hold_id.to_owned()),
        free: c.free(),
        contingent: c.contingent,
        enrolled: c.enrolled,
        held: c.held,
        expires_at,
    }))
}

/// SQLite: the hold as one statement in autocommit mode on the writer connection. The
/// INSERT's SELECT checks the cap and the trigger `licence_hold_take` takes the places,
/// atomically (ADR 0019). `conn` must be the single writer.
pub async fn hold_single(
    conn: &mut sqlx::AnyConnection,
    req: &HoldRequest,
    hold_id: &str,
    actor: &str,
    today: &str,
    now: i64,
    ttl_ms: i64,
) -> Result<HoldOutcome, sqlx::Error> {
    let expires_at = now + ttl_ms;
    let inserted = sqlx::query(
        "INSERT INTO licence_hold (id, licence_id, request_id, seats, used, state, actor, created_at, expires_at) \
         SELECT $1, id, $3, $4, 0, 'held', $5, $6, $7 FROM licence WHERE id = $2 AND status = 'active' \
         AND valid_from <= $8 AND (valid_to IS NULL OR valid_to >= $8) AND enrolled + held + $4 <= contingent \
         ON CONFLICT (request_id) DO NOTHING",
    )
    .bind(hold_id)
    .bind(&req.licence_id)
    .bind(&req.request_id)
    .bind(i64::from(req.seats))
    .bind(actor)
    .bind(now)
    .bind(expires_at)
    .bind(today)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    let row = sqlx::query(
        "SELECT l.contingent, l.enrolled, l.held, h.id, h.expires_at, \
         CASE WHEN l.status = 'active' AND l.valid_from <= $3 AND (l.valid_to IS NULL OR l.valid_to >= $3) \
         THEN 1 ELSE 0 END FROM licence l LEFT JOIN licence_hold h ON h.request_id = $2 WHERE l.id = $1",
    )
    .bind(&req.licence_id)
    .bind(&req.request_id)
    .bind(today)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = row else { return Ok(HoldOutcome::NoLicence) };
    let c = Counters {
        contingent: r.try_get::<i64, _>(0)? as i32,
        enrolled: r.try_get::<i64, _>(1)? as i32,
        held: r.try_get::<i64, _>(2)? as i32,
    };
    let earlier: Option<String> = r.try_get(3)?;
    if inserted == 1 || earlier.is_some() {
        return Ok(HoldOutcome::Answer(HoldAnswer {
            verdict: HoldVerdict::Granted,
            hold_id: earlier.or_else(|| Some(hold_id.to_owned())),
            free: c.free(),
            contingent: c.contingent,
            enrolled: c.enrolled,
            held: c.held,
            expires_at: r.try_get::<Option<i64>, _>(4)?.unwrap_or(expires_at),
        }));
    }
    let in_force = r.try_get::<i64, _>(5)? == 1;
    Ok(HoldOutcome::Refused(HoldAnswer {
        verdict: if in_force { HoldVerdict::Full } else { HoldVerdict::NotInForce },
        hold_id: None,
        free: c.free().max(0),
        contingent: c.contingent,
        enrolled: c.enrolled,
        held: c.held,
        expires_at: 0,
    }))
}

/// Gives the unused places of a hold back. `state` is `released` or `expired`.
/// Returns the licence and institution when something was given back.
pub async fn release(
    tx: &mut WriteTx,
    hold_id: &str,
    state: &str,
    actor: &str,
    now: i64,
) -> Result<Option<(String, String)>, sqlx::Error> {
    let Some(r) = sqlx::query(
        "UPDATE licence_hold SET state = $2, closed_at = $3, closed_by = $4 WHERE id = $1 AND state = 'held' \
         RETURNING licence_id, seats - used",
    )
    .bind(hold_id)
    .bind(state)
    .bind(now)
    .bind(actor)
    .fetch_optional(tx.conn())
    .await?
    else {
        return Ok(None);
    };
    let (licence_id, unused): (String, i64) = (r.try_get(0)?, r.try_get(1)?);
    let owner: String = sqlx::query("UPDATE licence SET held = held - $2 WHERE id = $1 RETURNING institution_id")
        .bind(&licence_id)
        .bind(unused)
        .fetch_one(tx.conn())
        .await?
        .try_get(0)?;
    Ok(Some((licence_id, owner)))
}

/// The institution a hold's licence belongs to, and whether the hold is open.
pub async fn hold_owner(db: &Db, hold_id: &str) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query(
        "SELECT l.institution_id, h.state FROM licence_hold h JOIN licence l ON l.id = h.licence_id WHERE h.id = $1",
    )
    .bind(hold_id)
    .fetch_optional(db.pool())
    .await?
    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
    .transpose()
}

/// Holds past their time, oldest first.
pub async fn expired_holds(db: &Db, now: i64, limit: i64) -> Result<Vec<String>, sqlx::Error> {
    Ok(sqlx::query("SELECT id FROM licence_hold WHERE state = 'held' AND expires_at < $1 ORDER BY expires_at LIMIT $2")
        .bind(now)
        .bind(limit)
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect())
}

/// Live counters of every licence: id -> (enrolled, held).
pub async fn all_counters(db: &Db) -> Result<HashMap<String, (i32, i32)>, sqlx::Error> {
    sqlx::query("SELECT id, enrolled, held FROM licence")
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, (r.try_get::<i64, _>(1)? as i32, r.try_get::<i64, _>(2)? as i32))))
        .collect()
}

/// Applies one enrolment event to the licence counters, in the consumer's transaction.
/// Newer versions only; an enrolment stays counted against the licence it was first
/// counted against.
pub async fn apply_enrolment(tx: &mut WriteTx, e: &EnrolmentChanged, now: i64) -> Result<(), HandlerError> {
    if e.enrolment_id.is_empty() || e.institution_id.is_empty() {
        return Err(HandlerError::Permanent("enrolment event without enrolment_id or institution_id".into()));
    }
    if !KNOWN_STATUSES.contains(&e.status.as_str()) {
        return Err(HandlerError::Permanent(format!("unknown enrolment status {:?}", e.status)));
    }
    let counted = COUNTED_STATUSES.contains(&e.status.as_str());
    let prev = sqlx::query("SELECT licence_id, counted, version FROM licence_enrolment WHERE enrolment_id = $1")
        .bind(&e.enrolment_id)
        .fetch_optional(tx.conn())
        .await?;
    let (prev_licence, prev_counted) = match &prev {
        Some(r) => {
            let version: i64 = r.try_get(2)?;
            if version >= e.version {
                return Ok(());
            }
            (r.try_get::<Option<String>, _>(0)?, r.try_get::<i64, _>(1)? != 0)
        }
        None => (None, false),
    };
    let licence_id = match prev_licence {
        Some(l) => Some(l),
        None => find_licence(tx, e).await?,
    };
    if let Some(l) = &licence_id {
        let delta = i64::from(counted) - i64::from(prev_counted);
        if delta != 0 {
            sqlx::query("UPDATE licence SET enrolled = enrolled + $2 WHERE id = $1")
                .bind(l)
                .bind(delta)
                .execute(tx.conn())
                .await?;
        }
        if counted && !prev_counted && !e.hold_id.is_empty() {
            // The enrolment takes one of the places its hold kept.
            let used = sqlx::query(
                "UPDATE licence_hold SET used = used + 1, state = CASE WHEN used + 1 >= seats THEN 'used' ELSE state END, \
                 closed_at = CASE WHEN used + 1 >= seats THEN $3 ELSE closed_at END \
                 WHERE id = $1 AND licence_id = $2 AND state = 'held' AND used < seats",
            )
            .bind(&e.hold_id)
            .bind(l)
            .bind(now)
            .execute(tx.conn())
            .await?
            .rows_affected();
            if used == 1 {
                sqlx::query("UPDATE licence SET held = held - 1 WHERE id = $1").bind(l).execute(tx.conn()).await?;
            }
        }
    }
    sqlx::query(
        "INSERT INTO licence_enrolment (enrolment_id, licence_id, institution_id, counted, status, version, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (enrolment_id) DO UPDATE SET licence_id = excluded.licence_id, \
         counted = excluded.counted, status = excluded.status, version = excluded.version, updated_at = excluded.updated_at",
    )
    .bind(&e.enrolment_id)
    .bind(licence_id.as_deref())
    .bind(&e.institution_id)
    .bind(i64::from(counted && licence_id.is_some()))
    .bind(&e.status)
    .bind(e.version)
    .bind(now)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// The licence an enrolment counts against: the one named by the event, else the one of
/// the institution for its specialty, level and form in force on the order's date
/// (latest granted first), else the latest such licence at all.
async fn find_licence(tx: &mut WriteTx, e: &EnrolmentChanged) -> Result<Option<String>, sqlx::Error> {
    if !e.licence_id.is_empty() {
        let exists = sqlx::query("SELECT 1 FROM licence WHERE id = $1 AND institution_id = $2")
            .bind(&e.licence_id)
            .bind(&e.institution_id)
            .fetch_optional(tx.conn())
            .await?
            .is_some();
        if exists {
            return Ok(Some(e.licence_id.clone()));
        }
    }
    let on = if e.effective_on.is_empty() { today() } else { e.effective_on.clone() };
    Ok(sqlx::query(
        "SELECT id FROM licence WHERE institution_id = $1 AND specialty_code = $2 AND level = $3 AND form = $4 \
         ORDER BY CASE WHEN status = 'active' AND valid_from <= $5 AND (valid_to IS NULL OR valid_to >= $5) \
         THEN 0 ELSE 1 END, valid_from DESC LIMIT 1",
    )
    .bind(&e.institution_id)
    .bind(&e.specialty_code)
    .bind(&e.level)
    .bind(&e.form)
    .bind(&on)
    .fetch_optional(tx.conn())
    .await?
    .map(|r| r.get(0)))
}

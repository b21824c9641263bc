//! The grade log: every write to grades, one chain per institution, each record sealed
//! with HMAC-SHA-256 under a key kept outside the database. A record changed, removed or
//! slipped in breaks the chain at that record; whoever holds the database without the
//! key cannot write a chain that checks. (The shared audit log is chained with a plain
//! hash: enough against a changed record, not against a whole chain rewritten.)
//!
//! The key comes from `EDU24_GRADE_LOG_KEY` (64 hex digits; a Kubernetes Secret in
//! production) or, for the embedded node, from `<data>/grade-log.key`, created on first
//! start readable by its owner only.

use std::path::Path;

use edu24_shared::db::{Db, WriteTx};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use sqlx::Row;

const WHAT: &str = "grade log key";

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The sealing key and its id (the first 8 hex digits of its SHA-256, stored with each
/// record so that a check with the wrong key says so instead of crying tampering).
#[derive(Clone)]
pub struct GradeSeal {
    key: [u8; 32],
    id: String,
}

impl std::fmt::Debug for GradeSeal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GradeSeal").field("id", &self.id).finish_non_exhaustive()
    }
}

impl GradeSeal {
    pub fn new(key: [u8; 32]) -> Self {
        let id = hex::encode(&Sha256::digest(key)[..4]);
        Self { key, id }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn from_hex(hex_key: &str) -> anyhow::Result<Self> {
        Ok(Self::new(edu24_shared::secret::key_from_hex(hex_key, WHAT)?))
    }

    /// From `EDU24_GRADE_LOG_KEY`, if set.
    pub fn from_env() -> anyhow::Result<Option<Self>> {
        Ok(edu24_shared::secret::key_from_env("EDU24_GRADE_LOG_KEY", WHAT)?.map(Self::new))
    }

    /// `EDU24_GRADE_LOG_KEY`, or the key file of a data folder (created on first use).
    pub fn for_data_dir(dir: &Path) -> anyhow::Result<Self> {
        Ok(Self::new(edu24_shared::secret::key_for_data_dir("EDU24_GRADE_LOG_KEY", dir, "grade-log.key", WHAT)?))
    }

    /// The seal of a record that follows `prev`.
    pub fn seal_record(&self, prev: &str, r: &Record<'_>) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key).expect("any key length");
        for part in [
            prev,
            r.institution_id,
            &r.seq.to_string(),
            &r.at.to_string(),
            r.actor,
            r.action,
            r.sheet_id,
            r.enrolment_id,
            r.detail,
        ] {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part.as_bytes());
        }
        hex::encode(mac.finalize().into_bytes())
    }
}

/// The fields a record's seal covers.
pub struct Record<'a> {
    pub institution_id: &'a str,
    pub seq: i64,
    pub at: i64,
    pub actor: &'a str,
    pub action: &'a str,
    pub sheet_id: &'a str,
    pub enrolment_id: &'a str,
    pub detail: &'a str,
}

/// A record as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub sheet_id: String,
    pub enrolment_id: String,
    pub detail: String,
}

/// Appends a record in the caller's transaction. The institution's head row serialises
/// appenders (a row lock on PostgreSQL, the single writer on SQLite).
#[allow(clippy::too_many_arguments)]
pub async fn append(
    tx: &mut WriteTx,
    seal: &GradeSeal,
    institution_id: &str,
    at: i64,
    actor: &str,
    action: &str,
    sheet_id: &str,
    enrolment_id: &str,
    detail: &str,
) -> Result<(i64, String), sqlx::Error> {
    sqlx::query("INSERT INTO grade_log_head (institution_id, seq, hash) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING")
        .bind(institution_id)
        .bind(GENESIS)
        .execute(tx.conn())
        .await?;
    let head = sqlx::query("UPDATE grade_log_head SET seq = seq + 1 WHERE institution_id = $1 RETURNING seq, hash")
        .bind(institution_id)
        .fetch_one(tx.conn())
        .await?;
    let seq: i64 = head.try_get(0)?;
    let prev: String = head.try_get(1)?;
    let r = Record { institution_id, seq, at, actor, action, sheet_id, enrolment_id, detail };
    let hash = seal.seal_record(&prev, &r);
    sqlx::query(
        "INSERT INTO grade_log (institution_id, seq, at, actor, action, sheet_id, enrolment_id, detail, prev_hash, \
         hash, key_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(institution_id)
    .bind(seq)
    .bind(at)
    .bind(actor)
    .bind(action)
    .bind(sheet_id)
    .bind(enrolment_id)
    .bind(detail)
    .bind(&prev)
    .bind(&hash)
    .bind(seal.id())
    .execute(tx.conn())
    .await?;
    sqlx::query("UPDATE grade_log_head SET hash = $2 WHERE institution_id = $1")
        .bind(institution_id)
        .bind(&hash)
        .execute(tx.conn())
        .await?;
    Ok((seq, hash))
}

/// Walks an institution's chain, calling `each` with every record that checks. Returns
/// the number of records and the first that does not (link, seal, sequence, or the head
/// not at the end of the chain).
pub async fn verify(
    db: &Db,
    seal: &GradeSeal,
    institution_id: &str,
    mut each: impl FnMut(&Stored),
) -> Result<(i64, Option<i64>), sqlx::Error> {
    let mut prev = GENESIS.to_owned();
    let mut expected = 1i64;
    loop {
        let rows = sqlx::query(
            "SELECT seq, at, actor, action, sheet_id, enrolment_id, detail, prev_hash, hash, key_id FROM grade_log \
             WHERE institution_id = $1 AND seq >= $2 ORDER BY seq LIMIT 2000",
        )
        .bind(institution_id)
        .bind(expected)
        .fetch_all(db.pool())
        .await?;
        if rows.is_empty() {
            break;
        }
        for r in &rows {
            let s = Stored {
                seq: r.try_get(0)?,
                at: r.try_get(1)?,
                actor: r.try_get(2)?,
                action: r.try_get(3)?,
                sheet_id: r.try_get(4)?,
                enrolment_id: r.try_get(5)?,
                detail: r.try_get(6)?,
            };
            let (prev_hash, hash, key_id): (String, String, String) = (r.try_get(7)?, r.try_get(8)?, r.try_get(9)?);
            let recomputed = seal.seal_record(
                &prev,
                &Record {
                    institution_id,
                    seq: s.seq,
                    at: s.at,
                    actor: &s.actor,
                    action: &s.action,
                    sheet_id: &s.sheet_id,
                    enrolment_id: &s.enrolment_id,
                    detail: &s.detail,
                },
            );
            if s.seq != expected || prev_hash != prev || key_id != seal.id() || recomputed != hash {
                return Ok((expected - 1, Some(expected)));
            }
            each(&s);
            prev = hash;
            expected += 1;
        }
    }
    let head = sqlx::query("SELECT seq, hash FROM grade_log_head WHERE institution_id = $1")
        .bind(institution_id)
        .fetch_optional(db.pool())
        .await?;
    let (head_seq, head_hash): (i64, String) = match head {
        Some(h) => (h.try_get(0)?, h.try_get(1)?),
        None => (0, GENESIS.to_owned()),
    };
    // Records cut off the end (or a head moved back) show as a head that is not the end.
    if head_seq != expected - 1 || head_hash != prev {
        return Ok((expected - 1, Some(expected.min(head_seq.max(1)))));
    }
    Ok((expected - 1, None))
}

//! The append-only audit log of authentication and administration, hash-chained so
//! that any change to a past record is detected by [`audit_verify`]. The database
//! refuses UPDATE and DELETE on it (triggers in the migrations).

use crate::db::{Db, WriteTx};
use sha2::{Digest, Sha256};
use sqlx::Row;

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub client_address: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The fields of a record that its hash covers.
pub struct Entry<'a> {
    pub seq: i64,
    pub at: i64,
    pub actor: &'a str,
    pub action: &'a str,
    pub subject: &'a str,
    pub client_address: &'a str,
    pub detail: &'a str,
}

/// SHA-256 over the previous hash and the length-prefixed fields of a record.
pub fn chain_hash(prev: &str, e: &Entry<'_>) -> String {
    let mut h = Sha256::new();
    for part in [prev, &e.seq.to_string(), &e.at.to_string(), e.actor, e.action, e.subject, e.client_address, e.detail]
    {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Appends a record inside the caller's transaction. The chain head row serialises
/// appenders on PostgreSQL (row lock) as SQLite's single writer does.
pub async fn audit_append(
    tx: &mut WriteTx,
    at: i64,
    actor: &str,
    action: &str,
    subject: &str,
    client_address: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    let head = sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
        .fetch_one(tx.conn())
        .await?;
    let seq: i64 = head.try_get(0)?;
    let prev: String = head.try_get(1)?;
    let hash = chain_hash(&prev, &Entry { seq, at, actor, action, subject, client_address, detail });
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, action, subject, client_address, detail, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(seq)
    .bind(at)
    .bind(actor)
    .bind(action)
    .bind(subject)
    .bind(client_address)
    .bind(detail)
    .bind(&prev)
    .bind(&hash)
    .execute(tx.conn())
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(&hash).execute(tx.conn()).await?;
    Ok(())
}

pub async fn audit_records(db: &Db, subject: Option<&str>, limit: i64) -> Result<Vec<AuditRecord>, sqlx::Error> {
    let rows = match subject {
        Some(s) => sqlx::query(
            "SELECT seq, at, actor, action, subject, client_address, detail, prev_hash, hash FROM audit_log \
             WHERE subject = $1 OR actor = $1 ORDER BY seq DESC LIMIT $2",
        )
        .bind(s)
        .bind(limit)
        .fetch_all(db.pool())
        .await?,
        None => sqlx::query(
            "SELECT seq, at, actor, action, subject, client_address, detail, prev_hash, hash FROM audit_log ORDER BY seq DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(db.pool())
        .await?,
    };
    rows.iter()
        .map(|r| {
            Ok(AuditRecord {
                seq: r.try_get(0)?,
                at: r.try_get(1)?,
                actor: r.try_get(2)?,
                action: r.try_get(3)?,
                subject: r.try_get(4)?,
                client_address: r.try_get(5)?,
                detail: r.try_get(6)?,
                prev_hash: r.try_get(7)?,
                hash: r.try_get(8)?,
            })
        })
        .collect()
}

/// Walks the whole chain. `Ok(n)` with the number of records when intact; `Err(seq)`
/// with the first record whose link or content does not match.
pub async fn audit_verify(db: &Db) -> Result<Result<i64, i64>, sqlx::Error> {
    let mut prev = GENESIS.to_owned();
    let mut expected_seq = 1;
    let mut after = 0i64;
    loop {
        let rows = sqlx::query(
            "SELECT seq, at, actor, action, subject, client_address, detail, prev_hash, hash FROM audit_log \
             WHERE seq > $1 ORDER BY seq LIMIT 1000",
        )
        .bind(after)
        .fetch_all(db.pool())
        .await?;
        if rows.is_empty() {
            break;
        }
        for r in &rows {
            let seq: i64 = r.try_get(0)?;
            let prev_hash: String = r.try_get(7)?;
            let hash: String = r.try_get(8)?;
            let (actor, action, subject, client, detail): (String, String, String, String, String) =
                (r.try_get(2)?, r.try_get(3)?, r.try_get(4)?, r.try_get(5)?, r.try_get(6)?);
            let recomputed = chain_hash(
                &prev,
                &Entry {
                    seq,
                    at: r.try_get(1)?,
                    actor: &actor,
                    action: &action,
                    subject: &subject,
                    client_address: &client,
                    detail: &detail,
                },
            );
            if seq != expected_seq || prev_hash != prev || hash != recomputed {
                return Ok(Err(seq));
            }
            prev = hash;
            expected_seq += 1;
            after = seq;
        }
    }
    let head: String =
        sqlx::query("SELECT hash FROM audit_head WHERE id = 1").fetch_one(db.pool()).await?.try_get(0)?;
    if head != prev {
        // Records were removed from the end.
        return Ok(Err(expected_seq));
    }
    Ok(Ok(expected_seq - 1))
}

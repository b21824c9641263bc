//! Identity SQL: one portable text per query.

use edu24_shared::auth::{Role, RoleGrant};
use edu24_shared::db::{Db, WriteTx, flag};
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::domain::Localized;

#[derive(Debug, Clone)]
pub struct AccountRow {
    pub id: String,
    pub login: String,
    pub display_name: String,
    pub password_hash: String,
    pub status: String,
    pub must_change_password: bool,
    pub created_at: i64,
}

const ACCOUNT_COLUMNS: &str = "id, login, display_name, password_hash, status, must_change_password, created_at";

fn account_from(r: &sqlx::any::AnyRow) -> Result<AccountRow, sqlx::Error> {
    Ok(AccountRow {
        id: r.try_get("id")?,
        login: r.try_get("login")?,
        display_name: r.try_get("display_name")?,
        password_hash: r.try_get("password_hash")?,
        status: r.try_get("status")?,
        must_change_password: r.try_get::<i64, _>("must_change_password")? != 0,
        created_at: r.try_get("created_at")?,
    })
}

pub async fn account_by_login(db: &Db, login: &str) -> Result<Option<AccountRow>, sqlx::Error> {
    sqlx::query(&format!("SELECT {ACCOUNT_COLUMNS} FROM account WHERE login = $1"))
        .bind(login)
        .fetch_optional(db.pool())
        .await?
        .map(|r| account_from(&r))
        .transpose()
}

pub async fn account_by_id(db: &Db, id: &str) -> Result<Option<AccountRow>, sqlx::Error> {
    sqlx::query(&format!("SELECT {ACCOUNT_COLUMNS} FROM account WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?
        .map(|r| account_from(&r))
        .transpose()
}

pub async fn account_insert(tx: &mut WriteTx, a: &AccountRow, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO account (id, login, display_name, password_hash, status, must_change_password, created_at, updated_at, search_key) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)",
    )
    .bind(&a.id)
    .bind(&a.login)
    .bind(&a.display_name)
    .bind(&a.password_hash)
    .bind(&a.status)
    .bind(flag(a.must_change_password))
    .bind(now)
    .bind(search_key(&a.login, &a.display_name))
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn account_count(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) FROM account").fetch_one(db.pool()).await?.try_get(0)
}

pub async fn grants_of(db: &Db, account_id: &str) -> Result<Vec<RoleGrant>, sqlx::Error> {
    let rows =
        sqlx::query("SELECT role, institution_id FROM role_grant WHERE account_id = $1 ORDER BY role, institution_id")
            .bind(account_id)
            .fetch_all(db.pool())
            .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let role: String = r.try_get(0)?;
        let inst: String = r.try_get(1)?;
        match Role::parse(&role) {
            Some(role) => out.push(RoleGrant { role, inst: (!inst.is_empty()).then_some(inst) }),
            None => tracing::error!(%role, "unknown role in identity database ignored"),
        }
    }
    Ok(out)
}

pub async fn grant_insert(
    tx: &mut WriteTx,
    id: &str,
    account_id: &str,
    g: &RoleGrant,
    by: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO role_grant (id, account_id, role, institution_id, granted_by, granted_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (account_id, role, institution_id) DO NOTHING",
    )
    .bind(id)
    .bind(account_id)
    .bind(g.role.as_str())
    .bind(g.inst.as_deref().unwrap_or(""))
    .bind(by)
    .bind(now)
    .execute(tx.conn())
    .await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct SessionRow {
    pub id: String,
    pub account_id: String,
    pub last_seen_at: i64,
    pub absolute_expires_at: i64,
    pub ended_at: Option<i64>,
    pub second_factor_pending: bool,
}

pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[allow(clippy::too_many_arguments)]
pub async fn session_insert(
    tx: &mut WriteTx,
    id: &str,
    secret_hash: &str,
    account_id: &str,
    now: i64,
    absolute_expires_at: i64,
    client_address: &str,
    user_agent: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO session (id, secret_hash, account_id, created_at, last_seen_at, absolute_expires_at, client_address, user_agent) \
         VALUES ($1, $2, $3, $4, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(secret_hash)
    .bind(account_id)
    .bind(now)
    .bind(absolute_expires_at)
    .bind(client_address)
    .bind(user_agent)
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn session_by_secret_hash(db: &Db, hash: &str) -> Result<Option<SessionRow>, sqlx::Error> {
    sqlx::query(
        "SELECT id, account_id, last_seen_at, absolute_expires_at, ended_at, second_factor_pending FROM session \
         WHERE secret_hash = $1",
    )
    .bind(hash)
    .fetch_optional(db.pool())
    .await?
    .map(|r| {
        Ok(SessionRow {
            id: r.try_get(0)?,
            account_id: r.try_get(1)?,
            last_seen_at: r.try_get(2)?,
            absolute_expires_at: r.try_get(3)?,
            ended_at: r.try_get(4)?,
            second_factor_pending: r.try_get::<i64, _>(5)? != 0,
        })
    })
    .transpose()
}

pub async fn session_touch(db: &Db, id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE session SET last_seen_at = $2 WHERE id = $1 AND ended_at IS NULL")
        .bind(id)
        .bind(now)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn session_end(tx: &mut WriteTx, id: &str, reason: &str, now: i64) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query("UPDATE session SET ended_at = $2, end_reason = $3 WHERE id = $1 AND ended_at IS NULL")
        .bind(id)
        .bind(now)
        .bind(reason)
        .execute(tx.conn())
        .await?
        .rows_affected()
        > 0)
}

/// Counts one failure for `key` atomically (concurrent failures are all counted),
/// restarting the count when the window has passed; returns the failures in the window.
pub async fn throttle_hit(tx: &mut WriteTx, key: &str, now: i64, window_ms: i64) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO login_throttle (throttle_key, failures, window_started_at, blocked_until) VALUES ($1, 1, $2, 0) \
         ON CONFLICT (throttle_key) DO UPDATE SET \
         failures = CASE WHEN $2 - login_throttle.window_started_at > $3 THEN 1 ELSE login_throttle.failures + 1 END, \
         window_started_at = CASE WHEN $2 - login_throttle.window_started_at > $3 THEN $2 ELSE login_throttle.window_started_at END \
         RETURNING failures",
    )
    .bind(key)
    .bind(now)
    .bind(window_ms)
    .fetch_one(tx.conn())
    .await?
    .try_get(0)
}

/// Extends the block of `key` to `until` (never shortens it).
pub async fn throttle_block(tx: &mut WriteTx, key: &str, until: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE login_throttle SET blocked_until = $2 WHERE throttle_key = $1 AND blocked_until < $2")
        .bind(key)
        .bind(until)
        .execute(tx.conn())
        .await?;
    Ok(())
}

pub async fn throttle_blocked_until(db: &Db, keys: &[&str]) -> Result<i64, sqlx::Error> {
    let mut until = 0;
    for key in keys {
        let row = sqlx::query("SELECT blocked_until FROM login_throttle WHERE throttle_key = $1")
            .bind(*key)
            .fetch_optional(db.pool())
            .await?;
        if let Some(r) = row {
            until = until.max(r.try_get::<i64, _>(0)?);
        }
    }
    Ok(until)
}

pub async fn throttle_clear(tx: &mut WriteTx, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_throttle WHERE throttle_key = $1").bind(key).execute(tx.conn()).await?;
    Ok(())
}

pub async fn signing_keys(db: &Db) -> Result<Vec<(String, Vec<u8>, Vec<u8>, Option<i64>)>, sqlx::Error> {
    let rows =
        sqlx::query("SELECT kid, secret, public_key, retired_at FROM signing_key ORDER BY created_at DESC, kid DESC")
            .fetch_all(db.pool())
            .await?;
    rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?))).collect()
}

pub async fn signing_key_insert(
    db: &Db,
    kid: &str,
    secret: &[u8],
    public_key: &[u8],
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO signing_key (kid, secret, public_key, created_at) VALUES ($1, $2, $3, $4)")
        .bind(kid)
        .bind(secret.to_vec())
        .bind(public_key.to_vec())
        .bind(now)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Applies an institution's state from catalogue unless a newer one is already held.
pub async fn institution_ref_apply(
    tx: &mut WriteTx,
    id: &str,
    code: &str,
    name: &Localized,
    status: &str,
    version: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "INSERT INTO institution_ref (id, code, name_ky, name_ru, name_en, status, version, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (id) DO UPDATE SET code = excluded.code, name_ky = excluded.name_ky, name_ru = excluded.name_ru, \
         name_en = excluded.name_en, status = excluded.status, version = excluded.version, updated_at = excluded.updated_at \
         WHERE institution_ref.version < excluded.version",
    )
    .bind(id)
    .bind(code)
    .bind(&name.ky)
    .bind(&name.ru)
    .bind(&name.en)
    .bind(status)
    .bind(version)
    .bind(now)
    .execute(tx.conn())
    .await?
    .rows_affected()
        > 0)
}

pub async fn institution_name(db: &Db, id: &str) -> Result<Option<Localized>, sqlx::Error> {
    Ok(sqlx::query("SELECT name_ky, name_ru, name_en FROM institution_ref WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await?
        .map(|r| Localized { ky: r.get(0), ru: r.get(1), en: r.get(2) }))
}

/// Every institution the read model holds: (id, code, version).
pub async fn institution_refs(db: &Db) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, code, version FROM institution_ref ORDER BY code").fetch_all(db.pool()).await?;
    rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?))).collect()
}

/// The folded text accounts are searched by (lower case in every script).
pub fn search_key(login: &str, display_name: &str) -> String {
    format!("{} {}", login, display_name).to_lowercase()
}

pub async fn account_password_set(
    tx: &mut WriteTx,
    id: &str,
    hash: &str,
    must_change: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE account SET password_hash = $2, must_change_password = $3, updated_at = $4 WHERE id = $1")
        .bind(id)
        .bind(hash)
        .bind(flag(must_change))
        .bind(now)
        .execute(tx.conn())
        .await?;
    Ok(())
}

pub async fn account_status_set(tx: &mut WriteTx, id: &str, status: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE account SET status = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(status)
        .bind(now)
        .execute(tx.conn())
        .await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub id: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub client_address: String,
    pub user_agent: String,
}

/// Live sessions of an account, newest first.
pub async fn sessions_live(db: &Db, account_id: &str, now: i64, idle_ms: i64) -> Result<Vec<SessionInfo>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, created_at, last_seen_at, client_address, user_agent FROM session \
         WHERE account_id = $1 AND ended_at IS NULL AND absolute_expires_at > $2 AND last_seen_at > $3 \
         ORDER BY created_at DESC",
    )
    .bind(account_id)
    .bind(now)
    .bind(now - idle_ms)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(SessionInfo {
                id: r.try_get(0)?,
                created_at: r.try_get(1)?,
                last_seen_at: r.try_get(2)?,
                client_address: r.try_get(3)?,
                user_agent: r.try_get(4)?,
            })
        })
        .collect()
}

pub async fn session_owner(db: &Db, session_id: &str) -> Result<Option<String>, sqlx::Error> {
    Ok(sqlx::query("SELECT account_id FROM session WHERE id = $1")
        .bind(session_id)
        .fetch_optional(db.pool())
        .await?
        .map(|r| r.get(0)))
}

/// Ends every session of an account except `keep`; returns how many ended.
pub async fn sessions_end_all(
    tx: &mut WriteTx,
    account_id: &str,
    keep: Option<&str>,
    reason: &str,
    now: i64,
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE session SET ended_at = $3, end_reason = $4 WHERE account_id = $1 AND ended_at IS NULL AND id <> $2",
    )
    .bind(account_id)
    .bind(keep.unwrap_or(""))
    .bind(now)
    .bind(reason)
    .execute(tx.conn())
    .await?
    .rows_affected())
}

pub async fn grant_delete(tx: &mut WriteTx, account_id: &str, g: &RoleGrant) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM role_grant WHERE account_id = $1 AND role = $2 AND institution_id = $3")
        .bind(account_id)
        .bind(g.role.as_str())
        .bind(g.inst.as_deref().unwrap_or(""))
        .execute(tx.conn())
        .await?
        .rows_affected()
        > 0)
}

/// Accounts whose login or name contains `text`, limited to accounts holding a role in
/// one of `institutions` (`None`: anywhere); at most `limit`, by name.
pub async fn accounts_find(
    db: &Db,
    text: &str,
    institutions: Option<&[String]>,
    limit: i64,
) -> Result<Vec<AccountRow>, sqlx::Error> {
    let pattern = format!("%{}%", text.to_lowercase().replace(['\\', '%', '_'], ""));
    let mut sql = format!(
        "SELECT {ACCOUNT_COLUMNS} FROM account WHERE (search_key LIKE $1 OR id IN \
         (SELECT account_id FROM roster_entry WHERE pin = $2 OR lower(ticket_no) = $3))"
    );
    if let Some(insts) = institutions {
        let marks: Vec<String> = (0..insts.len()).map(|i| format!("${}", i + 5)).collect();
        if marks.is_empty() {
            return Ok(Vec::new());
        }
        sql.push_str(&format!(
            " AND id IN (SELECT account_id FROM role_grant WHERE institution_id IN ({}))",
            marks.join(", ")
        ));
    }
    sql.push_str(" ORDER BY display_name, login LIMIT $4");
    let mut q = sqlx::query(&sql).bind(pattern).bind(text.trim()).bind(text.trim().to_lowercase()).bind(limit);
    if let Some(insts) = institutions {
        for i in insts {
            q = q.bind(i.clone());
        }
    }
    q.fetch_all(db.pool()).await?.iter().map(account_from).collect()
}

/// What identity knows of the person behind an account from a roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterEntry {
    pub institution_id: String,
    pub pin: String,
    pub ticket_no: String,
    pub surname: String,
    pub given_name: String,
    pub patronymic: String,
    pub programme: String,
    pub study_year: i64,
}

pub async fn roster_entry_of(db: &Db, account_id: &str) -> Result<Option<RosterEntry>, sqlx::Error> {
    sqlx::query(
        "SELECT institution_id, pin, ticket_no, surname, given_name, patronymic, programme, study_year \
         FROM roster_entry WHERE account_id = $1",
    )
    .bind(account_id)
    .fetch_optional(db.pool())
    .await?
    .map(|r| {
        Ok(RosterEntry {
            institution_id: r.try_get(0)?,
            pin: r.try_get(1)?,
            ticket_no: r.try_get(2)?,
            surname: r.try_get(3)?,
            given_name: r.try_get(4)?,
            patronymic: r.try_get(5)?,
            programme: r.try_get(6)?,
            study_year: r.try_get(7)?,
        })
    })
    .transpose()
}

pub async fn roster_entry_insert(tx: &mut WriteTx, account_id: &str, e: &RosterEntry) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO roster_entry (account_id, institution_id, pin, ticket_no, surname, given_name, patronymic, programme, study_year) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(account_id)
    .bind(&e.institution_id)
    .bind(&e.pin)
    .bind(&e.ticket_no)
    .bind(&e.surname)
    .bind(&e.given_name)
    .bind(&e.patronymic)
    .bind(&e.programme)
    .bind(e.study_year)
    .execute(tx.conn())
    .await?;
    Ok(())
}

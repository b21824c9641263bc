//! The second factor (TOTP) of an account: enrollment confirmed by a first code,
//! recovery codes shown once and stored hashed, the second step of a login, and
//! switching it off. Every step is audited; wrong codes are throttled like passwords.

use edu24_shared::auth::CallCtx;
use edu24_shared::error::{ApiError, ApiResult, ErrorCode};
use edu24_shared::time::now_ms;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::app::IdentityService;
use crate::audit::audit_append;
use crate::domain::{ACCOUNT_THROTTLE, SESSION_IDLE_MS};
use crate::store;
use crate::totp;

/// What an authenticator app needs to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotpSetup {
    /// The secret in base32, for typing in by hand.
    pub secret: String,
    /// The `otpauth://` URI, for the QR code.
    pub uri: String,
}

fn code_hash(code: &str) -> String {
    hex::encode(Sha256::digest(code.trim().to_lowercase().as_bytes()))
}

fn wrong_code() -> ApiError {
    ApiError::invalid("code", "the code is wrong or was already used").with_reason("code_wrong")
}

impl IdentityService {
    /// The secret and its state (`enabled`) of an account's second factor, if any.
    pub(crate) async fn totp_of(&self, account_id: &str) -> ApiResult<Option<(Vec<u8>, bool, i64)>> {
        Ok(sqlx::query("SELECT secret, enabled_at, last_step FROM account_totp WHERE account_id = $1")
            .bind(account_id)
            .fetch_optional(self.db.pool())
            .await?
            .map(|r| (r.get::<Vec<u8>, _>(0), r.get::<Option<i64>, _>(1).is_some(), r.get::<i64, _>(2))))
    }

    /// Whether `code` is a current TOTP code (used up now) or an unused recovery code
    /// (marked used), inside the caller's transaction.
    async fn code_accept(
        &self,
        tx: &mut edu24_shared::db::WriteTx,
        account_id: &str,
        secret: &[u8],
        last_step: i64,
        code: &str,
    ) -> ApiResult<bool> {
        if let Some(step) = totp::check(secret, code, now_ms() / 1000, last_step) {
            let n = sqlx::query("UPDATE account_totp SET last_step = $2 WHERE account_id = $1 AND last_step < $2")
                .bind(account_id)
                .bind(step)
                .execute(tx.conn())
                .await?
                .rows_affected();
            return Ok(n == 1);
        }
        let n = sqlx::query(
            "UPDATE recovery_code SET used_at = $3 WHERE account_id = $1 AND code_hash = $2 AND used_at IS NULL",
        )
        .bind(account_id)
        .bind(code_hash(code))
        .bind(now_ms())
        .execute(tx.conn())
        .await?
        .rows_affected();
        Ok(n == 1)
    }

    /// Starts (or restarts) enrolling a second factor for the caller.
    pub async fn totp_begin(&self, ctx: &CallCtx) -> ApiResult<TotpSetup> {
        let p = self.auth.require_any(ctx).await?;
        if let Some((_, true, _)) = self.totp_of(p.account_id()).await? {
            return Err(ApiError::new(ErrorCode::AlreadyExists, "the second factor is already on")
                .with_reason("second_factor_on"));
        }
        let mut secret = [0u8; totp::SECRET_BYTES];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut secret);
        let mut tx = self.db.begin_write().await?;
        sqlx::query(
            "INSERT INTO account_totp (account_id, secret, enabled_at, last_step, created_at) VALUES ($1, $2, NULL, 0, $3) \
             ON CONFLICT (account_id) DO UPDATE SET secret = excluded.secret, last_step = 0, created_at = excluded.created_at",
        )
        .bind(p.account_id())
        .bind(secret.to_vec())
        .bind(now_ms())
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(TotpSetup { secret: totp::base32(&secret), uri: totp::otpauth_uri(&secret, &p.claims.login) })
    }

    /// Confirms enrollment with a first code; returns the recovery codes, shown once.
    pub async fn totp_enable(&self, ctx: &CallCtx, code: &str) -> ApiResult<Vec<String>> {
        let p = self.auth.require_any(ctx).await?;
        let Some((secret, false, last)) = self.totp_of(p.account_id()).await? else {
            return Err(ApiError::new(ErrorCode::FailedPrecondition, "start the set-up again")
                .with_reason("second_factor_not_started"));
        };
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        if !self.code_accept(&mut tx, p.account_id(), &secret, last, code).await? {
            return Err(wrong_code());
        }
        sqlx::query("UPDATE account_totp SET enabled_at = $2 WHERE account_id = $1")
            .bind(p.account_id())
            .bind(now)
            .execute(tx.conn())
            .await?;
        sqlx::query("DELETE FROM recovery_code WHERE account_id = $1").bind(p.account_id()).execute(tx.conn()).await?;
        let mut codes = Vec::with_capacity(totp::RECOVERY_CODES);
        for _ in 0..totp::RECOVERY_CODES {
            let mut r = [0u8; 10];
            rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut r);
            let c = totp::recovery_code(&r);
            sqlx::query("INSERT INTO recovery_code (account_id, code_hash) VALUES ($1, $2)")
                .bind(p.account_id())
                .bind(code_hash(&c))
                .execute(tx.conn())
                .await?;
            codes.push(c);
        }
        audit_append(
            &mut tx,
            now,
            p.account_id(),
            "second_factor.enabled",
            p.account_id(),
            &ctx.client_addr.clone().unwrap_or_default(),
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(codes)
    }

    /// Switches the second factor off, with a current code or a recovery code.
    pub async fn totp_disable(&self, ctx: &CallCtx, code: &str) -> ApiResult<()> {
        let p = self.auth.require_any(ctx).await?;
        let Some((secret, true, last)) = self.totp_of(p.account_id()).await? else {
            return Err(ApiError::new(ErrorCode::FailedPrecondition, "the second factor is off")
                .with_reason("second_factor_off"));
        };
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        if !self.code_accept(&mut tx, p.account_id(), &secret, last, code).await? {
            return Err(wrong_code());
        }
        sqlx::query("DELETE FROM recovery_code WHERE account_id = $1").bind(p.account_id()).execute(tx.conn()).await?;
        sqlx::query("DELETE FROM account_totp WHERE account_id = $1").bind(p.account_id()).execute(tx.conn()).await?;
        audit_append(
            &mut tx,
            now,
            p.account_id(),
            "second_factor.disabled",
            p.account_id(),
            &ctx.client_addr.clone().unwrap_or_default(),
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The second step of a login: a code from the app or a recovery code completes a
    /// session that the password opened.
    pub async fn session_second_factor(&self, ctx: &CallCtx, session_secret: &str, code: &str) -> ApiResult<()> {
        let session = store::session_by_secret_hash(&self.db, &store::secret_hash(session_secret))
            .await?
            .ok_or_else(|| ApiError::unauthenticated().with_reason("session_ended"))?;
        let now = now_ms();
        if session.ended_at.is_some()
            || now >= session.absolute_expires_at
            || now - session.last_seen_at >= SESSION_IDLE_MS
        {
            return Err(ApiError::unauthenticated().with_reason("session_ended"));
        }
        let key = format!("mfa:{}", session.account_id);
        let blocked = store::throttle_blocked_until(&self.db, &[key.as_str()]).await?;
        if blocked > now {
            let mut e =
                ApiError::new(ErrorCode::ResourceExhausted, "too many wrong codes; wait").with_reason("code_throttled");
            e.retry_after_secs = Some(((blocked - now) as u64).div_ceil(1000));
            return Err(e);
        }
        let Some((secret, true, last)) = self.totp_of(&session.account_id).await? else {
            return Ok(());
        };
        let client = ctx.client_addr.clone().unwrap_or_default();
        let mut tx = self.db.begin_write().await?;
        if self.code_accept(&mut tx, &session.account_id, &secret, last, code).await? {
            sqlx::query("UPDATE session SET second_factor_pending = 0 WHERE id = $1")
                .bind(&session.id)
                .execute(tx.conn())
                .await?;
            store::throttle_clear(&mut tx, &key).await?;
            audit_append(
                &mut tx,
                now,
                &session.account_id,
                "login.succeeded",
                &session.account_id,
                &client,
                &format!("session={} second_factor=yes", session.id),
            )
            .await?;
            tx.commit().await?;
            Ok(())
        } else {
            drop(tx);
            let mut tx = self.db.begin_write().await?;
            let failures = store::throttle_hit(&mut tx, &key, now, ACCOUNT_THROTTLE.window_ms).await?;
            let until = ACCOUNT_THROTTLE.blocked_until(failures, now);
            if until > 0 {
                store::throttle_block(&mut tx, &key, until).await?;
            }
            audit_append(&mut tx, now, "anonymous", "login.second_factor_failed", &session.account_id, &client, "")
                .await?;
            tx.commit().await?;
            Err(wrong_code())
        }
    }
}

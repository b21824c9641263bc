//! E-mail for password reset: a person adds an address and confirms it by a link; a
//! forgotten password is then reset by a single-use link that expires in 30 minutes.
//! Asking for a reset answers the same whether or not the login exists. Links carry a
//! random token; only its hash is stored. Every step is audited.

use edu24_shared::auth::CallCtx;
use edu24_shared::error::{ApiError, ApiResult, ErrorCode};
use edu24_shared::mail::mail_queue;
use edu24_shared::time::now_ms;
use sqlx::Row;

use crate::app::{IdentityService, password_hash, random_secret};
use crate::audit::audit_append;
use crate::domain::{ACCOUNT_THROTTLE, login_normalize};
use crate::password;
use crate::store;

pub const VERIFY_TTL_MS: i64 = 24 * 60 * 60 * 1000;
pub const RESET_TTL_MS: i64 = 30 * 60 * 1000;

fn valid_email(e: &str) -> bool {
    let Some((local, domain)) = e.rsplit_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && e.len() <= 254
        && !e.chars().any(char::is_whitespace)
}

fn portal() -> String {
    edu24_shared::config::env_or("EDU24_PUBLIC_URL", "http://127.0.0.1:8080").trim_end_matches('/').to_owned()
}

fn invalid_link() -> ApiError {
    ApiError::invalid("token", "the link is wrong, used or expired").with_reason("link_invalid")
}

impl IdentityService {
    async fn token_new(
        &self,
        tx: &mut edu24_shared::db::WriteTx,
        account_id: &str,
        purpose: &str,
        email: &str,
        ttl: i64,
    ) -> ApiResult<String> {
        let token = random_secret();
        sqlx::query(
            "INSERT INTO email_token (token_hash, account_id, purpose, email, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(store::secret_hash(&token))
        .bind(account_id)
        .bind(purpose)
        .bind(email)
        .bind(now_ms() + ttl)
        .execute(tx.conn())
        .await?;
        Ok(token)
    }

    /// Takes a token: the account and e-mail it was made for, once.
    async fn token_take(
        &self,
        tx: &mut edu24_shared::db::WriteTx,
        token: &str,
        purpose: &str,
    ) -> ApiResult<(String, String)> {
        let now = now_ms();
        let row = sqlx::query(
            "UPDATE email_token SET used_at = $3 WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 \
             RETURNING account_id, email",
        )
        .bind(store::secret_hash(token))
        .bind(purpose)
        .bind(now)
        .fetch_optional(tx.conn())
        .await?
        .ok_or_else(invalid_link)?;
        Ok((row.try_get(0)?, row.try_get(1)?))
    }

    /// Sets the caller's e-mail address and sends a confirmation link.
    pub async fn email_set(&self, ctx: &CallCtx, email: &str) -> ApiResult<()> {
        let p = self.auth.require_any(ctx).await?;
        let email = email.trim().to_lowercase();
        if !valid_email(&email) {
            return Err(ApiError::invalid("email", "write an e-mail address such as name@example.kg"));
        }
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        sqlx::query(
            "INSERT INTO account_email (account_id, email, verified_at, created_at) VALUES ($1, $2, NULL, $3) \
             ON CONFLICT (account_id) DO UPDATE SET email = excluded.email, verified_at = NULL, created_at = excluded.created_at",
        )
        .bind(p.account_id())
        .bind(&email)
        .bind(now)
        .execute(tx.conn())
        .await?;
        let token = self.token_new(&mut tx, p.account_id(), "verify", &email, VERIFY_TTL_MS).await?;
        let link = format!("{}/ky/verify-email?token={token}", portal());
        let body = format!(
            "EDU24\n\nБул даректи ырастоо үчүн шилтемени ачыңыз (24 саат жарактуу):\nЧтобы подтвердить этот адрес, откройте ссылку (действует 24 часа):\n\n{link}\n\n\
             Эгер сиз сураган эмес болсоңуз, бул катты көңүлгө албаңыз. / Если вы этого не запрашивали, не обращайте внимания на это письмо.\n"
        );
        mail_queue(&mut tx, &email, "EDU24: даректи ырастаңыз / подтвердите адрес", &body).await?;
        audit_append(
            &mut tx,
            now,
            p.account_id(),
            "email.set",
            p.account_id(),
            &ctx.client_addr.clone().unwrap_or_default(),
            "",
        )
        .await?;
        tx.commit().await?;
        self.mail_wake.notify_one();
        Ok(())
    }

    /// Public (the token is the credential). Confirms an e-mail address.
    pub async fn email_verify(&self, ctx: &CallCtx, token: &str) -> ApiResult<()> {
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        let (account_id, email) = self.token_take(&mut tx, token, "verify").await?;
        let n = sqlx::query("UPDATE account_email SET verified_at = $3 WHERE account_id = $1 AND email = $2")
            .bind(&account_id)
            .bind(&email)
            .bind(now)
            .execute(tx.conn())
            .await?
            .rows_affected();
        if n != 1 {
            return Err(invalid_link());
        }
        audit_append(
            &mut tx,
            now,
            &account_id,
            "email.verified",
            &account_id,
            &ctx.client_addr.clone().unwrap_or_default(),
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Public. Sends a reset link when the login has a verified address; the answer is
    /// the same in every case, so it reveals nothing.
    pub async fn reset_request(&self, ctx: &CallCtx, login: &str) -> ApiResult<()> {
        let login = login_normalize(login);
        let client = ctx.client_addr.clone().unwrap_or_default();
        let now = now_ms();
        let key = format!("reset:{login}");
        if store::throttle_blocked_until(&self.db, &[key.as_str(), &format!("reset-ip:{client}")]).await? > now {
            return Ok(());
        }
        let mut tx = self.db.begin_write().await?;
        for k in [key.clone(), format!("reset-ip:{client}")] {
            let hits = store::throttle_hit(&mut tx, &k, now, ACCOUNT_THROTTLE.window_ms).await?;
            if hits > 5 {
                store::throttle_block(&mut tx, &k, now + ACCOUNT_THROTTLE.max_block_ms).await?;
            }
        }
        let target = match store::account_by_login(&self.db, &login).await? {
            Some(a) if a.status == "active" => {
                sqlx::query("SELECT email FROM account_email WHERE account_id = $1 AND verified_at IS NOT NULL")
                    .bind(&a.id)
                    .fetch_optional(self.db.pool())
                    .await?
                    .map(|r| (a.id.clone(), r.get::<String, _>(0)))
            }
            _ => None,
        };
        if let Some((account_id, email)) = target {
            let token = self.token_new(&mut tx, &account_id, "reset", &email, RESET_TTL_MS).await?;
            let link = format!("{}/ky/reset/new?token={token}", portal());
            let body = format!(
                "EDU24\n\nЖаңы сырсөз коюу үчүн шилтемени ачыңыз (30 мүнөт жарактуу, бир жолу):\nЧтобы задать новый пароль, откройте ссылку (действует 30 минут, один раз):\n\n{link}\n\n\
                 Эгер сиз сураган эмес болсоңуз, сырсөзүңүз өзгөрбөйт. / Если вы этого не запрашивали, пароль не изменится.\n"
            );
            mail_queue(&mut tx, &email, "EDU24: жаңы сырсөз / новый пароль", &body).await?;
            audit_append(
                &mut tx,
                now,
                "anonymous",
                "password.reset_requested",
                &account_id,
                &client,
                "link sent to the verified address",
            )
            .await?;
        }
        tx.commit().await?;
        self.mail_wake.notify_one();
        Ok(())
    }

    /// Public (the token is the credential). Sets a new password by a reset link; every
    /// session ends. A second factor, if on, is still asked at the next login.
    pub async fn reset_complete(&self, ctx: &CallCtx, token: &str, new_password: &str) -> ApiResult<()> {
        // Check the password before using up the link.
        let row = sqlx::query("SELECT account_id FROM email_token WHERE token_hash = $1 AND purpose = 'reset' AND used_at IS NULL AND expires_at > $2")
            .bind(store::secret_hash(token))
            .bind(now_ms())
            .fetch_optional(self.db.pool())
            .await?
            .ok_or_else(invalid_link)?;
        let account = store::account_by_id(&self.db, &row.get::<String, _>(0)).await?.ok_or_else(invalid_link)?;
        let second_factor = matches!(self.totp_of(&account.id).await?, Some((_, true, _)));
        password::check(new_password, &account.login, &account.display_name, second_factor)
            .map_err(|p| ApiError::invalid("new_password", p.english()).with_reason(p.reason()))?;
        let pw = new_password.to_owned();
        let hash = tokio::task::spawn_blocking(move || password_hash(&pw)).await.map_err(|_| ApiError::internal())?;
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        let (account_id, _) = self.token_take(&mut tx, token, "reset").await?;
        if account_id != account.id {
            return Err(ApiError::new(ErrorCode::Internal, "token changed hands"));
        }
        store::account_password_set(&mut tx, &account.id, &hash, false, now).await?;
        let ended = store::sessions_end_all(&mut tx, &account.id, None, "password_reset", now).await?;
        audit_append(
            &mut tx,
            now,
            &account.id,
            "password.reset",
            &account.id,
            &ctx.client_addr.clone().unwrap_or_default(),
            &format!("sessions_ended={ended}"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The caller's e-mail address and whether it is confirmed.
    pub async fn email_of(&self, account_id: &str) -> ApiResult<Option<(String, bool)>> {
        Ok(sqlx::query("SELECT email, verified_at FROM account_email WHERE account_id = $1")
            .bind(account_id)
            .fetch_optional(self.db.pool())
            .await?
            .map(|r| (r.get::<String, _>(0), r.get::<Option<i64>, _>(1).is_some())))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn email_addresses_have_their_shape() {
        assert!(super::valid_email("nurgul.asanova@knu.kg"));
        assert!(!super::valid_email("nurgul"));
        assert!(!super::valid_email("a@b"));
        assert!(!super::valid_email("a b@c.kg"));
    }
}

//! People who register themselves: applicants (at once) and employers (verified by the
//! ministry before they hold the employer role and can see anything about students).

use edu24_shared::auth::{CallCtx, Role, RoleGrant};
use edu24_shared::error::{ApiError, ApiResult, ErrorCode};
use edu24_shared::time::{new_id, now_ms};
use sqlx::Row;

use crate::app::{IdentityService, password_hash};
use crate::audit::audit_append;
use crate::authority::may_assign;
use crate::domain::{ADDRESS_THROTTLE, login_normalize};
use crate::password;
use crate::store::{self, AccountRow};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationKind {
    Applicant,
    Employer,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationInput {
    pub kind: RegistrationKind,
    pub login: String,
    pub display_name: String,
    pub password: String,
    /// Employers: the organisation, its tax number (ИНН, 14 digits) and a contact.
    pub organisation: String,
    pub tax_id: String,
    pub contact: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerRequestView {
    pub account_id: String,
    pub login: String,
    pub display_name: String,
    pub organisation: String,
    pub tax_id: String,
    pub contact: String,
    pub created_at_ms: i64,
    pub state: String,
}

fn ministry_admin(p: &edu24_shared::auth::Principal) -> bool {
    may_assign(&p.claims.roles, Role::Employer, None)
}

impl IdentityService {
    /// Public. Creates the account of an applicant (with the applicant role) or of an
    /// employer (waiting for verification).
    pub async fn register(&self, ctx: &CallCtx, input: RegistrationInput) -> ApiResult<String> {
        let login = login_normalize(&input.login);
        if !(3..=64).contains(&login.len())
            || !login
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_' | b'@'))
        {
            return Err(ApiError::invalid(
                "login",
                "a login has 3 to 64 Latin letters, digits, dots, hyphens, underscores or @",
            ));
        }
        let name = input.display_name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(ApiError::invalid("display_name", "write your full name"));
        }
        password::check(&input.password, &login, name, false)
            .map_err(|p| ApiError::invalid("password", p.english()).with_reason(p.reason()))?;
        if input.kind == RegistrationKind::Employer {
            if input.organisation.trim().is_empty() || input.organisation.chars().count() > 300 {
                return Err(ApiError::invalid("organisation", "name the organisation"));
            }
            let tax = input.tax_id.trim();
            if tax.len() != 14 || !tax.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ApiError::invalid("tax_id", "a tax number (ИНН) has 14 digits"));
            }
            if input.contact.trim().chars().count() < 5 || input.contact.chars().count() > 100 {
                return Err(ApiError::invalid("contact", "give a telephone number or an e-mail address"));
            }
        }
        let client = ctx.client_addr.clone().unwrap_or_default();
        let key = format!("register:{client}");
        let now = now_ms();
        if store::throttle_blocked_until(&self.db, &[key.as_str()]).await? > now {
            return Err(ApiError::new(ErrorCode::ResourceExhausted, "too many registrations from this address")
                .with_reason("register_throttled"));
        }
        if store::account_by_login(&self.db, &login).await?.is_some() {
            return Err(ApiError::new(ErrorCode::AlreadyExists, "this login is taken").with_reason("login_taken"));
        }
        let pw = input.password.clone();
        let hash = tokio::task::spawn_blocking(move || password_hash(&pw)).await.map_err(|_| ApiError::internal())?;
        let id = new_id();
        let mut tx = self.db.begin_write().await?;
        if store::throttle_hit(&mut tx, &key, now, 60 * 60 * 1000).await? > 10 {
            store::throttle_block(&mut tx, &key, now + ADDRESS_THROTTLE.max_block_ms).await?;
        }
        store::account_insert(
            &mut tx,
            &AccountRow {
                id: id.clone(),
                login: login.clone(),
                display_name: name.to_owned(),
                password_hash: hash,
                status: "active".into(),
                must_change_password: false,
                created_at: now,
            },
            now,
        )
        .await?;
        match input.kind {
            RegistrationKind::Applicant => {
                store::grant_insert(
                    &mut tx,
                    &new_id(),
                    &id,
                    &RoleGrant { role: Role::Applicant, inst: None },
                    &id,
                    now,
                )
                .await?;
                audit_append(&mut tx, now, &id, "account.registered", &id, &client, "kind=applicant").await?;
            }
            RegistrationKind::Employer => {
                sqlx::query("INSERT INTO employer_request (account_id, organisation, tax_id, contact, created_at, state) VALUES ($1, $2, $3, $4, $5, 'pending')")
                    .bind(&id)
                    .bind(input.organisation.trim())
                    .bind(input.tax_id.trim())
                    .bind(input.contact.trim())
                    .bind(now)
                    .execute(tx.conn())
                    .await?;
                audit_append(
                    &mut tx,
                    now,
                    &id,
                    "account.registered",
                    &id,
                    &client,
                    "kind=employer, waiting for verification",
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Employers waiting for verification (ministry admin).
    pub async fn employer_requests_pending(&self, ctx: &CallCtx) -> ApiResult<Vec<EmployerRequestView>> {
        let p = self.auth.require(ctx).await?;
        if !ministry_admin(&p) {
            return Err(ApiError::forbidden());
        }
        let rows = sqlx::query(
            "SELECT r.account_id, a.login, a.display_name, r.organisation, r.tax_id, r.contact, r.created_at, r.state \
             FROM employer_request r JOIN account a ON a.id = r.account_id WHERE r.state = 'pending' ORDER BY r.created_at LIMIT 500",
        )
        .fetch_all(self.db.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(EmployerRequestView {
                    account_id: r.try_get(0)?,
                    login: r.try_get(1)?,
                    display_name: r.try_get(2)?,
                    organisation: r.try_get(3)?,
                    tax_id: r.try_get(4)?,
                    contact: r.try_get(5)?,
                    created_at_ms: r.try_get(6)?,
                    state: r.try_get(7)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// Verifies an employer (granting the employer role) or rejects, with a reason.
    pub async fn employer_request_decide(
        &self,
        ctx: &CallCtx,
        account_id: &str,
        verify: bool,
        reason: &str,
    ) -> ApiResult<()> {
        let p = self.auth.require(ctx).await?;
        if !ministry_admin(&p) {
            return Err(ApiError::not_found("request"));
        }
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 500 {
            return Err(ApiError::invalid("reason", "say why (it is kept in the audit log)"));
        }
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        let n = sqlx::query(
            "UPDATE employer_request SET state = $2, decided_by = $3, decided_at = $4, reason = $5 WHERE account_id = $1 AND state = 'pending'",
        )
        .bind(account_id)
        .bind(if verify { "verified" } else { "rejected" })
        .bind(p.account_id())
        .bind(now)
        .bind(reason)
        .execute(tx.conn())
        .await?
        .rows_affected();
        if n != 1 {
            return Err(ApiError::not_found("request"));
        }
        let client = ctx.client_addr.clone().unwrap_or_default();
        if verify {
            store::grant_insert(
                &mut tx,
                &new_id(),
                account_id,
                &RoleGrant { role: Role::Employer, inst: None },
                p.account_id(),
                now,
            )
            .await?;
            audit_append(
                &mut tx,
                now,
                p.account_id(),
                "employer.verified",
                account_id,
                &client,
                &format!("reason={reason}"),
            )
            .await?;
        } else {
            audit_append(
                &mut tx,
                now,
                p.account_id(),
                "employer.rejected",
                account_id,
                &client,
                &format!("reason={reason}"),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The state of the caller's employer verification, if they registered as one.
    pub async fn employer_request_state(&self, ctx: &CallCtx) -> ApiResult<Option<String>> {
        let p = self.auth.require_any(ctx).await?;
        Ok(sqlx::query("SELECT state FROM employer_request WHERE account_id = $1")
            .bind(p.account_id())
            .fetch_optional(self.db.pool())
            .await?
            .map(|r| r.get(0)))
    }
}

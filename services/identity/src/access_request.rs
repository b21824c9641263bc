//! Access for students enrolled before EDU24: a request with PIN and student ticket,
//! decided by the registrar of that university. Approval issues the account and its
//! password card at once; rejection keeps the reason. Requests are throttled per
//! address, and every decision is audited.

use edu24_shared::auth::{CallCtx, Role, RoleGrant};
use edu24_shared::error::{ApiError, ApiResult, ErrorCode};
use edu24_shared::time::{new_id, now_ms};
use sqlx::Row;

use crate::admin::{DocumentFile, one_time_password};
use crate::app::{IdentityService, password_hash};
use crate::audit::audit_append;
use crate::authority::may_assign;
use crate::domain::ADDRESS_THROTTLE;
use crate::roster::{valid_name, valid_pin, valid_ticket};
use crate::store::{self, AccountRow, RosterEntry};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessRequestInput {
    pub institution_id: String,
    pub pin: String,
    pub ticket_no: String,
    pub surname: String,
    pub given_name: String,
    pub patronymic: String,
    pub programme: String,
    pub study_year: i64,
    /// A telephone number or e-mail address, so the registrar can call the student in.
    pub contact: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessRequestView {
    pub id: String,
    pub input: AccessRequestInput,
    pub created_at_ms: i64,
    pub state: String,
}

impl AccessRequestInput {
    fn validate(&self) -> ApiResult<()> {
        let bad = |f: &str, m: &str| Err(ApiError::invalid(f, m).with_reason(&format!("request_{f}")));
        if self.institution_id.is_empty() || self.institution_id.len() > 64 {
            return bad("institution_id", "choose your university");
        }
        if !valid_pin(self.pin.trim()) {
            return bad("pin", "a PIN has 14 digits: 1 or 2, the birth date DDMMYYYY, then 5 digits");
        }
        if !valid_ticket(self.ticket_no.trim()) {
            return bad("ticket_no", "a student ticket number has 3 to 32 Latin letters, digits or hyphens");
        }
        if !valid_name(self.surname.trim()) || !valid_name(self.given_name.trim()) {
            return bad("surname", "write your surname and given name in letters");
        }
        if !self.patronymic.trim().is_empty() && !valid_name(self.patronymic.trim()) {
            return bad("patronymic", "write your patronymic in letters");
        }
        if self.programme.trim().is_empty() || self.programme.chars().count() > 200 {
            return bad("programme", "name your programme");
        }
        if !(1..=7).contains(&self.study_year) {
            return bad("study_year", "the year of study is 1 to 7");
        }
        if self.contact.trim().chars().count() < 5 || self.contact.chars().count() > 100 {
            return bad("contact", "give a telephone number or an e-mail address");
        }
        Ok(())
    }
}

const COLUMNS: &str = "id, institution_id, pin, ticket_no, surname, given_name, patronymic, programme, study_year, contact, created_at, state";

fn view(r: &sqlx::any::AnyRow) -> Result<AccessRequestView, sqlx::Error> {
    Ok(AccessRequestView {
        id: r.try_get(0)?,
        input: AccessRequestInput {
            institution_id: r.try_get(1)?,
            pin: r.try_get(2)?,
            ticket_no: r.try_get(3)?,
            surname: r.try_get(4)?,
            given_name: r.try_get(5)?,
            patronymic: r.try_get(6)?,
            programme: r.try_get(7)?,
            study_year: r.try_get(8)?,
            contact: r.try_get(9)?,
        },
        created_at_ms: r.try_get(10)?,
        state: r.try_get(11)?,
    })
}

impl IdentityService {
    /// Public. Records a request; at most a few an hour from one address.
    pub async fn access_request_submit(&self, ctx: &CallCtx, input: AccessRequestInput) -> ApiResult<String> {
        input.validate()?;
        let client = ctx.client_addr.clone().unwrap_or_default();
        let key = format!("request:{client}");
        let now = now_ms();
        if store::throttle_blocked_until(&self.db, &[key.as_str()]).await? > now {
            return Err(ApiError::new(ErrorCode::ResourceExhausted, "too many requests from this address")
                .with_reason("request_throttled"));
        }
        let pending = sqlx::query(
            "SELECT 1 FROM access_request WHERE institution_id = $1 AND ticket_no = $2 AND state = 'pending'",
        )
        .bind(&input.institution_id)
        .bind(input.ticket_no.trim())
        .fetch_optional(self.db.pool())
        .await?;
        if pending.is_some() {
            return Err(ApiError::new(ErrorCode::AlreadyExists, "a request for this student ticket is waiting")
                .with_reason("request_pending"));
        }
        let id = new_id();
        let mut tx = self.db.begin_write().await?;
        // Ten requests an hour from one address, then a pause.
        let hits = store::throttle_hit(&mut tx, &key, now, 60 * 60 * 1000).await?;
        if hits > 10 {
            store::throttle_block(&mut tx, &key, now + ADDRESS_THROTTLE.max_block_ms).await?;
        }
        sqlx::query(
            "INSERT INTO access_request (id, institution_id, pin, ticket_no, surname, given_name, patronymic, programme, \
             study_year, contact, client_address, created_at, state) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'pending')",
        )
        .bind(&id)
        .bind(&input.institution_id)
        .bind(input.pin.trim())
        .bind(input.ticket_no.trim())
        .bind(input.surname.trim())
        .bind(input.given_name.trim())
        .bind(input.patronymic.trim())
        .bind(input.programme.trim())
        .bind(input.study_year)
        .bind(input.contact.trim())
        .bind(&client)
        .bind(now)
        .execute(tx.conn())
        .await?;
        audit_append(
            &mut tx,
            now,
            "anonymous",
            "access_request.submitted",
            &id,
            &client,
            &format!("institution={}", input.institution_id),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Pending requests at the institutions where the caller issues student accounts.
    pub async fn access_requests_pending(&self, ctx: &CallCtx) -> ApiResult<Vec<AccessRequestView>> {
        let p = self.auth.require(ctx).await?;
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM access_request WHERE state = 'pending' ORDER BY created_at LIMIT 500"
        ))
        .fetch_all(self.db.pool())
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let v = view(r)?;
            if may_assign(&p.claims.roles, Role::Student, Some(&v.input.institution_id)) {
                out.push(v);
            }
        }
        Ok(out)
    }

    /// Approves (issuing the account; returns its card) or rejects a request, with a reason.
    pub async fn access_request_decide(
        &self,
        ctx: &CallCtx,
        id: &str,
        approve: bool,
        reason: &str,
    ) -> ApiResult<Option<DocumentFile>> {
        let p = self.auth.require(ctx).await?;
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 500 {
            return Err(ApiError::invalid("reason", "say why (it is kept in the audit log)"));
        }
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM access_request WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.db.pool())
            .await?
            .ok_or_else(|| ApiError::not_found("request"))?;
        let req = view(&row)?;
        if !may_assign(&p.claims.roles, Role::Student, Some(&req.input.institution_id)) {
            return Err(ApiError::not_found("request"));
        }
        if req.state != "pending" {
            return Err(ApiError::new(ErrorCode::FailedPrecondition, "the request was already decided")
                .with_reason("request_decided"));
        }
        let now = now_ms();
        let client = ctx.client_addr.clone().unwrap_or_default();
        let i = &req.input;
        if !approve {
            let mut tx = self.db.begin_write().await?;
            sqlx::query("UPDATE access_request SET state = 'rejected', decided_by = $2, decided_at = $3, reason = $4 WHERE id = $1 AND state = 'pending'")
                .bind(id)
                .bind(p.account_id())
                .bind(now)
                .bind(reason)
                .execute(tx.conn())
                .await?;
            audit_append(
                &mut tx,
                now,
                p.account_id(),
                "access_request.rejected",
                id,
                &client,
                &format!("reason={reason}"),
            )
            .await?;
            tx.commit().await?;
            return Ok(None);
        }
        let login = i.ticket_no.to_lowercase();
        if store::account_by_login(&self.db, &login).await?.is_some() {
            return Err(ApiError::new(ErrorCode::AlreadyExists, "an account with this student ticket exists")
                .with_reason("login_taken"));
        }
        let mut random = [0u8; 16];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut random);
        let password = one_time_password(&random);
        let pw = password.clone();
        let hash = tokio::task::spawn_blocking(move || password_hash(&pw)).await.map_err(|_| ApiError::internal())?;
        let display_name = [i.surname.as_str(), i.given_name.as_str(), i.patronymic.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        let account_id = new_id();
        let mut tx = self.db.begin_write().await?;
        let n = sqlx::query(
            "UPDATE access_request SET state = 'approved', decided_by = $2, decided_at = $3, reason = $4, account_id = $5 \
             WHERE id = $1 AND state = 'pending'",
        )
        .bind(id)
        .bind(p.account_id())
        .bind(now)
        .bind(reason)
        .bind(&account_id)
        .execute(tx.conn())
        .await?
        .rows_affected();
        if n != 1 {
            return Err(ApiError::new(ErrorCode::FailedPrecondition, "the request was already decided")
                .with_reason("request_decided"));
        }
        store::account_insert(
            &mut tx,
            &AccountRow {
                id: account_id.clone(),
                login: login.clone(),
                display_name: display_name.clone(),
                password_hash: hash,
                status: "active".into(),
                must_change_password: true,
                created_at: now,
            },
            now,
        )
        .await?;
        store::grant_insert(
            &mut tx,
            &new_id(),
            &account_id,
            &RoleGrant { role: Role::Student, inst: Some(i.institution_id.clone()) },
            p.account_id(),
            now,
        )
        .await?;
        store::roster_entry_insert(
            &mut tx,
            &account_id,
            &RosterEntry {
                institution_id: i.institution_id.clone(),
                pin: i.pin.clone(),
                ticket_no: i.ticket_no.clone(),
                surname: i.surname.clone(),
                given_name: i.given_name.clone(),
                patronymic: i.patronymic.clone(),
                programme: i.programme.clone(),
                study_year: i.study_year,
            },
        )
        .await?;
        audit_append(
            &mut tx,
            now,
            p.account_id(),
            "access_request.approved",
            id,
            &client,
            &format!("account={account_id} reason={reason}"),
        )
        .await?;
        audit_append(
            &mut tx,
            now,
            p.account_id(),
            "account.issued",
            &account_id,
            &client,
            &format!("login={login} access_request={id}"),
        )
        .await?;
        tx.commit().await?;
        let institution = store::institution_name(&self.db, &i.institution_id).await?;
        let card = crate::cards::Card { login: login.clone(), display_name, password, institution };
        let portal = edu24_shared::config::env_or("EDU24_PUBLIC_URL", "http://127.0.0.1:8080");
        let bytes = tokio::task::spawn_blocking(move || crate::cards::cards_pdf(&[card], &portal, "EDU24"))
            .await
            .map_err(|_| ApiError::internal())?;
        Ok(Some(DocumentFile { file_name: format!("edu24-card-{login}.pdf"), bytes }))
    }
}

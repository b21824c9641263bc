//! Accounts issued in bulk from a roster, with printed password cards.
//!
//! 1. `roster_upload` parses and checks the whole file (against the accounts that exist
//!    too) and keeps it for a preview; any problem in any row means nothing is kept.
//! 2. `issuance_start` turns a clean upload into a job, in one transaction, with the
//!    rows still to issue (people already issued at this institution are skipped, so a
//!    re-upload creates no duplicates).
//! 3. The worker issues the rows in batches, each batch one transaction (accounts,
//!    student roles, roster entries, audit, progress). Killed at any moment, it resumes
//!    where the last committed batch ended.
//! 4. Each one-time password is HMAC(job seed, row) and is never stored: the cards PDF
//!    derives them again. Closing the job erases the seed; after that no one can.

use std::sync::Arc;
use std::time::Duration;

use edu24_shared::auth::{CallCtx, Principal, Role, RoleGrant};
use edu24_shared::db::Db;
use edu24_shared::error::{ApiError, ApiResult, ErrorCode};
use edu24_shared::time::{new_id, now_ms};
use futures::StreamExt;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use sqlx::Row;

use crate::admin::{DocumentFile, one_time_password};
use crate::app::{IdentityService, password_hash};
use crate::audit::audit_append;
use crate::authority::may_assign;
use crate::roster::{self, RosterRow};
use crate::store::{self, AccountRow};

/// A problem of an uploaded roster, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowIssue {
    pub row: u64,
    pub column: String,
    pub code: String,
    pub other_row: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewRow {
    pub display_name: String,
    pub login: String,
    pub programme: String,
    pub year: i64,
}

/// What an upload would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadPreview {
    /// Empty when the roster has problems (nothing was kept).
    pub upload_id: String,
    pub file_name: String,
    pub institution_id: String,
    pub rows: u64,
    pub new_accounts: u64,
    pub already_issued: u64,
    pub problems: Vec<RowIssue>,
    pub sample: Vec<PreviewRow>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobView {
    pub id: String,
    pub institution_id: String,
    pub file_name: String,
    /// running, done or closed
    pub state: String,
    pub total: u64,
    /// Rows processed: issued, or set aside.
    pub done: u64,
    /// Rows set aside because their login or ticket was taken meanwhile.
    pub skipped: u64,
    pub created_at_ms: i64,
    pub finished_at_ms: Option<i64>,
}

const BATCH: usize = 32;

fn issue(p: &roster::RowProblem) -> RowIssue {
    RowIssue {
        row: p.row as u64,
        column: p.column.to_owned(),
        code: p.code.to_owned(),
        other_row: p.other_row.map(|r| r as u64),
    }
}

/// The one-time password of row `row_no` of a job.
pub fn derive_password(seed: &[u8], job_id: &str, row_no: i64) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(seed).expect("HMAC takes any key");
    mac.update(job_id.as_bytes());
    mac.update(&row_no.to_be_bytes());
    let out = mac.finalize().into_bytes();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&out[..16]);
    one_time_password(&bytes)
}

fn job_from(r: &sqlx::any::AnyRow) -> Result<JobView, sqlx::Error> {
    Ok(JobView {
        id: r.try_get("id")?,
        institution_id: r.try_get("institution_id")?,
        file_name: r.try_get("file_name")?,
        state: r.try_get("state")?,
        total: r.try_get::<i64, _>("total")? as u64,
        done: r.try_get::<i64, _>("done")? as u64,
        skipped: r.try_get::<i64, _>("skipped")? as u64,
        created_at_ms: r.try_get("created_at")?,
        finished_at_ms: r.try_get("finished_at")?,
    })
}

const JOB_COLUMNS: &str = "id, institution_id, file_name, state, total, done, skipped, created_at, finished_at";

async fn job_load(db: &Db, id: &str) -> Result<Option<JobView>, sqlx::Error> {
    sqlx::query(&format!("SELECT {JOB_COLUMNS} FROM issuance_job WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?
        .map(|r| job_from(&r))
        .transpose()
}

fn may_issue(p: &Principal, institution_id: &str) -> bool {
    may_assign(&p.claims.roles, Role::Student, Some(institution_id))
}

impl IdentityService {
    /// Checks every row against the accounts that exist: a person already issued here
    /// (same ticket and PIN) is skipped; a ticket or login held by someone else, or a
    /// PIN issued here under another ticket, is a problem.
    async fn roster_check(
        &self,
        institution_id: &str,
        rows: &[RosterRow],
    ) -> ApiResult<(Vec<RosterRow>, u64, Vec<RowIssue>)> {
        let mut fresh = Vec::new();
        let mut already = 0;
        let mut problems = Vec::new();
        for r in rows {
            let by_ticket = sqlx::query("SELECT pin FROM roster_entry WHERE institution_id = $1 AND ticket_no = $2")
                .bind(institution_id)
                .bind(&r.ticket_no)
                .fetch_optional(self.db.pool())
                .await?;
            match by_ticket {
                Some(row) if row.try_get::<String, _>(0)? == r.pin => {
                    already += 1;
                    continue;
                }
                Some(_) => {
                    problems.push(RowIssue {
                        row: r.row as u64,
                        column: "ticket_no".into(),
                        code: "ticket_taken".into(),
                        other_row: None,
                    });
                    continue;
                }
                None => {}
            }
            let pin_elsewhere =
                sqlx::query("SELECT ticket_no FROM roster_entry WHERE institution_id = $1 AND pin = $2")
                    .bind(institution_id)
                    .bind(&r.pin)
                    .fetch_optional(self.db.pool())
                    .await?;
            if pin_elsewhere.is_some() {
                problems.push(RowIssue {
                    row: r.row as u64,
                    column: "pin".into(),
                    code: "pin_other_ticket".into(),
                    other_row: None,
                });
                continue;
            }
            if store::account_by_login(&self.db, &r.login()).await?.is_some() {
                problems.push(RowIssue {
                    row: r.row as u64,
                    column: "ticket_no".into(),
                    code: "login_taken".into(),
                    other_row: None,
                });
                continue;
            }
            fresh.push(r.clone());
        }
        Ok((fresh, already, problems))
    }

    /// Uploads a roster for a preview. Nothing is kept when any row has a problem.
    pub async fn roster_upload(
        &self,
        ctx: &CallCtx,
        institution_id: &str,
        file_name: &str,
        bytes: &[u8],
    ) -> ApiResult<UploadPreview> {
        let p = self.auth.require(ctx).await?;
        if !may_issue(&p, institution_id) {
            return Err(ApiError::forbidden());
        }
        let file_name: String = file_name.chars().filter(|c| !c.is_control()).take(120).collect();
        let mut preview = UploadPreview {
            upload_id: String::new(),
            file_name: file_name.clone(),
            institution_id: institution_id.to_owned(),
            rows: 0,
            new_accounts: 0,
            already_issued: 0,
            problems: Vec::new(),
            sample: Vec::new(),
        };
        let rows = match roster::parse(bytes) {
            Ok(rows) => rows,
            Err(problems) => {
                preview.problems = problems.iter().map(issue).collect();
                return Ok(preview);
            }
        };
        let (fresh, already, problems) = self.roster_check(institution_id, &rows).await?;
        preview.rows = rows.len() as u64;
        preview.new_accounts = fresh.len() as u64;
        preview.already_issued = already;
        preview.problems = problems;
        preview.sample = fresh
            .iter()
            .take(8)
            .map(|r| PreviewRow {
                display_name: r.display_name(),
                login: r.login(),
                programme: r.programme.clone(),
                year: r.year,
            })
            .collect();
        if preview.problems.is_empty() && !fresh.is_empty() {
            let id = new_id();
            let now = now_ms();
            let mut tx = self.db.begin_write().await?;
            sqlx::query("DELETE FROM roster_upload WHERE created_at < $1")
                .bind(now - 24 * 3600 * 1000)
                .execute(tx.conn())
                .await?;
            sqlx::query("INSERT INTO roster_upload (id, institution_id, created_by, created_at, file_name, content) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(&id)
                .bind(institution_id)
                .bind(p.account_id())
                .bind(now)
                .bind(&file_name)
                .bind(bytes.to_vec())
                .execute(tx.conn())
                .await?;
            tx.commit().await?;
            preview.upload_id = id;
        }
        Ok(preview)
    }

    /// Starts issuing a previewed upload: the job and its rows in one transaction.
    pub async fn issuance_start(&self, ctx: &CallCtx, upload_id: &str) -> ApiResult<JobView> {
        let p = self.auth.require(ctx).await?;
        let upload =
            sqlx::query("SELECT institution_id, created_by, file_name, content FROM roster_upload WHERE id = $1")
                .bind(upload_id)
                .fetch_optional(self.db.pool())
                .await?
                .ok_or_else(|| ApiError::not_found("upload"))?;
        let institution_id: String = upload.try_get(0)?;
        let created_by: String = upload.try_get(1)?;
        if created_by != p.account_id() || !may_issue(&p, &institution_id) {
            return Err(ApiError::not_found("upload"));
        }
        let file_name: String = upload.try_get(2)?;
        let content: Vec<u8> = upload.try_get(3)?;
        let rows = roster::parse(&content)
            .map_err(|_| ApiError::new(ErrorCode::FailedPrecondition, "the roster changed; upload it again"))?;
        let (fresh, already, problems) = self.roster_check(&institution_id, &rows).await?;
        if !problems.is_empty() || fresh.is_empty() {
            return Err(ApiError::new(
                ErrorCode::FailedPrecondition,
                "the roster no longer fits the accounts; upload it again",
            )
            .with_reason("roster_stale"));
        }
        let id = new_id();
        let now = now_ms();
        let mut seed = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut seed);
        let mut tx = self.db.begin_write().await?;
        sqlx::query(
            "INSERT INTO issuance_job (id, institution_id, created_by, created_at, file_name, state, total, done, seed) \
             VALUES ($1, $2, $3, $4, $5, 'running', $6, 0, $7)",
        )
        .bind(&id)
        .bind(&institution_id)
        .bind(p.account_id())
        .bind(now)
        .bind(&file_name)
        .bind(fresh.len() as i64)
        .bind(seed.to_vec())
        .execute(tx.conn())
        .await?;
        for (n, r) in fresh.iter().enumerate() {
            sqlx::query(
                "INSERT INTO issuance_row (job_id, row_no, pin, ticket_no, surname, given_name, patronymic, programme, study_year) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(&id)
            .bind(n as i64)
            .bind(&r.pin)
            .bind(&r.ticket_no)
            .bind(&r.surname)
            .bind(&r.given_name)
            .bind(&r.patronymic)
            .bind(&r.programme)
            .bind(r.year)
            .execute(tx.conn())
            .await?;
        }
        sqlx::query("DELETE FROM roster_upload WHERE id = $1").bind(upload_id).execute(tx.conn()).await?;
        let client = ctx.client_addr.clone().unwrap_or_default();
        audit_append(
            &mut tx,
            now,
            p.account_id(),
            "issuance.started",
            &id,
            &client,
            &format!("institution={institution_id} new={} already={already} file={file_name}", fresh.len()),
        )
        .await?;
        tx.commit().await?;
        self.issuance_wake.notify_one();
        job_load(&self.db, &id).await?.ok_or_else(ApiError::internal)
    }

    async fn job_for(&self, p: &Principal, job_id: &str) -> ApiResult<JobView> {
        let job = job_load(&self.db, job_id).await?.ok_or_else(|| ApiError::not_found("issuance"))?;
        if !may_issue(p, &job.institution_id) {
            return Err(ApiError::not_found("issuance"));
        }
        Ok(job)
    }

    pub async fn issuance_get(&self, ctx: &CallCtx, job_id: &str) -> ApiResult<JobView> {
        let p = self.auth.require(ctx).await?;
        self.job_for(&p, job_id).await
    }

    /// The latest issuances of the institutions the caller issues accounts for.
    pub async fn issuance_list(&self, ctx: &CallCtx) -> ApiResult<Vec<JobView>> {
        let p = self.auth.require(ctx).await?;
        let rows = sqlx::query(&format!("SELECT {JOB_COLUMNS} FROM issuance_job ORDER BY created_at DESC LIMIT 200"))
            .fetch_all(self.db.pool())
            .await?;
        let mut out = Vec::new();
        for r in &rows {
            let job = job_from(r)?;
            if may_issue(&p, &job.institution_id) {
                out.push(job);
            }
            if out.len() == 20 {
                break;
            }
        }
        Ok(out)
    }

    /// The cards of a finished issuance, in roster order. Only while the job is open.
    pub async fn issuance_cards(&self, ctx: &CallCtx, job_id: &str) -> ApiResult<DocumentFile> {
        let p = self.auth.require(ctx).await?;
        let job = self.job_for(&p, job_id).await?;
        if job.state != "done" {
            let reason = if job.state == "closed" { "issuance_closed" } else { "issuance_running" };
            return Err(ApiError::new(ErrorCode::FailedPrecondition, "the cards are not available").with_reason(reason));
        }
        let seed: Option<Vec<u8>> = sqlx::query("SELECT seed FROM issuance_job WHERE id = $1")
            .bind(job_id)
            .fetch_one(self.db.pool())
            .await?
            .try_get(0)?;
        let seed = seed.ok_or_else(|| {
            ApiError::new(ErrorCode::FailedPrecondition, "the cards are not available").with_reason("issuance_closed")
        })?;
        let rows = sqlx::query(
            "SELECT row_no, ticket_no, surname, given_name, patronymic FROM issuance_row \
             WHERE job_id = $1 AND account_id IS NOT NULL ORDER BY row_no",
        )
        .bind(job_id)
        .fetch_all(self.db.pool())
        .await?;
        let institution = store::institution_name(&self.db, &job.institution_id).await?;
        let mut cards = Vec::with_capacity(rows.len());
        for r in &rows {
            let row_no: i64 = r.try_get(0)?;
            let ticket: String = r.try_get(1)?;
            let name = [r.try_get::<String, _>(2)?, r.try_get::<String, _>(3)?, r.try_get::<String, _>(4)?]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            cards.push(crate::cards::Card {
                login: ticket.to_lowercase(),
                display_name: name,
                password: derive_password(&seed, job_id, row_no),
                institution: institution.clone(),
            });
        }
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        audit_append(
            &mut tx,
            now,
            p.account_id(),
            "issuance.cards_printed",
            job_id,
            &ctx.client_addr.clone().unwrap_or_default(),
            &format!("cards={}", cards.len()),
        )
        .await?;
        tx.commit().await?;
        let portal = edu24_shared::config::env_or("EDU24_PUBLIC_URL", "http://127.0.0.1:8080");
        let bytes = tokio::task::spawn_blocking(move || crate::cards::cards_pdf(&cards, &portal, "EDU24"))
            .await
            .map_err(|_| ApiError::internal())?;
        Ok(DocumentFile { file_name: format!("edu24-cards-{}.pdf", &job_id[..8.min(job_id.len())]), bytes })
    }

    /// Closes a finished issuance: the seed is erased, the passwords can never be derived
    /// again (lost cards are then re-issued one by one).
    pub async fn issuance_close(&self, ctx: &CallCtx, job_id: &str) -> ApiResult<JobView> {
        let p = self.auth.require(ctx).await?;
        let job = self.job_for(&p, job_id).await?;
        if job.state != "done" {
            return Err(ApiError::new(ErrorCode::FailedPrecondition, "only a finished issuance can be closed")
                .with_reason("issuance_running"));
        }
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        sqlx::query("UPDATE issuance_job SET seed = NULL, state = 'closed', closed_at = $2 WHERE id = $1")
            .bind(job_id)
            .bind(now)
            .execute(tx.conn())
            .await?;
        audit_append(
            &mut tx,
            now,
            p.account_id(),
            "issuance.closed",
            job_id,
            &ctx.client_addr.clone().unwrap_or_default(),
            "seed erased",
        )
        .await?;
        tx.commit().await?;
        job_load(&self.db, job_id).await?.ok_or_else(ApiError::internal)
    }

    /// Issues the next batch of a running job; returns how many rows it issued.
    pub async fn issuance_step(&self, job_id: &str) -> anyhow::Result<usize> {
        let job = sqlx::query("SELECT institution_id, created_by, seed, state FROM issuance_job WHERE id = $1")
            .bind(job_id)
            .fetch_one(self.db.pool())
            .await?;
        let institution_id: String = job.try_get(0)?;
        let actor: String = job.try_get(1)?;
        let seed: Option<Vec<u8>> = job.try_get(2)?;
        let state: String = job.try_get(3)?;
        let Some(seed) = seed.filter(|_| state == "running") else { return Ok(0) };
        let rows = sqlx::query(
            "SELECT row_no, pin, ticket_no, surname, given_name, patronymic, programme, study_year FROM issuance_row \
             WHERE job_id = $1 AND account_id IS NULL AND problem IS NULL ORDER BY row_no LIMIT $2",
        )
        .bind(job_id)
        .bind(BATCH as i64)
        .fetch_all(self.db.pool())
        .await?;
        let now = now_ms();
        if rows.is_empty() {
            sqlx::query("UPDATE issuance_job SET state = 'done', finished_at = $2 WHERE id = $1 AND state = 'running'")
                .bind(job_id)
                .bind(now)
                .execute(self.db.pool())
                .await?;
            return Ok(0);
        }
        // Hash the batch on every core.
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        let jobs: Vec<(i64, String)> =
            rows.iter().map(|r| r.get::<i64, _>(0)).map(|n| (n, derive_password(&seed, job_id, n))).collect();
        let hashes: Vec<String> = futures::stream::iter(jobs)
            .map(|(_, pw)| tokio::task::spawn_blocking(move || password_hash(&pw)))
            .buffered(cores)
            .collect::<Vec<_>>()
            .await
            .into_iter()
            .collect::<Result<_, _>>()?;
        let mut tx = self.db.begin_write().await?;
        let mut skipped = 0i64;
        for (r, hash) in rows.iter().zip(hashes) {
            let row_no: i64 = r.try_get(0)?;
            let ticket: String = r.try_get(2)?;
            let taken = sqlx::query(
                "SELECT 1 FROM account WHERE login = $1 UNION ALL \
                 SELECT 1 FROM roster_entry WHERE institution_id = $2 AND ticket_no = $3",
            )
            .bind(ticket.to_lowercase())
            .bind(&institution_id)
            .bind(&ticket)
            .fetch_optional(tx.conn())
            .await?
            .is_some();
            if taken {
                sqlx::query("UPDATE issuance_row SET problem = 'login_taken' WHERE job_id = $1 AND row_no = $2")
                    .bind(job_id)
                    .bind(row_no)
                    .execute(tx.conn())
                    .await?;
                skipped += 1;
                continue;
            }
            let entry = store::RosterEntry {
                institution_id: institution_id.clone(),
                pin: r.try_get(1)?,
                ticket_no: r.try_get(2)?,
                surname: r.try_get(3)?,
                given_name: r.try_get(4)?,
                patronymic: r.try_get(5)?,
                programme: r.try_get(6)?,
                study_year: r.try_get(7)?,
            };
            let display_name = [entry.surname.as_str(), entry.given_name.as_str(), entry.patronymic.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            let id = new_id();
            let login = entry.ticket_no.to_lowercase();
            store::account_insert(
                &mut tx,
                &AccountRow {
                    id: id.clone(),
                    login: login.clone(),
                    display_name,
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
                &id,
                &RoleGrant { role: Role::Student, inst: Some(institution_id.clone()) },
                &actor,
                now,
            )
            .await?;
            store::roster_entry_insert(&mut tx, &id, &entry).await?;
            sqlx::query("UPDATE issuance_row SET account_id = $3 WHERE job_id = $1 AND row_no = $2")
                .bind(job_id)
                .bind(row_no)
                .bind(&id)
                .execute(tx.conn())
                .await?;
            audit_append(&mut tx, now, &actor, "account.issued", &id, "", &format!("login={login} issuance={job_id}"))
                .await?;
        }
        sqlx::query("UPDATE issuance_job SET done = done + $2, skipped = skipped + $3 WHERE id = $1")
            .bind(job_id)
            .bind(rows.len() as i64)
            .bind(skipped)
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
        Ok(rows.len())
    }

    /// Runs until the process ends: issues every running job, resuming after restarts.
    pub fn spawn_issuance_worker(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let svc = self.clone();
        tokio::spawn(async move {
            loop {
                let running: Vec<String> =
                    match sqlx::query("SELECT id FROM issuance_job WHERE state = 'running' ORDER BY created_at")
                        .fetch_all(svc.db.pool())
                        .await
                    {
                        Ok(rows) => rows.iter().map(|r| r.get(0)).collect(),
                        Err(e) => {
                            tracing::warn!(error = %e, "issuance worker cannot read jobs");
                            Vec::new()
                        }
                    };
                for job in &running {
                    loop {
                        match svc.issuance_step(job).await {
                            Ok(0) => break,
                            Ok(_) => {}
                            Err(e) => {
                                tracing::warn!(job = %job, error = %e, "issuance batch failed; will retry");
                                tokio::time::sleep(Duration::from_secs(2)).await;
                                break;
                            }
                        }
                    }
                }
                let _ = tokio::time::timeout(Duration::from_secs(5), svc.issuance_wake.notified()).await;
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_passwords_are_stable_per_row_and_differ_between_rows_and_jobs() {
        let seed = [7u8; 32];
        assert_eq!(derive_password(&seed, "job1", 0), derive_password(&seed, "job1", 0));
        assert_ne!(derive_password(&seed, "job1", 0), derive_password(&seed, "job1", 1));
        assert_ne!(derive_password(&seed, "job1", 0), derive_password(&seed, "job2", 0));
        assert_ne!(derive_password(&seed, "job1", 0), derive_password(&[8u8; 32], "job1", 0));
    }
}

//! identity: accounts, credentials (argon2id), roles with their scope, sessions with
//! idle and absolute timeouts, Ed25519 access tokens, login throttling, the
//! hash-chained audit log, and the read model of institutions fed by catalogue events.

pub mod access_request;
pub mod admin;
pub mod app;
pub use edu24_shared::audit;
pub mod authority;
pub mod cards;
pub mod domain;
pub mod email;
pub mod events;
pub mod grpc;
pub mod issuance;
pub mod password;
pub mod registration;
pub mod roster;
pub mod second_factor;
pub mod seed;
mod store;
pub mod totp;

use async_trait::async_trait;
use edu24_shared::auth::CallCtx;
use edu24_shared::error::ApiResult;

pub use access_request::{AccessRequestInput, AccessRequestView};
pub use admin::{AccessLogEntry, AccountDetail, AccountSummary, DocumentFile, SessionView};
pub use app::IdentityService;
use domain::*;
use edu24_shared::auth::RoleGrant;
pub use issuance::{JobView, PreviewRow, RowIssue, UploadPreview};
pub use registration::{EmployerRequestView, RegistrationInput, RegistrationKind};
pub use second_factor::TotpSetup;

pub static MIGRATOR_SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
pub static MIGRATOR_POSTGRES: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

/// Read access to identity's institution read model, for tests and operators.
pub async fn institution_refs(db: &edu24_shared::db::Db) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    store::institution_refs(db).await
}

#[async_trait]
pub trait IdentityApi: Send + Sync {
    /// Public. Opens a session. Refusals are one generic error; throttled logins are
    /// `resource_exhausted` with `retry_after_secs`.
    async fn login(&self, ctx: &CallCtx, req: LoginRequest) -> ApiResult<LoginOutcome>;
    /// Public (the secret is the credential). Ends the session.
    async fn logout(&self, ctx: &CallCtx, session_secret: &str) -> ApiResult<()>;
    /// Public (the secret is the credential). A fresh access token for a live session.
    async fn session_token(&self, ctx: &CallCtx, session_secret: &str) -> ApiResult<AccessToken>;
    /// The caller's account and roles.
    async fn me(&self, ctx: &CallCtx) -> ApiResult<Account>;
    /// Public. The keys that verify access tokens.
    async fn verification_keys(&self) -> ApiResult<Vec<(String, [u8; 32])>>;

    /// Changes the caller's password (also a one-time one); ends the other sessions.
    async fn password_change(&self, ctx: &CallCtx, current: &str, new: &str) -> ApiResult<()>;
    /// Live sessions of the caller (`None`) or of an account the caller administers.
    async fn sessions_list(&self, ctx: &CallCtx, account_id: Option<&str>) -> ApiResult<Vec<SessionView>>;
    /// Ends one session: one's own, or one of an account the caller administers.
    async fn session_end(&self, ctx: &CallCtx, session_id: &str) -> ApiResult<()>;
    /// Who looked at or changed the caller's account, newest first.
    async fn my_access_log(&self, ctx: &CallCtx, limit: i64) -> ApiResult<Vec<AccessLogEntry>>;
    /// Accounts the caller administers matching a name, login, PIN or ticket number.
    async fn account_search(&self, ctx: &CallCtx, text: &str) -> ApiResult<Vec<AccountSummary>>;
    /// One account, for its administrator (the view is recorded for its holder).
    async fn account_get(&self, ctx: &CallCtx, account_id: &str) -> ApiResult<AccountDetail>;
    /// Grants (`grant`) or removes a role, with a reason.
    async fn role_change(
        &self,
        ctx: &CallCtx,
        account_id: &str,
        role: RoleGrant,
        grant: bool,
        reason: &str,
    ) -> ApiResult<()>;
    /// Disables (ending every session) or enables an account, with a reason.
    async fn account_set_disabled(
        &self,
        ctx: &CallCtx,
        account_id: &str,
        disabled: bool,
        reason: &str,
    ) -> ApiResult<()>;
    /// Ends every session of an account, with a reason; returns how many.
    async fn sessions_end_all(&self, ctx: &CallCtx, account_id: &str, reason: &str) -> ApiResult<u64>;
    /// Creates an account with one role the caller may assign; returns its card (PDF).
    async fn account_issue(
        &self,
        ctx: &CallCtx,
        login: &str,
        display_name: &str,
        role: RoleGrant,
        reason: &str,
    ) -> ApiResult<DocumentFile>;
    /// Re-issues a one-time password; returns the printable card (PDF).
    async fn password_reissue_card(&self, ctx: &CallCtx, account_id: &str, reason: &str) -> ApiResult<DocumentFile>;

    /// Uploads a roster for a preview; nothing is kept when any row has a problem.
    async fn roster_upload(
        &self,
        ctx: &CallCtx,
        institution_id: &str,
        file_name: &str,
        content: &[u8],
    ) -> ApiResult<UploadPreview>;
    /// Starts issuing a previewed upload.
    async fn issuance_start(&self, ctx: &CallCtx, upload_id: &str) -> ApiResult<JobView>;
    /// One issuance, with its progress.
    async fn issuance_get(&self, ctx: &CallCtx, job_id: &str) -> ApiResult<JobView>;
    /// The latest issuances the caller may see.
    async fn issuance_list(&self, ctx: &CallCtx) -> ApiResult<Vec<JobView>>;
    /// The password cards of a finished, open issuance (PDF).
    async fn issuance_cards(&self, ctx: &CallCtx, job_id: &str) -> ApiResult<DocumentFile>;
    /// Closes an issuance: its passwords can never be printed again.
    async fn issuance_close(&self, ctx: &CallCtx, job_id: &str) -> ApiResult<JobView>;

    /// Starts enrolling a second factor (TOTP) for the caller.
    async fn totp_begin(&self, ctx: &CallCtx) -> ApiResult<TotpSetup>;
    /// Confirms the enrollment with a first code; returns the recovery codes (shown once).
    async fn totp_enable(&self, ctx: &CallCtx, code: &str) -> ApiResult<Vec<String>>;
    /// Switches the second factor off with a current or recovery code.
    async fn totp_disable(&self, ctx: &CallCtx, code: &str) -> ApiResult<()>;
    /// Public (the session secret is the credential). The second step of a login.
    async fn session_second_factor(&self, ctx: &CallCtx, session_secret: &str, code: &str) -> ApiResult<()>;

    /// Public. A student enrolled before EDU24 asks for access; returns the request id.
    async fn access_request_submit(&self, ctx: &CallCtx, input: AccessRequestInput) -> ApiResult<String>;
    /// Pending requests the caller may decide.
    async fn access_requests_pending(&self, ctx: &CallCtx) -> ApiResult<Vec<AccessRequestView>>;
    /// Approves (returning the new account's card) or rejects a request, with a reason.
    async fn access_request_decide(
        &self,
        ctx: &CallCtx,
        id: &str,
        approve: bool,
        reason: &str,
    ) -> ApiResult<Option<DocumentFile>>;

    /// Public. An applicant (role at once) or an employer (verified later) registers.
    async fn register(&self, ctx: &CallCtx, input: RegistrationInput) -> ApiResult<String>;
    /// Employers waiting for verification (ministry admin).
    async fn employer_requests_pending(&self, ctx: &CallCtx) -> ApiResult<Vec<EmployerRequestView>>;
    /// Verifies (granting the employer role) or rejects an employer, with a reason.
    async fn employer_request_decide(
        &self,
        ctx: &CallCtx,
        account_id: &str,
        verify: bool,
        reason: &str,
    ) -> ApiResult<()>;
    /// The caller's employer verification state, if they registered as one.
    async fn employer_request_state(&self, ctx: &CallCtx) -> ApiResult<Option<String>>;
    /// Sets the caller's e-mail address and sends a confirmation link.
    async fn email_set(&self, ctx: &CallCtx, email: &str) -> ApiResult<()>;
    /// Public (the token is the credential). Confirms an e-mail address.
    async fn email_verify(&self, ctx: &CallCtx, token: &str) -> ApiResult<()>;
    /// Public. Sends a reset link to a verified address; answers the same in every case.
    async fn reset_request(&self, ctx: &CallCtx, login: &str) -> ApiResult<()>;
    /// Public (the token is the credential). Sets a new password by a reset link.
    async fn reset_complete(&self, ctx: &CallCtx, token: &str, new_password: &str) -> ApiResult<()>;
}

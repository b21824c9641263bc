//! identity: accounts, credentials (argon2id), roles with their scope, sessions with
//! idle and absolute timeouts, Ed25519 access tokens, login throttling, the
//! hash-chained audit log, and the read model of institutions fed by catalogue events.

pub mod admin;
pub mod app;
pub mod audit;
pub mod authority;
pub mod domain;
pub mod events;
pub mod grpc;
pub mod password;
pub mod seed;
mod store;

use async_trait::async_trait;
use edu24_shared::auth::CallCtx;
use edu24_shared::error::ApiResult;

pub use app::IdentityService;
use domain::*;

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
}

//! Helpers for tests: every storage test runs on SQLite, and also on PostgreSQL when
//! `EDU24_TEST_POSTGRES_URL` names a server (each test gets a fresh database); bus
//! tests run on the in-process bus, and also on NATS when `EDU24_TEST_NATS_URL` is set.

use std::sync::Arc;

use crate::bus::{Bus, LocalBus, NatsBus};
use crate::db::Db;

/// A fresh database for one test. Keep it alive for the test's duration.
pub struct TestDb {
    pub db: Db,
    pub label: String,
    _dir: Option<tempfile::TempDir>,
    drop_url: Option<(String, String)>,
}

impl TestDb {
    /// Drops a PostgreSQL test database (SQLite files go with their temp folder).
    pub async fn cleanup(mut self) {
        self.db.close().await;
        if let Some((admin_url, name)) = self.drop_url.take() {
            drop_database(&admin_url, &name).await;
        }
    }
}

async fn drop_database(admin_url: &str, name: &str) {
    if let Ok(admin) = Db::connect(admin_url).await {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(admin.pool()).await;
        admin.close().await;
    }
}

/// PostgreSQL databases a test made with [`fresh_postgres_database`], dropped when this
/// goes out of scope, also when the test panics.
pub struct DropDatabases {
    admin_url: String,
    names: Vec<String>,
}

impl DropDatabases {
    pub fn new(admin_url: &str) -> Self {
        Self { admin_url: admin_url.to_owned(), names: Vec::new() }
    }

    /// A fresh database (its URL), to be dropped with the others.
    pub async fn fresh(&mut self) -> anyhow::Result<String> {
        let (url, name) = fresh_postgres_database(&self.admin_url).await?;
        self.names.push(name);
        Ok(url)
    }
}

impl Drop for DropDatabases {
    fn drop(&mut self) {
        drop_databases_now(self.admin_url.clone(), std::mem::take(&mut self.names));
    }
}

/// Drops databases from a thread of its own (a `Drop` may run inside or outside any
/// runtime), and waits for it.
fn drop_databases_now(admin_url: String, names: Vec<String>) {
    if names.is_empty() {
        return;
    }
    let _ = std::thread::spawn(move || {
        if let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() {
            rt.block_on(async {
                for n in &names {
                    drop_database(&admin_url, n).await;
                }
            });
        }
    })
    .join();
}

/// A test that forgot `cleanup` (or panicked) does not leave its database behind.
impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = self.drop_url.take() {
            drop_databases_now(admin_url, vec![name]);
        }
    }
}

/// The backends the test environment offers: always SQLite, PostgreSQL when named.
pub fn backends() -> Vec<&'static str> {
    let mut b = vec!["sqlite"];
    if crate::config::env("EDU24_TEST_POSTGRES_URL").is_some() {
        b.push("postgres");
    }
    b
}

/// Creates an empty database on `backend` ("sqlite" or "postgres").
pub async fn fresh_db(backend: &str) -> anyhow::Result<TestDb> {
    match backend {
        "sqlite" => {
            let dir = tempfile::tempdir()?;
            let url = crate::config::sqlite_url(dir.path(), "test");
            Ok(TestDb { db: Db::connect(&url).await?, label: "sqlite".into(), _dir: Some(dir), drop_url: None })
        }
        "postgres" => {
            let admin_url = crate::config::env("EDU24_TEST_POSTGRES_URL")
                .ok_or_else(|| anyhow::anyhow!("EDU24_TEST_POSTGRES_URL is not set"))?;
            let (url, name) = fresh_postgres_database(&admin_url).await?;
            Ok(TestDb {
                db: Db::connect(&url).await?,
                label: "postgres".into(),
                _dir: None,
                drop_url: Some((admin_url, name)),
            })
        }
        other => anyhow::bail!("unknown test backend {other}"),
    }
}

/// Creates a new PostgreSQL database next to `admin_url` and returns its URL and name.
pub async fn fresh_postgres_database(admin_url: &str) -> anyhow::Result<(String, String)> {
    let admin = Db::connect(admin_url).await?;
    let name = format!("edu24_t_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(admin.pool()).await?;
    admin.close().await;
    let base = match admin_url.rfind('/') {
        Some(i) if admin_url[..i].contains("://") && i > admin_url.find("://").unwrap_or(0) + 2 => &admin_url[..i],
        _ => admin_url,
    };
    let query = admin_url.find('?').map(|q| &admin_url[q..]).unwrap_or("");
    Ok((format!("{base}/{name}{query}"), name))
}

/// The buses the test environment offers: always the in-process one, NATS when named.
pub fn buses() -> Vec<&'static str> {
    let mut b = vec!["local"];
    if crate::config::env("EDU24_TEST_NATS_URL").is_some() {
        b.push("nats");
    }
    b
}

/// A bus for one test. NATS tests share the server and isolate themselves in a
/// namespace of their own.
pub async fn fresh_bus(kind: &str) -> anyhow::Result<(Arc<dyn Bus>, Option<tempfile::TempDir>)> {
    match kind {
        "local" => {
            let dir = tempfile::tempdir()?;
            let bus = LocalBus::open(&crate::config::sqlite_url(dir.path(), "bus")).await?;
            Ok((Arc::new(bus), Some(dir)))
        }
        "nats" => {
            let url = crate::config::env("EDU24_TEST_NATS_URL")
                .ok_or_else(|| anyhow::anyhow!("EDU24_TEST_NATS_URL is not set"))?;
            let ns = format!("t{}", uuid::Uuid::new_v4().simple());
            Ok((Arc::new(NatsBus::connect_in(&url, Some(&ns)).await?), None))
        }
        other => anyhow::bail!("unknown test bus {other}"),
    }
}

/// Mints access tokens for tests, verified by its key ring like identity's.
pub struct TestAuth {
    pub keys: crate::token::KeyRing,
    signer: crate::token::TokenSigner,
}

impl Default for TestAuth {
    fn default() -> Self {
        Self::new()
    }
}

impl TestAuth {
    pub fn new() -> Self {
        let (kid, secret) = crate::token::TokenSigner::generate();
        let signer = crate::token::TokenSigner::new(kid, secret);
        let keys = crate::token::KeyRing::new(None);
        keys.insert(signer.kid(), signer.public_key()).expect("valid key");
        Self { keys, signer }
    }

    /// A call context with exactly these claims (a one-time password not yet changed, say).
    pub fn sign(&self, claims: &crate::token::Claims) -> crate::auth::CallCtx {
        crate::auth::CallCtx::with_token(self.signer.sign(claims))
    }

    /// A call context for an account holding `roles`.
    pub fn ctx(&self, account: &str, roles: &[(crate::auth::Role, Option<&str>)]) -> crate::auth::CallCtx {
        let now = crate::time::now_ms() / 1000;
        let claims = crate::token::Claims {
            iss: crate::token::ISSUER.into(),
            sub: account.into(),
            sid: "test-session".into(),
            login: account.into(),
            name: account.into(),
            roles: roles.iter().map(|(r, i)| crate::auth::RoleGrant { role: *r, inst: i.map(str::to_owned) }).collect(),
            mc: false,
            tf: false,
            iat: now,
            exp: now + 300,
        };
        crate::auth::CallCtx::with_token(self.signer.sign(&claims))
    }
}

//! One portable database API over SQLite (embedded default) and PostgreSQL
//! (production). The URL decides. Queries are one SQL text for both backends
//! (placeholders `$1`, ids as TEXT, instants as BIGINT epoch ms, booleans as 0/1).
//!
//! Writes go through [`Db::begin_write`]: on SQLite a process-wide async lock makes
//! write transactions take turns (SQLite has one writer; waiting in Rust is cheaper and
//! fairer than retrying `SQLITE_BUSY`), on PostgreSQL it is a plain transaction.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// SQLite: the one connection that writes, behind the async lock (see [`WriterSlot`]).
    writer: Option<Arc<Mutex<WriterSlot>>>,
    url_redacted: String,
}

/// SQLite's writer. Every write transaction of the process runs on this one connection:
/// its page cache and prepared statements stay warm (a pool connection that another
/// connection has written behind must drop its cache and re-read pages).
pub struct WriterSlot {
    conn: Option<PoolConnection<Any>>,
}

enum TxInner {
    /// PostgreSQL: a pooled transaction.
    Pool(Transaction<'static, Any>),
    /// SQLite: `BEGIN IMMEDIATE` on the writer connection, held with the lock.
    Writer(Option<OwnedMutexGuard<WriterSlot>>),
}

/// The SQLite writer connection in autocommit mode (see [`Db::single_statement_writer`]).
pub struct SingleWriter {
    guard: OwnedMutexGuard<WriterSlot>,
}

impl SingleWriter {
    pub fn conn(&mut self) -> &mut sqlx::AnyConnection {
        self.guard.conn.as_deref_mut().expect("the writer connection")
    }
}

/// A write transaction; commit to keep it. Dropped without commit, it rolls back.
pub struct WriteTx {
    inner: TxInner,
}

impl WriteTx {
    pub async fn commit(mut self) -> Result<(), sqlx::Error> {
        match &mut self.inner {
            TxInner::Pool(_) => {
                let TxInner::Pool(tx) = std::mem::replace(&mut self.inner, TxInner::Writer(None)) else {
                    unreachable!("matched above")
                };
                tx.commit().await
            }
            TxInner::Writer(guard) => {
                let mut g = guard.take().expect("a live write transaction");
                let conn = g.conn.as_mut().expect("the writer connection");
                match sqlx::Executor::execute(&mut **conn, "COMMIT").await {
                    Ok(_) => Ok(()),
                    Err(e) => {
                        // Leave no transaction open on the shared writer.
                        let _ = sqlx::Executor::execute(&mut **conn, "ROLLBACK").await;
                        Err(e)
                    }
                }
            }
        }
    }

    /// Which database this transaction writes.
    pub fn backend(&self) -> Backend {
        match self.inner {
            TxInner::Pool(_) => Backend::Postgres,
            TxInner::Writer(_) => Backend::Sqlite,
        }
    }

    /// The connection, for `query.execute(tx.conn())`.
    pub fn conn(&mut self) -> &mut sqlx::AnyConnection {
        match &mut self.inner {
            TxInner::Pool(tx) => tx,
            TxInner::Writer(g) => g.as_mut().and_then(|g| g.conn.as_deref_mut()).expect("a live write transaction"),
        }
    }
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        // An uncommitted SQLite transaction is rolled back before the lock is released,
        // so the next writer starts clean and other processes are not kept waiting.
        if let TxInner::Writer(guard) = &mut self.inner
            && let Some(mut g) = guard.take()
        {
            match tokio::runtime::Handle::try_current() {
                Ok(h) => {
                    h.spawn(async move {
                        if let Some(conn) = g.conn.as_mut()
                            && sqlx::Executor::execute(&mut **conn, "ROLLBACK").await.is_err()
                        {
                            // A connection in an unknown state is not used again.
                            g.conn = None;
                        }
                    });
                }
                Err(_) => g.conn = None,
            }
        }
    }
}

/// Hides the password of a database URL for logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

impl Db {
    /// Connects to `url` (`sqlite://path?mode=rwc` or `postgres://...`).
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            anyhow::bail!("database URL must start with sqlite: or postgres:, got {}", redact(url));
        };
        if backend == Backend::Sqlite
            && let Some(path) = sqlite_path(url)
            && let Some(parent) = std::path::Path::new(&path).parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent)?;
        }
        let options = AnyConnectOptions::from_str(url)?;
        let pool = match backend {
            Backend::Sqlite => {
                AnyPoolOptions::new()
                    .max_connections(8)
                    .min_connections(1)
                    .acquire_timeout(Duration::from_secs(30))
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            use sqlx::Executor;
                            // Checkpoints run in the background (below), not in the
                            // committing writer, so that no write waits for one. A 32 MiB
                            // page cache (grown only as used) and memory-mapped reads keep
                            // large writes and hot reads off the disk.
                            conn.execute(
                                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                                 PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
                                 PRAGMA wal_autocheckpoint = 0; PRAGMA cache_size = -32768; \
                                 PRAGMA mmap_size = 268435456; PRAGMA temp_store = MEMORY;",
                            )
                            .await?;
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await?
            }
            Backend::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect_with(options)
                    .await?
            }
        };
        let writer = (backend == Backend::Sqlite).then(|| Arc::new(Mutex::new(WriterSlot { conn: None })));
        if backend == Backend::Sqlite {
            spawn_checkpointer(pool.clone());
        }
        Ok(Db { pool, backend, writer, url_redacted: redact(url) })
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn describe(&self) -> &str {
        &self.url_redacted
    }

    /// Applies the service's migrations for this backend.
    pub async fn migrate(&self, sqlite: &Migrator, postgres: &Migrator) -> anyhow::Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => sqlite,
            Backend::Postgres => postgres,
        };
        migrator.run(&self.pool).await?;
        Ok(())
    }

    /// Begins a write transaction (see the module documentation).
    pub async fn begin_write(&self) -> Result<WriteTx, sqlx::Error> {
        match &self.writer {
            None => Ok(WriteTx { inner: TxInner::Pool(self.pool.begin().await?) }),
            Some(lock) => {
                let mut g = lock.clone().lock_owned().await;
                if g.conn.is_none() {
                    g.conn = Some(self.pool.acquire().await?);
                }
                let conn = g.conn.as_mut().expect("just set");
                if let Err(e) = sqlx::Executor::execute(&mut **conn, "BEGIN IMMEDIATE").await {
                    g.conn = None;
                    return Err(e);
                }
                Ok(WriteTx { inner: TxInner::Writer(Some(g)) })
            }
        }
    }

    /// SQLite only: the writer connection outside any transaction, for a write that is
    /// one statement (atomic by itself) and whose answer is needed at once. `None` on
    /// PostgreSQL.
    pub async fn single_statement_writer(&self) -> Result<Option<SingleWriter>, sqlx::Error> {
        let Some(lock) = &self.writer else { return Ok(None) };
        let mut g = lock.clone().lock_owned().await;
        if g.conn.is_none() {
            g.conn = Some(self.pool.acquire().await?);
        }
        Ok(Some(SingleWriter { guard: g }))
    }

    /// A cheap round trip, for readiness.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(|_| ())
    }

    pub async fn close(&self) {
        if let Some(w) = &self.writer {
            w.lock().await.conn = None;
        }
        self.pool.close().await;
    }
}

/// Copies the SQLite write-ahead log into the database file every 500 ms, from a reader
/// connection (PASSIVE: it never blocks the writer), until the pool closes.
fn spawn_checkpointer(pool: AnyPool) {
    let Ok(rt) = tokio::runtime::Handle::try_current() else { return };
    rt.spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(500)).await;
            if pool.is_closed() {
                return;
            }
            if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").fetch_all(&pool).await {
                if pool.is_closed() {
                    return;
                }
                tracing::warn!(error = %e, "SQLite checkpoint failed; the log keeps growing until one succeeds");
            }
        }
    });
}

fn sqlite_path(url: &str) -> Option<String> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then(|| path.to_owned())
}

/// `0`/`1` for a boolean column.
pub fn flag(b: bool) -> i64 {
    i64::from(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords_only() {
        assert_eq!(redact("postgres://u:secret@h:5432/db"), "postgres://u:***@h:5432/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("sqlite://data/x.sqlite?mode=rwc"), "sqlite://data/x.sqlite?mode=rwc");
    }

    #[test]
    fn finds_the_sqlite_path() {
        assert_eq!(sqlite_path("sqlite://data/a.sqlite?mode=rwc").as_deref(), Some("data/a.sqlite"));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
    }
}

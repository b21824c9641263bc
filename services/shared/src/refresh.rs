//! Replicas of a service that keeps data in memory (an index, reference data) reload it
//! when another replica changed the database: a cheap generation query, polled.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

/// A service with an in-memory copy of some of its data.
#[async_trait]
pub trait Refreshable: Send + Sync + 'static {
    /// What the log says: `catalogue index`, `curriculum reference data`.
    fn what(&self) -> &'static str;
    /// The database's current generation (changes with every write of the copied data).
    async fn generation(&self) -> anyhow::Result<i64>;
    /// The generation the copy was built from.
    fn built_from(&self) -> i64;
    /// Rebuilds the copy.
    async fn refresh(&self) -> anyhow::Result<()>;
}

/// Checks the generation every `every` and rebuilds the copy when it moved.
pub fn spawn_refresher<S: Refreshable>(svc: Arc<S>, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(every).await;
            match svc.generation().await {
                Ok(g) if g != svc.built_from() => {
                    if let Err(e) = svc.refresh().await {
                        tracing::warn!(error = %e, what = svc.what(), "refresh failed");
                    }
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, what = svc.what(), "generation check failed"),
            }
        }
    })
}

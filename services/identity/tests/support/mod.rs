//! What the identity test files share: a migrated identity service on a fresh database
//! of the given backend, with an in-process bus in a temporary folder.

use std::sync::Arc;

use edu24_identity::IdentityService;
use edu24_shared::bus::{Bus, LocalBus};
use edu24_shared::outbox::OutboxRelay;
use edu24_shared::testing::{TestDb, fresh_db};
use edu24_shared::token::KeyRing;

pub async fn service(backend: &str) -> (Arc<IdentityService>, TestDb, tempfile::TempDir) {
    let t = fresh_db(backend).await.unwrap();
    IdentityService::migrate(&t.db).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let bus: Arc<dyn Bus> =
        Arc::new(LocalBus::open(&edu24_shared::config::sqlite_url(dir.path(), "bus")).await.unwrap());
    let svc = IdentityService::open(t.db.clone(), KeyRing::new(None), OutboxRelay::new("identity", t.db.clone(), bus))
        .await
        .unwrap();
    (svc, t, dir)
}

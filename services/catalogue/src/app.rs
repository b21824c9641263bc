//! Catalogue use cases: one transaction each, events written to the outbox with the
//! change; public reads served from the in-memory index.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use arc_swap::ArcSwap;
use async_trait::async_trait;
use edu24_shared::auth::{Authenticator, CallCtx, Principal};
use edu24_shared::db::Db;
use edu24_shared::error::{ApiError, ApiResult};
use edu24_shared::outbox::{OutboxRelay, outbox_add};
use edu24_shared::time::{new_id, now_ms};

use crate::domain::*;
use crate::index::Snapshot;
use crate::{CatalogueApi, events, store};

pub struct CatalogueService {
    db: Db,
    auth: Authenticator,
    relay: OutboxRelay,
    snapshot: ArcSwap<Snapshot>,
    generation: AtomicI64,
}

impl CatalogueService {
    /// Applies migrations and the reference framework to `db`.
    pub async fn migrate(db: &Db) -> anyhow::Result<()> {
        db.migrate(&crate::MIGRATOR_SQLITE, &crate::MIGRATOR_POSTGRES).await?;
        crate::seed::reference_ensure(db).await
    }

    /// Opens the service on a migrated database and builds the read index.
    pub async fn open(db: Db, auth: Authenticator, relay: OutboxRelay) -> anyhow::Result<Arc<Self>> {
        let svc = Arc::new(Self {
            db,
            auth,
            relay,
            snapshot: ArcSwap::from_pointee(Snapshot::empty()),
            generation: AtomicI64::new(-1),
        });
        svc.refresh().await?;
        Ok(svc)
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn relay(&self) -> &OutboxRelay {
        &self.relay
    }

    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.load_full()
    }

    /// Rebuilds the read index from the database.
    pub async fn refresh(&self) -> anyhow::Result<()> {
        let generation = store::generation(&self.db).await?;
        let framework = store::framework_load(&self.db).await?;
        let institutions = store::institutions_load(&self.db, &framework).await?;
        self.snapshot.store(Arc::new(Snapshot::build(framework, institutions)));
        self.generation.store(generation, Ordering::Release);
        Ok(())
    }

    /// Keeps the index fresh when another replica changed the data.
    pub fn spawn_refresher(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let svc = self.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(5)).await;
                match store::generation(&svc.db).await {
                    Ok(g) if g != svc.generation.load(Ordering::Acquire) => {
                        if let Err(e) = svc.refresh().await {
                            tracing::warn!(error = %e, "catalogue index refresh failed");
                        }
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "catalogue generation check failed"),
                }
            }
        })
    }

    async fn ministry_admin(&self, ctx: &CallCtx) -> ApiResult<Principal> {
        let p = self.auth.require(ctx).await?;
        if !p.is_ministry_admin() {
            return Err(ApiError::forbidden());
        }
        Ok(p)
    }

    async fn after_write(&self) -> ApiResult<()> {
        self.relay.wake();
        self.refresh().await.map_err(|e| {
            tracing::error!(error = %e, "catalogue index refresh after write failed");
            ApiError::internal()
        })
    }

    /// Writes an institution as `actor`; `id_if_new` names it when it is created.
    pub(crate) async fn institution_write(
        &self,
        actor: &str,
        input: &InstitutionInput,
        id_if_new: &str,
        tx: &mut edu24_shared::db::WriteTx,
    ) -> ApiResult<InstitutionSummary> {
        let summary = store::institution_upsert(tx, id_if_new, input, now_ms()).await?;
        outbox_add(tx, events::INSTITUTION_CHANGED, &events::institution_changed(&summary), actor).await?;
        Ok(summary)
    }

    pub(crate) async fn licence_write(
        &self,
        actor: &str,
        input: &LicenceInput,
        id_if_new: &str,
        tx: &mut edu24_shared::db::WriteTx,
    ) -> ApiResult<Licence> {
        let institution = store::institution_by_code(tx, &input.institution_code).await?.ok_or_else(|| {
            ApiError::invalid("institution_code", format!("no institution with code {:?}", input.institution_code))
        })?;
        let id = match &input.id {
            Some(id) => match store::licence_institution(tx, id).await? {
                Some(owner) if owner == institution.id => id.clone(),
                Some(_) => {
                    return Err(ApiError::invalid("institution_code", "a licence cannot move to another institution"));
                }
                None => return Err(ApiError::not_found("licence")),
            },
            None => id_if_new.to_owned(),
        };
        let licence = store::licence_upsert(tx, &id, &institution.id, input, now_ms()).await?;
        outbox_add(tx, events::LICENCE_CHANGED, &events::licence_changed(&licence), actor).await?;
        Ok(licence)
    }

    fn this_year() -> i32 {
        time::OffsetDateTime::now_utc().year()
    }
}

#[async_trait]
impl CatalogueApi for CatalogueService {
    async fn framework(&self, _ctx: &CallCtx) -> ApiResult<Arc<Framework>> {
        Ok(self.snapshot.load().framework.clone())
    }

    async fn institution_search(
        &self,
        _ctx: &CallCtx,
        query: &InstitutionQuery,
    ) -> ApiResult<Page<InstitutionSummary>> {
        query.validate()?;
        Ok(self.snapshot.load().search(query))
    }

    async fn institution_get(&self, _ctx: &CallCtx, code: &str) -> ApiResult<Institution> {
        self.snapshot.load().institution(code).cloned().ok_or_else(|| ApiError::not_found("institution"))
    }

    async fn programme_get(&self, _ctx: &CallCtx, id: &str) -> ApiResult<ProgrammeDetail> {
        self.snapshot.load().programme(id).ok_or_else(|| ApiError::not_found("programme"))
    }

    async fn stats(&self, _ctx: &CallCtx) -> ApiResult<Stats> {
        Ok(self.snapshot.load().stats.clone())
    }

    async fn institution_upsert(&self, ctx: &CallCtx, input: InstitutionInput) -> ApiResult<InstitutionSummary> {
        let p = self.ministry_admin(ctx).await?;
        input.validate(&self.snapshot.load().framework, Self::this_year())?;
        let mut tx = self.db.begin_write().await?;
        let summary = self.institution_write(&p.actor(), &input, &new_id(), &mut tx).await?;
        tx.commit().await?;
        self.after_write().await?;
        Ok(self.snapshot.load().institution(&summary.code).map(|i| i.summary.clone()).unwrap_or(summary))
    }

    async fn licence_upsert(&self, ctx: &CallCtx, input: LicenceInput) -> ApiResult<Licence> {
        let p = self.ministry_admin(ctx).await?;
        input.validate(&self.snapshot.load().framework)?;
        let mut tx = self.db.begin_write().await?;
        let licence = self.licence_write(&p.actor(), &input, &new_id(), &mut tx).await?;
        tx.commit().await?;
        self.after_write().await?;
        Ok(licence)
    }
}

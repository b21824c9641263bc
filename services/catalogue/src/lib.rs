//! catalogue: the national education framework (levels, forms, the classifier of
//! directions and specialties, ISCED-F), institutions, programmes and licences.
//!
//! Other crates use the [`CatalogueApi`] trait only; it has two implementations, the
//! in-process [`CatalogueService`] and the gRPC [`grpc::CatalogueClient`].

pub mod app;
pub mod domain;
pub mod events;
pub mod grpc;
pub mod index;
pub mod seed;
mod store;

use std::sync::Arc;

use async_trait::async_trait;
use edu24_shared::auth::CallCtx;
use edu24_shared::error::ApiResult;

pub use app::CatalogueService;
use domain::*;

pub static MIGRATOR_SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
pub static MIGRATOR_POSTGRES: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

#[async_trait]
pub trait CatalogueApi: Send + Sync {
    /// The education framework. Public.
    async fn framework(&self, ctx: &CallCtx) -> ApiResult<Arc<Framework>>;
    /// Searches institutions. Public.
    async fn institution_search(&self, ctx: &CallCtx, query: &InstitutionQuery) -> ApiResult<Page<InstitutionSummary>>;
    /// One institution with its programmes and licences, by code. Public.
    async fn institution_get(&self, ctx: &CallCtx, code: &str) -> ApiResult<Institution>;
    /// One programme with its institution and licence. Public.
    async fn programme_get(&self, ctx: &CallCtx, id: &str) -> ApiResult<ProgrammeDetail>;
    /// Headline figures. Public.
    async fn stats(&self, ctx: &CallCtx) -> ApiResult<Stats>;
    /// Creates or changes an institution. Ministry admin.
    async fn institution_upsert(&self, ctx: &CallCtx, input: InstitutionInput) -> ApiResult<InstitutionSummary>;
    /// Grants or changes a licence. Ministry admin.
    async fn licence_upsert(&self, ctx: &CallCtx, input: LicenceInput) -> ApiResult<Licence>;
}

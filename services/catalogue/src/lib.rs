//! catalogue: the national education framework (levels, forms, the classifier of
//! directions and specialties, ISCED-F), institutions, programmes and licences.
//!
//! Other crates use the [`CatalogueApi`] trait only; it has two implementations, the
//! in-process [`CatalogueService`] and the gRPC [`grpc::CatalogueClient`].

pub mod app;
pub mod control;
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
    /// One institution with its programmes and licences, by code (or id). Public.
    async fn institution_get(&self, ctx: &CallCtx, code: &str) -> ApiResult<Institution>;
    /// One programme with its institution and licence. Public.
    async fn programme_get(&self, ctx: &CallCtx, id: &str) -> ApiResult<ProgrammeDetail>;
    /// Headline figures. Public.
    async fn stats(&self, ctx: &CallCtx) -> ApiResult<Stats>;
    /// Creates or changes an institution. Ministry admin.
    async fn institution_upsert(&self, ctx: &CallCtx, input: InstitutionInput) -> ApiResult<InstitutionSummary>;
    /// Grants or changes a licence. Ministry admin.
    async fn licence_upsert(&self, ctx: &CallCtx, input: LicenceInput) -> ApiResult<Licence>;

    /// Searches programmes across institutions. Public.
    async fn programme_search(&self, ctx: &CallCtx, query: &ProgrammeQuery) -> ApiResult<Page<ProgrammeHit>>;
    /// The classifier as recorded at `at` (epoch ms). Public.
    async fn framework_as_of(&self, ctx: &CallCtx, at: i64) -> ApiResult<Vec<SpecialtyVersion>>;
    /// Every recorded state of one classifier entry, newest first. Public.
    async fn specialty_history(&self, ctx: &CallCtx, code: &str, level: Level) -> ApiResult<Vec<SpecialtyVersion>>;
    /// Adds or changes classifier entries, all or none: every row is checked first and
    /// every rejected row is reported. Ministry admin.
    async fn specialties_import(&self, ctx: &CallCtx, rows: Vec<SpecialtyInput>) -> ApiResult<ImportReport>;
    /// Changes the profile of an institution. Its admin or the ministry's.
    async fn profile_update(&self, ctx: &CallCtx, input: ProfileInput) -> ApiResult<InstitutionSummary>;
    /// Adds a logo (replacing the old one) or a photo. Its admin or the ministry's.
    async fn image_add(
        &self,
        ctx: &CallCtx,
        institution_code: &str,
        kind: ImageKind,
        data: Vec<u8>,
    ) -> ApiResult<String>;
    /// Removes a photo or logo. Its admin or the ministry's.
    async fn image_delete(&self, ctx: &CallCtx, institution_code: &str, image_id: &str) -> ApiResult<()>;
    /// An image's content type, bytes and SHA-256. Public.
    async fn image_get(&self, ctx: &CallCtx, image_id: &str) -> ApiResult<Image>;
    /// Adds or changes a programme. Its institution's admin or the ministry's.
    async fn programme_upsert(&self, ctx: &CallCtx, input: ProgrammeInput) -> ApiResult<Programme>;
    /// Records an accreditation decision. Ministry admin.
    async fn accreditation_upsert(&self, ctx: &CallCtx, input: AccreditationInput) -> ApiResult<Accreditation>;
    /// "May N more students be enrolled under this licence?" Holds the places on yes.
    /// Registrar or admin of the licence's institution, or the ministry's admin.
    async fn licence_hold(&self, ctx: &CallCtx, request: HoldRequest) -> ApiResult<HoldAnswer>;
    /// Gives back the unused places of a hold. Same callers as [`Self::licence_hold`].
    async fn licence_release(&self, ctx: &CallCtx, hold_id: &str) -> ApiResult<()>;
    /// Live licensing figures: the whole country for the ministry (admin, analyst), or
    /// one institution (`institution_code`, a code or an id) for its admin and registrars.
    async fn dashboard(&self, ctx: &CallCtx, institution_code: Option<&str>) -> ApiResult<Dashboard>;
}

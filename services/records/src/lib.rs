//! records: the student body. Persons (one per real person, keyed by PIN), their
//! enrolments, and every change of an enrolment as an order; history is appended, never
//! overwritten. Admissions ask catalogue for a place of the licence (`HoldLicence`) and
//! every change publishes `edu24.records.enrolment.changed.v1`, which keeps catalogue's
//! licence counters.
//!
//! Other crates use the [`RecordsApi`] trait only; it has two implementations, the
//! in-process [`RecordsService`] and the gRPC [`grpc::RecordsClient`].

pub mod app;
pub mod domain;
pub mod events;
pub mod grpc;
mod store;

use async_trait::async_trait;
use edu24_shared::auth::CallCtx;
use edu24_shared::error::ApiResult;

pub use app::RecordsService;
use domain::*;

pub static MIGRATOR_SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
pub static MIGRATOR_POSTGRES: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

/// What recording a person did: the person, or the possible duplicates that stopped it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonOutcome {
    pub person: Option<Person>,
    pub duplicates: Vec<Person>,
}

#[async_trait]
pub trait RecordsApi: Send + Sync {
    /// Records a person. Registrar or admin of `institution_id`.
    async fn person_create(&self, ctx: &CallCtx, input: PersonInput) -> ApiResult<PersonOutcome>;
    /// A person with their enrolments and orders. Staff of an institution they study at
    /// (or that recorded them), or the ministry.
    async fn person_get(&self, ctx: &CallCtx, id: &str) -> ApiResult<PersonFile>;
    /// Persons by PIN (exact) or names (prefix) that the caller may see.
    async fn persons_find(
        &self,
        ctx: &CallCtx,
        institution_id: &str,
        query: &str,
        limit: u32,
    ) -> ApiResult<Vec<Person>>;
    /// Merges `merge_id` into `keep_id` (a registrar's decision, audited).
    async fn persons_merge(
        &self,
        ctx: &CallCtx,
        institution_id: &str,
        keep_id: &str,
        merge_id: &str,
        reason: &str,
    ) -> ApiResult<PersonFile>;
    /// Issues an order (admission creates the enrolment). Registrar or admin.
    async fn order_issue(&self, ctx: &CallCtx, input: OrderInput) -> ApiResult<(Order, Enrolment)>;
    /// Admits a whole intake from a roster, all or nothing. Registrar or admin.
    async fn intake_admit(&self, ctx: &CallCtx, input: AdmitIntake) -> ApiResult<AdmitReport>;
    /// An institution's students, searched and paged. Its registrar or admin, or the ministry.
    async fn students(&self, ctx: &CallCtx, query: &StudentQuery) -> ApiResult<Page<StudentRow>>;
}

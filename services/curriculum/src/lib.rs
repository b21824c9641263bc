//! curriculum: state educational standards, the national catalogue of general-education
//! courses, the curricula of programmes per intake year (versioned: draft, submitted,
//! approved, superseded) and their compliance with their standard.
//!
//! Other crates use the [`CurriculumApi`] trait only; it has two implementations, the
//! in-process [`CurriculumService`] and the gRPC [`grpc::CurriculumClient`]. What records,
//! transfer and diploma need is [`CurriculumApi::requirements`] and the event
//! `edu24.curriculum.curriculum.approved.v1` (see `proto/edu24/curriculum/v1`).

pub mod app;
pub mod domain;
pub mod events;
pub mod grpc;
pub mod seed;
mod store;

use async_trait::async_trait;
use edu24_shared::auth::CallCtx;
use edu24_shared::error::ApiResult;

pub use app::CurriculumService;
use domain::*;

pub static MIGRATOR_SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
pub static MIGRATOR_POSTGRES: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

#[async_trait]
pub trait CurriculumApi: Send + Sync {
    /// The national catalogue of general-education courses. Public.
    async fn national_courses(&self, ctx: &CallCtx) -> ApiResult<Vec<NationalCourse>>;
    /// Adds or changes a national course. Ministry admin.
    async fn national_course_upsert(&self, ctx: &CallCtx, course: NationalCourse) -> ApiResult<NationalCourse>;

    /// Standards, newest first, of one specialty and level when given. Public.
    async fn standards(
        &self,
        ctx: &CallCtx,
        specialty_code: Option<&str>,
        level: Option<Level>,
    ) -> ApiResult<Vec<Standard>>;
    /// One standard. Public.
    async fn standard_get(&self, ctx: &CallCtx, id: &str) -> ApiResult<Standard>;
    /// Records a standard (new when `id` is empty). Ministry admin. A standard an approved
    /// curriculum was held to never changes.
    async fn standard_upsert(&self, ctx: &CallCtx, standard: Standard) -> ApiResult<Standard>;

    /// Curricula the caller may see, newest first.
    async fn curricula(&self, ctx: &CallCtx, query: &CurriculumQuery) -> ApiResult<Page<CurriculumSummary>>;
    /// One curriculum version with its lines, findings and standard.
    async fn curriculum_get(&self, ctx: &CallCtx, id: &str) -> ApiResult<CurriculumDetail>;
    /// Starts a draft for a programme and intake year, empty or a copy of `copy_from`.
    /// Registrar or admin of the programme's institution.
    async fn curriculum_create(
        &self,
        ctx: &CallCtx,
        programme_id: &str,
        intake_year: i32,
        copy_from: Option<&str>,
    ) -> ApiResult<CurriculumDetail>;
    /// Replaces the lines of a draft, all or nothing, and checks it. Same callers.
    async fn curriculum_save(
        &self,
        ctx: &CallCtx,
        id: &str,
        expected_revision: i64,
        lines: Vec<LineInput>,
    ) -> ApiResult<SaveOutcome>;
    /// Checks lines for a programme and intake without saving. Same callers.
    async fn curriculum_check(
        &self,
        ctx: &CallCtx,
        programme_id: &str,
        intake_year: i32,
        lines: Vec<LineInput>,
    ) -> ApiResult<Result<Compliance, Vec<RowError>>>;
    /// Submits a draft for approval; refused while it has errors. Same callers.
    async fn curriculum_submit(&self, ctx: &CallCtx, id: &str) -> ApiResult<CurriculumDetail>;
    /// Approves a submitted curriculum or returns it with a note. The ministry's admin, or
    /// the institution's admin by delegation; never its submitter.
    async fn curriculum_decide(
        &self,
        ctx: &CallCtx,
        id: &str,
        approve: bool,
        note: &str,
    ) -> ApiResult<CurriculumDetail>;
    /// Starts the next version of an approved curriculum as a draft. Registrar or admin.
    async fn curriculum_new_version(&self, ctx: &CallCtx, id: &str) -> ApiResult<CurriculumDetail>;
    /// Discards a draft. Registrar or admin.
    async fn curriculum_discard(&self, ctx: &CallCtx, id: &str) -> ApiResult<()>;

    /// Which courses and credits programme P requires of intake year Y (the approved
    /// curriculum in force), or exactly the approved or superseded `curriculum_id`. Public.
    async fn requirements(
        &self,
        ctx: &CallCtx,
        programme_id: &str,
        intake_year: i32,
        curriculum_id: Option<&str>,
    ) -> ApiResult<Requirements>;

    /// Compliance of every curriculum in the country. Ministry admin or analyst.
    async fn compliance_overview(&self, ctx: &CallCtx, query: &OverviewQuery) -> ApiResult<ComplianceOverview>;
    /// Approved curricula of one specialty and level side by side. Public.
    async fn compare_specialty(
        &self,
        ctx: &CallCtx,
        specialty_code: &str,
        level: Level,
        intake_year: i32,
    ) -> ApiResult<SpecialtyComparison>;
    /// Re-checks every curriculum against the standard in force for it. Ministry admin.
    async fn recheck_all(&self, ctx: &CallCtx) -> ApiResult<RecheckReport>;
    /// Delegates (or withdraws) approval of an institution's curricula. Ministry admin.
    async fn delegation_set(
        &self,
        ctx: &CallCtx,
        institution_id: &str,
        delegated: bool,
        note: &str,
    ) -> ApiResult<Delegation>;
    /// Delegations in force: all for the ministry, its own for an institution's admin.
    async fn delegations(&self, ctx: &CallCtx) -> ApiResult<Vec<Delegation>>;
}

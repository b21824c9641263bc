//! records: the student body. Persons (one per real person, keyed by PIN), their
//! enrolments, and every change of an enrolment as an order; history is appended, never
//! overwritten. Admissions ask catalogue for a place of the licence (`HoldLicence`) and
//! every change publishes `edu24.records.enrolment.changed.v1`, which keeps catalogue's
//! licence counters.
//!
//! Other crates use the [`RecordsApi`] trait only; it has two implementations, the
//! in-process [`RecordsService`] and the gRPC [`grpc::RecordsClient`].

pub mod app;
mod bulk;
pub mod domain;
pub mod events;
pub mod generate;
pub mod gradelog;
pub mod grading;
pub mod grpc;
mod listcache;
pub mod seed;
mod store;
mod store_teaching;
mod teaching;

use async_trait::async_trait;
use edu24_shared::auth::CallCtx;
use edu24_shared::error::ApiResult;

pub use app::RecordsService;
use domain::*;
use grading::*;

pub static MIGRATOR_SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
pub static MIGRATOR_POSTGRES: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

/// What recording a person did: the person, or the possible duplicates that stopped it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonOutcome {
    pub person: Option<Person>,
    pub duplicates: Vec<Person>,
}

/// The caller's own records: their file as a student, and their teaching posts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MySpace {
    pub file: Option<PersonFile>,
    pub teaching: Vec<Teacher>,
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

    /// Records a teacher of `institution_id` (the person found by PIN or recorded). Its
    /// registrar or admin.
    async fn teacher_create(&self, ctx: &CallCtx, institution_id: &str, input: TeacherInput) -> ApiResult<Teacher>;
    /// The institution's teachers. Its staff, or the ministry.
    async fn teachers(&self, ctx: &CallCtx, institution_id: &str) -> ApiResult<Vec<Teacher>>;
    /// Links a person who studies or teaches at the institution to their identity account
    /// (`None` unlinks). Its registrar or admin.
    async fn account_link(
        &self,
        ctx: &CallCtx,
        institution_id: &str,
        person_id: &str,
        account_id: Option<&str>,
    ) -> ApiResult<()>;
    /// The caller's own file and teaching posts.
    async fn my_space(&self, ctx: &CallCtx) -> ApiResult<MySpace>;
    /// Assigns a course of the approved curriculum to a group and a teacher.
    async fn assignment_create(&self, ctx: &CallCtx, input: AssignmentInput) -> ApiResult<Assignment>;
    /// Assignments of an institution (a teacher sees their own only).
    async fn assignments(&self, ctx: &CallCtx, query: &AssignmentQuery) -> ApiResult<Vec<Assignment>>;
    /// Opens the sheet of an assignment with the students of the group on `as_of`.
    async fn sheet_open(&self, ctx: &CallCtx, assignment_id: &str, kind: SheetKind, as_of: &str) -> ApiResult<Sheet>;
    async fn sheet_get(&self, ctx: &CallCtx, id: &str) -> ApiResult<Sheet>;
    /// Sheets of an institution (a teacher sees their own only).
    async fn sheets(&self, ctx: &CallCtx, query: &SheetQuery) -> ApiResult<Vec<SheetSummary>>;
    /// The assigned teacher saves scores of a draft, all or nothing.
    async fn sheet_save(&self, ctx: &CallCtx, id: &str, version: i64, entries: Vec<EntryInput>) -> ApiResult<Sheet>;
    async fn sheet_submit(&self, ctx: &CallCtx, id: &str, version: i64) -> ApiResult<Sheet>;
    async fn sheet_return(&self, ctx: &CallCtx, id: &str, version: i64, note: &str) -> ApiResult<Sheet>;
    async fn sheet_close(&self, ctx: &CallCtx, id: &str, version: i64, confirm_flags: bool) -> ApiResult<Sheet>;
    async fn correction_request(&self, ctx: &CallCtx, input: CorrectionInput) -> ApiResult<Sheet>;
    async fn correction_decide(&self, ctx: &CallCtx, id: &str, approve: bool, note: &str) -> ApiResult<Sheet>;
    /// A student's results, credits and GPA. Staff, the ministry, or the student.
    async fn transcript(&self, ctx: &CallCtx, enrolment_id: &str) -> ApiResult<Transcript>;
    /// A student's results of one semester.
    async fn term_grades(&self, ctx: &CallCtx, enrolment_id: &str, semester: i32) -> ApiResult<Vec<TranscriptLine>>;
    /// Students of an institution by GPA, best first.
    async fn ranking(&self, ctx: &CallCtx, query: &RankQuery) -> ApiResult<Page<RankRow>>;
    /// The institution's grading scale (public).
    async fn scale(&self, ctx: &CallCtx, institution_id: &str) -> ApiResult<Scale>;
    /// Sets it. The institution's admin.
    async fn scale_set(&self, ctx: &CallCtx, institution_id: &str, scale: Scale) -> ApiResult<Scale>;
    /// Checks the institution's grade log against itself and the grades.
    async fn log_check(&self, ctx: &CallCtx, institution_id: &str) -> ApiResult<LogCheck>;
}

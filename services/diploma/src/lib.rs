//! diploma: eligibility (records and curriculum must agree), the ledger of state blank
//! forms, the diploma register with its PDFs and signed credentials (W3C VC 2.0, Open
//! Badges 3.0, `eddsa-rdfc-2022`), public verification, revocation, annulment and
//! duplicates (ADR 0030, 0031).
//!
//! Other crates use the [`DiplomaApi`] trait only.

pub mod app;
pub mod credential;
pub mod document;
pub mod domain;
pub mod events;
pub mod grpc;
pub mod keys;
mod store;

use async_trait::async_trait;
use edu24_shared::auth::CallCtx;
use edu24_shared::error::ApiResult;

pub use app::DiplomaService;
use domain::*;

pub static MIGRATOR_SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
pub static MIGRATOR_POSTGRES: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

#[async_trait]
pub trait DiplomaApi: Send + Sync {
    /// Records blank forms received by an institution. Its registrar or admin, or the
    /// ministry's admin.
    async fn receipt_add(&self, ctx: &CallCtx, input: ReceiptInput) -> ApiResult<Receipt>;
    /// Spoils or returns forms in stock, all or nothing. Registrar or admin.
    async fn forms_move(&self, ctx: &CallCtx, input: FormMoveInput) -> ApiResult<i64>;
    /// The ledger by institution and kind: one institution's (its staff), or the
    /// country's (`None`, the ministry).
    async fn ledger(&self, ctx: &CallCtx, institution_id: Option<&str>) -> ApiResult<Vec<Ledger>>;
    /// Forms of an institution, by series and number, optionally in one state.
    async fn forms(&self, ctx: &CallCtx, query: &FormQuery) -> ApiResult<Page<Form>>;
    /// Receipts of an institution, latest first.
    async fn receipts(&self, ctx: &CallCtx, institution_id: &str) -> ApiResult<Vec<Receipt>>;

    /// The institution's rule for honours (public).
    async fn honours_rule(&self, ctx: &CallCtx, institution_id: &str) -> ApiResult<HonoursRule>;
    async fn honours_rule_set(&self, ctx: &CallCtx, institution_id: &str, rule: HonoursRule) -> ApiResult<HonoursRule>;

    /// Who of a study group may be awarded a diploma, and why not the others.
    async fn eligibility(&self, ctx: &CallCtx, query: &GroupQuery) -> ApiResult<GroupEligibility>;
    /// Issues the diplomas of a group with the graduation order (ADR 0030). Registrar.
    async fn issue(&self, ctx: &CallCtx, input: IssueInput) -> ApiResult<IssuanceReport>;
    /// Finishes an issuance that was interrupted.
    async fn issuance_resume(&self, ctx: &CallCtx, issuance_id: &str) -> ApiResult<IssuanceReport>;

    /// The register of an institution (its staff) or of the country (the ministry).
    async fn diplomas(&self, ctx: &CallCtx, query: &DiplomaQuery) -> ApiResult<Page<DiplomaSummary>>;
    /// One diploma in full: its staff, the ministry, or its holder.
    async fn diploma_get(&self, ctx: &CallCtx, id: &str) -> ApiResult<Diploma>;
    /// A file of a diploma as issued: `diploma.pdf`, `supplement.pdf`,
    /// `supplement-en.pdf` (made on the first request), `credential.json`.
    async fn diploma_file(&self, ctx: &CallCtx, id: &str, file: DiplomaFile) -> ApiResult<Vec<u8>>;
    /// The caller's own diplomas (as a holder).
    async fn my_diplomas(&self, ctx: &CallCtx) -> ApiResult<Vec<DiplomaSummary>>;

    /// Revokes or annuls a diploma. The issuing institution's registrar or admin, or
    /// the ministry's admin.
    async fn status_change(&self, ctx: &CallCtx, input: StatusInput) -> ApiResult<Diploma>;
    /// Issues a duplicate of a diploma on a new form; the original is then replaced.
    async fn duplicate_issue(&self, ctx: &CallCtx, input: DuplicateInput) -> ApiResult<Diploma>;
    /// Open flags (grades corrected after issuance) of an institution or the country.
    async fn flags(&self, ctx: &CallCtx, institution_id: Option<&str>) -> ApiResult<Vec<Flag>>;
    async fn flag_close(&self, ctx: &CallCtx, flag_id: &str, note: &str) -> ApiResult<()>;

    /// The public check: by the token of the QR code, or by number and family name.
    /// Anonymous; logged for the holder.
    async fn verify(&self, ctx: &CallCtx, query: &VerifyQuery) -> ApiResult<PublicCheck>;
    /// Checks an uploaded credential and says exactly why a bad one fails. Anonymous.
    async fn verify_credential(&self, ctx: &CallCtx, json: &str) -> ApiResult<CredentialCheck>;
    /// A link to the full record for a time. The holder.
    async fn share_create(&self, ctx: &CallCtx, diploma_id: &str, days: i32) -> ApiResult<ShareLink>;
    /// The full record behind a share link that has not expired. Anonymous.
    async fn share_open(&self, ctx: &CallCtx, token: &str) -> ApiResult<Diploma>;
    /// Who checked a diploma. The holder, its staff, the ministry.
    async fn verifications(&self, ctx: &CallCtx, diploma_id: &str) -> ApiResult<Vec<Verification>>;

    /// The institution's signed Bitstring Status List credential (public).
    async fn status_list(&self, ctx: &CallCtx, institution_code: &str) -> ApiResult<String>;
    /// The institution's issuer: its `did:key` and public key (public).
    async fn issuer(&self, ctx: &CallCtx, institution_code: &str) -> ApiResult<Issuer>;
}

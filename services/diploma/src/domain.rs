//! Diploma domain: blank forms, eligibility, honours, the register's states. No I/O.

use std::collections::{BTreeMap, HashMap};

use edu24_curriculum::domain::{Assessment, BlockKind, Requirements};
use edu24_records::domain::EnrolmentStatus;
use edu24_records::grading::TranscriptLine;
use edu24_shared::ApiError;
use edu24_shared::code_enum;
use edu24_shared::names::Level;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

code_enum!(
    /// A kind of state blank form: the diploma of a level, ordinary or with honours
    /// (printed on a different form).
    BlankKind {
        Bachelor = "bachelor",
        BachelorHonours = "bachelor_honours",
        Master = "master",
        MasterHonours = "master_honours",
        Specialist = "specialist",
        SpecialistHonours = "specialist_honours",
    }
);
code_enum!(
    /// Where one blank form is.
    FormState { InStock = "in_stock", Used = "used", Spoiled = "spoiled", Returned = "returned" }
);
code_enum!(
    /// Where a diploma of the register stands.
    DiplomaState {
        Pending = "pending",
        Valid = "valid",
        Revoked = "revoked",
        Annulled = "annulled",
        Replaced = "replaced",
    }
);

impl BlankKind {
    pub fn for_level(level: Level, honours: bool) -> Option<BlankKind> {
        Some(match (level, honours) {
            (Level::Bachelor, false) => BlankKind::Bachelor,
            (Level::Bachelor, true) => BlankKind::BachelorHonours,
            (Level::Master, false) => BlankKind::Master,
            (Level::Master, true) => BlankKind::MasterHonours,
            (Level::Specialist, false) => BlankKind::Specialist,
            (Level::Specialist, true) => BlankKind::SpecialistHonours,
            (Level::Phd, _) => return None,
        })
    }
    pub fn honours(self) -> bool {
        matches!(self, BlankKind::BachelorHonours | BlankKind::MasterHonours | BlankKind::SpecialistHonours)
    }
}

/// The most forms one receipt may bring.
pub const MAX_RECEIPT_FORMS: i64 = 20_000;
/// Form numbers are at most eight digits.
pub const MAX_FORM_NUMBER: i64 = 99_999_999;

/// Series of a state form: one to six capital letters (Cyrillic or Latin) or digits.
pub fn is_series(s: &str) -> bool {
    let n = s.chars().count();
    (1..=6).contains(&n) && s.chars().all(|c| c.is_ascii_digit() || (c.is_alphabetic() && c.is_uppercase()))
}

pub fn is_date(s: &str) -> bool {
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).is_ok()
}

/// Blank forms received by an institution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReceiptInput {
    pub institution_id: String,
    pub kind: String,
    pub series: String,
    pub first_no: i64,
    pub last_no: i64,
    /// The delivery document (act, waybill).
    pub document_no: String,
    pub received_on: String,
}

impl ReceiptInput {
    pub fn validate(&self) -> Result<BlankKind, ApiError> {
        let kind = BlankKind::parse(&self.kind)
            .ok_or_else(|| ApiError::invalid("kind", "choose the kind of form").with_reason("kind_unknown"))?;
        if !is_series(self.series.trim()) {
            return Err(ApiError::invalid("series", "a series is 1 to 6 capital letters or digits, e.g. БД")
                .with_reason("series_invalid"));
        }
        if !(1..=MAX_FORM_NUMBER).contains(&self.first_no) {
            return Err(ApiError::invalid("first_no", "the first number is between 1 and 99999999")
                .with_reason("number_invalid"));
        }
        if self.last_no < self.first_no || self.last_no > MAX_FORM_NUMBER {
            return Err(ApiError::invalid("last_no", "the last number is not below the first and at most 99999999")
                .with_reason("range_invalid"));
        }
        if self.last_no - self.first_no + 1 > MAX_RECEIPT_FORMS {
            return Err(ApiError::invalid("last_no", format!("at most {MAX_RECEIPT_FORMS} forms in one receipt"))
                .with_reason("range_too_long"));
        }
        let doc = self.document_no.trim().chars().count();
        if !(1..=60).contains(&doc) {
            return Err(ApiError::invalid("document_no", "give the delivery document's number (up to 60 characters)")
                .with_reason("document_missing"));
        }
        if !is_date(&self.received_on) {
            return Err(ApiError::invalid("received_on", "a date as YYYY-MM-DD").with_reason("date_invalid"));
        }
        Ok(kind)
    }
}

/// A receipt as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Receipt {
    pub id: String,
    pub institution_id: String,
    pub kind: BlankKind,
    pub series: String,
    pub first_no: i64,
    pub last_no: i64,
    pub document_no: String,
    pub received_on: String,
    pub recorded_at_ms: i64,
    pub recorded_by: String,
}

/// Forms that leave the stock without a diploma: spoiled (with the reason) or returned
/// (with the document).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FormMoveInput {
    pub institution_id: String,
    pub series: String,
    pub first_no: i64,
    pub last_no: i64,
    /// `spoiled` or `returned`.
    pub action: String,
    pub reason: String,
}

impl FormMoveInput {
    pub fn validate(&self) -> Result<FormState, ApiError> {
        let state = match self.action.as_str() {
            "spoiled" => FormState::Spoiled,
            "returned" => FormState::Returned,
            _ => return Err(ApiError::invalid("action", "spoiled or returned").with_reason("action_unknown")),
        };
        if !is_series(self.series.trim()) {
            return Err(ApiError::invalid("series", "a series is 1 to 6 capital letters or digits")
                .with_reason("series_invalid"));
        }
        if self.first_no < 1 || self.last_no < self.first_no || self.last_no - self.first_no + 1 > MAX_RECEIPT_FORMS {
            return Err(ApiError::invalid("last_no", "give the numbers from and to (to not below from)")
                .with_reason("range_invalid"));
        }
        let r = self.reason.trim().chars().count();
        if !(3..=500).contains(&r) {
            return Err(ApiError::invalid("reason", "say why (3 to 500 characters)").with_reason("reason_missing"));
        }
        Ok(state)
    }
}

/// One form of the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Form {
    pub series: String,
    pub number: i64,
    pub kind: BlankKind,
    pub state: FormState,
    pub diploma_id: Option<String>,
    pub reason: String,
    pub changed_at_ms: i64,
}

/// Counts of forms by state, for one institution and kind (or the country).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Ledger {
    pub institution_id: String,
    pub kind: String,
    pub received: i64,
    pub in_stock: i64,
    pub used: i64,
    pub spoiled: i64,
    pub returned: i64,
}

impl Ledger {
    /// Every form received is in exactly one state.
    pub fn balances(&self) -> bool {
        self.received == self.in_stock + self.used + self.spoiled + self.returned
    }
}

/// The institution's rule for a diploma with honours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct HonoursRule {
    /// Share of graded results that must be excellent (5), percent.
    pub min_excellent_percent: i32,
    /// Whether a satisfactory (3) result still allows honours.
    pub allow_satisfactory: bool,
    /// Whether every final state attestation must be excellent.
    pub attestation_excellent: bool,
}

impl Default for HonoursRule {
    /// The common rule: three quarters excellent, the rest good, the attestation excellent.
    fn default() -> Self {
        Self { min_excellent_percent: 75, allow_satisfactory: false, attestation_excellent: true }
    }
}

impl HonoursRule {
    pub fn validate(&self) -> Result<(), ApiError> {
        if !(50..=100).contains(&self.min_excellent_percent) {
            return Err(ApiError::invalid("min_excellent_percent", "between 50 and 100").with_reason("percent_invalid"));
        }
        Ok(())
    }
}

/// Why a student may not (yet) be awarded a diploma: a stable code and what it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Blocker {
    /// `missing_course`, `failed_course`, `missing_choice`, `attestation_missing`,
    /// `attestation_failed`, `credits_short`, `open_correction`, `not_active`,
    /// `no_curriculum`, `diploma_exists`, `level_without_diploma`.
    pub code: String,
    pub line_code: String,
    pub semester: i32,
    /// The course's name (Kyrgyz, Russian, English) when the blocker is about a course.
    pub course: edu24_shared::names::Localized,
    /// Numbers that go with the code (credits earned and required, corrections open).
    pub have: i32,
    pub need: i32,
}

impl Blocker {
    fn new(code: &str) -> Self {
        Blocker {
            code: code.into(),
            line_code: String::new(),
            semester: 0,
            course: Default::default(),
            have: 0,
            need: 0,
        }
    }
}

/// What the results say for a diploma.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct Assessed {
    pub blockers: Vec<Blocker>,
    pub honours: bool,
    /// Graded results (exam, coursework, state exam, thesis) and those excellent.
    pub graded: i32,
    pub excellent: i32,
    pub satisfactory_or_lower: i32,
    pub credits_earned_tenths: i32,
    pub credits_required_tenths: i32,
}

fn graded(a: &str) -> bool {
    matches!(
        Assessment::parse(a),
        Some(Assessment::Exam | Assessment::Coursework | Assessment::StateExam | Assessment::Thesis)
    )
}

/// Checks a student's results in force against the approved plan: every mandatory
/// line passed in its semester, one line of every choice group passed, the final state
/// attestation passed, the credits complete; then the honours rule. `open_corrections`
/// are the student's corrections that await a decision.
pub fn assess(
    status: EnrolmentStatus,
    lines: &[TranscriptLine],
    req: Option<&Requirements>,
    rule: &HonoursRule,
    open_corrections: i32,
    earned_tenths: i32,
) -> Assessed {
    let mut out = Assessed { credits_earned_tenths: earned_tenths, ..Default::default() };
    if status != EnrolmentStatus::Active {
        let mut b = Blocker::new("not_active");
        b.line_code = status.as_str().into();
        out.blockers.push(b);
    }
    if open_corrections > 0 {
        let mut b = Blocker::new("open_correction");
        b.have = open_corrections;
        out.blockers.push(b);
    }
    let Some(req) = req else {
        out.blockers.push(Blocker::new("no_curriculum"));
        return out;
    };
    out.credits_required_tenths = req.total_tenths;
    let result: HashMap<(&str, i32), &TranscriptLine> =
        lines.iter().map(|l| ((l.line_code.as_str(), l.semester), l)).collect();
    let passed =
        |code: &str, sem: i32| result.get(&(code, sem)).and_then(|l| l.grade.as_ref()).is_some_and(|g| g.passed);
    // Choice groups: (semester, group) -> whether one of its lines is passed.
    let mut choices: BTreeMap<(i32, String), (bool, &edu24_curriculum::domain::Line)> = BTreeMap::new();
    for r in &req.lines {
        let l = &r.line;
        let attestation = r.block_kind == BlockKind::FinalAttestation
            || matches!(l.assessment, Assessment::StateExam | Assessment::Thesis);
        if !r.mandatory && !l.choice_group.is_empty() && !attestation {
            let e = choices.entry((l.semester, l.choice_group.clone())).or_insert((false, l));
            e.0 |= passed(&l.code, l.semester);
            continue;
        }
        if !r.mandatory && !attestation {
            continue;
        }
        if passed(&l.code, l.semester) {
            continue;
        }
        let given = result.get(&(l.code.as_str(), l.semester)).is_some_and(|t| t.grade.is_some() || t.value.absent);
        let code = match (attestation, given) {
            (true, false) => "attestation_missing",
            (true, true) => "attestation_failed",
            (false, false) => "missing_course",
            (false, true) => "failed_course",
        };
        let mut b = Blocker::new(code);
        b.line_code = l.code.clone();
        b.semester = l.semester;
        b.course = l.name.clone();
        out.blockers.push(b);
    }
    for ((sem, _), (ok, l)) in &choices {
        if !ok {
            let mut b = Blocker::new("missing_choice");
            b.line_code = l.choice_group.clone();
            b.semester = *sem;
            b.course = l.name.clone();
            out.blockers.push(b);
        }
    }
    if earned_tenths < req.total_tenths {
        let mut b = Blocker::new("credits_short");
        b.have = earned_tenths;
        b.need = req.total_tenths;
        out.blockers.push(b);
    }
    // Honours: among graded results in force.
    let mut attestation_ok = true;
    for l in lines {
        let Some(g) = &l.grade else { continue };
        if !graded(&l.assessment) {
            continue;
        }
        out.graded += 1;
        if g.five >= 5 {
            out.excellent += 1;
        }
        if g.five <= 3 {
            out.satisfactory_or_lower += 1;
        }
        if matches!(Assessment::parse(&l.assessment), Some(Assessment::StateExam | Assessment::Thesis)) && g.five < 5 {
            attestation_ok = false;
        }
    }
    out.honours = out.blockers.is_empty()
        && out.graded > 0
        && i64::from(out.excellent) * 100 >= i64::from(rule.min_excellent_percent) * i64::from(out.graded)
        && (rule.allow_satisfactory || out.satisfactory_or_lower == 0)
        && (!rule.attestation_excellent || attestation_ok);
    out
}

/// A page of a list and the total it is taken from.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct FormQuery {
    pub institution_id: String,
    pub state: Option<String>,
    pub series: Option<String>,
    pub page: u32,
    pub per_page: u32,
}

/// A graduating group: the students of one programme's study group.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct GroupQuery {
    pub institution_id: String,
    pub programme_id: String,
    pub study_group: String,
}

/// One student of a group and what the results say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EligibilityRow {
    pub enrolment_id: String,
    pub person_id: String,
    pub name: edu24_records::domain::PersonName,
    pub student_ticket: String,
    pub eligible: bool,
    pub assessed: Assessed,
    /// GPA × 100.
    pub gpa: Option<i32>,
    /// The diploma already issued, if any.
    pub diploma_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct GroupEligibility {
    pub institution_id: String,
    pub programme_id: String,
    pub study_group: String,
    pub level: String,
    pub rule: Option<HonoursRule>,
    pub rows: Vec<EligibilityRow>,
}

impl GroupEligibility {
    pub fn eligible(&self) -> usize {
        self.rows.iter().filter(|r| r.eligible).count()
    }
}

/// The registrar's issuance for a group: the graduation order and the forms.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct IssueInput {
    pub institution_id: String,
    pub programme_id: String,
    pub study_group: String,
    /// The students to award (empty: every eligible student of the group).
    pub enrolment_ids: Vec<String>,
    pub order_no: String,
    pub order_signed_on: String,
    pub signatory: String,
    /// The diplomas' date (the order's effective date).
    pub issued_on: String,
    /// Forms are taken in number order from this series (empty: the lowest in stock).
    pub series: String,
    /// The same request again answers with the same issuance.
    pub request_id: String,
}

impl IssueInput {
    pub fn validate(&self) -> Result<(), ApiError> {
        let n = self.order_no.trim().chars().count();
        if !(1..=40).contains(&n) {
            return Err(
                ApiError::invalid("order_no", "give the graduation order's number").with_reason("order_missing")
            );
        }
        if !is_date(&self.order_signed_on) {
            return Err(ApiError::invalid("order_signed_on", "a date as YYYY-MM-DD").with_reason("date_invalid"));
        }
        if !is_date(&self.issued_on) {
            return Err(ApiError::invalid("issued_on", "a date as YYYY-MM-DD").with_reason("date_invalid"));
        }
        if self.issued_on < self.order_signed_on {
            return Err(ApiError::invalid("issued_on", "the diplomas are not dated before the order")
                .with_reason("date_before_order"));
        }
        let s = self.signatory.trim().chars().count();
        if !(3..=120).contains(&s) {
            return Err(ApiError::invalid("signatory", "who signed the order (3 to 120 characters)")
                .with_reason("signatory_missing"));
        }
        if !self.series.is_empty() && !is_series(&self.series) {
            return Err(ApiError::invalid("series", "a series is 1 to 6 capital letters or digits")
                .with_reason("series_invalid"));
        }
        if self.request_id.len() > 100 {
            return Err(ApiError::invalid("request_id", "at most 100 characters"));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct IssuanceReport {
    pub issuance_id: String,
    /// `pending` (orders still being given) or `done`.
    pub state: String,
    pub diplomas: Vec<DiplomaSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct DiplomaQuery {
    /// Empty: the country (the ministry).
    pub institution_id: String,
    pub state: Option<String>,
    /// Number (exact) or family name (prefix).
    pub q: String,
    pub flagged: bool,
    pub page: u32,
    pub per_page: u32,
}

/// A line of the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DiplomaSummary {
    pub id: String,
    pub number: String,
    pub institution_id: String,
    pub enrolment_id: String,
    pub holder: edu24_records::domain::PersonName,
    pub qualification: edu24_shared::names::Localized,
    pub honours: bool,
    pub issued_on: String,
    pub form_series: String,
    pub form_number: i64,
    pub state: DiplomaState,
    pub duplicate_of: Option<String>,
    pub open_flags: i32,
}

/// A course of the supplement, as issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SupplementLine {
    pub semester: i32,
    pub code: String,
    pub course: edu24_shared::names::Localized,
    pub credits_tenths: i32,
    pub assessment: String,
    pub score: Option<i32>,
    pub letter: String,
    pub five: i32,
    pub passed: bool,
}

/// What a diploma says: kept as issued, hashed, signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Content {
    pub number: String,
    pub holder: edu24_records::domain::PersonName,
    pub holder_latin: edu24_records::domain::PersonName,
    pub birth_date: String,
    pub institution_code: String,
    pub institution: edu24_shared::names::Localized,
    pub programme_id: String,
    pub specialty_code: String,
    pub specialty: edu24_shared::names::Localized,
    pub level: String,
    pub qualification: edu24_shared::names::Localized,
    pub form_of_study: String,
    pub intake_year: i32,
    pub honours: bool,
    pub issued_on: String,
    pub form_series: String,
    pub form_number: i64,
    pub order_no: String,
    pub order_signed_on: String,
    pub signatory: String,
    /// GPA × 100.
    pub gpa: Option<i32>,
    pub credits_tenths: i32,
    pub lines: Vec<SupplementLine>,
    pub duplicate_of: Option<String>,
}

/// A diploma of the register in full.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Diploma {
    pub summary: DiplomaSummary,
    pub content: Content,
    pub content_sha256: String,
    pub person_id: String,
    pub token: String,
    pub state_on: Option<String>,
    pub state_reason: String,
    pub flags: Vec<Flag>,
}

code_enum!(
    /// Files of a diploma.
    DiplomaFile {
        Diploma = "diploma.pdf",
        Supplement = "supplement.pdf",
        SupplementEn = "supplement-en.pdf",
        Credential = "credential.json",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct StatusInput {
    pub diploma_id: String,
    /// `revoked` or `annulled`.
    pub state: String,
    pub reason: String,
    pub effective_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct DuplicateInput {
    pub diploma_id: String,
    pub reason: String,
    pub series: String,
    pub issued_on: String,
    pub request_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Flag {
    pub id: String,
    pub diploma_id: String,
    pub diploma_number: String,
    pub kind: String,
    pub detail: String,
    pub raised_at_ms: i64,
    pub closed_at_ms: Option<i64>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct VerifyQuery {
    /// The token of the QR code; or else number and family name.
    pub token: String,
    pub number: String,
    pub family_name: String,
}

code_enum!(
    /// What the public check says.
    CheckOutcome { Valid = "valid", Revoked = "revoked", Annulled = "annulled", Replaced = "replaced", NotFound = "not_found" }
);

/// The public answer: only what is needed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PublicCheck {
    pub outcome: CheckOutcome,
    pub number: String,
    pub holder: Option<edu24_records::domain::PersonName>,
    pub qualification: Option<edu24_shared::names::Localized>,
    pub institution: Option<edu24_shared::names::Localized>,
    pub issued_on: String,
    pub honours: bool,
    pub state_on: Option<String>,
    pub state_reason: String,
    pub duplicate: bool,
}

/// One finding of a credential check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CredentialCheck {
    pub valid: bool,
    /// Stable codes of what failed: `not_json`, `not_a_credential`, `context_unknown`,
    /// `proof_missing`, `cryptosuite_unsupported`, `issuer_unknown`, `key_mismatch`,
    /// `signature_invalid`, `revoked`, `not_in_register`, `content_differs`.
    pub errors: Vec<String>,
    pub issuer: String,
    pub number: String,
    pub state: Option<DiplomaState>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ShareLink {
    pub token: String,
    pub expires_at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Verification {
    pub at_ms: i64,
    pub method: String,
    pub outcome: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Issuer {
    pub institution_id: String,
    pub institution_code: String,
    pub did: String,
    pub public_key_multibase: String,
}

/// The register number of a diploma: the institution's code, the year, a sequence.
pub fn diploma_number(institution_code: &str, year: i32, seq: i64) -> String {
    format!("{}-{year}-{seq:06}", institution_code.to_uppercase())
}

/// A family name as the public check compares it: lower case, letters only, ё as е.
pub fn name_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ё' { 'е' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipts_are_checked() {
        let ok = ReceiptInput {
            institution_id: "i".into(),
            kind: "bachelor".into(),
            series: "БД".into(),
            first_no: 100,
            last_no: 199,
            document_no: "Акт 12".into(),
            received_on: "2026-05-01".into(),
        };
        assert_eq!(ok.validate().unwrap(), BlankKind::Bachelor);
        let bad = ReceiptInput { series: "бд".into(), ..ok.clone() };
        assert_eq!(bad.validate().unwrap_err().reason.as_deref(), Some("series_invalid"));
        let bad = ReceiptInput { last_no: 99, ..ok.clone() };
        assert_eq!(bad.validate().unwrap_err().field.as_deref(), Some("last_no"));
        let bad = ReceiptInput { last_no: 100 + MAX_RECEIPT_FORMS, ..ok.clone() };
        assert_eq!(bad.validate().unwrap_err().reason.as_deref(), Some("range_too_long"));
        let bad = ReceiptInput { received_on: "2026-13-01".into(), ..ok };
        assert_eq!(bad.validate().unwrap_err().field.as_deref(), Some("received_on"));
    }

    #[test]
    fn names_compare_without_case_and_yo() {
        assert_eq!(name_key("Сёмёнова-Ли "), "семеновали");
        assert_eq!(name_key("ASANOV"), "asanov");
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(diploma_number("knu", 2026, 42), "KNU-2026-000042");
    }
}

//! Curriculum domain: standards, national courses, curricula, and the rules they obey.
//! No I/O here.
//!
//! Credits are kept in tenths (`*_tenths`: 4.5 credits = 45) so that every sum is exact;
//! hours are whole academic hours.

pub mod compliance;
pub mod lines;

use std::collections::BTreeMap;

use edu24_shared::code_enum;
pub use edu24_shared::names::{Level, Localized};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use compliance::{NationalIndex, check};
pub use lines::{LineInput, RowError, validate_lines};

code_enum!(
    /// How a course of one semester is assessed.
    Assessment {
        Exam = "exam",
        CreditTest = "credit_test",
        Coursework = "coursework",
        StateExam = "state_exam",
        Thesis = "thesis",
    }
);
code_enum!(
    /// Whether a course belongs to the state component (set by the standard) or to the
    /// part the institution shapes.
    Component { State = "state", Institution = "institution" }
);
code_enum!(
    /// What a block of a standard is for.
    BlockKind {
        General = "general",
        Science = "science",
        Professional = "professional",
        Physical = "physical",
        Internship = "internship",
        Research = "research",
        FinalAttestation = "final_attestation",
    }
);
code_enum!(
    /// Where a curriculum version stands. Only a draft changes; an approved version never
    /// does (a change is a new version), and becomes superseded when the next is approved.
    Status { Draft = "draft", Submitted = "submitted", Approved = "approved", Superseded = "superseded" }
);
code_enum!(
    /// An error blocks submission; a warning does not.
    Severity { Error = "error", Warning = "warning" }
);

impl Component {
    /// Also reads the short forms used in spreadsheets.
    pub fn parse_loose(s: &str) -> Option<Component> {
        match s.trim().to_lowercase().as_str() {
            "state" | "s" | "гос" | "мам" | "мамлекеттик" | "государственный" => {
                Some(Component::State)
            }
            "institution" | "inst" | "i" | "" | "вуз" | "жож" => Some(Component::Institution),
            _ => None,
        }
    }
}

impl Status {
    /// Approved and superseded versions are public and never change.
    pub fn is_final(self) -> bool {
        matches!(self, Status::Approved | Status::Superseded)
    }
}

/// Prefix reserved for the national catalogue of general-education courses.
pub const NATIONAL_PREFIX: &str = "GE-";
/// Hours of student work in one credit unless a standard says otherwise (DOMAIN.md).
pub const DEFAULT_HOURS_PER_CREDIT: i32 = 30;
/// Weeks of a semester, so that 30 credits a semester make at most 45 hours a week.
pub const DEFAULT_WEEKS_PER_SEMESTER: i32 = 20;
pub const DEFAULT_MAX_WEEKLY_HOURS: i32 = 45;
pub const DEFAULT_STATE_COMPONENT_PERCENT: i32 = 10;
/// The most lines one curriculum may have.
pub const MAX_LINES: usize = 600;
/// Intake years a curriculum may be made for.
pub const INTAKE_YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// Credits in tenths, written as people write them: `4`, `4.5`.
pub fn credits_text(tenths: i32) -> String {
    if tenths % 10 == 0 { (tenths / 10).to_string() } else { format!("{}.{}", tenths / 10, (tenths % 10).abs()) }
}

/// Reads `4`, `4.5` or `4,5` as tenths of a credit; `None` when it is not such a number
/// (at most one decimal).
pub fn credits_parse(s: &str) -> Option<i32> {
    let s = s.trim().replace(',', ".");
    if s.is_empty() || s.starts_with('-') || s.starts_with('+') {
        return None;
    }
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, f),
        None => (s.as_str(), ""),
    };
    if whole.is_empty() && frac.is_empty() {
        return None;
    }
    let w: i32 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let f: i32 = match frac.len() {
        0 => 0,
        1 => frac.parse().ok()?,
        _ => {
            // "4.50" is fine, "4.55" is not.
            let (d, rest) = frac.split_at(1);
            if !rest.chars().all(|c| c == '0') {
                return None;
            }
            d.parse().ok()?
        }
    };
    w.checked_mul(10)?.checked_add(f)
}

/// An entry of the national catalogue of general-education courses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct NationalCourse {
    pub code: String,
    pub name: Localized,
    pub recommended_tenths: Option<i32>,
    pub mandatory: bool,
    pub note: String,
    pub version: i64,
}

impl NationalCourse {
    pub fn validate(&self) -> Result<(), edu24_shared::ApiError> {
        use edu24_shared::ApiError;
        if !self.code.starts_with(NATIONAL_PREFIX) || !lines::is_course_code(&self.code) {
            return Err(ApiError::invalid("code", "a national course code is GE- followed by letters, e.g. GE-MANAS")
                .with_reason("national_code_format"));
        }
        let n = self.name.trimmed();
        if n.ky.is_empty() || n.ru.is_empty() || n.en.is_empty() {
            return Err(ApiError::invalid("name", "a national course is named in Kyrgyz, Russian and English")
                .with_reason("name_required"));
        }
        if n.max_chars() > 300 || self.note.chars().count() > 2000 {
            return Err(
                ApiError::invalid("name", "names are at most 300 characters, the note 2000").with_reason("too_long")
            );
        }
        if let Some(t) = self.recommended_tenths
            && !(0..=600).contains(&t)
        {
            return Err(ApiError::invalid("recommended_tenths", "recommended credits are from 0 to 60")
                .with_reason("credits_range"));
        }
        Ok(())
    }
}

/// A block (cycle) of a standard with its credit limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StandardBlock {
    pub code: String,
    pub kind: BlockKind,
    pub name: Localized,
    pub min_tenths: i32,
    pub max_tenths: i32,
}

/// A course every curriculum of the standard must have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StandardCourse {
    pub code: String,
    /// Empty for national courses (the catalogue names them).
    pub name: Localized,
    pub block: String,
    pub min_tenths: i32,
}

/// A state educational standard of one specialty and level, in force from `valid_from`
/// until a later standard of the same specialty and level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Standard {
    pub id: String,
    pub specialty_code: String,
    pub level: Level,
    pub valid_from: String,
    pub document_no: String,
    pub title: Localized,
    pub total_tenths: i32,
    pub hours_per_credit: i32,
    pub semesters: i32,
    pub weeks_per_semester: i32,
    pub max_weekly_hours: i32,
    pub state_component_percent: i32,
    pub blocks: Vec<StandardBlock>,
    pub courses: Vec<StandardCourse>,
    pub version: i64,
    pub in_use: bool,
    pub updated_at_ms: i64,
    pub updated_by: String,
}

impl Standard {
    pub fn block(&self, code: &str) -> Option<&StandardBlock> {
        self.blocks.iter().find(|b| b.code == code)
    }

    /// Checks a standard as the ministry records it; the first problem, with its field.
    pub fn validate(&self) -> Result<(), edu24_shared::ApiError> {
        use edu24_shared::ApiError;
        let bad = |field: &str, reason: &str, msg: String| Err(ApiError::invalid(field, msg).with_reason(reason));
        if self.specialty_code.len() != 6 || !self.specialty_code.bytes().all(|b| b.is_ascii_digit()) {
            return bad(
                "specialty_code",
                "specialty_code_format",
                "the specialty code is 6 digits, e.g. 580100".into(),
            );
        }
        if !is_date(&self.valid_from) {
            return bad("valid_from", "date_format", "the date of entry into force is YYYY-MM-DD".into());
        }
        if self.document_no.trim().is_empty() || self.document_no.chars().count() > 120 {
            return bad("document_no", "document_no", "name the approving document (at most 120 characters)".into());
        }
        if self.title.max_chars() > 400 {
            return bad("title", "too_long", "the title is at most 400 characters".into());
        }
        if !(10..=6000).contains(&self.total_tenths) {
            return bad("total_tenths", "credits_range", "total credits are from 1 to 600".into());
        }
        if !(10..=60).contains(&self.hours_per_credit) {
            return bad("hours_per_credit", "hours_per_credit", "a credit is from 10 to 60 hours".into());
        }
        if !(1..=20).contains(&self.semesters) {
            return bad("semesters", "semesters_range", "from 1 to 20 semesters".into());
        }
        if !(10..=30).contains(&self.weeks_per_semester) {
            return bad("weeks_per_semester", "weeks_range", "a semester is from 10 to 30 weeks".into());
        }
        if !(10..=80).contains(&self.max_weekly_hours) {
            return bad("max_weekly_hours", "weekly_range", "at most 10 to 80 hours a week".into());
        }
        if !(0..=100).contains(&self.state_component_percent) {
            return bad("state_component_percent", "percent_range", "the state component is from 0 to 100 %".into());
        }
        if self.blocks.is_empty() || self.blocks.len() > 20 {
            return bad("blocks", "blocks_count", "a standard has from 1 to 20 blocks".into());
        }
        let mut min_sum = 0;
        let mut max_sum = 0;
        for (i, b) in self.blocks.iter().enumerate() {
            let field = format!("blocks[{i}]");
            if !is_block_code(&b.code) {
                return bad(&field, "block_code", format!("block {:?}: 1 to 12 letters, digits or -", b.code));
            }
            if self.blocks[..i].iter().any(|o| o.code == b.code) {
                return bad(&field, "block_duplicate", format!("block {} is listed twice", b.code));
            }
            if b.name.trimmed().is_blank() || b.name.max_chars() > 200 {
                return bad(
                    &field,
                    "name_required",
                    format!("block {}: give its name (at most 200 characters)", b.code),
                );
            }
            if b.min_tenths < 0 || b.max_tenths < b.min_tenths || b.max_tenths > self.total_tenths {
                return bad(&field, "block_limits", format!("block {}: 0 ≤ min ≤ max ≤ total credits", b.code));
            }
            min_sum += b.min_tenths;
            max_sum += b.max_tenths;
        }
        if min_sum > self.total_tenths || max_sum < self.total_tenths {
            return bad(
                "blocks",
                "blocks_total",
                format!(
                    "the blocks' limits ({}–{} credits) cannot add up to the total of {}",
                    credits_text(min_sum),
                    credits_text(max_sum),
                    credits_text(self.total_tenths)
                ),
            );
        }
        if self.courses.len() > 100 {
            return bad("courses", "courses_count", "at most 100 mandatory courses".into());
        }
        for (i, c) in self.courses.iter().enumerate() {
            let field = format!("courses[{i}]");
            if !lines::is_course_code(&c.code) {
                return bad(
                    &field,
                    "code_format",
                    format!("course code {:?}: letters, digits, - . _ (at most 24)", c.code),
                );
            }
            if self.courses[..i].iter().any(|o| o.code == c.code) {
                return bad(&field, "course_duplicate", format!("course {} is listed twice", c.code));
            }
            if self.block(&c.block).is_none() {
                return bad(
                    &field,
                    "block_unknown",
                    format!("course {}: block {:?} is not a block of this standard", c.code, c.block),
                );
            }
            if !(0..=self.total_tenths).contains(&c.min_tenths) {
                return bad(&field, "credits_range", format!("course {}: credits from 0 to the total", c.code));
            }
            if !c.code.starts_with(NATIONAL_PREFIX) && (c.name.trimmed().is_blank() || c.name.max_chars() > 300) {
                return bad(&field, "name_required", format!("course {}: give its name", c.code));
            }
        }
        Ok(())
    }

    /// The standard in force on `date` among `standards` of one specialty and level: the
    /// one with the latest `valid_from` not after `date`.
    pub fn in_force<'a>(standards: impl IntoIterator<Item = &'a Standard>, date: &str) -> Option<&'a Standard> {
        standards.into_iter().filter(|s| s.valid_from.as_str() <= date).max_by(|a, b| a.valid_from.cmp(&b.valid_from))
    }
}

/// The date from which an intake's curriculum is held to a standard: the start of its
/// first academic year.
pub fn intake_start(intake_year: i32) -> String {
    format!("{intake_year:04}-09-01")
}

pub fn is_date(s: &str) -> bool {
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).is_ok()
}

pub fn is_block_code(s: &str) -> bool {
    (1..=12).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// One course in one semester of a curriculum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Line {
    pub line_no: u32,
    pub semester: i32,
    pub code: String,
    pub name: Localized,
    pub block: String,
    pub credits_tenths: i32,
    pub lectures: i32,
    pub practicals: i32,
    pub labs: i32,
    pub independent: i32,
    pub assessment: Assessment,
    pub prerequisites: Vec<String>,
    pub component: Component,
    pub choice_group: String,
}

impl Line {
    pub fn hours(&self) -> i32 {
        self.lectures + self.practicals + self.labs + self.independent
    }
    pub fn contact_hours(&self) -> i32 {
        self.lectures + self.practicals + self.labs
    }
    pub fn is_alternative(&self) -> bool {
        !self.choice_group.is_empty()
    }
}

/// What the check found: one rule, its numbers and the lines at fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub lines: Vec<u32>,
    pub args: BTreeMap<String, String>,
    pub message: String,
}

/// The result of checking a curriculum against its standard.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Compliance {
    pub standard_id: Option<String>,
    pub findings: Vec<Finding>,
    pub errors: u32,
    pub warnings: u32,
    pub total_tenths: i32,
    pub checked_at_ms: i64,
}

impl Compliance {
    pub fn is_compliant(&self) -> bool {
        self.errors == 0
    }
}

/// What lists show of a curriculum version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CurriculumSummary {
    pub id: String,
    pub programme_id: String,
    pub institution_id: String,
    pub specialty_code: String,
    pub level: Level,
    pub intake_year: i32,
    pub version: i32,
    pub status: Status,
    pub standard_id: Option<String>,
    pub errors: u32,
    pub warnings: u32,
    pub total_tenths: i32,
    pub lines: u32,
    pub revision: i64,
    pub updated_at_ms: i64,
    pub updated_by: String,
    pub submitted_at_ms: Option<i64>,
    pub submitted_by: String,
    pub decided_at_ms: Option<i64>,
    pub decided_by: String,
    pub decision_note: String,
    pub content_sha256: String,
    pub superseded_by: Option<String>,
    pub institution_name: Localized,
    pub institution_code: String,
    pub specialty_name: Localized,
    pub form: String,
    pub language: String,
}

/// One curriculum version with its lines, findings and standard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CurriculumDetail {
    pub summary: CurriculumSummary,
    pub lines: Vec<Line>,
    pub compliance: Compliance,
    pub standard: Option<Standard>,
}

/// Filters of a curriculum list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CurriculumQuery {
    pub institution_id: Option<String>,
    pub programme_id: Option<String>,
    pub status: Option<Status>,
    pub specialty_code: Option<String>,
    pub level: Option<Level>,
    pub intake_year: Option<i32>,
    pub page: u32,
    pub per_page: u32,
}

pub const MAX_PER_PAGE: u32 = 500;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
}

/// What saving a draft did: saved (with its new state) or refused with every bad line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveOutcome {
    Saved(Box<CurriculumDetail>),
    Refused(Vec<RowError>),
}

/// A line of an approved curriculum with what downstream services need of its block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RequiredLine {
    pub line: Line,
    pub block_kind: BlockKind,
    pub mandatory: bool,
}

/// What an approved curriculum requires of a student of one programme and intake year
/// (the contract of `GetRequirements` and of the approved event).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Requirements {
    pub curriculum_id: String,
    pub version: i32,
    pub programme_id: String,
    pub institution_id: String,
    pub specialty_code: String,
    pub level: Level,
    pub intake_year: i32,
    pub standard_id: String,
    pub standard_document_no: String,
    pub total_tenths: i32,
    pub hours_per_credit: i32,
    pub semesters: i32,
    pub approved_at_ms: i64,
    pub approved_by: String,
    pub content_sha256: String,
    pub lines: Vec<RequiredLine>,
    pub blocks: Vec<StandardBlock>,
    pub status: Status,
    pub superseded_by: Option<String>,
}

/// Programme facts curriculum keeps from catalogue's events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeRef {
    pub id: String,
    pub institution_id: String,
    pub specialty_code: String,
    pub level: Level,
    pub form: String,
    pub language: String,
    pub duration_months: i32,
    pub credits: i32,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstitutionRef {
    pub id: String,
    pub code: String,
    pub name: Localized,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialtyRef {
    pub code: String,
    pub level: Level,
    pub name: Localized,
    pub version: i64,
}

/// The ministry's national view of compliance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct InstitutionCompliance {
    pub institution_id: String,
    pub institution_code: String,
    pub institution_name: Localized,
    pub curricula: u32,
    pub approved: u32,
    pub submitted: u32,
    pub drafts: u32,
    pub with_errors: u32,
    pub with_warnings: u32,
    pub programmes_without_approved: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ComplianceOverview {
    pub curricula: u32,
    pub approved: u32,
    pub submitted: u32,
    pub drafts: u32,
    pub with_errors: u32,
    pub with_warnings: u32,
    pub programmes: u32,
    pub programmes_without_approved: u32,
    pub institutions: Vec<InstitutionCompliance>,
    pub rules: Vec<(String, u32)>,
    pub failing: Vec<CurriculumSummary>,
    pub intake_year: i32,
    pub last_recheck_ms: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OverviewQuery {
    pub specialty_code: Option<String>,
    pub level: Option<Level>,
    pub intake_year: Option<i32>,
}

/// Credits and hours of one block of a curriculum.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BlockFigures {
    pub block: String,
    pub credits_tenths: i32,
    pub hours: i32,
    pub contact_hours: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ComparedCurriculum {
    pub summary: CurriculumSummary,
    pub blocks: Vec<BlockFigures>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SpecialtyComparison {
    pub specialty_code: String,
    pub level: Level,
    pub intake_year: i32,
    pub blocks: Vec<StandardBlock>,
    pub curricula: Vec<ComparedCurriculum>,
    pub standard_id: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RecheckReport {
    pub curricula: u32,
    pub changed: u32,
    pub with_errors: u32,
    pub elapsed_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Delegation {
    pub institution_id: String,
    pub delegated: bool,
    pub granted_at_ms: i64,
    pub granted_by: String,
    pub note: String,
    pub institution_name: Localized,
}

/// Counts of the lines of a curriculum per block: the counted credits (a choice group
/// once), all hours and the contact hours.
pub fn block_figures(lines: &[Line]) -> Vec<BlockFigures> {
    let mut out: Vec<BlockFigures> = Vec::new();
    for l in compliance::counted(lines) {
        let i = match out.iter().position(|b| b.block == l.block) {
            Some(i) => i,
            None => {
                out.push(BlockFigures { block: l.block.clone(), ..BlockFigures::default() });
                out.len() - 1
            }
        };
        out[i].credits_tenths += l.credits_tenths;
        out[i].hours += l.hours();
        out[i].contact_hours += l.contact_hours();
    }
    out
}

/// SHA-256 (hex) of the lines of a plan in a canonical form: what an approved version is
/// pinned to, and what a diploma can name.
pub fn content_sha256(lines: &[Line]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for l in lines {
        let parts = [
            l.line_no.to_string(),
            l.semester.to_string(),
            l.code.clone(),
            l.name.ky.clone(),
            l.name.ru.clone(),
            l.name.en.clone(),
            l.block.clone(),
            l.credits_tenths.to_string(),
            l.lectures.to_string(),
            l.practicals.to_string(),
            l.labs.to_string(),
            l.independent.to_string(),
            l.assessment.as_str().to_owned(),
            l.prerequisites.join(" "),
            l.component.as_str().to_owned(),
            l.choice_group.clone(),
        ];
        for p in parts {
            h.update((p.len() as u64).to_be_bytes());
            h.update(p.as_bytes());
        }
    }
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credits_are_read_and_written_in_tenths() {
        assert_eq!(credits_parse("4"), Some(40));
        assert_eq!(credits_parse("4.5"), Some(45));
        assert_eq!(credits_parse("4,5"), Some(45));
        assert_eq!(credits_parse("0.5"), Some(5));
        assert_eq!(credits_parse("4.50"), Some(45));
        assert_eq!(credits_parse(" 12 "), Some(120));
        for bad in ["", "-1", "4.55", "four", "4.5.1", ".", "1e3", "+3"] {
            assert_eq!(credits_parse(bad), None, "{bad}");
        }
        assert_eq!(credits_text(45), "4.5");
        assert_eq!(credits_text(240), "24");
        assert_eq!(credits_text(0), "0");
    }

    #[test]
    fn the_standard_in_force_is_the_latest_not_after_the_date() {
        let mut a = crate::domain::compliance::tests::standard();
        a.valid_from = "2015-09-01".into();
        let mut b = a.clone();
        b.valid_from = "2021-09-01".into();
        let all = [a, b];
        assert_eq!(Standard::in_force(&all, "2020-09-01").unwrap().valid_from, "2015-09-01");
        assert_eq!(Standard::in_force(&all, "2021-09-01").unwrap().valid_from, "2021-09-01");
        assert!(Standard::in_force(&all, "2014-01-01").is_none());
        assert_eq!(intake_start(2026), "2026-09-01");
    }

    #[test]
    fn a_standard_whose_blocks_cannot_reach_the_total_is_refused() {
        let mut s = crate::domain::compliance::tests::standard();
        assert!(s.validate().is_ok(), "{:?}", s.validate());
        s.blocks[0].max_tenths = s.blocks[0].min_tenths;
        s.blocks.iter_mut().for_each(|b| b.max_tenths = b.min_tenths);
        assert_eq!(s.validate().unwrap_err().reason.as_deref(), Some("blocks_total"));
        let mut s = crate::domain::compliance::tests::standard();
        s.courses[0].block = "NOPE".into();
        assert_eq!(s.validate().unwrap_err().reason.as_deref(), Some("block_unknown"));
    }

    #[test]
    fn the_content_hash_changes_with_any_field() {
        let lines = crate::domain::compliance::tests::good_lines();
        let h = content_sha256(&lines);
        assert_eq!(h, content_sha256(&lines.clone()));
        let mut changed = lines.clone();
        changed[3].lectures += 1;
        assert_ne!(h, content_sha256(&changed));
        let mut changed = lines;
        changed[0].name.ky.push('.');
        assert_ne!(h, content_sha256(&changed));
    }
}

//! Teaching and grading: teachers, their assignments (a course of an approved curriculum
//! for a group in a semester), grade sheets, corrections of closed sheets, the
//! institution's grading scale, transcripts and the GPA. No I/O.
//!
//! A sheet is a legal document. Its life: `draft` (the assigned teacher enters scores,
//! saves as often as needed) → `submitted` (the teacher is done; the registrar may return
//! it with a note) → `closed` (by the registrar; never changed again). A closed grade is
//! changed only by a correction, with a reason, requested by one person and approved by
//! another, kept beside the original.

use edu24_shared::ApiError;
use edu24_shared::code_enum;
use edu24_shared::names::Localized;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{Enrolment, PersonInput, PersonName};

code_enum!(
    /// An academic degree (учёная степень).
    Degree { None = "none", Candidate = "candidate", Doctor = "doctor", Phd = "phd" }
);
code_enum!(
    /// An academic or teaching title.
    Title {
        None = "none",
        Assistant = "assistant",
        Lecturer = "lecturer",
        SeniorLecturer = "senior_lecturer",
        Docent = "docent",
        Professor = "professor",
    }
);
code_enum!(
    /// A regular sheet of the session, or a retake of those who failed or were absent.
    SheetKind { Regular = "regular", Retake = "retake" }
);
code_enum!(
    SheetState { Draft = "draft", Submitted = "submitted", Closed = "closed" }
);
code_enum!(
    CorrectionState { Pending = "pending", Approved = "approved", Rejected = "rejected" }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Teacher {
    pub id: String,
    pub person_id: String,
    pub institution_id: String,
    pub name: PersonName,
    pub department: String,
    pub degree: Degree,
    pub title: Title,
    pub active: bool,
    pub created_at_ms: i64,
    pub version: i64,
}

/// A teacher to record: the person (found by PIN, or recorded) and the post.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TeacherInput {
    pub person: PersonInput,
    pub department: String,
    pub degree: String,
    pub title: String,
}

impl TeacherInput {
    pub fn post(&self) -> Result<(String, Degree, Title), ApiError> {
        let department = self.department.trim();
        if department.chars().count() < 2 || department.chars().count() > 200 {
            return Err(ApiError::invalid("department", "name the department (2 to 200 characters)")
                .with_reason("department_required"));
        }
        let degree = Degree::parse(self.degree.trim()).unwrap_or(Degree::None);
        let Some(title) = Title::parse(if self.title.trim().is_empty() { "none" } else { self.title.trim() }) else {
            return Err(ApiError::invalid("title", "choose the title from the list").with_reason("title_unknown"));
        };
        if !self.degree.trim().is_empty() && Degree::parse(self.degree.trim()).is_none() {
            return Err(ApiError::invalid("degree", "choose the degree from the list").with_reason("degree_unknown"));
        }
        Ok((department.to_owned(), degree, title))
    }
}

/// A course of an approved curriculum taught to one group in one semester by one teacher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Assignment {
    pub id: String,
    pub institution_id: String,
    pub programme_id: String,
    pub intake_year: i32,
    pub curriculum_id: String,
    pub curriculum_version: i32,
    pub line_code: String,
    pub course: Localized,
    pub credits_tenths: i32,
    /// How the course is assessed (exam, credit_test, coursework, state_exam, thesis).
    pub assessment: String,
    pub semester: i32,
    pub study_group: String,
    pub teacher_id: String,
    pub teacher_name: PersonName,
    pub created_at_ms: i64,
}

impl Assignment {
    /// The academic year of the semester: intake 2026, semester 3 → "2027/2028".
    pub fn academic_year(&self) -> String {
        academic_year(self.intake_year, self.semester)
    }
}

pub fn academic_year(intake_year: i32, semester: i32) -> String {
    let start = intake_year + (semester.max(1) - 1) / 2;
    format!("{start}/{}", start + 1)
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AssignmentInput {
    pub institution_id: String,
    pub programme_id: String,
    pub intake_year: i32,
    pub line_code: String,
    pub semester: i32,
    pub study_group: String,
    pub teacher_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AssignmentQuery {
    pub institution_id: String,
    /// Only this teacher's.
    pub teacher_id: Option<String>,
    pub study_group: Option<String>,
    pub programme_id: Option<String>,
}

/// A grade as the scale reads a score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Grade {
    pub score: i32,
    pub letter: String,
    /// The 5-point grade (5 excellent … 2 fail).
    pub five: i32,
    /// Grade points × 100 (4.00 → 400).
    pub points: i32,
    pub passed: bool,
}

/// One band of a scale: scores from `min_score` up (to the next band) read as this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ScaleBand {
    pub min_score: i32,
    pub letter: String,
    pub five: i32,
    pub points: i32,
}

/// An institution's grading scale and GPA rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Scale {
    /// Highest band first; the last starts at 0.
    pub bands: Vec<ScaleBand>,
    /// The lowest passing score.
    pub pass_score: i32,
    /// Whether credit tests (зачёт) count in the GPA.
    pub credit_tests_in_gpa: bool,
}

impl Default for Scale {
    /// The common mapping of Kyrgyz universities (DOMAIN.md): 0–59 fail (2), 60–75
    /// satisfactory (3), 76–85 good (4), 86–100 excellent (5), with letters of the
    /// credit system. Each institution may keep its own.
    fn default() -> Self {
        let b = |min_score, letter: &str, five, points| ScaleBand { min_score, letter: letter.into(), five, points };
        Scale {
            bands: vec![
                b(95, "A", 5, 400),
                b(86, "A-", 5, 367),
                b(81, "B+", 4, 333),
                b(76, "B", 4, 300),
                b(71, "C+", 3, 267),
                b(66, "C", 3, 233),
                b(60, "C-", 3, 200),
                b(30, "FX", 2, 0),
                b(0, "F", 2, 0),
            ],
            pass_score: 60,
            credit_tests_in_gpa: false,
        }
    }
}

impl Scale {
    pub fn grade(&self, score: i32) -> Grade {
        let band = self.bands.iter().find(|b| score >= b.min_score).or(self.bands.last());
        let (letter, five, points) = band.map(|b| (b.letter.clone(), b.five, b.points)).unwrap_or_default();
        Grade { score, letter, five, points, passed: score >= self.pass_score }
    }

    /// The scale, or what is wrong with it.
    pub fn validate(&self) -> Result<(), ApiError> {
        let bad = |m: &str| Err(ApiError::invalid("bands", m).with_reason("scale_invalid"));
        if self.bands.is_empty() || self.bands.len() > 20 {
            return bad("a scale has 1 to 20 bands");
        }
        if self.bands.last().map(|b| b.min_score) != Some(0) {
            return bad("the lowest band starts at 0");
        }
        for w in self.bands.windows(2) {
            if w[0].min_score <= w[1].min_score {
                return bad("bands go from the highest score down, each starting lower");
            }
            if w[0].points < w[1].points || w[0].five < w[1].five {
                return bad("a higher band never gives fewer points");
            }
        }
        for b in &self.bands {
            if !(0..=100).contains(&b.min_score)
                || !(0..=500).contains(&b.points)
                || !(1..=5).contains(&b.five)
                || b.letter.trim().is_empty()
                || b.letter.chars().count() > 4
            {
                return bad("each band starts at 0..100, gives 0.00..5.00 points, a 1..5 grade and a letter");
            }
        }
        if !(1..=100).contains(&self.pass_score) {
            return bad("the passing score is 1..100");
        }
        Ok(())
    }
}

/// What a teacher enters for one student: a score, or that they did not appear; and
/// how much of the classes they attended.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EntryValue {
    pub score: Option<i32>,
    pub absent: bool,
    /// Attendance of the course's classes, percent.
    pub attendance: Option<i32>,
}

impl EntryValue {
    pub fn validate(&self) -> Result<(), ApiError> {
        if let Some(s) = self.score
            && !(0..=100).contains(&s)
        {
            return Err(ApiError::invalid("score", "a score is from 0 to 100").with_reason("score_range"));
        }
        if self.absent && self.score.is_some() {
            return Err(ApiError::invalid("score", "a student who did not appear has no score")
                .with_reason("absent_with_score"));
        }
        if let Some(a) = self.attendance
            && !(0..=100).contains(&a)
        {
            return Err(ApiError::invalid("attendance", "attendance is a percentage from 0 to 100")
                .with_reason("attendance_range"));
        }
        Ok(())
    }

    /// Flags a registrar sees before closing: a score for a student with no attendance
    /// recorded (or none at all) is how grades for students who never came were given.
    pub fn flags(&self) -> Vec<String> {
        let mut f = Vec::new();
        if self.score.is_some() && self.attendance.unwrap_or(0) == 0 {
            f.push("no_attendance".to_owned());
        }
        f
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SheetEntry {
    pub enrolment_id: String,
    pub person_id: String,
    pub name: PersonName,
    pub student_ticket: String,
    pub position: i32,
    /// As entered (and closed).
    pub value: EntryValue,
    /// The grade of `value`.
    pub grade: Option<Grade>,
    /// After approved corrections (the same as `value` without them).
    pub effective: EntryValue,
    pub effective_grade: Option<Grade>,
    pub flags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Correction {
    pub id: String,
    pub sheet_id: String,
    pub enrolment_id: String,
    pub before: EntryValue,
    pub after: EntryValue,
    pub reason: String,
    pub requested_by: String,
    pub requested_at_ms: i64,
    pub state: CorrectionState,
    pub decided_by: String,
    pub decided_at_ms: i64,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Sheet {
    pub id: String,
    pub assignment: Assignment,
    pub kind: SheetKind,
    /// The roster is the group's students enrolled on this date.
    pub as_of: String,
    pub state: SheetState,
    pub version: i64,
    pub entries: Vec<SheetEntry>,
    pub corrections: Vec<Correction>,
    pub created_at_ms: i64,
    pub created_by: String,
    pub submitted_at_ms: i64,
    pub submitted_by: String,
    pub closed_at_ms: i64,
    pub closed_by: String,
    pub returned_note: String,
    /// SHA-256 of the closed entries (empty before closing).
    pub digest: String,
}

/// A sheet in lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SheetSummary {
    pub id: String,
    pub assignment: Assignment,
    pub kind: SheetKind,
    pub as_of: String,
    pub state: SheetState,
    pub students: i32,
    pub graded: i32,
    pub flagged: i32,
    pub pending_corrections: i32,
    pub updated_at_ms: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SheetQuery {
    pub institution_id: String,
    /// Only the sheets of this teacher's assignments.
    pub teacher_id: Option<String>,
    pub state: Option<SheetState>,
    pub assignment_id: Option<String>,
    pub limit: u32,
}

/// What a teacher saves: the values of some students of the sheet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EntryInput {
    pub enrolment_id: String,
    pub value: EntryValue,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CorrectionInput {
    pub sheet_id: String,
    pub enrolment_id: String,
    pub after: EntryValue,
    pub reason: String,
}

/// A course in a transcript: the latest closed result of the student in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TranscriptLine {
    pub semester: i32,
    pub line_code: String,
    pub course: Localized,
    pub credits_tenths: i32,
    pub assessment: String,
    pub value: EntryValue,
    pub grade: Option<Grade>,
    pub sheet_id: String,
    pub closed_at_ms: i64,
    /// The grade was changed by an approved correction.
    pub corrected: bool,
    /// Whether it counts in the GPA.
    pub in_gpa: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Transcript {
    pub enrolment: Enrolment,
    pub name: PersonName,
    pub lines: Vec<TranscriptLine>,
    /// Credit-weighted GPA × 100 (None without graded courses).
    pub gpa: Option<i32>,
    pub credits_earned_tenths: i32,
    pub credits_attempted_tenths: i32,
    /// What the curriculum of the programme and intake requires (0 when none approved).
    pub credits_required_tenths: i32,
    pub curriculum_id: String,
    /// Corrections of the student's results that await a decision.
    pub open_corrections: i32,
}

/// GPA × 100 and credits (earned, attempted) of transcript lines, by the scale's rules.
pub fn gpa(lines: &[TranscriptLine]) -> (Option<i32>, i32, i32) {
    let (mut weighted, mut weight, mut earned, mut attempted) = (0i64, 0i64, 0i32, 0i32);
    for l in lines {
        let Some(g) = &l.grade else {
            if l.value.absent {
                attempted += l.credits_tenths;
            }
            continue;
        };
        attempted += l.credits_tenths;
        if g.passed {
            earned += l.credits_tenths;
        }
        if l.in_gpa {
            weighted += i64::from(g.points) * i64::from(l.credits_tenths);
            weight += i64::from(l.credits_tenths);
        }
    }
    let gpa = (weight > 0).then(|| ((weighted + weight / 2) / weight) as i32);
    (gpa, earned, attempted)
}

/// Whether a course assessed so counts in the GPA.
pub fn counts_in_gpa(scale: &Scale, assessment: &str) -> bool {
    assessment != "credit_test" || scale.credit_tests_in_gpa
}

/// A student in an institution's GPA ranking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RankRow {
    pub rank: u64,
    pub enrolment_id: String,
    pub person_id: String,
    pub name: PersonName,
    pub programme_id: String,
    pub study_group: String,
    pub gpa: i32,
    pub credits_earned_tenths: i32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RankQuery {
    pub institution_id: String,
    pub programme_id: Option<String>,
    pub page: u32,
    pub per_page: u32,
}

/// What the grade log check found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LogCheck {
    pub records: i64,
    /// The first record whose link, content or seal does not match.
    pub first_broken: Option<i64>,
    /// Grades in the tables that the log does not account for (changed behind its back).
    pub unexplained: Vec<String>,
}

impl LogCheck {
    pub fn intact(&self) -> bool {
        self.first_broken.is_none() && self.unexplained.is_empty()
    }
}

/// The SHA-256 of a sheet's closed entries, in order: what the closing record seals.
pub fn sheet_digest(entries: &[(String, EntryValue)]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for (enrolment, v) in entries {
        h.update(enrolment.as_bytes());
        h.update([0]);
        h.update(format!("{:?}|{}|{:?}", v.score, v.absent, v.attendance).as_bytes());
        h.update([0]);
    }
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_scale_reads_the_common_mapping() {
        let s = Scale::default();
        s.validate().unwrap();
        let g = |score| s.grade(score);
        assert_eq!((g(100).letter.as_str(), g(100).five, g(100).points), ("A", 5, 400));
        assert_eq!((g(86).five, g(85).five, g(76).five, g(75).five, g(60).five, g(59).five), (5, 4, 4, 3, 3, 2));
        assert!(g(60).passed && !g(59).passed);
        assert_eq!(g(0).letter, "F");
        let mut bad = Scale::default();
        bad.bands[1].min_score = 99;
        assert_eq!(bad.validate().unwrap_err().reason.as_deref(), Some("scale_invalid"));
        let mut bad = Scale::default();
        bad.bands.pop();
        assert!(bad.validate().is_err(), "the lowest band must start at 0");
    }

    #[test]
    fn values_are_checked_and_scores_without_attendance_flagged() {
        let v = |score, absent, attendance| EntryValue { score, absent, attendance };
        assert!(v(Some(101), false, None).validate().is_err());
        assert_eq!(v(Some(70), true, None).validate().unwrap_err().reason.as_deref(), Some("absent_with_score"));
        assert!(v(None, true, Some(0)).validate().is_ok());
        assert_eq!(v(Some(90), false, None).flags(), ["no_attendance"]);
        assert_eq!(v(Some(90), false, Some(0)).flags(), ["no_attendance"]);
        assert!(v(Some(90), false, Some(85)).flags().is_empty());
        assert!(v(None, true, None).flags().is_empty(), "an absent student is not graded");
    }

    #[test]
    fn the_gpa_weighs_points_by_credits_and_credits_count_when_passed() {
        let s = Scale::default();
        let line = |credits, score: Option<i32>, assessment: &str| TranscriptLine {
            semester: 1,
            line_code: "X".into(),
            course: Localized::default(),
            credits_tenths: credits,
            assessment: assessment.into(),
            value: EntryValue { score, absent: score.is_none(), attendance: Some(90) },
            grade: score.map(|x| s.grade(x)),
            sheet_id: String::new(),
            closed_at_ms: 0,
            corrected: false,
            in_gpa: counts_in_gpa(&s, assessment),
        };
        // 6 credits of A (4.00) and 4 of C (2.33): (24 + 9.32) / 10 = 3.332.
        let (g, earned, attempted) = gpa(&[line(60, Some(97), "exam"), line(40, Some(68), "exam")]);
        assert_eq!((g, earned, attempted), (Some(333), 100, 100));
        // A credit test passes credits but does not count in the GPA by default; a fail
        // counts in the GPA with 0 points and earns nothing; an absence is attempted.
        let (g, earned, attempted) = gpa(&[
            line(60, Some(97), "exam"),
            line(30, Some(61), "credit_test"),
            line(40, Some(40), "exam"),
            line(20, None, "exam"),
        ]);
        assert_eq!((g, earned, attempted), (Some(240), 90, 150));
        assert_eq!(gpa(&[]).0, None);
        assert_eq!(academic_year(2026, 1), "2026/2027");
        assert_eq!(academic_year(2026, 3), "2027/2028");
        assert_eq!(academic_year(2026, 8), "2029/2030");
    }

    #[test]
    fn the_digest_changes_with_any_value() {
        let a = vec![("e1".to_owned(), EntryValue { score: Some(80), absent: false, attendance: Some(90) })];
        let mut b = a.clone();
        b[0].1.score = Some(81);
        assert_ne!(sheet_digest(&a), sheet_digest(&b));
        assert_eq!(sheet_digest(&a), sheet_digest(&a.clone()));
    }
}

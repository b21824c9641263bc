//! Events records publishes (through its outbox).

use edu24_proto::records::v1 as pb;

use crate::domain::Enrolment;
use crate::grading::{EntryValue, Grade};

pub const ENROLMENT_CHANGED: &str = "edu24.records.enrolment.changed.v1";

/// The enrolment as it now stands; `hold_id` names the catalogue hold a newly counted
/// place came from (admission, reinstatement).
pub fn enrolment_changed(e: &Enrolment, hold_id: &str) -> pb::EnrolmentChanged {
    pb::EnrolmentChanged {
        enrolment_id: e.id.clone(),
        student_id: e.person_id.clone(),
        institution_id: e.institution_id.clone(),
        programme_id: e.programme_id.clone(),
        licence_id: e.licence_id.clone(),
        specialty_code: e.specialty_code.clone(),
        level: e.level.as_str().to_owned(),
        form: e.form.clone(),
        funding: e.funding.as_str().to_owned(),
        status: e.status.as_str().to_owned(),
        hold_id: hold_id.to_owned(),
        effective_on: e.since.clone(),
        version: e.version,
    }
}

pub const SHEET_CLOSED: &str = "edu24.records.sheet.closed.v1";
pub const GRADE_CORRECTED: &str = "edu24.records.grade.corrected.v1";

pub fn grade_result(enrolment_id: &str, person_id: &str, v: &EntryValue, g: Option<&Grade>) -> pb::GradeResult {
    pb::GradeResult {
        enrolment_id: enrolment_id.to_owned(),
        student_id: person_id.to_owned(),
        score: v.score.unwrap_or(-1),
        absent: v.absent,
        letter: g.map(|g| g.letter.clone()).unwrap_or_default(),
        five: g.map(|g| g.five).unwrap_or(0),
        points: g.map(|g| g.points).unwrap_or(0),
        passed: g.is_some_and(|g| g.passed),
    }
}

//! Events records publishes (through its outbox).

use edu24_proto::records::v1 as pb;

use crate::domain::Enrolment;

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

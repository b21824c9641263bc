//! Events catalogue publishes (through its outbox).

use edu24_proto::catalogue::v1 as pb;
use edu24_proto::common::v1::LocalizedText;

use async_trait::async_trait;
use edu24_proto::common::v1::Envelope;
use edu24_shared::db::WriteTx;
use edu24_shared::inbox::{EventHandler, HandlerError};
use prost::Message;

use crate::domain::{Accreditation, InstitutionSummary, Licence, Localized, Programme, Specialty};

pub const INSTITUTION_CHANGED: &str = "edu24.catalogue.institution.changed.v1";
pub const LICENCE_CHANGED: &str = "edu24.catalogue.licence.changed.v1";
pub const SPECIALTY_CHANGED: &str = "edu24.catalogue.specialty.changed.v1";
pub const PROGRAMME_CHANGED: &str = "edu24.catalogue.programme.changed.v1";
pub const ACCREDITATION_CHANGED: &str = "edu24.catalogue.accreditation.changed.v1";

/// Records' enrolment events, which keep the licence counters.
pub const ENROLMENT_CHANGED: &str = "edu24.records.enrolment.changed.v1";
/// Catalogue's durable consumer of records' events.
pub const CONSUMER: &str = "catalogue-enrolments";

pub fn text(l: &Localized) -> LocalizedText {
    LocalizedText { ky: l.ky.clone(), ru: l.ru.clone(), en: l.en.clone() }
}

pub fn institution_changed(s: &InstitutionSummary) -> pb::InstitutionChanged {
    pb::InstitutionChanged {
        institution_id: s.id.clone(),
        code: s.code.clone(),
        name: Some(text(&s.name)),
        status: s.status.as_str().to_owned(),
        ownership: s.ownership.as_str().to_owned(),
        region: s.region.clone(),
        version: s.version,
    }
}

pub fn licence_changed(l: &Licence) -> pb::LicenceChanged {
    pb::LicenceChanged {
        licence_id: l.id.clone(),
        institution_id: l.institution_id.clone(),
        specialty_code: l.specialty_code.clone(),
        level: l.level.as_str().to_owned(),
        form: l.form.as_str().to_owned(),
        contingent: l.contingent,
        valid_from: l.valid_from.clone(),
        valid_to: l.valid_to.clone().unwrap_or_default(),
        status: l.status.as_str().to_owned(),
        version: l.version,
        reason: l.reason.clone(),
    }
}

pub fn specialty_changed(s: &Specialty) -> pb::SpecialtyChanged {
    pb::SpecialtyChanged {
        code: s.code.clone(),
        level: s.level.as_str().to_owned(),
        name: Some(text(&s.name)),
        isced_f_broad: s.isced_f_broad.clone(),
        barred_forms: s.barred_forms.iter().map(|f| f.as_str().to_owned()).collect(),
        valid_from: s.valid_from.clone(),
        valid_to: s.valid_to.clone().unwrap_or_default(),
        version: s.version,
    }
}

pub fn programme_changed(p: &Programme) -> pb::ProgrammeChanged {
    pb::ProgrammeChanged {
        programme_id: p.id.clone(),
        institution_id: p.institution_id.clone(),
        specialty_code: p.specialty_code.clone(),
        level: p.level.as_str().to_owned(),
        form: p.form.as_str().to_owned(),
        language: p.language.clone(),
        duration_months: p.duration_months,
        credits: p.credits,
        grant_places: p.grant_places,
        contract_places: p.contract_places,
        admission_year: p.admission_year,
        version: p.version,
    }
}

pub fn accreditation_changed(a: &Accreditation) -> pb::AccreditationChanged {
    pb::AccreditationChanged {
        accreditation_id: a.id.clone(),
        institution_id: a.institution_id.clone(),
        programme_id: a.programme_id.clone().unwrap_or_default(),
        agency: a.agency.clone(),
        result: a.result.as_str().to_owned(),
        valid_from: a.valid_from.clone(),
        valid_to: a.valid_to.clone().unwrap_or_default(),
        version: a.version,
    }
}

/// Keeps licence counters from records' enrolment events.
pub struct EnrolmentHandler;

#[async_trait]
impl EventHandler for EnrolmentHandler {
    async fn handle(&self, tx: &mut WriteTx, envelope: &Envelope) -> Result<(), HandlerError> {
        if envelope.subject != ENROLMENT_CHANGED {
            return Err(HandlerError::Permanent(format!("unexpected subject {}", envelope.subject)));
        }
        let e = edu24_proto::records::v1::EnrolmentChanged::decode(envelope.payload.as_slice())?;
        crate::control::apply_enrolment(tx, &e, edu24_shared::time::now_ms()).await
    }
}

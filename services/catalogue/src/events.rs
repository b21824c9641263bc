//! Events catalogue publishes (through its outbox).

use edu24_proto::catalogue::v1 as pb;
use edu24_proto::common::v1::LocalizedText;

use crate::domain::{InstitutionSummary, Licence, Localized};

pub const INSTITUTION_CHANGED: &str = "edu24.catalogue.institution.changed.v1";
pub const LICENCE_CHANGED: &str = "edu24.catalogue.licence.changed.v1";

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
    }
}

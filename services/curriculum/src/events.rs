//! Events curriculum publishes (through its outbox) and consumes: catalogue's
//! institutions, classifier entries and programmes feed its read models.

use async_trait::async_trait;
use edu24_proto::catalogue::v1 as cat;
use edu24_proto::common::v1::Envelope;
use edu24_proto::curriculum::v1 as pb;
use edu24_shared::db::WriteTx;
use edu24_shared::inbox::{EventHandler, HandlerError};
use prost::Message as _;

use crate::domain::*;
use crate::store;

pub const CURRICULUM_APPROVED: &str = "edu24.curriculum.curriculum.approved.v1";
pub const CURRICULUM_CHANGED: &str = "edu24.curriculum.curriculum.changed.v1";
pub const STANDARD_CHANGED: &str = "edu24.curriculum.standard.changed.v1";

/// curriculum's durable consumer of catalogue's events.
pub const CONSUMER: &str = "curriculum-catalogue";
pub const INSTITUTION_CHANGED: &str = "edu24.catalogue.institution.changed.v1";
pub const SPECIALTY_CHANGED: &str = "edu24.catalogue.specialty.changed.v1";
pub const PROGRAMME_CHANGED: &str = "edu24.catalogue.programme.changed.v1";
pub const CONSUMED: &[&str] = &[INSTITUTION_CHANGED, SPECIALTY_CHANGED, PROGRAMME_CHANGED];

pub fn curriculum_changed(s: &CurriculumSummary, discarded: bool) -> pb::CurriculumChanged {
    pb::CurriculumChanged { summary: Some(crate::grpc::summary_pb(s)), discarded }
}

fn loc(t: Option<edu24_proto::common::v1::LocalizedText>) -> Localized {
    t.map(|t| Localized { ky: t.ky, ru: t.ru, en: t.en }).unwrap_or_default()
}

/// Keeps the read models of institutions, classifier entries and programmes; each event
/// applies only when newer than what is kept.
pub struct CatalogueHandler;

#[async_trait]
impl EventHandler for CatalogueHandler {
    async fn handle(&self, tx: &mut WriteTx, envelope: &Envelope) -> Result<(), HandlerError> {
        let payload = envelope.payload.as_slice();
        match envelope.subject.as_str() {
            INSTITUTION_CHANGED => {
                let e = cat::InstitutionChanged::decode(payload)?;
                if e.institution_id.is_empty() || e.code.is_empty() {
                    return Err(HandlerError::Permanent("institution event without id or code".into()));
                }
                let r = InstitutionRef { id: e.institution_id, code: e.code, name: loc(e.name), version: e.version };
                store::institution_ref_apply(tx, &r).await?;
            }
            SPECIALTY_CHANGED => {
                let e = cat::SpecialtyChanged::decode(payload)?;
                let level = Level::parse(&e.level)
                    .ok_or_else(|| HandlerError::Permanent(format!("unknown level {:?}", e.level)))?;
                let r = SpecialtyRef { code: e.code, level, name: loc(e.name), version: e.version };
                store::specialty_ref_apply(tx, &r).await?;
            }
            PROGRAMME_CHANGED => {
                let e = cat::ProgrammeChanged::decode(payload)?;
                let level = Level::parse(&e.level)
                    .ok_or_else(|| HandlerError::Permanent(format!("unknown level {:?}", e.level)))?;
                if e.programme_id.is_empty() || e.institution_id.is_empty() {
                    return Err(HandlerError::Permanent("programme event without id or institution".into()));
                }
                let r = ProgrammeRef {
                    id: e.programme_id,
                    institution_id: e.institution_id,
                    specialty_code: e.specialty_code,
                    level,
                    form: e.form,
                    language: e.language,
                    duration_months: e.duration_months,
                    credits: e.credits,
                    version: e.version,
                };
                store::programme_ref_apply(tx, &r).await?;
            }
            other => return Err(HandlerError::Permanent(format!("unexpected subject {other}"))),
        }
        Ok(())
    }
}

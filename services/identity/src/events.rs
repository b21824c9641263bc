//! Events identity consumes: catalogue's institution changes feed the read model that
//! names the scope of institution roles.

use async_trait::async_trait;
use edu24_proto::catalogue::v1::InstitutionChanged;
use edu24_proto::common::v1::Envelope;
use edu24_shared::db::WriteTx;
use edu24_shared::inbox::{EventHandler, HandlerError};
use prost::Message as _;

use crate::domain::Localized;
use crate::store;

pub const CONSUMER: &str = "identity-institutions";
pub const INSTITUTION_CHANGED: &str = "edu24.catalogue.institution.changed.v1";

pub struct InstitutionHandler;

#[async_trait]
impl EventHandler for InstitutionHandler {
    async fn handle(&self, tx: &mut WriteTx, envelope: &Envelope) -> Result<(), HandlerError> {
        if envelope.subject != INSTITUTION_CHANGED {
            return Err(HandlerError::Permanent(format!("unexpected subject {}", envelope.subject)));
        }
        let e = InstitutionChanged::decode(envelope.payload.as_slice())?;
        if e.institution_id.is_empty() || e.code.is_empty() {
            return Err(HandlerError::Permanent("institution event without id or code".into()));
        }
        let name = e.name.map(|n| Localized { ky: n.ky, ru: n.ru, en: n.en }).unwrap_or(Localized {
            ky: String::new(),
            ru: String::new(),
            en: String::new(),
        });
        store::institution_ref_apply(
            tx,
            &e.institution_id,
            &e.code,
            &name,
            &e.status,
            e.version,
            edu24_shared::time::now_ms(),
        )
        .await?;
        Ok(())
    }
}

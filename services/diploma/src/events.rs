//! Events diploma publishes (through its outbox) and the one it consumes: records'
//! grade corrections, which flag a diploma already issued (ADR 0030).

use async_trait::async_trait;
use edu24_proto::common::v1::Envelope;
use edu24_proto::records::v1 as records_pb;
use edu24_shared::db::WriteTx;
use edu24_shared::inbox::{EventHandler, HandlerError};
use prost::Message;
use sqlx::Row;

pub const ISSUED: &str = "edu24.diploma.diploma.issued.v1";
pub const STATUS_CHANGED: &str = "edu24.diploma.diploma.status_changed.v1";
pub const FORMS_MOVED: &str = "edu24.diploma.forms.moved.v1";

/// Records' corrections of closed results.
pub const GRADE_CORRECTED: &str = "edu24.records.grade.corrected.v1";
/// diploma's durable consumer of records' events.
pub const CONSUMER: &str = "diploma-corrections";
pub const CONSUMED: &[&str] = &[GRADE_CORRECTED];

/// A correction of a result of a student who holds a diploma flags that diploma.
pub struct CorrectionHandler;

#[async_trait]
impl EventHandler for CorrectionHandler {
    async fn handle(&self, tx: &mut WriteTx, envelope: &Envelope) -> Result<(), HandlerError> {
        if envelope.subject != GRADE_CORRECTED {
            return Ok(());
        }
        let e = records_pb::GradeCorrected::decode(envelope.payload.as_slice())?;
        let enrolment = e
            .after
            .as_ref()
            .or(e.before.as_ref())
            .map(|g| g.enrolment_id.clone())
            .ok_or_else(|| HandlerError::Permanent("a correction without its student".into()))?;
        let rows = sqlx::query("SELECT id FROM diploma WHERE enrolment_id = $1 AND state IN ('pending', 'valid')")
            .bind(&enrolment)
            .fetch_all(tx.conn())
            .await?;
        let fmt = |g: &Option<records_pb::GradeResult>| {
            g.as_ref().map(|g| if g.absent { "absent".to_owned() } else { g.score.to_string() }).unwrap_or_default()
        };
        let detail = serde_json::json!({
            "correction_id": e.correction_id,
            "sheet_id": e.sheet_id,
            "line_code": e.line_code,
            "semester": e.semester,
            "before": fmt(&e.before),
            "after": fmt(&e.after),
            "reason": e.reason,
            "requested_by": e.requested_by,
            "approved_by": e.approved_by,
        })
        .to_string();
        for r in rows {
            let diploma_id: String = r.get(0);
            let id = edu24_shared::names::stable_id("diploma-flag", &format!("{}:{diploma_id}", e.correction_id));
            sqlx::query(
                "INSERT INTO diploma_flag (id, diploma_id, kind, detail, raised_at, closed_at, closed_by, note) \
                 VALUES ($1, $2, 'grade_corrected', $3, $4, NULL, '', '') ON CONFLICT (id) DO NOTHING",
            )
            .bind(id)
            .bind(&diploma_id)
            .bind(&detail)
            .bind(envelope.occurred_at_ms)
            .execute(tx.conn())
            .await?;
        }
        Ok(())
    }
}

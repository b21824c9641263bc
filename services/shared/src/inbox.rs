//! Durable consumers with an inbox: each event is applied in the consumer's own
//! transaction together with a row `inbox (consumer, event_id)`, and acknowledged only
//! after that commit. A redelivered event finds its row and changes nothing. An event
//! that keeps failing goes to the dead-letter subject after [`MAX_DELIVERIES`].

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use edu24_proto::common::v1::Envelope;

use crate::bus::{Bus, Delivery};
use crate::db::{Db, WriteTx};

pub const MAX_DELIVERIES: u32 = 5;

#[derive(Debug, thiserror::Error)]
pub enum HandlerError {
    /// The event cannot ever be applied (undecodable, unknown version): dead-letter it.
    #[error("permanent: {0}")]
    Permanent(String),
    /// Try again later (database busy, dependency down).
    #[error("transient: {0}")]
    Transient(String),
}

impl From<sqlx::Error> for HandlerError {
    fn from(e: sqlx::Error) -> Self {
        HandlerError::Transient(e.to_string())
    }
}
impl From<prost::DecodeError> for HandlerError {
    fn from(e: prost::DecodeError) -> Self {
        HandlerError::Permanent(format!("undecodable payload: {e}"))
    }
}

#[async_trait]
pub trait EventHandler: Send + Sync {
    /// Applies one event inside the consumer's transaction.
    async fn handle(&self, tx: &mut WriteTx, envelope: &Envelope) -> Result<(), HandlerError>;
}

/// What became of one delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Applied,
    Duplicate,
    Retrying,
    DeadLettered,
}

#[derive(Clone)]
pub struct Consumer {
    pub name: String,
    pub filters: Vec<String>,
    db: Db,
    bus: Arc<dyn Bus>,
    handler: Arc<dyn EventHandler>,
}

impl Consumer {
    pub fn new(name: &str, filters: &[&str], db: Db, bus: Arc<dyn Bus>, handler: Arc<dyn EventHandler>) -> Self {
        Self { name: name.to_owned(), filters: filters.iter().map(|s| (*s).to_owned()).collect(), db, bus, handler }
    }

    /// Applies one delivery (exposed for tests that redeliver on purpose), in a span
    /// that continues the trace of the transaction that wrote the event.
    pub async fn process(&self, delivery: Delivery) -> anyhow::Result<Outcome> {
        use tracing::Instrument;
        let span = tracing::info_span!("event", consumer = %self.name, subject = %delivery.envelope.subject, event_id = %delivery.envelope.event_id);
        if !delivery.envelope.traceparent.is_empty() {
            let _guard = span.enter();
            crate::telemetry::adopt_parent(&delivery.envelope.traceparent);
        }
        self.process_in_span(delivery).instrument(span).await
    }

    async fn process_in_span(&self, delivery: Delivery) -> anyhow::Result<Outcome> {
        let envelope = delivery.envelope.clone();
        if delivery.deliveries > MAX_DELIVERIES {
            self.bus.dead_letter(&self.name, &envelope, "too many deliveries").await?;
            delivery.ack().await?;
            tracing::error!(consumer = %self.name, event_id = %envelope.event_id, "event dead-lettered after repeated failures");
            return Ok(Outcome::DeadLettered);
        }
        match self.apply(&envelope).await {
            Ok(true) => {
                delivery.ack().await?;
                metrics::counter!("edu24_events_applied_total", "consumer" => self.name.clone()).increment(1);
                Ok(Outcome::Applied)
            }
            Ok(false) => {
                delivery.ack().await?;
                Ok(Outcome::Duplicate)
            }
            Err(HandlerError::Permanent(reason)) => {
                self.bus.dead_letter(&self.name, &envelope, &reason).await?;
                delivery.ack().await?;
                tracing::error!(consumer = %self.name, event_id = %envelope.event_id, %reason, "event dead-lettered");
                Ok(Outcome::DeadLettered)
            }
            Err(HandlerError::Transient(reason)) => {
                tracing::warn!(consumer = %self.name, event_id = %envelope.event_id, %reason, "event will be retried");
                let delay = Duration::from_millis(200 * 2u64.pow(delivery.deliveries.min(6)));
                delivery.nak(delay).await?;
                Ok(Outcome::Retrying)
            }
        }
    }

    /// The inbox check and the change, in one transaction. `Ok(false)` for a duplicate.
    async fn apply(&self, envelope: &Envelope) -> Result<bool, HandlerError> {
        let mut tx = self.db.begin_write().await?;
        let fresh = sqlx::query(
            "INSERT INTO inbox (consumer, event_id, processed_at) VALUES ($1, $2, $3) \
             ON CONFLICT (consumer, event_id) DO NOTHING",
        )
        .bind(&self.name)
        .bind(&envelope.event_id)
        .bind(crate::time::now_ms())
        .execute(tx.conn())
        .await?
        .rows_affected()
            == 1;
        if !fresh {
            return Ok(false);
        }
        self.handler.handle(&mut tx, envelope).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Consumes until the process ends, reconnecting after bus errors.
    pub async fn run(self) {
        loop {
            let mut sub = match self.bus.subscribe(&self.name, &self.filters).await {
                Ok(s) => s,
                Err(e) => {
                    tracing::warn!(consumer = %self.name, error = %e, "cannot subscribe; retrying");
                    tokio::time::sleep(Duration::from_secs(2)).await;
                    continue;
                }
            };
            loop {
                let delivery = match sub.next().await {
                    Ok(d) => d,
                    Err(e) => {
                        tracing::warn!(consumer = %self.name, error = %e, "bus error; resubscribing");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                        break;
                    }
                };
                if let Err(e) = self.process(delivery).await {
                    tracing::warn!(consumer = %self.name, error = %e, "event not acknowledged; it will be redelivered");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
            }
        }
    }
}

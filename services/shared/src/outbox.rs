//! The transactional outbox: a state change and its events commit together; a relay
//! publishes them afterwards and marks them sent after the bus acknowledged. A process
//! killed between the commit and the publish loses nothing: the relay publishes the
//! rows at the next start. Publishing twice is harmless: the event id is the
//! deduplication key of the bus and of every consumer's inbox.
//!
//! Every service's migrations create:
//! `outbox (event_id TEXT PRIMARY KEY, subject TEXT, envelope BLOB/BYTEA, created_at BIGINT, sent_at BIGINT NULL)`.

use std::sync::Arc;
use std::time::Duration;

use edu24_proto::common::v1::Envelope;
use prost::Message as _;
use sqlx::Row;
use tokio::sync::Notify;

use crate::bus::Bus;
use crate::db::{Db, WriteTx};

/// Writes an event into the outbox inside the caller's transaction.
pub async fn outbox_add(
    tx: &mut WriteTx,
    subject: &str,
    payload: &impl prost::Message,
    actor: &str,
) -> Result<Envelope, sqlx::Error> {
    let envelope = Envelope {
        event_id: crate::time::new_id(),
        subject: subject.to_owned(),
        occurred_at_ms: crate::time::now_ms(),
        actor: actor.to_owned(),
        traceparent: crate::telemetry::current_traceparent().unwrap_or_default(),
        payload: payload.encode_to_vec(),
    };
    sqlx::query("INSERT INTO outbox (event_id, subject, envelope, created_at) VALUES ($1, $2, $3, $4)")
        .bind(&envelope.event_id)
        .bind(&envelope.subject)
        .bind(envelope.encode_to_vec())
        .bind(envelope.occurred_at_ms)
        .execute(tx.conn())
        .await?;
    Ok(envelope)
}

/// Publishes committed outbox rows. One per service instance; several instances are
/// safe (duplicates are dropped by the bus and by inboxes).
#[derive(Clone)]
pub struct OutboxRelay {
    db: Db,
    bus: Arc<dyn Bus>,
    wake: Arc<Notify>,
    service: &'static str,
}

impl OutboxRelay {
    pub fn new(service: &'static str, db: Db, bus: Arc<dyn Bus>) -> Self {
        Self { db, bus, wake: Arc::new(Notify::new()), service }
    }

    /// Call after committing a transaction that wrote outbox rows, so they go out now
    /// rather than at the next poll.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Rows committed but not yet acknowledged by the bus.
    pub async fn pending(&self) -> Result<i64, sqlx::Error> {
        sqlx::query("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").fetch_one(self.db.pool()).await?.try_get(0)
    }

    /// Publishes everything pending now; returns how many were published.
    pub async fn drain(&self) -> anyhow::Result<usize> {
        let mut total = 0;
        loop {
            let rows =
                sqlx::query("SELECT event_id, envelope FROM outbox WHERE sent_at IS NULL ORDER BY event_id LIMIT 200")
                    .fetch_all(self.db.pool())
                    .await?;
            if rows.is_empty() {
                return Ok(total);
            }
            for row in &rows {
                let event_id: String = row.try_get(0)?;
                let bytes: Vec<u8> = row.try_get(1)?;
                let envelope = Envelope::decode(bytes.as_slice())?;
                self.bus.publish(&envelope).await?;
                sqlx::query("UPDATE outbox SET sent_at = $2 WHERE event_id = $1")
                    .bind(&event_id)
                    .bind(crate::time::now_ms())
                    .execute(self.db.pool())
                    .await?;
                metrics::counter!("edu24_outbox_published_total", "service" => self.service).increment(1);
                total += 1;
            }
        }
    }

    /// Runs until the process ends: drains on wake-up and every second.
    pub async fn run(self) {
        let mut backoff = Duration::from_millis(200);
        loop {
            match self.drain().await {
                Ok(_) => backoff = Duration::from_millis(200),
                Err(e) => {
                    tracing::warn!(service = self.service, error = %e, "outbox relay could not publish; will retry");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(Duration::from_secs(10));
                    continue;
                }
            }
            if let Ok(n) = self.pending().await {
                metrics::gauge!("edu24_outbox_pending", "service" => self.service).set(n as f64);
            }
            let _ = tokio::time::timeout(Duration::from_secs(1), self.wake.notified()).await;
        }
    }
}

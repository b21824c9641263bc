//! The event bus: facts that already happened, published from outboxes and consumed
//! by durable consumers.
//!
//! Two implementations with one interface:
//! - [`LocalBus`], the embedded default: an append-only log in a SQLite file of the data
//!   folder with durable per-consumer cursors, and in-process wake-ups. Because it is
//!   persisted, a process killed at any moment loses no event, exactly as with NATS.
//! - [`NatsBus`], production: NATS JetStream, stream `EDU24` over `edu24.>`, durable
//!   pull consumers, `Nats-Msg-Id` deduplication, dead letters in stream `EDU24_DLQ`.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use edu24_proto::common::v1::Envelope;
use futures::StreamExt;
use prost::Message as _;
use sqlx::Row;

use crate::db::Db;

pub const STREAM: &str = "EDU24";
pub const DLQ_STREAM: &str = "EDU24_DLQ";
pub const DLQ_PREFIX: &str = "dlq.";

#[derive(Debug, thiserror::Error)]
pub enum BusError {
    #[error("bus storage: {0}")]
    Storage(#[from] sqlx::Error),
    #[error("nats: {0}")]
    Nats(String),
    #[error("undecodable message: {0}")]
    Decode(String),
    #[error("bus closed")]
    Closed,
}

fn nats_err(e: impl std::fmt::Display) -> BusError {
    BusError::Nats(e.to_string())
}

/// One delivery of an event to a consumer. Acknowledge after your own transaction
/// committed; refuse (`nak`) to have it delivered again later.
pub struct Delivery {
    pub envelope: Envelope,
    /// How many times this event has been delivered to this consumer, this one included.
    pub deliveries: u32,
    ack: Box<dyn AckHandle>,
}

impl Delivery {
    /// A delivery whose acknowledgement goes nowhere: replays an event to a consumer
    /// (tools, and tests proving that a redelivery changes nothing).
    pub fn replay(envelope: Envelope, deliveries: u32) -> Delivery {
        Delivery { envelope, deliveries, ack: Box::new(NoAck) }
    }

    pub async fn ack(self) -> Result<(), BusError> {
        self.ack.ack().await
    }
    pub async fn nak(self, delay: Duration) -> Result<(), BusError> {
        self.ack.nak(delay).await
    }
}

#[async_trait]
trait AckHandle: Send {
    async fn ack(self: Box<Self>) -> Result<(), BusError>;
    async fn nak(self: Box<Self>, delay: Duration) -> Result<(), BusError>;
}

struct NoAck;

#[async_trait]
impl AckHandle for NoAck {
    async fn ack(self: Box<Self>) -> Result<(), BusError> {
        Ok(())
    }
    async fn nak(self: Box<Self>, _delay: Duration) -> Result<(), BusError> {
        Ok(())
    }
}

#[async_trait]
pub trait Subscription: Send {
    /// The next delivery; waits until there is one.
    async fn next(&mut self) -> Result<Delivery, BusError>;
}

#[async_trait]
pub trait Bus: Send + Sync {
    /// Publishes and waits for the bus to have stored it. Publishing the same event id
    /// twice stores it once.
    async fn publish(&self, envelope: &Envelope) -> Result<(), BusError>;
    /// A durable consumer named `consumer` over subjects matching `filters` (NATS
    /// wildcards `*` and `>`). A consumer that existed resumes where it acknowledged.
    async fn subscribe(&self, consumer: &str, filters: &[String]) -> Result<Box<dyn Subscription>, BusError>;
    /// Sets a poison event aside for an operator, with the reason it failed.
    async fn dead_letter(&self, consumer: &str, envelope: &Envelope, error: &str) -> Result<(), BusError>;
    /// A cheap check that the bus answers, for readiness.
    async fn ping(&self) -> Result<(), BusError>;
    fn describe(&self) -> String;
}

/// NATS subject matching: tokens separated by `.`, `*` matches one token, `>` the rest.
pub fn subject_matches(filter: &str, subject: &str) -> bool {
    let mut f = filter.split('.');
    let mut s = subject.split('.');
    loop {
        match (f.next(), s.next()) {
            (Some(">"), Some(_)) => return true,
            (Some("*"), Some(_)) => {}
            (Some(a), Some(b)) if a == b => {}
            (None, None) => return true,
            _ => return false,
        }
    }
}

// ---------------------------------------------------------------------------------
// In-process bus, persisted in SQLite.

const LOCAL_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS bus_message (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    subject TEXT NOT NULL,
    data BLOB NOT NULL,
    stored_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS bus_consumer (
    name TEXT PRIMARY KEY,
    acked_seq INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS bus_dead_letter (
    consumer TEXT NOT NULL,
    event_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    data BLOB NOT NULL,
    error TEXT NOT NULL,
    stored_at INTEGER NOT NULL,
    PRIMARY KEY (consumer, event_id)
);";

#[derive(Clone)]
pub struct LocalBus {
    db: Db,
    latest: Arc<tokio::sync::watch::Sender<i64>>,
}

impl LocalBus {
    /// Opens (or creates) the bus log at `url` (a SQLite URL).
    pub async fn open(url: &str) -> anyhow::Result<LocalBus> {
        let db = Db::connect(url).await?;
        for stmt in LOCAL_SCHEMA.split(';').filter(|s| !s.trim().is_empty()) {
            sqlx::query(stmt).execute(db.pool()).await?;
        }
        let latest: i64 =
            sqlx::query("SELECT COALESCE(MAX(seq), 0) FROM bus_message").fetch_one(db.pool()).await?.try_get(0)?;
        let (tx, _) = tokio::sync::watch::channel(latest);
        Ok(LocalBus { db, latest: Arc::new(tx) })
    }

    /// Dead letters set aside by a consumer, for operators and tests.
    pub async fn dead_letters(&self, consumer: &str) -> Result<Vec<(String, String)>, BusError> {
        let rows = sqlx::query("SELECT event_id, error FROM bus_dead_letter WHERE consumer = $1 ORDER BY stored_at")
            .bind(consumer)
            .fetch_all(self.db.pool())
            .await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }
}

#[async_trait]
impl Bus for LocalBus {
    async fn publish(&self, envelope: &Envelope) -> Result<(), BusError> {
        let mut tx = self.db.begin_write().await?;
        let inserted = sqlx::query(
            "INSERT INTO bus_message (event_id, subject, data, stored_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (event_id) DO NOTHING",
        )
        .bind(&envelope.event_id)
        .bind(&envelope.subject)
        .bind(envelope.encode_to_vec())
        .bind(crate::time::now_ms())
        .execute(tx.conn())
        .await?
        .rows_affected();
        let seq: i64 = sqlx::query("SELECT seq FROM bus_message WHERE event_id = $1")
            .bind(&envelope.event_id)
            .fetch_one(tx.conn())
            .await?
            .try_get(0)?;
        tx.commit().await?;
        if inserted > 0 {
            self.latest.send_if_modified(|v| {
                if seq > *v {
                    *v = seq;
                    true
                } else {
                    false
                }
            });
        }
        Ok(())
    }

    async fn subscribe(&self, consumer: &str, filters: &[String]) -> Result<Box<dyn Subscription>, BusError> {
        sqlx::query("INSERT INTO bus_consumer (name, acked_seq) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING")
            .bind(consumer)
            .execute(self.db.pool())
            .await?;
        let cursor: i64 = sqlx::query("SELECT acked_seq FROM bus_consumer WHERE name = $1")
            .bind(consumer)
            .fetch_one(self.db.pool())
            .await?
            .try_get(0)?;
        let state = Arc::new(parking_lot::Mutex::new(LocalCursor { acked: cursor, last_seq: 0, deliveries: 0 }));
        Ok(Box::new(LocalSubscription {
            db: self.db.clone(),
            name: consumer.to_owned(),
            filters: filters.to_vec(),
            state,
            latest: self.latest.subscribe(),
        }))
    }

    async fn dead_letter(&self, consumer: &str, envelope: &Envelope, error: &str) -> Result<(), BusError> {
        sqlx::query(
            "INSERT INTO bus_dead_letter (consumer, event_id, subject, data, error, stored_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (consumer, event_id) DO NOTHING",
        )
        .bind(consumer)
        .bind(&envelope.event_id)
        .bind(&envelope.subject)
        .bind(envelope.encode_to_vec())
        .bind(error)
        .bind(crate::time::now_ms())
        .execute(self.db.pool())
        .await?;
        Ok(())
    }

    async fn ping(&self) -> Result<(), BusError> {
        Ok(self.db.ping().await?)
    }

    fn describe(&self) -> String {
        format!("in-process bus ({})", self.db.describe())
    }
}

struct LocalCursor {
    /// Highest sequence acknowledged (or skipped as not matching).
    acked: i64,
    /// Sequence of the last delivery, to count redeliveries.
    last_seq: i64,
    deliveries: u32,
}

struct LocalSubscription {
    db: Db,
    name: String,
    filters: Vec<String>,
    state: Arc<parking_lot::Mutex<LocalCursor>>,
    latest: tokio::sync::watch::Receiver<i64>,
}

#[async_trait]
impl Subscription for LocalSubscription {
    async fn next(&mut self) -> Result<Delivery, BusError> {
        loop {
            let from = self.state.lock().acked;
            let rows = sqlx::query("SELECT seq, subject, data FROM bus_message WHERE seq > $1 ORDER BY seq LIMIT 256")
                .bind(from)
                .fetch_all(self.db.pool())
                .await?;
            let mut skipped_to = None;
            for row in &rows {
                let seq: i64 = row.try_get(0)?;
                let subject: String = row.try_get(1)?;
                if !self.filters.iter().any(|f| subject_matches(f, &subject)) {
                    skipped_to = Some(seq);
                    continue;
                }
                if let Some(s) = skipped_to {
                    self.advance(s).await?;
                }
                let data: Vec<u8> = row.try_get(2)?;
                let envelope = Envelope::decode(data.as_slice()).map_err(|e| BusError::Decode(e.to_string()))?;
                let deliveries = {
                    let mut st = self.state.lock();
                    if st.last_seq == seq {
                        st.deliveries += 1;
                    } else {
                        st.last_seq = seq;
                        st.deliveries = 1;
                    }
                    st.deliveries
                };
                return Ok(Delivery {
                    envelope,
                    deliveries,
                    ack: Box::new(LocalAck {
                        db: self.db.clone(),
                        name: self.name.clone(),
                        seq,
                        state: self.state.clone(),
                    }),
                });
            }
            if let Some(s) = skipped_to {
                self.advance(s).await?;
                continue;
            }
            // Nothing new: wait for a publish, or poll now and then in case another
            // process wrote the log.
            let _ = tokio::time::timeout(Duration::from_secs(1), self.latest.changed()).await;
        }
    }
}

impl LocalSubscription {
    async fn advance(&self, seq: i64) -> Result<(), BusError> {
        persist_cursor(&self.db, &self.name, seq).await?;
        self.state.lock().acked = seq;
        Ok(())
    }
}

async fn persist_cursor(db: &Db, name: &str, seq: i64) -> Result<(), BusError> {
    sqlx::query("UPDATE bus_consumer SET acked_seq = $2 WHERE name = $1 AND acked_seq < $2")
        .bind(name)
        .bind(seq)
        .execute(db.pool())
        .await?;
    Ok(())
}

struct LocalAck {
    db: Db,
    name: String,
    seq: i64,
    state: Arc<parking_lot::Mutex<LocalCursor>>,
}

#[async_trait]
impl AckHandle for LocalAck {
    async fn ack(self: Box<Self>) -> Result<(), BusError> {
        persist_cursor(&self.db, &self.name, self.seq).await?;
        let mut st = self.state.lock();
        if st.acked < self.seq {
            st.acked = self.seq;
        }
        Ok(())
    }
    async fn nak(self: Box<Self>, delay: Duration) -> Result<(), BusError> {
        tokio::time::sleep(delay).await;
        Ok(())
    }
}

// ---------------------------------------------------------------------------------
// NATS JetStream.

#[derive(Clone)]
pub struct NatsBus {
    client: async_nats::Client,
    js: async_nats::jetstream::Context,
    url: String,
    /// Subject prefix (with its dot) of this namespace, empty for the default one.
    prefix: String,
    stream: String,
    dlq_stream: String,
}

impl NatsBus {
    /// Connects to the default namespace.
    pub async fn connect(url: &str) -> anyhow::Result<NatsBus> {
        Self::connect_in(url, None).await
    }

    /// Connects and creates the streams if they do not exist (idempotent). A namespace
    /// (`EDU24_NATS_NAMESPACE`, letters, digits and `_`) prefixes every subject and
    /// names its own streams, so two environments, or concurrent test runs, can share
    /// one NATS server without seeing each other's events.
    pub async fn connect_in(url: &str, namespace: Option<&str>) -> anyhow::Result<NatsBus> {
        let (prefix, stream_name, dlq_name) = match namespace {
            Some(ns) if !ns.is_empty() => {
                anyhow::ensure!(
                    ns.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'),
                    "EDU24_NATS_NAMESPACE may hold letters, digits and _ only"
                );
                (format!("{ns}."), format!("{STREAM}_{ns}"), format!("{DLQ_STREAM}_{ns}"))
            }
            _ => (String::new(), STREAM.to_owned(), DLQ_STREAM.to_owned()),
        };
        use async_nats::jetstream::stream;
        let client = async_nats::ConnectOptions::new()
            .name("edu24")
            .retry_on_initial_connect()
            .connection_timeout(Duration::from_secs(5))
            .connect(url)
            .await?;
        let js = async_nats::jetstream::new(client.clone());
        js.get_or_create_stream(stream::Config {
            name: stream_name.clone(),
            subjects: vec![format!("{prefix}edu24.>")],
            storage: stream::StorageType::File,
            duplicate_window: Duration::from_secs(120),
            max_age: Duration::from_secs(60 * 60 * 24 * 30),
            ..Default::default()
        })
        .await
        .map_err(|e| anyhow::anyhow!("creating stream {stream_name}: {e}"))?;
        js.get_or_create_stream(stream::Config {
            name: dlq_name.clone(),
            subjects: vec![format!("{DLQ_PREFIX}{prefix}edu24.>")],
            storage: stream::StorageType::File,
            ..Default::default()
        })
        .await
        .map_err(|e| anyhow::anyhow!("creating stream {dlq_name}: {e}"))?;
        Ok(NatsBus { client, js, url: url.to_owned(), prefix, stream: stream_name, dlq_stream: dlq_name })
    }

    /// The stream holding this namespace's events.
    pub fn stream_name(&self) -> &str {
        &self.stream
    }

    /// The stream holding this namespace's dead letters.
    pub fn dlq_stream_name(&self) -> &str {
        &self.dlq_stream
    }

    pub fn jetstream(&self) -> &async_nats::jetstream::Context {
        &self.js
    }
}

#[async_trait]
impl Bus for NatsBus {
    async fn publish(&self, envelope: &Envelope) -> Result<(), BusError> {
        let mut headers = async_nats::HeaderMap::new();
        headers.insert("Nats-Msg-Id", envelope.event_id.as_str());
        if !envelope.traceparent.is_empty() {
            headers.insert("traceparent", envelope.traceparent.as_str());
        }
        let ack = self
            .js
            .publish_with_headers(
                format!("{}{}", self.prefix, envelope.subject),
                headers,
                envelope.encode_to_vec().into(),
            )
            .await
            .map_err(nats_err)?;
        ack.await.map_err(nats_err)?;
        Ok(())
    }

    async fn subscribe(&self, consumer: &str, filters: &[String]) -> Result<Box<dyn Subscription>, BusError> {
        use async_nats::jetstream::consumer::{AckPolicy, DeliverPolicy, pull};
        let stream = self.js.get_stream(&self.stream).await.map_err(nats_err)?;
        // NATS before 2.10 knows one filter subject per consumer: with several, the
        // consumer takes the whole namespace and the subscription filters (and
        // acknowledges what it skips).
        let wire: Vec<String> = filters.iter().map(|f| format!("{}{f}", self.prefix)).collect();
        let filter_subject = if wire.len() == 1 { wire[0].clone() } else { String::new() };
        let config = pull::Config {
            durable_name: Some(consumer.to_owned()),
            filter_subject,
            ack_policy: AckPolicy::Explicit,
            deliver_policy: DeliverPolicy::All,
            ack_wait: Duration::from_secs(30),
            max_ack_pending: 256,
            ..Default::default()
        };
        let c = stream.get_or_create_consumer(consumer, config).await.map_err(nats_err)?;
        let messages = c.messages().await.map_err(nats_err)?;
        Ok(Box::new(NatsSubscription { messages, filters: filters.to_vec() }))
    }

    async fn dead_letter(&self, consumer: &str, envelope: &Envelope, error: &str) -> Result<(), BusError> {
        let mut headers = async_nats::HeaderMap::new();
        headers.insert("Nats-Msg-Id", format!("{consumer}:{}", envelope.event_id).as_str());
        headers.insert("Edu24-Consumer", consumer);
        headers.insert("Edu24-Error", error.chars().take(500).collect::<String>().as_str());
        let subject = format!("{DLQ_PREFIX}{}{}", self.prefix, envelope.subject);
        let ack =
            self.js.publish_with_headers(subject, headers, envelope.encode_to_vec().into()).await.map_err(nats_err)?;
        ack.await.map_err(nats_err)?;
        Ok(())
    }

    async fn ping(&self) -> Result<(), BusError> {
        match self.client.connection_state() {
            async_nats::connection::State::Connected => Ok(()),
            other => Err(BusError::Nats(format!("connection {other:?}"))),
        }
    }

    fn describe(&self) -> String {
        format!("NATS JetStream ({}, stream {})", self.url, self.stream)
    }
}

struct NatsSubscription {
    messages: async_nats::jetstream::consumer::pull::Stream,
    filters: Vec<String>,
}

#[async_trait]
impl Subscription for NatsSubscription {
    async fn next(&mut self) -> Result<Delivery, BusError> {
        loop {
            let msg = match self.messages.next().await {
                None => return Err(BusError::Closed),
                Some(Err(e)) => {
                    tracing::warn!(error = %e, "nats consumer error; retrying");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    continue;
                }
                Some(Ok(m)) => m,
            };
            let deliveries = msg.info().map(|i| i.delivered as u32).unwrap_or(1);
            let envelope = match Envelope::decode(msg.payload.as_ref()) {
                Ok(e) => e,
                Err(e) => {
                    // Not ours to process: terminate it so it is not redelivered forever.
                    tracing::error!(subject = %msg.subject, error = %e, "undecodable event terminated");
                    let _ = msg.ack_with(async_nats::jetstream::AckKind::Term).await;
                    continue;
                }
            };
            if !self.filters.iter().any(|f| subject_matches(f, &envelope.subject)) {
                msg.ack().await.map_err(nats_err)?;
                continue;
            }
            return Ok(Delivery { envelope, deliveries, ack: Box::new(NatsAck { msg }) });
        }
    }
}

struct NatsAck {
    msg: async_nats::jetstream::Message,
}

#[async_trait]
impl AckHandle for NatsAck {
    async fn ack(self: Box<Self>) -> Result<(), BusError> {
        self.msg.double_ack().await.map_err(nats_err)
    }
    async fn nak(self: Box<Self>, delay: Duration) -> Result<(), BusError> {
        self.msg.ack_with(async_nats::jetstream::AckKind::Nak(Some(delay))).await.map_err(nats_err)
    }
}

/// Opens the bus named by the configuration: NATS when `nats_url` is given (in the
/// namespace `EDU24_NATS_NAMESPACE`, if set), else the in-process bus whose log lives
/// at `local_url`.
pub async fn open(nats_url: Option<&str>, local_url: &str) -> anyhow::Result<Arc<dyn Bus>> {
    Ok(match nats_url {
        Some(url) => Arc::new(NatsBus::connect_in(url, crate::config::env("EDU24_NATS_NAMESPACE").as_deref()).await?),
        None => Arc::new(LocalBus::open(local_url).await?),
    })
}

#[cfg(test)]
mod tests {
    use super::subject_matches;

    #[test]
    fn subjects_match_like_nats() {
        assert!(subject_matches("edu24.>", "edu24.catalogue.licence.changed.v1"));
        assert!(subject_matches("edu24.catalogue.*.changed.v1", "edu24.catalogue.licence.changed.v1"));
        assert!(subject_matches("edu24.catalogue.licence.changed.v1", "edu24.catalogue.licence.changed.v1"));
        assert!(!subject_matches("edu24.catalogue.>", "edu24.identity.account.created.v1"));
        assert!(!subject_matches("edu24.catalogue.*", "edu24.catalogue.licence.changed.v1"));
        assert!(!subject_matches("edu24.>", "edu24"));
    }
}

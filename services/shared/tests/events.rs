//! The event plumbing on every backend the environment offers: SQLite always and
//! PostgreSQL with EDU24_TEST_POSTGRES_URL; the in-process bus always and NATS
//! JetStream with EDU24_TEST_NATS_URL.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use edu24_proto::common::v1::Envelope;
use edu24_shared::bus::{Bus, Delivery, LocalBus, Subscription};
use edu24_shared::db::{Db, WriteTx};
use edu24_shared::inbox::{Consumer, EventHandler, HandlerError, MAX_DELIVERIES, Outcome};
use edu24_shared::outbox::{OutboxRelay, outbox_add};
use edu24_shared::testing::{backends, buses, fresh_bus, fresh_db};
use sqlx::Row;

const SCHEMA_SQLITE: &str = "CREATE TABLE outbox (event_id TEXT PRIMARY KEY, subject TEXT NOT NULL, envelope BLOB NOT NULL, created_at BIGINT NOT NULL, sent_at BIGINT);
CREATE TABLE inbox (consumer TEXT NOT NULL, event_id TEXT NOT NULL, processed_at BIGINT NOT NULL, PRIMARY KEY (consumer, event_id));
CREATE TABLE counter (name TEXT PRIMARY KEY, value BIGINT NOT NULL)";

async fn schema(db: &Db) {
    let sql = match db.backend() {
        edu24_shared::db::Backend::Sqlite => SCHEMA_SQLITE.to_owned(),
        edu24_shared::db::Backend::Postgres => SCHEMA_SQLITE.replace("BLOB", "BYTEA"),
    };
    for stmt in sql.split(';') {
        sqlx::query(stmt).execute(db.pool()).await.unwrap();
    }
}

fn envelope(subject: &str, n: u32) -> Envelope {
    Envelope {
        event_id: edu24_shared::time::new_id(),
        subject: subject.to_owned(),
        occurred_at_ms: edu24_shared::time::now_ms(),
        actor: "test".into(),
        traceparent: String::new(),
        payload: n.to_be_bytes().to_vec(),
    }
}

fn payload(d: &Delivery) -> u32 {
    u32::from_be_bytes(d.envelope.payload.as_slice().try_into().unwrap())
}

async fn next(sub: &mut Box<dyn Subscription>) -> Delivery {
    tokio::time::timeout(Duration::from_secs(15), sub.next()).await.expect("a delivery within 15 s").unwrap()
}

async fn nothing_within(sub: &mut Box<dyn Subscription>, ms: u64) -> bool {
    tokio::time::timeout(Duration::from_millis(ms), sub.next()).await.is_err()
}

#[tokio::test]
async fn bus_delivers_each_event_once_in_order_and_resumes_durably() {
    for kind in buses() {
        let (bus, _dir) = fresh_bus(kind).await.unwrap();
        let a = envelope("edu24.test.thing.changed.v1", 1);
        let b = envelope("edu24.test.thing.changed.v1", 2);
        let other = envelope("edu24.other.thing.changed.v1", 99);
        bus.publish(&a).await.unwrap();
        bus.publish(&a).await.unwrap(); // the same event again: stored once
        bus.publish(&other).await.unwrap();
        bus.publish(&b).await.unwrap();
        let filters = vec!["edu24.test.>".to_owned()];
        let mut sub = bus.subscribe("c1", &filters).await.unwrap();
        let d = next(&mut sub).await;
        assert_eq!((payload(&d), d.deliveries), (1, 1), "{kind}");
        d.ack().await.unwrap();
        let d = next(&mut sub).await;
        assert_eq!((payload(&d), d.deliveries), (2, 1), "{kind}: the duplicate and the other subject are skipped");
        d.nak(Duration::ZERO).await.unwrap();
        let d = next(&mut sub).await;
        assert_eq!((payload(&d), d.deliveries), (2, 2), "{kind}: a refused event comes again");
        d.ack().await.unwrap();
        assert!(nothing_within(&mut sub, 500).await, "{kind}: nothing more");
        drop(sub);
        // A durable consumer resumes after what it acknowledged.
        let c = envelope("edu24.test.thing.changed.v1", 3);
        bus.publish(&c).await.unwrap();
        let mut sub = bus.subscribe("c1", &filters).await.unwrap();
        let d = next(&mut sub).await;
        assert_eq!(payload(&d), 3, "{kind}");
        d.ack().await.unwrap();
        // Another consumer sees everything from the start.
        let mut sub2 = bus.subscribe("c2", &filters).await.unwrap();
        let seen: Vec<u32> = {
            let mut v = Vec::new();
            for _ in 0..3 {
                let d = next(&mut sub2).await;
                v.push(payload(&d));
                d.ack().await.unwrap();
            }
            v
        };
        assert_eq!(seen, vec![1, 2, 3], "{kind}");
    }
}

#[tokio::test]
async fn the_relay_publishes_committed_events_once_and_never_rolled_back_ones() {
    for backend in backends() {
        let t = fresh_db(backend).await.unwrap();
        schema(&t.db).await;
        let dir = tempfile::tempdir().unwrap();
        let bus: Arc<dyn Bus> =
            Arc::new(LocalBus::open(&edu24_shared::config::sqlite_url(dir.path(), "bus")).await.unwrap());
        let mut tx = t.db.begin_write().await.unwrap();
        for n in 0..3u32 {
            outbox_add(
                &mut tx,
                "edu24.test.thing.changed.v1",
                &prost_types::Duration { seconds: n.into(), nanos: 0 },
                "t",
            )
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
        let mut tx = t.db.begin_write().await.unwrap();
        outbox_add(&mut tx, "edu24.test.thing.changed.v1", &prost_types::Duration { seconds: 9, nanos: 0 }, "t")
            .await
            .unwrap();
        drop(tx); // rolled back
        let relay = OutboxRelay::new("test", t.db.clone(), bus.clone());
        assert_eq!(relay.pending().await.unwrap(), 3, "{backend}");
        assert_eq!(relay.drain().await.unwrap(), 3, "{backend}");
        assert_eq!(relay.drain().await.unwrap(), 0, "{backend}: nothing twice");
        assert_eq!(relay.pending().await.unwrap(), 0);
        let mut sub = bus.subscribe("reader", &["edu24.test.>".to_owned()]).await.unwrap();
        for _ in 0..3 {
            next(&mut sub).await.ack().await.unwrap();
        }
        assert!(nothing_within(&mut sub, 300).await, "{backend}: the rolled-back event never left");
        t.cleanup().await;
    }
}

/// Adds the event's number to a counter, in the consumer's transaction.
struct Adder {
    fail_first: AtomicU32,
    permanent: bool,
}

#[async_trait]
impl EventHandler for Adder {
    async fn handle(&self, tx: &mut WriteTx, e: &Envelope) -> Result<(), HandlerError> {
        if self.permanent {
            return Err(HandlerError::Permanent("cannot apply".into()));
        }
        if self.fail_first.load(Ordering::SeqCst) > 0 {
            self.fail_first.fetch_sub(1, Ordering::SeqCst);
            return Err(HandlerError::Transient("busy".into()));
        }
        let n = i64::from(u32::from_be_bytes(
            e.payload.as_slice().try_into().map_err(|_| HandlerError::Permanent("size".into()))?,
        ));
        sqlx::query("INSERT INTO counter (name, value) VALUES ('sum', $1) ON CONFLICT (name) DO UPDATE SET value = counter.value + excluded.value")
            .bind(n)
            .execute(tx.conn())
            .await?;
        Ok(())
    }
}

async fn sum(db: &Db) -> i64 {
    sqlx::query("SELECT COALESCE(MAX(value), 0) FROM counter").fetch_one(db.pool()).await.unwrap().get(0)
}

#[tokio::test]
async fn a_redelivered_event_changes_nothing() {
    for backend in backends() {
        for kind in buses() {
            let t = fresh_db(backend).await.unwrap();
            schema(&t.db).await;
            let (bus, _dir) = fresh_bus(kind).await.unwrap();
            let handler = Arc::new(Adder { fail_first: AtomicU32::new(0), permanent: false });
            let consumer = Consumer::new("adder", &["edu24.test.>"], t.db.clone(), bus.clone(), handler);
            let e = envelope("edu24.test.thing.changed.v1", 5);
            bus.publish(&e).await.unwrap();
            let mut sub = bus.subscribe("adder", &consumer.filters).await.unwrap();
            let d = next(&mut sub).await;
            assert_eq!(consumer.process(d).await.unwrap(), Outcome::Applied);
            assert_eq!(sum(&t.db).await, 5);
            // The same event again (a broker redelivery after a crash before the ack).
            for deliveries in [2, 3] {
                let outcome = consumer.process(Delivery::replay(e.clone(), deliveries)).await.unwrap();
                assert_eq!(outcome, Outcome::Duplicate, "{backend}/{kind}");
            }
            assert_eq!(sum(&t.db).await, 5, "{backend}/{kind}: applied once");
            t.cleanup().await;
        }
    }
}

#[tokio::test]
async fn failures_are_retried_then_dead_lettered() {
    for backend in backends() {
        let t = fresh_db(backend).await.unwrap();
        schema(&t.db).await;
        let dir = tempfile::tempdir().unwrap();
        let local = LocalBus::open(&edu24_shared::config::sqlite_url(dir.path(), "bus")).await.unwrap();
        let bus: Arc<dyn Bus> = Arc::new(local.clone());

        // A transient failure is retried, and applied once it passes.
        let flaky = Consumer::new(
            "flaky",
            &["edu24.test.>"],
            t.db.clone(),
            bus.clone(),
            Arc::new(Adder { fail_first: AtomicU32::new(2), permanent: false }),
        );
        let e = envelope("edu24.test.thing.changed.v1", 7);
        assert_eq!(flaky.process(Delivery::replay(e.clone(), 1)).await.unwrap(), Outcome::Retrying);
        assert_eq!(flaky.process(Delivery::replay(e.clone(), 2)).await.unwrap(), Outcome::Retrying);
        assert_eq!(sum(&t.db).await, 0, "{backend}: a failed attempt leaves nothing behind");
        assert_eq!(flaky.process(Delivery::replay(e.clone(), 3)).await.unwrap(), Outcome::Applied);
        assert_eq!(sum(&t.db).await, 7);

        // A poison event goes to the dead letters, at once if permanent...
        let poison = Consumer::new(
            "poison",
            &["edu24.test.>"],
            t.db.clone(),
            bus.clone(),
            Arc::new(Adder { fail_first: AtomicU32::new(0), permanent: true }),
        );
        let p = envelope("edu24.test.thing.changed.v1", 1);
        assert_eq!(poison.process(Delivery::replay(p.clone(), 1)).await.unwrap(), Outcome::DeadLettered);
        // ...or after too many deliveries.
        let q = envelope("edu24.test.thing.changed.v1", 2);
        assert_eq!(
            flaky.process(Delivery::replay(q.clone(), MAX_DELIVERIES + 1)).await.unwrap(),
            Outcome::DeadLettered
        );
        assert_eq!(local.dead_letters("poison").await.unwrap().len(), 1);
        assert_eq!(local.dead_letters("flaky").await.unwrap()[0].0, q.event_id);
        assert_eq!(sum(&t.db).await, 7, "{backend}: dead letters change nothing");
        t.cleanup().await;
    }
}

//! Shared plumbing of every EDU24 service: configuration, telemetry, error codes, the
//! database (SQLite or PostgreSQL behind one portable API), the event bus (in-process or
//! NATS JetStream), the transactional outbox and the consumer inbox, access tokens and
//! authorization, and the health/metrics endpoints.

pub mod audit;
pub mod auth;
pub mod bus;
pub mod config;
pub mod db;
pub mod error;
pub mod grpc;
pub mod health;
pub mod inbox;
pub mod mail;
pub mod names;
pub mod outbox;
pub mod pdf;
pub mod people;
pub mod refresh;
pub mod secret;
pub mod sheet;
pub mod telemetry;
pub mod testing;
pub mod time;
pub mod token;

pub use error::{ApiError, ErrorCode};

/// Every service that `edu24 serve` can start, in start-up order.
pub const SERVICES: &[&str] = &["identity", "catalogue", "curriculum", "records", "diploma", "gateway"];

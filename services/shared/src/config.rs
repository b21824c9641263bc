//! Configuration: built-in defaults for the embedded setup, overridden by `EDU24_*`
//! environment variables, validated once at start.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Reads an environment variable, treating an empty value as unset.
pub fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

pub fn env_or(name: &str, default: &str) -> String {
    env(name).unwrap_or_else(|| default.to_owned())
}

pub fn env_bool(name: &str, default: bool) -> anyhow::Result<bool> {
    match env(name).as_deref() {
        None => Ok(default),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some(other) => anyhow::bail!("{name}={other:?} is not a boolean (use true or false)"),
    }
}

pub fn env_addr(name: &str, default: &str) -> anyhow::Result<SocketAddr> {
    let raw = env_or(name, default);
    raw.parse().map_err(|_| anyhow::anyhow!("{name}={raw:?} is not a socket address such as 127.0.0.1:8080"))
}

/// The data folder of the embedded setup (`EDU24_DATA_DIR`, default `./data`).
pub fn data_dir() -> PathBuf {
    PathBuf::from(env_or("EDU24_DATA_DIR", "./data"))
}

/// The SQLite URL of one service's database inside the data folder.
pub fn sqlite_url(dir: &std::path::Path, service: &str) -> String {
    format!("sqlite://{}?mode=rwc", dir.join(format!("{service}.sqlite")).display())
}

/// Documentation of every variable, printed by `edu24 --help` and kept in the README.
pub const VARIABLES: &[(&str, &str, &str)] = &[
    ("EDU24_DATA_DIR", "./data", "data folder of `edu24 run` (one SQLite file per service, the bus log)"),
    (
        "EDU24_HTTP_ADDR",
        "127.0.0.1:8080 (run), 0.0.0.0:8080 (gateway), 0.0.0.0:9090 (services)",
        "HTTP listen address: the portal, or a service's health and metrics",
    ),
    ("EDU24_GRPC_ADDR", "0.0.0.0:50051", "gRPC listen address of `edu24 serve <service>`"),
    ("EDU24_DATABASE_URL", "(none)", "database of `edu24 serve/migrate/seed`: postgres://... or sqlite://...?mode=rwc"),
    ("EDU24_SERVICE", "(none)", "the service `edu24 migrate` and `edu24 seed` work on when no argument is given"),
    ("EDU24_NATS_URL", "(none: in-process bus)", "NATS JetStream server, e.g. nats://127.0.0.1:4222"),
    ("EDU24_NATS_NAMESPACE", "(none)", "prefix of subjects and streams, to share one NATS server between environments"),
    ("EDU24_OUTBOX_RELAY", "on", "`paused` keeps events in the outboxes (maintenance); `on` publishes them"),
    ("EDU24_IDENTITY_URL", "(none: in process)", "gRPC address of identity, e.g. http://identity:50051"),
    ("EDU24_CATALOGUE_URL", "(none: in process)", "gRPC address of catalogue"),
    ("EDU24_CURRICULUM_URL", "(none: in process)", "gRPC address of curriculum"),
    ("EDU24_RECORDS_URL", "(none: in process)", "gRPC address of records"),
    (
        "EDU24_DIPLOMA_URL",
        "(none: in process)",
        "gRPC address of diploma; a gateway without it answers diploma's pages as unavailable",
    ),
    (
        "EDU24_GRADE_LOG_KEY",
        "(none: <data>/grade-log.key)",
        "64 hex digits sealing records' grade log; required by `edu24 serve records`, kept apart from backups",
    ),
    (
        "EDU24_DIPLOMA_KEY",
        "(none: <data>/diploma.key)",
        "64 hex digits: the master key of diploma signing; required by `edu24 serve diploma`, kept apart from backups",
    ),
    (
        "EDU24_VERIFY_PER_MINUTE",
        "60",
        "public diploma checks by number and name per client address and minute (0: no limit)",
    ),
    ("EDU24_PUBLIC_URL", "http://127.0.0.1:8080", "the portal's public address, used in links"),
    ("EDU24_COOKIE_SECURE", "false", "mark the session cookie Secure (set true behind TLS)"),
    ("EDU24_SEED_DEMO", "true", "seed demo data on the first start of `edu24 run`"),
    ("EDU24_SMTP_URL", "(none: .eml files in <data>/mail)", "SMTP relay for e-mail, e.g. smtp://mail-relay:25"),
    ("EDU24_MAIL_FROM", "EDU24 <no-reply@edu24.localhost>", "sender of EDU24's e-mail"),
    ("EDU24_TRUSTED_PROXIES", "(none)", "CIDRs of proxies whose X-Forwarded-For names the client (e.g. 10.0.0.0/8)"),
    ("EDU24_LOG", "info", "log filter (tracing EnvFilter syntax)"),
    ("EDU24_LOG_FORMAT", "text", "log format: text or json"),
    ("OTEL_EXPORTER_OTLP_ENDPOINT", "(none)", "export traces by OTLP/gRPC to this endpoint"),
];

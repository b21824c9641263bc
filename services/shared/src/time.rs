//! Instants are epoch milliseconds (BIGINT in both databases).

pub fn now_ms() -> i64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    i64::try_from(now.as_millis()).unwrap_or(i64::MAX)
}

/// RFC 3339 UTC text of an epoch-millisecond instant, for logs and pages.
pub fn rfc3339(ms: i64) -> String {
    let t = ::time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(::time::OffsetDateTime::UNIX_EPOCH);
    t.format(&::time::format_description::well_known::Rfc3339).unwrap_or_default()
}

/// A new UUIDv7 as text: time-ordered, so ordering by id is ordering by creation.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

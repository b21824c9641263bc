//! gRPC helpers: errors to and from `tonic::Status`, the call context in metadata,
//! channels, and the key source that fetches identity's verification keys.

use std::time::Duration;

use tonic::metadata::MetadataValue;
use tonic::transport::{Channel, Endpoint};

use crate::auth::CallCtx;
use crate::error::{ApiError, ErrorCode};

const REASON: &str = "edu24-reason";
const FIELD: &str = "edu24-field";
const RETRY: &str = "retry-after";
const CLIENT_ADDR: &str = "edu24-client-addr";

pub fn status_from(e: ApiError) -> tonic::Status {
    let mut status = tonic::Status::new(e.code.grpc(), e.message);
    let md = status.metadata_mut();
    if let Some(r) = e.reason.as_deref().and_then(|r| MetadataValue::try_from(r).ok()) {
        md.insert(REASON, r);
    }
    if let Some(f) = e.field.as_deref().and_then(|f| MetadataValue::try_from(f).ok()) {
        md.insert(FIELD, f);
    }
    if let Some(s) = e.retry_after_secs {
        md.insert(RETRY, MetadataValue::from(s));
    }
    status
}

pub fn error_from(s: tonic::Status) -> ApiError {
    let md = s.metadata();
    let get = |k: &str| md.get(k).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let code = ErrorCode::from_grpc(s.code());
    let message = if code == ErrorCode::Unavailable && s.message().is_empty() {
        "service unavailable".to_owned()
    } else {
        s.message().to_owned()
    };
    ApiError {
        code,
        message,
        reason: get(REASON),
        field: get(FIELD),
        retry_after_secs: get(RETRY).and_then(|v| v.parse().ok()),
    }
}

/// The caller's context from the metadata of a request a service received.
pub fn ctx_from<T>(req: &tonic::Request<T>) -> CallCtx {
    let md = req.metadata();
    let get = |k: &str| md.get(k).and_then(|v| v.to_str().ok()).map(str::to_owned);
    CallCtx {
        token: get("authorization").and_then(|v| v.strip_prefix("Bearer ").map(str::to_owned)),
        traceparent: get("traceparent"),
        client_addr: get(CLIENT_ADDR),
    }
}

/// A request carrying the caller's context, for a gRPC client.
pub fn request<T>(msg: T, ctx: &CallCtx) -> tonic::Request<T> {
    let mut req = tonic::Request::new(msg);
    req.set_timeout(Duration::from_secs(30));
    let md = req.metadata_mut();
    if let Some(v) = ctx.token.as_ref().and_then(|t| MetadataValue::try_from(format!("Bearer {t}")).ok()) {
        md.insert("authorization", v);
    }
    let traceparent = ctx.traceparent.clone().or_else(crate::telemetry::current_traceparent);
    if let Some(v) = traceparent.and_then(|t| MetadataValue::try_from(t).ok()) {
        md.insert("traceparent", v);
    }
    if let Some(v) = ctx.client_addr.as_ref().and_then(|a| MetadataValue::try_from(a.as_str()).ok()) {
        md.insert(CLIENT_ADDR, v);
    }
    req
}

/// The span of one gRPC call a service serves, child of the caller's `traceparent`,
/// so a trace crosses from the gateway into every service it calls.
pub fn server_span(req: &http::Request<()>) -> tracing::Span {
    let span = tracing::info_span!("grpc", method = %req.uri().path());
    if let Some(tp) = req.headers().get("traceparent").and_then(|v| v.to_str().ok()) {
        let _guard = span.enter();
        crate::telemetry::adopt_parent(tp);
    }
    span
}

/// A lazily connecting channel to a service (`http://host:port`).
pub fn channel(url: &str) -> anyhow::Result<Channel> {
    Ok(Endpoint::from_shared(url.to_owned())?
        .connect_timeout(Duration::from_secs(5))
        .tcp_nodelay(true)
        .http2_keep_alive_interval(Duration::from_secs(30))
        .connect_lazy())
}

/// Fetches the token verification keys from identity over gRPC.
pub struct IdentityKeySource {
    channel: Channel,
}

impl IdentityKeySource {
    pub fn new(channel: Channel) -> Self {
        Self { channel }
    }
}

#[async_trait::async_trait]
impl crate::token::KeySource for IdentityKeySource {
    async fn fetch(&self) -> anyhow::Result<Vec<(String, [u8; 32])>> {
        use edu24_proto::identity::v1::{VerificationKeysRequest, identity_client::IdentityClient};
        let mut client = IdentityClient::new(self.channel.clone());
        let keys = client.verification_keys(VerificationKeysRequest {}).await?.into_inner().keys;
        keys.into_iter()
            .map(|k| {
                let pk: [u8; 32] = k
                    .public_key
                    .as_slice()
                    .try_into()
                    .map_err(|_| anyhow::anyhow!("verification key {} is not 32 bytes", k.kid))?;
                Ok((k.kid, pk))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_survive_the_wire() {
        let mut e = ApiError::invalid("page", "page must be a positive number").with_reason("bad_page");
        e.retry_after_secs = Some(7);
        let back = error_from(status_from(e.clone()));
        assert_eq!(back, e);
    }
}

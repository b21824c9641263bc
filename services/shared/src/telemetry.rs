//! Logs and traces: `tracing` to stderr (text or JSON), and OpenTelemetry export by
//! OTLP/gRPC when `OTEL_EXPORTER_OTLP_ENDPOINT` is set. Trace context crosses gRPC
//! metadata and event envelopes as W3C `traceparent`.

use std::collections::HashMap;

use opentelemetry::propagation::TextMapPropagator;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Keeps the exporter alive; flushes spans when dropped.
pub struct TelemetryGuard {
    provider: Option<opentelemetry_sdk::trace::SdkTracerProvider>,
}

impl Drop for TelemetryGuard {
    fn drop(&mut self) {
        if let Some(p) = self.provider.take() {
            let _ = p.shutdown();
        }
    }
}

/// Initialises logging and tracing for a process named `service`.
pub fn init(service: &str) -> anyhow::Result<TelemetryGuard> {
    let filter =
        EnvFilter::try_new(crate::config::env_or("EDU24_LOG", "info,sqlx=warn,async_nats=warn,tower_http=warn"))
            .map_err(|e| anyhow::anyhow!("EDU24_LOG is not a valid filter: {e}"))?;
    let json = crate::config::env_or("EDU24_LOG_FORMAT", "text") == "json";
    let (provider, otel_layer) = match crate::config::env("OTEL_EXPORTER_OTLP_ENDPOINT") {
        Some(endpoint) => {
            use opentelemetry_otlp::WithExportConfig;
            let exporter = opentelemetry_otlp::SpanExporter::builder().with_tonic().with_endpoint(endpoint).build()?;
            let provider = opentelemetry_sdk::trace::SdkTracerProvider::builder()
                .with_batch_exporter(exporter)
                .with_resource(
                    opentelemetry_sdk::Resource::builder().with_service_name(format!("edu24-{service}")).build(),
                )
                .build();
            let tracer = provider.tracer("edu24");
            (Some(provider), Some(tracing_opentelemetry::layer().with_tracer(tracer)))
        }
        None => (None, None),
    };
    let registry = tracing_subscriber::registry().with(filter).with(otel_layer);
    let result = if json {
        registry.with(tracing_subscriber::fmt::layer().json().with_writer(std::io::stderr)).try_init()
    } else {
        registry.with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr)).try_init()
    };
    // A second init in one process (tests) keeps the first subscriber.
    let _ = result;
    Ok(TelemetryGuard { provider })
}

/// The W3C `traceparent` of the current span, when tracing is exported.
pub fn current_traceparent() -> Option<String> {
    let cx = tracing::Span::current().context();
    let mut carrier = HashMap::new();
    TraceContextPropagator::new().inject_context(&cx, &mut carrier);
    carrier.remove("traceparent")
}

/// Makes the current span a child of a remote `traceparent`.
pub fn adopt_parent(traceparent: &str) {
    let mut carrier = HashMap::new();
    carrier.insert("traceparent".to_owned(), traceparent.to_owned());
    let cx = TraceContextPropagator::new().extract(&carrier);
    let _ = tracing::Span::current().set_parent(cx);
}

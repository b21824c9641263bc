//! `/healthz` (alive), `/readyz` (database and bus answer) and `/metrics`
//! (Prometheus) for every process.

use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use crate::bus::Bus;
use crate::db::Db;

static PROMETHEUS: OnceLock<PrometheusHandle> = OnceLock::new();

/// Installs the process-wide metrics recorder (once) and returns its handle.
pub fn metrics_handle() -> PrometheusHandle {
    PROMETHEUS
        .get_or_init(|| {
            PrometheusBuilder::new()
                .install_recorder()
                .unwrap_or_else(|_| PrometheusBuilder::new().build_recorder().handle())
        })
        .clone()
}

/// A dependency `/readyz` asks, such as another service over gRPC.
#[async_trait::async_trait]
pub trait Probe: Send + Sync {
    fn name(&self) -> &str;
    async fn check(&self) -> Result<(), String>;
}

/// What `/readyz` checks.
#[derive(Clone, Default)]
pub struct Readiness {
    pub databases: Vec<(String, Db)>,
    pub bus: Option<Arc<dyn Bus>>,
    pub probes: Vec<Arc<dyn Probe>>,
}

impl Readiness {
    /// Names of the dependencies that do not answer.
    pub async fn failing(&self) -> Vec<String> {
        let mut failing = Vec::new();
        for (name, db) in &self.databases {
            if let Err(e) = db.ping().await {
                tracing::warn!(database = %name, error = %e, "not ready");
                failing.push(format!("database {name}"));
            }
        }
        if let Some(bus) = &self.bus
            && let Err(e) = bus.ping().await
        {
            tracing::warn!(error = %e, "bus not ready");
            failing.push("bus".to_owned());
        }
        for p in &self.probes {
            if let Err(e) = p.check().await {
                tracing::warn!(dependency = p.name(), error = %e, "not ready");
                failing.push(p.name().to_owned());
            }
        }
        failing
    }
}

pub fn router(readiness: Readiness) -> Router {
    let handle = metrics_handle();
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(move || std::future::ready(handle.render())))
        .with_state(Arc::new(readiness))
}

async fn readyz(State(r): State<Arc<Readiness>>) -> (StatusCode, String) {
    let failing = r.failing().await;
    if failing.is_empty() {
        (StatusCode::OK, "ready".to_owned())
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, format!("not ready: {}", failing.join(", ")))
    }
}

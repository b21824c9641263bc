//! Wiring of the `edu24` binary: everything in one process (`edu24 run`), or one
//! service per process (`edu24 serve <service>`), with the same service code: the
//! gateway and the services see only the service traits, implemented in process or
//! by gRPC clients.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context as _;
use edu24_catalogue::{CatalogueApi, CatalogueService};
use edu24_curriculum::{CurriculumApi, CurriculumService};
use edu24_diploma::{DiplomaApi, DiplomaService};
use edu24_identity::{IdentityApi, IdentityService};
use edu24_records::{RecordsApi, RecordsService};
use edu24_shared::auth::Authenticator;
use edu24_shared::bus::{self, Bus};
use edu24_shared::config::{self, env, env_addr, env_bool, sqlite_url};
use edu24_shared::db::Db;
use edu24_shared::grpc::{IdentityKeySource, channel};
use edu24_shared::health::{self, Readiness};
use edu24_shared::inbox::Consumer;
use edu24_shared::outbox::OutboxRelay;
use edu24_shared::token::KeyRing;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::i18n::I18n;
use crate::web::{self, AppState, GatewayConfig};

/// Services `edu24 serve` knows, with the gateway.
pub const SERVICES: &[&str] = edu24_shared::SERVICES;
/// Services that own a database.
pub const DATA_SERVICES: &[&str] = &["identity", "catalogue", "curriculum", "records", "diploma"];

/// Resolves when the process is asked to stop (Ctrl-C or SIGTERM).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

async fn migrate_service(service: &str, db: &Db) -> anyhow::Result<()> {
    match service {
        "identity" => IdentityService::migrate(db).await,
        "catalogue" => CatalogueService::migrate(db).await,
        "curriculum" => CurriculumService::migrate(db).await,
        "records" => RecordsService::migrate(db).await,
        "diploma" => DiplomaService::migrate(db).await,
        other => anyhow::bail!("service {other} has no database"),
    }
}

fn relay_paused() -> anyhow::Result<bool> {
    match config::env_or("EDU24_OUTBOX_RELAY", "on").as_str() {
        "on" => Ok(false),
        "paused" => Ok(true),
        other => anyhow::bail!("EDU24_OUTBOX_RELAY={other:?}: use on or paused"),
    }
}

fn spawn_relay(relay: &OutboxRelay, tasks: &mut Vec<JoinHandle<()>>) -> anyhow::Result<()> {
    if relay_paused()? {
        tracing::warn!("outbox relay paused by EDU24_OUTBOX_RELAY=paused: events wait in the outbox");
    } else {
        tasks.push(tokio::spawn(relay.clone().run()));
    }
    Ok(())
}

/// catalogue's consumer of records' enrolment events (licence counters).
pub fn catalogue_consumer(db: &Db, bus: &Arc<dyn Bus>) -> Consumer {
    Consumer::new(
        edu24_catalogue::events::CONSUMER,
        &[edu24_catalogue::events::ENROLMENT_CHANGED],
        db.clone(),
        bus.clone(),
        Arc::new(edu24_catalogue::events::EnrolmentHandler),
    )
}

/// diploma's consumer of records' grade corrections (flags on issued diplomas).
pub fn diploma_consumer(db: &Db, bus: &Arc<dyn Bus>) -> Consumer {
    Consumer::new(
        edu24_diploma::events::CONSUMER,
        edu24_diploma::events::CONSUMED,
        db.clone(),
        bus.clone(),
        Arc::new(edu24_diploma::events::CorrectionHandler),
    )
}

/// curriculum's consumer of catalogue's events (institutions, classifier, programmes).
pub fn curriculum_consumer(db: &Db, bus: &Arc<dyn Bus>) -> Consumer {
    Consumer::new(
        edu24_curriculum::events::CONSUMER,
        edu24_curriculum::events::CONSUMED,
        db.clone(),
        bus.clone(),
        Arc::new(edu24_curriculum::events::CatalogueHandler),
    )
}

pub use edu24_records::seed::{catalogue_refs, curriculum_demo_seed};

/// `edu24 run`: every service and the gateway in this process.
pub struct Embedded {
    pub addr: SocketAddr,
    pub identity: Arc<IdentityService>,
    pub catalogue: Arc<CatalogueService>,
    pub curriculum: Arc<CurriculumService>,
    pub records: Arc<RecordsService>,
    pub diploma: Arc<DiplomaService>,
    pub bus: Arc<dyn Bus>,
    tasks: Vec<JoinHandle<()>>,
    stop: watch::Sender<bool>,
    server: JoinHandle<anyhow::Result<()>>,
}

impl Embedded {
    /// Opens the data folder (creating it), migrates, seeds the demo data on first
    /// start when asked, and starts serving on `http_addr`.
    pub async fn start(data_dir: &Path, http_addr: SocketAddr, seed_demo: bool) -> anyhow::Result<Embedded> {
        Self::start_with(data_dir, http_addr, seed_demo, true).await
    }

    /// [`Embedded::start`], with the outbox relays left off when `relays` is false (bulk
    /// seeding: the events wait in the outboxes for the next start).
    pub async fn start_with(
        data_dir: &Path,
        http_addr: SocketAddr,
        seed_demo: bool,
        relays: bool,
    ) -> anyhow::Result<Embedded> {
        Self::start_on(data_dir, None, http_addr, seed_demo, relays).await
    }

    /// [`Embedded::start_with`] on the given databases (identity, catalogue, curriculum,
    /// records, diploma; PostgreSQL for benchmarks) instead of the data folder's SQLite
    /// files. The bus stays in the data folder.
    pub async fn start_on(
        data_dir: &Path,
        databases: Option<&[String; 5]>,
        http_addr: SocketAddr,
        seed_demo: bool,
        relays: bool,
    ) -> anyhow::Result<Embedded> {
        std::fs::create_dir_all(data_dir).with_context(|| format!("creating data folder {}", data_dir.display()))?;
        let bus: Arc<dyn Bus> = Arc::new(bus::LocalBus::open(&sqlite_url(data_dir, "bus")).await?);
        let url = |i: usize, name: &str| databases.map(|d| d[i].clone()).unwrap_or_else(|| sqlite_url(data_dir, name));
        let identity_db = Db::connect(&url(0, "identity")).await?;
        let catalogue_db = Db::connect(&url(1, "catalogue")).await?;
        let curriculum_db = Db::connect(&url(2, "curriculum")).await?;
        let records_db = Db::connect(&url(3, "records")).await?;
        let diploma_db = Db::connect(&url(4, "diploma")).await?;
        let (m1, m2, m3, m4, m5) = tokio::join!(
            IdentityService::migrate(&identity_db),
            CatalogueService::migrate(&catalogue_db),
            CurriculumService::migrate(&curriculum_db),
            RecordsService::migrate(&records_db),
            DiplomaService::migrate(&diploma_db)
        );
        m1.context("migrating identity")?;
        m2.context("migrating catalogue")?;
        m3.context("migrating curriculum")?;
        m4.context("migrating records")?;
        m5.context("migrating diploma")?;

        let keys = KeyRing::new(None);
        let identity_relay = OutboxRelay::new("identity", identity_db.clone(), bus.clone());
        let catalogue_relay = OutboxRelay::new("catalogue", catalogue_db.clone(), bus.clone());
        let curriculum_relay = OutboxRelay::new("curriculum", curriculum_db.clone(), bus.clone());
        let records_relay = OutboxRelay::new("records", records_db.clone(), bus.clone());
        let diploma_relay = OutboxRelay::new("diploma", diploma_db.clone(), bus.clone());
        let identity = IdentityService::open(identity_db.clone(), keys.clone(), identity_relay.clone()).await?;
        let catalogue =
            CatalogueService::open(catalogue_db.clone(), Authenticator::new(keys.clone()), catalogue_relay.clone())
                .await?;
        let curriculum =
            CurriculumService::open(curriculum_db.clone(), Authenticator::new(keys.clone()), curriculum_relay.clone())
                .await?;

        let records_seal = edu24_records::gradelog::GradeSeal::for_data_dir(data_dir)?;
        let records = RecordsService::open(
            records_db.clone(),
            Authenticator::new(keys.clone()),
            records_relay.clone(),
            catalogue.clone() as Arc<dyn CatalogueApi>,
            curriculum.clone() as Arc<dyn CurriculumApi>,
            records_seal.clone(),
        );
        let gateway_cfg = GatewayConfig::from_env()?;
        let diploma = DiplomaService::open(
            diploma_db.clone(),
            Authenticator::new(keys.clone()),
            diploma_relay.clone(),
            catalogue.clone() as Arc<dyn CatalogueApi>,
            curriculum.clone() as Arc<dyn CurriculumApi>,
            records.clone() as Arc<dyn RecordsApi>,
            edu24_diploma::keys::IssuerKeys::for_data_dir(data_dir)?,
            &gateway_cfg.public_url,
        );

        let mut tasks = Vec::new();
        if relays {
            spawn_relay(&identity_relay, &mut tasks)?;
            spawn_relay(&catalogue_relay, &mut tasks)?;
            spawn_relay(&curriculum_relay, &mut tasks)?;
            spawn_relay(&records_relay, &mut tasks)?;
            spawn_relay(&diploma_relay, &mut tasks)?;
        }
        tasks.push(tokio::spawn(diploma_consumer(&diploma_db, &bus).run()));
        tasks.push(curriculum.spawn_refresher());
        tasks.push(curriculum.spawn_pending_rechecks());
        tasks.push(tokio::spawn(curriculum_consumer(&curriculum_db, &bus).run()));
        tasks.push(catalogue.spawn_refresher());
        tasks.push(catalogue.spawn_hold_sweeper());
        tasks.push(tokio::spawn(catalogue_consumer(&catalogue_db, &bus).run()));
        tasks.push(identity.spawn_issuance_worker());
        tasks.push(identity.spawn_mail_relay(edu24_shared::mail::MailTransport::from_env(data_dir)?));
        let consumer = Consumer::new(
            edu24_identity::events::CONSUMER,
            &[edu24_identity::events::INSTITUTION_CHANGED],
            identity_db.clone(),
            bus.clone(),
            Arc::new(edu24_identity::events::InstitutionHandler),
        );
        tasks.push(tokio::spawn(consumer.run()));

        if seed_demo {
            if edu24_catalogue::seed::demo_seed(&catalogue).await? {
                tracing::info!("seeded the demo catalogue");
            }
            if edu24_identity::seed::demo_seed(&identity, edu24_catalogue::seed::institution_id).await? {
                tracing::info!("seeded the demo accounts (see README)");
            }
            if curriculum_demo_seed(&curriculum, catalogue.as_ref()).await? {
                tracing::info!("seeded the demo curricula");
            }
            let system = edu24_shared::auth::CallCtx::with_token(identity.system_token(
                edu24_records::generate::SEED_ACTOR,
                vec![edu24_shared::auth::RoleGrant { role: edu24_shared::auth::Role::MinistryAdmin, inst: None }],
                600,
            ));
            if let Some(g) = edu24_records::seed::records_demo_seed(
                records.db(),
                &records_seal,
                catalogue.as_ref(),
                curriculum.as_ref(),
                &system,
                identity.account_id_of("knu.teacher").await?,
                identity.account_id_of("knu.student").await?,
                identity.account_id_of("knu.graduate").await?,
                edu24_records::domain::today(),
            )
            .await?
            {
                records_relay.wake();
                tracing::info!(
                    students = g.students,
                    sheets = g.sheets,
                    grades = g.grades,
                    "seeded the demo student body"
                );
            }
        }

        let readiness = Readiness {
            databases: vec![
                ("identity".into(), identity_db),
                ("catalogue".into(), catalogue_db),
                ("curriculum".into(), curriculum_db),
                ("records".into(), records_db),
                ("diploma".into(), diploma_db),
            ],
            bus: Some(bus.clone()),
            probes: Vec::new(),
        };
        // Issuances a stop interrupted are finished before serving (ADR 0030).
        // The graduation orders are records' to give: a registrar's standing everywhere.
        let system = edu24_shared::auth::CallCtx::with_token(identity.system_token(
            "system:diploma",
            vec![
                edu24_shared::auth::RoleGrant { role: edu24_shared::auth::Role::MinistryAdmin, inst: None },
                edu24_shared::auth::RoleGrant { role: edu24_shared::auth::Role::Registrar, inst: None },
            ],
            600,
        ));
        let resumed = diploma.resume_all(&system).await?;
        if resumed > 0 {
            tracing::info!(issuances = resumed, "finished interrupted diploma issuances");
        }
        let state = Arc::new(AppState {
            catalogue: catalogue.clone() as Arc<dyn CatalogueApi>,
            identity: identity.clone() as Arc<dyn IdentityApi>,
            curriculum: curriculum.clone() as Arc<dyn CurriculumApi>,
            records: records.clone() as Arc<dyn RecordsApi>,
            diploma: Some(diploma.clone() as Arc<dyn DiplomaApi>),
            i18n: I18n::load()?,
            cfg: gateway_cfg,
            readiness,
            openapi_json: web::api::openapi_json(),
        });
        let listener = TcpListener::bind(http_addr).await.with_context(|| format!("binding {http_addr}"))?;
        let addr = listener.local_addr()?;
        let (stop, server) = serve_http(listener, web::app(state));
        Ok(Embedded { addr, identity, catalogue, curriculum, records, diploma, bus, tasks, stop, server })
    }

    /// Stops serving and the background tasks.
    pub async fn shutdown(self) -> anyhow::Result<()> {
        let _ = self.stop.send(true);
        let r = self.server.await;
        for t in &self.tasks {
            t.abort();
        }
        r??;
        Ok(())
    }
}

fn serve_http(listener: TcpListener, app: axum::Router) -> (watch::Sender<bool>, JoinHandle<anyhow::Result<()>>) {
    let (stop, mut stopped) = watch::channel(false);
    let server = tokio::spawn(async move {
        axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(async move {
                let _ = stopped.wait_for(|s| *s).await;
            })
            .await?;
        Ok(())
    });
    (stop, server)
}

/// `edu24 run`.
pub async fn run() -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let data_dir = config::data_dir();
    let addr = env_addr("EDU24_HTTP_ADDR", "127.0.0.1:8080")?;
    let seed = env_bool("EDU24_SEED_DEMO", true)?;
    let node = Embedded::start(&data_dir, addr, seed).await?;
    let shown =
        if node.addr.ip().is_unspecified() { format!("127.0.0.1:{}", node.addr.port()) } else { node.addr.to_string() };
    println!(
        "EDU24 is ready at http://{shown}/ (data in {}, started in {} ms)",
        data_dir.display(),
        started.elapsed().as_millis()
    );
    tracing::info!(addr = %node.addr, ms = started.elapsed().as_millis() as u64, "ready");
    shutdown_signal().await;
    tracing::info!("stopping");
    node.shutdown().await
}

/// The keys a separate service verifies tokens with: fetched from identity.
fn remote_keys() -> anyhow::Result<KeyRing> {
    let url = env("EDU24_IDENTITY_URL").context("EDU24_IDENTITY_URL is required (identity's gRPC address)")?;
    let ring = KeyRing::new(Some(Box::new(IdentityKeySource::new(channel(&url)?))));
    let r = ring.clone();
    tokio::spawn(async move {
        // Fetch early so the first call does not wait; retry while identity starts.
        for attempt in 0..60 {
            match r.refresh().await {
                Ok(()) if !r.kids().is_empty() => return,
                Ok(()) => {}
                Err(e) if attempt % 10 == 0 => {
                    tracing::info!(error = %e, "waiting for identity's verification keys")
                }
                Err(_) => {}
            }
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        }
    });
    Ok(ring)
}

async fn service_bus() -> anyhow::Result<Arc<dyn Bus>> {
    let nats = env("EDU24_NATS_URL");
    let local = sqlite_url(&config::data_dir(), "bus");
    let bus = bus::open(nats.as_deref(), &local).await?;
    tracing::info!(bus = %bus.describe(), "bus connected");
    Ok(bus)
}

fn database_url() -> anyhow::Result<String> {
    env("EDU24_DATABASE_URL").context("EDU24_DATABASE_URL is required (postgres://... or sqlite://...?mode=rwc)")
}

/// `edu24 serve <service>`.
pub async fn serve(service: &str) -> anyhow::Result<()> {
    match service {
        "identity" | "catalogue" | "curriculum" | "records" | "diploma" => serve_data_service(service).await,
        "gateway" => serve_gateway().await,
        other => anyhow::bail!("unknown service {other:?}; known: {}", SERVICES.join(", ")),
    }
}

async fn serve_data_service(service: &str) -> anyhow::Result<()> {
    let db = Db::connect(&database_url()?).await?;
    migrate_service(service, &db).await?;
    let bus = service_bus().await?;
    let relay = OutboxRelay::new(service_name(service)?, db.clone(), bus.clone());
    let mut tasks = Vec::new();
    spawn_relay(&relay, &mut tasks)?;
    let grpc_addr = env_addr("EDU24_GRPC_ADDR", "0.0.0.0:50051")?;
    let http_addr = env_addr("EDU24_HTTP_ADDR", "0.0.0.0:9090")?;
    let (reporter, health_service) = tonic_health::server::health_reporter();
    let mut router =
        tonic::transport::Server::builder().trace_fn(edu24_shared::grpc::server_span).add_service(health_service);
    // Diploma's verification log is written in batches: flushed before the process ends.
    let mut diploma = None;
    match service {
        "identity" => {
            let svc = IdentityService::open(db.clone(), KeyRing::new(None), relay).await?;
            tasks.push(svc.spawn_issuance_worker());
            tasks.push(svc.spawn_mail_relay(edu24_shared::mail::MailTransport::from_env(&config::data_dir())?));
            let consumer = Consumer::new(
                edu24_identity::events::CONSUMER,
                &[edu24_identity::events::INSTITUTION_CHANGED],
                db.clone(),
                bus.clone(),
                Arc::new(edu24_identity::events::InstitutionHandler),
            );
            tasks.push(tokio::spawn(consumer.run()));
            let server = edu24_identity::grpc::IdentityGrpc::server(svc as Arc<dyn IdentityApi>);
            reporter
                .set_serving::<edu24_proto::identity::v1::identity_server::IdentityServer<
                    edu24_identity::grpc::IdentityGrpc,
                >>()
                .await;
            router = router.add_service(server);
        }
        "records" => {
            let url = env("EDU24_CATALOGUE_URL")
                .context("EDU24_CATALOGUE_URL is required (records asks catalogue for licence places)")?;
            let catalogue = Arc::new(edu24_catalogue::grpc::CatalogueClient::new(channel(&url)?));
            let url = env("EDU24_CURRICULUM_URL")
                .context("EDU24_CURRICULUM_URL is required (records assigns courses of approved curricula)")?;
            let curriculum = Arc::new(edu24_curriculum::grpc::CurriculumClient::new(channel(&url)?));
            let seal = edu24_records::gradelog::GradeSeal::from_env()?
                .context("EDU24_GRADE_LOG_KEY is required (64 hex digits: the key that seals the grade log)")?;
            let svc = RecordsService::open(
                db.clone(),
                Authenticator::new(remote_keys()?),
                relay,
                catalogue,
                curriculum,
                seal,
            );
            let server = edu24_records::grpc::RecordsGrpc::server(svc as Arc<dyn RecordsApi>);
            reporter
                .set_serving::<edu24_proto::records::v1::records_server::RecordsServer<edu24_records::grpc::RecordsGrpc>>()
                .await;
            router = router.add_service(server);
        }
        "diploma" => {
            let url = env("EDU24_CATALOGUE_URL").context(
                "EDU24_CATALOGUE_URL is required (diploma reads institutions and programmes from catalogue)",
            )?;
            let catalogue = Arc::new(edu24_catalogue::grpc::CatalogueClient::new(channel(&url)?));
            let url = env("EDU24_CURRICULUM_URL")
                .context("EDU24_CURRICULUM_URL is required (diploma checks results against approved curricula)")?;
            let curriculum = Arc::new(edu24_curriculum::grpc::CurriculumClient::new(channel(&url)?));
            let url = env("EDU24_RECORDS_URL").context(
                "EDU24_RECORDS_URL is required (diploma reads transcripts and asks records for graduation orders)",
            )?;
            let records = Arc::new(edu24_records::grpc::RecordsClient::new(channel(&url)?));
            let keys = edu24_diploma::keys::IssuerKeys::from_env()?
                .context("EDU24_DIPLOMA_KEY is required (64 hex digits: the master key of diploma signing)")?;
            let public_url = config::env_or("EDU24_PUBLIC_URL", "http://127.0.0.1:8080");
            let svc = DiplomaService::open(
                db.clone(),
                Authenticator::new(remote_keys()?),
                relay,
                catalogue,
                curriculum,
                records,
                keys,
                &public_url,
            );
            tasks.push(tokio::spawn(diploma_consumer(&db, &bus).run()));
            // Issuances a stop interrupted are not resumed here (`resume_all`, as the
            // embedded node does): this process holds no token to ask records for the
            // graduation orders with. The registrar's repeated request (same request id)
            // finishes them.
            diploma = Some(svc.clone());
            let server = edu24_diploma::grpc::DiplomaGrpc::server(svc as Arc<dyn DiplomaApi>);
            reporter
                .set_serving::<edu24_proto::diploma::v1::diploma_server::DiplomaServer<edu24_diploma::grpc::DiplomaGrpc>>()
                .await;
            router = router.add_service(server);
        }
        "curriculum" => {
            let svc = CurriculumService::open(db.clone(), Authenticator::new(remote_keys()?), relay).await?;
            tasks.push(svc.spawn_refresher());
            tasks.push(svc.spawn_pending_rechecks());
            tasks.push(tokio::spawn(curriculum_consumer(&db, &bus).run()));
            let server = edu24_curriculum::grpc::CurriculumGrpc::server(svc as Arc<dyn CurriculumApi>);
            reporter
                .set_serving::<edu24_proto::curriculum::v1::curriculum_server::CurriculumServer<
                    edu24_curriculum::grpc::CurriculumGrpc,
                >>()
                .await;
            router = router.add_service(server);
        }
        _ => {
            let svc = CatalogueService::open(db.clone(), Authenticator::new(remote_keys()?), relay).await?;
            tasks.push(svc.spawn_refresher());
            tasks.push(svc.spawn_hold_sweeper());
            tasks.push(tokio::spawn(catalogue_consumer(&db, &bus).run()));
            let server = edu24_catalogue::grpc::CatalogueGrpc::server(svc as Arc<dyn CatalogueApi>);
            reporter
                .set_serving::<edu24_proto::catalogue::v1::catalogue_server::CatalogueServer<
                    edu24_catalogue::grpc::CatalogueGrpc,
                >>()
                .await;
            router = router.add_service(server);
        }
    }
    let readiness = Readiness { databases: vec![(service.to_owned(), db.clone())], bus: Some(bus), probes: Vec::new() };
    let listener = TcpListener::bind(http_addr).await.with_context(|| format!("binding {http_addr}"))?;
    let (stop, http) = serve_http(listener, health::router(readiness));
    println!("edu24 {service} serving gRPC on {grpc_addr}, health and metrics on http://{http_addr}");
    router.serve_with_shutdown(grpc_addr, shutdown_signal()).await.context("gRPC server")?;
    if let Some(d) = diploma {
        d.flush_log().await;
    }
    let _ = stop.send(true);
    let _ = http.await;
    for t in tasks {
        t.abort();
    }
    Ok(())
}

/// The static name of a service with a database (for metrics labels).
fn service_name(service: &str) -> anyhow::Result<&'static str> {
    DATA_SERVICES
        .iter()
        .copied()
        .find(|s| *s == service)
        .ok_or_else(|| anyhow::anyhow!("service {service} has no database"))
}

async fn serve_gateway() -> anyhow::Result<()> {
    let identity_url = env("EDU24_IDENTITY_URL").context("EDU24_IDENTITY_URL is required")?;
    let catalogue_url = env("EDU24_CATALOGUE_URL").context("EDU24_CATALOGUE_URL is required")?;
    let curriculum_url = env("EDU24_CURRICULUM_URL").context("EDU24_CURRICULUM_URL is required")?;
    let records_url = env("EDU24_RECORDS_URL").context("EDU24_RECORDS_URL is required")?;
    let identity = Arc::new(edu24_identity::grpc::IdentityClient::new(channel(&identity_url)?));
    let catalogue = Arc::new(edu24_catalogue::grpc::CatalogueClient::new(channel(&catalogue_url)?));
    let curriculum = Arc::new(edu24_curriculum::grpc::CurriculumClient::new(channel(&curriculum_url)?));
    let records = Arc::new(edu24_records::grpc::RecordsClient::new(channel(&records_url)?));
    // Without diploma's address the portal answers diploma's pages as unavailable.
    let diploma = match env("EDU24_DIPLOMA_URL") {
        Some(url) => Some(Arc::new(edu24_diploma::grpc::DiplomaClient::new(channel(&url)?)) as Arc<dyn DiplomaApi>),
        None => None,
    };
    let http_addr = env_addr("EDU24_HTTP_ADDR", "0.0.0.0:8080")?;
    let probes: Vec<Arc<dyn health::Probe>> = vec![
        Arc::new(IdentityProbe(identity.clone())),
        Arc::new(CatalogueProbe(catalogue.clone())),
        Arc::new(CurriculumProbe(curriculum.clone())),
        Arc::new(RecordsProbe(records.clone())),
    ];
    let mut probes = probes;
    if let Some(d) = &diploma {
        probes.push(Arc::new(DiplomaProbe(d.clone())));
    }
    let state = Arc::new(AppState {
        catalogue,
        identity,
        curriculum,
        records,
        diploma,
        i18n: I18n::load()?,
        cfg: GatewayConfig::from_env()?,
        readiness: Readiness { databases: Vec::new(), bus: None, probes },
        openapi_json: web::api::openapi_json(),
    });
    let listener = TcpListener::bind(http_addr).await.with_context(|| format!("binding {http_addr}"))?;
    let (stop, server) = serve_http(listener, web::app(state));
    println!("edu24 gateway serving http://{http_addr}");
    shutdown_signal().await;
    let _ = stop.send(true);
    server.await?
}

/// The gateway is ready when identity answers a cheap public call.
struct IdentityProbe(Arc<dyn IdentityApi>);

#[async_trait::async_trait]
impl health::Probe for IdentityProbe {
    fn name(&self) -> &str {
        "identity"
    }
    async fn check(&self) -> Result<(), String> {
        self.0.verification_keys().await.map(|_| ()).map_err(|e| e.message)
    }
}

/// ...and catalogue does.
struct CatalogueProbe(Arc<dyn CatalogueApi>);

#[async_trait::async_trait]
impl health::Probe for CatalogueProbe {
    fn name(&self) -> &str {
        "catalogue"
    }
    async fn check(&self) -> Result<(), String> {
        self.0.stats(&edu24_shared::auth::CallCtx::anonymous()).await.map(|_| ()).map_err(|e| e.message)
    }
}

/// ...and curriculum does.
struct CurriculumProbe(Arc<dyn CurriculumApi>);

#[async_trait::async_trait]
impl health::Probe for CurriculumProbe {
    fn name(&self) -> &str {
        "curriculum"
    }
    async fn check(&self) -> Result<(), String> {
        self.0.national_courses(&edu24_shared::auth::CallCtx::anonymous()).await.map(|_| ()).map_err(|e| e.message)
    }
}

/// ...and records answers (every call of records needs a login: "who are you?" is an answer).
struct RecordsProbe(Arc<dyn RecordsApi>);

#[async_trait::async_trait]
impl health::Probe for RecordsProbe {
    fn name(&self) -> &str {
        "records"
    }
    async fn check(&self) -> Result<(), String> {
        let q = edu24_records::domain::StudentQuery { page: 1, per_page: 1, ..Default::default() };
        match self.0.students(&edu24_shared::auth::CallCtx::anonymous(), &q).await {
            Err(e) if e.code == edu24_shared::ErrorCode::Unauthenticated => Ok(()),
            Err(e) => Err(e.message),
            Ok(_) => Ok(()),
        }
    }
}

/// ...and diploma answers (the public check of a number nobody holds: "not found" is an answer).
struct DiplomaProbe(Arc<dyn DiplomaApi>);

#[async_trait::async_trait]
impl health::Probe for DiplomaProbe {
    fn name(&self) -> &str {
        "diploma"
    }
    async fn check(&self) -> Result<(), String> {
        let q = edu24_diploma::domain::VerifyQuery { token: "readiness-probe".into(), ..Default::default() };
        self.0.verify(&edu24_shared::auth::CallCtx::anonymous(), &q).await.map(|_| ()).map_err(|e| e.message)
    }
}

/// `edu24 migrate [service]`: with a service, its database at EDU24_DATABASE_URL;
/// without, every service's SQLite file in the data folder.
pub async fn migrate(service: Option<&str>) -> anyhow::Result<()> {
    match service {
        Some(s) => {
            let db = Db::connect(&database_url()?).await?;
            migrate_service(s, &db).await?;
            println!("migrated {s} ({})", db.describe());
        }
        None => {
            let dir = config::data_dir();
            std::fs::create_dir_all(&dir)?;
            for s in DATA_SERVICES {
                let db = Db::connect(&sqlite_url(&dir, s)).await?;
                migrate_service(s, &db).await?;
                println!("migrated {s} ({})", db.describe());
            }
        }
    }
    Ok(())
}

/// `edu24 seed --scale national`: the demo, then a realistic country on top of it, in the
/// embedded data folder (see `edu24_records::seed::national_seed`).
pub async fn seed_national(seed: u64) -> anyhow::Result<()> {
    let dir = config::data_dir();
    let started = std::time::Instant::now();
    let node = Embedded::start_with(&dir, "127.0.0.1:0".parse()?, true, false).await?;
    println!("demo data ready in {:.1} s", started.elapsed().as_secs_f64());
    let system = edu24_shared::auth::CallCtx::with_token(node.identity.system_token(
        edu24_records::generate::SEED_ACTOR,
        vec![edu24_shared::auth::RoleGrant { role: edu24_shared::auth::Role::MinistryAdmin, inst: None }],
        6 * 3600,
    ));
    let seal = edu24_records::gradelog::GradeSeal::for_data_dir(&dir)?;
    let r = edu24_records::seed::national_seed(
        &node.catalogue,
        &node.curriculum,
        node.records.db(),
        &seal,
        &system,
        seed,
        edu24_records::domain::today(),
    )
    .await?;
    let g = &r.generated;
    println!(
        "catalogue: {} institutions, {} programmes, {} licences ({:.1} s)\n\
         curriculum: {} curricula written ({:.1} s)\n\
         records: {} student records: {} studying now ({:.1} % contract, {:.1} % part-time), {} graduated; {} teachers, {} orders, \
         {} assignments, {} sheets, {} grades ({:.1} s)\n\
         in all {:.1} s; the events wait in the outboxes and are delivered by `edu24 run`",
        r.institutions,
        r.programmes,
        r.licences,
        r.catalogue_s,
        r.curricula,
        r.curriculum_s,
        g.students,
        g.studying,
        100.0 * g.studying_contract as f64 / g.studying.max(1) as f64,
        100.0 * g.studying_part_time as f64 / g.studying.max(1) as f64,
        g.graduates,
        g.teachers,
        g.orders,
        g.assignments,
        g.sheets,
        g.grades,
        r.records_s,
        started.elapsed().as_secs_f64()
    );
    node.shutdown().await
}

/// `edu24 seed [service]`: the demo data set. With a service, its database at
/// EDU24_DATABASE_URL; without, the embedded data folder.
pub async fn seed(service: Option<&str>) -> anyhow::Result<()> {
    let targets: Vec<(String, String)> = match service {
        Some(s) => vec![(s.to_owned(), database_url()?)],
        None => {
            let dir = config::data_dir();
            std::fs::create_dir_all(&dir)?;
            DATA_SERVICES.iter().map(|s| ((*s).to_owned(), sqlite_url(&dir, s))).collect()
        }
    };
    for (s, url) in targets {
        if s == "records" {
            if service.is_some() {
                // The demo student body is drawn from catalogue's licences and curriculum's
                // approved plans through their APIs: the embedded node does it.
                println!(
                    "records: the demo student body is seeded in the embedded data folder (`edu24 seed`, \
                     `edu24 run`); a cluster's registrars admit students through the portal"
                );
            }
            continue;
        }
        if s == "diploma" {
            if service.is_some() {
                println!("diploma: no demo data; registrars receive forms and issue diplomas through the portal");
            }
            continue;
        }
        let db = Db::connect(&url).await?;
        migrate_service(&s, &db).await?;
        // Seeding writes outbox rows; the service's relay publishes them when it runs.
        let bus: Arc<dyn Bus> = Arc::new(NullBus);
        let relay = OutboxRelay::new(service_name(&s)?, db.clone(), bus);
        let seeded = match s.as_str() {
            "catalogue" => {
                let svc = CatalogueService::open(db.clone(), Authenticator::new(KeyRing::new(None)), relay).await?;
                edu24_catalogue::seed::demo_seed(&svc).await?
            }
            "identity" => {
                let svc = IdentityService::open(db.clone(), KeyRing::new(None), relay).await?;
                edu24_identity::seed::demo_seed(&svc, edu24_catalogue::seed::institution_id).await?
            }
            "curriculum" => {
                let svc = CurriculumService::open(db.clone(), Authenticator::new(KeyRing::new(None)), relay).await?;
                seed_curriculum_from_catalogue(&svc, service.is_some()).await?
            }
            other => anyhow::bail!("service {other} has no demo data"),
        };
        println!("{s}: {}", if seeded { "demo data seeded" } else { "already has data; nothing seeded" });
    }
    if service.is_none() {
        // Records' demo needs the other services running: one embedded node seeds it
        // (nothing is written twice) and stops.
        let node = Embedded::start_with(&config::data_dir(), "127.0.0.1:0".parse()?, true, false).await?;
        node.shutdown().await?;
        println!("records: demo student body ready");
    }
    Ok(())
}

/// The demo curricula need catalogue's programmes: read from the catalogue service at
/// EDU24_CATALOGUE_URL (one service, `edu24 seed curriculum`), or from the catalogue file
/// of the data folder (`edu24 seed`).
async fn seed_curriculum_from_catalogue(svc: &CurriculumService, remote: bool) -> anyhow::Result<bool> {
    if remote {
        let url = env("EDU24_CATALOGUE_URL").context(
            "EDU24_CATALOGUE_URL is required to seed curriculum (the demo curricula follow catalogue's programmes)",
        )?;
        let catalogue = edu24_catalogue::grpc::CatalogueClient::new(channel(&url)?);
        return curriculum_demo_seed(svc, &catalogue).await;
    }
    let db = Db::connect(&sqlite_url(&config::data_dir(), "catalogue")).await?;
    CatalogueService::migrate(&db).await?;
    let relay = OutboxRelay::new("catalogue", db.clone(), Arc::new(NullBus));
    let catalogue = CatalogueService::open(db, Authenticator::new(KeyRing::new(None)), relay).await?;
    curriculum_demo_seed(svc, catalogue.as_ref()).await
}

/// Used while seeding outside a running service: events stay in the outbox until the
/// service's relay publishes them.
struct NullBus;

#[async_trait::async_trait]
impl Bus for NullBus {
    async fn publish(&self, _: &edu24_proto::common::v1::Envelope) -> Result<(), bus::BusError> {
        Err(bus::BusError::Closed)
    }
    async fn subscribe(&self, _: &str, _: &[String]) -> Result<Box<dyn bus::Subscription>, bus::BusError> {
        Err(bus::BusError::Closed)
    }
    async fn dead_letter(&self, _: &str, _: &edu24_proto::common::v1::Envelope, _: &str) -> Result<(), bus::BusError> {
        Err(bus::BusError::Closed)
    }
    async fn ping(&self) -> Result<(), bus::BusError> {
        Err(bus::BusError::Closed)
    }
    fn describe(&self) -> String {
        "none (seeding)".into()
    }
}

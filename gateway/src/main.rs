//! `edu24`: the one binary of EDU24.

use clap::{Parser, Subcommand};

// mimalloc: less time in malloc and no heap fragmentation after bursts of page rendering
// (glibc's allocator spent ~10% of the CPU of the catalogue benchmark).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn variables() -> String {
    let mut s = String::from("Environment variables:\n");
    for (name, default, what) in edu24_shared::config::VARIABLES {
        s.push_str(&format!("  {name:<28} {what}\n  {:<28} default: {default}\n", ""));
    }
    s
}

#[derive(Parser)]
#[command(
    name = "edu24",
    version,
    about = "EDU24: the unified electronic management system of higher education of the Kyrgyz Republic",
    long_about = "EDU24: the unified electronic management system of higher education of the Kyrgyz Republic.\n\n\
                  `edu24 run` starts everything in one process with SQLite files in the data folder and \
                  needs no server. `edu24 serve <service>` runs one service, as Kubernetes does, with its \
                  own database (EDU24_DATABASE_URL) and NATS JetStream (EDU24_NATS_URL).",
    after_long_help = variables()
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start every service and the portal in this process (embedded default: SQLite
    /// files in EDU24_DATA_DIR, default ./data; demo data on first start; portal on
    /// http://127.0.0.1:8080).
    Run,
    /// Run one service (identity, catalogue, curriculum or gateway) with its own database and bus.
    Serve {
        /// identity, catalogue, curriculum or gateway
        service: String,
    },
    /// Apply database migrations: of one service at EDU24_DATABASE_URL, or of every
    /// service in the data folder when no service is named.
    Migrate {
        /// identity, catalogue or curriculum (default: every service, embedded)
        #[arg(env = "EDU24_SERVICE")]
        service: Option<String>,
    },
    /// Load the demo data set (real institutions, illustrative programmes, licences and
    /// demo accounts) into an empty database. Not for production.
    Seed {
        /// identity, catalogue or curriculum (default: every service, embedded)
        #[arg(env = "EDU24_SERVICE")]
        service: Option<String>,
        /// `demo`, or `national`: the demo and a realistic country on top (88
        /// institutions, 230,000 students, about ten million grades), embedded only.
        #[arg(long, default_value = "demo")]
        scale: String,
        /// What the national data is generated from: the same seed gives the same data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let name = match &cli.command {
            Command::Run => "edu24".to_owned(),
            Command::Serve { service } => service.clone(),
            Command::Migrate { .. } | Command::Seed { .. } => "edu24-admin".to_owned(),
        };
        let _telemetry = edu24_shared::telemetry::init(&name)?;
        let _ = edu24_shared::health::metrics_handle();
        match cli.command {
            Command::Run => edu24_gateway::node::run().await,
            Command::Serve { service } => edu24_gateway::node::serve(&service).await,
            Command::Migrate { service } => edu24_gateway::node::migrate(service.as_deref()).await,
            Command::Seed { service, scale, seed } => match (scale.as_str(), service.as_deref()) {
                ("demo", s) => edu24_gateway::node::seed(s).await,
                ("national", None) => edu24_gateway::node::seed_national(seed).await,
                ("national", Some(_)) => {
                    anyhow::bail!("--scale national seeds the embedded data folder (EDU24_DATA_DIR): name no service")
                }
                (other, _) => anyhow::bail!("--scale {other}: use demo or national"),
            },
        }
    })
}

//! Benchmark of the curriculum compliance check at national scale (issue 5). Run with
//! `cargo run --release -p edu24-tests --bin bench-curriculum`; writes
//! `bench/results/curriculum.md`. On SQLite in a temporary folder (the embedded default)
//! and, when `EDU24_TEST_POSTGRES_URL` names a server, on a fresh PostgreSQL database:
//! - the national data set: the demo catalogue topped up to 3,000 programmes, and an
//!   approved curriculum for every programme and each of 4 intake years (12,000);
//! - the compliance check of one curriculum: the pure check, and a check through the
//!   service (validation, national names, standard in force), many times;
//! - re-checking every curriculum against the standard in force: with nothing to store,
//!   and after a new standard version changes the findings of many plans.

use std::sync::Arc;
use std::time::Instant;

use edu24_catalogue::CatalogueService;
use edu24_curriculum::domain::*;
use edu24_curriculum::{CurriculumApi, CurriculumService};
use edu24_shared::auth::{Authenticator, Role};
use edu24_shared::bus::{Bus, LocalBus};
use edu24_shared::db::Db;
use edu24_shared::outbox::OutboxRelay;
use edu24_shared::testing::TestAuth;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const INTAKES: [i32; 4] = [2023, 2024, 2025, 2026];

use edu24_tests::bench::pct;

struct Figures {
    backend: String,
    programmes: usize,
    curricula: usize,
    lines: i64,
    seed_s: f64,
    check_p50_us: f64,
    check_p99_us: f64,
    check_max_us: f64,
    lines_checked: usize,
    service_p50_ms: f64,
    service_p99_ms: f64,
    recheck_idle_s: Vec<f64>,
    recheck_changed_s: f64,
    recheck_changed: u32,
    recheck_errors: u32,
}

async fn run(backend: &str, catalogue_db: Db, curriculum_db: Db, bus: Arc<dyn Bus>) -> anyhow::Result<Figures> {
    let auth = TestAuth::new();
    CatalogueService::migrate(&catalogue_db).await?;
    let catalogue = CatalogueService::open(
        catalogue_db.clone(),
        Authenticator::new(auth.keys.clone()),
        OutboxRelay::new("catalogue", catalogue_db.clone(), bus.clone()),
    )
    .await?;
    edu24_catalogue::seed::demo_seed(&catalogue).await?;
    edu24_catalogue::seed::national_seed(&catalogue, edu24_catalogue::seed::NationalScale::ISSUE_4).await?;
    CurriculumService::migrate(&curriculum_db).await?;
    let svc = CurriculumService::open(
        curriculum_db.clone(),
        Authenticator::new(auth.keys.clone()),
        OutboxRelay::new("curriculum", curriculum_db.clone(), bus.clone()),
    )
    .await?;
    let (institutions, specialties, programmes) = edu24_gateway::node::catalogue_refs(catalogue.as_ref()).await?;
    // The read models as catalogue's events would fill them, then the national plans.
    edu24_curriculum::seed::refs_apply(&svc, &institutions, &specialties, &[]).await?;
    let started = Instant::now();
    let written = edu24_curriculum::seed::national_seed(&svc, &programmes, &INTAKES).await?;
    let seed_s = started.elapsed().as_secs_f64();
    let curricula = edu24_curriculum::app::status_counts(svc.db()).await?.values().sum::<i64>() as usize;
    let lines: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM curriculum_line").fetch_one(curriculum_db.pool()).await?;
    println!("{backend}: {written} curricula written in {seed_s:.1} s ({curricula} in all, {lines} lines)");

    // One curriculum: the longest plan (General Medicine, about 100 lines).
    let ministry = auth.ctx("bench-ministry", &[(Role::MinistryAdmin, None)]);
    let list = svc
        .curricula(
            &ministry,
            &CurriculumQuery {
                specialty_code: Some("560001".into()),
                intake_year: Some(2026),
                page: 1,
                per_page: 1,
                ..Default::default()
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!(e.message))?;
    let one = svc.curriculum_get(&ministry, &list.items[0].id).await.map_err(|e| anyhow::anyhow!(e.message))?;
    let rd = svc.refdata();
    let standard = rd.in_force(&one.summary.specialty_code, one.summary.level, one.summary.intake_year).cloned();
    let mut times = Vec::with_capacity(20_000);
    for _ in 0..20_000 {
        let t = Instant::now();
        let c = check(standard.as_ref(), &rd.national, &one.lines, 0);
        times.push(t.elapsed().as_secs_f64() * 1e6);
        std::hint::black_box(c);
    }
    let (check_p50_us, check_p99_us) = (pct(&mut times, 0.5), pct(&mut times, 0.99));
    let check_max_us = times.last().copied().unwrap_or_default();
    // Through the service (as the editor's save does, without the write).
    let reg = auth.ctx("bench-registrar", &[(Role::Registrar, Some(one.summary.institution_id.as_str()))]);
    let input: Vec<LineInput> = one.lines.iter().map(LineInput::from).collect();
    let mut times = Vec::with_capacity(2000);
    for _ in 0..2000 {
        let t = Instant::now();
        let r = svc
            .curriculum_check(&reg, &one.summary.programme_id, one.summary.intake_year, input.clone())
            .await
            .map_err(|e| anyhow::anyhow!(e.message))?;
        times.push(t.elapsed().as_secs_f64() * 1e3);
        anyhow::ensure!(r.is_ok(), "the plan is well formed");
    }
    let (service_p50_ms, service_p99_ms) = (pct(&mut times, 0.5), pct(&mut times, 0.99));

    // Every curriculum again, three times, with nothing new to store.
    let mut recheck_idle_s = Vec::new();
    for _ in 0..3 {
        let r = svc.recheck_all(&ministry).await.map_err(|e| anyhow::anyhow!(e.message))?;
        anyhow::ensure!(r.curricula as usize == curricula, "every curriculum re-checked");
        recheck_idle_s.push(r.elapsed_ms as f64 / 1000.0);
    }
    // A new standard of the most common specialty asks for more general education: the
    // plans of 2025 and 2026 change their findings, stored and published.
    let law = svc
        .standards(&ministry, Some("530500"), Some(Level::Bachelor))
        .await
        .map_err(|e| anyhow::anyhow!(e.message))?;
    let mut next = law[0].clone();
    next.id = String::new();
    next.valid_from = "2025-01-01".into();
    next.document_no = "ГОС-2025/530500-Б (bench)".into();
    if let Some(b) = next.blocks.iter_mut().find(|b| b.kind == BlockKind::General) {
        b.min_tenths = b.max_tenths;
    }
    // Recording the standard re-checks its specialty; the full run is timed below.
    svc.standard_upsert(&ministry, next).await.map_err(|e| anyhow::anyhow!(e.message))?;
    // Put every plan of 2025 and 2026 back to its old result, so the national run stores changes.
    sqlx::query(
        "UPDATE curriculum SET errors = 0, findings = '[]' WHERE intake_year >= 2025 AND specialty_code = '530500'",
    )
    .execute(curriculum_db.pool())
    .await?;
    let r = svc.recheck_all(&ministry).await.map_err(|e| anyhow::anyhow!(e.message))?;
    Ok(Figures {
        backend: backend.to_owned(),
        programmes: programmes.len(),
        curricula,
        lines,
        seed_s,
        check_p50_us,
        check_p99_us,
        check_max_us,
        lines_checked: one.lines.len(),
        service_p50_ms,
        service_p99_ms,
        recheck_idle_s,
        recheck_changed_s: r.elapsed_ms as f64 / 1000.0,
        recheck_changed: r.changed,
        recheck_errors: r.with_errors,
    })
}

fn machine() -> String {
    let cpus = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_default();
    format!("{cpus} cores ({model})")
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut all = Vec::new();
    {
        let dir = tempfile::tempdir()?;
        let bus: Arc<dyn Bus> = Arc::new(LocalBus::open(&edu24_shared::config::sqlite_url(dir.path(), "bus")).await?);
        let cat = Db::connect(&edu24_shared::config::sqlite_url(dir.path(), "catalogue")).await?;
        let cur = Db::connect(&edu24_shared::config::sqlite_url(dir.path(), "curriculum")).await?;
        all.push(run("SQLite (embedded)", cat, cur, bus).await?);
    }
    if let Some(admin) = edu24_shared::config::env("EDU24_TEST_POSTGRES_URL") {
        let dir = tempfile::tempdir()?;
        let bus: Arc<dyn Bus> = Arc::new(LocalBus::open(&edu24_shared::config::sqlite_url(dir.path(), "bus")).await?);
        let (cat_url, cat_name) = edu24_shared::testing::fresh_postgres_database(&admin).await?;
        let (cur_url, cur_name) = edu24_shared::testing::fresh_postgres_database(&admin).await?;
        let (cat, cur) = (Db::connect(&cat_url).await?, Db::connect(&cur_url).await?);
        let f = run("PostgreSQL", cat.clone(), cur.clone(), bus).await;
        cat.close().await;
        cur.close().await;
        let a = Db::connect(&admin).await?;
        for name in [cat_name, cur_name] {
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(a.pool()).await?;
        }
        all.push(f?);
    }
    let mut md = String::from("# Curriculum benchmark (issue 5)\n\n");
    md.push_str(&format!(
        "`cargo run --release -p edu24-tests --bin bench-curriculum`, {} on {}. National data set: the demo \
         catalogue topped up to 3,000 programmes; an approved curriculum for every programme and each intake \
         year 2023-2026 (every 25th with a slip in its hours).\n\n",
        edu24_shared::time::rfc3339(edu24_shared::time::now_ms()).get(..10).unwrap_or(""),
        machine()
    ));
    md.push_str("| Measure | ");
    md.push_str(&all.iter().map(|f| f.backend.clone()).collect::<Vec<_>>().join(" | "));
    md.push_str(" | Target |\n|---|");
    md.push_str(&"---|".repeat(all.len()));
    md.push_str("---|\n");
    let row = |md: &mut String, name: &str, vals: Vec<String>, target: &str| {
        md.push_str(&format!("| {name} | {} | {target} |\n", vals.join(" | ")));
    };
    row(
        &mut md,
        "Programmes / curricula / lines",
        all.iter().map(|f| format!("{} / {} / {}", f.programmes, f.curricula, f.lines)).collect(),
        "3,000 x 4",
    );
    row(&mut md, "Writing the national curricula", all.iter().map(|f| format!("{:.1} s", f.seed_s)).collect(), "—");
    row(
        &mut md,
        "Compliance check of one curriculum (pure), p50 / p99 / max",
        all.iter()
            .map(|f| {
                format!(
                    "{:.0} / {:.0} / {:.0} µs ({} lines)",
                    f.check_p50_us, f.check_p99_us, f.check_max_us, f.lines_checked
                )
            })
            .collect(),
        "under 5 ms",
    );
    row(
        &mut md,
        "Check through the service (validation, names, standard), p50 / p99",
        all.iter().map(|f| format!("{:.2} / {:.2} ms", f.service_p50_ms, f.service_p99_ms)).collect(),
        "under 5 ms",
    );
    row(
        &mut md,
        "Re-check of every curriculum, nothing to store (3 runs)",
        all.iter()
            .map(|f| f.recheck_idle_s.iter().map(|s| format!("{s:.2} s")).collect::<Vec<_>>().join(", "))
            .collect(),
        "under 10 s",
    );
    row(
        &mut md,
        "Re-check of every curriculum after a new standard (changed results stored and published)",
        all.iter()
            .map(|f| {
                format!(
                    "{:.2} s ({} changed, {} with errors)",
                    f.recheck_changed_s, f.recheck_changed, f.recheck_errors
                )
            })
            .collect(),
        "under 10 s",
    );
    md.push_str(
        "\nThe re-check reads every curriculum and line, checks them on every core, and stores (with a \
                 `curriculum.changed` event each) only the results that differ from the stored ones.\n",
    );
    std::fs::create_dir_all("bench/results")?;
    std::fs::write("bench/results/curriculum.md", &md)?;
    println!("{md}");
    Ok(())
}

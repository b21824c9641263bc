//! Benchmark of catalogue and licensing at national scale (issue 4). Run with
//! `cargo run --release -p edu24-tests --bin bench-catalogue [seconds]`; needs `wrk`
//! (Debian package). Writes `bench/results/catalogue-national.md`. On SQLite in a
//! temporary folder (the embedded default), with the demo data topped up to 90
//! institutions, 3,000 programmes and 4,000 licences:
//! - the public search pages (programmes and institutions) with wrk, 16 connections;
//! - the licence question ("may 1 more be enrolled?", a hold) over gRPC from 200
//!   concurrent callers, at steady offered rates and flat out;
//! - the ministry's dashboard page, logged in.

use std::sync::Arc;
use std::time::{Duration, Instant};

use edu24_catalogue::domain::*;
use edu24_catalogue::{CatalogueApi, seed};
use edu24_gateway::node::Embedded;
use edu24_identity::IdentityApi;
use edu24_identity::domain::LoginRequest;
use edu24_shared::auth::CallCtx;

// The same allocator as the `edu24` binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use edu24_tests::bench::pct;

fn wrk(url: &str, seconds: u64) -> anyhow::Result<(f64, f64, f64)> {
    edu24_tests::bench::wrk(&["-t1", "-c16", &format!("-d{seconds}s"), "--latency", url])
}

struct HoldFigures {
    offered: String,
    done: usize,
    rate: f64,
    p50: f64,
    p99: f64,
    max: f64,
    granted: usize,
}

/// 200 callers ask holds over gRPC for random licences. `per_caller_interval`: `None`
/// flat out (each caller asks again as soon as answered), else a steady pace.
async fn holds(
    clients: &[Arc<dyn CatalogueApi>],
    ctx: &CallCtx,
    licences: &Arc<Vec<String>>,
    callers: usize,
    seconds: u64,
    per_caller_interval: Option<Duration>,
) -> HoldFigures {
    let start = Instant::now();
    let end = start + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for c in 0..callers {
        let (client, ctx, licences) = (clients[c % clients.len()].clone(), ctx.clone(), licences.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut granted = 0;
            let mut n: u64 = 0;
            // Spread the callers' first questions over one interval.
            if let Some(iv) = per_caller_interval {
                tokio::time::sleep(iv.mul_f64(c as f64 / callers as f64)).await;
            }
            let mut next = Instant::now();
            while Instant::now() < end {
                n += 1;
                let i = (c as u64 * 7_919 + n * 104_729) as usize % licences.len();
                let req = HoldRequest { licence_id: licences[i].clone(), seats: 1, request_id: format!("b-{c}-{n}") };
                let t = Instant::now();
                let a = client.licence_hold(&ctx, req).await.expect("hold answered");
                lat.push(t.elapsed().as_secs_f64() * 1000.0);
                if a.verdict == HoldVerdict::Granted {
                    granted += 1;
                    let _ = client.licence_release(&ctx, a.hold_id.as_deref().unwrap_or("")).await;
                }
                if let Some(iv) = per_caller_interval {
                    next += iv;
                    if let Some(wait) = next.checked_duration_since(Instant::now()) {
                        tokio::time::sleep(wait).await;
                    }
                }
            }
            (lat, granted)
        }));
    }
    let mut all = Vec::new();
    let mut granted = 0;
    for t in tasks {
        let (l, g) = t.await.expect("caller");
        all.extend(l);
        granted += g;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let done = all.len();
    HoldFigures {
        offered: match per_caller_interval {
            Some(iv) => format!("{:.0}/s", callers as f64 / iv.as_secs_f64()),
            None => "flat out".into(),
        },
        done,
        rate: done as f64 / elapsed,
        p50: pct(&mut all, 0.50),
        p99: pct(&mut all, 0.99),
        max: pct(&mut all, 1.0),
        granted,
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let seconds: u64 = std::env::args().nth(1).map(|a| a.parse()).transpose()?.unwrap_or(10);
    let dir = tempfile::tempdir()?;
    let node = Embedded::start(dir.path(), "127.0.0.1:0".parse()?, true).await?;
    let base = format!("http://{}", node.addr);

    let t = Instant::now();
    let (institutions, programmes, licences) =
        seed::national_seed(&node.catalogue, seed::NationalScale::ISSUE_4).await?;
    let load_s = t.elapsed().as_secs_f64();
    println!(
        "national set: {institutions} institutions, {programmes} programmes, {licences} licences in {load_s:.1} s"
    );
    // Let the outbox relay publish the seed's events first (thousands of them), so that
    // the measurements are not taken while it works.
    while node.catalogue.relay().pending().await? > 0 {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut rebuild = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        node.catalogue.refresh().await?;
        rebuild.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let rebuild_ms = pct(&mut rebuild, 0.5);
    println!("index rebuild (the cost of every catalogue write): {rebuild_ms:.1} ms");

    // 1. Public pages.
    let pages = [
        ("programme search (text)", "/ru/programmes?q=%D1%8D%D0%BA%D0%BE%D0%BD%D0%BE%D0%BC%D0%B8%D0%BA%D0%B0"),
        ("programme search (filters, sorted)", "/ky/programmes?field=04&grant=1&fee_max=90000&sort=fee_asc"),
        ("programme search (browse all)", "/en/programmes"),
        (
            "institution search (text)",
            "/ru/institutions?q=%D1%83%D0%BD%D0%B8%D0%B2%D0%B5%D1%80%D1%81%D0%B8%D1%82%D0%B5%D1%82",
        ),
        ("JSON programme search", "/api/v1/programmes?q=osh&lang=en"),
        ("static file (ceiling)", "/static/app.css"),
    ];
    let mut page_rows = Vec::new();
    // EDU24_BENCH_ONLY=holds skips the pages while tuning (the results file is then partial).
    let only_holds = std::env::var("EDU24_BENCH_ONLY").as_deref() == Ok("holds");
    for (name, path) in pages.into_iter().filter(|_| !only_holds) {
        let url = format!("{base}{path}");
        reqwest::get(&url).await?.error_for_status()?;
        let (rps, p50, p99) = tokio::task::spawn_blocking(move || wrk(&url, seconds)).await??;
        println!("{name}: {rps:.0} req/s, p50 {p50:.2} ms, p99 {p99:.2} ms");
        page_rows.push((name, path, rps, p50, p99));
    }

    // 2. The licence question over gRPC.
    let login = node
        .identity
        .login(
            &CallCtx::anonymous(),
            LoginRequest {
                login: "ministry.admin".into(),
                password: "edu24-demo".into(),
                client_address: "127.0.0.1".into(),
                user_agent: "bench".into(),
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let token = node
        .identity
        .session_token(&CallCtx::anonymous(), &login.session_secret)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?
        .token;
    let ctx = CallCtx::with_token(token);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let grpc_addr = listener.local_addr()?;
    let server = edu24_catalogue::grpc::CatalogueGrpc::server(node.catalogue.clone() as Arc<dyn CatalogueApi>);
    tokio::spawn(
        tonic::transport::Server::builder()
            .add_service(server)
            .serve_with_incoming(tonic::transport::server::TcpIncoming::from(listener)),
    );
    // Callers share 4 connections, as 4 gateway or records replicas would.
    let clients: Vec<Arc<dyn CatalogueApi>> = (0..4)
        .map(|_| {
            let channel = edu24_shared::grpc::channel(&format!("http://{grpc_addr}"))?;
            Ok(Arc::new(edu24_catalogue::grpc::CatalogueClient::new(channel)) as Arc<dyn CatalogueApi>)
        })
        .collect::<anyhow::Result<_>>()?;
    let today = today();
    let in_force: Vec<String> = node
        .catalogue
        .snapshot()
        .institutions()
        .flat_map(|i| i.licences.iter().filter(|l| l.in_force_on(&today)).map(|l| l.id.clone()).collect::<Vec<_>>())
        .collect();
    let in_force = Arc::new(in_force);
    // Warm up the connections, the token cache and SQLite's page cache (not recorded).
    holds(&clients, &ctx, &in_force, 8, 1, None).await;
    holds(&clients, &ctx, &in_force, 200, 3, Some(Duration::from_millis(400))).await;
    let mut hold_rows = Vec::new();
    if std::env::var("EDU24_BENCH_IN_PROCESS").is_ok() {
        let direct = vec![node.catalogue.clone() as Arc<dyn CatalogueApi>];
        let f = holds(&direct, &ctx, &in_force, 200, seconds, Some(Duration::from_millis(200))).await;
        println!("in process, 1000/s: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms", f.p50, f.p99, f.max);
    }
    for interval in
        [Some(Duration::from_secs(1)), Some(Duration::from_millis(400)), Some(Duration::from_millis(200)), None]
    {
        let f = holds(&clients, &ctx, &in_force, 200, seconds, interval).await;
        println!(
            "licence question, 200 callers, {}: {} answered ({:.0}/s), p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms, {} granted",
            f.offered, f.done, f.rate, f.p50, f.p99, f.max, f.granted
        );
        hold_rows.push(f);
    }

    // 3. The dashboard, as the ministry's admin in a browser.
    let browser = reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build()?;
    let page = browser.get(format!("{base}/ru/login")).send().await?.text().await?;
    let marker = "name=\"csrf\" value=\"";
    let csrf = page[page.find(marker).ok_or_else(|| anyhow::anyhow!("no csrf"))? + marker.len()..]
        .split('"')
        .next()
        .unwrap_or("")
        .to_owned();
    browser
        .post(format!("{base}/ru/login"))
        .form(&[("csrf", csrf.as_str()), ("login", "ministry.admin"), ("password", "edu24-demo")])
        .send()
        .await?;
    let mut dash = Vec::new();
    let mut size = 0;
    for i in 0..60 {
        let t = Instant::now();
        let r = browser.get(format!("{base}/ru/admin/licensing")).send().await?;
        anyhow::ensure!(r.status() == 200, "dashboard answered {}", r.status());
        size = r.bytes().await?.len();
        if i >= 10 {
            dash.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    let (d50, d99) = (pct(&mut dash, 0.5), pct(&mut dash, 0.99));
    let d = node.catalogue.dashboard(&ctx, None).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    println!(
        "dashboard page: p50 {d50:.1} ms, p99 {d99:.1} ms ({} KiB; {} near full, {} expiring, {} unlicensed)",
        size / 1024,
        d.near_full.len(),
        d.expiring.len(),
        d.unlicensed.len()
    );

    // Results.
    let commit = std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let search = page_rows.iter().find(|r| r.0 == "programme search (filters, sorted)").map(|r| (r.2, r.4));
    let static_rps = page_rows.iter().find(|r| r.0 == "static file (ceiling)").map(|r| r.2).unwrap_or(1.0);
    let mut md = String::new();
    md.push_str("# Catalogue and licensing at national scale\n\n");
    md.push_str(&format!(
        "- date: {}; commit: {commit}\n- machine: 2 cores, load generators on the same machine\n\
         - `edu24` embedded (SQLite, in-process bus), release build; demo data topped up with synthetic \
         institutions to **{institutions} institutions, {programmes} programmes, {licences} licences** \
         (`seed::national_seed`, loaded in {load_s:.1} s)\n\
         - produced by `cargo run --release -p edu24-tests --bin bench-catalogue {seconds}`\n\n",
        edu24_shared::time::rfc3339(edu24_shared::time::now_ms()).get(..16).unwrap_or("")
    ));
    md.push_str("## Public pages (wrk, 1 thread, 16 connections)\n\n| what | URL | requests/s | p50 ms | p99 ms |\n|---|---|---:|---:|---:|\n");
    for (name, path, rps, p50, p99) in &page_rows {
        md.push_str(&format!("| {name} | `{path}` | {rps:.0} | {p50:.2} | {p99:.2} |\n"));
    }
    md.push_str(&format!(
        "\nThe read index is rebuilt after every catalogue write: {rebuild_ms:.1} ms at this scale (median of 5).\n\n"
    ));
    md.push_str("## The licence question over gRPC (hold 1 place, then release it), 200 concurrent callers\n\n\
        Each caller asks for a random licence in force, waits for the answer, then (at a steady pace) waits for its next turn. \
        Every answer is a committed write (SQLite WAL).\n\n\
        | offered | answered | answered/s | p50 ms | p99 ms | max ms | granted |\n|---|---:|---:|---:|---:|---:|---:|\n");
    for f in &hold_rows {
        md.push_str(&format!(
            "| {} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {} |\n",
            f.offered, f.done, f.rate, f.p50, f.p99, f.max, f.granted
        ));
    }
    md.push_str(&format!(
        "\n## Ministry dashboard page (logged in, 50 requests after 10 warm-up)\n\np50 **{d50:.1} ms**, p99 **{d99:.1} ms**, \
         {} KiB of HTML; {} licences near full, {} expiring, {} programmes unlicensed.\n\n",
        size / 1024,
        d.near_full.len(),
        d.expiring.len(),
        d.unlicensed.len()
    ));
    let steady = hold_rows.iter().filter(|f| f.offered != "flat out").map(|f| f.p99).fold(0.0, f64::max);
    md.push_str("## Targets\n\n| target | figure | verdict |\n|---|---|---|\n");
    if let Some((rps, p99)) = search {
        md.push_str(&format!(
            "| search page ≥ 5,000 requests/s | {rps:.0} | {} |\n| search page p99 < 20 ms | {p99:.2} ms | {} |\n",
            if rps >= 5000.0 { "met" } else { "NOT met" },
            if p99 < 20.0 { "met" } else { "NOT met" }
        ));
        md.push_str(&format!("| (search page vs static ceiling) | {:.2}x | |\n", static_rps / rps.max(1.0)));
    }
    md.push_str(&format!(
        "| licence question p99 < 2 ms, 200 callers at steady rates | {steady:.2} ms (worst steady rate) | {} |\n",
        if steady < 2.0 { "met" } else { "NOT met" }
    ));
    md.push_str(&format!(
        "| ministry dashboard < 100 ms | p99 {d99:.1} ms | {} |\n",
        if d99 < 100.0 { "met" } else { "NOT met" }
    ));
    std::fs::create_dir_all("bench/results")?;
    std::fs::write("bench/results/catalogue-national.md", &md)?;
    println!("\nwrote bench/results/catalogue-national.md");
    node.shutdown().await?;
    Ok(())
}

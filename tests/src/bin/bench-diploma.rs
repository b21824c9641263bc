//! Benchmark of diplomas (issue 7). Run with
//! `cargo run --release -p edu24-tests --bin bench-diploma [seconds]`; needs `wrk`
//! (Debian package) and, for PostgreSQL, EDU24_TEST_POSTGRES_URL. Writes
//! `bench/results/diploma.md`. For each backend, on one embedded node with the demo
//! catalogue and curricula:
//! - a graduating group of about 1,500 students with their whole studies (the records
//!   generator), of whom 500 eligible are awarded their diplomas in one issuance: the
//!   eligibility check, blank forms, 500 signed credentials, 1,000 PDFs and 500
//!   graduation orders, timed;
//! - the public check by number and family name through the API, with wrk (16
//!   connections, the 500 diplomas in turn, each check logged);
//! - checking an uploaded credential: in process and through `POST
//!   /api/v1/diplomas/verify-credential`, one after another.

use std::fmt::Write as _;
use std::time::Instant;

use edu24_catalogue::CatalogueApi;
use edu24_catalogue::domain::LicenceInput;
use edu24_diploma::DiplomaApi;
use edu24_diploma::domain::*;
use edu24_gateway::node::Embedded;
use edu24_identity::IdentityApi;
use edu24_identity::domain::LoginRequest;
use edu24_shared::auth::{CallCtx, Role, RoleGrant};
use edu24_shared::names::stable_id;
use edu24_tests::bench::pct;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Figures {
    backend: String,
    group: usize,
    eligible: usize,
    issued: usize,
    eligibility_s: f64,
    issue_s: f64,
    pdf_bytes: usize,
    verify: (f64, f64, f64),
    cred_local: (f64, f64, f64),
    cred_http: (f64, f64, f64),
}

async fn login(node: &Embedded, login: &str) -> anyhow::Result<CallCtx> {
    let anon = CallCtx::anonymous();
    let req = LoginRequest {
        login: login.into(),
        password: "edu24-demo".into(),
        client_address: "127.0.0.1".into(),
        user_agent: "bench".into(),
    };
    let l = node.identity.login(&anon, req).await.map_err(|e| anyhow::anyhow!("login {login}: {}", e.message))?;
    let t = node.identity.session_token(&anon, &l.session_secret).await.map_err(|e| anyhow::anyhow!(e.message))?;
    Ok(CallCtx::with_token(t.token))
}

fn e(err: edu24_shared::error::ApiError) -> anyhow::Error {
    anyhow::anyhow!("{:?} {}: {}", err.code, err.reason.unwrap_or_default(), err.message)
}

async fn run(backend: &str, databases: Option<[String; 5]>, seconds: u64) -> anyhow::Result<Figures> {
    let dir = tempfile::tempdir()?;
    // The public check is limited per address; wrk is one address.
    // SAFETY: set before any thread of this program reads the environment.
    unsafe { std::env::set_var("EDU24_VERIFY_PER_MINUTE", "0") };
    let node = Embedded::start_on(dir.path(), databases.as_ref(), "127.0.0.1:0".parse()?, false, true).await?;
    edu24_catalogue::seed::demo_seed(&node.catalogue).await?;
    edu24_identity::seed::demo_seed(&node.identity, edu24_catalogue::seed::institution_id).await?;
    edu24_gateway::node::curriculum_demo_seed(&node.curriculum, node.catalogue.as_ref()).await?;
    let system = CallCtx::with_token(node.identity.system_token(
        edu24_records::generate::SEED_ACTOR,
        vec![RoleGrant { role: Role::MinistryAdmin, inst: None }],
        3600,
    ));
    // The ministry widens KNU Law's licence for a class this large.
    let knu = node.catalogue.institution_get(&CallCtx::anonymous(), "knu").await.map_err(e)?;
    let law = stable_id("programme", "knu:530500:bachelor:full_time:ky");
    let lic = knu
        .licences
        .iter()
        .find(|l| l.specialty_code == "530500" && l.form.as_str() == "full_time" && l.contingent >= 1000)
        .ok_or_else(|| anyhow::anyhow!("KNU Law's licence"))?
        .clone();
    node.catalogue
        .licence_upsert(
            &system,
            LicenceInput {
                id: Some(lic.id.clone()),
                institution_code: "knu".into(),
                specialty_code: lic.specialty_code.clone(),
                level: lic.level,
                form: lic.form,
                contingent: 6000,
                valid_from: lic.valid_from.clone(),
                valid_to: lic.valid_to.clone(),
                document_no: lic.document_no.clone(),
                status: lic.status,
                reason: String::new(),
            },
        )
        .await
        .map_err(e)?;
    let seal = edu24_records::gradelog::GradeSeal::for_data_dir(dir.path())?;
    let plan = edu24_records::generate::Plan {
        label: "bench".into(),
        seed: 7,
        as_of: edu24_records::domain::today(),
        intakes: vec![edu24_curriculum::seed::GRADUATING_INTAKE],
        institutions: vec![("knu".into(), vec![law.clone()])],
        cohort_full_time: 1500,
        cohort_part_time: 1,
        group_size: 2000,
        named: Vec::new(),
        demo_sheets: false,
        grant_factor: 1.0,
        make_up_full_time: false,
        awaiting_diplomas: vec![edu24_curriculum::seed::GRADUATING_INTAKE],
    };
    let g = edu24_records::generate::generate(
        node.records.db(),
        &seal,
        node.catalogue.as_ref(),
        node.curriculum.as_ref(),
        &system,
        &plan,
    )
    .await?;
    println!("{backend}: generated {} students, {} grades", g.students, g.grades);

    let registrar = login(&node, "knu.registrar").await?;
    let inst = edu24_catalogue::seed::institution_id("knu");
    let group = "ЮР-22-1".to_owned();
    let q = GroupQuery { institution_id: inst.clone(), programme_id: law.clone(), study_group: group.clone() };
    let t = Instant::now();
    let el = node.diploma.eligibility(&registrar, &q).await.map_err(e)?;
    let eligibility_s = t.elapsed().as_secs_f64();
    let eligible: Vec<String> = el.rows.iter().filter(|r| r.eligible).map(|r| r.enrolment_id.clone()).collect();
    println!("{backend}: {} students in {group}, {} eligible ({eligibility_s:.2} s)", el.rows.len(), eligible.len());
    anyhow::ensure!(eligible.len() >= 500, "only {} eligible", eligible.len());
    for (kind, series) in [("bachelor", "БД"), ("bachelor_honours", "БК")] {
        let r = ReceiptInput {
            institution_id: inst.clone(),
            kind: kind.into(),
            series: series.into(),
            first_no: 100_001,
            last_no: 101_000,
            document_no: "Акт № 1/2026".into(),
            received_on: "2026-06-01".into(),
        };
        node.diploma.receipt_add(&registrar, r).await.map_err(e)?;
    }
    let input = IssueInput {
        institution_id: inst.clone(),
        programme_id: law.clone(),
        study_group: group.clone(),
        enrolment_ids: eligible[..500].to_vec(),
        order_no: "Б-500".into(),
        order_signed_on: "2026-06-28".into(),
        signatory: "Ректор Жоробекова Ж. Ж.".into(),
        issued_on: "2026-06-30".into(),
        series: String::new(),
        request_id: "bench-500".into(),
    };
    let t = Instant::now();
    let report = node.diploma.issue(&registrar, input).await.map_err(e)?;
    let issue_s = t.elapsed().as_secs_f64();
    anyhow::ensure!(report.state == "done", "issuance {}", report.state);
    println!("{backend}: issued {} diplomas in {issue_s:.1} s", report.diplomas.len());
    let first = &report.diplomas[0];
    let pdf_bytes = node.diploma.diploma_file(&registrar, &first.id, DiplomaFile::Diploma).await.map_err(e)?.len()
        + node.diploma.diploma_file(&registrar, &first.id, DiplomaFile::Supplement).await.map_err(e)?.len();

    // The public check, by number and family name, through the API.
    let base = format!("http://{}", node.addr);
    let mut lua = String::from("local paths = {");
    for d in &report.diplomas {
        let qs = serde_urlencoded::to_string([("number", d.number.as_str()), ("name", d.holder.family.as_str())])?;
        write!(lua, "\"/api/v1/diplomas/verify?{qs}\",")?;
    }
    lua.push_str(
        "}\nlocal counter = 0\n\
         function setup(thread) counter = counter + 1; thread:set(\"id\", counter) end\n\
         function init(args) n = id * 7919 end\n\
         function request() n = n + 104729; return wrk.format(\"GET\", paths[(n % #paths) + 1]) end\n",
    );
    let script = dir.path().join("verify.lua");
    std::fs::write(&script, lua)?;
    // A first pass warms the connections and the database's pages.
    let _ = edu24_tests::bench::wrk(&["-t2", "-c2", "-d2s", "--latency", "-s", &script.display().to_string(), &base]);
    let verify = edu24_tests::bench::wrk(&[
        "-t16",
        "-c16",
        &format!("-d{seconds}s"),
        "--latency",
        "-s",
        &script.display().to_string(),
        &base,
    ])?;
    println!("{backend}: public check {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms", verify.0, verify.1, verify.2);
    node.diploma.flush_log().await;

    // An uploaded credential, checked.
    let mut creds = Vec::new();
    for d in report.diplomas.iter().take(200) {
        let b = node.diploma.diploma_file(&registrar, &d.id, DiplomaFile::Credential).await.map_err(e)?;
        creds.push(String::from_utf8(b)?);
    }
    let anon = CallCtx::anonymous();
    let mut local = Vec::new();
    for c in &creds {
        let t = Instant::now();
        let r = node.diploma.verify_credential(&anon, c).await.map_err(e)?;
        local.push(t.elapsed().as_secs_f64() * 1000.0);
        anyhow::ensure!(r.valid, "{:?}", r.errors);
    }
    let client = reqwest::Client::new();
    let mut http = Vec::new();
    for c in &creds {
        let t = Instant::now();
        let r = client.post(format!("{base}/api/v1/diplomas/verify-credential")).body(c.clone()).send().await?;
        anyhow::ensure!(r.status().is_success(), "{}", r.status());
        let v: serde_json::Value = r.json().await?;
        http.push(t.elapsed().as_secs_f64() * 1000.0);
        anyhow::ensure!(v["valid"] == true, "{v}");
    }
    let stats = |v: &mut Vec<f64>| (pct(v, 0.5), pct(v, 0.99), pct(v, 1.0));
    let f = Figures {
        backend: backend.into(),
        group: el.rows.len(),
        eligible: eligible.len(),
        issued: report.diplomas.len(),
        eligibility_s,
        issue_s,
        pdf_bytes,
        verify,
        cred_local: stats(&mut local),
        cred_http: stats(&mut http),
    };
    node.shutdown().await?;
    Ok(f)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let seconds: u64 = std::env::args().nth(1).map(|a| a.parse()).transpose()?.unwrap_or(10);
    let mut all = vec![run("SQLite", None, seconds).await?];
    if let Ok(pg) = std::env::var("EDU24_TEST_POSTGRES_URL")
        && !pg.is_empty()
    {
        let mut urls = Vec::new();
        let mut names = Vec::new();
        for _ in 0..5 {
            let (url, name) = edu24_shared::testing::fresh_postgres_database(&pg).await?;
            urls.push(url);
            names.push(name);
        }
        let urls: [String; 5] = urls.try_into().map_err(|_| anyhow::anyhow!("five databases"))?;
        all.push(run("PostgreSQL", Some(urls), seconds).await?);
        let admin = edu24_shared::db::Db::connect(&pg).await?;
        for n in names {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {n} WITH (FORCE)")).execute(admin.pool()).await;
        }
    }
    let mut md = String::from(
        "# diplomas (issue 7)\n\n\
         `cargo run --release -p edu24-tests --bin bench-diploma` on this machine (2 cores), one embedded node per \
         backend serving HTTP, the load from `wrk` on the same machine. Targets: the public check by number at 5,000 \
         requests/s or more with p99 under 20 ms; a group of 500 diplomas issued with PDFs and credentials in under \
         60 s; an uploaded credential checked in under 20 ms.\n\n",
    );
    for f in &all {
        writeln!(md, "## {}\n", f.backend)?;
        writeln!(
            md,
            "Graduating group: {} students with their whole studies (generated), {} eligible; the eligibility of the \
             group read in {:.2} s.\n",
            f.group, f.eligible, f.eligibility_s
        )?;
        writeln!(
            md,
            "Issuing {} diplomas in one issuance (eligibility re-checked, blank forms taken, {} signed credentials, {} \
             PDFs, {} graduation orders in records, events): **{:.1} s**. A diploma with its supplement: {} KB.\n",
            f.issued,
            f.issued,
            f.issued * 2,
            f.issued,
            f.issue_s,
            f.pdf_bytes / 1024
        )?;
        writeln!(md, "| request | requests/s | p50 ms | p99 ms |\n|---|---:|---:|---:|")?;
        writeln!(
            md,
            "| public check by number and name (`GET /api/v1/diplomas/verify`, 16 connections, each check logged) | {:.0} | {:.2} | {:.2} |\n",
            f.verify.0, f.verify.1, f.verify.2
        )?;
        writeln!(
            md,
            "Checking an uploaded credential (200, one after another): in process p50 {:.2} ms, p99 {:.2} ms, max \
             {:.2} ms; through `POST /api/v1/diplomas/verify-credential` p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms.\n",
            f.cred_local.0, f.cred_local.1, f.cred_local.2, f.cred_http.0, f.cred_http.1, f.cred_http.2
        )?;
    }
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../bench/results/diploma.md");
    std::fs::write(path, md)?;
    println!("wrote {path}");
    Ok(())
}

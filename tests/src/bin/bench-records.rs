//! Benchmark of records at national scale (issue 6). Run with
//! `cargo run --release -p edu24-tests --bin bench-records [seconds]`; needs `wrk`
//! (Debian package) and, for PostgreSQL, EDU24_TEST_POSTGRES_URL. Writes
//! `bench/results/records.md`. For each backend (SQLite, the embedded default, and
//! PostgreSQL), on one embedded node:
//! - `edu24 seed --scale national`'s data set, timed (88 institutions, about 230,000
//!   students, about ten million grades);
//! - with wrk, 16 connections, one logged-in session each (its bearer token): an
//!   institution's student list (pages of 50 of 2,000+ students), a student's profile, a
//!   student's grades of a term, the institution's GPA ranking;
//! - a registrar's roster import of 5,000 students through the portal;
//! - closing 30-student sheets (with their grade log records and events), one at a time.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use edu24_gateway::node::Embedded;
use edu24_identity::IdentityApi;
use edu24_identity::domain::LoginRequest;
use edu24_records::RecordsApi;
use edu24_records::grading::*;
use edu24_shared::auth::{CallCtx, Role, RoleGrant};
use sqlx::Row;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use edu24_tests::bench::pct;

/// wrk with 16 threads of one connection each; each connection sends its own session's
/// token and walks its own share of `paths`. (requests/s, p50 ms, p99 ms)
fn wrk(
    base: &str,
    tokens: &[String],
    paths: &[String],
    seconds: u64,
    dir: &std::path::Path,
) -> anyhow::Result<(f64, f64, f64)> {
    let mut lua = String::from("local tokens = {");
    for t in tokens {
        write!(lua, "\"{t}\",")?;
    }
    lua.push_str("}\nlocal paths = {");
    for p in paths {
        write!(lua, "\"{}\",", p.replace('"', ""))?;
    }
    lua.push_str(
        "}\nlocal counter = 0\n\
         function setup(thread) counter = counter + 1; thread:set(\"id\", counter) end\n\
         function init(args) me = id; n = id * 7919; token = tokens[((id - 1) % #tokens) + 1] end\n\
         function request() n = n + 104729; local p = paths[(n % #paths) + 1]\n\
           return wrk.format(\"GET\", p, { [\"Authorization\"] = \"Bearer \" .. token }) end\n",
    );
    let script = dir.join("records.lua");
    std::fs::write(&script, lua)?;
    edu24_tests::bench::wrk(&[
        "-t16",
        "-c16",
        &format!("-d{seconds}s"),
        "--latency",
        "-s",
        &script.display().to_string(),
        base,
    ])
}

struct Figures {
    backend: String,
    seed: edu24_records::seed::NationalReport,
    seed_total_s: f64,
    institution: String,
    students_there: i64,
    endpoints: Vec<(String, f64, f64, f64)>,
    roster_s: f64,
    closes: usize,
    close_p50: f64,
    close_p99: f64,
    close_max: f64,
    log_check_s: f64,
    log_records: i64,
}

async fn login(node: &Embedded, login: &str, password: &str) -> anyhow::Result<(String, String)> {
    let anon = CallCtx::anonymous();
    let l = node
        .identity
        .login(
            &anon,
            LoginRequest {
                login: login.into(),
                password: password.into(),
                client_address: "127.0.0.1".into(),
                user_agent: "bench".into(),
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("login {login}: {}", e.message))?;
    let token =
        node.identity.session_token(&anon, &l.session_secret).await.map_err(|e| anyhow::anyhow!(e.message))?.token;
    Ok((l.session_secret, token))
}

async fn run(backend: &str, databases: Option<[String; 5]>, seconds: u64) -> anyhow::Result<Figures> {
    let dir = tempfile::tempdir()?;
    let started = Instant::now();
    let node = Embedded::start_on(dir.path(), databases.as_ref(), "127.0.0.1:0".parse()?, true, false).await?;
    let system = CallCtx::with_token(node.identity.system_token(
        edu24_records::generate::SEED_ACTOR,
        vec![RoleGrant { role: Role::MinistryAdmin, inst: None }],
        6 * 3600,
    ));
    let seal = edu24_records::gradelog::GradeSeal::for_data_dir(dir.path())?;
    let seed = edu24_records::seed::national_seed(
        &node.catalogue,
        &node.curriculum,
        node.records.db(),
        &seal,
        &system,
        1,
        edu24_records::domain::today(),
    )
    .await?;
    let seed_total_s = started.elapsed().as_secs_f64();
    println!("{backend}: national data in {seed_total_s:.0} s: {:?}", seed.generated);
    let db = node.records.db().clone();

    // The institution with the most students now, and a registrar and a teacher of it.
    let row = sqlx::query(
        "SELECT institution_id, COUNT(*) FROM enrolment WHERE status = 'active' GROUP BY institution_id ORDER BY 2 DESC LIMIT 1",
    )
    .fetch_one(db.pool())
    .await?;
    let (inst, students_there): (String, i64) = (row.get(0), row.get(1));
    let grants_registrar = [RoleGrant { role: Role::Registrar, inst: Some(inst.clone()) }];
    let grants_teacher = [RoleGrant { role: Role::Teacher, inst: Some(inst.clone()) }];
    let password = "bench-registrar-password-2026";
    let mut accounts = Vec::new();
    let logins: Vec<String> = (0..16).map(|i| format!("bench.registrar{i}")).collect();
    for l in &logins {
        accounts.push(edu24_identity::app::NewAccount {
            login: l,
            display_name: "Bench Registrar",
            password,
            grants: &grants_registrar,
            must_change_password: false,
        });
    }
    accounts.push(edu24_identity::app::NewAccount {
        login: "bench.teacher",
        display_name: "Bench Teacher",
        password,
        grants: &grants_teacher,
        must_change_password: false,
    });
    let ids = node.identity.accounts_create("bench", &accounts).await.map_err(|e| anyhow::anyhow!(e.message))?;
    let mut tokens = Vec::new();
    for l in &logins {
        let (_, token) = login(&node, l, password).await?;
        tokens.push(token);
    }
    let (_, teacher_token) = login(&node, "bench.teacher", password).await?;
    let registrar = CallCtx::with_token(tokens[0].clone());
    let teacher = CallCtx::with_token(teacher_token);

    // What the requests ask for: pages, persons, terms with results.
    let pages = (students_there / 50).clamp(1, 40);
    let students: Vec<String> =
        (1..=pages).map(|p| format!("/api/v1/records/institutions/{inst}/students?page={p}")).collect();
    let ranking: Vec<String> =
        (1..=pages).map(|p| format!("/api/v1/records/institutions/{inst}/ranking?page={p}")).collect();
    let persons: Vec<String> =
        sqlx::query("SELECT person_id FROM enrolment WHERE institution_id = $1 ORDER BY id LIMIT 2000")
            .bind(&inst)
            .fetch_all(db.pool())
            .await?
            .iter()
            .map(|r| format!("/api/v1/records/persons/{}", r.get::<String, _>(0)))
            .collect();
    let terms: Vec<String> = sqlx::query(
        "SELECT DISTINCT enrolment_id, semester FROM grade WHERE institution_id = $1 ORDER BY enrolment_id, semester LIMIT 2000",
    )
    .bind(&inst)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|r| format!("/api/v1/records/enrolments/{}/grades?semester={}", r.get::<String, _>(0), r.get::<i64, _>(1)))
    .collect();
    let base = format!("http://{}", node.addr);
    let mut endpoints = Vec::new();
    for (name, paths) in [
        ("student list (page of 50)", &students),
        ("student profile", &persons),
        ("grades of a term", &terms),
        ("GPA ranking (page of 50)", &ranking),
    ] {
        // A warm-up, then the measured run.
        wrk(&base, &tokens, paths, 2, dir.path())?;
        let (rps, p50, p99) = wrk(&base, &tokens, paths, seconds, dir.path())?;
        println!("{backend}: {name}: {rps:.0} req/s, p50 {p50:.2} ms, p99 {p99:.2} ms");
        endpoints.push((name.to_owned(), rps, p50, p99));
    }

    // A roster of 5,000 through the portal: the licence of one programme is widened first.
    let programme: String = sqlx::query(
        "SELECT programme_id FROM enrolment WHERE institution_id = $1 AND intake_year = 2026 AND form = 'full_time' \
         GROUP BY programme_id ORDER BY COUNT(*) DESC LIMIT 1",
    )
    .bind(&inst)
    .fetch_one(db.pool())
    .await?
    .get(0);
    use edu24_catalogue::CatalogueApi;
    let detail = node
        .catalogue
        .programme_get(&CallCtx::anonymous(), &programme)
        .await
        .map_err(|e| anyhow::anyhow!(e.message))?;
    let licence = detail.licence.clone().ok_or_else(|| anyhow::anyhow!("no licence"))?;
    node.catalogue
        .licence_upsert(
            &system,
            edu24_catalogue::domain::LicenceInput {
                id: Some(licence.id.clone()),
                institution_code: detail.institution.code.clone(),
                specialty_code: licence.specialty_code.clone(),
                level: licence.level,
                form: licence.form,
                contingent: licence.contingent + 6000,
                valid_from: licence.valid_from.clone(),
                valid_to: None,
                document_no: licence.document_no.clone(),
                status: licence.status,
                reason: String::new(),
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("licence: {}", e.message))?;
    let mut csv = String::from("pin,family,given,patronymic,birth_date,study_group,funding,student_ticket\n");
    let mut rng = edu24_records::generate::Rng::new(77);
    let mut pins = edu24_records::generate::Pins::default();
    for r in sqlx::query("SELECT pin FROM person WHERE pin IS NOT NULL").fetch_all(db.pool()).await? {
        pins.take(r.get::<String, _>(0));
    }
    // New people: nobody of the same names and birth date is recorded (they would be
    // listed as possible duplicates, for the registrar to decide, and the file refused).
    let mut seen: std::collections::HashSet<(String, String)> = std::collections::HashSet::new();
    for r in sqlx::query("SELECT name_key, birth_date FROM person").fetch_all(db.pool()).await? {
        seen.insert((r.get::<String, _>(0), r.get::<String, _>(1)));
    }
    let mut attempt = 0u32;
    for i in 0..5000u32 {
        let p = loop {
            attempt += 1;
            let p = edu24_records::generate::person(&format!("bench:{attempt}"), &mut pins, &mut rng, 2007);
            if seen.insert((
                edu24_shared::people::name_key(&format!("{} {}", p.name.family, p.name.given)),
                p.birth.to_string(),
            )) {
                break p;
            }
        };
        writeln!(
            csv,
            "{},{},{},{},{},БН-26-{},contract,BN-26-{i:05}",
            p.pin,
            p.name.family,
            p.name.given,
            p.name.patronymic,
            p.birth,
            1 + i / 30
        )?;
    }
    // The registrar logs in through the portal and takes the form's CSRF token.
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(120))
        .build()?;
    let r = edu24_tests::portal_login(&client, &base, "en", &logins[0], password).await;
    anyhow::ensure!(r.status() == reqwest::StatusCode::SEE_OTHER, "portal login: {}", r.status());
    let page = client.get(format!("{base}/en/admin/students/import?institution={inst}")).send().await?.text().await?;
    let csrf = edu24_tests::csrf_of(&page);
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf)
        .text("institution", inst.clone())
        .text("request_id", format!("bench-roster-{backend}"))
        .text("programme", programme.clone())
        .text("intake_year", "2026")
        .text("number", "900-к")
        .text("signed_on", "2026-08-28")
        .text("effective_on", "2026-09-01")
        .text("signatory", "Ректор")
        .part("file", reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("roster.csv"));
    let admitted = |db: edu24_shared::db::Db, programme: String| async move {
        sqlx::query("SELECT COUNT(*) FROM enrolment WHERE programme_id = $1 AND intake_year = 2026")
            .bind(programme)
            .fetch_one(db.pool())
            .await
            .map(|r| r.get::<i64, _>(0))
    };
    let before = admitted(db.clone(), programme.clone()).await?;
    let t = Instant::now();
    let r = client.post(format!("{base}/en/admin/students/import")).multipart(form).send().await?;
    let status = r.status();
    let body = r.text().await?;
    let roster_s = t.elapsed().as_secs_f64();
    let after = admitted(db.clone(), programme.clone()).await?;
    anyhow::ensure!(after == before + 5000, "roster: {status}\n{}", body.chars().take(3000).collect::<String>());
    println!("{backend}: roster of 5,000 in {roster_s:.1} s");

    // 30-student sheets: the bench teacher teaches semester 1 to the new groups.
    let teacher_person: String =
        sqlx::query("SELECT person_id FROM teacher WHERE institution_id = $1 ORDER BY id LIMIT 1")
            .bind(&inst)
            .fetch_one(db.pool())
            .await?
            .get(0);
    node.records
        .account_link(&registrar, &inst, &teacher_person, Some(&ids[16]))
        .await
        .map_err(|e| anyhow::anyhow!(e.message))?;
    let teacher_id =
        node.records.my_space(&teacher).await.map_err(|e| anyhow::anyhow!(e.message))?.teaching[0].id.clone();
    use edu24_curriculum::CurriculumApi;
    let plan = node
        .curriculum
        .requirements(&CallCtx::anonymous(), &programme, 2026, None)
        .await
        .map_err(|e| anyhow::anyhow!(e.message))?;
    let lines: Vec<_> = plan.lines.iter().filter(|l| l.line.semester == 1 && l.line.choice_group.is_empty()).collect();
    let today = edu24_records::domain::today().to_string();
    let mut submitted = Vec::new();
    'groups: for g in 1..=167 {
        for l in &lines {
            let a = node
                .records
                .assignment_create(
                    &registrar,
                    AssignmentInput {
                        institution_id: inst.clone(),
                        programme_id: programme.clone(),
                        intake_year: 2026,
                        line_code: l.line.code.clone(),
                        semester: 1,
                        study_group: format!("БН-26-{g}"),
                        teacher_id: teacher_id.clone(),
                    },
                )
                .await
                .map_err(|e| anyhow::anyhow!("assignment: {}", e.message))?;
            let sheet = node
                .records
                .sheet_open(&teacher, &a.id, SheetKind::Regular, &today)
                .await
                .map_err(|e| anyhow::anyhow!(e.message))?;
            if sheet.entries.len() != 30 {
                continue;
            }
            let entries = sheet
                .entries
                .iter()
                .enumerate()
                .map(|(i, e)| EntryInput {
                    enrolment_id: e.enrolment_id.clone(),
                    value: EntryValue {
                        score: Some(55 + (i as i32 * 7) % 45),
                        absent: false,
                        attendance: Some(80 + (i as i32 % 20)),
                    },
                })
                .collect();
            let saved = node
                .records
                .sheet_save(&teacher, &sheet.id, sheet.version, entries)
                .await
                .map_err(|e| anyhow::anyhow!(e.message))?;
            let s = node
                .records
                .sheet_submit(&teacher, &sheet.id, saved.version)
                .await
                .map_err(|e| anyhow::anyhow!(e.message))?;
            submitted.push((s.id, s.version));
            if submitted.len() >= 300 {
                break 'groups;
            }
        }
    }
    let mut lat = Vec::new();
    for (id, version) in &submitted {
        let t = Instant::now();
        node.records
            .sheet_close(&registrar, id, *version, false)
            .await
            .map_err(|e| anyhow::anyhow!("close: {}", e.message))?;
        lat.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let closes = lat.len();
    let (close_p50, close_p99, close_max) = (pct(&mut lat, 0.5), pct(&mut lat, 0.99), pct(&mut lat, 1.0));
    println!("{backend}: {closes} closes, p50 {close_p50:.1} ms, p99 {close_p99:.1} ms");
    let t = Instant::now();
    let check = node.records.log_check(&registrar, &inst).await.map_err(|e| anyhow::anyhow!(e.message))?;
    let log_check_s = t.elapsed().as_secs_f64();
    anyhow::ensure!(check.intact(), "the grade log of {inst} does not check: {check:?}");
    drop(node);
    tokio::time::sleep(Duration::from_millis(200)).await;
    Ok(Figures {
        backend: backend.to_owned(),
        seed,
        seed_total_s,
        institution: inst,
        students_there,
        endpoints,
        roster_s,
        closes,
        close_p50,
        close_p99,
        close_max,
        log_check_s,
        log_records: check.records,
    })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let seconds: u64 = std::env::args().nth(1).map(|a| a.parse()).transpose()?.unwrap_or(10);
    let mut all = vec![run("SQLite", None, seconds).await?];
    if let Ok(pg) = std::env::var("EDU24_TEST_POSTGRES_URL") {
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
        "# records at national scale (issue 6)\n\n\
         `cargo run --release -p edu24-tests --bin bench-records` on this machine (2 cores), one embedded node \
         per backend serving HTTP, the load from `wrk` on the same machine. Targets: each read at 3,000 \
         requests/s or more with p99 under 25 ms (16 connections, one logged-in session each, its bearer \
         token); closing a 30-student sheet under 50 ms p99 with its events; a roster of 5,000 under 20 s; \
         `edu24 seed --scale national` under 10 minutes. The load only reads: after the first request of \
         each page, the student list and the ranking are answered from records' page cache, which holds \
         while the institution's list generation in the database is unchanged (ADR 0029); the profile \
         and the term's grades are read from the database every time.\n\n",
    );
    for f in &all {
        let g = &f.seed.generated;
        writeln!(md, "## {}\n", f.backend)?;
        writeln!(
            md,
            "National data: {} institutions, {} programmes, {} licences, {} curricula; {} student records: {} studying now \
             ({:.1} % contract, {:.1} % part-time), {} graduated; {} teachers, {} orders, {} assignments, {} sheets, {} grades. \
             Written in {:.0} s (catalogue {:.0} s, curriculum {:.0} s, records {:.0} s, after the demo).\n",
            f.seed.institutions,
            f.seed.programmes,
            f.seed.licences,
            f.seed.curricula,
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
            f.seed_total_s,
            f.seed.catalogue_s,
            f.seed.curriculum_s,
            f.seed.records_s,
        )?;
        writeln!(md, "Institution measured: `{}`, {} students studying.\n", f.institution, f.students_there)?;
        md.push_str("| request | requests/s | p50 ms | p99 ms |\n|---|---:|---:|---:|\n");
        for (name, rps, p50, p99) in &f.endpoints {
            writeln!(md, "| {name} | {rps:.0} | {p50:.2} | {p99:.2} |")?;
        }
        writeln!(
            md,
            "\nRoster of 5,000 students through the portal (one order, all or nothing): {:.1} s.\n\n\
             Closing a 30-student sheet ({} closes, one after another, each with its grade log record, results, \
             GPAs and event): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms.\n\n\
             Grade log check of the institution ({} records, chain and replay): {:.1} s.\n",
            f.roster_s, f.closes, f.close_p50, f.close_p99, f.close_max, f.log_records, f.log_check_s
        )?;
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../bench/results/records.md");
    std::fs::write(&path, md)?;
    println!("wrote {}", path.display());
    Ok(())
}

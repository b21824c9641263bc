//! The system as Kubernetes runs it: identity, catalogue, curriculum, records, diploma and
//! the gateway as OS processes, each service with its own PostgreSQL database, events over NATS
//! JetStream. Needs EDU24_TEST_POSTGRES_URL and EDU24_TEST_NATS_URL (CI sets both);
//! without them the test says so and checks nothing.

use std::time::Duration;

use prost::Message as _;

use edu24_shared::testing::DropDatabases;
use edu24_tests::{Proc, browser_like_client, count, eventually, free_port, portal_login, wait_ready};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_processes_over_postgres_and_nats_serve_login_search_and_curricula_and_lose_no_event() {
    let (Ok(pg), Ok(nats)) = (std::env::var("EDU24_TEST_POSTGRES_URL"), std::env::var("EDU24_TEST_NATS_URL")) else {
        eprintln!("SKIPPED: set EDU24_TEST_POSTGRES_URL and EDU24_TEST_NATS_URL to run the cluster test");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // Dropped at the end, also if the test fails.
    let mut databases = DropDatabases::new(&pg);
    let identity_db = databases.fresh().await.unwrap();
    let catalogue_db = databases.fresh().await.unwrap();
    let curriculum_db = databases.fresh().await.unwrap();
    let (cur_grpc, cur_http) = (free_port(), free_port());
    let records_db = databases.fresh().await.unwrap();
    let (rec_grpc, rec_http) = (free_port(), free_port());
    let diploma_db = databases.fresh().await.unwrap();
    let (dip_grpc, dip_http) = (free_port(), free_port());
    let namespace = format!("t{}", uuid::Uuid::new_v4().simple());
    let (id_grpc, id_http, cat_grpc, cat_http, gw_http) =
        (free_port(), free_port(), free_port(), free_port(), free_port());
    let common = |db: &str, grpc: u16, http: u16| {
        vec![
            ("EDU24_DATABASE_URL", db.to_owned()),
            ("EDU24_NATS_URL", nats.clone()),
            ("EDU24_NATS_NAMESPACE", namespace.clone()),
            ("EDU24_GRPC_ADDR", format!("127.0.0.1:{grpc}")),
            ("EDU24_HTTP_ADDR", format!("127.0.0.1:{http}")),
            ("EDU24_IDENTITY_URL", format!("http://127.0.0.1:{id_grpc}")),
        ]
    };

    // Demo data goes into each service's own database; its events wait in the outboxes.
    Proc::run_to_end(&["seed", "identity"], &common(&identity_db, 0, 0));
    Proc::run_to_end(&["seed", "catalogue"], &common(&catalogue_db, 0, 0));
    assert_eq!(count(&catalogue_db, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").await, 617);

    let identity = Proc::start("identity", &["serve", "identity"], &common(&identity_db, id_grpc, id_http), dir.path());
    wait_ready(&format!("http://127.0.0.1:{id_http}/readyz"), 60, &identity).await;
    // catalogue first runs with its relay paused: committed events stay unpublished...
    let mut paused = common(&catalogue_db, cat_grpc, cat_http);
    paused.push(("EDU24_OUTBOX_RELAY", "paused".into()));
    let mut catalogue = Proc::start("catalogue", &["serve", "catalogue"], &paused, dir.path());
    wait_ready(&format!("http://127.0.0.1:{cat_http}/readyz"), 60, &catalogue).await;
    // curriculum's demo follows catalogue's programmes, read from the catalogue process.
    let mut seed_env = common(&curriculum_db, 0, 0);
    seed_env.push(("EDU24_CATALOGUE_URL", format!("http://127.0.0.1:{cat_grpc}")));
    Proc::run_to_end(&["seed", "curriculum"], &seed_env);
    let approved_events =
        count(&curriculum_db, "SELECT COUNT(*) FROM outbox WHERE subject = 'edu24.curriculum.curriculum.approved.v1'")
            .await;
    assert_eq!(
        approved_events, 1082,
        "one approved event per demo approval (the class of 2026 included), waiting in the outbox"
    );
    let curriculum =
        Proc::start("curriculum", &["serve", "curriculum"], &common(&curriculum_db, cur_grpc, cur_http), dir.path());
    wait_ready(&format!("http://127.0.0.1:{cur_http}/readyz"), 60, &curriculum).await;
    let mut records_env = common(&records_db, rec_grpc, rec_http);
    records_env.push(("EDU24_CATALOGUE_URL", format!("http://127.0.0.1:{cat_grpc}")));
    records_env.push(("EDU24_CURRICULUM_URL", format!("http://127.0.0.1:{cur_grpc}")));
    records_env.push(("EDU24_GRADE_LOG_KEY", "5e".repeat(32)));
    let records = Proc::start("records", &["serve", "records"], &records_env, dir.path());
    wait_ready(&format!("http://127.0.0.1:{rec_http}/readyz"), 60, &records).await;
    let mut diploma_env = common(&diploma_db, dip_grpc, dip_http);
    diploma_env.push(("EDU24_CATALOGUE_URL", format!("http://127.0.0.1:{cat_grpc}")));
    diploma_env.push(("EDU24_CURRICULUM_URL", format!("http://127.0.0.1:{cur_grpc}")));
    diploma_env.push(("EDU24_RECORDS_URL", format!("http://127.0.0.1:{rec_grpc}")));
    diploma_env.push(("EDU24_DIPLOMA_KEY", "d1".repeat(32)));
    diploma_env.push(("EDU24_PUBLIC_URL", format!("http://127.0.0.1:{gw_http}")));
    let diploma = Proc::start("diploma", &["serve", "diploma"], &diploma_env, dir.path());
    wait_ready(&format!("http://127.0.0.1:{dip_http}/readyz"), 60, &diploma).await;
    let gateway = Proc::start(
        "gateway",
        &["serve", "gateway"],
        &[
            ("EDU24_HTTP_ADDR", format!("127.0.0.1:{gw_http}")),
            ("EDU24_IDENTITY_URL", format!("http://127.0.0.1:{id_grpc}")),
            ("EDU24_CATALOGUE_URL", format!("http://127.0.0.1:{cat_grpc}")),
            ("EDU24_CURRICULUM_URL", format!("http://127.0.0.1:{cur_grpc}")),
            ("EDU24_RECORDS_URL", format!("http://127.0.0.1:{rec_grpc}")),
            ("EDU24_DIPLOMA_URL", format!("http://127.0.0.1:{dip_grpc}")),
        ],
        dir.path(),
    );
    let base = format!("http://127.0.0.1:{gw_http}");
    wait_ready(&format!("{base}/readyz"), 60, &gateway).await;

    // Search through HTTP: the portal and the API.
    let client = browser_like_client();
    let page = client.get(format!("{base}/en/institutions?q=osh+state")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("/en/institutions/oshsu"), "{html}");
    let api: serde_json::Value =
        client.get(format!("{base}/api/v1/institutions?q=manas&lang=ru")).send().await.unwrap().json().await.unwrap();
    assert_eq!(api["items"][0]["code"], "manas", "{api}");
    let knu = client.get(format!("{base}/ru/institutions/knu")).send().await.unwrap().text().await.unwrap();
    assert!(knu.contains("Кыргызский национальный университет"));

    // The public check of a diploma, answered by the diploma process through the gateway.
    let check = client.get(format!("{base}/en/verify?number=KNU-2026-000001&name=Asanova")).send().await.unwrap();
    assert_eq!(check.status(), 200);
    assert!(check.text().await.unwrap().contains("Not found"));
    let api: serde_json::Value = client
        .get(format!("{base}/api/v1/diplomas/verify?number=KNU-2026-000001&name=Asanova"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(api["outcome"], "not_found", "{api}");
    let issuer: serde_json::Value =
        client.get(format!("{base}/credentials/issuers/knu")).send().await.unwrap().json().await.unwrap();
    assert!(issuer["did"].as_str().unwrap().starts_with("did:key:z6Mk"), "{issuer}");

    // Log in through HTTP; the session and the token come from the identity process.
    let r = portal_login(&client, &base, "en", "knu.registrar", "edu24-demo").await;
    assert_eq!(r.status(), 303, "{}", gateway.log_text());
    let me = client.get(format!("{base}/en/me")).send().await.unwrap().text().await.unwrap();
    assert!(me.contains("Registrar"), "{me}");
    assert!(!me.contains("Kyrgyz National University"), "identity cannot know the name before the events arrive");
    // The registrar records blank forms through the gateway: written by the diploma process.
    let knu_id = edu24_catalogue::seed::institution_id("knu");
    let forms = client
        .get(format!("{base}/en/admin/diplomas/forms?institution={knu_id}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = edu24_tests::csrf_of(&forms);
    let r = client
        .post(format!("{base}/en/admin/diplomas/forms/receive"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("institution", knu_id.as_str()),
            ("kind", "bachelor"),
            ("series", "БД"),
            ("first_no", "1"),
            ("last_no", "10"),
            ("document_no", "Акт 1"),
            ("received_on", "2026-06-01"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", gateway.log_text());
    assert_eq!(count(&diploma_db, "SELECT COUNT(*) FROM blank_form WHERE state = 'in_stock'").await, 10);
    let r = portal_login(&browser_like_client(), &base, "en", "knu.registrar", "wrong-password").await;
    assert_eq!(r.status(), 401);

    // ...now catalogue dies between its commits and their publication (SIGKILL).
    catalogue.kill();
    assert_eq!(count(&catalogue_db, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").await, 617);
    // Started again, it publishes everything, and identity applies each event once.
    let catalogue =
        Proc::start("catalogue", &["serve", "catalogue"], &common(&catalogue_db, cat_grpc, cat_http), dir.path());
    wait_ready(&format!("http://127.0.0.1:{cat_http}/readyz"), 60, &catalogue).await;
    eventually(60, "identity receives every institution over NATS", || async {
        count(&identity_db, "SELECT COUNT(*) FROM institution_ref").await == 36
    })
    .await;
    eventually(60, "catalogue publishes its whole outbox", || async {
        count(&catalogue_db, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").await == 0
    })
    .await;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(count(&identity_db, "SELECT COUNT(*) FROM inbox").await, 36);
    // curriculum applies catalogue's institutions, classifier entries and programmes once
    // each; what its seed had written already stays as it was.
    eventually(60, "curriculum receives catalogue's events over NATS", || async {
        count(&curriculum_db, "SELECT COUNT(*) FROM inbox").await == 36 + 36 + 270
    })
    .await;
    assert_eq!(count(&curriculum_db, "SELECT COUNT(*) FROM programme_ref WHERE version = 1").await, 270);
    eventually(60, "curriculum publishes its outbox", || async {
        count(&curriculum_db, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").await == 0
    })
    .await;

    // The contract over gRPC, from the curriculum process: what KNU's law students of
    // 2026 must take; and the same plan through the gateway.
    use edu24_curriculum::CurriculumApi;
    let curriculum_rpc = edu24_curriculum::grpc::CurriculumClient::new(
        edu24_shared::grpc::channel(&format!("http://127.0.0.1:{cur_grpc}")).unwrap(),
    );
    let programme = edu24_catalogue::seed::stable_id("programme", "knu:530500:bachelor:full_time:ky");
    let req =
        curriculum_rpc.requirements(&edu24_shared::auth::CallCtx::anonymous(), &programme, 2026, None).await.unwrap();
    assert_eq!((req.total_tenths, req.semesters, req.status.as_str()), (2400, 8, "approved"));
    assert!(req.lines.len() > 60 && req.lines.iter().any(|l| l.line.code == "GE-MANAS" && l.mandatory));
    let plan = client.get(format!("{base}/en/curricula/{}", req.curriculum_id)).send().await.unwrap();
    assert_eq!(plan.status(), 200);
    assert!(plan.text().await.unwrap().contains("GE-MANAS"));
    // Its approved events reached NATS, each once, with the whole plan.
    let bus = edu24_shared::bus::NatsBus::connect_in(&nats, Some(&namespace)).await.unwrap();
    let mut sub = edu24_shared::bus::Bus::subscribe(
        &bus,
        "cluster-test-approved",
        &["edu24.curriculum.curriculum.approved.v1".to_owned()],
    )
    .await
    .unwrap();
    let mut seen = std::collections::HashSet::new();
    while seen.len() < 1082 {
        let d =
            tokio::time::timeout(Duration::from_secs(30), sub.next()).await.expect("approved events on NATS").unwrap();
        let e = edu24_proto::curriculum::v1::CurriculumApproved::decode(d.envelope.payload.as_slice()).unwrap();
        assert!(!e.requirements.unwrap().lines.is_empty());
        seen.insert(d.envelope.event_id.clone());
        d.ack().await.unwrap();
    }
    let me = client.get(format!("{base}/en/me")).send().await.unwrap().text().await.unwrap();
    assert!(me.contains("Kyrgyz National University named after Jusup Balasagyn"), "{me}");

    // Records' enrolment events over NATS fill KNU's master licence in economics (50 places,
    // 47 counted in the demo) to 49; then twelve registrars race over gRPC for the last place.
    let licence_id = edu24_catalogue::seed::stable_id("licence", "knu:580100:master:full_time");
    for (i, version) in [(1, 1), (2, 1), (1, 1)] {
        // The third is a redelivery of the first (same event id): counted once.
        let e = edu24_proto::records::v1::EnrolmentChanged {
            enrolment_id: format!("cluster-enrolment-{i}"),
            student_id: format!("cluster-student-{i}"),
            institution_id: edu24_catalogue::seed::institution_id("knu"),
            specialty_code: "580100".into(),
            level: "master".into(),
            form: "full_time".into(),
            funding: "contract".into(),
            status: "active".into(),
            effective_on: "2026-09-01".into(),
            version,
            ..Default::default()
        };
        let envelope = edu24_proto::common::v1::Envelope {
            event_id: format!("00000000-0000-7000-8000-00000000000{i}"),
            subject: edu24_catalogue::events::ENROLMENT_CHANGED.into(),
            occurred_at_ms: 0,
            actor: "system:records".into(),
            traceparent: String::new(),
            payload: prost::Message::encode_to_vec(&e),
        };
        edu24_shared::bus::Bus::publish(&bus, &envelope).await.unwrap();
    }
    let enrolled = format!("SELECT enrolled FROM licence WHERE id = '{licence_id}'");
    eventually(30, "catalogue counts the enrolments from NATS", || async {
        count(&catalogue_db, &enrolled).await == 49
    })
    .await;
    let identity_rpc = edu24_identity::grpc::IdentityClient::new(
        edu24_shared::grpc::channel(&format!("http://127.0.0.1:{id_grpc}")).unwrap(),
    );
    let catalogue_rpc = std::sync::Arc::new(edu24_catalogue::grpc::CatalogueClient::new(
        edu24_shared::grpc::channel(&format!("http://127.0.0.1:{cat_grpc}")).unwrap(),
    ));
    use edu24_catalogue::CatalogueApi;
    use edu24_identity::IdentityApi;
    let anon = edu24_shared::auth::CallCtx::anonymous();
    let login = identity_rpc
        .login(
            &anon,
            edu24_identity::domain::LoginRequest {
                login: "knu.registrar".into(),
                password: "edu24-demo".into(),
                client_address: "127.0.0.1".into(),
                user_agent: "cluster-test".into(),
            },
        )
        .await
        .unwrap();
    let token = identity_rpc.session_token(&anon, &login.session_secret).await.unwrap().token;
    let mut racers = Vec::new();
    for i in 0..12 {
        let (rpc, ctx, licence_id) =
            (catalogue_rpc.clone(), edu24_shared::auth::CallCtx::with_token(token.clone()), licence_id.clone());
        racers.push(tokio::spawn(async move {
            let req =
                edu24_catalogue::domain::HoldRequest { licence_id, seats: 1, request_id: format!("cluster-race-{i}") };
            rpc.licence_hold(&ctx, req).await.unwrap().verdict
        }));
    }
    let mut granted = 0;
    for r in racers {
        if r.await.unwrap() == edu24_catalogue::domain::HoldVerdict::Granted {
            granted += 1;
        }
    }
    assert_eq!(granted, 1, "exactly one registrar gets the last place");
    assert_eq!(
        count(&catalogue_db, &format!("SELECT enrolled + held FROM licence WHERE id = '{licence_id}'")).await,
        50
    );

    // A real admission through the records process: it asks the catalogue process for a
    // place over gRPC, and its event reaches catalogue's counters over NATS.
    use edu24_records::RecordsApi;
    let records_rpc = edu24_records::grpc::RecordsClient::new(
        edu24_shared::grpc::channel(&format!("http://127.0.0.1:{rec_grpc}")).unwrap(),
    );
    let registrar = edu24_shared::auth::CallCtx::with_token(token.clone());
    let knu = edu24_catalogue::seed::institution_id("knu");
    let person = records_rpc
        .person_create(
            &registrar,
            edu24_records::domain::PersonInput {
                pin: "21503200577777".into(),
                name: edu24_records::domain::PersonName {
                    family: "Кластеров".into(),
                    given: "Эмиль".into(),
                    patronymic: String::new(),
                },
                birth_date: "2005-03-15".into(),
                institution_id: knu.clone(),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .person
        .unwrap();
    let law_licence = edu24_catalogue::seed::stable_id("licence", "knu:530500:bachelor:full_time");
    let law_enrolled = format!("SELECT enrolled FROM licence WHERE id = '{law_licence}'");
    let before = count(&catalogue_db, &law_enrolled).await;
    let (_, enrolment) = records_rpc
        .order_issue(
            &registrar,
            edu24_records::domain::OrderInput {
                kind: "admission".into(),
                institution_id: knu.clone(),
                person_id: person.id,
                programme_id: edu24_catalogue::seed::stable_id("programme", "knu:530500:bachelor:full_time:ky"),
                intake_year: 2026,
                study_group: "ЮР-26-1".into(),
                funding: "contract".into(),
                number: "1-к".into(),
                signed_on: "2026-08-25".into(),
                effective_on: "2026-09-01".into(),
                signatory: "Ректор".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(enrolment.licence_id, law_licence);
    eventually(30, "catalogue counts the admission from records over NATS", || async {
        count(&catalogue_db, &law_enrolled).await == before + 1
    })
    .await;

    // A grade sheet across the processes: records reads the approved plan from the
    // curriculum process, the teacher's token comes from the identity process, and the
    // closing is published on NATS.
    use edu24_records::grading::*;
    let teacher_login = identity_rpc
        .login(
            &anon,
            edu24_identity::domain::LoginRequest {
                login: "knu.teacher".into(),
                password: "edu24-demo".into(),
                client_address: "127.0.0.1".into(),
                user_agent: "cluster-test".into(),
            },
        )
        .await
        .unwrap();
    let teacher_ctx = edu24_shared::auth::CallCtx::with_token(
        identity_rpc.session_token(&anon, &teacher_login.session_secret).await.unwrap().token,
    );
    let teacher_account = identity_rpc.me(&teacher_ctx).await.unwrap().id;
    let knu = edu24_catalogue::seed::institution_id("knu");
    let kasymov = records_rpc
        .teacher_create(
            &registrar,
            &knu,
            TeacherInput {
                person: edu24_records::domain::PersonInput {
                    pin: "20207197800123".into(),
                    name: edu24_records::domain::PersonName {
                        family: "Касымов".into(),
                        given: "Эрлан".into(),
                        patronymic: String::new(),
                    },
                    birth_date: "1978-07-02".into(),
                    ..Default::default()
                },
                department: "Кафедра теории государства и права".into(),
                degree: "candidate".into(),
                title: "docent".into(),
            },
        )
        .await
        .unwrap();
    records_rpc.account_link(&registrar, &knu, &kasymov.person_id, Some(&teacher_account)).await.unwrap();
    let assignment = records_rpc
        .assignment_create(
            &registrar,
            AssignmentInput {
                institution_id: knu.clone(),
                programme_id: edu24_catalogue::seed::stable_id("programme", "knu:530500:bachelor:full_time:ky"),
                intake_year: 2026,
                line_code: "LAW-TSL".into(),
                semester: 1,
                study_group: "ЮР-26-1".into(),
                teacher_id: kasymov.id.clone(),
            },
        )
        .await
        .unwrap();
    assert_eq!(assignment.credits_tenths, 40, "the course as the curriculum process approved it");
    let today = edu24_records::domain::today().to_string();
    let sheet = records_rpc.sheet_open(&teacher_ctx, &assignment.id, SheetKind::Regular, &today).await.unwrap();
    assert_eq!(sheet.entries.len(), 1);
    let value = EntryValue { score: Some(93), absent: false, attendance: Some(100) };
    let saved = records_rpc
        .sheet_save(
            &teacher_ctx,
            &sheet.id,
            sheet.version,
            vec![EntryInput { enrolment_id: enrolment.id.clone(), value }],
        )
        .await
        .unwrap();
    let submitted = records_rpc.sheet_submit(&teacher_ctx, &sheet.id, saved.version).await.unwrap();
    let closed = records_rpc.sheet_close(&registrar, &sheet.id, submitted.version, false).await.unwrap();
    assert_eq!(closed.state, SheetState::Closed);
    assert_eq!(records_rpc.transcript(&registrar, &enrolment.id).await.unwrap().gpa, Some(367));
    let published =
        "SELECT COUNT(*) FROM outbox WHERE subject = 'edu24.records.sheet.closed.v1' AND sent_at IS NOT NULL";
    eventually(30, "the closing is published on NATS", || async { count(&records_db, published).await == 1 }).await;
    assert!(records_rpc.log_check(&registrar, &knu).await.unwrap().intact());

    // The gateway reached the services only over gRPC: stop identity, and logins fail
    // with a translated "unavailable" page rather than a crash; readiness says why.
    drop(identity);
    let r = client.get(format!("{base}/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 503);
    assert!(r.text().await.unwrap().contains("identity"));
    let r = portal_login(&browser_like_client(), &base, "ru", "knu.registrar", "edu24-demo").await;
    assert_eq!(r.status(), 503);
    assert!(r.text().await.unwrap().contains("Временно недоступно"));

    drop((gateway, catalogue, curriculum, records));
    drop(diploma);
    drop(databases);
}

//! Nothing lost, nothing doubled: `edu24 run` is killed with SIGKILL at many moments
//! of its first start (migrating, seeding, publishing from the outboxes, consuming),
//! started again each time, and in the end every service holds exactly what one clean
//! start would have produced.

use std::time::Duration;

use edu24_tests::{Proc, count, eventually, free_port, wait_ready};

/// Kill delays in milliseconds after start: a fixed spread so that runs are
/// comparable, covering start-up, the seed transaction, the relays and the consumer.
/// The later ones cut into the curriculum seed (one transaction), the publication of
/// its events, and the records seed (one transaction per institution, places held first).
const KILL_AFTER_MS: &[u64] =
    &[5, 40, 80, 100, 115, 130, 145, 160, 175, 190, 210, 240, 280, 400, 900, 1800, 3000, 4500, 7000, 10_000, 11_500];

/// Counts that must come out the same after any number of kills as after one clean start.
const SAME_AS_CLEAN: &[(&str, &str)] = &[
    ("catalogue", "SELECT COUNT(*) FROM outbox"),
    ("curriculum", "SELECT COUNT(*) FROM curriculum"),
    ("curriculum", "SELECT COUNT(*) FROM curriculum WHERE status = 'approved'"),
    ("curriculum", "SELECT COUNT(*) FROM curriculum WHERE status = 'superseded'"),
    ("curriculum", "SELECT COUNT(*) FROM curriculum_line"),
    ("curriculum", "SELECT COUNT(*) FROM standard"),
    ("curriculum", "SELECT COUNT(*) FROM national_course"),
    ("curriculum", "SELECT COUNT(*) FROM outbox"),
    ("curriculum", "SELECT COUNT(*) FROM delegation"),
    ("curriculum", "SELECT COALESCE(SUM(revision), 0) FROM curriculum"),
    ("curriculum", "SELECT COUNT(*) FROM programme_ref"),
    ("curriculum", "SELECT COUNT(*) FROM specialty_ref"),
    ("curriculum", "SELECT COUNT(*) FROM institution_ref WHERE version = 1"),
    ("curriculum", "SELECT COUNT(*) FROM inbox"),
    ("bus", "SELECT COUNT(*) FROM bus_message"),
    ("records", "SELECT COUNT(*) FROM person"),
    ("records", "SELECT COUNT(*) FROM enrolment"),
    ("records", "SELECT COUNT(*) FROM student_order"),
    ("records", "SELECT COUNT(*) FROM enrolment_span"),
    ("records", "SELECT COUNT(*) FROM teacher"),
    ("records", "SELECT COUNT(*) FROM assignment"),
    ("records", "SELECT COUNT(*) FROM sheet"),
    ("records", "SELECT COUNT(*) FROM sheet_entry"),
    ("records", "SELECT COUNT(*) FROM grade"),
    ("records", "SELECT COUNT(*) FROM grade_log"),
    ("records", "SELECT COALESCE(SUM(gpa), 0) FROM enrolment_gpa"),
    ("records", "SELECT COUNT(*) FROM outbox"),
    ("catalogue", "SELECT SUM(enrolled) FROM licence"),
];

async fn settled(data: &std::path::Path) {
    let sqlite = |name: &str| format!("sqlite://{}?mode=ro", data.join(format!("{name}.sqlite")).display());
    eventually(90, "every outbox is published and every event consumed", || async {
        let mut pending = 0;
        for s in ["identity", "catalogue", "curriculum", "records"] {
            pending += count(&sqlite(s), "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").await;
        }
        pending == 0
            && count(&sqlite("identity"), "SELECT COUNT(*) FROM institution_ref").await == 36
            && count(&sqlite("curriculum"), "SELECT COUNT(*) FROM programme_ref").await == 270
            && count(&sqlite("curriculum"), "SELECT COUNT(*) FROM inbox").await
                == count(
                    &sqlite("bus"),
                    "SELECT COUNT(*) FROM bus_message WHERE subject IN ('edu24.catalogue.institution.changed.v1', \
                     'edu24.catalogue.specialty.changed.v1', 'edu24.catalogue.programme.changed.v1')",
                )
                .await
            && count(&sqlite("catalogue"), "SELECT COUNT(*) FROM inbox WHERE consumer = 'catalogue-enrolments'").await
                == count(
                    &sqlite("bus"),
                    "SELECT COUNT(*) FROM bus_message WHERE subject = 'edu24.records.enrolment.changed.v1'",
                )
                .await
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_embedded_node_at_any_moment_loses_and_doubles_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let port = free_port();
    let env = vec![("EDU24_DATA_DIR", data.display().to_string()), ("EDU24_HTTP_ADDR", format!("127.0.0.1:{port}"))];
    for (i, ms) in KILL_AFTER_MS.iter().enumerate() {
        let mut p = Proc::start(&format!("run-{i}"), &["run"], &env, dir.path());
        tokio::time::sleep(Duration::from_millis(*ms)).await;
        p.kill();
    }
    let p = Proc::start("run-final", &["run"], &env, dir.path());
    let base = format!("http://127.0.0.1:{port}");
    wait_ready(&format!("{base}/readyz"), 60, &p).await;

    let sqlite = |name: &str| format!("sqlite://{}?mode=ro", data.join(format!("{name}.sqlite")).display());
    let (catalogue, identity, bus) = (sqlite("catalogue"), sqlite("identity"), sqlite("bus"));
    settled(&data).await;
    // Give the consumer time to (wrongly) apply anything twice before counting.
    tokio::time::sleep(Duration::from_millis(1500)).await;

    // The seed is one transaction: all of it, once.
    assert_eq!(count(&catalogue, "SELECT COUNT(*) FROM institution").await, 36);
    assert_eq!(count(&catalogue, "SELECT COUNT(*) FROM programme").await, 270);
    assert_eq!(count(&catalogue, "SELECT COUNT(*) FROM licence").await, 247);
    assert_eq!(
        count(&catalogue, "SELECT COUNT(*) FROM outbox").await,
        617,
        "one event per seeded change (36 institutions, 270 programmes, 247 licences, 28 accreditations) and the classifier's 36 entries once"
    );
    assert_eq!(count(&identity, "SELECT COUNT(*) FROM account").await, 8, "all demo accounts or none");
    // Every event is on the bus exactly once, however often the relay was cut off.
    let outboxes = count(&catalogue, "SELECT COUNT(*) FROM outbox").await
        + count(&identity, "SELECT COUNT(*) FROM outbox").await
        + count(&sqlite("curriculum"), "SELECT COUNT(*) FROM outbox").await
        + count(&sqlite("records"), "SELECT COUNT(*) FROM outbox").await;
    assert_eq!(count(&bus, "SELECT COUNT(*) FROM bus_message").await, outboxes);
    assert_eq!(count(&bus, "SELECT COUNT(DISTINCT event_id) FROM bus_message").await, outboxes);
    // Curriculum applied each of catalogue's events once, and its audit chain is intact.
    let curriculum = sqlite("curriculum");
    assert_eq!(count(&curriculum, "SELECT COUNT(*) FROM programme_ref WHERE version = 1").await, 270);
    let db = edu24_shared::db::Db::connect(&curriculum).await.unwrap();
    assert!(edu24_shared::audit::audit_verify(&db).await.unwrap().is_ok());

    // Everything matches one clean start of the same binary.
    let clean_dir = tempfile::tempdir().unwrap();
    let clean_data = clean_dir.path().join("data");
    let clean_port = free_port();
    let clean_env = vec![
        ("EDU24_DATA_DIR", clean_data.display().to_string()),
        ("EDU24_HTTP_ADDR", format!("127.0.0.1:{clean_port}")),
    ];
    let clean = Proc::start("clean", &["run"], &clean_env, clean_dir.path());
    wait_ready(&format!("http://127.0.0.1:{clean_port}/readyz"), 90, &clean).await;
    settled(&clean_data).await;
    let clean_db = |name: &str| format!("sqlite://{}?mode=ro", clean_data.join(format!("{name}.sqlite")).display());
    for (service, sql) in SAME_AS_CLEAN {
        assert_eq!(count(&sqlite(service), sql).await, count(&clean_db(service), sql).await, "{service}: {sql}");
    }
    drop(clean);
    // The consumer applied each institution event exactly once.
    assert_eq!(count(&identity, "SELECT COUNT(*) FROM inbox WHERE consumer = 'identity-institutions'").await, 36);
    assert_eq!(count(&identity, "SELECT COUNT(*) FROM institution_ref WHERE version = 1").await, 36);
    // The audit chain survived every kill intact.
    let db = edu24_shared::db::Db::connect(&identity).await.unwrap();
    let n = edu24_identity::audit::audit_verify(&db).await.unwrap().expect("audit chain intact");
    assert_eq!(n, 16, "8 accounts created and 8 roles granted");

    // And the node serves: a demo login works after all that.
    let client = edu24_tests::browser_like_client();
    let r = edu24_tests::portal_login(&client, &base, "en", "knu.registrar", "edu24-demo").await;
    assert_eq!(r.status(), 303, "{}", p.log_text());
}

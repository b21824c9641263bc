//! Nothing lost, nothing doubled in issuance: `edu24 run` is killed with SIGKILL while
//! the registrar issues a group's diplomas, at several moments (before, inside and after
//! the diploma transaction, while records gives the graduation orders); started again
//! it finishes the issuance, and the registrar's repeated request changes nothing. In the
//! end every eligible student has one valid diploma, one blank form used and one
//! graduation order.

use std::time::Duration;

use edu24_tests::{Proc, browser_like_client, count, csrf_of, free_port, portal_login, wait_ready};

/// Kill moments after the request is sent; `None`: when the diplomas are written and
/// records' orders not yet asked for (held there by the `diploma-before-orders` fault
/// injection point, so that the moment is hit every time).
const KILL_AFTER_MS: &[Option<u64>] = &[Some(150), Some(600), None];

fn between<'a>(s: &'a str, start: &str, end: &str) -> &'a str {
    let i = s.find(start).map(|i| i + start.len()).unwrap_or(s.len());
    let rest = &s[i..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_node_during_an_issuance_loses_and_doubles_nothing() {
    for (round, ms) in KILL_AFTER_MS.iter().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let port = free_port();
        let env =
            vec![("EDU24_DATA_DIR", data.display().to_string()), ("EDU24_HTTP_ADDR", format!("127.0.0.1:{port}"))];
        let mut first_env = env.clone();
        if ms.is_none() {
            first_env.push(("EDU24_FAILPOINT", "diploma-before-orders".to_owned()));
        }
        let base = format!("http://127.0.0.1:{port}");
        let mut p = Proc::start(&format!("issue-{round}"), &["run"], &first_env, dir.path());
        wait_ready(&format!("{base}/readyz"), 90, &p).await;
        let client = browser_like_client();
        assert_eq!(portal_login(&client, &base, "en", "knu.registrar", "edu24-demo").await.status(), 303);
        let register = client.get(format!("{base}/en/admin/diplomas")).send().await.unwrap().text().await.unwrap();
        let link = register
            .split("href=\"")
            .find(|s| s.starts_with("/en/admin/diplomas/group?") && s.contains("%D0%AE%D0%A0-22-1"))
            .map(|s| s.split('"').next().unwrap().replace("&amp;", "&"))
            .expect("the class of 2026 is listed");
        let group = client.get(format!("{base}{link}")).send().await.unwrap().text().await.unwrap();
        let eligible = group.matches("may be awarded</span>").count() as i64;
        assert!(eligible > 0, "someone may be awarded");
        let csrf = csrf_of(&group);
        let field = |name: &str| between(&group, &format!("name=\"{name}\" value=\""), "\"").to_owned();
        let (inst, programme, request) = (field("institution"), field("programme"), field("request"));
        for (kind, series, last) in [("bachelor", "БД", "150"), ("bachelor_honours", "БК", "50")] {
            let r = client
                .post(format!("{base}/en/admin/diplomas/forms/receive"))
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("institution", inst.as_str()),
                    ("kind", kind),
                    ("series", series),
                    ("first_no", "1"),
                    ("last_no", last),
                    ("document_no", "Акт 1"),
                    ("received_on", "2026-06-01"),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
        }
        let issue = [
            ("csrf", csrf.clone()),
            ("institution", inst.clone()),
            ("programme", programme.clone()),
            ("group", "ЮР-22-1".to_owned()),
            ("request", request.clone()),
            ("order_no", "Б-214".to_owned()),
            ("order_signed_on", "2026-06-28".to_owned()),
            ("signatory", "Ректор Жоробекова Ж. Ж.".to_owned()),
            ("issued_on", "2026-06-30".to_owned()),
            ("series", String::new()),
        ];
        let c2 = client.clone();
        let url = format!("{base}/en/admin/diplomas/issue");
        let form = issue.clone();
        let pending = tokio::spawn(async move { c2.post(url).form(&form).send().await.map(|r| r.status()) });
        match ms {
            Some(ms) => tokio::time::sleep(Duration::from_millis(*ms)).await,
            None => {
                let deadline = std::time::Instant::now() + Duration::from_secs(60);
                while !p.log_text().contains("diplomas written; asking records") {
                    assert!(std::time::Instant::now() < deadline, "{}", p.log_text());
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
        }
        p.kill();
        let _ = pending.await;

        // Started again: the interrupted issuance is finished before serving.
        let mut p = Proc::start(&format!("issue-{round}-again"), &["run"], &env, dir.path());
        wait_ready(&format!("{base}/readyz"), 90, &p).await;
        let resumed = p.log_text().contains("finished interrupted diploma issuances");
        eprintln!("round {round}: killed {ms:?} ms into the issuance; finished at the restart: {resumed}");
        if ms.is_none() {
            assert!(resumed, "the issuance cut between its two steps is finished at the start");
        }
        let client = browser_like_client();
        assert_eq!(portal_login(&client, &base, "en", "knu.registrar", "edu24-demo").await.status(), 303);
        let forms = format!("{base}/en/admin/diplomas/forms?institution={inst}");
        let page = client.get(forms).send().await.unwrap().text().await.unwrap();
        let csrf = csrf_of(&page);
        let mut again = issue.clone();
        again[0].1 = csrf;
        // The registrar repeats the same request (or makes it, if the first never arrived).
        let r = client.post(format!("{base}/en/admin/diplomas/issue")).form(&again).send().await.unwrap();
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
        p.terminate();

        let db = |name: &str| format!("sqlite://{}?mode=ro", data.join(format!("{name}.sqlite")).display());
        let (diploma, records) = (db("diploma"), db("records"));
        assert_eq!(
            count(&diploma, "SELECT COUNT(*) FROM diploma WHERE state = 'valid'").await,
            eligible,
            "round {round}"
        );
        assert_eq!(count(&diploma, "SELECT COUNT(*) FROM diploma WHERE state = 'pending'").await, 0);
        assert_eq!(count(&diploma, "SELECT COUNT(DISTINCT enrolment_id) FROM diploma").await, eligible);
        assert_eq!(count(&diploma, "SELECT COUNT(*) FROM issuance").await, 1, "one issuance for one request");
        assert_eq!(count(&diploma, "SELECT COUNT(*) FROM issuance WHERE state = 'done'").await, 1);
        assert_eq!(count(&diploma, "SELECT COUNT(*) FROM blank_form WHERE state = 'used'").await, eligible);
        assert_eq!(count(&diploma, "SELECT COUNT(*) FROM blank_form WHERE state = 'in_stock'").await, 200 - eligible);
        assert_eq!(count(&diploma, "SELECT COUNT(*) FROM blank_move WHERE action = 'used'").await, eligible);
        assert_eq!(
            count(&diploma, "SELECT COUNT(*) FROM outbox WHERE subject = 'edu24.diploma.diploma.issued.v1'").await,
            eligible
        );
        assert_eq!(
            count(&records, "SELECT COUNT(*) FROM order_request WHERE request_id LIKE 'diploma:%'").await,
            eligible
        );
        assert_eq!(
            count(&records, "SELECT COUNT(*) FROM student_order WHERE kind = 'graduation' AND number = 'Б-214'").await,
            eligible
        );
        assert_eq!(
            count(&records, "SELECT COUNT(*) FROM enrolment WHERE status = 'graduated' AND intake_year = 2022 AND study_group = 'ЮР-22-1'")
                .await,
            eligible
        );
    }
}

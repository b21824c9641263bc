//! Issuing accounts from a roster through the portal, in process and as a real process
//! killed (SIGKILL) in the middle of an issuance and started again.

use std::time::Duration;

use edu24_gateway::node::Embedded;
use edu24_tests::{Proc, browser_like_client, count, csrf_of, eventually, free_port, portal_login, wait_ready};

fn roster(n: usize) -> String {
    let letters = ['а', 'б', 'в', 'г', 'д', 'е', 'ж', 'з', 'и', 'к'];
    let mut s = String::from("PIN,Surname,Given name,Patronymic,Student ticket,Programme,Year\n");
    for i in 0..n {
        let suffix: String = i.to_string().chars().map(|d| letters[d.to_digit(10).unwrap() as usize]).collect();
        s.push_str(&format!("1010120{:07},Асанов{suffix},Бакыт,,KNU26{:05},710100 Информатика,1\n", i, i));
    }
    s
}

async fn upload(c: &reqwest::Client, base: &str, csv: String) -> reqwest::Response {
    let page = c.get(format!("{base}/en/admin/issuance")).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&page);
    let marker = "name=\"institution_id\" required><option value=\"";
    let start = page.find(marker).expect("an institution to choose") + marker.len();
    let inst = page[start..start + page[start..].find('"').unwrap()].to_owned();
    let form = reqwest::multipart::Form::new().text("csrf", csrf).text("institution_id", inst).part(
        "roster",
        reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("group.csv").mime_str("text/csv").unwrap(),
    );
    c.post(format!("{base}/en/admin/issuance")).multipart(form).send().await.unwrap()
}

async fn start(c: &reqwest::Client, base: &str, preview: &str) -> String {
    let marker = "name=\"upload_id\" value=\"";
    let i = preview.find(marker).expect("a confirm form") + marker.len();
    let upload_id = &preview[i..i + preview[i..].find('"').unwrap()];
    let r = c
        .post(format!("{base}/en/admin/issuance/start"))
        .form(&[("csrf", csrf_of(preview).as_str()), ("upload_id", upload_id)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    r.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registrar_issues_a_group_and_prints_the_cards() {
    let dir = tempfile::tempdir().unwrap();
    let node = Embedded::start(dir.path(), "127.0.0.1:0".parse().unwrap(), true).await.unwrap();
    let base = format!("http://{}", node.addr);
    let c = browser_like_client();
    portal_login(&c, &base, "en", "knu.registrar", "edu24-demo").await;

    // One bad row among good ones: nothing is issued, every problem listed.
    let bad = format!("{}1010120xx00000,Асанов,Бакыт,,KNU2699999,X,9\n", roster(5));
    let r = upload(&c, &base, bad).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("Nothing was issued: 2 problems"), "{page}");
    assert!(page.contains("A PIN has 14 digits") && page.contains("The year of study is a number"));
    assert!(!page.contains("upload_id"));

    // A good roster: preview, confirm, progress, cards, close.
    let r = upload(&c, &base, roster(20)).await;
    assert_eq!(r.status(), 200);
    let preview = r.text().await.unwrap();
    assert!(preview.contains("20 accounts will be issued"));
    assert!(preview.contains("knu2600003"), "the sample cards show logins");
    let job = start(&c, &base, &preview).await;
    let mut done = false;
    for _ in 0..200 {
        let r = c.get(format!("{base}{job}")).send().await.unwrap();
        let refresh = r.headers().get("refresh").is_some();
        let page = r.text().await.unwrap();
        if page.contains("All accounts are issued") {
            assert!(!refresh, "a finished page stops refreshing");
            assert!(page.contains("20 of 20 accounts issued"));
            done = true;
            break;
        }
        assert!(refresh, "a running issuance page refreshes itself");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(done);
    let r = c.get(format!("{base}{job}/cards.pdf")).send().await.unwrap();
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let pdf = r.bytes().await.unwrap();
    assert!(String::from_utf8_lossy(&pdf).contains("/Count 3"), "20 cards on 3 pages");
    // The same roster again issues nothing new.
    let again = upload(&c, &base, roster(20)).await.text().await.unwrap();
    assert!(again.contains("already has an account (20)"), "{again}");
    // Close: the cards are gone for good.
    let page = c.get(format!("{base}{job}")).send().await.unwrap().text().await.unwrap();
    let r = c.post(format!("{base}{job}/close")).form(&[("csrf", csrf_of(&page))]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(c.get(format!("{base}{job}/cards.pdf")).send().await.unwrap().status(), 409);
    // Someone else's registrar cannot see it.
    let other = browser_like_client();
    portal_login(&other, &base, "en", "oshsu.registrar", "edu24-demo").await;
    assert_eq!(other.get(format!("{base}{job}")).send().await.unwrap().status(), 404);
    node.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_issuance_killed_midway_finishes_after_a_restart_without_doubles() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let port = free_port();
    let env = vec![("EDU24_DATA_DIR", data.display().to_string()), ("EDU24_HTTP_ADDR", format!("127.0.0.1:{port}"))];
    let base = format!("http://127.0.0.1:{port}");
    let mut p = Proc::start("run-1", &["run"], &env, dir.path());
    wait_ready(&format!("{base}/readyz"), 60, &p).await;
    let c = browser_like_client();
    portal_login(&c, &base, "en", "knu.registrar", "edu24-demo").await;
    let preview = upload(&c, &base, roster(240)).await.text().await.unwrap();
    let job = start(&c, &base, &preview).await;
    let identity = format!("sqlite://{}?mode=ro", data.join("identity.sqlite").display());
    // Kill it once some batches have committed, before the end.
    eventually(60, "some accounts issued", || async { count(&identity, "SELECT done FROM issuance_job").await >= 32 })
        .await;
    let done_before = count(&identity, "SELECT done FROM issuance_job").await;
    p.kill();
    assert!(done_before < 240, "killed midway ({done_before} of 240)");

    let _p = Proc::start("run-2", &["run"], &env, dir.path());
    wait_ready(&format!("{base}/readyz"), 60, &_p).await;
    eventually(120, "the issuance finishes after the restart", || async {
        count(&identity, "SELECT COUNT(*) FROM issuance_job WHERE state = 'done'").await == 1
    })
    .await;
    assert_eq!(count(&identity, "SELECT done FROM issuance_job").await, 240);
    assert_eq!(count(&identity, "SELECT COUNT(*) FROM account WHERE login LIKE 'knu26%'").await, 240, "no doubles");
    assert_eq!(count(&identity, "SELECT COUNT(*) FROM roster_entry").await, 240);
    assert_eq!(count(&identity, "SELECT COUNT(*) FROM issuance_row WHERE account_id IS NULL").await, 0);
    assert_eq!(count(&identity, "SELECT COUNT(*) FROM audit_log WHERE action = 'account.issued'").await, 240);
    let db = edu24_shared::db::Db::connect(&identity).await.unwrap();
    assert!(edu24_identity::audit::audit_verify(&db).await.unwrap().is_ok(), "audit chain intact");
    // The session survived the restart; the cards of every row print.
    let r = c.get(format!("{base}{job}/cards.pdf")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(String::from_utf8_lossy(&r.bytes().await.unwrap()).contains("/Count 30"));
}

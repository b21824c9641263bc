//! The records REST API against an embedded node with the demo data, as a program calls
//! it: a registrar turns their portal session into a bearer token, pages the
//! institution's students, reads a student's file, a term's grades, the transcript and
//! the GPA ranking, and closes the submitted sheet (refused until the attendance flags
//! are confirmed, then refused again once closed). Other institutions' records, other
//! students' transcripts and calls without a token are refused; bad parameters get a
//! problem naming the parameter. The sheet prints as a PDF.

use edu24_gateway::node::Embedded;
use edu24_records::RecordsApi;
use edu24_records::grading::{SheetQuery, SheetState};
use edu24_shared::auth::CallCtx;
use edu24_tests::{browser_like_client, portal_login};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn node() -> (Embedded, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let node = Embedded::start(dir.path(), "127.0.0.1:0".parse().unwrap(), true).await.unwrap();
    let base = format!("http://{}", node.addr);
    (node, base, dir)
}

/// A bearer token for `login`, from its portal session.
async fn token(base: &str, login: &str) -> (String, reqwest::Client) {
    let c = browser_like_client();
    let r = portal_login(&c, base, "en", login, "edu24-demo").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{login} logs in");
    let r = c.post(format!("{base}/api/v1/session/token")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["cache-control"], "private, no-store");
    let v: Value = r.json().await.unwrap();
    let t = v["token"].as_str().unwrap().to_owned();
    assert!(v["expires_at_ms"].as_i64().unwrap() > edu24_shared::time::now_ms());
    (t, c)
}

async fn get(base: &str, token: &str, path: &str) -> (StatusCode, Value) {
    let r = reqwest::Client::new().get(format!("{base}{path}")).bearer_auth(token).send().await.unwrap();
    let status = r.status();
    let v = r.json().await.unwrap_or(Value::Null);
    (status, v)
}

fn knu() -> String {
    edu24_catalogue::seed::institution_id("knu")
}

#[tokio::test]
async fn a_program_reads_the_student_body_and_closes_a_sheet_with_a_token_and_nothing_more() {
    let (node, base, _dir) = node().await;
    let (registrar, _) = token(&base, "knu.registrar").await;
    let (osh, _) = token(&base, "oshsu.registrar").await;
    let (student, _) = token(&base, "knu.student").await;
    let knu = knu();

    // No token, a bad token: refused.
    let r = reqwest::Client::new().get(format!("{base}/api/v1/records/institutions/{knu}/students")).send().await;
    let r = r.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let (s, _) = get(&base, "not-a-token", &format!("/api/v1/records/institutions/{knu}/students")).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);

    // Pages of students: 50 by default, every page different, all of the institution.
    let (s, p1) = get(&base, &registrar, &format!("/api/v1/records/institutions/{knu}/students")).await;
    assert_eq!(s, StatusCode::OK, "{p1}");
    let total = p1["total"].as_u64().unwrap();
    assert!(total > 50, "the demo KNU has more than one page of students: {total}");
    let items = p1["items"].as_array().unwrap();
    assert_eq!(items.len(), 50);
    assert!(items.iter().all(|i| i["enrolment"]["institution_id"] == knu.as_str()));
    let (_, p2) =
        get(&base, &registrar, &format!("/api/v1/records/institutions/{knu}/students?page=2&per_page=50")).await;
    let first: Vec<&Value> = items.iter().map(|i| &i["enrolment"]["id"]).collect();
    assert!(p2["items"].as_array().unwrap().iter().all(|i| !first.contains(&&i["enrolment"]["id"])));
    let (s, bad) = get(&base, &registrar, &format!("/api/v1/records/institutions/{knu}/students?per_page=0")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(bad["parameter"], "per_page", "{bad}");
    let (s, bad) = get(&base, &registrar, &format!("/api/v1/records/institutions/{knu}/students?status=asleep")).await;
    assert_eq!((s, bad["parameter"].as_str()), (StatusCode::BAD_REQUEST, Some("status")));

    // Search finds the demo student by family name; their file, grades and transcript.
    let (_, found) =
        get(&base, &registrar, &format!("/api/v1/records/institutions/{knu}/students?q=%D0%A2%D0%BE%D0%BA%D1%82%D0%BE%D1%81%D1%83%D0%BD%D0%BE%D0%B2%D0%B0")).await;
    let aiperi = found["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"]["given"] == "Айпери")
        .unwrap_or_else(|| panic!("Токтосунова Айпери is found: {found}"))
        .clone();
    let enrolment = aiperi["enrolment"]["id"].as_str().unwrap().to_owned();
    let person = aiperi["enrolment"]["person_id"].as_str().unwrap().to_owned();
    let (s, file) = get(&base, &registrar, &format!("/api/v1/records/persons/{person}")).await;
    assert_eq!(s, StatusCode::OK, "{file}");
    assert!(!file["orders"].as_array().unwrap().is_empty(), "the admission order is in the file: {file}");
    let (s, term) = get(&base, &registrar, &format!("/api/v1/records/enrolments/{enrolment}/grades?semester=1")).await;
    assert_eq!(s, StatusCode::OK, "{term}");
    let term = term.as_array().unwrap();
    assert!(!term.is_empty(), "the 2025 intake's first semester is graded");
    assert!(term.iter().all(|l| l["semester"] == 1));
    let (s, _) = get(&base, &registrar, &format!("/api/v1/records/enrolments/{enrolment}/grades")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "the semester is required");
    let (s, tr) = get(&base, &registrar, &format!("/api/v1/records/enrolments/{enrolment}/transcript")).await;
    assert_eq!(s, StatusCode::OK, "{tr}");
    let lines = tr["lines"].as_array().unwrap();
    assert!(lines.len() >= term.len());
    // The student reads their own transcript and nobody else's.
    let (s, own) = get(&base, &student, &format!("/api/v1/records/enrolments/{enrolment}/transcript")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(own, tr, "the student sees what the registrar sees");
    let other = first.iter().find(|e| e.as_str() != Some(enrolment.as_str())).unwrap().as_str().unwrap();
    let (s, _) = get(&base, &student, &format!("/api/v1/records/enrolments/{other}/transcript")).await;
    assert!(matches!(s, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN), "{s}");

    // The ranking: by GPA, highest first, ranks 1, 2, 3...
    let (s, rank) = get(&base, &registrar, &format!("/api/v1/records/institutions/{knu}/ranking?per_page=20")).await;
    assert_eq!(s, StatusCode::OK, "{rank}");
    let rows = rank["items"].as_array().unwrap();
    assert!(rows.len() > 1);
    for (i, w) in rows.windows(2).enumerate() {
        assert!(w[0]["gpa"].as_i64() >= w[1]["gpa"].as_i64(), "sorted by GPA");
        assert_eq!(w[0]["rank"].as_u64(), Some(i as u64 + 1));
    }

    // Another institution's registrar sees none of it.
    let (s, _) = get(&base, &osh, &format!("/api/v1/records/institutions/{knu}/students")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = get(&base, &osh, &format!("/api/v1/records/institutions/{knu}/ranking")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = get(&base, &osh, &format!("/api/v1/records/persons/{person}")).await;
    assert!(matches!(s, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN), "{s}");

    // The demo teacher's submitted sheet: read, refused until the flag is confirmed, closed.
    let sys = CallCtx::with_token(node.identity.system_token(
        "api-test",
        vec![edu24_shared::auth::RoleGrant { role: edu24_shared::auth::Role::MinistryAdmin, inst: None }],
        600,
    ));
    let submitted = node
        .records
        .sheets(
            &sys,
            &SheetQuery {
                institution_id: knu.clone(),
                state: Some(SheetState::Submitted),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let sid = submitted.first().expect("the demo has a submitted sheet").id.clone();
    let (s, sheet) = get(&base, &registrar, &format!("/api/v1/records/sheets/{sid}")).await;
    assert_eq!(s, StatusCode::OK, "{sheet}");
    assert_eq!(sheet["state"], "submitted");
    let version = sheet["version"].as_i64().unwrap();
    let close = |body: Value, bearer: Option<&str>| {
        let mut rq = reqwest::Client::new().post(format!("{base}/api/v1/records/sheets/{sid}/close")).json(&body);
        if let Some(t) = bearer {
            rq = rq.bearer_auth(t);
        }
        rq.send()
    };
    let r = close(json!({ "version": version }), Some(&registrar)).await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let p: Value = r.json().await.unwrap();
    assert!(p["detail"].as_str().unwrap().contains("flags_unconfirmed"), "{p}");
    let r = close(json!({ "version": version, "confirm_flags": true }), Some(&osh)).await.unwrap();
    assert!(matches!(r.status(), StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{}", r.status());
    let r = close(json!({ "version": version, "confirm_flags": true }), None).await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "a POST needs the token, not only a cookie");
    let r = close(json!({ "nonsense": 1 }), Some(&registrar)).await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = close(json!({ "version": version, "confirm_flags": true }), Some(&registrar)).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let closed: Value = r.json().await.unwrap();
    assert_eq!(closed["state"], "closed");
    assert_eq!(closed["digest"].as_str().unwrap().len(), 64);
    let r = close(json!({ "version": closed["version"], "confirm_flags": true }), Some(&registrar)).await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT, "closed once");

    // The printable sheet, from the portal.
    let (_, portal) = token(&base, "knu.registrar").await;
    let r = portal.get(format!("{base}/ru/sheets/{sid}/sheet.pdf")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let pdf = r.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    assert!(pdf.len() > 2_000);
    let r = browser_like_client().get(format!("{base}/ru/sheets/{sid}/sheet.pdf")).send().await.unwrap();
    assert_ne!(r.status(), StatusCode::OK, "not without logging in");
}

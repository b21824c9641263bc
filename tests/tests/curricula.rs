//! Curricula through the portal and the API, against an embedded node with the demo
//! data: the deliberately broken draft explained in three languages, the editor's
//! all-or-nothing saves (stale, malformed), import of a whole plan, submission,
//! approval, the public contract as JSON, and who sees what.

use edu24_gateway::node::Embedded;
use edu24_shared::names::stable_id;
use edu24_tests::{browser_like_client, csrf_of, portal_login};
use reqwest::StatusCode;

async fn node() -> (Embedded, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let node = Embedded::start(dir.path(), "127.0.0.1:0".parse().unwrap(), true).await.unwrap();
    let base = format!("http://{}", node.addr);
    (node, base, dir)
}

fn broken_draft() -> String {
    stable_id("curriculum", "knu:530500:bachelor:full_time:ky:2027:1")
}

fn law_2026() -> String {
    stable_id("curriculum", "knu:530500:bachelor:full_time:ky:2026:1")
}

async fn logged_in(base: &str, login: &str) -> reqwest::Client {
    let c = browser_like_client();
    let r = portal_login(&c, base, "en", login, "edu24-demo").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{login} logs in");
    c
}

async fn page(c: &reqwest::Client, url: &str) -> (StatusCode, String) {
    let r = c.get(url).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

/// No message id shows through untranslated.
fn translated(html: &str, what: &str) {
    for prefix in
        ["finding-", "curriculum-", "curricula-", "rule-", "col-", "standard-", "assessment-", "level-", "form-"]
    {
        let leaked = html.match_indices(prefix).any(|(i, _)| {
            let before = html[..i].chars().last().unwrap_or(' ');
            let after: String =
                html[i..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
            (before == '>' || before == ' ') && html[i + after.len()..].starts_with('<') && after.len() > prefix.len()
        });
        assert!(!leaked, "{what}: an untranslated {prefix}… id");
    }
}

#[tokio::test]
async fn the_broken_draft_is_explained_line_by_line_in_three_languages() {
    let (node, base, _dir) = node().await;
    let c = logged_in(&base, "knu.registrar").await;
    let id = broken_draft();
    for (lang, words) in [
        ("en", ["mandatory course GE-MANAS", "hours a week", "starts only in semester"]),
        ("ru", ["GE-MANAS", "в неделю", "семестр"]),
        ("ky", ["GE-MANAS", "жумасына", "семестр"]),
    ] {
        let (status, html) = page(&c, &format!("{base}/{lang}/curricula/{id}/edit")).await;
        assert_eq!(status, StatusCode::OK, "{lang}");
        assert!(html.contains(&format!("<html lang=\"{lang}\"")));
        for w in words {
            assert!(html.contains(w), "{lang}: {w:?} not in the findings");
        }
        assert!(html.contains("class=\"flag-error\""), "{lang}: lines at fault are marked");
        translated(&html, lang);
    }
    // The public cannot see a draft; another university's registrar neither.
    let (status, _) = page(&browser_like_client(), &format!("{base}/en/curricula/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let osh = logged_in(&base, "oshsu.registrar").await;
    let (status, _) = page(&osh, &format!("{base}/en/curricula/{id}/edit")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let r = osh.get(format!("{base}/api/v1/curricula/{id}")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // Submission is refused while it breaks its standard.
    let (_, html) = page(&c, &format!("{base}/en/curricula/{id}/edit")).await;
    let r = c.post(format!("{base}/en/curricula/{id}/submit")).form(&[("csrf", csrf_of(&html))]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains("breaks its standard"));
    node.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_plan_is_mended_by_file_submitted_and_approved_and_the_contract_follows() {
    let (node, base, dir) = node().await;
    let c = logged_in(&base, "knu.registrar").await;
    let id = broken_draft();
    // The ministry sees the broken draft among the next intake's plans, with the rules it breaks.
    let m = logged_in(&base, "ministry.admin").await;
    let (status, national) = page(&m, &format!("{base}/en/admin/curricula/national?intake=2027")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(national.matches("<svg").count(), 2, "statuses and the rules broken");
    assert!(national.contains("mandatory course missing") && national.contains(&format!("/en/curricula/{id}")));
    let (status, _) = page(&c, &format!("{base}/en/admin/curricula/national")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a registrar does not see the national view");
    let (_, html) = page(&c, &format!("{base}/en/curricula/{id}/edit")).await;
    let csrf = csrf_of(&html);
    let revision = html.split("name=\"revision\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();

    // A stale form changes nothing.
    let r = c
        .post(format!("{base}/en/curricula/{id}/save"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("revision", "1"),
            ("rows", "1"),
            ("r0.semester", "1"),
            ("r0.code", "X1"),
            ("r0.name_en", "X"),
            ("r0.block", "GE"),
            ("r0.credits", "1"),
            ("r0.assessment", "exam"),
            ("r0.component", "institution"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains("Someone saved this draft"));

    // A file with one bad row of many: nothing is written, the row is named.
    let export =
        browser_like_client().get(format!("{base}/en/curricula/{}/export.csv", law_2026())).send().await.unwrap();
    assert_eq!(export.status(), 200, "an approved plan is public");
    let good = export.text().await.unwrap();
    assert!(good.lines().count() > 60, "the whole plan: {} lines", good.lines().count());
    let bad = good.replacen(",exam,", ",oral,", 1);
    let upload = |bytes: String| {
        reqwest::multipart::Form::new()
            .text("csrf", csrf.clone())
            .text("revision", revision.clone())
            .part("file", reqwest::multipart::Part::bytes(bytes.into_bytes()).file_name("plan.csv"))
    };
    let r = c.post(format!("{base}/en/curricula/{id}/import")).multipart(upload(bad)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = r.text().await.unwrap();
    assert!(refused.contains("Nothing was changed") && refused.contains("assessment"), "{refused}");
    let (_, still) = page(&c, &format!("{base}/en/curricula/{id}/edit")).await;
    assert!(still.contains("mandatory course GE-MANAS"), "the draft is as it was");

    // The good file replaces the plan; it keeps its standard now.
    let r = c.post(format!("{base}/en/curricula/{id}/import")).multipart(upload(good.clone())).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&c, &format!("{base}/en/curricula/{id}/edit?saved=1")).await;
    assert!(html.contains("Saved and checked") && html.contains("keeps every rule"), "compliant after the import");
    let r = c.post(format!("{base}/en/curricula/{id}/submit")).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // The registrar cannot approve; the ministry's admin does.
    let (_, view) = page(&c, &format!("{base}/en/curricula/{id}")).await;
    assert!(view.contains("submitted") && !view.contains("name=\"decision\""));
    let (_, national) = page(&m, &format!("{base}/en/admin/curricula/national?intake=2027")).await;
    assert!(national.contains(&format!("/en/curricula/{id}")), "the submission is in the ministry's queue");
    let (_, view) = page(&m, &format!("{base}/en/curricula/{id}")).await;
    let r = m
        .post(format!("{base}/en/curricula/{id}/decide"))
        .form(&[("csrf", csrf_of(&view).as_str()), ("decision", "approve"), ("note", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // The public contract: programme + intake -> the plan, as JSON.
    let programme = stable_id("programme", "knu:530500:bachelor:full_time:ky");
    let r =
        reqwest::get(format!("{base}/api/v1/curricula/requirements?programme={programme}&intake=2027")).await.unwrap();
    assert_eq!(r.status(), 200);
    let req: serde_json::Value = r.json().await.unwrap();
    assert_eq!(req["curriculum_id"], id.as_str());
    assert_eq!(req["total_tenths"], 2400);
    assert_eq!(req["status"], "approved");
    assert!(req["lines"].as_array().unwrap().iter().any(|l| l["block_kind"] == "final_attestation"));
    let r =
        reqwest::get(format!("{base}/api/v1/curricula/requirements?programme={programme}&intake=2031")).await.unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let r =
        reqwest::get(format!("{base}/api/v1/curricula/requirements?programme={programme}&intake=20x")).await.unwrap();
    assert_eq!(r.status(), 400);
    let openapi = reqwest::get(format!("{base}/api/v1/openapi.json")).await.unwrap().text().await.unwrap();
    assert!(openapi.contains("/api/v1/curricula/requirements") && openapi.contains("Requirements"));

    // The approved event is in the outbox with the whole plan, once.
    let url = edu24_shared::config::sqlite_url(dir.path(), "curriculum");
    let n = edu24_tests::count(
        &url,
        "SELECT COUNT(*) FROM outbox WHERE subject = 'edu24.curriculum.curriculum.approved.v1'",
    )
    .await;
    assert_eq!(n, 1082 + 1, "one event per approval, the demo's (the class of 2026 included) and this one");
    node.shutdown().await.unwrap();
}

#[tokio::test]
async fn public_pages_standards_and_comparison() {
    let (node, base, _dir) = node().await;
    let c = browser_like_client();
    for lang in ["ky", "ru", "en"] {
        let (status, html) = page(&c, &format!("{base}/{lang}/standards")).await;
        assert_eq!(status, 200);
        assert!(html.contains("560001"), "{lang}");
        translated(&html, lang);
        let (status, html) =
            page(&c, &format!("{base}/{lang}/curricula/compare?specialty=560001&level=specialist&intake=2026")).await;
        assert_eq!(status, 200);
        assert_eq!(html.matches("<svg").count(), 2, "{lang}: two charts");
        assert!(html.contains("ksma") && html.contains("oshsu"), "{lang}");
        translated(&html, lang);
        let (status, html) = page(&c, &format!("{base}/{lang}/standards/courses")).await;
        assert_eq!(status, 200);
        assert!(html.contains("GE-MANAS"));
        let (status, html) = page(&c, &format!("{base}/{lang}/curricula/{}", law_2026())).await;
        assert_eq!(status, 200, "an approved plan is public");
        assert!(html.contains("GE-MANAS") && html.contains("<svg"), "{lang}");
        translated(&html, lang);
    }
    let programme = stable_id("programme", "knu:530500:bachelor:full_time:ky");
    let (_, html) = page(&c, &format!("{base}/en/programmes/{programme}")).await;
    assert!(html.contains("Students admitted in 2026"), "the programme page lists its curricula");
    let std: serde_json::Value =
        reqwest::get(format!("{base}/api/v1/standards?specialty=560001")).await.unwrap().json().await.unwrap();
    assert_eq!(std[0]["total_tenths"], 3600, "General Medicine: 360 credits");
    assert_eq!(std[0]["semesters"], 12);
    let r = reqwest::get(format!("{base}/api/v1/standards?level=college")).await.unwrap();
    assert_eq!(r.status(), 400);
    node.shutdown().await.unwrap();
}

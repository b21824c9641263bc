//! The student body through the portal, against an embedded node with the demo data: a
//! student admitted by hand (a PIN that contradicts the birth date refused, translated),
//! an order of academic leave (refused without its reason), a roster refused whole for
//! one bad row and admitted whole once fixed, and who sees whose records.

use edu24_gateway::node::Embedded;
use edu24_shared::names::stable_id;
use edu24_tests::{browser_like_client, count, csrf_of, portal_login};
use reqwest::StatusCode;

async fn node() -> (Embedded, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let node = Embedded::start(dir.path(), "127.0.0.1:0".parse().unwrap(), true).await.unwrap();
    let base = format!("http://{}", node.addr);
    (node, base, dir)
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
    for prefix in ["records-", "order-", "person-", "students-", "enrolment-", "funding-", "col-", "roster-", "sex-"] {
        let leaked = html.match_indices(prefix).any(|(i, _)| {
            let before = html[..i].chars().last().unwrap_or(' ');
            let after: String =
                html[i..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
            (before == '>' || before == ' ') && html[i + after.len()..].starts_with('<') && after.len() > prefix.len()
        });
        assert!(!leaked, "{what}: an untranslated {prefix}… id");
    }
}

/// Enrolments of an institution, read from its database.
async fn enrolled(dir: &tempfile::TempDir, institution: &str) -> i64 {
    let url = edu24_shared::config::sqlite_url(dir.path(), "records");
    count(&url, &format!("SELECT COUNT(*) FROM enrolment WHERE institution_id = '{institution}'")).await
}

fn law() -> String {
    stable_id("programme", "knu:530500:bachelor:full_time:ky")
}

fn admission<'a>(csrf: &'a str, pin: &'a str, birth: &'a str, request: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("institution", ""),
        ("request_id", request),
        ("pin", pin),
        ("family", "Токтосунова"),
        ("given", "Айпери"),
        ("patronymic", "Бакытовна"),
        ("birth_date", birth),
        ("sex", ""),
        ("citizenship", "KG"),
        ("programme", ""),
        ("intake_year", "2026"),
        ("study_group", "ЮР-26-1"),
        ("funding", "contract"),
        ("student_ticket", "KNU-26-7001"),
        ("number", "12-к"),
        ("signed_on", "2026-08-25"),
        ("effective_on", "2026-09-01"),
        ("signatory", "К. Ч. Сыдыкова"),
    ]
}

fn with(mut f: Vec<(&'static str, &str)>, key: &str, value: String) -> Vec<(String, String)> {
    f.retain(|(k, _)| *k != key);
    let mut out: Vec<(String, String)> = f.into_iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
    out.push((key.to_owned(), value));
    out
}

#[tokio::test]
async fn a_registrar_admits_a_student_and_issues_an_order_and_others_do_not_see_them() {
    let (_node, base, dir) = node().await;
    let c = logged_in(&base, "knu.registrar").await;
    let knu = stable_id("institution", "knu");

    let (status, list) = page(&c, &format!("{base}/en/admin/students")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("Students of") && list.contains("/en/admin/students/new?institution="), "{list}");
    let before = enrolled(&dir, &knu).await;

    let (status, form) = page(&c, &format!("{base}/en/admin/students/new?institution={knu}")).await;
    assert_eq!(status, StatusCode::OK);
    let csrf = csrf_of(&form);
    let fields = |pin: &'static str, birth: &'static str, request: &'static str| {
        let f = with(admission(&csrf, pin, birth, request), "institution", knu.clone());
        let mut f: Vec<(String, String)> = f.into_iter().filter(|(k, _)| k != "programme").collect();
        f.push(("programme".into(), law()));
        f
    };

    // The PIN says 15 March 2005; the form says 16 March: refused, in the user's language.
    for (lang, words) in [
        ("en", "differs from the one in the PIN"),
        ("ru", "не совпадает с датой в ПИН"),
        ("ky", "ПИНдеги күн менен дал келбейт"),
    ] {
        let r = c
            .post(format!("{base}/{lang}/admin/students/new"))
            .form(&fields("11503200512345", "2005-03-16", "t-admit-bad"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{lang}");
        let html = r.text().await.unwrap();
        assert!(html.contains(words), "{lang}: {words:?}");
        assert!(html.contains("value=\"Токтосунова\""), "{lang}: the form keeps what was typed");
        translated(&html, lang);
    }
    assert_eq!(enrolled(&dir, &knu).await, before, "nothing was written");

    // Right: recorded and admitted by the order; a repeated submission changes nothing.
    let good = fields("11503200512345", "2005-03-15", "t-admit-good");
    let r = c.post(format!("{base}/en/admin/students/new")).form(&good).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(to.starts_with("/en/admin/persons/") && to.ends_with("?done=admission"), "{to}");
    let r = c.post(format!("{base}/en/admin/students/new")).form(&good).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "the same request again");
    assert_eq!(enrolled(&dir, &knu).await, before + 1, "admitted once");
    let person_url = format!("{base}{}", to.split('?').next().unwrap());
    for lang in ["en", "ru", "ky"] {
        let (status, html) = page(&c, &person_url.replace("/en/", &format!("/{lang}/"))).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Токтосунова Айпери Бакытовна") && html.contains("12-к"), "{lang}");
        translated(&html, lang);
    }
    let (_, html) = page(&c, &format!("{base}{to}")).await;
    assert!(html.contains("the order “Admission” is issued") && html.contains("Studying"), "{html}");
    let (_, found) = page(&c, &format!("{base}/en/admin/students?q=Токтосунова")).await;
    assert!(found.contains("KNU-26-7001") && found.contains("ЮР-26-1"), "found by name");

    // Academic leave says why.
    let enrolment = {
        let m = "name=\"enrolment\" value=\"";
        let i = html.find(m).expect("an order form") + m.len();
        html[i..].split('"').next().unwrap().to_owned()
    };
    let order = |reason: &str, request: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("enrolment", enrolment.clone()),
            ("institution", knu.clone()),
            ("request_id", request.to_owned()),
            ("kind", "academic_leave".to_owned()),
            ("reason", reason.to_owned()),
            ("number", "40-к".to_owned()),
            ("signed_on", "2026-11-02".to_owned()),
            ("effective_on", "2026-11-02".to_owned()),
            ("signatory", "К. Ч. Сыдыкова".to_owned()),
        ]
    };
    let order_url = format!("{}/order", person_url);
    let r = c.post(&order_url).form(&order("", "t-leave-1")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("This order says why"));
    let r = c.post(&order_url).form(&order("Медицинское заключение № 118", "t-leave-2")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&c, &person_url).await;
    assert!(html.contains("On academic leave") && html.contains("Медицинское заключение № 118"));
    assert!(
        html.contains("value=\"return\"") && !html.contains("value=\"academic_leave\""),
        "only what follows a leave"
    );

    // Another university's registrar sees neither the file nor the list.
    let osh = logged_in(&base, "oshsu.registrar").await;
    let (status, _) = page(&osh, &person_url).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = page(&osh, &format!("{base}/en/admin/students?institution={knu}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = page(&browser_like_client(), &person_url).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the public is sent to log in");
}

#[tokio::test]
async fn a_roster_with_one_bad_row_admits_nobody_and_once_fixed_admits_everyone() {
    let (_node, base, dir) = node().await;
    let c = logged_in(&base, "knu.registrar").await;
    let knu = stable_id("institution", "knu");
    let before = enrolled(&dir, &knu).await;
    let (status, form) = page(&c, &format!("{base}/ru/admin/students/import?institution={knu}")).await;
    assert_eq!(status, StatusCode::OK);
    translated(&form, "ru");
    let csrf = csrf_of(&form);
    let (status, template) = page(&c, &format!("{base}/en/admin/students/roster-template.csv")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(template.trim_start_matches('\u{feff}').starts_with("pin,pin_exception,family,given"), "{template}");

    let roster = |third_pin: &str| {
        format!(
            "pin,family,given,patronymic,birth_date,study_group,funding,student_ticket\n\
             21204200600011,Асанов,Бекзат,Маратович,2006-04-12,ЮР-26-2,grant,KNU-26-8001\n\
             10101200600022,Жумабаева,Гулзат,Азаматовна,2006-01-01,ЮР-26-2,contract,KNU-26-8002\n\
             \n\
             {third_pin},Осмонов,Нурсултан,,2005-11-30,ЮР-26-2,contract,KNU-26-8003\n"
        )
    };
    let upload = |body: String, request: &str| {
        reqwest::multipart::Form::new()
            .text("csrf", csrf.clone())
            .text("institution", knu.clone())
            .text("request_id", request.to_owned())
            .text("programme", law())
            .text("intake_year", "2026")
            .text("number", "15-к")
            .text("signed_on", "2026-08-28")
            .text("effective_on", "2026-09-01")
            .text("signatory", "К. Ч. Сыдыкова")
            .part("file", reqwest::multipart::Part::bytes(body.into_bytes()).file_name("intake.csv"))
    };
    // The third student's PIN gives 30 November 2004: row 5 (the blank row 4 counts).
    let r = c
        .post(format!("{base}/ru/admin/students/import"))
        .multipart(upload(roster("23011200400033"), "t-roster-1"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("Никто не зачислен") && html.contains("<td>5</td>"), "{html}");
    assert!(html.contains("Дата рождения не совпадает"), "translated");
    assert_eq!(enrolled(&dir, &knu).await, before, "nobody admitted");

    let r = c
        .post(format!("{base}/en/admin/students/import"))
        .multipart(upload(roster("23011200500033"), "t-roster-2"))
        .send()
        .await
        .unwrap();
    let html = r.text().await.unwrap();
    assert!(html.contains("3 students admitted"), "{html}");
    assert_eq!(enrolled(&dir, &knu).await, before + 3);
    let (_, list) = page(&c, &format!("{base}/en/admin/students?group=ЮР-26-2")).await;
    for t in ["KNU-26-8001", "KNU-26-8002", "KNU-26-8003"] {
        assert!(list.contains(t), "{t} in the group");
    }
    // The same file again is the same request: nobody twice.
    let r = c
        .post(format!("{base}/en/admin/students/import"))
        .multipart(upload(roster("23011200500033"), "t-roster-2"))
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("3 students admitted"));
    assert_eq!(enrolled(&dir, &knu).await, before + 3);
}

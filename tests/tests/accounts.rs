//! Identity and access through the portal: a registrar re-issues a password card in
//! three clicks; a person with a one-time password must choose their own; everyone
//! sees their sessions and who accessed their account; staff pages refuse others.

use edu24_gateway::node::Embedded;

use edu24_shared::auth::{CallCtx, Role, RoleGrant};
use edu24_tests::{browser_like_client, csrf_of, portal_login};

async fn node() -> (Embedded, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let node = Embedded::start(dir.path(), "127.0.0.1:0".parse().unwrap(), true).await.unwrap();
    let base = format!("http://{}", node.addr);
    (node, base, dir)
}

fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}

#[tokio::test]
async fn a_registrar_reissues_a_card_in_three_clicks() {
    let (node, base, _dir) = node().await;
    let student = browser_like_client();
    assert_eq!(portal_login(&student, &base, "en", "knu.student", "edu24-demo").await.status(), 303);
    assert_eq!(student.get(format!("{base}/en/me")).send().await.unwrap().status(), 200);

    let registrar = browser_like_client();
    assert_eq!(portal_login(&registrar, &base, "ru", "knu.registrar", "edu24-demo").await.status(), 303);
    // Click 1: search by surname (Cyrillic, any case).
    let list =
        registrar.get(format!("{base}/ru/admin/accounts?q=ТОКТОСУНОВА")).send().await.unwrap().text().await.unwrap();
    let marker = "/ru/admin/accounts/";
    let start = list.find(marker).expect("the student is found") + marker.len();
    let id = &list[start..start + list[start..].find('"').unwrap()];
    // Click 2: open the account.
    let page = registrar.get(format!("{base}/ru/admin/accounts/{id}")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Айпери Токтосунова") && page.contains("knu.student"));
    // Click 3: issue the card, with the preselected reason.
    let csrf = csrf_of(&page);
    let r = registrar
        .post(format!("{base}/ru/admin/accounts/{id}/card"))
        .form(&[("csrf", csrf.as_str()), ("reason", "Карточка утеряна"), ("note", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert!(r.headers()["content-disposition"].to_str().unwrap().contains("edu24-card-knu.student.pdf"));
    assert_eq!(r.headers()["cache-control"], "no-store");
    let pdf = r.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"));

    // The old password and the student's session stop at once.
    let r = student.get(format!("{base}/en/me")).send().await.unwrap();
    assert_eq!(location(&r), "/en/login", "the session ended");
    assert_eq!(portal_login(&browser_like_client(), &base, "en", "knu.student", "edu24-demo").await.status(), 401);

    // A registrar of another institution cannot even see the account.
    let other = browser_like_client();
    portal_login(&other, &base, "en", "oshsu.registrar", "edu24-demo").await;
    assert_eq!(other.get(format!("{base}/en/admin/accounts/{id}")).send().await.unwrap().status(), 404);
    let found =
        other.get(format!("{base}/en/admin/accounts?q=Токтосунова")).send().await.unwrap().text().await.unwrap();
    assert!(!found.contains(id));
    // Nor can a teacher or a student use the page.
    let teacher = browser_like_client();
    portal_login(&teacher, &base, "en", "knu.teacher", "edu24-demo").await;
    assert_eq!(teacher.get(format!("{base}/en/admin/accounts?q=Ток")).send().await.unwrap().status(), 403);
    node.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_one_time_password_must_be_replaced_before_anything_else() {
    let (node, base, _dir) = node().await;
    let knu = edu24_catalogue::seed::institution_id("knu");
    node.identity
        .account_create(
            "system:test",
            "cl2400777",
            "Бекжан Сатыбалдиев",
            "k7pm-4xtq-9hcw-2rdn",
            &[RoleGrant { role: Role::Student, inst: Some(knu) }],
            true,
        )
        .await
        .unwrap();
    let c = browser_like_client();
    let r = portal_login(&c, &base, "ky", "cl2400777", "k7pm-4xtq-9hcw-2rdn").await;
    assert_eq!(location(&r), "/ky/me/password");
    let r = c.get(format!("{base}/ky/me")).send().await.unwrap();
    assert_eq!(location(&r), "/ky/me/password", "nothing else until the password is changed");
    let form = c.get(format!("{base}/en/me/password")).send().await.unwrap().text().await.unwrap();
    assert!(form.contains("one-time password"));
    let csrf = csrf_of(&form);
    let post = |current: &str, new: &str, repeat: &str| {
        c.post(format!("{base}/en/me/password"))
            .form(&[("csrf", csrf.as_str()), ("current", current), ("new", new), ("repeat", repeat)])
            .send()
    };
    for (new, repeat, message) in [
        ("short", "short", "too short"),
        ("passwordpassword1", "passwordpassword1", "too easy to guess"),
        ("mountain river green teapot", "mountain river green teapots", "differ"),
    ] {
        let r = post("k7pm-4xtq-9hcw-2rdn", new, repeat).await.unwrap();
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains(message), "{new}");
    }
    let r = post("k7pm-4xtq-9hcw-2rdn", "mountain river green teapot", "mountain river green teapot").await.unwrap();
    assert_eq!(location(&r), "/en/me/security?done=password");
    let security = c.get(format!("{base}/en/me/security?done=password")).send().await.unwrap().text().await.unwrap();
    assert!(security.contains("Your new password is saved"));
    assert!(security.contains("This device"));
    assert!(security.contains("Password changed") && security.contains("Account created"));
    assert_eq!(c.get(format!("{base}/en/me")).send().await.unwrap().status(), 200);
    node.shutdown().await.unwrap();
}

#[tokio::test]
async fn people_see_and_end_their_own_sessions() {
    let (node, base, _dir) = node().await;
    let phone = browser_like_client();
    let laptop = browser_like_client();
    portal_login(&phone, &base, "en", "knu.teacher", "edu24-demo").await;
    portal_login(&laptop, &base, "en", "knu.teacher", "edu24-demo").await;
    let page = laptop.get(format!("{base}/en/me/security")).send().await.unwrap().text().await.unwrap();
    let ids: Vec<&str> =
        page.match_indices("name=\"session_id\" value=\"").map(|(i, m)| &page[i + m.len()..i + m.len() + 36]).collect();
    assert_eq!(ids.len(), 1, "one other session to end; this one is marked");
    let r = laptop
        .post(format!("{base}/en/me/sessions/end"))
        .form(&[("csrf", csrf_of(&page).as_str()), ("session_id", ids[0])])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/en/me/security?done=session");
    assert_eq!(location(&phone.get(format!("{base}/en/me")).send().await.unwrap()), "/en/login");
    assert_eq!(laptop.get(format!("{base}/en/me")).send().await.unwrap().status(), 200);
    // Someone else's session id answers as if it did not exist.
    let other = CallCtx::anonymous();
    assert!(node.identity.session_end(&other, ids[0]).await.is_err());
    node.shutdown().await.unwrap();
}

#[tokio::test]
async fn two_step_sign_in_is_set_up_and_then_asked_for() {
    use sqlx::Row;
    let (node, base, _dir) = node().await;
    let c = browser_like_client();
    portal_login(&c, &base, "en", "knu.teacher", "edu24-demo").await;
    let page = c.get(format!("{base}/en/me/2fa")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("<svg") && page.contains("Or type this key"), "a QR code and the key");
    let secret: Vec<u8> =
        sqlx::query("SELECT secret FROM account_totp").fetch_one(node.identity.db().pool()).await.unwrap().get(0);
    let code = |offset: i64| {
        let step = edu24_identity::totp::step(edu24_shared::time::now_ms() / 1000) + offset;
        format!("{:06}", edu24_identity::totp::hotp(&secret, step as u64))
    };
    let r = c
        .post(format!("{base}/en/me/2fa"))
        .form(&[("csrf", csrf_of(&page).as_str()), ("code", &code(-1))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let codes_page = r.text().await.unwrap();
    assert!(codes_page.contains("Your recovery codes"));
    assert_eq!(codes_page.matches("<li><code>").count(), 10);

    // Next sign-in: password, then the code.
    let fresh = browser_like_client();
    let r = portal_login(&fresh, &base, "en", "knu.teacher", "edu24-demo").await;
    assert_eq!(location(&r), "/en/login/code");
    assert_eq!(
        location(&fresh.get(format!("{base}/en/me")).send().await.unwrap()),
        "/en/login/code",
        "nothing before the code"
    );
    let form = fresh.get(format!("{base}/en/login/code")).send().await.unwrap().text().await.unwrap();
    assert!(form.contains("autocomplete=\"one-time-code\""));
    let r = fresh
        .post(format!("{base}/en/login/code"))
        .form(&[("csrf", csrf_of(&form).as_str()), ("code", "000000")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = fresh
        .post(format!("{base}/en/login/code"))
        .form(&[("csrf", csrf_of(&form).as_str()), ("code", &code(0))])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/en/me");
    assert_eq!(fresh.get(format!("{base}/en/me")).send().await.unwrap().status(), 200);
    node.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_senior_student_asks_for_access_and_the_registrar_decides() {
    let (node, base, _dir) = node().await;
    let knu = edu24_catalogue::seed::institution_id("knu");
    let student = browser_like_client();
    let login_page = student.get(format!("{base}/ru/login")).send().await.unwrap().text().await.unwrap();
    assert!(login_page.contains("/ru/access-request"), "the login page offers the request");
    let form = student.get(format!("{base}/ru/access-request")).send().await.unwrap().text().await.unwrap();
    assert!(form.contains(&knu), "universities to choose from");
    let send = |pin: &'static str, ticket: &'static str| {
        let csrf = csrf_of(&form);
        let knu = knu.clone();
        let c = student.clone();
        let base = base.clone();
        async move {
            c.post(format!("{base}/ru/access-request"))
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("institution_id", knu.as_str()),
                    ("surname", "Осмонов"),
                    ("given_name", "Бакыт"),
                    ("patronymic", ""),
                    ("pin", pin),
                    ("ticket_no", ticket),
                    ("programme", "580100 Экономика"),
                    ("study_year", "4"),
                    ("contact", "+996 555 123 456"),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let r = send("2150320051234", "KNU1900123").await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("14"), "the PIN rule, in Russian");
    let r = send("21503200512345", "KNU1900123").await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("Запрос отправлен"));
    assert_eq!(send("21503200512345", "KNU1900123").await.status(), 409, "one waiting request per ticket");

    // Another university's registrar does not see it; KNU's does, and approves.
    let other = browser_like_client();
    portal_login(&other, &base, "en", "oshsu.registrar", "edu24-demo").await;
    let q = other.get(format!("{base}/en/admin/access-requests")).send().await.unwrap().text().await.unwrap();
    assert!(q.contains("No requests are waiting"));
    let registrar = browser_like_client();
    portal_login(&registrar, &base, "en", "knu.registrar", "edu24-demo").await;
    let q = registrar.get(format!("{base}/en/admin/access-requests")).send().await.unwrap().text().await.unwrap();
    assert!(q.contains("Осмонов Бакыт") && q.contains("KNU1900123"));
    let marker = "name=\"id\" value=\"";
    let i = q.find(marker).unwrap() + marker.len();
    let id = &q[i..i + q[i..].find('"').unwrap()];
    let csrf = csrf_of(&q);
    let r = registrar
        .post(format!("{base}/en/admin/access-requests"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("id", id),
            ("reason", "Checked against the student ticket"),
            ("decision", "approve"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert!(r.bytes().await.unwrap().starts_with(b"%PDF-"));
    let found = node.identity.account_search(&edu24_shared::auth::CallCtx::anonymous(), "x").await;
    assert!(found.is_err(), "anonymous cannot search");
    let q = registrar.get(format!("{base}/en/admin/access-requests")).send().await.unwrap().text().await.unwrap();
    assert!(q.contains("No requests are waiting"), "decided requests leave the queue");
    let r = registrar
        .post(format!("{base}/en/admin/access-requests"))
        .form(&[("csrf", csrf.as_str()), ("id", id), ("reason", "again"), ("decision", "approve")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409, "decided once");
    node.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_ministry_appoints_an_institution_admin_with_a_new_account() {
    let (node, base, _dir) = node().await;
    let oshsu = edu24_catalogue::seed::institution_id("oshsu");
    let ministry = browser_like_client();
    portal_login(&ministry, &base, "en", "ministry.admin", "edu24-demo").await;
    let page = ministry.get(format!("{base}/en/admin/accounts")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Create an account") && page.contains(&oshsu));
    let r = ministry
        .post(format!("{base}/en/admin/accounts/new"))
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("login", "oshsu.admin2"),
            ("display_name", "Жыпар Абдыкадырова"),
            ("role", "institution_admin"),
            ("institution_id", oshsu.as_str()),
            ("reason", "Appointed by order No. 17"),
            ("note", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let found =
        ministry.get(format!("{base}/en/admin/accounts?q=oshsu.admin2")).send().await.unwrap().text().await.unwrap();
    assert!(found.contains("Жыпар Абдыкадырова") && found.contains("University administrator"), "{found}");
    // A registrar may not create staff accounts.
    let registrar = browser_like_client();
    portal_login(&registrar, &base, "en", "knu.registrar", "edu24-demo").await;
    let page = registrar.get(format!("{base}/en/admin/accounts")).send().await.unwrap().text().await.unwrap();
    let knu = edu24_catalogue::seed::institution_id("knu");
    let r = registrar
        .post(format!("{base}/en/admin/accounts/new"))
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("login", "knu.fake.admin"),
            ("display_name", "Someone"),
            ("role", "institution_admin"),
            ("institution_id", knu.as_str()),
            ("reason", "x"),
            ("note", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    node.shutdown().await.unwrap();
}

#[tokio::test]
async fn applicants_and_employers_register_and_the_ministry_verifies_employers() {
    let (node, base, _dir) = node().await;
    let c = browser_like_client();
    let form = c.get(format!("{base}/en/register")).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&form);
    let register = |kind: &'static str, login: &'static str, password: &'static str, tax: &'static str| {
        let c = c.clone();
        let base = base.clone();
        let csrf = csrf.clone();
        async move {
            c.post(format!("{base}/en/register"))
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("kind", kind),
                    ("login", login),
                    ("display_name", "Азамат Бекназаров"),
                    ("password", password),
                    ("repeat", password),
                    ("organisation", "ОсОО «Тоо Софт»"),
                    ("tax_id", tax),
                    ("contact", "+996 700 000 111"),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    assert!(register("applicant", "azamat.b", "short", "").await.text().await.unwrap().contains("too short"));
    let r = register("applicant", "azamat.b", "four random words here", "").await;
    assert!(r.text().await.unwrap().contains("Your account is ready"));
    let applicant = browser_like_client();
    portal_login(&applicant, &base, "en", "azamat.b", "four random words here").await;
    assert!(applicant.get(format!("{base}/en/me")).send().await.unwrap().text().await.unwrap().contains("Applicant"));

    assert!(
        register("employer", "too.soft", "mountain river green teapot", "123")
            .await
            .text()
            .await
            .unwrap()
            .contains("14 digits")
    );
    let r = register("employer", "too.soft", "mountain river green teapot", "01234567890123").await;
    assert!(r.text().await.unwrap().contains("The ministry verifies employers"));
    let employer = browser_like_client();
    portal_login(&employer, &base, "en", "too.soft", "mountain river green teapot").await;
    let me = employer.get(format!("{base}/en/me")).send().await.unwrap().text().await.unwrap();
    assert!(me.contains("not yet verified") && !me.contains("Employer</h3>"), "no role before verification");

    let registrar = browser_like_client();
    portal_login(&registrar, &base, "en", "knu.registrar", "edu24-demo").await;
    assert_eq!(registrar.get(format!("{base}/en/admin/employers")).send().await.unwrap().status(), 403);
    let ministry = browser_like_client();
    portal_login(&ministry, &base, "en", "ministry.admin", "edu24-demo").await;
    let q = ministry.get(format!("{base}/en/admin/employers")).send().await.unwrap().text().await.unwrap();
    assert!(q.contains("Тоо Софт") && q.contains("01234567890123"));
    let marker = "name=\"account_id\" value=\"";
    let i = q.find(marker).unwrap() + marker.len();
    let id = &q[i..i + q[i..].find('"').unwrap()];
    let r = ministry
        .post(format!("{base}/en/admin/employers"))
        .form(&[
            ("csrf", csrf_of(&q).as_str()),
            ("account_id", id),
            ("reason", "Checked in the register"),
            ("decision", "verify"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let me = employer.get(format!("{base}/en/me")).send().await.unwrap().text().await.unwrap();
    assert!(me.contains("Employer") && !me.contains("not yet verified"), "{me}");
    node.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_forgotten_password_is_reset_by_an_emailed_link() {
    let (node, base, dir) = node().await;
    let c = browser_like_client();
    portal_login(&c, &base, "en", "knu.admin", "edu24-demo").await;
    let page = c.get(format!("{base}/en/me/security")).send().await.unwrap().text().await.unwrap();
    let r = c
        .post(format!("{base}/en/me/email"))
        .form(&[("csrf", csrf_of(&page).as_str()), ("email", "bakyt@knu.kg")])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/en/me/security?done=email");
    // The embedded node delivers mail as files in the data folder.
    let maildir = dir.path().join("mail");
    let read_link = |n: usize| {
        let maildir = maildir.clone();
        async move {
            let mut files = Vec::new();
            for _ in 0..100 {
                files = std::fs::read_dir(&maildir)
                    .map(|d| {
                        d.filter_map(|e| e.ok())
                            .map(|e| e.path())
                            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                            .collect()
                    })
                    .unwrap_or_default();
                if files.len() >= n {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            files.sort();
            let text = std::fs::read_to_string(&files[n - 1]).unwrap();
            let i = text.find("http").unwrap();
            text[i..].split_whitespace().next().unwrap().replace("http://127.0.0.1:8080", "")
        }
    };
    let verify = read_link(1).await;
    assert!(verify.starts_with("/ky/verify-email?token="));
    let r = c.get(format!("{base}{verify}")).send().await.unwrap();
    assert!(r.text().await.unwrap().contains("ырасталды"));

    let anon = browser_like_client();
    let form = anon.get(format!("{base}/en/reset")).send().await.unwrap().text().await.unwrap();
    let r = anon
        .post(format!("{base}/en/reset"))
        .form(&[("csrf", csrf_of(&form).as_str()), ("login", "knu.admin")])
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("If this login has a confirmed e-mail address"));
    let r = anon
        .post(format!("{base}/en/reset"))
        .form(&[("csrf", csrf_of(&form).as_str()), ("login", "nobody.at.all")])
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("If this login has a confirmed e-mail address"), "the same answer");
    let link = read_link(2).await;
    let link = link.replacen("/ky/", "/en/", 1);
    let page = anon.get(format!("{base}{link}")).send().await.unwrap().text().await.unwrap();
    let token = link.split("token=").nth(1).unwrap();
    let r = anon
        .post(format!("{base}/en/reset/new"))
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("token", token),
            ("new", "a brand new long passphrase"),
            ("repeat", "a brand new long passphrase"),
        ])
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("Your new password is saved"));
    assert_eq!(location(&c.get(format!("{base}/en/me")).send().await.unwrap()), "/en/login", "old sessions ended");
    assert_eq!(
        portal_login(&browser_like_client(), &base, "en", "knu.admin", "a brand new long passphrase").await.status(),
        303
    );
    node.shutdown().await.unwrap();
}

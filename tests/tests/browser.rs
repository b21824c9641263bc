//! A person's journey in headless Chromium (Debian's `chromium` driven through
//! `chromedriver`, no browser download): search the catalogue, open a university,
//! switch language, log in, see the personal page. Screenshots of each step go to
//! `target/screenshots/` for people to look at.
//!
//! Needs /usr/bin/chromium and /usr/bin/chromedriver (the test command installs them);
//! EDU24_SKIP_BROWSER=1 skips it explicitly on machines without them.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use edu24_tests::{Proc, free_port, wait_ready};
use fantoccini::{Client, ClientBuilder, Locator};

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn screenshots() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    std::fs::write(screenshots().join(format!("{name}.png")), png).unwrap();
}

async fn text_of(c: &Client, css: &str) -> String {
    c.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css(css)).await.unwrap().text().await.unwrap()
}

/// Clicks `css` and waits until the browser is on a URL containing `fragment`, so that
/// what is read next comes from the new page.
async fn click_to(c: &Client, css: &str, fragment: &str) {
    // The page before the click is marked: a URL that already matched (the same page
    // saved twice) must not pass for the new one before it has loaded.
    c.execute("window.__edu24_before_click = true", vec![]).await.unwrap();
    c.find(Locator::Css(css)).await.unwrap().click().await.unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        let url = c.current_url().await.unwrap();
        let fresh = c
            .execute("return document.readyState === 'complete' && !window.__edu24_before_click", vec![])
            .await
            .map(|v| v == serde_json::Value::Bool(true))
            .unwrap_or(false);
        if url.as_str().contains(fragment) && fresh {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "still on {url} after clicking {css}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn start_browser(profile: &std::path::Path) -> (Driver, Client) {
    let port = free_port();
    let driver = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver (Debian package chromium-driver) must be installed");
    let driver = Driver(driver);
    let caps = serde_json::json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", "--window-size=1280,900", "--lang=en-US",
                     format!("--user-data-dir={}", profile.display())]
        }
    });
    let caps = caps.as_object().unwrap().clone();
    let mut last = None;
    for _ in 0..50 {
        match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => return (driver, c),
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("cannot start a Chromium session: {last:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_browses_the_catalogue_in_two_languages_and_logs_in() {
    if std::env::var("EDU24_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!("SKIPPED by EDU24_SKIP_BROWSER=1");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let node = Proc::start(
        "run",
        &["run"],
        &[
            ("EDU24_DATA_DIR", dir.path().join("data").display().to_string()),
            ("EDU24_HTTP_ADDR", format!("127.0.0.1:{port}")),
        ],
        dir.path(),
    );
    let base = format!("http://127.0.0.1:{port}");
    wait_ready(&format!("{base}/readyz"), 60, &node).await;
    let (_driver, c) = start_browser(&dir.path().join("profile")).await;

    // English home page: search for Osh with the big search box.
    c.goto(&format!("{base}/en/")).await.unwrap();
    assert_eq!(text_of(&c, "h1").await, "Find your university");
    shot(&c, "1-home-en").await;
    c.find(Locator::Css("#home-q")).await.unwrap().send_keys("Osh").await.unwrap();
    click_to(&c, "form.searchbar button", "/en/institutions?q=Osh").await;
    let results = text_of(&c, "ul.cards").await;
    assert!(results.contains("Osh State University"), "{results}");
    shot(&c, "2-search-en").await;

    // Narrow by level with the filter form, still without any script.
    c.find(Locator::Css("details.more summary")).await.unwrap().click().await.unwrap();
    let level = c.find(Locator::Css("#f-level")).await.unwrap();
    level.select_by_value("specialist").await.unwrap();
    click_to(&c, "form.filters button", "level=specialist").await;
    let filtered = text_of(&c, "ul.cards").await;
    assert!(filtered.contains("Osh State University") && !filtered.contains("Pedagogical"), "{filtered}");
    assert!(text_of(&c, "details.more summary").await.contains("1 active"), "the active filter is shown");

    // Open the university, then read it in Russian.
    click_to(&c, "a[href='/en/institutions/oshsu']", "/en/institutions/oshsu").await;
    assert_eq!(text_of(&c, "h1").await, "Osh State University");
    assert!(text_of(&c, "table").await.contains("General Medicine"));
    shot(&c, "3-institution-en").await;
    click_to(&c, "nav.langs a[lang='ru']", "/ru/institutions/oshsu").await;
    assert_eq!(text_of(&c, "h1").await, "Ошский государственный университет");
    assert!(text_of(&c, "table").await.contains("Лечебное дело"));
    shot(&c, "4-institution-ru").await;

    // Log in from the Russian page; the personal page greets in Russian.
    click_to(&c, "nav.main a[href='/ru/login']", "/ru/login").await;
    c.find(Locator::Css("#login")).await.unwrap().send_keys("oshsu.registrar").await.unwrap();
    c.find(Locator::Css("#password")).await.unwrap().send_keys("edu24-demo").await.unwrap();
    shot(&c, "5-login-ru").await;
    click_to(&c, "form.stack button", "/ru/me").await;
    let greeting = text_of(&c, "h1").await;
    assert!(greeting.contains("Гүлзат Маматова"), "{greeting}");
    let roles = text_of(&c, "ul.cards").await;
    assert!(roles.contains("Регистратор") && roles.contains("Ошский государственный университет"), "{roles}");
    shot(&c, "6-me-ru").await;

    // The registrar's tools: two-step sign-in set-up, and a roster through the file input.
    c.goto(&format!("{base}/ru/me/2fa")).await.unwrap();
    c.wait().for_element(Locator::Css("figure.qr svg")).await.unwrap();
    shot(&c, "8-twofa-ru").await;
    click_to(&c, "nav.main a[href='/ru/me']", "/ru/me").await;
    click_to(&c, "a[href='/ru/admin/issuance']", "/ru/admin/issuance").await;
    let csv = dir.path().join("group-101.csv");
    let mut roster = String::from("ПИН,Фамилия,Имя,Отчество,Студенческий билет,Программа,Курс\n");
    for (i, name) in ["Токтосунова", "Асанов", "Маматова", "Усенов", "Жумабекова"].iter().enumerate()
    {
        roster.push_str(&format!("2150320051234{i},{name},Айпери,,OSH2600{i},560001 Лечебное дело,1\n"));
    }
    std::fs::write(&csv, roster).unwrap();
    c.find(Locator::Css("#roster")).await.unwrap().send_keys(&csv.display().to_string()).await.unwrap();
    shot(&c, "9-issuance-ru").await;
    click_to(&c, "form.stack button", "/ru/admin/issuance").await;
    let summary = text_of(&c, "div.stats").await;
    assert!(summary.contains('5'), "{summary}");
    assert!(text_of(&c, "ul.cardsheet").await.contains("osh26000"));
    shot(&c, "10-issuance-preview-ru").await;

    // On a phone: the Kyrgyz catalogue fits a narrow screen without sideways scrolling.
    c.set_window_size(390, 844).await.unwrap();
    c.goto(&format!("{base}/ky/institutions?region=osh_city")).await.unwrap();
    c.wait().for_element(Locator::Css("ul.cards")).await.unwrap();
    let overflow = c.execute("return document.documentElement.scrollWidth - window.innerWidth", vec![]).await.unwrap();
    assert!(overflow.as_i64().unwrap() <= 0, "page wider than the phone screen by {overflow}");
    shot(&c, "7-catalogue-ky-phone").await;

    c.close().await.unwrap();
}

/// The page is no wider than the window (checked at phone width).
async fn fits(c: &Client, what: &str) {
    let overflow = c.execute("return document.documentElement.scrollWidth - window.innerWidth", vec![]).await.unwrap();
    assert!(overflow.as_i64().unwrap() <= 0, "{what}: page wider than the screen by {overflow}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_applicant_compares_programmes_and_the_ministry_and_a_university_keep_licensing() {
    if std::env::var("EDU24_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!("SKIPPED by EDU24_SKIP_BROWSER=1");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let node = Proc::start(
        "run",
        &["run"],
        &[
            ("EDU24_DATA_DIR", dir.path().join("data").display().to_string()),
            ("EDU24_HTTP_ADDR", format!("127.0.0.1:{port}")),
        ],
        dir.path(),
    );
    let base = format!("http://127.0.0.1:{port}");
    wait_ready(&format!("{base}/readyz"), 60, &node).await;
    let (_driver, c) = start_browser(&dir.path().join("profile")).await;

    // An applicant on a phone, in Kyrgyz: law programmes with grant places, cheapest first.
    c.set_window_size(390, 844).await.unwrap();
    c.goto(&format!("{base}/ky/programmes")).await.unwrap();
    c.find(Locator::Css("#p-specialty")).await.unwrap().select_by_value("530500").await.unwrap();
    c.find(Locator::Css("label[for='p-grant']")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("#p-sort")).await.unwrap().select_by_value("fee_asc").await.unwrap();
    click_to(&c, "form.filters button", "sort=fee_asc").await;
    let url = c.current_url().await.unwrap();
    assert!(url.as_str().contains("specialty=530500") && url.as_str().contains("grant=1"), "shareable: {url}");
    let cards = text_of(&c, "ul.cards").await;
    assert!(cards.contains("530500") && cards.contains("сом"), "{cards}");
    fits(&c, "programme search").await;
    shot(&c, "11-programmes-ky-phone").await;

    // Pick the first two and compare them side by side, then read one in Russian.
    let picks = c.find_all(Locator::Css("ul.cards input[name='p']")).await.unwrap();
    assert!(picks.len() >= 2, "at least two law programmes with grants");
    for p in picks.iter().take(2) {
        let id = p.attr("id").await.unwrap().unwrap();
        c.find(Locator::Css(&format!("label[for='{id}']"))).await.unwrap().click().await.unwrap();
    }
    click_to(&c, "ul.cards + button", "/ky/compare?").await;
    let table = text_of(&c, "table.compare").await;
    assert!(table.contains("ЖРТ") || table.contains("балл"), "the passing score row: {table}");
    shot(&c, "12-compare-ky-phone").await;
    c.set_window_size(1280, 900).await.unwrap();
    click_to(&c, "table.compare thead a", "/ky/programmes/").await;
    click_to(&c, "nav.langs a[lang='ru']", "/ru/programmes/").await;
    let facts = text_of(&c, "main").await;
    assert!(facts.contains("Лицензия") && facts.contains("Выпускники"), "{facts}");
    shot(&c, "13-programme-ru").await;

    // The ministry's admin: the live licensing dashboard with its charts, in English.
    c.goto(&format!("{base}/en/login")).await.unwrap();
    c.find(Locator::Css("#login")).await.unwrap().send_keys("ministry.admin").await.unwrap();
    c.find(Locator::Css("#password")).await.unwrap().send_keys("edu24-demo").await.unwrap();
    click_to(&c, "form.stack button", "/en/me").await;
    click_to(&c, "a[href='/en/admin/licensing']", "/en/admin/licensing").await;
    assert_eq!(text_of(&c, "h1").await, "Licences: live control");
    assert_eq!(c.find_all(Locator::Css("figure.chart svg")).await.unwrap().len(), 2, "two charts");
    assert!(text_of(&c, "#unlicensed + div table").await.contains("Programmes taught with no valid licence"));
    shot(&c, "14-licensing-en").await;
    // The classifier as it was recorded, and its management page.
    c.goto(&format!("{base}/en/framework")).await.unwrap();
    assert!(text_of(&c, "table").await.contains("580100"));
    c.goto(&format!("{base}/en/admin/framework")).await.unwrap();
    let bad = dir.path().join("classifier.csv");
    std::fs::write(&bad, "code,level,name_ky,name_ru,name_en,isced_f_broad\n710700,bachelor,Киберкоопсуздук,Кибербезопасность,Cybersecurity,06\n71070,college,x,y,z,99\n").unwrap();
    c.find(Locator::Css("#fw-file")).await.unwrap().send_keys(&bad.display().to_string()).await.unwrap();
    click_to(&c, "form.stack button", "/en/admin/framework/import").await;
    let report = text_of(&c, "div.alert").await;
    assert!(report.contains("Nothing was imported") && report.contains("level"), "{report}");
    shot(&c, "15-classifier-import-en").await;
    c.goto(&format!("{base}/en/framework")).await.unwrap();
    assert!(!text_of(&c, "table").await.contains("710700"), "nothing half imported");
    // One entry through the form becomes version 1 of a new entry.
    c.goto(&format!("{base}/en/admin/framework")).await.unwrap();
    c.find(Locator::Css("#en-code")).await.unwrap().send_keys("710700").await.unwrap();
    for (id, v) in
        [("#en-name_ky", "Киберкоопсуздук"), ("#en-name_ru", "Кибербезопасность"), ("#en-name_en", "Cybersecurity")]
    {
        c.find(Locator::Css(id)).await.unwrap().send_keys(v).await.unwrap();
    }
    c.find(Locator::Css("#en-isced")).await.unwrap().select_by_value("06").await.unwrap();
    click_to(&c, "form[action='/en/admin/framework/entry'] button", "/en/admin/framework/entry").await;
    assert!(text_of(&c, "div.alert").await.contains("1 changed"));
    c.goto(&format!("{base}/en/framework")).await.unwrap();
    assert!(text_of(&c, "table").await.contains("Cybersecurity"));
    c.goto(&format!("{base}/en/me")).await.unwrap();
    c.find(Locator::Css("form.logout button")).await.unwrap().click().await.unwrap();
    c.wait().at_most(Duration::from_secs(15)).for_element(Locator::Css("nav.main a[href='/en/login']")).await.unwrap();

    // KNU's admin, in Russian: alerts on the personal page, then the profile and a logo.
    c.goto(&format!("{base}/ru/login")).await.unwrap();
    c.find(Locator::Css("#login")).await.unwrap().send_keys("knu.admin").await.unwrap();
    c.find(Locator::Css("#password")).await.unwrap().send_keys("edu24-demo").await.unwrap();
    click_to(&c, "form.stack button", "/ru/me").await;
    shot(&c, "16-me-alerts-ru").await;
    click_to(&c, "a[href^='/ru/admin/institution/']", "/ru/admin/institution/").await;
    let phone = c.find(Locator::Css("#pf-phone")).await.unwrap();
    phone.clear().await.unwrap();
    phone.send_keys("+996 312 32-35-00").await.unwrap();
    click_to(&c, "form.stack button", "saved=1").await;
    assert!(text_of(&c, "div.alert").await.contains("Сохранено"));
    let logo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/logo.png");
    c.find(Locator::Css("#im-file")).await.unwrap().send_keys(&logo.display().to_string()).await.unwrap();
    c.find(Locator::Css("form[enctype] button")).await.unwrap().click().await.unwrap();
    c.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("div.gallery img.logo")).await.unwrap();
    shot(&c, "17-institution-admin-ru").await;
    // The public page shows the new contact and logo; licences stay read-only for the university.
    c.goto(&format!("{base}/ru/institutions/knu")).await.unwrap();
    let page = text_of(&c, "main").await;
    assert!(page.contains("+996 312 32-35-00"), "{page}");
    assert!(c.find(Locator::Css("img.logo")).await.is_ok());
    c.goto(&format!("{base}/ru/admin/institution/knu/licence")).await.unwrap();
    assert_eq!(text_of(&c, "h1").await, "Доступ запрещён", "a university cannot grant itself a licence");
    c.goto(&format!("{base}/ru/admin/institution/oshsu")).await.unwrap();
    assert_eq!(text_of(&c, "h1").await, "Доступ запрещён", "nor keep another university's profile");
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registrar_mends_a_curriculum_and_the_ministry_approves_it() {
    if std::env::var("EDU24_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!("SKIPPED by EDU24_SKIP_BROWSER=1");
        return;
    }
    use edu24_shared::names::stable_id;
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let node = Proc::start(
        "run",
        &["run"],
        &[
            ("EDU24_DATA_DIR", dir.path().join("data").display().to_string()),
            ("EDU24_HTTP_ADDR", format!("127.0.0.1:{port}")),
        ],
        dir.path(),
    );
    let base = format!("http://127.0.0.1:{port}");
    wait_ready(&format!("{base}/readyz"), 90, &node).await;
    let (_driver, c) = start_browser(&dir.path().join("profile")).await;
    let draft = stable_id("curriculum", "knu:530500:bachelor:full_time:ky:2027:1");
    let approved_2026 = stable_id("curriculum", "knu:530500:bachelor:full_time:ky:2026:1");

    // KNU's registrar, in English: the university's plans at a glance.
    c.goto(&format!("{base}/en/login")).await.unwrap();
    c.find(Locator::Css("#login")).await.unwrap().send_keys("knu.registrar").await.unwrap();
    c.find(Locator::Css("#password")).await.unwrap().send_keys("edu24-demo").await.unwrap();
    click_to(&c, "form.stack button", "/en/me").await;
    click_to(&c, "a[href='/en/admin/curricula']", "/en/admin/curricula").await;
    let grid = text_of(&c, "table.grid").await;
    assert!(grid.contains("530500") && grid.contains("approved") && grid.contains("draft"), "{grid}");
    shot(&c, "18-curricula-en").await;

    // The deliberately broken draft: every finding with its numbers, lines marked.
    c.goto(&format!("{base}/en/curricula/{draft}/edit")).await.unwrap();
    let findings = text_of(&c, "ul.findings").await;
    assert!(findings.contains("mandatory course GE-MANAS") && findings.contains("hours a week"), "{findings}");
    assert!(!c.find_all(Locator::Css("tr.flag-error")).await.unwrap().is_empty(), "lines at fault are marked");
    shot(&c, "19-editor-findings-en").await;
    for lang in ["ky", "ru"] {
        click_to(&c, &format!("nav.langs a[lang='{lang}']"), &format!("/{lang}/curricula/")).await;
        assert!(text_of(&c, "ul.findings").await.contains("GE-MANAS"));
        shot(&c, &format!("20-editor-findings-{lang}")).await;
    }
    c.goto(&format!("{base}/en/curricula/{draft}/edit")).await.unwrap();

    // A typing slip in the table: the line is marked and the numbers explain it.
    let credits = c.find(Locator::Css("input[name='r1.credits']")).await.unwrap();
    let old = credits.prop("value").await.unwrap().unwrap();
    credits.clear().await.unwrap();
    credits.send_keys("9").await.unwrap();
    click_to(&c, "form.editor button[type=submit]", "saved=1").await;
    let findings = text_of(&c, "ul.findings").await;
    assert!(findings.contains("but 9 credits of 30 hours are 270 hours"), "{findings}");
    let class = c.find(Locator::Css("#line-2")).await.unwrap().attr("class").await.unwrap();
    assert_eq!(class.as_deref(), Some("flag-error"));
    let credits = c.find(Locator::Css("input[name='r1.credits']")).await.unwrap();
    credits.clear().await.unwrap();
    credits.send_keys(&old).await.unwrap();
    click_to(&c, "form.editor button[type=submit]", "saved=1").await;

    // A file with a wrong row changes nothing; the approved 2026 plan, exported, mends it.
    let plan =
        reqwest::get(format!("{base}/en/curricula/{approved_2026}/export.csv")).await.unwrap().text().await.unwrap();
    let bad = dir.path().join("plan-bad.csv");
    std::fs::write(&bad, plan.replacen(",exam,", ",viva,", 1)).unwrap();
    c.find(Locator::Css("#imp-file")).await.unwrap().send_keys(&bad.display().to_string()).await.unwrap();
    click_to(&c, "form[enctype] button", "/import").await;
    let refused = text_of(&c, "div.alert.error").await;
    assert!(refused.contains("Nothing was changed"), "{refused}");
    shot(&c, "21-import-refused-en").await;
    let good = dir.path().join("plan.csv");
    std::fs::write(&good, &plan).unwrap();
    c.find(Locator::Css("#imp-file")).await.unwrap().send_keys(&good.display().to_string()).await.unwrap();
    click_to(&c, "form[enctype] button", "saved=1").await;
    assert!(text_of(&c, "main").await.contains("The plan keeps every rule of its standard"));
    click_to(&c, "form[action$='/submit'] button", "done=submitted").await;
    assert!(text_of(&c, "dl.facts").await.contains("submitted"));
    shot(&c, "22-submitted-en").await;
    c.goto(&format!("{base}/en/me")).await.unwrap();
    c.find(Locator::Css("form.logout button")).await.unwrap().click().await.unwrap();
    c.wait().at_most(Duration::from_secs(15)).for_element(Locator::Css("nav.main a[href='/en/login']")).await.unwrap();

    // The ministry's admin, in Kyrgyz: the national view with its charts, then the approval.
    c.goto(&format!("{base}/ky/login")).await.unwrap();
    c.find(Locator::Css("#login")).await.unwrap().send_keys("ministry.admin").await.unwrap();
    c.find(Locator::Css("#password")).await.unwrap().send_keys("edu24-demo").await.unwrap();
    click_to(&c, "form.stack button", "/ky/me").await;
    click_to(&c, "a[href='/ky/admin/curricula/national']", "/ky/admin/curricula/national").await;
    c.goto(&format!("{base}/ky/admin/curricula/national?intake=2027")).await.unwrap();
    assert!(!c.find_all(Locator::Css("figure.chart svg")).await.unwrap().is_empty());
    shot(&c, "23-national-ky").await;
    click_to(&c, &format!("#queue + div a[href='/ky/curricula/{draft}']"), &format!("/ky/curricula/{draft}")).await;
    click_to(&c, "button[value=approve]", "done=approved").await;
    let facts = text_of(&c, "dl.facts").await;
    assert!(facts.contains("SHA-256"), "an approved plan shows its fingerprint: {facts}");
    shot(&c, "24-approved-ky").await;

    // Anyone, on a phone, in Russian: General Medicine across universities.
    c.set_window_size(390, 844).await.unwrap();
    c.goto(&format!("{base}/ru/curricula/compare?specialty=560001&level=specialist&intake=2026")).await.unwrap();
    assert_eq!(c.find_all(Locator::Css("figure.chart svg")).await.unwrap().len(), 2, "two charts");
    fits(&c, "comparison").await;
    shot(&c, "25-compare-ru-phone").await;
    c.goto(&format!("{base}/ru/curricula/{approved_2026}")).await.unwrap();
    fits(&c, "a plan").await;
    shot(&c, "26-curriculum-ru-phone").await;
    c.close().await.unwrap();
}

async fn log_in(c: &Client, base: &str, lang: &str, login: &str) {
    c.goto(&format!("{base}/{lang}/login")).await.unwrap();
    c.find(Locator::Css("#login")).await.unwrap().send_keys(login).await.unwrap();
    c.find(Locator::Css("#password")).await.unwrap().send_keys("edu24-demo").await.unwrap();
    click_to(c, "form.stack button", &format!("/{lang}/me")).await;
}

async fn log_out(c: &Client, base: &str, lang: &str) {
    c.goto(&format!("{base}/{lang}/me")).await.unwrap();
    c.find(Locator::Css("form.logout button")).await.unwrap().click().await.unwrap();
    c.wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Css(&format!("nav.main a[href='/{lang}/login']")))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teacher_fills_in_a_sheet_the_registrar_closes_it_and_the_student_sees_the_grade() {
    if std::env::var("EDU24_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!("SKIPPED by EDU24_SKIP_BROWSER=1");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let node = Proc::start(
        "run",
        &["run"],
        &[
            ("EDU24_DATA_DIR", dir.path().join("data").display().to_string()),
            ("EDU24_HTTP_ADDR", format!("127.0.0.1:{port}")),
        ],
        dir.path(),
    );
    let base = format!("http://127.0.0.1:{port}");
    wait_ready(&format!("{base}/readyz"), 90, &node).await;
    let (_driver, c) = start_browser(&dir.path().join("profile")).await;

    // The demo teacher, in English: their sheets, the draft of this semester.
    log_in(&c, &base, "en", "knu.teacher").await;
    click_to(&c, "a[href='/en/sheets']", "/en/sheets").await;
    let list = text_of(&c, "table").await;
    assert!(list.contains("Draft") && list.contains("Submitted") && list.contains("Closed"), "{list}");
    shot(&c, "27-sheets-teacher-en").await;
    let draft = c.find(Locator::XPath("//tr[.//span[text()='Draft']]//a")).await.unwrap();
    draft.click().await.unwrap();
    c.wait().at_most(Duration::from_secs(15)).for_element(Locator::Css("table.sheet input")).await.unwrap();
    shot(&c, "28-sheet-draft-en").await;
    // Every empty score gets one, with attendance; then save and submit.
    for input in c.find_all(Locator::Css("input[name^='score.']")).await.unwrap() {
        if input.prop("value").await.unwrap().unwrap_or_default().is_empty() {
            input.send_keys("74").await.unwrap();
        }
    }
    for input in c.find_all(Locator::Css("input[name^='attendance.']")).await.unwrap() {
        if input.prop("value").await.unwrap().unwrap_or_default().is_empty() {
            input.send_keys("88").await.unwrap();
        }
    }
    click_to(&c, "button[value=submit]", "done=submitted").await;
    assert!(text_of(&c, "div.alert.ok").await.contains("Submitted to the registrar"));
    let sheet_url = c.current_url().await.unwrap().as_str().split('?').next().unwrap().to_owned();
    log_out(&c, &base, "en").await;

    // The registrar, in Russian: the flagged sheet needs a confirmation before closing.
    log_in(&c, &base, "ru", "knu.registrar").await;
    c.goto(&format!("{base}/ru/sheets?state=submitted")).await.unwrap();
    shot(&c, "29-sheets-registrar-ru").await;
    let flagged = c.find(Locator::XPath("//tr[.//span[contains(@class,'warn')]]//a")).await.unwrap();
    flagged.click().await.unwrap();
    c.wait().at_most(Duration::from_secs(15)).for_element(Locator::Css("tr.flag-warning")).await.unwrap();
    shot(&c, "30-sheet-flag-ru").await;
    click_to(&c, "form[action$='/close'] button", "/close").await;
    assert!(
        text_of(&c, "div.alert.error").await.contains("подтвердите"),
        "closing without the confirmation is refused"
    );
    c.find(Locator::Css("#cl-flags")).await.unwrap().click().await.unwrap();
    click_to(&c, "form[action$='/close'] button", "done=closed").await;
    assert!(text_of(&c, "div.alert.ok").await.contains("Закрыта"));
    // The teacher's sheet: closed too, then a correction is asked for.
    c.goto(&sheet_url.replace("/en/", "/ru/")).await.unwrap();
    c.find(Locator::Css("#cl-flags")).await.ok();
    click_to(&c, "form[action$='/close'] button", "done=closed").await;
    c.find(Locator::Css("details.more summary")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("#kr-score")).await.unwrap().send_keys("81").await.unwrap();
    c.find(Locator::Css("#kr-attendance")).await.unwrap().send_keys("90").await.unwrap();
    c.find(Locator::Css("#kr-reason")).await.unwrap().send_keys("Апелляция, протокол № 3").await.unwrap();
    click_to(&c, "form[action$='/corrections'] button", "done=correction_requested").await;
    shot(&c, "31-sheet-correction-ru").await;
    log_out(&c, &base, "ru").await;

    // The student, in Kyrgyz, on a phone: grades by semester, the GPA chart.
    c.set_window_size(390, 844).await.unwrap();
    log_in(&c, &base, "ky", "knu.student").await;
    click_to(&c, "a[href='/ky/me/grades']", "/ky/me/grades").await;
    let page = text_of(&c, "main").await;
    assert!(page.contains("GPA") && page.contains("1-семестр") && page.contains("2-семестр"), "{page}");
    fits(&c, "the transcript").await;
    shot(&c, "32-grades-ky-phone").await;
    c.set_window_size(1280, 900).await.unwrap();
    shot(&c, "33-grades-ky").await;
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registrar_issues_a_groups_diplomas_and_anyone_verifies_one_on_a_phone() {
    if std::env::var("EDU24_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!("SKIPPED by EDU24_SKIP_BROWSER=1");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let node = Proc::start(
        "run",
        &["run"],
        &[
            ("EDU24_DATA_DIR", dir.path().join("data").display().to_string()),
            ("EDU24_HTTP_ADDR", format!("127.0.0.1:{port}")),
        ],
        dir.path(),
    );
    let base = format!("http://127.0.0.1:{port}");
    wait_ready(&format!("{base}/readyz"), 90, &node).await;
    let (_driver, c) = start_browser(&dir.path().join("profile")).await;

    // The registrar, in Russian: blank forms first, then the class of 2026.
    log_in(&c, &base, "ru", "knu.registrar").await;
    click_to(&c, "a[href^='/ru/admin/diplomas?institution=']", "/ru/admin/diplomas").await;
    shot(&c, "34-diplomas-register-ru").await;
    click_to(&c, "a[href^='/ru/admin/diplomas/forms']", "/ru/admin/diplomas/forms").await;
    c.find(Locator::Css("#f-series")).await.unwrap().send_keys("БД").await.unwrap();
    c.find(Locator::Css("#f-first")).await.unwrap().send_keys("1001").await.unwrap();
    c.find(Locator::Css("#f-last")).await.unwrap().send_keys("1100").await.unwrap();
    c.find(Locator::Css("#f-doc")).await.unwrap().send_keys("Акт № 14/2026").await.unwrap();
    click_to(&c, "form[action$='/forms/receive'] button", "/forms/receive").await;
    assert!(text_of(&c, "div.alert.ok").await.contains("100"), "the receipt is recorded");
    // And forms of diplomas with honours, chosen with the keyboard-usable select.
    c.find(Locator::Css("#f-kind option[value='bachelor_honours']")).await.unwrap().click().await.unwrap();
    c.find(Locator::Css("#f-series")).await.unwrap().send_keys("БК").await.unwrap();
    c.find(Locator::Css("#f-first")).await.unwrap().send_keys("501").await.unwrap();
    c.find(Locator::Css("#f-last")).await.unwrap().send_keys("520").await.unwrap();
    c.find(Locator::Css("#f-doc")).await.unwrap().send_keys("Акт № 15/2026").await.unwrap();
    click_to(&c, "form[action$='/forms/receive'] button", "/forms/receive").await;
    assert!(text_of(&c, "div.alert.ok").await.contains("20"), "the receipt is recorded");
    shot(&c, "35-blank-forms-ru").await;
    c.goto(&format!("{base}/ru/admin/diplomas")).await.unwrap();
    click_to(&c, "a[href*='group=%D0%AE%D0%A0-22-1']", "/ru/admin/diplomas/group").await;
    let table = text_of(&c, "table").await;
    assert!(table.contains("может быть выдан"), "{table}");
    assert!(table.contains("не сдано") || table.contains("нет результата") || table.contains("Кредиты"), "{table}");
    shot(&c, "36-graduating-group-ru").await;
    c.find(Locator::Css("#i-order")).await.unwrap().send_keys("Б-214").await.unwrap();
    c.find(Locator::Css("#i-signatory")).await.unwrap().send_keys("Ректор Жоробекова Ж. Ж.").await.unwrap();
    click_to(&c, "form[action$='/admin/diplomas/issue'] button", "/admin/diplomas/issue").await;
    assert!(text_of(&c, "div.alert.ok").await.contains("ЮР-22-1"));
    shot(&c, "37-diplomas-issued-ru").await;
    click_to(&c, "table a[href^='/ru/diplomas/']", "/ru/diplomas/").await;
    shot(&c, "38-diploma-ru").await;
    let facts = text_of(&c, "dl.facts").await;
    assert!(facts.contains("Б-214") && (facts.contains("БД ") || facts.contains("БК ")), "{facts}");
    // Its number and the holder's family name, for the public check.
    let number = text_of(&c, "h1").await.rsplit(' ').next().unwrap().to_owned();
    let holder = facts.lines().skip_while(|l| !l.contains("Владелец")).nth(1).unwrap_or_default().to_owned();
    let family = holder.split_whitespace().next().unwrap().to_owned();
    log_out(&c, &base, "ru").await;

    // Anyone, in Kyrgyz, on a phone: the public check by number and family name.
    c.set_window_size(390, 844).await.unwrap();
    c.goto(&format!("{base}/ky/verify")).await.unwrap();
    c.find(Locator::Css("#v-number")).await.unwrap().send_keys(&number).await.unwrap();
    c.find(Locator::Css("#v-name")).await.unwrap().send_keys(&family.to_lowercase()).await.unwrap();
    click_to(&c, "form[action='/ky/verify'] button", "number=").await;
    let answer = text_of(&c, "div.alert").await;
    assert!(answer.contains("Жарактуу") && answer.contains(&family), "{answer}");
    fits(&c, "the check").await;
    shot(&c, "39-verify-ky-phone").await;
    // A wrong family name finds nothing (and says so).
    c.goto(&format!("{base}/en/verify?number={number}&name=Smith")).await.unwrap();
    assert!(text_of(&c, "div.alert").await.contains("Not found"));
    shot(&c, "40-verify-not-found-en-phone").await;

    // The demo graduate, in English on the phone: their diploma (with honours) and its files.
    log_in(&c, &base, "en", "knu.graduate").await;
    c.goto(&format!("{base}/en/me/diplomas")).await.unwrap();
    let mine = text_of(&c, "table").await;
    assert!(mine.contains("KNU-2026-"), "{mine}");
    click_to(&c, "table a[href^='/en/diplomas/']", "/en/diplomas/").await;
    let facts = text_of(&c, "main").await;
    assert!(facts.contains("with honours") && facts.contains("Абдыкадыров"), "{facts}");
    assert!(c.find(Locator::Css("a[href$='/credential.json']")).await.is_ok(), "the credential to download");
    fits(&c, "the graduate's diploma").await;
    shot(&c, "41-graduate-diploma-en-phone").await;
    log_out(&c, &base, "en").await;
    c.set_window_size(1280, 900).await.unwrap();
    c.close().await.unwrap();
}

//! The portal and API over HTTP, against an embedded node in this process: languages,
//! security headers, CSRF, bad input, and no panic on any input.

use edu24_gateway::node::Embedded;
use edu24_tests::{browser_like_client, csrf_of, portal_login};
use reqwest::StatusCode;

async fn node() -> (Embedded, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let node = Embedded::start(dir.path(), "127.0.0.1:0".parse().unwrap(), true).await.unwrap();
    let base = format!("http://{}", node.addr);
    (node, base, dir)
}

#[tokio::test]
async fn pages_speak_three_languages_and_negotiate_the_rest() {
    let (node, base, _dir) = node().await;
    let c = browser_like_client();
    for (lang, title) in
        [("ky", "Өз университетиңизди табыңыз"), ("ru", "Найдите свой вуз"), ("en", "Find your university")]
    {
        let r = c.get(format!("{base}/{lang}/")).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let html = r.text().await.unwrap();
        assert!(html.contains(&format!("<html lang=\"{lang}\"")), "{lang}");
        assert!(html.contains(title), "{lang}: {title} not in page");
    }
    // No language in the URL: Accept-Language decides, then the cookie set by a visit.
    let fresh = browser_like_client();
    let r = fresh.get(format!("{base}/")).header("accept-language", "ru-RU,ru;q=0.9").send().await.unwrap();
    assert_eq!((r.status(), r.headers()["location"].to_str().unwrap()), (StatusCode::SEE_OTHER, "/ru/"));
    let r = fresh.get(format!("{base}/institutions?q=osh")).send().await.unwrap();
    assert_eq!(r.headers()["location"], "/ky/institutions?q=osh", "default: Kyrgyz");
    fresh.get(format!("{base}/en/")).send().await.unwrap();
    let r = fresh.get(format!("{base}/")).header("accept-language", "ru").send().await.unwrap();
    assert_eq!(r.headers()["location"], "/en/", "the cookie of the last chosen language wins");
    // An unknown language falls back with a visible notice.
    let r = browser_like_client()
        .get(format!("{base}/de/institutions"))
        .header("accept-language", "ru")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("class=\"notice\""), "notice shown");
    assert!(html.contains("«de»") && html.contains("<html lang=\"ru\""), "{html}");
    node.shutdown().await.unwrap();
}

#[tokio::test]
async fn security_headers_cookies_and_csrf() {
    let (node, base, _dir) = node().await;
    let c = browser_like_client();
    let r = c.get(format!("{base}/en/login")).send().await.unwrap();
    let h = r.headers().clone();
    assert!(h["content-security-policy"].to_str().unwrap().contains("default-src 'none'"));
    assert!(h["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "strict-origin-when-cross-origin");
    let csrf_cookie =
        h.get_all("set-cookie").iter().map(|v| v.to_str().unwrap()).find(|v| v.starts_with("edu24_csrf=")).unwrap();
    assert!(csrf_cookie.contains("HttpOnly") && csrf_cookie.contains("SameSite=Strict"));
    let html = r.text().await.unwrap();
    assert!(html.contains("<label for=\"login\">") && html.contains("autocomplete=\"current-password\""));

    // No token, a wrong token, or a cross-site origin: refused, and nobody is logged in.
    for (token, origin) in [
        ("", None),
        ("0123456789abcdef0123456789abcdef0123456789abcdef", None),
        (csrf_of(&html).as_str(), Some("https://evil.example")),
    ] {
        let mut req = c.post(format!("{base}/en/login")).form(&[
            ("csrf", token),
            ("login", "knu.registrar"),
            ("password", "edu24-demo"),
        ]);
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "csrf {token:?} origin {origin:?}");
        assert!(r.headers().get_all("set-cookie").iter().all(|v| !v.to_str().unwrap().starts_with("edu24_session=")));
    }
    let r = portal_login(&c, &base, "en", "knu.registrar", "edu24-demo").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let session = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("edu24_session="))
        .unwrap();
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax") && session.contains("Path=/"),
        "{session}"
    );
    let me = c.get(format!("{base}/en/me")).send().await.unwrap();
    assert_eq!(me.headers()["cache-control"], "no-store");
    let me = me.text().await.unwrap();
    assert!(me.contains("Нургүл Асанова") && me.contains("Registrar"));
    // Log out: the session ends for good, even if someone kept the cookie.
    let csrf = csrf_of(&me);
    let r = c.post(format!("{base}/en/logout")).form(&[("csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = c.get(format!("{base}/en/me")).send().await.unwrap();
    assert_eq!((r.status(), r.headers()["location"].to_str().unwrap()), (StatusCode::SEE_OTHER, "/en/login"));
    // Wrong passwords get one generic answer, in the page's language.
    let r = portal_login(&browser_like_client(), &base, "ru", "knu.registrar", "nope-nope").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r.text().await.unwrap().contains("Неверный логин или пароль"));
    let r = portal_login(&browser_like_client(), &base, "ru", "no.such.user", "nope-nope").await;
    assert!(r.text().await.unwrap().contains("Неверный логин или пароль"));
    node.shutdown().await.unwrap();
}

#[tokio::test]
async fn bad_input_gets_clear_errors_in_problem_json_or_translated_pages() {
    let (node, base, _dir) = node().await;
    let c = browser_like_client();
    for (query, param) in [
        ("page=0", "page"),
        ("page=x", "page"),
        ("per_page=500", "per_page"),
        ("region=mars", "region"),
        ("level=college", "level"),
        ("specialty=12ab", "specialty"),
        ("ownership=x", "ownership"),
    ] {
        let r = c.get(format!("{base}/api/v1/institutions?{query}")).send().await.unwrap();
        assert_eq!(r.status(), 400, "{query}");
        assert_eq!(r.headers()["content-type"], "application/problem+json");
        let p: serde_json::Value = r.json().await.unwrap();
        assert_eq!(
            (p["parameter"].as_str(), p["code"].as_str(), p["status"].as_u64()),
            (Some(param), Some("invalid_argument"), Some(400)),
            "{p}"
        );
        let r = c.get(format!("{base}/ky/institutions?{query}")).send().await.unwrap();
        assert_eq!(r.status(), 400, "page {query}");
        assert!(r.text().await.unwrap().contains(param), "the page names {param}");
    }
    let r = c.get(format!("{base}/api/v1/institutions/nope")).send().await.unwrap();
    assert_eq!(
        (r.status(), r.headers()["content-type"].to_str().unwrap()),
        (StatusCode::NOT_FOUND, "application/problem+json")
    );
    for (lang, text) in
        [("en", "There is no university with this address"), ("ru", "В каталоге нет вуза"), ("ky", "ЖОЖ")]
    {
        let r = c.get(format!("{base}/{lang}/institutions/no_such_university")).send().await.unwrap();
        assert_eq!(r.status(), 404);
        let html = r.text().await.unwrap();
        assert!(html.contains(text), "{lang}: {html}");
    }
    let r = c.get(format!("{base}/en/no/such/page")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let r = c.get(format!("{base}/api/v1/nothing")).send().await.unwrap();
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    node.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_api_serves_the_catalogue_and_describes_itself() {
    let (node, base, _dir) = node().await;
    let c = browser_like_client();
    let spec: serde_json::Value =
        c.get(format!("{base}/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(spec["openapi"].as_str().map(|v| v.starts_with("3.")), Some(true));
    for path in [
        "/api/v1/institutions",
        "/api/v1/institutions/{code}",
        "/api/v1/programmes/{id}",
        "/api/v1/framework",
        "/api/v1/stats",
    ] {
        assert!(spec["paths"][path]["get"].is_object(), "{path} documented");
    }
    let page: serde_json::Value = c
        .get(format!("{base}/api/v1/institutions?level=specialist&per_page=5&lang=en"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(page["total"].as_u64().unwrap() > 5);
    assert_eq!(page["items"].as_array().unwrap().len(), 5);
    let ksma: serde_json::Value =
        c.get(format!("{base}/api/v1/institutions/ksma")).send().await.unwrap().json().await.unwrap();
    assert_eq!(ksma["summary"]["name"]["ru"], "Кыргызская государственная медицинская академия имени И.К. Ахунбаева");
    let pid = ksma["programmes"][0]["id"].as_str().unwrap();
    let p: serde_json::Value =
        c.get(format!("{base}/api/v1/programmes/{pid}")).send().await.unwrap().json().await.unwrap();
    assert_eq!(p["institution"]["code"], "ksma");
    node.shutdown().await.unwrap();
}

/// Deterministic pseudo-random strings, including path and query troublemakers.
fn junk(seed: &mut u64) -> String {
    const PIECES: &[&str] = &[
        "/",
        "..",
        "%",
        "%00",
        "%ff",
        "?",
        "&",
        "=",
        "page",
        "q",
        "ky",
        "ru",
        "en",
        "de",
        "institutions",
        "programmes",
        "me",
        "login",
        "api",
        "v1",
        "ё",
        "\u{1F600}",
        "'",
        "\"",
        "<script>",
        "9999999999999999999999",
        "-1",
        "\\",
        "#",
        " ",
        "+",
        "%2F",
        ";",
    ];
    let mut s = String::new();
    for _ in 0..(*seed % 9 + 1) {
        *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        s.push_str(PIECES[(*seed >> 33) as usize % PIECES.len()]);
    }
    s
}

#[tokio::test]
async fn no_input_makes_the_gateway_fail() {
    let (node, base, _dir) = node().await;
    let c = browser_like_client();
    let mut seed = 42u64;
    for _ in 0..400 {
        let path = junk(&mut seed);
        let url = format!("{base}/{}", path.trim_start_matches('/'));
        let Ok(r) = c.get(&url).send().await else {
            continue;
        }; // the client refused to build the URL
        assert!(r.status().as_u16() < 500, "{url} -> {}", r.status());
        let url = format!("{base}/en/institutions?q={}&page={}", junk(&mut seed), junk(&mut seed));
        if let Ok(r) = c.get(&url).send().await {
            assert!(r.status().as_u16() < 500, "{url} -> {}", r.status());
        }
    }
    // Form posts with junk.
    for _ in 0..50 {
        let body = junk(&mut seed);
        let r = c
            .post(format!("{base}/en/login"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert!(r.status().as_u16() < 500, "{body:?} -> {}", r.status());
    }
    let r = c.get(format!("{base}/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 200, "still serving");
    node.shutdown().await.unwrap();
}

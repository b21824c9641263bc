//! Language in the URL (`/ky/...`, `/ru/...`, `/en/...`), then a cookie, then
//! `Accept-Language`; and the per-request context of portal pages.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use crate::i18n::Lang;

pub const SESSION_COOKIE: &str = "edu24_session";
pub const CSRF_COOKIE: &str = "edu24_csrf";
pub const LANG_COOKIE: &str = "lang";

/// First path segments that are not portal pages and carry no language.
const UNPREFIXED: &[&str] = &["static", "api", "healthz", "readyz", "metrics", "favicon.ico", "robots.txt"];
/// First segments of portal pages (after the language).
const PORTAL: &[&str] = &["", "institutions", "programmes", "login", "logout", "me"];

/// The language of a portal request and how it was chosen.
#[derive(Clone, Debug)]
pub struct LangInfo {
    pub lang: Lang,
    /// The language asked for in the URL when it is not one EDU24 speaks.
    pub unsupported: Option<String>,
    /// The path and query after the language prefix, for the language switcher.
    pub rest: String,
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

/// The language for a request that names none in its URL.
pub fn negotiate(headers: &HeaderMap) -> Lang {
    cookie(headers, LANG_COOKIE)
        .and_then(Lang::parse)
        .or_else(|| headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Lang::from_accept_language))
        .unwrap_or(Lang::DEFAULT)
}

fn looks_like_language(seg: &str) -> bool {
    let b = seg.as_bytes();
    (b.len() == 2 || b.len() == 3 || (b.len() == 5 && b[2] == b'-'))
        && b.iter().enumerate().all(|(i, c)| c.is_ascii_alphabetic() || (i == 2 && *c == b'-'))
        && !PORTAL.contains(&seg)
}

/// Strips the language prefix from portal URLs (and records it), redirects portal
/// URLs without one, and leaves the API, static files and probes alone.
pub async fn language_routing(mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let query = req.uri().query().map(|q| format!("?{q}")).unwrap_or_default();
    let trimmed = path.trim_start_matches('/');
    let (first, rest) = match trimmed.split_once('/') {
        Some((f, r)) => (f, format!("/{r}")),
        None => (trimmed, "/".to_owned()),
    };
    if UNPREFIXED.contains(&first) {
        return next.run(req).await;
    }
    let (lang, unsupported) = match Lang::parse(first) {
        Some(l) => (l, None),
        None if looks_like_language(first) => (negotiate(req.headers()), Some(first.chars().take(12).collect::<String>())),
        None => {
            let lang = negotiate(req.headers());
            let target = format!("/{}{}{}", lang.code(), if path == "/" { "/" } else { &path }, query);
            return Redirect::to(&target).into_response();
        }
    };
    let new_uri = format!("{rest}{query}");
    match new_uri.parse::<Uri>() {
        Ok(uri) => *req.uri_mut() = uri,
        Err(_) => return StatusCode::BAD_REQUEST.into_response(),
    }
    let set_cookie = unsupported.is_none() && cookie(req.headers(), LANG_COOKIE) != Some(lang.code());
    req.extensions_mut().insert(LangInfo { lang, unsupported, rest: new_uri });
    let mut resp = next.run(req).await;
    if set_cookie {
        if let Ok(v) = HeaderValue::from_str(&format!("{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code())) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    resp
}

/// What every portal handler knows about its request.
#[derive(Clone, Debug)]
pub struct Ctx {
    pub lang: Lang,
    pub unsupported_lang: Option<String>,
    /// Path and query after the language prefix.
    pub rest: String,
    pub session: Option<String>,
    pub csrf_cookie: Option<String>,
    pub client_addr: String,
    pub user_agent: String,
    /// `Origin` or `Sec-Fetch-Site` say the request came from another site.
    pub cross_site: bool,
}

impl Ctx {
    /// A portal URL in this request's language.
    pub fn href(&self, path: &str) -> String {
        format!("/{}{}", self.lang.code(), path)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let info = parts.extensions.get::<LangInfo>().cloned().unwrap_or(LangInfo {
            lang: negotiate(&parts.headers),
            unsupported: None,
            rest: parts.uri.path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "/".into()),
        });
        let h = &parts.headers;
        let client_addr = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "unknown".into());
        let fetch_site = h.get("sec-fetch-site").and_then(|v| v.to_str().ok());
        let host = h.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
        let origin_foreign = h
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|o| o != "null" && o.split("://").nth(1) != Some(host));
        Ok(Ctx {
            lang: info.lang,
            unsupported_lang: info.unsupported,
            rest: info.rest,
            session: cookie(h, SESSION_COOKIE).filter(|s| !s.is_empty() && s.len() < 200).map(str::to_owned),
            csrf_cookie: cookie(h, CSRF_COOKIE).filter(|s| s.len() >= 32 && s.len() < 100).map(str::to_owned),
            client_addr,
            user_agent: h.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("").chars().take(300).collect(),
            cross_site: matches!(fetch_site, Some("cross-site")) || origin_foreign,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_language_like_segments_but_not_pages() {
        assert!(looks_like_language("de"));
        assert!(looks_like_language("kaz"));
        assert!(looks_like_language("de-AT"));
        assert!(!looks_like_language("me"));
        assert!(!looks_like_language("institutions"));
        assert!(!looks_like_language("d1"));
    }

    #[test]
    fn reads_cookies() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; lang=ru; edu24_session=xyz"));
        assert_eq!(cookie(&h, "lang"), Some("ru"));
        assert_eq!(cookie(&h, "edu24_session"), Some("xyz"));
        assert_eq!(cookie(&h, "nope"), None);
        assert_eq!(negotiate(&h), Lang::Ru);
    }
}

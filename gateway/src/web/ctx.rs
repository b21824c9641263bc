//! Language in the URL (`/ky/...`, `/ru/...`, `/en/...`), then a cookie, then
//! `Accept-Language`; and the per-request context of portal pages.

use std::net::{IpAddr, SocketAddr};

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
const UNPREFIXED: &[&str] =
    &["static", "api", "healthz", "readyz", "metrics", "favicon.ico", "robots.txt", "credentials"];
/// First segments of portal pages (after the language).
const PORTAL: &[&str] = &[
    "",
    "institutions",
    "programmes",
    "login",
    "logout",
    "me",
    "admin",
    "access-request",
    "register",
    "reset",
    "verify-email",
    "compare",
    "framework",
    "open-data",
    "standards",
    "curricula",
    "sheets",
];

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
        .or_else(|| {
            headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Lang::from_accept_language)
        })
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
        None if looks_like_language(first) => {
            (negotiate(req.headers()), Some(first.chars().take(12).collect::<String>()))
        }
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
    if set_cookie
        && let Ok(v) =
            HeaderValue::from_str(&format!("{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code()))
    {
        resp.headers_mut().append(header::SET_COOKIE, v);
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
            .map(|c| client_ip(c.0.ip(), h, trusted_proxies()).to_string())
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
            user_agent: h
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .chars()
                .take(300)
                .collect(),
            cross_site: matches!(fetch_site, Some("cross-site")) || origin_foreign,
        })
    }
}

/// An address range in CIDR notation (`10.0.0.0/8`, `::1/128`) or a single address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    net: u128,
    mask: u128,
    v4: bool,
}

impl Cidr {
    pub fn parse(s: &str) -> Option<Cidr> {
        let (ip, len) = match s.trim().split_once('/') {
            Some((ip, len)) => (ip, Some(len.parse::<u32>().ok()?)),
            None => (s.trim(), None),
        };
        let ip: IpAddr = ip.parse().ok()?;
        let (bits, v4, max) = match ip {
            IpAddr::V4(a) => (u128::from(u32::from(a)), true, 32),
            IpAddr::V6(a) => (u128::from(a), false, 128),
        };
        let len = len.unwrap_or(max);
        if len > max {
            return None;
        }
        let mask =
            if len == 0 { 0 } else { (!0u128 << (max - len)) & if v4 { u128::from(u32::MAX) } else { u128::MAX } };
        Some(Cidr { net: bits & mask, mask, v4 })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match ip {
            IpAddr::V4(a) if self.v4 => u128::from(u32::from(a)) & self.mask == self.net,
            IpAddr::V6(a) if !self.v4 => u128::from(a) & self.mask == self.net,
            IpAddr::V6(a) => a.to_ipv4_mapped().is_some_and(|a4| self.contains(IpAddr::V4(a4))),
            _ => false,
        }
    }
}

/// Proxies whose `X-Forwarded-For` is believed (`EDU24_TRUSTED_PROXIES`, comma-separated
/// CIDRs, e.g. the ingress's pod network). Empty by default: the peer is the client.
fn trusted_proxies() -> &'static [Cidr] {
    static P: std::sync::OnceLock<Vec<Cidr>> = std::sync::OnceLock::new();
    P.get_or_init(|| {
        edu24_shared::config::env("EDU24_TRUSTED_PROXIES")
            .map(|v| {
                v.split(',')
                    .filter(|s| !s.trim().is_empty())
                    .filter_map(|s| {
                        let c = Cidr::parse(s);
                        if c.is_none() {
                            tracing::error!(entry = s, "EDU24_TRUSTED_PROXIES entry ignored: not an address or CIDR");
                        }
                        c
                    })
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// The end user's address: the peer, or, when the peer is a trusted proxy, the
/// rightmost address of `X-Forwarded-For` that is not a trusted proxy.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[Cidr]) -> IpAddr {
    if !trusted.iter().any(|c| c.contains(peer)) {
        return peer;
    }
    let chain: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    chain.iter().rev().find(|ip| !trusted.iter().any(|c| c.contains(**ip))).copied().unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
        let trusted = [Cidr::parse("10.0.0.0/8").unwrap(), Cidr::parse("fd00::/8").unwrap()];
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_static("1.2.3.4, 203.0.113.9, 10.1.2.3"));
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(client_ip(ip("10.9.9.9"), &h, &trusted), ip("203.0.113.9"), "rightmost untrusted");
        assert_eq!(client_ip(ip("198.51.100.7"), &h, &trusted), ip("198.51.100.7"), "untrusted peer: header ignored");
        assert_eq!(client_ip(ip("10.9.9.9"), &HeaderMap::new(), &trusted), ip("10.9.9.9"));
        assert!(Cidr::parse("10.0.0.0/33").is_none());
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
        assert!(!Cidr::parse("192.168.1.0/24").unwrap().contains(ip("192.168.2.1")));
        assert!(Cidr::parse("127.0.0.1").unwrap().contains(ip("::ffff:127.0.0.1")));
    }

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

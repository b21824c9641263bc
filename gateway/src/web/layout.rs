//! The page shell, static assets and small rendering helpers shared by pages.

use std::sync::OnceLock;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use sha2::{Digest, Sha256};

use super::ctx::Ctx;
use crate::i18n::{Lang, Tr, text};

const CSS: &str = include_str!("../../assets/app.css");
const FAVICON: &str = include_str!("../../assets/favicon.svg");

/// Short content hash of the stylesheet, so it can be cached for a year.
fn css_version() -> &'static str {
    static V: OnceLock<String> = OnceLock::new();
    V.get_or_init(|| hex::encode(&Sha256::digest(CSS.as_bytes())[..6]))
}

fn immutable(body: &'static str, content_type: &'static str) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    r
}

pub async fn stylesheet() -> Response {
    immutable(CSS, "text/css; charset=utf-8")
}

pub async fn favicon() -> Response {
    immutable(FAVICON, "image/svg+xml")
}

/// A full HTML page.
pub fn page(tr: Tr<'_>, ctx: &Ctx, title: &str, body: Markup) -> Markup {
    let lang = ctx.lang;
    let logged_in = ctx.session.is_some();
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · EDU24" }
                meta name="description" content=(tr.t("site-description"));
                link rel="stylesheet" href={ "/static/app.css?v=" (css_version()) };
                link rel="icon" href="/static/favicon.svg" type="image/svg+xml";
                @for l in Lang::ALL {
                    @if l != lang {
                        link rel="alternate" hreflang=(l.code()) href={ "/" (l.code()) (ctx.rest) };
                    }
                }
            }
            body {
                a.skip href="#main" { (tr.t("skip-to-content")) }
                header.top {
                    div.wrap {
                        a.brand href=(ctx.href("/")) {
                            "EDU24"
                            small { (tr.t("site-tagline")) }
                        }
                        nav.main aria-label=(tr.t("nav-label")) {
                            a href=(ctx.href("/institutions")) { (tr.t("nav-catalogue")) }
                            a href=(ctx.href("/programmes")) { (tr.t("nav-programmes")) }
                            a href=(ctx.href("/verify")) { (tr.t("nav-verify")) }
                            @if logged_in {
                                a href=(ctx.href("/me")) { (tr.t("nav-me")) }
                            } @else {
                                a href=(ctx.href("/login")) { (tr.t("nav-login")) }
                            }
                        }
                        nav.langs aria-label=(tr.t("nav-language")) {
                            @for l in Lang::ALL {
                                @if l == lang {
                                    a href={ "/" (l.code()) (ctx.rest) } lang=(l.code()) aria-current="true" { (l.native_name()) }
                                } @else {
                                    a href={ "/" (l.code()) (ctx.rest) } lang=(l.code()) hreflang=(l.code()) { (l.native_name()) }
                                }
                            }
                        }
                    }
                }
                @if let Some(asked) = &ctx.unsupported_lang {
                    div.notice role="status" {
                        div.wrap { (tr.ta("notice-language-unsupported", &[("asked", text(asked)), ("shown", text(lang.native_name()))])) }
                    }
                }
                main #main.wrap { (body) }
                footer {
                    div.wrap {
                        span { (tr.t("footer-ministry")) }
                        a href="/api/v1/openapi.json" { (tr.t("footer-api")) }
                        a href=(ctx.href("/institutions")) { (tr.t("nav-catalogue")) }
                        a href=(ctx.href("/framework")) { (tr.t("framework-title")) }
                        a href=(ctx.href("/open-data")) { (tr.t("open-data-title")) }
                    }
                }
            }
        }
    }
}

/// An HTML response with a status, not cached by shared caches.
pub fn respond(status: StatusCode, markup: Markup) -> Response {
    let mut r = (status, markup).into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

/// A generated document as a download that no cache keeps.
pub fn pdf_download(doc: edu24_identity::DocumentFile) -> Response {
    let mut r = doc.bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", doc.file_name.replace('"', ""))) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// A translated error page.
pub fn error_page(tr: Tr<'_>, ctx: &Ctx, status: StatusCode, title_id: &str, detail: &str) -> Response {
    let title = tr.t(title_id);
    let body = html! {
        h1 { (title) }
        p { (detail) }
        p { a href=(ctx.href("/")) { (tr.t("error-home")) } " · " a href=(ctx.href("/institutions")) { (tr.t("nav-catalogue")) } }
    };
    respond(status, page(tr, ctx, &title, body))
}

/// Escapes nothing: for SVG built from numbers and already-escaped text only.
pub fn svg(s: String) -> PreEscaped<String> {
    PreEscaped(s)
}

/// Escapes text for inclusion in hand-built SVG.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A horizontal bar chart as inline SVG (no script), with a text equivalent.
pub fn bar_chart(title: &str, rows: &[(String, u64)]) -> Markup {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1) as f64;
    let row_h = 26.0;
    let label_w = 250.0;
    let bar_w = 300.0;
    let height = row_h * rows.len() as f64 + 8.0;
    let mut s = format!(
        "<svg viewBox=\"0 0 {w} {height}\" role=\"img\" aria-label=\"{t}\" xmlns=\"http://www.w3.org/2000/svg\">",
        w = label_w + bar_w + 50.0,
        t = xml_escape(title)
    );
    for (i, (label, v)) in rows.iter().enumerate() {
        let y = i as f64 * row_h + 4.0;
        let w = (*v as f64 / max * bar_w).max(2.0);
        let short: String = label.chars().take(32).collect();
        let short = if short.chars().count() < label.chars().count() { format!("{short}…") } else { short };
        s.push_str(&format!(
            "<text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{l}</text><rect x=\"{bx}\" y=\"{y}\" width=\"{w:.1}\" height=\"18\" rx=\"3\" fill=\"#0b5394\"/><text x=\"{vx:.1}\" y=\"{ty}\">{v}</text>",
            lx = label_w - 8.0,
            ty = y + 13.5,
            l = xml_escape(&short),
            bx = label_w,
            vx = label_w + w + 6.0,
        ));
    }
    s.push_str("</svg>");
    html! {
        figure.chart {
            figcaption { strong { (title) } }
            (svg(s))
        }
    }
}

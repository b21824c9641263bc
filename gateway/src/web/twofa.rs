//! Two-step sign-in (TOTP): the code step of a login, enrolment with a QR code drawn on
//! the server as SVG, recovery codes shown once, switching it off.

use axum::Form;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use edu24_shared::error::ErrorCode;
use maud::{PreEscaped, html};
use serde::Deserialize;

use super::Shared;
use super::ctx::Ctx;
use super::layout::{error_page, page, respond};
use super::pages::{call, csrf_ok, form_call, new_csrf, private, service_error, session_call};
use crate::i18n::num;

fn code_page(s: &Shared, ctx: &Ctx, status: StatusCode, error: Option<String>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let body = html! {
        h1 { (tr.t("twofa-login-title")) }
        @if let Some(e) = &error { div.alert.error role="alert" { (e) } }
        form.stack method="post" action=(ctx.href("/login/code")) {
            input type="hidden" name="csrf" value=(csrf);
            div {
                label for="code" { (tr.t("twofa-code")) }
                input #code type="text" name="code" required autocomplete="one-time-code" inputmode="numeric" maxlength="11" autofocus aria-describedby="code-help";
                p #code-help.sub { (tr.t("twofa-code-help")) }
            }
            button type="submit" { (tr.t("twofa-continue")) }
        }
    };
    private(s, ctx, &csrf, respond(status, page(tr, ctx, &tr.t("twofa-login-title"), body)))
}

pub async fn login_code_form(State(s): State<Shared>, ctx: Ctx) -> Response {
    if ctx.session.is_none() {
        return Redirect::to(&ctx.href("/login")).into_response();
    }
    code_page(&s, &ctx, StatusCode::OK, None)
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
}

pub async fn login_code_submit(State(s): State<Shared>, ctx: Ctx, Form(f): Form<CodeForm>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    if !csrf_ok(&ctx, &f.csrf) {
        return error_page(tr, &ctx, StatusCode::FORBIDDEN, "error-forbidden", &tr.t("error-csrf"));
    }
    let Some(secret) = ctx.session.clone() else {
        return Redirect::to(&ctx.href("/login")).into_response();
    };
    match s.identity.session_second_factor(&call(&ctx), &secret, &f.code).await {
        Ok(()) => Redirect::to(&ctx.href("/me")).into_response(),
        Err(e) if e.code == ErrorCode::ResourceExhausted => {
            let secs = e.retry_after_secs.unwrap_or(60);
            code_page(
                &s,
                &ctx,
                StatusCode::TOO_MANY_REQUESTS,
                Some(tr.ta("login-throttled", &[("seconds", num(secs as f64))])),
            )
        }
        Err(e) if e.code == ErrorCode::InvalidArgument => {
            code_page(&s, &ctx, StatusCode::UNAUTHORIZED, Some(tr.t("twofa-wrong").into_owned()))
        }
        Err(e) if e.code == ErrorCode::Unauthenticated => Redirect::to(&ctx.href("/login")).into_response(),
        Err(e) => service_error(tr, &ctx, &e),
    }
}

/// The QR code of an `otpauth://` URI as inline SVG.
fn qr_svg(uri: &str) -> String {
    match qrcode::QrCode::new(uri.as_bytes()) {
        Ok(code) => code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(200, 200).quiet_zone(true).build(),
        Err(_) => String::new(),
    }
}

pub async fn twofa(State(s): State<Shared>, ctx: Ctx) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match session_call(&s, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let me = match s.identity.me(&c).await {
        Ok(m) => m,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let body = if me.second_factor {
        html! {
            h1 { (tr.t("twofa-title")) }
            div.alert.info role="status" { (tr.t("twofa-on")) }
            form.stack method="post" action=(ctx.href("/me/2fa/disable")) {
                input type="hidden" name="csrf" value=(csrf);
                div {
                    label for="code" { (tr.t("twofa-code-or-recovery")) }
                    input #code type="text" name="code" required autocomplete="one-time-code" maxlength="11";
                }
                button.secondary type="submit" { (tr.t("twofa-disable")) }
            }
        }
    } else {
        let setup = match s.identity.totp_begin(&c).await {
            Ok(t) => t,
            Err(e) => return service_error(tr, &ctx, &e),
        };
        let grouped: Vec<String> =
            setup.secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect();
        html! {
            h1 { (tr.t("twofa-title")) }
            p { (tr.t("twofa-lead")) }
            ol {
                li { (tr.t("twofa-step-app")) }
                li {
                    (tr.t("twofa-step-scan"))
                    figure.qr { (PreEscaped(qr_svg(&setup.uri))) figcaption { (tr.t("twofa-manual")) " " code { (grouped.join(" ")) } } }
                }
                li { (tr.t("twofa-step-code")) }
            }
            form.stack method="post" action=(ctx.href("/me/2fa")) {
                input type="hidden" name="csrf" value=(csrf);
                div {
                    label for="code" { (tr.t("twofa-code")) }
                    input #code type="text" name="code" required autocomplete="one-time-code" inputmode="numeric" maxlength="6";
                }
                button type="submit" { (tr.t("twofa-enable")) }
            }
        }
    };
    private(&s, &ctx, &csrf, respond(StatusCode::OK, page(tr, &ctx, &tr.t("twofa-title"), body)))
}

pub async fn twofa_enable(State(s): State<Shared>, ctx: Ctx, Form(f): Form<CodeForm>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match form_call(&s, &ctx, &f.csrf).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match s.identity.totp_enable(&c, &f.code).await {
        Ok(codes) => {
            let body = html! {
                h1 { (tr.t("twofa-title")) }
                div.alert.info role="status" { (tr.t("twofa-enabled")) }
                h2 { (tr.t("twofa-recovery-title")) }
                p { (tr.t("twofa-recovery-lead")) }
                ol.recovery { @for code in &codes { li { code { (code) } } } }
                p { a href=(ctx.href("/me")) { (tr.t("nav-me")) } }
            };
            let mut r = respond(StatusCode::OK, page(tr, &ctx, &tr.t("twofa-title"), body));
            r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        Err(e) if e.code == ErrorCode::InvalidArgument => {
            error_page(tr, &ctx, StatusCode::BAD_REQUEST, "twofa-title", &tr.t("twofa-wrong-setup"))
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

pub async fn twofa_disable(State(s): State<Shared>, ctx: Ctx, Form(f): Form<CodeForm>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match form_call(&s, &ctx, &f.csrf).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match s.identity.totp_disable(&c, &f.code).await {
        Ok(()) => Redirect::to(&ctx.href("/me/2fa")).into_response(),
        Err(e) if e.code == ErrorCode::InvalidArgument => {
            error_page(tr, &ctx, StatusCode::BAD_REQUEST, "twofa-title", &tr.t("twofa-wrong"))
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

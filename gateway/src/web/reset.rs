//! E-mail address for password reset, its confirmation link, and resetting a forgotten
//! password by a single-use link.

use axum::Form;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use edu24_shared::error::ErrorCode;
use maud::html;
use serde::Deserialize;

use super::Shared;
use super::ctx::Ctx;
use super::layout::{error_page, page, respond};
use super::pages::{call, csrf_ok, form_call, new_csrf, private, service_error};

/// Pages whose address carries a token must not leak it to another site.
fn no_referrer(mut r: Response) -> Response {
    r.headers_mut().insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    r
}

fn token_of(raw: Option<&str>) -> String {
    super::params::pairs(raw)
        .ok()
        .and_then(|p| p.into_iter().rev().find(|(k, _)| k == "token").map(|(_, v)| v))
        .unwrap_or_default()
        .chars()
        .take(100)
        .collect()
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
}

pub async fn email_set(State(s): State<Shared>, ctx: Ctx, Form(f): Form<EmailForm>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match form_call(&s, &ctx, &f.csrf).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match s.identity.email_set(&c, &f.email).await {
        Ok(()) => Redirect::to(&ctx.href("/me/security?done=email")).into_response(),
        Err(e) if e.code == ErrorCode::InvalidArgument => {
            error_page(tr, &ctx, StatusCode::BAD_REQUEST, "error-bad-request", &tr.t("email-invalid"))
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

pub async fn email_verify(State(s): State<Shared>, ctx: Ctx, RawQuery(raw): RawQuery) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let ok = s.identity.email_verify(&call(&ctx), &token_of(raw.as_deref())).await;
    let (status, id) = match ok {
        Ok(()) => (StatusCode::OK, "email-verified"),
        Err(_) => (StatusCode::BAD_REQUEST, "link-invalid"),
    };
    let body = html! { h1 { (tr.t("email-title")) } div.alert.info role="status" { (tr.t(id)) } };
    no_referrer(respond(status, page(tr, &ctx, &tr.t("email-title"), body)))
}

pub async fn reset_form(State(s): State<Shared>, ctx: Ctx) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let body = html! {
        h1 { (tr.t("reset-title")) }
        p { (tr.t("reset-lead")) }
        form.stack method="post" action=(ctx.href("/reset")) {
            input type="hidden" name="csrf" value=(csrf);
            div { label for="login" { (tr.t("login-login")) } input #login type="text" name="login" required maxlength="64" autocomplete="username" autocapitalize="none"; }
            button type="submit" { (tr.t("reset-send")) }
        }
    };
    no_referrer(private(&s, &ctx, &csrf, respond(StatusCode::OK, page(tr, &ctx, &tr.t("reset-title"), body))))
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    login: String,
}

pub async fn reset_submit(State(s): State<Shared>, ctx: Ctx, Form(f): Form<ResetForm>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    if !csrf_ok(&ctx, &f.csrf) {
        return error_page(tr, &ctx, StatusCode::FORBIDDEN, "error-forbidden", &tr.t("error-csrf"));
    }
    if let Err(e) = s.identity.reset_request(&call(&ctx), &f.login).await {
        return service_error(tr, &ctx, &e);
    }
    let body = html! { h1 { (tr.t("reset-title")) } div.alert.info role="status" { (tr.t("reset-sent")) } };
    respond(StatusCode::OK, page(tr, &ctx, &tr.t("reset-title"), body))
}

fn new_password_page(s: &Shared, ctx: &Ctx, status: StatusCode, token: &str, error: Option<String>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let body = html! {
        h1 { (tr.t("reset-title")) }
        @if let Some(e) = &error { div.alert.error role="alert" { (e) } }
        form.stack method="post" action=(ctx.href("/reset/new")) {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="token" value=(token);
            div {
                label for="new" { (tr.t("password-new")) }
                input #new type="password" name="new" required maxlength="128" autocomplete="new-password" aria-describedby="rules";
                p #rules.sub { (tr.t("password-rules")) }
            }
            div { label for="repeat" { (tr.t("password-repeat")) } input #repeat type="password" name="repeat" required maxlength="128" autocomplete="new-password"; }
            button type="submit" { (tr.t("password-submit")) }
        }
    };
    no_referrer(private(s, ctx, &csrf, respond(status, page(tr, ctx, &tr.t("reset-title"), body))))
}

pub async fn new_password_form(State(s): State<Shared>, ctx: Ctx, RawQuery(raw): RawQuery) -> Response {
    let token = token_of(raw.as_deref());
    new_password_page(&s, &ctx, StatusCode::OK, &token, None)
}

#[derive(Deserialize)]
pub struct NewPasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    token: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    repeat: String,
}

pub async fn new_password_submit(State(s): State<Shared>, ctx: Ctx, Form(f): Form<NewPasswordForm>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    if !csrf_ok(&ctx, &f.csrf) {
        return error_page(tr, &ctx, StatusCode::FORBIDDEN, "error-forbidden", &tr.t("error-csrf"));
    }
    if f.new != f.repeat {
        return new_password_page(
            &s,
            &ctx,
            StatusCode::BAD_REQUEST,
            &f.token,
            Some(tr.t("password-mismatch").into_owned()),
        );
    }
    match s.identity.reset_complete(&call(&ctx), &f.token, &f.new).await {
        Ok(()) => {
            let body = html! {
                h1 { (tr.t("reset-title")) }
                div.alert.info role="status" { (tr.t("reset-done")) }
                p { a.button href=(ctx.href("/login")) { (tr.t("nav-login")) } }
            };
            respond(StatusCode::OK, page(tr, &ctx, &tr.t("reset-title"), body))
        }
        Err(e) if e.reason.as_deref() == Some("link_invalid") => {
            error_page(tr, &ctx, StatusCode::BAD_REQUEST, "reset-title", &tr.t("link-invalid"))
        }
        Err(e) if e.code == ErrorCode::InvalidArgument => {
            let id = match e.reason.as_deref() {
                Some("password_too_short") => "password-too-short",
                Some("password_contains_login") => "password-contains-login",
                Some("password_too_long") => "password-too-long",
                _ => "password-guessable",
            };
            new_password_page(&s, &ctx, StatusCode::BAD_REQUEST, &f.token, Some(tr.t(id).into_owned()))
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

//! Self-registration of applicants and employers, and the ministry's verification of
//! employers.

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use edu24_identity::{RegistrationInput, RegistrationKind};
use edu24_shared::error::ErrorCode;
use maud::html;
use serde::Deserialize;

use super::Shared;
use super::ctx::Ctx;
use super::layout::{error_page, page, respond};
use super::pages::{call, csrf_ok, form_call, new_csrf, private, service_error, session_call};

#[derive(Deserialize, Default)]
pub struct RegisterForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    repeat: String,
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    tax_id: String,
    #[serde(default)]
    contact: String,
}

fn form_page(s: &Shared, ctx: &Ctx, status: StatusCode, f: &RegisterForm, error: Option<String>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let employer = f.kind == "employer";
    let body = html! {
        h1 { (tr.t("register-title")) }
        p { (tr.t("register-lead")) }
        @if let Some(e) = &error { div.alert.error role="alert" { (e) } }
        form.stack method="post" action=(ctx.href("/register")) {
            input type="hidden" name="csrf" value=(csrf);
            fieldset {
                legend { (tr.t("register-kind")) }
                label { input type="radio" name="kind" value="applicant" checked[!employer]; " " (tr.t("role-applicant")) }
                label { input type="radio" name="kind" value="employer" checked[employer]; " " (tr.t("role-employer")) }
            }
            div { label for="login" { (tr.t("me-login")) } input #login type="text" name="login" value=(f.login) required maxlength="64" autocomplete="username" autocapitalize="none"; }
            div { label for="display_name" { (tr.t("account-new-name")) } input #display_name type="text" name="display_name" value=(f.display_name) required maxlength="200" autocomplete="name"; }
            div {
                label for="password" { (tr.t("password-new")) }
                input #password type="password" name="password" required minlength="15" maxlength="128" autocomplete="new-password" aria-describedby="pw-rules";
                p #pw-rules.sub { (tr.t("password-rules")) }
            }
            div { label for="repeat" { (tr.t("password-repeat")) } input #repeat type="password" name="repeat" required maxlength="128" autocomplete="new-password"; }
            fieldset {
                legend { (tr.t("register-employer-fields")) }
                div { label for="organisation" { (tr.t("register-organisation")) } input #organisation type="text" name="organisation" value=(f.organisation) maxlength="300"; }
                div { label for="tax_id" { (tr.t("register-tax-id")) } input #tax_id type="text" name="tax_id" value=(f.tax_id) inputmode="numeric" maxlength="14"; }
                div { label for="contact" { (tr.t("request-contact")) } input #contact type="text" name="contact" value=(f.contact) maxlength="100"; }
            }
            button type="submit" { (tr.t("register-submit")) }
        }
    };
    private(s, ctx, &csrf, respond(status, page(tr, ctx, &tr.t("register-title"), body)))
}

pub async fn register_form(State(s): State<Shared>, ctx: Ctx) -> Response {
    form_page(&s, &ctx, StatusCode::OK, &RegisterForm::default(), None)
}

pub async fn register_submit(State(s): State<Shared>, ctx: Ctx, Form(f): Form<RegisterForm>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    if !csrf_ok(&ctx, &f.csrf) {
        return error_page(tr, &ctx, StatusCode::FORBIDDEN, "error-forbidden", &tr.t("error-csrf"));
    }
    if f.password != f.repeat {
        return form_page(&s, &ctx, StatusCode::BAD_REQUEST, &f, Some(tr.t("password-mismatch").into_owned()));
    }
    let kind = if f.kind == "employer" { RegistrationKind::Employer } else { RegistrationKind::Applicant };
    let input = RegistrationInput {
        kind,
        login: f.login.clone(),
        display_name: f.display_name.clone(),
        password: f.password.clone(),
        organisation: f.organisation.clone(),
        tax_id: f.tax_id.clone(),
        contact: f.contact.clone(),
    };
    match s.identity.register(&call(&ctx), input).await {
        Ok(_) => {
            let id =
                if kind == RegistrationKind::Employer { "register-done-employer" } else { "register-done-applicant" };
            let body = html! {
                h1 { (tr.t("register-title")) }
                div.alert.info role="status" { (tr.t(id)) }
                p { a.button href=(ctx.href("/login")) { (tr.t("nav-login")) } }
            };
            respond(StatusCode::OK, page(tr, &ctx, &tr.t("register-title"), body))
        }
        Err(e) if e.code == ErrorCode::InvalidArgument => {
            let id = match (e.field.as_deref(), e.reason.as_deref()) {
                (Some("password"), Some("password_too_short")) => "password-too-short",
                (Some("password"), Some("password_contains_login")) => "password-contains-login",
                (Some("password"), _) => "password-guessable",
                (Some("login"), _) => "account-new-login-invalid",
                (Some("display_name"), _) => "account-new-name-invalid",
                (Some("tax_id"), _) => "register-tax-id-invalid",
                (Some("organisation"), _) => "register-organisation-invalid",
                _ => "request-contact-invalid",
            };
            form_page(&s, &ctx, StatusCode::BAD_REQUEST, &f, Some(tr.t(id).into_owned()))
        }
        Err(e) if e.code == ErrorCode::AlreadyExists => {
            form_page(&s, &ctx, StatusCode::CONFLICT, &f, Some(tr.t("roster-login-taken").into_owned()))
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

pub async fn employers(State(s): State<Shared>, ctx: Ctx) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match session_call(&s, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let list = match s.identity.employer_requests_pending(&c).await {
        Ok(l) => l,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let body = html! {
        h1 { (tr.t("employers-title")) }
        p.sub { (tr.t("employers-lead")) }
        @if list.is_empty() { div.alert.info { (tr.t("requests-none")) } }
        ul.cards {
            @for e in &list {
                li.card {
                    h3 { (e.organisation) }
                    div.meta {
                        span { (tr.t("register-tax-id")) ": " code { (e.tax_id) } }
                        span { (e.display_name) " (" code { (e.login) } ")" }
                        span { (tr.t("request-contact")) ": " (e.contact) }
                    }
                    form.stack method="post" action=(ctx.href("/admin/employers")) {
                        input type="hidden" name="csrf" value=(csrf);
                        input type="hidden" name="account_id" value=(e.account_id);
                        div { label for={ "reason-" (e.account_id) } { (tr.t("reason-label")) } input id={ "reason-" (e.account_id) } type="text" name="reason" required maxlength="300" value=(tr.t("employers-default-reason")); }
                        button type="submit" name="decision" value="verify" { (tr.t("employers-verify")) }
                        button.secondary type="submit" name="decision" value="reject" { (tr.t("requests-reject")) }
                    }
                }
            }
        }
    };
    private(&s, &ctx, &csrf, respond(StatusCode::OK, page(tr, &ctx, &tr.t("employers-title"), body)))
}

#[derive(Deserialize)]
pub struct EmployerDecisionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    account_id: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    decision: String,
}

pub async fn employers_decide(State(s): State<Shared>, ctx: Ctx, Form(f): Form<EmployerDecisionForm>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match form_call(&s, &ctx, &f.csrf).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match s.identity.employer_request_decide(&c, &f.account_id, f.decision == "verify", &f.reason).await {
        Ok(()) => Redirect::to(&ctx.href("/admin/employers")).into_response(),
        Err(e) if e.code == ErrorCode::InvalidArgument => {
            error_page(tr, &ctx, StatusCode::BAD_REQUEST, "error-bad-request", &tr.t("reason-missing"))
        }
        Err(e) if e.code == ErrorCode::NotFound => {
            error_page(tr, &ctx, StatusCode::NOT_FOUND, "error-not-found", &tr.t("error-not-found-detail"))
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

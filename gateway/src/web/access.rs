//! Access requests of students enrolled before EDU24: a public form, and the registrar's
//! queue with approval (printing the card at once) or rejection.

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use edu24_catalogue::domain::{InstitutionQuery, InstitutionStatus};
use edu24_identity::AccessRequestInput;
use edu24_shared::error::ErrorCode;
use maud::html;
use serde::Deserialize;

use super::Shared;
use super::ctx::Ctx;
use super::layout::{error_page, page, respond};
use super::pages::{call, csrf_ok, form_call, new_csrf, private, service_error, session_call};
use crate::i18n::num;

#[derive(Deserialize, Default, Clone)]
pub struct RequestForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    institution_id: String,
    #[serde(default)]
    surname: String,
    #[serde(default)]
    given_name: String,
    #[serde(default)]
    patronymic: String,
    #[serde(default)]
    pin: String,
    #[serde(default)]
    ticket_no: String,
    #[serde(default)]
    programme: String,
    #[serde(default)]
    study_year: String,
    #[serde(default)]
    contact: String,
}

async fn form_page(s: &Shared, ctx: &Ctx, status: StatusCode, f: &RequestForm, error: Option<String>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let lang = ctx.lang.code();
    let q = InstitutionQuery { page: 1, per_page: 100, sort_language: lang.into(), ..Default::default() };
    let institutions = match s.catalogue.institution_search(&call(ctx), &q).await {
        Ok(p) => p.items.into_iter().filter(|i| i.status == InstitutionStatus::Active).collect::<Vec<_>>(),
        Err(e) => return service_error(tr, ctx, &e),
    };
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let field = |id: &'static str, label: &str, value: &str, extra: &'static str| {
        html! {
            div {
                label for=(id) { (label) }
                @match extra {
                    "numeric" => input id=(id) name=(id) type="text" value=(value) required inputmode="numeric" maxlength="14";
                    "optional" => input id=(id) name=(id) type="text" value=(value) maxlength="100";
                    _ => input id=(id) name=(id) type="text" value=(value) required maxlength="200";
                }
            }
        }
    };
    let body = html! {
        h1 { (tr.t("request-title")) }
        p { (tr.t("request-lead")) }
        @if let Some(e) = &error { div.alert.error role="alert" { (e) } }
        form.stack method="post" action=(ctx.href("/access-request")) {
            input type="hidden" name="csrf" value=(csrf);
            div {
                label for="institution_id" { (tr.t("issuance-institution")) }
                select #institution_id name="institution_id" required {
                    option value="" { (tr.t("request-choose")) }
                    @for i in &institutions {
                        option value=(i.id) selected[f.institution_id == i.id] { (i.name.get(lang)) }
                    }
                }
            }
            (field("surname", &tr.t("roster-col-surname"), &f.surname, ""))
            (field("given_name", &tr.t("roster-col-given-name"), &f.given_name, ""))
            (field("patronymic", &tr.t("roster-col-patronymic"), &f.patronymic, "optional"))
            (field("pin", &tr.t("roster-col-pin"), &f.pin, "numeric"))
            (field("ticket_no", &tr.t("roster-col-ticket-no"), &f.ticket_no, ""))
            (field("programme", &tr.t("roster-col-programme"), &f.programme, ""))
            div {
                label for="study_year" { (tr.t("roster-col-year")) }
                select #study_year name="study_year" required {
                    @for y in 1..=7 { option value=(y) selected[f.study_year == y.to_string()] { (y) } }
                }
            }
            (field("contact", &tr.t("request-contact"), &f.contact, ""))
            button type="submit" { (tr.t("request-submit")) }
        }
    };
    private(s, ctx, &csrf, respond(status, page(tr, ctx, &tr.t("request-title"), body)))
}

pub async fn request_form(State(s): State<Shared>, ctx: Ctx) -> Response {
    form_page(&s, &ctx, StatusCode::OK, &RequestForm::default(), None).await
}

pub async fn request_submit(State(s): State<Shared>, ctx: Ctx, Form(f): Form<RequestForm>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    if !csrf_ok(&ctx, &f.csrf) {
        return error_page(tr, &ctx, StatusCode::FORBIDDEN, "error-forbidden", &tr.t("error-csrf"));
    }
    let input = AccessRequestInput {
        institution_id: f.institution_id.trim().to_owned(),
        pin: f.pin.trim().to_owned(),
        ticket_no: f.ticket_no.trim().to_owned(),
        surname: f.surname.trim().to_owned(),
        given_name: f.given_name.trim().to_owned(),
        patronymic: f.patronymic.trim().to_owned(),
        programme: f.programme.trim().to_owned(),
        study_year: f.study_year.parse().unwrap_or(0),
        contact: f.contact.trim().to_owned(),
    };
    match s.identity.access_request_submit(&call(&ctx), input).await {
        Ok(_) => {
            let body = html! {
                h1 { (tr.t("request-title")) }
                div.alert.info role="status" { (tr.t("request-sent")) }
            };
            respond(StatusCode::OK, page(tr, &ctx, &tr.t("request-title"), body))
        }
        Err(e) if e.code == ErrorCode::InvalidArgument => {
            let id = match e.field.as_deref() {
                Some("pin") => "roster-pin-invalid",
                Some("ticket_no") => "roster-ticket-invalid",
                Some("surname" | "patronymic") => "roster-name-invalid",
                Some("programme") => "roster-programme-invalid",
                Some("study_year") => "roster-year-invalid",
                Some("contact") => "request-contact-invalid",
                _ => "request-choose",
            };
            form_page(&s, &ctx, StatusCode::BAD_REQUEST, &f, Some(tr.ta(id, &[("row", num(0))]))).await
        }
        Err(e) if e.code == ErrorCode::AlreadyExists => {
            form_page(&s, &ctx, StatusCode::CONFLICT, &f, Some(tr.t("request-pending").into_owned())).await
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

pub async fn queue(State(s): State<Shared>, ctx: Ctx) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match session_call(&s, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let list = match s.identity.access_requests_pending(&c).await {
        Ok(l) => l,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let body = html! {
        h1 { (tr.t("requests-title")) }
        p.sub { (tr.t("requests-lead")) }
        @if list.is_empty() { div.alert.info { (tr.t("requests-none")) } }
        ul.cards {
            @for r in &list {
                li.card {
                    h3 { (r.input.surname) " " (r.input.given_name) " " (r.input.patronymic) }
                    div.meta {
                        span { (tr.t("roster-col-ticket-no")) ": " code { (r.input.ticket_no) } }
                        span { (tr.t("roster-col-pin")) ": " code { (r.input.pin) } }
                        span { (r.input.programme) ", " (tr.ta("account-year", &[("year", num(r.input.study_year as f64))])) }
                        span { (tr.t("request-contact")) ": " (r.input.contact) }
                    }
                    form.stack method="post" action=(ctx.href("/admin/access-requests")) {
                        input type="hidden" name="csrf" value=(csrf);
                        input type="hidden" name="id" value=(r.id);
                        div {
                            label for={ "reason-" (r.id) } { (tr.t("reason-label")) }
                            input id={ "reason-" (r.id) } type="text" name="reason" required maxlength="300" value=(tr.t("requests-default-reason"));
                        }
                        button type="submit" name="decision" value="approve" { (tr.t("requests-approve")) }
                        button.secondary type="submit" name="decision" value="reject" { (tr.t("requests-reject")) }
                    }
                }
            }
        }
    };
    private(&s, &ctx, &csrf, respond(StatusCode::OK, page(tr, &ctx, &tr.t("requests-title"), body)))
}

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    decision: String,
}

pub async fn decide(State(s): State<Shared>, ctx: Ctx, Form(f): Form<DecisionForm>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match form_call(&s, &ctx, &f.csrf).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match s.identity.access_request_decide(&c, &f.id, f.decision == "approve", &f.reason).await {
        Ok(Some(doc)) => super::layout::pdf_download(doc),
        Ok(None) => axum::response::Redirect::to(&ctx.href("/admin/access-requests")).into_response(),
        Err(e) if e.code == ErrorCode::AlreadyExists || e.code == ErrorCode::FailedPrecondition => {
            error_page(tr, &ctx, StatusCode::CONFLICT, "error-bad-request", &tr.t("requests-conflict"))
        }
        Err(e) if e.code == ErrorCode::InvalidArgument => {
            error_page(tr, &ctx, StatusCode::BAD_REQUEST, "error-bad-request", &tr.t("reason-missing"))
        }
        Err(e) if e.code == ErrorCode::NotFound => {
            error_page(tr, &ctx, StatusCode::NOT_FOUND, "error-not-found", &tr.t("error-not-found-detail"))
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

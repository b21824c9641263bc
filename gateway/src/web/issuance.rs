//! Accounts issued in bulk from a roster: upload, preview (every problem listed, or a
//! preview of the cards), progress, the cards PDF, closing. Plain forms and a
//! self-refreshing progress page: no JavaScript needed.

use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use edu24_identity::{JobView, UploadPreview};
use edu24_shared::auth::Role;
use edu24_shared::error::ErrorCode;
use maud::{Markup, html};
use serde::Deserialize;

use super::Shared;
use super::ctx::Ctx;
use super::layout::{error_page, page, respond};
use super::pages::{csrf_ok, form_call, new_csrf, private, service_error, session_call};
use crate::i18n::{Tr, group_digits, num, text};

/// An example roster, for people to fill in.
pub const TEMPLATE: &str = "ПИН,Фамилия,Имя,Отчество,Студенческий билет,Программа,Курс\n\
21503200512345,Токтосунова,Айпери,Бакытовна,CL2400123,710100 Информатика и вычислительная техника,1\n";

pub async fn template() -> Response {
    let mut r = TEMPLATE.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"edu24-roster.csv\""));
    r
}

fn when(ms: i64) -> String {
    let t = edu24_shared::time::rfc3339(ms);
    format!("{} {}", t.get(..10).unwrap_or(""), t.get(11..16).unwrap_or(""))
}

fn state_badge(tr: Tr<'_>, j: &JobView) -> Markup {
    let class = match j.state.as_str() {
        "done" => "badge ok",
        "running" => "badge warn",
        _ => "badge",
    };
    html! { span class=(class) { (tr.t(&format!("issuance-state-{}", j.state))) } }
}

/// Institutions where the caller issues accounts, with their names in the page's language.
async fn issuing_institutions(
    s: &Shared,
    c: &edu24_shared::auth::CallCtx,
    lang: &str,
) -> Result<Vec<(String, String)>, edu24_shared::error::ApiError> {
    let me = s.identity.me(c).await?;
    let mut out: Vec<(String, String)> = Vec::new();
    for r in me.roles {
        if matches!(r.role, Role::Registrar | Role::InstitutionAdmin)
            && let Some(id) = r.institution_id
            && !out.iter().any(|(i, _)| *i == id)
        {
            let name = r
                .institution_name
                .map(|n| match lang {
                    "ky" => n.ky,
                    "ru" => n.ru,
                    _ => n.en,
                })
                .unwrap_or_else(|| id.clone());
            out.push((id, name));
        }
    }
    Ok(out)
}

pub async fn issuance_home(State(s): State<Shared>, ctx: Ctx) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match session_call(&s, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let (insts, jobs) =
        match tokio::try_join!(issuing_institutions(&s, &c, ctx.lang.code()), s.identity.issuance_list(&c)) {
            Ok(v) => v,
            Err(e) => return service_error(tr, &ctx, &e),
        };
    if insts.is_empty() {
        return error_page(tr, &ctx, StatusCode::FORBIDDEN, "error-forbidden", &tr.t("error-forbidden-detail"));
    }
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let body = html! {
        h1 { (tr.t("issuance-title")) }
        p.sub { (tr.t("issuance-lead")) }
        form.stack method="post" action=(ctx.href("/admin/issuance")) enctype="multipart/form-data" {
            input type="hidden" name="csrf" value=(csrf);
            div {
                label for="inst" { (tr.t("issuance-institution")) }
                select #inst name="institution_id" required {
                    @for (id, name) in &insts { option value=(id) { (name) } }
                }
            }
            div {
                label for="roster" { (tr.t("issuance-file")) }
                input #roster type="file" name="roster" required accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-describedby="roster-help";
                p #roster-help.sub { (tr.t("issuance-columns")) " " a href=(ctx.href("/admin/issuance/template.csv")) { (tr.t("issuance-template")) } }
            }
            button type="submit" { (tr.t("issuance-check")) }
        }
        @if !jobs.is_empty() {
            h2 { (tr.t("issuance-recent")) }
            ul.cards {
                @for j in &jobs {
                    li.card {
                        h3 { a href=(ctx.href(&format!("/admin/issuance/{}", j.id))) { (j.file_name) } }
                        div.meta {
                            (state_badge(tr, j))
                            span { (tr.ta("issuance-progress", &[("done", text(&group_digits(j.done, ctx.lang))), ("total", text(&group_digits(j.total, ctx.lang)))])) }
                            span { (when(j.created_at_ms)) }
                        }
                    }
                }
            }
        }
    };
    private(&s, &ctx, &csrf, respond(StatusCode::OK, page(tr, &ctx, &tr.t("issuance-title"), body)))
}

fn column_name(tr: Tr<'_>, column: &str) -> String {
    if column.is_empty() {
        String::new()
    } else {
        tr.t(&format!("roster-col-{}", column.replace('_', "-"))).into_owned()
    }
}

fn preview_page(s: &Shared, ctx: &Ctx, p: &UploadPreview) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let ok = p.problems.is_empty() && !p.upload_id.is_empty();
    let body = html! {
        p { a href=(ctx.href("/admin/issuance")) { "← " (tr.t("issuance-title")) } }
        h1 { (tr.t("issuance-preview")) ": " (p.file_name) }
        @if !p.problems.is_empty() {
            div.alert.error role="alert" { (tr.ta("roster-problems", &[("count", num(p.problems.len() as f64))])) }
            div.table-wrap {
                table {
                    thead { tr {
                        th scope="col" { (tr.t("roster-row")) }
                        th scope="col" { (tr.t("roster-column")) }
                        th scope="col" { (tr.t("roster-problem")) }
                    } }
                    tbody {
                        @for i in &p.problems {
                            tr {
                                td { @if i.row > 0 { (i.row) } }
                                td { (column_name(tr, &i.column)) }
                                td { (tr.ta(&format!("roster-{}", i.code.replace('_', "-")), &[("row", num(i.other_row.unwrap_or(0) as f64))])) }
                            }
                        }
                    }
                }
            }
        } @else if p.new_accounts == 0 {
            div.alert.info { (tr.ta("issuance-nothing-new", &[("already", num(p.already_issued as f64))])) }
        } @else {
            div.stats {
                div.stat { b { (group_digits(p.rows, ctx.lang)) } (tr.t("issuance-rows")) }
                div.stat { b { (group_digits(p.new_accounts, ctx.lang)) } (tr.t("issuance-new")) }
                div.stat { b { (group_digits(p.already_issued, ctx.lang)) } (tr.t("issuance-already")) }
            }
            h2 { (tr.t("issuance-sample")) }
            ul.cards.cardsheet {
                @for r in &p.sample {
                    li.card.pwcard {
                        div.pwhead { "EDU24" }
                        strong { (r.display_name) }
                        div.meta { span { (tr.t("me-login")) ": " code { (r.login) } } }
                        div.meta { span { (tr.t("issuance-password-on-card")) ": " code { "••••-••••-••••-••••" } } }
                        div.meta { span { (r.programme) ", " (tr.ta("account-year", &[("year", num(r.year as f64))])) } }
                    }
                }
            }
            form.stack method="post" action=(ctx.href("/admin/issuance/start")) {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="upload_id" value=(p.upload_id);
                p { (tr.ta("issuance-confirm-lead", &[("count", num(p.new_accounts as f64))])) }
                button type="submit" { (tr.t("issuance-confirm")) }
            }
        }
    };
    let status = if ok || p.problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    private(s, ctx, &csrf, respond(status, page(tr, ctx, &tr.t("issuance-preview"), body)))
}

pub async fn issuance_upload(State(s): State<Shared>, ctx: Ctx, mut form: Multipart) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let (mut csrf, mut institution, mut file_name, mut content) =
        (String::new(), String::new(), String::new(), Vec::new());
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_owned();
                match name.as_str() {
                    "csrf" => csrf = field.text().await.unwrap_or_default(),
                    "institution_id" => institution = field.text().await.unwrap_or_default(),
                    "roster" => {
                        file_name = field.file_name().unwrap_or("roster").to_owned();
                        match field.bytes().await {
                            Ok(b) => content = b.to_vec(),
                            Err(_) => {
                                return error_page(
                                    tr,
                                    &ctx,
                                    StatusCode::PAYLOAD_TOO_LARGE,
                                    "error-bad-request",
                                    &tr.t("roster-file-too-large"),
                                );
                            }
                        }
                    }
                    _ => {}
                }
            }
            Ok(None) => break,
            Err(_) => {
                return error_page(
                    tr,
                    &ctx,
                    StatusCode::BAD_REQUEST,
                    "error-bad-request",
                    &tr.t("error-bad-request-detail"),
                );
            }
        }
    }
    if !csrf_ok(&ctx, &csrf) {
        return error_page(tr, &ctx, StatusCode::FORBIDDEN, "error-forbidden", &tr.t("error-csrf"));
    }
    let c = match session_call(&s, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match s.identity.roster_upload(&c, &institution, &file_name, &content).await {
        Ok(p) => preview_page(&s, &ctx, &p),
        Err(e) => service_error(tr, &ctx, &e),
    }
}

#[derive(Deserialize)]
pub struct StartForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    upload_id: String,
}

pub async fn issuance_start(State(s): State<Shared>, ctx: Ctx, Form(f): Form<StartForm>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match form_call(&s, &ctx, &f.csrf).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match s.identity.issuance_start(&c, &f.upload_id).await {
        Ok(job) => Redirect::to(&ctx.href(&format!("/admin/issuance/{}", job.id))).into_response(),
        Err(e) if e.code == ErrorCode::FailedPrecondition || e.code == ErrorCode::NotFound => {
            error_page(tr, &ctx, StatusCode::CONFLICT, "error-bad-request", &tr.t("issuance-stale"))
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

pub async fn issuance_job(State(s): State<Shared>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match session_call(&s, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let job = match s.identity.issuance_get(&c, &id).await {
        Ok(j) => j,
        Err(e) if e.code == ErrorCode::NotFound => {
            return error_page(tr, &ctx, StatusCode::NOT_FOUND, "error-not-found", &tr.t("error-not-found-detail"));
        }
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let progress = tr.ta(
        "issuance-progress",
        &[("done", text(&group_digits(job.done, ctx.lang))), ("total", text(&group_digits(job.total, ctx.lang)))],
    );
    let body = html! {
        p { a href=(ctx.href("/admin/issuance")) { "← " (tr.t("issuance-title")) } }
        h1 { (job.file_name) }
        p { (state_badge(tr, &job)) }
        label for="progress" { (progress) }
        progress #progress max=(job.total.max(1)) value=(job.done) { (progress) }
        @match job.state.as_str() {
            "running" => p.sub role="status" { (tr.t("issuance-running")) },
            "done" => {
                div.alert.info role="status" { (tr.t("issuance-done")) }
                @if job.skipped > 0 {
                    div.alert.error role="alert" { (tr.ta("issuance-skipped", &[("count", num(job.skipped as f64))])) }
                }
                p { a.button href=(ctx.href(&format!("/admin/issuance/{}/cards.pdf", job.id))) { (tr.t("issuance-download")) } }
                form.stack method="post" action=(ctx.href(&format!("/admin/issuance/{}/close", job.id))) {
                    input type="hidden" name="csrf" value=(csrf);
                    p.sub { (tr.t("issuance-close-lead")) }
                    button.secondary type="submit" { (tr.t("issuance-close")) }
                }
            },
            _ => p { (tr.t("issuance-closed")) },
        }
    };
    let mut r = private(&s, &ctx, &csrf, respond(StatusCode::OK, page(tr, &ctx, &job.file_name, body)));
    if job.state == "running" {
        r.headers_mut().insert(header::REFRESH, HeaderValue::from_static("2"));
    }
    r
}

pub async fn issuance_cards(State(s): State<Shared>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match session_call(&s, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match s.identity.issuance_cards(&c, &id).await {
        Ok(doc) => super::layout::pdf_download(doc),
        Err(e) if e.code == ErrorCode::FailedPrecondition => {
            error_page(tr, &ctx, StatusCode::CONFLICT, "error-bad-request", &tr.t("issuance-closed"))
        }
        Err(e) if e.code == ErrorCode::NotFound => {
            error_page(tr, &ctx, StatusCode::NOT_FOUND, "error-not-found", &tr.t("error-not-found-detail"))
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

pub async fn issuance_close(
    State(s): State<Shared>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<CsrfOnly>,
) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match form_call(&s, &ctx, &f.csrf).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match s.identity.issuance_close(&c, &id).await {
        Ok(_) => Redirect::to(&ctx.href(&format!("/admin/issuance/{id}"))).into_response(),
        Err(e) => service_error(tr, &ctx, &e),
    }
}

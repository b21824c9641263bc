//! Diplomas in the portal: the public check (`/verify`, the QR code's `/verify/{token}`,
//! an uploaded credential), the registrar's graduating groups, issuance and blank-form
//! ledger, a diploma's page with its files, revocation and duplicate, the holder's own
//! diplomas with share links, and the signed status lists and issuers (JSON).

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use edu24_diploma::DiplomaApi;
use edu24_diploma::domain::*;
use edu24_shared::auth::CallCtx;
use edu24_shared::error::ApiError;
use maud::{Markup, html};
use serde::Deserialize;

use super::Shared;
use super::ctx::Ctx;
use super::layout::{error_page, page, respond};
use super::pages::{form_call, lookup_failed, service_error, session_call};
use super::params::pairs;
use super::students::{get, institution, programme_label, programmes};
use super::teaching::credits;
use crate::i18n::{Tr, num, text};

#[allow(clippy::result_large_err)] // the page that answers instead, like session_call's
fn service(s: &Shared, tr: Tr<'_>, ctx: &Ctx) -> Result<Arc<dyn DiplomaApi>, Response> {
    s.diploma.clone().ok_or_else(|| {
        error_page(tr, ctx, StatusCode::SERVICE_UNAVAILABLE, "error-unavailable", &tr.t("error-unavailable-detail"))
    })
}

/// The diploma service and the signed-in caller, or the page that answers instead.
#[allow(clippy::result_large_err)]
async fn signed_in(s: &Shared, tr: Tr<'_>, ctx: &Ctx) -> Result<(Arc<dyn DiplomaApi>, CallCtx), Response> {
    let d = service(s, tr, ctx)?;
    Ok((d, session_call(s, ctx).await?))
}

/// The same for a form posted with its CSRF token.
#[allow(clippy::result_large_err)]
async fn posted(s: &Shared, tr: Tr<'_>, ctx: &Ctx, csrf: &str) -> Result<(Arc<dyn DiplomaApi>, CallCtx), Response> {
    let d = service(s, tr, ctx)?;
    Ok((d, form_call(s, ctx, csrf).await?))
}

fn no_store(mut r: Response) -> Response {
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn public_call(ctx: &Ctx) -> CallCtx {
    CallCtx { token: None, traceparent: None, client_addr: Some(ctx.client_addr.clone()) }
}

fn outcome_class(o: CheckOutcome) -> &'static str {
    match o {
        CheckOutcome::Valid => "alert ok",
        CheckOutcome::NotFound => "alert info",
        _ => "alert error",
    }
}

fn state_badge(tr: Tr<'_>, s: DiplomaState) -> Markup {
    let class = match s {
        DiplomaState::Valid => "badge ok",
        DiplomaState::Pending => "badge warn",
        _ => "badge bad",
    };
    html! { span class=(class) { (tr.t(&format!("diploma-state-{}", s.as_str()))) } }
}

fn check_result(tr: Tr<'_>, ctx: &Ctx, c: &PublicCheck) -> Markup {
    let lang = ctx.lang.code();
    html! {
        div class=(outcome_class(c.outcome)) role="status" {
            p { strong { (tr.t(&format!("verify-outcome-{}", c.outcome.as_str()))) } }
            @if c.outcome != CheckOutcome::NotFound {
                dl.facts {
                    dt { (tr.t("diploma-number")) } dd { code { (c.number) } }
                    @if let Some(h) = &c.holder { dt { (tr.t("diploma-holder")) } dd { (h.full()) } }
                    @if let Some(q) = &c.qualification { dt { (tr.t("diploma-qualification")) } dd { (q.get(lang)) @if c.honours { " · " (tr.t("diploma-honours")) } } }
                    @if let Some(i) = &c.institution { dt { (tr.t("diploma-institution")) } dd { (i.get(lang)) } }
                    dt { (tr.t("diploma-issued-on")) } dd { (c.issued_on) }
                    @if let Some(on) = &c.state_on {
                        dt { (tr.t("diploma-state-on")) } dd { (on) }
                        dt { (tr.t("diploma-state-reason")) } dd { (c.state_reason) }
                    }
                    @if c.duplicate { dt { (tr.t("diploma-duplicate")) } dd { (tr.t("yes")) } }
                }
            } @else {
                p { (tr.t("verify-not-found-help")) }
            }
        }
    }
}

fn verify_forms(tr: Tr<'_>, ctx: &Ctx, number: &str, name: &str) -> Markup {
    html! {
        form.stack method="get" action=(ctx.href("/verify")) {
            div {
                label for="v-number" { (tr.t("diploma-number")) }
                input #v-number name="number" value=(number) required maxlength="40" autocomplete="off" placeholder="KNU-2026-000001";
            }
            div {
                label for="v-name" { (tr.t("verify-family-name")) }
                input #v-name name="name" value=(name) required maxlength="80" autocomplete="off";
            }
            button type="submit" { (tr.t("verify-submit")) }
        }
        details {
            summary { (tr.t("verify-credential-title")) }
            p { (tr.t("verify-credential-lead")) }
            form.stack method="post" action=(ctx.href("/verify/credential")) enctype="application/x-www-form-urlencoded" {
                div {
                    label for="v-json" { (tr.t("verify-credential-json")) }
                    textarea #v-json name="credential" rows="8" required maxlength="200000" {}
                }
                button type="submit" { (tr.t("verify-credential-submit")) }
            }
        }
    }
}

/// `/verify`: the public check by number and family name.
pub async fn verify_page(State(s): State<Shared>, ctx: Ctx, RawQuery(raw): RawQuery) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let d = match service(&s, tr, &ctx) {
        Ok(d) => d,
        Err(r) => return r,
    };
    let p = pairs(raw.as_deref()).unwrap_or_default();
    let (number, name) = (get(&p, "number").trim().to_owned(), get(&p, "name").trim().to_owned());
    let mut status = StatusCode::OK;
    let result = if number.is_empty() && name.is_empty() {
        None
    } else {
        let q = VerifyQuery { token: String::new(), number: number.clone(), family_name: name.clone() };
        match d.verify(&public_call(&ctx), &q).await {
            Ok(c) => Some(check_result(tr, &ctx, &c)),
            Err(e) if e.code == edu24_shared::error::ErrorCode::ResourceExhausted => {
                status = StatusCode::TOO_MANY_REQUESTS;
                Some(html! { div.alert.error role="alert" { (tr.t("verify-throttled")) } })
            }
            Err(e) if e.code == edu24_shared::error::ErrorCode::InvalidArgument => {
                status = StatusCode::BAD_REQUEST;
                Some(html! { div.alert.error role="alert" { (tr.t("verify-need-both")) } })
            }
            Err(e) => return service_error(tr, &ctx, &e),
        }
    };
    let title = tr.t("verify-title");
    let body = html! {
        h1 { (title) }
        p { (tr.t("verify-lead")) }
        @if let Some(r) = &result { (r) }
        (verify_forms(tr, &ctx, &number, &name))
    };
    no_store(respond(status, page(tr, &ctx, &title, body)))
}

/// `/verify/{token}`: where the QR code of a printed diploma leads.
pub async fn verify_token(State(s): State<Shared>, ctx: Ctx, Path(token): Path<String>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let d = match service(&s, tr, &ctx) {
        Ok(d) => d,
        Err(r) => return r,
    };
    if token.len() > 64 {
        return lookup_failed(tr, &ctx, &ApiError::not_found("diploma"), "error-not-found-detail");
    }
    let q = VerifyQuery { token, ..Default::default() };
    let c = match d.verify(&public_call(&ctx), &q).await {
        Ok(c) => c,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let title = tr.t("verify-title");
    let status = if c.outcome == CheckOutcome::NotFound { StatusCode::NOT_FOUND } else { StatusCode::OK };
    let body = html! {
        h1 { (title) }
        (check_result(tr, &ctx, &c))
        p { a href=(ctx.href("/verify")) { (tr.t("verify-another")) } }
    };
    no_store(respond(status, page(tr, &ctx, &title, body)))
}

#[derive(Deserialize)]
pub struct CredentialForm {
    #[serde(default)]
    credential: String,
}

fn credential_result(tr: Tr<'_>, c: &CredentialCheck) -> Markup {
    html! {
        @if c.valid {
            div.alert.ok role="status" {
                p { strong { (tr.t("verify-credential-valid")) } }
                p { (tr.ta("verify-credential-issuer", &[("issuer", text(&c.issuer)), ("number", text(&c.number))])) }
            }
        } @else {
            div.alert.error role="alert" {
                p { strong { (tr.t("verify-credential-invalid")) } }
                ul { @for e in &c.errors { li { (tr.t(&format!("credential-error-{e}"))) " " small.sub lang="en" { code { (e) } } } } }
            }
        }
    }
}

/// `POST /verify/credential`: an uploaded credential, checked.
pub async fn verify_credential_page(State(s): State<Shared>, ctx: Ctx, Form(f): Form<CredentialForm>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let d = match service(&s, tr, &ctx) {
        Ok(d) => d,
        Err(r) => return r,
    };
    let c = match d.verify_credential(&public_call(&ctx), &f.credential).await {
        Ok(c) => c,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let title = tr.t("verify-credential-title");
    let body = html! {
        h1 { (title) }
        (credential_result(tr, &c))
        (verify_forms(tr, &ctx, "", ""))
    };
    no_store(respond(
        if c.valid { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY },
        page(tr, &ctx, &title, body),
    ))
}

/// `/credentials/status/{code}`: the institution's signed status list.
pub async fn status_list(State(s): State<Shared>, Path(code): Path<String>) -> Response {
    let Some(d) = s.diploma.clone() else { return StatusCode::SERVICE_UNAVAILABLE.into_response() };
    match d.status_list(&CallCtx::anonymous(), &code).await {
        Ok(json) => {
            let mut r = json.into_response();
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/vc+ld+json"));
            r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=60"));
            r
        }
        Err(e) => super::api::from_api(e),
    }
}

/// `/credentials/issuers/{code}`: the institution's issuer DID and key.
pub async fn issuer(State(s): State<Shared>, Path(code): Path<String>) -> Response {
    let Some(d) = s.diploma.clone() else { return StatusCode::SERVICE_UNAVAILABLE.into_response() };
    match d.issuer(&CallCtx::anonymous(), &code).await {
        Ok(i) => Json(i).into_response(),
        Err(e) => super::api::from_api(e),
    }
}

// ---------------------------------------------------------------------------------
// The registrar

/// `/admin/diplomas`: the register, the graduating groups, the forms.
pub async fn register(State(s): State<Shared>, ctx: Ctx, RawQuery(raw): RawQuery) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let lang = ctx.lang.code();
    let (d, c) = match signed_in(&s, tr, &ctx).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let p = pairs(raw.as_deref()).unwrap_or_default();
    let inst = match institution(&s, &c, get(&p, "institution")).await {
        Ok((i, _)) => i,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let (code, progs) = match programmes(&s, &inst).await {
        Ok(v) => v,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let page_no = get(&p, "page").parse::<u32>().unwrap_or(1).clamp(1, 10_000);
    let q = DiplomaQuery {
        institution_id: inst.clone(),
        state: Some(get(&p, "state").to_owned()).filter(|v| !v.is_empty()),
        q: get(&p, "q").to_owned(),
        flagged: get(&p, "flagged") == "1",
        page: page_no,
        per_page: 50,
    };
    let list = match d.diplomas(&c, &q).await {
        Ok(l) => l,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let ledger = d.ledger(&c, Some(&inst)).await.unwrap_or_default();
    let flags = d.flags(&c, Some(&inst)).await.unwrap_or_default();
    // Graduating groups: active students whose programme ends this academic year.
    let groups = graduating_groups(&s, &c, &inst).await.unwrap_or_default();
    let title = tr.ta("diplomas-title", &[("code", text(&code))]);
    let body = html! {
        h1 { (title) }
        nav.tabs {
            a href=(ctx.href(&format!("/admin/diplomas/forms?institution={inst}"))) { (tr.t("forms-title-short")) }
        }
        @if !flags.is_empty() {
            div.alert.warn role="status" { (tr.ta("diplomas-flags", &[("count", num(flags.len() as f64))])) " " a href=(ctx.href(&format!("/admin/diplomas?institution={inst}&flagged=1"))) { (tr.t("diplomas-flags-show")) } }
        }
        h2 { (tr.t("diplomas-groups")) }
        @if groups.is_empty() { p { (tr.t("diplomas-groups-none")) } }
        ul {
            @for (pid, group, n) in &groups {
                @let label = progs.iter().find(|x| &x.id == pid).map(|x| programme_label(tr, lang, x)).unwrap_or_default();
                li { a href=(ctx.href(&format!("/admin/diplomas/group?institution={inst}&programme={pid}&group={}", urlencode(group)))) { (group) } " · " (label) " · " (tr.ta("students-found", &[("count", num(*n as f64))])) }
            }
        }
        h2 { (tr.t("diplomas-register")) }
        form.filters.inline method="get" action=(ctx.href("/admin/diplomas")) {
            input type="hidden" name="institution" value=(inst);
            div { label for="d-q" { (tr.t("diplomas-search")) } input #d-q name="q" value=(q.q) maxlength="80"; }
            div {
                label for="d-state" { (tr.t("col-status")) }
                select #d-state name="state" {
                    option value="" { (tr.t("filter-any")) }
                    @for st in ["valid", "revoked", "annulled", "replaced"] {
                        option value=(st) selected[q.state.as_deref() == Some(st)] { (tr.t(&format!("diploma-state-{st}"))) }
                    }
                }
            }
            button type="submit" { (tr.t("filter-apply")) }
        }
        p.sub { (tr.ta("diplomas-found", &[("count", num(list.total as f64))])) }
        (register_table(tr, &ctx, lang, &list.items))
        @if !ledger.is_empty() {
            h2 { (tr.t("forms-ledger")) }
            (ledger_table(tr, &ledger))
        }
    };
    no_store(respond(StatusCode::OK, page(tr, &ctx, &title, body)))
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("v", s)]).unwrap_or_default().trim_start_matches("v=").to_owned()
}

fn register_table(tr: Tr<'_>, ctx: &Ctx, lang: &str, items: &[DiplomaSummary]) -> Markup {
    html! {
        div.table-wrap {
            table {
                thead { tr {
                    th scope="col" { (tr.t("diploma-number")) }
                    th scope="col" { (tr.t("diploma-holder")) }
                    th scope="col" { (tr.t("diploma-qualification")) }
                    th scope="col" { (tr.t("diploma-form")) }
                    th scope="col" { (tr.t("diploma-issued-on")) }
                    th scope="col" { (tr.t("col-status")) }
                } }
                tbody {
                    @for d in items {
                        tr {
                            td { a href=(ctx.href(&format!("/diplomas/{}", d.id))) { code { (d.number) } } }
                            td { (d.holder.full()) }
                            td { (d.qualification.get(lang)) @if d.honours { " · " span.badge.ok { (tr.t("diploma-honours")) } } }
                            td.nowrap { (d.form_series) "\u{a0}" (format!("{:08}", d.form_number)) }
                            td { (d.issued_on) }
                            td { (state_badge(tr, d.state)) @if d.open_flags > 0 { " " span.badge.warn { (tr.t("diploma-flagged")) } } }
                        }
                    }
                }
            }
        }
    }
}

fn ledger_table(tr: Tr<'_>, ledger: &[Ledger]) -> Markup {
    html! {
        div.table-wrap {
            table {
                thead { tr {
                    th scope="col" { (tr.t("forms-kind")) }
                    th scope="col" { (tr.t("forms-received")) }
                    th scope="col" { (tr.t("forms-in-stock")) }
                    th scope="col" { (tr.t("forms-used")) }
                    th scope="col" { (tr.t("forms-spoiled")) }
                    th scope="col" { (tr.t("forms-returned")) }
                } }
                tbody {
                    @for l in ledger {
                        tr {
                            th scope="row" { (tr.t(&format!("form-kind-{}", l.kind))) }
                            td { (l.received) } td { (l.in_stock) } td { (l.used) } td { (l.spoiled) } td { (l.returned) }
                        }
                    }
                }
            }
        }
    }
}

/// Groups of the institution with active students in their programme's last year.
async fn graduating_groups(s: &Shared, c: &CallCtx, inst: &str) -> Result<Vec<(String, String, usize)>, ApiError> {
    use edu24_records::domain::{EnrolmentStatus, StudentQuery};
    let today = edu24_records::domain::today();
    let mut seen: std::collections::BTreeMap<(String, String), usize> = Default::default();
    let (_, progs) = programmes(s, inst).await?;
    for pr in &progs {
        let years = (pr.duration_months / 12).max(1);
        let mut page = 1;
        loop {
            let q = StudentQuery {
                institution_id: inst.to_owned(),
                programme_id: Some(pr.id.clone()),
                status: Some(EnrolmentStatus::Active),
                page,
                per_page: 200,
                ..Default::default()
            };
            let got = s.records.students(c, &q).await?;
            for r in &got.items {
                if r.enrolment.year_of_study(today) >= years {
                    *seen.entry((pr.id.clone(), r.enrolment.study_group.clone())).or_default() += 1;
                }
            }
            if got.items.len() < 200 {
                break;
            }
            page += 1;
        }
    }
    Ok(seen.into_iter().map(|((p, g), n)| (p, g, n)).collect())
}

/// `/admin/diplomas/group`: who of a group may be awarded, why not the others, and the
/// issuance form.
pub async fn group(State(s): State<Shared>, ctx: Ctx, RawQuery(raw): RawQuery) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let lang = ctx.lang.code();
    let (d, c) = match signed_in(&s, tr, &ctx).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let p = pairs(raw.as_deref()).unwrap_or_default();
    let inst = match institution(&s, &c, get(&p, "institution")).await {
        Ok((i, _)) => i,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let q = GroupQuery {
        institution_id: inst.clone(),
        programme_id: get(&p, "programme").into(),
        study_group: get(&p, "group").into(),
    };
    let e = match d.eligibility(&c, &q).await {
        Ok(e) => e,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let label = programmes(&s, &inst)
        .await
        .ok()
        .and_then(|(_, ps)| ps.iter().find(|x| x.id == q.programme_id).map(|x| programme_label(tr, lang, x)))
        .unwrap_or_default();
    let csrf = ctx.csrf_cookie.clone().unwrap_or_default();
    let title = tr.ta("group-title", &[("group", text(&q.study_group))]);
    let today = edu24_records::domain::today().to_string();
    let body = html! {
        p { a href=(ctx.href(&format!("/admin/diplomas?institution={inst}"))) { "← " (tr.t("diplomas-register")) } }
        h1 { (title) }
        p.sub { (label) }
        @if let Some(r) = &e.rule {
            p.sub { (tr.ta("group-rule", &[("percent", num(r.min_excellent_percent as f64))])) }
        }
        p { (tr.ta("group-summary", &[("eligible", num(e.eligible() as f64)), ("total", num(e.rows.len() as f64))])) }
        div.table-wrap {
            table {
                thead { tr {
                    th scope="col" { (tr.t("col-student")) }
                    th scope="col" { "GPA" }
                    th scope="col" { (tr.t("transcript-credits")) }
                    th scope="col" { (tr.t("group-verdict")) }
                } }
                tbody {
                    @for r in &e.rows {
                        tr {
                            th scope="row" { a href=(ctx.href(&format!("/admin/enrolments/{}/transcript", r.enrolment_id))) { (r.name.full()) } }
                            td { (super::grades::gpa_text(r.gpa)) }
                            td { (credits(r.assessed.credits_earned_tenths)) " / " (credits(r.assessed.credits_required_tenths)) }
                            td {
                                @if r.eligible {
                                    span.badge.ok { (tr.t("group-eligible")) }
                                    @if r.assessed.honours { " " span.badge.ok { (tr.t("diploma-honours")) } }
                                } @else {
                                    ul.reasons {
                                        @for b in &r.assessed.blockers {
                                            li { (blocker_text(tr, lang, b)) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if e.eligible() > 0 {
            h2 { (tr.ta("group-issue", &[("count", num(e.eligible() as f64))])) }
            form.stack method="post" action=(ctx.href("/admin/diplomas/issue")) {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="institution" value=(inst);
                input type="hidden" name="programme" value=(q.programme_id);
                input type="hidden" name="group" value=(q.study_group);
                input type="hidden" name="request" value=(edu24_shared::time::new_id());
                div { label for="i-order" { (tr.t("issue-order-no")) } input #i-order name="order_no" required maxlength="40"; }
                div { label for="i-signed" { (tr.t("issue-order-date")) } input #i-signed name="order_signed_on" type="date" required value=(today); }
                div { label for="i-signatory" { (tr.t("issue-signatory")) } input #i-signatory name="signatory" required maxlength="120"; }
                div { label for="i-date" { (tr.t("issue-date")) } input #i-date name="issued_on" type="date" required value=(today); }
                div { label for="i-series" { (tr.t("issue-series")) } input #i-series name="series" maxlength="6"; small.sub { (tr.t("issue-series-hint")) } }
                button type="submit" { (tr.t("issue-submit")) }
            }
        }
    };
    no_store(respond(StatusCode::OK, page(tr, &ctx, &title, body)))
}

fn blocker_text(tr: Tr<'_>, lang: &str, b: &Blocker) -> String {
    let course = format!("{} {}", b.line_code, b.course.get(lang)).trim().to_owned();
    tr.ta(
        &format!("blocker-{}", b.code),
        &[
            ("course", text(&course)),
            ("semester", num(b.semester)),
            ("have", text(&credits(b.have))),
            ("need", text(&credits(b.need))),
            ("count", num(b.have)),
            ("what", text(&b.line_code)),
        ],
    )
}

#[derive(Deserialize)]
pub struct IssueForm {
    #[serde(default)]
    csrf: String,
    institution: String,
    programme: String,
    group: String,
    #[serde(default)]
    request: String,
    order_no: String,
    order_signed_on: String,
    signatory: String,
    issued_on: String,
    #[serde(default)]
    series: String,
}

/// `POST /admin/diplomas/issue`.
pub async fn issue(State(s): State<Shared>, ctx: Ctx, Form(f): Form<IssueForm>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let (d, c) = match posted(&s, tr, &ctx, &f.csrf).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let input = IssueInput {
        institution_id: f.institution.clone(),
        programme_id: f.programme.clone(),
        study_group: f.group.clone(),
        enrolment_ids: Vec::new(),
        order_no: f.order_no,
        order_signed_on: f.order_signed_on,
        signatory: f.signatory,
        issued_on: f.issued_on,
        series: f.series.trim().to_uppercase(),
        request_id: f.request,
    };
    match d.issue(&c, input).await {
        Ok(r) => {
            let title = tr.ta("issued-title", &[("count", num(r.diplomas.len() as f64))]);
            let body = html! {
                h1 { (title) }
                div.alert.ok role="status" { (tr.ta("issued-lead", &[("count", num(r.diplomas.len() as f64)), ("group", text(&f.group))])) }
                (register_table(tr, &ctx, ctx.lang.code(), &r.diplomas))
                p { a href=(ctx.href(&format!("/admin/diplomas?institution={}", f.institution))) { (tr.t("diplomas-register")) } }
            };
            no_store(respond(StatusCode::OK, page(tr, &ctx, &title, body)))
        }
        Err(e)
            if matches!(
                e.code,
                edu24_shared::error::ErrorCode::InvalidArgument | edu24_shared::error::ErrorCode::FailedPrecondition
            ) =>
        {
            let title = tr.t("issue-refused");
            let detail = tr.t(&format!("issue-error-{}", e.reason.as_deref().unwrap_or("other")));
            let back = format!(
                "/admin/diplomas/group?institution={}&programme={}&group={}",
                f.institution,
                f.programme,
                urlencode(&f.group)
            );
            let body = html! {
                h1 { (title) }
                div.alert.error role="alert" { p { (detail) } p.sub lang="en" { (e.message) } }
                p { a href=(ctx.href(&back)) { "← " (tr.t("issue-back")) } }
            };
            no_store(respond(StatusCode::CONFLICT, page(tr, &ctx, &title, body)))
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

/// `/admin/diplomas/forms`: the institution's blank forms.
pub async fn forms(State(s): State<Shared>, ctx: Ctx, RawQuery(raw): RawQuery) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let (d, c) = match signed_in(&s, tr, &ctx).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let p = pairs(raw.as_deref()).unwrap_or_default();
    let inst = match institution(&s, &c, get(&p, "institution")).await {
        Ok((i, _)) => i,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    forms_page(&s, &ctx, d.as_ref(), &c, &inst, None, StatusCode::OK).await
}

async fn forms_page(
    s: &Shared,
    ctx: &Ctx,
    d: &dyn DiplomaApi,
    c: &CallCtx,
    inst: &str,
    notice: Option<Markup>,
    status: StatusCode,
) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let ledger = match d.ledger(c, Some(inst)).await {
        Ok(l) => l,
        Err(e) => return service_error(tr, ctx, &e),
    };
    let receipts = d.receipts(c, inst).await.unwrap_or_default();
    let csrf = ctx.csrf_cookie.clone().unwrap_or_default();
    let title = tr.t("forms-title");
    let today = edu24_records::domain::today().to_string();
    let body = html! {
        p { a href=(ctx.href(&format!("/admin/diplomas?institution={inst}"))) { "← " (tr.t("diplomas-register")) } }
        h1 { (title) }
        @if let Some(n) = &notice { (n) }
        (ledger_table(tr, &ledger))
        h2 { (tr.t("forms-receive")) }
        form.stack method="post" action=(ctx.href("/admin/diplomas/forms/receive")) {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="institution" value=(inst);
            div {
                label for="f-kind" { (tr.t("forms-kind")) }
                select #f-kind name="kind" { @for k in BlankKind::ALL { option value=(k.as_str()) { (tr.t(&format!("form-kind-{}", k.as_str()))) } } }
            }
            div { label for="f-series" { (tr.t("forms-series")) } input #f-series name="series" required maxlength="6"; }
            div { label for="f-first" { (tr.t("forms-first")) } input #f-first name="first_no" type="number" min="1" max="99999999" required; }
            div { label for="f-last" { (tr.t("forms-last")) } input #f-last name="last_no" type="number" min="1" max="99999999" required; }
            div { label for="f-doc" { (tr.t("forms-document")) } input #f-doc name="document_no" required maxlength="60"; }
            div { label for="f-date" { (tr.t("forms-received-on")) } input #f-date name="received_on" type="date" required value=(today); }
            button type="submit" { (tr.t("forms-receive-submit")) }
        }
        h2 { (tr.t("forms-move")) }
        form.stack method="post" action=(ctx.href("/admin/diplomas/forms/move")) {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="institution" value=(inst);
            div {
                label for="m-action" { (tr.t("forms-move-action")) }
                select #m-action name="action" {
                    option value="spoiled" { (tr.t("forms-spoiled")) }
                    option value="returned" { (tr.t("forms-returned")) }
                }
            }
            div { label for="m-series" { (tr.t("forms-series")) } input #m-series name="series" required maxlength="6"; }
            div { label for="m-first" { (tr.t("forms-first")) } input #m-first name="first_no" type="number" min="1" required; }
            div { label for="m-last" { (tr.t("forms-last")) } input #m-last name="last_no" type="number" min="1" required; }
            div { label for="m-reason" { (tr.t("forms-reason")) } input #m-reason name="reason" required maxlength="500"; }
            button type="submit" { (tr.t("forms-move-submit")) }
        }
        @if !receipts.is_empty() {
            h2 { (tr.t("forms-receipts")) }
            ul { @for r in &receipts { li { (r.received_on) " · " (tr.t(&format!("form-kind-{}", r.kind.as_str()))) " · " (r.series) " " (r.first_no) "–" (r.last_no) " · " (r.document_no) } } }
        }
    };
    no_store(respond(status, page(tr, ctx, &title, body)))
}

#[derive(Deserialize)]
pub struct ReceiveForm {
    #[serde(default)]
    csrf: String,
    institution: String,
    kind: String,
    series: String,
    #[serde(default)]
    first_no: String,
    #[serde(default)]
    last_no: String,
    document_no: String,
    received_on: String,
}

fn field_error(tr: Tr<'_>, e: &ApiError) -> Markup {
    let key = format!("forms-error-{}", e.reason.as_deref().unwrap_or("other"));
    html! { div.alert.error role="alert" { p { (tr.t(&key)) } @if let Some(f) = &e.field { p.sub { (tr.ta("error-field", &[("field", text(f))])) } } } }
}

/// `POST /admin/diplomas/forms/receive`.
pub async fn receive(State(s): State<Shared>, ctx: Ctx, Form(f): Form<ReceiveForm>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let (d, c) = match posted(&s, tr, &ctx, &f.csrf).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let input = ReceiptInput {
        institution_id: f.institution.clone(),
        kind: f.kind,
        series: f.series.trim().to_uppercase(),
        first_no: f.first_no.trim().parse().unwrap_or(0),
        last_no: f.last_no.trim().parse().unwrap_or(0),
        document_no: f.document_no,
        received_on: f.received_on,
    };
    match d.receipt_add(&c, input).await {
        Ok(r) => {
            let n = html! { div.alert.ok role="status" { (tr.ta("forms-received-ok", &[("count", num((r.last_no - r.first_no + 1) as f64)), ("series", text(&r.series))])) } };
            forms_page(&s, &ctx, d.as_ref(), &c, &f.institution, Some(n), StatusCode::OK).await
        }
        Err(e)
            if e.code != edu24_shared::error::ErrorCode::PermissionDenied
                && e.code != edu24_shared::error::ErrorCode::Internal =>
        {
            forms_page(&s, &ctx, d.as_ref(), &c, &f.institution, Some(field_error(tr, &e)), StatusCode::BAD_REQUEST)
                .await
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    csrf: String,
    institution: String,
    action: String,
    series: String,
    #[serde(default)]
    first_no: String,
    #[serde(default)]
    last_no: String,
    reason: String,
}

/// `POST /admin/diplomas/forms/move`.
pub async fn move_forms(State(s): State<Shared>, ctx: Ctx, Form(f): Form<MoveForm>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let (d, c) = match posted(&s, tr, &ctx, &f.csrf).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let input = FormMoveInput {
        institution_id: f.institution.clone(),
        series: f.series.trim().to_uppercase(),
        first_no: f.first_no.trim().parse().unwrap_or(0),
        last_no: f.last_no.trim().parse().unwrap_or(0),
        action: f.action,
        reason: f.reason,
    };
    match d.forms_move(&c, input).await {
        Ok(n) => {
            let note = html! { div.alert.ok role="status" { (tr.ta("forms-moved-ok", &[("count", num(n as f64))])) } };
            forms_page(&s, &ctx, d.as_ref(), &c, &f.institution, Some(note), StatusCode::OK).await
        }
        Err(e)
            if e.code != edu24_shared::error::ErrorCode::PermissionDenied
                && e.code != edu24_shared::error::ErrorCode::Internal =>
        {
            forms_page(&s, &ctx, d.as_ref(), &c, &f.institution, Some(field_error(tr, &e)), StatusCode::BAD_REQUEST)
                .await
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

// ---------------------------------------------------------------------------------
// One diploma (staff and holder) and the holder's space

/// `/diplomas/{id}`: a diploma with its files, checks, flags and status actions.
pub async fn view(State(s): State<Shared>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let lang = ctx.lang.code();
    let (d, c) = match signed_in(&s, tr, &ctx).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let dip = match d.diploma_get(&c, &id).await {
        Ok(v) => v,
        Err(e) => return lookup_failed(tr, &ctx, &e, "error-not-found-detail"),
    };
    let checks = d.verifications(&c, &id).await.unwrap_or_default();
    let me = s.records.my_space(&c).await.ok().and_then(|m| m.file).map(|f| f.person.id);
    let holder = me.as_deref() == Some(dip.person_id.as_str());
    let csrf = ctx.csrf_cookie.clone().unwrap_or_default();
    let k = &dip.content;
    let title = tr.ta("diploma-title", &[("number", text(&k.number))]);
    let today = edu24_records::domain::today().to_string();
    let body = html! {
        h1 { (title) }
        p { (state_badge(tr, dip.summary.state)) @if let Some(on) = &dip.state_on { " " (on) " · " (dip.state_reason) } }
        dl.facts {
            dt { (tr.t("diploma-holder")) } dd { (k.holder.full()) @if !k.holder_latin.family.is_empty() { " · " (k.holder_latin.full()) } }
            dt { (tr.t("diploma-institution")) } dd { (k.institution.get(lang)) }
            dt { (tr.t("diploma-qualification")) } dd { (k.qualification.get(lang)) @if k.honours { " · " (tr.t("diploma-honours")) } }
            dt { (tr.t("diploma-form")) } dd { (k.form_series) " " (format!("{:08}", k.form_number)) }
            dt { (tr.t("diploma-order")) } dd { "№ " (k.order_no) " · " (k.order_signed_on) " · " (k.signatory) }
            dt { (tr.t("diploma-issued-on")) } dd { (k.issued_on) }
            dt { "GPA" } dd { (super::grades::gpa_text(k.gpa)) " · " (credits(k.credits_tenths)) " " (tr.t("col-credits")) }
            @if let Some(o) = &k.duplicate_of { dt { (tr.t("diploma-duplicate")) } dd { (o) } }
            dt { "SHA-256" } dd { code.small { (dip.content_sha256) } }
        }
        h2 { (tr.t("diploma-files")) }
        ul {
            @for f in DiplomaFile::ALL {
                li { a href=(ctx.href(&format!("/diplomas/{id}/{}", f.as_str()))) { (tr.t(&format!("diploma-file-{}", f.as_str().replace('.', "-")))) } }
            }
        }
        @if !dip.flags.is_empty() {
            h2 { (tr.t("diploma-flags")) }
            ul { @for f in &dip.flags { li { (tr.t(&format!("flag-{}", f.kind))) " · " small.sub { (f.detail) } @if f.closed_at_ms.is_some() { " · " (f.note) } } } }
        }
        h2 { (tr.t("diploma-checks")) }
        @if checks.is_empty() { p { (tr.t("diploma-checks-none")) } }
        ul { @for v in checks.iter().take(50) { li { (fmt_ms(v.at_ms)) " · " (tr.t(&format!("check-method-{}", v.method))) " · " (v.outcome) } } }
        @if holder && dip.summary.state == DiplomaState::Valid {
            h2 { (tr.t("share-title")) }
            form.inline method="post" action=(ctx.href(&format!("/diplomas/{id}/share"))) {
                input type="hidden" name="csrf" value=(csrf);
                label for="s-days" { (tr.t("share-days")) }
                input #s-days name="days" type="number" min="1" max="90" value="14";
                button type="submit" { (tr.t("share-submit")) }
            }
        }
        @if !holder && dip.summary.state == DiplomaState::Valid {
            h2 { (tr.t("diploma-status-change")) }
            form.stack method="post" action=(ctx.href(&format!("/diplomas/{id}/status"))) {
                input type="hidden" name="csrf" value=(csrf);
                div {
                    label for="st-state" { (tr.t("col-status")) }
                    select #st-state name="state" {
                        option value="revoked" { (tr.t("diploma-state-revoked")) }
                        option value="annulled" { (tr.t("diploma-state-annulled")) }
                    }
                }
                div { label for="st-on" { (tr.t("diploma-state-on")) } input #st-on name="effective_on" type="date" required value=(today); }
                div { label for="st-reason" { (tr.t("diploma-state-reason")) } input #st-reason name="reason" required maxlength="1000"; }
                button.danger type="submit" { (tr.t("diploma-status-submit")) }
            }
            h2 { (tr.t("duplicate-title")) }
            form.stack method="post" action=(ctx.href(&format!("/diplomas/{id}/duplicate"))) {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="request" value=(edu24_shared::time::new_id());
                div { label for="du-date" { (tr.t("issue-date")) } input #du-date name="issued_on" type="date" required value=(today); }
                div { label for="du-reason" { (tr.t("duplicate-reason")) } input #du-reason name="reason" required maxlength="1000"; }
                div { label for="du-series" { (tr.t("issue-series")) } input #du-series name="series" maxlength="6"; }
                button type="submit" { (tr.t("duplicate-submit")) }
            }
        }
    };
    no_store(respond(StatusCode::OK, page(tr, &ctx, &title, body)))
}

fn fmt_ms(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ms / 1000)
        .map(|t| {
            format!("{:04}-{:02}-{:02} {:02}:{:02} UTC", t.year(), u8::from(t.month()), t.day(), t.hour(), t.minute())
        })
        .unwrap_or_default()
}

/// `/diplomas/{id}/{file}`: a file as issued.
pub async fn file(State(s): State<Shared>, ctx: Ctx, Path((id, name)): Path<(String, String)>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let d = match service(&s, tr, &ctx) {
        Ok(d) => d,
        Err(r) => return r,
    };
    let Some(f) = DiplomaFile::parse(&name) else {
        return lookup_failed(tr, &ctx, &ApiError::not_found("file"), "error-not-found-detail");
    };
    let c = match session_call(&s, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match d.diploma_file(&c, &id, f).await {
        Ok(bytes) => {
            let ct = if f == DiplomaFile::Credential { "application/vc+ld+json" } else { "application/pdf" };
            let mut r = bytes.into_response();
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
            if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
                r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
            }
            no_store(r)
        }
        Err(e) => lookup_failed(tr, &ctx, &e, "error-not-found-detail"),
    }
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    csrf: String,
    state: String,
    effective_on: String,
    reason: String,
}

/// `POST /diplomas/{id}/status`.
pub async fn status(State(s): State<Shared>, ctx: Ctx, Path(id): Path<String>, Form(f): Form<StatusForm>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let (d, c) = match posted(&s, tr, &ctx, &f.csrf).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let input = StatusInput { diploma_id: id.clone(), state: f.state, reason: f.reason, effective_on: f.effective_on };
    match d.status_change(&c, input).await {
        Ok(_) => Redirect::to(&ctx.href(&format!("/diplomas/{id}"))).into_response(),
        Err(e)
            if e.code == edu24_shared::error::ErrorCode::InvalidArgument
                || e.code == edu24_shared::error::ErrorCode::FailedPrecondition =>
        {
            error_page(
                tr,
                &ctx,
                StatusCode::BAD_REQUEST,
                "error-bad-request",
                &tr.t(&format!("issue-error-{}", e.reason.as_deref().unwrap_or("other"))),
            )
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

#[derive(Deserialize)]
pub struct DuplicateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    request: String,
    issued_on: String,
    reason: String,
    #[serde(default)]
    series: String,
}

/// `POST /diplomas/{id}/duplicate`.
pub async fn duplicate(
    State(s): State<Shared>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<DuplicateForm>,
) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let (d, c) = match posted(&s, tr, &ctx, &f.csrf).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let input = DuplicateInput {
        diploma_id: id,
        reason: f.reason,
        series: f.series.trim().to_uppercase(),
        issued_on: f.issued_on,
        request_id: f.request,
    };
    match d.duplicate_issue(&c, input).await {
        Ok(n) => Redirect::to(&ctx.href(&format!("/diplomas/{}", n.summary.id))).into_response(),
        Err(e)
            if e.code == edu24_shared::error::ErrorCode::InvalidArgument
                || e.code == edu24_shared::error::ErrorCode::FailedPrecondition =>
        {
            error_page(
                tr,
                &ctx,
                StatusCode::BAD_REQUEST,
                "error-bad-request",
                &tr.t(&format!("issue-error-{}", e.reason.as_deref().unwrap_or("other"))),
            )
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

#[derive(Deserialize)]
pub struct ShareForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    days: String,
}

/// `POST /diplomas/{id}/share`: the holder makes a link to the full record.
pub async fn share(State(s): State<Shared>, ctx: Ctx, Path(id): Path<String>, Form(f): Form<ShareForm>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let (d, c) = match posted(&s, tr, &ctx, &f.csrf).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let days: i32 = f.days.trim().parse().unwrap_or(0);
    match d.share_create(&c, &id, days).await {
        Ok(link) => {
            let url =
                format!("{}{}", s.cfg.public_url.trim_end_matches('/'), ctx.href(&format!("/shared/{}", link.token)));
            let title = tr.t("share-title");
            let body = html! {
                h1 { (title) }
                div.alert.ok role="status" {
                    p { (tr.ta("share-made", &[("date", text(&fmt_ms(link.expires_at_ms)))])) }
                    p { code { (url) } }
                }
                p { a href=(ctx.href(&format!("/diplomas/{id}"))) { "← " (tr.t("share-back")) } }
            };
            no_store(respond(StatusCode::OK, page(tr, &ctx, &title, body)))
        }
        Err(e) if e.code == edu24_shared::error::ErrorCode::InvalidArgument => {
            error_page(tr, &ctx, StatusCode::BAD_REQUEST, "error-bad-request", &tr.t("share-days-invalid"))
        }
        Err(e) => lookup_failed(tr, &ctx, &e, "error-not-found-detail"),
    }
}

/// `/shared/{token}`: the full record the holder shared, while the link holds.
pub async fn shared(State(s): State<Shared>, ctx: Ctx, Path(token): Path<String>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let lang = ctx.lang.code();
    let d = match service(&s, tr, &ctx) {
        Ok(d) => d,
        Err(r) => return r,
    };
    let dip = match d.share_open(&public_call(&ctx), &token).await {
        Ok(v) => v,
        Err(e) => return lookup_failed(tr, &ctx, &e, "share-expired"),
    };
    let k = &dip.content;
    let title = tr.ta("diploma-title", &[("number", text(&k.number))]);
    let body = html! {
        h1 { (title) }
        p { (state_badge(tr, dip.summary.state)) }
        dl.facts {
            dt { (tr.t("diploma-holder")) } dd { (k.holder.full()) }
            dt { (tr.t("diploma-institution")) } dd { (k.institution.get(lang)) }
            dt { (tr.t("diploma-qualification")) } dd { (k.qualification.get(lang)) @if k.honours { " · " (tr.t("diploma-honours")) } }
            dt { (tr.t("diploma-issued-on")) } dd { (k.issued_on) }
            dt { "GPA" } dd { (super::grades::gpa_text(k.gpa)) " · " (credits(k.credits_tenths)) " " (tr.t("col-credits")) }
        }
        div.table-wrap {
            table {
                thead { tr { th scope="col" { (tr.t("col-semester")) } th scope="col" { (tr.t("col-course")) } th scope="col" { (tr.t("col-credits")) } th scope="col" { (tr.t("sheet-score")) } th scope="col" { (tr.t("sheet-grade")) } } }
                tbody {
                    @for l in &k.lines {
                        tr {
                            td { (l.semester) }
                            th scope="row" { (l.course.get(lang)) }
                            td { (credits(l.credits_tenths)) }
                            td { (l.score.map(|v| v.to_string()).unwrap_or_default()) }
                            td { (l.letter) " " (edu24_diploma::document::grade_words(l, lang)) }
                        }
                    }
                }
            }
        }
    };
    no_store(respond(StatusCode::OK, page(tr, &ctx, &title, body)))
}

/// `/me/diplomas`: the holder's diplomas.
pub async fn mine(State(s): State<Shared>, ctx: Ctx) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let (d, c) = match signed_in(&s, tr, &ctx).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let list = match d.my_diplomas(&c).await {
        Ok(l) => l,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let title = tr.t("my-diplomas-title");
    let body = html! {
        h1 { (title) }
        @if list.is_empty() { p { (tr.t("my-diplomas-none")) } }
        (register_table(tr, &ctx, ctx.lang.code(), &list))
    };
    no_store(respond(StatusCode::OK, page(tr, &ctx, &title, body)))
}

// ---------------------------------------------------------------------------------
// API

#[derive(Deserialize, utoipa::IntoParams)]
pub struct VerifyParams {
    /// The QR code's token; or else number and family name.
    #[serde(default)]
    token: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    name: String,
}

/// The public check of a diploma.
#[utoipa::path(get, path = "/diplomas/verify", params(VerifyParams), tag = "diplomas",
    responses((status = 200, body = PublicCheck), (status = 400), (status = 429)))]
pub async fn api_verify(
    State(s): State<Shared>,
    ctx: Ctx,
    axum::extract::Query(q): axum::extract::Query<VerifyParams>,
) -> Response {
    let Some(d) = s.diploma.clone() else { return StatusCode::SERVICE_UNAVAILABLE.into_response() };
    let vq = VerifyQuery { token: q.token, number: q.number, family_name: q.name };
    match d.verify(&public_call(&ctx), &vq).await {
        Ok(c) => Json(c).into_response(),
        Err(e) => super::api::from_api(e),
    }
}

/// Checks an uploaded credential (the JSON body) and says why a bad one fails.
#[utoipa::path(post, path = "/diplomas/verify-credential", tag = "diplomas",
    request_body(content = String, content_type = "application/json"),
    responses((status = 200, body = CredentialCheck)))]
pub async fn api_verify_credential(State(s): State<Shared>, ctx: Ctx, body: String) -> Response {
    let Some(d) = s.diploma.clone() else { return StatusCode::SERVICE_UNAVAILABLE.into_response() };
    match d.verify_credential(&public_call(&ctx), &body).await {
        Ok(c) => Json(c).into_response(),
        Err(e) => super::api::from_api(e),
    }
}

/// `/admin/diplomas/national`: the ministry's view: the national ledger of blank forms by
/// institution, diplomas under review, and the register of the whole country.
pub async fn national(State(s): State<Shared>, ctx: Ctx, RawQuery(raw): RawQuery) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let lang = ctx.lang.code();
    let (d, c) = match signed_in(&s, tr, &ctx).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let p = pairs(raw.as_deref()).unwrap_or_default();
    let ledger = match d.ledger(&c, None).await {
        Ok(l) => l,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let flags = d.flags(&c, None).await.unwrap_or_default();
    let page_no = get(&p, "page").parse::<u32>().unwrap_or(1).clamp(1, 10_000);
    let q = DiplomaQuery {
        institution_id: String::new(),
        state: Some(get(&p, "state").to_owned()).filter(|v| !v.is_empty()),
        q: get(&p, "q").to_owned(),
        flagged: get(&p, "flagged") == "1",
        page: page_no,
        per_page: 50,
    };
    let list = match d.diplomas(&c, &q).await {
        Ok(l) => l,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let mut names = std::collections::HashMap::new();
    for l in &ledger {
        if !names.contains_key(&l.institution_id) {
            let n = s
                .catalogue
                .institution_get(&CallCtx::anonymous(), &l.institution_id)
                .await
                .map(|i| i.summary.name.get(lang).to_owned())
                .unwrap_or_else(|_| l.institution_id.clone());
            names.insert(l.institution_id.clone(), n);
        }
    }
    let total = |f: fn(&Ledger) -> i64| ledger.iter().map(f).sum::<i64>();
    let title = tr.t("diplomas-national-title");
    let body = html! {
        h1 { (title) }
        h2 { (tr.t("forms-ledger")) }
        div.table-wrap {
            table {
                thead { tr {
                    th scope="col" { (tr.t("diploma-institution")) }
                    th scope="col" { (tr.t("forms-kind")) }
                    th scope="col" { (tr.t("forms-received")) }
                    th scope="col" { (tr.t("forms-in-stock")) }
                    th scope="col" { (tr.t("forms-used")) }
                    th scope="col" { (tr.t("forms-spoiled")) }
                    th scope="col" { (tr.t("forms-returned")) }
                } }
                tbody {
                    @for l in &ledger {
                        tr {
                            th scope="row" { (names.get(&l.institution_id).cloned().unwrap_or_default()) }
                            td { (tr.t(&format!("form-kind-{}", l.kind))) }
                            td { (l.received) } td { (l.in_stock) } td { (l.used) } td { (l.spoiled) } td { (l.returned) }
                        }
                    }
                }
                tfoot { tr {
                    th scope="row" colspan="2" { (tr.t("diplomas-national-total")) }
                    td { (total(|l| l.received)) } td { (total(|l| l.in_stock)) } td { (total(|l| l.used)) }
                    td { (total(|l| l.spoiled)) } td { (total(|l| l.returned)) }
                } }
            }
        }
        @if !flags.is_empty() {
            h2 { (tr.t("diploma-flags")) }
            ul { @for f in &flags { li { a href=(ctx.href(&format!("/diplomas/{}", f.diploma_id))) { code { (f.diploma_number) } } " · " (tr.t(&format!("flag-{}", f.kind))) } } }
        }
        h2 { (tr.t("diplomas-register")) }
        form.filters.inline method="get" action=(ctx.href("/admin/diplomas/national")) {
            div { label for="n-q" { (tr.t("diplomas-search")) } input #n-q name="q" value=(q.q) maxlength="80"; }
            button type="submit" { (tr.t("filter-apply")) }
        }
        p.sub { (tr.ta("diplomas-found", &[("count", num(list.total as f64))])) }
        (register_table(tr, &ctx, lang, &list.items))
    };
    no_store(respond(StatusCode::OK, page(tr, &ctx, &title, body)))
}

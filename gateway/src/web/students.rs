//! The student body in the portal: an institution's students (searched and paged), a
//! person's file with its enrolments and the orders that changed them, admitting one
//! student, issuing an order, and admitting a whole intake from a roster.

use std::collections::HashMap;

use axum::extract::{Multipart, Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use edu24_records::domain::*;
use edu24_shared::auth::{CallCtx, Role};
use edu24_shared::error::{ApiError, ErrorCode};
use edu24_shared::sheet::read_cells;
use maud::{Markup, html};

use super::Shared;
use super::ctx::Ctx;
use super::layout::{error_page, page, respond};
use super::licensing::{read_form, table_download};
use super::pages::{csrf_ok, form_call, lookup_failed, new_csrf, private, service_error, session_call};
use super::params::pairs;
use crate::i18n::{Tr, group_digits, num, text};

const PER_PAGE: u32 = 50;

pub(crate) fn get<'a>(f: &'a [(String, String)], k: &str) -> &'a str {
    f.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.trim()).unwrap_or("")
}

pub(crate) fn status_badge(tr: Tr<'_>, s: EnrolmentStatus) -> Markup {
    let class = match s {
        EnrolmentStatus::Active => "badge ok",
        EnrolmentStatus::AcademicLeave => "badge warn",
        EnrolmentStatus::Expelled => "badge bad",
        _ => "badge",
    };
    html! { span class=(class) { (tr.t(&format!("enrolment-status-{}", s.as_str()))) } }
}

/// A problem of a form, translated by its reason, with the service's English below.
pub(crate) fn problem(tr: Tr<'_>, e: &ApiError) -> Markup {
    let id = format!("records-problem-{}", e.reason.as_deref().unwrap_or(""));
    html! {
        div.alert.error role="alert" {
            @if e.reason.is_some() && tr.has(&id) { (tr.t(&id)) } @else { (tr.t("error-bad-request-detail")) }
            br; small lang="en" { (e.message) }
        }
    }
}

/// The institution the caller works for (asked, or their first), if they may.
pub(crate) async fn institution(s: &Shared, c: &CallCtx, asked: &str) -> Result<(String, bool), ApiError> {
    let me = s.identity.me(c).await?;
    let staff: Vec<String> = me
        .roles
        .iter()
        .filter(|r| matches!(r.role, Role::Registrar | Role::InstitutionAdmin))
        .filter_map(|r| r.institution_id.clone())
        .collect();
    let ministry = me.roles.iter().any(|r| matches!(r.role, Role::MinistryAdmin | Role::MinistryAnalyst));
    let inst = if asked.is_empty() { staff.first().cloned().unwrap_or_default() } else { asked.to_owned() };
    if inst.is_empty() || !(ministry || staff.contains(&inst)) {
        return Err(ApiError::forbidden());
    }
    Ok((inst.clone(), staff.contains(&inst)))
}

/// The institution's programmes, for selects and names.
pub(crate) async fn programmes(
    s: &Shared,
    inst: &str,
) -> Result<(String, Vec<edu24_catalogue::domain::Programme>), ApiError> {
    let i = s.catalogue.institution_get(&CallCtx::anonymous(), inst).await?;
    Ok((i.summary.code.clone(), i.programmes))
}

pub(crate) fn programme_label(tr: Tr<'_>, lang: &str, p: &edu24_catalogue::domain::Programme) -> String {
    format!(
        "{} {} · {} · {} · {}",
        p.specialty_code,
        p.specialty_name.get(lang),
        tr.t(&format!("level-{}", p.level.as_str())),
        tr.t(&format!("form-{}", p.form.as_str())),
        super::pages::language_label(tr, &p.language)
    )
}

/// `/admin/students`: the student body.
pub async fn list(State(s): State<Shared>, ctx: Ctx, RawQuery(raw): RawQuery) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match session_call(&s, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let p = pairs(raw.as_deref()).unwrap_or_default();
    let (inst, staff) = match institution(&s, &c, get(&p, "institution")).await {
        Ok(v) => v,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let (code, progs) = match programmes(&s, &inst).await {
        Ok(v) => v,
        Err(e) => return lookup_failed(tr, &ctx, &e, "error-institution-not-found"),
    };
    let page_no = get(&p, "page").parse::<u32>().unwrap_or(1).clamp(1, 100_000);
    let q = StudentQuery {
        institution_id: inst.clone(),
        query: get(&p, "q").chars().take(100).collect(),
        programme_id: Some(get(&p, "programme").to_owned()).filter(|v| !v.is_empty()),
        study_group: Some(get(&p, "group").to_owned()).filter(|v| !v.is_empty()),
        status: EnrolmentStatus::parse(get(&p, "status")),
        page: page_no,
        per_page: PER_PAGE,
    };
    let list = match s.records.students(&c, &q).await {
        Ok(l) => l,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let lang = ctx.lang.code();
    let names: HashMap<&str, String> =
        progs.iter().map(|p| (p.id.as_str(), format!("{} {}", p.specialty_code, p.specialty_name.get(lang)))).collect();
    let pages = list.total.div_ceil(u64::from(PER_PAGE)).max(1);
    let href = |page: u64| {
        let mut qs: Vec<(&str, String)> = vec![("institution", inst.clone()), ("page", page.to_string())];
        for k in ["q", "programme", "group", "status"] {
            if !get(&p, k).is_empty() {
                qs.push((k, get(&p, k).to_owned()));
            }
        }
        format!("{}?{}", ctx.href("/admin/students"), serde_urlencoded::to_string(&qs).unwrap_or_default())
    };
    let title = tr.ta("students-title", &[("code", text(&code))]);
    let today = today();
    let body = html! {
        h1 { (title) }
        @if staff {
            ul.chips {
                li { a href={ (ctx.href("/admin/students/new")) "?institution=" (inst) } { (tr.t("students-admit-one")) } }
                li { a href={ (ctx.href("/admin/students/import")) "?institution=" (inst) } { (tr.t("students-admit-roster")) } }
            }
        }
        form.filters.inline method="get" action=(ctx.href("/admin/students")) role="search" {
            input type="hidden" name="institution" value=(inst);
            div { label for="st-q" { (tr.t("students-search")) } input #st-q type="search" name="q" value=(q.query) maxlength="100"; }
            div {
                label for="st-programme" { (tr.t("col-programme")) }
                select #st-programme name="programme" {
                    option value="" { (tr.t("filter-any")) }
                    @for pr in &progs { option value=(pr.id) selected[q.programme_id.as_deref() == Some(pr.id.as_str())] { (programme_label(tr, lang, pr)) } }
                }
            }
            div { label for="st-group" { (tr.t("col-group")) } input #st-group name="group" value=(get(&p, "group")) maxlength="24" size="8"; }
            div {
                label for="st-status" { (tr.t("col-status")) }
                select #st-status name="status" {
                    option value="" { (tr.t("filter-any")) }
                    @for st in EnrolmentStatus::ALL { option value=(st.as_str()) selected[q.status == Some(*st)] { (tr.t(&format!("enrolment-status-{}", st.as_str()))) } }
                }
            }
            button type="submit" { (tr.t("filter-apply")) }
        }
        p.sub { (tr.ta("students-found", &[("count", num(list.total as f64))])) }
        div.table-wrap {
            table {
                thead { tr {
                    th scope="col" { (tr.t("col-student")) }
                    th scope="col" { (tr.t("col-ticket")) }
                    th scope="col" { (tr.t("col-programme")) }
                    th scope="col" { (tr.t("col-group")) }
                    th scope="col" { (tr.t("col-year")) }
                    th scope="col" { (tr.t("col-funding")) }
                    th scope="col" { (tr.t("col-status")) }
                } }
                tbody {
                    @for r in &list.items {
                        tr {
                            td { a href=(ctx.href(&format!("/admin/persons/{}", r.enrolment.person_id))) { (r.name.full()) } }
                            td { code { (r.enrolment.student_ticket) } }
                            td { (names.get(r.enrolment.programme_id.as_str()).cloned().unwrap_or_else(|| r.enrolment.specialty_code.clone())) }
                            td { (r.enrolment.study_group) }
                            td { (r.enrolment.year_of_study(today)) }
                            td { (tr.t(&format!("funding-{}", r.enrolment.funding.as_str()))) }
                            td { (status_badge(tr, r.enrolment.status)) }
                        }
                    }
                }
            }
        }
        @if pages > 1 {
            nav.pager aria-label=(tr.t("pager-label")) {
                @if u64::from(page_no) > 1 { a href=(href(u64::from(page_no) - 1)) rel="prev" { (tr.t("pager-prev")) } }
                span aria-current="page" { (tr.ta("pager-position", &[("page", num(page_no)), ("pages", num(pages as f64))])) }
                @if u64::from(page_no) < pages { a href=(href(u64::from(page_no) + 1)) rel="next" { (tr.t("pager-next")) } }
            }
        }
    };
    let mut r = respond(StatusCode::OK, page(tr, &ctx, &title, body));
    r.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    r
}

fn order_fields(tr: Tr<'_>, f: &[(String, String)], prefix: &str) -> Markup {
    let today = today().to_string();
    let v = |k: &str, default: &str| {
        let x = get(f, k);
        if x.is_empty() { default.to_owned() } else { x.to_owned() }
    };
    html! {
        fieldset {
            legend { (tr.t("order-legend")) }
            div { label for={ (prefix) "-number" } { (tr.t("order-number")) } input id={ (prefix) "-number" } name="number" value=(v("number", "")) required maxlength="40"; }
            div { label for={ (prefix) "-signed" } { (tr.t("order-signed-on")) } input id={ (prefix) "-signed" } type="date" name="signed_on" value=(v("signed_on", &today)) required; }
            div { label for={ (prefix) "-effective" } { (tr.t("order-effective-on")) } input id={ (prefix) "-effective" } type="date" name="effective_on" value=(v("effective_on", &today)) required; }
            div { label for={ (prefix) "-signatory" } { (tr.t("order-signatory")) } input id={ (prefix) "-signatory" } name="signatory" value=(v("signatory", "")) required maxlength="200"; }
        }
    }
}

fn placement_fields(tr: Tr<'_>, f: &[(String, String)], prefix: &str) -> Markup {
    html! {
        div { label for={ (prefix) "-group" } { (tr.t("col-group")) } input id={ (prefix) "-group" } name="study_group" value=(get(f, "study_group")) required maxlength="24"; }
        div {
            label for={ (prefix) "-funding" } { (tr.t("col-funding")) }
            select id={ (prefix) "-funding" } name="funding" {
                @for fu in Funding::ALL { option value=(fu.as_str()) selected[get(f, "funding") == fu.as_str()] { (tr.t(&format!("funding-{}", fu.as_str()))) } }
            }
        }
        div { label for={ (prefix) "-ticket" } { (tr.t("col-ticket")) } input id={ (prefix) "-ticket" } name="student_ticket" value=(get(f, "student_ticket")) maxlength="32"; }
    }
}

/// An institution and its programmes, as the forms show them.
struct Where<'a> {
    id: &'a str,
    programmes: &'a [edu24_catalogue::domain::Programme],
}

/// The form that records a person and admits them.
fn admit_page(
    s: &Shared,
    ctx: &Ctx,
    status: StatusCode,
    at: Where<'_>,
    f: &[(String, String)],
    notice: Option<Markup>,
    duplicates: &[Person],
) -> Response {
    let (inst, progs) = (at.id, at.programmes);
    let tr = s.i18n.tr(ctx.lang);
    let lang = ctx.lang.code();
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let request = if get(f, "request_id").is_empty() { new_csrf() } else { get(f, "request_id").to_owned() };
    let title = tr.t("students-admit-one");
    let year = today().year();
    let body = html! {
        p { a href={ (ctx.href("/admin/students")) "?institution=" (inst) } { "← " (tr.t("students-back")) } }
        h1 { (title) }
        @if let Some(n) = notice { (n) }
        @if !duplicates.is_empty() {
            div.alert.error role="alert" {
                p { strong { (tr.t("records-duplicates")) } }
                ul { @for d in duplicates { li { a href=(ctx.href(&format!("/admin/persons/{}", d.id))) { (d.name.full()) } " · " (d.birth_date) " · " (d.pin.clone().unwrap_or_else(|| d.pin_exception.clone())) } } }
            }
        }
        form.wide method="post" action=(ctx.href("/admin/students/new")) {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="institution" value=(inst);
            input type="hidden" name="request_id" value=(request);
            fieldset {
                legend { (tr.t("person-legend")) }
                div { label for="pn-pin" { (tr.t("col-pin")) } input #pn-pin name="pin" value=(get(f, "pin")) inputmode="numeric" maxlength="14" pattern="[12][0-9]{13}" autocomplete="off"; p.hint { (tr.t("person-pin-hint")) } }
                div { label for="pn-exception" { (tr.t("person-pin-exception")) } input #pn-exception name="pin_exception" value=(get(f, "pin_exception")) maxlength="200"; }
                div { label for="pn-family" { (tr.t("person-family")) } input #pn-family name="family" value=(get(f, "family")) required maxlength="100" autocomplete="off"; }
                div { label for="pn-given" { (tr.t("person-given")) } input #pn-given name="given" value=(get(f, "given")) required maxlength="100" autocomplete="off"; }
                div { label for="pn-patronymic" { (tr.t("person-patronymic")) } input #pn-patronymic name="patronymic" value=(get(f, "patronymic")) maxlength="100" autocomplete="off"; }
                div { label for="pn-birth" { (tr.t("person-birth-date")) } input #pn-birth type="date" name="birth_date" value=(get(f, "birth_date")) required; }
                div {
                    label for="pn-sex" { (tr.t("person-sex")) }
                    select #pn-sex name="sex" {
                        option value="" { (tr.t("person-sex-from-pin")) }
                        @for sx in Sex::ALL { option value=(sx.as_str()) selected[get(f, "sex") == sx.as_str()] { (tr.t(&format!("sex-{}", sx.as_str()))) } }
                    }
                }
                div { label for="pn-citizenship" { (tr.t("person-citizenship")) } input #pn-citizenship name="citizenship" value=(if get(f, "citizenship").is_empty() { "KG" } else { get(f, "citizenship") }) maxlength="2" size="3"; }
                @if !duplicates.is_empty() {
                    div.check { input #pn-distinct type="checkbox" name="confirm_distinct" value="yes"; label for="pn-distinct" { (tr.t("records-confirm-distinct")) } }
                }
            }
            fieldset {
                legend { (tr.t("admission-legend")) }
                div {
                    label for="ad-programme" { (tr.t("col-programme")) }
                    select #ad-programme name="programme" required {
                        @for pr in progs { option value=(pr.id) selected[get(f, "programme") == pr.id] { (programme_label(tr, lang, pr)) } }
                    }
                }
                div {
                    label for="ad-intake" { (tr.t("col-intake")) }
                    input #ad-intake type="number" name="intake_year" value=(if get(f, "intake_year").is_empty() { year.to_string() } else { get(f, "intake_year").to_owned() }) min="1990" max="2100" required;
                }
                (placement_fields(tr, f, "ad"))
            }
            (order_fields(tr, f, "ad"))
            p { button type="submit" { (tr.t("students-admit-button")) } }
        }
    };
    private(s, ctx, &csrf, respond(status, page(tr, ctx, &title, body)))
}

pub async fn admit_form(State(s): State<Shared>, ctx: Ctx, RawQuery(raw): RawQuery) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match session_call(&s, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let p = pairs(raw.as_deref()).unwrap_or_default();
    let inst = match institution(&s, &c, get(&p, "institution")).await {
        Ok((i, true)) => i,
        Ok(_) => {
            return error_page(tr, &ctx, StatusCode::FORBIDDEN, "error-forbidden", &tr.t("error-forbidden-detail"));
        }
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let progs = match programmes(&s, &inst).await {
        Ok(v) => v.1,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    admit_page(&s, &ctx, StatusCode::OK, Where { id: &inst, programmes: &progs }, &[], None, &[])
}

pub async fn admit(State(s): State<Shared>, ctx: Ctx, body: String) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let f: Vec<(String, String)> = serde_urlencoded::from_str(&body).unwrap_or_default();
    let c = match form_call(&s, &ctx, get(&f, "csrf")).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let inst = get(&f, "institution").to_owned();
    let progs = match programmes(&s, &inst).await {
        Ok(v) => v.1,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let input = PersonInput {
        pin: get(&f, "pin").to_owned(),
        pin_exception: get(&f, "pin_exception").to_owned(),
        name: PersonName {
            family: get(&f, "family").into(),
            given: get(&f, "given").into(),
            patronymic: get(&f, "patronymic").into(),
        },
        latin: PersonName::default(),
        birth_date: get(&f, "birth_date").to_owned(),
        sex: get(&f, "sex").to_owned(),
        citizenship: get(&f, "citizenship").to_owned(),
        institution_id: inst.clone(),
        confirm_distinct: get(&f, "confirm_distinct") == "yes",
    };
    // A PIN already recorded: admit that person (their record is the one).
    let person = match s.records.person_create(&c, input).await {
        Ok(o) if !o.duplicates.is_empty() => {
            return admit_page(
                &s,
                &ctx,
                StatusCode::CONFLICT,
                Where { id: &inst, programmes: &progs },
                &f,
                None,
                &o.duplicates,
            );
        }
        Ok(o) => o.person.map(|p| p.id),
        Err(e) if e.reason.as_deref() == Some("pin_exists") => {
            match s.records.persons_find(&c, &inst, get(&f, "pin"), 1).await.ok().and_then(|v| v.into_iter().next()) {
                Some(p) => Some(p.id),
                None => {
                    return admit_page(
                        &s,
                        &ctx,
                        StatusCode::CONFLICT,
                        Where { id: &inst, programmes: &progs },
                        &f,
                        Some(problem(tr, &e)),
                        &[],
                    );
                }
            }
        }
        Err(e)
            if matches!(
                e.code,
                ErrorCode::InvalidArgument | ErrorCode::FailedPrecondition | ErrorCode::AlreadyExists
            ) =>
        {
            return admit_page(
                &s,
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                Where { id: &inst, programmes: &progs },
                &f,
                Some(problem(tr, &e)),
                &[],
            );
        }
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let Some(person_id) = person else { return service_error(tr, &ctx, &ApiError::internal()) };
    let order = OrderInput {
        kind: "admission".into(),
        institution_id: inst.clone(),
        person_id: person_id.clone(),
        programme_id: get(&f, "programme").to_owned(),
        intake_year: get(&f, "intake_year").parse().unwrap_or(0),
        study_group: get(&f, "study_group").to_owned(),
        funding: get(&f, "funding").to_owned(),
        student_ticket: get(&f, "student_ticket").to_owned(),
        number: get(&f, "number").to_owned(),
        signed_on: get(&f, "signed_on").to_owned(),
        effective_on: get(&f, "effective_on").to_owned(),
        signatory: get(&f, "signatory").to_owned(),
        reason: String::new(),
        request_id: get(&f, "request_id").to_owned(),
        ..Default::default()
    };
    match s.records.order_issue(&c, order).await {
        Ok(_) => Redirect::to(&ctx.href(&format!("/admin/persons/{person_id}?done=admission"))).into_response(),
        Err(e)
            if matches!(
                e.code,
                ErrorCode::InvalidArgument | ErrorCode::FailedPrecondition | ErrorCode::AlreadyExists
            ) =>
        {
            let note = html! {
                (problem(tr, &e))
                p { a href=(ctx.href(&format!("/admin/persons/{person_id}"))) { (tr.t("records-person-kept")) } }
            };
            admit_page(
                &s,
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                Where { id: &inst, programmes: &progs },
                &f,
                Some(note),
                &[],
            )
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

/// `/admin/persons/{id}`: a person's file, and the form of the next order.
pub async fn person(State(s): State<Shared>, ctx: Ctx, Path(id): Path<String>, RawQuery(raw): RawQuery) -> Response {
    let q = pairs(raw.as_deref()).unwrap_or_default();
    let done = q.iter().find(|(k, _)| k == "done").map(|(_, v)| v.clone());
    let account = q.iter().find(|(k, _)| k == "account").map(|(_, v)| v.clone());
    let tr = s.i18n.tr(ctx.lang);
    let notice = done
        .filter(|d| OrderKind::parse(d).is_some())
        .map(|d| html! { div.alert.ok role="status" { (tr.ta("records-order-done", &[("kind", text(&tr.t(&format!("order-kind-{d}"))))])) } })
        .or_else(|| {
            account.filter(|a| ["linked", "unlinked", "unknown", "taken"].contains(&a.as_str())).map(|a| {
                let class = if a == "linked" || a == "unlinked" { "alert ok" } else { "alert error" };
                html! { div class=(class) role="status" { (tr.t(&format!("person-account-{a}"))) } }
            })
        });
    render_person(&s, &ctx, &id, &[], notice, StatusCode::OK).await
}

async fn render_person(
    s: &Shared,
    ctx: &Ctx,
    id: &str,
    f: &[(String, String)],
    notice: Option<Markup>,
    status: StatusCode,
) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    if id.len() > 64 {
        return super::pages::not_found(tr, ctx, "error-person-not-found");
    }
    let c = match session_call(s, ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let file = match s.records.person_get(&c, id).await {
        Ok(v) => v,
        Err(e) => return lookup_failed(tr, ctx, &e, "error-person-not-found"),
    };
    let me = s.identity.me(&c).await.ok();
    let staff_of: Vec<String> = me
        .map(|m| {
            m.roles
                .into_iter()
                .filter(|r| matches!(r.role, Role::Registrar | Role::InstitutionAdmin))
                .filter_map(|r| r.institution_id)
                .collect()
        })
        .unwrap_or_default();
    let lang = ctx.lang.code();
    let mut programme_names: HashMap<String, String> = HashMap::new();
    let mut institution_programmes: HashMap<String, Vec<edu24_catalogue::domain::Programme>> = HashMap::new();
    for e in &file.enrolments {
        if !institution_programmes.contains_key(&e.institution_id)
            && let Ok((_, progs)) = programmes(s, &e.institution_id).await
        {
            for p in &progs {
                programme_names.insert(p.id.clone(), format!("{} {}", p.specialty_code, p.specialty_name.get(lang)));
            }
            institution_programmes.insert(e.institution_id.clone(), progs);
        }
    }
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let pr = &file.person;
    let title = pr.name.full();
    let today = today();
    let body = html! {
        h1 { (title) }
        @if let Some(n) = notice { (n) }
        dl.facts {
            dt { (tr.t("col-pin")) } dd { @match &pr.pin { Some(p) => code { (p) }, None => span { (tr.t("person-no-pin")) ": " (pr.pin_exception) } } }
            dt { (tr.t("person-birth-date")) } dd { (pr.birth_date) }
            dt { (tr.t("person-sex")) } dd { (tr.t(&format!("sex-{}", pr.sex.as_str()))) }
            dt { (tr.t("person-citizenship")) } dd { (pr.citizenship) }
            @if let Some(into) = &pr.merged_into { dt { (tr.t("person-merged-into")) } dd { a href=(ctx.href(&format!("/admin/persons/{into}"))) { (into) } } }
        }
        @if let Some(inst) = file.enrolments.iter().map(|e| &e.institution_id).find(|i| staff_of.contains(i)).or(staff_of.first()) {
            details.more {
                summary { (tr.t("person-account")) }
                form.inline method="post" action=(ctx.href(&format!("/admin/persons/{}/account", pr.id))) {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="hidden" name="institution" value=(inst);
                    label for="pa-login" { (tr.t("person-account-login")) }
                    input #pa-login name="login" maxlength="64" autocomplete="off";
                    button type="submit" { (tr.t("person-account-link")) }
                }
                p.hint { (tr.t("person-account-hint")) }
            }
        }
        h2 { (tr.t("person-enrolments")) }
        @for e in &file.enrolments {
            section.card {
                h3 { (programme_names.get(&e.programme_id).cloned().unwrap_or_else(|| e.specialty_code.clone())) " " (status_badge(tr, e.status)) }
                p { a href=(ctx.href(&format!("/admin/enrolments/{}/transcript", e.id))) { (tr.t("transcript-link")) } }
                dl.facts {
                    dt { (tr.t("col-intake")) } dd { (e.intake_year) " · " (tr.ta("year-of-study", &[("year", num(e.year_of_study(today)))])) }
                    dt { (tr.t("col-group")) } dd { (e.study_group) }
                    dt { (tr.t("col-funding")) } dd { (tr.t(&format!("funding-{}", e.funding.as_str()))) }
                    dt { (tr.t("col-ticket")) } dd { code { (e.student_ticket) } }
                    dt { (tr.t("enrolment-since")) } dd { (e.since) }
                }
                @if staff_of.contains(&e.institution_id) && !matches!(e.status, EnrolmentStatus::Graduated | EnrolmentStatus::TransferredOut) {
                    details.more {
                        summary { (tr.t("order-new")) }
                        form.wide method="post" action=(ctx.href(&format!("/admin/persons/{}/order", pr.id))) {
                            input type="hidden" name="csrf" value=(csrf);
                            input type="hidden" name="enrolment" value=(e.id);
                            input type="hidden" name="institution" value=(e.institution_id);
                            input type="hidden" name="request_id" value=(new_csrf());
                            fieldset {
                                legend { (tr.t("order-what")) }
                                div {
                                    label for={ "ok-" (e.id) } { (tr.t("order-kind")) }
                                    select id={ "ok-" (e.id) } name="kind" {
                                        @for k in OrderKind::ALL.iter().filter(|k| k.next(Some(e.status)).is_some()) {
                                            option value=(k.as_str()) selected[get(f, "kind") == k.as_str()] { (tr.t(&format!("order-kind-{}", k.as_str()))) }
                                        }
                                    }
                                }
                                div { label for={ "or-" (e.id) } { (tr.t("order-reason")) } input id={ "or-" (e.id) } name="reason" value=(get(f, "reason")) maxlength="1000"; p.hint { (tr.t("order-reason-hint")) } }
                                div {
                                    label for={ "op-" (e.id) } { (tr.t("order-new-programme")) }
                                    select id={ "op-" (e.id) } name="programme" {
                                        option value="" { "—" }
                                        @for p in institution_programmes.get(&e.institution_id).into_iter().flatten().filter(|p| p.id != e.programme_id) {
                                            option value=(p.id) { (programme_label(tr, lang, p)) }
                                        }
                                    }
                                    p.hint { (tr.t("order-new-programme-hint")) }
                                }
                                (placement_fields(tr, f, &format!("op-{}", e.id)))
                            }
                            (order_fields(tr, f, &format!("od-{}", e.id)))
                            p { button type="submit" { (tr.t("order-issue")) } }
                        }
                    }
                }
            }
        }
        h2 { (tr.t("person-orders")) }
        div.table-wrap {
            table {
                thead { tr {
                    th scope="col" { (tr.t("order-number")) }
                    th scope="col" { (tr.t("order-kind")) }
                    th scope="col" { (tr.t("order-signed-on")) }
                    th scope="col" { (tr.t("order-effective-on")) }
                    th scope="col" { (tr.t("order-signatory")) }
                    th scope="col" { (tr.t("order-reason")) }
                    th scope="col" { (tr.t("col-status")) }
                } }
                tbody {
                    @for o in file.orders.iter().rev() {
                        tr {
                            td { (o.number) }
                            td { (tr.t(&format!("order-kind-{}", o.kind.as_str()))) }
                            td { (o.signed_on) }
                            td { (o.effective_on) }
                            td { (o.signatory) }
                            td { (o.reason) }
                            td { (status_badge(tr, o.status_after)) }
                        }
                    }
                }
            }
        }
    };
    private(s, ctx, &csrf, respond(status, page(tr, ctx, &title, body)))
}

pub async fn order(State(s): State<Shared>, ctx: Ctx, Path(id): Path<String>, body: String) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let f: Vec<(String, String)> = serde_urlencoded::from_str(&body).unwrap_or_default();
    let c = match form_call(&s, &ctx, get(&f, "csrf")).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let input = OrderInput {
        kind: get(&f, "kind").to_owned(),
        institution_id: get(&f, "institution").to_owned(),
        enrolment_id: get(&f, "enrolment").to_owned(),
        programme_id: get(&f, "programme").to_owned(),
        study_group: get(&f, "study_group").to_owned(),
        funding: get(&f, "funding").to_owned(),
        student_ticket: get(&f, "student_ticket").to_owned(),
        number: get(&f, "number").to_owned(),
        signed_on: get(&f, "signed_on").to_owned(),
        effective_on: get(&f, "effective_on").to_owned(),
        signatory: get(&f, "signatory").to_owned(),
        reason: get(&f, "reason").to_owned(),
        request_id: get(&f, "request_id").to_owned(),
        ..Default::default()
    };
    match s.records.order_issue(&c, input).await {
        Ok((o, _)) => Redirect::to(&ctx.href(&format!("/admin/persons/{id}?done={}", o.kind))).into_response(),
        Err(e)
            if matches!(
                e.code,
                ErrorCode::InvalidArgument | ErrorCode::FailedPrecondition | ErrorCode::AlreadyExists
            ) =>
        {
            render_person(&s, &ctx, &id, &f, Some(problem(tr, &e)), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

// ---------------------------------------------------------------------------------
// A whole intake from a roster.

const ROSTER_HEADER: &[&str] = &[
    "pin",
    "pin_exception",
    "family",
    "given",
    "patronymic",
    "birth_date",
    "sex",
    "citizenship",
    "student_ticket",
    "study_group",
    "funding",
];

/// Rows of a roster file; the header names the columns (in any order).
fn parse_roster(bytes: &[u8]) -> Result<Vec<RosterRow>, Vec<RowProblem>> {
    let one =
        |reason: &str| vec![RowProblem { row: 0, field: "file".into(), reason: reason.into(), message: String::new() }];
    let cells = read_cells(bytes, 8 << 20).map_err(|e| one(e.code()))?;
    let Some((head, body)) = cells.split_first() else { return Err(one("file_empty")) };
    let col: HashMap<String, usize> = head.iter().enumerate().map(|(i, h)| (h.trim().to_lowercase(), i)).collect();
    let missing: Vec<&str> = ["family", "given", "birth_date", "study_group", "funding"]
        .into_iter()
        .filter(|c| !col.contains_key(*c))
        .collect();
    if !missing.is_empty() {
        return Err(vec![RowProblem {
            row: 1,
            field: missing.join(", "),
            reason: "missing_columns".into(),
            message: String::new(),
        }]);
    }
    Ok(body
        .iter()
        .enumerate()
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
        .map(|(i, r)| {
            let g = |name: &str| col.get(name).and_then(|&c| r.get(c)).map(|v| v.trim().to_owned()).unwrap_or_default();
            RosterRow {
                pin: g("pin"),
                pin_exception: g("pin_exception"),
                name: PersonName { family: g("family"), given: g("given"), patronymic: g("patronymic") },
                birth_date: g("birth_date"),
                sex: g("sex"),
                citizenship: g("citizenship"),
                student_ticket: g("student_ticket"),
                study_group: g("study_group"),
                funding: g("funding"),
                row: i as u32 + 2,
            }
        })
        .collect())
}

fn import_page(
    s: &Shared,
    ctx: &Ctx,
    status: StatusCode,
    inst: &str,
    progs: &[edu24_catalogue::domain::Programme],
    report: Option<&AdmitReport>,
    f: &[(String, String)],
) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let lang = ctx.lang.code();
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let title = tr.t("students-admit-roster");
    let body = html! {
        p { a href={ (ctx.href("/admin/students")) "?institution=" (inst) } { "← " (tr.t("students-back")) } }
        h1 { (title) }
        @if let Some(r) = report {
            @if r.problems.is_empty() {
                div.alert.ok role="status" { (tr.ta("roster-admitted", &[("admitted", num(r.admitted)), ("known", num(r.known_persons))])) }
            } @else {
                div.alert.error role="alert" {
                    p { strong { (tr.ta("roster-refused", &[("count", num(r.problems.len() as f64))])) } }
                    @if r.problems.iter().any(|p| p.reason == "licence_full") {
                        p { (tr.ta("roster-licence-full", &[("free", num(r.free_places))])) }
                    }
                    div.table-wrap {
                        table {
                            caption { (tr.t("import-errors-caption")) }
                            thead { tr { th scope="col" { (tr.t("col-row")) } th scope="col" { (tr.t("col-column")) } th scope="col" { (tr.t("col-problem")) } } }
                            tbody {
                                @for p in r.problems.iter().take(500) {
                                    tr {
                                        td { @if p.row > 0 { (p.row) } }
                                        td { code { (p.field) } }
                                        td {
                                            @let id = format!("records-problem-{}", p.reason);
                                            @if tr.has(&id) { (tr.t(&id)) } @else if tr.has(&format!("import-{}", p.reason)) { (tr.t(&format!("import-{}", p.reason))) } @else { (p.reason) }
                                            @if !p.message.is_empty() { br; small lang="en" { (p.message) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        p { (tr.t("roster-lead")) }
        form.wide method="post" action=(ctx.href("/admin/students/import")) enctype="multipart/form-data" {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="institution" value=(inst);
            input type="hidden" name="request_id" value=(new_csrf());
            fieldset {
                legend { (tr.t("admission-legend")) }
                div {
                    label for="ri-programme" { (tr.t("col-programme")) }
                    select #ri-programme name="programme" required {
                        @for pr in progs { option value=(pr.id) selected[get(f, "programme") == pr.id] { (programme_label(tr, lang, pr)) } }
                    }
                }
                div { label for="ri-intake" { (tr.t("col-intake")) } input #ri-intake type="number" name="intake_year" value=(if get(f, "intake_year").is_empty() { today().year().to_string() } else { get(f, "intake_year").to_owned() }) min="1990" max="2100" required; }
                div {
                    label for="ri-file" { (tr.t("roster-file")) }
                    input #ri-file type="file" name="file" required accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
                    p.hint { (tr.t("roster-columns")) " " code { (ROSTER_HEADER.join(",")) } " · " a href=(ctx.href("/admin/students/roster-template.csv")) download { (tr.t("roster-template")) } }
                }
            }
            (order_fields(tr, f, "ri"))
            p { button type="submit" { (tr.t("roster-admit-button")) } }
        }
    };
    private(s, ctx, &csrf, respond(status, page(tr, ctx, &title, body)))
}

pub async fn import_form(State(s): State<Shared>, ctx: Ctx, RawQuery(raw): RawQuery) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match session_call(&s, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let p = pairs(raw.as_deref()).unwrap_or_default();
    let inst = match institution(&s, &c, get(&p, "institution")).await {
        Ok((i, true)) => i,
        Ok(_) => {
            return error_page(tr, &ctx, StatusCode::FORBIDDEN, "error-forbidden", &tr.t("error-forbidden-detail"));
        }
        Err(e) => return service_error(tr, &ctx, &e),
    };
    match programmes(&s, &inst).await {
        Ok((_, progs)) => import_page(&s, &ctx, StatusCode::OK, &inst, &progs, None, &[]),
        Err(e) => service_error(tr, &ctx, &e),
    }
}

pub async fn import(State(s): State<Shared>, ctx: Ctx, form: Multipart) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let Ok(fields) = read_form(form).await else {
        return error_page(tr, &ctx, StatusCode::BAD_REQUEST, "error-bad-request", &tr.t("import-file-too-large"));
    };
    let txt = |k: &str| fields.get(k).map(|b| String::from_utf8_lossy(b).trim().to_owned()).unwrap_or_default();
    if !csrf_ok(&ctx, &txt("csrf")) {
        return error_page(tr, &ctx, StatusCode::FORBIDDEN, "error-forbidden", &tr.t("error-csrf"));
    }
    let c = match session_call(&s, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let inst = match institution(&s, &c, &txt("institution")).await {
        Ok((i, true)) => i,
        Ok(_) => {
            return error_page(tr, &ctx, StatusCode::FORBIDDEN, "error-forbidden", &tr.t("error-forbidden-detail"));
        }
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let progs = match programmes(&s, &inst).await {
        Ok(v) => v.1,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let f: Vec<(String, String)> = ["programme", "intake_year", "number", "signed_on", "effective_on", "signatory"]
        .iter()
        .map(|k| ((*k).to_owned(), txt(k)))
        .collect();
    let rows = match parse_roster(fields.get("file").map(Vec::as_slice).unwrap_or_default()) {
        Ok(r) => r,
        Err(problems) => {
            let report = AdmitReport { problems, ..AdmitReport::default() };
            return import_page(&s, &ctx, StatusCode::UNPROCESSABLE_ENTITY, &inst, &progs, Some(&report), &f);
        }
    };
    let input = AdmitIntake {
        institution_id: inst.clone(),
        programme_id: txt("programme"),
        intake_year: txt("intake_year").parse().unwrap_or(0),
        number: txt("number"),
        signed_on: txt("signed_on"),
        effective_on: txt("effective_on"),
        signatory: txt("signatory"),
        rows,
        request_id: txt("request_id"),
    };
    match s.records.intake_admit(&c, input).await {
        Ok(r) => {
            let status = if r.problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
            import_page(&s, &ctx, status, &inst, &progs, Some(&r), &f)
        }
        Err(e) if matches!(e.code, ErrorCode::InvalidArgument | ErrorCode::FailedPrecondition) => {
            let report = AdmitReport {
                problems: vec![RowProblem {
                    row: 0,
                    field: e.field.clone().unwrap_or_default(),
                    reason: e.reason.clone().unwrap_or_default(),
                    message: e.message.clone(),
                }],
                ..AdmitReport::default()
            };
            import_page(&s, &ctx, StatusCode::UNPROCESSABLE_ENTITY, &inst, &progs, Some(&report), &f)
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

pub async fn roster_template() -> Response {
    table_download(
        "csv",
        "intake-roster",
        ROSTER_HEADER,
        &[vec![
            "11503200512345".into(),
            String::new(),
            "Токтосунова".into(),
            "Айпери".into(),
            "Бакытовна".into(),
            "2005-03-15".into(),
            "female".into(),
            "KG".into(),
            "KNU-26-001".into(),
            "ЮР-26-1".into(),
            "contract".into(),
        ]],
    )
}

/// Figures for the personal page of registrars: how many students the institution has.
pub(crate) fn count_text(tr: Tr<'_>, ctx: &Ctx, name: &str, n: u64) -> String {
    tr.ta("students-count", &[("name", text(name)), ("count", text(&group_digits(n, ctx.lang)))])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_roster_is_read_by_its_header() {
        let csv = "given,family,birth_date,study_group,funding,pin\nАйпери,Токтосунова,2005-03-15,ЮР-26-1,contract,11503200512345\n\n";
        let rows = parse_roster(csv.as_bytes()).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].name.family.as_str(), rows[0].pin.as_str()), ("Токтосунова", "11503200512345"));
        let gap = "family,given,birth_date,study_group,funding\nА,Б,2005-01-01,G,grant\n,,,,\nВ,Г,2005-01-01,G,grant\n";
        let rows = parse_roster(gap.as_bytes()).unwrap();
        assert_eq!(
            rows.iter().map(|r| r.row).collect::<Vec<_>>(),
            [2, 4],
            "a skipped blank row keeps the numbers of the rows after it"
        );
        assert_eq!(parse_roster(b"family,given\n").unwrap_err()[0].reason, "missing_columns");
    }
}

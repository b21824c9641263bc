//! State educational standards and the national catalogue of general-education courses:
//! public pages for everyone, and the ministry's forms to record them.

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use edu24_curriculum::domain::*;
use edu24_shared::auth::Role;
use edu24_shared::error::{ApiError, ErrorCode};
use maud::{Markup, html};

use super::Shared;
use super::ctx::Ctx;
use super::curricula::credits;
use super::layout::{error_page, page, respond};
use super::pages::{form_call, lookup_failed, new_csrf, private, service_error, session_call};
use super::params::pairs;
use crate::i18n::{Lang, Tr, num, text};

fn level_label(tr: Tr<'_>, l: Level) -> String {
    tr.t(&format!("level-{}", l.as_str())).into_owned()
}

async fn specialty_names(s: &Shared) -> std::collections::HashMap<(String, Level), Localized> {
    match s.catalogue.framework(&edu24_shared::auth::CallCtx::anonymous()).await {
        Ok(f) => f.specialties.iter().map(|sp| ((sp.code.clone(), sp.level), sp.name.clone())).collect(),
        Err(_) => Default::default(),
    }
}

async fn is_ministry_admin(s: &Shared, ctx: &Ctx) -> bool {
    if ctx.session.is_none() {
        return false;
    }
    let Ok(c) = session_call(s, ctx).await else { return false };
    s.identity.me(&c).await.is_ok_and(|m| m.roles.iter().any(|r| r.role == Role::MinistryAdmin))
}

/// `/standards`: every standard, by specialty.
pub async fn list(State(s): State<Shared>, ctx: Ctx, RawQuery(raw): RawQuery) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let p = pairs(raw.as_deref()).unwrap_or_default();
    let level = p.iter().rev().find(|(k, _)| k == "level").and_then(|(_, v)| Level::parse(v));
    let c = super::pages::call(&ctx);
    let standards = match s.curriculum.standards(&c, None, level).await {
        Ok(v) => v,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let names = specialty_names(&s).await;
    let admin = is_ministry_admin(&s, &ctx).await;
    let l = ctx.lang.code();
    let title = tr.t("standards-title");
    let body = html! {
        h1 { (title) }
        p { (tr.t("standards-lead")) }
        form.filters.inline method="get" action=(ctx.href("/standards")) {
            div {
                label for="st-level" { (tr.t("col-level")) }
                select #st-level name="level" {
                    option value="" { (tr.t("filter-any")) }
                    @for lv in [Level::Bachelor, Level::Master, Level::Specialist] { option value=(lv.as_str()) selected[level == Some(lv)] { (level_label(tr, lv)) } }
                }
            }
            button type="submit" { (tr.t("filter-apply")) }
        }
        p { a href=(ctx.href("/standards/courses")) { (tr.t("national-courses-title")) } " · " a href=(ctx.href("/curricula/compare")) { (tr.t("compare-curricula-title")) }
            @if admin { " · " a href=(ctx.href("/admin/standards/edit")) { (tr.t("standard-new")) } } }
        div.table-wrap {
            table {
                caption { (tr.ta("standards-caption", &[("count", num(standards.len() as f64))])) }
                thead { tr {
                    th scope="col" { (tr.t("col-specialty")) }
                    th scope="col" { (tr.t("col-level")) }
                    th scope="col" { (tr.t("col-valid-from")) }
                    th scope="col" { (tr.t("col-document")) }
                    th scope="col" { (tr.t("col-credits")) }
                    th scope="col" { (tr.t("col-semesters")) }
                } }
                tbody {
                    @for st in &standards {
                        tr {
                            td { a href=(ctx.href(&format!("/standards/{}", st.id))) { (st.specialty_code) " " (names.get(&(st.specialty_code.clone(), st.level)).map(|n| n.get(l)).unwrap_or("")) } }
                            td { (level_label(tr, st.level)) }
                            td { (st.valid_from) }
                            td.nowrap { (st.document_no) }
                            td { (credits(st.total_tenths, ctx.lang)) }
                            td { (st.semesters) }
                        }
                    }
                }
            }
        }
    };
    respond(StatusCode::OK, page(tr, &ctx, &title, body))
}

/// `/standards/{id}`: one standard with its blocks and mandatory courses.
pub async fn view(State(s): State<Shared>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    if id.len() > 64 {
        return super::pages::not_found(tr, &ctx, "error-standard-not-found");
    }
    let c = super::pages::call(&ctx);
    let (st, national) = match tokio::try_join!(s.curriculum.standard_get(&c, &id), s.curriculum.national_courses(&c)) {
        Ok(v) => v,
        Err(e) => return lookup_failed(tr, &ctx, &e, "error-standard-not-found"),
    };
    let names = specialty_names(&s).await;
    let admin = is_ministry_admin(&s, &ctx).await;
    let lang = ctx.lang;
    let l = lang.code();
    let spec = names.get(&(st.specialty_code.clone(), st.level)).map(|n| n.get(l).to_owned()).unwrap_or_default();
    let title = format!("{} {} · {}", st.specialty_code, spec, level_label(tr, st.level));
    let body = html! {
        p { a href=(ctx.href("/standards")) { "← " (tr.t("standards-title")) } }
        h1 { (title) }
        p.sub { (st.title.get(l)) }
        dl.facts {
            dt { (tr.t("col-document")) } dd { (st.document_no) }
            dt { (tr.t("col-valid-from")) } dd { (st.valid_from) }
            dt { (tr.t("col-credits")) } dd { (credits(st.total_tenths, lang)) " · " (tr.ta("standard-hours-per-credit", &[("hours", num(st.hours_per_credit))])) }
            dt { (tr.t("col-semesters")) } dd { (st.semesters) " · " (tr.ta("standard-weeks", &[("weeks", num(st.weeks_per_semester))])) }
            dt { (tr.t("standard-max-weekly")) } dd { (st.max_weekly_hours) }
            dt { (tr.t("standard-state-share")) } dd { (st.state_component_percent) " %" }
            dt { (tr.t("standard-in-use")) } dd { @if st.in_use { span.badge.ok { (tr.t("standard-in-use-yes")) } } @else { (tr.t("standard-in-use-no")) } }
        }
        h2 { (tr.t("standard-blocks")) }
        div.table-wrap {
            table {
                thead { tr { th scope="col" { (tr.t("col-block")) } th scope="col" { (tr.t("col-kind")) } th scope="col" { (tr.t("col-limits")) } } }
                tbody {
                    @for b in &st.blocks {
                        tr { th scope="row" { code { (b.code) } " " (b.name.get(l)) } td { (tr.t(&format!("block-kind-{}", b.kind.as_str()))) } td { (credits(b.min_tenths, lang)) "–" (credits(b.max_tenths, lang)) } }
                    }
                }
            }
        }
        h2 { (tr.t("standard-courses")) }
        div.table-wrap {
            table {
                thead { tr { th scope="col" { (tr.t("col-code")) } th scope="col" { (tr.t("col-course")) } th scope="col" { (tr.t("col-block")) } th scope="col" { (tr.t("col-min-credits")) } } }
                tbody {
                    @for c in &st.courses {
                        @let name = if c.name.is_blank() { national.iter().find(|n| n.code == c.code).map(|n| n.name.get(l).to_owned()).unwrap_or_default() } else { c.name.get(l).to_owned() };
                        tr { td { code { (c.code) } } td { (name) } td { (c.block) } td { (credits(c.min_tenths, lang)) } }
                    }
                }
            }
        }
        p {
            a href={ (ctx.href("/curricula/compare")) "?specialty=" (st.specialty_code) "&level=" (st.level.as_str()) } { (tr.t("compare-curricula-title")) }
            @if admin {
                " · "
                @if st.in_use {
                    a href={ (ctx.href("/admin/standards/edit")) "?from=" (st.id) } { (tr.t("standard-new-version")) }
                } @else {
                    a href={ (ctx.href("/admin/standards/edit")) "?id=" (st.id) } { (tr.t("standard-edit")) }
                }
            }
        }
    };
    respond(StatusCode::OK, page(tr, &ctx, &title, body))
}

/// `/standards/courses`: the national catalogue, and for the ministry its form.
pub async fn national(State(s): State<Shared>, ctx: Ctx) -> Response {
    render_national(&s, &ctx, None, StatusCode::OK).await
}

async fn render_national(s: &Shared, ctx: &Ctx, notice: Option<Markup>, status: StatusCode) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let courses = match s.curriculum.national_courses(&super::pages::call(ctx)).await {
        Ok(v) => v,
        Err(e) => return service_error(tr, ctx, &e),
    };
    let admin = is_ministry_admin(s, ctx).await;
    let lang = ctx.lang;
    let l = lang.code();
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let title = tr.t("national-courses-title");
    let body = html! {
        p { a href=(ctx.href("/standards")) { "← " (tr.t("standards-title")) } }
        h1 { (title) }
        p { (tr.t("national-courses-lead")) }
        @if let Some(n) = notice { (n) }
        div.table-wrap {
            table {
                thead { tr { th scope="col" { (tr.t("col-code")) } th scope="col" { (tr.t("col-course")) } th scope="col" { (tr.t("col-recommended")) } th scope="col" { (tr.t("col-mandatory")) } th scope="col" { (tr.t("col-note")) } } }
                tbody {
                    @for c in &courses {
                        tr {
                            td { code { (c.code) } }
                            td { (c.name.get(l)) }
                            td { @match c.recommended_tenths { Some(t) => (credits(t, lang)), None => span.sub { (tr.t("not-yet-known")) } } }
                            td { @if c.mandatory { span.badge.ok { (tr.t("yes")) } } @else { (tr.t("no")) } }
                            td { small lang="en" { (c.note) } }
                        }
                    }
                }
            }
        }
        @if admin {
            h2 #edit { (tr.t("national-course-form")) }
            form.stack method="post" action=(ctx.href("/admin/standards/courses")) {
                input type="hidden" name="csrf" value=(csrf);
                div { label for="nc-code" { (tr.t("col-code")) } input #nc-code name="code" required maxlength="24" pattern="GE-[A-Za-z0-9._-]+" placeholder="GE-…"; p.hint { (tr.t("national-course-code-hint")) } }
                div { label for="nc-ky" { (tr.t("col-name-ky")) } input #nc-ky name="name_ky" required maxlength="300" lang="ky"; }
                div { label for="nc-ru" { (tr.t("col-name-ru")) } input #nc-ru name="name_ru" required maxlength="300" lang="ru"; }
                div { label for="nc-en" { (tr.t("col-name-en")) } input #nc-en name="name_en" required maxlength="300" lang="en"; }
                div { label for="nc-credits" { (tr.t("col-recommended")) } input #nc-credits name="credits" inputmode="decimal" maxlength="5"; }
                div.check { input #nc-mandatory type="checkbox" name="mandatory" value="yes"; label for="nc-mandatory" { (tr.t("col-mandatory")) } }
                div { label for="nc-note" { (tr.t("col-note")) } textarea #nc-note name="note" rows="3" maxlength="2000" {} }
                button type="submit" { (tr.t("save")) }
            }
        }
    };
    let r = respond(status, page(tr, ctx, &title, body));
    if admin { private(s, ctx, &csrf, r) } else { r }
}

fn fields(body: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str(body).unwrap_or_default()
}

fn get<'a>(f: &'a [(String, String)], k: &str) -> &'a str {
    f.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.trim()).unwrap_or("")
}

fn problem(tr: Tr<'_>, e: &ApiError) -> Markup {
    let id = format!("curriculum-problem-{}", e.reason.as_deref().unwrap_or(""));
    html! {
        div.alert.error role="alert" {
            @if e.reason.is_some() && tr.has(&id) { (tr.t(&id)) } @else { (tr.t("error-bad-request-detail")) }
            @if let Some(f) = &e.field { " " code { (f) } }
            br; small lang="en" { (e.message) }
        }
    }
}

pub async fn national_save(State(s): State<Shared>, ctx: Ctx, body: String) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let f = fields(&body);
    let c = match form_call(&s, &ctx, get(&f, "csrf")).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let recommended = match get(&f, "credits") {
        "" => None,
        v => match credits_parse(v) {
            Some(t) => Some(t),
            None => {
                let e =
                    ApiError::invalid("credits", "credits are a number like 4 or 4.5").with_reason("credits_number");
                return render_national(&s, &ctx, Some(problem(tr, &e)), StatusCode::BAD_REQUEST).await;
            }
        },
    };
    let course = NationalCourse {
        code: get(&f, "code").to_owned(),
        name: Localized::new(get(&f, "name_ky"), get(&f, "name_ru"), get(&f, "name_en")),
        recommended_tenths: recommended,
        mandatory: get(&f, "mandatory") == "yes",
        note: get(&f, "note").to_owned(),
        version: 0,
    };
    match s.curriculum.national_course_upsert(&c, course).await {
        Ok(n) => {
            let notice =
                html! { div.alert.ok role="status" { (tr.ta("national-course-saved", &[("code", text(&n.code))])) } };
            render_national(&s, &ctx, Some(notice), StatusCode::OK).await
        }
        Err(e) if e.code == ErrorCode::InvalidArgument => {
            render_national(&s, &ctx, Some(problem(tr, &e)), StatusCode::BAD_REQUEST).await
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

// ---------------------------------------------------------------------------------
// The ministry's standard form.

const BLOCK_ROWS: usize = 10;
const COURSE_ROWS: usize = 24;

fn standard_form(
    s: &Shared,
    ctx: &Ctx,
    st: &Standard,
    specialties: &[(String, Level, String)],
    notice: Option<Markup>,
    status: StatusCode,
) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let lang = ctx.lang;
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let title = if st.id.is_empty() { tr.t("standard-new").into_owned() } else { tr.t("standard-edit").into_owned() };
    let c10 = |t: i32| if t == 0 { String::new() } else { credits(t, lang) };
    let body = html! {
        p { a href=(ctx.href("/standards")) { "← " (tr.t("standards-title")) } }
        h1 { (title) }
        @if let Some(n) = notice { (n) }
        form.wide method="post" action=(ctx.href("/admin/standards/save")) {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="id" value=(st.id);
            fieldset {
                legend { (tr.t("standard-facts")) }
                div {
                    label for="sf-spec" { (tr.t("col-specialty")) }
                    select #sf-spec name="specialty" required disabled[!st.id.is_empty()] {
                        @for (code, level, name) in specialties {
                            option value={ (code) ":" (level.as_str()) } selected[*code == st.specialty_code && *level == st.level] { (code) " " (name) " · " (level_label(tr, *level)) }
                        }
                    }
                    @if !st.id.is_empty() { input type="hidden" name="specialty" value={ (st.specialty_code) ":" (st.level.as_str()) }; }
                }
                div { label for="sf-from" { (tr.t("col-valid-from")) } input #sf-from type="date" name="valid_from" value=(st.valid_from) required; }
                div { label for="sf-doc" { (tr.t("col-document")) } input #sf-doc name="document_no" value=(st.document_no) required maxlength="120"; }
                div { label for="sf-tky" { (tr.t("standard-title-ky")) } input #sf-tky name="title_ky" value=(st.title.ky) maxlength="400" lang="ky"; }
                div { label for="sf-tru" { (tr.t("standard-title-ru")) } input #sf-tru name="title_ru" value=(st.title.ru) maxlength="400" lang="ru"; }
                div { label for="sf-ten" { (tr.t("standard-title-en")) } input #sf-ten name="title_en" value=(st.title.en) maxlength="400" lang="en"; }
                div { label for="sf-total" { (tr.t("col-credits")) } input #sf-total name="total" value=(c10(st.total_tenths)) required inputmode="decimal" maxlength="6"; }
                div { label for="sf-hpc" { (tr.t("standard-hours-per-credit-label")) } input #sf-hpc type="number" name="hours_per_credit" value=(st.hours_per_credit) min="10" max="60" required; }
                div { label for="sf-sem" { (tr.t("col-semesters")) } input #sf-sem type="number" name="semesters" value=(st.semesters) min="1" max="20" required; }
                div { label for="sf-weeks" { (tr.t("standard-weeks-label")) } input #sf-weeks type="number" name="weeks" value=(st.weeks_per_semester) min="10" max="30" required; }
                div { label for="sf-max" { (tr.t("standard-max-weekly")) } input #sf-max type="number" name="max_weekly" value=(st.max_weekly_hours) min="10" max="80" required; }
                div { label for="sf-share" { (tr.t("standard-state-share")) } input #sf-share type="number" name="state_percent" value=(st.state_component_percent) min="0" max="100" required; }
            }
            h2 { (tr.t("standard-blocks")) }
            div.table-wrap {
                table.sheet {
                    thead { tr { th scope="col" { (tr.t("col-code")) } th scope="col" { (tr.t("col-kind")) } th scope="col" { (tr.t("col-name-ky")) } th scope="col" { (tr.t("col-name-ru")) } th scope="col" { (tr.t("col-name-en")) } th scope="col" { (tr.t("col-min-credits")) } th scope="col" { (tr.t("col-max-credits")) } } }
                    tbody {
                        @for i in 0..BLOCK_ROWS.max(st.blocks.len() + 2) {
                            @let b = st.blocks.get(i);
                            @let lab = |col: &str| tr.ta("cell-label", &[("column", text(&tr.t(col))), ("row", num(i as f64 + 1.0))]);
                            tr {
                                td { input name={ "b" (i) ".code" } value=(b.map(|b| b.code.as_str()).unwrap_or("")) size="6" maxlength="12" aria-label=(lab("col-code")); }
                                td { select name={ "b" (i) ".kind" } aria-label=(lab("col-kind")) { @for k in BlockKind::ALL { option value=(k.as_str()) selected[b.is_some_and(|b| b.kind == *k)] { (tr.t(&format!("block-kind-{}", k.as_str()))) } } } }
                                td { input name={ "b" (i) ".name_ky" } value=(b.map(|b| b.name.ky.as_str()).unwrap_or("")) size="20" lang="ky" aria-label=(lab("col-name-ky")); }
                                td { input name={ "b" (i) ".name_ru" } value=(b.map(|b| b.name.ru.as_str()).unwrap_or("")) size="20" lang="ru" aria-label=(lab("col-name-ru")); }
                                td { input name={ "b" (i) ".name_en" } value=(b.map(|b| b.name.en.as_str()).unwrap_or("")) size="20" lang="en" aria-label=(lab("col-name-en")); }
                                td { input name={ "b" (i) ".min" } value=(b.map(|b| credits(b.min_tenths, lang)).unwrap_or_default()) size="4" inputmode="decimal" aria-label=(lab("col-min-credits")); }
                                td { input name={ "b" (i) ".max" } value=(b.map(|b| credits(b.max_tenths, lang)).unwrap_or_default()) size="4" inputmode="decimal" aria-label=(lab("col-max-credits")); }
                            }
                        }
                    }
                }
            }
            h2 { (tr.t("standard-courses")) }
            p.hint { (tr.t("standard-courses-hint")) }
            div.table-wrap {
                table.sheet {
                    thead { tr { th scope="col" { (tr.t("col-code")) } th scope="col" { (tr.t("col-name-ky")) } th scope="col" { (tr.t("col-name-ru")) } th scope="col" { (tr.t("col-name-en")) } th scope="col" { (tr.t("col-block")) } th scope="col" { (tr.t("col-min-credits")) } } }
                    tbody {
                        @for i in 0..COURSE_ROWS.max(st.courses.len() + 4) {
                            @let c = st.courses.get(i);
                            @let lab = |col: &str| tr.ta("cell-label", &[("column", text(&tr.t(col))), ("row", num(i as f64 + 1.0))]);
                            tr {
                                td { input name={ "c" (i) ".code" } value=(c.map(|c| c.code.as_str()).unwrap_or("")) size="10" maxlength="24" aria-label=(lab("col-code")); }
                                td { input name={ "c" (i) ".name_ky" } value=(c.map(|c| c.name.ky.as_str()).unwrap_or("")) size="20" lang="ky" aria-label=(lab("col-name-ky")); }
                                td { input name={ "c" (i) ".name_ru" } value=(c.map(|c| c.name.ru.as_str()).unwrap_or("")) size="20" lang="ru" aria-label=(lab("col-name-ru")); }
                                td { input name={ "c" (i) ".name_en" } value=(c.map(|c| c.name.en.as_str()).unwrap_or("")) size="20" lang="en" aria-label=(lab("col-name-en")); }
                                td { input name={ "c" (i) ".block" } value=(c.map(|c| c.block.as_str()).unwrap_or("")) size="6" aria-label=(lab("col-block")); }
                                td { input name={ "c" (i) ".min" } value=(c.map(|c| credits(c.min_tenths, lang)).unwrap_or_default()) size="4" inputmode="decimal" aria-label=(lab("col-min-credits")); }
                            }
                        }
                    }
                }
            }
            input type="hidden" name="block_rows" value=(BLOCK_ROWS.max(st.blocks.len() + 2));
            input type="hidden" name="course_rows" value=(COURSE_ROWS.max(st.courses.len() + 4));
            p { button type="submit" { (tr.t("save")) } }
        }
    };
    private(s, ctx, &csrf, respond(status, page(tr, ctx, &title, body)))
}

async fn specialties_of(s: &Shared, lang: Lang) -> Vec<(String, Level, String)> {
    match s.catalogue.framework(&edu24_shared::auth::CallCtx::anonymous()).await {
        Ok(f) => {
            f.specialties.iter().map(|sp| (sp.code.clone(), sp.level, sp.name.get(lang.code()).to_owned())).collect()
        }
        Err(_) => Vec::new(),
    }
}

fn blank_standard() -> Standard {
    Standard {
        id: String::new(),
        specialty_code: String::new(),
        level: Level::Bachelor,
        valid_from: edu24_catalogue::domain::today(),
        document_no: String::new(),
        title: Localized::default(),
        total_tenths: 2400,
        hours_per_credit: DEFAULT_HOURS_PER_CREDIT,
        semesters: 8,
        weeks_per_semester: DEFAULT_WEEKS_PER_SEMESTER,
        max_weekly_hours: DEFAULT_MAX_WEEKLY_HOURS,
        state_component_percent: DEFAULT_STATE_COMPONENT_PERCENT,
        blocks: Vec::new(),
        courses: Vec::new(),
        version: 0,
        in_use: false,
        updated_at_ms: 0,
        updated_by: String::new(),
    }
}

/// `/admin/standards/edit`: a new standard, one to change (`?id=`), or a new version
/// of one (`?from=`, with a later date of entry into force).
pub async fn edit(State(s): State<Shared>, ctx: Ctx, RawQuery(raw): RawQuery) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match session_call(&s, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    if !s.identity.me(&c).await.is_ok_and(|m| m.roles.iter().any(|r| r.role == Role::MinistryAdmin)) {
        return error_page(tr, &ctx, StatusCode::FORBIDDEN, "error-forbidden", &tr.t("error-forbidden-detail"));
    }
    let p = pairs(raw.as_deref()).unwrap_or_default();
    let q = |k: &str| p.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.clone()).filter(|v| !v.is_empty());
    let st = match (q("id"), q("from")) {
        (Some(id), _) => match s.curriculum.standard_get(&c, &id).await {
            Ok(st) => st,
            Err(e) => return lookup_failed(tr, &ctx, &e, "error-standard-not-found"),
        },
        (None, Some(from)) => match s.curriculum.standard_get(&c, &from).await {
            Ok(st) => Standard { id: String::new(), valid_from: edu24_catalogue::domain::today(), in_use: false, ..st },
            Err(e) => return lookup_failed(tr, &ctx, &e, "error-standard-not-found"),
        },
        _ => blank_standard(),
    };
    let specialties = specialties_of(&s, ctx.lang).await;
    standard_form(&s, &ctx, &st, &specialties, None, StatusCode::OK)
}

fn standard_from_form(f: &[(String, String)]) -> Result<Standard, ApiError> {
    let num_field = |k: &str| -> Result<i32, ApiError> {
        get(f, k)
            .parse::<i32>()
            .map_err(|_| ApiError::invalid(k, format!("{k} is a whole number")).with_reason("number"))
    };
    let tenths = |k: &str, v: &str| -> Result<i32, ApiError> {
        credits_parse(v).ok_or_else(|| {
            ApiError::invalid(k, format!("{k}: {v:?} is not a number like 4 or 4.5")).with_reason("credits_number")
        })
    };
    let (code, level) = get(f, "specialty").split_once(':').unwrap_or(("", ""));
    let level = Level::parse(level)
        .ok_or_else(|| ApiError::invalid("specialty", "choose a specialty").with_reason("specialty_unknown"))?;
    let mut st = Standard {
        id: get(f, "id").to_owned(),
        specialty_code: code.to_owned(),
        level,
        valid_from: get(f, "valid_from").to_owned(),
        document_no: get(f, "document_no").to_owned(),
        title: Localized::new(get(f, "title_ky"), get(f, "title_ru"), get(f, "title_en")),
        total_tenths: tenths("total", get(f, "total"))?,
        hours_per_credit: num_field("hours_per_credit")?,
        semesters: num_field("semesters")?,
        weeks_per_semester: num_field("weeks")?,
        max_weekly_hours: num_field("max_weekly")?,
        state_component_percent: num_field("state_percent")?,
        ..blank_standard()
    };
    let rows = |k: &str| get(f, k).parse::<usize>().unwrap_or(0).min(120);
    for i in 0..rows("block_rows") {
        let g = |k: &str| get(f, &format!("b{i}.{k}")).to_owned();
        if g("code").is_empty() {
            continue;
        }
        st.blocks.push(StandardBlock {
            code: g("code"),
            kind: BlockKind::parse(&g("kind")).unwrap_or(BlockKind::Professional),
            name: Localized::new(&g("name_ky"), &g("name_ru"), &g("name_en")),
            min_tenths: tenths(&format!("blocks[{i}]"), &g("min"))?,
            max_tenths: tenths(&format!("blocks[{i}]"), &g("max"))?,
        });
    }
    for i in 0..rows("course_rows") {
        let g = |k: &str| get(f, &format!("c{i}.{k}")).to_owned();
        if g("code").is_empty() {
            continue;
        }
        st.courses.push(StandardCourse {
            code: g("code"),
            name: Localized::new(&g("name_ky"), &g("name_ru"), &g("name_en")),
            block: g("block"),
            min_tenths: tenths(&format!("courses[{i}]"), &g("min"))?,
        });
    }
    Ok(st)
}

pub async fn save(State(s): State<Shared>, ctx: Ctx, body: String) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let f = fields(&body);
    let c = match form_call(&s, &ctx, get(&f, "csrf")).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let specialties = specialties_of(&s, ctx.lang).await;
    let st = match standard_from_form(&f) {
        Ok(st) => st,
        Err(e) => {
            let mut shown = blank_standard();
            shown.id = get(&f, "id").to_owned();
            return standard_form(&s, &ctx, &shown, &specialties, Some(problem(tr, &e)), StatusCode::BAD_REQUEST);
        }
    };
    match s.curriculum.standard_upsert(&c, st.clone()).await {
        Ok(saved) => Redirect::to(&ctx.href(&format!("/standards/{}", saved.id))).into_response(),
        Err(e)
            if matches!(
                e.code,
                ErrorCode::InvalidArgument | ErrorCode::AlreadyExists | ErrorCode::FailedPrecondition
            ) =>
        {
            standard_form(&s, &ctx, &st, &specialties, Some(problem(tr, &e)), StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

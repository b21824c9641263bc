//! Public catalogue pages for applicants: the programme search, the comparison of up to
//! four programmes, institution images, and the classifier (with its past versions).

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use edu24_catalogue::domain::*;
use maud::{Markup, html};

use super::Shared;
use super::ctx::Ctx;
use super::layout::{error_page, page, respond};
use super::pages::{
    call, duration, form_name, language_label, level_name, licence_badge, lookup_failed, not_found, ownership_label,
    region_name, service_error,
};
use super::params::{pairs, programme_href, programme_query};
use crate::i18n::{Lang, Tr, group_digits, num, text};

/// Most programmes compared side by side.
pub const MAX_COMPARE: usize = 4;

/// A yearly fee, or "not known".
pub(crate) fn fee_text(tr: Tr<'_>, lang: Lang, fee: Option<i64>) -> String {
    match fee {
        Some(f) => tr.ta("fee-per-year", &[("fee", text(&group_digits(f.max(0) as u64, lang)))]),
        None => tr.t("not-yet-known").into_owned(),
    }
}

/// Last year's passing score, or "not yet known".
pub(crate) fn score_text(tr: Tr<'_>, p: &Programme) -> String {
    match (p.passing_score, p.passing_score_year) {
        (Some(s), Some(y)) => tr.ta("passing-score-in", &[("score", num(s)), ("year", num(y))]),
        (Some(s), None) => s.to_string(),
        _ => tr.t("not-yet-known").into_owned(),
    }
}

/// Graduate outcomes, "not yet known", or withheld when the group is too small to publish.
pub(crate) fn outcomes_text(tr: Tr<'_>, p: &Programme) -> String {
    match (p.graduates, p.employment_percent()) {
        (Some(g), Some(pct)) => tr.ta(
            "outcomes-employed",
            &[("percent", num(pct)), ("graduates", num(g)), ("year", num(p.outcomes_year.unwrap_or(0)))],
        ),
        (Some(g), None) if g < SMALL_COUNT => tr.t("outcomes-too-few").into_owned(),
        _ => tr.t("not-yet-known").into_owned(),
    }
}

/// Places this year, with small counts shown as they are (places are not people).
fn places_text(tr: Tr<'_>, p: &Programme) -> String {
    tr.ta("places-summary", &[("grant", num(p.grant_places)), ("contract", num(p.contract_places))])
}

pub async fn programmes(State(s): State<Shared>, ctx: Ctx, RawQuery(raw): RawQuery) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = call(&ctx);
    let framework = match s.catalogue.framework(&c).await {
        Ok(f) => f,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let q = match programme_query(raw.as_deref(), &framework, ctx.lang.code()) {
        Ok(q) => q,
        Err(pe) => {
            let detail = tr.ta(pe.message_id, &[("parameter", text(pe.parameter))]);
            return error_page(tr, &ctx, StatusCode::BAD_REQUEST, "error-bad-request", &detail);
        }
    };
    let results = match s.catalogue.programme_search(&c, &q).await {
        Ok(r) => r,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let lang = ctx.lang.code();
    let pages = results.total.div_ceil(u64::from(q.per_page)).max(1) as u32;
    let mut specialties: Vec<&Specialty> = framework.specialties.iter().collect();
    specialties.dedup_by(|a, b| a.code == b.code);
    let base = ctx.href("/programmes");
    let body = html! {
        h1 { (tr.t("programmes-title")) }
        div.layout {
            form.filters method="get" action=(base) role="search" aria-label=(tr.t("filters-label")) {
                div {
                    label for="p-q" { (tr.t("programme-search-label")) }
                    input #p-q type="search" name="q" value=(q.text) maxlength="200" placeholder=(tr.t("programme-search-placeholder"));
                }
                div {
                    label for="p-field" { (tr.t("filter-field")) }
                    select #p-field name="field" {
                        option value="" { (tr.t("filter-any")) }
                        @for f in &framework.isced_fields {
                            option value=(f.code) selected[q.field.as_deref() == Some(f.code.as_str())] { (f.name.get(lang)) }
                        }
                    }
                }
                div {
                    label for="p-specialty" { (tr.t("filter-specialty")) }
                    select #p-specialty name="specialty" {
                        option value="" { (tr.t("filter-any")) }
                        @for sp in &specialties {
                            option value=(sp.code) selected[q.specialty.as_deref() == Some(sp.code.as_str())] { (sp.code) " " (sp.name.get(lang)) }
                        }
                    }
                }
                div {
                    label for="p-level" { (tr.t("filter-level")) }
                    select #p-level name="level" {
                        option value="" { (tr.t("filter-any")) }
                        @for l in &framework.levels {
                            option value=(l.code.as_str()) selected[q.level == Some(l.code)] { (l.name.get(lang)) }
                        }
                    }
                }
                div {
                    label for="p-region" { (tr.t("filter-region")) }
                    select #p-region name="region" {
                        option value="" { (tr.t("filter-any")) }
                        @for r in &framework.regions {
                            option value=(r.code) selected[q.region.as_deref() == Some(r.code.as_str())] { (r.name.get(lang)) }
                        }
                    }
                }
                div {
                    label for="p-city" { (tr.t("filter-city")) }
                    input #p-city type="text" name="city" value=(q.city.clone().unwrap_or_default()) maxlength="60";
                }
                div {
                    label for="p-ownership" { (tr.t("filter-ownership")) }
                    select #p-ownership name="ownership" {
                        option value="" { (tr.t("filter-any")) }
                        @for o in [Ownership::State, Ownership::Private, Ownership::Intergovernmental] {
                            option value=(o.as_str()) selected[q.ownership == Some(o)] { (ownership_label(tr, o)) }
                        }
                    }
                }
                div {
                    label for="p-language" { (tr.t("filter-language")) }
                    select #p-language name="language" {
                        option value="" { (tr.t("filter-any")) }
                        @for l in TEACHING_LANGUAGES {
                            option value=(l) selected[q.language.as_deref() == Some(*l)] { (language_label(tr, l)) }
                        }
                    }
                }
                div {
                    label for="p-form" { (tr.t("filter-form")) }
                    select #p-form name="form" {
                        option value="" { (tr.t("filter-any")) }
                        @for f in &framework.forms {
                            option value=(f.code.as_str()) selected[q.form == Some(f.code)] { (f.name.get(lang)) }
                        }
                    }
                }
                fieldset {
                    legend { (tr.t("filter-fee")) }
                    label for="p-fee-min" { (tr.t("filter-fee-min")) }
                    input #p-fee-min type="number" name="fee_min" min="0" step="1000" inputmode="numeric" value=[q.fee_min];
                    label for="p-fee-max" { (tr.t("filter-fee-max")) }
                    input #p-fee-max type="number" name="fee_max" min="0" step="1000" inputmode="numeric" value=[q.fee_max];
                }
                div.check {
                    input #p-grant type="checkbox" name="grant" value="1" checked[q.grant_only];
                    label for="p-grant" { (tr.t("filter-grant")) }
                }
                div.check {
                    input #p-accredited type="checkbox" name="accredited" value="1" checked[q.accredited_only];
                    label for="p-accredited" { (tr.t("filter-accredited")) }
                }
                div {
                    label for="p-sort" { (tr.t("sort-label")) }
                    select #p-sort name="sort" {
                        @for o in ProgrammeSort::ALL {
                            option value=(o.as_str()) selected[q.sort == *o] { (tr.t(&format!("sort-{}", o.as_str()))) }
                        }
                    }
                }
                button type="submit" { (tr.t("search-button")) }
                a href=(base) { (tr.t("filter-reset")) }
            }
            section aria-live="polite" {
                p {
                    strong { (tr.ta("programmes-found", &[("count", num(results.total as f64))])) }
                    " · " a href={ (base) "?" (programme_href(&q, q.page)) } { (tr.t("search-link")) }
                }
                @if results.items.is_empty() {
                    div.alert.info { (tr.t("search-nothing")) }
                } @else {
                    form method="get" action=(ctx.href("/compare")) {
                        ul.cards {
                            @for h in &results.items {
                                @let p = &h.programme;
                                li.card {
                                    h3 { a href=(ctx.href(&format!("/programmes/{}", p.id))) { (p.specialty_code) " " (p.specialty_name.get(lang)) } }
                                    div.meta {
                                        a href=(ctx.href(&format!("/institutions/{}", h.institution_code))) { (h.institution_name.get(lang)) }
                                        span { (h.city.get(lang)) @if !h.city.is_blank() { ", " } (region_name(tr, &framework, &h.region)) }
                                    }
                                    div.meta {
                                        span.badge { (level_name(tr, &framework, p.level)) }
                                        span.badge { (form_name(tr, &framework, p.form)) }
                                        span.badge { (language_label(tr, &p.language)) }
                                        @if h.licensed { span.badge.ok { (tr.t("licence-active")) } } @else { span.badge.bad { (tr.t("licence-none")) } }
                                        @if h.accredited { span.badge.ok { (tr.t("accredited")) } }
                                    }
                                    div.meta {
                                        span { (fee_text(tr, ctx.lang, p.fee_citizen)) }
                                        span { (places_text(tr, p)) }
                                        @if let Some(sc) = p.passing_score { span { (tr.ta("passing-score", &[("score", num(sc))])) } }
                                    }
                                    div.check {
                                        input type="checkbox" name="p" value=(p.id) id={ "cmp-" (p.id) };
                                        label for={ "cmp-" (p.id) } { (tr.t("compare-pick")) }
                                    }
                                }
                            }
                        }
                        button type="submit" { (tr.ta("compare-button", &[("max", num(MAX_COMPARE as f64))])) }
                    }
                }
                @if pages > 1 {
                    nav.pager aria-label=(tr.t("pager-label")) {
                        @if q.page > 1 {
                            a href={ (base) "?" (programme_href(&q, q.page - 1)) } rel="prev" { (tr.t("pager-prev")) }
                        }
                        span aria-current="page" { (tr.ta("pager-position", &[("page", num(q.page)), ("pages", num(pages))])) }
                        @if q.page < pages {
                            a href={ (base) "?" (programme_href(&q, q.page + 1)) } rel="next" { (tr.t("pager-next")) }
                        }
                    }
                }
            }
        }
    };
    respond(StatusCode::OK, page(tr, &ctx, &tr.t("programmes-title"), body))
}

pub async fn compare(State(s): State<Shared>, ctx: Ctx, RawQuery(raw): RawQuery) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = call(&ctx);
    let ids: Vec<String> = match pairs(raw.as_deref()) {
        Ok(p) => {
            let mut ids: Vec<String> =
                p.into_iter().filter(|(k, v)| k == "p" && !v.is_empty() && v.len() <= 64).map(|(_, v)| v).collect();
            ids.dedup();
            ids
        }
        Err(_) => Vec::new(),
    };
    if ids.is_empty() || ids.len() > MAX_COMPARE {
        let detail = tr.ta("compare-how-many", &[("max", num(MAX_COMPARE as f64)), ("count", num(ids.len() as f64))]);
        return error_page(tr, &ctx, StatusCode::BAD_REQUEST, "compare-title", &detail);
    }
    let framework = match s.catalogue.framework(&c).await {
        Ok(f) => f,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let mut details = Vec::new();
    for id in &ids {
        match s.catalogue.programme_get(&c, id).await {
            Ok(d) => details.push(d),
            Err(e) => return lookup_failed(tr, &ctx, &e, "error-programme-not-found"),
        }
    }
    let lang = ctx.lang.code();
    let today = today();
    let row = |label: String, cells: Vec<Markup>| {
        html! { tr { th scope="row" { (label) } @for c in cells { td { (c) } } } }
    };
    let cells = |f: &dyn Fn(&ProgrammeDetail) -> Markup| details.iter().map(f).collect::<Vec<_>>();
    let body = html! {
        h1 { (tr.t("compare-title")) }
        div.table-wrap {
            table.compare {
                caption.visually-hidden { (tr.t("compare-title")) }
                thead { tr {
                    td {}
                    @for d in &details {
                        th scope="col" { a href=(ctx.href(&format!("/programmes/{}", d.programme.id))) { (d.programme.specialty_code) " " (d.programme.specialty_name.get(lang)) } }
                    }
                } }
                tbody {
                    (row(tr.t("fact-institution").into_owned(), cells(&|d| html! { a href=(ctx.href(&format!("/institutions/{}", d.institution.code))) { (d.institution.name.get(lang)) } })))
                    (row(tr.t("fact-city").into_owned(), cells(&|d| html! { (d.institution.city.get(lang)) })))
                    (row(tr.t("fact-ownership").into_owned(), cells(&|d| html! { (ownership_label(tr, d.institution.ownership)) })))
                    (row(tr.t("col-level").into_owned(), cells(&|d| html! { (level_name(tr, &framework, d.programme.level)) })))
                    (row(tr.t("col-form").into_owned(), cells(&|d| html! { (form_name(tr, &framework, d.programme.form)) })))
                    (row(tr.t("col-language").into_owned(), cells(&|d| html! { (language_label(tr, &d.programme.language)) })))
                    (row(tr.t("col-duration").into_owned(), cells(&|d| html! { (duration(tr, d.programme.duration_months)) })))
                    (row(tr.t("fact-fee-citizen").into_owned(), cells(&|d| html! { (fee_text(tr, ctx.lang, d.programme.fee_citizen)) })))
                    (row(tr.t("fact-fee-foreign").into_owned(), cells(&|d| html! { (fee_text(tr, ctx.lang, d.programme.fee_foreign)) })))
                    (row(tr.t("fact-places").into_owned(), cells(&|d| html! { (places_text(tr, &d.programme)) })))
                    (row(tr.t("fact-passing-score").into_owned(), cells(&|d| html! { (score_text(tr, &d.programme)) })))
                    (row(tr.t("fact-outcomes").into_owned(), cells(&|d| html! { (outcomes_text(tr, &d.programme)) })))
                    (row(tr.t("col-licence").into_owned(), cells(&|d| html! {
                        @match &d.licence { Some(l) => (licence_badge(tr, l, &today)), None => span.badge.bad { (tr.t("licence-none")) } }
                    })))
                    (row(tr.t("fact-accreditation").into_owned(), cells(&|d| html! {
                        @if d.accreditations.iter().any(|a| a.in_force_on(&today)) { span.badge.ok { (tr.t("accredited")) } }
                        @else { (tr.t("not-accredited")) }
                    })))
                }
            }
        }
    };
    respond(StatusCode::OK, page(tr, &ctx, &tr.t("compare-title"), body))
}

/// An institution's logo or photo. Immutable: a new image gets a new id.
pub async fn image(State(s): State<Shared>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if id.len() > 64 || !id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-') {
        return StatusCode::NOT_FOUND.into_response();
    }
    let img = match s.catalogue.image_get(&edu24_shared::auth::CallCtx::anonymous(), &id).await {
        Ok(i) => i,
        Err(e) if e.code == edu24_shared::error::ErrorCode::NotFound => return StatusCode::NOT_FOUND.into_response(),
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    let etag = format!("\"{}\"", img.sha256);
    let fresh = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).is_some_and(|v| v == etag);
    let mut r = if fresh { StatusCode::NOT_MODIFIED.into_response() } else { img.data.into_response() };
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&img.content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox"));
    r
}

/// `YYYY-MM-DD` to epoch ms at the end of that day (UTC).
fn end_of_day_ms(date: &str) -> Option<i64> {
    let d = parse_date(date)?;
    let next = d.next_day()?;
    Some(next.midnight().assume_utc().unix_timestamp() * 1000 - 1)
}

/// The classifier of directions and specialties: today, or as recorded on a past date.
pub async fn framework(State(s): State<Shared>, ctx: Ctx, RawQuery(raw): RawQuery) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = call(&ctx);
    let p = pairs(raw.as_deref()).unwrap_or_default();
    let date = p.iter().rev().find(|(k, _)| k == "date").map(|(_, v)| v.trim().to_owned()).filter(|v| !v.is_empty());
    let at = match &date {
        None => edu24_shared::time::now_ms(),
        Some(d) => match end_of_day_ms(d) {
            Some(ms) => ms,
            None => {
                let detail = tr.ta("param-date", &[("parameter", text("date"))]);
                return error_page(tr, &ctx, StatusCode::BAD_REQUEST, "error-bad-request", &detail);
            }
        },
    };
    let (framework, entries) = match tokio::try_join!(s.catalogue.framework(&c), s.catalogue.framework_as_of(&c, at)) {
        Ok(v) => v,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let lang = ctx.lang.code();
    let on = date.clone().unwrap_or_else(today);
    let title = tr.t("framework-title");
    let body = html! {
        h1 { (title) }
        form.inline method="get" action=(ctx.href("/framework")) {
            label for="fw-date" { (tr.t("framework-as-of")) }
            input #fw-date type="date" name="date" value=(on);
            button type="submit" { (tr.t("framework-show")) }
            a href=(ctx.href("/framework")) { (tr.t("framework-today")) }
        }
        p { (tr.ta("framework-count", &[("count", num(entries.len() as f64)), ("date", text(&on))])) }
        div.table-wrap {
            table {
                caption.visually-hidden { (title) }
                thead { tr {
                    th scope="col" { (tr.t("col-code")) }
                    th scope="col" { (tr.t("col-specialty")) }
                    th scope="col" { (tr.t("col-level")) }
                    th scope="col" { (tr.t("fact-field")) }
                    th scope="col" { (tr.t("col-valid")) }
                    th scope="col" { (tr.t("col-barred")) }
                    th scope="col" { (tr.t("col-version")) }
                } }
                tbody {
                    @for v in &entries {
                        @let sp = &v.specialty;
                        tr {
                            td { (sp.code) }
                            td {
                                a href=(ctx.href(&format!("/framework/{}/{}", sp.code, sp.level))) { (sp.name.get(lang)) }
                                @if !sp.verified { " " span.badge.warn { (tr.t("unverified")) } }
                                @if !sp.valid_on(&on) { " " span.badge.bad { (tr.t("not-valid-on-date")) } }
                            }
                            td { (level_name(tr, &framework, sp.level)) }
                            td { (sp.isced_f_broad) }
                            td { (sp.valid_from) " – " @match &sp.valid_to { Some(t) => (t), None => (tr.t("valid-indefinite")) } }
                            td { @for f in &sp.barred_forms { (form_name(tr, &framework, *f)) " " } }
                            td { (sp.version) }
                        }
                    }
                }
            }
        }
        p {
            a href=(ctx.href("/framework/export.csv")) download { (tr.t("download-csv")) } " · "
            a href=(ctx.href("/framework/export.xlsx")) download { (tr.t("download-xlsx")) }
        }
    };
    respond(StatusCode::OK, page(tr, &ctx, &title, body))
}

/// Every recorded version of one classifier entry.
pub async fn specialty_history(
    State(s): State<Shared>,
    ctx: Ctx,
    Path((code, level)): Path<(String, String)>,
) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = call(&ctx);
    let Some(level) = Level::parse(&level).filter(|_| is_specialty_code(&code)) else {
        return not_found(tr, &ctx, "error-page-not-found");
    };
    let (framework, history) =
        match tokio::try_join!(s.catalogue.framework(&c), s.catalogue.specialty_history(&c, &code, level)) {
            Ok(v) => v,
            Err(e) => return service_error(tr, &ctx, &e),
        };
    if history.is_empty() {
        return not_found(tr, &ctx, "error-page-not-found");
    }
    let lang = ctx.lang.code();
    let title = format!("{code} {}", history[0].specialty.name.get(lang));
    let body = html! {
        p { a href=(ctx.href("/framework")) { "← " (tr.t("framework-title")) } }
        h1 { (title) }
        p { (level_name(tr, &framework, level)) " · " a href={ (ctx.href("/admin/framework")) "?code=" (code) "&level=" (level.as_str()) "#entry" } { (tr.t("entry-edit")) } }
        div.table-wrap {
            table {
                caption { (tr.t("history-caption")) }
                thead { tr {
                    th scope="col" { (tr.t("col-version")) }
                    th scope="col" { (tr.t("col-recorded")) }
                    th scope="col" { "ky" } th scope="col" { "ru" } th scope="col" { "en" }
                    th scope="col" { (tr.t("fact-field")) }
                    th scope="col" { (tr.t("col-valid")) }
                    th scope="col" { (tr.t("col-barred")) }
                } }
                tbody {
                    @for v in &history {
                        @let sp = &v.specialty;
                        tr {
                            td { (sp.version) }
                            td { (crate::web::account::when(v.recorded_at)) }
                            td lang="ky" { (sp.name.ky) } td lang="ru" { (sp.name.ru) } td lang="en" { (sp.name.en) }
                            td { (sp.isced_f_broad) }
                            td { (sp.valid_from) " – " @match &sp.valid_to { Some(t) => (t), None => (tr.t("valid-indefinite")) } }
                            td { @for f in &sp.barred_forms { (form_name(tr, &framework, *f)) " " } }
                        }
                    }
                }
            }
        }
    };
    respond(StatusCode::OK, page(tr, &ctx, &title, body))
}

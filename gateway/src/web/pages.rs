//! Portal pages: home, catalogue search, institution, programme, login, personal page.

use axum::Form;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use edu24_catalogue::domain::*;
use edu24_identity::domain::LoginRequest;
use edu24_shared::auth::CallCtx;
use edu24_shared::error::{ApiError, ErrorCode};
use maud::{Markup, html};
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::Shared;
use super::ctx::{CSRF_COOKIE, Ctx, SESSION_COOKIE};
use super::layout::{bar_chart, error_page, page, respond};
use super::params::{search_href, search_query};
use crate::i18n::{Tr, group_digits, num, text};

pub(crate) fn call(ctx: &Ctx) -> CallCtx {
    CallCtx { token: None, traceparent: None, client_addr: Some(ctx.client_addr.clone()) }
}

/// Renders a service error as a translated page.
pub(crate) fn service_error(tr: Tr<'_>, ctx: &Ctx, e: &ApiError) -> Response {
    if e.reason.as_deref() == Some("password_change_required") {
        return Redirect::to(&ctx.href("/me/password")).into_response();
    }
    if e.reason.as_deref() == Some("second_factor_setup_required") {
        return Redirect::to(&ctx.href("/me/2fa")).into_response();
    }
    match e.code {
        ErrorCode::NotFound => {
            error_page(tr, ctx, StatusCode::NOT_FOUND, "error-not-found", &tr.t("error-not-found-detail"))
        }
        ErrorCode::InvalidArgument => {
            error_page(tr, ctx, StatusCode::BAD_REQUEST, "error-bad-request", &tr.t("error-bad-request-detail"))
        }
        ErrorCode::PermissionDenied => {
            error_page(tr, ctx, StatusCode::FORBIDDEN, "error-forbidden", &tr.t("error-forbidden-detail"))
        }
        ErrorCode::Unauthenticated => Redirect::to(&ctx.href("/login")).into_response(),
        ErrorCode::ResourceExhausted => {
            error_page(tr, ctx, StatusCode::TOO_MANY_REQUESTS, "error-too-many", &tr.t("error-too-many-detail"))
        }
        ErrorCode::Unavailable => {
            error_page(tr, ctx, StatusCode::SERVICE_UNAVAILABLE, "error-unavailable", &tr.t("error-unavailable-detail"))
        }
        _ => error_page(tr, ctx, StatusCode::INTERNAL_SERVER_ERROR, "error-internal", &tr.t("error-internal-detail")),
    }
}

/// A translated 404 page whose explanation is the message `detail_id`.
pub(crate) fn not_found(tr: Tr<'_>, ctx: &Ctx, detail_id: &str) -> Response {
    error_page(tr, ctx, StatusCode::NOT_FOUND, "error-not-found", &tr.t(detail_id))
}

/// The page for a failed lookup: 404 with `detail_id` when the thing does not exist.
pub(crate) fn lookup_failed(tr: Tr<'_>, ctx: &Ctx, e: &ApiError, detail_id: &str) -> Response {
    if e.code == ErrorCode::NotFound { not_found(tr, ctx, detail_id) } else { service_error(tr, ctx, e) }
}

pub async fn page_not_found(State(s): State<Shared>, ctx: Ctx) -> Response {
    not_found(s.i18n.tr(ctx.lang), &ctx, "error-not-found-detail")
}

pub(crate) fn ownership_label(tr: Tr<'_>, o: Ownership) -> String {
    tr.t(&format!("ownership-{}", o.as_str())).into_owned()
}

pub(crate) fn status_badge(tr: Tr<'_>, s: InstitutionStatus) -> Markup {
    let class = match s {
        InstitutionStatus::Active => "badge ok",
        InstitutionStatus::Merged | InstitutionStatus::Suspended => "badge warn",
        InstitutionStatus::Closed => "badge bad",
    };
    html! { span class=(class) { (tr.t(&format!("status-{}", s.as_str()))) } }
}

pub(crate) fn language_label(tr: Tr<'_>, code: &str) -> String {
    match code {
        "ky" | "ru" | "en" | "tr" | "de" | "zh" | "uz" | "ar" | "fr" | "ko" | "ja" => {
            tr.t(&format!("language-{code}")).into_owned()
        }
        other => other.to_owned(),
    }
}

pub(crate) fn level_name(tr: Tr<'_>, f: &Framework, l: Level) -> String {
    f.level(l).map(|x| x.name.get(tr.lang.code()).to_owned()).unwrap_or_else(|| l.as_str().to_owned())
}

pub(crate) fn form_name(tr: Tr<'_>, f: &Framework, x: StudyForm) -> String {
    f.form(x).map(|x| x.name.get(tr.lang.code()).to_owned()).unwrap_or_else(|| x.as_str().to_owned())
}

pub(crate) fn region_name(tr: Tr<'_>, f: &Framework, code: &str) -> String {
    if code.is_empty() {
        return tr.t("unknown").into_owned();
    }
    f.region(code).map(|r| r.name.get(tr.lang.code()).to_owned()).unwrap_or_else(|| code.to_owned())
}

pub(crate) fn duration(tr: Tr<'_>, months: i32) -> String {
    if months % 12 == 0 {
        tr.ta("duration-years", &[("years", num(months / 12))])
    } else {
        tr.ta("duration-months", &[("months", num(months))])
    }
}

/// A licence's standing today: in force, suspended, revoked, expired or not yet valid.
pub(crate) fn licence_badge(tr: Tr<'_>, l: &Licence, today: &str) -> Markup {
    let (class, id) = match l.status {
        LicenceStatus::Suspended => ("badge warn", "licence-suspended"),
        LicenceStatus::Revoked => ("badge bad", "licence-revoked"),
        LicenceStatus::Active if l.valid_to.as_deref().is_some_and(|to| to < today) => ("badge bad", "licence-expired"),
        LicenceStatus::Active if l.valid_from.as_str() > today => ("badge warn", "licence-not-yet"),
        LicenceStatus::Active => ("badge ok", "licence-active"),
    };
    html! { span class=(class) { (tr.t(id)) } }
}

// ---------------------------------------------------------------------------------

pub async fn home(State(s): State<Shared>, ctx: Ctx) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = call(&ctx);
    let (stats, framework) = match tokio::try_join!(s.catalogue.stats(&c), s.catalogue.framework(&c)) {
        Ok(v) => v,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let lang = ctx.lang.code();
    let regions: Vec<(String, u64)> =
        stats.institutions_by_region.iter().map(|(code, n)| (region_name(tr, &framework, code), *n)).collect();
    let fields: Vec<(String, u64)> = stats
        .programmes_by_field
        .iter()
        .map(|(code, n)| {
            (framework.isced(code).map(|f| f.name.get(lang).to_owned()).unwrap_or_else(|| code.clone()), *n)
        })
        .collect();
    let body = html! {
        section.hero {
            h1 { (tr.t("home-title")) }
            p { (tr.t("home-lead")) }
            form.searchbar method="get" action=(ctx.href("/institutions")) role="search" {
                label.visually-hidden for="home-q" { (tr.t("search-label")) }
                input #home-q type="search" name="q" placeholder=(tr.t("search-placeholder")) maxlength="200";
                button type="submit" { (tr.t("search-button")) }
            }
        }
        div.stats {
            div.stat { b { (group_digits(stats.institutions, ctx.lang)) } (tr.t("stat-institutions")) }
            div.stat { b { (group_digits(stats.programmes, ctx.lang)) } (tr.t("stat-programmes")) }
            div.stat { b { (group_digits(stats.licences, ctx.lang)) } (tr.t("stat-licences")) }
            div.stat { b { (group_digits(stats.licensed_contingent, ctx.lang)) } (tr.t("stat-contingent")) }
        }
        h2 { (tr.t("home-by-level")) }
        ul.chips {
            @for l in &framework.levels {
                li { a href={ (ctx.href("/institutions")) "?level=" (l.code.as_str()) } { (l.name.get(lang)) } }
            }
        }
        div.charts {
            @if !regions.is_empty() { (bar_chart(&tr.t("chart-institutions-by-region"), &regions)) }
            @if !fields.is_empty() { (bar_chart(&tr.t("chart-programmes-by-field"), &fields)) }
        }
    };
    respond(StatusCode::OK, page(tr, &ctx, &tr.t("home-title"), body))
}

pub async fn institutions(State(s): State<Shared>, ctx: Ctx, RawQuery(raw): RawQuery) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = call(&ctx);
    let framework = match s.catalogue.framework(&c).await {
        Ok(f) => f,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let q = match search_query(raw.as_deref(), &framework, ctx.lang.code()) {
        Ok(q) => q,
        Err(pe) => {
            let detail = tr.ta(pe.message_id, &[("parameter", text(pe.parameter))]);
            return error_page(tr, &ctx, StatusCode::BAD_REQUEST, "error-bad-request", &detail);
        }
    };
    let results = match s.catalogue.institution_search(&c, &q).await {
        Ok(r) => r,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let lang = ctx.lang.code();
    let pages = results.total.div_ceil(u64::from(q.per_page)).max(1) as u32;
    let active_filters = u32::from(q.region.is_some())
        + u32::from(q.ownership.is_some())
        + u32::from(q.level.is_some())
        + u32::from(q.specialty.is_some());
    let mut specialties: Vec<&Specialty> = framework.specialties.iter().collect();
    specialties.dedup_by(|a, b| a.code == b.code);
    let body = html! {
        h1 { (tr.t("catalogue-title")) }
        div.layout {
            form.filters method="get" action=(ctx.href("/institutions")) role="search" aria-label=(tr.t("filters-label")) {
                div {
                    label for="f-q" { (tr.t("search-label")) }
                    input #f-q type="search" name="q" value=(q.text) maxlength="200" placeholder=(tr.t("search-placeholder"));
                }
                details.more open[active_filters > 0] {
                    summary { (tr.ta("filters-more", &[("count", num(active_filters))])) }
                    div {
                        div {
                            label for="f-region" { (tr.t("filter-region")) }
                            select #f-region name="region" {
                                option value="" { (tr.t("filter-any")) }
                                @for r in &framework.regions {
                                    option value=(r.code) selected[q.region.as_deref() == Some(r.code.as_str())] { (r.name.get(lang)) }
                                }
                            }
                        }
                        div {
                            label for="f-ownership" { (tr.t("filter-ownership")) }
                            select #f-ownership name="ownership" {
                                option value="" { (tr.t("filter-any")) }
                                @for o in [Ownership::State, Ownership::Private, Ownership::Intergovernmental] {
                                    option value=(o.as_str()) selected[q.ownership == Some(o)] { (ownership_label(tr, o)) }
                                }
                            }
                        }
                        div {
                            label for="f-level" { (tr.t("filter-level")) }
                            select #f-level name="level" {
                                option value="" { (tr.t("filter-any")) }
                                @for l in &framework.levels {
                                    option value=(l.code.as_str()) selected[q.level == Some(l.code)] { (l.name.get(lang)) }
                                }
                            }
                        }
                        div {
                            label for="f-specialty" { (tr.t("filter-specialty")) }
                            select #f-specialty name="specialty" {
                                option value="" { (tr.t("filter-any")) }
                                @for sp in &specialties {
                                    option value=(sp.code) selected[q.specialty.as_deref() == Some(sp.code.as_str())] { (sp.code) " " (sp.name.get(lang)) }
                                }
                            }
                        }
                    }
                }
                button type="submit" { (tr.t("search-button")) }
                a href=(ctx.href("/institutions")) { (tr.t("filter-reset")) }
            }
            section aria-live="polite" {
                p { strong { (tr.ta("search-found", &[("count", num(results.total as f64))])) } }
                @if results.items.is_empty() {
                    div.alert.info { (tr.t("search-nothing")) }
                }
                ul.cards {
                    @for i in &results.items {
                        li.card {
                            h3 { a href=(ctx.href(&format!("/institutions/{}", i.code))) { (i.name.get(lang)) } }
                            div.meta {
                                span { (i.city.get(lang)) @if !i.city.is_blank() { ", " } (region_name(tr, &framework, &i.region)) }
                                span { (ownership_label(tr, i.ownership)) }
                                @if let Some(y) = i.founded { span { (tr.ta("founded-in", &[("year", num(y))])) } }
                                span { (tr.ta("programme-count", &[("count", num(i.programme_count))])) }
                            }
                            div.meta {
                                @if i.status != InstitutionStatus::Active { (status_badge(tr, i.status)) }
                                @if i.special_status { span.badge { (tr.t("special-status")) } }
                                @for l in &i.levels { span.badge { (level_name(tr, &framework, *l)) } }
                            }
                        }
                    }
                }
                @if pages > 1 {
                    nav.pager aria-label=(tr.t("pager-label")) {
                        @if q.page > 1 {
                            a href={ (ctx.href("/institutions")) "?" (search_href(&q, q.page - 1)) } rel="prev" { (tr.t("pager-prev")) }
                        }
                        span aria-current="page" { (tr.ta("pager-position", &[("page", num(q.page)), ("pages", num(pages))])) }
                        @if q.page < pages {
                            a href={ (ctx.href("/institutions")) "?" (search_href(&q, q.page + 1)) } rel="next" { (tr.t("pager-next")) }
                        }
                    }
                }
            }
        }
    };
    respond(StatusCode::OK, page(tr, &ctx, &tr.t("catalogue-title"), body))
}

pub async fn institution(State(s): State<Shared>, ctx: Ctx, Path(code): Path<String>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = call(&ctx);
    if !is_institution_code(&code) {
        return not_found(tr, &ctx, "error-institution-not-found");
    }
    let (inst, framework) = match tokio::try_join!(s.catalogue.institution_get(&c, &code), s.catalogue.framework(&c)) {
        Ok(v) => v,
        Err(e) => return lookup_failed(tr, &ctx, &e, "error-institution-not-found"),
    };
    let lang = ctx.lang.code();
    let today = today();
    let sm = &inst.summary;
    let name = sm.name.get(lang);
    let body = html! {
        p { a href=(ctx.href("/institutions")) { "← " (tr.t("nav-catalogue")) } }
        h1 { (name) }
        p.sub {
            @for l in crate::i18n::Lang::ALL {
                @if l != ctx.lang && sm.name.get(l.code()) != name { span lang=(l.code()) { (sm.name.get(l.code())) } br; }
            }
        }
        dl.facts {
            dt { (tr.t("fact-status")) } dd { (status_badge(tr, sm.status)) }
            dt { (tr.t("fact-region")) } dd { (region_name(tr, &framework, &sm.region)) }
            dt { (tr.t("fact-city")) } dd { @if sm.city.is_blank() { (tr.t("unknown")) } @else { (sm.city.get(lang)) } }
            dt { (tr.t("fact-ownership")) } dd { (ownership_label(tr, sm.ownership)) }
            dt { (tr.t("fact-founded")) } dd { @match sm.founded { Some(y) => (y), None => (tr.t("unknown")) } }
            @if !sm.website.is_empty() {
                dt { (tr.t("fact-website")) } dd { a href={ "https://" (sm.website) } rel="noopener" { (sm.website) } }
            }
            dt { (tr.t("fact-special-status")) } dd { @if sm.special_status { (tr.t("yes")) } @else { (tr.t("no")) } }
            @if !inst.profile.address.is_blank() { dt { (tr.t("fact-address")) } dd { (inst.profile.address.get(lang)) } }
            @if !inst.profile.phone.is_empty() { dt { (tr.t("fact-phone")) } dd { a href={ "tel:" (inst.profile.phone.replace(' ', "")) } { (inst.profile.phone) } } }
            @if !inst.profile.email.is_empty() { dt { (tr.t("fact-email")) } dd { a href={ "mailto:" (inst.profile.email) } { (inst.profile.email) } } }
            @if !inst.profile.rector.is_empty() { dt { (tr.t("fact-rector")) } dd { (inst.profile.rector) } }
            @if !sm.languages.is_empty() {
                dt { (tr.t("fact-languages")) }
                dd { @for (i, l) in sm.languages.iter().enumerate() { @if i > 0 { ", " } (language_label(tr, l)) } }
            }
            dt { (tr.t("fact-accreditation")) }
            dd {
                @match inst.accreditations.iter().find(|a| a.programme_id.is_none() && a.in_force_on(&today)) {
                    Some(a) => { span.badge.ok { (tr.t(&format!("accreditation-{}", a.result.as_str()))) } " "
                        (tr.ta("accreditation-institution", &[("agency", text(&a.agency)), ("to", text(a.valid_to.as_deref().unwrap_or("—")))])) },
                    None => (tr.t("not-accredited")),
                }
            }
        }
        @if inst.profile.logo.is_some() || !inst.profile.photos.is_empty() {
            div.gallery {
                @if let Some(logo) = &inst.profile.logo { img.logo src={ "/images/" (logo) } alt=(tr.ta("logo-of", &[("name", text(name))])) width="120" height="120"; }
                @for ph in inst.profile.photos.iter().take(6) { img src={ "/images/" (ph) } alt=(tr.ta("photo-of", &[("name", text(name))])) loading="lazy" width="240" height="160"; }
            }
        }
        h2 #programmes { (tr.ta("programmes-heading", &[("count", num(inst.programmes.len() as f64))])) }
        @if inst.programmes.is_empty() {
            p { (tr.t("programmes-none")) }
        } @else {
            div.table-wrap {
                table {
                    caption.visually-hidden { (tr.t("programmes-caption")) }
                    thead { tr {
                        th scope="col" { (tr.t("col-specialty")) }
                        th scope="col" { (tr.t("col-level")) }
                        th scope="col" { (tr.t("col-form")) }
                        th scope="col" { (tr.t("col-language")) }
                        th scope="col" { (tr.t("col-duration")) }
                        th scope="col" { (tr.t("col-licence")) }
                    } }
                    tbody {
                        @for p in &inst.programmes {
                            tr {
                                td { a href=(ctx.href(&format!("/programmes/{}", p.id))) { (p.specialty_code) " " (p.specialty_name.get(lang)) } }
                                td { (level_name(tr, &framework, p.level)) }
                                td { (form_name(tr, &framework, p.form)) }
                                td { (language_label(tr, &p.language)) }
                                td { (duration(tr, p.duration_months)) ", " (tr.ta("credits", &[("credits", num(p.credits))])) }
                                td {
                                    @match inst.licences.iter().find(|l| l.covers(p)) {
                                        Some(l) => (licence_badge(tr, l, &today)),
                                        None => span.badge.bad { (tr.t("licence-none")) },
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 #licences { (tr.ta("licences-heading", &[("count", num(inst.licences.len() as f64))])) }
        @if inst.licences.is_empty() {
            p { (tr.t("licences-none")) }
        } @else {
            div.table-wrap {
                table {
                    caption.visually-hidden { (tr.t("licences-caption")) }
                    thead { tr {
                        th scope="col" { (tr.t("col-specialty")) }
                        th scope="col" { (tr.t("col-level")) }
                        th scope="col" { (tr.t("col-form")) }
                        th scope="col" { (tr.t("col-contingent")) }
                        th scope="col" { (tr.t("col-valid")) }
                        th scope="col" { (tr.t("col-document")) }
                        th scope="col" { (tr.t("col-status")) }
                    } }
                    tbody {
                        @for l in &inst.licences {
                            tr {
                                td {
                                    (l.specialty_code) " "
                                    (framework.specialty(&l.specialty_code, l.level).map(|s| s.name.get(lang).to_owned()).unwrap_or_default())
                                }
                                td { (level_name(tr, &framework, l.level)) }
                                td { (form_name(tr, &framework, l.form)) }
                                td { (group_digits(l.contingent.max(0) as u64, ctx.lang)) }
                                td {
                                    (l.valid_from) " – "
                                    @match &l.valid_to { Some(to) => (to), None => (tr.t("valid-indefinite")) }
                                }
                                td { (l.document_no) }
                                td { (licence_badge(tr, l, &today)) }
                            }
                        }
                    }
                }
            }
        }
    };
    respond(StatusCode::OK, page(tr, &ctx, name, body))
}

pub async fn programme(State(s): State<Shared>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = call(&ctx);
    if id.len() > 64 {
        return not_found(tr, &ctx, "error-programme-not-found");
    }
    let (d, framework) = match tokio::try_join!(s.catalogue.programme_get(&c, &id), s.catalogue.framework(&c)) {
        Ok(v) => v,
        Err(e) => return lookup_failed(tr, &ctx, &e, "error-programme-not-found"),
    };
    let lang = ctx.lang.code();
    let p = &d.programme;
    let title = format!("{} {}", p.specialty_code, p.specialty_name.get(lang));
    let specialty = framework.specialty(&p.specialty_code, p.level);
    let curricula = super::curricula::programme_section(&s, &ctx, &p.id).await;
    let today = today();
    let body = html! {
        p { a href=(ctx.href(&format!("/institutions/{}", d.institution.code))) { "← " (d.institution.name.get(lang)) } }
        h1 { (title) }
        dl.facts {
            dt { (tr.t("fact-institution")) } dd { a href=(ctx.href(&format!("/institutions/{}", d.institution.code))) { (d.institution.name.get(lang)) } }
            dt { (tr.t("col-level")) } dd { (level_name(tr, &framework, p.level)) }
            dt { (tr.t("col-form")) } dd { (form_name(tr, &framework, p.form)) }
            dt { (tr.t("col-language")) } dd { (language_label(tr, &p.language)) }
            dt { (tr.t("col-duration")) } dd { (duration(tr, p.duration_months)) }
            dt { (tr.t("fact-credits")) } dd { (p.credits) }
            @if let Some(sp) = specialty {
                dt { (tr.t("fact-field")) } dd { (framework.isced(&sp.isced_f_broad).map(|f| f.name.get(lang).to_owned()).unwrap_or_default()) " (ISCED-F " (sp.isced_f_broad) ")" }
                @if sp.barred_forms.contains(&p.form) {
                    dt { (tr.t("fact-admission")) } dd { span.badge.warn { (tr.t("admission-barred")) } }
                }
            }
            dt { (tr.t("col-licence")) }
            dd {
                @match &d.licence {
                    Some(l) => {
                        (licence_badge(tr, l, &today)) " "
                        (tr.ta("licence-summary", &[("number", text(&l.document_no)), ("contingent", num(l.contingent)), ("from", text(&l.valid_from))]))
                        @if let Some(to) = &l.valid_to { " – " (to) }
                        @if !l.reason.is_empty() { br; (l.reason) }
                    },
                    None => span.badge.bad { (tr.t("licence-none")) },
                }
            }
            dt { (tr.t("fact-accreditation")) }
            dd {
                @let in_force: Vec<&Accreditation> = d.accreditations.iter().filter(|a| a.in_force_on(&today)).collect();
                @if in_force.is_empty() {
                    (tr.t("not-accredited"))
                } @else {
                    @for a in in_force {
                        span.badge.ok { (tr.t(&format!("accreditation-{}", a.result.as_str()))) } " "
                        (tr.ta(if a.programme_id.is_some() { "accreditation-programme" } else { "accreditation-institution" },
                            &[("agency", text(&a.agency)), ("to", text(a.valid_to.as_deref().unwrap_or("—")))]))
                        br;
                    }
                }
            }
        }
        h2 { (tr.ta("admission-heading", &[("year", num(p.admission_year))])) }
        dl.facts {
            dt { (tr.t("fact-places")) } dd { (tr.ta("places-summary", &[("grant", num(p.grant_places)), ("contract", num(p.contract_places))])) }
            dt { (tr.t("fact-fee-citizen")) } dd { (super::catalogue::fee_text(tr, ctx.lang, p.fee_citizen)) }
            dt { (tr.t("fact-fee-foreign")) } dd { (super::catalogue::fee_text(tr, ctx.lang, p.fee_foreign)) }
            dt { (tr.t("fact-passing-score")) } dd { (super::catalogue::score_text(tr, p)) }
        }
        h2 { (tr.t("outcomes-heading")) }
        p { (super::catalogue::outcomes_text(tr, p)) }
        (curricula)
        p {
            a href={ (ctx.href("/compare")) "?p=" (p.id) } { (tr.t("compare-start")) } " · "
            a href={ (ctx.href("/programmes")) "?specialty=" (p.specialty_code) "&level=" (p.level.as_str()) } { (tr.t("programme-same-elsewhere")) }
        }
    };
    respond(StatusCode::OK, page(tr, &ctx, &title, body))
}

// ---------------------------------------------------------------------------------
// Login, logout, the personal page.

pub(crate) fn new_csrf() -> String {
    use rand::RngCore;
    let mut b = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

pub(crate) fn cookie_header(s: &Shared, name: &str, value: &str, max_age: i64, same_site: &str) -> HeaderValue {
    let secure = if s.cfg.cookie_secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite={same_site}{secure}"))
        .expect("cookie values are ASCII")
}

/// A page that carries a CSRF token: never stored by caches, and the CSRF cookie set
/// when the page minted a new token.
pub(crate) fn private(s: &Shared, ctx: &Ctx, csrf: &str, mut r: Response) -> Response {
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if ctx.csrf_cookie.as_deref() == Some(csrf) {
        r
    } else {
        with_cookie(r, cookie_header(s, CSRF_COOKIE, csrf, 7200, "Strict"))
    }
}

pub(crate) fn with_cookie(mut r: Response, v: HeaderValue) -> Response {
    r.headers_mut().append(header::SET_COOKIE, v);
    r
}

fn login_page(s: &Shared, ctx: &Ctx, status: StatusCode, error: Option<String>, login: &str) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let body = html! {
        h1 { (tr.t("login-title")) }
        @if let Some(e) = &error {
            div.alert.error role="alert" { (e) }
        }
        form.stack method="post" action=(ctx.href("/login")) {
            input type="hidden" name="csrf" value=(csrf);
            div {
                label for="login" { (tr.t("login-login")) }
                input #login type="text" name="login" value=(login) required autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="64";
            }
            div {
                label for="password" { (tr.t("login-password")) }
                input #password type="password" name="password" required autocomplete="current-password" maxlength="128";
            }
            button type="submit" { (tr.t("login-submit")) }
            p.sub { (tr.t("login-help")) }
            p.sub { a href=(ctx.href("/access-request")) { (tr.t("request-link")) } }
            p.sub { a href=(ctx.href("/reset")) { (tr.t("reset-link")) } }
            p.sub { a href=(ctx.href("/register")) { (tr.t("register-link")) } }
        }
    };
    private(s, ctx, &csrf, respond(status, page(tr, ctx, &tr.t("login-title"), body)))
}

pub async fn login_form(State(s): State<Shared>, ctx: Ctx) -> Response {
    login_page(&s, &ctx, StatusCode::OK, None, "")
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

pub(crate) fn csrf_ok(ctx: &Ctx, submitted: &str) -> bool {
    !ctx.cross_site
        && ctx
            .csrf_cookie
            .as_deref()
            .is_some_and(|c| c.len() == submitted.len() && bool::from(c.as_bytes().ct_eq(submitted.as_bytes())))
}

pub async fn login_submit(State(s): State<Shared>, ctx: Ctx, Form(f): Form<LoginForm>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    if !csrf_ok(&ctx, &f.csrf) {
        return login_page(&s, &ctx, StatusCode::FORBIDDEN, Some(tr.t("error-csrf").into_owned()), &f.login);
    }
    let req = LoginRequest {
        login: f.login.clone(),
        password: f.password,
        client_address: ctx.client_addr.clone(),
        user_agent: ctx.user_agent.clone(),
    };
    match s.identity.login(&call(&ctx), req).await {
        Ok(out) => {
            let max_age = (out.absolute_expires_at_ms - edu24_shared::time::now_ms()) / 1000;
            let next = if out.second_factor_required {
                "/login/code"
            } else if out.must_change_password {
                "/me/password"
            } else {
                "/me"
            };
            let r = Redirect::to(&ctx.href(next)).into_response();
            with_cookie(r, cookie_header(&s, SESSION_COOKIE, &out.session_secret, max_age.max(0), "Lax"))
        }
        Err(e) if e.code == ErrorCode::ResourceExhausted => {
            let secs = e.retry_after_secs.unwrap_or(60);
            let msg = tr.ta("login-throttled", &[("seconds", num(secs as f64))]);
            let mut r = login_page(&s, &ctx, StatusCode::TOO_MANY_REQUESTS, Some(msg), &f.login);
            r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
            r
        }
        Err(e) if e.code == ErrorCode::Unauthenticated => {
            login_page(&s, &ctx, StatusCode::UNAUTHORIZED, Some(tr.t("login-refused").into_owned()), &f.login)
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn logout(State(s): State<Shared>, ctx: Ctx, Form(f): Form<CsrfForm>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    if !csrf_ok(&ctx, &f.csrf) {
        return error_page(tr, &ctx, StatusCode::FORBIDDEN, "error-forbidden", &tr.t("error-csrf"));
    }
    if let Some(secret) = &ctx.session
        && let Err(e) = s.identity.logout(&call(&ctx), secret).await
    {
        return service_error(tr, &ctx, &e);
    }
    with_cookie(Redirect::to(&ctx.href("/")).into_response(), cookie_header(&s, SESSION_COOKIE, "", 0, "Lax"))
}

/// For a form post by a logged-in person: the CSRF check, then the access token (or the
/// page that answers instead: 403, or a redirect to the login).
pub(crate) async fn form_call(s: &Shared, ctx: &Ctx, submitted_csrf: &str) -> Result<CallCtx, Response> {
    if !csrf_ok(ctx, submitted_csrf) {
        let tr = s.i18n.tr(ctx.lang);
        return Err(error_page(tr, ctx, StatusCode::FORBIDDEN, "error-forbidden", &tr.t("error-csrf")));
    }
    session_call(s, ctx).await
}

/// The caller's access token from the session cookie, or a redirect to the login page.
pub(crate) async fn session_call(s: &Shared, ctx: &Ctx) -> Result<CallCtx, Response> {
    let to_login = || {
        with_cookie(Redirect::to(&ctx.href("/login")).into_response(), cookie_header(s, SESSION_COOKIE, "", 0, "Lax"))
    };
    let Some(secret) = &ctx.session else {
        return Err(Redirect::to(&ctx.href("/login")).into_response());
    };
    match s.identity.session_token(&call(ctx), secret).await {
        Ok(t) => Ok(CallCtx { token: Some(t.token), traceparent: None, client_addr: Some(ctx.client_addr.clone()) }),
        Err(e) if e.reason.as_deref() == Some("second_factor_required") => {
            Err(Redirect::to(&ctx.href("/login/code")).into_response())
        }
        Err(e) if e.code == ErrorCode::Unauthenticated => Err(to_login()),
        Err(e) => Err(service_error(s.i18n.tr(ctx.lang), ctx, &e)),
    }
}

pub async fn me(State(s): State<Shared>, ctx: Ctx) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match session_call(&s, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let account = match s.identity.me(&c).await {
        Ok(a) => a,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    if account.must_change_password {
        return Redirect::to(&ctx.href("/me/password")).into_response();
    }
    let staff = account.roles.iter().any(|r| {
        matches!(
            r.role,
            edu24_shared::auth::Role::MinistryAdmin
                | edu24_shared::auth::Role::InstitutionAdmin
                | edu24_shared::auth::Role::Registrar
        )
    });
    let ministry = account.roles.iter().any(|r| r.role == edu24_shared::auth::Role::MinistryAdmin);
    let employer_state = s.identity.employer_request_state(&c).await.ok().flatten();
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let lang = ctx.lang.code();
    let analyst = account.roles.iter().any(|r| r.role == edu24_shared::auth::Role::MinistryAnalyst);
    let curriculum_staff = account
        .roles
        .iter()
        .any(|r| matches!(r.role, edu24_shared::auth::Role::InstitutionAdmin | edu24_shared::auth::Role::Registrar));
    // Licensing alerts for the institutions this person runs.
    let mut alerts = Vec::new();
    let mut administered = Vec::new();
    for r in &account.roles {
        use edu24_shared::auth::Role;
        if let (Role::InstitutionAdmin | Role::Registrar, Some(id)) = (r.role, &r.institution_id) {
            if alerts.iter().any(|(i, _, _): &(String, String, Dashboard)| i == id) {
                continue;
            }
            let name = r
                .institution_name
                .as_ref()
                .map(|n| match lang {
                    "ky" => n.ky.clone(),
                    "ru" => n.ru.clone(),
                    _ => n.en.clone(),
                })
                .unwrap_or_else(|| id.clone());
            if r.role == Role::InstitutionAdmin {
                administered.push((id.clone(), name.clone()));
            }
            if let Ok(d) = s.catalogue.dashboard(&c, Some(id)).await {
                alerts.push((id.clone(), name, d));
            }
        }
    }
    // The student body of each institution this person works for.
    let mut bodies = Vec::new();
    for (id, name, _) in &alerts {
        let q = edu24_records::domain::StudentQuery {
            institution_id: id.clone(),
            status: Some(edu24_records::domain::EnrolmentStatus::Active),
            page: 1,
            per_page: 1,
            ..Default::default()
        };
        if let Ok(l) = s.records.students(&c, &q).await {
            bodies.push((id.clone(), name.clone(), l.total));
        }
    }
    let teaches = account.roles.iter().any(|r| r.role == edu24_shared::auth::Role::Teacher);
    let studies = account
        .roles
        .iter()
        .any(|r| matches!(r.role, edu24_shared::auth::Role::Student | edu24_shared::auth::Role::Graduate));
    let body = html! {
        h1 { (tr.ta("me-title", &[("name", text(&account.display_name))])) }
        @match employer_state.as_deref() {
            Some("pending") => div.alert.info role="status" { (tr.t("employer-pending")) },
            Some("rejected") => div.alert.error role="status" { (tr.t("employer-rejected")) },
            _ => {},
        }
        @for (id, name, d) in &alerts { (super::licensing::alerts_box(tr, &ctx, id, name, d)) }
        dl.facts {
            dt { (tr.t("me-login")) } dd { code { (account.login) } }
            dt { (tr.t("me-since")) } dd { (edu24_shared::time::rfc3339(account.created_at_ms).get(..10).unwrap_or("")) }
        }
        @if let Some(due) = account.second_factor_due_ms {
            div.alert.error role="alert" {
                @if due > edu24_shared::time::now_ms() {
                    (tr.ta("twofa-due", &[("date", text(edu24_shared::time::rfc3339(due).get(..10).unwrap_or("")))]))
                } @else {
                    (tr.t("twofa-overdue"))
                }
                " " a href=(ctx.href("/me/2fa")) { (tr.t("twofa-title")) }
            }
        }
        ul.chips {
            li { a href=(ctx.href("/me/security")) { (tr.t("security-title")) } }
            li { a href=(ctx.href("/me/password")) { (tr.t("password-title")) } }
            li { a href=(ctx.href("/me/2fa")) { (tr.t("twofa-title")) } }
            @if staff {
                li { a href=(ctx.href("/admin/accounts")) { (tr.t("accounts-title")) } }
                li { a href=(ctx.href("/admin/issuance")) { (tr.t("issuance-title")) } }
                li { a href=(ctx.href("/admin/access-requests")) { (tr.t("requests-title")) } }
                @if ministry { li { a href=(ctx.href("/admin/employers")) { (tr.t("employers-title")) } } }
                @if ministry { li { a href=(ctx.href("/admin/framework")) { (tr.t("framework-admin-title")) } } }
            }
            @if ministry || analyst { li { a href=(ctx.href("/admin/licensing")) { (tr.t("licensing-title")) } } }
            @if ministry || analyst { li { a href=(ctx.href("/admin/diplomas/national")) { (tr.t("diplomas-national-title")) } } }
            @if ministry || analyst { li { a href=(ctx.href("/admin/curricula/national")) { (tr.t("curricula-national-title")) } } }
            @if curriculum_staff { li { a href=(ctx.href("/admin/curricula")) { (tr.t("curricula-title")) } } }
            @if ministry { li { a href=(ctx.href("/standards")) { (tr.t("standards-title")) } } }
            @for (id, name) in &administered {
                li { a href=(ctx.href(&format!("/admin/institution/{id}"))) { (tr.ta("institution-admin-link", &[("name", text(name))])) } }
            }
            @for (id, _, _) in &alerts {
                li { a href={ (ctx.href("/admin/licensing")) "?institution=" (id) } { (tr.t("licensing-own")) } }
            }
            @for (id, name, n) in &bodies {
                li { a href={ (ctx.href("/admin/students")) "?institution=" (id) } { (super::students::count_text(tr, &ctx, name, *n)) } }
                li { a href={ (ctx.href("/sheets")) "?institution=" (id) } { (tr.t("sheets-title")) } }
                li { a href={ (ctx.href("/admin/teachers")) "?institution=" (id) } { (tr.t("teachers-title-short")) } }
                li { a href={ (ctx.href("/admin/diplomas")) "?institution=" (id) } { (tr.t("diplomas-register")) } }
            }
            @if teaches { li { a href=(ctx.href("/sheets")) { (tr.t("sheets-mine")) } } }
            @if studies { li { a href=(ctx.href("/me/grades")) { (tr.t("grades-title")) } } }
            @if studies { li { a href=(ctx.href("/me/diplomas")) { (tr.t("my-diplomas-title")) } } }
        }
        h2 { (tr.t("me-roles")) }
        @if account.roles.is_empty() {
            p { (tr.t("me-no-roles")) }
        } @else {
            ul.cards {
                @for r in &account.roles {
                    li.card {
                        h3 { (tr.t(&format!("role-{}", r.role.as_str()))) }
                        div.meta {
                            @match (&r.institution_id, &r.institution_name) {
                                (None, _) => span { (tr.t(&format!("scope-{}", match r.role.scope_kind() {
                                    edu24_shared::auth::ScopeKind::Ministry => "ministry",
                                    _ => "personal",
                                }))) },
                                (Some(_), Some(n)) => span { (tr.t("scope-institution")) ": " (match lang { "ky" => &n.ky, "ru" => &n.ru, _ => &n.en }) },
                                (Some(id), None) => span { (tr.t("scope-institution")) ": " code { (id) } },
                            }
                        }
                    }
                }
            }
        }
        form.logout method="post" action=(ctx.href("/logout")) {
            input type="hidden" name="csrf" value=(csrf);
            button.secondary type="submit" { (tr.t("logout")) }
        }
    };
    private(&s, &ctx, &csrf, respond(StatusCode::OK, page(tr, &ctx, &tr.t("nav-me"), body)))
}

//! The country's curricula: the ministry's compliance overview (with the queue of
//! submitted plans, the national re-check and approval delegations), and the public
//! side-by-side comparison of one specialty's approved plans with its SVG chart.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use edu24_curriculum::domain::*;
use edu24_shared::auth::{CallCtx, Role};
use maud::{Markup, html};

use super::Shared;
use super::ctx::Ctx;
use super::curricula::{compliance_badge, credits, status_badge};
use super::layout::{bar_chart, error_page, page, respond, svg, xml_escape};
use super::licensing::table_download;
use super::pages::{form_call, new_csrf, private, service_error, session_call};
use super::params::pairs;
use crate::i18n::{Lang, Tr, group_digits, num, text};

fn param(raw: Option<&str>, key: &str) -> Option<String> {
    pairs(raw).ok()?.into_iter().rev().find(|(k, v)| k == key && !v.is_empty()).map(|(_, v)| v)
}

async fn ministry(s: &Shared, ctx: &Ctx) -> Result<(CallCtx, bool), Response> {
    let tr = s.i18n.tr(ctx.lang);
    let c = session_call(s, ctx).await?;
    let me = s.identity.me(&c).await.map_err(|e| service_error(tr, ctx, &e))?;
    let admin = me.roles.iter().any(|r| r.role == Role::MinistryAdmin);
    if !(admin || me.roles.iter().any(|r| r.role == Role::MinistryAnalyst)) {
        return Err(error_page(tr, ctx, StatusCode::FORBIDDEN, "error-forbidden", &tr.t("error-forbidden-detail")));
    }
    Ok((c, admin))
}

fn specialty_select(
    tr: Tr<'_>,
    lang: Lang,
    f: &edu24_catalogue::domain::Framework,
    chosen: Option<&str>,
    required: bool,
) -> Markup {
    let l = lang.code();
    let mut codes: Vec<(&str, &str)> = f.specialties.iter().map(|s| (s.code.as_str(), s.name.get(l))).collect();
    codes.sort();
    codes.dedup_by(|a, b| a.0 == b.0);
    html! {
        select #f-spec name="specialty" required[required] {
            @if !required { option value="" { (tr.t("filter-any")) } }
            @for (code, name) in codes { option value=(code) selected[chosen == Some(code)] { (code) " " (name) } }
        }
    }
}

fn level_select(tr: Tr<'_>, chosen: Option<Level>, any: bool) -> Markup {
    html! {
        select #f-level name="level" {
            @if any { option value="" { (tr.t("filter-any")) } }
            @for lv in [Level::Bachelor, Level::Master, Level::Specialist] { option value=(lv.as_str()) selected[chosen == Some(lv)] { (tr.t(&format!("level-{}", lv.as_str()))) } }
        }
    }
}

fn intake_select(chosen: i32) -> Markup {
    let next = edu24_curriculum::seed::NEXT_INTAKE;
    html! {
        select #f-intake name="intake" { @for y in (next - 5..=next).rev() { option value=(y) selected[y == chosen] { (y) } } }
    }
}

fn this_intake() -> i32 {
    let now = time::OffsetDateTime::now_utc();
    if u8::from(now.month()) >= 9 { now.year() } else { now.year() - 1 }
}

/// `/admin/curricula/national`: compliance of the country's curricula.
pub async fn overview(State(s): State<Shared>, ctx: Ctx, RawQuery(raw): RawQuery) -> Response {
    render_overview(&s, &ctx, raw.as_deref(), None).await
}

async fn render_overview(s: &Shared, ctx: &Ctx, raw: Option<&str>, notice: Option<Markup>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let (c, admin) = match ministry(s, ctx).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let specialty = param(raw, "specialty").filter(|v| v.len() == 6 && v.bytes().all(|b| b.is_ascii_digit()));
    let level = param(raw, "level").and_then(|v| Level::parse(&v));
    let intake = param(raw, "intake")
        .and_then(|v| v.parse::<i32>().ok())
        .filter(|y| INTAKE_YEARS.contains(y))
        .unwrap_or_else(this_intake);
    let q = OverviewQuery { specialty_code: specialty.clone(), level, intake_year: Some(intake) };
    let queue_q = CurriculumQuery { status: Some(Status::Submitted), page: 1, per_page: 200, ..Default::default() };
    let (o, framework, queue) = match tokio::try_join!(
        s.curriculum.compliance_overview(&c, &q),
        s.catalogue.framework(&c),
        s.curriculum.curricula(&c, &queue_q)
    ) {
        Ok(v) => v,
        Err(e) => return service_error(tr, ctx, &e),
    };
    if param(raw, "format").as_deref().is_some_and(|f| f == "csv" || f == "xlsx") {
        let rows: Vec<Vec<String>> = o
            .institutions
            .iter()
            .map(|i| {
                vec![
                    i.institution_code.clone(),
                    i.institution_name.ru.clone(),
                    i.curricula.to_string(),
                    i.approved.to_string(),
                    i.submitted.to_string(),
                    i.drafts.to_string(),
                    i.with_errors.to_string(),
                    i.with_warnings.to_string(),
                    i.programmes_without_approved.to_string(),
                ]
            })
            .collect();
        let header = [
            "institution",
            "name_ru",
            "curricula",
            "approved",
            "submitted",
            "drafts",
            "with_errors",
            "with_warnings",
            "programmes_without_approved",
        ];
        let mut r = table_download(
            param(raw, "format").as_deref().unwrap_or("csv"),
            &format!("curricula-compliance-{intake}"),
            &header,
            &rows,
        );
        r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return r;
    }
    let lang = ctx.lang;
    let l = lang.code();
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let status_rows: Vec<(String, u64)> = vec![
        (tr.t("curriculum-status-approved").into_owned(), u64::from(o.approved)),
        (tr.t("curriculum-status-submitted").into_owned(), u64::from(o.submitted)),
        (tr.t("curriculum-status-draft").into_owned(), u64::from(o.drafts)),
        (tr.t("curricula-missing").into_owned(), u64::from(o.programmes_without_approved)),
    ];
    let rule_rows: Vec<(String, u64)> =
        o.rules.iter().take(10).map(|(r, n)| (tr.t(&format!("rule-{r}")).into_owned(), u64::from(*n))).collect();
    let export = |f: &str| {
        let mut qs: Vec<(&str, String)> = vec![("format", f.into()), ("intake", intake.to_string())];
        if let Some(sp) = &specialty {
            qs.push(("specialty", sp.clone()));
        }
        if let Some(lv) = level {
            qs.push(("level", lv.as_str().into()));
        }
        format!("{}?{}", ctx.href("/admin/curricula/national"), serde_urlencoded::to_string(&qs).unwrap_or_default())
    };
    let title = tr.t("curricula-national-title");
    let body = html! {
        h1 { (title) }
        p.sub { (tr.ta("curricula-national-lead", &[("year", num(intake))])) }
        @if let Some(n) = notice { (n) }
        form.filters.inline method="get" action=(ctx.href("/admin/curricula/national") ) {
            div { label for="f-intake" { (tr.t("col-intake")) } (intake_select(intake)) }
            div { label for="f-level" { (tr.t("col-level")) } (level_select(tr, level, true)) }
            div { label for="f-spec" { (tr.t("col-specialty")) } (specialty_select(tr, lang, &framework, specialty.as_deref(), false)) }
            button type="submit" { (tr.t("filter-apply")) }
        }
        div.stats {
            div.stat { b { (group_digits(u64::from(o.curricula), lang)) } (tr.t("stat-curricula")) }
            div.stat { b { (group_digits(u64::from(o.approved), lang)) } (tr.t("curriculum-status-approved")) }
            div.stat { b { (group_digits(u64::from(o.with_errors), lang)) } (tr.t("stat-with-errors")) }
            div.stat { b { (group_digits(u64::from(o.programmes_without_approved), lang)) } (tr.ta("stat-without-approved", &[("count", num(o.programmes))])) }
        }
        div.charts {
            (bar_chart(&tr.t("chart-curricula-status"), &status_rows))
            @if !rule_rows.is_empty() { (bar_chart(&tr.t("chart-rules-broken"), &rule_rows)) }
        }
        p {
            a href=(export("csv")) download { (tr.t("download-csv")) } " · " a href=(export("xlsx")) download { (tr.t("download-xlsx")) }
            " · " a href=(ctx.href("/curricula/compare")) { (tr.t("compare-curricula-title")) }
            " · " a href=(ctx.href("/admin/curricula/delegations")) { (tr.t("delegations-title")) }
            " · " a href=(ctx.href("/standards")) { (tr.t("standards-title")) }
        }
        @if admin {
            form.inline method="post" action=(ctx.href("/admin/curricula/recheck")) {
                input type="hidden" name="csrf" value=(csrf);
                button.secondary type="submit" { (tr.t("recheck-button")) }
                @if let Some(at) = o.last_recheck_ms { " " span.sub { (tr.ta("recheck-last", &[("date", text(edu24_shared::time::rfc3339(at).get(..16).unwrap_or("")))])) } }
            }
        }
        h2 #queue { (tr.ta("curricula-queue", &[("count", num(queue.total as f64))])) }
        @if queue.items.is_empty() {
            p { (tr.t("curricula-queue-empty")) }
        } @else {
            (summary_table(tr, ctx, &queue.items))
        }
        h2 #institutions { (tr.t("curricula-by-institution")) }
        div.table-wrap {
            table {
                thead { tr {
                    th scope="col" { (tr.t("fact-institution")) }
                    th scope="col" { (tr.t("stat-curricula")) }
                    th scope="col" { (tr.t("curriculum-status-approved")) }
                    th scope="col" { (tr.t("curriculum-status-submitted")) }
                    th scope="col" { (tr.t("curriculum-status-draft")) }
                    th scope="col" { (tr.t("stat-with-errors")) }
                    th scope="col" { (tr.t("curricula-missing")) }
                } }
                tbody {
                    @for i in &o.institutions {
                        tr {
                            td { a href={ (ctx.href("/admin/curricula")) "?institution=" (i.institution_id) } { (i.institution_name.get(l)) } }
                            td { (i.curricula) } td { (i.approved) } td { (i.submitted) } td { (i.drafts) }
                            td { @if i.with_errors > 0 { span.badge.bad { (i.with_errors) } } @else { "0" } }
                            td { @if i.programmes_without_approved > 0 { span.badge.warn { (i.programmes_without_approved) } } @else { "0" } }
                        }
                    }
                }
            }
        }
        h2 #failing { (tr.ta("curricula-failing", &[("count", num(o.with_errors))])) }
        @if o.failing.is_empty() { p { (tr.t("curricula-failing-none")) } } @else { (summary_table(tr, ctx, &o.failing)) }
    };
    let mut r = private(s, ctx, &csrf, respond(StatusCode::OK, page(tr, ctx, &title, body)));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn summary_table(tr: Tr<'_>, ctx: &Ctx, items: &[CurriculumSummary]) -> Markup {
    let l = ctx.lang.code();
    html! {
        div.table-wrap {
            table {
                thead { tr {
                    th scope="col" { (tr.t("fact-institution")) }
                    th scope="col" { (tr.t("col-specialty")) }
                    th scope="col" { (tr.t("col-intake")) }
                    th scope="col" { (tr.t("col-version")) }
                    th scope="col" { (tr.t("curriculum-compliance-heading")) }
                } }
                tbody {
                    @for c in items {
                        tr {
                            td { (c.institution_name.get(l)) }
                            td { a href=(ctx.href(&format!("/curricula/{}", c.id))) { (c.specialty_code) " " (c.specialty_name.get(l)) } br; small.sub { (tr.t(&format!("level-{}", c.level.as_str()))) " · " (tr.t(&format!("form-{}", c.form))) " · " (super::pages::language_label(tr, &c.language)) } }
                            td { (c.intake_year) }
                            td { "v" (c.version) " " (status_badge(tr, c.status)) }
                            td { (compliance_badge(tr, c.errors, c.warnings)) }
                        }
                    }
                }
            }
        }
    }
}

pub async fn recheck(State(s): State<Shared>, ctx: Ctx, body: String) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let f: Vec<(String, String)> = serde_urlencoded::from_str(&body).unwrap_or_default();
    let csrf = f.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v.as_str()).unwrap_or("");
    let c = match form_call(&s, &ctx, csrf).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match s.curriculum.recheck_all(&c).await {
        Ok(r) => {
            let notice = html! {
                div.alert.ok role="status" {
                    (tr.ta("recheck-done", &[("curricula", num(r.curricula)), ("changed", num(r.changed)), ("errors", num(r.with_errors)), ("seconds", text(&format!("{:.1}", r.elapsed_ms as f64 / 1000.0)))]))
                }
            };
            render_overview(&s, &ctx, None, Some(notice)).await
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

// ---------------------------------------------------------------------------------
// Delegations.

pub async fn delegations(State(s): State<Shared>, ctx: Ctx) -> Response {
    render_delegations(&s, &ctx, None).await
}

async fn render_delegations(s: &Shared, ctx: &Ctx, notice: Option<Markup>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let (c, admin) = match ministry(s, ctx).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let list = match s.curriculum.delegations(&c).await {
        Ok(v) => v,
        Err(e) => return service_error(tr, ctx, &e),
    };
    let institutions = super::licensing::all_institution_summaries(s).await.unwrap_or_default();
    let l = ctx.lang.code();
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let title = tr.t("delegations-title");
    let body = html! {
        p { a href=(ctx.href("/admin/curricula/national")) { "← " (tr.t("curricula-national-title")) } }
        h1 { (title) }
        p { (tr.t("delegations-lead")) }
        @if let Some(n) = notice { (n) }
        div.table-wrap {
            table {
                thead { tr { th scope="col" { (tr.t("fact-institution")) } th scope="col" { (tr.t("col-status")) } th scope="col" { (tr.t("col-note")) } th scope="col" { (tr.t("col-since")) } } }
                tbody {
                    @for d in &list {
                        tr {
                            td { (d.institution_name.get(l)) }
                            td { @if d.delegated { span.badge.ok { (tr.t("delegated-yes")) } } @else { span.badge { (tr.t("delegated-no")) } } }
                            td { (d.note) }
                            td { (edu24_shared::time::rfc3339(d.granted_at_ms).get(..10).unwrap_or("")) }
                        }
                    }
                }
            }
        }
        @if admin {
            h2 { (tr.t("delegation-form")) }
            form.stack method="post" action=(ctx.href("/admin/curricula/delegations")) {
                input type="hidden" name="csrf" value=(csrf);
                div {
                    label for="dg-inst" { (tr.t("fact-institution")) }
                    select #dg-inst name="institution" required {
                        @for i in &institutions { option value=(i.id) { (i.name.get(l)) } }
                    }
                }
                div.check { input #dg-on type="checkbox" name="delegated" value="yes" checked; label for="dg-on" { (tr.t("delegated-yes")) } }
                div { label for="dg-note" { (tr.t("col-note")) } input #dg-note name="note" maxlength="1000"; }
                button type="submit" { (tr.t("save")) }
            }
        }
    };
    private(s, ctx, &csrf, respond(StatusCode::OK, page(tr, ctx, &title, body)))
}

pub async fn delegation_save(State(s): State<Shared>, ctx: Ctx, body: String) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let f: Vec<(String, String)> = serde_urlencoded::from_str(&body).unwrap_or_default();
    let get = |k: &str| f.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
    let c = match form_call(&s, &ctx, &get("csrf")).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match s.curriculum.delegation_set(&c, &get("institution"), get("delegated") == "yes", &get("note")).await {
        Ok(d) => {
            let l = ctx.lang.code();
            let notice = html! { div.alert.ok role="status" { (tr.ta("delegation-saved", &[("name", text(d.institution_name.get(l)))])) } };
            render_delegations(&s, &ctx, Some(notice)).await
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

// ---------------------------------------------------------------------------------
// The public comparison of one specialty.

const PALETTE: [&str; 8] = ["#0b5394", "#38761d", "#b45f06", "#741b47", "#134f5c", "#7f6000", "#3d85c6", "#990000"];

/// A horizontal stacked bar per curriculum: its credits (or contact hours) per block.
fn stacked_chart(
    title: &str,
    blocks: &[StandardBlock],
    rows: &[(String, Vec<i32>)],
    lang: &str,
    unit_tenths: bool,
) -> Markup {
    let total_max = rows.iter().map(|(_, v)| v.iter().sum::<i32>()).max().unwrap_or(1).max(1) as f64;
    let label_w = 230.0;
    let bar_w = 420.0;
    let row_h = 24.0;
    let legend_h = 22.0 * blocks.len().div_ceil(3) as f64 + 6.0;
    let height = legend_h + row_h * rows.len() as f64 + 8.0;
    let mut s = format!(
        "<svg viewBox=\"0 0 {} {height}\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">",
        label_w + bar_w + 60.0,
        xml_escape(title)
    );
    for (i, b) in blocks.iter().enumerate() {
        let x = (i % 3) as f64 * 236.0 + 4.0;
        let y = (i / 3) as f64 * 22.0 + 4.0;
        let short: String = b.name.get(lang).chars().take(26).collect();
        s.push_str(&format!(
            "<rect x=\"{x}\" y=\"{y}\" width=\"14\" height=\"14\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\">{} {}</text>",
            PALETTE[i % PALETTE.len()],
            x + 18.0,
            y + 12.0,
            xml_escape(&b.code),
            xml_escape(&short)
        ));
    }
    for (r, (label, values)) in rows.iter().enumerate() {
        let y = legend_h + r as f64 * row_h;
        let short: String = label.chars().take(34).collect();
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            label_w - 8.0,
            y + 14.0,
            xml_escape(&short)
        ));
        let mut x = label_w;
        for (i, v) in values.iter().enumerate() {
            let w = f64::from(*v) / total_max * bar_w;
            if w > 0.0 {
                s.push_str(&format!(
                    "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"18\" fill=\"{}\"><title>{}: {}</title></rect>",
                    PALETTE[i % PALETTE.len()],
                    xml_escape(&blocks.get(i).map(|b| b.code.clone()).unwrap_or_default()),
                    if unit_tenths { credits_text(*v) } else { v.to_string() }
                ));
            }
            x += w;
        }
        let total: i32 = values.iter().sum();
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            x + 6.0,
            y + 14.0,
            if unit_tenths { credits_text(total) } else { total.to_string() }
        ));
    }
    s.push_str("</svg>");
    html! { figure.chart { figcaption { strong { (title) } } (svg(s)) } }
}

/// `/curricula/compare?specialty=&level=&intake=`: one specialty's approved plans side by side.
pub async fn compare(State(s): State<Shared>, ctx: Ctx, RawQuery(raw): RawQuery) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = super::pages::call(&ctx);
    let framework = match s.catalogue.framework(&c).await {
        Ok(f) => f,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let raw = raw.as_deref();
    let specialty = param(raw, "specialty").filter(|v| v.len() == 6 && v.bytes().all(|b| b.is_ascii_digit()));
    let level = param(raw, "level").and_then(|v| Level::parse(&v)).unwrap_or(Level::Bachelor);
    let intake = param(raw, "intake")
        .and_then(|v| v.parse::<i32>().ok())
        .filter(|y| INTAKE_YEARS.contains(y))
        .unwrap_or_else(this_intake);
    let lang = ctx.lang;
    let l = lang.code();
    let cmp = match &specialty {
        Some(sp) => match s.curriculum.compare_specialty(&c, sp, level, intake).await {
            Ok(v) => Some(v),
            Err(e) => return service_error(tr, &ctx, &e),
        },
        None => None,
    };
    let title = tr.t("compare-curricula-title");
    let body = html! {
        h1 { (title) }
        p { (tr.t("compare-curricula-lead")) }
        form.filters.inline method="get" action=(ctx.href("/curricula/compare")) {
            div { label for="f-spec" { (tr.t("col-specialty")) } (specialty_select(tr, lang, &framework, specialty.as_deref(), true)) }
            div { label for="f-level" { (tr.t("col-level")) } (level_select(tr, Some(level), false)) }
            div { label for="f-intake" { (tr.t("col-intake")) } (intake_select(intake)) }
            button type="submit" { (tr.t("compare-show")) }
        }
        @if let Some(cmp) = &cmp {
            @if cmp.curricula.is_empty() {
                div.alert.info role="status" { (tr.t("compare-none")) }
            } @else {
                @let label = |x: &ComparedCurriculum| format!("{} · {} · {}", x.summary.institution_code, x.summary.language, tr.t(&format!("form-{}", x.summary.form)));
                @let values = |x: &ComparedCurriculum, f: fn(&BlockFigures) -> i32| -> Vec<i32> {
                    cmp.blocks.iter().map(|b| x.blocks.iter().find(|y| y.block == b.code).map(f).unwrap_or(0)).collect()
                };
                @let credit_rows: Vec<(String, Vec<i32>)> = cmp.curricula.iter().map(|x| (label(x), values(x, |b| b.credits_tenths))).collect();
                @let contact_rows: Vec<(String, Vec<i32>)> = cmp.curricula.iter().map(|x| (label(x), values(x, |b| b.contact_hours))).collect();
                (stacked_chart(&tr.t("chart-compare-credits"), &cmp.blocks, &credit_rows, l, true))
                (stacked_chart(&tr.t("chart-compare-contact"), &cmp.blocks, &contact_rows, l, false))
                div.table-wrap {
                    table.compare {
                        caption { (tr.ta("compare-caption", &[("count", num(cmp.curricula.len() as f64))])) }
                        thead { tr {
                            th scope="col" { (tr.t("fact-institution")) }
                            @for b in &cmp.blocks { th scope="col" { abbr title=(b.name.get(l)) { (b.code) } br; small { (credits(b.min_tenths, lang)) "–" (credits(b.max_tenths, lang)) } } }
                            th scope="col" { (tr.t("col-total")) }
                        } }
                        tbody {
                            @for x in &cmp.curricula {
                                tr {
                                    th scope="row" { a href=(ctx.href(&format!("/curricula/{}", x.summary.id))) { (x.summary.institution_name.get(l)) } br; small.sub { (super::pages::language_label(tr, &x.summary.language)) " · " (tr.t(&format!("form-{}", x.summary.form))) " · v" (x.summary.version) } }
                                    @for b in &cmp.blocks {
                                        @let f = x.blocks.iter().find(|y| y.block == b.code).cloned().unwrap_or_default();
                                        td { strong { (credits(f.credits_tenths, lang)) } br; small.sub { (tr.ta("compare-hours", &[("hours", num(f.hours)), ("contact", num(f.contact_hours))])) } }
                                    }
                                    td { (credits(x.blocks.iter().map(|b| b.credits_tenths).sum::<i32>(), lang)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    let mut r = respond(StatusCode::OK, page(tr, &ctx, &title, body));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=60"));
    r
}

//! Curricula in the portal: an institution's plans at a glance, one plan to read (public
//! once approved), the spreadsheet-like editor of a draft with its findings line by
//! line, XLSX/CSV import and export of a whole plan, and the steps of its life
//! (submit, approve or return, new version, discard).

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Multipart, Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use edu24_curriculum::domain::*;
use edu24_shared::auth::{CallCtx, Role};
use edu24_shared::error::{ApiError, ErrorCode};
use edu24_shared::sheet::read_cells;
use maud::{Markup, html};

use super::Shared;
use super::ctx::Ctx;
use super::layout::{error_page, page, respond, svg, xml_escape};
use super::licensing::{read_form, table_download};
use super::pages::{csrf_ok, form_call, lookup_failed, new_csrf, private, service_error, session_call};
use super::params::pairs;
use crate::i18n::{Lang, Tr, num, text};

// ---------------------------------------------------------------------------------
// Shared rendering.

/// Credits as people of `lang` write them: `4,5` in Kyrgyz and Russian, `4.5` in English.
pub(crate) fn credits(t: i32, lang: Lang) -> String {
    let s = credits_text(t);
    if lang == Lang::En { s } else { s.replace('.', ",") }
}

pub(crate) fn status_badge(tr: Tr<'_>, s: Status) -> Markup {
    let class = match s {
        Status::Draft => "badge warn",
        Status::Submitted => "badge",
        Status::Approved => "badge ok",
        Status::Superseded => "badge",
    };
    html! { span class=(class) { (tr.t(&format!("curriculum-status-{}", s.as_str()))) } }
}

pub(crate) fn compliance_badge(tr: Tr<'_>, errors: u32, warnings: u32) -> Markup {
    html! {
        @if errors > 0 {
            span.badge.bad { (tr.ta("curriculum-errors", &[("count", num(errors))])) }
        } @else if warnings > 0 {
            span.badge.warn { (tr.ta("curriculum-warnings", &[("count", num(warnings))])) }
        } @else {
            span.badge.ok { (tr.t("curriculum-compliant")) }
        }
    }
}

fn block_name(standard: Option<&Standard>, code: &str, lang: &str) -> String {
    standard.and_then(|s| s.block(code)).map(|b| b.name.get(lang).to_owned()).unwrap_or_else(|| code.to_owned())
}

/// A finding explained in the page's language, with its numbers.
pub(crate) fn finding_text(
    tr: Tr<'_>,
    f: &Finding,
    standard: Option<&Standard>,
    lines: &[Line],
    national: &[NationalCourse],
) -> String {
    let lang = tr.lang.code();
    let mut args: Vec<(String, String)> = f.args.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    for (k, v) in args.iter_mut() {
        if matches!(
            k.as_str(),
            "actual" | "min" | "max" | "required" | "state" | "total" | "nominal" | "recommended" | "credits"
        ) && tr.lang != Lang::En
        {
            *v = v.replace('.', ",");
        }
        if matches!(k.as_str(), "weekly" | "share" | "expected") && tr.lang != Lang::En {
            *v = v.replace('.', ",");
        }
    }
    if let Some(b) = f.args.get("block") {
        args.push(("block_name".into(), block_name(standard, b, lang)));
    }
    if let Some(code) = f.args.get("code") {
        let name = lines
            .iter()
            .find(|l| &l.code == code)
            .map(|l| l.name.get(lang).to_owned())
            .filter(|n| !n.is_empty())
            .or_else(|| {
                standard.and_then(|s| s.courses.iter().find(|c| &c.code == code)).map(|c| c.name.get(lang).to_owned())
            })
            .filter(|n| !n.is_empty())
            .or_else(|| national.iter().find(|n| &n.code == code).map(|n| n.name.get(lang).to_owned()))
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| code.clone());
        args.push(("course".into(), name));
    }
    let id = format!("finding-{}", f.rule);
    if !tr.has(&id) {
        return f.message.clone();
    }
    let fa: Vec<(&str, fluent_bundle::FluentValue<'_>)> = args.iter().map(|(k, v)| (k.as_str(), text(v))).collect();
    tr.ta(&id, &fa)
}

/// The list of findings, errors first, each pointing at its lines.
pub(crate) fn findings_list(
    tr: Tr<'_>,
    c: &Compliance,
    standard: Option<&Standard>,
    lines: &[Line],
    national: &[NationalCourse],
    link_lines: bool,
) -> Markup {
    let mut ordered: Vec<&Finding> = c.findings.iter().collect();
    ordered.sort_by_key(|f| f.severity != Severity::Error);
    html! {
        @if c.findings.is_empty() {
            div.alert.ok role="status" { (tr.t("curriculum-no-findings")) }
        } @else {
            ul.findings {
                @for f in ordered {
                    li class=(if f.severity == Severity::Error { "error" } else { "warning" }) {
                        @if f.severity == Severity::Error { span.badge.bad { (tr.t("severity-error")) } } @else { span.badge.warn { (tr.t("severity-warning")) } }
                        " " (finding_text(tr, f, standard, lines, national))
                        @if !f.lines.is_empty() {
                            " " span.sub {
                                (tr.t("curriculum-lines")) " "
                                @for (i, n) in f.lines.iter().take(12).enumerate() {
                                    @if i > 0 { ", " }
                                    @if link_lines { a href={ "#line-" (n) } { (n) } } @else { (n) }
                                }
                                @if f.lines.len() > 12 { " …" }
                            }
                        }
                        " " small.sub { "(" (tr.t(&format!("rule-{}", f.rule))) ")" }
                    }
                }
            }
        }
    }
}

/// Credits per block against the standard's limits.
fn blocks_table(tr: Tr<'_>, lang: Lang, standard: Option<&Standard>, lines: &[Line]) -> Markup {
    let figures = block_figures(lines);
    let get = |code: &str| figures.iter().find(|b| b.block == code).cloned().unwrap_or_default();
    let l = lang.code();
    html! {
        @if let Some(s) = standard {
            div.table-wrap {
                table {
                    caption { (tr.t("curriculum-blocks-caption")) }
                    thead { tr {
                        th scope="col" { (tr.t("col-block")) }
                        th scope="col" { (tr.t("col-limits")) }
                        th scope="col" { (tr.t("col-credits")) }
                        th scope="col" { (tr.t("col-hours")) }
                        th scope="col" { (tr.t("col-contact-hours")) }
                    } }
                    tbody {
                        @for b in &s.blocks {
                            @let f = get(&b.code);
                            @let ok = f.credits_tenths >= b.min_tenths && f.credits_tenths <= b.max_tenths;
                            tr {
                                th scope="row" { code { (b.code) } " " (b.name.get(l)) }
                                td { (credits(b.min_tenths, lang)) "–" (credits(b.max_tenths, lang)) }
                                td { @if ok { (credits(f.credits_tenths, lang)) } @else { span.badge.bad { (credits(f.credits_tenths, lang)) } } }
                                td { (f.hours) }
                                td { (f.contact_hours) }
                            }
                        }
                        @let total: i32 = figures.iter().map(|f| f.credits_tenths).sum();
                        tr {
                            th scope="row" { (tr.t("col-total")) }
                            td { (credits(s.total_tenths, lang)) }
                            td { @if total == s.total_tenths { (credits(total, lang)) } @else { span.badge.bad { (credits(total, lang)) } } }
                            td { (figures.iter().map(|f| f.hours).sum::<i32>()) }
                            td { (figures.iter().map(|f| f.contact_hours).sum::<i32>()) }
                        }
                    }
                }
            }
        }
    }
}

/// Credits and hours a week per semester, as a small bar chart with its numbers.
fn semesters_chart(tr: Tr<'_>, lang: Lang, standard: Option<&Standard>, lines: &[Line]) -> Markup {
    let Some(s) = standard else { return html! {} };
    let mut per: BTreeMap<i32, (i32, i32)> = BTreeMap::new();
    for l in edu24_curriculum::domain::compliance::counted(lines) {
        let e = per.entry(l.semester).or_default();
        e.0 += l.credits_tenths;
        if l.credits_tenths > 0 {
            e.1 += l.hours();
        }
    }
    let weeks = s.weeks_per_semester.max(1) as f64;
    let max_weekly = s.max_weekly_hours as f64;
    let top = per.values().map(|v| v.1 as f64 / weeks).fold(max_weekly, f64::max).max(1.0);
    let n = s.semesters.max(1);
    let bar_w = 36.0;
    let gap = 14.0;
    let h = 160.0;
    let width = 40.0 + f64::from(n) * (bar_w + gap);
    let title = tr.t("chart-weekly-load");
    let mut out = format!(
        "<svg viewBox=\"0 0 {width} {}\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">",
        h + 40.0,
        xml_escape(&title)
    );
    let limit_y = 10.0 + h - max_weekly / top * h;
    for sem in 1..=n {
        let (_, hours) = per.get(&sem).copied().unwrap_or_default();
        let weekly = f64::from(hours) / weeks;
        let bh = (weekly / top * h).max(1.0);
        let x = 30.0 + f64::from(sem - 1) * (bar_w + gap);
        let color = if weekly > max_weekly { "#b3261e" } else { "#0b5394" };
        out.push_str(&format!(
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bar_w}\" height=\"{bh:.1}\" rx=\"3\" fill=\"{color}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{sem}</text>",
            10.0 + h - bh,
            x + bar_w / 2.0,
            (10.0 + h - bh - 4.0).max(10.0),
            xml_escape(&format!("{weekly:.1}").replace('.', if lang == Lang::En { "." } else { "," })),
            x + bar_w / 2.0,
            h + 28.0,
        ));
    }
    out.push_str(&format!(
        "<line x1=\"24\" x2=\"{:.1}\" y1=\"{limit_y:.1}\" y2=\"{limit_y:.1}\" stroke=\"#b3261e\" stroke-dasharray=\"4 3\"/>\
         <text x=\"2\" y=\"{:.1}\">{}</text>",
        width - 4.0,
        limit_y + 4.0,
        s.max_weekly_hours
    ));
    out.push_str("</svg>");
    html! {
        figure.chart {
            figcaption { strong { (title) } " " span.sub { (tr.ta("chart-weekly-load-hint", &[("max", num(s.max_weekly_hours)), ("weeks", num(s.weeks_per_semester))])) } }
            (svg(out))
            div.table-wrap {
                table {
                    caption.visually-hidden { (title) }
                    thead { tr { th scope="col" { (tr.t("col-semester")) } th scope="col" { (tr.t("col-credits")) } th scope="col" { (tr.t("col-hours")) } th scope="col" { (tr.t("col-weekly")) } } }
                    tbody {
                        @for sem in 1..=n {
                            @let (c, hours) = per.get(&sem).copied().unwrap_or_default();
                            tr { td { (sem) } td { (credits(c, lang)) } td { (hours) } td { (format!("{:.1}", f64::from(hours) / weeks).replace('.', if lang == Lang::En { "." } else { "," })) } }
                        }
                    }
                }
            }
        }
    }
}

fn programme_heading(tr: Tr<'_>, lang: Lang, s: &CurriculumSummary) -> Markup {
    let l = lang.code();
    html! {
        dl.facts {
            dt { (tr.t("fact-institution")) } dd { (s.institution_name.get(l)) }
            dt { (tr.t("col-specialty")) } dd { (s.specialty_code) " " (s.specialty_name.get(l)) }
            dt { (tr.t("col-level")) } dd { (tr.t(&format!("level-{}", s.level.as_str()))) }
            @if !s.form.is_empty() {
                dt { (tr.t("col-form")) } dd { (tr.t(&format!("form-{}", s.form))) " · " (super::pages::language_label(tr, &s.language)) }
            }
            dt { (tr.t("col-intake")) } dd { (s.intake_year) }
            dt { (tr.t("col-version")) } dd { (s.version) " " (status_badge(tr, s.status)) " " (compliance_badge(tr, s.errors, s.warnings)) }
            @if let Some(at) = s.decided_at_ms.filter(|_| s.status.is_final()) {
                dt { (tr.t("curriculum-approved-on")) } dd { (edu24_shared::time::rfc3339(at).get(..10).unwrap_or("")) }
            }
            @if !s.content_sha256.is_empty() && s.status.is_final() {
                dt { (tr.t("curriculum-fingerprint")) } dd { code.wrapcode { (s.content_sha256) } }
            }
            @if !s.decision_note.is_empty() {
                dt { (tr.t("curriculum-returned-note")) } dd { (s.decision_note) }
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// Who the caller is, for showing only the forms they may use (the service decides).

struct Me {
    ministry_admin: bool,
    ministry: bool,
    staff_of: Vec<String>,
    admin_of: Vec<String>,
    account_id: String,
}

async fn me(s: &Shared, c: &CallCtx) -> Result<Me, ApiError> {
    let a = s.identity.me(c).await?;
    let ids = |role: Role| -> Vec<String> {
        a.roles.iter().filter(|r| r.role == role).filter_map(|r| r.institution_id.clone()).collect()
    };
    let mut staff = ids(Role::Registrar);
    staff.extend(ids(Role::InstitutionAdmin));
    Ok(Me {
        ministry_admin: a.roles.iter().any(|r| r.role == Role::MinistryAdmin),
        ministry: a.roles.iter().any(|r| matches!(r.role, Role::MinistryAdmin | Role::MinistryAnalyst)),
        staff_of: staff,
        admin_of: ids(Role::InstitutionAdmin),
        account_id: a.id,
    })
}

/// The caller's context if logged in, anonymous otherwise (public pages).
async fn optional_call(s: &Shared, ctx: &Ctx) -> CallCtx {
    if ctx.session.is_some()
        && let Ok(c) = session_call(s, ctx).await
    {
        return c;
    }
    super::pages::call(ctx)
}

// ---------------------------------------------------------------------------------
// An institution's curricula.

const YEARS_BACK: i32 = 3;

/// `/admin/curricula?institution=ID`: every programme of the institution by intake year.
pub async fn institution_curricula(State(s): State<Shared>, ctx: Ctx, RawQuery(raw): RawQuery) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match session_call(&s, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let m = match me(&s, &c).await {
        Ok(m) => m,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let p = pairs(raw.as_deref()).unwrap_or_default();
    let get = |k: &str| p.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.clone()).filter(|v| !v.is_empty());
    let Some(inst_id) = get("institution").or_else(|| m.staff_of.first().cloned()) else {
        return error_page(tr, &ctx, StatusCode::FORBIDDEN, "error-forbidden", &tr.t("error-forbidden-detail"));
    };
    if !(m.ministry || m.staff_of.contains(&inst_id)) {
        return error_page(tr, &ctx, StatusCode::FORBIDDEN, "error-forbidden", &tr.t("error-forbidden-detail"));
    }
    let inst = match s.catalogue.institution_get(&c, &inst_id).await {
        Ok(i) => i,
        Err(e) => return lookup_failed(tr, &ctx, &e, "error-institution-not-found"),
    };
    let next = edu24_curriculum::seed::NEXT_INTAKE;
    let years: Vec<i32> = (next - YEARS_BACK - 1..=next).collect();
    // The years shown, each its own page of versions (a large university has many).
    let mut list = Page { items: Vec::new(), total: 0 };
    for y in &years {
        let q = CurriculumQuery {
            institution_id: Some(inst.summary.id.clone()),
            intake_year: Some(*y),
            page: 1,
            per_page: MAX_PER_PAGE,
            ..Default::default()
        };
        match s.curriculum.curricula(&c, &q).await {
            Ok(p) => {
                list.total += p.total;
                list.items.extend(p.items);
            }
            Err(e) => return service_error(tr, &ctx, &e),
        }
    }
    // The latest version of each programme and intake (an open one before the approved).
    let mut cells: HashMap<(String, i32), Vec<&CurriculumSummary>> = HashMap::new();
    for c in &list.items {
        cells.entry((c.programme_id.clone(), c.intake_year)).or_default().push(c);
    }
    let lang = ctx.lang;
    let l = lang.code();
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let can_edit = m.staff_of.contains(&inst.summary.id);
    let title = tr.ta("curricula-title-institution", &[("name", text(inst.summary.name.get(l)))]);
    let body = html! {
        h1 { (title) }
        p.sub { (tr.t("curricula-lead")) }
        div.table-wrap {
            table.grid {
                caption { (tr.ta("curricula-caption", &[("count", num(inst.programmes.len() as f64))])) }
                thead { tr {
                    th scope="col" { (tr.t("col-programme")) }
                    @for y in &years { th scope="col" { (y) } }
                } }
                tbody {
                    @for pr in &inst.programmes {
                        tr {
                            th scope="row" {
                                (pr.specialty_code) " " (pr.specialty_name.get(l))
                                br; small.sub { (tr.t(&format!("level-{}", pr.level.as_str()))) " · " (tr.t(&format!("form-{}", pr.form.as_str()))) " · " (super::pages::language_label(tr, &pr.language)) }
                            }
                            @for y in &years {
                                td {
                                    @match cells.get(&(pr.id.clone(), *y)) {
                                        Some(vs) => {
                                            @for v in vs.iter().filter(|v| v.status != Status::Superseded) {
                                                a href=(ctx.href(&format!("/curricula/{}", v.id))) { (status_badge(tr, v.status)) }
                                                " " small { "v" (v.version) } " "
                                                @if v.errors > 0 { span.badge.bad title=(tr.ta("curriculum-errors", &[("count", num(v.errors))])) { "!" (v.errors) } }
                                                br;
                                            }
                                        },
                                        None => span.sub { "—" },
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if can_edit {
            h2 #new { (tr.t("curricula-new-heading")) }
            form.stack method="post" action=(ctx.href("/curricula/new")) {
                input type="hidden" name="csrf" value=(csrf);
                div {
                    label for="nc-programme" { (tr.t("col-programme")) }
                    select #nc-programme name="programme" required {
                        @for pr in &inst.programmes {
                            option value=(pr.id) { (pr.specialty_code) " " (pr.specialty_name.get(l)) " · " (tr.t(&format!("level-{}", pr.level.as_str()))) " · " (tr.t(&format!("form-{}", pr.form.as_str()))) " · " (super::pages::language_label(tr, &pr.language)) }
                        }
                    }
                }
                div {
                    label for="nc-intake" { (tr.t("col-intake")) }
                    select #nc-intake name="intake" { @for y in (next - YEARS_BACK - 1..=next + 1).rev() { option value=(y) selected[y == next] { (y) } } }
                }
                div {
                    label for="nc-copy" { (tr.t("curricula-copy-from")) }
                    select #nc-copy name="copy_from" {
                        option value="" { (tr.t("curricula-copy-none")) }
                        @for v in list.items.iter().filter(|v| v.status == Status::Approved) {
                            option value=(v.id) { (v.specialty_code) " " (v.specialty_name.get(l)) " · " (tr.t(&format!("form-{}", v.form))) " · " (super::pages::language_label(tr, &v.language)) " · " (v.intake_year) " v" (v.version) }
                        }
                    }
                    p.hint { (tr.t("curricula-copy-hint")) }
                }
                button type="submit" { (tr.t("curricula-new-button")) }
            }
        }
        p {
            a href=(ctx.href("/standards")) { (tr.t("standards-title")) } " · "
            a href=(ctx.href("/standards/courses")) { (tr.t("national-courses-title")) }
        }
    };
    private(&s, &ctx, &csrf, respond(StatusCode::OK, page(tr, &ctx, &title, body)))
}

fn form_fields(body: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str(body).unwrap_or_default()
}

fn field<'a>(f: &'a [(String, String)], k: &str) -> &'a str {
    f.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.trim()).unwrap_or("")
}

/// Problems of an action shown on the plan's page: translated by reason.
fn action_problem(tr: Tr<'_>, e: &ApiError) -> Markup {
    let id = format!("curriculum-problem-{}", e.reason.as_deref().unwrap_or(""));
    html! {
        div.alert.error role="alert" {
            @if e.reason.is_some() && tr.has(&id) { (tr.t(&id)) } @else { (tr.t("error-bad-request-detail")) br; small lang="en" { (e.message) } }
        }
    }
}

pub async fn create(State(s): State<Shared>, ctx: Ctx, body: String) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let f = form_fields(&body);
    let c = match form_call(&s, &ctx, field(&f, "csrf")).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let Ok(intake) = field(&f, "intake").parse::<i32>() else {
        return error_page(tr, &ctx, StatusCode::BAD_REQUEST, "error-bad-request", &tr.t("error-bad-request-detail"));
    };
    let copy = Some(field(&f, "copy_from")).filter(|v| !v.is_empty());
    match s.curriculum.curriculum_create(&c, field(&f, "programme"), intake, copy).await {
        Ok(d) => Redirect::to(&ctx.href(&format!("/curricula/{}/edit", d.summary.id))).into_response(),
        Err(e)
            if e.code == ErrorCode::AlreadyExists
                || e.code == ErrorCode::InvalidArgument
                || e.code == ErrorCode::FailedPrecondition =>
        {
            let title = tr.t("curricula-new-heading");
            let body = html! {
                h1 { (title) }
                (action_problem(tr, &e))
                p { a href=(ctx.href("/admin/curricula")) { "← " (tr.t("curricula-back")) } }
            };
            respond(StatusCode::CONFLICT, page(tr, &ctx, &title, body))
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

// ---------------------------------------------------------------------------------
// One plan to read.

fn plan_table(
    tr: Tr<'_>,
    lang: Lang,
    standard: Option<&Standard>,
    lines: &[Line],
    flagged: &HashMap<u32, Severity>,
) -> Markup {
    let l = lang.code();
    let mut by_sem: BTreeMap<i32, Vec<&Line>> = BTreeMap::new();
    for x in lines {
        by_sem.entry(x.semester).or_default().push(x);
    }
    html! {
        @for (sem, ls) in &by_sem {
            @let counted: i32 = edu24_curriculum::domain::compliance::counted(lines).filter(|x| x.semester == *sem).map(|x| x.credits_tenths).sum();
            div.table-wrap {
                table.plan {
                    caption { (tr.ta("curriculum-semester", &[("semester", num(*sem))])) " · " (tr.ta("curriculum-credits", &[("credits", text(&credits(counted, lang)))])) }
                    thead { tr {
                        th scope="col" { "#" }
                        th scope="col" { (tr.t("col-code")) }
                        th scope="col" { (tr.t("col-course")) }
                        th scope="col" { (tr.t("col-block")) }
                        th scope="col" { (tr.t("col-credits")) }
                        th scope="col" { abbr title=(tr.t("col-lectures")) { (tr.t("col-lectures-short")) } }
                        th scope="col" { abbr title=(tr.t("col-practicals")) { (tr.t("col-practicals-short")) } }
                        th scope="col" { abbr title=(tr.t("col-labs")) { (tr.t("col-labs-short")) } }
                        th scope="col" { abbr title=(tr.t("col-independent")) { (tr.t("col-independent-short")) } }
                        th scope="col" { (tr.t("col-assessment")) }
                        th scope="col" { (tr.t("col-prerequisites")) }
                    } }
                    tbody {
                        @for x in ls {
                            tr id={ "line-" (x.line_no) } class=[flagged.get(&x.line_no).map(|s| if *s == Severity::Error { "flag-error" } else { "flag-warning" })] {
                                td { (x.line_no) }
                                td { code { (x.code) } }
                                td {
                                    (x.name.get(l))
                                    @if x.component == Component::State { " " span.badge title=(tr.t("component-state")) { (tr.t("component-state-short")) } }
                                    @if !x.choice_group.is_empty() { " " span.badge.warn title=(tr.t("col-choice-group")) { (tr.ta("curriculum-choice", &[("group", text(&x.choice_group))])) } }
                                }
                                td { span title=(block_name(standard, &x.block, l)) { (x.block) } }
                                td { (credits(x.credits_tenths, lang)) }
                                td { (x.lectures) } td { (x.practicals) } td { (x.labs) } td { (x.independent) }
                                td { (tr.t(&format!("assessment-{}", x.assessment.as_str()))) }
                                td { (x.prerequisites.join(", ")) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn flags(c: &Compliance) -> HashMap<u32, Severity> {
    let mut m = HashMap::new();
    for f in &c.findings {
        for n in &f.lines {
            let e = m.entry(*n).or_insert(f.severity);
            if f.severity == Severity::Error {
                *e = Severity::Error;
            }
        }
    }
    m
}

/// `/curricula/{id}`: one plan (public once approved).
pub async fn view(State(s): State<Shared>, ctx: Ctx, Path(id): Path<String>, RawQuery(raw): RawQuery) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let done = pairs(raw.as_deref())
        .unwrap_or_default()
        .into_iter()
        .find(|(k, _)| k == "done")
        .map(|(_, v)| v)
        .filter(|v| matches!(v.as_str(), "submitted" | "approved" | "returned"));
    let notice = done.map(|d| html! { div.alert.ok role="status" { (tr.t(&format!("curriculum-done-{d}"))) } });
    render_view(&s, &ctx, &id, notice, StatusCode::OK).await
}

async fn render_view(s: &Shared, ctx: &Ctx, id: &str, notice: Option<Markup>, status: StatusCode) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    if id.len() > 64 {
        return super::pages::not_found(tr, ctx, "error-curriculum-not-found");
    }
    let c = optional_call(s, ctx).await;
    let d = match s.curriculum.curriculum_get(&c, id).await {
        Ok(d) => d,
        Err(e) => return lookup_failed(tr, ctx, &e, "error-curriculum-not-found"),
    };
    let m = if c.token.is_some() { me(s, &c).await.ok() } else { None };
    let national = s.curriculum.national_courses(&c).await.unwrap_or_default();
    let sm = &d.summary;
    let staff = m.as_ref().is_some_and(|m| m.staff_of.contains(&sm.institution_id));
    let approver = m.as_ref().is_some_and(|m| m.ministry_admin || m.admin_of.contains(&sm.institution_id));
    let versions = s
        .curriculum
        .curricula(
            &c,
            &CurriculumQuery {
                programme_id: Some(sm.programme_id.clone()),
                intake_year: Some(sm.intake_year),
                page: 1,
                per_page: 50,
                ..Default::default()
            },
        )
        .await
        .map(|p| p.items)
        .unwrap_or_default();
    let lang = ctx.lang;
    let l = lang.code();
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let st = d.standard.as_ref();
    let title =
        tr.ta("curriculum-title", &[("specialty", text(sm.specialty_name.get(l))), ("year", num(sm.intake_year))]);
    let base = ctx.href(&format!("/curricula/{}", sm.id));
    let body = html! {
        p { a href=(ctx.href(&format!("/programmes/{}", sm.programme_id))) { "← " (tr.t("curriculum-programme-page")) }
            @if staff { " · " a href={ (ctx.href("/admin/curricula")) "?institution=" (sm.institution_id) } { (tr.t("curricula-back")) } } }
        h1 { (title) }
        @if let Some(n) = notice { (n) }
        (programme_heading(tr, lang, sm))
        @if let Some(st) = st {
            p.sub { (tr.t("curriculum-standard")) " " a href=(ctx.href(&format!("/standards/{}", st.id))) { (st.document_no) } " (" (tr.ta("standard-valid-from", &[("date", text(&st.valid_from))])) ")" }
        }
        div.toolbar {
            @if staff && sm.status == Status::Draft {
                a.button href={ (base) "/edit" } { (tr.t("curriculum-edit")) }
                form.inline method="post" action={ (base) "/submit" } {
                    input type="hidden" name="csrf" value=(csrf);
                    button type="submit" { (tr.t("curriculum-submit")) }
                }
            }
            @if staff && sm.status == Status::Approved {
                form.inline method="post" action={ (base) "/new-version" } {
                    input type="hidden" name="csrf" value=(csrf);
                    button type="submit" { (tr.t("curriculum-new-version")) }
                }
            }
            a href={ (base) "/export.xlsx" } download { (tr.t("download-xlsx")) }
            a href={ (base) "/export.csv" } download { (tr.t("download-csv")) }
        }
        @if approver && sm.status == Status::Submitted {
            h2 #decide { (tr.t("curriculum-decide-heading")) }
            @if m.as_ref().is_some_and(|m| m.account_id == sm.submitted_by) {
                div.alert.info role="status" { (tr.t("curriculum-problem-four_eyes")) }
            } @else {
                form.stack method="post" action={ (base) "/decide" } {
                    input type="hidden" name="csrf" value=(csrf);
                    div {
                        label for="dc-note" { (tr.t("curriculum-decide-note")) }
                        textarea #dc-note name="note" rows="3" maxlength="2000" {}
                        p.hint { (tr.t("curriculum-decide-hint")) }
                    }
                    div.toolbar {
                        button type="submit" name="decision" value="approve" { (tr.t("curriculum-approve")) }
                        button.secondary type="submit" name="decision" value="return" { (tr.t("curriculum-return")) }
                    }
                }
            }
        }
        h2 #compliance { (tr.t("curriculum-compliance-heading")) }
        @if sm.status.is_final() && d.compliance.standard_id.is_some() && d.compliance.standard_id != st.map(|s| s.id.clone()) {
            p.sub { (tr.t("curriculum-checked-against-current")) }
        }
        (findings_list(tr, &d.compliance, st, &d.lines, &national, true))
        div.charts {
            (blocks_table(tr, lang, st, &d.lines))
            (semesters_chart(tr, lang, st, &d.lines))
        }
        h2 #plan { (tr.t("curriculum-plan-heading")) }
        (plan_table(tr, lang, st, &d.lines, &flags(&d.compliance)))
        @if versions.len() > 1 {
            h2 { (tr.t("curriculum-versions")) }
            ul {
                @for v in &versions {
                    li {
                        @if v.id == sm.id { strong { "v" (v.version) } } @else { a href=(ctx.href(&format!("/curricula/{}", v.id))) { "v" (v.version) } }
                        " " (status_badge(tr, v.status)) " " span.sub { (edu24_shared::time::rfc3339(v.updated_at_ms).get(..10).unwrap_or("")) }
                    }
                }
            }
        }
    };
    let r = respond(status, page(tr, ctx, &title, body));
    if c.token.is_some() { private(s, ctx, &csrf, r) } else { r }
}

// ---------------------------------------------------------------------------------
// The editor.

const EXTRA_ROWS: usize = 5;

/// A line as typed in the editor or a spreadsheet cell by cell.
#[derive(Debug, Clone, Default)]
struct RawLine {
    semester: String,
    code: String,
    name_ky: String,
    name_ru: String,
    name_en: String,
    block: String,
    credits: String,
    lectures: String,
    practicals: String,
    labs: String,
    independent: String,
    assessment: String,
    prerequisites: String,
    component: String,
    choice_group: String,
}

impl RawLine {
    /// The line from its cells, each named by its column.
    fn from_cells(g: impl Fn(&str) -> String) -> Self {
        RawLine {
            semester: g("semester"),
            code: g("code"),
            name_ky: g("name_ky"),
            name_ru: g("name_ru"),
            name_en: g("name_en"),
            block: g("block"),
            credits: g("credits"),
            lectures: g("lectures"),
            practicals: g("practicals"),
            labs: g("labs"),
            independent: g("independent"),
            assessment: g("assessment"),
            prerequisites: g("prerequisites"),
            component: g("component"),
            choice_group: g("choice_group"),
        }
    }

    fn from_line(l: &Line, lang: Lang) -> Self {
        RawLine {
            semester: l.semester.to_string(),
            code: l.code.clone(),
            name_ky: l.name.ky.clone(),
            name_ru: l.name.ru.clone(),
            name_en: l.name.en.clone(),
            block: l.block.clone(),
            credits: credits(l.credits_tenths, lang),
            lectures: l.lectures.to_string(),
            practicals: l.practicals.to_string(),
            labs: l.labs.to_string(),
            independent: l.independent.to_string(),
            assessment: l.assessment.as_str().into(),
            prerequisites: l.prerequisites.join(" "),
            component: l.component.as_str().into(),
            choice_group: l.choice_group.clone(),
        }
    }

    fn is_blank(&self) -> bool {
        [
            &self.semester,
            &self.code,
            &self.name_ky,
            &self.name_ru,
            &self.name_en,
            &self.credits,
            &self.lectures,
            &self.practicals,
            &self.labs,
            &self.independent,
            &self.prerequisites,
            &self.choice_group,
        ]
        .iter()
        .all(|v| v.trim().is_empty())
    }

    /// The line for the service, or the cells that are not numbers.
    fn to_input(&self, row: u32) -> Result<LineInput, Vec<RowError>> {
        let mut errors = Vec::new();
        let mut int = |field: &str, v: &str| -> i32 {
            let v = v.trim();
            if v.is_empty() {
                return 0;
            }
            match v.parse::<i32>() {
                Ok(n) => n,
                Err(_) => {
                    errors.push(RowError::new(row, field, "number", format!("{field}: {v:?} is not a whole number")));
                    0
                }
            }
        };
        let semester = int("semester", &self.semester);
        let lectures = int("lectures", &self.lectures);
        let practicals = int("practicals", &self.practicals);
        let labs = int("labs", &self.labs);
        let independent = int("independent", &self.independent);
        let credits_tenths = if self.credits.trim().is_empty() {
            0
        } else {
            match credits_parse(&self.credits) {
                Some(t) => t,
                None => {
                    errors.push(RowError::new(
                        row,
                        "credits",
                        "credits_number",
                        format!("credits: {:?} is not a number like 4 or 4.5", self.credits),
                    ));
                    0
                }
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(LineInput {
            semester,
            code: self.code.trim().to_owned(),
            name: Localized { ky: self.name_ky.clone(), ru: self.name_ru.clone(), en: self.name_en.clone() },
            block: self.block.trim().to_owned(),
            credits_tenths,
            lectures,
            practicals,
            labs,
            independent,
            assessment: self.assessment.trim().to_owned(),
            prerequisites: vec![self.prerequisites.clone()],
            component: self.component.trim().to_owned(),
            choice_group: self.choice_group.trim().to_owned(),
        })
    }
}

/// The lines of a plan from raw cells: blank rows skipped; row numbers are the
/// positions in `rows` plus `offset` (1 in the editor, 2 in a file with a header).
fn inputs(rows: &[RawLine], offset: u32) -> Result<(Vec<LineInput>, Vec<u32>), Vec<RowError>> {
    let mut out = Vec::new();
    let mut numbers = Vec::new();
    let mut errors = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        if r.is_blank() {
            continue;
        }
        let row = i as u32 + offset;
        match r.to_input(row) {
            Ok(l) => {
                out.push(l);
                numbers.push(row);
            }
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() { Ok((out, numbers)) } else { Err(errors) }
}

fn row_error_text(tr: Tr<'_>, e: &RowError) -> String {
    let id = format!("curriculum-row-{}", e.reason);
    if tr.has(&id) { tr.t(&id).into_owned() } else { e.message.clone() }
}

fn row_errors_box(tr: Tr<'_>, errors: &[RowError], heading_id: &str, link: bool) -> Markup {
    html! {
        div.alert.error role="alert" {
            p { strong { (tr.ta(heading_id, &[("count", num(errors.len() as f64))])) } }
            div.table-wrap {
                table {
                    caption { (tr.t("import-errors-caption")) }
                    thead { tr { th scope="col" { (tr.t("col-row")) } th scope="col" { (tr.t("col-column")) } th scope="col" { (tr.t("col-problem")) } } }
                    tbody {
                        @for e in errors.iter().take(500) {
                            tr {
                                td { @if e.row > 0 { @if link { a href={ "#row-" (e.row) } { (e.row) } } @else { (e.row) } } }
                                td { code { (e.field) } }
                                td { (row_error_text(tr, e)) br; small lang="en" { (e.message) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

struct EditorState<'a> {
    detail: &'a CurriculumDetail,
    rows: Vec<RawLine>,
    row_errors: Vec<RowError>,
    /// The rows of `row_errors` are a file's, not the editor's.
    from_file: bool,
    national: Vec<NationalCourse>,
    notice: Option<Markup>,
}

fn editor_page(s: &Shared, ctx: &Ctx, status: StatusCode, st: EditorState<'_>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let lang = ctx.lang;
    let l = lang.code();
    let d = st.detail;
    let sm = &d.summary;
    let standard = d.standard.as_ref();
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let base = ctx.href(&format!("/curricula/{}", sm.id));
    let flagged = flags(&d.compliance);
    let bad_rows: HashMap<u32, ()> =
        if st.from_file { HashMap::new() } else { st.row_errors.iter().map(|e| (e.row, ())).collect() };
    let mut rows = st.rows.clone();
    rows.extend(std::iter::repeat_n(RawLine::default(), EXTRA_ROWS));
    let title =
        tr.ta("curriculum-edit-title", &[("specialty", text(sm.specialty_name.get(l))), ("year", num(sm.intake_year))]);
    let blocks: Vec<(String, String)> = standard
        .map(|s| s.blocks.iter().map(|b| (b.code.clone(), b.name.get(l).to_owned())).collect())
        .unwrap_or_default();
    let cell = |name: &str, i: usize, v: &str, label: &str, kind: &str, size: &str| -> Markup {
        html! {
            input name={ "r" (i) "." (name) } value=(v) type=(kind) aria-label=(label) size=(size)
                inputmode=[(kind == "text" && matches!(name, "credits")).then_some("decimal")]
                min=[(kind == "number").then_some("0")];
        }
    };
    let body = html! {
        p { a href=(base) { "← " (tr.t("curriculum-view")) } }
        h1 { (title) }
        @if let Some(n) = st.notice { (n) }
        @if !st.row_errors.is_empty() {
            (row_errors_box(tr, &st.row_errors, if st.from_file { "curriculum-file-refused" } else { "curriculum-rows-refused" }, !st.from_file))
        }
        (programme_heading(tr, lang, sm))
        h2 #compliance { (tr.t("curriculum-compliance-heading")) }
        (findings_list(tr, &d.compliance, standard, &d.lines, &st.national, true))
        details.more {
            summary { (tr.t("curriculum-figures")) }
            div.charts {
                (blocks_table(tr, lang, standard, &d.lines))
                (semesters_chart(tr, lang, standard, &d.lines))
            }
        }
        h2 #plan { (tr.t("curriculum-plan-heading")) }
        p.hint { (tr.t("curriculum-edit-hint")) }
        form.editor method="post" action={ (base) "/save" } {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="revision" value=(sm.revision);
            datalist #blocks { @for (c, n) in &blocks { option value=(c) { (n) } } }
            div.table-wrap {
                table.sheet {
                    caption.visually-hidden { (tr.t("curriculum-plan-heading")) }
                    thead { tr {
                        th scope="col" { "#" }
                        th scope="col" { (tr.t("col-semester-short")) }
                        th scope="col" { (tr.t("col-code")) }
                        th scope="col" { (tr.t("col-name-ky")) }
                        th scope="col" { (tr.t("col-name-ru")) }
                        th scope="col" { (tr.t("col-name-en")) }
                        th scope="col" { (tr.t("col-block")) }
                        th scope="col" { (tr.t("col-credits")) }
                        th scope="col" { abbr title=(tr.t("col-lectures")) { (tr.t("col-lectures-short")) } }
                        th scope="col" { abbr title=(tr.t("col-practicals")) { (tr.t("col-practicals-short")) } }
                        th scope="col" { abbr title=(tr.t("col-labs")) { (tr.t("col-labs-short")) } }
                        th scope="col" { abbr title=(tr.t("col-independent")) { (tr.t("col-independent-short")) } }
                        th scope="col" { (tr.t("col-assessment")) }
                        th scope="col" { (tr.t("col-prerequisites")) }
                        th scope="col" { (tr.t("col-component")) }
                        th scope="col" { (tr.t("col-choice-group")) }
                        th scope="col" { (tr.t("col-delete")) }
                    } }
                    tbody {
                        @for (i, r) in rows.iter().enumerate() {
                            @let n = i + 1;
                            @let lab = |col: &str| tr.ta("cell-label", &[("column", text(&tr.t(col))), ("row", num(n as f64))]);
                            @let class = if bad_rows.contains_key(&(n as u32)) { Some("flag-error") } else { flagged.get(&(n as u32)).map(|s| if *s == Severity::Error { "flag-error" } else { "flag-warning" }) };
                            tr id={ "line-" (n) } class=[class] {
                                td id={ "row-" (n) } { (n) }
                                td { (cell("semester", i, &r.semester, &lab("col-semester"), "number", "2")) }
                                td { (cell("code", i, &r.code, &lab("col-code"), "text", "9")) }
                                td { (cell("name_ky", i, &r.name_ky, &lab("col-name-ky"), "text", "22")) }
                                td { (cell("name_ru", i, &r.name_ru, &lab("col-name-ru"), "text", "22")) }
                                td { (cell("name_en", i, &r.name_en, &lab("col-name-en"), "text", "18")) }
                                td { input name={ "r" (i) ".block" } value=(r.block) list="blocks" size="5" aria-label=(lab("col-block")); }
                                td { (cell("credits", i, &r.credits, &lab("col-credits"), "text", "3")) }
                                td { (cell("lectures", i, &r.lectures, &lab("col-lectures"), "number", "3")) }
                                td { (cell("practicals", i, &r.practicals, &lab("col-practicals"), "number", "3")) }
                                td { (cell("labs", i, &r.labs, &lab("col-labs"), "number", "3")) }
                                td { (cell("independent", i, &r.independent, &lab("col-independent"), "number", "3")) }
                                td {
                                    select name={ "r" (i) ".assessment" } aria-label=(lab("col-assessment")) {
                                        @for a in Assessment::ALL { option value=(a.as_str()) selected[r.assessment == a.as_str()] { (tr.t(&format!("assessment-{}", a.as_str()))) } }
                                    }
                                }
                                td { (cell("prerequisites", i, &r.prerequisites, &lab("col-prerequisites"), "text", "10")) }
                                td {
                                    select name={ "r" (i) ".component" } aria-label=(lab("col-component")) {
                                        @for cmp in Component::ALL { option value=(cmp.as_str()) selected[r.component == cmp.as_str() || (r.component.is_empty() && *cmp == Component::Institution)] { (tr.t(&format!("component-{}", cmp.as_str()))) } }
                                    }
                                }
                                td { (cell("choice_group", i, &r.choice_group, &lab("col-choice-group"), "text", "3")) }
                                td { input type="checkbox" name={ "r" (i) ".del" } value="1" aria-label=(lab("col-delete")); }
                            }
                        }
                    }
                }
            }
            input type="hidden" name="rows" value=(rows.len());
            div.toolbar {
                button type="submit" { (tr.t("curriculum-save")) }
                a href={ (base) "/edit?more=20" } { (tr.t("curriculum-more-rows")) }
            }
        }
        h2 #file { (tr.t("curriculum-file-heading")) }
        div.actions {
            form.stack method="post" action={ (base) "/import" } enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="revision" value=(sm.revision);
                label for="imp-file" { (tr.t("curriculum-import-label")) }
                input #imp-file type="file" name="file" required accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
                p.hint { (tr.t("curriculum-import-hint")) " " code { (PLAN_HEADER.join(",")) } }
                button type="submit" { (tr.t("curriculum-import-button")) }
            }
            div {
                p { a href={ (base) "/export.xlsx" } download { (tr.t("download-xlsx")) } " · " a href={ (base) "/export.csv" } download { (tr.t("download-csv")) } }
                form.stack method="post" action={ (base) "/submit" } {
                    input type="hidden" name="csrf" value=(csrf);
                    p.hint { (tr.t("curriculum-submit-hint")) }
                    button type="submit" { (tr.t("curriculum-submit")) }
                }
                form.stack method="post" action={ (base) "/discard" } {
                    input type="hidden" name="csrf" value=(csrf);
                    div.check { input #dis-confirm type="checkbox" name="confirm" value="yes" required; label for="dis-confirm" { (tr.t("curriculum-discard-confirm")) } }
                    button.secondary type="submit" { (tr.t("curriculum-discard")) }
                }
            }
        }
    };
    private(s, ctx, &csrf, respond(status, page(tr, ctx, &title, body)))
}

/// `/curricula/{id}/edit`: the editor of a draft.
pub async fn edit(State(s): State<Shared>, ctx: Ctx, Path(id): Path<String>, RawQuery(raw): RawQuery) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match session_call(&s, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let d = match s.curriculum.curriculum_get(&c, &id).await {
        Ok(d) => d,
        Err(e) => return lookup_failed(tr, &ctx, &e, "error-curriculum-not-found"),
    };
    if d.summary.status != Status::Draft {
        return Redirect::to(&ctx.href(&format!("/curricula/{id}"))).into_response();
    }
    let m = match me(&s, &c).await {
        Ok(m) => m,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    if !m.staff_of.contains(&d.summary.institution_id) {
        return error_page(tr, &ctx, StatusCode::FORBIDDEN, "error-forbidden", &tr.t("error-forbidden-detail"));
    }
    let p = pairs(raw.as_deref()).unwrap_or_default();
    let more: usize = p.iter().find(|(k, _)| k == "more").and_then(|(_, v)| v.parse().ok()).unwrap_or(0).min(100);
    let saved = p.iter().any(|(k, v)| k == "saved" && v == "1");
    let mut rows: Vec<RawLine> = d.lines.iter().map(|l| RawLine::from_line(l, ctx.lang)).collect();
    rows.extend(std::iter::repeat_n(RawLine::default(), more));
    let notice = saved.then(|| html! { div.alert.ok role="status" { (tr.t("curriculum-saved")) } });
    let national = s.curriculum.national_courses(&c).await.unwrap_or_default();
    editor_page(
        &s,
        &ctx,
        StatusCode::OK,
        EditorState { detail: &d, rows, row_errors: Vec::new(), from_file: false, national, notice },
    )
}

fn rows_from_form(f: &[(String, String)]) -> Vec<RawLine> {
    let count: usize = field(f, "rows").parse().unwrap_or(0).min(MAX_LINES + 200);
    let mut by_index: HashMap<usize, HashMap<&str, &str>> = HashMap::new();
    for (k, v) in f {
        if let Some(rest) = k.strip_prefix('r')
            && let Some((i, name)) = rest.split_once('.')
            && let Ok(i) = i.parse::<usize>()
            && i < count
        {
            by_index.entry(i).or_default().insert(name, v.as_str());
        }
    }
    (0..count)
        .filter_map(|i| {
            let m = by_index.get(&i)?;
            if m.get("del").is_some() {
                return None;
            }
            Some(RawLine::from_cells(|k| m.get(k).map(|v| (*v).to_owned()).unwrap_or_default()))
        })
        .filter(|r| !r.is_blank())
        .collect()
}

/// Saves rows (from the editor or a file): all or nothing; on refusal the editor comes
/// back with what was typed and every bad row.
async fn save_rows(
    s: &Shared,
    ctx: &Ctx,
    c: &CallCtx,
    id: &str,
    revision: i64,
    rows: Vec<RawLine>,
    offset: u32,
) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let national = s.curriculum.national_courses(c).await.unwrap_or_default();
    let d = match s.curriculum.curriculum_get(c, id).await {
        Ok(d) => d,
        Err(e) => return lookup_failed(tr, ctx, &e, "error-curriculum-not-found"),
    };
    let refuse = |errors: Vec<RowError>, rows: Vec<RawLine>| {
        let st = EditorState {
            detail: &d,
            rows,
            row_errors: errors,
            from_file: offset > 1,
            national: national.clone(),
            notice: None,
        };
        editor_page(s, ctx, StatusCode::UNPROCESSABLE_ENTITY, st)
    };
    let (lines, numbers) = match inputs(&rows, offset) {
        Ok(v) => v,
        Err(errors) => {
            return refuse(
                errors,
                if offset == 1 { rows } else { d.lines.iter().map(|l| RawLine::from_line(l, ctx.lang)).collect() },
            );
        }
    };
    match s.curriculum.curriculum_save(c, id, revision, lines).await {
        Ok(SaveOutcome::Saved(_)) => Redirect::to(&ctx.href(&format!("/curricula/{id}/edit?saved=1"))).into_response(),
        Ok(SaveOutcome::Refused(errors)) => {
            // The service numbers the lines it was given; report them as the rows typed.
            let errors = errors
                .into_iter()
                .map(|mut e| {
                    if e.row > 0 {
                        e.row = numbers.get(e.row as usize - 1).copied().unwrap_or(e.row);
                    }
                    e
                })
                .collect();
            refuse(
                errors,
                if offset == 1 { rows } else { d.lines.iter().map(|l| RawLine::from_line(l, ctx.lang)).collect() },
            )
        }
        Err(e) if e.code == ErrorCode::FailedPrecondition => {
            let notice = action_problem(tr, &e);
            let st = EditorState {
                detail: &d,
                rows: if offset == 1 {
                    rows
                } else {
                    d.lines.iter().map(|l| RawLine::from_line(l, ctx.lang)).collect()
                },
                row_errors: Vec::new(),
                from_file: false,
                national: national.clone(),
                notice: Some(notice),
            };
            editor_page(s, ctx, StatusCode::CONFLICT, st)
        }
        Err(e) => service_error(tr, ctx, &e),
    }
}

pub async fn save(State(s): State<Shared>, ctx: Ctx, Path(id): Path<String>, body: String) -> Response {
    let f = form_fields(&body);
    let c = match form_call(&s, &ctx, field(&f, "csrf")).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let revision = field(&f, "revision").parse().unwrap_or(-1);
    let rows = rows_from_form(&f);
    save_rows(&s, &ctx, &c, &id, revision, rows, 1).await
}

/// The columns of a plan in a file, in this order on export; any order on import.
pub const PLAN_HEADER: &[&str] = &[
    "semester",
    "code",
    "name_ky",
    "name_ru",
    "name_en",
    "block",
    "credits",
    "lectures",
    "practicals",
    "labs",
    "independent",
    "assessment",
    "prerequisites",
    "component",
    "choice_group",
];

/// Reads a plan from a CSV or XLSX file: the header names the columns.
fn parse_plan(bytes: &[u8]) -> Result<Vec<RawLine>, Vec<RowError>> {
    let cells =
        read_cells(bytes, 8 << 20).map_err(|e| vec![RowError::new(0, "file", e.code(), "the file cannot be read")])?;
    let Some((head, body)) = cells.split_first() else {
        return Err(vec![RowError::new(0, "file", "file_empty", "the file is empty")]);
    };
    let col: HashMap<String, usize> = head.iter().enumerate().map(|(i, h)| (h.trim().to_lowercase(), i)).collect();
    let missing: Vec<&str> =
        ["semester", "code", "block", "credits", "assessment"].into_iter().filter(|c| !col.contains_key(*c)).collect();
    if !missing.is_empty() {
        return Err(vec![RowError::new(
            1,
            &missing.join(", "),
            "missing_columns",
            "the header lacks required columns",
        )]);
    }
    if body.len() > MAX_LINES + 100 {
        return Err(vec![RowError::new(0, "file", "too_many_lines", format!("at most {MAX_LINES} lines"))]);
    }
    Ok(body
        .iter()
        .map(|r| {
            let mut line = RawLine::from_cells(|name| {
                col.get(name).and_then(|&c| r.get(c)).map(|v| v.trim().to_owned()).unwrap_or_default()
            });
            if line.component.is_empty() {
                line.component = "institution".into();
            }
            line
        })
        .collect())
}

pub async fn import(State(s): State<Shared>, ctx: Ctx, Path(id): Path<String>, form: Multipart) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let Ok(fields) = read_form(form).await else {
        return error_page(tr, &ctx, StatusCode::BAD_REQUEST, "error-bad-request", &tr.t("import-file-too-large"));
    };
    let text_of = |k: &str| fields.get(k).map(|b| String::from_utf8_lossy(b).into_owned()).unwrap_or_default();
    if !csrf_ok(&ctx, &text_of("csrf")) {
        return error_page(tr, &ctx, StatusCode::FORBIDDEN, "error-forbidden", &tr.t("error-csrf"));
    }
    let c = match session_call(&s, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let revision = text_of("revision").trim().parse().unwrap_or(-1);
    // Who may change this plan is known before the file is read (the service decides again).
    let d = match s.curriculum.curriculum_get(&c, &id).await {
        Ok(d) => d,
        Err(e) => return lookup_failed(tr, &ctx, &e, "error-curriculum-not-found"),
    };
    match me(&s, &c).await {
        Ok(m) if m.staff_of.contains(&d.summary.institution_id) => {}
        Ok(_) => {
            return error_page(tr, &ctx, StatusCode::FORBIDDEN, "error-forbidden", &tr.t("error-forbidden-detail"));
        }
        Err(e) => return service_error(tr, &ctx, &e),
    }
    let rows = match parse_plan(fields.get("file").map(Vec::as_slice).unwrap_or_default()) {
        Ok(r) => r,
        Err(errors) => {
            let rows = d.lines.iter().map(|l| RawLine::from_line(l, ctx.lang)).collect();
            let national = s.curriculum.national_courses(&c).await.unwrap_or_default();
            let st = EditorState { detail: &d, rows, row_errors: errors, from_file: true, national, notice: None };
            return editor_page(&s, &ctx, StatusCode::UNPROCESSABLE_ENTITY, st);
        }
    };
    // The file's row numbers are kept: blank rows count and are skipped.
    save_rows(&s, &ctx, &c, &id, revision, rows, 2).await
}

pub async fn export_csv(s: State<Shared>, ctx: Ctx, id: Path<String>) -> Response {
    export(s, ctx, id, "csv").await
}

pub async fn export_xlsx(s: State<Shared>, ctx: Ctx, id: Path<String>) -> Response {
    export(s, ctx, id, "xlsx").await
}

async fn export(State(s): State<Shared>, ctx: Ctx, Path(id): Path<String>, format: &str) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = optional_call(&s, &ctx).await;
    let d = match s.curriculum.curriculum_get(&c, &id).await {
        Ok(d) => d,
        Err(e) => return lookup_failed(tr, &ctx, &e, "error-curriculum-not-found"),
    };
    let rows: Vec<Vec<String>> = d
        .lines
        .iter()
        .map(|l| {
            vec![
                l.semester.to_string(),
                l.code.clone(),
                l.name.ky.clone(),
                l.name.ru.clone(),
                l.name.en.clone(),
                l.block.clone(),
                credits_text(l.credits_tenths),
                l.lectures.to_string(),
                l.practicals.to_string(),
                l.labs.to_string(),
                l.independent.to_string(),
                l.assessment.as_str().into(),
                l.prerequisites.join(" "),
                l.component.as_str().into(),
                l.choice_group.clone(),
            ]
        })
        .collect();
    let name = format!(
        "curriculum-{}-{}-{}-v{}",
        d.summary.institution_code, d.summary.specialty_code, d.summary.intake_year, d.summary.version
    );
    let mut r = table_download(format, &name, PLAN_HEADER, &rows);
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if d.summary.status.is_final() { "public, max-age=300" } else { "no-store" }),
    );
    r
}

// ---------------------------------------------------------------------------------
// Steps of a plan's life.

async fn step<F, Fut>(s: &Shared, ctx: &Ctx, id: &str, body: &str, run: F) -> Response
where
    F: FnOnce(CallCtx, Vec<(String, String)>) -> Fut,
    Fut: std::future::Future<Output = Result<String, ApiError>>,
{
    let tr = s.i18n.tr(ctx.lang);
    let f = form_fields(body);
    let c = match form_call(s, ctx, field(&f, "csrf")).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match run(c, f).await {
        Ok(target) => Redirect::to(&ctx.href(&target)).into_response(),
        Err(e)
            if matches!(
                e.code,
                ErrorCode::FailedPrecondition | ErrorCode::InvalidArgument | ErrorCode::AlreadyExists
            ) || e.reason.as_deref() == Some("four_eyes") =>
        {
            render_view(s, ctx, id, Some(action_problem(tr, &e)), StatusCode::CONFLICT).await
        }
        Err(e) => service_error(tr, ctx, &e),
    }
}

pub async fn submit(State(s): State<Shared>, ctx: Ctx, Path(id): Path<String>, body: String) -> Response {
    let svc = s.curriculum.clone();
    let i = id.clone();
    step(&s, &ctx, &id, &body, |c, _| async move {
        svc.curriculum_submit(&c, &i).await.map(|d| format!("/curricula/{}?done=submitted", d.summary.id))
    })
    .await
}

pub async fn decide(State(s): State<Shared>, ctx: Ctx, Path(id): Path<String>, body: String) -> Response {
    let svc = s.curriculum.clone();
    let i = id.clone();
    step(&s, &ctx, &id, &body, |c, f| async move {
        let approve = field(&f, "decision") == "approve";
        let done = if approve { "approved" } else { "returned" };
        svc.curriculum_decide(&c, &i, approve, field(&f, "note"))
            .await
            .map(|d| format!("/curricula/{}?done={done}", d.summary.id))
    })
    .await
}

pub async fn new_version(State(s): State<Shared>, ctx: Ctx, Path(id): Path<String>, body: String) -> Response {
    let svc = s.curriculum.clone();
    let i = id.clone();
    step(&s, &ctx, &id, &body, |c, _| async move {
        svc.curriculum_new_version(&c, &i).await.map(|d| format!("/curricula/{}/edit", d.summary.id))
    })
    .await
}

pub async fn discard(State(s): State<Shared>, ctx: Ctx, Path(id): Path<String>, body: String) -> Response {
    let svc = s.curriculum.clone();
    let i = id.clone();
    step(&s, &ctx, &id, &body, |c, f| async move {
        if field(&f, "confirm") != "yes" {
            return Err(ApiError::invalid("confirm", "tick the box to discard").with_reason("confirm_required"));
        }
        let d = svc.curriculum_get(&c, &i).await?;
        svc.curriculum_discard(&c, &i).await?;
        Ok(format!("/admin/curricula?institution={}", d.summary.institution_id))
    })
    .await
}

/// The curricula section of a programme's public page.
pub(crate) async fn programme_section(s: &Shared, ctx: &Ctx, programme_id: &str) -> Markup {
    let tr = s.i18n.tr(ctx.lang);
    let q = CurriculumQuery {
        programme_id: Some(programme_id.to_owned()),
        status: Some(Status::Approved),
        page: 1,
        per_page: 50,
        ..Default::default()
    };
    let Ok(list) = s.curriculum.curricula(&super::pages::call(ctx), &q).await else { return html! {} };
    html! {
        h2 #curricula { (tr.t("curricula-programme-heading")) }
        @if list.items.is_empty() {
            p { (tr.t("curricula-programme-none")) }
        } @else {
            ul.chips {
                @for c in &list.items {
                    li { a href=(ctx.href(&format!("/curricula/{}", c.id))) { (tr.ta("curricula-programme-intake", &[("year", num(c.intake_year))])) } }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_file_is_read_by_its_header_and_bad_cells_are_reported_by_row() {
        let csv = "code;semester;block;credits;assessment;name_ru;lectures;independent\n\
                   LAW-TSL;1;PROF;4,5;exam;Теория;45;90\n\n\
                   LAW-X;two;PROF;4.55;exam;X;1;1\n";
        let rows = parse_plan(csv.as_bytes()).unwrap();
        assert_eq!(rows.len(), 3);
        let err = inputs(&rows, 2).unwrap_err();
        assert_eq!(
            err.iter().map(|e| (e.row, e.reason.as_str())).collect::<Vec<_>>(),
            vec![(4, "number"), (4, "credits_number")]
        );
        let (ok, numbers) = inputs(&rows[..1], 2).unwrap();
        assert_eq!(
            (ok[0].credits_tenths, ok[0].lectures, ok[0].component.as_str(), numbers),
            (45, 45, "institution", vec![2])
        );
        assert_eq!(parse_plan(b"code,semester\n").unwrap_err()[0].reason, "missing_columns");
    }

    #[test]
    fn editor_rows_are_read_by_index_and_deleted_rows_dropped() {
        let f: Vec<(String, String)> = serde_urlencoded::from_str(
            "rows=3&r0.semester=1&r0.code=A&r0.credits=3&r1.semester=2&r1.code=B&r1.del=1&r2.code=&r2.semester=",
        )
        .unwrap();
        let rows = rows_from_form(&f);
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].code.as_str(), rows[0].credits.as_str()), ("A", "3"));
        assert_eq!(credits(45, Lang::Ru), "4,5");
        assert_eq!(credits(45, Lang::En), "4.5");
    }
}

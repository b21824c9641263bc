//! Results in the portal: a student's own grades and transcript (`/me/grades`), the same
//! transcript for the institution's staff, the GPA ranking of an institution, and the
//! grade log check.

use std::collections::BTreeMap;

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use edu24_records::domain::*;
use edu24_records::grading::*;
use edu24_shared::auth::CallCtx;
use maud::{Markup, html};

use super::Shared;
use super::ctx::Ctx;
use super::layout::{page, respond, svg, xml_escape};
use super::pages::{lookup_failed, service_error, session_call};
use super::params::pairs;
use super::students::{get, institution, programme_label, programmes, status_badge};
use super::teaching::credits;
use crate::i18n::{Tr, num, text};

pub(crate) fn gpa_text(g: Option<i32>) -> String {
    g.map(|g| format!("{}.{:02}", g / 100, g % 100)).unwrap_or_else(|| "—".to_owned())
}

/// GPA by semester as bars on a 0–4 scale (inline SVG with a text equivalent).
fn semester_chart(tr: Tr<'_>, lines: &[TranscriptLine]) -> Option<Markup> {
    let mut by: BTreeMap<i32, Vec<TranscriptLine>> = BTreeMap::new();
    for l in lines {
        by.entry(l.semester).or_default().push(l.clone());
    }
    let rows: Vec<(i32, i32)> = by.iter().filter_map(|(s, ls)| gpa(ls).0.map(|g| (*s, g))).collect();
    if rows.len() < 2 {
        return None;
    }
    let title = tr.t("transcript-chart");
    let (bar_w, gap, h): (f64, f64, f64) = (46.0, 18.0, 160.0);
    let width = rows.len() as f64 * (bar_w + gap) + 40.0;
    let mut s = format!(
        // At its own size (text at 12 px), narrower on a phone: not blown up to the page.
        "<svg class=\"bars\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {width} {}\" role=\"img\" aria-label=\"{}\" \
         xmlns=\"http://www.w3.org/2000/svg\">",
        (width * 1.5).round(),
        ((h + 40.0) * 1.5).round(),
        h + 40.0,
        xml_escape(&title)
    );
    for (i, tick) in [0, 100, 200, 300, 400].iter().enumerate() {
        let y = 10.0 + h - (*tick as f64 / 400.0) * h;
        s.push_str(&format!(
            "<line x1=\"30\" x2=\"{width}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#d0d7de\"/><text x=\"26\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"11\">{i}</text>",
            y + 4.0
        ));
    }
    for (i, (sem, g)) in rows.iter().enumerate() {
        let x = 36.0 + i as f64 * (bar_w + gap);
        let bh = (*g as f64 / 400.0 * h).max(2.0);
        let y = 10.0 + h - bh;
        s.push_str(&format!(
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar_w}\" height=\"{bh:.1}\" rx=\"3\" fill=\"#0b5394\"/>\
             <text x=\"{cx:.1}\" y=\"{ty:.1}\" text-anchor=\"middle\" font-size=\"12\">{v}</text>\
             <text x=\"{cx:.1}\" y=\"{ly:.1}\" text-anchor=\"middle\" font-size=\"12\">{sem}</text>",
            cx = x + bar_w / 2.0,
            ty = y - 4.0,
            v = gpa_text(Some(*g)),
            ly = 10.0 + h + 18.0,
        ));
    }
    s.push_str("</svg>");
    Some(html! {
        figure.chart {
            figcaption { strong { (title) } " " span.sub { (tr.t("transcript-chart-axis")) } }
            (svg(s))
            table.visually-hidden {
                thead { tr { th scope="col" { (tr.t("col-semester")) } th scope="col" { "GPA" } } }
                tbody { @for (sem, g) in &rows { tr { td { (sem) } td { (gpa_text(Some(*g))) } } } }
            }
        }
    })
}

fn transcript_body(tr: Tr<'_>, ctx: &Ctx, t: &Transcript, programme: &str) -> Markup {
    let lang = ctx.lang.code();
    let mut by: BTreeMap<i32, Vec<&TranscriptLine>> = BTreeMap::new();
    for l in &t.lines {
        by.entry(l.semester).or_default().push(l);
    }
    let e = &t.enrolment;
    html! {
        dl.facts {
            dt { (tr.t("col-programme")) } dd { (programme) }
            dt { (tr.t("col-intake")) } dd { (e.intake_year) " · " (tr.t("col-group")) " " (e.study_group) " · " (status_badge(tr, e.status)) }
            dt { "GPA" } dd { strong { (gpa_text(t.gpa)) } " " span.sub { (tr.t("transcript-gpa-hint")) } }
            dt { (tr.t("transcript-credits")) } dd {
                @if t.credits_required_tenths > 0 {
                    meter min="0" max=(t.credits_required_tenths) value=(t.credits_earned_tenths) { (credits(t.credits_earned_tenths)) }
                    " "
                    (tr.ta("transcript-credits-of", &[("earned", text(&credits(t.credits_earned_tenths))), ("required", text(&credits(t.credits_required_tenths)))]))
                } @else {
                    (credits(t.credits_earned_tenths))
                }
            }
        }
        @if let Some(chart) = semester_chart(tr, &t.lines) { (chart) }
        @if t.lines.is_empty() { p { (tr.t("transcript-empty")) } }
        @for (sem, lines) in &by {
            @let owned: Vec<TranscriptLine> = lines.iter().map(|l| (*l).clone()).collect();
            h2 { (tr.ta("transcript-semester", &[("semester", num(*sem))])) " · GPA " (gpa_text(gpa(&owned).0)) }
            div.table-wrap {
                table {
                    thead { tr {
                        th scope="col" { (tr.t("col-course")) }
                        th scope="col" { (tr.t("col-credits")) }
                        th scope="col" { (tr.t("sheet-score")) }
                        th scope="col" { (tr.t("sheet-grade")) }
                    } }
                    tbody {
                        @for l in lines {
                            tr {
                                th scope="row" { code { (l.line_code) } " " (l.course.get(lang)) br; small.sub { (tr.t(&format!("assessment-{}", l.assessment))) @if !l.in_gpa { " · " (tr.t("transcript-not-in-gpa")) } } }
                                td { (credits(l.credits_tenths)) }
                                td { @match (l.value.score, l.value.absent) { (Some(s), _) => (s), (None, true) => (tr.t("sheet-absent-short")), _ => "—" } }
                                td {
                                    @if let Some(g) = &l.grade {
                                        span class=(if g.passed { "badge ok" } else { "badge bad" }) { (g.letter) } " " (g.five) " · " (tr.t(&format!("five-{}", g.five)))
                                    }
                                    @if l.corrected { " " span.badge.warn { (tr.t("transcript-corrected")) } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

async fn programme_name(s: &Shared, tr: Tr<'_>, lang: &str, e: &Enrolment) -> String {
    let name = s
        .catalogue
        .institution_get(&CallCtx::anonymous(), &e.institution_id)
        .await
        .map(|i| i.summary.name.get(lang).to_owned())
        .ok();
    match programmes(s, &e.institution_id).await {
        Ok((code, progs)) => progs
            .iter()
            .find(|p| p.id == e.programme_id)
            .map(|p| format!("{} · {}", name.as_deref().unwrap_or(&code), programme_label(tr, lang, p)))
            .unwrap_or_else(|| e.specialty_code.clone()),
        Err(_) => e.specialty_code.clone(),
    }
}

/// `/me/grades`: the student's own results, every enrolment.
pub async fn mine(State(s): State<Shared>, ctx: Ctx) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let lang = ctx.lang.code();
    let c = match session_call(&s, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let space = match s.records.my_space(&c).await {
        Ok(m) => m,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let title = tr.t("grades-title");
    let mut sections = Vec::new();
    if let Some(file) = &space.file {
        for e in &file.enrolments {
            match s.records.transcript(&c, &e.id).await {
                Ok(t) => sections.push((programme_name(&s, tr, lang, e).await, t)),
                Err(err) => return service_error(tr, &ctx, &err),
            }
        }
    }
    let body = html! {
        h1 { (title) }
        @if space.file.is_none() {
            div.alert.info role="status" { (tr.t("grades-not-linked")) }
        }
        @for (name, t) in &sections {
            section {
                h2 { (name) }
                (transcript_body(tr, &ctx, t, name))
            }
        }
        @if let Some(file) = &space.file {
            h2 { (tr.t("person-orders")) }
            ul {
                @for o in file.orders.iter().rev() {
                    li { (o.effective_on) " · " (tr.t(&format!("order-kind-{}", o.kind.as_str()))) " · № " (o.number) @if !o.reason.is_empty() { " · " (o.reason) } }
                }
            }
        }
    };
    let mut r = respond(StatusCode::OK, page(tr, &ctx, &title, body));
    r.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    r
}

/// `/admin/enrolments/{id}/transcript`: a student's transcript for staff.
pub async fn transcript(State(s): State<Shared>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let lang = ctx.lang.code();
    let c = match session_call(&s, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let t = match s.records.transcript(&c, &id).await {
        Ok(t) => t,
        Err(e) => return lookup_failed(tr, &ctx, &e, "error-person-not-found"),
    };
    let name = programme_name(&s, tr, lang, &t.enrolment).await;
    let title = tr.ta("transcript-title", &[("name", text(&t.name.full()))]);
    let body = html! {
        p { a href=(ctx.href(&format!("/admin/persons/{}", t.enrolment.person_id))) { "← " (t.name.full()) } }
        h1 { (title) }
        (transcript_body(tr, &ctx, &t, &name))
    };
    let mut r = respond(StatusCode::OK, page(tr, &ctx, &title, body));
    r.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    r
}

/// `/admin/ranking`: an institution's students by GPA.
pub async fn ranking(State(s): State<Shared>, ctx: Ctx, RawQuery(raw): RawQuery) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let lang = ctx.lang.code();
    let c = match session_call(&s, &ctx).await {
        Ok(c) => c,
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
    let programme = Some(get(&p, "programme").to_owned()).filter(|v| !v.is_empty());
    let q = RankQuery { institution_id: inst.clone(), programme_id: programme.clone(), page: page_no, per_page: 50 };
    let list = match s.records.ranking(&c, &q).await {
        Ok(l) => l,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let names: std::collections::HashMap<&str, String> =
        progs.iter().map(|p| (p.id.as_str(), format!("{} {}", p.specialty_code, p.specialty_name.get(lang)))).collect();
    let pages = list.total.div_ceil(50).max(1);
    let href = |n: u64| {
        let mut qs = vec![("institution", inst.clone()), ("page", n.to_string())];
        if let Some(p) = &programme {
            qs.push(("programme", p.clone()));
        }
        format!("{}?{}", ctx.href("/admin/ranking"), serde_urlencoded::to_string(&qs).unwrap_or_default())
    };
    let title = tr.ta("ranking-title", &[("code", text(&code))]);
    let body = html! {
        h1 { (title) }
        form.filters.inline method="get" action=(ctx.href("/admin/ranking")) {
            input type="hidden" name="institution" value=(inst);
            div {
                label for="rk-programme" { (tr.t("col-programme")) }
                select #rk-programme name="programme" {
                    option value="" { (tr.t("filter-any")) }
                    @for pr in &progs { option value=(pr.id) selected[programme.as_deref() == Some(pr.id.as_str())] { (programme_label(tr, lang, pr)) } }
                }
            }
            button type="submit" { (tr.t("filter-apply")) }
        }
        p.sub { (tr.ta("students-found", &[("count", num(list.total as f64))])) }
        div.table-wrap {
            table {
                caption.visually-hidden { (title) }
                thead { tr {
                    th scope="col" { "№" }
                    th scope="col" { (tr.t("col-student")) }
                    th scope="col" { (tr.t("col-programme")) }
                    th scope="col" { (tr.t("col-group")) }
                    th scope="col" { "GPA" }
                    th scope="col" { (tr.t("transcript-credits")) }
                } }
                tbody {
                    @for r in &list.items {
                        tr {
                            td { (r.rank) }
                            td { a href=(ctx.href(&format!("/admin/enrolments/{}/transcript", r.enrolment_id))) { (r.name.full()) } }
                            td { (names.get(r.programme_id.as_str()).cloned().unwrap_or_default()) }
                            td { (r.study_group) }
                            td { strong { (gpa_text(Some(r.gpa))) } }
                            td { (credits(r.credits_earned_tenths)) }
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

/// `/admin/grade-log`: the check of an institution's grade log, run on request.
pub async fn log_check(State(s): State<Shared>, ctx: Ctx, RawQuery(raw): RawQuery) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match session_call(&s, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let p = pairs(raw.as_deref()).unwrap_or_default();
    let inst = match institution(&s, &c, get(&p, "institution")).await {
        Ok((i, _)) => i,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let code =
        s.catalogue.institution_get(&CallCtx::anonymous(), &inst).await.map(|i| i.summary.code).unwrap_or_default();
    let check = if get(&p, "run") == "1" {
        match s.records.log_check(&c, &inst).await {
            Ok(v) => Some(v),
            Err(e) => return service_error(tr, &ctx, &e),
        }
    } else {
        None
    };
    let title = tr.ta("gradelog-heading", &[("code", text(&code))]);
    let body = html! {
        h1 { (title) }
        p { (tr.t("gradelog-lead")) }
        form.inline method="get" action=(ctx.href("/admin/grade-log")) {
            input type="hidden" name="institution" value=(inst);
            input type="hidden" name="run" value="1";
            button type="submit" { (tr.t("gradelog-run")) }
        }
        @if let Some(k) = &check {
            @if k.intact() {
                div.alert.ok role="status" { (tr.ta("gradelog-intact", &[("records", num(k.records as f64))])) }
            } @else {
                div.alert.error role="alert" {
                    p { strong { (tr.t("gradelog-broken")) } }
                    @if let Some(seq) = k.first_broken { p { (tr.ta("gradelog-first-broken", &[("seq", num(seq as f64))])) } }
                    @if !k.unexplained.is_empty() {
                        p { (tr.ta("gradelog-unexplained", &[("count", num(k.unexplained.len() as f64))])) }
                        ul { @for u in k.unexplained.iter().take(200) { li { small lang="en" { (u) } } } }
                    }
                }
            }
        }
    };
    let mut r = respond(StatusCode::OK, page(tr, &ctx, &title, body));
    r.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    r
}

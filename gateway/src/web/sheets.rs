//! Grade sheets in the portal: the list (a registrar's institution, or a teacher's own),
//! one sheet with the form the assigned teacher fills in, the registrar's return and
//! close, corrections of a closed sheet and their decision, and the printable PDF with
//! signature lines.

use std::collections::HashMap;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use edu24_records::grading::*;
use edu24_shared::auth::CallCtx;
use edu24_shared::error::{ApiError, ErrorCode};
use edu24_shared::pdf::{Document, Font};
use maud::{Markup, html};

use super::Shared;
use super::ctx::Ctx;
use super::layout::{error_page, page, respond};
use super::pages::{form_call, lookup_failed, new_csrf, private, service_error, session_call};
use super::params::pairs;
use super::students::{get, institution, problem};
use super::teaching::credits;
use crate::i18n::Tr;

fn form_of(body: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str(body).unwrap_or_default()
}

fn state_badge(tr: Tr<'_>, s: SheetState) -> Markup {
    let class = match s {
        SheetState::Draft => "badge warn",
        SheetState::Submitted => "badge",
        SheetState::Closed => "badge ok",
    };
    html! { span class=(class) { (tr.t(&format!("sheet-state-{}", s.as_str()))) } }
}

fn score_text(tr: Tr<'_>, v: &EntryValue) -> String {
    match (v.score, v.absent) {
        (Some(s), _) => s.to_string(),
        (None, true) => tr.t("sheet-absent-short").into_owned(),
        (None, false) => "—".to_owned(),
    }
}

fn grade_text(tr: Tr<'_>, g: Option<&Grade>) -> String {
    g.map(|g| format!("{} · {} · {}", g.letter, g.five, tr.t(&format!("five-{}", g.five)))).unwrap_or_default()
}

/// The caller's teacher ids (from their linked record).
async fn my_teacher_ids(s: &Shared, c: &CallCtx) -> Vec<String> {
    s.records.my_space(c).await.map(|m| m.teaching.into_iter().map(|t| t.id).collect()).unwrap_or_default()
}

/// `/sheets`: a registrar's institution's sheets, or a teacher's own.
pub async fn list(State(s): State<Shared>, ctx: Ctx, RawQuery(raw): RawQuery) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let lang = ctx.lang.code();
    let c = match session_call(&s, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let p = pairs(raw.as_deref()).unwrap_or_default();
    let state = SheetState::parse(get(&p, "state"));
    // Staff see their institution; a teacher sees their own in each institution they teach at.
    let mut institutions: Vec<(String, bool)> = Vec::new();
    match institution(&s, &c, get(&p, "institution")).await {
        Ok((i, staff)) => institutions.push((i, staff)),
        Err(_) => {
            let mine = s.records.my_space(&c).await.map(|m| m.teaching).unwrap_or_default();
            for t in mine {
                if !institutions.iter().any(|(i, _)| *i == t.institution_id) {
                    institutions.push((t.institution_id.clone(), false));
                }
            }
        }
    }
    if institutions.is_empty() {
        return error_page(tr, &ctx, StatusCode::FORBIDDEN, "error-forbidden", &tr.t("error-forbidden-detail"));
    }
    let mut sheets = Vec::new();
    let mut assignments = Vec::new();
    for (inst, _) in &institutions {
        let q = SheetQuery { institution_id: inst.clone(), state, limit: 300, ..Default::default() };
        match s.records.sheets(&c, &q).await {
            Ok(v) => sheets.extend(v),
            Err(e) => return service_error(tr, &ctx, &e),
        }
        let aq = edu24_records::grading::AssignmentQuery { institution_id: inst.clone(), ..Default::default() };
        assignments.extend(s.records.assignments(&c, &aq).await.unwrap_or_default());
    }
    let opened: std::collections::HashSet<&str> = sheets.iter().map(|x| x.assignment.id.as_str()).collect();
    let waiting: Vec<&Assignment> = assignments.iter().filter(|a| !opened.contains(a.id.as_str())).collect();
    let staff = institutions.iter().any(|(_, st)| *st);
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let title = tr.t("sheets-title");
    let body = html! {
        h1 { (title) }
        @if staff {
            ul.chips {
                li { a href={ (ctx.href("/admin/assignments")) "?institution=" (institutions[0].0) } { (tr.t("assignments-title-short")) } }
                li { a href={ (ctx.href("/admin/teachers")) "?institution=" (institutions[0].0) } { (tr.t("teachers-title-short")) } }
                li { a href={ (ctx.href("/admin/ranking")) "?institution=" (institutions[0].0) } { (tr.t("ranking-title-short")) } }
                li { a href={ (ctx.href("/admin/grade-log")) "?institution=" (institutions[0].0) } { (tr.t("gradelog-title")) } }
            }
        }
        form.filters.inline method="get" action=(ctx.href("/sheets")) {
            @if staff { input type="hidden" name="institution" value=(institutions[0].0); }
            div {
                label for="sh-state" { (tr.t("col-status")) }
                select #sh-state name="state" {
                    option value="" { (tr.t("filter-any")) }
                    @for st in SheetState::ALL { option value=(st.as_str()) selected[state == Some(*st)] { (tr.t(&format!("sheet-state-{}", st.as_str()))) } }
                }
            }
            button type="submit" { (tr.t("filter-apply")) }
        }
        div.table-wrap {
            table {
                caption.visually-hidden { (title) }
                thead { tr {
                    th scope="col" { (tr.t("col-course")) }
                    th scope="col" { (tr.t("col-group")) }
                    th scope="col" { (tr.t("col-semester")) }
                    th scope="col" { (tr.t("col-teacher")) }
                    th scope="col" { (tr.t("sheet-date")) }
                    th scope="col" { (tr.t("sheet-graded")) }
                    th scope="col" { (tr.t("col-status")) }
                } }
                tbody {
                    @for x in &sheets {
                        tr {
                            td {
                                a href=(ctx.href(&format!("/sheets/{}", x.id))) { code { (x.assignment.line_code) } " " (x.assignment.course.get(lang)) }
                                @if x.kind == SheetKind::Retake { " " span.badge { (tr.t("sheet-kind-retake")) } }
                            }
                            td { (x.assignment.study_group) }
                            td { (x.assignment.semester) " · " (x.assignment.academic_year()) }
                            td { (x.assignment.teacher_name.full()) }
                            td { (x.as_of) }
                            td {
                                (x.graded) " / " (x.students)
                                @if x.flagged > 0 { " " span.badge.warn { (tr.ta("sheet-flagged-count", &[("count", crate::i18n::num(x.flagged))])) } }
                                @if x.pending_corrections > 0 { " " span.badge.warn { (tr.ta("sheet-pending-count", &[("count", crate::i18n::num(x.pending_corrections))])) } }
                            }
                            td { (state_badge(tr, x.state)) }
                        }
                    }
                }
            }
        }
        @if sheets.is_empty() { p { (tr.t("sheets-none")) } }
        @if !waiting.is_empty() {
            h2 { (tr.t("sheets-to-open")) }
            ul.cards {
                @for a in &waiting {
                    li.card {
                        h3 { code { (a.line_code) } " " (a.course.get(lang)) }
                        p.meta { (a.study_group) " · " (tr.t("col-semester")) " " (a.semester) " · " (credits(a.credits_tenths)) " " (tr.t("col-credits")) " · " (a.teacher_name.full()) }
                        form.inline method="post" action=(ctx.href("/sheets/open")) {
                            input type="hidden" name="csrf" value=(csrf);
                            input type="hidden" name="assignment" value=(a.id);
                            input type="hidden" name="kind" value="regular";
                            label for={ "as-of-" (a.id) } { (tr.t("sheet-date")) }
                            input id={ "as-of-" (a.id) } type="date" name="as_of" value=(edu24_records::domain::today().to_string()) required;
                            button type="submit" { (tr.t("sheet-open-regular")) }
                        }
                    }
                }
            }
        }
    };
    private(&s, &ctx, &csrf, respond(StatusCode::OK, page(tr, &ctx, &title, body)))
}

/// `POST /sheets/open`: opens the regular sheet (or a retake) of an assignment.
pub async fn open(State(s): State<Shared>, ctx: Ctx, body: String) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let f = form_of(&body);
    let c = match form_call(&s, &ctx, get(&f, "csrf")).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let kind = SheetKind::parse(get(&f, "kind")).unwrap_or(SheetKind::Regular);
    let as_of = if get(&f, "as_of").is_empty() {
        edu24_records::domain::today().to_string()
    } else {
        get(&f, "as_of").to_owned()
    };
    match s.records.sheet_open(&c, get(&f, "assignment"), kind, &as_of).await {
        Ok(sheet) => Redirect::to(&ctx.href(&format!("/sheets/{}", sheet.id))).into_response(),
        Err(e) if e.reason.as_deref() == Some("sheet_exists") => {
            match e.field.as_deref().and_then(|f| f.strip_prefix("sheet.")) {
                Some(id) => Redirect::to(&ctx.href(&format!("/sheets/{id}"))).into_response(),
                None => service_error(tr, &ctx, &e),
            }
        }
        Err(e) if matches!(e.code, ErrorCode::InvalidArgument | ErrorCode::FailedPrecondition) => {
            let body = html! { h1 { (tr.t("sheet-open-failed")) } (problem(tr, &e)) p { a href=(ctx.href("/sheets")) { "← " (tr.t("sheets-title")) } } };
            respond(StatusCode::UNPROCESSABLE_ENTITY, page(tr, &ctx, &tr.t("sheet-open-failed"), body))
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

/// `/sheets/{id}`.
pub async fn view(State(s): State<Shared>, ctx: Ctx, Path(id): Path<String>, RawQuery(raw): RawQuery) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let done = pairs(raw.as_deref()).unwrap_or_default().into_iter().find(|(k, _)| k == "done").map(|(_, v)| v);
    let notice = done.filter(|d| d.chars().all(|c| c.is_ascii_lowercase() || c == '_')).map(|d| {
        html! { div.alert.ok role="status" { (tr.t(&format!("sheet-done-{d}"))) } }
    });
    render(&s, &ctx, &id, &[], notice, StatusCode::OK).await
}

async fn render(
    s: &Shared,
    ctx: &Ctx,
    id: &str,
    f: &[(String, String)],
    notice: Option<Markup>,
    status: StatusCode,
) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let lang = ctx.lang.code();
    let c = match session_call(s, ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let sheet = match s.records.sheet_get(&c, id).await {
        Ok(x) => x,
        Err(e) => return lookup_failed(tr, ctx, &e, "error-sheet-not-found"),
    };
    let a = &sheet.assignment;
    let teacher = my_teacher_ids(s, &c).await.contains(&a.teacher_id);
    let staff = institution(s, &c, &a.institution_id).await.map(|(_, st)| st).unwrap_or(false);
    let editable = teacher && sheet.state == SheetState::Draft;
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let flagged = sheet.entries.iter().filter(|e| !e.flags.is_empty()).count();
    let names: HashMap<&str, String> = sheet.entries.iter().map(|e| (e.enrolment_id.as_str(), e.name.full())).collect();
    // What was typed, when the form comes back with a problem.
    let typed = |k: &str, default: String| -> String {
        f.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or(default)
    };
    let title = format!("{} {}", a.line_code, a.course.get(lang));
    let body = html! {
        p { a href={ (ctx.href("/sheets")) @if staff { "?institution=" (a.institution_id) } } { "← " (tr.t("sheets-title")) } }
        h1 { (tr.t("sheet-heading")) ": " (a.course.get(lang)) " " (state_badge(tr, sheet.state)) }
        @if let Some(n) = notice { (n) }
        dl.facts {
            dt { (tr.t("col-course")) } dd { code { (a.line_code) } " · " (credits(a.credits_tenths)) " " (tr.t("col-credits")) " · " (tr.t(&format!("assessment-{}", a.assessment))) }
            dt { (tr.t("col-group")) } dd { (a.study_group) " · " (tr.t("col-semester")) " " (a.semester) " · " (a.academic_year()) }
            dt { (tr.t("col-teacher")) } dd { (a.teacher_name.full()) }
            dt { (tr.t("sheet-date")) } dd { (sheet.as_of) @if sheet.kind == SheetKind::Retake { " · " (tr.t("sheet-kind-retake")) } }
            @if !sheet.digest.is_empty() { dt { (tr.t("sheet-digest")) } dd { code.wrapcode { (sheet.digest) } } }
        }
        ul.chips {
            li { a href=(ctx.href(&format!("/sheets/{}/sheet.pdf", sheet.id))) { (tr.t("sheet-pdf")) } }
        }
        @if !sheet.returned_note.is_empty() && sheet.state == SheetState::Draft {
            div.alert.error role="alert" { strong { (tr.t("sheet-returned")) } " " (sheet.returned_note) }
        }
        @if flagged > 0 && sheet.state != SheetState::Closed {
            div.alert.info role="status" { (tr.ta("sheet-flag-note", &[("count", crate::i18n::num(flagged as f64))])) }
        }
        @if editable {
            form method="post" action=(ctx.href(&format!("/sheets/{}/save", sheet.id))) {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="version" value=(sheet.version);
                div.table-wrap {
                    table.sheet {
                        caption { (tr.t("sheet-fill-caption")) }
                        thead { tr {
                            th scope="col" { "№" }
                            th scope="col" { (tr.t("col-student")) }
                            th scope="col" { (tr.t("sheet-attendance")) }
                            th scope="col" { (tr.t("sheet-score")) }
                            th scope="col" { (tr.t("sheet-absent")) }
                            th scope="col" { (tr.t("sheet-grade")) }
                        } }
                        tbody {
                            @for e in &sheet.entries {
                                tr class=[(!e.flags.is_empty()).then_some("flag-warning")] {
                                    td { (e.position) }
                                    th scope="row" { (e.name.full()) br; small.sub { (e.student_ticket) } }
                                    td {
                                        label.visually-hidden for={ "at-" (e.enrolment_id) } { (tr.t("sheet-attendance")) ": " (e.name.full()) }
                                        input id={ "at-" (e.enrolment_id) } type="number" name={ "attendance." (e.enrolment_id) } min="0" max="100" step="1" inputmode="numeric"
                                            value=(typed(&format!("attendance.{}", e.enrolment_id), e.value.attendance.map(|v| v.to_string()).unwrap_or_default()));
                                    }
                                    td {
                                        label.visually-hidden for={ "sc-" (e.enrolment_id) } { (tr.t("sheet-score")) ": " (e.name.full()) }
                                        input id={ "sc-" (e.enrolment_id) } type="number" name={ "score." (e.enrolment_id) } min="0" max="100" step="1" inputmode="numeric"
                                            value=(typed(&format!("score.{}", e.enrolment_id), e.value.score.map(|v| v.to_string()).unwrap_or_default()));
                                    }
                                    td {
                                        input id={ "ab-" (e.enrolment_id) } type="checkbox" name={ "absent." (e.enrolment_id) } value="1" checked[e.value.absent];
                                        label.visually-hidden for={ "ab-" (e.enrolment_id) } { (tr.t("sheet-absent")) ": " (e.name.full()) }
                                    }
                                    td { (grade_text(tr, e.grade.as_ref())) @if !e.flags.is_empty() { br; small { (tr.t("sheet-flag-no_attendance")) } } }
                                }
                            }
                        }
                    }
                }
                p.hint { (tr.t("sheet-fill-hint")) }
                p.actions {
                    button type="submit" name="action" value="save" { (tr.t("sheet-save")) }
                    " "
                    button.secondary type="submit" name="action" value="submit" { (tr.t("sheet-submit")) }
                }
            }
        } @else {
            div.table-wrap {
                table.sheet {
                    caption { (tr.t("sheet-results-caption")) }
                    thead { tr {
                        th scope="col" { "№" }
                        th scope="col" { (tr.t("col-student")) }
                        th scope="col" { (tr.t("sheet-attendance")) }
                        th scope="col" { (tr.t("sheet-score")) }
                        th scope="col" { (tr.t("sheet-grade")) }
                        @if sheet.state == SheetState::Closed { th scope="col" { (tr.t("sheet-in-force")) } }
                    } }
                    tbody {
                        @for e in &sheet.entries {
                            tr class=[(!e.flags.is_empty()).then_some("flag-warning")] {
                                td { (e.position) }
                                th scope="row" { (e.name.full()) br; small.sub { (e.student_ticket) } }
                                td { (e.value.attendance.map(|v| format!("{v} %")).unwrap_or_else(|| "—".into())) }
                                td { (score_text(tr, &e.value)) }
                                td { (grade_text(tr, e.grade.as_ref())) @if !e.flags.is_empty() { br; small { (tr.t("sheet-flag-no_attendance")) } } }
                                @if sheet.state == SheetState::Closed {
                                    td { @if e.effective != e.value { strong { (score_text(tr, &e.effective)) } " · " (grade_text(tr, e.effective_grade.as_ref())) } @else { "=" } }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if teacher && sheet.state == SheetState::Submitted { p { (tr.t("sheet-wait-registrar")) } }
        @if staff && sheet.state == SheetState::Submitted {
            section.card {
                h2 { (tr.t("sheet-close-heading")) }
                form.stack method="post" action=(ctx.href(&format!("/sheets/{}/close", sheet.id))) {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="hidden" name="version" value=(sheet.version);
                    @if flagged > 0 {
                        div.check { input #cl-flags type="checkbox" name="confirm_flags" value="1"; label for="cl-flags" { (tr.ta("sheet-confirm-flags", &[("count", crate::i18n::num(flagged as f64))])) } }
                    }
                    p.hint { (tr.t("sheet-close-hint")) }
                    button type="submit" { (tr.t("sheet-close")) }
                }
                form.stack method="post" action=(ctx.href(&format!("/sheets/{}/return", sheet.id))) {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="hidden" name="version" value=(sheet.version);
                    label for="rt-note" { (tr.t("sheet-return-note")) }
                    textarea #rt-note name="note" rows="2" maxlength="1000" required {}
                    button.secondary type="submit" { (tr.t("sheet-return")) }
                }
            }
        }
        @if sheet.state == SheetState::Closed {
            h2 { (tr.t("corrections-heading")) }
            @if sheet.corrections.is_empty() { p { (tr.t("corrections-none")) } } @else {
                div.table-wrap {
                    table {
                        thead { tr {
                            th scope="col" { (tr.t("col-student")) }
                            th scope="col" { (tr.t("correction-before")) }
                            th scope="col" { (tr.t("correction-after")) }
                            th scope="col" { (tr.t("order-reason")) }
                            th scope="col" { (tr.t("col-status")) }
                        } }
                        tbody {
                            @for k in &sheet.corrections {
                                tr {
                                    td { (names.get(k.enrolment_id.as_str()).cloned().unwrap_or_default()) }
                                    td { (score_text(tr, &k.before)) }
                                    td { (score_text(tr, &k.after)) }
                                    td { (k.reason) @if !k.note.is_empty() { br; small.sub { (k.note) } } }
                                    td {
                                        span class=(match k.state { CorrectionState::Approved => "badge ok", CorrectionState::Rejected => "badge bad", CorrectionState::Pending => "badge warn" }) {
                                            (tr.t(&format!("correction-state-{}", k.state.as_str())))
                                        }
                                        @if staff && k.state == CorrectionState::Pending {
                                            form.inline method="post" action=(ctx.href(&format!("/sheets/{}/corrections/{}", sheet.id, k.id))) {
                                                input type="hidden" name="csrf" value=(csrf);
                                                label.visually-hidden for={ "kn-" (k.id) } { (tr.t("correction-note")) }
                                                input id={ "kn-" (k.id) } name="note" maxlength="1000" placeholder=(tr.t("correction-note"));
                                                button type="submit" name="decision" value="approve" { (tr.t("correction-approve")) }
                                                button.secondary type="submit" name="decision" value="reject" { (tr.t("correction-reject")) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if staff || teacher {
                details.more {
                    summary { (tr.t("correction-new")) }
                    form.wide method="post" action=(ctx.href(&format!("/sheets/{}/corrections", sheet.id))) {
                        input type="hidden" name="csrf" value=(csrf);
                        fieldset {
                            legend { (tr.t("correction-new")) }
                            div {
                                label for="kr-student" { (tr.t("col-student")) }
                                select #kr-student name="enrolment" required {
                                    @for e in &sheet.entries { option value=(e.enrolment_id) selected[get(f, "enrolment") == e.enrolment_id] { (e.name.full()) " (" (score_text(tr, &e.effective)) ")" } }
                                }
                            }
                            div { label for="kr-score" { (tr.t("sheet-score")) } input #kr-score type="number" name="score" min="0" max="100" value=(get(f, "score")); }
                            div.check { input #kr-absent type="checkbox" name="absent" value="1" checked[get(f, "absent") == "1"]; label for="kr-absent" { (tr.t("sheet-absent")) } }
                            div { label for="kr-attendance" { (tr.t("sheet-attendance")) } input #kr-attendance type="number" name="attendance" min="0" max="100" value=(get(f, "attendance")); }
                            div { label for="kr-reason" { (tr.t("order-reason")) } textarea #kr-reason name="reason" rows="2" maxlength="1000" required { (get(f, "reason")) } p.hint { (tr.t("correction-hint")) } }
                        }
                        p { button type="submit" { (tr.t("correction-request")) } }
                    }
                }
            }
            @if teacher || staff {
                form.inline method="post" action=(ctx.href("/sheets/open")) {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="hidden" name="assignment" value=(a.id);
                    input type="hidden" name="kind" value="retake";
                    button.secondary type="submit" { (tr.t("sheet-open-retake")) }
                }
            }
        }
    };
    private(s, ctx, &csrf, respond(status, page(tr, ctx, &title, body)))
}

fn parse_value(score: &str, absent: bool, attendance: &str) -> Result<EntryValue, ApiError> {
    let num = |s: &str, field: &str, reason: &str| -> Result<Option<i32>, ApiError> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(None);
        }
        s.parse::<i32>()
            .map(Some)
            .map_err(|_| ApiError::invalid(field, "a whole number from 0 to 100").with_reason(reason))
    };
    Ok(EntryValue {
        score: num(score, "score", "score_range")?,
        absent,
        attendance: num(attendance, "attendance", "attendance_range")?,
    })
}

/// `POST /sheets/{id}/save`: the teacher's scores, then submission when asked.
pub async fn save(State(s): State<Shared>, ctx: Ctx, Path(id): Path<String>, body: String) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let f = form_of(&body);
    let c = match form_call(&s, &ctx, get(&f, "csrf")).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let version: i64 = get(&f, "version").parse().unwrap_or(0);
    let mut ids: Vec<String> = Vec::new();
    for (k, _) in &f {
        if let Some(e) =
            k.strip_prefix("score.").or_else(|| k.strip_prefix("attendance.")).or_else(|| k.strip_prefix("absent."))
            && !ids.iter().any(|x| x == e)
        {
            ids.push(e.to_owned());
        }
    }
    let mut entries = Vec::with_capacity(ids.len());
    for e in &ids {
        match parse_value(
            get(&f, &format!("score.{e}")),
            get(&f, &format!("absent.{e}")) == "1",
            get(&f, &format!("attendance.{e}")),
        ) {
            Ok(value) => entries.push(EntryInput { enrolment_id: e.clone(), value }),
            Err(err) => {
                return render(&s, &ctx, &id, &f, Some(problem(tr, &err)), StatusCode::UNPROCESSABLE_ENTITY).await;
            }
        }
    }
    let saved = match s.records.sheet_save(&c, &id, version, entries).await {
        Ok(x) => x,
        Err(e) if matches!(e.code, ErrorCode::InvalidArgument | ErrorCode::FailedPrecondition) => {
            let who = e
                .field
                .as_deref()
                .and_then(|f| f.strip_prefix("entries."))
                .and_then(|eid| ids.iter().find(|x| *x == eid))
                .cloned();
            let note = html! { (problem(tr, &e)) @if let Some(w) = who { p { (tr.t("sheet-row-at-fault")) " " code { (w) } } } };
            return render(&s, &ctx, &id, &f, Some(note), StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        Err(e) => return service_error(tr, &ctx, &e),
    };
    if get(&f, "action") != "submit" {
        return Redirect::to(&ctx.href(&format!("/sheets/{id}?done=saved"))).into_response();
    }
    match s.records.sheet_submit(&c, &id, saved.version).await {
        Ok(_) => Redirect::to(&ctx.href(&format!("/sheets/{id}?done=submitted"))).into_response(),
        Err(e) if matches!(e.code, ErrorCode::InvalidArgument | ErrorCode::FailedPrecondition) => {
            render(&s, &ctx, &id, &[], Some(problem(tr, &e)), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

pub async fn close(State(s): State<Shared>, ctx: Ctx, Path(id): Path<String>, body: String) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let f = form_of(&body);
    let c = match form_call(&s, &ctx, get(&f, "csrf")).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let version: i64 = get(&f, "version").parse().unwrap_or(0);
    match s.records.sheet_close(&c, &id, version, get(&f, "confirm_flags") == "1").await {
        Ok(_) => Redirect::to(&ctx.href(&format!("/sheets/{id}?done=closed"))).into_response(),
        Err(e) if matches!(e.code, ErrorCode::InvalidArgument | ErrorCode::FailedPrecondition) => {
            render(&s, &ctx, &id, &[], Some(problem(tr, &e)), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

pub async fn send_back(State(s): State<Shared>, ctx: Ctx, Path(id): Path<String>, body: String) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let f = form_of(&body);
    let c = match form_call(&s, &ctx, get(&f, "csrf")).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let version: i64 = get(&f, "version").parse().unwrap_or(0);
    match s.records.sheet_return(&c, &id, version, get(&f, "note")).await {
        Ok(_) => Redirect::to(&ctx.href(&format!("/sheets/{id}?done=returned"))).into_response(),
        Err(e) if matches!(e.code, ErrorCode::InvalidArgument | ErrorCode::FailedPrecondition) => {
            render(&s, &ctx, &id, &[], Some(problem(tr, &e)), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

pub async fn correction_request(State(s): State<Shared>, ctx: Ctx, Path(id): Path<String>, body: String) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let f = form_of(&body);
    let c = match form_call(&s, &ctx, get(&f, "csrf")).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let after = match parse_value(get(&f, "score"), get(&f, "absent") == "1", get(&f, "attendance")) {
        Ok(v) => v,
        Err(e) => return render(&s, &ctx, &id, &f, Some(problem(tr, &e)), StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    let input = CorrectionInput {
        sheet_id: id.clone(),
        enrolment_id: get(&f, "enrolment").to_owned(),
        after,
        reason: get(&f, "reason").to_owned(),
    };
    match s.records.correction_request(&c, input).await {
        Ok(_) => Redirect::to(&ctx.href(&format!("/sheets/{id}?done=correction_requested"))).into_response(),
        Err(e) if matches!(e.code, ErrorCode::InvalidArgument | ErrorCode::FailedPrecondition) => {
            render(&s, &ctx, &id, &f, Some(problem(tr, &e)), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

pub async fn correction_decide(
    State(s): State<Shared>,
    ctx: Ctx,
    Path((id, correction)): Path<(String, String)>,
    body: String,
) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let f = form_of(&body);
    let c = match form_call(&s, &ctx, get(&f, "csrf")).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let approve = get(&f, "decision") == "approve";
    match s.records.correction_decide(&c, &correction, approve, get(&f, "note")).await {
        Ok(_) => Redirect::to(&ctx.href(&format!(
            "/sheets/{id}?done={}",
            if approve { "correction_approved" } else { "correction_rejected" }
        )))
        .into_response(),
        Err(e) if matches!(e.code, ErrorCode::InvalidArgument | ErrorCode::FailedPrecondition) => {
            render(&s, &ctx, &id, &[], Some(problem(tr, &e)), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

/// `/sheets/{id}/sheet.pdf`: the sheet to print and sign.
pub async fn pdf(State(s): State<Shared>, ctx: Ctx, Path(id): Path<String>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match session_call(&s, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let sheet = match s.records.sheet_get(&c, &id).await {
        Ok(x) => x,
        Err(e) => return lookup_failed(tr, &ctx, &e, "error-sheet-not-found"),
    };
    let inst = s
        .catalogue
        .institution_get(&CallCtx::anonymous(), &sheet.assignment.institution_id)
        .await
        .map(|i| i.summary.name.get(ctx.lang.code()).to_owned())
        .unwrap_or_default();
    let bytes = sheet_pdf(tr, ctx.lang.code(), &inst, &sheet);
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!(
        "inline; filename=\"sheet-{}-{}.pdf\"",
        sheet.assignment.line_code.replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', ""),
        &sheet.id[..8.min(sheet.id.len())]
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// The printed sheet: the institution, course and group, one line per student with
/// attendance, score, letter and grade in words, then the signatures of the teacher and
/// the registrar; the digest of a closed sheet at the foot of every page.
pub fn sheet_pdf(tr: Tr<'_>, lang: &str, institution: &str, sheet: &Sheet) -> Vec<u8> {
    let a = &sheet.assignment;
    let mut doc = Document::new(&format!("{} {}", a.line_code, a.course.get(lang)));
    let (left, right) = (15.0f32, 195.0f32);
    let cols: [(f32, &str); 7] = [
        (15.0, "№"),
        (24.0, "col-student"),
        (96.0, "col-ticket"),
        (124.0, "sheet-attendance"),
        (142.0, "sheet-score"),
        (157.0, "sheet-grade"),
        (195.0, ""),
    ];
    let rows_per_page = 30usize;
    let chunks: Vec<&[SheetEntry]> =
        if sheet.entries.is_empty() { vec![&[]] } else { sheet.entries.chunks(rows_per_page).collect() };
    let pages = chunks.len();
    for (pi, chunk) in chunks.into_iter().enumerate() {
        let mut p = doc.page();
        let mut y = 18.0;
        p.fill_rgb(0.0, 0.0, 0.0).text_fit(Font::Regular, 9.0, left, y, right - left, institution);
        y += 7.0;
        p.text_fit(Font::Bold, 13.0, left, y, right - left, &tr.t("sheet-pdf-title"));
        y += 7.0;
        let facts = [
            (
                tr.t("col-course"),
                format!(
                    "{} {} · {} {} · {}",
                    a.line_code,
                    a.course.get(lang),
                    credits(a.credits_tenths),
                    tr.t("col-credits"),
                    tr.t(&format!("assessment-{}", a.assessment))
                ),
            ),
            (
                tr.t("col-group"),
                format!("{} · {} {} · {}", a.study_group, tr.t("col-semester"), a.semester, a.academic_year()),
            ),
            (tr.t("col-teacher"), a.teacher_name.full()),
            (
                tr.t("sheet-date"),
                format!("{} · {}", sheet.as_of, tr.t(&format!("sheet-state-{}", sheet.state.as_str()))),
            ),
        ];
        for (k, v) in facts {
            p.fill_rgb(0.35, 0.35, 0.35).text(Font::Regular, 8.5, left, y, &k);
            p.fill_rgb(0.0, 0.0, 0.0).text_fit(Font::Regular, 9.5, left + 32.0, y, right - left - 32.0, &v);
            y += 5.2;
        }
        y += 3.0;
        p.line(left, y, right, y, 0.8, 0.0);
        let table_top = y;
        y += 4.8;
        for (x, id) in &cols[..6] {
            let label = if id.len() > 2 { tr.t(id).into_owned() } else { (*id).to_owned() };
            let width = if *x == 24.0 {
                70.0
            } else if *x == 157.0 {
                36.0
            } else {
                16.0
            };
            p.text_fit(Font::Bold, 8.5, *x + 1.0, y, width, &label);
        }
        y += 2.5;
        p.line(left, y, right, y, 0.5, 0.0);
        for e in chunk {
            y += 6.6;
            let grade = e.effective_grade.as_ref().or(e.grade.as_ref());
            let value = if sheet.state == SheetState::Closed { &e.effective } else { &e.value };
            p.text(Font::Regular, 9.0, 16.0, y - 1.8, &e.position.to_string());
            p.text_fit(Font::Regular, 9.0, 25.0, y - 1.8, 70.0, &e.name.full());
            p.text_fit(Font::Regular, 8.0, 97.0, y - 1.8, 26.0, &e.student_ticket);
            p.text(
                Font::Regular,
                9.0,
                125.0,
                y - 1.8,
                &value.attendance.map(|v| format!("{v} %")).unwrap_or_else(|| "—".into()),
            );
            p.text(Font::Bold, 9.5, 143.0, y - 1.8, &score_text(tr, value));
            p.text_fit(Font::Regular, 8.5, 158.0, y - 1.8, 36.0, &grade_text(tr, grade));
            if e.effective != e.value && sheet.state == SheetState::Closed {
                p.fill_rgb(0.5, 0.1, 0.1).text(
                    Font::Regular,
                    6.5,
                    143.0,
                    y + 0.9,
                    &format!("{} {}", tr.t("sheet-pdf-corrected"), score_text(tr, &e.value)),
                );
                p.fill_rgb(0.0, 0.0, 0.0);
            }
            p.line(left, y + 1.8, right, y + 1.8, 0.3, 0.6);
        }
        for (x, _) in &cols {
            p.line(*x, table_top, *x, y + 1.8, 0.3, 0.6);
        }
        if pi + 1 == pages {
            let total = sheet.entries.len();
            let graded = sheet.entries.iter().filter(|e| e.value.score.is_some()).count();
            let absent = sheet.entries.iter().filter(|e| e.value.absent).count();
            y += 9.0;
            p.text(
                Font::Regular,
                9.0,
                left,
                y,
                &tr.ta(
                    "sheet-pdf-summary",
                    &[
                        ("total", crate::i18n::num(total as f64)),
                        ("graded", crate::i18n::num(graded as f64)),
                        ("absent", crate::i18n::num(absent as f64)),
                    ],
                ),
            );
            y += 16.0;
            for who in ["sheet-pdf-teacher", "sheet-pdf-registrar"] {
                p.text(Font::Regular, 9.0, left, y, &tr.t(who));
                p.line(left + 55.0, y + 0.8, left + 115.0, y + 0.8, 0.5, 0.0);
                p.fill_rgb(0.4, 0.4, 0.4).text(Font::Regular, 6.5, left + 75.0, y + 4.0, &tr.t("sheet-pdf-signature"));
                p.fill_rgb(0.0, 0.0, 0.0);
                p.line(left + 125.0, y + 0.8, right, y + 0.8, 0.5, 0.0);
                p.fill_rgb(0.4, 0.4, 0.4).text(Font::Regular, 6.5, left + 140.0, y + 4.0, &tr.t("sheet-pdf-date"));
                p.fill_rgb(0.0, 0.0, 0.0);
                y += 14.0;
            }
        }
        let foot = if sheet.digest.is_empty() {
            tr.t("sheet-pdf-not-closed").into_owned()
        } else {
            format!("{} {}", tr.t("sheet-digest"), sheet.digest)
        };
        p.fill_rgb(0.4, 0.4, 0.4).text_fit(Font::Regular, 6.5, left, 287.0, 150.0, &foot);
        p.text(Font::Regular, 7.0, 180.0, 287.0, &format!("{} / {}", pi + 1, pages));
        p.finish();
    }
    doc.finish()
}

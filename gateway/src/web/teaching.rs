//! Teaching in the portal: an institution's teachers (recorded by its registrar), the
//! courses of approved curricula assigned to groups and teachers, and linking a person's
//! record to their account.

use std::collections::HashMap;

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use edu24_records::domain::*;
use edu24_records::grading::*;
use edu24_shared::auth::CallCtx;
use edu24_shared::error::ErrorCode;
use maud::{Markup, html};

use super::Shared;
use super::ctx::Ctx;
use super::layout::{page, respond};
use super::pages::{form_call, lookup_failed, new_csrf, private, service_error, session_call};
use super::params::pairs;
use super::students::{get, institution, problem, programme_label, programmes};
use crate::i18n::{Tr, text};

pub(crate) fn credits(tenths: i32) -> String {
    if tenths % 10 == 0 { (tenths / 10).to_string() } else { format!("{}.{}", tenths / 10, tenths % 10) }
}

pub(crate) fn teacher_label(tr: Tr<'_>, t: &Teacher) -> String {
    let mut s = t.name.full();
    if t.title != Title::None {
        s.push_str(&format!(", {}", tr.t(&format!("title-{}", t.title.as_str()))));
    }
    s
}

fn form_of(body: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str(body).unwrap_or_default()
}

// ---------------------------------------------------------------------------------
// Teachers.

async fn teachers_page(
    s: &Shared,
    ctx: &Ctx,
    c: &CallCtx,
    inst: &str,
    f: &[(String, String)],
    notice: Option<Markup>,
    status: StatusCode,
) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let list = match s.records.teachers(c, inst).await {
        Ok(l) => l,
        Err(e) => return service_error(tr, ctx, &e),
    };
    let code =
        s.catalogue.institution_get(&CallCtx::anonymous(), inst).await.map(|i| i.summary.code).unwrap_or_default();
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let title = tr.ta("teachers-title", &[("code", text(&code))]);
    let body = html! {
        h1 { (title) }
        ul.chips {
            li { a href={ (ctx.href("/admin/assignments")) "?institution=" (inst) } { (tr.t("assignments-title-short")) } }
            li { a href={ (ctx.href("/sheets")) "?institution=" (inst) } { (tr.t("sheets-title")) } }
        }
        @if let Some(n) = notice { (n) }
        div.table-wrap {
            table {
                caption.visually-hidden { (title) }
                thead { tr {
                    th scope="col" { (tr.t("col-teacher")) }
                    th scope="col" { (tr.t("teacher-department")) }
                    th scope="col" { (tr.t("teacher-degree")) }
                    th scope="col" { (tr.t("teacher-title")) }
                } }
                tbody {
                    @for t in &list {
                        tr {
                            td { a href=(ctx.href(&format!("/admin/persons/{}", t.person_id))) { (t.name.full()) } }
                            td { (t.department) }
                            td { @if t.degree != Degree::None { (tr.t(&format!("degree-{}", t.degree.as_str()))) } }
                            td { @if t.title != Title::None { (tr.t(&format!("title-{}", t.title.as_str()))) } }
                        }
                    }
                }
            }
        }
        @if list.is_empty() { p { (tr.t("teachers-none")) } }
        h2 { (tr.t("teacher-new")) }
        form.wide method="post" action=(ctx.href("/admin/teachers")) {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="institution" value=(inst);
            fieldset {
                legend { (tr.t("person-legend")) }
                div { label for="tp-pin" { (tr.t("col-pin")) } input #tp-pin name="pin" value=(get(f, "pin")) inputmode="numeric" maxlength="14" pattern="[12][0-9]{13}" autocomplete="off"; p.hint { (tr.t("person-pin-hint")) } }
                div { label for="tp-exception" { (tr.t("person-pin-exception")) } input #tp-exception name="pin_exception" value=(get(f, "pin_exception")) maxlength="200"; }
                div { label for="tp-family" { (tr.t("person-family")) } input #tp-family name="family" value=(get(f, "family")) required maxlength="100"; }
                div { label for="tp-given" { (tr.t("person-given")) } input #tp-given name="given" value=(get(f, "given")) required maxlength="100"; }
                div { label for="tp-patronymic" { (tr.t("person-patronymic")) } input #tp-patronymic name="patronymic" value=(get(f, "patronymic")) maxlength="100"; }
                div { label for="tp-birth" { (tr.t("person-birth-date")) } input #tp-birth type="date" name="birth_date" value=(get(f, "birth_date")) required; }
                div {
                    label for="tp-sex" { (tr.t("person-sex")) }
                    select #tp-sex name="sex" {
                        option value="" { (tr.t("person-sex-from-pin")) }
                        @for sx in Sex::ALL { option value=(sx.as_str()) selected[get(f, "sex") == sx.as_str()] { (tr.t(&format!("sex-{}", sx.as_str()))) } }
                    }
                }
            }
            fieldset {
                legend { (tr.t("teacher-post")) }
                div { label for="tp-dept" { (tr.t("teacher-department")) } input #tp-dept name="department" value=(get(f, "department")) required maxlength="200"; }
                div {
                    label for="tp-degree" { (tr.t("teacher-degree")) }
                    select #tp-degree name="degree" {
                        @for d in Degree::ALL { option value=(d.as_str()) selected[get(f, "degree") == d.as_str()] { (tr.t(&format!("degree-{}", d.as_str()))) } }
                    }
                }
                div {
                    label for="tp-title" { (tr.t("teacher-title")) }
                    select #tp-title name="title" {
                        @for t in Title::ALL { option value=(t.as_str()) selected[get(f, "title") == t.as_str()] { (tr.t(&format!("title-{}", t.as_str()))) } }
                    }
                }
            }
            p { button type="submit" { (tr.t("teacher-create")) } }
        }
    };
    private(s, ctx, &csrf, respond(status, page(tr, ctx, &title, body)))
}

/// `/admin/teachers`: the institution's teachers, and a new one.
pub async fn teachers(State(s): State<Shared>, ctx: Ctx, RawQuery(raw): RawQuery) -> Response {
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
    let notice = (get(&p, "done") == "1").then(|| html! { div.alert.ok role="status" { (tr.t("teacher-created")) } });
    teachers_page(&s, &ctx, &c, &inst, &[], notice, StatusCode::OK).await
}

pub async fn teacher_create(State(s): State<Shared>, ctx: Ctx, body: String) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let f = form_of(&body);
    let c = match form_call(&s, &ctx, get(&f, "csrf")).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let inst = get(&f, "institution").to_owned();
    let input = TeacherInput {
        person: PersonInput {
            pin: get(&f, "pin").to_owned(),
            pin_exception: get(&f, "pin_exception").to_owned(),
            name: PersonName {
                family: get(&f, "family").into(),
                given: get(&f, "given").into(),
                patronymic: get(&f, "patronymic").into(),
            },
            birth_date: get(&f, "birth_date").to_owned(),
            sex: get(&f, "sex").to_owned(),
            citizenship: String::new(),
            institution_id: inst.clone(),
            ..Default::default()
        },
        department: get(&f, "department").to_owned(),
        degree: get(&f, "degree").to_owned(),
        title: get(&f, "title").to_owned(),
    };
    match s.records.teacher_create(&c, &inst, input).await {
        Ok(_) => Redirect::to(&format!("{}?institution={inst}&done=1", ctx.href("/admin/teachers"))).into_response(),
        Err(e)
            if matches!(
                e.code,
                ErrorCode::InvalidArgument | ErrorCode::FailedPrecondition | ErrorCode::AlreadyExists
            ) =>
        {
            teachers_page(&s, &ctx, &c, &inst, &f, Some(problem(tr, &e)), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

// ---------------------------------------------------------------------------------
// Assignments.

#[allow(clippy::too_many_arguments)]
async fn assignments_page(
    s: &Shared,
    ctx: &Ctx,
    c: &CallCtx,
    inst: &str,
    staff: bool,
    f: &[(String, String)],
    notice: Option<Markup>,
    status: StatusCode,
) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let lang = ctx.lang.code();
    let (code, progs) = match programmes(s, inst).await {
        Ok(v) => v,
        Err(e) => return lookup_failed(tr, ctx, &e, "error-institution-not-found"),
    };
    let programme = get(f, "programme").to_owned();
    let intake: i32 = get(f, "intake").parse().unwrap_or(0);
    let q = AssignmentQuery {
        institution_id: inst.to_owned(),
        programme_id: Some(programme.clone()).filter(|p| !p.is_empty()),
        study_group: Some(get(f, "group").to_owned()).filter(|g| !g.is_empty()),
        ..Default::default()
    };
    let list = match s.records.assignments(c, &q).await {
        Ok(l) => l,
        Err(e) => return service_error(tr, ctx, &e),
    };
    let teachers = if staff { s.records.teachers(c, inst).await.unwrap_or_default() } else { vec![] };
    // The approved plan's courses, once a programme and intake are chosen.
    let plan = if staff && !programme.is_empty() && intake > 0 {
        s.curriculum.requirements(&CallCtx::anonymous(), &programme, intake, None).await.ok()
    } else {
        None
    };
    let names: HashMap<&str, String> =
        progs.iter().map(|p| (p.id.as_str(), format!("{} {}", p.specialty_code, p.specialty_name.get(lang)))).collect();
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let title = tr.ta("assignments-title", &[("code", text(&code))]);
    let this_year = today().year();
    let body = html! {
        h1 { (title) }
        @if staff {
            ul.chips {
                li { a href={ (ctx.href("/admin/teachers")) "?institution=" (inst) } { (tr.t("teachers-title-short")) } }
                li { a href={ (ctx.href("/sheets")) "?institution=" (inst) } { (tr.t("sheets-title")) } }
            }
        }
        @if let Some(n) = notice { (n) }
        form.filters.inline method="get" action=(ctx.href("/admin/assignments")) {
            input type="hidden" name="institution" value=(inst);
            div {
                label for="as-programme" { (tr.t("col-programme")) }
                select #as-programme name="programme" {
                    option value="" { (tr.t("filter-any")) }
                    @for p in &progs { option value=(p.id) selected[programme == p.id] { (programme_label(tr, lang, p)) } }
                }
            }
            div {
                label for="as-intake" { (tr.t("col-intake")) }
                select #as-intake name="intake" {
                    option value="" { (tr.t("filter-any")) }
                    @for y in (this_year - 6..=this_year).rev() { option value=(y) selected[intake == y] { (y) } }
                }
            }
            div { label for="as-group" { (tr.t("col-group")) } input #as-group name="group" value=(get(f, "group")) maxlength="24" size="8"; }
            button type="submit" { (tr.t("filter-apply")) }
        }
        div.table-wrap {
            table {
                caption.visually-hidden { (title) }
                thead { tr {
                    th scope="col" { (tr.t("col-course")) }
                    th scope="col" { (tr.t("col-programme")) }
                    th scope="col" { (tr.t("col-group")) }
                    th scope="col" { (tr.t("col-semester")) }
                    th scope="col" { (tr.t("col-credits")) }
                    th scope="col" { (tr.t("col-teacher")) }
                    th scope="col" { (tr.t("sheets-title")) }
                } }
                tbody {
                    @for a in &list {
                        tr {
                            td { code { (a.line_code) } " " (a.course.get(lang)) br; small.sub { (tr.t(&format!("assessment-{}", a.assessment))) } }
                            td { (names.get(a.programme_id.as_str()).cloned().unwrap_or_default()) " · " (a.intake_year) }
                            td { (a.study_group) }
                            td { (a.semester) " · " (a.academic_year()) }
                            td { (credits(a.credits_tenths)) }
                            td { (a.teacher_name.full()) }
                            td {
                                form.inline method="post" action=(ctx.href("/sheets/open")) {
                                    input type="hidden" name="csrf" value=(csrf);
                                    input type="hidden" name="assignment" value=(a.id);
                                    input type="hidden" name="kind" value="regular";
                                    button.secondary type="submit" { (tr.t("sheet-open-regular")) }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if list.is_empty() { p { (tr.t("assignments-none")) } }
        @if staff {
            h2 { (tr.t("assignment-new")) }
            @if programme.is_empty() || intake == 0 {
                p.hint { (tr.t("assignment-choose-plan")) }
            } @else if let Some(plan) = &plan {
                form.wide method="post" action=(ctx.href("/admin/assignments")) {
                    input type="hidden" name="csrf" value=(csrf);
                    input type="hidden" name="institution" value=(inst);
                    input type="hidden" name="programme" value=(programme);
                    input type="hidden" name="intake" value=(intake);
                    fieldset {
                        legend { (tr.ta("assignment-plan", &[("version", text(&plan.version.to_string())), ("document", text(&plan.standard_document_no))])) }
                        div {
                            label for="an-line" { (tr.t("col-course")) }
                            select #an-line name="line" required {
                                @for l in &plan.lines {
                                    @let v = format!("{}|{}", l.line.code, l.line.semester);
                                    option value=(v) selected[get(f, "line") == v] {
                                        (tr.ta("assignment-line", &[("semester", text(&l.line.semester.to_string())), ("code", text(&l.line.code)), ("course", text(l.line.name.get(lang))), ("credits", text(&credits(l.line.credits_tenths)))]))
                                    }
                                }
                            }
                        }
                        div { label for="an-group" { (tr.t("col-group")) } input #an-group name="study_group" value=(get(f, "study_group")) required maxlength="24"; }
                        div {
                            label for="an-teacher" { (tr.t("col-teacher")) }
                            select #an-teacher name="teacher" required {
                                @for t in &teachers { option value=(t.id) selected[get(f, "teacher") == t.id] { (teacher_label(tr, t)) " · " (t.department) } }
                            }
                            @if teachers.is_empty() { p.hint { a href={ (ctx.href("/admin/teachers")) "?institution=" (inst) } { (tr.t("teacher-new")) } } }
                        }
                    }
                    p { button type="submit" { (tr.t("assignment-create")) } }
                }
            } @else {
                div.alert.info role="status" { (tr.t("records-problem-curriculum_missing")) }
            }
        }
    };
    private(s, ctx, &csrf, respond(status, page(tr, ctx, &title, body)))
}

/// `/admin/assignments`: who teaches which course of the plan to which group.
pub async fn assignments(State(s): State<Shared>, ctx: Ctx, RawQuery(raw): RawQuery) -> Response {
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
    let notice =
        (get(&p, "done") == "1").then(|| html! { div.alert.ok role="status" { (tr.t("assignment-created")) } });
    assignments_page(&s, &ctx, &c, &inst, staff, &p, notice, StatusCode::OK).await
}

pub async fn assignment_create(State(s): State<Shared>, ctx: Ctx, body: String) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let f = form_of(&body);
    let c = match form_call(&s, &ctx, get(&f, "csrf")).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let inst = get(&f, "institution").to_owned();
    let (code, semester) = get(&f, "line").split_once('|').unwrap_or(("", ""));
    let input = AssignmentInput {
        institution_id: inst.clone(),
        programme_id: get(&f, "programme").to_owned(),
        intake_year: get(&f, "intake").parse().unwrap_or(0),
        line_code: code.to_owned(),
        semester: semester.parse().unwrap_or(0),
        study_group: get(&f, "study_group").to_owned(),
        teacher_id: get(&f, "teacher").to_owned(),
    };
    match s.records.assignment_create(&c, input).await {
        Ok(_) => Redirect::to(&format!(
            "{}?institution={inst}&programme={}&intake={}&done=1",
            ctx.href("/admin/assignments"),
            get(&f, "programme"),
            get(&f, "intake")
        ))
        .into_response(),
        Err(e)
            if matches!(
                e.code,
                ErrorCode::InvalidArgument | ErrorCode::FailedPrecondition | ErrorCode::AlreadyExists
            ) =>
        {
            assignments_page(&s, &ctx, &c, &inst, true, &f, Some(problem(tr, &e)), StatusCode::UNPROCESSABLE_ENTITY)
                .await
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

// ---------------------------------------------------------------------------------
// Accounts of persons.

/// `POST /admin/persons/{id}/account`: links the person to the account with this login.
pub async fn account_link(State(s): State<Shared>, ctx: Ctx, Path(id): Path<String>, body: String) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let f = form_of(&body);
    let c = match form_call(&s, &ctx, get(&f, "csrf")).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let login = get(&f, "login").to_lowercase();
    let inst = get(&f, "institution").to_owned();
    let back = |done: &str| {
        Redirect::to(&format!("{}?account={done}", ctx.href(&format!("/admin/persons/{id}")))).into_response()
    };
    let account = if login.is_empty() {
        None
    } else {
        match s.identity.account_search(&c, &login).await {
            Ok(found) => match found.into_iter().find(|a| a.login.to_lowercase() == login) {
                Some(a) => Some(a.id),
                None => return back("unknown"),
            },
            Err(e) => return service_error(tr, &ctx, &e),
        }
    };
    match s.records.account_link(&c, &inst, &id, account.as_deref()).await {
        Ok(()) => back(if account.is_some() { "linked" } else { "unlinked" }),
        Err(e) if e.reason.as_deref() == Some("account_taken") => back("taken"),
        Err(e) => service_error(tr, &ctx, &e),
    }
}

//! One's own security (password, sessions, who accessed the account) and account
//! administration (search, view, re-issue a password card, disable, end sessions,
//! roles). Every action is a plain form: it works without JavaScript.

use axum::Form;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use edu24_shared::auth::{Role, RoleGrant};
use edu24_shared::error::ErrorCode;
use maud::{Markup, html};
use serde::Deserialize;

use super::Shared;
use super::ctx::Ctx;
use super::layout::{error_page, page, respond};
use super::pages::{form_call, new_csrf, private, service_error, session_call};
use crate::i18n::Tr;

pub(crate) fn when(ms: i64) -> String {
    let t = edu24_shared::time::rfc3339(ms);
    format!("{} {} UTC", t.get(..10).unwrap_or(""), t.get(11..16).unwrap_or(""))
}

fn csrf_field(ctx: &Ctx) -> (String, Markup) {
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let field = html! { input type="hidden" name="csrf" value=(csrf); };
    (csrf, field)
}

fn notice(tr: Tr<'_>, raw: Option<&str>) -> Option<String> {
    let done = raw.and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("done=")))?;
    let id = match done {
        "password" => "done-password",
        "session" => "done-session",
        "disabled" => "done-disabled",
        "enabled" => "done-enabled",
        "sessions" => "done-sessions",
        "role" => "done-role",
        "email" => "done-email",
        _ => return None,
    };
    Some(tr.t(id).into_owned())
}

fn role_name(tr: Tr<'_>, r: Role) -> String {
    tr.t(&format!("role-{}", r.as_str())).into_owned()
}

// ---------------------------------------------------------------------------------
// Own password.

fn password_page(s: &Shared, ctx: &Ctx, status: StatusCode, forced: bool, error: Option<String>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let (csrf, field) = csrf_field(ctx);
    let body = html! {
        h1 { (tr.t("password-title")) }
        @if forced { div.alert.info role="status" { (tr.t("password-forced")) } }
        @if let Some(e) = &error { div.alert.error role="alert" { (e) } }
        form.stack method="post" action=(ctx.href("/me/password")) {
            (field)
            div {
                label for="current" { (tr.t("password-current")) }
                input #current type="password" name="current" required autocomplete="current-password" maxlength="128";
            }
            div {
                label for="new" { (tr.t("password-new")) }
                input #new type="password" name="new" required autocomplete="new-password" minlength="8" maxlength="128" aria-describedby="rules";
                p #rules.sub { (tr.t("password-rules")) }
            }
            div {
                label for="repeat" { (tr.t("password-repeat")) }
                input #repeat type="password" name="repeat" required autocomplete="new-password" maxlength="128";
            }
            button type="submit" { (tr.t("password-submit")) }
        }
    };
    private(s, ctx, &csrf, respond(status, page(tr, ctx, &tr.t("password-title"), body)))
}

pub async fn password_form(State(s): State<Shared>, ctx: Ctx) -> Response {
    let c = match session_call(&s, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let forced = s.identity.me(&c).await.map(|a| a.must_change_password).unwrap_or(false);
    password_page(&s, &ctx, StatusCode::OK, forced, None)
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    repeat: String,
}

pub async fn password_submit(State(s): State<Shared>, ctx: Ctx, Form(f): Form<PasswordForm>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match form_call(&s, &ctx, &f.csrf).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let forced = s.identity.me(&c).await.map(|a| a.must_change_password).unwrap_or(false);
    if f.new != f.repeat {
        return password_page(&s, &ctx, StatusCode::BAD_REQUEST, forced, Some(tr.t("password-mismatch").into_owned()));
    }
    match s.identity.password_change(&c, &f.current, &f.new).await {
        Ok(()) => Redirect::to(&ctx.href("/me/security?done=password")).into_response(),
        Err(e) if e.code == ErrorCode::InvalidArgument => {
            let id = match e.reason.as_deref() {
                Some("current_password_wrong") => "password-current-wrong",
                Some("password_too_short") => "password-too-short",
                Some("password_too_long") => "password-too-long",
                Some("password_contains_login") => "password-contains-login",
                Some("password_guessable") => "password-guessable",
                Some("password_same_as_before") => "password-same",
                _ => "password-rejected",
            };
            password_page(&s, &ctx, StatusCode::BAD_REQUEST, forced, Some(tr.t(id).into_owned()))
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

// ---------------------------------------------------------------------------------
// Own sessions and access log.

pub async fn security(State(s): State<Shared>, ctx: Ctx, RawQuery(raw): RawQuery) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match session_call(&s, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let (sessions, log, me) =
        match tokio::try_join!(s.identity.sessions_list(&c, None), s.identity.my_access_log(&c, 50), s.identity.me(&c))
        {
            Ok(v) => v,
            Err(e) => return service_error(tr, &ctx, &e),
        };
    let (csrf, field) = csrf_field(&ctx);
    let body = html! {
        h1 { (tr.t("security-title")) }
        @if let Some(n) = notice(tr, raw.as_deref()) { div.alert.info role="status" { (n) } }
        h2 { (tr.t("sessions-title")) }
        p.sub { (tr.t("sessions-lead")) }
        div.table-wrap {
            table {
                thead { tr {
                    th scope="col" { (tr.t("sessions-device")) }
                    th scope="col" { (tr.t("sessions-address")) }
                    th scope="col" { (tr.t("sessions-started")) }
                    th scope="col" { (tr.t("sessions-seen")) }
                    th scope="col" { span.visually-hidden { (tr.t("sessions-action")) } }
                } }
                tbody {
                    @for ses in &sessions {
                        tr {
                            td { (ses.user_agent.chars().take(80).collect::<String>()) }
                            td { (ses.client_address) }
                            td { (when(ses.created_at_ms)) }
                            td { (when(ses.last_seen_at_ms)) }
                            td {
                                @if ses.current {
                                    span.badge.ok { (tr.t("sessions-this")) }
                                } @else {
                                    form method="post" action=(ctx.href("/me/sessions/end")) {
                                        (field)
                                        input type="hidden" name="session_id" value=(ses.id);
                                        button.secondary type="submit" { (tr.t("sessions-end")) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 { (tr.t("email-title")) }
        p.sub { (tr.t("email-lead")) }
        @if let Some(e) = &me.email {
            p { code { (e) } " " @if me.email_verified { span.badge.ok { (tr.t("email-confirmed")) } } @else { span.badge.warn { (tr.t("email-unconfirmed")) } } }
        }
        form.stack method="post" action=(ctx.href("/me/email")) {
            (field)
            div { label for="email" { (tr.t("email-address")) } input #email type="email" name="email" required maxlength="254" autocomplete="email"; }
            button.secondary type="submit" { (tr.t("email-save")) }
        }
        h2 { (tr.t("access-title")) }
        p.sub { (tr.t("access-lead")) }
        @if log.is_empty() {
            p { (tr.t("access-none")) }
        } @else {
            div.table-wrap {
                table {
                    thead { tr {
                        th scope="col" { (tr.t("access-when")) }
                        th scope="col" { (tr.t("access-who")) }
                        th scope="col" { (tr.t("access-what")) }
                        th scope="col" { (tr.t("sessions-address")) }
                    } }
                    tbody {
                        @for e in &log {
                            tr {
                                td { (when(e.at_ms)) }
                                td { (e.actor) }
                                td {
                                    @let id = format!("audit-{}", e.action.replace('.', "-"));
                                    @if tr.has(&id) { (tr.t(&id)) } @else { (tr.t("audit-other")) " (" code { (e.action) } ")" }
                                }
                                td { (e.client_address) }
                            }
                        }
                    }
                }
            }
        }
    };
    private(&s, &ctx, &csrf, respond(StatusCode::OK, page(tr, &ctx, &tr.t("security-title"), body)))
}

#[derive(Deserialize)]
pub struct SessionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    session_id: String,
}

pub async fn session_end(State(s): State<Shared>, ctx: Ctx, Form(f): Form<SessionForm>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match form_call(&s, &ctx, &f.csrf).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match s.identity.session_end(&c, &f.session_id).await {
        Ok(()) => Redirect::to(&ctx.href("/me/security?done=session")).into_response(),
        Err(e) => service_error(tr, &ctx, &e),
    }
}

// ---------------------------------------------------------------------------------
// Administration.

fn query_text(raw: Option<&str>) -> String {
    super::params::pairs(raw)
        .ok()
        .and_then(|p| p.into_iter().rev().find(|(k, _)| k == "q").map(|(_, v)| v.trim().to_owned()))
        .unwrap_or_default()
}

pub async fn accounts(State(s): State<Shared>, ctx: Ctx, RawQuery(raw): RawQuery) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match session_call(&s, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let q = query_text(raw.as_deref());
    let me = match s.identity.me(&c).await {
        Ok(m) => m,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let mine: Vec<RoleGrant> =
        me.roles.iter().map(|r| RoleGrant { role: r.role, inst: r.institution_id.clone() }).collect();
    let ministry = mine.iter().any(|g| g.role == Role::MinistryAdmin && g.inst.is_none());
    // The roles the caller may give a new account, and where.
    let roles: Vec<Role> = Role::ALL
        .into_iter()
        .filter(|r| !matches!(r, Role::Employer | Role::Applicant | Role::Graduate))
        .filter(|r| match r.scope_kind() {
            edu24_shared::auth::ScopeKind::Ministry => edu24_identity::authority::may_assign(&mine, *r, None),
            _ => {
                ministry
                    || mine.iter().any(|g| {
                        g.inst.as_deref().is_some_and(|i| edu24_identity::authority::may_assign(&mine, *r, Some(i)))
                    })
            }
        })
        .collect();
    let lang = ctx.lang.code();
    let institutions: Vec<(String, String)> = if ministry {
        let query = edu24_catalogue::domain::InstitutionQuery {
            page: 1,
            per_page: 100,
            sort_language: lang.into(),
            ..Default::default()
        };
        match s.catalogue.institution_search(&super::pages::call(&ctx), &query).await {
            Ok(p) => p.items.into_iter().map(|i| (i.id, i.name.get(lang).to_owned())).collect(),
            Err(e) => return service_error(tr, &ctx, &e),
        }
    } else {
        me.roles
            .iter()
            .filter(|r| matches!(r.role, Role::InstitutionAdmin | Role::Registrar))
            .filter_map(|r| {
                r.institution_id.clone().map(|id| {
                    let name = r.institution_name.as_ref().map(|n| match lang {
                        "ky" => n.ky.clone(),
                        "ru" => n.ru.clone(),
                        _ => n.en.clone(),
                    });
                    (id.clone(), name.unwrap_or(id))
                })
            })
            .collect()
    };
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let found = if q.is_empty() {
        None
    } else {
        match s.identity.account_search(&c, &q).await {
            Ok(f) => Some(Ok(f)),
            Err(e) if e.code == ErrorCode::InvalidArgument => Some(Err(tr.t("accounts-query-short").into_owned())),
            Err(e) => return service_error(tr, &ctx, &e),
        }
    };
    let body = html! {
        h1 { (tr.t("accounts-title")) }
        form.searchbar method="get" action=(ctx.href("/admin/accounts")) role="search" {
            label.visually-hidden for="acc-q" { (tr.t("accounts-search")) }
            input #acc-q type="search" name="q" value=(q) placeholder=(tr.t("accounts-search")) maxlength="100" autofocus;
            button type="submit" { (tr.t("search-button")) }
        }
        @match &found {
            None => p.sub { (tr.t("accounts-lead")) },
            Some(Err(msg)) => div.alert.error role="alert" { (msg) },
            Some(Ok(list)) if list.is_empty() => div.alert.info { (tr.t("accounts-none")) },
            Some(Ok(list)) => ul.cards {
                @for a in list {
                    li.card {
                        h3 { a href=(ctx.href(&format!("/admin/accounts/{}", a.id))) { (a.display_name) } }
                        div.meta {
                            span { code { (a.login) } }
                            @for r in &a.roles {
                                span {
                                    (role_name(tr, r.role))
                                    @if let Some(n) = &r.institution_name { " · " (match lang { "ky" => &n.ky, "ru" => &n.ru, _ => &n.en }) }
                                }
                            }
                            @if a.disabled { span.badge.bad { (tr.t("account-disabled")) } }
                        }
                    }
                }
            },
        }
    };
    let create = html! {
        @if !roles.is_empty() && !institutions.is_empty() {
            section.card {
                h2 { (tr.t("account-new-title")) }
                p.sub { (tr.t("account-new-lead")) }
                form.stack method="post" action=(ctx.href("/admin/accounts/new")) {
                    input type="hidden" name="csrf" value=(csrf);
                    div { label for="new-login" { (tr.t("me-login")) } input #new-login type="text" name="login" required maxlength="64" autocapitalize="none" spellcheck="false"; }
                    div { label for="new-name" { (tr.t("account-new-name")) } input #new-name type="text" name="display_name" required maxlength="200"; }
                    div {
                        label for="new-role" { (tr.t("role-grant-role")) }
                        select #new-role name="role" required { @for r in &roles { option value=(r.as_str()) { (role_name(tr, *r)) } } }
                    }
                    div {
                        label for="new-inst" { (tr.t("issuance-institution")) }
                        select #new-inst name="institution_id" { @for (id, name) in &institutions { option value=(id) { (name) } } }
                    }
                    (reason_fields(tr, "new"))
                    button type="submit" { (tr.t("account-new-submit")) }
                }
            }
        }
    };
    let body = html! { (body) (create) };
    let r = respond(StatusCode::OK, page(tr, &ctx, &tr.t("accounts-title"), body));
    private(&s, &ctx, &csrf, r)
}

#[derive(Deserialize)]
pub struct NewAccountForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    institution_id: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    note: String,
}

pub async fn account_new(State(s): State<Shared>, ctx: Ctx, Form(f): Form<NewAccountForm>) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match form_call(&s, &ctx, &f.csrf).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let Some(role) = Role::parse(&f.role) else {
        return error_page(tr, &ctx, StatusCode::BAD_REQUEST, "error-bad-request", &tr.t("role-invalid"));
    };
    let inst = match role.scope_kind() {
        edu24_shared::auth::ScopeKind::Institution => Some(f.institution_id.clone()),
        _ => None,
    };
    let reason =
        if f.note.trim().is_empty() { f.reason.clone() } else { format!("{}: {}", f.reason.trim(), f.note.trim()) };
    match s.identity.account_issue(&c, &f.login, &f.display_name, RoleGrant { role, inst }, &reason).await {
        Ok(doc) => super::layout::pdf_download(doc),
        Err(e) if e.code == ErrorCode::AlreadyExists => {
            error_page(tr, &ctx, StatusCode::CONFLICT, "error-bad-request", &tr.t("roster-login-taken"))
        }
        Err(e) if e.code == ErrorCode::InvalidArgument => {
            let id = match e.field.as_deref() {
                Some("login") => "account-new-login-invalid",
                Some("display_name") => "account-new-name-invalid",
                Some("reason") => "reason-missing",
                _ => "role-invalid",
            };
            error_page(tr, &ctx, StatusCode::BAD_REQUEST, "error-bad-request", &tr.t(id))
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

const REASONS: &[&str] = &["reason-lost-card", "reason-forgot", "reason-compromised", "reason-left", "reason-other"];

fn reason_fields(tr: Tr<'_>, id: &str) -> Markup {
    html! {
        div {
            label for=(format!("{id}-reason")) { (tr.t("reason-label")) }
            select id=(format!("{id}-reason")) name="reason" required {
                @for r in REASONS { option value=(tr.t(r)) { (tr.t(r)) } }
            }
        }
        div {
            label for=(format!("{id}-note")) { (tr.t("reason-note")) }
            input id=(format!("{id}-note")) type="text" name="note" maxlength="300";
        }
    }
}

pub async fn account(State(s): State<Shared>, ctx: Ctx, Path(id): Path<String>, RawQuery(raw): RawQuery) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match session_call(&s, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    if id.len() > 64 {
        return error_page(tr, &ctx, StatusCode::NOT_FOUND, "error-not-found", &tr.t("error-account-not-found"));
    }
    let (d, me) = match tokio::try_join!(s.identity.account_get(&c, &id), s.identity.me(&c)) {
        Ok(v) => v,
        Err(e) if e.code == ErrorCode::NotFound => {
            return error_page(tr, &ctx, StatusCode::NOT_FOUND, "error-not-found", &tr.t("error-account-not-found"));
        }
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let lang = ctx.lang.code();
    let mine: Vec<RoleGrant> =
        me.roles.iter().map(|r| RoleGrant { role: r.role, inst: r.institution_id.clone() }).collect();
    // Roles the caller may grant, at the institutions the caller works for.
    let mut grantable: Vec<(Role, Option<String>, String)> = Vec::new();
    for r in &me.roles {
        for role in [Role::InstitutionAdmin, Role::Registrar, Role::Teacher, Role::Student, Role::Graduate] {
            if let Some(inst) = &r.institution_id
                && edu24_identity::authority::may_assign(&mine, role, Some(inst))
                && !grantable.iter().any(|g| g.0 == role && g.1.as_deref() == Some(inst))
            {
                let name = r
                    .institution_name
                    .as_ref()
                    .map(|n| match lang {
                        "ky" => n.ky.clone(),
                        "ru" => n.ru.clone(),
                        _ => n.en.clone(),
                    })
                    .unwrap_or_default();
                grantable.push((role, Some(inst.clone()), name));
            }
        }
    }
    let (csrf, field) = csrf_field(&ctx);
    let a = &d.summary;
    let body = html! {
        p { a href=(ctx.href("/admin/accounts")) { "← " (tr.t("accounts-title")) } }
        h1 { (a.display_name) }
        @if let Some(n) = notice(tr, raw.as_deref()) { div.alert.info role="status" { (n) } }
        dl.facts {
            dt { (tr.t("me-login")) } dd { code { (a.login) } }
            dt { (tr.t("fact-status")) } dd {
                @if a.disabled { span.badge.bad { (tr.t("account-disabled")) } } @else { span.badge.ok { (tr.t("account-active")) } }
                @if d.must_change_password { " " span.badge.warn { (tr.t("account-one-time")) } }
            }
            @if let Some(t) = &d.ticket_no { dt { (tr.t("account-ticket")) } dd { (t) } }
            @if let Some(p) = &d.programme { dt { (tr.t("account-programme")) } dd { (p) @if let Some(y) = d.study_year { ", " (tr.ta("account-year", &[("year", crate::i18n::num(y as f64))])) } } }
            dt { (tr.t("me-since")) } dd { (when(d.created_at_ms)) }
            dt { (tr.t("sessions-title")) } dd { (d.sessions.len()) }
        }
        h2 { (tr.t("me-roles")) }
        ul.cards {
            @for r in &a.roles {
                li.card {
                    h3 { (role_name(tr, r.role)) }
                    div.meta { @if let Some(n) = &r.institution_name { (match lang { "ky" => &n.ky, "ru" => &n.ru, _ => &n.en }) } }
                }
            }
        }
        div.actions {
            section.card {
                h2 #card { (tr.t("reissue-title")) }
                p.sub { (tr.t("reissue-lead")) }
                form.stack method="post" action=(ctx.href(&format!("/admin/accounts/{}/card", a.id))) {
                    (field) (reason_fields(tr, "card"))
                    button type="submit" { (tr.t("reissue-submit")) }
                }
            }
            section.card {
                h2 { @if a.disabled { (tr.t("enable-title")) } @else { (tr.t("disable-title")) } }
                form.stack method="post" action=(ctx.href(&format!("/admin/accounts/{}/status", a.id))) {
                    (field) (reason_fields(tr, "status"))
                    input type="hidden" name="disabled" value=(if a.disabled { "false" } else { "true" });
                    button.secondary type="submit" { @if a.disabled { (tr.t("enable-submit")) } @else { (tr.t("disable-submit")) } }
                }
            }
            @if !d.sessions.is_empty() {
                section.card {
                    h2 { (tr.t("end-sessions-title")) }
                    form.stack method="post" action=(ctx.href(&format!("/admin/accounts/{}/sessions/end", a.id))) {
                        (field) (reason_fields(tr, "sessions"))
                        button.secondary type="submit" { (tr.ta("end-sessions-submit", &[("count", crate::i18n::num(d.sessions.len() as f64))])) }
                    }
                }
            }
            @if !grantable.is_empty() {
                section.card {
                    h2 { (tr.t("role-grant-title")) }
                    form.stack method="post" action=(ctx.href(&format!("/admin/accounts/{}/roles", a.id))) {
                        (field)
                        div {
                            label for="grant-role" { (tr.t("role-grant-role")) }
                            select #grant-role name="role_scope" required {
                                @for (role, inst, name) in &grantable {
                                    option value={ (role.as_str()) "|" (inst.clone().unwrap_or_default()) } { (role_name(tr, *role)) " · " (name) }
                                }
                            }
                        }
                        (reason_fields(tr, "role"))
                        input type="hidden" name="grant" value="true";
                        button.secondary type="submit" { (tr.t("role-grant-submit")) }
                    }
                }
            }
        }
    };
    private(&s, &ctx, &csrf, respond(StatusCode::OK, page(tr, &ctx, &a.display_name, body)))
}

#[derive(Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    disabled: String,
    #[serde(default)]
    role_scope: String,
    #[serde(default)]
    grant: String,
}

impl ReasonForm {
    fn reason(&self) -> String {
        let note = self.note.trim();
        if note.is_empty() { self.reason.trim().to_owned() } else { format!("{}: {}", self.reason.trim(), note) }
    }
}

async fn admin_action<F, Fut>(s: &Shared, ctx: &Ctx, f: &ReasonForm, id: &str, done: &str, act: F) -> Response
where
    F: FnOnce(edu24_shared::auth::CallCtx) -> Fut,
    Fut: std::future::Future<Output = edu24_shared::error::ApiResult<()>>,
{
    let tr = s.i18n.tr(ctx.lang);
    let c = match form_call(s, ctx, &f.csrf).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match act(c).await {
        Ok(()) => Redirect::to(&ctx.href(&format!("/admin/accounts/{id}?done={done}"))).into_response(),
        Err(e) if e.code == ErrorCode::InvalidArgument => {
            error_page(tr, ctx, StatusCode::BAD_REQUEST, "error-bad-request", &tr.t("reason-missing"))
        }
        Err(e) => service_error(tr, ctx, &e),
    }
}

pub async fn account_card(
    State(s): State<Shared>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<ReasonForm>,
) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match form_call(&s, &ctx, &f.csrf).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match s.identity.password_reissue_card(&c, &id, &f.reason()).await {
        Ok(doc) => super::layout::pdf_download(doc),
        Err(e) if e.code == ErrorCode::InvalidArgument => {
            error_page(tr, &ctx, StatusCode::BAD_REQUEST, "error-bad-request", &tr.t("reason-missing"))
        }
        Err(e) if e.code == ErrorCode::NotFound => {
            error_page(tr, &ctx, StatusCode::NOT_FOUND, "error-not-found", &tr.t("error-account-not-found"))
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

pub async fn account_status(
    State(s): State<Shared>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<ReasonForm>,
) -> Response {
    let disabled = f.disabled == "true";
    let done = if disabled { "disabled" } else { "enabled" };
    let identity = s.identity.clone();
    let reason = f.reason();
    let target = id.clone();
    admin_action(&s, &ctx, &f, &id, done, |c| async move {
        identity.account_set_disabled(&c, &target, disabled, &reason).await
    })
    .await
}

pub async fn account_sessions_end(
    State(s): State<Shared>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<ReasonForm>,
) -> Response {
    let identity = s.identity.clone();
    let reason = f.reason();
    let target = id.clone();
    admin_action(&s, &ctx, &f, &id, "sessions", |c| async move {
        identity.sessions_end_all(&c, &target, &reason).await.map(|_| ())
    })
    .await
}

pub async fn account_roles(
    State(s): State<Shared>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<ReasonForm>,
) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let Some((role, inst)) = f.role_scope.split_once('|') else {
        return error_page(tr, &ctx, StatusCode::BAD_REQUEST, "error-bad-request", &tr.t("role-invalid"));
    };
    let Some(role) = Role::parse(role) else {
        return error_page(tr, &ctx, StatusCode::BAD_REQUEST, "error-bad-request", &tr.t("role-invalid"));
    };
    let grant = RoleGrant { role, inst: (!inst.is_empty()).then(|| inst.to_owned()) };
    let add = f.grant != "false";
    let identity = s.identity.clone();
    let reason = f.reason();
    let target = id.clone();
    admin_action(
        &s,
        &ctx,
        &f,
        &id,
        "role",
        |c| async move { identity.role_change(&c, &target, grant, add, &reason).await },
    )
    .await
}

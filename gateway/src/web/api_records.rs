//! REST API of records (`/api/v1/records/...`): the student body, results and sheets as
//! JSON for the people who may see them. A caller authenticates with
//! `Authorization: Bearer <access token>` (from `POST /api/v1/session/token`, which
//! turns a portal session into a short-lived token) or with the portal's session cookie.
//! The records service authorizes every call itself.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use edu24_records::domain::*;
use edu24_records::grading::*;
use edu24_shared::auth::CallCtx;
use edu24_shared::error::ApiError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Shared;
use super::api::{Problem, problem};
use super::ctx::{Ctx, SESSION_COOKIE, cookie};

fn from_api(e: ApiError) -> Response {
    let title = match e.code {
        edu24_shared::error::ErrorCode::NotFound => "Not found",
        edu24_shared::error::ErrorCode::InvalidArgument => "Invalid request",
        edu24_shared::error::ErrorCode::Unauthenticated => "Authentication required",
        edu24_shared::error::ErrorCode::PermissionDenied => "Not allowed",
        edu24_shared::error::ErrorCode::FailedPrecondition => "Not possible now",
        _ => "Internal error",
    };
    let detail = match &e.reason {
        Some(r) => format!("{} ({r})", e.message),
        None => e.message.clone(),
    };
    problem(e.code.http_status(), e.code.as_str(), title, &detail, e.field.as_deref())
}

fn private<T: Serialize>(v: &T) -> Response {
    let mut r = Json(v).into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    r
}

/// The caller: a bearer token, else the portal session turned into one.
async fn caller(s: &Shared, headers: &HeaderMap, ctx: &Ctx) -> Result<CallCtx, Response> {
    if let Some(auth) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        let Some(token) = auth.strip_prefix("Bearer ").map(str::trim).filter(|t| !t.is_empty() && t.len() < 4096)
        else {
            return Err(problem(
                401,
                "unauthenticated",
                "Authentication required",
                "use Authorization: Bearer <token>",
                None,
            ));
        };
        return Ok(CallCtx {
            token: Some(token.to_owned()),
            traceparent: None,
            client_addr: Some(ctx.client_addr.clone()),
        });
    }
    let Some(secret) = cookie(headers, SESSION_COOKIE) else {
        return Err(problem(401, "unauthenticated", "Authentication required", "log in, or send a bearer token", None));
    };
    match s.identity.session_token(&CallCtx::anonymous(), secret).await {
        Ok(t) => Ok(CallCtx { token: Some(t.token), traceparent: None, client_addr: Some(ctx.client_addr.clone()) }),
        Err(e) => Err(from_api(e)),
    }
}

fn param(raw: Option<&str>, key: &str) -> String {
    super::params::pairs(raw)
        .ok()
        .and_then(|p| p.into_iter().rev().find(|(k, _)| k == key).map(|(_, v)| v))
        .unwrap_or_default()
}

fn number(raw: Option<&str>, key: &str, default: u32, max: u32) -> Result<u32, Box<Response>> {
    let v = param(raw, key);
    if v.is_empty() {
        return Ok(default);
    }
    match v.parse::<u32>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(Box::new(problem(
            400,
            "invalid_argument",
            "Invalid query parameter",
            &format!("{key} is a number from 1 to {max}"),
            Some(key),
        ))),
    }
}

/// An access token for the API.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionToken {
    pub token: String,
    pub expires_at_ms: i64,
}

#[utoipa::path(post, path = "/api/v1/session/token", tag = "records",
    responses(
        (status = 200, description = "A short-lived access token of the portal session (its cookie)", body = SessionToken),
        (status = 401, description = "No session", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn session_token(State(s): State<Shared>, headers: HeaderMap) -> Response {
    let Some(secret) = cookie(&headers, SESSION_COOKIE) else {
        return problem(401, "unauthenticated", "Authentication required", "log in first", None);
    };
    match s.identity.session_token(&CallCtx::anonymous(), secret).await {
        Ok(t) => private(&SessionToken { token: t.token, expires_at_ms: t.expires_at_ms }),
        Err(e) => from_api(e),
    }
}

#[utoipa::path(get, path = "/api/v1/records/institutions/{id}/students", tag = "records",
    params(
        ("id" = String, Path, description = "Institution id"),
        ("q" = Option<String>, Query, description = "PIN, student ticket, or the start of a family name"),
        ("programme" = Option<String>, Query, description = "Programme id"),
        ("group" = Option<String>, Query, description = "Study group"),
        ("status" = Option<String>, Query, description = "active, academic_leave, expelled, graduated or transferred_out"),
        ("page" = Option<u32>, Query, description = "Page, from 1"),
        ("per_page" = Option<u32>, Query, description = "1 to 200 (default 50)"),
    ),
    responses(
        (status = 200, description = "A page of students", body = Page<StudentRow>),
        (status = 403, description = "Not the institution's staff nor the ministry", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn students(
    State(s): State<Shared>,
    headers: HeaderMap,
    ctx: Ctx,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let c = match caller(&s, &headers, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let raw = raw.as_deref();
    let (page, per_page) = match (number(raw, "page", 1, 100_000), number(raw, "per_page", 50, MAX_PER_PAGE)) {
        (Ok(p), Ok(n)) => (p, n),
        (Err(r), _) | (_, Err(r)) => return *r,
    };
    let status = param(raw, "status");
    let q = StudentQuery {
        institution_id: id,
        query: param(raw, "q"),
        programme_id: Some(param(raw, "programme")).filter(|v| !v.is_empty()),
        study_group: Some(param(raw, "group")).filter(|v| !v.is_empty()),
        status: match status.as_str() {
            "" => None,
            st => match EnrolmentStatus::parse(st) {
                Some(x) => Some(x),
                None => {
                    return problem(
                        400,
                        "invalid_argument",
                        "Invalid query parameter",
                        "unknown status",
                        Some("status"),
                    );
                }
            },
        },
        page,
        per_page,
    };
    match s.records.students(&c, &q).await {
        Ok(p) => private(&p),
        Err(e) => from_api(e),
    }
}

#[utoipa::path(get, path = "/api/v1/records/persons/{id}", tag = "records",
    params(("id" = String, Path, description = "Person id")),
    responses(
        (status = 200, description = "The person with enrolments and orders", body = PersonFile),
        (status = 404, description = "No such person that the caller may see", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn person(State(s): State<Shared>, headers: HeaderMap, ctx: Ctx, Path(id): Path<String>) -> Response {
    let c = match caller(&s, &headers, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    if id.len() > 64 {
        return problem(404, "not_found", "Not found", "person not found", None);
    }
    match s.records.person_get(&c, &id).await {
        Ok(p) => private(&p),
        Err(e) => from_api(e),
    }
}

#[utoipa::path(get, path = "/api/v1/records/enrolments/{id}/grades", tag = "records",
    params(("id" = String, Path, description = "Enrolment id"), ("semester" = u32, Query, description = "1 to 16")),
    responses(
        (status = 200, description = "The results of one semester", body = Vec<TranscriptLine>),
        (status = 404, description = "No such enrolment that the caller may see", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn term_grades(
    State(s): State<Shared>,
    headers: HeaderMap,
    ctx: Ctx,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let c = match caller(&s, &headers, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let semester = match number(raw.as_deref(), "semester", 0, 16) {
        Ok(0) => {
            return problem(
                400,
                "invalid_argument",
                "Invalid query parameter",
                "semester is required (1 to 16)",
                Some("semester"),
            );
        }
        Ok(n) => n as i32,
        Err(r) => return *r,
    };
    match s.records.term_grades(&c, &id, semester).await {
        Ok(v) => private(&v),
        Err(e) => from_api(e),
    }
}

#[utoipa::path(get, path = "/api/v1/records/enrolments/{id}/transcript", tag = "records",
    params(("id" = String, Path, description = "Enrolment id")),
    responses(
        (status = 200, description = "Every result, credits and the GPA", body = Transcript),
        (status = 404, description = "No such enrolment that the caller may see", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn transcript(State(s): State<Shared>, headers: HeaderMap, ctx: Ctx, Path(id): Path<String>) -> Response {
    let c = match caller(&s, &headers, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match s.records.transcript(&c, &id).await {
        Ok(v) => private(&v),
        Err(e) => from_api(e),
    }
}

#[utoipa::path(get, path = "/api/v1/records/institutions/{id}/ranking", tag = "records",
    params(
        ("id" = String, Path, description = "Institution id"),
        ("programme" = Option<String>, Query, description = "Programme id"),
        ("page" = Option<u32>, Query, description = "Page, from 1"),
        ("per_page" = Option<u32>, Query, description = "1 to 200 (default 50)"),
    ),
    responses(
        (status = 200, description = "Students studying now, by GPA", body = Page<RankRow>),
        (status = 403, description = "Not the institution's staff nor the ministry", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn ranking(
    State(s): State<Shared>,
    headers: HeaderMap,
    ctx: Ctx,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let c = match caller(&s, &headers, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let raw = raw.as_deref();
    let (page, per_page) = match (number(raw, "page", 1, 100_000), number(raw, "per_page", 50, MAX_PER_PAGE)) {
        (Ok(p), Ok(n)) => (p, n),
        (Err(r), _) | (_, Err(r)) => return *r,
    };
    let q = RankQuery {
        institution_id: id,
        programme_id: Some(param(raw, "programme")).filter(|v| !v.is_empty()),
        page,
        per_page,
    };
    match s.records.ranking(&c, &q).await {
        Ok(v) => private(&v),
        Err(e) => from_api(e),
    }
}

#[utoipa::path(get, path = "/api/v1/records/sheets/{id}", tag = "records",
    params(("id" = String, Path, description = "Sheet id")),
    responses(
        (status = 200, description = "The sheet with its entries and corrections", body = Sheet),
        (status = 404, description = "No such sheet that the caller may see", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn sheet(State(s): State<Shared>, headers: HeaderMap, ctx: Ctx, Path(id): Path<String>) -> Response {
    let c = match caller(&s, &headers, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match s.records.sheet_get(&c, &id).await {
        Ok(v) => private(&v),
        Err(e) => from_api(e),
    }
}

/// Closing a submitted sheet.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CloseSheet {
    /// The version the caller saw.
    pub version: i64,
    /// The registrar has checked the scores without attendance.
    #[serde(default)]
    pub confirm_flags: bool,
}

#[utoipa::path(post, path = "/api/v1/records/sheets/{id}/close", tag = "records",
    params(("id" = String, Path, description = "Sheet id")),
    request_body = CloseSheet,
    responses(
        (status = 200, description = "The closed sheet", body = Sheet),
        (status = 400, description = "A body that is not {version, confirm_flags}", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No bearer token (a cookie alone does not do for a change)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not possible now: not submitted, changed since, or scores without attendance not confirmed (reason in the detail)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn sheet_close(
    State(s): State<Shared>,
    headers: HeaderMap,
    ctx: Ctx,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    // A change needs the token itself: a cookie alone would let another site's form post it.
    if !headers.contains_key(header::AUTHORIZATION) {
        return problem(
            401,
            "unauthenticated",
            "Authentication required",
            "send Authorization: Bearer <token> (POST /api/v1/session/token gives one)",
            None,
        );
    }
    let c = match caller(&s, &headers, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let Ok(input) = serde_json::from_slice::<CloseSheet>(&body) else {
        return problem(
            400,
            "invalid_argument",
            "Invalid request",
            "send {\"version\": n, \"confirm_flags\": bool}",
            None,
        );
    };
    match s.records.sheet_close(&c, &id, input.version, input.confirm_flags).await {
        Ok(v) => private(&v),
        Err(e) => from_api(e),
    }
}

pub fn router() -> axum::Router<Shared> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/session/token", post(session_token))
        .route("/records/institutions/{id}/students", get(students))
        .route("/records/institutions/{id}/ranking", get(ranking))
        .route("/records/persons/{id}", get(person))
        .route("/records/enrolments/{id}/grades", get(term_grades))
        .route("/records/enrolments/{id}/transcript", get(transcript))
        .route("/records/sheets/{id}", get(sheet))
        .route("/records/sheets/{id}/close", post(sheet_close))
}

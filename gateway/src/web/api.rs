//! REST API `/api/v1`: the public catalogue as JSON (and records for those who may see
//! them, `api_records`), described by an OpenAPI document
//! generated from these handlers; errors as `application/problem+json`.

use axum::Json;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use edu24_catalogue::domain::*;
use edu24_curriculum::domain::{
    Assessment, BlockKind, Compliance, Component, CurriculumDetail, CurriculumSummary, Finding, INTAKE_YEARS, Line,
    NationalCourse, RequiredLine, Requirements, Severity, Standard, StandardBlock, StandardCourse, Status,
};
use edu24_shared::auth::CallCtx;
use edu24_shared::error::{ApiError, ErrorCode};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use super::Shared;
use super::params::{ParamError, programme_query, search_query};

/// RFC 9457 problem details.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable error code, e.g. `invalid_argument`, `not_found`.
    pub code: String,
    /// The query parameter or field at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
}

pub fn problem(status: u16, code: &str, title: &str, detail: &str, parameter: Option<&str>) -> Response {
    let body = Problem {
        kind: format!("/api/v1/problems/{code}"),
        title: title.to_owned(),
        status,
        detail: detail.to_owned(),
        code: code.to_owned(),
        parameter: parameter.map(str::to_owned),
    };
    let mut r = (StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), Json(body)).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn from_param(e: ParamError) -> Response {
    problem(400, "invalid_argument", "Invalid query parameter", &e.detail, Some(e.parameter))
}

pub(crate) fn from_api(e: ApiError) -> Response {
    let title = match e.code {
        ErrorCode::NotFound => "Not found",
        ErrorCode::InvalidArgument => "Invalid request",
        ErrorCode::Unauthenticated => "Authentication required",
        ErrorCode::PermissionDenied => "Not allowed",
        ErrorCode::ResourceExhausted => "Too many requests",
        ErrorCode::Unavailable => "Service unavailable",
        _ => "Internal error",
    };
    problem(e.code.http_status(), e.code.as_str(), title, &e.message, e.field.as_deref())
}

fn cached<T: Serialize>(v: &T) -> Response {
    let mut r = Json(v).into_response();
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=60"));
    r
}

fn lang_of(raw: Option<&str>) -> String {
    super::params::pairs(raw)
        .ok()
        .and_then(|p| p.into_iter().rev().find(|(k, _)| k == "lang").map(|(_, v)| v))
        .filter(|l| matches!(l.as_str(), "ky" | "ru" | "en"))
        .unwrap_or_else(|| "ky".into())
}

/// Search institutions.
#[utoipa::path(get, path = "/api/v1/institutions", tag = "catalogue",
    params(
        ("q" = Option<String>, Query, description = "Words of a name in Kyrgyz, Russian or English, a code or a city"),
        ("region" = Option<String>, Query, description = "Region code, e.g. bishkek, osh_city, chuy"),
        ("ownership" = Option<String>, Query, description = "state, private or intergovernmental"),
        ("level" = Option<String>, Query, description = "bachelor, master, specialist or phd"),
        ("specialty" = Option<String>, Query, description = "6-digit specialty code"),
        ("page" = Option<u32>, Query, description = "Page, from 1"),
        ("per_page" = Option<u32>, Query, description = "Items per page, 1 to 100 (default 20)"),
        ("lang" = Option<String>, Query, description = "Language of sorting by name: ky (default), ru or en"),
    ),
    responses(
        (status = 200, description = "A page of institutions", body = Page<InstitutionSummary>),
        (status = 400, description = "A parameter is malformed", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn institutions(State(s): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    let c = CallCtx::anonymous();
    let framework = match s.catalogue.framework(&c).await {
        Ok(f) => f,
        Err(e) => return from_api(e),
    };
    let lang = lang_of(raw.as_deref());
    let q = match search_query(raw.as_deref(), &framework, &lang) {
        Ok(q) => q,
        Err(e) => return from_param(e),
    };
    match s.catalogue.institution_search(&c, &q).await {
        Ok(p) => cached(&p),
        Err(e) => from_api(e),
    }
}

/// One institution with its programmes and licences.
#[utoipa::path(get, path = "/api/v1/institutions/{code}", tag = "catalogue",
    params(("code" = String, Path, description = "Institution code, e.g. knu")),
    responses(
        (status = 200, description = "The institution", body = Institution),
        (status = 404, description = "No such institution", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn institution(State(s): State<Shared>, Path(code): Path<String>) -> Response {
    if !is_institution_code(&code) {
        return problem(404, "not_found", "Not found", "institution not found", None);
    }
    match s.catalogue.institution_get(&CallCtx::anonymous(), &code).await {
        Ok(i) => cached(&i),
        Err(e) => from_api(e),
    }
}

/// Search programmes across institutions (the applicants' search).
#[utoipa::path(get, path = "/api/v1/programmes", tag = "catalogue",
    params(
        ("q" = Option<String>, Query, description = "Words of the specialty, the institution or the city, in any language"),
        ("specialty" = Option<String>, Query, description = "6-digit specialty code"),
        ("field" = Option<String>, Query, description = "ISCED-F broad field, 00 to 10"),
        ("level" = Option<String>, Query, description = "bachelor, master, specialist or phd"),
        ("region" = Option<String>, Query, description = "Region code, e.g. bishkek, osh_city, chuy"),
        ("city" = Option<String>, Query, description = "City name in any language"),
        ("ownership" = Option<String>, Query, description = "state, private or intergovernmental"),
        ("language" = Option<String>, Query, description = "Language of instruction: ky, ru, en, tr, ..."),
        ("form" = Option<String>, Query, description = "full_time, part_time, evening or distance"),
        ("grant" = Option<bool>, Query, description = "1: only programmes with grant places"),
        ("fee_min" = Option<i64>, Query, description = "Lowest yearly fee for citizens, som"),
        ("fee_max" = Option<i64>, Query, description = "Highest yearly fee for citizens, som"),
        ("accredited" = Option<bool>, Query, description = "1: only accredited programmes or institutions"),
        ("sort" = Option<String>, Query, description = "name (default), fee_asc, fee_desc, score_desc, grant_desc"),
        ("page" = Option<u32>, Query, description = "Page, from 1"),
        ("per_page" = Option<u32>, Query, description = "Items per page, 1 to 100 (default 20)"),
        ("lang" = Option<String>, Query, description = "Language of sorting by name: ky (default), ru or en"),
    ),
    responses(
        (status = 200, description = "A page of programmes", body = Page<ProgrammeHit>),
        (status = 304, description = "Not modified (If-None-Match matched the ETag)"),
        (status = 400, description = "A parameter is malformed", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn programmes(State(s): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    let c = CallCtx::anonymous();
    let framework = match s.catalogue.framework(&c).await {
        Ok(f) => f,
        Err(e) => return from_api(e),
    };
    let lang = lang_of(raw.as_deref());
    let q = match programme_query(raw.as_deref(), &framework, &lang) {
        Ok(q) => q,
        Err(e) => return from_param(e),
    };
    match s.catalogue.programme_search(&c, &q).await {
        Ok(p) => cached(&p),
        Err(e) => from_api(e),
    }
}

/// One programme with its institution and licence.
#[utoipa::path(get, path = "/api/v1/programmes/{id}", tag = "catalogue",
    params(("id" = String, Path, description = "Programme id")),
    responses(
        (status = 200, description = "The programme", body = ProgrammeDetail),
        (status = 404, description = "No such programme", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn programme(State(s): State<Shared>, Path(id): Path<String>) -> Response {
    if id.len() > 64 {
        return problem(404, "not_found", "Not found", "programme not found", None);
    }
    match s.catalogue.programme_get(&CallCtx::anonymous(), &id).await {
        Ok(p) => cached(&p),
        Err(e) => from_api(e),
    }
}

/// The education framework: levels, forms, regions, ISCED-F fields, specialties.
#[utoipa::path(get, path = "/api/v1/framework", tag = "catalogue",
    responses((status = 200, description = "The framework", body = Framework)))]
pub async fn framework(State(s): State<Shared>) -> Response {
    match s.catalogue.framework(&CallCtx::anonymous()).await {
        Ok(f) => cached(&*f),
        Err(e) => from_api(e),
    }
}

/// Headline figures of the catalogue.
#[utoipa::path(get, path = "/api/v1/stats", tag = "catalogue",
    responses((status = 200, description = "Figures", body = Stats)))]
pub async fn stats(State(s): State<Shared>) -> Response {
    match s.catalogue.stats(&CallCtx::anonymous()).await {
        Ok(st) => cached(&st),
        Err(e) => from_api(e),
    }
}

/// State educational standards, newest first.
#[utoipa::path(get, path = "/api/v1/standards", tag = "curriculum",
    params(
        ("specialty" = Option<String>, Query, description = "6-digit specialty code"),
        ("level" = Option<String>, Query, description = "bachelor, master, specialist or phd"),
    ),
    responses(
        (status = 200, description = "The standards", body = Vec<Standard>),
        (status = 400, description = "A parameter is malformed", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn standards(State(s): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    let p = match super::params::pairs(raw.as_deref()) {
        Ok(p) => p,
        Err(e) => return from_param(e),
    };
    let get = |k: &str| p.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.clone()).filter(|v| !v.is_empty());
    let level = match get("level") {
        None => None,
        Some(l) => match Level::parse(&l) {
            Some(l) => Some(l),
            None => {
                return problem(
                    400,
                    "invalid_argument",
                    "Invalid query parameter",
                    "level must be bachelor, master, specialist or phd",
                    Some("level"),
                );
            }
        },
    };
    let specialty = get("specialty");
    if specialty.as_deref().is_some_and(|c| !is_specialty_code(c)) {
        return problem(
            400,
            "invalid_argument",
            "Invalid query parameter",
            "specialty must be 6 digits, e.g. 580100",
            Some("specialty"),
        );
    }
    match s.curriculum.standards(&CallCtx::anonymous(), specialty.as_deref(), level).await {
        Ok(v) => cached(&v),
        Err(e) => from_api(e),
    }
}

/// One standard with its blocks and mandatory courses.
#[utoipa::path(get, path = "/api/v1/standards/{id}", tag = "curriculum",
    params(("id" = String, Path, description = "Standard id")),
    responses(
        (status = 200, description = "The standard", body = Standard),
        (status = 404, description = "No such standard", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn standard(State(s): State<Shared>, Path(id): Path<String>) -> Response {
    if id.len() > 64 {
        return problem(404, "not_found", "Not found", "standard not found", None);
    }
    match s.curriculum.standard_get(&CallCtx::anonymous(), &id).await {
        Ok(v) => cached(&v),
        Err(e) => from_api(e),
    }
}

/// The national catalogue of general-education courses.
#[utoipa::path(get, path = "/api/v1/national-courses", tag = "curriculum",
    responses((status = 200, description = "The courses", body = Vec<NationalCourse>)))]
pub async fn national_courses(State(s): State<Shared>) -> Response {
    match s.curriculum.national_courses(&CallCtx::anonymous()).await {
        Ok(v) => cached(&v),
        Err(e) => from_api(e),
    }
}

/// What an approved curriculum requires of a programme's students of one intake year:
/// the contract grade sheets, transcripts, transfers and diplomas follow.
#[utoipa::path(get, path = "/api/v1/curricula/requirements", tag = "curriculum",
    params(
        ("programme" = Option<String>, Query, description = "Programme id"),
        ("intake" = Option<i32>, Query, description = "Intake year, e.g. 2026"),
        ("curriculum" = Option<String>, Query, description = "Instead of programme and intake: one approved or superseded curriculum id"),
    ),
    responses(
        (status = 200, description = "The requirements", body = Requirements),
        (status = 400, description = "A parameter is malformed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No approved curriculum", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn requirements(State(s): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    let p = match super::params::pairs(raw.as_deref()) {
        Ok(p) => p,
        Err(e) => return from_param(e),
    };
    let get = |k: &str| p.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.clone()).filter(|v| !v.is_empty());
    let curriculum = get("curriculum").filter(|c| c.len() <= 64);
    let programme = get("programme").filter(|c| c.len() <= 64).unwrap_or_default();
    let intake = match get("intake").map(|v| v.parse::<i32>()) {
        None => 0,
        Some(Ok(y)) if INTAKE_YEARS.contains(&y) => y,
        Some(_) => {
            return problem(
                400,
                "invalid_argument",
                "Invalid query parameter",
                "intake must be a year from 1990 to 2100",
                Some("intake"),
            );
        }
    };
    if curriculum.is_none() && (programme.is_empty() || intake == 0) {
        return problem(
            400,
            "invalid_argument",
            "Invalid query parameter",
            "give programme and intake, or curriculum",
            Some("programme"),
        );
    }
    match s.curriculum.requirements(&CallCtx::anonymous(), &programme, intake, curriculum.as_deref()).await {
        Ok(v) => cached(&v),
        Err(e) => from_api(e),
    }
}

/// One approved or superseded curriculum with its lines and findings.
#[utoipa::path(get, path = "/api/v1/curricula/{id}", tag = "curriculum",
    params(("id" = String, Path, description = "Curriculum id")),
    responses(
        (status = 200, description = "The curriculum", body = CurriculumDetail),
        (status = 404, description = "No such public curriculum", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn curriculum(State(s): State<Shared>, Path(id): Path<String>) -> Response {
    if id.len() > 64 {
        return problem(404, "not_found", "Not found", "curriculum not found", None);
    }
    match s.curriculum.curriculum_get(&CallCtx::anonymous(), &id).await {
        Ok(v) => cached(&v),
        Err(e) => from_api(e),
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "EDU24 API", version = "1", description = "Public data of the unified electronic management system of higher education of the Kyrgyz Republic."),
    paths(institutions, institution, programmes, programme, framework, stats, standards, standard, national_courses, requirements, curriculum,
        super::api_records::session_token, super::api_records::students, super::api_records::person,
        super::api_records::term_grades, super::api_records::transcript, super::api_records::ranking,
        super::api_records::sheet, super::api_records::sheet_close,
        super::diplomas::api_verify, super::diplomas::api_verify_credential),
    components(schemas(Problem, Page<InstitutionSummary>, InstitutionSummary, Institution, Programme, Licence, ProgrammeDetail,
        Page<ProgrammeHit>, ProgrammeHit, InstitutionProfile, Accreditation, AccreditationResult,
        Framework, Stats, Localized, Level, StudyForm, Ownership, InstitutionStatus, LicenceStatus, LevelInfo, FormInfo, Region, IscedField, Specialty,
        Standard, StandardBlock, StandardCourse, NationalCourse, Requirements, RequiredLine, Line, CurriculumDetail, CurriculumSummary,
        Compliance, Finding, BlockKind, Assessment, Component, Status, Severity,
        super::api_records::SessionToken, super::api_records::CloseSheet,
        edu24_diploma::domain::PublicCheck, edu24_diploma::domain::CheckOutcome, edu24_diploma::domain::CredentialCheck,
        edu24_diploma::domain::DiplomaState,
        edu24_records::domain::Page<edu24_records::domain::StudentRow>, edu24_records::domain::StudentRow,
        edu24_records::domain::Enrolment, edu24_records::domain::PersonFile, edu24_records::domain::Person,
        edu24_records::domain::PersonName, edu24_records::domain::Order, edu24_records::domain::EnrolmentStatus,
        edu24_records::domain::OrderKind, edu24_records::domain::Funding, edu24_records::domain::Sex,
        edu24_records::grading::TranscriptLine, edu24_records::grading::Transcript, edu24_records::grading::Grade,
        edu24_records::grading::EntryValue, edu24_records::domain::Page<edu24_records::grading::RankRow>,
        edu24_records::grading::RankRow, edu24_records::grading::Sheet, edu24_records::grading::SheetEntry,
        edu24_records::grading::Correction, edu24_records::grading::Assignment, edu24_records::grading::SheetKind,
        edu24_records::grading::SheetState, edu24_records::grading::CorrectionState)),
    tags((name = "catalogue", description = "Institutions, programmes, licences and the education framework"),
        (name = "curriculum", description = "State standards, national courses and approved curricula"),
        (name = "records", description = "The student body, results and grade sheets, for those who may see them"))
)]
pub struct ApiDoc;

pub fn openapi_json() -> String {
    ApiDoc::openapi().to_pretty_json().expect("OpenAPI document serializes")
}

async fn openapi(State(s): State<Shared>) -> Response {
    let mut r = s.openapi_json.clone().into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}

async fn api_not_found() -> Response {
    problem(404, "not_found", "Not found", "no such API endpoint; see /api/v1/openapi.json", None)
}

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/institutions", get(institutions))
        .route("/institutions/{code}", get(institution))
        .route("/programmes", get(programmes))
        .route("/programmes/{id}", get(programme))
        .route("/framework", get(framework))
        .route("/stats", get(stats))
        .route("/standards", get(standards))
        .route("/standards/{id}", get(standard))
        .route("/national-courses", get(national_courses))
        .route("/curricula/requirements", get(requirements))
        .route("/curricula/{id}", get(curriculum))
        .route("/openapi.json", get(openapi))
        .merge(super::api_records::router())
        .route("/diplomas/verify", get(super::diplomas::api_verify))
        .route("/diplomas/verify-credential", axum::routing::post(super::diplomas::api_verify_credential))
        .fallback(api_not_found)
        .layer(axum::middleware::from_fn(etag))
}

/// Strong ETags on successful GETs: the SHA-256 of the body. A matching
/// If-None-Match gets 304 with no body, so that caches and clients revalidate cheaply.
pub async fn etag(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let is_get = req.method() == axum::http::Method::GET || req.method() == axum::http::Method::HEAD;
    let asked = req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let resp = next.run(req).await;
    if !is_get || resp.status() != StatusCode::OK {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 16 << 20).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let tag = {
        use sha2::Digest;
        let d = sha2::Sha256::digest(&bytes);
        format!("\"{}\"", hex::encode(&d[..16]))
    };
    if let Ok(v) = HeaderValue::from_str(&tag) {
        parts.headers.insert(header::ETAG, v);
    }
    let matched = asked.is_some_and(|a| a == "*" || a.split(',').any(|t| t.trim().trim_start_matches("W/") == tag));
    if matched {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, axum::body::Body::empty());
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

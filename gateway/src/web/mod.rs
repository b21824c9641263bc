//! HTTP: routes, middleware and rendering.

pub mod access;
pub mod account;
pub mod api;
pub mod api_records;
pub mod catalogue;
pub mod ctx;
pub mod curricula;
pub mod curricula_national;
pub mod diplomas;
pub mod grades;
pub mod institution_admin;
pub mod issuance;
pub mod layout;
pub mod licensing;
pub mod pages;
pub mod params;
pub mod register;
pub mod reset;
pub mod sheets;
pub mod standards;
pub mod students;
pub mod teaching;
pub mod twofa;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::routing::{get, post};
use edu24_catalogue::CatalogueApi;
use edu24_curriculum::CurriculumApi;
use edu24_identity::IdentityApi;
use edu24_records::RecordsApi;
use edu24_shared::health::Readiness;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::i18n::I18n;

#[derive(Clone, Debug)]
pub struct GatewayConfig {
    /// Mark cookies `Secure` (behind TLS).
    pub cookie_secure: bool,
    pub public_url: String,
}

impl GatewayConfig {
    pub fn from_env() -> anyhow::Result<Self> {
        Ok(Self {
            cookie_secure: edu24_shared::config::env_bool("EDU24_COOKIE_SECURE", false)?,
            public_url: edu24_shared::config::env_or("EDU24_PUBLIC_URL", "http://127.0.0.1:8080"),
        })
    }
}

pub struct AppState {
    pub catalogue: Arc<dyn CatalogueApi>,
    pub identity: Arc<dyn IdentityApi>,
    pub curriculum: Arc<dyn CurriculumApi>,
    pub records: Arc<dyn RecordsApi>,
    /// `None` where the gateway has no diploma service to reach (a cluster's gateway
    /// without `EDU24_DIPLOMA_URL`): its pages answer 503.
    pub diploma: Option<Arc<dyn edu24_diploma::DiplomaApi>>,
    pub i18n: I18n,
    pub cfg: GatewayConfig,
    pub readiness: Readiness,
    pub openapi_json: String,
}

pub type Shared = Arc<AppState>;

pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
                       frame-ancestors 'none'; base-uri 'none'";

/// The whole HTTP application: portal, API, static files, health.
pub fn app(state: Shared) -> Router {
    let portal = Router::new()
        .route("/", get(pages::home))
        .route("/institutions", get(pages::institutions))
        .route("/institutions/{code}", get(pages::institution))
        .route("/programmes", get(catalogue::programmes))
        .route("/programmes/{id}", get(pages::programme))
        .route("/compare", get(catalogue::compare))
        .route("/framework", get(catalogue::framework))
        .route("/framework/export.csv", get(licensing::framework_export_csv))
        .route("/framework/export.xlsx", get(licensing::framework_export_xlsx))
        .route("/framework/{code}/{level}", get(catalogue::specialty_history))
        .route("/open-data", get(licensing::open_data))
        .route("/open-data/institutions.csv", get(licensing::open_institutions))
        .route("/open-data/programmes.csv", get(licensing::open_programmes))
        .route("/open-data/licences.csv", get(licensing::open_licences))
        .route("/admin/licensing", get(licensing::dashboard))
        .route("/admin/institution/{code}", get(institution_admin::home))
        .route("/admin/institution/{code}/profile", post(institution_admin::profile_save))
        .route(
            "/admin/institution/{code}/images",
            post(institution_admin::image_upload).layer(axum::extract::DefaultBodyLimit::max(3 * 1024 * 1024)),
        )
        .route("/admin/institution/{code}/images/{id}/delete", post(institution_admin::image_delete))
        .route(
            "/admin/institution/{code}/programme",
            get(institution_admin::programme_form).post(institution_admin::programme_save),
        )
        .route(
            "/admin/institution/{code}/licence",
            get(institution_admin::licence_form).post(institution_admin::licence_save),
        )
        .route(
            "/admin/institution/{code}/accreditation",
            get(institution_admin::accreditation_form).post(institution_admin::accreditation_save),
        )
        .route("/admin/framework", get(licensing::framework_admin))
        .route("/admin/framework/entry", post(licensing::framework_entry))
        .route(
            "/admin/framework/import",
            post(licensing::framework_import).layer(axum::extract::DefaultBodyLimit::max(9 * 1024 * 1024)),
        )
        .route("/standards", get(standards::list))
        .route("/standards/courses", get(standards::national))
        .route("/standards/{id}", get(standards::view))
        .route("/admin/standards/edit", get(standards::edit))
        .route("/admin/standards/save", post(standards::save))
        .route("/admin/standards/courses", post(standards::national_save))
        .route("/curricula/compare", get(curricula_national::compare))
        .route("/curricula/new", post(curricula::create))
        .route("/curricula/{id}", get(curricula::view))
        .route("/curricula/{id}/edit", get(curricula::edit))
        .route(
            "/curricula/{id}/save",
            post(curricula::save).layer(axum::extract::DefaultBodyLimit::max(4 * 1024 * 1024)),
        )
        .route(
            "/curricula/{id}/import",
            post(curricula::import).layer(axum::extract::DefaultBodyLimit::max(9 * 1024 * 1024)),
        )
        .route("/curricula/{id}/export.csv", get(curricula::export_csv))
        .route("/curricula/{id}/export.xlsx", get(curricula::export_xlsx))
        .route("/curricula/{id}/submit", post(curricula::submit))
        .route("/curricula/{id}/decide", post(curricula::decide))
        .route("/curricula/{id}/new-version", post(curricula::new_version))
        .route("/curricula/{id}/discard", post(curricula::discard))
        .route("/admin/curricula", get(curricula::institution_curricula))
        .route("/admin/curricula/national", get(curricula_national::overview))
        .route("/admin/curricula/recheck", post(curricula_national::recheck))
        .route(
            "/admin/curricula/delegations",
            get(curricula_national::delegations).post(curricula_national::delegation_save),
        )
        .route("/admin/students", get(students::list))
        .route("/admin/students/new", get(students::admit_form).post(students::admit))
        .route(
            "/admin/students/import",
            get(students::import_form)
                .post(students::import)
                .layer(axum::extract::DefaultBodyLimit::max(9 * 1024 * 1024)),
        )
        .route("/admin/students/roster-template.csv", get(students::roster_template))
        .route("/admin/persons/{id}", get(students::person))
        .route("/admin/persons/{id}/order", post(students::order))
        .route("/admin/persons/{id}/account", post(teaching::account_link))
        .route("/admin/teachers", get(teaching::teachers).post(teaching::teacher_create))
        .route("/admin/assignments", get(teaching::assignments).post(teaching::assignment_create))
        .route("/admin/enrolments/{id}/transcript", get(grades::transcript))
        .route("/admin/ranking", get(grades::ranking))
        .route("/admin/grade-log", get(grades::log_check))
        .route("/me/grades", get(grades::mine))
        .route("/me/diplomas", get(diplomas::mine))
        .route("/verify", get(diplomas::verify_page))
        .route("/verify/credential", post(diplomas::verify_credential_page))
        .route("/verify/{token}", get(diplomas::verify_token))
        .route("/shared/{token}", get(diplomas::shared))
        .route("/admin/diplomas", get(diplomas::register))
        .route("/admin/diplomas/national", get(diplomas::national))
        .route("/admin/diplomas/group", get(diplomas::group))
        .route("/admin/diplomas/issue", post(diplomas::issue))
        .route("/admin/diplomas/forms", get(diplomas::forms))
        .route("/admin/diplomas/forms/receive", post(diplomas::receive))
        .route("/admin/diplomas/forms/move", post(diplomas::move_forms))
        .route("/diplomas/{id}", get(diplomas::view))
        .route("/diplomas/{id}/status", post(diplomas::status))
        .route("/diplomas/{id}/duplicate", post(diplomas::duplicate))
        .route("/diplomas/{id}/share", post(diplomas::share))
        .route("/diplomas/{id}/{file}", get(diplomas::file))
        .route("/sheets", get(sheets::list))
        .route("/sheets/open", post(sheets::open))
        .route("/sheets/{id}", get(sheets::view))
        .route("/sheets/{id}/save", post(sheets::save))
        .route("/sheets/{id}/close", post(sheets::close))
        .route("/sheets/{id}/return", post(sheets::send_back))
        .route("/sheets/{id}/corrections", post(sheets::correction_request))
        .route("/sheets/{id}/corrections/{correction}", post(sheets::correction_decide))
        .route("/sheets/{id}/sheet.pdf", get(sheets::pdf))
        .route("/login", get(pages::login_form).post(pages::login_submit))
        .route("/logout", post(pages::logout))
        .route("/login/code", get(twofa::login_code_form).post(twofa::login_code_submit))
        .route("/access-request", get(access::request_form).post(access::request_submit))
        .route("/register", get(register::register_form).post(register::register_submit))
        .route("/reset", get(reset::reset_form).post(reset::reset_submit))
        .route("/reset/new", get(reset::new_password_form).post(reset::new_password_submit))
        .route("/verify-email", get(reset::email_verify))
        .route("/me/email", post(reset::email_set))
        .route("/admin/employers", get(register::employers).post(register::employers_decide))
        .route("/admin/access-requests", get(access::queue).post(access::decide))
        .route("/me/2fa", get(twofa::twofa).post(twofa::twofa_enable))
        .route("/me/2fa/disable", post(twofa::twofa_disable))
        .route("/me", get(pages::me))
        .route("/me/password", get(account::password_form).post(account::password_submit))
        .route("/me/security", get(account::security))
        .route("/me/sessions/end", post(account::session_end))
        .route("/admin/accounts", get(account::accounts))
        .route("/admin/accounts/new", post(account::account_new))
        .route("/admin/accounts/{id}", get(account::account))
        .route("/admin/accounts/{id}/card", post(account::account_card))
        .route("/admin/accounts/{id}/status", post(account::account_status))
        .route("/admin/accounts/{id}/sessions/end", post(account::account_sessions_end))
        .route("/admin/accounts/{id}/roles", post(account::account_roles))
        .route(
            "/admin/issuance",
            get(issuance::issuance_home)
                .post(issuance::issuance_upload)
                .layer(axum::extract::DefaultBodyLimit::max(9 * 1024 * 1024)),
        )
        .route("/admin/issuance/template.csv", get(issuance::template))
        .route("/admin/issuance/start", post(issuance::issuance_start))
        .route("/admin/issuance/{id}", get(issuance::issuance_job))
        .route("/admin/issuance/{id}/cards.pdf", get(issuance::issuance_cards))
        .route("/admin/issuance/{id}/close", post(issuance::issuance_close));
    let api = api::router();
    let health = edu24_shared::health::router(state.readiness.clone());
    let inner = Router::new()
        .merge(portal)
        .nest("/api/v1", api)
        .route("/images/{id}", get(catalogue::image))
        .route("/credentials/status/{code}", get(diplomas::status_list))
        .route("/credentials/issuers/{code}", get(diplomas::issuer))
        .route("/static/app.css", get(layout::stylesheet))
        .route("/static/favicon.svg", get(layout::favicon))
        .route("/favicon.ico", get(layout::favicon))
        .route("/robots.txt", get(|| async { "User-agent: *\nAllow: /\n" }))
        .fallback(pages::page_not_found)
        .with_state(state.clone())
        .merge(health);
    Router::new()
        .fallback_service(inner)
        .layer(axum::middleware::from_fn(ctx::language_routing))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .layer(tower_http::compression::CompressionLayer::new().gzip(true))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(10 * 1024 * 1024))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
}

//! An institution's own pages: its admin keeps the profile, images and programmes; the
//! ministry's admin also records licences and accreditation decisions there. Facts the
//! ministry owns are shown read-only to the institution.

use axum::Form;
use axum::extract::{Multipart, Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use edu24_catalogue::domain::*;
use edu24_shared::error::ApiError;
use maud::{Markup, html};
use serde::Deserialize;

use super::Shared;
use super::ctx::Ctx;
use super::layout::{error_page, page, respond};
use super::licensing::read_form;
use super::pages::{
    csrf_ok, form_call, form_name, language_label, level_name, licence_badge, lookup_failed, new_csrf, private,
    service_error, session_call,
};
use super::params::pairs;
use crate::i18n::{Tr, num, text};

/// A message shown above a form after a failed save: the field and what to fix.
fn problem(tr: Tr<'_>, e: &ApiError) -> Markup {
    let field = e.field.clone().unwrap_or_default();
    let key = format!("field-{}", field.split('.').next().unwrap_or(""));
    let label = if tr.has(&key) { tr.t(&key).into_owned() } else { field.clone() };
    html! {
        div.alert.error role="alert" {
            @if let Some(r) = e.reason.as_deref().filter(|r| tr.has(&format!("problem-{r}"))) {
                (tr.t(&format!("problem-{r}")))
            } @else {
                strong { (tr.ta("problem-field", &[("field", text(&label))])) }
                br; small lang="en" { (e.message) }
            }
        }
    }
}

/// The attributes of one input.
#[derive(Default)]
struct Spec {
    kind: &'static str,
    required: bool,
    maxlength: Option<&'static str>,
    min: Option<&'static str>,
    max: Option<&'static str>,
    step: Option<&'static str>,
    lang: Option<&'static str>,
    autocomplete: Option<&'static str>,
    list: Option<&'static str>,
    inputmode: Option<&'static str>,
}

fn input(id: &str, name: &str, label: &str, value: &str, a: Spec) -> Markup {
    html! {
        div {
            label for=(id) { (label) }
            input #(id) name=(name) value=(value) type=(if a.kind.is_empty() { "text" } else { a.kind })
                required[a.required] maxlength=[a.maxlength] min=[a.min] max=[a.max] step=[a.step] lang=[a.lang]
                autocomplete=[a.autocomplete] list=[a.list] inputmode=[a.inputmode];
        }
    }
}

/// Whether the caller may open the forms of the institution `key` (its admin or the
/// ministry's; the ministry's only for licences and accreditation). The services check
/// again on every save; this keeps forms from being shown to people who cannot use them.
async fn allowed(
    s: &Shared,
    ctx: &Ctx,
    c: &edu24_shared::auth::CallCtx,
    key: &str,
    ministry_only: bool,
) -> Result<(), Response> {
    use edu24_shared::auth::Role;
    let tr = s.i18n.tr(ctx.lang);
    let (inst, me) = match tokio::try_join!(s.catalogue.institution_get(c, key), s.identity.me(c)) {
        Ok(v) => v,
        Err(e) => return Err(lookup_failed(tr, ctx, &e, "error-institution-not-found")),
    };
    let ministry = me.roles.iter().any(|r| r.role == Role::MinistryAdmin);
    let own = me
        .roles
        .iter()
        .any(|r| r.role == Role::InstitutionAdmin && r.institution_id.as_deref() == Some(&inst.summary.id));
    if ministry || (own && !ministry_only) {
        Ok(())
    } else {
        Err(error_page(tr, ctx, StatusCode::FORBIDDEN, "error-forbidden", &tr.t("error-forbidden-detail")))
    }
}

/// Everything on the page, with an optional message from the last save.
async fn render(s: &Shared, ctx: &Ctx, key: &str, notice: Option<Markup>, status: StatusCode) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match session_call(s, ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let (inst, framework) = match tokio::try_join!(s.catalogue.institution_get(&c, key), s.catalogue.framework(&c)) {
        Ok(v) => v,
        Err(e) => return lookup_failed(tr, ctx, &e, "error-institution-not-found"),
    };
    let me = match s.identity.me(&c).await {
        Ok(a) => a,
        Err(e) => return service_error(tr, ctx, &e),
    };
    use edu24_shared::auth::Role;
    let ministry = me.roles.iter().any(|r| r.role == Role::MinistryAdmin);
    let admin = ministry
        || me
            .roles
            .iter()
            .any(|r| r.role == Role::InstitutionAdmin && r.institution_id.as_deref() == Some(&inst.summary.id));
    if !admin {
        return error_page(tr, ctx, StatusCode::FORBIDDEN, "error-forbidden", &tr.t("error-forbidden-detail"));
    }
    let lang = ctx.lang.code();
    let today = today();
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let sm = &inst.summary;
    let pr = &inst.profile;
    let base = ctx.href(&format!("/admin/institution/{}", sm.code));
    let title = tr.ta("institution-admin-title", &[("name", text(sm.name.get(lang)))]);
    let body = html! {
        p { a href=(ctx.href(&format!("/institutions/{}", sm.code))) { "← " (tr.t("public-page")) } }
        h1 { (title) }
        @if let Some(n) = notice { (n) }
        h2 #profile { (tr.t("profile-heading")) }
        form.stack method="post" action={ (base) "/profile" } {
            input type="hidden" name="csrf" value=(csrf);
            fieldset {
                legend { (tr.t("field-name")) }
                (input("pf-name-ky", "name_ky", "Кыргызча", &sm.name.ky, Spec { required: true, maxlength: Some("300"), lang: Some("ky"), ..Spec::default() }))
                (input("pf-name-ru", "name_ru", "Русский", &sm.name.ru, Spec { required: true, maxlength: Some("300"), lang: Some("ru"), ..Spec::default() }))
                (input("pf-name-en", "name_en", "English", &sm.name.en, Spec { required: true, maxlength: Some("300"), lang: Some("en"), ..Spec::default() }))
            }
            fieldset {
                legend { (tr.t("field-address")) }
                (input("pf-addr-ky", "address_ky", "Кыргызча", &pr.address.ky, Spec { maxlength: Some("300"), lang: Some("ky"), ..Spec::default() }))
                (input("pf-addr-ru", "address_ru", "Русский", &pr.address.ru, Spec { maxlength: Some("300"), lang: Some("ru"), ..Spec::default() }))
                (input("pf-addr-en", "address_en", "English", &pr.address.en, Spec { maxlength: Some("300"), lang: Some("en"), ..Spec::default() }))
            }
            (input("pf-phone", "phone", &tr.t("field-phone"), &pr.phone, Spec { kind: "tel", maxlength: Some("40"), autocomplete: Some("tel"), ..Spec::default() }))
            (input("pf-email", "email", &tr.t("field-email"), &pr.email, Spec { kind: "email", maxlength: Some("120"), autocomplete: Some("email"), ..Spec::default() }))
            (input("pf-rector", "rector", &tr.t("field-rector"), &pr.rector, Spec { maxlength: Some("200"), ..Spec::default() }))
            (input("pf-founded", "founded", &tr.t("field-founded"), &sm.founded.map(|y| y.to_string()).unwrap_or_default(), Spec { kind: "number", min: Some("1800"), max: Some("2100"), inputmode: Some("numeric"), ..Spec::default() }))
            (input("pf-website", "website", &tr.t("field-website"), &sm.website, Spec { maxlength: Some("200"), ..Spec::default() }))
            fieldset {
                legend { (tr.t("field-languages")) }
                @for l in TEACHING_LANGUAGES {
                    div.check {
                        input type="checkbox" name="languages" value=(l) id={ "pf-lang-" (l) } checked[pr.languages.iter().any(|x| x == l)];
                        label for={ "pf-lang-" (l) } { (language_label(tr, l)) }
                    }
                }
            }
            button type="submit" { (tr.t("save")) }
        }
        h2 #images { (tr.t("images-heading")) }
        div.gallery {
            @if let Some(logo) = &pr.logo { figure { img.logo src={ "/images/" (logo) } alt=(tr.t("logo")) width="120" height="120"; figcaption { (tr.t("logo")) } } }
            @for ph in &pr.photos {
                figure {
                    img src={ "/images/" (ph) } alt=(tr.t("photo")) width="240" height="160" loading="lazy";
                    form method="post" action={ (base) "/images/" (ph) "/delete" } {
                        input type="hidden" name="csrf" value=(csrf);
                        button.secondary type="submit" { (tr.t("remove")) }
                    }
                }
            }
        }
        form.stack method="post" action={ (base) "/images" } enctype="multipart/form-data" {
            input type="hidden" name="csrf" value=(csrf);
            fieldset {
                legend { (tr.t("image-kind")) }
                div.check { input #im-logo type="radio" name="kind" value="logo" checked; label for="im-logo" { (tr.t("logo")) } }
                div.check { input #im-photo type="radio" name="kind" value="photo"; label for="im-photo" { (tr.t("photo")) } }
            }
            label for="im-file" { (tr.t("image-file")) }
            input #im-file type="file" name="image" required accept="image/png,image/jpeg,image/webp";
            p.hint { (tr.t("image-hint")) }
            button type="submit" { (tr.t("upload")) }
        }
        h2 #programmes { (tr.ta("programmes-heading", &[("count", num(inst.programmes.len() as f64))])) }
        p { a.button href={ (base) "/programme" } { (tr.t("programme-add")) } }
        div.table-wrap {
            table {
                caption.visually-hidden { (tr.t("programmes-caption")) }
                thead { tr {
                    th scope="col" { (tr.t("col-specialty")) }
                    th scope="col" { (tr.t("col-level")) " · " (tr.t("col-form")) " · " (tr.t("col-language")) }
                    th scope="col" { (tr.t("fact-places")) }
                    th scope="col" { (tr.t("fact-fee-citizen")) }
                    th scope="col" { (tr.t("col-licence")) }
                } }
                tbody {
                    @for p in &inst.programmes {
                        tr {
                            td { a href={ (base) "/programme?id=" (p.id) } { (p.specialty_code) " " (p.specialty_name.get(lang)) } }
                            td { (level_name(tr, &framework, p.level)) " · " (form_name(tr, &framework, p.form)) " · " (language_label(tr, &p.language)) }
                            td { (tr.ta("places-summary", &[("grant", num(p.grant_places)), ("contract", num(p.contract_places))])) }
                            td { (super::catalogue::fee_text(tr, ctx.lang, p.fee_citizen)) }
                            td { @match inst.licences.iter().filter(|l| l.covers(p)).max_by_key(|l| (l.in_force_on(&today), l.valid_from.clone())) {
                                Some(l) => (licence_badge(tr, l, &today)),
                                None => span.badge.bad { (tr.t("licence-none")) },
                            } }
                        }
                    }
                }
            }
        }
        h2 #licences { (tr.ta("licences-heading", &[("count", num(inst.licences.len() as f64))])) }
        @if !ministry { p.hint { (tr.t("ministry-owns")) } }
        @if ministry { p { a.button href={ (base) "/licence" } { (tr.t("licence-add")) } " " a.button href={ (base) "/accreditation" } { (tr.t("accreditation-add")) } } }
        div.table-wrap {
            table {
                caption.visually-hidden { (tr.t("licences-caption")) }
                thead { tr {
                    th scope="col" { (tr.t("col-specialty")) }
                    th scope="col" { (tr.t("col-level")) " · " (tr.t("col-form")) }
                    th scope="col" { (tr.t("col-contingent")) }
                    th scope="col" { (tr.t("col-valid")) }
                    th scope="col" { (tr.t("col-document")) }
                    th scope="col" { (tr.t("col-status")) }
                } }
                tbody {
                    @for l in &inst.licences {
                        tr {
                            td { @if ministry { a href={ (base) "/licence?id=" (l.id) } { (l.specialty_code) } } @else { (l.specialty_code) } }
                            td { (level_name(tr, &framework, l.level)) " · " (form_name(tr, &framework, l.form)) }
                            td { (l.contingent) }
                            td { (l.valid_from) " – " @match &l.valid_to { Some(t) => (t), None => (tr.t("valid-indefinite")) } }
                            td { (l.document_no) }
                            td { (licence_badge(tr, l, &today)) @if !l.reason.is_empty() { br; small { (l.reason) } } }
                        }
                    }
                }
            }
        }
    };
    private(s, ctx, &csrf, respond(status, page(tr, ctx, &title, body)))
}

pub async fn home(State(s): State<Shared>, ctx: Ctx, Path(key): Path<String>, RawQuery(raw): RawQuery) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    if key.len() > 64 {
        return super::pages::not_found(tr, &ctx, "error-institution-not-found");
    }
    let saved = pairs(raw.as_deref()).ok().is_some_and(|p| p.iter().any(|(k, v)| k == "saved" && v == "1"));
    let notice = saved.then(|| html! { div.alert.ok role="status" { (tr.t("saved")) } });
    render(&s, &ctx, &key, notice, StatusCode::OK).await
}

fn saved(ctx: &Ctx, code: &str, anchor: &str) -> Response {
    Redirect::to(&format!("{}?saved=1#{anchor}", ctx.href(&format!("/admin/institution/{code}")))).into_response()
}

async fn failed(s: &Shared, ctx: &Ctx, code: &str, e: &ApiError) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    if e.code == edu24_shared::error::ErrorCode::InvalidArgument
        || e.code == edu24_shared::error::ErrorCode::AlreadyExists
    {
        return render(s, ctx, code, Some(problem(tr, e)), StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    service_error(tr, ctx, e)
}

/// Form fields; `languages` repeats.
fn fields(body: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str(body).unwrap_or_default()
}

fn field<'a>(f: &'a [(String, String)], k: &str) -> &'a str {
    f.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.trim()).unwrap_or("")
}

fn opt_num<T: std::str::FromStr>(f: &[(String, String)], k: &str, name: &str) -> Result<Option<T>, ApiError> {
    let v = field(f, k).replace([' ', '\u{a0}'], "");
    if v.is_empty() {
        return Ok(None);
    }
    v.parse().map(Some).map_err(|_| ApiError::invalid(name, format!("{name} must be a whole number")))
}

pub async fn profile_save(State(s): State<Shared>, ctx: Ctx, Path(code): Path<String>, body: String) -> Response {
    let f = fields(&body);
    let c = match form_call(&s, &ctx, field(&f, "csrf")).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let founded = match opt_num::<i32>(&f, "founded", "founded") {
        Ok(v) => v,
        Err(e) => return failed(&s, &ctx, &code, &e).await,
    };
    let input = ProfileInput {
        institution_code: code.clone(),
        name: Localized::new(field(&f, "name_ky"), field(&f, "name_ru"), field(&f, "name_en")),
        address: Localized::new(field(&f, "address_ky"), field(&f, "address_ru"), field(&f, "address_en")),
        phone: field(&f, "phone").into(),
        email: field(&f, "email").into(),
        rector: field(&f, "rector").into(),
        founded,
        website: field(&f, "website").into(),
        languages: f.iter().filter(|(k, _)| k == "languages").map(|(_, v)| v.clone()).collect(),
    };
    match s.catalogue.profile_update(&c, input).await {
        Ok(_) => saved(&ctx, &code, "profile"),
        Err(e) => failed(&s, &ctx, &code, &e).await,
    }
}

pub async fn image_upload(State(s): State<Shared>, ctx: Ctx, Path(code): Path<String>, form: Multipart) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let Ok(fields) = read_form(form).await else {
        return error_page(
            tr,
            &ctx,
            StatusCode::PAYLOAD_TOO_LARGE,
            "error-bad-request",
            &tr.t("problem-image_too_large"),
        );
    };
    let text_of = |k: &str| fields.get(k).map(|b| String::from_utf8_lossy(b).into_owned()).unwrap_or_default();
    if !csrf_ok(&ctx, &text_of("csrf")) {
        return error_page(tr, &ctx, StatusCode::FORBIDDEN, "error-forbidden", &tr.t("error-csrf"));
    }
    let c = match session_call(&s, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let kind = ImageKind::parse(&text_of("kind")).unwrap_or(ImageKind::Photo);
    let data = fields.get("image").cloned().unwrap_or_default();
    match s.catalogue.image_add(&c, &code, kind, data).await {
        Ok(_) => saved(&ctx, &code, "images"),
        Err(e) => failed(&s, &ctx, &code, &e).await,
    }
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

pub async fn image_delete(
    State(s): State<Shared>,
    ctx: Ctx,
    Path((code, id)): Path<(String, String)>,
    Form(f): Form<CsrfOnly>,
) -> Response {
    let c = match form_call(&s, &ctx, &f.csrf).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match s.catalogue.image_delete(&c, &code, &id).await {
        Ok(()) => saved(&ctx, &code, "images"),
        Err(e) => failed(&s, &ctx, &code, &e).await,
    }
}

// ----- one programme

async fn programme_page(
    s: &Shared,
    ctx: &Ctx,
    code: &str,
    current: ProgrammeInput,
    notice: Option<Markup>,
    status: StatusCode,
) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match session_call(s, ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    if let Err(r) = allowed(s, ctx, &c, code, false).await {
        return r;
    }
    let framework = match s.catalogue.framework(&c).await {
        Ok(f) => f,
        Err(e) => return service_error(tr, ctx, &e),
    };
    let lang = ctx.lang.code();
    let today = today();
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let title = if current.id.is_some() { tr.t("programme-edit") } else { tr.t("programme-add") };
    let body = html! {
        p { a href=(ctx.href(&format!("/admin/institution/{code}#programmes"))) { "← " (tr.t("back")) } }
        h1 { (title) }
        @if let Some(n) = notice { (n) }
        form.stack method="post" action=(ctx.href(&format!("/admin/institution/{code}/programme"))) {
            input type="hidden" name="csrf" value=(csrf);
            @if let Some(id) = &current.id { input type="hidden" name="id" value=(id); }
            div {
                label for="pg-specialty" { (tr.t("col-specialty")) }
                select #pg-specialty name="specialty" required {
                    @for sp in framework.specialties.iter().filter(|sp| sp.valid_on(&today)) {
                        @let v = format!("{}/{}", sp.code, sp.level);
                        option value=(v) selected[sp.code == current.specialty_code && sp.level == current.level] {
                            (sp.code) " " (sp.name.get(lang)) " (" (level_name(tr, &framework, sp.level)) ")"
                        }
                    }
                }
            }
            div {
                label for="pg-form" { (tr.t("col-form")) }
                select #pg-form name="form" {
                    @for f in &framework.forms { option value=(f.code.as_str()) selected[f.code == current.form] { (f.name.get(lang)) } }
                }
            }
            div {
                label for="pg-language" { (tr.t("col-language")) }
                select #pg-language name="language" {
                    @for l in TEACHING_LANGUAGES { option value=(l) selected[*l == current.language] { (language_label(tr, l)) } }
                }
            }
            (input("pg-duration", "duration_months", &tr.t("field-duration_months"), &current.duration_months.to_string(), Spec { kind: "number", min: Some("6"), max: Some("120"), required: true, inputmode: Some("numeric"), ..Spec::default() }))
            (input("pg-credits", "credits", &tr.t("fact-credits"), &current.credits.to_string(), Spec { kind: "number", min: Some("30"), max: Some("480"), required: true, inputmode: Some("numeric"), ..Spec::default() }))
            (input("pg-year", "admission_year", &tr.t("field-admission_year"), &current.admission_year.to_string(), Spec { kind: "number", min: Some("2000"), max: Some("2100"), required: true, inputmode: Some("numeric"), ..Spec::default() }))
            (input("pg-grant", "grant_places", &tr.t("field-grant_places"), &current.grant_places.to_string(), Spec { kind: "number", min: Some("0"), max: Some("10000"), required: true, inputmode: Some("numeric"), ..Spec::default() }))
            (input("pg-contract", "contract_places", &tr.t("field-contract_places"), &current.contract_places.to_string(), Spec { kind: "number", min: Some("0"), max: Some("10000"), required: true, inputmode: Some("numeric"), ..Spec::default() }))
            (input("pg-fee", "fee_citizen", &tr.t("fact-fee-citizen"), &current.fee_citizen.map(|f| f.to_string()).unwrap_or_default(), Spec { kind: "number", min: Some("0"), step: Some("100"), inputmode: Some("numeric"), ..Spec::default() }))
            (input("pg-fee-f", "fee_foreign", &tr.t("fact-fee-foreign"), &current.fee_foreign.map(|f| f.to_string()).unwrap_or_default(), Spec { kind: "number", min: Some("0"), step: Some("100"), inputmode: Some("numeric"), ..Spec::default() }))
            p.hint { (tr.t("programme-results-hint")) }
            button type="submit" { (tr.t("save")) }
        }
    };
    private(s, ctx, &csrf, respond(status, page(tr, ctx, &title, body)))
}

pub async fn programme_form(
    State(s): State<Shared>,
    ctx: Ctx,
    Path(code): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let id = pairs(raw.as_deref()).ok().and_then(|p| p.into_iter().find(|(k, _)| k == "id").map(|(_, v)| v));
    let year = time::OffsetDateTime::now_utc().year();
    let mut current = ProgrammeInput {
        id: None,
        institution_code: code.clone(),
        specialty_code: String::new(),
        level: Level::Bachelor,
        form: StudyForm::FullTime,
        language: "ky".into(),
        duration_months: 48,
        credits: 240,
        fee_citizen: None,
        fee_foreign: None,
        grant_places: 0,
        contract_places: 0,
        admission_year: year,
    };
    if let Some(id) = id.filter(|i| i.len() <= 64) {
        match s.catalogue.programme_get(&super::pages::call(&ctx), &id).await {
            Ok(d) if d.institution.code == code => {
                let p = d.programme;
                current = ProgrammeInput {
                    id: Some(p.id),
                    institution_code: code.clone(),
                    specialty_code: p.specialty_code,
                    level: p.level,
                    form: p.form,
                    language: p.language,
                    duration_months: p.duration_months,
                    credits: p.credits,
                    fee_citizen: p.fee_citizen,
                    fee_foreign: p.fee_foreign,
                    grant_places: p.grant_places,
                    contract_places: p.contract_places,
                    admission_year: if p.admission_year > 0 { p.admission_year } else { year },
                };
            }
            Ok(_) => return super::pages::not_found(tr, &ctx, "error-programme-not-found"),
            Err(e) => return lookup_failed(tr, &ctx, &e, "error-programme-not-found"),
        }
    }
    programme_page(&s, &ctx, &code, current, None, StatusCode::OK).await
}

pub async fn programme_save(State(s): State<Shared>, ctx: Ctx, Path(code): Path<String>, body: String) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let f = fields(&body);
    let c = match form_call(&s, &ctx, field(&f, "csrf")).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let (specialty_code, level) = field(&f, "specialty").split_once('/').unwrap_or(("", ""));
    let parsed = (|| -> Result<ProgrammeInput, ApiError> {
        let num_of = |k: &str| -> Result<i32, ApiError> {
            opt_num::<i32>(&f, k, k)?.ok_or_else(|| ApiError::invalid(k, format!("{k} is required")))
        };
        Ok(ProgrammeInput {
            id: Some(field(&f, "id").to_owned()).filter(|i| !i.is_empty()),
            institution_code: code.clone(),
            specialty_code: specialty_code.to_owned(),
            level: Level::parse(level).ok_or_else(|| ApiError::invalid("specialty_code", "choose a specialty"))?,
            form: StudyForm::parse(field(&f, "form")).ok_or_else(|| ApiError::invalid("form", "choose a form"))?,
            language: field(&f, "language").to_owned(),
            duration_months: num_of("duration_months")?,
            credits: num_of("credits")?,
            fee_citizen: opt_num(&f, "fee_citizen", "fee_citizen")?,
            fee_foreign: opt_num(&f, "fee_foreign", "fee_foreign")?,
            grant_places: num_of("grant_places")?,
            contract_places: num_of("contract_places")?,
            admission_year: num_of("admission_year")?,
        })
    })();
    let input = match parsed {
        Ok(i) => i,
        Err(e) => return failed(&s, &ctx, &code, &e).await,
    };
    match s.catalogue.programme_upsert(&c, input.clone()).await {
        Ok(_) => saved(&ctx, &code, "programmes"),
        Err(e)
            if matches!(
                e.code,
                edu24_shared::error::ErrorCode::InvalidArgument | edu24_shared::error::ErrorCode::AlreadyExists
            ) =>
        {
            programme_page(&s, &ctx, &code, input, Some(problem(tr, &e)), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

// ----- licences and accreditation (ministry)

async fn licence_page(
    s: &Shared,
    ctx: &Ctx,
    code: &str,
    current: LicenceInput,
    notice: Option<Markup>,
    status: StatusCode,
) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match session_call(s, ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    if let Err(r) = allowed(s, ctx, &c, code, true).await {
        return r;
    }
    let framework = match s.catalogue.framework(&c).await {
        Ok(f) => f,
        Err(e) => return service_error(tr, ctx, &e),
    };
    let lang = ctx.lang.code();
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let title = if current.id.is_some() { tr.t("licence-edit") } else { tr.t("licence-add") };
    let body = html! {
        p { a href=(ctx.href(&format!("/admin/institution/{code}#licences"))) { "← " (tr.t("back")) } }
        h1 { (title) }
        @if let Some(n) = notice { (n) }
        form.stack method="post" action=(ctx.href(&format!("/admin/institution/{code}/licence"))) {
            input type="hidden" name="csrf" value=(csrf);
            @if let Some(id) = &current.id { input type="hidden" name="id" value=(id); }
            div {
                label for="li-specialty" { (tr.t("col-specialty")) }
                select #li-specialty name="specialty" required {
                    @for sp in &framework.specialties {
                        @let v = format!("{}/{}", sp.code, sp.level);
                        option value=(v) selected[sp.code == current.specialty_code && sp.level == current.level] {
                            (sp.code) " " (sp.name.get(lang)) " (" (level_name(tr, &framework, sp.level)) ")"
                        }
                    }
                }
            }
            div {
                label for="li-form" { (tr.t("col-form")) }
                select #li-form name="form" {
                    @for f in &framework.forms { option value=(f.code.as_str()) selected[f.code == current.form] { (f.name.get(lang)) } }
                }
            }
            (input("li-contingent", "contingent", &tr.t("col-contingent"), &current.contingent.to_string(), Spec { kind: "number", min: Some("1"), max: Some("100000"), required: true, inputmode: Some("numeric"), ..Spec::default() }))
            (input("li-from", "valid_from", &tr.t("field-valid_from"), &current.valid_from, Spec { kind: "date", required: true, ..Spec::default() }))
            (input("li-to", "valid_to", &tr.t("field-valid_to"), current.valid_to.as_deref().unwrap_or(""), Spec { kind: "date", ..Spec::default() }))
            (input("li-doc", "document_no", &tr.t("col-document"), &current.document_no, Spec { required: true, maxlength: Some("64"), ..Spec::default() }))
            div {
                label for="li-status" { (tr.t("col-status")) }
                select #li-status name="status" {
                    @for st in LicenceStatus::ALL { option value=(st.as_str()) selected[*st == current.status] { (tr.t(&format!("licence-status-{}", st.as_str()))) } }
                }
            }
            div {
                label for="li-reason" { (tr.t("field-reason")) }
                textarea #li-reason name="reason" maxlength="1000" rows="3" { (current.reason) }
                p.hint { (tr.t("reason-hint")) }
            }
            button type="submit" { (tr.t("save")) }
        }
    };
    private(s, ctx, &csrf, respond(status, page(tr, ctx, &title, body)))
}

pub async fn licence_form(
    State(s): State<Shared>,
    ctx: Ctx,
    Path(code): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let id = pairs(raw.as_deref()).ok().and_then(|p| p.into_iter().find(|(k, _)| k == "id").map(|(_, v)| v));
    let mut current = LicenceInput {
        id: None,
        institution_code: code.clone(),
        specialty_code: String::new(),
        level: Level::Bachelor,
        form: StudyForm::FullTime,
        contingent: 100,
        valid_from: today(),
        valid_to: None,
        document_no: String::new(),
        status: LicenceStatus::Active,
        reason: String::new(),
    };
    if let Some(id) = id {
        let inst = match s.catalogue.institution_get(&super::pages::call(&ctx), &code).await {
            Ok(i) => i,
            Err(e) => return lookup_failed(tr, &ctx, &e, "error-institution-not-found"),
        };
        let Some(l) = inst.licences.into_iter().find(|l| l.id == id) else {
            return super::pages::not_found(tr, &ctx, "error-not-found-detail");
        };
        current = LicenceInput {
            id: Some(l.id),
            institution_code: code.clone(),
            specialty_code: l.specialty_code,
            level: l.level,
            form: l.form,
            contingent: l.contingent,
            valid_from: l.valid_from,
            valid_to: l.valid_to,
            document_no: l.document_no,
            status: l.status,
            reason: l.reason,
        };
    }
    licence_page(&s, &ctx, &code, current, None, StatusCode::OK).await
}

pub async fn licence_save(State(s): State<Shared>, ctx: Ctx, Path(code): Path<String>, body: String) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let f = fields(&body);
    let c = match form_call(&s, &ctx, field(&f, "csrf")).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let (specialty_code, level) = field(&f, "specialty").split_once('/').unwrap_or(("", ""));
    let input = LicenceInput {
        id: Some(field(&f, "id").to_owned()).filter(|i| !i.is_empty()),
        institution_code: code.clone(),
        specialty_code: specialty_code.to_owned(),
        level: Level::parse(level).unwrap_or(Level::Bachelor),
        form: StudyForm::parse(field(&f, "form")).unwrap_or(StudyForm::FullTime),
        contingent: field(&f, "contingent").parse().unwrap_or(0),
        valid_from: field(&f, "valid_from").to_owned(),
        valid_to: Some(field(&f, "valid_to").to_owned()).filter(|v| !v.is_empty()),
        document_no: field(&f, "document_no").to_owned(),
        status: LicenceStatus::parse(field(&f, "status")).unwrap_or(LicenceStatus::Active),
        reason: field(&f, "reason").to_owned(),
    };
    match s.catalogue.licence_upsert(&c, input.clone()).await {
        Ok(_) => saved(&ctx, &code, "licences"),
        Err(e) if e.code == edu24_shared::error::ErrorCode::InvalidArgument => {
            licence_page(&s, &ctx, &code, input, Some(problem(tr, &e)), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

pub async fn accreditation_form(State(s): State<Shared>, ctx: Ctx, Path(code): Path<String>) -> Response {
    accreditation_page(&s, &ctx, &code, None, StatusCode::OK).await
}

async fn accreditation_page(s: &Shared, ctx: &Ctx, code: &str, notice: Option<Markup>, status: StatusCode) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match session_call(s, ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    if let Err(r) = allowed(s, ctx, &c, code, true).await {
        return r;
    }
    let inst = match s.catalogue.institution_get(&c, code).await {
        Ok(i) => i,
        Err(e) => return lookup_failed(tr, ctx, &e, "error-institution-not-found"),
    };
    let lang = ctx.lang.code();
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let title = tr.t("accreditation-add");
    let body = html! {
        p { a href=(ctx.href(&format!("/admin/institution/{code}#licences"))) { "← " (tr.t("back")) } }
        h1 { (title) }
        @if let Some(n) = notice { (n) }
        form.stack method="post" action=(ctx.href(&format!("/admin/institution/{code}/accreditation"))) {
            input type="hidden" name="csrf" value=(csrf);
            div {
                label for="ac-programme" { (tr.t("accreditation-of")) }
                select #ac-programme name="programme_id" {
                    option value="" { (tr.t("accreditation-whole")) }
                    @for p in &inst.programmes { option value=(p.id) { (p.specialty_code) " " (p.specialty_name.get(lang)) " · " (p.form.as_str()) " · " (p.language) } }
                }
            }
            (input("ac-agency", "agency", &tr.t("field-agency"), "", Spec { required: true, maxlength: Some("200"), list: Some("agencies"), ..Spec::default() }))
            datalist #agencies { @for a in ["AAEPO", "EdNet", "Bilim-Standard", "Sapattuu Bilim"] { option value=(a) {} } }
            div {
                label for="ac-result" { (tr.t("field-result")) }
                select #ac-result name="result" {
                    @for r in AccreditationResult::ALL { option value=(r.as_str()) { (tr.t(&format!("accreditation-{}", r.as_str()))) } }
                }
            }
            (input("ac-from", "valid_from", &tr.t("field-valid_from"), &today(), Spec { kind: "date", required: true, ..Spec::default() }))
            (input("ac-to", "valid_to", &tr.t("field-valid_to"), "", Spec { kind: "date", ..Spec::default() }))
            (input("ac-doc", "document_no", &tr.t("col-document"), "", Spec { required: true, maxlength: Some("64"), ..Spec::default() }))
            button type="submit" { (tr.t("save")) }
        }
    };
    private(s, ctx, &csrf, respond(status, page(tr, ctx, &title, body)))
}

pub async fn accreditation_save(State(s): State<Shared>, ctx: Ctx, Path(code): Path<String>, body: String) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let f = fields(&body);
    let c = match form_call(&s, &ctx, field(&f, "csrf")).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let Some(result) = AccreditationResult::parse(field(&f, "result")) else {
        let e = ApiError::invalid("result", "choose a result");
        return accreditation_page(&s, &ctx, &code, Some(problem(tr, &e)), StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let input = AccreditationInput {
        id: None,
        institution_code: code.clone(),
        programme_id: Some(field(&f, "programme_id").to_owned()).filter(|v| !v.is_empty()),
        agency: field(&f, "agency").to_owned(),
        result,
        valid_from: field(&f, "valid_from").to_owned(),
        valid_to: Some(field(&f, "valid_to").to_owned()).filter(|v| !v.is_empty()),
        document_no: field(&f, "document_no").to_owned(),
    };
    match s.catalogue.accreditation_upsert(&c, input).await {
        Ok(_) => saved(&ctx, &code, "licences"),
        Err(e) if e.code == edu24_shared::error::ErrorCode::InvalidArgument => {
            accreditation_page(&s, &ctx, &code, Some(problem(tr, &e)), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

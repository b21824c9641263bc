//! The ministry's licensing dashboard (and an institution's own view of it), the
//! management of the classifier (import and export as CSV or XLSX), and the open-data
//! downloads of the public catalogue.

use std::collections::HashMap;

use axum::extract::{Multipart, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use edu24_catalogue::domain::*;
use edu24_shared::auth::CallCtx;
use edu24_shared::sheet::{read_cells, write_csv, write_xlsx};
use maud::{Markup, html};

use super::Shared;
use super::ctx::Ctx;
use super::layout::{bar_chart, error_page, page, respond};
use super::pages::{csrf_ok, form_name, level_name, licence_badge, new_csrf, private, service_error, session_call};
use super::params::pairs;
use crate::i18n::{Tr, group_digits, num, text};

/// A table download in the format asked for.
pub(crate) fn table_download(format: &str, name: &str, header: &[&str], rows: &[Vec<String>]) -> Response {
    let (bytes, content_type, ext) = match format {
        "xlsx" => match write_xlsx(name, header, rows) {
            Ok(b) => (b, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
            Err(e) => {
                tracing::error!(error = %e, "writing a spreadsheet failed");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        },
        _ => (write_csv(header, rows), "text/csv; charset=utf-8", "csv"),
    };
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}.{ext}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

fn param(raw: Option<&str>, key: &str) -> Option<String> {
    pairs(raw).ok()?.into_iter().rev().find(|(k, v)| k == key && !v.is_empty()).map(|(_, v)| v)
}

const USAGE_HEADER: &[&str] = &[
    "list",
    "institution",
    "licence_id",
    "document_no",
    "specialty_code",
    "specialty_ru",
    "level",
    "form",
    "contingent",
    "enrolled",
    "held",
    "fill_percent",
    "valid_from",
    "valid_to",
];

fn usage_row(list: &str, u: &LicenceUsage) -> Vec<String> {
    let l = &u.licence;
    vec![
        list.into(),
        u.institution_code.clone(),
        l.id.clone(),
        l.document_no.clone(),
        l.specialty_code.clone(),
        u.specialty_name.ru.clone(),
        l.level.as_str().into(),
        l.form.as_str().into(),
        l.contingent.to_string(),
        u.enrolled.to_string(),
        u.held.to_string(),
        u.fill_percent().to_string(),
        l.valid_from.clone(),
        l.valid_to.clone().unwrap_or_default(),
    ]
}

fn dashboard_rows(d: &Dashboard) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    rows.extend(d.near_full.iter().map(|u| usage_row(if u.fill_percent() >= 100 { "full" } else { "near_full" }, u)));
    rows.extend(d.expiring.iter().map(|u| usage_row("expiring", u)));
    for x in &d.unlicensed {
        let p = &x.programme;
        rows.push(vec![
            "unlicensed".into(),
            x.institution_code.clone(),
            x.licence.as_ref().map(|l| l.id.clone()).unwrap_or_default(),
            x.licence.as_ref().map(|l| l.document_no.clone()).unwrap_or_default(),
            p.specialty_code.clone(),
            p.specialty_name.ru.clone(),
            p.level.as_str().into(),
            p.form.as_str().into(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            x.licence.as_ref().map(|l| l.valid_from.clone()).unwrap_or_default(),
            x.licence.as_ref().and_then(|l| l.valid_to.clone()).unwrap_or_default(),
        ]);
    }
    rows
}

fn usage_table(tr: Tr<'_>, ctx: &Ctx, framework: &Framework, caption: &str, rows: &[LicenceUsage]) -> Markup {
    let lang = ctx.lang.code();
    let today = today();
    html! {
        div.table-wrap {
            table {
                caption { (caption) " (" (rows.len()) ")" }
                thead { tr {
                    th scope="col" { (tr.t("fact-institution")) }
                    th scope="col" { (tr.t("col-specialty")) }
                    th scope="col" { (tr.t("col-level")) " · " (tr.t("col-form")) }
                    th scope="col" { (tr.t("col-fill")) }
                    th scope="col" { (tr.t("col-valid")) }
                    th scope="col" { (tr.t("col-status")) }
                } }
                tbody {
                    @for u in rows {
                        @let l = &u.licence;
                        @let fill = u.fill_percent();
                        tr {
                            td { a href=(ctx.href(&format!("/institutions/{}", u.institution_code))) { (u.institution_name.get(lang)) } }
                            td { (l.specialty_code) " " (u.specialty_name.get(lang)) }
                            td { (level_name(tr, framework, l.level)) " · " (form_name(tr, framework, l.form)) }
                            td {
                                meter min="0" max=(l.contingent.max(1)) low=(l.contingent * 9 / 10) high=(l.contingent) optimum="0"
                                    value=(u.enrolled + u.held) { (fill) "%" }
                                " " strong { (fill) "%" } " "
                                (tr.ta("fill-detail", &[("enrolled", num(u.enrolled)), ("held", num(u.held)), ("contingent", num(l.contingent))]))
                            }
                            td { (l.valid_from) " – " @match &l.valid_to { Some(t) => (t), None => (tr.t("valid-indefinite")) } }
                            td { (licence_badge(tr, l, &today)) }
                        }
                    }
                }
            }
        }
    }
}

/// Live licensing dashboard: the country for the ministry, one institution for its staff.
pub async fn dashboard(State(s): State<Shared>, ctx: Ctx, RawQuery(raw): RawQuery) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match session_call(&s, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let institution = param(raw.as_deref(), "institution").filter(|i| i.len() <= 64);
    let format = param(raw.as_deref(), "format");
    let (d, framework) =
        match tokio::try_join!(s.catalogue.dashboard(&c, institution.as_deref()), s.catalogue.framework(&c)) {
            Ok(v) => v,
            Err(e) => return service_error(tr, &ctx, &e),
        };
    if let Some(f) = format.as_deref().filter(|f| matches!(*f, "csv" | "xlsx")) {
        let mut r = table_download(f, &format!("licensing-{}", d.today), USAGE_HEADER, &dashboard_rows(&d));
        r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return r;
    }
    let lang = ctx.lang.code();
    let scope_name = match &institution {
        Some(i) => match s.catalogue.institution_get(&c, i).await {
            Ok(inst) => Some(inst.summary.name.get(lang).to_owned()),
            Err(e) => return service_error(tr, &ctx, &e),
        },
        None => None,
    };
    let full = d.near_full.iter().filter(|u| u.fill_percent() >= 100).count();
    let bands: Vec<(String, u64)> = ["fill-band-low", "fill-band-mid", "fill-band-high", "fill-band-full"]
        .iter()
        .zip(d.fill_bands.iter())
        .map(|(id, n)| (tr.t(id).into_owned(), u64::from(*n)))
        .collect();
    let mut by_month: Vec<(String, u64)> = Vec::new();
    for u in &d.expiring {
        let month = u.licence.valid_to.as_deref().and_then(|t| t.get(..7)).unwrap_or("").to_owned();
        match by_month.iter_mut().find(|(m, _)| *m == month) {
            Some((_, n)) => *n += 1,
            None => by_month.push((month, 1)),
        }
    }
    let export = |f: &str| {
        let mut q: Vec<(&str, String)> = vec![("format", f.to_owned())];
        if let Some(i) = &institution {
            q.push(("institution", i.clone()));
        }
        format!("{}?{}", ctx.href("/admin/licensing"), serde_urlencoded::to_string(&q).unwrap_or_default())
    };
    let title = match &scope_name {
        Some(n) => tr.ta("licensing-title-institution", &[("name", text(n))]),
        None => tr.t("licensing-title").into_owned(),
    };
    let body = html! {
        h1 { (title) }
        p.sub { (tr.ta("licensing-live", &[("date", text(&d.today))])) }
        div.stats {
            div.stat { b { (group_digits(u64::from(d.licences_in_force), ctx.lang)) } (tr.t("stat-licences")) }
            div.stat { b { (group_digits(d.licensed_contingent, ctx.lang)) } (tr.t("stat-contingent")) }
            div.stat { b { (group_digits(d.enrolled, ctx.lang)) } (tr.t("stat-enrolled")) }
            div.stat { b { (full) } (tr.t("stat-full")) }
        }
        @if d.near_full.is_empty() && d.expiring.is_empty() && d.unlicensed.is_empty() {
            div.alert.info role="status" { (tr.t("licensing-all-clear")) }
        }
        div.charts {
            (bar_chart(&tr.t("chart-fill-bands"), &bands))
            @if !by_month.is_empty() { (bar_chart(&tr.t("chart-expiring-by-month"), &by_month)) }
        }
        p {
            a href=(export("csv")) download { (tr.t("download-csv")) } " · "
            a href=(export("xlsx")) download { (tr.t("download-xlsx")) }
        }
        h2 #near-full { (tr.t("licensing-near-full")) }
        (usage_table(tr, &ctx, &framework, &tr.t("licensing-near-full-caption"), &d.near_full))
        h2 #expiring { (tr.t("licensing-expiring")) }
        (usage_table(tr, &ctx, &framework, &tr.t("licensing-expiring-caption"), &d.expiring))
        h2 #unlicensed { (tr.t("licensing-unlicensed")) }
        div.table-wrap {
            table {
                caption { (tr.t("licensing-unlicensed-caption")) " (" (d.unlicensed.len()) ")" }
                thead { tr {
                    th scope="col" { (tr.t("fact-institution")) }
                    th scope="col" { (tr.t("col-specialty")) }
                    th scope="col" { (tr.t("col-level")) " · " (tr.t("col-form")) }
                    th scope="col" { (tr.t("col-licence")) }
                } }
                tbody {
                    @for x in &d.unlicensed {
                        tr {
                            td { a href=(ctx.href(&format!("/institutions/{}", x.institution_code))) { (x.institution_name.get(lang)) } }
                            td { a href=(ctx.href(&format!("/programmes/{}", x.programme.id))) { (x.programme.specialty_code) " " (x.programme.specialty_name.get(lang)) } }
                            td { (level_name(tr, &framework, x.programme.level)) " · " (form_name(tr, &framework, x.programme.form)) }
                            td {
                                @match &x.licence {
                                    Some(l) => { (licence_badge(tr, l, &d.today)) " " (l.document_no) @if !l.reason.is_empty() { ": " (l.reason) } },
                                    None => span.badge.bad { (tr.t("licence-none")) },
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    let mut r = respond(StatusCode::OK, page(tr, &ctx, &title, body));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The alerts an institution's staff see on their personal page.
pub(crate) fn alerts_box(tr: Tr<'_>, ctx: &Ctx, institution_id: &str, name: &str, d: &Dashboard) -> Markup {
    let full = d.near_full.iter().filter(|u| u.fill_percent() >= 100).count();
    let near = d.near_full.len() - full;
    let link = format!("{}?institution={}", ctx.href("/admin/licensing"), institution_id);
    html! {
        @if full + near + d.expiring.len() + d.unlicensed.len() > 0 {
            div.alert.error role="status" {
                strong { (tr.ta("alerts-heading", &[("name", text(name))])) }
                ul {
                    @if full > 0 { li { (tr.ta("alert-full", &[("count", num(full as f64))])) } }
                    @if near > 0 { li { (tr.ta("alert-near-full", &[("count", num(near as f64))])) } }
                    @if !d.expiring.is_empty() { li { (tr.ta("alert-expiring", &[("count", num(d.expiring.len() as f64))])) } }
                    @if !d.unlicensed.is_empty() { li { (tr.ta("alert-unlicensed", &[("count", num(d.unlicensed.len() as f64))])) } }
                }
                a href=(link) { (tr.t("alerts-open")) }
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// The classifier: export (public), import (ministry).

const FRAMEWORK_HEADER: &[&str] = &[
    "code",
    "level",
    "name_ky",
    "name_ru",
    "name_en",
    "isced_f_broad",
    "verified",
    "barred_forms",
    "valid_from",
    "valid_to",
];

fn framework_rows(f: &Framework) -> Vec<Vec<String>> {
    f.specialties
        .iter()
        .map(|s| {
            vec![
                s.code.clone(),
                s.level.as_str().into(),
                s.name.ky.clone(),
                s.name.ru.clone(),
                s.name.en.clone(),
                s.isced_f_broad.clone(),
                if s.verified { "yes" } else { "no" }.into(),
                s.barred_forms.iter().map(|b| b.as_str()).collect::<Vec<_>>().join(" "),
                s.valid_from.clone(),
                s.valid_to.clone().unwrap_or_default(),
            ]
        })
        .collect()
}

pub async fn framework_export_csv(State(s): State<Shared>) -> Response {
    framework_export(&s, "csv").await
}

pub async fn framework_export_xlsx(State(s): State<Shared>) -> Response {
    framework_export(&s, "xlsx").await
}

async fn framework_export(s: &Shared, format: &str) -> Response {
    match s.catalogue.framework(&CallCtx::anonymous()).await {
        Ok(f) => table_download(format, "classifier", FRAMEWORK_HEADER, &framework_rows(&f)),
        Err(_) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

/// Reads classifier rows from a file: the header names the columns (in any order); a
/// cell that cannot be read is reported with its row, and nothing is imported then.
pub fn parse_framework(bytes: &[u8]) -> Result<Vec<SpecialtyInput>, Vec<RowError>> {
    let cells = read_cells(bytes, 8 << 20)
        .map_err(|e| vec![RowError { row: 0, field: "file".into(), message: e.code().into() }])?;
    let Some((head, body)) = cells.split_first() else {
        return Err(vec![RowError { row: 0, field: "file".into(), message: "file_empty".into() }]);
    };
    let col: HashMap<String, usize> = head.iter().enumerate().map(|(i, h)| (h.trim().to_lowercase(), i)).collect();
    let missing: Vec<&str> = ["code", "level", "name_ky", "name_ru", "name_en", "isced_f_broad"]
        .into_iter()
        .filter(|c| !col.contains_key(*c))
        .collect();
    if !missing.is_empty() {
        return Err(vec![RowError { row: 1, field: missing.join(", "), message: "missing_columns".into() }]);
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (i, r) in body.iter().enumerate() {
        let row = i as u32 + 2;
        let get = |name: &str| col.get(name).and_then(|&c| r.get(c)).map(|v| v.trim().to_owned()).unwrap_or_default();
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let level = match Level::parse(&get("level")) {
            Some(l) => l,
            None => {
                errors.push(RowError {
                    row,
                    field: "level".into(),
                    message: format!("unknown level {:?}", get("level")),
                });
                continue;
            }
        };
        let mut barred = Vec::new();
        let mut bad_form = None;
        for f in get("barred_forms").split([' ', ',', ';']).filter(|f| !f.is_empty()) {
            match StudyForm::parse(f) {
                Some(x) => barred.push(x),
                None => bad_form = Some(f.to_owned()),
            }
        }
        if let Some(f) = bad_form {
            errors.push(RowError { row, field: "barred_forms".into(), message: format!("unknown study form {f:?}") });
            continue;
        }
        let verified = match get("verified").to_lowercase().as_str() {
            "" | "yes" | "да" | "ооба" | "1" | "true" => true,
            "no" | "нет" | "жок" | "0" | "false" => false,
            other => {
                errors.push(RowError { row, field: "verified".into(), message: format!("{other:?} is not yes or no") });
                continue;
            }
        };
        let valid_from = get("valid_from");
        rows.push(SpecialtyInput {
            code: get("code"),
            level,
            name: Localized { ky: get("name_ky"), ru: get("name_ru"), en: get("name_en") },
            isced_f_broad: {
                let f = get("isced_f_broad");
                if f.len() == 1 { format!("0{f}") } else { f }
            },
            verified,
            barred_forms: barred,
            valid_from: if valid_from.is_empty() { today() } else { valid_from },
            valid_to: Some(get("valid_to")).filter(|v| !v.is_empty()),
        });
    }
    if errors.is_empty() { Ok(rows) } else { Err(errors) }
}

fn framework_admin_page(
    s: &Shared,
    ctx: &Ctx,
    status: StatusCode,
    report: Option<&ImportReport>,
    framework: &Framework,
    entry: &SpecialtyInput,
) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let lang = ctx.lang.code();
    let csrf = ctx.csrf_cookie.clone().unwrap_or_else(new_csrf);
    let title = tr.t("framework-admin-title");
    let body = html! {
        h1 { (title) }
        @if let Some(r) = report {
            @if r.errors.is_empty() {
                div.alert.ok role="status" { (tr.ta("import-done", &[("changed", num(r.changed)), ("unchanged", num(r.unchanged))])) }
            } @else {
                div.alert.error role="alert" {
                    p { strong { (tr.ta("import-refused", &[("count", num(r.errors.len() as f64))])) } }
                    div.table-wrap {
                        table {
                            caption { (tr.t("import-errors-caption")) }
                            thead { tr { th scope="col" { (tr.t("col-row")) } th scope="col" { (tr.t("col-column")) } th scope="col" { (tr.t("col-problem")) } } }
                            tbody {
                                @for e in r.errors.iter().take(500) {
                                    tr {
                                        td { @if e.row > 0 { (e.row) } }
                                        td { code { (e.field) } }
                                        td { @if tr.has(&format!("import-{}", e.message)) { (tr.t(&format!("import-{}", e.message))) } @else { (e.message) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        p { (tr.t("framework-admin-lead")) }
        form.stack method="post" action=(ctx.href("/admin/framework/import")) enctype="multipart/form-data" {
            input type="hidden" name="csrf" value=(csrf);
            label for="fw-file" { (tr.t("import-file-label")) }
            input #fw-file type="file" name="file" required accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            p.hint { (tr.t("import-file-hint")) " " code { (FRAMEWORK_HEADER.join(",")) } }
            button type="submit" { (tr.t("import-button")) }
        }
        h2 #entry { (tr.t("entry-heading")) }
        p.hint { (tr.t("entry-hint")) }
        form.stack method="post" action=(ctx.href("/admin/framework/entry")) {
            input type="hidden" name="csrf" value=(csrf);
            div { label for="en-code" { (tr.t("field-code")) } input #en-code name="code" value=(entry.code) required maxlength="6" inputmode="numeric" pattern="[0-9]{6}"; }
            div {
                label for="en-level" { (tr.t("col-level")) }
                select #en-level name="level" {
                    @for l in &framework.levels { option value=(l.code.as_str()) selected[l.code == entry.level] { (l.name.get(lang)) } }
                }
            }
            @for (k, label, v) in [("name_ky", "Кыргызча", &entry.name.ky), ("name_ru", "Русский", &entry.name.ru), ("name_en", "English", &entry.name.en)] {
                div { label for={ "en-" (k) } { (tr.t("field-name")) " · " (label) } input id={ "en-" (k) } name=(k) value=(v) required maxlength="300"; }
            }
            div {
                label for="en-isced" { (tr.t("field-isced_f_broad")) }
                select #en-isced name="isced_f_broad" {
                    @for f in &framework.isced_fields { option value=(f.code) selected[f.code == entry.isced_f_broad] { (f.code) " " (f.name.get(lang)) } }
                }
            }
            fieldset {
                legend { (tr.t("col-barred")) }
                @for f in &framework.forms {
                    div.check {
                        input type="checkbox" name="barred_forms" value=(f.code.as_str()) id={ "en-bar-" (f.code.as_str()) } checked[entry.barred_forms.contains(&f.code)];
                        label for={ "en-bar-" (f.code.as_str()) } { (f.name.get(lang)) }
                    }
                }
            }
            div { label for="en-from" { (tr.t("field-valid_from")) } input #en-from type="date" name="valid_from" value=(entry.valid_from) required; }
            div { label for="en-to" { (tr.t("field-valid_to")) } input #en-to type="date" name="valid_to" value=(entry.valid_to.clone().unwrap_or_default()); }
            div.check { input #en-verified type="checkbox" name="verified" value="yes" checked[entry.verified]; label for="en-verified" { (tr.t("entry-verified")) } }
            button type="submit" { (tr.t("save")) }
        }
        p {
            a href=(ctx.href("/framework/export.csv")) download { (tr.t("download-csv")) } " · "
            a href=(ctx.href("/framework/export.xlsx")) download { (tr.t("download-xlsx")) } " · "
            a href=(ctx.href("/framework")) { (tr.t("framework-title")) }
        }
    };
    private(s, ctx, &csrf, respond(status, page(tr, ctx, &title, body)))
}

fn blank_entry() -> SpecialtyInput {
    SpecialtyInput {
        code: String::new(),
        level: Level::Bachelor,
        name: Localized::default(),
        isced_f_broad: "00".into(),
        verified: true,
        barred_forms: Vec::new(),
        valid_from: today(),
        valid_to: None,
    }
}

/// The management page; `?code=580100&level=bachelor` fills the one-entry form with that entry.
pub async fn framework_admin(State(s): State<Shared>, ctx: Ctx, RawQuery(raw): RawQuery) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let c = match session_call(&s, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match s.identity.me(&c).await {
        Ok(me) if me.roles.iter().any(|r| r.role == edu24_shared::auth::Role::MinistryAdmin) => {}
        Ok(_) => {
            return error_page(tr, &ctx, StatusCode::FORBIDDEN, "error-forbidden", &tr.t("error-forbidden-detail"));
        }
        Err(e) => return service_error(tr, &ctx, &e),
    }
    let framework = match s.catalogue.framework(&c).await {
        Ok(f) => f,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let (code, level) = (param(raw.as_deref(), "code"), param(raw.as_deref(), "level").and_then(|l| Level::parse(&l)));
    let entry = match (code, level) {
        (Some(code), Some(level)) => match framework.specialty(&code, level) {
            Some(sp) => SpecialtyInput {
                code: sp.code.clone(),
                level: sp.level,
                name: sp.name.clone(),
                isced_f_broad: sp.isced_f_broad.clone(),
                verified: sp.verified,
                barred_forms: sp.barred_forms.clone(),
                valid_from: sp.valid_from.clone(),
                valid_to: sp.valid_to.clone(),
            },
            None => blank_entry(),
        },
        _ => blank_entry(),
    };
    framework_admin_page(&s, &ctx, StatusCode::OK, None, &framework, &entry)
}

/// Saves one entry of the classifier (as a one-row import: the same checks, a new version).
pub async fn framework_entry(State(s): State<Shared>, ctx: Ctx, body: String) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let f: Vec<(String, String)> = serde_urlencoded::from_str(&body).unwrap_or_default();
    let get = |k: &str| f.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
    let c = match super::pages::form_call(&s, &ctx, &get("csrf")).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let framework = match s.catalogue.framework(&c).await {
        Ok(fw) => fw,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let entry = SpecialtyInput {
        code: get("code"),
        level: Level::parse(&get("level")).unwrap_or(Level::Bachelor),
        name: Localized { ky: get("name_ky"), ru: get("name_ru"), en: get("name_en") },
        isced_f_broad: get("isced_f_broad"),
        verified: get("verified") == "yes",
        barred_forms: f.iter().filter(|(k, _)| k == "barred_forms").filter_map(|(_, v)| StudyForm::parse(v)).collect(),
        valid_from: get("valid_from"),
        valid_to: Some(get("valid_to")).filter(|v| !v.is_empty()),
    };
    match s.catalogue.specialties_import(&c, vec![entry.clone()]).await {
        Ok(report) => {
            let status = if report.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
            framework_admin_page(&s, &ctx, status, Some(&report), &framework, &entry)
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

/// Reads a multipart form: text fields, and the bytes of file fields.
pub(crate) async fn read_form(mut form: Multipart) -> Result<HashMap<String, Vec<u8>>, ()> {
    let mut out = HashMap::new();
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_owned();
                let bytes = field.bytes().await.map_err(|_| ())?;
                out.insert(name, bytes.to_vec());
            }
            Ok(None) => return Ok(out),
            Err(_) => return Err(()),
        }
    }
}

pub async fn framework_import(State(s): State<Shared>, ctx: Ctx, form: Multipart) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let Ok(fields) = read_form(form).await else {
        return error_page(tr, &ctx, StatusCode::BAD_REQUEST, "error-bad-request", &tr.t("import-file-too-large"));
    };
    let csrf = fields.get("csrf").map(|b| String::from_utf8_lossy(b).into_owned()).unwrap_or_default();
    if !csrf_ok(&ctx, &csrf) {
        return error_page(tr, &ctx, StatusCode::FORBIDDEN, "error-forbidden", &tr.t("error-csrf"));
    }
    let c = match session_call(&s, &ctx).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let framework = match s.catalogue.framework(&c).await {
        Ok(fw) => fw,
        Err(e) => return service_error(tr, &ctx, &e),
    };
    let file = fields.get("file").map(Vec::as_slice).unwrap_or_default();
    let rows = match parse_framework(file) {
        Ok(r) => r,
        Err(errors) => {
            let report = ImportReport { errors, ..ImportReport::default() };
            return framework_admin_page(
                &s,
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&report),
                &framework,
                &blank_entry(),
            );
        }
    };
    match s.catalogue.specialties_import(&c, rows).await {
        Ok(report) => {
            let status = if report.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
            framework_admin_page(&s, &ctx, status, Some(&report), &framework, &blank_entry())
        }
        Err(e) => service_error(tr, &ctx, &e),
    }
}

// ---------------------------------------------------------------------------------
// Open data: the whole public catalogue as CSV.

pub async fn open_data(State(s): State<Shared>, ctx: Ctx) -> Response {
    let tr = s.i18n.tr(ctx.lang);
    let title = tr.t("open-data-title");
    let body = html! {
        h1 { (title) }
        p { (tr.t("open-data-lead")) }
        ul {
            li { a href=(ctx.href("/open-data/institutions.csv")) download { (tr.t("open-data-institutions")) } " (CSV)" }
            li { a href=(ctx.href("/open-data/programmes.csv")) download { (tr.t("open-data-programmes")) } " (CSV)" }
            li { a href=(ctx.href("/open-data/licences.csv")) download { (tr.t("open-data-licences")) } " (CSV)" }
            li { a href=(ctx.href("/framework/export.csv")) download { (tr.t("framework-title")) } " (CSV)" }
            li { a href="/api/v1/openapi.json" { "OpenAPI (JSON API /api/v1)" } }
        }
        p.sub { (tr.t("open-data-licence")) }
    };
    let mut r = respond(StatusCode::OK, page(tr, &ctx, &title, body));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    r
}

/// Every institution's summary, in English name order.
pub(crate) async fn all_institution_summaries(s: &Shared) -> Result<Vec<InstitutionSummary>, edu24_shared::ApiError> {
    let c = CallCtx::anonymous();
    let mut out = Vec::new();
    let mut page_no = 1;
    loop {
        let q = InstitutionQuery {
            page: page_no,
            per_page: MAX_PER_PAGE,
            sort_language: "en".into(),
            ..Default::default()
        };
        let p = s.catalogue.institution_search(&c, &q).await?;
        let done = u64::from(page_no) * u64::from(MAX_PER_PAGE) >= p.total;
        out.extend(p.items);
        if done {
            return Ok(out);
        }
        page_no += 1;
    }
}

async fn all_institutions(s: &Shared) -> Result<Vec<Institution>, edu24_shared::ApiError> {
    let c = CallCtx::anonymous();
    let mut out = Vec::new();
    let mut page_no = 1;
    loop {
        let q = InstitutionQuery {
            page: page_no,
            per_page: MAX_PER_PAGE,
            sort_language: "en".into(),
            ..Default::default()
        };
        let p = s.catalogue.institution_search(&c, &q).await?;
        for i in &p.items {
            out.push(s.catalogue.institution_get(&c, &i.code).await?);
        }
        if u64::from(page_no) * u64::from(MAX_PER_PAGE) >= p.total {
            return Ok(out);
        }
        page_no += 1;
    }
}

fn csv_response(name: &str, header: &[&str], rows: &[Vec<String>]) -> Response {
    let mut r = table_download("csv", name, header, rows);
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    r
}

pub async fn open_institutions(State(s): State<Shared>) -> Response {
    let Ok(all) = all_institutions(&s).await else { return StatusCode::SERVICE_UNAVAILABLE.into_response() };
    let rows: Vec<Vec<String>> = all
        .iter()
        .map(|i| {
            let m = &i.summary;
            vec![
                m.id.clone(),
                m.code.clone(),
                m.name.ky.clone(),
                m.name.ru.clone(),
                m.name.en.clone(),
                m.region.clone(),
                m.city.ru.clone(),
                m.ownership.as_str().into(),
                m.status.as_str().into(),
                m.founded.map(|y| y.to_string()).unwrap_or_default(),
                m.website.clone(),
                if m.special_status { "yes" } else { "no" }.into(),
                if m.accredited { "yes" } else { "no" }.into(),
                m.programme_count.to_string(),
                i.profile.languages.join(" "),
                i.profile.address.ru.clone(),
                i.profile.phone.clone(),
                i.profile.email.clone(),
            ]
        })
        .collect();
    csv_response(
        "institutions",
        &[
            "id",
            "code",
            "name_ky",
            "name_ru",
            "name_en",
            "region",
            "city_ru",
            "ownership",
            "status",
            "founded",
            "website",
            "special_status",
            "accredited",
            "programmes",
            "languages",
            "address_ru",
            "phone",
            "email",
        ],
        &rows,
    )
}

pub async fn open_programmes(State(s): State<Shared>) -> Response {
    let Ok(all) = all_institutions(&s).await else { return StatusCode::SERVICE_UNAVAILABLE.into_response() };
    let o = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
    let oi = |v: Option<i32>| v.map(|x| x.to_string()).unwrap_or_default();
    let rows: Vec<Vec<String>> = all
        .iter()
        .flat_map(|i| {
            i.programmes.iter().map(move |p| {
                vec![
                    p.id.clone(),
                    i.summary.code.clone(),
                    p.specialty_code.clone(),
                    p.specialty_name.ru.clone(),
                    p.level.as_str().into(),
                    p.form.as_str().into(),
                    p.language.clone(),
                    p.duration_months.to_string(),
                    p.credits.to_string(),
                    o(p.fee_citizen),
                    o(p.fee_foreign),
                    p.grant_places.to_string(),
                    p.contract_places.to_string(),
                    p.admission_year.to_string(),
                    oi(p.passing_score),
                    // Small groups are not published (fewer than 5 graduates).
                    oi(p.graduates.filter(|g| *g >= SMALL_COUNT)),
                    p.employment_percent().map(|x| x.to_string()).unwrap_or_default(),
                    oi(p.outcomes_year.filter(|_| p.employment_percent().is_some())),
                ]
            })
        })
        .collect();
    csv_response(
        "programmes",
        &[
            "id",
            "institution",
            "specialty_code",
            "specialty_ru",
            "level",
            "form",
            "language",
            "duration_months",
            "credits",
            "fee_citizen",
            "fee_foreign",
            "grant_places",
            "contract_places",
            "admission_year",
            "passing_score",
            "graduates",
            "employed_percent",
            "outcomes_year",
        ],
        &rows,
    )
}

pub async fn open_licences(State(s): State<Shared>) -> Response {
    let Ok(all) = all_institutions(&s).await else { return StatusCode::SERVICE_UNAVAILABLE.into_response() };
    let rows: Vec<Vec<String>> = all
        .iter()
        .flat_map(|i| {
            i.licences.iter().map(move |l| {
                vec![
                    l.id.clone(),
                    i.summary.code.clone(),
                    l.specialty_code.clone(),
                    l.level.as_str().into(),
                    l.form.as_str().into(),
                    l.contingent.to_string(),
                    l.valid_from.clone(),
                    l.valid_to.clone().unwrap_or_default(),
                    l.document_no.clone(),
                    l.status.as_str().into(),
                    l.reason.clone(),
                ]
            })
        })
        .collect();
    csv_response(
        "licences",
        &[
            "id",
            "institution",
            "specialty_code",
            "level",
            "form",
            "contingent",
            "valid_from",
            "valid_to",
            "document_no",
            "status",
            "reason",
        ],
        &rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_classifier_file_is_read_by_its_header_and_bad_cells_are_reported() {
        let good = "level;code;name_ky;name_ru;name_en;isced_f_broad;barred_forms;valid_from\n\
                    bachelor;710700;Киберкоопсуздук;Кибербезопасность;Cybersecurity;6;part_time;2026-01-01\n\n";
        let rows = parse_framework(good.as_bytes()).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].isced_f_broad.as_str(), rows[0].barred_forms.clone()), ("06", vec![StudyForm::PartTime]));
        let bad = "code,level,name_ky,name_ru,name_en,isced_f_broad,barred_forms,verified\n\
                   1,college,a,b,c,06,,\n2,bachelor,a,b,c,06,night,\n3,bachelor,a,b,c,06,,maybe\n";
        let errs = parse_framework(bad.as_bytes()).unwrap_err();
        assert_eq!(
            errs.iter().map(|e| (e.row, e.field.as_str())).collect::<Vec<_>>(),
            vec![(2, "level"), (3, "barred_forms"), (4, "verified")]
        );
        let missing = parse_framework(b"code,level\n").unwrap_err();
        assert_eq!(missing[0].message, "missing_columns");
    }
}

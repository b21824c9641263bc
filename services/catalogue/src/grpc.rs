//! gRPC adapters of catalogue: the tonic server over any [`CatalogueApi`], and the
//! client that implements [`CatalogueApi`] over the network. Conversions only.

use std::sync::Arc;

use async_trait::async_trait;
use edu24_proto::catalogue::v1 as pb;
use edu24_proto::catalogue::v1::catalogue_client::CatalogueClient as PbClient;
use edu24_proto::catalogue::v1::catalogue_server::{Catalogue, CatalogueServer};
use edu24_proto::common::v1::LocalizedText;
use edu24_shared::auth::CallCtx;
use edu24_shared::error::{ApiError, ApiResult};
use edu24_shared::grpc::{ctx_from, error_from, request, status_from};
use tonic::transport::Channel;
use tonic::{Request, Response, Status};

use crate::CatalogueApi;
use crate::domain::*;
use crate::events::text;

/// Largest message either side accepts: a classifier import of [`MAX_IMPORT_ROWS`]
/// rows and the classifier's history are larger than tonic's default of 4 MiB.
const MAX_MESSAGE_BYTES: usize = 16 << 20;

fn loc(t: Option<LocalizedText>) -> Localized {
    t.map(|t| Localized { ky: t.ky, ru: t.ru, en: t.en }).unwrap_or_default()
}

fn bad(field: &str) -> ApiError {
    ApiError::invalid(field, format!("{field} has an unknown value"))
}

fn opt(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

fn levels_from(levels: &[String]) -> ApiResult<Vec<Level>> {
    levels.iter().map(|l| Level::parse(l).ok_or_else(|| bad("level"))).collect()
}

fn forms_from(forms: &[String]) -> ApiResult<Vec<StudyForm>> {
    forms.iter().map(|f| StudyForm::parse(f).ok_or_else(|| bad("form"))).collect()
}

fn forms_pb(forms: &[StudyForm]) -> Vec<String> {
    forms.iter().map(|f| f.as_str().to_owned()).collect()
}

// ----- domain -> proto

fn summary_pb(s: &InstitutionSummary) -> pb::InstitutionSummary {
    pb::InstitutionSummary {
        id: s.id.clone(),
        code: s.code.clone(),
        name: Some(text(&s.name)),
        region: s.region.clone(),
        city: Some(text(&s.city)),
        ownership: s.ownership.as_str().into(),
        status: s.status.as_str().into(),
        founded: s.founded.unwrap_or(0),
        website: s.website.clone(),
        special_status: s.special_status,
        programme_count: s.programme_count,
        levels: s.levels.iter().map(|l| l.as_str().to_owned()).collect(),
        version: s.version,
        languages: s.languages.clone(),
        accredited: s.accredited,
    }
}

fn programme_pb(p: &Programme) -> pb::Programme {
    pb::Programme {
        id: p.id.clone(),
        institution_id: p.institution_id.clone(),
        specialty_code: p.specialty_code.clone(),
        level: p.level.as_str().into(),
        specialty_name: Some(text(&p.specialty_name)),
        form: p.form.as_str().into(),
        language: p.language.clone(),
        duration_months: p.duration_months,
        credits: p.credits,
        fee_citizen: p.fee_citizen,
        fee_foreign: p.fee_foreign,
        grant_places: p.grant_places,
        contract_places: p.contract_places,
        admission_year: p.admission_year,
        passing_score: p.passing_score,
        passing_score_year: p.passing_score_year,
        graduates: p.graduates,
        graduates_employed: p.graduates_employed,
        outcomes_year: p.outcomes_year,
        version: p.version,
    }
}

fn licence_pb(l: &Licence) -> pb::Licence {
    pb::Licence {
        id: l.id.clone(),
        institution_id: l.institution_id.clone(),
        specialty_code: l.specialty_code.clone(),
        level: l.level.as_str().into(),
        form: l.form.as_str().into(),
        contingent: l.contingent,
        valid_from: l.valid_from.clone(),
        valid_to: l.valid_to.clone().unwrap_or_default(),
        document_no: l.document_no.clone(),
        status: l.status.as_str().into(),
        version: l.version,
        reason: l.reason.clone(),
    }
}

fn specialty_pb(s: &Specialty) -> pb::Specialty {
    pb::Specialty {
        code: s.code.clone(),
        level: s.level.as_str().into(),
        name: Some(text(&s.name)),
        isced_f_broad: s.isced_f_broad.clone(),
        verified: s.verified,
        barred_forms: forms_pb(&s.barred_forms),
        valid_from: s.valid_from.clone(),
        valid_to: s.valid_to.clone().unwrap_or_default(),
        version: s.version,
    }
}

fn specialty_version_pb(v: &SpecialtyVersion) -> pb::SpecialtyVersion {
    pb::SpecialtyVersion {
        specialty: Some(specialty_pb(&v.specialty)),
        recorded_at: v.recorded_at,
        recorded_by: v.recorded_by.clone(),
    }
}

fn specialty_input_pb(s: &SpecialtyInput) -> pb::SpecialtyInput {
    pb::SpecialtyInput {
        code: s.code.clone(),
        level: s.level.as_str().into(),
        name: Some(text(&s.name)),
        isced_f_broad: s.isced_f_broad.clone(),
        verified: s.verified,
        barred_forms: forms_pb(&s.barred_forms),
        valid_from: s.valid_from.clone(),
        valid_to: s.valid_to.clone().unwrap_or_default(),
    }
}

fn import_report_pb(r: &ImportReport) -> pb::ImportReport {
    pb::ImportReport {
        rows: r.rows,
        changed: r.changed,
        unchanged: r.unchanged,
        errors: r
            .errors
            .iter()
            .map(|e| pb::RowError { row: e.row, field: e.field.clone(), message: e.message.clone() })
            .collect(),
    }
}

fn profile_pb(p: &InstitutionProfile) -> pb::InstitutionProfile {
    pb::InstitutionProfile {
        address: Some(text(&p.address)),
        phone: p.phone.clone(),
        email: p.email.clone(),
        rector: p.rector.clone(),
        languages: p.languages.clone(),
        logo: p.logo.clone(),
        photos: p.photos.clone(),
    }
}

fn accreditation_pb(a: &Accreditation) -> pb::Accreditation {
    pb::Accreditation {
        id: a.id.clone(),
        institution_id: a.institution_id.clone(),
        programme_id: a.programme_id.clone().unwrap_or_default(),
        agency: a.agency.clone(),
        result: a.result.as_str().into(),
        valid_from: a.valid_from.clone(),
        valid_to: a.valid_to.clone().unwrap_or_default(),
        document_no: a.document_no.clone(),
        version: a.version,
    }
}

fn institution_pb(i: &Institution) -> pb::Institution {
    pb::Institution {
        summary: Some(summary_pb(&i.summary)),
        programmes: i.programmes.iter().map(programme_pb).collect(),
        licences: i.licences.iter().map(licence_pb).collect(),
        profile: Some(profile_pb(&i.profile)),
        accreditations: i.accreditations.iter().map(accreditation_pb).collect(),
    }
}

fn detail_pb(d: &ProgrammeDetail) -> pb::ProgrammeDetail {
    pb::ProgrammeDetail {
        programme: Some(programme_pb(&d.programme)),
        institution: Some(summary_pb(&d.institution)),
        licence: d.licence.as_ref().map(licence_pb),
        accreditations: d.accreditations.iter().map(accreditation_pb).collect(),
    }
}

fn programme_query_pb(q: &ProgrammeQuery) -> pb::ProgrammeQuery {
    pb::ProgrammeQuery {
        text: q.text.clone(),
        specialty: q.specialty.clone().unwrap_or_default(),
        field: q.field.clone().unwrap_or_default(),
        level: q.level.map(|l| l.as_str().to_owned()).unwrap_or_default(),
        region: q.region.clone().unwrap_or_default(),
        city: q.city.clone().unwrap_or_default(),
        ownership: q.ownership.map(|o| o.as_str().to_owned()).unwrap_or_default(),
        language: q.language.clone().unwrap_or_default(),
        form: q.form.map(|f| f.as_str().to_owned()).unwrap_or_default(),
        grant_only: q.grant_only,
        fee_min: q.fee_min,
        fee_max: q.fee_max,
        accredited_only: q.accredited_only,
        sort: q.sort.as_str().into(),
        page: q.page,
        per_page: q.per_page,
        sort_language: q.sort_language.clone(),
    }
}

fn hit_pb(h: &ProgrammeHit) -> pb::ProgrammeHit {
    pb::ProgrammeHit {
        programme: Some(programme_pb(&h.programme)),
        institution_code: h.institution_code.clone(),
        institution_name: Some(text(&h.institution_name)),
        region: h.region.clone(),
        city: Some(text(&h.city)),
        ownership: h.ownership.as_str().into(),
        licensed: h.licensed,
        accredited: h.accredited,
    }
}

fn profile_input_pb(p: &ProfileInput) -> pb::ProfileInput {
    pb::ProfileInput {
        institution_code: p.institution_code.clone(),
        name: Some(text(&p.name)),
        address: Some(text(&p.address)),
        phone: p.phone.clone(),
        email: p.email.clone(),
        rector: p.rector.clone(),
        founded: p.founded,
        website: p.website.clone(),
        languages: p.languages.clone(),
    }
}

fn programme_input_pb(p: &ProgrammeInput) -> pb::ProgrammeInput {
    pb::ProgrammeInput {
        id: p.id.clone().unwrap_or_default(),
        institution_code: p.institution_code.clone(),
        specialty_code: p.specialty_code.clone(),
        level: p.level.as_str().into(),
        form: p.form.as_str().into(),
        language: p.language.clone(),
        duration_months: p.duration_months,
        credits: p.credits,
        fee_citizen: p.fee_citizen,
        fee_foreign: p.fee_foreign,
        grant_places: p.grant_places,
        contract_places: p.contract_places,
        admission_year: p.admission_year,
    }
}

fn accreditation_input_pb(a: &AccreditationInput) -> pb::AccreditationInput {
    pb::AccreditationInput {
        id: a.id.clone().unwrap_or_default(),
        institution_code: a.institution_code.clone(),
        programme_id: a.programme_id.clone().unwrap_or_default(),
        agency: a.agency.clone(),
        result: a.result.as_str().into(),
        valid_from: a.valid_from.clone(),
        valid_to: a.valid_to.clone().unwrap_or_default(),
        document_no: a.document_no.clone(),
    }
}

fn hold_request_pb(r: &HoldRequest) -> pb::HoldRequest {
    pb::HoldRequest { licence_id: r.licence_id.clone(), seats: r.seats, request_id: r.request_id.clone() }
}

fn hold_answer_pb(a: &HoldAnswer) -> pb::HoldAnswer {
    pb::HoldAnswer {
        verdict: a.verdict.as_str().into(),
        hold_id: a.hold_id.clone().unwrap_or_default(),
        contingent: a.contingent,
        enrolled: a.enrolled,
        held: a.held,
        free: a.free,
        expires_at: a.expires_at,
    }
}

fn usage_pb(u: &LicenceUsage) -> pb::LicenceUsage {
    pb::LicenceUsage {
        licence: Some(licence_pb(&u.licence)),
        institution_code: u.institution_code.clone(),
        institution_name: Some(text(&u.institution_name)),
        specialty_name: Some(text(&u.specialty_name)),
        enrolled: u.enrolled,
        held: u.held,
    }
}

fn unlicensed_pb(u: &UnlicensedProgramme) -> pb::UnlicensedProgramme {
    pb::UnlicensedProgramme {
        programme: Some(programme_pb(&u.programme)),
        institution_code: u.institution_code.clone(),
        institution_name: Some(text(&u.institution_name)),
        licence: u.licence.as_ref().map(licence_pb),
    }
}

fn dashboard_pb(d: &Dashboard) -> pb::Dashboard {
    pb::Dashboard {
        today: d.today.clone(),
        licences_in_force: d.licences_in_force,
        licensed_contingent: d.licensed_contingent,
        enrolled: d.enrolled,
        near_full: d.near_full.iter().map(usage_pb).collect(),
        expiring: d.expiring.iter().map(usage_pb).collect(),
        unlicensed: d.unlicensed.iter().map(unlicensed_pb).collect(),
        fill_bands: d.fill_bands.to_vec(),
    }
}

fn image_pb(i: Image) -> pb::Image {
    pb::Image { content_type: i.content_type, data: i.data, sha256: i.sha256 }
}

// ----- proto -> domain (validated on receipt)

fn summary_from(s: pb::InstitutionSummary) -> ApiResult<InstitutionSummary> {
    Ok(InstitutionSummary {
        id: s.id,
        code: s.code,
        name: loc(s.name),
        region: s.region,
        city: loc(s.city),
        ownership: Ownership::parse(&s.ownership).ok_or_else(|| bad("ownership"))?,
        status: InstitutionStatus::parse(&s.status).ok_or_else(|| bad("status"))?,
        founded: (s.founded != 0).then_some(s.founded),
        website: s.website,
        special_status: s.special_status,
        programme_count: s.programme_count,
        levels: levels_from(&s.levels)?,
        languages: s.languages,
        accredited: s.accredited,
        version: s.version,
    })
}

fn programme_from(p: pb::Programme) -> ApiResult<Programme> {
    Ok(Programme {
        id: p.id,
        institution_id: p.institution_id,
        specialty_code: p.specialty_code,
        level: Level::parse(&p.level).ok_or_else(|| bad("level"))?,
        specialty_name: loc(p.specialty_name),
        form: StudyForm::parse(&p.form).ok_or_else(|| bad("form"))?,
        language: p.language,
        duration_months: p.duration_months,
        credits: p.credits,
        fee_citizen: p.fee_citizen,
        fee_foreign: p.fee_foreign,
        grant_places: p.grant_places,
        contract_places: p.contract_places,
        admission_year: p.admission_year,
        passing_score: p.passing_score,
        passing_score_year: p.passing_score_year,
        graduates: p.graduates,
        graduates_employed: p.graduates_employed,
        outcomes_year: p.outcomes_year,
        version: p.version,
    })
}

fn licence_from(l: pb::Licence) -> ApiResult<Licence> {
    Ok(Licence {
        id: l.id,
        institution_id: l.institution_id,
        specialty_code: l.specialty_code,
        level: Level::parse(&l.level).ok_or_else(|| bad("level"))?,
        form: StudyForm::parse(&l.form).ok_or_else(|| bad("form"))?,
        contingent: l.contingent,
        valid_from: l.valid_from,
        valid_to: opt(l.valid_to),
        document_no: l.document_no,
        status: LicenceStatus::parse(&l.status).ok_or_else(|| bad("status"))?,
        reason: l.reason,
        version: l.version,
    })
}

fn specialty_from(s: pb::Specialty) -> ApiResult<Specialty> {
    Ok(Specialty {
        code: s.code,
        level: Level::parse(&s.level).ok_or_else(|| bad("level"))?,
        name: loc(s.name),
        isced_f_broad: s.isced_f_broad,
        verified: s.verified,
        barred_forms: forms_from(&s.barred_forms)?,
        valid_from: s.valid_from,
        valid_to: opt(s.valid_to),
        version: s.version,
    })
}

fn specialty_version_from(v: pb::SpecialtyVersion) -> ApiResult<SpecialtyVersion> {
    Ok(SpecialtyVersion {
        specialty: specialty_from(v.specialty.ok_or_else(|| missing("specialty"))?)?,
        recorded_at: v.recorded_at,
        recorded_by: v.recorded_by,
    })
}

fn specialty_input_from(s: pb::SpecialtyInput) -> ApiResult<SpecialtyInput> {
    Ok(SpecialtyInput {
        code: s.code,
        level: Level::parse(&s.level).ok_or_else(|| bad("level"))?,
        name: loc(s.name),
        isced_f_broad: s.isced_f_broad,
        verified: s.verified,
        barred_forms: forms_from(&s.barred_forms)?,
        valid_from: s.valid_from,
        valid_to: opt(s.valid_to),
    })
}

fn import_report_from(r: pb::ImportReport) -> ImportReport {
    ImportReport {
        rows: r.rows,
        changed: r.changed,
        unchanged: r.unchanged,
        errors: r.errors.into_iter().map(|e| RowError { row: e.row, field: e.field, message: e.message }).collect(),
    }
}

fn profile_from(p: pb::InstitutionProfile) -> InstitutionProfile {
    InstitutionProfile {
        address: loc(p.address),
        phone: p.phone,
        email: p.email,
        rector: p.rector,
        languages: p.languages,
        logo: p.logo,
        photos: p.photos,
    }
}

fn accreditation_from(a: pb::Accreditation) -> ApiResult<Accreditation> {
    Ok(Accreditation {
        id: a.id,
        institution_id: a.institution_id,
        programme_id: opt(a.programme_id),
        agency: a.agency,
        result: AccreditationResult::parse(&a.result).ok_or_else(|| bad("result"))?,
        valid_from: a.valid_from,
        valid_to: opt(a.valid_to),
        document_no: a.document_no,
        version: a.version,
    })
}

fn institution_from(r: pb::Institution) -> ApiResult<Institution> {
    Ok(Institution {
        summary: summary_from(r.summary.ok_or_else(|| missing("summary"))?)?,
        profile: profile_from(r.profile.ok_or_else(|| missing("profile"))?),
        programmes: r.programmes.into_iter().map(programme_from).collect::<ApiResult<_>>()?,
        licences: r.licences.into_iter().map(licence_from).collect::<ApiResult<_>>()?,
        accreditations: r.accreditations.into_iter().map(accreditation_from).collect::<ApiResult<_>>()?,
    })
}

fn detail_from(r: pb::ProgrammeDetail) -> ApiResult<ProgrammeDetail> {
    Ok(ProgrammeDetail {
        programme: programme_from(r.programme.ok_or_else(|| missing("programme"))?)?,
        institution: summary_from(r.institution.ok_or_else(|| missing("institution"))?)?,
        licence: r.licence.map(licence_from).transpose()?,
        accreditations: r.accreditations.into_iter().map(accreditation_from).collect::<ApiResult<_>>()?,
    })
}

fn query_from(r: pb::SearchInstitutionsRequest) -> ApiResult<InstitutionQuery> {
    Ok(InstitutionQuery {
        text: r.text,
        region: opt(r.region),
        ownership: opt(r.ownership).map(|o| Ownership::parse(&o).ok_or_else(|| bad("ownership"))).transpose()?,
        level: opt(r.level).map(|o| Level::parse(&o).ok_or_else(|| bad("level"))).transpose()?,
        specialty: opt(r.specialty),
        page: r.page,
        per_page: r.per_page,
        sort_language: r.sort_language,
    })
}

fn programme_query_from(r: pb::ProgrammeQuery) -> ApiResult<ProgrammeQuery> {
    Ok(ProgrammeQuery {
        text: r.text,
        specialty: opt(r.specialty),
        field: opt(r.field),
        level: opt(r.level).map(|l| Level::parse(&l).ok_or_else(|| bad("level"))).transpose()?,
        region: opt(r.region),
        city: opt(r.city),
        ownership: opt(r.ownership).map(|o| Ownership::parse(&o).ok_or_else(|| bad("ownership"))).transpose()?,
        language: opt(r.language),
        form: opt(r.form).map(|f| StudyForm::parse(&f).ok_or_else(|| bad("form"))).transpose()?,
        grant_only: r.grant_only,
        fee_min: r.fee_min,
        fee_max: r.fee_max,
        accredited_only: r.accredited_only,
        sort: match opt(r.sort) {
            None => ProgrammeSort::Name,
            Some(s) => ProgrammeSort::parse(&s).ok_or_else(|| bad("sort"))?,
        },
        page: r.page,
        per_page: r.per_page,
        sort_language: r.sort_language,
    })
}

fn hit_from(h: pb::ProgrammeHit) -> ApiResult<ProgrammeHit> {
    Ok(ProgrammeHit {
        programme: programme_from(h.programme.ok_or_else(|| missing("programme"))?)?,
        institution_code: h.institution_code,
        institution_name: loc(h.institution_name),
        region: h.region,
        city: loc(h.city),
        ownership: Ownership::parse(&h.ownership).ok_or_else(|| bad("ownership"))?,
        licensed: h.licensed,
        accredited: h.accredited,
    })
}

fn institution_input_from(r: pb::InstitutionInput) -> ApiResult<InstitutionInput> {
    Ok(InstitutionInput {
        code: r.code,
        name: loc(r.name),
        region: r.region,
        city: loc(r.city),
        ownership: Ownership::parse(&r.ownership).ok_or_else(|| bad("ownership"))?,
        status: InstitutionStatus::parse(&r.status).ok_or_else(|| bad("status"))?,
        founded: (r.founded != 0).then_some(r.founded),
        website: r.website,
        special_status: r.special_status,
    })
}

fn licence_input_from(r: pb::LicenceInput) -> ApiResult<LicenceInput> {
    Ok(LicenceInput {
        id: opt(r.id),
        institution_code: r.institution_code,
        specialty_code: r.specialty_code,
        level: Level::parse(&r.level).ok_or_else(|| bad("level"))?,
        form: StudyForm::parse(&r.form).ok_or_else(|| bad("form"))?,
        contingent: r.contingent,
        valid_from: r.valid_from,
        valid_to: opt(r.valid_to),
        document_no: r.document_no,
        status: LicenceStatus::parse(&r.status).ok_or_else(|| bad("status"))?,
        reason: r.reason,
    })
}

fn profile_input_from(r: pb::ProfileInput) -> ProfileInput {
    ProfileInput {
        institution_code: r.institution_code,
        name: loc(r.name),
        address: loc(r.address),
        phone: r.phone,
        email: r.email,
        rector: r.rector,
        founded: r.founded,
        website: r.website,
        languages: r.languages,
    }
}

fn programme_input_from(r: pb::ProgrammeInput) -> ApiResult<ProgrammeInput> {
    Ok(ProgrammeInput {
        id: opt(r.id),
        institution_code: r.institution_code,
        specialty_code: r.specialty_code,
        level: Level::parse(&r.level).ok_or_else(|| bad("level"))?,
        form: StudyForm::parse(&r.form).ok_or_else(|| bad("form"))?,
        language: r.language,
        duration_months: r.duration_months,
        credits: r.credits,
        fee_citizen: r.fee_citizen,
        fee_foreign: r.fee_foreign,
        grant_places: r.grant_places,
        contract_places: r.contract_places,
        admission_year: r.admission_year,
    })
}

fn accreditation_input_from(r: pb::AccreditationInput) -> ApiResult<AccreditationInput> {
    Ok(AccreditationInput {
        id: opt(r.id),
        institution_code: r.institution_code,
        programme_id: opt(r.programme_id),
        agency: r.agency,
        result: AccreditationResult::parse(&r.result).ok_or_else(|| bad("result"))?,
        valid_from: r.valid_from,
        valid_to: opt(r.valid_to),
        document_no: r.document_no,
    })
}

fn hold_request_from(r: pb::HoldRequest) -> HoldRequest {
    HoldRequest { licence_id: r.licence_id, seats: r.seats, request_id: r.request_id }
}

fn hold_answer_from(a: pb::HoldAnswer) -> ApiResult<HoldAnswer> {
    Ok(HoldAnswer {
        verdict: HoldVerdict::parse(&a.verdict).ok_or_else(|| bad("verdict"))?,
        hold_id: opt(a.hold_id),
        contingent: a.contingent,
        enrolled: a.enrolled,
        held: a.held,
        free: a.free,
        expires_at: a.expires_at,
    })
}

fn usage_from(u: pb::LicenceUsage) -> ApiResult<LicenceUsage> {
    Ok(LicenceUsage {
        licence: licence_from(u.licence.ok_or_else(|| missing("licence"))?)?,
        institution_code: u.institution_code,
        institution_name: loc(u.institution_name),
        specialty_name: loc(u.specialty_name),
        enrolled: u.enrolled,
        held: u.held,
    })
}

fn unlicensed_from(u: pb::UnlicensedProgramme) -> ApiResult<UnlicensedProgramme> {
    Ok(UnlicensedProgramme {
        programme: programme_from(u.programme.ok_or_else(|| missing("programme"))?)?,
        institution_code: u.institution_code,
        institution_name: loc(u.institution_name),
        licence: u.licence.map(licence_from).transpose()?,
    })
}

fn dashboard_from(d: pb::Dashboard) -> ApiResult<Dashboard> {
    Ok(Dashboard {
        today: d.today,
        licences_in_force: d.licences_in_force,
        licensed_contingent: d.licensed_contingent,
        enrolled: d.enrolled,
        near_full: d.near_full.into_iter().map(usage_from).collect::<ApiResult<_>>()?,
        expiring: d.expiring.into_iter().map(usage_from).collect::<ApiResult<_>>()?,
        unlicensed: d.unlicensed.into_iter().map(unlicensed_from).collect::<ApiResult<_>>()?,
        fill_bands: <[u32; 4]>::try_from(d.fill_bands)
            .map_err(|_| ApiError::invalid("fill_bands", "fill_bands must hold 4 counts"))?,
    })
}

fn image_from(i: pb::Image) -> Image {
    Image { content_type: i.content_type, data: i.data, sha256: i.sha256 }
}

fn framework_pb(f: &Framework) -> pb::FrameworkResponse {
    pb::FrameworkResponse {
        levels: f
            .levels
            .iter()
            .map(|l| pb::Level {
                code: l.code.as_str().into(),
                name: Some(text(&l.name)),
                nominal_credits: l.nominal_credits,
                nominal_years: l.nominal_years,
            })
            .collect(),
        forms: f
            .forms
            .iter()
            .map(|x| pb::StudyForm { code: x.code.as_str().into(), name: Some(text(&x.name)) })
            .collect(),
        regions: f.regions.iter().map(|x| pb::Region { code: x.code.clone(), name: Some(text(&x.name)) }).collect(),
        isced_fields: f
            .isced_fields
            .iter()
            .map(|x| pb::IscedField { code: x.code.clone(), name: Some(text(&x.name)) })
            .collect(),
        specialties: f.specialties.iter().map(specialty_pb).collect(),
    }
}

fn framework_from(r: pb::FrameworkResponse) -> ApiResult<Framework> {
    Ok(Framework {
        levels: r
            .levels
            .into_iter()
            .map(|l| {
                Ok(LevelInfo {
                    code: Level::parse(&l.code).ok_or_else(|| bad("level"))?,
                    name: loc(l.name),
                    nominal_credits: l.nominal_credits,
                    nominal_years: l.nominal_years,
                })
            })
            .collect::<ApiResult<_>>()?,
        forms: r
            .forms
            .into_iter()
            .map(|f| Ok(FormInfo { code: StudyForm::parse(&f.code).ok_or_else(|| bad("form"))?, name: loc(f.name) }))
            .collect::<ApiResult<_>>()?,
        regions: r.regions.into_iter().map(|x| Region { code: x.code, name: loc(x.name) }).collect(),
        isced_fields: r.isced_fields.into_iter().map(|x| IscedField { code: x.code, name: loc(x.name) }).collect(),
        specialties: r.specialties.into_iter().map(specialty_from).collect::<ApiResult<_>>()?,
    })
}

/// The tonic server: protocol conversion around any implementation.
pub struct CatalogueGrpc {
    inner: Arc<dyn CatalogueApi>,
}

impl CatalogueGrpc {
    pub fn server(inner: Arc<dyn CatalogueApi>) -> CatalogueServer<Self> {
        CatalogueServer::new(Self { inner }).max_decoding_message_size(MAX_MESSAGE_BYTES)
    }
}

#[tonic::async_trait]
impl Catalogue for CatalogueGrpc {
    async fn framework(&self, req: Request<pb::FrameworkRequest>) -> Result<Response<pb::FrameworkResponse>, Status> {
        let ctx = ctx_from(&req);
        let f = self.inner.framework(&ctx).await.map_err(status_from)?;
        Ok(Response::new(framework_pb(&f)))
    }

    async fn search_institutions(
        &self,
        req: Request<pb::SearchInstitutionsRequest>,
    ) -> Result<Response<pb::SearchInstitutionsResponse>, Status> {
        let ctx = ctx_from(&req);
        let q = query_from(req.into_inner()).map_err(status_from)?;
        let page = self.inner.institution_search(&ctx, &q).await.map_err(status_from)?;
        Ok(Response::new(pb::SearchInstitutionsResponse {
            items: page.items.iter().map(summary_pb).collect(),
            total: page.total,
            page: page.page,
            per_page: page.per_page,
        }))
    }

    async fn get_institution(
        &self,
        req: Request<pb::GetInstitutionRequest>,
    ) -> Result<Response<pb::Institution>, Status> {
        let ctx = ctx_from(&req);
        let i = self.inner.institution_get(&ctx, &req.get_ref().code).await.map_err(status_from)?;
        Ok(Response::new(institution_pb(&i)))
    }

    async fn get_programme(
        &self,
        req: Request<pb::GetProgrammeRequest>,
    ) -> Result<Response<pb::ProgrammeDetail>, Status> {
        let ctx = ctx_from(&req);
        let d = self.inner.programme_get(&ctx, &req.get_ref().id).await.map_err(status_from)?;
        Ok(Response::new(detail_pb(&d)))
    }

    async fn stats(&self, req: Request<pb::StatsRequest>) -> Result<Response<pb::StatsResponse>, Status> {
        let ctx = ctx_from(&req);
        let s = self.inner.stats(&ctx).await.map_err(status_from)?;
        Ok(Response::new(pb::StatsResponse {
            institutions: s.institutions,
            programmes: s.programmes,
            licences: s.licences,
            licensed_contingent: s.licensed_contingent,
            institutions_by_region: s
                .institutions_by_region
                .iter()
                .map(|(k, c)| pb::Count { key: k.clone(), count: *c })
                .collect(),
            programmes_by_field: s
                .programmes_by_field
                .iter()
                .map(|(k, c)| pb::Count { key: k.clone(), count: *c })
                .collect(),
        }))
    }

    async fn upsert_institution(
        &self,
        req: Request<pb::InstitutionInput>,
    ) -> Result<Response<pb::InstitutionSummary>, Status> {
        let ctx = ctx_from(&req);
        let input = institution_input_from(req.into_inner()).map_err(status_from)?;
        let s = self.inner.institution_upsert(&ctx, input).await.map_err(status_from)?;
        Ok(Response::new(summary_pb(&s)))
    }

    async fn upsert_licence(&self, req: Request<pb::LicenceInput>) -> Result<Response<pb::Licence>, Status> {
        let ctx = ctx_from(&req);
        let input = licence_input_from(req.into_inner()).map_err(status_from)?;
        let l = self.inner.licence_upsert(&ctx, input).await.map_err(status_from)?;
        Ok(Response::new(licence_pb(&l)))
    }

    async fn search_programmes(
        &self,
        req: Request<pb::ProgrammeQuery>,
    ) -> Result<Response<pb::ProgrammeHitPage>, Status> {
        let ctx = ctx_from(&req);
        let q = programme_query_from(req.into_inner()).map_err(status_from)?;
        let page = self.inner.programme_search(&ctx, &q).await.map_err(status_from)?;
        Ok(Response::new(pb::ProgrammeHitPage {
            items: page.items.iter().map(hit_pb).collect(),
            total: page.total,
            page: page.page,
            per_page: page.per_page,
        }))
    }

    async fn framework_as_of(
        &self,
        req: Request<pb::FrameworkAsOfRequest>,
    ) -> Result<Response<pb::SpecialtyVersions>, Status> {
        let ctx = ctx_from(&req);
        let v = self.inner.framework_as_of(&ctx, req.get_ref().at).await.map_err(status_from)?;
        Ok(Response::new(pb::SpecialtyVersions { versions: v.iter().map(specialty_version_pb).collect() }))
    }

    async fn specialty_history(
        &self,
        req: Request<pb::SpecialtyHistoryRequest>,
    ) -> Result<Response<pb::SpecialtyVersions>, Status> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        let level = Level::parse(&r.level).ok_or_else(|| bad("level")).map_err(status_from)?;
        let v = self.inner.specialty_history(&ctx, &r.code, level).await.map_err(status_from)?;
        Ok(Response::new(pb::SpecialtyVersions { versions: v.iter().map(specialty_version_pb).collect() }))
    }

    async fn import_specialties(
        &self,
        req: Request<pb::ImportSpecialtiesRequest>,
    ) -> Result<Response<pb::ImportReport>, Status> {
        let ctx = ctx_from(&req);
        let rows = req
            .into_inner()
            .rows
            .into_iter()
            .map(specialty_input_from)
            .collect::<ApiResult<_>>()
            .map_err(status_from)?;
        let r = self.inner.specialties_import(&ctx, rows).await.map_err(status_from)?;
        Ok(Response::new(import_report_pb(&r)))
    }

    async fn update_profile(&self, req: Request<pb::ProfileInput>) -> Result<Response<pb::InstitutionSummary>, Status> {
        let ctx = ctx_from(&req);
        let input = profile_input_from(req.into_inner());
        let s = self.inner.profile_update(&ctx, input).await.map_err(status_from)?;
        Ok(Response::new(summary_pb(&s)))
    }

    async fn add_image(&self, req: Request<pb::AddImageRequest>) -> Result<Response<pb::ImageRef>, Status> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        let kind = ImageKind::parse(&r.kind).ok_or_else(|| bad("kind")).map_err(status_from)?;
        let image_id = self.inner.image_add(&ctx, &r.institution_code, kind, r.data).await.map_err(status_from)?;
        Ok(Response::new(pb::ImageRef { image_id }))
    }

    async fn delete_image(&self, req: Request<pb::DeleteImageRequest>) -> Result<Response<pb::Empty>, Status> {
        let ctx = ctx_from(&req);
        let r = req.get_ref();
        self.inner.image_delete(&ctx, &r.institution_code, &r.image_id).await.map_err(status_from)?;
        Ok(Response::new(pb::Empty {}))
    }

    async fn get_image(&self, req: Request<pb::GetImageRequest>) -> Result<Response<pb::Image>, Status> {
        let ctx = ctx_from(&req);
        let i = self.inner.image_get(&ctx, &req.get_ref().image_id).await.map_err(status_from)?;
        Ok(Response::new(image_pb(i)))
    }

    async fn upsert_programme(&self, req: Request<pb::ProgrammeInput>) -> Result<Response<pb::Programme>, Status> {
        let ctx = ctx_from(&req);
        let input = programme_input_from(req.into_inner()).map_err(status_from)?;
        let p = self.inner.programme_upsert(&ctx, input).await.map_err(status_from)?;
        Ok(Response::new(programme_pb(&p)))
    }

    async fn upsert_accreditation(
        &self,
        req: Request<pb::AccreditationInput>,
    ) -> Result<Response<pb::Accreditation>, Status> {
        let ctx = ctx_from(&req);
        let input = accreditation_input_from(req.into_inner()).map_err(status_from)?;
        let a = self.inner.accreditation_upsert(&ctx, input).await.map_err(status_from)?;
        Ok(Response::new(accreditation_pb(&a)))
    }

    async fn hold_licence(&self, req: Request<pb::HoldRequest>) -> Result<Response<pb::HoldAnswer>, Status> {
        let ctx = ctx_from(&req);
        let request = hold_request_from(req.into_inner());
        let a = self.inner.licence_hold(&ctx, request).await.map_err(status_from)?;
        Ok(Response::new(hold_answer_pb(&a)))
    }

    async fn release_hold(&self, req: Request<pb::ReleaseHoldRequest>) -> Result<Response<pb::Empty>, Status> {
        let ctx = ctx_from(&req);
        self.inner.licence_release(&ctx, &req.get_ref().hold_id).await.map_err(status_from)?;
        Ok(Response::new(pb::Empty {}))
    }

    async fn dashboard(&self, req: Request<pb::DashboardRequest>) -> Result<Response<pb::Dashboard>, Status> {
        let ctx = ctx_from(&req);
        let code = opt(req.into_inner().institution_code);
        let d = self.inner.dashboard(&ctx, code.as_deref()).await.map_err(status_from)?;
        Ok(Response::new(dashboard_pb(&d)))
    }
}

/// [`CatalogueApi`] over gRPC.
#[derive(Clone)]
pub struct CatalogueClient {
    client: PbClient<Channel>,
}

impl CatalogueClient {
    pub fn new(channel: Channel) -> Self {
        Self {
            client: PbClient::new(channel)
                .max_encoding_message_size(MAX_MESSAGE_BYTES)
                .max_decoding_message_size(MAX_MESSAGE_BYTES),
        }
    }
}

fn missing(what: &str) -> ApiError {
    tracing::error!("catalogue answered without {what}");
    ApiError::internal()
}

#[async_trait]
impl CatalogueApi for CatalogueClient {
    async fn framework(&self, ctx: &CallCtx) -> ApiResult<Arc<Framework>> {
        let r = self.client.clone().framework(request(pb::FrameworkRequest {}, ctx)).await.map_err(error_from)?;
        Ok(Arc::new(framework_from(r.into_inner())?))
    }

    async fn institution_search(&self, ctx: &CallCtx, q: &InstitutionQuery) -> ApiResult<Page<InstitutionSummary>> {
        let msg = pb::SearchInstitutionsRequest {
            text: q.text.clone(),
            region: q.region.clone().unwrap_or_default(),
            ownership: q.ownership.map(|o| o.as_str().to_owned()).unwrap_or_default(),
            level: q.level.map(|o| o.as_str().to_owned()).unwrap_or_default(),
            specialty: q.specialty.clone().unwrap_or_default(),
            page: q.page,
            per_page: q.per_page,
            sort_language: q.sort_language.clone(),
        };
        let r = self.client.clone().search_institutions(request(msg, ctx)).await.map_err(error_from)?.into_inner();
        Ok(Page {
            items: r.items.into_iter().map(summary_from).collect::<ApiResult<_>>()?,
            total: r.total,
            page: r.page,
            per_page: r.per_page,
        })
    }

    async fn institution_get(&self, ctx: &CallCtx, code: &str) -> ApiResult<Institution> {
        let r = self
            .client
            .clone()
            .get_institution(request(pb::GetInstitutionRequest { code: code.to_owned() }, ctx))
            .await
            .map_err(error_from)?
            .into_inner();
        institution_from(r)
    }

    async fn programme_get(&self, ctx: &CallCtx, id: &str) -> ApiResult<ProgrammeDetail> {
        let r = self
            .client
            .clone()
            .get_programme(request(pb::GetProgrammeRequest { id: id.to_owned() }, ctx))
            .await
            .map_err(error_from)?
            .into_inner();
        detail_from(r)
    }

    async fn stats(&self, ctx: &CallCtx) -> ApiResult<Stats> {
        let r = self.client.clone().stats(request(pb::StatsRequest {}, ctx)).await.map_err(error_from)?.into_inner();
        Ok(Stats {
            institutions: r.institutions,
            programmes: r.programmes,
            licences: r.licences,
            licensed_contingent: r.licensed_contingent,
            institutions_by_region: r.institutions_by_region.into_iter().map(|c| (c.key, c.count)).collect(),
            programmes_by_field: r.programmes_by_field.into_iter().map(|c| (c.key, c.count)).collect(),
        })
    }

    async fn institution_upsert(&self, ctx: &CallCtx, input: InstitutionInput) -> ApiResult<InstitutionSummary> {
        let msg = pb::InstitutionInput {
            code: input.code,
            name: Some(text(&input.name)),
            region: input.region,
            city: Some(text(&input.city)),
            ownership: input.ownership.as_str().into(),
            status: input.status.as_str().into(),
            founded: input.founded.unwrap_or(0),
            website: input.website,
            special_status: input.special_status,
        };
        let r = self.client.clone().upsert_institution(request(msg, ctx)).await.map_err(error_from)?;
        summary_from(r.into_inner())
    }

    async fn licence_upsert(&self, ctx: &CallCtx, input: LicenceInput) -> ApiResult<Licence> {
        let msg = pb::LicenceInput {
            id: input.id.unwrap_or_default(),
            institution_code: input.institution_code,
            specialty_code: input.specialty_code,
            level: input.level.as_str().into(),
            form: input.form.as_str().into(),
            contingent: input.contingent,
            valid_from: input.valid_from,
            valid_to: input.valid_to.unwrap_or_default(),
            document_no: input.document_no,
            status: input.status.as_str().into(),
            reason: input.reason,
        };
        let r = self.client.clone().upsert_licence(request(msg, ctx)).await.map_err(error_from)?;
        licence_from(r.into_inner())
    }

    async fn programme_search(&self, ctx: &CallCtx, q: &ProgrammeQuery) -> ApiResult<Page<ProgrammeHit>> {
        let msg = programme_query_pb(q);
        let r = self.client.clone().search_programmes(request(msg, ctx)).await.map_err(error_from)?.into_inner();
        Ok(Page {
            items: r.items.into_iter().map(hit_from).collect::<ApiResult<_>>()?,
            total: r.total,
            page: r.page,
            per_page: r.per_page,
        })
    }

    async fn framework_as_of(&self, ctx: &CallCtx, at: i64) -> ApiResult<Vec<SpecialtyVersion>> {
        let msg = pb::FrameworkAsOfRequest { at };
        let r = self.client.clone().framework_as_of(request(msg, ctx)).await.map_err(error_from)?.into_inner();
        r.versions.into_iter().map(specialty_version_from).collect()
    }

    async fn specialty_history(&self, ctx: &CallCtx, code: &str, level: Level) -> ApiResult<Vec<SpecialtyVersion>> {
        let msg = pb::SpecialtyHistoryRequest { code: code.to_owned(), level: level.as_str().into() };
        let r = self.client.clone().specialty_history(request(msg, ctx)).await.map_err(error_from)?.into_inner();
        r.versions.into_iter().map(specialty_version_from).collect()
    }

    async fn specialties_import(&self, ctx: &CallCtx, rows: Vec<SpecialtyInput>) -> ApiResult<ImportReport> {
        let msg = pb::ImportSpecialtiesRequest { rows: rows.iter().map(specialty_input_pb).collect() };
        let r = self.client.clone().import_specialties(request(msg, ctx)).await.map_err(error_from)?;
        Ok(import_report_from(r.into_inner()))
    }

    async fn profile_update(&self, ctx: &CallCtx, input: ProfileInput) -> ApiResult<InstitutionSummary> {
        let msg = profile_input_pb(&input);
        let r = self.client.clone().update_profile(request(msg, ctx)).await.map_err(error_from)?;
        summary_from(r.into_inner())
    }

    async fn image_add(
        &self,
        ctx: &CallCtx,
        institution_code: &str,
        kind: ImageKind,
        data: Vec<u8>,
    ) -> ApiResult<String> {
        let msg =
            pb::AddImageRequest { institution_code: institution_code.to_owned(), kind: kind.as_str().into(), data };
        let r = self.client.clone().add_image(request(msg, ctx)).await.map_err(error_from)?;
        Ok(r.into_inner().image_id)
    }

    async fn image_delete(&self, ctx: &CallCtx, institution_code: &str, image_id: &str) -> ApiResult<()> {
        let msg =
            pb::DeleteImageRequest { institution_code: institution_code.to_owned(), image_id: image_id.to_owned() };
        self.client.clone().delete_image(request(msg, ctx)).await.map_err(error_from)?;
        Ok(())
    }

    async fn image_get(&self, ctx: &CallCtx, image_id: &str) -> ApiResult<Image> {
        let msg = pb::GetImageRequest { image_id: image_id.to_owned() };
        let r = self.client.clone().get_image(request(msg, ctx)).await.map_err(error_from)?;
        Ok(image_from(r.into_inner()))
    }

    async fn programme_upsert(&self, ctx: &CallCtx, input: ProgrammeInput) -> ApiResult<Programme> {
        let msg = programme_input_pb(&input);
        let r = self.client.clone().upsert_programme(request(msg, ctx)).await.map_err(error_from)?;
        programme_from(r.into_inner())
    }

    async fn accreditation_upsert(&self, ctx: &CallCtx, input: AccreditationInput) -> ApiResult<Accreditation> {
        let msg = accreditation_input_pb(&input);
        let r = self.client.clone().upsert_accreditation(request(msg, ctx)).await.map_err(error_from)?;
        accreditation_from(r.into_inner())
    }

    async fn licence_hold(&self, ctx: &CallCtx, hold: HoldRequest) -> ApiResult<HoldAnswer> {
        let msg = hold_request_pb(&hold);
        let r = self.client.clone().hold_licence(request(msg, ctx)).await.map_err(error_from)?;
        hold_answer_from(r.into_inner())
    }

    async fn licence_release(&self, ctx: &CallCtx, hold_id: &str) -> ApiResult<()> {
        let msg = pb::ReleaseHoldRequest { hold_id: hold_id.to_owned() };
        self.client.clone().release_hold(request(msg, ctx)).await.map_err(error_from)?;
        Ok(())
    }

    async fn dashboard(&self, ctx: &CallCtx, institution_code: Option<&str>) -> ApiResult<Dashboard> {
        let msg = pb::DashboardRequest { institution_code: institution_code.unwrap_or_default().to_owned() };
        let r = self.client.clone().dashboard(request(msg, ctx)).await.map_err(error_from)?;
        dashboard_from(r.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> Localized {
        Localized::new(&format!("{s} ky"), &format!("{s} ru"), &format!("{s} en"))
    }

    fn programme_full() -> Programme {
        Programme {
            id: "p1".into(),
            institution_id: "i1".into(),
            specialty_code: "580100".into(),
            level: Level::Master,
            specialty_name: name("Economics"),
            form: StudyForm::PartTime,
            language: "ky".into(),
            duration_months: 24,
            credits: 120,
            fee_citizen: Some(85_000),
            fee_foreign: Some(0),
            grant_places: 15,
            contract_places: 40,
            admission_year: 2026,
            passing_score: Some(142),
            passing_score_year: Some(2025),
            graduates: Some(30),
            graduates_employed: Some(0),
            outcomes_year: Some(2024),
            version: 7,
        }
    }

    fn programme_bare() -> Programme {
        Programme {
            id: "p2".into(),
            institution_id: "i1".into(),
            specialty_code: "710100".into(),
            level: Level::Bachelor,
            specialty_name: Localized::default(),
            form: StudyForm::FullTime,
            language: "ru".into(),
            duration_months: 48,
            credits: 240,
            fee_citizen: None,
            fee_foreign: None,
            grant_places: 0,
            contract_places: 0,
            admission_year: 0,
            passing_score: None,
            passing_score_year: None,
            graduates: None,
            graduates_employed: None,
            outcomes_year: None,
            version: 1,
        }
    }

    fn summary() -> InstitutionSummary {
        InstitutionSummary {
            id: "i1".into(),
            code: "knu".into(),
            name: name("KNU"),
            region: "bishkek".into(),
            city: name("Bishkek"),
            ownership: Ownership::State,
            status: InstitutionStatus::Active,
            founded: Some(1925),
            website: "knu.kg".into(),
            special_status: true,
            programme_count: 2,
            levels: vec![Level::Bachelor, Level::Master],
            languages: vec!["ky".into(), "ru".into()],
            accredited: true,
            version: 3,
        }
    }

    fn licence(valid_to: Option<&str>, status: LicenceStatus, reason: &str) -> Licence {
        Licence {
            id: "l1".into(),
            institution_id: "i1".into(),
            specialty_code: "580100".into(),
            level: Level::Master,
            form: StudyForm::PartTime,
            contingent: 100,
            valid_from: "2020-01-01".into(),
            valid_to: valid_to.map(str::to_owned),
            document_no: "LS-1".into(),
            status,
            reason: reason.into(),
            version: 2,
        }
    }

    fn accreditations() -> Vec<Accreditation> {
        vec![
            Accreditation {
                id: "a1".into(),
                institution_id: "i1".into(),
                programme_id: Some("p1".into()),
                agency: "Агентство EdNet".into(),
                result: AccreditationResult::Conditional,
                valid_from: "2024-09-01".into(),
                valid_to: Some("2029-08-31".into()),
                document_no: "AC-7".into(),
                version: 1,
            },
            Accreditation {
                id: "a2".into(),
                institution_id: "i1".into(),
                programme_id: None,
                agency: "НААОО".into(),
                result: AccreditationResult::Withdrawn,
                valid_from: "2019-01-01".into(),
                valid_to: None,
                document_no: "AC-1".into(),
                version: 4,
            },
        ]
    }

    #[test]
    fn programmes_round_trip_with_and_without_optional_figures() {
        for p in [programme_full(), programme_bare()] {
            assert_eq!(programme_from(programme_pb(&p)).unwrap(), p);
        }
    }

    #[test]
    fn programme_detail_round_trips_with_accreditations() {
        for lic in [Some(licence(Some("2030-06-30"), LicenceStatus::Suspended, "inspection")), None] {
            let d = ProgrammeDetail {
                programme: programme_full(),
                institution: summary(),
                licence: lic,
                accreditations: accreditations(),
            };
            assert_eq!(detail_from(detail_pb(&d)).unwrap(), d);
        }
    }

    #[test]
    fn institution_round_trips_with_profile() {
        let i = Institution {
            summary: InstitutionSummary { founded: None, ..summary() },
            profile: InstitutionProfile {
                address: name("Frunze 547"),
                phone: "+996 312 32-33-44".into(),
                email: "info@knu.kg".into(),
                rector: "A. B.".into(),
                languages: vec!["ky".into(), "ru".into(), "en".into()],
                logo: Some("img-logo".into()),
                photos: vec!["img-2".into(), "img-1".into()],
            },
            programmes: vec![programme_full(), programme_bare()],
            licences: vec![licence(None, LicenceStatus::Active, "")],
            accreditations: accreditations(),
        };
        assert_eq!(institution_from(institution_pb(&i)).unwrap(), i);
        let bare = Institution { profile: InstitutionProfile::default(), accreditations: vec![], ..i };
        assert_eq!(institution_from(institution_pb(&bare)).unwrap(), bare);
    }

    #[test]
    fn dashboard_round_trips() {
        let d = Dashboard {
            today: "2026-03-01".into(),
            licences_in_force: 12,
            licensed_contingent: 5_000,
            enrolled: 4_321,
            near_full: vec![LicenceUsage {
                licence: licence(Some("2026-05-01"), LicenceStatus::Active, ""),
                institution_code: "knu".into(),
                institution_name: name("KNU"),
                specialty_name: name("Economics"),
                enrolled: 95,
                held: 3,
            }],
            expiring: vec![],
            unlicensed: vec![UnlicensedProgramme {
                programme: programme_bare(),
                institution_code: "knu".into(),
                institution_name: name("KNU"),
                licence: Some(licence(Some("2024-01-01"), LicenceStatus::Revoked, "no staff")),
            }],
            fill_bands: [5, 4, 2, 1],
        };
        assert_eq!(dashboard_from(dashboard_pb(&d)).unwrap(), d);
        let mut short = dashboard_pb(&d);
        short.fill_bands.pop();
        assert_eq!(dashboard_from(short).unwrap_err().field.as_deref(), Some("fill_bands"));
    }

    #[test]
    fn hold_answers_round_trip() {
        let granted = HoldAnswer {
            verdict: HoldVerdict::Granted,
            hold_id: Some("h1".into()),
            contingent: 100,
            enrolled: 90,
            held: 5,
            free: 5,
            expires_at: 1_770_000_000_000,
        };
        let full = HoldAnswer { verdict: HoldVerdict::Full, hold_id: None, free: 0, expires_at: 0, ..granted.clone() };
        for a in [granted, full] {
            assert_eq!(hold_answer_from(hold_answer_pb(&a)).unwrap(), a);
        }
        let r = HoldRequest { licence_id: "l1".into(), seats: 3, request_id: "r-1".into() };
        assert_eq!(hold_request_from(hold_request_pb(&r)), r);
    }

    #[test]
    fn programme_queries_round_trip() {
        let all = ProgrammeQuery {
            text: "экономика".into(),
            specialty: Some("580100".into()),
            field: Some("04".into()),
            level: Some(Level::Master),
            region: Some("osh".into()),
            city: Some("ош".into()),
            ownership: Some(Ownership::Private),
            language: Some("ky".into()),
            form: Some(StudyForm::Evening),
            grant_only: true,
            fee_min: Some(0),
            fee_max: Some(120_000),
            accredited_only: true,
            sort: ProgrammeSort::FeeDesc,
            page: 3,
            per_page: 50,
            sort_language: "ky".into(),
        };
        for q in [all, ProgrammeQuery::default()] {
            assert_eq!(programme_query_from(programme_query_pb(&q)).unwrap(), q);
        }
    }

    #[test]
    fn other_messages_round_trip() {
        let s = Specialty {
            code: "580100".into(),
            level: Level::Bachelor,
            name: name("Economics"),
            isced_f_broad: "04".into(),
            verified: true,
            barred_forms: vec![StudyForm::Distance],
            valid_from: "2021-09-01".into(),
            valid_to: Some("2027-08-31".into()),
            version: 5,
        };
        let v = SpecialtyVersion { specialty: s.clone(), recorded_at: 1_700_000_000_000, recorded_by: "acc-1".into() };
        assert_eq!(specialty_version_from(specialty_version_pb(&v)).unwrap(), v);
        let input = SpecialtyInput {
            code: s.code.clone(),
            level: s.level,
            name: s.name.clone(),
            isced_f_broad: s.isced_f_broad.clone(),
            verified: false,
            barred_forms: vec![],
            valid_from: s.valid_from.clone(),
            valid_to: None,
        };
        assert_eq!(specialty_input_from(specialty_input_pb(&input)).unwrap(), input);
        let report = ImportReport {
            rows: 3,
            changed: 0,
            unchanged: 0,
            errors: vec![RowError { row: 2, field: "code".into(), message: "bad".into() }],
        };
        assert_eq!(import_report_from(import_report_pb(&report)), report);
        let f = Framework { specialties: vec![s], ..Default::default() };
        assert_eq!(framework_from(framework_pb(&f)).unwrap(), f);
        let hit = ProgrammeHit {
            programme: programme_full(),
            institution_code: "knu".into(),
            institution_name: name("KNU"),
            region: "bishkek".into(),
            city: name("Bishkek"),
            ownership: Ownership::Intergovernmental,
            licensed: true,
            accredited: false,
        };
        assert_eq!(hit_from(hit_pb(&hit)).unwrap(), hit);
        let profile = ProfileInput {
            institution_code: "knu".into(),
            name: name("KNU"),
            address: name("Frunze 547"),
            phone: "+996".into(),
            email: "info@knu.kg".into(),
            rector: "A. B.".into(),
            founded: Some(1925),
            website: "knu.kg".into(),
            languages: vec!["ky".into()],
        };
        assert_eq!(profile_input_from(profile_input_pb(&profile)), profile);
        let p = ProgrammeInput {
            id: None,
            institution_code: "knu".into(),
            specialty_code: "580100".into(),
            level: Level::Phd,
            form: StudyForm::Distance,
            language: "en".into(),
            duration_months: 36,
            credits: 180,
            fee_citizen: Some(1),
            fee_foreign: None,
            grant_places: 2,
            contract_places: 3,
            admission_year: 2026,
        };
        assert_eq!(programme_input_from(programme_input_pb(&p)).unwrap(), p);
        let a = AccreditationInput {
            id: Some("a1".into()),
            institution_code: "knu".into(),
            programme_id: None,
            agency: "EdNet".into(),
            result: AccreditationResult::Denied,
            valid_from: "2025-01-01".into(),
            valid_to: None,
            document_no: "D-1".into(),
        };
        assert_eq!(accreditation_input_from(accreditation_input_pb(&a)).unwrap(), a);
        let img = Image { content_type: "image/png".into(), data: vec![0x89, b'P', b'N', b'G'], sha256: "ab".into() };
        assert_eq!(image_from(image_pb(img.clone())), img);
    }

    #[test]
    fn unknown_codes_are_invalid_fields() {
        let mut a = hold_answer_pb(&HoldAnswer {
            verdict: HoldVerdict::NotInForce,
            hold_id: None,
            contingent: 0,
            enrolled: 0,
            held: 0,
            free: 0,
            expires_at: 0,
        });
        a.verdict = "maybe".into();
        assert_eq!(hold_answer_from(a).unwrap_err().field.as_deref(), Some("verdict"));
        let mut q = programme_query_pb(&ProgrammeQuery::default());
        q.sort = "random".into();
        assert_eq!(programme_query_from(q).unwrap_err().field.as_deref(), Some("sort"));
        let mut acc = accreditation_pb(&accreditations()[0]);
        acc.result = "great".into();
        assert_eq!(accreditation_from(acc).unwrap_err().field.as_deref(), Some("result"));
    }
}

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

fn loc(t: Option<LocalizedText>) -> Localized {
    t.map(|t| Localized { ky: t.ky, ru: t.ru, en: t.en }).unwrap_or_default()
}

fn bad(field: &str) -> ApiError {
    ApiError::invalid(field, format!("{field} has an unknown value"))
}

fn opt(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
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
    }
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
        levels: s.levels.iter().map(|l| Level::parse(l).ok_or_else(|| bad("level"))).collect::<ApiResult<_>>()?,
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
        version: l.version,
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
    })
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
        specialties: f
            .specialties
            .iter()
            .map(|s| pb::Specialty {
                code: s.code.clone(),
                level: s.level.as_str().into(),
                name: Some(text(&s.name)),
                isced_f_broad: s.isced_f_broad.clone(),
                verified: s.verified,
                barred_forms: s.barred_forms.iter().map(|f| f.as_str().to_owned()).collect(),
            })
            .collect(),
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
        specialties: r
            .specialties
            .into_iter()
            .map(|s| {
                Ok(Specialty {
                    code: s.code,
                    level: Level::parse(&s.level).ok_or_else(|| bad("level"))?,
                    name: loc(s.name),
                    isced_f_broad: s.isced_f_broad,
                    verified: s.verified,
                    barred_forms: s
                        .barred_forms
                        .iter()
                        .map(|f| StudyForm::parse(f).ok_or_else(|| bad("form")))
                        .collect::<ApiResult<_>>()?,
                })
            })
            .collect::<ApiResult<_>>()?,
    })
}

/// The tonic server: protocol conversion around any implementation.
pub struct CatalogueGrpc {
    inner: Arc<dyn CatalogueApi>,
}

impl CatalogueGrpc {
    pub fn server(inner: Arc<dyn CatalogueApi>) -> CatalogueServer<Self> {
        CatalogueServer::new(Self { inner })
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
        Ok(Response::new(pb::Institution {
            summary: Some(summary_pb(&i.summary)),
            programmes: i.programmes.iter().map(programme_pb).collect(),
            licences: i.licences.iter().map(licence_pb).collect(),
        }))
    }

    async fn get_programme(
        &self,
        req: Request<pb::GetProgrammeRequest>,
    ) -> Result<Response<pb::ProgrammeDetail>, Status> {
        let ctx = ctx_from(&req);
        let d = self.inner.programme_get(&ctx, &req.get_ref().id).await.map_err(status_from)?;
        Ok(Response::new(pb::ProgrammeDetail {
            programme: Some(programme_pb(&d.programme)),
            institution: Some(summary_pb(&d.institution)),
            licence: d.licence.as_ref().map(licence_pb),
        }))
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
}

/// [`CatalogueApi`] over gRPC.
#[derive(Clone)]
pub struct CatalogueClient {
    client: PbClient<Channel>,
}

impl CatalogueClient {
    pub fn new(channel: Channel) -> Self {
        Self { client: PbClient::new(channel) }
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
        Ok(Institution {
            summary: summary_from(r.summary.ok_or_else(|| missing("summary"))?)?,
            programmes: r.programmes.into_iter().map(programme_from).collect::<ApiResult<_>>()?,
            licences: r.licences.into_iter().map(licence_from).collect::<ApiResult<_>>()?,
        })
    }

    async fn programme_get(&self, ctx: &CallCtx, id: &str) -> ApiResult<ProgrammeDetail> {
        let r = self
            .client
            .clone()
            .get_programme(request(pb::GetProgrammeRequest { id: id.to_owned() }, ctx))
            .await
            .map_err(error_from)?
            .into_inner();
        Ok(ProgrammeDetail {
            programme: programme_from(r.programme.ok_or_else(|| missing("programme"))?)?,
            institution: summary_from(r.institution.ok_or_else(|| missing("institution"))?)?,
            licence: r.licence.map(licence_from).transpose()?,
        })
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
        };
        let r = self.client.clone().upsert_licence(request(msg, ctx)).await.map_err(error_from)?;
        licence_from(r.into_inner())
    }
}

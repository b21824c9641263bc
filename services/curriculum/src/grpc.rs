//! gRPC adapters of curriculum: the tonic server over any [`CurriculumApi`], and the
//! client that implements [`CurriculumApi`] over the network. Conversions only.

use std::sync::Arc;

use async_trait::async_trait;
use edu24_proto::common::v1::LocalizedText;
use edu24_proto::curriculum::v1 as pb;
use edu24_proto::curriculum::v1::curriculum_client::CurriculumClient as PbClient;
use edu24_proto::curriculum::v1::curriculum_server::{Curriculum, CurriculumServer};
use edu24_shared::auth::CallCtx;
use edu24_shared::error::{ApiError, ApiResult};
use edu24_shared::grpc::{ctx_from, error_from, request, status_from};
use tonic::transport::Channel;
use tonic::{Request, Response};

use crate::CurriculumApi;
use crate::domain::*;

/// Largest message either side accepts: a national comparison or overview can pass
/// tonic's default of 4 MiB.
const MAX_MESSAGE_BYTES: usize = 32 << 20;

fn text(l: &Localized) -> Option<LocalizedText> {
    Some(LocalizedText { ky: l.ky.clone(), ru: l.ru.clone(), en: l.en.clone() })
}

fn loc(t: Option<LocalizedText>) -> Localized {
    t.map(|t| Localized { ky: t.ky, ru: t.ru, en: t.en }).unwrap_or_default()
}

fn bad(field: &str) -> ApiError {
    ApiError::invalid(field, format!("{field} has an unknown value"))
}

fn opt(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

fn level_from(s: &str) -> ApiResult<Level> {
    Level::parse(s).ok_or_else(|| bad("level"))
}

fn level_opt(s: &str) -> ApiResult<Option<Level>> {
    if s.is_empty() { Ok(None) } else { level_from(s).map(Some) }
}

fn missing(what: &str) -> ApiError {
    tracing::error!(what, "a gRPC answer lacks a required message");
    ApiError::internal()
}

// ----- domain <-> proto

pub(crate) fn national_pb(c: &NationalCourse) -> pb::NationalCourse {
    pb::NationalCourse {
        code: c.code.clone(),
        name: text(&c.name),
        recommended_tenths: c.recommended_tenths,
        mandatory: c.mandatory,
        note: c.note.clone(),
        version: c.version,
    }
}

fn national_from(c: pb::NationalCourse) -> NationalCourse {
    NationalCourse {
        code: c.code,
        name: loc(c.name),
        recommended_tenths: c.recommended_tenths,
        mandatory: c.mandatory,
        note: c.note,
        version: c.version,
    }
}

fn block_pb(b: &StandardBlock) -> pb::StandardBlock {
    pb::StandardBlock {
        code: b.code.clone(),
        kind: b.kind.as_str().into(),
        name: text(&b.name),
        min_tenths: b.min_tenths,
        max_tenths: b.max_tenths,
    }
}

fn block_from(b: pb::StandardBlock) -> ApiResult<StandardBlock> {
    Ok(StandardBlock {
        kind: BlockKind::parse(&b.kind).ok_or_else(|| bad("kind"))?,
        code: b.code,
        name: loc(b.name),
        min_tenths: b.min_tenths,
        max_tenths: b.max_tenths,
    })
}

pub(crate) fn standard_pb(s: &Standard) -> pb::Standard {
    pb::Standard {
        id: s.id.clone(),
        specialty_code: s.specialty_code.clone(),
        level: s.level.as_str().into(),
        valid_from: s.valid_from.clone(),
        document_no: s.document_no.clone(),
        title: text(&s.title),
        total_tenths: s.total_tenths,
        hours_per_credit: s.hours_per_credit,
        semesters: s.semesters,
        weeks_per_semester: s.weeks_per_semester,
        max_weekly_hours: s.max_weekly_hours,
        state_component_percent: s.state_component_percent,
        blocks: s.blocks.iter().map(block_pb).collect(),
        courses: s
            .courses
            .iter()
            .map(|c| pb::StandardCourse {
                code: c.code.clone(),
                name: text(&c.name),
                block: c.block.clone(),
                min_tenths: c.min_tenths,
            })
            .collect(),
        version: s.version,
        in_use: s.in_use,
        updated_at_ms: s.updated_at_ms,
        updated_by: s.updated_by.clone(),
    }
}

fn standard_from(s: pb::Standard) -> ApiResult<Standard> {
    Ok(Standard {
        id: s.id,
        specialty_code: s.specialty_code,
        level: level_from(&s.level)?,
        valid_from: s.valid_from,
        document_no: s.document_no,
        title: loc(s.title),
        total_tenths: s.total_tenths,
        hours_per_credit: s.hours_per_credit,
        semesters: s.semesters,
        weeks_per_semester: s.weeks_per_semester,
        max_weekly_hours: s.max_weekly_hours,
        state_component_percent: s.state_component_percent,
        blocks: s.blocks.into_iter().map(block_from).collect::<ApiResult<_>>()?,
        courses: s
            .courses
            .into_iter()
            .map(|c| StandardCourse { code: c.code, name: loc(c.name), block: c.block, min_tenths: c.min_tenths })
            .collect(),
        version: s.version,
        in_use: s.in_use,
        updated_at_ms: s.updated_at_ms,
        updated_by: s.updated_by,
    })
}

pub(crate) fn line_pb(l: &Line) -> pb::CurriculumLine {
    pb::CurriculumLine {
        line_no: l.line_no,
        semester: l.semester,
        code: l.code.clone(),
        name: text(&l.name),
        block: l.block.clone(),
        credits_tenths: l.credits_tenths,
        lectures: l.lectures,
        practicals: l.practicals,
        labs: l.labs,
        independent: l.independent,
        assessment: l.assessment.as_str().into(),
        prerequisites: l.prerequisites.clone(),
        component: l.component.as_str().into(),
        choice_group: l.choice_group.clone(),
    }
}

fn line_from(l: pb::CurriculumLine) -> ApiResult<Line> {
    Ok(Line {
        line_no: l.line_no,
        semester: l.semester,
        code: l.code,
        name: loc(l.name),
        block: l.block,
        credits_tenths: l.credits_tenths,
        lectures: l.lectures,
        practicals: l.practicals,
        labs: l.labs,
        independent: l.independent,
        assessment: Assessment::parse(&l.assessment).ok_or_else(|| bad("assessment"))?,
        prerequisites: l.prerequisites,
        component: Component::parse(&l.component).ok_or_else(|| bad("component"))?,
        choice_group: l.choice_group,
    })
}

fn line_input_pb(l: &LineInput) -> pb::CurriculumLine {
    pb::CurriculumLine {
        line_no: 0,
        semester: l.semester,
        code: l.code.clone(),
        name: text(&l.name),
        block: l.block.clone(),
        credits_tenths: l.credits_tenths,
        lectures: l.lectures,
        practicals: l.practicals,
        labs: l.labs,
        independent: l.independent,
        assessment: l.assessment.clone(),
        prerequisites: l.prerequisites.clone(),
        component: l.component.clone(),
        choice_group: l.choice_group.clone(),
    }
}

fn line_input_from(l: pb::CurriculumLine) -> LineInput {
    LineInput {
        semester: l.semester,
        code: l.code,
        name: loc(l.name),
        block: l.block,
        credits_tenths: l.credits_tenths,
        lectures: l.lectures,
        practicals: l.practicals,
        labs: l.labs,
        independent: l.independent,
        assessment: l.assessment,
        prerequisites: l.prerequisites,
        component: l.component,
        choice_group: l.choice_group,
    }
}

fn finding_pb(f: &Finding) -> pb::Finding {
    pb::Finding {
        rule: f.rule.clone(),
        severity: f.severity.as_str().into(),
        lines: f.lines.clone(),
        args: f.args.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        message: f.message.clone(),
    }
}

fn finding_from(f: pb::Finding) -> ApiResult<Finding> {
    Ok(Finding {
        severity: Severity::parse(&f.severity).ok_or_else(|| bad("severity"))?,
        rule: f.rule,
        lines: f.lines,
        args: f.args.into_iter().collect(),
        message: f.message,
    })
}

fn compliance_pb(c: &Compliance) -> pb::Compliance {
    pb::Compliance {
        standard_id: c.standard_id.clone().unwrap_or_default(),
        findings: c.findings.iter().map(finding_pb).collect(),
        errors: c.errors,
        warnings: c.warnings,
        total_tenths: c.total_tenths,
        checked_at_ms: c.checked_at_ms,
    }
}

fn compliance_from(c: pb::Compliance) -> ApiResult<Compliance> {
    Ok(Compliance {
        standard_id: opt(c.standard_id),
        findings: c.findings.into_iter().map(finding_from).collect::<ApiResult<_>>()?,
        errors: c.errors,
        warnings: c.warnings,
        total_tenths: c.total_tenths,
        checked_at_ms: c.checked_at_ms,
    })
}

pub(crate) fn summary_pb(s: &CurriculumSummary) -> pb::CurriculumSummary {
    pb::CurriculumSummary {
        id: s.id.clone(),
        programme_id: s.programme_id.clone(),
        institution_id: s.institution_id.clone(),
        specialty_code: s.specialty_code.clone(),
        level: s.level.as_str().into(),
        intake_year: s.intake_year,
        version: s.version,
        status: s.status.as_str().into(),
        standard_id: s.standard_id.clone().unwrap_or_default(),
        errors: s.errors,
        warnings: s.warnings,
        total_tenths: s.total_tenths,
        lines: s.lines,
        revision: s.revision,
        updated_at_ms: s.updated_at_ms,
        updated_by: s.updated_by.clone(),
        submitted_at_ms: s.submitted_at_ms.unwrap_or(0),
        submitted_by: s.submitted_by.clone(),
        decided_at_ms: s.decided_at_ms.unwrap_or(0),
        decided_by: s.decided_by.clone(),
        decision_note: s.decision_note.clone(),
        content_sha256: s.content_sha256.clone(),
        superseded_by: s.superseded_by.clone().unwrap_or_default(),
        institution_name: text(&s.institution_name),
        institution_code: s.institution_code.clone(),
        specialty_name: text(&s.specialty_name),
        form: s.form.clone(),
        language: s.language.clone(),
    }
}

fn summary_from(s: pb::CurriculumSummary) -> ApiResult<CurriculumSummary> {
    Ok(CurriculumSummary {
        level: level_from(&s.level)?,
        status: Status::parse(&s.status).ok_or_else(|| bad("status"))?,
        id: s.id,
        programme_id: s.programme_id,
        institution_id: s.institution_id,
        specialty_code: s.specialty_code,
        intake_year: s.intake_year,
        version: s.version,
        standard_id: opt(s.standard_id),
        errors: s.errors,
        warnings: s.warnings,
        total_tenths: s.total_tenths,
        lines: s.lines,
        revision: s.revision,
        updated_at_ms: s.updated_at_ms,
        updated_by: s.updated_by,
        submitted_at_ms: (s.submitted_at_ms != 0).then_some(s.submitted_at_ms),
        submitted_by: s.submitted_by,
        decided_at_ms: (s.decided_at_ms != 0).then_some(s.decided_at_ms),
        decided_by: s.decided_by,
        decision_note: s.decision_note,
        content_sha256: s.content_sha256,
        superseded_by: opt(s.superseded_by),
        institution_name: loc(s.institution_name),
        institution_code: s.institution_code,
        specialty_name: loc(s.specialty_name),
        form: s.form,
        language: s.language,
    })
}

fn detail_pb(d: &CurriculumDetail) -> pb::CurriculumDetail {
    pb::CurriculumDetail {
        summary: Some(summary_pb(&d.summary)),
        lines: d.lines.iter().map(line_pb).collect(),
        compliance: Some(compliance_pb(&d.compliance)),
        standard: d.standard.as_ref().map(standard_pb),
    }
}

fn detail_from(d: pb::CurriculumDetail) -> ApiResult<CurriculumDetail> {
    Ok(CurriculumDetail {
        summary: summary_from(d.summary.ok_or_else(|| missing("summary"))?)?,
        lines: d.lines.into_iter().map(line_from).collect::<ApiResult<_>>()?,
        compliance: compliance_from(d.compliance.unwrap_or_default())?,
        standard: d.standard.map(standard_from).transpose()?,
    })
}

fn row_error_pb(e: &RowError) -> pb::RowError {
    pb::RowError { row: e.row, field: e.field.clone(), reason: e.reason.clone(), message: e.message.clone() }
}

fn row_error_from(e: pb::RowError) -> RowError {
    RowError { row: e.row, field: e.field, reason: e.reason, message: e.message }
}

pub(crate) fn requirements_pb(r: &Requirements) -> pb::Requirements {
    pb::Requirements {
        curriculum_id: r.curriculum_id.clone(),
        version: r.version,
        programme_id: r.programme_id.clone(),
        institution_id: r.institution_id.clone(),
        specialty_code: r.specialty_code.clone(),
        level: r.level.as_str().into(),
        intake_year: r.intake_year,
        standard_id: r.standard_id.clone(),
        standard_document_no: r.standard_document_no.clone(),
        total_tenths: r.total_tenths,
        hours_per_credit: r.hours_per_credit,
        semesters: r.semesters,
        approved_at_ms: r.approved_at_ms,
        approved_by: r.approved_by.clone(),
        content_sha256: r.content_sha256.clone(),
        lines: r
            .lines
            .iter()
            .map(|l| pb::RequiredLine {
                line: Some(line_pb(&l.line)),
                block_kind: l.block_kind.as_str().into(),
                mandatory: l.mandatory,
            })
            .collect(),
        blocks: r.blocks.iter().map(block_pb).collect(),
        status: r.status.as_str().into(),
        superseded_by: r.superseded_by.clone().unwrap_or_default(),
    }
}

/// Reads the contract message (also the payload of the approved event).
pub fn requirements_from(r: pb::Requirements) -> ApiResult<Requirements> {
    Ok(Requirements {
        level: level_from(&r.level)?,
        status: Status::parse(&r.status).ok_or_else(|| bad("status"))?,
        curriculum_id: r.curriculum_id,
        version: r.version,
        programme_id: r.programme_id,
        institution_id: r.institution_id,
        specialty_code: r.specialty_code,
        intake_year: r.intake_year,
        standard_id: r.standard_id,
        standard_document_no: r.standard_document_no,
        total_tenths: r.total_tenths,
        hours_per_credit: r.hours_per_credit,
        semesters: r.semesters,
        approved_at_ms: r.approved_at_ms,
        approved_by: r.approved_by,
        content_sha256: r.content_sha256,
        lines: r
            .lines
            .into_iter()
            .map(|l| {
                Ok(RequiredLine {
                    line: line_from(l.line.ok_or_else(|| missing("line"))?)?,
                    block_kind: BlockKind::parse(&l.block_kind).ok_or_else(|| bad("block_kind"))?,
                    mandatory: l.mandatory,
                })
            })
            .collect::<ApiResult<_>>()?,
        blocks: r.blocks.into_iter().map(block_from).collect::<ApiResult<_>>()?,
        superseded_by: opt(r.superseded_by),
    })
}

fn institution_compliance_pb(i: &InstitutionCompliance) -> pb::InstitutionCompliance {
    pb::InstitutionCompliance {
        institution_id: i.institution_id.clone(),
        institution_code: i.institution_code.clone(),
        institution_name: text(&i.institution_name),
        curricula: i.curricula,
        approved: i.approved,
        submitted: i.submitted,
        drafts: i.drafts,
        with_errors: i.with_errors,
        with_warnings: i.with_warnings,
        programmes_without_approved: i.programmes_without_approved,
    }
}

fn institution_compliance_from(i: pb::InstitutionCompliance) -> InstitutionCompliance {
    InstitutionCompliance {
        institution_id: i.institution_id,
        institution_code: i.institution_code,
        institution_name: loc(i.institution_name),
        curricula: i.curricula,
        approved: i.approved,
        submitted: i.submitted,
        drafts: i.drafts,
        with_errors: i.with_errors,
        with_warnings: i.with_warnings,
        programmes_without_approved: i.programmes_without_approved,
    }
}

fn overview_pb(o: &ComplianceOverview) -> pb::ComplianceOverview {
    pb::ComplianceOverview {
        curricula: o.curricula,
        approved: o.approved,
        submitted: o.submitted,
        drafts: o.drafts,
        with_errors: o.with_errors,
        with_warnings: o.with_warnings,
        programmes: o.programmes,
        programmes_without_approved: o.programmes_without_approved,
        institutions: o.institutions.iter().map(institution_compliance_pb).collect(),
        rules: o.rules.iter().map(|(rule, n)| pb::RuleCount { rule: rule.clone(), curricula: *n }).collect(),
        failing: o.failing.iter().map(summary_pb).collect(),
        intake_year: o.intake_year,
        last_recheck_ms: o.last_recheck_ms.unwrap_or(0),
    }
}

fn overview_from(o: pb::ComplianceOverview) -> ApiResult<ComplianceOverview> {
    Ok(ComplianceOverview {
        curricula: o.curricula,
        approved: o.approved,
        submitted: o.submitted,
        drafts: o.drafts,
        with_errors: o.with_errors,
        with_warnings: o.with_warnings,
        programmes: o.programmes,
        programmes_without_approved: o.programmes_without_approved,
        institutions: o.institutions.into_iter().map(institution_compliance_from).collect(),
        rules: o.rules.into_iter().map(|r| (r.rule, r.curricula)).collect(),
        failing: o.failing.into_iter().map(summary_from).collect::<ApiResult<_>>()?,
        intake_year: o.intake_year,
        last_recheck_ms: (o.last_recheck_ms != 0).then_some(o.last_recheck_ms),
    })
}

fn figures_pb(b: &BlockFigures) -> pb::BlockFigures {
    pb::BlockFigures {
        block: b.block.clone(),
        credits_tenths: b.credits_tenths,
        hours: b.hours,
        contact_hours: b.contact_hours,
    }
}

fn comparison_pb(c: &SpecialtyComparison) -> pb::SpecialtyComparison {
    pb::SpecialtyComparison {
        specialty_code: c.specialty_code.clone(),
        level: c.level.as_str().into(),
        intake_year: c.intake_year,
        blocks: c.blocks.iter().map(block_pb).collect(),
        curricula: c
            .curricula
            .iter()
            .map(|x| pb::ComparedCurriculum {
                summary: Some(summary_pb(&x.summary)),
                blocks: x.blocks.iter().map(figures_pb).collect(),
            })
            .collect(),
        standard_id: c.standard_id.clone().unwrap_or_default(),
    }
}

fn comparison_from(c: pb::SpecialtyComparison) -> ApiResult<SpecialtyComparison> {
    Ok(SpecialtyComparison {
        level: level_from(&c.level)?,
        specialty_code: c.specialty_code,
        intake_year: c.intake_year,
        blocks: c.blocks.into_iter().map(block_from).collect::<ApiResult<_>>()?,
        curricula: c
            .curricula
            .into_iter()
            .map(|x| {
                Ok(ComparedCurriculum {
                    summary: summary_from(x.summary.ok_or_else(|| missing("summary"))?)?,
                    blocks: x
                        .blocks
                        .into_iter()
                        .map(|b| BlockFigures {
                            block: b.block,
                            credits_tenths: b.credits_tenths,
                            hours: b.hours,
                            contact_hours: b.contact_hours,
                        })
                        .collect(),
                })
            })
            .collect::<ApiResult<_>>()?,
        standard_id: opt(c.standard_id),
    })
}

fn delegation_pb(d: &Delegation) -> pb::Delegation {
    pb::Delegation {
        institution_id: d.institution_id.clone(),
        delegated: d.delegated,
        granted_at_ms: d.granted_at_ms,
        granted_by: d.granted_by.clone(),
        note: d.note.clone(),
        institution_name: text(&d.institution_name),
    }
}

fn delegation_from(d: pb::Delegation) -> Delegation {
    Delegation {
        institution_id: d.institution_id,
        delegated: d.delegated,
        granted_at_ms: d.granted_at_ms,
        granted_by: d.granted_by,
        note: d.note,
        institution_name: loc(d.institution_name),
    }
}

fn recheck_pb(r: &RecheckReport) -> pb::RecheckReport {
    pb::RecheckReport {
        curricula: r.curricula,
        changed: r.changed,
        with_errors: r.with_errors,
        elapsed_ms: r.elapsed_ms,
    }
}

// ----- server

/// The tonic server: protocol conversion around any implementation.
pub struct CurriculumGrpc {
    inner: Arc<dyn CurriculumApi>,
}

impl CurriculumGrpc {
    pub fn server(inner: Arc<dyn CurriculumApi>) -> CurriculumServer<Self> {
        CurriculumServer::new(Self { inner })
            .max_decoding_message_size(MAX_MESSAGE_BYTES)
            .max_encoding_message_size(MAX_MESSAGE_BYTES)
    }
}

type Answer<T> = Result<Response<T>, tonic::Status>;

fn answer<T, U>(r: ApiResult<T>, f: impl FnOnce(T) -> U) -> Answer<U> {
    r.map(|v| Response::new(f(v))).map_err(status_from)
}

#[async_trait]
impl Curriculum for CurriculumGrpc {
    async fn list_national_courses(
        &self,
        req: Request<pb::ListNationalCoursesRequest>,
    ) -> Answer<pb::NationalCourseList> {
        let ctx = ctx_from(&req);
        answer(self.inner.national_courses(&ctx).await, |v| pb::NationalCourseList {
            courses: v.iter().map(national_pb).collect(),
        })
    }

    async fn upsert_national_course(&self, req: Request<pb::NationalCourse>) -> Answer<pb::NationalCourse> {
        let ctx = ctx_from(&req);
        answer(self.inner.national_course_upsert(&ctx, national_from(req.into_inner())).await, |c| national_pb(&c))
    }

    async fn list_standards(&self, req: Request<pb::ListStandardsRequest>) -> Answer<pb::StandardList> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        let level = level_opt(&r.level).map_err(status_from)?;
        let code = opt(r.specialty_code);
        answer(self.inner.standards(&ctx, code.as_deref(), level).await, |v| pb::StandardList {
            standards: v.iter().map(standard_pb).collect(),
        })
    }

    async fn get_standard(&self, req: Request<pb::GetStandardRequest>) -> Answer<pb::Standard> {
        let ctx = ctx_from(&req);
        answer(self.inner.standard_get(&ctx, &req.into_inner().id).await, |s| standard_pb(&s))
    }

    async fn upsert_standard(&self, req: Request<pb::Standard>) -> Answer<pb::Standard> {
        let ctx = ctx_from(&req);
        let s = standard_from(req.into_inner()).map_err(status_from)?;
        answer(self.inner.standard_upsert(&ctx, s).await, |s| standard_pb(&s))
    }

    async fn list_curricula(&self, req: Request<pb::ListCurriculaRequest>) -> Answer<pb::CurriculumList> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        let q = CurriculumQuery {
            institution_id: opt(r.institution_id),
            programme_id: opt(r.programme_id),
            status: if r.status.is_empty() {
                None
            } else {
                Some(Status::parse(&r.status).ok_or_else(|| status_from(bad("status")))?)
            },
            specialty_code: opt(r.specialty_code),
            level: level_opt(&r.level).map_err(status_from)?,
            intake_year: (r.intake_year != 0).then_some(r.intake_year),
            page: r.page,
            per_page: r.per_page,
        };
        answer(self.inner.curricula(&ctx, &q).await, |p| pb::CurriculumList {
            items: p.items.iter().map(summary_pb).collect(),
            total: p.total,
        })
    }

    async fn get_curriculum(&self, req: Request<pb::GetCurriculumRequest>) -> Answer<pb::CurriculumDetail> {
        let ctx = ctx_from(&req);
        answer(self.inner.curriculum_get(&ctx, &req.into_inner().id).await, |d| detail_pb(&d))
    }

    async fn create_curriculum(&self, req: Request<pb::CreateCurriculumRequest>) -> Answer<pb::CurriculumDetail> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        let copy = opt(r.copy_from);
        answer(self.inner.curriculum_create(&ctx, &r.programme_id, r.intake_year, copy.as_deref()).await, |d| {
            detail_pb(&d)
        })
    }

    async fn save_curriculum(&self, req: Request<pb::SaveCurriculumRequest>) -> Answer<pb::SaveCurriculumResponse> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        let lines = r.lines.into_iter().map(line_input_from).collect();
        answer(self.inner.curriculum_save(&ctx, &r.id, r.expected_revision, lines).await, |o| match o {
            SaveOutcome::Saved(d) => pb::SaveCurriculumResponse { curriculum: Some(detail_pb(&d)), row_errors: vec![] },
            SaveOutcome::Refused(e) => {
                pb::SaveCurriculumResponse { curriculum: None, row_errors: e.iter().map(row_error_pb).collect() }
            }
        })
    }

    async fn check_curriculum(&self, req: Request<pb::CheckCurriculumRequest>) -> Answer<pb::CheckCurriculumResponse> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        let lines = r.lines.into_iter().map(line_input_from).collect();
        answer(self.inner.curriculum_check(&ctx, &r.programme_id, r.intake_year, lines).await, |o| match o {
            Ok(c) => pb::CheckCurriculumResponse { compliance: Some(compliance_pb(&c)), row_errors: vec![] },
            Err(e) => {
                pb::CheckCurriculumResponse { compliance: None, row_errors: e.iter().map(row_error_pb).collect() }
            }
        })
    }

    async fn submit_curriculum(&self, req: Request<pb::CurriculumActionRequest>) -> Answer<pb::CurriculumDetail> {
        let ctx = ctx_from(&req);
        answer(self.inner.curriculum_submit(&ctx, &req.into_inner().id).await, |d| detail_pb(&d))
    }

    async fn decide_curriculum(&self, req: Request<pb::DecideCurriculumRequest>) -> Answer<pb::CurriculumDetail> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        answer(self.inner.curriculum_decide(&ctx, &r.id, r.approve, &r.note).await, |d| detail_pb(&d))
    }

    async fn new_curriculum_version(&self, req: Request<pb::CurriculumActionRequest>) -> Answer<pb::CurriculumDetail> {
        let ctx = ctx_from(&req);
        answer(self.inner.curriculum_new_version(&ctx, &req.into_inner().id).await, |d| detail_pb(&d))
    }

    async fn discard_draft(&self, req: Request<pb::CurriculumActionRequest>) -> Answer<pb::Empty> {
        let ctx = ctx_from(&req);
        answer(self.inner.curriculum_discard(&ctx, &req.into_inner().id).await, |_| pb::Empty {})
    }

    async fn get_requirements(&self, req: Request<pb::GetRequirementsRequest>) -> Answer<pb::Requirements> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        let id = opt(r.curriculum_id);
        answer(self.inner.requirements(&ctx, &r.programme_id, r.intake_year, id.as_deref()).await, |q| {
            requirements_pb(&q)
        })
    }

    async fn compliance_overview(&self, req: Request<pb::ComplianceOverviewRequest>) -> Answer<pb::ComplianceOverview> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        let q = OverviewQuery {
            specialty_code: opt(r.specialty_code),
            level: level_opt(&r.level).map_err(status_from)?,
            intake_year: (r.intake_year != 0).then_some(r.intake_year),
        };
        answer(self.inner.compliance_overview(&ctx, &q).await, |o| overview_pb(&o))
    }

    async fn compare_specialty(&self, req: Request<pb::CompareSpecialtyRequest>) -> Answer<pb::SpecialtyComparison> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        let level = level_from(&r.level).map_err(status_from)?;
        answer(self.inner.compare_specialty(&ctx, &r.specialty_code, level, r.intake_year).await, |c| comparison_pb(&c))
    }

    async fn recheck_all(&self, req: Request<pb::Empty>) -> Answer<pb::RecheckReport> {
        let ctx = ctx_from(&req);
        answer(self.inner.recheck_all(&ctx).await, |r| recheck_pb(&r))
    }

    async fn set_delegation(&self, req: Request<pb::SetDelegationRequest>) -> Answer<pb::Delegation> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        answer(self.inner.delegation_set(&ctx, &r.institution_id, r.delegated, &r.note).await, |d| delegation_pb(&d))
    }

    async fn list_delegations(&self, req: Request<pb::Empty>) -> Answer<pb::DelegationList> {
        let ctx = ctx_from(&req);
        answer(self.inner.delegations(&ctx).await, |v| pb::DelegationList {
            delegations: v.iter().map(delegation_pb).collect(),
        })
    }
}

// ----- client

/// [`CurriculumApi`] over gRPC.
#[derive(Clone)]
pub struct CurriculumClient {
    client: PbClient<Channel>,
}

impl CurriculumClient {
    pub fn new(channel: Channel) -> Self {
        Self {
            client: PbClient::new(channel)
                .max_decoding_message_size(MAX_MESSAGE_BYTES)
                .max_encoding_message_size(MAX_MESSAGE_BYTES),
        }
    }
}

#[async_trait]
impl CurriculumApi for CurriculumClient {
    async fn national_courses(&self, ctx: &CallCtx) -> ApiResult<Vec<NationalCourse>> {
        let r = self.client.clone().list_national_courses(request(pb::ListNationalCoursesRequest {}, ctx)).await;
        Ok(r.map_err(error_from)?.into_inner().courses.into_iter().map(national_from).collect())
    }

    async fn national_course_upsert(&self, ctx: &CallCtx, course: NationalCourse) -> ApiResult<NationalCourse> {
        let r = self.client.clone().upsert_national_course(request(national_pb(&course), ctx)).await;
        Ok(national_from(r.map_err(error_from)?.into_inner()))
    }

    async fn standards(
        &self,
        ctx: &CallCtx,
        specialty_code: Option<&str>,
        level: Option<Level>,
    ) -> ApiResult<Vec<Standard>> {
        let msg = pb::ListStandardsRequest {
            specialty_code: specialty_code.unwrap_or_default().to_owned(),
            level: level.map(|l| l.as_str().to_owned()).unwrap_or_default(),
        };
        let r = self.client.clone().list_standards(request(msg, ctx)).await;
        r.map_err(error_from)?.into_inner().standards.into_iter().map(standard_from).collect()
    }

    async fn standard_get(&self, ctx: &CallCtx, id: &str) -> ApiResult<Standard> {
        let r = self.client.clone().get_standard(request(pb::GetStandardRequest { id: id.to_owned() }, ctx)).await;
        standard_from(r.map_err(error_from)?.into_inner())
    }

    async fn standard_upsert(&self, ctx: &CallCtx, standard: Standard) -> ApiResult<Standard> {
        let r = self.client.clone().upsert_standard(request(standard_pb(&standard), ctx)).await;
        standard_from(r.map_err(error_from)?.into_inner())
    }

    async fn curricula(&self, ctx: &CallCtx, q: &CurriculumQuery) -> ApiResult<Page<CurriculumSummary>> {
        let msg = pb::ListCurriculaRequest {
            institution_id: q.institution_id.clone().unwrap_or_default(),
            programme_id: q.programme_id.clone().unwrap_or_default(),
            status: q.status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
            specialty_code: q.specialty_code.clone().unwrap_or_default(),
            level: q.level.map(|l| l.as_str().to_owned()).unwrap_or_default(),
            intake_year: q.intake_year.unwrap_or(0),
            page: q.page,
            per_page: q.per_page,
        };
        let r = self.client.clone().list_curricula(request(msg, ctx)).await.map_err(error_from)?.into_inner();
        Ok(Page { items: r.items.into_iter().map(summary_from).collect::<ApiResult<_>>()?, total: r.total })
    }

    async fn curriculum_get(&self, ctx: &CallCtx, id: &str) -> ApiResult<CurriculumDetail> {
        let r = self.client.clone().get_curriculum(request(pb::GetCurriculumRequest { id: id.to_owned() }, ctx)).await;
        detail_from(r.map_err(error_from)?.into_inner())
    }

    async fn curriculum_create(
        &self,
        ctx: &CallCtx,
        programme_id: &str,
        intake_year: i32,
        copy_from: Option<&str>,
    ) -> ApiResult<CurriculumDetail> {
        let msg = pb::CreateCurriculumRequest {
            programme_id: programme_id.to_owned(),
            intake_year,
            copy_from: copy_from.unwrap_or_default().to_owned(),
        };
        let r = self.client.clone().create_curriculum(request(msg, ctx)).await;
        detail_from(r.map_err(error_from)?.into_inner())
    }

    async fn curriculum_save(
        &self,
        ctx: &CallCtx,
        id: &str,
        expected_revision: i64,
        lines: Vec<LineInput>,
    ) -> ApiResult<SaveOutcome> {
        let msg = pb::SaveCurriculumRequest {
            id: id.to_owned(),
            expected_revision,
            lines: lines.iter().map(line_input_pb).collect(),
        };
        let r = self.client.clone().save_curriculum(request(msg, ctx)).await.map_err(error_from)?.into_inner();
        match r.curriculum {
            Some(d) => Ok(SaveOutcome::Saved(Box::new(detail_from(d)?))),
            None => Ok(SaveOutcome::Refused(r.row_errors.into_iter().map(row_error_from).collect())),
        }
    }

    async fn curriculum_check(
        &self,
        ctx: &CallCtx,
        programme_id: &str,
        intake_year: i32,
        lines: Vec<LineInput>,
    ) -> ApiResult<Result<Compliance, Vec<RowError>>> {
        let msg = pb::CheckCurriculumRequest {
            programme_id: programme_id.to_owned(),
            intake_year,
            lines: lines.iter().map(line_input_pb).collect(),
        };
        let r = self.client.clone().check_curriculum(request(msg, ctx)).await.map_err(error_from)?.into_inner();
        match r.compliance {
            Some(c) => Ok(Ok(compliance_from(c)?)),
            None => Ok(Err(r.row_errors.into_iter().map(row_error_from).collect())),
        }
    }

    async fn curriculum_submit(&self, ctx: &CallCtx, id: &str) -> ApiResult<CurriculumDetail> {
        let r = self
            .client
            .clone()
            .submit_curriculum(request(pb::CurriculumActionRequest { id: id.to_owned() }, ctx))
            .await;
        detail_from(r.map_err(error_from)?.into_inner())
    }

    async fn curriculum_decide(
        &self,
        ctx: &CallCtx,
        id: &str,
        approve: bool,
        note: &str,
    ) -> ApiResult<CurriculumDetail> {
        let msg = pb::DecideCurriculumRequest { id: id.to_owned(), approve, note: note.to_owned() };
        let r = self.client.clone().decide_curriculum(request(msg, ctx)).await;
        detail_from(r.map_err(error_from)?.into_inner())
    }

    async fn curriculum_new_version(&self, ctx: &CallCtx, id: &str) -> ApiResult<CurriculumDetail> {
        let r = self
            .client
            .clone()
            .new_curriculum_version(request(pb::CurriculumActionRequest { id: id.to_owned() }, ctx))
            .await;
        detail_from(r.map_err(error_from)?.into_inner())
    }

    async fn curriculum_discard(&self, ctx: &CallCtx, id: &str) -> ApiResult<()> {
        let r =
            self.client.clone().discard_draft(request(pb::CurriculumActionRequest { id: id.to_owned() }, ctx)).await;
        r.map_err(error_from).map(|_| ())
    }

    async fn requirements(
        &self,
        ctx: &CallCtx,
        programme_id: &str,
        intake_year: i32,
        curriculum_id: Option<&str>,
    ) -> ApiResult<Requirements> {
        let msg = pb::GetRequirementsRequest {
            programme_id: programme_id.to_owned(),
            intake_year,
            curriculum_id: curriculum_id.unwrap_or_default().to_owned(),
        };
        let r = self.client.clone().get_requirements(request(msg, ctx)).await;
        requirements_from(r.map_err(error_from)?.into_inner())
    }

    async fn compliance_overview(&self, ctx: &CallCtx, q: &OverviewQuery) -> ApiResult<ComplianceOverview> {
        let msg = pb::ComplianceOverviewRequest {
            specialty_code: q.specialty_code.clone().unwrap_or_default(),
            level: q.level.map(|l| l.as_str().to_owned()).unwrap_or_default(),
            intake_year: q.intake_year.unwrap_or(0),
        };
        let r = self.client.clone().compliance_overview(request(msg, ctx)).await;
        overview_from(r.map_err(error_from)?.into_inner())
    }

    async fn compare_specialty(
        &self,
        ctx: &CallCtx,
        specialty_code: &str,
        level: Level,
        intake_year: i32,
    ) -> ApiResult<SpecialtyComparison> {
        let msg = pb::CompareSpecialtyRequest {
            specialty_code: specialty_code.to_owned(),
            level: level.as_str().to_owned(),
            intake_year,
        };
        let r = self.client.clone().compare_specialty(request(msg, ctx)).await;
        comparison_from(r.map_err(error_from)?.into_inner())
    }

    async fn recheck_all(&self, ctx: &CallCtx) -> ApiResult<RecheckReport> {
        let r = self.client.clone().recheck_all(request(pb::Empty {}, ctx)).await.map_err(error_from)?.into_inner();
        Ok(RecheckReport {
            curricula: r.curricula,
            changed: r.changed,
            with_errors: r.with_errors,
            elapsed_ms: r.elapsed_ms,
        })
    }

    async fn delegation_set(
        &self,
        ctx: &CallCtx,
        institution_id: &str,
        delegated: bool,
        note: &str,
    ) -> ApiResult<Delegation> {
        let msg =
            pb::SetDelegationRequest { institution_id: institution_id.to_owned(), delegated, note: note.to_owned() };
        let r = self.client.clone().set_delegation(request(msg, ctx)).await;
        Ok(delegation_from(r.map_err(error_from)?.into_inner()))
    }

    async fn delegations(&self, ctx: &CallCtx) -> ApiResult<Vec<Delegation>> {
        let r = self.client.clone().list_delegations(request(pb::Empty {}, ctx)).await;
        Ok(r.map_err(error_from)?.into_inner().delegations.into_iter().map(delegation_from).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::compliance::tests::{good_lines, standard};

    fn summary() -> CurriculumSummary {
        CurriculumSummary {
            id: "c1".into(),
            programme_id: "p1".into(),
            institution_id: "i1".into(),
            specialty_code: "530500".into(),
            level: Level::Bachelor,
            intake_year: 2026,
            version: 2,
            status: Status::Approved,
            standard_id: Some("std-1".into()),
            errors: 0,
            warnings: 1,
            total_tenths: 600,
            lines: 11,
            revision: 7,
            updated_at_ms: 5,
            updated_by: "a".into(),
            submitted_at_ms: Some(3),
            submitted_by: "r".into(),
            decided_at_ms: Some(4),
            decided_by: "m".into(),
            decision_note: String::new(),
            content_sha256: "ab".into(),
            superseded_by: None,
            institution_name: Localized::new("К", "К", "K"),
            institution_code: "knu".into(),
            specialty_name: Localized::new("Ю", "Ю", "Law"),
            form: "full_time".into(),
            language: "ky".into(),
        }
    }

    #[test]
    fn details_and_requirements_survive_the_wire() {
        let lines = good_lines();
        let s = standard();
        let c = check(Some(&s), &crate::domain::compliance::tests::national(), &lines, 9);
        let d = CurriculumDetail { summary: summary(), lines: lines.clone(), compliance: c, standard: Some(s.clone()) };
        assert_eq!(detail_from(detail_pb(&d)).unwrap(), d);
        let mut bare = d.clone();
        bare.standard = None;
        bare.summary.submitted_at_ms = None;
        bare.summary.standard_id = None;
        assert_eq!(detail_from(detail_pb(&bare)).unwrap(), bare);
        let req = Requirements {
            curriculum_id: "c1".into(),
            version: 2,
            programme_id: "p1".into(),
            institution_id: "i1".into(),
            specialty_code: "530500".into(),
            level: Level::Bachelor,
            intake_year: 2026,
            standard_id: s.id.clone(),
            standard_document_no: s.document_no.clone(),
            total_tenths: 600,
            hours_per_credit: 30,
            semesters: 2,
            approved_at_ms: 4,
            approved_by: "m".into(),
            content_sha256: content_sha256(&lines),
            lines: lines
                .iter()
                .map(|l| RequiredLine { line: l.clone(), block_kind: BlockKind::Professional, mandatory: false })
                .collect(),
            blocks: s.blocks.clone(),
            status: Status::Superseded,
            superseded_by: Some("c2".into()),
        };
        assert_eq!(requirements_from(requirements_pb(&req)).unwrap(), req);
        let input: Vec<LineInput> = lines.iter().map(LineInput::from).collect();
        let back: Vec<LineInput> = input.iter().map(line_input_pb).map(line_input_from).collect();
        assert_eq!(back, input);
    }

    #[test]
    fn views_survive_the_wire() {
        let o = ComplianceOverview {
            curricula: 3,
            approved: 1,
            submitted: 1,
            drafts: 1,
            with_errors: 1,
            with_warnings: 1,
            programmes: 4,
            programmes_without_approved: 3,
            institutions: vec![InstitutionCompliance {
                institution_id: "i1".into(),
                curricula: 3,
                ..Default::default()
            }],
            rules: vec![("total_credits".into(), 1)],
            failing: vec![summary()],
            intake_year: 2026,
            last_recheck_ms: Some(8),
        };
        assert_eq!(overview_from(overview_pb(&o)).unwrap(), o);
        let c = SpecialtyComparison {
            specialty_code: "530500".into(),
            level: Level::Bachelor,
            intake_year: 2026,
            blocks: standard().blocks,
            curricula: vec![ComparedCurriculum { summary: summary(), blocks: block_figures(&good_lines()) }],
            standard_id: Some("std-1".into()),
        };
        assert_eq!(comparison_from(comparison_pb(&c)).unwrap(), c);
        let n = NationalCourse {
            code: "GE-X".into(),
            name: Localized::new("a", "b", "c"),
            recommended_tenths: None,
            mandatory: false,
            note: "n".into(),
            version: 2,
        };
        assert_eq!(national_from(national_pb(&n)), n);
        assert_eq!(standard_from(standard_pb(&standard())).unwrap(), standard());
    }
}

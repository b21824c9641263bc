//! gRPC adapters of diploma: the tonic server over any [`DiplomaApi`], and the client that
//! implements [`DiplomaApi`] over the network. Conversions only.

use std::sync::Arc;

use async_trait::async_trait;
use edu24_proto::common::v1::LocalizedText;
use edu24_proto::diploma::v1 as pb;
use edu24_proto::diploma::v1::diploma_client::DiplomaClient as PbClient;
use edu24_proto::diploma::v1::diploma_server::{Diploma as DiplomaRpc, DiplomaServer};
use edu24_records::domain::PersonName;
use edu24_shared::auth::CallCtx;
use edu24_shared::error::{ApiError, ApiResult};
use edu24_shared::grpc::{ctx_from, error_from, request, status_from};
use edu24_shared::names::Localized;
use tonic::transport::Channel;
use tonic::{Request, Response};

use crate::DiplomaApi;
use crate::domain::*;

/// PDFs with their supplements travel whole.
const MAX_MESSAGE_BYTES: usize = 32 << 20;

fn bad(field: &str) -> ApiError {
    ApiError::invalid(field, format!("{field} has an unknown value"))
}

/// A code of one of the domain's code enums, or the field it came in refused.
fn code<T>(s: &str, field: &str, parse: fn(&str) -> Option<T>) -> ApiResult<T> {
    parse(s).ok_or_else(|| bad(field))
}

fn text(l: &Localized) -> Option<LocalizedText> {
    Some(LocalizedText { ky: l.ky.clone(), ru: l.ru.clone(), en: l.en.clone() })
}

fn loc(t: Option<LocalizedText>) -> Localized {
    t.map(|t| Localized { ky: t.ky, ru: t.ru, en: t.en }).unwrap_or_default()
}

fn name_pb(n: &PersonName) -> Option<pb::PersonName> {
    Some(pb::PersonName { family: n.family.clone(), given: n.given.clone(), patronymic: n.patronymic.clone() })
}

fn name_from(n: Option<pb::PersonName>) -> PersonName {
    n.map(|n| PersonName { family: n.family, given: n.given, patronymic: n.patronymic }).unwrap_or_default()
}

// ----- blank forms

fn receipt_input_pb(r: &ReceiptInput) -> pb::ReceiptInput {
    pb::ReceiptInput {
        institution_id: r.institution_id.clone(),
        kind: r.kind.clone(),
        series: r.series.clone(),
        first_no: r.first_no,
        last_no: r.last_no,
        document_no: r.document_no.clone(),
        received_on: r.received_on.clone(),
    }
}

fn receipt_input_from(r: pb::ReceiptInput) -> ReceiptInput {
    ReceiptInput {
        institution_id: r.institution_id,
        kind: r.kind,
        series: r.series,
        first_no: r.first_no,
        last_no: r.last_no,
        document_no: r.document_no,
        received_on: r.received_on,
    }
}

fn receipt_pb(r: &Receipt) -> pb::Receipt {
    pb::Receipt {
        id: r.id.clone(),
        institution_id: r.institution_id.clone(),
        kind: r.kind.as_str().into(),
        series: r.series.clone(),
        first_no: r.first_no,
        last_no: r.last_no,
        document_no: r.document_no.clone(),
        received_on: r.received_on.clone(),
        recorded_at_ms: r.recorded_at_ms,
        recorded_by: r.recorded_by.clone(),
    }
}

fn receipt_from(r: pb::Receipt) -> ApiResult<Receipt> {
    Ok(Receipt {
        kind: code(&r.kind, "kind", BlankKind::parse)?,
        id: r.id,
        institution_id: r.institution_id,
        series: r.series,
        first_no: r.first_no,
        last_no: r.last_no,
        document_no: r.document_no,
        received_on: r.received_on,
        recorded_at_ms: r.recorded_at_ms,
        recorded_by: r.recorded_by,
    })
}

fn form_move_pb(m: &FormMoveInput) -> pb::FormMoveInput {
    pb::FormMoveInput {
        institution_id: m.institution_id.clone(),
        series: m.series.clone(),
        first_no: m.first_no,
        last_no: m.last_no,
        action: m.action.clone(),
        reason: m.reason.clone(),
    }
}

fn form_move_from(m: pb::FormMoveInput) -> FormMoveInput {
    FormMoveInput {
        institution_id: m.institution_id,
        series: m.series,
        first_no: m.first_no,
        last_no: m.last_no,
        action: m.action,
        reason: m.reason,
    }
}

fn ledger_pb(l: &Ledger) -> pb::Ledger {
    pb::Ledger {
        institution_id: l.institution_id.clone(),
        kind: l.kind.clone(),
        received: l.received,
        in_stock: l.in_stock,
        used: l.used,
        spoiled: l.spoiled,
        returned: l.returned,
    }
}

fn ledger_from(l: pb::Ledger) -> Ledger {
    Ledger {
        institution_id: l.institution_id,
        kind: l.kind,
        received: l.received,
        in_stock: l.in_stock,
        used: l.used,
        spoiled: l.spoiled,
        returned: l.returned,
    }
}

fn form_query_pb(q: &FormQuery) -> pb::FormQuery {
    pb::FormQuery {
        institution_id: q.institution_id.clone(),
        state: q.state.clone(),
        series: q.series.clone(),
        page: q.page,
        per_page: q.per_page,
    }
}

fn form_query_from(q: pb::FormQuery) -> FormQuery {
    FormQuery { institution_id: q.institution_id, state: q.state, series: q.series, page: q.page, per_page: q.per_page }
}

fn form_pb(f: &Form) -> pb::Form {
    pb::Form {
        series: f.series.clone(),
        number: f.number,
        kind: f.kind.as_str().into(),
        state: f.state.as_str().into(),
        diploma_id: f.diploma_id.clone(),
        reason: f.reason.clone(),
        changed_at_ms: f.changed_at_ms,
    }
}

fn form_from(f: pb::Form) -> ApiResult<Form> {
    Ok(Form {
        kind: code(&f.kind, "kind", BlankKind::parse)?,
        state: code(&f.state, "state", FormState::parse)?,
        series: f.series,
        number: f.number,
        diploma_id: f.diploma_id,
        reason: f.reason,
        changed_at_ms: f.changed_at_ms,
    })
}

// ----- honours and eligibility

fn rule_pb(r: &HonoursRule) -> pb::HonoursRule {
    pb::HonoursRule {
        min_excellent_percent: r.min_excellent_percent,
        allow_satisfactory: r.allow_satisfactory,
        attestation_excellent: r.attestation_excellent,
    }
}

fn rule_from(r: pb::HonoursRule) -> HonoursRule {
    HonoursRule {
        min_excellent_percent: r.min_excellent_percent,
        allow_satisfactory: r.allow_satisfactory,
        attestation_excellent: r.attestation_excellent,
    }
}

fn group_query_pb(q: &GroupQuery) -> pb::GroupQuery {
    pb::GroupQuery {
        institution_id: q.institution_id.clone(),
        programme_id: q.programme_id.clone(),
        study_group: q.study_group.clone(),
    }
}

fn group_query_from(q: pb::GroupQuery) -> GroupQuery {
    GroupQuery { institution_id: q.institution_id, programme_id: q.programme_id, study_group: q.study_group }
}

fn blocker_pb(b: &Blocker) -> pb::Blocker {
    pb::Blocker {
        code: b.code.clone(),
        line_code: b.line_code.clone(),
        semester: b.semester,
        course: text(&b.course),
        have: b.have,
        need: b.need,
    }
}

fn blocker_from(b: pb::Blocker) -> Blocker {
    Blocker {
        code: b.code,
        line_code: b.line_code,
        semester: b.semester,
        course: loc(b.course),
        have: b.have,
        need: b.need,
    }
}

fn assessed_pb(a: &Assessed) -> pb::Assessed {
    pb::Assessed {
        blockers: a.blockers.iter().map(blocker_pb).collect(),
        honours: a.honours,
        graded: a.graded,
        excellent: a.excellent,
        satisfactory_or_lower: a.satisfactory_or_lower,
        credits_earned_tenths: a.credits_earned_tenths,
        credits_required_tenths: a.credits_required_tenths,
    }
}

fn assessed_from(a: pb::Assessed) -> Assessed {
    Assessed {
        blockers: a.blockers.into_iter().map(blocker_from).collect(),
        honours: a.honours,
        graded: a.graded,
        excellent: a.excellent,
        satisfactory_or_lower: a.satisfactory_or_lower,
        credits_earned_tenths: a.credits_earned_tenths,
        credits_required_tenths: a.credits_required_tenths,
    }
}

fn row_pb(r: &EligibilityRow) -> pb::EligibilityRow {
    pb::EligibilityRow {
        enrolment_id: r.enrolment_id.clone(),
        person_id: r.person_id.clone(),
        name: name_pb(&r.name),
        student_ticket: r.student_ticket.clone(),
        eligible: r.eligible,
        assessed: Some(assessed_pb(&r.assessed)),
        gpa: r.gpa,
        diploma_number: r.diploma_number.clone(),
    }
}

fn row_from(r: pb::EligibilityRow) -> EligibilityRow {
    EligibilityRow {
        enrolment_id: r.enrolment_id,
        person_id: r.person_id,
        name: name_from(r.name),
        student_ticket: r.student_ticket,
        eligible: r.eligible,
        assessed: r.assessed.map(assessed_from).unwrap_or_default(),
        gpa: r.gpa,
        diploma_number: r.diploma_number,
    }
}

fn eligibility_pb(g: &GroupEligibility) -> pb::GroupEligibility {
    pb::GroupEligibility {
        institution_id: g.institution_id.clone(),
        programme_id: g.programme_id.clone(),
        study_group: g.study_group.clone(),
        level: g.level.clone(),
        rule: g.rule.as_ref().map(rule_pb),
        rows: g.rows.iter().map(row_pb).collect(),
    }
}

fn eligibility_from(g: pb::GroupEligibility) -> GroupEligibility {
    GroupEligibility {
        institution_id: g.institution_id,
        programme_id: g.programme_id,
        study_group: g.study_group,
        level: g.level,
        rule: g.rule.map(rule_from),
        rows: g.rows.into_iter().map(row_from).collect(),
    }
}

// ----- issuance and the register

fn issue_input_pb(i: &IssueInput) -> pb::IssueInput {
    pb::IssueInput {
        institution_id: i.institution_id.clone(),
        programme_id: i.programme_id.clone(),
        study_group: i.study_group.clone(),
        enrolment_ids: i.enrolment_ids.clone(),
        order_no: i.order_no.clone(),
        order_signed_on: i.order_signed_on.clone(),
        signatory: i.signatory.clone(),
        issued_on: i.issued_on.clone(),
        series: i.series.clone(),
        request_id: i.request_id.clone(),
    }
}

fn issue_input_from(i: pb::IssueInput) -> IssueInput {
    IssueInput {
        institution_id: i.institution_id,
        programme_id: i.programme_id,
        study_group: i.study_group,
        enrolment_ids: i.enrolment_ids,
        order_no: i.order_no,
        order_signed_on: i.order_signed_on,
        signatory: i.signatory,
        issued_on: i.issued_on,
        series: i.series,
        request_id: i.request_id,
    }
}

fn report_pb(r: &IssuanceReport) -> pb::IssuanceReport {
    pb::IssuanceReport {
        issuance_id: r.issuance_id.clone(),
        state: r.state.clone(),
        diplomas: r.diplomas.iter().map(summary_pb).collect(),
    }
}

fn report_from(r: pb::IssuanceReport) -> ApiResult<IssuanceReport> {
    Ok(IssuanceReport {
        issuance_id: r.issuance_id,
        state: r.state,
        diplomas: r.diplomas.into_iter().map(summary_from).collect::<ApiResult<_>>()?,
    })
}

fn diploma_query_pb(q: &DiplomaQuery) -> pb::DiplomaQuery {
    pb::DiplomaQuery {
        institution_id: q.institution_id.clone(),
        state: q.state.clone(),
        q: q.q.clone(),
        flagged: q.flagged,
        page: q.page,
        per_page: q.per_page,
    }
}

fn diploma_query_from(q: pb::DiplomaQuery) -> DiplomaQuery {
    DiplomaQuery {
        institution_id: q.institution_id,
        state: q.state,
        q: q.q,
        flagged: q.flagged,
        page: q.page,
        per_page: q.per_page,
    }
}

fn summary_pb(s: &DiplomaSummary) -> pb::DiplomaSummary {
    pb::DiplomaSummary {
        id: s.id.clone(),
        number: s.number.clone(),
        institution_id: s.institution_id.clone(),
        enrolment_id: s.enrolment_id.clone(),
        holder: name_pb(&s.holder),
        qualification: text(&s.qualification),
        honours: s.honours,
        issued_on: s.issued_on.clone(),
        form_series: s.form_series.clone(),
        form_number: s.form_number,
        state: s.state.as_str().into(),
        duplicate_of: s.duplicate_of.clone(),
        open_flags: s.open_flags,
    }
}

fn summary_from(s: pb::DiplomaSummary) -> ApiResult<DiplomaSummary> {
    Ok(DiplomaSummary {
        state: code(&s.state, "state", DiplomaState::parse)?,
        id: s.id,
        number: s.number,
        institution_id: s.institution_id,
        enrolment_id: s.enrolment_id,
        holder: name_from(s.holder),
        qualification: loc(s.qualification),
        honours: s.honours,
        issued_on: s.issued_on,
        form_series: s.form_series,
        form_number: s.form_number,
        duplicate_of: s.duplicate_of,
        open_flags: s.open_flags,
    })
}

fn summaries_from(v: Vec<pb::DiplomaSummary>) -> ApiResult<Vec<DiplomaSummary>> {
    v.into_iter().map(summary_from).collect()
}

fn line_pb(l: &SupplementLine) -> pb::SupplementLine {
    pb::SupplementLine {
        semester: l.semester,
        code: l.code.clone(),
        course: text(&l.course),
        credits_tenths: l.credits_tenths,
        assessment: l.assessment.clone(),
        score: l.score,
        letter: l.letter.clone(),
        five: l.five,
        passed: l.passed,
    }
}

fn line_from(l: pb::SupplementLine) -> SupplementLine {
    SupplementLine {
        semester: l.semester,
        code: l.code,
        course: loc(l.course),
        credits_tenths: l.credits_tenths,
        assessment: l.assessment,
        score: l.score,
        letter: l.letter,
        five: l.five,
        passed: l.passed,
    }
}

fn content_pb(c: &Content) -> pb::Content {
    pb::Content {
        number: c.number.clone(),
        holder: name_pb(&c.holder),
        holder_latin: name_pb(&c.holder_latin),
        birth_date: c.birth_date.clone(),
        institution_code: c.institution_code.clone(),
        institution: text(&c.institution),
        programme_id: c.programme_id.clone(),
        specialty_code: c.specialty_code.clone(),
        specialty: text(&c.specialty),
        level: c.level.clone(),
        qualification: text(&c.qualification),
        form_of_study: c.form_of_study.clone(),
        intake_year: c.intake_year,
        honours: c.honours,
        issued_on: c.issued_on.clone(),
        form_series: c.form_series.clone(),
        form_number: c.form_number,
        order_no: c.order_no.clone(),
        order_signed_on: c.order_signed_on.clone(),
        signatory: c.signatory.clone(),
        gpa: c.gpa,
        credits_tenths: c.credits_tenths,
        lines: c.lines.iter().map(line_pb).collect(),
        duplicate_of: c.duplicate_of.clone(),
    }
}

fn content_from(c: pb::Content) -> Content {
    Content {
        number: c.number,
        holder: name_from(c.holder),
        holder_latin: name_from(c.holder_latin),
        birth_date: c.birth_date,
        institution_code: c.institution_code,
        institution: loc(c.institution),
        programme_id: c.programme_id,
        specialty_code: c.specialty_code,
        specialty: loc(c.specialty),
        level: c.level,
        qualification: loc(c.qualification),
        form_of_study: c.form_of_study,
        intake_year: c.intake_year,
        honours: c.honours,
        issued_on: c.issued_on,
        form_series: c.form_series,
        form_number: c.form_number,
        order_no: c.order_no,
        order_signed_on: c.order_signed_on,
        signatory: c.signatory,
        gpa: c.gpa,
        credits_tenths: c.credits_tenths,
        lines: c.lines.into_iter().map(line_from).collect(),
        duplicate_of: c.duplicate_of,
    }
}

fn flag_pb(f: &Flag) -> pb::Flag {
    pb::Flag {
        id: f.id.clone(),
        diploma_id: f.diploma_id.clone(),
        diploma_number: f.diploma_number.clone(),
        kind: f.kind.clone(),
        detail: f.detail.clone(),
        raised_at_ms: f.raised_at_ms,
        closed_at_ms: f.closed_at_ms,
        note: f.note.clone(),
    }
}

fn flag_from(f: pb::Flag) -> Flag {
    Flag {
        id: f.id,
        diploma_id: f.diploma_id,
        diploma_number: f.diploma_number,
        kind: f.kind,
        detail: f.detail,
        raised_at_ms: f.raised_at_ms,
        closed_at_ms: f.closed_at_ms,
        note: f.note,
    }
}

fn diploma_pb(d: &Diploma) -> pb::DiplomaRecord {
    pb::DiplomaRecord {
        summary: Some(summary_pb(&d.summary)),
        content: Some(content_pb(&d.content)),
        content_sha256: d.content_sha256.clone(),
        person_id: d.person_id.clone(),
        token: d.token.clone(),
        state_on: d.state_on.clone(),
        state_reason: d.state_reason.clone(),
        flags: d.flags.iter().map(flag_pb).collect(),
    }
}

/// A diploma in full; an answer without its summary or content is broken.
fn diploma_from(d: pb::DiplomaRecord) -> ApiResult<Diploma> {
    Ok(Diploma {
        summary: summary_from(d.summary.ok_or_else(ApiError::internal)?)?,
        content: content_from(d.content.ok_or_else(ApiError::internal)?),
        content_sha256: d.content_sha256,
        person_id: d.person_id,
        token: d.token,
        state_on: d.state_on,
        state_reason: d.state_reason,
        flags: d.flags.into_iter().map(flag_from).collect(),
    })
}

fn status_input_pb(s: &StatusInput) -> pb::StatusInput {
    pb::StatusInput {
        diploma_id: s.diploma_id.clone(),
        state: s.state.clone(),
        reason: s.reason.clone(),
        effective_on: s.effective_on.clone(),
    }
}

fn status_input_from(s: pb::StatusInput) -> StatusInput {
    StatusInput { diploma_id: s.diploma_id, state: s.state, reason: s.reason, effective_on: s.effective_on }
}

fn duplicate_input_pb(d: &DuplicateInput) -> pb::DuplicateInput {
    pb::DuplicateInput {
        diploma_id: d.diploma_id.clone(),
        reason: d.reason.clone(),
        series: d.series.clone(),
        issued_on: d.issued_on.clone(),
        request_id: d.request_id.clone(),
    }
}

fn duplicate_input_from(d: pb::DuplicateInput) -> DuplicateInput {
    DuplicateInput {
        diploma_id: d.diploma_id,
        reason: d.reason,
        series: d.series,
        issued_on: d.issued_on,
        request_id: d.request_id,
    }
}

// ----- verification

fn verify_query_pb(q: &VerifyQuery) -> pb::VerifyQuery {
    pb::VerifyQuery { token: q.token.clone(), number: q.number.clone(), family_name: q.family_name.clone() }
}

fn verify_query_from(q: pb::VerifyQuery) -> VerifyQuery {
    VerifyQuery { token: q.token, number: q.number, family_name: q.family_name }
}

fn check_pb(c: &PublicCheck) -> pb::PublicCheck {
    pb::PublicCheck {
        outcome: c.outcome.as_str().into(),
        number: c.number.clone(),
        holder: c.holder.as_ref().and_then(name_pb),
        qualification: c.qualification.as_ref().and_then(text),
        institution: c.institution.as_ref().and_then(text),
        issued_on: c.issued_on.clone(),
        honours: c.honours,
        state_on: c.state_on.clone(),
        state_reason: c.state_reason.clone(),
        duplicate: c.duplicate,
    }
}

fn check_from(c: pb::PublicCheck) -> ApiResult<PublicCheck> {
    Ok(PublicCheck {
        outcome: code(&c.outcome, "outcome", CheckOutcome::parse)?,
        number: c.number,
        holder: c.holder.map(|n| name_from(Some(n))),
        qualification: c.qualification.map(|t| loc(Some(t))),
        institution: c.institution.map(|t| loc(Some(t))),
        issued_on: c.issued_on,
        honours: c.honours,
        state_on: c.state_on,
        state_reason: c.state_reason,
        duplicate: c.duplicate,
    })
}

fn credential_check_pb(c: &CredentialCheck) -> pb::CredentialCheck {
    pb::CredentialCheck {
        valid: c.valid,
        errors: c.errors.clone(),
        issuer: c.issuer.clone(),
        number: c.number.clone(),
        state: c.state.map(|s| s.as_str().to_owned()),
    }
}

fn credential_check_from(c: pb::CredentialCheck) -> ApiResult<CredentialCheck> {
    Ok(CredentialCheck {
        state: c.state.map(|s| code(&s, "state", DiplomaState::parse)).transpose()?,
        valid: c.valid,
        errors: c.errors,
        issuer: c.issuer,
        number: c.number,
    })
}

fn share_pb(s: &ShareLink) -> pb::ShareLink {
    pb::ShareLink { token: s.token.clone(), expires_at_ms: s.expires_at_ms }
}

fn share_from(s: pb::ShareLink) -> ShareLink {
    ShareLink { token: s.token, expires_at_ms: s.expires_at_ms }
}

fn verification_pb(v: &Verification) -> pb::Verification {
    pb::Verification { at_ms: v.at_ms, method: v.method.clone(), outcome: v.outcome.clone() }
}

fn verification_from(v: pb::Verification) -> Verification {
    Verification { at_ms: v.at_ms, method: v.method, outcome: v.outcome }
}

fn issuer_pb(i: &Issuer) -> pb::Issuer {
    pb::Issuer {
        institution_id: i.institution_id.clone(),
        institution_code: i.institution_code.clone(),
        did: i.did.clone(),
        public_key_multibase: i.public_key_multibase.clone(),
    }
}

fn issuer_from(i: pb::Issuer) -> Issuer {
    Issuer {
        institution_id: i.institution_id,
        institution_code: i.institution_code,
        did: i.did,
        public_key_multibase: i.public_key_multibase,
    }
}

// ----- the server

pub struct DiplomaGrpc {
    inner: Arc<dyn DiplomaApi>,
}

impl DiplomaGrpc {
    pub fn server(inner: Arc<dyn DiplomaApi>) -> DiplomaServer<Self> {
        DiplomaServer::new(Self { inner })
            .max_decoding_message_size(MAX_MESSAGE_BYTES)
            .max_encoding_message_size(MAX_MESSAGE_BYTES)
    }
}

type Answer<T> = Result<Response<T>, tonic::Status>;

fn answer<T, U>(r: ApiResult<T>, f: impl FnOnce(T) -> U) -> Answer<U> {
    r.map(|v| Response::new(f(v))).map_err(status_from)
}

#[async_trait]
impl DiplomaRpc for DiplomaGrpc {
    async fn add_receipt(&self, req: Request<pb::ReceiptInput>) -> Answer<pb::Receipt> {
        let ctx = ctx_from(&req);
        answer(self.inner.receipt_add(&ctx, receipt_input_from(req.into_inner())).await, |r| receipt_pb(&r))
    }

    async fn move_forms(&self, req: Request<pb::FormMoveInput>) -> Answer<pb::MoveFormsResult> {
        let ctx = ctx_from(&req);
        answer(self.inner.forms_move(&ctx, form_move_from(req.into_inner())).await, |moved| pb::MoveFormsResult {
            moved,
        })
    }

    async fn get_ledger(&self, req: Request<pb::GetLedgerRequest>) -> Answer<pb::LedgerList> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        answer(self.inner.ledger(&ctx, r.institution_id.as_deref()).await, |v| pb::LedgerList {
            ledgers: v.iter().map(ledger_pb).collect(),
        })
    }

    async fn list_forms(&self, req: Request<pb::FormQuery>) -> Answer<pb::FormPage> {
        let ctx = ctx_from(&req);
        let q = form_query_from(req.into_inner());
        answer(self.inner.forms(&ctx, &q).await, |p| pb::FormPage {
            items: p.items.iter().map(form_pb).collect(),
            total: p.total,
        })
    }

    async fn list_receipts(&self, req: Request<pb::ListReceiptsRequest>) -> Answer<pb::ReceiptList> {
        let ctx = ctx_from(&req);
        answer(self.inner.receipts(&ctx, &req.into_inner().institution_id).await, |v| pb::ReceiptList {
            receipts: v.iter().map(receipt_pb).collect(),
        })
    }

    async fn get_honours_rule(&self, req: Request<pb::GetHonoursRuleRequest>) -> Answer<pb::HonoursRule> {
        let ctx = ctx_from(&req);
        answer(self.inner.honours_rule(&ctx, &req.into_inner().institution_id).await, |r| rule_pb(&r))
    }

    async fn set_honours_rule(&self, req: Request<pb::SetHonoursRuleRequest>) -> Answer<pb::HonoursRule> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        let rule = r.rule.map(rule_from).ok_or_else(|| status_from(ApiError::invalid("rule", "give the rule")))?;
        answer(self.inner.honours_rule_set(&ctx, &r.institution_id, rule).await, |r| rule_pb(&r))
    }

    async fn get_eligibility(&self, req: Request<pb::GroupQuery>) -> Answer<pb::GroupEligibility> {
        let ctx = ctx_from(&req);
        let q = group_query_from(req.into_inner());
        answer(self.inner.eligibility(&ctx, &q).await, |g| eligibility_pb(&g))
    }

    async fn issue(&self, req: Request<pb::IssueInput>) -> Answer<pb::IssuanceReport> {
        let ctx = ctx_from(&req);
        answer(self.inner.issue(&ctx, issue_input_from(req.into_inner())).await, |r| report_pb(&r))
    }

    async fn resume_issuance(&self, req: Request<pb::ResumeIssuanceRequest>) -> Answer<pb::IssuanceReport> {
        let ctx = ctx_from(&req);
        answer(self.inner.issuance_resume(&ctx, &req.into_inner().issuance_id).await, |r| report_pb(&r))
    }

    async fn list_diplomas(&self, req: Request<pb::DiplomaQuery>) -> Answer<pb::DiplomaPage> {
        let ctx = ctx_from(&req);
        let q = diploma_query_from(req.into_inner());
        answer(self.inner.diplomas(&ctx, &q).await, |p| pb::DiplomaPage {
            items: p.items.iter().map(summary_pb).collect(),
            total: p.total,
        })
    }

    async fn get_diploma(&self, req: Request<pb::GetDiplomaRequest>) -> Answer<pb::DiplomaRecord> {
        let ctx = ctx_from(&req);
        answer(self.inner.diploma_get(&ctx, &req.into_inner().id).await, |d| diploma_pb(&d))
    }

    async fn get_diploma_file(&self, req: Request<pb::GetDiplomaFileRequest>) -> Answer<pb::DiplomaFileContent> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        let file = code(&r.file, "file", DiplomaFile::parse).map_err(status_from)?;
        answer(self.inner.diploma_file(&ctx, &r.id, file).await, |data| pb::DiplomaFileContent { data })
    }

    async fn list_my_diplomas(&self, req: Request<pb::Empty>) -> Answer<pb::DiplomaSummaryList> {
        let ctx = ctx_from(&req);
        answer(self.inner.my_diplomas(&ctx).await, |v| pb::DiplomaSummaryList {
            diplomas: v.iter().map(summary_pb).collect(),
        })
    }

    async fn change_status(&self, req: Request<pb::StatusInput>) -> Answer<pb::DiplomaRecord> {
        let ctx = ctx_from(&req);
        answer(self.inner.status_change(&ctx, status_input_from(req.into_inner())).await, |d| diploma_pb(&d))
    }

    async fn issue_duplicate(&self, req: Request<pb::DuplicateInput>) -> Answer<pb::DiplomaRecord> {
        let ctx = ctx_from(&req);
        answer(self.inner.duplicate_issue(&ctx, duplicate_input_from(req.into_inner())).await, |d| diploma_pb(&d))
    }

    async fn list_flags(&self, req: Request<pb::ListFlagsRequest>) -> Answer<pb::FlagList> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        answer(self.inner.flags(&ctx, r.institution_id.as_deref()).await, |v| pb::FlagList {
            flags: v.iter().map(flag_pb).collect(),
        })
    }

    async fn close_flag(&self, req: Request<pb::CloseFlagRequest>) -> Answer<pb::Empty> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        answer(self.inner.flag_close(&ctx, &r.flag_id, &r.note).await, |()| pb::Empty {})
    }

    async fn verify(&self, req: Request<pb::VerifyQuery>) -> Answer<pb::PublicCheck> {
        let ctx = ctx_from(&req);
        let q = verify_query_from(req.into_inner());
        answer(self.inner.verify(&ctx, &q).await, |c| check_pb(&c))
    }

    async fn verify_credential(&self, req: Request<pb::VerifyCredentialRequest>) -> Answer<pb::CredentialCheck> {
        let ctx = ctx_from(&req);
        answer(self.inner.verify_credential(&ctx, &req.into_inner().json).await, |c| credential_check_pb(&c))
    }

    async fn create_share(&self, req: Request<pb::CreateShareRequest>) -> Answer<pb::ShareLink> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        answer(self.inner.share_create(&ctx, &r.diploma_id, r.days).await, |s| share_pb(&s))
    }

    async fn open_share(&self, req: Request<pb::OpenShareRequest>) -> Answer<pb::DiplomaRecord> {
        let ctx = ctx_from(&req);
        answer(self.inner.share_open(&ctx, &req.into_inner().token).await, |d| diploma_pb(&d))
    }

    async fn list_verifications(&self, req: Request<pb::ListVerificationsRequest>) -> Answer<pb::VerificationList> {
        let ctx = ctx_from(&req);
        answer(self.inner.verifications(&ctx, &req.into_inner().diploma_id).await, |v| pb::VerificationList {
            verifications: v.iter().map(verification_pb).collect(),
        })
    }

    async fn get_status_list(&self, req: Request<pb::GetStatusListRequest>) -> Answer<pb::StatusListCredential> {
        let ctx = ctx_from(&req);
        answer(self.inner.status_list(&ctx, &req.into_inner().institution_code).await, |json| {
            pb::StatusListCredential { json }
        })
    }

    async fn get_issuer(&self, req: Request<pb::GetIssuerRequest>) -> Answer<pb::Issuer> {
        let ctx = ctx_from(&req);
        answer(self.inner.issuer(&ctx, &req.into_inner().institution_code).await, |i| issuer_pb(&i))
    }
}

// ----- the client

/// [`DiplomaApi`] over gRPC.
#[derive(Clone)]
pub struct DiplomaClient {
    client: PbClient<Channel>,
}

impl DiplomaClient {
    pub fn new(channel: Channel) -> Self {
        Self {
            client: PbClient::new(channel)
                .max_decoding_message_size(MAX_MESSAGE_BYTES)
                .max_encoding_message_size(MAX_MESSAGE_BYTES),
        }
    }

    fn c(&self) -> PbClient<Channel> {
        self.client.clone()
    }
}

#[async_trait]
impl DiplomaApi for DiplomaClient {
    async fn receipt_add(&self, ctx: &CallCtx, input: ReceiptInput) -> ApiResult<Receipt> {
        let r = self.c().add_receipt(request(receipt_input_pb(&input), ctx)).await.map_err(error_from)?;
        receipt_from(r.into_inner())
    }

    async fn forms_move(&self, ctx: &CallCtx, input: FormMoveInput) -> ApiResult<i64> {
        let r = self.c().move_forms(request(form_move_pb(&input), ctx)).await.map_err(error_from)?;
        Ok(r.into_inner().moved)
    }

    async fn ledger(&self, ctx: &CallCtx, institution_id: Option<&str>) -> ApiResult<Vec<Ledger>> {
        let msg = pb::GetLedgerRequest { institution_id: institution_id.map(str::to_owned) };
        let r = self.c().get_ledger(request(msg, ctx)).await.map_err(error_from)?;
        Ok(r.into_inner().ledgers.into_iter().map(ledger_from).collect())
    }

    async fn forms(&self, ctx: &CallCtx, query: &FormQuery) -> ApiResult<Page<Form>> {
        let r = self.c().list_forms(request(form_query_pb(query), ctx)).await.map_err(error_from)?.into_inner();
        Ok(Page { items: r.items.into_iter().map(form_from).collect::<ApiResult<_>>()?, total: r.total })
    }

    async fn receipts(&self, ctx: &CallCtx, institution_id: &str) -> ApiResult<Vec<Receipt>> {
        let msg = pb::ListReceiptsRequest { institution_id: institution_id.to_owned() };
        let r = self.c().list_receipts(request(msg, ctx)).await.map_err(error_from)?;
        r.into_inner().receipts.into_iter().map(receipt_from).collect()
    }

    async fn honours_rule(&self, ctx: &CallCtx, institution_id: &str) -> ApiResult<HonoursRule> {
        let msg = pb::GetHonoursRuleRequest { institution_id: institution_id.to_owned() };
        let r = self.c().get_honours_rule(request(msg, ctx)).await.map_err(error_from)?;
        Ok(rule_from(r.into_inner()))
    }

    async fn honours_rule_set(&self, ctx: &CallCtx, institution_id: &str, rule: HonoursRule) -> ApiResult<HonoursRule> {
        let msg = pb::SetHonoursRuleRequest { institution_id: institution_id.to_owned(), rule: Some(rule_pb(&rule)) };
        let r = self.c().set_honours_rule(request(msg, ctx)).await.map_err(error_from)?;
        Ok(rule_from(r.into_inner()))
    }

    async fn eligibility(&self, ctx: &CallCtx, query: &GroupQuery) -> ApiResult<GroupEligibility> {
        let r = self.c().get_eligibility(request(group_query_pb(query), ctx)).await.map_err(error_from)?;
        Ok(eligibility_from(r.into_inner()))
    }

    async fn issue(&self, ctx: &CallCtx, input: IssueInput) -> ApiResult<IssuanceReport> {
        let r = self.c().issue(request(issue_input_pb(&input), ctx)).await.map_err(error_from)?;
        report_from(r.into_inner())
    }

    async fn issuance_resume(&self, ctx: &CallCtx, issuance_id: &str) -> ApiResult<IssuanceReport> {
        let msg = pb::ResumeIssuanceRequest { issuance_id: issuance_id.to_owned() };
        let r = self.c().resume_issuance(request(msg, ctx)).await.map_err(error_from)?;
        report_from(r.into_inner())
    }

    async fn diplomas(&self, ctx: &CallCtx, query: &DiplomaQuery) -> ApiResult<Page<DiplomaSummary>> {
        let r = self.c().list_diplomas(request(diploma_query_pb(query), ctx)).await.map_err(error_from)?.into_inner();
        Ok(Page { items: summaries_from(r.items)?, total: r.total })
    }

    async fn diploma_get(&self, ctx: &CallCtx, id: &str) -> ApiResult<Diploma> {
        let msg = pb::GetDiplomaRequest { id: id.to_owned() };
        let r = self.c().get_diploma(request(msg, ctx)).await.map_err(error_from)?;
        diploma_from(r.into_inner())
    }

    async fn diploma_file(&self, ctx: &CallCtx, id: &str, file: DiplomaFile) -> ApiResult<Vec<u8>> {
        let msg = pb::GetDiplomaFileRequest { id: id.to_owned(), file: file.as_str().to_owned() };
        let r = self.c().get_diploma_file(request(msg, ctx)).await.map_err(error_from)?;
        Ok(r.into_inner().data)
    }

    async fn my_diplomas(&self, ctx: &CallCtx) -> ApiResult<Vec<DiplomaSummary>> {
        let r = self.c().list_my_diplomas(request(pb::Empty {}, ctx)).await.map_err(error_from)?;
        summaries_from(r.into_inner().diplomas)
    }

    async fn status_change(&self, ctx: &CallCtx, input: StatusInput) -> ApiResult<Diploma> {
        let r = self.c().change_status(request(status_input_pb(&input), ctx)).await.map_err(error_from)?;
        diploma_from(r.into_inner())
    }

    async fn duplicate_issue(&self, ctx: &CallCtx, input: DuplicateInput) -> ApiResult<Diploma> {
        let r = self.c().issue_duplicate(request(duplicate_input_pb(&input), ctx)).await.map_err(error_from)?;
        diploma_from(r.into_inner())
    }

    async fn flags(&self, ctx: &CallCtx, institution_id: Option<&str>) -> ApiResult<Vec<Flag>> {
        let msg = pb::ListFlagsRequest { institution_id: institution_id.map(str::to_owned) };
        let r = self.c().list_flags(request(msg, ctx)).await.map_err(error_from)?;
        Ok(r.into_inner().flags.into_iter().map(flag_from).collect())
    }

    async fn flag_close(&self, ctx: &CallCtx, flag_id: &str, note: &str) -> ApiResult<()> {
        let msg = pb::CloseFlagRequest { flag_id: flag_id.to_owned(), note: note.to_owned() };
        self.c().close_flag(request(msg, ctx)).await.map_err(error_from)?;
        Ok(())
    }

    async fn verify(&self, ctx: &CallCtx, query: &VerifyQuery) -> ApiResult<PublicCheck> {
        let r = self.c().verify(request(verify_query_pb(query), ctx)).await.map_err(error_from)?;
        check_from(r.into_inner())
    }

    async fn verify_credential(&self, ctx: &CallCtx, json: &str) -> ApiResult<CredentialCheck> {
        let msg = pb::VerifyCredentialRequest { json: json.to_owned() };
        let r = self.c().verify_credential(request(msg, ctx)).await.map_err(error_from)?;
        credential_check_from(r.into_inner())
    }

    async fn share_create(&self, ctx: &CallCtx, diploma_id: &str, days: i32) -> ApiResult<ShareLink> {
        let msg = pb::CreateShareRequest { diploma_id: diploma_id.to_owned(), days };
        let r = self.c().create_share(request(msg, ctx)).await.map_err(error_from)?;
        Ok(share_from(r.into_inner()))
    }

    async fn share_open(&self, ctx: &CallCtx, token: &str) -> ApiResult<Diploma> {
        let msg = pb::OpenShareRequest { token: token.to_owned() };
        let r = self.c().open_share(request(msg, ctx)).await.map_err(error_from)?;
        diploma_from(r.into_inner())
    }

    async fn verifications(&self, ctx: &CallCtx, diploma_id: &str) -> ApiResult<Vec<Verification>> {
        let msg = pb::ListVerificationsRequest { diploma_id: diploma_id.to_owned() };
        let r = self.c().list_verifications(request(msg, ctx)).await.map_err(error_from)?;
        Ok(r.into_inner().verifications.into_iter().map(verification_from).collect())
    }

    async fn status_list(&self, ctx: &CallCtx, institution_code: &str) -> ApiResult<String> {
        let msg = pb::GetStatusListRequest { institution_code: institution_code.to_owned() };
        let r = self.c().get_status_list(request(msg, ctx)).await.map_err(error_from)?;
        Ok(r.into_inner().json)
    }

    async fn issuer(&self, ctx: &CallCtx, institution_code: &str) -> ApiResult<Issuer> {
        let msg = pb::GetIssuerRequest { institution_code: institution_code.to_owned() };
        let r = self.c().get_issuer(request(msg, ctx)).await.map_err(error_from)?;
        Ok(issuer_from(r.into_inner()))
    }
}

#[cfg(test)]
mod tests {
    use edu24_shared::error::ErrorCode;
    use prost::Message;

    use super::*;

    /// Through the wire: encoded to bytes and decoded again.
    fn wire<M: Message + Default>(m: M) -> M {
        M::decode(m.encode_to_vec().as_slice()).expect("decodes")
    }

    fn name(family: &str) -> PersonName {
        PersonName { family: family.into(), given: "Айгуль".into(), patronymic: "Бакытовна".into() }
    }

    fn qualification() -> Localized {
        Localized::new("Экономика бакалавры", "Бакалавр экономики", "Bachelor of Economics")
    }

    fn summary(state: DiplomaState, duplicate_of: Option<&str>) -> DiplomaSummary {
        DiplomaSummary {
            id: "d-1".into(),
            number: "KNU-2026-000042".into(),
            institution_id: "knu".into(),
            enrolment_id: "e-1".into(),
            holder: name("Иванова"),
            qualification: qualification(),
            honours: true,
            issued_on: "2026-06-30".into(),
            form_series: "БД".into(),
            form_number: 1_234_567,
            state,
            duplicate_of: duplicate_of.map(str::to_owned),
            open_flags: 2,
        }
    }

    fn line(semester: i32, score: Option<i32>, passed: bool) -> SupplementLine {
        SupplementLine {
            semester,
            code: format!("B1.0{semester}"),
            course: Localized::new("Тарых", "История", ""),
            credits_tenths: 45,
            assessment: if score.is_some() { "exam".into() } else { "credit_test".into() },
            score,
            letter: if passed { "A".into() } else { "F".into() },
            five: if passed { 5 } else { 2 },
            passed,
        }
    }

    fn content(gpa: Option<i32>, duplicate_of: Option<&str>) -> Content {
        Content {
            number: "KNU-2026-000042".into(),
            holder: name("Иванова"),
            holder_latin: PersonName { family: "Ivanova".into(), given: "Aigul".into(), patronymic: String::new() },
            birth_date: "2004-05-06".into(),
            institution_code: "KNU".into(),
            institution: Localized::new("КУУ", "КНУ", "KNU"),
            programme_id: "prog-1".into(),
            specialty_code: "580100".into(),
            specialty: Localized::new("Экономика", "Экономика", "Economics"),
            level: "bachelor".into(),
            qualification: qualification(),
            form_of_study: "full_time".into(),
            intake_year: 2022,
            honours: gpa.is_some(),
            issued_on: "2026-06-30".into(),
            form_series: "БД".into(),
            form_number: 1_234_567,
            order_no: "12-к".into(),
            order_signed_on: "2026-06-28".into(),
            signatory: "Асанов А. А.".into(),
            gpa,
            credits_tenths: 2400,
            lines: if gpa.is_some() {
                vec![line(1, Some(97), true), line(2, None, true), line(8, Some(0), false)]
            } else {
                vec![]
            },
            duplicate_of: duplicate_of.map(str::to_owned),
        }
    }

    fn flag(closed: Option<i64>) -> Flag {
        Flag {
            id: "f-1".into(),
            diploma_id: "d-1".into(),
            diploma_number: "KNU-2026-000042".into(),
            kind: "grade_corrected".into(),
            detail: "B1.07, семестр 2: 61 → 90".into(),
            raised_at_ms: 1_790_000_000_000,
            closed_at_ms: closed,
            note: if closed.is_some() { "проверено".into() } else { String::new() },
        }
    }

    fn diploma(state: DiplomaState) -> Diploma {
        let revoked = matches!(state, DiplomaState::Revoked | DiplomaState::Annulled);
        Diploma {
            summary: summary(state, None),
            content: content(Some(412), None),
            content_sha256: "ab".repeat(32),
            person_id: "p-1".into(),
            token: "tok-1".into(),
            state_on: revoked.then(|| "2026-09-01".to_owned()),
            state_reason: if revoked { "решение суда".into() } else { String::new() },
            flags: vec![flag(None), flag(Some(1_790_000_100_000))],
        }
    }

    fn blocker(code: &str, course: Localized) -> Blocker {
        Blocker { code: code.into(), line_code: "B1.07".into(), semester: 3, course, have: 2310, need: 2400 }
    }

    #[test]
    fn diplomas_summaries_and_contents_with_lines_round_trip() {
        for state in DiplomaState::ALL {
            let d = diploma(*state);
            assert_eq!(diploma_from(wire(diploma_pb(&d))).unwrap(), d);
            for dup in [None, Some("d-0")] {
                let s = summary(*state, dup);
                assert_eq!(summary_from(wire(summary_pb(&s))).unwrap(), s);
            }
        }
        for (gpa, dup) in [(None, None), (Some(0), Some("d-0")), (Some(412), None)] {
            let c = content(gpa, dup);
            assert_eq!(content_from(wire(content_pb(&c))), c);
        }
        // A diploma without lines, flags or a Latin name survives too.
        let bare = Diploma {
            content: Content { holder_latin: PersonName::default(), ..content(None, None) },
            flags: vec![],
            ..diploma(DiplomaState::Valid)
        };
        assert_eq!(diploma_from(wire(diploma_pb(&bare))).unwrap(), bare);

        let report = IssuanceReport {
            issuance_id: "iss-1".into(),
            state: "pending".into(),
            diplomas: vec![summary(DiplomaState::Pending, None), summary(DiplomaState::Valid, Some("d-0"))],
        };
        assert_eq!(report_from(wire(report_pb(&report))).unwrap(), report);
        assert_eq!(report_from(wire(report_pb(&IssuanceReport::default()))).unwrap(), IssuanceReport::default());

        for q in [
            DiplomaQuery::default(),
            DiplomaQuery {
                institution_id: "knu".into(),
                state: Some("valid".into()),
                q: "Иван".into(),
                flagged: true,
                page: 3,
                per_page: 50,
            },
            DiplomaQuery { state: Some(String::new()), ..DiplomaQuery::default() },
        ] {
            assert_eq!(diploma_query_from(wire(diploma_query_pb(&q))), q);
        }
        for f in [flag(None), flag(Some(0)), flag(Some(1_790_000_100_000))] {
            assert_eq!(flag_from(wire(flag_pb(&f))), f);
        }
    }

    #[test]
    fn eligibility_with_blockers_round_trips() {
        let row = |id: &str, blockers: Vec<Blocker>, gpa: Option<i32>, number: Option<&str>| EligibilityRow {
            enrolment_id: id.into(),
            person_id: format!("p-{id}"),
            name: name("Иванова"),
            student_ticket: "22-0001".into(),
            eligible: blockers.is_empty(),
            assessed: Assessed {
                honours: blockers.is_empty(),
                blockers,
                graded: 40,
                excellent: 31,
                satisfactory_or_lower: 1,
                credits_earned_tenths: 2310,
                credits_required_tenths: 2400,
            },
            gpa,
            diploma_number: number.map(str::to_owned),
        };
        let g = GroupEligibility {
            institution_id: "knu".into(),
            programme_id: "prog-1".into(),
            study_group: "ЭК-1-22".into(),
            level: "bachelor".into(),
            rule: Some(HonoursRule {
                min_excellent_percent: 80,
                allow_satisfactory: true,
                attestation_excellent: false,
            }),
            rows: vec![
                row("e-1", vec![], Some(412), None),
                row(
                    "e-2",
                    vec![
                        blocker("diploma_exists", Localized::default()),
                        blocker("failed_course", Localized::new("Математика", "Математика", "Mathematics")),
                        blocker("credits_short", Localized::default()),
                    ],
                    Some(0),
                    Some("KNU-2026-000041"),
                ),
                row("e-3", vec![blocker("no_curriculum", Localized::default())], None, None),
            ],
        };
        assert_eq!(eligibility_from(wire(eligibility_pb(&g))), g);
        let empty = GroupEligibility { rule: None, ..GroupEligibility::default() };
        assert_eq!(eligibility_from(wire(eligibility_pb(&empty))), empty);
        for r in [HonoursRule::default(), HonoursRule { min_excellent_percent: 100, ..HonoursRule::default() }] {
            assert_eq!(rule_from(wire(rule_pb(&r))), r);
        }
        let q =
            GroupQuery { institution_id: "knu".into(), programme_id: "prog-1".into(), study_group: "ЭК-1-22".into() };
        assert_eq!(group_query_from(wire(group_query_pb(&q))), q);
    }

    #[test]
    fn inputs_round_trip() {
        let issue = IssueInput {
            institution_id: "knu".into(),
            programme_id: "prog-1".into(),
            study_group: "ЭК-1-22".into(),
            enrolment_ids: vec!["e-1".into(), "e-3".into()],
            order_no: "12-к".into(),
            order_signed_on: "2026-06-28".into(),
            signatory: "Асанов А. А.".into(),
            issued_on: "2026-06-30".into(),
            series: "БД".into(),
            request_id: "req-1".into(),
        };
        assert_eq!(issue_input_from(wire(issue_input_pb(&issue))), issue);
        assert_eq!(issue_input_from(wire(issue_input_pb(&IssueInput::default()))), IssueInput::default());

        let receipt = ReceiptInput {
            institution_id: "knu".into(),
            kind: "bachelor_honours".into(),
            series: "БД".into(),
            first_no: 100,
            last_no: 99_999_999,
            document_no: "Акт 12".into(),
            received_on: "2026-05-01".into(),
        };
        assert_eq!(receipt_input_from(wire(receipt_input_pb(&receipt))), receipt);
        // An unknown kind still reaches the service, which says what is wrong with it.
        let odd = ReceiptInput { kind: "phd".into(), ..receipt };
        assert_eq!(receipt_input_from(wire(receipt_input_pb(&odd))), odd);

        let moved = FormMoveInput {
            institution_id: "knu".into(),
            series: "БД".into(),
            first_no: 100,
            last_no: 120,
            action: "spoiled".into(),
            reason: "испорчен при печати".into(),
        };
        assert_eq!(form_move_from(wire(form_move_pb(&moved))), moved);
        let status = StatusInput {
            diploma_id: "d-1".into(),
            state: "annulled".into(),
            reason: "решение суда".into(),
            effective_on: "2026-09-01".into(),
        };
        assert_eq!(status_input_from(wire(status_input_pb(&status))), status);
        let dup = DuplicateInput {
            diploma_id: "d-1".into(),
            reason: "утерян".into(),
            series: String::new(),
            issued_on: "2027-01-15".into(),
            request_id: "req-2".into(),
        };
        assert_eq!(duplicate_input_from(wire(duplicate_input_pb(&dup))), dup);
        for q in [
            VerifyQuery { token: "tok-1".into(), ..VerifyQuery::default() },
            VerifyQuery {
                token: String::new(), number: "KNU-2026-000042".into(), family_name: "Иванова".into()
            },
        ] {
            assert_eq!(verify_query_from(wire(verify_query_pb(&q))), q);
        }
    }

    #[test]
    fn forms_receipts_and_ledgers_round_trip() {
        for kind in BlankKind::ALL {
            let r = Receipt {
                id: "r-1".into(),
                institution_id: "knu".into(),
                kind: *kind,
                series: "БД".into(),
                first_no: 100,
                last_no: 199,
                document_no: "Акт 12".into(),
                received_on: "2026-05-01".into(),
                recorded_at_ms: 1_780_000_000_000,
                recorded_by: "acc-1".into(),
            };
            assert_eq!(receipt_from(wire(receipt_pb(&r))).unwrap(), r);
            for state in FormState::ALL {
                let f = Form {
                    series: "БД".into(),
                    number: 150,
                    kind: *kind,
                    state: *state,
                    diploma_id: (*state == FormState::Used).then(|| "d-1".to_owned()),
                    reason: "испорчен".into(),
                    changed_at_ms: 5,
                };
                assert_eq!(form_from(wire(form_pb(&f))).unwrap(), f);
            }
        }
        for l in [
            Ledger::default(),
            Ledger {
                institution_id: "knu".into(),
                kind: "master".into(),
                received: 100,
                in_stock: 60,
                used: 30,
                spoiled: 7,
                returned: 3,
            },
        ] {
            assert_eq!(ledger_from(wire(ledger_pb(&l))), l);
        }
        for q in [
            FormQuery::default(),
            FormQuery {
                institution_id: "knu".into(),
                state: Some("in_stock".into()),
                series: Some("БД".into()),
                page: 2,
                per_page: 100,
            },
            FormQuery { series: Some(String::new()), ..FormQuery::default() },
        ] {
            assert_eq!(form_query_from(wire(form_query_pb(&q))), q);
        }
    }

    #[test]
    fn checks_verifications_shares_and_issuers_round_trip() {
        for outcome in CheckOutcome::ALL {
            let found = *outcome != CheckOutcome::NotFound;
            let c = PublicCheck {
                outcome: *outcome,
                number: "KNU-2026-000042".into(),
                holder: found.then(|| name("Иванова")),
                qualification: found.then(qualification),
                institution: found.then(|| Localized::new("КУУ", "КНУ", "KNU")),
                issued_on: if found { "2026-06-30".into() } else { String::new() },
                honours: found,
                state_on: (*outcome == CheckOutcome::Revoked).then(|| "2026-09-01".to_owned()),
                state_reason: "решение суда".into(),
                duplicate: *outcome == CheckOutcome::Replaced,
            };
            assert_eq!(check_from(wire(check_pb(&c))).unwrap(), c);
        }
        // Present but blank names stay present: absence is what says "not found".
        let blank = PublicCheck {
            outcome: CheckOutcome::Valid,
            number: String::new(),
            holder: Some(PersonName::default()),
            qualification: Some(Localized::default()),
            institution: None,
            issued_on: String::new(),
            honours: false,
            state_on: Some(String::new()),
            state_reason: String::new(),
            duplicate: false,
        };
        assert_eq!(check_from(wire(check_pb(&blank))).unwrap(), blank);

        let mut states: Vec<Option<DiplomaState>> = DiplomaState::ALL.iter().copied().map(Some).collect();
        states.push(None);
        for state in states {
            let c = CredentialCheck {
                valid: state == Some(DiplomaState::Valid),
                errors: if state == Some(DiplomaState::Valid) {
                    vec![]
                } else {
                    vec!["signature_invalid".into(), "not_in_register".into()]
                },
                issuer: "did:key:z6Mkabc".into(),
                number: "KNU-2026-000042".into(),
                state,
            };
            assert_eq!(credential_check_from(wire(credential_check_pb(&c))).unwrap(), c);
        }

        for v in [
            Verification { at_ms: 1_790_000_000_000, method: "qr".into(), outcome: "valid".into() },
            Verification { at_ms: 0, method: "credential".into(), outcome: "signature_invalid,revoked".into() },
        ] {
            assert_eq!(verification_from(wire(verification_pb(&v))), v);
        }
        let s = ShareLink { token: "abc_-XYZ".into(), expires_at_ms: 1_790_000_000_000 };
        assert_eq!(share_from(wire(share_pb(&s))), s);
        let i = Issuer {
            institution_id: "knu".into(),
            institution_code: "KNU".into(),
            did: "did:key:z6Mkabc".into(),
            public_key_multibase: "z6Mkabc".into(),
        };
        assert_eq!(issuer_from(wire(issuer_pb(&i))), i);
    }

    #[test]
    fn unknown_codes_and_missing_parts_are_refused() {
        /// The field an unknown code is reported in.
        fn field<T: std::fmt::Debug>(r: ApiResult<T>) -> String {
            let e = r.unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidArgument);
            e.field.unwrap_or_default()
        }
        let s = summary_pb(&summary(DiplomaState::Valid, None));
        assert_eq!(field(summary_from(pb::DiplomaSummary { state: "lost".into(), ..s.clone() })), "state");
        assert_eq!(field(summary_from(pb::DiplomaSummary { state: String::new(), ..s })), "state");
        let mut d = diploma_pb(&diploma(DiplomaState::Valid));
        d.summary.as_mut().unwrap().state = "archived".into();
        assert_eq!(field(diploma_from(d.clone())), "state");
        assert_eq!(
            diploma_from(pb::DiplomaRecord { summary: None, ..d.clone() }).unwrap_err().code,
            ErrorCode::Internal
        );
        let good = diploma_pb(&diploma(DiplomaState::Valid));
        assert_eq!(diploma_from(pb::DiplomaRecord { content: None, ..good }).unwrap_err().code, ErrorCode::Internal);
        let mut report = report_pb(&IssuanceReport {
            diplomas: vec![summary(DiplomaState::Pending, None)],
            ..IssuanceReport::default()
        });
        report.diplomas[0].state = "draft".into();
        assert_eq!(field(report_from(report)), "state");

        let r = receipt_pb(&Receipt {
            id: "r-1".into(),
            institution_id: "knu".into(),
            kind: BlankKind::Master,
            series: "МД".into(),
            first_no: 1,
            last_no: 2,
            document_no: "Акт".into(),
            received_on: "2026-05-01".into(),
            recorded_at_ms: 1,
            recorded_by: "acc-1".into(),
        });
        assert_eq!(field(receipt_from(pb::Receipt { kind: "phd".into(), ..r })), "kind");
        let f = pb::Form { kind: "master".into(), state: "burnt".into(), ..pb::Form::default() };
        assert_eq!(field(form_from(f.clone())), "state");
        assert_eq!(field(form_from(pb::Form { kind: "college".into(), ..f })), "kind");

        let c = check_pb(&PublicCheck {
            outcome: CheckOutcome::NotFound,
            number: "X".into(),
            holder: None,
            qualification: None,
            institution: None,
            issued_on: String::new(),
            honours: false,
            state_on: None,
            state_reason: String::new(),
            duplicate: false,
        });
        assert_eq!(field(check_from(pb::PublicCheck { outcome: "unknown".into(), ..c })), "outcome");
        let cc = pb::CredentialCheck { state: Some("forged".into()), ..pb::CredentialCheck::default() };
        assert_eq!(field(credential_check_from(cc)), "state");

        // Every file name the domain knows survives as a code; another is refused.
        for f in DiplomaFile::ALL {
            assert_eq!(code(f.as_str(), "file", DiplomaFile::parse).unwrap(), *f);
        }
        assert_eq!(field(code("photo.jpg", "file", DiplomaFile::parse)), "file");
    }

    /// The service behind a real gRPC server on a local port, reached by the client.
    async fn over_the_wire()
    -> (DiplomaClient, edu24_shared::testing::TestAuth, edu24_shared::testing::TestDb, Option<tempfile::TempDir>) {
        use edu24_shared::testing::{TestAuth, fresh_bus, fresh_db};
        let t = fresh_db("sqlite").await.unwrap();
        crate::DiplomaService::migrate(&t.db).await.unwrap();
        let (bus, bus_dir) = fresh_bus("local").await.unwrap();
        let auth = TestAuth::new();
        // The other services are not there: nothing listens on their address.
        let absent = || edu24_shared::grpc::channel("http://127.0.0.1:9").unwrap();
        let svc = crate::DiplomaService::open(
            t.db.clone(),
            edu24_shared::auth::Authenticator::new(auth.keys.clone()),
            edu24_shared::outbox::OutboxRelay::new("diploma", t.db.clone(), bus),
            Arc::new(edu24_catalogue::grpc::CatalogueClient::new(absent())),
            Arc::new(edu24_curriculum::grpc::CurriculumClient::new(absent())),
            Arc::new(edu24_records::grpc::RecordsClient::new(absent())),
            crate::keys::IssuerKeys::new([7; 32]),
            "http://edu24.test",
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(
            tonic::transport::Server::builder()
                .add_service(DiplomaGrpc::server(svc as Arc<dyn DiplomaApi>))
                .serve_with_incoming(tonic::transport::server::TcpIncoming::from(listener)),
        );
        let client = DiplomaClient::new(edu24_shared::grpc::channel(&format!("http://{addr}")).unwrap());
        (client, auth, t, bus_dir)
    }

    #[tokio::test]
    async fn calls_tokens_errors_and_client_addresses_cross_the_wire() {
        use edu24_shared::auth::Role;
        let (c, auth, _db, _bus) = over_the_wire().await;
        let anonymous = CallCtx::anonymous();
        let registrar = auth.ctx("acc-reg", &[(Role::Registrar, Some("knu"))]);
        let admin = auth.ctx("acc-adm", &[(Role::InstitutionAdmin, Some("knu"))]);

        // No token: refused as unauthenticated; another institution's registrar: forbidden.
        assert_eq!(c.ledger(&anonymous, Some("knu")).await.unwrap_err().code, ErrorCode::Unauthenticated);
        let other = auth.ctx("acc-x", &[(Role::Registrar, Some("ksu"))]);
        assert_eq!(c.ledger(&other, Some("knu")).await.unwrap_err().code, ErrorCode::PermissionDenied);
        assert_eq!(c.ledger(&registrar, None).await.unwrap_err().code, ErrorCode::PermissionDenied);

        let input = ReceiptInput {
            institution_id: "knu".into(),
            kind: "bachelor".into(),
            series: "БД".into(),
            first_no: 100,
            last_no: 199,
            document_no: "Акт 12".into(),
            received_on: "2026-05-01".into(),
        };
        let r = c.receipt_add(&registrar, input.clone()).await.unwrap();
        assert_eq!((r.kind, r.first_no, r.last_no, r.recorded_by.as_str()), (BlankKind::Bachelor, 100, 199, "acc-reg"));
        // The error's reason and field travel in the metadata.
        let e = c.receipt_add(&registrar, input).await.unwrap_err();
        assert_eq!(
            (e.code, e.reason.as_deref(), e.field.as_deref()),
            (ErrorCode::AlreadyExists, Some("form_exists"), Some("first_no"))
        );
        let moved = FormMoveInput {
            institution_id: "knu".into(),
            series: "БД".into(),
            first_no: 100,
            last_no: 104,
            action: "spoiled".into(),
            reason: "испорчены при печати".into(),
        };
        assert_eq!(c.forms_move(&registrar, moved).await.unwrap(), 5);
        let ledger = c.ledger(&registrar, Some("knu")).await.unwrap();
        assert_eq!(
            ledger,
            vec![Ledger {
                institution_id: "knu".into(),
                kind: "bachelor".into(),
                received: 100,
                in_stock: 95,
                used: 0,
                spoiled: 5,
                returned: 0,
            }]
        );
        let q = FormQuery {
            institution_id: "knu".into(),
            state: Some("spoiled".into()),
            series: None,
            page: 1,
            per_page: 3,
        };
        let page = c.forms(&registrar, &q).await.unwrap();
        assert_eq!(page.total, 5);
        assert_eq!(
            page.items.iter().map(|f| (f.number, f.state)).collect::<Vec<_>>(),
            [(100, FormState::Spoiled), (101, FormState::Spoiled), (102, FormState::Spoiled)]
        );
        assert_eq!(c.receipts(&registrar, "knu").await.unwrap().len(), 1);

        // The honours rule: the institution's admin sets it, anyone reads it.
        let rule = HonoursRule { min_excellent_percent: 80, allow_satisfactory: true, attestation_excellent: false };
        assert_eq!(c.honours_rule_set(&registrar, "knu", rule).await.unwrap_err().code, ErrorCode::PermissionDenied);
        assert_eq!(c.honours_rule_set(&admin, "knu", rule).await.unwrap(), rule);
        assert_eq!(c.honours_rule(&anonymous, "knu").await.unwrap(), rule);

        // The public side, anonymous.
        let check = c.verify_credential(&anonymous, "not json").await.unwrap();
        assert!(!check.valid && check.errors.contains(&"not_json".to_owned()), "{check:?}");
        let e = c.share_open(&anonymous, "no-such-link").await.unwrap_err();
        assert_eq!((e.code, e.reason.as_deref()), (ErrorCode::NotFound, Some("link_expired")));
        assert_eq!(c.status_list(&anonymous, "NOPE").await.unwrap_err().code, ErrorCode::NotFound);
        // A service diploma depends on and cannot reach: unavailable, through both hops.
        assert_eq!(c.my_diplomas(&registrar).await.unwrap_err().code, ErrorCode::Unavailable);

        // The end user's address reaches the service: one address is throttled, another is not.
        let from = |addr: &str| CallCtx { client_addr: Some(addr.into()), ..CallCtx::anonymous() };
        let q = VerifyQuery {
            token: String::new(), number: "KNU-2026-000001".into(), family_name: "Иванова".into()
        };
        // As many checks a minute as the service allows (its default unless configured).
        let limit: u32 = std::env::var("EDU24_VERIFY_PER_MINUTE").ok().and_then(|v| v.parse().ok()).unwrap_or(60);
        assert!(limit > 0, "run with the throttle on");
        for _ in 0..limit {
            let found = c.verify(&from("10.0.0.1"), &q).await.unwrap();
            assert_eq!(
                (found.outcome, found.number.as_str(), found.holder),
                (CheckOutcome::NotFound, "KNU-2026-000001", None)
            );
        }
        let e = c.verify(&from("10.0.0.1"), &q).await.unwrap_err();
        assert_eq!((e.code, e.reason.as_deref()), (ErrorCode::ResourceExhausted, Some("verify_throttled")));
        assert_eq!(c.verify(&from("10.0.0.2"), &q).await.unwrap().outcome, CheckOutcome::NotFound);
    }
}

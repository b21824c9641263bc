//! gRPC adapters of records: the tonic server over any [`RecordsApi`], and the client that
//! implements [`RecordsApi`] over the network. Conversions only.

use std::sync::Arc;

use async_trait::async_trait;
use edu24_proto::records::v1 as pb;
use edu24_proto::records::v1::records_client::RecordsClient as PbClient;
use edu24_proto::records::v1::records_server::{Records, RecordsServer};
use edu24_shared::auth::CallCtx;
use edu24_shared::error::{ApiError, ApiResult};
use edu24_shared::grpc::{ctx_from, error_from, request, status_from};
use tonic::transport::Channel;
use tonic::{Request, Response};

use crate::domain::*;
use crate::grading::*;
use crate::{MySpace, PersonOutcome, RecordsApi};

const MAX_MESSAGE_BYTES: usize = 32 << 20;

fn bad(field: &str) -> ApiError {
    ApiError::invalid(field, format!("{field} has an unknown value"))
}

fn opt(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

fn name_pb(n: &PersonName) -> Option<pb::LocalizedName> {
    Some(pb::LocalizedName { family: n.family.clone(), given: n.given.clone(), patronymic: n.patronymic.clone() })
}

fn name_from(n: Option<pb::LocalizedName>) -> PersonName {
    n.map(|n| PersonName { family: n.family, given: n.given, patronymic: n.patronymic }).unwrap_or_default()
}

fn person_pb(p: &Person) -> pb::Person {
    pb::Person {
        id: p.id.clone(),
        pin: p.pin.clone().unwrap_or_default(),
        pin_exception: p.pin_exception.clone(),
        name: name_pb(&p.name),
        latin: name_pb(&p.latin),
        birth_date: p.birth_date.clone(),
        sex: p.sex.as_str().into(),
        citizenship: p.citizenship.clone(),
        merged_into: p.merged_into.clone().unwrap_or_default(),
        created_at_ms: p.created_at_ms,
        created_by: p.created_by.clone(),
        version: p.version,
    }
}

fn person_from(p: pb::Person) -> ApiResult<Person> {
    Ok(Person {
        sex: Sex::parse(&p.sex).ok_or_else(|| bad("sex"))?,
        id: p.id,
        pin: opt(p.pin),
        pin_exception: p.pin_exception,
        name: name_from(p.name),
        latin: name_from(p.latin),
        birth_date: p.birth_date,
        citizenship: p.citizenship,
        merged_into: opt(p.merged_into),
        created_at_ms: p.created_at_ms,
        created_by: p.created_by,
        version: p.version,
    })
}

fn person_input_pb(p: &PersonInput) -> pb::PersonInput {
    pb::PersonInput {
        pin: p.pin.clone(),
        pin_exception: p.pin_exception.clone(),
        name: name_pb(&p.name),
        latin: name_pb(&p.latin),
        birth_date: p.birth_date.clone(),
        sex: p.sex.clone(),
        citizenship: p.citizenship.clone(),
        institution_id: p.institution_id.clone(),
        confirm_distinct: p.confirm_distinct,
    }
}

fn person_input_from(p: pb::PersonInput) -> PersonInput {
    PersonInput {
        pin: p.pin,
        pin_exception: p.pin_exception,
        name: name_from(p.name),
        latin: name_from(p.latin),
        birth_date: p.birth_date,
        sex: p.sex,
        citizenship: p.citizenship,
        institution_id: p.institution_id,
        confirm_distinct: p.confirm_distinct,
    }
}

fn enrolment_pb(e: &Enrolment) -> pb::Enrolment {
    pb::Enrolment {
        id: e.id.clone(),
        person_id: e.person_id.clone(),
        institution_id: e.institution_id.clone(),
        programme_id: e.programme_id.clone(),
        specialty_code: e.specialty_code.clone(),
        level: e.level.as_str().into(),
        form: e.form.clone(),
        intake_year: e.intake_year,
        study_group: e.study_group.clone(),
        funding: e.funding.as_str().into(),
        status: e.status.as_str().into(),
        student_ticket: e.student_ticket.clone(),
        licence_id: e.licence_id.clone(),
        version: e.version,
        since: e.since.clone(),
        year_of_study: e.year_of_study(today()),
    }
}

fn enrolment_from(e: pb::Enrolment) -> ApiResult<Enrolment> {
    Ok(Enrolment {
        level: Level::parse(&e.level).ok_or_else(|| bad("level"))?,
        funding: Funding::parse(&e.funding).ok_or_else(|| bad("funding"))?,
        status: EnrolmentStatus::parse(&e.status).ok_or_else(|| bad("status"))?,
        id: e.id,
        person_id: e.person_id,
        institution_id: e.institution_id,
        programme_id: e.programme_id,
        specialty_code: e.specialty_code,
        form: e.form,
        intake_year: e.intake_year,
        study_group: e.study_group,
        student_ticket: e.student_ticket,
        licence_id: e.licence_id,
        version: e.version,
        since: e.since,
    })
}

fn order_pb(o: &Order) -> pb::Order {
    pb::Order {
        id: o.id.clone(),
        enrolment_id: o.enrolment_id.clone(),
        person_id: o.person_id.clone(),
        institution_id: o.institution_id.clone(),
        kind: o.kind.as_str().into(),
        number: o.number.clone(),
        signed_on: o.signed_on.clone(),
        effective_on: o.effective_on.clone(),
        signatory: o.signatory.clone(),
        reason: o.reason.clone(),
        detail: o.detail.clone(),
        recorded_at_ms: o.recorded_at_ms,
        recorded_by: o.recorded_by.clone(),
        status_after: o.status_after.as_str().into(),
    }
}

fn order_from(o: pb::Order) -> ApiResult<Order> {
    Ok(Order {
        kind: OrderKind::parse(&o.kind).ok_or_else(|| bad("kind"))?,
        status_after: EnrolmentStatus::parse(&o.status_after).ok_or_else(|| bad("status_after"))?,
        id: o.id,
        enrolment_id: o.enrolment_id,
        person_id: o.person_id,
        institution_id: o.institution_id,
        number: o.number,
        signed_on: o.signed_on,
        effective_on: o.effective_on,
        signatory: o.signatory,
        reason: o.reason,
        detail: o.detail,
        recorded_at_ms: o.recorded_at_ms,
        recorded_by: o.recorded_by,
    })
}

fn file_pb(f: &PersonFile) -> pb::PersonFile {
    pb::PersonFile {
        person: Some(person_pb(&f.person)),
        enrolments: f.enrolments.iter().map(enrolment_pb).collect(),
        orders: f.orders.iter().map(order_pb).collect(),
    }
}

fn file_from(f: pb::PersonFile) -> ApiResult<PersonFile> {
    Ok(PersonFile {
        person: person_from(f.person.ok_or_else(ApiError::internal)?)?,
        enrolments: f.enrolments.into_iter().map(enrolment_from).collect::<ApiResult<_>>()?,
        orders: f.orders.into_iter().map(order_from).collect::<ApiResult<_>>()?,
    })
}

fn order_input_pb(o: &OrderInput) -> pb::OrderInput {
    pb::OrderInput {
        kind: o.kind.clone(),
        institution_id: o.institution_id.clone(),
        enrolment_id: o.enrolment_id.clone(),
        person_id: o.person_id.clone(),
        programme_id: o.programme_id.clone(),
        intake_year: o.intake_year,
        study_group: o.study_group.clone(),
        funding: o.funding.clone(),
        student_ticket: o.student_ticket.clone(),
        number: o.number.clone(),
        signed_on: o.signed_on.clone(),
        effective_on: o.effective_on.clone(),
        signatory: o.signatory.clone(),
        reason: o.reason.clone(),
        request_id: o.request_id.clone(),
    }
}

fn order_input_from(o: pb::OrderInput) -> OrderInput {
    OrderInput {
        kind: o.kind,
        institution_id: o.institution_id,
        enrolment_id: o.enrolment_id,
        person_id: o.person_id,
        programme_id: o.programme_id,
        intake_year: o.intake_year,
        study_group: o.study_group,
        funding: o.funding,
        student_ticket: o.student_ticket,
        number: o.number,
        signed_on: o.signed_on,
        effective_on: o.effective_on,
        signatory: o.signatory,
        reason: o.reason,
        request_id: o.request_id,
    }
}

fn roster_row_pb(r: &RosterRow) -> pb::RosterRow {
    pb::RosterRow {
        pin: r.pin.clone(),
        pin_exception: r.pin_exception.clone(),
        name: name_pb(&r.name),
        birth_date: r.birth_date.clone(),
        sex: r.sex.clone(),
        citizenship: r.citizenship.clone(),
        student_ticket: r.student_ticket.clone(),
        study_group: r.study_group.clone(),
        funding: r.funding.clone(),
        row: r.row,
    }
}

fn roster_row_from(r: pb::RosterRow) -> RosterRow {
    RosterRow {
        pin: r.pin,
        pin_exception: r.pin_exception,
        name: name_from(r.name),
        birth_date: r.birth_date,
        sex: r.sex,
        citizenship: r.citizenship,
        student_ticket: r.student_ticket,
        study_group: r.study_group,
        funding: r.funding,
        row: r.row,
    }
}

fn report_pb(r: &AdmitReport) -> pb::AdmitIntakeReport {
    pb::AdmitIntakeReport {
        rows: r.rows,
        admitted: r.admitted,
        known_persons: r.known_persons,
        problems: r
            .problems
            .iter()
            .map(|p| pb::RowProblem {
                row: p.row,
                field: p.field.clone(),
                reason: p.reason.clone(),
                message: p.message.clone(),
            })
            .collect(),
        free_places: r.free_places,
    }
}

fn report_from(r: pb::AdmitIntakeReport) -> AdmitReport {
    AdmitReport {
        rows: r.rows,
        admitted: r.admitted,
        known_persons: r.known_persons,
        problems: r
            .problems
            .into_iter()
            .map(|p| RowProblem { row: p.row, field: p.field, reason: p.reason, message: p.message })
            .collect(),
        free_places: r.free_places,
    }
}

pub struct RecordsGrpc {
    inner: Arc<dyn RecordsApi>,
}

impl RecordsGrpc {
    pub fn server(inner: Arc<dyn RecordsApi>) -> RecordsServer<Self> {
        RecordsServer::new(Self { inner })
            .max_decoding_message_size(MAX_MESSAGE_BYTES)
            .max_encoding_message_size(MAX_MESSAGE_BYTES)
    }
}

type Answer<T> = Result<Response<T>, tonic::Status>;

fn answer<T, U>(r: ApiResult<T>, f: impl FnOnce(T) -> U) -> Answer<U> {
    r.map(|v| Response::new(f(v))).map_err(status_from)
}

#[async_trait]
impl Records for RecordsGrpc {
    async fn create_person(&self, req: Request<pb::PersonInput>) -> Answer<pb::PersonResult> {
        let ctx = ctx_from(&req);
        answer(self.inner.person_create(&ctx, person_input_from(req.into_inner())).await, |o| pb::PersonResult {
            person: o.person.as_ref().map(person_pb),
            duplicates: o.duplicates.iter().map(person_pb).collect(),
        })
    }

    async fn get_person(&self, req: Request<pb::GetPersonRequest>) -> Answer<pb::PersonFile> {
        let ctx = ctx_from(&req);
        answer(self.inner.person_get(&ctx, &req.into_inner().id).await, |f| file_pb(&f))
    }

    async fn find_persons(&self, req: Request<pb::FindPersonsRequest>) -> Answer<pb::PersonList> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        answer(self.inner.persons_find(&ctx, &r.institution_id, &r.query, r.limit).await, |v| pb::PersonList {
            persons: v.iter().map(person_pb).collect(),
        })
    }

    async fn merge_persons(&self, req: Request<pb::MergePersonsRequest>) -> Answer<pb::PersonFile> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        answer(self.inner.persons_merge(&ctx, &r.institution_id, &r.keep_id, &r.merge_id, &r.reason).await, |f| {
            file_pb(&f)
        })
    }

    async fn issue_order(&self, req: Request<pb::OrderInput>) -> Answer<pb::OrderResult> {
        let ctx = ctx_from(&req);
        answer(self.inner.order_issue(&ctx, order_input_from(req.into_inner())).await, |(o, e)| pb::OrderResult {
            order: Some(order_pb(&o)),
            enrolment: Some(enrolment_pb(&e)),
        })
    }

    async fn admit_intake(&self, req: Request<pb::AdmitIntakeRequest>) -> Answer<pb::AdmitIntakeReport> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        let input = AdmitIntake {
            institution_id: r.institution_id,
            programme_id: r.programme_id,
            intake_year: r.intake_year,
            number: r.number,
            signed_on: r.signed_on,
            effective_on: r.effective_on,
            signatory: r.signatory,
            rows: r.rows.into_iter().map(roster_row_from).collect(),
            request_id: r.request_id,
        };
        answer(self.inner.intake_admit(&ctx, input).await, |r| report_pb(&r))
    }

    async fn list_students(&self, req: Request<pb::ListStudentsRequest>) -> Answer<pb::StudentPage> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        let q = StudentQuery {
            institution_id: r.institution_id,
            query: r.query,
            programme_id: opt(r.programme_id),
            study_group: opt(r.study_group),
            status: if r.status.is_empty() {
                None
            } else {
                Some(EnrolmentStatus::parse(&r.status).ok_or_else(|| status_from(bad("status")))?)
            },
            page: r.page,
            per_page: r.per_page,
        };
        answer(self.inner.students(&ctx, &q).await, |p| pb::StudentPage {
            items: p
                .items
                .iter()
                .map(|s| pb::StudentRow {
                    enrolment: Some(enrolment_pb(&s.enrolment)),
                    name: name_pb(&s.name),
                    pin: s.pin.clone(),
                })
                .collect(),
            total: p.total,
        })
    }
}

/// [`RecordsApi`] over gRPC.
#[derive(Clone)]
pub struct RecordsClient {
    client: PbClient<Channel>,
}

impl RecordsClient {
    pub fn new(channel: Channel) -> Self {
        Self {
            client: PbClient::new(channel)
                .max_decoding_message_size(MAX_MESSAGE_BYTES)
                .max_encoding_message_size(MAX_MESSAGE_BYTES),
        }
    }
}

#[async_trait]
impl RecordsApi for RecordsClient {
    async fn person_create(&self, ctx: &CallCtx, input: PersonInput) -> ApiResult<PersonOutcome> {
        let r = self
            .client
            .clone()
            .create_person(request(person_input_pb(&input), ctx))
            .await
            .map_err(error_from)?
            .into_inner();
        Ok(PersonOutcome {
            person: r.person.map(person_from).transpose()?,
            duplicates: r.duplicates.into_iter().map(person_from).collect::<ApiResult<_>>()?,
        })
    }

    async fn person_get(&self, ctx: &CallCtx, id: &str) -> ApiResult<PersonFile> {
        let r = self.client.clone().get_person(request(pb::GetPersonRequest { id: id.to_owned() }, ctx)).await;
        file_from(r.map_err(error_from)?.into_inner())
    }

    async fn persons_find(
        &self,
        ctx: &CallCtx,
        institution_id: &str,
        query: &str,
        limit: u32,
    ) -> ApiResult<Vec<Person>> {
        let msg = pb::FindPersonsRequest { query: query.to_owned(), institution_id: institution_id.to_owned(), limit };
        let r = self.client.clone().find_persons(request(msg, ctx)).await.map_err(error_from)?.into_inner();
        r.persons.into_iter().map(person_from).collect()
    }

    async fn persons_merge(
        &self,
        ctx: &CallCtx,
        institution_id: &str,
        keep_id: &str,
        merge_id: &str,
        reason: &str,
    ) -> ApiResult<PersonFile> {
        let msg = pb::MergePersonsRequest {
            keep_id: keep_id.to_owned(),
            merge_id: merge_id.to_owned(),
            reason: reason.to_owned(),
            institution_id: institution_id.to_owned(),
        };
        let r = self.client.clone().merge_persons(request(msg, ctx)).await;
        file_from(r.map_err(error_from)?.into_inner())
    }

    async fn order_issue(&self, ctx: &CallCtx, input: OrderInput) -> ApiResult<(Order, Enrolment)> {
        let r = self
            .client
            .clone()
            .issue_order(request(order_input_pb(&input), ctx))
            .await
            .map_err(error_from)?
            .into_inner();
        Ok((
            order_from(r.order.ok_or_else(ApiError::internal)?)?,
            enrolment_from(r.enrolment.ok_or_else(ApiError::internal)?)?,
        ))
    }

    async fn intake_admit(&self, ctx: &CallCtx, input: AdmitIntake) -> ApiResult<AdmitReport> {
        let msg = pb::AdmitIntakeRequest {
            institution_id: input.institution_id,
            programme_id: input.programme_id,
            intake_year: input.intake_year,
            number: input.number,
            signed_on: input.signed_on,
            effective_on: input.effective_on,
            signatory: input.signatory,
            rows: input.rows.iter().map(roster_row_pb).collect(),
            request_id: input.request_id,
        };
        let r = self.client.clone().admit_intake(request(msg, ctx)).await.map_err(error_from)?.into_inner();
        Ok(report_from(r))
    }

    async fn students(&self, ctx: &CallCtx, q: &StudentQuery) -> ApiResult<Page<StudentRow>> {
        let msg = pb::ListStudentsRequest {
            institution_id: q.institution_id.clone(),
            query: q.query.clone(),
            programme_id: q.programme_id.clone().unwrap_or_default(),
            study_group: q.study_group.clone().unwrap_or_default(),
            status: q.status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
            page: q.page,
            per_page: q.per_page,
        };
        let r = self.client.clone().list_students(request(msg, ctx)).await.map_err(error_from)?.into_inner();
        Ok(Page {
            items: r
                .items
                .into_iter()
                .map(|s| {
                    Ok(StudentRow {
                        enrolment: enrolment_from(s.enrolment.ok_or_else(ApiError::internal)?)?,
                        name: name_from(s.name),
                        pin: s.pin,
                    })
                })
                .collect::<ApiResult<_>>()?,
            total: r.total,
        })
    }
    // TEMPORARY-GRPC-STUBS-BEGIN
    async fn teacher_create(&self, _ctx: &CallCtx, _institution_id: &str, _input: TeacherInput) -> ApiResult<Teacher> {
        Err(ApiError::unavailable("TEMPORARY: teacher_create over gRPC is being written"))
    }
    async fn teachers(&self, _ctx: &CallCtx, _institution_id: &str) -> ApiResult<Vec<Teacher>> {
        Err(ApiError::unavailable("TEMPORARY: teachers over gRPC is being written"))
    }
    async fn account_link(
        &self,
        _ctx: &CallCtx,
        _institution_id: &str,
        _person_id: &str,
        _account_id: Option<&str>,
    ) -> ApiResult<()> {
        Err(ApiError::unavailable("TEMPORARY: account_link over gRPC is being written"))
    }
    async fn my_space(&self, _ctx: &CallCtx) -> ApiResult<MySpace> {
        Err(ApiError::unavailable("TEMPORARY: my_space over gRPC is being written"))
    }
    async fn assignment_create(&self, _ctx: &CallCtx, _input: AssignmentInput) -> ApiResult<Assignment> {
        Err(ApiError::unavailable("TEMPORARY: assignment_create over gRPC is being written"))
    }
    async fn assignments(&self, _ctx: &CallCtx, _query: &AssignmentQuery) -> ApiResult<Vec<Assignment>> {
        Err(ApiError::unavailable("TEMPORARY: assignments over gRPC is being written"))
    }
    async fn sheet_open(&self, _ctx: &CallCtx, _assignment_id: &str, _kind: SheetKind, _as_of: &str) -> ApiResult<Sheet> {
        Err(ApiError::unavailable("TEMPORARY: sheet_open over gRPC is being written"))
    }
    async fn sheet_get(&self, _ctx: &CallCtx, _id: &str) -> ApiResult<Sheet> {
        Err(ApiError::unavailable("TEMPORARY: sheet_get over gRPC is being written"))
    }
    async fn sheets(&self, _ctx: &CallCtx, _query: &SheetQuery) -> ApiResult<Vec<SheetSummary>> {
        Err(ApiError::unavailable("TEMPORARY: sheets over gRPC is being written"))
    }
    async fn sheet_save(&self, _ctx: &CallCtx, _id: &str, _version: i64, _entries: Vec<EntryInput>) -> ApiResult<Sheet> {
        Err(ApiError::unavailable("TEMPORARY: sheet_save over gRPC is being written"))
    }
    async fn sheet_submit(&self, _ctx: &CallCtx, _id: &str, _version: i64) -> ApiResult<Sheet> {
        Err(ApiError::unavailable("TEMPORARY: sheet_submit over gRPC is being written"))
    }
    async fn sheet_return(&self, _ctx: &CallCtx, _id: &str, _version: i64, _note: &str) -> ApiResult<Sheet> {
        Err(ApiError::unavailable("TEMPORARY: sheet_return over gRPC is being written"))
    }
    async fn sheet_close(&self, _ctx: &CallCtx, _id: &str, _version: i64, _confirm_flags: bool) -> ApiResult<Sheet> {
        Err(ApiError::unavailable("TEMPORARY: sheet_close over gRPC is being written"))
    }
    async fn correction_request(&self, _ctx: &CallCtx, _input: CorrectionInput) -> ApiResult<Sheet> {
        Err(ApiError::unavailable("TEMPORARY: correction_request over gRPC is being written"))
    }
    async fn correction_decide(&self, _ctx: &CallCtx, _id: &str, _approve: bool, _note: &str) -> ApiResult<Sheet> {
        Err(ApiError::unavailable("TEMPORARY: correction_decide over gRPC is being written"))
    }
    async fn transcript(&self, _ctx: &CallCtx, _enrolment_id: &str) -> ApiResult<Transcript> {
        Err(ApiError::unavailable("TEMPORARY: transcript over gRPC is being written"))
    }
    async fn term_grades(&self, _ctx: &CallCtx, _enrolment_id: &str, _semester: i32) -> ApiResult<Vec<TranscriptLine>> {
        Err(ApiError::unavailable("TEMPORARY: term_grades over gRPC is being written"))
    }
    async fn ranking(&self, _ctx: &CallCtx, _query: &RankQuery) -> ApiResult<Page<RankRow>> {
        Err(ApiError::unavailable("TEMPORARY: ranking over gRPC is being written"))
    }
    async fn scale(&self, _ctx: &CallCtx, _institution_id: &str) -> ApiResult<Scale> {
        Err(ApiError::unavailable("TEMPORARY: scale over gRPC is being written"))
    }
    async fn scale_set(&self, _ctx: &CallCtx, _institution_id: &str, _scale: Scale) -> ApiResult<Scale> {
        Err(ApiError::unavailable("TEMPORARY: scale_set over gRPC is being written"))
    }
    async fn log_check(&self, _ctx: &CallCtx, _institution_id: &str) -> ApiResult<LogCheck> {
        Err(ApiError::unavailable("TEMPORARY: log_check over gRPC is being written"))
    }
    // TEMPORARY-GRPC-STUBS-END
}

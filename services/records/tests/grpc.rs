//! records' teaching and grading over gRPC: the client calls a real tonic server (on a
//! local port) in front of a stand-in [`RecordsApi`] that notes what it was asked and
//! answers with fixed values. Every method must carry its arguments and the caller's
//! token there, and its answer (or error) back, unchanged.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use edu24_proto::records::v1 as pb;
use edu24_records::domain::*;
use edu24_records::grading::*;
use edu24_records::grpc::{RecordsClient, RecordsGrpc};
use edu24_records::{MySpace, PersonOutcome, RecordsApi};
use edu24_shared::auth::CallCtx;
use edu24_shared::error::{ApiError, ApiResult, ErrorCode};
use edu24_shared::names::{Level, Localized};

fn name(family: &str) -> PersonName {
    PersonName { family: family.into(), given: "Нурлан".into(), patronymic: "Асанович".into() }
}

fn value(score: Option<i32>, absent: bool, attendance: Option<i32>) -> EntryValue {
    EntryValue { score, absent, attendance }
}

fn teacher() -> Teacher {
    Teacher {
        id: "t-1".into(),
        person_id: "p-9".into(),
        institution_id: "knu".into(),
        name: name("Асанов"),
        department: "Кафедра экономики".into(),
        degree: Degree::Candidate,
        title: Title::Docent,
        active: true,
        created_at_ms: 1_780_000_000_000,
        version: 2,
    }
}

fn assignment() -> Assignment {
    Assignment {
        id: "as-1".into(),
        institution_id: "knu".into(),
        programme_id: "prog-1".into(),
        intake_year: 2026,
        curriculum_id: "cur-1".into(),
        curriculum_version: 1,
        line_code: "B1.07".into(),
        course: Localized::new("Экономика", "Экономика", "Economics"),
        credits_tenths: 50,
        assessment: "exam".into(),
        semester: 1,
        study_group: "ЭК-1-26".into(),
        teacher_id: "t-1".into(),
        teacher_name: name("Асанов"),
        created_at_ms: 5,
    }
}

fn enrolment() -> Enrolment {
    Enrolment {
        id: "e-1".into(),
        person_id: "p-1".into(),
        institution_id: "knu".into(),
        programme_id: "prog-1".into(),
        specialty_code: "580100".into(),
        level: Level::Bachelor,
        form: "full_time".into(),
        intake_year: 2026,
        study_group: "ЭК-1-26".into(),
        funding: Funding::Grant,
        status: EnrolmentStatus::Active,
        student_ticket: "26-0001".into(),
        licence_id: "lic-1".into(),
        version: 1,
        since: "2026-09-01".into(),
    }
}

fn sheet() -> Sheet {
    let grade = |s| Scale::default().grade(s);
    Sheet {
        id: "sh-1".into(),
        assignment: assignment(),
        kind: SheetKind::Retake,
        as_of: "2027-01-10".into(),
        state: SheetState::Closed,
        version: 4,
        entries: vec![
            SheetEntry {
                enrolment_id: "e-1".into(),
                person_id: "p-1".into(),
                name: name("Иванова"),
                student_ticket: "26-0001".into(),
                position: 1,
                value: value(Some(88), false, None),
                grade: Some(grade(88)),
                effective: value(Some(91), false, Some(0)),
                effective_grade: Some(grade(91)),
                flags: vec!["no_attendance".into()],
            },
            SheetEntry {
                enrolment_id: "e-2".into(),
                person_id: "p-2".into(),
                name: name("Петров"),
                student_ticket: String::new(),
                position: 2,
                value: value(None, true, Some(0)),
                grade: None,
                effective: value(None, true, Some(0)),
                effective_grade: None,
                flags: vec![],
            },
        ],
        corrections: vec![Correction {
            id: "c-1".into(),
            sheet_id: "sh-1".into(),
            enrolment_id: "e-1".into(),
            before: value(Some(88), false, None),
            after: value(Some(91), false, Some(0)),
            reason: "ошибка при вводе".into(),
            requested_by: "acc-1".into(),
            requested_at_ms: 10,
            state: CorrectionState::Approved,
            decided_by: "acc-2".into(),
            decided_at_ms: 11,
            note: "проверено".into(),
        }],
        created_at_ms: 1,
        created_by: "acc-3".into(),
        submitted_at_ms: 2,
        submitted_by: "acc-3".into(),
        closed_at_ms: 3,
        closed_by: "acc-4".into(),
        returned_note: String::new(),
        digest: "cd".repeat(32),
    }
}

fn summary() -> SheetSummary {
    SheetSummary {
        id: "sh-1".into(),
        assignment: assignment(),
        kind: SheetKind::Regular,
        as_of: "2027-01-10".into(),
        state: SheetState::Submitted,
        students: 25,
        graded: 24,
        flagged: 2,
        pending_corrections: 1,
        updated_at_ms: 12,
    }
}

fn line(score: Option<i32>) -> TranscriptLine {
    TranscriptLine {
        semester: 1,
        line_code: "B1.07".into(),
        course: Localized::new("", "Экономика", "Economics"),
        credits_tenths: 50,
        assessment: "exam".into(),
        value: value(score, score.is_none(), Some(80)),
        grade: score.map(|s| Scale::default().grade(s)),
        sheet_id: "sh-1".into(),
        closed_at_ms: 3,
        corrected: true,
        in_gpa: true,
    }
}

fn transcript(gpa: Option<i32>) -> Transcript {
    Transcript {
        enrolment: enrolment(),
        name: name("Иванова"),
        lines: if gpa.is_some() { vec![line(Some(91)), line(None)] } else { vec![] },
        gpa,
        credits_earned_tenths: 50,
        credits_attempted_tenths: 100,
        credits_required_tenths: 2400,
        curriculum_id: "cur-1".into(),
        open_corrections: 1,
    }
}

fn scale() -> Scale {
    Scale {
        bands: vec![
            ScaleBand { min_score: 90, letter: "A".into(), five: 5, points: 400 },
            ScaleBand { min_score: 50, letter: "C".into(), five: 3, points: 200 },
            ScaleBand { min_score: 0, letter: "F".into(), five: 2, points: 0 },
        ],
        pass_score: 50,
        credit_tests_in_gpa: true,
    }
}

fn rank_page() -> Page<RankRow> {
    Page {
        items: vec![RankRow {
            rank: 1,
            enrolment_id: "e-1".into(),
            person_id: "p-1".into(),
            name: name("Иванова"),
            programme_id: "prog-1".into(),
            study_group: "ЭК-1-26".into(),
            gpa: 367,
            credits_earned_tenths: 600,
        }],
        total: 31,
    }
}

fn log_check() -> LogCheck {
    LogCheck { records: 42, first_broken: Some(17), unexplained: vec!["sh-1/e-2".into()] }
}

fn my_space() -> MySpace {
    MySpace { file: None, teaching: vec![teacher(), Teacher { degree: Degree::None, title: Title::None, ..teacher() }] }
}

/// Notes every call as `method token args` and answers with the values above.
#[derive(Default)]
struct StandIn {
    calls: Mutex<Vec<String>>,
}

impl StandIn {
    fn note(&self, ctx: &CallCtx, call: String) {
        self.calls.lock().unwrap().push(format!("{} {call}", ctx.token.as_deref().unwrap_or("-")));
    }
}

#[async_trait]
impl RecordsApi for StandIn {
    async fn person_create(&self, _: &CallCtx, _: PersonInput) -> ApiResult<PersonOutcome> {
        Err(ApiError::unavailable("not in this test"))
    }
    async fn person_get(&self, _: &CallCtx, _: &str) -> ApiResult<PersonFile> {
        Err(ApiError::unavailable("not in this test"))
    }
    async fn persons_find(&self, _: &CallCtx, _: &str, _: &str, _: u32) -> ApiResult<Vec<Person>> {
        Err(ApiError::unavailable("not in this test"))
    }
    async fn persons_merge(&self, _: &CallCtx, _: &str, _: &str, _: &str, _: &str) -> ApiResult<PersonFile> {
        Err(ApiError::unavailable("not in this test"))
    }
    async fn order_issue(&self, _: &CallCtx, _: OrderInput) -> ApiResult<(Order, Enrolment)> {
        Err(ApiError::unavailable("not in this test"))
    }
    async fn intake_admit(&self, _: &CallCtx, _: AdmitIntake) -> ApiResult<AdmitReport> {
        Err(ApiError::unavailable("not in this test"))
    }
    async fn students(&self, _: &CallCtx, _: &StudentQuery) -> ApiResult<Page<StudentRow>> {
        Err(ApiError::unavailable("not in this test"))
    }

    async fn teacher_create(&self, ctx: &CallCtx, institution_id: &str, input: TeacherInput) -> ApiResult<Teacher> {
        self.note(ctx, format!("teacher_create {institution_id} {input:?}"));
        Ok(teacher())
    }
    async fn teachers(&self, ctx: &CallCtx, institution_id: &str) -> ApiResult<Vec<Teacher>> {
        self.note(ctx, format!("teachers {institution_id}"));
        Ok(vec![teacher(), Teacher { id: "t-2".into(), active: false, title: Title::Professor, ..teacher() }])
    }
    async fn account_link(
        &self,
        ctx: &CallCtx,
        institution_id: &str,
        person_id: &str,
        account_id: Option<&str>,
    ) -> ApiResult<()> {
        self.note(ctx, format!("account_link {institution_id} {person_id} {account_id:?}"));
        Ok(())
    }
    async fn my_space(&self, ctx: &CallCtx) -> ApiResult<MySpace> {
        self.note(ctx, "my_space".into());
        Ok(my_space())
    }
    async fn assignment_create(&self, ctx: &CallCtx, input: AssignmentInput) -> ApiResult<Assignment> {
        self.note(ctx, format!("assignment_create {input:?}"));
        Ok(assignment())
    }
    async fn assignments(&self, ctx: &CallCtx, query: &AssignmentQuery) -> ApiResult<Vec<Assignment>> {
        self.note(ctx, format!("assignments {query:?}"));
        Ok(vec![assignment()])
    }
    async fn sheet_open(&self, ctx: &CallCtx, assignment_id: &str, kind: SheetKind, as_of: &str) -> ApiResult<Sheet> {
        self.note(ctx, format!("sheet_open {assignment_id} {kind} {as_of}"));
        Ok(sheet())
    }
    async fn sheet_get(&self, ctx: &CallCtx, id: &str) -> ApiResult<Sheet> {
        self.note(ctx, format!("sheet_get {id}"));
        if id == "missing" {
            return Err(ApiError::not_found("sheet").with_reason("sheet_unknown"));
        }
        Ok(sheet())
    }
    async fn sheets(&self, ctx: &CallCtx, query: &SheetQuery) -> ApiResult<Vec<SheetSummary>> {
        self.note(ctx, format!("sheets {query:?}"));
        Ok(vec![summary()])
    }
    async fn sheet_save(&self, ctx: &CallCtx, id: &str, version: i64, entries: Vec<EntryInput>) -> ApiResult<Sheet> {
        self.note(ctx, format!("sheet_save {id} {version} {entries:?}"));
        Ok(sheet())
    }
    async fn sheet_submit(&self, ctx: &CallCtx, id: &str, version: i64) -> ApiResult<Sheet> {
        self.note(ctx, format!("sheet_submit {id} {version}"));
        Ok(sheet())
    }
    async fn sheet_return(&self, ctx: &CallCtx, id: &str, version: i64, note: &str) -> ApiResult<Sheet> {
        self.note(ctx, format!("sheet_return {id} {version} {note}"));
        Ok(sheet())
    }
    async fn sheet_close(&self, ctx: &CallCtx, id: &str, version: i64, confirm_flags: bool) -> ApiResult<Sheet> {
        self.note(ctx, format!("sheet_close {id} {version} {confirm_flags}"));
        Ok(sheet())
    }
    async fn correction_request(&self, ctx: &CallCtx, input: CorrectionInput) -> ApiResult<Sheet> {
        self.note(ctx, format!("correction_request {input:?}"));
        Ok(sheet())
    }
    async fn correction_decide(&self, ctx: &CallCtx, id: &str, approve: bool, note: &str) -> ApiResult<Sheet> {
        self.note(ctx, format!("correction_decide {id} {approve} {note}"));
        Ok(sheet())
    }
    async fn transcript(&self, ctx: &CallCtx, enrolment_id: &str) -> ApiResult<Transcript> {
        self.note(ctx, format!("transcript {enrolment_id}"));
        Ok(transcript(if enrolment_id == "e-new" { None } else { Some(367) }))
    }
    async fn term_grades(&self, ctx: &CallCtx, enrolment_id: &str, semester: i32) -> ApiResult<Vec<TranscriptLine>> {
        self.note(ctx, format!("term_grades {enrolment_id} {semester}"));
        Ok(vec![line(Some(91)), line(None)])
    }
    async fn ranking(&self, ctx: &CallCtx, query: &RankQuery) -> ApiResult<Page<RankRow>> {
        self.note(ctx, format!("ranking {query:?}"));
        Ok(rank_page())
    }
    async fn scale(&self, ctx: &CallCtx, institution_id: &str) -> ApiResult<Scale> {
        self.note(ctx, format!("scale {institution_id}"));
        Ok(Scale::default())
    }
    async fn scale_set(&self, ctx: &CallCtx, institution_id: &str, scale: Scale) -> ApiResult<Scale> {
        self.note(ctx, format!("scale_set {institution_id} {scale:?}"));
        Ok(scale)
    }
    async fn log_check(&self, ctx: &CallCtx, institution_id: &str) -> ApiResult<LogCheck> {
        self.note(ctx, format!("log_check {institution_id}"));
        Ok(log_check())
    }
}

async fn serve(stand_in: Arc<StandIn>) -> tonic::transport::Channel {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = RecordsGrpc::server(stand_in as Arc<dyn RecordsApi>);
    tokio::spawn(
        tonic::transport::Server::builder()
            .add_service(server)
            .serve_with_incoming(tonic::transport::server::TcpIncoming::from(listener)),
    );
    edu24_shared::grpc::channel(&format!("http://{addr}")).unwrap()
}

#[tokio::test]
async fn every_teaching_and_grading_call_travels_both_ways_unchanged() {
    let stand_in = Arc::new(StandIn::default());
    let channel = serve(stand_in.clone()).await;
    let client = RecordsClient::new(channel.clone());
    let ctx = CallCtx::with_token("tok");
    let mut expected: Vec<String> = Vec::new();
    let mut expect = |call: String| expected.push(format!("tok {call}"));

    let input = TeacherInput {
        person: PersonInput {
            pin: "22001198012345".into(),
            name: name("Асанов"),
            latin: PersonName { family: "Asanov".into(), given: "Nurlan".into(), patronymic: String::new() },
            birth_date: "1980-01-22".into(),
            sex: "male".into(),
            citizenship: "KG".into(),
            institution_id: "knu".into(),
            confirm_distinct: true,
            ..PersonInput::default()
        },
        department: "Кафедра экономики".into(),
        degree: "candidate".into(),
        title: "docent".into(),
    };
    assert_eq!(client.teacher_create(&ctx, "knu", input.clone()).await.unwrap(), teacher());
    expect(format!("teacher_create knu {input:?}"));
    let teachers = client.teachers(&ctx, "knu").await.unwrap();
    assert_eq!(
        teachers,
        [teacher(), Teacher { id: "t-2".into(), active: false, title: Title::Professor, ..teacher() }]
    );
    expect("teachers knu".into());
    client.account_link(&ctx, "knu", "p-1", Some("acc-7")).await.unwrap();
    expect(format!("account_link knu p-1 {:?}", Some("acc-7")));
    client.account_link(&ctx, "knu", "p-1", None).await.unwrap();
    expect(format!("account_link knu p-1 {:?}", None::<&str>));
    assert_eq!(client.my_space(&ctx).await.unwrap(), my_space());
    expect("my_space".into());

    let input = AssignmentInput {
        institution_id: "knu".into(),
        programme_id: "prog-1".into(),
        intake_year: 2026,
        line_code: "B1.07".into(),
        semester: 1,
        study_group: "ЭК-1-26".into(),
        teacher_id: "t-1".into(),
    };
    assert_eq!(client.assignment_create(&ctx, input.clone()).await.unwrap(), assignment());
    expect(format!("assignment_create {input:?}"));
    for q in [
        AssignmentQuery { institution_id: "knu".into(), ..AssignmentQuery::default() },
        AssignmentQuery {
            institution_id: "knu".into(),
            teacher_id: Some("t-1".into()),
            study_group: Some("ЭК-1-26".into()),
            programme_id: Some("prog-1".into()),
        },
    ] {
        assert_eq!(client.assignments(&ctx, &q).await.unwrap(), [assignment()]);
        expect(format!("assignments {q:?}"));
    }

    assert_eq!(client.sheet_open(&ctx, "as-1", SheetKind::Retake, "2027-01-10").await.unwrap(), sheet());
    expect("sheet_open as-1 retake 2027-01-10".into());
    assert_eq!(client.sheet_get(&ctx, "sh-1").await.unwrap(), sheet());
    expect("sheet_get sh-1".into());
    for q in [
        SheetQuery { institution_id: "knu".into(), limit: 10, ..SheetQuery::default() },
        SheetQuery {
            institution_id: "knu".into(),
            teacher_id: Some("t-1".into()),
            state: Some(SheetState::Submitted),
            assignment_id: Some("as-1".into()),
            limit: 0,
        },
    ] {
        assert_eq!(client.sheets(&ctx, &q).await.unwrap(), [summary()]);
        expect(format!("sheets {q:?}"));
    }
    let entries = vec![
        EntryInput { enrolment_id: "e-1".into(), value: value(Some(0), false, Some(100)) },
        EntryInput { enrolment_id: "e-2".into(), value: value(None, true, None) },
        EntryInput { enrolment_id: "e-3".into(), value: EntryValue::default() },
    ];
    assert_eq!(client.sheet_save(&ctx, "sh-1", 3, entries.clone()).await.unwrap(), sheet());
    expect(format!("sheet_save sh-1 3 {entries:?}"));
    assert_eq!(client.sheet_submit(&ctx, "sh-1", 4).await.unwrap(), sheet());
    expect("sheet_submit sh-1 4".into());
    assert_eq!(client.sheet_return(&ctx, "sh-1", 5, "посещаемость").await.unwrap(), sheet());
    expect("sheet_return sh-1 5 посещаемость".into());
    assert_eq!(client.sheet_close(&ctx, "sh-1", 6, true).await.unwrap(), sheet());
    expect("sheet_close sh-1 6 true".into());
    let input = CorrectionInput {
        sheet_id: "sh-1".into(),
        enrolment_id: "e-1".into(),
        after: value(Some(91), false, Some(0)),
        reason: "ошибка при вводе".into(),
    };
    assert_eq!(client.correction_request(&ctx, input.clone()).await.unwrap(), sheet());
    expect(format!("correction_request {input:?}"));
    assert_eq!(client.correction_decide(&ctx, "c-1", false, "нет оснований").await.unwrap(), sheet());
    expect("correction_decide c-1 false нет оснований".into());

    assert_eq!(client.transcript(&ctx, "e-1").await.unwrap(), transcript(Some(367)));
    expect("transcript e-1".into());
    assert_eq!(client.transcript(&ctx, "e-new").await.unwrap(), transcript(None));
    expect("transcript e-new".into());
    assert_eq!(client.term_grades(&ctx, "e-1", 3).await.unwrap(), [line(Some(91)), line(None)]);
    expect("term_grades e-1 3".into());
    let q = RankQuery { institution_id: "knu".into(), programme_id: Some("prog-1".into()), page: 2, per_page: 20 };
    assert_eq!(client.ranking(&ctx, &q).await.unwrap(), rank_page());
    expect(format!("ranking {q:?}"));
    assert_eq!(client.scale(&ctx, "knu").await.unwrap(), Scale::default());
    expect("scale knu".into());
    assert_eq!(client.scale_set(&ctx, "knu", scale()).await.unwrap(), scale());
    expect(format!("scale_set knu {:?}", scale()));
    assert_eq!(client.log_check(&ctx, "knu").await.unwrap(), log_check());
    expect("log_check knu".into());

    // An error comes back with its code and reason.
    let e = client.sheet_get(&ctx, "missing").await.unwrap_err();
    assert_eq!((e.code, e.reason.as_deref()), (ErrorCode::NotFound, Some("sheet_unknown")));
    expect("sheet_get missing".into());

    assert_eq!(*stand_in.calls.lock().unwrap(), expected);

    // A code the server does not know is refused before the service is asked.
    let mut raw = pb::records_client::RecordsClient::new(channel);
    let bad = [
        raw.open_sheet(pb::OpenSheetRequest { assignment_id: "as-1".into(), kind: "makeup".into(), as_of: "".into() })
            .await
            .unwrap_err(),
        raw.list_sheets(pb::SheetQuery { institution_id: "knu".into(), state: "open".into(), ..Default::default() })
            .await
            .unwrap_err(),
        raw.set_scale(pb::SetScaleRequest { institution_id: "knu".into(), scale: None }).await.unwrap_err(),
    ];
    let fields: Vec<_> = bad
        .into_iter()
        .map(|s| {
            let e = edu24_shared::grpc::error_from(s);
            assert_eq!(e.code, ErrorCode::InvalidArgument);
            e.field.unwrap_or_default()
        })
        .collect();
    assert_eq!(fields, ["kind", "state", "scale"]);
    assert_eq!(stand_in.calls.lock().unwrap().len(), expected.len());
}

//! gRPC adapters of records: the tonic server over any [`RecordsApi`], and the client that
//! implements [`RecordsApi`] over the network. Conversions only.

use std::sync::Arc;

use async_trait::async_trait;
use edu24_proto::common::v1::LocalizedText;
use edu24_proto::records::v1 as pb;
use edu24_proto::records::v1::records_client::RecordsClient as PbClient;
use edu24_proto::records::v1::records_server::{Records, RecordsServer};
use edu24_shared::auth::CallCtx;
use edu24_shared::error::{ApiError, ApiResult};
use edu24_shared::grpc::{ctx_from, error_from, request, status_from};
use edu24_shared::names::Localized;
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

// ----- teaching and grading: domain <-> proto

fn text(l: &Localized) -> Option<LocalizedText> {
    Some(LocalizedText { ky: l.ky.clone(), ru: l.ru.clone(), en: l.en.clone() })
}

fn loc(t: Option<LocalizedText>) -> Localized {
    t.map(|t| Localized { ky: t.ky, ru: t.ru, en: t.en }).unwrap_or_default()
}

fn teacher_pb(t: &Teacher) -> pb::Teacher {
    pb::Teacher {
        id: t.id.clone(),
        person_id: t.person_id.clone(),
        institution_id: t.institution_id.clone(),
        name: name_pb(&t.name),
        department: t.department.clone(),
        degree: t.degree.as_str().into(),
        title: t.title.as_str().into(),
        active: t.active,
        created_at_ms: t.created_at_ms,
        version: t.version,
    }
}

fn teacher_from(t: pb::Teacher) -> ApiResult<Teacher> {
    Ok(Teacher {
        degree: Degree::parse(&t.degree).ok_or_else(|| bad("degree"))?,
        title: Title::parse(&t.title).ok_or_else(|| bad("title"))?,
        id: t.id,
        person_id: t.person_id,
        institution_id: t.institution_id,
        name: name_from(t.name),
        department: t.department,
        active: t.active,
        created_at_ms: t.created_at_ms,
        version: t.version,
    })
}

fn teacher_input_pb(t: &TeacherInput) -> pb::TeacherInput {
    pb::TeacherInput {
        person: Some(person_input_pb(&t.person)),
        department: t.department.clone(),
        degree: t.degree.clone(),
        title: t.title.clone(),
    }
}

fn teacher_input_from(t: pb::TeacherInput) -> TeacherInput {
    TeacherInput {
        person: t.person.map(person_input_from).unwrap_or_default(),
        department: t.department,
        degree: t.degree,
        title: t.title,
    }
}

fn my_space_pb(m: &MySpace) -> pb::MySpace {
    pb::MySpace { file: m.file.as_ref().map(file_pb), teaching: m.teaching.iter().map(teacher_pb).collect() }
}

fn my_space_from(m: pb::MySpace) -> ApiResult<MySpace> {
    Ok(MySpace {
        file: m.file.map(file_from).transpose()?,
        teaching: m.teaching.into_iter().map(teacher_from).collect::<ApiResult<_>>()?,
    })
}

fn assignment_pb(a: &Assignment) -> pb::Assignment {
    pb::Assignment {
        id: a.id.clone(),
        institution_id: a.institution_id.clone(),
        programme_id: a.programme_id.clone(),
        intake_year: a.intake_year,
        curriculum_id: a.curriculum_id.clone(),
        curriculum_version: a.curriculum_version,
        line_code: a.line_code.clone(),
        course: text(&a.course),
        credits_tenths: a.credits_tenths,
        assessment: a.assessment.clone(),
        semester: a.semester,
        study_group: a.study_group.clone(),
        teacher_id: a.teacher_id.clone(),
        teacher_name: name_pb(&a.teacher_name),
        created_at_ms: a.created_at_ms,
    }
}

fn assignment_from(a: pb::Assignment) -> Assignment {
    Assignment {
        id: a.id,
        institution_id: a.institution_id,
        programme_id: a.programme_id,
        intake_year: a.intake_year,
        curriculum_id: a.curriculum_id,
        curriculum_version: a.curriculum_version,
        line_code: a.line_code,
        course: loc(a.course),
        credits_tenths: a.credits_tenths,
        assessment: a.assessment,
        semester: a.semester,
        study_group: a.study_group,
        teacher_id: a.teacher_id,
        teacher_name: name_from(a.teacher_name),
        created_at_ms: a.created_at_ms,
    }
}

/// The assignment a sheet (or its summary) carries; an answer without it is broken.
fn assignment_need(a: Option<pb::Assignment>) -> ApiResult<Assignment> {
    a.map(assignment_from).ok_or_else(ApiError::internal)
}

fn assignment_input_pb(a: &AssignmentInput) -> pb::AssignmentInput {
    pb::AssignmentInput {
        institution_id: a.institution_id.clone(),
        programme_id: a.programme_id.clone(),
        intake_year: a.intake_year,
        line_code: a.line_code.clone(),
        semester: a.semester,
        study_group: a.study_group.clone(),
        teacher_id: a.teacher_id.clone(),
    }
}

fn assignment_input_from(a: pb::AssignmentInput) -> AssignmentInput {
    AssignmentInput {
        institution_id: a.institution_id,
        programme_id: a.programme_id,
        intake_year: a.intake_year,
        line_code: a.line_code,
        semester: a.semester,
        study_group: a.study_group,
        teacher_id: a.teacher_id,
    }
}

fn assignment_query_pb(q: &AssignmentQuery) -> pb::AssignmentQuery {
    pb::AssignmentQuery {
        institution_id: q.institution_id.clone(),
        teacher_id: q.teacher_id.clone().unwrap_or_default(),
        study_group: q.study_group.clone().unwrap_or_default(),
        programme_id: q.programme_id.clone().unwrap_or_default(),
    }
}

fn assignment_query_from(q: pb::AssignmentQuery) -> AssignmentQuery {
    AssignmentQuery {
        institution_id: q.institution_id,
        teacher_id: opt(q.teacher_id),
        study_group: opt(q.study_group),
        programme_id: opt(q.programme_id),
    }
}

fn grade_pb(g: &Grade) -> pb::Grade {
    pb::Grade { score: g.score, letter: g.letter.clone(), five: g.five, points: g.points, passed: g.passed }
}

fn grade_from(g: pb::Grade) -> Grade {
    Grade { score: g.score, letter: g.letter, five: g.five, points: g.points, passed: g.passed }
}

fn scale_pb(s: &Scale) -> pb::Scale {
    pb::Scale {
        bands: s
            .bands
            .iter()
            .map(|b| pb::ScaleBand { min_score: b.min_score, letter: b.letter.clone(), five: b.five, points: b.points })
            .collect(),
        pass_score: s.pass_score,
        credit_tests_in_gpa: s.credit_tests_in_gpa,
    }
}

fn scale_from(s: pb::Scale) -> Scale {
    Scale {
        bands: s
            .bands
            .into_iter()
            .map(|b| ScaleBand { min_score: b.min_score, letter: b.letter, five: b.five, points: b.points })
            .collect(),
        pass_score: s.pass_score,
        credit_tests_in_gpa: s.credit_tests_in_gpa,
    }
}

fn value_pb(v: &EntryValue) -> Option<pb::EntryValue> {
    Some(pb::EntryValue { score: v.score, absent: v.absent, attendance: v.attendance })
}

/// A value; a missing one is the empty value (no score, present, no attendance).
fn value_from(v: Option<pb::EntryValue>) -> EntryValue {
    v.map(|v| EntryValue { score: v.score, absent: v.absent, attendance: v.attendance }).unwrap_or_default()
}

fn entry_pb(e: &SheetEntry) -> pb::SheetEntry {
    pb::SheetEntry {
        enrolment_id: e.enrolment_id.clone(),
        person_id: e.person_id.clone(),
        name: name_pb(&e.name),
        student_ticket: e.student_ticket.clone(),
        position: e.position,
        value: value_pb(&e.value),
        grade: e.grade.as_ref().map(grade_pb),
        effective: value_pb(&e.effective),
        effective_grade: e.effective_grade.as_ref().map(grade_pb),
        flags: e.flags.clone(),
    }
}

fn entry_from(e: pb::SheetEntry) -> SheetEntry {
    SheetEntry {
        enrolment_id: e.enrolment_id,
        person_id: e.person_id,
        name: name_from(e.name),
        student_ticket: e.student_ticket,
        position: e.position,
        value: value_from(e.value),
        grade: e.grade.map(grade_from),
        effective: value_from(e.effective),
        effective_grade: e.effective_grade.map(grade_from),
        flags: e.flags,
    }
}

fn correction_pb(c: &Correction) -> pb::Correction {
    pb::Correction {
        id: c.id.clone(),
        sheet_id: c.sheet_id.clone(),
        enrolment_id: c.enrolment_id.clone(),
        before: value_pb(&c.before),
        after: value_pb(&c.after),
        reason: c.reason.clone(),
        requested_by: c.requested_by.clone(),
        requested_at_ms: c.requested_at_ms,
        state: c.state.as_str().into(),
        decided_by: c.decided_by.clone(),
        decided_at_ms: c.decided_at_ms,
        note: c.note.clone(),
    }
}

fn correction_from(c: pb::Correction) -> ApiResult<Correction> {
    Ok(Correction {
        state: CorrectionState::parse(&c.state).ok_or_else(|| bad("state"))?,
        id: c.id,
        sheet_id: c.sheet_id,
        enrolment_id: c.enrolment_id,
        before: value_from(c.before),
        after: value_from(c.after),
        reason: c.reason,
        requested_by: c.requested_by,
        requested_at_ms: c.requested_at_ms,
        decided_by: c.decided_by,
        decided_at_ms: c.decided_at_ms,
        note: c.note,
    })
}

fn sheet_pb(s: &Sheet) -> pb::Sheet {
    pb::Sheet {
        id: s.id.clone(),
        assignment: Some(assignment_pb(&s.assignment)),
        kind: s.kind.as_str().into(),
        as_of: s.as_of.clone(),
        state: s.state.as_str().into(),
        version: s.version,
        entries: s.entries.iter().map(entry_pb).collect(),
        corrections: s.corrections.iter().map(correction_pb).collect(),
        created_at_ms: s.created_at_ms,
        created_by: s.created_by.clone(),
        submitted_at_ms: s.submitted_at_ms,
        submitted_by: s.submitted_by.clone(),
        closed_at_ms: s.closed_at_ms,
        closed_by: s.closed_by.clone(),
        returned_note: s.returned_note.clone(),
        digest: s.digest.clone(),
    }
}

fn sheet_from(s: pb::Sheet) -> ApiResult<Sheet> {
    Ok(Sheet {
        assignment: assignment_need(s.assignment)?,
        kind: SheetKind::parse(&s.kind).ok_or_else(|| bad("kind"))?,
        state: SheetState::parse(&s.state).ok_or_else(|| bad("state"))?,
        corrections: s.corrections.into_iter().map(correction_from).collect::<ApiResult<_>>()?,
        id: s.id,
        as_of: s.as_of,
        version: s.version,
        entries: s.entries.into_iter().map(entry_from).collect(),
        created_at_ms: s.created_at_ms,
        created_by: s.created_by,
        submitted_at_ms: s.submitted_at_ms,
        submitted_by: s.submitted_by,
        closed_at_ms: s.closed_at_ms,
        closed_by: s.closed_by,
        returned_note: s.returned_note,
        digest: s.digest,
    })
}

fn summary_pb(s: &SheetSummary) -> pb::SheetSummary {
    pb::SheetSummary {
        id: s.id.clone(),
        assignment: Some(assignment_pb(&s.assignment)),
        kind: s.kind.as_str().into(),
        as_of: s.as_of.clone(),
        state: s.state.as_str().into(),
        students: s.students,
        graded: s.graded,
        flagged: s.flagged,
        pending_corrections: s.pending_corrections,
        updated_at_ms: s.updated_at_ms,
    }
}

fn summary_from(s: pb::SheetSummary) -> ApiResult<SheetSummary> {
    Ok(SheetSummary {
        assignment: assignment_need(s.assignment)?,
        kind: SheetKind::parse(&s.kind).ok_or_else(|| bad("kind"))?,
        state: SheetState::parse(&s.state).ok_or_else(|| bad("state"))?,
        id: s.id,
        as_of: s.as_of,
        students: s.students,
        graded: s.graded,
        flagged: s.flagged,
        pending_corrections: s.pending_corrections,
        updated_at_ms: s.updated_at_ms,
    })
}

fn sheet_query_pb(q: &SheetQuery) -> pb::SheetQuery {
    pb::SheetQuery {
        institution_id: q.institution_id.clone(),
        teacher_id: q.teacher_id.clone().unwrap_or_default(),
        state: q.state.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        assignment_id: q.assignment_id.clone().unwrap_or_default(),
        limit: q.limit,
    }
}

fn sheet_query_from(q: pb::SheetQuery) -> ApiResult<SheetQuery> {
    Ok(SheetQuery {
        state: if q.state.is_empty() { None } else { Some(SheetState::parse(&q.state).ok_or_else(|| bad("state"))?) },
        institution_id: q.institution_id,
        teacher_id: opt(q.teacher_id),
        assignment_id: opt(q.assignment_id),
        limit: q.limit,
    })
}

fn entry_input_pb(e: &EntryInput) -> pb::EntryInput {
    pb::EntryInput { enrolment_id: e.enrolment_id.clone(), value: value_pb(&e.value) }
}

fn entry_input_from(e: pb::EntryInput) -> EntryInput {
    EntryInput { enrolment_id: e.enrolment_id, value: value_from(e.value) }
}

fn correction_input_pb(c: &CorrectionInput) -> pb::CorrectionInput {
    pb::CorrectionInput {
        sheet_id: c.sheet_id.clone(),
        enrolment_id: c.enrolment_id.clone(),
        after: value_pb(&c.after),
        reason: c.reason.clone(),
    }
}

fn correction_input_from(c: pb::CorrectionInput) -> CorrectionInput {
    CorrectionInput { sheet_id: c.sheet_id, enrolment_id: c.enrolment_id, after: value_from(c.after), reason: c.reason }
}

fn line_pb(l: &TranscriptLine) -> pb::TranscriptLine {
    pb::TranscriptLine {
        semester: l.semester,
        line_code: l.line_code.clone(),
        course: text(&l.course),
        credits_tenths: l.credits_tenths,
        assessment: l.assessment.clone(),
        value: value_pb(&l.value),
        grade: l.grade.as_ref().map(grade_pb),
        sheet_id: l.sheet_id.clone(),
        closed_at_ms: l.closed_at_ms,
        corrected: l.corrected,
        in_gpa: l.in_gpa,
    }
}

fn line_from(l: pb::TranscriptLine) -> TranscriptLine {
    TranscriptLine {
        semester: l.semester,
        line_code: l.line_code,
        course: loc(l.course),
        credits_tenths: l.credits_tenths,
        assessment: l.assessment,
        value: value_from(l.value),
        grade: l.grade.map(grade_from),
        sheet_id: l.sheet_id,
        closed_at_ms: l.closed_at_ms,
        corrected: l.corrected,
        in_gpa: l.in_gpa,
    }
}

fn transcript_pb(t: &Transcript) -> pb::Transcript {
    pb::Transcript {
        enrolment: Some(enrolment_pb(&t.enrolment)),
        name: name_pb(&t.name),
        lines: t.lines.iter().map(line_pb).collect(),
        gpa: t.gpa,
        credits_earned_tenths: t.credits_earned_tenths,
        credits_attempted_tenths: t.credits_attempted_tenths,
        credits_required_tenths: t.credits_required_tenths,
        curriculum_id: t.curriculum_id.clone(),
        open_corrections: t.open_corrections,
    }
}

fn transcript_from(t: pb::Transcript) -> ApiResult<Transcript> {
    Ok(Transcript {
        enrolment: enrolment_from(t.enrolment.ok_or_else(ApiError::internal)?)?,
        name: name_from(t.name),
        lines: t.lines.into_iter().map(line_from).collect(),
        gpa: t.gpa,
        credits_earned_tenths: t.credits_earned_tenths,
        credits_attempted_tenths: t.credits_attempted_tenths,
        credits_required_tenths: t.credits_required_tenths,
        curriculum_id: t.curriculum_id,
        open_corrections: t.open_corrections,
    })
}

fn rank_row_pb(r: &RankRow) -> pb::RankRow {
    pb::RankRow {
        rank: r.rank,
        enrolment_id: r.enrolment_id.clone(),
        person_id: r.person_id.clone(),
        name: name_pb(&r.name),
        programme_id: r.programme_id.clone(),
        study_group: r.study_group.clone(),
        gpa: r.gpa,
        credits_earned_tenths: r.credits_earned_tenths,
    }
}

fn rank_row_from(r: pb::RankRow) -> RankRow {
    RankRow {
        rank: r.rank,
        enrolment_id: r.enrolment_id,
        person_id: r.person_id,
        name: name_from(r.name),
        programme_id: r.programme_id,
        study_group: r.study_group,
        gpa: r.gpa,
        credits_earned_tenths: r.credits_earned_tenths,
    }
}

fn rank_query_pb(q: &RankQuery) -> pb::RankQuery {
    pb::RankQuery {
        institution_id: q.institution_id.clone(),
        programme_id: q.programme_id.clone().unwrap_or_default(),
        page: q.page,
        per_page: q.per_page,
    }
}

fn rank_query_from(q: pb::RankQuery) -> RankQuery {
    RankQuery {
        institution_id: q.institution_id,
        programme_id: opt(q.programme_id),
        page: q.page,
        per_page: q.per_page,
    }
}

fn log_check_pb(c: &LogCheck) -> pb::LogCheck {
    pb::LogCheck { records: c.records, first_broken: c.first_broken, unexplained: c.unexplained.clone() }
}

fn log_check_from(c: pb::LogCheck) -> LogCheck {
    LogCheck { records: c.records, first_broken: c.first_broken, unexplained: c.unexplained }
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

    async fn create_teacher(&self, req: Request<pb::CreateTeacherRequest>) -> Answer<pb::Teacher> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        let input = teacher_input_from(r.input.unwrap_or_default());
        answer(self.inner.teacher_create(&ctx, &r.institution_id, input).await, |t| teacher_pb(&t))
    }

    async fn list_teachers(&self, req: Request<pb::ListTeachersRequest>) -> Answer<pb::TeacherList> {
        let ctx = ctx_from(&req);
        answer(self.inner.teachers(&ctx, &req.into_inner().institution_id).await, |v| pb::TeacherList {
            teachers: v.iter().map(teacher_pb).collect(),
        })
    }

    async fn link_account(&self, req: Request<pb::LinkAccountRequest>) -> Answer<pb::Empty> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        let account_id = opt(r.account_id);
        answer(self.inner.account_link(&ctx, &r.institution_id, &r.person_id, account_id.as_deref()).await, |()| {
            pb::Empty {}
        })
    }

    async fn get_my_space(&self, req: Request<pb::Empty>) -> Answer<pb::MySpace> {
        let ctx = ctx_from(&req);
        answer(self.inner.my_space(&ctx).await, |m| my_space_pb(&m))
    }

    async fn create_assignment(&self, req: Request<pb::AssignmentInput>) -> Answer<pb::Assignment> {
        let ctx = ctx_from(&req);
        answer(self.inner.assignment_create(&ctx, assignment_input_from(req.into_inner())).await, |a| assignment_pb(&a))
    }

    async fn list_assignments(&self, req: Request<pb::AssignmentQuery>) -> Answer<pb::AssignmentList> {
        let ctx = ctx_from(&req);
        let q = assignment_query_from(req.into_inner());
        answer(self.inner.assignments(&ctx, &q).await, |v| pb::AssignmentList {
            assignments: v.iter().map(assignment_pb).collect(),
        })
    }

    async fn open_sheet(&self, req: Request<pb::OpenSheetRequest>) -> Answer<pb::Sheet> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        let kind = SheetKind::parse(&r.kind).ok_or_else(|| status_from(bad("kind")))?;
        answer(self.inner.sheet_open(&ctx, &r.assignment_id, kind, &r.as_of).await, |s| sheet_pb(&s))
    }

    async fn get_sheet(&self, req: Request<pb::GetSheetRequest>) -> Answer<pb::Sheet> {
        let ctx = ctx_from(&req);
        answer(self.inner.sheet_get(&ctx, &req.into_inner().id).await, |s| sheet_pb(&s))
    }

    async fn list_sheets(&self, req: Request<pb::SheetQuery>) -> Answer<pb::SheetList> {
        let ctx = ctx_from(&req);
        let q = sheet_query_from(req.into_inner()).map_err(status_from)?;
        answer(self.inner.sheets(&ctx, &q).await, |v| pb::SheetList { sheets: v.iter().map(summary_pb).collect() })
    }

    async fn save_sheet(&self, req: Request<pb::SaveSheetRequest>) -> Answer<pb::Sheet> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        let entries = r.entries.into_iter().map(entry_input_from).collect();
        answer(self.inner.sheet_save(&ctx, &r.id, r.version, entries).await, |s| sheet_pb(&s))
    }

    async fn submit_sheet(&self, req: Request<pb::SubmitSheetRequest>) -> Answer<pb::Sheet> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        answer(self.inner.sheet_submit(&ctx, &r.id, r.version).await, |s| sheet_pb(&s))
    }

    async fn return_sheet(&self, req: Request<pb::ReturnSheetRequest>) -> Answer<pb::Sheet> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        answer(self.inner.sheet_return(&ctx, &r.id, r.version, &r.note).await, |s| sheet_pb(&s))
    }

    async fn close_sheet(&self, req: Request<pb::CloseSheetRequest>) -> Answer<pb::Sheet> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        answer(self.inner.sheet_close(&ctx, &r.id, r.version, r.confirm_flags).await, |s| sheet_pb(&s))
    }

    async fn request_correction(&self, req: Request<pb::CorrectionInput>) -> Answer<pb::Sheet> {
        let ctx = ctx_from(&req);
        answer(self.inner.correction_request(&ctx, correction_input_from(req.into_inner())).await, |s| sheet_pb(&s))
    }

    async fn decide_correction(&self, req: Request<pb::DecideCorrectionRequest>) -> Answer<pb::Sheet> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        answer(self.inner.correction_decide(&ctx, &r.id, r.approve, &r.note).await, |s| sheet_pb(&s))
    }

    async fn get_transcript(&self, req: Request<pb::GetTranscriptRequest>) -> Answer<pb::Transcript> {
        let ctx = ctx_from(&req);
        answer(self.inner.transcript(&ctx, &req.into_inner().enrolment_id).await, |t| transcript_pb(&t))
    }

    async fn term_grades(&self, req: Request<pb::TermGradesRequest>) -> Answer<pb::TranscriptLineList> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        answer(self.inner.term_grades(&ctx, &r.enrolment_id, r.semester).await, |v| pb::TranscriptLineList {
            lines: v.iter().map(line_pb).collect(),
        })
    }

    async fn ranking(&self, req: Request<pb::RankQuery>) -> Answer<pb::RankPage> {
        let ctx = ctx_from(&req);
        let q = rank_query_from(req.into_inner());
        answer(self.inner.ranking(&ctx, &q).await, |p| pb::RankPage {
            items: p.items.iter().map(rank_row_pb).collect(),
            total: p.total,
        })
    }

    async fn get_scale(&self, req: Request<pb::GetScaleRequest>) -> Answer<pb::Scale> {
        let ctx = ctx_from(&req);
        answer(self.inner.scale(&ctx, &req.into_inner().institution_id).await, |s| scale_pb(&s))
    }

    async fn set_scale(&self, req: Request<pb::SetScaleRequest>) -> Answer<pb::Scale> {
        let ctx = ctx_from(&req);
        let r = req.into_inner();
        let scale = r.scale.map(scale_from).ok_or_else(|| status_from(ApiError::invalid("scale", "give the scale")))?;
        answer(self.inner.scale_set(&ctx, &r.institution_id, scale).await, |s| scale_pb(&s))
    }

    async fn check_log(&self, req: Request<pb::CheckLogRequest>) -> Answer<pb::LogCheck> {
        let ctx = ctx_from(&req);
        answer(self.inner.log_check(&ctx, &req.into_inner().institution_id).await, |c| log_check_pb(&c))
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

    async fn teacher_create(&self, ctx: &CallCtx, institution_id: &str, input: TeacherInput) -> ApiResult<Teacher> {
        let msg = pb::CreateTeacherRequest {
            institution_id: institution_id.to_owned(),
            input: Some(teacher_input_pb(&input)),
        };
        let r = self.client.clone().create_teacher(request(msg, ctx)).await;
        teacher_from(r.map_err(error_from)?.into_inner())
    }

    async fn teachers(&self, ctx: &CallCtx, institution_id: &str) -> ApiResult<Vec<Teacher>> {
        let msg = pb::ListTeachersRequest { institution_id: institution_id.to_owned() };
        let r = self.client.clone().list_teachers(request(msg, ctx)).await.map_err(error_from)?.into_inner();
        r.teachers.into_iter().map(teacher_from).collect()
    }

    async fn account_link(
        &self,
        ctx: &CallCtx,
        institution_id: &str,
        person_id: &str,
        account_id: Option<&str>,
    ) -> ApiResult<()> {
        let msg = pb::LinkAccountRequest {
            institution_id: institution_id.to_owned(),
            person_id: person_id.to_owned(),
            account_id: account_id.unwrap_or_default().to_owned(),
        };
        self.client.clone().link_account(request(msg, ctx)).await.map_err(error_from)?;
        Ok(())
    }

    async fn my_space(&self, ctx: &CallCtx) -> ApiResult<MySpace> {
        let r = self.client.clone().get_my_space(request(pb::Empty {}, ctx)).await;
        my_space_from(r.map_err(error_from)?.into_inner())
    }

    async fn assignment_create(&self, ctx: &CallCtx, input: AssignmentInput) -> ApiResult<Assignment> {
        let r = self.client.clone().create_assignment(request(assignment_input_pb(&input), ctx)).await;
        Ok(assignment_from(r.map_err(error_from)?.into_inner()))
    }

    async fn assignments(&self, ctx: &CallCtx, query: &AssignmentQuery) -> ApiResult<Vec<Assignment>> {
        let r = self.client.clone().list_assignments(request(assignment_query_pb(query), ctx)).await;
        Ok(r.map_err(error_from)?.into_inner().assignments.into_iter().map(assignment_from).collect())
    }

    async fn sheet_open(&self, ctx: &CallCtx, assignment_id: &str, kind: SheetKind, as_of: &str) -> ApiResult<Sheet> {
        let msg = pb::OpenSheetRequest {
            assignment_id: assignment_id.to_owned(),
            kind: kind.as_str().into(),
            as_of: as_of.to_owned(),
        };
        let r = self.client.clone().open_sheet(request(msg, ctx)).await;
        sheet_from(r.map_err(error_from)?.into_inner())
    }

    async fn sheet_get(&self, ctx: &CallCtx, id: &str) -> ApiResult<Sheet> {
        let r = self.client.clone().get_sheet(request(pb::GetSheetRequest { id: id.to_owned() }, ctx)).await;
        sheet_from(r.map_err(error_from)?.into_inner())
    }

    async fn sheets(&self, ctx: &CallCtx, query: &SheetQuery) -> ApiResult<Vec<SheetSummary>> {
        let r = self.client.clone().list_sheets(request(sheet_query_pb(query), ctx)).await;
        r.map_err(error_from)?.into_inner().sheets.into_iter().map(summary_from).collect()
    }

    async fn sheet_save(&self, ctx: &CallCtx, id: &str, version: i64, entries: Vec<EntryInput>) -> ApiResult<Sheet> {
        let msg =
            pb::SaveSheetRequest { id: id.to_owned(), version, entries: entries.iter().map(entry_input_pb).collect() };
        let r = self.client.clone().save_sheet(request(msg, ctx)).await;
        sheet_from(r.map_err(error_from)?.into_inner())
    }

    async fn sheet_submit(&self, ctx: &CallCtx, id: &str, version: i64) -> ApiResult<Sheet> {
        let msg = pb::SubmitSheetRequest { id: id.to_owned(), version };
        let r = self.client.clone().submit_sheet(request(msg, ctx)).await;
        sheet_from(r.map_err(error_from)?.into_inner())
    }

    async fn sheet_return(&self, ctx: &CallCtx, id: &str, version: i64, note: &str) -> ApiResult<Sheet> {
        let msg = pb::ReturnSheetRequest { id: id.to_owned(), version, note: note.to_owned() };
        let r = self.client.clone().return_sheet(request(msg, ctx)).await;
        sheet_from(r.map_err(error_from)?.into_inner())
    }

    async fn sheet_close(&self, ctx: &CallCtx, id: &str, version: i64, confirm_flags: bool) -> ApiResult<Sheet> {
        let msg = pb::CloseSheetRequest { id: id.to_owned(), version, confirm_flags };
        let r = self.client.clone().close_sheet(request(msg, ctx)).await;
        sheet_from(r.map_err(error_from)?.into_inner())
    }

    async fn correction_request(&self, ctx: &CallCtx, input: CorrectionInput) -> ApiResult<Sheet> {
        let r = self.client.clone().request_correction(request(correction_input_pb(&input), ctx)).await;
        sheet_from(r.map_err(error_from)?.into_inner())
    }

    async fn correction_decide(&self, ctx: &CallCtx, id: &str, approve: bool, note: &str) -> ApiResult<Sheet> {
        let msg = pb::DecideCorrectionRequest { id: id.to_owned(), approve, note: note.to_owned() };
        let r = self.client.clone().decide_correction(request(msg, ctx)).await;
        sheet_from(r.map_err(error_from)?.into_inner())
    }

    async fn transcript(&self, ctx: &CallCtx, enrolment_id: &str) -> ApiResult<Transcript> {
        let msg = pb::GetTranscriptRequest { enrolment_id: enrolment_id.to_owned() };
        let r = self.client.clone().get_transcript(request(msg, ctx)).await;
        transcript_from(r.map_err(error_from)?.into_inner())
    }

    async fn term_grades(&self, ctx: &CallCtx, enrolment_id: &str, semester: i32) -> ApiResult<Vec<TranscriptLine>> {
        let msg = pb::TermGradesRequest { enrolment_id: enrolment_id.to_owned(), semester };
        let r = self.client.clone().term_grades(request(msg, ctx)).await.map_err(error_from)?.into_inner();
        Ok(r.lines.into_iter().map(line_from).collect())
    }

    async fn ranking(&self, ctx: &CallCtx, query: &RankQuery) -> ApiResult<Page<RankRow>> {
        let r = self.client.clone().ranking(request(rank_query_pb(query), ctx)).await.map_err(error_from)?.into_inner();
        Ok(Page { items: r.items.into_iter().map(rank_row_from).collect(), total: r.total })
    }

    async fn scale(&self, ctx: &CallCtx, institution_id: &str) -> ApiResult<Scale> {
        let msg = pb::GetScaleRequest { institution_id: institution_id.to_owned() };
        let r = self.client.clone().get_scale(request(msg, ctx)).await;
        Ok(scale_from(r.map_err(error_from)?.into_inner()))
    }

    async fn scale_set(&self, ctx: &CallCtx, institution_id: &str, scale: Scale) -> ApiResult<Scale> {
        let msg = pb::SetScaleRequest { institution_id: institution_id.to_owned(), scale: Some(scale_pb(&scale)) };
        let r = self.client.clone().set_scale(request(msg, ctx)).await;
        Ok(scale_from(r.map_err(error_from)?.into_inner()))
    }

    async fn log_check(&self, ctx: &CallCtx, institution_id: &str) -> ApiResult<LogCheck> {
        let msg = pb::CheckLogRequest { institution_id: institution_id.to_owned() };
        let r = self.client.clone().check_log(request(msg, ctx)).await;
        Ok(log_check_from(r.map_err(error_from)?.into_inner()))
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

    fn value(score: Option<i32>, absent: bool, attendance: Option<i32>) -> EntryValue {
        EntryValue { score, absent, attendance }
    }

    fn grade(score: i32) -> Grade {
        Scale::default().grade(score)
    }

    fn assignment() -> Assignment {
        Assignment {
            id: "as-1".into(),
            institution_id: "knu".into(),
            programme_id: "prog-1".into(),
            intake_year: 2026,
            curriculum_id: "cur-1".into(),
            curriculum_version: 3,
            line_code: "B1.07".into(),
            course: Localized::new("Математика", "Математика", "Mathematics"),
            credits_tenths: 45,
            assessment: "exam".into(),
            semester: 2,
            study_group: "ЭК-1-26".into(),
            teacher_id: "t-1".into(),
            teacher_name: name("Асанов"),
            created_at_ms: 1_780_000_000_000,
        }
    }

    fn teacher(degree: Degree, title: Title) -> Teacher {
        Teacher {
            id: "t-1".into(),
            person_id: "p-9".into(),
            institution_id: "knu".into(),
            name: name("Асанов"),
            department: "Кафедра экономики".into(),
            degree,
            title,
            active: true,
            created_at_ms: 1_780_000_000_001,
            version: 4,
        }
    }

    fn enrolment() -> Enrolment {
        Enrolment {
            id: "e-1".into(),
            person_id: "p-1".into(),
            institution_id: "knu".into(),
            programme_id: "prog-1".into(),
            specialty_code: "580100".into(),
            level: edu24_shared::names::Level::Bachelor,
            form: "full_time".into(),
            intake_year: 2026,
            study_group: "ЭК-1-26".into(),
            funding: Funding::Contract,
            status: EnrolmentStatus::Active,
            student_ticket: "26-0001".into(),
            licence_id: "lic-1".into(),
            version: 2,
            since: "2026-09-01".into(),
        }
    }

    fn sheet(state: SheetState, kind: SheetKind) -> Sheet {
        Sheet {
            id: "sh-1".into(),
            assignment: assignment(),
            kind,
            as_of: "2027-01-10".into(),
            state,
            version: 7,
            entries: vec![
                SheetEntry {
                    enrolment_id: "e-1".into(),
                    person_id: "p-1".into(),
                    name: name("Иванова"),
                    student_ticket: "26-0001".into(),
                    position: 1,
                    value: value(Some(90), false, None),
                    grade: Some(grade(90)),
                    effective: value(Some(58), false, Some(0)),
                    effective_grade: Some(grade(58)),
                    flags: vec!["no_attendance".into(), "other".into()],
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
                SheetEntry {
                    enrolment_id: "e-3".into(),
                    person_id: "p-3".into(),
                    name: PersonName::default(),
                    student_ticket: "26-0003".into(),
                    position: 3,
                    value: EntryValue::default(),
                    grade: None,
                    effective: EntryValue::default(),
                    effective_grade: None,
                    flags: vec![],
                },
            ],
            corrections: [CorrectionState::Pending, CorrectionState::Approved, CorrectionState::Rejected]
                .into_iter()
                .enumerate()
                .map(|(i, state)| Correction {
                    id: format!("c-{i}"),
                    sheet_id: "sh-1".into(),
                    enrolment_id: "e-1".into(),
                    before: value(Some(90), false, None),
                    after: value(Some(58 + i as i32), false, Some(0)),
                    reason: "ошибка при вводе".into(),
                    requested_by: "acc-1".into(),
                    requested_at_ms: 1_790_000_000_000,
                    state,
                    decided_by: if i == 0 { String::new() } else { "acc-2".into() },
                    decided_at_ms: if i == 0 { 0 } else { 1_790_000_000_500 },
                    note: "ok".into(),
                })
                .collect(),
            created_at_ms: 1,
            created_by: "acc-3".into(),
            submitted_at_ms: 2,
            submitted_by: "acc-3".into(),
            closed_at_ms: 3,
            closed_by: "acc-4".into(),
            returned_note: "исправьте посещаемость".into(),
            digest: "ab".repeat(32),
        }
    }

    fn line(semester: i32, score: Option<i32>, in_gpa: bool) -> TranscriptLine {
        TranscriptLine {
            semester,
            line_code: format!("B1.0{semester}"),
            course: Localized::new("Тарых", "История", ""),
            credits_tenths: 30,
            assessment: if in_gpa { "exam".into() } else { "credit_test".into() },
            value: value(score, score.is_none(), Some(75)),
            grade: score.map(grade),
            sheet_id: "sh-1".into(),
            closed_at_ms: 5,
            corrected: score == Some(61),
            in_gpa,
        }
    }

    #[test]
    fn teachers_and_my_space_round_trip() {
        for degree in Degree::ALL {
            for title in Title::ALL {
                let t = teacher(*degree, *title);
                assert_eq!(teacher_from(wire(teacher_pb(&t))).unwrap(), t);
            }
        }
        let input = TeacherInput {
            person: PersonInput {
                pin: "12345678901234".into(),
                name: name("Асанов"),
                birth_date: "1980-02-03".into(),
                sex: "male".into(),
                citizenship: "KG".into(),
                institution_id: "knu".into(),
                confirm_distinct: true,
                ..PersonInput::default()
            },
            department: "Кафедра".into(),
            degree: "candidate".into(),
            title: "docent".into(),
        };
        assert_eq!(teacher_input_from(wire(teacher_input_pb(&input))), input);
        assert_eq!(teacher_input_from(wire(teacher_input_pb(&TeacherInput::default()))), TeacherInput::default());

        let file = PersonFile {
            person: Person {
                id: "p-1".into(),
                pin: Some("12345678901234".into()),
                pin_exception: String::new(),
                name: name("Иванова"),
                latin: PersonName { family: "Ivanova".into(), given: "Aigul".into(), patronymic: String::new() },
                birth_date: "2008-05-06".into(),
                sex: Sex::Female,
                citizenship: "KG".into(),
                merged_into: None,
                created_at_ms: 9,
                created_by: "acc-1".into(),
                version: 1,
            },
            enrolments: vec![enrolment()],
            orders: vec![],
        };
        for space in [
            MySpace::default(),
            MySpace { file: Some(file.clone()), teaching: vec![] },
            MySpace { file: None, teaching: vec![teacher(Degree::Phd, Title::Professor)] },
            MySpace {
                file: Some(file),
                teaching: vec![teacher(Degree::None, Title::None), teacher(Degree::Doctor, Title::Lecturer)],
            },
        ] {
            assert_eq!(my_space_from(wire(my_space_pb(&space))).unwrap(), space);
        }
    }

    #[test]
    fn assignments_and_their_queries_round_trip() {
        let a = assignment();
        assert_eq!(assignment_from(wire(assignment_pb(&a))), a);
        let blank = Assignment { course: Localized::default(), teacher_name: PersonName::default(), ..a };
        assert_eq!(assignment_from(wire(assignment_pb(&blank))), blank);
        let input = AssignmentInput {
            institution_id: "knu".into(),
            programme_id: "prog-1".into(),
            intake_year: 2026,
            line_code: "B1.07".into(),
            semester: 2,
            study_group: "ЭК-1-26".into(),
            teacher_id: "t-1".into(),
        };
        assert_eq!(assignment_input_from(wire(assignment_input_pb(&input))), input);
        for q in [
            AssignmentQuery { institution_id: "knu".into(), ..AssignmentQuery::default() },
            AssignmentQuery {
                institution_id: "knu".into(),
                teacher_id: Some("t-1".into()),
                study_group: Some("ЭК-1-26".into()),
                programme_id: Some("prog-1".into()),
            },
        ] {
            assert_eq!(assignment_query_from(wire(assignment_query_pb(&q))), q);
        }
    }

    #[test]
    fn sheets_with_entries_flags_and_corrections_round_trip() {
        for state in SheetState::ALL {
            for kind in SheetKind::ALL {
                let s = sheet(*state, *kind);
                assert_eq!(sheet_from(wire(sheet_pb(&s))).unwrap(), s);
                let summary = SheetSummary {
                    id: s.id.clone(),
                    assignment: s.assignment.clone(),
                    kind: *kind,
                    as_of: s.as_of.clone(),
                    state: *state,
                    students: 25,
                    graded: 20,
                    flagged: 3,
                    pending_corrections: 1,
                    updated_at_ms: 11,
                };
                assert_eq!(summary_from(wire(summary_pb(&summary))).unwrap(), summary);
                let q = SheetQuery {
                    institution_id: "knu".into(),
                    teacher_id: Some("t-1".into()),
                    state: Some(*state),
                    assignment_id: Some("as-1".into()),
                    limit: 50,
                };
                assert_eq!(sheet_query_from(wire(sheet_query_pb(&q))).unwrap(), q);
            }
        }
        let q = SheetQuery { institution_id: "knu".into(), ..SheetQuery::default() };
        assert_eq!(sheet_query_from(wire(sheet_query_pb(&q))).unwrap(), q);

        // Every combination of a score and attendance, present and absent, survives.
        for score in [None, Some(0), Some(100)] {
            for absent in [false, true] {
                for attendance in [None, Some(0), Some(55)] {
                    let v = value(score, absent, attendance);
                    let e = EntryInput { enrolment_id: "e-1".into(), value: v.clone() };
                    assert_eq!(entry_input_from(wire(entry_input_pb(&e))), e);
                    let c = CorrectionInput {
                        sheet_id: "sh-1".into(),
                        enrolment_id: "e-1".into(),
                        after: v,
                        reason: "ошибка".into(),
                    };
                    assert_eq!(correction_input_from(wire(correction_input_pb(&c))), c);
                }
            }
        }
    }

    #[test]
    fn transcripts_rankings_scales_and_log_checks_round_trip() {
        let lines = vec![line(1, Some(97), true), line(1, Some(61), false), line(2, None, true)];
        for gpa in [None, Some(0), Some(333)] {
            let t = Transcript {
                enrolment: enrolment(),
                name: name("Иванова"),
                lines: if gpa.is_none() { vec![] } else { lines.clone() },
                gpa,
                credits_earned_tenths: 60,
                credits_attempted_tenths: 90,
                credits_required_tenths: 2400,
                curriculum_id: "cur-1".into(),
                open_corrections: 2,
            };
            assert_eq!(transcript_from(wire(transcript_pb(&t))).unwrap(), t);
        }
        for l in &lines {
            assert_eq!(&line_from(wire(line_pb(l))), l);
        }

        let row = RankRow {
            rank: 3,
            enrolment_id: "e-1".into(),
            person_id: "p-1".into(),
            name: name("Иванова"),
            programme_id: "prog-1".into(),
            study_group: "ЭК-1-26".into(),
            gpa: 367,
            credits_earned_tenths: 600,
        };
        assert_eq!(rank_row_from(wire(rank_row_pb(&row))), row);
        for q in [
            RankQuery { institution_id: "knu".into(), programme_id: None, page: 1, per_page: 20 },
            RankQuery { institution_id: "knu".into(), programme_id: Some("prog-1".into()), page: 2, per_page: 50 },
        ] {
            assert_eq!(rank_query_from(wire(rank_query_pb(&q))), q);
        }

        let custom = Scale {
            bands: vec![
                ScaleBand { min_score: 90, letter: "A".into(), five: 5, points: 400 },
                ScaleBand { min_score: 0, letter: "F".into(), five: 2, points: 0 },
            ],
            pass_score: 55,
            credit_tests_in_gpa: true,
        };
        for s in [Scale::default(), custom] {
            assert_eq!(scale_from(wire(scale_pb(&s))), s);
        }
        for g in [grade(100), grade(59), grade(0)] {
            assert_eq!(grade_from(wire(grade_pb(&g))), g);
        }

        for c in [
            LogCheck::default(),
            LogCheck { records: 120, first_broken: Some(0), unexplained: vec![] },
            LogCheck { records: 120, first_broken: Some(57), unexplained: vec!["sh-1/e-1".into(), "sh-2/e-9".into()] },
        ] {
            assert_eq!(log_check_from(wire(log_check_pb(&c))), c);
        }
    }

    #[test]
    fn unknown_codes_and_missing_parts_are_refused() {
        /// The field an unknown code is reported in.
        fn field<T: std::fmt::Debug>(r: ApiResult<T>) -> String {
            let e = r.unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidArgument);
            e.field.unwrap_or_default()
        }
        let mut t = teacher_pb(&teacher(Degree::Phd, Title::Docent));
        t.degree = "academician".into();
        assert_eq!(field(teacher_from(t.clone())), "degree");
        t.degree = "phd".into();
        t.title = String::new();
        assert_eq!(field(teacher_from(t.clone())), "title");
        let space = pb::MySpace { file: None, teaching: vec![t] };
        assert_eq!(field(my_space_from(space)), "title");

        let s = sheet_pb(&sheet(SheetState::Closed, SheetKind::Retake));
        assert_eq!(field(sheet_from(pb::Sheet { kind: "makeup".into(), ..s.clone() })), "kind");
        assert_eq!(field(sheet_from(pb::Sheet { state: "archived".into(), ..s.clone() })), "state");
        let mut broken = s.clone();
        broken.corrections[1].state = "maybe".into();
        assert_eq!(field(sheet_from(broken)), "state");
        assert_eq!(sheet_from(pb::Sheet { assignment: None, ..s }).unwrap_err().code, ErrorCode::Internal);

        let summary = pb::SheetSummary { state: "draft".into(), kind: "extra".into(), ..pb::SheetSummary::default() };
        assert_eq!(sheet_from(pb::Sheet::default()).unwrap_err().code, ErrorCode::Internal);
        assert_eq!(
            field(summary_from(pb::SheetSummary { assignment: Some(assignment_pb(&assignment())), ..summary })),
            "kind"
        );
        assert_eq!(
            field(sheet_query_from(pb::SheetQuery { state: "open".into(), ..pb::SheetQuery::default() })),
            "state"
        );
        assert_eq!(transcript_from(pb::Transcript::default()).unwrap_err().code, ErrorCode::Internal);
    }
}

//! Teaching and grading use cases (see [`crate::grading`] for the rules). Each write is
//! one transaction with its grade log records and, for results in force, its event.
//!
//! Who may do what:
//! - registrars and admins of the institution record teachers, assign courses, open,
//!   return and close sheets, request and approve corrections (never their own);
//! - the assigned teacher (an account linked to the teacher's person, holding the
//!   teacher role there) opens their sheets, enters scores, submits, requests corrections;
//! - a student reads their own transcript (the account linked to their person);
//! - the ministry reads.

use std::collections::{HashMap, HashSet};

use edu24_shared::auth::{CallCtx, Principal, Role};
use edu24_shared::db::WriteTx;
use edu24_shared::error::{ApiError, ApiResult, ErrorCode};
use edu24_shared::outbox::outbox_add;
use edu24_shared::time::{new_id, now_ms};
use sqlx::Row;

use crate::app::RecordsService;
use crate::domain::*;
use crate::grading::*;
use crate::store_teaching::{self as st, SheetRow};
use crate::{MySpace, events, gradelog, store};

fn conflict(reason: &str, message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::FailedPrecondition, message).with_reason(reason)
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

fn parse_date(s: &str) -> Option<time::Date> {
    time::Date::parse(s.trim(), time::macros::format_description!("[year]-[month]-[day]")).ok()
}

/// Who the caller is to a sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    Staff,
    Teacher,
    Ministry,
}

impl RecordsService {
    fn principal_staffs(p: &Principal, inst: &str) -> bool {
        p.claims
            .roles
            .iter()
            .any(|g| matches!(g.role, Role::Registrar | Role::InstitutionAdmin) && g.inst.as_deref() == Some(inst))
    }

    fn principal_ministry(p: &Principal) -> bool {
        p.has_role(Role::MinistryAdmin) || p.has_role(Role::MinistryAnalyst)
    }

    async fn staff_of(&self, ctx: &CallCtx, inst: &str) -> ApiResult<Principal> {
        let p = self.auth.require(ctx).await?;
        if Self::principal_staffs(&p, inst) {
            return Ok(p);
        }
        Err(ApiError::forbidden())
    }

    /// The caller's teacher record at `inst`: the teacher role there and an account
    /// linked to a teacher of the institution.
    async fn teacher_self(&self, p: &Principal, inst: &str) -> ApiResult<Option<Teacher>> {
        if !p.claims.roles.iter().any(|g| g.role == Role::Teacher && g.inst.as_deref() == Some(inst)) {
            return Ok(None);
        }
        let mut c = self.db.pool().acquire().await?;
        let Some(person) = st::person_of_account(&mut c, p.account_id()).await? else { return Ok(None) };
        Ok(st::teacher_of(&mut c, &person, inst).await?.filter(|t| t.active))
    }

    #[allow(clippy::too_many_arguments)]
    async fn log(
        &self,
        tx: &mut WriteTx,
        inst: &str,
        actor: &str,
        action: &str,
        sheet_id: &str,
        enrolment_id: &str,
        detail: &str,
    ) -> Result<(i64, String), sqlx::Error> {
        gradelog::append(tx, &self.seal, inst, now_ms(), actor, action, sheet_id, enrolment_id, detail).await
    }

    // -----------------------------------------------------------------------------
    // Teachers and accounts.

    pub(crate) async fn do_teacher_create(&self, ctx: &CallCtx, inst: &str, input: TeacherInput) -> ApiResult<Teacher> {
        let p = self.staff_of(ctx, inst).await?;
        let (department, degree, title) = input.post()?;
        let mut person_input = input.person.clone();
        person_input.institution_id = inst.to_owned();
        let (citizenship, pin, sex, name, latin) = person_input.validate(today())?;
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        let person = match &pin {
            Some(pin) => store::person_by_pin(&mut tx, pin).await?,
            None => None,
        };
        let person_id = match person {
            Some(existing) if existing.merged_into.is_some() => {
                return Err(conflict("person_merged", "this PIN's record was merged: fix it first"));
            }
            Some(existing) => existing.id,
            None => {
                if !person_input.confirm_distinct {
                    let alike = store::persons_alike(&mut tx, &name, person_input.birth_date.trim()).await?;
                    if let Some(a) = alike.first() {
                        return Err(conflict(
                            "possible_duplicate",
                            format!("a person with these names and birth date is recorded ({})", a.id),
                        ));
                    }
                }
                let person = Person {
                    id: new_id(),
                    pin: pin.clone(),
                    pin_exception: if pin.is_some() {
                        String::new()
                    } else {
                        person_input.pin_exception.trim().to_owned()
                    },
                    name,
                    latin,
                    birth_date: person_input.birth_date.trim().to_owned(),
                    sex,
                    citizenship,
                    merged_into: None,
                    created_at_ms: now,
                    created_by: p.actor(),
                    version: 1,
                };
                store::person_insert(&mut tx, &person, inst).await?;
                person.id
            }
        };
        if st::teacher_of(tx.conn(), &person_id, inst).await?.is_some() {
            return Err(ApiError::new(ErrorCode::AlreadyExists, "this person already teaches here")
                .with_reason("teacher_exists"));
        }
        let id = new_id();
        let t = Teacher {
            id: id.clone(),
            person_id,
            institution_id: inst.to_owned(),
            name: PersonName::default(),
            department,
            degree,
            title,
            active: true,
            created_at_ms: now,
            version: 1,
        };
        st::teacher_insert(&mut tx, &t, &p.actor()).await?;
        self.audit(&mut tx, ctx, &p.actor(), "teacher.create", &id, &json(&t)).await?;
        let t = st::teacher_get(tx.conn(), &id).await?.ok_or_else(ApiError::internal)?;
        tx.commit().await?;
        Ok(t)
    }

    pub(crate) async fn do_teachers(&self, ctx: &CallCtx, inst: &str) -> ApiResult<Vec<Teacher>> {
        let p = self.auth.require(ctx).await?;
        if !(Self::principal_staffs(&p, inst) || Self::principal_ministry(&p)) {
            return Err(ApiError::forbidden());
        }
        Ok(st::teachers(&mut *self.db.pool().acquire().await?, inst).await?)
    }

    /// Links (or, with `None`, unlinks) the account of a person who studies or teaches at
    /// `inst`. One account is one person.
    pub(crate) async fn do_account_link(
        &self,
        ctx: &CallCtx,
        inst: &str,
        person_id: &str,
        account_id: Option<&str>,
    ) -> ApiResult<()> {
        let p = self.staff_of(ctx, inst).await?;
        let mut c = self.db.pool().acquire().await?;
        let studies = store::person_institutions(&self.db, person_id).await?.iter().any(|i| i == inst);
        let teaches = st::teacher_of(&mut c, person_id, inst).await?.is_some();
        drop(c);
        if !(studies || teaches) {
            return Err(ApiError::not_found("person"));
        }
        if let Some(a) = account_id
            && (a.is_empty() || a.len() > 64)
        {
            return Err(ApiError::invalid("account_id", "no such account").with_reason("account_unknown"));
        }
        let mut tx = self.db.begin_write().await?;
        if let Some(a) = account_id
            && let Some(other) = st::person_of_account(tx.conn(), a).await?
            && other != person_id
        {
            return Err(conflict("account_taken", "this account belongs to another person"));
        }
        if !st::person_account_set(&mut tx, person_id, account_id).await? {
            return Err(ApiError::not_found("person"));
        }
        self.audit(&mut tx, ctx, &p.actor(), "person.account", person_id, &json(&account_id)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The caller's own records: their person file (as a student) and teaching posts.
    pub(crate) async fn do_my_space(&self, ctx: &CallCtx) -> ApiResult<MySpace> {
        let p = self.auth.require(ctx).await?;
        let mut c = self.db.pool().acquire().await?;
        let person_id = st::person_of_account(&mut c, p.account_id()).await?;
        let teaching = st::teachers_of_account(&mut c, p.account_id()).await?;
        drop(c);
        let file = match &person_id {
            Some(id) => {
                let person = store::person_get(&self.db, id).await?.ok_or_else(|| ApiError::not_found("person"))?;
                let enrolments = store::enrolments_of(&self.db, id).await?;
                let orders = store::orders_of(&self.db, id).await?;
                Some(PersonFile { person, enrolments, orders })
            }
            None => None,
        };
        Ok(MySpace { file, teaching })
    }

    // -----------------------------------------------------------------------------
    // Assignments.

    pub(crate) async fn do_assignment_create(&self, ctx: &CallCtx, input: AssignmentInput) -> ApiResult<Assignment> {
        let inst = input.institution_id.as_str();
        let p = self.staff_of(ctx, inst).await?;
        let group = input.study_group.trim();
        if !is_group(group) {
            return Err(ApiError::invalid("study_group", "name the study group (at most 24 letters, digits, - / .)")
                .with_reason("group_format"));
        }
        let req = self
            .curriculum
            .requirements(&CallCtx::anonymous(), &input.programme_id, input.intake_year, None)
            .await
            .map_err(|e| {
                if e.code == ErrorCode::NotFound {
                    conflict("curriculum_missing", "no approved curriculum for this programme and intake year")
                } else {
                    e
                }
            })?;
        if req.institution_id != inst {
            return Err(ApiError::invalid("programme_id", "the programme is another institution's")
                .with_reason("programme_other_institution"));
        }
        let code = input.line_code.trim();
        let Some(line) = req.lines.iter().find(|l| l.line.code == code && l.line.semester == input.semester) else {
            return Err(ApiError::invalid("line_code", "the curriculum has no such course in this semester")
                .with_reason("line_unknown"));
        };
        let mut c = self.db.pool().acquire().await?;
        let teacher =
            st::teacher_get(&mut c, &input.teacher_id).await?.filter(|t| t.institution_id == inst && t.active);
        drop(c);
        let Some(teacher) = teacher else {
            return Err(
                ApiError::invalid("teacher_id", "choose a teacher of the institution").with_reason("teacher_unknown")
            );
        };
        let a = Assignment {
            id: new_id(),
            institution_id: inst.to_owned(),
            programme_id: input.programme_id.clone(),
            intake_year: input.intake_year,
            curriculum_id: req.curriculum_id.clone(),
            curriculum_version: req.version,
            line_code: code.to_owned(),
            course: line.line.name.clone(),
            credits_tenths: line.line.credits_tenths,
            assessment: line.line.assessment.as_str().to_owned(),
            semester: input.semester,
            study_group: group.to_owned(),
            teacher_id: teacher.id.clone(),
            teacher_name: teacher.name.clone(),
            created_at_ms: now_ms(),
        };
        let mut tx = self.db.begin_write().await?;
        if !st::assignment_insert(&mut tx, &a, &p.actor()).await? {
            return Err(ApiError::new(ErrorCode::AlreadyExists, "this course is already assigned for this group")
                .with_reason("assignment_exists"));
        }
        self.audit(&mut tx, ctx, &p.actor(), "assignment.create", &a.id, &json(&a)).await?;
        tx.commit().await?;
        Ok(a)
    }

    pub(crate) async fn do_assignments(&self, ctx: &CallCtx, q: &AssignmentQuery) -> ApiResult<Vec<Assignment>> {
        let p = self.auth.require(ctx).await?;
        let mut q = q.clone();
        if !(Self::principal_staffs(&p, &q.institution_id) || Self::principal_ministry(&p)) {
            let Some(t) = self.teacher_self(&p, &q.institution_id).await? else { return Err(ApiError::forbidden()) };
            q.teacher_id = Some(t.id);
        }
        Ok(st::assignments(&mut *self.db.pool().acquire().await?, &q).await?)
    }

    // -----------------------------------------------------------------------------
    // Sheets.

    /// The caller's standing towards an institution's sheet of `teacher_id`.
    async fn standing(&self, p: &Principal, inst: &str, teacher_id: &str) -> ApiResult<Option<Standing>> {
        if Self::principal_staffs(p, inst) {
            return Ok(Some(Standing::Staff));
        }
        if let Some(t) = self.teacher_self(p, inst).await?
            && t.id == teacher_id
        {
            return Ok(Some(Standing::Teacher));
        }
        if Self::principal_ministry(p) {
            return Ok(Some(Standing::Ministry));
        }
        Ok(None)
    }

    async fn sheet_full(&self, row: SheetRow) -> ApiResult<Sheet> {
        let mut c = self.db.pool().acquire().await?;
        let assignment = st::assignment_get(&mut c, &row.assignment_id).await?.ok_or_else(ApiError::internal)?;
        let scale = st::scale_get(&mut c, &row.institution_id).await?;
        let entries = st::entries(&mut c, &row.id).await?;
        let corrections = st::corrections_of(&mut c, &row.id).await?;
        drop(c);
        let mut effective: HashMap<&str, &EntryValue> = HashMap::new();
        for k in corrections.iter().filter(|k| k.state == CorrectionState::Approved) {
            effective.insert(k.enrolment_id.as_str(), &k.after);
        }
        let grade = |v: &EntryValue| v.score.map(|s| scale.grade(s));
        let entries = entries
            .into_iter()
            .map(|(enrolment_id, person_id, name, ticket, position, value)| {
                let eff = effective.get(enrolment_id.as_str()).map(|v| (*v).clone()).unwrap_or_else(|| value.clone());
                SheetEntry {
                    flags: value.flags(),
                    grade: grade(&value),
                    effective_grade: grade(&eff),
                    effective: eff,
                    value,
                    enrolment_id,
                    person_id,
                    name,
                    student_ticket: ticket,
                    position,
                }
            })
            .collect();
        Ok(Sheet {
            id: row.id,
            assignment,
            kind: row.kind,
            as_of: row.as_of,
            state: row.state,
            version: row.version,
            entries,
            corrections,
            created_at_ms: row.created_at,
            created_by: row.created_by,
            submitted_at_ms: row.submitted_at,
            submitted_by: row.submitted_by,
            closed_at_ms: row.closed_at,
            closed_by: row.closed_by,
            returned_note: row.returned_note,
            digest: row.digest,
        })
    }

    async fn sheet_row(&self, id: &str) -> ApiResult<SheetRow> {
        if id.is_empty() || id.len() > 64 {
            return Err(ApiError::not_found("sheet"));
        }
        st::sheet_get(&mut *self.db.pool().acquire().await?, id).await?.ok_or_else(|| ApiError::not_found("sheet"))
    }

    /// Opens a sheet: the regular one lists the group's students enrolled on `as_of`; a
    /// retake lists those of them whose result in force is a fail or an absence.
    pub(crate) async fn do_sheet_open(
        &self,
        ctx: &CallCtx,
        assignment_id: &str,
        kind: SheetKind,
        as_of: &str,
    ) -> ApiResult<Sheet> {
        let p = self.auth.require(ctx).await?;
        let a = st::assignment_get(&mut *self.db.pool().acquire().await?, assignment_id)
            .await?
            .ok_or_else(|| ApiError::not_found("assignment"))?;
        let standing = self.standing(&p, &a.institution_id, &a.teacher_id).await?;
        if !matches!(standing, Some(Standing::Staff | Standing::Teacher)) {
            return Err(if standing.is_some() { ApiError::forbidden() } else { ApiError::not_found("assignment") });
        }
        let today = today();
        let Some(date) = parse_date(as_of) else {
            return Err(ApiError::invalid("as_of", "the date is YYYY-MM-DD").with_reason("date_format"));
        };
        if date > today || date < today - time::Duration::days(366) {
            return Err(ApiError::invalid("as_of", "a sheet's date is within the last year, not in the future")
                .with_reason("sheet_date_range"));
        }
        let as_of = date.to_string();
        let mut c = self.db.pool().acquire().await?;
        let roster: Vec<(String, String)> = match kind {
            SheetKind::Regular => {
                if let Some(existing) = st::regular_sheet_of(&mut c, &a.id).await? {
                    return Err(ApiError::new(ErrorCode::AlreadyExists, "this course has its sheet already")
                        .with_reason("sheet_exists")
                        .with_field(&format!("sheet.{}", existing.id)));
                }
                st::roster_at(&mut c, &a.programme_id, &a.study_group, &as_of).await?
            }
            SheetKind::Retake => {
                let sheets = st::sheets_of_assignment(&mut c, &a.id).await?;
                if sheets.iter().any(|s| s.state != SheetState::Closed) {
                    return Err(conflict("sheet_open", "the course has a sheet not yet closed: close it first"));
                }
                if sheets.is_empty() {
                    return Err(conflict("no_closed_sheet", "a retake follows a closed sheet"));
                }
                let scale = st::scale_get(&mut c, &a.institution_id).await?;
                let in_group: HashSet<String> = st::roster_at(&mut c, &a.programme_id, &a.study_group, &as_of)
                    .await?
                    .into_iter()
                    .map(|(e, _)| e)
                    .collect();
                let mut out = Vec::new();
                for (e, person, ..) in st::entries(&mut c, &sheets[0].id).await? {
                    let results = st::grades_of(&mut c, &e, Some(a.semester)).await?;
                    let failed = results
                        .iter()
                        .find(|(l, _)| l.line_code == a.line_code)
                        .is_none_or(|(l, _)| l.value.score.is_none_or(|s| !scale.grade(s).passed));
                    if failed && in_group.contains(&e) {
                        out.push((e, person));
                    }
                }
                out
            }
        };
        drop(c);
        if roster.is_empty() {
            return Err(conflict("roster_empty", "nobody of the group is enrolled on this date, or nobody to retake"));
        }
        let row = SheetRow {
            id: new_id(),
            assignment_id: a.id.clone(),
            institution_id: a.institution_id.clone(),
            teacher_id: a.teacher_id.clone(),
            kind,
            as_of: as_of.clone(),
            state: SheetState::Draft,
            version: 1,
            created_at: now_ms(),
            created_by: p.actor(),
            submitted_at: 0,
            submitted_by: String::new(),
            closed_at: 0,
            closed_by: String::new(),
            returned_note: String::new(),
            digest: String::new(),
        };
        let mut tx = self.db.begin_write().await?;
        if !st::sheet_insert(&mut tx, &row).await? {
            return Err(ApiError::new(ErrorCode::AlreadyExists, "this course has its sheet already")
                .with_reason("sheet_exists"));
        }
        for (i, (e, _)) in roster.iter().enumerate() {
            st::entry_insert(&mut tx, &row.id, e, i as i32 + 1, &p.actor(), row.created_at).await?;
        }
        let ids: Vec<&str> = roster.iter().map(|(e, _)| e.as_str()).collect();
        let detail = json(&serde_json::json!({ "kind": kind, "as_of": as_of, "roster": ids }));
        self.log(&mut tx, &a.institution_id, &p.actor(), "open", &row.id, "", &detail).await?;
        tx.commit().await?;
        self.sheet_full(row).await
    }

    pub(crate) async fn do_sheet_get(&self, ctx: &CallCtx, id: &str) -> ApiResult<Sheet> {
        let p = self.auth.require(ctx).await?;
        let row = self.sheet_row(id).await?;
        if self.standing(&p, &row.institution_id, &row.teacher_id).await?.is_none() {
            return Err(ApiError::not_found("sheet"));
        }
        self.sheet_full(row).await
    }

    pub(crate) async fn do_sheets(&self, ctx: &CallCtx, q: &SheetQuery) -> ApiResult<Vec<SheetSummary>> {
        let p = self.auth.require(ctx).await?;
        let mut q = q.clone();
        if !(Self::principal_staffs(&p, &q.institution_id) || Self::principal_ministry(&p)) {
            let Some(t) = self.teacher_self(&p, &q.institution_id).await? else { return Err(ApiError::forbidden()) };
            q.teacher_id = Some(t.id);
        }
        if q.limit == 0 {
            q.limit = 200;
        }
        let mut c = self.db.pool().acquire().await?;
        let rows = st::sheet_summaries(&mut c, &q).await?;
        let mut assignments: HashMap<String, Assignment> = HashMap::new();
        let mut out = Vec::with_capacity(rows.len());
        for (row, [students, graded, flagged, pending]) in rows {
            if !assignments.contains_key(&row.assignment_id)
                && let Some(a) = st::assignment_get(&mut c, &row.assignment_id).await?
            {
                assignments.insert(a.id.clone(), a);
            }
            let Some(a) = assignments.get(&row.assignment_id) else { continue };
            out.push(SheetSummary {
                id: row.id,
                assignment: a.clone(),
                kind: row.kind,
                as_of: row.as_of,
                state: row.state,
                students,
                graded,
                flagged,
                pending_corrections: pending,
                updated_at_ms: row.closed_at.max(row.submitted_at).max(row.created_at),
            });
        }
        Ok(out)
    }

    /// The assigned teacher saves scores of a draft: all or nothing.
    pub(crate) async fn do_sheet_save(
        &self,
        ctx: &CallCtx,
        id: &str,
        version: i64,
        entries: Vec<EntryInput>,
    ) -> ApiResult<Sheet> {
        let p = self.auth.require(ctx).await?;
        let row = self.sheet_row(id).await?;
        match self.standing(&p, &row.institution_id, &row.teacher_id).await? {
            Some(Standing::Teacher) => {}
            Some(_) => {
                return Err(ApiError::forbidden().with_reason("teacher_only"));
            }
            None => return Err(ApiError::not_found("sheet")),
        }
        if row.state != SheetState::Draft {
            return Err(conflict("sheet_not_draft", "the sheet is submitted or closed: it takes no scores"));
        }
        if entries.len() > 1000 {
            return Err(ApiError::invalid("entries", "at most 1000 entries at once"));
        }
        for e in &entries {
            e.value.validate().map_err(|err| err.with_field(&format!("entries.{}", e.enrolment_id)))?;
        }
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        let current: HashMap<String, EntryValue> =
            st::entries(tx.conn(), id).await?.into_iter().map(|(e, _, _, _, _, v)| (e, v)).collect();
        let mut changed = 0;
        for e in &entries {
            let Some(old) = current.get(&e.enrolment_id) else {
                return Err(ApiError::invalid("entries", "a student who is not on the sheet")
                    .with_reason("not_on_sheet")
                    .with_field(&format!("entries.{}", e.enrolment_id)));
            };
            if *old == e.value {
                continue;
            }
            st::entry_set(&mut tx, id, &e.enrolment_id, &e.value, &p.actor(), now).await?;
            self.log(&mut tx, &row.institution_id, &p.actor(), "entry", id, &e.enrolment_id, &json(&e.value)).await?;
            changed += 1;
        }
        if changed > 0 {
            let next = SheetRow { version: row.version + 1, ..row.clone() };
            if !st::sheet_update(&mut tx, &next, version, now).await? {
                return Err(conflict("stale_sheet", "someone saved this sheet meanwhile: open it again"));
            }
            tx.commit().await?;
            return self.sheet_full(next).await;
        }
        if row.version != version {
            return Err(conflict("stale_sheet", "someone saved this sheet meanwhile: open it again"));
        }
        drop(tx);
        self.sheet_full(row).await
    }

    /// The teacher submits a draft with every student graded or marked absent.
    pub(crate) async fn do_sheet_submit(&self, ctx: &CallCtx, id: &str, version: i64) -> ApiResult<Sheet> {
        let p = self.auth.require(ctx).await?;
        let row = self.sheet_row(id).await?;
        match self.standing(&p, &row.institution_id, &row.teacher_id).await? {
            Some(Standing::Teacher) => {}
            Some(_) => return Err(ApiError::forbidden().with_reason("teacher_only")),
            None => return Err(ApiError::not_found("sheet")),
        }
        if row.state != SheetState::Draft {
            return Err(conflict("sheet_not_draft", "only a draft is submitted"));
        }
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        let entries = st::entries(tx.conn(), id).await?;
        let missing = entries.iter().filter(|(.., v)| v.score.is_none() && !v.absent).count();
        if missing > 0 {
            return Err(conflict(
                "sheet_incomplete",
                format!("{missing} students have neither a score nor a mark of absence"),
            ));
        }
        let next = SheetRow {
            state: SheetState::Submitted,
            version: row.version + 1,
            submitted_at: now,
            submitted_by: p.actor(),
            returned_note: String::new(),
            ..row.clone()
        };
        if !st::sheet_update(&mut tx, &next, version, now).await? {
            return Err(conflict("stale_sheet", "the sheet changed meanwhile: open it again"));
        }
        self.log(&mut tx, &row.institution_id, &p.actor(), "submit", id, "", "").await?;
        tx.commit().await?;
        self.sheet_full(next).await
    }

    /// The registrar sends a submitted sheet back to the teacher, saying why.
    pub(crate) async fn do_sheet_return(&self, ctx: &CallCtx, id: &str, version: i64, note: &str) -> ApiResult<Sheet> {
        let p = self.auth.require(ctx).await?;
        let row = self.sheet_row(id).await?;
        match self.standing(&p, &row.institution_id, &row.teacher_id).await? {
            Some(Standing::Staff) => {}
            Some(_) => return Err(ApiError::forbidden()),
            None => return Err(ApiError::not_found("sheet")),
        }
        let note = note.trim();
        if note.chars().count() < 3 || note.chars().count() > 1000 {
            return Err(ApiError::invalid("note", "say what the teacher should fix (3 to 1000 characters)")
                .with_reason("note_required"));
        }
        if row.state != SheetState::Submitted {
            return Err(conflict("sheet_not_submitted", "only a submitted sheet is returned"));
        }
        let now = now_ms();
        let next = SheetRow {
            state: SheetState::Draft,
            version: row.version + 1,
            returned_note: note.to_owned(),
            ..row.clone()
        };
        let mut tx = self.db.begin_write().await?;
        if !st::sheet_update(&mut tx, &next, version, now).await? {
            return Err(conflict("stale_sheet", "the sheet changed meanwhile: open it again"));
        }
        self.log(&mut tx, &row.institution_id, &p.actor(), "return", id, "", &json(&note)).await?;
        tx.commit().await?;
        self.sheet_full(next).await
    }

    /// Recomputes and stores an enrolment's GPA from its results in force.
    async fn regrade(&self, tx: &mut WriteTx, enrolment_id: &str, scale: &Scale, now: i64) -> ApiResult<()> {
        let rows = st::grades_of(tx.conn(), enrolment_id, None).await?;
        let lines: Vec<TranscriptLine> = rows.into_iter().map(|(l, _)| Self::graded(l, scale)).collect();
        let (gpa, earned, attempted) = gpa(&lines);
        let e = sqlx::query(&format!("SELECT {} FROM enrolment WHERE id = $1", store::ENROLMENT_COLUMNS))
            .bind(enrolment_id)
            .fetch_one(tx.conn())
            .await?;
        let e = store::enrolment_from(&e)?;
        st::gpa_put(tx, &e, gpa, earned, attempted, now).await?;
        Ok(())
    }

    fn graded(mut l: TranscriptLine, scale: &Scale) -> TranscriptLine {
        l.grade = l.value.score.map(|s| scale.grade(s));
        l.in_gpa = counts_in_gpa(scale, &l.assessment);
        l
    }

    /// The registrar closes a submitted sheet: its results are in force and it never
    /// changes again. Scores of students with no attendance need `confirm_flags`.
    pub(crate) async fn do_sheet_close(
        &self,
        ctx: &CallCtx,
        id: &str,
        version: i64,
        confirm_flags: bool,
    ) -> ApiResult<Sheet> {
        let p = self.auth.require(ctx).await?;
        let row = self.sheet_row(id).await?;
        match self.standing(&p, &row.institution_id, &row.teacher_id).await? {
            Some(Standing::Staff) => {}
            Some(_) => return Err(ApiError::forbidden()),
            None => return Err(ApiError::not_found("sheet")),
        }
        if row.state != SheetState::Submitted {
            return Err(conflict("sheet_not_submitted", "only a submitted sheet is closed"));
        }
        let now = now_ms();
        let mut c = self.db.pool().acquire().await?;
        let a = st::assignment_get(&mut c, &row.assignment_id).await?.ok_or_else(ApiError::internal)?;
        let scale = st::scale_get(&mut c, &row.institution_id).await?;
        drop(c);
        let mut tx = self.db.begin_write().await?;
        let entries = st::entries(tx.conn(), id).await?;
        let flagged: Vec<&str> =
            entries.iter().filter(|(.., v)| !v.flags().is_empty()).map(|(e, ..)| e.as_str()).collect();
        if !flagged.is_empty() && !confirm_flags {
            return Err(conflict(
                "flags_unconfirmed",
                format!("{} students have a score but no attendance: confirm that this is right", flagged.len()),
            ));
        }
        let values: Vec<(String, EntryValue)> = entries.iter().map(|(e, .., v)| (e.clone(), v.clone())).collect();
        let digest = sheet_digest(&values);
        let next = SheetRow {
            state: SheetState::Closed,
            version: row.version + 1,
            closed_at: now,
            closed_by: p.actor(),
            digest: digest.clone(),
            ..row.clone()
        };
        if !st::sheet_update(&mut tx, &next, version, now).await? {
            return Err(conflict("stale_sheet", "the sheet changed meanwhile: open it again"));
        }
        for (e, _, _, _, _, v) in &entries {
            st::grade_put(&mut tx, &a, e, id, v, false, now).await?;
        }
        for (e, ..) in &entries {
            self.regrade(&mut tx, e, &scale, now).await?;
        }
        let detail = json(&serde_json::json!({ "digest": digest, "flagged": flagged }));
        let (seq, hash) = self.log(&mut tx, &row.institution_id, &p.actor(), "close", id, "", &detail).await?;
        let event = edu24_proto::records::v1::SheetClosed {
            sheet_id: id.to_owned(),
            institution_id: row.institution_id.clone(),
            programme_id: a.programme_id.clone(),
            study_group: a.study_group.clone(),
            line_code: a.line_code.clone(),
            semester: a.semester,
            credits_tenths: a.credits_tenths,
            kind: row.kind.as_str().to_owned(),
            digest,
            results: entries
                .iter()
                .map(|(e, person, .., v)| events::grade_result(e, person, v, v.score.map(|s| scale.grade(s)).as_ref()))
                .collect(),
            log_seq: seq,
            log_hash: hash,
            closed_at_ms: now,
        };
        outbox_add(&mut tx, events::SHEET_CLOSED, &event, &p.actor()).await?;
        tx.commit().await?;
        self.relay.wake();
        self.sheet_full(next).await
    }

    /// A correction of a closed result, with its reason; another person decides it.
    pub(crate) async fn do_correction_request(&self, ctx: &CallCtx, input: CorrectionInput) -> ApiResult<Sheet> {
        let p = self.auth.require(ctx).await?;
        let row = self.sheet_row(&input.sheet_id).await?;
        match self.standing(&p, &row.institution_id, &row.teacher_id).await? {
            Some(Standing::Staff | Standing::Teacher) => {}
            Some(_) => return Err(ApiError::forbidden()),
            None => return Err(ApiError::not_found("sheet")),
        }
        if row.state != SheetState::Closed {
            return Err(conflict("sheet_not_closed", "scores of an open sheet are changed by saving it"));
        }
        input.after.validate()?;
        let reason = input.reason.trim();
        if reason.chars().count() < 5 || reason.chars().count() > 1000 {
            return Err(ApiError::invalid("reason", "say why the result changes (5 to 1000 characters)")
                .with_reason("reason_required"));
        }
        let sheet = self.sheet_full(row.clone()).await?;
        let Some(entry) = sheet.entries.iter().find(|e| e.enrolment_id == input.enrolment_id) else {
            return Err(
                ApiError::invalid("enrolment_id", "a student who is not on the sheet").with_reason("not_on_sheet")
            );
        };
        if entry.effective == input.after {
            return Err(ApiError::invalid("score", "the result in force is already this").with_reason("no_change"));
        }
        let k = Correction {
            id: new_id(),
            sheet_id: row.id.clone(),
            enrolment_id: input.enrolment_id.clone(),
            before: entry.effective.clone(),
            after: input.after.clone(),
            reason: reason.to_owned(),
            requested_by: p.actor(),
            requested_at_ms: now_ms(),
            state: CorrectionState::Pending,
            decided_by: String::new(),
            decided_at_ms: 0,
            note: String::new(),
        };
        let mut tx = self.db.begin_write().await?;
        if !st::correction_insert(&mut tx, &k).await? {
            return Err(conflict("correction_pending", "a correction of this result waits for a decision already"));
        }
        let detail =
            json(&serde_json::json!({ "correction": k.id, "before": k.before, "after": k.after, "reason": k.reason }));
        self.log(&mut tx, &row.institution_id, &p.actor(), "correction.request", &row.id, &k.enrolment_id, &detail)
            .await?;
        tx.commit().await?;
        self.sheet_full(row).await
    }

    /// A registrar or admin other than the requester approves or rejects a correction.
    pub(crate) async fn do_correction_decide(
        &self,
        ctx: &CallCtx,
        correction_id: &str,
        approve: bool,
        note: &str,
    ) -> ApiResult<Sheet> {
        let p = self.auth.require(ctx).await?;
        let k = st::correction_get(&mut *self.db.pool().acquire().await?, correction_id)
            .await?
            .ok_or_else(|| ApiError::not_found("correction"))?;
        let row = self.sheet_row(&k.sheet_id).await?;
        match self.standing(&p, &row.institution_id, &row.teacher_id).await? {
            Some(Standing::Staff) => {}
            Some(_) => return Err(ApiError::forbidden()),
            None => return Err(ApiError::not_found("correction")),
        }
        if k.requested_by == p.actor() {
            return Err(conflict("four_eyes", "a correction is decided by someone other than who asked for it"));
        }
        if k.state != CorrectionState::Pending {
            return Err(conflict("correction_decided", "this correction is decided already"));
        }
        let note = note.trim();
        if !approve && note.chars().count() < 3 {
            return Err(ApiError::invalid("note", "say why the correction is rejected").with_reason("note_required"));
        }
        let now = now_ms();
        let mut c = self.db.pool().acquire().await?;
        let a = st::assignment_get(&mut c, &row.assignment_id).await?.ok_or_else(ApiError::internal)?;
        let scale = st::scale_get(&mut c, &row.institution_id).await?;
        let person = store::enrolment_get(&self.db, &k.enrolment_id).await?.map(|e| e.person_id).unwrap_or_default();
        drop(c);
        let state = if approve { CorrectionState::Approved } else { CorrectionState::Rejected };
        let mut tx = self.db.begin_write().await?;
        if !st::correction_decide(&mut tx, &k.id, state, &p.actor(), now, note).await? {
            return Err(conflict("correction_decided", "this correction is decided already"));
        }
        let detail = json(&serde_json::json!({ "correction": k.id, "state": state, "after": k.after, "note": note }));
        let (seq, hash) = self
            .log(&mut tx, &row.institution_id, &p.actor(), "correction.decide", &row.id, &k.enrolment_id, &detail)
            .await?;
        if approve {
            st::grade_put(&mut tx, &a, &k.enrolment_id, &row.id, &k.after, true, row.closed_at).await?;
            self.regrade(&mut tx, &k.enrolment_id, &scale, now).await?;
            let g = |v: &EntryValue| v.score.map(|s| scale.grade(s));
            let event = edu24_proto::records::v1::GradeCorrected {
                correction_id: k.id.clone(),
                sheet_id: row.id.clone(),
                institution_id: row.institution_id.clone(),
                line_code: a.line_code.clone(),
                semester: a.semester,
                before: Some(events::grade_result(&k.enrolment_id, &person, &k.before, g(&k.before).as_ref())),
                after: Some(events::grade_result(&k.enrolment_id, &person, &k.after, g(&k.after).as_ref())),
                reason: k.reason.clone(),
                requested_by: k.requested_by.clone(),
                approved_by: p.actor(),
                log_seq: seq,
                log_hash: hash,
            };
            outbox_add(&mut tx, events::GRADE_CORRECTED, &event, &p.actor()).await?;
        }
        tx.commit().await?;
        self.relay.wake();
        self.sheet_full(row).await
    }

    // -----------------------------------------------------------------------------
    // Transcripts, terms, ranking, scale, the log check.

    /// Who may read an enrolment's results: staff of its institution, the ministry, the
    /// student (their account is linked to the person).
    async fn may_read_results(&self, p: &Principal, e: &Enrolment) -> ApiResult<bool> {
        if Self::principal_staffs(p, &e.institution_id) || Self::principal_ministry(p) {
            return Ok(true);
        }
        let mine = st::person_of_account(&mut *self.db.pool().acquire().await?, p.account_id()).await?;
        Ok(mine.as_deref() == Some(e.person_id.as_str()))
    }

    pub(crate) async fn do_transcript(&self, ctx: &CallCtx, enrolment_id: &str) -> ApiResult<Transcript> {
        let p = self.auth.require(ctx).await?;
        let e = store::enrolment_get(&self.db, enrolment_id).await?.ok_or_else(|| ApiError::not_found("enrolment"))?;
        if !self.may_read_results(&p, &e).await? {
            return Err(ApiError::not_found("enrolment"));
        }
        let mut c = self.db.pool().acquire().await?;
        let scale = st::scale_get(&mut c, &e.institution_id).await?;
        let lines: Vec<TranscriptLine> =
            st::grades_of(&mut c, &e.id, None).await?.into_iter().map(|(l, _)| Self::graded(l, &scale)).collect();
        let open_corrections: i64 =
            sqlx::query("SELECT COUNT(*) FROM grade_correction WHERE enrolment_id = $1 AND state = 'pending'")
                .bind(&e.id)
                .fetch_one(&mut *c)
                .await?
                .get(0);
        drop(c);
        let person = store::person_get(&self.db, &e.person_id).await?.ok_or_else(ApiError::internal)?;
        let (gpa, earned, attempted) = gpa(&lines);
        let req = self.curriculum.requirements(&CallCtx::anonymous(), &e.programme_id, e.intake_year, None).await.ok();
        Ok(Transcript {
            name: person.name,
            lines,
            gpa,
            credits_earned_tenths: earned,
            credits_attempted_tenths: attempted,
            credits_required_tenths: req.as_ref().map(|r| r.total_tenths).unwrap_or(0),
            curriculum_id: req.map(|r| r.curriculum_id).unwrap_or_default(),
            open_corrections: open_corrections as i32,
            enrolment: e,
        })
    }

    pub(crate) async fn do_term_grades(
        &self,
        ctx: &CallCtx,
        enrolment_id: &str,
        semester: i32,
    ) -> ApiResult<Vec<TranscriptLine>> {
        let p = self.auth.require(ctx).await?;
        let e = store::enrolment_get(&self.db, enrolment_id).await?.ok_or_else(|| ApiError::not_found("enrolment"))?;
        if !(1..=16).contains(&semester) {
            return Err(ApiError::invalid("semester", "a semester is 1 to 16").with_reason("semester_range"));
        }
        if !self.may_read_results(&p, &e).await? {
            return Err(ApiError::not_found("enrolment"));
        }
        let mut c = self.db.pool().acquire().await?;
        let scale = st::scale_get(&mut c, &e.institution_id).await?;
        Ok(st::grades_of(&mut c, &e.id, Some(semester))
            .await?
            .into_iter()
            .map(|(l, _)| Self::graded(l, &scale))
            .collect())
    }

    pub(crate) async fn do_ranking(&self, ctx: &CallCtx, q: &RankQuery) -> ApiResult<Page<RankRow>> {
        let p = self.auth.require(ctx).await?;
        if !(Self::principal_staffs(&p, &q.institution_id) || Self::principal_ministry(&p)) {
            return Err(ApiError::forbidden());
        }
        if q.per_page > MAX_PER_PAGE {
            return Err(ApiError::invalid("per_page", format!("at most {MAX_PER_PAGE} a page")));
        }
        let generation = crate::listcache::generation(&self.db, &q.institution_id).await?;
        let key = serde_json::to_string(q).unwrap_or_default();
        if let Some(p) = self.ranking_cache.get(&key, generation) {
            return Ok((*p).clone());
        }
        let (items, total) = st::ranking(&mut *self.db.pool().acquire().await?, q).await?;
        let page = Page { items, total };
        self.ranking_cache.put(key, generation, std::sync::Arc::new(page.clone()));
        Ok(page)
    }

    pub(crate) async fn do_scale(&self, inst: &str) -> ApiResult<Scale> {
        Ok(st::scale_get(&mut *self.db.pool().acquire().await?, inst).await?)
    }

    /// The institution's admin sets its scale; every student's GPA follows.
    pub(crate) async fn do_scale_set(&self, ctx: &CallCtx, inst: &str, scale: Scale) -> ApiResult<Scale> {
        let p = self.auth.require(ctx).await?;
        if !p.claims.roles.iter().any(|g| g.role == Role::InstitutionAdmin && g.inst.as_deref() == Some(inst)) {
            return Err(ApiError::forbidden());
        }
        scale.validate()?;
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        st::scale_put(&mut tx, inst, &scale, &p.actor(), now).await?;
        let enrolments: Vec<String> = sqlx::query("SELECT DISTINCT enrolment_id FROM grade WHERE institution_id = $1")
            .bind(inst)
            .fetch_all(tx.conn())
            .await?
            .iter()
            .map(|r| sqlx::Row::get(r, 0))
            .collect();
        for e in &enrolments {
            self.regrade(&mut tx, e, &scale, now).await?;
        }
        self.log(&mut tx, inst, &p.actor(), "scale", "", "", &json(&scale)).await?;
        tx.commit().await?;
        Ok(scale)
    }

    /// Checks an institution's grade log: the chain and its seals, then the sheets and
    /// results against what the log says was written.
    pub(crate) async fn do_log_check(&self, ctx: &CallCtx, inst: &str) -> ApiResult<LogCheck> {
        let p = self.auth.require(ctx).await?;
        if !(Self::principal_staffs(&p, inst) || Self::principal_ministry(&p)) {
            return Err(ApiError::forbidden());
        }
        // What the log says: the value of every entry, the digest of every closed
        // sheet, the approved corrections.
        let mut logged: HashMap<(String, String), EntryValue> = HashMap::new();
        let mut rostered: HashSet<(String, String)> = HashSet::new();
        let mut closed: HashMap<String, String> = HashMap::new();
        let mut corrected: HashMap<(String, String), EntryValue> = HashMap::new();
        let mut unreadable = Vec::new();
        let (records, first_broken) = gradelog::verify(&self.db, &self.seal, inst, |r| {
            let detail: serde_json::Value = serde_json::from_str(&r.detail).unwrap_or(serde_json::Value::Null);
            match r.action.as_str() {
                "open" => {
                    for e in detail["roster"].as_array().into_iter().flatten().filter_map(|v| v.as_str()) {
                        rostered.insert((r.sheet_id.clone(), e.to_owned()));
                    }
                }
                "entry" => match serde_json::from_value::<EntryValue>(detail) {
                    Ok(v) => {
                        logged.insert((r.sheet_id.clone(), r.enrolment_id.clone()), v);
                    }
                    Err(_) => unreadable.push(r.seq),
                },
                "close" => {
                    closed.insert(r.sheet_id.clone(), detail["digest"].as_str().unwrap_or("").to_owned());
                }
                // A closed sheet brought in whole (history, by the seed or a migration).
                "import" => {
                    for pair in detail["values"].as_array().into_iter().flatten() {
                        match (pair[0].as_str(), serde_json::from_value::<EntryValue>(pair[1].clone())) {
                            (Some(e), Ok(v)) => {
                                rostered.insert((r.sheet_id.clone(), e.to_owned()));
                                logged.insert((r.sheet_id.clone(), e.to_owned()), v);
                            }
                            _ => unreadable.push(r.seq),
                        }
                    }
                    closed.insert(r.sheet_id.clone(), detail["digest"].as_str().unwrap_or("").to_owned());
                }
                "correction.decide" if detail["state"] == "approved" => {
                    match serde_json::from_value::<EntryValue>(detail["after"].clone()) {
                        Ok(v) => {
                            corrected.insert((r.sheet_id.clone(), r.enrolment_id.clone()), v);
                        }
                        Err(_) => unreadable.push(r.seq),
                    }
                }
                _ => {}
            }
        })
        .await?;
        let mut check =
            LogCheck { records, first_broken: first_broken.or(unreadable.first().copied()), unexplained: vec![] };
        let mut c = self.db.pool().acquire().await?;
        let entries = st::all_entries(&mut c, inst).await?;
        let mut by_sheet: HashMap<String, Vec<(String, EntryValue)>> = HashMap::new();
        for (sheet, enrolment, v) in &entries {
            let key = (sheet.clone(), enrolment.clone());
            let expected = logged.get(&key).cloned().unwrap_or_default();
            if !rostered.contains(&key) {
                check.unexplained.push(format!("sheet {sheet}: student {enrolment} was not on it when it was opened"));
            } else if *v != expected {
                check.unexplained.push(format!("sheet {sheet}: the entry of {enrolment} is not what was written"));
            }
            by_sheet.entry(sheet.clone()).or_default().push((enrolment.clone(), v.clone()));
        }
        for (sheet, digest) in st::closed_sheets(&mut c, inst).await? {
            let mut ordered =
                st::entries(&mut c, &sheet).await?.into_iter().map(|(e, .., v)| (e, v)).collect::<Vec<_>>();
            ordered.dedup_by(|a, b| a.0 == b.0);
            let recomputed = sheet_digest(&ordered);
            match closed.get(&sheet) {
                Some(sealed) if *sealed == digest && recomputed == digest => {}
                Some(_) => {
                    check.unexplained.push(format!("sheet {sheet}: its entries are not those it was closed with"))
                }
                None => check.unexplained.push(format!("sheet {sheet}: closed without a record of closing")),
            }
        }
        for (enrolment, line, semester, sheet, v) in st::all_grades(&mut c, inst).await? {
            let key = (sheet.clone(), enrolment.clone());
            let expected = corrected.get(&key).or_else(|| logged.get(&key)).cloned().unwrap_or_default();
            if !closed.contains_key(&sheet) || v != expected {
                check.unexplained.push(format!(
                    "the result of {enrolment} in {line} (semester {semester}) is not what sheet {sheet} gave"
                ));
            }
        }
        check.unexplained.sort();
        check.unexplained.truncate(1000);
        Ok(check)
    }
}

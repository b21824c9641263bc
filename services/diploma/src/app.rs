//! Diploma use cases: one transaction each, events in the outbox and an audit record
//! with every change. Issuance is a saga whose state is in this database (ADR 0030).

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use edu24_catalogue::CatalogueApi;
use edu24_curriculum::CurriculumApi;
use edu24_curriculum::domain::Requirements;
use edu24_proto::diploma::v1 as pb;
use edu24_records::RecordsApi;
use edu24_records::domain::{EnrolmentStatus, OrderInput, OrderKind, StudentQuery};
use edu24_shared::audit::audit_append;
use edu24_shared::auth::{Authenticator, CallCtx, Principal, Role};
use edu24_shared::db::{Db, WriteTx};
use edu24_shared::error::{ApiError, ApiResult, ErrorCode};
use edu24_shared::outbox::{OutboxRelay, outbox_add};
use edu24_shared::time::{new_id, now_ms};
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::credential;
use crate::document;
use crate::domain::*;
use crate::events;
use crate::keys::IssuerKeys;
use crate::store;
use crate::{DiplomaApi, domain};

pub struct DiplomaService {
    pub(crate) db: Db,
    auth: Authenticator,
    relay: OutboxRelay,
    catalogue: Arc<dyn CatalogueApi>,
    curriculum: Arc<dyn CurriculumApi>,
    records: Arc<dyn RecordsApi>,
    keys: IssuerKeys,
    public_url: String,
    limiter: store::Limiter,
    log: store::VerifyLog,
    /// Issuances planned again because the register changed meanwhile.
    replans: std::sync::atomic::AtomicU64,
}

fn conflict(reason: &str, message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::FailedPrecondition, message).with_reason(reason)
}

fn sha256_hex(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

/// A random URL-safe token of 128 bits.
pub(crate) fn token() -> String {
    let mut b = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut b);
    base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, b)
}

impl DiplomaService {
    pub async fn migrate(db: &Db) -> anyhow::Result<()> {
        db.migrate(&crate::MIGRATOR_SQLITE, &crate::MIGRATOR_POSTGRES).await
    }

    #[allow(clippy::too_many_arguments)]
    pub fn open(
        db: Db,
        auth: Authenticator,
        relay: OutboxRelay,
        catalogue: Arc<dyn CatalogueApi>,
        curriculum: Arc<dyn CurriculumApi>,
        records: Arc<dyn RecordsApi>,
        keys: IssuerKeys,
        public_url: &str,
    ) -> Arc<Self> {
        let per_minute = std::env::var("EDU24_VERIFY_PER_MINUTE").ok().and_then(|v| v.parse().ok()).unwrap_or(60);
        Arc::new(Self {
            log: store::VerifyLog::start(db.clone()),
            db,
            auth,
            relay,
            catalogue,
            curriculum,
            records,
            keys,
            public_url: public_url.trim_end_matches('/').to_owned(),
            limiter: store::Limiter::new(per_minute),
            replans: Default::default(),
        })
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// How many issuances were planned again because the register changed meanwhile.
    pub fn replans(&self) -> u64 {
        self.replans.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub fn relay(&self) -> &OutboxRelay {
        &self.relay
    }

    /// Writes the verification log's pending records (tests and shutdown).
    pub async fn flush_log(&self) {
        self.log.flush().await;
    }

    pub fn verify_url(&self, token: &str) -> String {
        format!("{}/verify/{token}", self.public_url)
    }

    fn is_ministry(p: &Principal) -> bool {
        p.has_role(Role::MinistryAdmin) || p.has_role(Role::MinistryAnalyst)
    }

    fn staffs(p: &Principal, institution_id: &str) -> bool {
        p.claims.roles.iter().any(|g| {
            matches!(g.role, Role::Registrar | Role::InstitutionAdmin) && g.inst.as_deref() == Some(institution_id)
        })
    }

    /// A registrar or admin of the institution.
    async fn staff(&self, ctx: &CallCtx, institution_id: &str) -> ApiResult<Principal> {
        let p = self.auth.require(ctx).await?;
        if Self::staffs(&p, institution_id) {
            return Ok(p);
        }
        Err(ApiError::forbidden())
    }

    /// Staff of the institution or the ministry's admin.
    async fn staff_or_ministry_admin(&self, ctx: &CallCtx, institution_id: &str) -> ApiResult<Principal> {
        let p = self.auth.require(ctx).await?;
        if Self::staffs(&p, institution_id) || p.has_role(Role::MinistryAdmin) {
            return Ok(p);
        }
        Err(ApiError::forbidden())
    }

    async fn audit(
        &self,
        tx: &mut WriteTx,
        ctx: &CallCtx,
        actor: &str,
        action: &str,
        subject: &str,
        detail: &str,
    ) -> Result<(), sqlx::Error> {
        let client = ctx.client_addr.clone().unwrap_or_default();
        audit_append(tx, now_ms(), actor, action, subject, &client, detail).await
    }

    // -------------------------------------------------------------------------------
    // Eligibility

    async fn requirements(
        &self,
        cache: &mut HashMap<(String, i32), Option<Requirements>>,
        programme_id: &str,
        intake: i32,
    ) -> Option<Requirements> {
        let key = (programme_id.to_owned(), intake);
        if let Some(r) = cache.get(&key) {
            return r.clone();
        }
        let r = self.curriculum.requirements(&CallCtx::anonymous(), programme_id, intake, None).await.ok();
        cache.insert(key, r.clone());
        r
    }

    async fn rule(&self, institution_id: &str) -> ApiResult<HonoursRule> {
        Ok(store::rule_get(&self.db, institution_id).await?.unwrap_or_default())
    }

    /// The group's students (active, or all for a view) from records.
    async fn group(&self, ctx: &CallCtx, q: &GroupQuery) -> ApiResult<Vec<edu24_records::domain::StudentRow>> {
        let mut out = Vec::new();
        let mut page = 1;
        loop {
            let query = StudentQuery {
                institution_id: q.institution_id.clone(),
                query: String::new(),
                programme_id: Some(q.programme_id.clone()),
                study_group: Some(q.study_group.clone()),
                status: Some(EnrolmentStatus::Active),
                page,
                per_page: edu24_records::domain::MAX_PER_PAGE,
            };
            let p = self.records.students(ctx, &query).await?;
            let n = p.items.len();
            out.extend(p.items);
            if n < edu24_records::domain::MAX_PER_PAGE as usize || out.len() as u64 >= p.total {
                break;
            }
            page += 1;
        }
        Ok(out)
    }

    async fn assess_group(&self, ctx: &CallCtx, q: &GroupQuery) -> ApiResult<(GroupEligibility, Vec<Candidate>)> {
        let students = self.group(ctx, q).await?;
        let rule = self.rule(&q.institution_id).await?;
        let mut cache = HashMap::new();
        let mut rows = Vec::with_capacity(students.len());
        let mut candidates = Vec::with_capacity(students.len());
        let mut level = String::new();
        for s in students {
            let t = self.records.transcript(ctx, &s.enrolment.id).await?;
            let req = self.requirements(&mut cache, &s.enrolment.programme_id, s.enrolment.intake_year).await;
            let mut assessed =
                assess(t.enrolment.status, &t.lines, req.as_ref(), &rule, t.open_corrections, t.credits_earned_tenths);
            let existing = store::diploma_of_enrolment(&self.db, &s.enrolment.id).await?;
            if let Some(number) = &existing {
                let mut b = Blocker {
                    code: "diploma_exists".into(),
                    line_code: number.clone(),
                    semester: 0,
                    course: Default::default(),
                    have: 0,
                    need: 0,
                };
                b.line_code = number.clone();
                assessed.blockers.insert(0, b);
                assessed.honours = false;
            }
            level = s.enrolment.level.as_str().to_owned();
            rows.push(EligibilityRow {
                enrolment_id: s.enrolment.id.clone(),
                person_id: s.enrolment.person_id.clone(),
                name: s.name.clone(),
                student_ticket: s.enrolment.student_ticket.clone(),
                eligible: assessed.blockers.is_empty(),
                assessed: assessed.clone(),
                gpa: t.gpa,
                diploma_number: existing,
            });
            candidates.push(Candidate { transcript: t, assessed });
        }
        rows.sort_by(|a, b| a.name.family.cmp(&b.name.family).then(a.name.given.cmp(&b.name.given)));
        let g = GroupEligibility {
            institution_id: q.institution_id.clone(),
            programme_id: q.programme_id.clone(),
            study_group: q.study_group.clone(),
            level,
            rule: Some(rule),
            rows,
        };
        Ok((g, candidates))
    }

    // -------------------------------------------------------------------------------
    // Issuance

    /// Asks records for the graduation orders of a pending issuance, then marks its
    /// diplomas valid with their events. Safe to repeat: orders are idempotent by the
    /// diploma's id, and a done issuance is answered as it is.
    async fn finish(&self, ctx: &CallCtx, issuance_id: &str) -> ApiResult<IssuanceReport> {
        let iss = store::issuance_get(&self.db, issuance_id).await?.ok_or_else(|| ApiError::not_found("issuance"))?;
        if iss.state == "pending" {
            let pending = store::diplomas_of_issuance(&self.db, issuance_id).await?;
            for d in &pending {
                if d.state != DiplomaState::Pending {
                    continue;
                }
                let order = OrderInput {
                    kind: OrderKind::Graduation.as_str().into(),
                    institution_id: iss.institution_id.clone(),
                    enrolment_id: d.enrolment_id.clone(),
                    number: iss.order_no.clone(),
                    signed_on: iss.order_signed_on.clone(),
                    effective_on: iss.issued_on.clone(),
                    signatory: iss.signatory.clone(),
                    reason: format!("diploma {}", d.number),
                    request_id: format!("diploma:{}", d.id),
                    ..Default::default()
                };
                // An enrolment changed between records' read and its write (another caller
                // finishing the same issuance, say) is asked again: the repeated request
                // then finds the order given, or the real reason.
                let mut answer = self.records.order_issue(ctx, order.clone()).await;
                for _ in 0..3 {
                    match &answer {
                        Err(e) if e.reason.as_deref() == Some("stale_enrolment") => {
                            answer = self.records.order_issue(ctx, order.clone()).await;
                        }
                        _ => break,
                    }
                }
                match answer {
                    // Given now, or given before to this very request (records answers a
                    // repeated request id with what it did the first time).
                    Ok(_) => {}
                    // Records refuses for good (the student was expelled or moved between
                    // the two steps): that diploma is annulled, its form stays accounted as
                    // used by it, and the others go on.
                    Err(e) if matches!(e.code, ErrorCode::FailedPrecondition | ErrorCode::InvalidArgument) => {
                        tracing::warn!(diploma = %d.id, error = %e.message, "graduation order refused; diploma annulled");
                        let reason = format!("the graduation order was refused by records: {}", e.message);
                        let mut tx = self.db.begin_write().await?;
                        let n = sqlx::query(
                            "UPDATE diploma SET state = 'annulled', state_on = $2, state_reason = $3, state_by = $4, \
                             version = version + 1 WHERE id = $1 AND state = 'pending'",
                        )
                        .bind(&d.id)
                        .bind(&iss.issued_on)
                        .bind(&reason)
                        .bind("system:diploma")
                        .execute(tx.conn())
                        .await?
                        .rows_affected();
                        if n == 1 {
                            self.audit(&mut tx, ctx, &iss.created_by, "diploma.annulled.order_refused", &d.id, &reason)
                                .await?;
                        }
                        tx.commit().await?;
                    }
                    // Anything else (records unreachable) is tried again: at the next start
                    // or the registrar's repeated request.
                    Err(e) => {
                        tracing::warn!(diploma = %d.id, error = %e.message, "graduation order not given yet");
                        return Err(e);
                    }
                }
            }
            let mut tx = self.db.begin_write().await?;
            let now = now_ms();
            let moved =
                sqlx::query("UPDATE issuance SET state = 'done', done_at = $2 WHERE id = $1 AND state = 'pending'")
                    .bind(issuance_id)
                    .bind(now)
                    .execute(tx.conn())
                    .await?
                    .rows_affected();
            if moved == 1 {
                for d in &pending {
                    if d.state != DiplomaState::Pending {
                        continue;
                    }
                    let n = sqlx::query(
                        "UPDATE diploma SET state = 'valid', version = version + 1 WHERE id = $1 AND state = 'pending'",
                    )
                    .bind(&d.id)
                    .execute(tx.conn())
                    .await?
                    .rows_affected();
                    if n != 1 {
                        // Annulled above: records refused its order.
                        continue;
                    }
                    let (content, sha, person_id) = store::content_of(&mut tx, &d.id).await?;
                    outbox_add(
                        &mut tx,
                        events::ISSUED,
                        &issued_event(&d.id, &iss.institution_id, d, &person_id, &content, &sha),
                        &iss.created_by,
                    )
                    .await?;
                }
                self.audit(
                    &mut tx,
                    ctx,
                    &iss.created_by,
                    "diploma.issuance.done",
                    issuance_id,
                    &format!("{} diplomas", pending.len()),
                )
                .await?;
            }
            tx.commit().await?;
            self.relay.wake();
        }
        let diplomas = store::diplomas_of_issuance(&self.db, issuance_id).await?;
        let iss = store::issuance_get(&self.db, issuance_id).await?.ok_or_else(ApiError::internal)?;
        Ok(IssuanceReport { issuance_id: issuance_id.to_owned(), state: iss.state, diplomas })
    }

    /// Finishes every pending issuance (at start, with a system token).
    pub async fn resume_all(&self, ctx: &CallCtx) -> anyhow::Result<usize> {
        let ids: Vec<String> = sqlx::query("SELECT id FROM issuance WHERE state = 'pending' ORDER BY created_at")
            .fetch_all(self.db.pool())
            .await?
            .into_iter()
            .map(|r| r.get(0))
            .collect();
        for id in &ids {
            if let Err(e) = self.finish(ctx, id).await {
                tracing::warn!(issuance = %id, error = %e.message, "pending issuance not finished yet");
            }
        }
        Ok(ids.len())
    }

    /// The content of a diploma from a candidate's transcript.
    #[allow(clippy::too_many_arguments)]
    fn content(
        &self,
        c: &Candidate,
        person: &edu24_records::domain::Person,
        d: &edu24_catalogue::domain::ProgrammeDetail,
        input: &IssueInput,
        number: &str,
        form: (&str, i64),
        duplicate_of: Option<String>,
    ) -> Content {
        let specialty = d.programme.specialty_name.clone();
        let lines = c
            .transcript
            .lines
            .iter()
            .filter_map(|l| {
                let g = l.grade.as_ref()?;
                Some(SupplementLine {
                    semester: l.semester,
                    code: l.line_code.clone(),
                    course: l.course.clone(),
                    credits_tenths: l.credits_tenths,
                    assessment: l.assessment.clone(),
                    score: l.value.score,
                    letter: g.letter.clone(),
                    five: g.five,
                    passed: g.passed,
                })
            })
            .collect();
        Content {
            number: number.to_owned(),
            holder: person.name.clone(),
            // As the person's record has it, or as a passport would write it.
            holder_latin: if person.latin.family.trim().is_empty() {
                edu24_records::domain::PersonName {
                    family: edu24_shared::names::latin(&person.name.family),
                    given: edu24_shared::names::latin(&person.name.given),
                    patronymic: edu24_shared::names::latin(&person.name.patronymic),
                }
            } else {
                person.latin.clone()
            },
            birth_date: person.birth_date.clone(),
            institution_code: d.institution.code.clone(),
            institution: d.institution.name.clone(),
            programme_id: d.programme.id.clone(),
            specialty_code: d.programme.specialty_code.clone(),
            qualification: document::qualification(d.programme.level.as_str(), &specialty),
            specialty,
            level: d.programme.level.as_str().to_owned(),
            form_of_study: d.programme.form.as_str().to_owned(),
            intake_year: c.transcript.enrolment.intake_year,
            honours: c.assessed.honours,
            issued_on: input.issued_on.clone(),
            form_series: form.0.to_owned(),
            form_number: form.1,
            order_no: input.order_no.clone(),
            order_signed_on: input.order_signed_on.clone(),
            signatory: input.signatory.clone(),
            gpa: c.transcript.gpa,
            credits_tenths: c.transcript.credits_earned_tenths,
            lines,
            duplicate_of,
        }
    }

    /// Everything a diploma row holds, made from its content: the signed credential and
    /// the PDFs.
    fn render(
        &self,
        id: &str,
        institution_id: &str,
        status_index: i64,
        tok: &str,
        content: &Content,
    ) -> ApiResult<Rendered> {
        render(&self.keys.issuer(institution_id), &self.public_url, id, status_index, tok, content)
    }

    /// Renders many diplomas of one institution on blocking threads, one batch per core,
    /// so that neither the runtime nor the database writer waits for the PDFs.
    async fn render_all(&self, institution_id: &str, items: Vec<ToRender>) -> ApiResult<Vec<Rendered>> {
        let issuer = self.keys.issuer(institution_id);
        let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, 8);
        let per = items.len().div_ceil(threads).max(1);
        let mut batches = Vec::new();
        let mut items = items.into_iter().peekable();
        while items.peek().is_some() {
            let batch: Vec<ToRender> = items.by_ref().take(per).collect();
            let (issuer, url) = (issuer.clone(), self.public_url.clone());
            batches.push(tokio::task::spawn_blocking(move || {
                batch
                    .iter()
                    .map(|t| render(&issuer, &url, &t.id, t.index, &t.token, &t.content))
                    .collect::<ApiResult<Vec<_>>>()
            }));
        }
        let mut out = Vec::new();
        for b in batches {
            out.extend(b.await.map_err(|_| ApiError::internal())??);
        }
        Ok(out)
    }
}

/// One diploma to render: its id, status bit, QR token and content.
pub(crate) struct ToRender {
    id: String,
    index: i64,
    token: String,
    content: Content,
}

impl ToRender {
    fn again(&self) -> Self {
        Self { id: self.id.clone(), index: self.index, token: self.token.clone(), content: self.content.clone() }
    }
}

/// Everything a diploma row holds, made from its content: the signed credential and the
/// PDFs.
fn render(
    issuer: &crate::keys::Issuer,
    public_url: &str,
    id: &str,
    status_index: i64,
    tok: &str,
    content: &Content,
) -> ApiResult<Rendered> {
    let json = serde_json::to_string(content).map_err(|_| ApiError::internal())?;
    let sha = sha256_hex(json.as_bytes());
    let url = format!("{public_url}/verify/{tok}");
    let status = credential::StatusRef {
        list_url: format!("{public_url}/credentials/status/{}", content.institution_code),
        index: status_index,
    };
    let vc = credential::diploma_credential(id, content, &sha, issuer, &status, &url)
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("signing failed: {e}")))?;
    Ok(Rendered {
        public: serde_json::json!({
            "holder": content.holder,
            "qualification": content.qualification,
            "institution": content.institution,
        })
        .to_string(),
        json,
        sha,
        credential: vc,
        pdf_diploma: document::diploma_pdf(content, &url),
        pdf_supplement: document::supplement_pdf(content, &url, false),
    })
}

impl DiplomaService {
    /// One attempt at writing a group's diplomas (see `issue`): `plan_stale` when the
    /// register changed between the plan and the transaction. The issuance's id: this
    /// one, or the one the same request wrote meanwhile (then nothing is written).
    #[allow(clippy::too_many_arguments)]
    async fn issue_once(
        &self,
        ctx: &CallCtx,
        p: &Principal,
        input: &IssueInput,
        d: &edu24_catalogue::domain::ProgrammeDetail,
        chosen: &[&Candidate],
        persons: &[edu24_records::domain::Person],
        year: i32,
        issuance_id: &str,
    ) -> ApiResult<String> {
        let stale = |what: &str| conflict("plan_stale", format!("{what} changed meanwhile"));
        let kind_of = |honours: bool| BlankKind::for_level(d.programme.level, honours).ok_or_else(ApiError::internal);
        let inst = &input.institution_id;
        let n = chosen.len() as i64;
        // The plan, from a read connection.
        let mut conn = self.db.pool().acquire().await?;
        let mut forms: Vec<Option<(String, i64)>> = vec![None; chosen.len()];
        for honours in [false, true] {
            let list: Vec<usize> = (0..chosen.len()).filter(|&i| chosen[i].assessed.honours == honours).collect();
            if list.is_empty() {
                continue;
            }
            let kind = kind_of(honours)?;
            // The series named is that of the ordinary forms; honours forms come from it
            // if it has them, or else from the lowest in stock.
            let taken = match Self::take_forms(&mut conn, inst, kind, &input.series, list.len()).await {
                Err(e) if honours && !input.series.is_empty() && e.reason.as_deref() == Some("forms_short") => {
                    Self::take_forms(&mut conn, inst, kind, "", list.len()).await?
                }
                r => r?,
            };
            for (i, f) in list.iter().zip(taken) {
                forms[*i] = Some(f);
            }
        }
        let forms: Vec<(String, i64)> = forms.into_iter().map(|f| f.expect("a form for everyone")).collect();
        let numbered = Self::numbered(&mut conn, inst, &d.institution.code, year).await?;
        let first_index = Self::free_index(&mut conn, inst).await?;
        drop(conn);
        if first_index + n > credential::STATUS_LIST_SIZE {
            return Err(conflict("status_list_full", "the institution's status list is full"));
        }
        let mut plan = Vec::with_capacity(chosen.len());
        for (i, c) in chosen.iter().enumerate() {
            let number = domain::diploma_number(&d.institution.code, year, numbered + 1 + i as i64);
            let content = self.content(c, &persons[i], d, input, &number, (&forms[i].0, forms[i].1), None);
            plan.push(ToRender { id: new_id(), index: first_index + i as i64, token: token(), content });
        }
        let rendered = self.render_all(inst, plan.iter().map(ToRender::again).collect()).await?;

        // The write, if the plan still holds.
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        let request = if input.request_id.is_empty() { issuance_id.to_owned() } else { input.request_id.clone() };
        let earlier = sqlx::query("SELECT id FROM issuance WHERE request_id = $1")
            .bind(&request)
            .fetch_optional(tx.conn())
            .await?
            .map(|r| r.get::<String, _>(0));
        if let Some(id) = earlier {
            return Ok(id);
        }
        if !Self::claim_indexes(&mut tx, inst, first_index, n).await? {
            return Err(stale("the status list"));
        }
        if Self::numbered(tx.conn(), inst, &d.institution.code, year).await? != numbered {
            return Err(stale("the register's numbers"));
        }
        sqlx::query(
            "INSERT INTO issuance (id, institution_id, programme_id, study_group, order_no, order_signed_on, signatory, \
             issued_on, state, diplomas, created_at, created_by, request_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10, $11, $12)",
        )
        .bind(issuance_id)
        .bind(inst)
        .bind(&input.programme_id)
        .bind(&input.study_group)
        .bind(input.order_no.trim())
        .bind(&input.order_signed_on)
        .bind(input.signatory.trim())
        .bind(&input.issued_on)
        .bind(n)
        .bind(now)
        .bind(p.actor())
        .bind(&request)
        .execute(tx.conn())
        .await?;
        for (i, (c, (t, r))) in chosen.iter().zip(plan.iter().zip(&rendered)).enumerate() {
            Self::insert_diploma(
                &mut tx,
                &t.id,
                inst,
                issuance_id,
                &t.content,
                &c.transcript.enrolment.id,
                &persons[i].id,
                None,
                t.index,
                &t.token,
                r,
                &p.actor(),
                now,
            )
            .await
            .map_err(|e| match e.as_database_error() {
                // Another issuance gave this student a diploma meanwhile.
                Some(d) if d.is_unique_violation() => {
                    conflict("diploma_exists", format!("{} holds a diploma already", c.transcript.name.family))
                        .with_field("enrolment_ids")
                }
                _ => ApiError::from(e),
            })?;
            Self::use_form(&mut tx, &forms[i], &t.id, &p.actor(), now)
                .await
                .map_err(|e| if e.reason.as_deref() == Some("form_taken") { stale("the stock of forms") } else { e })?;
            Self::move_row(
                &mut tx,
                inst,
                kind_of(c.assessed.honours)?.as_str(),
                &forms[i].0,
                (forms[i].1, forms[i].1),
                "used",
                Some(&t.id),
                &t.content.number,
                &p.actor(),
            )
            .await?;
        }
        self.audit(
            &mut tx,
            ctx,
            &p.actor(),
            "diploma.issuance",
            issuance_id,
            &format!("{} {} diplomas, order {}", input.study_group, n, input.order_no),
        )
        .await?;
        tx.commit().await?;
        Ok(issuance_id.to_owned())
    }

    /// Takes `n` forms of `kind` in number order (from `series`, or the lowest in stock).
    async fn take_forms(
        conn: &mut sqlx::AnyConnection,
        institution_id: &str,
        kind: BlankKind,
        series: &str,
        n: usize,
    ) -> ApiResult<Vec<(String, i64)>> {
        let rows = if series.is_empty() {
            sqlx::query(
                "SELECT series, number FROM blank_form WHERE institution_id = $1 AND kind = $2 AND state = 'in_stock' \
                 ORDER BY series, number LIMIT $3",
            )
            .bind(institution_id)
            .bind(kind.as_str())
            .bind(n as i64)
            .fetch_all(&mut *conn)
            .await?
        } else {
            sqlx::query(
                "SELECT series, number FROM blank_form WHERE institution_id = $1 AND kind = $2 AND state = 'in_stock' \
                 AND series = $3 ORDER BY number LIMIT $4",
            )
            .bind(institution_id)
            .bind(kind.as_str())
            .bind(series)
            .bind(n as i64)
            .fetch_all(&mut *conn)
            .await?
        };
        if rows.len() < n {
            return Err(conflict(
                "forms_short",
                format!("{} forms of kind {} in stock, {n} needed", rows.len(), kind.as_str()),
            )
            .with_field("series"));
        }
        Ok(rows.into_iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    async fn use_form(
        tx: &mut WriteTx,
        form: &(String, i64),
        diploma_id: &str,
        actor: &str,
        now: i64,
    ) -> ApiResult<()> {
        let n = sqlx::query(
            "UPDATE blank_form SET state = 'used', diploma_id = $3, changed_at = $4, changed_by = $5 \
             WHERE series = $1 AND number = $2 AND state = 'in_stock'",
        )
        .bind(&form.0)
        .bind(form.1)
        .bind(diploma_id)
        .bind(now)
        .bind(actor)
        .execute(tx.conn())
        .await?
        .rows_affected();
        if n != 1 {
            return Err(conflict("form_taken", format!("form {} {} is not in stock", form.0, form.1)));
        }
        Ok(())
    }

    async fn next_index(tx: &mut WriteTx, institution_id: &str) -> ApiResult<i64> {
        sqlx::query("INSERT INTO status_list (institution_id, next_index) VALUES ($1, 0) ON CONFLICT (institution_id) DO NOTHING")
            .bind(institution_id)
            .execute(tx.conn())
            .await?;
        let r = sqlx::query(
            "UPDATE status_list SET next_index = next_index + 1 WHERE institution_id = $1 RETURNING next_index",
        )
        .bind(institution_id)
        .fetch_one(tx.conn())
        .await?;
        let next: i64 = r.get(0);
        if next > credential::STATUS_LIST_SIZE {
            return Err(conflict("status_list_full", "the institution's status list is full"));
        }
        Ok(next - 1)
    }

    async fn next_number(tx: &mut WriteTx, institution_id: &str, code: &str, year: i32) -> ApiResult<String> {
        let n = Self::numbered(tx.conn(), institution_id, code, year).await?;
        Ok(domain::diploma_number(code, year, n + 1))
    }

    /// How many diplomas of the year the institution has numbered.
    async fn numbered(conn: &mut sqlx::AnyConnection, institution_id: &str, code: &str, year: i32) -> ApiResult<i64> {
        let prefix = format!("{}-{year}-", code.to_uppercase());
        Ok(sqlx::query("SELECT COUNT(*) FROM diploma WHERE institution_id = $1 AND number LIKE $2")
            .bind(institution_id)
            .bind(format!("{prefix}%"))
            .fetch_one(&mut *conn)
            .await?
            .get(0))
    }

    /// The institution's next free status bit, as last committed.
    async fn free_index(conn: &mut sqlx::AnyConnection, institution_id: &str) -> ApiResult<i64> {
        let r = sqlx::query("SELECT next_index FROM status_list WHERE institution_id = $1")
            .bind(institution_id)
            .fetch_optional(&mut *conn)
            .await?;
        Ok(r.map(|r| r.get(0)).unwrap_or(0))
    }

    /// Takes `n` status bits from `first`, if nobody took any since it was read; holds
    /// the institution's row (its lock on PostgreSQL) to the end of the transaction.
    async fn claim_indexes(tx: &mut WriteTx, institution_id: &str, first: i64, n: i64) -> ApiResult<bool> {
        sqlx::query("INSERT INTO status_list (institution_id, next_index) VALUES ($1, 0) ON CONFLICT (institution_id) DO NOTHING")
            .bind(institution_id)
            .execute(tx.conn())
            .await?;
        let done = sqlx::query(
            "UPDATE status_list SET next_index = next_index + $3 WHERE institution_id = $1 AND next_index = $2",
        )
        .bind(institution_id)
        .bind(first)
        .bind(n)
        .execute(tx.conn())
        .await?
        .rows_affected();
        Ok(done == 1)
    }

    #[allow(clippy::too_many_arguments)]
    async fn insert_diploma(
        tx: &mut WriteTx,
        id: &str,
        institution_id: &str,
        issuance_id: &str,
        c: &Content,
        enrolment_id: &str,
        person_id: &str,
        duplicate_of: Option<&str>,
        status_index: i64,
        tok: &str,
        r: &Rendered,
        actor: &str,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO diploma (id, number, institution_id, institution_code, issuance_id, enrolment_id, person_id, \
             programme_id, name_key, honours, issued_on, form_series, form_number, duplicate_of, status_index, level, \
             specialty_code, public_view, content, content_sha256, credential, pdf_diploma, pdf_supplement, token, state, \
             state_reason, state_by, created_at, created_by, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, \
             $22, $23, $24, 'pending', '', '', $25, $26, 1)",
        )
        .bind(id)
        .bind(&c.number)
        .bind(institution_id)
        .bind(&c.institution_code)
        .bind(issuance_id)
        .bind(enrolment_id)
        .bind(person_id)
        .bind(&c.programme_id)
        .bind(name_key(&c.holder.family))
        .bind(i64::from(c.honours))
        .bind(&c.issued_on)
        .bind(&c.form_series)
        .bind(c.form_number)
        .bind(duplicate_of.map(str::to_owned))
        .bind(status_index)
        .bind(&c.level)
        .bind(&c.specialty_code)
        .bind(&r.public)
        .bind(&r.json)
        .bind(&r.sha)
        .bind(&r.credential)
        .bind(r.pdf_diploma.clone())
        .bind(r.pdf_supplement.clone())
        .bind(tok)
        .bind(now)
        .bind(actor)
        .execute(tx.conn())
        .await?;
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn move_row(
        tx: &mut WriteTx,
        institution_id: &str,
        kind: &str,
        series: &str,
        range: (i64, i64),
        action: &str,
        diploma_id: Option<&str>,
        reason: &str,
        actor: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO blank_move (institution_id, kind, series, first_no, last_no, action, diploma_id, reason, at, actor) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(institution_id)
        .bind(kind)
        .bind(series)
        .bind(range.0)
        .bind(range.1)
        .bind(action)
        .bind(diploma_id.map(str::to_owned))
        .bind(reason)
        .bind(now_ms())
        .bind(actor)
        .execute(tx.conn())
        .await?;
        let ev = pb::FormsMoved {
            institution_id: institution_id.into(),
            kind: kind.into(),
            series: series.into(),
            first_no: range.0,
            last_no: range.1,
            action: action.into(),
            diploma_id: diploma_id.unwrap_or_default().into(),
            reason: reason.into(),
        };
        outbox_add(tx, events::FORMS_MOVED, &ev, actor).await?;
        Ok(())
    }

    /// Who may read a diploma in full: its institution's staff, the ministry, its holder.
    async fn may_read(&self, ctx: &CallCtx, d: &DiplomaSummary, person_id: &str) -> ApiResult<bool> {
        let p = self.auth.require(ctx).await?;
        if Self::staffs(&p, &d.institution_id) || Self::is_ministry(&p) {
            return Ok(true);
        }
        Ok(self.holder_person(ctx).await?.as_deref() == Some(person_id))
    }

    /// The caller's person in records, if linked.
    async fn holder_person(&self, ctx: &CallCtx) -> ApiResult<Option<String>> {
        Ok(self.records.my_space(ctx).await?.file.map(|f| f.person.id))
    }

    async fn check_public(&self, ctx: &CallCtx, q: &VerifyQuery) -> ApiResult<(PublicCheck, Option<String>)> {
        let row = if !q.token.is_empty() {
            store::public_by_token(&self.db, &q.token).await?
        } else {
            let family = name_key(&q.family_name);
            if q.number.trim().is_empty() || family.is_empty() {
                return Err(ApiError::invalid("number", "give the diploma's number and the holder's family name")
                    .with_reason("number_and_name_required"));
            }
            if !self.limiter.allow(ctx.client_addr.as_deref().unwrap_or("-")) {
                return Err(ApiError::new(
                    ErrorCode::ResourceExhausted,
                    "too many checks from this address; wait a minute",
                )
                .with_reason("verify_throttled"));
            }
            store::public_by_number(&self.db, &q.number.trim().to_uppercase(), &family).await?
        };
        let Some((id, check)) = row else {
            return Ok((
                PublicCheck {
                    outcome: CheckOutcome::NotFound,
                    number: q.number.trim().to_owned(),
                    holder: None,
                    qualification: None,
                    institution: None,
                    issued_on: String::new(),
                    honours: false,
                    state_on: None,
                    state_reason: String::new(),
                    duplicate: false,
                },
                None,
            ));
        };
        Ok((check, Some(id)))
    }
}

/// A student of the group with what was read for them.
pub(crate) struct Candidate {
    transcript: edu24_records::grading::Transcript,
    assessed: Assessed,
}

pub(crate) struct Rendered {
    public: String,
    json: String,
    sha: String,
    credential: String,
    pdf_diploma: Vec<u8>,
    pdf_supplement: Vec<u8>,
}

fn issued_event(
    id: &str,
    institution_id: &str,
    d: &DiplomaSummary,
    person_id: &str,
    c: &Content,
    sha: &str,
) -> pb::DiplomaIssued {
    pb::DiplomaIssued {
        diploma_id: id.into(),
        number: d.number.clone(),
        institution_id: institution_id.into(),
        enrolment_id: d.enrolment_id.clone(),
        person_id: person_id.into(),
        programme_id: c.programme_id.clone(),
        specialty_code: c.specialty_code.clone(),
        level: c.level.clone(),
        honours: c.honours,
        issued_on: c.issued_on.clone(),
        form_series: c.form_series.clone(),
        form_number: c.form_number,
        duplicate_of: c.duplicate_of.clone().unwrap_or_default(),
        content_sha256: sha.into(),
    }
}

#[async_trait]
impl DiplomaApi for DiplomaService {
    async fn receipt_add(&self, ctx: &CallCtx, input: ReceiptInput) -> ApiResult<Receipt> {
        let kind = input.validate()?;
        let p = self.staff_or_ministry_admin(ctx, &input.institution_id).await?;
        let series = input.series.trim().to_owned();
        let mut tx = self.db.begin_write().await?;
        let taken: Option<i64> =
            sqlx::query("SELECT MIN(number) FROM blank_form WHERE series = $1 AND number BETWEEN $2 AND $3")
                .bind(&series)
                .bind(input.first_no)
                .bind(input.last_no)
                .fetch_one(tx.conn())
                .await?
                .get(0);
        if let Some(n) = taken {
            return Err(ApiError::new(ErrorCode::AlreadyExists, format!("form {series} {n} is recorded already"))
                .with_reason("form_exists")
                .with_field("first_no"));
        }
        let now = now_ms();
        let r = Receipt {
            id: new_id(),
            institution_id: input.institution_id.clone(),
            kind,
            series: series.clone(),
            first_no: input.first_no,
            last_no: input.last_no,
            document_no: input.document_no.trim().to_owned(),
            received_on: input.received_on.clone(),
            recorded_at_ms: now,
            recorded_by: p.actor(),
        };
        store::receipt_insert(&mut tx, &r).await?;
        Self::move_row(
            &mut tx,
            &r.institution_id,
            kind.as_str(),
            &series,
            (r.first_no, r.last_no),
            "received",
            None,
            &r.document_no,
            &p.actor(),
        )
        .await?;
        self.audit(
            &mut tx,
            ctx,
            &p.actor(),
            "diploma.forms.received",
            &r.id,
            &format!("{series} {}-{}", r.first_no, r.last_no),
        )
        .await?;
        tx.commit().await?;
        self.relay.wake();
        Ok(r)
    }

    async fn forms_move(&self, ctx: &CallCtx, input: FormMoveInput) -> ApiResult<i64> {
        let state = input.validate()?;
        let p = self.staff(ctx, &input.institution_id).await?;
        let series = input.series.trim().to_owned();
        let mut tx = self.db.begin_write().await?;
        let rows = sqlx::query(
            "SELECT number, state, kind FROM blank_form WHERE series = $1 AND number BETWEEN $2 AND $3 \
             AND institution_id = $4 ORDER BY number",
        )
        .bind(&series)
        .bind(input.first_no)
        .bind(input.last_no)
        .bind(&input.institution_id)
        .fetch_all(tx.conn())
        .await?;
        let mut expect = input.first_no;
        let mut kind = String::new();
        for r in &rows {
            let n: i64 = r.get(0);
            if n != expect {
                break;
            }
            let st: String = r.get(1);
            if st != "in_stock" {
                return Err(conflict("form_not_in_stock", format!("form {series} {n} is {st}")).with_field("first_no"));
            }
            kind = r.get(2);
            expect += 1;
        }
        if expect != input.last_no + 1 {
            return Err(ApiError::invalid("first_no", format!("form {series} {expect} is not the institution's"))
                .with_reason("form_unknown"));
        }
        let now = now_ms();
        let n = sqlx::query(
            "UPDATE blank_form SET state = $1, reason = $2, changed_at = $3, changed_by = $4 \
             WHERE series = $5 AND number BETWEEN $6 AND $7 AND institution_id = $8 AND state = 'in_stock'",
        )
        .bind(state.as_str())
        .bind(input.reason.trim())
        .bind(now)
        .bind(p.actor())
        .bind(&series)
        .bind(input.first_no)
        .bind(input.last_no)
        .bind(&input.institution_id)
        .execute(tx.conn())
        .await?
        .rows_affected() as i64;
        Self::move_row(
            &mut tx,
            &input.institution_id,
            &kind,
            &series,
            (input.first_no, input.last_no),
            state.as_str(),
            None,
            input.reason.trim(),
            &p.actor(),
        )
        .await?;
        self.audit(
            &mut tx,
            ctx,
            &p.actor(),
            &format!("diploma.forms.{}", state.as_str()),
            &input.institution_id,
            &format!("{series} {}-{}: {}", input.first_no, input.last_no, input.reason.trim()),
        )
        .await?;
        tx.commit().await?;
        self.relay.wake();
        Ok(n)
    }

    async fn ledger(&self, ctx: &CallCtx, institution_id: Option<&str>) -> ApiResult<Vec<Ledger>> {
        let p = self.auth.require(ctx).await?;
        match institution_id {
            Some(i) if Self::staffs(&p, i) || Self::is_ministry(&p) => Ok(store::ledger(&self.db, Some(i)).await?),
            None if Self::is_ministry(&p) => Ok(store::ledger(&self.db, None).await?),
            _ => Err(ApiError::forbidden()),
        }
    }

    async fn forms(&self, ctx: &CallCtx, query: &FormQuery) -> ApiResult<Page<Form>> {
        let p = self.auth.require(ctx).await?;
        if !Self::staffs(&p, &query.institution_id) && !Self::is_ministry(&p) {
            return Err(ApiError::forbidden());
        }
        if let Some(s) = &query.state
            && FormState::parse(s).is_none()
        {
            return Err(ApiError::invalid("state", "in_stock, used, spoiled or returned"));
        }
        Ok(store::forms(&self.db, query).await?)
    }

    async fn receipts(&self, ctx: &CallCtx, institution_id: &str) -> ApiResult<Vec<Receipt>> {
        let p = self.auth.require(ctx).await?;
        if !Self::staffs(&p, institution_id) && !Self::is_ministry(&p) {
            return Err(ApiError::forbidden());
        }
        Ok(store::receipts(&self.db, institution_id).await?)
    }

    async fn honours_rule(&self, _ctx: &CallCtx, institution_id: &str) -> ApiResult<HonoursRule> {
        self.rule(institution_id).await
    }

    async fn honours_rule_set(&self, ctx: &CallCtx, institution_id: &str, rule: HonoursRule) -> ApiResult<HonoursRule> {
        rule.validate()?;
        let p = self.auth.require(ctx).await?;
        // The institution's own admin: the rule is the institution's, not the ministry's.
        let own_admin = p
            .claims
            .roles
            .iter()
            .any(|g| g.role == Role::InstitutionAdmin && g.inst.as_deref() == Some(institution_id));
        if !own_admin {
            return Err(ApiError::forbidden());
        }
        let mut tx = self.db.begin_write().await?;
        store::rule_put(&mut tx, institution_id, &rule, &p.actor()).await?;
        self.audit(
            &mut tx,
            ctx,
            &p.actor(),
            "diploma.honours_rule",
            institution_id,
            &serde_json::to_string(&rule).unwrap_or_default(),
        )
        .await?;
        tx.commit().await?;
        Ok(rule)
    }

    async fn eligibility(&self, ctx: &CallCtx, query: &GroupQuery) -> ApiResult<GroupEligibility> {
        let p = self.auth.require(ctx).await?;
        if !Self::staffs(&p, &query.institution_id) && !Self::is_ministry(&p) {
            return Err(ApiError::forbidden());
        }
        if query.study_group.trim().is_empty() {
            return Err(ApiError::invalid("study_group", "choose a study group"));
        }
        Ok(self.assess_group(ctx, query).await?.0)
    }

    async fn issue(&self, ctx: &CallCtx, input: IssueInput) -> ApiResult<IssuanceReport> {
        input.validate()?;
        let p = self.staff(ctx, &input.institution_id).await?;
        if !input.request_id.is_empty()
            && let Some(id) = store::issuance_of_request(&self.db, &input.request_id).await?
        {
            return self.finish(ctx, &id).await;
        }
        let d = self.catalogue.programme_get(&CallCtx::anonymous(), &input.programme_id).await.map_err(|e| {
            if e.code == ErrorCode::NotFound { ApiError::invalid("programme_id", "no such programme") } else { e }
        })?;
        if d.institution.id != input.institution_id {
            return Err(ApiError::invalid("programme_id", "the programme is another institution's"));
        }
        let kind_of = |honours: bool| BlankKind::for_level(d.programme.level, honours);
        if kind_of(false).is_none() {
            return Err(conflict("level_without_diploma", "this level is not awarded a diploma here"));
        }
        let q = GroupQuery {
            institution_id: input.institution_id.clone(),
            programme_id: input.programme_id.clone(),
            study_group: input.study_group.clone(),
        };
        let (_, candidates) = self.assess_group(ctx, &q).await?;
        let chosen: Vec<&Candidate> = if input.enrolment_ids.is_empty() {
            candidates.iter().filter(|c| c.assessed.blockers.is_empty()).collect()
        } else {
            let mut v = Vec::new();
            for id in &input.enrolment_ids {
                let c = candidates
                    .iter()
                    .find(|c| &c.transcript.enrolment.id == id)
                    .ok_or_else(|| ApiError::invalid("enrolment_ids", format!("{id} is not a student of the group")))?;
                if let Some(b) = c.assessed.blockers.first() {
                    return Err(conflict(
                        "not_eligible",
                        format!("{} {}: {}", c.transcript.name.family, c.transcript.name.given, b.code),
                    )
                    .with_field("enrolment_ids"));
                }
                v.push(c);
            }
            v
        };
        if chosen.is_empty() {
            return Err(conflict("nobody_eligible", "no student of the group may be awarded a diploma yet"));
        }
        // Persons (Latin names, birth dates) before the transaction.
        let mut persons = Vec::with_capacity(chosen.len());
        for c in &chosen {
            persons.push(self.records.person_get(ctx, &c.transcript.enrolment.person_id).await?.person);
        }
        let year: i32 = input.issued_on[..4].parse().unwrap_or(2026);
        let issuance_id = new_id();
        // The diplomas are planned and rendered from what was last committed, outside the
        // database writer (500 take seconds of PDFs and signatures); the transaction then
        // checks that the plan still holds (the same next number, status bits and forms)
        // and writes it, or the plan is made again.
        let mut attempt = 0;
        let issuance_id = loop {
            attempt += 1;
            match self.issue_once(ctx, &p, &input, &d, &chosen, &persons, year, &issuance_id).await {
                Err(e) if e.reason.as_deref() == Some("plan_stale") && attempt < 4 => {
                    self.replans.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    tracing::info!(attempt, "another change of the institution's register meanwhile; planning again");
                }
                Err(e) if e.reason.as_deref() == Some("plan_stale") => {
                    return Err(conflict("busy", "the institution's register is being changed by others; try again"));
                }
                r => break r?,
            }
        };
        tracing::info!(issuance = %issuance_id, diplomas = chosen.len(), "diplomas written; asking records for the graduation orders");
        // Crash tests stop the process here on purpose (a fault-injection point).
        // `diploma-before-orders` holds 30 s, `diploma-before-orders=MS` that long.
        if let Ok(fp) = std::env::var("EDU24_FAILPOINT")
            && let Some(rest) = fp.strip_prefix("diploma-before-orders")
        {
            let ms = rest.strip_prefix('=').and_then(|v| v.parse().ok()).unwrap_or(30_000);
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
        }
        self.finish(ctx, &issuance_id).await
    }

    async fn issuance_resume(&self, ctx: &CallCtx, issuance_id: &str) -> ApiResult<IssuanceReport> {
        let iss = store::issuance_get(&self.db, issuance_id).await?.ok_or_else(|| ApiError::not_found("issuance"))?;
        self.staff(ctx, &iss.institution_id).await?;
        self.finish(ctx, issuance_id).await
    }

    async fn diplomas(&self, ctx: &CallCtx, query: &DiplomaQuery) -> ApiResult<Page<DiplomaSummary>> {
        let p = self.auth.require(ctx).await?;
        if query.institution_id.is_empty() {
            if !Self::is_ministry(&p) {
                return Err(ApiError::forbidden());
            }
        } else if !Self::staffs(&p, &query.institution_id) && !Self::is_ministry(&p) {
            return Err(ApiError::forbidden());
        }
        if let Some(s) = &query.state
            && DiplomaState::parse(s).is_none()
        {
            return Err(ApiError::invalid("state", "valid, revoked, annulled, replaced or pending"));
        }
        Ok(store::diplomas(&self.db, query).await?)
    }

    async fn diploma_get(&self, ctx: &CallCtx, id: &str) -> ApiResult<Diploma> {
        let d = store::diploma_get(&self.db, id).await?.ok_or_else(|| ApiError::not_found("diploma"))?;
        if d.summary.state == DiplomaState::Pending || !self.may_read(ctx, &d.summary, &d.person_id).await? {
            return Err(ApiError::not_found("diploma"));
        }
        Ok(d)
    }

    async fn diploma_file(&self, ctx: &CallCtx, id: &str, file: DiplomaFile) -> ApiResult<Vec<u8>> {
        let d = self.diploma_get(ctx, id).await?;
        if file == DiplomaFile::SupplementEn {
            if let Some(b) = store::file(&self.db, id, file).await? {
                return Ok(b);
            }
            let pdf = document::supplement_pdf(&d.content, &self.verify_url(&d.token), true);
            let mut tx = self.db.begin_write().await?;
            sqlx::query("UPDATE diploma SET pdf_supplement_en = $2 WHERE id = $1 AND pdf_supplement_en IS NULL")
                .bind(id)
                .bind(pdf.clone())
                .execute(tx.conn())
                .await?;
            tx.commit().await?;
            return Ok(store::file(&self.db, id, file).await?.unwrap_or(pdf));
        }
        store::file(&self.db, id, file).await?.ok_or_else(|| ApiError::not_found("file"))
    }

    async fn my_diplomas(&self, ctx: &CallCtx) -> ApiResult<Vec<DiplomaSummary>> {
        self.auth.require(ctx).await?;
        let Some(person) = self.holder_person(ctx).await? else { return Ok(Vec::new()) };
        Ok(store::diplomas_of_person(&self.db, &person).await?)
    }

    async fn status_change(&self, ctx: &CallCtx, input: StatusInput) -> ApiResult<Diploma> {
        let state = match input.state.as_str() {
            "revoked" => DiplomaState::Revoked,
            "annulled" => DiplomaState::Annulled,
            _ => return Err(ApiError::invalid("state", "revoked or annulled").with_reason("state_unknown")),
        };
        let reason = input.reason.trim();
        if !(5..=1000).contains(&reason.chars().count()) {
            return Err(ApiError::invalid("reason", "say why (5 to 1000 characters)").with_reason("reason_missing"));
        }
        if !is_date(&input.effective_on) {
            return Err(ApiError::invalid("effective_on", "a date as YYYY-MM-DD").with_reason("date_invalid"));
        }
        let d = store::diploma_get(&self.db, &input.diploma_id).await?.ok_or_else(|| ApiError::not_found("diploma"))?;
        let p = self.auth.require(ctx).await?;
        if !Self::staffs(&p, &d.summary.institution_id) && !p.has_role(Role::MinistryAdmin) {
            return Err(ApiError::not_found("diploma"));
        }
        if d.summary.state != DiplomaState::Valid {
            return Err(conflict("not_valid", format!("the diploma is {}", d.summary.state.as_str())));
        }
        let mut tx = self.db.begin_write().await?;
        let n = sqlx::query(
            "UPDATE diploma SET state = $2, state_on = $3, state_reason = $4, state_by = $5, version = version + 1 \
             WHERE id = $1 AND state = 'valid'",
        )
        .bind(&input.diploma_id)
        .bind(state.as_str())
        .bind(&input.effective_on)
        .bind(reason)
        .bind(p.actor())
        .execute(tx.conn())
        .await?
        .rows_affected();
        if n != 1 {
            return Err(conflict("not_valid", "the diploma changed meanwhile"));
        }
        let ev = pb::DiplomaStatusChanged {
            diploma_id: input.diploma_id.clone(),
            number: d.summary.number.clone(),
            institution_id: d.summary.institution_id.clone(),
            state: state.as_str().into(),
            reason: reason.into(),
            effective_on: input.effective_on.clone(),
            version: 0,
        };
        outbox_add(&mut tx, events::STATUS_CHANGED, &ev, &p.actor()).await?;
        self.audit(&mut tx, ctx, &p.actor(), &format!("diploma.{}", state.as_str()), &input.diploma_id, reason).await?;
        tx.commit().await?;
        self.relay.wake();
        self.diploma_get(ctx, &input.diploma_id).await
    }

    async fn duplicate_issue(&self, ctx: &CallCtx, input: DuplicateInput) -> ApiResult<Diploma> {
        let reason = input.reason.trim();
        if !(5..=1000).contains(&reason.chars().count()) {
            return Err(ApiError::invalid("reason", "say why a duplicate is issued (5 to 1000 characters)")
                .with_reason("reason_missing"));
        }
        if !is_date(&input.issued_on) {
            return Err(ApiError::invalid("issued_on", "a date as YYYY-MM-DD").with_reason("date_invalid"));
        }
        if !input.series.is_empty() && !is_series(&input.series) {
            return Err(ApiError::invalid("series", "a series is 1 to 6 capital letters or digits"));
        }
        let orig =
            store::diploma_get(&self.db, &input.diploma_id).await?.ok_or_else(|| ApiError::not_found("diploma"))?;
        let p = self.staff(ctx, &orig.summary.institution_id).await.map_err(|_| ApiError::not_found("diploma"))?;
        if !input.request_id.is_empty()
            && let Some(id) = store::duplicate_of_request(&self.db, &input.request_id).await?
        {
            return self.diploma_get(ctx, &id).await;
        }
        if orig.summary.state != DiplomaState::Valid {
            return Err(conflict("not_valid", format!("the diploma is {}: no duplicate", orig.summary.state.as_str())));
        }
        let level =
            edu24_shared::names::Level::parse(&orig.content.level).unwrap_or(edu24_shared::names::Level::Bachelor);
        let kind = BlankKind::for_level(level, orig.content.honours).ok_or_else(ApiError::internal)?;
        let now = now_ms();
        let id = new_id();
        let mut tx = self.db.begin_write().await?;
        let n = sqlx::query(
            "UPDATE diploma SET state = 'replaced', state_on = $2, state_reason = $3, state_by = $4, version = version + 1 \
             WHERE id = $1 AND state = 'valid'",
        )
        .bind(&input.diploma_id)
        .bind(&input.issued_on)
        .bind(reason)
        .bind(p.actor())
        .execute(tx.conn())
        .await?
        .rows_affected();
        if n != 1 {
            return Err(conflict("not_valid", "the diploma changed meanwhile"));
        }
        // The status list's row first: it is the institution's lock on PostgreSQL, so
        // that the form and the count below see every diploma written before.
        let index = Self::next_index(&mut tx, &orig.summary.institution_id).await?;
        let form = Self::take_forms(tx.conn(), &orig.summary.institution_id, kind, &input.series, 1).await?.remove(0);
        let year: i32 = input.issued_on[..4].parse().unwrap_or(2026);
        let number =
            Self::next_number(&mut tx, &orig.summary.institution_id, &orig.content.institution_code, year).await?;
        let mut content = orig.content.clone();
        content.number = number.clone();
        content.form_series = form.0.clone();
        content.form_number = form.1;
        content.issued_on = input.issued_on.clone();
        content.duplicate_of = Some(orig.summary.number.clone());
        let tok = token();
        let r = self.render(&id, &orig.summary.institution_id, index, &tok, &content)?;
        // The duplicate's own issuance row: nothing to ask of records (already graduated).
        let iss = new_id();
        sqlx::query(
            "INSERT INTO issuance (id, institution_id, programme_id, study_group, order_no, order_signed_on, signatory, \
             issued_on, state, diplomas, created_at, created_by, done_at, request_id) \
             VALUES ($1, $2, $3, '', $4, $5, $6, $7, 'done', 1, $8, $9, $8, $10)",
        )
        .bind(&iss)
        .bind(&orig.summary.institution_id)
        .bind(&content.programme_id)
        .bind(&content.order_no)
        .bind(&content.order_signed_on)
        .bind(&content.signatory)
        .bind(&input.issued_on)
        .bind(now)
        .bind(p.actor())
        .bind(if input.request_id.is_empty() { format!("duplicate:{id}") } else { format!("duplicate:{}", input.request_id) })
        .execute(tx.conn())
        .await?;
        Self::insert_diploma(
            &mut tx,
            &id,
            &orig.summary.institution_id,
            &iss,
            &content,
            &orig.summary.enrolment_id,
            &orig.person_id,
            Some(&input.diploma_id),
            index,
            &tok,
            &r,
            &p.actor(),
            now,
        )
        .await?;
        sqlx::query("UPDATE diploma SET state = 'valid' WHERE id = $1").bind(&id).execute(tx.conn()).await?;
        Self::use_form(&mut tx, &form, &id, &p.actor(), now).await?;
        Self::move_row(
            &mut tx,
            &orig.summary.institution_id,
            kind.as_str(),
            &form.0,
            (form.1, form.1),
            "used",
            Some(&id),
            &number,
            &p.actor(),
        )
        .await?;
        let summary = DiplomaSummary {
            id: id.clone(),
            number: number.clone(),
            enrolment_id: orig.summary.enrolment_id.clone(),
            ..orig.summary.clone()
        };
        outbox_add(
            &mut tx,
            events::ISSUED,
            &issued_event(&id, &orig.summary.institution_id, &summary, &orig.person_id, &content, &r.sha),
            &p.actor(),
        )
        .await?;
        let ev = pb::DiplomaStatusChanged {
            diploma_id: input.diploma_id.clone(),
            number: orig.summary.number.clone(),
            institution_id: orig.summary.institution_id.clone(),
            state: "replaced".into(),
            reason: reason.into(),
            effective_on: input.issued_on.clone(),
            version: 0,
        };
        outbox_add(&mut tx, events::STATUS_CHANGED, &ev, &p.actor()).await?;
        self.audit(
            &mut tx,
            ctx,
            &p.actor(),
            "diploma.duplicate",
            &id,
            &format!("of {}: {reason}", orig.summary.number),
        )
        .await?;
        tx.commit().await?;
        self.relay.wake();
        self.diploma_get(ctx, &id).await
    }

    async fn flags(&self, ctx: &CallCtx, institution_id: Option<&str>) -> ApiResult<Vec<Flag>> {
        let p = self.auth.require(ctx).await?;
        match institution_id {
            Some(i) if Self::staffs(&p, i) || Self::is_ministry(&p) => Ok(store::flags(&self.db, Some(i)).await?),
            None if Self::is_ministry(&p) => Ok(store::flags(&self.db, None).await?),
            _ => Err(ApiError::forbidden()),
        }
    }

    async fn flag_close(&self, ctx: &CallCtx, flag_id: &str, note: &str) -> ApiResult<()> {
        let p = self.auth.require(ctx).await?;
        let inst = store::flag_institution(&self.db, flag_id).await?.ok_or_else(|| ApiError::not_found("flag"))?;
        if !Self::staffs(&p, &inst) && !p.has_role(Role::MinistryAdmin) {
            return Err(ApiError::not_found("flag"));
        }
        if !(5..=1000).contains(&note.trim().chars().count()) {
            return Err(
                ApiError::invalid("note", "say what was found (5 to 1000 characters)").with_reason("note_missing")
            );
        }
        let mut tx = self.db.begin_write().await?;
        sqlx::query(
            "UPDATE diploma_flag SET closed_at = $2, closed_by = $3, note = $4 WHERE id = $1 AND closed_at IS NULL",
        )
        .bind(flag_id)
        .bind(now_ms())
        .bind(p.actor())
        .bind(note.trim())
        .execute(tx.conn())
        .await?;
        self.audit(&mut tx, ctx, &p.actor(), "diploma.flag.closed", flag_id, note.trim()).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn verify(&self, ctx: &CallCtx, query: &VerifyQuery) -> ApiResult<PublicCheck> {
        let method = if query.token.is_empty() { "number" } else { "qr" };
        let (check, id) = self.check_public(ctx, query).await?;
        if let Some(id) = id {
            self.log.push(store::Logged {
                diploma_id: id,
                at: now_ms(),
                method: method.into(),
                outcome: check.outcome.as_str().into(),
            });
        }
        Ok(check)
    }

    async fn verify_credential(&self, _ctx: &CallCtx, json: &str) -> ApiResult<CredentialCheck> {
        let mut out = credential::verify(json);
        // The register decides whose diploma it is: the issuer must be that
        // institution's key, the content what was issued, the status in force.
        if !out.number.is_empty() {
            match store::credential_by_number(&self.db, &out.number).await? {
                Some(r) => {
                    out.state = Some(r.state);
                    if self.keys.issuer(&r.institution_id).did != out.issuer {
                        out.errors.push("issuer_mismatch".into());
                    } else if !credential::same_document(&r.credential, json) {
                        out.errors.push("content_differs".into());
                    }
                    if matches!(r.state, DiplomaState::Revoked | DiplomaState::Annulled | DiplomaState::Replaced) {
                        out.errors.push(r.state.as_str().into());
                    }
                    let outcome = if out.errors.is_empty() { "valid".to_owned() } else { out.errors.join(",") };
                    self.log.push(store::Logged {
                        diploma_id: r.id,
                        at: now_ms(),
                        method: "credential".into(),
                        outcome,
                    });
                }
                None => out.errors.push("not_in_register".into()),
            }
        }
        out.valid = out.errors.is_empty();
        Ok(out)
    }

    async fn share_create(&self, ctx: &CallCtx, diploma_id: &str, days: i32) -> ApiResult<ShareLink> {
        if !(1..=90).contains(&days) {
            return Err(ApiError::invalid("days", "from 1 to 90 days").with_reason("days_invalid"));
        }
        let d = store::diploma_get(&self.db, diploma_id).await?.ok_or_else(|| ApiError::not_found("diploma"))?;
        self.auth.require(ctx).await?;
        if self.holder_person(ctx).await?.as_deref() != Some(d.person_id.as_str())
            || d.summary.state == DiplomaState::Pending
        {
            return Err(ApiError::not_found("diploma"));
        }
        let tok = token();
        let now = now_ms();
        let expires = now + i64::from(days) * 86_400_000;
        let mut tx = self.db.begin_write().await?;
        sqlx::query(
            "INSERT INTO share_link (token_sha256, diploma_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(sha256_hex(tok.as_bytes()))
        .bind(diploma_id)
        .bind(now)
        .bind(expires)
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(ShareLink { token: tok, expires_at_ms: expires })
    }

    async fn share_open(&self, _ctx: &CallCtx, token: &str) -> ApiResult<Diploma> {
        let id = store::share_get(&self.db, &sha256_hex(token.as_bytes()), now_ms())
            .await?
            .ok_or_else(|| ApiError::not_found("link").with_reason("link_expired"))?;
        let d = store::diploma_get(&self.db, &id).await?.ok_or_else(|| ApiError::not_found("diploma"))?;
        self.log.push(store::Logged {
            diploma_id: id,
            at: now_ms(),
            method: "share".into(),
            outcome: d.summary.state.as_str().into(),
        });
        Ok(d)
    }

    async fn verifications(&self, ctx: &CallCtx, diploma_id: &str) -> ApiResult<Vec<Verification>> {
        let d = store::diploma_get(&self.db, diploma_id).await?.ok_or_else(|| ApiError::not_found("diploma"))?;
        if !self.may_read(ctx, &d.summary, &d.person_id).await? {
            return Err(ApiError::not_found("diploma"));
        }
        self.log.flush().await;
        Ok(store::verifications(&self.db, diploma_id).await?)
    }

    async fn status_list(&self, _ctx: &CallCtx, institution_code: &str) -> ApiResult<String> {
        let (institution_id, revoked) = store::revoked_indexes(&self.db, institution_code).await?;
        let Some(institution_id) = institution_id else { return Err(ApiError::not_found("status list")) };
        let issuer = self.keys.issuer(&institution_id);
        let url = format!("{}/credentials/status/{institution_code}", self.public_url);
        credential::status_list_credential(&url, &issuer, &revoked)
            .map_err(|e| ApiError::new(ErrorCode::Internal, format!("signing failed: {e}")))
    }

    async fn issuer(&self, _ctx: &CallCtx, institution_code: &str) -> ApiResult<Issuer> {
        let d = self
            .catalogue
            .institution_get(&CallCtx::anonymous(), institution_code)
            .await
            .map_err(|_| ApiError::not_found("institution"))?;
        let i = self.keys.issuer(&d.summary.id);
        Ok(Issuer {
            institution_id: d.summary.id,
            institution_code: d.summary.code,
            did: i.did,
            public_key_multibase: i.public_multibase,
        })
    }
}

//! Curriculum use cases: one transaction each, events written to the outbox and an
//! audit record appended with the change. Standards and national courses are kept in
//! memory (they are few and read by every check) and reloaded after every change.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use arc_swap::ArcSwap;
use async_trait::async_trait;
use edu24_shared::audit::audit_append;
use edu24_shared::auth::{Authenticator, CallCtx, Principal, Role};
use edu24_shared::db::{Db, WriteTx};
use edu24_shared::error::{ApiError, ApiResult, ErrorCode};
use edu24_shared::outbox::{OutboxRelay, outbox_add};
use edu24_shared::time::{new_id, now_ms};

use crate::domain::*;
use crate::store::{self, SummaryRow};
use crate::{CurriculumApi, events};

/// Standards and national courses, as loaded.
pub struct RefData {
    pub standards: Vec<Standard>,
    pub national: NationalIndex,
    pub courses: Vec<NationalCourse>,
}

impl RefData {
    /// The standard of a specialty and level in force for an intake year.
    pub fn in_force(&self, specialty_code: &str, lvl: Level, intake_year: i32) -> Option<&Standard> {
        let start = intake_start(intake_year);
        Standard::in_force(
            self.standards.iter().filter(|s| s.specialty_code == specialty_code && s.level == lvl),
            &start,
        )
    }
    pub fn standard(&self, id: &str) -> Option<&Standard> {
        self.standards.iter().find(|s| s.id == id)
    }
}

pub struct CurriculumService {
    db: Db,
    auth: Authenticator,
    relay: OutboxRelay,
    refdata: ArcSwap<RefData>,
    generation: AtomicI64,
}

fn conflict(reason: &str, message: &str) -> ApiError {
    ApiError::new(ErrorCode::FailedPrecondition, message).with_reason(reason)
}

fn this_intake() -> i32 {
    let now = time::OffsetDateTime::now_utc();
    if u8::from(now.month()) >= 9 { now.year() } else { now.year() - 1 }
}

impl CurriculumService {
    /// Applies migrations and the reference data (national courses, standards).
    pub async fn migrate(db: &Db) -> anyhow::Result<()> {
        db.migrate(&crate::MIGRATOR_SQLITE, &crate::MIGRATOR_POSTGRES).await?;
        crate::seed::reference_ensure(db).await
    }

    pub async fn open(db: Db, auth: Authenticator, relay: OutboxRelay) -> anyhow::Result<Arc<Self>> {
        let svc = Arc::new(Self {
            db,
            auth,
            relay,
            refdata: ArcSwap::from_pointee(RefData {
                standards: Vec::new(),
                national: NationalIndex::default(),
                courses: Vec::new(),
            }),
            generation: AtomicI64::new(-1),
        });
        svc.refresh().await?;
        Ok(svc)
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn relay(&self) -> &OutboxRelay {
        &self.relay
    }

    pub fn refdata(&self) -> Arc<RefData> {
        self.refdata.load_full()
    }

    /// Reloads standards and national courses.
    pub async fn refresh(&self) -> anyhow::Result<()> {
        let generation = store::reference_generation(&self.db).await?;
        let standards = store::standards_all(&self.db).await?;
        let courses = store::national_all(&self.db).await?;
        self.refdata.store(Arc::new(RefData { standards, national: NationalIndex::new(courses.clone()), courses }));
        self.generation.store(generation, Ordering::Release);
        Ok(())
    }

    /// Keeps the reference data fresh when another replica changed it.
    pub fn spawn_refresher(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        edu24_shared::refresh::spawn_refresher(self.clone(), Duration::from_secs(5))
    }

    async fn ministry_admin(&self, ctx: &CallCtx) -> ApiResult<Principal> {
        let p = self.auth.require(ctx).await?;
        if !p.is_ministry_admin() {
            return Err(ApiError::forbidden());
        }
        Ok(p)
    }

    fn is_ministry(p: &Principal) -> bool {
        p.has_role(Role::MinistryAdmin) || p.has_role(Role::MinistryAnalyst)
    }

    fn is_staff(p: &Principal, institution_id: &str) -> bool {
        p.has_role_for(Role::Registrar, institution_id) || p.has_role_for(Role::InstitutionAdmin, institution_id)
    }

    /// Whether `p` (anonymous when `None`) may see a version of `institution_id` in
    /// `status`: final versions are public; open ones belong to the ministry and the
    /// institution's staff.
    fn may_see(p: Option<&Principal>, institution_id: &str, status: Status) -> bool {
        status.is_final() || p.is_some_and(|p| Self::is_ministry(p) || Self::is_staff(p, institution_id))
    }

    /// The caller, who must be a registrar or admin of `institution_id`.
    async fn staff(&self, ctx: &CallCtx, institution_id: &str) -> ApiResult<Principal> {
        let p = self.auth.require(ctx).await?;
        if Self::is_staff(&p, institution_id) {
            return Ok(p);
        }
        Err(ApiError::forbidden())
    }

    /// A version the caller may see, or "not found" exactly as for a missing one.
    async fn visible(&self, ctx: &CallCtx, id: &str) -> ApiResult<(Option<Principal>, SummaryRow)> {
        let p = self.auth.principal(ctx).await?;
        let row = store::summary_get(&self.db, id).await?.ok_or_else(|| ApiError::not_found("curriculum"))?;
        // Open versions are not for an account that must first change a one-time password
        // or set up its second factor.
        let cleared = p.as_ref().filter(|p| !p.claims.mc && !p.claims.tf);
        if !Self::may_see(cleared, &row.summary.institution_id, row.summary.status) {
            return Err(ApiError::not_found("curriculum"));
        }
        Ok((p, row))
    }

    /// A version the caller may change: they see it and staff its institution.
    async fn editable(&self, ctx: &CallCtx, id: &str) -> ApiResult<(Principal, SummaryRow)> {
        let p = self.auth.require(ctx).await?;
        let (_, row) = self.visible(ctx, id).await?;
        if !Self::is_staff(&p, &row.summary.institution_id) {
            return Err(ApiError::forbidden());
        }
        Ok((p, row))
    }

    async fn programme(&self, programme_id: &str) -> ApiResult<ProgrammeRef> {
        store::programme_ref_get(&self.db, programme_id)
            .await?
            .ok_or_else(|| ApiError::not_found("programme").with_reason("programme_unknown"))
    }

    /// National courses are named by the catalogue, whatever a line says.
    pub(crate) fn national_names(&self, lines: &mut [Line]) {
        let rd = self.refdata.load();
        for l in lines.iter_mut() {
            if let Some(n) = rd.national.get(&l.code) {
                l.name = n.name.clone();
            }
        }
    }

    fn check_lines(&self, specialty_code: &str, lvl: Level, intake_year: i32, lines: &[Line]) -> Compliance {
        let rd = self.refdata.load();
        check(rd.in_force(specialty_code, lvl, intake_year), &rd.national, lines, now_ms())
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

    /// Writes the changed event of a version as it now stands in `tx`.
    pub(crate) async fn changed_event(&self, tx: &mut WriteTx, id: &str, actor: &str) -> ApiResult<SummaryRow> {
        let row = store::summary_get_tx(tx, id).await?.ok_or_else(ApiError::internal)?;
        outbox_add(tx, events::CURRICULUM_CHANGED, &events::curriculum_changed(&row.summary, false), actor).await?;
        Ok(row)
    }

    /// The detail of a version from its stored state.
    async fn detail(&self, row: SummaryRow) -> ApiResult<CurriculumDetail> {
        let lines = store::lines_get(&self.db, &row.summary.id).await?;
        let rd = self.refdata.load();
        let standard = row
            .approved_standard_id
            .as_deref()
            .or(row.summary.standard_id.as_deref())
            .and_then(|id| rd.standard(id))
            .cloned()
            .or_else(|| rd.in_force(&row.summary.specialty_code, row.summary.level, row.summary.intake_year).cloned());
        let compliance = Compliance {
            standard_id: row.summary.standard_id.clone(),
            errors: row.summary.errors,
            warnings: row.summary.warnings,
            total_tenths: row.summary.total_tenths,
            findings: row.findings,
            checked_at_ms: row.checked_at,
        };
        Ok(CurriculumDetail { summary: row.summary, lines, compliance, standard })
    }

    async fn detail_of(&self, id: &str) -> ApiResult<CurriculumDetail> {
        let row = store::summary_get(&self.db, id).await?.ok_or_else(|| ApiError::not_found("curriculum"))?;
        self.detail(row).await
    }

    /// Creates a draft version with `lines` inside `tx`; its id.
    pub(crate) async fn draft_write(
        &self,
        tx: &mut WriteTx,
        programme: &ProgrammeRef,
        intake_year: i32,
        mut lines: Vec<Line>,
        actor: &str,
        id: &str,
    ) -> ApiResult<Compliance> {
        if store::open_version(tx, &programme.id, intake_year).await?.is_some() {
            return Err(ApiError::new(
                ErrorCode::AlreadyExists,
                "this programme and intake year already have a version in the making: finish or discard it first",
            )
            .with_reason("open_version_exists"));
        }
        let version = store::next_version(tx, &programme.id, intake_year).await?;
        let now = now_ms();
        let new = store::NewCurriculum { id, programme, intake_year, version, actor, now };
        match store::curriculum_insert(tx, &new).await {
            Ok(()) => {}
            // Another draft of the same programme and intake was started at the same moment.
            Err(e) if store::is_unique_violation(&e) => {
                return Err(ApiError::new(
                    ErrorCode::AlreadyExists,
                    "this programme and intake year already have a version in the making: finish or discard it first",
                )
                .with_reason("open_version_exists"));
            }
            Err(e) => return Err(e.into()),
        }
        self.national_names(&mut lines);
        store::lines_replace(tx, id, &lines, actor).await?;
        let c = self.check_lines(&programme.specialty_code, programme.level, intake_year, &lines);
        store::check_record(tx, id, &c, lines.len(), &content_sha256(&lines), actor, now).await?;
        Ok(c)
    }

    /// Submits and approves a draft in `tx` without the usual separation of duties: for
    /// seeding reference data only.
    pub(crate) async fn seed_approve(&self, tx: &mut WriteTx, id: &str, actor: &str) -> ApiResult<()> {
        let row = store::summary_get_tx(tx, id).await?.ok_or_else(ApiError::internal)?;
        let standard_id = row.summary.standard_id.clone().ok_or_else(ApiError::internal)?;
        let now = now_ms();
        store::status_move(tx, id, Status::Draft, Status::Submitted, actor, now).await?;
        let superseded = store::supersede(tx, &row.summary.programme_id, row.summary.intake_year, id).await?;
        store::approved(tx, id, &standard_id, &row.summary.content_sha256, actor, now).await?;
        self.approved_events(tx, id, superseded.as_deref(), actor).await
    }

    async fn approved_events(
        &self,
        tx: &mut WriteTx,
        id: &str,
        superseded: Option<&str>,
        actor: &str,
    ) -> ApiResult<()> {
        let row = self.changed_event(tx, id, actor).await?;
        if let Some(old) = superseded {
            self.changed_event(tx, old, actor).await?;
        }
        let lines = store::lines_get_tx(tx, id).await?;
        let req = self.requirements_of(&row, lines)?;
        outbox_add(
            tx,
            events::CURRICULUM_APPROVED,
            &edu24_proto::curriculum::v1::CurriculumApproved {
                requirements: Some(crate::grpc::requirements_pb(&req)),
                supersedes_curriculum_id: superseded.unwrap_or_default().to_owned(),
            },
            actor,
        )
        .await?;
        Ok(())
    }

    fn requirements_of(&self, row: &SummaryRow, lines: Vec<Line>) -> ApiResult<Requirements> {
        let rd = self.refdata.load();
        let standard = row.approved_standard_id.as_deref().and_then(|id| rd.standard(id)).ok_or_else(|| {
            tracing::error!(curriculum = %row.summary.id, "approved curriculum without its standard");
            ApiError::internal()
        })?;
        let s = &row.summary;
        let lines = lines
            .into_iter()
            .map(|l| RequiredLine {
                block_kind: standard.block(&l.block).map(|b| b.kind).unwrap_or(BlockKind::Professional),
                mandatory: !l.is_alternative() && standard.courses.iter().any(|c| c.code == l.code),
                line: l,
            })
            .collect();
        Ok(Requirements {
            curriculum_id: s.id.clone(),
            version: s.version,
            programme_id: s.programme_id.clone(),
            institution_id: s.institution_id.clone(),
            specialty_code: s.specialty_code.clone(),
            level: s.level,
            intake_year: s.intake_year,
            standard_id: standard.id.clone(),
            standard_document_no: standard.document_no.clone(),
            total_tenths: standard.total_tenths,
            hours_per_credit: standard.hours_per_credit,
            semesters: standard.semesters,
            approved_at_ms: s.decided_at_ms.unwrap_or_default(),
            approved_by: s.decided_by.clone(),
            content_sha256: s.content_sha256.clone(),
            lines,
            blocks: standard.blocks.clone(),
            status: s.status,
            superseded_by: s.superseded_by.clone(),
        })
    }

    /// Re-checks the versions of `scope` against the standard in force for each, stores
    /// what changed (unless the version changed meanwhile: a save's own check is newer),
    /// and publishes their changes. A national run is recorded, with its audit record.
    pub async fn recheck(&self, scope: &store::Scope, actor: &str, client: &str) -> ApiResult<RecheckReport> {
        let started = std::time::Instant::now();
        let rows = store::scoped_summaries(&self.db, scope).await?;
        let mut lines = store::lines_all_for_check(&self.db, scope).await?;
        let rd = self.refdata.load_full();
        let now = now_ms();
        let work: Vec<(SummaryRow, Vec<Line>)> = rows
            .into_iter()
            .map(|r| {
                let l = lines.remove(&r.summary.id).unwrap_or_default();
                (r, l)
            })
            .collect();
        // The checks are CPU work: off the async workers, on every core.
        let rd2 = rd.clone();
        let results: Vec<(SummaryRow, Compliance)> = tokio::task::spawn_blocking(move || {
            let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).max(1);
            let chunk = work.len().div_ceil(threads).max(1);
            let mut out = Vec::with_capacity(work.len());
            std::thread::scope(|scope| {
                let handles: Vec<_> = work
                    .chunks(chunk)
                    .map(|part| {
                        let rd = &rd2;
                        scope.spawn(move || {
                            part.iter()
                                .map(|(r, l)| {
                                    let s = &r.summary;
                                    check(rd.in_force(&s.specialty_code, s.level, s.intake_year), &rd.national, l, now)
                                })
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                for h in handles {
                    out.extend(h.join().expect("a check never panics"));
                }
            });
            work.into_iter().map(|(r, _)| r).zip(out).collect()
        })
        .await
        .map_err(|_| ApiError::internal())?;
        let mut report = RecheckReport { curricula: results.len() as u32, ..RecheckReport::default() };
        let changed: Vec<&(SummaryRow, Compliance)> = results
            .iter()
            .filter(|(r, c)| {
                r.summary.standard_id != c.standard_id
                    || r.summary.errors != c.errors
                    || r.summary.warnings != c.warnings
                    || r.findings != c.findings
            })
            .collect();
        report.with_errors = results.iter().filter(|(_, c)| c.errors > 0).count() as u32;
        for batch in changed.chunks(500) {
            let mut tx = self.db.begin_write().await?;
            for (r, c) in batch {
                if store::recheck_record(&mut tx, &r.summary.id, r.summary.revision, c, now).await? {
                    self.changed_event(&mut tx, &r.summary.id, actor).await?;
                    report.changed += 1;
                }
            }
            tx.commit().await?;
            self.relay.wake();
        }
        report.elapsed_ms = started.elapsed().as_millis() as i64;
        if *scope == store::Scope::All {
            let mut tx = self.db.begin_write().await?;
            store::recheck_run_add(&mut tx, &report, actor, now_ms()).await?;
            audit_append(&mut tx, now_ms(), actor, "curriculum.recheck_all", "all", client, &json(&report)).await?;
            tx.commit().await?;
        }
        Ok(report)
    }

    /// Does the re-checks owed after changes of standards and national courses (also
    /// those a killed process left owed). Returns how many were done.
    pub async fn drain_pending(&self) -> anyhow::Result<usize> {
        let owed = store::pending(&self.db).await?;
        for (id, scope) in &owed {
            self.recheck(scope, "system:curriculum", "").await.map_err(|e| anyhow::anyhow!(e.message))?;
            store::pending_done(&self.db, id).await?;
        }
        Ok(owed.len())
    }

    /// Does owed re-checks at start and every 30 seconds.
    pub fn spawn_pending_rechecks(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let svc = self.clone();
        tokio::spawn(async move {
            loop {
                if let Err(e) = svc.drain_pending().await {
                    tracing::warn!(error = %e, "owed curriculum re-checks failed; will retry");
                }
                tokio::time::sleep(Duration::from_secs(30)).await;
            }
        })
    }

    /// After a committed change of reference data: reload it and do the owed re-checks.
    /// The change stands whatever happens here (a failure is retried in the background).
    async fn after_reference_commit(&self) {
        self.relay.wake();
        if let Err(e) = self.refresh().await {
            tracing::error!(error = %e, "curriculum reference reload after a change failed");
        }
        if let Err(e) = self.drain_pending().await {
            tracing::warn!(error = %e, "owed curriculum re-checks failed; they are retried in the background");
        }
    }

    /// Re-checks one version against the standard in force (on submission and approval).
    /// Stores the result only when it differs from the last check, so that an open
    /// editor's revision stays current.
    async fn recheck_one(&self, tx: &mut WriteTx, row: &SummaryRow, actor: &str) -> ApiResult<(Compliance, bool)> {
        let lines = store::lines_get_tx(tx, &row.summary.id).await?;
        let c = self.check_lines(&row.summary.specialty_code, row.summary.level, row.summary.intake_year, &lines);
        let changed = row.summary.standard_id != c.standard_id
            || row.summary.errors != c.errors
            || row.summary.warnings != c.warnings
            || row.findings != c.findings;
        if changed {
            store::check_record(tx, &row.summary.id, &c, lines.len(), &content_sha256(&lines), actor, now_ms()).await?;
        }
        Ok((c, changed))
    }
}

#[async_trait]
impl edu24_shared::refresh::Refreshable for CurriculumService {
    fn what(&self) -> &'static str {
        "curriculum reference data"
    }
    async fn generation(&self) -> anyhow::Result<i64> {
        Ok(store::reference_generation(&self.db).await?)
    }
    fn built_from(&self) -> i64 {
        self.generation.load(Ordering::Acquire)
    }
    async fn refresh(&self) -> anyhow::Result<()> {
        CurriculumService::refresh(self).await
    }
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

#[async_trait]
impl CurriculumApi for CurriculumService {
    async fn national_courses(&self, _ctx: &CallCtx) -> ApiResult<Vec<NationalCourse>> {
        Ok(self.refdata.load().courses.clone())
    }

    async fn national_course_upsert(&self, ctx: &CallCtx, course: NationalCourse) -> ApiResult<NationalCourse> {
        let p = self.ministry_admin(ctx).await?;
        let mut course = NationalCourse { name: course.name.trimmed(), note: course.note.trim().to_owned(), ..course };
        course.code = course.code.trim().to_owned();
        course.validate()?;
        let mut tx = self.db.begin_write().await?;
        let version = store::national_upsert(&mut tx, &course, &p.actor(), now_ms()).await?;
        if let Some(v) = version {
            course.version = v;
            self.audit(&mut tx, ctx, &p.actor(), "national_course.changed", &course.code, &json(&course)).await?;
            // Every curriculum that uses the course counts it anew.
            store::pending_add(&mut tx, &store::Scope::Course(course.code.clone()), now_ms()).await?;
        }
        tx.commit().await?;
        if version.is_some() {
            self.after_reference_commit().await;
        } else if let Some(kept) = self.refdata.load().courses.iter().find(|c| c.code == course.code) {
            course.version = kept.version;
        }
        Ok(course)
    }

    async fn standards(
        &self,
        _ctx: &CallCtx,
        specialty_code: Option<&str>,
        lvl: Option<Level>,
    ) -> ApiResult<Vec<Standard>> {
        let mut out: Vec<Standard> = self
            .refdata
            .load()
            .standards
            .iter()
            .filter(|s| specialty_code.is_none_or(|c| s.specialty_code == c) && lvl.is_none_or(|l| s.level == l))
            .cloned()
            .collect();
        out.sort_by(|a, b| {
            a.specialty_code.cmp(&b.specialty_code).then(a.level.cmp(&b.level)).then(b.valid_from.cmp(&a.valid_from))
        });
        Ok(out)
    }

    async fn standard_get(&self, _ctx: &CallCtx, id: &str) -> ApiResult<Standard> {
        self.refdata.load().standard(id).cloned().ok_or_else(|| ApiError::not_found("standard"))
    }

    async fn standard_upsert(&self, ctx: &CallCtx, standard: Standard) -> ApiResult<Standard> {
        let p = self.ministry_admin(ctx).await?;
        let mut s = standard;
        s.document_no = s.document_no.trim().to_owned();
        s.title = s.title.trimmed();
        for b in &mut s.blocks {
            b.code = b.code.trim().to_owned();
            b.name = b.name.trimmed();
        }
        for c in &mut s.courses {
            c.code = c.code.trim().to_owned();
            c.block = c.block.trim().to_owned();
            c.name = c.name.trimmed();
        }
        s.validate()?;
        let known = sqlx::query("SELECT 1 FROM specialty_ref WHERE code = $1 AND level = $2")
            .bind(&s.specialty_code)
            .bind(s.level.as_str())
            .fetch_optional(self.db.pool())
            .await?
            .is_some();
        if !known {
            return Err(ApiError::invalid(
                "specialty_code",
                format!("{} {} is not in the classifier", s.specialty_code, s.level),
            )
            .with_reason("specialty_unknown"));
        }
        let mut tx = self.db.begin_write().await?;
        let existing = store::standard_by_key(&mut tx, &s.specialty_code, s.level, &s.valid_from).await?;
        if s.id.is_empty() {
            if existing.is_some() {
                return Err(ApiError::new(
                    ErrorCode::AlreadyExists,
                    "a standard of this specialty and level with this date of entry into force exists; change it instead",
                )
                .with_reason("standard_exists"));
            }
            s.id = new_id();
            s.version = 1;
        } else {
            let current =
                self.refdata.load().standard(&s.id).cloned().ok_or_else(|| ApiError::not_found("standard"))?;
            if current.specialty_code != s.specialty_code || current.level != s.level {
                return Err(ApiError::invalid("specialty_code", "a standard keeps its specialty and level")
                    .with_reason("standard_key"));
            }
            if existing.as_ref().is_some_and(|(id, _)| *id != s.id) {
                return Err(ApiError::new(
                    ErrorCode::AlreadyExists,
                    "another standard of this specialty and level has this date of entry into force",
                )
                .with_reason("standard_exists"));
            }
            if store::standard_in_use(&mut tx, &s.id).await? {
                return Err(conflict(
                    "standard_in_use",
                    "an approved curriculum was held to this standard, so it never changes: record a new version with a later date of entry into force",
                ));
            }
            s.version = store::standard_version(&mut tx, &s.id).await?.unwrap_or(0) + 1;
        }
        let now = now_ms();
        s.updated_at_ms = now;
        s.updated_by = p.actor();
        s.in_use = false;
        store::standard_write(&mut tx, &s, now, &p.actor()).await?;
        self.audit(&mut tx, ctx, &p.actor(), "standard.changed", &s.id, &json(&s)).await?;
        store::pending_add(&mut tx, &store::Scope::Specialty(s.specialty_code.clone(), s.level), now).await?;
        outbox_add(
            &mut tx,
            events::STANDARD_CHANGED,
            &edu24_proto::curriculum::v1::StandardChanged { standard: Some(crate::grpc::standard_pb(&s)) },
            &p.actor(),
        )
        .await?;
        tx.commit().await?;
        self.after_reference_commit().await;
        Ok(s)
    }

    async fn curricula(&self, ctx: &CallCtx, query: &CurriculumQuery) -> ApiResult<Page<CurriculumSummary>> {
        if query.per_page > MAX_PER_PAGE {
            return Err(ApiError::invalid("per_page", format!("at most {MAX_PER_PAGE} a page")));
        }
        let p = self.auth.principal(ctx).await?.filter(|p| !p.claims.mc && !p.claims.tf);
        let open_all = p.as_ref().is_some_and(Self::is_ministry);
        let open_institutions: Vec<String> = p
            .as_ref()
            .map(|p| {
                p.claims
                    .roles
                    .iter()
                    .filter(|g| matches!(g.role, Role::Registrar | Role::InstitutionAdmin))
                    .filter_map(|g| g.inst.clone())
                    .collect()
            })
            .unwrap_or_default();
        let (items, total) =
            store::list(&self.db, &store::ListFilter { q: query, open_all, open_institutions: &open_institutions })
                .await?;
        Ok(Page { items, total })
    }

    async fn curriculum_get(&self, ctx: &CallCtx, id: &str) -> ApiResult<CurriculumDetail> {
        let (_, row) = self.visible(ctx, id).await?;
        self.detail(row).await
    }

    async fn curriculum_create(
        &self,
        ctx: &CallCtx,
        programme_id: &str,
        intake_year: i32,
        copy_from: Option<&str>,
    ) -> ApiResult<CurriculumDetail> {
        let programme = self.programme(programme_id).await?;
        let p = self.staff(ctx, &programme.institution_id).await?;
        if !INTAKE_YEARS.contains(&intake_year) {
            return Err(
                ApiError::invalid("intake_year", "the intake year is from 1990 to 2100").with_reason("intake_range")
            );
        }
        let lines = match copy_from.filter(|c| !c.is_empty()) {
            Some(from) => {
                self.visible(ctx, from).await?;
                store::lines_get(&self.db, from).await?
            }
            None => Vec::new(),
        };
        let id = new_id();
        let mut tx = self.db.begin_write().await?;
        self.draft_write(&mut tx, &programme, intake_year, lines, &p.actor(), &id).await?;
        self.audit(
            &mut tx,
            ctx,
            &p.actor(),
            "curriculum.created",
            &id,
            &format!("programme={programme_id} intake={intake_year} copy_from={}", copy_from.unwrap_or("")),
        )
        .await?;
        self.changed_event(&mut tx, &id, &p.actor()).await?;
        tx.commit().await?;
        self.relay.wake();
        self.detail_of(&id).await
    }

    async fn curriculum_save(
        &self,
        ctx: &CallCtx,
        id: &str,
        expected_revision: i64,
        input: Vec<LineInput>,
    ) -> ApiResult<SaveOutcome> {
        let (p, row) = self.editable(ctx, id).await?;
        if row.summary.status != Status::Draft {
            return Err(conflict("not_draft", "only a draft changes; start a new version of an approved curriculum"));
        }
        let mut lines = match validate_lines(&input) {
            Ok(l) => l,
            Err(errors) => return Ok(SaveOutcome::Refused(errors)),
        };
        self.national_names(&mut lines);
        let s = &row.summary;
        let c = self.check_lines(&s.specialty_code, s.level, s.intake_year, &lines);
        let sha = content_sha256(&lines);
        let mut tx = self.db.begin_write().await?;
        // First write of the transaction: the draft at the revision the editor started from
        // (a row lock on PostgreSQL, the writer's turn on SQLite).
        if !store::claim(&mut tx, id, Status::Draft, Some(expected_revision)).await? {
            let current = store::summary_get_tx(&mut tx, id).await?.ok_or_else(|| ApiError::not_found("curriculum"))?;
            if current.summary.status != Status::Draft {
                return Err(conflict(
                    "not_draft",
                    "only a draft changes; start a new version of an approved curriculum",
                ));
            }
            return Err(conflict(
                "stale_revision",
                "someone saved this draft after you opened it: reload it and make your change again",
            ));
        }
        store::lines_replace(&mut tx, id, &lines, &p.actor()).await?;
        store::check_record(&mut tx, id, &c, lines.len(), &sha, &p.actor(), now_ms()).await?;
        self.audit(
            &mut tx,
            ctx,
            &p.actor(),
            "curriculum.saved",
            id,
            &format!("lines={} sha256={sha} errors={} warnings={}", lines.len(), c.errors, c.warnings),
        )
        .await?;
        self.changed_event(&mut tx, id, &p.actor()).await?;
        tx.commit().await?;
        self.relay.wake();
        Ok(SaveOutcome::Saved(Box::new(self.detail_of(id).await?)))
    }

    async fn curriculum_check(
        &self,
        ctx: &CallCtx,
        programme_id: &str,
        intake_year: i32,
        input: Vec<LineInput>,
    ) -> ApiResult<Result<Compliance, Vec<RowError>>> {
        let programme = self.programme(programme_id).await?;
        let p = self.auth.require(ctx).await?;
        if !(Self::is_staff(&p, &programme.institution_id) || Self::is_ministry(&p)) {
            return Err(ApiError::forbidden());
        }
        let mut lines = match validate_lines(&input) {
            Ok(l) => l,
            Err(e) => return Ok(Err(e)),
        };
        self.national_names(&mut lines);
        Ok(Ok(self.check_lines(&programme.specialty_code, programme.level, intake_year, &lines)))
    }

    async fn curriculum_submit(&self, ctx: &CallCtx, id: &str) -> ApiResult<CurriculumDetail> {
        let (p, row) = self.editable(ctx, id).await?;
        if row.summary.status != Status::Draft {
            return Err(conflict("not_draft", "only a draft can be submitted"));
        }
        let mut tx = self.db.begin_write().await?;
        // Taken first, so that no save slips in between the check and the submission.
        if !store::claim(&mut tx, id, Status::Draft, None).await? {
            return Err(conflict("not_draft", "only a draft can be submitted"));
        }
        let row = store::summary_get_tx(&mut tx, id).await?.ok_or_else(|| ApiError::not_found("curriculum"))?;
        let (c, changed) = self.recheck_one(&mut tx, &row, &p.actor()).await?;
        if !c.is_compliant() {
            // A fresh result is kept; the draft stays a draft.
            if changed {
                self.changed_event(&mut tx, id, &p.actor()).await?;
                tx.commit().await?;
                self.relay.wake();
            }
            return Err(conflict(
                "not_compliant",
                &format!("the plan breaks its standard ({} errors): mend them before submitting", c.errors),
            ));
        }
        if !store::status_move(&mut tx, id, Status::Draft, Status::Submitted, &p.actor(), now_ms()).await? {
            return Err(conflict("not_draft", "only a draft can be submitted"));
        }
        self.audit(&mut tx, ctx, &p.actor(), "curriculum.submitted", id, &format!("warnings={}", c.warnings)).await?;
        self.changed_event(&mut tx, id, &p.actor()).await?;
        tx.commit().await?;
        self.relay.wake();
        self.detail_of(id).await
    }

    async fn curriculum_decide(
        &self,
        ctx: &CallCtx,
        id: &str,
        approve: bool,
        note: &str,
    ) -> ApiResult<CurriculumDetail> {
        let p = self.auth.require(ctx).await?;
        let row = store::summary_get(&self.db, id).await?.ok_or_else(|| ApiError::not_found("curriculum"))?;
        let inst = row.summary.institution_id.clone();
        if !Self::may_see(Some(&p), &inst, row.summary.status) {
            return Err(ApiError::not_found("curriculum"));
        }
        let by_delegation = p.has_role_for(Role::InstitutionAdmin, &inst) && store::delegated(&self.db, &inst).await?;
        if !(p.is_ministry_admin() || by_delegation) {
            return Err(ApiError::forbidden());
        }
        let note = note.trim();
        if note.chars().count() > 2000 {
            return Err(ApiError::invalid("note", "the note is at most 2000 characters").with_reason("too_long"));
        }
        let mut tx = self.db.begin_write().await?;
        if !store::claim(&mut tx, id, Status::Submitted, None).await? {
            return Err(conflict("not_submitted", "only a submitted curriculum is approved or returned"));
        }
        // Read again while holding it: who submitted it and who wrote its lines.
        let row = store::summary_get_tx(&mut tx, id).await?.ok_or_else(|| ApiError::not_found("curriculum"))?;
        if row.summary.submitted_by == p.account_id() || row.content_by == p.account_id() {
            return Err(ApiError::new(
                ErrorCode::PermissionDenied,
                "the person who wrote or submitted a curriculum does not approve it",
            )
            .with_reason("four_eyes"));
        }
        if approve {
            let (mut c, mut changed) = self.recheck_one(&mut tx, &row, &p.actor()).await?;
            // The standard is held until the approval commits (it cannot change meanwhile),
            // and must be the version this check used (another replica may have changed it).
            if let Some(sid) = c.standard_id.clone() {
                let held = store::standard_hold(&mut tx, &sid, self.db.backend()).await?;
                if held != self.refdata.load().standard(&sid).map(|s| s.version) {
                    self.refresh().await.map_err(|e| {
                        tracing::error!(error = %e, "curriculum reference reload failed");
                        ApiError::internal()
                    })?;
                    let row = store::summary_get_tx(&mut tx, id).await?.ok_or_else(ApiError::internal)?;
                    let (again, again_changed) = self.recheck_one(&mut tx, &row, &p.actor()).await?;
                    if let Some(sid) = &again.standard_id {
                        store::standard_hold(&mut tx, sid, self.db.backend()).await?;
                    }
                    (c, changed) = (again, changed || again_changed);
                }
            }
            let Some(standard_id) = c.standard_id.clone().filter(|_| c.is_compliant()) else {
                if changed {
                    self.changed_event(&mut tx, id, &p.actor()).await?;
                    tx.commit().await?;
                    self.relay.wake();
                }
                return Err(conflict(
                    "not_compliant",
                    &format!(
                        "the plan no longer keeps its standard ({} errors); return it to the institution",
                        c.errors
                    ),
                ));
            };
            let sha = content_sha256(&store::lines_get_tx(&mut tx, id).await?);
            let superseded = store::supersede(&mut tx, &row.summary.programme_id, row.summary.intake_year, id).await?;
            if !store::approved(&mut tx, id, &standard_id, &sha, &p.actor(), now_ms()).await? {
                return Err(conflict("not_submitted", "only a submitted curriculum is approved or returned"));
            }
            self.audit(
                &mut tx,
                ctx,
                &p.actor(),
                "curriculum.approved",
                id,
                &format!(
                    "standard={standard_id} sha256={sha} supersedes={} by_delegation={by_delegation}",
                    superseded.as_deref().unwrap_or("")
                ),
            )
            .await?;
            self.approved_events(&mut tx, id, superseded.as_deref(), &p.actor()).await?;
            tx.commit().await?;
            // Its standard is now in use (and frozen).
            self.after_reference_commit().await;
            return self.detail_of(id).await;
        } else {
            if note.is_empty() {
                return Err(ApiError::invalid("note", "say what to mend when returning a curriculum")
                    .with_reason("note_required"));
            }
            if !store::returned(&mut tx, id, &p.actor(), note, now_ms()).await? {
                return Err(conflict("not_submitted", "only a submitted curriculum is approved or returned"));
            }
            self.audit(&mut tx, ctx, &p.actor(), "curriculum.returned", id, note).await?;
            self.changed_event(&mut tx, id, &p.actor()).await?;
        }
        tx.commit().await?;
        self.relay.wake();
        self.detail_of(id).await
    }

    async fn curriculum_new_version(&self, ctx: &CallCtx, id: &str) -> ApiResult<CurriculumDetail> {
        let (p, row) = self.editable(ctx, id).await?;
        if row.summary.status != Status::Approved {
            return Err(conflict("not_approved", "a new version starts from the approved curriculum in force"));
        }
        let programme = self.programme(&row.summary.programme_id).await?;
        let lines = store::lines_get(&self.db, id).await?;
        let new = new_id();
        let mut tx = self.db.begin_write().await?;
        self.draft_write(&mut tx, &programme, row.summary.intake_year, lines, &p.actor(), &new).await?;
        self.audit(&mut tx, ctx, &p.actor(), "curriculum.new_version", &new, &format!("from={id}")).await?;
        self.changed_event(&mut tx, &new, &p.actor()).await?;
        tx.commit().await?;
        self.relay.wake();
        self.detail_of(&new).await
    }

    async fn curriculum_discard(&self, ctx: &CallCtx, id: &str) -> ApiResult<()> {
        let (p, row) = self.editable(ctx, id).await?;
        if row.summary.status != Status::Draft {
            return Err(conflict("not_draft", "only a draft is discarded"));
        }
        let mut tx = self.db.begin_write().await?;
        if !store::claim(&mut tx, id, Status::Draft, None).await? {
            return Err(conflict("not_draft", "only a draft is discarded"));
        }
        let mut summary = store::summary_get_tx(&mut tx, id).await?.ok_or_else(ApiError::internal)?.summary;
        if !store::discard(&mut tx, id).await? {
            return Err(conflict("not_draft", "only a draft is discarded"));
        }
        summary.revision += 1;
        self.audit(&mut tx, ctx, &p.actor(), "curriculum.discarded", id, &format!("lines={}", summary.lines)).await?;
        outbox_add(&mut tx, events::CURRICULUM_CHANGED, &events::curriculum_changed(&summary, true), &p.actor())
            .await?;
        tx.commit().await?;
        self.relay.wake();
        Ok(())
    }

    async fn requirements(
        &self,
        _ctx: &CallCtx,
        programme_id: &str,
        intake_year: i32,
        curriculum_id: Option<&str>,
    ) -> ApiResult<Requirements> {
        let none = || ApiError::not_found("approved curriculum").with_reason("no_approved_curriculum");
        let id = match curriculum_id.filter(|c| !c.is_empty()) {
            Some(id) => id.to_owned(),
            None => store::approved_for(&self.db, programme_id, intake_year).await?.ok_or_else(none)?,
        };
        let row = store::summary_get(&self.db, &id).await?.ok_or_else(none)?;
        // A version asked for by id answers only for its own programme and intake, when named.
        let other_programme = !programme_id.is_empty() && row.summary.programme_id != programme_id;
        let other_intake = intake_year != 0 && row.summary.intake_year != intake_year;
        if !row.summary.status.is_final() || other_programme || other_intake {
            return Err(none());
        }
        let lines = store::lines_get(&self.db, &id).await?;
        self.requirements_of(&row, lines)
    }

    async fn compliance_overview(&self, ctx: &CallCtx, q: &OverviewQuery) -> ApiResult<ComplianceOverview> {
        let p = self.auth.require(ctx).await?;
        if !Self::is_ministry(&p) {
            return Err(ApiError::forbidden());
        }
        let intake = q.intake_year.unwrap_or_else(this_intake);
        let keep = |code: &str, lvl: Level| {
            q.specialty_code.as_deref().is_none_or(|c| c == code) && q.level.is_none_or(|l| l == lvl)
        };
        let rows = store::all_summaries(&self.db).await?;
        let programmes = store::programme_refs(&self.db).await?;
        let institutions = store::institution_refs(&self.db).await?;
        let mut o = ComplianceOverview {
            intake_year: intake,
            last_recheck_ms: store::last_recheck(&self.db).await?,
            ..Default::default()
        };
        let mut per: BTreeMap<String, InstitutionCompliance> = BTreeMap::new();
        let mut rules: BTreeMap<String, u32> = BTreeMap::new();
        let mut approved_programmes = std::collections::HashSet::new();
        for r in
            rows.iter().filter(|r| keep(&r.summary.specialty_code, r.summary.level) && r.summary.intake_year == intake)
        {
            let s = &r.summary;
            if s.status == Status::Superseded {
                continue;
            }
            let e = per.entry(s.institution_id.clone()).or_insert_with(|| InstitutionCompliance {
                institution_id: s.institution_id.clone(),
                institution_code: s.institution_code.clone(),
                institution_name: s.institution_name.clone(),
                ..Default::default()
            });
            e.curricula += 1;
            o.curricula += 1;
            match s.status {
                Status::Approved => {
                    e.approved += 1;
                    o.approved += 1;
                    approved_programmes.insert(s.programme_id.clone());
                }
                Status::Submitted => {
                    e.submitted += 1;
                    o.submitted += 1;
                }
                _ => {
                    e.drafts += 1;
                    o.drafts += 1;
                }
            }
            if s.errors > 0 {
                e.with_errors += 1;
                o.with_errors += 1;
                let broken: std::collections::BTreeSet<&str> =
                    r.findings.iter().filter(|f| f.severity == Severity::Error).map(|f| f.rule.as_str()).collect();
                for rule in broken {
                    *rules.entry(rule.to_owned()).or_default() += 1;
                }
                o.failing.push(s.clone());
            } else if s.warnings > 0 {
                e.with_warnings += 1;
                o.with_warnings += 1;
            }
        }
        for pr in programmes.iter().filter(|p| keep(&p.specialty_code, p.level)) {
            o.programmes += 1;
            if !approved_programmes.contains(&pr.id) {
                o.programmes_without_approved += 1;
                let e = per.entry(pr.institution_id.clone()).or_insert_with(|| {
                    let i = institutions.get(&pr.institution_id);
                    InstitutionCompliance {
                        institution_id: pr.institution_id.clone(),
                        institution_code: i.map(|i| i.code.clone()).unwrap_or_default(),
                        institution_name: i.map(|i| i.name.clone()).unwrap_or_default(),
                        ..Default::default()
                    }
                });
                e.programmes_without_approved += 1;
            }
        }
        o.institutions = per.into_values().collect();
        o.institutions.sort_by(|a, b| {
            (b.with_errors + b.programmes_without_approved)
                .cmp(&(a.with_errors + a.programmes_without_approved))
                .then(a.institution_code.cmp(&b.institution_code))
        });
        o.rules = rules.into_iter().collect();
        o.rules.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        o.failing.sort_by(|a, b| {
            b.errors.cmp(&a.errors).then(a.institution_code.cmp(&b.institution_code)).then(a.id.cmp(&b.id))
        });
        o.failing.truncate(200);
        Ok(o)
    }

    async fn compare_specialty(
        &self,
        _ctx: &CallCtx,
        specialty_code: &str,
        lvl: Level,
        intake_year: i32,
    ) -> ApiResult<SpecialtyComparison> {
        if specialty_code.len() != 6 || !specialty_code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ApiError::invalid("specialty", "the specialty code is 6 digits, e.g. 560001"));
        }
        let q = CurriculumQuery {
            specialty_code: Some(specialty_code.to_owned()),
            level: Some(lvl),
            intake_year: Some(intake_year),
            status: Some(Status::Approved),
            page: 1,
            per_page: MAX_PER_PAGE,
            ..Default::default()
        };
        let (items, _) =
            store::list(&self.db, &store::ListFilter { q: &q, open_all: false, open_institutions: &[] }).await?;
        let mut curricula = Vec::with_capacity(items.len());
        for s in items {
            let lines = store::lines_get(&self.db, &s.id).await?;
            curricula.push(ComparedCurriculum { blocks: block_figures(&lines), summary: s });
        }
        let rd = self.refdata.load();
        let standard = rd.in_force(specialty_code, lvl, intake_year);
        Ok(SpecialtyComparison {
            specialty_code: specialty_code.to_owned(),
            level: lvl,
            intake_year,
            blocks: standard.map(|s| s.blocks.clone()).unwrap_or_default(),
            curricula,
            standard_id: standard.map(|s| s.id.clone()),
        })
    }

    async fn recheck_all(&self, ctx: &CallCtx) -> ApiResult<RecheckReport> {
        let p = self.ministry_admin(ctx).await?;
        let client = ctx.client_addr.clone().unwrap_or_default();
        self.recheck(&store::Scope::All, &p.actor(), &client).await
    }

    async fn delegation_set(
        &self,
        ctx: &CallCtx,
        institution_id: &str,
        delegated: bool,
        note: &str,
    ) -> ApiResult<Delegation> {
        let p = self.ministry_admin(ctx).await?;
        if store::institution_ref_get(&self.db, institution_id).await?.is_none() {
            return Err(ApiError::invalid("institution_id", "no such institution").with_reason("institution_unknown"));
        }
        if note.chars().count() > 1000 {
            return Err(ApiError::invalid("note", "the note is at most 1000 characters").with_reason("too_long"));
        }
        let mut tx = self.db.begin_write().await?;
        store::delegation_set(&mut tx, institution_id, delegated, &p.actor(), note.trim(), now_ms()).await?;
        self.audit(
            &mut tx,
            ctx,
            &p.actor(),
            if delegated { "curriculum.approval_delegated" } else { "curriculum.approval_withdrawn" },
            institution_id,
            note,
        )
        .await?;
        tx.commit().await?;
        store::delegations(&self.db)
            .await?
            .into_iter()
            .find(|d| d.institution_id == institution_id)
            .ok_or_else(ApiError::internal)
    }

    async fn delegations(&self, ctx: &CallCtx) -> ApiResult<Vec<Delegation>> {
        let p = self.auth.require(ctx).await?;
        let all = store::delegations(&self.db).await?;
        if Self::is_ministry(&p) {
            return Ok(all);
        }
        if !p.has_role(Role::InstitutionAdmin) {
            return Err(ApiError::forbidden());
        }
        Ok(all.into_iter().filter(|d| p.has_role_for(Role::InstitutionAdmin, &d.institution_id)).collect())
    }
}

/// Counts of versions by status, for tests and the benchmark.
pub async fn status_counts(db: &Db) -> anyhow::Result<HashMap<String, i64>> {
    use sqlx::Row;
    let mut out = HashMap::new();
    for r in sqlx::query("SELECT status, COUNT(*) FROM curriculum GROUP BY status").fetch_all(db.pool()).await? {
        out.insert(r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?);
    }
    Ok(out)
}

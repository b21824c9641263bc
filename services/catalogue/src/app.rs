//! Catalogue use cases: one transaction each, events written to the outbox with the
//! change; public reads served from the in-memory index.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use arc_swap::ArcSwap;
use async_trait::async_trait;
use edu24_shared::auth::{Authenticator, CallCtx, Principal, Role};
use edu24_shared::db::Db;
use edu24_shared::error::{ApiError, ApiResult, ErrorCode};
use edu24_shared::outbox::{OutboxRelay, outbox_add};
use edu24_shared::time::{new_id, now_ms};

use edu24_shared::audit::audit_append;
use edu24_shared::db::WriteTx;

use crate::control::{self, HoldOutcome};
use crate::domain::*;
use crate::index::Snapshot;
use crate::{CatalogueApi, events, store};

pub struct CatalogueService {
    db: Db,
    auth: Authenticator,
    relay: OutboxRelay,
    snapshot: ArcSwap<Snapshot>,
    generation: AtomicI64,
}

impl CatalogueService {
    /// Applies migrations and the reference framework to `db`.
    pub async fn migrate(db: &Db) -> anyhow::Result<()> {
        db.migrate(&crate::MIGRATOR_SQLITE, &crate::MIGRATOR_POSTGRES).await?;
        crate::seed::reference_ensure(db).await?;
        crate::seed::events_backfill(db).await
    }

    /// Opens the service on a migrated database and builds the read index.
    pub async fn open(db: Db, auth: Authenticator, relay: OutboxRelay) -> anyhow::Result<Arc<Self>> {
        let svc = Arc::new(Self {
            db,
            auth,
            relay,
            snapshot: ArcSwap::from_pointee(Snapshot::empty()),
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

    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.load_full()
    }

    /// Rebuilds the read index from the database.
    pub async fn refresh(&self) -> anyhow::Result<()> {
        let started = std::time::Instant::now();
        let generation = store::generation(&self.db).await?;
        let framework = store::framework_load(&self.db).await?;
        let institutions = store::institutions_load(&self.db, &framework).await?;
        let loaded = started.elapsed();
        // Building the index is CPU work (~0.1 s at national scale): off the async workers.
        let snapshot = tokio::task::spawn_blocking(move || Snapshot::build(framework, institutions)).await?;
        self.snapshot.store(Arc::new(snapshot));
        tracing::debug!(
            load_ms = loaded.as_millis() as u64,
            build_ms = (started.elapsed() - loaded).as_millis() as u64,
            "catalogue index rebuilt"
        );
        self.generation.store(generation, Ordering::Release);
        Ok(())
    }

    /// Keeps the index fresh when another replica changed the data.
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

    async fn after_write(&self) -> ApiResult<()> {
        self.relay.wake();
        self.refresh().await.map_err(|e| {
            tracing::error!(error = %e, "catalogue index refresh after write failed");
            ApiError::internal()
        })
    }

    /// Writes an institution as `actor`; `id_if_new` names it when it is created.
    pub(crate) async fn institution_write(
        &self,
        actor: &str,
        input: &InstitutionInput,
        id_if_new: &str,
        tx: &mut edu24_shared::db::WriteTx,
    ) -> ApiResult<InstitutionSummary> {
        let now = now_ms();
        let summary = store::institution_upsert(tx, id_if_new, input, now).await?;
        outbox_add(tx, events::INSTITUTION_CHANGED, &events::institution_changed(&summary), actor).await?;
        audit(tx, now, actor, "institution.changed", &summary.id, &json(input)).await?;
        Ok(summary)
    }

    pub(crate) async fn licence_write(
        &self,
        actor: &str,
        input: &LicenceInput,
        id_if_new: &str,
        tx: &mut edu24_shared::db::WriteTx,
    ) -> ApiResult<Licence> {
        let institution = store::institution_by_code(tx, &input.institution_code).await?.ok_or_else(|| {
            ApiError::invalid("institution_code", format!("no institution with code {:?}", input.institution_code))
        })?;
        let id = match &input.id {
            Some(id) => match store::licence_institution(tx, id).await? {
                Some(owner) if owner == institution.id => id.clone(),
                Some(_) => {
                    return Err(ApiError::invalid("institution_code", "a licence cannot move to another institution"));
                }
                None => return Err(ApiError::not_found("licence")),
            },
            None => id_if_new.to_owned(),
        };
        let now = now_ms();
        let licence = store::licence_upsert(tx, &id, &institution.id, input, now).await?;
        outbox_add(tx, events::LICENCE_CHANGED, &events::licence_changed(&licence), actor).await?;
        audit(tx, now, actor, "licence.changed", &licence.id, &json(input)).await?;
        Ok(licence)
    }

    fn this_year() -> i32 {
        time::OffsetDateTime::now_utc().year()
    }

    /// The caller, who must administer `institution_id` (its admin, or the ministry's).
    async fn institution_admin(&self, ctx: &CallCtx, institution_id: &str) -> ApiResult<Principal> {
        let p = self.auth.require(ctx).await?;
        if p.is_ministry_admin() || p.has_role_for(Role::InstitutionAdmin, institution_id) {
            return Ok(p);
        }
        Err(ApiError::forbidden())
    }

    fn institution_id_of(&self, code: &str) -> ApiResult<String> {
        self.snapshot
            .load()
            .institution(code)
            .map(|i| i.summary.id.clone())
            .ok_or_else(|| ApiError::invalid("institution_code", format!("no institution with code {code:?}")))
    }

    /// Writes a classifier entry as `actor`; `None` when it did not change.
    pub(crate) async fn specialty_write(
        &self,
        actor: &str,
        input: &SpecialtyInput,
        tx: &mut WriteTx,
        now: i64,
    ) -> ApiResult<Option<Specialty>> {
        let Some(s) = store::specialty_upsert(tx, input, actor, now).await? else {
            return Ok(None);
        };
        outbox_add(tx, events::SPECIALTY_CHANGED, &events::specialty_changed(&s), actor).await?;
        audit(tx, now, actor, "specialty.changed", &format!("{}/{}", s.code, s.level), &json(input)).await?;
        Ok(Some(s))
    }

    /// Writes a programme of `institution_id` as `actor`.
    pub(crate) async fn programme_write(
        &self,
        actor: &str,
        institution_id: &str,
        input: &ProgrammeInput,
        id_if_new: &str,
        tx: &mut WriteTx,
    ) -> ApiResult<Programme> {
        let framework = self.snapshot.load().framework.clone();
        let existing = store::programme_by_key(tx, institution_id, input).await?;
        let id = match &input.id {
            Some(id) => {
                match store::programme_institution(tx, id).await? {
                    Some(owner) if owner == institution_id => {}
                    Some(_) => return Err(ApiError::not_found("programme")),
                    None => return Err(ApiError::not_found("programme")),
                }
                if existing.as_deref().is_some_and(|other| other != id) {
                    return Err(ApiError::new(
                        ErrorCode::AlreadyExists,
                        "the institution already has a programme with this specialty, level, form and language",
                    )
                    .with_reason("programme_exists"));
                }
                id.clone()
            }
            None => {
                if existing.is_some() {
                    return Err(ApiError::new(
                        ErrorCode::AlreadyExists,
                        "the institution already has a programme with this specialty, level, form and language",
                    )
                    .with_reason("programme_exists"));
                }
                id_if_new.to_owned()
            }
        };
        let now = now_ms();
        let old = store::programme_get(tx, &id, &framework).await?;
        let p = Programme {
            id: id.clone(),
            institution_id: institution_id.to_owned(),
            specialty_code: input.specialty_code.clone(),
            level: input.level,
            specialty_name: Localized::default(),
            form: input.form,
            language: input.language.clone(),
            duration_months: input.duration_months,
            credits: input.credits,
            fee_citizen: input.fee_citizen,
            fee_foreign: input.fee_foreign,
            grant_places: input.grant_places,
            contract_places: input.contract_places,
            admission_year: input.admission_year,
            // Admission results and graduate outcomes come from admissions and surveys.
            passing_score: old.as_ref().and_then(|o| o.passing_score),
            passing_score_year: old.as_ref().and_then(|o| o.passing_score_year),
            graduates: old.as_ref().and_then(|o| o.graduates),
            graduates_employed: old.as_ref().and_then(|o| o.graduates_employed),
            outcomes_year: old.as_ref().and_then(|o| o.outcomes_year),
            version: 0,
        };
        let p = store::programme_upsert(tx, &p, now, &framework).await?;
        outbox_add(tx, events::PROGRAMME_CHANGED, &events::programme_changed(&p), actor).await?;
        audit(tx, now, actor, "programme.changed", &p.id, &json(input)).await?;
        Ok(p)
    }

    /// Gives back the places of holds past their time. Returns how many were expired.
    pub async fn expire_holds(&self) -> anyhow::Result<usize> {
        let now = now_ms();
        let ids = control::expired_holds(&self.db, now, 500).await?;
        for id in &ids {
            let mut tx = self.db.begin_write().await?;
            control::release(&mut tx, id, "expired", "system:catalogue", now).await?;
            tx.commit().await?;
        }
        Ok(ids.len())
    }

    /// Expires lapsed holds every few seconds.
    pub fn spawn_hold_sweeper(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let svc = self.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(5)).await;
                if let Err(e) = svc.expire_holds().await {
                    tracing::warn!(error = %e, "expiring licence holds failed");
                }
            }
        })
    }

    /// The licensing dashboard over `institutions` (all when `None`).
    async fn dashboard_for(&self, institution: Option<&str>) -> ApiResult<Dashboard> {
        let snap = self.snapshot.load_full();
        let counters = control::all_counters(&self.db).await?;
        let today = today();
        let horizon = add_days(&today, EXPIRY_WARNING_DAYS).unwrap_or_else(|| today.clone());
        let mut d = Dashboard { today: today.clone(), ..Dashboard::default() };
        for inst in snap.institutions() {
            if institution.is_some_and(|id| id != inst.summary.id) {
                continue;
            }
            for l in &inst.licences {
                if !l.in_force_on(&today) {
                    continue;
                }
                let (enrolled, held) = counters.get(&l.id).copied().unwrap_or((0, 0));
                let usage = LicenceUsage {
                    licence: l.clone(),
                    institution_code: inst.summary.code.clone(),
                    institution_name: inst.summary.name.clone(),
                    specialty_name: snap
                        .framework
                        .specialty(&l.specialty_code, l.level)
                        .map(|s| s.name.clone())
                        .unwrap_or_default(),
                    enrolled,
                    held,
                };
                d.licences_in_force += 1;
                d.licensed_contingent += l.contingent.max(0) as u64;
                d.enrolled += enrolled.max(0) as u64;
                let fill = usage.fill_percent();
                d.fill_bands[match fill {
                    0..50 => 0,
                    50..90 => 1,
                    90..100 => 2,
                    _ => 3,
                }] += 1;
                if l.valid_to.as_deref().is_some_and(|to| to <= horizon.as_str()) {
                    d.expiring.push(usage.clone());
                }
                if fill >= NEAR_FULL_PERCENT {
                    d.near_full.push(usage);
                }
            }
            for p in &inst.programmes {
                let covering: Vec<&Licence> = inst.licences.iter().filter(|l| l.covers(p)).collect();
                if covering.iter().any(|l| l.in_force_on(&today)) {
                    continue;
                }
                d.unlicensed.push(UnlicensedProgramme {
                    programme: p.clone(),
                    institution_code: inst.summary.code.clone(),
                    institution_name: inst.summary.name.clone(),
                    licence: covering.iter().max_by(|a, b| a.valid_from.cmp(&b.valid_from)).map(|l| (*l).clone()),
                });
            }
        }
        d.near_full.sort_by(|a, b| b.fill_percent().cmp(&a.fill_percent()).then(a.licence.id.cmp(&b.licence.id)));
        d.expiring.sort_by(|a, b| a.licence.valid_to.cmp(&b.licence.valid_to).then(a.licence.id.cmp(&b.licence.id)));
        d.unlicensed.sort_by(|a, b| {
            a.institution_code
                .cmp(&b.institution_code)
                .then(a.programme.specialty_code.cmp(&b.programme.specialty_code))
        });
        Ok(d)
    }
}

#[async_trait]
impl edu24_shared::refresh::Refreshable for CatalogueService {
    fn what(&self) -> &'static str {
        "catalogue index"
    }
    async fn generation(&self) -> anyhow::Result<i64> {
        Ok(store::generation(&self.db).await?)
    }
    fn built_from(&self) -> i64 {
        self.generation.load(Ordering::Acquire)
    }
    async fn refresh(&self) -> anyhow::Result<()> {
        CatalogueService::refresh(self).await
    }
}

/// Appends to catalogue's audit log.
pub(crate) async fn audit(
    tx: &mut WriteTx,
    now: i64,
    actor: &str,
    action: &str,
    subject: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    audit_append(tx, now, actor, action, subject, "", detail).await
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// Reads the type and size of an uploaded image from its bytes.
pub fn sniff_image(data: &[u8]) -> ApiResult<(&'static str, u32, u32)> {
    if data.len() > MAX_IMAGE_BYTES {
        return Err(ApiError::invalid("image", format!("the image is larger than {} MiB", MAX_IMAGE_BYTES >> 20))
            .with_reason("image_too_large"));
    }
    let content_type = match imagesize::image_type(data) {
        Ok(imagesize::ImageType::Png) => "image/png",
        Ok(imagesize::ImageType::Jpeg) => "image/jpeg",
        Ok(imagesize::ImageType::Webp) => "image/webp",
        _ => {
            return Err(
                ApiError::invalid("image", "the file is not a PNG, JPEG or WebP image").with_reason("image_type")
            );
        }
    };
    let size = imagesize::blob_size(data)
        .map_err(|_| ApiError::invalid("image", "the image is damaged").with_reason("image_type"))?;
    let (w, h) = (size.width as u32, size.height as u32);
    if !(16..=8000).contains(&w) || !(16..=8000).contains(&h) {
        return Err(ApiError::invalid("image", "the image must be from 16 to 8000 pixels wide and high")
            .with_reason("image_dimensions"));
    }
    Ok((content_type, w, h))
}

pub const MAX_IMAGE_BYTES: usize = 2 << 20;
pub const MAX_PHOTOS: usize = 12;

#[async_trait]
impl CatalogueApi for CatalogueService {
    async fn framework(&self, _ctx: &CallCtx) -> ApiResult<Arc<Framework>> {
        Ok(self.snapshot.load().framework.clone())
    }

    async fn institution_search(
        &self,
        _ctx: &CallCtx,
        query: &InstitutionQuery,
    ) -> ApiResult<Page<InstitutionSummary>> {
        query.validate()?;
        Ok(self.snapshot.load().search(query))
    }

    async fn institution_get(&self, _ctx: &CallCtx, code: &str) -> ApiResult<Institution> {
        let snap = self.snapshot.load();
        snap.institution(code)
            .or_else(|| snap.institutions().find(|i| i.summary.id == code))
            .cloned()
            .ok_or_else(|| ApiError::not_found("institution"))
    }

    async fn programme_get(&self, _ctx: &CallCtx, id: &str) -> ApiResult<ProgrammeDetail> {
        self.snapshot.load().programme(id).ok_or_else(|| ApiError::not_found("programme"))
    }

    async fn stats(&self, _ctx: &CallCtx) -> ApiResult<Stats> {
        Ok(self.snapshot.load().stats.clone())
    }

    async fn institution_upsert(&self, ctx: &CallCtx, input: InstitutionInput) -> ApiResult<InstitutionSummary> {
        let p = self.ministry_admin(ctx).await?;
        input.validate(&self.snapshot.load().framework, Self::this_year())?;
        let mut tx = self.db.begin_write().await?;
        let summary = self.institution_write(&p.actor(), &input, &new_id(), &mut tx).await?;
        tx.commit().await?;
        self.after_write().await?;
        Ok(self.snapshot.load().institution(&summary.code).map(|i| i.summary.clone()).unwrap_or(summary))
    }

    async fn licence_upsert(&self, ctx: &CallCtx, input: LicenceInput) -> ApiResult<Licence> {
        let p = self.ministry_admin(ctx).await?;
        input.validate(&self.snapshot.load().framework)?;
        let mut tx = self.db.begin_write().await?;
        let licence = self.licence_write(&p.actor(), &input, &new_id(), &mut tx).await?;
        tx.commit().await?;
        self.after_write().await?;
        Ok(licence)
    }

    async fn programme_search(&self, _ctx: &CallCtx, query: &ProgrammeQuery) -> ApiResult<Page<ProgrammeHit>> {
        query.validate()?;
        Ok(self.snapshot.load().programme_search(query))
    }

    async fn framework_as_of(&self, _ctx: &CallCtx, at: i64) -> ApiResult<Vec<SpecialtyVersion>> {
        Ok(store::specialties_as_of(&self.db, at).await?)
    }

    async fn specialty_history(&self, _ctx: &CallCtx, code: &str, level: Level) -> ApiResult<Vec<SpecialtyVersion>> {
        if !is_specialty_code(code) {
            return Err(ApiError::invalid("code", "code must be 6 digits, e.g. 580100"));
        }
        Ok(store::specialty_history(&self.db, code, level).await?)
    }

    async fn specialties_import(&self, ctx: &CallCtx, rows: Vec<SpecialtyInput>) -> ApiResult<ImportReport> {
        let p = self.ministry_admin(ctx).await?;
        if rows.len() > MAX_IMPORT_ROWS {
            return Err(ApiError::invalid("file", format!("at most {MAX_IMPORT_ROWS} rows in one import")));
        }
        let framework = self.snapshot.load().framework.clone();
        let mut report = ImportReport { rows: rows.len() as u32, ..ImportReport::default() };
        let mut seen = std::collections::HashMap::new();
        for (i, r) in rows.iter().enumerate() {
            let row = i as u32 + 2;
            if let Err(e) = r.validate(&framework) {
                report.errors.push(RowError { row, field: e.field.unwrap_or_default(), message: e.message });
            } else if let Some(first) = seen.insert((r.code.clone(), r.level), row) {
                report.errors.push(RowError {
                    row,
                    field: "code".into(),
                    message: format!("{} {} is also in row {first}", r.code, r.level),
                });
            }
        }
        if !report.errors.is_empty() {
            return Ok(report);
        }
        let mut tx = self.db.begin_write().await?;
        let now = now_ms();
        for r in &rows {
            match self.specialty_write(&p.actor(), r, &mut tx, now).await? {
                Some(_) => report.changed += 1,
                None => report.unchanged += 1,
            }
        }
        tx.commit().await?;
        if report.changed > 0 {
            self.after_write().await?;
        }
        Ok(report)
    }

    async fn profile_update(&self, ctx: &CallCtx, input: ProfileInput) -> ApiResult<InstitutionSummary> {
        let institution_id = self.institution_id_of(&input.institution_code)?;
        let p = self.institution_admin(ctx, &institution_id).await?;
        input.validate(Self::this_year())?;
        let mut tx = self.db.begin_write().await?;
        let now = now_ms();
        let summary = store::profile_update(&mut tx, &input, now).await?;
        outbox_add(&mut tx, events::INSTITUTION_CHANGED, &events::institution_changed(&summary), &p.actor()).await?;
        audit(&mut tx, now, &p.actor(), "institution.profile.changed", &summary.id, &json(&input)).await?;
        tx.commit().await?;
        self.after_write().await?;
        Ok(self.snapshot.load().institution(&summary.code).map(|i| i.summary.clone()).unwrap_or(summary))
    }

    async fn image_add(
        &self,
        ctx: &CallCtx,
        institution_code: &str,
        kind: ImageKind,
        data: Vec<u8>,
    ) -> ApiResult<String> {
        let institution_id = self.institution_id_of(institution_code)?;
        let p = self.institution_admin(ctx, &institution_id).await?;
        let (content_type, w, h) = sniff_image(&data)?;
        if kind == ImageKind::Photo
            && self.snapshot.load().institution(institution_code).is_some_and(|i| i.profile.photos.len() >= MAX_PHOTOS)
        {
            return Err(ApiError::invalid("image", format!("at most {MAX_PHOTOS} photos; remove one first"))
                .with_reason("too_many_photos"));
        }
        let sha = {
            use sha2::Digest;
            hex::encode(sha2::Sha256::digest(&data))
        };
        let id = new_id();
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        store::image_insert(&mut tx, &id, &institution_id, kind.as_str(), content_type, (w, h), &data, &sha, now)
            .await?;
        audit(
            &mut tx,
            now,
            &p.actor(),
            "institution.image.added",
            &institution_id,
            &format!("image={id} kind={kind} type={content_type} bytes={} sha256={sha}", data.len()),
        )
        .await?;
        tx.commit().await?;
        self.after_write().await?;
        Ok(id)
    }

    async fn image_delete(&self, ctx: &CallCtx, institution_code: &str, image_id: &str) -> ApiResult<()> {
        let institution_id = self.institution_id_of(institution_code)?;
        let p = self.institution_admin(ctx, &institution_id).await?;
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        if !store::image_delete(&mut tx, &institution_id, image_id, now).await? {
            return Err(ApiError::not_found("image"));
        }
        audit(&mut tx, now, &p.actor(), "institution.image.removed", &institution_id, &format!("image={image_id}"))
            .await?;
        tx.commit().await?;
        self.after_write().await
    }

    async fn image_get(&self, _ctx: &CallCtx, image_id: &str) -> ApiResult<Image> {
        let (content_type, data, sha256) =
            store::image_get(&self.db, image_id).await?.ok_or_else(|| ApiError::not_found("image"))?;
        Ok(Image { content_type, data, sha256 })
    }

    async fn programme_upsert(&self, ctx: &CallCtx, input: ProgrammeInput) -> ApiResult<Programme> {
        let institution_id = self.institution_id_of(&input.institution_code)?;
        let p = self.institution_admin(ctx, &institution_id).await?;
        input.validate(&self.snapshot.load().framework, &today())?;
        let mut tx = self.db.begin_write().await?;
        let programme = self.programme_write(&p.actor(), &institution_id, &input, &new_id(), &mut tx).await?;
        tx.commit().await?;
        self.after_write().await?;
        Ok(self.snapshot.load().programme(&programme.id).map(|d| d.programme).unwrap_or(programme))
    }

    async fn accreditation_upsert(&self, ctx: &CallCtx, input: AccreditationInput) -> ApiResult<Accreditation> {
        let p = self.ministry_admin(ctx).await?;
        input.validate()?;
        let institution_id = self.institution_id_of(&input.institution_code)?;
        let mut tx = self.db.begin_write().await?;
        if let Some(pid) = &input.programme_id
            && store::programme_institution(&mut tx, pid).await?.as_deref() != Some(institution_id.as_str())
        {
            return Err(ApiError::invalid("programme_id", "no such programme at this institution"));
        }
        let id = match &input.id {
            Some(id) => match store::accreditation_institution(&mut tx, id).await? {
                Some(owner) if owner == institution_id => id.clone(),
                _ => return Err(ApiError::not_found("accreditation")),
            },
            None => new_id(),
        };
        let now = now_ms();
        let a = store::accreditation_upsert(&mut tx, &id, &institution_id, &input, now).await?;
        outbox_add(&mut tx, events::ACCREDITATION_CHANGED, &events::accreditation_changed(&a), &p.actor()).await?;
        audit(&mut tx, now, &p.actor(), "accreditation.changed", &a.id, &json(&input)).await?;
        tx.commit().await?;
        self.after_write().await?;
        Ok(a)
    }

    async fn licence_hold(&self, ctx: &CallCtx, request: HoldRequest) -> ApiResult<HoldAnswer> {
        let p = self.auth.require(ctx).await?;
        request.validate()?;
        let owner = match self.snapshot.load().licence_owner(&request.licence_id) {
            Some(o) => o.to_owned(),
            None => control::licence_owner(&self.db, &request.licence_id)
                .await?
                .ok_or_else(|| ApiError::not_found("licence"))?,
        };
        if !(p.is_ministry_admin()
            || p.has_role_for(Role::Registrar, &owner)
            || p.has_role_for(Role::InstitutionAdmin, &owner))
        {
            return Err(ApiError::forbidden());
        }
        let today = today();
        if let Some(mut w) = self.db.single_statement_writer().await? {
            return match control::hold_single(w.conn(), &request, &new_id(), &p.actor(), &today, now_ms(), HOLD_TTL_MS)
                .await?
            {
                HoldOutcome::Answer(a) | HoldOutcome::Refused(a) => Ok(a),
                HoldOutcome::NoLicence => Err(ApiError::not_found("licence")),
            };
        }
        let mut tx = self.db.begin_write().await?;
        match control::hold(&mut tx, &request, &new_id(), &p.actor(), &today, now_ms(), HOLD_TTL_MS).await {
            // The hold row itself records who held what and when (ADR 0019); the audit
            // chain is for changes of facts.
            Ok(HoldOutcome::Answer(a)) => {
                tx.commit().await?;
                Ok(a)
            }
            // Dropping the transaction rolls the hold row back.
            Ok(HoldOutcome::Refused(a)) => Ok(a),
            Ok(HoldOutcome::NoLicence) => Err(ApiError::not_found("licence")),
            Err(e) => Err(e.into()),
        }
    }

    async fn licence_release(&self, ctx: &CallCtx, hold_id: &str) -> ApiResult<()> {
        let p = self.auth.require(ctx).await?;
        let (owner, _) = control::hold_owner(&self.db, hold_id).await?.ok_or_else(|| ApiError::not_found("hold"))?;
        if !(p.is_ministry_admin()
            || p.has_role_for(Role::Registrar, &owner)
            || p.has_role_for(Role::InstitutionAdmin, &owner))
        {
            return Err(ApiError::forbidden());
        }
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        control::release(&mut tx, hold_id, "released", &p.actor(), now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn dashboard(&self, ctx: &CallCtx, institution_code: Option<&str>) -> ApiResult<Dashboard> {
        let p = self.auth.require(ctx).await?;
        match institution_code {
            None => {
                if !(p.has_role(Role::MinistryAdmin) || p.has_role(Role::MinistryAnalyst)) {
                    return Err(ApiError::forbidden());
                }
                self.dashboard_for(None).await
            }
            Some(code) => {
                // By code, or by id (ids are UUIDs, never codes).
                let snap = self.snapshot.load();
                let id = snap
                    .institution(code)
                    .or_else(|| snap.institutions().find(|i| i.summary.id == code))
                    .map(|i| i.summary.id.clone())
                    .ok_or_else(|| ApiError::not_found("institution"))?;
                if !(p.has_role(Role::MinistryAdmin)
                    || p.has_role(Role::MinistryAnalyst)
                    || p.has_role_for(Role::InstitutionAdmin, &id)
                    || p.has_role_for(Role::Registrar, &id))
                {
                    return Err(ApiError::forbidden());
                }
                self.dashboard_for(Some(&id)).await
            }
        }
    }
}

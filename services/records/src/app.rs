//! Records use cases: one transaction each, the enrolment event written to the outbox and
//! an audit record appended with the change. A place of a licence is asked of catalogue
//! (a hold) before the transaction; the enrolment event that uses it turns it into an
//! enrolled place, and a hold that is not used lapses or is given back.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use async_trait::async_trait;
use edu24_catalogue::CatalogueApi;
use edu24_catalogue::domain::{HoldRequest, HoldVerdict, ProgrammeDetail};
use edu24_curriculum::CurriculumApi;
use edu24_shared::audit::audit_append;
use edu24_shared::auth::{Authenticator, CallCtx, Principal, Role};
use edu24_shared::db::{Db, WriteTx};
use edu24_shared::error::{ApiError, ApiResult, ErrorCode};
use edu24_shared::outbox::{OutboxRelay, outbox_add};
use edu24_shared::time::{new_id, now_ms};

use crate::domain::*;
use crate::gradelog::GradeSeal;
use crate::grading::*;
use crate::{MySpace, PersonOutcome, RecordsApi, events, store};

pub struct RecordsService {
    pub(crate) db: Db,
    pub(crate) auth: Authenticator,
    pub(crate) relay: OutboxRelay,
    catalogue: Arc<dyn CatalogueApi>,
    pub(crate) curriculum: Arc<dyn CurriculumApi>,
    pub(crate) seal: GradeSeal,
    students_cache: crate::listcache::ListCache<Page<StudentRow>>,
    pub(crate) ranking_cache: crate::listcache::ListCache<Page<RankRow>>,
}

fn conflict(reason: &str, message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::FailedPrecondition, message).with_reason(reason)
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// A place asked of catalogue, to give back if the change is not committed.
struct Hold {
    id: String,
    licence_id: String,
}

impl RecordsService {
    pub async fn migrate(db: &Db) -> anyhow::Result<()> {
        db.migrate(&crate::MIGRATOR_SQLITE, &crate::MIGRATOR_POSTGRES).await
    }

    pub fn open(
        db: Db,
        auth: Authenticator,
        relay: OutboxRelay,
        catalogue: Arc<dyn CatalogueApi>,
        curriculum: Arc<dyn CurriculumApi>,
        seal: GradeSeal,
    ) -> Arc<Self> {
        Arc::new(Self {
            db,
            auth,
            relay,
            catalogue,
            curriculum,
            seal,
            students_cache: Default::default(),
            ranking_cache: Default::default(),
        })
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn relay(&self) -> &OutboxRelay {
        &self.relay
    }

    /// The caller, who must be a registrar or admin of `institution_id`.
    async fn staff(&self, ctx: &CallCtx, institution_id: &str) -> ApiResult<Principal> {
        let p = self.auth.require(ctx).await?;
        if p.has_role_for(Role::Registrar, institution_id) || p.has_role_for(Role::InstitutionAdmin, institution_id) {
            return Ok(p);
        }
        Err(ApiError::forbidden())
    }

    fn is_ministry(p: &Principal) -> bool {
        p.has_role(Role::MinistryAdmin) || p.has_role(Role::MinistryAnalyst)
    }

    fn staffs(p: &Principal, institution_id: &str) -> bool {
        p.claims.roles.iter().any(|g| {
            matches!(g.role, Role::Registrar | Role::InstitutionAdmin) && g.inst.as_deref() == Some(institution_id)
        })
    }

    pub(crate) async fn audit(
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

    /// The programme from catalogue, which must be the institution's and have a licence.
    async fn programme(&self, institution_id: &str, programme_id: &str) -> ApiResult<ProgrammeDetail> {
        let d = self.catalogue.programme_get(&CallCtx::anonymous(), programme_id).await.map_err(|e| {
            if e.code == ErrorCode::NotFound {
                ApiError::invalid("programme_id", "no such programme").with_reason("programme_unknown")
            } else {
                e
            }
        })?;
        if d.institution.id != institution_id {
            return Err(ApiError::invalid("programme_id", "the programme is another institution's")
                .with_reason("programme_other_institution"));
        }
        Ok(d)
    }

    /// Asks catalogue for `seats` places of the programme's licence. Refused (with the
    /// places left) when there are not enough.
    async fn hold(&self, ctx: &CallCtx, d: &ProgrammeDetail, seats: i32, request_id: &str) -> ApiResult<Hold> {
        self.hold_or_free(ctx, d, seats, request_id).await?.map_err(|(e, _)| e)
    }

    async fn hold_or_free(
        &self,
        ctx: &CallCtx,
        d: &ProgrammeDetail,
        seats: i32,
        request_id: &str,
    ) -> ApiResult<Result<Hold, (ApiError, i32)>> {
        let Some(l) = &d.licence else {
            return Err(conflict("licence_missing", "the programme has no licence: nobody can be enrolled in it"));
        };
        let a = self
            .catalogue
            .licence_hold(ctx, HoldRequest { licence_id: l.id.clone(), seats, request_id: request_id.to_owned() })
            .await?;
        Ok(match (a.verdict, a.hold_id) {
            (HoldVerdict::Granted, Some(id)) => Ok(Hold { id, licence_id: l.id.clone() }),
            (HoldVerdict::NotInForce, _) => Err((
                conflict("licence_not_in_force", "the programme's licence is not in force: nobody can be enrolled"),
                0,
            )),
            _ => Err((
                conflict("licence_full", format!("the licence is full: {} places left, {seats} asked", a.free.max(0))),
                a.free.max(0),
            )),
        })
    }

    async fn give_back(&self, ctx: &CallCtx, hold: &Hold) {
        if let Err(e) = self.catalogue.licence_release(ctx, &hold.id).await {
            tracing::warn!(error = %e.message, hold = %hold.id, licence = %hold.licence_id, "a licence hold was not given back; it lapses by itself");
        }
    }

    /// A person the caller's institution may act on: recorded by it, or studying there.
    async fn person_of(&self, institution_id: &str, person_id: &str) -> ApiResult<Person> {
        let p = store::person_get(&self.db, person_id).await?.ok_or_else(|| ApiError::not_found("person"))?;
        if !store::person_institutions(&self.db, person_id).await?.iter().any(|i| i == institution_id) {
            return Err(ApiError::not_found("person"));
        }
        if let Some(into) = &p.merged_into {
            return Err(conflict("person_merged", format!("this record was merged into {into}")));
        }
        Ok(p)
    }

    fn order(&self, head: &OrderHead, e: &Enrolment, actor: &str, detail: String) -> Order {
        Order {
            id: new_id(),
            enrolment_id: e.id.clone(),
            person_id: e.person_id.clone(),
            institution_id: e.institution_id.clone(),
            kind: head.kind,
            number: head.number.clone(),
            signed_on: head.signed_on.clone(),
            effective_on: head.effective_on.clone(),
            signatory: head.signatory.clone(),
            reason: head.reason.clone(),
            detail,
            recorded_at_ms: now_ms(),
            recorded_by: actor.to_owned(),
            status_after: e.status,
        }
    }

    async fn changed(&self, tx: &mut WriteTx, e: &Enrolment, hold_id: &str, actor: &str) -> Result<(), sqlx::Error> {
        outbox_add(tx, events::ENROLMENT_CHANGED, &events::enrolment_changed(e, hold_id), actor).await.map(|_| ())
    }

    fn new_enrolment(
        person_id: &str,
        d: &ProgrammeDetail,
        intake_year: i32,
        (group, funding, ticket): (String, Funding, String),
        licence_id: &str,
        since: &str,
    ) -> Enrolment {
        Enrolment {
            id: new_id(),
            person_id: person_id.to_owned(),
            institution_id: d.institution.id.clone(),
            programme_id: d.programme.id.clone(),
            specialty_code: d.programme.specialty_code.clone(),
            level: d.programme.level,
            form: d.programme.form.as_str().to_owned(),
            intake_year,
            study_group: group,
            funding,
            status: EnrolmentStatus::Active,
            student_ticket: ticket,
            licence_id: licence_id.to_owned(),
            version: 1,
            since: since.to_owned(),
        }
    }
}

#[async_trait]
impl RecordsApi for RecordsService {
    async fn person_create(&self, ctx: &CallCtx, input: PersonInput) -> ApiResult<PersonOutcome> {
        let p = self.staff(ctx, &input.institution_id).await?;
        let (citizenship, pin, sex, name, latin) = input.validate(today())?;
        let mut tx = self.db.begin_write().await?;
        if let Some(pin) = &pin
            && let Some(existing) = store::person_by_pin(&mut tx, pin).await?
        {
            return Err(ApiError::new(
                ErrorCode::AlreadyExists,
                format!("a person with this PIN is recorded ({})", existing.id),
            )
            .with_reason("pin_exists"));
        }
        let alike = store::persons_alike(&mut tx, &name, input.birth_date.trim()).await?;
        if !alike.is_empty() && !input.confirm_distinct {
            return Ok(PersonOutcome { person: None, duplicates: alike });
        }
        let now = now_ms();
        let person = Person {
            id: new_id(),
            pin,
            pin_exception: input.pin_exception.trim().to_owned(),
            name,
            latin,
            birth_date: input.birth_date.trim().to_owned(),
            sex,
            citizenship,
            merged_into: None,
            created_at_ms: now,
            created_by: p.actor(),
            version: 1,
        };
        store::person_insert(&mut tx, &person, &input.institution_id).await?;
        let detail = if alike.is_empty() {
            String::new()
        } else {
            format!("confirmed distinct from {}", alike.iter().map(|a| a.id.as_str()).collect::<Vec<_>>().join(","))
        };
        self.audit(&mut tx, ctx, &p.actor(), "person.created", &person.id, &detail).await?;
        tx.commit().await?;
        Ok(PersonOutcome { person: Some(person), duplicates: Vec::new() })
    }

    async fn person_get(&self, ctx: &CallCtx, id: &str) -> ApiResult<PersonFile> {
        let p = self.auth.require(ctx).await?;
        let person = store::person_get(&self.db, id).await?.ok_or_else(|| ApiError::not_found("person"))?;
        let institutions = store::person_institutions(&self.db, id).await?;
        let ministry = Self::is_ministry(&p);
        if !(ministry || institutions.iter().any(|i| Self::staffs(&p, i))) {
            return Err(ApiError::not_found("person"));
        }
        // Staff see the studies at their own institutions; the ministry sees all.
        let mine = |inst: &str| ministry || Self::staffs(&p, inst);
        let enrolments =
            store::enrolments_of(&self.db, id).await?.into_iter().filter(|e| mine(&e.institution_id)).collect();
        let orders = store::orders_of(&self.db, id).await?.into_iter().filter(|o| mine(&o.institution_id)).collect();
        Ok(PersonFile { person, enrolments, orders })
    }

    async fn persons_find(
        &self,
        ctx: &CallCtx,
        institution_id: &str,
        query: &str,
        limit: u32,
    ) -> ApiResult<Vec<Person>> {
        let p = self.auth.require(ctx).await?;
        if query.trim().chars().count() < 2 || query.chars().count() > 100 {
            return Err(ApiError::invalid("query", "search with 2 to 100 characters: a PIN or the start of a name")
                .with_reason("query_length"));
        }
        let scope = if Self::is_ministry(&p) && institution_id.is_empty() {
            None
        } else if Self::staffs(&p, institution_id) || Self::is_ministry(&p) {
            Some(institution_id)
        } else {
            return Err(ApiError::forbidden());
        };
        Ok(store::persons_find(&self.db, scope, query, limit.clamp(1, 100)).await?)
    }

    async fn persons_merge(
        &self,
        ctx: &CallCtx,
        institution_id: &str,
        keep_id: &str,
        merge_id: &str,
        reason: &str,
    ) -> ApiResult<PersonFile> {
        let p = self.staff(ctx, institution_id).await?;
        if keep_id == merge_id {
            return Err(
                ApiError::invalid("merge_id", "a person is not merged into themselves").with_reason("merge_self")
            );
        }
        let (keep, merge) =
            (self.person_of(institution_id, keep_id).await?, self.person_of(institution_id, merge_id).await?);
        if reason.trim().chars().count() < 5 {
            return Err(
                ApiError::invalid("reason", "say why these records are one person").with_reason("reason_required")
            );
        }
        if let (Some(a), Some(b)) = (&keep.pin, &merge.pin)
            && a != b
        {
            return Err(conflict("merge_pins_differ", "two different PINs are two people: they are not merged"));
        }
        let mut tx = self.db.begin_write().await?;
        let merged = match store::person_merge(&mut tx, keep_id, merge_id, now_ms()).await {
            Ok(m) => m,
            Err(e) if e.as_database_error().is_some_and(|d| d.is_unique_violation()) => {
                return Err(conflict(
                    "merge_conflict",
                    "both study in the same programme now: end one enrolment first",
                ));
            }
            Err(e) => return Err(e.into()),
        };
        if !merged {
            return Err(conflict("person_merged", "this record was merged already"));
        }
        self.audit(
            &mut tx,
            ctx,
            &p.actor(),
            "person.merged",
            keep_id,
            &format!("merged={merge_id} reason={}", reason.trim()),
        )
        .await?;
        tx.commit().await?;
        self.person_get(ctx, keep_id).await
    }

    async fn order_issue(&self, ctx: &CallCtx, input: OrderInput) -> ApiResult<(Order, Enrolment)> {
        let (request, inst) = (input.request_id.trim().to_owned(), input.institution_id.clone());
        let answer: ApiResult<(Order, Enrolment)> = async move {
            let p = self.staff(ctx, &input.institution_id).await?;
            let head = input.head()?;
            let request_id =
                if input.request_id.trim().is_empty() { new_id() } else { input.request_id.trim().to_owned() };
            if request_id.len() > 100 {
                return Err(ApiError::invalid("request_id", "at most 100 characters"));
            }
            {
                let mut tx = self.db.begin_write().await?;
                if let Some((inst, result)) = store::request_get(&mut tx, &request_id).await? {
                    if inst != input.institution_id {
                        return Err(ApiError::forbidden());
                    }
                    return serde_json::from_str(&result).map_err(|_| ApiError::internal());
                }
            }
            let inst = input.institution_id.as_str();
            let now = now_ms();
            // What the order needs of catalogue, asked before the transaction.
            let (current, detail, hold) = match head.kind {
                OrderKind::Admission => {
                    self.person_of(inst, &input.person_id).await?;
                    if !INTAKE_YEARS.contains(&input.intake_year) {
                        return Err(ApiError::invalid("intake_year", "the intake year is from 1990 to 2100")
                            .with_reason("intake_range"));
                    }
                    input.placement()?;
                    let d = self.programme(inst, &input.programme_id).await?;
                    let hold = self.hold(ctx, &d, 1, &request_id).await?;
                    (None, Some(d), Some(hold))
                }
                kind => {
                    let e =
                        store::enrolment_get(&self.db, &input.enrolment_id).await?.filter(|e| e.institution_id == inst);
                    let e = e.ok_or_else(|| ApiError::not_found("enrolment"))?;
                    if kind.next(Some(e.status)).is_none() {
                        return Err(conflict(
                            "order_not_allowed",
                            format!("a {} order cannot be given to an enrolment that is {}", kind, e.status),
                        ));
                    }
                    if head.effective_on < e.since {
                        return Err(conflict(
                            "effective_before_previous",
                            format!(
                                "the student's last order took effect on {}: this one cannot take effect before",
                                e.since
                            ),
                        ));
                    }
                    let (d, hold) = match kind {
                        OrderKind::ProgrammeTransfer => {
                            input.placement()?;
                            if input.programme_id == e.programme_id {
                                return Err(ApiError::invalid(
                                    "programme_id",
                                    "choose the programme the student moves to",
                                )
                                .with_reason("same_programme"));
                            }
                            let d = self.programme(inst, &input.programme_id).await?;
                            let h = self.hold(ctx, &d, 1, &request_id).await?;
                            (Some(d), Some(h))
                        }
                        OrderKind::Reinstatement => {
                            let d = self.programme(inst, &e.programme_id).await?;
                            let h = self.hold(ctx, &d, 1, &request_id).await?;
                            (Some(d), Some(h))
                        }
                        OrderKind::GroupTransfer => {
                            if !is_group(input.study_group.trim()) || input.study_group.trim() == e.study_group {
                                return Err(ApiError::invalid("study_group", "name the group the student moves to")
                                    .with_reason("group_format"));
                            }
                            (None, None)
                        }
                        _ => (None, None),
                    };
                    (Some(e), d, hold)
                }
            };
            // The same request may have been given meanwhile (two callers at once, the first
            // committing while the second asked catalogue): looked up again in the write.
            let mut replayed = false;
            let result = async {
                let mut tx = self.db.begin_write().await?;
                if let Some((owner, stored)) = store::request_get(&mut tx, &request_id).await? {
                    replayed = true;
                    if owner != input.institution_id {
                        return Err(ApiError::forbidden());
                    }
                    return serde_json::from_str(&stored).map_err(|_| ApiError::internal());
                }
                let (order, enrolment) = match (head.kind, current) {
                    (OrderKind::Admission, _) => {
                        let d = detail.as_ref().expect("asked above");
                        let hold = hold.as_ref().expect("asked above");
                        let placement = input.placement()?;
                        if store::current_in(&mut tx, &input.person_id, &d.programme.id).await? {
                            return Err(conflict("already_enrolled", "the person already studies in this programme"));
                        }
                        if !placement.2.is_empty() && store::ticket_taken(&mut tx, inst, &placement.2).await? {
                            return Err(ApiError::new(
                                ErrorCode::AlreadyExists,
                                "this student ticket is another student's",
                            )
                            .with_reason("ticket_taken"));
                        }
                        let e = Self::new_enrolment(
                            &input.person_id,
                            d,
                            input.intake_year,
                            placement,
                            &hold.licence_id,
                            &head.effective_on,
                        );
                        store::enrolment_insert(&mut tx, &e, &hold.id, now).await?;
                        let o = self.order(
                            &head,
                            &e,
                            &p.actor(),
                            format!("programme={} group={} funding={}", d.programme.id, e.study_group, e.funding),
                        );
                        store::order_insert(&mut tx, &o).await?;
                        self.changed(&mut tx, &e, &hold.id, &p.actor()).await?;
                        (o, e)
                    }
                    (OrderKind::ProgrammeTransfer, Some(old)) => {
                        let d = detail.as_ref().expect("asked above");
                        let hold = hold.as_ref().expect("asked above");
                        let mut out = old.clone();
                        out.status = EnrolmentStatus::TransferredOut;
                        out.version += 1;
                        out.since = head.effective_on.clone();
                        if !store::enrolment_update(&mut tx, &out, old.version, "", now).await? {
                            return Err(conflict("stale_enrolment", "the enrolment changed meanwhile: look again"));
                        }
                        let o_out = self.order(&head, &out, &p.actor(), format!("to programme={}", d.programme.id));
                        store::order_insert(&mut tx, &o_out).await?;
                        self.changed(&mut tx, &out, "", &p.actor()).await?;
                        // The student keeps the ticket unless the order gives a new one.
                        let (group, funding, ticket) = input.placement()?;
                        let ticket = if ticket.is_empty() { old.student_ticket.clone() } else { ticket };
                        let e = Self::new_enrolment(
                            &old.person_id,
                            d,
                            old.intake_year,
                            (group, funding, ticket),
                            &hold.licence_id,
                            &head.effective_on,
                        );
                        store::enrolment_insert(&mut tx, &e, &hold.id, now).await?;
                        let o_in = Order {
                            kind: OrderKind::ProgrammeTransfer,
                            ..self.order(&head, &e, &p.actor(), format!("from enrolment={}", old.id))
                        };
                        store::order_insert(&mut tx, &o_in).await?;
                        self.changed(&mut tx, &e, &hold.id, &p.actor()).await?;
                        (o_in, e)
                    }
                    (kind, Some(old)) => {
                        let mut e = old.clone();
                        e.status = kind.next(Some(old.status)).expect("checked above");
                        e.version += 1;
                        e.since = head.effective_on.clone();
                        let mut detail_text = String::new();
                        if kind == OrderKind::GroupTransfer {
                            detail_text = format!("group {} -> {}", old.study_group, input.study_group.trim());
                            e.study_group = input.study_group.trim().to_owned();
                        }
                        let hold_id = hold.as_ref().map(|h| h.id.clone()).unwrap_or_default();
                        if !store::enrolment_update(&mut tx, &e, old.version, &hold_id, now).await? {
                            return Err(conflict("stale_enrolment", "the enrolment changed meanwhile: look again"));
                        }
                        let o = self.order(&head, &e, &p.actor(), detail_text);
                        store::order_insert(&mut tx, &o).await?;
                        self.changed(&mut tx, &e, &hold_id, &p.actor()).await?;
                        (o, e)
                    }
                    (_, None) => return Err(ApiError::internal()),
                };
                store::request_put(&mut tx, &request_id, inst, &json(&(&order, &enrolment)), now).await?;
                self.audit(&mut tx, ctx, &p.actor(), &format!("order.{}", order.kind), &enrolment.id, &json(&order))
                    .await?;
                tx.commit().await?;
                Ok::<_, ApiError>((order, enrolment))
            }
            .await;
            match result {
                Ok(r) => {
                    self.relay.wake();
                    Ok(r)
                }
                Err(e) => {
                    // A replayed request's hold is the first request's (catalogue answers the
                    // same request id with the same hold): it is not given back.
                    if let Some(h) = hold.as_ref().filter(|_| !replayed) {
                        self.give_back(ctx, h).await;
                    }
                    Err(e)
                }
            }
        }
        .await;
        match answer {
            // Refused, but the same request may have been given meanwhile by another
            // caller (two finishing one diploma issuance, say): then that is the answer.
            Err(e)
                if !request.is_empty()
                    && matches!(e.code, ErrorCode::FailedPrecondition | ErrorCode::AlreadyExists) =>
            {
                let mut tx = self.db.begin_write().await?;
                match store::request_get(&mut tx, &request).await? {
                    Some((owner, stored)) if owner == inst => {
                        serde_json::from_str(&stored).map_err(|_| ApiError::internal())
                    }
                    _ => Err(e),
                }
            }
            r => r,
        }
    }

    async fn intake_admit(&self, ctx: &CallCtx, input: AdmitIntake) -> ApiResult<AdmitReport> {
        let p = self.staff(ctx, &input.institution_id).await?;
        let inst = input.institution_id.as_str();
        if input.rows.is_empty() || input.rows.len() > MAX_ROSTER_ROWS {
            return Err(ApiError::invalid("rows", format!("a roster has from 1 to {MAX_ROSTER_ROWS} students"))
                .with_reason("roster_size"));
        }
        let order_input = OrderInput {
            kind: "admission".into(),
            number: input.number.clone(),
            signed_on: input.signed_on.clone(),
            effective_on: input.effective_on.clone(),
            signatory: input.signatory.clone(),
            ..Default::default()
        };
        let head = order_input.head()?;
        if !INTAKE_YEARS.contains(&input.intake_year) {
            return Err(
                ApiError::invalid("intake_year", "the intake year is from 1990 to 2100").with_reason("intake_range")
            );
        }
        let d = self.programme(inst, &input.programme_id).await?;
        let request_id = if input.request_id.trim().is_empty() { new_id() } else { input.request_id.trim().to_owned() };
        let mut report = AdmitReport { rows: input.rows.len() as u32, ..AdmitReport::default() };
        {
            let mut tx = self.db.begin_write().await?;
            if let Some((owner, result)) = store::request_get(&mut tx, &request_id).await? {
                if owner != inst {
                    return Err(ApiError::forbidden());
                }
                return serde_json::from_str(&result).map_err(|_| ApiError::internal());
            }
        }
        // Every row checked first, against the file and the database.
        let today = today();
        let problem = |row: u32, e: &ApiError| RowProblem {
            row,
            field: e.field.clone().unwrap_or_default(),
            reason: e.reason.clone().unwrap_or_default(),
            message: e.message.clone(),
        };
        let mut checked = Vec::with_capacity(input.rows.len());
        let (mut pins, mut tickets) = (HashMap::new(), HashMap::new());
        let mut tx = self.db.begin_write().await?;
        for (i, r) in input.rows.iter().enumerate() {
            let person_input = PersonInput {
                pin: r.pin.clone(),
                pin_exception: r.pin_exception.clone(),
                name: r.name.clone(),
                latin: PersonName::default(),
                birth_date: r.birth_date.clone(),
                sex: r.sex.clone(),
                citizenship: r.citizenship.clone(),
                institution_id: inst.to_owned(),
                confirm_distinct: false,
            };
            let placement = OrderInput {
                study_group: r.study_group.clone(),
                funding: r.funding.clone(),
                student_ticket: r.student_ticket.clone(),
                ..Default::default()
            }
            .placement();
            let validated = person_input.validate(today);
            let (Ok(v), Ok(pl)) = (&validated, &placement) else {
                for e in [validated.err(), placement.err()].into_iter().flatten() {
                    report.problems.push(problem(r.number(i), &e));
                }
                continue;
            };
            if let Some(pin) = &v.1
                && let Some(first) = pins.insert(pin.clone(), i)
            {
                report.problems.push(RowProblem {
                    row: r.number(i),
                    field: "pin".into(),
                    reason: "pin_repeated".into(),
                    message: format!("the same PIN as row {}", input.rows[first].number(first)),
                });
                continue;
            }
            if !pl.2.is_empty() {
                if let Some(first) = tickets.insert(pl.2.clone(), i) {
                    report.problems.push(RowProblem {
                        row: r.number(i),
                        field: "student_ticket".into(),
                        reason: "ticket_repeated".into(),
                        message: format!("the same ticket as row {}", input.rows[first].number(first)),
                    });
                    continue;
                }
                if store::ticket_taken(&mut tx, inst, &pl.2).await? {
                    report.problems.push(RowProblem {
                        row: r.number(i),
                        field: "student_ticket".into(),
                        reason: "ticket_taken".into(),
                        message: "this ticket is another student's".into(),
                    });
                    continue;
                }
            }
            let known = match &v.1 {
                Some(pin) => store::person_by_pin(&mut tx, pin).await?,
                None => None,
            };
            match &known {
                Some(k) if k.merged_into.is_some() => {
                    report.problems.push(RowProblem {
                        row: r.number(i),
                        field: "pin".into(),
                        reason: "person_merged".into(),
                        message: "this PIN's record was merged: fix it first".into(),
                    });
                    continue;
                }
                Some(k) => {
                    if store::current_in(&mut tx, &k.id, &d.programme.id).await? {
                        report.problems.push(RowProblem {
                            row: r.number(i),
                            field: "pin".into(),
                            reason: "already_enrolled".into(),
                            message: "already studies in this programme".into(),
                        });
                        continue;
                    }
                }
                None => {
                    let alike = store::persons_alike(&mut tx, &v.3, r.birth_date.trim()).await?;
                    if !alike.is_empty() {
                        report.problems.push(RowProblem {
                            row: r.number(i),
                            field: "name".into(),
                            reason: "possible_duplicate".into(),
                            message: format!(
                                "a person with these names and birth date is recorded ({}): record this row by hand",
                                alike[0].id
                            ),
                        });
                        continue;
                    }
                }
            }
            checked.push((i, v.clone(), pl.clone(), known));
        }
        drop(tx);
        if !report.problems.is_empty() {
            return Ok(report);
        }
        // Places for everyone at once, then everyone in one transaction.
        let hold = match self.hold_or_free(ctx, &d, checked.len() as i32, &request_id).await? {
            Ok(h) => h,
            Err((e, free)) => {
                report.problems.push(RowProblem {
                    row: 0,
                    field: "programme_id".into(),
                    reason: e.reason.clone().unwrap_or_default(),
                    message: e.message.clone(),
                });
                report.free_places = free;
                return Ok(report);
            }
        };
        let now = now_ms();
        // The same request may have been written meanwhile: looked up again in the write.
        let mut replayed: Option<AdmitReport> = None;
        let written = async {
            let mut tx = self.db.begin_write().await?;
            if let Some((owner, stored)) = store::request_get(&mut tx, &request_id).await? {
                replayed = Some(AdmitReport::default());
                if owner != inst {
                    return Err(ApiError::forbidden());
                }
                replayed = Some(serde_json::from_str(&stored).map_err(|_| ApiError::internal())?);
                return Ok(());
            }
            let mut seen = HashSet::new();
            for (i, v, pl, known) in &checked {
                let person_id = match known {
                    Some(k) => {
                        report.known_persons += 1;
                        k.id.clone()
                    }
                    None => {
                        let r = &input.rows[*i];
                        let person = Person {
                            id: new_id(),
                            pin: v.1.clone(),
                            pin_exception: r.pin_exception.trim().to_owned(),
                            name: v.3.clone(),
                            latin: PersonName::default(),
                            birth_date: r.birth_date.trim().to_owned(),
                            sex: v.2,
                            citizenship: v.0.clone(),
                            merged_into: None,
                            created_at_ms: now,
                            created_by: p.actor(),
                            version: 1,
                        };
                        store::person_insert(&mut tx, &person, inst).await?;
                        person.id
                    }
                };
                if !seen.insert(person_id.clone()) {
                    return Err(conflict("person_repeated", "the same person is twice in the roster"));
                }
                let e = Self::new_enrolment(
                    &person_id,
                    &d,
                    input.intake_year,
                    pl.clone(),
                    &hold.licence_id,
                    &head.effective_on,
                );
                store::enrolment_insert(&mut tx, &e, &hold.id, now).await?;
                let o = self.order(
                    &head,
                    &e,
                    &p.actor(),
                    format!("programme={} group={} funding={} roster", d.programme.id, e.study_group, e.funding),
                );
                store::order_insert(&mut tx, &o).await?;
                self.changed(&mut tx, &e, &hold.id, &p.actor()).await?;
                report.admitted += 1;
            }
            store::request_put(&mut tx, &request_id, inst, &json(&report), now).await?;
            self.audit(
                &mut tx,
                ctx,
                &p.actor(),
                "order.admission.roster",
                &d.programme.id,
                &format!(
                    "order={} admitted={} known={} intake={}",
                    head.number, report.admitted, report.known_persons, input.intake_year
                ),
            )
            .await?;
            tx.commit().await?;
            Ok::<_, ApiError>(())
        }
        .await;
        match (written, replayed) {
            // The first request's report; its hold is the same as this one's (catalogue
            // answers the same request id with the same hold), so it stays.
            (Ok(()), Some(first)) => Ok(first),
            (Ok(()), None) => {
                self.relay.wake();
                Ok(report)
            }
            (Err(e), Some(_)) => Err(e),
            (Err(e), None) => {
                self.give_back(ctx, &hold).await;
                Err(e)
            }
        }
    }

    async fn students(&self, ctx: &CallCtx, query: &StudentQuery) -> ApiResult<Page<StudentRow>> {
        let p = self.auth.require(ctx).await?;
        if !(Self::is_ministry(&p) || Self::staffs(&p, &query.institution_id)) {
            return Err(ApiError::forbidden());
        }
        if query.per_page > MAX_PER_PAGE || query.query.chars().count() > 100 {
            return Err(ApiError::invalid(
                "query",
                format!("at most {MAX_PER_PAGE} a page and 100 characters of search"),
            ));
        }
        let generation = crate::listcache::generation(&self.db, &query.institution_id).await?;
        let key = serde_json::to_string(query).unwrap_or_default();
        if let Some(p) = self.students_cache.get(&key, generation) {
            return Ok((*p).clone());
        }
        let (items, total) = store::students(&self.db, query).await?;
        let page = Page { items, total };
        self.students_cache.put(key, generation, Arc::new(page.clone()));
        Ok(page)
    }

    async fn teacher_create(&self, ctx: &CallCtx, institution_id: &str, input: TeacherInput) -> ApiResult<Teacher> {
        self.do_teacher_create(ctx, institution_id, input).await
    }
    async fn teachers(&self, ctx: &CallCtx, institution_id: &str) -> ApiResult<Vec<Teacher>> {
        self.do_teachers(ctx, institution_id).await
    }
    async fn account_link(
        &self,
        ctx: &CallCtx,
        institution_id: &str,
        person_id: &str,
        account_id: Option<&str>,
    ) -> ApiResult<()> {
        self.do_account_link(ctx, institution_id, person_id, account_id).await
    }
    async fn my_space(&self, ctx: &CallCtx) -> ApiResult<MySpace> {
        self.do_my_space(ctx).await
    }
    async fn assignment_create(&self, ctx: &CallCtx, input: AssignmentInput) -> ApiResult<Assignment> {
        self.do_assignment_create(ctx, input).await
    }
    async fn assignments(&self, ctx: &CallCtx, query: &AssignmentQuery) -> ApiResult<Vec<Assignment>> {
        self.do_assignments(ctx, query).await
    }
    async fn sheet_open(&self, ctx: &CallCtx, assignment_id: &str, kind: SheetKind, as_of: &str) -> ApiResult<Sheet> {
        self.do_sheet_open(ctx, assignment_id, kind, as_of).await
    }
    async fn sheet_get(&self, ctx: &CallCtx, id: &str) -> ApiResult<Sheet> {
        self.do_sheet_get(ctx, id).await
    }
    async fn sheets(&self, ctx: &CallCtx, query: &SheetQuery) -> ApiResult<Vec<SheetSummary>> {
        self.do_sheets(ctx, query).await
    }
    async fn sheet_save(&self, ctx: &CallCtx, id: &str, version: i64, entries: Vec<EntryInput>) -> ApiResult<Sheet> {
        self.do_sheet_save(ctx, id, version, entries).await
    }
    async fn sheet_submit(&self, ctx: &CallCtx, id: &str, version: i64) -> ApiResult<Sheet> {
        self.do_sheet_submit(ctx, id, version).await
    }
    async fn sheet_return(&self, ctx: &CallCtx, id: &str, version: i64, note: &str) -> ApiResult<Sheet> {
        self.do_sheet_return(ctx, id, version, note).await
    }
    async fn sheet_close(&self, ctx: &CallCtx, id: &str, version: i64, confirm_flags: bool) -> ApiResult<Sheet> {
        self.do_sheet_close(ctx, id, version, confirm_flags).await
    }
    async fn correction_request(&self, ctx: &CallCtx, input: CorrectionInput) -> ApiResult<Sheet> {
        self.do_correction_request(ctx, input).await
    }
    async fn correction_decide(&self, ctx: &CallCtx, id: &str, approve: bool, note: &str) -> ApiResult<Sheet> {
        self.do_correction_decide(ctx, id, approve, note).await
    }
    async fn transcript(&self, ctx: &CallCtx, enrolment_id: &str) -> ApiResult<Transcript> {
        self.do_transcript(ctx, enrolment_id).await
    }
    async fn term_grades(&self, ctx: &CallCtx, enrolment_id: &str, semester: i32) -> ApiResult<Vec<TranscriptLine>> {
        self.do_term_grades(ctx, enrolment_id, semester).await
    }
    async fn ranking(&self, ctx: &CallCtx, query: &RankQuery) -> ApiResult<Page<RankRow>> {
        self.do_ranking(ctx, query).await
    }
    async fn scale(&self, _ctx: &CallCtx, institution_id: &str) -> ApiResult<Scale> {
        self.do_scale(institution_id).await
    }
    async fn scale_set(&self, ctx: &CallCtx, institution_id: &str, scale: Scale) -> ApiResult<Scale> {
        self.do_scale_set(ctx, institution_id, scale).await
    }
    async fn log_check(&self, ctx: &CallCtx, institution_id: &str) -> ApiResult<LogCheck> {
        self.do_log_check(ctx, institution_id).await
    }
}

//! curriculum through its trait, on SQLite and (with EDU24_TEST_POSTGRES_URL)
//! PostgreSQL: standards, drafts, compliance, submission, approval, versions, the
//! downstream contract, events, re-checks and who may do what.

use std::sync::Arc;

use edu24_curriculum::domain::*;
use edu24_curriculum::{CurriculumApi, CurriculumService, events};
use edu24_proto::common::v1::{Envelope, LocalizedText};
use edu24_shared::auth::{Authenticator, CallCtx, Role};
use edu24_shared::bus::{Bus, Delivery, LocalBus};
use edu24_shared::error::ErrorCode;
use edu24_shared::inbox::{Consumer, Outcome};
use edu24_shared::outbox::OutboxRelay;
use edu24_shared::testing::{TestAuth, TestDb, backends, fresh_db};
use prost::Message;
use sqlx::Row;

const INST: &str = "11111111-0000-0000-0000-000000000001";
const OTHER: &str = "11111111-0000-0000-0000-000000000002";
const PROG: &str = "22222222-0000-0000-0000-000000000001";
const PROG_OTHER: &str = "22222222-0000-0000-0000-000000000002";
const SPEC: &str = "999900";

struct Fixture {
    svc: Arc<CurriculumService>,
    auth: TestAuth,
    bus: Arc<dyn Bus>,
    t: TestDb,
    _dir: tempfile::TempDir,
}

impl Fixture {
    fn registrar(&self, inst: &str) -> CallCtx {
        self.auth.ctx(&format!("registrar-{inst}"), &[(Role::Registrar, Some(inst))])
    }
    fn admin(&self, inst: &str) -> CallCtx {
        self.auth.ctx(&format!("admin-{inst}"), &[(Role::InstitutionAdmin, Some(inst))])
    }
    fn ministry(&self) -> CallCtx {
        self.auth.ctx("ministry", &[(Role::MinistryAdmin, None)])
    }
    fn analyst(&self) -> CallCtx {
        self.auth.ctx("analyst", &[(Role::MinistryAnalyst, None)])
    }
    fn consumer(&self) -> Consumer {
        Consumer::new(
            events::CONSUMER,
            events::CONSUMED,
            self.t.db.clone(),
            self.bus.clone(),
            Arc::new(events::CatalogueHandler),
        )
    }
    async fn count(&self, sql: &str) -> i64 {
        sqlx::query(sql).fetch_one(self.t.db.pool()).await.unwrap().get(0)
    }
}

fn envelope(subject: &str, payload: Vec<u8>) -> Envelope {
    Envelope {
        event_id: edu24_shared::time::new_id(),
        subject: subject.into(),
        occurred_at_ms: 0,
        actor: "test".into(),
        traceparent: String::new(),
        payload,
    }
}

fn lt(ky: &str, ru: &str, en: &str) -> Option<LocalizedText> {
    Some(LocalizedText { ky: ky.into(), ru: ru.into(), en: en.into() })
}

fn programme_event(id: &str, inst: &str, version: i64, language: &str) -> Envelope {
    use edu24_proto::catalogue::v1::ProgrammeChanged;
    envelope(
        events::PROGRAMME_CHANGED,
        ProgrammeChanged {
            programme_id: id.into(),
            institution_id: inst.into(),
            specialty_code: SPEC.into(),
            level: "bachelor".into(),
            form: "full_time".into(),
            language: language.into(),
            duration_months: 12,
            credits: 60,
            version,
            ..Default::default()
        }
        .encode_to_vec(),
    )
}

/// Catalogue's facts, arriving as catalogue's events do.
async fn catalogue_facts(f: &Fixture) {
    use edu24_proto::catalogue::v1::{InstitutionChanged, SpecialtyChanged};
    let c = f.consumer();
    for (id, code) in [(INST, "tu"), (OTHER, "ou")] {
        let e = envelope(
            events::INSTITUTION_CHANGED,
            InstitutionChanged {
                institution_id: id.into(),
                code: code.into(),
                name: lt("Сынак университети", "Тестовый университет", "Test University"),
                version: 1,
                ..Default::default()
            }
            .encode_to_vec(),
        );
        assert_eq!(c.process(Delivery::replay(e, 1)).await.unwrap(), Outcome::Applied);
    }
    let e = envelope(
        events::SPECIALTY_CHANGED,
        SpecialtyChanged {
            code: SPEC.into(),
            level: "bachelor".into(),
            name: lt("Сынак адистиги", "Тестовая специальность", "Test specialty"),
            version: 1,
            ..Default::default()
        }
        .encode_to_vec(),
    );
    c.process(Delivery::replay(e, 1)).await.unwrap();
    c.process(Delivery::replay(programme_event(PROG, INST, 1, "ky"), 1)).await.unwrap();
    c.process(Delivery::replay(programme_event(PROG_OTHER, OTHER, 1, "ru"), 1)).await.unwrap();
}

async fn fixture(backend: &str) -> Fixture {
    let t = fresh_db(backend).await.unwrap();
    CurriculumService::migrate(&t.db).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let bus: Arc<dyn Bus> =
        Arc::new(LocalBus::open(&edu24_shared::config::sqlite_url(dir.path(), "bus")).await.unwrap());
    let relay = OutboxRelay::new("curriculum", t.db.clone(), bus.clone());
    let auth = TestAuth::new();
    let svc = CurriculumService::open(t.db.clone(), Authenticator::new(auth.keys.clone()), relay).await.unwrap();
    let f = Fixture { svc, auth, bus, t, _dir: dir };
    catalogue_facts(&f).await;
    f
}

fn block(code: &str, kind: BlockKind, min: i32, max: i32) -> StandardBlock {
    StandardBlock {
        code: code.into(),
        kind,
        name: Localized::new(code, code, code),
        min_tenths: min * 10,
        max_tenths: max * 10,
    }
}

/// A two-semester standard of 60 credits, in force from 2021.
fn standard(valid_from: &str) -> Standard {
    Standard {
        id: String::new(),
        specialty_code: SPEC.into(),
        level: Level::Bachelor,
        valid_from: valid_from.into(),
        document_no: "ГОС-TEST".into(),
        title: Localized::new("Сынак", "Тест", "Test"),
        total_tenths: 600,
        hours_per_credit: 30,
        semesters: 2,
        weeks_per_semester: 20,
        max_weekly_hours: 45,
        state_component_percent: 10,
        blocks: vec![
            block("GE", BlockKind::General, 4, 20),
            block("PROF", BlockKind::Professional, 30, 50),
            block("FSA", BlockKind::FinalAttestation, 4, 8),
        ],
        courses: vec![StandardCourse {
            code: "GE-MANAS".into(),
            name: Localized::default(),
            block: "GE".into(),
            min_tenths: 20,
        }],
        version: 0,
        in_use: false,
        updated_at_ms: 0,
        updated_by: String::new(),
    }
}

fn line(sem: i32, code: &str, block: &str, credits: i32, assessment: &str, component: &str) -> LineInput {
    let hours = credits * 30;
    LineInput {
        semester: sem,
        code: code.into(),
        name: Localized::new(code, code, code),
        block: block.into(),
        credits_tenths: credits * 10,
        lectures: hours / 3,
        practicals: hours / 3,
        labs: 0,
        independent: hours - 2 * (hours / 3),
        assessment: assessment.into(),
        prerequisites: vec![],
        component: component.into(),
        choice_group: String::new(),
    }
}

/// A plan of 60 credits that keeps [`standard`].
fn good_plan() -> Vec<LineInput> {
    let mut civ = line(2, "T-CIV", "PROF", 14, "exam", "inst");
    civ.prerequisites = vec!["T-TSL".into()];
    vec![
        line(1, "GE-MANAS", "GE", 2, "exam", "state"),
        line(1, "T-HIST", "GE", 6, "exam", "state"),
        line(1, "T-TSL", "PROF", 12, "exam", "inst"),
        line(1, "T-CON", "PROF", 10, "coursework", "inst"),
        civ,
        line(2, "T-CRIM", "PROF", 10, "exam", "inst"),
        line(2, "T-FSA", "FSA", 6, "state_exam", "inst"),
    ]
}

async fn with_standard(f: &Fixture) -> Standard {
    f.svc.standard_upsert(&f.ministry(), standard("2021-09-01")).await.unwrap()
}

fn saved(o: SaveOutcome) -> CurriculumDetail {
    match o {
        SaveOutcome::Saved(d) => *d,
        SaveOutcome::Refused(e) => panic!("refused: {e:?}"),
    }
}

#[tokio::test]
async fn a_plan_is_drafted_checked_submitted_approved_and_never_changes_after() {
    for backend in backends() {
        let f = fixture(backend).await;
        let std1 = with_standard(&f).await;
        let reg = f.registrar(INST);
        let draft = f.svc.curriculum_create(&reg, PROG, 2026, None).await.unwrap();
        assert_eq!((draft.summary.status, draft.summary.version), (Status::Draft, 1));
        assert_eq!(
            draft.compliance.findings.iter().map(|x| x.rule.as_str()).collect::<Vec<_>>(),
            vec!["empty", "total_credits", "block_min", "block_min", "block_min", "mandatory_missing"],
            "{backend}"
        );
        assert_eq!(draft.summary.specialty_name.en, "Test specialty", "names come from catalogue's events");

        // A plan with a slip: one credit too many in semester 1.
        let mut plan = good_plan();
        plan[3] = line(1, "T-CON", "PROF", 11, "coursework", "inst");
        let d = saved(f.svc.curriculum_save(&reg, &draft.summary.id, draft.summary.revision, plan).await.unwrap());
        let rules: Vec<&str> = d.compliance.findings.iter().map(|x| x.rule.as_str()).collect();
        assert_eq!(rules, vec!["total_credits", "weekly_load"], "{backend}");
        assert_eq!(d.compliance.findings[1].args["weekly"], "46.5");
        assert_eq!(d.summary.errors, 2);
        assert_eq!(d.lines[0].name.ru, "Манасоведение", "national courses are named by the catalogue");
        let refused = f.svc.curriculum_submit(&reg, &d.summary.id).await.unwrap_err();
        assert_eq!(refused.reason.as_deref(), Some("not_compliant"), "{backend}");

        let d = saved(f.svc.curriculum_save(&reg, &d.summary.id, d.summary.revision, good_plan()).await.unwrap());
        assert_eq!((d.summary.errors, d.summary.warnings), (0, 0), "{:#?}", d.compliance.findings);
        let submitted = f.svc.curriculum_submit(&reg, &d.summary.id).await.unwrap();
        assert_eq!(submitted.summary.status, Status::Submitted);
        assert_eq!(submitted.summary.submitted_by, "registrar-".to_owned() + INST);
        // A submitted plan no longer changes; the registrar cannot approve it.
        let e = f.svc.curriculum_save(&reg, &d.summary.id, submitted.summary.revision, good_plan()).await.unwrap_err();
        assert_eq!(e.reason.as_deref(), Some("not_draft"));
        assert_eq!(
            f.svc.curriculum_decide(&reg, &d.summary.id, true, "").await.unwrap_err().code,
            ErrorCode::PermissionDenied
        );
        // Returning needs a note; the ministry returns it, the registrar resubmits.
        let e = f.svc.curriculum_decide(&f.ministry(), &d.summary.id, false, " ").await.unwrap_err();
        assert_eq!(e.reason.as_deref(), Some("note_required"));
        let back = f.svc.curriculum_decide(&f.ministry(), &d.summary.id, false, "Add the seminar hours").await.unwrap();
        assert_eq!(
            (back.summary.status, back.summary.decision_note.as_str()),
            (Status::Draft, "Add the seminar hours")
        );
        f.svc.curriculum_submit(&reg, &d.summary.id).await.unwrap();
        let approved = f.svc.curriculum_decide(&f.ministry(), &d.summary.id, true, "").await.unwrap();
        assert_eq!(approved.summary.status, Status::Approved);
        assert_eq!(approved.summary.content_sha256, content_sha256(&approved.lines));
        assert_eq!(approved.standard.as_ref().unwrap().id, std1.id);

        // The contract: what programme P requires of intake 2026.
        let req = f.svc.requirements(&CallCtx::anonymous(), PROG, 2026, None).await.unwrap();
        assert_eq!((req.curriculum_id.as_str(), req.version, req.total_tenths), (d.summary.id.as_str(), 1, 600));
        assert_eq!(req.lines.len(), 7);
        assert!(
            req.lines
                .iter()
                .find(|l| l.line.code == "T-FSA")
                .is_some_and(|l| l.block_kind == BlockKind::FinalAttestation)
        );
        assert!(req.lines.iter().find(|l| l.line.code == "GE-MANAS").is_some_and(|l| l.mandatory));
        assert_eq!(req.content_sha256, approved.summary.content_sha256);
        let none = f.svc.requirements(&CallCtx::anonymous(), PROG, 2025, None).await.unwrap_err();
        assert_eq!(none.reason.as_deref(), Some("no_approved_curriculum"));

        // The approved event carries the whole plan.
        let approved_events = sqlx::query("SELECT envelope FROM outbox WHERE subject = $1")
            .bind(events::CURRICULUM_APPROVED)
            .fetch_all(f.t.db.pool())
            .await
            .unwrap();
        assert_eq!(approved_events.len(), 1);
        let env = Envelope::decode(approved_events[0].get::<Vec<u8>, _>(0).as_slice()).unwrap();
        let payload = edu24_proto::curriculum::v1::CurriculumApproved::decode(env.payload.as_slice()).unwrap();
        let from_event = edu24_curriculum::grpc::requirements_from(payload.requirements.unwrap()).unwrap();
        assert_eq!(from_event, req, "{backend}: the event and the call say the same");

        // The database itself refuses to change an approved plan.
        for sql in [
            "UPDATE curriculum_line SET credits_tenths = 555 WHERE line_no = 1",
            "DELETE FROM curriculum_line",
            "UPDATE curriculum SET content_sha256 = 'forged'",
            "UPDATE curriculum SET status = 'draft'",
            "DELETE FROM curriculum",
        ] {
            assert!(sqlx::query(sql).execute(f.t.db.pool()).await.is_err(), "{backend}: {sql} must be refused");
        }
        assert_eq!(f.count("SELECT COUNT(*) FROM curriculum_line WHERE credits_tenths = 555").await, 0);

        // A change is a new version; the approved one stays in force until it is approved.
        let v2 = f.svc.curriculum_new_version(&reg, &d.summary.id).await.unwrap();
        assert_eq!((v2.summary.version, v2.summary.status, v2.lines.len()), (2, Status::Draft, 7));
        let again = f.svc.curriculum_new_version(&reg, &d.summary.id).await.unwrap_err();
        assert_eq!(again.reason.as_deref(), Some("open_version_exists"));
        let mut plan = good_plan();
        plan[2].lectures -= 10;
        plan[2].labs += 10;
        let v2 = saved(f.svc.curriculum_save(&reg, &v2.summary.id, v2.summary.revision, plan).await.unwrap());
        assert_eq!(f.svc.requirements(&CallCtx::anonymous(), PROG, 2026, None).await.unwrap().version, 1);
        f.svc.curriculum_submit(&reg, &v2.summary.id).await.unwrap();
        f.svc.curriculum_decide(&f.ministry(), &v2.summary.id, true, "").await.unwrap();
        let now = f.svc.requirements(&CallCtx::anonymous(), PROG, 2026, None).await.unwrap();
        assert_eq!(now.version, 2);
        let old = f.svc.requirements(&CallCtx::anonymous(), "", 0, Some(&d.summary.id)).await.unwrap();
        assert_eq!((old.status, old.superseded_by.as_deref()), (Status::Superseded, Some(v2.summary.id.as_str())));
        assert_eq!(old.content_sha256, req.content_sha256, "a superseded plan is kept as it was");
        assert_eq!(
            f.count("SELECT COUNT(*) FROM outbox WHERE subject = 'edu24.curriculum.curriculum.approved.v1'").await,
            2
        );

        // Every change left an audit record, and the chain is intact.
        let actions: Vec<String> =
            sqlx::query_scalar("SELECT action FROM audit_log ORDER BY seq").fetch_all(f.t.db.pool()).await.unwrap();
        for a in [
            "standard.changed",
            "curriculum.created",
            "curriculum.saved",
            "curriculum.submitted",
            "curriculum.returned",
            "curriculum.approved",
            "curriculum.new_version",
        ] {
            assert!(actions.iter().any(|x| x == a), "{backend}: no {a} in {actions:?}");
        }
        assert!(edu24_shared::audit::audit_verify(&f.t.db).await.unwrap().is_ok());
        f.t.cleanup().await;
    }
}

#[tokio::test]
async fn a_stale_or_malformed_save_changes_nothing() {
    for backend in backends() {
        let f = fixture(backend).await;
        with_standard(&f).await;
        let reg = f.registrar(INST);
        let d = f.svc.curriculum_create(&reg, PROG, 2026, None).await.unwrap();
        let d = saved(f.svc.curriculum_save(&reg, &d.summary.id, d.summary.revision, good_plan()).await.unwrap());
        // Someone else saved meanwhile: the old revision is refused.
        let e = f.svc.curriculum_save(&reg, &d.summary.id, d.summary.revision - 1, vec![]).await.unwrap_err();
        assert_eq!(e.reason.as_deref(), Some("stale_revision"), "{backend}");
        // One bad row of many: nothing is written, and the row is reported.
        let mut plan = good_plan();
        plan[4].assessment = "oral".into();
        plan[5].credits_tenths = -5;
        let refused = match f.svc.curriculum_save(&reg, &d.summary.id, d.summary.revision, plan).await.unwrap() {
            SaveOutcome::Refused(e) => e,
            SaveOutcome::Saved(_) => panic!("a malformed plan was saved"),
        };
        assert_eq!(
            refused.iter().map(|e| (e.row, e.reason.as_str())).collect::<Vec<_>>(),
            vec![(5, "assessment_unknown"), (6, "credits_range")]
        );
        let after = f.svc.curriculum_get(&reg, &d.summary.id).await.unwrap();
        assert_eq!((after.summary.revision, after.lines.len()), (d.summary.revision, 7), "{backend}");
        f.t.cleanup().await;
    }
}

#[tokio::test]
async fn who_may_do_what_and_a_refusal_changes_nothing() {
    for backend in backends() {
        let f = fixture(backend).await;
        with_standard(&f).await;
        let own = f.svc.curriculum_create(&f.registrar(INST), PROG, 2026, None).await.unwrap();
        let own = saved(
            f.svc
                .curriculum_save(&f.registrar(INST), &own.summary.id, own.summary.revision, good_plan())
                .await
                .unwrap(),
        );
        let id = own.summary.id.clone();
        let before = (f.count("SELECT COUNT(*) FROM audit_log").await, f.count("SELECT COUNT(*) FROM outbox").await);
        let callers: Vec<(&str, CallCtx)> = vec![
            ("anonymous", CallCtx::anonymous()),
            ("student", f.auth.ctx("s", &[(Role::Student, Some(INST))])),
            ("teacher", f.auth.ctx("t", &[(Role::Teacher, Some(INST))])),
            ("other registrar", f.registrar(OTHER)),
            ("other admin", f.admin(OTHER)),
            ("analyst", f.analyst()),
            ("employer", f.auth.ctx("e", &[(Role::Employer, None)])),
        ];
        for (who, c) in &callers {
            // Another institution's draft answers as a missing one, or is refused.
            let seen = f.svc.curriculum_get(c, &id).await;
            if *who == "analyst" {
                assert!(seen.is_ok(), "the ministry's analyst sees drafts");
            } else {
                assert_eq!(seen.unwrap_err().code, ErrorCode::NotFound, "{backend}: {who} sees a draft");
            }
            let save = f.svc.curriculum_save(c, &id, own.summary.revision, vec![]).await.unwrap_err();
            assert!(
                matches!(save.code, ErrorCode::NotFound | ErrorCode::PermissionDenied | ErrorCode::Unauthenticated),
                "{who}: {save:?}"
            );
            assert!(f.svc.curriculum_submit(c, &id).await.is_err(), "{who} submits");
            assert!(f.svc.curriculum_discard(c, &id).await.is_err(), "{who} discards");
            assert!(f.svc.curriculum_create(c, PROG, 2027, None).await.is_err(), "{who} creates");
            assert!(f.svc.standard_upsert(c, standard("2024-09-01")).await.is_err(), "{who} records a standard");
            assert!(f.svc.recheck_all(c).await.is_err(), "{who} re-checks");
            assert!(f.svc.delegation_set(c, INST, true, "").await.is_err(), "{who} delegates");
            let nc = NationalCourse {
                code: "GE-NEW".into(),
                name: Localized::new("a", "b", "c"),
                recommended_tenths: Some(20),
                mandatory: false,
                note: String::new(),
                version: 0,
            };
            assert!(f.svc.national_course_upsert(c, nc).await.is_err(), "{who} changes the national catalogue");
            if *who != "analyst" {
                assert!(
                    f.svc.compliance_overview(c, &OverviewQuery::default()).await.is_err(),
                    "{who} sees the national overview"
                );
            }
        }
        // The institution's admin edits; without delegation it does not approve.
        f.svc.curriculum_submit(&f.admin(INST), &id).await.unwrap();
        for (who, c) in [
            ("own registrar", f.registrar(INST)),
            ("own admin without delegation", f.admin(INST)),
            ("analyst", f.analyst()),
            ("other admin", f.admin(OTHER)),
        ] {
            let e = f.svc.curriculum_decide(&c, &id, true, "").await.unwrap_err();
            assert!(matches!(e.code, ErrorCode::PermissionDenied | ErrorCode::NotFound), "{who}: {e:?}");
        }
        let after = (f.count("SELECT COUNT(*) FROM audit_log").await, f.count("SELECT COUNT(*) FROM outbox").await);
        assert_eq!(after.0, before.0 + 1, "{backend}: only the submission was recorded");
        assert_eq!(after.1, before.1 + 1);
        // With delegation the admin approves, but never what they submitted themselves.
        f.svc.delegation_set(&f.ministry(), INST, true, "special status").await.unwrap();
        let e = f.svc.curriculum_decide(&f.admin(INST), &id, true, "").await.unwrap_err();
        assert_eq!(e.reason.as_deref(), Some("four_eyes"), "{backend}");
        let deputy = f.auth.ctx("deputy-admin", &[(Role::InstitutionAdmin, Some(INST))]);
        let d = f.svc.curriculum_decide(&deputy, &id, true, "").await.unwrap();
        assert_eq!((d.summary.status, d.summary.decided_by.as_str()), (Status::Approved, "deputy-admin"));
        // Approved plans are public.
        assert!(f.svc.curriculum_get(&CallCtx::anonymous(), &id).await.is_ok());
        let public = f
            .svc
            .curricula(&CallCtx::anonymous(), &CurriculumQuery { page: 1, per_page: 50, ..Default::default() })
            .await
            .unwrap();
        assert_eq!(public.total, 1);
        assert_eq!(f.svc.delegations(&f.admin(INST)).await.unwrap().len(), 1);
        assert_eq!(f.svc.delegations(&f.admin(OTHER)).await.unwrap().len(), 0);
        f.t.cleanup().await;
    }
}

#[tokio::test]
async fn a_standard_in_use_never_changes_and_a_new_one_rechecks_the_plans() {
    for backend in backends() {
        let f = fixture(backend).await;
        let std1 = with_standard(&f).await;
        let reg = f.registrar(INST);
        for (prog, r) in [(PROG, f.registrar(INST)), (PROG_OTHER, f.registrar(OTHER))] {
            let d = f.svc.curriculum_create(&r, prog, 2026, None).await.unwrap();
            saved(f.svc.curriculum_save(&r, &d.summary.id, d.summary.revision, good_plan()).await.unwrap());
        }
        let list =
            f.svc.curricula(&reg, &CurriculumQuery { page: 1, per_page: 10, ..Default::default() }).await.unwrap();
        assert_eq!(list.total, 1, "{backend}: a registrar lists its own drafts, not another's");
        let mine = &list.items[0];
        f.svc.curriculum_submit(&reg, &mine.id).await.unwrap();
        f.svc.curriculum_decide(&f.ministry(), &mine.id, true, "").await.unwrap();
        // The standard an approved plan was held to is frozen.
        let mut changed = std1.clone();
        changed.state_component_percent = 50;
        let e = f.svc.standard_upsert(&f.ministry(), changed).await.unwrap_err();
        assert_eq!(e.reason.as_deref(), Some("standard_in_use"), "{backend}");
        assert!(f.svc.standard_get(&CallCtx::anonymous(), &std1.id).await.unwrap().in_use);
        // A new standard from 2025 asks for 12 credits of general education: both plans
        // of intake 2026 are re-checked against it; the approved one stays approved.
        let mut s2 = standard("2025-09-01");
        s2.blocks[0].min_tenths = 120;
        let s2 = f.svc.standard_upsert(&f.ministry(), s2).await.unwrap();
        let approved = f.svc.curriculum_get(&reg, &mine.id).await.unwrap();
        assert_eq!(approved.summary.status, Status::Approved);
        assert_eq!(approved.compliance.standard_id.as_deref(), Some(s2.id.as_str()));
        assert_eq!(approved.compliance.findings.iter().map(|x| x.rule.as_str()).collect::<Vec<_>>(), vec!["block_min"]);
        assert_eq!(approved.standard.unwrap().id, std1.id, "still shown with the standard it was approved under");
        let overview = f
            .svc
            .compliance_overview(&f.analyst(), &OverviewQuery { intake_year: Some(2026), ..Default::default() })
            .await
            .unwrap();
        assert_eq!(
            (overview.curricula, overview.approved, overview.drafts, overview.with_errors),
            (2, 1, 1, 2),
            "{backend}"
        );
        assert_eq!(overview.rules, vec![("block_min".to_owned(), 2)]);
        assert_eq!((overview.programmes, overview.programmes_without_approved), (2, 1));
        // A national re-check finds nothing new to store.
        let r = f.svc.recheck_all(&f.ministry()).await.unwrap();
        assert_eq!((r.curricula, r.changed, r.with_errors), (2, 0, 2), "{backend}");
        assert!(
            f.svc
                .compliance_overview(&f.ministry(), &OverviewQuery::default())
                .await
                .unwrap()
                .last_recheck_ms
                .is_some()
        );
        // Submission is now refused for the other draft.
        let other = f
            .svc
            .curricula(
                &f.registrar(OTHER),
                &CurriculumQuery { institution_id: Some(OTHER.into()), page: 1, per_page: 10, ..Default::default() },
            )
            .await
            .unwrap();
        let e = f.svc.curriculum_submit(&f.registrar(OTHER), &other.items[0].id).await.unwrap_err();
        assert_eq!(e.reason.as_deref(), Some("not_compliant"));
        // The comparison shows the approved plan by block.
        let cmp = f.svc.compare_specialty(&CallCtx::anonymous(), SPEC, Level::Bachelor, 2026).await.unwrap();
        assert_eq!(cmp.curricula.len(), 1);
        assert_eq!(cmp.standard_id.as_deref(), Some(s2.id.as_str()));
        let prof = cmp.curricula[0].blocks.iter().find(|b| b.block == "PROF").unwrap();
        assert_eq!((prof.credits_tenths, prof.hours), (460, 1380));
        f.t.cleanup().await;
    }
}

#[tokio::test]
async fn catalogue_events_apply_once_and_only_when_newer() {
    for backend in backends() {
        let f = fixture(backend).await;
        with_standard(&f).await;
        let c = f.consumer();
        let e = programme_event(PROG, INST, 5, "en");
        assert_eq!(c.process(Delivery::replay(e.clone(), 1)).await.unwrap(), Outcome::Applied);
        assert_eq!(c.process(Delivery::replay(e, 2)).await.unwrap(), Outcome::Duplicate);
        c.process(Delivery::replay(programme_event(PROG, INST, 3, "ru"), 1)).await.unwrap();
        let lang: String = sqlx::query_scalar("SELECT language FROM programme_ref WHERE id = $1")
            .bind(PROG)
            .fetch_one(f.t.db.pool())
            .await
            .unwrap();
        assert_eq!(lang, "en", "{backend}: an older state arriving late changes nothing");
        let mut bad = programme_event(PROG, INST, 9, "ky");
        bad.payload = vec![0xff, 0xff, 0xff];
        assert_eq!(c.process(Delivery::replay(bad, 1)).await.unwrap(), Outcome::DeadLettered);
        // An unknown programme cannot get a curriculum.
        let e = f.svc.curriculum_create(&f.registrar(INST), "no-such-programme", 2026, None).await.unwrap_err();
        assert_eq!(e.reason.as_deref(), Some("programme_unknown"));
        f.t.cleanup().await;
    }
}

#[tokio::test]
async fn racing_saves_take_turns_and_the_database_keeps_its_guards() {
    for backend in backends() {
        let f = fixture(backend).await;
        with_standard(&f).await;
        let reg = f.registrar(INST);
        let d = f.svc.curriculum_create(&reg, PROG, 2026, None).await.unwrap();
        // Two editors save from the same revision at once: one wins, the other is told.
        let admin = f.admin(INST);
        let (a, b) = tokio::join!(
            f.svc.curriculum_save(&reg, &d.summary.id, d.summary.revision, good_plan()),
            f.svc.curriculum_save(&admin, &d.summary.id, d.summary.revision, good_plan()),
        );
        let outcomes = [&a, &b];
        let saved_n = outcomes.iter().filter(|o| matches!(o, Ok(SaveOutcome::Saved(_)))).count();
        let stale =
            outcomes.iter().filter(|o| matches!(o, Err(e) if e.reason.as_deref() == Some("stale_revision"))).count();
        assert_eq!((saved_n, stale), (1, 1), "{backend}: {a:?} / {b:?}");
        assert_eq!(f.count("SELECT COUNT(*) FROM curriculum_line").await, 7);
        // Two drafts of one programme and intake started at once: one is refused clearly.
        let (other_reg, other_admin) = (f.registrar(OTHER), f.admin(OTHER));
        let (x, y) = tokio::join!(
            f.svc.curriculum_create(&other_reg, PROG_OTHER, 2027, None),
            f.svc.curriculum_create(&other_admin, PROG_OTHER, 2027, None),
        );
        assert_eq!([&x, &y].iter().filter(|r| r.is_ok()).count(), 1, "{backend}");
        let refused = match (x, y) {
            (Err(e), _) | (_, Err(e)) => e,
            _ => unreachable!("one was refused"),
        };
        assert_eq!(refused.reason.as_deref(), Some("open_version_exists"), "{backend}: {refused:?}");

        // The person who wrote the lines does not approve them, even when another submits.
        f.svc.delegation_set(&f.ministry(), INST, true, "").await.unwrap();
        let writer = f.admin(INST);
        let current = f.svc.curriculum_get(&writer, &d.summary.id).await.unwrap();
        saved(f.svc.curriculum_save(&writer, &d.summary.id, current.summary.revision, good_plan()).await.unwrap());
        f.svc.curriculum_submit(&reg, &d.summary.id).await.unwrap();
        let e = f.svc.curriculum_decide(&writer, &d.summary.id, true, "").await.unwrap_err();
        assert_eq!(e.reason.as_deref(), Some("four_eyes"), "{backend}");
        f.svc.curriculum_decide(&f.ministry(), &d.summary.id, true, "").await.unwrap();

        // Lines cannot be moved into or out of an approved plan; nor the plan to another university.
        let other = f.svc.curriculum_create(&reg, PROG, 2027, None).await.unwrap();
        saved(f.svc.curriculum_save(&reg, &other.summary.id, other.summary.revision, good_plan()).await.unwrap());
        for sql in [
            format!(
                "UPDATE curriculum_line SET curriculum_id = '{}' WHERE curriculum_id = '{}'",
                d.summary.id, other.summary.id
            ),
            format!(
                "UPDATE curriculum_line SET curriculum_id = '{}' WHERE curriculum_id = '{}'",
                other.summary.id, d.summary.id
            ),
            format!("UPDATE curriculum SET institution_id = '{OTHER}' WHERE id = '{}'", d.summary.id),
            format!("UPDATE curriculum SET approved_standard_id = NULL WHERE id = '{}'", d.summary.id),
        ] {
            assert!(sqlx::query(&sql).execute(f.t.db.pool()).await.is_err(), "{backend}: {sql} must be refused");
        }
        assert_eq!(
            f.count(&format!("SELECT COUNT(*) FROM curriculum_line WHERE curriculum_id = '{}'", d.summary.id)).await,
            7
        );

        // A version asked for by id answers only for its own programme.
        let e = f.svc.requirements(&CallCtx::anonymous(), PROG_OTHER, 2026, Some(&d.summary.id)).await.unwrap_err();
        assert_eq!(e.reason.as_deref(), Some("no_approved_curriculum"));
        assert!(f.svc.requirements(&CallCtx::anonymous(), PROG, 2026, Some(&d.summary.id)).await.is_ok());
        f.t.cleanup().await;
    }
}

#[tokio::test]
async fn an_owed_recheck_survives_a_kill_and_one_time_passwords_see_no_drafts() {
    for backend in backends() {
        let f = fixture(backend).await;
        let std1 = with_standard(&f).await;
        let reg = f.registrar(INST);
        let d = f.svc.curriculum_create(&reg, PROG, 2026, None).await.unwrap();
        saved(f.svc.curriculum_save(&reg, &d.summary.id, d.summary.revision, good_plan()).await.unwrap());
        assert_eq!(f.count("SELECT COUNT(*) FROM recheck_pending").await, 0, "done after the change");
        // As if the process was killed right after committing a stricter standard: the
        // standard is there, its re-check is owed, the plan still shows the old result.
        sqlx::query("UPDATE standard_block SET min_tenths = 150 WHERE standard_id = $1 AND code = 'GE'")
            .bind(&std1.id)
            .execute(f.t.db.pool())
            .await
            .unwrap();
        sqlx::query("INSERT INTO recheck_pending (id, specialty_code, level, course_code, created_at) VALUES ('owed', $1, 'bachelor', '', 0)")
            .bind(SPEC)
            .execute(f.t.db.pool())
            .await
            .unwrap();
        f.svc.refresh().await.unwrap();
        assert_eq!(f.svc.curriculum_get(&reg, &d.summary.id).await.unwrap().summary.errors, 0);
        // The restarted service does what is owed.
        assert_eq!(f.svc.drain_pending().await.unwrap(), 1);
        let after = f.svc.curriculum_get(&reg, &d.summary.id).await.unwrap();
        assert_eq!(
            after.compliance.findings.iter().map(|x| x.rule.as_str()).collect::<Vec<_>>(),
            vec!["block_min"],
            "{backend}"
        );
        assert_eq!(f.count("SELECT COUNT(*) FROM recheck_pending").await, 0);
        // A registrar who has not yet changed a one-time password sees no draft.
        let now = edu24_shared::time::now_ms() / 1000;
        let claims = edu24_shared::token::Claims {
            iss: edu24_shared::token::ISSUER.into(),
            sub: "fresh-registrar".into(),
            sid: "s".into(),
            login: "fresh".into(),
            name: "fresh".into(),
            roles: vec![edu24_shared::auth::RoleGrant { role: Role::Registrar, inst: Some(INST.into()) }],
            mc: true,
            tf: false,
            iat: now,
            exp: now + 300,
        };
        let fresh = f.auth.sign(&claims);
        assert_eq!(f.svc.curriculum_get(&fresh, &d.summary.id).await.unwrap_err().code, ErrorCode::NotFound);
        let list =
            f.svc.curricula(&fresh, &CurriculumQuery { page: 1, per_page: 10, ..Default::default() }).await.unwrap();
        assert_eq!(list.total, 0, "{backend}");
        let e = f.svc.curriculum_save(&fresh, &d.summary.id, after.summary.revision, good_plan()).await.unwrap_err();
        assert_eq!(e.reason.as_deref(), Some("password_change_required"));
        f.t.cleanup().await;
    }
}

//! Licensing: real-time licence control (holds, enrolment events), the dashboard, the
//! versioned classifier, and what institutions may keep themselves. On SQLite and (with
//! EDU24_TEST_POSTGRES_URL) PostgreSQL.

use std::sync::Arc;

use edu24_catalogue::domain::*;
use edu24_catalogue::{CatalogueApi, CatalogueService, seed};
use edu24_proto::common::v1::Envelope;
use edu24_proto::records::v1::EnrolmentChanged;
use edu24_shared::auth::{Authenticator, CallCtx, Role};
use edu24_shared::bus::{Bus, Delivery, LocalBus};
use edu24_shared::error::ErrorCode;
use edu24_shared::inbox::{Consumer, Outcome};
use edu24_shared::outbox::OutboxRelay;
use edu24_shared::testing::{TestAuth, TestDb, backends, fresh_db};
use prost::Message;
use sqlx::Row;

struct Fixture {
    svc: Arc<CatalogueService>,
    auth: TestAuth,
    bus: Arc<dyn Bus>,
    t: TestDb,
    _dir: tempfile::TempDir,
}

async fn fixture(backend: &str) -> Fixture {
    let t = fresh_db(backend).await.unwrap();
    CatalogueService::migrate(&t.db).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let bus: Arc<dyn Bus> =
        Arc::new(LocalBus::open(&edu24_shared::config::sqlite_url(dir.path(), "bus")).await.unwrap());
    let relay = OutboxRelay::new("catalogue", t.db.clone(), bus.clone());
    let auth = TestAuth::new();
    let svc = CatalogueService::open(t.db.clone(), Authenticator::new(auth.keys.clone()), relay).await.unwrap();
    assert!(seed::demo_seed(&svc).await.unwrap());
    Fixture { svc, auth, bus, t, _dir: dir }
}

impl Fixture {
    fn minister(&self) -> CallCtx {
        self.auth.ctx("minister", &[(Role::MinistryAdmin, None)])
    }
    fn registrar(&self, code: &str) -> CallCtx {
        let id = seed::institution_id(code);
        self.auth.ctx(&format!("registrar-{code}"), &[(Role::Registrar, Some(&id))])
    }
    fn institution_admin(&self, code: &str) -> CallCtx {
        let id = seed::institution_id(code);
        self.auth.ctx(&format!("admin-{code}"), &[(Role::InstitutionAdmin, Some(&id))])
    }
    fn consumer(&self) -> Consumer {
        Consumer::new(
            edu24_catalogue::events::CONSUMER,
            &[edu24_catalogue::events::ENROLMENT_CHANGED],
            self.t.db.clone(),
            self.bus.clone(),
            Arc::new(edu24_catalogue::events::EnrolmentHandler),
        )
    }
    async fn counters(&self, licence_id: &str) -> (i64, i64, i64) {
        let r = sqlx::query("SELECT contingent, enrolled, held FROM licence WHERE id = $1")
            .bind(licence_id)
            .fetch_one(self.t.db.pool())
            .await
            .unwrap();
        (r.get(0), r.get(1), r.get(2))
    }
    /// Grants a fresh licence of `contingent` places to KNU for 710100 bachelor part-time.
    async fn licence(&self, contingent: i32, document_no: &str) -> Licence {
        self.svc
            .licence_upsert(
                &self.minister(),
                LicenceInput {
                    id: None,
                    institution_code: "knu".into(),
                    specialty_code: "710100".into(),
                    level: Level::Bachelor,
                    form: StudyForm::Evening,
                    contingent,
                    valid_from: "2020-01-01".into(),
                    valid_to: None,
                    document_no: document_no.into(),
                    status: LicenceStatus::Active,
                    reason: String::new(),
                },
            )
            .await
            .unwrap()
    }
}

fn enrolment(id: &str, licence: &Licence, status: &str, version: i64, hold: &str) -> Envelope {
    let e = EnrolmentChanged {
        enrolment_id: id.into(),
        student_id: format!("student-{id}"),
        institution_id: licence.institution_id.clone(),
        programme_id: String::new(),
        licence_id: String::new(),
        specialty_code: licence.specialty_code.clone(),
        level: licence.level.as_str().into(),
        form: licence.form.as_str().into(),
        funding: "contract".into(),
        status: status.into(),
        hold_id: hold.into(),
        effective_on: "2026-09-01".into(),
        version,
    };
    Envelope {
        event_id: edu24_shared::time::new_id(),
        subject: edu24_catalogue::events::ENROLMENT_CHANGED.into(),
        occurred_at_ms: 0,
        actor: "system:records".into(),
        traceparent: String::new(),
        payload: e.encode_to_vec(),
    }
}

fn ask(licence: &Licence, seats: i32, request: &str) -> HoldRequest {
    HoldRequest { licence_id: licence.id.clone(), seats, request_id: request.into() }
}

#[tokio::test]
async fn enrolment_events_keep_the_counters_exactly_once_and_in_order() {
    for backend in backends() {
        let f = fixture(backend).await;
        let l = f.licence(10, "ЛД-T-1").await;
        let c = f.consumer();
        let first = enrolment("e1", &l, "active", 1, "");
        assert_eq!(c.process(Delivery::replay(first.clone(), 1)).await.unwrap(), Outcome::Applied);
        // The same event again (a redelivery) changes nothing.
        assert_eq!(c.process(Delivery::replay(first, 2)).await.unwrap(), Outcome::Duplicate);
        c.process(Delivery::replay(enrolment("e2", &l, "active", 1, ""), 1)).await.unwrap();
        assert_eq!(f.counters(&l.id).await, (10, 2, 0), "{backend}");
        // Academic leave keeps the place; expulsion frees it; an older state arriving late is ignored.
        c.process(Delivery::replay(enrolment("e1", &l, "academic_leave", 2, ""), 1)).await.unwrap();
        assert_eq!(f.counters(&l.id).await.1, 2);
        c.process(Delivery::replay(enrolment("e1", &l, "expelled", 4, ""), 1)).await.unwrap();
        c.process(Delivery::replay(enrolment("e1", &l, "active", 3, ""), 1)).await.unwrap();
        assert_eq!(f.counters(&l.id).await, (10, 1, 0), "{backend}: late older state ignored");
        // An event that can never apply is dead-lettered, not retried for ever.
        let mut bad = enrolment("e3", &l, "dancing", 1, "");
        bad.event_id = edu24_shared::time::new_id();
        assert_eq!(c.process(Delivery::replay(bad, 1)).await.unwrap(), Outcome::DeadLettered);
        f.t.cleanup().await;
    }
}

#[tokio::test]
async fn two_registrars_racing_for_the_last_place_cannot_both_win() {
    for backend in backends() {
        let f = fixture(backend).await;
        let l = f.licence(30, "ЛД-T-2").await;
        let c = f.consumer();
        for i in 0..29 {
            c.process(Delivery::replay(enrolment(&format!("r{i}"), &l, "active", 1, ""), 1)).await.unwrap();
        }
        assert_eq!(f.counters(&l.id).await, (30, 29, 0));
        // A second replica of catalogue on the same database races the first.
        let other = CatalogueService::open(
            f.t.db.clone(),
            Authenticator::new(f.auth.keys.clone()),
            OutboxRelay::new("catalogue", f.t.db.clone(), f.bus.clone()),
        )
        .await
        .unwrap();
        let mut tasks = Vec::new();
        for i in 0..24 {
            let svc = if i % 2 == 0 { f.svc.clone() } else { other.clone() };
            let ctx = f.registrar("knu");
            let req = ask(&l, 1, &format!("race-{i}"));
            tasks.push(tokio::spawn(async move { svc.licence_hold(&ctx, req).await.unwrap() }));
        }
        let mut answers = Vec::new();
        for t in tasks {
            answers.push(t.await.unwrap());
        }
        let granted: Vec<&HoldAnswer> = answers.iter().filter(|a| a.verdict == HoldVerdict::Granted).collect();
        assert_eq!(granted.len(), 1, "{backend}: exactly one registrar gets the last place");
        assert!(answers.iter().all(|a| a.verdict != HoldVerdict::NotInForce));
        assert_eq!(granted[0].free, 0);
        assert_eq!(f.counters(&l.id).await, (30, 29, 1), "{backend}");
        // Asking again with the same request id gives the same answer, not a second place.
        let winner = answers.iter().position(|a| a.verdict == HoldVerdict::Granted).unwrap();
        let again = f.svc.licence_hold(&f.registrar("knu"), ask(&l, 1, &format!("race-{winner}"))).await.unwrap();
        assert_eq!(again.hold_id, granted[0].hold_id);
        assert_eq!(f.counters(&l.id).await, (30, 29, 1));
        // The enrolment that used the hold turns the held place into an enrolled one.
        let hold = granted[0].hold_id.clone().unwrap();
        c.process(Delivery::replay(enrolment("winner", &l, "active", 1, &hold), 1)).await.unwrap();
        assert_eq!(f.counters(&l.id).await, (30, 30, 0), "{backend}");
        let full = f.svc.licence_hold(&f.registrar("knu"), ask(&l, 1, "late")).await.unwrap();
        assert_eq!((full.verdict, full.free), (HoldVerdict::Full, 0));
        f.t.cleanup().await;
    }
}

#[tokio::test]
async fn holds_are_released_or_expire_and_give_their_places_back() {
    for backend in backends() {
        let f = fixture(backend).await;
        let l = f.licence(5, "ЛД-T-3").await;
        let reg = f.registrar("knu");
        let a = f.svc.licence_hold(&reg, ask(&l, 3, "a")).await.unwrap();
        assert_eq!((a.verdict, a.free, a.held), (HoldVerdict::Granted, 2, 3));
        let b = f.svc.licence_hold(&reg, ask(&l, 3, "b")).await.unwrap();
        assert_eq!(b.verdict, HoldVerdict::Full, "3 + 3 > 5");
        f.svc.licence_release(&reg, a.hold_id.as_deref().unwrap()).await.unwrap();
        f.svc.licence_release(&reg, a.hold_id.as_deref().unwrap()).await.unwrap(); // twice: no double give-back
        assert_eq!(f.counters(&l.id).await, (5, 0, 0));
        let c = f.svc.licence_hold(&reg, ask(&l, 5, "c")).await.unwrap();
        assert_eq!(c.verdict, HoldVerdict::Granted);
        sqlx::query("UPDATE licence_hold SET expires_at = 1 WHERE id = $1")
            .bind(c.hold_id.as_deref().unwrap())
            .execute(f.t.db.pool())
            .await
            .unwrap();
        assert_eq!(f.svc.expire_holds().await.unwrap(), 1);
        assert_eq!(f.counters(&l.id).await, (5, 0, 0), "{backend}: expired hold gave its places back");
        // A suspended licence admits nobody, whatever its places.
        let mut input = LicenceInput {
            id: Some(l.id.clone()),
            institution_code: "knu".into(),
            specialty_code: l.specialty_code.clone(),
            level: l.level,
            form: l.form,
            contingent: 5,
            valid_from: l.valid_from.clone(),
            valid_to: None,
            document_no: l.document_no.clone(),
            status: LicenceStatus::Suspended,
            reason: String::new(),
        };
        let e = f.svc.licence_upsert(&f.minister(), input.clone()).await.unwrap_err();
        assert_eq!(e.field.as_deref(), Some("reason"), "suspension needs a reason");
        input.reason = "Предписание № 12".into();
        f.svc.licence_upsert(&f.minister(), input).await.unwrap();
        let d = f.svc.licence_hold(&reg, ask(&l, 1, "d")).await.unwrap();
        assert_eq!(d.verdict, HoldVerdict::NotInForce);
        f.t.cleanup().await;
    }
}

#[tokio::test]
async fn only_the_licence_institution_and_the_ministry_may_hold_places() {
    for backend in backends() {
        let f = fixture(backend).await;
        let l = f.licence(5, "ЛД-T-4").await;
        let refused = [
            (CallCtx::anonymous(), ErrorCode::Unauthenticated),
            (f.registrar("oshsu"), ErrorCode::PermissionDenied),
            (
                f.auth.ctx("teacher", &[(Role::Teacher, Some(&seed::institution_id("knu")))]),
                ErrorCode::PermissionDenied,
            ),
            (f.auth.ctx("analyst", &[(Role::MinistryAnalyst, None)]), ErrorCode::PermissionDenied),
        ];
        for (ctx, code) in refused {
            assert_eq!(f.svc.licence_hold(&ctx, ask(&l, 1, "x")).await.unwrap_err().code, code, "{backend}");
        }
        assert_eq!(f.counters(&l.id).await, (5, 0, 0));
        for ctx in [f.registrar("knu"), f.institution_admin("knu"), f.minister()] {
            let a = f.svc.licence_hold(&ctx, ask(&l, 1, &edu24_shared::time::new_id())).await.unwrap();
            assert_eq!(a.verdict, HoldVerdict::Granted);
        }
        let e = f.svc.licence_hold(&f.registrar("knu"), ask(&l, 0, "zero")).await.unwrap_err();
        assert_eq!(e.field.as_deref(), Some("seats"));
        f.t.cleanup().await;
    }
}

#[tokio::test]
async fn the_dashboard_shows_full_expiring_and_unlicensed_and_each_institution_sees_its_own() {
    for backend in backends() {
        let f = fixture(backend).await;
        let d = f.svc.dashboard(&f.minister(), None).await.unwrap();
        assert!(d.licences_in_force > 200, "{backend}");
        assert!(!d.near_full.is_empty() && !d.unlicensed.is_empty());
        assert!(d.near_full.iter().all(|u| u.fill_percent() >= 90));
        assert!(d.near_full.windows(2).all(|w| w[0].fill_percent() >= w[1].fill_percent()), "fullest first");
        assert_eq!(d.fill_bands.iter().sum::<u32>(), d.licences_in_force);
        let horizon = add_days(&d.today, 90).unwrap();
        assert!(d.expiring.iter().all(|u| u.licence.valid_to.as_deref().unwrap() <= horizon.as_str()));
        // A licence filled by enrolments shows up at once.
        let l = f.licence(5, "ЛД-T-5").await;
        let c = f.consumer();
        for i in 0..5 {
            c.process(Delivery::replay(enrolment(&format!("d{i}"), &l, "active", 1, ""), 1)).await.unwrap();
        }
        let d = f.svc.dashboard(&f.minister(), None).await.unwrap();
        let u = d.near_full.iter().find(|u| u.licence.id == l.id).expect("full licence listed");
        assert_eq!((u.enrolled, u.fill_percent()), (5, 100));
        // The institution's admin sees only its own; another institution's is refused.
        let own = f.svc.dashboard(&f.institution_admin("knu"), Some("knu")).await.unwrap();
        assert!(own.near_full.iter().all(|u| u.institution_code == "knu"));
        assert!(own.near_full.iter().any(|u| u.licence.id == l.id));
        let e = f.svc.dashboard(&f.institution_admin("knu"), Some("oshsu")).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::PermissionDenied);
        let e = f.svc.dashboard(&f.institution_admin("knu"), None).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::PermissionDenied);
        f.t.cleanup().await;
    }
}

fn specialty(code: &str, ru: &str) -> SpecialtyInput {
    SpecialtyInput {
        code: code.into(),
        level: Level::Bachelor,
        name: Localized::new(ru, ru, ru),
        isced_f_broad: "06".into(),
        verified: true,
        barred_forms: vec![],
        valid_from: "2026-01-01".into(),
        valid_to: None,
    }
}

#[tokio::test]
async fn the_classifier_is_imported_all_or_nothing_and_every_version_is_kept() {
    for backend in backends() {
        let f = fixture(backend).await;
        let before = f.svc.framework(&CallCtx::anonymous()).await.unwrap().specialties.len();
        let mut bad = specialty("71070", "Короткий код");
        bad.code = "71070".into();
        let mut bad_field = specialty("710800", "Неизвестное поле");
        bad_field.isced_f_broad = "77".into();
        let rows = vec![specialty("710700", "Кибербезопасность"), bad, bad_field, specialty("710700", "Дубль")];
        let report = f.svc.specialties_import(&f.minister(), rows).await.unwrap();
        let rejected: Vec<(u32, &str)> = report.errors.iter().map(|e| (e.row, e.field.as_str())).collect();
        assert_eq!(rejected, vec![(3, "code"), (4, "isced_f_broad"), (5, "code")], "{backend}");
        assert_eq!(f.svc.framework(&CallCtx::anonymous()).await.unwrap().specialties.len(), before, "nothing written");

        let t0 = edu24_shared::time::now_ms();
        let report =
            f.svc.specialties_import(&f.minister(), vec![specialty("710700", "Кибербезопасность")]).await.unwrap();
        assert_eq!((report.changed, report.errors.len()), (1, 0));
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let t1 = edu24_shared::time::now_ms();
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let renamed = specialty("710700", "Информационная безопасность");
        let report = f.svc.specialties_import(&f.minister(), vec![renamed.clone(), renamed]).await.unwrap();
        assert_eq!(report.errors.len(), 1, "the same entry twice in one file is refused");
        f.svc
            .specialties_import(&f.minister(), vec![specialty("710700", "Информационная безопасность")])
            .await
            .unwrap();
        let unchanged = f
            .svc
            .specialties_import(&f.minister(), vec![specialty("710700", "Информационная безопасность")])
            .await
            .unwrap();
        assert_eq!((unchanged.changed, unchanged.unchanged), (0, 1), "re-importing the same file changes nothing");
        let history = f.svc.specialty_history(&CallCtx::anonymous(), "710700", Level::Bachelor).await.unwrap();
        assert_eq!(history.iter().map(|v| v.specialty.version).collect::<Vec<_>>(), vec![2, 1]);
        // What the classifier was at t1: the first name; before t0: no entry at all.
        let anon = CallCtx::anonymous();
        let at = |t| f.svc.framework_as_of(&anon, t);
        let then = at(t1).await.unwrap();
        assert_eq!(then.iter().find(|v| v.specialty.code == "710700").unwrap().specialty.name.ru, "Кибербезопасность");
        assert!(!at(t0 - 1).await.unwrap().iter().any(|v| v.specialty.code == "710700"), "{backend}");
        let now = at(edu24_shared::time::now_ms()).await.unwrap();
        assert_eq!(now.len(), before + 1);
        // Versions are append-only.
        assert!(sqlx::query("DELETE FROM specialty_version").execute(f.t.db.pool()).await.is_err());
        // Only the ministry's admin edits the classifier.
        let e = f.svc.specialties_import(&f.institution_admin("knu"), vec![]).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::PermissionDenied);
        f.t.cleanup().await;
    }
}

fn programme_input(id: Option<String>) -> ProgrammeInput {
    ProgrammeInput {
        id,
        institution_code: "knu".into(),
        specialty_code: "710100".into(),
        level: Level::Bachelor,
        form: StudyForm::Distance,
        language: "en".into(),
        duration_months: 48,
        credits: 240,
        fee_citizen: Some(45_000),
        fee_foreign: Some(90_000),
        grant_places: 0,
        contract_places: 40,
        admission_year: 2026,
    }
}

#[tokio::test]
async fn institutions_keep_their_profile_and_programmes_but_not_the_ministrys_facts() {
    for backend in backends() {
        let f = fixture(backend).await;
        let admin = f.institution_admin("knu");
        let p = f.svc.programme_upsert(&admin, programme_input(None)).await.unwrap();
        assert_eq!((p.fee_citizen, p.contract_places, p.version), (Some(45_000), 40, 1));
        let again = f.svc.programme_upsert(&admin, programme_input(None)).await.unwrap_err();
        assert_eq!(again.code, ErrorCode::AlreadyExists, "{backend}");
        let mut change = programme_input(Some(p.id.clone()));
        change.contract_places = 60;
        assert_eq!(f.svc.programme_upsert(&admin, change).await.unwrap().version, 2);
        // Another institution's admin cannot touch it, nor add programmes to KNU.
        let other = f.institution_admin("oshsu");
        let e = f.svc.programme_upsert(&other, programme_input(Some(p.id.clone()))).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::PermissionDenied);
        // A barred form is refused with the field named.
        let mut barred = programme_input(None);
        (barred.specialty_code, barred.form) = ("580100".into(), StudyForm::PartTime);
        assert_eq!(f.svc.programme_upsert(&admin, barred).await.unwrap_err().field.as_deref(), Some("form"));
        // Licences and accreditation belong to the ministry.
        let l = f.licence(5, "ЛД-T-6").await;
        let e = f
            .svc
            .licence_upsert(
                &admin,
                LicenceInput {
                    id: Some(l.id.clone()),
                    institution_code: "knu".into(),
                    specialty_code: l.specialty_code.clone(),
                    level: l.level,
                    form: l.form,
                    contingent: 5000,
                    valid_from: l.valid_from.clone(),
                    valid_to: None,
                    document_no: l.document_no.clone(),
                    status: LicenceStatus::Active,
                    reason: String::new(),
                },
            )
            .await
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::PermissionDenied);
        let acc = AccreditationInput {
            id: None,
            institution_code: "knu".into(),
            programme_id: Some(p.id.clone()),
            agency: "EdNet".into(),
            result: AccreditationResult::Accredited,
            valid_from: "2025-01-01".into(),
            valid_to: Some("2030-01-01".into()),
            document_no: "АК-25-1".into(),
        };
        assert_eq!(
            f.svc.accreditation_upsert(&admin, acc.clone()).await.unwrap_err().code,
            ErrorCode::PermissionDenied
        );
        f.svc.accreditation_upsert(&f.minister(), acc).await.unwrap();
        let detail = f.svc.programme_get(&CallCtx::anonymous(), &p.id).await.unwrap();
        assert!(detail.accreditations.iter().any(|a| a.programme_id.as_deref() == Some(p.id.as_str())));

        // Profile: kept by the admin, checked, audited.
        let profile = ProfileInput {
            institution_code: "knu".into(),
            name: Localized::new("КУУ", "КНУ", "KNU"),
            address: Localized::new("Фрунзе к., 547", "ул. Фрунзе, 547", "547 Frunze St"),
            phone: "+996 312 32-35-00".into(),
            email: "info@knu.kg".into(),
            rector: "Бекбоев Бакыт".into(),
            founded: Some(1925),
            website: "knu.kg".into(),
            languages: vec!["ky".into(), "ru".into()],
        };
        f.svc.profile_update(&admin, profile.clone()).await.unwrap();
        let inst = f.svc.institution_get(&CallCtx::anonymous(), "knu").await.unwrap();
        assert_eq!((inst.profile.email.as_str(), inst.profile.languages.len()), ("info@knu.kg", 2));
        let e = f.svc.profile_update(&other, profile.clone()).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::PermissionDenied);
        let e = f.svc.profile_update(&admin, ProfileInput { email: "not an address".into(), ..profile }).await;
        assert_eq!(e.unwrap_err().field.as_deref(), Some("email"));
        let audited: i64 = sqlx::query("SELECT COUNT(*) FROM audit_log WHERE action = 'institution.profile.changed'")
            .fetch_one(f.t.db.pool())
            .await
            .unwrap()
            .get(0);
        assert_eq!(audited, 1);
        assert!(edu24_shared::audit::audit_verify(&f.t.db).await.unwrap().is_ok());
        f.t.cleanup().await;
    }
}

/// A 16x16 PNG (one colour).
fn png() -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(b"\x89PNG\r\n\x1a\n");
    let chunk = |out: &mut Vec<u8>, kind: &[u8], data: &[u8]| {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut c = kind.to_vec();
        c.extend_from_slice(data);
        out.extend_from_slice(&c);
        out.extend_from_slice(&crc32(&c).to_be_bytes());
    };
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&16u32.to_be_bytes());
    ihdr.extend_from_slice(&16u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    let raw: Vec<u8> = (0..16).flat_map(|_| std::iter::once(0u8).chain([20u8, 90, 160].repeat(16))).collect();
    chunk(&mut out, b"IDAT", &miniz_oxide::deflate::compress_to_vec_zlib(&raw, 6));
    chunk(&mut out, b"IEND", &[]);
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

#[tokio::test]
async fn images_are_checked_by_content() {
    for backend in backends() {
        let f = fixture(backend).await;
        let admin = f.institution_admin("knu");
        let id = f.svc.image_add(&admin, "knu", ImageKind::Logo, png()).await.unwrap();
        let img = f.svc.image_get(&CallCtx::anonymous(), &id).await.unwrap();
        assert_eq!((img.content_type.as_str(), img.data.len()), ("image/png", png().len()));
        assert_eq!(f.svc.institution_get(&CallCtx::anonymous(), "knu").await.unwrap().profile.logo, Some(id));
        // A script named logo.png is still not an image.
        let e = f.svc.image_add(&admin, "knu", ImageKind::Photo, b"<script>alert(1)</script>".to_vec()).await;
        assert_eq!(e.unwrap_err().reason.as_deref(), Some("image_type"), "{backend}");
        let mut huge = png();
        huge.resize(3 << 20, 0);
        let e = f.svc.image_add(&admin, "knu", ImageKind::Photo, huge).await.unwrap_err();
        assert_eq!(e.reason.as_deref(), Some("image_too_large"));
        let e = f.svc.image_add(&f.institution_admin("oshsu"), "knu", ImageKind::Photo, png()).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::PermissionDenied);
        f.t.cleanup().await;
    }
}

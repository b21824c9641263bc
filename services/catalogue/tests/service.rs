//! catalogue through its trait, on SQLite and (with EDU24_TEST_POSTGRES_URL) PostgreSQL.

use std::sync::Arc;

use edu24_catalogue::domain::*;
use edu24_catalogue::{CatalogueApi, CatalogueService, seed};
use edu24_shared::auth::{Authenticator, CallCtx, Role};
use edu24_shared::bus::{Bus, LocalBus};
use edu24_shared::error::ErrorCode;
use edu24_shared::outbox::OutboxRelay;
use edu24_shared::testing::{TestAuth, TestDb, backends, fresh_db};
use sqlx::Row;

struct Fixture {
    svc: Arc<CatalogueService>,
    auth: TestAuth,
    relay: OutboxRelay,
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
    let svc = CatalogueService::open(t.db.clone(), Authenticator::new(auth.keys.clone()), relay.clone()).await.unwrap();
    Fixture { svc, auth, relay, bus, t, _dir: dir }
}

fn anon() -> CallCtx {
    CallCtx::anonymous()
}

fn q(text: &str) -> InstitutionQuery {
    InstitutionQuery { text: text.into(), page: 1, per_page: 100, sort_language: "en".into(), ..Default::default() }
}

async fn count(f: &Fixture, table: &str) -> i64 {
    sqlx::query(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(f.t.db.pool()).await.unwrap().get(0)
}

#[tokio::test]
async fn the_demo_catalogue_is_complete_and_searchable() {
    for backend in backends() {
        let f = fixture(backend).await;
        assert!(seed::demo_seed(&f.svc).await.unwrap());
        assert!(!seed::demo_seed(&f.svc).await.unwrap(), "seeding twice changes nothing");
        let stats = f.svc.stats(&anon()).await.unwrap();
        assert_eq!((stats.institutions, stats.programmes), (33, 270), "{backend}");
        assert!(stats.licences > 200 && stats.licensed_contingent > 10_000);
        let framework = f.svc.framework(&anon()).await.unwrap();
        assert_eq!(framework.specialties.len(), 36);
        assert_eq!(framework.regions.len(), 9);
        assert_eq!(framework.specialty("530500", Level::Bachelor).unwrap().barred_forms, vec![StudyForm::PartTime]);

        // Names in all three languages find the same institution.
        for text in ["Баласагын", "Jusup Balasagyn", "улуттук университети", "knu"] {
            let codes: Vec<String> =
                f.svc.institution_search(&anon(), &q(text)).await.unwrap().items.into_iter().map(|i| i.code).collect();
            assert!(codes.contains(&"knu".to_owned()), "{backend}: {text} -> {codes:?}");
        }
        let medical = f
            .svc
            .institution_search(&anon(), &InstitutionQuery { specialty: Some("560001".into()), ..q("") })
            .await
            .unwrap();
        assert!(medical.items.iter().any(|i| i.code == "ksma"));
        assert!(medical.items.iter().all(|i| i.levels.contains(&Level::Specialist)));

        let knu = f.svc.institution_get(&anon(), "knu").await.unwrap();
        assert_eq!(knu.summary.id, seed::institution_id("knu"));
        assert!(!knu.programmes.is_empty() && !knu.licences.is_empty());
        for p in &knu.programmes {
            assert!(knu.licences.iter().any(|l| l.covers(p)), "every demo programme has its licence");
        }
        let detail = f.svc.programme_get(&anon(), &knu.programmes[0].id).await.unwrap();
        assert_eq!(detail.institution.code, "knu");
        assert!(detail.licence.is_some());
        assert_eq!(f.svc.institution_get(&anon(), "nope").await.unwrap_err().code, ErrorCode::NotFound);

        // Every seeded change left its event in the outbox; the relay publishes them once.
        assert_eq!(
            count(&f, "outbox").await,
            36 + 36 + 270 + 247 + 28,
            "{backend}: the classifier (once), institutions, programmes, licences, accreditations"
        );
        assert_eq!(f.relay.drain().await.unwrap(), 617);
        assert_eq!(f.relay.drain().await.unwrap(), 0);
        f.t.cleanup().await;
    }
}

fn input(code: &str) -> InstitutionInput {
    InstitutionInput {
        code: code.into(),
        name: Localized::new("Сынак университети", "Тестовый университет", "Test University"),
        region: "chuy".into(),
        city: Localized::new("Токмок", "Токмок", "Tokmok"),
        ownership: Ownership::Private,
        status: InstitutionStatus::Active,
        founded: Some(2020),
        website: "test.kg".into(),
        special_status: false,
    }
}

#[tokio::test]
async fn only_a_ministry_admin_writes_and_a_refusal_changes_nothing() {
    for backend in backends() {
        let f = fixture(backend).await;
        let knu = seed::institution_id("knu");
        // Every role but the ministry admin, at its own institution or another, and anonymous callers.
        let mut refusals = vec![
            (anon(), ErrorCode::Unauthenticated),
            (CallCtx::with_token("forged.token.here"), ErrorCode::Unauthenticated),
        ];
        let other = seed::institution_id("oshsu");
        for role in Role::ALL.into_iter().filter(|r| *r != Role::MinistryAdmin) {
            for inst in [Some(knu.as_str()), Some(other.as_str()), None] {
                let scoped = match role.scope_kind() {
                    edu24_shared::auth::ScopeKind::Institution => inst,
                    _ => None,
                };
                refusals.push((f.auth.ctx("someone", &[(role, scoped)]), ErrorCode::PermissionDenied));
            }
        }
        for (ctx, code) in &refusals {
            assert_eq!(f.svc.institution_upsert(ctx, input("tst")).await.unwrap_err().code, *code, "{backend}");
            let lic = LicenceInput {
                id: None,
                institution_code: "tst".into(),
                specialty_code: "710100".into(),
                level: Level::Bachelor,
                form: StudyForm::FullTime,
                contingent: 100,
                valid_from: "2024-01-01".into(),
                valid_to: None,
                document_no: "ЛД1".into(),
                status: LicenceStatus::Active,
                reason: String::new(),
            };
            assert_eq!(f.svc.licence_upsert(ctx, lic).await.unwrap_err().code, *code);
        }
        // (The 36 events of the classifier are the migration's, published once.)
        assert_eq!((count(&f, "institution").await, count(&f, "licence").await, count(&f, "outbox").await), (0, 0, 36));

        let admin = f.auth.ctx("minister", &[(Role::MinistryAdmin, None)]);
        let created = f.svc.institution_upsert(&admin, input("tst")).await.unwrap();
        assert_eq!(created.version, 1);
        let mut changed = input("tst");
        changed.status = InstitutionStatus::Suspended;
        let updated = f.svc.institution_upsert(&admin, changed).await.unwrap();
        assert_eq!(
            (updated.id.as_str(), updated.version, updated.status),
            (created.id.as_str(), 2, InstitutionStatus::Suspended)
        );
        assert_eq!(count(&f, "outbox").await, 36 + 2, "{backend}: one event per change (after the classifier's)");
        // The read index sees the change at once.
        assert_eq!(f.svc.institution_get(&anon(), "tst").await.unwrap().summary.status, InstitutionStatus::Suspended);

        // The events carry the new state, and reach the bus.
        f.relay.drain().await.unwrap();
        let mut sub = f.bus.subscribe("reader", &["edu24.catalogue.institution.>".to_owned()]).await.unwrap();
        let mut versions = Vec::new();
        for _ in 0..2 {
            let d = sub.next().await.unwrap();
            assert_eq!(d.envelope.subject, "edu24.catalogue.institution.changed.v1");
            assert_eq!(d.envelope.actor, "minister");
            let e: edu24_proto::catalogue::v1::InstitutionChanged =
                prost::Message::decode(d.envelope.payload.as_slice()).unwrap();
            versions.push((e.version, e.status));
            d.ack().await.unwrap();
        }
        assert_eq!(versions, vec![(1, "active".to_owned()), (2, "suspended".to_owned())]);
        f.t.cleanup().await;
    }
}

#[tokio::test]
async fn bad_input_names_the_field_and_writes_nothing() {
    for backend in backends() {
        let f = fixture(backend).await;
        let admin = f.auth.ctx("minister", &[(Role::MinistryAdmin, None)]);
        let mut bad = input("tst");
        bad.name.ky = " ".into();
        assert_eq!(f.svc.institution_upsert(&admin, bad).await.unwrap_err().field.as_deref(), Some("name.ky"));
        let mut bad = input("TST!");
        bad.code = "TST!".into();
        assert_eq!(f.svc.institution_upsert(&admin, bad).await.unwrap_err().field.as_deref(), Some("code"));
        let mut bad = input("tst");
        bad.region = "atlantis".into();
        assert_eq!(f.svc.institution_upsert(&admin, bad).await.unwrap_err().field.as_deref(), Some("region"));
        f.svc.institution_upsert(&admin, input("tst")).await.unwrap();
        let good = LicenceInput {
            id: None,
            institution_code: "tst".into(),
            specialty_code: "710100".into(),
            level: Level::Bachelor,
            form: StudyForm::FullTime,
            contingent: 100,
            valid_from: "2024-01-01".into(),
            valid_to: Some("2029-12-31".into()),
            document_no: "ЛД240000001".into(),
            status: LicenceStatus::Active,
            reason: String::new(),
        };
        let cases = [
            (LicenceInput { specialty_code: "999999".into(), ..good.clone() }, "specialty_code"),
            (LicenceInput { level: Level::Master, specialty_code: "710100".into(), ..good.clone() }, "specialty_code"),
            (LicenceInput { contingent: 0, ..good.clone() }, "contingent"),
            (LicenceInput { valid_from: "2024-13-01".into(), ..good.clone() }, "valid_from"),
            (LicenceInput { valid_to: Some("2023-01-01".into()), ..good.clone() }, "valid_to"),
            (LicenceInput { document_no: "  ".into(), ..good.clone() }, "document_no"),
            (LicenceInput { institution_code: "nope".into(), ..good.clone() }, "institution_code"),
        ];
        for (input, field) in cases {
            let e = f.svc.licence_upsert(&admin, input).await.unwrap_err();
            assert_eq!((e.code, e.field.as_deref()), (ErrorCode::InvalidArgument, Some(field)), "{backend}");
        }
        assert_eq!(count(&f, "licence").await, 0);
        let l = f.svc.licence_upsert(&admin, good.clone()).await.unwrap();
        let l2 = f
            .svc
            .licence_upsert(&admin, LicenceInput { id: Some(l.id.clone()), contingent: 150, ..good.clone() })
            .await
            .unwrap();
        assert_eq!((l2.id, l2.contingent, l2.version), (l.id, 150, 2));
        let e = f.svc.licence_upsert(&admin, LicenceInput { id: Some("no-such-id".into()), ..good }).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::NotFound);
        f.t.cleanup().await;
    }
}

//! identity through its trait, on SQLite and (with EDU24_TEST_POSTGRES_URL) PostgreSQL.

use std::sync::Arc;

use edu24_identity::audit::{audit_records, audit_verify};
use edu24_identity::domain::*;
use edu24_identity::events::InstitutionHandler;
use edu24_identity::{IdentityApi, IdentityService};
use edu24_proto::catalogue::v1::InstitutionChanged;
use edu24_proto::common::v1::{Envelope, LocalizedText};
use edu24_shared::auth::{CallCtx, Role, RoleGrant};
use edu24_shared::bus::{Bus, Delivery, LocalBus};
use edu24_shared::error::ErrorCode;
use edu24_shared::inbox::{Consumer, Outcome};
use edu24_shared::outbox::OutboxRelay;
use edu24_shared::testing::{TestDb, backends, fresh_db};
use edu24_shared::token::KeyRing;
use sqlx::Row;

struct Fixture {
    svc: Arc<IdentityService>,
    keys: KeyRing,
    bus: Arc<dyn Bus>,
    t: TestDb,
    _dir: tempfile::TempDir,
}

async fn fixture(backend: &str) -> Fixture {
    let t = fresh_db(backend).await.unwrap();
    IdentityService::migrate(&t.db).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let bus: Arc<dyn Bus> =
        Arc::new(LocalBus::open(&edu24_shared::config::sqlite_url(dir.path(), "bus")).await.unwrap());
    let keys = KeyRing::new(None);
    let svc =
        IdentityService::open(t.db.clone(), keys.clone(), OutboxRelay::new("identity", t.db.clone(), bus.clone()))
            .await
            .unwrap();
    Fixture { svc, keys, bus, t, _dir: dir }
}

fn login(l: &str, p: &str, addr: &str) -> LoginRequest {
    LoginRequest { login: l.into(), password: p.into(), client_address: addr.into(), user_agent: "test".into() }
}

const KNU: &str = "0199-knu";

async fn registrar(f: &Fixture) -> String {
    f.svc
        .account_create(
            "system:test",
            "KNU.Registrar",
            "Нургүл Асанова",
            "correct horse battery",
            &[RoleGrant { role: Role::Registrar, inst: Some(KNU.into()) }],
            false,
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn login_opens_a_session_whose_token_every_service_can_verify() {
    for backend in backends() {
        let f = fixture(backend).await;
        let id = registrar(&f).await;
        let out = f
            .svc
            .login(&CallCtx::anonymous(), login("  knu.registrar ", "correct horse battery", "10.0.0.1"))
            .await
            .unwrap();
        assert!(out.session_secret.len() >= 40);
        assert!(out.idle_expires_at_ms < out.absolute_expires_at_ms);
        let t = f.svc.session_token(&CallCtx::anonymous(), &out.session_secret).await.unwrap();
        let claims = f.keys.verify(&t.token).await.unwrap();
        assert_eq!(claims.sub, id);
        assert_eq!(claims.roles, vec![RoleGrant { role: Role::Registrar, inst: Some(KNU.into()) }]);
        let me = f.svc.me(&CallCtx::with_token(t.token.clone())).await.unwrap();
        assert_eq!((me.login.as_str(), me.display_name.as_str()), ("knu.registrar", "Нургүл Асанова"));
        assert_eq!(f.svc.me(&CallCtx::anonymous()).await.unwrap_err().code, ErrorCode::Unauthenticated);
        // The published keys verify the token too (what separate services fetch).
        let ring = KeyRing::new(None);
        for (kid, pk) in f.svc.verification_keys().await.unwrap() {
            ring.insert(&kid, pk).unwrap();
        }
        assert!(ring.verify(&t.token).await.is_ok(), "{backend}");

        f.svc.logout(&CallCtx::anonymous(), &out.session_secret).await.unwrap();
        let e = f.svc.session_token(&CallCtx::anonymous(), &out.session_secret).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::Unauthenticated, "{backend}: a logged-out session gives no token");
        f.t.cleanup().await;
    }
}

#[tokio::test]
async fn refusals_are_generic_and_throttled_without_a_permanent_lockout() {
    for backend in backends() {
        let f = fixture(backend).await;
        registrar(&f).await;
        let anon = CallCtx::anonymous();
        let wrong = f.svc.login(&anon, login("knu.registrar", "wrong password", "10.0.0.2")).await.unwrap_err();
        let unknown = f.svc.login(&anon, login("nobody.here", "wrong password", "10.0.0.2")).await.unwrap_err();
        assert_eq!(
            (wrong.code, &wrong.message, &wrong.reason),
            (unknown.code, &unknown.message, &unknown.reason),
            "{backend}: same answer"
        );
        for _ in 0..4 {
            let e = f.svc.login(&anon, login("knu.registrar", "wrong password", "10.0.0.2")).await.unwrap_err();
            assert_eq!(e.code, ErrorCode::Unauthenticated);
        }
        // Sixth failure blocks the account for a while, even for the right password...
        let e = f.svc.login(&anon, login("knu.registrar", "wrong password", "10.0.0.3")).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::Unauthenticated);
        let e = f.svc.login(&anon, login("knu.registrar", "correct horse battery", "10.0.0.4")).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::ResourceExhausted, "{backend}");
        let wait = e.retry_after_secs.unwrap();
        assert!((1..=30).contains(&wait), "{wait}");
        // ...an unknown login is throttled the same way, so blocking reveals nothing...
        for _ in 0..6 {
            let _ = f.svc.login(&anon, login("nobody.here", "x", "10.0.0.5")).await;
        }
        assert_eq!(
            f.svc.login(&anon, login("nobody.here", "x", "10.0.0.6")).await.unwrap_err().code,
            ErrorCode::ResourceExhausted
        );
        // ...and the block ends: here we move its end to the past.
        sqlx::query("UPDATE login_throttle SET blocked_until = 0").execute(f.t.db.pool()).await.unwrap();
        assert!(
            f.svc.login(&anon, login("knu.registrar", "correct horse battery", "10.0.0.4")).await.is_ok(),
            "{backend}"
        );
        f.t.cleanup().await;
    }
}

#[tokio::test]
async fn sessions_end_when_idle_or_too_old_and_disabled_accounts_get_no_token() {
    for backend in backends() {
        let f = fixture(backend).await;
        let id = registrar(&f).await;
        let anon = CallCtx::anonymous();
        let idle = f.svc.login(&anon, login("knu.registrar", "correct horse battery", "1")).await.unwrap();
        let old = f.svc.login(&anon, login("knu.registrar", "correct horse battery", "1")).await.unwrap();
        let live = f.svc.login(&anon, login("knu.registrar", "correct horse battery", "1")).await.unwrap();
        let now = edu24_shared::time::now_ms();
        let hash = |s: &str| {
            use sha2::Digest;
            hex::encode(sha2::Sha256::digest(s.as_bytes()))
        };
        sqlx::query("UPDATE session SET last_seen_at = $1 WHERE secret_hash = $2")
            .bind(now - SESSION_IDLE_MS - 1)
            .bind(hash(&idle.session_secret))
            .execute(f.t.db.pool())
            .await
            .unwrap();
        sqlx::query("UPDATE session SET absolute_expires_at = $1 WHERE secret_hash = $2")
            .bind(now - 1)
            .bind(hash(&old.session_secret))
            .execute(f.t.db.pool())
            .await
            .unwrap();
        for s in [&idle, &old] {
            assert_eq!(
                f.svc.session_token(&anon, &s.session_secret).await.unwrap_err().code,
                ErrorCode::Unauthenticated,
                "{backend}"
            );
        }
        assert!(f.svc.session_token(&anon, &live.session_secret).await.is_ok());
        assert_eq!(f.svc.session_token(&anon, "made-up-secret").await.unwrap_err().code, ErrorCode::Unauthenticated);
        sqlx::query("UPDATE account SET status = 'disabled' WHERE id = $1")
            .bind(&id)
            .execute(f.t.db.pool())
            .await
            .unwrap();
        assert!(f.svc.session_token(&anon, &live.session_secret).await.is_err(), "{backend}");
        assert!(f.svc.login(&anon, login("knu.registrar", "correct horse battery", "1")).await.is_err());
        f.t.cleanup().await;
    }
}

#[tokio::test]
async fn the_audit_log_is_append_only_and_tampering_is_detected() {
    for backend in backends() {
        let f = fixture(backend).await;
        let id = registrar(&f).await;
        let anon = CallCtx::anonymous();
        let _ = f.svc.login(&anon, login("knu.registrar", "wrong", "10.1.1.1")).await;
        f.svc.login(&anon, login("knu.registrar", "correct horse battery", "10.1.1.1")).await.unwrap();
        let records = audit_records(&f.t.db, Some(&id), 100).await.unwrap();
        let actions: Vec<&str> = records.iter().rev().map(|r| r.action.as_str()).collect();
        assert_eq!(actions, vec!["account.created", "role.granted", "login.failed", "login.succeeded"], "{backend}");
        assert_eq!(records[0].client_address, "10.1.1.1");
        assert_eq!(audit_verify(&f.t.db).await.unwrap(), Ok(4));

        // The database refuses to change or remove a record.
        assert!(
            sqlx::query("UPDATE audit_log SET actor = 'someone else' WHERE seq = 2")
                .execute(f.t.db.pool())
                .await
                .is_err(),
            "{backend}"
        );
        assert!(sqlx::query("DELETE FROM audit_log WHERE seq = 4").execute(f.t.db.pool()).await.is_err(), "{backend}");

        // Someone with raw access disables the guard and edits a record: the chain says where.
        match f.t.db.backend() {
            edu24_shared::db::Backend::Sqlite => {
                sqlx::query("DROP TRIGGER audit_log_no_update").execute(f.t.db.pool()).await.unwrap();
            }
            edu24_shared::db::Backend::Postgres => {
                sqlx::query("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change")
                    .execute(f.t.db.pool())
                    .await
                    .unwrap();
            }
        }
        sqlx::query("UPDATE audit_log SET client_address = '8.8.8.8' WHERE seq = 3")
            .execute(f.t.db.pool())
            .await
            .unwrap();
        assert_eq!(audit_verify(&f.t.db).await.unwrap(), Err(3), "{backend}");
        f.t.cleanup().await;
    }
}

fn institution_event(id: &str, name: &str, version: i64) -> Envelope {
    let e = InstitutionChanged {
        institution_id: id.into(),
        code: "knu".into(),
        name: Some(LocalizedText { ky: format!("{name} (ky)"), ru: format!("{name} (ru)"), en: name.into() }),
        status: "active".into(),
        ownership: "state".into(),
        region: "bishkek".into(),
        version,
    };
    Envelope {
        event_id: edu24_shared::time::new_id(),
        subject: edu24_identity::events::INSTITUTION_CHANGED.into(),
        occurred_at_ms: 1,
        actor: "t".into(),
        traceparent: String::new(),
        payload: prost::Message::encode_to_vec(&e),
    }
}

#[tokio::test]
async fn institution_events_name_role_scopes_once_and_in_version_order() {
    for backend in backends() {
        let f = fixture(backend).await;
        registrar(&f).await;
        let c = Consumer::new(
            edu24_identity::events::CONSUMER,
            &[edu24_identity::events::INSTITUTION_CHANGED],
            f.t.db.clone(),
            f.bus.clone(),
            Arc::new(InstitutionHandler),
        );
        let v2 = institution_event(KNU, "Kyrgyz National University", 2);
        let v1 = institution_event(KNU, "Old name", 1);
        assert_eq!(c.process(Delivery::replay(v2.clone(), 1)).await.unwrap(), Outcome::Applied);
        assert_eq!(c.process(Delivery::replay(v2.clone(), 2)).await.unwrap(), Outcome::Duplicate);
        // An older state arriving late does not overwrite the newer one.
        assert_eq!(c.process(Delivery::replay(v1, 1)).await.unwrap(), Outcome::Applied);
        let out =
            f.svc.login(&CallCtx::anonymous(), login("knu.registrar", "correct horse battery", "1")).await.unwrap();
        let t = f.svc.session_token(&CallCtx::anonymous(), &out.session_secret).await.unwrap();
        let me = f.svc.me(&CallCtx::with_token(t.token)).await.unwrap();
        assert_eq!(me.roles[0].institution_name.as_ref().unwrap().en, "Kyrgyz National University", "{backend}");
        let inbox: i64 = sqlx::query("SELECT COUNT(*) FROM inbox").fetch_one(f.t.db.pool()).await.unwrap().get(0);
        assert_eq!(inbox, 2);
        // A malformed event is dead-lettered, not retried forever.
        let mut bad = institution_event("", "x", 3);
        bad.payload = vec![0xff, 0xff];
        assert_eq!(c.process(Delivery::replay(bad, 1)).await.unwrap(), Outcome::DeadLettered);
        f.t.cleanup().await;
    }
}

#[tokio::test]
async fn accounts_are_validated() {
    let f = fixture("sqlite").await;
    let bad_scope = f
        .svc
        .account_create("t", "x.y", "X", "long enough pw", &[RoleGrant { role: Role::Registrar, inst: None }], false)
        .await
        .unwrap_err();
    assert_eq!(bad_scope.field.as_deref(), Some("roles"));
    let short = f.svc.account_create("t", "x.y", "X", "short", &[], false).await.unwrap_err();
    assert_eq!(short.field.as_deref(), Some("password"));
    registrar(&f).await;
    let dup = f.svc.account_create("t", "knu.REGISTRAR", "X", "long enough pw", &[], false).await.unwrap_err();
    assert_eq!(dup.code, ErrorCode::AlreadyExists);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_failures_are_all_counted() {
    for backend in backends() {
        let f = fixture(backend).await;
        registrar(&f).await;
        let mut tasks = Vec::new();
        for i in 0..12 {
            let svc = f.svc.clone();
            tasks.push(tokio::spawn(async move {
                svc.login(&CallCtx::anonymous(), login("knu.registrar", "wrong password", &format!("10.9.0.{i}"))).await
            }));
        }
        for t in tasks {
            assert!(t.await.unwrap().is_err());
        }
        let failures: i64 =
            sqlx::query("SELECT failures FROM login_throttle WHERE throttle_key = 'acct:knu.registrar'")
                .fetch_one(f.t.db.pool())
                .await
                .unwrap()
                .get(0);
        // Attempts refused as already throttled are not failures; every real failure is
        // audited and counted, none lost to a race.
        let audited: i64 = sqlx::query(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'login.failed' AND detail = 'login=knu.registrar'",
        )
        .fetch_one(f.t.db.pool())
        .await
        .unwrap()
        .get(0);
        assert_eq!(failures, audited, "{backend}");
        assert!(failures >= 6, "{backend}: {failures} failures counted");
        let blocked: i64 =
            sqlx::query("SELECT blocked_until FROM login_throttle WHERE throttle_key = 'acct:knu.registrar'")
                .fetch_one(f.t.db.pool())
                .await
                .unwrap()
                .get(0);
        assert!(blocked > edu24_shared::time::now_ms(), "{backend}: the account is blocked");
        f.t.cleanup().await;
    }
}

//! Account administration through identity's use cases, on SQLite and (with
//! EDU24_TEST_POSTGRES_URL) PostgreSQL, with the authorization matrix: every actor role
//! x every administrative operation x own / other institution.

use std::sync::Arc;

use edu24_identity::domain::LoginRequest;
use edu24_identity::{IdentityApi, IdentityService};
use edu24_shared::auth::{CallCtx, Role, RoleGrant};
use edu24_shared::bus::{Bus, LocalBus};
use edu24_shared::error::ErrorCode;
use edu24_shared::outbox::OutboxRelay;
use edu24_shared::testing::{TestDb, backends, fresh_db};
use edu24_shared::token::KeyRing;
use sqlx::Row;

const A: &str = "inst-a";
const B: &str = "inst-b";
const PW: &str = "correct horse battery staple";

struct World {
    svc: Arc<IdentityService>,
    t: TestDb,
    ids: std::collections::HashMap<&'static str, String>,
    _dir: tempfile::TempDir,
}

const PEOPLE: &[(&str, &str, Role, Option<&str>)] = &[
    ("minister", "Айгүл Осмонова", Role::MinistryAdmin, None),
    ("admin.a", "Бакыт Жумабеков", Role::InstitutionAdmin, Some(A)),
    ("registrar.a", "Нургүл Асанова", Role::Registrar, Some(A)),
    ("registrar.b", "Гүлзат Маматова", Role::Registrar, Some(B)),
    ("teacher.a", "Эрлан Касымов", Role::Teacher, Some(A)),
    ("student.a", "Айпери Токтосунова", Role::Student, Some(A)),
    ("student.b", "Бекзат Усенов", Role::Student, Some(B)),
];

async fn world(backend: &str) -> World {
    let t = fresh_db(backend).await.unwrap();
    IdentityService::migrate(&t.db).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let bus: Arc<dyn Bus> =
        Arc::new(LocalBus::open(&edu24_shared::config::sqlite_url(dir.path(), "bus")).await.unwrap());
    let svc = IdentityService::open(t.db.clone(), KeyRing::new(None), OutboxRelay::new("identity", t.db.clone(), bus))
        .await
        .unwrap();
    let mut ids = std::collections::HashMap::new();
    for (login, name, role, inst) in PEOPLE {
        let g = RoleGrant { role: *role, inst: inst.map(str::to_owned) };
        ids.insert(*login, svc.account_create("system:test", login, name, PW, &[g], false).await.unwrap());
    }
    World { svc, t, ids, _dir: dir }
}

async fn session(svc: &IdentityService, login: &str, password: &str) -> (String, CallCtx) {
    let out = svc
        .login(
            &CallCtx::anonymous(),
            LoginRequest {
                login: login.into(),
                password: password.into(),
                client_address: "10.0.0.9".into(),
                user_agent: "t".into(),
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{login}: {e:?}"));
    let token = svc.session_token(&CallCtx::anonymous(), &out.session_secret).await.unwrap();
    (out.session_secret, CallCtx { token: Some(token.token), traceparent: None, client_addr: Some("10.0.0.9".into()) })
}

async fn snapshot(db: &edu24_shared::db::Db) -> Vec<String> {
    let mut v = Vec::new();
    for sql in [
        "SELECT id || '|' || status || '|' || password_hash || '|' || must_change_password FROM account ORDER BY id",
        "SELECT account_id || '|' || role || '|' || institution_id FROM role_grant ORDER BY 1",
        "SELECT id || '|' || COALESCE(end_reason, 'live') FROM session ORDER BY id",
    ] {
        for r in sqlx::query(sql).fetch_all(db.pool()).await.unwrap() {
            v.push(r.get::<String, _>(0));
        }
    }
    v
}

#[tokio::test]
async fn changing_ones_password_follows_the_rules_and_ends_other_sessions() {
    for backend in backends() {
        let w = world(backend).await;
        let (_, phone) = session(&w.svc, "student.a", PW).await;
        let (_, laptop) = session(&w.svc, "student.a", PW).await;
        let e = w.svc.password_change(&laptop, "wrong", "a new long enough passphrase").await.unwrap_err();
        assert_eq!(e.field.as_deref(), Some("current_password"), "{backend}");
        for (bad, reason) in [
            ("short one", "password_too_short"),
            ("passwordpassword1", "password_guessable"),
            ("токтосунова жаңы сырсөз", "password_contains_login"),
        ] {
            let e = w.svc.password_change(&laptop, PW, bad).await.unwrap_err();
            assert_eq!(e.reason.as_deref(), Some(reason), "{backend}: {bad}");
        }
        w.svc.password_change(&laptop, PW, "кызыл алма тоодо жашайт").await.unwrap();
        assert_eq!(w.svc.sessions_list(&laptop, None).await.unwrap().len(), 1, "{backend}: the phone's session ended");
        assert!(w.svc.sessions_list(&phone, None).await.is_ok(), "a token lives its few minutes; its session is over");
        assert!(
            w.svc
                .login(
                    &CallCtx::anonymous(),
                    LoginRequest {
                        login: "student.a".into(),
                        password: PW.into(),
                        client_address: "x".into(),
                        user_agent: String::new()
                    }
                )
                .await
                .is_err()
        );
        session(&w.svc, "student.a", "кызыл алма тоодо жашайт").await;
        w.t.cleanup().await;
    }
}

#[tokio::test]
async fn a_registrar_finds_a_student_and_reissues_the_card() {
    for backend in backends() {
        let w = world(backend).await;
        let (_, registrar) = session(&w.svc, "registrar.a", PW).await;
        let (student_secret, _) = session(&w.svc, "student.a", PW).await;
        // Search is case-insensitive in Cyrillic and limited to the registrar's students.
        let found = w.svc.account_search(&registrar, "токтосун").await.unwrap();
        assert_eq!(found.iter().map(|a| a.login.as_str()).collect::<Vec<_>>(), vec!["student.a"], "{backend}");
        assert!(w.svc.account_search(&registrar, "Усенов").await.unwrap().is_empty(), "another institution's student");
        assert!(
            w.svc.account_search(&registrar, "Касымов").await.unwrap().is_empty(),
            "a teacher is not the registrar's"
        );

        let e = w.svc.password_reissue(&registrar, &w.ids["student.a"], "  ").await.unwrap_err();
        assert_eq!(e.field.as_deref(), Some("reason"));
        let card = w
            .svc
            .password_reissue(&registrar, &w.ids["student.a"], "lost the card; student ticket shown")
            .await
            .unwrap();
        assert_eq!((card.login.as_str(), card.password.len()), ("student.a", 19));
        // The old password and every session stop at once; the new one forces a change.
        assert!(w.svc.session_token(&CallCtx::anonymous(), &student_secret).await.is_err(), "{backend}");
        let refused = w
            .svc
            .login(
                &CallCtx::anonymous(),
                LoginRequest {
                    login: "student.a".into(),
                    password: PW.into(),
                    client_address: "y".into(),
                    user_agent: String::new(),
                },
            )
            .await;
        assert!(refused.is_err());
        let (_, fresh) = session(&w.svc, "student.a", &card.password).await;
        let e = w.svc.account_search(&fresh, "xx").await.unwrap_err();
        assert_eq!(e.reason.as_deref(), Some("password_change_required"), "{backend}");
        w.svc.password_change(&fresh, &card.password, "жаңы сырсөз үчүн узун сөз айкашы").await.unwrap();
        // The student sees who did it, when and why.
        let (_, student) = session(&w.svc, "student.a", "жаңы сырсөз үчүн узун сөз айкашы").await;
        let log = w.svc.my_access_log(&student, 50).await.unwrap();
        let reissue = log.iter().find(|r| r.action == "password.reissued").expect("audited");
        assert_eq!(reissue.actor, "Нургүл Асанова (registrar.a)", "people see who, by name");
        assert!(reissue.detail.contains("lost the card"));
        w.t.cleanup().await;
    }
}

/// Every administrative operation, applied by `actor` to `target`.
async fn attempt(w: &World, op: &str, actor: &CallCtx, target: &str) -> Result<(), ErrorCode> {
    let r = match op {
        "view" => w.svc.account_get(actor, target).await.map(|_| ()),
        "sessions" => w.svc.sessions_list(actor, Some(target)).await.map(|_| ()),
        "end_sessions" => w.svc.sessions_end_all(actor, target, "matrix").await.map(|_| ()),
        "disable" => w.svc.account_set_disabled(actor, target, true, "matrix").await,
        "reissue" => w.svc.password_reissue(actor, target, "matrix").await.map(|_| ()),
        "grant_teacher_a" => {
            w.svc
                .role_change(actor, target, RoleGrant { role: Role::Teacher, inst: Some(A.into()) }, true, "matrix")
                .await
        }
        "grant_registrar_b" => {
            w.svc
                .role_change(actor, target, RoleGrant { role: Role::Registrar, inst: Some(B.into()) }, true, "matrix")
                .await
        }
        "grant_institution_admin_a" => {
            w.svc
                .role_change(
                    actor,
                    target,
                    RoleGrant { role: Role::InstitutionAdmin, inst: Some(A.into()) },
                    true,
                    "matrix",
                )
                .await
        }
        other => panic!("{other}"),
    };
    r.map_err(|e| e.code)
}

/// Puts accounts and grants back as `snapshot_rows` found them, after a permitted change.
async fn restore(
    db: &edu24_shared::db::Db,
    accounts: &[(String, String, String, i64)],
    grants: &[(String, String, String, String)],
) {
    for (id, status, hash, mc) in accounts {
        sqlx::query("UPDATE account SET status = $2, password_hash = $3, must_change_password = $4 WHERE id = $1")
            .bind(id)
            .bind(status)
            .bind(hash)
            .bind(*mc)
            .execute(db.pool())
            .await
            .unwrap();
    }
    sqlx::query("DELETE FROM role_grant").execute(db.pool()).await.unwrap();
    for (id, account, role, inst) in grants {
        sqlx::query("INSERT INTO role_grant (id, account_id, role, institution_id, granted_by, granted_at) VALUES ($1, $2, $3, $4, 't', 0)")
            .bind(id)
            .bind(account)
            .bind(role)
            .bind(inst)
            .execute(db.pool())
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn authorization_matrix_of_account_administration() {
    let ops = [
        "view",
        "sessions",
        "end_sessions",
        "disable",
        "reissue",
        "grant_teacher_a",
        "grant_registrar_b",
        "grant_institution_admin_a",
    ];
    let actors = ["anonymous", "minister", "admin.a", "registrar.a", "registrar.b", "teacher.a", "student.a"];
    let targets = ["admin.a", "registrar.a", "teacher.a", "student.a", "student.b"];
    // Who may administer whom (the rest answer "not found"); then which grants they may make.
    let administers = |actor: &str, target: &str| -> bool {
        matches!(
            (actor, target),
            ("minister", "admin.a" | "registrar.a" | "teacher.a")
                | ("admin.a", "registrar.a" | "teacher.a" | "student.a")
                | ("registrar.a", "student.a")
                | ("registrar.b", "student.b")
        )
    };
    let may_grant = |actor: &str, op: &str| -> bool {
        match op {
            "grant_teacher_a" => matches!(actor, "minister" | "admin.a"),
            "grant_registrar_b" | "grant_institution_admin_a" => actor == "minister",
            _ => true,
        }
    };
    for backend in backends() {
        let w = world(backend).await;
        let mut tokens = std::collections::HashMap::new();
        for actor in actors {
            let ctx = if actor == "anonymous" { CallCtx::anonymous() } else { session(&w.svc, actor, PW).await.1 };
            tokens.insert(actor, ctx);
        }
        let accounts: Vec<(String, String, String, i64)> =
            sqlx::query("SELECT id, status, password_hash, must_change_password FROM account")
                .fetch_all(w.t.db.pool())
                .await
                .unwrap()
                .iter()
                .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
                .collect();
        let grants: Vec<(String, String, String, String)> =
            sqlx::query("SELECT id, account_id, role, institution_id FROM role_grant")
                .fetch_all(w.t.db.pool())
                .await
                .unwrap()
                .iter()
                .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
                .collect();
        let mut cells = 0;
        for op in ops {
            for actor in actors {
                for target in targets {
                    let before = snapshot(&w.t.db).await;
                    let result = attempt(&w, op, &tokens[actor], &w.ids[target]).await;
                    let own_sessions = op == "sessions" && actor == target;
                    let allowed =
                        actor != "anonymous" && (own_sessions || (administers(actor, target) && may_grant(actor, op)));
                    let cell = format!("{backend}: {actor} -{op}-> {target}");
                    if allowed {
                        assert_eq!(result, Ok(()), "{cell}");
                        restore(&w.t.db, &accounts, &grants).await;
                    } else {
                        let expected = if actor == "anonymous" {
                            ErrorCode::Unauthenticated
                        } else if administers(actor, target) {
                            ErrorCode::PermissionDenied
                        } else {
                            ErrorCode::NotFound
                        };
                        assert_eq!(result, Err(expected), "{cell}");
                        assert_eq!(snapshot(&w.t.db).await, before, "{cell}: a refusal changed something");
                    }
                    cells += 1;
                }
            }
        }
        assert_eq!(cells, ops.len() * actors.len() * targets.len());
        w.t.cleanup().await;
    }
}

/// The state every refused operation must leave untouched.
async fn snapshot_all(db: &edu24_shared::db::Db) -> Vec<String> {
    let mut v = snapshot(db).await;
    for sql in [
        "SELECT id || '|' || login FROM account ORDER BY 1",
        "SELECT id || '|' || institution_id FROM roster_upload ORDER BY 1",
        "SELECT id || '|' || state FROM access_request ORDER BY 1",
        "SELECT account_id || '|' || state FROM employer_request ORDER BY 1",
    ] {
        for r in sqlx::query(sql).fetch_all(db.pool()).await.unwrap() {
            v.push(r.get::<String, _>(0));
        }
    }
    v
}

#[tokio::test]
async fn authorization_matrix_of_institution_and_ministry_operations() {
    use edu24_identity::{AccessRequestInput, RegistrationInput, RegistrationKind};
    let ops = [
        "issue_student",
        "issue_teacher",
        "issue_registrar",
        "issue_institution_admin",
        "roster_upload",
        "decide_access_request",
        "verify_employer",
        "issue_ministry_analyst",
    ];
    let actors = ["anonymous", "minister", "admin.a", "registrar.a", "registrar.b", "teacher.a", "student.a"];
    // Who may do what, and where (A or B); "verify_employer" and "issue_ministry_analyst" ignore the institution.
    let allowed = |actor: &str, op: &str, inst: &str| -> bool {
        match op {
            "issue_student" | "roster_upload" | "decide_access_request" => {
                matches!((actor, inst), ("admin.a" | "registrar.a", A) | ("registrar.b", B))
            }
            "issue_teacher" | "issue_registrar" => actor == "minister" || (actor == "admin.a" && inst == A),
            "issue_institution_admin" | "verify_employer" | "issue_ministry_analyst" => actor == "minister",
            _ => false,
        }
    };
    let roster =
        "PIN,Surname,Given name,Patronymic,Student ticket,Programme,Year\n21503200512345,Асанова,Нургүл,,MX0001,X,1\n";
    for backend in backends() {
        let w = world(backend).await;
        let mut tokens = std::collections::HashMap::new();
        for actor in actors {
            let ctx = if actor == "anonymous" { CallCtx::anonymous() } else { session(&w.svc, actor, PW).await.1 };
            tokens.insert(actor, ctx);
        }
        let mut n = 0;
        for op in ops {
            for actor in actors {
                for inst in [A, B] {
                    // Fresh things to decide, in the institution of this cell.
                    let req_id = w
                        .svc
                        .access_request_submit(
                            &CallCtx { client_addr: Some(format!("10.{n}.0.1")), ..CallCtx::anonymous() },
                            AccessRequestInput {
                                institution_id: inst.into(),
                                pin: "21503200512345".into(),
                                ticket_no: format!("REQ{n:05}"),
                                surname: "Осмонов".into(),
                                given_name: "Бакыт".into(),
                                patronymic: String::new(),
                                programme: "X".into(),
                                study_year: 2,
                                contact: "+996 555 000 000".into(),
                            },
                        )
                        .await
                        .unwrap();
                    let employer = w
                        .svc
                        .register(
                            &CallCtx { client_addr: Some(format!("10.{n}.0.2")), ..CallCtx::anonymous() },
                            RegistrationInput {
                                kind: RegistrationKind::Employer,
                                login: format!("employer{n}"),
                                display_name: "Тоо Софт".into(),
                                password: "a long enough pass phrase".into(),
                                organisation: "Тоо Софт".into(),
                                tax_id: "01234567890123".into(),
                                contact: "+996 700 000 000".into(),
                            },
                        )
                        .await
                        .unwrap();
                    let ctx = &tokens[actor];
                    let before = snapshot_all(&w.t.db).await;
                    let login = format!("new.{n}");
                    let grant = |role: Role| RoleGrant { role, inst: Some(inst.to_owned()) };
                    let result = match op {
                        "issue_student" => w
                            .svc
                            .account_issue(ctx, &login, "Жаңы Адам", grant(Role::Student), "matrix")
                            .await
                            .map(|_| ()),
                        "issue_teacher" => w
                            .svc
                            .account_issue(ctx, &login, "Жаңы Адам", grant(Role::Teacher), "matrix")
                            .await
                            .map(|_| ()),
                        "issue_registrar" => w
                            .svc
                            .account_issue(ctx, &login, "Жаңы Адам", grant(Role::Registrar), "matrix")
                            .await
                            .map(|_| ()),
                        "issue_institution_admin" => w
                            .svc
                            .account_issue(ctx, &login, "Жаңы Адам", grant(Role::InstitutionAdmin), "matrix")
                            .await
                            .map(|_| ()),
                        "issue_ministry_analyst" => w
                            .svc
                            .account_issue(
                                ctx,
                                &login,
                                "Жаңы Адам",
                                RoleGrant { role: Role::MinistryAnalyst, inst: None },
                                "matrix",
                            )
                            .await
                            .map(|_| ()),
                        "roster_upload" => w
                            .svc
                            .roster_upload(
                                ctx,
                                inst,
                                "r.csv",
                                roster.replace("MX0001", &format!("MX{n:04}")).as_bytes(),
                            )
                            .await
                            .map(|_| ()),
                        "decide_access_request" => {
                            w.svc.access_request_decide(ctx, &req_id, false, "matrix").await.map(|_| ())
                        }
                        "verify_employer" => w.svc.employer_request_decide(ctx, &employer, true, "matrix").await,
                        other => panic!("{other}"),
                    };
                    let cell = format!("{backend}: {actor} -{op}-> {inst}");
                    if actor != "anonymous" && allowed(actor, op, inst) {
                        assert_eq!(result.map_err(|e| e.code), Ok(()), "{cell}");
                    } else {
                        let code = result.expect_err(&cell).code;
                        let expected = if actor == "anonymous" {
                            vec![ErrorCode::Unauthenticated]
                        } else {
                            vec![ErrorCode::PermissionDenied, ErrorCode::NotFound]
                        };
                        assert!(expected.contains(&code), "{cell}: {code:?}");
                        assert_eq!(snapshot_all(&w.t.db).await, before, "{cell}: a refusal changed something");
                    }
                    n += 1;
                }
            }
        }
        assert_eq!(n, ops.len() * actors.len() * 2);
        w.t.cleanup().await;
    }
}

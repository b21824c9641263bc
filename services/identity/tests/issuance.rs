//! Accounts issued in bulk, on SQLite and (with EDU24_TEST_POSTGRES_URL) PostgreSQL:
//! all or nothing, no duplicates on re-upload, cards that log in, seed erased on close.

mod support;

use edu24_identity::domain::LoginRequest;
use edu24_identity::issuance::derive_password;
use edu24_identity::{IdentityApi, IdentityService};
use edu24_shared::auth::{CallCtx, Role, RoleGrant};
use edu24_shared::error::ErrorCode;
use edu24_shared::testing::backends;
use sqlx::Row;

const A: &str = "inst-a";
const PW: &str = "correct horse battery staple";

fn roster(n: usize, start: usize) -> String {
    let mut s = String::from("ПИН,Фамилия,Имя,Отчество,Студенческий билет,Программа,Курс\n");
    for i in start..start + n {
        s.push_str(&format!("2150320{:07},Студент{},Айпери,,CL24{:05},710100 Информатика,1\n", i, letters(i), i));
    }
    s
}

fn letters(i: usize) -> String {
    // Names have letters only: encode the number in Cyrillic letters.
    i.to_string()
        .chars()
        .map(|d| ['а', 'б', 'в', 'г', 'д', 'е', 'ж', 'з', 'и', 'к'][d.to_digit(10).unwrap() as usize])
        .collect()
}

async fn login(svc: &IdentityService, l: &str, p: &str) -> Result<CallCtx, ErrorCode> {
    let out = svc
        .login(
            &CallCtx::anonymous(),
            LoginRequest { login: l.into(), password: p.into(), client_address: "1".into(), user_agent: String::new() },
        )
        .await
        .map_err(|e| e.code)?;
    let t = svc.session_token(&CallCtx::anonymous(), &out.session_secret).await.unwrap();
    Ok(CallCtx::with_token(t.token))
}

#[tokio::test]
async fn a_roster_issues_accounts_once_with_cards_that_work() {
    for backend in backends() {
        let (svc, t, _dir) = support::service(backend).await;
        svc.account_create(
            "t",
            "registrar.a",
            "Нургүл Асанова",
            PW,
            &[RoleGrant { role: Role::Registrar, inst: Some(A.into()) }],
            false,
        )
        .await
        .unwrap();
        svc.account_create(
            "t",
            "registrar.b",
            "Гүлзат Маматова",
            PW,
            &[RoleGrant { role: Role::Registrar, inst: Some("inst-b".into()) }],
            false,
        )
        .await
        .unwrap();
        let registrar = login(&svc, "registrar.a", PW).await.unwrap();
        let accounts = |db: edu24_shared::db::Db| async move {
            sqlx::query("SELECT COUNT(*) FROM account").fetch_one(db.pool()).await.unwrap().get::<i64, _>(0)
        };

        // One bad row: nothing is kept, every problem reported.
        let bad = format!("{}2150320xxxxxxx,Бад,Айпери,,CL2499999,X,1\n", roster(3, 0));
        let p = svc.roster_upload(&registrar, A, "bad.csv", bad.as_bytes()).await.unwrap();
        assert!(p.upload_id.is_empty(), "{backend}");
        assert_eq!(p.problems.len(), 1);
        assert_eq!((p.problems[0].row, p.problems[0].code.as_str()), (5, "pin_invalid"));
        assert_eq!(accounts(t.db.clone()).await, 2);
        // Another institution's registrar cannot upload for this one.
        let other = login(&svc, "registrar.b", PW).await.unwrap();
        assert_eq!(
            svc.roster_upload(&other, A, "r.csv", roster(3, 0).as_bytes()).await.unwrap_err().code,
            ErrorCode::PermissionDenied
        );

        // A good roster: preview, start, issue.
        let p = svc.roster_upload(&registrar, A, "group-101.csv", roster(40, 0).as_bytes()).await.unwrap();
        assert_eq!((p.rows, p.new_accounts, p.already_issued, p.problems.len()), (40, 40, 0, 0), "{backend}");
        assert_eq!(p.sample.len(), 8);
        assert_eq!(svc.issuance_start(&other, &p.upload_id).await.unwrap_err().code, ErrorCode::NotFound);
        let job = svc.issuance_start(&registrar, &p.upload_id).await.unwrap();
        assert_eq!((job.state.as_str(), job.total, job.done), ("running", 40, 0));
        assert_eq!(
            svc.issuance_cards(&registrar, &job.id).await.unwrap_err().reason.as_deref(),
            Some("issuance_running")
        );
        // The worker's steps; a step after the last finishes the job.
        assert_eq!(svc.issuance_step(&job.id).await.unwrap(), 32);
        assert_eq!(svc.issuance_get(&registrar, &job.id).await.unwrap().done, 32, "progress is visible");
        assert_eq!(svc.issuance_step(&job.id).await.unwrap(), 8);
        assert_eq!(svc.issuance_step(&job.id).await.unwrap(), 0);
        let job = svc.issuance_get(&registrar, &job.id).await.unwrap();
        assert_eq!((job.state.as_str(), job.done), ("done", 40));
        assert_eq!(accounts(t.db.clone()).await, 42);

        // The card's password logs in and must be changed first.
        let seed: Vec<u8> = sqlx::query("SELECT seed FROM issuance_job WHERE id = $1")
            .bind(&job.id)
            .fetch_one(t.db.pool())
            .await
            .unwrap()
            .get(0);
        let student = login(&svc, "cl2400007", &derive_password(&seed, &job.id, 7)).await.unwrap();
        assert_eq!(
            svc.account_search(&student, "xx").await.unwrap_err().reason.as_deref(),
            Some("password_change_required")
        );
        let me = svc.me(&student).await.unwrap();
        assert_eq!(me.display_name, "Студентз Айпери");
        assert_eq!(me.roles[0].role, Role::Student);
        let cards = svc.issuance_cards(&registrar, &job.id).await.unwrap();
        assert!(cards.bytes.starts_with(b"%PDF-"));
        assert!(String::from_utf8_lossy(&cards.bytes).contains("/Count 5"), "40 cards, 8 a page");

        // Uploading the same people again (plus two new) creates only the two.
        let p = svc.roster_upload(&registrar, A, "again.csv", roster(42, 0).as_bytes()).await.unwrap();
        assert_eq!((p.new_accounts, p.already_issued), (2, 40), "{backend}");
        let job2 = svc.issuance_start(&registrar, &p.upload_id).await.unwrap();
        while svc.issuance_step(&job2.id).await.unwrap() > 0 {}
        svc.issuance_step(&job2.id).await.unwrap();
        assert_eq!(accounts(t.db.clone()).await, 44);
        // The same ticket for a different person is a problem, not an overwrite.
        let clash = roster(1, 5).replace("21503200000005", "21503200099999");
        let p = svc.roster_upload(&registrar, A, "clash.csv", clash.as_bytes()).await.unwrap();
        assert_eq!(p.problems[0].code, "ticket_taken");

        // A login taken between the check and the issue is set aside, not a stuck job.
        let p = svc.roster_upload(&registrar, A, "late.csv", roster(1, 100).as_bytes()).await.unwrap();
        let job3 = svc.issuance_start(&registrar, &p.upload_id).await.unwrap();
        svc.account_create("t", "cl2400100", "Someone Else", PW, &[], false).await.unwrap();
        while svc.issuance_step(&job3.id).await.unwrap() > 0 {}
        let job3 = svc.issuance_get(&registrar, &job3.id).await.unwrap();
        assert_eq!((job3.state.as_str(), job3.done, job3.skipped), ("done", 1, 1), "{backend}");

        // Closing erases the seed: the cards can never be printed again.
        let closed = svc.issuance_close(&registrar, &job.id).await.unwrap();
        assert_eq!(closed.state, "closed");
        let seed: Option<Vec<u8>> = sqlx::query("SELECT seed FROM issuance_job WHERE id = $1")
            .bind(&job.id)
            .fetch_one(t.db.pool())
            .await
            .unwrap()
            .get(0);
        assert!(seed.is_none());
        assert_eq!(
            svc.issuance_cards(&registrar, &job.id).await.unwrap_err().reason.as_deref(),
            Some("issuance_closed")
        );
        assert_eq!(svc.issuance_list(&registrar).await.unwrap().len(), 3);
        assert!(svc.issuance_list(&other).await.unwrap().is_empty());
        t.cleanup().await;
    }
}

//! The second factor (TOTP) on SQLite and (with EDU24_TEST_POSTGRES_URL) PostgreSQL.

mod support;

use edu24_identity::IdentityApi;
use edu24_identity::domain::LoginRequest;
use edu24_identity::totp::{hotp, step};
use edu24_shared::auth::{CallCtx, Role, RoleGrant};
use edu24_shared::testing::backends;
use sqlx::Row;

const PW: &str = "correct horse battery staple";

fn req() -> LoginRequest {
    LoginRequest {
        login: "registrar.a".into(),
        password: PW.into(),
        client_address: "1".into(),
        user_agent: String::new(),
    }
}

#[tokio::test]
async fn a_second_factor_guards_the_login_and_recovery_codes_work_once() {
    for backend in backends() {
        let (svc, t, _dir) = support::service(backend).await;
        svc.account_create(
            "t",
            "registrar.a",
            "Нургүл Асанова",
            PW,
            &[RoleGrant { role: Role::Registrar, inst: Some("a".into()) }],
            false,
        )
        .await
        .unwrap();
        let anon = CallCtx::anonymous();
        let out = svc.login(&anon, req()).await.unwrap();
        assert!(!out.second_factor_required);
        let me = CallCtx::with_token(svc.session_token(&anon, &out.session_secret).await.unwrap().token);

        // Enrol: a wrong first code is refused, the right one switches it on.
        let setup = svc.totp_begin(&me).await.unwrap();
        assert!(setup.uri.starts_with("otpauth://totp/EDU24:registrar.a?secret="));
        let secret: Vec<u8> =
            sqlx::query("SELECT secret FROM account_totp").fetch_one(t.db.pool()).await.unwrap().get(0);
        let now = edu24_shared::time::now_ms() / 1000;
        let code_at = |s: i64| format!("{:06}", hotp(&secret, s as u64));
        assert_eq!(
            svc.totp_enable(&me, "000000").await.unwrap_err().reason.as_deref(),
            Some("code_wrong"),
            "{backend}"
        );
        let codes = svc.totp_enable(&me, &code_at(step(now) - 1)).await.unwrap();
        assert_eq!(codes.len(), 10);
        assert!(svc.me(&me).await.unwrap().second_factor);

        // A login now waits for the code; no token until then.
        let out = svc.login(&anon, req()).await.unwrap();
        assert!(out.second_factor_required, "{backend}");
        assert_eq!(
            svc.session_token(&anon, &out.session_secret).await.unwrap_err().reason.as_deref(),
            Some("second_factor_required")
        );
        assert!(svc.session_second_factor(&anon, &out.session_secret, "123456").await.is_err());
        // The code used to enrol cannot be used again; the current one can, once.
        assert!(
            svc.session_second_factor(&anon, &out.session_secret, &code_at(step(now) - 1)).await.is_err(),
            "no replay"
        );
        svc.session_second_factor(&anon, &out.session_secret, &code_at(step(now))).await.unwrap();
        assert!(svc.session_token(&anon, &out.session_secret).await.is_ok());
        let again = svc.login(&anon, req()).await.unwrap();
        assert!(
            svc.session_second_factor(&anon, &again.session_secret, &code_at(step(now))).await.is_err(),
            "{backend}: replay"
        );
        // A recovery code works once.
        svc.session_second_factor(&anon, &again.session_secret, &codes[3].to_uppercase()).await.unwrap();
        let third = svc.login(&anon, req()).await.unwrap();
        assert!(svc.session_second_factor(&anon, &third.session_secret, &codes[3]).await.is_err());
        // Switching it off needs a code; then a login is one step again.
        let me = CallCtx::with_token(svc.session_token(&anon, &again.session_secret).await.unwrap().token);
        assert!(svc.totp_disable(&me, "000000").await.is_err());
        svc.totp_disable(&me, &codes[4]).await.unwrap();
        assert!(!svc.login(&anon, req()).await.unwrap().second_factor_required);
        let actions: Vec<String> = sqlx::query("SELECT action FROM audit_log ORDER BY seq")
            .fetch_all(t.db.pool())
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        for a in [
            "second_factor.enabled",
            "login.second_factor_required",
            "login.second_factor_failed",
            "second_factor.disabled",
        ] {
            assert!(actions.iter().any(|x| x == a), "{backend}: {a} audited");
        }
        t.cleanup().await;
    }
}

#[test]
fn passwords_are_compared_in_one_unicode_form() {
    use edu24_identity::app::{password_hash, password_verify};
    // "й" precomposed (U+0439) and as и + combining breve (U+0438 U+0306).
    let composed = "мой длинный пароль йод";
    let decomposed = "мои\u{306} длинныи\u{306} пароль и\u{306}од";
    assert_ne!(composed, decomposed);
    let phc = password_hash(composed);
    assert!(password_verify(decomposed, &phc));
    assert!(!password_verify("мой длинный пароль иод", &phc));
}

#[tokio::test]
async fn staff_must_set_up_a_second_factor_after_the_grace_period() {
    for backend in backends() {
        let (svc, t, _dir) = support::service(backend).await;
        svc.account_create(
            "t",
            "registrar.a",
            "Нургүл Асанова",
            PW,
            &[RoleGrant { role: Role::Registrar, inst: Some("a".into()) }],
            false,
        )
        .await
        .unwrap();
        svc.account_create(
            "t",
            "student.a",
            "Айпери Токтосунова",
            PW,
            &[RoleGrant { role: Role::Student, inst: Some("a".into()) }],
            false,
        )
        .await
        .unwrap();
        let anon = CallCtx::anonymous();
        let token_of = |login: &'static str| {
            let svc = svc.clone();
            async move {
                let out = svc
                    .login(
                        &CallCtx::anonymous(),
                        LoginRequest {
                            login: login.into(),
                            password: PW.into(),
                            client_address: "1".into(),
                            user_agent: String::new(),
                        },
                    )
                    .await
                    .unwrap();
                (
                    out.session_secret.clone(),
                    CallCtx::with_token(
                        svc.session_token(&CallCtx::anonymous(), &out.session_secret).await.unwrap().token,
                    ),
                )
            }
        };
        // Within the grace period: work goes on, the deadline is shown.
        let (_, registrar) = token_of("registrar.a").await;
        assert!(svc.account_search(&registrar, "xx").await.is_ok(), "{backend}");
        let due = svc.me(&registrar).await.unwrap().second_factor_due_ms.expect("a deadline for staff");
        assert!(due > edu24_shared::time::now_ms());
        // Fifteen days later: only setting it up is allowed.
        let old = edu24_shared::time::now_ms() - 15 * 24 * 3600 * 1000;
        sqlx::query("UPDATE account SET created_at = $1").bind(old).execute(t.db.pool()).await.unwrap();
        let (secret, registrar) = token_of("registrar.a").await;
        assert_eq!(
            svc.account_search(&registrar, "xx").await.unwrap_err().reason.as_deref(),
            Some("second_factor_setup_required"),
            "{backend}"
        );
        assert!(svc.me(&registrar).await.is_ok(), "seeing oneself is allowed");
        svc.totp_begin(&registrar).await.unwrap();
        let key: Vec<u8> = sqlx::query("SELECT secret FROM account_totp").fetch_one(t.db.pool()).await.unwrap().get(0);
        let code = format!("{:06}", hotp(&key, step(edu24_shared::time::now_ms() / 1000) as u64));
        svc.totp_enable(&registrar, &code).await.unwrap();
        let fresh = CallCtx::with_token(svc.session_token(&anon, &secret).await.unwrap().token);
        assert!(svc.account_search(&fresh, "xx").await.is_ok(), "{backend}: set up, work resumes");
        assert_eq!(svc.me(&fresh).await.unwrap().second_factor_due_ms, None);
        // A student never needs one.
        let (_, student) = token_of("student.a").await;
        assert_eq!(svc.me(&student).await.unwrap().second_factor_due_ms, None);
        t.cleanup().await;
    }
}

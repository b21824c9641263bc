//! E-mail verification and password reset by a single-use link, on SQLite and (with
//! EDU24_TEST_POSTGRES_URL) PostgreSQL; mail delivered as files by the relay.

mod support;

use edu24_identity::IdentityApi;
use edu24_identity::domain::LoginRequest;
use edu24_shared::auth::{CallCtx, Role, RoleGrant};
use edu24_shared::mail::{MailRelay, MailTransport};
use edu24_shared::testing::backends;
use sqlx::Row;

const PW: &str = "correct horse battery staple";

async fn mails(db: &edu24_shared::db::Db) -> Vec<String> {
    sqlx::query("SELECT body FROM mail_outbox ORDER BY id")
        .fetch_all(db.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

fn token(body: &str) -> String {
    let i = body.find("token=").expect("a link") + 6;
    body[i..].split_whitespace().next().unwrap().to_owned()
}

#[tokio::test]
async fn a_verified_address_resets_a_forgotten_password_once() {
    for backend in backends() {
        let (svc, t, dir) = support::service(backend).await;
        svc.account_create(
            "t",
            "knu.admin",
            "Бакыт Жумабеков",
            PW,
            &[RoleGrant { role: Role::InstitutionAdmin, inst: Some("a".into()) }],
            false,
        )
        .await
        .unwrap();
        let anon = CallCtx::anonymous();
        let login = |p: &'static str| {
            let svc = svc.clone();
            async move {
                svc.login(
                    &CallCtx::anonymous(),
                    LoginRequest {
                        login: "knu.admin".into(),
                        password: p.into(),
                        client_address: "1".into(),
                        user_agent: String::new(),
                    },
                )
                .await
            }
        };
        let out = login(PW).await.unwrap();
        let me = CallCtx::with_token(svc.session_token(&anon, &out.session_secret).await.unwrap().token);

        // Without a verified address, a reset sends nothing (and says the same).
        svc.reset_request(&anon, "knu.admin").await.unwrap();
        svc.reset_request(&anon, "no.such.login").await.unwrap();
        assert!(mails(&t.db).await.is_empty(), "{backend}");

        assert_eq!(svc.email_set(&me, "not an address").await.unwrap_err().field.as_deref(), Some("email"));
        svc.email_set(&me, "Bakyt.J@knu.kg").await.unwrap();
        let verify = token(&mails(&t.db).await[0]);
        assert!(svc.email_verify(&anon, "made-up").await.is_err());
        svc.email_verify(&anon, &verify).await.unwrap();
        assert!(svc.email_verify(&anon, &verify).await.is_err(), "{backend}: single use");
        let a = svc.me(&me).await.unwrap();
        assert_eq!((a.email.as_deref(), a.email_verified), (Some("bakyt.j@knu.kg"), true));

        svc.reset_request(&anon, "KNU.Admin").await.unwrap();
        let all = mails(&t.db).await;
        assert_eq!(all.len(), 2);
        let reset = token(&all[1]);
        assert!(all[1].contains("30"), "the link says when it expires");
        // A weak password does not use up the link.
        assert_eq!(
            svc.reset_complete(&anon, &reset, "short").await.unwrap_err().reason.as_deref(),
            Some("password_too_short")
        );
        svc.reset_complete(&anon, &reset, "a brand new long passphrase").await.unwrap();
        assert!(svc.reset_complete(&anon, &reset, "another new long passphrase").await.is_err(), "{backend}: once");
        assert!(svc.session_token(&anon, &out.session_secret).await.is_err(), "sessions ended");
        assert!(login(PW).await.is_err());
        assert!(login("a brand new long passphrase").await.is_ok());
        // An expired link does nothing.
        svc.reset_request(&anon, "knu.admin").await.unwrap();
        let late = token(&mails(&t.db).await[2]);
        sqlx::query("UPDATE email_token SET expires_at = 0 WHERE used_at IS NULL").execute(t.db.pool()).await.unwrap();
        assert!(svc.reset_complete(&anon, &late, "yet another long passphrase").await.is_err(), "{backend}");

        // The relay delivers the queued mail, once.
        let maildir = dir.path().join("mail");
        let relay = MailRelay::new(t.db.clone(), MailTransport::Directory(maildir.clone()));
        assert_eq!(relay.drain().await.unwrap(), 3);
        assert_eq!(relay.drain().await.unwrap(), 0);
        let files: Vec<_> = std::fs::read_dir(&maildir).unwrap().collect();
        assert_eq!(files.len(), 3);
        let text = std::fs::read_to_string(files[0].as_ref().unwrap().path()).unwrap();
        assert!(text.contains("To: bakyt.j@knu.kg") && text.contains("Subject: =?UTF-8?B?"));
        t.cleanup().await;
    }
}

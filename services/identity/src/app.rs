//! Identity use cases.

use std::sync::Arc;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use async_trait::async_trait;
use base64::Engine as _;
use edu24_shared::auth::{Authenticator, CallCtx, RoleGrant};
use edu24_shared::db::Db;
use edu24_shared::error::{ApiError, ApiResult, ErrorCode};
use edu24_shared::outbox::OutboxRelay;
use edu24_shared::time::{new_id, now_ms};
use edu24_shared::token::{Claims, ISSUER, KeyRing, TokenSigner};
use rand::RngCore;

use crate::audit::audit_append;
use crate::domain::*;
use crate::store;
use crate::{IdentityApi, store::AccountRow};

/// An account to create.
pub struct NewAccount<'a> {
    pub login: &'a str,
    pub display_name: &'a str,
    pub password: &'a str,
    pub grants: &'a [RoleGrant],
    pub must_change_password: bool,
}

pub struct IdentityService {
    pub(crate) db: Db,
    pub(crate) auth: Authenticator,
    relay: OutboxRelay,
    signer: TokenSigner,
    /// A hash of a random password, verified when a login does not exist, so that an
    /// unknown login costs the same time as a wrong password.
    dummy_hash: String,
    /// Wakes the issuance worker when a job starts.
    pub(crate) issuance_wake: tokio::sync::Notify,
    /// Wakes the mail relay when mail is queued.
    pub(crate) mail_wake: std::sync::Arc<tokio::sync::Notify>,
}

pub fn argon2() -> Argon2<'static> {
    Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(ARGON2_M_KIB, ARGON2_T, ARGON2_P, None).expect("valid argon2 parameters"),
    )
}

/// Passwords are compared in Unicode normalization form NFKC (NIST SP 800-63B), so the
/// same passphrase typed with precomposed or combining letters (й, ё, ө) is the same.
fn normalized(password: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    password.nfkc().collect()
}

/// Hashes a password with argon2id (PHC string). CPU-heavy: call from a blocking task.
pub fn password_hash(password: &str) -> String {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    argon2().hash_password(normalized(password).as_bytes(), &salt).expect("argon2 hashing").to_string()
}

pub fn password_verify(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => argon2().verify_password(normalized(password).as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

pub(crate) fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn refused() -> ApiError {
    ApiError::new(ErrorCode::Unauthenticated, "wrong login or password").with_reason("login_refused")
}

fn session_over() -> ApiError {
    ApiError::new(ErrorCode::Unauthenticated, "the session has ended; log in again").with_reason("session_ended")
}

impl IdentityService {
    pub async fn migrate(db: &Db) -> anyhow::Result<()> {
        db.migrate(&crate::MIGRATOR_SQLITE, &crate::MIGRATOR_POSTGRES).await
    }

    /// Opens the service: loads (or creates, on first start) the token signing key and
    /// puts its public half in `keys`, the ring this process verifies with.
    pub async fn open(db: Db, keys: KeyRing, relay: OutboxRelay) -> anyhow::Result<Arc<Self>> {
        let mut existing = store::signing_keys(&db).await?;
        if !existing.iter().any(|k| k.3.is_none()) {
            let (kid, secret) = TokenSigner::generate();
            let signer = TokenSigner::new(kid.clone(), secret);
            store::signing_key_insert(&db, &kid, &secret, &signer.public_key(), now_ms()).await?;
            tracing::info!(%kid, "generated a new token signing key");
            existing = store::signing_keys(&db).await?;
        }
        for (kid, _, pk, _) in &existing {
            let pk: [u8; 32] = pk.as_slice().try_into().map_err(|_| anyhow::anyhow!("signing key {kid} is corrupt"))?;
            keys.insert(kid, pk)?;
        }
        let (kid, secret, _, _) = existing.into_iter().find(|k| k.3.is_none()).expect("an active key exists");
        let secret: [u8; 32] =
            secret.as_slice().try_into().map_err(|_| anyhow::anyhow!("signing key {kid} is corrupt"))?;
        let dummy_hash = tokio::task::spawn_blocking(|| password_hash(&random_secret())).await?;
        Ok(Arc::new(Self {
            db,
            auth: Authenticator::new(keys),
            relay,
            signer: TokenSigner::new(kid, secret),
            dummy_hash,
            issuance_wake: tokio::sync::Notify::new(),
            mail_wake: std::sync::Arc::new(tokio::sync::Notify::new()),
        }))
    }

    /// A token for work this process does itself (seeding), valid `seconds`, never handed
    /// out over the API or the portal.
    pub fn system_token(&self, actor: &str, roles: Vec<edu24_shared::auth::RoleGrant>, seconds: i64) -> String {
        let now = now_ms() / 1000;
        self.signer.sign(&edu24_shared::token::Claims {
            iss: edu24_shared::token::ISSUER.into(),
            sub: actor.to_owned(),
            sid: String::new(),
            login: actor.to_owned(),
            name: actor.to_owned(),
            roles,
            mc: false,
            tf: false,
            iat: now,
            exp: now + seconds,
        })
    }

    /// The id of the account with this login, for seeding.
    pub async fn account_id_of(&self, login: &str) -> anyhow::Result<Option<String>> {
        Ok(store::account_by_login(&self.db, login).await?.map(|a| a.id))
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Delivers identity's mail until the process ends.
    pub fn spawn_mail_relay(&self, transport: edu24_shared::mail::MailTransport) -> tokio::task::JoinHandle<()> {
        let relay = edu24_shared::mail::MailRelay::new(self.db.clone(), transport);
        let wake = self.mail_wake.clone();
        let waker = relay.clone();
        tokio::spawn(async move {
            let forward = tokio::spawn(async move {
                loop {
                    wake.notified().await;
                    waker.wake();
                }
            });
            relay.run().await;
            forward.abort();
        })
    }

    pub fn relay(&self) -> &OutboxRelay {
        &self.relay
    }

    /// Creates an account with its roles (seed and, later, administration).
    pub async fn account_create(
        &self,
        actor: &str,
        login: &str,
        display_name: &str,
        password: &str,
        grants: &[RoleGrant],
        must_change_password: bool,
    ) -> ApiResult<String> {
        let ids = self
            .accounts_create(actor, &[NewAccount { login, display_name, password, grants, must_change_password }])
            .await?;
        Ok(ids.into_iter().next().expect("one account created"))
    }

    /// Creates several accounts in one transaction: all of them, or none.
    pub async fn accounts_create(&self, actor: &str, accounts: &[NewAccount<'_>]) -> ApiResult<Vec<String>> {
        let mut prepared: Vec<(String, &NewAccount<'_>, String)> = Vec::with_capacity(accounts.len());
        for a in accounts {
            let login = login_normalize(a.login);
            if login.is_empty() || login.chars().count() > MAX_LOGIN_CHARS {
                return Err(ApiError::invalid("login", format!("login must be 1 to {MAX_LOGIN_CHARS} characters")));
            }
            let n = a.password.chars().count();
            if !(MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&n) {
                return Err(ApiError::invalid(
                    "password",
                    format!("password must be {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters"),
                ));
            }
            if let Some(g) = a.grants.iter().find(|g| !grant_is_well_scoped(g)) {
                return Err(ApiError::invalid("roles", format!("role {} has the wrong scope", g.role.as_str())));
            }
            if store::account_by_login(&self.db, &login).await?.is_some() || prepared.iter().any(|(l, ..)| *l == login)
            {
                return Err(ApiError::new(ErrorCode::AlreadyExists, format!("an account with login {login} exists"))
                    .with_reason("login_taken"));
            }
            let pw = a.password.to_owned();
            let hash =
                tokio::task::spawn_blocking(move || password_hash(&pw)).await.map_err(|_| ApiError::internal())?;
            prepared.push((login, a, hash));
        }
        let now = now_ms();
        let mut ids = Vec::with_capacity(prepared.len());
        let mut tx = self.db.begin_write().await?;
        for (login, a, hash) in prepared {
            let id = new_id();
            store::account_insert(
                &mut tx,
                &AccountRow {
                    id: id.clone(),
                    login: login.clone(),
                    display_name: a.display_name.trim().to_owned(),
                    password_hash: hash,
                    status: "active".into(),
                    must_change_password: a.must_change_password,
                    created_at: now,
                },
                now,
            )
            .await?;
            audit_append(&mut tx, now, actor, "account.created", &id, "", &format!("login={login}")).await?;
            for g in a.grants {
                store::grant_insert(&mut tx, &new_id(), &id, g, actor, now).await?;
                let scope = g.inst.as_deref().unwrap_or("ministry");
                audit_append(
                    &mut tx,
                    now,
                    actor,
                    "role.granted",
                    &id,
                    "",
                    &format!("role={} scope={scope}", g.role.as_str()),
                )
                .await?;
            }
            ids.push(id);
        }
        tx.commit().await?;
        Ok(ids)
    }

    async fn login_failed(&self, keys: &[String], account: Option<&str>, login: &str, client: &str) -> ApiResult<()> {
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        for key in keys {
            let policy = if key.starts_with("ip:") { ADDRESS_THROTTLE } else { ACCOUNT_THROTTLE };
            let failures = store::throttle_hit(&mut tx, key, now, policy.window_ms).await?;
            let until = policy.blocked_until(failures, now);
            if until > 0 {
                store::throttle_block(&mut tx, key, until).await?;
            }
        }
        let subject = account.unwrap_or("");
        audit_append(&mut tx, now, "anonymous", "login.failed", subject, client, &format!("login={login}")).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The deadline by which an account must have a second factor, when its roles need one
    /// and it has none.
    pub(crate) async fn second_factor_due(&self, account: &AccountRow, roles: &[RoleGrant]) -> ApiResult<Option<i64>> {
        if !crate::authority::second_factor_required(roles) {
            return Ok(None);
        }
        let on = matches!(self.totp_of(&account.id).await?, Some((_, true, _)));
        Ok((!on).then_some(account.created_at + SECOND_FACTOR_GRACE_MS))
    }

    fn claims_for(&self, account: &AccountRow, session_id: &str, roles: Vec<RoleGrant>, now_ms: i64) -> Claims {
        let iat = now_ms / 1000;
        Claims {
            iss: ISSUER.into(),
            sub: account.id.clone(),
            sid: session_id.to_owned(),
            login: account.login.clone(),
            name: account.display_name.clone(),
            roles,
            mc: account.must_change_password,
            tf: false,
            iat,
            exp: iat + ACCESS_TOKEN_SECS,
        }
    }
}

#[async_trait]
impl IdentityApi for IdentityService {
    async fn login(&self, _ctx: &CallCtx, req: LoginRequest) -> ApiResult<LoginOutcome> {
        let login = login_normalize(&req.login);
        if login.is_empty()
            || login.chars().count() > MAX_LOGIN_CHARS
            || req.password.chars().count() > MAX_PASSWORD_CHARS
        {
            return Err(refused());
        }
        let client = req.client_address.chars().take(64).collect::<String>();
        let keys = vec![format!("acct:{login}"), format!("ip:{client}")];
        let key_refs: Vec<&str> = keys.iter().map(String::as_str).collect();
        let now = now_ms();
        let blocked_until = store::throttle_blocked_until(&self.db, &key_refs).await?;
        if blocked_until > now {
            let mut e = ApiError::new(ErrorCode::ResourceExhausted, "too many failed logins; wait before trying again")
                .with_reason("login_throttled");
            e.retry_after_secs = Some(((blocked_until - now) as u64).div_ceil(1000));
            return Err(e);
        }
        let account = store::account_by_login(&self.db, &login).await?;
        let phc = account.as_ref().map(|a| a.password_hash.clone()).unwrap_or_else(|| self.dummy_hash.clone());
        let password = req.password.clone();
        let ok = tokio::task::spawn_blocking(move || password_verify(&password, &phc))
            .await
            .map_err(|_| ApiError::internal())?;
        let account = match account {
            Some(a) if ok && a.status == "active" => a,
            other => {
                self.login_failed(&keys, other.as_ref().map(|a| a.id.as_str()), &login, &client).await?;
                return Err(refused());
            }
        };
        let second_factor = matches!(self.totp_of(&account.id).await?, Some((_, true, _)));
        let secret = random_secret();
        let session_id = new_id();
        let now = now_ms();
        let absolute = now + SESSION_ABSOLUTE_MS;
        let mut tx = self.db.begin_write().await?;
        store::throttle_clear(&mut tx, &keys[0]).await?;
        store::session_insert(
            &mut tx,
            &session_id,
            &store::secret_hash(&secret),
            &account.id,
            now,
            absolute,
            &client,
            &req.user_agent.chars().take(300).collect::<String>(),
        )
        .await?;
        let action = if second_factor { "login.second_factor_required" } else { "login.succeeded" };
        if second_factor {
            sqlx::query("UPDATE session SET second_factor_pending = 1 WHERE id = $1")
                .bind(&session_id)
                .execute(tx.conn())
                .await?;
        }
        audit_append(&mut tx, now, &account.id, action, &account.id, &client, &format!("session={session_id}")).await?;
        tx.commit().await?;
        Ok(LoginOutcome {
            session_secret: secret,
            idle_expires_at_ms: (now + SESSION_IDLE_MS).min(absolute),
            absolute_expires_at_ms: absolute,
            must_change_password: account.must_change_password,
            second_factor_required: second_factor,
        })
    }

    async fn logout(&self, ctx: &CallCtx, session_secret: &str) -> ApiResult<()> {
        let Some(session) = store::session_by_secret_hash(&self.db, &store::secret_hash(session_secret)).await? else {
            return Ok(());
        };
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        if store::session_end(&mut tx, &session.id, "logout", now).await? {
            let client = ctx.client_addr.clone().unwrap_or_default();
            audit_append(
                &mut tx,
                now,
                &session.account_id,
                "logout",
                &session.account_id,
                &client,
                &format!("session={}", session.id),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn session_token(&self, _ctx: &CallCtx, session_secret: &str) -> ApiResult<AccessToken> {
        let session = store::session_by_secret_hash(&self.db, &store::secret_hash(session_secret))
            .await?
            .ok_or_else(session_over)?;
        let now = now_ms();
        if session.ended_at.is_some()
            || now >= session.absolute_expires_at
            || now - session.last_seen_at >= SESSION_IDLE_MS
        {
            if session.ended_at.is_none() {
                let mut tx = self.db.begin_write().await?;
                store::session_end(&mut tx, &session.id, "expired", now).await?;
                tx.commit().await?;
            }
            return Err(session_over());
        }
        if session.second_factor_pending {
            return Err(ApiError::new(ErrorCode::Unauthenticated, "enter the code from your authenticator app")
                .with_reason("second_factor_required"));
        }
        let account = store::account_by_id(&self.db, &session.account_id).await?.ok_or_else(session_over)?;
        if account.status != "active" {
            return Err(session_over());
        }
        if now - session.last_seen_at >= SESSION_TOUCH_MS {
            store::session_touch(&self.db, &session.id, now).await?;
        }
        let roles = store::grants_of(&self.db, &account.id).await?;
        let due = self.second_factor_due(&account, &roles).await?;
        let mut claims = self.claims_for(&account, &session.id, roles, now);
        claims.tf = due.is_some_and(|d| now > d);
        let expires_at_ms = (claims.exp * 1000).min(session.absolute_expires_at);
        Ok(AccessToken { token: self.signer.sign(&claims), expires_at_ms })
    }

    async fn me(&self, ctx: &CallCtx) -> ApiResult<Account> {
        let p = self.auth.require_any(ctx).await?;
        let account = store::account_by_id(&self.db, p.account_id()).await?.ok_or_else(ApiError::unauthenticated)?;
        let grants = store::grants_of(&self.db, &account.id).await?;
        let mut roles = Vec::with_capacity(grants.len());
        for g in grants {
            let institution_name = match &g.inst {
                Some(id) => store::institution_name(&self.db, id).await?,
                None => None,
            };
            roles.push(RoleView { role: g.role, institution_id: g.inst, institution_name });
        }
        let second_factor = matches!(self.totp_of(&account.id).await?, Some((_, true, _)));
        let plain: Vec<RoleGrant> =
            roles.iter().map(|r| RoleGrant { role: r.role, inst: r.institution_id.clone() }).collect();
        let second_factor_due_ms = self.second_factor_due(&account, &plain).await?;
        let email = self.email_of(&account.id).await?;
        Ok(Account {
            id: account.id,
            login: account.login,
            display_name: account.display_name,
            roles,
            must_change_password: account.must_change_password,
            created_at_ms: account.created_at,
            second_factor,
            second_factor_due_ms,
            email_verified: email.as_ref().is_some_and(|e| e.1),
            email: email.map(|e| e.0),
        })
    }

    async fn password_change(&self, ctx: &CallCtx, current: &str, new: &str) -> ApiResult<()> {
        IdentityService::password_change(self, ctx, current, new).await
    }
    async fn sessions_list(&self, ctx: &CallCtx, account_id: Option<&str>) -> ApiResult<Vec<crate::SessionView>> {
        IdentityService::sessions_list(self, ctx, account_id).await
    }
    async fn session_end(&self, ctx: &CallCtx, session_id: &str) -> ApiResult<()> {
        IdentityService::session_end(self, ctx, session_id).await
    }
    async fn my_access_log(&self, ctx: &CallCtx, limit: i64) -> ApiResult<Vec<crate::AccessLogEntry>> {
        IdentityService::my_access_log(self, ctx, limit).await
    }
    async fn account_search(&self, ctx: &CallCtx, text: &str) -> ApiResult<Vec<crate::AccountSummary>> {
        IdentityService::account_search(self, ctx, text).await
    }
    async fn account_get(&self, ctx: &CallCtx, account_id: &str) -> ApiResult<crate::AccountDetail> {
        IdentityService::account_get(self, ctx, account_id).await
    }
    async fn role_change(
        &self,
        ctx: &CallCtx,
        account_id: &str,
        role: RoleGrant,
        grant: bool,
        reason: &str,
    ) -> ApiResult<()> {
        IdentityService::role_change(self, ctx, account_id, role, grant, reason).await
    }
    async fn account_set_disabled(
        &self,
        ctx: &CallCtx,
        account_id: &str,
        disabled: bool,
        reason: &str,
    ) -> ApiResult<()> {
        IdentityService::account_set_disabled(self, ctx, account_id, disabled, reason).await
    }
    async fn sessions_end_all(&self, ctx: &CallCtx, account_id: &str, reason: &str) -> ApiResult<u64> {
        IdentityService::sessions_end_all(self, ctx, account_id, reason).await
    }
    async fn password_reissue_card(
        &self,
        ctx: &CallCtx,
        account_id: &str,
        reason: &str,
    ) -> ApiResult<crate::DocumentFile> {
        IdentityService::password_reissue_card(self, ctx, account_id, reason).await
    }

    async fn roster_upload(
        &self,
        ctx: &CallCtx,
        institution_id: &str,
        file_name: &str,
        content: &[u8],
    ) -> ApiResult<crate::UploadPreview> {
        IdentityService::roster_upload(self, ctx, institution_id, file_name, content).await
    }
    async fn issuance_start(&self, ctx: &CallCtx, upload_id: &str) -> ApiResult<crate::JobView> {
        IdentityService::issuance_start(self, ctx, upload_id).await
    }
    async fn issuance_get(&self, ctx: &CallCtx, job_id: &str) -> ApiResult<crate::JobView> {
        IdentityService::issuance_get(self, ctx, job_id).await
    }
    async fn issuance_list(&self, ctx: &CallCtx) -> ApiResult<Vec<crate::JobView>> {
        IdentityService::issuance_list(self, ctx).await
    }
    async fn issuance_cards(&self, ctx: &CallCtx, job_id: &str) -> ApiResult<crate::DocumentFile> {
        IdentityService::issuance_cards(self, ctx, job_id).await
    }
    async fn issuance_close(&self, ctx: &CallCtx, job_id: &str) -> ApiResult<crate::JobView> {
        IdentityService::issuance_close(self, ctx, job_id).await
    }

    async fn totp_begin(&self, ctx: &CallCtx) -> ApiResult<crate::TotpSetup> {
        IdentityService::totp_begin(self, ctx).await
    }
    async fn totp_enable(&self, ctx: &CallCtx, code: &str) -> ApiResult<Vec<String>> {
        IdentityService::totp_enable(self, ctx, code).await
    }
    async fn totp_disable(&self, ctx: &CallCtx, code: &str) -> ApiResult<()> {
        IdentityService::totp_disable(self, ctx, code).await
    }
    async fn session_second_factor(&self, ctx: &CallCtx, session_secret: &str, code: &str) -> ApiResult<()> {
        IdentityService::session_second_factor(self, ctx, session_secret, code).await
    }

    async fn access_request_submit(&self, ctx: &CallCtx, input: crate::AccessRequestInput) -> ApiResult<String> {
        IdentityService::access_request_submit(self, ctx, input).await
    }
    async fn access_requests_pending(&self, ctx: &CallCtx) -> ApiResult<Vec<crate::AccessRequestView>> {
        IdentityService::access_requests_pending(self, ctx).await
    }
    async fn access_request_decide(
        &self,
        ctx: &CallCtx,
        id: &str,
        approve: bool,
        reason: &str,
    ) -> ApiResult<Option<crate::DocumentFile>> {
        IdentityService::access_request_decide(self, ctx, id, approve, reason).await
    }

    async fn account_issue(
        &self,
        ctx: &CallCtx,
        login: &str,
        display_name: &str,
        role: RoleGrant,
        reason: &str,
    ) -> ApiResult<crate::DocumentFile> {
        IdentityService::account_issue(self, ctx, login, display_name, role, reason).await
    }

    async fn register(&self, ctx: &CallCtx, input: crate::RegistrationInput) -> ApiResult<String> {
        IdentityService::register(self, ctx, input).await
    }
    async fn employer_requests_pending(&self, ctx: &CallCtx) -> ApiResult<Vec<crate::EmployerRequestView>> {
        IdentityService::employer_requests_pending(self, ctx).await
    }
    async fn employer_request_decide(
        &self,
        ctx: &CallCtx,
        account_id: &str,
        verify: bool,
        reason: &str,
    ) -> ApiResult<()> {
        IdentityService::employer_request_decide(self, ctx, account_id, verify, reason).await
    }
    async fn employer_request_state(&self, ctx: &CallCtx) -> ApiResult<Option<String>> {
        IdentityService::employer_request_state(self, ctx).await
    }

    async fn email_set(&self, ctx: &CallCtx, email: &str) -> ApiResult<()> {
        IdentityService::email_set(self, ctx, email).await
    }
    async fn email_verify(&self, ctx: &CallCtx, token: &str) -> ApiResult<()> {
        IdentityService::email_verify(self, ctx, token).await
    }
    async fn reset_request(&self, ctx: &CallCtx, login: &str) -> ApiResult<()> {
        IdentityService::reset_request(self, ctx, login).await
    }
    async fn reset_complete(&self, ctx: &CallCtx, token: &str, new_password: &str) -> ApiResult<()> {
        IdentityService::reset_complete(self, ctx, token, new_password).await
    }

    async fn verification_keys(&self) -> ApiResult<Vec<(String, [u8; 32])>> {
        let keys = store::signing_keys(&self.db).await?;
        Ok(keys
            .into_iter()
            .filter_map(|(kid, _, pk, _)| pk.as_slice().try_into().ok().map(|pk: [u8; 32]| (kid, pk)))
            .collect())
    }
}

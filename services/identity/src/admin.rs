//! Account administration and one's own security: password change, sessions, search,
//! roles, disabling, re-issuing a one-time password. Every method checks the caller's
//! authority ([`crate::authority`]) and writes an audit record in the same transaction
//! as its change. An account the caller may not administer answers as if it did not
//! exist.

use edu24_shared::auth::{CallCtx, Principal, RoleGrant};
use edu24_shared::error::{ApiError, ApiResult};
use edu24_shared::time::{new_id, now_ms};
use serde::{Deserialize, Serialize};

use crate::app::{IdentityService, password_hash, password_verify};
use crate::audit::audit_append;
use crate::authority::{may_administer, may_assign, search_scope};
use crate::domain::{Localized, RoleView, SESSION_IDLE_MS};
use crate::password::{self, PasswordProblem};
use crate::store::{self, AccountRow};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub id: String,
    pub created_at_ms: i64,
    pub last_seen_at_ms: i64,
    pub client_address: String,
    pub user_agent: String,
    /// The session this request comes from.
    pub current: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    pub id: String,
    pub login: String,
    pub display_name: String,
    pub disabled: bool,
    pub roles: Vec<RoleView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountDetail {
    pub summary: AccountSummary,
    pub must_change_password: bool,
    pub created_at_ms: i64,
    pub sessions: Vec<SessionView>,
    /// Student ticket, programme and year, when the account came from a roster.
    pub ticket_no: Option<String>,
    pub programme: Option<String>,
    pub study_year: Option<i64>,
}

/// One entry of the log a person sees of their own account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessLogEntry {
    pub seq: i64,
    pub at_ms: i64,
    /// Who: a login and name, or the system.
    pub actor: String,
    pub action: String,
    pub client_address: String,
    pub detail: String,
}

/// A generated document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentFile {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// A one-time password, shown once on a printed card and never again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneTimeCredential {
    pub account_id: String,
    pub login: String,
    pub display_name: String,
    pub password: String,
    pub institution: Option<Localized>,
}

/// A reason is required for every administrative change, and kept in the audit log.
fn reason_checked(reason: &str) -> ApiResult<String> {
    let r = reason.trim();
    if r.is_empty() {
        return Err(ApiError::invalid("reason", "say why (it is kept in the audit log)"));
    }
    if r.chars().count() > 500 {
        return Err(ApiError::invalid("reason", "the reason must have at most 500 characters"));
    }
    Ok(r.to_owned())
}

fn password_error(p: PasswordProblem) -> ApiError {
    ApiError::invalid("new_password", p.english()).with_reason(p.reason())
}

/// A readable one-time password: four groups of four from an alphabet without look-alikes
/// (about 79 bits).
pub fn one_time_password(random: &[u8; 16]) -> String {
    const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
    let mut out = String::with_capacity(19);
    for (i, b) in random.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        out.push(ALPHABET[*b as usize % ALPHABET.len()] as char);
    }
    out
}

fn client(ctx: &CallCtx) -> String {
    ctx.client_addr.clone().unwrap_or_default()
}

impl IdentityService {
    async fn views(&self, grants: Vec<RoleGrant>) -> ApiResult<Vec<RoleView>> {
        let mut out = Vec::with_capacity(grants.len());
        for g in grants {
            let institution_name = match &g.inst {
                Some(id) => store::institution_name(&self.db, id).await?,
                None => None,
            };
            out.push(RoleView { role: g.role, institution_id: g.inst, institution_name });
        }
        Ok(out)
    }

    /// The account `id` if `p` may administer it; otherwise "not found".
    async fn administrable(&self, p: &Principal, id: &str) -> ApiResult<(AccountRow, Vec<RoleGrant>)> {
        let account = store::account_by_id(&self.db, id).await?.ok_or_else(|| ApiError::not_found("account"))?;
        let grants = store::grants_of(&self.db, id).await?;
        if account.id == p.account_id() || !may_administer(&p.claims.roles, &grants) {
            return Err(ApiError::not_found("account"));
        }
        Ok((account, grants))
    }

    fn session_views(sessions: Vec<store::SessionInfo>, current: &str) -> Vec<SessionView> {
        sessions
            .into_iter()
            .map(|s| SessionView {
                current: s.id == current,
                id: s.id,
                created_at_ms: s.created_at,
                last_seen_at_ms: s.last_seen_at,
                client_address: s.client_address,
                user_agent: s.user_agent,
            })
            .collect()
    }

    /// Changes the caller's own password. Ends every other session of the account.
    pub async fn password_change(&self, ctx: &CallCtx, current: &str, new: &str) -> ApiResult<()> {
        let p = self.auth.require_any(ctx).await?;
        let account = store::account_by_id(&self.db, p.account_id()).await?.ok_or_else(ApiError::unauthenticated)?;
        let (cur, phc) = (current.to_owned(), account.password_hash.clone());
        if !tokio::task::spawn_blocking(move || password_verify(&cur, &phc)).await.map_err(|_| ApiError::internal())? {
            return Err(ApiError::invalid("current_password", "the current password is wrong")
                .with_reason("current_password_wrong"));
        }
        if new == current {
            return Err(password_error(PasswordProblem::SameAsBefore));
        }
        let second_factor = matches!(self.totp_of(&account.id).await?, Some((_, true, _)));
        password::check(new, &account.login, &account.display_name, second_factor).map_err(password_error)?;
        let pw = new.to_owned();
        let hash = tokio::task::spawn_blocking(move || password_hash(&pw)).await.map_err(|_| ApiError::internal())?;
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        store::account_password_set(&mut tx, &account.id, &hash, false, now).await?;
        let ended = store::sessions_end_all(&mut tx, &account.id, Some(&p.claims.sid), "password_changed", now).await?;
        audit_append(
            &mut tx,
            now,
            &account.id,
            "password.changed",
            &account.id,
            &client(ctx),
            &format!("other_sessions_ended={ended}"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Live sessions of the caller (`None`) or of an account the caller administers.
    pub async fn sessions_list(&self, ctx: &CallCtx, account_id: Option<&str>) -> ApiResult<Vec<SessionView>> {
        let p = self.auth.require_any(ctx).await?;
        let id = match account_id {
            None => p.account_id().to_owned(),
            Some(id) if id == p.account_id() => id.to_owned(),
            Some(id) => self.administrable(&p, id).await?.0.id,
        };
        let sessions = store::sessions_live(&self.db, &id, now_ms(), SESSION_IDLE_MS).await?;
        Ok(Self::session_views(sessions, &p.claims.sid))
    }

    /// Ends one session: one's own, or one of an account the caller administers.
    pub async fn session_end(&self, ctx: &CallCtx, session_id: &str) -> ApiResult<()> {
        let p = self.auth.require_any(ctx).await?;
        let owner = store::session_owner(&self.db, session_id).await?.ok_or_else(|| ApiError::not_found("session"))?;
        if owner != p.account_id() {
            self.administrable(&p, &owner).await.map_err(|_| ApiError::not_found("session"))?;
        }
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        if store::session_end(&mut tx, session_id, "ended_by_user", now).await? {
            audit_append(
                &mut tx,
                now,
                p.account_id(),
                "session.ended",
                &owner,
                &client(ctx),
                &format!("session={session_id}"),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Accounts the caller may administer whose login, name, PIN or ticket matches.
    pub async fn account_search(&self, ctx: &CallCtx, text: &str) -> ApiResult<Vec<AccountSummary>> {
        let p = self.auth.require(ctx).await?;
        let text = text.trim();
        if text.chars().count() < 2 || text.chars().count() > 100 {
            return Err(ApiError::invalid("q", "type 2 to 100 characters of a name, login, PIN or ticket number"));
        }
        let scope = search_scope(&p.claims.roles);
        if scope.as_ref().is_some_and(Vec::is_empty) {
            return Err(ApiError::forbidden());
        }
        let found = store::accounts_find(&self.db, text, scope.as_deref(), 200).await?;
        let mut out = Vec::new();
        for a in found {
            let grants = store::grants_of(&self.db, &a.id).await?;
            if a.id != p.account_id() && may_administer(&p.claims.roles, &grants) {
                out.push(AccountSummary {
                    id: a.id,
                    login: a.login,
                    display_name: a.display_name,
                    disabled: a.status != "active",
                    roles: self.views(grants).await?,
                });
                if out.len() == 50 {
                    break;
                }
            }
        }
        Ok(out)
    }

    /// One account, for its administrator. The view is recorded, so the person can see
    /// who looked at their account.
    pub async fn account_get(&self, ctx: &CallCtx, id: &str) -> ApiResult<AccountDetail> {
        let p = self.auth.require(ctx).await?;
        let (a, grants) = self.administrable(&p, id).await?;
        let sessions = store::sessions_live(&self.db, &a.id, now_ms(), SESSION_IDLE_MS).await?;
        let roster = store::roster_entry_of(&self.db, &a.id).await?;
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        audit_append(&mut tx, now, p.account_id(), "account.viewed", &a.id, &client(ctx), "").await?;
        tx.commit().await?;
        Ok(AccountDetail {
            summary: AccountSummary {
                id: a.id.clone(),
                login: a.login.clone(),
                display_name: a.display_name.clone(),
                disabled: a.status != "active",
                roles: self.views(grants).await?,
            },
            must_change_password: a.must_change_password,
            created_at_ms: a.created_at,
            sessions: Self::session_views(sessions, ""),
            ticket_no: roster.as_ref().map(|r| r.ticket_no.clone()),
            programme: roster.as_ref().map(|r| r.programme.clone()),
            study_year: roster.map(|r| r.study_year),
        })
    }

    /// Grants (`grant`) or removes a role, with a reason.
    pub async fn role_change(
        &self,
        ctx: &CallCtx,
        account_id: &str,
        role: RoleGrant,
        grant: bool,
        reason: &str,
    ) -> ApiResult<()> {
        let p = self.auth.require(ctx).await?;
        let reason = reason_checked(reason)?;
        let (a, _) = self.administrable(&p, account_id).await?;
        if !crate::domain::grant_is_well_scoped(&role) {
            return Err(ApiError::invalid("role", format!("role {} has the wrong scope", role.role.as_str())));
        }
        if !may_assign(&p.claims.roles, role.role, role.inst.as_deref()) {
            return Err(ApiError::forbidden());
        }
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        let changed = if grant {
            store::grant_insert(&mut tx, &new_id(), &a.id, &role, p.account_id(), now).await?;
            true
        } else {
            store::grant_delete(&mut tx, &a.id, &role).await?
        };
        if !changed {
            return Err(ApiError::not_found("role"));
        }
        let scope = role.inst.as_deref().unwrap_or("ministry");
        let action = if grant { "role.granted" } else { "role.removed" };
        audit_append(
            &mut tx,
            now,
            p.account_id(),
            action,
            &a.id,
            &client(ctx),
            &format!("role={} scope={scope} reason={reason}", role.role.as_str()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Disables (ending every session) or enables an account, with a reason.
    pub async fn account_set_disabled(
        &self,
        ctx: &CallCtx,
        account_id: &str,
        disabled: bool,
        reason: &str,
    ) -> ApiResult<()> {
        let p = self.auth.require(ctx).await?;
        let reason = reason_checked(reason)?;
        let (a, _) = self.administrable(&p, account_id).await?;
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        store::account_status_set(&mut tx, &a.id, if disabled { "disabled" } else { "active" }, now).await?;
        let ended =
            if disabled { store::sessions_end_all(&mut tx, &a.id, None, "account_disabled", now).await? } else { 0 };
        let action = if disabled { "account.disabled" } else { "account.enabled" };
        audit_append(
            &mut tx,
            now,
            p.account_id(),
            action,
            &a.id,
            &client(ctx),
            &format!("sessions_ended={ended} reason={reason}"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Ends every session of an account the caller administers.
    pub async fn sessions_end_all(&self, ctx: &CallCtx, account_id: &str, reason: &str) -> ApiResult<u64> {
        let p = self.auth.require(ctx).await?;
        let reason = reason_checked(reason)?;
        let (a, _) = self.administrable(&p, account_id).await?;
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        let ended = store::sessions_end_all(&mut tx, &a.id, None, "ended_by_administrator", now).await?;
        audit_append(
            &mut tx,
            now,
            p.account_id(),
            "sessions.ended",
            &a.id,
            &client(ctx),
            &format!("count={ended} reason={reason}"),
        )
        .await?;
        tx.commit().await?;
        Ok(ended)
    }

    /// Re-issues a one-time password for a card: the old password stops working at once,
    /// every session ends, the holder must choose a new password at the next login.
    pub async fn password_reissue(
        &self,
        ctx: &CallCtx,
        account_id: &str,
        reason: &str,
    ) -> ApiResult<OneTimeCredential> {
        let p = self.auth.require(ctx).await?;
        let reason = reason_checked(reason)?;
        let (a, grants) = self.administrable(&p, account_id).await?;
        let mut random = [0u8; 16];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut random);
        let password = one_time_password(&random);
        let pw = password.clone();
        let hash = tokio::task::spawn_blocking(move || password_hash(&pw)).await.map_err(|_| ApiError::internal())?;
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        store::account_password_set(&mut tx, &a.id, &hash, true, now).await?;
        let ended = store::sessions_end_all(&mut tx, &a.id, None, "password_reissued", now).await?;
        audit_append(
            &mut tx,
            now,
            p.account_id(),
            "password.reissued",
            &a.id,
            &client(ctx),
            &format!("sessions_ended={ended} reason={reason}"),
        )
        .await?;
        tx.commit().await?;
        let institution = match grants.iter().find_map(|g| g.inst.clone()) {
            Some(id) => store::institution_name(&self.db, &id).await?,
            None => None,
        };
        Ok(OneTimeCredential { account_id: a.id, login: a.login, display_name: a.display_name, password, institution })
    }

    /// Who looked at or changed the caller's account, newest first (the data tracker).
    pub async fn my_access_log(&self, ctx: &CallCtx, limit: i64) -> ApiResult<Vec<AccessLogEntry>> {
        let p = self.auth.require_any(ctx).await?;
        let records = crate::audit::audit_records(&self.db, Some(p.account_id()), limit.clamp(1, 500)).await?;
        let mut names: std::collections::HashMap<String, String> = std::collections::HashMap::new();
        let mut out = Vec::new();
        for r in records.into_iter().filter(|r| r.subject == p.account_id()) {
            let actor = match names.get(&r.actor) {
                Some(n) => n.clone(),
                None => {
                    let n = match store::account_by_id(&self.db, &r.actor).await? {
                        Some(a) => format!("{} ({})", a.display_name, a.login),
                        None => r.actor.clone(),
                    };
                    names.insert(r.actor.clone(), n.clone());
                    n
                }
            };
            out.push(AccessLogEntry {
                seq: r.seq,
                at_ms: r.at,
                actor,
                action: r.action,
                client_address: r.client_address,
                detail: r.detail,
            });
        }
        Ok(out)
    }

    /// Creates an account with one role (a member of staff appointed by the caller, or a
    /// student) and returns its password card. The caller must be allowed to assign the
    /// role in its scope.
    pub async fn account_issue(
        &self,
        ctx: &CallCtx,
        login: &str,
        display_name: &str,
        role: RoleGrant,
        reason: &str,
    ) -> ApiResult<DocumentFile> {
        let p = self.auth.require(ctx).await?;
        let reason = reason_checked(reason)?;
        let login = crate::domain::login_normalize(login);
        if !(3..=64).contains(&login.len())
            || !login.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_'))
        {
            return Err(ApiError::invalid(
                "login",
                "a login has 3 to 64 Latin letters, digits, dots, hyphens or underscores",
            ));
        }
        let name = display_name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(ApiError::invalid("display_name", "write the person's full name"));
        }
        if !crate::domain::grant_is_well_scoped(&role) {
            return Err(ApiError::invalid("role", format!("role {} has the wrong scope", role.role.as_str())));
        }
        if !crate::authority::may_assign(&p.claims.roles, role.role, role.inst.as_deref()) {
            return Err(ApiError::forbidden());
        }
        if store::account_by_login(&self.db, &login).await?.is_some() {
            return Err(ApiError::new(
                edu24_shared::error::ErrorCode::AlreadyExists,
                "an account with this login exists",
            )
            .with_reason("login_taken"));
        }
        let mut random = [0u8; 16];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut random);
        let password = one_time_password(&random);
        let pw = password.clone();
        let hash = tokio::task::spawn_blocking(move || password_hash(&pw)).await.map_err(|_| ApiError::internal())?;
        let now = now_ms();
        let id = new_id();
        let mut tx = self.db.begin_write().await?;
        store::account_insert(
            &mut tx,
            &AccountRow {
                id: id.clone(),
                login: login.clone(),
                display_name: name.to_owned(),
                password_hash: hash,
                status: "active".into(),
                must_change_password: true,
                created_at: now,
            },
            now,
        )
        .await?;
        store::grant_insert(&mut tx, &new_id(), &id, &role, p.account_id(), now).await?;
        let scope = role.inst.as_deref().unwrap_or("ministry");
        audit_append(
            &mut tx,
            now,
            p.account_id(),
            "account.issued",
            &id,
            &client(ctx),
            &format!("login={login} role={} scope={scope} reason={reason}", role.role.as_str()),
        )
        .await?;
        tx.commit().await?;
        let institution = match &role.inst {
            Some(i) => store::institution_name(&self.db, i).await?,
            None => None,
        };
        let card = crate::cards::Card { login: login.clone(), display_name: name.to_owned(), password, institution };
        let portal = edu24_shared::config::env_or("EDU24_PUBLIC_URL", "http://127.0.0.1:8080");
        let bytes = tokio::task::spawn_blocking(move || crate::cards::cards_pdf(&[card], &portal, "EDU24"))
            .await
            .map_err(|_| ApiError::internal())?;
        Ok(DocumentFile { file_name: format!("edu24-card-{login}.pdf"), bytes })
    }

    /// Re-issues a one-time password and returns its printable card.
    pub async fn password_reissue_card(
        &self,
        ctx: &CallCtx,
        account_id: &str,
        reason: &str,
    ) -> ApiResult<DocumentFile> {
        let c = self.password_reissue(ctx, account_id, reason).await?;
        let card = crate::cards::Card {
            login: c.login.clone(),
            display_name: c.display_name,
            password: c.password,
            institution: c.institution,
        };
        let portal = edu24_shared::config::env_or("EDU24_PUBLIC_URL", "http://127.0.0.1:8080");
        let bytes = tokio::task::spawn_blocking(move || crate::cards::cards_pdf(&[card], &portal, "EDU24"))
            .await
            .map_err(|_| ApiError::internal())?;
        Ok(DocumentFile { file_name: format!("edu24-card-{}.pdf", c.login), bytes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_time_passwords_are_readable_and_unambiguous() {
        let p = one_time_password(&[0, 1, 2, 3, 30, 31, 32, 33, 200, 201, 202, 203, 255, 254, 253, 252]);
        assert_eq!(p.len(), 19);
        assert_eq!(p.matches('-').count(), 3);
        assert!(!p.contains(['0', 'o', '1', 'l', 'i']));
    }
}

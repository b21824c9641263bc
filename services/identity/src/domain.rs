//! Identity domain: accounts, roles, sessions and the rules of logging in. No I/O.

use edu24_shared::auth::{Role, RoleGrant};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Sessions end after this long without a request.
pub const SESSION_IDLE_MS: i64 = 30 * 60 * 1000;
/// Sessions end this long after login, whatever the activity.
pub const SESSION_ABSOLUTE_MS: i64 = 12 * 60 * 60 * 1000;
/// Access tokens live this long; the gateway exchanges the session for a fresh one.
pub const ACCESS_TOKEN_SECS: i64 = 5 * 60;
/// Staff whose roles need a second factor may work this long without one (from the
/// account's creation), so that everyone can set it up; after that only set-up is allowed.
pub const SECOND_FACTOR_GRACE_MS: i64 = 14 * 24 * 60 * 60 * 1000;
/// `last_seen_at` is written at most this often per session.
pub const SESSION_TOUCH_MS: i64 = 60 * 1000;

/// Argon2id parameters: OWASP Password Storage Cheat Sheet (m = 19 MiB, t = 2, p = 1).
pub const ARGON2_M_KIB: u32 = 19 * 1024;
pub const ARGON2_T: u32 = 2;
pub const ARGON2_P: u32 = 1;

pub const MIN_PASSWORD_CHARS: usize = 8;
pub const MAX_PASSWORD_CHARS: usize = 128;
pub const MAX_LOGIN_CHARS: usize = 64;

pub use edu24_shared::names::Localized;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RoleView {
    #[schema(value_type = String)]
    pub role: Role,
    /// `None` for the ministry and personal roles.
    pub institution_id: Option<String>,
    /// Names of the scope institution, when known.
    pub institution_name: Option<Localized>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Account {
    pub id: String,
    pub login: String,
    pub display_name: String,
    pub roles: Vec<RoleView>,
    pub must_change_password: bool,
    pub created_at_ms: i64,
    /// The account has a second factor (TOTP) on.
    pub second_factor: bool,
    /// When the roles need a second factor that is not on: the deadline (epoch ms); past
    /// it, only setting one up is allowed.
    pub second_factor_due_ms: Option<i64>,
    /// The address for password reset, and whether it is confirmed.
    pub email: Option<String>,
    pub email_verified: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginRequest {
    pub login: String,
    pub password: String,
    pub client_address: String,
    pub user_agent: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginOutcome {
    /// The opaque session secret: the browser keeps it in an HttpOnly cookie.
    pub session_secret: String,
    pub idle_expires_at_ms: i64,
    pub absolute_expires_at_ms: i64,
    pub must_change_password: bool,
    /// The session waits for a code from the authenticator app.
    pub second_factor_required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessToken {
    pub token: String,
    pub expires_at_ms: i64,
}

/// Logins are case-insensitive and trimmed.
pub fn login_normalize(login: &str) -> String {
    login.trim().to_lowercase()
}

/// A grant is well-formed when its scope fits the role.
pub fn grant_is_well_scoped(g: &RoleGrant) -> bool {
    use edu24_shared::auth::ScopeKind;
    match g.role.scope_kind() {
        ScopeKind::Ministry | ScopeKind::Personal => g.inst.is_none(),
        ScopeKind::Institution => g.inst.as_deref().is_some_and(|i| !i.is_empty()),
    }
}

/// Login throttling: after `free` failures inside the window, each further failure
/// blocks the key for a doubling time, capped, so an attacker is slowed to a crawl
/// while the real owner is never locked out for longer than the cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    pub free: i64,
    pub window_ms: i64,
    pub base_block_ms: i64,
    pub max_block_ms: i64,
}

pub const ACCOUNT_THROTTLE: ThrottlePolicy =
    ThrottlePolicy { free: 5, window_ms: 15 * 60 * 1000, base_block_ms: 30 * 1000, max_block_ms: 15 * 60 * 1000 };
pub const ADDRESS_THROTTLE: ThrottlePolicy =
    ThrottlePolicy { free: 30, window_ms: 15 * 60 * 1000, base_block_ms: 10 * 1000, max_block_ms: 15 * 60 * 1000 };

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ThrottleState {
    pub failures: i64,
    pub window_started_at: i64,
    pub blocked_until: i64,
}

impl ThrottlePolicy {
    /// Until when a key is blocked after its `failures`-th failure in the window, at
    /// `now`; 0 when it is not blocked.
    pub fn blocked_until(&self, failures: i64, now: i64) -> i64 {
        if failures > self.free {
            let exp = (failures - self.free - 1).min(20) as u32;
            now + (self.base_block_ms.saturating_mul(1i64 << exp)).min(self.max_block_ms)
        } else {
            0
        }
    }

    /// The state after one more failure at `now` (the database does the same count
    /// atomically; this is its specification).
    pub fn after_failure(&self, s: ThrottleState, now: i64) -> ThrottleState {
        let (failures, window_started_at) =
            if now - s.window_started_at > self.window_ms { (1, now) } else { (s.failures + 1, s.window_started_at) };
        ThrottleState { failures, window_started_at, blocked_until: self.blocked_until(failures, now) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttle_lets_a_few_mistakes_pass_then_doubles_up_to_the_cap() {
        let p = ACCOUNT_THROTTLE;
        let mut s = ThrottleState::default();
        let now = 10_000_000;
        for _ in 0..5 {
            s = p.after_failure(s, now);
            assert_eq!(s.blocked_until, 0);
        }
        s = p.after_failure(s, now);
        assert_eq!(s.blocked_until, now + 30_000);
        s = p.after_failure(s, now);
        assert_eq!(s.blocked_until, now + 60_000);
        for _ in 0..30 {
            s = p.after_failure(s, now);
        }
        assert_eq!(s.blocked_until, now + p.max_block_ms);
    }

    #[test]
    fn throttle_window_expires() {
        let p = ACCOUNT_THROTTLE;
        let mut s = ThrottleState::default();
        for _ in 0..8 {
            s = p.after_failure(s, 1_000);
        }
        assert!(s.blocked_until > 0);
        let later = 1_000 + p.window_ms + 1;
        let s = p.after_failure(s, later);
        assert_eq!((s.failures, s.blocked_until), (1, 0));
    }

    #[test]
    fn scopes_must_fit_roles() {
        assert!(grant_is_well_scoped(&RoleGrant { role: Role::MinistryAdmin, inst: None }));
        assert!(!grant_is_well_scoped(&RoleGrant { role: Role::MinistryAdmin, inst: Some("x".into()) }));
        assert!(grant_is_well_scoped(&RoleGrant { role: Role::Registrar, inst: Some("x".into()) }));
        assert!(!grant_is_well_scoped(&RoleGrant { role: Role::Registrar, inst: None }));
        assert!(!grant_is_well_scoped(&RoleGrant { role: Role::Employer, inst: Some("x".into()) }));
    }

    #[test]
    fn logins_fold_case_and_space() {
        assert_eq!(login_normalize("  KNU.Registrar "), "knu.registrar");
    }
}

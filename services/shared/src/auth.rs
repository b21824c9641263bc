//! Roles, their scope, and the caller of a service method.
//!
//! Every service authorizes every method itself from the token it verifies: the
//! gateway's checks are a convenience, never the protection.

use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::token::{Claims, KeyRing};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    MinistryAdmin,
    MinistryAnalyst,
    InstitutionAdmin,
    Registrar,
    Teacher,
    Student,
    Graduate,
    Employer,
    Applicant,
}

impl Role {
    pub const ALL: [Role; 9] = [
        Role::MinistryAdmin,
        Role::MinistryAnalyst,
        Role::InstitutionAdmin,
        Role::Registrar,
        Role::Teacher,
        Role::Student,
        Role::Graduate,
        Role::Employer,
        Role::Applicant,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::MinistryAdmin => "ministry_admin",
            Role::MinistryAnalyst => "ministry_analyst",
            Role::InstitutionAdmin => "institution_admin",
            Role::Registrar => "registrar",
            Role::Teacher => "teacher",
            Role::Student => "student",
            Role::Graduate => "graduate",
            Role::Employer => "employer",
            Role::Applicant => "applicant",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Ministry roles are held for the whole ministry; institution roles for one
    /// institution; the others (employer, applicant) have no institution.
    pub fn scope_kind(self) -> ScopeKind {
        match self {
            Role::MinistryAdmin | Role::MinistryAnalyst => ScopeKind::Ministry,
            Role::InstitutionAdmin | Role::Registrar | Role::Teacher | Role::Student | Role::Graduate => {
                ScopeKind::Institution
            }
            Role::Employer | Role::Applicant => ScopeKind::Personal,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    Ministry,
    Institution,
    Personal,
}

/// A role held by an account, with its scope: `institution_id` is `None` for the
/// ministry and for personal roles.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RoleGrant {
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inst: Option<String>,
}

/// What a caller passes with every service call.
#[derive(Debug, Clone, Default)]
pub struct CallCtx {
    /// The access token, when the caller is logged in.
    pub token: Option<String>,
    /// W3C trace context of the caller.
    pub traceparent: Option<String>,
    /// The end user's address as seen by the gateway, for throttling and audit.
    pub client_addr: Option<String>,
}

impl CallCtx {
    pub fn anonymous() -> Self {
        Self::default()
    }
    pub fn with_token(token: impl Into<String>) -> Self {
        Self { token: Some(token.into()), ..Self::default() }
    }
}

/// A verified caller.
#[derive(Debug, Clone)]
pub struct Principal {
    pub claims: Claims,
}

impl Principal {
    pub fn account_id(&self) -> &str {
        &self.claims.sub
    }
    pub fn has_role(&self, role: Role) -> bool {
        self.claims.roles.iter().any(|g| g.role == role)
    }
    /// True when the caller holds `role` for the whole ministry or for `institution_id`.
    pub fn has_role_for(&self, role: Role, institution_id: &str) -> bool {
        self.claims
            .roles
            .iter()
            .any(|g| g.role == role && (g.inst.is_none() || g.inst.as_deref() == Some(institution_id)))
    }
    pub fn is_ministry_admin(&self) -> bool {
        self.has_role(Role::MinistryAdmin)
    }
    /// The actor recorded in events and audit.
    pub fn actor(&self) -> String {
        self.claims.sub.clone()
    }
}

/// Verifies the token of a call. Shared by every service.
#[derive(Clone)]
pub struct Authenticator {
    keys: KeyRing,
}

impl Authenticator {
    pub fn new(keys: KeyRing) -> Self {
        Self { keys }
    }

    pub fn keys(&self) -> &KeyRing {
        &self.keys
    }

    /// The caller, or `None` for an anonymous call. A present but invalid or expired
    /// token is an error, never silently anonymous.
    pub async fn principal(&self, ctx: &CallCtx) -> Result<Option<Principal>, ApiError> {
        match &ctx.token {
            None => Ok(None),
            Some(token) => {
                let claims = self.keys.verify(token).await.map_err(|e| {
                    tracing::debug!(error = %e, "access token refused");
                    ApiError::unauthenticated().with_reason("token_invalid")
                })?;
                Ok(Some(Principal { claims }))
            }
        }
    }

    /// The caller, who must be logged in and have replaced a one-time password.
    pub async fn require(&self, ctx: &CallCtx) -> Result<Principal, ApiError> {
        let p = self.require_any(ctx).await?;
        if p.claims.mc {
            return Err(ApiError::new(crate::error::ErrorCode::PermissionDenied, "change the one-time password first")
                .with_reason("password_change_required"));
        }
        if p.claims.tf {
            return Err(ApiError::new(crate::error::ErrorCode::PermissionDenied, "set up two-step sign-in first")
                .with_reason("second_factor_setup_required"));
        }
        Ok(p)
    }

    /// The caller, who must be logged in, even with a one-time password still to
    /// change or a required second factor still to set up (for doing so, and for seeing
    /// who one is).
    pub async fn require_any(&self, ctx: &CallCtx) -> Result<Principal, ApiError> {
        self.principal(ctx).await?.ok_or_else(ApiError::unauthenticated)
    }
}

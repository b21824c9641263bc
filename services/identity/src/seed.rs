//! Demo accounts for the embedded demo (listed in the README). Never run against a
//! production database: `edu24 seed` asks for `--demo` explicitly.

use edu24_shared::auth::{Role, RoleGrant};

use crate::IdentityService;
use crate::store;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "edu24-demo";
pub const SEED_ACTOR: &str = "system:seed";

/// (login, display name, role, institution code or "" for ministry scope)
pub const DEMO_ACCOUNTS: &[(&str, &str, Role, &str)] = &[
    ("ministry.admin", "Айгүл Осмонова", Role::MinistryAdmin, ""),
    ("knu.admin", "Бакыт Жумабеков", Role::InstitutionAdmin, "knu"),
    ("knu.registrar", "Нургүл Асанова", Role::Registrar, "knu"),
    ("oshsu.admin", "Азамат Ташиев", Role::InstitutionAdmin, "oshsu"),
    ("oshsu.registrar", "Гүлзат Маматова", Role::Registrar, "oshsu"),
    ("knu.teacher", "Эрлан Касымов", Role::Teacher, "knu"),
    ("knu.student", "Айпери Токтосунова", Role::Student, "knu"),
];

/// Creates the demo accounts when identity has none. `institution_id` maps an
/// institution code to catalogue's id.
pub async fn demo_seed(svc: &IdentityService, institution_id: impl Fn(&str) -> String) -> anyhow::Result<bool> {
    if store::account_count(svc.db()).await? > 0 {
        return Ok(false);
    }
    for (login, name, role, inst) in DEMO_ACCOUNTS {
        let grant = RoleGrant { role: *role, inst: (!inst.is_empty()).then(|| institution_id(inst)) };
        svc.account_create(SEED_ACTOR, login, name, DEMO_PASSWORD, &[grant], false)
            .await
            .map_err(|e| anyhow::anyhow!("demo account {login}: {}", e.message))?;
    }
    Ok(true)
}

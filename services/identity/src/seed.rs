//! Demo accounts for the embedded demo (listed in the README). They have a published
//! password: never seed them into a production database (`edu24 seed` is a separate,
//! explicit command, and `edu24 run` seeds only when EDU24_SEED_DEMO is true).

use edu24_shared::auth::{Role, RoleGrant};

use crate::IdentityService;
use crate::app::NewAccount;
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
    ("knu.graduate", "Бекзат Абдыкадыров", Role::Student, "knu"),
];

/// Creates the demo accounts when identity has none. `institution_id` maps an
/// institution code to catalogue's id.
pub async fn demo_seed(svc: &IdentityService, institution_id: impl Fn(&str) -> String) -> anyhow::Result<bool> {
    if store::account_count(svc.db()).await? > 0 {
        return Ok(false);
    }
    let grants: Vec<[RoleGrant; 1]> = DEMO_ACCOUNTS
        .iter()
        .map(|(_, _, role, inst)| [RoleGrant { role: *role, inst: (!inst.is_empty()).then(|| institution_id(inst)) }])
        .collect();
    let accounts: Vec<NewAccount<'_>> = DEMO_ACCOUNTS
        .iter()
        .zip(&grants)
        .map(|((login, name, _, _), g)| NewAccount {
            login,
            display_name: name,
            password: DEMO_PASSWORD,
            grants: g,
            must_change_password: false,
        })
        .collect();
    // One transaction: a process killed while seeding leaves all accounts or none.
    svc.accounts_create(SEED_ACTOR, &accounts).await.map_err(|e| anyhow::anyhow!("demo accounts: {}", e.message))?;
    Ok(true)
}

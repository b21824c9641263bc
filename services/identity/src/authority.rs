//! Who may do what to whom in identity. Pure rules, tested exhaustively; every use case
//! asks them before it touches anything.
//!
//! - The ministry admin appoints ministry staff and institution admins (any institution).
//! - An institution admin appoints registrars and teachers of that institution only.
//! - A registrar (and the institution admin) issues student and graduate accounts of
//!   that institution.
//! - Employers and applicants register themselves; the ministry admin verifies employers.
//!
//! An account may be administered (password re-issued, sessions ended, disabled) by an
//! actor who could assign every role the account holds: a registrar administers
//! students of the registrar's institution, not teachers; the ministry recovers
//! institution admins.

use edu24_shared::auth::{Role, RoleGrant};

fn holds(actor: &[RoleGrant], role: Role, inst: Option<&str>) -> bool {
    actor.iter().any(|g| g.role == role && (g.inst.is_none() || g.inst.as_deref() == inst))
}

fn ministry_admin(actor: &[RoleGrant]) -> bool {
    actor.iter().any(|g| g.role == Role::MinistryAdmin && g.inst.is_none())
}

/// Whether `actor` may grant or remove `role` with scope `inst`.
pub fn may_assign(actor: &[RoleGrant], role: Role, inst: Option<&str>) -> bool {
    match role {
        Role::MinistryAdmin | Role::MinistryAnalyst => inst.is_none() && ministry_admin(actor),
        Role::InstitutionAdmin => inst.is_some() && ministry_admin(actor),
        Role::Registrar | Role::Teacher => {
            inst.is_some() && (ministry_admin(actor) || holds(actor, Role::InstitutionAdmin, inst))
        }
        Role::Student | Role::Graduate => {
            inst.is_some() && (holds(actor, Role::Registrar, inst) || holds(actor, Role::InstitutionAdmin, inst))
        }
        Role::Employer | Role::Applicant => inst.is_none() && ministry_admin(actor),
    }
}

/// Whether `actor` may administer an account holding `target` roles. Accounts without
/// roles belong to the ministry.
pub fn may_administer(actor: &[RoleGrant], target: &[RoleGrant]) -> bool {
    if target.is_empty() {
        return ministry_admin(actor);
    }
    target.iter().all(|g| may_assign(actor, g.role, g.inst.as_deref()))
}

/// The institutions in which `actor` may look accounts up (`None`: everywhere).
pub fn search_scope(actor: &[RoleGrant]) -> Option<Vec<String>> {
    if ministry_admin(actor) {
        return None;
    }
    let mut insts: Vec<String> = actor
        .iter()
        .filter(|g| matches!(g.role, Role::InstitutionAdmin | Role::Registrar))
        .filter_map(|g| g.inst.clone())
        .collect();
    insts.sort();
    insts.dedup();
    Some(insts)
}

/// Staff must use a second factor (TOTP); others may.
pub fn second_factor_required(roles: &[RoleGrant]) -> bool {
    roles.iter().any(|g| {
        matches!(g.role, Role::MinistryAdmin | Role::MinistryAnalyst | Role::InstitutionAdmin | Role::Registrar)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "inst-a";
    const B: &str = "inst-b";

    fn g(role: Role, inst: Option<&str>) -> RoleGrant {
        RoleGrant { role, inst: inst.map(str::to_owned) }
    }

    #[test]
    fn the_appointment_ladder_holds_for_every_role_and_scope() {
        let ministry = vec![g(Role::MinistryAdmin, None)];
        let inst_admin_a = vec![g(Role::InstitutionAdmin, Some(A))];
        let registrar_a = vec![g(Role::Registrar, Some(A))];
        let teacher_a = vec![g(Role::Teacher, Some(A))];
        let analyst = vec![g(Role::MinistryAnalyst, None)];
        // (actor, role, scope, expected)
        let cases: Vec<(&Vec<RoleGrant>, Role, Option<&str>, bool)> = vec![
            (&ministry, Role::MinistryAdmin, None, true),
            (&ministry, Role::MinistryAnalyst, None, true),
            (&ministry, Role::InstitutionAdmin, Some(A), true),
            (&ministry, Role::InstitutionAdmin, None, false),
            (&ministry, Role::Registrar, Some(B), true),
            (&ministry, Role::Student, Some(A), false),
            (&ministry, Role::Employer, None, true),
            (&inst_admin_a, Role::Registrar, Some(A), true),
            (&inst_admin_a, Role::Teacher, Some(A), true),
            (&inst_admin_a, Role::Registrar, Some(B), false),
            (&inst_admin_a, Role::InstitutionAdmin, Some(A), false),
            (&inst_admin_a, Role::MinistryAdmin, None, false),
            (&inst_admin_a, Role::Student, Some(A), true),
            (&registrar_a, Role::Student, Some(A), true),
            (&registrar_a, Role::Graduate, Some(A), true),
            (&registrar_a, Role::Student, Some(B), false),
            (&registrar_a, Role::Teacher, Some(A), false),
            (&registrar_a, Role::Registrar, Some(A), false),
            (&teacher_a, Role::Student, Some(A), false),
            (&analyst, Role::InstitutionAdmin, Some(A), false),
            (&analyst, Role::MinistryAnalyst, None, false),
        ];
        for (actor, role, inst, expected) in cases {
            assert_eq!(may_assign(actor, role, inst), expected, "{actor:?} {role:?} {inst:?}");
        }
        for role in Role::ALL {
            for inst in [None, Some(A)] {
                assert!(!may_assign(&[], role, inst), "nobody assigns without a role");
            }
        }
    }

    #[test]
    fn administering_needs_authority_over_every_role_of_the_account() {
        let registrar_a = vec![g(Role::Registrar, Some(A))];
        let student_a = vec![g(Role::Student, Some(A))];
        let student_b = vec![g(Role::Student, Some(B))];
        let teaching_student_a = vec![g(Role::Student, Some(A)), g(Role::Teacher, Some(A))];
        assert!(may_administer(&registrar_a, &student_a));
        assert!(!may_administer(&registrar_a, &student_b), "another institution's student");
        assert!(!may_administer(&registrar_a, &teaching_student_a), "a teacher is the institution admin's");
        assert!(may_administer(&[g(Role::InstitutionAdmin, Some(A))], &teaching_student_a));
        let inst_admin_a = vec![g(Role::InstitutionAdmin, Some(A))];
        assert!(
            may_administer(&[g(Role::MinistryAdmin, None)], &inst_admin_a),
            "the ministry recovers institution admins"
        );
        assert!(!may_administer(&inst_admin_a, &inst_admin_a));
        assert!(!may_administer(&registrar_a, &[]));
        assert!(may_administer(&[g(Role::MinistryAdmin, None)], &[]));
    }

    #[test]
    fn search_is_limited_to_the_actors_institutions() {
        assert_eq!(search_scope(&[g(Role::MinistryAdmin, None)]), None);
        assert_eq!(
            search_scope(&[g(Role::Registrar, Some(B)), g(Role::InstitutionAdmin, Some(A))]),
            Some(vec![A.into(), B.into()])
        );
        assert_eq!(search_scope(&[g(Role::Teacher, Some(A))]), Some(vec![]));
    }

    #[test]
    fn staff_need_a_second_factor() {
        assert!(second_factor_required(&[g(Role::Registrar, Some(A))]));
        assert!(second_factor_required(&[g(Role::MinistryAnalyst, None)]));
        assert!(!second_factor_required(&[g(Role::Student, Some(A)), g(Role::Teacher, Some(A))]));
    }
}

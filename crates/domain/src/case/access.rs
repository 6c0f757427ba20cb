//! Who is acting, and on which cases they may look. What they may *do* is decided per command in
//! [`super::transition`].

use serde::{Deserialize, Serialize};

use super::error::TransitionError;
use super::state::{Case, CaseStatus};
use crate::organisation::Role;

/// The window a staff member sits at, with the facts the rules need about it for this case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActorWindow {
    pub code: String,
    pub hall: String,
    /// This window is allowed to accept the case's item.
    pub accepts_item: bool,
    /// This window hands out results (统一窗口出件).
    pub issues_results: bool,
}

/// A person acting on a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// Staff or applicant id, as recorded in the event log.
    pub id: String,
    pub roles: Vec<Role>,
    pub department: Option<String>,
    pub window: Option<ActorWindow>,
}

impl Actor {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn is_owner(&self, case: &Case) -> bool {
        self.has(Role::Applicant) && self.id == case.applicant
    }

    /// A front-desk clerk of the hall that holds the case (or, before acceptance, of a window that may accept it).
    pub fn is_hall_clerk(&self, case: &Case) -> bool {
        let Some(w) = self.window.as_ref().filter(|_| self.has(Role::Clerk)) else {
            return false;
        };
        match &case.hall {
            Some(hall) => *hall == w.hall,
            None => w.accepts_item,
        }
    }

    /// Staff of a department that has a step in this case.
    pub fn works_on(&self, case: &Case) -> bool {
        let Some(dept) = &self.department else {
            return false;
        };
        (self.has(Role::Approver) || self.has(Role::ChiefRepresentative))
            && case.steps.iter().any(|s| s.department == *dept)
    }
}

/// The longest reason the audit log keeps for revealing an identity.
pub const MAX_REVEAL_REASON_CHARS: usize = 200;

/// Whether the actor may see the applicant's full identity on this case (name, ID number, phone),
/// which lists and pages show masked: the clerks who serve the case at its hall and the back
/// office working on it, never the applicant's own account (they know it) nor supervisors by
/// default (ADR 0027).
pub fn may_reveal_identity(actor: &Actor, case: &Case) -> bool {
    case.status != CaseStatus::Draft && (actor.is_hall_clerk(case) || actor.works_on(case))
}

/// A reveal of the applicant's identity, with its reason for the audit log, trimmed.
pub fn reveal_identity(
    actor: &Actor,
    case: &Case,
    reason: &str,
) -> Result<String, TransitionError> {
    if !may_reveal_identity(actor, case) {
        return Err(TransitionError::Forbidden("reveal_identity"));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(TransitionError::Required("reason"));
    }
    if reason.chars().count() > MAX_REVEAL_REASON_CHARS {
        return Err(TransitionError::TooLong {
            field: "reason",
            max: MAX_REVEAL_REASON_CHARS,
        });
    }
    Ok(reason.to_owned())
}

/// Read access: the applicant their own cases, clerks their hall's, approvers their department's,
/// supervisors, leaders and admins every case of the centre.
pub fn can_read(actor: &Actor, case: &Case) -> bool {
    if actor.is_owner(case) {
        return true;
    }
    if case.status == CaseStatus::Draft {
        return false;
    }
    actor.has(Role::Supervisor)
        || actor.has(Role::Leader)
        || actor.has(Role::CentreAdmin)
        || actor.is_hall_clerk(case)
        || actor.works_on(case)
}

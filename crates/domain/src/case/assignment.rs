//! Assignment (指派): the current step of a case given to one member of its department.
//!
//! The chief representative (首席代表) is the department's delegate at the centre and heads its
//! approval section (the demo's `chief.*` are "首席代表（行政审批科负责人…）"), so the
//! chief representative shares the section's steps out; approvers take what they are given.
//! A step goes to someone who could perform it: staff of the step's department holding its role.
//! Once assigned, the step is its assignee's alone (one person answers for it, 承办责任). The
//! chief representative takes it back or passes it on by assigning again, so every hand-over is
//! an event in the log rather than someone silently acting on a colleague's step.

use super::access::Actor;
use super::error::TransitionError;
use super::event::{self, Entry, Event};
use super::state::{Case, CaseStatus, StepProgress};
use crate::catalogue::{ItemDefinition, StepKind, StepRole};
use crate::organisation::Role;

/// A member of staff a step may be given to, as the staff directory describes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignee {
    pub id: String,
    pub name: String,
    pub roles: Vec<Role>,
    pub department: Option<String>,
}

/// The department whose steps someone shares out: their own, if they are its chief
/// representative.
pub fn assigns_for<'a>(roles: &[Role], department: Option<&'a str>) -> Option<&'a str> {
    department.filter(|_| roles.contains(&Role::ChiefRepresentative))
}

/// Whether someone with these roles works a department's steps at all, so that some step of it
/// may be given to them (which ones depends on each step's role).
pub fn takes_steps(roles: &[Role]) -> bool {
    roles.contains(&Role::Approver) || roles.contains(&Role::ChiefRepresentative)
}

/// Whether someone with these roles, in this department, could perform the step. The chief
/// representative heads the section and may take an approver's review or verification, but a
/// decision that is not delegated to the window is the back office's (ADR 0029).
pub(super) fn qualifies(roles: &[Role], department: Option<&str>, step: &StepProgress) -> bool {
    let has = |role| roles.contains(&role);
    let has_role = match step.role {
        StepRole::Approver if step.kind == StepKind::Decide => has(Role::Approver),
        StepRole::Approver => has(Role::Approver) || has(Role::ChiefRepresentative),
        StepRole::ChiefRepresentative => has(Role::ChiefRepresentative),
        // The window's, on the spot: never the back office's, never assigned.
        StepRole::Clerk => false,
    };
    department == Some(step.department.as_str()) && has_role
}

/// The role someone acts in on a case, as its log records it (and the delegation figures count
/// it): the applicant on their own case; on the back office's current step, the step's role,
/// or chief representative when one performs an approver's step (首席代表 sit at the centre, so
/// what they decide is decided at the window); at the front desk, clerk. `None` for someone
/// with no role at all.
pub fn acting_role(actor: &Actor, case: &Case) -> Option<Role> {
    if actor.is_owner(case) {
        return Some(Role::Applicant);
    }
    let step = super::inbox::back_office_step(case)
        .filter(|s| qualifies(&actor.roles, actor.department.as_deref(), s));
    if let Some(step) = step {
        return Some(match step.role {
            StepRole::Approver if actor.has(Role::Approver) => Role::Approver,
            _ => Role::ChiefRepresentative,
        });
    }
    if actor.has(Role::Clerk) {
        return Some(Role::Clerk);
    }
    actor.roles.first().copied()
}

/// Whether the actor may perform the case's current step: they could, and it is not someone
/// else's.
pub(super) fn may_perform_current(actor: &Actor, case: &Case) -> bool {
    case.current().is_some_and(|step| {
        if step.role == StepRole::Clerk {
            return at_accepting_window(actor, case);
        }
        qualifies(&actor.roles, actor.department.as_deref(), step)
            && step.assignee.as_ref().is_none_or(|a| *a == actor.id)
    })
}

/// A clerk at the window that accepted the case, where an immediate item is decided and handed
/// out on the spot.
pub(super) fn at_accepting_window(actor: &Actor, case: &Case) -> bool {
    actor.has(Role::Clerk)
        && actor
            .window
            .as_ref()
            .is_some_and(|w| case.accepted_at_window.as_deref() == Some(w.code.as_str()))
}

/// The earlier step of the case this person performed, if any: under separation of duties
/// (职责分离) they may not perform the current one.
fn earlier_step_by<'a>(case: &'a Case, person: &str) -> Option<&'a StepProgress> {
    let current = case.current_step?;
    case.steps[..current.min(case.steps.len())]
        .iter()
        .find(|s| s.finished_by.as_deref() == Some(person))
}

/// The earlier step that bars the actor from the case's current step, which they could
/// otherwise perform, when the item separates duties; a screen says so instead of offering
/// nothing without a reason.
pub fn barred_by_separation<'a>(
    case: &'a Case,
    item: &ItemDefinition,
    actor: &Actor,
) -> Option<&'a StepProgress> {
    if !item.separates_duties() || held_step(case).is_none() || !may_perform_current(actor, case) {
        return None;
    }
    earlier_step_by(case, &actor.id)
}

/// The step the back office holds: the current one, not finished, while the case is accepted
/// and open there (in progress, waiting for a supplement, or in a special procedure).
fn held_step(case: &Case) -> Option<usize> {
    let in_back_office = matches!(
        case.status,
        CaseStatus::InProgress | CaseStatus::AwaitingSupplement | CaseStatus::Suspended
    ) && case.accepted_on.is_some();
    case.current_step
        .filter(|_| in_back_office)
        .filter(|&i| case.steps.get(i).is_some_and(|s| s.finished_on.is_none()))
}

/// Gives the held step to `assignee` (`found` is what the staff directory says of them) and
/// returns the event that records it, staff-only: it names a member of staff. Under separation
/// of duties, no one who performed an earlier step may be given it.
pub(super) fn assign(
    next: &mut Case,
    actor: &Actor,
    assignee: &str,
    found: Option<&Assignee>,
    separate_duties: bool,
) -> Result<Entry, TransitionError> {
    let index = held_step(next).ok_or(TransitionError::NotAllowed {
        action: "assign",
        status: next.status,
    })?;
    let step = &next.steps[index];
    if assigns_for(&actor.roles, actor.department.as_deref()) != Some(step.department.as_str()) {
        return Err(TransitionError::Forbidden("assign"));
    }
    let to = found
        .filter(|s| s.id == assignee)
        .ok_or_else(|| TransitionError::UnknownAssignee(assignee.to_owned()))?;
    if !qualifies(&to.roles, to.department.as_deref(), step) {
        return Err(TransitionError::AssigneeNotQualified(to.name.clone()));
    }
    if let Some(earlier) = earlier_step_by(next, assignee).filter(|_| separate_duties) {
        return Err(TransitionError::DutiesNotSeparated {
            assignee: Some(to.name.clone()),
            step: earlier.name.clone(),
        });
    }
    if step.assignee.as_deref() == Some(assignee) {
        return Err(TransitionError::AlreadyAssigned(to.name.clone()));
    }
    let event = Event::Assigned(event::Assigned {
        assignee: to.id.clone(),
        assignee_name: to.name.clone(),
        previous: step.assignee.clone(),
        step_name: step.name.clone(),
        by: actor.id.clone(),
    });
    next.steps[index].assignee = Some(to.id.clone());
    Ok(Entry {
        event,
        step: Some(index),
        public: false,
    })
}

//! What an actor may do to a case now, for a screen to offer exactly those actions.
//!
//! Answered by the rules themselves rather than a second copy of them: each action is tried with
//! a well-formed example command, and it is available when [`apply`] accepts it. The example's
//! content never matters; only the state, the actor and the item decide.

use super::command::Command;
use super::error::TransitionError;
use super::materials::{FileKind, UploadedFile};
use super::state::{
    Case, Decision, IssueMethod, MaterialProblem, Recommendation, ReturnTarget, SpecialProcedure,
    SupplementItem,
};
use super::transition::{Now, apply};
use super::{Actor, Assignee};
use crate::catalogue::ItemDefinition;
use crate::organisation::Role;

/// The actions (`Command::action` words) the actor could apply to the case today.
pub fn available_actions(
    case: &Case,
    item: &ItemDefinition,
    actor: &Actor,
    now: Now<'_>,
) -> Vec<&'static str> {
    examples(case, item)
        .into_iter()
        .filter(|command| apply(case, item, actor, command, now).is_ok())
        .map(|command| command.action())
        .collect()
}

/// Whether the actor may upload a file for `material` today, whatever the file: the rules'
/// answer to an upload tried with a well-formed example file, so a route can refuse before it
/// reads a byte.
pub fn may_upload(
    case: &Case,
    item: &ItemDefinition,
    actor: &Actor,
    material: &str,
    now: Now<'_>,
) -> Result<(), TransitionError> {
    let command = Command::UploadMaterial {
        material: material.to_owned(),
        file: UploadedFile {
            name: "-".to_owned(),
            size: 1,
            kind: Some(FileKind::Pdf),
            digest: String::new(),
        },
    };
    apply(case, item, actor, &command, now).map(|_| ())
}

/// The materials (codes, in the item's order) the actor could upload a file for today.
pub fn uploadable_materials<'a>(
    case: &Case,
    item: &'a ItemDefinition,
    actor: &Actor,
    now: Now<'_>,
) -> Vec<&'a str> {
    item.materials
        .iter()
        .filter(|m| may_upload(case, item, actor, &m.code, now).is_ok())
        .map(|m| m.code.as_str())
        .collect()
}

fn examples(case: &Case, item: &ItemDefinition) -> Vec<Command> {
    let text = || "-".to_owned();
    let supplement = item.materials.first().map(|m| Command::RequestSupplement {
        items: vec![SupplementItem {
            material: m.code.clone(),
            problem: MaterialProblem::Missing,
            note: text(),
        }],
        repeat_reason: Some(text()),
    });
    let waived = case
        .outstanding_waived()
        .next()
        .map(|w| Command::ProvideWaivedMaterial {
            material: w.material.clone(),
        });
    // Someone who could take any step of its department and does not hold it yet: whether the
    // actor may assign does not depend on whom to.
    let assign = case.current().map(|step| {
        let id = format!("{}~", step.assignee.as_deref().unwrap_or_default());
        Command::Assign {
            assignee: id.clone(),
            found: Some(Assignee {
                id,
                name: text(),
                roles: vec![Role::ChiefRepresentative],
                department: Some(step.department.clone()),
            }),
        }
    });
    [
        // Sent asking to bring later every waivable material still without a file.
        Some(Command::Submit {
            waive: super::not_uploaded(case, item)
                .into_iter()
                .filter(|m| m.waivable)
                .map(|m| m.code.clone())
                .collect(),
        }),
        Some(Command::Accept {
            waived: vec![],
            received: item.materials.iter().map(|m| m.code.clone()).collect(),
        }),
        Some(Command::Refuse {
            reason: text(),
            legal_basis: text(),
            redirect: text(),
        }),
        supplement,
        Some(Command::ProvideSupplement { note: text() }),
        Some(Command::CompleteStep {
            comment: text(),
            recommendation: Recommendation::Approve,
        }),
        Some(Command::Decide {
            decision: Decision::Approved,
            comment: text(),
        }),
        // Back to the window is open from every step; the step before only from the second.
        Some(Command::Return {
            to: ReturnTarget::Window,
            reason: text(),
        }),
        Some(Command::StartSpecialProcedure {
            procedure: SpecialProcedure::SiteInspection,
            reason: text(),
            days: 1,
        }),
        Some(Command::EndSpecialProcedure { outcome: text() }),
        waived,
        // Both ways of handing out take the same turn; posting needs no identity to check.
        Some(Command::Issue {
            method: IssueMethod::Post {
                tracking_number: text(),
                address: text(),
            },
            collector_applicant: None,
        }),
        Some(Command::Withdraw { reason: text() }),
        Some(Command::Close {}),
        assign,
    ]
    .into_iter()
    .flatten()
    .collect()
}

//! The case state machine: one pure function from (case, item, actor, command, now) to the new
//! case and the events that record it, or a typed refusal that changes nothing.

use chrono::NaiveDate;

use super::access::Actor;
use super::assignment::{assign, at_accepting_window, barred_by_separation, may_perform_current};
use super::command::Command;
use super::error::TransitionError;
use super::event::{self, Entry, Event};
use super::limits::check_lengths;
use super::materials::{MAX_CASE_FILE_BYTES, MAX_CASE_FILES, MAX_FILE_BYTES, not_uploaded};
use super::state::{
    Case, CaseStatus, Channel, Collector, Decision, IssueMethod, ReturnTarget, StepProgress,
    WaivedMaterial,
};
use crate::calendar::{Calendar, ClockStop};
use crate::catalogue::{ItemDefinition, StepKind};
use crate::identity::ResidentId;
use crate::organisation::Role;

/// The moment a command is applied: the date in the region's time zone and its calendar.
#[derive(Debug, Clone, Copy)]
pub struct Now<'a> {
    pub today: NaiveDate,
    pub calendar: &'a Calendar,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub case: Case,
    pub entries: Vec<Entry>,
}

impl Outcome {
    /// Whether this outcome decides the case, so that it takes a document number (文号).
    pub fn decides(&self) -> bool {
        self.entries
            .iter()
            .any(|e| matches!(e.event, Event::Decided(_)))
    }

    /// Gives the decision its document number. The department's sequence is only advanced once
    /// the domain has let the decision stand, so a refused decision leaves no gap in it.
    pub fn number_decision(&mut self, number: &str) {
        for e in &mut self.entries {
            if let Event::Decided(d) = &mut e.event {
                d.document_number = Some(number.to_owned());
                self.case.document_number = Some(number.to_owned());
            }
        }
    }
}

fn required(field: &'static str, value: &str) -> Result<(), TransitionError> {
    if value.trim().is_empty() {
        Err(TransitionError::Required(field))
    } else {
        Ok(())
    }
}

/// The collector of a result as the case keeps it: named, their ID number valid and masked, and
/// an entrustment unless they are the applicant.
fn collected_by(
    collector: Option<&Collector>,
    is_applicant: bool,
) -> Result<Collector, TransitionError> {
    let c = collector.ok_or(TransitionError::Required("collector"))?;
    required("collector.name", &c.name)?;
    let id =
        ResidentId::parse(c.id_number.trim()).map_err(|_| TransitionError::CollectorIdInvalid)?;
    let entrustment = c
        .entrustment
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(str::to_owned);
    if !is_applicant && entrustment.is_none() {
        return Err(TransitionError::EntrustmentRequired);
    }
    Ok(Collector {
        name: c.name.trim().to_owned(),
        id_number: id.masked(),
        entrustment: if is_applicant { None } else { entrustment },
    })
}

fn guard(ok: bool, action: &'static str) -> Result<(), TransitionError> {
    if ok {
        Ok(())
    } else {
        Err(TransitionError::Forbidden(action))
    }
}

/// Whether the actor may act on the case's current step: they could perform it, it is not
/// someone else's, and, where the item separates duties, they performed no earlier step.
fn performs_current(
    actor: &Actor,
    case: &Case,
    item: &ItemDefinition,
    action: &'static str,
) -> Result<(), TransitionError> {
    guard(may_perform_current(actor, case), action)?;
    match barred_by_separation(case, item, actor) {
        Some(earlier) => Err(TransitionError::DutiesNotSeparated {
            assignee: None,
            step: earlier.name.clone(),
        }),
        None => Ok(()),
    }
}

fn accepting_clerk(actor: &Actor) -> bool {
    actor.has(Role::Clerk) && actor.window.as_ref().is_some_and(|w| w.accepts_item)
}

/// Which materials take a file in the case's present state, and whether this actor may give it.
struct UploadWindow<'a> {
    actor_may: bool,
    any_material: bool,
    materials: Vec<&'a str>,
}

/// None when no one may upload in this state. The applicant fills in a draft; the clerk scans
/// what an applicant brings to register at the window; once submitted, only what the open
/// supplement notice lists and the waived materials still owed may come, from the applicant or
/// the hall's clerk (who scans what is brought to the window).
fn upload_window<'a>(case: &'a Case, actor: &Actor) -> Option<UploadWindow<'a>> {
    let status = case.status;
    let owner_or_clerk = actor.is_owner(case) || actor.is_hall_clerk(case);
    match status {
        CaseStatus::Draft => Some(UploadWindow {
            actor_may: actor.is_owner(case),
            any_material: true,
            materials: vec![],
        }),
        CaseStatus::Submitted if case.channel == Channel::Window => Some(UploadWindow {
            actor_may: accepting_clerk(actor) && actor.is_hall_clerk(case),
            any_material: true,
            materials: vec![],
        }),
        _ if status.is_final() => None,
        _ => {
            let listed = case.open_supplement.iter().map(|i| i.material.as_str());
            let owed = case.outstanding_waived().map(|w| w.material.as_str());
            let materials: Vec<&str> = listed.chain(owed).collect();
            (!materials.is_empty()).then_some(UploadWindow {
                actor_may: owner_or_clerk,
                any_material: false,
                materials,
            })
        }
    }
}

fn close_open_stops(stops: &mut [ClockStop], today: NaiveDate) {
    for s in stops.iter_mut().filter(|s| s.to.is_none()) {
        s.to = Some(today);
    }
}

fn entry(case: &Case, public: bool, event: Event) -> Entry {
    Entry {
        event,
        step: case.current_step,
        public,
    }
}

/// Applies a command. The returned case replaces the stored one; the events are appended to its log.
pub fn apply(
    case: &Case,
    item: &ItemDefinition,
    actor: &Actor,
    command: &Command,
    now: Now<'_>,
) -> Result<Outcome, TransitionError> {
    check_lengths(command)?;
    let action = command.action();
    let today = now.today;
    let status = case.status;
    let not_allowed = || TransitionError::NotAllowed { action, status };
    let mut next = case.clone();
    let mut entries = Vec::new();

    match command {
        Command::Submit { waive } => {
            if status != CaseStatus::Draft {
                return Err(not_allowed());
            }
            // An online draft is the applicant's to send; a clerk sends only what they register.
            let registering = case.channel == Channel::Window && accepting_clerk(actor);
            guard(actor.is_owner(case) || registering, action)?;
            let mut seen = std::collections::HashSet::new();
            for code in waive {
                let material = item
                    .materials
                    .iter()
                    .find(|m| m.code == *code)
                    .ok_or_else(|| TransitionError::UnknownMaterial(code.clone()))?;
                if !material.waivable {
                    return Err(TransitionError::NotWaivable(code.clone()));
                }
                if !seen.insert(code) {
                    return Err(TransitionError::DuplicateMaterial(code.clone()));
                }
            }
            if case.channel == Channel::Online {
                let missing: Vec<&str> = not_uploaded(case, item)
                    .into_iter()
                    .filter(|m| !seen.contains(&m.code))
                    .map(|m| m.name.as_str())
                    .collect();
                if !missing.is_empty() {
                    return Err(TransitionError::MaterialsNotUploaded(missing.join("、")));
                }
            }
            next.status = CaseStatus::Submitted;
            next.submitted_on = Some(today);
            next.waive_requested.clone_from(waive);
            entries.push(entry(
                &next,
                true,
                Event::Submitted(event::Submitted {
                    channel: case.channel,
                    waive: waive.clone(),
                }),
            ));
        }
        Command::Accept { waived, received } => {
            if status != CaseStatus::Submitted {
                return Err(not_allowed());
            }
            guard(accepting_clerk(actor), action)?;
            let mut seen = std::collections::HashSet::new();
            for code in received {
                if !item.materials.iter().any(|m| m.code == *code) {
                    return Err(TransitionError::UnknownMaterial(code.clone()));
                }
                if !seen.insert(code) {
                    return Err(TransitionError::DuplicateMaterial(code.clone()));
                }
            }
            for w in waived {
                let material = item
                    .materials
                    .iter()
                    .find(|m| m.code == w.material)
                    .ok_or_else(|| TransitionError::UnknownMaterial(w.material.clone()))?;
                if !material.waivable {
                    return Err(TransitionError::NotWaivable(w.material.clone()));
                }
                if !seen.insert(&w.material) {
                    return Err(TransitionError::DuplicateMaterial(w.material.clone()));
                }
                if w.due_on <= today {
                    return Err(TransitionError::WaivedDueNotInFuture);
                }
            }
            // `seen` now holds what the clerk received or waived.
            let missing: Vec<&str> = item
                .materials
                .iter()
                .filter(|m| {
                    m.required && !seen.contains(&m.code) && !case.provided.contains(&m.code)
                })
                .map(|m| m.code.as_str())
                .collect();
            if !missing.is_empty() {
                return Err(TransitionError::MaterialsMissing(missing.join("、")));
            }
            let window = actor.window.as_ref().expect("accepting clerk has a window");
            next.status = CaseStatus::InProgress;
            next.accepted_on = Some(today);
            next.accepted_at_window = Some(window.code.clone());
            next.hall = Some(window.hall.clone());
            next.waived = waived
                .iter()
                .map(|w| WaivedMaterial {
                    material: w.material.clone(),
                    due_on: w.due_on,
                    provided_on: None,
                })
                .collect();
            next.current_step = Some(0);
            if let Some(first) = next.steps.first_mut() {
                first.started_on = Some(today);
            }
            let due = next.due_on(now.calendar, today);
            entries.push(entry(
                &next,
                true,
                Event::Accepted(event::Accepted {
                    window: window.code.clone(),
                    waived: waived.clone(),
                    due_on: due,
                    received: received.clone(),
                }),
            ));
        }
        Command::Refuse {
            reason,
            legal_basis,
            redirect,
        } => {
            if status != CaseStatus::Submitted {
                return Err(not_allowed());
            }
            guard(accepting_clerk(actor), action)?;
            required("reason", reason)?;
            required("legal_basis", legal_basis)?;
            required("redirect", redirect)?;
            let window = actor.window.as_ref().map(|w| w.code.clone());
            next.status = CaseStatus::Refused;
            next.finished_on = Some(today);
            next.hall = actor.window.as_ref().map(|w| w.hall.clone());
            entries.push(entry(
                &next,
                true,
                Event::Refused(event::Refused {
                    reason: reason.clone(),
                    legal_basis: legal_basis.clone(),
                    redirect: redirect.clone(),
                    window,
                    refused_by: actor.id.clone(),
                }),
            ));
        }
        Command::RequestSupplement {
            items,
            repeat_reason,
        } => {
            match status {
                CaseStatus::Submitted => guard(accepting_clerk(actor), action)?,
                CaseStatus::InProgress => performs_current(actor, case, item, action)?,
                _ => return Err(not_allowed()),
            }
            if items.is_empty() {
                return Err(TransitionError::EmptySupplement);
            }
            let mut seen = std::collections::HashSet::new();
            for i in items {
                if !item.materials.iter().any(|m| m.code == i.material) {
                    return Err(TransitionError::UnknownMaterial(i.material.clone()));
                }
                if !seen.insert(&i.material) {
                    return Err(TransitionError::DuplicateMaterial(i.material.clone()));
                }
            }
            let repeat = case.supplement_notices > 0;
            if repeat && repeat_reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
                return Err(TransitionError::RepeatReasonRequired);
            }
            next.status = CaseStatus::AwaitingSupplement;
            next.supplement_notices += 1;
            next.open_supplement = items.clone();
            if status == CaseStatus::InProgress {
                let stop = ClockStop {
                    from: today,
                    to: None,
                };
                next.stops.push(stop.clone());
                if let Some(step) = next.current_step.and_then(|i| next.steps.get_mut(i)) {
                    step.stops.push(stop);
                }
            }
            entries.push(entry(
                &next,
                true,
                Event::SupplementRequested(event::SupplementRequested {
                    items: items.clone(),
                    notice: next.supplement_notices,
                    repeat,
                    repeat_reason: repeat_reason.clone(),
                }),
            ));
        }
        Command::ProvideSupplement { note } => {
            if status != CaseStatus::AwaitingSupplement {
                return Err(not_allowed());
            }
            guard(actor.is_owner(case) || actor.is_hall_clerk(case), action)?;
            next.status = if case.accepted_on.is_some() {
                CaseStatus::InProgress
            } else {
                CaseStatus::Submitted
            };
            next.open_supplement.clear();
            close_open_stops(&mut next.stops, today);
            if let Some(step) = next.current_step.and_then(|i| next.steps.get_mut(i)) {
                close_open_stops(&mut step.stops, today);
            }
            entries.push(entry(
                &next,
                true,
                Event::SupplementProvided(event::SupplementProvided { note: note.clone() }),
            ));
        }
        Command::CompleteStep {
            comment,
            recommendation,
        } => {
            if status != CaseStatus::InProgress {
                return Err(not_allowed());
            }
            if case.current().is_none_or(|s| s.kind == StepKind::Decide) {
                return Err(not_allowed());
            }
            performs_current(actor, case, item, action)?;
            required("comment", comment)?;
            let index = case.current_step.expect("checked above");
            entries.push(entry(
                &next,
                case.comments_public,
                Event::StepCompleted(event::StepCompleted {
                    comment: comment.clone(),
                    by: actor.id.clone(),
                    step_name: case.steps[index].name.clone(),
                    recommendation: *recommendation,
                }),
            ));
            let step = &mut next.steps[index];
            step.finished_on = Some(today);
            step.finished_by = Some(actor.id.clone());
            next.current_step = Some(index + 1);
            if let Some(following) = next.steps.get_mut(index + 1) {
                following.started_on = Some(today);
            }
        }
        Command::Return { to, reason } => {
            if status != CaseStatus::InProgress {
                return Err(not_allowed());
            }
            performs_current(actor, case, item, action)?;
            required("reason", reason)?;
            let index = case
                .current_step
                .expect("a case in progress has a current step");
            let from_step = case.steps[index].name.clone();
            let to_step = match to {
                ReturnTarget::PreviousStep => {
                    let previous = index
                        .checked_sub(1)
                        .ok_or(TransitionError::NoPreviousStep)?;
                    // The returning step is not started until the case comes back to it, and
                    // then afresh, unassigned, like any step the case moves on to.
                    next.steps[index].reset();
                    // The step before is done again from today, by whoever it is assigned to.
                    let again = &mut next.steps[previous];
                    again.started_on = Some(today);
                    again.finished_on = None;
                    again.finished_by = None;
                    again.stops.clear();
                    next.current_step = Some(previous);
                    Some(again.name.clone())
                }
                ReturnTarget::Window => {
                    // The acceptance is undone: the case waits at the windows as if just
                    // submitted, and a new acceptance starts a new time limit.
                    next.status = CaseStatus::Submitted;
                    next.accepted_on = None;
                    next.accepted_at_window = None;
                    next.hall = None;
                    next.current_step = None;
                    // Its steps stay as they were made at application, delegation included.
                    next.steps.iter_mut().for_each(StepProgress::reset);
                    next.stops.clear();
                    next.waived.clear();
                    None
                }
            };
            entries.push(Entry {
                event: Event::Returned(event::Returned {
                    to: *to,
                    reason: reason.clone(),
                    by: actor.id.clone(),
                    from_step,
                    to_step,
                }),
                step: Some(index),
                // Back to the window changes what the applicant waits for; a step sent back
                // within the office is its own business.
                public: *to == ReturnTarget::Window,
            });
        }
        Command::Decide { decision, comment } => {
            if status != CaseStatus::InProgress
                || case.current().is_none_or(|s| s.kind != StepKind::Decide)
            {
                return Err(not_allowed());
            }
            performs_current(actor, case, item, action)?;
            required("comment", comment)?;
            let index = case.current_step.expect("checked above");
            next.status = match decision {
                Decision::Approved => CaseStatus::Approved,
                Decision::Denied => CaseStatus::Denied,
            };
            next.decision = Some(*decision);
            next.decided_on = Some(today);
            let step = &mut next.steps[index];
            step.finished_on = Some(today);
            step.finished_by = Some(actor.id.clone());
            // The decision itself is always public; a denial's reason must reach the applicant.
            entries.push(entry(
                &next,
                true,
                Event::Decided(event::Decided {
                    decision: *decision,
                    comment: comment.clone(),
                    by: actor.id.clone(),
                    step_name: next.steps[index].name.clone(),
                    document_number: None,
                }),
            ));
        }
        Command::StartSpecialProcedure {
            procedure,
            reason,
            days,
        } => {
            if status != CaseStatus::InProgress {
                return Err(not_allowed());
            }
            performs_current(actor, case, item, action)?;
            required("reason", reason)?;
            if !(1..=procedure.max_days()).contains(days) {
                return Err(TransitionError::SpecialProcedureDays {
                    procedure: *procedure,
                    max: procedure.max_days(),
                });
            }
            // The procedure starts the day it is decided on; its days are counted from the next.
            let due_on = now.calendar.add_working_days(today, *days);
            next.status = CaseStatus::Suspended;
            next.special_procedure = Some(*procedure);
            next.special_procedure_due = Some(due_on);
            let stop = ClockStop {
                from: today,
                to: None,
            };
            next.stops.push(stop.clone());
            if let Some(step) = next.current_step.and_then(|i| next.steps.get_mut(i)) {
                step.stops.push(stop);
            }
            entries.push(entry(
                &next,
                true,
                Event::SpecialProcedureStarted(event::SpecialProcedureStarted {
                    procedure: *procedure,
                    reason: reason.clone(),
                    days: Some(*days),
                    due_on: Some(due_on),
                }),
            ));
        }
        Command::EndSpecialProcedure { outcome } => {
            if status != CaseStatus::Suspended {
                return Err(not_allowed());
            }
            performs_current(actor, case, item, action)?;
            required("outcome", outcome)?;
            next.status = CaseStatus::InProgress;
            let overran = case.special_procedure_overdue(today);
            let procedure = next.special_procedure.take();
            next.special_procedure_due = None;
            close_open_stops(&mut next.stops, today);
            if let Some(step) = next.current_step.and_then(|i| next.steps.get_mut(i)) {
                close_open_stops(&mut step.stops, today);
            }
            entries.push(entry(
                &next,
                true,
                Event::SpecialProcedureEnded(event::SpecialProcedureEnded {
                    procedure,
                    outcome: outcome.clone(),
                    overran,
                }),
            ));
        }
        Command::ProvideWaivedMaterial { material } => {
            if status.is_final() || status == CaseStatus::Draft {
                return Err(not_allowed());
            }
            guard(actor.is_owner(case) || actor.is_hall_clerk(case), action)?;
            let waived = next
                .waived
                .iter_mut()
                .find(|w| w.material == *material && w.provided_on.is_none())
                .ok_or_else(|| TransitionError::NotOutstanding(material.clone()))?;
            waived.provided_on = Some(today);
            let late = waived.due_on < today;
            entries.push(entry(
                &next,
                true,
                Event::WaivedMaterialProvided(event::WaivedMaterialProvided {
                    material: material.clone(),
                    late,
                }),
            ));
        }
        Command::Withdraw { reason } => {
            if !status.is_open() {
                return Err(not_allowed());
            }
            guard(
                actor.is_owner(case) || (status != CaseStatus::Draft && actor.is_hall_clerk(case)),
                action,
            )?;
            if !actor.is_owner(case) {
                // A clerk withdraws only on the applicant's written request, which the reason records.
                required("reason", reason)?;
            }
            next.status = CaseStatus::Withdrawn;
            next.finished_on = Some(today);
            close_open_stops(&mut next.stops, today);
            for step in &mut next.steps {
                close_open_stops(&mut step.stops, today);
            }
            entries.push(entry(
                &next,
                true,
                Event::Withdrawn(event::Withdrawn {
                    reason: reason.clone(),
                    by: actor.id.clone(),
                }),
            ));
        }
        Command::Issue {
            method,
            collector_applicant,
        } => {
            if !matches!(status, CaseStatus::Approved | CaseStatus::Denied) {
                return Err(not_allowed());
            }
            // The exit window hands results out; an immediate case is also handed out where it
            // was accepted and decided, on the spot (当场办结).
            let on_the_spot = case.is_immediate() && at_accepting_window(actor, case);
            let window = actor
                .window
                .as_ref()
                .filter(|w| (w.issues_results || on_the_spot) && actor.has(Role::Clerk));
            guard(window.is_some() && actor.is_hall_clerk(case), action)?;
            let method = match method {
                IssueMethod::Window { collector, .. } => IssueMethod::Window {
                    window: window.expect("guarded").code.clone(),
                    collector: Some(collected_by(
                        collector.as_ref(),
                        collector_applicant.as_deref() == Some(case.applicant.as_str()),
                    )?),
                },
                IssueMethod::Post {
                    tracking_number,
                    address,
                } => {
                    required("tracking_number", tracking_number)?;
                    required("address", address)?;
                    IssueMethod::Post {
                        tracking_number: tracking_number.trim().to_owned(),
                        address: address.trim().to_owned(),
                    }
                }
            };
            if status == CaseStatus::Approved {
                let outstanding: Vec<&str> = case
                    .outstanding_waived()
                    .map(|w| w.material.as_str())
                    .collect();
                if !outstanding.is_empty() {
                    return Err(TransitionError::WaivedOutstanding(outstanding.join(", ")));
                }
            }
            next.status = CaseStatus::Issued;
            next.issue = Some(method.clone());
            entries.push(entry(
                &next,
                true,
                Event::Issued(event::Issued {
                    method: method.clone(),
                }),
            ));
        }
        Command::Close {} => {
            if status != CaseStatus::Issued {
                return Err(not_allowed());
            }
            guard(actor.is_owner(case) || actor.is_hall_clerk(case), action)?;
            next.status = CaseStatus::Closed;
            next.finished_on = Some(today);
            entries.push(entry(
                &next,
                true,
                Event::Closed(event::Closed {
                    by: actor.id.clone(),
                }),
            ));
        }
        Command::UploadMaterial { material, file } => {
            let open = upload_window(case, actor).ok_or_else(not_allowed)?;
            guard(open.actor_may, action)?;
            if !item.materials.iter().any(|m| m.code == *material) {
                return Err(TransitionError::UnknownMaterial(material.clone()));
            }
            if !open.any_material && !open.materials.contains(&material.as_str()) {
                return Err(TransitionError::MaterialNotOpen(material.clone()));
            }
            let Some(kind) = file.kind else {
                return Err(TransitionError::UnsupportedFileType);
            };
            if file.size > MAX_FILE_BYTES {
                return Err(TransitionError::FileTooLarge);
            }
            if next.files >= MAX_CASE_FILES || next.file_bytes + file.size > MAX_CASE_FILE_BYTES {
                return Err(TransitionError::CaseFilesFull);
            }
            required("file_name", &file.name)?;
            next.files += 1;
            next.file_bytes += file.size;
            // The file is recorded by this event, and the bytes are stored under its sequence
            // number in the same transaction; the case only notes that the material has a file.
            if !next.provided.contains(material) {
                next.provided.push(material.clone());
            }
            entries.push(entry(
                &next,
                true,
                Event::MaterialUploaded(event::MaterialUploaded {
                    material: material.clone(),
                    name: file.name.clone(),
                    media_type: kind.media_type().to_owned(),
                    size: file.size,
                    digest: file.digest.clone(),
                    by: actor.id.clone(),
                }),
            ));
        }
        Command::Assign { assignee, found } => {
            entries.push(assign(
                &mut next,
                actor,
                assignee,
                found.as_ref(),
                item.separates_duties(),
            )?);
        }
    }
    Ok(Outcome {
        case: next,
        entries,
    })
}

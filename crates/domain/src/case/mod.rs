//! The case (办件) and its lifecycle (C4): the state, the commands people give, and the one
//! function that decides what a command does. Storage replays nothing; it stores what
//! [`transition::apply`] returns, in the same transaction as the events.

mod access;
mod assignment;
mod available;
mod command;
mod error;
pub mod event;
pub mod inbox;
mod limits;
mod materials;
pub mod search;
mod state;
mod transition;

pub use access::{
    Actor, ActorWindow, MAX_REVEAL_REASON_CHARS, can_read, may_reveal_identity, reveal_identity,
};
pub use assignment::{Assignee, acting_role, assigns_for, barred_by_separation, takes_steps};
pub use available::{available_actions, may_upload, uploadable_materials};
pub use command::Command;
pub use error::TransitionError;
pub use event::{Entry, Event};
pub use limits::may_open_draft;
pub use materials::{
    FileKind, MAX_FILE_BYTES, MAX_NAME_CHARS, UploadedFile, clean_name, digest, not_uploaded,
};
pub use state::{
    Case, CaseStatus, Channel, Collector, Decision, IssueMethod, MaterialProblem, Recommendation,
    ReturnTarget, SpecialProcedure, StepProgress, SupplementItem, WaiveRequest, WaivedMaterial,
};
pub use transition::{Now, Outcome, apply};

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_materials;

//! How long the text of a command may be. Every free-text field is bounded, so nothing a request
//! carries can swell a case's log or the notice printed from it (a 1 MB reason once made a PDF
//! take minutes to lay out).

use super::command::Command;
use super::error::TransitionError;
use super::materials::MAX_OPEN_DRAFTS;
use super::state::IssueMethod;

/// An opinion, a reason, a note: a paragraph or a few, as a notice prints them.
pub const MAX_TEXT_CHARS: usize = 2_000;
/// A legal basis or where to apply instead: a citation or an address.
pub const MAX_LINE_CHARS: usize = 500;
/// A code, a name, a number: a material's code, a staff id, a tracking number.
pub const MAX_CODE_CHARS: usize = 64;

fn within(field: &'static str, text: &str, max: usize) -> Result<(), TransitionError> {
    if text.chars().count() > max {
        return Err(TransitionError::TooLong { field, max });
    }
    Ok(())
}

/// Whether an applicant holding `open` drafts may start another online.
pub fn may_open_draft(open: u64) -> Result<(), TransitionError> {
    if open >= MAX_OPEN_DRAFTS {
        return Err(TransitionError::TooManyDrafts);
    }
    Ok(())
}

/// Refuses a command with any text longer than its field allows.
pub fn check_lengths(command: &Command) -> Result<(), TransitionError> {
    let text = |field, s: &str| within(field, s, MAX_TEXT_CHARS);
    let line = |field, s: &str| within(field, s, MAX_LINE_CHARS);
    let code = |field, s: &str| within(field, s, MAX_CODE_CHARS);
    match command {
        Command::Submit { waive } => waive.iter().try_for_each(|m| code("waive", m)),
        Command::Accept { waived, received } => {
            waived
                .iter()
                .try_for_each(|w| code("waived", &w.material))?;
            received.iter().try_for_each(|m| code("received", m))
        }
        Command::Refuse {
            reason,
            legal_basis,
            redirect,
        } => {
            text("reason", reason)?;
            line("legal_basis", legal_basis)?;
            line("redirect", redirect)
        }
        Command::RequestSupplement {
            items,
            repeat_reason,
        } => {
            for i in items {
                code("items", &i.material)?;
                text("note", &i.note)?;
            }
            repeat_reason
                .as_deref()
                .map_or(Ok(()), |r| text("repeat_reason", r))
        }
        Command::ProvideSupplement { note } => text("note", note),
        Command::CompleteStep { comment, .. } | Command::Decide { comment, .. } => {
            text("comment", comment)
        }
        Command::Return { reason, .. }
        | Command::StartSpecialProcedure { reason, .. }
        | Command::Withdraw { reason } => text("reason", reason),
        Command::EndSpecialProcedure { outcome } => text("outcome", outcome),
        // A file's name is cut to length when its bytes are inspected.
        Command::ProvideWaivedMaterial { material } | Command::UploadMaterial { material, .. } => {
            code("material", material)
        }
        Command::Issue { method, .. } => match method {
            IssueMethod::Window { window, collector } => {
                code("window", window)?;
                let Some(c) = collector else { return Ok(()) };
                code("collector.name", &c.name)?;
                code("collector.id_number", &c.id_number)?;
                c.entrustment
                    .as_deref()
                    .map_or(Ok(()), |e| line("collector.entrustment", e))
            }
            IssueMethod::Post {
                tracking_number,
                address,
            } => {
                code("tracking_number", tracking_number)?;
                line("address", address)
            }
        },
        Command::Assign { assignee, .. } => code("assignee", assignee),
        Command::Close {} => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use proptest::prelude::*;

    use super::*;
    use crate::case::state::{Collector, Decision, ReturnTarget};

    fn commands(text: &str) -> Vec<Command> {
        let t = || text.to_owned();
        vec![
            Command::Refuse {
                reason: t(),
                legal_basis: "《行政许可法》第三十二条".into(),
                redirect: "市场监管局".into(),
            },
            Command::Decide {
                decision: Decision::Denied,
                comment: t(),
            },
            Command::Return {
                to: ReturnTarget::Window,
                reason: t(),
            },
            Command::Withdraw { reason: t() },
            Command::EndSpecialProcedure { outcome: t() },
            Command::ProvideSupplement { note: t() },
        ]
    }

    proptest! {
        /// Text up to the limit passes; one character more is refused, naming its field.
        #[test]
        fn every_text_is_bounded(extra in 0usize..3, c in "[a-z中文，。]") {
            let at_max = c.repeat(MAX_TEXT_CHARS);
            for command in commands(&at_max) {
                prop_assert_eq!(check_lengths(&command), Ok(()));
            }
            let over = c.repeat(MAX_TEXT_CHARS + 1 + extra);
            for command in commands(&over) {
                let refused = matches!(
                    check_lengths(&command),
                    Err(TransitionError::TooLong { max: MAX_TEXT_CHARS, .. })
                );
                prop_assert!(refused, "{:?}", command.action());
            }
        }
    }

    #[test]
    fn an_applicant_holds_thirty_drafts_at_most() {
        assert_eq!(may_open_draft(MAX_OPEN_DRAFTS - 1), Ok(()));
        assert_eq!(
            may_open_draft(MAX_OPEN_DRAFTS),
            Err(TransitionError::TooManyDrafts)
        );
    }

    #[test]
    fn codes_and_lines_have_their_own_bounds() {
        let long_code = "M".repeat(MAX_CODE_CHARS + 1);
        let issue = Command::Issue {
            method: IssueMethod::Window {
                window: String::new(),
                collector: Some(Collector {
                    name: "陈伟明".into(),
                    id_number: "11010519491231002X".into(),
                    entrustment: Some("委".repeat(MAX_LINE_CHARS + 1)),
                }),
            },
            collector_applicant: None,
        };
        assert_eq!(
            check_lengths(&issue),
            Err(TransitionError::TooLong {
                field: "collector.entrustment",
                max: MAX_LINE_CHARS
            })
        );
        let accept = Command::Accept {
            waived: vec![crate::case::state::WaiveRequest {
                material: long_code.clone(),
                due_on: NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(),
            }],
            received: vec![],
        };
        assert!(check_lengths(&accept).is_err());
        let assign = Command::Assign {
            assignee: long_code,
            found: None,
        };
        assert!(check_lengths(&assign).is_err());
    }
}

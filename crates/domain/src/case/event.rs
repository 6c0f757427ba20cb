//! The case's event log (全程留痕): one variant per kind of event, each with its facts.
//!
//! This is the only definition of an event's shape. It is tagged JSON, `{"kind": …, "payload":
//! {…}}`: the store keeps the two halves in their own columns and hashes both, the API serves
//! the same JSON, and the web app's timeline and the printed notices read the typed payloads.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::state::{
    Channel, Decision, IssueMethod, Recommendation, ReturnTarget, SpecialProcedure, SupplementItem,
    WaiveRequest,
};
use crate::calendar::Light;

/// One entry for the case's event log: what happened, at which step, and who may see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub event: Event,
    pub step: Option<usize>,
    /// Shown to the applicant (reviewers' comments only where the item allows it).
    pub public: bool,
}

/// What happened to a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum Event {
    Submitted(Submitted),
    Accepted(Accepted),
    Refused(Refused),
    SupplementRequested(SupplementRequested),
    SupplementProvided(SupplementProvided),
    StepCompleted(StepCompleted),
    Returned(Returned),
    Decided(Decided),
    SpecialProcedureStarted(SpecialProcedureStarted),
    SpecialProcedureEnded(SpecialProcedureEnded),
    WaivedMaterialProvided(WaivedMaterialProvided),
    Withdrawn(Withdrawn),
    Issued(Issued),
    Closed(Closed),
    MaterialUploaded(MaterialUploaded),
    Assigned(Assigned),
    LightChanged(LightChanged),
}

/// A draft sent online, or an application registered at the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Submitted {
    pub channel: Channel,
    /// The materials the applicant asked to bring later (容缺); absent before it was recorded.
    #[serde(default)]
    pub waive: Vec<String>,
}

/// 受理: at which window, the materials waived on promise (容缺), and the case's due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Accepted {
    pub window: String,
    pub waived: Vec<WaiveRequest>,
    pub due_on: Option<NaiveDate>,
    /// The materials the clerk checked as received; absent from acceptances logged before the
    /// checklist was recorded.
    #[serde(default)]
    pub received: Vec<String>,
}

/// 不予受理, with everything the refusal notice must state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Refused {
    pub reason: String,
    pub legal_basis: String,
    /// Where the applicant should apply instead.
    pub redirect: String,
    pub window: Option<String>,
    /// Staff id of the clerk.
    pub refused_by: String,
}

/// 一次性告知: every material missing or faulty, and which notice of the case this is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupplementRequested {
    pub items: Vec<SupplementItem>,
    /// 1 for the case's first notice.
    pub notice: u32,
    pub repeat: bool,
    pub repeat_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupplementProvided {
    pub note: String,
}

/// A review or verify step finished with the reviewer's opinion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepCompleted {
    pub comment: String,
    /// Staff id of the reviewer.
    pub by: String,
    pub step_name: String,
    /// What the reviewer recommends; steps logged before it was recorded recommended granting.
    #[serde(default)]
    pub recommendation: Recommendation,
}

/// The deciding step: approved or denied, and the decider's reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decided {
    pub decision: Decision,
    pub comment: String,
    /// Staff id of the decider.
    pub by: String,
    pub step_name: String,
    /// The decision's document number (文号), given once the decision stands
    /// ([`super::Outcome::number_decision`]); decisions logged before numbering have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SpecialProcedureStarted {
    pub procedure: SpecialProcedure,
    pub reason: String,
    /// The working days it needs and its last one; procedures logged before they had a time
    /// limit have neither, and serialize as they did, so their hash chain still verifies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SpecialProcedureEnded {
    pub procedure: Option<SpecialProcedure>,
    pub outcome: String,
    /// Ended after the last day the applicant was told; left out when not, as before.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub overran: bool,
}

/// A material waived on promise (容缺) came in; `late` if after the day it was due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaivedMaterialProvided {
    pub material: String,
    pub late: bool,
}

/// 退回: from which step, to where, why and by whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Returned {
    pub to: ReturnTarget,
    pub reason: String,
    pub by: String,
    /// The step that sent it back, and the step that is current again (none at the window).
    pub from_step: String,
    pub to_step: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Withdrawn {
    pub reason: String,
    /// Staff or applicant id of who withdrew it.
    pub by: String,
}

/// 出件 at the exit window, or 送达 by post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Issued {
    pub method: IssueMethod,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Closed {
    pub by: String,
}

/// A file for one of the item's materials; its bytes are stored under this event's sequence
/// number, and `digest` (SM3, hex) fingerprints them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MaterialUploaded {
    pub material: String,
    pub name: String,
    pub media_type: String,
    pub size: u64,
    pub digest: String,
    pub by: String,
}

/// 指派: the current step given to one approver; `previous` when it was reassigned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assigned {
    pub assignee: String,
    pub assignee_name: String,
    pub previous: Option<String>,
    pub step_name: String,
    /// Staff id of the chief representative.
    pub by: String,
}

/// Supervision moved the case's light (see [`crate::supervision`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LightChanged {
    pub from: Light,
    pub to: Light,
    pub due_on: NaiveDate,
}

/// An event whose stored kind and payload do not make one of [`Event`]'s variants.
#[derive(Debug, thiserror::Error)]
#[error("unreadable '{kind}' event: {source}")]
pub struct UnreadableEvent {
    pub kind: String,
    pub source: serde_json::Error,
}

impl Event {
    /// The tag the event is stored and served under.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Submitted(_) => "submitted",
            Event::Accepted(_) => "accepted",
            Event::Refused(_) => "refused",
            Event::SupplementRequested(_) => "supplement_requested",
            Event::SupplementProvided(_) => "supplement_provided",
            Event::StepCompleted(_) => "step_completed",
            Event::Returned(_) => "returned",
            Event::Decided(_) => "decided",
            Event::SpecialProcedureStarted(_) => "special_procedure_started",
            Event::SpecialProcedureEnded(_) => "special_procedure_ended",
            Event::WaivedMaterialProvided(_) => "waived_material_provided",
            Event::Withdrawn(_) => "withdrawn",
            Event::Issued(_) => "issued",
            Event::Closed(_) => "closed",
            Event::MaterialUploaded(_) => "material_uploaded",
            Event::Assigned(_) => "assigned",
            Event::LightChanged(_) => "light_changed",
        }
    }

    /// The payload alone as JSON text, as the store keeps it beside the kind.
    pub fn payload_json(&self) -> String {
        let text = match self {
            Event::Submitted(p) => serde_json::to_string(p),
            Event::Accepted(p) => serde_json::to_string(p),
            Event::Refused(p) => serde_json::to_string(p),
            Event::SupplementRequested(p) => serde_json::to_string(p),
            Event::SupplementProvided(p) => serde_json::to_string(p),
            Event::StepCompleted(p) => serde_json::to_string(p),
            Event::Returned(p) => serde_json::to_string(p),
            Event::Decided(p) => serde_json::to_string(p),
            Event::SpecialProcedureStarted(p) => serde_json::to_string(p),
            Event::SpecialProcedureEnded(p) => serde_json::to_string(p),
            Event::WaivedMaterialProvided(p) => serde_json::to_string(p),
            Event::Withdrawn(p) => serde_json::to_string(p),
            Event::Issued(p) => serde_json::to_string(p),
            Event::Closed(p) => serde_json::to_string(p),
            Event::MaterialUploaded(p) => serde_json::to_string(p),
            Event::Assigned(p) => serde_json::to_string(p),
            Event::LightChanged(p) => serde_json::to_string(p),
        };
        // Every payload is a struct of strings, numbers, dates and plain enums.
        text.expect("an event payload always serializes")
    }

    /// The event a stored kind and payload text make.
    pub fn from_parts(kind: &str, payload: &str) -> Result<Event, UnreadableEvent> {
        let unreadable = |source| UnreadableEvent {
            kind: kind.to_owned(),
            source,
        };
        let tag = serde_json::to_string(kind).map_err(unreadable)?;
        serde_json::from_str(&format!(r#"{{"kind":{tag},"payload":{payload}}}"#))
            .map_err(unreadable)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::case::Collector;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// One event of every kind, built from `text` wherever a payload holds free text.
    fn one_of_each(text: &str) -> Vec<Event> {
        let t = || text.to_owned();
        vec![
            Event::Submitted(Submitted {
                channel: Channel::Online,
                waive: vec![t()],
            }),
            Event::Accepted(Accepted {
                window: t(),
                waived: vec![WaiveRequest {
                    material: t(),
                    due_on: ymd(2026, 3, 2),
                }],
                due_on: None,
                received: vec![t()],
            }),
            Event::Refused(Refused {
                reason: t(),
                legal_basis: t(),
                redirect: t(),
                window: Some(t()),
                refused_by: t(),
            }),
            Event::SupplementRequested(SupplementRequested {
                items: vec![SupplementItem {
                    material: t(),
                    problem: crate::case::MaterialProblem::Faulty,
                    note: t(),
                }],
                notice: 2,
                repeat: true,
                repeat_reason: Some(t()),
            }),
            Event::SupplementProvided(SupplementProvided { note: t() }),
            Event::StepCompleted(StepCompleted {
                comment: t(),
                by: t(),
                step_name: t(),
                recommendation: Recommendation::Deny,
            }),
            Event::Returned(Returned {
                to: ReturnTarget::Window,
                reason: t(),
                by: t(),
                from_step: t(),
                to_step: Some(t()),
            }),
            Event::Decided(Decided {
                decision: Decision::Denied,
                comment: t(),
                by: t(),
                step_name: t(),
                document_number: Some(t()),
            }),
            Event::SpecialProcedureStarted(SpecialProcedureStarted {
                procedure: SpecialProcedure::ExpertReview,
                reason: t(),
                days: Some(10),
                due_on: Some(NaiveDate::from_ymd_opt(2026, 3, 13).unwrap()),
            }),
            Event::SpecialProcedureEnded(SpecialProcedureEnded {
                procedure: None,
                outcome: t(),
                overran: true,
            }),
            Event::WaivedMaterialProvided(WaivedMaterialProvided {
                material: t(),
                late: true,
            }),
            Event::Withdrawn(Withdrawn {
                reason: t(),
                by: t(),
            }),
            Event::Issued(Issued {
                method: IssueMethod::Window {
                    window: t(),
                    collector: Some(Collector {
                        name: t(),
                        id_number: t(),
                        entrustment: Some(t()),
                    }),
                },
            }),
            Event::Closed(Closed { by: t() }),
            Event::MaterialUploaded(MaterialUploaded {
                material: t(),
                name: t(),
                media_type: "application/pdf".to_owned(),
                size: 7,
                digest: t(),
                by: t(),
            }),
            Event::Assigned(Assigned {
                assignee: t(),
                assignee_name: t(),
                previous: None,
                step_name: t(),
                by: t(),
            }),
            Event::LightChanged(LightChanged {
                from: Light::Yellow,
                to: Light::Red,
                due_on: ymd(2026, 3, 9),
            }),
        ]
    }

    #[test]
    fn the_samples_hold_every_kind_once() {
        let kinds: std::collections::BTreeSet<_> =
            one_of_each("x").iter().map(Event::kind).collect();
        assert_eq!(kinds.len(), one_of_each("x").len());
        // Adding a variant without a sample fails to compile here.
        for e in one_of_each("x") {
            match e {
                Event::Submitted(_)
                | Event::Accepted(_)
                | Event::Refused(_)
                | Event::SupplementRequested(_)
                | Event::SupplementProvided(_)
                | Event::StepCompleted(_)
                | Event::Returned(_)
                | Event::Decided(_)
                | Event::SpecialProcedureStarted(_)
                | Event::SpecialProcedureEnded(_)
                | Event::WaivedMaterialProvided(_)
                | Event::Withdrawn(_)
                | Event::Issued(_)
                | Event::Closed(_)
                | Event::MaterialUploaded(_)
                | Event::Assigned(_)
                | Event::LightChanged(_) => {}
            }
        }
        assert_eq!(kinds.len(), 17);
    }

    proptest! {
        #[test]
        fn kind_and_payload_are_the_tagged_json_and_read_back(text in any::<String>()) {
            for e in one_of_each(&text) {
                let whole = serde_json::to_value(&e).unwrap();
                prop_assert_eq!(&whole["kind"], e.kind());
                let payload: serde_json::Value = serde_json::from_str(&e.payload_json()).unwrap();
                prop_assert_eq!(&whole["payload"], &payload);
                prop_assert_eq!(Event::from_parts(e.kind(), &e.payload_json()).unwrap(), e);
            }
        }
    }

    #[test]
    fn payloads_stored_before_the_enum_read_as_their_variant() {
        // As the untyped log wrote them (ADR 0019): absent options as null, field order free.
        let e =
            Event::from_parts("accepted", r#"{"window":"A01","waived":[],"due_on":null}"#).unwrap();
        assert_eq!(
            e,
            Event::Accepted(Accepted {
                window: "A01".into(),
                waived: vec![],
                due_on: None,
                received: vec![],
            })
        );
        let e = Event::from_parts("issued", r#"{"method":{"method":"window","window":"E02"}}"#)
            .unwrap();
        assert_eq!(
            e,
            Event::Issued(Issued {
                method: IssueMethod::Window {
                    window: "E02".into(),
                    collector: None,
                }
            })
        );
    }

    #[test]
    fn an_unknown_kind_or_a_payload_of_another_shape_is_unreadable() {
        assert!(Event::from_parts("teleported", "{}").is_err());
        assert!(Event::from_parts("closed", r#"{"who":"x"}"#).is_err());
        assert!(Event::from_parts("closed", "not json").is_err());
        assert!(Event::from_parts("closed\",\"payload\":{\"by\":\"x\"}}//", "{}").is_err());
    }
}

//! Cases and their event logs. A case row holds the domain [`Case`] as JSON plus the columns the
//! inboxes filter and sort on; every change appends hash-chained events and updates the
//! per-department counts in the same transaction.

mod columns;
mod inbox;
mod log;
pub(crate) mod numbers;
mod read;
mod save;

pub(crate) use columns::DeadlineColumns;
pub(crate) use log::chain_events;
pub use save::PreparedCase;
pub(crate) use save::insert_prepared;

use onewindow_domain::case::{Case, Entry, Event};

use serde::Serialize;
use sqlx_macros::FromRow;

/// Who caused an event, as the log records it.
#[derive(Debug, Clone)]
pub struct EventActor<'a> {
    pub id: &'a str,
    pub role: &'a str,
    pub window: Option<&'a str>,
    /// When it happened (the demo's history is written in the past).
    pub at_ms: i64,
}

/// A transition to store: the case as loaded, as it now stands, and the events between.
#[derive(Clone, Copy)]
pub(crate) struct Transition<'a> {
    pub before: &'a CaseRecord,
    pub after: &'a Case,
    pub events: &'a [Entry],
    pub actor: &'a EventActor<'a>,
}

/// What a new case needs besides its state.
pub struct NewCase<'a> {
    pub case: &'a Case,
    pub item_name: &'a str,
    pub department: &'a str,
    pub applicant_masked: &'a str,
}

/// A case's whole history, for [`Store::import_cases`].
pub struct HistoricalCase<'a> {
    pub number: String,
    pub case: Case,
    pub item_name: &'a str,
    pub department: &'a str,
    pub applicant_masked: &'a str,
    /// Month the case counts under (YYYY-MM).
    pub month: String,
    pub events: Vec<(Entry, EventActor<'a>)>,
}

/// A case as loaded for a transition or a detail page.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseRecord {
    pub number: String,
    pub item_name: String,
    pub department: String,
    pub applicant_masked: String,
    pub case: Case,
    #[serde(skip)]
    pub event_count: i64,
    #[serde(skip)]
    pub last_hash: String,
    /// The month the case was registered in (`YYYY-MM`): its cell of the kept counts.
    #[serde(skip)]
    pub month: String,
}

/// One row of an inbox.
#[derive(Debug, Clone, Serialize, FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseSummary {
    pub number: String,
    pub item_code: String,
    pub item_name: String,
    #[sqlx(rename = "department_code")]
    pub department: String,
    pub applicant_masked: String,
    #[cfg_attr(feature = "openapi", schema(value_type = onewindow_domain::case::CaseStatus))]
    pub status: String,
    #[cfg_attr(feature = "openapi", schema(value_type = onewindow_domain::case::Channel))]
    pub channel: String,
    #[sqlx(rename = "hall_code")]
    pub hall: Option<String>,
    pub accepted_window: Option<String>,
    pub current_department: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<NaiveDate>))]
    pub submitted_on: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<NaiveDate>))]
    pub accepted_on: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<NaiveDate>))]
    pub due_on: Option<String>,
    /// Due date of the current step.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<NaiveDate>))]
    pub step_due_on: Option<String>,
    /// The days promised; 0 for an immediate case (即办件), which is never warned of. Unknown
    /// for cases closed before the store kept it.
    pub promised_days: Option<i64>,
    pub supplement_notices: i64,
    /// Staff id and name of whom the current step is assigned to, if anyone.
    pub assignee: Option<String>,
    pub assignee_name: Option<String>,
    /// The kind of the current back-office step (审查, 审核, 审批), while there is one.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<onewindow_domain::catalogue::StepKind>))]
    pub step_kind: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventRecord {
    pub seq: i64,
    #[serde(flatten)]
    pub event: Event,
    pub step: Option<i64>,
    pub actor_id: String,
    pub actor_role: String,
    pub window: Option<String>,
    pub at_ms: i64,
    pub public: bool,
    pub hash: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusCount {
    #[cfg_attr(feature = "openapi", schema(value_type = onewindow_domain::case::CaseStatus))]
    pub status: String,
    #[sqlx(rename = "n")]
    pub count: i64,
}

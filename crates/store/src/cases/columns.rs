//! The columns of a case row: those its state decides, which the inboxes filter and sort on,
//! and those its deadlines decide on a day.

use chrono::NaiveDate;
use onewindow_domain::calendar::{Calendar, Light};
use onewindow_domain::case::Case;
use onewindow_domain::case::inbox::back_office_step;
use onewindow_domain::supervision;

use crate::sql::{AnyQuery, TableRow};
use crate::{Result, StoreError};

/// The columns a case's state decides (what the inboxes filter and sort on) and the state
/// itself as JSON; [`StateColumns::bind`] binds them in the order status, hall_code,
/// accepted_window, current_department, step_due_on, submitted_on, accepted_on, due_on,
/// decided_on, finished_on, supplement_notices, state, assignee, step_kind, then the deadline columns
/// light, promised_days, step_started_on, step_limit_days, clock_stops, deadline_as_of.
pub(super) struct StateColumns {
    pub(super) status: &'static str,
    pub(super) hall: Option<String>,
    pub(super) accepted_window: Option<String>,
    pub(super) current_department: Option<String>,
    pub(super) submitted_on: Option<String>,
    pub(super) accepted_on: Option<String>,
    pub(super) decided_on: Option<String>,
    pub(super) finished_on: Option<String>,
    pub(super) supplement_notices: i64,
    pub(super) state: String,
    /// Who holds the current step (指派), for "my inbox".
    pub(super) assignee: Option<String>,
    /// The kind of the current step (审查, 审核, 审批), for the inbox to say where a case stands.
    pub(super) step_kind: Option<&'static str>,
    pub(super) deadlines: DeadlineColumns,
}

impl StateColumns {
    pub(super) fn of(
        case: &Case,
        cal: &Calendar,
        today: NaiveDate,
        warn_days: u32,
    ) -> Result<StateColumns> {
        let step = back_office_step(case);
        Ok(StateColumns {
            status: case.status.as_str(),
            hall: case.hall.clone(),
            accepted_window: case.accepted_at_window.clone(),
            current_department: step.map(|s| s.department.clone()),
            submitted_on: date(case.submitted_on),
            accepted_on: date(case.accepted_on),
            decided_on: date(case.decided_on),
            finished_on: date(case.finished_on),
            supplement_notices: i64::from(case.supplement_notices),
            state: serde_json::to_string(case).map_err(|e| StoreError::corrupt("case", e))?,
            assignee: step.and_then(|s| s.assignee.clone()),
            step_kind: step.map(|s| s.kind.as_str()),
            deadlines: DeadlineColumns::of(case, cal, today, warn_days),
        })
    }

    pub(super) fn bind(self, q: AnyQuery<'_>) -> AnyQuery<'_> {
        let d = self.deadlines;
        q.bind(self.status)
            .bind(self.hall)
            .bind(self.accepted_window)
            .bind(self.current_department)
            .bind(d.step_due_on)
            .bind(self.submitted_on)
            .bind(self.accepted_on)
            .bind(d.due_on)
            .bind(self.decided_on)
            .bind(self.finished_on)
            .bind(self.supplement_notices)
            .bind(self.state)
            .bind(self.assignee)
            .bind(self.step_kind)
            .bind(d.light)
            .bind(d.promised_days)
            .bind(d.step_started_on)
            .bind(d.step_limit_days)
            .bind(d.clock_stops)
            .bind(d.deadline_as_of)
    }
}

/// The columns a case's deadlines decide on a day: the due dates, the light supervision keeps
/// (docs/adr/0011-supervision-pass.md), and what the due dates are derived from.
pub(crate) struct DeadlineColumns {
    pub step_due_on: Option<String>,
    pub due_on: Option<String>,
    pub light: Option<&'static str>,
    pub promised_days: i64,
    /// The back-office step's start and limit, while it has no clock stops of its own counted
    /// in `clock_stops`.
    pub step_started_on: Option<String>,
    pub step_limit_days: Option<i64>,
    /// How many times the case's clock was stopped; the due dates of a case with any count the
    /// stopped working days, so only its state can give them.
    pub clock_stops: i64,
    /// `today` while the clock is stopped and the due dates move on each working day.
    pub deadline_as_of: Option<String>,
}

impl DeadlineColumns {
    pub(crate) fn of(
        case: &Case,
        cal: &Calendar,
        today: NaiveDate,
        warn_days: u32,
    ) -> DeadlineColumns {
        let step = back_office_step(case);
        let light = supervision::watched_light(case, cal, today, warn_days);
        DeadlineColumns {
            step_due_on: date(step.and_then(|s| s.due_on(cal, today))),
            due_on: date(case.due_on(cal, today)),
            light: light.map(Light::as_str),
            promised_days: i64::from(case.promised_days),
            step_started_on: date(step.and_then(|s| s.started_on)),
            step_limit_days: step.map(|s| i64::from(s.time_limit_days)),
            clock_stops: case.stops.len() as i64,
            deadline_as_of: (light.is_some() && case.clock_stopped()).then(|| today.to_string()),
        }
    }
}

pub(crate) fn date(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// A case row as first written.
pub(super) struct CaseRow {
    pub(super) number: String,
    pub(super) region: String,
    pub(super) item: String,
    pub(super) item_version: i64,
    pub(super) item_name: String,
    pub(super) department: String,
    pub(super) applicant: String,
    pub(super) applicant_masked: String,
    pub(super) channel: &'static str,
    pub(super) month: String,
    pub(super) event_count: i64,
    pub(super) last_hash: String,
    pub(super) created_ms: i64,
    pub(super) updated_ms: i64,
    pub(super) state: StateColumns,
    /// Set when the rows are written, by the store's seal (none without one).
    pub(super) head_seal: Option<String>,
    pub(super) state_seal: Option<String>,
}

impl CaseRow {
    /// Seals the row's chain head and state with `seal`.
    pub(super) fn seal(&mut self, seal: &crate::crypto::Seal) {
        self.head_seal = Some(seal.head(&self.number, self.event_count, &self.last_hash));
        self.state_seal = Some(seal.state(&self.number, self.state.status, &self.state.state));
    }
}

impl TableRow for CaseRow {
    const TABLE: &'static str = "cases";
    const COLUMNS: &'static [&'static str] = &[
        "number",
        "region_code",
        "item_code",
        "item_version",
        "item_name",
        "department_code",
        "applicant_id",
        "applicant_masked",
        "channel",
        "month",
        "event_count",
        "last_hash",
        "created_ms",
        "updated_ms",
        "head_seal",
        "state_seal",
        "status",
        "hall_code",
        "accepted_window",
        "current_department",
        "step_due_on",
        "submitted_on",
        "accepted_on",
        "due_on",
        "decided_on",
        "finished_on",
        "supplement_notices",
        "state",
        "assignee",
        "step_kind",
        "light",
        "promised_days",
        "step_started_on",
        "step_limit_days",
        "clock_stops",
        "deadline_as_of",
    ];

    fn bind(self, q: AnyQuery<'_>) -> AnyQuery<'_> {
        let q = q
            .bind(self.number)
            .bind(self.region)
            .bind(self.item)
            .bind(self.item_version)
            .bind(self.item_name)
            .bind(self.department)
            .bind(self.applicant)
            .bind(self.applicant_masked)
            .bind(self.channel)
            .bind(self.month)
            .bind(self.event_count)
            .bind(self.last_hash)
            .bind(self.created_ms)
            .bind(self.updated_ms)
            .bind(self.head_seal)
            .bind(self.state_seal);
        self.state.bind(q)
    }
}

pub(super) fn channel_str(case: &Case) -> &'static str {
    match case.channel {
        onewindow_domain::case::Channel::Online => "online",
        onewindow_domain::case::Channel::Window => "window",
    }
}

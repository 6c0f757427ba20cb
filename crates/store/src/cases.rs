//! Cases and their event logs. A case row holds the domain [`Case`] as JSON plus the columns the
//! inboxes filter and sort on; every change appends hash-chained events and updates the
//! per-department counts in the same transaction.

use chrono::NaiveDate;
use onewindow_domain::audit::{EventLink, GENESIS, Link, LinkFormat, event_link_hash};
use onewindow_domain::calendar::{Calendar, Light};
use onewindow_domain::case::{Case, CaseStatus, Entry, Event, StepProgress};
use onewindow_domain::identity::{CaseNumber, RegionCode};
use onewindow_domain::supervision;
use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Row};

use crate::bulk::{AnyQuery, TableRow, insert_rows};
use crate::case_numbers::take_in;
use crate::counts::{CountRow, count_stripe};
use crate::materials::{NewFile, insert_file};
use crate::script::Script;
use crate::{Engine, Result, Store, StoreError};

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
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseSummary {
    pub number: String,
    pub item_code: String,
    pub item_name: String,
    pub department: String,
    pub applicant_masked: String,
    #[cfg_attr(feature = "openapi", schema(value_type = CaseStatus))]
    pub status: String,
    #[cfg_attr(feature = "openapi", schema(value_type = onewindow_domain::case::Channel))]
    pub channel: String,
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
    pub supplement_notices: i64,
    /// Staff id and name of whom the current step is assigned to, if anyone.
    pub assignee: Option<String>,
    pub assignee_name: Option<String>,
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

/// Whose cases a list shows.
#[derive(Debug, Clone)]
pub enum InboxScope {
    /// Steps waiting in a department's back office, by step deadline.
    Department(String),
    /// A hall's cases, and the submitted applications its window may accept.
    Hall {
        hall: String,
        window: String,
    },
    Applicant(String),
    /// Supervisors, leaders and admins.
    Centre,
}

/// Whose the current step is, for the back office's "mine" and "not yet assigned".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssigneeFilter {
    /// Assigned to this member of staff.
    Staff(String),
    /// Assigned to nobody yet.
    Nobody,
}

/// Filters on a list; dates compare as ISO text.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub status: Option<CaseStatus>,
    /// Due date bounds, from the domain's light bounds.
    pub due_from: Option<NaiveDate>,
    pub due_to: Option<NaiveDate>,
    pub department: Option<String>,
    pub window: Option<String>,
    pub item: Option<String>,
    pub submitted_from: Option<NaiveDate>,
    pub submitted_to: Option<NaiveDate>,
    /// Only cases still open (a light means something only for those).
    pub open_only: bool,
    pub assignee: Option<AssigneeFilter>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusCount {
    #[cfg_attr(feature = "openapi", schema(value_type = CaseStatus))]
    pub status: String,
    pub count: i64,
}

/// The columns a case's state decides (what the inboxes filter and sort on) and the state
/// itself as JSON; [`StateColumns::bind`] binds them in the order status, hall_code,
/// accepted_window, current_department, step_due_on, submitted_on, accepted_on, due_on,
/// decided_on, finished_on, supplement_notices, state, assignee, then the deadline columns
/// light, promised_days, step_started_on, step_limit_days, clock_stops, deadline_as_of.
struct StateColumns {
    status: &'static str,
    hall: Option<String>,
    accepted_window: Option<String>,
    current_department: Option<String>,
    submitted_on: Option<String>,
    accepted_on: Option<String>,
    decided_on: Option<String>,
    finished_on: Option<String>,
    supplement_notices: i64,
    state: String,
    /// Who holds the current step (指派), for "my inbox".
    assignee: Option<String>,
    deadlines: DeadlineColumns,
}

/// The statuses in which the back office holds a case: only these have a current department.
const BACK_OFFICE: [CaseStatus; 3] = [
    CaseStatus::InProgress,
    CaseStatus::Suspended,
    CaseStatus::AwaitingSupplement,
];

/// The current step while the back office holds the case (accepted, not yet decided).
fn back_office_step(case: &Case) -> Option<&StepProgress> {
    let in_back_office = BACK_OFFICE.contains(&case.status) && case.accepted_on.is_some();
    case.current().filter(|_| in_back_office)
}

impl StateColumns {
    fn of(case: &Case, cal: &Calendar, today: NaiveDate, warn_days: u32) -> Result<StateColumns> {
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
            deadlines: DeadlineColumns::of(case, cal, today, warn_days),
        })
    }

    fn bind(self, q: AnyQuery<'_>) -> AnyQuery<'_> {
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
struct CaseRow {
    number: String,
    region: String,
    item: String,
    item_version: i64,
    item_name: String,
    department: String,
    applicant: String,
    applicant_masked: String,
    channel: &'static str,
    month: String,
    event_count: i64,
    last_hash: String,
    created_ms: i64,
    updated_ms: i64,
    state: StateColumns,
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
            .bind(self.updated_ms);
        self.state.bind(q)
    }
}

/// One record of a case's event log, its hash chained from the record before.
pub(crate) struct EventRow {
    case_number: String,
    seq: i64,
    kind: &'static str,
    step: Option<i64>,
    actor_id: String,
    actor_role: String,
    window: Option<String>,
    at_ms: i64,
    public: bool,
    payload: String,
    hash: String,
    region: String,
}

impl TableRow for EventRow {
    const TABLE: &'static str = "case_events";
    const COLUMNS: &'static [&'static str] = &[
        "case_number",
        "seq",
        "kind",
        "step",
        "actor_id",
        "actor_role",
        "window_code",
        "at_ms",
        "public",
        "payload",
        "hash",
        "region_code",
    ];

    fn bind(self, q: AnyQuery<'_>) -> AnyQuery<'_> {
        q.bind(self.case_number)
            .bind(self.seq)
            .bind(self.kind)
            .bind(self.step)
            .bind(self.actor_id)
            .bind(self.actor_role)
            .bind(self.window)
            .bind(self.at_ms)
            .bind(i64::from(self.public))
            .bind(self.payload)
            .bind(self.hash)
            .bind(self.region)
    }
}

/// A case ready to be written: its row and its whole chained event log, computed without the
/// database, so cases can be prepared on one core while another writes them.
pub struct PreparedCase {
    row: CaseRow,
    events: Vec<EventRow>,
}

const SUMMARY_COLUMNS: &str = "number, item_code, item_name, department_code, applicant_masked, status, channel, hall_code, accepted_window, current_department, submitted_on, accepted_on, due_on, step_due_on, supplement_notices, assignee, (SELECT name FROM staff WHERE staff.id = cases.assignee) AS assignee_name";

fn summary_from_row(r: &AnyRow) -> std::result::Result<CaseSummary, sqlx::Error> {
    Ok(CaseSummary {
        number: r.try_get("number")?,
        item_code: r.try_get("item_code")?,
        item_name: r.try_get("item_name")?,
        department: r.try_get("department_code")?,
        applicant_masked: r.try_get("applicant_masked")?,
        status: r.try_get("status")?,
        channel: r.try_get("channel")?,
        hall: r.try_get("hall_code")?,
        accepted_window: r.try_get("accepted_window")?,
        current_department: r.try_get("current_department")?,
        submitted_on: r.try_get("submitted_on")?,
        accepted_on: r.try_get("accepted_on")?,
        due_on: r.try_get("due_on")?,
        step_due_on: r.try_get("step_due_on")?,
        supplement_notices: r.try_get("supplement_notices")?,
        assignee: r.try_get("assignee")?,
        assignee_name: r.try_get("assignee_name")?,
    })
}

/// A statement under construction whose arguments are numbered as they are added.
struct Sql {
    text: String,
    args: Vec<Option<String>>,
}

impl Sql {
    fn new(text: &str) -> Sql {
        Sql {
            text: text.to_owned(),
            args: Vec::new(),
        }
    }
    /// Appends `clause` with each `?` replaced by the next `$N`.
    fn push(&mut self, clause: &str, values: &[Option<String>]) -> &mut Sql {
        let mut values = values.iter();
        for ch in clause.chars() {
            if ch == '?' {
                self.args.push(values.next().cloned().flatten());
                self.text.push_str(&format!("${}", self.args.len()));
            } else {
                self.text.push(ch);
            }
        }
        self
    }
    fn query(&self) -> sqlx::query::Query<'_, Any, sqlx::any::AnyArguments> {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(self.text.clone()));
        for a in &self.args {
            q = q.bind(a.clone());
        }
        q
    }
}

/// The statements of a new case's row, first events and counts. Only the case row can break a
/// unique constraint here: its number is taken ([`case_number_taken`]).
#[allow(clippy::too_many_arguments)]
fn first_write<'q>(
    store: &Store,
    number: &str,
    new: &NewCase<'_>,
    events: &[Entry],
    actor: &EventActor<'_>,
    cal: &Calendar,
    today: NaiveDate,
) -> Result<Script<'q>> {
    let month = today.format("%Y-%m").to_string();
    let pairs: Vec<_> = events.iter().map(|e| (e, actor)).collect();
    let prepared = FirstWrite {
        number,
        new,
        month: &month,
        events: &pairs,
        created_ms: actor.at_ms,
        updated_ms: actor.at_ms,
    }
    .prepare(cal, today, store.warn_days)?;
    let (cases, events, counts) = into_rows(store.engine, vec![prepared]);
    let mut script = Script::new(store.engine);
    script.insert(cases);
    script.insert(events);
    script.insert(counts);
    Ok(script)
}

fn case_number_taken(e: StoreError) -> StoreError {
    crate::conflict_on_unique(e, "case number")
}

/// A transition's write found the case changed since it was loaded (see
/// [`Store::write_transition`]): its log count refused, or its events' numbers taken.
fn case_changed(e: StoreError) -> StoreError {
    const WHAT: &str = "case changed meanwhile";
    match crate::conflict_on_unique(e, WHAT) {
        StoreError::Database(sqlx::Error::Database(db))
            if db.kind() == sqlx::error::ErrorKind::NotNullViolation
                && db.message().contains("event_count") =>
        {
            StoreError::Conflict(WHAT.into())
        }
        other => other,
    }
}

/// A hall's cases: those it accepted, and the submitted ones one of its windows may accept.
const HALL_ACCEPTED: &str = "hall_code = ?";
// A submitted case belongs to no hall yet (the domain's walks keep this): the waiting branch is
// read from the status index in deadline order, with nothing about halls to misjudge.
const HALL_WAITING: &str = "status = 'submitted' AND item_code IN (SELECT item_code FROM window_items WHERE window_code = ?)";

/// One branch of an inbox page: its cases' SELECT, wrapped in `from` and `to`.
struct Branch<'a> {
    from: String,
    condition: Box<dyn Fn(&mut Sql) + Send + Sync + 'a>,
    /// Closes `from`, with the values it binds; the branch's page order follows it.
    to: Option<(String, Vec<Option<String>>)>,
}

impl<'a> Branch<'a> {
    /// The cases' SELECT alone, under `condition`.
    fn new(condition: impl Fn(&mut Sql) + Send + Sync + 'a) -> Branch<'a> {
        Branch {
            from: String::new(),
            condition: Box::new(condition),
            to: None,
        }
    }
}

impl Store {
    /// The branches of a scope's cases (a hall's accepted ones), one per status of
    /// [`page_statuses`], each with the filter it is read with. SQLite reads each as a branch of
    /// its own. PostgreSQL reads them as one, a page per status over the list of statuses:
    /// planned once, not once per status (on 300,000 cases ten branches took about 1 ms to
    /// plan, three times what the list takes, and longer than reading the page).
    fn status_branches<'a>(
        &self,
        scope: &'a InboxScope,
        filter: &'a CaseFilter,
    ) -> Vec<(Branch<'a>, Cow<'a, CaseFilter>)> {
        let condition = move |sql: &mut Sql| match scope {
            InboxScope::Hall { hall, .. } => {
                sql.push(&format!(" AND {HALL_ACCEPTED}"), &[Some(hall.clone())]);
            }
            other => scope_clause(sql, other),
        };
        let statuses = page_statuses(scope, filter);
        let plain = |status: Option<CaseStatus>| {
            let filter = if status == filter.status {
                Cow::Borrowed(filter)
            } else {
                Cow::Owned(CaseFilter {
                    status,
                    ..filter.clone()
                })
            };
            (Branch::new(condition), filter)
        };
        match (self.engine, statuses.as_slice()) {
            (Engine::Postgres, [_, _, ..]) => {
                let list: Vec<String> = statuses
                    .iter()
                    .flatten()
                    .map(|s| format!("('{}')", s.as_str()))
                    .collect();
                let branch = Branch {
                    from: format!(
                        "SELECT each_status.* FROM (VALUES {}) AS statuses (status) CROSS JOIN LATERAL (",
                        list.join(", ")
                    ),
                    condition: Box::new(move |sql: &mut Sql| {
                        condition(sql);
                        sql.push(" AND status = statuses.status", &[]);
                    }),
                    to: Some((") AS each_status".into(), Vec::new())),
                };
                vec![(branch, Cow::Borrowed(filter))]
            }
            _ => statuses.into_iter().map(plain).collect(),
        }
    }

    /// The submitted cases one of a window's items may be accepted at, by deadline. PostgreSQL
    /// reads the first page of each item from the waiting index and merges them: planned from
    /// statistics, the IN form crossed the status and item indexes once per item, 0.5 s a page
    /// once S2's submissions had outgrown the statistics taken before them. SQLite keeps the
    /// IN form, read in order from the status index.
    fn waiting_branch<'a>(&self, window: &'a str) -> Branch<'a> {
        match self.engine {
            Engine::Sqlite => Branch::new(move |sql: &mut Sql| {
                sql.push(&format!(" AND {HALL_WAITING}"), &[Some(window.to_owned())]);
            }),
            Engine::Postgres => Branch {
                from: "SELECT waiting.* FROM window_items CROSS JOIN LATERAL (".into(),
                condition: Box::new(|sql: &mut Sql| {
                    sql.push(
                        " AND status = 'submitted' AND item_code = window_items.item_code",
                        &[],
                    );
                }),
                to: Some((
                    ") AS waiting WHERE window_items.window_code = ?".into(),
                    vec![Some(window.to_owned())],
                )),
            },
        }
    }
}

/// The statuses a page is read by, one branch each, merged by deadline; `None` reads the scope
/// whole. The deadline indexes all begin with the scope and the status (ADR 0016): one index
/// per scope without the status would be written with every change of every case only for the
/// pages without a status. An item's page reads the item's own index instead, as does an
/// applicant's (a few cases, sorted).
fn page_statuses(scope: &InboxScope, filter: &CaseFilter) -> Vec<Option<CaseStatus>> {
    let split = filter.status.is_none()
        && match scope {
            InboxScope::Department(_) => true,
            InboxScope::Hall { .. } | InboxScope::Centre => filter.item.is_none(),
            InboxScope::Applicant(_) => false,
        };
    if !split {
        return vec![filter.status];
    }
    let held = |s: &CaseStatus| match scope {
        InboxScope::Department(_) => BACK_OFFICE.contains(s),
        // A submitted case is in no hall yet: a hall's are its waiting branch.
        InboxScope::Hall { .. } => !matches!(s, CaseStatus::Draft | CaseStatus::Submitted),
        // The centre does not see drafts (scope_clause).
        _ => *s != CaseStatus::Draft,
    };
    CaseStatus::ALL
        .into_iter()
        .filter(|s| !filter.open_only || s.is_open())
        .filter(held)
        .map(Some)
        .collect()
}

fn scope_clause(sql: &mut Sql, scope: &InboxScope) {
    match scope {
        InboxScope::Department(d) => sql.push(" AND current_department = ?", &[Some(d.clone())]),
        InboxScope::Hall { hall, window } => sql.push(
            &format!(" AND (({HALL_ACCEPTED}) OR ({HALL_WAITING}))"),
            &[Some(hall.clone()), Some(window.clone())],
        ),
        InboxScope::Applicant(a) => sql.push(" AND applicant_id = ?", &[Some(a.clone())]),
        InboxScope::Centre => sql.push(" AND status <> 'draft'", &[]),
    };
}

/// The filters of an inbox page, and the page's start after `cursor`.
fn filter_clauses(sql: &mut Sql, filter: &CaseFilter, due_col: &str, cursor: Option<&str>) {
    assignee_clause(sql, filter.assignee.as_ref());
    let s = |v: &Option<String>| v.clone();
    // A literal: SQLite ran a merge of ten branches a third slower with each status bound.
    if let Some(status) = filter.status {
        sql.push(&format!(" AND status = '{}'", status.as_str()), &[]);
    }
    if filter.open_only {
        let open: Vec<String> = CaseStatus::ALL
            .into_iter()
            .filter(|c| c.is_open())
            .map(|c| format!("'{}'", c.as_str()))
            .collect();
        sql.push(&format!(" AND status IN ({})", open.join(", ")), &[]);
    }
    if filter.due_from.is_some() {
        sql.push(&format!(" AND {due_col} >= ?"), &[date(filter.due_from)]);
    }
    if filter.due_to.is_some() {
        sql.push(&format!(" AND {due_col} <= ?"), &[date(filter.due_to)]);
    }
    if filter.department.is_some() {
        sql.push(" AND department_code = ?", &[s(&filter.department)]);
    }
    if filter.window.is_some() {
        sql.push(" AND accepted_window = ?", &[s(&filter.window)]);
    }
    if filter.item.is_some() {
        sql.push(" AND item_code = ?", &[s(&filter.item)]);
    }
    if filter.submitted_from.is_some() {
        sql.push(" AND submitted_on >= ?", &[date(filter.submitted_from)]);
    }
    if filter.submitted_to.is_some() {
        sql.push(" AND submitted_on <= ?", &[date(filter.submitted_to)]);
    }
    if let Some((due, number)) = cursor.and_then(|c| c.split_once('~')) {
        sql.push(
            &format!(" AND ({due_col} > ? OR ({due_col} = ? AND number > ?))"),
            &[
                Some(due.to_owned()),
                Some(due.to_owned()),
                Some(number.to_owned()),
            ],
        );
    }
}

fn assignee_clause(sql: &mut Sql, assignee: Option<&AssigneeFilter>) {
    match assignee {
        Some(AssigneeFilter::Staff(id)) => sql.push(" AND assignee = ?", &[Some(id.clone())]),
        Some(AssigneeFilter::Nobody) => sql.push(" AND assignee IS NULL", &[]),
        None => sql,
    };
}

impl Store {
    /// Numbers a new case (the district's next of the day) and stores it with its first events,
    /// in one transaction. Returns the number.
    pub async fn register_case(
        &self,
        new: &NewCase<'_>,
        events: &[Entry],
        actor: &EventActor<'_>,
        cal: &Calendar,
        today: NaiveDate,
    ) -> Result<String> {
        let region = &new.case.region;
        let district = RegionCode::parse(region).map_err(|e| StoreError::corrupt("region", e))?;
        let reserved = self.reserved_case_sequence(region, today).await?;
        let mut tx = self.begin().await?;
        let seq = take_in(&mut tx, reserved, region, today).await?;
        let number = CaseNumber::new(&district, today, seq)
            .map_err(|e| StoreError::corrupt("case sequence", e))?
            .to_string();
        let script = first_write(self, &number, new, events, actor, cal, today)?;
        tx.commit_with(script).await.map_err(case_number_taken)?;
        Ok(number)
    }

    /// Stores a new case under a number already taken, with its first events.
    pub async fn insert_case(
        &self,
        number: &str,
        new: &NewCase<'_>,
        events: &[Entry],
        actor: &EventActor<'_>,
        cal: &Calendar,
        today: NaiveDate,
    ) -> Result<()> {
        let script = first_write(self, number, new, events, actor, cal, today)?;
        self.write(script).await.map_err(case_number_taken)
    }

    pub async fn case(&self, number: &str) -> Result<CaseRecord> {
        let row = sqlx::query(
            "SELECT number, item_name, department_code, applicant_masked, state, event_count, last_hash, month FROM cases WHERE number = $1",
        )
        .bind(number)
        .fetch_optional(&mut *self.read().await?)
        .await?
        .ok_or(StoreError::NotFound)?;
        let state: String = row.try_get("state")?;
        Ok(CaseRecord {
            number: row.try_get("number")?,
            item_name: row.try_get("item_name")?,
            department: row.try_get("department_code")?,
            applicant_masked: row.try_get("applicant_masked")?,
            case: serde_json::from_str(&state).map_err(|e| StoreError::corrupt("case", e))?,
            event_count: row.try_get("event_count")?,
            last_hash: row.try_get("last_hash")?,
            month: row.try_get("month")?,
        })
    }

    /// Stores the outcome of a transition of `before`. Fails with `Conflict` when someone else
    /// changed the case since it was loaded (the caller reloads and decides again).
    pub async fn save_transition(
        &self,
        before: &CaseRecord,
        after: &Case,
        events: &[Entry],
        actor: &EventActor<'_>,
        cal: &Calendar,
        today: NaiveDate,
    ) -> Result<()> {
        let transition = Transition {
            before,
            after,
            events,
            actor,
        };
        self.write_transition(&transition, cal, today, None).await
    }

    /// [`Store::save_transition`], with an uploaded file written in the same transaction under
    /// the sequence number of its `material_uploaded` event.
    pub(crate) async fn write_transition(
        &self,
        t: &Transition<'_>,
        cal: &Calendar,
        today: NaiveDate,
        file: Option<&NewFile<'_>>,
    ) -> Result<()> {
        let Transition {
            before,
            after,
            events,
            actor,
        } = *t;
        let columns = StateColumns::of(after, cal, today, self.warn_days)?;
        let pairs: Vec<_> = events.iter().map(|e| (e, actor)).collect();
        let (rows, last_hash) = chain_events(
            &before.number,
            &after.region,
            before.event_count,
            &before.last_hash,
            &pairs,
        )?;
        let new_count = before.event_count + events.len() as i64;
        let mut script = Script::new(self.engine);
        // The case row first. Should someone else have changed the case since it was loaded,
        // its log count is no longer `before`'s: the update then sets it to NULL, which its
        // column refuses, and the script stops there (the events that follow would fail too,
        // their sequence numbers taken). A conflict is an error inside the write, so the write
        // may release its savepoint in the same round trip (write.rs).
        script.push(
            "UPDATE cases SET status = $1, hall_code = $2, accepted_window = $3, current_department = $4, step_due_on = $5,
                submitted_on = $6, accepted_on = $7, due_on = $8, decided_on = $9, finished_on = $10, supplement_notices = $11,
                state = $12, assignee = $13, light = $14, promised_days = $15, step_started_on = $16, step_limit_days = $17,
                clock_stops = $18, deadline_as_of = $19,
                event_count = CASE WHEN event_count = $20 THEN $21 END, last_hash = $22, updated_ms = $23
             WHERE number = $24",
            {
                let (event_count, at_ms, number) =
                    (before.event_count, actor.at_ms, before.number.clone());
                move |q| {
                    columns
                        .bind(q)
                        .bind(event_count)
                        .bind(new_count)
                        .bind(last_hash)
                        .bind(at_ms)
                        .bind(number)
                }
            },
        );
        script.insert(rows);
        if before.case.status != after.status {
            let count = |status, delta| CountRow {
                region: after.region.clone(),
                department: before.department.clone(),
                month: before.month.clone(),
                status,
                stripe: count_stripe(self.engine, &before.number),
                delta,
            };
            script.insert(vec![
                count(before.case.status.as_str(), -1),
                count(after.status.as_str(), 1),
            ]);
        }
        let written = async {
            let Some(file) = file else {
                return self.write(script).await;
            };
            let position = events
                .iter()
                .position(|e| matches!(e.event, Event::MaterialUploaded(_)))
                .ok_or_else(|| StoreError::corrupt("upload", "no material_uploaded event"))?;
            let seq = before.event_count + position as i64 + 1;
            let mut tx = self.begin_with(script).await?;
            insert_file(&mut tx, &before.number, &after.region, seq, file, actor).await?;
            tx.commit().await
        };
        written.await.map_err(case_changed)
    }

    /// The case's log, oldest first.
    pub async fn events(&self, number: &str) -> Result<Vec<EventRecord>> {
        let rows = sqlx::query(
            "SELECT seq, kind, step, actor_id, actor_role, window_code, at_ms, public, payload, hash
             FROM case_events WHERE case_number = $1 ORDER BY seq",
        )
        .bind(number)
        .fetch_all(&mut *self.read().await?)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                let payload: String = r.try_get("payload")?;
                Ok(EventRecord {
                    seq: r.try_get("seq")?,
                    event: Event::from_parts(&kind, &payload)
                        .map_err(|e| StoreError::corrupt("event", e))?,
                    step: r.try_get("step")?,
                    actor_id: r.try_get("actor_id")?,
                    actor_role: r.try_get("actor_role")?,
                    window: r.try_get("window_code")?,
                    at_ms: r.try_get("at_ms")?,
                    public: r.try_get::<i64, _>("public")? != 0,
                    hash: r.try_get("hash")?,
                })
            })
            .collect()
    }

    /// A page of cases in scope, by deadline (the step's in a back office, the case's elsewhere).
    pub async fn list_cases(
        &self,
        scope: &InboxScope,
        filter: &CaseFilter,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<Page<CaseSummary>> {
        let due_col = match scope {
            InboxScope::Department(_) => "COALESCE(step_due_on, '9999-12-31')",
            _ => "COALESCE(due_on, '9999-12-31')",
        };
        let limit = limit.clamp(1, 200);
        // Each branch is read in deadline order from an index and stops after a page. A hall's
        // two conditions are two branches: joined by OR, neither index could give the order,
        // and every case the hall ever accepted would be sorted for each page.
        let mut branches = self.status_branches(scope, filter);
        if let InboxScope::Hall { window, .. } = scope {
            branches.push((self.waiting_branch(window), Cow::Borrowed(filter)));
        }
        // The branches give only each case's number and deadline, read from their index; the
        // page's rows are then read for its cases alone, not for every case each branch read.
        let page = format!(" ORDER BY sort_due, page_number LIMIT {}", limit + 1);
        let union = branches.len() > 1;
        // Both engines merge the branches as read from their indexes and stop after a page,
        // but each only for its own form of the union: PostgreSQL when every branch is limited
        // on its own (else it sorts them all), SQLite when none is (a limited branch is sorted
        // again before the merge).
        let limited = union && self.engine == Engine::Postgres;
        let mut sql = Sql::new(&format!("SELECT {SUMMARY_COLUMNS}, page.sort_due FROM ("));
        for (i, (branch, filter)) in branches.iter().enumerate() {
            if i > 0 {
                sql.push(" UNION ALL ", &[]);
            }
            if limited {
                sql.push("SELECT * FROM (", &[]);
            }
            sql.push(&branch.from, &[]);
            sql.push(
                &format!(
                    "SELECT number AS page_number, {due_col} AS sort_due FROM cases WHERE 1 = 1"
                ),
                &[],
            );
            (branch.condition)(&mut sql);
            filter_clauses(&mut sql, filter, due_col, cursor);
            if limited || !union {
                sql.push(&page, &[]);
            }
            if let Some((to, value)) = &branch.to {
                sql.push(to, value);
                sql.push(&page, &[]);
            }
            if limited {
                sql.push(&format!(") AS branch{i}"), &[]);
            }
        }
        if union {
            sql.push(&page, &[]);
        }
        sql.push(
            ") AS page JOIN cases ON cases.number = page.page_number ORDER BY page.sort_due, page.page_number",
            &[],
        );
        // A prepared statement, kept per connection: on PostgreSQL parsing and planning a page
        // took 1.0 to 1.3 ms against 0.2 to 0.5 ms reading it, and every scope's page is read
        // from an index that begins with the scope and the status, so the generic plan is the
        // page's own for every value (ADR 0018).
        let rows = sql.query().fetch_all(&mut *self.read().await?).await?;
        let mut items = Vec::with_capacity(rows.len());
        let mut next_cursor = None;
        for (i, r) in rows.iter().enumerate() {
            if i == limit as usize {
                let last = &rows[i - 1];
                next_cursor = Some(format!(
                    "{}~{}",
                    last.try_get::<String, _>("sort_due")?,
                    last.try_get::<String, _>("number")?
                ));
                break;
            }
            items.push(summary_from_row(r)?);
        }
        Ok(Page { items, next_cursor })
    }

    /// How many cases in scope, and assigned as asked, stand in each status (the inbox tabs).
    pub async fn status_counts(
        &self,
        scope: &InboxScope,
        assignee: Option<&AssigneeFilter>,
    ) -> Result<Vec<StatusCount>> {
        let sql = match (scope, assignee) {
            // The whole centre: from the counts kept with every change, not by counting millions
            // of cases at each look.
            (InboxScope::Centre, None) => Sql::new(
                "SELECT status, CAST(SUM(count) AS BIGINT) AS n FROM case_counts WHERE status <> 'draft'
                 GROUP BY status HAVING SUM(count) <> 0 ORDER BY status",
            ),
            _ => {
                let mut sql = Sql::new("SELECT status, COUNT(*) AS n FROM cases WHERE 1 = 1");
                scope_clause(&mut sql, scope);
                assignee_clause(&mut sql, assignee);
                sql.push(" GROUP BY status ORDER BY status", &[]);
                sql
            }
        };
        let rows = sql.query().fetch_all(&mut *self.read().await?).await?;
        rows.iter()
            .map(|r| {
                Ok(StatusCount {
                    status: r.try_get("status")?,
                    count: r.try_get("n")?,
                })
            })
            .collect::<std::result::Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// Every case number, in order, for chain verification.
    pub async fn case_numbers_after(&self, after: &str, limit: i64) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT number FROM cases WHERE number > $1 ORDER BY number LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&mut *self.read().await?)
        .await?)
    }

    /// Whether any case is stored: at a server's start, without counting millions of rows.
    pub async fn has_cases(&self) -> Result<bool> {
        Ok(sqlx::query("SELECT 1 FROM cases LIMIT 1")
            .fetch_optional(&mut *self.read().await?)
            .await?
            .is_some())
    }

    pub async fn count_cases(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM cases")
            .fetch_one(&mut *self.read().await?)
            .await?)
    }
}

fn channel_str(case: &Case) -> &'static str {
    match case.channel {
        onewindow_domain::case::Channel::Online => "online",
        onewindow_domain::case::Channel::Window => "window",
    }
}

/// A case written for the first time: a new case, or an imported history.
struct FirstWrite<'a> {
    number: &'a str,
    new: &'a NewCase<'a>,
    /// Month the case counts under (YYYY-MM).
    month: &'a str,
    /// Its whole log so far, chained from the genesis hash.
    events: &'a [(&'a Entry, &'a EventActor<'a>)],
    created_ms: i64,
    updated_ms: i64,
}

impl FirstWrite<'_> {
    fn prepare(&self, cal: &Calendar, today: NaiveDate, warn_days: u32) -> Result<PreparedCase> {
        let (new, case) = (self.new, self.new.case);
        let (events, last_hash) = chain_events(self.number, &case.region, 0, GENESIS, self.events)?;
        let row = CaseRow {
            number: self.number.to_owned(),
            region: case.region.clone(),
            item: case.item.clone(),
            item_version: i64::from(case.item_version),
            item_name: new.item_name.to_owned(),
            department: new.department.to_owned(),
            applicant: case.applicant.clone(),
            applicant_masked: new.applicant_masked.to_owned(),
            channel: channel_str(case),
            month: self.month.to_owned(),
            event_count: events.len() as i64,
            last_hash,
            created_ms: self.created_ms,
            updated_ms: self.updated_ms,
            state: StateColumns::of(case, cal, today, warn_days)?,
        };
        Ok(PreparedCase { row, events })
    }
}

impl HistoricalCase<'_> {
    /// The case's row and its event log with every hash, ready for a [`crate::BulkLoad`]; its
    /// light with `warn_days` of warning, as [`Store::warn_days`] of the store it goes to.
    pub fn prepare(
        &self,
        cal: &Calendar,
        today: NaiveDate,
        warn_days: u32,
    ) -> Result<PreparedCase> {
        let new = NewCase {
            case: &self.case,
            item_name: self.item_name,
            department: self.department,
            applicant_masked: self.applicant_masked,
        };
        let pairs: Vec<_> = self.events.iter().map(|(e, a)| (e, a)).collect();
        FirstWrite {
            number: &self.number,
            new: &new,
            month: &self.month,
            events: &pairs,
            created_ms: self.events.first().map_or(0, |(_, a)| a.at_ms),
            updated_ms: self.events.last().map_or(0, |(_, a)| a.at_ms),
        }
        .prepare(cal, today, warn_days)
    }
}

/// Writes case rows, their events and their counts, in the caller's transaction.
pub(crate) async fn insert_prepared(
    conn: &mut AnyConnection,
    engine: Engine,
    cases: Vec<PreparedCase>,
) -> Result<()> {
    let (cases, events, counts) = into_rows(engine, cases);
    insert_rows(conn, engine, cases).await?;
    insert_rows(conn, engine, events).await?;
    insert_rows(conn, engine, counts).await
}

/// The rows of prepared cases: theirs, their events', and one change of the kept counts per
/// department, month and status among them.
fn into_rows(
    engine: Engine,
    cases: Vec<PreparedCase>,
) -> (Vec<CaseRow>, Vec<EventRow>, Vec<CountRow>) {
    let mut counts: BTreeMap<(String, String, String, &'static str, i64), i64> = BTreeMap::new();
    let mut rows = Vec::with_capacity(cases.len());
    let mut events = Vec::with_capacity(cases.iter().map(|c| c.events.len()).sum());
    for c in cases {
        let r = &c.row;
        *counts
            .entry((
                r.region.clone(),
                r.department.clone(),
                r.month.clone(),
                r.state.status,
                count_stripe(engine, &r.number),
            ))
            .or_default() += 1;
        rows.push(c.row);
        events.extend(c.events);
    }
    let counts = counts
        .into_iter()
        .map(
            |((region, department, month, status, stripe), delta)| CountRow {
                region,
                department,
                month,
                status,
                stripe,
                delta,
            },
        )
        .collect();
    (rows, events, counts)
}

/// The log records of `events` appended after `count` existing ones, chained from `prev`, and
/// the new last hash.
pub(crate) fn chain_events(
    number: &str,
    region: &str,
    count: i64,
    prev: &str,
    events: &[(&Entry, &EventActor<'_>)],
) -> Result<(Vec<EventRow>, String)> {
    let mut prev = prev.to_owned();
    let mut rows = Vec::with_capacity(events.len());
    for (i, (e, actor)) in events.iter().enumerate() {
        let seq = count + i as i64 + 1;
        let kind = e.event.kind();
        let payload = e.event.payload_json();
        let step = e.step.map(|s| s as i64);
        let hash = event_link_hash(
            &prev,
            &EventLink {
                link: Link {
                    chain: number,
                    seq,
                    kind,
                    actor: actor.id,
                    at_ms: actor.at_ms,
                    payload: &payload,
                },
                role: actor.role,
                window: actor.window,
                step,
                public: e.public,
                format: LinkFormat::Whole,
            },
        );
        prev.clone_from(&hash);
        rows.push(EventRow {
            case_number: number.to_owned(),
            seq,
            kind,
            step,
            actor_id: actor.id.to_owned(),
            actor_role: actor.role.to_owned(),
            window: actor.window.map(str::to_owned),
            at_ms: actor.at_ms,
            public: e.public,
            payload,
            hash,
            region: region.to_owned(),
        });
    }
    Ok((rows, prev))
}

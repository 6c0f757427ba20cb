//! Inbox pages and their counts: the domain's inbox scopes and filters as SQL. A page's parts
//! ([`InboxScope::page_parts`]) are read each from an index in deadline order and merged.

use onewindow_domain::case::CaseStatus;
use onewindow_domain::case::inbox::{AssigneeFilter, CaseFilter, InboxScope, PagePart};
use std::borrow::Cow;

use sqlx_macros::FromRow;

use super::columns::date;
use super::{CaseSummary, Page, StatusCount};
use crate::sql::Statement;
use crate::{Engine, Result, Store};

const SUMMARY_COLUMNS: &str = "number, item_code, item_name, department_code, applicant_masked, status, channel, hall_code, accepted_window, current_department, submitted_on, accepted_on, due_on, step_due_on, promised_days, supplement_notices, assignee, step_kind, (SELECT name FROM staff WHERE staff.id = cases.assignee) AS assignee_name";

/// A row of a page: the case, and the deadline it is ordered by (the cursor's first half).
#[derive(FromRow)]
struct PageRow {
    #[sqlx(flatten)]
    summary: CaseSummary,
    sort_due: String,
}

/// A hall's cases: those it accepted, and the submitted ones one of its windows may accept.
const HALL_ACCEPTED: &str = "hall_code = ?";
// A submitted case belongs to no hall yet (the domain's walks keep this): the waiting branch is
// read from the status index in deadline order, with nothing about halls to misjudge.
const HALL_WAITING: &str = "status = 'submitted' AND item_code IN (SELECT item_code FROM window_items WHERE window_code = ?)";

/// One branch of an inbox page: its cases' SELECT, wrapped in `from` and `to`.
struct Branch<'a> {
    from: String,
    condition: Box<dyn Fn(&mut Statement) + Send + Sync + 'a>,
    /// Closes `from`, with the values it binds; the branch's page order follows it.
    to: Option<(String, Vec<Option<String>>)>,
}

impl<'a> Branch<'a> {
    /// The cases' SELECT alone, under `condition`.
    fn new(condition: impl Fn(&mut Statement) + Send + Sync + 'a) -> Branch<'a> {
        Branch {
            from: String::new(),
            condition: Box::new(condition),
            to: None,
        }
    }
}

impl Store {
    /// The branches of a page, one per part the domain reads it in, each with the filter it is
    /// read with. SQLite reads each as a branch of its own. PostgreSQL reads the scope's own
    /// statuses as one branch, a page per status over the list of statuses: planned once, not
    /// once per status (ADR 0020).
    fn branches<'a>(
        &self,
        scope: &'a InboxScope,
        filter: &'a CaseFilter,
    ) -> Vec<(Branch<'a>, Cow<'a, CaseFilter>)> {
        let condition = move |sql: &mut Statement| match scope {
            InboxScope::Hall { hall, .. } => {
                sql.push(&format!(" AND {HALL_ACCEPTED}"), &[Some(hall.clone())]);
            }
            other => scope_clause(sql, other),
        };
        let parts = scope.page_parts(filter);
        let held: Vec<Option<CaseStatus>> = parts
            .iter()
            .filter_map(|p| match p {
                PagePart::Held(status) => Some(*status),
                PagePart::Waiting { .. } => None,
            })
            .collect();
        let with_status = |status: Option<CaseStatus>| {
            if status == filter.status {
                Cow::Borrowed(filter)
            } else {
                Cow::Owned(CaseFilter {
                    status,
                    ..filter.clone()
                })
            }
        };
        let mut branches = match (self.engine, held.as_slice()) {
            (Engine::Postgres, [_, _, ..]) => {
                let list: Vec<String> = held
                    .iter()
                    .flatten()
                    .map(|s| format!("('{}')", s.as_str()))
                    .collect();
                let branch = Branch {
                    from: format!(
                        "SELECT each_status.* FROM (VALUES {}) AS statuses (status) CROSS JOIN LATERAL (",
                        list.join(", ")
                    ),
                    condition: Box::new(move |sql: &mut Statement| {
                        condition(sql);
                        sql.push(" AND status = statuses.status", &[]);
                    }),
                    to: Some((") AS each_status".into(), Vec::new())),
                };
                vec![(branch, Cow::Borrowed(filter))]
            }
            _ => held
                .into_iter()
                .map(|status| (Branch::new(condition), with_status(status)))
                .collect(),
        };
        for part in parts {
            if let PagePart::Waiting { window } = part {
                branches.push((self.waiting_branch(window), Cow::Borrowed(filter)));
            }
        }
        branches
    }

    /// The submitted cases one of a window's items may be accepted at, by deadline. PostgreSQL
    /// reads the first page of each item from the waiting index and merges them, as the IN
    /// form's plan depends on statistics that a burst of submissions outgrows (ADR 0020).
    /// SQLite keeps the IN form, read in order from the status index.
    fn waiting_branch<'a>(&self, window: String) -> Branch<'a> {
        match self.engine {
            Engine::Sqlite => Branch::new(move |sql: &mut Statement| {
                sql.push(&format!(" AND {HALL_WAITING}"), &[Some(window.clone())]);
            }),
            Engine::Postgres => Branch {
                from: "SELECT waiting.* FROM window_items CROSS JOIN LATERAL (".into(),
                condition: Box::new(|sql: &mut Statement| {
                    sql.push(
                        " AND status = 'submitted' AND item_code = window_items.item_code",
                        &[],
                    );
                }),
                to: Some((
                    ") AS waiting WHERE window_items.window_code = ?".into(),
                    vec![Some(window)],
                )),
            },
        }
    }
}

fn scope_clause(sql: &mut Statement, scope: &InboxScope) {
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
fn filter_clauses(sql: &mut Statement, filter: &CaseFilter, due_col: &str, cursor: Option<&str>) {
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
    if let Some(rules) = &filter.lit {
        sql.due_rules(due_col, rules);
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
    if filter.number.is_some() {
        sql.push(" AND number = ?", &[s(&filter.number)]);
    }
    match filter.applicants.as_deref() {
        Some([]) => sql.push(" AND 1 = 0", &[]),
        Some(ids) => {
            let marks = vec!["?"; ids.len()].join(", ");
            let values: Vec<Option<String>> = ids.iter().cloned().map(Some).collect();
            sql.push(&format!(" AND applicant_id IN ({marks})"), &values)
        }
        None => sql,
    };
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

fn assignee_clause(sql: &mut Statement, assignee: Option<&AssigneeFilter>) {
    match assignee {
        Some(AssigneeFilter::Staff(id)) => sql.push(" AND assignee = ?", &[Some(id.clone())]),
        Some(AssigneeFilter::Nobody) => sql.push(" AND assignee IS NULL", &[]),
        None => sql,
    };
}

impl Store {
    /// A page of cases in scope, by deadline (the step's in a back office, the case's elsewhere).
    pub async fn list_cases(
        &self,
        scope: &InboxScope,
        filter: &CaseFilter,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<Page<CaseSummary>> {
        let due_col = if scope.by_step_deadline() {
            "COALESCE(step_due_on, '9999-12-31')"
        } else {
            "COALESCE(due_on, '9999-12-31')"
        };
        let limit = limit.clamp(1, 200);
        // Each branch is read in deadline order from an index and stops after a page. A hall's
        // two conditions are two branches: joined by OR, neither index could give the order,
        // and every case the hall ever accepted would be sorted for each page.
        let branches = self.branches(scope, filter);
        // The branches give only each case's number and deadline, read from their index; the
        // page's rows are then read for its cases alone, not for every case each branch read.
        let page = format!(" ORDER BY sort_due, page_number LIMIT {}", limit + 1);
        let union = branches.len() > 1;
        // Both engines merge the branches as read from their indexes and stop after a page,
        // but each only for its own form of the union: PostgreSQL when every branch is limited
        // on its own (else it sorts them all), SQLite when none is (a limited branch is sorted
        // again before the merge).
        let limited = union && self.engine == Engine::Postgres;
        let mut sql = Statement::new(
            self.engine,
            &format!("SELECT {SUMMARY_COLUMNS}, page.sort_due FROM ("),
        );
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
        // A prepared statement, kept per connection: planning a page costs more than reading
        // it, and every scope's page is read from an index that begins with the scope and the
        // status, so the generic plan is the page's own for every value (ADR 0020).
        let mut rows: Vec<PageRow> = sql.query_as().fetch_all(&mut *self.read().await?).await?;
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let next_cursor = rows
            .last()
            .filter(|_| more)
            .map(|last| format!("{}~{}", last.sort_due, last.summary.number));
        Ok(Page {
            items: rows.into_iter().map(|r| r.summary).collect(),
            next_cursor,
        })
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
            (InboxScope::Centre, None) => Statement::new(
                self.engine,
                "SELECT status, CAST(SUM(count) AS BIGINT) AS n FROM case_counts WHERE status <> 'draft'
                 GROUP BY status HAVING SUM(count) <> 0 ORDER BY status",
            ),
            _ => {
                let mut sql = Statement::new(self.engine, "SELECT status, COUNT(*) AS n FROM cases WHERE 1 = 1");
                scope_clause(&mut sql, scope);
                assignee_clause(&mut sql, assignee);
                sql.push(" GROUP BY status ORDER BY status", &[]);
                sql
            }
        };
        Ok(sql.query_as().fetch_all(&mut *self.read().await?).await?)
    }
}

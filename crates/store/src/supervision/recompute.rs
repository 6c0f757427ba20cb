//! Deriving open deadlines again after the calendar changed, and each day for stopped clocks.

use chrono::NaiveDate;
use onewindow_domain::calendar::{Calendar, due_date};
use onewindow_domain::case::Case;
use serde::Serialize;
use sqlx::AnyConnection;

use super::{BATCH, PassReport, take_turn};
use crate::cases::DeadlineColumns;
use crate::sql::{AnyQuery, ValuesRow, update_from_values, update_returning};
use crate::write::Tx;
use crate::{Result, Store, StoreError};

/// The days `cal` departs from Monday to Friday on, and how, as a digest: all a deadline
/// depends on in a calendar (the days' names do not count).
fn working_days_digest(cal: &Calendar) -> String {
    let days: String = cal
        .overrides()
        .iter()
        .map(|o| format!("{} {}\n", o.date, o.kind.as_str()))
        .collect();
    crate::crypto::digest_hex(&days)
}

/// What [`Store::recompute_deadlines`] did in one region.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RecomputeReport {
    /// Groups of open cases without clock stops sharing their deadline inputs, each computed
    /// once.
    pub groups: u64,
    /// Open cases whose due date, or whose current step's, moved.
    pub moved: u64,
    /// Cases with clock stops, whose due dates were derived from their state one by one.
    pub from_state: u64,
    /// The pass that then moved the lights.
    pub pass: PassReport,
    /// The open cases whose promised date moved, whose applicants were told the old one.
    #[serde(skip)]
    pub promises: Vec<PromiseMoved>,
}

/// An open case whose promised date (its due date) a calendar change moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromiseMoved {
    pub number: String,
    pub item_name: String,
    pub applicant_id: String,
    pub due_on: NaiveDate,
}

/// What a statement that moves due dates returns of each case it moved: number, item name,
/// applicant and the new due date.
const PROMISE_RETURNING: &str =
    " RETURNING cases.number, cases.item_name, cases.applicant_id, cases.due_on";

type PromiseRow = (String, String, String, Option<String>);

impl PromiseMoved {
    fn of_rows(rows: Vec<PromiseRow>) -> Result<Vec<PromiseMoved>> {
        rows.into_iter()
            .filter_map(|(number, item_name, applicant_id, due_on)| {
                due_on.map(|due| (number, item_name, applicant_id, due))
            })
            .map(|(number, item_name, applicant_id, due)| {
                Ok(PromiseMoved {
                    number,
                    item_name,
                    applicant_id,
                    due_on: parse_date("due date", &due)?,
                })
            })
            .collect()
    }
}

/// A case's deadline columns derived again from its state. A light is set only where none was
/// kept (a case stored before lights were); a kept one is left to the pass, which logs changes.
struct Rederived {
    number: String,
    d: DeadlineColumns,
}

impl ValuesRow for Rederived {
    const TYPES: &'static [&'static str] = &[
        "TEXT", "TEXT", "TEXT", "TEXT", "BIGINT", "TEXT", "BIGINT", "BIGINT", "TEXT",
    ];
    const HEAD: &'static str = "UPDATE cases SET due_on = v.column2, step_due_on = v.column3, light = COALESCE(cases.light, v.column4), promised_days = v.column5, step_started_on = v.column6, step_limit_days = v.column7, clock_stops = v.column8, deadline_as_of = v.column9";
    const TAIL: &'static str = "WHERE cases.number = v.column1";
    fn bind(self, q: AnyQuery<'_>) -> AnyQuery<'_> {
        let d = self.d;
        q.bind(self.number)
            .bind(d.due_on)
            .bind(d.step_due_on)
            .bind(d.light)
            .bind(d.promised_days)
            .bind(d.step_started_on)
            .bind(d.step_limit_days)
            .bind(d.clock_stops)
            .bind(d.deadline_as_of)
    }
}

/// Due dates of a case with clock stops, derived again from its state after a calendar change.
struct StoppedDeadlines {
    number: String,
    due_on: Option<String>,
    step_due_on: Option<String>,
    deadline_as_of: Option<String>,
    /// Whether the due date itself moved, not only the step's.
    promise_moved: bool,
}

impl ValuesRow for StoppedDeadlines {
    const TYPES: &'static [&'static str] = &["TEXT", "TEXT", "TEXT", "TEXT"];
    const HEAD: &'static str =
        "UPDATE cases SET due_on = v.column2, step_due_on = v.column3, deadline_as_of = v.column4";
    const TAIL: &'static str = "WHERE cases.number = v.column1";
    fn bind(self, q: AnyQuery<'_>) -> AnyQuery<'_> {
        q.bind(self.number)
            .bind(self.due_on)
            .bind(self.step_due_on)
            .bind(self.deadline_as_of)
    }
}

/// A group of open cases without clock stops that share their deadline inputs, and so their due
/// dates, which the new calendar moves. The statements find a group's cases through the index
/// under each light (a pass may turn some meanwhile).
struct GroupMove {
    region: String,
    due_on: String,
    start: String,
    days: i64,
    /// The back-office step's start, limit and due date.
    step: Option<(String, i64, String)>,
    new_due_on: String,
    new_step_due_on: Option<String>,
}

/// A group whose cases have a back-office step: both due dates move.
struct StepGroupMove(GroupMove);

impl ValuesRow for StepGroupMove {
    const TYPES: &'static [&'static str] = &[
        "TEXT", "TEXT", "TEXT", "BIGINT", "TEXT", "BIGINT", "TEXT", "TEXT", "TEXT",
    ];
    const HEAD: &'static str = "UPDATE cases SET due_on = v.column8, step_due_on = v.column9";
    const TAIL: &'static str = "WHERE cases.region_code = v.column1 AND cases.light IS NOT NULL AND cases.light IN ('green', 'yellow', 'red') AND cases.due_on = v.column2 AND cases.clock_stops = 0 AND cases.accepted_on = v.column3 AND cases.promised_days = v.column4 AND cases.step_started_on = v.column5 AND cases.step_limit_days = v.column6 AND cases.step_due_on = v.column7";
    fn bind(self, q: AnyQuery<'_>) -> AnyQuery<'_> {
        let m = self.0;
        let (start, days, due) = m.step.expect("a step group has a step");
        q.bind(m.region)
            .bind(m.due_on)
            .bind(m.start)
            .bind(m.days)
            .bind(start)
            .bind(days)
            .bind(due)
            .bind(m.new_due_on)
            .bind(m.new_step_due_on)
    }
}

/// A group whose cases have no back-office step (an item without steps).
struct CaseGroupMove(GroupMove);

impl ValuesRow for CaseGroupMove {
    const TYPES: &'static [&'static str] = &["TEXT", "TEXT", "TEXT", "BIGINT", "TEXT"];
    const HEAD: &'static str = "UPDATE cases SET due_on = v.column5";
    const TAIL: &'static str = "WHERE cases.region_code = v.column1 AND cases.light IS NOT NULL AND cases.light IN ('green', 'yellow', 'red') AND cases.due_on = v.column2 AND cases.clock_stops = 0 AND cases.accepted_on = v.column3 AND cases.promised_days = v.column4 AND cases.step_started_on IS NULL";
    fn bind(self, q: AnyQuery<'_>) -> AnyQuery<'_> {
        let m = self.0;
        q.bind(m.region)
            .bind(m.due_on)
            .bind(m.start)
            .bind(m.days)
            .bind(m.new_due_on)
    }
}

/// A group's deadline inputs, in the order `group_moves` selects them.
type GroupRow = (
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<i64>,
    Option<String>,
);

pub(super) fn parse_date(what: &'static str, s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| StoreError::corrupt(what, e))
}

impl Store {
    /// Derives every open deadline of `region` again with `cal` (after a calendar change), then
    /// runs a pass so the lights follow. Due dates of cases without clock stops depend only on
    /// their start and limit, so each group of cases with equal deadline inputs is read from the
    /// index, computed once and updated together through the index; cases with clock stops are
    /// derived from their state.
    pub async fn recompute_deadlines(
        &self,
        region: &str,
        cal: &Calendar,
        today: NaiveDate,
    ) -> Result<RecomputeReport> {
        let mut report = RecomputeReport::default();
        let moves = self.group_moves(region, cal, &mut report).await?;
        let (with_step, without): (Vec<GroupMove>, Vec<GroupMove>) =
            moves.into_iter().partition(|m| m.step.is_some());
        // Only the step's due date moves in some groups: their applicants have nothing to hear.
        let (step_only, with_step): (Vec<GroupMove>, Vec<GroupMove>) = with_step
            .into_iter()
            .partition(|m| m.new_due_on == m.due_on);
        report.moved += self
            .apply_moves(step_only.into_iter().map(StepGroupMove).collect())
            .await?;
        let promised = self
            .apply_promise_moves(with_step.into_iter().map(StepGroupMove).collect())
            .await?;
        report.promises.extend(promised);
        let promised = self
            .apply_promise_moves(without.into_iter().map(CaseGroupMove).collect())
            .await?;
        report.promises.extend(promised);
        report.moved += report.promises.len() as u64;

        let stopped: Vec<String> = sqlx::query_scalar(
            "SELECT number FROM cases WHERE region_code = $1 AND light IS NOT NULL AND clock_stops > 0",
        )
        .bind(region)
        .fetch_all(&mut *self.read().await?)
        .await?;
        report.from_state = stopped.len() as u64;
        for chunk in stopped.chunks(BATCH) {
            // First read without SQLite's one writer: on an unchanged calendar (every start of
            // the server) none has moved, and reading their states takes seconds at ten million
            // cases, which every write would wait behind.
            let mut conn = self.read().await?;
            let moves = self.stopped_moves(&mut conn, chunk, cal, today, "").await?;
            drop(conn);
            let moving: Vec<String> = moves.into_iter().map(|m| m.number).collect();
            if !moving.is_empty() {
                let (moved, promised) = self.rederive_stopped(&moving, cal, today).await?;
                report.moved += moved;
                report.promises.extend(promised);
            }
        }
        report.pass = self.supervision_pass(region, cal, today).await?;
        self.mark_deadlines_derived(region, cal).await?;
        Ok(report)
    }

    /// Whether `region`'s open deadlines were last derived ([`Store::recompute_deadlines`],
    /// [`Store::mark_deadlines_derived`]) on a calendar with the working days of `cal`.
    pub async fn deadlines_derived_on(&self, region: &str, cal: &Calendar) -> Result<bool> {
        let stored: Option<Option<String>> =
            sqlx::query_scalar("SELECT deadline_calendar FROM regions WHERE code = $1")
                .bind(region)
                .fetch_optional(&mut *self.read().await?)
                .await?;
        Ok(stored.flatten() == Some(working_days_digest(cal)))
    }

    /// Records that `region`'s open deadlines were derived on `cal`: after a recomputation, or
    /// by a loader that derived them itself (`seed volume`).
    pub async fn mark_deadlines_derived(&self, region: &str, cal: &Calendar) -> Result<()> {
        self.write_one(
            sqlx::query("UPDATE regions SET deadline_calendar = $1 WHERE code = $2")
                .bind(working_days_digest(cal))
                .bind(region.to_owned()),
        )
        .await?;
        Ok(())
    }

    /// Derives the deadline columns of one batch of stale cases again; true when a full batch
    /// was written (more may wait).
    pub(super) async fn rederive_batch(
        &self,
        region: &str,
        cal: &Calendar,
        today: NaiveDate,
        report: &mut PassReport,
    ) -> Result<bool> {
        let (store, region, cal) = (self.clone(), region.to_owned(), cal.clone());
        let read = self
            .write(move |tx| {
                Box::pin(async move { store.rederive(tx, &region, &cal, today).await })
            })
            .await?;
        if read == 0 {
            return Ok(false);
        }
        report.rederived += read as u64;
        report.batches += 1;
        Ok(read == BATCH)
    }

    /// Derives the deadline columns of one batch of `region`'s stale cases again, in `tx`; how
    /// many it read.
    async fn rederive(
        &self,
        tx: &mut Tx,
        region: &str,
        cal: &Calendar,
        today: NaiveDate,
    ) -> Result<usize> {
        take_turn(tx).await?;
        let sql = format!(
            "SELECT number, state FROM cases WHERE region_code = $1 AND deadline_as_of < $2 LIMIT {BATCH}{}",
            self.engine.lock_rows()
        );
        let rows: Vec<(String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(region)
            .bind(today.to_string())
            .fetch_all(tx.conn().await?)
            .await?;
        let read = rows.len();
        let mut updates = Vec::with_capacity(read);
        for (number, state) in rows {
            let case: Case =
                serde_json::from_str(&state).map_err(|e| StoreError::corrupt("case", e))?;
            updates.push(Rederived {
                number,
                d: DeadlineColumns::of(&case, cal, today, self.warn_days),
            });
        }
        update_from_values(tx.conn().await?, self.engine, updates).await?;
        Ok(read)
    }

    /// The groups of open cases without clock stops whose due dates `cal` moves, read from the
    /// index alone; each group's due dates are computed once.
    async fn group_moves(
        &self,
        region: &str,
        cal: &Calendar,
        report: &mut RecomputeReport,
    ) -> Result<Vec<GroupMove>> {
        let rows: Vec<GroupRow> = sqlx::query_as(
            "SELECT DISTINCT due_on, accepted_on, promised_days, step_started_on, step_limit_days, step_due_on
             FROM cases WHERE region_code = $1 AND light IS NOT NULL AND clock_stops = 0",
        )
        .bind(region)
        .fetch_all(&mut *self.read().await?)
        .await?;
        report.groups = rows.len() as u64;
        let due = |start: &str, days: i64| -> Result<String> {
            let limit = u32::try_from(days).map_err(|e| StoreError::corrupt("time limit", e))?;
            // No clock stops: the day the due date is asked on does not matter.
            let start = parse_date("start date", start)?;
            Ok(due_date(cal, start, limit, &[], start).to_string())
        };
        let mut moves = Vec::new();
        for (due_on, start, days, step_start, step_days, step_due) in rows {
            let (Some(due_on), Some(start), Some(days)) = (due_on, start, days) else {
                continue;
            };
            let step = match (step_start, step_days, step_due) {
                (Some(start), Some(days), Some(due)) => Some((start, days, due)),
                _ => None,
            };
            let new_due_on = due(&start, days)?;
            let new_step_due_on = match &step {
                Some((start, days, _)) => Some(due(start, *days)?),
                None => None,
            };
            if new_due_on == due_on && new_step_due_on == step.as_ref().map(|s| s.2.clone()) {
                continue;
            }
            moves.push(GroupMove {
                region: region.to_owned(),
                due_on,
                start,
                days,
                step,
                new_due_on,
                new_step_due_on,
            });
        }
        Ok(moves)
    }

    /// Applies group moves, a statement's worth per transaction; how many cases moved.
    async fn apply_moves<R: ValuesRow + Send + 'static>(&self, moves: Vec<R>) -> Result<u64> {
        let mut moved = 0;
        let mut moves = moves.into_iter().peekable();
        while moves.peek().is_some() {
            let chunk: Vec<R> = moves.by_ref().take(BATCH).collect();
            let engine = self.engine;
            moved += self
                .write(move |tx| {
                    Box::pin(async move {
                        take_turn(tx).await?;
                        update_from_values(tx.conn().await?, engine, chunk).await
                    })
                })
                .await?;
        }
        Ok(moved)
    }

    /// Applies group moves that move due dates, as [`Store::apply_moves`] does; the cases moved.
    async fn apply_promise_moves<R: ValuesRow + Send + 'static>(
        &self,
        moves: Vec<R>,
    ) -> Result<Vec<PromiseMoved>> {
        let mut promised = Vec::new();
        let mut moves = moves.into_iter().peekable();
        while moves.peek().is_some() {
            let chunk: Vec<R> = moves.by_ref().take(BATCH).collect();
            let engine = self.engine;
            let rows: Vec<PromiseRow> = self
                .write(move |tx| {
                    Box::pin(async move {
                        take_turn(tx).await?;
                        update_returning(tx.conn().await?, engine, chunk, PROMISE_RETURNING).await
                    })
                })
                .await?;
            promised.extend(PromiseMoved::of_rows(rows)?);
        }
        Ok(promised)
    }

    /// Derives the due dates of cases with clock stops from their state; how many moved, and
    /// those whose promised date moved.
    async fn rederive_stopped(
        &self,
        numbers: &[String],
        cal: &Calendar,
        today: NaiveDate,
    ) -> Result<(u64, Vec<PromiseMoved>)> {
        let (store, numbers, cal) = (self.clone(), numbers.to_vec(), cal.clone());
        self.write(move |tx| {
            Box::pin(async move {
                take_turn(tx).await?;
                let lock = store.engine.lock_rows();
                let conn = tx.conn().await?;
                let updates = store
                    .stopped_moves(conn, &numbers, &cal, today, lock)
                    .await?;
                let (promises, steps): (Vec<_>, Vec<_>) =
                    updates.into_iter().partition(|u| u.promise_moved);
                let mut moved = update_from_values(conn, store.engine, steps).await?;
                let promised: Vec<PromiseRow> =
                    update_returning(conn, store.engine, promises, PROMISE_RETURNING).await?;
                moved += promised.len() as u64;
                Ok((moved, PromiseMoved::of_rows(promised)?))
            })
        })
        .await
    }

    /// The deadlines of the open cases `numbers` (clocks stopped) that `cal` moves, read on
    /// `conn` with `lock` after the query.
    async fn stopped_moves(
        &self,
        conn: &mut AnyConnection,
        numbers: &[String],
        cal: &Calendar,
        today: NaiveDate,
        lock: &str,
    ) -> Result<Vec<StoppedDeadlines>> {
        let placeholders: Vec<String> = (1..=numbers.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT number, state, due_on, step_due_on FROM cases WHERE light IS NOT NULL AND number IN ({}){lock}",
            placeholders.join(", "),
        );
        let sql = self.engine.render(&sql).into_owned();
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for n in numbers {
            q = q.bind(n.as_str());
        }
        let rows: Vec<(String, String, Option<String>, Option<String>)> =
            q.fetch_all(&mut *conn).await?;
        let mut moves = Vec::new();
        for (number, state, due_on, step_due_on) in rows {
            let case: Case =
                serde_json::from_str(&state).map_err(|e| StoreError::corrupt("case", e))?;
            let d = DeadlineColumns::of(&case, cal, today, self.warn_days);
            if d.due_on == due_on && d.step_due_on == step_due_on {
                continue;
            }
            moves.push(StoppedDeadlines {
                number,
                promise_moved: d.due_on != due_on,
                due_on: d.due_on,
                step_due_on: d.step_due_on,
                deadline_as_of: d.deadline_as_of,
            });
        }
        Ok(moves)
    }
}

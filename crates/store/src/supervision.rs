//! Electronic supervision (电子监察): the pass that moves cases' lights on as days go by, and the
//! recomputation of every open deadline after a calendar change (docs/adr/0011-supervision-pass.md).
//!
//! Every write keeps a case's light beside its due date (`cases.light`). The pass reads only the
//! cases whose light must change, as ranges of the index `(region_code, light, due_on)` given by
//! the domain's [`stale_lights`], and writes each batch in one transaction: a `light_changed`
//! event chained onto each case's log, and the new light, with one multi-row statement each.

use chrono::NaiveDate;
use onewindow_domain::calendar::{Calendar, Light, LightBounds, due_date, light_bounds};
use onewindow_domain::case::Case;
use onewindow_domain::supervision::{self, DueRange, stale_lights};
use serde::Serialize;
use sqlx::{AnyConnection, Row};

use crate::bulk::{AnyQuery, ValuesRow, insert_rows, update_from_values};
use crate::cases::{DeadlineColumns, EventActor, chain_events};
use crate::write::WriteTx;
use crate::{Engine, Result, Store, StoreError};

/// Cases per transaction. Every other write waits while a job holds SQLite's one writer, so a
/// batch must be short: at 10,000 a batch held it for up to 5 s on a slow machine (`make
/// bench`: 0.96 s reading 7,914 stopped clocks' states, 4.8 s turning 6,607 lights), and the
/// clerks' writes queued behind it. 500 still spreads each statement over many cases.
const BATCH: usize = 500;

/// Who the log says changed a light.
const SUPERVISION_ACTOR: &str = "supervision";
const SUPERVISION_ROLE: &str = "system";

/// PostgreSQL advisory lock taken by every transaction of a pass or a recomputation, so passes
/// of several processes serving one database take turns instead of racing for the same cases.
const SUPERVISION_LOCK: i64 = 0x6f77_5f73_7570; // "ow_sup"

/// What a supervision pass did in one region.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PassReport {
    pub region: String,
    pub today: Option<NaiveDate>,
    /// Open cases found through the light bounds whose stored light was stale.
    pub examined: u64,
    /// Cases whose due dates were derived again from their state: stopped clocks (their due dates
    /// move on each working day), and cases stored before lights were kept.
    pub rederived: u64,
    /// Numbers of the cases that turned each colour.
    pub turned_green: Vec<String>,
    pub turned_yellow: Vec<String>,
    pub turned_red: Vec<String>,
    /// Transactions that wrote something.
    pub batches: u64,
}

impl PassReport {
    /// How many cases changed light.
    pub fn changed(&self) -> usize {
        self.turned_green.len() + self.turned_yellow.len() + self.turned_red.len()
    }

    fn turned(&mut self, light: Light) -> &mut Vec<String> {
        match light {
            Light::Green => &mut self.turned_green,
            Light::Yellow => &mut self.turned_yellow,
            Light::Red => &mut self.turned_red,
        }
    }
}

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
}

/// A changed light: the case's new light and the head of its log.
struct LightUpdate {
    number: String,
    light: &'static str,
    event_count: i64,
    last_hash: String,
    updated_ms: i64,
}

impl ValuesRow for LightUpdate {
    const TYPES: &'static [&'static str] = &["TEXT", "TEXT", "BIGINT", "TEXT", "BIGINT"];
    const HEAD: &'static str = "UPDATE cases SET light = v.column2, event_count = v.column3, last_hash = v.column4, updated_ms = v.column5";
    const TAIL: &'static str = "WHERE cases.number = v.column1";
    fn bind(self, q: AnyQuery<'_>) -> AnyQuery<'_> {
        q.bind(self.number)
            .bind(self.light)
            .bind(self.event_count)
            .bind(self.last_hash)
            .bind(self.updated_ms)
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

fn parse_date(what: &'static str, s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| StoreError::corrupt(what, e))
}

impl Store {
    /// One supervision pass over the open cases of `region` on `today`, with the region's
    /// calendar. First the due dates that go stale day by day (stopped clocks) are derived
    /// again; then every case whose kept light is no longer its light turns, with a
    /// `light_changed` event on its log. A pass that finds nothing to do reads a few empty index
    /// ranges and writes nothing; running it twice on a day changes nothing the second time.
    ///
    /// Lights that should turn back (a due date moved later) turn back too: see
    /// [`Store::recompute_deadlines`] for moving due dates after a calendar change.
    pub async fn supervision_pass(
        &self,
        region: &str,
        cal: &Calendar,
        today: NaiveDate,
    ) -> Result<PassReport> {
        let mut report = PassReport {
            region: region.to_owned(),
            today: Some(today),
            ..PassReport::default()
        };
        while self.rederive_batch(region, cal, today, &mut report).await? {}
        let bounds = light_bounds(cal, today, self.warn_days);
        for (light, due) in stale_lights(&bounds) {
            while self
                .turn_batch(region, light, due, &bounds, &mut report)
                .await?
            {}
        }
        Ok(report)
    }

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
        report.moved += self
            .apply_moves(with_step.into_iter().map(StepGroupMove).collect())
            .await?;
        report.moved += self
            .apply_moves(without.into_iter().map(CaseGroupMove).collect())
            .await?;

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
                report.moved += self.rederive_stopped(&moving, cal, today).await?;
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
                .bind(region),
        )
        .await?;
        Ok(())
    }

    /// A transaction of the supervision jobs: on PostgreSQL, behind the jobs' advisory lock.
    async fn begin_job(&self) -> Result<WriteTx> {
        let mut tx = self.begin().await?;
        if self.engine == Engine::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(SUPERVISION_LOCK)
                .execute(&mut *tx)
                .await?;
        }
        Ok(tx)
    }

    /// Locks the rows a job read until it commits, so a transition waits rather than writes
    /// between (SQLite's write lock, taken at `BEGIN`, already keeps every other writer out).
    fn for_update(&self) -> &'static str {
        match self.engine {
            Engine::Sqlite => "",
            Engine::Postgres => " FOR UPDATE",
        }
    }

    /// Derives the deadline columns of one batch of stale cases again; true when a full batch
    /// was written (more may wait).
    async fn rederive_batch(
        &self,
        region: &str,
        cal: &Calendar,
        today: NaiveDate,
        report: &mut PassReport,
    ) -> Result<bool> {
        let mut tx = self.begin_job().await?;
        let sql = format!(
            "SELECT number, state FROM cases WHERE region_code = $1 AND deadline_as_of < $2 LIMIT {BATCH}{}",
            self.for_update()
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(region)
            .bind(today.to_string())
            .fetch_all(&mut *tx)
            .await?;
        if rows.is_empty() {
            return Ok(false);
        }
        let mut updates = Vec::with_capacity(rows.len());
        for r in &rows {
            let state: String = r.try_get("state")?;
            let case: Case =
                serde_json::from_str(&state).map_err(|e| StoreError::corrupt("case", e))?;
            updates.push(Rederived {
                number: r.try_get("number")?,
                d: DeadlineColumns::of(&case, cal, today, self.warn_days),
            });
        }
        update_from_values(&mut tx, self.engine, updates).await?;
        tx.commit().await?;
        report.rederived += rows.len() as u64;
        report.batches += 1;
        Ok(rows.len() == BATCH)
    }

    /// Turns one batch of the cases kept with `light` whose due date lies in `due`; true when a
    /// full batch was written (more may wait).
    async fn turn_batch(
        &self,
        region: &str,
        light: Light,
        due: DueRange,
        bounds: &LightBounds,
        report: &mut PassReport,
    ) -> Result<bool> {
        let mut tx = self.begin_job().await?;
        let mut sql = String::from(
            "SELECT number, due_on, event_count, last_hash FROM cases WHERE region_code = $1 AND light = $2",
        );
        let mut args = vec![region.to_owned(), light.as_str().to_owned()];
        if let Some(from) = due.from {
            args.push(from.to_string());
            sql.push_str(&format!(" AND due_on >= ${}", args.len()));
        }
        if let Some(to) = due.to {
            args.push(to.to_string());
            sql.push_str(&format!(" AND due_on <= ${}", args.len()));
        }
        if due.from.is_none() && due.to.is_none() {
            sql.push_str(" AND due_on IS NOT NULL");
        }
        sql.push_str(&format!(" LIMIT {BATCH}{}", self.for_update()));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for a in args {
            q = q.bind(a);
        }
        let rows = q.fetch_all(&mut *tx).await?;
        if rows.is_empty() {
            return Ok(false);
        }
        let actor = EventActor {
            id: SUPERVISION_ACTOR,
            role: SUPERVISION_ROLE,
            window: None,
            at_ms: crate::now_ms(),
        };
        let mut events = Vec::with_capacity(rows.len());
        let mut updates = Vec::with_capacity(rows.len());
        let mut turned = Vec::with_capacity(rows.len());
        for r in &rows {
            let number: String = r.try_get("number")?;
            let due_on: Option<String> = r.try_get("due_on")?;
            let due_on = parse_date("due date", due_on.as_deref().unwrap_or_default())?;
            let to = bounds.classify(due_on);
            if to == light {
                continue;
            }
            let event_count: i64 = r.try_get("event_count")?;
            let last_hash: String = r.try_get("last_hash")?;
            let event = supervision::light_changed(light, to, due_on);
            let (rows, last_hash) = chain_events(
                &number,
                region,
                event_count,
                &last_hash,
                &[(&event, &actor)],
            )?;
            events.extend(rows);
            updates.push(LightUpdate {
                number: number.clone(),
                light: to.as_str(),
                event_count: event_count + 1,
                last_hash,
                updated_ms: actor.at_ms,
            });
            turned.push((to, number));
        }
        report.examined += rows.len() as u64;
        if updates.is_empty() {
            // Nothing in the range needed to turn (it cannot happen: the ranges are exact); stop
            // rather than read the same rows again.
            return Ok(false);
        }
        insert_rows(&mut tx, self.engine, events).await?;
        update_from_values(&mut tx, self.engine, updates).await?;
        tx.commit().await?;
        report.batches += 1;
        for (to, number) in turned {
            report.turned(to).push(number);
        }
        Ok(rows.len() == BATCH)
    }

    /// The groups of open cases without clock stops whose due dates `cal` moves, read from the
    /// index alone; each group's due dates are computed once.
    async fn group_moves(
        &self,
        region: &str,
        cal: &Calendar,
        report: &mut RecomputeReport,
    ) -> Result<Vec<GroupMove>> {
        let rows = sqlx::query(
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
        for r in &rows {
            let (Some(due_on), Some(start), Some(days)) = (
                r.try_get::<Option<String>, _>("due_on")?,
                r.try_get::<Option<String>, _>("accepted_on")?,
                r.try_get::<Option<i64>, _>("promised_days")?,
            ) else {
                continue;
            };
            let step = match (
                r.try_get::<Option<String>, _>("step_started_on")?,
                r.try_get::<Option<i64>, _>("step_limit_days")?,
                r.try_get::<Option<String>, _>("step_due_on")?,
            ) {
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
    async fn apply_moves<R: ValuesRow>(&self, moves: Vec<R>) -> Result<u64> {
        let mut moved = 0;
        let mut moves = moves.into_iter().peekable();
        while moves.peek().is_some() {
            let chunk: Vec<R> = moves.by_ref().take(BATCH).collect();
            let mut tx = self.begin_job().await?;
            moved += update_from_values(&mut tx, self.engine, chunk).await?;
            tx.commit().await?;
        }
        Ok(moved)
    }

    /// Derives the due dates of cases with clock stops from their state; how many moved.
    async fn rederive_stopped(
        &self,
        numbers: &[String],
        cal: &Calendar,
        today: NaiveDate,
    ) -> Result<u64> {
        let mut tx = self.begin_job().await?;
        let updates = self
            .stopped_moves(&mut tx, numbers, cal, today, self.for_update())
            .await?;
        let moved = update_from_values(&mut tx, self.engine, updates).await?;
        tx.commit().await?;
        Ok(moved)
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
        // SQLite finds a numbered placeholder by a linear search: anonymous ones there.
        let placeholders: Vec<String> = (1..=numbers.len())
            .map(|i| match self.engine {
                Engine::Sqlite => "?".to_owned(),
                Engine::Postgres => format!("${i}"),
            })
            .collect();
        let sql = format!(
            "SELECT number, state, due_on, step_due_on FROM cases WHERE light IS NOT NULL AND number IN ({}){lock}",
            placeholders.join(", "),
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for n in numbers {
            q = q.bind(n.as_str());
        }
        let rows = q.fetch_all(&mut *conn).await?;
        let mut moves = Vec::new();
        for r in &rows {
            let state: String = r.try_get("state")?;
            let case: Case =
                serde_json::from_str(&state).map_err(|e| StoreError::corrupt("case", e))?;
            let d = DeadlineColumns::of(&case, cal, today, self.warn_days);
            let due_on: Option<String> = r.try_get("due_on")?;
            let step_due_on: Option<String> = r.try_get("step_due_on")?;
            if d.due_on == due_on && d.step_due_on == step_due_on {
                continue;
            }
            moves.push(StoppedDeadlines {
                number: r.try_get("number")?,
                due_on: d.due_on,
                step_due_on: d.step_due_on,
                deadline_as_of: d.deadline_as_of,
            });
        }
        Ok(moves)
    }
}

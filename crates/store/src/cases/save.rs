//! Writing cases: a new case with its first events, a transition, and whole histories
//! prepared for a bulk load.

use chrono::NaiveDate;
use onewindow_domain::audit::GENESIS;
use onewindow_domain::calendar::Calendar;
use onewindow_domain::case::{Case, Entry, Event};
use onewindow_domain::identity::{CaseNumber, RegionCode};
use std::collections::BTreeMap;

use sqlx::AnyConnection;

use super::columns::{CaseRow, StateColumns, channel_str};
use super::log::EventRow;
use super::log::chain_events;
use super::{CaseRecord, EventActor, HistoricalCase, NewCase, Transition};
use crate::cases::numbers::advance;
use crate::materials::{CaseFileRow, file_rows};
use crate::sql::{Script, insert_rows};
use crate::statistics::{CountRow, DecisionRow, count_stripe};
use crate::{Engine, Result, Store, StoreError};

/// A case ready to be written: its row and its whole chained event log, computed without the
/// database, so cases can be prepared on one core while another writes them.
pub struct PreparedCase {
    row: CaseRow,
    events: Vec<EventRow>,
    /// The rows of its uploaded files (an imported history's); none for a new case.
    files: Vec<CaseFileRow>,
}

/// The statements of a new case's row, first events and counts. Only the case row can break a
/// unique constraint here: its number is taken ([`case_number_taken`]).
#[allow(clippy::too_many_arguments)]
fn first_write<'q>(
    engine: Engine,
    seal: Option<&crate::crypto::Seal>,
    warn_days: u32,
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
    .prepare(cal, today, warn_days)?;
    // A new case has no files yet: its uploads come later, each with its own write.
    let rows = into_rows(engine, seal, vec![prepared]);
    let mut script = Script::new(engine);
    script.insert(rows.cases);
    script.insert(rows.events);
    script.insert(rows.counts);
    script.insert(rows.decisions);
    Ok(script)
}

/// A new case's inputs, owned, for a job to prepare it from.
struct OwnedNewCase {
    case: Case,
    item_name: String,
    department: String,
    applicant_masked: String,
    events: Vec<Entry>,
    actor: (String, String, Option<String>, i64),
    cal: Calendar,
}

impl OwnedNewCase {
    fn of(new: &NewCase<'_>, events: &[Entry], actor: &EventActor<'_>, cal: &Calendar) -> Self {
        OwnedNewCase {
            case: new.case.clone(),
            item_name: new.item_name.to_owned(),
            department: new.department.to_owned(),
            applicant_masked: new.applicant_masked.to_owned(),
            events: events.to_vec(),
            actor: (
                actor.id.to_owned(),
                actor.role.to_owned(),
                actor.window.map(str::to_owned),
                actor.at_ms,
            ),
            cal: cal.clone(),
        }
    }

    fn new_case(&self) -> NewCase<'_> {
        NewCase {
            case: &self.case,
            item_name: &self.item_name,
            department: &self.department,
            applicant_masked: &self.applicant_masked,
        }
    }

    fn actor(&self) -> EventActor<'_> {
        let (id, role, window, at_ms) = &self.actor;
        EventActor {
            id,
            role,
            window: window.as_deref(),
            at_ms: *at_ms,
        }
    }
}

/// The number of a district's case: its code, the day and the day's sequence.
fn case_number(district: &RegionCode, day: NaiveDate, seq: u32) -> Result<String> {
    CaseNumber::new(district, day, seq)
        .map(|n| n.to_string())
        .map_err(|e| StoreError::corrupt("case sequence", e))
}

fn case_number_taken(e: StoreError) -> StoreError {
    crate::conflict_on_unique(e, "case number")
}

/// A transition's write found the case changed since it was loaded.
const CASE_CHANGED: &str = "case changed meanwhile";

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
        // On SQLite the number is the day's next, taken in the case's own job, and the case's
        // event chain begins with it: the job prepares the case from copies of its own.
        let owned = OwnedNewCase::of(new, events, actor, cal);
        let (engine, warn_days, region) = (self.engine, self.warn_days, region.clone());
        let seal = self.seal.clone();
        self.write(move |tx| {
            Box::pin(async move {
                let seq = match reserved {
                    Some(seq) => seq,
                    None => advance(tx, &region, today, 1).await?,
                };
                let number = case_number(&district, today, seq)?;
                let (new, actor) = (owned.new_case(), owned.actor());
                let script = first_write(
                    engine,
                    seal.as_deref(),
                    warn_days,
                    &number,
                    &new,
                    &owned.events,
                    &actor,
                    &owned.cal,
                    today,
                )?;
                tx.run(script).await.map_err(case_number_taken)?;
                Ok(number)
            })
        })
        .await
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
        let script = first_write(
            self.engine,
            self.seal(),
            self.warn_days,
            number,
            new,
            events,
            actor,
            cal,
            today,
        )?;
        self.write_script(script).await.map_err(case_number_taken)
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
        let script = self.transition_script(&transition, cal, today)?;
        self.write_script(script).await
    }

    /// The statements that store a transition: the case row, its new events and the change of
    /// the kept counts. Their write is a `Conflict` when the case changed since it was loaded.
    pub(crate) fn transition_script(
        &self,
        t: &Transition<'_>,
        cal: &Calendar,
        today: NaiveDate,
    ) -> Result<Script<'static>> {
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
        let seals = self.seal().map(|seal| {
            (
                seal.head(&before.number, new_count, &last_hash),
                seal.state(&before.number, columns.status, &columns.state),
            )
        });
        let (head_seal, state_seal) = seals.unzip();
        let mut script = Script::new(self.engine);
        // The case row first, guarded: should someone else have changed the case since it was
        // loaded, its log count is no longer `before`'s, no row is updated, and the write is a
        // conflict (the caller reloads and decides again).
        script.guard(
            CASE_CHANGED,
            "UPDATE cases SET status = $1, hall_code = $2, accepted_window = $3, current_department = $4, step_due_on = $5,
                submitted_on = $6, accepted_on = $7, due_on = $8, decided_on = $9, finished_on = $10, supplement_notices = $11,
                state = $12, assignee = $13, step_kind = $14, light = $15, promised_days = $16, step_started_on = $17,
                step_limit_days = $18, clock_stops = $19, deadline_as_of = $20, event_count = $21, last_hash = $22,
                updated_ms = $23, head_seal = $24, state_seal = $25
             WHERE number = $26 AND event_count = $27 RETURNING number",
            {
                let (event_count, at_ms, number) =
                    (before.event_count, actor.at_ms, before.number.clone());
                move |q| {
                    columns
                        .bind(q)
                        .bind(new_count)
                        .bind(last_hash)
                        .bind(at_ms)
                        .bind(head_seal)
                        .bind(state_seal)
                        .bind(number)
                        .bind(event_count)
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
        let decisions = events
            .iter()
            .filter(|e| matches!(e.event, Event::Decided(_)))
            .count() as i64;
        if decisions > 0 {
            script.insert(vec![DecisionRow {
                region: after.region.clone(),
                department: before.department.clone(),
                month: before.month.clone(),
                at_window: DecisionRow::at_window(actor.role),
                stripe: count_stripe(self.engine, &before.number),
                delta: decisions,
            }]);
        }
        Ok(script)
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
            head_seal: None,
            state_seal: None,
        };
        Ok(PreparedCase {
            row,
            events,
            files: Vec::new(),
        })
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
        let mut prepared = FirstWrite {
            number: &self.number,
            new: &new,
            month: &self.month,
            events: &pairs,
            created_ms: self.events.first().map_or(0, |(_, a)| a.at_ms),
            updated_ms: self.events.last().map_or(0, |(_, a)| a.at_ms),
        }
        .prepare(cal, today, warn_days)?;
        prepared.files = file_rows(&self.number, &self.case.region, &self.events);
        Ok(prepared)
    }
}

/// Writes case rows, their events and their counts, in the caller's transaction.
pub(crate) async fn insert_prepared(
    conn: &mut AnyConnection,
    engine: Engine,
    seal: Option<&crate::crypto::Seal>,
    cases: Vec<PreparedCase>,
) -> Result<()> {
    let rows = into_rows(engine, seal, cases);
    insert_rows(conn, engine, rows.cases).await?;
    insert_rows(conn, engine, rows.events).await?;
    insert_rows(conn, engine, rows.files).await?;
    insert_rows(conn, engine, rows.counts).await?;
    insert_rows(conn, engine, rows.decisions).await
}

/// The rows of prepared cases.
struct Rows {
    cases: Vec<CaseRow>,
    events: Vec<EventRow>,
    /// One change of the kept counts per department, month and status among them.
    counts: Vec<CountRow>,
    /// One change of the kept decision counts per department, month and place of decision.
    decisions: Vec<DecisionRow>,
    files: Vec<CaseFileRow>,
}

fn into_rows(engine: Engine, seal: Option<&crate::crypto::Seal>, cases: Vec<PreparedCase>) -> Rows {
    let mut counts: BTreeMap<(String, String, String, &'static str, i64), i64> = BTreeMap::new();
    let mut decisions: BTreeMap<(String, String, String, bool, i64), i64> = BTreeMap::new();
    let mut rows = Vec::with_capacity(cases.len());
    let mut events = Vec::with_capacity(cases.iter().map(|c| c.events.len()).sum());
    let mut files = Vec::new();
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
        for e in c.events.iter().filter(|e| e.kind == "decided") {
            *decisions
                .entry((
                    r.region.clone(),
                    r.department.clone(),
                    r.month.clone(),
                    DecisionRow::at_window(&e.actor_role),
                    count_stripe(engine, &r.number),
                ))
                .or_default() += 1;
        }
        let mut row = c.row;
        if let Some(seal) = seal {
            row.seal(seal);
        }
        rows.push(row);
        events.extend(c.events);
        files.extend(c.files);
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
    let decisions = decisions
        .into_iter()
        .map(
            |((region, department, month, at_window, stripe), delta)| DecisionRow {
                region,
                department,
                month,
                at_window,
                stripe,
                delta,
            },
        )
        .collect();
    Rows {
        cases: rows,
        events,
        counts,
        decisions,
        files,
    }
}

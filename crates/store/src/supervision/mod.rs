//! Electronic supervision (电子监察): the pass that moves cases' lights on as days go by, and the
//! recomputation of every open deadline after a calendar change (docs/adr/0011-supervision-pass.md).
//!
//! Every write keeps a case's light beside its due date (`cases.light`). The pass reads only the
//! cases whose light must change, as ranges of the index `(region_code, light, due_on)` given by
//! the domain's [`stale_lights`], and writes each batch in one transaction: a `light_changed`
//! event chained onto each case's log, and the new light, with one multi-row statement each.

mod recompute;

use recompute::parse_date;
pub use recompute::{PromiseMoved, RecomputeReport};

use chrono::NaiveDate;
use onewindow_domain::calendar::{Calendar, Light, LightBounds, light_bounds};
use onewindow_domain::supervision::{self, StaleLights, stale_lights};
use serde::Serialize;
use sqlx_macros::FromRow;

use crate::cases::{EventActor, chain_events};
use crate::sql::{AnyQuery, Statement, ValuesRow, insert_rows, update_from_values};
use crate::write::Tx;
use crate::{Engine, Result, Store};

/// Cases per transaction. Every other write waits while a job holds SQLite's one writer, so a
/// batch must be short enough that the clerks' writes do not queue behind it for seconds
/// (docs/PERFORMANCE.md, S3), yet long enough to spread each statement over many cases.
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

/// A changed light: the case's new light and the head of its log.
struct LightUpdate {
    number: String,
    light: &'static str,
    event_count: i64,
    last_hash: String,
    updated_ms: i64,
    head_seal: Option<String>,
}

impl ValuesRow for LightUpdate {
    const TYPES: &'static [&'static str] = &["TEXT", "TEXT", "BIGINT", "TEXT", "BIGINT", "TEXT"];
    const HEAD: &'static str = "UPDATE cases SET light = v.column2, event_count = v.column3, last_hash = v.column4, updated_ms = v.column5, head_seal = v.column6";
    const TAIL: &'static str = "WHERE cases.number = v.column1";
    fn bind(self, q: AnyQuery<'_>) -> AnyQuery<'_> {
        q.bind(self.number)
            .bind(self.light)
            .bind(self.event_count)
            .bind(self.last_hash)
            .bind(self.updated_ms)
            .bind(self.head_seal)
    }
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
        for stale in stale_lights(&bounds) {
            while self.turn_batch(region, stale, &bounds, &mut report).await? {}
        }
        Ok(report)
    }

    /// Turns one batch of the cases `stale` holds; true when a full batch was written (more
    /// may wait).
    async fn turn_batch(
        &self,
        region: &str,
        stale: StaleLights,
        bounds: &LightBounds,
        report: &mut PassReport,
    ) -> Result<bool> {
        let (engine, region, bounds) = (self.engine, region.to_owned(), *bounds);
        let seal = self.seal.clone();
        let done = self
            .write(move |tx| {
                Box::pin(
                    async move { turn(tx, engine, seal.as_deref(), &region, stale, &bounds).await },
                )
            })
            .await?;
        let Some((read, turned)) = done else {
            return Ok(false);
        };
        report.examined += read as u64;
        report.batches += 1;
        for (to, number) in turned {
            report.turned(to).push(number);
        }
        Ok(read == BATCH)
    }
}

/// Takes the supervision jobs' turn: on PostgreSQL their advisory lock, for this transaction.
async fn take_turn(tx: &mut Tx) -> Result<()> {
    if tx.engine() == Engine::Postgres {
        tx.execute(sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(SUPERVISION_LOCK))
            .await?;
    }
    Ok(())
}

/// A case whose light a pass may turn, as read for it.
#[derive(FromRow)]
struct LitCase {
    number: String,
    due_on: Option<String>,
    promised_days: Option<i64>,
    event_count: i64,
    last_hash: String,
}

/// The cases `stale` holds turned in one batch (how many were read, and the new light of each),
/// or `None` when none was left to turn.
async fn turn(
    tx: &mut Tx,
    engine: Engine,
    seal: Option<&crate::crypto::Seal>,
    region: &str,
    stale: StaleLights,
    bounds: &LightBounds,
) -> Result<Option<(usize, Vec<(Light, String)>)>> {
    take_turn(tx).await?;
    let light = stale.stored;
    let mut sql = Statement::new(
        engine,
        "SELECT number, due_on, promised_days, event_count, last_hash FROM cases WHERE",
    );
    sql.push(
        " region_code = ? AND light = ?",
        &[Some(region.to_owned()), Some(light.as_str().to_owned())],
    );
    sql.due_rules("due_on", &[stale.rule]);
    sql.push(&format!(" LIMIT {BATCH}{}", engine.lock_rows()), &[]);
    let rows: Vec<LitCase> = sql.query_as().fetch_all(tx.conn().await?).await?;
    if rows.is_empty() {
        return Ok(None);
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
    for LitCase {
        number,
        due_on,
        promised_days,
        event_count,
        last_hash,
    } in &rows
    {
        let due_on = parse_date("due date", due_on.as_deref().unwrap_or_default())?;
        let to = bounds.classify_case(due_on, *promised_days == Some(0));
        if to == light {
            continue;
        }
        let event = supervision::light_changed(light, to, due_on);
        let (rows, last_hash) =
            chain_events(number, region, *event_count, last_hash, &[(&event, &actor)])?;
        events.extend(rows);
        updates.push(LightUpdate {
            number: number.clone(),
            light: to.as_str(),
            event_count: event_count + 1,
            head_seal: seal.map(|s| s.head(number, event_count + 1, &last_hash)),
            last_hash,
            updated_ms: actor.at_ms,
        });
        turned.push((to, number.clone()));
    }
    if updates.is_empty() {
        // Nothing in the range needed to turn (it cannot happen: the ranges are exact); stop
        // rather than read the same rows again.
        return Ok(None);
    }
    insert_rows(tx.conn().await?, engine, events).await?;
    update_from_values(tx.conn().await?, engine, updates).await?;
    Ok(Some((rows.len(), turned)))
}

//! Electronic supervision's jobs (docs/adr/0011-supervision-pass.md): the pass that moves the
//! lights of open cases on, run by the server at start and then every few minutes, and by
//! `onewindow supervise`. The server's timer also folds the kept counts' stripes, which the
//! supervisors' dashboard reads (ADR 0020).

use std::time::Duration;

use chrono::NaiveDate;
use onewindow_store::{PassReport, RecomputeReport, StoreError};

use crate::messages::tell_moved_promises;
use crate::state::AppState;

/// One pass over the open cases of every region the centre knows, each on its own calendar.
pub async fn pass(state: &AppState, today: NaiveDate) -> Result<Vec<PassReport>, StoreError> {
    let mut reports = Vec::new();
    for region in state.store.organisation().await?.regions {
        let cal = state.calendar(&region.code).await?;
        reports.push(
            state
                .store
                .supervision_pass(&region.code, &cal, today)
                .await?,
        );
    }
    if let Some(district) = state.centre_region().await? {
        let days = state
            .store
            .take_census(&district, census_through(state, today))
            .await?;
        if days > 0 {
            tracing::info!("census of case numbers taken for {days} days");
        }
    }
    Ok(reports)
}

/// The last day whose case numbers are all given out and written: the day before `today`, once
/// a quarter of an hour of today has passed (a case numbered just before midnight may still be
/// being written until then).
fn census_through(state: &AppState, today: NaiveDate) -> NaiveDate {
    let into_today = 24 * 60 * 60 - state.seconds_left_today();
    let back = if today < state.today() || into_today >= 15 * 60 {
        1
    } else {
        2
    };
    today - chrono::Days::new(back)
}

/// Every open deadline of every region derived again on its calendar, then a pass. With
/// `only_changed`, a region whose deadlines were derived on the working days its calendar has
/// now gets the pass alone.
pub async fn recompute(
    state: &AppState,
    today: NaiveDate,
    only_changed: bool,
) -> Result<Vec<(String, RecomputeReport)>, StoreError> {
    let mut reports = Vec::new();
    for region in state.store.organisation().await?.regions {
        let cal = state.calendar(&region.code).await?;
        let report = if only_changed && state.store.deadlines_derived_on(&region.code, &cal).await?
        {
            RecomputeReport {
                pass: state
                    .store
                    .supervision_pass(&region.code, &cal, today)
                    .await?,
                ..RecomputeReport::default()
            }
        } else {
            state
                .store
                .recompute_deadlines(&region.code, &cal, today)
                .await?
        };
        reports.push((region.code, report));
    }
    Ok(reports)
}

fn log_pass(report: &PassReport) {
    if report.changed() > 0 || report.rederived > 0 {
        tracing::info!(
            region = %report.region,
            turned_yellow = report.turned_yellow.len(),
            turned_red = report.turned_red.len(),
            turned_green = report.turned_green.len(),
            rederived = report.rederived,
            "supervision pass"
        );
    }
}

async fn fold_counts(state: &AppState) {
    match state.store.fold_counts().await {
        Ok(counts) => tracing::debug!(counts, "kept counts folded"),
        Err(e) => tracing::error!("folding the kept counts failed: {e}"),
    }
}

/// Runs the supervision jobs for as long as the server runs: at start the open deadlines of
/// each region whose calendar's working days changed since they were derived are derived again
/// (the national holiday data changed with an upgrade, or a calendar edit's recomputation
/// failed), then a pass runs every `every`; before each wait the kept counts are folded. A failed
/// run is logged and the next one tries again.
pub fn spawn(state: AppState, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        match recompute(&state, state.today(), true).await {
            Ok(reports) => {
                for (region, r) in reports {
                    if r.moved > 0 {
                        tracing::info!(
                            region = %region,
                            moved = r.moved,
                            "deadlines derived again at start"
                        );
                    }
                    log_pass(&r.pass);
                    drop(tell_moved_promises(&state, &region, r.promises));
                }
            }
            Err(e) => tracing::error!("supervision at start failed: {e}"),
        }
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // The first tick completes at once: the start above was that run.
        ticks.tick().await;
        loop {
            fold_counts(&state).await;
            ticks.tick().await;
            let started = std::time::Instant::now();
            let passed = pass(&state, state.today()).await;
            state.metrics.supervision_pass(started.elapsed());
            match passed {
                Ok(reports) => reports.iter().for_each(log_pass),
                Err(e) => tracing::error!("supervision pass failed: {e}"),
            }
        }
    })
}

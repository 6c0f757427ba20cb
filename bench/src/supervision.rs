//! S3: the supervision pass and the recomputation of deadlines, through the store as the server
//! runs them, on the seeded database with the server stopped (the pass is a background task;
//! what is measured is its own time, not the requests it competes with).

use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate};
use onewindow_domain::calendar::{Calendar, DayKind, DayOverride};
use onewindow_store::Store;
use sqlx::Row;

pub struct S3 {
    pub open: u64,
    /// A pass on a day whose lights are all current, the slowest of several.
    pub unchanged: Duration,
    /// A pass on the day `turned` cases turn red at once.
    pub turned: u64,
    pub turning: Duration,
    /// Every open deadline derived again after a holiday is added.
    pub recompute: Duration,
    pub moved: u64,
}

/// The district of the demo centre, which `seed volume` fills.
const REGION: &str = "440511";

/// Runs S3 on the database at `url`: `turn_share` of the open cases turn red at once.
pub async fn s3(url: &str, today: NaiveDate, turn_share: f64) -> S3 {
    let store = Store::connect(url).await.expect("open the bench database");
    let overrides = store
        .calendar_overrides(REGION)
        .await
        .expect("the district's calendar");
    let cal = Calendar::china_mainland().with_overrides(&overrides);

    // Bring the lights to today first (the server's own pass would have), then time passes that
    // find nothing to do.
    store
        .supervision_pass(REGION, &cal, today)
        .await
        .expect("a pass");
    let mut unchanged = Duration::ZERO;
    for _ in 0..5 {
        let started = Instant::now();
        let report = store
            .supervision_pass(REGION, &cal, today)
            .await
            .expect("a pass");
        unchanged = unchanged.max(started.elapsed());
        assert!(report.turned_red.is_empty() && report.turned_yellow.is_empty());
    }

    let open = open_cases(&store).await;
    let (day, expected) = day_turning_red(&store, today, (open as f64 * turn_share) as u64).await;
    let started = Instant::now();
    let report = store
        .supervision_pass(REGION, &cal, day)
        .await
        .expect("the turning pass");
    let turning = started.elapsed();
    let turned = report.turned_red.len() as u64;
    // A few of the cases counted may have a stopped clock, whose due date the pass moves first.
    assert!(
        turned > 0 || expected == 0,
        "no case turned red, {expected} expected"
    );

    // A district holiday on the next working day moves every deadline that runs past it.
    let mut holiday_day = day.succ_opt().expect("a next day");
    while !cal.is_working_day(holiday_day) {
        holiday_day = holiday_day.succ_opt().expect("a next day");
    }
    let holiday = DayOverride {
        date: holiday_day,
        kind: DayKind::Holiday,
        name: format!("bench holiday {}", holiday_day.year()),
    };
    let mut edited = overrides.clone();
    edited.push(holiday);
    let cal = Calendar::china_mainland().with_overrides(&edited);
    let started = Instant::now();
    let recomputed = store
        .recompute_deadlines(REGION, &cal, day)
        .await
        .expect("the recomputation");
    let recompute = started.elapsed();
    store.close().await;
    S3 {
        open,
        unchanged,
        turned,
        turning,
        recompute,
        moved: recomputed.moved,
    }
}

async fn open_cases(store: &Store) -> u64 {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases WHERE light IS NOT NULL")
        .fetch_one(store.pool())
        .await
        .expect("count the open cases");
    n as u64
}

/// The first day on which at least `target` open cases that are not red yet are past their due
/// date, and how many they are.
async fn day_turning_red(store: &Store, today: NaiveDate, target: u64) -> (NaiveDate, u64) {
    let rows = sqlx::query(
        "SELECT due_on, COUNT(*) AS n FROM cases WHERE light IN ('green', 'yellow') AND due_on IS NOT NULL
         GROUP BY due_on ORDER BY due_on",
    )
    .fetch_all(store.pool())
    .await
    .expect("due dates of the open cases");
    let mut past_due = 0_u64;
    for r in rows {
        let due: String = r.get("due_on");
        let n: i64 = r.get("n");
        past_due += n as u64;
        let due: NaiveDate = due.parse().expect("an ISO date");
        if past_due >= target.max(1) {
            // Red is "today > due": the day after the last due date counted.
            return (due.succ_opt().expect("a next day").max(today), past_due);
        }
    }
    (today, 0)
}

//! What PostgreSQL's connections are doing while a load runs: `pg_stat_activity` sampled every
//! 100 ms, each active backend counted under its wait event, or as running when it waits for
//! nothing. Said by PostgreSQL itself, so a slow moment names its cause (a lock, the WAL's
//! flush, a read from disk) rather than leaving it to be guessed from latencies.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use sqlx::{Connection, PgConnection, Row};

const EVERY: Duration = Duration::from_millis(100);

/// How the samples split, as shares of every active backend seen, largest first.
#[derive(Default)]
pub struct Waits {
    /// During the load's first `window`.
    pub first: Vec<(String, f64)>,
    /// During the whole load.
    pub whole: Vec<(String, f64)>,
}

/// Samples the database at `url` until `until`; the first `window` is kept apart too.
pub async fn sample(url: &str, until: Instant, window: Duration) -> Waits {
    let Ok(mut conn) = PgConnection::connect(url).await else {
        return Waits::default();
    };
    let started = Instant::now();
    let (mut first, mut whole) = (BTreeMap::new(), BTreeMap::new());
    while Instant::now() < until {
        let rows = sqlx::query(
            "SELECT COALESCE(wait_event_type || ':' || wait_event, 'running') AS activity,
                    COUNT(*) AS backends
             FROM pg_stat_activity
             WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()
             GROUP BY 1",
        )
        .fetch_all(&mut conn)
        .await
        .unwrap_or_default();
        for r in rows {
            let (Ok(activity), Ok(backends)) = (
                r.try_get::<String, _>("activity"),
                r.try_get::<i64, _>("backends"),
            ) else {
                continue;
            };
            if started.elapsed() < window {
                *first.entry(activity.clone()).or_insert(0) += backends;
            }
            *whole.entry(activity).or_insert(0) += backends;
        }
        tokio::time::sleep(EVERY).await;
    }
    let _ = conn.close().await;
    Waits {
        first: shares(first),
        whole: shares(whole),
    }
}

fn shares(counts: BTreeMap<String, i64>) -> Vec<(String, f64)> {
    let total = counts.values().sum::<i64>().max(1) as f64;
    let mut shares: Vec<(String, f64)> = counts
        .into_iter()
        .map(|(activity, n)| (activity, n as f64 / total))
        .collect();
    shares.sort_by(|a, b| b.1.total_cmp(&a.1));
    shares
}

/// The largest shares, as a line: `running 48%, IO:WALSync 21%, …`.
pub fn line(shares: &[(String, f64)], top: usize) -> String {
    shares
        .iter()
        .take(top)
        .map(|(activity, share)| format!("{activity} {:.0}%", share * 100.0))
        .collect::<Vec<_>>()
        .join(", ")
}

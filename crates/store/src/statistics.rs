//! The kept counts of cases by department, month of registration and status: written in the
//! transaction of every change of status, read by the dashboard and the centre's inbox tabs, so
//! neither ever counts cases. Beside them, the kept counts of decisions, by whether the chief
//! representative decided at the window, for the delegation figures.
//!
//! On PostgreSQL each count is kept in stripes (ADR 0020), so concurrent writes to one
//! department's counts lock different rows, and the stripes are folded into one row per count
//! from time to time, so readers sum a few rows per count rather than eight.

use onewindow_domain::organisation::Role;
use serde::Serialize;
use sqlx_macros::FromRow;

use crate::sql::{AnyQuery, TableRow};
use crate::{Engine, Result, Store};

/// One cell of the statistics: the cases of a department registered in a month that are now in
/// a status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseCount {
    #[sqlx(rename = "department_code")]
    pub department: String,
    /// `YYYY-MM`.
    pub month: String,
    #[cfg_attr(feature = "openapi", schema(value_type = onewindow_domain::case::CaseStatus))]
    pub status: String,
    pub count: i64,
}

/// A change to the kept count of one department, month and status.
pub(crate) struct CountRow {
    pub region: String,
    pub department: String,
    pub month: String,
    pub status: &'static str,
    pub stripe: i64,
    pub delta: i64,
}

/// Stripes of each kept count on PostgreSQL (migration 0009): concurrent writes to one
/// department's counts lock different rows.
const COUNT_STRIPES: u32 = 8;

/// Moves every stripe no write holds into stripe -1, the folded one, in one statement.
/// - No write adds to the folded stripe, and the stripes are taken with SKIP LOCKED: a fold
///   never waits for a write, and a write waits for at most one fold's statement. A write that
///   waited for a stripe the fold deleted adds a new one (INSERT … ON CONFLICT inserts when the
///   conflicting row is gone).
/// - The folded rows are written in key order, so two folds (two servers) cannot deadlock.
/// - A stripe may go below zero once folded (a case counted in the folded stripe leaves its
///   status from its own); only the sum of a count's stripes means anything.
pub(crate) const FOLD_SQL: &str = "WITH moved AS (
        DELETE FROM case_counts WHERE ctid = ANY (ARRAY(
            SELECT ctid FROM case_counts WHERE stripe <> -1 FOR UPDATE SKIP LOCKED))
        RETURNING region_code, department_code, month, status, count)
    INSERT INTO case_counts (region_code, department_code, month, status, stripe, count)
    SELECT region_code, department_code, month, status, -1, CAST(SUM(count) AS BIGINT) FROM moved
    GROUP BY region_code, department_code, month, status
    ORDER BY region_code, department_code, month, status
    ON CONFLICT (region_code, department_code, month, status, stripe)
    DO UPDATE SET count = case_counts.count + excluded.count";

/// The stripe of the kept counts a case adds to: the same for all its changes; one stripe on
/// SQLite, whose writes are queued for its one writer anyway.
pub(crate) fn count_stripe(engine: Engine, number: &str) -> i64 {
    match engine {
        Engine::Sqlite => 0,
        Engine::Postgres => {
            let hash = number
                .bytes()
                .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
            i64::from(hash % COUNT_STRIPES)
        }
    }
}

impl TableRow for CountRow {
    const TABLE: &'static str = "case_counts";
    const COLUMNS: &'static [&'static str] = &[
        "region_code",
        "department_code",
        "month",
        "status",
        "stripe",
        "count",
    ];
    const ON_CONFLICT: &'static str = " ON CONFLICT (region_code, department_code, month, status, stripe) DO UPDATE SET count = case_counts.count + excluded.count";

    fn bind(self, q: AnyQuery<'_>) -> AnyQuery<'_> {
        q.bind(self.region)
            .bind(self.department)
            .bind(self.month)
            .bind(self.status)
            .bind(self.stripe)
            .bind(self.delta)
    }
}

/// A decision added to the kept counts of its case's department and month.
pub(crate) struct DecisionRow {
    pub region: String,
    pub department: String,
    pub month: String,
    /// Decided at the window, by the department's chief representative (首席代表).
    pub at_window: bool,
    pub stripe: i64,
    pub delta: i64,
}

impl DecisionRow {
    /// Whether a decision by `role` was made at the window.
    pub fn at_window(role: &str) -> bool {
        role == Role::ChiefRepresentative.as_str()
    }
}

impl TableRow for DecisionRow {
    const TABLE: &'static str = "decision_counts";
    const COLUMNS: &'static [&'static str] = &[
        "region_code",
        "department_code",
        "month",
        "at_window",
        "stripe",
        "count",
    ];
    const ON_CONFLICT: &'static str = " ON CONFLICT (region_code, department_code, month, at_window, stripe) DO UPDATE SET count = decision_counts.count + excluded.count";

    fn bind(self, q: AnyQuery<'_>) -> AnyQuery<'_> {
        q.bind(self.region)
            .bind(self.department)
            .bind(self.month)
            .bind(i64::from(self.at_window))
            .bind(self.stripe)
            .bind(self.delta)
    }
}

impl Store {
    /// The kept counts of cases by department, month of registration and status, for months
    /// from..=to (`YYYY-MM`; either open-ended), without empty cells.
    pub async fn case_counts(
        &self,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<Vec<CaseCount>> {
        Ok(sqlx::query_as(
            "SELECT department_code, month, status, CAST(SUM(count) AS BIGINT) AS count FROM case_counts
             WHERE month >= $1 AND month <= $2 GROUP BY department_code, month, status
             HAVING SUM(count) <> 0 ORDER BY department_code, month, status",
        )
        .bind(from.unwrap_or(""))
        .bind(to.unwrap_or("~"))
        .fetch_all(&mut *self.read().await?)
        .await?)
    }

    /// Folds the kept counts' stripes into one row per count (PostgreSQL; SQLite keeps one
    /// stripe). Returns how many counts the folded stripes added to. At a million cases the
    /// dashboard summed 11,912 rows into 1,808 cells, most of its time in the database.
    pub async fn fold_counts(&self) -> Result<u64> {
        if self.engine != Engine::Postgres {
            return Ok(0);
        }
        self.write_one(sqlx::query(FOLD_SQL)).await
    }
}

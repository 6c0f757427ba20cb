//! The limits the server's figures are divided by, measured in the same run on the same engine:
//! a minimal loop writing the rows a transition writes (its event, the case row, a count), with
//! nothing else around it, and PostgreSQL's own pgbench.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use sqlx::{Connection, Executor, PgConnection, SqliteConnection};

const SCHEMA: [&str; 3] = [
    "CREATE TABLE limit_cases (number TEXT PRIMARY KEY, status TEXT NOT NULL, event_count BIGINT NOT NULL,
        last_hash TEXT NOT NULL, state TEXT NOT NULL, updated_ms BIGINT NOT NULL)",
    "CREATE TABLE limit_events (case_number TEXT NOT NULL, seq BIGINT NOT NULL, kind TEXT NOT NULL,
        actor_id TEXT NOT NULL, at_ms BIGINT NOT NULL, payload TEXT NOT NULL, hash TEXT NOT NULL,
        PRIMARY KEY (case_number, seq))",
    "CREATE TABLE limit_counts (department TEXT NOT NULL, status TEXT NOT NULL, count BIGINT NOT NULL,
        PRIMARY KEY (department, status))",
];
const INSERT_EVENT: &str = "INSERT INTO limit_events VALUES ($1, $2, $3, $4, $5, $6, $7)";
const UPDATE_CASE: &str = "UPDATE limit_cases SET status = $2, event_count = $3, last_hash = $4, state = $5, updated_ms = $6 WHERE number = $1";
const COUNT: &str = "INSERT INTO limit_counts VALUES ($1, $2, 1)
    ON CONFLICT (department, status) DO UPDATE SET count = limit_counts.count + 1";
/// Cases the loop cycles through, a transition each in turn.
const CASES: u64 = 1_000;
/// Transitions per commit in the batched loop: what group commit could reach at best.
pub const BATCH: u64 = 64;

/// Transitions per second written by the minimal loop.
pub struct LoopFigures {
    /// One commit per transition, waiting for each: the per-commit limit.
    pub one_per_commit: f64,
    /// [`BATCH`] transitions per commit: the write limit when commits are shared.
    pub batched: f64,
}

/// Row contents the size of the server's (a case's state is a JSON document of about a
/// kilobyte, an event's payload a few hundred bytes, hashes 64 hex digits).
struct Rows {
    state: String,
    payload: String,
    hash: String,
}

impl Rows {
    fn new() -> Rows {
        Rows {
            state: "s".repeat(1_200),
            payload: "p".repeat(240),
            hash: "h".repeat(64),
        }
    }
}

/// The loop, written once for both native connection types.
macro_rules! insert_loop {
    ($conn:expr, $time:expr) => {{
        let conn = $conn;
        for statement in SCHEMA {
            conn.execute(statement)
                .await
                .expect("create the limit tables");
        }
        let rows = Rows::new();
        conn.execute("BEGIN").await.expect("begin");
        for c in 0..CASES {
            sqlx::query("INSERT INTO limit_cases VALUES ($1, 'draft', 0, '', '', 0)")
                .bind(format!("case-{c}"))
                .execute(&mut *conn)
                .await
                .expect("insert a limit case");
        }
        conn.execute("COMMIT").await.expect("commit");
        let mut next = 0_u64;
        let mut figures = [0.0; 2];
        for (figure, per_commit) in figures.iter_mut().zip([1, BATCH]) {
            let started = Instant::now();
            let first = next;
            while started.elapsed() < $time {
                conn.execute("BEGIN").await.expect("begin");
                for _ in 0..per_commit {
                    let number = format!("case-{}", next % CASES);
                    let seq = (next / CASES + 1) as i64;
                    let status = if seq % 2 == 0 {
                        "in_progress"
                    } else {
                        "accepted"
                    };
                    sqlx::query(INSERT_EVENT)
                        .bind(&number)
                        .bind(seq)
                        .bind("step_completed")
                        .bind("approver")
                        .bind(next as i64)
                        .bind(&rows.payload)
                        .bind(&rows.hash)
                        .execute(&mut *conn)
                        .await
                        .expect("insert an event");
                    sqlx::query(UPDATE_CASE)
                        .bind(&number)
                        .bind(status)
                        .bind(seq)
                        .bind(&rows.hash)
                        .bind(&rows.state)
                        .bind(next as i64)
                        .execute(&mut *conn)
                        .await
                        .expect("update a case");
                    sqlx::query(COUNT)
                        .bind("RSJ")
                        .bind(status)
                        .execute(&mut *conn)
                        .await
                        .expect("count");
                    next += 1;
                }
                conn.execute("COMMIT").await.expect("commit");
            }
            *figure = (next - first) as f64 / started.elapsed().as_secs_f64();
        }
        LoopFigures {
            one_per_commit: figures[0],
            batched: figures[1],
        }
    }};
}

/// The loop on a new SQLite file under `dir`, durable as the server is (WAL, synchronous=FULL).
pub async fn sqlite_loop(dir: &Path, time: Duration) -> LoopFigures {
    let path = dir.join("limit.db");
    remove_sqlite(&path);
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let mut conn = SqliteConnection::connect(&url)
        .await
        .expect("open limit.db");
    conn.execute("PRAGMA journal_mode = WAL")
        .await
        .expect("WAL");
    conn.execute("PRAGMA synchronous = FULL")
        .await
        .expect("FULL");
    let figures = insert_loop!(&mut conn, time);
    drop(conn);
    remove_sqlite(&path);
    figures
}

/// The loop in the bench database, durable as the server is (synchronous_commit=on).
pub async fn postgres_loop(url: &str, time: Duration) -> LoopFigures {
    let mut conn = PgConnection::connect(url)
        .await
        .expect("connect to PostgreSQL");
    conn.execute("SET synchronous_commit = on")
        .await
        .expect("durable");
    let figures = insert_loop!(&mut conn, time);
    for table in ["limit_cases", "limit_events", "limit_counts"] {
        conn.execute(sqlx::AssertSqlSafe(format!("DROP TABLE {table}")))
            .await
            .expect("drop a limit table");
    }
    figures
}

/// pgbench's TPC-B transactions per second with `clients` connections, on its own tables in
/// the database at `url` (removed afterwards).
pub fn pgbench(url: &str, clients: u32, scale: u32, time: Duration) -> Result<f64, String> {
    let run = |args: &[&str]| -> Result<String, String> {
        let out = Command::new("pgbench")
            .args(args)
            .output()
            .map_err(|e| format!("pgbench: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "pgbench {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    run(&["-i", "-q", "-s", &scale.to_string(), url])?;
    let report = run(&[
        "-n",
        "-c",
        &clients.to_string(),
        "-j",
        "2",
        "-T",
        &time.as_secs().to_string(),
        url,
    ])?;
    run(&["-i", "-I", "d", url])?;
    report
        .lines()
        .find_map(|l| l.strip_prefix("tps = "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("no tps in pgbench's report:\n{report}"))
}

/// Removes a SQLite database with its WAL and shared-memory files.
pub fn remove_sqlite(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

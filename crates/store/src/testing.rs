//! Fresh databases for tests, on both engines. PostgreSQL comes from `DATABASE_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`); each test gets a database of its own, dropped after.
//! Under `CI=true` an unreachable PostgreSQL fails the test instead of skipping it.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use onewindow_domain::calendar::Calendar;
use onewindow_domain::case::Case;
use sqlx::Row;

use crate::cases::DeadlineColumns;
use crate::{Engine, Store};

const DEFAULT_POSTGRES: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A migrated, empty database; dropped when the value is.
pub struct TestDb {
    pub store: Store,
    pub url: String,
    cleanup: Option<(String, String)>,
    _dir: Option<TempDir>,
}

struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir =
            std::env::temp_dir().join(format!("onewindow-test-{}", crate::crypto::random_hex(8)));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let url = format!("sqlite://{}/test.db", dir.display());
        let store = Store::connect(&url).await.expect("open SQLite");
        store.migrate().await.expect("migrate SQLite");
        TestDb {
            store,
            url,
            cleanup: None,
            _dir: Some(TempDir(dir)),
        }
    }

    /// A fresh PostgreSQL database, or `None` (with a note on stderr) when none is reachable outside CI.
    pub async fn postgres() -> Option<TestDb> {
        let admin_url =
            std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_POSTGRES.to_owned());
        let admin = match Store::connect(&admin_url).await {
            Ok(s) => s,
            Err(e) if std::env::var("CI").as_deref() == Ok("true") => {
                panic!("PostgreSQL at {admin_url} is required under CI=true: {e}")
            }
            Err(e) => {
                eprintln!("skipping the PostgreSQL half: {admin_url} unreachable ({e})");
                return None;
            }
        };
        let name = format!("ow_test_{}", crate::crypto::random_hex(6));
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(admin.pool())
            .await
            .expect("create test database");
        admin.close().await;
        let url = replace_database(&admin_url, &name);
        let store = Store::connect(&url)
            .await
            .expect("connect to test database");
        store.migrate().await.expect("migrate PostgreSQL");
        Some(TestDb {
            store,
            url,
            cleanup: Some((admin_url, name)),
            _dir: None,
        })
    }

    /// Both engines: SQLite always, PostgreSQL when reachable (always under CI).
    pub async fn each() -> Vec<TestDb> {
        let mut dbs = vec![TestDb::sqlite().await];
        dbs.extend(TestDb::postgres().await);
        dbs
    }

    pub fn engine(&self) -> Engine {
        self.store.engine()
    }

    /// Every row of every table, as text, sorted: two equal snapshots mean nothing was written.
    /// Tables are found in the schema, so a table added later is covered without being named.
    pub async fn snapshot(&self) -> BTreeMap<String, Vec<String>> {
        TestDb::snapshot_of(&self.store).await
    }

    /// [`TestDb::snapshot`] of any store, e.g. one a command-line run restored.
    pub async fn snapshot_of(store: &Store) -> BTreeMap<String, Vec<String>> {
        let (tables, columns, as_text) = match store.engine() {
            Engine::Sqlite => (
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                "SELECT name FROM pragma_table_info($1)",
                // quote() renders any value, blobs included, as an SQL literal.
                "quote(\"{}\")",
            ),
            Engine::Postgres => (
                "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
                 WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
                "SELECT CAST(column_name AS TEXT) FROM information_schema.columns \
                 WHERE table_schema = 'public' AND table_name = $1",
                "COALESCE(CAST(\"{}\" AS TEXT), 'NULL')",
            ),
        };
        let pool = store.pool();
        let names: Vec<String> = sqlx::query_scalar(tables)
            .fetch_all(pool)
            .await
            .expect("list tables");
        let mut snapshot = BTreeMap::new();
        for table in names {
            let mut cols: Vec<String> = sqlx::query_scalar(columns)
                .bind(&table)
                .fetch_all(pool)
                .await
                .expect("list columns");
            cols.sort();
            let row = cols
                .iter()
                .map(|c| as_text.replace("{}", c))
                .collect::<Vec<_>>()
                .join(" || '|' || ");
            let sql = format!("SELECT {row} FROM \"{table}\"");
            let mut rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_all(pool)
                .await
                .expect("read table");
            rows.sort();
            snapshot.insert(table, rows);
        }
        snapshot
    }
}

/// Every row of every table of `store` but its migrations' record, rendered the same on either
/// engine and sorted: two databases holding the same centre compare equal.
pub async fn rows_of(store: &Store) -> BTreeMap<String, Vec<String>> {
    let mut all = BTreeMap::new();
    for table in store.table_names().await.expect("list tables") {
        if table == "schema_migrations" {
            continue;
        }
        let mut rows: Vec<String> = store
            .table_rows(&table)
            .await
            .expect("read table")
            .iter()
            .map(|r| {
                r.iter()
                    .map(|(c, v)| format!("{c}={}", v.render()))
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect();
        rows.sort();
        all.insert(table, rows);
    }
    all
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = self.cleanup.take() {
            // The test's runtime owns the pool's connections and is blocked here, so a fresh
            // runtime on another thread drops the database, ending those connections by force.
            std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async move {
                    if let Ok(admin) = Store::connect(&admin_url).await {
                        let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                        let _ = sqlx::query(sqlx::AssertSqlSafe(drop))
                            .execute(admin.pool())
                            .await;
                        admin.close().await;
                    }
                });
            })
            .join()
            .ok();
        }
    }
}

/// Every case whose kept deadline columns (due dates, light, deadline inputs) differ from what
/// its state gives on `today` with `cal` and the store's warning, described; empty when all agree.
/// The due dates of a case without a light (no clock runs) are what they were when it was last
/// written, whatever the calendar has become since, so they are compared only for open cases.
pub async fn deadline_mismatches(store: &Store, cal: &Calendar, today: NaiveDate) -> Vec<String> {
    let rows = sqlx::query(
        "SELECT number, state, due_on, step_due_on, light, promised_days, step_started_on, step_limit_days, clock_stops, deadline_as_of FROM cases ORDER BY number",
    )
    .fetch_all(store.pool())
    .await
    .expect("read cases");
    let mut wrong = Vec::new();
    for r in &rows {
        let number: String = r.get("number");
        let case: Case = serde_json::from_str(&r.get::<String, _>("state")).expect("case state");
        let d = DeadlineColumns::of(&case, cal, today, store.warn_days());
        let watched = d.light.is_some();
        let kept = (
            r.get::<Option<String>, _>("due_on"),
            r.get::<Option<String>, _>("step_due_on"),
            r.get::<Option<String>, _>("light"),
            r.get::<Option<i64>, _>("promised_days"),
            r.get::<Option<String>, _>("step_started_on"),
            r.get::<Option<i64>, _>("step_limit_days"),
            r.get::<Option<i64>, _>("clock_stops"),
            r.get::<Option<String>, _>("deadline_as_of"),
        );
        let mut derived = (
            d.due_on,
            d.step_due_on,
            d.light.map(str::to_owned),
            Some(d.promised_days),
            d.step_started_on,
            d.step_limit_days,
            Some(d.clock_stops),
            d.deadline_as_of,
        );
        if !watched {
            (derived.0, derived.1) = (kept.0.clone(), kept.1.clone());
        }
        if kept != derived {
            wrong.push(format!(
                "{number} ({:?}): kept {kept:?}, derived {derived:?}",
                case.status
            ));
        }
    }
    wrong
}

fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let base = base.rsplit_once('/').map_or(base, |(head, _)| head);
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

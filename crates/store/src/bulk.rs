//! Writing many rows at once: multi-row INSERT statements holding as many rows as the engine
//! binds parameters for, and the bulk-load session that `onewindow seed volume` writes through.

use sqlx::any::AnyArguments;
use sqlx::{Any, AnyConnection, Connection, Executor, Row};

use crate::{Engine, Result, Store};

pub(crate) type AnyQuery<'q> = sqlx::query::Query<'q, Any, AnyArguments>;

/// A row of one table, bound column by column in the order of [`TableRow::COLUMNS`]. The column list
/// is explicit, so columns added later with a default or as nullable do not disturb it.
pub(crate) trait TableRow {
    const TABLE: &'static str;
    const COLUMNS: &'static [&'static str];
    /// Appended to the statement, e.g. an `ON CONFLICT` clause.
    const ON_CONFLICT: &'static str = "";
    fn bind(self, q: AnyQuery<'_>) -> AnyQuery<'_>;
}

impl Engine {
    /// How many parameters one statement may bind: SQLite's SQLITE_MAX_VARIABLE_NUMBER (32766
    /// since 3.32, as bundled) and PostgreSQL's protocol limit (a 16-bit count).
    fn max_parameters(self) -> usize {
        match self {
            Engine::Sqlite => 32_766,
            Engine::Postgres => 65_535,
        }
    }
}

/// `INSERT INTO table (columns) VALUES (…), (…)` for `rows` rows. SQLite gets anonymous `?`
/// placeholders: it finds a numbered one's name by a linear search, so binding tens of thousands
/// of `$N` costs time quadratic in their number (seconds per statement); PostgreSQL needs `$N`.
fn insert_sql<R: TableRow>(engine: Engine, rows: usize) -> String {
    let width = R::COLUMNS.len();
    let mut sql = format!(
        "INSERT INTO {} ({}) VALUES ",
        R::TABLE,
        R::COLUMNS.join(", ")
    );
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..width {
            if c > 0 {
                sql.push_str(", ");
            }
            match engine {
                Engine::Sqlite => sql.push('?'),
                Engine::Postgres => {
                    sql.push('$');
                    sql.push_str(&(r * width + c + 1).to_string());
                }
            }
        }
        sql.push(')');
    }
    sql.push_str(R::ON_CONFLICT);
    sql
}

/// The INSERT statements of `rows`, as few as the engine's parameter limit allows, each with the
/// rows it binds. Every full statement has the same text, so a connection prepares it once.
pub(crate) fn insert_statements<R: TableRow>(
    engine: Engine,
    rows: Vec<R>,
) -> impl Iterator<Item = (String, Vec<R>)> {
    let per_statement = engine.max_parameters() / R::COLUMNS.len();
    let mut full: Option<String> = None;
    let mut rows = rows.into_iter().peekable();
    std::iter::from_fn(move || {
        rows.peek()?;
        let chunk: Vec<R> = rows.by_ref().take(per_statement).collect();
        let sql = if chunk.len() == per_statement {
            full.get_or_insert_with(|| insert_sql::<R>(engine, per_statement))
                .clone()
        } else {
            insert_sql::<R>(engine, chunk.len())
        };
        Some((sql, chunk))
    })
}

/// Inserts `rows`, statement by statement: for loads too large for one [`crate::script::Script`].
pub(crate) async fn insert_rows<R: TableRow>(
    conn: &mut AnyConnection,
    engine: Engine,
    rows: Vec<R>,
) -> Result<()> {
    for (sql, chunk) in insert_statements(engine, rows) {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for row in chunk {
            q = row.bind(q);
        }
        conn.execute(q).await?;
    }
    Ok(())
}

/// Values that update rows of a table through one statement,
/// `{HEAD} FROM (VALUES (…), (…)) AS v {TAIL}`, where `HEAD` and `TAIL` name the values
/// `v.column1`, `v.column2`… (both engines name a VALUES list's columns so) in the order of
/// [`ValuesRow::TYPES`]. Portable since SQLite 3.33 (`UPDATE … FROM`).
pub(crate) trait ValuesRow {
    /// The SQL type of each value: PostgreSQL types a VALUES list by its first row.
    const TYPES: &'static [&'static str];
    /// e.g. `UPDATE cases SET light = v.column2`.
    const HEAD: &'static str;
    /// e.g. `WHERE cases.number = v.column1`.
    const TAIL: &'static str;
    fn bind(self, q: AnyQuery<'_>) -> AnyQuery<'_>;
}

fn values_sql<R: ValuesRow>(engine: Engine, rows: usize) -> String {
    let width = R::TYPES.len();
    let mut sql = format!("{} FROM (VALUES ", R::HEAD);
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for (c, ty) in R::TYPES.iter().enumerate() {
            if c > 0 {
                sql.push_str(", ");
            }
            match engine {
                Engine::Sqlite => sql.push('?'),
                Engine::Postgres if r == 0 => {
                    sql.push_str(&format!("CAST(${} AS {ty})", c + 1));
                }
                Engine::Postgres => {
                    sql.push('$');
                    sql.push_str(&(r * width + c + 1).to_string());
                }
            }
        }
        sql.push(')');
    }
    sql.push_str(") AS v ");
    sql.push_str(R::TAIL);
    sql
}

/// Applies `rows` with as few statements as the engine's parameter limit allows; returns how
/// many rows of the table changed.
pub(crate) async fn update_from_values<R: ValuesRow>(
    conn: &mut AnyConnection,
    engine: Engine,
    rows: Vec<R>,
) -> Result<u64> {
    let per_statement = engine.max_parameters() / R::TYPES.len();
    let mut full: Option<String> = None;
    let mut changed = 0;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<R> = rows.by_ref().take(per_statement).collect();
        let sql = if chunk.len() == per_statement {
            full.get_or_insert_with(|| values_sql::<R>(engine, per_statement))
                .clone()
        } else {
            values_sql::<R>(engine, chunk.len())
        };
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for row in chunk {
            q = row.bind(q);
        }
        changed += conn.execute(q).await?.rows_affected();
    }
    Ok(changed)
}

/// A session for loading a large amount of generated data into a database that holds none of
/// it yet (`onewindow seed volume`), on a connection of its own taken out of the pool and
/// closed at the end, so what it changes for speed never reaches the server's connections.
pub struct BulkLoad {
    conn: AnyConnection,
    engine: Engine,
    /// The secondary indexes of the loaded tables, dropped for the load and built again at the
    /// end: building an index once from sorted data is far cheaper than keeping it up to date
    /// through millions of inserts in random key order.
    /// (name, statement)
    indexes: Vec<(String, String)>,
}

/// The tables a case load fills.
const LOADED_TABLES: [&str; 2] = ["cases", "case_events"];

impl Store {
    /// Starts a bulk load. The caller makes sure the data is generated and can be generated
    /// again: on SQLite the load's commits do not wait for the disk (`synchronous = OFF`), so a
    /// crash of the machine during the load may leave the file unusable; rerun the load.
    pub async fn begin_bulk_load(&self) -> Result<BulkLoad> {
        let mut conn = self.pool.acquire().await?.detach();
        let settings: &[&str] = match self.engine {
            // No fsync at each commit, a large page cache for the growing tables and indexes, and
            // sorting for CREATE INDEX in memory. The journal stays WAL: leaving it needs every
            // other connection closed, and WAL is what the server runs on.
            Engine::Sqlite => &[
                "PRAGMA synchronous = OFF",
                "PRAGMA cache_size = -262144",
                "PRAGMA temp_store = MEMORY",
                "PRAGMA wal_autocheckpoint = 65536",
            ],
            // Commits do not wait for the WAL flush; index builds get room to sort.
            Engine::Postgres => &[
                "SET synchronous_commit = off",
                "SET maintenance_work_mem = '256MB'",
            ],
        };
        for s in settings {
            conn.execute(*s).await?;
        }
        let listing = match self.engine {
            Engine::Sqlite => {
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $1 AND sql IS NOT NULL"
            }
            // Indexes that back a constraint (primary keys) stay.
            Engine::Postgres => {
                "SELECT CAST(indexname AS TEXT) AS name, indexdef AS sql FROM pg_indexes WHERE tablename = $1 AND indexname NOT IN (SELECT conname FROM pg_constraint)"
            }
        };
        let mut indexes = Vec::new();
        for table in LOADED_TABLES {
            let rows = sqlx::query(listing)
                .bind(table)
                .fetch_all(&mut conn)
                .await?;
            for r in rows {
                let name: String = r.try_get("name")?;
                conn.execute(sqlx::AssertSqlSafe(format!("DROP INDEX {name}")))
                    .await?;
                indexes.push((name, r.try_get("sql")?));
            }
        }
        Ok(BulkLoad {
            conn,
            engine: self.engine,
            indexes,
        })
    }
}

impl BulkLoad {
    /// Writes prepared cases in one transaction.
    pub async fn import_cases(&mut self, batch: Vec<crate::PreparedCase>) -> Result<()> {
        let mut tx = self.conn.begin().await?;
        crate::cases::insert_prepared(&mut tx, self.engine, batch).await?;
        tx.commit().await?;
        Ok(())
    }

    /// How many steps `finish` takes: each index, then the tidying.
    pub fn finishing_steps(&self) -> usize {
        self.indexes.len() + 1
    }

    /// Builds the dropped indexes again, then folds the load's log into the database file
    /// (SQLite) or vacuums and gathers planner statistics (PostgreSQL), naming each step to
    /// `step` as it starts (at ten million cases they take minutes); closes the connection.
    pub async fn finish(mut self, mut step: impl FnMut(&str)) -> Result<()> {
        for (name, sql) in &self.indexes {
            step(&format!("index {name}"));
            self.conn.execute(sqlx::AssertSqlSafe(sql.clone())).await?;
        }
        let (tidying, tidy) = match self.engine {
            Engine::Sqlite => (
                "folding the write-ahead log",
                "PRAGMA wal_checkpoint(TRUNCATE)",
            ),
            // VACUUM as well as ANALYZE: it marks the loaded pages all-visible, without which
            // every index-only scan (an inbox's counts) visits the table for each row it counts.
            Engine::Postgres => (
                "vacuum and planner statistics",
                "VACUUM (ANALYZE) cases, case_events, case_counts",
            ),
        };
        step(tidying);
        if self.engine == Engine::Postgres {
            // The load added to every stripe of every count; nothing else writes yet.
            self.conn.execute(crate::counts::FOLD_SQL).await?;
        }
        self.conn.execute(tidy).await?;
        self.conn.close().await?;
        Ok(())
    }
}

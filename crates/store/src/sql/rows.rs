//! Rows of a table bound column by column, and the multi-row INSERT and UPDATE … FROM (VALUES …)
//! statements that write many of them at once, each holding as many rows as the engine binds
//! parameters for.

use sqlx::any::AnyArguments;
use sqlx::{Any, AnyConnection, Executor};

use crate::{Engine, Result};

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

/// `INSERT INTO table (columns) VALUES (…), (…)` for `rows` rows.
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
            engine.push_placeholder(&mut sql, r * width + c + 1);
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

/// Inserts `rows`, statement by statement: for loads too large for one [`crate::sql::Script`].
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
            if r == 0 {
                engine.push_typed_placeholder(&mut sql, c + 1, ty);
            } else {
                engine.push_placeholder(&mut sql, r * width + c + 1);
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

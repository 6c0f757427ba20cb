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

/// `rows` cut into statements of at most `per_statement` rows, each with its text from `sql`
/// (given its row count). Every full statement has the same text, so a connection prepares it
/// once.
fn statements<R>(
    rows: Vec<R>,
    per_statement: usize,
    sql: impl Fn(usize) -> String,
) -> impl Iterator<Item = (String, Vec<R>)> {
    let mut full: Option<String> = None;
    let mut rows = rows.into_iter().peekable();
    std::iter::from_fn(move || {
        rows.peek()?;
        let chunk: Vec<R> = rows.by_ref().take(per_statement).collect();
        let text = if chunk.len() == per_statement {
            full.get_or_insert_with(|| sql(per_statement)).clone()
        } else {
            sql(chunk.len())
        };
        Some((text, chunk))
    })
}

/// The INSERT statements of `rows`, as few as the engine's parameter limit allows, each with the
/// rows it binds.
pub(crate) fn insert_statements<R: TableRow>(
    engine: Engine,
    rows: Vec<R>,
) -> impl Iterator<Item = (String, Vec<R>)> {
    let per_statement = engine.max_parameters() / R::COLUMNS.len();
    statements(rows, per_statement, move |n| insert_sql::<R>(engine, n))
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

/// The UPDATE … FROM (VALUES …) statements of `rows`, each followed by `suffix`.
fn values_statements<R: ValuesRow>(
    engine: Engine,
    rows: Vec<R>,
    suffix: &'static str,
) -> impl Iterator<Item = (String, Vec<R>)> {
    let per_statement = engine.max_parameters() / R::TYPES.len();
    statements(rows, per_statement, move |n| {
        values_sql::<R>(engine, n) + suffix
    })
}

/// Applies `rows` with as few statements as the engine's parameter limit allows; returns how
/// many rows of the table changed.
pub(crate) async fn update_from_values<R: ValuesRow>(
    conn: &mut AnyConnection,
    engine: Engine,
    rows: Vec<R>,
) -> Result<u64> {
    let mut changed = 0;
    for (sql, chunk) in values_statements(engine, rows, "") {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for row in chunk {
            q = row.bind(q);
        }
        changed += conn.execute(q).await?.rows_affected();
    }
    Ok(changed)
}

/// Applies `rows` as [`update_from_values`] does, and returns the changed rows as `returning`
/// (`RETURNING …`, naming columns of the updated table only: SQLite allows no others) reads them.
pub(crate) async fn update_returning<R: ValuesRow, T>(
    conn: &mut AnyConnection,
    engine: Engine,
    rows: Vec<R>,
    returning: &'static str,
) -> Result<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
{
    let mut changed = Vec::new();
    for (sql, chunk) in values_statements(engine, rows, returning) {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for row in chunk {
            q = row.bind(q);
        }
        for row in conn.fetch_all(q).await? {
            changed.push(T::from_row(&row)?);
        }
    }
    Ok(changed)
}

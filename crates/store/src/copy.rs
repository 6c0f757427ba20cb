//! A SQLite centre moved to PostgreSQL (`onewindow migrate-to`): every row of every table copied
//! in one transaction, parents before the rows that name them, read in pages so a centre of any
//! size passes through a bounded amount of memory.

use std::collections::{BTreeMap, HashMap};

use sqlx::any::AnyRow;
use sqlx::{Column, Connection, Row};

use crate::{Engine, Result, Store, StoreError};

/// One value of a row, whichever engine it came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Bytes(Vec<u8>),
}

impl Value {
    /// The value read as the first type its column admits.
    fn of(row: &AnyRow, i: usize) -> Value {
        if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
            return v.map_or(Value::Null, Value::Int);
        }
        if let Ok(Some(v)) = row.try_get::<Option<String>, _>(i) {
            return Value::Text(v);
        }
        if let Ok(Some(v)) = row.try_get::<Option<Vec<u8>>, _>(i) {
            return Value::Bytes(v);
        }
        if let Ok(Some(v)) = row.try_get::<Option<f64>, _>(i) {
            return Value::Real(v);
        }
        Value::Null
    }

    /// The value as text the same on either engine, for comparing two databases.
    pub fn render(&self) -> String {
        match self {
            Value::Null => "NULL".to_owned(),
            Value::Int(i) => i.to_string(),
            Value::Real(r) => r.to_string(),
            Value::Text(t) => format!("'{t}'"),
            Value::Bytes(b) => b.iter().map(|b| format!("{b:02x}")).collect(),
        }
    }
}

/// Rows read from the source at a time.
const PAGE: i64 = 2000;
/// Most bound values in one insert (PostgreSQL takes 65,535).
const MOST_VALUES: usize = 30_000;

/// The tables in an order where each comes after those its foreign keys name.
async fn parents_first(target: &Store, tables: Vec<String>) -> Result<Vec<String>> {
    let edges: Vec<(String, String)> = sqlx::query_as(
        "SELECT CAST(conrelid::regclass AS TEXT), CAST(confrelid::regclass AS TEXT)
         FROM pg_constraint WHERE contype = 'f'",
    )
    .fetch_all(&mut *target.read().await?)
    .await?;
    let mut ordered: Vec<String> = Vec::new();
    let mut left = tables;
    left.sort();
    while !left.is_empty() {
        let ready: Vec<String> = left
            .iter()
            .filter(|t| {
                edges
                    .iter()
                    .filter(|(child, parent)| child == *t && parent != *t)
                    .all(|(_, parent)| ordered.contains(parent) || !left.contains(parent))
            })
            .cloned()
            .collect();
        if ready.is_empty() {
            return Err(StoreError::corrupt("foreign keys", "they form a cycle"));
        }
        left.retain(|t| !ready.contains(t));
        ordered.extend(ready);
    }
    Ok(ordered)
}

/// The target's column types by name, to bind a NULL as its column's type.
async fn column_types(target: &Store, table: &str) -> Result<HashMap<String, String>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT CAST(column_name AS TEXT), CAST(data_type AS TEXT) FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name = $1",
    )
    .bind(table)
    .fetch_all(&mut *target.read().await?)
    .await?;
    Ok(rows.into_iter().collect())
}

impl Store {
    /// Every row of `table`, each as its columns' names and values; for comparing databases.
    pub async fn table_rows(&self, table: &str) -> Result<Vec<BTreeMap<String, Value>>> {
        let sql = format!("SELECT * FROM \"{table}\"");
        let rows: Vec<AnyRow> = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&mut *self.read().await?)
            .await?;
        Ok(rows
            .iter()
            .map(|r| {
                r.columns()
                    .iter()
                    .map(|c| (c.name().to_owned(), Value::of(r, c.ordinal())))
                    .collect()
            })
            .collect())
    }

    /// Copies every row of the SQLite `source` into this PostgreSQL store, which must be empty
    /// and at the same schema version, in one transaction; `progress` is told each table and
    /// how many of its rows are copied. Returns how many rows were copied.
    pub async fn copy_from(
        &self,
        source: &Store,
        mut progress: impl FnMut(&str, u64),
    ) -> Result<u64> {
        if source.engine != Engine::Sqlite || self.engine != Engine::Postgres {
            return Err(StoreError::Conflict(
                "a centre moves from SQLite to PostgreSQL".into(),
            ));
        }
        if self.holds_data().await? {
            return Err(StoreError::Conflict(
                "the target database holds data".into(),
            ));
        }
        let version = |s: &Store| {
            let s = s.clone();
            async move {
                let v: Option<i64> =
                    sqlx::query_scalar("SELECT MAX(version) FROM schema_migrations")
                        .fetch_one(&mut *s.read().await?)
                        .await?;
                Result::Ok(v)
            }
        };
        if version(source).await? != version(self).await? {
            return Err(StoreError::Conflict(
                "the two databases are at different schema versions".into(),
            ));
        }
        let tables: Vec<String> = source
            .table_names()
            .await?
            .into_iter()
            .filter(|t| t != "schema_migrations")
            .collect();
        let tables = parents_first(self, tables).await?;
        let mut conn = self.pool.acquire().await?;
        let mut tx = conn.begin().await?;
        // The target's own settings (a key fingerprint from opening it) give way to the
        // centre's.
        sqlx::query("DELETE FROM settings")
            .execute(&mut *tx)
            .await?;
        let mut total = 0;
        for table in &tables {
            let types = column_types(self, table).await?;
            let mut after = 0_i64;
            let mut copied = 0_u64;
            loop {
                let sql = format!(
                    "SELECT rowid AS \"_rowid\", * FROM \"{table}\" WHERE rowid > $1 ORDER BY rowid LIMIT $2"
                );
                let rows: Vec<AnyRow> = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(after)
                    .bind(PAGE)
                    .fetch_all(&mut *source.read().await?)
                    .await?;
                let Some(last) = rows.last() else {
                    break;
                };
                after = last.try_get::<i64, _>(0)?;
                let columns: Vec<String> = last.columns()[1..]
                    .iter()
                    .map(|c| c.name().to_owned())
                    .collect();
                let per_insert = (MOST_VALUES / columns.len().max(1)).max(1);
                for chunk in rows.chunks(per_insert) {
                    insert(&mut tx, table, &columns, &types, chunk).await?;
                }
                copied += rows.len() as u64;
                progress(table, copied);
            }
            total += copied;
        }
        tx.commit().await?;
        Ok(total)
    }
}

/// One multi-row insert of `rows` (each led by its rowid) into `table`.
async fn insert(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    table: &str,
    columns: &[String],
    types: &HashMap<String, String>,
    rows: &[AnyRow],
) -> Result<()> {
    let mut sql = format!(
        "INSERT INTO \"{table}\" ({}) VALUES ",
        columns
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut n = 0;
    for (r, _) in rows.iter().enumerate() {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..columns.len() {
            if c > 0 {
                sql.push_str(", ");
            }
            n += 1;
            sql.push_str(&format!("${n}"));
        }
        sql.push(')');
    }
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for row in rows {
        for (c, name) in columns.iter().enumerate() {
            q = match Value::of(row, c + 1) {
                Value::Int(i) => q.bind(i),
                Value::Real(f) => q.bind(f),
                Value::Text(t) => q.bind(t),
                Value::Bytes(b) => q.bind(b),
                Value::Null => match types.get(name).map(String::as_str) {
                    Some("bigint" | "integer" | "smallint") => q.bind(None::<i64>),
                    Some("bytea") => q.bind(None::<Vec<u8>>),
                    Some("double precision" | "real") => q.bind(None::<f64>),
                    _ => q.bind(None::<String>),
                },
            };
        }
    }
    q.execute(&mut **tx).await?;
    Ok(())
}

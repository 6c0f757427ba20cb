//! The statements of one write, sent to the database together.
//!
//! sqlx runs each SQLite connection on a thread of its own, and every statement is a round trip
//! to that thread: a message there, a wake-up, a message back, another wake-up. SQLite's one
//! writer is held across all of a write's round trips, so they cap every write of the server
//! (docs/PERFORMANCE.md, S1). A script goes to SQLite as one multi-statement query, one round
//! trip; PostgreSQL prepares one statement at a time, so there it runs statement by statement.

use futures_util::TryStreamExt;
use sqlx::{AnyConnection, Executor};

use super::rows::{AnyQuery, TableRow, insert_statements};
use crate::{Engine, Result};

type Binder<'q> = Box<dyn FnOnce(AnyQuery<'q>) -> AnyQuery<'q> + Send + 'q>;

/// A write's statements find their conflicts themselves, as constraint errors, so that the
/// script may end by releasing the write's savepoint: nothing is checked between them.
pub(crate) struct Script<'q> {
    engine: Engine,
    statements: Vec<(String, Binder<'q>)>,
}

impl<'q> Script<'q> {
    pub(crate) fn new(engine: Engine) -> Self {
        Script {
            engine,
            statements: Vec::new(),
        }
    }

    /// Adds a statement whose placeholders are `$1`, `$2`… each used once, in that order, so
    /// that `bind` may bind them in order whatever the engine calls them.
    pub(crate) fn push(
        &mut self,
        sql: &str,
        bind: impl FnOnce(AnyQuery<'q>) -> AnyQuery<'q> + Send + 'q,
    ) {
        let sql = self.engine.render(sql).into_owned();
        self.statements.push((sql, Box::new(bind)));
    }

    /// Puts a statement without parameters before the others.
    pub(crate) fn prepend(&mut self, sql: &str) {
        self.statements.insert(0, (sql.to_owned(), Box::new(|q| q)));
    }

    /// Puts a statement without parameters after the others.
    pub(crate) fn append(&mut self, sql: &str) {
        self.statements.push((sql.to_owned(), Box::new(|q| q)));
    }

    /// Adds the INSERT statements of `rows`.
    pub(crate) fn insert<R: TableRow + Send + 'q>(&mut self, rows: Vec<R>) {
        for (sql, chunk) in insert_statements(self.engine, rows) {
            let bind = move |mut q: AnyQuery<'q>| {
                for row in chunk {
                    q = row.bind(q);
                }
                q
            };
            self.statements.push((sql, Box::new(bind)));
        }
    }

    /// Runs the statements in order, stopping at the first that fails.
    pub(crate) async fn run(self, conn: &mut AnyConnection) -> Result<()> {
        if self.statements.is_empty() {
            return Ok(());
        }
        match self.engine {
            Engine::Sqlite => {
                let sql = self
                    .statements
                    .iter()
                    .map(|(sql, _)| sql.as_str())
                    .collect::<Vec<_>>()
                    .join(";\n");
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for (_, bind) in self.statements {
                    q = bind(q);
                }
                conn.execute_many(q)
                    .try_for_each(|_| async { Ok(()) })
                    .await?;
            }
            Engine::Postgres => {
                for (sql, bind) in self.statements {
                    conn.execute(bind(sqlx::query(sqlx::AssertSqlSafe(sql))))
                        .await?;
                }
            }
        }
        Ok(())
    }
}

//! The statements of one write, sent to the database together.
//!
//! sqlx runs each SQLite connection on a thread of its own, and every statement is a round trip
//! to that thread: a message there, a wake-up, a message back, another wake-up. SQLite's one
//! writer is held across all of a write's round trips, so they cap every write of the server
//! (docs/PERFORMANCE.md, S1). A script goes to SQLite as one multi-statement query, one round
//! trip; PostgreSQL prepares one statement at a time, so there it runs statement by statement.

use futures_util::TryStreamExt;
use sqlx::{AnyConnection, Either, Executor};

use super::rows::{AnyQuery, TableRow, insert_statements};
use crate::{Engine, Result, StoreError};

type Binder<'q> = Box<dyn FnOnce(AnyQuery<'q>) -> AnyQuery<'q> + Send + 'q>;

/// A write's statements. One of them may be its guard ([`Script::guard`]): the write is a
/// conflict unless the guard finds its row.
pub(crate) struct Script<'q> {
    engine: Engine,
    statements: Vec<(String, Binder<'q>)>,
    /// The guard's position among the statements, and the conflict it stands for.
    guard: Option<(usize, &'static str)>,
}

impl<'q> Script<'q> {
    pub(crate) fn new(engine: Engine) -> Self {
        Script {
            engine,
            statements: Vec::new(),
            guard: None,
        }
    }

    /// Adds the script's guard: a statement ending in `RETURNING` that returns a row when the
    /// write may go ahead, and none when what it read has changed. Without that row the script
    /// fails with `Conflict(conflict)`, whatever the statements after it did; the job's
    /// savepoint then undoes them. It is the only statement of the script that returns rows.
    pub(crate) fn guard(
        &mut self,
        conflict: &'static str,
        sql: &str,
        bind: impl FnOnce(AnyQuery<'q>) -> AnyQuery<'q> + Send + 'q,
    ) {
        assert!(self.guard.is_none(), "a script has one guard");
        self.guard = Some((self.statements.len(), conflict));
        self.push(sql, bind);
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

    /// Puts statements without parameters and without rows before the others.
    pub(crate) fn prepend(&mut self, sql: &str) {
        self.statements.insert(0, (sql.to_owned(), Box::new(|q| q)));
        if let Some((at, _)) = &mut self.guard {
            *at += 1;
        }
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
        let conflict = self.guard.map(|(_, conflict)| conflict);
        let mut guarded = false;
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
                let ran = conn
                    .fetch_many(q)
                    .try_for_each(|step| {
                        guarded |= matches!(step, Either::Right(_));
                        async { Ok(()) }
                    })
                    .await;
                // The guard's missing row explains an error after it: the statements that
                // follow a changed read (a taken event number) may fail on their own.
                match conflict {
                    Some(conflict) if !guarded => {
                        return Err(StoreError::Conflict(conflict.into()));
                    }
                    _ => ran?,
                }
            }
            Engine::Postgres => {
                let guard = self.guard.map(|(at, _)| at);
                for (at, (sql, bind)) in self.statements.into_iter().enumerate() {
                    let q = bind(sqlx::query(sqlx::AssertSqlSafe(sql)));
                    if Some(at) == guard {
                        guarded = conn.fetch_optional(q).await?.is_some();
                        if !guarded {
                            break;
                        }
                    } else {
                        conn.execute(q).await?;
                    }
                }
                if let (Some(conflict), false) = (conflict, guarded) {
                    return Err(StoreError::Conflict(conflict.into()));
                }
            }
        }
        Ok(())
    }
}

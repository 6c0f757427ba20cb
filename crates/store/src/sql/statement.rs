//! A statement built in pieces, each value bound where its clause names it, with the engine's
//! placeholders: for queries whose shape depends on what is asked (an inbox page, a batch).

use sqlx::Any;
use sqlx::any::{AnyArguments, AnyRow};

use crate::Engine;

pub(crate) struct Statement {
    engine: Engine,
    text: String,
    args: Vec<Option<String>>,
}

impl Statement {
    pub(crate) fn new(engine: Engine, text: &str) -> Statement {
        Statement {
            engine,
            text: text.to_owned(),
            args: Vec::new(),
        }
    }

    /// Appends `clause`, binding `values` in order where it says `?`.
    pub(crate) fn push(&mut self, clause: &str, values: &[Option<String>]) -> &mut Statement {
        let mut values = values.iter();
        for ch in clause.chars() {
            if ch == '?' {
                self.args.push(values.next().cloned().flatten());
                self.engine
                    .push_placeholder(&mut self.text, self.args.len());
            } else {
                self.text.push(ch);
            }
        }
        self
    }

    pub(crate) fn query_as<T: for<'r> sqlx::FromRow<'r, AnyRow>>(
        &self,
    ) -> sqlx::query::QueryAs<'_, Any, T, AnyArguments> {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(self.text.clone()));
        for a in &self.args {
            q = q.bind(a.clone());
        }
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_value_is_bound_where_its_clause_names_it() {
        for (engine, expected) in [
            (Engine::Postgres, "SELECT 1 WHERE a = $1 AND b IN ($2, $3)"),
            (Engine::Sqlite, "SELECT 1 WHERE a = ? AND b IN (?, ?)"),
        ] {
            let mut s = Statement::new(engine, "SELECT 1 WHERE");
            s.push(" a = ?", &[Some("x".into())]);
            s.push(" AND b IN (?, ?)", &[Some("y".into()), None]);
            assert_eq!(s.text, expected);
            assert_eq!(s.args, [Some("x".into()), Some("y".into()), None]);
        }
    }
}

//! A statement built in pieces, each value bound where its clause names it, with the engine's
//! placeholders: for queries whose shape depends on what is asked (an inbox page, a batch).

use sqlx::Any;
use sqlx::any::{AnyArguments, AnyRow};

use onewindow_domain::supervision::DueRule;

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

    /// Appends ` AND (…)`: the rows any of `rules` holds, by the due date in `due_col` and the
    /// promised days (an immediate case is promised 0). No rule selects nothing.
    pub(crate) fn due_rules(&mut self, due_col: &str, rules: &[DueRule]) -> &mut Statement {
        if rules.is_empty() {
            self.push(" AND 1 = 0", &[]);
            return self;
        }
        self.push(" AND (", &[]);
        for (i, r) in rules.iter().enumerate() {
            self.push(if i == 0 { "(" } else { " OR (" }, &[]);
            self.push(&format!("{due_col} IS NOT NULL"), &[]);
            if let Some(from) = r.due.from {
                self.push(&format!(" AND {due_col} >= ?"), &[Some(from.to_string())]);
            }
            if let Some(to) = r.due.to {
                self.push(&format!(" AND {due_col} <= ?"), &[Some(to.to_string())]);
            }
            match r.immediate {
                Some(true) => self.push(" AND promised_days = 0", &[]),
                Some(false) => self.push(" AND promised_days > 0", &[]),
                None => self,
            };
            self.push(")", &[]);
        }
        self.push(")", &[])
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

    #[test]
    fn due_rules_select_any_of_them() {
        use chrono::NaiveDate;
        use onewindow_domain::supervision::DueRange;
        let day = NaiveDate::from_ymd_opt(2026, 3, 2);
        let rules = [
            DueRule {
                due: DueRange {
                    from: day,
                    to: None,
                },
                immediate: None,
            },
            DueRule {
                due: DueRange {
                    from: None,
                    to: day,
                },
                immediate: Some(true),
            },
        ];
        let mut s = Statement::new(Engine::Sqlite, "SELECT 1 WHERE a = 1");
        s.due_rules("due_on", &rules);
        assert_eq!(
            s.text,
            "SELECT 1 WHERE a = 1 AND ((due_on IS NOT NULL AND due_on >= ?) OR (due_on IS NOT NULL AND due_on <= ? AND promised_days = 0))"
        );
        assert_eq!(s.args.len(), 2);
        let mut none = Statement::new(Engine::Sqlite, "SELECT 1 WHERE a = 1");
        none.due_rules("due_on", &[]);
        assert_eq!(none.text, "SELECT 1 WHERE a = 1 AND 1 = 0");
    }
}

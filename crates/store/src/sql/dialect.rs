//! What differs between the engines in the SQL the store sends: one named method per
//! difference. Statements are written once, with `$1`, `$2`… placeholders; these render them.

use std::borrow::Cow;

use crate::Engine;

impl Engine {
    /// How many parameters one statement may bind: SQLite's SQLITE_MAX_VARIABLE_NUMBER (32766
    /// since 3.32, as bundled) and PostgreSQL's protocol limit (a 16-bit count).
    pub(crate) fn max_parameters(self) -> usize {
        match self {
            Engine::Sqlite => 32_766,
            Engine::Postgres => 65_535,
        }
    }

    /// Appends a statement's `n`th placeholder (from 1). SQLite gets an anonymous `?`: it finds
    /// a numbered one's name by a linear search, so binding tens of thousands of `$N` costs
    /// time quadratic in their number, and in a multi-statement query sqlx binds `$N` to the
    /// query's Nth argument where `?` lets each statement bind its own. PostgreSQL needs `$N`.
    pub(crate) fn push_placeholder(self, sql: &mut String, n: usize) {
        match self {
            Engine::Sqlite => sql.push('?'),
            Engine::Postgres => {
                sql.push('$');
                sql.push_str(&n.to_string());
            }
        }
    }

    /// [`Engine::push_placeholder`] for a value of the first row of a `VALUES` list, which
    /// PostgreSQL types the whole list by: there it names the value's SQL type.
    pub(crate) fn push_typed_placeholder(self, sql: &mut String, n: usize, ty: &str) {
        match self {
            Engine::Sqlite => sql.push('?'),
            Engine::Postgres => sql.push_str(&format!("CAST(${n} AS {ty})")),
        }
    }

    /// `sql`, written with `$1`, `$2`… each used once and in order, with this engine's
    /// placeholders.
    pub(crate) fn render(self, sql: &str) -> Cow<'_, str> {
        if self == Engine::Postgres {
            return Cow::Borrowed(sql);
        }
        let mut out = String::with_capacity(sql.len());
        let mut chars = sql.chars().peekable();
        let mut expected = 1;
        while let Some(c) = chars.next() {
            if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
                let mut n = 0usize;
                while let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                    n = n * 10 + d as usize;
                    chars.next();
                }
                debug_assert_eq!(n, expected, "placeholders in order: {sql}");
                expected += 1;
                self.push_placeholder(&mut out, n);
            } else {
                out.push(c);
            }
        }
        Cow::Owned(out)
    }

    /// Appended to a SELECT in a write, so that a transition waits for the write to commit
    /// rather than changing the rows between. SQLite's write lock, taken at `BEGIN`, already
    /// keeps every other writer out.
    pub(crate) fn lock_rows(self) -> &'static str {
        match self {
            Engine::Sqlite => "",
            Engine::Postgres => " FOR UPDATE",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_placeholders_are_anonymous_on_sqlite_and_kept_on_postgresql() {
        let sql = "UPDATE t SET a = $1, b = $2 WHERE c = $3 AND d = $4";
        assert_eq!(
            Engine::Sqlite.render(sql),
            "UPDATE t SET a = ?, b = ? WHERE c = ? AND d = ?"
        );
        assert_eq!(Engine::Postgres.render(sql), sql);
        assert_eq!(Engine::Sqlite.render("SELECT '$' || x"), "SELECT '$' || x");
    }

    #[test]
    fn a_values_list_is_typed_by_its_first_row_on_postgresql() {
        let mut pg = String::new();
        Engine::Postgres.push_typed_placeholder(&mut pg, 1, "BIGINT");
        Engine::Postgres.push_placeholder(&mut pg, 12);
        assert_eq!(pg, "CAST($1 AS BIGINT)$12");
        let mut sqlite = String::new();
        Engine::Sqlite.push_typed_placeholder(&mut sqlite, 1, "BIGINT");
        Engine::Sqlite.push_placeholder(&mut sqlite, 12);
        assert_eq!(sqlite, "??");
    }
}

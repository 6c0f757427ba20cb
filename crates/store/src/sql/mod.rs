//! How the store writes SQL: rows of a table bound in column order, the multi-row statements
//! built from them, and the script of one write's statements.

mod rows;
mod script;

pub(crate) use rows::{AnyQuery, TableRow, ValuesRow, insert_rows, update_from_values};
pub(crate) use script::Script;

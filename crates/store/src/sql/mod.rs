//! How the store writes SQL: statements written once with `$N` placeholders and rendered per
//! engine (dialect.rs, every difference between the engines named there), rows of a table bound
//! in column order and the multi-row statements built from them, and the script of one write.

mod dialect;
mod rows;
mod script;
mod statement;

pub(crate) use rows::{
    AnyQuery, TableRow, ValuesRow, insert_rows, update_from_values, update_returning,
};
pub(crate) use script::Script;
pub(crate) use statement::Statement;

//! A real centre set up from the files it already has (`onewindow init --from DIR`), blank
//! templates for them (`--template DIR`), and later imports of items and staff. A workbook
//! (`centre.xlsx`, one sheet per kind) and the JSON the demo uses are read into the same rows,
//! so both are checked by the same rules, and every problem is reported with its place before
//! anything is written.

mod apply;
mod cells;
mod checks;
mod json;
mod records;
pub mod sheets;
mod xlsx;

use std::fmt;

pub use apply::{import_items, import_staff, init};
use sheets::{Sheet, SheetKind};
pub use xlsx::write_template;

/// Where a value came from, to point the person who wrote the file at it.
#[derive(Debug, Clone)]
pub enum Place {
    /// A row of a sheet, numbered as the spreadsheet numbers it (the header is row 1).
    Row {
        file: String,
        sheet: &'static Sheet,
        row: u32,
    },
    /// A record of a JSON file, by its path (`items[3].materials[1]`).
    Json { file: String, path: String },
    /// A whole file.
    File(String),
}

impl Place {
    /// The place of a field of this record, as the person who filled it in reads it: the
    /// column's Chinese header in a workbook, the key in a JSON file.
    pub fn at(&self, key: &str) -> String {
        match self {
            Place::Row { file, sheet, row } => {
                let column = sheet.column(key).map_or(key, |c| c.zh);
                format!(
                    "{file}，工作表“{}”第 {row} 行“{column}”列 (sheet {}, row {row}, column {key})",
                    sheet.zh, sheet.zh
                )
            }
            Place::Json { file, path } => format!("{file}: {path}.{key}"),
            Place::File(file) => format!("{file}: {key}"),
        }
    }

    /// The place of the record as a whole.
    pub fn whole(&self) -> String {
        match self {
            Place::Row { file, sheet, row } => format!(
                "{file}，工作表“{}”第 {row} 行 (sheet {}, row {row})",
                sheet.zh, sheet.zh
            ),
            Place::Json { file, path } => format!("{file}: {path}"),
            Place::File(file) => file.clone(),
        }
    }
}

/// One thing wrong with the files, in Chinese and English, with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub place: String,
    /// Stable snake_case code, as the API's problems have.
    pub code: &'static str,
    pub zh: String,
    pub en: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} / {} [{}]",
            self.place, self.zh, self.en, self.code
        )
    }
}

/// Every problem found, in the order of the files.
#[derive(Debug, Default)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn add(&mut self, place: String, code: &'static str, zh: String, en: String) {
        self.0.push(Problem {
            place,
            code,
            zh,
            en,
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Why nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("{} problems in the files; nothing was written", .0.len())]
    Invalid(Vec<Problem>),
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Store(#[from] onewindow_store::StoreError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// The rows of every sheet found, by kind.
#[derive(Debug, Default)]
pub struct Tables {
    pub rows: std::collections::HashMap<SheetKind, Vec<cells::Row>>,
}

impl Tables {
    pub fn of(&self, kind: SheetKind) -> &[cells::Row] {
        self.rows.get(&kind).map_or(&[], Vec::as_slice)
    }
}

//! A cell as a workbook or a JSON file gives it, read by its column's kind into the JSON value
//! of the record's field.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde_json::Value;

use super::Place;
use super::sheets::Kind;

/// A cell's content before its column reads it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    Date(NaiveDate),
}

/// A record as read: its place and its cells by column key.
#[derive(Debug, Clone)]
pub struct Row {
    pub place: Place,
    pub cells: HashMap<&'static str, Cell>,
}

impl Row {
    /// The cell's text, trimmed; empty for an empty or non-text cell.
    pub fn text(&self, key: &str) -> String {
        match self.cells.get(key) {
            Some(Cell::Text(s)) => s.trim().to_owned(),
            Some(Cell::Number(n)) => number_text(*n),
            _ => String::new(),
        }
    }
}

/// Why a cell cannot be read: code, Chinese, English.
pub type CellError = (&'static str, String, String);

fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

fn is_blank(cell: &Cell) -> bool {
    match cell {
        Cell::Empty => true,
        Cell::Text(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// The list separators people type in a cell: 、 , ， ; ；
fn split_list(s: &str) -> Vec<String> {
    s.split(['、', ',', '，', ';', '；'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

fn choice(s: &str, choices: &[(&str, &str)]) -> Result<Value, CellError> {
    let s = s.trim();
    choices
        .iter()
        .find(|(code, zh)| *code == s || *zh == s)
        .map(|(code, _)| Value::from(*code))
        .ok_or_else(|| {
            let zh: Vec<&str> = choices.iter().map(|c| c.1).collect();
            let en: Vec<&str> = choices.iter().map(|c| c.0).collect();
            (
                "not_a_choice",
                format!("“{s}”不是可选的值，应为：{}", zh.join("、")),
                format!("'{s}' is not one of: {}", en.join(", ")),
            )
        })
}

/// The value of an empty cell of a column that may be empty.
fn empty(kind: Kind) -> Value {
    match kind {
        Kind::Text => Value::from(""),
        Kind::YesNo => Value::from(false),
        Kind::Choices(_) | Kind::Words => Value::Array(Vec::new()),
        _ => Value::Null,
    }
}

/// Reads `cell` as a value of `kind`; a missing cell reads as an empty one.
pub fn read(cell: Option<&Cell>, kind: Kind, required: bool) -> Result<Value, CellError> {
    let cell = cell.unwrap_or(&Cell::Empty);
    if is_blank(cell) {
        return if required {
            Err((
                "field_required",
                "此项必填".to_owned(),
                "a value is required".to_owned(),
            ))
        } else {
            Ok(empty(kind))
        };
    }
    let text = match cell {
        Cell::Text(s) => s.trim().to_owned(),
        Cell::Number(n) => number_text(*n),
        Cell::Bool(b) => if *b { "是" } else { "否" }.to_owned(),
        Cell::Date(d) => d.to_string(),
        Cell::Empty => String::new(),
    };
    match kind {
        Kind::Text | Kind::OptionalText => Ok(Value::from(text)),
        Kind::Count => match cell {
            Cell::Number(n) if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(n) => {
                Ok(Value::from(*n as u32))
            }
            _ => text.parse::<u32>().map(Value::from).map_err(|_| {
                (
                    "not_a_count",
                    format!("“{text}”应为 0 或正整数"),
                    format!("'{text}' is not a whole number of zero or more"),
                )
            }),
        },
        Kind::YesNo | Kind::OptionalYesNo => match text.to_lowercase().as_str() {
            "是" | "true" | "yes" | "y" | "1" => Ok(Value::from(true)),
            "否" | "false" | "no" | "n" | "0" => Ok(Value::from(false)),
            _ => Err((
                "not_yes_or_no",
                format!("“{text}”应为“是”或“否”"),
                format!("'{text}' is not yes (是) or no (否)"),
            )),
        },
        Kind::Date => match cell {
            Cell::Date(d) => Ok(Value::from(d.to_string())),
            _ => NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                .or_else(|_| NaiveDate::parse_from_str(&text, "%Y/%m/%d"))
                .map(|d| Value::from(d.to_string()))
                .map_err(|_| {
                    (
                        "not_a_date",
                        format!("“{text}”不是日期，应如 2027-05-06"),
                        format!("'{text}' is not a date like 2027-05-06"),
                    )
                }),
        },
        Kind::Time => time(cell, &text).map(Value::from).ok_or_else(|| {
            (
                "not_a_time",
                format!("“{text}”不是时间，应如 08:30"),
                format!("'{text}' is not a time like 08:30"),
            )
        }),
        Kind::Yuan => yuan_to_fen(&text).map(Value::from).ok_or_else(|| {
            (
                "not_an_amount",
                format!("“{text}”应为金额（元），最多两位小数"),
                format!("'{text}' is not an amount in yuan with at most two decimals"),
            )
        }),
        Kind::Choice(choices) | Kind::OptionalChoice(choices) => choice(&text, choices),
        Kind::Choices(choices) => split_list(&text)
            .iter()
            .map(|s| choice(s, choices))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        Kind::Words => Ok(Value::from(split_list(&text))),
    }
}

/// A time of day as `HH:MM`: typed as `8:30` or `08:30:00`, or a spreadsheet's time, a fraction
/// of a day.
fn time(cell: &Cell, text: &str) -> Option<String> {
    let t = match cell {
        Cell::Number(f) if (0.0..1.0).contains(f) => {
            let minutes = (f * 24.0 * 60.0).round() as u32;
            chrono::NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 0)?
        }
        _ => chrono::NaiveTime::parse_from_str(text, "%H:%M")
            .or_else(|_| chrono::NaiveTime::parse_from_str(text, "%H:%M:%S"))
            .ok()?,
    };
    Some(t.format("%H:%M").to_string())
}

/// `12.5` yuan as 1250 fen; none for a negative amount or more than two decimals.
fn yuan_to_fen(text: &str) -> Option<i64> {
    let (whole, cents) = match text.split_once('.') {
        Some((w, c)) if !c.is_empty() && c.len() <= 2 => (w, c),
        Some(_) => return None,
        None => (text, ""),
    };
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !cents.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let cents = format!("{cents:0<2}");
    whole
        .parse::<i64>()
        .ok()?
        .checked_mul(100)?
        .checked_add(cents.parse().ok()?)
}

/// A value of the JSON the demo uses as the cell a workbook would hold, so both formats are read
/// by the same columns: lists become separated text, amounts in fen become yuan.
pub fn from_json(value: &Value, kind: Kind) -> Cell {
    match (value, kind) {
        (Value::Null, _) => Cell::Empty,
        (Value::Number(n), Kind::Yuan) => match n.as_i64() {
            Some(fen) => Cell::Text(format!("{}.{:02}", fen / 100, (fen % 100).abs())),
            None => Cell::Text(n.to_string()),
        },
        (Value::Number(n), _) => n.as_f64().map_or(Cell::Empty, Cell::Number),
        (Value::Bool(b), _) => Cell::Bool(*b),
        (Value::String(s), _) => Cell::Text(s.clone()),
        (Value::Array(items), _) => Cell::Text(
            items
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                .collect::<Vec<_>>()
                .join("、"),
        ),
        (Value::Object(_), _) => Cell::Text(value.to_string()),
    }
}

/// A cell as the template writer puts a value into it: the Chinese name of a choice, 是/否,
/// yuan for fen.
pub fn to_text(value: &Value, kind: Kind) -> String {
    let name = |code: &str, choices: &[(&str, &str)]| {
        choices
            .iter()
            .find(|c| c.0 == code)
            .map_or(code.to_owned(), |c| c.1.to_owned())
    };
    match (value, kind) {
        (Value::Null, _) => String::new(),
        (Value::Bool(b), _) => if *b { "是" } else { "否" }.to_owned(),
        (Value::String(s), Kind::Choice(c) | Kind::OptionalChoice(c)) => name(s, c),
        (Value::Array(items), Kind::Choices(c)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(|s| name(s, c))
            .collect::<Vec<_>>()
            .join("、"),
        _ => match from_json(value, kind) {
            Cell::Text(s) => s,
            Cell::Number(n) => number_text(n),
            _ => String::new(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::setup::sheets::ROLES;

    fn t(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }

    #[test]
    fn cells_read_as_their_columns_say() {
        assert_eq!(
            read(Some(&t(" 12 ")), Kind::Count, true),
            Ok(Value::from(12))
        );
        assert_eq!(
            read(Some(&Cell::Number(3.0)), Kind::Count, true),
            Ok(Value::from(3))
        );
        assert!(read(Some(&Cell::Number(2.5)), Kind::Count, true).is_err());
        assert!(read(Some(&t("-1")), Kind::Count, true).is_err());
        assert_eq!(
            read(Some(&t("是")), Kind::YesNo, false),
            Ok(Value::from(true))
        );
        assert_eq!(read(None, Kind::YesNo, false), Ok(Value::from(false)));
        assert_eq!(read(None, Kind::OptionalYesNo, false), Ok(Value::Null));
        assert_eq!(read(None, Kind::OptionalText, false), Ok(Value::Null));
        assert_eq!(read(None, Kind::Text, false), Ok(Value::from("")));
        assert_eq!(
            read(None, Kind::Text, true).unwrap_err().0,
            "field_required"
        );
        assert_eq!(
            read(Some(&t("12.5")), Kind::Yuan, true),
            Ok(Value::from(1250))
        );
        assert_eq!(read(Some(&t("0.05")), Kind::Yuan, true), Ok(Value::from(5)));
        assert!(read(Some(&t("1.005")), Kind::Yuan, true).is_err());
        assert!(read(Some(&t("-3")), Kind::Yuan, true).is_err());
        assert_eq!(
            read(Some(&t("窗口受理员、approver")), Kind::Choices(ROLES), true),
            Ok(serde_json::json!(["clerk", "approver"]))
        );
        assert_eq!(
            read(Some(&t("科员")), Kind::Choices(ROLES), true)
                .unwrap_err()
                .0,
            "not_a_choice"
        );
        assert_eq!(
            read(Some(&t("2027/5/6")), Kind::Date, true),
            Ok(Value::from("2027-05-06"))
        );
        assert_eq!(
            read(Some(&Cell::Number(440511.0)), Kind::Text, true),
            Ok(Value::from("440511"))
        );
    }

    #[test]
    fn times_are_read_as_typed_or_as_a_spreadsheet_keeps_them() {
        for (cell, time) in [
            (t("8:30"), "08:30"),
            (t("17:45:00"), "17:45"),
            // 08:30 as a spreadsheet time: the fraction of a day.
            (Cell::Number(8.5 / 24.0), "08:30"),
        ] {
            assert_eq!(read(Some(&cell), Kind::Time, true), Ok(Value::from(time)));
        }
        for bad in [t("8点半"), t("25:00"), Cell::Number(1.5)] {
            assert_eq!(
                read(Some(&bad), Kind::Time, true).unwrap_err().0,
                "not_a_time"
            );
        }
    }

    #[test]
    fn json_values_become_the_cells_a_workbook_holds() {
        for fen in [0_i64, 5, 1250, 100_000] {
            let cell = from_json(&Value::from(fen), Kind::Yuan);
            assert_eq!(read(Some(&cell), Kind::Yuan, true), Ok(Value::from(fen)));
        }
        let roles = serde_json::json!(["clerk", "leader"]);
        assert_eq!(to_text(&roles, Kind::Choices(ROLES)), "窗口受理员、领导");
        let cell = from_json(&roles, Kind::Choices(ROLES));
        assert_eq!(read(Some(&cell), Kind::Choices(ROLES), true), Ok(roles));
    }
}

//! A centre's workbook: read one sheet per kind, with the header row naming the columns; and the
//! blank template, documented in its first sheet and in each header's note.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use rust_xlsxwriter::{DataValidation, Format, Note, Workbook, XlsxError};

use super::cells::{Cell, Row, read as read_cell, to_text};
use super::sheets::{Column, Kind, SHEETS, Sheet, SheetKind};
use super::{Place, Problems, Tables};

/// The sheet of the template that explains the others; the reader passes it by.
const GUIDE: &str = "填写说明";

/// Whether a header cell names `column`: its Chinese name, its key, or either followed by a
/// remark in brackets (`标准（元）` names the column `标准（元）`, `名称(必填)` names `名称`).
fn names(header: &str, column: &Column) -> bool {
    let h = header.trim();
    h == column.zh
        || h == column.key
        || [column.zh, column.key].iter().any(|n| {
            h.strip_prefix(n)
                .is_some_and(|rest| rest.starts_with(['(', '（', '\n', '*', '＊']))
        })
}

fn cell(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        // A time alone is a fraction of a day, read by its column.
        Data::DateTime(d) if d.as_f64() < 1.0 => Cell::Number(d.as_f64()),
        // A spreadsheet date counts days from 1899-12-30.
        Data::DateTime(d) => chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
            .and_then(|epoch| epoch.checked_add_days(chrono::Days::new(d.as_f64() as u64)))
            .map_or(Cell::Empty, Cell::Date),
        Data::Error(e) => Cell::Text(format!("#{e:?}")),
    }
}

/// Reads the sheets of `kinds` from a workbook; `required` sheets must be there. Any other
/// sheet but the guide is a problem: a misspelt sheet would otherwise be passed by unread.
pub fn read(
    path: &Path,
    file: &str,
    kinds: &[SheetKind],
    required: &[SheetKind],
    tables: &mut Tables,
    problems: &mut Problems,
) {
    let mut workbook: Xlsx<_> = match open_workbook(path) {
        Ok(w) => w,
        Err(e) => {
            problems.add(
                file.to_owned(),
                "bad_workbook",
                "无法打开此文件，须为 .xlsx 工作簿".to_owned(),
                format!("cannot open the file as an .xlsx workbook: {e}"),
            );
            return;
        }
    };
    let names_found = workbook.sheet_names();
    for name in &names_found {
        let sheet = SHEETS
            .iter()
            .find(|s| s.zh == name.trim() || s.key == name.trim());
        match sheet {
            Some(s) if kinds.contains(&s.kind) => match workbook.worksheet_range(name) {
                Ok(range) => read_sheet(file, s, &range, tables, problems),
                Err(e) => problems.add(
                    format!("{file}，工作表“{name}” (sheet {name})"),
                    "bad_workbook",
                    "无法读取此工作表".to_owned(),
                    format!("cannot read the sheet: {e}"),
                ),
            },
            Some(_) => {}
            None if name.trim() == GUIDE => {}
            None => {
                let expected: Vec<&str> =
                    kinds.iter().map(|k| super::sheets::sheet(*k).zh).collect();
                problems.add(
                    format!("{file}，工作表“{name}” (sheet {name})"),
                    "unknown_sheet",
                    format!("未知的工作表，应为：{}", expected.join("、")),
                    format!("unknown sheet; expected: {}", expected.join(", ")),
                );
            }
        }
    }
    for kind in required {
        let s = super::sheets::sheet(*kind);
        if !names_found
            .iter()
            .any(|n| n.trim() == s.zh || n.trim() == s.key)
        {
            problems.add(
                format!("{file}，工作表“{}” (sheet {})", s.zh, s.key),
                "missing_sheet",
                format!("缺少工作表“{}”", s.zh),
                format!("the sheet {} ({}) is missing", s.zh, s.key),
            );
        }
    }
}

fn read_sheet(
    file: &str,
    sheet: &'static Sheet,
    range: &calamine::Range<Data>,
    tables: &mut Tables,
    problems: &mut Problems,
) {
    let first_row = range.start().map_or(0, |(r, _)| r);
    let mut rows = range.rows();
    let Some(header) = rows.next() else {
        problems.add(
            format!("{file}，工作表“{}” (sheet {})", sheet.zh, sheet.key),
            "missing_header",
            "第 1 行应为列名".to_owned(),
            "row 1 must name the columns".to_owned(),
        );
        return;
    };
    let header_place = |col: usize| {
        format!(
            "{file}，工作表“{}”第 {} 行第 {} 列 (sheet {}, row {}, column {})",
            sheet.zh,
            first_row + 1,
            col + 1,
            sheet.key,
            first_row + 1,
            col + 1
        )
    };
    let mut columns: HashMap<usize, &'static Column> = HashMap::new();
    for (i, h) in header.iter().enumerate() {
        let text = match cell(h) {
            Cell::Text(s) => s,
            Cell::Empty => continue,
            other => format!("{other:?}"),
        };
        if text.trim().is_empty() {
            continue;
        }
        match sheet.columns.iter().find(|c| names(&text, c)) {
            Some(c) if columns.values().any(|seen| seen.key == c.key) => problems.add(
                header_place(i),
                "duplicate_column",
                format!("“{}”列重复", c.zh),
                format!("the column {} appears twice", c.key),
            ),
            Some(c) => {
                columns.insert(i, c);
            }
            None => problems.add(
                header_place(i),
                "unknown_column",
                format!("未知的列“{}”", text.trim()),
                format!("unknown column '{}'", text.trim()),
            ),
        }
    }
    for c in sheet.columns.iter().filter(|c| c.required) {
        if !columns.values().any(|seen| seen.key == c.key) {
            problems.add(
                format!("{file}，工作表“{}” (sheet {})", sheet.zh, sheet.key),
                "missing_column",
                format!("缺少“{}”列", c.zh),
                format!("the column {} ({}) is missing", c.zh, c.key),
            );
        }
    }
    let out = tables.rows.entry(sheet.kind).or_default();
    for (n, data) in rows.enumerate() {
        let cells: HashMap<&'static str, Cell> = data
            .iter()
            .enumerate()
            .filter_map(|(i, d)| Some((columns.get(&i)?.key, cell(d))))
            .filter(|(_, c)| *c != Cell::Empty)
            .collect();
        if cells
            .values()
            .all(|c| matches!(c, Cell::Text(s) if s.trim().is_empty()))
        {
            continue;
        }
        out.push(Row {
            place: Place::Row {
                file: file.to_owned(),
                sheet,
                // The header is the range's first row; spreadsheets count from 1.
                row: (first_row as usize + n + 2) as u32,
            },
            cells,
        });
    }
}

/// The values a column offers in a drop-down list, when it has a closed list of single values.
fn offered(kind: Kind) -> Option<Vec<&'static str>> {
    match kind {
        Kind::Choice(c) | Kind::OptionalChoice(c) => Some(c.iter().map(|c| c.1).collect()),
        Kind::YesNo | Kind::OptionalYesNo => Some(vec!["是", "否"]),
        _ => None,
    }
}

fn allowed_text(kind: Kind) -> Option<String> {
    match kind {
        Kind::Choice(c) | Kind::OptionalChoice(c) | Kind::Choices(c) => Some(
            c.iter()
                .map(|(code, zh)| format!("{zh}（{code}）"))
                .collect::<Vec<_>>()
                .join("、"),
        ),
        Kind::YesNo | Kind::OptionalYesNo => Some("是、否".to_owned()),
        _ => None,
    }
}

/// Rows a template offers drop-down lists on.
const TEMPLATE_ROWS: u32 = 2000;

/// Writes a workbook of every sheet: the guide first, then each sheet's header and `tables`' rows
/// (none for a blank template).
fn write_workbook(path: &Path, tables: &Tables) -> Result<(), XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let header = Format::new()
        .set_bold()
        .set_background_color(0xDDEBF7)
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let wrap = Format::new().set_text_wrap();
    let guide = workbook.add_worksheet().set_name(GUIDE)?;
    guide.set_column_width(0, 16)?;
    guide.set_column_width(1, 26)?;
    guide.set_column_width(2, 10)?;
    guide.set_column_width(3, 60)?;
    guide.write_string_with_format(
        0,
        0,
        "OneWindow 中心初始化模板 (centre set-up template)",
        &bold,
    )?;
    guide.write_string(
        1,
        0,
        "每个工作表一类数据，第 1 行为列名，不要修改；从第 2 行起每行一条。可选值可填中文名称或括号中的代码。填好后运行：onewindow init --from 本文件所在目录",
    )?;
    let mut r = 3;
    for (i, title) in ["工作表", "列", "必填", "说明"].iter().enumerate() {
        guide.write_string_with_format(r, i as u16, *title, &header)?;
    }
    for sheet in SHEETS {
        r += 1;
        guide.write_string_with_format(r, 0, sheet.zh, &bold)?;
        guide.write_string_with_format(r, 3, sheet.help, &wrap)?;
        for c in sheet.columns {
            r += 1;
            guide.write_string(r, 1, c.zh)?;
            guide.write_string(r, 2, if c.required { "是" } else { "" })?;
            let help = match allowed_text(c.kind) {
                Some(allowed) if c.help.is_empty() => format!("可选：{allowed}"),
                Some(allowed) => format!("{}。可选：{allowed}", c.help),
                None => c.help.to_owned(),
            };
            guide.write_string_with_format(r, 3, &help, &wrap)?;
        }
    }
    for sheet in SHEETS {
        let ws = workbook.add_worksheet().set_name(sheet.zh)?;
        ws.set_freeze_panes(1, 0)?;
        for (i, c) in sheet.columns.iter().enumerate() {
            let col = i as u16;
            ws.write_string_with_format(0, col, c.zh, &header)?;
            ws.set_column_width(col, (c.zh.chars().count() as f64 * 2.2).max(12.0))?;
            let mut note = String::new();
            if c.required {
                note.push_str("必填。");
            }
            note.push_str(c.help);
            if let Some(allowed) = allowed_text(c.kind) {
                note.push_str(&format!(" 可选：{allowed}"));
            }
            if !note.trim().is_empty() {
                ws.insert_note(0, col, &Note::new(note.trim()).set_author("OneWindow"))?;
            }
            if let Some(values) = offered(c.kind) {
                let list = DataValidation::new()
                    .allow_list_strings(&values)?
                    .ignore_blank(true);
                ws.add_data_validation(1, col, TEMPLATE_ROWS, col, &list)?;
            }
        }
        for (n, row) in tables.of(sheet.kind).iter().enumerate() {
            for (i, c) in sheet.columns.iter().enumerate() {
                let value = read_cell(row.cells.get(c.key), c.kind, false).unwrap_or_default();
                let text = to_text(&value, c.kind);
                let (row, col) = (n as u32 + 1, i as u16);
                // Counts and amounts as numbers, which a spreadsheet sums and does not flag.
                match (c.kind, text.parse::<f64>()) {
                    (Kind::Count | Kind::Yuan, Ok(number)) => ws.write_number(row, col, number)?,
                    _ if text.is_empty() => ws,
                    _ => ws.write_string(row, col, &text)?,
                };
            }
        }
    }
    workbook.save(path)
}

/// Writes the blank template `centre.xlsx` into `dir`, and beside it `example/centre.xlsx`: the
/// demo centre written into the same sheets, to show how a filled one looks.
pub fn write_template(dir: &Path) -> Result<Vec<PathBuf>, Box<dyn std::error::Error>> {
    std::fs::create_dir_all(dir.join("example"))?;
    let blank = dir.join("centre.xlsx");
    write_workbook(&blank, &Tables::default())?;
    let example = dir.join("example").join("centre.xlsx");
    write_workbook(&example, &super::apply::demo_tables())?;
    Ok(vec![blank, example])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_names_its_column_with_or_without_a_remark() {
        let c = SHEETS[0].column("code").unwrap();
        assert!(names("区划代码", c));
        assert!(names(" code ", c));
        assert!(names("区划代码（必填）", c));
        assert!(names("区划代码*", c));
        assert!(!names("区划代码2", c));
        assert!(!names("名称", c));
    }
}

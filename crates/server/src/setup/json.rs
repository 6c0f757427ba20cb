//! The JSON the demo uses (`organisation.json`, `items.json`, `calendar.json`) read into rows,
//! an item's materials, fees and steps into the rows of their own sheets, as a workbook has them.

use serde_json::{Map, Value};

use super::cells::{Cell, Row, from_json};
use super::sheets::{ITEM_LINK, MATERIAL_LINK, Sheet, SheetKind, sheet};
use super::{Place, Problems, Tables};

/// Reads a JSON file: an object of sheets by their keys (`regions`, `staff`…), or an array of
/// the records of `array_of`. Only sheets in `kinds` are taken; any other key is a problem.
pub fn read(
    file: &str,
    text: &str,
    array_of: SheetKind,
    kinds: &[SheetKind],
    tables: &mut Tables,
    problems: &mut Problems,
) {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            problems.add(
                format!(
                    "{file}: 第 {} 行第 {} 列 (line {}, column {})",
                    e.line(),
                    e.column(),
                    e.line(),
                    e.column()
                ),
                "bad_json",
                "不是有效的 JSON 文件".to_owned(),
                format!("not valid JSON: {e}"),
            );
            return;
        }
    };
    match value {
        Value::Array(records) => add_records(file, sheet(array_of), &records, tables, problems),
        Value::Object(map) => {
            for (key, records) in &map {
                // The demo's file describes the centre beside its sheets; its region is the
                // centre site's, which the sheets already say.
                if key == "centre" {
                    continue;
                }
                let found = kinds.iter().map(|k| sheet(*k)).find(|s| s.key == key);
                match (found, records) {
                    (Some(s), Value::Array(records)) => {
                        add_records(file, s, records, tables, problems)
                    }
                    (Some(_), _) => problems.add(
                        format!("{file}: {key}"),
                        "not_a_list",
                        "应为列表".to_owned(),
                        "expected a list".to_owned(),
                    ),
                    (None, _) => unknown(problems, format!("{file}: {key}"), key),
                }
            }
        }
        _ => problems.add(
            file.to_owned(),
            "not_a_list",
            "应为列表或对象".to_owned(),
            "expected a list or an object".to_owned(),
        ),
    }
}

fn unknown(problems: &mut Problems, place: String, key: &str) {
    problems.add(
        place,
        "unknown_field",
        format!("未知的字段“{key}”"),
        format!("unknown field '{key}'"),
    );
}

fn add_records(
    file: &str,
    sheet: &'static Sheet,
    records: &[Value],
    tables: &mut Tables,
    problems: &mut Problems,
) {
    for (i, record) in records.iter().enumerate() {
        let path = format!("{}[{i}]", sheet.key);
        add_record(file, sheet, path, record, &[], tables, problems);
    }
}

/// One record and, for an item or a material, the records nested in it; `links` are the
/// cells naming the parent (an item's code, a material's code).
fn add_record(
    file: &str,
    sheet: &'static Sheet,
    path: String,
    record: &Value,
    links: &[(&'static str, String)],
    tables: &mut Tables,
    problems: &mut Problems,
) {
    let place = Place::Json {
        file: file.to_owned(),
        path: path.clone(),
    };
    let Some(map) = record.as_object() else {
        problems.add(
            place.whole(),
            "not_an_object",
            "应为对象".to_owned(),
            "expected an object".to_owned(),
        );
        return;
    };
    let children: &[(&str, SheetKind)] = match sheet.kind {
        SheetKind::Items => &[
            ("materials", SheetKind::Materials),
            ("fees", SheetKind::Fees),
            ("steps", SheetKind::Steps),
        ],
        SheetKind::Materials => &[("fields", SheetKind::FormFields)],
        _ => &[],
    };
    for key in map.keys() {
        let known = sheet
            .columns
            .iter()
            .any(|c| c.key.split('.').next() == Some(key.as_str()) && !is_link(c.key))
            || children.iter().any(|(k, _)| k == key);
        if !known {
            unknown(problems, place.at(key), key);
        }
    }
    let mut cells = std::collections::HashMap::new();
    for c in sheet.columns {
        if let Some((_, text)) = links.iter().find(|(k, _)| *k == c.key) {
            cells.insert(c.key, Cell::Text(text.clone()));
        } else if let Some(v) = lookup(map, c.key) {
            cells.insert(c.key, from_json(v, c.kind));
        }
    }
    // The children name this record: an item by its implementation code, a material by its code.
    let mut child_links = links.to_vec();
    match sheet.kind {
        SheetKind::Items => child_links.push((ITEM_LINK, text_of(map, "implementation_code"))),
        SheetKind::Materials => child_links.push((MATERIAL_LINK, text_of(map, "code"))),
        _ => {}
    }
    tables
        .rows
        .entry(sheet.kind)
        .or_default()
        .push(Row { place, cells });
    for (key, kind) in children {
        match map.get(*key) {
            Some(Value::Array(records)) => {
                for (i, r) in records.iter().enumerate() {
                    let child = format!("{path}.{key}[{i}]");
                    add_record(
                        file,
                        super::sheets::sheet(*kind),
                        child,
                        r,
                        &child_links,
                        tables,
                        problems,
                    );
                }
            }
            None | Some(Value::Null) => {}
            Some(_) => problems.add(
                format!("{file}: {path}.{key}"),
                "not_a_list",
                "应为列表".to_owned(),
                "expected a list".to_owned(),
            ),
        }
    }
}

fn is_link(key: &str) -> bool {
    key == ITEM_LINK || key == MATERIAL_LINK
}

fn lookup<'a>(map: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let mut value = map.get(parts.next()?)?;
    for p in parts {
        value = value.as_object()?.get(p)?;
    }
    Some(value)
}

fn text_of(map: &Map<String, Value>, key: &str) -> String {
    map.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// The demo's `opening_hours.json`, each hall with its weekly hours as the domain writes them,
/// read into the rows of the 开放时间 sheet: one row a session.
pub fn read_opening_hours(file: &str, text: &str, tables: &mut Tables, problems: &mut Problems) {
    let whole = |code, zh: &str, en: &str| (file.to_owned(), code, zh.to_owned(), en.to_owned());
    let halls = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(halls)) => halls,
        Ok(_) => {
            let (place, code, zh, en) = whole("not_an_object", "应为对象", "expected an object");
            problems.add(place, code, zh, en);
            return;
        }
        Err(e) => {
            problems.add(
                file.to_owned(),
                "bad_json",
                "不是有效的 JSON 文件".to_owned(),
                format!("not valid JSON: {e}"),
            );
            return;
        }
    };
    const DAYS: [&str; 4] = ["working_day", "extended", "saturday", "sunday"];
    let sheet = sheet(SheetKind::OpeningHours);
    for (hall, hours) in &halls {
        for key in hours.as_object().into_iter().flatten().map(|(k, _)| k) {
            if !DAYS.contains(&key.as_str()) {
                unknown(problems, format!("{file}: {hall}.{key}"), key);
            }
        }
        for day in DAYS {
            let sessions = hours.get(day).and_then(Value::as_array);
            for (i, s) in sessions.into_iter().flatten().enumerate() {
                let (session, weekday) = match day {
                    "extended" => (&s["session"], s.get("weekday").cloned()),
                    _ => (s, None),
                };
                let row = serde_json::json!({
                    "hall": hall, "day": day, "weekday": weekday,
                    "opens": session["opens"], "closes": session["closes"],
                });
                let path = format!("{hall}.{day}[{i}]");
                add_record(file, sheet, path, &row, &[], tables, problems);
            }
        }
    }
}

//! Rows read into the records they describe: each cell by its column, then the record by the
//! type the demo's JSON deserializes into, an item with the materials, fees and steps of its
//! own sheets.

use std::collections::HashMap;

use chrono::NaiveDate;
use onewindow_domain::calendar::DayKind;
use onewindow_domain::catalogue::ItemDefinition;
use onewindow_store::{Department, Hall, NewStaff, Region, Site, Window};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::cells::{Row, read};
use super::sheets::{ITEM_LINK, MATERIAL_LINK, SheetKind, sheet};
use super::{Place, Problems, Tables};

/// A record and where it was written.
#[derive(Debug, Clone)]
pub struct Located<T> {
    pub place: Place,
    pub value: T,
}

/// An item and where each of its parts was written.
#[derive(Debug, Clone)]
pub struct ItemRecord {
    pub place: Place,
    pub value: ItemDefinition,
    /// Each material's place and the places of its form's fields.
    pub materials: Vec<(Place, Vec<Place>)>,
    pub steps: Vec<Place>,
}

/// A local day of the calendar; without a region, the centre's.
#[derive(Debug, Clone, Deserialize)]
pub struct CalendarDay {
    pub region: Option<String>,
    pub date: NaiveDate,
    pub kind: DayKind,
    pub name: String,
}

/// One session of a hall's opening hours, a row of the 开放时间 sheet.
#[derive(Debug, Clone, Deserialize)]
pub struct HoursRow {
    pub hall: String,
    /// `working_day`, `extended`, `saturday` or `sunday`.
    pub day: String,
    /// `1` (Monday) to `5` (Friday), for an extended session.
    pub weekday: Option<String>,
    /// `HH:MM`.
    pub opens: String,
    pub closes: String,
}

#[derive(Debug, Default)]
pub struct Records {
    /// The implementation code of every item row, those that could not be read included: a
    /// sub-item names its main item whatever else is wrong with that one.
    pub item_codes: std::collections::HashSet<String>,
    pub regions: Vec<Located<Region>>,
    pub sites: Vec<Located<Site>>,
    pub halls: Vec<Located<Hall>>,
    pub departments: Vec<Located<Department>>,
    pub windows: Vec<Located<Window>>,
    pub staff: Vec<Located<NewStaff>>,
    pub items: Vec<ItemRecord>,
    pub calendar: Vec<Located<CalendarDay>>,
    pub opening_hours: Vec<Located<HoursRow>>,
}

/// The record a row's cells make, as JSON; none when a cell could not be read (reported).
fn object(kind: SheetKind, row: &Row, problems: &mut Problems) -> Option<Map<String, Value>> {
    let mut map = Map::new();
    let mut whole = true;
    for c in sheet(kind).columns {
        if c.key == ITEM_LINK || c.key == MATERIAL_LINK {
            continue;
        }
        match read(row.cells.get(c.key), c.kind, c.required) {
            Ok(v) => set(&mut map, c.key, v),
            Err((code, zh, en)) => {
                problems.add(row.place.at(c.key), code, zh, en);
                whole = false;
            }
        }
    }
    whole.then_some(map)
}

fn set(map: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        Some((head, rest)) => {
            let inner = map.entry(head).or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(inner) = inner {
                set(inner, rest, value);
            }
        }
        None => {
            map.insert(path.to_owned(), value);
        }
    }
}

fn typed<T: DeserializeOwned>(
    place: &Place,
    map: Map<String, Value>,
    problems: &mut Problems,
) -> Option<T> {
    serde_json::from_value(Value::Object(map))
        .map_err(|e| {
            problems.add(
                place.whole(),
                "bad_record",
                format!("无法读取此记录：{e}"),
                format!("the record cannot be read: {e}"),
            )
        })
        .ok()
}

fn located<T: DeserializeOwned>(
    tables: &Tables,
    kind: SheetKind,
    problems: &mut Problems,
) -> Vec<Located<T>> {
    tables
        .of(kind)
        .iter()
        .filter_map(|row| {
            let map = object(kind, row, problems)?;
            let value = typed(&row.place, map, problems)?;
            Some(Located {
                place: row.place.clone(),
                value,
            })
        })
        .collect()
}

/// Every record the tables hold; a row with a cell that cannot be read is left out, and its
/// problems reported.
pub fn records(tables: &Tables, problems: &mut Problems) -> Records {
    Records {
        item_codes: tables
            .of(SheetKind::Items)
            .iter()
            .map(|r| r.text("implementation_code"))
            .collect(),
        regions: located(tables, SheetKind::Regions, problems),
        sites: located(tables, SheetKind::Sites, problems),
        halls: located(tables, SheetKind::Halls, problems),
        departments: located(tables, SheetKind::Departments, problems),
        windows: located(tables, SheetKind::Windows, problems),
        staff: located(tables, SheetKind::Staff, problems),
        items: items(tables, problems),
        calendar: located(tables, SheetKind::Calendar, problems),
        opening_hours: located(tables, SheetKind::OpeningHours, problems),
    }
}

/// A child row's object, or none; `broken` records that the item it belongs to cannot be built.
struct Child {
    place: Place,
    item: String,
    object: Option<Map<String, Value>>,
}

fn children(tables: &Tables, kind: SheetKind, problems: &mut Problems) -> Vec<Child> {
    tables
        .of(kind)
        .iter()
        .map(|row| Child {
            place: row.place.clone(),
            item: row.text(ITEM_LINK),
            object: object(kind, row, problems),
        })
        .collect()
}

fn unknown_parent(
    problems: &mut Problems,
    place: &Place,
    key: &str,
    code: &str,
    what_zh: &str,
    what_en: &str,
) {
    problems.add(
        place.at(key),
        "unknown_parent",
        format!("找不到{what_zh}“{code}”"),
        format!("no {what_en} '{code}'"),
    );
}

/// A record's object and where it was written; no object when a cell could not be read.
type Part = (Place, Option<Map<String, Value>>);

/// A material's place, code and object, with its form's fields.
struct MaterialDraft {
    place: Place,
    code: String,
    object: Option<Map<String, Value>>,
    fields: Vec<Part>,
}

fn items(tables: &Tables, problems: &mut Problems) -> Vec<ItemRecord> {
    struct Draft {
        place: Place,
        object: Option<Map<String, Value>>,
        materials: Vec<MaterialDraft>,
        fees: Vec<Option<Map<String, Value>>>,
        steps: Vec<Part>,
    }
    let mut drafts: Vec<Draft> = Vec::new();
    let mut by_code: HashMap<String, usize> = HashMap::new();
    for row in tables.of(SheetKind::Items) {
        let code = row.text("implementation_code");
        if !code.is_empty() {
            by_code.entry(code).or_insert(drafts.len());
        }
        drafts.push(Draft {
            place: row.place.clone(),
            object: object(SheetKind::Items, row, problems),
            materials: Vec::new(),
            fees: Vec::new(),
            steps: Vec::new(),
        });
    }
    let find = |child: &Child, problems: &mut Problems| -> Option<usize> {
        let found = by_code.get(&child.item).copied();
        if found.is_none() && !child.item.is_empty() {
            unknown_parent(
                problems,
                &child.place,
                ITEM_LINK,
                &child.item,
                "事项",
                "item",
            );
        } else if child.item.is_empty() {
            problems.add(
                child.place.at(ITEM_LINK),
                "field_required",
                "此项必填".to_owned(),
                "a value is required".to_owned(),
            );
        }
        found
    };
    for (row, m) in
        tables
            .of(SheetKind::Materials)
            .iter()
            .zip(children(tables, SheetKind::Materials, problems))
    {
        if let Some(i) = find(&m, problems) {
            drafts[i].materials.push(MaterialDraft {
                place: m.place,
                code: row.text("code"),
                object: m.object,
                fields: Vec::new(),
            });
        }
    }
    for (kind, rows) in [
        (SheetKind::Fees, children(tables, SheetKind::Fees, problems)),
        (
            SheetKind::Steps,
            children(tables, SheetKind::Steps, problems),
        ),
    ] {
        for c in rows {
            if let Some(i) = find(&c, problems) {
                match kind {
                    SheetKind::Fees => drafts[i].fees.push(c.object),
                    _ => drafts[i].steps.push((c.place, c.object)),
                }
            }
        }
    }
    for (row, f) in tables.of(SheetKind::FormFields).iter().zip(children(
        tables,
        SheetKind::FormFields,
        problems,
    )) {
        let Some(i) = find(&f, problems) else {
            continue;
        };
        let material = row.text(MATERIAL_LINK);
        let owner = drafts[i].materials.iter_mut().find(|m| m.code == material);
        match owner {
            Some(m) => m.fields.push((f.place, f.object)),
            None => unknown_parent(
                problems,
                &f.place,
                MATERIAL_LINK,
                &material,
                "该事项的材料",
                "material of the item",
            ),
        }
    }
    drafts
        .into_iter()
        .filter_map(|d| {
            let mut item = d.object?;
            let mut materials = Vec::new();
            let mut material_places = Vec::new();
            for MaterialDraft {
                place,
                object,
                fields,
                ..
            } in d.materials
            {
                let mut m = object?;
                let mut field_places = Vec::new();
                let mut values = Vec::new();
                for (place, f) in fields {
                    values.push(Value::Object(f?));
                    field_places.push(place);
                }
                m.insert("fields".to_owned(), Value::Array(values));
                materials.push(Value::Object(m));
                material_places.push((place, field_places));
            }
            let fees = d
                .fees
                .into_iter()
                .map(|f| f.map(Value::Object))
                .collect::<Option<Vec<_>>>()?;
            let mut steps = Vec::new();
            let mut step_places = Vec::new();
            for (place, s) in d.steps {
                steps.push(Value::Object(s?));
                step_places.push(place);
            }
            item.insert("materials".to_owned(), Value::Array(materials));
            item.insert("fees".to_owned(), Value::Array(fees));
            item.insert("steps".to_owned(), Value::Array(steps));
            let value = typed(&d.place, item, problems)?;
            Some(ItemRecord {
                place: d.place,
                value,
                materials: material_places,
                steps: step_places,
            })
        })
        .collect()
}

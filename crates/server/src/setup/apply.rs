//! `onewindow init` and `onewindow import`: the files read and checked whole, then written in
//! one transaction with its audit entry, or nothing written and every problem returned.

use std::collections::HashSet;
use std::path::Path;

use onewindow_domain::organisation::Role;
use onewindow_store::{Import, ItemFilter, NewStaff, Organisation, Store};

use super::checks;
use super::records::{ItemRecord, records};
use super::sheets::SheetKind;
use super::{Problems, SetupError, Tables, json, xlsx};
use crate::api::catalogue_windows::allowed_windows;
use crate::api::hash_password;

/// Who the audit log names for what the command line loads.
const BY: &str = "cli";

const ORGANISATION_SHEETS: [SheetKind; 6] = [
    SheetKind::Regions,
    SheetKind::Sites,
    SheetKind::Halls,
    SheetKind::Departments,
    SheetKind::Windows,
    SheetKind::Staff,
];
const ITEM_SHEETS: [SheetKind; 5] = [
    SheetKind::Items,
    SheetKind::Materials,
    SheetKind::FormFields,
    SheetKind::Fees,
    SheetKind::Steps,
];

fn name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Reads one file, a workbook or JSON by its extension; a JSON array holds `array_of` records.
fn read_file(
    path: &Path,
    kinds: &[SheetKind],
    required: &[SheetKind],
    array_of: SheetKind,
    tables: &mut Tables,
    problems: &mut Problems,
) -> Result<(), SetupError> {
    let file = name(path);
    let is_workbook = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if is_workbook {
        xlsx::read(path, &file, kinds, required, tables, problems);
    } else {
        let text = std::fs::read_to_string(path)?;
        json::read(&file, &text, array_of, kinds, tables, problems);
    }
    Ok(())
}

/// The demo centre's files as rows (the template's example).
pub fn demo_tables() -> Tables {
    let mut tables = Tables::default();
    let mut problems = Problems::default();
    let kinds: Vec<SheetKind> = ORGANISATION_SHEETS
        .iter()
        .chain(&ITEM_SHEETS)
        .copied()
        .collect();
    json::read(
        "organisation.json",
        include_str!("../../seed/demo/organisation.json"),
        SheetKind::Staff,
        &kinds,
        &mut tables,
        &mut problems,
    );
    json::read(
        "items.json",
        include_str!("../../seed/demo/items.json"),
        SheetKind::Items,
        &kinds,
        &mut tables,
        &mut problems,
    );
    json::read_opening_hours(
        "opening_hours.json",
        include_str!("../../seed/demo/opening_hours.json"),
        &mut tables,
        &mut problems,
    );
    debug_assert!(problems.is_empty(), "{:?}", problems.0);
    tables
}

/// What `init` made.
#[derive(Debug)]
pub struct Initialised {
    pub district: String,
    pub departments: usize,
    pub windows: usize,
    pub items: usize,
    pub staff: usize,
    pub calendar_days: usize,
    /// Halls whose opening hours the files gave.
    pub halls_with_hours: usize,
    /// The first centre admin's username and one-time password, shown once.
    pub admin: (String, String),
}

/// Finds the files of `dir`: `centre.xlsx`, or the demo's `organisation.json` and `items.json`
/// with an optional `calendar.json` and `opening_hours.json`.
fn read_dir(
    dir: &Path,
    tables: &mut Tables,
    problems: &mut Problems,
) -> Result<Vec<String>, SetupError> {
    let workbook = dir.join("centre.xlsx");
    let organisation = dir.join("organisation.json");
    let all: Vec<SheetKind> = ORGANISATION_SHEETS
        .iter()
        .chain(&ITEM_SHEETS)
        .chain(&[SheetKind::Calendar, SheetKind::OpeningHours])
        .copied()
        .collect();
    let required = [ORGANISATION_SHEETS.as_slice(), &[SheetKind::Items]].concat();
    if workbook.exists() {
        if organisation.exists() {
            return Err(SetupError::Refused(format!(
                "{} holds both centre.xlsx and organisation.json; keep the one to load",
                dir.display()
            )));
        }
        read_file(
            &workbook,
            &all,
            &required,
            SheetKind::Items,
            tables,
            problems,
        )?;
        return Ok(vec![name(&workbook)]);
    }
    let items = dir.join("items.json");
    if !organisation.exists() || !items.exists() {
        return Err(SetupError::Refused(format!(
            "{} holds neither centre.xlsx nor organisation.json with items.json; `onewindow init --template DIR` writes a template",
            dir.display()
        )));
    }
    read_file(
        &organisation,
        &ORGANISATION_SHEETS,
        &[],
        SheetKind::Staff,
        tables,
        problems,
    )?;
    read_file(
        &items,
        &ITEM_SHEETS,
        &[],
        SheetKind::Items,
        tables,
        problems,
    )?;
    let mut files = vec![name(&organisation), name(&items)];
    let calendar = dir.join("calendar.json");
    if calendar.exists() {
        read_file(
            &calendar,
            &[SheetKind::Calendar],
            &[],
            SheetKind::Calendar,
            tables,
            problems,
        )?;
        files.push(name(&calendar));
    }
    let hours = dir.join("opening_hours.json");
    if hours.exists() {
        let text = std::fs::read_to_string(&hours)?;
        json::read_opening_hours(&name(&hours), &text, tables, problems);
        files.push(name(&hours));
    }
    Ok(files)
}

/// Each item with the windows its rule allows (every new item starts so; the centre admin
/// narrows them down), or the problem at its place.
fn with_windows(
    items: &[ItemRecord],
    org: &Organisation,
    problems: &mut Problems,
) -> Vec<(onewindow_domain::catalogue::ItemDefinition, Vec<String>)> {
    items
        .iter()
        .filter_map(|i| match allowed_windows(org, &i.value) {
            Ok(windows) => Some((i.value.clone(), windows)),
            Err(e) => {
                problems.add(
                    i.place.whole(),
                    "no_window_rule",
                    format!("无法确定受理窗口：{e}"),
                    format!("the windows that accept it cannot be found: {e}"),
                );
                None
            }
        })
        .collect()
}

/// A hash no password matches: accounts made by a file log in only once the centre admin has
/// set their first password. The random secret is dropped at once; argon2 makes the hash as
/// slow to check as any other, so a log-in does not tell such an account apart.
fn locked_hash() -> String {
    hash_password(&onewindow_store::crypto::one_time_password())
}

/// Sets up a new centre from the files in `dir`.
pub async fn init(store: &Store, dir: &Path) -> Result<Initialised, SetupError> {
    if store.has_cases().await? || store.centre_region().await?.is_some() {
        return Err(SetupError::Refused(
            "this database already holds a centre; `onewindow import items|staff FILE` adds to it"
                .to_owned(),
        ));
    }
    let mut tables = Tables::default();
    let mut problems = Problems::default();
    let files = read_dir(dir, &mut tables, &mut problems)?;
    let records = records(&tables, &mut problems);
    let checked = checks::organisation(&records, &mut problems);
    let empty = Organisation::default();
    let (district, org) = match &checked {
        Some((d, o)) => (d.as_str(), o),
        None => ("", &empty),
    };
    checks::staff(&records.staff, org, &mut problems);
    checks::has_admin(&records.staff, &mut problems);
    checks::items(
        &records.items,
        &records.item_codes,
        district,
        org,
        &HashSet::new(),
        &mut problems,
    );
    let regions: HashSet<String> = org.regions.iter().map(|r| r.code.clone()).collect();
    let calendar = checks::calendar(&records.calendar, district, &regions, &mut problems);
    let opening_hours = checks::opening_hours(&records.opening_hours, org, &mut problems);
    let items = with_windows(&records.items, org, &mut problems);
    if !problems.is_empty() {
        return Err(SetupError::Invalid(problems.0));
    }
    let Some((district, org)) = checked else {
        unreachable!("an organisation that does not hold together is reported");
    };
    let admin = records
        .staff
        .iter()
        .find(|s| {
            s.value
                .roles
                .iter()
                .any(|r| r == Role::CentreAdmin.as_str())
        })
        .map(|s| s.value.username.clone())
        .expect("checked: the files name a centre admin");
    let password = onewindow_store::crypto::one_time_password();
    let locked = locked_hash();
    let admin_hash = hash_password(&password);
    let new_staff: Vec<(NewStaff, String)> = records
        .staff
        .iter()
        .map(|s| {
            let hash = if s.value.username == admin {
                &admin_hash
            } else {
                &locked
            };
            (s.value.clone(), hash.clone())
        })
        .collect();
    let done = Initialised {
        district: district.clone(),
        departments: org.departments.len(),
        windows: org.windows.len(),
        items: items.len(),
        staff: new_staff.len(),
        calendar_days: calendar.iter().map(|(_, d)| d.len()).sum(),
        halls_with_hours: opening_hours.len(),
        admin: (admin, password),
    };
    store
        .import(Import {
            region: district,
            organisation: Some(org),
            items,
            new_staff,
            updated_staff: Vec::new(),
            calendar,
            opening_hours,
            by: BY.to_owned(),
            action: "centre_initialised".to_owned(),
            details: serde_json::json!({
                "files": files,
                "items": done.items,
                "staff": done.staff,
                "departments": done.departments,
                "windows": done.windows,
            }),
        })
        .await?;
    Ok(done)
}

/// How an import changed the centre: the codes or usernames added and updated.
#[derive(Debug, Default)]
pub struct Imported {
    pub added: Vec<String>,
    pub updated: Vec<String>,
    pub unchanged: usize,
}

/// The audit entry of an import: the file, and what it added and updated.
fn details(file: &Path, imported: &Imported) -> serde_json::Value {
    serde_json::json!({
        "file": name(file),
        "added": imported.added,
        "updated": imported.updated,
    })
}

async fn centre(store: &Store) -> Result<(String, Organisation), SetupError> {
    let district = store.centre_region().await?.ok_or_else(|| {
        SetupError::Refused(
            "this database holds no centre yet; `onewindow init --from DIR` sets one up".to_owned(),
        )
    })?;
    Ok((district, store.organisation().await?))
}

/// Adds the items of `file` that are new and publishes a new version of each that changed.
pub async fn import_items(store: &Store, file: &Path) -> Result<Imported, SetupError> {
    let (district, org) = centre(store).await?;
    let mut tables = Tables::default();
    let mut problems = Problems::default();
    read_file(
        file,
        &ITEM_SHEETS,
        &[SheetKind::Items],
        SheetKind::Items,
        &mut tables,
        &mut problems,
    )?;
    let records = records(&tables, &mut problems);
    let stored: HashSet<String> = store
        .items(&ItemFilter::default())
        .await?
        .into_iter()
        .map(|i| i.code)
        .collect();
    checks::items(
        &records.items,
        &records.item_codes,
        &district,
        &org,
        &stored,
        &mut problems,
    );
    let mut imported = Imported::default();
    let mut publish = Vec::new();
    for (def, windows) in with_windows(&records.items, &org, &mut problems) {
        let code = def.implementation_code.clone();
        if !stored.contains(&code) {
            imported.added.push(code);
            publish.push((def, windows));
            continue;
        }
        let (_, current) = store.item(&code, None).await?;
        if current == def {
            imported.unchanged += 1;
        } else {
            // A new version keeps the windows the centre admin chose for the item.
            imported.updated.push(code);
            publish.push((def, Vec::new()));
        }
    }
    if !problems.is_empty() {
        return Err(SetupError::Invalid(problems.0));
    }
    if publish.is_empty() {
        return Ok(imported);
    }
    store
        .import(Import {
            region: district,
            items: publish,
            by: BY.to_owned(),
            action: "items_imported".to_owned(),
            details: details(file, &imported),
            ..Import::default()
        })
        .await?;
    Ok(imported)
}

/// Adds the accounts of `file` that are new, without a password until the centre admin sets
/// one, and updates the profiles of those that exist.
pub async fn import_staff(store: &Store, file: &Path) -> Result<Imported, SetupError> {
    let (district, org) = centre(store).await?;
    let mut tables = Tables::default();
    let mut problems = Problems::default();
    read_file(
        file,
        &[SheetKind::Staff],
        &[SheetKind::Staff],
        SheetKind::Staff,
        &mut tables,
        &mut problems,
    )?;
    let records = records(&tables, &mut problems);
    checks::staff(&records.staff, &org, &mut problems);
    if !problems.is_empty() {
        return Err(SetupError::Invalid(problems.0));
    }
    let existing = store.all_staff().await?;
    let mut imported = Imported::default();
    let (mut new_staff, mut updated_staff) = (Vec::new(), Vec::new());
    let locked = locked_hash();
    for s in records.staff {
        let s = NewStaff::with_profile(&s.value.username, &checks::profile(&s.value));
        match existing.iter().find(|e| e.username == s.username) {
            None => {
                imported.added.push(s.username.clone());
                new_staff.push((s, locked.clone()));
            }
            Some(e) if NewStaff::with_profile(&e.username, &e.profile()) == s => {
                imported.unchanged += 1;
            }
            Some(_) => {
                imported.updated.push(s.username.clone());
                updated_staff.push(s);
            }
        }
    }
    if new_staff.is_empty() && updated_staff.is_empty() {
        return Ok(imported);
    }
    store
        .import(Import {
            region: district,
            new_staff,
            updated_staff,
            by: BY.to_owned(),
            action: "staff_imported".to_owned(),
            details: details(file, &imported),
            ..Import::default()
        })
        .await?;
    Ok(imported)
}

//! What a centre's files must satisfy beyond each cell: every record by the domain's rules, codes
//! unique, and every code a record names defined, in the files or, for an import, in the centre.

use std::collections::{HashMap, HashSet};

use onewindow_domain::calendar::DayOverride;
use onewindow_domain::identity::RegionCode;
use onewindow_domain::opening_hours::{Extension, OpeningHours, Session};
use onewindow_domain::organisation::{
    DepartmentSpec, Role, StaffProfile, WindowSpec, administers_item, administers_region,
    check_username,
};
use onewindow_store::{NewStaff, Organisation};
use serde::de::DeserializeOwned;

use super::records::{HoursRow, ItemRecord, Located, Records};
use super::{Place, Problems};

/// Reports each code met a second time.
fn unique<'a>(
    problems: &mut Problems,
    records: impl Iterator<Item = (&'a str, &'a Place)>,
    key: &str,
) {
    let mut seen: HashMap<&str, &Place> = HashMap::new();
    for (code, place) in records {
        if let Some(first) = seen.get(code) {
            problems.add(
                place.at(key),
                "duplicate_code",
                format!("“{code}”重复，已见于{}", first.whole()),
                format!("'{code}' appears twice; first at {}", first.whole()),
            );
        } else {
            seen.insert(code, place);
        }
    }
}

fn unique_codes<T>(problems: &mut Problems, records: &[Located<T>], code: fn(&T) -> &String) {
    unique(
        problems,
        records.iter().map(|r| (code(&r.value).as_str(), &r.place)),
        "code",
    );
}

fn missing(problems: &mut Problems, place: &Place, key: &str, code: &str, zh: &str, en: &str) {
    problems.add(
        place.at(key),
        "unknown_reference",
        format!("找不到{zh}“{code}”"),
        format!("no {en} '{code}'"),
    );
}

/// A code word of the organisation (a theme, a kind) as its domain type; the reader already
/// took only listed values, so a failure here is a value written some other way.
fn parse<T: DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::from(s)).ok()
}

fn domain_problem(
    problems: &mut Problems,
    place: &Place,
    field: &str,
    code: &'static str,
    zh: String,
    en: String,
) {
    problems.add(place.at(field), code, zh, en);
}

/// The organisation of a new centre and the district it serves, when the files describe one
/// that holds together.
pub fn organisation(records: &Records, problems: &mut Problems) -> Option<(String, Organisation)> {
    unique_codes(problems, &records.regions, |r| &r.code);
    unique_codes(problems, &records.sites, |s| &s.code);
    unique_codes(problems, &records.halls, |h| &h.code);
    unique_codes(problems, &records.departments, |d| &d.code);
    unique_codes(problems, &records.windows, |w| &w.code);
    let regions: HashSet<&str> = records
        .regions
        .iter()
        .map(|r| r.value.code.as_str())
        .collect();
    let centres: Vec<&Located<onewindow_store::Site>> = records
        .sites
        .iter()
        .filter(|s| s.value.kind == "centre")
        .collect();
    let district = match centres.as_slice() {
        [one] => Some(one.value.region.clone()),
        [] => {
            problems.add(
                "场所 (sites)".to_owned(),
                "no_centre_site",
                "须有一个类型为“服务中心”的场所，其区划即本中心服务的区县".to_owned(),
                "one site must be of the kind centre; its region is the district the centre serves"
                    .to_owned(),
            );
            None
        }
        [_, second, ..] => {
            problems.add(
                second.place.at("kind"),
                "two_centre_sites",
                "只能有一个类型为“服务中心”的场所".to_owned(),
                "only one site may be of the kind centre".to_owned(),
            );
            None
        }
    };
    let district_code = district.as_deref().and_then(|d| RegionCode::parse(d).ok());
    for r in &records.regions {
        match RegionCode::parse(&r.value.code) {
            Err(e) => domain_problem(
                problems,
                &r.place,
                "code",
                e.code(),
                e.message_zh(),
                e.to_string(),
            ),
            Ok(code) => {
                if parse::<onewindow_domain::organisation::RegionLevel>(&r.value.level)
                    != Some(code.level())
                {
                    problems.add(
                        r.place.at("level"),
                        "level_disagrees_with_code",
                        "层级与区划代码的位数不符（6 位区县、9 位街道、12 位社区）".to_owned(),
                        "the level disagrees with the code's length (6 digits a district, 9 a street, 12 a community)".to_owned(),
                    );
                }
                if let Some(d) = &district_code
                    && !administers_region(d, &code)
                {
                    problems.add(
                        r.place.at("code"),
                        "region_outside_district",
                        format!("不属于本中心服务的区县 {}", d.as_str()),
                        format!("not within the district {} the centre serves", d.as_str()),
                    );
                }
            }
        }
    }
    if let Some(d) = &district
        && !regions.contains(d.as_str())
    {
        problems.add(
            centres[0].place.at("region"),
            "unknown_reference",
            format!("找不到区划“{d}”"),
            format!("no region '{d}'"),
        );
    }
    for s in &records.sites {
        if !regions.contains(s.value.region.as_str()) && s.value.kind != "centre" {
            missing(
                problems,
                &s.place,
                "region",
                &s.value.region,
                "区划",
                "region",
            );
        }
    }
    let sites: HashSet<&str> = records
        .sites
        .iter()
        .map(|s| s.value.code.as_str())
        .collect();
    for h in &records.halls {
        if !sites.contains(h.value.site.as_str()) {
            missing(problems, &h.place, "site", &h.value.site, "场所", "site");
        }
    }
    for d in &records.departments {
        let spec = DepartmentSpec {
            code: d.value.code.clone(),
            name: d.value.name.clone(),
            short_name: d.value.short_name.clone(),
            section: d.value.section.clone(),
            phone: d.value.phone.clone(),
            theme: d.value.theme.as_deref().and_then(parse),
            via_comprehensive_service: d.value.via_comprehensive_service,
            document_pattern: d.value.document_pattern.clone(),
        };
        for e in spec.problems() {
            domain_problem(
                problems,
                &d.place,
                e.field(),
                e.code(),
                e.message_zh(),
                e.to_string(),
            );
        }
    }
    let organisation = Organisation {
        regions: records.regions.iter().map(|r| r.value.clone()).collect(),
        sites: records.sites.iter().map(|r| r.value.clone()).collect(),
        halls: records.halls.iter().map(|r| r.value.clone()).collect(),
        departments: records
            .departments
            .iter()
            .map(|r| r.value.clone())
            .collect(),
        windows: records.windows.iter().map(|r| r.value.clone()).collect(),
    };
    windows(&records.windows, &organisation, problems);
    Some((district?, organisation))
}

fn windows(
    windows: &[Located<onewindow_store::Window>],
    org: &Organisation,
    problems: &mut Problems,
) {
    let halls: HashSet<&str> = org.halls.iter().map(|h| h.code.as_str()).collect();
    let departments: HashSet<&str> = org.departments.iter().map(|d| d.code.as_str()).collect();
    for w in windows {
        let Some(kind) = parse(&w.value.kind) else {
            continue;
        };
        let spec = WindowSpec {
            code: w.value.code.clone(),
            hall: w.value.hall.clone(),
            name: w.value.name.clone(),
            kind,
            theme: w.value.theme.as_deref().and_then(parse),
            department: w.value.department.clone(),
            issues_results: w.value.issues_results,
        };
        for e in spec.problems() {
            domain_problem(
                problems,
                &w.place,
                e.field(),
                e.code(),
                e.message_zh(),
                e.to_string(),
            );
        }
        if !halls.contains(w.value.hall.as_str()) {
            missing(problems, &w.place, "hall", &w.value.hall, "大厅", "hall");
        }
        if let Some(d) = &w.value.department
            && !departments.contains(d.as_str())
        {
            missing(problems, &w.place, "department", d, "部门", "department");
        }
    }
}

/// Checks staff rows against the organisation; `existing` are the usernames already stored
/// (an import updates those).
pub fn staff(staff: &[Located<NewStaff>], org: &Organisation, problems: &mut Problems) {
    unique(
        problems,
        staff.iter().map(|s| (s.value.username.as_str(), &s.place)),
        "username",
    );
    let departments: HashSet<&str> = org.departments.iter().map(|d| d.code.as_str()).collect();
    let windows: HashSet<&str> = org.windows.iter().map(|w| w.code.as_str()).collect();
    for s in staff {
        if let Err(e) = check_username(&s.value.username) {
            domain_problem(
                problems,
                &s.place,
                "username",
                e.code(),
                e.message_zh(),
                e.to_string(),
            );
        }
        let profile = profile(&s.value);
        for e in profile.problems() {
            domain_problem(
                problems,
                &s.place,
                e.field(),
                e.code(),
                e.message_zh(),
                e.to_string(),
            );
        }
        if let Some(d) = &s.value.department
            && !departments.contains(d.as_str())
        {
            missing(problems, &s.place, "department", d, "部门", "department");
        }
        if let Some(w) = &s.value.window
            && !windows.contains(w.as_str())
        {
            missing(problems, &s.place, "window", w, "窗口", "window");
        }
    }
}

/// A staff row as the profile the domain checks.
pub fn profile(s: &NewStaff) -> StaffProfile {
    StaffProfile {
        name: s.name.clone(),
        title: s.title.clone(),
        roles: s.roles.iter().filter_map(|r| Role::parse(r)).collect(),
        department: s.department.clone(),
        window: s.window.clone(),
        public: s.public,
    }
}

/// A new centre needs someone to run it.
pub fn has_admin(staff: &[Located<NewStaff>], problems: &mut Problems) {
    if !staff.iter().any(|s| {
        s.value
            .roles
            .iter()
            .any(|r| r == Role::CentreAdmin.as_str())
    }) {
        problems.add(
            "人员 (staff)".to_owned(),
            "no_centre_admin",
            "至少须有一名中心管理员".to_owned(),
            "at least one account must be a centre admin".to_owned(),
        );
    }
}

/// Checks items against the organisation; a sub-item's main item is among `codes` (the file's)
/// or `stored` (the centre's).
pub fn items(
    items: &[ItemRecord],
    codes: &HashSet<String>,
    district: &str,
    org: &Organisation,
    stored: &HashSet<String>,
    problems: &mut Problems,
) {
    unique(
        problems,
        items
            .iter()
            .map(|i| (i.value.implementation_code.as_str(), &i.place)),
        "implementation_code",
    );
    let departments: HashSet<&str> = org.departments.iter().map(|d| d.code.as_str()).collect();
    let centre = RegionCode::parse(district).ok();
    for item in items {
        let def = &item.value;
        for e in def.problems() {
            let (place, key) = item.place_of(&e.field());
            problems.add(place.at(&key), e.code(), e.message_zh(), e.to_string());
        }
        if centre
            .as_ref()
            .is_some_and(|c| !administers_item(c, &def.implementation_code))
        {
            problems.add(
                item.place.at("implementation_code"),
                "item_of_other_district",
                format!("实施编码须以本区区划代码 {district} 开头，如 {district}-RSJ-001"),
                format!("the implementation code must begin with the district's code, as in {district}-RSJ-001"),
            );
        }
        if !departments.contains(def.department.as_str()) {
            missing(
                problems,
                &item.place,
                "department",
                &def.department,
                "部门",
                "department",
            );
        }
        for (i, step) in def.steps.iter().enumerate() {
            if !departments.contains(step.department.as_str()) {
                missing(
                    problems,
                    &item.steps[i],
                    "department",
                    &step.department,
                    "部门",
                    "department",
                );
            }
        }
        if let Some(parent) = &def.parent_code
            && !codes.contains(parent)
            && !stored.contains(parent)
        {
            missing(
                problems,
                &item.place,
                "parent_code",
                parent,
                "主项",
                "main item",
            );
        }
    }
}

/// The local days by region, checked: in the district, on a day the edit changes, once each.
pub fn calendar(
    days: &[Located<super::records::CalendarDay>],
    district: &str,
    regions: &HashSet<String>,
    problems: &mut Problems,
) -> Vec<(String, Vec<DayOverride>)> {
    let keys: Vec<(String, &Place)> = days
        .iter()
        .map(|d| {
            let region = d
                .value
                .region
                .clone()
                .unwrap_or_else(|| district.to_owned());
            (format!("{region} {}", d.value.date), &d.place)
        })
        .collect();
    unique(problems, keys.iter().map(|(k, p)| (k.as_str(), *p)), "date");
    let mut by_region: Vec<(String, Vec<DayOverride>)> = Vec::new();
    for d in days {
        let region = d
            .value
            .region
            .clone()
            .unwrap_or_else(|| district.to_owned());
        if !regions.contains(&region) {
            missing(problems, &d.place, "region", &region, "区划", "region");
        }
        let day = DayOverride {
            date: d.value.date,
            kind: d.value.kind,
            name: d.value.name.clone(),
        };
        if let Err(e) = day.check_edit() {
            domain_problem(
                problems,
                &d.place,
                e.field(),
                e.code(),
                e.message_zh(),
                e.to_string(),
            );
        }
        match by_region.iter_mut().find(|(r, _)| *r == region) {
            Some((_, list)) => list.push(day),
            None => by_region.push((region, vec![day])),
        }
    }
    by_region
}

impl ItemRecord {
    /// The place and key of a field of the item named by its JSON path (`materials[2].name`):
    /// a material's or a step's own row when the path leads into one.
    fn place_of(&self, path: &str) -> (Place, String) {
        let index = |s: &str, prefix: &str| -> Option<(usize, String)> {
            let rest = s.strip_prefix(prefix)?;
            let (n, rest) = rest.split_once(']')?;
            Some((n.parse().ok()?, rest.trim_start_matches('.').to_owned()))
        };
        if let Some((m, rest)) = index(path, "materials[")
            && let Some((place, fields)) = self.materials.get(m)
        {
            if let Some((f, key)) = index(&rest, "fields[")
                && let Some(field) = fields.get(f)
            {
                return (field.clone(), key);
            }
            return (place.clone(), rest);
        }
        if let Some((s, key)) = index(path, "steps[")
            && let Some(place) = self.steps.get(s)
        {
            return (place.clone(), key);
        }
        (self.place.clone(), path.to_owned())
    }
}

/// Each hall's opening hours from its rows, checked: the hall defined, an extended session on a
/// weekday, and the whole pattern by the domain's rules, a fault reported at the row it names.
pub fn opening_hours(
    rows: &[Located<HoursRow>],
    org: &Organisation,
    problems: &mut Problems,
) -> Vec<(String, OpeningHours)> {
    let halls: HashSet<&str> = org.halls.iter().map(|h| h.code.as_str()).collect();
    // Each hall's hours, with the row of each session by its list and index.
    let mut by_hall: Vec<(String, OpeningHours, HashMap<String, Place>)> = Vec::new();
    for row in rows {
        let r = &row.value;
        if !halls.contains(r.hall.as_str()) {
            missing(problems, &row.place, "hall", &r.hall, "大厅", "hall");
            continue;
        }
        let session = |t: &str| chrono::NaiveTime::parse_from_str(t, "%H:%M").ok();
        let (Some(opens), Some(closes)) = (session(&r.opens), session(&r.closes)) else {
            continue; // The cells were read as times; another shape is not one of this file's.
        };
        let session = Session { opens, closes };
        let weekday = r.weekday.as_deref().and_then(|w| w.parse::<u8>().ok());
        let at = match by_hall.iter().position(|(h, ..)| *h == r.hall) {
            Some(i) => i,
            None => {
                by_hall.push((r.hall.clone(), OpeningHours::default(), HashMap::new()));
                by_hall.len() - 1
            }
        };
        let (_, hours, places) = &mut by_hall[at];
        let (list, index) = match (r.day.as_str(), weekday) {
            ("extended", Some(weekday)) => {
                hours.extended.push(Extension { weekday, session });
                ("extended", hours.extended.len() - 1)
            }
            ("extended", None) => {
                problems.add(
                    row.place.at("weekday"),
                    "field_required",
                    "延时服务须填写星期".to_owned(),
                    "an extended session needs its weekday".to_owned(),
                );
                continue;
            }
            ("saturday", _) => {
                hours.saturday.push(session);
                ("saturday", hours.saturday.len() - 1)
            }
            ("sunday", _) => {
                hours.sunday.push(session);
                ("sunday", hours.sunday.len() - 1)
            }
            _ => {
                hours.working_day.push(session);
                ("working_day", hours.working_day.len() - 1)
            }
        };
        places.insert(format!("{list}[{index}]"), row.place.clone());
    }
    let mut out = Vec::new();
    for (hall, hours, places) in by_hall {
        match hours.check() {
            Ok(()) => out.push((hall, hours)),
            Err(e) => {
                // `extended[0].weekday` is the row `extended[0]`, at its weekday.
                let (row, key) = match e.field().split_once('.') {
                    Some((row, "weekday")) => (row, "weekday"),
                    Some((row, _)) => (row, "opens"),
                    None if e.code() == "closes_before_opening" => (e.field(), "closes"),
                    None => (e.field(), "opens"),
                };
                let place = places.get(row).expect("every session has its row");
                domain_problem(
                    problems,
                    place,
                    key,
                    e.code(),
                    e.message_zh(),
                    e.to_string(),
                );
            }
        }
    }
    out
}

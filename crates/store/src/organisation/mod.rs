//! Regions, sites, halls, departments and windows (C1), and the delegation figures per department.

mod document_numbers;
pub(crate) mod staff;

use onewindow_domain::organisation::{DepartmentSpec, WindowSpec};
use serde::{Deserialize, Serialize};
use sqlx_macros::FromRow;

use crate::write::Tx;
use crate::{Result, Store, StoreError, conflict_on_unique, one_row};

#[derive(Debug, Clone, Serialize, Deserialize, FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Region {
    pub code: String,
    pub name: String,
    pub level: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Site {
    pub code: String,
    pub name: String,
    pub kind: String,
    #[sqlx(rename = "region_code")]
    pub region: String,
    pub address: String,
    /// The number citizens call about how its staff served them (监督电话).
    #[serde(default)]
    pub supervision_phone: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hall {
    pub code: String,
    #[sqlx(rename = "site_code")]
    pub site: String,
    pub name: String,
    pub floor: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Department {
    pub code: String,
    pub name: String,
    pub short_name: String,
    pub section: String,
    pub phone: String,
    pub theme: Option<String>,
    pub via_comprehensive_service: bool,
    /// How its decisions are numbered (文号); none for the pattern from its short name.
    #[serde(default)]
    pub document_pattern: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Window {
    pub code: String,
    pub hall: String,
    pub name: String,
    pub kind: String,
    pub theme: Option<String>,
    pub department: Option<String>,
    pub issues_results: bool,
}

/// The whole organisation of a centre, as loaded by the demo seed or an import.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Organisation {
    pub regions: Vec<Region>,
    pub sites: Vec<Site>,
    pub halls: Vec<Hall>,
    pub departments: Vec<Department>,
    pub windows: Vec<Window>,
}

/// Delegation of one department (seed 000: 授权率, 窗口直接办理比例).
#[derive(Debug, Clone, Serialize, FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DelegationFigures {
    pub department: String,
    pub items_in_hall: i64,
    pub items_delegated: i64,
    pub decided_at_window: i64,
    pub decided_total: i64,
}

/// A department as stored; the flag is a 0/1 integer.
#[derive(FromRow)]
struct DepartmentRow {
    code: String,
    name: String,
    short_name: String,
    section: String,
    phone: String,
    theme: Option<String>,
    via_comprehensive_service: i64,
    document_pattern: Option<String>,
}

impl From<DepartmentRow> for Department {
    fn from(r: DepartmentRow) -> Self {
        Department {
            code: r.code,
            name: r.name,
            short_name: r.short_name,
            section: r.section,
            phone: r.phone,
            theme: r.theme,
            via_comprehensive_service: r.via_comprehensive_service != 0,
            document_pattern: r.document_pattern,
        }
    }
}

/// A window as stored; the flag is a 0/1 integer.
#[derive(FromRow)]
struct WindowRow {
    code: String,
    hall_code: String,
    name: String,
    kind: String,
    theme: Option<String>,
    department_code: Option<String>,
    issues_results: i64,
}

impl From<WindowRow> for Window {
    fn from(r: WindowRow) -> Self {
        Window {
            code: r.code,
            hall: r.hall_code,
            name: r.name,
            kind: r.kind,
            theme: r.theme,
            department: r.department_code,
            issues_results: r.issues_results != 0,
        }
    }
}

/// The pattern a department set, trimmed; none when left blank.
fn pattern_of(d: &DepartmentSpec) -> Option<String> {
    d.document_pattern
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
}

fn parent_of(code: &str) -> Option<&str> {
    match code.len() {
        9 => Some(&code[..6]),
        12 => Some(&code[..9]),
        _ => None,
    }
}

impl Store {
    /// Inserts a whole organisation in one transaction. Region codes of halls and windows follow their site.
    pub async fn insert_organisation(&self, org: &Organisation, district: &str) -> Result<()> {
        let (org, district) = (org.clone(), district.to_owned());
        self.write(move |tx| {
            Box::pin(async move { insert_organisation_in(tx, &org, &district).await })
        })
        .await
    }

    /// The district the centre serves: the first of its regions by code.
    pub async fn centre_region(&self) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT code FROM regions ORDER BY code LIMIT 1")
                .fetch_optional(&mut *self.read().await?)
                .await?,
        )
    }

    pub async fn organisation(&self) -> Result<Organisation> {
        let regions = sqlx::query_as("SELECT code, name, level FROM regions ORDER BY code")
            .fetch_all(&mut *self.read().await?)
            .await?;
        let sites = sqlx::query_as(
            "SELECT code, name, kind, region_code, address, supervision_phone FROM sites ORDER BY code",
        )
        .fetch_all(&mut *self.read().await?)
        .await?;
        let halls = sqlx::query_as("SELECT code, site_code, name, floor FROM halls ORDER BY code")
            .fetch_all(&mut *self.read().await?)
            .await?;
        let departments = sqlx::query_as::<_, DepartmentRow>(
            "SELECT code, name, short_name, section, phone, theme, via_comprehensive_service, document_pattern FROM departments ORDER BY code",
        )
        .fetch_all(&mut *self.read().await?)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
        let windows = sqlx::query_as::<_, WindowRow>(
            "SELECT code, hall_code, name, kind, theme, department_code, issues_results FROM windows ORDER BY code",
        )
        .fetch_all(&mut *self.read().await?)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
        Ok(Organisation {
            regions,
            sites,
            halls,
            departments,
            windows,
        })
    }

    /// Creates a department of the district `region`; `Conflict` when the code is taken.
    pub async fn create_department(&self, d: &DepartmentSpec, region: &str) -> Result<()> {
        self.write_one(sqlx::query(
            "INSERT INTO departments (code, name, short_name, section, phone, theme, via_comprehensive_service, region_code, document_pattern)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&d.code)
        .bind(d.name.trim())
        .bind(d.short_name.trim())
        .bind(d.section.trim())
        .bind(d.phone.trim())
        .bind(d.theme.map(|t| t.as_str()))
        .bind(d.via_comprehensive_service as i64)
        .bind(region)
        .bind(pattern_of(d))
        )
        .await
        .map_err(|e| conflict_on_unique(e, "department code"))?;
        Ok(())
    }

    /// Updates a department; `NotFound` when there is none of that code.
    pub async fn update_department(&self, d: &DepartmentSpec) -> Result<()> {
        let done = self.write_one(sqlx::query(
            "UPDATE departments SET name = $2, short_name = $3, section = $4, phone = $5, theme = $6, via_comprehensive_service = $7,
                document_pattern = $8
             WHERE code = $1",
        )
        .bind(&d.code)
        .bind(d.name.trim())
        .bind(d.short_name.trim())
        .bind(d.section.trim())
        .bind(d.phone.trim())
        .bind(d.theme.map(|t| t.as_str()))
        .bind(d.via_comprehensive_service as i64)
        .bind(pattern_of(d))
        )
        .await?;
        one_row(done)
    }

    /// Creates a window in the region of its hall; `Conflict` when the code is taken.
    pub async fn create_window(&self, w: &WindowSpec) -> Result<()> {
        self.write_one(sqlx::query(
            "INSERT INTO windows (code, hall_code, name, kind, theme, department_code, issues_results, region_code)
             SELECT $1, $2, $3, $4, $5, $6, $7, region_code FROM halls WHERE code = $2",
        )
        .bind(&w.code)
        .bind(&w.hall)
        .bind(w.name.trim())
        .bind(w.kind.as_str())
        .bind(w.theme.map(|t| t.as_str()))
        .bind(&w.department)
        .bind(w.issues_results as i64)
        )
        .await
        .map_err(|e| conflict_on_unique(e, "window code"))
        .and_then(one_row)
    }

    /// Updates a window, which moves to the region of its hall; `NotFound` when there is none of
    /// that code (or no such hall).
    pub async fn update_window(&self, w: &WindowSpec) -> Result<()> {
        let done = self
            .write_one(sqlx::query(
            "UPDATE windows SET hall_code = $2, name = $3, kind = $4, theme = $5, department_code = $6, issues_results = $7,
                    region_code = (SELECT region_code FROM halls WHERE code = $2)
             WHERE code = $1 AND EXISTS (SELECT 1 FROM halls WHERE code = $2)",
        )
        .bind(&w.code)
        .bind(&w.hall)
        .bind(w.name.trim())
        .bind(w.kind.as_str())
        .bind(w.theme.map(|t| t.as_str()))
        .bind(&w.department)
        .bind(w.issues_results as i64))
            .await?;
        one_row(done)
    }

    /// Whether an item's decision is delegated to the window (授权); `NotFound` without the item.
    pub async fn item_delegated(&self, item: &str) -> Result<bool> {
        let delegated: Option<i64> =
            sqlx::query_scalar("SELECT delegated FROM items WHERE code = $1")
                .bind(item)
                .fetch_optional(&mut *self.read().await?)
                .await?;
        delegated.map(|d| d != 0).ok_or(StoreError::NotFound)
    }

    /// Sets whether an item's decision is delegated to the window (授权); `NotFound` without the item.
    pub async fn set_item_delegated(&self, item: &str, delegated: bool) -> Result<()> {
        let done = self
            .write_one(
                sqlx::query("UPDATE items SET delegated = $2 WHERE code = $1")
                    .bind(item)
                    .bind(delegated as i64),
            )
            .await?;
        one_row(done)
    }

    pub async fn window(&self, code: &str) -> Result<Option<Window>> {
        let row = sqlx::query_as::<_, WindowRow>(
            "SELECT code, hall_code, name, kind, theme, department_code, issues_results FROM windows WHERE code = $1",
        )
        .bind(code)
        .fetch_optional(&mut *self.read().await?)
        .await?;
        Ok(row.map(Into::into))
    }

    /// Delegation figures of every department: items in the hall, items whose decision is
    /// delegated to the window, and decisions actually taken by a chief representative, from the
    /// kept decision counts.
    pub async fn delegation(&self) -> Result<Vec<DelegationFigures>> {
        Ok(sqlx::query_as(
            "SELECT d.code AS department,
                    (SELECT COUNT(*) FROM items i WHERE i.department_code = d.code) AS items_in_hall,
                    (SELECT COUNT(*) FROM items i WHERE i.department_code = d.code AND i.delegated = 1) AS items_delegated,
                    CAST(COALESCE((SELECT SUM(k.count) FROM decision_counts k
                      WHERE k.department_code = d.code AND k.at_window = 1), 0) AS BIGINT) AS decided_at_window,
                    CAST(COALESCE((SELECT SUM(k.count) FROM decision_counts k
                      WHERE k.department_code = d.code), 0) AS BIGINT) AS decided_total
             FROM departments d ORDER BY d.code",
        )
        .fetch_all(&mut *self.read().await?)
        .await?)
    }
}

/// Inserts a whole organisation inside `tx`. Region codes of halls and windows follow their site.
pub(crate) async fn insert_organisation_in(
    tx: &mut Tx,
    org: &Organisation,
    district: &str,
) -> Result<()> {
    for r in &org.regions {
        sqlx::query("INSERT INTO regions (code, name, level, parent_code) VALUES ($1, $2, $3, $4)")
            .bind(&r.code)
            .bind(&r.name)
            .bind(&r.level)
            .bind(parent_of(&r.code))
            .execute(tx.conn().await?)
            .await?;
    }
    for s in &org.sites {
        sqlx::query("INSERT INTO sites (code, name, kind, region_code, address, supervision_phone) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(&s.code)
                .bind(&s.name)
                .bind(&s.kind)
                .bind(&s.region)
                .bind(&s.address)
                .bind(&s.supervision_phone)
                .execute(tx.conn().await?)
                .await?;
    }
    for h in &org.halls {
        let region = org
            .sites
            .iter()
            .find(|s| s.code == h.site)
            .map_or(district, |s| s.region.as_str());
        sqlx::query("INSERT INTO halls (code, site_code, name, floor, region_code) VALUES ($1, $2, $3, $4, $5)")
                .bind(&h.code)
                .bind(&h.site)
                .bind(&h.name)
                .bind(&h.floor)
                .bind(region)
                .execute(tx.conn().await?)
                .await?;
    }
    for d in &org.departments {
        sqlx::query(
                "INSERT INTO departments (code, name, short_name, section, phone, theme, via_comprehensive_service, region_code, document_pattern)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(&d.code)
            .bind(&d.name)
            .bind(&d.short_name)
            .bind(&d.section)
            .bind(&d.phone)
            .bind(&d.theme)
            .bind(d.via_comprehensive_service as i64)
            .bind(district)
            .bind(&d.document_pattern)
            .execute(tx.conn().await?)
            .await?;
    }
    for w in &org.windows {
        let region = org
            .halls
            .iter()
            .find(|h| h.code == w.hall)
            .and_then(|h| org.sites.iter().find(|s| s.code == h.site))
            .map_or(district, |s| s.region.as_str());
        sqlx::query(
                "INSERT INTO windows (code, hall_code, name, kind, theme, department_code, issues_results, region_code)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&w.code)
            .bind(&w.hall)
            .bind(&w.name)
            .bind(&w.kind)
            .bind(&w.theme)
            .bind(&w.department)
            .bind(w.issues_results as i64)
            .bind(region)
            .execute(tx.conn().await?)
            .await?;
    }
    Ok(())
}

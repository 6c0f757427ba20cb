//! Items and their versions (C2). A version is never changed once published; a case keeps the
//! version it was accepted under.

use onewindow_domain::catalogue::{ItemDefinition, StepKind, StepRole, WorkflowShape};
use serde::Serialize;
use sqlx::Row;

use crate::{Result, Store, StoreError, now_ms};

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemSummary {
    pub code: String,
    pub name: String,
    pub department: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<onewindow_domain::organisation::Theme>))]
    pub theme: Option<String>,
    pub version: i64,
    pub delegated: bool,
}

fn delegated(def: &ItemDefinition) -> bool {
    def.steps
        .iter()
        .any(|s| s.kind == StepKind::Decide && s.role == StepRole::ChiefRepresentative)
        || def.shape == WorkflowShape::Immediate
}

fn theme_str(def: &ItemDefinition) -> Option<String> {
    def.theme.map(|t| t.as_str().to_owned())
}

impl Store {
    /// Publishes a definition as the item's next version (creating the item on its first version),
    /// and lets the given windows accept it. Returns the version number.
    pub async fn publish_item(
        &self,
        def: &ItemDefinition,
        region: &str,
        by: &str,
        windows: &[String],
    ) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        let current: Option<i64> =
            sqlx::query_scalar("SELECT current_version FROM items WHERE code = $1")
                .bind(&def.implementation_code)
                .fetch_optional(&mut *tx)
                .await?;
        let version = current.unwrap_or(0) + 1;
        let theme = theme_str(def);
        if current.is_none() {
            sqlx::query(
                "INSERT INTO items (code, name, department_code, theme, current_version, delegated, region_code)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&def.implementation_code)
            .bind(&def.name)
            .bind(&def.department)
            .bind(&theme)
            .bind(version)
            .bind(delegated(def) as i64)
            .bind(region)
            .execute(&mut *tx)
            .await?;
        } else {
            sqlx::query(
                "UPDATE items SET name = $2, department_code = $3, theme = $4, current_version = $5, delegated = $6 WHERE code = $1",
            )
            .bind(&def.implementation_code)
            .bind(&def.name)
            .bind(&def.department)
            .bind(&theme)
            .bind(version)
            .bind(delegated(def) as i64)
            .execute(&mut *tx)
            .await?;
        }
        let json =
            serde_json::to_string(def).map_err(|e| StoreError::corrupt("item definition", e))?;
        sqlx::query(
            "INSERT INTO item_versions (item_code, version, definition, published_ms, published_by) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&def.implementation_code)
        .bind(version)
        .bind(json)
        .bind(now_ms())
        .bind(by)
        .execute(&mut *tx)
        .await?;
        for w in windows {
            let exists: Option<String> = sqlx::query_scalar(
                "SELECT window_code FROM window_items WHERE window_code = $1 AND item_code = $2",
            )
            .bind(w)
            .bind(&def.implementation_code)
            .fetch_optional(&mut *tx)
            .await?;
            if exists.is_none() {
                sqlx::query("INSERT INTO window_items (window_code, item_code) VALUES ($1, $2)")
                    .bind(w)
                    .bind(&def.implementation_code)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(version)
    }

    /// A version of an item; the current one when `version` is `None`.
    pub async fn item(&self, code: &str, version: Option<i64>) -> Result<(i64, ItemDefinition)> {
        let row = sqlx::query(
            "SELECT v.version, v.definition FROM item_versions v JOIN items i ON i.code = v.item_code
             WHERE v.item_code = $1 AND v.version = COALESCE($2, i.current_version)",
        )
        .bind(code)
        .bind(version)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        let json: String = row.try_get("definition")?;
        let def =
            serde_json::from_str(&json).map_err(|e| StoreError::corrupt("item definition", e))?;
        Ok((row.try_get("version")?, def))
    }

    /// Items, optionally of one department or theme, or matching a search in the name.
    pub async fn items(
        &self,
        department: Option<&str>,
        theme: Option<&str>,
        query: Option<&str>,
    ) -> Result<Vec<ItemSummary>> {
        let like = query.map(|q| format!("%{}%", q.replace('%', "").replace('_', "")));
        let rows = sqlx::query(
            "SELECT code, name, department_code, theme, current_version, delegated FROM items
             WHERE ($1 IS NULL OR department_code = $1) AND ($2 IS NULL OR theme = $2) AND ($3 IS NULL OR name LIKE $3)
             ORDER BY code",
        )
        .bind(department)
        .bind(theme)
        .bind(like)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ItemSummary {
                    code: r.try_get("code")?,
                    name: r.try_get("name")?,
                    department: r.try_get("department_code")?,
                    theme: r.try_get("theme")?,
                    version: r.try_get("current_version")?,
                    delegated: r.try_get::<i64, _>("delegated")? != 0,
                })
            })
            .collect::<std::result::Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    pub async fn window_accepts(&self, window: &str, item: &str) -> Result<bool> {
        let found: Option<String> = sqlx::query_scalar(
            "SELECT window_code FROM window_items WHERE window_code = $1 AND item_code = $2",
        )
        .bind(window)
        .bind(item)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.is_some())
    }
}

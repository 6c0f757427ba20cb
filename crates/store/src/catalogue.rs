//! Items and their versions (C2). A version is never changed once published; a case keeps the
//! version it was accepted under.

use onewindow_domain::catalogue::ItemDefinition;
use serde::Serialize;
use sqlx_macros::FromRow;

use crate::write::Tx;
use crate::{Result, Store, StoreError, conflict_on_unique, now_ms};

/// Which items to list; every part left out matches all.
#[derive(Debug, Default, Clone, Copy)]
pub struct ItemFilter<'a> {
    pub department: Option<&'a str>,
    pub theme: Option<&'a str>,
    /// Words of the item's name, its code or its keywords.
    pub text: Option<&'a str>,
    /// Only the items this window accepts.
    pub window: Option<&'a str>,
}

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

/// The centre admin's work on an item's next version (or first, for a new item).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemDraft {
    pub code: String,
    /// The version that was current when the draft was last saved; none for a new item.
    pub based_on_version: Option<i64>,
    pub updated_ms: i64,
    /// Staff id of the last editor.
    pub updated_by: String,
    pub definition: ItemDefinition,
}

/// A draft in the list of drafts.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemDraftSummary {
    pub code: String,
    pub name: String,
    pub department: String,
    pub based_on_version: Option<i64>,
    pub updated_ms: i64,
    pub updated_by: String,
}

/// When and by whom a version was published.
#[derive(Debug, Clone, Serialize, FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemVersionInfo {
    pub version: i64,
    pub published_ms: i64,
    /// Staff id of the publisher (`seed` for the demo centre).
    pub published_by: String,
}

fn definition(json: &str) -> Result<ItemDefinition> {
    serde_json::from_str(json)
        .or_else(|e| legacy_definition(json).ok_or(e))
        .map_err(|e| StoreError::corrupt("item definition", e))
}

/// A definition published before ADR 0028, whose materials named a form file (`blank_form`,
/// `sample_form`) that only ever stood for one generic template: read without those keys, so
/// its materials offer no form until the admin gives them their fields.
fn legacy_definition(json: &str) -> Option<ItemDefinition> {
    let mut value: serde_json::Value = serde_json::from_str(json).ok()?;
    for m in value.get_mut("materials")?.as_array_mut()? {
        let m = m.as_object_mut()?;
        m.remove("blank_form");
        m.remove("sample_form");
    }
    serde_json::from_value(value).ok()
}

/// An item as stored; the delegation is a 0/1 integer.
#[derive(FromRow)]
struct ItemRow {
    code: String,
    name: String,
    department_code: String,
    theme: Option<String>,
    current_version: i64,
    delegated: i64,
}

impl From<ItemRow> for ItemSummary {
    fn from(r: ItemRow) -> Self {
        ItemSummary {
            code: r.code,
            name: r.name,
            department: r.department_code,
            theme: r.theme,
            version: r.current_version,
            delegated: r.delegated != 0,
        }
    }
}

/// A draft as stored; the definition is JSON text, read as the draft or for its summary.
#[derive(FromRow)]
struct DraftRow {
    item_code: String,
    definition: String,
    based_on_version: Option<i64>,
    updated_ms: i64,
    updated_by: String,
}

impl TryFrom<DraftRow> for ItemDraft {
    type Error = StoreError;

    fn try_from(r: DraftRow) -> Result<Self> {
        Ok(ItemDraft {
            code: r.item_code,
            based_on_version: r.based_on_version,
            updated_ms: r.updated_ms,
            updated_by: r.updated_by,
            definition: definition(&r.definition)?,
        })
    }
}

impl TryFrom<DraftRow> for ItemDraftSummary {
    type Error = StoreError;

    fn try_from(r: DraftRow) -> Result<Self> {
        let def = definition(&r.definition)?;
        Ok(ItemDraftSummary {
            code: r.item_code,
            name: def.name,
            department: def.department,
            based_on_version: r.based_on_version,
            updated_ms: r.updated_ms,
            updated_by: r.updated_by,
        })
    }
}

fn theme_str(def: &ItemDefinition) -> Option<String> {
    def.theme.map(|t| t.as_str().to_owned())
}

/// Publishes `def` inside `tx` as [`publish`] does, and lets the given windows accept it.
pub(crate) async fn publish_with_windows(
    tx: &mut Tx,
    def: &ItemDefinition,
    region: &str,
    by: &str,
    windows: &[String],
) -> Result<i64> {
    let version = publish(tx, def, region, by).await?;
    for w in windows {
        tx.execute(
            sqlx::query(
                "INSERT INTO window_items (window_code, item_code) VALUES ($1, $2)
                 ON CONFLICT (window_code, item_code) DO NOTHING",
            )
            .bind(w)
            .bind(&def.implementation_code),
        )
        .await?;
    }
    Ok(version)
}

/// Publishes `def` as the item's next version inside `tx`, creating the item on its first
/// version. Returns the version number.
async fn publish(tx: &mut Tx, def: &ItemDefinition, region: &str, by: &str) -> Result<i64> {
    let current: Option<i64> =
        sqlx::query_scalar("SELECT current_version FROM items WHERE code = $1")
            .bind(&def.implementation_code)
            .fetch_optional(tx.conn().await?)
            .await?;
    let version = current.unwrap_or(0) + 1;
    let theme = theme_str(def);
    if current.is_none() {
        sqlx::query(
            "INSERT INTO items (code, name, department_code, theme, current_version, delegated, region_code, keywords)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&def.implementation_code)
        .bind(&def.name)
        .bind(&def.department)
        .bind(&theme)
        .bind(version)
        .bind(def.proposes_delegation() as i64)
        .bind(region)
        .bind(def.keyword_line())
        .execute(tx.conn().await?)
        .await?;
    } else {
        // The delegation stays as the centre admin set it (PUT /items/{code}/delegation): a new
        // version does not take back an authority the department granted.
        sqlx::query(
            "UPDATE items SET name = $2, department_code = $3, theme = $4, current_version = $5, keywords = $6 WHERE code = $1",
        )
        .bind(&def.implementation_code)
        .bind(&def.name)
        .bind(&def.department)
        .bind(&theme)
        .bind(version)
        .bind(def.keyword_line())
        .execute(tx.conn().await?)
        .await?;
    }
    let json = serde_json::to_string(def).map_err(|e| StoreError::corrupt("item definition", e))?;
    sqlx::query(
        "INSERT INTO item_versions (item_code, version, definition, published_ms, published_by) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&def.implementation_code)
    .bind(version)
    .bind(json)
    .bind(now_ms())
    .bind(by)
    .execute(tx.conn().await?)
    .await?;
    Ok(version)
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
        let (def, region, by) = (def.clone(), region.to_owned(), by.to_owned());
        let windows = windows.to_vec();
        self.write(move |tx| {
            Box::pin(async move { publish_with_windows(tx, &def, &region, &by, &windows).await })
        })
        .await
    }

    /// A version of an item; the current one when `version` is `None`.
    pub async fn item(&self, code: &str, version: Option<i64>) -> Result<(i64, ItemDefinition)> {
        let (number, json): (i64, String) = sqlx::query_as(
            "SELECT v.version, v.definition FROM item_versions v JOIN items i ON i.code = v.item_code
             WHERE v.item_code = $1 AND v.version = COALESCE($2, i.current_version)",
        )
        .bind(code)
        .bind(version)
        .fetch_optional(&mut *self.read().await?)
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok((number, definition(&json)?))
    }

    /// Items, optionally of one department or theme, or matching a search in the name, the code
    /// or the words people use for it.
    pub async fn items(&self, filter: &ItemFilter<'_>) -> Result<Vec<ItemSummary>> {
        let like = filter
            .text
            .map(|q| format!("%{}%", q.replace(['%', '_'], "")));
        let rows = sqlx::query_as::<_, ItemRow>(
            "SELECT code, name, department_code, theme, current_version, delegated FROM items
             WHERE ($1 IS NULL OR department_code = $1) AND ($2 IS NULL OR theme = $2) AND ($3 IS NULL OR name LIKE $3 OR code LIKE $3 OR keywords LIKE $3)
               AND ($4 IS NULL OR code IN (SELECT item_code FROM window_items WHERE window_code = $4))
             ORDER BY code",
        )
        .bind(filter.department)
        .bind(filter.theme)
        .bind(like)
        .bind(filter.window)
        .fetch_all(&mut *self.read().await?)
        .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    pub async fn window_accepts(&self, window: &str, item: &str) -> Result<bool> {
        let found: Option<String> = sqlx::query_scalar(
            "SELECT window_code FROM window_items WHERE window_code = $1 AND item_code = $2",
        )
        .bind(window)
        .bind(item)
        .fetch_optional(&mut *self.read().await?)
        .await?;
        Ok(found.is_some())
    }

    /// The codes of the windows that accept an item, in code order.
    pub async fn item_windows(&self, code: &str) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT window_code FROM window_items WHERE item_code = $1 ORDER BY window_code",
        )
        .bind(code)
        .fetch_all(&mut *self.read().await?)
        .await?)
    }

    /// Makes exactly `windows` accept the item, in one transaction.
    pub async fn set_item_windows(&self, code: &str, windows: &[String]) -> Result<()> {
        let (code, windows) = (code.to_owned(), windows.to_vec());
        self.write(move |tx| {
            Box::pin(async move {
                tx.execute(
                    sqlx::query("DELETE FROM window_items WHERE item_code = $1").bind(&code),
                )
                .await?;
                for w in &windows {
                    tx.execute(
                        sqlx::query(
                            "INSERT INTO window_items (window_code, item_code) VALUES ($1, $2)",
                        )
                        .bind(w)
                        .bind(&code),
                    )
                    .await?;
                }
                Ok(())
            })
        })
        .await
    }

    /// Saves the draft of `def`'s item, replacing any earlier draft; it records the version that is
    /// current now as the one it is based on.
    pub async fn save_item_draft(&self, def: &ItemDefinition, by: &str) -> Result<ItemDraft> {
        let json =
            serde_json::to_string(def).map_err(|e| StoreError::corrupt("item definition", e))?;
        let updated_ms = now_ms();
        let (code, by_owned) = (def.implementation_code.clone(), by.to_owned());
        let based_on_version: Option<i64> = self
            .write(move |tx| {
                Box::pin(async move {
                    Ok(sqlx::query_scalar(
            "INSERT INTO item_drafts (item_code, definition, based_on_version, updated_ms, updated_by)
             VALUES ($1, $2, (SELECT current_version FROM items WHERE code = $1), $3, $4)
             ON CONFLICT (item_code) DO UPDATE SET definition = excluded.definition,
               based_on_version = excluded.based_on_version, updated_ms = excluded.updated_ms,
               updated_by = excluded.updated_by
             RETURNING based_on_version",
                    )
                    .bind(code)
                    .bind(json)
                    .bind(updated_ms)
                    .bind(by_owned)
                    .fetch_one(tx.conn().await?)
                    .await?)
                })
            })
            .await?;
        Ok(ItemDraft {
            code: def.implementation_code.clone(),
            based_on_version,
            updated_ms,
            updated_by: by.to_owned(),
            definition: def.clone(),
        })
    }

    /// The draft of an item, if there is one.
    pub async fn item_draft(&self, code: &str) -> Result<Option<ItemDraft>> {
        let row = sqlx::query_as::<_, DraftRow>(
            "SELECT item_code, definition, based_on_version, updated_ms, updated_by FROM item_drafts WHERE item_code = $1",
        )
        .bind(code)
        .fetch_optional(&mut *self.read().await?)
        .await?;
        row.map(TryInto::try_into).transpose()
    }

    /// Every draft, by item code.
    pub async fn item_drafts(&self) -> Result<Vec<ItemDraftSummary>> {
        let rows = sqlx::query_as::<_, DraftRow>(
            "SELECT item_code, definition, based_on_version, updated_ms, updated_by FROM item_drafts ORDER BY item_code",
        )
        .fetch_all(&mut *self.read().await?)
        .await?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    /// Deletes an item's draft; `NotFound` when there is none.
    pub async fn discard_item_draft(&self, code: &str) -> Result<()> {
        let deleted = self
            .write_one(
                sqlx::query("DELETE FROM item_drafts WHERE item_code = $1").bind(code.to_owned()),
            )
            .await?;
        if deleted == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Publishes an item's draft as its next version and deletes the draft, in one transaction.
    /// `NotFound` without a draft; `Conflict` when another version was published after the draft
    /// was last saved (saving it again bases it on that version). Returns the new version.
    pub async fn publish_item_draft(&self, code: &str, region: &str, by: &str) -> Result<i64> {
        let (code, region, by) = (code.to_owned(), region.to_owned(), by.to_owned());
        self.write(move |tx| {
            Box::pin(async move {
                let (json, based_on, current): (String, Option<i64>, Option<i64>) = sqlx::query_as(
                    "SELECT d.definition, d.based_on_version, i.current_version FROM item_drafts d
                     LEFT JOIN items i ON i.code = d.item_code WHERE d.item_code = $1",
                )
                .bind(&code)
                .fetch_optional(tx.conn().await?)
                .await?
                .ok_or(StoreError::NotFound)?;
                if based_on != current {
                    return Err(StoreError::Conflict(format!(
                        "item {code} draft is based on an older version"
                    )));
                }
                let def = definition(&json)?;
                let version = publish(tx, &def, &region, &by).await.map_err(|e| match e {
                    StoreError::Database(e) => conflict_on_unique(e, "item version"),
                    other => other,
                })?;
                tx.execute(sqlx::query("DELETE FROM item_drafts WHERE item_code = $1").bind(&code))
                    .await?;
                Ok(version)
            })
        })
        .await
    }

    /// The published versions of an item, oldest first; empty for an unknown item.
    pub async fn item_versions(&self, code: &str) -> Result<Vec<ItemVersionInfo>> {
        Ok(sqlx::query_as(
            "SELECT version, published_ms, published_by FROM item_versions WHERE item_code = $1 ORDER BY version",
        )
        .bind(code)
        .fetch_all(&mut *self.read().await?)
        .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_definition_naming_form_files_is_read_without_them() {
        let json = include_str!("../../server/seed/demo/items.json");
        let items: Vec<serde_json::Value> = serde_json::from_str(json).unwrap();
        let mut old = items[0].clone();
        for m in old["materials"].as_array_mut().unwrap() {
            m.as_object_mut().unwrap().remove("fields");
            m["blank_form"] = "forms/440511-RSJ-001/M02-blank.pdf".into();
            m["sample_form"] = serde_json::Value::Null;
        }
        let def = definition(&old.to_string()).unwrap();
        assert!(def.materials.iter().all(|m| !m.has_form()));
        // Anything else wrong is still wrong.
        old["materials"][0]["colour"] = "red".into();
        assert!(definition(&old.to_string()).is_err());
    }
}

//! The item catalogue and the public guide (十公开).

use axum::Json;
use axum::extract::Path;
use onewindow_domain::catalogue::{
    HandlingScope, ItemDefinition, Material, OnlineDepth, Promise, TenPublicElements,
};
use onewindow_domain::organisation::Theme;
use onewindow_store::{ItemFilter, ItemSummary, Store, StoreError};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::catalogue_windows::{WindowPlace, places};
use crate::problem::{ApiError, Params};
use crate::reads::Reads;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_items))
        .routes(routes!(get_item))
        .routes(routes!(get_item_guide))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ItemQuery {
    /// Department code, e.g. `RSJ`.
    department: Option<String>,
    theme: Option<Theme>,
    /// Words of the item's name, its implementation code, or a common name people use for it
    /// (e.g. 餐饮, 营业执照).
    q: Option<String>,
    /// Window code: only the items that window accepts (the acceptance desk's list).
    window: Option<String>,
}

/// The catalogue (事项), current versions, filterable by department, theme, text and window.
#[utoipa::path(get, path = "/items", tag = "catalogue", params(ItemQuery),
    responses((status = 200, body = Vec<ItemSummary>,
        description = "The items that match the filters, current versions")))]
async fn list_items(
    Reads(store): Reads,
    Params(q): Params<ItemQuery>,
) -> Result<Json<Vec<ItemSummary>>, ApiError> {
    let filter = ItemFilter {
        department: q.department.as_deref(),
        theme: q.theme.map(|t| t.as_str()),
        text: q.q.as_deref(),
        window: q.window.as_deref(),
    };
    Ok(Json(store.items(&filter).await?))
}

async fn load(store: &Store, code: &str) -> Result<(i64, ItemDefinition), ApiError> {
    store.item(code, None).await.map_err(|e| match e {
        StoreError::NotFound => ApiError::not_found("事项", "Item"),
        other => other.into(),
    })
}

/// An item's current published version.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Item {
    version: i64,
    definition: ItemDefinition,
}

/// One item, current version, with every element.
#[utoipa::path(get, path = "/items/{code}", tag = "catalogue",
    params(("code" = String, Path, description = "Implementation code, e.g. 440511-RSJ-005", example = "440511-RSJ-001")),
    responses((status = 200, body = Item,
        description = "The item's current version with its whole definition")))]
async fn get_item(Reads(store): Reads, Path(code): Path<String>) -> Result<Json<Item>, ApiError> {
    let (version, definition) = load(&store, &code).await?;
    Ok(Json(Item {
        version,
        definition,
    }))
}

/// The public guide (办事指南) of an item: the ten public elements and where to go.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ItemGuide {
    code: String,
    name: String,
    version: i64,
    ten_public_elements: TenPublicElements,
    materials: Vec<GuideMaterial>,
    promise: Promise,
    location: String,
    office_hours: String,
    online_depth: OnlineDepth,
    visits_needed: u32,
    scope: HandlingScope,
    /// The windows that accept the item, where to go to apply in person.
    windows: Vec<WindowPlace>,
}

/// A material as the guide lists it, with the forms it offers to print.
#[derive(Serialize, utoipa::ToSchema)]
pub struct GuideMaterial {
    #[serde(flatten)]
    material: Material,
    /// A blank form (空白表格) at `/items/{code}/forms/{material}/blank`.
    has_form: bool,
    /// A filled-in sample (示例样表) at `/items/{code}/forms/{material}/sample`.
    has_sample: bool,
}

/// The guide of an item's current version (十公开).
#[utoipa::path(get, path = "/items/{code}/guide", tag = "catalogue",
    params(("code" = String, Path, description = "Implementation code", example = "440511-RSJ-001")),
    responses((status = 200, body = ItemGuide,
        description = "The guide of the item's current version, with the windows that accept it")))]
async fn get_item_guide(
    Reads(store): Reads,
    Path(code): Path<String>,
) -> Result<Json<ItemGuide>, ApiError> {
    let (version, def) = load(&store, &code).await?;
    let org = store.organisation().await?;
    let department = org.departments.iter().find(|d| d.code == def.department);
    let authority = department.map_or(def.department.as_str(), |d| d.name.as_str());
    let windows = places(&org, &store.item_windows(&code).await?);
    Ok(Json(ItemGuide {
        ten_public_elements: def.ten_public_elements(authority),
        code: def.implementation_code,
        name: def.name,
        version,
        materials: def
            .materials
            .into_iter()
            .map(|material| GuideMaterial {
                has_form: material.has_form(),
                has_sample: material.has_sample(),
                material,
            })
            .collect(),
        promise: def.promise,
        location: def.location,
        office_hours: def.office_hours,
        online_depth: def.online_depth,
        visits_needed: def.visits_needed,
        scope: def.scope,
        windows,
    }))
}

//! The item catalogue and the public guide (十公开).

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use onewindow_store::ItemSummary;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::problem::{ApiError, Params};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/items", get(list_items))
        .route("/items/{code}", get(get_item))
        .route("/items/{code}/guide", get(get_guide))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemQuery {
    department: Option<String>,
    theme: Option<String>,
    q: Option<String>,
}

async fn list_items(
    State(state): State<AppState>,
    Params(q): Params<ItemQuery>,
) -> Result<Json<Vec<ItemSummary>>, ApiError> {
    Ok(Json(
        state
            .store
            .items(q.department.as_deref(), q.theme.as_deref(), q.q.as_deref())
            .await?,
    ))
}

async fn load(
    state: &AppState,
    code: &str,
) -> Result<(i64, onewindow_domain::catalogue::ItemDefinition), ApiError> {
    state.store.item(code, None).await.map_err(|e| match e {
        onewindow_store::StoreError::NotFound => ApiError::not_found("事项", "Item"),
        other => other.into(),
    })
}

async fn get_item(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let (version, def) = load(&state, &code).await?;
    Ok(Json(json!({ "version": version, "definition": def })))
}

async fn get_guide(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let (version, def) = load(&state, &code).await?;
    let org = state.store.organisation().await?;
    let department = org.departments.iter().find(|d| d.code == def.department);
    let authority = department.map_or(def.department.as_str(), |d| d.name.as_str());
    Ok(Json(json!({
        "code": def.implementation_code,
        "name": def.name,
        "version": version,
        "ten_public_elements": def.ten_public_elements(authority),
        "materials": def.materials,
        "promise": def.promise,
        "location": def.location,
        "office_hours": def.office_hours,
        "online_depth": def.online_depth,
        "visits_needed": def.visits_needed,
        "scope": def.scope,
    })))
}

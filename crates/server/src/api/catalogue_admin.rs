//! Catalogue administration, for centre admins only: an item's next version (or a new item) is
//! edited as a draft, checked field by field, and published as a new version. A published version
//! never changes, and a case keeps the version it was accepted under.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use onewindow_domain::catalogue::ItemDefinition;
use onewindow_domain::organisation::{Role, administers_item};
use onewindow_store::{ItemDraft, ItemDraftSummary, ItemVersionInfo, StoreError};
use serde::Serialize;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{centre_district, centre_region};
use crate::problem::{ApiError, Body, FieldError};
use crate::session::Caller;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_item_drafts))
        .routes(routes!(
            get_item_draft,
            update_item_draft,
            delete_item_draft
        ))
        .routes(routes!(list_item_versions, create_item_version))
}

fn draft_not_found() -> ApiError {
    ApiError::not_found("事项草稿", "Item draft")
}

/// The store's `NotFound` as "no such draft".
fn no_draft(e: StoreError) -> ApiError {
    match e {
        StoreError::NotFound => draft_not_found(),
        other => other.into(),
    }
}

/// A centre admin, on an item of the centre's district; anyone else is refused.
async fn administrator(state: &AppState, caller: &Caller, code: &str) -> Result<(), ApiError> {
    caller.require(Role::CentreAdmin)?;
    if administers_item(&centre_district(state).await?, code) {
        Ok(())
    } else {
        Err(ApiError::outside_centre("事项", "item"))
    }
}

/// Every draft (centre admin only).
#[utoipa::path(get, path = "/item-drafts", tag = "catalogue", security(("session" = [])),
    responses((status = 200, body = Vec<ItemDraftSummary>,
        description = "Every item draft, by item code")))]
async fn list_item_drafts(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<ItemDraftSummary>>, ApiError> {
    caller.require(Role::CentreAdmin)?;
    Ok(Json(state.store.item_drafts().await?))
}

/// The draft of an item's next version (centre admin only); 404 when there is none.
#[utoipa::path(get, path = "/items/{code}/draft", tag = "catalogue",
    params(("code" = String, Path, description = "Implementation code", example = "440511-RSJ-001")),
    security(("session" = [])), responses((status = 200, body = ItemDraft,
        description = "The draft of the item's next version")))]
async fn get_item_draft(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> Result<Json<ItemDraft>, ApiError> {
    administrator(&state, &caller, &code).await?;
    let draft = state.store.item_draft(&code).await?;
    Ok(Json(draft.ok_or_else(draft_not_found)?))
}

/// Every problem of a definition to be saved or published under `code`, all at once: the domain's
/// rules, the code in the path, and the departments it names.
async fn check(state: &AppState, code: &str, def: &ItemDefinition) -> Result<(), ApiError> {
    let mut errors: Vec<FieldError> = def.problems().iter().map(FieldError::from).collect();
    if !def.implementation_code.trim().is_empty() && def.implementation_code != code {
        errors.push(FieldError {
            field: "implementation_code".into(),
            code: "implementation_code_mismatch".into(),
            message_zh: format!("实施编码须与所编辑的事项 {code} 一致"),
            message_en: format!("the implementation code must be {code}, the item being edited"),
        });
    }
    let org = state.store.organisation().await?;
    let departments = std::iter::once(("department".to_owned(), &def.department)).chain(
        def.steps
            .iter()
            .enumerate()
            .map(|(i, s)| (format!("steps[{i}].department"), &s.department)),
    );
    for (field, department) in departments {
        if !org.departments.iter().any(|d| &d.code == department) {
            errors.push(FieldError {
                field,
                code: "unknown_department".into(),
                message_zh: format!("部门 {department} 不存在"),
                message_en: format!("unknown department {department}"),
            });
        }
    }
    if errors.is_empty() {
        return Ok(());
    }
    let n = errors.len();
    Err(ApiError::invalid_fields(
        "invalid_item_definition",
        format!("事项定义有 {n} 处需要修改"),
        format!("The item definition has {n} problem(s)"),
        errors,
    ))
}

/// Saves the draft of an item's next version, or of a new item (centre admin only). The body is
/// the whole definition; every problem is answered at once, per field, and nothing is saved.
#[utoipa::path(put, path = "/items/{code}/draft", tag = "catalogue",
    params(("code" = String, Path, description = "Implementation code; must equal the body's", example = "440511-RSJ-001")),
    request_body = ItemDefinition, security(("session" = [])),
    responses((status = 200, body = ItemDraft, description = "The draft is saved")))]
async fn update_item_draft(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    Body(def): Body<ItemDefinition>,
) -> Result<Json<ItemDraft>, ApiError> {
    administrator(&state, &caller, &code).await?;
    check(&state, &code, &def).await?;
    let draft = state.store.save_item_draft(&def, caller.id()).await?;
    state
        .audit(
            caller.id(),
            "item_draft_saved",
            &json!({ "code": code, "based_on_version": draft.based_on_version }),
        )
        .await?;
    Ok(Json(draft))
}

/// Discards an item's draft (centre admin only).
#[utoipa::path(delete, path = "/items/{code}/draft", tag = "catalogue",
    params(("code" = String, Path, description = "Implementation code", example = "440511-RSJ-001")),
    security(("session" = [])),
    responses((status = 204, description = "The draft is discarded")))]
async fn delete_item_draft(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> Result<StatusCode, ApiError> {
    administrator(&state, &caller, &code).await?;
    state
        .store
        .discard_item_draft(&code)
        .await
        .map_err(no_draft)?;
    state
        .audit(caller.id(), "item_draft_deleted", &json!({ "code": code }))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The published versions of an item, oldest first (centre admin only).
#[utoipa::path(get, path = "/items/{code}/versions", tag = "catalogue",
    params(("code" = String, Path, description = "Implementation code", example = "440511-RSJ-001")),
    security(("session" = [])), responses((status = 200, body = Vec<ItemVersionInfo>,
        description = "The item's published versions, oldest first")))]
async fn list_item_versions(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> Result<Json<Vec<ItemVersionInfo>>, ApiError> {
    administrator(&state, &caller, &code).await?;
    let versions = state.store.item_versions(&code).await?;
    if versions.is_empty() {
        return Err(ApiError::not_found("事项", "Item"));
    }
    Ok(Json(versions))
}

/// The version a draft was published as.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PublishedVersion {
    code: String,
    version: i64,
}

/// Publishes an item's draft as its next version, and deletes the draft (centre admin only).
/// 404 without a draft; 409 when another version was published after the draft was saved.
#[utoipa::path(post, path = "/items/{code}/versions", tag = "catalogue",
    params(("code" = String, Path, description = "Implementation code", example = "440511-RSJ-001")),
    security(("session" = [])), responses((status = 201, body = PublishedVersion,
        description = "The draft is published: the item's new version")))]
async fn create_item_version(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> Result<(StatusCode, Json<PublishedVersion>), ApiError> {
    administrator(&state, &caller, &code).await?;
    let draft = state
        .store
        .item_draft(&code)
        .await?
        .ok_or_else(draft_not_found)?;
    // Checked when saved; checked again in case the rules or the departments changed since.
    check(&state, &code, &draft.definition).await?;
    let region = centre_region(&state).await?;
    let version = state
        .store
        .publish_item_draft(&code, &region, caller.id())
        .await
        .map_err(no_draft)?;
    state
        .audit(
            caller.id(),
            "item_published",
            &json!({ "code": code, "version": version }),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(PublishedVersion { code, version }),
    ))
}

//! Organisation administration, for centre admins only: departments, windows and the delegation
//! of items to the window (授权). The domain's specs carry the rules; here the codes they name are
//! checked against what exists, and every change is written to the audit log.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use onewindow_domain::organisation::{DepartmentSpec, Role, WindowSpec};
use onewindow_store::{Department, Organisation, StoreError, Window};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::centre_region;
use crate::problem::{ApiError, Body, FieldError};
use crate::session::Caller;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_department))
        .routes(routes!(update_department))
        .routes(routes!(create_window))
        .routes(routes!(update_window))
        .routes(routes!(update_item_delegation))
}

/// A field naming something that does not exist.
pub(super) fn unknown(field: &str, what_zh: &str, what_en: &str, value: &str) -> FieldError {
    FieldError::new(
        field,
        &format!("unknown_{field}"),
        format!("{what_zh} {value} 不存在"),
        format!("unknown {what_en} {value}"),
    )
}

/// The code in the body must be the one in the path.
fn code_in_path(path: &str, body: &str) -> Option<FieldError> {
    (path != body).then(|| {
        FieldError::new(
            "code",
            "code_mismatch",
            format!("编码须与所编辑的 {path} 一致"),
            format!("the code must be {path}, the one being edited"),
        )
    })
}

/// A create that found its code taken answers that on the `code` field.
pub(super) fn taken(field: &str, value: &str, e: StoreError) -> ApiError {
    match e {
        StoreError::Conflict(_) => ApiError::invalid(
            field,
            "already_exists",
            format!("{value} 已被使用"),
            format!("{value} is already taken"),
        ),
        other => other.into(),
    }
}

/// The store's `NotFound` as "no such <what>".
pub(super) fn missing(
    what_zh: &'static str,
    what_en: &'static str,
) -> impl Fn(StoreError) -> ApiError {
    move |e| match e {
        StoreError::NotFound => ApiError::not_found(what_zh, what_en),
        other => other.into(),
    }
}

/// Every problem of a department to be saved under `code` (when editing one).
fn department_problems(code: Option<&str>, spec: &DepartmentSpec) -> Result<(), ApiError> {
    let mut errors: Vec<FieldError> = spec.problems().iter().map(FieldError::from).collect();
    errors.extend(code.and_then(|c| code_in_path(c, &spec.code)));
    ApiError::unless_fields("invalid_department", errors)
}

fn department_of(org: Organisation, code: &str) -> Result<Department, ApiError> {
    org.departments
        .into_iter()
        .find(|d| d.code == code)
        .ok_or_else(|| ApiError::not_found("部门", "Department"))
}

/// Creates a department (centre admin only).
#[utoipa::path(post, path = "/departments", tag = "organisation", request_body = DepartmentSpec,
    security(("session" = [])), responses((status = 201, body = Department,
        description = "The department is created")))]
async fn create_department(
    State(state): State<AppState>,
    caller: Caller,
    Body(spec): Body<DepartmentSpec>,
) -> Result<(StatusCode, Json<Department>), ApiError> {
    caller.require(Role::CentreAdmin)?;
    department_problems(None, &spec)?;
    let region = centre_region(&state).await?;
    state
        .store
        .create_department(&spec, &region)
        .await
        .map_err(|e| taken("code", &spec.code, e))?;
    state
        .audit(caller.id(), "department_created", &json!(spec))
        .await?;
    let org = state.store.organisation().await?;
    Ok((StatusCode::CREATED, Json(department_of(org, &spec.code)?)))
}

/// Updates a department (centre admin only); the body's code must be the path's.
#[utoipa::path(put, path = "/departments/{code}", tag = "organisation",
    params(("code" = String, Path, description = "Department code")),
    request_body = DepartmentSpec, security(("session" = [])),
    responses((status = 200, body = Department, description = "The department as updated")))]
async fn update_department(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    Body(spec): Body<DepartmentSpec>,
) -> Result<Json<Department>, ApiError> {
    caller.require(Role::CentreAdmin)?;
    // The department must be there before its new particulars are judged.
    department_of(state.store.organisation().await?, &code)?;
    department_problems(Some(&code), &spec)?;
    state
        .store
        .update_department(&spec)
        .await
        .map_err(missing("部门", "Department"))?;
    state
        .audit(caller.id(), "department_updated", &json!(spec))
        .await?;
    Ok(Json(department_of(
        state.store.organisation().await?,
        &code,
    )?))
}

/// Every problem of a window to be saved under `code`: the domain's rules, the code in the path,
/// and the hall and department it names.
async fn window_problems(
    state: &AppState,
    code: Option<&str>,
    spec: &WindowSpec,
) -> Result<Organisation, ApiError> {
    let mut errors: Vec<FieldError> = spec.problems().iter().map(FieldError::from).collect();
    errors.extend(code.and_then(|c| code_in_path(c, &spec.code)));
    let org = state.store.organisation().await?;
    if !spec.hall.trim().is_empty() && !org.halls.iter().any(|h| h.code == spec.hall) {
        errors.push(unknown("hall", "大厅", "hall", &spec.hall));
    }
    if let Some(d) = &spec.department
        && !org.departments.iter().any(|x| &x.code == d)
    {
        errors.push(unknown("department", "部门", "department", d));
    }
    ApiError::unless_fields("invalid_window", errors)?;
    Ok(org)
}

async fn window_of(state: &AppState, code: &str) -> Result<Window, ApiError> {
    state
        .store
        .window(code)
        .await?
        .ok_or_else(|| ApiError::not_found("窗口", "Window"))
}

/// Creates a window in a hall (centre admin only).
#[utoipa::path(post, path = "/windows", tag = "organisation", request_body = WindowSpec,
    security(("session" = [])), responses((status = 201, body = Window,
        description = "The window is created")))]
async fn create_window(
    State(state): State<AppState>,
    caller: Caller,
    Body(spec): Body<WindowSpec>,
) -> Result<(StatusCode, Json<Window>), ApiError> {
    caller.require(Role::CentreAdmin)?;
    window_problems(&state, None, &spec).await?;
    state
        .store
        .create_window(&spec)
        .await
        .map_err(|e| taken("code", &spec.code, e))?;
    state
        .audit(caller.id(), "window_created", &json!(spec))
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(window_of(&state, &spec.code).await?),
    ))
}

/// Updates a window (centre admin only); the body's code must be the path's.
#[utoipa::path(put, path = "/windows/{code}", tag = "organisation",
    params(("code" = String, Path, description = "Window code")),
    request_body = WindowSpec, security(("session" = [])),
    responses((status = 200, body = Window, description = "The window as updated")))]
async fn update_window(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    Body(spec): Body<WindowSpec>,
) -> Result<Json<Window>, ApiError> {
    caller.require(Role::CentreAdmin)?;
    // The window must be there before its new particulars are judged.
    window_of(&state, &code).await?;
    window_problems(&state, Some(&code), &spec).await?;
    state.store.update_window(&spec).await?;
    state
        .audit(caller.id(), "window_updated", &json!(spec))
        .await?;
    Ok(Json(window_of(&state, &code).await?))
}

/// Whether an item's decision is delegated to the window (授权到窗口).
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemDelegation {
    delegated: bool,
}

/// Delegates an item's decision to the window, or takes it back (centre admin only). The
/// department's authorization rate (`GET /organisation/delegation`) follows.
#[utoipa::path(put, path = "/items/{code}/delegation", tag = "organisation",
    params(("code" = String, Path, description = "Implementation code")),
    request_body = ItemDelegation, security(("session" = [])),
    responses((status = 200, body = ItemDelegation, description = "The item's delegation is set")))]
async fn update_item_delegation(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    Body(req): Body<ItemDelegation>,
) -> Result<Json<ItemDelegation>, ApiError> {
    caller.require(Role::CentreAdmin)?;
    state
        .store
        .set_item_delegated(&code, req.delegated)
        .await
        .map_err(missing("事项", "Item"))?;
    state
        .audit(
            caller.id(),
            "item_delegation_updated",
            &json!({ "code": code, "delegated": req.delegated }),
        )
        .await?;
    Ok(Json(req))
}

//! The windows that accept an item (`window_items`). A centre admin chooses them among the windows
//! the domain's rule allows (`catalogue::windows`); the public guide lists them as where to go,
//! and a clerk may accept the item only at one of them.

use axum::Json;
use axum::extract::{Path, State};
use onewindow_domain::catalogue::ItemDefinition;
use onewindow_domain::catalogue::windows::{ItemProfile, WindowProfile, WindowRefusal, may_accept};
use onewindow_domain::organisation::{Role, SiteKind, Theme, WindowKind};
use onewindow_store::{Organisation, StoreError, Window};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::problem::{ApiError, Body, FieldError};
use crate::session::Caller;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_item_windows, update_item_windows))
}

/// Where a window is: what the guide tells the applicant.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WindowPlace {
    code: String,
    name: String,
    #[schema(value_type = WindowKind)]
    kind: String,
    hall_name: String,
    floor: String,
    site_name: String,
    address: String,
}

/// Why a window may not accept an item.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Refusal {
    code: String,
    message_zh: String,
    message_en: String,
}

impl From<WindowRefusal> for Refusal {
    fn from(r: WindowRefusal) -> Refusal {
        Refusal {
            code: r.code().to_owned(),
            message_zh: r.message_zh().to_owned(),
            message_en: r.to_string(),
        }
    }
}

/// A window of the organisation, whether it accepts the item, and why it may not if so.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ItemWindow {
    #[serde(flatten)]
    place: WindowPlace,
    accepts: bool,
    /// Why the rule keeps this window from accepting the item; none when it may.
    refusal: Option<Refusal>,
}

/// The windows that are to accept an item, replacing the ones that do now.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemWindows {
    /// Window codes, e.g. `["A01", "E01"]`; empty to take the item from every window.
    windows: Vec<String>,
}

/// How the organisation places each of its windows, for the acceptance rule, in its order. A
/// kind, theme or site the domain does not know is a corrupt organisation.
fn profiles(org: &Organisation) -> Result<Vec<WindowProfile>, StoreError> {
    fn parse<T: serde::de::DeserializeOwned>(what: &'static str, s: &str) -> Result<T, StoreError> {
        serde_json::from_value(serde_json::Value::String(s.to_owned())).map_err(|e| {
            StoreError::Corrupt {
                what,
                detail: format!("{s}: {e}"),
            }
        })
    }
    org.windows
        .iter()
        .map(|w| {
            let site = org
                .halls
                .iter()
                .find(|h| h.code == w.hall)
                .and_then(|h| org.sites.iter().find(|s| s.code == h.site))
                .map_or("", |s| s.kind.as_str());
            Ok(WindowProfile {
                kind: parse::<WindowKind>("window kind", &w.kind)?,
                theme: w
                    .theme
                    .as_deref()
                    .map(|t| parse::<Theme>("window theme", t))
                    .transpose()?,
                department: w.department.clone(),
                site: parse::<SiteKind>("site kind", site)?,
            })
        })
        .collect()
}

/// Whether each window of the organisation may accept the item `def`, or why not, in its order.
fn rule(
    org: &Organisation,
    def: &ItemDefinition,
) -> Result<Vec<Result<(), WindowRefusal>>, StoreError> {
    let via_comprehensive_service = org
        .departments
        .iter()
        .any(|d| d.code == def.department && d.via_comprehensive_service);
    let item = ItemProfile {
        definition: def,
        via_comprehensive_service,
    };
    Ok(profiles(org)?.iter().map(|p| may_accept(p, item)).collect())
}

/// Every window of the organisation that may accept `def`: where the demo centre lets it be accepted.
pub(crate) fn allowed_windows(
    org: &Organisation,
    def: &ItemDefinition,
) -> Result<Vec<String>, StoreError> {
    Ok(org
        .windows
        .iter()
        .zip(rule(org, def)?)
        .filter(|(_, r)| r.is_ok())
        .map(|(w, _)| w.code.clone())
        .collect())
}

fn place(org: &Organisation, w: &Window) -> WindowPlace {
    let hall = org.halls.iter().find(|h| h.code == w.hall);
    let site = hall.and_then(|h| org.sites.iter().find(|s| s.code == h.site));
    WindowPlace {
        code: w.code.clone(),
        name: w.name.clone(),
        kind: w.kind.clone(),
        hall_name: hall.map_or_else(String::new, |h| h.name.clone()),
        floor: hall.map_or_else(String::new, |h| h.floor.clone()),
        site_name: site.map_or_else(String::new, |s| s.name.clone()),
        address: site.map_or_else(String::new, |s| s.address.clone()),
    }
}

/// Where the windows that accept an item are, in the organisation's order (the guide's "where to go").
pub(crate) fn places(org: &Organisation, codes: &[String]) -> Vec<WindowPlace> {
    org.windows
        .iter()
        .filter(|w| codes.contains(&w.code))
        .map(|w| place(org, w))
        .collect()
}

/// The item's current definition; 404 for an item never published.
async fn current(state: &AppState, code: &str) -> Result<ItemDefinition, ApiError> {
    match state.store.item(code, None).await {
        Ok((_, def)) => Ok(def),
        Err(StoreError::NotFound) => Err(ApiError::not_found("事项", "Item")),
        Err(e) => Err(e.into()),
    }
}

async fn item_windows(
    state: &AppState,
    org: &Organisation,
    code: &str,
    def: &ItemDefinition,
) -> Result<Vec<ItemWindow>, ApiError> {
    let accepting = state.store.item_windows(code).await?;
    Ok(org
        .windows
        .iter()
        .zip(rule(org, def)?)
        .map(|(w, r)| ItemWindow {
            place: place(org, w),
            accepts: accepting.contains(&w.code),
            refusal: r.err().map(Refusal::from),
        })
        .collect())
}

/// Every window of the centre, whether it accepts the item and, where the rule forbids it, why
/// (centre admin only).
#[utoipa::path(get, path = "/items/{code}/windows", tag = "catalogue",
    params(("code" = String, Path, description = "Implementation code")),
    security(("session" = [])), responses((status = 200, body = Vec<ItemWindow>,
        description = "Every window: whether it accepts the item, or why the rule forbids it")))]
async fn list_item_windows(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> Result<Json<Vec<ItemWindow>>, ApiError> {
    caller.require(Role::CentreAdmin)?;
    let def = current(&state, &code).await?;
    let org = state.store.organisation().await?;
    Ok(Json(item_windows(&state, &org, &code, &def).await?))
}

/// Sets the windows that accept a published item (centre admin only). Each window must exist, be
/// named once and be one the rule allows for the item's current version; every problem is
/// answered at once, per window (`windows[1]`), and nothing changes.
#[utoipa::path(put, path = "/items/{code}/windows", tag = "catalogue",
    params(("code" = String, Path, description = "Implementation code")),
    request_body = ItemWindows, security(("session" = [])),
    responses((status = 200, body = Vec<ItemWindow>,
        description = "The windows are set; every window as it now stands for the item")))]
async fn update_item_windows(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    Body(body): Body<ItemWindows>,
) -> Result<Json<Vec<ItemWindow>>, ApiError> {
    caller.require(Role::CentreAdmin)?;
    let def = current(&state, &code).await?;
    let org = state.store.organisation().await?;
    let rules = rule(&org, &def)?;
    let mut errors = Vec::new();
    for (i, wanted) in body.windows.iter().enumerate() {
        let field = format!("windows[{i}]");
        let error = |code: &str, zh: String, en: String| FieldError {
            field: field.clone(),
            code: code.to_owned(),
            message_zh: zh,
            message_en: en,
        };
        let Some(at) = org.windows.iter().position(|w| &w.code == wanted) else {
            errors.push(error(
                "unknown_window",
                format!("窗口 {wanted} 不存在"),
                format!("unknown window {wanted}"),
            ));
            continue;
        };
        if body.windows[..i].contains(wanted) {
            errors.push(error(
                "duplicate_window",
                format!("窗口 {wanted} 重复"),
                format!("window {wanted} is named twice"),
            ));
        } else if let Err(r) = rules[at] {
            errors.push(error(
                r.code(),
                format!("窗口 {wanted}：{}", r.message_zh()),
                format!("window {wanted}: {r}"),
            ));
        }
    }
    if !errors.is_empty() {
        let n = errors.len();
        return Err(ApiError::invalid_fields(
            "invalid_item_windows",
            format!("受理窗口有 {n} 处需要修改"),
            format!("The accepting windows have {n} problem(s)"),
            errors,
        ));
    }
    let before = state.store.item_windows(&code).await?;
    state.store.set_item_windows(&code, &body.windows).await?;
    state
        .audit(
            caller.id(),
            "item_windows_updated",
            &json!({ "code": code, "before": before, "after": body.windows }),
        )
        .await?;
    Ok(Json(item_windows(&state, &org, &code, &def).await?))
}

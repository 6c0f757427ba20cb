//! The organisation (C1), the delegation figures per department, and the public staff board.

use axum::Json;
use onewindow_domain::organisation::{DelegationRate, Role};
use onewindow_store::Organisation;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::problem::ApiError;
use crate::reads::Reads;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_organisation))
        .routes(routes!(list_delegation))
        .routes(routes!(list_public_staff))
}

/// Regions, sites, halls, departments and windows.
#[utoipa::path(get, path = "/organisation", tag = "organisation",
    responses((status = 200, body = Organisation,
        description = "The centre's regions, sites, halls, departments and windows")))]
async fn get_organisation(Reads(store): Reads) -> Result<Json<Organisation>, ApiError> {
    Ok(Json(store.organisation().await?))
}

/// How far a department has delegated decisions to the hall (授权率) and how many it decides there.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Delegation {
    department: String,
    items_in_hall: i64,
    items_delegated: i64,
    /// Items delegated / items in the hall, 0..=1.
    authorization_rate: f64,
    decided_at_window: i64,
    decided_total: i64,
    /// Cases decided at the window / cases decided, 0..=1.
    decided_at_window_share: f64,
}

/// The delegation figures of every department.
#[utoipa::path(get, path = "/organisation/delegation", tag = "organisation",
    responses((status = 200, body = Vec<Delegation>,
        description = "Every department's delegation figures")))]
async fn list_delegation(Reads(store): Reads) -> Result<Json<Vec<Delegation>>, ApiError> {
    let figures = store.delegation().await?;
    Ok(Json(
        figures
            .into_iter()
            .map(|f| {
                let rate = DelegationRate {
                    items_in_hall: f.items_in_hall as u32,
                    items_delegated: f.items_delegated as u32,
                    decided_at_window: f.decided_at_window as u64,
                    decided_total: f.decided_total as u64,
                };
                Delegation {
                    department: f.department,
                    items_in_hall: f.items_in_hall,
                    items_delegated: f.items_delegated,
                    authorization_rate: rate.authorization_rate(),
                    decided_at_window: f.decided_at_window,
                    decided_total: f.decided_total,
                    decided_at_window_share: rate.decided_at_window_share(),
                }
            })
            .collect(),
    ))
}

/// One person on the public board (监督栏): what the public may know of them.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PublicStaff {
    name: String,
    /// Staff number (工号), by which a citizen names them to the supervision line.
    staff_number: String,
    title: String,
    department: Option<String>,
    window: Option<String>,
    roles: Vec<Role>,
}

/// The staff public board: name, unit and window of every public staff member.
#[utoipa::path(get, path = "/staff/public", tag = "organisation",
    responses((status = 200, body = Vec<PublicStaff>,
        description = "Every public staff member: name, staff number, title, unit and window")))]
async fn list_public_staff(Reads(store): Reads) -> Result<Json<Vec<PublicStaff>>, ApiError> {
    let staff = store.public_staff().await?;
    Ok(Json(
        staff
            .into_iter()
            .map(|s| PublicStaff {
                name: s.name,
                staff_number: s.staff_number,
                title: s.title,
                department: s.department,
                window: s.window,
                roles: s.roles,
            })
            .collect(),
    ))
}

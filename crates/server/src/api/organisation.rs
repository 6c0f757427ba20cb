//! The organisation (C1), the delegation figures per department, and the public staff board.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use onewindow_store::{DelegationFigures, Organisation};
use serde_json::{Value, json};

use crate::problem::ApiError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/organisation", get(get_organisation))
        .route("/organisation/delegation", get(get_delegation))
        .route("/staff/public", get(list_public_staff))
}

async fn get_organisation(State(state): State<AppState>) -> Result<Json<Organisation>, ApiError> {
    Ok(Json(state.store.organisation().await?))
}

async fn get_delegation(State(state): State<AppState>) -> Result<Json<Vec<Value>>, ApiError> {
    let figures: Vec<DelegationFigures> = state.store.delegation().await?;
    Ok(Json(
        figures
            .into_iter()
            .map(|f| {
                let rate = onewindow_domain::organisation::DelegationRate {
                    items_in_hall: f.items_in_hall as u32,
                    items_delegated: f.items_delegated as u32,
                    decided_at_window: f.decided_at_window as u64,
                    decided_total: f.decided_total as u64,
                };
                json!({
                    "department": f.department,
                    "items_in_hall": f.items_in_hall,
                    "items_delegated": f.items_delegated,
                    "authorization_rate": rate.authorization_rate(),
                    "decided_at_window": f.decided_at_window,
                    "decided_total": f.decided_total,
                    "decided_at_window_share": rate.decided_at_window_share(),
                })
            })
            .collect(),
    ))
}

/// 监督栏: photo, name, unit and window of every public staff member.
async fn list_public_staff(State(state): State<AppState>) -> Result<Json<Vec<Value>>, ApiError> {
    let staff = state.store.public_staff().await?;
    Ok(Json(
        staff
            .into_iter()
            .map(|s| json!({ "name": s.name, "title": s.title, "department": s.department, "window": s.window, "roles": s.roles }))
            .collect(),
    ))
}

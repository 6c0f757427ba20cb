//! JSON API under `/api/v1` (docs/API-DESIGN.md). Each module owns its routes.

pub(crate) mod auth;
mod calendar;
mod cases;
mod catalogue;
mod health;
mod organisation;

use axum::Router;

use crate::problem::ApiError;
use crate::state::AppState;

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .merge(auth::router())
        .merge(catalogue::router())
        .merge(organisation::router())
        .merge(cases::router())
        .merge(calendar::router());
    Router::new()
        .merge(health::router())
        .nest("/api/v1", api)
        .fallback(|| async { ApiError::not_found("资源", "Resource") })
        .with_state(state)
}
pub(crate) use auth::hash_password;

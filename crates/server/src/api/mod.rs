//! JSON API under `/api/v1` (docs/API-DESIGN.md). Each module owns its routes and describes
//! them for the OpenAPI document.

mod account;
mod applicants;
mod assignments;
mod audit;
pub(crate) mod auth;
mod calendar;
mod cases;
mod catalogue;
mod catalogue_admin;
pub(crate) mod catalogue_windows;
mod documents;
mod health;
mod materials;
pub mod openapi;
mod opening_hours;
mod organisation;
mod organisation_admin;
mod staff_admin;
mod statistics;

use axum::Router;
use axum::routing::get;
use utoipa_axum::router::OpenApiRouter;

use crate::problem::ApiError;
use crate::state::AppState;

/// Every route together with its description.
fn routes() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let api = OpenApiRouter::new()
        .merge(auth::router())
        .merge(account::router())
        .merge(catalogue::router())
        .merge(catalogue_admin::router())
        .merge(catalogue_windows::router())
        .merge(applicants::router())
        .merge(organisation::router())
        .merge(organisation_admin::router())
        .merge(staff_admin::router())
        .merge(cases::router())
        .merge(assignments::router())
        .merge(calendar::router())
        .merge(opening_hours::router())
        .merge(documents::router())
        .merge(materials::router())
        .merge(statistics::router())
        .merge(audit::router());
    let (router, doc) = OpenApiRouter::with_openapi(openapi::base())
        .merge(health::router())
        .nest("/api/v1", api)
        .split_for_parts();
    (router, openapi::with_problems(doc))
}

/// The OpenAPI document of every route, as `/api/openapi.json` serves it.
pub fn document() -> utoipa::openapi::OpenApi {
    routes().1
}

pub fn router(state: AppState) -> Router {
    let (routes, doc) = routes();
    let json = doc.to_pretty_json().expect("the document serializes");
    routes
        .route(
            "/api/openapi.json",
            get(move || async move { ([("content-type", "application/json")], json) }),
        )
        .fallback(crate::web::serve)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::deadline::bound,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::timing::server_timing,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::client::remember,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::security::guard,
        ))
        .with_state(state)
}
pub(crate) use auth::hash_password;

/// The district the centre serves: its calendar counts the centre's deadlines, its code begins
/// the case numbers, and new items belong to it.
async fn centre_region(state: &AppState) -> Result<String, ApiError> {
    state.centre_region().await?.ok_or_else(ApiError::internal)
}

/// [`centre_region`] as a region code, for the rules on what the centre administers.
async fn centre_district(
    state: &AppState,
) -> Result<onewindow_domain::identity::RegionCode, ApiError> {
    onewindow_domain::identity::RegionCode::parse(&centre_region(state).await?)
        .map_err(|_| ApiError::internal())
}

//! Liveness, readiness and metrics for the operator.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use onewindow_store::crypto::digest_hex;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::client::ClientAddr;
use crate::problem::ApiError;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_health))
        .routes(routes!(get_readiness))
        .routes(routes!(get_metrics))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok` (alive) or `ready` (the database answers).
    status: &'static str,
}

/// The process is alive.
#[utoipa::path(get, path = "/healthz", tag = "health",
    responses((status = 200, body = Health, description = "The process is alive (`ok`)")))]
async fn get_health() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// The process can serve: its database answers.
#[utoipa::path(get, path = "/readyz", tag = "health",
    responses((status = 200, body = Health, description = "The database answers (`ready`)")))]
async fn get_readiness(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    state.store.ping().await.map_err(|_| {
        ApiError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "database_unavailable",
            "数据库暂不可用",
            "The database is not reachable",
        )
    })?;
    Ok(Json(Health { status: "ready" }))
}

/// Prometheus' text format (crate::metrics). Only the machine itself may scrape, or a scraper
/// showing `Authorization: Bearer` with the server's `--metrics-token`.
#[utoipa::path(get, path = "/metrics", tag = "health",
    responses((status = 200, content_type = "text/plain; version=0.0.4", body = String,
        description = "The metrics")))]
async fn get_metrics(
    State(state): State<AppState>,
    client: ClientAddr,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let shown = headers
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "));
    let allowed = match (&state.metrics_token, shown) {
        // Digests compared, so the time taken tells nothing of the token.
        (Some(token), Some(shown)) => digest_hex(token) == digest_hex(shown),
        (Some(_), None) => false,
        (None, _) => client.0.is_loopback(),
    };
    if !allowed {
        return Err(ApiError::forbidden());
    }
    let text = state.metrics.render(&state.store).await?;
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response())
}

//! A bound on the time of every API read: a GET that has not answered within the server's read
//! timeout (`--read-timeout`) is given up, its database work dropped with it, and answered 503
//! `request_timeout`, so that no query holds a connection for ever while the hall waits. Writes
//! are not bounded here: once sent to the writer a write commits, and answering it as failed
//! would invite a second.

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::problem::ApiError;
use crate::state::AppState;

pub async fn bound(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let read = matches!(*request.method(), Method::GET | Method::HEAD)
        && request.uri().path().starts_with("/api/");
    if !read {
        return next.run(request).await;
    }
    match tokio::time::timeout(state.read_timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            let seconds = state.read_timeout.as_secs();
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "request_timeout",
                format!("查询在 {seconds} 秒内未完成，请稍后再试"),
                format!("The query did not finish within {seconds} seconds; try again later"),
            )
            .into_response()
        }
    }
}

//! The web app (web/, built into web/dist): embedded in a release binary, read from disk in a
//! debug build. Every path that is not the API and not a file is the single-page app's route.

use axum::http::{Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use crate::problem::ApiError;

#[derive(rust_embed::Embed)]
#[folder = "../../web/dist"]
#[allow_missing = true]
struct Files;

pub async fn serve(method: Method, uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    if path.starts_with("api/") || !matches!(method, Method::GET | Method::HEAD) {
        return ApiError::not_found("资源", "Resource").into_response();
    }
    if let Some(file) = Files::get(path).filter(|_| !path.is_empty()) {
        // Vite names every asset by its content hash, so an asset never changes.
        let cache = if path.starts_with("assets/") {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        return (
            [
                (header::CONTENT_TYPE, file.metadata.mimetype().to_owned()),
                (header::CACHE_CONTROL, cache.to_owned()),
            ],
            file.data,
        )
            .into_response();
    }
    match Files::get("index.html") {
        Some(index) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            index.data,
        )
            .into_response(),
        None => ApiError::new(
            StatusCode::NOT_FOUND,
            "web_app_not_built",
            "网页应用尚未构建：请运行 make web 后重新构建服务器",
            "The web app is not built: run `make web`, then rebuild the server",
        )
        .into_response(),
    }
}

//! What every answer carries for the browser, and the check that refuses a state-changing request
//! sent from another site's page (ADR 0032).

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::problem::ApiError;
use crate::state::AppState;

/// The web app's policy: its own scripts only (Vite emits no inline script), styles inline too
/// (Element Plus sets them), images from itself and from data and blob URLs (QR codes, previews).
const APP_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/// Data (JSON, images) is never a document that loads anything.
const DATA_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";
/// A PDF is shown by the browser's own viewer, which a stricter policy would stop; nosniff keeps
/// a file that only claims to be a PDF from being read as anything else.
const PDF_POLICY: &str = "frame-ancestors 'none'";

/// The longest path and query taken: far beyond any link of the app, far below what would cost.
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// Adds the security headers to every answer; refuses a request whose path and query are longer
/// than [`MAX_URI_BYTES`], and a state-changing request whose `Origin` is neither the request's
/// own host nor the public URL.
pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let uri_bytes = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if uri_bytes > MAX_URI_BYTES {
        return with_headers(uri_too_long().into_response());
    }
    if changes_state(req.method()) && !same_origin(req.headers(), &state.public_url.origin()) {
        return with_headers(cross_origin().into_response());
    }
    with_headers(next.run(req).await)
}

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether a request came from the centre's own pages. A browser names the page's origin in
/// `Origin` on every state-changing request; a request without one is no browser's, and
/// carries no one's cookie by surprise.
fn same_origin(headers: &HeaderMap, public_origin: &str) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        return true;
    };
    if origin == public_origin {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let authority = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"));
    matches!((authority, host), (Some(a), Some(h)) if a.eq_ignore_ascii_case(h))
}

fn cross_origin() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::FORBIDDEN,
        "cross_origin",
        "请求来自其他网站，已拒绝",
        "The request came from another site's page and was refused",
    )
}

fn uri_too_long() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::URI_TOO_LONG,
        "uri_too_long",
        format!("请求地址过长（不能超过 {MAX_URI_BYTES} 字节）"),
        format!("The request's path and query are longer than {MAX_URI_BYTES} bytes"),
    )
}

fn with_headers(mut res: Response) -> Response {
    let policy = match res
        .headers()
        .get(header::CONTENT_TYPE)
        .map(HeaderValue::as_bytes)
    {
        Some(t) if t.starts_with(b"text/html") => APP_POLICY,
        Some(t) if t.starts_with(b"application/pdf") => PDF_POLICY,
        _ => DATA_POLICY,
    };
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(policy),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(origin: Option<&str>, host: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, host.parse().unwrap());
        if let Some(o) = origin {
            h.insert(header::ORIGIN, o.parse().unwrap());
        }
        h
    }

    #[test]
    fn only_the_centres_own_pages_may_change_anything() {
        let public = "https://zwfw.example.gov.cn";
        // Behind the proxy: the browser's origin is the public URL, the host is the backend's.
        assert!(same_origin(
            &headers(Some(public), "127.0.0.1:8080"),
            public
        ));
        // Reached directly.
        assert!(same_origin(
            &headers(Some("http://127.0.0.1:8080"), "127.0.0.1:8080"),
            public
        ));
        assert!(same_origin(&headers(None, "127.0.0.1:8080"), public));
        for other in [
            "https://evil.example",
            "http://127.0.0.1:8081",
            "null",
            "https://zwfw.example.gov.cn.evil.example",
        ] {
            assert!(
                !same_origin(&headers(Some(other), "127.0.0.1:8080"), public),
                "{other}"
            );
        }
    }
}

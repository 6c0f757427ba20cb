//! Every answer says where its time went: a `Server-Timing` header (W3C Server Timing) with the
//! store's phases (`onewindow_store::timing`) and the whole, in milliseconds, which browsers'
//! developer tools and the bench read; a request slower than [`SLOW`] is also logged with them.
//! Each request also gets an id (`X-Request-Id`) and one access-log line (target
//! `onewindow::access`, level info): its route as declared (never a case number), status,
//! duration and id; and it is counted in the metrics.

use std::fmt::Write;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use onewindow_store::timing::{Spent, measure};

use crate::state::AppState;

/// A request slower than this is logged with its phases.
const SLOW: Duration = Duration::from_millis(500);

pub async fn server_timing(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let declared = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("(no route)", MatchedPath::as_str);
    let route = format!("{} {declared}", request.method());
    let id = onewindow_store::crypto::random_hex(8);
    let (mut response, spent) = measure(next.run(request)).await;
    let total = started.elapsed();
    let header = header(&spent, total);
    let status = response.status().as_u16();
    let ms = total.as_secs_f64() * 1000.0;
    if total >= SLOW {
        tracing::warn!(%route, status, request_id = %id, timing = %header, "slow request");
    }
    tracing::info!(target: "onewindow::access", %route, status, ms, request_id = %id);
    state.metrics.request(&route, status, total);
    if let Ok(value) = HeaderValue::from_str(&header) {
        response.headers_mut().insert("server-timing", value);
    }
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// `db-connect;dur=0.012, …, total;dur=3.400`: the phases that took any time, then the whole.
fn header(spent: &Spent, total: Duration) -> String {
    let mut out = String::new();
    let phases = spent.phases().into_iter().filter(|(_, d)| !d.is_zero());
    for (name, d) in phases.chain([("total", total)]) {
        if !out.is_empty() {
            out.push_str(", ");
        }
        let _ = write!(out, "{name};dur={:.3}", d.as_secs_f64() * 1000.0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_names_the_phases_that_took_time_and_the_whole() {
        let spent = Spent {
            write_queue: Duration::from_micros(41_250),
            commit: Duration::from_millis(3),
            ..Spent::default()
        };
        assert_eq!(
            header(&spent, Duration::from_millis(50)),
            "write-queue;dur=41.250, commit;dur=3.000, total;dur=50.000"
        );
        assert_eq!(header(&Spent::default(), Duration::ZERO), "total;dur=0.000");
    }
}

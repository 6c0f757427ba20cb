//! Where a public read goes. With a replica (`--read-database`), a request without a session
//! reads from it: the portal's visitors, crawlers and screens see what was written a moment ago,
//! and their load leaves the primary. Anyone logged in may just have written what they read, so
//! they read from the primary.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use onewindow_store::Store;

use crate::AppState;
use crate::session::session_token;

/// The store a public read uses.
pub struct Reads(pub Store);

impl FromRequestParts<AppState> for Reads {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Reads(match session_token(parts) {
            Some(_) => state.store.clone(),
            None => state.store.stale(),
        }))
    }
}

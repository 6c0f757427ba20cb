//! The client's address: the connection's peer, or, when the peer is a trusted reverse proxy
//! (`--trusted-proxy`), the address that proxy appended last to `X-Forwarded-For`. A header
//! from anyone else is ignored: it is whatever the client wrote.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::problem::ApiError;
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

impl ClientAddr {
    /// The address of a request from its peer and headers, trusting `proxies` alone.
    pub fn of(peer: Option<IpAddr>, forwarded_for: Option<&str>, proxies: &[IpAddr]) -> Self {
        let peer = peer.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        if !proxies.contains(&peer) {
            return ClientAddr(peer);
        }
        let forwarded = forwarded_for
            .and_then(|h| h.rsplit(',').next())
            .and_then(|last| last.trim().parse().ok());
        ClientAddr(forwarded.unwrap_or(peer))
    }
}

tokio::task_local! {
    /// The address of the request being served, for the audit log's entries.
    static CURRENT: ClientAddr;
}

impl ClientAddr {
    fn of_parts(parts: &Parts, state: &AppState) -> ClientAddr {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|h| h.to_str().ok());
        ClientAddr::of(peer, forwarded, &state.trusted_proxies)
    }

    /// The address of the request this task serves, if it serves one.
    pub fn current() -> Option<ClientAddr> {
        CURRENT.try_with(|c| *c).ok()
    }
}

/// Serves the request with its client address known to [`ClientAddr::current`].
/// An address beyond its quota of API requests is answered 429 here, before any route.
pub async fn remember(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let client = ClientAddr::of_parts(&parts, &state);
    if parts.uri.path().starts_with("/api/")
        && let Err(refused) = state
            .rate_limits
            .check(crate::rate_limit::Limit::Any, client)
    {
        return refused.into_response();
    }
    CURRENT
        .scope(client, next.run(Request::from_parts(parts, body)))
        .await
}

impl std::fmt::Display for ClientAddr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(ClientAddr::of_parts(parts, state))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_trusted_proxy_may_name_the_client() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let client: IpAddr = "203.0.113.7".parse().unwrap();
        let header = Some("198.51.100.1, 203.0.113.7");
        assert_eq!(ClientAddr::of(Some(proxy), header, &[proxy]).0, client);
        // Anyone else's header is ignored, and so is a proxy's that names nothing.
        assert_eq!(ClientAddr::of(Some(client), header, &[proxy]).0, client);
        assert_eq!(ClientAddr::of(Some(proxy), Some("junk"), &[proxy]).0, proxy);
        assert_eq!(ClientAddr::of(Some(proxy), None, &[]).0, proxy);
    }
}

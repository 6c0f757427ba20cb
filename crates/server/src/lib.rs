//! The OneWindow server: HTTP API over the store, sessions, the CLI and the demo centre.

pub mod api;
mod backup;
pub mod changes;
pub mod cli;
pub mod client;
mod deadline;
pub mod documents;
mod messages;
pub mod metrics;
pub mod notifier;
pub mod problem;
pub mod public_url;
pub mod rate_limit;
mod reads;
pub mod security;
pub mod seed;
pub mod serve;
pub mod session;
pub mod setup;
pub mod state;
pub mod supervision;
mod timing;
mod web;

use onewindow_store::Store;

pub use state::AppState;

/// The application, ready to serve.
pub struct App {
    router: axum::Router,
    limits: serve::Limits,
}

impl App {
    pub async fn new(store: Store, key: &[u8]) -> Result<App, onewindow_store::StoreError> {
        Ok(App::from_state(AppState::new(store, key)))
    }

    pub fn from_state(state: AppState) -> App {
        App {
            router: api::router(state),
            limits: serve::Limits::default(),
        }
    }

    pub fn with_limits(self, limits: serve::Limits) -> App {
        App { limits, ..self }
    }

    /// Serves until the process is asked to stop (SIGTERM or SIGINT), then lets the requests in
    /// flight finish.
    pub async fn serve(self, listener: tokio::net::TcpListener) -> std::io::Result<()> {
        self.serve_until(listener, stop_signal()).await
    }

    /// Serves until `stop` completes, then lets the requests in flight finish.
    pub async fn serve_until(
        self,
        listener: tokio::net::TcpListener,
        stop: impl std::future::Future<Output = ()>,
    ) -> std::io::Result<()> {
        serve::serve(listener, self.router, self.limits, stop).await
    }
}

/// Completes when the process gets SIGTERM (systemd, docker stop) or SIGINT (Ctrl-C).
async fn stop_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).expect("SIGTERM can be handled");
    tokio::select! {
        _ = term.recv() => tracing::info!("SIGTERM: stopping"),
        _ = tokio::signal::ctrl_c() => tracing::info!("SIGINT: stopping"),
    }
}

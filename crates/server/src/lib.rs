//! The OneWindow server: HTTP API over the store, sessions, the CLI and the demo centre.

pub mod api;
pub mod cli;
pub mod documents;
mod messages;
pub mod notifier;
pub mod problem;
pub mod seed;
pub mod session;
pub mod state;
pub mod supervision;
mod timing;
mod web;

use onewindow_store::Store;

pub use state::AppState;

/// The application, ready to serve.
pub struct App {
    router: axum::Router,
}

impl App {
    pub async fn new(store: Store, key: &[u8]) -> Result<App, onewindow_store::StoreError> {
        Ok(App::from_state(AppState::new(store, key)))
    }

    pub fn from_state(state: AppState) -> App {
        App {
            router: api::router(state),
        }
    }

    pub async fn serve(self, listener: tokio::net::TcpListener) -> std::io::Result<()> {
        axum::serve(listener, self.router)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
    }
}

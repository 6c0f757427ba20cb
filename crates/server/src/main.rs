//! `onewindow`: serve, migrate, seed, verify. Everything lives in the library.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    onewindow_server::cli::run().await
}

//! `onewindow`: serve, migrate, seed, verify. Everything lives in the library.

// Strings are made on one thread (a request's, the volume generator's) and freed on another
// (the SQLite driver's worker); glibc's allocator spends a large share of a bulk load there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    onewindow_server::cli::run().await
}

//! Running the `onewindow` binary itself on a test database.

use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_onewindow");
/// PostgreSQL has no key file next to the database, so every run of the binary gets this one.
pub const DATA_KEY: &str = "test data key of the binary";

/// `onewindow --database DATABASE`, with the tests' data key and quiet logs.
pub fn command(database: &str) -> Command {
    let mut c = Command::new(BIN);
    c.args(["--database", database])
        .env_remove("DATABASE_URL")
        .env("ONEWINDOW_DATA_KEY", DATA_KEY)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null());
    c
}

/// Runs `onewindow ARGS` on `database` to its end.
pub fn onewindow(database: &str, args: &[&str]) -> Output {
    command(database)
        .args(args)
        .output()
        .expect("run onewindow")
}

/// The exit status and everything printed, for an assertion's message.
pub fn text(o: &Output) -> String {
    format!(
        "{}\n{}{}",
        o.status,
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

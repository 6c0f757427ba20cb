//! `onewindow backup` and `onewindow restore`: a consistent copy of a running centre's database,
//! and that copy put back into an empty database. SQLite copies itself (`VACUUM INTO`);
//! PostgreSQL's own `pg_dump` and `pg_restore` do the work, and their exit status is checked.
//! Neither copies the data key: it is kept apart from the backups (docs/OPERATIONS.md).

use std::path::{Path, PathBuf};
use std::process::Command;

use onewindow_store::Store;

type Failure = Box<dyn std::error::Error>;

/// The file of a `sqlite:` URL (`sqlite://path` or `sqlite:path`), without its options.
fn sqlite_path(database: &str) -> Option<PathBuf> {
    let path = database
        .strip_prefix("sqlite://")
        .or_else(|| database.strip_prefix("sqlite:"))?;
    Some(PathBuf::from(path.split('?').next().unwrap_or(path)))
}

/// A PostgreSQL URL without its password, and the password: the tools get it in `PGPASSWORD`,
/// as a command line is readable by every user of the machine (`ps`).
fn without_password(database: &str) -> (String, Option<String>) {
    match url::Url::parse(database) {
        Ok(mut url) if url.password().is_some() => {
            let password = url.password().map(|p| {
                percent_encoding::percent_decode_str(p)
                    .decode_utf8_lossy()
                    .into_owned()
            });
            // A URL that has a host takes the password off; one without a host keeps it in.
            if url.set_password(None).is_ok() {
                return (url.to_string(), password);
            }
            (database.to_owned(), None)
        }
        _ => (database.to_owned(), None),
    }
}

fn run(program: &str, args: &[&str], password: Option<&str>) -> Result<(), Failure> {
    let mut command = Command::new(program);
    command.args(args);
    if let Some(p) = password {
        command.env("PGPASSWORD", p);
    }
    let out = command.output().map_err(|e| {
        format!("{program} could not be run ({e}); install the PostgreSQL client tools")
    })?;
    if !out.status.success() {
        return Err(format!(
            "{program} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )
        .into());
    }
    Ok(())
}

/// Writes a consistent copy of the database `store` (at `database`) to `to`, a new file.
pub async fn backup(store: &Store, database: &str, to: &Path) -> Result<(), Failure> {
    if to.exists() {
        return Err(format!("{} exists already; back up into a new file", to.display()).into());
    }
    let to_text = to.to_string_lossy();
    if sqlite_path(database).is_some() {
        store.copy_into(to).await?;
    } else {
        let (database, password) = without_password(database);
        run(
            "pg_dump",
            &[
                "--format=custom",
                "--no-owner",
                "--file",
                &to_text,
                "--dbname",
                &database,
            ],
            password.as_deref(),
        )?;
        // A dump pg_restore cannot list is no backup.
        run("pg_restore", &["--list", &to_text], None)?;
    }
    let bytes = std::fs::metadata(to)?.len();
    println!(
        "backed up to {} ({:.1} MiB)",
        to.display(),
        bytes as f64 / 1_048_576.0
    );
    Ok(())
}

/// Restores the backup `from` into the database at `database`, which must hold nothing; then
/// migrates it to this version. Returns the restored store.
pub async fn restore(database: &str, from: &Path) -> Result<Store, Failure> {
    if !from.is_file() {
        return Err(format!("{} is not a backup file", from.display()).into());
    }
    let refuse = || format!("{database} holds data: a backup is restored into an empty database");
    match sqlite_path(database) {
        Some(path) => {
            if path.exists() {
                let existing = Store::connect(database).await?;
                let holds = existing.holds_data().await?;
                existing.close().await;
                if holds {
                    return Err(refuse().into());
                }
                for suffix in ["", "-wal", "-shm"] {
                    let file = PathBuf::from(format!("{}{suffix}", path.display()));
                    if file.exists() {
                        std::fs::remove_file(file)?;
                    }
                }
            }
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::copy(from, &path)?;
        }
        None => {
            let target = Store::connect(database).await?;
            let cleared = target.clear_empty_schema().await;
            target.close().await;
            cleared.map_err(|_| refuse())?;
            let from_text = from.to_string_lossy();
            let (database, password) = without_password(database);
            run(
                "pg_restore",
                &[
                    "--no-owner",
                    "--exit-on-error",
                    "--dbname",
                    &database,
                    &from_text,
                ],
                password.as_deref(),
            )?;
        }
    }
    let store = Store::connect(database).await?;
    store.migrate().await?;
    Ok(store)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_leaves_the_command_line() {
        let (url, password) = without_password("postgres://ow:s%40cret@db.example:5432/onewindow");
        assert_eq!(url, "postgres://ow@db.example:5432/onewindow");
        assert_eq!(password.as_deref(), Some("s@cret"));
        let socket = "postgres:///onewindow?host=/var/run/postgresql&user=onewindow";
        assert_eq!(without_password(socket), (socket.to_owned(), None));
    }
}

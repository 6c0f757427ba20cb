//! What `onewindow backup` and `restore` need of the database itself: whether it holds anything,
//! a consistent copy of a SQLite database taken while it is written, and an emptied PostgreSQL
//! schema for `pg_restore`. Running `pg_dump` and `pg_restore` is the server's (cli.rs).

use std::path::Path;

use sqlx::Connection;

use crate::{Engine, Result, Store};

impl Store {
    /// Every table of the database.
    pub(crate) async fn table_names(&self) -> Result<Vec<String>> {
        let tables = match self.engine {
            Engine::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            }
            Engine::Postgres => {
                "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
                 WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
            }
        };
        Ok(sqlx::query_scalar(tables)
            .fetch_all(&mut *self.read().await?)
            .await?)
    }

    /// Whether any table holds a row, aside from the database's records of itself (its
    /// migrations, its data key's fingerprint): a database a restore may fill holds nothing.
    pub async fn holds_data(&self) -> Result<bool> {
        let names = self.table_names().await?;
        let mut conn = self.read().await?;
        for table in names
            .iter()
            .filter(|t| !["schema_migrations", "settings"].contains(&t.as_str()))
        {
            // Table names come from the catalogue, not from a caller.
            let sql = format!("SELECT COUNT(*) FROM (SELECT 1 FROM \"{table}\" LIMIT 1) AS t");
            let rows: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_one(&mut *conn)
                .await?;
            if rows > 0 {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Writes a consistent copy of this SQLite database to `path` (which must not exist), read
    /// in one transaction while writes go on (`VACUUM INTO`), then checks the copy.
    pub async fn copy_into(&self, path: &Path) -> Result<()> {
        let target = path.to_string_lossy().replace('\'', "''");
        let mut conn = self.read().await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("VACUUM INTO '{target}'")))
            .execute(&mut *conn)
            .await?;
        drop(conn);
        let url = format!("sqlite://{}?mode=ro", path.display());
        let mut copy = sqlx::AnyConnection::connect(&url).await?;
        let check: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&mut copy)
            .await?;
        copy.close().await?;
        if check != "ok" {
            return Err(crate::StoreError::corrupt("backup copy", check));
        }
        Ok(())
    }

    /// Drops every table of an empty PostgreSQL database, so `pg_restore` finds none in its way.
    pub async fn clear_empty_schema(&self) -> Result<()> {
        if self.holds_data().await? {
            return Err(crate::StoreError::Conflict("database holds data".into()));
        }
        let mut conn = self.read().await?;
        sqlx::query("DROP SCHEMA public CASCADE")
            .execute(&mut *conn)
            .await?;
        sqlx::query("CREATE SCHEMA public")
            .execute(&mut *conn)
            .await?;
        Ok(())
    }
}

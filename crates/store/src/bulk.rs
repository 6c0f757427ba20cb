//! The bulk-load session that `onewindow seed volume` writes through.

use sqlx::{AnyConnection, Connection, Executor};

use crate::{Engine, Result, Store};

/// A session for loading a large amount of generated data into a database that holds none of
/// it yet (`onewindow seed volume`), on a connection of its own taken out of the pool and
/// closed at the end, so what it changes for speed never reaches the server's connections.
pub struct BulkLoad {
    conn: AnyConnection,
    engine: Engine,
    /// The secondary indexes of the loaded tables, dropped for the load and built again at the
    /// end: building an index once from sorted data is far cheaper than keeping it up to date
    /// through millions of inserts in random key order.
    /// (name, statement)
    indexes: Vec<(String, String)>,
    seal: Option<std::sync::Arc<crate::crypto::Seal>>,
}

/// The tables a case load fills.
const LOADED_TABLES: [&str; 3] = ["cases", "case_events", "case_files"];

impl Store {
    /// Starts a bulk load. The caller makes sure the data is generated and can be generated
    /// again: on SQLite the load's commits do not wait for the disk (`synchronous = OFF`), so a
    /// crash of the machine during the load may leave the file unusable; rerun the load.
    pub async fn begin_bulk_load(&self) -> Result<BulkLoad> {
        let mut conn = self.pool.acquire().await?.detach();
        let settings: &[&str] = match self.engine {
            // No fsync at each commit, a large page cache for the growing tables and indexes, and
            // sorting for CREATE INDEX in memory. The journal stays WAL: leaving it needs every
            // other connection closed, and WAL is what the server runs on.
            Engine::Sqlite => &[
                "PRAGMA synchronous = OFF",
                "PRAGMA cache_size = -262144",
                "PRAGMA temp_store = MEMORY",
                "PRAGMA wal_autocheckpoint = 65536",
            ],
            // Commits do not wait for the WAL flush; index builds get room to sort.
            Engine::Postgres => &[
                "SET synchronous_commit = off",
                "SET maintenance_work_mem = '256MB'",
            ],
        };
        for s in settings {
            conn.execute(*s).await?;
        }
        let listing = match self.engine {
            Engine::Sqlite => {
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $1 AND sql IS NOT NULL"
            }
            // Indexes that back a constraint (primary keys) stay.
            Engine::Postgres => {
                "SELECT CAST(indexname AS TEXT) AS name, indexdef AS sql FROM pg_indexes WHERE tablename = $1 AND indexname NOT IN (SELECT conname FROM pg_constraint)"
            }
        };
        let mut indexes = Vec::new();
        for table in LOADED_TABLES {
            let rows: Vec<(String, String)> = sqlx::query_as(listing)
                .bind(table)
                .fetch_all(&mut conn)
                .await?;
            for (name, sql) in rows {
                conn.execute(sqlx::AssertSqlSafe(format!("DROP INDEX {name}")))
                    .await?;
                indexes.push((name, sql));
            }
        }
        Ok(BulkLoad {
            conn,
            engine: self.engine,
            indexes,
            seal: self.seal.clone(),
        })
    }
}

impl BulkLoad {
    /// Stores the bytes of a file that imported histories' uploads name by its digest, once per
    /// district; a second time changes nothing.
    pub async fn import_blob(&mut self, region: &str, bytes: &[u8]) -> Result<()> {
        sqlx::query(
            "INSERT INTO file_blobs (region_code, digest, size, bytes) VALUES ($1, $2, $3, $4)
             ON CONFLICT (region_code, digest) DO NOTHING",
        )
        .bind(region)
        .bind(onewindow_domain::case::digest(bytes))
        .bind(bytes.len() as i64)
        .bind(bytes.to_vec())
        .execute(&mut self.conn)
        .await?;
        Ok(())
    }

    /// Writes prepared cases in one transaction.
    pub async fn import_cases(&mut self, batch: Vec<crate::PreparedCase>) -> Result<()> {
        let mut tx = self.conn.begin().await?;
        crate::cases::insert_prepared(&mut tx, self.engine, self.seal.as_deref(), batch).await?;
        tx.commit().await?;
        Ok(())
    }

    /// How many steps `finish` takes: each index, then the tidying.
    pub fn finishing_steps(&self) -> usize {
        self.indexes.len() + 1
    }

    /// Builds the dropped indexes again, then folds the load's log into the database file
    /// (SQLite) or vacuums and gathers planner statistics (PostgreSQL), naming each step to
    /// `step` as it starts (at ten million cases they take minutes); closes the connection.
    pub async fn finish(mut self, mut step: impl FnMut(&str)) -> Result<()> {
        for (name, sql) in &self.indexes {
            step(&format!("index {name}"));
            self.conn.execute(sqlx::AssertSqlSafe(sql.clone())).await?;
        }
        let (tidying, tidy) = match self.engine {
            Engine::Sqlite => (
                "folding the write-ahead log",
                "PRAGMA wal_checkpoint(TRUNCATE)",
            ),
            // VACUUM as well as ANALYZE: it marks the loaded pages all-visible, without which
            // every index-only scan (an inbox's counts) visits the table for each row it counts.
            Engine::Postgres => (
                "vacuum and planner statistics",
                "VACUUM (ANALYZE) cases, case_events, case_counts",
            ),
        };
        step(tidying);
        if self.engine == Engine::Postgres {
            // The load added to every stripe of every count; nothing else writes yet.
            self.conn.execute(crate::statistics::FOLD_SQL).await?;
        }
        self.conn.execute(tidy).await?;
        self.conn.close().await?;
        Ok(())
    }
}

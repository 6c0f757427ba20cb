//! OneWindow's persistence. One schema and one set of queries serve SQLite and PostgreSQL
//! (docs/adr/0002-one-schema-two-engines.md): statements are portable SQL with `$N` placeholders,
//! run through sqlx's `Any` driver; dates are ISO text and instants integer milliseconds, so no
//! type is lost between engines. Every function returns domain types.

mod applicants;
mod audit;
mod auth;
mod backup;
mod bulk;
mod calendar;
mod cases;
mod catalogue;
mod census;
mod changes;
mod copy;
pub mod crypto;
mod import;
mod materials;
mod opening_hours;
mod organisation;
mod rekey;
mod settings;
mod sql;
mod statistics;
mod supervision;
#[cfg(feature = "testing")]
pub mod testing;
pub mod timing;
mod write;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

pub use applicants::{Applicant, ApplicantKind, Identity, NewApplicant};
pub use audit::{AuditEntry, AuditFilter, ChainReport};
pub use auth::{Subject, SubjectKind};
pub use bulk::BulkLoad;
pub use cases::{
    CaseRecord, CaseSummary, EventActor, EventRecord, HistoricalCase, NewCase, Page, PreparedCase,
    StatusCount,
};
pub use catalogue::{ItemDraft, ItemDraftSummary, ItemFilter, ItemSummary, ItemVersionInfo};
pub use changes::{Announcement, Announcements};
pub use copy::Value;
pub use import::Import;
pub use materials::{CaseFile, NewFile};
pub use opening_hours::HallHours;
pub use organisation::staff::{NewStaff, Staff};
pub use organisation::{DelegationFigures, Department, Hall, Organisation, Region, Site, Window};
pub use rekey::Rekeyed;
pub use statistics::CaseCount;
pub use supervision::{PassReport, PromiseMoved, RecomputeReport};

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, ConnectOptions, Connection, Executor};

/// The two engines OneWindow runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("already exists: {0}")]
    Conflict(String),
    #[error("the stored {what} is unreadable: {detail}")]
    Corrupt { what: &'static str, detail: String },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// The shared commit of a batch of writes failed; none of them was stored.
    #[error("the commit failed: {0}")]
    CommitFailed(String),
}

impl StoreError {
    fn corrupt(what: &'static str, detail: impl ToString) -> StoreError {
        StoreError::Corrupt {
            what,
            detail: detail.to_string(),
        }
    }
}

/// Maps a unique-constraint violation to `Conflict`, anything else through unchanged.
fn conflict_on_unique(e: impl Into<StoreError>, what: &str) -> StoreError {
    match e.into() {
        StoreError::Database(sqlx::Error::Database(db)) if db.is_unique_violation() => {
            StoreError::Conflict(what.to_owned())
        }
        other => other,
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// `NotFound` unless an update touched a row.
fn one_row(rows_affected: u64) -> Result<()> {
    if rows_affected == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

/// A statement of SQLite's writer that takes longer than this is logged.
const WRITER_STALL: Duration = Duration::from_millis(100);

/// How long a pooled PostgreSQL connection may sit idle and still be handed out untested: one
/// in steady use answered a moment ago.
const UNTESTED_IDLE: Duration = Duration::from_secs(1);

const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "init", include_str!("../migrations/0001_init.sql")),
    (
        2,
        "item_drafts",
        include_str!("../migrations/0002_item_drafts.sql"),
    ),
    (
        3,
        "material_files",
        include_str!("../migrations/0003_material_files.sql"),
    ),
    (
        4,
        "case_assignee",
        include_str!("../migrations/0004_case_assignee.sql"),
    ),
    (
        5,
        "staff_deactivation",
        include_str!("../migrations/0005_staff_deactivation.sql"),
    ),
    (
        6,
        "supervision",
        include_str!("../migrations/0006_supervision.sql"),
    ),
    (
        7,
        "inbox_order",
        include_str!("../migrations/0007_inbox_order.sql"),
    ),
    (
        8,
        "status_order",
        include_str!("../migrations/0008_status_order.sql"),
    ),
    (
        9,
        "count_stripes",
        include_str!("../migrations/0009_count_stripes.sql"),
    ),
    (
        10,
        "deadline_calendar",
        include_str!("../migrations/0010_deadline_calendar.sql"),
    ),
    (
        11,
        "waiting_order",
        include_str!("../migrations/0011_waiting_order.sql"),
    ),
    (
        12,
        "status_first",
        include_str!("../migrations/0012_status_first.sql"),
    ),
    (
        13,
        "whole_event_links",
        include_str!("../migrations/0013_whole_event_links.sql"),
    ),
    (
        14,
        "document_numbers",
        include_str!("../migrations/0014_document_numbers.sql"),
    ),
    (
        15,
        "applicant_accounts",
        include_str!("../migrations/0015_applicant_accounts.sql"),
    ),
    (
        16,
        "supervision_phone",
        include_str!("../migrations/0016_supervision_phone.sql"),
    ),
    (
        17,
        "item_keywords",
        include_str!("../migrations/0017_item_keywords.sql"),
    ),
    (
        18,
        "case_step_kind",
        include_str!("../migrations/0018_case_step_kind.sql"),
    ),
    (
        19,
        "code_counts",
        include_str!("../migrations/0019_code_counts.sql"),
    ),
    (
        20,
        "settings",
        include_str!("../migrations/0020_settings.sql"),
    ),
    (
        21,
        "login_throttle",
        include_str!("../migrations/0021_login_throttle.sql"),
    ),
    (
        22,
        "audit_filters",
        include_str!("../migrations/0022_audit_filters.sql"),
    ),
    (
        23,
        "session_idle",
        include_str!("../migrations/0023_session_idle.sql"),
    ),
    (
        24,
        "password_history",
        include_str!("../migrations/0024_password_history.sql"),
    ),
    (
        25,
        "chain_seals",
        include_str!("../migrations/0025_chain_seals.sql"),
    ),
    (
        26,
        "decision_counts",
        include_str!("../migrations/0026_decision_counts.sql"),
    ),
    (
        27,
        "opening_hours",
        include_str!("../migrations/0027_opening_hours.sql"),
    ),
];

/// The connections of a store at one moment.
#[derive(Debug, Clone, Copy)]
pub struct PoolStats {
    pub read_connections: u32,
    pub read_idle: usize,
    /// SQLite: its one writer; PostgreSQL: the writers' pool.
    pub write_connections: u32,
    pub write_idle: usize,
    /// SQLite: writes waiting for the writer.
    pub write_queue: usize,
}

/// Where writes go.
#[derive(Clone)]
enum Writer {
    /// SQLite's one writer, its commits shared (ADR 0021).
    Grouped(write::Committer),
    /// PostgreSQL's connections for writing, pooled apart from the reads': a commit waiting on
    /// the disk holds none that a read needs. In one shared pool, S5's polls waited 1.2 s for a
    /// connection while every one was held by a write whose commit the disk had stalled
    /// (`make bench`, 1,000,000 cases).
    Pooled(AnyPool),
}

/// A handle on the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    /// Connections for reading.
    pool: AnyPool,
    engine: Engine,
    writer: Writer,
    /// Case numbers this server reserved on PostgreSQL and has not handed out (cases/numbers.rs).
    reserved_numbers: Arc<cases::numbers::Reserved>,
    /// Working days before its due date a case turns yellow: every write keeps the case's light
    /// with it, and the supervision pass moves lights on by it.
    warn_days: u32,
    /// Seals every chain head and case state it writes (ADR 0037); a store without one writes
    /// none, and its heads are sealed when a server with the key first starts on it.
    seal: Option<Arc<crypto::Seal>>,
    /// Where it connected: a PostgreSQL listener opens a connection of its own.
    url: Arc<str>,
    /// Connections to a PostgreSQL streaming replica, for the reads [`Store::stale`] makes.
    replica: Option<AnyPool>,
}

/// Connections each PostgreSQL pool keeps by default: one for reads, one for writes, and one for
/// a replica's reads.
pub const DEFAULT_CONNECTIONS: u32 = 16;

impl Store {
    /// Connects to `sqlite://path` (created if missing) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Store> {
        Store::connect_sized(url, DEFAULT_CONNECTIONS).await
    }

    /// Connects with at most `connections` in each PostgreSQL pool (SQLite keeps its own sizes:
    /// one writer and a few readers of a file).
    pub async fn connect_sized(url: &str, connections: u32) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let engine = if url.starts_with("sqlite:") {
            Engine::Sqlite
        } else {
            Engine::Postgres
        };
        let url = connect_url(engine, url);
        let options = AnyConnectOptions::from_str(&url)?;
        let connections = connections.max(1);
        let pool = pool_options(
            engine,
            if engine == Engine::Sqlite {
                4
            } else {
                connections
            },
        )
        .connect_with(options.clone())
        .await?;
        let writer = match engine {
            Engine::Sqlite => {
                // Every write waits behind the writer's statement in progress, so a commit or
                // checkpoint that stalls it is worth a line in the log far below sqlx's second.
                let writer = options
                    .clone()
                    .log_slow_statements(log::LevelFilter::Warn, WRITER_STALL);
                let mut conn = AnyConnection::connect_with(&writer).await?;
                sqlite_settings(&mut conn).await?;
                // The writer checkpoints between batches (write.rs), not inside a commit. A WAL
                // grown under a burst is cut back to 64 MiB when it starts over.
                conn.execute("PRAGMA wal_autocheckpoint = 0").await?;
                conn.execute("PRAGMA journal_size_limit = 67108864").await?;
                let committer = write::committer(conn);
                let mut checkpointer = AnyConnection::connect_with(&options).await?;
                sqlite_settings(&mut checkpointer).await?;
                write::spawn_checkpoints(checkpointer, &committer);
                Writer::Grouped(committer)
            }
            Engine::Postgres => {
                Writer::Pooled(pool_options(engine, connections).connect_lazy_with(options))
            }
        };
        Ok(Store {
            pool,
            engine,
            writer,
            reserved_numbers: Arc::default(),
            warn_days: onewindow_domain::supervision::DEFAULT_WARN_DAYS,
            seal: None,
            url: Arc::from(url.as_str()),
            replica: None,
        })
    }

    /// This store, with a PostgreSQL streaming replica at `url` (`postgres://…`) for the reads
    /// that may be a moment old. Writes, and every read a write depends on, stay on the primary.
    pub async fn with_replica(mut self, url: &str) -> Result<Store> {
        let options = AnyConnectOptions::from_str(&connect_url(Engine::Postgres, url))?;
        let size = self.pool.options().get_max_connections();
        self.replica = Some(
            pool_options(Engine::Postgres, size)
                .connect_with(options)
                .await?,
        );
        Ok(self)
    }

    /// The store whose reads go to the replica, when there is one: for what anyone may read and
    /// no one needs to see the instant it is written (the public catalogue, guides, the
    /// organisation and its board). Its writes still go to the primary.
    pub fn stale(&self) -> Store {
        match &self.replica {
            Some(replica) => Store {
                pool: replica.clone(),
                ..self.clone()
            },
            None => self.clone(),
        }
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// This store, keeping lights with `days` working days of warning (yellow) before a due
    /// date instead of [`onewindow_domain::supervision::DEFAULT_WARN_DAYS`]. Lights stored with
    /// another warning are moved on by the next supervision pass.
    pub fn with_warn_days(mut self, days: u32) -> Store {
        self.warn_days = days;
        self
    }

    /// The store, sealing what it writes with `seal`.
    pub fn with_seal(mut self, seal: crypto::Seal) -> Store {
        self.seal = Some(Arc::new(seal));
        self
    }

    pub(crate) fn seal(&self) -> Option<&crypto::Seal> {
        self.seal.as_deref()
    }

    pub fn warn_days(&self) -> u32 {
        self.warn_days
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// How busy the database connections are, for the metrics.
    pub fn pool_stats(&self) -> PoolStats {
        let (write_connections, write_idle, write_queue) = match &self.writer {
            Writer::Grouped(committer) => (1, 0, committer.waiting()),
            Writer::Pooled(pool) => (pool.size(), pool.num_idle(), 0),
        };
        PoolStats {
            read_connections: self.pool.size(),
            read_idle: self.pool.num_idle(),
            write_connections,
            write_idle,
            write_queue,
        }
    }

    /// Opens every pooled connection now. A server just started would otherwise open
    /// them inside its first requests: on PostgreSQL, a connection costs milliseconds, and S5's
    /// first half-minute after a restart waited up to 96 ms for one (`make bench-quick`).
    pub async fn open_pool(&self) -> Result<()> {
        let writers = match &self.writer {
            Writer::Pooled(writers) => Some(writers),
            Writer::Grouped(_) => None,
        };
        for pool in std::iter::once(&self.pool)
            .chain(writers)
            .chain(&self.replica)
        {
            let mut opened = Vec::new();
            for _ in 0..pool.options().get_max_connections() {
                opened.push(pool.acquire().await?);
            }
        }
        Ok(())
    }

    /// Applies the migrations not yet applied, each in its own transaction. Returns how many ran.
    /// Processes that start together on one PostgreSQL database apply each migration once: each
    /// takes the migrations' advisory lock in the transaction that checks and applies it.
    pub async fn migrate(&self) -> Result<usize> {
        self.write(|tx| {
            Box::pin(async move {
                migration_turn(tx).await?;
                tx.execute(sqlx::query("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_ms BIGINT NOT NULL)"))
                    .await
            })
        })
        .await?;
        let mut applied = 0;
        for (version, name, sql) in MIGRATIONS {
            let ran = self
                .write(move |tx| {
                    Box::pin(async move {
                        migration_turn(tx).await?;
                        let done: Option<i64> = sqlx::query_scalar(
                            "SELECT version FROM schema_migrations WHERE version = $1",
                        )
                        .bind(*version)
                        .fetch_optional(tx.conn().await?)
                        .await?;
                        if done.is_some() {
                            return Ok(false);
                        }
                        for statement in split_statements(sql) {
                            tx.execute(sqlx::query(sqlx::AssertSqlSafe(statement))).await?;
                        }
                        tx.execute(
                            sqlx::query(
                                "INSERT INTO schema_migrations (version, name, applied_ms) VALUES ($1, $2, $3)",
                            )
                            .bind(*version)
                            .bind(*name)
                            .bind(now_ms()),
                        )
                        .await?;
                        Ok(true)
                    })
                })
                .await?;
            if ran {
                applied += 1;
            }
        }
        Ok(applied)
    }

    /// Whether the database, and its replica if it has one, answer (for `/readyz`).
    pub async fn ping(&self) -> Result<()> {
        for pool in std::iter::once(&self.pool).chain(&self.replica) {
            sqlx::query("SELECT 1").execute(pool).await?;
        }
        Ok(())
    }

    pub async fn close(&self) {
        self.flush().await;
        if let Writer::Pooled(writers) = &self.writer {
            writers.close().await;
        }
        self.pool.close().await;
        if let Some(replica) = &self.replica {
            replica.close().await;
        }
    }
}

/// The URL connected to: a SQLite file is created when missing, and PostgreSQL uses TLS only
/// when the URL asks for it (`sslmode=require`, `verify-full`): the driver's own default tries
/// it on every connection and reads the system's certificates each time, which slows every
/// connection a server opens at its start.
fn connect_url(engine: Engine, url: &str) -> String {
    let join = if url.contains('?') { '&' } else { '?' };
    match engine {
        Engine::Sqlite if !url.contains("mode=") && !url.contains(":memory:") => {
            format!("{url}{join}mode=rwc")
        }
        Engine::Postgres if !url.contains("sslmode=") => format!("{url}{join}sslmode=disable"),
        _ => url.to_owned(),
    }
}

/// A pool of up to `size` connections.
fn pool_options(engine: Engine, size: u32) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(size)
        .acquire_timeout(Duration::from_secs(10))
        // A ping before each read is one more round trip, paid on every read under load. A
        // SQLite file in this process is never closed behind the pool's back; PostgreSQL's
        // connections can die with its server, so there one that sat idle is tested first.
        .test_before_acquire(false)
        .before_acquire(move |conn, meta| {
            Box::pin(async move {
                if engine == Engine::Postgres && meta.idle_for >= UNTESTED_IDLE {
                    conn.ping().await?;
                }
                Ok(true)
            })
        })
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if engine == Engine::Sqlite {
                    sqlite_settings(conn).await?;
                }
                Ok(())
            })
        })
}

/// Every SQLite connection: concurrent readers (WAL), constraints enforced, and durable commits.
/// FULL syncs the WAL at every commit, so what was acknowledged survives a power loss; NORMAL
/// in WAL would survive a killed process (the OS still holds the writes; tests/crash.rs) but
/// could lose the last commits when the power goes, which the platform promises not to. Group
/// commit (write.rs) shares each sync between many writes. A writer waits for the write lock
/// (another process's) up to busy_timeout.
async fn sqlite_settings(conn: &mut AnyConnection) -> std::result::Result<(), sqlx::Error> {
    conn.execute("PRAGMA journal_mode = WAL").await?;
    conn.execute("PRAGMA synchronous = FULL").await?;
    conn.execute("PRAGMA foreign_keys = ON").await?;
    conn.execute("PRAGMA busy_timeout = 10000").await?;
    Ok(())
}

/// The key of the migrations' advisory lock on PostgreSQL ("ow-migr").
const MIGRATION_LOCK: i64 = 0x006f_772d_6d69_6772;

/// Waits for the migrations' turn: on PostgreSQL their advisory lock, for this transaction.
async fn migration_turn(tx: &mut write::Tx) -> Result<()> {
    if tx.engine() == Engine::Postgres {
        tx.execute(sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(MIGRATION_LOCK))
            .await?;
    }
    Ok(())
}

/// Splits a migration into statements, dropping `--` comment lines; our migrations keep `;` only at statement ends.
fn split_statements(sql: &str) -> Vec<String> {
    let code: Vec<&str> = sql
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .collect();
    code.join("\n")
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

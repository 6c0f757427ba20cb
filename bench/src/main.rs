//! `make bench` and `make bench-quick`: the scenarios of docs/PERFORMANCE.md on SQLite and on
//! PostgreSQL, each figure beside the limit measured on the same engine in the same run.
//!
//! For each engine: the limits (a minimal insert loop, and pgbench on PostgreSQL), then a fresh
//! database filled by `onewindow seed volume`, served by the release binary, and the scenarios
//! driven over HTTP. The report replaces the generated part of docs/PERFORMANCE.md.

mod limits;
mod load;
mod machine;
mod report;
mod scenarios;
mod server;
mod supervision;
mod tail;
mod waits;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{Parser, ValueEnum};
use sqlx::{Connection, Executor, PgConnection};

use report::{EngineRun, Run};
use scenarios::Crew;
use server::Binary;

#[derive(Parser)]
#[command(about = "Measures OneWindow against the hardware limit and writes docs/PERFORMANCE.md")]
struct Args {
    /// The short run of `make bench-quick`: small volumes, seconds per scenario.
    #[arg(long)]
    quick: bool,
    /// The engines to measure.
    #[arg(long, value_delimiter = ',', default_value = "sqlite,postgres")]
    engines: Vec<EngineName>,
    /// The server binary (a release build).
    #[arg(long, default_value = "target/release/onewindow")]
    bin: PathBuf,
    /// Where the SQLite databases and probe files go.
    #[arg(long, default_value = "data/bench")]
    dir: PathBuf,
    /// The PostgreSQL server; the bench creates and drops databases of its own there.
    #[arg(
        long,
        env = "BENCH_POSTGRES",
        default_value = "postgres://postgres@127.0.0.1:5432"
    )]
    postgres: String,
    /// The report to update.
    #[arg(long, default_value = "docs/PERFORMANCE.md")]
    report: PathBuf,
    /// Cases to seed before measuring (default: 20,000 quick, 1,000,000 otherwise).
    #[arg(long)]
    cases: Option<u64>,
    /// Submissions of S2 (default: 3,000 quick, 50,000 otherwise).
    #[arg(long)]
    submissions: Option<u64>,
    /// Seconds of each S1 phase (default: 8 quick, 30 otherwise).
    #[arg(long)]
    phase_seconds: Option<u64>,
    /// Seconds of the S5 soak (default: 20 quick, 180 otherwise).
    #[arg(long)]
    soak_seconds: Option<u64>,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum EngineName {
    Sqlite,
    Postgres,
}

/// How much of everything a run does.
struct Scale {
    name: &'static str,
    cases: u64,
    submissions: u64,
    phase: Duration,
    soak: Duration,
    limit: Duration,
    samples: u64,
    pgbench_scale: u32,
}

impl Args {
    fn scale(&self) -> Scale {
        let q = self.quick;
        let or = |given: Option<u64>, quick: u64, full: u64| {
            given.unwrap_or(if q { quick } else { full })
        };
        Scale {
            name: if q { "make bench-quick" } else { "make bench" },
            cases: or(self.cases, 20_000, 1_000_000),
            submissions: or(self.submissions, 3_000, 50_000),
            phase: Duration::from_secs(or(self.phase_seconds, 8, 30)),
            soak: Duration::from_secs(or(self.soak_seconds, 20, 180)),
            limit: Duration::from_secs(if q { 3 } else { 10 }),
            samples: if q { 400 } else { 4_000 },
            pgbench_scale: if q { 1 } else { 10 },
        }
    }
}

/// Staff polling their inboxes during the soak.
const POLLERS: usize = 200;
/// Restarts timed in S2.
const RESTARTS: usize = 3;
/// The share of the open cases that turn red at once in S3 (the issue: 100,000 of 1,000,000).
const TURN_RED_SHARE: f64 = 0.1;

/// Today in China, as the server counts days.
fn china_today() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let scale = args.scale();
    let started = Instant::now();
    let say = |what: &str| eprintln!("[{:>5.0} s] {what}", started.elapsed().as_secs_f64());
    assert!(
        args.bin.exists(),
        "{} is missing: build it first (make build)",
        args.bin.display()
    );
    std::fs::create_dir_all(&args.dir).expect("create the bench directory");
    let binary = Binary(args.bin.clone());

    say("machine facts and the disk's fsync rate");
    let machine = machine::Machine::read(&args.dir);
    let fsyncs = machine::fsyncs_per_second(&args.dir, scale.limit);
    say(&format!("  {fsyncs:.0} fsyncs/s"));

    let mut engines = Vec::new();
    for engine in &args.engines {
        let run = match engine {
            EngineName::Sqlite => sqlite(&args, &scale, &binary, &say).await,
            EngineName::Postgres => postgres(&args, &scale, &binary, &say).await,
        };
        engines.push(run);
    }

    let run = Run {
        machine,
        fsyncs,
        scale: scale.name,
        engines,
    };
    let existing =
        std::fs::read_to_string(&args.report).unwrap_or_else(|_| "# Performance\n".into());
    std::fs::write(&args.report, report::splice(&existing, &run.markdown()))
        .expect("write the report");
    say(&format!("wrote {}", args.report.display()));
}

async fn sqlite(args: &Args, scale: &Scale, binary: &Binary, say: &impl Fn(&str)) -> EngineRun {
    say("SQLite · minimal insert loop");
    let limits = limits::sqlite_loop(&args.dir, scale.limit).await;
    let (demo_path, demo) = server::sqlite_url(&args.dir, "demo.db");
    limits::remove_sqlite(&demo_path);
    let demo_ready = ready_on_demo(binary, &demo).await;
    limits::remove_sqlite(&demo_path);
    let (path, url) = server::sqlite_url(&args.dir, "volume.db");
    limits::remove_sqlite(&path);
    let run = scenarios_on(binary, "SQLite", &url, scale, limits, None, demo_ready, say).await;
    // Ten million cases fill tens of gigabytes; PostgreSQL's run needs the room next.
    limits::remove_sqlite(&path);
    run
}

async fn postgres(args: &Args, scale: &Scale, binary: &Binary, say: &impl Fn(&str)) -> EngineRun {
    let base = args.postgres.trim_end_matches('/');
    let limit_db = fresh_database(base, "onewindow_bench_limit").await;
    say("PostgreSQL · minimal insert loop");
    let limits = limits::postgres_loop(&limit_db, scale.limit).await;
    say("PostgreSQL · pgbench");
    let pgbench = limits::pgbench(&limit_db, 64, scale.pgbench_scale, scale.limit);
    let demo_ready = ready_on_demo(binary, &limit_db).await;
    drop_database(base, "onewindow_bench_limit").await;
    let url = fresh_database(base, "onewindow_bench").await;
    let run = scenarios_on(
        binary,
        "PostgreSQL",
        &url,
        scale,
        limits,
        Some(pgbench),
        demo_ready,
        say,
    )
    .await;
    drop_database(base, "onewindow_bench").await;
    run
}

/// How soon a server is ready on the demo centre's database: its second start (the first
/// seals what the seed wrote and takes the census).
async fn ready_on_demo(binary: &Binary, url: &str) -> Duration {
    binary.seed_demo(url);
    binary.serve(url).await.0.stop();
    let (server, took) = binary.serve(url).await;
    server.stop();
    took
}

#[allow(clippy::too_many_arguments)]
async fn scenarios_on(
    binary: &Binary,
    engine: &'static str,
    url: &str,
    scale: &Scale,
    limits: limits::LoopFigures,
    pgbench: Option<Result<f64, String>>,
    demo_ready: Duration,
    say: &impl Fn(&str),
) -> EngineRun {
    say(&format!("{engine} · seeding {} cases", scale.cases));
    let seeded = binary.seed_volume(url, scale.cases);
    let (server, _) = binary.serve(url).await;
    let floor = scenarios::floor(&server.base, scale.samples).await;
    say(&format!("{engine} · S4 reads"));
    let s4 = scenarios::s4(&server.base, scale.samples).await;
    let crew = Arc::new(Crew::log_in(&server.base).await);
    say(&format!("{engine} · S1 case lives"));
    let s1 = scenarios::s1(&server, &crew, scale.phase).await;
    say(&format!(
        "{engine} · S2 {} submissions and {RESTARTS} restarts",
        scale.submissions
    ));
    let (s2, server) = scenarios::s2(binary, url, server, &crew, scale.submissions, RESTARTS).await;
    // The restarted server has new sessions to honour: the old ones are in the database.
    say(&format!("{engine} · S5 soak, {} s", scale.soak.as_secs()));
    let postgres = url.starts_with("postgres").then_some(url);
    let s5 = scenarios::s5(
        &server,
        &crew,
        s1.writes_per_s / 2.0,
        POLLERS,
        scale.soak,
        postgres,
    )
    .await;
    server.stop();
    say(&format!("{engine} · S3 supervision passes and deadlines"));
    let s3 = supervision::s3(url, china_today(), TURN_RED_SHARE).await;
    EngineRun {
        engine,
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        cases: scale.cases,
        seeded,
        limits,
        pgbench,
        floor,
        demo_ready,
        s1,
        s2,
        s3,
        s4,
        s5,
    }
}

/// Drops and creates `name` on the PostgreSQL server at `base`; returns its URL.
async fn fresh_database(base: &str, name: &str) -> String {
    drop_database(base, name).await;
    let mut admin = PgConnection::connect(&format!("{base}/postgres"))
        .await
        .expect("connect to PostgreSQL");
    admin
        .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .expect("create the bench database");
    format!("{base}/{name}")
}

async fn drop_database(base: &str, name: &str) {
    let mut admin = PgConnection::connect(&format!("{base}/postgres"))
        .await
        .expect("connect to PostgreSQL");
    admin
        .execute(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .await
        .expect("drop the bench database");
}

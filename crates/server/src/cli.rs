//! The command line: `onewindow serve|migrate|init|import|seed demo|seed volume|supervise|backup|
//! restore|audit verify|openapi`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use onewindow_store::{Engine, Store};

use crate::state::data_key;

#[derive(Parser)]
#[command(
    name = "onewindow",
    version,
    about = "OneWindow (一窗通办): a government service centre platform"
)]
struct Cli {
    /// Log lines as text for people, or as JSON objects, one a line, for a log collector.
    #[arg(long, global = true, env = "ONEWINDOW_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    /// sqlite://path or postgres://…
    #[arg(
        long,
        global = true,
        env = "DATABASE_URL",
        default_value = "sqlite://data/onewindow.db"
    )]
    database: String,
    /// PostgreSQL connections in each of a process's pools, reads and writes apart (a replica's
    /// reads a third): a server holds up to twice this many, and one to listen. Keep the sum
    /// over all processes under PostgreSQL's max_connections.
    #[arg(long, global = true, env = "ONEWINDOW_DB_CONNECTIONS", default_value_t = onewindow_store::DEFAULT_CONNECTIONS)]
    connections: u32,
    /// Working days before its due date a case turns yellow.
    #[arg(long, global = true, env = "ONEWINDOW_WARN_DAYS", default_value_t = onewindow_domain::supervision::DEFAULT_WARN_DAYS)]
    warn_days: u32,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (migrates first). Refuses a database that holds no centre yet.
    Serve {
        #[arg(long, env = "ONEWINDOW_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        /// Also append every text message to this file, one JSON line each (no SMS gateway).
        #[arg(long, env = "ONEWINDOW_SMS_OUTBOX")]
        sms_outbox: Option<std::path::PathBuf>,
        /// Seconds between supervision passes (electronic supervision's lights); 0 runs none.
        #[arg(long, env = "ONEWINDOW_SUPERVISION_EVERY", default_value_t = 300)]
        supervision_every: u64,
        /// Where citizens and staff reach the centre, e.g. https://zwfw.example.gov.cn: the QR
        /// codes of notices point there, and https makes the session cookie Secure (default:
        /// http:// and the listen address).
        #[arg(long, env = "ONEWINDOW_PUBLIC_URL")]
        public_url: Option<String>,
        /// Seconds a connection may take to send a request's headers, and may sit idle between
        /// requests.
        #[arg(long, env = "ONEWINDOW_HEADER_TIMEOUT", default_value_t = 30)]
        header_timeout: u64,
        /// Addresses of reverse proxies (nginx) whose X-Forwarded-For names the client, comma
        /// separated; any other peer's header is ignored.
        #[arg(long, env = "ONEWINDOW_TRUSTED_PROXIES", value_delimiter = ',', value_parser = address)]
        trusted_proxy: Vec<std::net::IpAddr>,
        /// The bearer token a Prometheus scraper shows to read /metrics from another machine;
        /// without one, only this machine may read it.
        #[arg(long, env = "ONEWINDOW_METRICS_TOKEN", hide_env_values = true)]
        metrics_token: Option<String>,
        /// Minutes a staff session may go unused before it ends (0: only its 12-hour end).
        #[arg(long, env = "ONEWINDOW_STAFF_IDLE_MINUTES", default_value_t = 30)]
        staff_idle_minutes: u32,
        /// Seconds an API read (GET) may take before it is given up and answered 503.
        #[arg(long, env = "ONEWINDOW_READ_TIMEOUT", default_value_t = 30)]
        read_timeout: u64,
        /// A PostgreSQL streaming replica (postgres://…) for public reads that may be a moment
        /// old: the catalogue, guides, forms, the organisation and the staff board. Writes and
        /// everything else go to --database.
        #[arg(long, env = "ONEWINDOW_READ_DATABASE", hide_env_values = true)]
        read_database: Option<String>,
    },
    /// Apply pending migrations.
    Migrate,
    /// Set up a real centre from the files it has, into an empty database: the organisation,
    /// staff, items and local calendar days, all checked before anything is written. The first
    /// centre admin gets a one-time password, printed once.
    Init {
        /// A folder holding centre.xlsx (the template filled in), or the demo's JSON:
        /// organisation.json and items.json, with calendar.json if there are local days.
        #[arg(
            long,
            required_unless_present = "template",
            conflicts_with = "template"
        )]
        from: Option<std::path::PathBuf>,
        /// Write the blank, documented workbook centre.xlsx into this folder, with a filled-in
        /// example beside it; needs no database.
        #[arg(long)]
        template: Option<std::path::PathBuf>,
    },
    /// Add or update the centre's items or staff accounts from a file (.xlsx with the template's
    /// sheets, or .json as the demo's), in one transaction, audited.
    Import {
        #[command(subcommand)]
        what: ImportCommand,
    },
    /// Load data.
    Seed {
        #[command(subcommand)]
        what: SeedCommand,
    },
    /// Run one supervision pass: move the lights of open cases on to the day, with an event on
    /// each case that turns, and print what changed.
    Supervise {
        /// The day of the pass (default: today in China).
        #[arg(long)]
        today: Option<chrono::NaiveDate>,
        /// First derive every open deadline again on the current calendars (after a change of
        /// the holiday data).
        #[arg(long)]
        recompute: bool,
    },
    /// Write a consistent copy of the database to a new file while the server runs: SQLite
    /// copies itself, PostgreSQL runs pg_dump (custom format). The data key is not in it.
    Backup {
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Restore a backup into an empty database, then migrate it to this version; the server
    /// then needs the data key the backed-up centre had.
    Restore {
        #[arg(long)]
        from: std::path::PathBuf,
    },
    /// Move this SQLite centre, every row, file and chain, into an empty PostgreSQL database
    /// (migrated here first), in one transaction; then verify the copy's chains.
    MigrateTo {
        /// The PostgreSQL database: postgres://…
        #[arg(long)]
        to: String,
    },
    /// Move the centre to a new data key, with the server stopped: every chain verified under
    /// the old key first, then the personal data and every seal rewritten in one transaction.
    /// A SQLite database's key file is replaced; with ONEWINDOW_DATA_KEY, set it to the new key
    /// afterwards.
    Rekey {
        /// A file holding the new key (e.g. from `openssl rand -hex 32`), at least 32 characters.
        #[arg(long)]
        new_key_file: std::path::PathBuf,
    },
    /// Tamper-evidence checks.
    Audit {
        #[command(subcommand)]
        what: AuditCommand,
    },
    /// Print the OpenAPI document (what `/api/openapi.json` serves); needs no database.
    Openapi,
}

#[derive(Subcommand)]
enum SeedCommand {
    /// The demo centre of 金平区 with a year of history.
    Demo {
        #[arg(long, default_value_t = 20_000)]
        cases: u32,
        /// Seed only when the database holds no centre yet (what `make run` does).
        #[arg(long)]
        if_empty: bool,
    },
    /// The demo centre with N generated cases, bulk-loaded into an empty database (for
    /// measurements; the same seed gives the same cases on the same day).
    Volume {
        #[arg(long)]
        cases: u32,
        #[arg(long, default_value_t = crate::seed::DEMO_SEED)]
        seed: u64,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// New items are added; an item whose definition changed gets a new version.
    Items { file: std::path::PathBuf },
    /// New accounts are added without a password (the centre admin sets the first one); existing
    /// ones get the file's profile.
    Staff { file: std::path::PathBuf },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Verify every event chain and name the first broken link of each.
    Verify,
}

pub async fn run() -> ExitCode {
    let cli = Cli::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn".into());
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match cli.log_format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().init(),
    }
    match execute(cli).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn open(database: &str, connections: u32) -> Result<Store, Box<dyn std::error::Error>> {
    if let Some(path) = database.strip_prefix("sqlite://")
        && let Some(dir) = std::path::Path::new(path.split('?').next().unwrap_or(path)).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)?;
    }
    let store = Store::connect_sized(database, connections).await?;
    store.migrate().await?;
    Ok(store)
}

/// An IP address, spaces around it allowed (`10.0.0.1, 10.0.0.2`).
fn address(s: &str) -> Result<std::net::IpAddr, std::net::AddrParseError> {
    s.trim().parse()
}

/// Why nothing runs with a data key the database's personal data was not sealed with: every
/// applicant's log-in and ID look-up would fail.
const WRONG_KEY: &str = "the data key (ONEWINDOW_DATA_KEY, or data-key beside a SQLite file) is \
not the one this database's personal data was encrypted with; give the server that key";

/// Why `--read-database` needs PostgreSQL on both sides: a replica is a streaming standby.
const REPLICA_NOT_POSTGRES: &str = "--read-database is a PostgreSQL streaming replica \
(postgres://…) of a PostgreSQL --database";

/// Why `serve` will not start on an empty database: a real centre is never the demo by accident.
const NO_CENTRE: &str = "this database holds no centre yet; set up a real one from its files with \
`onewindow init --from DIR` (`--template DIR` writes the files to fill in), or load the demo \
centre with `onewindow seed demo` (what `make run` does)";

async fn holds_centre(store: &Store) -> Result<bool, onewindow_store::StoreError> {
    Ok(store.has_cases().await? || store.centre_region().await?.is_some())
}

/// Prints every problem of the files, one a line, before the error that says nothing was written.
fn setup_result<T>(
    result: Result<T, crate::setup::SetupError>,
) -> Result<T, crate::setup::SetupError> {
    if let Err(crate::setup::SetupError::Invalid(problems)) = &result {
        for p in problems {
            eprintln!("{p}");
        }
    }
    result
}

async fn execute(cli: Cli) -> Result<ExitCode, Box<dyn std::error::Error>> {
    if let Command::Openapi = cli.command {
        println!("{}", crate::api::document().to_pretty_json()?);
        return Ok(ExitCode::SUCCESS);
    }
    if let Command::Init {
        template: Some(dir),
        ..
    } = &cli.command
    {
        for path in crate::setup::write_template(dir)? {
            println!("wrote {}", path.display());
        }
        return Ok(ExitCode::SUCCESS);
    }
    if let Command::Restore { from } = &cli.command {
        let store = crate::backup::restore(&cli.database, from).await?;
        let key = data_key(&cli.database)?;
        let matches = store
            .data_key_matches(&onewindow_store::crypto::Vault::from_secret(&key))
            .await?;
        store.close().await;
        println!("restored {} into {}", from.display(), cli.database);
        if !matches {
            return Err(WRONG_KEY.into());
        }
        return Ok(ExitCode::SUCCESS);
    }
    let store = open(&cli.database, cli.connections)
        .await?
        .with_warn_days(cli.warn_days);
    // Opened first: a SQLite database's key file is made beside it, in the folder `open` makes.
    let key = data_key(&cli.database)?;
    let store = store.with_seal(onewindow_store::crypto::Seal::from_secret(&key));
    if !matches!(cli.command, Command::Migrate)
        && !store
            .data_key_matches(&onewindow_store::crypto::Vault::from_secret(&key))
            .await?
    {
        return Err(WRONG_KEY.into());
    }
    match cli.command {
        Command::Openapi | Command::Restore { .. } | Command::Init { from: None, .. } => {
            unreachable!("answered before opening the database")
        }
        Command::Init {
            from: Some(dir), ..
        } => {
            let done = setup_result(crate::setup::init(&store, &dir).await)?;
            println!(
                "centre {} set up: {} departments, {} windows, {} items, {} staff accounts, {} local calendar days, opening hours of {} halls",
                done.district,
                done.departments,
                done.windows,
                done.items,
                done.staff,
                done.calendar_days,
                done.halls_with_hours
            );
            println!(
                "the centre admin {} logs in once with this password, then chooses their own: {}",
                done.admin.0, done.admin.1
            );
            println!(
                "the other accounts log in after the centre admin sets their first password (工作人员 page)"
            );
        }
        Command::Import { what } => {
            let (imported, what) = match what {
                ImportCommand::Items { file } => (
                    setup_result(crate::setup::import_items(&store, &file).await)?,
                    "items",
                ),
                ImportCommand::Staff { file } => (
                    setup_result(crate::setup::import_staff(&store, &file).await)?,
                    "staff accounts",
                ),
            };
            println!(
                "{what}: {} added, {} updated, {} unchanged",
                imported.added.len(),
                imported.updated.len(),
                imported.unchanged
            );
        }
        Command::Backup { to } => crate::backup::backup(&store, &cli.database, &to).await?,
        Command::Migrate => println!("migrations applied"),
        Command::Serve {
            listen,
            sms_outbox,
            supervision_every,
            public_url,
            header_timeout,
            trusted_proxy,
            metrics_token,
            staff_idle_minutes,
            read_timeout,
            read_database,
        } => {
            if !holds_centre(&store).await? {
                return Err(NO_CENTRE.into());
            }
            let store = match read_database {
                Some(url) if store.engine() != Engine::Postgres || !url.starts_with("postgres") => {
                    return Err(REPLICA_NOT_POSTGRES.into());
                }
                Some(url) => store.with_replica(&url).await?,
                None => store,
            };
            let sealed = store.seal_unsealed().await?;
            if sealed > 0 {
                tracing::info!("sealed the chain heads of {sealed} cases written before seals");
            }
            store.open_pool().await?;
            let mut state = crate::AppState::new(store, &key);
            if let Some(path) = sms_outbox {
                state.notifier = crate::notifier::Notifier::outbox(path);
            }
            state.public_url = match public_url {
                Some(url) => crate::public_url::PublicUrl::parse(&url)?,
                None => crate::public_url::PublicUrl::of_listen(&listen),
            };
            state.trusted_proxies = std::sync::Arc::new(trusted_proxy);
            // An empty token is no token: only this machine may read the metrics.
            state.metrics_token = metrics_token
                .filter(|t| !t.trim().is_empty())
                .map(std::sync::Arc::new);
            state.staff_idle_ms =
                (staff_idle_minutes > 0).then(|| i64::from(staff_idle_minutes) * 60 * 1000);
            state.read_timeout = std::time::Duration::from_secs(read_timeout.max(1));
            let listening = crate::changes::spawn(state.clone()).await?;
            let supervision = (supervision_every > 0).then(|| {
                crate::supervision::spawn(
                    state.clone(),
                    std::time::Duration::from_secs(supervision_every),
                )
            });
            let store = state.store.clone();
            let app = crate::App::from_state(state).with_limits(crate::serve::Limits {
                header_timeout: std::time::Duration::from_secs(header_timeout.max(1)),
                ..crate::serve::Limits::default()
            });
            let listener = tokio::net::TcpListener::bind(&listen).await?;
            tracing::info!("OneWindow serving on http://{}", listener.local_addr()?);
            app.serve(listener).await?;
            // Requests have finished: no new work starts, and what was acknowledged is on disk
            // once the writer has flushed.
            for task in supervision.into_iter().chain(listening) {
                task.abort();
            }
            store.close().await;
            tracing::info!("stopped");
        }
        Command::Seed {
            what: SeedCommand::Demo { cases, if_empty },
        } => {
            if if_empty && holds_centre(&store).await? {
                println!("the database already holds a centre: nothing seeded");
            } else {
                crate::seed::demo(&store, &key, cases).await?;
            }
        }
        Command::Seed {
            what: SeedCommand::Volume { cases, seed },
        } => {
            let started = std::time::Instant::now();
            crate::seed::volume(&store, &key, cases, seed).await?;
            let seconds = started.elapsed().as_secs_f64();
            println!(
                "{cases} cases in {seconds:.1} s ({:.0} cases/s)",
                f64::from(cases) / seconds
            );
        }
        Command::Supervise { today, recompute } => {
            let state = crate::AppState::new(store, &key);
            let today = today.unwrap_or_else(|| state.today());
            let started = std::time::Instant::now();
            let reports = if recompute {
                let mut passes = Vec::new();
                for (region, r) in crate::supervision::recompute(&state, today, false).await? {
                    println!(
                        "{region}: {} deadline groups, {} cases with clock stops read, {} cases' due dates moved",
                        r.groups, r.from_state, r.moved
                    );
                    let told = r.promises.len();
                    crate::messages::tell_moved_promises(&state, &region, r.promises).await?;
                    if told > 0 {
                        println!("{region}: {told} applicants texted their new promised date");
                    }
                    passes.push(r.pass);
                }
                passes
            } else {
                crate::supervision::pass(&state, today).await?
            };
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            for r in &reports {
                if r.examined == 0 && r.rederived == 0 {
                    continue;
                }
                println!(
                    "{}: {} stale lights examined: {} turned yellow, {} turned red, {} turned green; {} stopped clocks' due dates derived again",
                    r.region,
                    r.examined,
                    r.turned_yellow.len(),
                    r.turned_red.len(),
                    r.turned_green.len(),
                    r.rederived
                );
            }
            let changed: usize = reports.iter().map(|r| r.changed()).sum();
            println!(
                "supervision pass on {today}: {changed} lights changed in {} regions, {ms:.0} ms",
                reports.len()
            );
        }
        Command::MigrateTo { to } => {
            let target = Store::connect(&to).await?;
            target.migrate().await?;
            let bar = ProgressBar::new_spinner()
                .with_style(ProgressStyle::with_template("copying {msg}").expect("valid template"));
            let rows = target
                .copy_from(&store, |table, n| {
                    bar.set_message(format!("{table}: {n} rows"))
                })
                .await?;
            bar.finish_and_clear();
            let target = target.with_seal(onewindow_store::crypto::Seal::from_secret(&key));
            let report = target.verify_chains(|_| {}).await?;
            println!(
                "{rows} rows copied; the copy's {} chains hold {} records",
                report.chains, report.records
            );
            if !report.broken.is_empty() {
                for b in &report.broken {
                    println!("BROKEN: chain {} at record {}: {}", b.chain, b.seq, b.what);
                }
                return Ok(ExitCode::FAILURE);
            }
            println!(
                "serve it with DATABASE_URL set to the PostgreSQL database and ONEWINDOW_DATA_KEY set to this centre's data key (the data-key file beside the SQLite database)"
            );
        }
        Command::Rekey { new_key_file } => {
            let text = std::fs::read_to_string(&new_key_file)?;
            let new_key = text.trim();
            if new_key.chars().count() < 32 {
                return Err("the new key must have at least 32 characters".into());
            }
            if new_key.as_bytes() == key.as_slice() {
                return Err("the new key is the key in use".into());
            }
            let before = store.verify_chains(|_| {}).await?;
            if !before.broken.is_empty() {
                return Err(format!(
                    "{} chains do not verify under the key in use; a new key would seal them as they are (see `onewindow audit verify`)",
                    before.broken.len()
                )
                .into());
            }
            let (old_vault, new_vault) = (
                onewindow_store::crypto::Vault::from_secret(&key),
                onewindow_store::crypto::Vault::from_secret(new_key.as_bytes()),
            );
            let (old_seal, new_seal) = (
                onewindow_store::crypto::Seal::from_secret(&key),
                onewindow_store::crypto::Seal::from_secret(new_key.as_bytes()),
            );
            let done = store
                .rekey((old_vault, old_seal), (new_vault, new_seal.clone()))
                .await?;
            let after = store
                .clone()
                .with_seal(new_seal)
                .verify_chains(|_| {})
                .await?;
            println!(
                "new key in place: {} applicants, {} cases, {} census days; {} chains verify under it",
                done.applicants, done.cases, done.census_days, after.chains
            );
            crate::state::replace_key_file(&cli.database, new_key)?;
        }
        Command::Audit {
            what: AuditCommand::Verify,
        } => {
            let total = store.count_cases().await? as u64;
            let bar = ProgressBar::new(total).with_style(
                ProgressStyle::with_template("verifying {bar:40} {pos}/{len} cases ({eta})")
                    .expect("valid template"),
            );
            let report = store.verify_chains(|n| bar.set_position(n)).await?;
            bar.finish_and_clear();
            println!(
                "{} chains, {} records checked",
                report.chains, report.records
            );
            if report.unsealed > 0 {
                println!(
                    "{} chain heads not sealed yet: the server seals them when it next starts",
                    report.unsealed
                );
            }
            if !report.broken.is_empty() {
                for b in &report.broken {
                    println!("BROKEN: chain {} at record {}: {}", b.chain, b.seq, b.what);
                }
                return Ok(ExitCode::FAILURE);
            }
            println!("every chain is intact");
        }
    }
    Ok(ExitCode::SUCCESS)
}

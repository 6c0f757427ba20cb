//! The scenarios of issue 4 (S1, S2, S4, S5) against a running server.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use indicatif::{ProgressBar, ProgressStyle};
use reqwest::Method;
use serde_json::Value;

use crate::load::{self, Actors, Login, Pacer, REQUESTS_PER_CASE, Recorder};
use crate::server::{Binary, Cpu, Server, Usage, UsageSince};
use crate::tail::Tail;

/// Latency figures of a histogram of microseconds, in milliseconds.
#[derive(Clone, Copy, Default)]
pub struct Latency {
    pub count: u64,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
}

impl From<&Histogram<u64>> for Latency {
    fn from(h: &Histogram<u64>) -> Latency {
        let ms = |q: f64| h.value_at_quantile(q) as f64 / 1000.0;
        Latency {
            count: h.len(),
            p50: ms(0.5),
            p95: ms(0.95),
            p99: ms(0.99),
        }
    }
}

/// Failed requests: how many, and the first one's answer.
#[derive(Clone, Default)]
pub struct Failures {
    pub count: u64,
    pub first: Option<String>,
}

impl Failures {
    fn of(rec: &Recorder) -> Failures {
        let (count, first) = rec.failures();
        Failures { count, first }
    }
}

/// Workers of the S1, S2 and S5 loads.
pub const WORKERS: usize = 64;

/// The people who work the load: one set of sessions per applicant, workers spread over them.
pub struct Crew {
    sets: Vec<Actors>,
}

impl Crew {
    pub async fn log_in(base: &str) -> Crew {
        let mut sets = Vec::new();
        for phone in load::enterprise_phones().iter().take(4) {
            sets.push(Actors::log_in(base, phone).await);
        }
        Crew { sets }
    }

    fn for_worker(&self, worker: usize) -> &Actors {
        &self.sets[worker % self.sets.len()]
    }
}

pub struct S1 {
    /// What the server used during the full-speed phase.
    pub server_cpu: Cpu,
    /// How busy the cores were at full speed, and at half speed.
    pub usage_at_max: Usage,
    pub usage_at_half: Usage,
    pub writes_per_s: f64,
    pub cases_per_s: f64,
    pub at_max: Latency,
    pub half_rate: f64,
    pub at_half: Latency,
    /// Every write at full speed, by the server's account: where the queue for the writer shows.
    pub max_mean: Tail,
    /// The slowest 1% at half speed, by the server's account.
    pub half_tail: Tail,
    pub failures: Failures,
}

/// S1: case lives as fast as 64 workers can drive them (the maximum), then paced at half that
/// rate for the latency a person would see.
pub async fn s1(server: &Server, crew: &Arc<Crew>, phase: Duration) -> S1 {
    let base = server.base.as_str();
    // Warm the caches and connections; not counted.
    let warm = Arc::new(Recorder::new());
    run_lives(
        base,
        crew,
        &warm,
        None,
        Duration::from_secs(2),
        "S1 warm-up",
    )
    .await;
    let max = Arc::new(Recorder::new());
    let (server_before, usage) = (server.cpu(), UsageSince::now(server));
    let started = Instant::now();
    let cases = run_lives(base, crew, &max, None, phase, "S1 at full speed").await;
    let elapsed = started.elapsed().as_secs_f64();
    let (server_cpu, usage_at_max) = (server.cpu().since(server_before), usage.usage(server));
    let at_max = Latency::from(&max.total());
    let writes_per_s = at_max.count as f64 / elapsed;
    let half_rate = writes_per_s / 2.0;
    let half = Arc::new(Recorder::new());
    let pacer = Arc::new(Pacer::per_second(half_rate));
    let usage = UsageSince::now(server);
    run_lives(base, crew, &half, Some(pacer), phase, "S1 at half speed").await;
    let usage_at_half = usage.usage(server);
    let mut failures = Failures::of(&max);
    failures.count += half.failures().0;
    S1 {
        server_cpu,
        usage_at_max,
        usage_at_half,
        writes_per_s,
        cases_per_s: cases as f64 / elapsed,
        at_max,
        half_rate,
        at_half: Latency::from(&half.total()),
        max_mean: max.tail(0.0),
        half_tail: half.tail(0.99),
        failures,
    }
}

/// [`WORKERS`] workers living cases until `time` is up; returns how many lives completed.
async fn run_lives(
    base: &str,
    crew: &Arc<Crew>,
    rec: &Arc<Recorder>,
    pacer: Option<Arc<Pacer>>,
    time: Duration,
    what: &str,
) -> u64 {
    let bar = timed_bar(what, time);
    let until = Instant::now() + time;
    let completed = Arc::new(AtomicU64::new(0));
    let workers = spawn_all(WORKERS, |w| {
        let (base, crew, rec, pacer, completed) = (
            base.to_owned(),
            crew.clone(),
            rec.clone(),
            pacer.clone(),
            completed.clone(),
        );
        async move {
            while Instant::now() < until {
                let done = load::case_life(&base, crew.for_worker(w), &rec, pacer.as_deref()).await;
                if done == REQUESTS_PER_CASE {
                    completed.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
    });
    tokio::join!(workers, tick(&bar, rec, time));
    bar.finish_and_clear();
    completed.load(Ordering::Relaxed)
}

pub struct S2 {
    pub submissions: u64,
    pub per_s: f64,
    pub latency: Latency,
    pub failures: Failures,
    /// Time from the process's start to a ready answer, at each restart.
    pub ready: Vec<Duration>,
}

/// S2: `count` online submissions (draft, a file for each material, then submit), 64 at a time; then the server is
/// restarted on the grown database, `restarts` times, timing how soon it is ready.
pub async fn s2(
    binary: &Binary,
    database: &str,
    server: Server,
    crew: &Arc<Crew>,
    count: u64,
    restarts: usize,
) -> (S2, Server) {
    let rec = Arc::new(Recorder::new());
    let next = Arc::new(AtomicU64::new(0));
    let bar = ProgressBar::new(count).with_style(
        ProgressStyle::with_template(
            "  S2 submissions {bar:40} {pos}/{len} ({per_sec}, {eta} left)",
        )
        .expect("template"),
    );
    let started = Instant::now();
    spawn_all(WORKERS, |w| {
        let (base, crew, rec, next, bar) = (
            server.base.clone(),
            crew.clone(),
            rec.clone(),
            next.clone(),
            bar.clone(),
        );
        async move {
            while next.fetch_add(1, Ordering::Relaxed) < count {
                submit(&base, crew.for_worker(w), &rec).await;
                bar.inc(1);
            }
        }
    })
    .await;
    bar.finish_and_clear();
    let per_s = count as f64 / started.elapsed().as_secs_f64();
    let mut server = server;
    let mut ready = Vec::new();
    for _ in 0..restarts {
        server.stop();
        let (restarted, took) = binary.serve(database).await;
        ready.push(took);
        server = restarted;
    }
    (
        S2 {
            submissions: count,
            per_s,
            latency: Latency::from(&rec.total()),
            failures: Failures::of(&rec),
            ready,
        },
        server,
    )
}

async fn submit(base: &str, a: &Actors, rec: &Recorder) {
    if let Some(actions) = load::draft(base, a, rec, Instant::now()).await
        && load::upload_materials(a, rec, &actions, || async { Instant::now() }).await
    {
        load::submit(a, rec, &actions).await;
    }
}

pub struct S4 {
    pub inbox: Latency,
    /// The slowest 1% of the inbox pages, by the server's account.
    pub inbox_tail: Tail,
    pub tabs: Latency,
    pub centre_inbox: Latency,
    pub dashboard: Latency,
    pub failures: Failures,
}

/// S4: the reads a working day is made of, each `samples` times from 4 concurrent sessions on
/// an otherwise idle server, after a tenth as many to warm it: an approver's inbox page (20 rows, soonest deadline first) and its
/// tab counts, a supervisor's whole-centre inbox page, and the leader's dashboard counts by
/// department × status × month for the last twelve months.
pub async fn s4(base: &str, samples: u64) -> S4 {
    let approver = load::log_in(base, Login::Staff("approver.rsj.1")).await;
    let supervisor = load::log_in(base, Login::Staff("supervisor.1")).await;
    let leader = load::log_in(base, Login::Staff("leader")).await;
    let since = (chrono::Utc::now().date_naive() - chrono::Months::new(11)).format("%Y-%m");
    let reads = [
        (
            &approver,
            format!("{base}/api/v1/cases?limit=20"),
            "S4 approver inbox",
        ),
        (
            &approver,
            format!("{base}/api/v1/cases/counts"),
            "S4 inbox tabs",
        ),
        (
            &supervisor,
            format!("{base}/api/v1/cases?limit=20"),
            "S4 centre inbox",
        ),
        (
            &leader,
            format!("{base}/api/v1/statistics/case-counts?from={since}"),
            "S4 dashboard",
        ),
    ];
    let mut figures = Vec::new();
    let mut tails = Vec::new();
    let mut failures = Failures::default();
    for (client, url, what) in reads {
        // Not counted: the pool's first connections are opened here, not in the measurement.
        read_loop(client, &url, samples / 10 + 16, "S4 warm-up").await;
        let (latency, failed, tail) = read_loop(client, &url, samples, what).await;
        failures.count += failed.count;
        failures.first = failures.first.or(failed.first);
        figures.push(latency);
        tails.push(tail);
    }
    S4 {
        inbox: figures[0],
        inbox_tail: tails[0],
        tabs: figures[1],
        centre_inbox: figures[2],
        dashboard: figures[3],
        failures,
    }
}

/// The cheapest request the server answers, `GET /healthz`, `samples` times 4 at a time: the
/// floor under every read.
pub async fn floor(base: &str, samples: u64) -> Latency {
    let client = reqwest::Client::new();
    read_loop(
        &client,
        &format!("{base}/healthz"),
        samples,
        "floor: GET /healthz",
    )
    .await
    .0
}

/// `samples` GETs of `url`, 4 at a time; their latency, failures, and where the slowest 1%
/// spent their time.
async fn read_loop(
    client: &reqwest::Client,
    url: &str,
    samples: u64,
    what: &str,
) -> (Latency, Failures, Tail) {
    let rec = Arc::new(Recorder::new());
    let bar = ProgressBar::new(samples).with_style(
        ProgressStyle::with_template(&format!("  {what} {{bar:40}} {{pos}}/{{len}}"))
            .expect("template"),
    );
    let next = Arc::new(AtomicU64::new(0));
    spawn_all(4, |_| {
        let (client, url, rec, next, bar) = (
            client.clone(),
            url.to_owned(),
            rec.clone(),
            next.clone(),
            bar.clone(),
        );
        async move {
            while next.fetch_add(1, Ordering::Relaxed) < samples {
                rec.send(&client, Method::GET, &url, None, Instant::now())
                    .await;
                bar.inc(1);
            }
        }
    })
    .await;
    bar.finish_and_clear();
    (
        Latency::from(&rec.total()),
        Failures::of(&rec),
        rec.tail(0.99),
    )
}

pub struct S5 {
    pub time: Duration,
    pub rate: f64,
    pub pollers: usize,
    pub writes: Latency,
    pub polls: Latency,
    /// The slowest 1% of each, by the server's account.
    pub write_tail: Tail,
    pub poll_tail: Tail,
    /// p99 of the writes in each window, in milliseconds.
    pub window_p99: Vec<f64>,
    pub window: Duration,
    pub max_rss_mib: f64,
    pub usage: Usage,
    pub failures: Failures,
    /// On PostgreSQL, what its connections were doing.
    pub waits: Option<crate::waits::Waits>,
}

impl S5 {
    /// Change of the last window's p99 against the first's, in per cent.
    pub fn drift(&self) -> f64 {
        match (self.window_p99.first(), self.window_p99.last()) {
            (Some(first), Some(last)) if *first > 0.0 => (last - first) / first * 100.0,
            _ => 0.0,
        }
    }
}

/// S5: case lives paced at `rate` writes per second for `time`, while `pollers` staff sessions
/// each reload their inbox every two seconds; the server's memory is read every second.
pub async fn s5(
    server: &Server,
    crew: &Arc<Crew>,
    rate: f64,
    pollers: usize,
    time: Duration,
    postgres: Option<&str>,
) -> S5 {
    let base = server.base.as_str();
    let window = (time / 6).max(Duration::from_secs(5));
    let sessions = staff_sessions(base, pollers).await;
    let writes = Arc::new(Recorder::windowed(window));
    let polls = Arc::new(Recorder::new());
    let pacer = Arc::new(Pacer::per_second(rate));
    let until = Instant::now() + time;
    let usage = UsageSince::now(server);
    let bar = timed_bar("S5 soak", time);
    let lives = spawn_all(WORKERS, |w| {
        let (base, crew, writes, pacer) =
            (base.to_owned(), crew.clone(), writes.clone(), pacer.clone());
        async move {
            while Instant::now() < until {
                load::case_life(&base, crew.for_worker(w), &writes, Some(&pacer)).await;
            }
        }
    });
    let inbox = format!("{base}/api/v1/cases?limit=20");
    let polling = spawn_all(sessions.len(), |i| {
        let (c, polls, inbox) = (sessions[i].clone(), polls.clone(), inbox.clone());
        async move {
            // Spread over the first two seconds, then every two seconds.
            tokio::time::sleep(Duration::from_millis(fastrand::u64(0..2_000))).await;
            while Instant::now() < until {
                let due = Instant::now();
                polls.send(&c, Method::GET, &inbox, None, due).await;
                tokio::time::sleep_until((due + Duration::from_secs(2)).into()).await;
            }
        }
    });
    let mut max_rss = server.rss_mib();
    let sampling = async {
        while Instant::now() < until {
            tokio::time::sleep(Duration::from_secs(1)).await;
            max_rss = max_rss.max(server.rss_mib());
        }
    };
    let waiting = async {
        match postgres {
            Some(url) => Some(crate::waits::sample(url, until, window).await),
            None => None,
        }
    };
    let (_, _, _, _, waits) =
        tokio::join!(lives, polling, sampling, tick(&bar, &writes, time), waiting);
    bar.finish_and_clear();
    let usage = usage.usage(server);
    let windows = writes.windows();
    // A last window cut short by the end of the soak holds too few requests to compare.
    let full = (time.as_nanos() / window.as_nanos()) as usize;
    let window_p99 = windows
        .iter()
        .take(full.max(1))
        .map(|h| h.value_at_quantile(0.99) as f64 / 1000.0)
        .collect();
    let mut failures = Failures::of(&writes);
    let (poll_failures, first) = polls.failures();
    failures.count += poll_failures;
    failures.first = failures.first.or(first);
    S5 {
        time,
        rate,
        pollers,
        writes: Latency::from(&writes.total()),
        polls: Latency::from(&polls.total()),
        write_tail: writes.tail(0.99),
        poll_tail: polls.tail(0.99),
        window_p99,
        window,
        max_rss_mib: max_rss,
        usage,
        failures,
        waits,
    }
}

/// `count` staff sessions, the demo's staff in turn.
async fn staff_sessions(base: &str, count: usize) -> Vec<reqwest::Client> {
    let organisation: Value = serde_json::from_str(include_str!(
        "../../crates/server/seed/demo/organisation.json"
    ))
    .expect("the demo's organisation");
    let usernames: Vec<&str> = organisation["staff"]
        .as_array()
        .expect("staff")
        .iter()
        .filter_map(|s| s["username"].as_str())
        .collect();
    let bar = ProgressBar::new(count as u64).with_style(
        ProgressStyle::with_template("  logging in staff {bar:40} {pos}/{len}").expect("template"),
    );
    let mut sessions = Vec::new();
    for chunk in (0..count).collect::<Vec<_>>().chunks(8) {
        for i in chunk {
            sessions.push(load::log_in(base, Login::Staff(usernames[i % usernames.len()])).await);
        }
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    sessions
}

/// A bar that fills over `time`, showing the requests answered so far.
fn timed_bar(what: &str, time: Duration) -> ProgressBar {
    ProgressBar::new(time.as_secs().max(1)).with_style(
        ProgressStyle::with_template(&format!("  {what} {{bar:40}} {{pos}}/{{len}} s · {{msg}}"))
            .expect("template"),
    )
}

async fn tick(bar: &ProgressBar, rec: &Recorder, time: Duration) {
    let started = Instant::now();
    while started.elapsed() < time {
        tokio::time::sleep(Duration::from_millis(250)).await;
        bar.set_position(started.elapsed().as_secs());
        let (failed, _) = rec.failures();
        bar.set_message(format!("{} requests, {failed} failed", rec.total().len()));
    }
}

/// Runs `count` tasks made by `task` on the runtime's threads and waits for them all.
async fn spawn_all<F>(count: usize, task: impl Fn(usize) -> F) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = (0..count).map(|i| tokio::spawn(task(i))).collect();
    let mut outputs = Vec::with_capacity(count);
    for h in handles {
        outputs.push(h.await.expect("a load task"));
    }
    outputs
}

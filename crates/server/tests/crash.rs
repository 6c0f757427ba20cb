//! Crash safety, on SQLite and on PostgreSQL: the real `onewindow serve` under concurrent load is
//! killed with SIGKILL at random moments and restarted on the same database, again and again.
//! Afterwards every case the server acknowledged (a 2xx answer reached the client) must be there
//! with every acknowledged event, in order; every acknowledged log-in must still hold; the event
//! chains must verify (`onewindow audit verify`); and on SQLite `PRAGMA integrity_check` is `ok`.
//!
//! The last stop of each run is a SIGTERM under the same load instead: the server must finish what
//! is in flight, exit cleanly within its drain time, and keep every acknowledged write as well.
//!
//! The same workload then runs on PostgreSQL across three processes behind one address list
//! (ADR 0038): each request goes to the next process in turn, one of them is killed at each
//! moment, and each runs a supervision pass every second. Sessions, case numbers and chains must
//! hold across them as they do in one.
//!
//! The kill moments come from a seed printed at the start; `ONEWINDOW_CRASH_SEED=<n>` replays
//! them (the load's own timing still varies with the machine).

mod common;

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::cli::{onewindow, text};
use common::server::Server;
use common::{PASSWORD, enterprise_phones};
use onewindow_store::{Engine, testing::TestDb};
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};
use tokio::sync::watch;

const ITEM: &str = "440511-RSJ-005";
/// Its materials, all checked as handed in at acceptance.
const ITEM_MATERIALS: [&str; 5] = ["M01", "M02", "M03", "M04", "M05"];
/// The file uploaded for each material before the application is sent.
const SCAN: &[u8] = include_bytes!("../seed/demo/scan.pdf");
const KILLS: usize = 20;
const WORKERS: usize = 6;
/// How long the server runs under load before each kill, in milliseconds.
const UPTIME_MS: std::ops::Range<u64> = 150..1_200;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_cases_survive_sigkill_on_both_engines() {
    let seed = std::env::var("ONEWINDOW_CRASH_SEED")
        .ok()
        .map(|s| s.parse().expect("ONEWINDOW_CRASH_SEED is a number"))
        .unwrap_or_else(|| fastrand::u64(..));
    eprintln!("crash test seed {seed} (replay with ONEWINDOW_CRASH_SEED={seed})");
    for db in TestDb::each().await {
        run(&db, seed, 1).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_cases_survive_kills_across_three_processes() {
    let seed = fastrand::u64(..);
    eprintln!("crash test seed {seed}");
    if let Some(db) = TestDb::postgres().await {
        run(&db, seed, 3).await;
    }
}

/// The server processes of a run, one address each, as a reverse proxy's upstream list.
struct Servers {
    processes: Vec<Server>,
}

impl Servers {
    async fn start(database: &str, count: usize) -> Servers {
        let mut processes = Vec::with_capacity(count);
        for _ in 0..count {
            processes.push(Server::start(database, &server_args(count)).await);
        }
        Servers { processes }
    }

    fn addresses(&self) -> Vec<String> {
        self.processes.iter().map(|s| s.base.clone()).collect()
    }
}

/// Behind a trusted proxy on this machine. Several processes each run a supervision pass every
/// second, so their passes meet, and share PostgreSQL's hundred connections (its default
/// max_connections) with a replacement starting while the killed one's are let go.
fn server_args(processes: usize) -> Vec<&'static str> {
    let mut args = vec!["--trusted-proxy", "127.0.0.1"];
    if processes > 1 {
        args.extend(["--supervision-every", "1", "--connections", "8"]);
    }
    args
}

async fn run(db: &TestDb, seed: u64, processes: usize) {
    let started = Instant::now();
    let seeded = onewindow(&db.url, &["seed", "demo", "--cases", "50"]);
    assert!(seeded.status.success(), "seed: {}", text(&seeded));

    let mut rng = fastrand::Rng::with_seed(seed);
    let mut servers = Servers::start(&db.url, processes).await;
    let (publish, watch) = watch::channel((0_u64, servers.addresses()));
    let load = Arc::new(Load {
        server: watch,
        ledger: Mutex::default(),
        interrupted: AtomicUsize::new(0),
        stop: AtomicBool::new(false),
    });
    let phones = enterprise_phones();
    let workers: Vec<_> = (0..WORKERS)
        .map(|i| {
            let phone = phones[i % phones.len()].clone();
            tokio::spawn(Worker::new(load.clone(), phone, i).run())
        })
        .collect();

    for generation in 1..=KILLS as u64 {
        tokio::time::sleep(Duration::from_millis(rng.u64(UPTIME_MS))).await;
        let victim = servers.processes.swap_remove(rng.usize(..processes));
        if generation == KILLS as u64 {
            victim.terminate();
        } else {
            drop(victim); // SIGKILL
        }
        servers
            .processes
            .push(Server::start(&db.url, &server_args(processes)).await);
        publish.send_replace((generation, servers.addresses()));
    }
    tokio::time::sleep(Duration::from_millis(rng.u64(UPTIME_MS))).await;
    load.stop.store(true, Ordering::SeqCst);
    for w in workers {
        w.await.expect("worker");
    }
    // One more kill with nothing in flight, so the last acknowledgements are tested too.
    drop(servers);
    let server = Server::start(&db.url, &server_args(1)).await;

    let ledger = std::mem::take(&mut *load.ledger.lock().unwrap());
    let mut problems = ledger.failures;
    let acknowledged: usize = ledger.cases.values().map(|(_, kinds)| kinds.len()).sum();
    let interrupted = load.interrupted.load(Ordering::SeqCst);
    eprintln!(
        "{:?}, {processes} process(es): {KILLS} kills in {:.1} s, {} cases and {acknowledged} events acknowledged, {interrupted} requests cut off by a kill",
        db.engine(),
        started.elapsed().as_secs_f64(),
        ledger.cases.len(),
    );
    assert!(
        acknowledged >= 2 * KILLS,
        "too little load to test anything"
    );
    assert!(interrupted > 0, "no kill cut off a request in flight");

    let mut owners: HashMap<String, Client> = HashMap::new();
    for (number, (phone, kinds)) in &ledger.cases {
        if !owners.contains_key(phone) {
            let c = client();
            let (s, body) = send(
                &c,
                &server.base,
                Method::POST,
                LOGIN_APPLICANT,
                Payload::Json(&json!({"phone": phone, "password": PASSWORD})),
            )
            .await
            .expect("log in after the last restart");
            assert_eq!(s, StatusCode::OK, "{body}");
            owners.insert(phone.clone(), c);
        }
        let path = format!("/api/v1/cases/{number}");
        let (s, view) = send(
            &owners[phone],
            &server.base,
            Method::GET,
            &path,
            Payload::Json(&Value::Null),
        )
        .await
        .expect("the restarted server answers");
        if s != StatusCode::OK {
            problems.push(format!("case {number} acknowledged, now {s}: {view}"));
            continue;
        }
        let found: Vec<&str> = view["events"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["kind"].as_str())
            .collect();
        // An unacknowledged request may still have been committed, so more events are fine.
        if !found.starts_with(kinds) {
            problems.push(format!(
                "case {number}: acknowledged events {kinds:?}, found {found:?}"
            ));
        }
    }
    drop(server);

    let verified = onewindow(&db.url, &["audit", "verify"]);
    if !verified.status.success() {
        problems.push(format!("audit verify: {}", text(&verified)));
    }
    if db.engine() == Engine::Sqlite {
        let check: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(db.store.pool())
            .await
            .expect("integrity check");
        if check != "ok" {
            problems.push(format!("PRAGMA integrity_check: {check}"));
        }
    }
    assert!(
        problems.is_empty(),
        "{:?}, seed {seed}:\n{}",
        db.engine(),
        problems.join("\n")
    );
}

const LOGIN_APPLICANT: &str = "/api/v1/auth/applicant/login";
const LOGIN_STAFF: &str = "/api/v1/auth/staff/login";

fn client() -> Client {
    client_at("127.0.0.1")
}

/// A client whose requests the server, behind its trusted proxy, takes as coming from `address`.
fn client_at(address: &str) -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-forwarded-for", address.parse().unwrap());
    Client::builder()
        .cookie_store(true)
        .default_headers(headers)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// The status and JSON answer, or the error when no answer came (the server was killed).
/// What a request sends: JSON (none when null), or a file's bytes.
#[derive(Clone, Copy, Debug)]
enum Payload<'a> {
    Json(&'a Value),
    File(&'static [u8]),
}

async fn send(
    c: &Client,
    base: &str,
    method: Method,
    path: &str,
    body: Payload<'_>,
) -> reqwest::Result<(StatusCode, Value)> {
    let mut req = c.request(method, format!("{base}{path}"));
    match body {
        Payload::Json(v) if v.is_null() => {}
        Payload::Json(v) => req = req.json(v),
        Payload::File(bytes) => {
            req = req
                .header("content-type", "application/octet-stream")
                .body(bytes)
        }
    }
    let r = req.send().await?;
    let status = r.status();
    // A kill between the head and the body leaves the answer unread: not acknowledged.
    let bytes = r.bytes().await?;
    Ok((
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    ))
}

/// What the workers share: the current servers (a generation number and their addresses), what
/// was acknowledged, and what went wrong.
struct Load {
    server: watch::Receiver<(u64, Vec<String>)>,
    ledger: Mutex<Ledger>,
    interrupted: AtomicUsize,
    stop: AtomicBool,
}

#[derive(Default)]
struct Ledger {
    /// Case number → its owner's phone and the event kinds acknowledged, in order.
    cases: BTreeMap<String, (String, Vec<&'static str>)>,
    failures: Vec<String>,
}

/// The accounts one worker walks its cases with; cookies hold their sessions across restarts
/// (cookies are not bound to a port).
struct Actors {
    owner: Client,
    clerk: Client,
    approver: Client,
    /// The second reviewer: separation of duties gives the verify step to another person.
    verifier: Client,
    chief: Client,
    exit: Client,
}

struct Worker {
    load: Arc<Load>,
    phone: String,
    /// The address the worker's requests come from, as the proxy names it: six people at six
    /// desks, each logging in as the others do.
    address: String,
    /// The server generation this worker talks to, and its addresses.
    generation: u64,
    bases: Vec<String>,
    /// Requests sent so far: each goes to the next address in turn.
    sent: usize,
}

/// Why a walk stopped: the server died (go on after the restart) or it answered wrongly.
enum Stop {
    Killed,
    Failed,
}

impl Worker {
    fn new(load: Arc<Load>, phone: String, index: usize) -> Worker {
        let (generation, bases) = load.server.borrow().clone();
        Worker {
            load,
            phone,
            address: format!("10.0.0.{}", index + 1),
            generation,
            bases,
            sent: index,
        }
    }

    fn stopping(&self) -> bool {
        self.load.stop.load(Ordering::SeqCst)
    }

    async fn run(mut self) {
        let Some(actors) = self.log_in_all().await else {
            return;
        };
        while !self.stopping() {
            match self.walk(&actors).await {
                Ok(()) | Err(Stop::Killed) => {}
                Err(Stop::Failed) => return,
            }
        }
    }

    async fn log_in_all(&mut self) -> Option<Actors> {
        let phone = self.phone.clone();
        Some(Actors {
            owner: self
                .log_in(LOGIN_APPLICANT, json!({"phone": phone}))
                .await?,
            clerk: self
                .log_in(LOGIN_STAFF, json!({"username": "clerk.a01"}))
                .await?,
            approver: self
                .log_in(LOGIN_STAFF, json!({"username": "approver.rsj.1"}))
                .await?,
            verifier: self
                .log_in(LOGIN_STAFF, json!({"username": "approver.rsj.2"}))
                .await?,
            chief: self
                .log_in(LOGIN_STAFF, json!({"username": "chief.rsj"}))
                .await?,
            exit: self
                .log_in(LOGIN_STAFF, json!({"username": "clerk.e02"}))
                .await?,
        })
    }

    /// A logged-in client, retrying across kills; `None` once the load stops or on a failure.
    async fn log_in(&mut self, path: &str, mut body: Value) -> Option<Client> {
        body["password"] = json!(PASSWORD);
        let c = client_at(&self.address);
        while !self.stopping() {
            match self.post(&c, path, Payload::Json(&body)).await {
                Ok(_) => return Some(c),
                Err(Stop::Killed) => continue,
                Err(Stop::Failed) => return None,
            }
        }
        None
    }

    /// Creates a case and takes it through to the result, recording each acknowledged step.
    async fn walk(&mut self, a: &Actors) -> Result<(), Stop> {
        let created = self
            .post(
                &a.owner,
                "/api/v1/cases",
                Payload::Json(&json!({"item": ITEM})),
            )
            .await?;
        let Some(number) = created["number"].as_str().map(str::to_owned) else {
            return Err(self.fail(format!("a created case without a number: {created}")));
        };
        if self.load.ledger.lock().unwrap().cases.contains_key(&number) {
            return Err(self.fail(format!("case number {number} handed out twice")));
        }
        self.acknowledge(&number, None);
        // Online, each required material has a file before the application is sent.
        for material in ITEM_MATERIALS {
            let path =
                format!("/api/v1/cases/{number}/materials/{material}/files?name={material}.pdf");
            self.post(&a.owner, &path, Payload::File(SCAN)).await?;
            self.acknowledge(&number, Some("material_uploaded"));
        }
        let steps = [
            (&a.owner, json!({"action": "submit"}), "submitted"),
            (
                &a.clerk,
                json!({"action": "accept", "waived": [], "received": ITEM_MATERIALS}),
                "accepted",
            ),
            (
                &a.approver,
                json!({"action": "complete_step", "comment": "材料齐全，符合条件"}),
                "step_completed",
            ),
            (
                &a.verifier,
                json!({"action": "complete_step", "comment": "复核无误，同意"}),
                "step_completed",
            ),
            (
                &a.chief,
                json!({"action": "decide", "decision": "approved", "comment": "准予许可"}),
                "decided",
            ),
            (
                &a.exit,
                json!({"action": "issue", "method": {"method": "window", "collector": {"name": "陈伟明", "id_number": "11010519491231002X", "entrustment": "授权委托书"}}}),
                "issued",
            ),
        ];
        let path = format!("/api/v1/cases/{number}/actions");
        for (c, body, kind) in steps {
            self.post(c, &path, Payload::Json(&body)).await?;
            self.acknowledge(&number, Some(kind));
        }
        Ok(())
    }

    fn acknowledge(&self, number: &str, kind: Option<&'static str>) {
        let mut ledger = self.load.ledger.lock().unwrap();
        let (_, kinds) = ledger
            .cases
            .entry(number.to_owned())
            .or_insert_with(|| (self.phone.clone(), Vec::new()));
        kinds.extend(kind);
    }

    fn fail(&self, what: String) -> Stop {
        self.load.ledger.lock().unwrap().failures.push(what);
        Stop::Failed
    }

    /// Sends to the next of the current servers. No answer means it was killed: wait for the
    /// next generation.
    async fn post(&mut self, c: &Client, path: &str, body: Payload<'_>) -> Result<Value, Stop> {
        let base = &self.bases[self.sent % self.bases.len()];
        self.sent += 1;
        match send(c, base, Method::POST, path, body).await {
            Ok((s, answer)) if s.is_success() => Ok(answer),
            Ok((StatusCode::UNAUTHORIZED, answer)) if !path.starts_with("/api/v1/auth/") => {
                Err(self.fail(format!(
                    "POST {path}: an acknowledged session was lost: {answer}"
                )))
            }
            Ok((s, answer)) => Err(self.fail(format!("POST {path} {body:?}: {s} {answer}"))),
            Err(e) => {
                // A refused connection was never sent; anything else was cut off by the kill.
                if !e.is_connect() {
                    self.load.interrupted.fetch_add(1, Ordering::SeqCst);
                }
                self.next_server().await;
                Err(Stop::Killed)
            }
        }
    }

    /// Waits until a newer server than the one that failed is up (or the load stops).
    async fn next_server(&mut self) {
        let mut watch = self.load.server.clone();
        loop {
            let (generation, bases) = watch.borrow_and_update().clone();
            if generation > self.generation {
                self.generation = generation;
                self.bases = bases;
                return;
            }
            if self.stopping() {
                return;
            }
            let _ = tokio::time::timeout(Duration::from_millis(100), watch.changed()).await;
        }
    }
}

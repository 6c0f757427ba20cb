//! The load: the people of the demo centre, logged in over HTTP, taking cases through their
//! lives, and what each request cost.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

use crate::tail::{self, Sample, Tail};

/// The demo's password for every account.
const PASSWORD: &str = "OneWindow@2026";
/// A licence of the human-resources bureau (人社局) with two back-office steps.
pub const ITEM: &str = "440511-RSJ-005";
/// Its materials, all required: uploaded with the application, checked at acceptance.
const ITEM_MATERIALS: [&str; 5] = ["M01", "M02", "M03", "M04", "M05"];
/// The file uploaded for each material: a small one-page PDF, as a phone's scan app makes.
const SCAN: &[u8] = include_bytes!("../../crates/server/seed/demo/scan.pdf");

/// Phone numbers of the demo's enterprise applicants, who may apply for [`ITEM`].
pub fn enterprise_phones() -> Vec<String> {
    let all: Vec<Value> = serde_json::from_str(include_str!(
        "../../crates/server/seed/demo/applicants.json"
    ))
    .expect("the demo's applicants");
    all.iter()
        .filter(|a| a["kind"] == "enterprise")
        .filter_map(|a| a["phone"].as_str().map(str::to_owned))
        .collect()
}

fn client() -> Client {
    Client::builder()
        .cookie_store(true)
        .pool_max_idle_per_host(256)
        .timeout(Duration::from_secs(60))
        .build()
        .expect("an HTTP client")
}

/// A logged-in session.
pub async fn log_in(base: &str, kind: Login<'_>) -> Client {
    let c = client();
    let (path, body) = match kind {
        Login::Staff(username) => (
            "/api/v1/auth/staff/login",
            json!({"username": username, "password": PASSWORD}),
        ),
        Login::Applicant(phone) => (
            "/api/v1/auth/applicant/login",
            json!({"phone": phone, "password": PASSWORD}),
        ),
    };
    let r = c
        .post(format!("{base}{path}"))
        .json(&body)
        .send()
        .await
        .expect("log in");
    assert_eq!(r.status(), StatusCode::OK, "log in as {kind:?}");
    c
}

#[derive(Debug, Clone, Copy)]
pub enum Login<'a> {
    Staff(&'a str),
    Applicant(&'a str),
}

/// Everyone a case of [`ITEM`] meets on its way, one session each, shared by the workers
/// (a session serves concurrent requests, each client keeps a pool of connections).
pub struct Actors {
    owner: Client,
    clerk: Client,
    approver: Client,
    /// The second reviewer: separation of duties gives the verify step to another person.
    verifier: Client,
    chief: Client,
    exit: Client,
}

impl Actors {
    pub async fn log_in(base: &str, phone: &str) -> Actors {
        Actors {
            owner: log_in(base, Login::Applicant(phone)).await,
            clerk: log_in(base, Login::Staff("clerk.a01")).await,
            approver: log_in(base, Login::Staff("approver.rsj.1")).await,
            verifier: log_in(base, Login::Staff("approver.rsj.2")).await,
            chief: log_in(base, Login::Staff("chief.rsj")).await,
            exit: log_in(base, Login::Staff("clerk.e02")).await,
        }
    }
}

/// Latencies in microseconds, in windows of equal length (one window unless a soak asks for
/// more), the server's account of each request, and the failures.
pub struct Recorder {
    started: Instant,
    window: Duration,
    windows: Mutex<Vec<Histogram<u64>>>,
    samples: Mutex<Vec<Sample>>,
    pub failures: AtomicU64,
    first_failure: Mutex<Option<String>>,
}

impl Recorder {
    pub fn new() -> Recorder {
        Recorder::windowed(Duration::from_secs(u64::MAX / 4))
    }

    pub fn windowed(window: Duration) -> Recorder {
        Recorder {
            started: Instant::now(),
            window,
            windows: Mutex::new(Vec::new()),
            samples: Mutex::new(Vec::new()),
            failures: AtomicU64::new(0),
            first_failure: Mutex::new(None),
        }
    }

    fn record(
        &self,
        since: Instant,
        sent: Instant,
        answer: Result<(), String>,
        server_timing: Option<&str>,
    ) {
        let micros = since.elapsed().as_micros() as u64;
        if let Some(header) = server_timing {
            self.samples.lock().unwrap().push(Sample {
                seen_us: micros,
                late_us: sent.saturating_duration_since(since).as_micros() as u64,
                server_us: tail::parse(header),
            });
        }
        let index =
            (since.duration_since(self.started).as_nanos() / self.window.as_nanos()) as usize;
        let mut windows = self.windows.lock().unwrap();
        while windows.len() <= index {
            windows.push(Histogram::new_with_bounds(1, 600_000_000, 3).expect("histogram bounds"));
        }
        windows[index].saturating_record(micros.max(1));
        drop(windows);
        if let Err(what) = answer {
            self.failures.fetch_add(1, Ordering::Relaxed);
            self.first_failure.lock().unwrap().get_or_insert(what);
        }
    }

    /// Every window together.
    pub fn total(&self) -> Histogram<u64> {
        let windows = self.windows.lock().unwrap();
        let mut total = Histogram::new_with_bounds(1, 600_000_000, 3).expect("histogram bounds");
        for w in windows.iter() {
            total.add(w).expect("same bounds");
        }
        total
    }

    /// The windows that saw requests, in order.
    pub fn windows(&self) -> Vec<Histogram<u64>> {
        self.windows.lock().unwrap().clone()
    }

    /// Where the time of the requests at or above the `quantile` of latency went.
    pub fn tail(&self, quantile: f64) -> Tail {
        let threshold = self.total().value_at_quantile(quantile);
        Tail::of(&self.samples.lock().unwrap(), threshold)
    }

    pub fn failures(&self) -> (u64, Option<String>) {
        (
            self.failures.load(Ordering::Relaxed),
            self.first_failure.lock().unwrap().clone(),
        )
    }

    /// One request, timed from `since` (its scheduled start when the load is paced, so a slow
    /// answer that delays the next request is counted against both).
    pub async fn send(
        &self,
        c: &Client,
        method: Method,
        url: &str,
        body: Option<&Value>,
        since: Instant,
    ) -> Option<Value> {
        let mut request = c.request(method, url);
        if let Some(body) = body {
            request = request.json(body);
        }
        self.send_built(request, url, since).await
    }

    /// Uploads [`SCAN`] as the file of `material` of the case whose actions are at `actions`.
    pub async fn upload(
        &self,
        c: &Client,
        actions: &str,
        material: &str,
        since: Instant,
    ) -> Option<Value> {
        let url = format!(
            "{}/materials/{material}/files",
            actions.trim_end_matches("/actions")
        );
        let request = c
            .post(&url)
            .query(&[("name", format!("{material}.pdf"))])
            .header("content-type", "application/octet-stream")
            .body(SCAN);
        self.send_built(request, &url, since).await
    }

    async fn send_built(
        &self,
        request: reqwest::RequestBuilder,
        url: &str,
        since: Instant,
    ) -> Option<Value> {
        let sent = Instant::now();
        let mut server_timing = None;
        let answer = match request.send().await {
            Ok(r) if r.status().is_success() => {
                server_timing = r
                    .headers()
                    .get("server-timing")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned);
                r.json::<Value>().await.map_err(|e| e.to_string())
            }
            Ok(r) => {
                let status = r.status();
                Err(format!(
                    "{status} {url}: {}",
                    r.text().await.unwrap_or_default()
                ))
            }
            Err(e) => Err(format!("{url}: {e}")),
        };
        let value = answer.as_ref().ok().cloned();
        self.record(since, sent, answer.map(|_| ()), server_timing.as_deref());
        value
    }
}

/// When each request of a paced (open-loop) load is due: one every `interval`, whoever sends it.
pub struct Pacer {
    started: Instant,
    interval_ns: u64,
    next: AtomicU64,
}

impl Pacer {
    pub fn per_second(rate: f64) -> Pacer {
        Pacer {
            started: Instant::now(),
            interval_ns: (1e9 / rate.max(1.0)) as u64,
            next: AtomicU64::new(0),
        }
    }

    /// Waits for the next slot and returns when it was due.
    pub async fn slot(&self) -> Instant {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let due = self.started + Duration::from_nanos(n * self.interval_ns);
        tokio::time::sleep_until(due.into()).await;
        due
    }
}

/// The owner drafts a case of [`ITEM`]: the URL of its actions, or None if the draft failed.
pub async fn draft(base: &str, a: &Actors, rec: &Recorder, since: Instant) -> Option<String> {
    let cases = format!("{base}/api/v1/cases");
    let created = rec
        .send(
            &a.owner,
            Method::POST,
            &cases,
            Some(&json!({"item": ITEM})),
            since,
        )
        .await?;
    let number = created["number"].as_str()?;
    Some(format!("{cases}/{number}/actions"))
}

/// The owner uploads a file for each required material of a draft (after [`draft`]); false at
/// the first failure. `slot` says when each upload is due.
pub async fn upload_materials<F, Fut>(a: &Actors, rec: &Recorder, actions: &str, slot: F) -> bool
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Instant>,
{
    for material in ITEM_MATERIALS {
        if rec
            .upload(&a.owner, actions, material, slot().await)
            .await
            .is_none()
        {
            return false;
        }
    }
    true
}

/// The owner submits a case (after [`draft`] and [`upload_materials`]).
pub async fn submit(a: &Actors, rec: &Recorder, actions: &str) {
    let body = json!({"action": "submit"});
    rec.send(&a.owner, Method::POST, actions, Some(&body), Instant::now())
        .await;
}

/// The requests of one case's life: drafted online with a file for each material and submitted,
/// accepted at the window, two review steps, the decision and the issue of the result. Returns how many were answered
/// successfully; stops at the first failure.
pub async fn case_life(base: &str, a: &Actors, rec: &Recorder, pacer: Option<&Pacer>) -> u64 {
    let slot = || async {
        match pacer {
            Some(p) => p.slot().await,
            None => Instant::now(),
        }
    };
    let Some(actions) = draft(base, a, rec, slot().await).await else {
        return 0;
    };
    if !upload_materials(a, rec, &actions, slot).await {
        return 1;
    }
    let steps = [
        (&a.owner, json!({"action": "submit"})),
        (
            &a.clerk,
            json!({"action": "accept", "waived": [], "received": ITEM_MATERIALS}),
        ),
        (
            &a.approver,
            json!({"action": "complete_step", "comment": "材料齐全，符合条件"}),
        ),
        (
            &a.verifier,
            json!({"action": "complete_step", "comment": "复核无误，同意"}),
        ),
        (
            &a.chief,
            json!({"action": "decide", "decision": "approved", "comment": "准予许可"}),
        ),
        (
            &a.exit,
            json!({"action": "issue", "method": {"method": "window", "collector": {"name": "陈伟明", "id_number": "11010519491231002X", "entrustment": "授权委托书"}}}),
        ),
    ];
    let mut answered = 1 + ITEM_MATERIALS.len() as u64;
    for (c, body) in steps {
        let since = slot().await;
        if rec
            .send(c, Method::POST, &actions, Some(&body), since)
            .await
            .is_none()
        {
            break;
        }
        answered += 1;
    }
    answered
}

/// Requests per case life: the draft, a file for each of the five materials, and six
/// transitions.
pub const REQUESTS_PER_CASE: u64 = 12;
/// Requests per online submission: the draft, the five files and the submission.
pub const REQUESTS_PER_SUBMISSION: u64 = 7;

//! What the HTTP tests share: the demo centre served on a free port, logged-in clients, requests
//! that answer (status, JSON), and the problem check. Each test binary uses part of it.
#![allow(dead_code)]

pub mod cli;
pub mod server;

use onewindow_server::notifier::Notifier;
use onewindow_server::{App, AppState};
use onewindow_store::testing::TestDb;
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

/// Every demo account's password.
pub const PASSWORD: &str = "OneWindow@2026";
/// The data key of every test server: the binary's, so the commands a test runs on its database
/// read what the server sealed and encrypted.
pub const KEY: &[u8] = cli::DATA_KEY.as_bytes();
/// The smallest file the server takes for a PDF.
pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

pub struct TestApp {
    base: String,
    pub db: TestDb,
    /// Where the server writes its text messages, one JSON object a line.
    outbox: std::path::PathBuf,
}

impl TestApp {
    /// The demo centre (no historical cases) on `db`, served on a free local port.
    pub async fn start(db: TestDb) -> TestApp {
        onewindow_server::seed::demo(&db.store, KEY, 0)
            .await
            .expect("demo seed");
        TestApp::serve(db).await
    }

    /// Serves `db` as it is, on a free local port.
    pub async fn serve(db: TestDb) -> TestApp {
        TestApp::serve_with(db, |_| {}).await
    }

    /// The demo centre on `db` behind a reverse proxy on this machine: `X-Forwarded-For` names
    /// each request's client.
    pub async fn start_behind_proxy(db: TestDb) -> TestApp {
        onewindow_server::seed::demo(&db.store, KEY, 0)
            .await
            .expect("demo seed");
        TestApp::serve_with(db, |state| {
            state.trusted_proxies = std::sync::Arc::new(vec![
                std::net::Ipv4Addr::LOCALHOST.into(),
                std::net::Ipv6Addr::LOCALHOST.into(),
            ]);
        })
        .await
    }

    pub async fn serve_with(db: TestDb, configure: impl FnOnce(&mut AppState)) -> TestApp {
        let mut state = AppState::new(db.store.clone(), KEY);
        configure(&mut state);
        let outbox = std::env::temp_dir().join(format!("ow-sms-{}.jsonl", fastrand::u64(..)));
        state.notifier = Notifier::outbox(outbox.clone());
        let app = App::from_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(app.serve(listener));
        TestApp { base, db, outbox }
    }

    /// Asks for a verification code for `phone` and reads it from the text message.
    pub async fn code_for(&self, phone: &str) -> String {
        let (s, body) = self
            .send(
                &self.client(),
                Method::POST,
                "/api/v1/auth/applicant/code",
                Some(&json!({ "phone": phone })),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let sent_to = body["sent_to"].as_str().unwrap().to_owned();
        let outbox = std::fs::read_to_string(&self.outbox).unwrap_or_default();
        outbox
            .lines()
            .rev()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .find(|m| m["to"] == sent_to.as_str())
            .and_then(|m| {
                let text = m["text"].as_str()?;
                let digits: String = text.chars().filter(char::is_ascii_digit).take(6).collect();
                (digits.len() == 6).then_some(digits)
            })
            .expect("a verification code was texted")
    }

    /// The first text message containing `needle`, waited for up to five seconds: the server
    /// texts in the background.
    pub async fn texted(&self, needle: &str) -> String {
        for _ in 0..50 {
            let outbox = std::fs::read_to_string(&self.outbox).unwrap_or_default();
            let found = outbox
                .lines()
                .map(|l| serde_json::from_str::<Value>(l).unwrap())
                .filter_map(|m| m["text"].as_str().map(str::to_owned))
                .find(|t| t.contains(needle));
            if let Some(text) = found {
                return text;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("no text message contains {needle:?}");
    }

    pub fn client(&self) -> Client {
        Client::builder().cookie_store(true).build().unwrap()
    }

    pub async fn staff(&self, username: &str) -> Client {
        let c = self.client();
        let r = c
            .post(self.url("/api/v1/auth/staff/login"))
            .json(&json!({"username": username, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "login {username}");
        c
    }

    pub async fn applicant(&self, phone: &str) -> Client {
        let c = self.client();
        let r = c
            .post(self.url("/api/v1/auth/applicant/login"))
            .json(&json!({"phone": phone, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "login {phone}");
        c
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A request with an optional JSON body; the status and the JSON answer (`Null` if none).
    pub async fn send(
        &self,
        c: &Client,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        let mut req = c.request(method, self.url(path));
        if let Some(body) = body {
            req = req.json(body);
        }
        let r = req.send().await.unwrap();
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn get(&self, c: &Client, path: &str) -> (StatusCode, Value) {
        self.send(c, Method::GET, path, None).await
    }

    pub async fn act(&self, c: &Client, number: &str, body: Value) -> (StatusCode, Value) {
        let path = format!("/api/v1/cases/{number}/actions");
        self.send(c, Method::POST, &path, Some(&body)).await
    }

    /// The clerk accepts the case with `waived` (a JSON list of waivers), checking every other
    /// material of its item as received.
    pub async fn accept(&self, clerk: &Client, number: &str, waived: Value) -> (StatusCode, Value) {
        let (s, materials) = self
            .get(clerk, &format!("/api/v1/cases/{number}/materials"))
            .await;
        assert_eq!(s, StatusCode::OK, "{materials}");
        let waived_codes: Vec<&Value> = waived
            .as_array()
            .unwrap()
            .iter()
            .map(|w| &w["material"])
            .collect();
        let received: Vec<&Value> = materials["materials"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| &m["code"])
            .filter(|code| !waived_codes.contains(code))
            .collect();
        let body = json!({"action": "accept", "waived": waived, "received": received});
        self.act(clerk, number, body).await
    }

    /// Finishes the case's current steps one after another, each by its member of staff with
    /// their comment.
    pub async fn complete_steps(&self, number: &str, steps: &[(&Client, &str)]) {
        for (staff, comment) in steps {
            let body = json!({"action": "complete_step", "comment": comment});
            let (s, answer) = self.act(staff, number, body).await;
            assert_eq!(s, StatusCode::OK, "{answer}");
        }
    }

    /// `owner` uploads a file for each required material of `item` to the draft `number`.
    pub async fn upload_required(&self, owner: &Client, number: &str, item: &str) {
        let (s, guide) = self
            .get(owner, &format!("/api/v1/items/{item}/guide"))
            .await;
        assert_eq!(s, StatusCode::OK, "{guide}");
        for m in guide["materials"].as_array().unwrap() {
            if m["required"] == true {
                let code = m["code"].as_str().unwrap();
                let (s, body) = self.upload(owner, number, code, "scan.pdf", PDF).await;
                assert_eq!(s, StatusCode::CREATED, "{body}");
            }
        }
    }

    /// Uploads `bytes` as `name` for `material` of a case; the status and the JSON answer.
    pub async fn upload(
        &self,
        c: &Client,
        number: &str,
        material: &str,
        name: &str,
        bytes: &[u8],
    ) -> (StatusCode, Value) {
        let r = c
            .post(self.url(&format!(
                "/api/v1/cases/{number}/materials/{material}/files"
            )))
            .query(&[("name", name)])
            .header("content-type", "application/octet-stream")
            .body(bytes.to_vec())
            .send()
            .await
            .unwrap();
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// A case of `item` that `owner` applied for online and submitted; its number.
    pub async fn submitted_case(&self, owner: &Client, item: &str) -> String {
        let (s, created) = self
            .send(
                owner,
                Method::POST,
                "/api/v1/cases",
                Some(&json!({"item": item})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{created}");
        let number = created["number"].as_str().unwrap().to_owned();
        self.upload_required(owner, &number, item).await;
        let (s, body) = self.act(owner, &number, json!({"action": "submit"})).await;
        assert_eq!(s, StatusCode::OK, "{body}");
        number
    }
}

/// Phone numbers of the demo's enterprise applicants, who may apply for the licences tested.
pub fn enterprise_phones() -> Vec<String> {
    let all: Vec<Value> =
        serde_json::from_str(include_str!("../../seed/demo/applicants.json")).unwrap();
    all.iter()
        .filter(|a| a["kind"] == "enterprise")
        .map(|a| a["phone"].as_str().unwrap().to_owned())
        .collect()
}

/// A problem with the given code and both messages.
pub fn assert_problem(body: &Value, code: &str) {
    assert_eq!(body["code"], code, "{body}");
    assert!(
        body["message_zh"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    assert!(
        body["message_en"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
}

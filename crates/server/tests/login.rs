//! Log-in under attack (ADR 0033): attempts sent at once are counted one by one, before any
//! password is checked; a guesser is slowed at their own address, not the owner at theirs; and a
//! name no account has is answered as a real one.

mod common;

use common::{PASSWORD, TestApp};
use onewindow_store::testing::TestDb;
use reqwest::StatusCode;
use serde_json::{Value, json};

const LOGIN: &str = "/api/v1/auth/staff/login";

/// A log-in as `username` from `address`: the status and the problem code, if any.
async fn log_in(
    app: &TestApp,
    username: &str,
    password: &str,
    address: &str,
) -> (StatusCode, String) {
    attempt(app.url(LOGIN), username, password, address).await
}

async fn attempt(
    url: String,
    username: &str,
    password: &str,
    address: &str,
) -> (StatusCode, String) {
    let r = reqwest::Client::new()
        .post(url)
        .header("x-forwarded-for", address)
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .unwrap();
    let status = r.status();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    (status, body["code"].as_str().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn forty_guesses_at_once_get_five_hearings_on_both_engines() {
    for db in TestDb::each().await {
        let engine = db.engine();
        let app = TestApp::start_behind_proxy(db).await;
        let mut guesses = tokio::task::JoinSet::new();
        for i in 0..40 {
            let url = app.url(LOGIN);
            guesses.spawn(async move {
                attempt(url, "clerk.a01", &format!("guess-{i}"), "203.0.113.9").await
            });
        }
        let answers = guesses.join_all().await;
        let heard = answers
            .iter()
            .filter(|(s, _)| *s == StatusCode::UNAUTHORIZED)
            .count();
        // The rest wait: for the name from this address, or, past its burst, for the address.
        let waiting = answers
            .iter()
            .filter(|(s, c)| {
                *s == StatusCode::TOO_MANY_REQUESTS
                    && (c == "login_throttled" || c == "rate_limited")
            })
            .count();
        assert_eq!((heard, waiting), (5, 35), "{engine:?}: {answers:?}");
        // The right password from the guesser's address must wait as well.
        let (s, code) = log_in(&app, "clerk.a01", PASSWORD, "203.0.113.9").await;
        assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{code}");
        // The owner, at their window, is not made to wait.
        let (s, _) = log_in(&app, "clerk.a01", PASSWORD, "10.20.30.40").await;
        assert_eq!(s, StatusCode::OK, "{engine:?}");
    }
}

#[tokio::test]
async fn a_name_no_account_has_is_answered_as_a_real_one_on_both_engines() {
    for db in TestDb::each().await {
        let app = TestApp::start_behind_proxy(db).await;
        let mut answers = Vec::new();
        for name in ["clerk.a02", "no.such.person"] {
            let mut seen = Vec::new();
            for _ in 0..6 {
                seen.push(log_in(&app, name, "wrong password", "198.51.100.4").await);
            }
            answers.push(seen);
        }
        assert_eq!(answers[0], answers[1]);
        assert_eq!(
            answers[0][4],
            (StatusCode::UNAUTHORIZED, "bad_credentials".into())
        );
        assert_eq!(answers[0][5].1, "login_throttled");
        // Only the real account's failures reach the audit log, with the address.
        let failed: Vec<String> =
            sqlx::query_scalar("SELECT payload FROM audit_log WHERE action = 'login_failed'")
                .fetch_all(app.db.store.pool())
                .await
                .unwrap();
        assert_eq!(failed.len(), 5);
        assert!(
            failed.iter().all(|p| p.contains("198.51.100.4")),
            "{failed:?}"
        );
    }
}

#[tokio::test]
async fn an_address_header_from_anyone_but_the_proxy_is_ignored_on_both_engines() {
    for db in TestDb::each().await {
        // No proxy configured: every request comes from this machine, whatever it claims.
        let app = TestApp::start(db).await;
        for i in 0..5 {
            let (s, _) = log_in(&app, "clerk.a03", "wrong", &format!("192.0.2.{i}")).await;
            assert_eq!(s, StatusCode::UNAUTHORIZED);
        }
        let (s, code) = log_in(&app, "clerk.a03", PASSWORD, "192.0.2.99").await;
        assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{code}");
        assert_eq!(code, "login_throttled");
    }
}

/// The public progress query: a number and four phone digits are guessable, so one address gets
/// ten at once and thirty a minute; another address is served meanwhile.
#[tokio::test]
async fn the_progress_query_is_limited_per_address_on_both_engines() {
    for db in TestDb::each().await {
        let app = TestApp::start_behind_proxy(db).await;
        let query = |address: &'static str| {
            let url = app.url("/api/v1/progress?number=440511-20261207-0000017&phone_last4=0000");
            async move {
                reqwest::Client::new()
                    .get(url)
                    .header("x-forwarded-for", address)
                    .send()
                    .await
                    .unwrap()
            }
        };
        for _ in 0..10 {
            assert_eq!(query("203.0.113.20").await.status(), StatusCode::NOT_FOUND);
        }
        let refused = query("203.0.113.20").await;
        assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(refused.headers().contains_key("retry-after"));
        let body: Value = refused.json().await.unwrap();
        assert_eq!(body["code"], "rate_limited");
        assert_eq!(query("203.0.113.21").await.status(), StatusCode::NOT_FOUND);
    }
}

/// A flood of any API request from one address is refused before it reaches a route, with
/// `Retry-After`; another address is served meanwhile, and the page itself is not an API request.
#[tokio::test]
async fn a_flood_from_one_address_is_refused_and_others_served() {
    let app = TestApp::start_behind_proxy(TestDb::sqlite().await).await;
    let client = reqwest::Client::new();
    let get = |path: &str, address: &'static str| {
        client
            .get(app.url(path))
            .header("x-forwarded-for", address)
            .send()
    };
    // Fifty at a time, so the flood outruns the quota's refill however slow the machine.
    let mut refused = None;
    for _ in 0..100 {
        let mut batch = tokio::task::JoinSet::new();
        for _ in 0..50 {
            batch.spawn(get("/api/v1/items", "203.0.113.30"));
        }
        while let Some(r) = batch.join_next().await {
            let r = r.unwrap().unwrap();
            match r.status() {
                StatusCode::TOO_MANY_REQUESTS => refused = Some(r),
                status => assert_eq!(status, StatusCode::OK),
            }
        }
        if refused.is_some() {
            break;
        }
    }
    let refused = refused.expect("the flood was refused");
    assert!(refused.headers().contains_key("retry-after"));
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["code"], "rate_limited");
    let other = get("/api/v1/items", "203.0.113.31").await.unwrap();
    assert_eq!(other.status(), StatusCode::OK);
}

/// A staff session unused for its idle time ends; one in use goes on; an applicant's has only
/// its absolute end.
#[tokio::test]
async fn an_idle_staff_session_ends_on_both_engines() {
    for db in TestDb::each().await {
        let engine = db.engine();
        onewindow_server::seed::demo(&db.store, common::KEY, 0)
            .await
            .unwrap();
        let app = TestApp::serve_with(db, |state| state.staff_idle_ms = Some(1_200)).await;
        let busy = app.staff("clerk.a01").await;
        let idle = app.staff("clerk.a02").await;
        let citizen = app.applicant(&common::enterprise_phones()[0]).await;
        for _ in 0..6 {
            tokio::time::sleep(std::time::Duration::from_millis(400)).await;
            assert_eq!(
                app.get(&busy, "/api/v1/me").await.0,
                StatusCode::OK,
                "{engine:?}"
            );
        }
        assert_eq!(
            app.get(&idle, "/api/v1/me").await.0,
            StatusCode::UNAUTHORIZED,
            "{engine:?}"
        );
        assert_eq!(app.get(&citizen, "/api/v1/me").await.0, StatusCode::OK);
    }
}

/// An API read that does not answer within the read timeout is given up with 503
/// `request_timeout`; writes and the page itself are not bounded by it.
#[tokio::test]
async fn a_read_beyond_its_time_is_given_up() {
    let db = TestDb::sqlite().await;
    onewindow_server::seed::demo(&db.store, common::KEY, 0)
        .await
        .unwrap();
    let app = TestApp::serve_with(db, |state| {
        state.read_timeout = std::time::Duration::ZERO;
    })
    .await;
    let (s, body) = app.get(&app.client(), "/api/v1/items").await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["code"], "request_timeout");
    assert_eq!(
        reqwest::get(app.url("/healthz")).await.unwrap().status(),
        StatusCode::OK
    );
}

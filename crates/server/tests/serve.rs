//! Connections: an idle one is closed after the header time limit, so idle connections cannot
//! pile up; a stop lets the request in flight finish.

mod common;

use std::time::{Duration, Instant};

use onewindow_server::public_url::PublicUrl;
use onewindow_server::serve::Limits;
use onewindow_server::{App, AppState};
use onewindow_store::testing::TestDb;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

async fn started(limits: Limits) -> (String, tokio::sync::oneshot::Sender<()>) {
    serving(AppState::new, limits).await
}

/// Serves an empty SQLite database with the state `state` makes.
async fn serving(
    state: impl FnOnce(onewindow_store::Store, &[u8]) -> AppState,
    limits: Limits,
) -> (String, tokio::sync::oneshot::Sender<()>) {
    let db = TestDb::sqlite().await;
    onewindow_server::seed::demo(&db.store, common::KEY, 0)
        .await
        .unwrap();
    let app = App::from_state(state(db.store.clone(), common::KEY)).with_limits(limits);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let _db = db;
        app.serve_until(listener, async {
            let _ = stopped.await;
        })
        .await
    });
    (addr, stop)
}

/// Reads until the server closes the connection; how long that took.
async fn closed_after(stream: &mut TcpStream) -> Duration {
    let start = Instant::now();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return start.elapsed(),
            Ok(Ok(_)) => {}
            Err(_) => panic!("the connection stayed open for 10 s"),
        }
    }
}

#[tokio::test]
async fn idle_connections_are_closed_after_the_header_time_limit() {
    let limits = Limits {
        header_timeout: Duration::from_millis(300),
        ..Limits::default()
    };
    let (addr, _stop) = started(limits).await;

    // Never a byte sent.
    let mut silent = TcpStream::connect(&addr).await.unwrap();
    assert!(closed_after(&mut silent).await < Duration::from_secs(3));

    // Half a request line, then nothing.
    let mut slow = TcpStream::connect(&addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHo")
        .await
        .unwrap();
    assert!(closed_after(&mut slow).await < Duration::from_secs(3));

    // One request answered, then the kept-alive connection sits idle.
    let mut kept = TcpStream::connect(&addr).await.unwrap();
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut answer = [0u8; 64];
    let n = kept.read(&mut answer).await.unwrap();
    assert!(
        answer[..n].starts_with(b"HTTP/1.1 200"),
        "{:?}",
        &answer[..n]
    );
    assert!(closed_after(&mut kept).await < Duration::from_secs(3));
}

#[tokio::test]
async fn a_stop_accepts_nothing_more() {
    let (addr, stop) = started(Limits::default()).await;
    let mut before = TcpStream::connect(&addr).await.unwrap();
    stop.send(()).unwrap();
    // The idle connection is closed at once rather than after the header time limit.
    assert!(closed_after(&mut before).await < Duration::from_secs(3));
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(TcpStream::connect(&addr).await.is_err(), "still accepting");
}

#[tokio::test]
async fn the_session_cookie_is_secure_when_the_centre_is_reached_over_https() {
    for (url, secure) in [
        ("https://zwfw.example.gov.cn", true),
        ("http://10.1.2.3:8080", false),
    ] {
        let public_url = PublicUrl::parse(url).unwrap();
        let (addr, _stop) = serving(
            move |store, key| {
                let mut state = AppState::new(store, key);
                state.public_url = public_url;
                state
            },
            Limits::default(),
        )
        .await;
        let answer = reqwest::Client::new()
            .post(format!("http://{addr}/api/v1/auth/staff/login"))
            .json(&serde_json::json!({"username": "admin", "password": common::PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), reqwest::StatusCode::OK);
        let cookie = answer.headers()["set-cookie"].to_str().unwrap().to_owned();
        assert_eq!(cookie.ends_with("; Secure"), secure, "{url}: {cookie}");
        assert!(cookie.contains("HttpOnly"), "{cookie}");
    }
}

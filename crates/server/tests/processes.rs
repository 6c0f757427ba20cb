//! Several server processes on one PostgreSQL database (ADR 0038): they migrate a new database
//! once between them, and a calendar edited through one is what the others use within a second.

mod common;

use std::time::{Duration, Instant};

use common::cli::{command, text};
use common::{KEY, TestApp};
use onewindow_server::{App, AppState};
use onewindow_store::Store;
use onewindow_store::testing::TestDb;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn processes_starting_together_migrate_once() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    db.store.clear_empty_schema().await.unwrap();
    let runs: Vec<_> = (0..3)
        .map(|_| command(&db.url).arg("migrate").spawn().unwrap())
        .collect();
    for run in runs {
        let out = run.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", text(&out));
    }
    let versions: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM schema_migrations ORDER BY version")
            .fetch_all(db.store.pool())
            .await
            .unwrap();
    let expected: Vec<i64> = (1..=versions.len() as i64).collect();
    assert_eq!(versions, expected);
    assert!(versions.len() >= 25);
}

#[tokio::test]
async fn a_calendar_edit_through_one_process_reaches_the_others() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let url = db.url.clone();
    let one = TestApp::start(db).await;
    onewindow_server::changes::spawn(AppState::new(one.db.store.clone(), KEY))
        .await
        .unwrap();
    // A second process: its own connections, its own calendars in memory, its own listener.
    let other = AppState::new(Store::connect(&url).await.unwrap(), KEY);
    assert!(
        onewindow_server::changes::spawn(other.clone())
            .await
            .unwrap()
            .is_some()
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let other_base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(App::from_state(other).serve(listener));

    let year = "/api/v1/calendar/440511?year=2026";
    let day_off = |body: &serde_json::Value| {
        body["days"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["date"] == "2026-12-30")
    };
    let client = reqwest::Client::new();
    let read_other = || async {
        client
            .get(format!("{other_base}{year}"))
            .send()
            .await
            .unwrap()
            .json::<serde_json::Value>()
            .await
            .unwrap()
    };
    assert!(
        !day_off(&read_other().await),
        "the other process has read the calendar"
    );

    let admin = one.staff("admin").await;
    let day = json!({"days": [{"date": "2026-12-30", "kind": "holiday", "name": "区庆"}]});
    let (s, body) = one
        .send(&admin, Method::PUT, "/api/v1/calendar/440511", Some(&day))
        .await;
    assert!(s.is_success(), "{body}");
    let edited = Instant::now();
    while !day_off(&read_other().await) {
        assert!(
            edited.elapsed() < Duration::from_secs(1),
            "the other process still uses the old calendar"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

//! `GET /metrics`: Prometheus' text format with requests by route and status, latencies,
//! connections and cases by status; for this machine, or a scraper with the token.

mod common;

use common::TestApp;
use onewindow_store::testing::TestDb;
use reqwest::StatusCode;

#[tokio::test]
async fn this_machine_reads_the_metrics_and_others_need_the_token_on_both_engines() {
    for db in TestDb::each().await {
        let engine = db.engine();
        let app = TestApp::start(db).await;
        let c = app.client();
        for _ in 0..3 {
            assert_eq!(app.get(&c, "/api/v1/items").await.0, StatusCode::OK);
        }
        let answer = c.get(app.url("/metrics")).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::OK, "{engine:?}");
        assert!(
            answer.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/plain")
        );
        let text = answer.text().await.unwrap();
        for wanted in [
            "onewindow_http_requests_total{route=\"GET /api/v1/items\",status=\"200\"} 3",
            "onewindow_http_request_duration_seconds_bucket{le=",
            "onewindow_db_connections{pool=\"read\",state=\"idle\"}",
            "onewindow_db_write_queue",
            "onewindow_supervision_pass_duration_seconds_count",
        ] {
            assert!(text.contains(wanted), "{engine:?}: no {wanted} in\n{text}");
        }
    }
}

#[tokio::test]
async fn another_machine_needs_the_token() {
    let db = TestDb::sqlite().await;
    onewindow_server::seed::demo(&db.store, common::KEY, 0)
        .await
        .unwrap();
    let app = TestApp::serve_with(db, |state| {
        state.trusted_proxies = std::sync::Arc::new(vec![std::net::Ipv4Addr::LOCALHOST.into()]);
        state.metrics_token = Some(std::sync::Arc::new("scrape-me".into()));
    })
    .await;
    let scrape = |token: Option<&'static str>| {
        let url = app.url("/metrics");
        async move {
            let mut req = reqwest::Client::new()
                .get(url)
                .header("x-forwarded-for", "10.1.1.9");
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            req.send().await.unwrap().status()
        }
    };
    assert_eq!(scrape(None).await, StatusCode::FORBIDDEN);
    assert_eq!(scrape(Some("guess")).await, StatusCode::FORBIDDEN);
    assert_eq!(scrape(Some("scrape-me")).await, StatusCode::OK);
}

//! What every answer tells the browser, and a state-changing request from another site's page
//! refused before it does anything (ADR 0032).

mod common;

use common::{PASSWORD, TestApp, assert_problem};
use onewindow_store::testing::TestDb;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn another_sites_page_cannot_log_in_or_change_anything_on_both_engines() {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        let before = app.db.snapshot().await;
        let client = app.client();
        let answer = client
            .post(app.url("/api/v1/auth/staff/login"))
            .header("origin", "https://evil.example")
            .json(&json!({"username": "admin", "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::FORBIDDEN);
        assert!(answer.headers().get("set-cookie").is_none());
        let body: Value = answer.json().await.unwrap();
        assert_problem(&body, "cross_origin");
        assert!(app.db.snapshot().await == before, "nothing written");

        // The centre's own page, as a browser sends it.
        let answer = client
            .post(app.url("/api/v1/auth/staff/login"))
            .header("origin", app.url("").trim_end_matches('/'))
            .json(&json!({"username": "admin", "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let app = TestApp::start(TestDb::sqlite().await).await;
    let client = app.client();
    for (path, policy) in [
        ("/api/v1/items", "default-src 'none'"),
        ("/api/v1/no-such-route", "default-src 'none'"),
        ("/healthz", "default-src 'none'"),
    ] {
        let answer = client.get(app.url(path)).send().await.unwrap();
        let h = answer.headers();
        assert!(
            h["content-security-policy"]
                .to_str()
                .unwrap()
                .starts_with(policy),
            "{path}: {h:?}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
    }
}

/// Nothing a request carries is unbounded: a query string past 8 KiB is refused before any
/// handler reads it, a body past 2 MB is not read, and a long reason is refused by the domain;
/// nothing is written.
#[tokio::test]
async fn oversized_input_is_refused_and_changes_nothing_on_both_engines() {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        let long = "1".repeat(60_000);
        let answer = app
            .client()
            .get(app.url(&format!("/api/v1/items?q={long}")))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::URI_TOO_LONG);
        let body: Value = answer.json().await.unwrap();
        assert_problem(&body, "uri_too_long");

        let owner = app.applicant(&common::enterprise_phones()[0]).await;
        let number = app.submitted_case(&owner, "440511-RSJ-005").await;
        let before = app.db.snapshot().await;
        let path = format!("/api/v1/cases/{number}/actions");
        let withdraw = |chars: usize| json!({"action": "withdraw", "reason": "撤".repeat(chars)});
        let (s, body) = app
            .send(
                &owner,
                reqwest::Method::POST,
                &path,
                Some(&withdraw(300_000)),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{}", body["code"]);
        assert_problem(&body, "too_long");
        assert_eq!(body["errors"][0]["field"], "reason");
        let (s, body) = app
            .send(
                &owner,
                reqwest::Method::POST,
                &path,
                Some(&withdraw(1_000_000)),
            )
            .await;
        assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{}", body["code"]);
        assert_problem(&body, "body_too_large");
        assert!(app.db.snapshot().await == before, "nothing written");
    }
}

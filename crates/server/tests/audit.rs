//! The audit viewer: the centre admin and the supervisors read who did what, from where,
//! filtered and paged newest first; no one else reads it.

mod common;

use common::{PASSWORD, TestApp, assert_problem};
use onewindow_store::testing::TestDb;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

async fn staff_at(app: &TestApp, username: &str, address: &str) -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-forwarded-for", address.parse().unwrap());
    let c = Client::builder()
        .cookie_store(true)
        .default_headers(headers)
        .build()
        .unwrap();
    let r = c
        .post(app.url("/api/v1/auth/staff/login"))
        .json(&json!({"username": username, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    c
}

#[tokio::test]
async fn the_supervisor_reads_who_did_what_from_where_on_both_engines() {
    for db in TestDb::each().await {
        let engine = db.engine();
        let app = TestApp::start_behind_proxy(db).await;
        let admin = staff_at(&app, "admin", "10.8.0.5").await;
        let day =
            json!({"days": [{"date": "2027-12-24", "kind": "holiday", "name": "建区纪念日"}]});
        let (s, _) = app
            .send(
                &admin,
                reqwest::Method::PUT,
                "/api/v1/calendar/440511",
                Some(&day),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        // A wrong password on the clerk's account, from elsewhere.
        let r = Client::new()
            .post(app.url("/api/v1/auth/staff/login"))
            .header("x-forwarded-for", "203.0.113.44")
            .json(&json!({"username": "clerk.a01", "password": "a guess"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

        let supervisor = staff_at(&app, "supervisor.1", "10.8.0.9").await;
        let (s, page) = app
            .get(&supervisor, "/api/v1/audit?action=calendar_edited")
            .await;
        assert_eq!(s, StatusCode::OK, "{page}");
        let edited = &page["entries"][0];
        assert_eq!(edited["actor_username"], "admin", "{engine:?}: {page}");
        assert_eq!(edited["address"], "10.8.0.5");
        assert_eq!(edited["details"]["days"][0]["date"], "2027-12-24");
        assert!(edited["details"].get("address").is_none());

        let (_, failed) = app
            .get(
                &supervisor,
                "/api/v1/audit?actor=clerk.a01&action=login_failed",
            )
            .await;
        assert_eq!(failed["entries"].as_array().unwrap().len(), 1, "{failed}");
        assert_eq!(failed["entries"][0]["address"], "203.0.113.44");

        // By object: the text the details contain.
        let (_, by_day) = app
            .get(&supervisor, "/api/v1/audit?object=2027-12-24")
            .await;
        let actions: Vec<&str> = by_day["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions, vec!["calendar_edited"], "{by_day}");
        let (_, none) = app
            .get(&supervisor, "/api/v1/audit?actor=no.such.person")
            .await;
        assert_eq!(none["entries"], json!([]));
        let (_, past) = app
            .get(&supervisor, "/api/v1/audit?from=2020-01-01&to=2020-12-31")
            .await;
        assert_eq!(past["entries"], json!([]));

        // Paged newest first, each page continuing where the last stopped.
        let (_, first) = app.get(&supervisor, "/api/v1/audit?limit=2").await;
        let before = first["next_before"].as_i64().expect("more to come");
        let (_, second) = app
            .get(
                &supervisor,
                &format!("/api/v1/audit?limit=2&before={before}"),
            )
            .await;
        let seqs = |p: &Value| -> Vec<i64> {
            p["entries"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["seq"].as_i64().unwrap())
                .collect()
        };
        let (a, b) = (seqs(&first), seqs(&second));
        assert!(a[0] > a[1] && a[1] > b[0] && b[0] > b[1], "{a:?} {b:?}");

        // Bad filters are field errors; a clerk or the leader may not read the log.
        for (query, code) in [
            ("limit=0", "limit_out_of_range"),
            ("from=2027-02-01&to=2027-01-01", "date_range_reversed"),
        ] {
            let (s, body) = app
                .get(&supervisor, &format!("/api/v1/audit?{query}"))
                .await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            assert_problem(&body, code);
        }
        for who in ["clerk.a01", "leader"] {
            let c = app.staff(who).await;
            let (s, body) = app.get(&c, "/api/v1/audit").await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{who}: {body}");
        }
    }
}

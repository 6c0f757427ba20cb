//! Each hall's opening hours over HTTP, on both engines: anyone reads a hall's week on its
//! region's calendar, the centre admin sets them, and bad hours are refused by field and change
//! nothing.

mod common;

use common::{TestApp, assert_problem};
use onewindow_store::testing::TestDb;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn session(opens: &str, closes: &str) -> Value {
    json!({"opens": opens, "closes": closes})
}

#[tokio::test]
async fn anyone_reads_a_halls_days_on_its_calendar_on_both_engines() {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        let anyone = app.client();
        // The week of National Day 2026: Thursday 1 October is a holiday, the Sunday before it
        // (20 September) a make-up working day.
        let (s, week) = app
            .get(&anyone, "/api/v1/opening-hours/H1?from=2026-09-28&days=7")
            .await;
        assert_eq!(s, StatusCode::OK, "{week}");
        let days = week["days"].as_array().unwrap();
        assert_eq!(days.len(), 7);
        assert_eq!(days[0]["type"], "working");
        assert_eq!(days[0]["sessions"], json!([session("08:30", "17:30")]));
        // Tuesday's evening begins as the day ends: one opening until 20:00.
        assert_eq!(days[1]["sessions"], json!([session("08:30", "20:00")]));
        assert_eq!(days[3]["type"], "holiday");
        assert_eq!(days[3]["name"], "国庆节");
        assert_eq!(days[3]["sessions"], json!([]));
        assert_eq!(
            days[5]["type"], "holiday",
            "a Saturday in the holiday is closed"
        );
        let (_, make_up) = app
            .get(&anyone, "/api/v1/opening-hours/H1?from=2026-09-20&days=1")
            .await;
        assert_eq!(make_up["days"][0]["type"], "make_up");

        let (s, all) = app.get(&anyone, "/api/v1/opening-hours?days=1").await;
        assert_eq!(s, StatusCode::OK, "{all}");
        let (_, org) = app.get(&anyone, "/api/v1/organisation").await;
        assert_eq!(
            all.as_array().unwrap().len(),
            org["halls"].as_array().unwrap().len()
        );
        assert!(
            all.as_array()
                .unwrap()
                .iter()
                .all(|h| !h["hours"].is_null())
        );

        let (s, body) = app.get(&anyone, "/api/v1/opening-hours/H9").await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert_problem(&body, "not_found");
        let (s, body) = app.get(&anyone, "/api/v1/opening-hours/H1?days=40").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_problem(&body, "days_out_of_range");
    }
}

#[tokio::test]
async fn the_centre_admin_sets_the_hours_and_bad_hours_change_nothing_on_both_engines() {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        let admin = app.staff("admin").await;
        let hours = json!({
            "working_day": [session("09:00", "12:00"), session("13:00", "17:00")],
            "extended": [{"weekday": 3, "session": session("17:00", "19:00")}],
            "saturday": [],
            "sunday": [session("10:00", "16:00")]
        });
        let path = "/api/v1/opening-hours/H-XH";
        let (s, saved) = app.send(&admin, Method::PUT, path, Some(&hours)).await;
        assert_eq!(s, StatusCode::OK, "{saved}");
        assert_eq!(saved["hours"], hours);
        assert_eq!(saved["days"].as_array().unwrap().len(), 7);
        let (_, read) = app.get(&app.client(), path).await;
        assert_eq!(read["hours"], hours);
        let (_, log) = app
            .get(&admin, "/api/v1/audit?action=opening_hours_set")
            .await;
        assert!(log.to_string().contains("H-XH"), "{log}");

        let clerk = app.staff("clerk.a01").await;
        let before = app.db.snapshot().await;
        let mut bad = hours.clone();
        bad["working_day"][1] = session("11:30", "17:00");
        let (s, body) = app.send(&admin, Method::PUT, path, Some(&bad)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_problem(&body, "sessions_overlap");
        assert_eq!(body["errors"][0]["field"], "working_day[0]");
        let mut bad = hours.clone();
        bad["extended"][0]["weekday"] = json!(7);
        let (s, body) = app.send(&admin, Method::PUT, path, Some(&bad)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["errors"][0]["field"], "extended[0].weekday");
        let mut bad = hours.clone();
        bad["sunday"][0] = session("16:00", "10:00");
        let (s, body) = app.send(&admin, Method::PUT, path, Some(&bad)).await;
        assert_problem(&body, "closes_before_opening");
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let mut bad = hours.clone();
        bad["sunday"][0] = session("10点", "16:00");
        let (s, body) = app.send(&admin, Method::PUT, path, Some(&bad)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert_problem(&body, "invalid_body");
        let (s, _) = app
            .send(
                &admin,
                Method::PUT,
                "/api/v1/opening-hours/H9",
                Some(&hours),
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, _) = app.send(&clerk, Method::PUT, path, Some(&hours)).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert!(
            app.db.snapshot().await == before,
            "bad hours changed something"
        );
    }
}

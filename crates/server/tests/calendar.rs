//! The calendar over real HTTP, on SQLite and on PostgreSQL: the centre admin sets holidays of the
//! centre's district; another district's calendar and other roles are refused, changing nothing.

mod common;

use common::{TestApp, assert_problem};
use onewindow_store::testing::TestDb;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn only_the_centre_admin_edits_only_the_centres_calendar_on_both_engines() {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        let admin = app.staff("admin").await;
        let day = json!({"days": [{"date": "2026-12-30", "kind": "holiday", "name": "区庆"}]});
        let year = "/api/v1/calendar/440511?year=2026";
        let holidays = |body: &serde_json::Value| {
            body["days"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["date"] == "2026-12-30")
                .count()
        };

        // Another district: refused before anything is written (it used to be a 500).
        let (s, body) = app
            .send(&admin, Method::PUT, "/api/v1/calendar/440512", Some(&day))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
        assert_problem(&body, "outside_centre");
        let (s, body) = app
            .send(
                &admin,
                Method::PUT,
                "/api/v1/calendar/440512001",
                Some(&day),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{body}");

        // Other roles: refused.
        let clerk = app.staff("clerk.a01").await;
        let (s, body) = app
            .send(&clerk, Method::PUT, "/api/v1/calendar/440511", Some(&day))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(holidays(&app.get(&admin, year).await.1), 0);

        // A holiday on a Saturday, or a make-up working day on a Wednesday, would change no
        // deadline: refused with the reason, and nothing of the request is written.
        let before = app.get(&admin, year).await.1;
        for (days, code, field) in [
            (
                json!([{"date": "2026-12-30", "kind": "holiday", "name": "区庆"},
                       {"date": "2026-12-26", "kind": "holiday", "name": "区庆"}]),
                "holiday_on_weekend",
                ".kind",
            ),
            (
                json!([{"date": "2026-12-30", "kind": "workday", "name": "调休"}]),
                "workday_on_weekday",
                ".kind",
            ),
            (
                json!([{"date": "2026-12-30", "kind": "holiday", "name": "区".repeat(21)}]),
                "too_long",
                ".name",
            ),
        ] {
            let (s, body) = app
                .send(
                    &admin,
                    Method::PUT,
                    "/api/v1/calendar/440511",
                    Some(&json!({ "days": days })),
                )
                .await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            assert_problem(&body, code);
            assert!(
                body["errors"][0]["field"]
                    .as_str()
                    .unwrap()
                    .ends_with(field),
                "{body}"
            );
            assert_eq!(app.get(&admin, year).await.1, before, "nothing changed");
        }

        // A street of the centre's district sets the district's calendar, and says how many
        // open deadlines moved with it.
        let (s, body) = app
            .send(
                &admin,
                Method::PUT,
                "/api/v1/calendar/440511001",
                Some(&day),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        assert_eq!(body["region"], "440511");
        assert!(body["moved"].is_u64(), "{body}");
        assert!(body["told"].is_u64(), "{body}");
        let (_, calendar) = app.get(&admin, year).await;
        assert_eq!(holidays(&calendar), 1);
        assert_eq!(calendar["edited"], json!(["2026-12-30"]), "{calendar}");
        let december = calendar["working_days_per_month"][11].as_u64().unwrap();

        // Removing the edit gives the day back to the national calendar; only the admin may,
        // only an edit that exists, only a real date.
        let path = "/api/v1/calendar/440511/days/2026-12-30";
        let (s, _) = app.send(&clerk, Method::DELETE, path, None).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, body) = app
            .send(
                &admin,
                Method::DELETE,
                "/api/v1/calendar/440511/days/2026-13-01",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_problem(&body, "bad_date");
        let (s, body) = app.send(&admin, Method::DELETE, path, None).await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{body}");
        let (_, calendar) = app.get(&admin, year).await;
        assert_eq!(holidays(&calendar), 0);
        assert_eq!(calendar["edited"], json!([]));
        assert_eq!(
            calendar["working_days_per_month"][11].as_u64().unwrap(),
            december + 1
        );
        let (s, body) = app.send(&admin, Method::DELETE, path, None).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{body}");
        // The national holidays are not the district's to remove.
        let (s, _) = app
            .send(
                &admin,
                Method::DELETE,
                "/api/v1/calendar/440511/days/2026-10-01",
                None,
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_year_outside_the_calendar_is_a_field_error_not_a_crash() {
    let app = TestApp::start(TestDb::sqlite().await).await;
    let c = app.client();
    for year in ["262142", "-5", "1899", "3000"] {
        let (s, body) = app
            .get(&c, &format!("/api/v1/calendar/440511?year={year}"))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{year}: {body}");
        assert_problem(&body, "year_out_of_range");
        assert_eq!(body["errors"][0]["field"], "year");
    }
    let (s, body) = app.get(&c, "/api/v1/calendar/440511?year=2999").await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["working_days_per_month"].as_array().unwrap().len(), 12);
}

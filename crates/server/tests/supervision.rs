//! Electronic supervision in the server, on both engines: a loaded volume keeps every case's
//! light, the server's pass moves them on as days pass, and a calendar edit over HTTP moves the
//! open cases' due dates.

mod common;

use chrono::{Duration, NaiveDate, Utc};
use common::{TestApp, enterprise_phones};
use onewindow_domain::calendar::Calendar;
use onewindow_server::AppState;
use onewindow_store::testing::{TestDb, deadline_mismatches};
use reqwest::{Method, StatusCode};
use serde_json::json;

use common::KEY;

fn china_today() -> NaiveDate {
    (Utc::now() + Duration::hours(8)).date_naive()
}

/// A volume is loaded with the lights of the day it is generated on; a pass that day finds
/// nothing, one a week later turns cases with an event each, and both leave every case agreeing
/// with its state.
#[tokio::test]
async fn a_volume_keeps_its_lights_and_passes_move_them_on_both_engines() {
    for db in TestDb::each().await {
        let engine = db.engine();
        onewindow_server::seed::volume(&db.store, KEY, 2_000, 11)
            .await
            .expect("volume seed");
        let cal = Calendar::china_mainland();
        let today = china_today();
        let wrong = deadline_mismatches(&db.store, &cal, today).await;
        assert!(wrong.is_empty(), "{engine:?}: {wrong:#?}");
        let lit: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases WHERE light IS NOT NULL")
            .fetch_one(db.store.pool())
            .await
            .unwrap();
        assert!(lit > 50, "{engine:?}: only {lit} cases with a light");

        let state = AppState::new(db.store.clone(), KEY);
        // The first pass turns no light, and takes the census of the days already over.
        let reports = onewindow_server::supervision::pass(&state, today)
            .await
            .unwrap();
        assert!(
            reports.iter().all(|r| r.changed() == 0 && r.rederived == 0),
            "{engine:?}: {reports:?}"
        );
        let counted: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM case_census")
            .fetch_one(db.store.pool())
            .await
            .unwrap();
        assert!(counted > 300, "{engine:?}: {counted} days counted");
        let before = db.snapshot().await;
        onewindow_server::supervision::pass(&state, today)
            .await
            .unwrap();
        assert!(
            db.snapshot().await == before,
            "{engine:?}: a no-op pass wrote"
        );

        let later = cal.add_working_days(today, 5);
        let reports = onewindow_server::supervision::pass(&state, later)
            .await
            .unwrap();
        let changed: usize = reports.iter().map(|r| r.changed()).sum();
        assert!(changed > 0, "{engine:?}: nothing turned in a week");
        let wrong = deadline_mismatches(&db.store, &cal, later).await;
        assert!(wrong.is_empty(), "{engine:?}: {wrong:#?}");
        let events: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM case_events WHERE kind = 'light_changed'")
                .fetch_one(db.store.pool())
                .await
                .unwrap();
        assert_eq!(events as usize, changed, "{engine:?}");
        let report = db.store.verify_chains(|_| {}).await.unwrap();
        assert!(report.broken.is_empty(), "{engine:?}: {:?}", report.broken);

        let reports = onewindow_server::supervision::pass(&state, later)
            .await
            .unwrap();
        assert!(reports.iter().all(|r| r.changed() == 0 && r.rederived == 0));
    }
}

/// The centre admin adds a day off: the accepted case's due date moves a working day later at
/// once, the applicant is texted the new date, and it moves back when the day is removed.
#[tokio::test]
async fn a_calendar_edit_moves_open_due_dates_on_both_engines() {
    for db in TestDb::each().await {
        let engine = db.engine();
        let app = TestApp::start(db).await;
        let owner = app.applicant(&enterprise_phones()[0]).await;
        let clerk = app.staff("clerk.a01").await;
        let admin = app.staff("admin").await;
        let number = app.submitted_case(&owner, "440511-RSJ-005").await;
        let (s, body) = app.accept(&clerk, &number, json!([])).await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let due = || async {
            let due: Option<String> =
                sqlx::query_scalar("SELECT due_on FROM cases WHERE number = $1")
                    .bind(&number)
                    .fetch_one(app.db.store.pool())
                    .await
                    .unwrap();
            due.unwrap().parse::<NaiveDate>().unwrap()
        };
        let before = due().await;
        let today = china_today();
        let cal = Calendar::china_mainland();
        let day_off = cal.add_working_days(today, 1);
        assert!(day_off <= before, "the item's limit is at least a day");

        let body = json!({"days": [{"date": day_off, "kind": "holiday", "name": "区庆"}]});
        let (s, answer) = app
            .send(&admin, Method::PUT, "/api/v1/calendar/440511", Some(&body))
            .await;
        assert_eq!(s, StatusCode::OK, "{answer}");
        let after = due().await;
        assert_eq!(
            cal.working_days_between(before, after),
            1,
            "{engine:?}: {before} → {after}"
        );
        assert_eq!(answer["told"], 1, "{answer}");
        let text = app.texted("承诺办结日期调整为").await;
        assert!(text.contains(&number), "{text}");
        assert!(
            text.contains(&after.format("%Y年%-m月%-d日").to_string()),
            "{text}"
        );
        let edited = Calendar::china_mainland()
            .with_overrides(&app.db.store.calendar_overrides("440511").await.unwrap());
        let wrong = deadline_mismatches(&app.db.store, &edited, today).await;
        assert!(wrong.is_empty(), "{engine:?}: {wrong:#?}");

        let (s, answer) = app
            .send(
                &admin,
                Method::DELETE,
                &format!("/api/v1/calendar/440511/days/{day_off}"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{answer}");
        assert_eq!(due().await, before, "{engine:?}");
    }
}

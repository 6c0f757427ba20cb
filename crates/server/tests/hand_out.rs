//! Handing a result out at the exit window, over HTTP on both engines: the collector is named
//! and shows an ID number; anyone but the applicant needs their written entrustment (代领); a
//! refused hand-out changes nothing; the case keeps the number masked.

mod common;

use common::{TestApp, assert_problem};
use onewindow_store::testing::TestDb;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// An immediate item for persons, delegated: the accepting clerk decides on the spot.
const ITEM: &str = "440511-RSJ-001";
/// A demo applicant, a person, with their resident ID number.
const PERSON: (&str, &str, &str) = ("13402028295", "吴桂钦", "440513199710233936");
/// Another demo person's ID number: an applicant, but not this case's.
const SOMEONE_ELSE: &str = "440511195501044986";

fn at_window(name: &str, id_number: &str, entrustment: Option<&str>) -> Value {
    json!({"action": "issue", "method": {"method": "window",
        "collector": {"name": name, "id_number": id_number, "entrustment": entrustment}}})
}

#[tokio::test]
async fn the_collector_is_recorded_on_both_engines() {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        let (phone, name, id_number) = PERSON;
        let owner = app.applicant(phone).await;
        let clerk = app.staff("clerk.a01").await;
        let exit = app.staff("clerk.e02").await;
        let number = app.submitted_case(&owner, ITEM).await;
        let (s, body) = app.accept(&clerk, &number, json!([])).await;
        assert_eq!(s, StatusCode::OK, "{body}");
        // Not the chief representative: an immediate case is the accepting window's.
        let chief = app.staff("chief.rsj").await;
        let decide = json!({"action": "decide", "decision": "approved", "comment": "准予"});
        let (s, body) = app.act(&chief, &number, decide.clone()).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
        let (s, body) = app.act(&clerk, &number, decide).await;
        assert_eq!(s, StatusCode::OK, "{body}");

        let path = format!("/api/v1/cases/{number}");
        let before = app.get(&exit, &path).await.1;
        assert_eq!(before["light"], Value::Null, "decided: no warning light");
        let refused = [
            (
                json!({"action": "issue", "method": {"method": "window"}}),
                "field_required",
                "collector",
            ),
            (
                at_window(name, "440513199710233937", None),
                "collector_id_invalid",
                "collector.id_number",
            ),
            (
                at_window("李四", SOMEONE_ELSE, None),
                "entrustment_required",
                "collector.entrustment",
            ),
            (
                json!({"action": "issue", "method": {"method": "post", "tracking_number": "EMS1"}}),
                "field_required",
                "address",
            ),
        ];
        for (command, code, field) in refused {
            let (s, body) = app.act(&exit, &number, command).await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            assert_problem(&body, code);
            assert_eq!(body["errors"][0]["field"], field, "{body}");
            assert_eq!(app.get(&exit, &path).await.1, before, "nothing changed");
        }

        // The applicant in person, with their own ID number: no entrustment.
        let (s, body) = app
            .act(&exit, &number, at_window(name, id_number, None))
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let view = app.get(&owner, &path).await.1;
        assert_eq!(view["case"]["status"], "issued", "{view}");
        assert_eq!(view["light"], Value::Null, "finished: no warning light");
        let collector = &view["case"]["issue"]["collector"];
        assert_eq!(collector["name"], name, "{view}");
        assert_eq!(collector["entrustment"], Value::Null, "{view}");
        let shown = collector["id_number"].as_str().unwrap();
        assert!(
            shown.contains('*') && !shown.contains("19971023"),
            "{shown}"
        );
        assert!(
            !view.to_string().contains(id_number),
            "the whole number is kept nowhere"
        );
    }
}

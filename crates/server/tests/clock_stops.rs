//! The paths the full walk does not take, over HTTP on both engines: acceptance with a material
//! waived on promise (容缺), which holds the result back until it is brought, and a special
//! procedure (site inspection), which suspends the case and stops its clock.

mod common;

use common::{TestApp, assert_problem, enterprise_phones};
use onewindow_store::testing::TestDb;
use reqwest::StatusCode;
use serde_json::json;

const ITEM: &str = "440511-RSJ-005"; // review, verify, the chief representative decides
const WAIVABLE: &str = "M03"; // 经营场所使用证明

#[tokio::test]
async fn waived_material_and_special_procedure_on_both_engines() {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        let owner = app.applicant(&enterprise_phones()[0]).await;
        let clerk = app.staff("clerk.a01").await;
        let approver = app.staff("approver.rsj.1").await;
        let chief = app.staff("chief.rsj").await;
        let exit = app.staff("clerk.e02").await;

        let number = app.submitted_case(&owner, ITEM).await;
        let case_path = format!("/api/v1/cases/{number}");

        // A waived material must be one the item allows and due after today.
        let today = chrono::Utc::now()
            .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap())
            .date_naive();
        let due = today + chrono::Days::new(10);
        let (s, body) = app
            .accept(
                &clerk,
                &number,
                json!([{"material": WAIVABLE, "due_on": today}]),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (s, body) = app
            .accept(
                &clerk,
                &number,
                json!([{"material": WAIVABLE, "due_on": due}]),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let detail = app.get(&owner, &case_path).await.1;
        assert_eq!(
            detail["case"]["waived"][0]["material"], WAIVABLE,
            "{detail}"
        );
        assert_eq!(detail["case"]["waived"][0]["due_on"], due.to_string());

        // The approver sends the case out for a site inspection: suspended, clock stopped.
        let due_before = app.get(&approver, &case_path).await.1["due_on"].clone();
        let (s, body) = app
            .act(&approver, &number, json!({"action": "start_special_procedure", "procedure": "site_inspection", "reason": "", "days": 3}))
            .await;
        assert_eq!(
            s,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a reason is required: {body}"
        );
        let (s, body) = app
            .act(&approver, &number, json!({"action": "start_special_procedure", "procedure": "site_inspection", "reason": "核查经营场所", "days": 11}))
            .await;
        assert_eq!(
            s,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a site inspection takes at most 10 working days: {body}"
        );
        assert_problem(&body, "special_procedure_days");
        assert_eq!(body["errors"][0]["field"], "days", "{body}");
        let detail = app.get(&approver, &case_path).await.1;
        assert_eq!(detail["case"]["status"], "in_progress", "nothing changed");
        let (s, body) = app
            .act(&approver, &number, json!({"action": "start_special_procedure", "procedure": "site_inspection", "reason": "核查经营场所", "days": 3}))
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let detail = app.get(&approver, &case_path).await.1;
        let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
        assert!(
            detail["case"]["special_procedure_due"]
                .as_str()
                .is_some_and(|d| d > today.to_string().as_str()),
            "{detail}"
        );
        let detail = app.get(&approver, &case_path).await.1;
        assert_eq!(detail["case"]["status"], "suspended");
        assert_eq!(
            detail["actions"],
            json!(["end_special_procedure"]),
            "{detail}"
        );
        let stops = detail["case"]["stops"].as_array().unwrap();
        assert!(stops.last().is_some_and(|s| s["to"].is_null()), "{detail}");
        // Nothing else moves while suspended.
        let (s, body) = app
            .act(
                &approver,
                &number,
                json!({"action": "complete_step", "comment": "同意"}),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{body}");
        assert_problem(&body, "transition_not_allowed");
        let (s, body) = app
            .act(
                &approver,
                &number,
                json!({"action": "end_special_procedure", "outcome": "场所与申报一致"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let detail = app.get(&approver, &case_path).await.1;
        assert_eq!(detail["case"]["status"], "in_progress");
        // Stopped and restarted on the same day: no working day was stopped, the deadline holds.
        assert_eq!(detail["due_on"], due_before);
        // The applicant reads the procedure and its outcome in the public log.
        let kinds: Vec<String> = app.get(&owner, &case_path).await.1["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap().to_owned())
            .collect();
        for kind in ["special_procedure_started", "special_procedure_ended"] {
            assert!(
                kinds.iter().any(|k| k == kind),
                "{kind} missing from {kinds:?}"
            );
        }

        let second = app.staff("approver.rsj.2").await;
        app.complete_steps(&number, &[(&approver, "材料齐全"), (&second, "复核无误")])
            .await;
        let (s, body) = app
            .act(
                &chief,
                &number,
                json!({"action": "decide", "decision": "approved", "comment": "准予许可"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");

        // The result waits for the waived material; the attempt changes nothing.
        let before = app.get(&exit, &case_path).await.1["events"]
            .as_array()
            .unwrap()
            .len();
        let issue = json!({"action": "issue", "method": {"method": "window", "collector": {"name": "陈伟明", "id_number": "11010519491231002X", "entrustment": "授权委托书"}}});
        let (s, body) = app.act(&exit, &number, issue.clone()).await;
        assert!(s.is_client_error(), "{s} {body}");
        assert_problem(&body, "waived_materials_outstanding");
        let after = app.get(&exit, &case_path).await.1["events"]
            .as_array()
            .unwrap()
            .len();
        assert_eq!(before, after, "a refused issue appends nothing");
        // Only an outstanding waived material can be provided.
        let (s, body) = app
            .act(
                &owner,
                &number,
                json!({"action": "provide_waived_material", "material": "M01"}),
            )
            .await;
        assert!(s.is_client_error(), "{s} {body}");
        assert_problem(&body, "material_not_outstanding");
        let (s, body) = app
            .act(
                &owner,
                &number,
                json!({"action": "provide_waived_material", "material": WAIVABLE}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let (s, body) = app.act(&exit, &number, issue).await;
        assert_eq!(s, StatusCode::OK, "{body}");
        assert_eq!(body["status"], "issued");
    }
}

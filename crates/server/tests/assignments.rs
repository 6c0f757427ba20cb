//! Assignment (指派) over real HTTP, on SQLite and on PostgreSQL: the chief representative gives
//! several cases to an approver in one request, answered per case; another department's case is
//! refused and left unchanged; the inbox filters "mine" and "unassigned"; the step is then the
//! assignee's alone; the log names who did what, to staff in full and to the applicant as far as
//! the public board already does.

mod common;

use common::{TestApp, assert_problem, enterprise_phones};
use onewindow_store::testing::TestDb;
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

const ITEM: &str = "440511-RSJ-005"; // review, verify (approvers), the chief representative decides
const OTHER_DEPARTMENT_ITEM: &str = "440511-WJJ-004";

/// `n` cases of `item` applied for online by different enterprises and accepted at window A01.
async fn accepted_cases(app: &TestApp, item: &str, owners: &[Client]) -> Vec<String> {
    let clerk = app.staff("clerk.a01").await;
    let mut numbers = Vec::new();
    for owner in owners {
        let number = app.submitted_case(owner, item).await;
        let (s, body) = app.accept(&clerk, &number, json!([])).await;
        assert_eq!(s, StatusCode::OK, "{body}");
        numbers.push(number);
    }
    numbers
}

async fn assign(app: &TestApp, c: &Client, cases: &[&str], assignee: &str) -> (StatusCode, Value) {
    app.send(
        c,
        Method::POST,
        "/api/v1/cases/assignments",
        Some(&json!({"cases": cases, "assignee": assignee})),
    )
    .await
}

/// The case numbers of a page of the caller's inbox.
async fn inbox(app: &TestApp, c: &Client, query: &str) -> Vec<String> {
    let (s, page) = app.get(c, &format!("/api/v1/cases?{query}")).await;
    assert_eq!(s, StatusCode::OK, "{page}");
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["number"].as_str().unwrap().to_owned())
        .collect()
}

async fn detail(app: &TestApp, c: &Client, number: &str) -> Value {
    let (s, body) = app.get(c, &format!("/api/v1/cases/{number}")).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    body
}

#[tokio::test]
async fn the_chief_representative_assigns_several_cases_on_both_engines() {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        let phones = enterprise_phones();
        let mut owners = Vec::new();
        for phone in &phones[..4] {
            owners.push(app.applicant(phone).await);
        }
        let ours = accepted_cases(&app, ITEM, &owners[..3]).await;
        let theirs = accepted_cases(&app, OTHER_DEPARTMENT_ITEM, &owners[3..]).await;
        let chief = app.staff("chief.rsj").await;
        let approver = app.staff("approver.rsj.1").await;
        let colleague = app.staff("approver.rsj.2").await;

        // Whom the chief representative may give steps to: the department's approvers and chief
        // representatives, with what each holds; an approver may not share work out.
        let (s, people) = app.get(&chief, "/api/v1/assignees").await;
        assert_eq!(s, StatusCode::OK, "{people}");
        let ids: Vec<&str> = people
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap())
            .collect();
        assert_eq!(
            ids,
            [
                "approver.rsj.1",
                "approver.rsj.2",
                "approver.rsj.3",
                "chief.rsj"
            ]
        );
        assert_eq!(people[0]["assigned_steps"], 0);
        let (s, body) = app.get(&approver, "/api/v1/assignees").await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert_problem(&body, "forbidden");

        // A case of another department makes the whole request not found, and nothing changes.
        let before_theirs = detail(&app, &app.staff("supervisor.1").await, &theirs[0]).await;
        let before_ours = detail(&app, &chief, &ours[0]).await;
        let (s, answer) = assign(
            &app,
            &chief,
            &[&ours[0], &theirs[0], &ours[1]],
            "approver.rsj.1",
        )
        .await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{answer}");
        assert_problem(&answer, "not_found");
        let after_theirs = detail(&app, &app.staff("supervisor.1").await, &theirs[0]).await;
        assert_eq!(after_theirs["events"], before_theirs["events"]);
        assert_eq!(after_theirs["case"], before_theirs["case"]);
        assert_eq!(
            detail(&app, &chief, &ours[0]).await["events"],
            before_ours["events"]
        );

        let (s, answer) = assign(&app, &chief, &[&ours[0], &ours[1]], "approver.rsj.1").await;
        assert_eq!(s, StatusCode::OK, "{answer}");
        let items = answer["items"].as_array().unwrap();
        let numbers: Vec<&str> = items
            .iter()
            .map(|i| i["number"].as_str().unwrap())
            .collect();
        assert_eq!(numbers, [&ours[0], &ours[1]], "in request order");
        for item in items {
            assert_eq!(item["assigned"], true, "{answer}");
            assert_eq!(item["problem"], Value::Null);
        }

        // The approver's inbox: mine, and what nobody holds yet; the counts follow the filter.
        let mut mine = inbox(&app, &approver, "assignment=mine").await;
        mine.sort();
        let mut expected = vec![ours[0].clone(), ours[1].clone()];
        expected.sort();
        assert_eq!(mine, expected);
        let unassigned = inbox(&app, &approver, "assignment=unassigned").await;
        assert!(unassigned.contains(&ours[2]), "{unassigned:?}");
        assert!(!unassigned.contains(&ours[0]) && !unassigned.contains(&ours[1]));
        assert!(inbox(&app, &colleague, "assignment=mine").await.is_empty());
        let (_, counts) = app
            .get(&approver, "/api/v1/cases/counts?assignment=mine")
            .await;
        assert_eq!(
            counts,
            json!([
                {"status": "awaiting_supplement", "count": 0},
                {"status": "in_progress", "count": 2},
                {"status": "suspended", "count": 0},
            ]),
            "every status the back office holds, in the order a case moves through them"
        );
        let (s, rows) = app.get(&approver, "/api/v1/cases?assignment=mine").await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(rows["items"][0]["assignee"], "approver.rsj.1");
        assert_eq!(rows["items"][0]["assignee_name"], "张炜琳");
        let (s, body) = app.get(&approver, "/api/v1/cases?assignment=his").await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert_problem(&body, "invalid_query");

        // The step is the assignee's alone: a colleague is refused; the assignee completes it.
        let step = |comment: &str| json!({"action": "complete_step", "comment": comment});
        let (s, body) = app.act(&colleague, &ours[0], step("同意")).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
        let view = detail(&app, &colleague, &ours[0]).await;
        assert_eq!(
            view["actions"],
            json!([]),
            "nothing offered to the colleague"
        );
        let (s, body) = app
            .act(&approver, &ours[0], step("材料齐全，符合条件"))
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        // Separation of duties: the reviewer cannot be given the verification of the same case.
        let before = detail(&app, &chief, &ours[0]).await;
        let (s, body) = app
            .act(
                &chief,
                &ours[0],
                json!({"action": "assign", "assignee": "approver.rsj.1"}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_problem(&body, "duties_not_separated");
        assert_eq!(detail(&app, &chief, &ours[0]).await["case"], before["case"]);

        // Reassignment, through the single action as well: recorded, and the step changes hands.
        let (s, body) = app
            .act(
                &chief,
                &ours[1],
                json!({"action": "assign", "assignee": "approver.rsj.2"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        assert_eq!(body["events"], json!(["assigned"]));
        assert_eq!(
            inbox(&app, &colleague, "assignment=mine").await,
            [ours[1].clone()]
        );
        let (_, people) = app.get(&chief, "/api/v1/assignees").await;
        assert_eq!(people[1]["assigned_steps"], 1, "{people}");
        let (s, body) = app.act(&approver, &ours[1], step("同意")).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
        let (s, body) = app.act(&colleague, &ours[1], step("复核无误")).await;
        assert_eq!(s, StatusCode::OK, "{body}");

        // The log names everyone to staff; the step keeps its assignee.
        let staff_view = detail(&app, &chief, &ours[1]).await;
        let events = staff_view["events"].as_array().unwrap();
        let assigned: Vec<&Value> = events.iter().filter(|e| e["kind"] == "assigned").collect();
        assert_eq!(assigned.len(), 2);
        assert_eq!(assigned[0]["actor_name"], "马燕玲");
        assert_eq!(assigned[1]["payload"]["assignee_name"], "吴炜城");
        assert_eq!(assigned[1]["payload"]["previous"], "approver.rsj.1");
        assert_eq!(staff_view["steps"][0]["step"]["assignee"], "approver.rsj.2");
        assert_eq!(staff_view["steps"][0]["assignee_name"], "吴炜城");
        let completed = events
            .iter()
            .find(|e| e["kind"] == "step_completed")
            .unwrap();
        assert_eq!(completed["actor_name"], "吴炜城");
        assert_eq!(completed["actor_department"], "RSJ");

        // The applicant: no assignments (internal), no assignee; a reviewer not on the public
        // board by unit only, the window clerk (on the board) by name, themselves masked.
        let own = detail(&app, &owners[1], &ours[1]).await;
        let events = own["events"].as_array().unwrap();
        assert!(events.iter().all(|e| e["kind"] != "assigned"));
        assert_eq!(own["steps"][0]["assignee_name"], Value::Null);
        let completed = events
            .iter()
            .find(|e| e["kind"] == "step_completed")
            .unwrap();
        assert_eq!(completed["actor_name"], Value::Null);
        assert_eq!(completed["actor_department"], "RSJ");
        let accepted = events.iter().find(|e| e["kind"] == "accepted").unwrap();
        assert_eq!(accepted["actor_name"], "蔡桂娥");
        let submitted = events.iter().find(|e| e["kind"] == "submitted").unwrap();
        assert_eq!(submitted["actor_name"], own["applicant"]);
        let public_reviewer = detail(&app, &owners[0], &ours[0]).await;
        let completed = public_reviewer["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["kind"] == "step_completed")
            .unwrap();
        assert_eq!(completed["actor_name"], "张炜琳", "on the public board");

        // The public progress query: which unit acted, never who.
        let query = format!(
            "/api/v1/progress?number={}&phone_last4={}",
            ours[1],
            &phones[1][phones[1].len() - 4..]
        );
        let (s, progress) = app.get(&app.client(), &query).await;
        assert_eq!(s, StatusCode::OK, "{progress}");
        let events = progress["events"].as_array().unwrap();
        assert!(events.iter().all(|e| e["kind"] != "assigned"));
        assert!(events.iter().all(|e| e.get("actor_name").is_none()));
        let completed = events
            .iter()
            .find(|e| e["kind"] == "step_completed")
            .unwrap();
        assert_eq!(completed["actor_department"], "RSJ");
        let accepted = events.iter().find(|e| e["kind"] == "accepted").unwrap();
        assert_eq!(accepted["window"], "A01");

        // A wrong check digit is not found, as any unknown number: nothing names the right one.
        let number = ours[1].clone();
        let last = number.chars().last().unwrap().to_digit(10).unwrap();
        let typo = format!("{}{}", &number[..number.len() - 1], (last + 1) % 10);
        let (s, body) = app.get(&app.client(), &query.replace(&number, &typo)).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{body}");
        assert_problem(&body, "not_found");
    }
}

#[tokio::test]
async fn bad_assignments_change_nothing_on_both_engines() {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        let phones = enterprise_phones();
        let owner = app.applicant(&phones[0]).await;
        let ours = accepted_cases(&app, ITEM, std::slice::from_ref(&owner)).await;
        let number = ours[0].as_str();
        let chief = app.staff("chief.rsj").await;
        let events = |body: Value| body["events"].as_array().unwrap().len();
        let before = events(detail(&app, &chief, number).await);

        let (s, body) = assign(&app, &chief, &[], "approver.rsj.1").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_problem(&body, "cases_out_of_range");
        assert_eq!(body["errors"][0]["field"], "cases");
        let (s, body) = assign(&app, &chief, &[number, number], "approver.rsj.1").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_problem(&body, "duplicate_case");
        assert_eq!(body["errors"][0]["field"], "cases[1]");
        let (s, body) = assign(&app, &chief, &[number], "nobody.at.all").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_problem(&body, "unknown_assignee");
        assert_eq!(body["errors"][0]["field"], "assignee");
        let (s, body) = app
            .send(
                &chief,
                Method::POST,
                "/api/v1/cases/assignments",
                Some(&json!({"cases": [number], "assignee": "approver.rsj.1", "note": "x"})),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert_problem(&body, "invalid_body");

        // Refused per case: a clerk cannot take a step; an approver cannot share work out; an
        // applicant cannot assign, nor send the server's own facts about the assignee.
        let (s, body) = assign(&app, &chief, &[number], "clerk.a01").await;
        assert_eq!(s, StatusCode::OK);
        assert_problem(&body["items"][0]["problem"], "assignee_not_qualified");
        assert_eq!(
            body["items"][0]["problem"]["errors"][0]["field"],
            "assignee"
        );
        // Only a chief representative shares out work: anyone else is refused outright.
        let approver = app.staff("approver.rsj.1").await;
        for c in [&approver, &owner] {
            let (s, body) = assign(&app, c, &[number], "approver.rsj.1").await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
            assert_problem(&body, "forbidden");
        }
        let (s, body) = app
            .act(
                &chief,
                number,
                json!({"action": "assign", "assignee": "clerk.a01",
                       "found": {"id": "clerk.a01", "name": "x", "roles": ["approver"], "department": "RSJ"}}),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
        assert_problem(&body, "invalid_body");
        assert_eq!(events(detail(&app, &chief, number).await), before);

        // Assigning twice to the same person is refused as already done.
        let (_, body) = assign(&app, &chief, &[number], "approver.rsj.1").await;
        assert_eq!(body["items"][0]["assigned"], true, "{body}");
        let (_, body) = assign(&app, &chief, &[number], "approver.rsj.1").await;
        assert_problem(&body["items"][0]["problem"], "already_assigned");
        assert_eq!(events(detail(&app, &chief, number).await), before + 1);
    }
}

//! The API walked over real HTTP, on SQLite and on PostgreSQL: a case from the applicant's
//! online submission to the result, the bad inputs that must change nothing, and strangers.

mod common;

use common::{PASSWORD, TestApp, assert_problem, enterprise_phones};
use onewindow_store::testing::TestDb;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

const ITEM: &str = "440511-RSJ-005"; // four steps; the chief representative decides

async fn event_count(app: &TestApp, c: &Client, number: &str) -> usize {
    app.get(c, &format!("/api/v1/cases/{number}")).await.1["events"]
        .as_array()
        .map_or(0, Vec::len)
}

#[tokio::test]
async fn the_server_serves_its_openapi_document() {
    let app = TestApp::start(TestDb::sqlite().await).await;
    let (s, doc) = app.get(&app.client(), "/api/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        doc,
        serde_json::to_value(onewindow_server::api::document()).unwrap()
    );
}

#[tokio::test]
async fn a_case_from_online_application_to_result_on_both_engines() {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        let phones = enterprise_phones();
        let owner = app.applicant(&phones[0]).await;
        let stranger = app.applicant(&phones[1]).await;

        let number = app.submitted_case(&owner, ITEM).await;

        let clerk = app.staff("clerk.a01").await;
        let counts = app.get(&clerk, "/api/v1/cases/counts").await.1;
        assert!(
            counts
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["status"] == "submitted"),
            "{counts}"
        );
        let desk = app
            .get(&clerk, "/api/v1/cases/counts?desk=acceptance")
            .await
            .1;
        let statuses: Vec<&str> = desk
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["status"].as_str().unwrap())
            .collect();
        assert_eq!(statuses, ["submitted", "awaiting_supplement"], "{desk}");
        assert!(desk[0]["count"].as_i64().unwrap() >= 1, "{desk}");
        let (s, body) = app.get(&clerk, "/api/v1/cases/counts?desk=lobby").await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert_problem(&body, "invalid_query");
        let (s, body) = app.accept(&clerk, &number, json!([])).await;
        assert_eq!(s, StatusCode::OK, "{body}");

        let approver = app.staff("approver.rsj.1").await;
        let inbox = app
            .get(&approver, "/api/v1/cases?status=in_progress")
            .await
            .1;
        assert_eq!(inbox["items"][0]["number"], number.as_str());
        // Just accepted, so its first step is not late; a red filter leaves it out.
        assert!(
            ["green", "yellow"].contains(&inbox["items"][0]["light"].as_str().unwrap()),
            "{inbox}"
        );
        let red = app.get(&approver, "/api/v1/cases?light=red").await.1;
        assert_eq!(red["items"], json!([]), "{red}");
        app.complete_steps(&number, &[(&approver, "材料齐全，符合条件")])
            .await;
        // Separation of duties: the reviewer may not also verify, and nothing changes.
        let before = app
            .get(&approver, &format!("/api/v1/cases/{number}"))
            .await
            .1;
        assert_eq!(before["actions"], json!([]), "{before}");
        let (s, body) = app
            .act(
                &approver,
                &number,
                json!({"action": "complete_step", "comment": "复核无误，同意"}),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
        assert_problem(&body, "duties_not_separated");
        assert!(
            body["message_zh"].as_str().unwrap().contains("职责分离"),
            "{body}"
        );
        let after = app
            .get(&approver, &format!("/api/v1/cases/{number}"))
            .await
            .1;
        assert_eq!(after["case"], before["case"]);
        let second = app.staff("approver.rsj.2").await;
        app.complete_steps(&number, &[(&second, "复核无误，同意")])
            .await;
        // The decision is delegated to the chief representative, not the approver.
        let (s, body) = app
            .act(
                &approver,
                &number,
                json!({"action": "decide", "decision": "approved", "comment": ""}),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert_problem(&body, "forbidden");
        let chief = app.staff("chief.rsj").await;
        // Approving states its reasons as denying does: without an opinion nothing changes.
        let before = app.get(&chief, &format!("/api/v1/cases/{number}")).await.1;
        let (s, body) = app
            .act(
                &chief,
                &number,
                json!({"action": "decide", "decision": "approved", "comment": " "}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_problem(&body, "field_required");
        assert_eq!(body["errors"][0]["field"], "comment", "{body}");
        let after = app.get(&chief, &format!("/api/v1/cases/{number}")).await.1;
        assert_eq!(after["events"], before["events"]);
        assert_eq!(after["case"]["status"], "in_progress");
        let (s, body) = app
            .act(
                &chief,
                &number,
                json!({"action": "decide", "decision": "approved", "comment": "准予许可"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");

        let exit = app.staff("clerk.e02").await;
        let (s, body) = app
            .act(
                &exit,
                &number,
                json!({"action": "issue", "method": {"method": "window", "collector": {"name": "陈伟明", "id_number": "11010519491231002X", "entrustment": "授权委托书"}}}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");

        let (s, view) = app.get(&owner, &format!("/api/v1/cases/{number}")).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(view["case"]["status"], "issued");
        let kinds: Vec<&str> = view["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap())
            .filter(|k| *k != "material_uploaded")
            .collect();
        assert_eq!(
            kinds,
            [
                "submitted",
                "accepted",
                "step_completed",
                "step_completed",
                "decided",
                "issued"
            ]
        );
        let first_step = view["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["kind"] == "step_completed")
            .unwrap();
        assert_eq!(first_step["payload"]["comment"], "材料齐全，符合条件");

        // Strangers: another applicant, a clerk of another hall, an approver of another department.
        let before = event_count(&app, &owner, &number).await;
        let station_clerk = app.staff("clerk.spt1").await;
        let other_approver = app.staff("approver.syj.1").await;
        for c in [&stranger, &station_clerk, &other_approver] {
            let (s, body) = app.get(c, &format!("/api/v1/cases/{number}")).await;
            assert_eq!(s, StatusCode::NOT_FOUND);
            assert_problem(&body, "not_found");
            let (s, _) = app.act(c, &number, json!({"action": "close"})).await;
            assert_eq!(s, StatusCode::NOT_FOUND);
        }
        assert_eq!(
            event_count(&app, &owner, &number).await,
            before,
            "nothing changed"
        );
        assert!(
            app.get(&stranger, "/api/v1/cases").await.1["items"]
                .as_array()
                .unwrap()
                .is_empty()
        );

        // Bad input answers problem+json and changes nothing.
        let r = owner
            .post(app.url(&format!("/api/v1/cases/{number}/actions")))
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        assert_eq!(r.headers()["content-type"], "application/problem+json");
        assert_problem(&r.json().await.unwrap(), "malformed_json");
        let (s, body) = app
            .act(&owner, &number, json!({"action": "close", "extra": 1}))
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
        assert_problem(&body, "invalid_body");
        let (s, body) = app.act(&owner, &number, json!({"action": "fly"})).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
        let (s, body) = app.act(&owner, &number, json!({"action": "submit"})).await;
        assert_eq!(s, StatusCode::CONFLICT);
        assert_problem(&body, "transition_not_allowed");
        let r = owner
            .post(app.url("/api/v1/cases"))
            .json(&json!({"item": "no-such-item"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            event_count(&app, &owner, &number).await,
            before,
            "nothing changed"
        );

        // The applicant closes the file on receipt.
        assert_eq!(
            app.act(&owner, &number, json!({"action": "close"})).await.0,
            StatusCode::OK
        );
    }
}

/// A clerk's inbox lists the submitted cases its window may accept, of whichever item, a page
/// at a time and each once; not those of an item it may not accept.
#[tokio::test]
async fn a_windows_inbox_pages_through_the_cases_waiting_for_it_on_both_engines() {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        let owner = app.applicant(&enterprise_phones()[0]).await;
        let mut waiting = Vec::new();
        for item in [ITEM, "440511-RSJ-004", ITEM, "440511-RSJ-007", ITEM] {
            waiting.push(app.submitted_case(&owner, item).await);
        }
        let elsewhere = app.submitted_case(&owner, "440511-GSJ-003").await;
        let clerk = app.staff("clerk.a01").await;
        let mut listed = Vec::new();
        let mut page = "/api/v1/cases?limit=2".to_owned();
        loop {
            let body = app.get(&clerk, &page).await.1;
            for case in body["items"].as_array().unwrap() {
                listed.push(case["number"].as_str().unwrap().to_owned());
            }
            match body["next_cursor"].as_str() {
                Some(cursor) => page = format!("/api/v1/cases?limit=2&cursor={cursor}"),
                None => break,
            }
        }
        // Waiting cases have no deadline yet, so their order is their numbers'.
        waiting.sort();
        assert_eq!(listed, waiting, "{:?}", app.db.store.engine());
        assert!(!listed.contains(&elsewhere));
    }
}

#[tokio::test]
async fn refusal_supplement_and_lockout() {
    let app = TestApp::start(TestDb::sqlite().await).await;
    let phones = enterprise_phones();
    let owner = app.applicant(&phones[2]).await;
    let clerk = app.staff("clerk.a01").await;
    let numbers = [
        app.submitted_case(&owner, ITEM).await,
        app.submitted_case(&owner, ITEM).await,
    ];
    // Refusal needs a legal basis and a place to go.
    let (s, body) = app.act(&clerk, &numbers[0], json!({"action": "refuse", "reason": "不属于本机关职权", "legal_basis": "", "redirect": "市人社局"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_problem(&body, "field_required");
    assert_eq!(body["errors"][0]["field"], "legal_basis", "{body}");
    let (s, _) = app
        .act(&clerk, &numbers[0], json!({"action": "refuse", "reason": "不属于本机关职权", "legal_basis": "《行政许可法》第三十二条", "redirect": "汕头市人力资源和社会保障局"}))
        .await;
    assert_eq!(s, StatusCode::OK);
    // One-time notice, then the applicant supplements and the clerk accepts.
    let notice = json!({"action": "request_supplement", "items": [{"material": "M01", "problem": "missing", "note": "请提交申请表"}], "repeat_reason": null});
    assert_eq!(app.act(&clerk, &numbers[1], notice).await.0, StatusCode::OK);
    assert_eq!(
        app.act(
            &owner,
            &numbers[1],
            json!({"action": "provide_supplement", "note": "已补交"})
        )
        .await
        .0,
        StatusCode::OK
    );
    assert_eq!(
        app.accept(&clerk, &numbers[1], json!([])).await.0,
        StatusCode::OK
    );
    // Withdrawal by the applicant.
    assert_eq!(
        app.act(
            &owner,
            &numbers[1],
            json!({"action": "withdraw", "reason": ""})
        )
        .await
        .0,
        StatusCode::OK
    );

    // Five wrong passwords lock the account, even against the right one: staff and applicants.
    let c = app.client();
    let applicant_phone = enterprise_phones()[5].clone();
    for (path, who) in [
        ("/api/v1/auth/staff/login", json!({"username": "leader"})),
        (
            "/api/v1/auth/applicant/login",
            json!({"phone": applicant_phone}),
        ),
    ] {
        let with = |password: &str| {
            let mut body = who.clone();
            body["password"] = json!(password);
            body
        };
        for _ in 0..5 {
            let r = c
                .post(app.url(path))
                .json(&with("wrong"))
                .send()
                .await
                .unwrap();
            assert!(r.status().is_client_error());
        }
        let r = c
            .post(app.url(path))
            .json(&with(PASSWORD))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "{path}");
        assert!(r.headers().contains_key("retry-after"), "{path}");
        assert_problem(&r.json().await.unwrap(), "login_throttled");
    }
    // Registration rejects an ID number with a wrong check digit.
    let r = c
        .post(app.url("/api/v1/auth/applicant/register"))
        .json(&json!({"kind": "person", "name": "张三", "phone": "13912345678", "code": "000000", "password": "longenough", "identifier": "110105194912310021", "consent": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["errors"][0]["field"], "identifier", "{body}");
    // The portal search finds items by name, by code and by the words people use.
    for (q, code) in [
        ("食品经营", "440511-SYJ-001"),
        ("RSJ-005", "440511-RSJ-005"),
        ("%E9%A4%90%E9%A5%AE", "440511-SYJ-001"),
        ("%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7", "440511-GSJ-001"),
    ] {
        let (s, found) = app.get(&c, &format!("/api/v1/items?q={q}")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            found.as_array().unwrap().iter().any(|i| i["code"] == code),
            "{q}: {found}"
        );
    }
    // Health.
    assert_eq!(app.get(&c, "/readyz").await.0, StatusCode::OK);
    let guide = app.get(&c, &format!("/api/v1/items/{ITEM}/guide")).await.1;
    assert!(
        guide["ten_public_elements"]["legal_basis"]
            .as_str()
            .is_some_and(|s| !s.is_empty()),
        "{guide}"
    );
}

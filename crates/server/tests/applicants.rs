//! Applicants at the acceptance desk over real HTTP, on SQLite and on PostgreSQL: a clerk finds an
//! applicant by ID, registers a new one and applies for them; bad codes, duplicates and callers
//! who are not clerks change nothing.

mod common;

use common::{TestApp, assert_problem};
use onewindow_store::testing::TestDb;
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

/// 吴桂钦, a demo applicant (crates/server/seed/demo/applicants.json).
const DEMO_ID: &str = "440513199710233936";
const DEMO_PHONE: &str = "13402028295";
/// A demo enterprise's credit code.
const DEMO_CREDIT_CODE: &str = "91440511MA50X7T0X9";
/// A valid resident ID no demo applicant has.
const NEW_ID: &str = "11010519491231002X";
/// Another valid one, never registered.
const OTHER_ID: &str = "110105194912310011";

async fn find(app: &TestApp, c: &Client, identifier: &str) -> (StatusCode, Value) {
    app.get(c, &format!("/api/v1/applicants?identifier={identifier}"))
        .await
}

async fn register(app: &TestApp, c: &Client, body: Value) -> (StatusCode, Value) {
    app.send(c, Method::POST, "/api/v1/applicants", Some(&body))
        .await
}

async fn audit_records(app: &TestApp) -> u64 {
    app.db.store.verify_chains(|_| {}).await.unwrap().records
}

#[tokio::test]
async fn a_clerk_finds_and_registers_applicants_on_both_engines() {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        let clerk = app.staff("clerk.a01").await;

        // Found by resident ID or credit code, shown masked.
        let (s, found) = find(&app, &clerk, DEMO_ID).await;
        assert_eq!(s, StatusCode::OK, "{found}");
        assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
        assert_eq!(found[0]["name"], "吴桂钦");
        assert_eq!(found[0]["kind"], "person");
        let text = found.to_string();
        assert!(
            !text.contains(DEMO_ID) && !text.contains(DEMO_PHONE),
            "{text}"
        );
        assert!(found[0]["id_masked"].as_str().unwrap().contains('*'));
        let (s, found) = find(&app, &clerk, DEMO_CREDIT_CODE).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(found[0]["kind"], "enterprise", "{found}");
        assert_eq!(find(&app, &clerk, NEW_ID).await.1, json!([]));

        // A mistyped code is named, not searched for.
        let (s, body) = find(&app, &clerk, "440513199710233937").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_problem(&body, "resident_id_check_digit");
        assert_eq!(body["errors"][0]["field"], "identifier");
        let (s, body) = find(&app, &clerk, "91440511MA50X7T0X8").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body["code"].as_str().unwrap().starts_with("credit_code_"),
            "{body}"
        );
        let (s, body) = app.get(&clerk, "/api/v1/applicants").await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert_problem(&body, "invalid_query");

        // Registered at the window, then found and applied for.
        let records = audit_records(&app).await;
        let person = json!({"kind": "person", "name": " 张三 ", "phone": "13912345678", "identifier": NEW_ID});
        let (s, registered) = register(&app, &clerk, person.clone()).await;
        assert_eq!(s, StatusCode::CREATED, "{registered}");
        assert_eq!(registered["name"], "张三");
        assert!(!registered.to_string().contains(NEW_ID));
        assert_eq!(audit_records(&app).await, records + 1, "one audit entry");
        let (_, found) = find(&app, &clerk, NEW_ID).await;
        assert_eq!(found, json!([registered.clone()]));
        let (s, created) = app
            .send(
                &clerk,
                Method::POST,
                "/api/v1/cases",
                Some(&json!({"item": "440511-RSJ-005", "applicant": registered["id"]})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{created}");
        // No password yet: no password logs in.
        for password in ["", "OneWindow@2026"] {
            let (s, body) = app
                .send(
                    &app.client(),
                    Method::POST,
                    "/api/v1/auth/applicant/login",
                    Some(&json!({"phone": "13912345678", "password": password})),
                )
                .await;
            assert_eq!(s, StatusCode::UNAUTHORIZED, "{body}");
        }

        // Duplicates and bad particulars change nothing.
        let records = audit_records(&app).await;
        for dup in [
            json!({"kind": "person", "name": "张三", "phone": "13912345679", "identifier": NEW_ID}),
            json!({"kind": "person", "name": "李四", "phone": DEMO_PHONE, "identifier": OTHER_ID}),
        ] {
            let (s, body) = register(&app, &clerk, dup).await;
            assert_eq!(s, StatusCode::CONFLICT, "{body}");
            assert_problem(&body, "applicant_exists");
        }
        assert_eq!(find(&app, &clerk, OTHER_ID).await.1, json!([]));
        let bad = [
            (
                json!({"kind": "person", "name": "李四", "phone": "13912345670", "identifier": "110105194912310021"}),
                "identifier",
            ),
            (
                json!({"kind": "enterprise", "name": "某公司", "phone": "13912345670", "identifier": NEW_ID}),
                "identifier",
            ),
            (
                json!({"kind": "person", "name": "李四", "phone": "1391234", "identifier": OTHER_ID}),
                "phone",
            ),
            (
                json!({"kind": "person", "name": " ", "phone": "13912345670", "identifier": OTHER_ID}),
                "name",
            ),
        ];
        for (body, field) in bad {
            let (s, problem) = register(&app, &clerk, body).await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
            assert_eq!(problem["errors"][0]["field"], field, "{problem}");
        }
        let (s, body) = register(
            &app,
            &clerk,
            json!({"kind": "person", "name": "李四", "phone": "13912345670", "identifier": OTHER_ID, "password": "x"}),
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(audit_records(&app).await, records, "no audit entry");
        assert_eq!(find(&app, &clerk, OTHER_ID).await.1, json!([]));
    }
}

#[tokio::test]
async fn only_clerks_look_up_and_register_applicants_on_both_engines() {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        let clerk = app.staff("clerk.a01").await;
        let callers = [
            app.applicant(DEMO_PHONE).await,
            app.staff("approver.rsj.1").await,
            app.staff("admin").await,
        ];
        let person =
            json!({"kind": "person", "name": "张三", "phone": "13912345678", "identifier": NEW_ID});
        for c in &callers {
            let (s, body) = find(&app, c, DEMO_ID).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
            assert_problem(&body, "forbidden");
            let (s, body) = register(&app, c, person.clone()).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
        }
        let (s, _) = find(&app, &app.client(), DEMO_ID).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        assert_eq!(
            find(&app, &clerk, NEW_ID).await.1,
            json!([]),
            "nothing registered"
        );
    }
}

#[tokio::test]
async fn those_serving_a_case_reveal_its_applicant_with_an_audited_reason() {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        let person = app.applicant(DEMO_PHONE).await;
        let number = app.submitted_case(&person, "440511-RSJ-001").await;
        let path = format!("/api/v1/cases/{number}/applicant/reveal");
        let clerk = app.staff("clerk.a01").await;

        // Lists and the case page show the applicant masked.
        let (_, view) = app.get(&clerk, &format!("/api/v1/cases/{number}")).await;
        assert_eq!(view["applicant"], "吴**", "{view}");

        // No reason, no reveal, and nothing is recorded.
        let before = audit_records(&app).await;
        let (s, body) = app
            .send(&clerk, Method::POST, &path, Some(&json!({"reason": "  "})))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_problem(&body, "field_required");
        assert_eq!(body["errors"][0]["field"], "reason", "{body}");
        let (s, body) = app
            .send(
                &clerk,
                Method::POST,
                &path,
                Some(&json!({"reason": "理".repeat(201)})),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_problem(&body, "too_long");
        assert_eq!(audit_records(&app).await, before);

        // The hall's clerk, with a reason: the full identity, not kept by the browser, audited.
        let r = clerk
            .post(app.url(&path))
            .json(&json!({"reason": "核对领取人身份"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["cache-control"], "no-store");
        let identity: Value = r.json().await.unwrap();
        assert_eq!(identity["name"], "吴桂钦", "{identity}");
        assert_eq!(identity["identifier"], DEMO_ID, "{identity}");
        assert_eq!(identity["phone"], DEMO_PHONE, "{identity}");
        let audit = app.db.store.audit_entries(1).await.unwrap();
        assert_eq!(audit[0].action, "identity_revealed", "{audit:?}");
        assert_eq!(audit[0].actor_id, "clerk.a01");
        let payload: Value = serde_json::from_str(&audit[0].payload).unwrap();
        assert_eq!(payload["case"], number.as_str());
        assert_eq!(payload["reason"], "核对领取人身份");

        // Reading is not serving: the supervisor reads every case but reveals none; the
        // applicant's own account has nothing to reveal.
        let supervisor = app.staff("supervisor.1").await;
        let before = audit_records(&app).await;
        for (caller, status) in [
            (supervisor, StatusCode::FORBIDDEN),
            (person, StatusCode::FORBIDDEN),
        ] {
            let (s, body) = app
                .send(
                    &caller,
                    Method::POST,
                    &path,
                    Some(&json!({"reason": "查看"})),
                )
                .await;
            assert_eq!(s, status, "{body}");
            assert_problem(&body, "forbidden");
        }
        assert_eq!(audit_records(&app).await, before);
    }
}

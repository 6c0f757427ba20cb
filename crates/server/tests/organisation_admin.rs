//! Organisation administration over real HTTP, on SQLite and on PostgreSQL: the centre admin sets
//! up departments, windows, staff and delegation; every change is audited; bad input answers per
//! field and changes nothing; other staff are refused and change nothing; a deactivated account
//! cannot log in and loses its sessions.

mod common;

use common::{TestApp, assert_problem};
use onewindow_store::testing::TestDb;
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

/// Records in every chain: admin actions each append one to the audit log.
async fn chained_records(app: &TestApp) -> u64 {
    app.db.store.verify_chains(|_| {}).await.unwrap().records
}

/// The fields a problem names, in order.
fn fields(problem: &Value) -> Vec<&str> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect()
}

async fn put(app: &TestApp, c: &Client, path: &str, body: &Value) -> (StatusCode, Value) {
    app.send(c, Method::PUT, path, Some(body)).await
}

async fn post(app: &TestApp, c: &Client, path: &str, body: &Value) -> (StatusCode, Value) {
    app.send(c, Method::POST, path, Some(body)).await
}

async fn delete(app: &TestApp, c: &Client, path: &str) -> (StatusCode, Value) {
    app.send(c, Method::DELETE, path, None).await
}

async fn log_in(app: &TestApp, username: &str, password: &str) -> (StatusCode, Value, Client) {
    let c = app.client();
    let (s, body) = post(
        app,
        &c,
        "/api/v1/auth/staff/login",
        &json!({"username": username, "password": password}),
    )
    .await;
    (s, body, c)
}

fn department() -> Value {
    json!({
        "code": "YJJ", "name": "金平区应急管理局", "short_name": "区应急局",
        "section": "行政审批科", "phone": "0754-88639199",
        "theme": "business_licensing", "via_comprehensive_service": false
    })
}

fn window() -> Value {
    json!({
        "code": "F01", "hall": "H2", "name": "应急管理窗口", "kind": "department",
        "theme": null, "department": "YJJ", "issues_results": false
    })
}

fn clerk() -> Value {
    json!({
        "username": "clerk.f01", "password": "Window@2027", "name": "李晓敏",
        "title": "应急管理窗口受理员", "roles": ["clerk"], "department": null,
        "window": "F01", "public": true
    })
}

/// One of a department's delegation figures.
fn delegation_of(figures: &Value, department: &str, field: &str) -> i64 {
    figures
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["department"] == department)
        .unwrap()[field]
        .as_i64()
        .unwrap()
}

/// Whether the public staff board shows someone of this name.
async fn on_public_board(app: &TestApp, c: &Client, name: &str) -> bool {
    let board = app.get(c, "/api/v1/staff/public").await.1;
    board.as_array().unwrap().iter().any(|p| p["name"] == name)
}

#[tokio::test]
async fn the_centre_admin_sets_up_a_department_its_window_and_a_clerk_on_both_engines() {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        let admin = app.staff("admin").await;
        let records = chained_records(&app).await;

        let (s, created) = post(&app, &admin, "/api/v1/departments", &department()).await;
        assert_eq!(s, StatusCode::CREATED, "{created}");
        assert_eq!(created["short_name"], "区应急局");
        assert_eq!(created["document_pattern"], Value::Null);
        let mut renamed = department();
        renamed["phone"] = json!("0754-88639198");
        renamed["theme"] = Value::Null;
        renamed["document_pattern"] = json!(" 金应急许〔{year}〕{seq}号 ");
        let (s, updated) = put(&app, &admin, "/api/v1/departments/YJJ", &renamed).await;
        assert_eq!(s, StatusCode::OK, "{updated}");
        assert_eq!(updated["phone"], "0754-88639198");
        assert_eq!(updated["theme"], Value::Null);
        assert_eq!(updated["document_pattern"], "金应急许〔{year}〕{seq}号");

        let (s, w) = post(&app, &admin, "/api/v1/windows", &window()).await;
        assert_eq!(s, StatusCode::CREATED, "{w}");
        assert_eq!(w["department"], "YJJ");
        let mut issuing = window();
        issuing["issues_results"] = json!(true);
        let (s, w) = put(&app, &admin, "/api/v1/windows/F01", &issuing).await;
        assert_eq!(s, StatusCode::OK, "{w}");
        assert_eq!(w["issues_results"], true);
        let org = app.get(&admin, "/api/v1/organisation").await.1;
        // The centre publishes its supervision line beside the staff board.
        let centre = org["sites"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["kind"] == "centre");
        assert_eq!(centre.unwrap()["supervision_phone"], "0754-88639000");
        assert!(
            org["windows"]
                .as_array()
                .unwrap()
                .iter()
                .any(|w| w["code"] == "F01")
        );

        let numbers: Vec<u32> = app
            .get(&admin, "/api/v1/staff")
            .await
            .1
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["staff_number"].as_str().unwrap().parse().unwrap())
            .collect();
        let (s, account) = post(&app, &admin, "/api/v1/staff", &clerk()).await;
        assert_eq!(s, StatusCode::CREATED, "{account}");
        assert_eq!(account["window"], "F01");
        // The new account takes the next staff number (工号), shown on the public board.
        let number = account["staff_number"].as_str().unwrap().to_owned();
        assert_eq!(
            number.parse::<u32>().unwrap(),
            numbers.iter().max().unwrap() + 1
        );
        let board = app.get(&admin, "/api/v1/staff/public").await.1;
        assert!(
            board
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["name"] == "李晓敏" && p["staff_number"] == number.as_str()),
            "{board}"
        );
        assert_eq!(account["deactivated_ms"], Value::Null);
        assert!(account.get("password").is_none() && account.get("password_hash").is_none());

        // The new clerk logs in with the first password and sees their window.
        let (s, me, _) = log_in(&app, "clerk.f01", "Window@2027").await;
        assert_eq!(s, StatusCode::OK, "{me}");
        assert_eq!(me["staff"]["window"], "F01");

        let mut profile = clerk();
        for f in ["username", "password"] {
            profile.as_object_mut().unwrap().remove(f);
        }
        profile["roles"] = json!(["clerk", "approver"]);
        profile["department"] = json!("YJJ");
        profile["public"] = json!(false);
        let (s, edited) = put(&app, &admin, "/api/v1/staff/clerk.f01", &profile).await;
        assert_eq!(s, StatusCode::OK, "{edited}");
        assert_eq!(edited["roles"], json!(["clerk", "approver"]));
        assert!(!on_public_board(&app, &admin, "李晓敏").await);

        let listed = app.get(&admin, "/api/v1/staff").await.1;
        let all = listed.as_array().unwrap();
        assert!(all.iter().any(|a| a["username"] == "admin"));
        assert!(
            all.iter()
                .any(|a| a["username"] == "clerk.f01" && a["department"] == "YJJ")
        );

        // Six changes, and the new clerk's log-in.
        assert_eq!(chained_records(&app).await, records + 7);
        let entries = app.db.store.audit_entries(7).await.unwrap();
        assert!(
            entries.iter().all(|e| !e.payload.contains("Window@2027")),
            "no password audited"
        );
        let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
        for action in [
            "department_created",
            "department_updated",
            "window_created",
            "window_updated",
            "staff_created",
            "staff_updated",
        ] {
            assert!(actions.contains(&action), "{action} in {actions:?}");
        }
    }
}

#[tokio::test]
async fn delegation_changes_the_figures_on_both_engines() {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        let admin = app.staff("admin").await;
        let before = app.get(&admin, "/api/v1/organisation/delegation").await.1;
        let items = app.get(&admin, "/api/v1/items?department=RSJ").await.1;
        let item = items
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["delegated"] == false)
            .expect("an RSJ item not delegated");
        let code = item["code"].as_str().unwrap();
        let path = format!("/api/v1/items/{code}/delegation");
        let records = chained_records(&app).await;
        let (s, body) = put(&app, &admin, &path, &json!({"delegated": true})).await;
        assert_eq!(s, StatusCode::OK, "{body}");
        assert_eq!(body, json!({"delegated": true}));
        let after = app.get(&admin, "/api/v1/organisation/delegation").await.1;
        assert_eq!(
            delegation_of(&after, "RSJ", "items_delegated"),
            delegation_of(&before, "RSJ", "items_delegated") + 1
        );
        assert_eq!(chained_records(&app).await, records + 1);

        // A decision by the chief representative counts as taken at the window, at once.
        let owner = app.applicant(&common::enterprise_phones()[0]).await;
        let number = app.submitted_case(&owner, "440511-RSJ-005").await;
        let (s, body) = app
            .accept(&app.staff("clerk.a01").await, &number, json!([]))
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let (reviewer, verifier) = (
            app.staff("approver.rsj.1").await,
            app.staff("approver.rsj.2").await,
        );
        app.complete_steps(&number, &[(&reviewer, "符合条件"), (&verifier, "同意")])
            .await;
        let decide = json!({"action": "decide", "decision": "approved", "comment": "准予许可"});
        let (s, body) = app
            .act(&app.staff("chief.rsj").await, &number, decide)
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let decided = app.get(&admin, "/api/v1/organisation/delegation").await.1;
        for field in ["decided_at_window", "decided_total"] {
            assert_eq!(
                delegation_of(&decided, "RSJ", field),
                delegation_of(&after, "RSJ", field) + 1,
                "{field}"
            );
        }

        let (s, body) = put(
            &app,
            &admin,
            "/api/v1/items/440511-NONE-404/delegation",
            &json!({"delegated": true}),
        )
        .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert_problem(&body, "not_found");
    }
}

#[tokio::test]
async fn bad_input_answers_per_field_and_changes_nothing_on_both_engines() {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        let admin = app.staff("admin").await;
        let org_before = app.get(&admin, "/api/v1/organisation").await.1;
        let staff_before = app.get(&admin, "/api/v1/staff").await.1;
        let records = chained_records(&app).await;

        let mut bad = department();
        bad["code"] = json!("yj");
        bad["name"] = json!(" ");
        bad["phone"] = json!("ring us");
        bad["document_pattern"] = json!("金应急许第{seq}号");
        let (s, body) = post(&app, &admin, "/api/v1/departments", &bad).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_problem(&body, "invalid_department");
        assert_eq!(fields(&body), ["code", "name", "phone", "document_pattern"]);

        // An existing code is taken; a path and a body that disagree are refused.
        let mut rsj = department();
        rsj["code"] = json!("RSJ");
        let (s, body) = post(&app, &admin, "/api/v1/departments", &rsj).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(fields(&body), ["code"]);
        let (s, body) = put(&app, &admin, "/api/v1/departments/MZJ", &rsj).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_problem(&body, "invalid_department");
        assert_eq!(body["errors"][0]["code"], "code_mismatch");
        let (s, _) = put(&app, &admin, "/api/v1/departments/YJJ", &department()).await;
        assert_eq!(s, StatusCode::NOT_FOUND);

        // A theme window without its theme, naming a department and a hall that do not exist.
        let mut w = window();
        w["kind"] = json!("theme");
        w["hall"] = json!("H9");
        let (s, body) = post(&app, &admin, "/api/v1/windows", &w).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_problem(&body, "invalid_window");
        assert_eq!(fields(&body), ["theme", "department", "hall", "department"]);
        let codes: Vec<&str> = body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["code"].as_str().unwrap())
            .collect();
        assert_eq!(
            codes,
            [
                "theme_window_without_theme",
                "department_on_other_window",
                "unknown_hall",
                "unknown_department"
            ]
        );

        // A chief representative without window, a short password, a bad username.
        let mut chief = clerk();
        chief["username"] = json!("Chief YJJ");
        chief["password"] = json!("short");
        chief["roles"] = json!(["chief_representative"]);
        chief["window"] = Value::Null;
        let (s, body) = post(&app, &admin, "/api/v1/staff", &chief).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_problem(&body, "invalid_staff");
        assert_eq!(
            fields(&body),
            ["department", "window", "username", "password"]
        );
        assert!(
            body["errors"][3]["message_zh"]
                .as_str()
                .unwrap()
                .contains("8")
        );
        let mut taken = clerk();
        taken["username"] = json!("clerk.a01");
        taken["window"] = json!("A01");
        let (s, body) = post(&app, &admin, "/api/v1/staff", &taken).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(fields(&body), ["username"]);

        // The admin may not drop their own admin role, nor deactivate themselves.
        let own = json!({"name": "黄庆丰", "title": "信息管理员", "roles": ["leader"],
            "department": null, "window": null, "public": false});
        let (s, body) = put(&app, &admin, "/api/v1/staff/admin", &own).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["errors"][0]["code"], "own_admin_role");
        let (s, body) = delete(&app, &admin, "/api/v1/staff/admin").await;
        assert_eq!(s, StatusCode::CONFLICT);
        assert_problem(&body, "own_account");
        let (s, body) = put(
            &app,
            &admin,
            "/api/v1/staff/clerk.a01/password",
            &json!({"password": "1234567"}),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&body), ["password"]);

        assert_eq!(app.get(&admin, "/api/v1/organisation").await.1, org_before);
        assert_eq!(app.get(&admin, "/api/v1/staff").await.1, staff_before);
        assert_eq!(chained_records(&app).await, records, "nothing audited");
    }
}

#[tokio::test]
async fn other_staff_are_refused_and_change_nothing_on_both_engines() {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        let admin = app.staff("admin").await;
        let org_before = app.get(&admin, "/api/v1/organisation").await.1;
        let staff_before = app.get(&admin, "/api/v1/staff").await.1;
        let delegation_before = app.get(&admin, "/api/v1/organisation/delegation").await.1;
        let records = chained_records(&app).await;
        let mut profile = clerk();
        profile.as_object_mut().unwrap().remove("username");
        profile.as_object_mut().unwrap().remove("password");
        for who in ["leader", "supervisor.1", "chief.rsj", "clerk.a01"] {
            let c = app.staff(who).await;
            let requests: [(Method, &str, Option<Value>); 10] = [
                (Method::GET, "/api/v1/staff", None),
                (Method::POST, "/api/v1/departments", Some(department())),
                (Method::PUT, "/api/v1/departments/YJJ", Some(department())),
                (Method::POST, "/api/v1/windows", Some(window())),
                (Method::PUT, "/api/v1/windows/A01", Some(window())),
                (
                    Method::PUT,
                    "/api/v1/items/440511-RSJ-005/delegation",
                    Some(json!({"delegated": false})),
                ),
                (Method::POST, "/api/v1/staff", Some(clerk())),
                (
                    Method::PUT,
                    "/api/v1/staff/clerk.a02",
                    Some(profile.clone()),
                ),
                (
                    Method::PUT,
                    "/api/v1/staff/clerk.a02/password",
                    Some(json!({"password": "Taken@2027"})),
                ),
                (Method::DELETE, "/api/v1/staff/clerk.a02", None),
            ];
            for (method, path, body) in requests {
                let (s, problem) = app.send(&c, method.clone(), path, body.as_ref()).await;
                assert_eq!(s, StatusCode::FORBIDDEN, "{who} {method} {path}: {problem}");
                assert_problem(&problem, "forbidden");
            }
            let (s, _) = delete(&app, &c, "/api/v1/staff/clerk.a02/lock").await;
            assert_eq!(s, StatusCode::FORBIDDEN);
        }
        let anon = app.client();
        let (s, _) = app.get(&anon, "/api/v1/staff").await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        assert_eq!(app.get(&admin, "/api/v1/organisation").await.1, org_before);
        assert_eq!(app.get(&admin, "/api/v1/staff").await.1, staff_before);
        assert_eq!(
            app.get(&admin, "/api/v1/organisation/delegation").await.1,
            delegation_before
        );
        // Only the log-ins of the four were audited.
        assert_eq!(chained_records(&app).await, records + 4);
    }
}

#[tokio::test]
async fn locks_resets_and_deactivation_on_both_engines() {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        let admin = app.staff("admin").await;
        let clerk = app.staff("clerk.a02").await;

        // Five wrong passwords lock the account; the admin sees and lifts the lock.
        for _ in 0..5 {
            log_in(&app, "clerk.a03", "wrong password").await;
        }
        let (s, body, _) = log_in(&app, "clerk.a03", common::PASSWORD).await;
        assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{body}");
        let listed = app.get(&admin, "/api/v1/staff").await.1;
        let a03 = listed
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["username"] == "clerk.a03")
            .unwrap()
            .clone();
        assert!(a03["locked_until_ms"].is_i64(), "{a03}");
        let records = chained_records(&app).await;
        let (s, _) = delete(&app, &admin, "/api/v1/staff/clerk.a03/lock").await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        assert_eq!(
            log_in(&app, "clerk.a03", common::PASSWORD).await.0,
            StatusCode::OK
        );

        // A reset password replaces the old one and ends the account's sessions.
        let (s, _) = put(
            &app,
            &admin,
            "/api/v1/staff/clerk.a02/password",
            &json!({"password": "Reset@2027"}),
        )
        .await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        assert_eq!(
            app.get(&clerk, "/api/v1/me").await.0,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            log_in(&app, "clerk.a02", common::PASSWORD).await.0,
            StatusCode::UNAUTHORIZED
        );
        let (s, _, clerk) = log_in(&app, "clerk.a02", "Reset@2027").await;
        assert_eq!(s, StatusCode::OK);

        // Deactivated: the session ends, log-in is refused, the public board drops them.
        let (s, _) = delete(&app, &admin, "/api/v1/staff/clerk.a02").await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        assert_eq!(
            app.get(&clerk, "/api/v1/me").await.0,
            StatusCode::UNAUTHORIZED
        );
        let (s, body, _) = log_in(&app, "clerk.a02", "Reset@2027").await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert_problem(&body, "account_deactivated");
        let (s, body, _) = log_in(&app, "clerk.a02", "a guess").await;
        assert_eq!(
            s,
            StatusCode::UNAUTHORIZED,
            "a wrong password learns nothing"
        );
        assert_problem(&body, "bad_credentials");
        assert!(!on_public_board(&app, &admin, "陈淑华").await);
        let listed = app.get(&admin, "/api/v1/staff").await.1;
        let a02 = listed
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["username"] == "clerk.a02")
            .unwrap()
            .clone();
        assert!(a02["deactivated_ms"].is_i64(), "{a02}");

        // Unlock, reset and deactivate, the three log-ins in between (one failed), and the
        // wrong password tried on the deactivated account: every failure on a staff account is
        // recorded, with its address.
        assert_eq!(chained_records(&app).await, records + 7);
        let (s, _) = delete(&app, &admin, "/api/v1/staff/nobody.here").await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn taking_back_a_delegation_sends_new_decisions_to_the_back_office_on_both_engines() {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        let admin = app.staff("admin").await;
        // A licence RSJ has delegated: its chief representative decides.
        let item = "440511-RSJ-005";
        let owner = app.applicant(&common::enterprise_phones()[2]).await;
        let decider = |case: &Value| {
            case["case"]["steps"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["kind"] == "decide")
                .unwrap()["role"]
                .clone()
        };
        let before = app.submitted_case(&owner, item).await;
        let path = format!("/api/v1/cases/{before}");
        assert_eq!(
            decider(&app.get(&owner, &path).await.1),
            "chief_representative"
        );

        let delegation = format!("/api/v1/items/{item}/delegation");
        let (s, body) = put(&app, &admin, &delegation, &json!({"delegated": false})).await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let number = app.submitted_case(&owner, item).await;
        let path = format!("/api/v1/cases/{number}");
        assert_eq!(decider(&app.get(&owner, &path).await.1), "approver");
        // The case made before keeps its steps.
        let earlier = format!("/api/v1/cases/{before}");
        assert_eq!(
            decider(&app.get(&owner, &earlier).await.1),
            "chief_representative"
        );

        // Walked to its decision: the chief representative may not take it, an approver does,
        // and the log says in which role.
        let clerk = app.staff("clerk.a01").await;
        let (s, body) = app.accept(&clerk, &number, json!([])).await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let (one, two, three) = (
            app.staff("approver.rsj.1").await,
            app.staff("approver.rsj.2").await,
            app.staff("approver.rsj.3").await,
        );
        app.complete_steps(&number, &[(&one, "材料齐全"), (&two, "复核无误")])
            .await;
        let decide = json!({"action": "decide", "decision": "approved", "comment": "符合条件"});
        let chief = app.staff("chief.rsj").await;
        let (s, body) = app.act(&chief, &number, decide.clone()).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
        assert_problem(&body, "forbidden");
        let (s, body) = app.act(&three, &number, decide).await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let events = app.get(&three, &path).await.1["events"].clone();
        let decided = events
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["kind"] == "decided")
            .unwrap()
            .clone();
        assert_eq!(decided["actor_role"], "approver", "{decided}");
    }
}

//! An applicant's own account: consent at registration, log-in by code, a forgotten password,
//! a new password and a new phone; staff change their own password.

mod common;

use common::{PASSWORD, TestApp, assert_problem, enterprise_phones};
use onewindow_store::testing::TestDb;
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

/// A resident ID number of 1990 with its check digit (GB 11643).
fn resident_id(serial: u32) -> String {
    let body = format!("440511199001{:02}{:03}", 1 + serial % 28, serial % 1000);
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    let check = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize];
    format!("{body}{check}")
}

async fn post(app: &TestApp, c: &Client, path: &str, body: Value) -> (StatusCode, Value) {
    app.send(c, Method::POST, path, Some(&body)).await
}

async fn me(app: &TestApp, c: &Client) -> (StatusCode, Value) {
    app.get(c, "/api/v1/me").await
}

async fn log_in(app: &TestApp, phone: &str, password: &str) -> (StatusCode, Client) {
    let c = app.client();
    let (s, _) = post(
        app,
        &c,
        "/api/v1/auth/applicant/login",
        json!({"phone": phone, "password": password}),
    )
    .await;
    (s, c)
}

#[tokio::test]
async fn registration_records_consent_and_codes_come_a_minute_apart_on_both_engines() {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        let phone = "13912340001";
        let code = app.code_for(phone).await;
        // A second code within the minute is refused.
        let (s, body) = post(
            &app,
            &app.client(),
            "/api/v1/auth/applicant/code",
            json!({"phone": phone}),
        )
        .await;
        assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{body}");
        assert_problem(&body, "code_too_soon");

        let mut form = json!({"kind": "person", "name": "黄晓东", "phone": phone, "code": code,
                              "password": "Citizen@2027", "identifier": resident_id(7),
                              "consent": false});
        let c = app.client();
        let (s, body) = post(&app, &c, "/api/v1/auth/applicant/register", form.clone()).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_problem(&body, "consent_required");
        assert_eq!(body["errors"][0]["field"], "consent");
        assert_eq!(
            log_in(&app, phone, "Citizen@2027").await.0,
            StatusCode::UNAUTHORIZED
        );

        // The refusal came before the code was checked, so the code still holds.
        form["consent"] = json!(true);
        let (s, body) = post(&app, &c, "/api/v1/auth/applicant/register", form).await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
        assert_eq!(body["applicant"]["consent_version"], "2026-12");
        assert!(body["applicant"]["consented_ms"].as_i64().unwrap() > 0);
        assert_eq!(me(&app, &c).await.0, StatusCode::OK);
    }
}

#[tokio::test]
async fn an_applicant_logs_in_by_code_and_resets_a_forgotten_password_on_both_engines() {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        let phone = enterprise_phones()[2].clone();

        // Log-in by code: a wrong code, an unregistered phone, then the right code.
        let code = app.code_for(&phone).await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        let c = app.client();
        let (s, body) = post(
            &app,
            &c,
            "/api/v1/auth/applicant/code-login",
            json!({"phone": phone, "code": wrong}),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_problem(&body, "bad_verification_code");
        let (s, body) = post(
            &app,
            &c,
            "/api/v1/auth/applicant/code-login",
            json!({"phone": phone, "code": code}),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        assert_eq!(me(&app, &c).await.1["kind"], "applicant");
        let stranger = "13912340002";
        let code = app.code_for(stranger).await;
        let (s, body) = post(
            &app,
            &app.client(),
            "/api/v1/auth/applicant/code-login",
            json!({"phone": stranger, "code": code}),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_problem(&body, "phone_not_registered");

        // Five wrong passwords lock another account; a reset by code opens it with a new
        // password.
        let phone = enterprise_phones()[1].clone();
        let (s, earlier) = log_in(&app, &phone, PASSWORD).await;
        assert_eq!(s, StatusCode::OK);
        for _ in 0..5 {
            log_in(&app, &phone, "wrong-password").await;
        }
        assert_eq!(
            log_in(&app, &phone, PASSWORD).await.0,
            StatusCode::TOO_MANY_REQUESTS
        );
        let code = app.code_for(&phone).await;
        let weak = json!({"phone": phone, "code": code, "password": "short"});
        let (s, body) = post(
            &app,
            &app.client(),
            "/api/v1/auth/applicant/password-reset",
            weak,
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_problem(&body, "password_too_short");
        let reset = json!({"phone": phone, "code": code, "password": "NewSecret@2027"});
        let fresh = app.client();
        let (s, body) = post(&app, &fresh, "/api/v1/auth/applicant/password-reset", reset).await;
        assert_eq!(s, StatusCode::OK, "{body}");
        assert_eq!(me(&app, &fresh).await.0, StatusCode::OK);
        // Every session from before the reset has ended; the old password no longer opens it.
        assert_eq!(me(&app, &earlier).await.0, StatusCode::UNAUTHORIZED);
        assert_eq!(
            log_in(&app, &phone, PASSWORD).await.0,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            log_in(&app, &phone, "NewSecret@2027").await.0,
            StatusCode::OK
        );
    }
}

#[tokio::test]
async fn a_new_password_and_a_new_phone_need_the_current_password_on_both_engines() {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        let phones = enterprise_phones();
        let (phone, taken) = (phones[3].clone(), phones[4].clone());
        let (_, c) = log_in(&app, &phone, PASSWORD).await;
        let (_, other) = log_in(&app, &phone, PASSWORD).await;

        let change =
            |current: &str, password: &str| json!({"current": current, "password": password});
        let (s, body) = post(
            &app,
            &c,
            "/api/v1/me/password",
            change("nope", "Changed@2027"),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_problem(&body, "wrong_password");
        assert_eq!(body["errors"][0]["field"], "current");
        let (s, body) = post(
            &app,
            &c,
            "/api/v1/me/password",
            change(PASSWORD, "Changed@2027"),
        )
        .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{body}");
        // This session stays; the other one has ended.
        assert_eq!(me(&app, &c).await.0, StatusCode::OK);
        assert_eq!(me(&app, &other).await.0, StatusCode::UNAUTHORIZED);

        // A new phone: the code sent to it and the password. Someone else's number is taken.
        let new_phone = "13912340003";
        let code = app.code_for(new_phone).await;
        let move_to = |phone: &str, code: &str, password: &str| json!({"phone": phone, "code": code, "password": password});
        let (s, body) = post(
            &app,
            &c,
            "/api/v1/me/phone",
            move_to(new_phone, &code, PASSWORD),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_problem(&body, "wrong_password");
        assert_eq!(body["errors"][0]["field"], "password");
        let taken_code = app.code_for(&taken).await;
        let (s, body) = post(
            &app,
            &c,
            "/api/v1/me/phone",
            move_to(&taken, &taken_code, "Changed@2027"),
        )
        .await;
        assert_eq!(s, StatusCode::CONFLICT, "{body}");
        assert_problem(&body, "phone_taken");
        let (s, body) = post(
            &app,
            &c,
            "/api/v1/me/phone",
            move_to(new_phone, &code, "Changed@2027"),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        assert_eq!(body["applicant"]["phone_masked"], "139****0003");
        assert_eq!(
            log_in(&app, new_phone, "Changed@2027").await.0,
            StatusCode::OK
        );
        assert_eq!(
            log_in(&app, &phone, "Changed@2027").await.0,
            StatusCode::UNAUTHORIZED
        );

        // Staff change their own password, audited; they have no phone here.
        let clerk = app.staff("clerk.a02").await;
        let (s, body) = post(
            &app,
            &clerk,
            "/api/v1/me/phone",
            move_to(new_phone, "1", PASSWORD),
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
        let (s, body) = post(
            &app,
            &clerk,
            "/api/v1/me/password",
            change(PASSWORD, "Clerk@20270101"),
        )
        .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{body}");
        let audit = app.db.store.audit_entries(3).await.unwrap();
        assert!(
            audit.iter().any(|e| e.action == "password_changed"),
            "{audit:?}"
        );
    }
}

/// A password the admin set (a new account, or a reset) must be changed at first log-in, and
/// nothing else is allowed until it is; a new password is long and mixed, does not contain the
/// username, and is none of the account's last five.
#[tokio::test]
async fn a_password_the_admin_set_is_changed_at_first_log_in_on_both_engines() {
    for db in TestDb::each().await {
        let engine = db.engine();
        let app = TestApp::start(db).await;
        let admin = app.staff("admin").await;
        let profile = json!({"username": "clerk.new", "password": "Start@2027x",
            "name": "林晓芸", "title": "综合受理员", "roles": ["clerk"], "department": null,
            "window": "A01", "public": false});
        let (s, body) = post(&app, &admin, "/api/v1/staff", profile).await;
        assert_eq!(s, StatusCode::CREATED, "{engine:?}: {body}");

        let log_in_staff = |password: &'static str| {
            let c = app.client();
            let app = &app;
            async move {
                let (s, body) = post(
                    app,
                    &c,
                    "/api/v1/auth/staff/login",
                    json!({"username": "clerk.new", "password": password}),
                )
                .await;
                (s, body, c)
            }
        };
        let (s, body, clerk) = log_in_staff("Start@2027x").await;
        assert_eq!(s, StatusCode::OK, "{body}");
        assert_eq!(body["must_change_password"], true, "{body}");
        let (s, body) = app.get(&clerk, "/api/v1/cases").await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
        assert_problem(&body, "password_change_required");
        assert_eq!(me(&app, &clerk).await.0, StatusCode::OK);

        let change = |current: &'static str, password: &'static str| {
            let body = json!({"current": current, "password": password});
            let clerk = &clerk;
            let app = &app;
            async move { post(app, clerk, "/api/v1/me/password", body).await }
        };
        for (password, code) in [
            ("alllowercase1", "password_too_simple"),
            ("Clerk.New@2027", "password_has_name"),
            ("Start@2027x", "password_reused"),
        ] {
            let (s, body) = change("Start@2027x", password).await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{password}: {body}");
            assert_problem(&body, code);
        }
        let (s, body) = change("Start@2027x", "Mine@2027first").await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{body}");
        assert_eq!(me(&app, &clerk).await.1["must_change_password"], false);
        assert_eq!(app.get(&clerk, "/api/v1/cases").await.0, StatusCode::OK);
        // Back to the admin's password: one of the last five.
        let (s, body) = change("Mine@2027first", "Start@2027x").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_problem(&body, "password_reused");

        // A reset by the admin asks for a change again.
        let (s, body) = app
            .send(
                &admin,
                Method::PUT,
                "/api/v1/staff/clerk.new/password",
                Some(&json!({"password": "Reset@2027y"})),
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{body}");
        let (s, body, _) = log_in_staff("Reset@2027y").await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(body["must_change_password"], true, "{engine:?}");
    }
}

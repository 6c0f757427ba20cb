//! The windows that accept an item, over real HTTP on SQLite and on PostgreSQL: the centre admin
//! sees every window with the rule's verdict, sets the accepting ones, and the public guide
//! follows; windows the rule forbids, unknown or repeated ones, strangers and unknown items change
//! nothing.

mod common;

use common::{TestApp, assert_problem};
use onewindow_store::testing::TestDb;
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

/// 经营性人力资源服务机构从事职业中介活动许可: RSJ, social livelihood, enterprises, centre only.
const ITEM: &str = "440511-RSJ-005";
/// 归侨侨眷身份确认: WQJ (received at the comprehensive-service window), no theme, centre only.
const THEMELESS: &str = "440511-WQJ-001";

fn windows_path(code: &str) -> String {
    format!("/api/v1/items/{code}/windows")
}

async fn put_windows(
    app: &TestApp,
    c: &Client,
    code: &str,
    windows: &[&str],
) -> (StatusCode, Value) {
    let body = json!({ "windows": windows });
    app.send(c, Method::PUT, &windows_path(code), Some(&body))
        .await
}

/// The codes of the windows that accept the item, as the admin's list says.
fn accepting(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .filter(|w| w["accepts"] == true)
        .map(|w| w["code"].as_str().unwrap())
        .collect()
}

fn window<'a>(list: &'a Value, code: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == code)
        .unwrap_or_else(|| panic!("{code} missing from {list}"))
}

async fn guide_windows(app: &TestApp, code: &str) -> Vec<String> {
    let (s, guide) = app
        .get(&app.client(), &format!("/api/v1/items/{code}/guide"))
        .await;
    assert_eq!(s, StatusCode::OK, "{guide}");
    guide["windows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap().to_owned())
        .collect()
}

async fn chained_records(app: &TestApp) -> u64 {
    app.db.store.verify_chains(|_| {}).await.unwrap().records
}

#[tokio::test]
async fn the_centre_admin_sets_the_windows_and_the_guide_follows_on_both_engines() {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        let admin = app.staff("admin").await;

        // The seed lets every window the rule allows accept the item: the social-livelihood
        // windows and the green channel; the list says why the others may not.
        let (s, list) = app.get(&admin, &windows_path(ITEM)).await;
        assert_eq!(s, StatusCode::OK, "{list}");
        assert_eq!(accepting(&list), ["A01", "A02", "A03", "A04", "G01"]);
        assert_eq!(window(&list, "A01")["refusal"], Value::Null);
        assert_eq!(window(&list, "A01")["hall_name"], "一楼综合受理大厅");
        assert_eq!(
            window(&list, "B01")["refusal"]["code"],
            "window_of_other_theme"
        );
        assert_eq!(
            window(&list, "E01")["refusal"]["code"],
            "department_not_via_comprehensive_service"
        );
        assert_eq!(
            window(&list, "SPT-1")["refusal"]["code"],
            "item_centre_only"
        );
        assert_eq!(
            guide_windows(&app, ITEM).await,
            ["A01", "A02", "A03", "A04", "G01"]
        );

        // Narrowed to two windows: the list, the guide and the clerks' acceptance follow, and
        // the change is audited.
        let records = chained_records(&app).await;
        let (s, list) = put_windows(&app, &admin, ITEM, &["A02", "G01"]).await;
        assert_eq!(s, StatusCode::OK, "{list}");
        assert_eq!(accepting(&list), ["A02", "G01"]);
        assert_eq!(app.get(&admin, &windows_path(ITEM)).await.1, list);
        assert_eq!(guide_windows(&app, ITEM).await, ["A02", "G01"]);
        assert!(!app.db.store.window_accepts("A01", ITEM).await.unwrap());
        assert!(app.db.store.window_accepts("A02", ITEM).await.unwrap());
        assert_eq!(chained_records(&app).await, records + 1, "one audit entry");

        // An item without a theme, of a department received at the comprehensive-service window.
        let list = app.get(&admin, &windows_path(THEMELESS)).await.1;
        assert_eq!(accepting(&list), ["E01", "E02"], "{list}");
        let (s, list) = put_windows(&app, &admin, THEMELESS, &["E01"]).await;
        assert_eq!(s, StatusCode::OK, "{list}");
        let guide = app
            .get(&app.client(), &format!("/api/v1/items/{THEMELESS}/guide"))
            .await
            .1;
        assert_eq!(
            guide["windows"],
            json!([{
                "code": "E01",
                "name": "综合服务窗口（受托收件、出件）",
                "kind": "comprehensive_service",
                "hall_name": "一楼综合受理大厅",
                "floor": "1F",
                "site_name": "金平区行政服务中心",
                "address": "汕头市金平区金砂中路50号区政府大院综合服务楼一、二楼"
            }])
        );

        // No window at all: the item is taken from every window.
        let (s, list) = put_windows(&app, &admin, THEMELESS, &[]).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(accepting(&list), Vec::<&str>::new());
        assert_eq!(guide_windows(&app, THEMELESS).await, Vec::<String>::new());
    }
}

#[tokio::test]
async fn forbidden_unknown_and_repeated_windows_strangers_and_unknown_items_change_nothing_on_both_engines()
 {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        let admin = app.staff("admin").await;
        let before = app.get(&admin, &windows_path(ITEM)).await.1;
        let records = chained_records(&app).await;

        // Every problem at once, each by its position; nothing changes.
        let (s, body) = put_windows(
            &app,
            &admin,
            ITEM,
            &["B01", "NOPE", "A01", "A01", "SPT-1", "E01"],
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_problem(&body, "invalid_item_windows");
        let errors: Vec<(&str, &str)> = body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
            .collect();
        assert_eq!(
            errors,
            [
                ("windows[0]", "window_of_other_theme"),
                ("windows[1]", "unknown_window"),
                ("windows[3]", "duplicate_window"),
                ("windows[4]", "item_centre_only"),
                ("windows[5]", "department_not_via_comprehensive_service"),
            ]
        );
        assert!(
            body["errors"][0]["message_zh"]
                .as_str()
                .unwrap()
                .contains("B01"),
            "{body}"
        );
        // Unknown fields and wrong types are refused before any rule.
        let path = windows_path(ITEM);
        for bad in [
            json!({"windows": ["A01"], "all": true}),
            json!({"windows": "A01"}),
        ] {
            let (s, body) = app.send(&admin, Method::PUT, &path, Some(&bad)).await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
            assert_problem(&body, "invalid_body");
        }
        assert_eq!(app.get(&admin, &path).await.1, before);
        assert_eq!(chained_records(&app).await, records, "no audit entry");

        // Clerks, approvers and applicants may neither see nor set them.
        let strangers = [
            app.staff("clerk.a01").await,
            app.staff("approver.rsj.3").await,
            app.applicant("13055838874").await,
        ];
        let after_logins = chained_records(&app).await;
        for c in &strangers {
            let (s, body) = app.get(c, &path).await;
            assert_eq!(s, StatusCode::FORBIDDEN);
            assert_problem(&body, "forbidden");
            let (s, body) = put_windows(&app, c, ITEM, &["A01"]).await;
            assert_eq!(s, StatusCode::FORBIDDEN);
            assert_problem(&body, "forbidden");
        }
        let (s, body) = put_windows(&app, &app.client(), ITEM, &["A01"]).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        assert_problem(&body, "unauthenticated");
        assert_eq!(app.get(&admin, &path).await.1, before);
        assert_eq!(chained_records(&app).await, after_logins, "no audit entry");

        // An item never published has no windows to set.
        let (s, body) = put_windows(&app, &admin, "440511-NONE-404", &["A01"]).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert_problem(&body, "not_found");
        let (s, _) = app.get(&admin, &windows_path("440511-NONE-404")).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
}

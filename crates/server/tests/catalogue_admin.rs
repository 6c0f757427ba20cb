//! Catalogue administration over real HTTP, on SQLite and on PostgreSQL: the centre admin drafts
//! and publishes a new item and a new version of an existing one, while a case keeps its version;
//! bad definitions, strangers and unknown items change nothing.

mod common;

use common::{TestApp, assert_problem};
use onewindow_store::testing::TestDb;
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

const ITEM: &str = "440511-RSJ-005";
const NEW_ITEM: &str = "440511-RSJ-901";

async fn put_draft(app: &TestApp, c: &Client, code: &str, def: &Value) -> (StatusCode, Value) {
    let path = format!("/api/v1/items/{code}/draft");
    app.send(c, Method::PUT, &path, Some(def)).await
}

async fn publish(app: &TestApp, c: &Client, code: &str) -> (StatusCode, Value) {
    let path = format!("/api/v1/items/{code}/versions");
    app.send(c, Method::POST, &path, None).await
}

async fn draft(app: &TestApp, c: &Client, code: &str) -> (StatusCode, Value) {
    app.get(c, &format!("/api/v1/items/{code}/draft")).await
}

/// Records in every chain: admin actions each append one to the audit log.
async fn chained_records(app: &TestApp) -> u64 {
    app.db.store.verify_chains(|_| {}).await.unwrap().records
}

fn fields(problem: &Value) -> Vec<&str> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn the_centre_admin_drafts_and_publishes_items_on_both_engines() {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        let admin = app.staff("admin").await;
        let (s, current) = app.get(&admin, &format!("/api/v1/items/{ITEM}")).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(current["version"], 1);
        let v1 = current["definition"].clone();

        // A new item: drafted, listed, published, then in the catalogue with its guide.
        let mut fresh = v1.clone();
        fresh["implementation_code"] = json!(NEW_ITEM);
        fresh["name"] = json!("灵活就业人员社会保险补贴申领（试点）");
        let records = chained_records(&app).await;
        let (s, saved) = put_draft(&app, &admin, NEW_ITEM, &fresh).await;
        assert_eq!(s, StatusCode::OK, "{saved}");
        assert_eq!(saved["based_on_version"], Value::Null);
        let me = app.get(&admin, "/api/v1/me").await.1;
        assert_eq!(saved["updated_by"], me["staff"]["id"], "{me}");
        let drafts = app.get(&admin, "/api/v1/item-drafts").await.1;
        assert_eq!(drafts[0]["code"], NEW_ITEM, "{drafts}");
        assert_eq!(drafts[0]["name"], fresh["name"]);
        assert_eq!(draft(&app, &admin, NEW_ITEM).await.1["definition"], fresh);
        let (s, published) = publish(&app, &admin, NEW_ITEM).await;
        assert_eq!(s, StatusCode::CREATED, "{published}");
        assert_eq!(published, json!({"code": NEW_ITEM, "version": 1}));
        assert_eq!(
            chained_records(&app).await,
            records + 2,
            "two audit entries"
        );
        let (s, body) = draft(&app, &admin, NEW_ITEM).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert_problem(&body, "not_found");
        let listed = app.get(&admin, "/api/v1/items?department=RSJ").await.1;
        assert!(
            listed
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["code"] == NEW_ITEM && i["version"] == 1),
            "{listed}"
        );
        let (s, guide) = app
            .get(&app.client(), &format!("/api/v1/items/{NEW_ITEM}/guide"))
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(guide["name"], fresh["name"]);

        // A case applied for under version 1 keeps it when version 2 is published.
        let owner = app.applicant("13402028295").await;
        let (s, created) = app
            .send(
                &owner,
                Method::POST,
                "/api/v1/cases",
                Some(&json!({"item": ITEM})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{created}");
        let number = created["number"].as_str().unwrap().to_owned();
        app.upload_required(&owner, &number, ITEM).await;
        let mut v2 = v1.clone();
        v2["name"] = json!(format!("{}（2027年版）", v1["name"].as_str().unwrap()));
        v2["materials"][0]["note"] = json!("可使用电子证照");
        let (s, saved) = put_draft(&app, &admin, ITEM, &v2).await;
        assert_eq!(s, StatusCode::OK, "{saved}");
        assert_eq!(saved["based_on_version"], 1);
        assert_eq!(
            publish(&app, &admin, ITEM).await.1,
            json!({"code": ITEM, "version": 2})
        );
        let versions = app
            .get(&admin, &format!("/api/v1/items/{ITEM}/versions"))
            .await
            .1;
        assert_eq!(versions[0]["published_by"], "seed", "{versions}");
        assert_eq!(versions[1]["version"], 2, "{versions}");
        let current = app.get(&admin, &format!("/api/v1/items/{ITEM}")).await.1;
        assert_eq!(
            (&current["version"], &current["definition"]),
            (&json!(2), &v2)
        );
        let (s, case) = app.get(&owner, &format!("/api/v1/cases/{number}")).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(case["case"]["item_version"], 1, "{case}");
        assert_eq!(case["item_name"], v1["name"]);
        let (s, body) = app.act(&owner, &number, json!({"action": "submit"})).await;
        assert_eq!(s, StatusCode::OK, "{body}");

        // Discarding a draft.
        put_draft(&app, &admin, ITEM, &v1).await;
        let path = format!("/api/v1/items/{ITEM}/draft");
        let (s, _) = app.send(&admin, Method::DELETE, &path, None).await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let (s, body) = app.send(&admin, Method::DELETE, &path, None).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert_problem(&body, "not_found");
    }
}

#[tokio::test]
async fn bad_definitions_strangers_and_unknown_items_change_nothing_on_both_engines() {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        let admin = app.staff("admin").await;
        let v1 = app.get(&admin, &format!("/api/v1/items/{ITEM}")).await.1["definition"].clone();

        // Every problem at once, each by its field; nothing stored.
        let mut bad = v1.clone();
        bad["name"] = json!(" ");
        bad["department"] = json!("NOPE");
        bad["promised_time_limit_days"] = json!(99);
        bad["materials"][1]["code"] = bad["materials"][0]["code"].clone();
        let (s, body) = put_draft(&app, &admin, ITEM, &bad).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_problem(&body, "invalid_item_definition");
        let found = fields(&body);
        for field in [
            "name",
            "promised_time_limit_days",
            "materials[1].code",
            "department",
        ] {
            assert!(found.contains(&field), "{field} missing from {body}");
        }
        assert!(
            body["errors"].as_array().unwrap().iter().all(|e| {
                ["code", "message_zh", "message_en"]
                    .iter()
                    .all(|k| e[k].as_str().is_some_and(|v| !v.is_empty()))
            }),
            "{body}"
        );
        assert_eq!(draft(&app, &admin, ITEM).await.0, StatusCode::NOT_FOUND);

        // A valid draft stays as it was when a bad one is sent.
        let mut good = v1.clone();
        good["conditions"] = json!("本区户籍或常住人员");
        assert_eq!(put_draft(&app, &admin, ITEM, &good).await.0, StatusCode::OK);
        let before = draft(&app, &admin, ITEM).await.1;
        assert_eq!(
            put_draft(&app, &admin, ITEM, &bad).await.0,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        // The code in the path must be the item's.
        let (s, body) = put_draft(&app, &admin, "440511-RSJ-002", &good).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&body), ["implementation_code"], "{body}");
        // Unknown fields, at the top or inside a material, are refused.
        let mut extra = good.clone();
        extra["colour"] = json!("red");
        let (s, body) = put_draft(&app, &admin, ITEM, &extra).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
        assert_problem(&body, "invalid_body");
        let mut extra = good.clone();
        extra["materials"][0]["colour"] = json!("red");
        assert_eq!(
            put_draft(&app, &admin, ITEM, &extra).await.0,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(draft(&app, &admin, ITEM).await.1, before);

        // Clerks, approvers and applicants may do none of it.
        let records = chained_records(&app).await;
        let strangers = [
            app.staff("clerk.a01").await,
            app.staff("approver.rsj.3").await,
            app.applicant("13055838874").await,
        ];
        let after_logins = chained_records(&app).await;
        let draft_path = format!("/api/v1/items/{ITEM}/draft");
        let versions_path = format!("/api/v1/items/{ITEM}/versions");
        for c in &strangers {
            for (method, path, body) in [
                (Method::GET, "/api/v1/item-drafts", None),
                (Method::GET, draft_path.as_str(), None),
                (Method::PUT, draft_path.as_str(), Some(&bad)),
                (Method::DELETE, draft_path.as_str(), None),
                (Method::GET, versions_path.as_str(), None),
                (Method::POST, versions_path.as_str(), None),
            ] {
                let (s, problem) = app.send(c, method.clone(), path, body).await;
                assert_eq!(s, StatusCode::FORBIDDEN, "{method} {path}");
                assert_problem(&problem, "forbidden");
            }
        }
        assert!(after_logins >= records);
        assert_eq!(chained_records(&app).await, after_logins, "no audit entry");
        assert_eq!(draft(&app, &admin, ITEM).await.1, before);
        let current = app.get(&admin, &format!("/api/v1/items/{ITEM}")).await.1;
        assert_eq!(current["version"], 1);
        // Without a session: 401.
        let (s, body) = app.get(&app.client(), "/api/v1/item-drafts").await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        assert_problem(&body, "unauthenticated");

        // An item of a district the centre does not serve is not its admin's to draft, even
        // with a valid definition.
        let mut foreign = good.clone();
        foreign["implementation_code"] = json!("440512-RSJ-001");
        let records = chained_records(&app).await;
        let (s, body) = put_draft(&app, &admin, "440512-RSJ-001", &foreign).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
        assert_problem(&body, "outside_centre");
        assert_eq!(chained_records(&app).await, records, "no audit entry");
        let (s, _) = draft(&app, &admin, "440512-RSJ-001").await;
        assert_eq!(s, StatusCode::FORBIDDEN);

        // Unknown items: nothing to publish, no versions.
        let (s, body) = publish(&app, &admin, "440511-NONE-404").await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert_problem(&body, "not_found");
        let (s, _) = app
            .get(&admin, "/api/v1/items/440511-NONE-404/versions")
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert!(
            app.get(&admin, "/api/v1/items?q=NONE-404").await.1 == json!([]),
            "nothing published"
        );
    }
}

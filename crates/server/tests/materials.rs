//! Material uploads over HTTP, on SQLite and on PostgreSQL: an applicant fills in a draft, bad
//! files and strangers are refused with nothing changed, the clerk previews what came, a
//! supplement notice opens exactly the materials it lists, and a clerk scans the materials of an
//! application registered at the window.

mod common;

use common::{PDF, TestApp, assert_problem, enterprise_phones};
use onewindow_store::testing::TestDb;
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

const ITEM: &str = "440511-RSJ-005";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

/// The case's materials, checked to answer 200.
async fn materials(app: &TestApp, c: &Client, number: &str) -> Value {
    let (s, body) = app
        .get(c, &format!("/api/v1/cases/{number}/materials"))
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    body
}

fn material<'a>(list: &'a Value, code: &str) -> &'a Value {
    list["materials"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {list}"))
}

fn uploadable(list: &Value) -> Vec<String> {
    list["materials"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["uploadable"] == true)
        .map(|m| m["code"].as_str().unwrap().to_owned())
        .collect()
}

/// How many events the case has, as its owner sees them (all of an upload's are public).
async fn event_count(app: &TestApp, c: &Client, number: &str) -> usize {
    let (s, body) = app.get(c, &format!("/api/v1/cases/{number}")).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    body["events"].as_array().unwrap().len()
}

async fn draft(app: &TestApp, owner: &Client) -> String {
    let (s, created) = app
        .send(
            owner,
            Method::POST,
            "/api/v1/cases",
            Some(&json!({"item": ITEM})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    created["number"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_applicant_uploads_into_a_draft_and_bad_files_change_nothing() {
    for db in TestDb::each().await {
        let engine = db.engine();
        let app = TestApp::start(db).await;
        let phones = enterprise_phones();
        let owner = app.applicant(&phones[0]).await;
        let stranger = app.applicant(&phones[1]).await;
        let number = draft(&app, &owner).await;

        let list = materials(&app, &owner, &number).await;
        assert_eq!(list["max_file_bytes"], 10 * 1024 * 1024);
        let all = uploadable(&list);
        assert!(all.len() >= 4 && all.contains(&"M01".to_owned()), "{list}");

        let (s, file) = app
            .upload(&owner, &number, "M01", "营业执照.pdf", PDF)
            .await;
        assert_eq!(s, StatusCode::CREATED, "{engine:?}: {file}");
        assert_eq!(file["material"], "M01");
        assert_eq!(file["name"], "营业执照.pdf");
        assert_eq!(file["media_type"], "application/pdf");
        assert_eq!(file["size"], PDF.len());
        let (s, body) = app.get(&owner, &format!("/api/v1/cases/{number}")).await;
        assert_eq!(s, StatusCode::OK);
        let last = body["events"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["kind"], "material_uploaded");
        assert_eq!(last["seq"], file["seq"]);
        assert_eq!(last["payload"]["digest"], file["digest"]);

        let events = event_count(&app, &owner, &number).await;
        // The declared name and type do not matter; the bytes do.
        let (s, body) = app
            .upload(&owner, &number, "M02", "scan.png", b"GIF89a....")
            .await;
        assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{body}");
        assert_problem(&body, "unsupported_file_type");
        assert_eq!(body["errors"][0]["field"], "file");
        let mut big = PDF.to_vec();
        big.resize(10 * 1024 * 1024 + 1, b' ');
        let (s, body) = app.upload(&owner, &number, "M02", "big.pdf", &big).await;
        assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
        assert_problem(&body, "file_too_large");
        let (s, body) = app.upload(&owner, &number, "M99", "a.pdf", PDF).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_problem(&body, "unknown_material");
        let r = owner
            .post(app.url(&format!(
                "/api/v1/cases/{number}/materials/M02/files?name=a.pdf"
            )))
            .header("content-type", "multipart/form-data; boundary=x")
            .body(PDF.to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        // Another applicant learns nothing and changes nothing.
        let (s, body) = app.upload(&stranger, &number, "M02", "a.pdf", PDF).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{body}");
        let (s, _) = app
            .get(&stranger, &format!("/api/v1/cases/{number}/materials"))
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let path = format!("/api/v1/cases/{number}/files/{}", file["seq"]);
        let (s, _) = app.get(&stranger, &path).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert_eq!(event_count(&app, &owner, &number).await, events);
        let list = materials(&app, &owner, &number).await;
        let files: usize = list["materials"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["files"].as_array().unwrap().len())
            .sum();
        assert_eq!(files, 1, "{list}");
        // A draft is the applicant's alone: the clerk does not see it yet.
        let clerk = app.staff("clerk.a01").await;
        let (s, _) = app.get(&clerk, &path).await;
        assert_eq!(s, StatusCode::NOT_FOUND);

        // Online, nothing is sent while a required material has no file; nothing changes.
        let before = app.get(&owner, &format!("/api/v1/cases/{number}")).await.1;
        let missing = before["not_uploaded"].as_array().unwrap().clone();
        assert!(missing.contains(&json!("M02")), "{before}");
        assert!(!missing.contains(&json!("M01")), "{before}");
        let (s, body) = app.act(&owner, &number, json!({"action": "submit"})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_problem(&body, "materials_not_uploaded");
        assert!(
            body["message_zh"].as_str().unwrap().contains("营业执照"),
            "{body}"
        );
        let after = app.get(&owner, &format!("/api/v1/cases/{number}")).await.1;
        assert_eq!(after["case"], before["case"]);
        // Only a material the item allows on promise (容缺) may be asked to come later.
        let (s, body) = app
            .act(
                &owner,
                &number,
                json!({"action": "submit", "waive": ["M02"]}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_problem(&body, "material_not_waivable");
        for code in ["M02", "M04", "M05"] {
            let (s, body) = app.upload(&owner, &number, code, "scan.pdf", PDF).await;
            assert_eq!(s, StatusCode::CREATED, "{body}");
        }

        // Submitted, M03 promised: the owner reads the file back, and can no longer change the
        // materials.
        let (s, body) = app
            .act(
                &owner,
                &number,
                json!({"action": "submit", "waive": ["M03"]}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let view = app.get(&owner, &format!("/api/v1/cases/{number}")).await.1;
        assert_eq!(view["case"]["waive_requested"], json!(["M03"]), "{view}");
        let (s, body) = app.upload(&owner, &number, "M02", "late.pdf", PDF).await;
        assert_eq!(s, StatusCode::CONFLICT, "{body}");
        assert_problem(&body, "transition_not_allowed");
        assert!(uploadable(&materials(&app, &owner, &number).await).is_empty());
        let r = owner.get(app.url(&path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.bytes().await.unwrap().as_ref(), PDF);
    }
}

#[tokio::test]
async fn the_clerk_previews_and_a_supplement_opens_only_what_it_lists() {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        let owner = app.applicant(&enterprise_phones()[0]).await;
        let clerk = app.staff("clerk.a01").await;
        let number = draft(&app, &owner).await;
        let (s, jpeg) = app
            .upload(
                &owner,
                &number,
                "M01",
                "C:\\扫描\\执照.jpg",
                b"\xFF\xD8\xFF\xE0\0\x10JFIF\0",
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{jpeg}");
        assert_eq!(jpeg["name"], "执照.jpg");
        app.upload_required(&owner, &number, ITEM).await;
        let (s, body) = app.act(&owner, &number, json!({"action": "submit"})).await;
        assert_eq!(s, StatusCode::OK, "{body}");

        // The clerk at the desk sees what came and opens it in the browser.
        let list = materials(&app, &clerk, &number).await;
        assert_eq!(material(&list, "M01")["files"][0]["seq"], jpeg["seq"]);
        assert!(
            uploadable(&list).is_empty(),
            "an online case is the applicant's to fill"
        );
        let path = format!("/api/v1/cases/{number}/files/{}", jpeg["seq"]);
        let r = clerk.get(app.url(&path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-type"], "image/jpeg");
        assert_eq!(r.headers()["x-content-type-options"], "nosniff");
        assert_eq!(
            r.headers()["content-disposition"],
            "inline; filename*=UTF-8''%E6%89%A7%E7%85%A7.jpg"
        );
        let (s, _) = app
            .get(&clerk, &format!("/api/v1/cases/{number}/files/999"))
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);

        let (s, body) = app
            .act(
                &clerk,
                &number,
                json!({"action": "request_supplement", "repeat_reason": null,
                       "items": [{"material": "M02", "problem": "faulty", "note": "复印件不清晰"}]}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let list = materials(&app, &owner, &number).await;
        assert_eq!(uploadable(&list), ["M02"]);
        assert_eq!(material(&list, "M02")["requested"], "faulty");
        assert_eq!(material(&list, "M02")["request_note"], "复印件不清晰");
        assert_eq!(material(&list, "M01")["requested"], Value::Null);
        let events = event_count(&app, &owner, &number).await;
        let (s, body) = app.upload(&owner, &number, "M01", "again.pdf", PDF).await;
        assert_eq!(s, StatusCode::CONFLICT, "{body}");
        assert_problem(&body, "material_not_open");
        assert_eq!(event_count(&app, &owner, &number).await, events);
        let (s, body) = app.upload(&owner, &number, "M02", "清晰版.png", PNG).await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
        let (s, body) = app
            .act(
                &owner,
                &number,
                json!({"action": "provide_supplement", "note": "已上传清晰版"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let list = materials(&app, &clerk, &number).await;
        assert!(uploadable(&list).is_empty());
        assert_eq!(material(&list, "M02")["requested"], Value::Null);
        // The file uploaded before submission stays; the supplement adds the clear copy.
        let files = material(&list, "M02")["files"].as_array().unwrap();
        let png = files.last().unwrap();
        assert_eq!(png["media_type"], "image/png");
        assert_eq!(png["actor_role"], "applicant");
        let r = clerk
            .get(app.url(&format!("/api/v1/cases/{number}/files/{}", png["seq"])))
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()["content-type"], "image/png");
        assert_eq!(r.bytes().await.unwrap().as_ref(), PNG);
    }
}

#[tokio::test]
async fn a_clerk_scans_the_materials_of_an_application_registered_at_the_window() {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        let clerk = app.staff("clerk.a01").await;
        // The enterprise of the first demo phone, found by its credit code.
        let owner = app.applicant(&enterprise_phones()[0]).await;
        let (s, found) = app
            .get(&clerk, "/api/v1/applicants?identifier=91440511MA50X7T0X9")
            .await;
        assert_eq!(s, StatusCode::OK, "{found}");
        let (s, created) = app
            .send(
                &clerk,
                Method::POST,
                "/api/v1/cases",
                Some(&json!({"item": ITEM, "applicant": found[0]["id"]})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{created}");
        let number = created["number"].as_str().unwrap().to_owned();

        let list = materials(&app, &clerk, &number).await;
        assert!(uploadable(&list).contains(&"M01".to_owned()), "{list}");
        let (s, file) = app.upload(&clerk, &number, "M01", "申请表.pdf", PDF).await;
        assert_eq!(s, StatusCode::CREATED, "{file}");
        assert_eq!(file["actor_role"], "clerk");
        // The applicant reads it, but the window's registration is the clerk's to fill.
        let (s, body) = app.upload(&owner, &number, "M02", "执照.pdf", PDF).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
        assert_problem(&body, "forbidden");
        assert!(uploadable(&materials(&app, &owner, &number).await).is_empty());

        // M01 was scanned; the others were neither scanned nor checked, so nothing is accepted.
        let (s, body) = app
            .act(
                &clerk,
                &number,
                json!({"action": "accept", "waived": [], "received": []}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_problem(&body, "materials_missing");
        assert!(
            !body["message_en"].as_str().unwrap().contains("M01"),
            "{body}"
        );
        assert!(
            body["message_en"].as_str().unwrap().contains("M02"),
            "{body}"
        );
        let detail = app.get(&clerk, &format!("/api/v1/cases/{number}")).await.1;
        assert_eq!(detail["case"]["status"], "submitted", "{detail}");
        assert_eq!(detail["case"]["provided"], json!(["M01"]), "{detail}");
        let (s, body) = app.accept(&clerk, &number, json!([])).await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let (s, body) = app.upload(&clerk, &number, "M02", "执照.pdf", PDF).await;
        assert_eq!(s, StatusCode::CONFLICT, "{body}");
        assert_problem(&body, "transition_not_allowed");
    }
}

/// An applicant holds thirty unsent applications at most; the next is refused and nothing is
/// written.
#[tokio::test]
async fn an_applicant_holds_thirty_drafts_at_most_on_both_engines() {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        let owner = app.applicant(&enterprise_phones()[3]).await;
        let body = serde_json::json!({"item": "440511-RSJ-005"});
        for _ in 0..30 {
            let (s, created) = app
                .send(&owner, reqwest::Method::POST, "/api/v1/cases", Some(&body))
                .await;
            assert_eq!(s, reqwest::StatusCode::CREATED, "{created}");
        }
        let before = app.db.snapshot().await;
        let (s, refused) = app
            .send(&owner, reqwest::Method::POST, "/api/v1/cases", Some(&body))
            .await;
        assert_eq!(s, reqwest::StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert_problem(&refused, "too_many_drafts");
        assert!(app.db.snapshot().await == before);
    }
}

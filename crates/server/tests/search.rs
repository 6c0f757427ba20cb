//! A clerk's search on every desk: by case number, ID number, phone or part of a name, always
//! within the desk's own scope.

mod common;

use common::{TestApp, assert_problem, enterprise_phones};
use onewindow_store::testing::TestDb;
use reqwest::StatusCode;
use serde_json::Value;

const ITEM: &str = "440511-RSJ-005";

fn numbers(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["number"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn a_clerk_finds_a_case_by_number_id_phone_or_name_on_both_engines() {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        // The enterprise of the first demo phone: 汕头市金平区鸿泰印务有限公司, 91440511MA50X7T0X9.
        let phone = enterprise_phones()[0].clone();
        let owner = app.applicant(&phone).await;
        let number = app.submitted_case(&owner, ITEM).await;
        let clerk = app.staff("clerk.a01").await;
        let find = |q: &str| format!("/api/v1/cases?status=submitted&q={}", urlencode(q));

        for q in [
            number.as_str(),
            "91440511MA50X7T0X9",
            phone.as_str(),
            "鸿泰印务",
        ] {
            let (s, page) = app.get(&clerk, &find(q)).await;
            assert_eq!(s, StatusCode::OK, "{q}: {page}");
            assert!(numbers(&page).contains(&number.as_str()), "{q}: {page}");
            for c in page["items"].as_array().unwrap() {
                assert_eq!(
                    c["applicant_masked"], page["items"][0]["applicant_masked"],
                    "{q}"
                );
            }
        }
        let (_, page) = app.get(&clerk, &find(&number)).await;
        assert_eq!(numbers(&page), [number.as_str()]);

        // A mistyped ID number is no one's; one character is too little to search by.
        let (s, page) = app.get(&clerk, &find("91440511MA50X7T0X8")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(numbers(&page).is_empty(), "{page}");
        let (s, body) = app.get(&clerk, &find("鸿")).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_problem(&body, "search_too_short");

        // Outside the desk's scope a search finds nothing: a station clerk does not see the hall's.
        let station = app.staff("clerk.spt1").await;
        let (s, page) = app.get(&station, &find(&number)).await;
        assert_eq!(s, StatusCode::OK);
        assert!(numbers(&page).is_empty(), "{page}");
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

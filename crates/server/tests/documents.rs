//! Printable documents over HTTP, on SQLite and on PostgreSQL: the three notices of cases walked
//! through the API, who may fetch them, and the blank and sample forms of a material.
//!
//! The text of each PDF is checked with `pdftotext` (Debian's poppler-utils); without it the
//! check is skipped, unless `CI` is set. With `ONEWINDOW_DOCUMENT_SCREENSHOTS=1` (and
//! `pdftoppm`) the first page of each document is written to docs/screenshots/.

mod common;

use common::{TestApp, assert_problem, enterprise_phones};
use onewindow_store::testing::TestDb;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

const ITEM: &str = "440511-RSJ-005";
const ITEM_NAME: &str = "经营性人力资源服务机构从事职业中介活动许可";
const FORM_ITEM: &str = "440511-RSJ-001";

/// A PDF fetched from `path`: checked to be a whole PDF of reasonable size, with its filename.
async fn pdf(app: &TestApp, c: &Client, path: &str, filename: &str) -> Vec<u8> {
    let r = c.get(app.url(path)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert_eq!(
        r.headers()["content-disposition"],
        format!("inline; filename=\"{filename}\"").as_str()
    );
    let bytes = r.bytes().await.unwrap().to_vec();
    assert!(bytes.starts_with(b"%PDF-"), "{path} is no PDF");
    assert!(bytes.trim_ascii_end().ends_with(b"%%EOF"), "{path} is cut");
    assert!(bytes.len() < 300 * 1024, "{path}: {} bytes", bytes.len());
    eprintln!("{path}: {} bytes", bytes.len());
    bytes
}

fn tool(name: &str) -> bool {
    std::process::Command::new(name).arg("-v").output().is_ok()
}

/// The text of a PDF without whitespace (lines wrap anywhere in Chinese), or `None` when
/// pdftotext is not installed outside CI.
fn text_of(pdf: &[u8]) -> Option<String> {
    if !tool("pdftotext") {
        assert!(
            std::env::var_os("CI").is_none(),
            "pdftotext is missing: apt-get install poppler-utils"
        );
        eprintln!("skipped the text checks: pdftotext is missing (poppler-utils)");
        return None;
    }
    let dir = std::env::temp_dir().join(format!("ow-pdf-{}", fastrand::u64(..)));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("doc.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args([file.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert!(out.status.success(), "pdftotext failed");
    Some(
        String::from_utf8_lossy(&out.stdout)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect(),
    )
}

fn assert_text(pdf: &[u8], needles: &[&str]) {
    let Some(text) = text_of(pdf) else { return };
    for needle in needles {
        let needle: String = needle.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(text.contains(&needle), "{needle:?} not in:\n{text}");
    }
}

fn assert_no_text(pdf: &[u8], needles: &[&str]) {
    let Some(text) = text_of(pdf) else { return };
    for needle in needles {
        assert!(!text.contains(needle), "{needle:?} in:\n{text}");
    }
}

/// The first page as docs/screenshots/<name>.png, when asked for.
fn screenshot(pdf: &[u8], name: &str) {
    if std::env::var_os("ONEWINDOW_DOCUMENT_SCREENSHOTS").is_none() || !tool("pdftoppm") {
        return;
    }
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/screenshots");
    let file = std::env::temp_dir().join(format!("{name}-{}.pdf", fastrand::u64(..)));
    std::fs::write(&file, pdf).unwrap();
    let status = std::process::Command::new("pdftoppm")
        .args(["-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&file)
        .arg(format!("{dir}/{name}"))
        .status()
        .unwrap();
    std::fs::remove_file(&file).ok();
    assert!(status.success());
}

#[tokio::test]
async fn the_notices_of_a_case_on_both_engines() {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        let phones = enterprise_phones();
        let owner = app.applicant(&phones[0]).await;
        let stranger = app.applicant(&phones[1]).await;
        let clerk = app.staff("clerk.a01").await;
        let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
        let due = (today + chrono::Duration::days(10)).to_string();

        // Accepted, with a material waived on promise.
        let accepted = app.submitted_case(&owner, ITEM).await;
        let (s, body) = app
            .accept(
                &clerk,
                &accepted,
                json!([{"material": "M03", "due_on": due}]),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let path = format!("/api/v1/cases/{accepted}/notices/acceptance");
        let doc = pdf(&app, &owner, &path, &format!("{accepted}-acceptance.pdf")).await;
        assert_text(
            &doc,
            &[
                &accepted,
                ITEM_NAME,
                "受理通知书",
                "受理日期：",
                "7个工作日",
                "经营场所使用证明",
                "经办人：综合窗口受理员蔡桂娥（工号",
            ],
        );
        screenshot(&doc, "notice-acceptance");
        // The receipt of what was sent: every required file, and no acceptance yet.
        let receipt = format!("/api/v1/cases/{accepted}/notices/receipt");
        let doc = pdf(&app, &owner, &receipt, &format!("{accepted}-receipt.pdf")).await;
        assert_text(
            &doc,
            &[
                &accepted,
                "收件凭证",
                "收件日期：",
                "网上提交",
                "经营场所使用证明（不动产权证书或租赁合同）：已收取（1份文件）",
                "不代表已受理",
                "五日内一次性告知",
                "经办人：申请人（网上提交）",
            ],
        );
        screenshot(&doc, "notice-receipt");
        // A person's notice is addressed to them by their full name; lists show it masked.
        let (person_phone, person_name) = ("13402028295", "吴桂钦");
        let person = app.applicant(person_phone).await;
        let theirs = app.submitted_case(&person, FORM_ITEM).await;
        let (s, body) = app.accept(&clerk, &theirs, json!([])).await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let listed = app.get(&clerk, &format!("/api/v1/cases/{theirs}")).await.1;
        assert_eq!(listed["applicant"], "吴**", "{listed}");
        let notice = format!("/api/v1/cases/{theirs}/notices/acceptance");
        let addressed = pdf(&app, &person, &notice, &format!("{theirs}-acceptance.pdf")).await;
        assert_text(&addressed, &[&theirs, person_name]);
        // The clerk of the hall may print it too.
        pdf(&app, &clerk, &path, &format!("{accepted}-acceptance.pdf")).await;

        // Refused.
        let refused = app.submitted_case(&owner, ITEM).await;
        let reason = "申请人申请的职业中介活动许可属于市级人力资源社会保障部门的审批权限，\
                      不属于本机关职权范围。申请人提交的经营场所证明与营业执照登记住所不一致。";
        let (s, body) = app
            .act(
                &clerk,
                &refused,
                json!({"action": "refuse", "reason": reason,
                       "legal_basis": "《中华人民共和国行政许可法》第三十二条第一款第（二）项",
                       "redirect": "汕头市人力资源和社会保障局行政审批科"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let path = format!("/api/v1/cases/{refused}/notices/refusal");
        let doc = pdf(&app, &owner, &path, &format!("{refused}-refusal.pdf")).await;
        assert_text(
            &doc,
            &[
                &refused,
                ITEM_NAME,
                "不予受理通知书",
                reason,
                "六十日内依法申请行政复议",
            ],
        );
        screenshot(&doc, "notice-refusal");

        // A one-time notice naming every material that is missing or faulty.
        let supplemented = app.submitted_case(&owner, ITEM).await;
        let items: Vec<Value> = ["M01", "M02", "M04", "M05"]
            .iter()
            .enumerate()
            .map(|(i, m)| {
                json!({"material": m, "problem": if i % 2 == 0 { "missing" } else { "faulty" },
                       "note": "请提交加盖公章的原件及复印件一份，复印件须注明“与原件一致”并由经办人签名；\
                                如委托代理人办理，另附授权委托书。"})
            })
            .collect();
        let (s, body) = app
            .act(
                &clerk,
                &supplemented,
                json!({"action": "request_supplement", "items": items, "repeat_reason": null}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let path = format!("/api/v1/cases/{supplemented}/notices/supplement");
        let doc = pdf(
            &app,
            &owner,
            &path,
            &format!("{supplemented}-supplement.pdf"),
        )
        .await;
        assert_text(
            &doc,
            &[
                &supplemented,
                ITEM_NAME,
                "补正材料通知书",
                "告知日期：",
                "营业执照（需补正）",
                "自收到全部补正材料之日起依法审查是否受理",
            ],
        );
        // Before acceptance no time limit runs, so none is said to pause.
        assert_no_text(&doc, &["暂停计算", "决定日期"]);
        screenshot(&doc, "notice-supplement");

        // The back office denies the accepted case: the decision gives its reasons and remedies.
        let approver = app.staff("approver.rsj.1").await;
        let second = app.staff("approver.rsj.2").await;
        app.complete_steps(&accepted, &[(&approver, "材料齐全"), (&second, "复核无误")])
            .await;
        let denial = "经现场核查，申请人的经营场所面积不足二十平方米，不符合《广东省职业中介机构\
                      管理办法》第七条规定的开办条件。";
        let (s, body) = app
            .act(
                &app.staff("chief.rsj").await,
                &accepted,
                json!({"action": "decide", "decision": "denied", "comment": denial}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let path = format!("/api/v1/cases/{accepted}/notices/decision");
        let doc = pdf(&app, &owner, &path, &format!("{accepted}-decision.pdf")).await;
        assert_text(
            &doc,
            &[
                &accepted,
                "金平区人力资源和社会保障局",
                "不予行政许可决定书",
                &format!("金人社许〔{}〕", today.format("%Y")),
                "决定日期：",
                "第三十八条第二款",
                "决定不予行政许可",
                denial,
                "六十日内依法申请行政复议",
                "经办人：首席代表",
            ],
        );
        assert_no_text(&doc, &["受理日期"]);
        screenshot(&doc, "notice-decision");
        // The decision's number is on the case, and the next decision of the department takes
        // the next one.
        let view = app
            .get(&owner, &format!("/api/v1/cases/{accepted}"))
            .await
            .1;
        let first = view["case"]["document_number"].as_str().unwrap().to_owned();
        assert!(first.starts_with("金人社许〔"), "{first}");
        let granted = app.submitted_case(&owner, ITEM).await;
        let (s, body) = app.accept(&clerk, &granted, json!([])).await;
        assert_eq!(s, StatusCode::OK, "{body}");
        // A site inspection first: the applicant is told in writing the time it needs.
        let (s, body) = app
            .act(
                &approver,
                &granted,
                json!({"action": "start_special_procedure", "procedure": "site_inspection",
                       "reason": "核查经营场所与申报是否一致", "days": 5}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let path = format!("/api/v1/cases/{granted}/notices/special_procedure");
        let doc = pdf(
            &app,
            &owner,
            &path,
            &format!("{granted}-special_procedure.pdf"),
        )
        .await;
        assert_text(
            &doc,
            &[
                "金平区人力资源和社会保障局",
                "特别程序告知书",
                "告知日期：",
                "本机关已于",
                "依法进行现场核查",
                "第四十五条",
                "核查经营场所与申报是否一致",
                "5个工作日，预计于",
                "不计算在办理时限内",
                "实施部门：金平区人力资源和社会保障局",
                "经办人：审批人员",
            ],
        );
        screenshot(&doc, "notice-special-procedure");
        let (s, body) = app
            .act(
                &approver,
                &granted,
                json!({"action": "end_special_procedure", "outcome": "场所与申报一致"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        app.complete_steps(&granted, &[(&approver, "材料齐全"), (&second, "复核无误")])
            .await;
        let (s, body) = app
            .act(
                &app.staff("chief.rsj").await,
                &granted,
                json!({"action": "decide", "decision": "approved", "comment": "符合法定条件"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{body}");
        let view = app.get(&owner, &format!("/api/v1/cases/{granted}")).await.1;
        let next = view["case"]["document_number"].as_str().unwrap().to_owned();
        let seq = |n: &str| -> u32 {
            n.rsplit('〕')
                .next()
                .unwrap()
                .trim_end_matches('号')
                .parse()
                .unwrap()
        };
        assert_eq!(seq(&next), seq(&first) + 1, "{first} then {next}");
        let path = format!("/api/v1/cases/{granted}/notices/decision");
        let doc = pdf(&app, &owner, &path, &format!("{granted}-decision.pdf")).await;
        assert_text(
            &doc,
            &[
                "准予行政许可决定书",
                &next,
                "第三十八条第一款",
                "决定准予行政许可",
            ],
        );
        screenshot(&doc, "notice-approval");

        // Strangers learn nothing, nor does anyone not logged in.
        let path = format!("/api/v1/cases/{accepted}/notices/acceptance");
        let anonymous = app.client();
        for (c, status, code) in [
            (&stranger, StatusCode::NOT_FOUND, "not_found"),
            (&anonymous, StatusCode::UNAUTHORIZED, "unauthenticated"),
        ] {
            let (s, body) = app.get(c, &path).await;
            assert_eq!(s, status, "{body}");
            assert_problem(&body, code);
        }
        // A decision never taken has no notice.
        for (number, kind) in [
            (&accepted, "refusal"),
            (&accepted, "special_procedure"),
            (&refused, "acceptance"),
            (&accepted, "supplement"),
            (&refused, "decision"),
        ] {
            let (s, body) = app
                .get(&owner, &format!("/api/v1/cases/{number}/notices/{kind}"))
                .await;
            assert_eq!(s, StatusCode::CONFLICT, "{kind}");
            assert_problem(&body, "notice_not_issued");
        }
        let approval = format!("/api/v1/cases/{accepted}/notices/approval");
        let (s, _) = app.get(&owner, &approval).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn the_forms_of_a_material_are_public() {
    for db in TestDb::each().await {
        let app = TestApp::start(db).await;
        let anyone = app.client();
        // The form prints the material's own fields, as the catalogue publishes them.
        let (_, item) = app
            .get(&anyone, &format!("/api/v1/items/{FORM_ITEM}"))
            .await;
        let form = item["definition"]["materials"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["code"] == "M02")
            .unwrap()
            .clone();
        let material = form["name"].as_str().unwrap();
        let fields = form["fields"].as_array().unwrap();
        assert!(fields.len() >= 8, "{form}");
        // Labels that wrap in their cell come out of pdftotext interleaved with the value beside
        // them; the short ones are read whole.
        let labels: Vec<&str> = fields
            .iter()
            .map(|f| f["label"].as_str().unwrap())
            .filter(|l| l.chars().count() <= 6)
            .collect();
        assert!(labels.len() >= 5, "{labels:?}");
        let sample = fields
            .iter()
            .map(|f| f["sample"].as_str().unwrap())
            .find(|s| s.chars().count() >= 4)
            .unwrap();
        for variant in ["blank", "sample"] {
            let path = format!("/api/v1/items/{FORM_ITEM}/forms/M02/{variant}");
            let doc = pdf(
                &app,
                &anyone,
                &path,
                &format!("{FORM_ITEM}-M02-{variant}.pdf"),
            )
            .await;
            assert_text(&doc, &[material, "《就业创业证》申领"]);
            assert_text(&doc, &labels);
            if variant == "sample" {
                assert_text(&doc, &["示例样表", sample]);
                screenshot(&doc, "form-sample");
            } else {
                assert_no_text(&doc, &["示例样表", sample]);
            }
        }
        // No such material, a material without forms, no such item, no such variant.
        for path in [
            format!("/api/v1/items/{FORM_ITEM}/forms/M99/blank"),
            format!("/api/v1/items/{FORM_ITEM}/forms/M01/blank"),
            "/api/v1/items/440511-NONE-404/forms/M02/blank".to_owned(),
            format!("/api/v1/items/{FORM_ITEM}/forms/M02/filled"),
        ] {
            let (s, body) = app.get(&anyone, &path).await;
            assert_eq!(s, StatusCode::NOT_FOUND, "{path}");
            assert_problem(&body, "not_found");
        }
    }
}

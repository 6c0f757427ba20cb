//! The text messages an applicant gets as their case moves on: accepted, with the promised date;
//! a supplement needed, with what is missing; decided, with where to collect the result; posted,
//! with the tracking number; sent back to the window, whose acceptance is undone; and a promised
//! date moved by a calendar change. Sent through [`crate::notifier`] once the change is stored.

use chrono::NaiveDate;
use onewindow_domain::case::{Decision, Event, IssueMethod, ReturnTarget};
use onewindow_domain::catalogue::ItemDefinition;
use onewindow_domain::identity::PhoneNumber;
use onewindow_store::PromiseMoved;

use crate::state::AppState;

fn head(number: &str, item_name: &str) -> String {
    format!("【一窗通办】您申请的“{item_name}”（办件编号 {number}）")
}

fn date_zh(day: NaiveDate) -> String {
    day.format("%Y年%-m月%-d日").to_string()
}

/// The message `event` sends to the applicant of case `number` of `item`, if it sends one.
pub fn stage_message(number: &str, item: &ItemDefinition, event: &Event) -> Option<String> {
    let head = head(number, &item.name);
    let text = match event {
        Event::Accepted(a) => match a.due_on {
            Some(due) => format!("{head}已受理，承诺于{}前办结。", date_zh(due)),
            None => format!("{head}已受理。"),
        },
        Event::SupplementRequested(s) => {
            let names: Vec<&str> = s
                .items
                .iter()
                .map(|i| {
                    item.materials
                        .iter()
                        .find(|m| m.code == i.material)
                        .map_or(i.material.as_str(), |m| m.name.as_str())
                })
                .collect();
            format!(
                "{head}需要补正材料：{}。请登录查看补正告知书，补齐后提交。",
                names.join("、")
            )
        }
        Event::Returned(r) if r.to == ReturnTarget::Window => format!(
            "{head}已退回受理窗口重新受理，原因：{}。时限自重新受理之日起计算。",
            r.reason
        ),
        Event::Decided(d) => {
            let outcome = match d.decision {
                Decision::Approved => "准予许可",
                Decision::Denied => "不予许可",
            };
            format!("{head}已作出决定（{outcome}），请携带身份证件到统一出件窗口领取办理结果。")
        }
        Event::Issued(i) => match &i.method {
            IssueMethod::Post {
                tracking_number, ..
            } => format!("{head}的办理结果已邮寄，邮件单号 {tracking_number}。"),
            IssueMethod::Window { .. } => return None,
        },
        _ => return None,
    };
    Some(text)
}

/// The message telling an applicant that a change of the working-day calendar (a holiday
/// declared or withdrawn, a make-up working day) moved the date they were promised.
pub fn promise_moved_message(promise: &PromiseMoved) -> String {
    format!(
        "{}因工作日调整（节假日或调休），承诺办结日期调整为{}。",
        head(&promise.number, &promise.item_name),
        date_zh(promise.due_on)
    )
}

/// Sends `texts` to the applicant `applicant`, at the phone they gave; a failure is logged.
pub async fn text_applicant(state: &AppState, applicant: &str, texts: &[String]) {
    let phone = match state.store.applicant_phone(&state.vault, applicant).await {
        Ok(Some(phone)) => phone,
        Ok(None) => return,
        Err(e) => {
            tracing::error!(error = %e, "the applicant's phone could not be read");
            return;
        }
    };
    let to = PhoneNumber::parse(&phone).map_or_else(|_| "***".to_owned(), |p| p.masked());
    for text in texts {
        if let Err(e) = state.notifier.send_sms(&to, text).await {
            tracing::error!(error = %e, "a text message to the applicant could not be sent");
        }
    }
}

/// How many messages pass between two progress lines in the log.
const PROGRESS_EVERY: usize = 500;

/// Tells each applicant of `promises` their new promised date, in a task of its own (a calendar
/// change can move thousands), logging its progress. Returns at once, with the task.
pub fn tell_moved_promises(
    state: &AppState,
    region: &str,
    promises: Vec<PromiseMoved>,
) -> tokio::task::JoinHandle<()> {
    let (state, region) = (state.clone(), region.to_owned());
    tokio::spawn(async move {
        let total = promises.len();
        for (i, promise) in promises.iter().enumerate() {
            text_applicant(
                &state,
                &promise.applicant_id,
                &[promise_moved_message(promise)],
            )
            .await;
            if (i + 1) % PROGRESS_EVERY == 0 || i + 1 == total {
                tracing::info!(
                    region,
                    told = i + 1,
                    of = total,
                    "applicants told of their moved promised dates"
                );
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use onewindow_domain::case::event::{Accepted, Decided, Issued, Returned, SupplementRequested};
    use onewindow_domain::case::{Collector, MaterialProblem, SupplementItem};

    use super::*;

    fn item() -> ItemDefinition {
        serde_json::from_str::<Vec<ItemDefinition>>(include_str!("../seed/demo/items.json"))
            .unwrap()
            .into_iter()
            .find(|i| i.implementation_code == "440511-RSJ-005")
            .unwrap()
    }

    #[test]
    fn each_stage_the_applicant_cares_about_sends_one_message() {
        let item = item();
        let n = "440511-20261207-0000001";
        let accepted = Event::Accepted(Accepted {
            window: "A01".into(),
            waived: vec![],
            due_on: NaiveDate::from_ymd_opt(2026, 12, 16),
            received: vec![],
        });
        let text = stage_message(n, &item, &accepted).unwrap();
        assert!(text.contains(n) && text.contains(&item.name), "{text}");
        assert!(text.contains("2026年12月16日前办结"), "{text}");

        let supplement = Event::SupplementRequested(SupplementRequested {
            items: vec![SupplementItem {
                material: "M02".into(),
                problem: MaterialProblem::Missing,
                note: String::new(),
            }],
            notice: 1,
            repeat: false,
            repeat_reason: None,
        });
        let text = stage_message(n, &item, &supplement).unwrap();
        assert!(text.contains("营业执照"), "names the material: {text}");

        let denied = Event::Decided(Decided {
            decision: Decision::Denied,
            comment: "理由".into(),
            by: "chief.rsj".into(),
            step_name: "决定".into(),
            document_number: Some("金人社许〔2026〕3号".into()),
        });
        let text = stage_message(n, &item, &denied).unwrap();
        assert!(
            text.contains("不予许可") && text.contains("出件窗口"),
            "{text}"
        );

        let posted = Event::Issued(Issued {
            method: IssueMethod::Post {
                tracking_number: "EMS0001".into(),
                address: "金砂路1号".into(),
            },
        });
        assert!(
            stage_message(n, &item, &posted)
                .unwrap()
                .contains("EMS0001")
        );
        let collected = Event::Issued(Issued {
            method: IssueMethod::Window {
                window: "E02".into(),
                collector: Some(Collector {
                    name: "李四".into(),
                    id_number: "1101**********002X".into(),
                    entrustment: None,
                }),
            },
        });
        assert_eq!(stage_message(n, &item, &collected), None, "they were there");

        let mut returned = Returned {
            to: ReturnTarget::Window,
            reason: "受理事项选择错误".into(),
            by: "approver.rsj.1".into(),
            from_step: "审查".into(),
            to_step: None,
        };
        let text = stage_message(n, &item, &Event::Returned(returned.clone())).unwrap();
        assert!(text.contains("受理事项选择错误"), "{text}");
        returned.to = ReturnTarget::PreviousStep;
        let within = Event::Returned(returned);
        assert_eq!(
            stage_message(n, &item, &within),
            None,
            "the office's own business"
        );
    }

    #[test]
    fn a_moved_promise_names_the_case_and_the_new_date() {
        let promise = PromiseMoved {
            number: "440511-20261207-0000001".into(),
            item_name: "就业创业登记".into(),
            applicant_id: "a1".into(),
            due_on: NaiveDate::from_ymd_opt(2027, 1, 5).unwrap(),
        };
        assert_eq!(
            promise_moved_message(&promise),
            "【一窗通办】您申请的“就业创业登记”（办件编号 440511-20261207-0000001）因工作日调整（节假日或调休），承诺办结日期调整为2027年1月5日。"
        );
    }
}

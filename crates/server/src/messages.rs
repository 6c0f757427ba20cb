//! The text messages an applicant gets as their case moves on: accepted, with the promised date;
//! a supplement needed, with what is missing; decided, with where to collect the result; posted,
//! with the tracking number; sent back to the window, whose acceptance is undone. Sent through [`crate::notifier`] once the transition is stored.

use onewindow_domain::case::{Decision, Event, IssueMethod, ReturnTarget};
use onewindow_domain::catalogue::ItemDefinition;

/// The message `event` sends to the applicant of case `number` of `item`, if it sends one.
pub fn stage_message(number: &str, item: &ItemDefinition, event: &Event) -> Option<String> {
    let head = format!("【一窗通办】您申请的“{}”（办件编号 {number}）", item.name);
    let text = match event {
        Event::Accepted(a) => match a.due_on {
            Some(due) => format!(
                "{head}已受理，承诺于{}前办结。",
                due.format("%Y年%-m月%-d日")
            ),
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
}

//! The lifecycle as a clerk, an approver and an applicant walk it, and properties over random walks.

use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::calendar::Calendar;
use crate::catalogue::fixtures::item;
use crate::catalogue::*;
use crate::identity::ResidentId;
use crate::organisation::Role;

pub(super) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub(super) fn new_case(item: &ItemDefinition) -> Case {
    let steps = StepProgress::for_item(item, item.proposes_delegation());
    Case::new(
        Channel::Online,
        "440511",
        "app-1",
        &item.implementation_code,
        1,
        item.promised_time_limit_days,
        true,
        steps,
    )
}

/// A valid resident ID number, the applicant's own in [`collected_in_person`].
pub(super) const APPLICANT_ID: &str = "11010519491231002X";

/// Handing the result out at the window to the applicant in person.
pub(super) fn collected_in_person() -> Command {
    Command::Issue {
        method: IssueMethod::Window {
            window: "ignored".into(),
            collector: Some(Collector {
                name: " 张三 ".into(),
                id_number: APPLICANT_ID.into(),
                entrustment: None,
            }),
        },
        collector_applicant: Some("app-1".into()),
    }
}

/// Acceptance with every material of the fixture item checked as received.
pub(super) fn accept_all() -> Command {
    Command::Accept {
        waived: vec![],
        received: vec!["M01".into(), "M02".into()],
    }
}

pub(super) fn applicant(id: &str) -> Actor {
    Actor {
        id: id.into(),
        roles: vec![Role::Applicant],
        department: None,
        window: None,
    }
}

pub(super) fn clerk(hall: &str, accepts: bool, issues: bool) -> Actor {
    Actor {
        id: format!("clerk-{hall}"),
        roles: vec![Role::Clerk],
        department: None,
        window: Some(ActorWindow {
            code: "B01".into(),
            hall: hall.into(),
            accepts_item: accepts,
            issues_results: issues,
        }),
    }
}

pub(super) fn staff(role: Role, dept: &str) -> Actor {
    Actor {
        id: format!("{role:?}-{dept}"),
        roles: vec![role],
        department: Some(dept.into()),
        window: None,
    }
}

pub(super) struct Walk {
    pub(super) item: ItemDefinition,
    pub(super) case: Case,
    pub(super) cal: Calendar,
    pub(super) today: NaiveDate,
    pub(super) events: Vec<&'static str>,
}

impl Walk {
    /// A draft whose applicant has uploaded every required material, ready to send.
    pub(super) fn new(shape: WorkflowShape, today: NaiveDate) -> Walk {
        let mut w = Walk::empty(shape, today);
        w.case.provided = w.item.materials.iter().map(|m| m.code.clone()).collect();
        w
    }
    /// A draft with no file yet.
    pub(super) fn empty(shape: WorkflowShape, today: NaiveDate) -> Walk {
        let item = item(shape);
        let case = new_case(&item);
        Walk {
            item,
            case,
            cal: Calendar::china_mainland(),
            today,
            events: vec![],
        }
    }
    pub(super) fn run(&mut self, actor: &Actor, cmd: Command) -> Result<(), TransitionError> {
        let out = apply(
            &self.case,
            &self.item,
            actor,
            &cmd,
            Now {
                today: self.today,
                calendar: &self.cal,
            },
        )?;
        self.events
            .extend(out.entries.iter().map(|e| e.event.kind()));
        self.case = out.case;
        Ok(())
    }
    pub(super) fn ok(&mut self, actor: &Actor, cmd: Command) {
        self.run(actor, cmd).expect("command should succeed");
    }
}

#[test]
fn four_step_case_from_online_submission_to_closing() {
    let mut w = Walk::new(WorkflowShape::FourStep, d(2026, 3, 2));
    w.ok(&applicant("app-1"), Command::Submit { waive: vec![] });
    w.ok(&clerk("H1", true, false), accept_all());
    assert_eq!(w.case.status, CaseStatus::InProgress);
    // Accepted Monday 2 March 2026 with 10 working days: due Monday 16 March.
    assert_eq!(w.case.due_on(&w.cal, w.today), Some(d(2026, 3, 16)));
    w.ok(
        &staff(Role::Approver, "SCJ"),
        Command::CompleteStep {
            comment: "材料齐全，符合条件".into(),
            recommendation: Recommendation::Approve,
        },
    );
    w.ok(
        &second_approver(),
        Command::CompleteStep {
            comment: "同意".into(),
            recommendation: Recommendation::Approve,
        },
    );
    w.ok(
        &staff(Role::ChiefRepresentative, "SCJ"),
        Command::Decide {
            decision: Decision::Approved,
            comment: "准予许可".into(),
        },
    );
    assert_eq!(w.case.status, CaseStatus::Approved);
    let exit = clerk("H1", false, true);
    w.ok(&exit, collected_in_person());
    assert_eq!(
        w.case.issue,
        Some(IssueMethod::Window {
            window: "B01".into(),
            collector: Some(Collector {
                name: "张三".into(),
                id_number: ResidentId::parse(APPLICANT_ID).unwrap().masked(),
                entrustment: None,
            }),
        })
    );
    w.ok(&applicant("app-1"), Command::Close {});
    assert_eq!(
        w.events,
        [
            "submitted",
            "accepted",
            "step_completed",
            "step_completed",
            "decided",
            "issued",
            "closed"
        ]
    );
}

#[test]
fn a_decision_without_a_written_opinion_is_refused_either_way_and_changes_nothing() {
    let mut w = Walk::new(WorkflowShape::TwoStep, d(2026, 3, 2));
    w.ok(&applicant("app-1"), Command::Submit { waive: vec![] });
    w.ok(&clerk("H1", true, false), accept_all());
    while w.case.current().is_some_and(|s| s.kind != StepKind::Decide) {
        w.ok(
            &staff(Role::Approver, "SCJ"),
            Command::CompleteStep {
                comment: "同意".into(),
                recommendation: Recommendation::Approve,
            },
        );
    }
    let chief = staff(Role::ChiefRepresentative, "SCJ");
    let before = w.case.clone();
    for decision in [Decision::Approved, Decision::Denied] {
        for comment in ["", "  \n "] {
            let refused = w.run(
                &chief,
                Command::Decide {
                    decision,
                    comment: comment.into(),
                },
            );
            assert_eq!(refused, Err(TransitionError::Required("comment")));
            assert_eq!(w.case, before);
        }
    }
    let now = Now {
        today: w.today,
        calendar: &w.cal,
    };
    let decide = Command::Decide {
        decision: Decision::Approved,
        comment: "符合法定条件，准予许可".into(),
    };
    let mut out = apply(&w.case, &w.item, &chief, &decide, now).unwrap();
    assert!(out.decides());
    assert_eq!(out.case.document_number, None);
    out.number_decision("金人社许〔2026〕37号");
    assert_eq!(out.case.status, CaseStatus::Approved);
    assert_eq!(
        out.case.document_number.as_deref(),
        Some("金人社许〔2026〕37号")
    );
    let numbered: Vec<_> = out
        .entries
        .iter()
        .filter_map(|e| match &e.event {
            Event::Decided(d) => d.document_number.as_deref(),
            _ => None,
        })
        .collect();
    assert_eq!(numbered, ["金人社许〔2026〕37号"]);
    // Nothing but a decision takes a number.
    let review = Command::CompleteStep {
        comment: "同意".into(),
        recommendation: Recommendation::Approve,
    };
    let mut w2 = Walk::new(WorkflowShape::TwoStep, d(2026, 3, 2));
    w2.ok(&applicant("app-1"), Command::Submit { waive: vec![] });
    w2.ok(&clerk("H1", true, false), accept_all());
    let now2 = Now {
        today: w2.today,
        calendar: &w2.cal,
    };
    let reviewed = apply(
        &w2.case,
        &w2.item,
        &staff(Role::Approver, "SCJ"),
        &review,
        now2,
    );
    assert!(!reviewed.unwrap().decides());
}

#[test]
fn refusal_needs_reason_basis_and_redirect() {
    let mut w = Walk::new(WorkflowShape::TwoStep, d(2026, 3, 2));
    w.ok(&applicant("app-1"), Command::Submit { waive: vec![] });
    let c = clerk("H1", true, false);
    let err = w
        .run(
            &c,
            Command::Refuse {
                reason: "不属于本机关职权".into(),
                legal_basis: " ".into(),
                redirect: "市局".into(),
            },
        )
        .unwrap_err();
    assert_eq!(err, TransitionError::Required("legal_basis"));
    assert_eq!(w.case.status, CaseStatus::Submitted);
    w.ok(
        &c,
        Command::Refuse {
            reason: "不属于本机关职权范围".into(),
            legal_basis: "《行政许可法》第三十二条第一款第（二）项".into(),
            redirect: "汕头市市场监督管理局".into(),
        },
    );
    assert_eq!(w.case.status, CaseStatus::Refused);
    assert!(w.run(&c, accept_all()).is_err());
}

#[test]
fn supplement_during_review_stops_both_clocks_and_a_second_notice_needs_a_reason() {
    let mut w = Walk::new(WorkflowShape::FourStep, d(2026, 3, 2));
    w.ok(&applicant("app-1"), Command::Submit { waive: vec![] });
    w.ok(&clerk("H1", true, false), accept_all());
    let approver = staff(Role::Approver, "SCJ");
    let items = vec![SupplementItem {
        material: "M01".into(),
        problem: MaterialProblem::Faulty,
        note: "缺少签字".into(),
    }];
    w.today = d(2026, 3, 3);
    w.ok(
        &approver,
        Command::RequestSupplement {
            items: items.clone(),
            repeat_reason: None,
        },
    );
    w.today = d(2026, 3, 6); // Tue → Fri: Wed, Thu, Fri = 3 working days stopped
    w.ok(
        &applicant("app-1"),
        Command::ProvideSupplement {
            note: "已补签".into(),
        },
    );
    assert_eq!(w.case.due_on(&w.cal, w.today), Some(d(2026, 3, 19)));
    assert_eq!(w.case.steps[0].due_on(&w.cal, w.today), Some(d(2026, 3, 9)));
    assert_eq!(
        w.run(
            &approver,
            Command::RequestSupplement {
                items: items.clone(),
                repeat_reason: None
            }
        ),
        Err(TransitionError::RepeatReasonRequired)
    );
    w.ok(
        &approver,
        Command::RequestSupplement {
            items,
            repeat_reason: Some("补签页仍缺法定代表人签字".into()),
        },
    );
    assert_eq!(w.case.supplement_notices, 2);
}

#[test]
fn a_review_step_may_recommend_denial_and_the_log_keeps_it() {
    let mut w = Walk::new(WorkflowShape::FourStep, d(2026, 3, 2));
    w.ok(&applicant("app-1"), Command::Submit { waive: vec![] });
    w.ok(&clerk("H1", true, false), accept_all());
    let review = Command::CompleteStep {
        comment: "申请人不具备法定条件".into(),
        recommendation: Recommendation::Deny,
    };
    let now = Now {
        today: w.today,
        calendar: &w.cal,
    };
    let approver = staff(Role::Approver, "SCJ");
    let out = apply(&w.case, &w.item, &approver, &review, now).expect("review");
    let Event::StepCompleted(done) = &out.entries[0].event else {
        panic!("expected the step's completion");
    };
    assert_eq!(done.recommendation, Recommendation::Deny);
    // A command that says nothing recommends granting, as every step logged before did.
    let said_nothing: Command =
        serde_json::from_str(r#"{"action":"complete_step","comment":"同意"}"#).unwrap();
    assert!(matches!(
        said_nothing,
        Command::CompleteStep {
            recommendation: Recommendation::Approve,
            ..
        }
    ));
}

#[test]
fn handing_out_records_who_collected_it_or_where_it_was_posted() {
    let mut w = Walk::new(WorkflowShape::Immediate, d(2026, 3, 2));
    w.ok(&applicant("app-1"), Command::Submit { waive: vec![] });
    let c = clerk("H1", true, true);
    w.ok(&c, accept_all());
    // Immediate and delegated: the accepting clerk decides on the spot.
    w.ok(
        &c,
        Command::Decide {
            decision: Decision::Approved,
            comment: "准予许可".into(),
        },
    );
    let at_window =
        |name: &str, id: &str, entrustment: Option<&str>, holder: Option<&str>| Command::Issue {
            method: IssueMethod::Window {
                window: String::new(),
                collector: Some(Collector {
                    name: name.into(),
                    id_number: id.into(),
                    entrustment: entrustment.map(Into::into),
                }),
            },
            collector_applicant: holder.map(Into::into),
        };
    let by_post = |tracking: &str, address: &str| Command::Issue {
        method: IssueMethod::Post {
            tracking_number: tracking.into(),
            address: address.into(),
        },
        collector_applicant: None,
    };
    let before = w.case.clone();
    let refused = [
        (
            Command::Issue {
                method: IssueMethod::Window {
                    window: String::new(),
                    collector: None,
                },
                collector_applicant: None,
            },
            TransitionError::Required("collector"),
        ),
        (
            at_window(" ", APPLICANT_ID, None, Some("app-1")),
            TransitionError::Required("collector.name"),
        ),
        (
            at_window("张三", "110105194912310021", None, Some("app-1")),
            TransitionError::CollectorIdInvalid,
        ),
        (
            at_window("李四", APPLICANT_ID, None, Some("someone-else")),
            TransitionError::EntrustmentRequired,
        ),
        (
            at_window("李四", APPLICANT_ID, Some("  "), None),
            TransitionError::EntrustmentRequired,
        ),
        (by_post("EMS1", " "), TransitionError::Required("address")),
        (
            by_post("", "金砂路1号"),
            TransitionError::Required("tracking_number"),
        ),
    ];
    for (command, error) in refused {
        assert_eq!(w.run(&c, command), Err(error));
        assert_eq!(w.case, before, "a refused hand-out changes nothing");
    }
    assert_eq!(
        TransitionError::EntrustmentRequired.field(),
        Some("collector.entrustment")
    );
    w.ok(
        &c,
        at_window(" 李四 ", APPLICANT_ID, Some(" 委托书 2026-001 "), None),
    );
    let Some(IssueMethod::Window {
        collector: Some(collector),
        ..
    }) = &w.case.issue
    else {
        panic!("handed out at the window: {:?}", w.case.issue);
    };
    assert_eq!(collector.name, "李四");
    assert_eq!(collector.entrustment.as_deref(), Some("委托书 2026-001"));
    assert!(
        !collector.id_number.contains("19491231"),
        "the case keeps the ID number masked: {}",
        collector.id_number
    );
}

#[test]
fn waived_material_blocks_issue_until_provided() {
    let mut w = Walk::new(WorkflowShape::Immediate, d(2026, 3, 2));
    w.ok(&applicant("app-1"), Command::Submit { waive: vec![] });
    let c = clerk("H1", true, true);
    let waive = |m: &str, due| Command::Accept {
        waived: vec![WaiveRequest {
            material: m.into(),
            due_on: due,
        }],
        received: vec!["M01".into()],
    };
    assert_eq!(
        w.run(&c, waive("M01", d(2026, 3, 9))),
        Err(TransitionError::NotWaivable("M01".into()))
    );
    assert_eq!(
        w.run(&c, waive("M02", d(2026, 3, 2))),
        Err(TransitionError::WaivedDueNotInFuture)
    );
    w.ok(&c, waive("M02", d(2026, 3, 9)));
    assert_eq!(
        w.case.due_on(&w.cal, w.today),
        Some(d(2026, 3, 2)),
        "an immediate item is due the same day"
    );
    // Immediate and delegated: the accepting clerk decides on the spot.
    w.ok(
        &c,
        Command::Decide {
            decision: Decision::Approved,
            comment: "准予许可".into(),
        },
    );
    let issue = Command::Issue {
        method: IssueMethod::Post {
            tracking_number: "EMS1".into(),
            address: "汕头市金平区金砂路1号".into(),
        },
        collector_applicant: None,
    };
    assert!(matches!(
        w.run(&c, issue.clone()),
        Err(TransitionError::WaivedOutstanding(_))
    ));
    w.ok(
        &applicant("app-1"),
        Command::ProvideWaivedMaterial {
            material: "M02".into(),
        },
    );
    w.ok(&c, issue);
    assert_eq!(w.case.status, CaseStatus::Issued);
}

#[test]
fn special_procedure_stops_the_clock() {
    let mut w = Walk::new(WorkflowShape::TwoStep, d(2026, 3, 2));
    w.ok(&applicant("app-1"), Command::Submit { waive: vec![] });
    w.ok(&clerk("H1", true, false), accept_all());
    let before = w.case.due_on(&w.cal, w.today).unwrap();
    let approver = staff(Role::Approver, "SCJ");
    w.ok(
        &approver,
        Command::StartSpecialProcedure {
            procedure: SpecialProcedure::SiteInspection,
            reason: "现场核查".into(),
            days: 5,
        },
    );
    w.today = d(2026, 3, 9); // Mon → next Mon: 5 working days stopped
    w.ok(
        &approver,
        Command::EndSpecialProcedure {
            outcome: "核查合格".into(),
        },
    );
    assert_eq!(
        w.case.due_on(&w.cal, w.today),
        Some(w.cal.add_working_days(before, 5))
    );
}

#[test]
fn a_special_procedure_has_a_bounded_time_limit_told_to_the_applicant() {
    let mut w = Walk::new(WorkflowShape::TwoStep, d(2026, 3, 2));
    w.ok(&applicant("app-1"), Command::Submit { waive: vec![] });
    w.ok(&clerk("H1", true, false), accept_all());
    let approver = staff(Role::Approver, "SCJ");
    let start = |days| Command::StartSpecialProcedure {
        procedure: SpecialProcedure::SiteInspection,
        reason: "现场核查".into(),
        days,
    };
    for days in [0, SpecialProcedure::SiteInspection.max_days() + 1] {
        assert_eq!(
            w.run(&approver, start(days)),
            Err(TransitionError::SpecialProcedureDays {
                procedure: SpecialProcedure::SiteInspection,
                max: 10
            })
        );
    }
    w.ok(&approver, start(3));
    // Mon 2 March + 3 working days: Thursday.
    assert_eq!(w.case.special_procedure_due, Some(d(2026, 3, 5)));
    assert!(!w.case.special_procedure_overdue(d(2026, 3, 5)));
    assert!(w.case.special_procedure_overdue(d(2026, 3, 6)));
    let end = Command::EndSpecialProcedure {
        outcome: "核查合格".into(),
    };
    let ended = |today| {
        let now = Now {
            today,
            calendar: &w.cal,
        };
        let out = apply(&w.case, &w.item, &approver, &end, now).unwrap();
        assert_eq!(out.case.special_procedure_due, None);
        out.entries.into_iter().find_map(|e| match e.event {
            Event::SpecialProcedureEnded(p) => Some(p.overran),
            _ => None,
        })
    };
    assert_eq!(ended(d(2026, 3, 5)), Some(false));
    assert_eq!(ended(d(2026, 3, 6)), Some(true));
}

#[test]
fn only_those_serving_a_case_reveal_its_applicant_and_say_why() {
    let mut w = Walk::new(WorkflowShape::TwoStep, d(2026, 3, 2));
    let hall_clerk = clerk("H1", true, false);
    // A draft is nobody's but the applicant's.
    assert_eq!(
        reveal_identity(&hall_clerk, &w.case, "核对身份"),
        Err(TransitionError::Forbidden("reveal_identity"))
    );
    w.ok(&applicant("app-1"), Command::Submit { waive: vec![] });
    w.ok(&hall_clerk, accept_all());
    assert_eq!(
        reveal_identity(&hall_clerk, &w.case, "  核对身份  "),
        Ok("核对身份".to_owned())
    );
    assert_eq!(
        reveal_identity(&staff(Role::Approver, "SCJ"), &w.case, "电话联系申请人"),
        Ok("电话联系申请人".to_owned())
    );
    assert_eq!(
        reveal_identity(&hall_clerk, &w.case, " "),
        Err(TransitionError::Required("reason"))
    );
    let long = "理".repeat(MAX_REVEAL_REASON_CHARS + 50);
    assert_eq!(
        reveal_identity(&hall_clerk, &w.case, &long),
        Err(TransitionError::TooLong {
            field: "reason",
            max: MAX_REVEAL_REASON_CHARS
        })
    );
    // Reading a case is not serving it: another hall, another department, the supervisor, the
    // applicant's own account.
    for outsider in [
        clerk("H9", false, false),
        staff(Role::Approver, "RSJ"),
        staff(Role::Supervisor, "JCS"),
        applicant("app-1"),
    ] {
        assert_eq!(
            reveal_identity(&outsider, &w.case, "核对身份"),
            Err(TransitionError::Forbidden("reveal_identity")),
            "{outsider:?}"
        );
    }
}

#[test]
fn foreign_actors_are_refused() {
    let mut w = Walk::new(WorkflowShape::FourStep, d(2026, 3, 2));
    assert_eq!(
        w.run(&applicant("other"), Command::Submit { waive: vec![] }),
        Err(TransitionError::Forbidden("submit"))
    );
    w.ok(&applicant("app-1"), Command::Submit { waive: vec![] });
    assert_eq!(
        w.run(&clerk("H9", false, false), accept_all()),
        Err(TransitionError::Forbidden("accept"))
    );
    w.ok(&clerk("H1", true, false), accept_all());
    let other_dept = staff(Role::Approver, "RSJ");
    assert!(!can_read(&other_dept, &w.case));
    assert!(!can_read(&clerk("H9", true, false), &w.case));
    assert!(!can_read(&applicant("other"), &w.case));
    assert_eq!(
        w.run(
            &other_dept,
            Command::CompleteStep {
                comment: "x".into(),
                recommendation: Recommendation::Approve,
            }
        ),
        Err(TransitionError::Forbidden("complete_step"))
    );
    assert_eq!(
        w.run(
            &applicant("other"),
            Command::Withdraw {
                reason: String::new()
            }
        ),
        Err(TransitionError::Forbidden("withdraw"))
    );
    // An approver may not take the decision delegated to the chief representative.
    w.ok(
        &staff(Role::Approver, "SCJ"),
        Command::CompleteStep {
            comment: "ok".into(),
            recommendation: Recommendation::Approve,
        },
    );
    w.ok(
        &second_approver(),
        Command::CompleteStep {
            comment: "ok".into(),
            recommendation: Recommendation::Approve,
        },
    );
    assert_eq!(
        w.run(
            &staff(Role::Approver, "SCJ"),
            Command::Decide {
                decision: Decision::Approved,
                comment: "准予许可".into()
            }
        ),
        Err(TransitionError::Forbidden("decide"))
    );
}

pub(super) fn any_command() -> impl Strategy<Value = Command> {
    let items = vec![SupplementItem {
        material: "M01".into(),
        problem: MaterialProblem::Missing,
        note: String::new(),
    }];
    prop_oneof![
        Just(Command::Submit { waive: vec![] }),
        Just(accept_all()),
        Just(Command::Refuse {
            reason: "r".into(),
            legal_basis: "b".into(),
            redirect: "x".into()
        }),
        Just(Command::RequestSupplement {
            items: items.clone(),
            repeat_reason: None
        }),
        Just(Command::RequestSupplement {
            items,
            repeat_reason: Some("again".into())
        }),
        Just(Command::ProvideSupplement {
            note: String::new()
        }),
        Just(Command::CompleteStep {
            comment: "ok".into(),
            recommendation: Recommendation::Approve,
        }),
        Just(Command::CompleteStep {
            comment: "不符合条件".into(),
            recommendation: Recommendation::Deny,
        }),
        Just(Command::Decide {
            decision: Decision::Approved,
            comment: "ok".into()
        }),
        Just(Command::Decide {
            decision: Decision::Approved,
            comment: " ".into()
        }),
        Just(Command::Decide {
            decision: Decision::Denied,
            comment: "no".into()
        }),
        Just(Command::StartSpecialProcedure {
            procedure: SpecialProcedure::Hearing,
            reason: "r".into(),
            days: 20,
        }),
        Just(Command::EndSpecialProcedure {
            outcome: "done".into()
        }),
        Just(Command::Return {
            to: ReturnTarget::PreviousStep,
            reason: "r".into()
        }),
        Just(Command::Return {
            to: ReturnTarget::Window,
            reason: "r".into()
        }),
        Just(Command::Withdraw { reason: "r".into() }),
        Just(collected_in_person()),
        Just(Command::Close {}),
        super::tests_materials::any_upload(),
    ]
}

pub(super) fn any_actor() -> impl Strategy<Value = Actor> {
    prop_oneof![
        Just(applicant("app-1")),
        Just(applicant("other")),
        Just(clerk("H1", true, true)),
        Just(clerk("H2", true, true)),
        Just(staff(Role::Approver, "SCJ")),
        Just(second_approver()),
        Just(staff(Role::ChiefRepresentative, "SCJ")),
        Just(staff(Role::ChiefRepresentative, "RSJ")),
        Just(staff(Role::Supervisor, "SCJ")),
    ]
}

fn any_shape() -> impl Strategy<Value = WorkflowShape> {
    prop_oneof![
        Just(WorkflowShape::Immediate),
        Just(WorkflowShape::TwoStep),
        Just(WorkflowShape::FourStep)
    ]
}

proptest! {
    /// Over random walks: final states absorb everything, refusals change nothing, the clock is
    /// stopped exactly while the case waits, a deadline only ever moves later, and a submitted case
    /// belongs to no hall.
    #[test]
    fn random_walks_keep_the_invariants(
        shape in any_shape(),
        start in 0i64..2900,
        steps in proptest::collection::vec((any_actor(), any_command(), 0u64..4), 1..40),
    ) {
        let mut w = Walk::new(shape, d(2020, 1, 1) + chrono::Days::new(start as u64));
        let mut last_due: Option<NaiveDate> = None;
        for (actor, cmd, days_later) in steps {
            w.today = w.today + chrono::Days::new(days_later);
            let before = w.case.clone();
            let upload = matches!(cmd, Command::UploadMaterial { .. });
            match w.run(&actor, cmd) {
                Err(_) => prop_assert_eq!(&w.case, &before),
                // An upload is recorded by its event; the case only notes the material provided
                // and counts the file against its quota.
                Ok(()) if upload => {
                    let mut noted = before.clone();
                    noted.provided.clone_from(&w.case.provided);
                    noted.files = before.files + 1;
                    noted.file_bytes = w.case.file_bytes;
                    prop_assert!(w.case.file_bytes > before.file_bytes);
                    prop_assert_eq!(&w.case, &noted);
                    prop_assert!(w.case.provided.len() >= before.provided.len());
                    prop_assert!(before.provided.iter().all(|m| w.case.provided.contains(m)));
                }
                Ok(()) => {
                    prop_assert!(!before.status.is_final(), "a final case changed");
                    prop_assert!(w.case != before, "a successful command changed nothing");
                }
            }
            let waiting = matches!(w.case.status, CaseStatus::AwaitingSupplement | CaseStatus::Suspended)
                && w.case.accepted_on.is_some();
            prop_assert_eq!(w.case.clock_stopped(), waiting);
            if let Some(due) = w.case.due_on(&w.cal, w.today) {
                prop_assert!(w.cal.is_working_day(due));
                if let Some(prev) = last_due { prop_assert!(due >= prev); }
                last_due = Some(due);
            }
            if w.case.accepted_on.is_some() && w.case.status.is_open() {
                prop_assert!(w.case.current().is_some());
            }
            // The store finds a window's waiting cases by status alone (cases.rs, HALL_WAITING).
            if w.case.status == CaseStatus::Submitted {
                prop_assert!(w.case.hall.is_none() && w.case.accepted_on.is_none());
            }
        }
    }
}

#[test]
fn each_actor_is_offered_exactly_what_the_rules_let_them_do() {
    let mut w = Walk::new(WorkflowShape::FourStep, d(2026, 3, 2));
    let offered = |w: &Walk, actor: &Actor| {
        let now = Now {
            today: w.today,
            calendar: &w.cal,
        };
        available_actions(&w.case, &w.item, actor, now)
    };
    let owner = applicant("app-1");
    let desk = clerk("H1", true, false);
    let approver = staff(Role::Approver, "SCJ");
    assert_eq!(offered(&w, &owner), ["submit", "withdraw"]);
    assert!(
        offered(&w, &desk).is_empty(),
        "a draft is the applicant's alone"
    );
    w.ok(&owner, Command::Submit { waive: vec![] });
    // The clerk also records a withdrawal the applicant asks for at the window.
    assert_eq!(
        offered(&w, &desk),
        ["accept", "refuse", "request_supplement", "withdraw"]
    );
    assert_eq!(offered(&w, &owner), ["withdraw"]);
    assert!(offered(&w, &approver).is_empty());
    w.ok(&desk, accept_all());
    assert_eq!(
        offered(&w, &approver),
        [
            "request_supplement",
            "complete_step",
            "return",
            "start_special_procedure"
        ]
    );
    assert!(offered(&w, &staff(Role::Approver, "RSJ")).is_empty());
    assert!(offered(&w, &clerk("H2", true, true)).is_empty());
}

/// What the staff directory says of `actor`, for an assignment to them.
fn found(actor: &Actor) -> Assignee {
    Assignee {
        id: actor.id.clone(),
        name: format!("name of {}", actor.id),
        roles: actor.roles.clone(),
        department: actor.department.clone(),
    }
}

fn assign_to(actor: &Actor) -> Command {
    Command::Assign {
        assignee: actor.id.clone(),
        found: Some(found(actor)),
    }
}

pub(super) fn second_approver() -> Actor {
    Actor {
        id: "approver-2-SCJ".into(),
        ..staff(Role::Approver, "SCJ")
    }
}

/// A four-step case of SCJ just accepted: its first step (review, approvers) is current.
fn accepted_walk() -> Walk {
    let mut w = Walk::new(WorkflowShape::FourStep, d(2026, 3, 2));
    w.ok(&applicant("app-1"), Command::Submit { waive: vec![] });
    w.ok(&clerk("H1", true, false), accept_all());
    w
}

#[test]
fn the_chief_representative_assigns_the_step_and_only_the_assignee_performs_it() {
    let mut w = accepted_walk();
    let chief = staff(Role::ChiefRepresentative, "SCJ");
    let (first, second) = (staff(Role::Approver, "SCJ"), second_approver());
    let complete = || Command::CompleteStep {
        comment: "同意".into(),
        recommendation: Recommendation::Approve,
    };
    let before = w.case.clone();
    w.ok(&chief, assign_to(&first));
    assert_eq!(w.case.steps[0].assignee.as_deref(), Some("Approver-SCJ"));
    assert_eq!(
        (w.case.status, w.case.due_on(&w.cal, w.today)),
        (before.status, before.due_on(&w.cal, w.today)),
        "an assignment moves neither the state nor the deadline"
    );
    // The step is the assignee's alone: a colleague, and the chief representative too, must
    // reassign first, so the log shows who took it over.
    for other in [&second, &chief] {
        assert_eq!(
            w.run(other, complete()),
            Err(TransitionError::Forbidden("complete_step"))
        );
    }
    w.ok(&chief, assign_to(&second));
    assert_eq!(
        w.run(&first, complete()),
        Err(TransitionError::Forbidden("complete_step"))
    );
    w.ok(&second, complete());
    assert_eq!(
        w.case.steps[0].finished_by.as_deref(),
        Some("approver-2-SCJ")
    );
    assert_eq!(
        w.case.steps[0].assignee.as_deref(),
        Some("approver-2-SCJ"),
        "a finished step keeps its assignee"
    );
    assert_eq!(
        w.case.steps[1].assignee, None,
        "the next step starts unassigned"
    );
    w.ok(&first, complete());
    assert_eq!(
        w.events,
        [
            "submitted",
            "accepted",
            "assigned",
            "assigned",
            "step_completed",
            "step_completed"
        ]
    );
}

#[test]
fn an_assignment_is_a_staff_only_event_naming_both_assignees() {
    let mut w = accepted_walk();
    let chief = staff(Role::ChiefRepresentative, "SCJ");
    w.ok(&chief, assign_to(&staff(Role::Approver, "SCJ")));
    let now = Now {
        today: w.today,
        calendar: &w.cal,
    };
    let out = apply(
        &w.case,
        &w.item,
        &chief,
        &assign_to(&second_approver()),
        now,
    )
    .unwrap();
    assert_eq!(out.entries.len(), 1);
    let e = &out.entries[0];
    assert_eq!((e.step, e.public), (Some(0), false));
    assert_eq!(
        e.event,
        Event::Assigned(event::Assigned {
            assignee: "approver-2-SCJ".to_owned(),
            assignee_name: "name of approver-2-SCJ".to_owned(),
            previous: Some("Approver-SCJ".to_owned()),
            step_name: w.case.steps[0].name.clone(),
            by: "ChiefRepresentative-SCJ".to_owned(),
        })
    );
}

#[test]
fn who_may_assign_to_whom_and_when() {
    let mut w = Walk::new(WorkflowShape::FourStep, d(2026, 3, 2));
    let chief = staff(Role::ChiefRepresentative, "SCJ");
    let approver = staff(Role::Approver, "SCJ");
    w.ok(&applicant("app-1"), Command::Submit { waive: vec![] });
    assert_eq!(
        w.run(&chief, assign_to(&approver)),
        Err(TransitionError::NotAllowed {
            action: "assign",
            status: CaseStatus::Submitted
        }),
        "nothing to assign before acceptance"
    );
    w.ok(&clerk("H1", true, false), accept_all());
    let refused = |w: &mut Walk, actor: &Actor, cmd: Command| w.run(actor, cmd).unwrap_err();
    assert_eq!(
        refused(&mut w, &approver, assign_to(&second_approver())),
        TransitionError::Forbidden("assign"),
        "approvers take work, they do not share it out"
    );
    assert_eq!(
        refused(
            &mut w,
            &staff(Role::ChiefRepresentative, "RSJ"),
            assign_to(&approver)
        ),
        TransitionError::Forbidden("assign")
    );
    assert_eq!(
        refused(&mut w, &chief, assign_to(&staff(Role::Approver, "RSJ"))),
        TransitionError::AssigneeNotQualified("name of Approver-RSJ".into())
    );
    assert_eq!(
        refused(&mut w, &chief, assign_to(&clerk("H1", true, true))),
        TransitionError::AssigneeNotQualified("name of clerk-H1".into())
    );
    let unknown = Command::Assign {
        assignee: "nobody".into(),
        found: None,
    };
    assert_eq!(
        refused(&mut w, &chief, unknown),
        TransitionError::UnknownAssignee("nobody".into())
    );
    let mismatched = Command::Assign {
        assignee: "nobody".into(),
        found: Some(found(&approver)),
    };
    assert_eq!(
        refused(&mut w, &chief, mismatched),
        TransitionError::UnknownAssignee("nobody".into()),
        "the facts must be the named person's"
    );
    w.ok(&chief, assign_to(&approver));
    let again = refused(&mut w, &chief, assign_to(&approver));
    assert_eq!(
        again,
        TransitionError::AlreadyAssigned("name of Approver-SCJ".into())
    );
    assert_eq!(again.field(), Some("assignee"));

    // A step waiting for a supplement or in a special procedure is still the department's to share.
    w.ok(
        &approver,
        Command::StartSpecialProcedure {
            procedure: SpecialProcedure::ExpertReview,
            reason: "专家评审".into(),
            days: 10,
        },
    );
    w.ok(&chief, assign_to(&second_approver()));
    assert_eq!(
        w.run(
            &approver,
            Command::EndSpecialProcedure {
                outcome: "x".into()
            }
        ),
        Err(TransitionError::Forbidden("end_special_procedure"))
    );
    w.ok(
        &second_approver(),
        Command::EndSpecialProcedure {
            outcome: "评审通过".into(),
        },
    );
    w.ok(&second_approver(), review("同意"));
    // Verification is another person's (separation of duties), unassigned so far.
    w.ok(&approver, review("复核无误"));
    // The decision is the chief representative's role: an approver cannot be given it.
    assert_eq!(
        refused(&mut w, &chief, assign_to(&approver)),
        TransitionError::AssigneeNotQualified("name of Approver-SCJ".into())
    );
    w.ok(&chief, assign_to(&chief));
    w.ok(
        &chief,
        Command::Decide {
            decision: Decision::Approved,
            comment: "准予许可".into(),
        },
    );
    assert_eq!(
        w.run(&chief, assign_to(&chief)),
        Err(TransitionError::NotAllowed {
            action: "assign",
            status: CaseStatus::Approved
        }),
        "a finished step is not given to anyone"
    );
}

#[test]
fn assign_is_offered_to_the_chief_representative_of_the_step_only() {
    let mut w = accepted_walk();
    let offered = |w: &Walk, actor: &Actor| {
        let now = Now {
            today: w.today,
            calendar: &w.cal,
        };
        available_actions(&w.case, &w.item, actor, now)
    };
    let chief = staff(Role::ChiefRepresentative, "SCJ");
    assert_eq!(
        offered(&w, &chief),
        [
            "request_supplement",
            "complete_step",
            "return",
            "start_special_procedure",
            "assign"
        ]
    );
    assert!(!offered(&w, &staff(Role::Approver, "SCJ")).contains(&"assign"));
    assert!(offered(&w, &staff(Role::ChiefRepresentative, "RSJ")).is_empty());
    w.ok(&chief, assign_to(&chief));
    assert!(
        offered(&w, &chief).contains(&"assign"),
        "the chief representative may pass on a step they hold"
    );
    w.ok(&chief, assign_to(&second_approver()));
    assert_eq!(offered(&w, &chief), ["assign"]);
    assert_eq!(
        offered(&w, &second_approver()),
        [
            "request_supplement",
            "complete_step",
            "return",
            "start_special_procedure"
        ]
    );
    assert!(offered(&w, &staff(Role::Approver, "SCJ")).is_empty());
}

fn back_office_actor() -> impl Strategy<Value = Actor> {
    prop_oneof![
        Just(staff(Role::Approver, "SCJ")),
        Just(second_approver()),
        Just(staff(Role::ChiefRepresentative, "SCJ")),
        Just(staff(Role::Approver, "RSJ")),
    ]
}

proptest! {
    /// Over random walks of accepted cases with assignments among the commands: an assignment
    /// changes nothing but the current step's assignee, who could perform it; while a step is
    /// assigned nobody else performs it; and a step the case moves on to starts unassigned (one
    /// it is returned to stays with whoever holds it).
    #[test]
    fn assignments_bind_the_step_to_its_assignee(
        shape in any_shape(),
        steps in proptest::collection::vec(
            (prop_oneof![4 => back_office_actor(), 1 => any_actor()],
             prop_oneof![2 => back_office_actor().prop_map(|a| assign_to(&a)), 3 => any_command()],
             0u64..3),
            1..40),
    ) {
        let mut w = Walk::new(shape, d(2026, 3, 2));
        w.ok(&applicant("app-1"), Command::Submit { waive: vec![] });
        w.ok(&clerk("H1", true, true), accept_all());
        for (actor, cmd, days_later) in steps {
            w.today = w.today + chrono::Days::new(days_later);
            let before = w.case.clone();
            let assigning = matches!(cmd, Command::Assign { .. });
            if w.run(&actor, cmd).is_err() {
                continue;
            }
            let held_by = before.current().and_then(|s| s.assignee.clone());
            if assigning {
                let i = before.current_step.expect("only a current step is assigned");
                let mut expected = before.clone();
                expected.steps[i].assignee = w.case.steps[i].assignee.clone();
                prop_assert_eq!(&w.case, &expected);
                prop_assert!(actor.has(Role::ChiefRepresentative));
                let to = w.case.steps[i].assignee.clone().expect("assigned");
                prop_assert!(to != held_by.unwrap_or_default());
                prop_assert!(to.ends_with("SCJ"), "{to} is not of the step's department");
            } else if actor.department.is_some() {
                // A back-office action on an assigned step was its assignee's.
                prop_assert!(held_by.is_none_or(|a| a == actor.id));
            }
            if let (Some(now), Some(was)) = (w.case.current_step, before.current_step)
                && now > was
            {
                prop_assert_eq!(&w.case.steps[now].assignee, &None);
            }
        }
    }
}

fn review(comment: &str) -> Command {
    Command::CompleteStep {
        comment: comment.into(),
        recommendation: Recommendation::Approve,
    }
}

#[test]
fn under_separation_of_duties_no_one_performs_two_steps_of_a_case() {
    let mut w = accepted_walk();
    assert!(
        w.item.separates_duties(),
        "on by default for the four-step shape"
    );
    let (first, second) = (staff(Role::Approver, "SCJ"), second_approver());
    let chief = staff(Role::ChiefRepresentative, "SCJ");
    w.ok(&first, review("材料齐全"));
    let before = w.case.clone();
    let refused = w.run(&first, review("同意"));
    assert_eq!(
        refused,
        Err(TransitionError::DutiesNotSeparated {
            assignee: None,
            step: before.steps[0].name.clone(),
        })
    );
    assert_eq!(refused.unwrap_err().code(), "duties_not_separated");
    assert_eq!(w.case, before, "a refusal changes nothing");
    // Nor may they act on the step in any other way, nor be given it.
    let ask = Command::RequestSupplement {
        items: vec![SupplementItem {
            material: "M01".into(),
            problem: MaterialProblem::Missing,
            note: "-".into(),
        }],
        repeat_reason: None,
    };
    assert!(matches!(
        w.run(&first, ask),
        Err(TransitionError::DutiesNotSeparated { .. })
    ));
    assert_eq!(
        w.run(&chief, assign_to(&first)),
        Err(TransitionError::DutiesNotSeparated {
            assignee: Some(format!("name of {}", first.id)),
            step: before.steps[0].name.clone(),
        })
    );
    let now = Now {
        today: w.today,
        calendar: &w.cal,
    };
    assert!(available_actions(&w.case, &w.item, &first, now).is_empty());
    w.ok(&second, review("同意"));
    // The chief representative decides: a third person.
    w.ok(
        &chief,
        Command::Decide {
            decision: Decision::Approved,
            comment: "准予许可".into(),
        },
    );
}

#[test]
fn separation_of_duties_is_set_per_item() {
    let mut w = accepted_walk();
    w.item.separate_duties = Some(false);
    let first = staff(Role::Approver, "SCJ");
    w.ok(&first, review("材料齐全"));
    w.ok(&first, review("同意"));
    // Off by default for two steps, and switched on for one item.
    let mut two = Walk::new(WorkflowShape::TwoStep, d(2026, 3, 2));
    assert!(!two.item.separates_duties());
    two.item.separate_duties = Some(true);
    two.item.steps[1].role = StepRole::Approver;
    two.case.steps[1].role = StepRole::Approver;
    two.ok(&applicant("app-1"), Command::Submit { waive: vec![] });
    two.ok(&clerk("H1", true, false), accept_all());
    two.ok(&first, review("材料齐全"));
    assert!(matches!(
        two.run(
            &first,
            Command::Decide {
                decision: Decision::Approved,
                comment: "准予".into(),
            }
        ),
        Err(TransitionError::DutiesNotSeparated { .. })
    ));
}

#[test]
fn a_step_returns_the_case_to_the_step_before_which_is_done_again() {
    let mut w = accepted_walk();
    let (first, second) = (staff(Role::Approver, "SCJ"), second_approver());
    let back = |reason: &str| Command::Return {
        to: ReturnTarget::PreviousStep,
        reason: reason.into(),
    };
    // The first step has nothing before it, and a return always says why.
    assert_eq!(
        w.run(&first, back("x")),
        Err(TransitionError::NoPreviousStep)
    );
    w.ok(&first, review("材料齐全"));
    w.today = d(2026, 3, 4);
    let due = w.case.due_on(&w.cal, w.today);
    assert_eq!(
        w.run(&second, back(" ")),
        Err(TransitionError::Required("reason"))
    );
    // Only whoever holds the current step sends it back.
    assert_eq!(
        w.run(&staff(Role::Approver, "RSJ"), back("x")),
        Err(TransitionError::Forbidden("return"))
    );
    w.ok(&second, back("未核对营业执照经营范围"));
    assert_eq!(w.case.current_step, Some(0));
    assert_eq!(w.case.status, CaseStatus::InProgress);
    let again = &w.case.steps[0];
    assert_eq!(
        (again.started_on, again.finished_by.as_deref()),
        (Some(d(2026, 3, 4)), None)
    );
    assert_eq!(w.case.steps[1].started_on, None);
    // The legal clock runs on: a return is no clock stop.
    assert_eq!(w.case.due_on(&w.cal, w.today), due);
    assert_eq!(w.events.last(), Some(&"returned"));
    // The reviewer does it again; separation of duties still holds for the next step.
    w.ok(&first, review("已核对经营范围"));
    assert!(matches!(
        w.run(&first, review("同意")),
        Err(TransitionError::DutiesNotSeparated { .. })
    ));
    w.ok(&second, review("同意"));
    assert_eq!(w.case.current_step, Some(2));
}

#[test]
fn a_step_returns_the_case_to_the_window_which_accepts_it_anew() {
    let mut w = accepted_walk();
    let first = staff(Role::Approver, "SCJ");
    w.today = d(2026, 3, 5);
    w.ok(
        &first,
        Command::Return {
            to: ReturnTarget::Window,
            reason: "受理事项选择错误，应为变更登记".into(),
        },
    );
    assert_eq!(w.case.status, CaseStatus::Submitted);
    assert_eq!((w.case.accepted_on, w.case.hall.as_deref()), (None, None));
    assert_eq!(w.case.current_step, None);
    assert!(w.case.steps.iter().all(|s| s.started_on.is_none()));
    assert_eq!(w.case.due_on(&w.cal, w.today), None);
    // The window accepts it again: a new time limit from the new acceptance.
    w.ok(&clerk("H1", true, false), accept_all());
    assert_eq!(w.case.accepted_on, Some(d(2026, 3, 5)));
    assert_eq!(w.case.due_on(&w.cal, w.today), Some(d(2026, 3, 19)));
}

#[test]
fn an_online_application_is_sent_only_with_its_required_files_or_a_promise() {
    let mut w = Walk::empty(WorkflowShape::TwoStep, d(2026, 3, 2));
    let owner = applicant("app-1");
    let send = |waive: &[&str]| Command::Submit {
        waive: waive.iter().map(|m| m.to_string()).collect(),
    };
    let before = w.case.clone();
    assert_eq!(
        w.run(&owner, send(&[])),
        Err(TransitionError::MaterialsNotUploaded(
            "材料M01、材料M02".into()
        ))
    );
    assert_eq!(w.case, before, "a refusal changes nothing");
    w.case.provided = vec!["M01".into()];
    // M02 may come later on the applicant's promise (容缺); M01 may not.
    assert_eq!(
        w.run(&owner, send(&["M01"])),
        Err(TransitionError::NotWaivable("M01".into()))
    );
    assert_eq!(
        w.run(&owner, send(&["M02", "M02"])),
        Err(TransitionError::DuplicateMaterial("M02".into()))
    );
    let now = Now {
        today: w.today,
        calendar: &w.cal,
    };
    assert!(available_actions(&w.case, &w.item, &owner, now).contains(&"submit"));
    w.ok(&owner, send(&["M02"]));
    assert_eq!(w.case.waive_requested, ["M02"]);
    // At the window, paper is checked at acceptance: nothing need be uploaded to register.
    let mut desk = Walk::empty(WorkflowShape::TwoStep, d(2026, 3, 2));
    desk.case.channel = Channel::Window;
    desk.ok(&clerk("H1", true, false), send(&[]));
}

#[test]
fn the_log_records_the_role_each_person_acted_in() {
    let mut w = accepted_walk();
    let hall_clerk = clerk("H1", true, false);
    let approver = staff(Role::Approver, "SCJ");
    let chief = staff(Role::ChiefRepresentative, "SCJ");
    let both = Actor {
        roles: vec![Role::Clerk, Role::Approver],
        ..approver.clone()
    };
    assert_eq!(
        acting_role(&applicant("app-1"), &w.case),
        Some(Role::Applicant)
    );
    assert_eq!(acting_role(&hall_clerk, &w.case), Some(Role::Clerk));
    // On the back office's review step: whoever holds the approver's post acts as approver, even
    // if their first role is another; the chief representative as chief representative.
    assert_eq!(acting_role(&approver, &w.case), Some(Role::Approver));
    assert_eq!(acting_role(&both, &w.case), Some(Role::Approver));
    assert_eq!(
        acting_role(&chief, &w.case),
        Some(Role::ChiefRepresentative)
    );
    w.ok(&approver, review("同意"));
    w.ok(&second_approver(), review("复核无误"));
    // The decision is the chief representative's step: deciding there is deciding at the window.
    assert_eq!(
        acting_role(&chief, &w.case),
        Some(Role::ChiefRepresentative)
    );
    // Someone who cannot perform the step acts in their first role.
    assert_eq!(acting_role(&approver, &w.case), Some(Role::Approver));
    assert_eq!(acting_role(&both, &w.case), Some(Role::Clerk));
}

#[test]
fn delegation_decides_where_the_decision_is_taken() {
    let item = item(WorkflowShape::TwoStep);
    let decider = |delegated| {
        StepProgress::for_item(&item, delegated)
            .into_iter()
            .find(|s| s.kind == StepKind::Decide)
            .unwrap()
            .role
    };
    assert_eq!(decider(true), StepRole::ChiefRepresentative);
    assert_eq!(decider(false), StepRole::Approver);
    // Review keeps the role the definition gives it either way.
    assert!(
        StepProgress::for_item(&item, false)
            .iter()
            .filter(|s| s.kind != StepKind::Decide)
            .all(|s| s.role == StepRole::Approver)
    );

    // Not delegated: the chief representative, at the window, may not decide; an approver of
    // the department's back office does.
    let mut w = Walk::new(WorkflowShape::TwoStep, d(2026, 3, 2));
    w.case.steps = StepProgress::for_item(&w.item, false);
    w.ok(&applicant("app-1"), Command::Submit { waive: vec![] });
    w.ok(&clerk("H1", true, false), accept_all());
    let chief = staff(Role::ChiefRepresentative, "SCJ");
    w.ok(&chief, review("材料齐全"));
    let decide = Command::Decide {
        decision: Decision::Approved,
        comment: "准予".into(),
    };
    assert_eq!(
        w.run(&chief, decide.clone()),
        Err(TransitionError::Forbidden("decide"))
    );
    let approver = staff(Role::Approver, "SCJ");
    assert_eq!(acting_role(&approver, &w.case), Some(Role::Approver));
    w.ok(&approver, decide);
    assert_eq!(w.case.status, CaseStatus::Approved);
}

#[test]
fn an_immediate_item_is_accepted_decided_and_handed_out_at_one_window() {
    let mut w = Walk::new(WorkflowShape::Immediate, d(2026, 3, 2));
    w.case.steps = StepProgress::for_item(&w.item, true);
    assert_eq!(w.case.steps[0].role, StepRole::Clerk);
    w.ok(&applicant("app-1"), Command::Submit { waive: vec![] });
    let desk = clerk("H1", true, false);
    w.ok(&desk, accept_all());
    // No back office holds it: the window decides on the spot, not the chief representative,
    // nor a clerk at another window of the hall.
    assert_eq!(inbox::back_office_step(&w.case), None);
    let decide = Command::Decide {
        decision: Decision::Approved,
        comment: "符合条件，当场办结".into(),
    };
    let chief = staff(Role::ChiefRepresentative, "SCJ");
    assert_eq!(
        w.run(&chief, decide.clone()),
        Err(TransitionError::Forbidden("decide"))
    );
    let neighbour = Actor {
        id: "clerk-next".into(),
        window: Some(ActorWindow {
            code: "B02".into(),
            ..desk.window.clone().unwrap()
        }),
        ..desk.clone()
    };
    assert_eq!(
        w.run(&neighbour, decide.clone()),
        Err(TransitionError::Forbidden("decide"))
    );
    assert_eq!(acting_role(&desk, &w.case), Some(Role::Clerk));
    w.ok(&desk, decide);
    assert_eq!(w.case.status, CaseStatus::Approved);
    // Handed out where it was decided, though the window is not the exit window.
    let issue = Command::Issue {
        method: IssueMethod::Window {
            window: String::new(),
            collector: Some(Collector {
                name: "张三".into(),
                id_number: "11010519491231002X".into(),
                entrustment: None,
            }),
        },
        collector_applicant: Some("app-1".into()),
    };
    assert_eq!(
        w.run(&neighbour, issue.clone()),
        Err(TransitionError::Forbidden("issue"))
    );
    w.ok(&desk, issue);
    assert_eq!(w.case.status, CaseStatus::Issued);
    // Not delegated, the same item goes to the back office's approvers.
    let mut w = Walk::new(WorkflowShape::Immediate, d(2026, 3, 2));
    w.case.steps = StepProgress::for_item(&w.item, false);
    w.ok(&applicant("app-1"), Command::Submit { waive: vec![] });
    w.ok(&desk, accept_all());
    assert!(inbox::back_office_step(&w.case).is_some());
}

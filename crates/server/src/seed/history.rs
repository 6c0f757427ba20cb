//! A year of realistic history for the demo: every case is walked through the real domain rules
//! (so the history obeys them), with supplements, refusals, waived materials, special procedures,
//! withdrawals and some late decisions; recent cases are left open where they would stand today.

use std::collections::HashMap;

use chrono::{Days, NaiveDate, NaiveTime, TimeZone, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use onewindow_domain::calendar::Calendar;
use onewindow_domain::case::{
    Actor, ActorWindow, Case, Channel, Command, Decision, Event, IssueMethod, MaterialProblem, Now,
    SpecialProcedure, StepProgress, SupplementItem, WaiveRequest, apply,
};
use onewindow_domain::catalogue::{ApplicantKind as ItemApplicants, ItemDefinition, StepKind};
use onewindow_domain::identity::{CaseNumber, RegionCode};
use onewindow_domain::organisation::Role;
use onewindow_store::{ApplicantKind, EventActor, HistoricalCase, NewStaff, Organisation, Store};

const BATCH: usize = 500;

struct Desk {
    clerk: Actor,
}

/// The people who act on cases of one item.
struct Cast {
    desk: Desk,
    exit: Actor,
    approver: Actor,
    chief: Actor,
}

fn staff_actor(s: &NewStaff, window: Option<ActorWindow>) -> Actor {
    Actor {
        id: s.username.clone(),
        roles: s.roles.iter().filter_map(|r| Role::parse(r)).collect(),
        department: s.department.clone(),
        window,
    }
}

fn casts(
    org: &Organisation,
    staff: &[NewStaff],
    items: &[ItemDefinition],
    windows_of: &HashMap<String, Vec<String>>,
) -> HashMap<String, Cast> {
    let window = |code: &str, accepts: bool| {
        let w = org
            .windows
            .iter()
            .find(|w| w.code == code)
            .expect("window exists");
        ActorWindow {
            code: w.code.clone(),
            hall: w.hall.clone(),
            accepts_item: accepts,
            issues_results: w.issues_results,
        }
    };
    let clerk_at = |code: &str| {
        staff
            .iter()
            .find(|s| s.window.as_deref() == Some(code) && s.roles.iter().any(|r| r == "clerk"))
    };
    let of_role = |dept: &str, role: &str| {
        staff
            .iter()
            .find(|s| s.department.as_deref() == Some(dept) && s.roles.iter().any(|r| r == role))
    };
    let mut out = HashMap::new();
    for item in items {
        let Some(accepting) = windows_of
            .get(&item.implementation_code)
            .and_then(|ws| ws.iter().find(|w| clerk_at(w).is_some()))
        else {
            continue;
        };
        let desk_window = window(accepting, true);
        let exit_code = org
            .windows
            .iter()
            .find(|w| w.issues_results && w.hall == desk_window.hall && clerk_at(&w.code).is_some())
            .map_or(accepting.clone(), |w| w.code.clone());
        let mut exit_window = window(&exit_code, false);
        exit_window.issues_results = true;
        let (Some(approver), Some(chief), Some(clerk), Some(exit_clerk)) = (
            of_role(&item.department, "approver"),
            of_role(&item.department, "chief_representative"),
            clerk_at(accepting),
            clerk_at(&exit_code),
        ) else {
            continue;
        };
        out.insert(
            item.implementation_code.clone(),
            Cast {
                desk: Desk {
                    clerk: staff_actor(clerk, Some(desk_window)),
                },
                exit: staff_actor(exit_clerk, Some(exit_window)),
                approver: staff_actor(approver, None),
                chief: staff_actor(chief, None),
            },
        );
    }
    out
}

fn at_ms(day: NaiveDate) -> i64 {
    // Between 08:30 and 17:00 Beijing time, i.e. 00:30–09:00 UTC.
    let minutes = 30 + fastrand::i64(0..510);
    let t = day.and_time(NaiveTime::MIN) + chrono::Duration::minutes(minutes);
    Utc.from_utc_datetime(&t).timestamp_millis()
}

struct Walk<'a> {
    case: Case,
    item: &'a ItemDefinition,
    cal: &'a Calendar,
    day: NaiveDate,
    today: NaiveDate,
    events: Vec<(Event, EventActor<'a>)>,
}

impl<'a> Walk<'a> {
    /// Moves on `n` working days; false once that would pass today (the case stays where it is).
    fn wait(&mut self, n: u32) -> bool {
        let next = self.cal.add_working_days(self.day, n);
        if next >= self.today {
            return false;
        }
        self.day = next;
        true
    }

    fn act(&mut self, actor: &'a Actor, command: Command) -> bool {
        match apply(
            &self.case,
            self.item,
            actor,
            &command,
            Now {
                today: self.day,
                calendar: self.cal,
            },
        ) {
            Ok(out) => {
                let role = if actor.has(Role::Applicant) {
                    "applicant"
                } else {
                    actor.roles.first().map_or("staff", |r| r.as_str())
                };
                let ctx = EventActor {
                    id: &actor.id,
                    role,
                    window: actor.window.as_ref().map(|w| w.code.as_str()),
                    at_ms: at_ms(self.day),
                };
                self.events
                    .extend(out.events.into_iter().map(|e| (e, ctx.clone())));
                self.case = out.case;
                true
            }
            Err(e) => panic!(
                "the demo history broke a rule: {e:?} on {:?}",
                self.case.status
            ),
        }
    }
}

fn chance(p: f64) -> bool {
    fastrand::f64() < p
}

/// Walks one case as far as today allows.
fn walk<'a>(w: &mut Walk<'a>, cast: &'a Cast, applicant: &'a Actor) {
    let online = w.case.channel == Channel::Online;
    w.act(
        if online { applicant } else { &cast.desk.clerk },
        Command::Submit {},
    );
    let clerk = &cast.desk.clerk;
    if chance(0.05) {
        w.act(
            clerk,
            Command::Refuse {
                reason: "申请事项依法不属于本机关职权范围".into(),
                legal_basis: "《中华人民共和国行政许可法》第三十二条第一款第（二）项".into(),
                redirect: "请向汕头市市场监督管理局申请".into(),
            },
        );
        return;
    }
    let first = w
        .item
        .materials
        .first()
        .map(|m| m.code.clone())
        .unwrap_or_default();
    let supplement = |note: &str, earlier: u32| Command::RequestSupplement {
        items: vec![SupplementItem {
            material: first.clone(),
            problem: MaterialProblem::Faulty,
            note: note.into(),
        }],
        repeat_reason: (earlier > 0).then(|| "审查中发现受理时未能发现的问题".to_owned()),
    };
    if chance(0.10) {
        w.act(clerk, supplement("申请表缺少申请人签名", 0));
        if !w.wait(1 + fastrand::u32(0..3)) {
            return;
        }
        if chance(0.03) {
            w.act(
                applicant,
                Command::Withdraw {
                    reason: "申请人决定暂不办理".into(),
                },
            );
            return;
        }
        w.act(
            applicant,
            Command::ProvideSupplement {
                note: "已补正".into(),
            },
        );
    }
    let waived: Vec<WaiveRequest> = w
        .item
        .materials
        .iter()
        .filter(|m| m.waivable)
        .take(1)
        .filter(|_| chance(0.08))
        .map(|m| WaiveRequest {
            material: m.code.clone(),
            due_on: w.cal.add_working_days(w.day, 5),
        })
        .collect();
    let waived_codes: Vec<String> = waived.iter().map(|m| m.material.clone()).collect();
    w.act(clerk, Command::Accept { waived });
    for index in 0..w.item.steps.len() {
        let step = &w.item.steps[index];
        let performer = if step.role == onewindow_domain::catalogue::StepRole::ChiefRepresentative {
            &cast.chief
        } else {
            &cast.approver
        };
        let late = if chance(0.04) {
            2 + fastrand::u32(0..4)
        } else {
            0
        };
        let days = if step.time_limit_days == 0 {
            0
        } else {
            fastrand::u32(0..=step.time_limit_days) + late
        };
        if index == 0 && step.kind != StepKind::Decide && chance(0.05) {
            let earlier = w.case.supplement_notices;
            w.act(performer, supplement("营业执照复印件不清晰", earlier));
            if !w.wait(2 + fastrand::u32(0..3)) {
                return;
            }
            w.act(
                applicant,
                Command::ProvideSupplement {
                    note: "已重新提交".into(),
                },
            );
        }
        if step.kind != StepKind::Decide && chance(0.02) {
            w.act(
                performer,
                Command::StartSpecialProcedure {
                    procedure: SpecialProcedure::SiteInspection,
                    reason: "需现场核查经营场所".into(),
                },
            );
            if !w.wait(3 + fastrand::u32(0..5)) {
                return;
            }
            w.act(
                performer,
                Command::EndSpecialProcedure {
                    outcome: "现场核查符合要求".into(),
                },
            );
        }
        if days > 0 && !w.wait(days) {
            return;
        }
        if chance(0.005) {
            w.act(
                applicant,
                Command::Withdraw {
                    reason: "申请人主动撤回".into(),
                },
            );
            return;
        }
        if step.kind == StepKind::Decide {
            let deny = chance(0.03);
            w.act(
                performer,
                Command::Decide {
                    decision: if deny {
                        Decision::Denied
                    } else {
                        Decision::Approved
                    },
                    comment: if deny {
                        "申请材料反映的条件不符合法定要求".into()
                    } else {
                        "同意".into()
                    },
                },
            );
        } else {
            w.act(
                performer,
                Command::CompleteStep {
                    comment: "经审查，材料齐全，符合法定条件".into(),
                },
            );
        }
    }
    for code in waived_codes {
        w.act(applicant, Command::ProvideWaivedMaterial { material: code });
    }
    if !w.wait(fastrand::u32(0..3)) {
        return;
    }
    let method = if w.item.result.deliverable && chance(0.3) {
        IssueMethod::Post {
            tracking_number: format!("EMS{:010}", fastrand::u64(0..10_000_000_000)),
        }
    } else {
        IssueMethod::Window {
            window: String::new(),
        }
    };
    w.act(&cast.exit, Command::Issue { method });
    if w.wait(fastrand::u32(0..3)) {
        w.act(applicant, Command::Close {});
    }
}

pub async fn generate(
    store: &Store,
    org: &Organisation,
    staff: &[NewStaff],
    items: &[ItemDefinition],
    applicants: &[(String, String, ApplicantKind)],
    region: &str,
    count: u32,
) -> Result<(), Box<dyn std::error::Error>> {
    fastrand::seed(2026);
    let cal = Calendar::china_mainland();
    let today = (Utc::now() + chrono::Duration::hours(8)).date_naive();
    let district = RegionCode::parse(region)?;
    let mut windows_of = HashMap::new();
    for item in items {
        let accepting: Vec<String> = org.windows.iter().map(|w| w.code.clone()).collect();
        let mut ok = Vec::new();
        for w in accepting {
            if store.window_accepts(&w, &item.implementation_code).await? {
                ok.push(w);
            }
        }
        windows_of.insert(item.implementation_code.clone(), ok);
    }
    let casts = casts(org, staff, items, &windows_of);
    let playable: Vec<&ItemDefinition> = items
        .iter()
        .filter(|i| casts.contains_key(&i.implementation_code))
        .collect();
    let people: Vec<Actor> = applicants
        .iter()
        .map(|(id, _, _)| Actor {
            id: id.clone(),
            roles: vec![Role::Applicant],
            department: None,
            window: None,
        })
        .collect();
    let bar = ProgressBar::new(count as u64).with_style(
        ProgressStyle::with_template("history {bar:40} {pos}/{len} cases ({per_sec}, {eta} left)")
            .expect("valid template"),
    );
    let mut sequences: HashMap<NaiveDate, u32> = HashMap::new();
    let mut batch = Vec::with_capacity(BATCH);
    for _ in 0..count {
        let item = playable[fastrand::usize(0..playable.len())];
        let fit: Vec<usize> = (0..applicants.len())
            .filter(|&i| match item.applicant_kind {
                ItemApplicants::Person => applicants[i].2 == ApplicantKind::Person,
                ItemApplicants::Enterprise => applicants[i].2 == ApplicantKind::Enterprise,
                ItemApplicants::Both => true,
            })
            .collect();
        let who = fit[fastrand::usize(0..fit.len())];
        let day = cal.next_working_day_on_or_after(today - Days::new(1 + fastrand::u64(0..365)));
        if day >= today {
            continue;
        }
        let seq = sequences.entry(day).and_modify(|s| *s += 1).or_insert(1);
        let number = CaseNumber::new(&district, day, *seq)?.to_string();
        let steps = StepProgress::for_item(item);
        let channel = if chance(0.4) {
            Channel::Online
        } else {
            Channel::Window
        };
        let case = Case::new(
            channel,
            region,
            &people[who].id,
            &item.implementation_code,
            1,
            item.promised_time_limit_days,
            item.comments_public,
            steps,
        );
        let cast = &casts[&item.implementation_code];
        let mut w = Walk {
            case,
            item,
            cal: &cal,
            day,
            today,
            events: Vec::new(),
        };
        walk(&mut w, cast, &people[who]);
        let events = std::mem::take(&mut w.events);
        batch.push(HistoricalCase {
            number,
            case: w.case,
            item_name: &item.name,
            department: &item.department,
            applicant_masked: &applicants[who].1,
            month: day.format("%Y-%m").to_string(),
            events,
        });
        if batch.len() == BATCH {
            store.import_cases(&batch, &cal, today).await?;
            bar.inc(batch.len() as u64);
            batch.clear();
        }
    }
    store.import_cases(&batch, &cal, today).await?;
    bar.inc(batch.len() as u64);
    bar.finish();
    for (day, last) in sequences {
        store.set_case_sequence(region, day, last).await?;
    }
    Ok(())
}

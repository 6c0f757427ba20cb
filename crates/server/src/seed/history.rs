//! A year of realistic history for the demo: every case is walked through the real domain rules
//! (so the history obeys them), with supplements, refusals, waived materials, special procedures,
//! withdrawals and some late decisions; recent cases are left open where they would stand today.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::IsTerminal;
use std::ops::RangeInclusive;
use std::time::Instant;

use chrono::{Datelike, Days, NaiveDate, NaiveTime, TimeZone, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use onewindow_domain::calendar::Calendar;
use onewindow_domain::case::{
    Actor, ActorWindow, Assignee, Case, CaseStatus, Channel, Collector, Command, Decision, Entry,
    IssueMethod, MaterialProblem, Now, Recommendation, ReturnTarget, SpecialProcedure,
    StepProgress, SupplementItem, UploadedFile, WaiveRequest, acting_role, apply,
};
use onewindow_domain::catalogue::{
    ApplicantKind as ItemApplicants, ItemDefinition, StepKind, StepRole,
};
use onewindow_domain::identity::{CaseNumber, RegionCode};
use onewindow_domain::organisation::{DocumentPattern, Role};
use onewindow_store::{
    ApplicantKind, EventActor, HistoricalCase, NewStaff, Organisation, PreparedCase, Store,
};
use tokio::sync::mpsc;

/// The file every demo upload carries: one small scan-like PDF, stored once per district.
const SCAN: &[u8] = include_bytes!("../../seed/demo/scan.pdf");

struct Desk {
    clerk: Actor,
}

/// The people who act on cases of one item.
struct Cast {
    desk: Desk,
    exit: Actor,
    approvers: Vec<Actor>,
    chief: Actor,
    /// The department's staff by id, as the chief representative assigns them.
    names: HashMap<String, String>,
}

impl Cast {
    /// The chief representative gives the current step to `to` (指派): the section's steps are
    /// shared out, and approvers take what they are given.
    fn assignment(&self, to: &Actor) -> Command {
        Command::Assign {
            assignee: to.id.clone(),
            found: Some(Assignee {
                id: to.id.clone(),
                name: self.names.get(&to.id).cloned().unwrap_or_default(),
                roles: to.roles.clone(),
                department: to.department.clone(),
            }),
        }
    }

    /// Who performs each of `steps`: the chief representative their own steps, approvers the
    /// others starting from the `turn`-th, so the work is shared. Under separation of duties no
    /// one takes two steps, and a review or verification falls to the chief representative when
    /// every approver has had one; an undelegated decision never does, so the decision's
    /// approver is chosen first. None when the department has too few people for the item.
    fn performers(
        &self,
        item: &ItemDefinition,
        steps: &[StepProgress],
        turn: usize,
    ) -> Option<Vec<&Actor>> {
        let mut chosen: Vec<Option<&Actor>> = vec![None; steps.len()];
        let free = |a: &Actor, chosen: &[Option<&Actor>]| {
            !item.separates_duties() || chosen.iter().flatten().all(|o| o.id != a.id)
        };
        let n = self.approvers.len();
        let decisions_first = (0..steps.len()).filter(|&i| steps[i].kind == StepKind::Decide);
        let others = (0..steps.len()).filter(|&i| steps[i].kind != StepKind::Decide);
        for i in decisions_first.chain(others).collect::<Vec<_>>() {
            let step = &steps[i];
            let approvers = (0..n).map(|k| &self.approvers[(turn + k) % n]);
            let chief = std::iter::once(&self.chief);
            let who = match step.role {
                StepRole::ChiefRepresentative => Some(&self.chief).filter(|c| free(c, &chosen)),
                StepRole::Clerk => Some(&self.desk.clerk),
                StepRole::Approver if step.kind == StepKind::Decide => {
                    approvers.clone().find(|a| free(a, &chosen))
                }
                StepRole::Approver => approvers.chain(chief).find(|a| free(a, &chosen)),
            }?;
            chosen[i] = Some(who);
        }
        chosen.into_iter().collect()
    }
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
        let approvers: Vec<Actor> = staff
            .iter()
            .filter(|s| {
                s.department.as_deref() == Some(item.department.as_str())
                    && s.roles.iter().any(|r| r == "approver")
            })
            .map(|s| staff_actor(s, None))
            .collect();
        let (false, Some(chief), Some(clerk), Some(exit_clerk)) = (
            approvers.is_empty(),
            of_role(&item.department, "chief_representative"),
            clerk_at(accepting),
            clerk_at(&exit_code),
        ) else {
            continue;
        };
        let names = staff
            .iter()
            .filter(|s| s.department.as_deref() == Some(item.department.as_str()))
            .map(|s| (s.username.clone(), s.name.clone()))
            .collect();
        let cast = Cast {
            desk: Desk {
                clerk: staff_actor(clerk, Some(desk_window)),
            },
            exit: staff_actor(exit_clerk, Some(exit_window)),
            approvers,
            chief: staff_actor(chief, None),
            names,
        };
        let steps = StepProgress::for_item(item, item.proposes_delegation());
        if cast.performers(item, &steps, 0).is_some() {
            out.insert(item.implementation_code.clone(), cast);
        }
    }
    out
}

/// A UTC instant on a Beijing working day: minutes after 08:00 Beijing (00:00 UTC).
fn beijing_ms(day: NaiveDate, minutes: i64) -> i64 {
    let t = day.and_time(NaiveTime::MIN) + chrono::Duration::minutes(minutes);
    Utc.from_utc_datetime(&t).timestamp_millis()
}

/// Why a special procedure is started, how it ends, and how many working days it takes.
fn procedure_course(p: SpecialProcedure) -> (&'static str, &'static str, RangeInclusive<u32>) {
    match p {
        SpecialProcedure::SiteInspection => ("需现场核查经营场所", "现场核查符合要求", 2..=8),
        SpecialProcedure::PublicNotice => ("依法需公示", "公示期满无异议", 5..=10),
        SpecialProcedure::ExpertReview => ("需组织专家评审", "专家评审通过", 10..=25),
        SpecialProcedure::Testing => ("需委托检验检测", "检验检测结果合格", 5..=20),
        SpecialProcedure::Hearing => ("申请人要求听证", "听证程序结束", 15..=25),
    }
}

/// One case on its way through the rules, one working day at a time.
struct Walk<'a> {
    case: Case,
    item: &'a ItemDefinition,
    cal: &'a Calendar,
    cast: &'a Cast,
    applicant: &'a Actor,
    collector: &'a Collector,
    rng: fastrand::Rng,
    day: NaiveDate,
    today: NaiveDate,
    /// The last event's instant: a case's events are in order within a day.
    clock_ms: i64,
    /// A waived material (容缺) not yet provided, and the day the applicant brings it.
    waived_due: Option<(String, NaiveDate)>,
    events: Vec<(Entry, EventActor<'a>)>,
    numbering: &'a Numbering,
}

/// The document numbers (文号) of the history's decisions: each department's pattern and the
/// last number it gave in each year, in the order the cases are generated.
struct Numbering {
    patterns: HashMap<String, DocumentPattern>,
    last: RefCell<HashMap<(String, i32), u32>>,
}

impl Numbering {
    fn new(org: &Organisation) -> Numbering {
        let patterns = org
            .departments
            .iter()
            .map(|d| {
                let pattern =
                    DocumentPattern::of_department(d.document_pattern.as_deref(), &d.short_name);
                (d.code.clone(), pattern)
            })
            .collect();
        Numbering {
            patterns,
            last: RefCell::default(),
        }
    }

    fn next(&self, department: &str, day: NaiveDate) -> String {
        let year = day.year();
        let mut last = self.last.borrow_mut();
        let seq = last.entry((department.to_owned(), year)).or_default();
        *seq += 1;
        self.patterns
            .get(department)
            .cloned()
            .unwrap_or_else(|| DocumentPattern::default_for(department))
            .number(year, *seq)
    }
}

impl<'a> Walk<'a> {
    fn chance(&mut self, p: f64) -> bool {
        self.rng.f64() < p
    }

    /// Working days drawn from `(weight, lowest, highest)` bands.
    fn days(&mut self, bands: &[(f64, u32, u32)]) -> u32 {
        let mut x = self.rng.f64() * bands.iter().map(|b| b.0).sum::<f64>();
        for &(weight, low, high) in bands {
            if x < weight {
                return self.rng.u32(low..=high);
            }
            x -= weight;
        }
        bands.last().map_or(0, |b| b.2)
    }

    /// Moves on `n` working days; false once that would reach today (the case stays where it
    /// is). A waived material the applicant brings on the way is recorded on its day.
    fn wait(&mut self, n: u32) -> bool {
        let next = self.cal.add_working_days(self.day, n);
        if let Some((material, on)) = self.waived_due.clone()
            && on <= next
            && on < self.today
            && !self.case.status.is_final()
        {
            self.day = self.day.max(on);
            self.waived_due = None;
            self.act(self.applicant, Command::ProvideWaivedMaterial { material });
        }
        if next >= self.today {
            return false;
        }
        self.day = next;
        true
    }

    fn act(&mut self, actor: &'a Actor, command: Command) {
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
            Ok(mut out) => {
                if out.decides() {
                    out.number_decision(&self.numbering.next(&self.item.department, self.day));
                }
                let role = acting_role(actor, &self.case).map_or("staff", Role::as_str);
                // The first event of a day between 08:30 and 16:00, the next ones minutes later.
                let day_start = beijing_ms(self.day, 0);
                self.clock_ms = if self.clock_ms < day_start {
                    beijing_ms(self.day, 30 + self.rng.i64(0..450))
                } else {
                    self.clock_ms + 60_000 * self.rng.i64(1..=40)
                };
                let ctx = EventActor {
                    id: &actor.id,
                    role,
                    window: actor.window.as_ref().map(|w| w.code.as_str()),
                    at_ms: self.clock_ms,
                };
                self.events
                    .extend(out.entries.into_iter().map(|e| (e, ctx.clone())));
                self.case = out.case;
            }
            Err(e) => panic!(
                "the demo history broke a rule: {e:?} on {:?}",
                self.case.status
            ),
        }
    }

    /// A supplement notice (一次性告知) naming the item's first material.
    fn request_supplement(&mut self, by: &'a Actor, note: &str) {
        let material = self
            .item
            .materials
            .first()
            .map(|m| m.code.clone())
            .unwrap_or_default();
        let repeat_reason =
            (self.case.supplement_notices > 0).then(|| "审查中发现受理时未能发现的问题".to_owned());
        self.act(
            by,
            Command::RequestSupplement {
                items: vec![SupplementItem {
                    material,
                    problem: MaterialProblem::Faulty,
                    note: note.into(),
                }],
                repeat_reason,
            },
        );
    }

    /// The applicant answers a supplement notice: true once the case goes on; false while they
    /// have not answered yet, or after they never did and the file was closed as withdrawn.
    fn await_supplement(&mut self) -> bool {
        if self.chance(0.04) {
            let d = self.rng.u32(20..=40);
            if self.wait(d) {
                self.act(
                    &self.cast.desk.clerk,
                    Command::Withdraw {
                        reason: "申请人逾期未补正，视为撤回申请".into(),
                    },
                );
            }
            return false;
        }
        let d = self.days(&[(0.4, 1, 3), (0.4, 4, 10), (0.2, 11, 30)]);
        if !self.wait(d) {
            return false;
        }
        self.act(
            self.applicant,
            Command::ProvideSupplement {
                note: "已按告知补正材料".into(),
            },
        );
        true
    }

    /// A special procedure (特别程序) that stops the clock; false while it is still under way.
    fn special_procedure(&mut self, by: &'a Actor) -> bool {
        let procedure = match self.rng.u32(0..20) {
            0..10 => SpecialProcedure::SiteInspection,
            10..14 => SpecialProcedure::PublicNotice,
            14..17 => SpecialProcedure::ExpertReview,
            17..19 => SpecialProcedure::Testing,
            _ => SpecialProcedure::Hearing,
        };
        let (reason, outcome, days) = procedure_course(procedure);
        let told = self.rng.u32(days);
        self.act(
            by,
            Command::StartSpecialProcedure {
                procedure,
                reason: reason.into(),
                days: told,
            },
        );
        // Most procedures end within the time the applicant was told; one in twelve overruns.
        let d = match self.rng.u32(0..12) {
            0 => told + self.rng.u32(1..=3),
            _ => told - self.rng.u32(0..=told / 3),
        };
        if !self.wait(d) {
            return false;
        }
        self.act(
            by,
            Command::EndSpecialProcedure {
                outcome: outcome.into(),
            },
        );
        true
    }
}

/// Walks one case as far as today allows. Rates and times follow a district centre's year:
/// most cases are accepted the day they come in and finished within their limits; some need a
/// supplement, a few are refused, denied, withdrawn, stopped for a special procedure, or stuck
/// well past their deadline; results wait at the exit window until the applicant comes.
fn walk(w: &mut Walk<'_>) {
    let (cast, applicant) = (w.cast, w.applicant);
    let clerk = &cast.desk.clerk;
    let online = w.case.channel == Channel::Online;
    // Now and then a material the item allows on promise (容缺) is brought after acceptance.
    let promised = w
        .item
        .materials
        .iter()
        .find(|m| m.waivable)
        .filter(|_| w.chance(0.12))
        .map(|m| m.code.clone());
    if online {
        // Online, the applicant uploads each required material before sending; the promised
        // one they ask to bring later.
        let scan = UploadedFile::inspect("scan.pdf", SCAN);
        for m in w.item.materials.iter().filter(|m| m.required) {
            if promised.as_deref() != Some(m.code.as_str()) {
                let file = UploadedFile {
                    name: format!("{}.pdf", m.name),
                    ..scan.clone()
                };
                let material = m.code.clone();
                w.act(applicant, Command::UploadMaterial { material, file });
            }
        }
    }
    let waive = promised.iter().filter(|_| online).cloned().collect();
    w.act(
        if online { applicant } else { clerk },
        Command::Submit { waive },
    );
    if online {
        // Online applications wait for the window's pre-review (网上预审).
        let d = w.days(&[(0.35, 0, 0), (0.45, 1, 1), (0.2, 2, 3)]);
        if !w.wait(d) {
            return;
        }
    }
    if w.chance(0.03) {
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
    if w.chance(if online { 0.22 } else { 0.06 }) {
        w.request_supplement(clerk, "申请表缺少申请人签名");
        if !w.await_supplement() {
            return;
        }
    }
    let waivable = w.item.materials.iter().find(|m| m.waivable).cloned();
    let waived: Vec<WaiveRequest> = match waivable {
        Some(m) if promised.as_deref() == Some(m.code.as_str()) => {
            let due_on = w.cal.add_working_days(w.day, w.rng.u32(5..=10));
            // Most applicants bring it in time, some late.
            let late = w.chance(0.15);
            let on = if late {
                w.cal.add_working_days(due_on, w.rng.u32(1..=5))
            } else {
                let within = w.cal.working_days_between(w.day, due_on);
                w.cal.add_working_days(w.day, w.rng.u32(1..=within.max(1)))
            };
            w.waived_due = Some((m.code.clone(), on));
            vec![WaiveRequest {
                material: m.code,
                due_on,
            }]
        }
        _ => Vec::new(),
    };
    // The clerk checks every other material as handed in.
    let received = w
        .item
        .materials
        .iter()
        .filter(|m| !waived.iter().any(|r| r.material == m.code))
        .map(|m| m.code.clone())
        .collect();
    w.act(clerk, Command::Accept { waived, received });
    let steps = w.item.steps.len();
    let turn = w.rng.usize(0..cast.approvers.len());
    let performers = cast
        .performers(w.item, &w.case.steps, turn)
        .expect("casts hold only items their department can staff");
    // Waiting on another department or a meeting, clock running: far past the deadline.
    let stuck_at = (steps > 1 && w.chance(0.035)).then(|| w.rng.usize(0..steps));
    for index in 0..steps {
        let step = &w.item.steps[index];
        let (kind, limit) = (step.kind, step.time_limit_days);
        let performer = performers[index];
        // The chief representative shares out the back office's steps, not the window's.
        if performer.id != cast.chief.id && w.case.steps[index].role != StepRole::Clerk {
            w.act(&cast.chief, cast.assignment(performer));
        }
        if kind != StepKind::Decide && w.chance(if index == 0 { 0.05 } else { 0.015 }) {
            w.request_supplement(performer, "营业执照复印件不清晰");
            if !w.await_supplement() {
                return;
            }
        }
        if kind != StepKind::Decide
            && limit >= 3
            && w.chance(0.04)
            && !w.special_procedure(performer)
        {
            return;
        }
        // Back offices work through a queue: most steps take a good part of their limit.
        let mut days = match limit {
            0 => u32::from(w.chance(0.01)),
            _ if w.chance(0.08) => 0,
            _ => w.rng.u32(limit.div_ceil(2)..=limit),
        };
        if limit > 0 && w.chance(0.01) {
            days = limit + w.rng.u32(1..=4);
        }
        if stuck_at == Some(index) {
            days += w.rng.u32(20..=200);
        }
        if !w.wait(days) {
            return;
        }
        // Now and then a verifier sends the case back for the review to be done again (退回).
        if index > 0 && kind != StepKind::Decide && w.chance(0.02) {
            w.act(
                performer,
                Command::Return {
                    to: ReturnTarget::PreviousStep,
                    reason: "审查意见未说明经营场所核查情况，请补充".into(),
                },
            );
            if !w.wait(1) {
                return;
            }
            w.act(
                performers[index - 1],
                Command::CompleteStep {
                    comment: "已补充经营场所核查情况，符合法定条件".into(),
                    recommendation: Recommendation::Approve,
                },
            );
        }
        if w.chance(0.004) {
            w.act(
                applicant,
                Command::Withdraw {
                    reason: "申请人主动撤回".into(),
                },
            );
            return;
        }
        if kind == StepKind::Decide {
            let deny = w.chance(0.025);
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
            // Now and then a reviewer finds the conditions unmet and recommends denial.
            let command = if w.chance(0.02) {
                Command::CompleteStep {
                    comment: "经审查，申请人不具备法定条件，建议不予许可".into(),
                    recommendation: Recommendation::Deny,
                }
            } else {
                Command::CompleteStep {
                    comment: "经审查，材料齐全，符合法定条件".into(),
                    recommendation: Recommendation::Approve,
                }
            };
            w.act(performer, command);
        }
    }
    // An approval is handed out only once the waived material is in.
    if let Some((_, on)) = w.waived_due.clone()
        && w.case.status == CaseStatus::Approved
    {
        let d = w.cal.working_days_between(w.day, on);
        if !w.wait(d) || w.waived_due.is_some() {
            return;
        }
    }
    let post = w.item.result.deliverable && w.chance(if online { 0.5 } else { 0.15 });
    let d = if post {
        w.days(&[(0.6, 0, 0), (0.4, 1, 1)])
    } else if w.item.promised_time_limit_days == 0 && !online && w.chance(0.85) {
        0 // 即办件: decided and handed out while the applicant waits
    } else {
        w.days(&[(0.4, 0, 2), (0.35, 3, 10), (0.18, 11, 30), (0.07, 31, 60)])
    };
    if !w.wait(d) {
        return;
    }
    let method = if post {
        const STREETS: [&str; 6] = ["金砂路", "长平路", "华山路", "汕樟路", "东厦路", "韩江路"];
        IssueMethod::Post {
            tracking_number: format!("EMS{:010}", w.rng.u64(0..10_000_000_000)),
            address: format!(
                "广东省汕头市金平区{}{}号",
                STREETS[w.rng.usize(0..STREETS.len())],
                w.rng.u32(1..=300)
            ),
        }
    } else {
        IssueMethod::Window {
            window: String::new(),
            collector: Some(w.collector.clone()),
        }
    };
    // A person shows their own ID number; an enterprise's agent shows theirs and the entrustment.
    let collector_applicant = w
        .collector
        .entrustment
        .is_none()
        .then(|| w.applicant.id.clone());
    w.act(
        &cast.exit,
        Command::Issue {
            method,
            collector_applicant,
        },
    );
    // At the window the applicant signs for the result; by post the receipt comes back later.
    let (d, by) = if !post && w.chance(0.92) {
        (0, applicant)
    } else if w.chance(0.5) {
        (w.rng.u32(2..=5), applicant)
    } else {
        (w.rng.u32(2..=5), &cast.exit)
    };
    if w.wait(d) {
        w.act(by, Command::Close {});
    }
}

/// The working days of the last twelve months and how many cases each brings: volume grows over
/// the year as more items and the online channel are taken up, so recent days carry more cases.
fn arrival_days(cal: &Calendar, today: NaiveDate) -> (Vec<NaiveDate>, Vec<f64>) {
    let mut days = Vec::new();
    let mut cumulative = Vec::new();
    let mut total = 0.0;
    for back in (1..=365u64).rev() {
        let day = today - Days::new(back);
        if !cal.is_working_day(day) {
            continue;
        }
        total += 0.4 + 1.2 * (365 - back) as f64 / 365.0;
        days.push(day);
        cumulative.push(total);
    }
    (days, cumulative)
}

/// The same seed gives the same history (on the same day: the history ends today).
pub const DEMO_SEED: u64 = 2026;

/// Cases per transaction of the load.
const BATCH: usize = 2_000;

/// Everything a case is generated from, owned, so generation can run on a thread of its own.
struct Generator {
    cal: Calendar,
    today: NaiveDate,
    /// The store's warning before a due date, for the lights the cases are written with.
    warn_days: u32,
    district: RegionCode,
    seed: u64,
    /// The items cases are generated for, with who acts on them and which applicants may apply.
    items: Vec<(ItemDefinition, Cast, Vec<usize>)>,
    people: Vec<Actor>,
    /// Each applicant's name as lists show it.
    listed: Vec<String>,
    /// Who collects each applicant's results at the window.
    collectors: Vec<Collector>,
    numbering: Numbering,
}

/// An applicant of the demo centre as its history uses them.
pub struct HistoryApplicant {
    pub id: String,
    /// Their name as lists show it.
    pub listed: String,
    pub kind: ApplicantKind,
    /// Who comes to the exit window for their results: a person in person, an enterprise's
    /// agent (经办人) with its entrustment.
    pub collector: Collector,
}

/// SplitMix64's finaliser: nearby inputs give unrelated outputs.
fn mix(x: u64) -> u64 {
    let x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    let x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

impl Generator {
    /// The `seq`-th case of `day`, walked as far as today and ready to write. Each case draws
    /// from a generator seeded by the seed, its day and its sequence, so a case does not depend
    /// on how many came before it.
    fn case(&self, day: NaiveDate, seq: u32) -> Result<PreparedCase, GenerateError> {
        let mut rng = fastrand::Rng::with_seed(mix(
            mix(self.seed ^ day.num_days_from_ce() as u64) ^ u64::from(seq)
        ));
        let (item, cast, fit) = &self.items[rng.usize(0..self.items.len())];
        let who = fit[rng.usize(0..fit.len())];
        let channel = if rng.f64() < 0.4 {
            Channel::Online
        } else {
            Channel::Window
        };
        let case = Case::new(
            channel,
            self.district.as_str(),
            &self.people[who].id,
            &item.implementation_code,
            1,
            item.promised_time_limit_days,
            item.comments_public,
            StepProgress::for_item(item, item.proposes_delegation()),
        );
        let mut w = Walk {
            case,
            item,
            cal: &self.cal,
            cast,
            applicant: &self.people[who],
            collector: &self.collectors[who],
            rng,
            day,
            today: self.today,
            clock_ms: 0,
            waived_due: None,
            events: Vec::new(),
            numbering: &self.numbering,
        };
        walk(&mut w);
        let history = HistoricalCase {
            number: CaseNumber::new(&self.district, day, seq)?.to_string(),
            case: w.case,
            item_name: &item.name,
            department: &item.department,
            applicant_masked: &self.listed[who],
            month: day.format("%Y-%m").to_string(),
            events: w.events,
        };
        Ok(history.prepare(&self.cal, self.today, self.warn_days)?)
    }

    /// Generates every case, day by day in order (so case numbers grow and the tables fill at
    /// their ends), in batches sent to `out`; stops early when the receiver is gone.
    fn run(
        &self,
        per_day: &[(NaiveDate, u32)],
        out: &mpsc::Sender<Vec<PreparedCase>>,
    ) -> Result<(), GenerateError> {
        let mut batch = Vec::with_capacity(BATCH);
        for &(day, n) in per_day {
            for seq in 1..=n {
                batch.push(self.case(day, seq)?);
                if batch.len() == BATCH
                    && out
                        .blocking_send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))
                        .is_err()
                {
                    return Ok(());
                }
            }
        }
        if !batch.is_empty() {
            let _ = out.blocking_send(batch);
        }
        Ok(())
    }
}

type GenerateError = Box<dyn std::error::Error + Send + Sync>;

/// How many of `count` cases arrive on each working day, in proportion to the day's weight.
fn cases_per_day(cal: &Calendar, today: NaiveDate, count: u32) -> Vec<(NaiveDate, u32)> {
    let (days, cumulative) = arrival_days(cal, today);
    let total = cumulative.last().copied().unwrap_or_default();
    let mut before = 0;
    days.into_iter()
        .zip(cumulative)
        .map(|(day, c)| {
            let upto = (f64::from(count) * c / total).round() as u32;
            let n = upto - before;
            before = upto;
            (day, n)
        })
        .filter(|&(_, n)| n > 0)
        .collect()
}

/// Generates `count` cases of the last twelve months from `seed` and loads them: one thread
/// walks cases through the rules, chains and serialises them, while this task writes the
/// batches through a bulk load; then sets each day's case sequence so the server numbers on.
#[allow(clippy::too_many_arguments)]
pub async fn generate(
    store: &Store,
    org: &Organisation,
    staff: &[NewStaff],
    items: &[ItemDefinition],
    applicants: &[HistoryApplicant],
    region: &str,
    count: u32,
    seed: u64,
) -> Result<(), Box<dyn std::error::Error>> {
    let cal = Calendar::china_mainland();
    let today = (Utc::now() + chrono::Duration::hours(8)).date_naive();
    let district = RegionCode::parse(region)?;
    let mut windows_of = HashMap::new();
    for item in items {
        let mut ok = Vec::new();
        for w in &org.windows {
            if store
                .window_accepts(&w.code, &item.implementation_code)
                .await?
            {
                ok.push(w.code.clone());
            }
        }
        windows_of.insert(item.implementation_code.clone(), ok);
    }
    let mut casts = casts(org, staff, items, &windows_of);
    let playable = items
        .iter()
        .filter_map(|item| {
            let cast = casts.remove(&item.implementation_code)?;
            let fit = (0..applicants.len())
                .filter(|&i| match item.applicant_kind {
                    ItemApplicants::Person => applicants[i].kind == ApplicantKind::Person,
                    ItemApplicants::Enterprise => applicants[i].kind == ApplicantKind::Enterprise,
                    ItemApplicants::Both => true,
                })
                .collect();
            Some((item.clone(), cast, fit))
        })
        .collect();
    let people = applicants
        .iter()
        .map(|a| Actor {
            id: a.id.clone(),
            roles: vec![Role::Applicant],
            department: None,
            window: None,
        })
        .collect();
    let per_day = cases_per_day(&cal, today, count);
    let generator_cal = cal.clone();
    let generator = Generator {
        cal,
        today,
        warn_days: store.warn_days(),
        district,
        seed,
        items: playable,
        people,
        listed: applicants.iter().map(|a| a.listed.clone()).collect(),
        collectors: applicants.iter().map(|a| a.collector.clone()).collect(),
        numbering: Numbering::new(org),
    };
    let bar = ProgressBar::new(u64::from(count)).with_style(
        ProgressStyle::with_template("history {bar:40} {pos}/{len} cases ({per_sec}, {eta} left)")
            .expect("valid template"),
    );
    let loading = Instant::now();
    let (out, mut batches) = mpsc::channel(4);
    let days = per_day.clone();
    let generating = tokio::task::spawn_blocking(move || {
        generator
            .run(&days, &out)
            .map(|()| generator.numbering.last.into_inner())
    });
    let mut load = store.begin_bulk_load().await?;
    load.import_blob(region, SCAN).await?;
    while let Some(batch) = batches.recv().await {
        let n = batch.len() as u64;
        load.import_cases(batch).await?;
        bar.inc(n);
    }
    let document_numbers = generating
        .await?
        .map_err(|e| e as Box<dyn std::error::Error>)?;
    bar.finish();
    // Each stage's time as a plain line when the output is a log, not a terminal that shows the
    // bars: make bench reports the stages from it.
    let log_stages = !std::io::stdout().is_terminal();
    if log_stages {
        println!(
            "loading {count} cases: {:.1} s",
            loading.elapsed().as_secs_f64()
        );
    }
    let indexing = ProgressBar::new(load.finishing_steps() as u64).with_style(
        ProgressStyle::with_template("finishing {bar:40} {pos}/{len} {msg} ({elapsed})")
            .expect("valid template"),
    );
    let mut current: Option<(String, Instant)> = None;
    let done = |current: &mut Option<(String, Instant)>| {
        if let Some((step, since)) = current.take()
            && log_stages
        {
            println!("{step}: {:.1} s", since.elapsed().as_secs_f64());
        }
    };
    load.finish(|step| {
        done(&mut current);
        current = Some((step.to_owned(), Instant::now()));
        indexing.set_message(step.to_owned());
        indexing.inc(1);
    })
    .await?;
    done(&mut current);
    indexing.finish_with_message("done");
    for (day, last) in per_day {
        store.set_case_sequence(region, day, last).await?;
    }
    for ((department, year), last) in document_numbers {
        store.set_document_sequence(&department, year, last).await?;
    }
    // The cases' deadlines were derived on this calendar as they were generated: a server
    // starting on them need not derive them again.
    store.mark_deadlines_derived(region, &generator_cal).await?;
    Ok(())
}

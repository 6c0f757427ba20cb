//! Electronic supervision's pass and the recomputation of deadlines, on SQLite and PostgreSQL:
//! lights kept with every write, turned by a pass with a chained event each, stopped clocks'
//! due dates moved on day by day, a calendar change moving due dates and turning lights back.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use onewindow_domain::calendar::{Calendar, DayKind, DayOverride};
use onewindow_domain::case::inbox::{CaseFilter, InboxScope};
use onewindow_domain::case::{
    Actor, ActorWindow, Case, Channel, Command, Now, Recommendation, SpecialProcedure,
    StepProgress, apply,
};
use onewindow_domain::catalogue::ItemDefinition;
use onewindow_domain::organisation::Role;
use onewindow_store::testing::{TestDb, deadline_mismatches};
use onewindow_store::*;

const REGION: &str = "440511";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A centre of one hall and one department, one item, one applicant; the staff who act.
struct World {
    store: Store,
    item: ItemDefinition,
    applicant: String,
    clerk: Actor,
    approver: Actor,
}

async fn world(db: &TestDb) -> World {
    let store = db.store.clone();
    let org: Organisation = serde_json::from_value(serde_json::json!({
        "regions": [{"code": REGION, "name": "金平区", "level": "district"}],
        "sites": [{"code": "CENTRE", "name": "中心", "kind": "centre", "region": REGION, "address": "金砂中路"}],
        "halls": [{"code": "H1", "site": "CENTRE", "name": "一楼", "floor": "1F"}],
        "departments": [{"code": "SYJ", "name": "食药监局", "short_name": "食药监", "section": "审批科", "phone": "1", "theme": "business_licensing", "via_comprehensive_service": false}],
        "windows": [{"code": "C01", "hall": "H1", "name": "经营许可", "kind": "theme", "theme": "business_licensing", "department": null, "issues_results": true}]
    }))
    .unwrap();
    store.insert_organisation(&org, REGION).await.unwrap();
    let items: Vec<ItemDefinition> =
        serde_json::from_str(include_str!("../../server/seed/demo/items.json")).unwrap();
    let mut item = items
        .into_iter()
        .find(|i| i.department == "SYJ" && i.steps.len() == 3)
        .expect("a three-step SYJ item");
    for s in &mut item.steps {
        s.department = "SYJ".into();
    }
    store
        .publish_item(&item, REGION, "admin", &["C01".into()])
        .await
        .unwrap();
    let vault = crypto::Vault::from_secret(b"t");
    let applicant = store
        .insert_applicant(
            &vault,
            &NewApplicant {
                kind: ApplicantKind::Person,
                name: "张三",
                phone: "13800138000",
                phone_masked: "138****8000",
                identifier: Some(("11010519491231002X", "1101**********002X")),
                password_hash: "x",
                consent_version: None,
            },
        )
        .await
        .unwrap();
    World {
        store,
        item,
        applicant,
        clerk: Actor {
            id: "clerk.c01".into(),
            roles: vec![Role::Clerk],
            department: None,
            window: Some(ActorWindow {
                code: "C01".into(),
                hall: "H1".into(),
                accepts_item: true,
                issues_results: true,
            }),
        },
        approver: Actor {
            id: "chief.syj".into(),
            roles: vec![Role::Approver, Role::ChiefRepresentative],
            department: Some("SYJ".into()),
            window: None,
        },
    }
}

fn at(actor: &Actor) -> EventActor<'_> {
    EventActor {
        id: &actor.id,
        role: "staff",
        window: None,
        at_ms: 1,
    }
}

impl World {
    /// Case `seq` submitted on `day`, with a promised limit of `days` working days; its number.
    async fn submitted(&self, seq: u32, day: NaiveDate, days: u32, cal: &Calendar) -> String {
        let draft = Case::new(
            Channel::Window,
            REGION,
            &self.applicant,
            &self.item.implementation_code,
            1,
            days,
            true,
            StepProgress::for_item(&self.item, self.item.proposes_delegation()),
        );
        let now = Now {
            today: day,
            calendar: cal,
        };
        let out = apply(
            &draft,
            &self.item,
            &self.clerk,
            &Command::Submit { waive: vec![] },
            now,
        )
        .unwrap();
        let number = format!("{REGION}-{}-{seq:07}", day.format("%Y%m%d"));
        let new = NewCase {
            case: &out.case,
            item_name: &self.item.name,
            department: "SYJ",
            applicant_masked: "张*",
        };
        self.store
            .insert_case(&number, &new, &out.entries, &at(&self.clerk), cal, day)
            .await
            .unwrap();
        number
    }

    /// `actor` gives `command` to case `number` on `day`.
    async fn act(
        &self,
        number: &str,
        actor: &Actor,
        command: Command,
        day: NaiveDate,
        cal: &Calendar,
    ) {
        let before = self.store.case(number).await.unwrap();
        let now = Now {
            today: day,
            calendar: cal,
        };
        let out = apply(&before.case, &self.item, actor, &command, now).unwrap();
        self.store
            .save_transition(&before, &out.case, &out.entries, &at(actor), cal, day)
            .await
            .unwrap();
    }

    /// Case `seq` accepted on `day` with a limit of `days` working days; its number.
    async fn accepted(&self, seq: u32, day: NaiveDate, days: u32, cal: &Calendar) -> String {
        let number = self.submitted(seq, day, days, cal).await;
        self.act(
            &number,
            &self.clerk,
            Command::Accept {
                waived: vec![],
                received: self.item.materials.iter().map(|m| m.code.clone()).collect(),
            },
            day,
            cal,
        )
        .await;
        number
    }

    /// Every case's kept light.
    async fn lights(&self) -> BTreeMap<String, Option<String>> {
        let rows: Vec<(String, Option<String>)> =
            sqlx::query_as("SELECT number, light FROM cases ORDER BY number")
                .fetch_all(self.store.pool())
                .await
                .unwrap();
        rows.into_iter().collect()
    }

    async fn column(&self, number: &str, column: &str) -> Option<String> {
        let sql = format!("SELECT {column} FROM cases WHERE number = $1");
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(number)
            .fetch_one(self.store.pool())
            .await
            .unwrap()
    }

    async fn assert_agrees(&self, cal: &Calendar, today: NaiveDate) {
        let wrong = deadline_mismatches(&self.store, cal, today).await;
        assert!(wrong.is_empty(), "{:?}: {wrong:#?}", self.store.engine());
    }

    async fn assert_chains(&self) {
        let report = self.store.verify_chains(|_| {}).await.unwrap();
        assert!(
            report.broken.is_empty(),
            "{:?}: {:?}",
            self.store.engine(),
            report.broken
        );
    }
}

fn light(s: &str) -> Option<String> {
    Some(s.to_owned())
}

#[tokio::test]
async fn a_pass_turns_lights_with_chained_events_and_only_once_on_both_engines() {
    for db in TestDb::each().await {
        let engine = db.engine();
        let w = world(&db).await;
        let cal = Calendar::weekends_only();
        let monday = d(2026, 3, 2);
        let a = w.accepted(1, monday, 5, &cal).await; // due Monday 9 March
        let b = w.accepted(2, monday, 2, &cal).await; // due Wednesday 4 March
        let c = w.accepted(3, monday, 10, &cal).await; // due Monday 16 March
        let submitted = w.submitted(4, monday, 5, &cal).await;
        assert_eq!(w.column(&b, "due_on").await, Some("2026-03-04".into()));
        let lights = w.lights().await;
        assert_eq!(lights[&a], light("green"), "{engine:?}");
        assert_eq!(lights[&b], light("green"));
        assert_eq!(lights[&c], light("green"));
        assert_eq!(lights[&submitted], None, "no clock runs before acceptance");
        w.assert_agrees(&cal, monday).await;

        // Nothing changed on the day the cases were written: nothing is written.
        let before = db.snapshot().await;
        let report = w
            .store
            .supervision_pass(REGION, &cal, monday)
            .await
            .unwrap();
        assert_eq!((report.examined, report.changed()), (0, 0), "{report:?}");
        assert!(
            db.snapshot().await == before,
            "{engine:?}: a no-op pass wrote"
        );

        // Tuesday: B has one working day left (the warning is one day) and turns yellow.
        let tuesday = d(2026, 3, 3);
        let report = w
            .store
            .supervision_pass(REGION, &cal, tuesday)
            .await
            .unwrap();
        assert_eq!(report.turned_yellow, vec![b.clone()], "{engine:?}");
        assert!(report.turned_red.is_empty() && report.turned_green.is_empty());
        assert_eq!(report.examined, 1);
        assert_eq!(w.lights().await[&b], light("yellow"));
        let events = w.store.events(&b).await.unwrap();
        let last = events.last().unwrap();
        assert_eq!(last.event.kind(), "light_changed");
        assert_eq!(
            serde_json::to_value(&last.event).unwrap()["payload"],
            serde_json::json!({"from": "green", "to": "yellow", "due_on": "2026-03-04"})
        );
        assert_eq!(
            (last.actor_id.as_str(), last.public),
            ("supervision", false)
        );
        w.assert_agrees(&cal, tuesday).await;

        // The same day again: nothing to do, nothing written.
        let before = db.snapshot().await;
        let report = w
            .store
            .supervision_pass(REGION, &cal, tuesday)
            .await
            .unwrap();
        assert_eq!(report.changed(), 0);
        assert!(
            db.snapshot().await == before,
            "{engine:?}: a second pass wrote"
        );

        // Thursday: B is past its due date.
        let thursday = d(2026, 3, 5);
        let report = w
            .store
            .supervision_pass(REGION, &cal, thursday)
            .await
            .unwrap();
        assert_eq!(report.turned_red, vec![b.clone()]);
        assert!(report.turned_yellow.is_empty());

        // A week later, with no pass between: A goes from green straight to red; C turns yellow
        // on the Friday before its Monday.
        let report = w
            .store
            .supervision_pass(REGION, &cal, d(2026, 3, 10))
            .await
            .unwrap();
        assert_eq!(report.turned_red, vec![a.clone()]);
        let report = w
            .store
            .supervision_pass(REGION, &cal, d(2026, 3, 13))
            .await
            .unwrap();
        assert_eq!(report.turned_yellow, vec![c.clone()]);
        let events = w.store.events(&a).await.unwrap();
        assert_eq!(
            serde_json::to_value(&events.last().unwrap().event).unwrap()["payload"],
            serde_json::json!({"from": "green", "to": "red", "due_on": "2026-03-09"})
        );
        w.assert_agrees(&cal, d(2026, 3, 13)).await;
        w.assert_chains().await;

        // The case row's head of the log follows the pass's events: the back office goes on.
        let friday = d(2026, 3, 13);
        w.act(
            &a,
            &w.approver,
            Command::CompleteStep {
                comment: "ok".into(),
                recommendation: Recommendation::Approve,
            },
            friday,
            &cal,
        )
        .await;
        let kinds: Vec<String> = w
            .store
            .events(&a)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.event.kind().to_owned())
            .collect();
        assert_eq!(
            kinds,
            ["submitted", "accepted", "light_changed", "step_completed"]
        );
        w.assert_chains().await;
        w.assert_agrees(&cal, friday).await;
    }
}

#[tokio::test]
async fn a_stopped_clock_moves_its_due_dates_on_day_by_day_on_both_engines() {
    for db in TestDb::each().await {
        let engine = db.engine();
        let w = world(&db).await;
        let cal = Calendar::weekends_only();
        let monday = d(2026, 3, 2);
        let number = w.accepted(1, monday, 5, &cal).await;
        let step_due = w.column(&number, "step_due_on").await;
        // Suspended on Wednesday: the clock stops.
        let wednesday = d(2026, 3, 4);
        w.act(
            &number,
            &w.approver,
            Command::StartSpecialProcedure {
                procedure: SpecialProcedure::SiteInspection,
                reason: "核查".into(),
                days: 5,
            },
            wednesday,
            &cal,
        )
        .await;
        assert_eq!(w.column(&number, "due_on").await, Some("2026-03-09".into()));
        assert_eq!(
            w.column(&number, "deadline_as_of").await,
            Some("2026-03-04".into())
        );

        // Friday: two stopped working days (Thursday, Friday) move the due date to Wednesday.
        let friday = d(2026, 3, 6);
        let report = w
            .store
            .supervision_pass(REGION, &cal, friday)
            .await
            .unwrap();
        assert_eq!(report.rederived, 1, "{engine:?}");
        assert_eq!(report.changed(), 0, "the light stays with a stopped clock");
        assert_eq!(w.column(&number, "due_on").await, Some("2026-03-11".into()));
        assert_ne!(w.column(&number, "step_due_on").await, step_due);
        w.assert_agrees(&cal, friday).await;
        let inbox = w
            .store
            .list_cases(
                &InboxScope::Department("SYJ".into()),
                &CaseFilter::default(),
                None,
                20,
            )
            .await
            .unwrap();
        assert_eq!(inbox.items[0].due_on, Some("2026-03-11".into()));

        // Once a day: the same day again reads and writes nothing.
        let before = db.snapshot().await;
        let report = w
            .store
            .supervision_pass(REGION, &cal, friday)
            .await
            .unwrap();
        assert_eq!((report.rederived, report.changed()), (0, 0));
        assert!(db.snapshot().await == before, "{engine:?}");

        // The clock runs again on the next Wednesday: the due date stays where the stop left it,
        // and the case leaves the stopped set.
        let next_wednesday = d(2026, 3, 11);
        w.act(
            &number,
            &w.approver,
            Command::EndSpecialProcedure {
                outcome: "合格".into(),
            },
            next_wednesday,
            &cal,
        )
        .await;
        assert_eq!(w.column(&number, "deadline_as_of").await, None);
        let report = w
            .store
            .supervision_pass(REGION, &cal, d(2026, 3, 12))
            .await
            .unwrap();
        assert_eq!(report.rederived, 0);
        w.assert_agrees(&cal, d(2026, 3, 12)).await;
        w.assert_chains().await;
    }
}

#[tokio::test]
async fn a_new_holiday_moves_due_dates_and_turns_lights_back_on_both_engines() {
    for db in TestDb::each().await {
        let engine = db.engine();
        let w = world(&db).await;
        let cal = Calendar::weekends_only();
        let monday = d(2026, 3, 2);
        let a = w.accepted(1, monday, 5, &cal).await; // due Monday 9 March
        let b = w.accepted(2, monday, 2, &cal).await; // due Wednesday 4 March
        let c = w.accepted(3, monday, 5, &cal).await; // suspended on Thursday
        let thursday = d(2026, 3, 5);
        w.act(
            &c,
            &w.approver,
            Command::StartSpecialProcedure {
                procedure: SpecialProcedure::ExpertReview,
                reason: "专家评审".into(),
                days: 10,
            },
            thursday,
            &cal,
        )
        .await;
        let done = w.accepted(4, monday, 5, &cal).await;
        w.act(
            &done,
            &w.clerk,
            Command::Withdraw {
                reason: "申请人书面申请撤回".into(),
            },
            monday,
            &cal,
        )
        .await;
        let report = w
            .store
            .supervision_pass(REGION, &cal, thursday)
            .await
            .unwrap();
        assert_eq!(report.turned_red, vec![b.clone()], "{engine:?}");
        let a_step_due = w.column(&a, "step_due_on").await;
        let done_due = w.column(&done, "due_on").await;

        // Wednesday 4 March is declared a day off after the fact (a typhoon).
        let holiday = DayOverride {
            date: d(2026, 3, 4),
            kind: DayKind::Holiday,
            name: "台风停工".into(),
        };
        let new_cal = cal.with_overrides(&[holiday]);
        let report = w
            .store
            .recompute_deadlines(REGION, &new_cal, thursday)
            .await
            .unwrap();
        assert_eq!(w.column(&a, "due_on").await, Some("2026-03-10".into()));
        // B is now due today: red turns back to yellow, and the log says so.
        assert_eq!(w.column(&b, "due_on").await, Some("2026-03-05".into()));
        assert_eq!(report.pass.turned_yellow, vec![b.clone()], "{engine:?}");
        let events = w.store.events(&b).await.unwrap();
        assert_eq!(
            serde_json::to_value(&events.last().unwrap().event).unwrap()["payload"],
            serde_json::json!({"from": "red", "to": "yellow", "due_on": "2026-03-05"})
        );
        // C's clock stopped today, after the new day off: its deadline, derived from its state
        // (the stopped days count on the calendar too), moves as A's does.
        assert_eq!(report.from_state, 1);
        assert_eq!(w.column(&c, "due_on").await, Some("2026-03-10".into()));
        assert_eq!(report.moved, 3, "{engine:?}: {report:?}");
        // Each of the three was promised a date that moved; their applicants are to be told.
        let mut promises: Vec<(String, NaiveDate)> = report
            .promises
            .iter()
            .map(|p| (p.number.clone(), p.due_on))
            .collect();
        promises.sort();
        assert_eq!(
            promises,
            vec![
                (a.clone(), d(2026, 3, 10)),
                (b.clone(), d(2026, 3, 5)),
                (c.clone(), d(2026, 3, 10)),
            ],
            "{engine:?}"
        );
        assert!(report.promises.iter().all(|p| !p.item_name.is_empty()));
        assert_ne!(w.column(&a, "step_due_on").await, a_step_due);
        // A withdrawn case keeps the deadline it had.
        assert_eq!(w.column(&done, "due_on").await, done_due);
        w.assert_agrees(&new_cal, thursday).await;
        w.assert_chains().await;
        // A server starting now need not derive them again; on the old calendar it must.
        assert!(
            w.store
                .deadlines_derived_on(REGION, &new_cal)
                .await
                .unwrap()
        );
        assert!(!w.store.deadlines_derived_on(REGION, &cal).await.unwrap());

        // Again: everything already agrees.
        let before = db.snapshot().await;
        let again = w
            .store
            .recompute_deadlines(REGION, &new_cal, thursday)
            .await
            .unwrap();
        assert_eq!((again.moved, again.pass.changed()), (0, 0));
        assert!(again.promises.is_empty());
        assert!(db.snapshot().await == before, "{engine:?}");

        // The holiday withdrawn again: back to where they were.
        let report = w
            .store
            .recompute_deadlines(REGION, &cal, thursday)
            .await
            .unwrap();
        assert_eq!(report.pass.turned_red, vec![b.clone()]);
        assert_eq!(w.column(&a, "due_on").await, Some("2026-03-09".into()));
        w.assert_agrees(&cal, thursday).await;
        assert!(w.store.deadlines_derived_on(REGION, &cal).await.unwrap());
    }
}

/// Cases stored before lights were kept (the migration leaves them without) get theirs from the
/// first pass, derived from their state, with no event: nothing turned, it was never kept.
#[tokio::test]
async fn the_first_pass_gives_older_cases_their_lights_on_both_engines() {
    for db in TestDb::each().await {
        let w = world(&db).await;
        let cal = Calendar::weekends_only();
        let monday = d(2026, 3, 2);
        let a = w.accepted(1, monday, 5, &cal).await;
        let b = w.accepted(2, monday, 1, &cal).await;
        let submitted = w.submitted(3, monday, 5, &cal).await;
        // As migration 0006 leaves a case stored before it.
        sqlx::query(
            "UPDATE cases SET light = NULL, promised_days = NULL, step_started_on = NULL, step_limit_days = NULL, clock_stops = NULL, deadline_as_of = NULL",
        )
        .execute(w.store.pool())
        .await
        .unwrap();
        sqlx::query(
            "UPDATE cases SET deadline_as_of = '0001-01-01'
             WHERE status IN ('in_progress', 'suspended', 'awaiting_supplement') AND accepted_on IS NOT NULL",
        )
        .execute(w.store.pool())
        .await
        .unwrap();
        let events = |n: &str| {
            let store = w.store.clone();
            let n = n.to_owned();
            async move { store.events(&n).await.unwrap().len() }
        };
        let before = (events(&a).await, events(&b).await);

        let wednesday = d(2026, 3, 4);
        let report = w
            .store
            .supervision_pass(REGION, &cal, wednesday)
            .await
            .unwrap();
        assert_eq!(report.rederived, 2, "{:?}", db.engine());
        assert_eq!(report.changed(), 0);
        let lights = w.lights().await;
        assert_eq!(lights[&a], light("green"));
        assert_eq!(lights[&b], light("red"));
        assert_eq!(lights[&submitted], None);
        assert_eq!((events(&a).await, events(&b).await), before);
        // The submitted case keeps no deadline inputs until it is written again.
        let wrong = deadline_mismatches(&w.store, &cal, wednesday).await;
        assert!(
            wrong.len() == 1 && wrong[0].starts_with(&submitted),
            "{wrong:#?}"
        );
    }
}

/// A case's light is kept with the store's warning, and a pass with another warning moves the
/// lights kept with the old one.
#[tokio::test]
async fn the_warning_is_the_stores_on_both_engines() {
    for db in TestDb::each().await {
        let mut w = world(&db).await;
        let cal = Calendar::weekends_only();
        let monday = d(2026, 3, 2);
        let a = w.accepted(1, monday, 3, &cal).await; // due Thursday 5 March
        assert_eq!(w.lights().await[&a], light("green"));
        w.store = w.store.clone().with_warn_days(3);
        let report = w
            .store
            .supervision_pass(REGION, &cal, monday)
            .await
            .unwrap();
        assert_eq!(report.turned_yellow, vec![a.clone()]);
        w.store = w.store.clone().with_warn_days(1);
        let report = w
            .store
            .supervision_pass(REGION, &cal, monday)
            .await
            .unwrap();
        assert_eq!(report.turned_green, vec![a.clone()]);
        w.assert_chains().await;
    }
}

#[tokio::test]
async fn an_immediate_case_is_never_yellow_on_both_engines() {
    for db in TestDb::each().await {
        let w = world(&db).await;
        let cal = Calendar::weekends_only();
        let (monday, tuesday) = (d(2026, 3, 2), d(2026, 3, 3));
        let now = w.accepted(1, monday, 0, &cal).await; // due the same Monday
        let soon = w.accepted(2, monday, 1, &cal).await; // due Tuesday
        let lights = w.lights().await;
        assert_eq!(
            (&lights[&now], &lights[&soon]),
            (&light("green"), &light("yellow"))
        );
        let report = w
            .store
            .supervision_pass(REGION, &cal, monday)
            .await
            .unwrap();
        assert_eq!(
            report.examined,
            0,
            "{:?}: nothing to turn",
            w.store.engine()
        );
        // A yellow kept from before the rule turns green; a day late, the immediate case is red.
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE cases SET light = 'yellow' WHERE number = '{now}'"
        )))
        .execute(w.store.pool())
        .await
        .unwrap();
        let report = w
            .store
            .supervision_pass(REGION, &cal, monday)
            .await
            .unwrap();
        assert_eq!(report.turned_green, vec![now.clone()]);
        let report = w
            .store
            .supervision_pass(REGION, &cal, tuesday)
            .await
            .unwrap();
        assert_eq!(report.turned_red, vec![now.clone()]);
        w.assert_agrees(&cal, tuesday).await;
        w.assert_chains().await;
    }
}

//! The store's story, told once and run on SQLite and on PostgreSQL.

use chrono::NaiveDate;
use onewindow_domain::audit::{GENESIS, Link, link_hash};
use onewindow_domain::calendar::Calendar;
use onewindow_domain::case::inbox::{CaseFilter, InboxScope};
use onewindow_domain::case::{
    Actor, ActorWindow, Case, CaseStatus, Channel, Command, Now, StepProgress, apply,
};
use onewindow_domain::catalogue::ItemDefinition;
use onewindow_domain::organisation::Role;
use onewindow_store::testing::TestDb;
use onewindow_store::*;

fn demo_org() -> Organisation {
    serde_json::from_value(serde_json::json!({
        "regions": [{"code": "440511", "name": "金平区", "level": "district"}],
        "sites": [{"code": "CENTRE", "name": "中心", "kind": "centre", "region": "440511", "address": "金砂中路"}],
        "halls": [{"code": "H1", "site": "CENTRE", "name": "一楼", "floor": "1F"}],
        "departments": [{"code": "SYJ", "name": "食药监局", "short_name": "食药监", "section": "审批科", "phone": "1", "theme": "business_licensing", "via_comprehensive_service": false}],
        "windows": [{"code": "C01", "hall": "H1", "name": "经营许可", "kind": "theme", "theme": "business_licensing", "department": null, "issues_results": true}]
    }))
    .unwrap()
}

fn demo_item() -> ItemDefinition {
    let items: Vec<ItemDefinition> =
        serde_json::from_str(include_str!("../../server/seed/demo/items.json"))
            .expect("demo items parse");
    items
        .into_iter()
        .find(|i| i.department == "SYJ" && i.steps.len() == 3)
        .expect("a four-step SYJ item")
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[tokio::test]
async fn a_case_is_stored_listed_counted_and_chained_on_both_engines() {
    for db in TestDb::each().await {
        let store = &db.store;
        let engine = db.engine();
        store
            .insert_organisation(&demo_org(), "440511")
            .await
            .unwrap();
        let mut item = demo_item();
        item.department = "SYJ".into();
        for s in &mut item.steps {
            s.department = "SYJ".into();
        }
        assert_eq!(
            store
                .publish_item(&item, "440511", "admin", &["C01".into()])
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            store
                .publish_item(&item, "440511", "admin", &["C01".into()])
                .await
                .unwrap(),
            2,
            "{engine:?}"
        );
        assert!(
            store
                .window_accepts("C01", &item.implementation_code)
                .await
                .unwrap()
        );
        assert_eq!(
            store
                .items(&ItemFilter {
                    department: Some("SYJ"),
                    text: Some("食品"),
                    ..ItemFilter::default()
                })
                .await
                .unwrap()
                .len(),
            1,
            "{engine:?}"
        );
        // The acceptance desk lists what its window accepts.
        let at = |window| ItemFilter {
            window: Some(window),
            ..ItemFilter::default()
        };
        let at_c01 = store.items(&at("C01")).await.unwrap();
        assert!(
            at_c01.iter().any(|i| i.code == item.implementation_code),
            "{engine:?}"
        );
        assert!(store.items(&at("NO-SUCH-WINDOW")).await.unwrap().is_empty());

        let cal = Calendar::china_mainland();
        let today = d(2026, 3, 2);
        let seq = store.next_case_sequence("440511", today).await.unwrap();
        assert_eq!(
            store.next_case_sequence("440511", today).await.unwrap(),
            seq + 1
        );
        let steps = StepProgress::for_item(&item, item.proposes_delegation());
        let draft = Case::new(
            Channel::Window,
            "440511",
            "P1",
            &item.implementation_code,
            2,
            item.promised_time_limit_days,
            true,
            steps,
        );
        let clerk = Actor {
            id: "clerk.c01".into(),
            roles: vec![Role::Clerk],
            department: None,
            window: Some(ActorWindow {
                code: "C01".into(),
                hall: "H1".into(),
                accepts_item: true,
                issues_results: true,
            }),
        };
        let now = Now {
            today,
            calendar: &cal,
        };
        let submitted = apply(
            &draft,
            &item,
            &clerk,
            &Command::Submit { waive: vec![] },
            now,
        )
        .unwrap();
        let ctx = EventActor {
            id: "clerk.c01",
            role: "clerk",
            window: Some("C01"),
            at_ms: 1,
        };
        // Applicants are referenced by cases; make one.
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
                    consent_version: Some("2026-12"),
                },
            )
            .await
            .unwrap();
        let mut case = submitted.case.clone();
        case.applicant = applicant.clone();
        let number = "440511-20260302-0000011";
        let new = NewCase {
            case: &case,
            item_name: &item.name,
            department: "SYJ",
            applicant_masked: "张*",
        };
        store
            .insert_case(number, &new, &submitted.entries, &ctx, &cal, today)
            .await
            .unwrap();
        assert!(matches!(
            store
                .insert_case(number, &new, &submitted.entries, &ctx, &cal, today)
                .await,
            Err(StoreError::Conflict(_))
        ));

        let before = store.case(number).await.unwrap();
        assert_eq!(before.case.status, CaseStatus::Submitted);
        let accept = |case: &Case| {
            apply(
                case,
                &item,
                &clerk,
                &Command::Accept {
                    waived: vec![],
                    received: item.materials.iter().map(|m| m.code.clone()).collect(),
                },
                now,
            )
            .unwrap()
        };
        let accepted = accept(&before.case);
        store
            .save_transition(
                &before,
                &accepted.case,
                &accepted.entries,
                &ctx,
                &cal,
                today,
            )
            .await
            .unwrap();
        // A second writer holding the old version loses.
        assert!(matches!(
            store
                .save_transition(
                    &before,
                    &accepted.case,
                    &accepted.entries,
                    &ctx,
                    &cal,
                    today
                )
                .await,
            Err(StoreError::Conflict(_))
        ));
        // … and leaves nothing behind: the log holds the first writer's events once.
        let logged = store.events(number).await.unwrap().len();
        assert_eq!(
            logged as i64,
            before.event_count + accepted.entries.len() as i64
        );

        let inbox = store
            .list_cases(
                &InboxScope::Department("SYJ".into()),
                &CaseFilter::default(),
                None,
                20,
            )
            .await
            .unwrap();
        assert_eq!(inbox.items.len(), 1, "{engine:?}");
        assert_eq!(inbox.items[0].status, "in_progress");
        assert!(inbox.items[0].step_due_on.is_some());
        let hall = InboxScope::Hall {
            hall: "H1".into(),
            window: "C01".into(),
        };
        assert_eq!(
            store
                .list_cases(&hall, &CaseFilter::default(), None, 20)
                .await
                .unwrap()
                .items
                .len(),
            1
        );
        let other_hall = InboxScope::Hall {
            hall: "H9".into(),
            window: "X".into(),
        };
        assert!(
            store
                .list_cases(&other_hall, &CaseFilter::default(), None, 20)
                .await
                .unwrap()
                .items
                .is_empty()
        );
        let counts = store
            .status_counts(&InboxScope::Centre, None)
            .await
            .unwrap();
        assert_eq!(counts.len(), 1);
        assert_eq!(
            (counts[0].status.as_str(), counts[0].count),
            ("in_progress", 1)
        );
        let kept = store.case_counts(None, None).await.unwrap();
        assert_eq!(
            kept,
            vec![onewindow_store::CaseCount {
                department: "SYJ".into(),
                month: "2026-03".into(),
                status: "in_progress".into(),
                count: 1
            }],
            "{engine:?}"
        );
        let march = Some("2026-03");
        assert_eq!(store.case_counts(march, march).await.unwrap(), kept);
        assert!(
            store
                .case_counts(Some("2026-04"), None)
                .await
                .unwrap()
                .is_empty()
        );

        // Folding the counts' stripes changes no count, even for a case that leaves a folded
        // status from its own stripe afterwards.
        let second = "440511-20260302-0000012";
        store
            .insert_case(second, &new, &submitted.entries, &ctx, &cal, today)
            .await
            .unwrap();
        let folded = store.fold_counts().await.unwrap();
        assert_eq!(folded, if engine == Engine::Sqlite { 0 } else { 2 });
        assert_eq!(
            store.fold_counts().await.unwrap(),
            0,
            "nothing left to fold"
        );
        // As a database from before ADR 0019 holds it: the second case's first event hashed over
        // part of its fields; the events after it chain on in the whole format.
        let first = &store.events(second).await.unwrap()[0];
        let partial = link_hash(
            GENESIS,
            &Link {
                chain: second,
                seq: 1,
                kind: first.event.kind(),
                actor: &first.actor_id,
                at_ms: first.at_ms,
                payload: &first.event.payload_json(),
            },
        );
        for sql in [
            "UPDATE case_events SET hash = $1 WHERE case_number = $2",
            "UPDATE cases SET last_hash = $1 WHERE number = $2",
            "INSERT INTO partial_event_links (last_seq, case_number) VALUES (1, $1)",
        ] {
            let q = sqlx::query(sql);
            let q = if sql.contains("$2") {
                q.bind(&partial)
            } else {
                q
            };
            q.bind(second).execute(store.pool()).await.unwrap();
        }
        let before_second = store.case(second).await.unwrap();
        let accepted_second = accept(&before_second.case);
        store
            .save_transition(
                &before_second,
                &accepted_second.case,
                &accepted_second.entries,
                &ctx,
                &cal,
                today,
            )
            .await
            .unwrap();
        assert_eq!(
            store.case_counts(None, None).await.unwrap(),
            vec![onewindow_store::CaseCount {
                count: 2,
                ..kept[0].clone()
            }],
            "{engine:?}"
        );
        assert_eq!(
            store
                .status_counts(&InboxScope::Centre, None)
                .await
                .unwrap()
                .iter()
                .map(|c| (c.status.as_str(), c.count))
                .collect::<Vec<_>>(),
            [("in_progress", 2)]
        );

        let events = store.events(number).await.unwrap();
        assert_eq!(
            events.iter().map(|e| e.event.kind()).collect::<Vec<_>>(),
            ["submitted", "accepted"]
        );
        store
            .audit(
                "admin",
                "publish_item",
                &serde_json::json!({"item": item.implementation_code}),
            )
            .await
            .unwrap();
        let report = store.verify_chains(|_| {}).await.unwrap();
        assert!(report.broken.is_empty(), "{engine:?}: {:?}", report.broken);
        assert_eq!(
            report.records, 5,
            "two cases of two events, one audit entry"
        );

        // Tampering with any stored field, here the role the actor acted in, is found and named.
        sqlx::query(
            "UPDATE case_events SET actor_role = 'approver' WHERE case_number = $1 AND seq = 2",
        )
        .bind(number)
        .execute(store.pool())
        .await
        .unwrap();
        // So is a change to a field an older link covers.
        sqlx::query("UPDATE case_events SET at_ms = at_ms + 1 WHERE case_number = $1 AND seq = 1")
            .bind(second)
            .execute(store.pool())
            .await
            .unwrap();
        let report = store.verify_chains(|_| {}).await.unwrap();
        let broken: Vec<_> = report
            .broken
            .iter()
            .map(|b| (b.chain.as_str(), b.seq))
            .collect();
        assert_eq!(broken, [(number, 2), (second, 1)], "{engine:?}");

        // Cursor pagination walks everything once.
        let mut walked = Vec::new();
        let mut cursor = None;
        loop {
            let page = store
                .list_cases(
                    &InboxScope::Centre,
                    &CaseFilter::default(),
                    cursor.as_deref(),
                    1,
                )
                .await
                .unwrap();
            walked.extend(page.items.into_iter().map(|c| c.number));
            cursor = page.next_cursor;
            if cursor.is_none() {
                break;
            }
        }
        walked.sort();
        assert_eq!(walked, [number, second], "{engine:?}");
        // Calendar overrides round-trip.
        let day = onewindow_domain::calendar::DayOverride {
            date: d(2026, 6, 1),
            kind: onewindow_domain::calendar::DayKind::Holiday,
            name: "区防汛假".into(),
        };
        store
            .put_calendar_overrides("440511", std::slice::from_ref(&day))
            .await
            .unwrap();
        store
            .put_calendar_overrides("440511", std::slice::from_ref(&day))
            .await
            .unwrap();
        assert_eq!(store.calendar_overrides("440511").await.unwrap(), vec![day]);
        assert!(
            store
                .applicant_by_identifier(&vault, "11010519491231002X")
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            store
                .applicant_by_phone(&vault, "13800138001")
                .await
                .unwrap()
                .is_none()
        );

        // Concurrent writes (jobs sharing commits on SQLite, ADR 0021): each registration is
        // numbered once and stored; one refused in the middle of them (a number already taken)
        // is refused alone and leaves the others, before and after it, stored.
        let mut writes = tokio::task::JoinSet::new();
        for i in 0..32 {
            let (store, case, events, cal, name) = (
                store.clone(),
                case.clone(),
                submitted.entries.clone(),
                cal.clone(),
                item.name.clone(),
            );
            writes.spawn(async move {
                let ctx = EventActor {
                    id: "clerk.c01",
                    role: "clerk",
                    window: Some("C01"),
                    at_ms: 2,
                };
                let new = NewCase {
                    case: &case,
                    item_name: &name,
                    department: "SYJ",
                    applicant_masked: "张*",
                };
                match i % 4 {
                    0 => {
                        let taken = store
                            .insert_case(number, &new, &events, &ctx, &cal, today)
                            .await;
                        assert!(matches!(taken, Err(StoreError::Conflict(_))), "{taken:?}");
                        None
                    }
                    1 => Some(
                        store
                            .register_case(&new, &events, &ctx, &cal, today)
                            .await
                            .unwrap(),
                    ),
                    _ => {
                        let own = format!("440511-20260302-00005{i:02}");
                        store
                            .insert_case(&own, &new, &events, &ctx, &cal, today)
                            .await
                            .unwrap();
                        Some(own)
                    }
                }
            });
        }
        let mut registered: Vec<String> = writes.join_all().await.into_iter().flatten().collect();
        registered.sort();
        registered.dedup();
        assert_eq!(registered.len(), 24, "{engine:?}: {registered:?}");
        for number in &registered {
            assert_eq!(store.events(number).await.unwrap().len(), 1, "{engine:?}");
        }
        assert_eq!(
            store.events(number).await.unwrap().len() as i64,
            store.case(number).await.unwrap().event_count,
            "{engine:?}: the refused left the taken number's log as it was"
        );
        let report = store.verify_chains(|_| {}).await.unwrap();
        assert_eq!(
            report.chains as usize,
            2 + registered.len() + 1,
            "{engine:?}"
        );
        let broken: Vec<&str> = report.broken.iter().map(|b| b.chain.as_str()).collect();
        assert_eq!(
            broken,
            [number, second],
            "{engine:?}: only the records tampered with above"
        );
    }
}

#[tokio::test]
async fn drafts_publish_as_the_next_version_while_cases_keep_theirs_on_both_engines() {
    for db in TestDb::each().await {
        let store = &db.store;
        let engine = db.engine();
        store
            .insert_organisation(&demo_org(), "440511")
            .await
            .unwrap();
        let item = demo_item();
        let code = item.implementation_code.clone();
        store
            .publish_item(&item, "440511", "seed", &["C01".into()])
            .await
            .unwrap();

        // A case accepted under version 1.
        let vault = crypto::Vault::from_secret(b"t");
        let applicant = store
            .insert_applicant(
                &vault,
                &NewApplicant {
                    kind: ApplicantKind::Person,
                    name: "张三",
                    phone: "13800138000",
                    phone_masked: "138****8000",
                    identifier: None,
                    password_hash: "",
                    consent_version: None,
                },
            )
            .await
            .unwrap();
        let case = Case::new(
            Channel::Online,
            "440511",
            &applicant,
            &code,
            1,
            item.promised_time_limit_days,
            true,
            StepProgress::for_item(&item, item.proposes_delegation()),
        );
        let number = "440511-20260302-0000001";
        let ctx = EventActor {
            id: &applicant,
            role: "applicant",
            window: None,
            at_ms: 1,
        };
        let new = NewCase {
            case: &case,
            item_name: &item.name,
            department: "SYJ",
            applicant_masked: "张*",
        };
        let cal = Calendar::china_mainland();
        store
            .insert_case(number, &new, &[], &ctx, &cal, d(2026, 3, 2))
            .await
            .unwrap();

        // Draft, list, publish: version 2, the draft gone.
        let mut edited = item.clone();
        edited.name = format!("{}（2026年版）", item.name);
        let saved = store.save_item_draft(&edited, "admin").await.unwrap();
        assert_eq!(saved.based_on_version, Some(1), "{engine:?}");
        let drafts = store.item_drafts().await.unwrap();
        assert_eq!(drafts.len(), 1);
        assert_eq!(
            (drafts[0].name.as_str(), drafts[0].department.as_str()),
            (edited.name.as_str(), "SYJ")
        );
        assert_eq!(
            store.item_draft(&code).await.unwrap().unwrap().definition,
            edited
        );
        assert_eq!(
            store
                .publish_item_draft(&code, "440511", "admin")
                .await
                .unwrap(),
            2,
            "{engine:?}"
        );
        assert!(store.item_draft(&code).await.unwrap().is_none());
        assert!(store.item_drafts().await.unwrap().is_empty());
        assert_eq!(store.item(&code, None).await.unwrap(), (2, edited.clone()));
        let versions = store.item_versions(&code).await.unwrap();
        assert_eq!(
            versions
                .iter()
                .map(|v| (v.version, v.published_by.as_str()))
                .collect::<Vec<_>>(),
            [(1, "seed"), (2, "admin")]
        );
        assert_eq!(
            store.items(&ItemFilter::default()).await.unwrap()[0].version,
            2
        );
        // The case still reads the version it was accepted under.
        let kept = store.case(number).await.unwrap();
        assert_eq!(kept.case.item_version, 1);
        assert_eq!(
            store
                .item(&code, Some(kept.case.item_version as i64))
                .await
                .unwrap(),
            (1, item.clone())
        );
        assert!(store.window_accepts("C01", &code).await.unwrap());

        // Discard; nothing left to discard or publish.
        store.save_item_draft(&item, "admin").await.unwrap();
        store.discard_item_draft(&code).await.unwrap();
        assert!(store.item_draft(&code).await.unwrap().is_none());
        assert!(matches!(
            store.discard_item_draft(&code).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store.publish_item_draft(&code, "440511", "admin").await,
            Err(StoreError::NotFound)
        ));
        assert_eq!(store.item(&code, None).await.unwrap().0, 2);

        // A draft overtaken by a version published after it was saved is not published over it.
        store.save_item_draft(&item, "admin").await.unwrap();
        store
            .publish_item(&edited, "440511", "seed", &[])
            .await
            .unwrap();
        assert!(matches!(
            store.publish_item_draft(&code, "440511", "admin").await,
            Err(StoreError::Conflict(_))
        ));
        assert!(store.item_draft(&code).await.unwrap().is_some());
        // Saving it again bases it on the current version.
        let rebased = store.save_item_draft(&item, "admin").await.unwrap();
        assert_eq!(rebased.based_on_version, Some(3));
        assert_eq!(
            store
                .publish_item_draft(&code, "440511", "admin")
                .await
                .unwrap(),
            4
        );

        // A new item is a draft without a version until it is published.
        let mut fresh = item.clone();
        fresh.implementation_code = "440511-SYJ-900".into();
        let saved = store.save_item_draft(&fresh, "admin").await.unwrap();
        assert_eq!(saved.based_on_version, None);
        assert!(
            store
                .item_versions("440511-SYJ-900")
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            store
                .publish_item_draft("440511-SYJ-900", "440511", "admin")
                .await
                .unwrap(),
            1
        );
        assert_eq!(store.items(&ItemFilter::default()).await.unwrap().len(), 2);
    }
}

/// A phone's codes: one a minute, ten a day, and wrong tries that a new code does not wipe out
/// (ADR 0031); two requests at the same moment send one code.
#[tokio::test]
async fn verification_codes_keep_their_daily_counts_on_both_engines() {
    use onewindow_domain::auth::{CODE_GAP_MS, CodeRefusal};
    for db in TestDb::each().await {
        let engine = db.engine();
        let vault = crypto::Vault::from_secret(b"t");
        let store = &db.store;
        let (phone, today) = ("13912345678", NaiveDate::from_ymd_opt(2026, 12, 7).unwrap());
        let put = |code: &'static str, at: i64, day: NaiveDate| {
            let vault = vault.clone();
            async move {
                store
                    .put_verification_code(&vault, phone, code, at, day)
                    .await
                    .unwrap()
            }
        };
        let take = |code: &'static str, at: i64| {
            let vault = vault.clone();
            async move {
                store
                    .take_verification_code(&vault, phone, code, at, today)
                    .await
                    .unwrap()
            }
        };
        let both =
            futures_util::future::join(put("111111", 0, today), put("222222", 0, today)).await;
        assert!(
            matches!(both, (Ok(()), Err(_)) | (Err(_), Ok(()))),
            "{engine:?}: {both:?}"
        );
        for _ in 0..4 {
            assert!(!take("999999", 1).await);
        }
        assert_eq!(put("333333", CODE_GAP_MS, today).await, Ok(()));
        assert!(
            !take("999999", CODE_GAP_MS + 1).await,
            "the fifth wrong try"
        );
        assert!(
            !take("333333", CODE_GAP_MS + 2).await,
            "{engine:?}: a fresh code brings no fresh tries"
        );
        for i in 2..10 {
            assert_eq!(put("444444", i * CODE_GAP_MS, today).await, Ok(()));
        }
        assert_eq!(
            put("555555", 10 * CODE_GAP_MS, today).await,
            Err(CodeRefusal::DailyLimit)
        );
        // The next day starts afresh, and a right code is taken once.
        let tomorrow = today.succ_opt().unwrap();
        assert_eq!(put("666666", 11 * CODE_GAP_MS, tomorrow).await, Ok(()));
        let taken = store
            .take_verification_code(&vault, phone, "666666", 11 * CODE_GAP_MS + 1, tomorrow)
            .await
            .unwrap();
        assert!(taken, "{engine:?}");
        let again = store
            .take_verification_code(&vault, phone, "666666", 11 * CODE_GAP_MS + 2, tomorrow)
            .await
            .unwrap();
        assert!(!again);
    }
}

/// The audit viewer's filters: by actor, action, text of the details taken literally (no LIKE
/// wildcards), time, and pages by sequence.
#[tokio::test]
async fn the_audit_log_is_filtered_and_paged_on_both_engines() {
    for db in TestDb::each().await {
        let engine = db.engine();
        let store = &db.store;
        let audit = |actor: &'static str, action: &'static str, what: serde_json::Value| async move {
            store.audit(actor, action, &what).await.unwrap()
        };
        audit("a", "item_saved", serde_json::json!({"code": "50%_off"})).await;
        audit("a", "item_saved", serde_json::json!({"code": "50x_off"})).await;
        audit("b", "login_failed", serde_json::json!({})).await;
        let page = |filter: AuditFilter, before: Option<i64>| async move {
            store
                .audit_page(&filter, before, 10)
                .await
                .unwrap()
                .into_iter()
                .map(|e| e.seq)
                .collect::<Vec<_>>()
        };
        let all = page(AuditFilter::default(), None).await;
        assert_eq!(all.len(), 3, "{engine:?}");
        let literal = AuditFilter {
            object: Some("50%_".into()),
            ..AuditFilter::default()
        };
        assert_eq!(page(literal, None).await, vec![all[2]], "{engine:?}");
        let by_actor = AuditFilter {
            actor: Some("a".into()),
            action: Some("item_saved".into()),
            ..AuditFilter::default()
        };
        assert_eq!(page(by_actor.clone(), None).await, vec![all[1], all[2]]);
        assert_eq!(page(by_actor, Some(all[1])).await, vec![all[2]]);
        let later = AuditFilter {
            from_ms: Some(onewindow_store::now_ms() + 60_000),
            ..AuditFilter::default()
        };
        assert!(page(later, None).await.is_empty());
    }
}

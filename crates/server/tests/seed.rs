//! Generated histories (the demo's year, `seed volume`) look like a working centre's and load
//! whole: about a tenth of the cases still open today, some past their deadline, every chain
//! intact, the kept counts and case sequences equal to what the rows say, the indexes back.

mod common;

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, Utc};
use common::{TestApp, enterprise_phones};
use onewindow_domain::calendar::{Calendar, Light, light_bounds};
use onewindow_domain::case::CaseStatus;
use onewindow_domain::case::inbox::{CaseFilter, InboxScope};
use onewindow_domain::identity::CaseNumber;
use onewindow_domain::supervision::lit;
use onewindow_store::testing::TestDb;
use onewindow_store::{Engine, Store};
use sqlx::Row;

use common::KEY;
const REGION: &str = "440511";

/// Open: not yet handed out, refused or withdrawn.
const OPEN: [&str; 6] = [
    "submitted",
    "awaiting_supplement",
    "in_progress",
    "suspended",
    "approved",
    "denied",
];

async fn scalar(store: &Store, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(store.pool())
        .await
        .unwrap()
}

async fn index_count(store: &Store) -> i64 {
    match store.engine() {
        Engine::Sqlite => {
            scalar(
                store,
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('cases', 'case_events')",
            )
            .await
        }
        Engine::Postgres => {
            scalar(
                store,
                "SELECT COUNT(*) FROM pg_indexes WHERE tablename IN ('cases', 'case_events')",
            )
            .await
        }
    }
}

/// Every case number, oldest first.
async fn numbers(store: &Store) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    loop {
        let after = all.last().cloned().unwrap_or_default();
        let page = store.case_numbers_after(&after, 500).await.unwrap();
        if page.is_empty() {
            return all;
        }
        all.extend(page);
    }
}

async fn assert_history_is_a_centres(store: &Store, cases: i64) {
    let engine = store.engine();
    assert_eq!(store.count_cases().await.unwrap(), cases, "{engine:?}");

    let counts = store
        .status_counts(&InboxScope::Centre, None)
        .await
        .unwrap();
    let open: i64 = counts
        .iter()
        .filter(|c| OPEN.contains(&c.status.as_str()))
        .map(|c| c.count)
        .sum();
    let share = open as f64 / cases as f64;
    assert!(
        (0.06..=0.14).contains(&share),
        "{engine:?}: open share {share:.3}: {counts:?}"
    );
    let today = (Utc::now() + Duration::hours(8)).date_naive();
    let overdue = store
        .list_cases(
            &InboxScope::Centre,
            &CaseFilter {
                status: Some(CaseStatus::InProgress),
                lit: Some(lit(
                    &light_bounds(&Calendar::china_mainland(), today, 2),
                    Light::Red,
                )),
                ..CaseFilter::default()
            },
            None,
            200,
        )
        .await
        .unwrap();
    assert!(
        !overdue.items.is_empty(),
        "{engine:?}: no open case is overdue"
    );

    let report = store.verify_chains(|_| {}).await.unwrap();
    assert!(report.broken.is_empty(), "{engine:?}: {:?}", report.broken);
    assert_eq!(report.chains as i64, cases + 1, "{engine:?}");
    let events = scalar(store, "SELECT COUNT(*) FROM case_events").await;
    let audited = scalar(store, "SELECT COUNT(*) FROM audit_log").await;
    assert_eq!(report.records as i64, events + audited, "{engine:?}");
    assert!(
        events > cases * 4,
        "{engine:?}: {events} events for {cases} cases"
    );

    let kept: Vec<(String, String, String, i64)> = store
        .case_counts(None, None)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.department, c.month, c.status, c.count))
        .collect();
    let rows = sqlx::query(
        "SELECT department_code, month, status, COUNT(*) AS n FROM cases GROUP BY department_code, month, status ORDER BY department_code, month, status",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    let counted: Vec<(String, String, String, i64)> = rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect();
    assert_eq!(kept, counted, "{engine:?}: case_counts against the cases");
    let kept: Vec<(String, i64, i64)> = store
        .delegation()
        .await
        .unwrap()
        .into_iter()
        .filter(|d| d.decided_total > 0)
        .map(|d| (d.department, d.decided_at_window, d.decided_total))
        .collect();
    let rows = sqlx::query(
        "SELECT c.department_code,
                SUM(CASE WHEN e.actor_role = 'chief_representative' THEN 1 ELSE 0 END), COUNT(*)
         FROM case_events e JOIN cases c ON c.number = e.case_number WHERE e.kind = 'decided'
         GROUP BY c.department_code ORDER BY c.department_code",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    let counted: Vec<(String, i64, i64)> = rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert!(counted.iter().any(|(_, at_window, _)| *at_window > 0));
    assert_eq!(
        kept, counted,
        "{engine:?}: decision_counts against the events"
    );
    let centre: Vec<(String, i64)> = store
        .status_counts(&InboxScope::Centre, None)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.status, c.count))
        .collect();
    let rows = sqlx::query(
        "SELECT status, COUNT(*) AS n FROM cases WHERE status <> 'draft' GROUP BY status ORDER BY status",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    let counted: Vec<(String, i64)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    assert_eq!(
        centre, counted,
        "{engine:?}: the centre's tabs against the cases"
    );

    for sql in [
        "SELECT COUNT(*) FROM cases WHERE region_code <> '440511'",
        "SELECT COUNT(*) FROM case_events WHERE region_code <> '440511'",
        "SELECT COUNT(*) FROM case_counts WHERE region_code <> '440511'",
        "SELECT COUNT(*) FROM decision_counts WHERE region_code <> '440511'",
    ] {
        assert_eq!(scalar(store, sql).await, 0, "{engine:?}: {sql}");
    }

    assert_inbox_pages_follow_deadlines(store).await;

    // Each day's sequence is the last number handed out that day, so the server numbers on.
    let mut last_of_day: BTreeMap<NaiveDate, u32> = BTreeMap::new();
    for n in numbers(store).await {
        let number = CaseNumber::parse(&n).unwrap();
        let last = last_of_day.entry(number.date()).or_default();
        *last = (*last).max(number.sequence());
    }
    let rows = sqlx::query(
        "SELECT day, last FROM case_sequences WHERE region_code = '440511' ORDER BY day",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    let sequences: BTreeMap<NaiveDate, u32> = rows
        .iter()
        .map(|r| {
            let day: String = r.get(0);
            (day.parse().unwrap(), r.get::<i64, _>(1) as u32)
        })
        .collect();
    assert_eq!(sequences, last_of_day, "{engine:?}: case_sequences");
    let (&busiest, &last) = last_of_day.iter().max_by_key(|(_, n)| **n).unwrap();
    assert_eq!(
        store.next_case_sequence(REGION, busiest).await.unwrap(),
        last + 1,
        "{engine:?}"
    );
}

/// Small, so that a department's few open steps fill several pages.
const PAGE: u32 = 3;

/// Walks a scope's inbox page by page, as a clerk's "next" does.
async fn walk(store: &Store, scope: &InboxScope, filter: &CaseFilter) -> Vec<String> {
    let mut walked = Vec::new();
    let mut cursor = None;
    loop {
        let page = store
            .list_cases(scope, filter, cursor.as_deref(), PAGE)
            .await
            .unwrap();
        walked.extend(page.items.into_iter().map(|c| c.number));
        cursor = page.next_cursor;
        if cursor.is_none() {
            return walked;
        }
    }
}

/// Pages without a status are merged from one branch per status (the store's page_statuses):
/// walked whole, they give every case of the scope once, in the order one sort of all of them
/// gives (deadline, cases without one last, then number).
async fn assert_inbox_pages_follow_deadlines(store: &Store) {
    let engine = store.engine();
    let busiest = |column: &str| {
        format!(
            "SELECT {column} FROM cases WHERE {column} IS NOT NULL GROUP BY {column} ORDER BY COUNT(*) DESC, {column} LIMIT 1"
        )
    };
    let text = |sql: String, bind: Option<String>| async move {
        let mut query = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql));
        if let Some(bind) = bind {
            query = query.bind(bind);
        }
        query.fetch_one(store.pool()).await.unwrap()
    };
    let department = text(busiest("current_department"), None).await;
    let hall = text(busiest("hall_code"), None).await;
    let window = text(
        "SELECT code FROM windows WHERE hall_code = $1 AND EXISTS (SELECT 1 FROM window_items WHERE window_code = code) ORDER BY code LIMIT 1".into(),
        Some(hall.clone()),
    )
    .await;
    let open = CaseFilter {
        open_only: true,
        ..CaseFilter::default()
    };
    let step_due = "COALESCE(step_due_on, '9999-12-31'), number";
    let due = "COALESCE(due_on, '9999-12-31'), number";
    let open_statuses = CaseStatus::ALL
        .into_iter()
        .filter(|s| s.is_open())
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let cases = [
        (
            InboxScope::Centre,
            CaseFilter::default(),
            "status <> 'draft'".to_owned(),
            due,
        ),
        (
            InboxScope::Centre,
            open.clone(),
            format!("status IN ({open_statuses})"),
            due,
        ),
        (
            InboxScope::Department(department.clone()),
            CaseFilter::default(),
            format!("current_department = '{department}'"),
            step_due,
        ),
        (
            InboxScope::Department(department.clone()),
            open,
            format!("current_department = '{department}' AND status IN ({open_statuses})"),
            step_due,
        ),
        (
            InboxScope::Hall {
                hall: hall.clone(),
                window: window.clone(),
            },
            CaseFilter::default(),
            format!(
                "hall_code = '{hall}' OR (status = 'submitted' AND item_code IN (SELECT item_code FROM window_items WHERE window_code = '{window}'))"
            ),
            due,
        ),
    ];
    for (scope, filter, condition, order) in cases {
        let sorted: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT number FROM cases WHERE {condition} ORDER BY {order}"
        )))
        .fetch_all(store.pool())
        .await
        .unwrap();
        assert!(
            sorted.len() > PAGE as usize,
            "{engine:?}: {scope:?} fills one page"
        );
        assert_eq!(
            walk(store, &scope, &filter).await,
            sorted,
            "{engine:?}: {scope:?} {filter:?}"
        );
    }
}

/// A volume loads on both engines as a centre's year, and the server goes on from it.
#[tokio::test]
async fn a_volume_is_a_centres_year_on_both_engines_and_the_server_goes_on() {
    for db in TestDb::each().await {
        let indexes = index_count(&db.store).await;
        onewindow_server::seed::volume(&db.store, KEY, 2_000, 11)
            .await
            .expect("volume seed");
        assert_eq!(
            index_count(&db.store).await,
            indexes,
            "{:?}: the indexes dropped for the load are back",
            db.engine()
        );
        assert_history_is_a_centres(&db.store, 2_000).await;

        let app = TestApp::serve(db).await;
        let owner = app.applicant(&enterprise_phones()[0]).await;
        let number = app.submitted_case(&owner, "440511-RSJ-005").await;
        assert_eq!(app.db.store.count_cases().await.unwrap(), 2_001);
        assert!(app.db.store.case(&number).await.is_ok());
    }
}

/// The same seed gives the same cases, another seed others; a volume wants an empty database.
/// (Applicants' ids are drawn afresh for each database, so hashes differ; the cases do not.)
#[tokio::test]
async fn a_volume_is_determined_by_its_seed() {
    let mut volumes = Vec::new();
    for seed in [5, 5, 6] {
        let db = TestDb::sqlite().await;
        onewindow_server::seed::volume(&db.store, KEY, 200, seed)
            .await
            .expect("volume seed");
        let rows = sqlx::query(
            "SELECT number, item_code, status, due_on, event_count, updated_ms FROM cases ORDER BY number",
        )
        .fetch_all(db.store.pool())
        .await
        .unwrap();
        let cases: Vec<(String, String, String, Option<String>, i64, i64)> = rows
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5)))
            .collect();
        assert_eq!(cases.len(), 200);
        volumes.push(cases);
        if seed == 6 {
            let again = onewindow_server::seed::volume(&db.store, KEY, 10, seed).await;
            assert!(again.is_err(), "a second volume on the same database");
            assert_eq!(db.store.count_cases().await.unwrap(), 200);
        }
    }
    assert!(volumes[0] == volumes[1], "the same seed gave other cases");
    assert!(volumes[0] != volumes[2], "another seed gave the same cases");
}

/// The demo's history is the same generator with the demo's seed.
#[tokio::test]
async fn the_demo_history_imports_whole() {
    let db = TestDb::sqlite().await;
    onewindow_server::seed::demo(&db.store, KEY, 1_000)
        .await
        .expect("demo seed");
    assert_history_is_a_centres(&db.store, 1_000).await;
}

//! The demo centre's year of history looks like a working centre's: about a tenth of the cases
//! still open today, some of them past their deadline.

use chrono::{Duration, Utc};
use onewindow_domain::case::CaseStatus;
use onewindow_store::testing::TestDb;
use onewindow_store::{CaseFilter, InboxScope};

/// Open: not yet handed out, refused or withdrawn.
const OPEN: [&str; 6] = [
    "submitted",
    "awaiting_supplement",
    "in_progress",
    "suspended",
    "approved",
    "denied",
];

#[tokio::test]
async fn about_a_tenth_of_the_history_is_open_and_some_of_it_overdue() {
    let db = TestDb::sqlite().await;
    onewindow_server::seed::demo(&db.store, b"test key", 2_000)
        .await
        .expect("demo seed");
    let counts = db
        .store
        .status_counts(&InboxScope::Centre, None)
        .await
        .unwrap();
    let total: i64 = counts.iter().map(|c| c.count).sum();
    assert_eq!(total, 2_000);
    let open: i64 = counts
        .iter()
        .filter(|c| OPEN.contains(&c.status.as_str()))
        .map(|c| c.count)
        .sum();
    let share = open as f64 / total as f64;
    assert!(
        (0.06..=0.14).contains(&share),
        "open share {share:.3}: {counts:?}"
    );
    let today = (Utc::now() + Duration::hours(8)).date_naive();
    let overdue = db
        .store
        .list_cases(
            &InboxScope::Centre,
            &CaseFilter {
                status: Some(CaseStatus::InProgress),
                due_to: today.pred_opt(),
                ..CaseFilter::default()
            },
            None,
            200,
        )
        .await
        .unwrap();
    assert!(!overdue.items.is_empty(), "no open case is overdue");
}

/// The history goes in through the store's import on both engines, chains and counts intact.
#[tokio::test]
async fn the_history_imports_whole_on_both_engines() {
    for db in TestDb::each().await {
        let engine = db.store.engine();
        onewindow_server::seed::demo(&db.store, b"test key", 300)
            .await
            .expect("demo seed");
        assert_eq!(db.store.count_cases().await.unwrap(), 300, "{engine:?}");
        let kept: i64 = db
            .store
            .case_counts()
            .await
            .unwrap()
            .iter()
            .map(|c| c.3)
            .sum();
        assert_eq!(kept, 300, "{engine:?}");
        let report = db.store.verify_chains(|_| {}).await.unwrap();
        assert!(report.broken.is_empty(), "{engine:?}: {:?}", report.broken);
        assert_eq!(report.chains, 301, "{engine:?}");
    }
}

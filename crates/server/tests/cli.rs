//! The binary's commands on an empty database: a real centre is never the demo by accident.

mod common;

use common::cli::{onewindow, text};
use onewindow_store::testing::TestDb;

#[tokio::test]
async fn serve_refuses_a_database_without_a_centre_and_seeding_is_asked_for_on_both_engines() {
    for db in TestDb::each().await {
        let engine = db.engine();
        let served = onewindow(&db.url, &["serve", "--listen", "127.0.0.1:0"]);
        assert!(!served.status.success(), "{engine:?}: {}", text(&served));
        assert!(
            text(&served).contains("holds no centre"),
            "{engine:?}: {}",
            text(&served)
        );
        assert!(!db.store.has_cases().await.unwrap());
        assert_eq!(db.store.centre_region().await.unwrap(), None, "{engine:?}");

        // `make run`'s seeding: the first time it loads the demo, then it leaves the centre be.
        let seeded = onewindow(&db.url, &["seed", "demo", "--if-empty", "--cases", "0"]);
        assert!(seeded.status.success(), "{engine:?}: {}", text(&seeded));
        assert!(db.store.centre_region().await.unwrap().is_some());
        let staff = db.snapshot().await;
        let again = onewindow(&db.url, &["seed", "demo", "--if-empty", "--cases", "0"]);
        assert!(again.status.success(), "{engine:?}: {}", text(&again));
        assert!(text(&again).contains("nothing seeded"), "{}", text(&again));
        assert!(db.snapshot().await == staff, "{engine:?}: nothing changed");
    }
}

//! The binary's commands on an empty database: a real centre is never the demo by accident.

mod common;

use common::cli::{command, onewindow, text};
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

/// A database restored without its data key: every command refuses to run rather than seal new
/// data with another key and fail on every applicant's log-in.
#[tokio::test]
async fn another_data_key_is_refused_on_both_engines() {
    for db in TestDb::each().await {
        let engine = db.engine();
        let seeded = onewindow(&db.url, &["seed", "demo", "--cases", "0"]);
        assert!(seeded.status.success(), "{engine:?}: {}", text(&seeded));
        let before = db.snapshot().await;
        for args in [
            &["serve", "--listen", "127.0.0.1:0"][..],
            &["seed", "demo", "--if-empty"][..],
            &["supervise"][..],
        ] {
            let refused = command(&db.url)
                .env("ONEWINDOW_DATA_KEY", "a key from somewhere else")
                .args(args)
                .output()
                .unwrap();
            assert!(!refused.status.success(), "{engine:?} {args:?}");
            assert!(
                text(&refused).contains("not the one this database"),
                "{engine:?} {args:?}: {}",
                text(&refused)
            );
        }
        assert!(db.snapshot().await == before, "{engine:?}: nothing changed");
    }
}

/// A development SQLite database gets its key generated beside it, readable by its owner only.
#[test]
fn a_generated_key_file_is_the_owners_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir().join(format!("ow-key-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let database = format!("sqlite://{}/centre.db", dir.display());
    let done = command(&database)
        .env_remove("ONEWINDOW_DATA_KEY")
        .arg("migrate")
        .output()
        .unwrap();
    assert!(done.status.success(), "{}", text(&done));
    let mode = std::fs::metadata(dir.join("data-key"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    std::fs::remove_dir_all(dir).unwrap();
}

//! `onewindow backup` while the centre is written, and `onewindow restore` into an empty
//! database: the copy is consistent (its chains verify), a copy taken at rest restores every row
//! of every table, and a database that holds data is never overwritten.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use common::TestApp;
use common::cli::{onewindow, text};
use onewindow_store::testing::TestDb;
use reqwest::Method;
use serde_json::json;

/// The cases of the database at `url`, read through a connection of its own: a restore replaces
/// what a connection opened before it would still read.
async fn cases(url: &str) -> i64 {
    let store = onewindow_store::Store::connect(url).await.unwrap();
    let n = store.count_cases().await.unwrap() as i64;
    store.close().await;
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_load_restores_whole_on_both_engines() {
    for db in TestDb::each().await {
        let engine = db.engine();
        let app = Arc::new(TestApp::start(db).await);
        // The load: a clerk registering walk-in applications (submitted at once, so no draft
        // quota stops it) for the enterprise of the first demo phone.
        let clerk = app.staff("clerk.a01").await;
        let (s, found) = app
            .get(&clerk, "/api/v1/applicants?identifier=91440511MA50X7T0X9")
            .await;
        assert_eq!(s, reqwest::StatusCode::OK, "{found}");
        let applicant = found[0]["id"].clone();
        let stop = Arc::new(AtomicBool::new(false));
        let written = Arc::new(AtomicUsize::new(0));
        let load = {
            let (app, stop, written) = (app.clone(), stop.clone(), written.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::SeqCst) {
                    let body = json!({"item": "440511-RSJ-005", "applicant": applicant});
                    let (s, answer) = app
                        .send(&clerk, Method::POST, "/api/v1/cases", Some(&body))
                        .await;
                    assert!(s.is_success(), "{s}: {answer}");
                    written.fetch_add(1, Ordering::SeqCst);
                }
            })
        };
        while written.load(Ordering::SeqCst) < 20 {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let dir = std::env::temp_dir().join(format!("ow-backup-{}", fastrand::u64(..)));
        std::fs::create_dir_all(&dir).unwrap();
        let under_load = dir.join("under-load.backup");
        let done = onewindow(
            &app.db.url,
            &["backup", "--to", under_load.to_str().unwrap()],
        );
        assert!(done.status.success(), "{engine:?}: {}", text(&done));
        let during = written.load(Ordering::SeqCst);
        stop.store(true, Ordering::SeqCst);
        load.await.unwrap();
        assert!(
            written.load(Ordering::SeqCst) > during || during > 20,
            "load ran"
        );

        // Restored, the copy taken under load is whole: every chain verifies.
        let target = TestDb::each()
            .await
            .into_iter()
            .find(|t| t.engine() == engine)
            .unwrap();
        let restored = onewindow(
            &target.url,
            &["restore", "--from", under_load.to_str().unwrap()],
        );
        assert!(restored.status.success(), "{engine:?}: {}", text(&restored));
        let verified = onewindow(&target.url, &["audit", "verify"]);
        assert!(verified.status.success(), "{engine:?}: {}", text(&verified));
        let (copied, live) = (cases(&target.url).await, cases(&app.db.url).await);
        assert!(
            copied >= 20 && copied <= live,
            "{engine:?}: {copied} of {live}"
        );

        // At rest, the copy is the database, row for row.
        let at_rest = dir.join("at-rest.backup");
        let done = onewindow(&app.db.url, &["backup", "--to", at_rest.to_str().unwrap()]);
        assert!(done.status.success(), "{}", text(&done));
        let again = onewindow(&app.db.url, &["backup", "--to", at_rest.to_str().unwrap()]);
        assert!(!again.status.success(), "a backup never overwrites a file");
        let second = TestDb::each()
            .await
            .into_iter()
            .find(|t| t.engine() == engine)
            .unwrap();
        let restored = onewindow(
            &second.url,
            &["restore", "--from", at_rest.to_str().unwrap()],
        );
        assert!(restored.status.success(), "{engine:?}: {}", text(&restored));
        // The restore went through its own connections: read what they wrote afresh.
        let fresh = onewindow_store::Store::connect(&second.url).await.unwrap();
        let copy = TestDb::snapshot_of(&fresh).await;
        assert!(
            copy == app.db.snapshot().await,
            "{engine:?}: restored row for row"
        );

        // A database that holds data is never overwritten.
        let before = app.db.snapshot().await;
        let refused = onewindow(
            &app.db.url,
            &["restore", "--from", at_rest.to_str().unwrap()],
        );
        assert!(!refused.status.success());
        assert!(text(&refused).contains("holds data"), "{}", text(&refused));
        assert!(app.db.snapshot().await == before);
        std::fs::remove_dir_all(dir).unwrap();
    }
}

//! `onewindow rekey`: a centre moved to a new data key keeps every applicant findable and
//! readable, every chain verifies under the new key, and the old key is refused.

mod common;

use common::KEY;
use common::cli::{command, onewindow, text};
use onewindow_store::crypto::{Seal, Vault};
use onewindow_store::testing::TestDb;

const NEW_KEY: &str = "a new data key of at least thirty-two characters";

#[tokio::test]
async fn a_new_data_key_reseals_everything_on_both_engines() {
    for db in TestDb::each().await {
        let engine = db.engine();
        let store = db.store.clone().with_seal(Seal::from_secret(KEY));
        onewindow_server::seed::demo(&store, KEY, 120)
            .await
            .unwrap();
        let two_days_ago = chrono::Utc::now().date_naive() - chrono::Days::new(2);
        store.take_census("440511", two_days_ago).await.unwrap();
        let phone = "13402028295";
        let before = store
            .applicant_by_phone(&Vault::from_secret(KEY), phone)
            .await
            .unwrap()
            .expect("a demo applicant");

        let file = std::env::temp_dir().join(format!("ow-new-key-{}", fastrand::u64(..)));
        std::fs::write(&file, format!("{NEW_KEY}\n")).unwrap();
        let done = onewindow(
            &db.url,
            &["rekey", "--new-key-file", file.to_str().unwrap()],
        );
        assert!(done.status.success(), "{engine:?}: {}", text(&done));
        assert!(text(&done).contains("new key in place"), "{}", text(&done));

        let new = Vault::from_secret(NEW_KEY.as_bytes());
        let after = store.applicant_by_phone(&new, phone).await.unwrap();
        assert_eq!(after.map(|a| a.id), Some(before.id.clone()), "{engine:?}");
        assert!(
            store
                .applicant_by_phone(&Vault::from_secret(KEY), phone)
                .await
                .unwrap()
                .is_none(),
            "{engine:?}: the old key finds no one"
        );
        let verified = command(&db.url)
            .env("ONEWINDOW_DATA_KEY", NEW_KEY)
            .args(["audit", "verify"])
            .output()
            .unwrap();
        assert!(verified.status.success(), "{engine:?}: {}", text(&verified));
        let old = onewindow(&db.url, &["audit", "verify"]);
        assert!(!old.status.success(), "{engine:?}: the old key is refused");
        assert!(
            text(&old).contains("not the one this database"),
            "{}",
            text(&old)
        );
    }
}

/// A SQLite centre whose key is the file beside it: the file gets the new key.
#[tokio::test]
async fn the_key_file_beside_a_sqlite_centre_gets_the_new_key() {
    let db = TestDb::sqlite().await;
    let key_file =
        std::path::Path::new(db.url.strip_prefix("sqlite://").unwrap()).with_file_name("data-key");
    std::fs::write(&key_file, KEY).unwrap();
    let store = db.store.clone().with_seal(Seal::from_secret(KEY));
    onewindow_server::seed::demo(&store, KEY, 20).await.unwrap();
    let file = key_file.with_file_name("new-key");
    std::fs::write(&file, NEW_KEY).unwrap();
    let done = command(&db.url)
        .env_remove("ONEWINDOW_DATA_KEY")
        .args(["rekey", "--new-key-file", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(done.status.success(), "{}", text(&done));
    assert_eq!(std::fs::read_to_string(&key_file).unwrap(), NEW_KEY);
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let verified = command(&db.url)
        .env_remove("ONEWINDOW_DATA_KEY")
        .args(["audit", "verify"])
        .output()
        .unwrap();
    assert!(verified.status.success(), "{}", text(&verified));
}

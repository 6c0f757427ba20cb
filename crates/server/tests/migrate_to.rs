//! `onewindow migrate-to`: a SQLite centre with a year of history moves to PostgreSQL with every
//! row, file and chain intact, read back value for value.

mod common;

use common::KEY;
use common::cli::{onewindow, text};
use onewindow_store::crypto::Seal;
use onewindow_store::testing::{TestDb, rows_of};

#[tokio::test]
async fn a_sqlite_centre_moves_to_postgresql_whole() {
    let Some(target) = TestDb::postgres().await else {
        return;
    };
    let source = TestDb::sqlite().await;
    let store = source.store.clone().with_seal(Seal::from_secret(KEY));
    onewindow_server::seed::demo(&store, KEY, 300)
        .await
        .unwrap();
    let yesterday = chrono::Utc::now().date_naive() - chrono::Days::new(2);
    assert!(store.take_census("440511", yesterday).await.unwrap() > 0);
    let files: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM file_blobs")
        .fetch_one(source.store.pool())
        .await
        .unwrap();
    assert!(files > 0, "the history carries files");

    let moved = onewindow(&source.url, &["migrate-to", "--to", &target.url]);
    assert!(moved.status.success(), "{}", text(&moved));
    assert!(text(&moved).contains("rows copied"), "{}", text(&moved));
    assert_eq!(rows_of(&target.store).await, rows_of(&source.store).await);
    let verified = onewindow(&target.url, &["audit", "verify"]);
    assert!(verified.status.success(), "{}", text(&verified));
    assert!(
        text(&verified).contains("every chain is intact"),
        "{}",
        text(&verified)
    );

    // A database that holds a centre is never written over.
    let again = onewindow(&source.url, &["migrate-to", "--to", &target.url]);
    assert!(!again.status.success());
    assert!(text(&again).contains("holds data"), "{}", text(&again));
}

//! A PostgreSQL on another machine is reached over TLS when the URL asks for it
//! (`sslmode=require`, or `verify-full` with the server's CA in the system's store).

use onewindow_store::Store;
use onewindow_store::testing::TestDb;

#[tokio::test]
async fn a_url_that_asks_for_tls_gets_an_encrypted_connection() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let url = format!(
        "{}{}sslmode=require",
        db.url,
        if db.url.contains('?') { '&' } else { '?' }
    );
    let store = Store::connect(&url).await.expect("TLS to PostgreSQL");
    let encrypted: bool =
        sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            .fetch_one(store.pool())
            .await
            .unwrap();
    assert!(encrypted, "the connection is encrypted");
    store.close().await;
}

//! `audit verify` against someone who can write the database (ADR 0037): a changed field of any
//! event, a removed last event (with or without the case row made to agree), a case row's state
//! changed, a seal removed, a changed or truncated audit log. Each is found and named.

mod common;

use common::TestApp;
use onewindow_store::crypto::Seal;
use onewindow_store::testing::TestDb;
use serde_json::json;

const ITEM: &str = "440511-RSJ-001";

async fn sql(store: &onewindow_store::Store, statement: &str, number: &str) {
    sqlx::query(sqlx::AssertSqlSafe(statement.to_owned()))
        .bind(number.to_owned())
        .execute(store.pool())
        .await
        .unwrap();
}

#[tokio::test]
async fn every_kind_of_tampering_is_found_on_both_engines() {
    for db in TestDb::each().await {
        let engine = db.engine();
        let app = TestApp::start(db).await;
        // The server's store seals with the key it was given; verification needs the same.
        let store = app
            .db
            .store
            .clone()
            .with_seal(Seal::from_secret(common::KEY));
        let owner = app.applicant("13402028295").await;
        let clerk = app.staff("clerk.a01").await;
        let mut cases = Vec::new();
        for _ in 0..6 {
            let number = app.submitted_case(&owner, ITEM).await;
            let (s, body) = app.accept(&clerk, &number, json!([])).await;
            assert!(s.is_success(), "{engine:?}: {body}");
            cases.push(number);
        }
        assert_eq!(
            store.seal_unsealed().await.unwrap(),
            0,
            "the server sealed all"
        );
        let report = store.verify_chains(|_| {}).await.unwrap();
        assert!(report.broken.is_empty(), "{engine:?}: {:?}", report.broken);
        assert_eq!(report.unsealed, 0);

        // An event's column outside its payload: the window it was done at.
        sql(
            &store,
            "UPDATE case_events SET window_code = 'B01' WHERE case_number = $1 AND seq = 1",
            &cases[0],
        )
        .await;
        // The last event removed.
        sql(&store, "DELETE FROM case_events WHERE case_number = $1 AND seq = (SELECT MAX(seq) FROM case_events WHERE case_number = $1)", &cases[1]).await;
        // The last event removed, and the case row's count and head made to agree: only the
        // seal, which needs the key, tells.
        sql(&store, "DELETE FROM case_events WHERE case_number = $1 AND seq = (SELECT MAX(seq) FROM case_events WHERE case_number = $1)", &cases[2]).await;
        sql(&store, "UPDATE cases SET event_count = event_count - 1, last_hash = (SELECT hash FROM case_events WHERE case_number = $1 AND seq = cases.event_count - 1) WHERE number = $1", &cases[2]).await;
        // The case row's state disagrees with its events: refused, though they say accepted.
        sql(
            &store,
            "UPDATE cases SET status = 'refused' WHERE number = $1",
            &cases[3],
        )
        .await;
        // Or its state says another window accepted it.
        sql(
            &store,
            "UPDATE cases SET state = REPLACE(state, '\"A01\"', '\"B01\"') WHERE number = $1",
            &cases[4],
        )
        .await;
        // A seal removed, to pass for a row written before seals.
        sql(
            &store,
            "UPDATE cases SET head_seal = NULL WHERE number = $1",
            &cases[5],
        )
        .await;
        // The audit log: its first entry changed, its last removed.
        sqlx::query("UPDATE audit_log SET actor_id = 'someone' WHERE seq = 1")
            .execute(store.pool())
            .await
            .unwrap();
        sqlx::query("DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)")
            .execute(store.pool())
            .await
            .unwrap();

        let report = store.verify_chains(|_| {}).await.unwrap();
        let found: Vec<(String, &str)> = report
            .broken
            .iter()
            .map(|b| (b.chain.clone(), b.what))
            .collect();
        let expected = [
            ("audit".to_owned(), "link"),
            ("audit".to_owned(), "head_seal"),
            (cases[0].clone(), "link"),
            (cases[1].clone(), "head"),
            (cases[2].clone(), "head_seal"),
            (cases[3].clone(), "state_seal"),
            (cases[4].clone(), "state_seal"),
            (cases[5].clone(), "unsealed"),
        ];
        assert_eq!(found, expected, "{engine:?}");

        // Without the key, the heads cannot be checked: the case made to agree passes for whole.
        let report = app.db.store.verify_chains(|_| {}).await.unwrap();
        assert!(
            !report.broken.iter().any(|b| b.chain == cases[2]),
            "{engine:?}"
        );
    }
}

/// A case deleted whole, with its events, files and seals: its day's sealed census of case
/// numbers is short. A census removed from the middle or the end is found too.
#[tokio::test]
async fn a_case_deleted_whole_is_missed_by_its_days_census_on_both_engines() {
    for db in TestDb::each().await {
        let engine = db.engine();
        let store = db.store.clone().with_seal(Seal::from_secret(common::KEY));
        onewindow_server::seed::demo(&store, common::KEY, 150)
            .await
            .unwrap();
        let today = chrono::Utc::now().date_naive();
        let days = store
            .take_census("440511", today - chrono::Days::new(2))
            .await
            .unwrap();
        assert!(days > 300, "{engine:?}: a year of days, {days}");
        assert_eq!(
            store
                .take_census("440511", today - chrono::Days::new(2))
                .await
                .unwrap(),
            0
        );
        let report = store.verify_chains(|_| {}).await.unwrap();
        assert!(report.broken.is_empty(), "{engine:?}: {:?}", report.broken);

        let numbers: Vec<String> = sqlx::query_scalar("SELECT number FROM cases ORDER BY number")
            .fetch_all(store.pool())
            .await
            .unwrap();
        let victim = &numbers[10];
        for statement in [
            "DELETE FROM case_files WHERE case_number = $1",
            "DELETE FROM partial_event_links WHERE case_number = $1",
            "DELETE FROM case_events WHERE case_number = $1",
            "DELETE FROM cases WHERE number = $1",
        ] {
            sql(&store, statement, victim).await;
        }
        let victim_day: i64 = victim[7..15].parse().unwrap();
        // A census from the middle, and the last one.
        let census: Vec<String> = sqlx::query_scalar("SELECT day FROM case_census ORDER BY day")
            .fetch_all(store.pool())
            .await
            .unwrap();
        let middle = &census[census.len() / 2];
        sql(&store, "DELETE FROM case_census WHERE day = $1", middle).await;
        sql(
            &store,
            "DELETE FROM case_census WHERE day = $1",
            census.last().unwrap(),
        )
        .await;
        let after_middle: i64 = census[census.len() / 2 + 1]
            .replace('-', "")
            .parse()
            .unwrap();

        let report = store.verify_chains(|_| {}).await.unwrap();
        let found: Vec<(&str, i64, &str)> = report
            .broken
            .iter()
            .map(|b| (b.chain.as_str(), b.seq, b.what))
            .collect();
        assert_eq!(
            found,
            [
                ("census 440511", victim_day, "census"),
                ("census 440511", after_middle, "census_seal"),
                ("census 440511", 0, "census_head"),
            ],
            "{engine:?}"
        );
    }
}

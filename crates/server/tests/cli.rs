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
        let empty = command(&db.url)
            .env("ONEWINDOW_DATA_KEY", "")
            .args(["supervise"])
            .output()
            .unwrap();
        assert!(!empty.status.success());
        assert!(text(&empty).contains("set but empty"), "{}", text(&empty));
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

/// `--log-format json`: every log line is a JSON object, and each request has an access line
/// with its route as declared (no case number in it), status, duration and the id its answer
/// carries; SIGTERM then stops the server cleanly.
#[tokio::test]
async fn json_logs_carry_an_access_line_per_request() {
    use std::io::BufRead;
    let db = TestDb::sqlite().await;
    let seeded = onewindow(&db.url, &["seed", "demo", "--cases", "0"]);
    assert!(seeded.status.success(), "{}", text(&seeded));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let listen = format!("127.0.0.1:{port}");
    let mut server = command(&db.url)
        .env("RUST_LOG", "info")
        .args(["--log-format", "json", "serve", "--listen", &listen])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let url = format!("http://{listen}/api/v1/items/440511-RSJ-005");
    let mut answer = None;
    for _ in 0..200 {
        if let Ok(r) = reqwest::get(&url).await {
            answer = Some(r);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let answer = answer.expect("the server answered");
    assert_eq!(answer.status(), reqwest::StatusCode::OK);
    let id = answer.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let term = std::process::Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let stderr = server.stderr.take().unwrap();
    let lines: Vec<serde_json::Value> = std::io::BufReader::new(stderr)
        .lines()
        .map(|l| serde_json::from_str(&l.unwrap()).expect("every line is JSON"))
        .collect();
    assert!(server.wait().unwrap().success(), "a clean stop");
    let access = lines
        .iter()
        .find(|l| l["fields"]["request_id"] == id.as_str())
        .expect("an access line for the request");
    assert_eq!(access["target"], "onewindow::access");
    assert_eq!(access["fields"]["route"], "GET /api/v1/items/{code}");
    assert_eq!(access["fields"]["status"], 200);
    assert!(access["fields"]["ms"].as_f64().unwrap() >= 0.0);
}

//! A real PostgreSQL hot standby behind `onewindow serve --read-database`: a primary cluster and
//! a standby made from it with `pg_basebackup`, each on a free local port of its own. With the
//! standby's replay paused, what the centre admin writes is on the primary at once (their own
//! reads and the writes that depend on it go there), while anonymous public reads come from the
//! standby and show it only once replay resumes.
//!
//! The clusters are made with the machine's PostgreSQL server programs (`pg_config --bindir`),
//! as the `postgres` user when the test runs as root. Under `CI=true` they are required.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::PASSWORD;
use common::cli::{onewindow, text};
use common::server::Server;
use onewindow_store::testing::TestDb;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn public_reads_come_from_the_standby_and_writes_from_the_primary() {
    let Some(bin) = server_programs() else {
        return;
    };
    let dir = Scratch::new();
    let primary = Cluster::init(&bin, &dir.0.join("primary"));
    primary.start();
    primary.psql("postgres", "CREATE DATABASE centre");
    let primary_url = primary.url("centre");
    let seeded = onewindow(&primary_url, &["seed", "demo", "--cases", "20"]);
    assert!(seeded.status.success(), "{}", text(&seeded));
    let standby = primary.base_backup(&dir.0.join("standby"));
    standby.start();
    let standby_url = standby.url("centre");

    let server = Server::start(&primary_url, &["--read-database", &standby_url]).await;
    let anonymous = Client::new();
    let public = |c: &Client| {
        let url = format!("{}/api/v1/organisation", server.base);
        let c = c.clone();
        async move {
            let r = c.get(url).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::OK);
            has_department(&r.json::<Value>().await.unwrap(), "YJJ")
        }
    };
    assert!(!public(&anonymous).await);

    standby.psql("centre", "SELECT pg_wal_replay_pause()");
    let admin = Client::builder().cookie_store(true).build().unwrap();
    let logged_in = admin
        .post(format!("{}/api/v1/auth/staff/login", server.base))
        .json(&json!({"username": "admin", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(logged_in.status(), StatusCode::OK);
    let department = json!({
        "code": "YJJ", "name": "金平区应急管理局", "short_name": "区应急局",
        "section": "行政审批科", "phone": "0754-88639199",
        "theme": "business_licensing", "via_comprehensive_service": false
    });
    let create = |path: &str, body: Value| {
        let request = admin
            .post(format!("{}/api/v1/{path}", server.base))
            .json(&body);
        async move {
            let created = request.send().await.unwrap();
            let status = created.status();
            assert!(status.is_success(), "{}", created.text().await.unwrap());
        }
    };
    create("departments", department).await;
    // A write that reads what was just written: the window's department is found on the primary.
    let window = json!({
        "code": "F01", "hall": "H2", "name": "应急管理窗口", "kind": "department",
        "theme": null, "department": "YJJ", "issues_results": false
    });
    create("windows", window).await;
    assert!(public(&admin).await, "the admin reads their own write");
    assert!(
        !public(&anonymous).await,
        "an anonymous read came from the primary, not from the paused standby"
    );

    standby.psql("centre", "SELECT pg_wal_replay_resume()");
    let resumed = Instant::now();
    while !public(&anonymous).await {
        assert!(
            resumed.elapsed() < Duration::from_secs(10),
            "the standby never showed the new department"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let ready = anonymous
        .get(format!("{}/readyz", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_replica_is_refused_for_sqlite() {
    let db = TestDb::sqlite().await;
    let seeded = onewindow(&db.url, &["seed", "demo", "--cases", "0"]);
    assert!(seeded.status.success(), "{}", text(&seeded));
    let refused = onewindow(
        &db.url,
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--read-database",
            "postgres://postgres@127.0.0.1:5432/test",
        ],
    );
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("--read-database is a PostgreSQL streaming replica"),
        "{}",
        text(&refused)
    );
}

fn has_department(org: &Value, code: &str) -> bool {
    org["departments"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == code)
}

/// The folder of PostgreSQL's server programs, or `None` (outside CI) when they are missing.
fn server_programs() -> Option<PathBuf> {
    let found = Command::new("pg_config")
        .arg("--bindir")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
        .filter(|bin| bin.join("pg_basebackup").exists() && bin.join("initdb").exists());
    if found.is_none() {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "PostgreSQL's server programs (initdb, pg_basebackup) are required under CI=true"
        );
        eprintln!("skipping: PostgreSQL's server programs not found (pg_config --bindir)");
    }
    found
}

/// Whether the test runs as root: PostgreSQL's programs then run as the `postgres` user, as
/// they refuse to run as root.
fn root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

/// A folder for the clusters, removed at the end.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        let dir = std::env::temp_dir().join(format!("ow-replica-{}", fastrand::u64(..)));
        std::fs::create_dir(&dir).unwrap();
        if root() {
            run(Command::new("chown").arg("postgres").arg(&dir));
        }
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One PostgreSQL cluster of the test; stopped at once when dropped.
struct Cluster {
    bin: PathBuf,
    data: PathBuf,
    port: u16,
}

impl Cluster {
    /// A new primary cluster in `data`: trust on loopback, replication included (initdb's own
    /// pg_hba.conf).
    fn init(bin: &Path, data: &Path) -> Cluster {
        let cluster = Cluster {
            bin: bin.to_owned(),
            data: data.to_owned(),
            port: free_port(),
        };
        run(cluster
            .program("initdb")
            .args([
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "-D",
            ])
            .arg(data));
        cluster
    }

    /// A standby of this cluster in `data`, streaming from it (`pg_basebackup -R`).
    fn base_backup(&self, data: &Path) -> Cluster {
        run(self
            .program("pg_basebackup")
            .args(["-h", "127.0.0.1", "-U", "postgres", "-X", "stream", "-R"])
            .args(["-c", "fast", "-p", &self.port.to_string(), "-D"])
            .arg(data));
        Cluster {
            bin: self.bin.clone(),
            data: data.to_owned(),
            port: free_port(),
        }
    }

    fn start(&self) {
        let options = format!(
            "-c port={} -c listen_addresses=127.0.0.1 -c unix_socket_directories={} -c fsync=off",
            self.port,
            self.data.display()
        );
        run(self
            .program("pg_ctl")
            .args(["-w", "-o", &options, "-l"])
            .arg(self.data.join("log"))
            .arg("-D")
            .arg(&self.data)
            .arg("start"));
    }

    fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    fn psql(&self, database: &str, sql: &str) {
        run(self
            .program("psql")
            .args([
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-v",
                "ON_ERROR_STOP=1",
                "-qAt",
            ])
            .args(["-p", &self.port.to_string(), "-d", database, "-c", sql]));
    }

    /// One of PostgreSQL's programs, run as `postgres` when the test is root.
    fn program(&self, name: &str) -> Command {
        let path = self.bin.join(name);
        if root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self
            .program("pg_ctl")
            .args(["-m", "immediate", "-D"])
            .arg(&self.data)
            .arg("stop")
            .output();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

/// Runs a command to its end; panics with what it printed when it fails.
fn run(command: &mut Command) {
    let out = command.output().expect("run a PostgreSQL program");
    assert!(
        out.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&[out.stdout, out.stderr].concat())
    );
}

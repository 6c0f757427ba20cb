//! The server under measurement: the release binary, on a database of its own, as an operator
//! runs it.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The data key the bench's databases are encrypted with (never a real centre's).
const DATA_KEY: &str = "onewindow bench data key";

#[derive(Clone)]
pub struct Binary(pub PathBuf);

/// How long `seed volume` took, in all and by stage (as it reports them, in seconds).
#[derive(Clone, Copy, Default)]
pub struct Seeded {
    pub total: Duration,
    /// Generating and inserting the cases with their logs (the rest of the total seeds the demo
    /// centre).
    pub loading: f64,
    /// Building the indexes dropped for the load: how many, and their time together.
    pub indexes: (usize, f64),
    /// Folding the write-ahead log (SQLite) or vacuuming and gathering planner statistics
    /// (PostgreSQL).
    pub tidying: f64,
}

impl Seeded {
    /// Takes in one line of the seed's output: `<stage>: <seconds> s`.
    fn note(&mut self, line: &str) {
        let Some((stage, secs)) = line
            .rsplit_once(": ")
            .and_then(|(stage, t)| Some((stage, t.strip_suffix(" s")?.parse::<f64>().ok()?)))
        else {
            return;
        };
        if stage.starts_with("loading ") {
            // The demo centre's own cases load first: the stages kept are the volume's.
            *self = Seeded {
                loading: secs,
                ..Seeded::default()
            };
        } else if stage.starts_with("index ") {
            self.indexes.0 += 1;
            self.indexes.1 += secs;
        } else {
            self.tidying += secs;
        }
    }
}

impl Binary {
    fn command(&self, database: &str) -> Command {
        let mut c = Command::new(&self.0);
        c.args(["--database", database])
            .env_remove("DATABASE_URL")
            .env("ONEWINDOW_DATA_KEY", DATA_KEY)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null());
        c
    }

    /// `onewindow seed volume`: the demo centre with `cases` generated cases. Its progress bar
    /// shows on the terminal; the time of each stage, which it prints as a line, is kept.
    pub fn seed_volume(&self, database: &str, cases: u64) -> Seeded {
        let started = Instant::now();
        let mut child = self
            .command(database)
            .args(["seed", "volume", "--cases", &cases.to_string()])
            .stdout(Stdio::piped())
            .spawn()
            .expect("run onewindow seed volume");
        let mut seeded = Seeded::default();
        let out = BufReader::new(child.stdout.take().expect("piped stdout"));
        for line in out.lines().map_while(std::result::Result::ok) {
            println!("{line}");
            seeded.note(&line);
        }
        let status = child.wait().expect("wait for onewindow seed volume");
        assert!(status.success(), "onewindow seed volume failed: {status}");
        seeded.total = started.elapsed();
        seeded
    }

    /// `onewindow seed demo --if-empty`: the demo centre with its year of history, as `make run`
    /// loads it before serving.
    pub fn seed_demo(&self, database: &str) {
        let status = self
            .command(database)
            .args(["seed", "demo", "--if-empty"])
            .stdout(Stdio::null())
            .status()
            .expect("run onewindow seed demo");
        assert!(status.success(), "onewindow seed demo failed: {status}");
    }

    /// Starts `onewindow serve` and waits until `/readyz` answers; returns the server and how long
    /// that took from the process's start.
    pub async fn serve(&self, database: &str) -> (Server, Duration) {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let listen = format!("127.0.0.1:{port}");
        let started = Instant::now();
        let child = self
            .command(database)
            .args(["serve", "--listen", &listen])
            .spawn()
            .expect("start onewindow serve");
        let mut server = Server {
            child,
            base: format!("http://{listen}"),
        };
        let probe = reqwest::Client::new();
        loop {
            if let Some(status) = server.child.try_wait().expect("server status") {
                panic!("onewindow serve exited with {status}");
            }
            if let Ok(r) = probe.get(format!("{}/readyz", server.base)).send().await
                && r.status().is_success()
            {
                return (server, started.elapsed());
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "{}/readyz never answered",
                server.base
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

/// A running `onewindow serve`; killed when dropped.
pub struct Server {
    child: Child,
    pub base: String,
}

/// CPU time a process has used so far, and how often its threads gave up the CPU.
#[derive(Clone, Copy, Default)]
pub struct Cpu {
    pub user_s: f64,
    pub system_s: f64,
    pub switches: u64,
}

impl Cpu {
    /// Of the process `pid` ("self" for this one), from /proc.
    pub fn of(pid: &str) -> Cpu {
        // Fields 14 and 15 of /proc/PID/stat, after the parenthesised command name, in clock
        // ticks of 1/100 s (CLK_TCK on Linux).
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .map_or(vec![], |(_, rest)| rest.split_whitespace().collect());
        let ticks = |i: usize| {
            fields
                .get(i)
                .and_then(|f| f.parse::<f64>().ok())
                .unwrap_or(0.0)
                / 100.0
        };
        let mut switches = 0;
        if let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) {
            for task in tasks.flatten() {
                let status =
                    std::fs::read_to_string(task.path().join("status")).unwrap_or_default();
                switches += status
                    .lines()
                    .filter(|l| l.contains("ctxt_switches:"))
                    .filter_map(|l| l.split_whitespace().last()?.parse::<u64>().ok())
                    .sum::<u64>();
            }
        }
        // After the name: state is field 3, so utime (14) and stime (15) are at 11 and 12.
        Cpu {
            user_s: ticks(11),
            system_s: ticks(12),
            switches,
        }
    }

    pub fn since(self, before: Cpu) -> Cpu {
        Cpu {
            user_s: self.user_s - before.user_s,
            system_s: self.system_s - before.system_s,
            switches: self.switches.saturating_sub(before.switches),
        }
    }
}

/// How busy the machine's cores were over a stretch of time: all its processes, the server and
/// the load generator, each as a fraction of every core's time.
#[derive(Clone, Copy, Default)]
pub struct Usage {
    pub machine: f64,
    pub server: f64,
    pub bench: f64,
}

/// The start of a [`Usage`] measurement.
pub struct UsageSince {
    machine: (f64, f64),
    server: Cpu,
    bench: Cpu,
}

/// The machine's (busy, all) CPU seconds since boot, from the first line of /proc/stat: busy
/// is everything but idle and waiting for the disk.
fn machine_cpu() -> (f64, f64) {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let ticks: Vec<f64> = stat
        .lines()
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .skip(1)
        .filter_map(|t| t.parse().ok())
        .collect();
    let all: f64 = ticks.iter().sum();
    let idle = ticks.get(3).unwrap_or(&0.0) + ticks.get(4).unwrap_or(&0.0);
    ((all - idle) / 100.0, all / 100.0)
}

impl UsageSince {
    pub fn now(server: &Server) -> UsageSince {
        UsageSince {
            machine: machine_cpu(),
            server: server.cpu(),
            bench: Cpu::of("self"),
        }
    }

    pub fn usage(&self, server: &Server) -> Usage {
        let (busy, all) = machine_cpu();
        let all = (all - self.machine.1).max(0.01);
        let share = |c: Cpu| (c.user_s + c.system_s) / all;
        Usage {
            machine: (busy - self.machine.0) / all,
            server: share(server.cpu().since(self.server)),
            bench: share(Cpu::of("self").since(self.bench)),
        }
    }
}

impl Server {
    pub fn cpu(&self) -> Cpu {
        Cpu::of(&self.child.id().to_string())
    }

    /// Resident memory now, in MiB (VmRSS).
    pub fn rss_mib(&self) -> f64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default()
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|l| l.trim().trim_end_matches(" kB").parse::<f64>().ok())
            .map_or(0.0, |kib| kib / 1024.0)
    }

    /// Stops the server as an operator's restart does (SIGTERM), waiting for it to exit.
    pub fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A SQLite database URL for a file under `dir`.
pub fn sqlite_url(dir: &Path, name: &str) -> (PathBuf, String) {
    let path = dir.join(name);
    let url = format!("sqlite://{}", path.display());
    (path, url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_stages_are_read_from_its_lines() {
        let mut seeded = Seeded::default();
        for line in [
            "seeding the demo centre: 25 departments, 29 windows, 67 items",
            "loading 20 cases: 0.1 s",
            "index cases_light: 0.1 s",
            "planner statistics: 0.1 s",
            "loading 1000 cases: 2.5 s",
            "index cases_light: 1.0 s",
            "index cases_applicant: 0.5 s",
            "folding the write-ahead log: 0.2 s",
        ] {
            seeded.note(line);
        }
        assert_eq!(seeded.loading, 2.5);
        assert_eq!(seeded.indexes, (2, 1.5));
        assert_eq!(seeded.tidying, 0.2);
    }
}

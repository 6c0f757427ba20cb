//! What the figures were measured on, and the lowest limit of all: how many durable writes the
//! disk takes per second.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

pub struct Machine {
    pub cpu: String,
    pub cores: usize,
    pub memory_gib: f64,
    pub kernel: String,
    pub filesystem: String,
    pub rustc: String,
    pub commit: String,
    pub date: String,
}

impl Machine {
    pub fn read(dir: &Path) -> Machine {
        let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|l| l.strip_prefix("model name"))
            .map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned())
            .unwrap_or_else(|| "unknown".into());
        let memory_kib: f64 = fs::read_to_string("/proc/meminfo")
            .unwrap_or_default()
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|l| l.trim().trim_end_matches(" kB").parse().ok())
            .unwrap_or(0.0);
        let dirty = !output("git", &["status", "--porcelain", "--untracked-files=no"]).is_empty();
        Machine {
            cpu,
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            memory_gib: memory_kib / 1024.0 / 1024.0,
            kernel: fs::read_to_string("/proc/sys/kernel/osrelease")
                .unwrap_or_default()
                .trim()
                .to_owned(),
            filesystem: output(
                "df",
                &["--output=fstype,source", "-h", &dir.to_string_lossy()],
            )
            .lines()
            .nth(1)
            .unwrap_or("unknown")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" on "),
            rustc: output("rustc", &["--version"]),
            commit: format!(
                "{}{}",
                output("git", &["rev-parse", "--short=12", "HEAD"]),
                if dirty {
                    " (with uncommitted changes)"
                } else {
                    ""
                }
            ),
            date: chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
        }
    }
}

fn output(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

/// Appends 4 KiB and syncs it (`fdatasync`), again and again for `time`, in a file under `dir`:
/// the durable commits per second the disk allows one writer that waits for each.
pub fn fsyncs_per_second(dir: &Path, time: Duration) -> f64 {
    let path = dir.join("fsync-probe");
    let mut file = OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(true)
        .open(&path)
        .expect("create the fsync probe file");
    let block = [0x5a_u8; 4096];
    let started = Instant::now();
    let mut syncs = 0_u64;
    while started.elapsed() < time {
        file.write_all(&block).expect("write the probe");
        file.sync_data().expect("fdatasync the probe");
        syncs += 1;
    }
    let rate = syncs as f64 / started.elapsed().as_secs_f64();
    let _ = fs::remove_file(path);
    rate
}

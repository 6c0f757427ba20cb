//! docs/PERFORMANCE.md: the generated part between two markers is replaced by each run; what
//! people wrote around it stays.

use std::fmt::Write;
use std::time::Duration;

use crate::limits::{BATCH, LoopFigures};
use crate::load::{REQUESTS_PER_CASE, REQUESTS_PER_SUBMISSION};
use crate::machine::Machine;
use crate::scenarios::{Failures, Latency, S1, S2, S4, S5};
use crate::server::Seeded;
use crate::server::Usage;
use crate::supervision::S3;
use crate::tail::{PHASES, Tail};

pub const BEGIN: &str = "<!-- bench:begin (written by `make bench`; edit outside the markers) -->";
pub const END: &str = "<!-- bench:end -->";

/// Everything measured on one engine.
pub struct EngineRun {
    pub engine: &'static str,
    pub cores: usize,
    pub cases: u64,
    pub seeded: Seeded,
    pub limits: LoopFigures,
    pub pgbench: Option<Result<f64, String>>,
    /// The cheapest request the server answers (`GET /healthz`), 4 at a time.
    pub floor: Latency,
    /// A start on the demo centre's database, until ready.
    pub demo_ready: Duration,
    pub s1: S1,
    pub s2: S2,
    pub s3: S3,
    pub s4: S4,
    pub s5: S5,
}

pub struct Run {
    pub machine: Machine,
    pub fsyncs: f64,
    pub scale: &'static str,
    pub engines: Vec<EngineRun>,
}

/// A row of a figure table: what, measured, the limit it is divided by, the ratio, the target.
struct Row {
    figure: String,
    measured: String,
    limit: String,
    ratio: String,
    target: &'static str,
}

fn n(x: f64) -> String {
    // Thousands separated, as the targets are written.
    let whole = x.round() as i64;
    let digits = whole.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if whole < 0 { format!("-{out}") } else { out }
}

fn ms(x: f64) -> String {
    if x < 10.0 {
        format!("{x:.2} ms")
    } else {
        format!("{x:.1} ms")
    }
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// `measured / limit`, as a plain ratio.
fn ratio(measured: f64, limit: f64) -> String {
    if limit > 0.0 {
        format!("{:.2}", measured / limit)
    } else {
        "—".into()
    }
}

/// The row of a scenario's failed requests: no limit, only a count.
fn failed_row(f: &Failures, target: &'static str) -> Row {
    Row {
        figure: "failed requests".into(),
        measured: failures(f),
        limit: String::new(),
        ratio: String::new(),
        target,
    }
}

/// The row of how busy the cores were while a load ran: a machine at its limit queues every
/// request behind the others, whatever the code does.
fn usage_row(what: &str, u: &Usage) -> Row {
    Row {
        figure: format!(
            "the cores busy {what} (the server {:.0}%, the load generator {:.0}%, the rest the database and the system)",
            u.server * 100.0,
            u.bench * 100.0
        ),
        measured: format!("{:.0}%", u.machine * 100.0),
        limit: "100% (every core)".into(),
        ratio: format!("{:.2}", u.machine),
        target: "",
    }
}

fn failures(f: &Failures) -> String {
    match &f.first {
        Some(first) if f.count > 0 => format!(
            "{} (first: {})",
            n(f.count as f64),
            first.chars().take(160).collect::<String>()
        ),
        _ => n(f.count as f64),
    }
}

impl EngineRun {
    /// One durable commit, waited for: the shortest a write can take on this engine.
    fn commit_ms(&self) -> f64 {
        1000.0 / self.limits.one_per_commit
    }

    fn s1_rows(&self) -> Vec<Row> {
        let s1 = &self.s1;
        let writes = (s1.at_max.count as f64).max(1.0);
        let bare = self.commit_ms();
        let (limit_name, limit) = match &self.pgbench {
            Some(Ok(tps)) => ("pgbench TPC-B", *tps),
            _ => ("loop, 64 per commit", self.limits.batched),
        };
        vec![
            Row {
                figure: "writes/s at full speed (64 workers)".into(),
                measured: n(s1.writes_per_s),
                limit: format!("{} ({limit_name})", n(limit)),
                ratio: ratio(s1.writes_per_s, limit),
                target: if self.pgbench.is_some() {
                    "≥ pgbench TPS"
                } else {
                    ""
                },
            },
            Row {
                figure: "writes/s against one commit per write".into(),
                measured: n(s1.writes_per_s),
                limit: format!("{} (loop, 1 per commit)", n(self.limits.one_per_commit)),
                ratio: ratio(s1.writes_per_s, self.limits.one_per_commit),
                target: "",
            },
            Row {
                figure: "case lives/s (draft + 5 files + 6 transitions)".into(),
                measured: format!("{:.0}", s1.cases_per_s),
                limit: format!(
                    "{} (loop, 64 per commit, ÷ {REQUESTS_PER_CASE})",
                    n(self.limits.batched / REQUESTS_PER_CASE as f64)
                ),
                ratio: ratio(
                    s1.cases_per_s,
                    self.limits.batched / REQUESTS_PER_CASE as f64,
                ),
                target: if self.engine == "SQLite" {
                    "≥ 2,000 cases/s"
                } else {
                    ""
                },
            },
            Row {
                figure: "p99 per write at full speed".into(),
                measured: ms(s1.at_max.p99),
                limit: format!("{} (one bare commit)", ms(bare)),
                ratio: ratio(s1.at_max.p99, bare),
                target: "",
            },
            Row {
                figure: format!(
                    "p50 / p99 per write at half speed ({} writes/s)",
                    n(s1.half_rate)
                ),
                measured: format!("{} / {}", ms(s1.at_half.p50), ms(s1.at_half.p99)),
                limit: format!("{} (one bare commit)", ms(bare)),
                ratio: ratio(s1.at_half.p99, bare),
                target: "p99 ≤ 10 ms",
            },
            Row {
                figure: format!(
                    "server CPU per write at full speed: user + system ({} context switches per write)",
                    n(s1.server_cpu.switches as f64 / writes),
                ),
                measured: format!(
                    "{} + {}",
                    ms(s1.server_cpu.user_s * 1000.0 / writes),
                    ms(s1.server_cpu.system_s * 1000.0 / writes)
                ),
                limit: format!(
                    "{} (the cores' time per write at the loop's batched rate)",
                    ms(1000.0 * self.cores as f64 / self.limits.batched)
                ),
                ratio: ratio(
                    (s1.server_cpu.user_s + s1.server_cpu.system_s) * 1000.0 / writes,
                    1000.0 * self.cores as f64 / self.limits.batched,
                ),
                target: "",
            },
            usage_row("at full speed", &s1.usage_at_max),
            usage_row("at half speed", &s1.usage_at_half),
            failed_row(&s1.failures, ""),
        ]
    }

    fn s2_rows(&self) -> Vec<Row> {
        let s2 = &self.s2;
        let slowest = s2.ready.iter().max().copied().unwrap_or_default();
        vec![
            Row {
                figure: format!(
                    "{} submissions (draft + 5 files + submit), 64 at a time: submissions/s",
                    n(s2.submissions as f64)
                ),
                measured: n(s2.per_s),
                limit: format!(
                    "{} (loop, 64 per commit, ÷ {REQUESTS_PER_SUBMISSION})",
                    n(self.limits.batched / REQUESTS_PER_SUBMISSION as f64)
                ),
                ratio: ratio(
                    s2.per_s,
                    self.limits.batched / REQUESTS_PER_SUBMISSION as f64,
                ),
                target: "",
            },
            Row {
                figure: "p99 per request".into(),
                measured: ms(s2.latency.p99),
                limit: format!("{} (one bare commit)", ms(self.commit_ms())),
                ratio: ratio(s2.latency.p99, self.commit_ms()),
                target: "",
            },
            failed_row(&s2.failures, "0 errors"),
            Row {
                figure: format!(
                    "restart on {} cases until ready (slowest of {}: {})",
                    n((self.cases + s2.submissions) as f64),
                    s2.ready.len(),
                    s2.ready
                        .iter()
                        .map(|d| secs(*d))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                measured: secs(slowest),
                limit: format!("{} (restart on the demo centre)", secs(self.demo_ready)),
                ratio: ratio(slowest.as_secs_f64(), self.demo_ready.as_secs_f64()),
                target: "ready within 2 s",
            },
        ]
    }

    fn s3_rows(&self) -> Vec<Row> {
        let s3 = &self.s3;
        let write_time = |cases: u64| cases as f64 / self.limits.batched;
        vec![
            Row {
                figure: format!(
                    "pass over {} open cases when nothing changed (slowest of 5)",
                    n(s3.open as f64)
                ),
                measured: ms(s3.unchanged.as_secs_f64() * 1000.0),
                limit: format!("{} (one bare commit)", ms(self.commit_ms())),
                ratio: ratio(s3.unchanged.as_secs_f64() * 1000.0, self.commit_ms()),
                target: "≤ 50 ms",
            },
            Row {
                figure: format!("pass when {} turn red at once", n(s3.turned as f64)),
                measured: secs(s3.turning),
                limit: format!(
                    "{} (loop writes as many transitions)",
                    secs(Duration::from_secs_f64(write_time(s3.turned)))
                ),
                ratio: ratio(s3.turning.as_secs_f64(), write_time(s3.turned)),
                target: "≤ 1 s for 100,000",
            },
            Row {
                figure: format!(
                    "every open deadline again after a holiday is added ({} cases moved)",
                    n(s3.moved as f64)
                ),
                measured: secs(s3.recompute),
                limit: format!(
                    "{} (loop writes as many transitions)",
                    secs(Duration::from_secs_f64(write_time(s3.moved)))
                ),
                ratio: ratio(s3.recompute.as_secs_f64(), write_time(s3.moved)),
                target: "≤ 5 s",
            },
        ]
    }

    fn s4_rows(&self) -> Vec<Row> {
        let floor = self.floor.p99;
        let read = |figure: &str, l: &Latency, target: &'static str| Row {
            figure: format!("{figure} (p50 / p95 / p99)"),
            measured: format!("{} / {} / {}", ms(l.p50), ms(l.p95), ms(l.p99)),
            limit: format!("{} (p99 of GET /healthz)", ms(floor)),
            ratio: ratio(l.p99, floor),
            target,
        };
        let s4 = &self.s4;
        vec![
            read(
                "approver's inbox page, 20 rows by deadline",
                &s4.inbox,
                "p99 ≤ 10 ms",
            ),
            read("the inbox's tab counts", &s4.tabs, ""),
            read("supervisor's whole-centre inbox page", &s4.centre_inbox, ""),
            read(
                "dashboard: department × status × month, 12 months",
                &s4.dashboard,
                "p95 ≤ 100 ms",
            ),
            failed_row(&s4.failures, ""),
        ]
    }

    fn s5_rows(&self) -> Vec<Row> {
        let s5 = &self.s5;
        let bare = self.commit_ms();
        let mut rows = vec![
            Row {
                figure: format!(
                    "{} s at {} writes/s with {} staff polling their inbox every 2 s: p99 per write",
                    s5.time.as_secs(),
                    n(s5.rate),
                    s5.pollers
                ),
                measured: ms(s5.writes.p99),
                limit: format!("{} (one bare commit)", ms(bare)),
                ratio: ratio(s5.writes.p99, bare),
                target: "p99 ≤ 50 ms",
            },
            Row {
                figure: "p99 per inbox poll".into(),
                measured: ms(s5.polls.p99),
                limit: format!("{} (p99 of GET /healthz)", ms(self.floor.p99)),
                ratio: ratio(s5.polls.p99, self.floor.p99),
                target: "p99 ≤ 50 ms",
            },
            Row {
                figure: format!(
                    "p99 drift, last {} s window against the first ({})",
                    s5.window.as_secs(),
                    s5.window_p99
                        .iter()
                        .map(|p| ms(*p))
                        .collect::<Vec<_>>()
                        .join(" → ")
                ),
                measured: format!("{:+.0}%", s5.drift()),
                limit: String::new(),
                ratio: String::new(),
                target: "≤ 20%",
            },
            Row {
                figure: "server memory, highest RSS".into(),
                measured: format!("{:.0} MiB", s5.max_rss_mib),
                limit: "512 MiB (target)".into(),
                ratio: ratio(s5.max_rss_mib, 512.0),
                target: "≤ 512 MiB",
            },
            usage_row("during the soak", &s5.usage),
            failed_row(&s5.failures, ""),
        ];
        if let Some(waits) = &s5.waits {
            for (when, shares) in [
                (format!("the first {} s", s5.window.as_secs()), &waits.first),
                ("the whole soak".to_owned(), &waits.whole),
            ] {
                rows.push(Row {
                    figure: format!(
                        "what PostgreSQL's active connections were doing, {when} (sampled every 100 ms): {}",
                        crate::waits::line(shares, 5)
                    ),
                    measured: String::new(),
                    limit: String::new(),
                    ratio: String::new(),
                    target: "",
                });
            }
        }
        rows
    }
}

fn table(out: &mut String, title: &str, runs: &[EngineRun], rows: impl Fn(&EngineRun) -> Vec<Row>) {
    let _ = writeln!(out, "\n### {title}\n");
    let _ = writeln!(
        out,
        "| engine | figure | measured | limit (same run) | ratio | target |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|---:|---|");
    for run in runs {
        for r in rows(run) {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                run.engine,
                r.figure.replace('|', "\\|"),
                r.measured.replace('|', "\\|"),
                r.limit,
                r.ratio,
                r.target
            );
        }
    }
}

/// Where the requests of S1 at full speed, and the slowest 1% of each latency target's, spent
/// their time, by the server's `Server-Timing` header: mean milliseconds per request.
fn tails(out: &mut String, runs: &[EngineRun]) {
    let _ = writeln!(
        out,
        "\n### Where the time went (the server's `Server-Timing`, mean ms per request)\n"
    );
    let _ = writeln!(
        out,
        "| engine | requests | seen by the load | {} | rest of the server | the load behind schedule | the network and the client |",
        PHASES.join(" | ")
    );
    let _ = writeln!(out, "|---|---|---:|{}", "---:|".repeat(PHASES.len() + 3));
    for run in runs {
        let loads: [(&str, &str, &Tail); 5] = [
            ("S1 writes at full speed", "all", &run.s1.max_mean),
            ("S1 writes at half speed", "slowest", &run.s1.half_tail),
            ("S4 approver's inbox pages", "slowest", &run.s4.inbox_tail),
            ("S5 writes", "slowest", &run.s5.write_tail),
            ("S5 inbox polls", "slowest", &run.s5.poll_tail),
        ];
        for (what, which, tail) in loads {
            let split: Vec<String> = tail.split_ms().iter().map(|x| format!("{x:.1}")).collect();
            let _ = writeln!(
                out,
                "| {} | {what} ({which} {}) | {:.1} | {} |",
                run.engine,
                n(tail.count as f64),
                tail.seen_ms,
                split.join(" | ")
            );
        }
    }
}

impl Run {
    pub fn markdown(&self) -> String {
        let m = &self.machine;
        let mut out = String::new();
        let _ = writeln!(out, "{BEGIN}\n");
        let _ = writeln!(out, "## Latest run: {} ({})\n", m.date, self.scale);
        let _ = writeln!(
            out,
            "- Machine: {}, {} cores, {:.1} GiB; Linux {}; {}\n- Build: commit {}, {}, release profile",
            m.cpu, m.cores, m.memory_gib, m.kernel, m.filesystem, m.commit, m.rustc
        );
        let _ = writeln!(
            out,
            "- The load generator runs on the same machine as the server and the database, sharing its cores.\n- Durable everywhere: SQLite in WAL with `synchronous=FULL`, PostgreSQL with `synchronous_commit=on`."
        );
        let _ = writeln!(out, "\n### Limits measured in this run\n");
        let _ = writeln!(out, "| limit | SQLite | PostgreSQL |\n|---|---:|---:|");
        let by = |name: &str| self.engines.iter().find(|e| e.engine == name);
        let cell =
            |name: &str, f: &dyn Fn(&EngineRun) -> String| by(name).map_or("not run".into(), f);
        let seeded = |e: &EngineRun| {
            let s = &e.seeded;
            format!(
                "{} ({}: {:.1} s, {} indexes {:.1} s, {:.1} s)",
                n(e.cases as f64),
                secs(s.total),
                s.loading,
                s.indexes.0,
                s.indexes.1,
                s.tidying
            )
        };
        let _ = writeln!(
            out,
            "| the disk: 4 KiB appended and `fdatasync`ed, one at a time, per s | {} | (same disk) |",
            n(self.fsyncs)
        );
        let _ = writeln!(
            out,
            "| minimal loop, one commit per transition (event, case row, count), transitions/s | {} | {} |",
            cell("SQLite", &|e| n(e.limits.one_per_commit)),
            cell("PostgreSQL", &|e| n(e.limits.one_per_commit))
        );
        let _ = writeln!(
            out,
            "| minimal loop, {BATCH} transitions per commit, transitions/s | {} | {} |",
            cell("SQLite", &|e| n(e.limits.batched)),
            cell("PostgreSQL", &|e| n(e.limits.batched))
        );
        let _ = writeln!(
            out,
            "| pgbench TPC-B, 64 clients, TPS | — | {} |",
            cell("PostgreSQL", &|e| match &e.pgbench {
                Some(Ok(tps)) => n(*tps),
                Some(Err(why)) => format!("failed: {}", why.lines().next().unwrap_or("")),
                None => "not run".into(),
            })
        );
        let _ = writeln!(
            out,
            "| `GET /healthz`, 4 at a time, p99 | {} | {} |",
            cell("SQLite", &|e| ms(e.floor.p99)),
            cell("PostgreSQL", &|e| ms(e.floor.p99))
        );
        let _ = writeln!(
            out,
            "| cases in the database when measured (`seed volume`: its time, loading the cases, building the indexes, tidying) | {} | {} |",
            cell("SQLite", &seeded),
            cell("PostgreSQL", &seeded)
        );
        table(
            &mut out,
            "S1 · a case's life over HTTP, durable",
            &self.engines,
            EngineRun::s1_rows,
        );
        table(
            &mut out,
            "S2 · submissions, then restart on the grown database",
            &self.engines,
            EngineRun::s2_rows,
        );
        table(
            &mut out,
            "S3 · supervision: lights and deadlines",
            &self.engines,
            EngineRun::s3_rows,
        );
        table(
            &mut out,
            "S4 · reads of the working day",
            &self.engines,
            EngineRun::s4_rows,
        );
        table(
            &mut out,
            "S5 · soak at half of S1's speed",
            &self.engines,
            EngineRun::s5_rows,
        );
        tails(&mut out, &self.engines);
        let _ = writeln!(out, "\n{END}");
        out
    }
}

/// `existing` with its generated part replaced by `generated` (or `generated` appended).
pub fn splice(existing: &str, generated: &str) -> String {
    match (existing.find(BEGIN), existing.find(END)) {
        (Some(b), Some(e)) if b < e => {
            format!(
                "{}{}{}",
                &existing[..b],
                generated.trim_end(),
                &existing[e + END.len()..]
            )
        }
        _ => format!("{}\n\n{generated}", existing.trim_end()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_the_targets_are() {
        assert_eq!(n(0.4), "0");
        assert_eq!(n(999.0), "999");
        assert_eq!(n(2_000.0), "2,000");
        assert_eq!(n(1_234_567.0), "1,234,567");
        assert_eq!(n(-12_345.0), "-12,345");
        assert_eq!(ratio(1.0, 4.0), "0.25");
        assert_eq!(ratio(1.0, 0.0), "—");
    }

    #[test]
    fn a_run_replaces_only_the_generated_part() {
        let generated = format!("{BEGIN}\nnew figures\n{END}\n");
        let existing =
            format!("# Performance\nintro\n\n{BEGIN}\nold figures\n{END}\n\n## Notes\nkept\n");
        assert_eq!(
            splice(&existing, &generated),
            format!("# Performance\nintro\n\n{BEGIN}\nnew figures\n{END}\n\n## Notes\nkept\n")
        );
        assert_eq!(
            splice("# Performance\n", &generated),
            format!("# Performance\n\n{generated}")
        );
    }
}

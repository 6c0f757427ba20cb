//! Where the slowest requests' time went: each answer's `Server-Timing` header (the server's
//! phases, crates/server/src/timing.rs) kept beside the latency the load saw, and averaged over
//! the requests at or above a quantile of that latency.

/// The store's phases, as the server names them, in the order a request meets them.
pub const PHASES: [&str; 5] = ["db-connect", "db-read", "write-queue", "write", "commit"];

/// What one request cost, in microseconds: as the load saw it (from its scheduled start), how
/// late the load was in sending it (every worker busy when it fell due), and as the server
/// accounts for it (the phases, then its whole time).
#[derive(Clone, Copy, Default)]
pub struct Sample {
    pub seen_us: u64,
    pub late_us: u64,
    pub server_us: [u64; PHASES.len() + 1],
}

/// The server's account from a `Server-Timing` header; a phase it does not name took no time.
pub fn parse(header: &str) -> [u64; PHASES.len() + 1] {
    let mut out = [0; PHASES.len() + 1];
    for metric in header.split(',') {
        let mut parts = metric.trim().split(';');
        let name = parts.next().unwrap_or_default();
        let Some(ms) = parts
            .find_map(|p| p.trim().strip_prefix("dur="))
            .and_then(|d| d.parse::<f64>().ok())
        else {
            continue;
        };
        let slot = match name {
            "total" => Some(PHASES.len()),
            _ => PHASES.iter().position(|p| *p == name),
        };
        if let Some(i) = slot {
            out[i] = (ms * 1000.0).round() as u64;
        }
    }
    out
}

/// The mean of the slowest requests, in milliseconds.
#[derive(Clone, Copy, Default)]
pub struct Tail {
    pub count: usize,
    pub seen_ms: f64,
    pub late_ms: f64,
    pub phases_ms: [f64; PHASES.len()],
    pub server_ms: f64,
}

impl Tail {
    /// The requests whose latency is at least `threshold_us` (a quantile of the same load).
    pub fn of(samples: &[Sample], threshold_us: u64) -> Tail {
        let slow: Vec<&Sample> = samples
            .iter()
            .filter(|s| s.seen_us >= threshold_us)
            .collect();
        if slow.is_empty() {
            return Tail::default();
        }
        let mean = |f: &dyn Fn(&Sample) -> u64| {
            slow.iter().map(|s| f(s) as f64).sum::<f64>() / slow.len() as f64 / 1000.0
        };
        let mut phases_ms = [0.0; PHASES.len()];
        for (i, p) in phases_ms.iter_mut().enumerate() {
            *p = mean(&|s| s.server_us[i]);
        }
        Tail {
            count: slow.len(),
            seen_ms: mean(&|s| s.seen_us),
            late_ms: mean(&|s| s.late_us),
            phases_ms,
            server_ms: mean(&|s| s.server_us[PHASES.len()]),
        }
    }

    /// The mean in each phase, then in the rest of the server's handling (routing, sessions,
    /// the domain, JSON), then outside it: before the load sent the request (behind its
    /// schedule), and between sending and the server's first layer and back (the network, the
    /// client, the server's accepting and reading).
    pub fn split_ms(&self) -> [f64; PHASES.len() + 3] {
        let mut out = [0.0; PHASES.len() + 3];
        out[..PHASES.len()].copy_from_slice(&self.phases_ms);
        out[PHASES.len()] = self.server_ms - self.phases_ms.iter().sum::<f64>();
        out[PHASES.len() + 1] = self.late_ms;
        out[PHASES.len() + 2] = self.seen_ms - self.server_ms - self.late_ms;
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_is_read_phase_by_phase() {
        let got = parse("write-queue;dur=41.250, commit;dur=3.000, other;dur=9, total;dur=50.000");
        assert_eq!(got, [0, 0, 41_250, 0, 3_000, 50_000]);
        assert_eq!(parse(""), [0; 6]);
    }

    #[test]
    fn the_tail_averages_only_the_slow_requests() {
        let sample = |seen_us, late_us, queue_us, total_us| Sample {
            seen_us,
            late_us,
            server_us: [0, 0, queue_us, 0, 0, total_us],
        };
        let samples = [
            sample(1_000, 0, 0, 900),
            sample(100_000, 2_000, 90_000, 95_000),
            sample(120_000, 0, 110_000, 115_000),
        ];
        let tail = Tail::of(&samples, 100_000);
        assert_eq!(tail.count, 2);
        assert_eq!(tail.seen_ms, 110.0);
        assert_eq!(tail.phases_ms[2], 100.0);
        assert_eq!(tail.split_ms(), [0.0, 0.0, 100.0, 0.0, 0.0, 5.0, 1.0, 4.0]);
    }
}

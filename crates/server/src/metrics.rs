//! What the operator's monitoring scrapes from `GET /metrics`, in Prometheus' text format:
//! requests by route and status with their latency, the database connections and the writer's
//! queue, the supervision pass's duration, and the cases by status (from the kept counts, never
//! a scan). Only the machine itself, or a scraper with `--metrics-token`, may read it.

use std::sync::Arc;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use onewindow_store::{PoolStats, Store, StoreError};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ConnectionLabels {
    pool: &'static str,
    state: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabels {
    status: String,
}

/// Latency buckets from half a millisecond to about four seconds.
fn latency() -> Histogram {
    Histogram::new(exponential_buckets(0.0005, 2.0, 14))
}

#[derive(Clone)]
pub struct Metrics {
    registry: Arc<Registry>,
    requests: Family<RequestLabels, Counter>,
    durations: Family<RouteLabels, Histogram, fn() -> Histogram>,
    supervision: Histogram,
    connections: Family<ConnectionLabels, Gauge>,
    write_queue: Gauge,
    cases: Family<StatusLabels, Gauge>,
}

impl Default for Metrics {
    fn default() -> Metrics {
        let mut registry = Registry::with_prefix("onewindow");
        let requests = Family::<RequestLabels, Counter>::default();
        let durations =
            Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(latency);
        let supervision = Histogram::new(exponential_buckets(0.001, 2.0, 16));
        let connections = Family::<ConnectionLabels, Gauge>::default();
        let write_queue = Gauge::default();
        let cases = Family::<StatusLabels, Gauge>::default();
        registry.register(
            "http_requests",
            "Requests answered, by route and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer a request, by route",
            durations.clone(),
        );
        registry.register(
            "supervision_pass_duration_seconds",
            "Time of each supervision pass over the open cases",
            supervision.clone(),
        );
        registry.register(
            "db_connections",
            "Database connections, by pool (read, write) and state (busy, idle)",
            connections.clone(),
        );
        registry.register(
            "db_write_queue",
            "Writes waiting for SQLite's one writer",
            write_queue.clone(),
        );
        registry.register(
            "cases",
            "Cases by status, from the kept counts",
            cases.clone(),
        );
        Metrics {
            registry: Arc::new(registry),
            requests,
            durations,
            supervision,
            connections,
            write_queue,
            cases,
        }
    }
}

impl Metrics {
    /// Counts an answered request of `route` (as declared: a bounded set of labels).
    pub fn request(&self, route: &str, status: u16, took: Duration) {
        self.requests
            .get_or_create(&RequestLabels {
                route: route.to_owned(),
                status,
            })
            .inc();
        self.durations
            .get_or_create(&RouteLabels {
                route: route.to_owned(),
            })
            .observe(took.as_secs_f64());
    }

    pub fn supervision_pass(&self, took: Duration) {
        self.supervision.observe(took.as_secs_f64());
    }

    /// The text a scrape gets, with the gauges read from `store` now.
    pub async fn render(&self, store: &Store) -> Result<String, StoreError> {
        self.read_connections(store.pool_stats());
        for count in store.case_counts(None, None).await?.into_iter().fold(
            std::collections::BTreeMap::<String, i64>::new(),
            |mut by_status, c| {
                *by_status.entry(c.status).or_default() += c.count;
                by_status
            },
        ) {
            self.cases
                .get_or_create(&StatusLabels { status: count.0 })
                .set(count.1);
        }
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)
            .expect("writing to a String cannot fail");
        Ok(text)
    }

    fn read_connections(&self, stats: PoolStats) {
        let set = |pool, state, n: usize| {
            self.connections
                .get_or_create(&ConnectionLabels { pool, state })
                .set(n as i64);
        };
        set("read", "idle", stats.read_idle);
        set(
            "read",
            "busy",
            (stats.read_connections as usize).saturating_sub(stats.read_idle),
        );
        set("write", "idle", stats.write_idle);
        set(
            "write",
            "busy",
            (stats.write_connections as usize).saturating_sub(stats.write_idle),
        );
        self.write_queue.set(stats.write_queue as i64);
    }
}

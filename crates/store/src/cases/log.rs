//! A case's event log: its records, each hash-chained from the one before (ADR 0019), and
//! reading it back.

use onewindow_domain::audit::{EventLink, Link, LinkFormat, event_link_hash};
use onewindow_domain::case::{Entry, Event};

use sqlx_macros::FromRow;

use super::{EventActor, EventRecord};
use crate::sql::{AnyQuery, TableRow};
use crate::{Result, Store, StoreError};

/// One record of a case's event log, its hash chained from the record before.
pub(crate) struct EventRow {
    pub(super) case_number: String,
    pub(super) seq: i64,
    pub(super) kind: &'static str,
    pub(super) step: Option<i64>,
    pub(super) actor_id: String,
    pub(super) actor_role: String,
    pub(super) window: Option<String>,
    pub(super) at_ms: i64,
    public: bool,
    pub(super) payload: String,
    pub(super) hash: String,
    pub(super) region: String,
}

impl TableRow for EventRow {
    const TABLE: &'static str = "case_events";
    const COLUMNS: &'static [&'static str] = &[
        "case_number",
        "seq",
        "kind",
        "step",
        "actor_id",
        "actor_role",
        "window_code",
        "at_ms",
        "public",
        "payload",
        "hash",
        "region_code",
    ];

    fn bind(self, q: AnyQuery<'_>) -> AnyQuery<'_> {
        q.bind(self.case_number)
            .bind(self.seq)
            .bind(self.kind)
            .bind(self.step)
            .bind(self.actor_id)
            .bind(self.actor_role)
            .bind(self.window)
            .bind(self.at_ms)
            .bind(i64::from(self.public))
            .bind(self.payload)
            .bind(self.hash)
            .bind(self.region)
    }
}

impl Store {
    /// The case's log, oldest first.
    pub async fn events(&self, number: &str) -> Result<Vec<EventRecord>> {
        let rows: Vec<LoggedRow> = sqlx::query_as(
            "SELECT seq, kind, step, actor_id, actor_role, window_code, at_ms, public, payload, hash
             FROM case_events WHERE case_number = $1 ORDER BY seq",
        )
        .bind(number)
        .fetch_all(&mut *self.read().await?)
        .await?;
        rows.into_iter().map(EventRecord::try_from).collect()
    }
}

/// A record of a case's log as stored: the event as its kind and payload text.
#[derive(FromRow)]
struct LoggedRow {
    seq: i64,
    kind: String,
    payload: String,
    step: Option<i64>,
    actor_id: String,
    actor_role: String,
    window_code: Option<String>,
    at_ms: i64,
    public: i64,
    hash: String,
}

impl TryFrom<LoggedRow> for EventRecord {
    type Error = StoreError;

    fn try_from(r: LoggedRow) -> Result<EventRecord> {
        Ok(EventRecord {
            seq: r.seq,
            event: Event::from_parts(&r.kind, &r.payload)
                .map_err(|e| StoreError::corrupt("event", e))?,
            step: r.step,
            actor_id: r.actor_id,
            actor_role: r.actor_role,
            window: r.window_code,
            at_ms: r.at_ms,
            public: r.public != 0,
            hash: r.hash,
        })
    }
}

/// The log records of `events` appended after `count` existing ones, chained from `prev`, and
/// the new last hash.
pub(crate) fn chain_events(
    number: &str,
    region: &str,
    count: i64,
    prev: &str,
    events: &[(&Entry, &EventActor<'_>)],
) -> Result<(Vec<EventRow>, String)> {
    let mut prev = prev.to_owned();
    let mut rows = Vec::with_capacity(events.len());
    for (i, (e, actor)) in events.iter().enumerate() {
        let seq = count + i as i64 + 1;
        let kind = e.event.kind();
        let payload = e.event.payload_json();
        let step = e.step.map(|s| s as i64);
        let hash = event_link_hash(
            &prev,
            &EventLink {
                link: Link {
                    chain: number,
                    seq,
                    kind,
                    actor: actor.id,
                    at_ms: actor.at_ms,
                    payload: &payload,
                },
                role: actor.role,
                window: actor.window,
                step,
                public: e.public,
                format: LinkFormat::Whole,
            },
        );
        prev.clone_from(&hash);
        rows.push(EventRow {
            case_number: number.to_owned(),
            seq,
            kind,
            step,
            actor_id: actor.id.to_owned(),
            actor_role: actor.role.to_owned(),
            window: actor.window.map(str::to_owned),
            at_ms: actor.at_ms,
            public: e.public,
            payload,
            hash,
            region: region.to_owned(),
        });
    }
    Ok((rows, prev))
}

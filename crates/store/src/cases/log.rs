//! A case's event log: its records, each hash-chained from the one before (ADR 0019), and
//! reading it back.

use onewindow_domain::audit::{EventLink, Link, LinkFormat, event_link_hash};
use onewindow_domain::case::{Entry, Event};

use sqlx::Row;

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
        let rows = sqlx::query(
            "SELECT seq, kind, step, actor_id, actor_role, window_code, at_ms, public, payload, hash
             FROM case_events WHERE case_number = $1 ORDER BY seq",
        )
        .bind(number)
        .fetch_all(&mut *self.read().await?)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                let payload: String = r.try_get("payload")?;
                Ok(EventRecord {
                    seq: r.try_get("seq")?,
                    event: Event::from_parts(&kind, &payload)
                        .map_err(|e| StoreError::corrupt("event", e))?,
                    step: r.try_get("step")?,
                    actor_id: r.try_get("actor_id")?,
                    actor_role: r.try_get("actor_role")?,
                    window: r.try_get("window_code")?,
                    at_ms: r.try_get("at_ms")?,
                    public: r.try_get::<i64, _>("public")? != 0,
                    hash: r.try_get("hash")?,
                })
            })
            .collect()
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

//! The admin audit log and the verification of every chain (`onewindow audit verify`).

use onewindow_domain::audit::{
    BrokenLink, EventLink, GENESIS, Link, LinkFormat, link_hash, verify,
};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Engine, Result, Store};

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub seq: i64,
    pub at_ms: i64,
    pub actor_id: String,
    pub action: String,
    pub payload: String,
}

/// What verification found.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChainReport {
    pub chains: u64,
    pub records: u64,
    pub broken: Vec<BrokenLinkReport>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BrokenLinkReport {
    pub chain: String,
    pub seq: i64,
}

impl From<BrokenLink> for BrokenLinkReport {
    fn from(b: BrokenLink) -> Self {
        BrokenLinkReport {
            chain: b.chain,
            seq: b.seq,
        }
    }
}

impl Store {
    /// Appends to the admin audit log (security-relevant actions), chained like case events.
    pub async fn audit(
        &self,
        actor: &str,
        action: &str,
        payload: &serde_json::Value,
    ) -> Result<()> {
        let payload = payload.to_string();
        let mut tx = self.begin().await?;
        if self.engine == Engine::Postgres {
            // One chain for the whole log: two appends that read the same last link would both
            // claim its successor and one would fail (a 409 on a staff log-in, found by the crash
            // test). This lock mode excludes itself but not readers; SQLite's BEGIN IMMEDIATE
            // already serialises writers.
            sqlx::query("LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE")
                .execute(&mut *tx)
                .await?;
        }
        let last = sqlx::query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut *tx)
            .await?;
        let (seq, prev) = match last {
            Some(r) => (
                r.try_get::<i64, _>("seq")? + 1,
                r.try_get::<String, _>("hash")?,
            ),
            None => (1, GENESIS.to_owned()),
        };
        let at_ms = crate::now_ms();
        let hash = link_hash(
            &prev,
            &Link {
                chain: "audit",
                seq,
                kind: action,
                actor,
                at_ms,
                payload: &payload,
            },
        );
        sqlx::query("INSERT INTO audit_log (seq, at_ms, actor_id, action, payload, hash) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(seq)
            .bind(at_ms)
            .bind(actor)
            .bind(action)
            .bind(&payload)
            .bind(&hash)
            .execute(&mut *tx)
            .await
            .map_err(|e| crate::conflict_on_unique(e, "audit sequence"))?;
        tx.commit().await?;
        Ok(())
    }

    /// The latest `limit` entries of the audit log, newest first.
    pub async fn audit_entries(&self, limit: i64) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT seq, at_ms, actor_id, action, payload FROM audit_log ORDER BY seq DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&mut *self.read().await?)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    seq: r.try_get("seq")?,
                    at_ms: r.try_get("at_ms")?,
                    actor_id: r.try_get("actor_id")?,
                    action: r.try_get("action")?,
                    payload: r.try_get("payload")?,
                })
            })
            .collect::<std::result::Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// Checks the audit log and every case's event log, naming each chain's first broken link;
    /// `progress` is called with the number of cases checked so far.
    pub async fn verify_chains(&self, mut progress: impl FnMut(u64)) -> Result<ChainReport> {
        let mut report = ChainReport {
            chains: 0,
            records: 0,
            broken: Vec::new(),
        };
        let audit = sqlx::query(
            "SELECT seq, action, actor_id, at_ms, payload, hash FROM audit_log ORDER BY seq",
        )
        .fetch_all(&mut *self.read().await?)
        .await?
        .iter()
        .map(StoredLink::audit)
        .collect::<std::result::Result<Vec<_>, sqlx::Error>>()?;
        report.check("audit", &audit);
        let mut after = String::new();
        loop {
            let numbers = self.case_numbers_after(&after, 500).await?;
            let Some(last) = numbers.last().cloned() else {
                break;
            };
            for number in &numbers {
                let events = sqlx::query(
                    "SELECT e.seq, e.kind, e.actor_id, e.actor_role, e.window_code, e.step, e.public, e.at_ms, e.payload, e.hash,
                            COALESCE(p.last_seq, 0) AS partial_until
                     FROM case_events e LEFT JOIN partial_event_links p ON p.case_number = e.case_number
                     WHERE e.case_number = $1 ORDER BY e.seq",
                )
                .bind(number)
                .fetch_all(&mut *self.read().await?)
                .await?
                .iter()
                .map(StoredLink::case_event)
                .collect::<std::result::Result<Vec<_>, sqlx::Error>>()?;
                report.check(number, &events);
            }
            progress(report.chains - 1);
            after = last;
        }
        Ok(report)
    }
}

/// One stored record of a chain, as verification reads it.
struct StoredLink {
    seq: i64,
    kind: String,
    actor: String,
    role: String,
    window: Option<String>,
    step: Option<i64>,
    public: bool,
    at_ms: i64,
    payload: String,
    hash: String,
    format: LinkFormat,
}

impl StoredLink {
    /// A record of the admin audit log, which is chained over [`Link`]'s fields.
    fn audit(r: &AnyRow) -> std::result::Result<StoredLink, sqlx::Error> {
        Ok(StoredLink {
            seq: r.try_get("seq")?,
            kind: r.try_get("action")?,
            actor: r.try_get("actor_id")?,
            role: String::new(),
            window: None,
            step: None,
            public: false,
            at_ms: r.try_get("at_ms")?,
            payload: r.try_get("payload")?,
            hash: r.try_get("hash")?,
            format: LinkFormat::Partial,
        })
    }

    /// A case event; those up to the case's `partial_until` were stored before ADR 0019.
    fn case_event(r: &AnyRow) -> std::result::Result<StoredLink, sqlx::Error> {
        let seq: i64 = r.try_get("seq")?;
        let partial_until: i64 = r.try_get("partial_until")?;
        Ok(StoredLink {
            seq,
            kind: r.try_get("kind")?,
            actor: r.try_get("actor_id")?,
            role: r.try_get("actor_role")?,
            window: r.try_get("window_code")?,
            step: r.try_get("step")?,
            public: r.try_get::<i64, _>("public")? != 0,
            at_ms: r.try_get("at_ms")?,
            payload: r.try_get("payload")?,
            hash: r.try_get("hash")?,
            format: if seq <= partial_until {
                LinkFormat::Partial
            } else {
                LinkFormat::Whole
            },
        })
    }

    fn link<'a>(&'a self, chain: &'a str) -> EventLink<'a> {
        EventLink {
            link: Link {
                chain,
                seq: self.seq,
                kind: &self.kind,
                actor: &self.actor,
                at_ms: self.at_ms,
                payload: &self.payload,
            },
            role: &self.role,
            window: self.window.as_deref(),
            step: self.step,
            public: self.public,
            format: self.format,
        }
    }
}

impl ChainReport {
    /// Checks one chain's records, oldest first, and adds what it found.
    fn check(&mut self, chain: &str, records: &[StoredLink]) {
        self.chains += 1;
        match verify(records.iter().map(|r| (r.link(chain), r.hash.as_str()))) {
            Ok(n) => self.records += n,
            Err(b) => self.broken.push(b.into()),
        }
    }
}

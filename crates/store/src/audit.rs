//! The admin audit log and the verification of every chain (`onewindow audit verify`).

use onewindow_domain::audit::{BrokenLink, GENESIS, Link, link_hash, verify};
use serde::Serialize;
use sqlx::any::AnyArguments;
use sqlx::{Any, Row};

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
        self.check_chain(
            &mut report,
            "audit",
            sqlx::query(
                "SELECT seq, action AS kind, actor_id, at_ms, payload, hash FROM audit_log ORDER BY seq",
            ),
        )
        .await?;
        let mut after = String::new();
        loop {
            let numbers = self.case_numbers_after(&after, 500).await?;
            let Some(last) = numbers.last().cloned() else {
                break;
            };
            for number in &numbers {
                self.check_chain(
                    &mut report,
                    number,
                    sqlx::query(
                        "SELECT seq, kind, actor_id, at_ms, payload, hash FROM case_events WHERE case_number = $1 ORDER BY seq",
                    )
                    .bind(number),
                )
                .await?;
            }
            progress(report.chains - 1);
            after = last;
        }
        Ok(report)
    }

    /// Reads one chain with `query` (seq, kind, actor_id, at_ms, payload and hash, oldest
    /// first), checks it and adds what it found to `report`.
    async fn check_chain(
        &self,
        report: &mut ChainReport,
        chain: &str,
        query: sqlx::query::Query<'_, Any, AnyArguments>,
    ) -> Result<()> {
        let rows = query.fetch_all(&mut *self.read().await?).await?;
        let records: Vec<(i64, String, String, i64, String, String)> = rows
            .iter()
            .map(|r| {
                Ok((
                    r.try_get("seq")?,
                    r.try_get("kind")?,
                    r.try_get("actor_id")?,
                    r.try_get("at_ms")?,
                    r.try_get("payload")?,
                    r.try_get("hash")?,
                ))
            })
            .collect::<std::result::Result<_, sqlx::Error>>()?;
        let links = records
            .iter()
            .map(|(seq, kind, actor, at_ms, payload, hash)| {
                (
                    Link {
                        chain,
                        seq: *seq,
                        kind,
                        actor,
                        at_ms: *at_ms,
                        payload,
                    },
                    hash.as_str(),
                )
            });
        report.chains += 1;
        match verify(links) {
            Ok(n) => report.records += n,
            Err(b) => report.broken.push(b.into()),
        }
        Ok(())
    }
}

//! The admin audit log and the verification of every chain (`onewindow audit verify`).

use onewindow_domain::audit::{
    BrokenLink, EventLink, GENESIS, Link, LinkFormat, link_hash, verify,
};
use serde::Serialize;
use sqlx_macros::FromRow;

use crate::crypto::Seal;
use crate::write::Tx;
use crate::{Engine, Result, Store};

#[derive(Debug, Clone, Serialize, FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub seq: i64,
    pub at_ms: i64,
    pub actor_id: String,
    pub action: String,
    pub payload: String,
}

/// Which entries of the audit log to list; every part is optional.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Who acted (a staff or applicant id).
    pub actor: Option<String>,
    pub action: Option<String>,
    /// Text the entry's details contain: a username, a case number, an item code.
    pub object: Option<String>,
    /// From this moment (inclusive) to that one (exclusive), in ms.
    pub from_ms: Option<i64>,
    pub until_ms: Option<i64>,
}

/// What verification found.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChainReport {
    pub chains: u64,
    pub records: u64,
    pub broken: Vec<BrokenLinkReport>,
    /// Chain heads and case states not sealed yet: written before seals, or without the key,
    /// until a server with the key seals them.
    pub unsealed: u64,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BrokenLinkReport {
    pub chain: String,
    /// The record at fault; for a head or a state, the number of records the chain has.
    pub seq: i64,
    /// What does not hold: `link` (a record's hash, or a gap), `head` (the case row's count or
    /// last hash against its records), `head_seal`, `state_seal` (a seal that does not match),
    /// `unsealed` (a seal removed); for the chain `census REGION` (its `seq` the day,
    /// YYYYMMDD), `census` (the day's cases are not those counted), `census_seal`,
    /// `census_head` (the last census is not the sealed one).
    pub what: &'static str,
}

impl From<BrokenLink> for BrokenLinkReport {
    fn from(b: BrokenLink) -> Self {
        BrokenLinkReport {
            chain: b.chain,
            seq: b.seq,
            what: "link",
        }
    }
}

/// The audit log's chain name in its hashes and seal.
const AUDIT_CHAIN: &str = "audit";

impl Store {
    /// Appends to the admin audit log (security-relevant actions), chained like case events.
    pub async fn audit(
        &self,
        actor: &str,
        action: &str,
        payload: &serde_json::Value,
    ) -> Result<()> {
        let payload = payload.to_string();
        let (actor, action) = (actor.to_owned(), action.to_owned());
        let seal = self.seal.clone();
        self.write(move |tx| {
            Box::pin(async move { append(tx, seal.as_deref(), &actor, &action, &payload).await })
        })
        .await
    }

    /// Up to `limit` entries that `filter` keeps, newest first, older than `before` (a sequence
    /// number) when given.
    pub async fn audit_page(
        &self,
        filter: &AuditFilter,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>> {
        let mut conditions = Vec::new();
        let mut texts: Vec<String> = Vec::new();
        let mut numbers: Vec<i64> = Vec::new();
        let mut next = 1;
        let mut placeholder = || {
            let p = format!("${next}");
            next += 1;
            p
        };
        // Text parameters first, then numbers, each bound in the order its placeholder was made.
        if let Some(actor) = &filter.actor {
            conditions.push(format!("actor_id = {}", placeholder()));
            texts.push(actor.clone());
        }
        if let Some(action) = &filter.action {
            conditions.push(format!("action = {}", placeholder()));
            texts.push(action.clone());
        }
        if let Some(object) = &filter.object {
            conditions.push(format!("payload LIKE {} ESCAPE '\\'", placeholder()));
            texts.push(format!("%{}%", like_escaped(object)));
        }
        for (bound, op) in [
            (before, "seq <"),
            (filter.from_ms, "at_ms >="),
            (filter.until_ms, "at_ms <"),
        ] {
            if let Some(n) = bound {
                conditions.push(format!("{op} {}", placeholder()));
                numbers.push(n);
            }
        }
        let limit_at = placeholder();
        let sql = format!(
            "SELECT seq, at_ms, actor_id, action, payload FROM audit_log{} ORDER BY seq DESC LIMIT {limit_at}",
            if conditions.is_empty() {
                String::new()
            } else {
                format!(" WHERE {}", conditions.join(" AND "))
            }
        );
        let mut q = sqlx::query_as::<_, AuditEntry>(sqlx::AssertSqlSafe(sql));
        for t in texts {
            q = q.bind(t);
        }
        for n in numbers {
            q = q.bind(n);
        }
        Ok(q.bind(limit).fetch_all(&mut *self.read().await?).await?)
    }

    /// The latest `limit` entries of the audit log, newest first.
    pub async fn audit_entries(&self, limit: i64) -> Result<Vec<AuditEntry>> {
        Ok(sqlx::query_as(
            "SELECT seq, at_ms, actor_id, action, payload FROM audit_log ORDER BY seq DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&mut *self.read().await?)
        .await?)
    }

    /// Checks the audit log and every case's event log, naming each chain's first broken link;
    /// with the store's seal, also each chain's head and each case's state against their seals
    /// (ADR 0037). `progress` is called with the number of cases checked so far.
    pub async fn verify_chains(&self, mut progress: impl FnMut(u64)) -> Result<ChainReport> {
        let mut report = ChainReport {
            chains: 0,
            records: 0,
            broken: Vec::new(),
            unsealed: 0,
        };
        let sealed = self.setting(SEALED_SINCE).await?.is_some();
        let audit: Vec<StoredLink> = sqlx::query_as::<_, AuditRow>(
            "SELECT seq, action, actor_id, at_ms, payload, hash FROM audit_log ORDER BY seq",
        )
        .fetch_all(&mut *self.read().await?)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
        report.check(AUDIT_CHAIN, &audit);
        if let Some(seal) = self.seal() {
            let last = audit
                .last()
                .map_or((0, GENESIS), |l| (l.seq, l.hash.as_str()));
            match self.setting(AUDIT_HEAD).await? {
                Some(head) if head == sealed_head(seal, last.0, last.1) => {}
                Some(_) => report.broken_at(AUDIT_CHAIN, last.0, "head_seal"),
                None if sealed && !audit.is_empty() => {
                    report.broken_at(AUDIT_CHAIN, last.0, "unsealed")
                }
                None => report.unsealed += u64::from(!audit.is_empty()),
            }
        }
        let mut after = String::new();
        loop {
            let heads: Vec<CaseHead> = sqlx::query_as(
                "SELECT number, event_count, last_hash, status, state, head_seal, state_seal
                 FROM cases WHERE number > $1 ORDER BY number LIMIT 500",
            )
            .bind(&after)
            .fetch_all(&mut *self.read().await?)
            .await?;
            let Some(last) = heads.last().map(|h| h.number.clone()) else {
                break;
            };
            for head in &heads {
                let events: Vec<StoredLink> = sqlx::query_as::<_, EventRow>(
                    "SELECT e.seq, e.kind, e.actor_id, e.actor_role, e.window_code, e.step, e.public, e.at_ms, e.payload, e.hash,
                            COALESCE(p.last_seq, 0) AS partial_until
                     FROM case_events e LEFT JOIN partial_event_links p ON p.case_number = e.case_number
                     WHERE e.case_number = $1 ORDER BY e.seq",
                )
                .bind(&head.number)
                .fetch_all(&mut *self.read().await?)
                .await?
                .into_iter()
                .map(Into::into)
                .collect();
                report.check(&head.number, &events);
                report.check_head(head, &events, self.seal(), sealed);
            }
            progress(report.chains - 1);
            after = last;
        }
        if let Some(seal) = self.seal() {
            self.verify_census(seal, &mut report).await?;
        }
        Ok(report)
    }

    async fn setting(&self, name: &str) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT value FROM settings WHERE name = $1")
                .bind(name)
                .fetch_optional(&mut *self.read().await?)
                .await?,
        )
    }

    /// Seals every case row and the audit log's head that have no seal yet, once: on a
    /// database written before seals, or by a store without the key. Afterwards a missing
    /// seal is a removed one. Returns how many case rows it sealed.
    pub async fn seal_unsealed(&self) -> Result<u64> {
        let Some(seal) = self.seal.clone() else {
            return Ok(0);
        };
        if self.setting(SEALED_SINCE).await?.is_some() {
            return Ok(0);
        }
        let mut sealed = 0;
        loop {
            let rows: Vec<CaseHead> = sqlx::query_as(
                "SELECT number, event_count, last_hash, status, state, head_seal, state_seal
                 FROM cases WHERE head_seal IS NULL OR state_seal IS NULL ORDER BY number LIMIT 500",
            )
            .fetch_all(&mut *self.read().await?)
            .await?;
            if rows.is_empty() {
                break;
            }
            sealed += rows.len() as u64;
            let seal = seal.clone();
            self.write(move |tx| Box::pin(async move { seal_heads(tx, &seal, &rows).await }))
                .await?;
        }
        self.write(move |tx| {
            Box::pin(async move {
                let last: Option<(i64, String)> =
                    sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                        .fetch_optional(tx.conn().await?)
                        .await?;
                if let Some((seq, hash)) = last {
                    put_setting(tx, AUDIT_HEAD, &sealed_head(&seal, seq, &hash)).await?;
                }
                put_setting(tx, SEALED_SINCE, &crate::now_ms().to_string()).await
            })
        })
        .await?;
        Ok(sealed)
    }
}

/// A case row's head and state, with their seals, as verification and sealing read them.
#[derive(FromRow)]
pub(crate) struct CaseHead {
    pub number: String,
    pub event_count: i64,
    pub last_hash: String,
    pub status: String,
    pub state: String,
    pub head_seal: Option<String>,
    pub state_seal: Option<String>,
}

/// Seals each of `heads` with `seal`: its chain head and its state, unless the case has moved on
/// since it was read (its own write sealed it then).
pub(crate) async fn seal_heads(tx: &mut Tx, seal: &Seal, heads: &[CaseHead]) -> Result<()> {
    for h in heads {
        tx.execute(
            sqlx::query(
                "UPDATE cases SET head_seal = $1, state_seal = $2
                 WHERE number = $3 AND event_count = $4",
            )
            .bind(seal.head(&h.number, h.event_count, &h.last_hash))
            .bind(seal.state(&h.number, &h.status, &h.state))
            .bind(h.number.clone())
            .bind(h.event_count),
        )
        .await?;
    }
    Ok(())
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

/// A record of the admin audit log as stored, with its link.
#[derive(FromRow)]
struct AuditRow {
    #[sqlx(flatten)]
    entry: AuditEntry,
    hash: String,
}

/// The admin audit log is chained over [`Link`]'s fields alone.
impl From<AuditRow> for StoredLink {
    fn from(r: AuditRow) -> Self {
        StoredLink {
            seq: r.entry.seq,
            kind: r.entry.action,
            actor: r.entry.actor_id,
            role: String::new(),
            window: None,
            step: None,
            public: false,
            at_ms: r.entry.at_ms,
            payload: r.entry.payload,
            hash: r.hash,
            format: LinkFormat::Partial,
        }
    }
}

/// A case event as stored, with the last sequence number of its case linked before ADR 0019.
#[derive(FromRow)]
struct EventRow {
    seq: i64,
    kind: String,
    actor_id: String,
    actor_role: String,
    window_code: Option<String>,
    step: Option<i64>,
    public: i64,
    at_ms: i64,
    payload: String,
    hash: String,
    partial_until: i64,
}

/// Events up to the case's `partial_until` were linked in the partial format.
impl From<EventRow> for StoredLink {
    fn from(r: EventRow) -> Self {
        StoredLink {
            seq: r.seq,
            kind: r.kind,
            actor: r.actor_id,
            role: r.actor_role,
            window: r.window_code,
            step: r.step,
            public: r.public != 0,
            at_ms: r.at_ms,
            payload: r.payload,
            hash: r.hash,
            format: if r.seq <= r.partial_until {
                LinkFormat::Partial
            } else {
                LinkFormat::Whole
            },
        }
    }
}

impl StoredLink {
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
    pub(crate) fn broken_at(&mut self, chain: &str, seq: i64, what: &'static str) {
        self.broken.push(BrokenLinkReport {
            chain: chain.to_owned(),
            seq,
            what,
        });
    }

    /// Checks a case row against its records: its count and last hash are theirs, and with
    /// `seal`, its head and state carry their seals (a missing one is removed once `sealed`).
    fn check_head(
        &mut self,
        head: &CaseHead,
        records: &[StoredLink],
        seal: Option<&Seal>,
        sealed: bool,
    ) {
        let last = records.last().map_or(GENESIS, |r| r.hash.as_str());
        if head.event_count != records.len() as i64 || head.last_hash != last {
            self.broken_at(&head.number, head.event_count, "head");
        }
        let Some(seal) = seal else {
            return;
        };
        let expected = [
            (
                &head.head_seal,
                seal.head(&head.number, head.event_count, &head.last_hash),
                "head_seal",
            ),
            (
                &head.state_seal,
                seal.state(&head.number, &head.status, &head.state),
                "state_seal",
            ),
        ];
        let mut missing = false;
        for (stored, expected, what) in expected {
            match stored {
                Some(s) if *s == expected => {}
                Some(_) => self.broken_at(&head.number, head.event_count, what),
                None if sealed => self.broken_at(&head.number, head.event_count, "unsealed"),
                None => missing = true,
            }
        }
        self.unsealed += u64::from(missing);
    }

    /// Checks one chain's records, oldest first, and adds what it found.
    fn check(&mut self, chain: &str, records: &[StoredLink]) {
        self.chains += 1;
        match verify(records.iter().map(|r| (r.link(chain), r.hash.as_str()))) {
            Ok(n) => self.records += n,
            Err(b) => self.broken.push(b.into()),
        }
    }
}

/// `text` with LIKE's wildcards and the escape character escaped, to be matched as it is.
fn like_escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Appends an entry to the audit log inside `tx`; `payload` is JSON text. With a seal, the log's
/// new head is sealed beside it, so that removing its last entries is seen (ADR 0037).
pub(crate) async fn append(
    tx: &mut Tx,
    seal: Option<&Seal>,
    actor: &str,
    action: &str,
    payload: &str,
) -> Result<()> {
    if tx.engine() == Engine::Postgres {
        // One chain for the whole log: two appends that read the same last link would both
        // claim its successor and one would fail (a 409 on a staff log-in, found by the crash
        // test). This lock mode excludes itself but not readers; SQLite's BEGIN IMMEDIATE
        // already serialises writers.
        sqlx::query("LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE")
            .execute(tx.conn().await?)
            .await?;
    }
    let last: Option<(i64, String)> =
        sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_optional(tx.conn().await?)
            .await?;
    let (seq, prev) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS.to_owned()),
    };
    let at_ms = crate::now_ms();
    let hash = link_hash(
        &prev,
        &Link {
            chain: AUDIT_CHAIN,
            seq,
            kind: action,
            actor,
            at_ms,
            payload,
        },
    );
    sqlx::query("INSERT INTO audit_log (seq, at_ms, actor_id, action, payload, hash) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(seq)
            .bind(at_ms)
            .bind(actor.to_owned())
            .bind(action.to_owned())
            .bind(payload.to_owned())
            .bind(&hash)
            .execute(tx.conn().await?)
            .await
            .map_err(|e| crate::conflict_on_unique(e, "audit sequence"))?;
    if let Some(seal) = seal {
        put_setting(tx, AUDIT_HEAD, &sealed_head(seal, seq, &hash)).await?;
    }
    Ok(())
}

/// Where the audit log's sealed head is kept: `seq hash seal`.
const AUDIT_HEAD: &str = "audit_head";
/// Set once every chain head and case state of the database is sealed: from then on, a row
/// without a seal is one whose seal was removed.
const SEALED_SINCE: &str = "chain_seals_since";

pub(crate) fn sealed_head(seal: &Seal, seq: i64, hash: &str) -> String {
    format!("{seq} {hash} {}", seal.head(AUDIT_CHAIN, seq, hash))
}

pub(crate) async fn put_setting(tx: &mut Tx, name: &str, value: &str) -> Result<()> {
    tx.execute(
        sqlx::query(
            "INSERT INTO settings (name, value) VALUES ($1, $2)
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        )
        .bind(name.to_owned())
        .bind(value.to_owned()),
    )
    .await?;
    Ok(())
}

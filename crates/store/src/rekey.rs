//! A new data key (`onewindow rekey`): every applicant's phone and ID number sealed again and
//! their look-up hashes taken again, every seal of chain heads, case states, the audit log and
//! the census computed again, and the key's fingerprint replaced, in one transaction. Short-lived
//! keyed rows (verification codes, log-in throttling) are dropped rather than carried over.

use sqlx_macros::FromRow;

use crate::audit::{CaseHead, put_setting, seal_heads};
use crate::crypto::{Seal, Vault};
use crate::write::Tx;
use crate::{Result, Store, StoreError};

/// An applicant's sealed personal data.
#[derive(FromRow)]
struct Sealed {
    id: String,
    phone_enc: String,
    id_enc: Option<String>,
}

/// Rows rewritten per page, so a centre of any size passes through bounded memory.
const PAGE: i64 = 1000;

/// What a new key rewrote.
#[derive(Debug, Default)]
pub struct Rekeyed {
    pub applicants: u64,
    pub cases: u64,
    pub census_days: u64,
}

impl Store {
    /// Moves the database from the keys of `old` to those of `new`. The caller verifies every
    /// chain under the old key first: the new seals certify what the database holds now.
    pub async fn rekey(&self, old: (Vault, Seal), new: (Vault, Seal)) -> Result<Rekeyed> {
        self.write(move |tx| {
            Box::pin(async move {
                let (old_vault, _) = old;
                let (vault, seal) = new;
                let mut done = Rekeyed {
                    applicants: applicants(tx, &old_vault, &vault).await?,
                    ..Rekeyed::default()
                };
                tx.execute(sqlx::query("DELETE FROM verification_codes"))
                    .await?;
                tx.execute(sqlx::query("DELETE FROM login_throttle"))
                    .await?;
                done.cases = cases(tx, &seal).await?;
                done.census_days = census(tx, &seal).await?;
                let last: Option<(i64, String)> =
                    sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                        .fetch_optional(tx.conn().await?)
                        .await?;
                if let Some((seq, hash)) = last {
                    put_setting(
                        tx,
                        "audit_head",
                        &crate::audit::sealed_head(&seal, seq, &hash),
                    )
                    .await?;
                }
                put_setting(tx, crate::settings::KEY_FINGERPRINT, &vault.fingerprint()).await?;
                Ok(done)
            })
        })
        .await
    }
}

async fn applicants(tx: &mut Tx, old: &Vault, new: &Vault) -> Result<u64> {
    let mut after = String::new();
    let mut count = 0;
    loop {
        let rows: Vec<Sealed> = sqlx::query_as(
            "SELECT id, phone_enc, id_enc FROM applicants WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after.clone())
        .bind(PAGE)
        .fetch_all(tx.conn().await?)
        .await?;
        let Some(last) = rows.last() else {
            return Ok(count);
        };
        after.clone_from(&last.id);
        for r in &rows {
            let open = |sealed: &str| {
                old.decrypt(sealed)
                    .map_err(|e| StoreError::corrupt("applicant's sealed data", e))
            };
            let phone = open(&r.phone_enc)?;
            let identifier = r.id_enc.as_deref().map(open).transpose()?;
            tx.execute(
                sqlx::query(
                    "UPDATE applicants SET phone_hash = $2, phone_enc = $3, id_hash = $4, id_enc = $5
                     WHERE id = $1",
                )
                .bind(r.id.clone())
                .bind(new.lookup_hash(&phone))
                .bind(new.encrypt(&phone))
                .bind(identifier.as_deref().map(|i| new.lookup_hash(i)))
                .bind(identifier.as_deref().map(|i| new.encrypt(i))),
            )
            .await?;
            count += 1;
        }
    }
}

async fn cases(tx: &mut Tx, seal: &Seal) -> Result<u64> {
    let mut after = String::new();
    let mut count = 0;
    loop {
        let rows: Vec<CaseHead> = sqlx::query_as(
            "SELECT number, event_count, last_hash, status, state, head_seal, state_seal FROM cases
             WHERE number > $1 ORDER BY number LIMIT $2",
        )
        .bind(after.clone())
        .bind(PAGE)
        .fetch_all(tx.conn().await?)
        .await?;
        let Some(last) = rows.last() else {
            return Ok(count);
        };
        after.clone_from(&last.number);
        seal_heads(tx, seal, &rows).await?;
        count += rows.len() as u64;
    }
}

async fn census(tx: &mut Tx, seal: &Seal) -> Result<u64> {
    let rows: Vec<(String, String, i64, String)> = sqlx::query_as(
        "SELECT region_code, day, cases, digest FROM case_census ORDER BY region_code, day",
    )
    .fetch_all(tx.conn().await?)
    .await?;
    let mut before: Option<(String, String)> = None;
    for (region, day, cases, digest) in &rows {
        let prior = match &before {
            Some((r, s)) if r == region => s.clone(),
            _ => crate::census::FIRST.to_owned(),
        };
        let sealed = seal.census(region, day, *cases, digest, &prior);
        tx.execute(
            sqlx::query("UPDATE case_census SET seal = $3 WHERE region_code = $1 AND day = $2")
                .bind(region.clone())
                .bind(day.clone())
                .bind(sealed.clone()),
        )
        .await?;
        put_setting(
            tx,
            &crate::census::head_name(region),
            &format!("{day} {sealed}"),
        )
        .await?;
        before = Some((region.clone(), sealed));
    }
    Ok(rows.len() as u64)
}

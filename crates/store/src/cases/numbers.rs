//! Case numbers: a district's sequence for each day (region code + date + sequence).
//!
//! On SQLite a case takes the next number inside its own transaction, which the one writer
//! runs after every earlier one: numbers follow each other without a gap. On PostgreSQL that
//! would make every new case of the district wait for the one before it to be committed and
//! on disk, as the row of the day's sequence stays locked until then (`make bench`, S1 and S2:
//! the most common wait in pg_stat_activity). There a server reserves [`BLOCK`] numbers at a
//! time in a transaction of its own and hands them out in order; numbers a server reserved and
//! did not use before it stopped are skipped. A case number names a case; it was never a count
//! (drafts that are never submitted take one too), and the kept counts are the statistics.

use std::collections::HashMap;
use std::ops::RangeInclusive;

use chrono::NaiveDate;
use tokio::sync::Mutex;

use crate::write::Tx;
use crate::{Engine, Result, Store, StoreError};

/// How many numbers a PostgreSQL server reserves at a time.
const BLOCK: u32 = 16;

/// The numbers a server has reserved and not yet handed out, by district and day.
#[derive(Default)]
pub(crate) struct Reserved(Mutex<HashMap<(String, NaiveDate), RangeInclusive<u32>>>);

impl Store {
    /// The number of a new case of a district's day, on PostgreSQL: from this server's block,
    /// taken before the case's transaction begins (a reservation needs a connection of its own).
    /// On SQLite `None`: the case takes the next number in its own job ([`advance`]).
    pub(crate) async fn reserved_case_sequence(
        &self,
        region: &str,
        day: NaiveDate,
    ) -> Result<Option<u32>> {
        if self.engine == Engine::Sqlite {
            return Ok(None);
        }
        let mut reserved = self.reserved_numbers.0.lock().await;
        let key = (region.to_owned(), day);
        if let Some(next) = reserved.get_mut(&key).and_then(Iterator::next) {
            return Ok(Some(next));
        }
        let owned = region.to_owned();
        let last = self
            .write(move |tx| Box::pin(async move { advance(tx, &owned, day, BLOCK).await }))
            .await?;
        // A new day's block: the days before are over.
        reserved.retain(|(_, d), _| *d >= day);
        let mut block = (last - BLOCK + 1)..=last;
        let next = block.next();
        reserved.insert(key, block);
        Ok(next)
    }

    /// Takes the next number of a district's day (region code + date + sequence).
    pub async fn next_case_sequence(&self, region: &str, day: NaiveDate) -> Result<u32> {
        if let Some(seq) = self.reserved_case_sequence(region, day).await? {
            return Ok(seq);
        }
        let owned = region.to_owned();
        self.write(move |tx| Box::pin(async move { advance(tx, &owned, day, 1).await }))
            .await
    }

    /// Sets a day's last case sequence (after an import), never lowering it.
    pub async fn set_case_sequence(&self, region: &str, day: NaiveDate, last: u32) -> Result<()> {
        self.write_one(sqlx::query(
            "INSERT INTO case_sequences (region_code, day, last) VALUES ($1, $2, $3)
             ON CONFLICT (region_code, day) DO UPDATE SET last = CASE WHEN case_sequences.last > $3 THEN case_sequences.last ELSE $3 END",
        )
        .bind(region.to_owned())
        .bind(day.to_string())
        .bind(last as i64)
        )
        .await?;
        // Numbers reserved before may be the imported cases' now.
        let key = (region.to_owned(), day);
        self.reserved_numbers.0.lock().await.remove(&key);
        Ok(())
    }
}

/// Moves a day's sequence on by `by`; returns its new last number.
pub(crate) async fn advance(tx: &mut Tx, region: &str, day: NaiveDate, by: u32) -> Result<u32> {
    let last: i64 = sqlx::query_scalar(
        "INSERT INTO case_sequences (region_code, day, last) VALUES ($1, $2, $3)
         ON CONFLICT (region_code, day) DO UPDATE SET last = case_sequences.last + $3 RETURNING last",
    )
    .bind(region)
    .bind(day.to_string())
    .bind(i64::from(by))
    .fetch_one(tx.conn().await?)
    .await?;
    u32::try_from(last).map_err(|e| StoreError::corrupt("case sequence", e))
}

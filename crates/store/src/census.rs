//! The sealed census of case numbers (ADR 0037): for each district and finished day, how many
//! cases it numbered and a digest of their numbers, sealed and chained to the day before. A
//! case deleted whole, with its events and seals, leaves its day's census short.

use chrono::NaiveDate;
use onewindow_domain::identity::CaseNumber;
use sm3::{Digest, Sm3};
use sqlx::AnyConnection;
use sqlx_macros::FromRow;

use crate::audit::{ChainReport, put_setting};
use crate::crypto::Seal;
use crate::{Result, Store, StoreError};

/// The seal before a district's first census.
pub(crate) const FIRST: &str = "";

/// The key of the census's advisory lock on PostgreSQL ("ow-cens").
const CENSUS_LOCK: i64 = 0x006f_772d_6365_6e73;

/// The settings entry that keeps a district's last sealed census: `day seal`.
pub(crate) fn head_name(region: &str) -> String {
    format!("census_head:{region}")
}

#[derive(FromRow)]
struct CensusRow {
    region_code: String,
    day: String,
    cases: i64,
    digest: String,
    seal: String,
}

/// A district's case numbers of a day, in order: those that begin `{region}-{YYYYMMDD}-`.
async fn numbers_of(conn: &mut AnyConnection, region: &str, day: NaiveDate) -> Result<Vec<String>> {
    let stem = format!("{region}-{}", day.format("%Y%m%d"));
    // '.' sorts right after '-': the range holds exactly the numbers with the prefix.
    Ok(sqlx::query_scalar(
        "SELECT number FROM cases WHERE number >= $1 AND number < $2 ORDER BY number",
    )
    .bind(format!("{stem}-"))
    .bind(format!("{stem}."))
    .fetch_all(conn)
    .await?)
}

/// Hex SM3 of the numbers in order, each ended by a newline.
fn digest(numbers: &[String]) -> String {
    let mut h = Sm3::new();
    for n in numbers {
        h.update(n.as_bytes());
        h.update(b"\n");
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn parse_day(day: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(|e| StoreError::corrupt("census day", e))
}

impl Store {
    /// Takes the census of each of the district's days not yet counted, up to `through`: from
    /// the day after its last census, or from its first case. Returns how many days it sealed;
    /// none without a seal.
    pub async fn take_census(&self, region: &str, through: NaiveDate) -> Result<u32> {
        let Some(seal) = self.seal.clone() else {
            return Ok(0);
        };
        let last: Option<CensusRow> = sqlx::query_as(
            "SELECT region_code, day, cases, digest, seal FROM case_census
             WHERE region_code = $1 ORDER BY day DESC LIMIT 1",
        )
        .bind(region)
        .fetch_optional(&mut *self.read().await?)
        .await?;
        let (mut day, mut before) = match last {
            Some(r) => (parse_day(&r.day)? + chrono::Days::new(1), r.seal),
            None => {
                let first: Option<String> = sqlx::query_scalar(
                    "SELECT MIN(number) FROM cases WHERE number >= $1 AND number < $2",
                )
                .bind(format!("{region}-"))
                .bind(format!("{region}."))
                .fetch_one(&mut *self.read().await?)
                .await?;
                match first.and_then(|n| CaseNumber::parse(&n).ok()) {
                    Some(n) => (n.date(), FIRST.to_owned()),
                    None => return Ok(0),
                }
            }
        };
        let mut sealed = 0;
        while day <= through {
            let (seal, region, prior) = (seal.clone(), region.to_owned(), before.clone());
            before = self
                .write(move |tx| {
                    Box::pin(async move {
                        // Another process on the database may be counting the same day.
                        if tx.engine() == crate::Engine::Postgres {
                            tx.execute(
                                sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(CENSUS_LOCK),
                            )
                            .await?;
                        }
                        let counted: Option<String> = sqlx::query_scalar(
                            "SELECT seal FROM case_census WHERE region_code = $1 AND day = $2",
                        )
                        .bind(region.clone())
                        .bind(day.to_string())
                        .fetch_optional(tx.conn().await?)
                        .await?;
                        if let Some(seal) = counted {
                            return Ok(seal);
                        }
                        let numbers = numbers_of(tx.conn().await?, &region, day).await?;
                        let (text, digest) = (day.to_string(), digest(&numbers));
                        let cases = numbers.len() as i64;
                        let sealed = seal.census(&region, &text, cases, &digest, &prior);
                        tx.execute(
                            sqlx::query(
                                "INSERT INTO case_census (region_code, day, cases, digest, seal)
                                 VALUES ($1, $2, $3, $4, $5)",
                            )
                            .bind(region.clone())
                            .bind(text.clone())
                            .bind(cases)
                            .bind(digest)
                            .bind(sealed.clone()),
                        )
                        .await?;
                        put_setting(tx, &head_name(&region), &format!("{text} {sealed}")).await?;
                        Ok(sealed)
                    })
                })
                .await?;
            day = day + chrono::Days::new(1);
            sealed += 1;
        }
        Ok(sealed)
    }

    /// Checks every district's census against its cases and its seals, and its last census
    /// against the sealed head; adds what fails to `report` under the chain `census REGION`.
    pub(crate) async fn verify_census(&self, seal: &Seal, report: &mut ChainReport) -> Result<()> {
        let rows: Vec<CensusRow> = sqlx::query_as(
            "SELECT region_code, day, cases, digest, seal FROM case_census ORDER BY region_code, day",
        )
        .fetch_all(&mut *self.read().await?)
        .await?;
        let heads: Vec<(String, String)> =
            sqlx::query_as("SELECT name, value FROM settings WHERE name LIKE 'census_head:%'")
                .fetch_all(&mut *self.read().await?)
                .await?;
        let mut regions: Vec<&str> = rows.iter().map(|r| r.region_code.as_str()).collect();
        regions.extend(
            heads
                .iter()
                .filter_map(|(n, _)| n.strip_prefix("census_head:")),
        );
        regions.sort_unstable();
        regions.dedup();
        for region in regions {
            let chain = format!("census {region}");
            let mut before = FIRST.to_owned();
            let mut last = None;
            for r in rows.iter().filter(|r| r.region_code == region) {
                let day = parse_day(&r.day)?;
                let numbers = numbers_of(&mut *self.read().await?, region, day).await?;
                let seq = day.format("%Y%m%d").to_string().parse().unwrap_or_default();
                if numbers.len() as i64 != r.cases || digest(&numbers) != r.digest {
                    report.broken_at(&chain, seq, "census");
                }
                if seal.census(region, &r.day, r.cases, &r.digest, &before) != r.seal {
                    report.broken_at(&chain, seq, "census_seal");
                }
                before.clone_from(&r.seal);
                last = Some(format!("{} {}", r.day, r.seal));
            }
            let head = heads
                .iter()
                .find(|(n, _)| *n == head_name(region))
                .map(|(_, v)| v.clone());
            if head != last {
                report.broken_at(&chain, 0, "census_head");
            }
        }
        Ok(())
    }
}

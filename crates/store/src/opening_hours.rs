//! Each hall's weekly opening hours, kept as the domain's JSON.

use onewindow_domain::opening_hours::OpeningHours;
use sqlx_macros::FromRow;

use crate::write::Tx;
use crate::{Result, Store, StoreError, one_row};

/// A hall as its opening hours need it.
#[derive(Debug, Clone)]
pub struct HallHours {
    /// The region whose calendar closes and opens it.
    pub region: String,
    /// None: the hall has published no opening hours.
    pub hours: Option<OpeningHours>,
}

/// A hall's row with its stored hours, if any.
#[derive(FromRow)]
struct HallRow {
    code: String,
    region_code: String,
    hours: Option<String>,
}

impl HallRow {
    fn read(self) -> Result<(String, HallHours)> {
        let hours = self
            .hours
            .map(|h| serde_json::from_str(&h))
            .transpose()
            .map_err(|e| StoreError::corrupt("opening hours", e))?;
        let region = self.region_code;
        Ok((self.code, HallHours { region, hours }))
    }
}

impl Store {
    /// The hall's region and opening hours; `NotFound` for no such hall.
    pub async fn opening_hours(&self, hall: &str) -> Result<HallHours> {
        let row: Option<HallRow> = sqlx::query_as(
            "SELECT h.code, h.region_code, o.hours FROM halls h
             LEFT JOIN opening_hours o ON o.hall_code = h.code WHERE h.code = $1",
        )
        .bind(hall)
        .fetch_optional(&mut *self.read().await?)
        .await?;
        let (_, found) = row.ok_or(StoreError::NotFound)?.read()?;
        Ok(found)
    }

    /// Every hall's code, region and opening hours, by code, in one read.
    pub async fn all_opening_hours(&self) -> Result<Vec<(String, HallHours)>> {
        let rows: Vec<HallRow> = sqlx::query_as(
            "SELECT h.code, h.region_code, o.hours FROM halls h
             LEFT JOIN opening_hours o ON o.hall_code = h.code ORDER BY h.code",
        )
        .fetch_all(&mut *self.read().await?)
        .await?;
        rows.into_iter().map(HallRow::read).collect()
    }

    /// Sets a hall's opening hours, replacing any before; `NotFound` for no such hall.
    pub async fn put_opening_hours(&self, hall: &str, hours: &OpeningHours) -> Result<()> {
        let (hall, hours) = (hall.to_owned(), hours.clone());
        self.write(move |tx| Box::pin(async move { put_in(tx, &hall, &hours).await }))
            .await
    }
}

/// Sets a hall's opening hours inside `tx`; `NotFound` for no such hall.
pub(crate) async fn put_in(tx: &mut Tx, hall: &str, hours: &OpeningHours) -> Result<()> {
    let json = serde_json::to_string(hours).map_err(|e| StoreError::corrupt("opening hours", e))?;
    let known: Option<String> = sqlx::query_scalar("SELECT code FROM halls WHERE code = $1")
        .bind(hall)
        .fetch_optional(tx.conn().await?)
        .await?;
    one_row(u64::from(known.is_some()))?;
    tx.execute(
        sqlx::query(
            "INSERT INTO opening_hours (hall_code, hours, updated_ms) VALUES ($1, $2, $3)
             ON CONFLICT (hall_code) DO UPDATE SET hours = excluded.hours, updated_ms = excluded.updated_ms",
        )
        .bind(hall.to_owned())
        .bind(json)
        .bind(crate::now_ms()),
    )
    .await?;
    Ok(())
}

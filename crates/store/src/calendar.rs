//! A region's own calendar edits (holidays and make-up working days on top of the national data).

use chrono::NaiveDate;
use onewindow_domain::calendar::{DayKind, DayOverride};
use sqlx_macros::FromRow;

use crate::write::Tx;
use crate::{Result, Store, StoreError};

/// A region's edit of one day as stored: the date as ISO text, the kind as text.
#[derive(FromRow)]
struct DayRow {
    day: String,
    kind: String,
    name: String,
}

impl TryFrom<DayRow> for DayOverride {
    type Error = StoreError;

    fn try_from(r: DayRow) -> Result<Self> {
        Ok(DayOverride {
            date: NaiveDate::parse_from_str(&r.day, "%Y-%m-%d")
                .map_err(|e| StoreError::corrupt("calendar day", e))?,
            kind: if r.kind == "workday" {
                DayKind::Workday
            } else {
                DayKind::Holiday
            },
            name: r.name,
        })
    }
}

impl Store {
    pub async fn calendar_overrides(&self, region: &str) -> Result<Vec<DayOverride>> {
        let rows = sqlx::query_as::<_, DayRow>(
            "SELECT day, kind, name FROM calendar_days WHERE region_code = $1 ORDER BY day",
        )
        .bind(region)
        .fetch_all(&mut *self.read().await?)
        .await?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    /// Removes a region's edit of one day, so the national calendar holds again; false when the
    /// region had none.
    pub async fn delete_calendar_override(&self, region: &str, day: NaiveDate) -> Result<bool> {
        let deleted = self
            .write_one(
                sqlx::query("DELETE FROM calendar_days WHERE region_code = $1 AND day = $2")
                    .bind(region.to_owned())
                    .bind(day.to_string()),
            )
            .await?;
        Ok(deleted > 0)
    }

    /// Sets (replaces) a region's edits for the given days.
    pub async fn put_calendar_overrides(&self, region: &str, days: &[DayOverride]) -> Result<()> {
        let (region, days) = (region.to_owned(), days.to_vec());
        self.write(move |tx| Box::pin(async move { put_overrides_in(tx, &region, &days).await }))
            .await
    }
}

/// Sets (replaces) a region's edits for the given days inside `tx`.
pub(crate) async fn put_overrides_in(
    tx: &mut Tx,
    region: &str,
    days: &[DayOverride],
) -> Result<()> {
    for d in days {
        tx.execute(
            sqlx::query("DELETE FROM calendar_days WHERE region_code = $1 AND day = $2")
                .bind(region.to_owned())
                .bind(d.date.to_string()),
        )
        .await?;
        tx.execute(
            sqlx::query(
                "INSERT INTO calendar_days (region_code, day, kind, name) VALUES ($1, $2, $3, $4)",
            )
            .bind(region.to_owned())
            .bind(d.date.to_string())
            .bind(d.kind.as_str())
            .bind(&d.name),
        )
        .await?;
    }
    Ok(())
}

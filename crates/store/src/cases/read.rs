//! Reading a case as stored, and the case numbers in order.

use sqlx::Row;

use super::CaseRecord;
use crate::{Result, Store, StoreError};

impl Store {
    pub async fn case(&self, number: &str) -> Result<CaseRecord> {
        let row = sqlx::query(
            "SELECT number, item_name, department_code, applicant_masked, state, event_count, last_hash, month FROM cases WHERE number = $1",
        )
        .bind(number)
        .fetch_optional(&mut *self.read().await?)
        .await?
        .ok_or(StoreError::NotFound)?;
        let state: String = row.try_get("state")?;
        Ok(CaseRecord {
            number: row.try_get("number")?,
            item_name: row.try_get("item_name")?,
            department: row.try_get("department_code")?,
            applicant_masked: row.try_get("applicant_masked")?,
            case: serde_json::from_str(&state).map_err(|e| StoreError::corrupt("case", e))?,
            event_count: row.try_get("event_count")?,
            last_hash: row.try_get("last_hash")?,
            month: row.try_get("month")?,
        })
    }
    /// Every case number, in order, for chain verification.
    pub async fn case_numbers_after(&self, after: &str, limit: i64) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT number FROM cases WHERE number > $1 ORDER BY number LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&mut *self.read().await?)
        .await?)
    }

    /// Whether any case is stored: at a server's start, without counting millions of rows.
    pub async fn has_cases(&self) -> Result<bool> {
        Ok(sqlx::query("SELECT 1 FROM cases LIMIT 1")
            .fetch_optional(&mut *self.read().await?)
            .await?
            .is_some())
    }

    pub async fn count_cases(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM cases")
            .fetch_one(&mut *self.read().await?)
            .await?)
    }
}

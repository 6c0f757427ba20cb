//! Reading a case as stored, and the case numbers in order.

use sqlx_macros::FromRow;

use super::CaseRecord;
use crate::{Result, Store, StoreError};

impl Store {
    pub async fn case(&self, number: &str) -> Result<CaseRecord> {
        let row: StoredCase = sqlx::query_as(
            "SELECT number, item_name, department_code, applicant_masked, state, event_count, last_hash, month FROM cases WHERE number = $1",
        )
        .bind(number)
        .fetch_optional(&mut *self.read().await?)
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok(CaseRecord {
            case: serde_json::from_str(&row.state).map_err(|e| StoreError::corrupt("case", e))?,
            number: row.number,
            item_name: row.item_name,
            department: row.department_code,
            applicant_masked: row.applicant_masked,
            event_count: row.event_count,
            last_hash: row.last_hash,
            month: row.month,
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

    /// The applicant's unsent applications (drafts), for their quota.
    pub async fn open_drafts(&self, applicant: &str) -> Result<u64> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM cases WHERE applicant_id = $1 AND status = 'draft'",
        )
        .bind(applicant)
        .fetch_one(&mut *self.read().await?)
        .await?;
        Ok(n as u64)
    }

    pub async fn count_cases(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM cases")
            .fetch_one(&mut *self.read().await?)
            .await?)
    }
}

/// A case row as [`Store::case`] reads it: the case's state as JSON.
#[derive(FromRow)]
struct StoredCase {
    number: String,
    item_name: String,
    department_code: String,
    applicant_masked: String,
    state: String,
    event_count: i64,
    last_hash: String,
    month: String,
}

//! The sequences of decision document numbers (文号): one per department and year. The number
//! is taken in a job of its own once the domain has let a decision stand, before the decision is
//! stored: a decision that a concurrent change of the case then overtakes leaves its number
//! unused, and that is the only gap (ADR 0024).

use crate::{Result, Store, StoreError};

impl Store {
    /// Takes the next place in `department`'s decisions of `year`, counted from 1.
    pub async fn next_document_sequence(&self, department: &str, year: i32) -> Result<u32> {
        let department = department.to_owned();
        self.write(move |tx| {
            Box::pin(async move {
                let last: i64 = sqlx::query_scalar(
                    "INSERT INTO document_sequences (department_code, year, last) VALUES ($1, $2, 1)
                     ON CONFLICT (department_code, year) DO UPDATE SET last = document_sequences.last + 1 RETURNING last",
                )
                .bind(department)
                .bind(i64::from(year))
                .fetch_one(tx.conn().await?)
                .await?;
                u32::try_from(last).map_err(|e| StoreError::corrupt("document sequence", e))
            })
        })
        .await
    }

    /// Sets a department's last place of a year after an import, never lowering it.
    pub async fn set_document_sequence(
        &self,
        department: &str,
        year: i32,
        last: u32,
    ) -> Result<()> {
        self.write_one(
            sqlx::query(
                "INSERT INTO document_sequences (department_code, year, last) VALUES ($1, $2, $3)
                 ON CONFLICT (department_code, year) DO UPDATE SET last = CASE WHEN document_sequences.last > $3 THEN document_sequences.last ELSE $3 END",
            )
            .bind(department.to_owned())
            .bind(i64::from(year))
            .bind(i64::from(last)),
        )
        .await?;
        Ok(())
    }
}

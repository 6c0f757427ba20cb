//! Server-side sessions. The cookie holds a random token; the database only its SM3 digest.

use serde::Serialize;

use crate::applicants::Applicant;
use crate::crypto::{digest_hex, random_hex};
use crate::organisation::staff::Staff;
use crate::{Result, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    Staff,
    Applicant,
}

impl SubjectKind {
    /// How sessions name the kind.
    fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Staff => "staff",
            SubjectKind::Applicant => "applicant",
        }
    }

    /// The table of its accounts.
    fn table(self) -> &'static str {
        match self {
            SubjectKind::Staff => "staff",
            SubjectKind::Applicant => "applicants",
        }
    }
}

/// The holder of a session.
#[derive(Debug, Clone)]
pub enum Subject {
    Staff(Staff),
    Applicant(Applicant),
}

impl Store {
    /// After a log-in attempt: the count of failures in a row, and until when the account is
    /// locked (0: not locked).
    pub async fn record_login(
        &self,
        kind: SubjectKind,
        id: &str,
        failed_logins: i64,
        locked_until_ms: i64,
    ) -> Result<()> {
        let sql = format!(
            "UPDATE {} SET failed_logins = $2, locked_until_ms = $3 WHERE id = $1",
            kind.table()
        );
        self.write_one(
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(id)
                .bind(failed_logins)
                .bind(locked_until_ms),
        )
        .await?;
        Ok(())
    }

    /// Sets an account's new password and clears its lock. Every session of the account but
    /// `keep` (the one that made the change, if any) ends: whoever held the old password or a
    /// stolen session is out.
    pub async fn set_password(
        &self,
        kind: SubjectKind,
        id: &str,
        password_hash: &str,
        keep: Option<&str>,
    ) -> Result<()> {
        let update = format!(
            "UPDATE {} SET password_hash = $2, failed_logins = 0, locked_until_ms = 0 WHERE id = $1",
            kind.table()
        );
        let (id, hash) = (id.to_owned(), password_hash.to_owned());
        let kept = keep.map(digest_hex).unwrap_or_default();
        self.write(move |tx| {
            Box::pin(async move {
                tx.execute(
                    sqlx::query(sqlx::AssertSqlSafe(update))
                        .bind(&id)
                        .bind(hash),
                )
                .await?;
                tx.execute(
                    sqlx::query(
                        "DELETE FROM sessions WHERE subject_kind = $1 AND subject_id = $2 AND token_hash <> $3",
                    )
                    .bind(kind.as_str())
                    .bind(&id)
                    .bind(kept),
                )
                .await?;
                Ok(())
            })
        })
        .await
    }

    /// Opens a session and returns its token (to be sent once, in the cookie).
    pub async fn open_session(
        &self,
        kind: SubjectKind,
        subject: &str,
        now: i64,
        ttl_ms: i64,
    ) -> Result<String> {
        let token = random_hex(32);
        self.write_one(sqlx::query(
            "INSERT INTO sessions (token_hash, subject_kind, subject_id, created_ms, expires_ms) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(digest_hex(&token))
        .bind(kind.as_str())
        .bind(subject)
        .bind(now)
        .bind(now + ttl_ms)
        )
        .await?;
        Ok(token)
    }

    /// Who holds a live session: the session and its staff member or applicant read on one
    /// pooled connection, since every request of a signed-in person asks this first.
    pub async fn session_subject(&self, token: &str, now: i64) -> Result<Option<Subject>> {
        let mut conn = self.read().await?;
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT subject_kind, subject_id FROM sessions WHERE token_hash = $1 AND expires_ms > $2",
        )
        .bind(digest_hex(token))
        .bind(now)
        .fetch_optional(&mut *conn)
        .await?;
        let Some((kind, id)) = row else {
            return Ok(None);
        };
        Ok(if kind == "staff" {
            crate::organisation::staff::by_id(&mut conn, &id)
                .await?
                .map(Subject::Staff)
        } else {
            crate::applicants::by_id(&mut conn, &id)
                .await?
                .map(Subject::Applicant)
        })
    }

    pub async fn close_session(&self, token: &str) -> Result<()> {
        self.write_one(
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(digest_hex(token)),
        )
        .await?;
        Ok(())
    }
}

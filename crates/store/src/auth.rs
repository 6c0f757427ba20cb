//! Server-side sessions. The cookie holds a random token; the database only its SM3 digest.

use std::collections::HashMap;

use onewindow_domain::auth::{
    FREE_PER_ADDRESS, FREE_PER_NAME, Throttle, Throttled, reserve_attempt,
};
use onewindow_domain::organisation::PASSWORD_HISTORY;
use serde::Serialize;

use crate::applicants::Applicant;
use crate::crypto::{digest_hex, random_hex};
use crate::organisation::staff::Staff;
use crate::write::Tx;
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
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Staff => "staff",
            SubjectKind::Applicant => "applicant",
        }
    }

    /// The table of its accounts.
    pub(crate) fn table(self) -> &'static str {
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
    /// Reserves a log-in attempt at `now` under a name (`name_key`) and under the name from one
    /// client address (`address_key`), in one transaction: refused while either must wait,
    /// otherwise counted as a failure before the password is checked ([`reserve_attempt`]).
    pub async fn reserve_login(
        &self,
        name_key: &str,
        address_key: &str,
        now: i64,
    ) -> Result<std::result::Result<(), Throttled>> {
        let (name_key, address_key) = (name_key.to_owned(), address_key.to_owned());
        self.write(move |tx| {
            Box::pin(async move {
                let mut reserved = Vec::new();
                for (key, free) in [(&name_key, FREE_PER_NAME), (&address_key, FREE_PER_ADDRESS)] {
                    // One statement that creates or locks the row and reads it: a row read
                    // after a separate insert may be gone, cleared by a log-in that succeeded.
                    let (failures, wait_until_ms): (i64, i64) = sqlx::query_as(
                        "INSERT INTO login_throttle (key, name_key, failures, wait_until_ms) VALUES ($1, $2, 0, 0) ON CONFLICT (key) DO UPDATE SET failures = login_throttle.failures RETURNING failures, wait_until_ms",
                    )
                    .bind(key.as_str())
                    .bind(name_key.as_str())
                    .fetch_one(tx.conn().await?)
                    .await?;
                    let kept = Throttle { failures, wait_until_ms };
                    match reserve_attempt(Some(kept), free, now) {
                        Ok(next) => reserved.push((key.clone(), next)),
                        Err(throttled) => return Ok(Err(throttled)),
                    }
                }
                for (key, next) in reserved {
                    tx.execute(
                        sqlx::query("UPDATE login_throttle SET failures = $2, wait_until_ms = $3 WHERE key = $1")
                            .bind(key)
                            .bind(next.failures)
                            .bind(next.wait_until_ms),
                    )
                    .await?;
                }
                Ok(Ok(()))
            })
        })
        .await
    }

    /// Forgets the failures kept under `keys` (a log-in that succeeded).
    pub async fn clear_login_failures(&self, keys: &[&str]) -> Result<()> {
        let keys: Vec<String> = keys.iter().map(|k| (*k).to_owned()).collect();
        self.write(move |tx| {
            Box::pin(async move {
                for key in keys {
                    tx.execute(sqlx::query("DELETE FROM login_throttle WHERE key = $1").bind(key))
                        .await?;
                }
                Ok(())
            })
        })
        .await
    }

    /// Forgets every failure kept under a name, from any address (an admin's unlock, a new
    /// password); whether there were any.
    pub async fn clear_name_failures(&self, name_key: &str) -> Result<bool> {
        let done = self
            .write_one(
                sqlx::query("DELETE FROM login_throttle WHERE name_key = $1")
                    .bind(name_key.to_owned()),
            )
            .await?;
        Ok(done > 0)
    }

    /// Until when each of `name_keys` that must wait does (from any address), after `now`.
    pub async fn login_waits(
        &self,
        name_keys: &[String],
        now: i64,
    ) -> Result<HashMap<String, i64>> {
        let mut waits = HashMap::new();
        for chunk in name_keys.chunks(500) {
            let placeholders: Vec<String> = (2..chunk.len() + 2).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT name_key, MAX(wait_until_ms) FROM login_throttle WHERE wait_until_ms > $1 AND name_key IN ({}) GROUP BY name_key",
                placeholders.join(", ")
            );
            let mut q = sqlx::query_as::<_, (String, i64)>(sqlx::AssertSqlSafe(sql)).bind(now);
            for k in chunk {
                q = q.bind(k.as_str());
            }
            waits.extend(q.fetch_all(&mut *self.read().await?).await?);
        }
        Ok(waits)
    }

    /// Sets an account's new password. Every session of the account but
    /// `keep` (the one that made the change, if any) ends: whoever held the old password or a
    /// stolen session is out.
    pub async fn set_password(
        &self,
        kind: SubjectKind,
        id: &str,
        password_hash: &str,
        keep: Option<&str>,
    ) -> Result<()> {
        // Chosen by the account's holder: a staff account no longer has to change it.
        let update = match kind {
            SubjectKind::Staff => {
                "UPDATE staff SET password_hash = $2, must_change_password = 0 WHERE id = $1"
            }
            SubjectKind::Applicant => "UPDATE applicants SET password_hash = $2 WHERE id = $1",
        };
        let (id, hash) = (id.to_owned(), password_hash.to_owned());
        let kept = keep.map(digest_hex).unwrap_or_default();
        self.write(move |tx| {
            Box::pin(async move {
                keep_old_password(tx, kind, &id).await?;
                tx.execute(sqlx::query(update).bind(&id).bind(hash)).await?;
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

    /// The account's earlier password hashes, newest first (the current one is the account's).
    pub async fn password_history(&self, kind: SubjectKind, id: &str) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT password_hash FROM password_history WHERE subject_kind = $1 AND subject_id = $2 ORDER BY set_ms DESC",
        )
        .bind(kind.as_str())
        .bind(id)
        .fetch_all(&mut *self.read().await?)
        .await?)
    }

    /// Opens a session of `subject` at `now`, ending at `now + ttl_ms`, and earlier after
    /// `idle_ms` without use when given.
    pub async fn open_session(
        &self,
        kind: SubjectKind,
        subject: &str,
        now: i64,
        ttl_ms: i64,
        idle_ms: Option<i64>,
    ) -> Result<String> {
        let token = random_hex(32);
        self.write_one(sqlx::query(
            "INSERT INTO sessions (token_hash, subject_kind, subject_id, created_ms, expires_ms, idle_until_ms) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(digest_hex(&token))
        .bind(kind.as_str())
        .bind(subject)
        .bind(now)
        .bind(now + ttl_ms)
        .bind(idle_ms.map(|idle| now + idle))
        )
        .await?;
        Ok(token)
    }

    /// Who holds a live session, and until when it may idle: the session and its staff member
    /// or applicant read on one pooled connection, since every request of a signed-in person
    /// asks this first.
    pub async fn session_subject(
        &self,
        token: &str,
        now: i64,
    ) -> Result<Option<(Subject, Option<i64>)>> {
        let mut conn = self.read().await?;
        let row: Option<(String, String, Option<i64>)> = sqlx::query_as(
            "SELECT subject_kind, subject_id, idle_until_ms FROM sessions WHERE token_hash = $1 AND expires_ms > $2 AND (idle_until_ms IS NULL OR idle_until_ms > $2)",
        )
        .bind(digest_hex(token))
        .bind(now)
        .fetch_optional(&mut *conn)
        .await?;
        let Some((kind, id, idle_until)) = row else {
            return Ok(None);
        };
        let subject = if kind == "staff" {
            crate::organisation::staff::by_id(&mut conn, &id)
                .await?
                .map(Subject::Staff)
        } else {
            crate::applicants::by_id(&mut conn, &id)
                .await?
                .map(Subject::Applicant)
        };
        Ok(subject.map(|s| (s, idle_until)))
    }

    /// Moves a session's idle end on to `idle_until` (it was just used).
    pub async fn touch_session(&self, token: &str, idle_until: i64) -> Result<()> {
        self.write_one(
            sqlx::query("UPDATE sessions SET idle_until_ms = $2 WHERE token_hash = $1")
                .bind(digest_hex(token))
                .bind(idle_until),
        )
        .await?;
        Ok(())
    }

    pub async fn close_session(&self, token: &str) -> Result<()> {
        self.write_one(
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(digest_hex(token)),
        )
        .await?;
        Ok(())
    }
}

/// Before an account's password is replaced, in `tx`: its current hash joins its history, which
/// keeps the [`PASSWORD_HISTORY`] − 1 newest.
pub(crate) async fn keep_old_password(tx: &mut Tx, kind: SubjectKind, id: &str) -> Result<()> {
    let now = crate::now_ms();
    let keep = format!(
        "INSERT INTO password_history (subject_kind, subject_id, password_hash, set_ms) SELECT $1, id, password_hash, $3 FROM {} WHERE id = $2",
        kind.table()
    );
    tx.execute(
        sqlx::query(sqlx::AssertSqlSafe(keep))
            .bind(kind.as_str())
            .bind(id.to_owned())
            .bind(now),
    )
    .await?;
    let prune = format!(
        "DELETE FROM password_history WHERE subject_kind = $1 AND subject_id = $2 AND set_ms < \
         (SELECT MIN(set_ms) FROM (SELECT set_ms FROM password_history WHERE subject_kind = $1 AND subject_id = $2 ORDER BY set_ms DESC LIMIT {}) AS newest)",
        PASSWORD_HISTORY - 1
    );
    tx.execute(
        sqlx::query(sqlx::AssertSqlSafe(prune))
            .bind(kind.as_str())
            .bind(id.to_owned()),
    )
    .await?;
    Ok(())
}

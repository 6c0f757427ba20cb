//! What one server process must hear of another's writes on the same PostgreSQL database (ADR
//! 0038): a region's calendar edited, which each process keeps in memory. Told with `NOTIFY` in
//! the database, heard with `LISTEN`. On SQLite one process serves, and nothing is told.

use sqlx::postgres::PgListener;

use crate::{Engine, Result, Store};

/// The channel a calendar edit is told on; the payload is the region's code.
const CALENDAR: &str = "onewindow_calendar";

/// What a listener heard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Announcement {
    /// This region's calendar changed.
    Calendar(String),
    /// The connection was lost and made again: whatever was told meanwhile is unknown.
    Missed,
}

/// A process's ear on the database.
pub struct Announcements(PgListener);

impl Announcements {
    /// The next announcement; waits for one.
    pub async fn next(&mut self) -> Result<Announcement> {
        Ok(match self.0.try_recv().await? {
            Some(n) if n.channel() == CALENDAR => Announcement::Calendar(n.payload().to_owned()),
            Some(_) | None => Announcement::Missed,
        })
    }
}

impl Store {
    /// Tells every process on this database that `region`'s calendar changed.
    pub async fn announce_calendar(&self, region: &str) -> Result<()> {
        if self.engine == Engine::Postgres {
            self.write_one(
                sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(CALENDAR)
                    .bind(region.to_owned()),
            )
            .await?;
        }
        Ok(())
    }

    /// Listens for what other processes announce; none on SQLite.
    pub async fn announcements(&self) -> Result<Option<Announcements>> {
        if self.engine != Engine::Postgres {
            return Ok(None);
        }
        let mut listener = PgListener::connect(&self.url).await?;
        listener.listen(CALENDAR).await?;
        Ok(Some(Announcements(listener)))
    }
}

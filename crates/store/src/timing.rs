//! Where a request's time goes in the store: waiting for a connection, reading on it, queueing
//! for the write transaction, holding it, and waiting for its commit. The server measures each
//! request inside [`measure`] and reports the phases (a `Server-Timing` header, and the log for a
//! slow request), so a slow answer says whether it queued behind other writes or did the work
//! itself. Outside [`measure`] (jobs, the CLI) nothing is kept.

use std::cell::Cell;
use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::time::{Duration, Instant};

use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection};

use crate::{Result, Store};

/// The store's share of one request's time.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Spent {
    /// Waiting for a pooled connection to read on.
    pub connect: Duration,
    /// Reading, from the connection's arrival to its return.
    pub read: Duration,
    /// Waiting for the write transaction: SQLite's one writer, or a pooled connection.
    pub write_queue: Duration,
    /// Holding the write transaction, from its start to the request for its commit.
    pub write: Duration,
    /// Waiting for the commit to be durable (on SQLite, with the rest of its batch).
    pub commit: Duration,
}

impl Spent {
    /// Each phase with its name, in the order a request meets them.
    pub fn phases(&self) -> [(&'static str, Duration); 5] {
        [
            ("db-connect", self.connect),
            ("db-read", self.read),
            ("write-queue", self.write_queue),
            ("write", self.write),
            ("commit", self.commit),
        ]
    }
}

#[derive(Clone, Copy)]
pub(crate) enum Phase {
    Connect,
    Read,
    WriteQueue,
    Write,
    Commit,
}

tokio::task_local! {
    static SPENT: Cell<Spent>;
}

/// Runs `work`, adding up the time the store spends on its behalf.
pub async fn measure<F: Future>(work: F) -> (F::Output, Spent) {
    SPENT
        .scope(Cell::new(Spent::default()), async {
            let output = work.await;
            (output, SPENT.with(Cell::get))
        })
        .await
}

/// Counts the time since `since` to `phase`, when a request is being measured.
pub(crate) fn add(phase: Phase, since: Instant) {
    add_between(phase, since, Instant::now());
}

/// Counts the time from `from` to `to` to `phase`, when a request is being measured.
pub(crate) fn add_between(phase: Phase, from: Instant, to: Instant) {
    let elapsed = to.saturating_duration_since(from);
    let _ = SPENT.try_with(|spent| {
        let mut s = spent.get();
        let slot = match phase {
            Phase::Connect => &mut s.connect,
            Phase::Read => &mut s.read,
            Phase::WriteQueue => &mut s.write_queue,
            Phase::Write => &mut s.write,
            Phase::Commit => &mut s.commit,
        };
        *slot += elapsed;
        spent.set(s);
    });
}

/// A pooled connection for reading; its time is counted until it goes back to the pool.
pub(crate) struct Reader {
    conn: PoolConnection<Any>,
    since: Instant,
}

impl Store {
    /// A connection to read on, from the pool.
    pub(crate) async fn read(&self) -> Result<Reader> {
        let asked = Instant::now();
        let conn = self.pool.acquire().await?;
        add(Phase::Connect, asked);
        Ok(Reader {
            conn,
            since: Instant::now(),
        })
    }
}

impl Drop for Reader {
    fn drop(&mut self) {
        add(Phase::Read, self.since);
    }
}

impl Deref for Reader {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.conn
    }
}

impl DerefMut for Reader {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.conn
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn phases_add_up_inside_a_measurement_and_nowhere_else() {
        let before = Instant::now() - Duration::from_millis(30);
        add(Phase::Write, before); // not measured: kept nowhere
        let ((), spent) = measure(async {
            add(Phase::Write, before);
            add(Phase::Write, before);
            add(Phase::Commit, Instant::now());
        })
        .await;
        assert!(spent.write >= Duration::from_millis(60));
        assert!(spent.commit < Duration::from_millis(30));
        assert_eq!(spent.read, Duration::ZERO);
        let ((), again) = measure(async {}).await;
        assert_eq!(again, Spent::default());
    }

    #[tokio::test]
    async fn a_read_counts_its_wait_and_its_connection_time() {
        let db = crate::testing::TestDb::sqlite().await;
        let (count, spent) = measure(async {
            let mut conn = db.store.read().await.unwrap();
            tokio::time::sleep(Duration::from_millis(20)).await;
            sqlx::query_scalar::<_, i64>("SELECT count(*) FROM cases")
                .fetch_one(&mut *conn)
                .await
                .unwrap()
        })
        .await;
        assert_eq!(count, 0);
        assert!(spent.read >= Duration::from_millis(20), "{spent:?}");
        assert_eq!(spent.write, Duration::ZERO);
    }
}

//! Write transactions, and group commit on SQLite (docs/adr/0020-the-write-path.md).
//!
//! A durable commit on SQLite waits for an fsync of the WAL, and SQLite takes one writer at a
//! time, so one commit per write caps a server at the disk's fsync rate. Here every write on
//! SQLite runs on one connection, inside a transaction that several writes share: each write
//! takes the connection in turn (a fair lock, so in arrival order), runs in a savepoint of its
//! own, and releases it; whoever finds the connection free with released writes pending commits
//! them all with one fsync, and each write's caller is answered only after that commit. Writes
//! that arrive while a commit is syncing form the next batch, so batches grow with the load and
//! a lone write waits for nothing but its own fsync.
//!
//! A write that is one script from the start (a transition: [`Store::write`]) does not take the
//! connection itself: it is queued, and one task runs the queued writes one after another, each
//! in its savepoint, then commits them with the batch (docs/adr/0020-the-write-path.md).
//! Once queued, such a write is carried out even if its caller goes away, as a statement sent to
//! PostgreSQL would be.
//!
//! A write that fails, or whose caller goes away before it is queued or released, is rolled
//! back to its savepoint and leaves the others in its batch untouched. On PostgreSQL each write
//! is a plain pooled transaction: the server already shares WAL flushes between concurrent
//! commits.

use std::ops::{Deref, DerefMut};
use std::sync::{Arc, PoisonError};
use std::time::{Duration, Instant};

use sqlx::any::AnyQueryResult;
use sqlx::{Any, AnyConnection, Executor};
use tokio::sync::{Mutex, OwnedMutexGuard, oneshot};

use crate::sql::{AnyQuery, Script};
use crate::timing::{self, Phase};
use crate::{Result, Store, StoreError, Writer};

/// How often the writer copies the WAL into the database file, at most.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);

/// How often a connection of its own copies the WAL into the database file beside the writer.
const BACKGROUND_CHECKPOINT_EVERY: Duration = Duration::from_millis(100);

/// The most writes one commit acknowledges; bounds how long a batch keeps readers of the
/// connection's lock waiting behind it.
const MAX_BATCH: usize = 512;

/// The shared write connection of a SQLite store, and the whole writes queued for it.
#[derive(Clone)]
pub(crate) struct Committer {
    batch: Arc<Mutex<Batch>>,
    queue: Arc<std::sync::Mutex<Queue>>,
}

/// Whole writes waiting for the connection.
#[derive(Default)]
struct Queue {
    writes: Vec<Queued>,
    /// A task runs the queued writes: a write queued meanwhile waits for it.
    draining: bool,
}

struct Queued {
    script: Script<'static>,
    answer: oneshot::Sender<Result<Ran>>,
}

/// When a queued write's statements ran, for its caller's timing.
#[derive(Clone, Copy)]
struct Ran {
    started: Instant,
    finished: Instant,
}

/// The outcome of a batch's commit, for each of its writes.
type Committed = std::result::Result<(), String>;

/// A write released into the batch, answered once the batch is committed.
enum Released {
    /// A write that took the connection itself.
    Locked(oneshot::Sender<Committed>),
    /// A queued write, and when its statements ran.
    Queued(oneshot::Sender<Result<Ran>>, Ran),
}

impl Released {
    fn answer(self, committed: &Committed) {
        // A caller that went away is answered by nobody.
        match self {
            Released::Locked(answer) => {
                let _ = answer.send(committed.clone());
            }
            Released::Queued(answer, ran) => {
                let outcome = committed.clone().map(|()| ran);
                let _ = answer.send(outcome.map_err(StoreError::CommitFailed));
            }
        }
    }
}

pub(crate) struct Batch {
    conn: AnyConnection,
    /// A transaction is open on `conn`.
    open: bool,
    /// A write's savepoint may be open: its writer failed or went away before releasing it.
    savepoint_open: bool,
    /// The released writes, answered when the batch commits.
    released: Vec<Released>,
    /// A task waits for the connection to commit the batch: a write released meanwhile is
    /// committed by it and need not queue one more (each is a turn of the connection's lock).
    settle_queued: bool,
    last_checkpoint: Instant,
}

pub(crate) fn committer(conn: AnyConnection) -> Committer {
    Committer {
        batch: Arc::new(Mutex::new(Batch {
            conn,
            open: false,
            savepoint_open: false,
            released: Vec::new(),
            settle_queued: false,
            last_checkpoint: Instant::now(),
        })),
        queue: Arc::default(),
    }
}

/// Copies the WAL into the database file on `conn`, beside the writer, for as long as the store
/// that owns `committer` lives. The writer's own checkpoint between batches (in `settle`) is
/// what lets the WAL start over, and every write queues behind it; done here first, most of its
/// copying and the database file's fsync happen while writes go on, and the writer's finds only
/// the frames written since.
pub(crate) fn spawn_checkpoints(mut conn: AnyConnection, committer: &Committer) {
    let store_alive = Arc::downgrade(&committer.batch);
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(BACKGROUND_CHECKPOINT_EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if store_alive.strong_count() == 0 {
                break;
            }
            // Busy when the writer's own checkpoint runs: the next tick tries again.
            let _ = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").await;
        }
        let _ = sqlx::Connection::close(conn).await;
    });
}

/// One write transaction; dereferences to the connection it writes on. Dropped without
/// [`WriteTx::commit`], it is rolled back.
pub(crate) struct WriteTx {
    inner: Option<Inner>,
    /// When the transaction began, for the time it is held ([`timing`]).
    since: Instant,
}

enum Inner {
    Pooled(sqlx::Transaction<'static, Any>),
    Grouped {
        batch: OwnedMutexGuard<Batch>,
        committer: Committer,
        /// The write's last statement released its savepoint.
        released: bool,
    },
}

impl Store {
    /// Begins a write transaction: on SQLite a savepoint in the shared batch, on PostgreSQL a
    /// pooled transaction.
    pub(crate) async fn begin(&self) -> Result<WriteTx> {
        self.begin_with(Script::new(self.engine)).await
    }

    /// [`Store::begin`], then `script`. On SQLite, once the batch's transaction is open, the
    /// write's savepoint goes with the script: one round trip to the connection's thread while
    /// the writer is held.
    pub(crate) async fn begin_with(&self, script: Script<'_>) -> Result<WriteTx> {
        self.open(script, false).await
    }

    /// A write that is `script` alone, durable on return. On SQLite it is queued, and runs
    /// after the writes queued before it, in its savepoint, in one round trip of its own.
    pub(crate) async fn write(&self, script: Script<'static>) -> Result<()> {
        let Writer::Grouped(committer) = &self.writer else {
            return self.open(script, true).await?.commit().await;
        };
        let asked = Instant::now();
        let (answer, answered) = oneshot::channel();
        committer.queue(Queued { script, answer });
        let ran = answered.await.map_err(|_| writer_stopped())??;
        timing::add_between(Phase::WriteQueue, asked, ran.started);
        timing::add_between(Phase::Write, ran.started, ran.finished);
        timing::add(Phase::Commit, ran.finished);
        Ok(())
    }

    async fn open(&self, mut script: Script<'_>, release: bool) -> Result<WriteTx> {
        let asked = Instant::now();
        let inner = match &self.writer {
            Writer::Grouped(committer) => {
                let mut batch = committer.batch.clone().lock_owned().await;
                timing::add(Phase::WriteQueue, asked);
                if batch.open {
                    batch.drop_savepoint().await;
                    // Set first: should the caller go away before the savepoint is made, the
                    // rollback to it fails harmlessly (every write before released its own).
                    batch.savepoint_open = true;
                    script.prepend("SAVEPOINT w");
                } else {
                    // In a task of its own: a caller that goes away mid-BEGIN must not leave
                    // the batch unsure whether its transaction is open.
                    let entered;
                    (batch, entered) = tokio::spawn(async move {
                        let mut batch = batch;
                        let entered = batch.enter().await;
                        (batch, entered)
                    })
                    .await
                    .map_err(|e| StoreError::CommitFailed(e.to_string()))?;
                    entered?;
                }
                if release {
                    script.append("RELEASE w");
                }
                Inner::Grouped {
                    batch,
                    committer: committer.clone(),
                    released: release,
                }
            }
            Writer::Pooled(writers) => {
                let tx = writers.begin().await?;
                timing::add(Phase::WriteQueue, asked);
                Inner::Pooled(tx)
            }
        };
        let mut tx = WriteTx {
            inner: Some(inner),
            since: Instant::now(),
        };
        script.run(&mut tx).await?;
        Ok(tx)
    }

    /// One writing statement as a transaction of its own.
    pub(crate) async fn write_one(&self, query: AnyQuery<'_>) -> Result<AnyQueryResult> {
        let mut tx = self.begin().await?;
        let done = query.execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(done)
    }

    /// Commits what is pending; for a clean shutdown.
    pub(crate) async fn flush(&self) {
        if let Writer::Grouped(committer) = &self.writer {
            settle(committer.batch.clone().lock_owned().await).await;
        }
    }
}

impl WriteTx {
    /// `script` as the write's last statements, then [`WriteTx::commit`]. On SQLite the write's
    /// savepoint is released in the same round trip as the script.
    pub(crate) async fn commit_with(mut self, mut script: Script<'_>) -> Result<()> {
        if let Some(Inner::Grouped { released, .. }) = &mut self.inner {
            script.append("RELEASE w");
            *released = true;
        }
        script.run(&mut self).await?;
        self.commit().await
    }

    /// Makes the write durable; returns once it is.
    pub(crate) async fn commit(mut self) -> Result<()> {
        let inner = self.inner.take();
        timing::add(Phase::Write, self.since);
        let asked = Instant::now();
        let committed = match inner {
            Some(Inner::Pooled(tx)) => Ok(tx.commit().await?),
            Some(Inner::Grouped {
                mut batch,
                committer,
                released,
            }) => {
                if !released {
                    batch.conn.execute("RELEASE w").await?;
                }
                batch.savepoint_open = false;
                let (answer, answered) = oneshot::channel();
                batch.released.push(Released::Locked(answer));
                if batch.released.len() >= MAX_BATCH {
                    tokio::spawn(settle(batch));
                } else if batch.settle_queued {
                    drop(batch);
                } else {
                    // Whoever queued for the connection before this flush joins the batch first.
                    batch.settle_queued = true;
                    drop(batch);
                    tokio::spawn(async move { settle(committer.batch.lock_owned().await).await });
                }
                answered
                    .await
                    .map_err(|_| writer_stopped())?
                    .map_err(StoreError::CommitFailed)
            }
            None => Ok(()),
        };
        timing::add(Phase::Commit, asked);
        committed
    }
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        // A pooled transaction rolls itself back; a grouped write's savepoint is rolled back by
        // the next holder of the connection, or here when nobody else comes.
        if self.inner.is_some() {
            timing::add(Phase::Write, self.since);
        }
        if let Some(Inner::Grouped { batch, .. }) = self.inner.take()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            runtime.spawn(settle(batch));
        }
    }
}

impl Deref for WriteTx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        match self.inner.as_ref().expect("a live transaction") {
            Inner::Pooled(tx) => tx,
            Inner::Grouped { batch, .. } => &batch.conn,
        }
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match self.inner.as_mut().expect("a live transaction") {
            Inner::Pooled(tx) => tx,
            Inner::Grouped { batch, .. } => &mut batch.conn,
        }
    }
}

fn writer_stopped() -> StoreError {
    StoreError::CommitFailed("the writer stopped".into())
}

impl Committer {
    /// Queues a whole write; the task that runs the queue is started if none runs.
    fn queue(&self, write: Queued) {
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        queue.writes.push(write);
        if !queue.draining {
            queue.draining = true;
            tokio::spawn(drain(self.clone()));
        }
    }

    /// Up to a batch of the queued writes; none ends the task that runs them.
    fn take_queued(&self) -> Vec<Queued> {
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        let n = queue.writes.len().min(MAX_BATCH);
        queue.draining = n > 0;
        queue.writes.drain(..n).collect()
    }
}

/// Runs the queued writes until none is left: all that wait, one after another with no hand-off
/// of the connection between them, then their commit. Writes queued during the commit's fsync
/// are run next.
async fn drain(committer: Committer) {
    loop {
        let mut batch = committer.batch.clone().lock_owned().await;
        let writes = committer.take_queued();
        if writes.is_empty() {
            return;
        }
        if let Err(e) = batch.begin().await {
            let failed = e.to_string();
            for write in writes {
                let _ = write
                    .answer
                    .send(Err(StoreError::CommitFailed(failed.clone())));
            }
            continue;
        }
        // One round trip each. (One for them all was tried: the text of several scripts
        // together never repeats, so SQLite prepared every statement again for each trip, and
        // the server wrote a fifth slower.)
        for write in writes {
            let mut script = write.script;
            script.prepend("SAVEPOINT w");
            script.append("RELEASE w");
            batch.savepoint_open = true;
            let started = Instant::now();
            let outcome = script.run(&mut batch.conn).await;
            let finished = Instant::now();
            match outcome {
                Ok(()) => {
                    batch.savepoint_open = false;
                    let ran = Ran { started, finished };
                    batch.released.push(Released::Queued(write.answer, ran));
                }
                Err(e) => {
                    batch.drop_savepoint().await;
                    let _ = write.answer.send(Err(e));
                }
            }
        }
        settle(batch).await;
    }
}

impl Batch {
    /// Opens the batch's transaction if none is open, after rolling back the savepoint of a
    /// write that did not release it.
    async fn begin(&mut self) -> Result<()> {
        self.drop_savepoint().await;
        if !self.open {
            // IMMEDIATE: the write lock now, or wait for it (busy_timeout) behind another process.
            self.conn.execute("BEGIN IMMEDIATE").await?;
            self.open = true;
        }
        Ok(())
    }

    /// Opens a savepoint for one write, first the batch's transaction if none is open.
    async fn enter(&mut self) -> Result<()> {
        self.begin().await?;
        self.savepoint_open = true;
        self.conn.execute("SAVEPOINT w").await?;
        Ok(())
    }

    /// Rolls back the savepoint of a write that did not release it.
    async fn drop_savepoint(&mut self) {
        if self.savepoint_open {
            // Fails harmlessly when the savepoint was never made or was released after all.
            let _ = self.conn.execute("ROLLBACK TO w").await;
            let _ = self.conn.execute("RELEASE w").await;
            self.savepoint_open = false;
        }
    }
}

/// Commits the batch, if one is open, and answers its writers.
async fn settle(mut batch: OwnedMutexGuard<Batch>) {
    batch.settle_queued = false;
    batch.drop_savepoint().await;
    if !batch.open {
        return;
    }
    let outcome = match batch.conn.execute("COMMIT").await {
        Ok(_) => Ok(()),
        Err(e) => {
            let _ = batch.conn.execute("ROLLBACK").await;
            Err(e.to_string())
        }
    };
    batch.open = false;
    for released in batch.released.drain(..) {
        released.answer(&outcome);
    }
    // The WAL is copied into the database file here, after the batch's writers have their
    // answer and before the next batch begins: a checkpoint that runs while writes keep coming
    // never catches up, and the WAL can only start over once one has caught up. Left to
    // SQLite, the commit itself would pay for it (wal_autocheckpoint, off on this connection).
    if batch.last_checkpoint.elapsed() >= CHECKPOINT_EVERY {
        // A checkpoint that cannot finish now (a reader holds an old snapshot) resumes next time.
        let _ = batch.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").await;
        batch.last_checkpoint = Instant::now();
    }
}

//! Writes as jobs, and group commit on SQLite (docs/adr/0021-one-writer.md).
//!
//! A write is a job: a unit of work over a transaction ([`Tx`]), with its answer. Every write
//! of the store is one, run by [`Store::write`].
//!
//! On SQLite one writer task owns the write connection and runs the jobs one after another,
//! each in a savepoint of its own, inside a transaction that several jobs share; one `COMMIT`
//! makes them all durable with one fsync, and each job's caller is answered only after it.
//! Jobs that arrive while a commit is syncing form the next batch, so batches grow with the
//! load and a lone write waits for nothing but its own fsync. A job that fails is rolled back
//! to its savepoint and leaves the others in its batch untouched. Once sent, a job runs to its
//! end even if its caller goes away, as a statement sent to PostgreSQL would.
//!
//! On PostgreSQL a job runs in a plain pooled transaction of its own: the server already shares
//! WAL flushes between concurrent commits.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use sqlx::{Any, AnyConnection, Executor};
use tokio::sync::{mpsc, oneshot};

use crate::sql::{AnyQuery, Script};
use crate::timing::{self, Phase};
use crate::{Engine, Result, Store, StoreError, Writer};

/// How often the writer copies the WAL into the database file, at most.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);

/// How often a connection of its own copies the WAL into the database file beside the writer.
const BACKGROUND_CHECKPOINT_EVERY: Duration = Duration::from_millis(100);

/// The most jobs one commit acknowledges; bounds how long readers of a batch's writes wait.
const MAX_BATCH: usize = 512;

/// What a job returns: its future, borrowing the transaction it runs in.
pub(crate) type JobFuture<'t, T> = Pin<Box<dyn Future<Output = Result<T>> + Send + 't>>;

/// The transaction a job runs in. On SQLite the job's savepoint is opened with its first
/// statements, in the same round trip to the connection's thread.
pub(crate) struct Tx {
    conn: Conn,
    engine: Engine,
    /// SQLite: what to run before the job's first statement (its savepoint, after releasing
    /// the one of the job before); taken when the job first touches the connection.
    opening: Option<&'static str>,
    /// SQLite: the job's savepoint is open.
    opened: bool,
    /// SQLite: the batch's transaction could not begin; every job of the batch fails with it.
    broken: Option<String>,
}

enum Conn {
    Own(AnyConnection),
    Pooled(sqlx::Transaction<'static, Any>),
}

impl Tx {
    pub(crate) fn engine(&self) -> Engine {
        self.engine
    }

    /// The connection, the job's savepoint open on it.
    pub(crate) async fn conn(&mut self) -> Result<&mut AnyConnection> {
        self.usable()?;
        if let Some(opening) = self.opening.take() {
            self.opened = true;
            self.raw().execute(opening).await?;
        }
        Ok(self.raw())
    }

    /// Runs `script`; on SQLite the job's savepoint opens in the same round trip.
    pub(crate) async fn run(&mut self, mut script: Script<'_>) -> Result<()> {
        self.usable()?;
        if let Some(opening) = self.opening.take() {
            self.opened = true;
            script.prepend(opening);
        }
        script.run(self.raw()).await
    }

    /// Runs one statement.
    pub(crate) async fn execute(&mut self, query: AnyQuery<'_>) -> Result<u64> {
        Ok(query.execute(self.conn().await?).await?.rows_affected())
    }

    fn usable(&self) -> Result<()> {
        match &self.broken {
            Some(e) => Err(StoreError::CommitFailed(e.clone())),
            None => Ok(()),
        }
    }

    fn raw(&mut self) -> &mut AnyConnection {
        match &mut self.conn {
            Conn::Own(conn) => conn,
            Conn::Pooled(tx) => tx,
        }
    }
}

/// SQLite's writer: where jobs are sent.
#[derive(Clone)]
pub(crate) struct Committer {
    jobs: mpsc::UnboundedSender<Job>,
    /// Jobs sent and not yet taken by the writer, for the metrics.
    waiting: Arc<AtomicUsize>,
}

impl Committer {
    pub(crate) fn waiting(&self) -> usize {
        self.waiting.load(Ordering::Relaxed)
    }
}

/// A job with its answer, its result type erased: run, it says whether it succeeded and, if
/// so, how to answer its caller once the batch's commit is known.
type Job =
    Box<dyn for<'t> FnOnce(&'t mut Tx) -> Pin<Box<dyn Future<Output = Ran> + Send + 't>> + Send>;

/// A job that has run.
enum Ran {
    /// Its changes stand in the batch; the answer awaits the commit.
    Done(Box<dyn FnOnce(std::result::Result<(), String>) + Send>),
    /// It failed, and its caller has the error; its changes are to be rolled back.
    Failed,
}

/// When a job's work began and ended, for its caller's timing.
#[derive(Clone, Copy)]
struct Span {
    started: Instant,
    finished: Instant,
}

/// Starts the writer of a SQLite store on `conn`.
pub(crate) fn committer(conn: AnyConnection) -> Committer {
    let (jobs, queue) = mpsc::unbounded_channel();
    let tx = Tx {
        conn: Conn::Own(conn),
        engine: Engine::Sqlite,
        opening: None,
        opened: false,
        broken: None,
    };
    let waiting = Arc::new(AtomicUsize::new(0));
    tokio::spawn(run_writer(tx, queue, waiting.clone()));
    Committer { jobs, waiting }
}

/// Copies the WAL into the database file on `conn`, beside the writer, for as long as the store
/// that owns `committer` lives. The writer's own checkpoint between batches is what lets the
/// WAL start over, and every job waits behind it; done here first, most of its copying and the
/// database file's fsync happen while jobs go on, and the writer's finds only the frames
/// written since.
pub(crate) fn spawn_checkpoints(mut conn: AnyConnection, committer: &Committer) {
    let store_alive = committer.jobs.downgrade();
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(BACKGROUND_CHECKPOINT_EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if store_alive.upgrade().is_none() {
                break;
            }
            // Busy when the writer's own checkpoint runs: the next tick tries again.
            let _ = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").await;
        }
        let _ = sqlx::Connection::close(conn).await;
    });
}

impl Store {
    /// Runs `job` as a write, durable when this returns. A job captures what it needs by value:
    /// on SQLite it runs on the writer's task, after the jobs sent before it.
    pub(crate) async fn write<T, F>(&self, job: F) -> Result<T>
    where
        T: Send + 'static,
        F: for<'t> FnOnce(&'t mut Tx) -> JobFuture<'t, T> + Send + 'static,
    {
        let asked = Instant::now();
        let writers = match &self.writer {
            Writer::Grouped(committer) => return committer.send(asked, job).await,
            Writer::Pooled(writers) => writers,
        };
        let mut tx = Tx {
            conn: Conn::Pooled(writers.begin().await?),
            engine: self.engine,
            opening: None,
            opened: false,
            broken: None,
        };
        timing::add(Phase::WriteQueue, asked);
        let started = Instant::now();
        let value = job(&mut tx).await;
        timing::add(Phase::Write, started);
        let value = value?;
        let committing = Instant::now();
        let Conn::Pooled(tx) = tx.conn else {
            unreachable!("a pooled job runs in a pooled transaction")
        };
        tx.commit().await?;
        timing::add(Phase::Commit, committing);
        Ok(value)
    }

    /// A write that is `script` alone.
    pub(crate) async fn write_script(&self, script: Script<'static>) -> Result<()> {
        self.write(move |tx| Box::pin(tx.run(script))).await
    }

    /// One writing statement as a write of its own; returns how many rows it changed.
    pub(crate) async fn write_one(&self, query: AnyQuery<'static>) -> Result<u64> {
        self.write(move |tx| Box::pin(tx.execute(query))).await
    }

    /// Waits until every write sent before is durable; for a clean shutdown.
    pub(crate) async fn flush(&self) {
        if let Writer::Grouped(_) = &self.writer {
            let _ = self.write(|_| Box::pin(async { Ok(()) })).await;
        }
    }
}

impl Committer {
    async fn send<T, F>(&self, asked: Instant, job: F) -> Result<T>
    where
        T: Send + 'static,
        F: for<'t> FnOnce(&'t mut Tx) -> JobFuture<'t, T> + Send + 'static,
    {
        let (answer, answered) = oneshot::channel::<Result<(T, Span)>>();
        let erased: Job = Box::new(move |tx| {
            Box::pin(async move {
                let started = Instant::now();
                let outcome = job(tx).await;
                let span = Span {
                    started,
                    finished: Instant::now(),
                };
                match outcome {
                    Ok(value) => Ran::Done(Box::new(move |committed| {
                        // A caller that went away is answered by nobody.
                        let _ = answer.send(
                            committed
                                .map(|()| (value, span))
                                .map_err(StoreError::CommitFailed),
                        );
                    })),
                    Err(e) => {
                        let _ = answer.send(Err(e));
                        Ran::Failed
                    }
                }
            })
        });
        self.waiting.fetch_add(1, Ordering::Relaxed);
        self.jobs.send(erased).map_err(|_| writer_stopped())?;
        let (value, span) = answered.await.map_err(|_| writer_stopped())??;
        timing::add_between(Phase::WriteQueue, asked, span.started);
        timing::add_between(Phase::Write, span.started, span.finished);
        timing::add(Phase::Commit, span.finished);
        Ok(value)
    }
}

fn writer_stopped() -> StoreError {
    StoreError::CommitFailed("the writer stopped".into())
}

/// The writer: takes the jobs waiting, runs them one after another in one transaction, commits
/// them together and answers them; jobs sent during the commit's fsync are the next batch. Ends
/// when the store is gone.
async fn run_writer(
    mut tx: Tx,
    mut queue: mpsc::UnboundedReceiver<Job>,
    waiting: Arc<AtomicUsize>,
) {
    let mut last_checkpoint = Instant::now();
    let mut answers = Vec::new();
    let taken = |job: Job| {
        waiting.fetch_sub(1, Ordering::Relaxed);
        job
    };
    while let Some(first) = queue.recv().await.map(taken) {
        // IMMEDIATE: the write lock now, or wait for it (busy_timeout) behind another process.
        if let Err(e) = tx.raw().execute("BEGIN IMMEDIATE").await {
            tx.broken = Some(e.to_string());
        }
        // A savepoint once released is not to be rolled back; the job before's stays open
        // until the next job's first statements release it, or the commit does.
        let mut holding = false;
        let mut next = Some(first);
        while let Some(job) = next {
            tx.opening = Some(if holding {
                "RELEASE w; SAVEPOINT w"
            } else {
                "SAVEPOINT w"
            });
            tx.opened = false;
            match job(&mut tx).await {
                Ran::Done(answer) => {
                    holding |= tx.opened;
                    answers.push(answer);
                }
                Ran::Failed if tx.opened => {
                    // Fails harmlessly when the savepoint's own statement failed.
                    let _ = tx.raw().execute("ROLLBACK TO w; RELEASE w").await;
                    holding = false;
                }
                Ran::Failed => {}
            }
            next = if answers.len() < MAX_BATCH {
                queue.try_recv().ok().map(taken)
            } else {
                None
            };
        }
        let committed = match tx.broken.take() {
            Some(e) => Err(e),
            None => match tx.raw().execute("COMMIT").await {
                Ok(_) => Ok(()),
                Err(e) => {
                    let _ = tx.raw().execute("ROLLBACK").await;
                    Err(e.to_string())
                }
            },
        };
        for answer in answers.drain(..) {
            answer(committed.clone());
        }
        // The WAL is copied into the database file here, after the batch's callers have their
        // answer and before the next batch begins: a checkpoint that runs while writes keep
        // coming never catches up, and the WAL can only start over once one has caught up.
        // Left to SQLite, the commit itself would pay for it (wal_autocheckpoint, off here).
        if last_checkpoint.elapsed() >= CHECKPOINT_EVERY {
            // One that cannot finish now (a reader holds an old snapshot) resumes next time.
            let _ = tx.raw().execute("PRAGMA wal_checkpoint(PASSIVE)").await;
            last_checkpoint = Instant::now();
        }
    }
    if let Conn::Own(conn) = tx.conn {
        let _ = sqlx::Connection::close(conn).await;
    }
}

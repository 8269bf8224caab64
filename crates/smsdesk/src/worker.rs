//! The background worker: one runner for the work nobody waits for on screen — delivery
//! tracking, the bulk jobs started from the app (each on a task of its own, one at a time per
//! job, inside the sending window) and everything scheduled (rows handed over when their time
//! comes, or listed as missed: [`Desk::release_due`]). The app starts one; `smsdesk worker`
//! runs one headless.
//!
//! - **One per data folder**: it does work only while it holds `worker.lock` there (an
//!   exclusive file lock, released by the operating system however the process ends). A
//!   second worker waits, quietly, and takes over when the first stops.
//! - **A short tick, on the wall clock**: every tick it asks the clock what is due now, rather
//!   than sleeping until the next thing is due, so a laptop that wakes from sleep (or a clock
//!   that was changed) catches up at the next tick.
//! - **The team** (issue 13), when this desk is in one: it listens on the team's server
//!   (`LISTEN`) and syncs as soon as another desk pushes a change, so an opt-out made at
//!   another desk reaches this one's list and window within seconds; it also syncs every
//!   [`TEAM_SYNC_EVERY`], which pushes what waited while the server was away and keeps "team
//!   list as of" current. Each attempt waits at most [`REFRESH_BEFORE_SEND`] for the server.
//! - Injected [`crate::time::Sleeper`] and clock (through the [`Desk`]): tests step it by hand
//!   and never sleep. [`Worker::wake`] makes it look at once; [`Stop`] ends it.

use std::collections::HashSet;
use std::fs::{File, TryLockError};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use crate::desk::team::Synced;
use crate::desk::team::REFRESH_BEFORE_SEND;
use crate::desk::Desk;
use crate::error::{Error, Result};

/// The lock file in the data folder.
pub const LOCK_FILE: &str = "worker.lock";
/// How often the worker looks at the clock.
pub const TICK: Duration = Duration::from_secs(1);
/// How often a desk in a team syncs by itself (besides when another desk tells it).
pub const TEAM_SYNC_EVERY: Duration = Duration::from_secs(60);

/// Held while this process is the data folder's worker.
#[derive(Debug)]
pub struct WorkerLock {
    _file: File,
}

impl WorkerLock {
    /// Takes the data folder's worker lock; [`Error::WorkerBusy`] while another process (or
    /// another worker in this one) holds it.
    pub fn acquire(dir: &Path) -> Result<WorkerLock> {
        std::fs::create_dir_all(dir).map_err(|e| Error::History(e.to_string()))?;
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(LOCK_FILE))
            .map_err(|e| Error::History(e.to_string()))?;
        match file.try_lock() {
            Ok(()) => Ok(WorkerLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(Error::WorkerBusy),
            Err(TryLockError::Error(e)) => Err(Error::History(e.to_string())),
        }
    }
}

pub use crate::stop::Stop;

/// The worker's side of the team: whether it listens, and when it syncs next.
#[derive(Default)]
struct TeamLink {
    /// Another desk said it pushed something: sync at the next tick.
    told: AtomicBool,
    /// The server a connection listens on, and what stops that connection's task.
    listening: std::sync::Mutex<Option<(String, Stop)>>,
    /// When to sync next without being told (ms, by the desk's clock).
    next_at: AtomicI64,
    /// The code of the last failing sync: a server that stays away is logged once.
    failing: std::sync::Mutex<Option<&'static str>>,
}

impl TeamLink {
    fn is_listening(&self) -> bool {
        self.listening.lock().is_ok_and(|l| l.is_some())
    }

    /// Stops listening unless it is on `server`.
    fn stop_listening_unless(&self, server: Option<&str>) {
        if let Ok(mut listening) = self.listening.lock() {
            if listening
                .as_ref()
                .is_some_and(|(on, _)| Some(on.as_str()) != server)
            {
                if let Some((_, stop)) = listening.take() {
                    stop.stop();
                }
            }
        }
    }

    /// The task of the listener `stop` ended: it is no longer listening (unless another has
    /// taken its place).
    fn forget_listener(&self, stop: &Stop) {
        if let Ok(mut listening) = self.listening.lock() {
            if listening.as_ref().is_some_and(|(_, s)| s.same_as(stop)) {
                *listening = None;
            }
        }
    }

    fn report(&self, error: &Error) {
        let code = crate::error::UserError::from(error).code;
        if let Ok(mut failing) = self.failing.lock() {
            if *failing != Some(code) {
                log::info!("worker: team not synced: {code} (tried again every minute)");
                *failing = Some(code);
            }
        }
    }
}

/// What happened during one tick, for the caller's log (and tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tick {
    /// Another worker holds the lock: nothing was done.
    Waiting,
    /// This worker holds the lock; `asked` messages were asked about.
    Worked { asked: usize },
}

/// The data folder's background worker.
pub struct Worker {
    desk: Arc<Desk>,
    wake: Arc<Notify>,
    team: Arc<TeamLink>,
    lock: tokio::sync::Mutex<Option<WorkerLock>>,
    /// The bulk jobs this worker is sending now.
    running: Arc<std::sync::Mutex<HashSet<i64>>>,
    /// Stops the jobs' tasks when the worker stops.
    jobs_stop: Stop,
    /// The key of `smsdesk worker`'s environment (`OCTOPODS_API_KEY`), for jobs scheduled with
    /// it: SMS Desk never stores such a key.
    key: Option<octopods::ApiKey>,
}

impl Worker {
    pub fn new(desk: Arc<Desk>) -> Arc<Self> {
        Self::with_key(desk, None)
    }

    /// A worker that also sends the jobs scheduled with a command-line key, with `key`.
    pub fn with_key(desk: Arc<Desk>, key: Option<octopods::ApiKey>) -> Arc<Self> {
        Arc::new(Self {
            desk,
            wake: Arc::new(Notify::new()),
            team: Arc::default(),
            lock: tokio::sync::Mutex::new(None),
            running: Arc::default(),
            jobs_stop: Stop::new(),
            key,
        })
    }

    /// Makes the worker look at once (after "Check delivery now"), not at its next tick.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// This desk joined a team (or another one): the worker listens and syncs at once, not
    /// at its next minute.
    pub fn team_changed(&self) {
        self.team.told.store(true, Ordering::SeqCst);
        self.wake.notify_one();
    }

    /// How many jobs this worker is sending now (for a status line, and for tests waiting for
    /// its tasks to finish).
    pub fn sending(&self) -> usize {
        self.running.lock().map_or(0, |running| running.len())
    }

    /// Whether this worker holds the data folder's lock (after its first tick).
    pub async fn is_active(&self) -> bool {
        self.lock.lock().await.is_some()
    }

    /// One tick: take the lock if it is free, then do whatever is due now.
    pub async fn tick(&self) -> Result<Tick> {
        let mut lock = self.lock.lock().await;
        if lock.is_none() {
            match WorkerLock::acquire(self.desk.dir()) {
                Ok(taken) => {
                    log::info!("worker: holding {LOCK_FILE}, doing the background work");
                    *lock = Some(taken);
                }
                Err(Error::WorkerBusy) => return Ok(Tick::Waiting),
                Err(other) => return Err(other),
            }
        }
        let asked = self.desk.poll_due().await?;
        self.desk.release_due().await?;
        self.start_jobs().await?;
        if let Some(Err(error)) = self.sync_team().await {
            self.team.report(&error);
        }
        Ok(Tick::Worked { asked })
    }

    /// In a team, when another desk said it pushed something or [`TEAM_SYNC_EVERY`] has
    /// passed: listens on the server if it does not yet, and syncs. `None` when nothing was
    /// due (or this desk is not in a team).
    pub async fn sync_team(&self) -> Option<Result<Synced>> {
        let told = self.team.told.swap(false, Ordering::SeqCst);
        let now = self.desk.now();
        if !told && now < self.team.next_at.load(Ordering::SeqCst) {
            return None;
        }
        // Looked at once a minute (or when told), not at every tick, in a team or not.
        let every = i64::try_from(TEAM_SYNC_EVERY.as_millis()).unwrap_or(i64::MAX);
        self.team.next_at.store(now + every, Ordering::SeqCst);
        let server = match self.desk.team_server().await {
            Ok(server) => server,
            Err(error) => return Some(Err(error)),
        };
        // Left the team, or joined another server: the old connection goes.
        self.team.stop_listening_unless(server.as_deref());
        let server = server?;
        if !self.team.is_listening() {
            if let Err(error) = self.listen_to_team(server).await {
                self.desk
                    .tell(crate::events::Change::of(crate::events::ChangeKind::Team));
                return Some(Err(error));
            }
        }
        let synced = self.desk.team_sync(REFRESH_BEFORE_SEND).await;
        if synced.is_err() {
            // Not synced: the copy may have just grown older than the limit; the window's
            // "team list as of" line reads it again (a sync tells it by itself).
            self.desk
                .tell(crate::events::Change::of(crate::events::ChangeKind::Team));
        }
        if synced.is_ok()
            && self
                .team
                .failing
                .lock()
                .is_ok_and(|mut f| f.take().is_some())
        {
            log::info!("worker: the team's server answers again");
        }
        Some(synced)
    }

    /// Starts listening for the other desks' pushes: each one makes the worker sync at once.
    /// The task ends with the connection (the next due sync listens again) or the worker.
    async fn listen_to_team(&self, server: String) -> Result<()> {
        let mut listener = self.desk.team_listen(REFRESH_BEFORE_SEND).await?;
        let this_one = Stop::new();
        if let Ok(mut listening) = self.team.listening.lock() {
            *listening = Some((server, this_one.clone()));
        }
        let (team, wake, stop) = (
            Arc::clone(&self.team),
            Arc::clone(&self.wake),
            self.jobs_stop.clone(),
        );
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    changed = listener.changed_elsewhere() => {
                        if !changed {
                            log::info!("worker: no longer listening to the team's server");
                            break;
                        }
                        team.told.store(true, Ordering::SeqCst);
                        wake.notify_one();
                    }
                    () = stop.stopped() => break,
                    () = this_one.stopped() => break,
                }
            }
            team.forget_listener(&this_one);
        });
        Ok(())
    }

    /// Starts a task for each bulk job handed to the worker that it is not sending yet.
    async fn start_jobs(&self) -> Result<()> {
        for job in self.desk.jobs_to_run().await? {
            let fresh = self
                .running
                .lock()
                .map(|mut running| running.insert(job.id))
                .unwrap_or(false);
            if !fresh {
                continue;
            }
            let (desk, running, stop) = (
                Arc::clone(&self.desk),
                Arc::clone(&self.running),
                self.jobs_stop.clone(),
            );
            let via = Desk::worker_via(&job, self.key.as_ref());
            tokio::spawn(async move {
                let ran = match via {
                    Ok(via) => desk.run_job_in_window(job.id, via, &stop, &|_| {}).await,
                    Err(error) => Err(error),
                };
                if let Err(error) = ran {
                    let why = crate::error::UserError::from(&error);
                    log::warn!(
                        "worker: job {} could not be sent, held: {}",
                        job.id,
                        why.code
                    );
                    let held = desk
                        .hold_job(job.id, &format!("{} {}", why.message, why.hint))
                        .await;
                    if let Err(held) = held {
                        log::error!(
                            "worker: job {} could not be held: {}",
                            job.id,
                            crate::error::UserError::from(&held).code
                        );
                        crate::error::warn(format_args!("bulk job {}: {error}; {held}", job.id));
                    }
                }
                if let Ok(mut running) = running.lock() {
                    running.remove(&job.id);
                }
            });
        }
        Ok(())
    }

    /// Ticks until `stop`; a failing tick is reported through `report` and tried again at the
    /// next one (a locked database, the network).
    pub async fn run(&self, stop: &Stop, report: impl Fn(&Error)) {
        self.run_observed(stop, |tick| {
            if let Err(error) = tick {
                report(error);
            }
        })
        .await;
    }

    /// As [`Worker::run`], telling `observe` what each tick came to (the command line says
    /// when it waits for another SMS Desk and when it takes over).
    pub async fn run_observed(&self, stop: &Stop, mut observe: impl FnMut(&Result<Tick>)) {
        // The code of the last failing tick: a failure that repeats every tick is logged once.
        let mut failing: Option<&'static str> = None;
        while !stop.is_stopped() {
            let tick = self.tick().await;
            match &tick {
                Ok(_) => {
                    if let Some(code) = failing.take() {
                        log::info!("worker: ticks work again (after {code})");
                    }
                }
                Err(error) => {
                    let code = crate::error::UserError::from(error).code;
                    if failing != Some(code) {
                        log::error!("worker: tick failed: {code} (tried again every tick)");
                        failing = Some(code);
                    }
                }
            }
            observe(&tick);
            tokio::select! {
                () = self.desk.sleeper().sleep(TICK) => {}
                () = self.wake.notified() => {}
                () = stop.stopped() => {}
            }
        }
        // The jobs stop starting rows; the lock goes with the worker.
        self.jobs_stop.stop();
        if self.lock.lock().await.take().is_some() {
            log::info!("worker: stopped, {LOCK_FILE} let go");
        }
    }
}

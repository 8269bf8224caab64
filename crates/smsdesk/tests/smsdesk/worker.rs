//! The background worker with an injected clock and a sleeper the test steps by hand: it never
//! sleeps for real, catches up after a wall-clock jump, honours Retry-After when polling, runs
//! once per data folder, and stops when told.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use octopods_sim::{Fault, Sim, SimConfig, PRACTICE_KEY};
use smsdesk::desk::Via;
use smsdesk::draft::Draft;
use smsdesk::history::tracking::PollPolicy;
use smsdesk::time::{ManualClock, Pause, Sleeper};
use smsdesk::worker::{Stop, Tick, Worker, WorkerLock, TICK};
use tokio::sync::{Notify, Semaphore};

use crate::{TestDesk, MOBILE};

/// A sleeper that returns only when the test lets it: each pause is recorded, and the worker
/// is "asleep" (between two ticks) until [`StepSleeper::step`].
pub struct StepSleeper {
    pauses: Mutex<Vec<Duration>>,
    /// Told each time the worker goes to sleep (its tick is done).
    pub asleep: Notify,
    permits: Semaphore,
}

impl Default for StepSleeper {
    fn default() -> Self {
        Self {
            pauses: Mutex::new(Vec::new()),
            asleep: Notify::new(),
            permits: Semaphore::new(0),
        }
    }
}

impl StepSleeper {
    /// Lets the worker wake once, and waits until it is asleep again (its tick is done).
    async fn step(&self) {
        let asleep = self.asleep.notified();
        self.permits.add_permits(1);
        asleep.await;
    }

    fn pauses(&self) -> Vec<Duration> {
        self.pauses.lock().map(|p| p.clone()).unwrap_or_default()
    }
}

impl Sleeper for StepSleeper {
    fn sleep(&self, duration: Duration) -> Pause<'_> {
        if let Ok(mut pauses) = self.pauses.lock() {
            pauses.push(duration);
        }
        self.asleep.notify_waiters();
        Box::pin(async move {
            if let Ok(permit) = self.permits.acquire().await {
                permit.forget();
            }
        })
    }
}

fn draft() -> Draft {
    Draft {
        to: MOBILE.into(),
        body: "See you tomorrow at 10:00.".into(),
        ..Draft::default()
    }
}

const START: i64 = 1_800_000_000_000;

#[tokio::test]
async fn the_worker_catches_up_after_a_wall_clock_jump_and_never_sleeps_long() {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let clock = ManualClock::at(START);
    let sleeper = Arc::new(StepSleeper::default());
    let (c, s) = (Arc::clone(&clock), Arc::clone(&sleeper));
    let t = TestDesk::with(move |o| {
        o.clock = c;
        o.sleeper = s;
        o.poll = PollPolicy::default(); // first question 5 s after sending
    });
    t.live(&sim, PRACTICE_KEY).await;
    let sent = t
        .desk
        .send(Via::Active, draft(), None, false)
        .await
        .expect("sent");
    let status_reads = || sim.requests().iter().filter(|r| r.method == "GET").count();

    let worker = Worker::new(Arc::clone(&t.desk));
    let stop = Stop::new();
    let asleep = sleeper.asleep.notified();
    let running = tokio::spawn({
        let (worker, stop) = (Arc::clone(&worker), stop.clone());
        async move { worker.run(&stop, |e| panic!("tick failed: {e}")).await }
    });
    asleep.await;
    assert_eq!(status_reads(), 0, "not due yet: asked 5 s after sending");
    sleeper.step().await;
    assert_eq!(status_reads(), 0, "the clock has not moved");

    // The laptop sleeps for three hours: the wall clock jumps while the worker waits.
    clock.advance(Duration::from_secs(3 * 60 * 60));
    sleeper.step().await;
    assert_eq!(status_reads(), 1, "caught up at the next tick");
    let row = t.row(sent.history_id).await;
    assert_eq!(
        row.status.map(|s| s.as_str().to_owned()).as_deref(),
        Some("queued")
    );
    assert!(
        sleeper.pauses().iter().all(|p| *p == TICK),
        "only short ticks, never one long sleep: {:?}",
        sleeper.pauses()
    );

    stop.stop();
    sleeper.permits.add_permits(1);
    running.await.expect("the worker stops when told");
    WorkerLock::acquire(t.dir.path()).expect("and lets go of the data folder");
}

#[tokio::test]
async fn only_one_worker_per_data_folder() {
    let t = TestDesk::new();
    let first = Worker::new(Arc::clone(&t.desk));
    let second = Worker::new(t.again());
    assert_eq!(first.tick().await.expect("tick"), Tick::Worked { asked: 0 });
    assert_eq!(
        second.tick().await.expect("tick"),
        Tick::Waiting,
        "the app and `smsdesk worker` never both poll"
    );
    assert!(first.is_active().await && !second.is_active().await);
    let stop = Stop::new();
    stop.stop();
    first.run(&stop, |_| {}).await; // stops at once, letting go of the lock
    assert_eq!(
        second.tick().await.expect("tick"),
        Tick::Worked { asked: 0 },
        "the other one takes over"
    );
}

#[tokio::test]
async fn polling_honours_retry_after() {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let clock = ManualClock::at(START);
    let c = Arc::clone(&clock);
    let t = TestDesk::with(move |o| o.clock = c);
    t.live(&sim, PRACTICE_KEY).await;
    let sent = t
        .desk
        .send(Via::Active, draft(), None, false)
        .await
        .expect("sent");
    sim.push_fault(Fault::RateLimited {
        retry_after: Some(120),
    });
    assert_eq!(t.desk.poll_due().await.expect("poll"), 1);
    let row = t.row(sent.history_id).await;
    assert_eq!(
        row.next_poll_at,
        Some(START + 120_000),
        "asked again only after the server's Retry-After"
    );
    clock.advance(Duration::from_secs(119));
    assert_eq!(t.desk.poll_due().await.expect("poll"), 0);
    clock.advance(Duration::from_secs(1));
    assert_eq!(t.desk.poll_due().await.expect("poll"), 1);
}

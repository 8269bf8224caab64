//! Time, injected: every rule that depends on "now" or on waiting takes a [`Clock`] and a
//! [`Sleeper`], so tests move time by hand and never sleep. Also the one place that turns a
//! stored time (milliseconds since 1970, UTC) into the computer's local time for people.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{Local, TimeZone};

/// A future that a [`Sleeper`] returns.
pub type Pause<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// The wall clock: milliseconds since 1970 (UTC), the time unit of every stored time.
pub trait Clock: Send + Sync {
    fn now_ms(&self) -> i64;
}

/// Waits; tests swap in one that returns at once (and may move a [`ManualClock`]).
pub trait Sleeper: Send + Sync {
    fn sleep(&self, duration: Duration) -> Pause<'_>;
}

/// The computer's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        now_ms()
    }
}

/// Real waiting, on the tokio timer.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleeper;

impl Sleeper for TokioSleeper {
    fn sleep(&self, duration: Duration) -> Pause<'_> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// A clock that only moves when told to (tests, and the worker's tests of a wall-clock jump).
#[derive(Debug, Default)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    pub fn at(ms: i64) -> Arc<Self> {
        Arc::new(Self(AtomicI64::new(ms)))
    }

    pub fn set(&self, ms: i64) {
        self.0.store(ms, Ordering::SeqCst);
    }

    pub fn advance(&self, by: Duration) {
        self.0.fetch_add(millis(by), Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// A sleeper that never waits: it records each pause, moves `clock` on by it (so time passes
/// as the code under test expects), and yields to other tasks.
#[derive(Debug)]
pub struct InstantSleeper {
    clock: Arc<ManualClock>,
    pauses: Mutex<Vec<Duration>>,
}

impl InstantSleeper {
    pub fn new(clock: Arc<ManualClock>) -> Arc<Self> {
        Arc::new(Self {
            clock,
            pauses: Mutex::new(Vec::new()),
        })
    }

    /// Every pause asked for so far, in order.
    pub fn pauses(&self) -> Vec<Duration> {
        self.pauses.lock().map(|p| p.clone()).unwrap_or_default()
    }
}

impl Sleeper for InstantSleeper {
    fn sleep(&self, duration: Duration) -> Pause<'_> {
        if let Ok(mut pauses) = self.pauses.lock() {
            pauses.push(duration);
        }
        self.clock.advance(duration);
        Box::pin(tokio::task::yield_now())
    }
}

/// The computer's clock, read directly. Only for the [`SystemClock`] and for names of files
/// set aside (which are not logic).
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or_default()
}

/// A duration in milliseconds, saturating.
pub fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// `YYYY-MM-DD HH:MM:SS` in this computer's time zone.
pub fn local_time(ms: i64) -> String {
    Local
        .timestamp_millis_opt(ms)
        .single()
        .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_default()
}

/// When something happened at `ms`, short, on this computer's clock: `10:32` on the day of
/// `now`, else `1 Dec 10:32`.
pub fn as_of(ms: i64, now: i64) -> String {
    let (Some(at), Some(today)) = (
        Local.timestamp_millis_opt(ms).single(),
        Local.timestamp_millis_opt(now).single(),
    ) else {
        return String::new();
    };
    if at.date_naive() == today.date_naive() {
        at.format("%H:%M").to_string()
    } else {
        at.format("%-d %b %H:%M").to_string()
    }
}

/// `YYYY-MM-DD` in this computer's time zone (file names, "added on").
pub fn local_date(ms: i64) -> String {
    local_time(ms).chars().take(10).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_instant_sleeper_moves_the_manual_clock() {
        let clock = ManualClock::at(1_000);
        let sleeper = InstantSleeper::new(Arc::clone(&clock));
        sleeper.sleep(Duration::from_secs(2)).await;
        assert_eq!(clock.now_ms(), 3_000);
        assert_eq!(sleeper.pauses(), [Duration::from_secs(2)]);
        assert_eq!(local_date(0).len(), 10);
    }
}

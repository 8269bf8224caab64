//! Pacing a job: at most R segments' worth of requests in any window of one second (Twilio's
//! long code carries 1 segment per second; what exceeds it is queued, then fails). Retries are
//! paced like first attempts. Pure arithmetic on milliseconds: the caller waits on its injected
//! clock and sleeper.
//!
//! Requests are spread evenly — one segment every `1 / R` seconds, plus a small margin
//! ([`MARGIN`]) so that the jitter of a real network cannot bunch two windows' worth into one
//! second at the receiving end — and, on top, a log of the last second's starts keeps any
//! window within R when messages of several segments mix.
//!
//! For a rate below 1 the window grows to `1 / R` seconds with room for one segment (0.5
//! segments per second: one segment every 2 s). A message longer than the room goes alone in
//! its window and keeps the next one back as long as its segments need (3 segments at 1 per
//! second: the next request 3 s later). A fractional rate above 1 is rounded down inside each
//! window (2.5 → 2 a second).

use std::collections::VecDeque;

/// The slowest rate a job may have (one segment every ~32 years: any rate a person means),
/// and the fastest.
pub const MIN_RATE: f64 = 1e-9;
pub const MAX_RATE: f64 = 1_000.0;

/// How much slower than the rate requests are spread (3 %): a request that leaves a few
/// milliseconds late never shares a second with one more than the rate allows.
pub const MARGIN: f64 = 0.03;

/// Where the next requests may start.
#[derive(Debug, Clone)]
pub struct Pacer {
    /// Milliseconds one segment takes at the rate (with the margin).
    per_segment_ms: f64,
    /// When the next request may start at the earliest, by the even spread.
    next_at: f64,
    window_ms: i64,
    /// Segments allowed in one window.
    room: f64,
    /// Start times and sizes of the requests in the last window, oldest first.
    started: VecDeque<(i64, u32)>,
    /// No start before this (after a message larger than a window's room).
    not_before: i64,
}

impl Pacer {
    /// A pacer for `rate` segments per second (clamped to [`MIN_RATE`]..[`MAX_RATE`]).
    pub fn new(rate: f64) -> Self {
        let rate = if rate.is_finite() {
            rate.clamp(MIN_RATE, MAX_RATE)
        } else {
            1.0
        };
        let (window_ms, room) = if rate >= 1.0 {
            (1_000, rate)
        } else {
            ((1_000.0 / rate).ceil() as i64, 1.0)
        };
        Self {
            per_segment_ms: 1_000.0 * (1.0 + MARGIN) / rate,
            next_at: f64::MIN,
            window_ms,
            room,
            started: VecDeque::new(),
            not_before: i64::MIN,
        }
    }

    /// Reserves the earliest start at or after `now` for a request of `segments`, and returns
    /// it (milliseconds, on the same clock as `now`).
    pub fn reserve(&mut self, now: i64, segments: u32) -> i64 {
        let segments = segments.max(1);
        // Starts only move forward: never before the last one reserved.
        let last = self.started.back().map_or(i64::MIN, |&(t, _)| t);
        let spread = if self.next_at.is_finite() {
            self.next_at.ceil() as i64
        } else {
            i64::MIN
        };
        let mut at = now.max(self.not_before).max(last).max(spread);
        loop {
            // Forget what is out of every window that could still matter.
            while self
                .started
                .front()
                .is_some_and(|&(t, _)| t <= at - self.window_ms)
            {
                self.started.pop_front();
            }
            let used: u32 = self.started.iter().map(|&(_, s)| s).sum();
            let fits = f64::from(used + segments) <= self.room + f64::EPSILON;
            if fits || self.started.is_empty() {
                self.started.push_back((at, segments));
                self.next_at = at as f64 + f64::from(segments) * self.per_segment_ms;
                if !fits {
                    let windows = f64::from(segments) / self.room;
                    self.not_before = at + (windows * self.window_ms as f64).ceil() as i64;
                }
                return at;
            }
            // Wait until the oldest start leaves the window.
            let oldest = self.started.front().map_or(at, |&(t, _)| t);
            at = at.max(oldest + self.window_ms);
        }
    }

    /// How many requests may usefully be in flight at once so that a server answering in
    /// `latency_ms` does not lower the rate (at least 2, at most 64).
    pub fn in_flight(&self, latency_ms: i64) -> usize {
        let per_window = self.room.ceil().max(1.0);
        let windows = (latency_ms.max(1) as f64 / self.window_ms as f64).ceil() + 1.0;
        (per_window * windows).clamp(2.0, 64.0) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The most segments started in any half-open window of `window` ms.
    fn busiest(starts: &[(i64, u32)], window: i64) -> u32 {
        starts
            .iter()
            .map(|&(t, _)| {
                starts
                    .iter()
                    .filter(|&&(u, _)| u >= t && u < t + window)
                    .map(|&(_, s)| s)
                    .sum()
            })
            .max()
            .unwrap_or(0)
    }

    fn run(rate: f64, sizes: &[u32]) -> Vec<(i64, u32)> {
        let mut pacer = Pacer::new(rate);
        sizes.iter().map(|&s| (pacer.reserve(0, s), s)).collect()
    }

    #[test]
    fn never_more_than_the_rate_in_any_second() {
        for rate in [1.0, 2.0, 10.0, 30.0] {
            // Messages of 1 to 3 segments, none larger than one second's room.
            let sizes: Vec<u32> = (0..200).map(|i| (1 + (i % 3)).min(rate as u32)).collect();
            let starts = run(rate, &sizes);
            assert!(
                f64::from(busiest(&starts, 1_000)) <= rate,
                "rate {rate}: {} in one second",
                busiest(&starts, 1_000)
            );
        }
    }

    #[test]
    fn the_rate_is_reached() {
        for rate in [1.0, 10.0, 30.0] {
            let starts = run(rate, &[1; 300]);
            let last = starts.last().map_or(0, |&(t, _)| t);
            // As the measurement script counts it: segments after the first, over the span.
            let achieved = 299.0 / (last as f64 / 1_000.0);
            assert!(
                achieved >= rate * 0.95,
                "rate {rate}: achieved {achieved:.2} segments/s"
            );
        }
    }

    #[test]
    fn slow_rates_and_long_messages() {
        let starts = run(0.5, &[1, 1, 1]);
        assert_eq!(
            starts.iter().map(|s| s.0).collect::<Vec<_>>(),
            [0, 2_060, 4_120]
        );
        let long = run(1.0, &[3, 1]);
        assert_eq!(long[0].0, 0, "a 3-segment message goes alone");
        assert_eq!(
            long[1].0, 3_090,
            "and keeps the next back for its 3 seconds"
        );
        let mut pacer = Pacer::new(1.0);
        assert_eq!(
            pacer.reserve(5_000, 1),
            5_000,
            "an idle pacer starts at once"
        );
        assert_eq!(pacer.reserve(5_000, 1), 6_030);
        let even = run(10.0, &[1; 11]);
        let gaps: Vec<i64> = even.windows(2).map(|w| w[1].0 - w[0].0).collect();
        assert!(
            gaps.iter().all(|&g| (103..=104).contains(&g)),
            "spread evenly, never in a burst: {gaps:?}"
        );
        assert!(
            Pacer::new(30.0).in_flight(250) >= 8,
            "enough in flight at 250 ms"
        );
    }
}

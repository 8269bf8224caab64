//! What the running simulator remembers: its keys, the requests it received, the faults it is
//! told to apply, and the messages it accepted.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use serde::Serialize;

use crate::config::SimConfig;
use crate::delivery::Messages;
use crate::faults::{Fault, FaultPlan};

/// The most requests kept; the oldest are forgotten past this, so that a simulator left running
/// for days does not grow without end. Tests never come near it.
pub(crate) const MAX_RECORDED: usize = 10_000;

/// One API request as the simulator received it (before any fault was applied).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordedRequest {
    pub method: String,
    /// The path only, without the query string.
    pub path: String,
    /// The `X-Octopods-Auth` header, if any.
    pub auth: Option<String>,
    pub content_type: Option<String>,
    /// The body parsed as JSON, when it is JSON.
    pub body: Option<serde_json::Value>,
    /// The body as text (invalid UTF-8 replaced).
    pub raw_body: String,
    /// When the request arrived, in milliseconds since the simulator started, on a monotonic
    /// clock of its own (taken before the body is read and before any fault is applied).
    pub received_ms: u64,
}

#[derive(Debug)]
pub(crate) struct SimState {
    pub(crate) config: SimConfig,
    /// The simulator's clock: [`RecordedRequest::received_ms`] counts from here.
    started: Instant,
    requests: Mutex<VecDeque<RecordedRequest>>,
    faults: Mutex<FaultPlan>,
    messages: Mutex<Messages>,
}

/// A lock that still works after a panic elsewhere: every update here leaves the data valid.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl SimState {
    pub(crate) fn new(config: SimConfig) -> Self {
        Self {
            config,
            started: Instant::now(),
            requests: Mutex::default(),
            faults: Mutex::default(),
            messages: Mutex::default(),
        }
    }

    /// Milliseconds since the simulator started, on its monotonic clock.
    pub(crate) fn elapsed_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    pub(crate) fn record(&self, request: RecordedRequest) {
        let mut requests = lock(&self.requests);
        if requests.len() >= MAX_RECORDED {
            requests.pop_front();
        }
        requests.push_back(request);
    }

    pub(crate) fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.requests).iter().cloned().collect()
    }

    pub(crate) fn clear_requests(&self) {
        lock(&self.requests).clear();
    }

    pub(crate) fn push_fault(&self, fault: Fault) {
        lock(&self.faults).push(fault);
    }

    pub(crate) fn set_fault(&self, fault: Option<Fault>) {
        lock(&self.faults).set_persistent(fault);
    }

    pub(crate) fn clear_faults(&self) {
        lock(&self.faults).clear();
    }

    pub(crate) fn next_fault(&self) -> Option<Fault> {
        lock(&self.faults).take_next()
    }

    pub(crate) fn messages(&self) -> MutexGuard<'_, Messages> {
        lock(&self.messages)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(n: usize) -> RecordedRequest {
        RecordedRequest {
            method: "GET".into(),
            path: format!("/{n}"),
            auth: None,
            content_type: None,
            body: None,
            raw_body: String::new(),
            received_ms: 0,
        }
    }

    #[test]
    fn recording_is_bounded_and_keeps_the_newest() {
        let state = SimState::new(SimConfig::default());
        for n in 0..MAX_RECORDED + 3 {
            state.record(request(n));
        }
        let requests = state.requests();
        assert_eq!(requests.len(), MAX_RECORDED);
        assert_eq!(requests[0].path, "/3");
        state.clear_requests();
        assert!(state.requests().is_empty());
    }

    #[test]
    fn the_clock_starts_at_zero_and_never_goes_back() {
        let state = SimState::new(SimConfig::default());
        let first = state.elapsed_ms();
        assert!(first < 1_000, "{first} ms just after the start");
        std::thread::sleep(std::time::Duration::from_millis(5));
        assert!(state.elapsed_ms() >= first + 5);
    }
}

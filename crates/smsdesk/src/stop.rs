//! Telling background work to stop: the worker ([`crate::worker`]) and a list being sent
//! ([`crate::desk::Desk::run_job`]) check it between steps and finish what they are doing (an
//! answer being recorded) before they return. Its own module so that both can use it without
//! either reaching into the other.

use std::sync::Arc;

use tokio::sync::watch;

/// Tells a running worker to stop; it finishes what it is doing (an answer being recorded)
/// and returns.
#[derive(Debug, Clone)]
pub struct Stop(Arc<watch::Sender<bool>>);

impl Stop {
    pub fn new() -> Self {
        Self(Arc::new(watch::channel(false).0))
    }

    pub fn stop(&self) {
        self.0.send_replace(true);
    }

    pub fn is_stopped(&self) -> bool {
        *self.0.borrow()
    }

    /// Whether `other` is this one (or a clone of it).
    pub fn same_as(&self, other: &Stop) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// Returns once [`Stop::stop`] was called.
    pub async fn stopped(&self) {
        let mut seen = self.0.subscribe();
        let _ = seen.wait_for(|stopped| *stopped).await;
    }
}

impl Default for Stop {
    fn default() -> Self {
        Self::new()
    }
}

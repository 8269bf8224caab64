//! What changed, told to whoever shows it: the app forwards each [`Change`] to the window (a
//! Tauri event), so screens update when something happens instead of asking on a timer.

use std::sync::Mutex;

use serde::Serialize;

/// What kind of thing changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ChangeKind {
    /// A history row was added or its outcome recorded (`id`: the row).
    History,
    /// A message's delivery status changed, or its tracking ended (`id`: the row).
    Delivery,
    /// The do-not-text list changed.
    OptOuts,
    Settings,
    Templates,
    /// A bulk job's rows moved on (`id`: the job).
    Job,
    /// The team membership or its last sync changed (joined, left, synced, confirmed).
    Team,
}

/// One change, as it crosses to the window: `{"kind": "delivery", "id": 12}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub kind: ChangeKind,
    pub id: Option<i64>,
}

impl Change {
    pub fn row(kind: ChangeKind, id: i64) -> Self {
        Self { kind, id: Some(id) }
    }

    pub fn of(kind: ChangeKind) -> Self {
        Self { kind, id: None }
    }
}

/// Where changes go. Must not block: called from the send path and the worker.
pub trait Events: Send + Sync {
    fn changed(&self, change: Change);
}

/// Nobody is listening (the command line).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoEvents;

impl Events for NoEvents {
    fn changed(&self, _change: Change) {}
}

/// Keeps every change (tests).
#[derive(Debug, Default)]
pub struct RecordedEvents(Mutex<Vec<Change>>);

impl RecordedEvents {
    pub fn all(&self) -> Vec<Change> {
        self.0.lock().map(|c| c.clone()).unwrap_or_default()
    }
}

impl Events for RecordedEvents {
    fn changed(&self, change: Change) {
        if let Ok(mut all) = self.0.lock() {
            all.push(change);
        }
    }
}

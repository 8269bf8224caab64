//! The desk: the one API of SMS Desk. The app's commands and the `smsdesk` command line both
//! call these functions and nothing else; neither rebuilds what the other does.
//!
//! A [`Desk`] holds the store (opened once, in the background, awaited by every call), the
//! keychain, the built-in practice server, the clock and sleeper, and where changes are told
//! ([`Events`]). Every function is `async` and does its blocking work (SQLite, the keychain)
//! off the async runtime.
//!
//! - [`send`]: a message (free text or a saved template, rendered here) on a [`Via`]: the
//!   active channel, Practice, or the command line's channel or key.
//! - [`channels`]: channels and their keys, teammates, the Sending settings.
//! - [`library`]: templates, business details, the first-run welcome.
//! - [`lists`]: the history and the do-not-text list (search, import, export).
//! - [`notices`]: what to tell the person at start-up, until it is resolved.
//! - [`tracking`]: one round of delivery questions (the [`crate::worker`] runs it).
//! - [`bulk`]: jobs from a spreadsheet — check every row, store the job, send it paced;
//!   [`bulk_app`]: the app's steps (open a file, map, preview, test, start, pause, cancel).

pub mod bulk;
pub mod bulk_app;
pub mod channels;
pub mod library;
pub mod lists;
pub mod notices;
pub mod schedule;
pub mod schedule_app;
pub mod send;
pub mod team;
mod team_documents;
pub mod tracking;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::OnceCell;

use crate::error::{Error, Result};
use crate::events::{Change, Events, NoEvents};
use crate::history::tracking::PollPolicy;
use crate::outbox::{self, RetryPolicy};
use crate::practice::Practice;
use crate::secrets::KeyStore;
use crate::settings::Settings;
use crate::store::config::keys;
use crate::store::Store;
use crate::time::{Clock, Sleeper, SystemClock, TokioSleeper};

pub use channels::{ChannelStatus, DeskStatus, Mode, PracticeNumber};
pub use send::{Sent, Via};

/// How a desk is made: its data folder and keychain, and (for tests) its clock, sleeper,
/// policies and listener.
pub struct DeskOptions {
    pub dir: PathBuf,
    /// Opens the keychain, on first need (a command-line send on Practice or with its own key
    /// never asks it). Its error (Practice still works) is shown when a key is needed.
    pub keys: KeyOpener,
    pub clock: Arc<dyn Clock>,
    pub sleeper: Arc<dyn Sleeper>,
    pub events: Arc<dyn Events>,
    pub retry: RetryPolicy,
    pub poll: PollPolicy,
}

/// How the keychain is opened.
pub type KeyOpener = Arc<dyn Fn() -> Result<KeyStore> + Send + Sync>;

impl DeskOptions {
    /// A desk on `dir` with the keychain `keys`, the computer's clock and the usual policies.
    pub fn new(dir: &Path, keys: Result<KeyStore>) -> Self {
        let keys = keys.map_err(|e| match e {
            Error::KeychainUnavailable(reason) => reason,
            other => other.to_string(),
        });
        Self::with_key_opener(
            dir,
            Arc::new(move || keys.clone().map_err(Error::KeychainUnavailable)),
        )
    }

    /// A desk on `dir` whose keychain is opened by `keys` when first needed.
    pub fn with_key_opener(dir: &Path, keys: KeyOpener) -> Self {
        Self {
            dir: dir.to_owned(),
            keys,
            clock: Arc::new(SystemClock),
            sleeper: Arc::new(TokioSleeper),
            events: Arc::new(NoEvents),
            retry: RetryPolicy::default(),
            poll: PollPolicy::default(),
        }
    }

    /// The data folder (`SMSDESK_DATA_DIR`, else the platform's) and the keychain (memory
    /// when `SMSDESK_KEYSTORE=memory`).
    pub fn from_env() -> Result<Self> {
        let dir = crate::paths::data_dir()
            .ok_or_else(|| Error::History("this computer has no home folder".into()))?;
        Ok(Self::with_key_opener(&dir, Arc::new(KeyStore::from_env)))
    }
}

pub struct Desk {
    dir: PathBuf,
    key_opener: KeyOpener,
    /// The keychain once opened, or why it could not be.
    keys: std::sync::OnceLock<std::result::Result<KeyStore, String>>,
    store: OnceCell<Arc<Store>>,
    practice: OnceCell<Practice>,
    clock: Arc<dyn Clock>,
    sleeper: Arc<dyn Sleeper>,
    events: Arc<dyn Events>,
    retry: RetryPolicy,
    poll: PollPolicy,
    /// Files opened for a bulk job and not sent yet.
    drafts: std::sync::Mutex<bulk_app::Drafts>,
}

impl Desk {
    /// Makes the desk; nothing is opened yet (see [`Desk::store`]).
    pub fn new(options: DeskOptions) -> Self {
        Self {
            dir: options.dir,
            key_opener: options.keys,
            keys: std::sync::OnceLock::new(),
            store: OnceCell::new(),
            practice: OnceCell::new(),
            clock: options.clock,
            sleeper: options.sleeper,
            events: options.events,
            retry: options.retry,
            poll: options.poll,
            drafts: std::sync::Mutex::default(),
        }
    }

    /// The data folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The store, opened on first use (off the async runtime: its integrity check reads the
    /// whole file) and then shared. Opening also moves over what older versions kept in
    /// `settings.json` and `templates.json`. A failure, or a panic while opening, is an
    /// error (tried again on the next call), never a wait without end.
    pub async fn store(&self) -> Result<Arc<Store>> {
        let store = self
            .store
            .get_or_try_init(|| async {
                let (dir, clock) = (self.dir.clone(), Arc::clone(&self.clock));
                let store = crate::blocking::off_runtime(
                    move || {
                        let store = Store::open_with(&dir, clock)?;
                        crate::store::legacy::import_once(&store)?;
                        Ok(store)
                    },
                    Error::History,
                )
                .await?;
                let store = Arc::new(store);
                self.move_legacy_key(&store).await;
                Ok::<_, Error>(store)
            })
            .await?;
        Ok(Arc::clone(store))
    }

    /// Runs blocking store work off the async runtime.
    pub(crate) async fn with_store<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Store) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let store = self.store().await?;
        outbox::blocking(&store, work).await
    }

    /// The keychain (opened on first need), or the error explaining why there is none.
    pub fn keys(&self) -> Result<KeyStore> {
        self.keys
            .get_or_init(|| {
                (self.key_opener)().map_err(|e| match e {
                    Error::KeychainUnavailable(reason) => reason,
                    other => other.to_string(),
                })
            })
            .clone()
            .map_err(Error::KeychainUnavailable)
    }

    /// Runs blocking keychain work off the async runtime.
    pub(crate) async fn with_keys<T: Send + 'static>(
        &self,
        work: impl FnOnce(&KeyStore) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let keys = self.keys()?;
        crate::blocking::off_runtime(move || work(&keys), Error::Keychain).await
    }

    /// The practice server, started on first use.
    pub async fn practice(&self) -> Result<&Practice> {
        let now = self.clock.now_ms();
        self.practice.get_or_try_init(|| Practice::start(now)).await
    }

    /// The saved settings (the defaults when none were saved). Never writes.
    pub async fn settings(&self) -> Result<Settings> {
        self.with_store(read_settings).await
    }

    /// Reads the settings, lets `change` change them and saves them when it says so, in one
    /// transaction: two changes at once (a send learning about its channel while the person
    /// renames it) never undo each other.
    pub(crate) async fn edit_settings<T: Send + 'static>(
        &self,
        change: impl FnOnce(&mut Settings) -> Result<(T, bool)> + Send + 'static,
    ) -> Result<T> {
        let value = self
            .with_store(move |s| s.edit_config(keys::SETTINGS, Settings::default, change))
            .await?;
        self.tell(Change::of(crate::events::ChangeKind::Settings));
        Ok(value)
    }

    /// Tells whoever listens that something changed.
    pub(crate) fn tell(&self, change: Change) {
        self.events.changed(change);
    }

    pub(crate) fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    pub(crate) fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    pub(crate) fn sleeper(&self) -> &dyn Sleeper {
        self.sleeper.as_ref()
    }

    pub(crate) fn poll_policy(&self) -> PollPolicy {
        self.poll
    }
}

/// The saved settings, or the defaults when none were saved.
pub(crate) fn read_settings(store: &Store) -> Result<Settings> {
    Ok(store.config(keys::SETTINGS)?.unwrap_or_default())
}

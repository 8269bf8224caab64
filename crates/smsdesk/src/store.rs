//! The one store: a single SQLite file in the data folder (`history.sqlite3`), shared by the
//! app and the command line, holding everything SMS Desk keeps except API keys (which are in
//! the keychain): the history of messages ([`crate::history`]), the do-not-text list
//! ([`crate::do_not_text`]), and the settings, templates and business details ([`config`]).
//!
//! - WAL, `synchronous=FULL` (and `fullfsync` on macOS), a busy timeout, numbered migrations
//!   in [`schema`] (refused, untouched, when a newer SMS Desk wrote the file).
//! - The folder is private to the person (0700) and the files too (0600) on Unix.
//! - Each process that opens it holds a lock on its own file in `senders/` ([`owner`]), which
//!   is how a row left `sending` by a process that is gone is recognised.
//! - A damaged file is moved aside (kept, never deleted), a fresh one begun, and what can
//!   still be read copied over ([`salvage`]); the damage is recorded in the new file, so every
//!   later opener (the app, the command line) knows it too ([`Store::damaged`]).

pub mod config;
pub(crate) mod legacy;
pub(crate) mod owner;
mod private;
mod salvage;
pub(crate) mod schema;
pub use schema::SCHEMA_VERSION;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, Transaction, TransactionBehavior};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::time::{Clock, SystemClock};
use owner::Owner;

/// The database's file name in the data folder.
pub const DB_FILE: &str = "history.sqlite3";
/// How long a write waits for another process's write to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The store, open for this process. Calls are short transactions on one connection and
/// block: run them off the async runtime (the façade, [`crate::desk::Desk`], does).
pub struct Store {
    conn: Mutex<Connection>,
    owner: Owner,
    dir: PathBuf,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("dir", &self.dir).finish()
    }
}

/// The history file could not be read, so it was kept under another name and a new one begun,
/// with whatever could still be read from the old one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DamagedDatabase {
    /// Where the damaged file was kept.
    pub kept_as: String,
    /// What SQLite said about it.
    pub reason: String,
    /// How many do-not-text numbers were copied into the new history; `None` when the old
    /// list could not be read at all.
    pub recovered_opt_outs: Option<u64>,
    /// How many messages were copied into the new history; `None` when none could be read.
    pub recovered_messages: Option<u64>,
}

fn db_error(e: impl std::fmt::Display) -> Error {
    Error::History(e.to_string())
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        db_error(e)
    }
}

/// Whether an error means the file is not a usable database (rather than, say, locked).
fn is_damage(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
    )
}

enum OpenError {
    Damaged(String),
    /// Another process holds a lock SQLite would not wait for (switching a new file to WAL,
    /// migrating it): tried again.
    Busy(rusqlite::Error),
    Other(Error),
}

impl From<rusqlite::Error> for OpenError {
    fn from(e: rusqlite::Error) -> Self {
        if is_damage(&e) {
            OpenError::Damaged(e.to_string())
        } else if matches!(
            e.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        ) {
            OpenError::Busy(e)
        } else {
            OpenError::Other(db_error(e))
        }
    }
}

/// Opens the file, trying again for up to [`BUSY_TIMEOUT`] while another process is opening
/// or migrating it at the same moment.
fn connect(path: &Path) -> std::result::Result<Connection, OpenError> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        match connect_once(path) {
            Err(OpenError::Busy(e)) if std::time::Instant::now() >= deadline => {
                return Err(OpenError::Other(db_error(e)))
            }
            Err(OpenError::Busy(_)) => std::thread::sleep(Duration::from_millis(20)),
            other => return other,
        }
    }
}

fn connect_once(path: &Path) -> std::result::Result<Connection, OpenError> {
    private::create_file(path).map_err(|e| OpenError::Other(db_error(e)))?;
    let mut conn = Connection::open(path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // FULL: a `sending` row is on disk before the request leaves, even if the power fails.
    conn.pragma_update(None, "synchronous", "FULL")?;
    // On macOS an fsync does not reach the disk's platter; F_FULLFSYNC does.
    #[cfg(target_os = "macos")]
    conn.pragma_update(None, "fullfsync", "ON")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    let check: String = conn.query_row("PRAGMA quick_check(1)", [], |row| row.get(0))?;
    if check != "ok" {
        return Err(OpenError::Damaged(check));
    }
    schema::migrate(&mut conn).map_err(|e| match e {
        schema::MigrateError::Newer { found, known } => {
            OpenError::Other(Error::HistoryTooNew { found, known })
        }
        schema::MigrateError::Sql(e) => OpenError::from(e),
    })?;
    Ok(conn)
}

/// Renames the damaged file (and its journal files) to `<name>.damaged-<seconds>`.
fn set_aside(path: &Path) -> Result<PathBuf> {
    let seconds = crate::time::now_ms() / 1000;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| DB_FILE.to_owned());
    let kept = path.with_file_name(format!("{name}.damaged-{seconds}"));
    std::fs::rename(path, &kept).map_err(db_error)?;
    for suffix in ["-wal", "-shm"] {
        let journal = path.with_file_name(format!("{name}{suffix}"));
        if journal.exists() {
            let kept_journal = path.with_file_name(format!("{name}.damaged-{seconds}{suffix}"));
            std::fs::rename(&journal, kept_journal).map_err(db_error)?;
        }
    }
    Ok(kept)
}

impl Store {
    /// Opens (or creates) the store in `dir` on the computer's clock. See [`Store::open_with`].
    pub fn open(dir: &Path) -> Result<Store> {
        Store::open_with(dir, Arc::new(SystemClock))
    }

    /// Opens (or creates) the store in `dir`, bringing it up to date; times are read from
    /// `clock`. A damaged file is kept aside and a fresh one started, and the damage is
    /// recorded in it. Rows left in `sending` by a process that is gone become `unknown`.
    pub fn open_with(dir: &Path, clock: Arc<dyn Clock>) -> Result<Store> {
        private::create_dir(dir).map_err(db_error)?;
        let path = dir.join(DB_FILE);
        let (conn, damaged) = match connect(&path) {
            Ok(conn) => (conn, None),
            Err(OpenError::Other(e)) => return Err(e),
            Err(OpenError::Busy(e)) => return Err(db_error(e)),
            Err(OpenError::Damaged(reason)) => {
                let kept = set_aside(&path)?;
                let mut conn = connect(&path).map_err(|e| match e {
                    OpenError::Damaged(reason) => Error::History(reason),
                    OpenError::Busy(e) => db_error(e),
                    OpenError::Other(e) => e,
                })?;
                let (recovered_opt_outs, recovered_messages) = salvage::salvage(&kept, &mut conn);
                let damaged = DamagedDatabase {
                    kept_as: kept.display().to_string(),
                    reason,
                    recovered_opt_outs,
                    recovered_messages,
                };
                (conn, Some(damaged))
            }
        };
        let owner = Owner::claim(dir).map_err(db_error)?;
        owner::sweep(dir);
        let store = Store {
            conn: Mutex::new(conn),
            owner,
            dir: dir.to_owned(),
            clock,
        };
        if let Some(damaged) = damaged {
            store.record_damage(&damaged)?;
        }
        store.recover()?;
        Ok(store)
    }

    /// The data folder this store is in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Now, on the store's clock.
    pub(crate) fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    /// This process's sender token (stamped on the rows it is sending).
    pub(crate) fn owner_token(&self) -> &str {
        self.owner.token()
    }

    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent (transactions roll back).
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `work` in one write transaction (taken at once, so nothing another process writes
    /// can fall between what `work` reads and what it writes), committed when it succeeds.
    pub(crate) fn write<T>(&self, work: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = work(&tx)?;
        tx.commit()?;
        Ok(value)
    }
}

/// The do-not-text list could not be carried over from a damaged file: it may be missing
/// numbers. Kept until the list is imported again or the person confirms it is complete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IncompleteList {
    /// When the damage was found (milliseconds since 1970).
    pub since: i64,
    /// Where the damaged file was kept.
    pub kept_as: String,
}

impl Store {
    /// Records the damage found at opening, for every later opener: the notice, and, when the
    /// do-not-text list could not be read, the marker that holds live sends back.
    fn record_damage(&self, damaged: &DamagedDatabase) -> Result<()> {
        let now = self.now();
        self.write(|tx| {
            config::write(tx, config::keys::DAMAGE, damaged, now)?;
            if damaged.recovered_opt_outs.is_none() {
                let marker = IncompleteList {
                    since: now,
                    kept_as: damaged.kept_as.clone(),
                };
                config::write(tx, config::keys::OPT_OUTS_INCOMPLETE, &marker, now)?;
            }
            Ok(())
        })
    }

    /// The damage found when this file was begun, until the person dismisses the notice.
    pub fn damaged(&self) -> Result<Option<DamagedDatabase>> {
        self.config(config::keys::DAMAGE)
    }

    /// Set while the do-not-text list may be incomplete (see [`IncompleteList`]).
    pub fn opt_outs_incomplete(&self) -> Result<Option<IncompleteList>> {
        self.config(config::keys::OPT_OUTS_INCOMPLETE)
    }
}

#[cfg(test)]
mod durability_tests {
    /// A `sending` row must be on the disk before the request leaves: FULL sync everywhere, and
    /// on macOS F_FULLFSYNC too (a plain fsync there stops at the drive's cache). The macOS
    /// half runs only on a Mac; CI here is Linux.
    #[test]
    fn every_write_reaches_the_disk() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = super::Store::open(dir.path()).expect("open");
        let synchronous: i64 = store
            .conn()
            .query_row("PRAGMA synchronous", [], |row| row.get(0))
            .expect("synchronous");
        assert_eq!(synchronous, 2, "FULL");
        #[cfg(target_os = "macos")]
        {
            let full: i64 = store
                .conn()
                .query_row("PRAGMA fullfsync", [], |row| row.get(0))
                .expect("fullfsync");
            assert_eq!(full, 1, "F_FULLFSYNC on macOS");
        }
    }
}

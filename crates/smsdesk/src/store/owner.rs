//! Who is sending: each process that opens the history holds an exclusive lock on its own file
//! in `senders/`, and stamps the rows it is sending with that file's name. The operating system
//! drops the lock when the process ends, however it ends (a crash, a kill, a power cut), so a
//! row in `sending` whose owner's lock can be taken was left behind by a process that is gone:
//! its outcome is unknown. Nothing is ever resent because of it.

use std::fs::{self, File, TryLockError};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// The folder of lock files, beside the database.
const SENDERS_DIR: &str = "senders";
/// A lock file nobody holds is removed only once it is this old: a process creates its file
/// a moment before it locks it.
const STALE_AFTER: Duration = Duration::from_secs(60);

/// This process's claim; released (and its file removed) on drop.
#[derive(Debug)]
pub(crate) struct Owner {
    token: String,
    path: PathBuf,
    _file: File,
}

impl Owner {
    /// Creates and locks a new lock file in `data_dir/senders/`.
    pub(crate) fn claim(data_dir: &Path) -> io::Result<Owner> {
        let dir = data_dir.join(SENDERS_DIR);
        fs::create_dir_all(&dir)?;
        let token = uuid::Uuid::new_v4().simple().to_string();
        let path = dir.join(format!("{token}.lock"));
        let file = File::create(&path)?;
        file.lock()?;
        Ok(Owner {
            token,
            path,
            _file: file,
        })
    }

    pub(crate) fn token(&self) -> &str {
        &self.token
    }
}

impl Drop for Owner {
    fn drop(&mut self) {
        // Best effort: a leftover file is swept later; the lock itself goes with the handle.
        let _ = fs::remove_file(&self.path);
    }
}

/// Whether the process that claimed `token` is still running.
pub(crate) fn is_alive(data_dir: &Path, token: &str) -> bool {
    if token.is_empty() || !token.chars().all(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    let path = data_dir.join(SENDERS_DIR).join(format!("{token}.lock"));
    let Ok(file) = File::open(&path) else {
        return false;
    };
    match file.try_lock() {
        Ok(()) => false,
        Err(TryLockError::WouldBlock) => true,
        // The lock cannot be checked: assume the process is alive, so that a row still being
        // sent is never called unknown too early. It is checked again next time.
        Err(TryLockError::Error(_)) => true,
    }
}

/// Removes lock files left by processes that are gone (older than a minute, not locked).
pub(crate) fn sweep(data_dir: &Path) {
    let Ok(entries) = fs::read_dir(data_dir.join(SENDERS_DIR)) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let path = entry.path();
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|modified| now.duration_since(modified).ok())
            .is_some_and(|age| age > STALE_AFTER);
        if !old || path.extension().is_none_or(|ext| ext != "lock") {
            continue;
        }
        if let Ok(file) = File::open(&path) {
            if file.try_lock().is_ok() {
                drop(file);
                let _ = fs::remove_file(&path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_claim_is_alive_and_a_dropped_one_is_not() {
        let dir = tempfile::tempdir().expect("temp dir");
        let owner = Owner::claim(dir.path()).expect("claim");
        let token = owner.token().to_owned();
        assert!(is_alive(dir.path(), &token));
        drop(owner);
        assert!(!is_alive(dir.path(), &token));
        assert!(!is_alive(dir.path(), "../../etc/passwd"));
        assert!(!is_alive(dir.path(), ""));
    }
}

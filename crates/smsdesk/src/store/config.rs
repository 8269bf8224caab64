//! Entries of the `config` table: one JSON value per key (the settings, the templates, the
//! business details, markers). Read with [`Store::config`], changed with [`Store::edit_config`]
//! (read, change and write in one transaction, so two processes never undo each other's
//! change). A value this version cannot read (a newer SMS Desk wrote it, or it is damaged) is
//! an error, never a silent default: it stays as it is and the person is told.

use rusqlite::{params, OptionalExtension, Transaction};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::Store;
use crate::error::{Error, Result};

/// The keys, in one place.
pub mod keys {
    pub const SETTINGS: &str = "settings";
    pub const BUSINESS: &str = "business";
    pub const TEMPLATES: &str = "templates";
    pub const FIRST_RUN_DONE: &str = "first_run_done";
    /// [`crate::desk::schedule::SchedulingSettings`]: time zone, sending window, grace.
    pub const SCHEDULING: &str = "scheduling";
    /// [`crate::store::DamagedDatabase`]: the file found at start-up was damaged.
    pub const DAMAGE: &str = "damage";
    /// The do-not-text list could not be recovered: live sends wait until it is re-imported
    /// or confirmed complete.
    pub const OPT_OUTS_INCOMPLETE: &str = "opt_outs_incomplete";
    /// Notices kept until the person dismisses them (a legacy file that could not be read).
    pub const NOTICES: &str = "notices";
    /// `settings.json` / `templates.json` were looked at (imported, or found missing) once.
    pub const LEGACY_IMPORTED: &str = "legacy_imported";
    /// Settings saved before channels existed were imported: a key saved then (filed under
    /// [`crate::secrets::DEFAULT_CHANNEL`]) is moved onto a channel once. Its value is the old
    /// single server address (or null).
    pub const LEGACY_KEY_CHECK: &str = "legacy_key_check";
    /// [`crate::team::Membership`]: this desk is one of a team's.
    pub const TEAM: &str = "team";
}

pub(crate) fn read<T: DeserializeOwned>(
    conn: &rusqlite::Connection,
    key: &str,
) -> Result<Option<T>> {
    let text: Option<String> = conn
        .query_row("SELECT value FROM config WHERE key = ?1", [key], |row| {
            row.get(0)
        })
        .optional()?;
    text.map(|text| {
        serde_json::from_str(&text).map_err(|e| Error::ConfigUnreadable {
            what: key.to_owned(),
            reason: e.to_string(),
        })
    })
    .transpose()
}

pub(crate) fn write<T: Serialize>(
    tx: &Transaction<'_>,
    key: &str,
    value: &T,
    now: i64,
) -> Result<()> {
    let text = serde_json::to_string(value).map_err(|e| Error::History(e.to_string()))?;
    tx.execute(
        "INSERT INTO config (key, value, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (key) DO UPDATE SET value = ?2, updated_at = ?3",
        params![key, text, now],
    )?;
    Ok(())
}

impl Store {
    /// The value saved under `key`; `None` when nothing was saved.
    pub fn config<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        read(&self.conn(), key)
    }

    /// Saves `value` under `key`.
    pub fn set_config<T: Serialize>(&self, key: &str, value: &T) -> Result<()> {
        let now = self.now();
        self.write(|tx| write(tx, key, value, now))
    }

    /// Removes `key`; `true` when it was there.
    pub fn remove_config(&self, key: &str) -> Result<bool> {
        let removed =
            self.write(|tx| Ok(tx.execute("DELETE FROM config WHERE key = ?1", [key])?))?;
        Ok(removed > 0)
    }

    /// Reads the value under `key` (or `default()` when none was saved), lets `change` change
    /// it, and saves it when `change` says so (`Ok((value, true))`) — all in one transaction.
    /// Nothing is saved when `change` fails or the saved value cannot be read.
    pub fn edit_config<T, R>(
        &self,
        key: &str,
        default: impl FnOnce() -> T,
        change: impl FnOnce(&mut T) -> Result<(R, bool)>,
    ) -> Result<R>
    where
        T: Serialize + DeserializeOwned,
    {
        let now = self.now();
        self.write(|tx| {
            let mut value = read(tx, key)?.unwrap_or_else(default);
            let (result, changed) = change(&mut value)?;
            if changed {
                write(tx, key, &value, now)?;
            }
            Ok(result)
        })
    }

    /// Saves `value` under `key` only if nothing is saved there yet; `true` when it was saved.
    pub(crate) fn init_config<T: Serialize>(&self, key: &str, value: &T) -> Result<bool> {
        let now = self.now();
        self.write(|tx| {
            let there: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM config WHERE key = ?1)",
                [key],
                |row| row.get(0),
            )?;
            if !there {
                write(tx, key, value, now)?;
            }
            Ok(!there)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreadable_value_is_an_error_and_is_left_as_it_is() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(dir.path()).expect("open");
        assert_eq!(store.config::<Vec<u32>>("list").expect("read"), None);
        store.set_config("list", &vec![1, 2]).expect("save");
        let pushed = store
            .edit_config("list", Vec::<u32>::new, |list| {
                list.push(3);
                Ok((list.len(), true))
            })
            .expect("edit");
        assert_eq!(pushed, 3);
        store
            .conn()
            .execute(
                "UPDATE config SET value = '{\"newer\": true}' WHERE key = 'list'",
                [],
            )
            .expect("a newer version's value");
        assert!(matches!(
            store.config::<Vec<u32>>("list"),
            Err(Error::ConfigUnreadable { .. })
        ));
        let edited = store.edit_config("list", Vec::<u32>::new, |list| {
            list.clear();
            Ok(((), true))
        });
        assert!(edited.is_err(), "an edit of an unreadable value is refused");
        let raw: String = store
            .conn()
            .query_row("SELECT value FROM config WHERE key = 'list'", [], |r| {
                r.get(0)
            })
            .expect("raw");
        assert_eq!(raw, "{\"newer\": true}", "left exactly as it was");
    }
}

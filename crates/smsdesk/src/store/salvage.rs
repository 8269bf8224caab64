//! What can still be read from a damaged history file is copied into the new one: the
//! do-not-text list first (a lost STOP is a compliance breach), then the messages. Rows that
//! cannot be read are skipped; the damaged file itself is never changed.

use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags};

/// Copies the readable do-not-text numbers and messages from `kept` into `new`. Each count is
/// `None` when nothing of that table could be read.
pub(super) fn salvage(kept: &std::path::Path, new: &mut Connection) -> (Option<u64>, Option<u64>) {
    let Ok(old) = Connection::open_with_flags(
        kept,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) else {
        return (None, None);
    };
    // Tolerates a damaged schema entry, so the tables that are intact can still be read.
    let _ = old.pragma_update(None, "writable_schema", true);
    let opt_outs = copy(
        &old,
        new,
        "SELECT number, reason, added_at, message FROM optouts",
        "INSERT OR IGNORE INTO optouts (number, reason, added_at, message) VALUES (?1, ?2, ?3, ?4)",
        4,
    );
    // Settings, templates and business details (a file from before they moved here has
    // none: nothing is copied).
    let _ = copy(
        &old,
        new,
        "SELECT key, value, updated_at FROM config",
        "INSERT OR IGNORE INTO config (key, value, updated_at) VALUES (?1, ?2, ?3)",
        3,
    );
    // Messages and their timelines only when the table has the same columns: they are
    // copied as they are.
    let columns = column_count(&old, "messages");
    let same_shape = columns.is_some() && columns == column_count(new, "messages");
    let messages = same_shape
        .then(|| {
            let columns = columns?;
            let placeholders = vec!["?"; columns].join(", ");
            let copied = copy(
                &old,
                new,
                "SELECT * FROM messages ORDER BY id",
                &format!("INSERT OR IGNORE INTO messages VALUES ({placeholders})"),
                columns,
            )?;
            // The timeline is a nicety: a message without it is still the record.
            let _ = copy(
                &old,
                new,
                "SELECT message, at, what FROM events ORDER BY id",
                "INSERT INTO events (message, at, what)
                 SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM messages WHERE id = ?1)",
                3,
            );
            Some(copied)
        })
        .flatten();
    (opt_outs, messages)
}

fn column_count(conn: &Connection, table: &str) -> Option<usize> {
    conn.prepare(&format!("SELECT * FROM {table} LIMIT 0"))
        .ok()
        .map(|stmt| stmt.column_count())
}

/// Copies the rows `select` reads until the first unreadable one; `None` when none could be
/// read because the query itself failed.
fn copy(
    old: &Connection,
    new: &mut Connection,
    select: &str,
    insert: &str,
    columns: usize,
) -> Option<u64> {
    let mut stmt = old.prepare(select).ok()?;
    let mut rows = stmt.query([]).ok()?;
    let tx = new.transaction().ok()?;
    let mut copied = 0;
    {
        let mut insert = tx.prepare(insert).ok()?;
        while let Ok(Some(row)) = rows.next() {
            let values: Option<Vec<Value>> = (0..columns).map(|i| row.get(i).ok()).collect();
            let Some(values) = values else { continue };
            if insert.execute(rusqlite::params_from_iter(values)).is_ok() {
                copied += 1;
            }
        }
    }
    tx.commit().ok()?;
    Some(copied)
}

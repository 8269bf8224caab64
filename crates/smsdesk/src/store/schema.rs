//! The database's shape, as numbered migrations. `PRAGMA user_version` holds how many have
//! been applied; each runs once, in its own transaction, in order.

use rusqlite::Connection;

/// Migration `n` (1-based) is `MIGRATIONS[n - 1]`. Add, never edit: a shipped migration has
/// already run on people's computers.
pub(crate) const MIGRATIONS: &[&str] = &[
    // 1: messages, their timeline, and the do-not-text list.
    "
    CREATE TABLE messages (
        id                INTEGER PRIMARY KEY,
        created_at        INTEGER NOT NULL,
        updated_at        INTEGER NOT NULL,
        to_number         TEXT NOT NULL,
        recipient_name    TEXT NOT NULL DEFAULT '',
        body              TEXT NOT NULL,
        channel_id        TEXT NOT NULL,
        channel_name      TEXT NOT NULL,
        practice          INTEGER NOT NULL DEFAULT 0,
        workspace         TEXT NOT NULL DEFAULT '',
        teammate_id       TEXT,
        teammate_name     TEXT,
        template_id       TEXT,
        template_name     TEXT,
        open_conversation INTEGER NOT NULL DEFAULT 0,
        outcome           TEXT NOT NULL,
        owner             TEXT,
        attempts          INTEGER NOT NULL DEFAULT 0,
        http_status       INTEGER,
        request_id        TEXT,
        message_id        TEXT,
        error_code        INTEGER,
        error             TEXT,
        problem           TEXT,
        hint              TEXT,
        raw_response      TEXT,
        status            TEXT,
        status_detail     TEXT,
        status_at         INTEGER,
        raw_status        TEXT,
        tracking          TEXT NOT NULL DEFAULT 'none',
        polls             INTEGER NOT NULL DEFAULT 0,
        next_poll_at      INTEGER
    );
    CREATE INDEX messages_to ON messages (to_number, id);
    CREATE INDEX messages_outcome ON messages (outcome, id);
    CREATE INDEX messages_status ON messages (status, id);
    CREATE INDEX messages_channel ON messages (channel_id, id);
    CREATE INDEX messages_created ON messages (created_at);
    CREATE INDEX messages_polling ON messages (next_poll_at) WHERE tracking = 'active';
    CREATE INDEX messages_sending ON messages (owner) WHERE outcome = 'sending';

    CREATE TABLE events (
        id         INTEGER PRIMARY KEY,
        message    INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
        at         INTEGER NOT NULL,
        what       TEXT NOT NULL
    );
    CREATE INDEX events_message ON events (message, id);

    CREATE TABLE optouts (
        number     TEXT PRIMARY KEY,
        reason     TEXT NOT NULL DEFAULT '',
        added_at   INTEGER NOT NULL,
        message    INTEGER
    );
    ",
    // 2: what used to be in settings.json and templates.json, and the markers every opener
    // reads (a damaged history, a do-not-text list that may be incomplete, notices). One row
    // per entry, its value JSON.
    "
    CREATE TABLE config (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        updated_at INTEGER NOT NULL
    );
    ",
    // 3: bulk jobs (a spreadsheet of reminders) and their rows, each row linked to the
    // history message it became.
    "
    CREATE TABLE jobs (
        id            INTEGER PRIMARY KEY,
        created_at    INTEGER NOT NULL,
        updated_at    INTEGER NOT NULL,
        file_name     TEXT NOT NULL,
        template      TEXT NOT NULL,
        template_id   TEXT,
        template_name TEXT,
        route         TEXT NOT NULL,
        base_url      TEXT,
        channel_id    TEXT NOT NULL,
        channel_name  TEXT NOT NULL,
        rate          REAL NOT NULL,
        state         TEXT NOT NULL,
        runner        TEXT,
        problem       TEXT
    );
    CREATE TABLE job_rows (
        job        INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        row        INTEGER NOT NULL,
        to_number  TEXT,
        name       TEXT NOT NULL DEFAULT '',
        body       TEXT,
        segments   INTEGER NOT NULL DEFAULT 0,
        outcome    TEXT NOT NULL,
        problem    TEXT,
        message    INTEGER,
        PRIMARY KEY (job, row)
    );
    CREATE INDEX job_rows_outcome ON job_rows (job, outcome, row);
    CREATE INDEX job_rows_message ON job_rows (message) WHERE message IS NOT NULL;
    ALTER TABLE messages ADD COLUMN job INTEGER;
    ",
    // 4: sending later (issue 10). A row may wait for its time (`due_at`, outcome
    // `scheduled`); a single message sent later is a job of one row (`kind` 'single'); `lead`
    // is a list's reminder rule in words ("the day before at 10:00").
    "
    ALTER TABLE jobs ADD COLUMN kind TEXT NOT NULL DEFAULT 'list';
    ALTER TABLE jobs ADD COLUMN lead TEXT;
    ALTER TABLE job_rows ADD COLUMN due_at INTEGER;
    CREATE INDEX job_rows_due ON job_rows (outcome, due_at) WHERE due_at IS NOT NULL;
    ",
    // 5: team desks (issue 13). Changes of the do-not-text list not pushed yet to the team's
    // server, in the order made; the newest change known for each number (which decides).
    "
    CREATE TABLE team_outbox (
        seq       INTEGER PRIMARY KEY,
        change_id TEXT NOT NULL UNIQUE,
        number    TEXT NOT NULL,
        action    TEXT NOT NULL,
        reason    TEXT NOT NULL,
        made_at   INTEGER NOT NULL
    );
    CREATE TABLE team_optout_state (
        number  TEXT PRIMARY KEY,
        action  TEXT NOT NULL,
        made_at INTEGER NOT NULL,
        desk    TEXT NOT NULL,
        reason  TEXT NOT NULL
    );
    ",
    // 6: the team's history (issue 13). While this desk is in a team (the `team` config
    // entry), every live message that is new or whose outcome or delivery status changed
    // waits in `team_send_outbox` to be pushed, its `rev` growing with each change so that a
    // push takes out only what it sent; the other desks' sends, pulled, are in `team_sends`.
    "
    CREATE TABLE team_send_outbox (
        message INTEGER PRIMARY KEY,
        rev     INTEGER NOT NULL
    );
    CREATE TRIGGER team_send_new AFTER INSERT ON messages
    WHEN NEW.practice = 0 AND EXISTS (SELECT 1 FROM config WHERE key = 'team')
    BEGIN
        INSERT INTO team_send_outbox (message, rev) VALUES (NEW.id, 1)
        ON CONFLICT (message) DO UPDATE SET rev = rev + 1;
    END;
    CREATE TRIGGER team_send_changed AFTER UPDATE OF outcome, status ON messages
    WHEN NEW.practice = 0 AND EXISTS (SELECT 1 FROM config WHERE key = 'team')
        AND (OLD.outcome IS NOT NEW.outcome OR OLD.status IS NOT NEW.status)
    BEGIN
        INSERT INTO team_send_outbox (message, rev) VALUES (NEW.id, 1)
        ON CONFLICT (message) DO UPDATE SET rev = rev + 1;
    END;
    CREATE TABLE team_sends (
        desk_id       TEXT NOT NULL,
        message       INTEGER NOT NULL,
        desk_name     TEXT NOT NULL,
        number        TEXT NOT NULL,
        template_name TEXT,
        body_hash     TEXT NOT NULL,
        outcome       TEXT NOT NULL,
        status        TEXT,
        sent_at       INTEGER NOT NULL,
        PRIMARY KEY (desk_id, message)
    );
    CREATE INDEX team_sends_number ON team_sends (number, sent_at);
    CREATE INDEX team_sends_at ON team_sends (sent_at);
    ",
    // 7: shared templates and business details (issue 13): what this desk changed and the
    // server's version it started from, and the last shared document pulled.
    crate::team::documents::local::LOCAL_MIGRATION,
];

/// Why the database could not be brought up to date.
#[derive(Debug)]
pub(crate) enum MigrateError {
    /// Written by a newer SMS Desk: this one must not touch it.
    Newer {
        found: i64,
        known: i64,
    },
    Sql(rusqlite::Error),
}

impl From<rusqlite::Error> for MigrateError {
    fn from(e: rusqlite::Error) -> Self {
        MigrateError::Sql(e)
    }
}

/// The version a database this SMS Desk made or migrated has (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Applies the migrations not yet applied. Returns the version reached.
pub(crate) fn migrate(conn: &mut Connection) -> Result<i64, MigrateError> {
    let known = SCHEMA_VERSION;
    loop {
        // IMMEDIATE: two processes opening a new database at once must not both migrate it.
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        if version > known {
            return Err(MigrateError::Newer {
                found: version,
                known,
            });
        }
        let Some(sql) = usize::try_from(version)
            .ok()
            .and_then(|v| MIGRATIONS.get(v))
        else {
            return Ok(version);
        };
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
    }
}

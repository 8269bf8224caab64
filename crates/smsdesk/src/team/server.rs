//! The team's PostgreSQL database: SMS Desk's schema in it, the desks, and the log of
//! do-not-text changes.

use tokio_postgres::Client;

use super::connection::plain;
use super::{Action, Change};
use crate::error::{Error, Result};

/// Migration `n` (1-based) is `MIGRATIONS[n - 1]`. Add, never edit: a shipped migration has
/// already run on the team's server.
const MIGRATIONS: &[&str] = &[
    // 1: desks, and the do-not-text list as a log of changes.
    "
    CREATE TABLE smsdesk_desks (
        id        text PRIMARY KEY,
        name      text NOT NULL,
        joined_at timestamptz NOT NULL DEFAULT now(),
        last_seen timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX smsdesk_desks_name ON smsdesk_desks (lower(name));
    CREATE TABLE smsdesk_optout_changes (
        seq         bigserial PRIMARY KEY,
        change_id   text NOT NULL UNIQUE,
        number      text NOT NULL,
        action      text NOT NULL CHECK (action IN ('add', 'remove')),
        reason      text NOT NULL DEFAULT '',
        desk_id     text NOT NULL REFERENCES smsdesk_desks (id),
        made_at     bigint NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX smsdesk_optout_changes_number ON smsdesk_optout_changes (number);
    ",
    // 2: every desk's live sends (the team's history).
    super::sends::SENDS_MIGRATION,
    // 3: shared templates and business details.
    super::documents::DOCUMENTS_MIGRATION,
];

/// Any number held by every desk: the advisory lock under which the schema is migrated.
const MIGRATION_LOCK: i64 = 0x534d_5344_6573_6b31;

/// Brings SMS Desk's tables up to date (created on the first join). A server migrated by a
/// newer SMS Desk is refused, not touched.
pub async fn migrate(client: &mut Client) -> Result<()> {
    let tx = client.transaction().await.map_err(server)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await
        .map_err(server)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS smsdesk_schema (
             version    integer PRIMARY KEY,
             applied_at timestamptz NOT NULL DEFAULT now()
         )",
    )
    .await
    .map_err(server)?;
    let applied: i32 = tx
        .query_one("SELECT coalesce(max(version), 0) FROM smsdesk_schema", &[])
        .await
        .map_err(server)?
        .get(0);
    let known = i32::try_from(MIGRATIONS.len()).unwrap_or(i32::MAX);
    if applied > known {
        return Err(Error::TeamServer {
            reason: format!(
                "the team's database was set up by a newer SMS Desk (schema {applied}; this one knows {known}): update SMS Desk on this computer"
            ),
        });
    }
    for (version, sql) in (1..)
        .zip(MIGRATIONS)
        .skip(usize::try_from(applied).unwrap_or(0))
    {
        tx.batch_execute(sql).await.map_err(server)?;
        tx.execute(
            "INSERT INTO smsdesk_schema (version) VALUES ($1)",
            &[&version],
        )
        .await
        .map_err(server)?;
    }
    tx.commit().await.map_err(server)
}

/// Registers this desk (or renames it); a name another desk has is refused.
pub async fn register(client: &Client, desk_id: &str, name: &str) -> Result<()> {
    let taken: Option<String> = client
        .query_opt(
            "SELECT id FROM smsdesk_desks WHERE lower(name) = lower($1) AND id <> $2",
            &[&name, &desk_id],
        )
        .await
        .map_err(server)?
        .map(|row| row.get(0));
    if taken.is_some() {
        return Err(Error::TeamDeskNameTaken(name.to_owned()));
    }
    client
        .execute(
            "INSERT INTO smsdesk_desks (id, name) VALUES ($1, $2)
             ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, last_seen = now()",
            &[&desk_id, &name],
        )
        .await
        .map_err(server)?;
    Ok(())
}

/// What is on the server, for "Test connection": its version, and the desks of the team if
/// SMS Desk's schema is there yet. Reads only.
pub async fn describe(client: &Client) -> Result<(String, Vec<String>)> {
    let version: String = client
        .query_one("SHOW server_version", &[])
        .await
        .map_err(server)?
        .get(0);
    // The version's first word: Debian's builds add their own after it.
    let version = version.split_whitespace().next().unwrap_or("").to_owned();
    let has_desks: bool = client
        .query_one("SELECT to_regclass('smsdesk_desks') IS NOT NULL", &[])
        .await
        .map_err(server)?
        .get(0);
    let desks = if has_desks {
        client
            .query("SELECT name FROM smsdesk_desks ORDER BY lower(name)", &[])
            .await
            .map_err(server)?
            .iter()
            .map(|row| crate::text_safety::from_server(row.get::<_, &str>(0)).into_owned())
            .collect()
    } else {
        Vec::new()
    };
    Ok((format!("PostgreSQL {version}"), desks))
}

/// Tells the desks listening on [`super::connection::CHANNEL`] that `desk_id` pushed
/// something.
pub async fn tell_desks(client: &Client, desk_id: &str) -> Result<()> {
    client
        .execute(
            "SELECT pg_notify($1, $2)",
            &[&super::connection::CHANNEL, &desk_id],
        )
        .await
        .map_err(server)?;
    Ok(())
}

/// Stores `changes` (a change already there is left as it is). Under the table's write lock,
/// so that sequence numbers are committed in order and a pull never skips one.
pub async fn push(client: &mut Client, changes: &[Change]) -> Result<()> {
    if changes.is_empty() {
        return Ok(());
    }
    let tx = client.transaction().await.map_err(server)?;
    tx.batch_execute("LOCK TABLE smsdesk_optout_changes IN EXCLUSIVE MODE")
        .await
        .map_err(server)?;
    let insert = tx
        .prepare(
            "INSERT INTO smsdesk_optout_changes (change_id, number, action, reason, desk_id, made_at)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (change_id) DO NOTHING",
        )
        .await
        .map_err(server)?;
    for c in changes {
        tx.execute(
            &insert,
            &[
                &c.change_id,
                &c.number,
                &c.action.as_str(),
                &c.reason,
                &c.desk,
                &c.made_at,
            ],
        )
        .await
        .map_err(server)?;
    }
    tx.commit().await.map_err(server)
}

/// The changes after `after` (a sequence number), oldest first, with the last one's number.
pub async fn pull(client: &Client, after: i64) -> Result<Vec<(i64, Change)>> {
    let rows = client
        .query(
            "SELECT seq, change_id, number, action, reason, desk_id, made_at
             FROM smsdesk_optout_changes WHERE seq > $1 ORDER BY seq",
            &[&after],
        )
        .await
        .map_err(server)?;
    rows.iter()
        .map(|row| {
            let action: String = row.try_get(3).map_err(server)?;
            Ok((
                row.try_get(0).map_err(server)?,
                Change {
                    change_id: row.try_get(1).map_err(server)?,
                    number: row.try_get(2).map_err(server)?,
                    action: Action::parse(&action).ok_or_else(|| Error::TeamServer {
                        reason: format!("a change of the list has the unknown action {action:?}"),
                    })?,
                    reason: row.try_get(4).map_err(server)?,
                    desk: row.try_get(5).map_err(server)?,
                    made_at: row.try_get(6).map_err(server)?,
                },
            ))
        })
        .collect()
}

pub(super) fn server(e: tokio_postgres::Error) -> Error {
    if e.as_db_error().is_none() && (e.is_closed() || e.to_string().contains("connection")) {
        Error::TeamUnreachable { reason: plain(&e) }
    } else {
        Error::TeamServer { reason: plain(&e) }
    }
}

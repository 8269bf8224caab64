//! `smsdesk team`: join, leave, sync, status (issue 13).

use serde::Serialize;
use smsdesk::desk::team::CONNECT_TIMEOUT;

use crate::args::{TeamArgs, TeamCommand};
use crate::data::{self, Purpose};
use crate::error::{exit, json_error, Result};
use crate::output;

/// The `--json` object of `team status`; add fields, never remove or rename one.
#[derive(Serialize)]
struct JsonStatus<'a> {
    joined: bool,
    desk: Option<&'a str>,
    server: Option<&'a str>,
    /// RFC 3339, or null when never synced.
    last_sync: Option<String>,
    pending: u64,
}

pub async fn run(args: &TeamArgs) -> Result<u8> {
    let desk = data::open(Purpose::Use, true).await?;
    match &args.command {
        TeamCommand::Join(join) => {
            let synced = desk.team_join(&join.connection, &join.desk).await?;
            output::line(format_args!(
                "Joined the team as \"{}\": {} changes of the do-not-text list sent, {} received.",
                join.desk.trim(),
                synced.pushed,
                synced.pulled
            ));
        }
        TeamCommand::Leave => {
            if desk.team_leave().await? {
                output::line("Left the team. This desk keeps its do-not-text list as it is.");
            } else {
                output::line("This desk was not in a team, so nothing changed.");
            }
        }
        TeamCommand::Sync => {
            let synced = desk.team_sync(CONNECT_TIMEOUT).await?;
            output::line(format_args!(
                "Synced: {} changes sent, {} received ({} changed this desk's list).",
                synced.pushed, synced.pulled, synced.changed
            ));
        }
        TeamCommand::Status(status) => {
            let s = desk.team_status().await?;
            if status.json {
                let line = JsonStatus {
                    joined: s.joined,
                    desk: s.desk.as_deref(),
                    server: s.server.as_deref(),
                    last_sync: s.last_sync.map(output::rfc3339),
                    pending: s.pending,
                };
                output::line(output::json_line(&line).map_err(json_error)?);
            } else if s.joined {
                output::line(format_args!(
                    "Desk \"{}\" of the team on {}; last synced {}; {} changes waiting to be sent.",
                    s.desk.as_deref().unwrap_or_default(),
                    s.server.as_deref().unwrap_or_default(),
                    s.last_sync
                        .map_or_else(|| "never".to_owned(), output::rfc3339),
                    s.pending
                ));
            } else {
                output::line("This desk is not in a team.");
            }
        }
    }
    Ok(exit::OK)
}

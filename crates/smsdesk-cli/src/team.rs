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
    /// Older than the limit (or never synced): live lists wait for `team accept-stale`.
    stale: bool,
}

/// One `--json` line of `team history`; add fields, never remove or rename one.
#[derive(Serialize)]
struct JsonSend<'a> {
    desk: &'a str,
    /// E.164.
    to: &'a str,
    template: Option<&'a str>,
    outcome: &'a str,
    status: Option<&'a str>,
    /// RFC 3339.
    sent_at: String,
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
        TeamCommand::Leave => match desk.team_leave().await? {
            Some(dropped) => {
                if dropped > 0 {
                    let changes = if dropped == 1 {
                        "1 change".to_owned()
                    } else {
                        format!("{dropped} changes")
                    };
                    output::err(format_args!(
                            "warning: {changes} made at this desk had not reached the team (its server did not answer); the other desks will not get them."
                        ));
                }
                output::line("Left the team. This desk keeps its do-not-text list as it is.");
            }
            None => output::line("This desk was not in a team, so nothing changed."),
        },
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
                    stale: s.stale,
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
                if s.stale {
                    output::line(format_args!(
                        "The team list here is older than {} minutes: lists wait until it is synced or accepted (smsdesk team accept-stale).",
                        s.stale_after_minutes
                    ));
                }
            } else {
                output::line("This desk is not in a team.");
            }
        }
        TeamCommand::AcceptStale => {
            desk.confirm_stale_team_list().await?;
            output::line(
                "Lists may go on this desk's copy of the team's do-not-text list for the next hour (or the limit set).",
            );
        }
        TeamCommand::History(history) => {
            let sends = desk
                .team_history(
                    history.number.as_deref(),
                    history.region.as_deref(),
                    history.limit,
                )
                .await?;
            for s in &sends {
                if history.json {
                    let line = JsonSend {
                        desk: &s.desk_name,
                        to: &s.number,
                        template: s.template_name.as_deref(),
                        outcome: &s.outcome,
                        status: s.status.as_deref(),
                        sent_at: output::rfc3339(s.sent_at),
                    };
                    output::line(output::json_line(&line).map_err(json_error)?);
                } else {
                    output::line(format_args!(
                        "{}  {}  {}  {}  {}{}",
                        output::rfc3339(s.sent_at),
                        s.desk_name,
                        s.number,
                        s.template_name.as_deref().unwrap_or("(free text)"),
                        s.outcome,
                        s.status
                            .as_deref()
                            .map(|st| format!(" ({st})"))
                            .unwrap_or_default()
                    ));
                }
            }
            if sends.is_empty() && !history.json {
                output::line("No sends of the other desks are known here.");
            }
        }
    }
    Ok(exit::OK)
}

//! `smsdesk send`: one message through the desk's send path, the same as the app's: checked,
//! refused for a number on the do-not-text list, recorded in the same history (a `sending` row
//! before the request). With `--at`, nothing is sent now: the message is scheduled
//! ([`crate::schedule::send_later`]).

use serde::Serialize;
use smsdesk::desk::{Mode, Sent};
use smsdesk::draft::Draft;
use smsdesk::phone::Country;
use smsdesk::states::Outcome;

use crate::args::SendArgs;
use crate::data::{self, Purpose};
use crate::error::{exit, Result};
use crate::{output, route};

/// The `--json` output; the field set is part of the interface.
#[derive(Serialize)]
struct JsonReport<'a> {
    outcome: &'a str,
    http_status: Option<u16>,
    request_id: Option<&'a str>,
    message_id: Option<&'a str>,
    phone_number: Option<&'a str>,
    error_code: Option<i64>,
    error: Option<&'a str>,
    /// The message's row in the history (`smsdesk history`).
    history_id: i64,
}

pub async fn run(args: &SendArgs) -> Result<u8> {
    let region = args.region.as_deref().map(Country::parse).transpose()?;
    let draft = Draft {
        to: args.to.clone(),
        body: args.body.clone(),
        name: args.name.clone().unwrap_or_default(),
        open_conversation: args.open_conversation,
        teammate_id: args.teammate.clone().unwrap_or_default(),
    };
    // A message that cannot be recorded is not sent. A paused live send says why itself.
    let desk = data::open(Purpose::Send, true).await?;
    if let Some(at) = &args.at {
        return crate::schedule::send_later(&desk, args, draft, region, at).await;
    }
    let via = route::via(&desk, &args.server, args.practice).await?;
    // Confirmed: the command line does not hold back a repeat of a message whose outcome was
    // unknown; it exits 4 for unknown and the script decides.
    let sent = desk
        .send_with_region(via, draft, None, true, region)
        .await?;
    print(&sent, args.server.json);
    Ok(exit_code(sent.report.outcome))
}

/// The exit code for what became of a send that was made.
fn exit_code(outcome: Outcome) -> u8 {
    match outcome {
        Outcome::Accepted => exit::OK,
        Outcome::Rejected | Outcome::Unauthorized => exit::REJECTED,
        Outcome::Unknown | Outcome::Sending => exit::UNKNOWN,
        Outcome::NotSent => exit::NOT_SENT,
        Outcome::Blocked => exit::BLOCKED,
    }
}

/// Says what happened; never fails (the exit code says it too).
fn print(sent: &Sent, json: bool) {
    let report = &sent.report;
    if json {
        let line = JsonReport {
            outcome: report.outcome.as_str(),
            http_status: report.http_status,
            request_id: report.request_id.as_deref(),
            message_id: report.message_id.as_deref(),
            phone_number: report.phone_number.as_deref(),
            error_code: report.error_code,
            error: report.error.as_deref(),
            history_id: sent.history_id,
        };
        match serde_json::to_string(&line) {
            Ok(text) => output::line(text),
            Err(e) => output::err(format_args!("warning: could not write the output ({e})")),
        }
        return;
    }
    let practice = sent.mode == Mode::Practice;
    if report.is_accepted() {
        let to = report.phone_number.as_deref().unwrap_or("the recipient");
        if practice {
            output::line(format_args!("Sent to {to} (Practice: nobody was texted)."));
        } else {
            output::line(format_args!("Sent to {to}."));
        }
        if let Some(id) = &report.request_id {
            output::line(format_args!("Request id: {id}"));
        }
        match &report.message_id {
            // The practice server lives only as long as this command.
            Some(id) if practice => output::line(format_args!("Message id: {id}")),
            Some(id) => output::line(format_args!(
                "Message id: {id} (delivery: smsdesk status {id})"
            )),
            None => {
                output::line("No message id: delivery tracking is not available on this workspace.")
            }
        }
    } else if let Some(problem) = &report.problem {
        output::err(format_args!("{}\n{}", problem.message, problem.hint));
        if let Some(id) = &report.request_id {
            output::err(format_args!("Request id: {id}"));
        }
    }
}

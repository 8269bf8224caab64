//! `smsdesk send`: one message through the same checks and send path as the app, recorded in
//! the same history (a `sending` row before the request) and refused for a number on the
//! do-not-text list.

use serde::Serialize;
use smsdesk::draft::Draft;
use smsdesk::history::tracking::PollPolicy;
use smsdesk::history::NewMessage;
use smsdesk::outbox::{self, RetryPolicy, SendReport, Tracking};
use smsdesk::phone::Country;

use crate::args::SendArgs;
use crate::channel::{self, Target};
use crate::error::{exit, json_error, Result};
use crate::store::{self, Purpose};

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
    let country = args.region.as_deref().map(Country::parse).transpose()?;
    let draft = Draft {
        to: args.to.clone(),
        body: args.body.clone(),
        name: args.name.clone().unwrap_or_default(),
        open_conversation: args.open_conversation,
        teammate_id: args.teammate.clone().unwrap_or_default(),
    };
    let prepared = draft.prepare(country)?;
    let target = channel::target(&args.server)?;
    // A message that cannot be recorded is not sent.
    let history = store::open(Purpose::Send)?;
    let message = new_message(&prepared.request, &target);
    let tracking = Tracking {
        available: !target.hubspot,
        first_poll: PollPolicy::default().first,
    };
    let (report, history_id) = outbox::send_recorded(
        &history,
        &target.client,
        &prepared,
        message,
        &RetryPolicy::default(),
        tracking,
    )
    .await?;
    print(&report, history_id, args.server.json)?;
    Ok(match report.outcome {
        "accepted" => exit::OK,
        "rejected" | "unauthorized" => exit::REJECTED,
        "unknown" => exit::UNKNOWN,
        _ => exit::NOT_SENT,
    })
}

/// What the history keeps about the message, as the app records it.
fn new_message(request: &octopods::SendRequest, target: &Target) -> NewMessage {
    let teammate_id = request.intercom_teammate_id.clone();
    let teammate_name = teammate_id.as_deref().and_then(|id| {
        target
            .settings
            .as_ref()?
            .teammates
            .iter()
            .find(|t| t.id == id)
            .map(|t| t.name.clone())
    });
    NewMessage {
        to: request.destination_phone.clone(),
        name: request.destination_user_name.clone().unwrap_or_default(),
        body: request.body.clone(),
        channel_id: target.channel_id.clone(),
        channel_name: target.channel_name.clone(),
        practice: false,
        workspace: if target.hubspot {
            "hubspot"
        } else {
            "intercom"
        }
        .to_owned(),
        teammate_id,
        teammate_name,
        template_id: None,
        template_name: None,
        open_conversation: request.open_intercom_conversation,
    }
}

fn print(report: &SendReport, history_id: i64, json: bool) -> Result<()> {
    if json {
        let line = JsonReport {
            outcome: report.outcome,
            http_status: report.http_status,
            request_id: report.request_id.as_deref(),
            message_id: report.message_id.as_deref(),
            phone_number: report.phone_number.as_deref(),
            error_code: report.error_code,
            error: report.error.as_deref(),
            history_id,
        };
        let text = serde_json::to_string(&line).map_err(json_error)?;
        println!("{text}");
        return Ok(());
    }
    if report.is_accepted() {
        let to = report.phone_number.as_deref().unwrap_or("the recipient");
        println!("Sent to {to}.");
        if let Some(id) = &report.request_id {
            println!("Request id: {id}");
        }
        match &report.message_id {
            Some(id) => println!("Message id: {id} (delivery: smsdesk status {id})"),
            None => {
                println!("No message id: delivery tracking is not available on this workspace.")
            }
        }
    } else if let Some(problem) = &report.problem {
        eprintln!("{}\n{}", problem.message, problem.hint);
        if let Some(id) = &report.request_id {
            eprintln!("Request id: {id}");
        }
    }
    Ok(())
}

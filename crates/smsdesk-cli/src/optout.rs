//! `smsdesk optout`: the do-not-text list the app and the command line share. A number on it
//! is refused by every send, before anything goes out.

use std::io::Write;

use serde::Serialize;
use smsdesk::history::local_time;
use smsdesk::optout::{normalize, OptOut};
use smsdesk::phone::Country;

use crate::args::{OptoutAddArgs, OptoutArgs, OptoutCommand, OptoutListArgs, OptoutRemoveArgs};
use crate::error::{exit, json_error, CliError, Result};
use crate::store::{self, Purpose};

/// One `--json` line of `optout list`; add fields, never remove or rename one.
#[derive(Serialize)]
struct JsonOptOut<'a> {
    /// E.164.
    number: &'a str,
    reason: &'a str,
    /// RFC 3339 with this computer's offset.
    added_at: String,
    /// The history row it was added from, if any.
    history_id: Option<i64>,
}

pub fn run(args: &OptoutArgs) -> Result<u8> {
    match &args.command {
        OptoutCommand::Add(args) => add(args),
        OptoutCommand::Remove(args) => remove(args),
        OptoutCommand::List(args) => list(args),
    }
}

/// The number in international form, or what to do about it. Checked before the history is
/// opened, so a typo changes nothing.
fn number(typed: &str, country: Option<Country>) -> Result<String> {
    normalize(typed, country).map_err(|e| {
        let hint = if country.is_none() && !typed.trim_start().starts_with('+') {
            "Type it with its country code (such as +1 201 555 0123), or add --region with the country (such as --region US). The list was not changed."
        } else {
            "Check the number and its country. The list was not changed."
        };
        CliError::Invalid {
            message: format!("\"{typed}\" is not a phone number SMS Desk can use. {e}"),
            hint: hint.to_owned(),
        }
    })
}

/// `YYYY-MM-DD`, local.
fn date(ms: i64) -> String {
    let time = local_time(ms);
    time.get(..10).unwrap_or(&time).to_owned()
}

fn add(args: &OptoutAddArgs) -> Result<u8> {
    let country = store::country(args.region.as_deref())?;
    let e164 = number(&args.number, country)?;
    let reason = args.reason.as_deref().unwrap_or_default();
    let history = store::open(Purpose::Use)?;
    let before = history.opt_out_for(&e164)?;
    let entry = history.add_opt_out(&e164, reason, None, None)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = if before.is_some() {
        writeln!(
            out,
            "{} was already on the do-not-text list, since {}{}; nothing changed.",
            entry.number,
            date(entry.added_at),
            reason_suffix(&entry)
        )
    } else {
        writeln!(
            out,
            "Added {} to the do-not-text list on {}{}. Messages to it will not be sent.",
            entry.number,
            date(entry.added_at),
            reason_suffix(&entry)
        )
    };
    written.map_err(CliError::Stdout)?;
    Ok(exit::OK)
}

fn reason_suffix(entry: &OptOut) -> String {
    match entry.reason.trim() {
        "" => String::new(),
        reason => format!(" ({reason})"),
    }
}

fn remove(args: &OptoutRemoveArgs) -> Result<u8> {
    let country = store::country(args.region.as_deref())?;
    let e164 = number(&args.number, country)?;
    let history = store::open(Purpose::Use)?;
    if history.remove_opt_out(&e164, None)? {
        println!("Took {e164} off the do-not-text list: messages to it can be sent again.");
        Ok(exit::OK)
    } else {
        eprintln!(
            "{e164} was not on the do-not-text list, so nothing changed.\nCheck the number (smsdesk optout list shows the list)."
        );
        Ok(exit::NOT_ON_LIST)
    }
}

fn list(args: &OptoutListArgs) -> Result<u8> {
    let search = args.search.as_deref().unwrap_or_default();
    let history = store::open(Purpose::Use)?;
    let entries = history.opt_outs(search)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        for entry in &entries {
            let line = JsonOptOut {
                number: &entry.number,
                reason: &entry.reason,
                added_at: store::rfc3339(entry.added_at),
                history_id: entry.message,
            };
            serde_json::to_writer(&mut out, &line).map_err(json_error)?;
            writeln!(out).map_err(CliError::Stdout)?;
        }
    } else {
        write_text(&mut out, &entries, search).map_err(CliError::Stdout)?;
    }
    out.flush().map_err(CliError::Stdout)?;
    Ok(exit::OK)
}

fn write_text(out: &mut impl Write, entries: &[OptOut], search: &str) -> std::io::Result<()> {
    if entries.is_empty() {
        return if search.trim().is_empty() {
            writeln!(out, "The do-not-text list is empty.")
        } else {
            writeln!(
                out,
                "No number on the do-not-text list matches \"{search}\"."
            )
        };
    }
    for entry in entries {
        let reason = match entry.reason.trim() {
            "" => "(no reason given)",
            reason => reason,
        };
        writeln!(
            out,
            "{:<16}  added {}  {reason}",
            entry.number,
            date(entry.added_at)
        )?;
    }
    Ok(())
}

//! `smsdesk optout`: the do-not-text list the app and the command line share. A number on it
//! is refused by every send, before anything goes out.

use std::io::Write;

use serde::Serialize;
use smsdesk::desk::notices::OPT_OUTS_INCOMPLETE;
use smsdesk::desk::Desk;
use smsdesk::do_not_text::{OptOut, OptOutImport};
use smsdesk::time::local_date;

use crate::args::{
    OptoutAddArgs, OptoutArgs, OptoutCommand, OptoutImportArgs, OptoutListArgs, OptoutRemoveArgs,
};
use crate::data::{self, Purpose};
use crate::error::{exit, json_error, CliError, Result};
use crate::output;

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

/// The `--json` object of `optout import`; add fields, never remove or rename one.
#[derive(Serialize)]
struct JsonImport<'a> {
    /// The data rows in the file: always added + already + not_numbers.
    in_file: u64,
    added: u64,
    already: u64,
    /// How many lines were not phone numbers.
    not_numbers: u64,
    /// The first of them (up to 50), with their line number in the file.
    invalid: Vec<JsonProblem<'a>>,
}

#[derive(Serialize)]
struct JsonProblem<'a> {
    line: u64,
    text: &'a str,
    reason: &'a str,
}

pub async fn run(args: &OptoutArgs) -> Result<u8> {
    match &args.command {
        OptoutCommand::Add(args) => add(args).await,
        OptoutCommand::Remove(args) => remove(args).await,
        OptoutCommand::List(args) => list(args).await,
        OptoutCommand::Import(args) => import(args).await,
        OptoutCommand::ConfirmComplete => confirm_complete().await,
    }
}

/// The number in international form, or what to do about it. Checked before the list is
/// changed, so a typo changes nothing.
async fn number(desk: &Desk, typed: &str, region: Option<&str>) -> Result<String> {
    let check = desk.check_number(typed, region).await?;
    if let (true, Some(e164)) = (check.valid, check.e164) {
        return Ok(e164);
    }
    let reason = check
        .error
        .unwrap_or_else(|| "This number is not valid.".to_owned());
    let no_country = region.is_none() && desk.settings().await?.country().is_none();
    let hint = if no_country && !typed.trim_start().starts_with('+') {
        "Type it with its country code (such as +1 201 555 0123), or add --region with the country (such as --region US). The list was not changed."
    } else {
        "Check the number and its country. The list was not changed."
    };
    Err(CliError::Invalid {
        message: format!("\"{typed}\" is not a phone number SMS Desk can use. {reason}"),
        hint: hint.to_owned(),
    })
}

async fn add(args: &OptoutAddArgs) -> Result<u8> {
    let desk = data::open(Purpose::Use, false).await?;
    let region = args.region.as_deref();
    let e164 = number(&desk, &args.number, region).await?;
    let reason = args.reason.as_deref().unwrap_or_default();
    let added = desk.add_opt_out(&e164, reason, region, None).await?;
    let entry = &added.entry;
    if added.already {
        output::line(format_args!(
            "{} was already on the do-not-text list, since {}{}; nothing changed.",
            entry.number,
            local_date(entry.added_at),
            reason_suffix(entry)
        ));
    } else {
        output::line(format_args!(
            "Added {} to the do-not-text list on {}{}. Messages to it will not be sent.",
            entry.number,
            local_date(entry.added_at),
            reason_suffix(entry)
        ));
    }
    Ok(exit::OK)
}

fn reason_suffix(entry: &OptOut) -> String {
    match entry.reason.trim() {
        "" => String::new(),
        reason => format!(" ({reason})"),
    }
}

async fn remove(args: &OptoutRemoveArgs) -> Result<u8> {
    let desk = data::open(Purpose::Use, false).await?;
    let region = args.region.as_deref();
    let e164 = number(&desk, &args.number, region).await?;
    if desk.remove_opt_out(&e164, region).await? {
        output::line(format_args!(
            "Took {e164} off the do-not-text list: messages to it can be sent again."
        ));
        Ok(exit::OK)
    } else {
        output::err(format_args!(
            "{e164} was not on the do-not-text list, so nothing changed.\nCheck the number (smsdesk optout list shows the list)."
        ));
        Ok(exit::NOT_ON_LIST)
    }
}

async fn list(args: &OptoutListArgs) -> Result<u8> {
    let search = args.search.as_deref().unwrap_or_default();
    let desk = data::open(Purpose::Use, false).await?;
    let entries = desk.opt_outs(search).await?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        for entry in &entries {
            let line = JsonOptOut {
                number: &entry.number,
                reason: &entry.reason,
                added_at: output::rfc3339(entry.added_at),
                history_id: entry.message,
            };
            let line = output::json_line(&line).map_err(json_error)?;
            writeln!(out, "{line}").map_err(CliError::Stdout)?;
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
                "No number on the do-not-text list matches \"{}\".",
                output::safe(search)
            )
        };
    }
    for entry in entries {
        let reason = match entry.reason.trim() {
            "" => "(no reason given)".into(),
            reason => output::safe(reason),
        };
        writeln!(
            out,
            "{:<16}  added {}  {reason}",
            entry.number,
            local_date(entry.added_at)
        )?;
    }
    Ok(())
}

/// Whether the list is marked as possibly incomplete (after a damaged history).
async fn marked_incomplete(desk: &Desk) -> bool {
    desk.notices()
        .await
        .iter()
        .any(|n| n.code == OPT_OUTS_INCOMPLETE)
}

async fn import(args: &OptoutImportArgs) -> Result<u8> {
    let desk = data::open(Purpose::Use, true).await?;
    let was_incomplete = marked_incomplete(&desk).await;
    let report = desk
        .import_opt_outs(&args.file, args.region.as_deref())
        .await?;
    if args.json {
        print_import_json(&report);
        return Ok(exit::OK);
    }
    output::line(import_summary(
        report.in_file,
        report.added,
        report.already,
        report.not_numbers,
    ));
    for problem in &report.invalid {
        if problem.line == 0 {
            output::err(&problem.reason);
        } else {
            output::err(format_args!(
                "line {}: \"{}\": {}",
                problem.line, problem.text, problem.reason
            ));
        }
    }
    if was_incomplete {
        output::line(
            "The do-not-text list was imported again, so messages to real numbers are sent again.",
        );
    }
    Ok(exit::OK)
}

/// "N numbers in the file, N added, N already on the list, N not numbers": the counts add up.
fn import_summary(in_file: u64, added: u64, already: u64, not_numbers: u64) -> String {
    format!(
        "{in_file} {} in the file, {added} added, {already} already on the list, {not_numbers} {}",
        if in_file == 1 { "number" } else { "numbers" },
        if not_numbers == 1 {
            "not a number"
        } else {
            "not numbers"
        },
    )
}

fn print_import_json(report: &OptOutImport) {
    let line = JsonImport {
        in_file: report.in_file,
        added: report.added,
        already: report.already,
        not_numbers: report.not_numbers,
        invalid: report
            .invalid
            .iter()
            .filter(|p| p.line > 0)
            .map(|p| JsonProblem {
                line: p.line,
                text: &p.text,
                reason: &p.reason,
            })
            .collect(),
    };
    match serde_json::to_string(&line) {
        Ok(text) => output::line(text),
        Err(e) => output::err(format_args!("warning: could not write the output ({e})")),
    }
}

async fn confirm_complete() -> Result<u8> {
    let desk = data::open(Purpose::Use, true).await?;
    if desk.confirm_opt_outs_complete().await? {
        output::line(
            "Confirmed that the do-not-text list is complete: messages to real numbers are sent again.",
        );
    } else {
        output::line(
            "The do-not-text list was not marked as possibly incomplete, so nothing changed.",
        );
    }
    Ok(exit::OK)
}

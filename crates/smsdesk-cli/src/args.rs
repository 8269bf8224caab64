//! The command line's shape. Later issues and outside scripts rely on it: add, never change.

use clap::{Args, Parser, Subcommand};
use smsdesk::history::STATUS_FILTERS;

#[derive(Debug, Parser)]
#[command(
    name = "smsdesk",
    version,
    about = "Send SMS through Octopods from the command line (SMS Desk).",
    after_help = "Exit codes: 0 success, 1 an invalid number (validate) or a number that was not on the do-not-text list (optout remove), 2 invalid input or usage (nothing sent), 3 rejected or unauthorized, 4 outcome unknown (may have been sent: do not resend without checking; send does not refuse a repeat of such a message by itself, the script decides), 5 not sent, 6 blocked: on the do-not-text list, nothing sent."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check phone numbers; with no NUMBER, read one per line from standard input.
    Validate(ValidateArgs),
    /// Send one SMS. The API key comes from OCTOPODS_API_KEY, else the system keychain (the app's
    /// channel); --practice sends to the built-in practice server instead.
    Send(SendArgs),
    /// Read a sent message's delivery status.
    Status(StatusArgs),
    /// Show what a message costs: its encoding (GSM-7 or UCS-2) and SMS segments.
    Segments(SegmentsArgs),
    /// List sent messages (the app's and the command line's), newest first.
    History(HistoryArgs),
    /// The do-not-text list: numbers that asked not to be texted. Sends to them are refused.
    Optout(OptoutArgs),
    /// Track the delivery of sent messages in the background, as the app does, until Ctrl+C.
    Worker(WorkerArgs),
    /// Reminders from a spreadsheet: one message per row, checked, stored, paced, sent once.
    Bulk(BulkArgs),
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Country for numbers without a country code (two letters, e.g. US, GB, IE).
    #[arg(long, value_name = "CC")]
    pub region: Option<String>,
    /// One JSON object per line: {"input","valid","e164","type","region","error"}.
    #[arg(long)]
    pub json: bool,
    /// Numbers to check; none means standard input, one per line.
    #[arg(value_name = "NUMBER")]
    pub numbers: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ServerArgs {
    /// Octopods' address; else OCTOPODS_BASE_URL, else the app's channel's address, else
    /// https://app.octopods.io.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SendArgs {
    /// The recipient's number, in any usual format.
    #[arg(long, value_name = "NUMBER")]
    pub to: String,
    /// The message text.
    #[arg(long, value_name = "TEXT")]
    pub body: String,
    /// The recipient's name, used when a conversation is opened for a new contact.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Also open a conversation in Intercom (or HubSpot).
    #[arg(long)]
    pub open_conversation: bool,
    /// The Intercom teammate id to send as; the workspace default when absent.
    #[arg(long, value_name = "ID")]
    pub teammate: Option<String>,
    /// Country for a number without a country code; else the app's default country.
    #[arg(long, value_name = "CC")]
    pub region: Option<String>,
    /// Send to the built-in practice server: nobody is texted (history channel "Practice").
    #[arg(long, conflicts_with = "base_url")]
    pub practice: bool,
    #[command(flatten)]
    pub server: ServerArgs,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The message id that `smsdesk send` printed.
    #[arg(value_name = "MESSAGE_ID")]
    pub message_id: String,
    #[command(flatten)]
    pub server: ServerArgs,
}

#[derive(Debug, Args)]
#[command(
    after_help = "With no TEXT, all of standard input is the message, exactly as read: a trailing newline is a character and is counted (printf '%s' \"$text\" | smsdesk segments, not echo). A TEXT starting with '-' goes after --."
)]
pub struct SegmentsArgs {
    /// One line: {"encoding","segments","characters","non_gsm"}.
    #[arg(long)]
    pub json: bool,
    /// Many messages in one call: each line of standard input is a JSON string; one
    /// {"encoding","segments","characters","non_gsm"} line each, in order.
    #[arg(long, conflicts_with_all = ["json", "text"])]
    pub jsonl: bool,
    /// The message; none means all of standard input.
    #[arg(value_name = "TEXT")]
    pub text: Option<String>,
}

/// How many messages `smsdesk history` shows when `--limit` is not given.
pub const DEFAULT_HISTORY_LIMIT: u64 = 20;

#[derive(Debug, Args)]
#[command(
    after_help = "Text: one line per message (local time, number, what happened, the start of the message). --json: one object per line with id, created_at (RFC 3339), to, name, body, channel_id, channel, template, outcome, state, summary, status, status_detail, http_status, request_id, message_id, error_code, error, problem, hint."
)]
pub struct HistoryArgs {
    /// One JSON object per line, newest first; nothing at all when no message matches.
    #[arg(long)]
    pub json: bool,
    /// Show at most N messages, newest first [default: 20].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: Option<u64>,
    /// Only messages in this state.
    #[arg(long, value_name = "STATUS", help = status_help())]
    pub status: Option<String>,
    /// Only messages whose number (any format), name or text contains TEXT.
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
}

fn status_help() -> String {
    format!("Only messages in this state: {}", STATUS_FILTERS.join(", "))
}

#[derive(Debug, Args)]
pub struct OptoutArgs {
    #[command(subcommand)]
    pub command: OptoutCommand,
}

#[derive(Debug, Subcommand)]
pub enum OptoutCommand {
    /// Put a number on the do-not-text list; it is stored in international form (+1...).
    Add(OptoutAddArgs),
    /// Take a number off the list, so it can be texted again. Exit code 1 if it was not on it.
    Remove(OptoutRemoveArgs),
    /// Show the list, newest first.
    List(OptoutListArgs),
    /// Add the numbers in a CSV file (a column headed phone or number, else the first column;
    /// a reason column, else the second). Exit code 2 if the file cannot be read.
    Import(OptoutImportArgs),
    /// After a damaged history: confirm the do-not-text list is complete, so that messages to
    /// real numbers are sent again.
    ConfirmComplete,
}

#[derive(Debug, Args)]
pub struct OptoutAddArgs {
    /// The number, in any usual format.
    #[arg(value_name = "NUMBER")]
    pub number: String,
    /// Why, such as "Replied STOP" or "Asked at the desk".
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Country for a number without a country code; else the app's default country.
    #[arg(long, value_name = "CC")]
    pub region: Option<String>,
}

#[derive(Debug, Args)]
pub struct OptoutRemoveArgs {
    /// The number, in any usual format.
    #[arg(value_name = "NUMBER")]
    pub number: String,
    /// Country for a number without a country code; else the app's default country.
    #[arg(long, value_name = "CC")]
    pub region: Option<String>,
}

#[derive(Debug, Args)]
pub struct OptoutListArgs {
    /// One JSON object per line: {"number","reason","added_at","history_id"}.
    #[arg(long)]
    pub json: bool,
    /// Only numbers containing these digits, or reasons containing TEXT.
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
}

#[derive(Debug, Args)]
pub struct OptoutImportArgs {
    /// The CSV file, such as one exported from SMS Desk or a spreadsheet.
    #[arg(value_name = "FILE")]
    pub file: std::path::PathBuf,
    /// Country for numbers without a country code; else the app's default country.
    #[arg(long, value_name = "CC")]
    pub region: Option<String>,
    /// One JSON object: {"added","already","not_numbers","invalid":[{"line","text","reason"}]}.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Runs until Ctrl+C or SIGTERM, then exits 0. One SMS Desk per data folder does this work: while the app (or another smsdesk worker) does it, this one waits and takes over when it stops."
)]
pub struct WorkerArgs {}

#[derive(Debug, Args)]
pub struct BulkArgs {
    #[command(subcommand)]
    pub command: BulkCommand,
}

#[derive(Debug, Subcommand)]
pub enum BulkCommand {
    /// Send one message per row of a CSV or spreadsheet file (.xlsx, .xls, .ods: the first sheet).
    Send(BulkSendArgs),
    /// Send the rows of a job that were not tried yet (after a crash or a stop).
    Resume(BulkResumeArgs),
    /// Every row of a job with its outcome.
    Report(BulkReportArgs),
    /// The jobs, newest first.
    List(BulkListArgs),
}

#[derive(Debug, Args)]
#[command(
    after_help = "Rows are checked in this order, and left out with their reason: invalid (no valid mobile number, a landline, or a template field's cell blank), duplicate (the same number on an earlier row, which is sent), blocked (on the do-not-text list). The job and every row are stored before the first request; each message is in the history. --json prints one line: {\"job_id\",\"total\",\"accepted\",\"rejected\",\"unauthorized\",\"not_sent\",\"unknown\",\"blocked\",\"invalid\",\"duplicate\"} (with --dry-run also \"would_send\"); progress goes to stderr. Exit 0 when the job ran (whatever each row's outcome), 2 for a usage or input error, with nothing sent."
)]
pub struct BulkSendArgs {
    /// The CSV (UTF-8, UTF-16 with BOM, else Windows-1252; comma, semicolon or tab) or
    /// spreadsheet file.
    #[arg(value_name = "FILE")]
    pub file: std::path::PathBuf,
    /// The message, with {{COLUMN}} fields filled from each row.
    #[arg(
        long,
        value_name = "TEXT",
        required_unless_present = "template_file",
        conflicts_with = "template_file"
    )]
    pub template: Option<String>,
    /// A UTF-8 file holding the message.
    #[arg(long, value_name = "F")]
    pub template_file: Option<std::path::PathBuf>,
    /// The column with the phone numbers (its name in the first row; capitals do not matter).
    #[arg(long, value_name = "COL")]
    pub phone_column: String,
    /// The column with the recipient's name (sent as the contact's name).
    #[arg(long, value_name = "COL")]
    pub name_column: Option<String>,
    /// Fill {{PLACEHOLDER}} from COLUMN (else from the column named PLACEHOLDER).
    #[arg(long = "map", value_name = "PLACEHOLDER=COLUMN")]
    pub map: Vec<String>,
    /// Segments per second (default 1, what a long code number carries).
    #[arg(long, value_name = "R", default_value_t = 1.0)]
    pub rate: f64,
    /// Country for numbers without a country code; else the app's default country.
    #[arg(long, value_name = "CC")]
    pub region: Option<String>,
    /// Check and count everything, send nothing, store nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Send to the built-in practice server (nobody is texted).
    #[arg(long, conflicts_with = "base_url")]
    pub practice: bool,
    #[command(flatten)]
    pub server: ServerArgs,
}

#[derive(Debug, Args)]
pub struct BulkResumeArgs {
    #[arg(value_name = "JOB_ID")]
    pub job: i64,
    /// One line of counts over the whole job, as `bulk send --json`.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BulkReportArgs {
    #[arg(value_name = "JOB_ID")]
    pub job: i64,
    /// One object per data row: {"row","to","name","outcome","problem","message_id","status","history_id"}.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BulkListArgs {
    /// One object per job: {"job_id","created_at","file","state","channel","rate",...counts}.
    #[arg(long)]
    pub json: bool,
}

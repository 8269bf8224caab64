//! The command line's shape. Later issues and outside scripts rely on it: add, never change.

use clap::{Args, Parser, Subcommand};
use smsdesk::history::STATUS_FILTERS;

#[derive(Debug, Parser)]
#[command(
    name = "smsdesk",
    version,
    about = "Send SMS through Octopods from the command line (SMS Desk).",
    after_help = "Exit codes: 0 success, 1 an invalid number (validate) or a number that was not on the do-not-text list (optout remove), 2 invalid input or usage (nothing sent; with --at or --before nothing stored, such as a time that has passed or cannot be read; schedule cancel or send-now of a number with nothing waiting), 3 rejected or unauthorized, 4 outcome unknown (may have been sent: do not resend without checking; send does not refuse a repeat of such a message by itself, the script decides), 5 not sent, 6 blocked: on the do-not-text list, nothing sent."
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
    /// Do the app's background work without the app, until Ctrl+C: track the delivery of sent
    /// messages, send the lists started from the app, and send scheduled messages and
    /// reminders when their time comes.
    Worker(WorkerArgs),
    /// Reminders from a spreadsheet: one message per row, checked, stored, paced, sent once.
    Bulk(BulkArgs),
    /// What is waiting to be sent later (send --at, bulk send --at/--before): list it, cancel
    /// it, or send it now.
    Schedule(ScheduleArgs),
    /// Share the do-not-text list with the other desks of a team, through a PostgreSQL server.
    Team(TeamArgs),
}

#[derive(Debug, Args)]
pub struct TeamArgs {
    #[command(subcommand)]
    pub command: TeamCommand,
}

#[derive(Debug, Subcommand)]
pub enum TeamCommand {
    /// Join the team on the server of CONNECTION_STRING (postgresql://user:password@host/db):
    /// the password goes to the keychain, the settings keep the string without it; this
    /// desk's do-not-text list is uploaded and merged with the team's.
    Join(TeamJoinArgs),
    /// Leave the team: this desk's list stays as it is.
    Leave,
    /// Push this desk's changes and pull the others' now. Exit 5 when the server cannot be
    /// reached.
    Sync,
    /// Whether this desk is in a team, its name, the server, the last sync and the changes
    /// waiting to be pushed.
    Status(TeamStatusArgs),
    /// Let lists go on this desk's copy of the team's do-not-text list although it is older
    /// than the limit (the server cannot be reached): good for the limit from now.
    AcceptStale,
    /// The other desks' sends known here, newest first (pulled at each sync).
    History(TeamHistoryArgs),
}

#[derive(Debug, Args)]
pub struct TeamHistoryArgs {
    /// Only the sends to this number.
    #[arg(value_name = "NUMBER")]
    pub number: Option<String>,
    /// Country for a number without a country code (two letters, e.g. US, GB, IE).
    #[arg(long, value_name = "CC")]
    pub region: Option<String>,
    /// At most this many (newest first).
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    /// One JSON object per line: {"desk","to","template","outcome","status","sent_at"}.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TeamJoinArgs {
    #[arg(value_name = "CONNECTION_STRING")]
    pub connection: String,
    /// This desk's name, as the other desks see it.
    #[arg(long, value_name = "NAME")]
    pub desk: String,
}

#[derive(Debug, Args)]
pub struct TeamStatusArgs {
    /// One JSON object: {"joined","desk","server","last_sync","pending","stale"}.
    #[arg(long)]
    pub json: bool,
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
#[command(
    after_help = "With --at TIME nothing is sent now: the message is checked (number, text, the do-not-text list), stored, and sent at TIME by SMS Desk or `smsdesk worker` (whichever runs then), inside the sending window (08:00 to 21:00 on the clinic's clock unless Settings say otherwise; a time outside it moves to the window's next opening). TIME is RFC 3339 (2026-12-02T10:00:00+00:00, Z allowed) or YYYY-MM-DD HH:MM[:SS] on the clinic's clock (its time zone in Settings, else this computer's). --json then prints {\"scheduled_id\",\"at\"}: the job's number (smsdesk schedule list, smsdesk schedule cancel ID) and when it goes, in RFC 3339 with the clinic's offset. Exit 0, or 2 for a time that has passed or cannot be read (nothing stored). A key given in OCTOPODS_API_KEY is never stored, so the worker cannot send a message scheduled with it by itself: it is stored with a warning on stderr and, at its time, held (paused) for smsdesk bulk resume ID with the key set. To have it go by itself, save the key as a channel in SMS Desk (or use --practice). A saved channel goes at its own address: --at with another --base-url or OCTOPODS_BASE_URL is refused."
)]
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
    /// Send it later, at TIME: RFC 3339, or YYYY-MM-DD HH:MM[:SS] on the clinic's clock.
    /// Nothing is sent now.
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
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
    /// One JSON object: {"in_file","added","already","not_numbers","invalid":[{"line","text","reason"}]}.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "It asks Octopods about the delivery of sent messages, sends the lists started from the app, and sends what was scheduled (send --at, bulk send --at/--before) when its time comes, inside the sending window (Settings > Sending; 08:00 to 21:00 by default). A scheduled message whose time passed while no SMS Desk was running is sent if it is less than the grace period late (15 minutes by default); later than that it is not sent by itself: it is listed as missed (smsdesk schedule list). It cannot send what was scheduled with OCTOPODS_API_KEY (a key is never stored): at its time such a job is held (paused), for smsdesk bulk resume ID with the key set. Runs until Ctrl+C or SIGTERM, then exits 0. One SMS Desk per data folder does this work: while the app (or another smsdesk worker) does it, this one waits and takes over when it stops."
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
    Send(Box<BulkSendArgs>),
    /// Send the rows of a job that were not tried yet (after a crash or a stop).
    Resume(BulkResumeArgs),
    /// Every row of a job with its outcome.
    Report(BulkReportArgs),
    /// The jobs, newest first.
    List(BulkListArgs),
}

#[derive(Debug, Args)]
#[command(
    after_help = "Rows are checked in this order, and left out with their reason: invalid (no valid mobile number, a landline, or a template field's cell blank), duplicate (the same number on an earlier row, which is sent), blocked (on the do-not-text list). The job and every row are stored before the first request; each message is in the history. --json prints one line: {\"job_id\",\"total\",\"accepted\",\"rejected\",\"unauthorized\",\"not_sent\",\"unknown\",\"blocked\",\"invalid\",\"duplicate\"} (with --dry-run also \"would_send\"); progress goes to stderr. Exit 0 when the job ran (whatever each row's outcome), 2 for a usage or input error, with nothing sent.\n\nLater: with --at TIME (RFC 3339, or YYYY-MM-DD HH:MM[:SS] on the clinic's clock) every row goes at TIME; with --before RULE (\"1 day at 10:00\", \"2 days at 9:30 AM\", \"on the day at 08:30\", \"2 hours\", \"90 minutes\") each row goes that long before its appointment, read from --date-column (2026-12-02, 02/12/2026 — month first where the country writes dates so, such as US —, 2 Dec 2026, or a date and time in one cell) and --time-column (14:30, 2:30 PM). Nothing is sent now: the job is stored and SMS Desk or `smsdesk worker` sends each row at its time, inside the sending window (08:00 to 21:00 on the clinic's clock unless Settings say otherwise; a time outside it moves to the next opening). Rows whose appointment cannot be read are invalid; rows whose time has already passed are not sent (past). --json prints one line: {\"scheduled_id\",\"at\",\"total\",\"scheduled\",\"invalid\",\"duplicate\",\"blocked\",\"past\"}: the job's number, the first row's send time (RFC 3339, the clinic's offset), and the rows that will go, are invalid, duplicate, blocked, or past. Exit 2, with nothing stored, for a time that has passed or cannot be read, a rule that cannot be read, an unknown column, or a list of which no row would go. With --dry-run nothing is stored and the usual line has also \"at\" (the first send time) and \"past\" (not_sent = would_send + past)."
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
    /// Send every row later, at TIME: RFC 3339, or YYYY-MM-DD HH:MM[:SS] on the clinic's
    /// clock. Nothing is sent now.
    #[arg(long, value_name = "TIME", conflicts_with = "before")]
    pub at: Option<String>,
    /// Send each row RULE before its appointment: "1 day at 10:00", "on the day at 08:30",
    /// "2 hours" (needs --time-column). Nothing is sent now.
    #[arg(long, value_name = "RULE", requires = "date_column")]
    pub before: Option<String>,
    /// With --before: the column with the appointment's date (capitals do not matter).
    #[arg(long, value_name = "COL", requires = "before")]
    pub date_column: Option<String>,
    /// With --before: the column with the appointment's time (else a time in the date cell).
    #[arg(long, value_name = "COL", requires = "before")]
    pub time_column: Option<String>,
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

#[derive(Debug, Args)]
pub struct ScheduleArgs {
    #[command(subcommand)]
    pub command: ScheduleCommand,
}

#[derive(Debug, Subcommand)]
pub enum ScheduleCommand {
    /// What is waiting: missed ones first, then soonest first; times on the clinic's clock.
    List(ScheduleListArgs),
    /// Cancel what is waiting in ID (a message, or a list's reminders not sent yet): it never
    /// goes. Exit 2 if nothing with that number is waiting.
    Cancel(ScheduleIdArgs),
    /// Send what is waiting (or was missed) in ID now, inside the sending window, by SMS Desk
    /// or `smsdesk worker`. Exit 2 if nothing with that number is waiting.
    SendNow(ScheduleIdArgs),
}

#[derive(Debug, Args)]
#[command(
    after_help = "Text: one line per message or list (its number, when it goes on the clinic's clock, the recipient or the count of reminders, the channel); missed ones first, with what to do. --json: one object per line: {\"id\",\"at\",\"to\",\"rows\",\"missed\",\"kind\",\"channel\",\"file\",\"lead\"}: at in RFC 3339 with the clinic's offset (the next send time; for one with missed rows, when the first missed one was due), to the number of a single message (null for a list), rows how many wait for their time, missed how many were missed, kind single or list, file the list's file name (null for a single message), lead the reminder rule in words (or null). Nothing at all when nothing waits."
)]
pub struct ScheduleListArgs {
    /// One JSON object per line.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ScheduleIdArgs {
    /// The number `smsdesk schedule list` shows (the `scheduled_id` that `send --at` printed).
    #[arg(value_name = "ID")]
    pub id: i64,
}

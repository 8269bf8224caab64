//! The crate's errors, and the `{code, message, hint}` shape every front end shows.

use serde::Serialize;
use thiserror::Error;

use crate::templates::TemplateError;

/// What went wrong before a message could be sent, or with the keychain or settings.
#[derive(Debug, Error)]
pub enum Error {
    #[error("{reason}")]
    InvalidPhone { reason: String },
    #[error("The message is empty.")]
    EmptyBody,
    #[error("The message is {chars} characters long; the most Octopods accepts is {max}.")]
    BodyTooLong { chars: usize, max: usize },
    #[error("The teammate id \"{0}\" is not an Intercom id (it is a number such as 814860).")]
    InvalidTeammate(String),
    #[error("The recipient's name is {chars} characters long; the most is {max}.")]
    NameTooLong { chars: usize, max: usize },
    #[error(
        "The teammate id is {chars} characters long; an Intercom id has at most {max} digits."
    )]
    TeammateIdTooLong { chars: usize, max: usize },
    #[error(
        "\"{0}\" is not a country code SMS Desk knows (use two letters, such as US, GB or IE)."
    )]
    UnknownCountry(String),
    #[error("No API key is set for this channel.")]
    NoApiKey,
    #[error("No API key is saved for the channel \"{0}\", so nothing was sent.")]
    NoChannelKey(String),
    #[error("The channel needs a name.")]
    ChannelNameBlank,
    #[error("The channel's name is too long (at most {max} characters).")]
    ChannelNameTooLong { max: usize },
    #[error("There is already a channel called \"{0}\".")]
    ChannelNameTaken(String),
    #[error("That channel is no longer in the list.")]
    ChannelNotFound(String),
    #[error("Practice is built in: it cannot be renamed, removed or given a key.")]
    PracticeChannelFixed,
    #[error("{}", teammate_id_problem(.0))]
    TeammateIdInvalid(String),
    #[error("The teammate needs a name.")]
    TeammateNameBlank,
    #[error("The teammate's name is too long (at most {max} characters).")]
    TeammateNameTooLong { max: usize },
    #[error("The Intercom id {id} is already in the list, as {name}.")]
    TeammateTaken { id: String, name: String },
    #[error("That teammate is no longer in the list.")]
    TeammateNotFound(String),
    #[error("The system keychain is not available: {0}")]
    KeychainUnavailable(String),
    #[error("The system keychain refused the request: {0}")]
    Keychain(String),
    #[error(transparent)]
    Client(#[from] octopods::Error),
    #[error("Could not start Practice mode: {0}")]
    Practice(String),
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error("SMS Desk could not open \"{file}\": {reason}.")]
    FileUnreadable { file: String, reason: String },
    /// The team's server could not be reached (the network, the server down, a certificate).
    #[error("SMS Desk could not reach the team's server: {reason}.")]
    TeamUnreachable { reason: String },
    /// The team's server answered with an error.
    #[error("The team's server refused: {reason}.")]
    TeamServer { reason: String },
    #[error("The connection string cannot be used: {reason}.")]
    TeamConnectionString { reason: String },
    #[error("Another desk of the team is already called \"{0}\".")]
    TeamDeskNameTaken(String),
    #[error("This desk has not joined a team.")]
    TeamNotJoined,
    #[error("The desk's name cannot be blank.")]
    TeamDeskNameBlank,
    /// A live list would go on a copy of the team's do-not-text list older than the limit.
    #[error("{}", stale_words(.as_of.as_deref()))]
    TeamListStale { as_of: Option<String> },
    #[error("{0} minutes cannot be the limit: give 1 to 1440 minutes (a day).")]
    TeamStaleLimit(u32),
    /// A file that was read but cannot be imported whole (an unclosed quote, too many rows):
    /// nothing of it was imported.
    #[error("The file cannot be imported: {reason}.")]
    ImportRefused { reason: String },
    #[error("SMS Desk could not save \"{file}\": {reason}.")]
    FileNotSaved { file: String, reason: String },
    #[error("SMS Desk could not use its message history: {0}.")]
    History(String),
    #[error("The message history was made by a newer version of SMS Desk (version {found}; this one knows up to {known}).")]
    HistoryTooNew { found: i64, known: i64 },
    #[error("\"{0}\" is not a status SMS Desk knows.")]
    UnknownStatusFilter(String),
    #[error("SMS Desk cannot read its saved {what} ({reason}): they may have been saved by a newer version of SMS Desk.")]
    ConfigUnreadable { what: String, reason: String },
    #[error("The same message to this number may already have gone out: the last time, SMS Desk could not tell whether it was sent (at {}), so nothing was sent now.", crate::time::local_time(*.at))]
    MaybeSent {
        /// The history row of the attempt that may have gone out.
        previous: i64,
        at: i64,
    },
    #[error("Messages to real numbers are paused: the do-not-text list may be missing numbers since the message history file was damaged.")]
    OptOutsIncomplete,
    #[error(
        "No channel is set up to send from, and OCTOPODS_API_KEY is not set, so nothing was sent."
    )]
    NoChannel,
    #[error("Another SMS Desk is already doing the background work for this data folder.")]
    WorkerBusy,
    #[error("There is no bulk job number {0}.")]
    JobNotFound(i64),
    #[error("Bulk job {0} is being sent by another SMS Desk right now.")]
    JobBusy(i64),
    #[error("{0}")]
    Time(#[from] crate::schedule::TimeError),
    #[error("There is nothing scheduled with the number {0}.")]
    NotScheduled(i64),
    #[error("Job {0} was made with OCTOPODS_API_KEY, which SMS Desk never stores, so it is held.")]
    KeyJobWithoutKey(i64),
    #[error("{0}")]
    BulkFile(String),
    #[error("The file has no column called \"{0}\".")]
    NoSuchColumn(String),
    #[error("The template's field {{{{{0}}}}} has no column to fill it.")]
    FieldWithoutColumn(String),
    #[error("{shown} is on the do-not-text list (added {since}{}), so nothing was sent.", reason_suffix(.reason))]
    OptedOut {
        /// E.164.
        number: String,
        /// The number grouped for reading.
        shown: String,
        reason: String,
        since: String,
    },
}

fn reason_suffix(reason: &str) -> String {
    if reason.trim().is_empty() {
        String::new()
    } else {
        format!(": {}", reason.trim())
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// Says on standard error what went wrong in work nobody waits for (a result that could not
/// be recorded, a copy that could not be kept). Never panics, even when standard error is
/// closed: a send that happened must report its result whatever the terminal does.
pub fn warn(what: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "SMS Desk: {what}");
}

fn stale_words(as_of: Option<&str>) -> String {
    match as_of {
        Some(at) => format!(
            "The team's do-not-text list on this desk is as of {at}: another desk may have added a number since. The list was not started."
        ),
        None => "This desk has not received the team's do-not-text list yet. The list was not started.".to_owned(),
    }
}

fn teammate_id_problem(typed: &str) -> String {
    if typed.is_empty() {
        "Type the teammate's Intercom id (a number such as 814860).".to_owned()
    } else {
        format!("\"{typed}\" is not an Intercom id: it is a number such as 814860.")
    }
}

/// An error as a person reads it: `code` is stable (front ends branch on it), `message` says
/// what happened, `hint` what to do next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserError {
    pub code: &'static str,
    pub message: String,
    pub hint: String,
}

impl UserError {
    pub fn new(code: &'static str, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            hint: hint.into(),
        }
    }
}

/// The hint for a file that cannot be imported at all.
const PICK_EXPORTED_FILE: &str =
    "Pick a file that SMS Desk saved with Export templates. Nothing was imported.";

impl From<&Error> for UserError {
    fn from(e: &Error) -> Self {
        let message = e.to_string();
        let (code, hint) = match e {
            Error::InvalidPhone { .. } => (
                "invalid_phone",
                "Check the number and its country. Nothing was sent.",
            ),
            Error::EmptyBody => ("empty_body", "Write a message. Nothing was sent."),
            Error::BodyTooLong { .. } => (
                "body_too_long",
                "Shorten the message, or send it as two messages. Nothing was sent.",
            ),
            Error::InvalidTeammate(_) => (
                "invalid_teammate",
                "In Intercom, open Settings > Teammates, pick the teammate: the number at the end of the page address is their id. Or leave the field empty to use the workspace default.",
            ),
            Error::NameTooLong { .. } => (
                "name_too_long",
                "Shorten the name (it is the contact's name in Intercom), or leave it empty. Nothing was sent.",
            ),
            Error::TeammateIdTooLong { .. } => (
                "teammate_id_too_long",
                "In Intercom, open Settings > Teammates and click the teammate: the number at the end of the page address is their id.",
            ),
            Error::UnknownCountry(_) => ("unknown_country", "Pick the country from the list."),
            Error::NoApiKey => (
                "no_api_key",
                "Paste the channel's API key in Settings (Octopods: Settings > SMS channel > API key), or use Practice mode.",
            ),
            Error::NoChannelKey(_) => (
                "no_channel_key",
                "Open Settings > Channels and paste the channel's key with Replace key (Octopods: Settings > SMS channel > API key), or pick Practice at the top of New message.",
            ),
            Error::ChannelNameBlank => (
                "channel_name_blank",
                "Type a name people will recognise, such as Main Street clinic.",
            ),
            Error::ChannelNameTooLong { .. } => ("channel_name_too_long", "Use a shorter name."),
            Error::ChannelNameTaken(_) => (
                "channel_name_taken",
                "Give each channel its own name, such as the location it serves.",
            ),
            Error::ChannelNotFound(_) => (
                "channel_not_found",
                "Open Settings to see the current channels.",
            ),
            Error::PracticeChannelFixed => (
                "practice_channel_fixed",
                "Add a channel for your real number in Settings > Channels.",
            ),
            Error::TeammateIdInvalid(_) => (
                "teammate_id_invalid",
                "In Intercom, open Settings > Teammates and click the teammate: the number at the end of the page address is their id.",
            ),
            Error::TeammateNameBlank => (
                "teammate_name_blank",
                "Type the teammate's name as people know it, such as Ann.",
            ),
            Error::TeammateNameTooLong { .. } => {
                ("teammate_name_too_long", "Use a shorter name.")
            }
            Error::TeammateTaken { .. } => (
                "teammate_taken",
                "Each teammate is listed once. Remove the old entry first to change the name.",
            ),
            Error::TeammateNotFound(_) => (
                "teammate_not_found",
                "Open Settings to see the current teammates.",
            ),
            Error::KeychainUnavailable(_) => (
                "keychain_unavailable",
                if cfg!(target_os = "linux") {
                    "SMS Desk keeps API keys in the system keychain (Secret Service). Install and start GNOME Keyring or KWallet (for example: sudo apt install gnome-keyring), log out and in again, then retry."
                } else {
                    "Unlock the system keychain and try again."
                },
            ),
            Error::Keychain(_) => (
                "keychain_error",
                "Unlock the system keychain (it may be asking for your password) and try again.",
            ),
            Error::Client(octopods::Error::InsecureBaseUrl) => (
                "insecure_base_url",
                "Use the https:// address of your Octopods server, e.g. https://app.octopods.io.",
            ),
            Error::Client(octopods::Error::InvalidBaseUrl(_)) => (
                "invalid_base_url",
                "Use a full address such as https://app.octopods.io.",
            ),
            Error::Client(octopods::Error::EmptyKey | octopods::Error::MalformedKey) => (
                "invalid_api_key",
                "Copy the key again from Octopods (Settings > SMS channel > API key) and paste it without anything around it.",
            ),
            Error::Client(octopods::Error::HttpSetup(_)) => (
                "network_setup",
                "Restart SMS Desk. If it happens again, check the computer's network settings.",
            ),
            Error::Practice(_) => ("practice_unavailable", "Restart SMS Desk."),
            Error::Template(TemplateError::UnclosedField { .. }) => (
                "template_unclosed_field",
                "End the field with }}, as in {{first_name}}, or delete the {{.",
            ),
            Error::Template(TemplateError::EmptyField { .. }) => (
                "template_empty_field",
                "Write the field's name between the braces, as in {{first_name}}, or delete the braces.",
            ),
            Error::Template(TemplateError::InvalidFieldName { .. }) => (
                "template_invalid_field_name",
                "Field names use lowercase letters, digits and _, and start with a letter, as in {{first_name}} or {{date}}.",
            ),
            Error::Template(TemplateError::StrayClose { .. }) => (
                "template_stray_close",
                "Delete the extra }}, or add the {{ that starts the field.",
            ),
            Error::Template(TemplateError::MissingValues(_)) => (
                "template_missing_values",
                "Fill in the details named above, then send again. Nothing was sent.",
            ),
            Error::Template(TemplateError::BlankName) => (
                "template_blank_name",
                "Give the template a short name, such as Reminder.",
            ),
            Error::Template(TemplateError::NameTooLong { .. }) => (
                "template_name_too_long",
                "Shorten the name; the text of the message goes in the box below it.",
            ),
            Error::Template(TemplateError::BlankBody) => {
                ("template_blank_body", "Write the text of the message.")
            }
            Error::Template(TemplateError::BodyTooLong { .. }) => (
                "template_body_too_long",
                "Shorten the text, or split it into two templates.",
            ),
            Error::Template(TemplateError::InvalidTeammate(_)) => (
                "template_invalid_teammate",
                "In Intercom, open Settings > Teammates, pick the teammate: the number at the end of the page address is their id. Or leave the field empty to use the workspace default.",
            ),
            Error::Template(TemplateError::TeammateTooLong { .. }) => (
                "template_teammate_too_long",
                "In Intercom, open Settings > Teammates, pick the teammate: the number at the end of the page address is their id. Or leave the field empty to use the workspace default.",
            ),
            Error::Template(TemplateError::BusinessDetailTooLong { .. }) => (
                "business_detail_too_long",
                "Shorten it: it is written into every message that uses it. Nothing was saved.",
            ),
            Error::Template(TemplateError::NotFound(_)) => (
                "template_not_found",
                "Close and reopen the templates list to see the current templates.",
            ),
            Error::Template(TemplateError::ImportNotJson { .. }) => {
                ("template_import_not_json", PICK_EXPORTED_FILE)
            }
            Error::Template(TemplateError::ImportNotTemplates) => {
                ("template_import_not_templates", PICK_EXPORTED_FILE)
            }
            Error::FileUnreadable { .. } => (
                "file_unreadable",
                "Check that the file is still where it was (not on a removed USB stick), then import it again. Nothing was imported.",
            ),
            Error::TeamUnreachable { .. } => (
                "team_unreachable",
                "Sending goes on with the last copy of the team's do-not-text list. Check the network (or ask IT whether the server is up); SMS Desk catches up when it is back.",
            ),
            Error::TeamServer { .. } => (
                "team_server",
                "Check the connection string's user and database with whoever runs the server.",
            ),
            Error::TeamConnectionString { .. } => (
                "team_connection_string",
                "Paste the connection string as the server's provider gives it, for example postgresql://user:password@host:5432/database.",
            ),
            Error::TeamDeskNameTaken(_) => (
                "team_desk_name_taken",
                "Give this desk another name, such as \"Front desk 2\".",
            ),
            Error::TeamNotJoined => (
                "team_not_joined",
                "Join a team first (Settings › Team, or smsdesk team join).",
            ),
            Error::TeamListStale { .. } => (
                "team_list_stale",
                "Check the network, or ask IT whether the team's server is up; SMS Desk catches up by itself. To send the list anyway on this copy, confirm it (in the window, or smsdesk team accept-stale).",
            ),
            Error::TeamStaleLimit(_) => ("team_stale_limit", "Give the limit in minutes, such as 60."),
            Error::TeamDeskNameBlank => (
                "team_desk_name_blank",
                "Give this desk a name the others will recognise, such as \"Front desk\".",
            ),
            Error::ImportRefused { .. } => (
                "import_refused",
                "Nothing was imported. Fix that in the file (a spreadsheet program or a text editor opens it), save it, and import it again.",
            ),
            Error::FileNotSaved { .. } => (
                "file_not_saved",
                "Pick another folder, such as Documents, and export again.",
            ),
            Error::History(_) => (
                "history_unavailable",
                "Nothing was sent, because SMS Desk could not record it. Check that there is free disk space, then restart SMS Desk.",
            ),
            Error::HistoryTooNew { .. } => (
                "history_too_new",
                "Update SMS Desk on this computer. Nothing was sent and the history was not changed.",
            ),
            Error::UnknownStatusFilter(_) => (
                "unknown_status_filter",
                "Use one of: delivered, pending, not_delivered, refused, sending, accepted, rejected, unauthorized, not_sent, unknown, blocked, queued, sent, failed, undelivered.",
            ),
            Error::OptedOut { .. } => (
                "opted_out",
                "This person asked not to be texted. If they asked to hear from you again, take the number off the do-not-text list first (in SMS Desk: the Do not text screen).",
            ),
            Error::ConfigUnreadable { .. } => (
                "config_unreadable",
                "Update SMS Desk on this computer. Nothing was changed, and what was saved is kept as it is.",
            ),
            Error::MaybeSent { .. } => (
                "maybe_sent",
                "Check in Octopods or with the recipient whether it arrived. Send it again only if it did not.",
            ),
            Error::OptOutsIncomplete => (
                "opt_outs_incomplete",
                "Open the Do not text screen: import your exported list again, or confirm the list is complete (smsdesk optout confirm-complete). Practice messages still work.",
            ),
            Error::NoChannel => (
                "no_channel",
                "Add a channel with its API key in SMS Desk (Settings > Channels), or set OCTOPODS_API_KEY, or try it with --practice (nobody is texted).",
            ),
            Error::WorkerBusy => (
                "worker_busy",
                "Nothing needs doing: the other one (the app or smsdesk worker) carries on. Close it first to run this one.",
            ),
            Error::JobNotFound(_) => (
                "job_not_found",
                "List the jobs (smsdesk bulk list --json) and use one of their numbers.",
            ),
            Error::JobBusy(_) => (
                "job_busy",
                "Let it finish, or stop that SMS Desk first. Nothing was sent twice.",
            ),
            Error::Time(_) => (
                "bad_time",
                "Nothing was scheduled. Times are read on the clinic's clock (Settings > Sending > Time zone).",
            ),
            Error::KeyJobWithoutKey(_) => (
                "key_job_without_key",
                "Run smsdesk worker with OCTOPODS_API_KEY set, or send it with the key given again: OCTOPODS_API_KEY=... smsdesk bulk resume JOB_ID.",
            ),
            Error::NotScheduled(_) => (
                "not_scheduled",
                "List what is waiting (smsdesk schedule list) and use one of its numbers.",
            ),
            Error::BulkFile(_) => (
                "bulk_file_unreadable",
                "Export the list from the booking system again as CSV or Excel (.xlsx), then try again. Nothing was sent.",
            ),
            Error::NoSuchColumn(_) => (
                "no_such_column",
                "Use a column name exactly as it is in the file's first row (capitals do not matter). Nothing was sent.",
            ),
            Error::FieldWithoutColumn(_) => (
                "field_without_column",
                "Name the column that fills it (--map FIELD=COLUMN), or add a column of that name to the file. Nothing was sent.",
            ),
            Error::Template(TemplateError::ImportNewerVersion { .. }) => (
                "template_import_newer_version",
                "Update SMS Desk on this computer, then import the file again. Nothing was imported.",
            ),
        };
        UserError::new(code, message, hint)
    }
}

impl From<Error> for UserError {
    fn from(e: Error) -> Self {
        UserError::from(&e)
    }
}

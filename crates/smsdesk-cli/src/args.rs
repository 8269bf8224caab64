//! The command line's shape. Later issues and outside scripts rely on it: add, never change.

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "smsdesk",
    version,
    about = "Send SMS through Octopods from the command line (SMS Desk).",
    after_help = "Exit codes: 0 success, 1 an invalid number (validate), 2 invalid input or usage (nothing sent), 3 rejected or unauthorized, 4 outcome unknown (may have been sent: do not resend), 5 not sent."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check phone numbers; with no NUMBER, read one per line from standard input.
    Validate(ValidateArgs),
    /// Send one SMS. The API key comes from OCTOPODS_API_KEY, else the system keychain.
    Send(SendArgs),
    /// Read a sent message's delivery status.
    Status(StatusArgs),
    /// Show what a message costs: its encoding (GSM-7 or UCS-2) and SMS segments.
    Segments(SegmentsArgs),
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
    /// Octopods' address; else OCTOPODS_BASE_URL, else https://app.octopods.io.
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
    /// Country for a number without a country code.
    #[arg(long, value_name = "CC")]
    pub region: Option<String>,
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
    /// The message; none means all of standard input.
    #[arg(value_name = "TEXT")]
    pub text: Option<String>,
}

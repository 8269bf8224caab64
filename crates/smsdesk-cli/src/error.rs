//! The command line's errors and exit codes.

use thiserror::Error;

/// Exit codes, as documented in `smsdesk --help`. Add, never renumber: scripts rely on them.
pub mod exit {
    pub const OK: u8 = 0;
    pub const INVALID_NUMBER: u8 = 1;
    /// `optout remove` of a number that was not on the list.
    pub const NOT_ON_LIST: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const REJECTED: u8 = 3;
    pub const UNKNOWN: u8 = 4;
    pub const NOT_SENT: u8 = 5;
    /// The number is on the do-not-text list: nothing was sent.
    pub const BLOCKED: u8 = 6;
}

#[derive(Debug, Error)]
pub enum CliError {
    #[error("{0}")]
    Domain(#[from] smsdesk::Error),
    /// The history database cannot be opened; `hint` depends on what was being done.
    #[error("SMS Desk could not open its message history in {dir}: {reason}")]
    History {
        dir: String,
        reason: String,
        hint: &'static str,
    },
    /// Input that cannot be used, with what to do about it.
    #[error("{message}")]
    Invalid { message: String, hint: String },
    #[error("Could not read standard input: {0}")]
    Stdin(std::io::Error),
    #[error("Could not write the output: {0}")]
    Stdout(std::io::Error),
    #[error("Could not start: {0}")]
    Runtime(std::io::Error),
}

impl CliError {
    /// What to print to standard error: the message and, where there is one, what to do.
    pub fn report(&self) -> String {
        match self {
            CliError::Domain(smsdesk::Error::OptedOut { number, .. }) => format!(
                "error: {self}\nThis person asked not to be texted. If they asked to hear from you again, take the number off the list first (smsdesk optout remove {number}), then send again."
            ),
            CliError::Domain(e) => {
                let user = smsdesk::UserError::from(e);
                format!("error: {}\n{}", user.message, user.hint)
            }
            CliError::History { hint, .. } => format!("error: {self}\n{hint}"),
            CliError::Invalid { message, hint } => format!("error: {message}\n{hint}"),
            other => format!("error: {other}"),
        }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Domain(smsdesk::Error::OptedOut { .. }) => exit::BLOCKED,
            CliError::Domain(smsdesk::Error::TeamUnreachable { .. }) => exit::NOT_SENT,
            CliError::Domain(_) | CliError::History { .. } | CliError::Invalid { .. } => {
                exit::USAGE
            }
            CliError::Stdin(_) | CliError::Stdout(_) | CliError::Runtime(_) => exit::USAGE,
        }
    }
}

pub type Result<T> = std::result::Result<T, CliError>;

/// A `serde_json` failure while writing output.
pub fn json_error(e: serde_json::Error) -> CliError {
    CliError::Stdout(std::io::Error::other(e))
}

//! The command line's errors and exit codes.

use thiserror::Error;

/// Exit codes, as documented in `smsdesk --help`.
pub mod exit {
    pub const OK: u8 = 0;
    pub const INVALID_NUMBER: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const REJECTED: u8 = 3;
    pub const UNKNOWN: u8 = 4;
    pub const NOT_SENT: u8 = 5;
}

#[derive(Debug, Error)]
pub enum CliError {
    #[error("{0}")]
    Domain(#[from] smsdesk::Error),
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
            CliError::Domain(e) => {
                let user = smsdesk::UserError::from(e);
                format!("error: {}\n{}", user.message, user.hint)
            }
            other => format!("error: {other}"),
        }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Domain(_) => exit::USAGE,
            CliError::Stdin(_) | CliError::Stdout(_) | CliError::Runtime(_) => exit::USAGE,
        }
    }
}

pub type Result<T> = std::result::Result<T, CliError>;

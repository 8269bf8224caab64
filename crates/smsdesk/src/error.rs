//! The crate's errors, and the `{code, message, hint}` shape every front end shows.

use serde::Serialize;
use thiserror::Error;

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
    #[error(
        "\"{0}\" is not a country code SMS Desk knows (use two letters, such as US, GB or IE)."
    )]
    UnknownCountry(String),
    #[error("No API key is set for this channel.")]
    NoApiKey,
    #[error("The system keychain is not available: {0}")]
    KeychainUnavailable(String),
    #[error("The system keychain refused the request: {0}")]
    Keychain(String),
    #[error(transparent)]
    Client(#[from] octopods::Error),
    #[error("Could not start Practice mode: {0}")]
    Practice(String),
}

pub type Result<T> = std::result::Result<T, Error>;

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
            Error::UnknownCountry(_) => ("unknown_country", "Pick the country from the list."),
            Error::NoApiKey => (
                "no_api_key",
                "Paste the channel's API key in Settings (Octopods: Settings > SMS channel > API key), or use Practice mode.",
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
        };
        UserError::new(code, message, hint)
    }
}

impl From<Error> for UserError {
    fn from(e: Error) -> Self {
        UserError::from(&e)
    }
}

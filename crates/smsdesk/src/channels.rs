//! Channels: the SMS numbers a business sends from (two clinic locations are two channels),
//! each with its own API key in the keychain (filed under the channel's id), an optional server
//! address, and what SMS Desk learned about it from Octopods' answers. Practice is always there
//! and is not stored.

use octopods::{KeyCheck, DEFAULT_BASE_URL};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The channel id history rows get when `smsdesk send` used a key from `OCTOPODS_API_KEY`
/// (not one of the app's channels): the app cannot ask about their delivery.
pub const COMMAND_LINE_CHANNEL: &str = "command-line";
/// The built-in practice channel's id.
pub const PRACTICE_CHANNEL: &str = "practice";
/// The name of the channel made from a key saved before channels existed (its id stays
/// [`crate::secrets::DEFAULT_CHANNEL`], where that key is filed).
pub const MIGRATED_CHANNEL_NAME: &str = "Main number";
pub const MAX_CHANNEL_NAME_CHARS: usize = 60;

/// Which inbox the channel's Octopods workspace uses, as learned from a send.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Workspace {
    #[default]
    Unknown,
    Intercom,
    /// A 201 without `message_id`: no delivery tracking; the teammate is ignored.
    Hubspot,
}

impl Workspace {
    pub fn as_str(self) -> &'static str {
        match self {
            Workspace::Unknown => "unknown",
            Workspace::Intercom => "intercom",
            Workspace::Hubspot => "hubspot",
        }
    }

    /// A stored word; anything else is [`Workspace::Unknown`].
    pub fn parse(word: &str) -> Self {
        match word {
            "intercom" => Workspace::Intercom,
            "hubspot" => Workspace::Hubspot,
            _ => Workspace::Unknown,
        }
    }
}

/// Why the channel's key stopped working, as learned from a send or a key test.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyProblem {
    #[default]
    None,
    /// HTTP 401: Octopods does not know the key.
    Unauthorized,
    /// Error 5: the key was replaced or revoked in Octopods.
    Deprecated,
}

/// A live channel, as stored in the settings (its key is in the keychain, never here).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Channel {
    pub id: String,
    pub name: String,
    /// Octopods' address for this channel (checked when saved).
    pub base_url: String,
    pub workspace: Workspace,
    pub key_problem: KeyProblem,
}

impl Channel {
    /// The address to send to: Octopods' own unless another was saved.
    pub fn address(&self) -> &str {
        if self.base_url.trim().is_empty() {
            DEFAULT_BASE_URL
        } else {
            &self.base_url
        }
    }
}

/// What "Test this key" found, for the front end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "verdict")]
pub enum KeyTest {
    Valid,
    Invalid,
    Deprecated,
    Unknown { reason: String },
}

impl From<KeyCheck> for KeyTest {
    fn from(check: KeyCheck) -> Self {
        match check {
            KeyCheck::Valid => KeyTest::Valid,
            KeyCheck::Invalid => KeyTest::Invalid,
            KeyCheck::Deprecated => KeyTest::Deprecated,
            KeyCheck::Unknown { reason } => KeyTest::Unknown { reason },
        }
    }
}

/// A channel name as typed, tidied; blank or too long is refused.
pub fn tidy_name(typed: &str) -> Result<String> {
    // Control characters out first (`text_safety::line`), then spaces collapsed.
    let name = crate::text_safety::line(typed)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if name.is_empty() {
        return Err(Error::ChannelNameBlank);
    }
    if name.chars().count() > MAX_CHANNEL_NAME_CHARS {
        return Err(Error::ChannelNameTooLong {
            max: MAX_CHANNEL_NAME_CHARS,
        });
    }
    Ok(name)
}

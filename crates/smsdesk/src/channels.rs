//! Channels: the SMS numbers a business sends from (two clinic locations are two channels),
//! each with its own API key in the keychain (filed under the channel's id), an optional server
//! address, and what SMS Desk learned about it from Octopods' answers. Practice is always there
//! and is not stored.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use octopods::{KeyCheck, DEFAULT_BASE_URL};
use serde::{Deserialize, Serialize};

use crate::desk::Sent;
use crate::error::{Error, Result};
use crate::settings::{tidy_base_url, Settings};

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
    let name = typed.split_whitespace().collect::<Vec<_>>().join(" ");
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

/// A new channel id such as `ch-18f6d2a4b1c-0`, not used by any channel in `settings`.
fn new_id(settings: &Settings) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    loop {
        let id = format!("ch-{millis:x}-{}", COUNTER.fetch_add(1, Ordering::Relaxed));
        if settings.channel(&id).is_none() {
            return id;
        }
    }
}

impl Settings {
    /// A live channel by id (`None` for Practice and for ids not in the list).
    pub fn channel(&self, id: &str) -> Option<&Channel> {
        self.channels.iter().find(|c| c.id == id)
    }

    /// A live channel by id, to change; Practice and unknown ids are refused.
    pub fn channel_mut(&mut self, id: &str) -> Result<&mut Channel> {
        if id == PRACTICE_CHANNEL {
            return Err(Error::PracticeChannelFixed);
        }
        self.channels
            .iter_mut()
            .find(|c| c.id == id)
            .ok_or_else(|| Error::ChannelNotFound(id.to_owned()))
    }

    /// Whether Compose sends on the practice server.
    pub fn practice_active(&self) -> bool {
        self.channel(&self.active_channel).is_none()
    }

    /// Checks a new channel's name and address and adds it (without a key); returns its id.
    pub fn add_channel(&mut self, name: &str, base_url: &str) -> Result<String> {
        let name = self.free_name(name, None)?;
        let channel = Channel {
            id: new_id(self),
            name,
            base_url: tidy_base_url(base_url)?,
            ..Channel::default()
        };
        let id = channel.id.clone();
        self.channels.push(channel);
        Ok(id)
    }

    pub fn rename_channel(&mut self, id: &str, name: &str) -> Result<()> {
        let name = self.free_name(name, Some(id))?;
        self.channel_mut(id)?.name = name;
        Ok(())
    }

    /// Takes the channel out of the list (its key is removed by the desk); Practice becomes
    /// active if it was.
    pub fn remove_channel(&mut self, id: &str) -> Result<Channel> {
        self.channel_mut(id)?;
        let at = self.channels.iter().position(|c| c.id == id);
        let removed = at
            .map(|i| self.channels.remove(i))
            .ok_or_else(|| Error::ChannelNotFound(id.to_owned()))?;
        if self.active_channel == id {
            self.active_channel = PRACTICE_CHANNEL.to_owned();
        }
        Ok(removed)
    }

    /// Picks the channel Compose sends on.
    pub fn set_active_channel(&mut self, id: &str) -> Result<()> {
        if id != PRACTICE_CHANNEL && self.channel(id).is_none() {
            return Err(Error::ChannelNotFound(id.to_owned()));
        }
        self.active_channel = id.to_owned();
        Ok(())
    }

    /// Remembers what a send showed about its channel; `true` when something changed (and the
    /// settings should be saved).
    pub fn learn_from(&mut self, sent: &Sent) -> bool {
        let Ok(channel) = self.channel_mut(&sent.channel_id) else {
            return false;
        };
        let before = channel.clone();
        let report = &sent.report;
        if report.is_accepted() {
            channel.key_problem = KeyProblem::None;
            channel.workspace = if report.message_id.is_some() {
                Workspace::Intercom
            } else {
                Workspace::Hubspot
            };
        } else if report.outcome == "unauthorized" {
            channel.key_problem = KeyProblem::Unauthorized;
        } else if report.error_code == Some(5) {
            channel.key_problem = KeyProblem::Deprecated;
        }
        *channel != before
    }

    /// Remembers what "Test this key" found; a verdict of "could not check" changes nothing.
    pub fn record_key_test(&mut self, id: &str, test: &KeyTest) -> Result<()> {
        let channel = self.channel_mut(id)?;
        match test {
            KeyTest::Valid => channel.key_problem = KeyProblem::None,
            KeyTest::Invalid => channel.key_problem = KeyProblem::Unauthorized,
            KeyTest::Deprecated => channel.key_problem = KeyProblem::Deprecated,
            KeyTest::Unknown { .. } => {}
        }
        Ok(())
    }

    /// A tidy name no other channel (nor Practice) has, compared ignoring case.
    fn free_name(&self, typed: &str, except: Option<&str>) -> Result<String> {
        let name = tidy_name(typed)?;
        let clash = name.eq_ignore_ascii_case("practice")
            || self
                .channels
                .iter()
                .any(|c| Some(c.id.as_str()) != except && c.name.eq_ignore_ascii_case(&name));
        if clash {
            return Err(Error::ChannelNameTaken(name));
        }
        Ok(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channels_are_added_renamed_picked_and_removed() {
        let mut s = Settings::default();
        let id = s.add_channel("  Main   Street clinic ", "").expect("added");
        let channel = s.channel(&id).expect("listed").clone();
        assert_eq!(channel.name, "Main Street clinic");
        assert_eq!(channel.address(), DEFAULT_BASE_URL);
        assert!(matches!(
            s.add_channel("main street CLINIC", ""),
            Err(Error::ChannelNameTaken(_))
        ));
        assert!(matches!(
            s.add_channel(" ", ""),
            Err(Error::ChannelNameBlank)
        ));
        assert!(matches!(
            s.add_channel("Practice", ""),
            Err(Error::ChannelNameTaken(_))
        ));
        assert!(s.add_channel("Other", "http://example.com").is_err());
        assert_eq!(s.channels.len(), 1, "refused channels are not added");

        s.rename_channel(&id, "Main St").expect("renamed");
        s.rename_channel(&id, "main st")
            .expect("its own name, other case");
        assert!(matches!(
            s.rename_channel(PRACTICE_CHANNEL, "X"),
            Err(Error::PracticeChannelFixed)
        ));
        assert!(s.practice_active());
        s.set_active_channel(&id).expect("picked");
        assert!(!s.practice_active());
        assert!(s.set_active_channel("nope").is_err());
        assert!(matches!(
            s.remove_channel(PRACTICE_CHANNEL),
            Err(Error::PracticeChannelFixed)
        ));
        s.remove_channel(&id).expect("removed");
        assert_eq!(s.active_channel, PRACTICE_CHANNEL, "back to Practice");
        assert!(s.channels.is_empty());
    }

    #[test]
    fn key_tests_are_remembered() {
        let mut s = Settings::default();
        let id = s.add_channel("Clinic", "").expect("added");
        s.record_key_test(&id, &KeyTest::Deprecated).expect("ok");
        assert_eq!(s.channels[0].key_problem, KeyProblem::Deprecated);
        let unknown = KeyTest::Unknown {
            reason: "offline".into(),
        };
        s.record_key_test(&id, &unknown).expect("ok");
        assert_eq!(
            s.channels[0].key_problem,
            KeyProblem::Deprecated,
            "no verdict changes nothing"
        );
        s.record_key_test(&id, &KeyTest::Valid).expect("ok");
        assert_eq!(s.channels[0].key_problem, KeyProblem::None);
    }
}

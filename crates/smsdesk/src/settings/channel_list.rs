//! Channel edits on the settings: add, rename, remove, pick the active one, and remember what
//! sends and key tests showed about each.

use std::sync::atomic::{AtomicU64, Ordering};

use super::{tidy_base_url, Settings};
use crate::channels::{tidy_name, Channel, KeyProblem, KeyTest, Workspace, PRACTICE_CHANNEL};
use crate::error::{Error, Result};
use crate::report::SendReport;
use crate::states::Outcome;

/// A new channel id such as `ch-18f6d2a4b1c-0`, not used by any channel in `settings`.
fn new_id(settings: &Settings) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    // Only to make ids unlikely to repeat across installs; no rule depends on it.
    let millis = crate::time::now_ms();
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

    /// Remembers what a send on channel `id` showed about it; `true` when something changed
    /// (and the settings should be saved).
    pub fn learn_from(&mut self, id: &str, report: &SendReport) -> bool {
        let Ok(channel) = self.channel_mut(id) else {
            return false;
        };
        let before = channel.clone();
        match report.outcome {
            Outcome::Accepted => {
                channel.key_problem = KeyProblem::None;
                channel.workspace = if report.message_id.is_some() {
                    Workspace::Intercom
                } else {
                    Workspace::Hubspot
                };
            }
            Outcome::Unauthorized => channel.key_problem = KeyProblem::Unauthorized,
            _ if report.key_was_replaced() => channel.key_problem = KeyProblem::Deprecated,
            _ => {}
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
    use octopods::DEFAULT_BASE_URL;

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

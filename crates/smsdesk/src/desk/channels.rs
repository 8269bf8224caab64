//! Channels and their keys, teammates and the Sending settings, on the saved settings. Keys go
//! into the keychain and never come out to a front end. Keychain calls are made outside the
//! store's transactions (a keychain may be slow, or ask for a password).

use octopods::{Client, KeyCheck};
use serde::Serialize;

use super::Desk;
use crate::channels::{KeyProblem, KeyTest, Workspace, MIGRATED_CHANNEL_NAME, PRACTICE_CHANNEL};
use crate::error::{Error, Result, UserError};
use crate::practice::Practice;
use crate::secrets::{ApiKey, DEFAULT_CHANNEL};
use crate::settings::{SendingSettings, Settings};
use crate::store::config::keys;
use crate::store::Store;
use crate::teammates::Teammate;

/// Which kind of channel messages go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Practice,
    Live,
}

/// A channel as the front end shows it (Practice first).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChannelStatus {
    pub id: String,
    pub name: String,
    pub practice: bool,
    /// The server address (empty for Practice).
    pub base_url: String,
    /// Whether a key is saved; `None` when the keychain could not be read.
    pub has_key: Option<bool>,
    pub key_problem: KeyProblem,
    pub workspace: Workspace,
}

/// The channels, the active one, whether keys can be stored, for the front end.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeskStatus {
    /// Practice or live, for the active channel.
    pub mode: Mode,
    pub active_channel: String,
    pub channels: Vec<ChannelStatus>,
    /// Why keys cannot be stored or read, when they cannot.
    pub keychain: Option<UserError>,
    /// The practice numbers that show each kind of failure.
    pub practice_numbers: Vec<PracticeNumber>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PracticeNumber {
    pub number: &'static str,
    pub description: &'static str,
}

impl Desk {
    /// The channels and their keys' state, the active one, any keychain problem and the
    /// practice numbers. Only reads.
    pub async fn status(&self) -> Result<DeskStatus> {
        let settings = self.settings().await?;
        let keys = self.keys();
        let ids: Vec<String> = settings.channels.iter().map(|c| c.id.clone()).collect();
        let has: Vec<Result<bool>> = match &keys {
            Ok(_) => {
                self.with_keys(move |keys| Ok(ids.iter().map(|id| keys.has(id)).collect()))
                    .await?
            }
            Err(_) => Vec::new(),
        };
        let mut keychain = keys.err().map(|e| UserError::from(&e));
        let mut channels = vec![ChannelStatus {
            id: PRACTICE_CHANNEL.to_owned(),
            name: "Practice".to_owned(),
            practice: true,
            base_url: String::new(),
            has_key: Some(true),
            key_problem: KeyProblem::None,
            workspace: Workspace::Intercom,
        }];
        for (i, channel) in settings.channels.iter().enumerate() {
            let has_key = match has.get(i) {
                Some(Ok(has)) => Some(*has),
                Some(Err(e)) => {
                    keychain.get_or_insert_with(|| UserError::from(e));
                    None
                }
                None => None,
            };
            channels.push(ChannelStatus {
                id: channel.id.clone(),
                name: channel.name.clone(),
                practice: false,
                base_url: channel.address().to_owned(),
                has_key,
                key_problem: channel.key_problem,
                workspace: channel.workspace,
            });
        }
        let practice = settings.practice_active();
        Ok(DeskStatus {
            mode: if practice { Mode::Practice } else { Mode::Live },
            active_channel: if practice {
                PRACTICE_CHANNEL.to_owned()
            } else {
                settings.active_channel.clone()
            },
            channels,
            keychain,
            practice_numbers: Practice::magic_numbers()
                .iter()
                .map(|&(number, description)| PracticeNumber {
                    number,
                    description,
                })
                .collect(),
        })
    }

    /// Adds a live channel with its key (pasted; optional) and server address. Returns its id.
    pub async fn add_channel(
        &self,
        name: &str,
        pasted_key: &str,
        base_url: &str,
    ) -> Result<String> {
        let key = match pasted_key.trim() {
            "" => None,
            _ => Some(ApiKey::new(pasted_key)?),
        };
        let (name, base_url) = (name.to_owned(), base_url.to_owned());
        let has_key = key.is_some();
        let id = self
            .edit_settings(move |s| Ok((s.add_channel(&name, &base_url)?, true)))
            .await?;
        if let Some(key) = key {
            let filed = id.clone();
            if let Err(error) = self.with_keys(move |keys| keys.set(&filed, &key)).await {
                // A channel without the key it was added with would only confuse.
                let gone = id.clone();
                let _ = self
                    .edit_settings(move |s| Ok((s.remove_channel(&gone).is_ok(), true)))
                    .await;
                log::warn!(
                    "channel {id} not added: its key could not be saved ({})",
                    UserError::from(&error).code
                );
                return Err(error);
            }
        }
        log::info!(
            "channel {id} added{}",
            if has_key { " with a key" } else { "" }
        );
        Ok(id)
    }

    pub async fn rename_channel(&self, id: &str, name: &str) -> Result<()> {
        let (filed, name) = (id.to_owned(), name.to_owned());
        self.edit_settings(move |s| Ok((s.rename_channel(&filed, &name)?, true)))
            .await?;
        log::info!("channel {id} renamed");
        Ok(())
    }

    /// Removes a live channel and its key.
    pub async fn remove_channel(&self, id: &str) -> Result<()> {
        self.live_channel(id).await?;
        let filed = id.to_owned();
        self.with_keys(move |keys| keys.delete(&filed)).await?;
        let gone = id.to_owned();
        self.edit_settings(move |s| Ok((s.remove_channel(&gone).map(drop)?, true)))
            .await?;
        log::info!("channel {id} removed, with its key");
        Ok(())
    }

    /// Picks the channel New message sends on.
    pub async fn set_active_channel(&self, id: &str) -> Result<()> {
        let active = id.to_owned();
        self.edit_settings(move |s| Ok((s.set_active_channel(&active)?, true)))
            .await?;
        log::info!("channel {id} made active");
        Ok(())
    }

    /// Stores (or replaces) a channel's key, as pasted; a replaced key has no known problem.
    pub async fn set_channel_key(&self, id: &str, pasted: &str) -> Result<()> {
        let key = ApiKey::new(pasted)?;
        self.live_channel(id).await?;
        let filed = id.to_owned();
        self.with_keys(move |keys| keys.set(&filed, &key)).await?;
        let edited = id.to_owned();
        self.edit_settings(move |s| {
            s.channel_mut(&edited)?.key_problem = KeyProblem::None;
            Ok(((), true))
        })
        .await?;
        log::info!("channel {id}: key saved");
        Ok(())
    }

    /// The first run's "paste your key": stored on the first live channel, made if there is
    /// none ("Main number"), and that channel becomes active.
    pub async fn set_main_key(&self, pasted: &str) -> Result<()> {
        ApiKey::new(pasted)?;
        let first = self
            .settings()
            .await?
            .channels
            .first()
            .map(|c| c.id.clone());
        let id = match first {
            Some(id) => id,
            None => self.add_channel(MIGRATED_CHANNEL_NAME, "", "").await?,
        };
        self.set_channel_key(&id, pasted).await?;
        self.set_active_channel(&id).await
    }

    /// "Test this key": a harmless request with the channel's key to its server; the verdict
    /// is remembered on the channel (on the settings as they are then).
    pub async fn test_channel_key(&self, id: &str) -> Result<KeyTest> {
        let channel = self.live_channel(id).await?;
        let key = self.key_for(&channel.id, &channel.name).await?;
        let check: KeyCheck = Client::new(channel.address(), &key)?.check_key().await;
        let test = KeyTest::from(check);
        let verdict = match &test {
            KeyTest::Valid => "valid",
            KeyTest::Invalid => "invalid",
            KeyTest::Deprecated => "deprecated",
            KeyTest::Unknown { .. } => "unknown",
        };
        log::info!("channel {id}: key tested, {verdict}");
        let (id, recorded) = (id.to_owned(), test.clone());
        self.edit_settings(move |s| Ok((s.record_key_test(&id, &recorded)?, true)))
            .await?;
        Ok(test)
    }

    /// Saves the Sending card (the default country, checked); returns the settings as saved.
    pub async fn save_sending(&self, sending: SendingSettings) -> Result<Settings> {
        self.edit_settings(move |s| {
            *s = s.clone().with_sending(sending)?;
            Ok((s.clone(), true))
        })
        .await
    }

    /// Adds a teammate by name and Intercom id; returns the settings as saved.
    pub async fn add_teammate(&self, name: &str, id: &str) -> Result<Settings> {
        let (name, id) = (name.to_owned(), id.to_owned());
        self.edit_settings(move |s| {
            s.add_teammate(&name, &id)?;
            Ok((s.clone(), true))
        })
        .await
    }

    pub async fn remove_teammate(&self, id: &str) -> Result<Settings> {
        let id = id.to_owned();
        self.edit_settings(move |s| {
            s.remove_teammate(&id)?;
            Ok((s.clone(), true))
        })
        .await
    }

    /// The teammate preselected in New message; `None` for the workspace's default sender.
    pub async fn set_default_teammate(&self, id: Option<&str>) -> Result<Settings> {
        let id = id.map(str::to_owned);
        self.edit_settings(move |s| {
            s.set_default_teammate(id.as_deref())?;
            Ok((s.clone(), true))
        })
        .await
    }

    /// A saved live channel (Practice and unknown ids are refused).
    async fn live_channel(&self, id: &str) -> Result<crate::channels::Channel> {
        let mut settings = self.settings().await?;
        settings.channel_mut(id).map(|c| c.clone())
    }

    /// A live channel's key; a clear error when none is saved.
    pub(crate) async fn key_for(&self, id: &str, name: &str) -> Result<ApiKey> {
        let filed = id.to_owned();
        self.with_keys(move |keys| keys.get(&filed))
            .await?
            .ok_or_else(|| Error::NoChannelKey(name.to_owned()))
    }

    /// Settings saved before channels existed, with a key in the keychain, get a channel
    /// "Main number" (id [`DEFAULT_CHANNEL`], where the key is filed) at the old address,
    /// made active as the key was. Done once, when the store is first opened after such
    /// settings were imported; a keychain that cannot be asked now is asked next time.
    pub(super) async fn move_legacy_key(&self, store: &std::sync::Arc<Store>) {
        let Ok(Some(legacy_url)) = store.config::<Option<String>>(keys::LEGACY_KEY_CHECK) else {
            return;
        };
        if self.keys().is_err() {
            return;
        }
        let Ok(has_key) = self.with_keys(|keys| keys.has(DEFAULT_CHANNEL)).await else {
            return;
        };
        let moved = crate::outbox::blocking(store, move |s| {
            s.edit_config(keys::SETTINGS, Settings::default, |settings| {
                settings.base_url = legacy_url;
                let changed = migrate_legacy(settings, has_key);
                Ok(((), changed))
            })?;
            s.remove_config(keys::LEGACY_KEY_CHECK)
        })
        .await;
        if let Err(error) = moved {
            log::warn!(
                "the saved key could not be moved onto a channel: {}",
                UserError::from(&error).code
            );
            crate::error::warn(format_args!(
                "could not move the saved key onto a channel: {error}"
            ));
        }
    }
}

/// The settings with the old single address made into the "Main number" channel when a key
/// was saved for it; `true` when they changed.
fn migrate_legacy(settings: &mut Settings, has_key: bool) -> bool {
    let legacy_url = settings.base_url.take();
    if !settings.channels.is_empty() || !has_key {
        return legacy_url.is_some();
    }
    settings.channels.push(crate::channels::Channel {
        id: DEFAULT_CHANNEL.to_owned(),
        name: MIGRATED_CHANNEL_NAME.to_owned(),
        base_url: crate::settings::tidy_base_url(legacy_url.as_deref().unwrap_or(""))
            .unwrap_or_default(),
        ..Default::default()
    });
    settings.active_channel = DEFAULT_CHANNEL.to_owned();
    true
}

/// Teammates by id, for the names the history keeps.
pub(crate) fn teammate_name(teammates: &[Teammate], id: Option<&str>) -> Option<String> {
    let id = id?;
    teammates
        .iter()
        .find(|t| t.id == id)
        .map(|t| t.name.clone())
}

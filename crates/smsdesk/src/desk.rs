//! The desk: one object a front end holds to send messages on the active channel, and to look
//! after the channels' keys in the keychain.
//!
//! Practice sends to the built-in practice server; a live channel sends to its server with its
//! own key. The desk changes the [`Settings`] it is given; the front end saves them.

use std::sync::Arc;

use octopods::{Client, KeyCheck};
use serde::{Deserialize, Serialize};
use tokio::sync::OnceCell;

use crate::channels::{
    KeyProblem, KeyTest, Workspace, COMMAND_LINE_CHANNEL, MIGRATED_CHANNEL_NAME, PRACTICE_CHANNEL,
};
use crate::draft::Draft;
use crate::error::{Error, Result, UserError};
use crate::history::tracking::{Due, PollPolicy, Polled};
use crate::history::{now_ms, History, NewMessage};
use crate::outbox::{self, blocking, RetryPolicy, SendReport, Tracking};
use crate::practice::Practice;
use crate::secrets::{ApiKey, KeyStore, DEFAULT_CHANNEL};
pub use crate::settings::Settings;

/// Which kind of channel messages go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Practice,
    Live,
}

/// A send's report, and where it went.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Sent {
    #[serde(flatten)]
    pub report: SendReport,
    pub mode: Mode,
    pub channel_id: String,
    pub channel_name: String,
    /// The message's row in the history.
    pub history_id: i64,
}

/// What the history keeps about where a message came from, beyond the draft.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SendContext {
    pub template_id: Option<String>,
    pub template_name: Option<String>,
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

pub struct Desk {
    /// The keychain, or why it could not be opened.
    keys: std::result::Result<KeyStore, String>,
    practice: OnceCell<Practice>,
    retry: RetryPolicy,
    poll: PollPolicy,
}

impl Desk {
    /// `keys` is the keychain, or why it could not be opened (Practice still works, and the
    /// reason is shown when a key is needed).
    pub fn new(keys: Result<KeyStore>) -> Self {
        Self {
            keys: keys.map_err(|e| match e {
                Error::KeychainUnavailable(reason) => reason,
                other => other.to_string(),
            }),
            practice: OnceCell::new(),
            retry: RetryPolicy::default(),
            poll: PollPolicy::default(),
        }
    }

    pub fn with_poll_policy(mut self, poll: PollPolicy) -> Self {
        self.poll = poll;
        self
    }

    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The keychain, or the error explaining why there is none.
    pub fn keys(&self) -> Result<KeyStore> {
        self.keys.clone().map_err(Error::KeychainUnavailable)
    }

    /// The practice server, started on first use.
    pub async fn practice(&self) -> Result<&Practice> {
        self.practice.get_or_try_init(Practice::start).await
    }

    /// Settings saved before channels existed, with a key in the keychain, get a channel
    /// "Main number" (id [`DEFAULT_CHANNEL`], where the key is filed) at the old address, made
    /// active as the key was. `true` when the settings changed. Blocks on the keychain.
    pub fn migrate(&self, settings: &mut Settings) -> bool {
        let legacy_url = settings.base_url.take();
        if !settings.channels.is_empty() {
            return legacy_url.is_some();
        }
        let has_key = self
            .keys()
            .and_then(|keys| keys.has(DEFAULT_CHANNEL))
            .unwrap_or(false);
        if !has_key {
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

    /// Adds a live channel with its key (pasted; optional) and server address. Blocks on the
    /// keychain. Returns the new channel's id.
    pub fn add_channel(
        &self,
        settings: &mut Settings,
        name: &str,
        pasted_key: &str,
        base_url: &str,
    ) -> Result<String> {
        let key = match pasted_key.trim() {
            "" => None,
            _ => Some(ApiKey::new(pasted_key)?),
        };
        let mut added = settings.clone();
        let id = added.add_channel(name, base_url)?;
        if let Some(key) = key {
            self.keys()?.set(&id, &key)?;
        }
        *settings = added;
        Ok(id)
    }

    /// Removes a live channel and its key. Blocks on the keychain.
    pub fn remove_channel(&self, settings: &mut Settings, id: &str) -> Result<()> {
        settings.channel_mut(id)?;
        self.keys()?.delete(id)?;
        settings.remove_channel(id)?;
        Ok(())
    }

    /// Stores (or replaces) a channel's key, as pasted; a replaced key has no known problem.
    /// Blocks on the keychain.
    pub fn set_key(&self, settings: &mut Settings, id: &str, pasted: &str) -> Result<()> {
        let key = ApiKey::new(pasted)?;
        settings.channel_mut(id)?;
        self.keys()?.set(id, &key)?;
        settings.channel_mut(id)?.key_problem = KeyProblem::None;
        Ok(())
    }

    /// Removes a channel's key (fine when there is none). Blocks on the keychain.
    pub fn delete_key(&self, settings: &mut Settings, id: &str) -> Result<()> {
        settings.channel_mut(id)?;
        self.keys()?.delete(id)?;
        settings.channel_mut(id)?.key_problem = KeyProblem::None;
        Ok(())
    }

    /// The key for the first run's "paste your key": stored on the first live channel, made
    /// if there is none ("Main number"), and that channel becomes active. Blocks on the keychain.
    pub fn set_main_key(&self, settings: &mut Settings, pasted: &str) -> Result<()> {
        let id = match settings.channels.first() {
            Some(channel) => channel.id.clone(),
            None => self.add_channel(settings, MIGRATED_CHANNEL_NAME, "", "")?,
        };
        self.set_key(settings, &id, pasted)?;
        settings.set_active_channel(&id)
    }

    /// The channels and their keys' state, the active one, any keychain problem and the
    /// practice numbers. Blocks on the keychain.
    pub fn status(&self, settings: &Settings) -> DeskStatus {
        let mut keychain = self.keys().err().map(|e| UserError::from(&e));
        let mut channels = vec![ChannelStatus {
            id: PRACTICE_CHANNEL.to_owned(),
            name: "Practice".to_owned(),
            practice: true,
            base_url: String::new(),
            has_key: Some(true),
            key_problem: KeyProblem::None,
            workspace: Workspace::Intercom,
        }];
        for channel in &settings.channels {
            let has_key = match self.keys().and_then(|keys| keys.has(&channel.id)) {
                Ok(has) => Some(has),
                Err(e) => {
                    keychain.get_or_insert_with(|| UserError::from(&e));
                    None
                }
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
        DeskStatus {
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
        }
    }

    /// A live channel's key, read off the async runtime; a clear error when none is saved.
    async fn key_for(&self, settings: &Settings, id: &str) -> Result<ApiKey> {
        let name = settings
            .channel(id)
            .map(|c| c.name.clone())
            .ok_or_else(|| Error::ChannelNotFound(id.to_owned()))?;
        let keys = self.keys()?;
        let owned = id.to_owned();
        tokio::task::spawn_blocking(move || keys.get(&owned))
            .await
            .map_err(|e| Error::Keychain(e.to_string()))??
            .ok_or(Error::NoChannelKey(name))
    }

    /// "Test this key": a harmless request with the channel's key to its server; the verdict is
    /// remembered on the channel (a problem set or cleared).
    pub async fn test_key(&self, settings: &mut Settings, id: &str) -> Result<KeyTest> {
        let channel = settings.channel_mut(id)?.clone();
        let key = self.key_for(settings, id).await?;
        let check: KeyCheck = Client::new(channel.address(), &key)?.check_key().await;
        let test = KeyTest::from(check);
        settings.record_key_test(id, &test)?;
        Ok(test)
    }

    /// Checks the draft (no request for bad input), refuses a number on the do-not-text list,
    /// then sends it on the active channel, recording it in `history` before the request.
    /// What the answer shows about the channel is remembered with [`Settings::learn_from`].
    pub async fn send(
        &self,
        history: &Arc<History>,
        draft: &Draft,
        settings: &Settings,
        context: &SendContext,
    ) -> Result<Sent> {
        let mut prepared = draft.prepare(settings.country())?;
        let channel = settings.channel(&settings.active_channel);
        let hubspot = channel.is_some_and(|c| c.workspace == Workspace::Hubspot);
        if hubspot {
            // HubSpot workspaces send from their default sender.
            prepared.request.intercom_teammate_id = None;
        }
        let (mode, channel_id, channel_name) = match channel {
            None => (
                Mode::Practice,
                PRACTICE_CHANNEL.to_owned(),
                "Practice".to_owned(),
            ),
            Some(c) => (Mode::Live, c.id.clone(), c.name.clone()),
        };
        let teammate_id = prepared.request.intercom_teammate_id.clone();
        let message = NewMessage {
            to: prepared.request.destination_phone.clone(),
            name: prepared
                .request
                .destination_user_name
                .clone()
                .unwrap_or_default(),
            body: prepared.request.body.clone(),
            channel_id: channel_id.clone(),
            channel_name: channel_name.clone(),
            practice: mode == Mode::Practice,
            workspace: if hubspot { "hubspot" } else { "intercom" }.to_owned(),
            teammate_name: teammate_id.as_deref().and_then(|id| {
                settings
                    .teammates
                    .iter()
                    .find(|t| t.id == id)
                    .map(|t| t.name.clone())
            }),
            teammate_id,
            template_id: context.template_id.clone(),
            template_name: context.template_name.clone(),
            open_conversation: prepared.request.open_intercom_conversation,
        };
        let client = match channel {
            None => self.practice().await?.client()?,
            Some(c) => {
                // A missing key refuses the send before anything is recorded as attempted.
                let key = self.key_for(settings, &c.id).await?;
                Client::new(c.address(), &key)?
            }
        };
        let tracking = Tracking {
            available: !hubspot,
            first_poll: self.poll.first,
        };
        let (report, history_id) =
            outbox::send_recorded(history, &client, &prepared, message, &self.retry, tracking)
                .await?;
        Ok(Sent {
            report,
            mode,
            channel_id,
            channel_name,
            history_id,
        })
    }

    /// Asks about the delivery of every tracked message that is due, on its channel; records
    /// each answer. Returns how many were asked about.
    pub async fn poll_deliveries(
        &self,
        history: &Arc<History>,
        settings: &Settings,
    ) -> Result<usize> {
        let due = blocking(history, |h| h.due_for_polling(now_ms(), 25)).await?;
        let count = due.len();
        for message in due {
            self.poll_one(history, settings, message).await?;
        }
        Ok(count)
    }

    async fn poll_one(&self, history: &Arc<History>, settings: &Settings, due: Due) -> Result<()> {
        let client = if due.practice {
            let practice = self.practice().await?;
            if due.created_at < practice.started_at() {
                let id = due.id;
                return blocking(history, move |h| h.stop_tracking(id, PRACTICE_RESTARTED)).await;
            }
            practice.client()?
        } else {
            let Some(channel) = settings.channel(&due.channel_id) else {
                let id = due.id;
                let why = if due.channel_id == COMMAND_LINE_CHANNEL {
                    COMMAND_LINE_KEY
                } else {
                    CHANNEL_GONE
                };
                return blocking(history, move |h| h.stop_tracking(id, why)).await;
            };
            match self.key_for(settings, &channel.id).await {
                Ok(key) => Client::new(channel.address(), &key)?,
                Err(error) => {
                    // No key (or a locked keychain) for now: try again later, as for a
                    // network failure.
                    let failure = octopods::StatusError::Unavailable {
                        http_status: None,
                        reason: error.to_string(),
                    };
                    let policy = self.poll;
                    return blocking(history, move |h| {
                        h.record_poll(&due, Polled::Failed(&failure), &policy, now_ms())
                    })
                    .await;
                }
            }
        };
        let answer = client.status(&due.message_id).await;
        let policy = self.poll;
        blocking(history, move |h| {
            let polled = match &answer {
                Ok(report) => Polled::Report(report),
                Err(error) => Polled::Failed(error),
            };
            h.record_poll(&due, polled, &policy, now_ms())
        })
        .await
    }
}

const PRACTICE_RESTARTED: &str = "practice messages are tracked only while SMS Desk stays open";
const CHANNEL_GONE: &str = "its channel was removed from Settings";
const COMMAND_LINE_KEY: &str =
    "it was sent from the command line with its own key (check it with: smsdesk status MESSAGE_ID)";

//! The desk: one object a front end holds to send messages, whichever channel is active.
//!
//! With no API key stored, the desk is in Practice mode and sends to the built-in practice
//! server; with a key, it sends to Octopods at the configured address.

use octopods::{ApiKey, Client, KeyCheck, DEFAULT_BASE_URL};
use serde::{Deserialize, Serialize};
use tokio::sync::OnceCell;

use crate::draft::Draft;
use crate::error::{Error, Result, UserError};
use crate::outbox::{self, RetryPolicy, SendReport, TokioSleeper};
use crate::phone::Country;
use crate::practice::Practice;
use crate::secrets::{KeyStore, DEFAULT_CHANNEL};

/// The person's settings (kept by the front end; checked here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// Two-letter country for numbers typed without `+`.
    pub default_country: Option<String>,
    /// Octopods' address for the live channel.
    pub base_url: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            default_country: None,
            base_url: DEFAULT_BASE_URL.to_owned(),
        }
    }
}

impl Settings {
    /// Checks and tidies the settings: a known country, a usable server address.
    pub fn validated(mut self) -> Result<Self> {
        self.default_country = match self.default_country.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(code) => Some(Country::parse(code)?.code()),
        };
        let base = self.base_url.trim();
        self.base_url = if base.is_empty() {
            DEFAULT_BASE_URL.to_owned()
        } else {
            // Building a client checks the address the same way a send will.
            let probe = octopods::ApiKey::new("probe")?;
            Client::new(base, &probe)?;
            base.trim_end_matches('/').to_owned()
        };
        Ok(self)
    }

    pub fn country(&self) -> Option<Country> {
        self.default_country
            .as_deref()
            .and_then(|c| Country::parse(c).ok())
    }
}

/// Which channel messages go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Practice,
    Live,
}

/// A send's report, and where it went.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sent {
    #[serde(flatten)]
    pub report: SendReport,
    pub mode: Mode,
}

/// Which channel is active and whether keys can be stored, for the front end's banner.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeskStatus {
    pub mode: Mode,
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
}

impl Desk {
    /// `keys` is the keychain, or why it could not be opened (the desk then works in
    /// Practice mode and says so when a key is needed).
    pub fn new(keys: Result<KeyStore>) -> Self {
        Self {
            keys: keys.map_err(|e| match e {
                Error::KeychainUnavailable(reason) => reason,
                other => other.to_string(),
            }),
            practice: OnceCell::new(),
            retry: RetryPolicy::default(),
        }
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

    /// Stores (or replaces) the channel's key, as pasted. Blocks on the keychain.
    pub fn set_key(&self, pasted: &str) -> Result<()> {
        let key = ApiKey::new(pasted)?;
        self.keys()?.set(DEFAULT_CHANNEL, &key)
    }

    /// Whether the channel has a key. Blocks on the keychain.
    pub fn has_key(&self) -> Result<bool> {
        self.keys()?.has(DEFAULT_CHANNEL)
    }

    /// Removes the channel's key (fine when there is none). Blocks on the keychain.
    pub fn delete_key(&self) -> Result<()> {
        self.keys()?.delete(DEFAULT_CHANNEL)
    }

    /// The active mode, any keychain problem, and the practice numbers. Blocks on the keychain.
    pub fn status(&self) -> DeskStatus {
        let (mode, keychain) = match self.has_key() {
            Ok(true) => (Mode::Live, None),
            Ok(false) => (Mode::Practice, None),
            Err(e) => (Mode::Practice, Some(UserError::from(&e))),
        };
        DeskStatus {
            mode,
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

    /// "Test this key": a harmless request with the stored key to the configured server.
    pub async fn check_key(&self, settings: &Settings) -> Result<KeyCheck> {
        let keys = self.keys()?;
        let key = tokio::task::spawn_blocking(move || keys.get(DEFAULT_CHANNEL))
            .await
            .map_err(|e| Error::Keychain(e.to_string()))??
            .ok_or(Error::NoApiKey)?;
        Ok(Client::new(&settings.base_url, &key)?.check_key().await)
    }

    /// Checks the draft (no request for bad input), then sends it on the active channel.
    pub async fn send(&self, draft: &Draft, settings: &Settings) -> Result<Sent> {
        let prepared = draft.prepare(settings.country())?;
        let stored_key = match self.keys.clone() {
            Ok(keys) => tokio::task::spawn_blocking(move || keys.get(DEFAULT_CHANNEL))
                .await
                .map_err(|e| Error::Keychain(e.to_string()))??,
            Err(_) => None,
        };
        let (client, mode) = match stored_key {
            Some(key) => (Client::new(&settings.base_url, &key)?, Mode::Live),
            None => (self.practice().await?.client()?, Mode::Practice),
        };
        let report = outbox::send(&client, &prepared.request, &self.retry, &TokioSleeper).await;
        Ok(Sent { report, mode })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked_and_tidied() {
        let s = Settings {
            default_country: Some(" ie ".into()),
            base_url: " https://app.octopods.io/ ".into(),
        }
        .validated()
        .expect("valid settings");
        assert_eq!(s.default_country.as_deref(), Some("IE"));
        assert_eq!(s.base_url, "https://app.octopods.io");
        let bad = Settings {
            base_url: "http://example.com".into(),
            ..Settings::default()
        };
        assert!(matches!(
            bad.validated(),
            Err(Error::Client(octopods::Error::InsecureBaseUrl))
        ));
        let unknown = Settings {
            default_country: Some("XX".into()),
            ..Settings::default()
        };
        assert!(matches!(unknown.validated(), Err(Error::UnknownCountry(_))));
    }
}

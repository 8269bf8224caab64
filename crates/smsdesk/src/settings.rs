//! The person's settings, kept in the store and checked here: the default country, the
//! channels (without their keys, [`channel_list`]), the active channel, and the Intercom
//! teammates ([`teammate_list`]).

mod channel_list;
mod teammate_list;

use octopods::DEFAULT_BASE_URL;
use serde::{Deserialize, Serialize};

use crate::channels::{Channel, PRACTICE_CHANNEL};
use crate::error::Result;
use crate::phone::Country;
use crate::teammates::Teammate;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// Two-letter country for numbers typed without `+`.
    pub default_country: Option<String>,
    /// The live channels (Practice is not stored: it is always there).
    pub channels: Vec<Channel>,
    /// The channel Compose sends on: [`PRACTICE_CHANNEL`] or one of `channels`.
    pub active_channel: String,
    pub teammates: Vec<Teammate>,
    /// The teammate preselected in Compose; `None`: the workspace's default sender.
    pub default_teammate: Option<String>,
    /// The single server address of settings saved before channels existed; read for the
    /// migration only, never written.
    #[serde(skip_serializing)]
    pub base_url: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            default_country: None,
            channels: Vec::new(),
            active_channel: PRACTICE_CHANNEL.to_owned(),
            teammates: Vec::new(),
            default_teammate: None,
            base_url: None,
        }
    }
}

/// What the Sending card saves; anything else sent along is ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SendingSettings {
    pub default_country: Option<String>,
}

impl Settings {
    /// The live channel a command line send goes to: the active one, else the first one.
    pub fn sending_channel(&self) -> Option<&Channel> {
        self.channel(&self.active_channel)
            .or_else(|| self.channels.first())
    }

    /// Checks and tidies the settings: a known country, an active channel that exists.
    pub fn validated(mut self) -> Result<Self> {
        self.default_country = match self.default_country.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(code) => Some(Country::parse(code)?.code()),
        };
        if self.channel(&self.active_channel).is_none() {
            self.active_channel = PRACTICE_CHANNEL.to_owned();
        }
        Ok(self)
    }

    /// These settings with the Sending card's values applied, checked.
    pub fn with_sending(mut self, sending: SendingSettings) -> Result<Self> {
        self.default_country = sending.default_country;
        self.validated()
    }

    pub fn country(&self) -> Option<Country> {
        self.default_country
            .as_deref()
            .and_then(|c| Country::parse(c).ok())
    }
}

/// A server address as typed: empty means Octopods' own; otherwise it must be a usable https
/// (or loopback http) address. Returned without a trailing `/`.
pub fn tidy_base_url(typed: &str) -> Result<String> {
    let base = typed.trim();
    if base.is_empty() {
        return Ok(DEFAULT_BASE_URL.to_owned());
    }
    // Building a client checks the address the same way a send will.
    let probe = octopods::ApiKey::new("probe")?;
    octopods::Client::new(base, &probe)?;
    Ok(base.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn settings_are_checked_and_tidied() {
        let s = Settings {
            default_country: Some(" ie ".into()),
            active_channel: "gone".into(),
            ..Settings::default()
        }
        .validated()
        .expect("valid settings");
        assert_eq!(s.default_country.as_deref(), Some("IE"));
        assert_eq!(
            s.active_channel, PRACTICE_CHANNEL,
            "a missing channel falls back to Practice"
        );
        let unknown = Settings {
            default_country: Some("XX".into()),
            ..Settings::default()
        };
        assert!(matches!(unknown.validated(), Err(Error::UnknownCountry(_))));
    }

    #[test]
    fn server_addresses_are_checked_and_tidied() {
        assert_eq!(
            tidy_base_url(" https://app.octopods.io/ ").expect("ok"),
            "https://app.octopods.io"
        );
        assert_eq!(tidy_base_url("  ").expect("ok"), DEFAULT_BASE_URL);
        assert!(matches!(
            tidy_base_url("http://example.com"),
            Err(Error::Client(octopods::Error::InsecureBaseUrl))
        ));
    }

    #[test]
    fn the_sending_card_changes_only_the_country() {
        let before = Settings {
            active_channel: PRACTICE_CHANNEL.into(),
            teammates: vec![Teammate {
                id: "814860".into(),
                name: "Ann".into(),
            }],
            ..Settings::default()
        };
        let update: SendingSettings =
            serde_json::from_value(serde_json::json!({"defaultCountry": "GB", "baseUrl": "x"}))
                .expect("extra fields are ignored");
        let after = before.clone().with_sending(update).expect("saved");
        assert_eq!(after.default_country.as_deref(), Some("GB"));
        assert_eq!(after.teammates, before.teammates);
    }
}

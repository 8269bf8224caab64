//! The person's settings, kept by the front end (`settings.json`) and checked here: the default
//! country, the channels (without their keys), the active channel, and the Intercom teammates.

use octopods::DEFAULT_BASE_URL;
use serde::{Deserialize, Serialize};

use crate::channels::{Channel, PRACTICE_CHANNEL};
use crate::error::Result;
use crate::phone::Country;
use crate::teammates::Teammate;

/// The app's settings file in the data folder (a tauri-plugin-store JSON object).
pub const SETTINGS_FILE: &str = "settings.json";
/// The entry of [`SETTINGS_FILE`] that holds [`Settings`].
pub const SETTINGS_ENTRY: &str = "settings";

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
    /// The settings the app saved in `data_dir`, read without Tauri (the command line).
    /// `None` when there is no file or it cannot be read as settings.
    pub fn read_saved(data_dir: &std::path::Path) -> Option<Settings> {
        let text = std::fs::read_to_string(data_dir.join(SETTINGS_FILE)).ok()?;
        let file: serde_json::Value = serde_json::from_str(&text).ok()?;
        serde_json::from_value(file.get(SETTINGS_ENTRY)?.clone()).ok()
    }

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

#[cfg(test)]
mod saved_tests {
    use super::*;

    #[test]
    fn the_command_line_reads_the_apps_channel() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert_eq!(Settings::read_saved(dir.path()), None, "no file yet");
        std::fs::write(dir.path().join(SETTINGS_FILE), "not json").expect("write");
        assert_eq!(
            Settings::read_saved(dir.path()),
            None,
            "a broken file is ignored"
        );
        let file = serde_json::json!({"settings": {
            "channels": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
            "activeChannel": "b"
        }});
        std::fs::write(dir.path().join(SETTINGS_FILE), file.to_string()).expect("write");
        let saved = Settings::read_saved(dir.path()).expect("readable");
        assert_eq!(saved.sending_channel().map(|c| c.id.as_str()), Some("b"));
        let practising = Settings {
            active_channel: PRACTICE_CHANNEL.into(),
            ..saved
        };
        assert_eq!(
            practising.sending_channel().map(|c| c.id.as_str()),
            Some("a"),
            "while the app practises, the CLI uses the first live channel"
        );
        assert_eq!(Settings::default().sending_channel(), None);
    }
}

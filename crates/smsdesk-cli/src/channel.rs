//! The channel a command talks to: its address and key, from flags, environment, the app's
//! saved channel, or the keychain; and the name the history files its messages under.

use octopods::{ApiKey, Client, DEFAULT_BASE_URL};
use smsdesk::channels::{Channel, Workspace, MIGRATED_CHANNEL_NAME};
use smsdesk::desk::Settings;
use smsdesk::secrets::{KeyStore, DEFAULT_CHANNEL};

use crate::args::ServerArgs;
use crate::error::Result;

pub const KEY_ENV: &str = "OCTOPODS_API_KEY";
pub const BASE_URL_ENV: &str = "OCTOPODS_BASE_URL";

/// The history's channel for messages sent with a key from [`KEY_ENV`].
pub use smsdesk::channels::COMMAND_LINE_CHANNEL;
pub const COMMAND_LINE_CHANNEL_NAME: &str = "Command line (OCTOPODS_API_KEY)";

/// Where a command sends, and under which channel its messages are recorded.
#[derive(Debug)]
pub struct Target {
    pub client: Client,
    pub channel_id: String,
    pub channel_name: String,
    /// The app learned that this channel's workspace is HubSpot (no delivery tracking).
    pub hubspot: bool,
    /// The app's saved settings, if any (teammate names).
    pub settings: Option<Settings>,
}

/// The app's saved settings, if it has saved any.
pub fn app_settings() -> Option<Settings> {
    let dir = smsdesk::paths::data_dir()?;
    Settings::read_saved(&dir)
}

/// `--base-url`, else `OCTOPODS_BASE_URL`, else the app's channel's address, else Octopods'.
fn base_url(server: &ServerArgs, channel: Option<&Channel>) -> String {
    server
        .base_url
        .clone()
        .or_else(|| {
            std::env::var(BASE_URL_ENV)
                .ok()
                .filter(|u| !u.trim().is_empty())
        })
        .or_else(|| channel.map(|c| c.address().to_owned()))
        .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned())
}

/// Where the key came from.
enum KeySource {
    Env,
    /// The keychain entry of the app's channel (or, from before channels existed, its single
    /// key, filed under [`DEFAULT_CHANNEL`]).
    Keychain,
}

/// `OCTOPODS_API_KEY`, else the key the app saved in the keychain for its channel (or, from
/// before channels existed, its single key).
fn api_key(channel: Option<&Channel>) -> Result<(ApiKey, KeySource)> {
    if let Ok(text) = std::env::var(KEY_ENV) {
        if !text.trim().is_empty() {
            let key = ApiKey::new(&text).map_err(smsdesk::Error::from)?;
            return Ok((key, KeySource::Env));
        }
    }
    let entry = channel.map_or(DEFAULT_CHANNEL, |c| c.id.as_str());
    let key = KeyStore::from_env()?
        .get(entry)?
        .ok_or(smsdesk::Error::NoApiKey)?;
    Ok((key, KeySource::Keychain))
}

pub fn target(server: &ServerArgs) -> Result<Target> {
    let settings = app_settings();
    let channel = settings.as_ref().and_then(Settings::sending_channel);
    let (key, source) = api_key(channel)?;
    let client = Client::new(&base_url(server, channel), &key).map_err(smsdesk::Error::from)?;
    let (channel_id, channel_name, hubspot) = match (source, channel) {
        (KeySource::Env, _) => (
            COMMAND_LINE_CHANNEL.to_owned(),
            COMMAND_LINE_CHANNEL_NAME.to_owned(),
            false,
        ),
        (KeySource::Keychain, Some(c)) => (
            c.id.clone(),
            c.name.clone(),
            c.workspace == Workspace::Hubspot,
        ),
        // The app files this key under the channel it makes from it on its next start.
        (KeySource::Keychain, None) => (
            DEFAULT_CHANNEL.to_owned(),
            MIGRATED_CHANNEL_NAME.to_owned(),
            false,
        ),
    };
    Ok(Target {
        client,
        channel_id,
        channel_name,
        hubspot,
        settings,
    })
}

pub fn client(server: &ServerArgs) -> Result<Client> {
    Ok(target(server)?.client)
}

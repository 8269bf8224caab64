//! The channel a command talks to: its address and key, from flags, environment, the app's
//! saved channel, or the keychain.

use octopods::{ApiKey, Client, DEFAULT_BASE_URL};
use smsdesk::channels::Channel;
use smsdesk::desk::Settings;
use smsdesk::secrets::{KeyStore, DEFAULT_CHANNEL};

use crate::args::ServerArgs;
use crate::error::Result;

pub const KEY_ENV: &str = "OCTOPODS_API_KEY";
pub const BASE_URL_ENV: &str = "OCTOPODS_BASE_URL";

/// The channel the app sends on (its active live channel, else its first one), if any.
fn app_channel() -> Option<Channel> {
    let dir = smsdesk::paths::data_dir()?;
    Settings::read_saved(&dir)?.sending_channel().cloned()
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

/// `OCTOPODS_API_KEY`, else the key the app saved in the keychain for its channel (or, from
/// before channels existed, its single key).
fn api_key(channel: Option<&Channel>) -> Result<ApiKey> {
    if let Ok(text) = std::env::var(KEY_ENV) {
        if !text.trim().is_empty() {
            return Ok(ApiKey::new(&text).map_err(smsdesk::Error::from)?);
        }
    }
    let entry = channel.map_or(DEFAULT_CHANNEL, |c| c.id.as_str());
    KeyStore::from_env()?
        .get(entry)?
        .ok_or_else(|| smsdesk::Error::NoApiKey.into())
}

pub fn client(server: &ServerArgs) -> Result<Client> {
    let channel = app_channel();
    let key = api_key(channel.as_ref())?;
    Ok(Client::new(&base_url(server, channel.as_ref()), &key).map_err(smsdesk::Error::from)?)
}

//! The channel a command talks to: its address and key, from flags, environment or keychain.

use octopods::{ApiKey, Client, DEFAULT_BASE_URL};
use smsdesk::secrets::{KeyStore, DEFAULT_CHANNEL};

use crate::args::ServerArgs;
use crate::error::Result;

pub const KEY_ENV: &str = "OCTOPODS_API_KEY";
pub const BASE_URL_ENV: &str = "OCTOPODS_BASE_URL";

/// `--base-url`, else `OCTOPODS_BASE_URL`, else Octopods' production address.
fn base_url(server: &ServerArgs) -> String {
    server
        .base_url
        .clone()
        .or_else(|| {
            std::env::var(BASE_URL_ENV)
                .ok()
                .filter(|u| !u.trim().is_empty())
        })
        .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned())
}

/// `OCTOPODS_API_KEY`, else the key the app saved in the system keychain.
fn api_key() -> Result<ApiKey> {
    if let Ok(text) = std::env::var(KEY_ENV) {
        if !text.trim().is_empty() {
            return Ok(ApiKey::new(&text).map_err(smsdesk::Error::from)?);
        }
    }
    KeyStore::from_env()?
        .get(DEFAULT_CHANNEL)?
        .ok_or_else(|| smsdesk::Error::NoApiKey.into())
}

pub fn client(server: &ServerArgs) -> Result<Client> {
    let key = api_key()?;
    Ok(Client::new(&base_url(server), &key).map_err(smsdesk::Error::from)?)
}

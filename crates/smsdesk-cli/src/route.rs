//! Which channel a command talks to, from its flags and the environment; the desk does the rest
//! (the saved channel, its key in the keychain, the built-in practice server).

use octopods::{ApiKey, DEFAULT_BASE_URL};
use smsdesk::desk::{Desk, Via};

use crate::args::ServerArgs;
use crate::error::Result;

pub const KEY_ENV: &str = "OCTOPODS_API_KEY";
pub const BASE_URL_ENV: &str = "OCTOPODS_BASE_URL";

/// An environment variable's value, unless it is unset or blank.
fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// `--practice`: the built-in practice server. Else `OCTOPODS_API_KEY` at `--base-url`, else
/// `OCTOPODS_BASE_URL`, else the saved sending channel's address, else Octopods'. Else the saved
/// sending channel (its key from the keychain), at `--base-url` or `OCTOPODS_BASE_URL` when
/// given. Never Practice unless asked: no channel is [`smsdesk::Error::NoChannel`].
/// The key in `OCTOPODS_API_KEY`, checked, if any.
pub fn env_key() -> Result<Option<ApiKey>> {
    env(KEY_ENV)
        .map(|text| ApiKey::new(&text).map_err(smsdesk::Error::from))
        .transpose()
        .map_err(Into::into)
}

pub async fn via(desk: &Desk, server: &ServerArgs, practice: bool) -> Result<Via> {
    if practice {
        return Ok(Via::Practice);
    }
    let base_url = server.base_url.clone().or_else(|| env(BASE_URL_ENV));
    let Some(text) = env(KEY_ENV) else {
        return Ok(Via::SavedChannel { base_url });
    };
    let key = ApiKey::new(&text).map_err(smsdesk::Error::from)?;
    let base_url = match base_url {
        Some(url) => url,
        None => match desk.settings().await?.sending_channel() {
            Some(channel) => channel.address().to_owned(),
            None => DEFAULT_BASE_URL.to_owned(),
        },
    };
    Ok(Via::Key { key, base_url })
}

//! API keys in the operating system's keychain, one entry per channel.
//!
//! The store is chosen explicitly (never a process-wide default), so tests and the end-to-end
//! runs use an in-memory store and never touch a person's real keychain.

use std::sync::Arc;

use keyring_core::{CredentialStore, Entry};
pub use octopods::ApiKey;

use crate::error::{Error, Result};

/// The keychain "service" under which SMS Desk files its keys.
pub const KEYCHAIN_SERVICE: &str = "app.smsdesk.desktop";
/// The channel used until several channels exist: the workspace's one SMS number.
pub const DEFAULT_CHANNEL: &str = "default";
/// Set to `memory` to keep keys in memory only (tests, demos, portable runs).
pub const KEYSTORE_ENV: &str = "SMSDESK_KEYSTORE";

/// Where API keys live.
#[derive(Clone)]
pub struct KeyStore {
    store: Arc<CredentialStore>,
    in_memory: bool,
}

impl std::fmt::Debug for KeyStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyStore")
            .field("in_memory", &self.in_memory)
            .finish()
    }
}

impl KeyStore {
    /// The system keychain, or memory when `SMSDESK_KEYSTORE=memory`.
    pub fn from_env() -> Result<Self> {
        match std::env::var(KEYSTORE_ENV).as_deref() {
            Ok("memory") => Self::in_memory(),
            _ => Self::system(),
        }
    }

    /// The operating system's keychain: Secret Service on Linux, Keychain on macOS, Credential
    /// Manager on Windows.
    pub fn system() -> Result<Self> {
        let store = platform_store().map_err(|e| Error::KeychainUnavailable(e.to_string()))?;
        Ok(Self {
            store,
            in_memory: false,
        })
    }

    /// Keys kept in this process's memory only.
    pub fn in_memory() -> Result<Self> {
        let store: Arc<CredentialStore> = keyring_core::mock::Store::new()
            .map_err(|e| Error::KeychainUnavailable(e.to_string()))?;
        Ok(Self {
            store,
            in_memory: true,
        })
    }

    pub fn is_in_memory(&self) -> bool {
        self.in_memory
    }

    /// Where the keys are, in words (About, diagnostics).
    pub fn describe(&self) -> &'static str {
        if self.in_memory {
            "memory only (keys are forgotten when SMS Desk closes)"
        } else if cfg!(target_os = "macos") {
            "macOS Keychain"
        } else if cfg!(windows) {
            "Windows Credential Manager"
        } else {
            "Secret Service (GNOME Keyring or KWallet)"
        }
    }

    /// The channel's key; `None` when none is stored.
    pub fn get(&self, channel: &str) -> Result<Option<ApiKey>> {
        match self.entry(channel)?.get_password() {
            Ok(text) => Ok(ApiKey::new(&text).ok()),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_err(e)),
        }
    }

    pub fn has(&self, channel: &str) -> Result<bool> {
        Ok(self.get(channel)?.is_some())
    }

    /// Stores or replaces the channel's key.
    pub fn set(&self, channel: &str, key: &ApiKey) -> Result<()> {
        self.entry(channel)?
            .set_password(key.expose_secret())
            .map_err(map_err)
    }

    /// A secret that is no API key (the team server's password), under `name`.
    pub fn get_secret(&self, name: &str) -> Result<Option<String>> {
        match self.entry(name)?.get_password() {
            Ok(text) => Ok(Some(text)),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_err(e)),
        }
    }

    pub fn set_secret(&self, name: &str, secret: &str) -> Result<()> {
        self.entry(name)?.set_password(secret).map_err(map_err)
    }

    /// Removes the channel's key; removing a key that is not there is fine.
    pub fn delete(&self, channel: &str) -> Result<()> {
        match self.entry(channel)?.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_err(e)),
        }
    }

    fn entry(&self, channel: &str) -> Result<Entry> {
        Entry::new_in_store(&self.store, KEYCHAIN_SERVICE, channel).map_err(map_err)
    }
}

/// Keychain errors, in words that never include the secret (keyring errors carry no secret
/// except `BadEncoding`/`BadDataFormat`, whose bytes are dropped here).
fn map_err(e: keyring_core::Error) -> Error {
    match e {
        keyring_core::Error::NoStorageAccess(inner) => {
            Error::Keychain(format!("it is locked or access was denied ({inner})"))
        }
        keyring_core::Error::PlatformFailure(inner) => {
            Error::KeychainUnavailable(inner.to_string())
        }
        keyring_core::Error::BadEncoding(_) | keyring_core::Error::BadDataFormat(_, _) => {
            Error::Keychain("the stored key is damaged; paste the key again".into())
        }
        keyring_core::Error::NoDefaultStore => {
            Error::KeychainUnavailable("no keychain is configured".into())
        }
        other => Error::Keychain(format!("{other:?}").chars().take(200).collect()),
    }
}

#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(zbus_secret_service_keyring_store::Store::new()?)
}

#[cfg(target_os = "macos")]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(apple_native_keyring_store::keychain::Store::new()?)
}

#[cfg(target_os = "windows")]
fn platform_store() -> keyring_core::Result<Arc<CredentialStore>> {
    Ok(windows_native_keyring_store::Store::new()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_get_replace_delete() {
        let store = KeyStore::in_memory().expect("mock store");
        assert!(
            !store.has("clinic").expect("has"),
            "a new store holds no key"
        );
        store
            .set("clinic", &ApiKey::new("first-key").expect("key"))
            .expect("set");
        store
            .set("clinic", &ApiKey::new("second-key").expect("key"))
            .expect("replace");
        let key = store.get("clinic").expect("get").expect("present");
        assert_eq!(key.expose_secret(), "second-key");
        assert!(!store.has("other").expect("has"), "keys are per channel");
        store.delete("clinic").expect("delete");
        store
            .delete("clinic")
            .expect("deleting a missing key is fine");
        assert_eq!(store.get("clinic").expect("get"), None);
    }

    #[test]
    fn debug_shows_no_key() {
        let store = KeyStore::in_memory().expect("mock store");
        store
            .set("default", &ApiKey::new("hush-hush-key").expect("key"))
            .expect("set");
        assert!(!format!("{store:?}").contains("hush"));
    }
}

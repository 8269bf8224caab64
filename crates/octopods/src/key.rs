use std::fmt;

use crate::error::{Error, Result};

/// A channel's API key. It is a secret: `Debug` prints `[redacted]`, there is no `Display`, and
/// the only way to the text is [`ApiKey::expose_secret`], used when building the auth header.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Accepts a key as pasted: surrounding white space is removed; an empty key, or one with
    /// white space or control characters inside it, is refused.
    pub fn new(raw: &str) -> Result<Self> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(Error::EmptyKey);
        }
        if !trimmed.chars().all(|c| c.is_ascii_graphic()) {
            return Err(Error::MalformedKey);
        }
        Ok(Self(trimmed.to_owned()))
    }

    /// The key's text, for the `X-Octopods-Auth` header and the keychain only.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_key() {
        let key = ApiKey::new("  sk_live_abcdef123456  ").expect("a plain key is valid");
        assert_eq!(format!("{key:?}"), "ApiKey([redacted])");
        assert_eq!(
            key.expose_secret(),
            "sk_live_abcdef123456",
            "surrounding spaces are trimmed"
        );
    }

    #[test]
    fn refuses_empty_and_broken_keys() {
        assert!(matches!(ApiKey::new("   "), Err(Error::EmptyKey)));
        assert!(matches!(ApiKey::new("abc def"), Err(Error::MalformedKey)));
        assert!(matches!(ApiKey::new("abc\ndef"), Err(Error::MalformedKey)));
        assert!(matches!(
            ApiKey::new("abc\u{200b}"),
            Err(Error::MalformedKey)
        ));
    }
}

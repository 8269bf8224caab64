//! Which API keys the simulator knows, and what kind of Octopods workspace each belongs to.

/// The kind of workspace a key's SMS channel is connected to. It decides the shape of a
/// successful send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workspace {
    /// `201 {"request_id", "message_id", "phone_number"}`; the message's status can be read.
    Intercom,
    /// `201 {"request_id"}` only: no message id, so no status can be read.
    HubSpot,
}

/// Which of the two documented delivery-status shapes a key is answered with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusShape {
    /// The SMS page: lower-case `status`, `sent_at`, `delivered_at`, `failure_reason`.
    Modern,
    /// The older page: upper-case `status`, `status_message`, `last_updated`, string id.
    Legacy,
}

/// One channel API key the simulator accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimKey {
    pub key: String,
    pub workspace: Workspace,
    pub status_shape: StatusShape,
    /// A rotated or revoked key: every request with it gets `400` with `error_code` 5.
    pub deprecated: bool,
}

impl SimKey {
    /// A current key answered in the modern status shape.
    pub fn new(key: impl Into<String>, workspace: Workspace) -> Self {
        Self {
            key: key.into(),
            workspace,
            status_shape: StatusShape::Modern,
            deprecated: false,
        }
    }
}

/// The key the app's Practice mode uses: an Intercom workspace, modern status shape.
pub const PRACTICE_KEY: &str = "sim-intercom-key";
/// A HubSpot workspace key: sends answer with `request_id` only.
pub const HUBSPOT_KEY: &str = "sim-hubspot-key";
/// An Intercom workspace key whose statuses come in the older, upper-case shape.
pub const LEGACY_KEY: &str = "sim-legacy-key";
/// A rotated key: every request with it is refused with `error_code` 5.
pub const DEPRECATED_KEY: &str = "sim-deprecated-key";

/// The simulator's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimConfig {
    pub keys: Vec<SimKey>,
}

impl Default for SimConfig {
    /// [`PRACTICE_KEY`], [`HUBSPOT_KEY`], [`LEGACY_KEY`] and [`DEPRECATED_KEY`].
    fn default() -> Self {
        Self {
            keys: vec![
                SimKey::new(PRACTICE_KEY, Workspace::Intercom),
                SimKey::new(HUBSPOT_KEY, Workspace::HubSpot),
                SimKey {
                    status_shape: StatusShape::Legacy,
                    ..SimKey::new(LEGACY_KEY, Workspace::Intercom)
                },
                SimKey {
                    deprecated: true,
                    ..SimKey::new(DEPRECATED_KEY, Workspace::Intercom)
                },
            ],
        }
    }
}

impl SimConfig {
    /// The key exactly as configured (keys are compared byte for byte, like a real server).
    pub fn find_key(&self, key: &str) -> Option<&SimKey> {
        self.keys.iter().find(|k| k.key == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_keys() {
        let config = SimConfig::default();
        let practice = config.find_key(PRACTICE_KEY).expect("practice key");
        assert_eq!(practice.workspace, Workspace::Intercom);
        assert_eq!(practice.status_shape, StatusShape::Modern);
        assert!(!practice.deprecated);
        let hubspot = config.find_key(HUBSPOT_KEY).expect("hubspot key");
        assert_eq!(hubspot.workspace, Workspace::HubSpot);
        let legacy = config.find_key(LEGACY_KEY).expect("legacy key");
        assert_eq!(legacy.status_shape, StatusShape::Legacy);
        assert!(
            config
                .find_key(DEPRECATED_KEY)
                .expect("deprecated")
                .deprecated
        );
        assert!(
            config.find_key("sim-intercom-key ").is_none(),
            "no trimming"
        );
        assert!(config.find_key("").is_none());
    }
}

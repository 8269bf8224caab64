//! "Test this key": a harmless request that tells whether Octopods accepts a channel's key.

use crate::client::Client;
use crate::status::StatusError;
use crate::wire::ErrorCode;

/// The message id asked about: no message has it, so nothing is read and nothing is sent.
const PROBE_MESSAGE_ID: &str = "0";

/// What the server said about the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyCheck {
    /// The key was accepted (the server looked for the message and did not find it).
    Valid,
    /// HTTP 401: the key is unknown.
    Invalid,
    /// Error 5: the key was rotated or revoked.
    Deprecated,
    /// No verdict: the server could not be reached or answered something unexpected.
    Unknown { reason: String },
}

impl Client {
    /// Asks for the delivery status of a message that cannot exist. Sends no SMS.
    pub async fn check_key(&self) -> KeyCheck {
        match self.status(PROBE_MESSAGE_ID).await {
            Ok(_) => KeyCheck::Valid,
            Err(StatusError::Unauthorized) => KeyCheck::Invalid,
            Err(StatusError::Rejected(r)) if r.code == Some(ErrorCode::DeprecatedApiKey) => {
                KeyCheck::Deprecated
            }
            // Octopods answers an unknown message id with 400 and an error code: the key passed.
            Err(StatusError::Rejected(r)) if r.http_status == 400 => KeyCheck::Valid,
            Err(StatusError::Rejected(r)) => KeyCheck::Unknown {
                reason: format!(
                    "The server answered HTTP {} ({}); check the server address.",
                    r.http_status, r.error
                ),
            },
            Err(StatusError::RateLimited { .. }) => KeyCheck::Unknown {
                reason: "Octopods is busy right now; try again in a minute.".into(),
            },
            Err(StatusError::Unavailable { reason, .. }) => KeyCheck::Unknown { reason },
        }
    }
}

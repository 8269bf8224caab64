use thiserror::Error;

/// Problems setting up a [`crate::Client`]. Nothing here involves the network: what happens to
/// a request is a [`crate::SendOutcome`] or a [`crate::StatusError`], not an `Error`.
#[derive(Debug, Error)]
pub enum Error {
    #[error("The server address \"{0}\" is not a valid web address.")]
    InvalidBaseUrl(String),
    #[error("The server address must start with https:// (plain http is only allowed for this computer by its number, http://127.0.0.1 or http://[::1], not by a name such as localhost).")]
    InsecureBaseUrl,
    #[error("The API key is empty.")]
    EmptyKey,
    #[error("The API key contains characters that cannot be part of a key (spaces inside it, line breaks or other invisible characters). Copy it again from Octopods.")]
    MalformedKey,
    #[error("Could not prepare the network connection: {0}")]
    HttpSetup(String),
}

pub type Result<T> = std::result::Result<T, Error>;

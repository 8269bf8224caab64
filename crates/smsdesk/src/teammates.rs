//! Intercom teammates: the people a conversation opened by a send can be assigned to, by
//! their Intercom id (found in Intercom: Settings > Teammates, open the teammate: the number at
//! the end of the page address).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub const MAX_TEAMMATE_NAME_CHARS: usize = 60;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Teammate {
    /// The Intercom admin id: digits only, such as `814860`.
    pub id: String,
    pub name: String,
}

/// An Intercom id as typed, tidied: digits only.
pub fn tidy_id(typed: &str) -> Result<String> {
    let id = typed.trim();
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_digit()) {
        return Err(Error::TeammateIdInvalid(id.to_owned()));
    }
    Ok(id.to_owned())
}

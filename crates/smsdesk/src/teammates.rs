//! Intercom teammates: the people a conversation opened by a send can be assigned to, by
//! their Intercom id (found in Intercom: Settings > Teammates, open the teammate: the number at
//! the end of the page address).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub const MAX_TEAMMATE_NAME_CHARS: usize = 60;

/// The longest Intercom id, in digits (Intercom's admin ids are numbers of about seven; 20
/// leaves room for any 64-bit one).
pub const MAX_TEAMMATE_ID_DIGITS: usize = 20;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Teammate {
    /// The Intercom admin id: digits only, such as `814860`.
    pub id: String,
    pub name: String,
}

/// An Intercom id as typed, tidied: digits only, at most [`MAX_TEAMMATE_ID_DIGITS`] (checked
/// first, so a long paste is never quoted back in the error).
pub fn tidy_id(typed: &str) -> Result<String> {
    let id = typed.trim();
    check_id_length(id)?;
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_digit()) {
        return Err(Error::TeammateIdInvalid(id.to_owned()));
    }
    Ok(id.to_owned())
}

/// An id (trimmed) longer than any Intercom id is [`Error::TeammateIdTooLong`].
pub fn check_id_length(id: &str) -> Result<()> {
    // Bytes first: a paste of megabytes is refused without counting its characters.
    if id.len() > MAX_TEAMMATE_ID_DIGITS {
        let chars = id.chars().count();
        if chars > MAX_TEAMMATE_ID_DIGITS {
            return Err(Error::TeammateIdTooLong {
                chars,
                max: MAX_TEAMMATE_ID_DIGITS,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_digits_and_bounded() {
        assert_eq!(tidy_id(" 814860 ").expect("an id"), "814860");
        assert_eq!(tidy_id(&"1".repeat(20)).expect("20 digits"), "1".repeat(20));
        assert!(matches!(
            tidy_id(&"1".repeat(21)),
            Err(Error::TeammateIdTooLong { chars: 21, max: 20 })
        ));
        let pasted = "é".repeat(1_000_000);
        let refused = tidy_id(&pasted).expect_err("too long");
        assert!(matches!(
            refused,
            Error::TeammateIdTooLong {
                chars: 1_000_000,
                ..
            }
        ));
        assert!(refused.to_string().len() < 100, "not quoted back");
        assert!(matches!(tidy_id("é"), Err(Error::TeammateIdInvalid(_))));
    }
}

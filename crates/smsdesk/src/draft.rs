//! A message as the person wrote it, checked and turned into the exact request to send.

use octopods::{SendRequest, MAX_BODY_CHARS};
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::phone::{self, Country, PhoneCheck};
use crate::teammates;
use crate::text_safety;

/// The longest recipient's name, in characters (the contact's name in Intercom).
pub const MAX_NAME_CHARS: usize = 100;

/// What the compose form (or the command line) holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Draft {
    pub to: String,
    pub body: String,
    pub name: String,
    pub open_conversation: bool,
    pub teammate_id: String,
}

/// A draft that passed every check: the request to send and the number as checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    pub request: SendRequest,
    pub phone: PhoneCheck,
}

impl Draft {
    /// Checks everything that can be checked without the network. Nothing is sent for a
    /// draft that fails here. The text is tidied first ([`text_safety::message`] for the body,
    /// [`text_safety::line`] for the name): line breaks from other programs become line feeds,
    /// other control characters are removed, so the request holds what the person sees.
    pub fn prepare(&self, default_country: Option<Country>) -> Result<Prepared> {
        let phone = phone::validate(&self.to, default_country);
        let e164 = match (&phone.e164, phone.valid) {
            (Some(e164), true) => e164.clone(),
            _ => {
                return Err(Error::InvalidPhone {
                    reason: phone
                        .error
                        .clone()
                        .unwrap_or_else(|| "This number is not valid.".into()),
                })
            }
        };
        let body = text_safety::message(&self.body);
        if body.trim().is_empty() {
            return Err(Error::EmptyBody);
        }
        let chars = body.chars().count();
        if chars > MAX_BODY_CHARS {
            return Err(Error::BodyTooLong {
                chars,
                max: MAX_BODY_CHARS,
            });
        }
        let name = text_safety::trimmed(text_safety::line(&self.name));
        let chars = name.chars().count();
        if chars > MAX_NAME_CHARS {
            return Err(Error::NameTooLong {
                chars,
                max: MAX_NAME_CHARS,
            });
        }
        let teammate = self.teammate_id.trim();
        teammates::check_id_length(teammate)?;
        if !teammate.is_empty() && !teammate.chars().all(|c| c.is_ascii_digit()) {
            return Err(Error::InvalidTeammate(teammate.to_owned()));
        }
        let request = SendRequest {
            destination_phone: e164,
            body: body.into_owned(),
            open_intercom_conversation: self.open_conversation,
            intercom_teammate_id: non_empty(teammate),
            destination_user_name: non_empty(&name),
        };
        Ok(Prepared { request, phone })
    }
}

fn non_empty(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn us() -> Option<Country> {
        Some(Country::parse("US").expect("US"))
    }

    #[test]
    fn a_draft_becomes_the_documented_request() {
        let draft = Draft {
            to: "(201) 555-0123".into(),
            body: "Hi Jane, your appointment is confirmed for April 28 at 10:00 AM. Reply C to cancel.".into(),
            name: " Jane Doe ".into(),
            open_conversation: true,
            teammate_id: " 814860 ".into(),
        };
        let prepared = draft.prepare(us()).expect("valid draft");
        insta::assert_json_snapshot!(prepared.request);
    }

    #[test]
    fn each_check_refuses_before_sending() {
        let ok = Draft {
            to: "+1 201-555-0123".into(),
            body: "Hello".into(),
            ..Draft::default()
        };
        assert!(ok.prepare(us()).is_ok());
        let bad_phone = Draft {
            to: "12".into(),
            ..ok.clone()
        };
        assert!(matches!(
            bad_phone.prepare(us()),
            Err(Error::InvalidPhone { .. })
        ));
        let blank = Draft {
            body: " \n ".into(),
            ..ok.clone()
        };
        assert!(matches!(blank.prepare(us()), Err(Error::EmptyBody)));
        let long = Draft {
            body: "é".repeat(1601),
            ..ok.clone()
        };
        assert!(matches!(
            long.prepare(us()),
            Err(Error::BodyTooLong { chars: 1601, .. })
        ));
        let exactly = Draft {
            body: "x".repeat(1600),
            ..ok.clone()
        };
        assert!(exactly.prepare(us()).is_ok(), "1,600 characters is allowed");
        let teammate = Draft {
            teammate_id: "jane".into(),
            ..ok
        };
        assert!(matches!(
            teammate.prepare(us()),
            Err(Error::InvalidTeammate(_))
        ));
    }

    #[test]
    fn the_name_and_the_teammate_id_are_bounded() {
        let ok = Draft {
            to: "+1 201-555-0123".into(),
            body: "Hello".into(),
            ..Draft::default()
        };
        let named = |name: String| Draft { name, ..ok.clone() };
        let request = named(format!(" {} ", "é".repeat(100)))
            .prepare(us())
            .expect("100 characters")
            .request;
        assert_eq!(request.destination_user_name, Some("é".repeat(100)));
        assert!(matches!(
            named("é".repeat(101)).prepare(us()),
            Err(Error::NameTooLong {
                chars: 101,
                max: 100
            })
        ));
        let teammate = |id: String| Draft {
            teammate_id: id,
            ..ok.clone()
        };
        assert!(teammate("1".repeat(20)).prepare(us()).is_ok());
        assert!(matches!(
            teammate("1".repeat(21)).prepare(us()),
            Err(Error::TeammateIdTooLong { chars: 21, max: 20 })
        ));
        let pasted = teammate("jane".repeat(250_000)).prepare(us());
        assert!(matches!(pasted, Err(Error::TeammateIdTooLong { .. })));
    }

    #[test]
    fn control_characters_are_tidied_before_the_request() {
        let draft = Draft {
            to: "+1 201-555-0123".into(),
            body: "Hi\r\nJane\u{0B}see\u{0C}you\ttomorrow\u{1b}[1m\u{0}\u{7f}\u{85}\u{9b}.".into(),
            name: "\tJane\u{1b}\r\nDoe\u{7} ".into(),
            ..Draft::default()
        };
        let request = draft.prepare(us()).expect("valid").request;
        assert_eq!(request.body, "Hi\nJane\nsee\nyou tomorrow[1m\n.");
        assert_eq!(request.destination_user_name.as_deref(), Some("Jane Doe"));
        let only_controls = Draft {
            body: "\u{0}\u{1b}\u{7}".into(),
            name: "\u{1b}\u{0}".into(),
            ..draft
        };
        assert!(matches!(only_controls.prepare(us()), Err(Error::EmptyBody)));
        let counted = Draft {
            body: "x\r\n".repeat(800),
            ..Draft::default()
        };
        let counted = Draft {
            to: "+1 201-555-0123".into(),
            ..counted
        };
        assert!(
            counted.prepare(us()).is_ok(),
            "1,600 characters once CR LF is one line feed"
        );
    }
}

//! A field a template asks for, as the compose form shows it.

use serde::{Deserialize, Serialize};

/// The footer a template can include with `{{stop_footer}}` (filled in like the business
/// fields: never typed per message).
pub const STOP_FOOTER: &str = "Reply STOP to opt out.";
/// The field that inserts [`STOP_FOOTER`].
pub const STOP_FOOTER_FIELD: &str = "stop_footer";

/// The fields filled from Settings rather than typed for each message.
pub const BUSINESS_FIELDS: [&str; 3] = ["business_name", "business_phone", "business_address"];

/// A field a template asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Placeholder {
    /// As written between the braces, such as `first_name`.
    pub name: String,
    /// For people, such as "First name".
    pub label: String,
    /// Filled from Settings ([`super::BusinessInfo`]), not asked for each message.
    pub from_business: bool,
}

impl Placeholder {
    /// The field called `name` (assumed valid), with its label.
    pub(crate) fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            label: label(name),
            from_business: BUSINESS_FIELDS.contains(&name) || name == STOP_FOOTER_FIELD,
        }
    }
}

/// "first_name" → "First name".
fn label(name: &str) -> String {
    let words: Vec<&str> = name.split('_').filter(|w| !w.is_empty()).collect();
    let text = words.join(" ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_read_as_words() {
        assert_eq!(label("first_name"), "First name");
        assert_eq!(label("date"), "Date");
        assert_eq!(label("date__of_birth_"), "Date of birth");
        assert!(Placeholder::new("business_phone").from_business);
        assert!(!Placeholder::new("phone").from_business);
    }
}

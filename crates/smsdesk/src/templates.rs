//! Message templates: the texts a receptionist picks from, with `{{fields}}` filled in per message.
//!
//! - [`Template`]: a saved template with its per-template defaults ("open a conversation",
//!   teammate). The store keeps the list as JSON; these types round-trip through serde (camelCase).
//! - [`placeholders`]: the fields a body asks for, in order, each with a label ("First name").
//! - [`render`]: the message exactly as it will be sent; refuses while any field is empty
//!   ([`TemplateError::MissingValues`] names them all). [`render_preview`] shows `[First name]`
//!   instead, for the live preview.
//! - [`starter_templates`]: the four templates a new install starts with.
//! - [`create`], [`update`], [`duplicate`], [`delete`], [`reorder`], [`move_up`], [`move_down`]:
//!   list edits, in memory; the caller saves the list.
//! - [`export`] and [`import`]: a templates file, and what importing one would add
//!   ([`ImportReport`]).
//! - [`preview_message`]: the compose form's live preview (empty fields and costly characters
//!   marked, the cost); [`TemplateFill`]: a send that uses a saved template.
//!
//! # Syntax
//!
//! The same text is [`SYNTAX_HELP`], ready for the app's help panel:
//!
//! - A field is a name between double braces: `{{first_name}}`. Spaces inside are fine:
//!   `{{ date }}`.
//! - Names use lowercase letters, digits and underscores, and start with a letter.
//! - `{{business_name}}`, `{{business_phone}}` and `{{business_address}}` are filled from
//!   Settings; every other field is typed in for each message.
//! - A single `{` or `}` is ordinary text. Double braces always mean a field: there is no escape,
//!   so `{{{{` is an error rather than a way to write `{{`.
//! - A field does not continue onto the next line.
//! - A message is only sent when every field has a value; what is typed is inserted as it is
//!   (spaces around it removed), never read as another field.

mod compose;
mod error;
mod import_export;
mod list;
mod naming;
mod placeholder;
mod render;
mod starters;
mod syntax;

use serde::{Deserialize, Serialize};

pub use compose::{
    preview_message, MessagePreview, PreviewRun, RunKind, TemplateFill, MAX_BUSINESS_ADDRESS_CHARS,
    MAX_BUSINESS_NAME_CHARS, MAX_BUSINESS_PHONE_CHARS,
};
pub use error::TemplateError;
pub use import_export::{export, import, ImportIssue, ImportReport, FORMAT, VERSION};
pub use list::{create, delete, duplicate, move_down, move_up, reorder, update, validate};
pub(crate) use naming::unique_name;
pub use naming::MAX_NAME_CHARS;
pub use placeholder::{Placeholder, BUSINESS_FIELDS, STOP_FOOTER, STOP_FOOTER_FIELD};
pub use render::{render, render_preview, Compiled};
pub use starters::starter_templates;
pub use syntax::{placeholders, SYNTAX_HELP};

/// A saved template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Template {
    /// Stable and unique within the list; never shown.
    pub id: String,
    /// What the receptionist picks it by, such as "Reminder (day before)".
    pub name: String,
    /// The text, with `{{fields}}`.
    pub body: String,
    /// Whether "open a conversation" starts ticked when this template is picked.
    #[serde(default)]
    pub open_conversation: bool,
    /// The Intercom teammate preselected when this template is picked (digits only).
    #[serde(default)]
    pub teammate_id: Option<String>,
}

/// A template as the editor holds it, before it has an id: what [`create`] and [`update`] take.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TemplateDraft {
    pub name: String,
    pub body: String,
    pub open_conversation: bool,
    pub teammate_id: Option<String>,
}

impl TemplateDraft {
    /// The template this draft becomes, tidied: control characters are kept out (the name as
    /// one line, the text with its line breaks as line feeds: [`crate::text_safety`]), spaces
    /// around the name, the text and the teammate id are removed, and a blank teammate id
    /// means none.
    fn into_template(self, id: String) -> Template {
        use crate::text_safety::{line, message, trimmed};
        Template {
            id,
            name: trimmed(line(&self.name)).into_owned(),
            body: trimmed(message(&self.body)).into_owned(),
            open_conversation: self.open_conversation,
            teammate_id: self
                .teammate_id
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty()),
        }
    }
}

impl From<Template> for TemplateDraft {
    fn from(t: Template) -> Self {
        Self {
            name: t.name,
            body: t.body,
            open_conversation: t.open_conversation,
            teammate_id: t.teammate_id,
        }
    }
}

/// The business details from Settings that fill `{{business_name}}`, `{{business_phone}}` and
/// `{{business_address}}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BusinessInfo {
    pub business_name: String,
    pub business_phone: String,
    pub business_address: String,
}

impl BusinessInfo {
    /// The value for a business field, or `None` when `name` is not one.
    pub fn get(&self, name: &str) -> Option<&str> {
        match name {
            "business_name" => Some(&self.business_name),
            "business_phone" => Some(&self.business_phone),
            "business_address" => Some(&self.business_address),
            STOP_FOOTER_FIELD => Some(STOP_FOOTER),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_round_trip_through_camel_case_json() {
        let template = Template {
            id: "starter-reminder".into(),
            name: "Reminder".into(),
            body: "Hi {{first_name}}".into(),
            open_conversation: true,
            teammate_id: Some("814860".into()),
        };
        let json = serde_json::to_value(&template).expect("serializes");
        assert_eq!(
            json,
            serde_json::json!({
                "id": "starter-reminder",
                "name": "Reminder",
                "body": "Hi {{first_name}}",
                "openConversation": true,
                "teammateId": "814860"
            })
        );
        let back: Template = serde_json::from_value(json).expect("deserializes");
        assert_eq!(back, template);

        let older: Template =
            serde_json::from_str(r#"{"id":"a","name":"A","body":"Hi"}"#).expect("defaults");
        assert!(!older.open_conversation && older.teammate_id.is_none());

        let business = BusinessInfo {
            business_name: "Bright Smile Dental".into(),
            ..BusinessInfo::default()
        };
        let json = serde_json::to_string(&business).expect("serializes");
        assert_eq!(
            json,
            r#"{"businessName":"Bright Smile Dental","businessPhone":"","businessAddress":""}"#
        );
        let back: BusinessInfo = serde_json::from_str(&json).expect("deserializes");
        assert_eq!(back, business);
        let empty: BusinessInfo = serde_json::from_str("{}").expect("all fields default");
        assert_eq!(empty, BusinessInfo::default());
    }

    #[test]
    fn a_draft_is_tidied_into_a_template() {
        let draft = TemplateDraft {
            name: "  Reminder ".into(),
            body: "\n Hi {{first_name}} \n".into(),
            open_conversation: true,
            teammate_id: Some("  ".into()),
        };
        let t = draft.into_template("x".into());
        assert_eq!(t.name, "Reminder");
        assert_eq!(t.body, "Hi {{first_name}}");
        assert_eq!(t.teammate_id, None, "a blank teammate id means none");
    }

    #[test]
    fn a_draft_loses_its_control_characters() {
        let draft = TemplateDraft {
            name: " Remind\u{1b}[1mer\r\n(day\tbefore)\u{0} ".into(),
            body: "\u{7}Hi {{first_name}},\r\nsee you\u{0B}{{date}}\u{9b}.\u{0C}".into(),
            ..TemplateDraft::default()
        };
        let t = draft.into_template("x".into());
        assert_eq!(t.name, "Remind[1mer (day before)");
        assert_eq!(t.body, "Hi {{first_name}},\nsee you\n{{date}}.");
    }
}

//! What can be wrong with a template, a message made from one, or a templates file.
//!
//! Front ends receive these as [`crate::UserError`] (via [`crate::Error::Template`]), each with
//! its own stable code.

use thiserror::Error;

use super::placeholder::Placeholder;

/// What went wrong with a template. Positions count lines and characters from 1.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TemplateError {
    #[error("\"{text}\" (line {line}, character {column}) is not closed: a field ends with }}}}.")]
    UnclosedField {
        text: String,
        line: usize,
        column: usize,
    },
    #[error("\"{text}\" (line {line}, character {column}) has no field name between the braces.")]
    EmptyField {
        text: String,
        line: usize,
        column: usize,
    },
    #[error("\"{text}\" (line {line}, character {column}) is not a field name SMS Desk can fill.")]
    InvalidFieldName {
        text: String,
        line: usize,
        column: usize,
    },
    #[error("\"}}}}\" (line {line}, character {column}) closes a field that was never opened.")]
    StrayClose { line: usize, column: usize },
    /// Every field that has no value yet, in the order they appear in the text.
    #[error("{}", missing_message(.0))]
    MissingValues(Vec<Placeholder>),
    #[error("The template has no name.")]
    BlankName,
    #[error("The template's name is {chars} characters long; the most is {max}.")]
    NameTooLong { chars: usize, max: usize },
    #[error("The template has no text.")]
    BlankBody,
    #[error("The template's text is {chars} characters long; the most Octopods accepts is {max}.")]
    BodyTooLong { chars: usize, max: usize },
    #[error("The teammate id \"{0}\" is not an Intercom id (it is a number such as 814860).")]
    InvalidTeammate(String),
    #[error(
        "The teammate id is {chars} characters long; an Intercom id has at most {max} digits."
    )]
    TeammateTooLong { chars: usize, max: usize },
    /// A business detail (`detail`: "business name", "business phone" or "business address").
    #[error("The {detail} is {chars} characters long; the most is {max}.")]
    BusinessDetailTooLong {
        detail: &'static str,
        chars: usize,
        max: usize,
    },
    /// The id asked for is not in the list.
    #[error("This template is no longer in the list; it may have been deleted.")]
    NotFound(String),
    #[error(
        "This file is not a templates file: it is not valid JSON (the problem is on line {line}, character {column})."
    )]
    ImportNotJson { line: usize, column: usize },
    #[error("This file is not an SMS Desk templates file.")]
    ImportNotTemplates,
    #[error(
        "This templates file was saved by a newer SMS Desk (file version {version}; this SMS Desk reads up to version {supported})."
    )]
    ImportNewerVersion { version: u64, supported: u64 },
}

/// "Fill in: First name, Date." for fields typed per message, and "Add the business phone in
/// Settings." for business fields.
fn missing_message(missing: &[Placeholder]) -> String {
    let (business, typed): (Vec<_>, Vec<_>) = missing.iter().partition(|p| p.from_business);
    let mut parts = Vec::new();
    if !typed.is_empty() {
        let labels: Vec<&str> = typed.iter().map(|p| p.label.as_str()).collect();
        parts.push(format!("Fill in: {}.", labels.join(", ")));
    }
    if !business.is_empty() {
        let labels: Vec<String> = business.iter().map(|p| p.label.to_lowercase()).collect();
        parts.push(format!("Add the {} in Settings.", and_list(&labels)));
    }
    parts.join(" ")
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Error, UserError};

    fn field(name: &str) -> Placeholder {
        Placeholder::new(name)
    }

    #[test]
    fn missing_values_are_named_for_the_receptionist() {
        let typed = TemplateError::MissingValues(vec![field("first_name"), field("date")]);
        assert_eq!(typed.to_string(), "Fill in: First name, Date.");
        let both = TemplateError::MissingValues(vec![
            field("business_name"),
            field("time"),
            field("business_phone"),
            field("business_address"),
        ]);
        assert_eq!(
            both.to_string(),
            "Fill in: Time. Add the business name, business phone and business address in Settings."
        );
    }

    /// The exact payloads the UI receives, one per kind of template problem.
    #[test]
    fn what_the_ui_receives_for_every_template_error() {
        let errors = [
            TemplateError::UnclosedField {
                text: "{{first".into(),
                line: 1,
                column: 4,
            },
            TemplateError::EmptyField {
                text: "{{ }}".into(),
                line: 1,
                column: 4,
            },
            TemplateError::InvalidFieldName {
                text: "{{First Name}}".into(),
                line: 2,
                column: 1,
            },
            TemplateError::StrayClose { line: 1, column: 9 },
            TemplateError::MissingValues(vec![field("first_name"), field("business_phone")]),
            TemplateError::BlankName,
            TemplateError::NameTooLong { chars: 81, max: 80 },
            TemplateError::BlankBody,
            TemplateError::BodyTooLong {
                chars: 1601,
                max: 1600,
            },
            TemplateError::InvalidTeammate("jane".into()),
            TemplateError::TeammateTooLong { chars: 21, max: 20 },
            TemplateError::BusinessDetailTooLong {
                detail: "business name",
                chars: 101,
                max: 100,
            },
            TemplateError::NotFound("tpl-1".into()),
            TemplateError::ImportNotJson { line: 3, column: 7 },
            TemplateError::ImportNotTemplates,
            TemplateError::ImportNewerVersion {
                version: 2,
                supported: 1,
            },
        ];
        let payloads: Vec<UserError> = errors
            .into_iter()
            .map(|e| UserError::from(Error::from(e)))
            .collect();
        let codes: std::collections::HashSet<_> = payloads.iter().map(|p| p.code).collect();
        assert_eq!(codes.len(), payloads.len(), "each problem has its own code");
        insta::assert_json_snapshot!(payloads);
    }
}

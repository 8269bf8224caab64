//! Filling a template's fields: strictly for sending, leniently for the live preview.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::error::TemplateError;
use super::placeholder::Placeholder;
use super::syntax::{parse, Piece};
use super::BusinessInfo;
use crate::text_safety;

/// The message exactly as it will be sent.
///
/// Business fields come from `business`; every other field from `values` (by name). A value is
/// inserted as typed, with surrounding spaces removed, and is never read as a field itself. A
/// field whose value is absent, empty or only spaces (a blank business detail too) stops the
/// message: [`TemplateError::MissingValues`] names every such field, in order.
pub fn render(
    template_body: &str,
    values: &BTreeMap<String, String>,
    business: &BusinessInfo,
) -> Result<String, TemplateError> {
    if template_body.trim().is_empty() {
        return Err(TemplateError::BlankBody);
    }
    let pieces = parse(template_body)?;
    let mut missing: Vec<Placeholder> = Vec::new();
    for piece in &pieces {
        if let Piece::Field(name) = *piece {
            if value(name, values, business).is_none() && !missing.iter().any(|p| p.name == name) {
                missing.push(Placeholder::new(name));
            }
        }
    }
    if !missing.is_empty() {
        return Err(TemplateError::MissingValues(missing));
    }
    Ok(fill(&pieces, values, business))
}

/// A template parsed once and filled many times (the rows of a bulk job): every field's value
/// is given by the caller, inserted exactly as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compiled {
    /// Text, or a field's name.
    pieces: Vec<(bool, String)>,
}

impl Compiled {
    /// Parses `body`; a blank body or a malformed brace is an error.
    pub fn new(body: &str) -> Result<Self, TemplateError> {
        if body.trim().is_empty() {
            return Err(TemplateError::BlankBody);
        }
        let pieces = parse(body)?
            .into_iter()
            .map(|piece| match piece {
                Piece::Text(text) => (false, text.to_owned()),
                Piece::Field(name) => (true, name.to_owned()),
            })
            .collect();
        Ok(Self { pieces })
    }

    /// Parses `body` for a spreadsheet's columns: a field is whatever stands between `{{` and
    /// `}}` on one line, spaces around it removed (`{{First name}}` names the column "First
    /// name"). A blank body, an unclosed or an empty field is an error.
    pub fn lenient(body: &str) -> Result<Self, TemplateError> {
        if body.trim().is_empty() {
            return Err(TemplateError::BlankBody);
        }
        let mut pieces = Vec::new();
        let mut rest = body;
        let mut offset = 0;
        while let Some(open) = rest.find("{{") {
            let after = &rest[open + 2..];
            let line_end = after.find('\n').unwrap_or(after.len());
            let Some(close) = after[..line_end].find("}}") else {
                let (line, column) = super::syntax::position(body, offset + open);
                let text: String = rest[open..open + 2 + line_end].chars().take(30).collect();
                return Err(TemplateError::UnclosedField { text, line, column });
            };
            let name = after[..close].trim();
            if name.is_empty() {
                let (line, column) = super::syntax::position(body, offset + open);
                let text = rest[open..open + close + 4].to_owned();
                return Err(TemplateError::EmptyField { text, line, column });
            }
            if open > 0 {
                pieces.push((false, rest[..open].to_owned()));
            }
            pieces.push((true, name.to_owned()));
            let consumed = open + 2 + close + 2;
            offset += consumed;
            rest = &rest[consumed..];
        }
        if !rest.is_empty() {
            pieces.push((false, rest.to_owned()));
        }
        Ok(Self { pieces })
    }

    /// The fields, each once, in order of first appearance.
    pub fn fields(&self) -> Vec<&str> {
        let mut fields: Vec<&str> = Vec::new();
        for (is_field, name) in &self.pieces {
            if *is_field && !fields.contains(&name.as_str()) {
                fields.push(name);
            }
        }
        fields
    }

    /// The message with each field replaced by `value(name)` exactly (no trimming); the error
    /// names the first field `value` has nothing for.
    pub fn fill<'v>(&self, value: impl Fn(&str) -> Option<&'v str>) -> Result<String, &str> {
        let mut message = String::new();
        for (is_field, text) in &self.pieces {
            if *is_field {
                message.push_str(value(text).ok_or(text.as_str())?);
            } else {
                message.push_str(text);
            }
        }
        Ok(message)
    }
}

/// The message as it would look now, for the live preview: a field without a value shows as its
/// label in brackets (`[First name]`). Malformed braces are still an error.
pub fn render_preview(
    template_body: &str,
    values: &BTreeMap<String, String>,
    business: &BusinessInfo,
) -> Result<String, TemplateError> {
    Ok(fill(&parse(template_body)?, values, business))
}

fn fill(
    pieces: &[Piece<'_>],
    values: &BTreeMap<String, String>,
    business: &BusinessInfo,
) -> String {
    let mut message = String::new();
    for piece in pieces {
        match *piece {
            Piece::Text(text) => message.push_str(&text_safety::message(text)),
            Piece::Field(name) => match value(name, values, business) {
                Some(value) => message.push_str(&value),
                None => {
                    message.push('[');
                    message.push_str(&Placeholder::new(name).label);
                    message.push(']');
                }
            },
        }
    }
    message
}

/// The value for a field, tidied as message text ([`text_safety::message`]) and trimmed, or
/// `None` when there is nothing to insert (a value of only control characters neither).
/// Business fields only ever come from Settings.
pub(super) fn value<'a>(
    name: &str,
    values: &'a BTreeMap<String, String>,
    business: &'a BusinessInfo,
) -> Option<Cow<'a, str>> {
    business
        .get(name)
        .or_else(|| values.get(name).map(String::as_str))
        .map(|v| text_safety::trimmed(text_safety::message(v)))
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn dental() -> BusinessInfo {
        BusinessInfo {
            business_name: "Bright Smile Dental".into(),
            business_phone: "01632 960123".into(),
            business_address: String::new(),
        }
    }

    fn missing_names(result: Result<String, TemplateError>) -> Vec<String> {
        match result {
            Err(TemplateError::MissingValues(missing)) => {
                missing.into_iter().map(|p| p.name).collect()
            }
            other => panic!("expected missing values, got {other:?}"),
        }
    }

    #[test]
    fn fields_are_filled_from_values_and_settings() {
        let body =
            "{{business_name}}: Hi {{ first_name }}, see you {{date}}. Call {{business_phone}}.";
        let message = render(
            body,
            &values(&[("first_name", "  Maria\t"), ("date", "Tue 14 May")]),
            &dental(),
        );
        assert_eq!(
            message.as_deref(),
            Ok("Bright Smile Dental: Hi Maria, see you Tue 14 May. Call 01632 960123.")
        );
    }

    #[test]
    fn every_missing_field_is_named_in_order() {
        let body = "{{business_address}} {{time}} {{first_name}} {{date}} {{time}}";
        let result = render(
            body,
            &values(&[("date", "Tue"), ("time", "  \n ")]),
            &dental(),
        );
        assert_eq!(
            missing_names(result),
            ["business_address", "time", "first_name"],
            "a blank business detail and whitespace-only values count as missing, each once"
        );
        let empty = render("{{date}}", &values(&[("date", "")]), &dental());
        assert_eq!(missing_names(empty), ["date"]);
    }

    #[test]
    fn business_fields_come_only_from_settings() {
        let result = render(
            "{{business_name}}",
            &values(&[("business_name", "Someone Else")]),
            &BusinessInfo::default(),
        );
        assert_eq!(missing_names(result), ["business_name"]);
    }

    #[test]
    fn the_stop_footer_is_filled_in_and_never_asked_for() {
        let body = "See you at {{time}}. {{stop_footer}}";
        let typed = values(&[("time", "10:00"), ("stop_footer", "ignored")]);
        assert_eq!(
            render(body, &typed, &BusinessInfo::default()).as_deref(),
            Ok("See you at 10:00. Reply STOP to opt out.")
        );
        let fields = crate::templates::placeholders(body).expect("fields");
        assert!(fields[1].from_business, "not a field to type per message");
    }

    #[test]
    fn values_are_inserted_as_typed_and_never_expanded() {
        let message = render(
            "Hi {{first_name}}, {{date}}",
            &values(&[("first_name", "{{date}} {x} }}"), ("date", "Tue")]),
            &dental(),
        );
        assert_eq!(message.as_deref(), Ok("Hi {{date}} {x} }}, Tue"));
    }

    #[test]
    fn control_characters_are_kept_out_of_the_message() {
        let message = render(
            "Hi {{first_name}},\r\nsee you {{date}}.\u{1b}[1m",
            &values(&[
                ("first_name", " Ma\u{0}ria\u{0B}"),
                ("date", "Tue\r\n10:00"),
            ]),
            &dental(),
        );
        assert_eq!(message.as_deref(), Ok("Hi Maria,\nsee you Tue\n10:00.[1m"));
        let only_controls = render("{{date}}", &values(&[("date", "\u{1b}\u{7}")]), &dental());
        assert_eq!(missing_names(only_controls), ["date"], "nothing to insert");
    }

    #[test]
    fn text_without_fields_is_sent_as_written() {
        let body = "  Closed on Monday.\nSee you soon!  ";
        assert_eq!(
            render(body, &BTreeMap::new(), &BusinessInfo::default()).as_deref(),
            Ok(body)
        );
    }

    #[test]
    fn blank_or_malformed_templates_are_refused() {
        let none = BTreeMap::new();
        let business = BusinessInfo::default();
        assert_eq!(
            render(" \n", &none, &business),
            Err(TemplateError::BlankBody)
        );
        assert!(matches!(
            render("Hi {{first", &none, &business),
            Err(TemplateError::UnclosedField { .. })
        ));
        assert!(matches!(
            render_preview("Hi }}", &none, &business),
            Err(TemplateError::StrayClose { .. })
        ));
    }

    #[test]
    fn the_preview_shows_missing_fields_by_label() {
        let preview = render_preview(
            "{{business_name}}: Hi {{first_name}}, {{date}} at {{time}}.",
            &values(&[("date", "Tue 14 May"), ("time", " ")]),
            &BusinessInfo::default(),
        );
        assert_eq!(
            preview.as_deref(),
            Ok("[Business name]: Hi [First name], Tue 14 May at [Time].")
        );
        assert_eq!(
            render_preview("", &BTreeMap::new(), &BusinessInfo::default()).as_deref(),
            Ok(""),
            "an empty editor previews as nothing"
        );
    }

    #[test]
    fn a_lenient_template_names_columns_as_written() {
        let compiled = Compiled::lenient("Hi {{ First name }}, {{Date}} at {{time}}. {{Date}}")
            .expect("parsed");
        assert_eq!(compiled.fields(), ["First name", "Date", "time"]);
        let filled = compiled.fill(|f| match f {
            "First name" => Some(" Zoë "),
            "Date" => Some("Tue"),
            "time" => Some("9:30"),
            _ => None,
        });
        assert_eq!(
            filled.as_deref(),
            Ok("Hi  Zoë , Tue at 9:30. Tue"),
            "values exactly as given"
        );
        assert_eq!(compiled.fill(|_| None), Err("First name"));
        assert!(matches!(
            Compiled::lenient("Hi {{name"),
            Err(TemplateError::UnclosedField { .. })
        ));
        assert!(matches!(
            Compiled::lenient("Hi {{ }}"),
            Err(TemplateError::EmptyField { .. })
        ));
        assert!(matches!(
            Compiled::lenient("  "),
            Err(TemplateError::BlankBody)
        ));
    }
}

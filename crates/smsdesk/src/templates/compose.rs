//! A template in the compose form: the live preview (with missing fields and costly characters
//! marked), and the message body a send carries, rendered strictly from the saved template.

use std::borrow::Cow;
use std::collections::BTreeMap;

use octopods::MAX_BODY_CHARS;
use serde::{Deserialize, Serialize};

use super::error::TemplateError;
use super::placeholder::Placeholder;
use super::render::{render, value};
use super::syntax::{parse, placeholders, Piece};
use super::{BusinessInfo, Template};
use crate::segments::{self, Encoding, Replacement, SegmentCount};
use crate::text_safety::{line, message, trimmed};

/// A send that uses a saved template: which one, and what was typed for each field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TemplateFill {
    pub template_id: String,
    pub values: BTreeMap<String, String>,
}

impl TemplateFill {
    /// The saved template this fill names and the message it makes: rendered strictly (every
    /// field filled, business fields from Settings), so a send never carries an empty field
    /// or a literal `{{…}}`.
    pub fn render<'a>(
        &self,
        templates: &'a [Template],
        business: &BusinessInfo,
    ) -> Result<(&'a Template, String), TemplateError> {
        let template = templates
            .iter()
            .find(|t| t.id == self.template_id)
            .ok_or_else(|| TemplateError::NotFound(self.template_id.clone()))?;
        Ok((template, render(&template.body, &self.values, business)?))
    }
}

/// The longest business name, in characters.
pub const MAX_BUSINESS_NAME_CHARS: usize = 100;
/// The longest business phone, in characters (as written in messages: `01632 960123 ext. 2`).
pub const MAX_BUSINESS_PHONE_CHARS: usize = 40;
/// The longest business address, in characters.
pub const MAX_BUSINESS_ADDRESS_CHARS: usize = 200;

impl BusinessInfo {
    /// The details as they are saved: each one line (line breaks and tabs as spaces, other
    /// control characters removed), spaces around it removed.
    pub fn tidied(self) -> Self {
        let tidy = |text: &str| trimmed(line(text)).into_owned();
        Self {
            business_name: tidy(&self.business_name),
            business_phone: tidy(&self.business_phone),
            business_address: tidy(&self.business_address),
        }
    }

    /// [`BusinessInfo::tidied`], refused when a detail is longer than its bound
    /// ([`MAX_BUSINESS_NAME_CHARS`], [`MAX_BUSINESS_PHONE_CHARS`],
    /// [`MAX_BUSINESS_ADDRESS_CHARS`]).
    pub fn checked(self) -> Result<Self, TemplateError> {
        let tidy = self.tidied();
        for (detail, value, max) in [
            (
                "business name",
                &tidy.business_name,
                MAX_BUSINESS_NAME_CHARS,
            ),
            (
                "business phone",
                &tidy.business_phone,
                MAX_BUSINESS_PHONE_CHARS,
            ),
            (
                "business address",
                &tidy.business_address,
                MAX_BUSINESS_ADDRESS_CHARS,
            ),
        ] {
            let chars = value.chars().count();
            if chars > max {
                return Err(TemplateError::BusinessDetailTooLong { detail, chars, max });
            }
        }
        Ok(tidy)
    }
}

/// What the compose form shows under the message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MessagePreview {
    /// The message as shown: exactly what is sent once `complete`; a field still empty shows as
    /// its label in brackets (`[First name]`).
    pub text: String,
    /// Every field has a value: this is the message that will be sent.
    pub complete: bool,
    /// Every field the template asks for, in order (none for free text).
    pub fields: Vec<Placeholder>,
    /// The fields still empty, in order (business fields included: they are filled in Settings).
    pub missing: Vec<Placeholder>,
    /// `text` cut into runs to style: plain text, a costly character, an empty field.
    pub runs: Vec<PreviewRun>,
    /// The cost of what is filled so far (empty fields count as nothing).
    pub count: SegmentCount,
    /// The most characters a message may have.
    pub max_characters: usize,
    /// Look-alike characters in what the person typed (the free text, or the field values),
    /// which "Replace special characters" would change.
    pub lookalikes: Vec<Replacement>,
    /// Look-alikes in the template's own text, which only editing the template can change.
    pub template_lookalikes: Vec<Replacement>,
    /// Segments once every look-alike (typed or in the template) is replaced, when that brings
    /// the message back to GSM-7; `None` when it is GSM-7 already or would stay UCS-2.
    pub segments_if_replaced: Option<usize>,
}

/// A stretch of the preview and how to show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PreviewRun {
    pub text: String,
    pub kind: RunKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RunKind {
    /// Sent as shown.
    Text,
    /// A character outside GSM-7, which makes the whole message cost more.
    Special,
    /// A field with no value yet, shown as `[Label]`; nothing is sent while there is one.
    Missing,
}

/// One part of the message before it is styled.
enum Part<'a> {
    Sent(Cow<'a, str>),
    Missing(Placeholder),
}

/// The live preview. `values` is `None` for free text (sent exactly as typed, braces and all)
/// and the typed field values for a template, whose `body` must be well formed.
pub fn preview_message(
    body: &str,
    values: Option<&BTreeMap<String, String>>,
    business: &BusinessInfo,
) -> Result<MessagePreview, TemplateError> {
    // Tidied as a send tidies them (`text_safety::message`), so the preview is what is sent.
    let parts: Vec<Part<'_>> = match values {
        None => vec![Part::Sent(message(body))],
        Some(values) => parse(body)?
            .into_iter()
            .map(|piece| match piece {
                Piece::Text(text) => Part::Sent(message(text)),
                Piece::Field(name) => match value(name, values, business) {
                    Some(v) => Part::Sent(v),
                    None => Part::Missing(Placeholder::new(name)),
                },
            })
            .collect(),
    };
    let sent: String = parts
        .iter()
        .filter_map(|p| match p {
            Part::Sent(text) => Some(text.as_ref()),
            Part::Missing(_) => None,
        })
        .collect();
    let count = segments::count(&sent);

    let mut missing: Vec<Placeholder> = Vec::new();
    let mut runs: Vec<PreviewRun> = Vec::new();
    let mut offset = 0; // in chars of `sent`
    let mut ranges = count.non_gsm_positions.iter().peekable();
    for part in parts {
        match part {
            Part::Missing(field) => {
                push_run(&mut runs, RunKind::Missing, &format!("[{}]", field.label));
                if !missing.iter().any(|m| m.name == field.name) {
                    missing.push(field);
                }
            }
            Part::Sent(text) => {
                for c in text.chars() {
                    while ranges.next_if(|(_, end)| *end <= offset).is_some() {}
                    let special = ranges
                        .peek()
                        .is_some_and(|(start, end)| (*start..*end).contains(&offset));
                    let kind = if special {
                        RunKind::Special
                    } else {
                        RunKind::Text
                    };
                    push_run(&mut runs, kind, c.encode_utf8(&mut [0; 4]));
                    offset += 1;
                }
            }
        }
    }

    let typed = match values {
        None => body.to_owned(),
        Some(values) => values
            .iter()
            .filter(|(name, _)| {
                super::placeholder::BUSINESS_FIELDS
                    .iter()
                    .all(|b| b != name)
            })
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
    };
    let template_lookalikes = match values {
        None => Vec::new(),
        Some(_) => segments::lookalikes(body),
    };
    let segments_if_replaced = match count.encoding {
        Encoding::Gsm7 => None,
        Encoding::Ucs2 => {
            let replaced = segments::count(&segments::replace_lookalikes(&sent));
            (replaced.encoding == Encoding::Gsm7).then_some(replaced.segments)
        }
    };
    let fields = match values {
        None => Vec::new(),
        Some(_) => placeholders(body)?,
    };
    Ok(MessagePreview {
        text: runs.iter().map(|r| r.text.as_str()).collect(),
        complete: missing.is_empty(),
        fields,
        missing,
        runs,
        count,
        max_characters: MAX_BODY_CHARS,
        lookalikes: segments::lookalikes(&typed),
        template_lookalikes,
        segments_if_replaced,
    })
}

fn push_run(runs: &mut Vec<PreviewRun>, kind: RunKind, text: &str) {
    match runs.last_mut() {
        Some(last) if last.kind == kind && kind != RunKind::Missing => last.text.push_str(text),
        _ => runs.push(PreviewRun {
            text: text.to_owned(),
            kind,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::starter_templates;

    fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn dental() -> BusinessInfo {
        BusinessInfo {
            business_name: "Bright Smile Dental".into(),
            ..BusinessInfo::default()
        }
    }

    fn runs(preview: &MessagePreview) -> Vec<(RunKind, &str)> {
        preview
            .runs
            .iter()
            .map(|r| (r.kind, r.text.as_str()))
            .collect()
    }

    #[test]
    fn the_preview_marks_empty_fields_and_counts_what_is_filled() {
        let body =
            "{{business_name}}: Hi {{first_name}}, see you {{date}} at {{business_address}}.";
        let preview =
            preview_message(body, Some(&values(&[("date", " Tue ")])), &dental()).expect("valid");
        assert_eq!(
            preview.text,
            "Bright Smile Dental: Hi [First name], see you Tue at [Business address]."
        );
        assert!(!preview.complete);
        let missing: Vec<&str> = preview.missing.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(missing, ["first_name", "business_address"]);
        assert_eq!(
            runs(&preview),
            [
                (RunKind::Text, "Bright Smile Dental: Hi "),
                (RunKind::Missing, "[First name]"),
                (RunKind::Text, ", see you Tue at "),
                (RunKind::Missing, "[Business address]"),
                (RunKind::Text, "."),
            ]
        );
        assert_eq!(
            preview.count.characters,
            "Bright Smile Dental: Hi , see you Tue at .".chars().count(),
            "empty fields cost nothing yet"
        );
    }

    #[test]
    fn a_complete_preview_is_exactly_what_is_sent() {
        let body = "{{business_name}}: see you {{date}}.";
        let filled = values(&[("date", "Tue")]);
        let preview = preview_message(body, Some(&filled), &dental()).expect("valid");
        assert!(preview.complete);
        assert_eq!(
            Ok(preview.text.clone()),
            render(body, &filled, &dental()),
            "the preview and the send agree"
        );
        assert_eq!(runs(&preview), [(RunKind::Text, preview.text.as_str())]);
    }

    #[test]
    fn special_characters_are_marked_and_their_fix_counted() {
        let body = "Hi {{first_name}}, it\u{2019}s {{date}}";
        let filled = values(&[("first_name", "Zo\u{e9}"), ("date", "Tue \u{2013} 3pm")]);
        let preview = preview_message(body, Some(&filled), &dental()).expect("valid");
        assert_eq!(preview.count.encoding, Encoding::Ucs2);
        assert_eq!(
            runs(&preview),
            [
                (RunKind::Text, "Hi Zo\u{e9}, it"),
                (RunKind::Special, "\u{2019}"),
                (RunKind::Text, "s Tue "),
                (RunKind::Special, "\u{2013}"),
                (RunKind::Text, " 3pm"),
            ],
            "é is GSM-7; the curly quote and the dash are not"
        );
        let typed: Vec<&str> = preview.lookalikes.iter().map(|r| r.from.as_str()).collect();
        assert_eq!(typed, ["\u{2013}"], "only what was typed in the fields");
        let in_template: Vec<&str> = preview
            .template_lookalikes
            .iter()
            .map(|r| r.from.as_str())
            .collect();
        assert_eq!(in_template, ["\u{2019}"]);
        assert_eq!(preview.segments_if_replaced, Some(1));

        let emoji = preview_message("See you \u{1f600}", None, &dental()).expect("free text");
        assert_eq!(emoji.segments_if_replaced, None, "an emoji has no stand-in");
        assert_eq!(
            runs(&emoji),
            [(RunKind::Text, "See you "), (RunKind::Special, "\u{1f600}")]
        );
    }

    #[test]
    fn free_text_is_sent_as_typed() {
        let preview = preview_message("Hi {{first_name}}", None, &dental()).expect("free text");
        assert!(preview.complete, "free text has no fields to fill");
        assert_eq!(preview.text, "Hi {{first_name}}");
        assert!(preview.template_lookalikes.is_empty());
        let long = preview_message(&"x".repeat(1601), None, &dental()).expect("free text");
        assert_eq!((long.count.characters, long.max_characters), (1601, 1600));
    }

    #[test]
    fn the_preview_shows_control_characters_as_they_are_sent() {
        let free =
            preview_message("Hi\r\nJane\u{1b}[1m\u{0}!\u{0B}", None, &dental()).expect("free text");
        assert_eq!(free.text, "Hi\nJane[1m!\n");
        assert_eq!(free.count.characters, 12);
        let body = "Hi {{first_name}},\r\nsee you {{date}}.";
        let filled = values(&[("first_name", "Ma\u{7}ria\r"), ("date", "\u{9b}Tue")]);
        let preview = preview_message(body, Some(&filled), &dental()).expect("valid");
        assert!(preview.complete);
        assert_eq!(preview.text, "Hi Maria,\nsee you Tue.");
        assert_eq!(Ok(preview.text), render(body, &filled, &dental()));
    }

    #[test]
    fn a_send_with_a_template_renders_the_saved_text() {
        let list = starter_templates();
        let fill = TemplateFill {
            template_id: "starter-confirmation".into(),
            values: values(&[("first_name", "Maria"), ("date", "Tue"), ("time", "3pm")]),
        };
        let (template, body) = fill.render(&list, &dental()).expect("filled");
        assert_eq!(template.id, "starter-confirmation");
        assert_eq!(
            body,
            "Bright Smile Dental: Hi Maria, your appointment is booked for Tue at 3pm. To change it, reply to this text. Reply STOP to opt out."
        );
        let partial = TemplateFill {
            values: values(&[("first_name", "Maria"), ("date", " ")]),
            ..fill.clone()
        };
        assert_eq!(
            partial.render(&list, &dental()).map_err(|e| e.to_string()),
            Err("Fill in: Date, Time.".to_owned())
        );
        let gone = TemplateFill {
            template_id: "deleted".into(),
            ..fill
        };
        assert_eq!(
            gone.render(&list, &dental()).map(|(_, body)| body),
            Err(TemplateError::NotFound("deleted".into()))
        );
    }

    #[test]
    fn business_details_are_tidied() {
        let tidy = BusinessInfo {
            business_name: " Bright Smile ".into(),
            business_phone: "\t01632 960123\n".into(),
            business_address: String::new(),
        }
        .tidied();
        assert_eq!(tidy.business_name, "Bright Smile");
        assert_eq!(tidy.business_phone, "01632 960123");
    }

    #[test]
    fn business_details_are_one_line_and_bounded() {
        let tidy = BusinessInfo {
            business_name: "Bright\u{1b}[5m Smile\u{0}".into(),
            business_phone: "01632\r\n960123\u{7}".into(),
            business_address: "1 High St,\u{0B}Leeds\u{85}".into(),
        }
        .checked()
        .expect("short enough");
        assert_eq!(tidy.business_name, "Bright[5m Smile");
        assert_eq!(tidy.business_phone, "01632 960123");
        assert_eq!(tidy.business_address, "1 High St, Leeds");
        let at_most = BusinessInfo {
            business_name: "n".repeat(100),
            business_phone: "p".repeat(40),
            business_address: "a".repeat(200),
        };
        assert_eq!(at_most.clone().checked(), Ok(at_most.clone()));
        let longer = |f: fn(&mut BusinessInfo)| {
            let mut b = at_most.clone();
            f(&mut b);
            b.checked()
        };
        assert_eq!(
            longer(|b| b.business_name.push('é')),
            Err(TemplateError::BusinessDetailTooLong {
                detail: "business name",
                chars: 101,
                max: 100
            })
        );
        assert!(longer(|b| b.business_phone.push('1')).is_err());
        assert!(longer(|b| b.business_address.push('.')).is_err());
    }
}

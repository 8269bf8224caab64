//! Reading `{{fields}}` out of a template's text.

use super::error::TemplateError;
use super::placeholder::Placeholder;

/// How fields are written, in words the app's help panel can show as they are.
pub const SYNTAX_HELP: &str = "\
To fill something in for each message, put its name between double braces: {{first_name}}. Spaces inside the braces are fine: {{ date }}.
Names use lowercase letters, digits and underscores (_), and start with a letter: {{first_name}}, {{date}}, {{time}}, {{location}}.
{{business_name}}, {{business_phone}} and {{business_address}} are filled in from Settings.
{{stop_footer}} becomes: Reply STOP to opt out. (Put people who reply STOP on the do-not-text list.)
A single { or } is ordinary text. Double braces always start or end a field, and a field stays on one line.
A message can only be sent when every field is filled in.";

/// The fields in `body`, in the order they first appear, each once. Malformed braces are an
/// error saying where and what.
pub fn placeholders(body: &str) -> Result<Vec<Placeholder>, TemplateError> {
    let mut names: Vec<&str> = Vec::new();
    for piece in parse(body)? {
        if let Piece::Field(name) = piece {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    Ok(names.into_iter().map(Placeholder::new).collect())
}

/// A template's text, split into plain text and fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Piece<'a> {
    Text(&'a str),
    Field(&'a str),
}

/// Splits `body` into pieces, or says what is wrong with the first malformed brace.
pub(crate) fn parse(body: &str) -> Result<Vec<Piece<'_>>, TemplateError> {
    let mut pieces = Vec::new();
    let mut text_start = 0;
    let mut i = 0;
    while let Some(ch) = body[i..].chars().next() {
        let rest = &body[i..];
        if rest.starts_with("}}") {
            let (line, column) = position(body, i);
            return Err(TemplateError::StrayClose { line, column });
        }
        if !rest.starts_with("{{") {
            i += ch.len_utf8();
            continue;
        }
        let inner = &rest[2..];
        let close = inner.find("}}");
        let stop = [inner.find("{{"), inner.find('\n')]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(inner.len());
        let (line, column) = position(body, i);
        let Some(close) = close.filter(|&c| c <= stop) else {
            return Err(TemplateError::UnclosedField {
                text: unclosed_text(rest, stop),
                line,
                column,
            });
        };
        let name = inner[..close].trim();
        let written = &rest[..close + 4];
        if name.is_empty() {
            return Err(TemplateError::EmptyField {
                text: written.to_owned(),
                line,
                column,
            });
        }
        if !is_valid_name(name) {
            return Err(TemplateError::InvalidFieldName {
                text: shorten(written),
                line,
                column,
            });
        }
        if text_start < i {
            pieces.push(Piece::Text(&body[text_start..i]));
        }
        pieces.push(Piece::Field(name));
        i += close + 4;
        text_start = i;
    }
    if text_start < body.len() {
        pieces.push(Piece::Text(&body[text_start..]));
    }
    Ok(pieces)
}

/// Lowercase letters, digits and underscores, starting with a letter.
fn is_valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Line and character (both from 1) of the byte offset `at`.
pub(crate) fn position(body: &str, at: usize) -> (usize, usize) {
    let before = &body[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// What to quote for an unclosed field: the braces and the word after them (`{{first`), up to
/// `stop` (the next `{{` or line end, as an offset after the braces).
fn unclosed_text(rest: &str, stop: usize) -> String {
    let inner = &rest[2..2 + stop];
    let spaces = inner.len() - inner.trim_start_matches([' ', '\t']).len();
    let word = inner[spaces..]
        .find(char::is_whitespace)
        .map_or(inner.len(), |end| spaces + end);
    shorten(&rest[..2 + word])
}

/// At most 30 characters, so a message quoting it stays readable.
fn shorten(text: &str) -> String {
    const MAX: usize = 30;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        let head: String = text.chars().take(MAX - 3).collect();
        format!("{head}...")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(body: &str) -> Vec<String> {
        placeholders(body)
            .expect("valid markup")
            .into_iter()
            .map(|p| p.name)
            .collect()
    }

    #[test]
    fn fields_come_in_order_of_first_appearance_once_each() {
        assert_eq!(
            names(
                "Hi {{first_name}}, {{ date }} at {{time}}. Bye {{first_name}}, see you {{date}}."
            ),
            ["first_name", "date", "time"]
        );
        assert_eq!(
            names("{{\tdate  }}"),
            ["date"],
            "tabs and spaces inside are fine"
        );
        assert_eq!(names("No fields here."), Vec::<String>::new());
        assert_eq!(names(""), Vec::<String>::new());
        assert_eq!(
            names("{{a1_b}}{{x}}"),
            ["a1_b", "x"],
            "fields may touch each other"
        );
    }

    #[test]
    fn labels_and_business_fields() {
        let found = placeholders("{{business_name}}: {{first_name}} {{date}} {{line_2}}")
            .expect("valid markup");
        let shown: Vec<(&str, bool)> = found
            .iter()
            .map(|p| (p.label.as_str(), p.from_business))
            .collect();
        assert_eq!(
            shown,
            [
                ("Business name", true),
                ("First name", false),
                ("Date", false),
                ("Line 2", false)
            ]
        );
    }

    #[test]
    fn single_braces_are_ordinary_text() {
        assert_eq!(names("{ } {a} }{ {{x}} }"), ["x"]);
        let pieces = parse("a{b}c{{x}}}").expect("a lone } after a field is text");
        assert_eq!(
            pieces,
            [Piece::Text("a{b}c"), Piece::Field("x"), Piece::Text("}")]
        );
    }

    fn error(body: &str) -> TemplateError {
        match placeholders(body) {
            Err(e) => e,
            Ok(found) => panic!("{body:?} should be refused, found {found:?}"),
        }
    }

    fn unclosed(text: &str, line: usize, column: usize) -> TemplateError {
        TemplateError::UnclosedField {
            text: text.into(),
            line,
            column,
        }
    }

    #[test]
    fn unclosed_fields_are_refused_with_where_and_what() {
        assert_eq!(error("Hi {{first"), unclosed("{{first", 1, 4));
        assert_eq!(
            error("Hi {{first, see you {{date}}"),
            unclosed("{{first,", 1, 4)
        );
        assert_eq!(
            error("Hi {{ first_name\n}}"),
            unclosed("{{ first_name", 1, 4),
            "a field stays on one line"
        );
        assert_eq!(error("Hi {{"), unclosed("{{", 1, 4));
        assert_eq!(
            error("ok\nDear é {{{{x}}"),
            unclosed("{{", 2, 8),
            "{{{{ is not an escape; columns count characters, not bytes"
        );
        assert_eq!(
            error("{{averyveryveryverylongfieldnamewithoutend"),
            unclosed("{{averyveryveryverylongfiel...", 1, 1)
        );
    }

    #[test]
    fn empty_fields_are_refused() {
        let empty = |text: &str, column| TemplateError::EmptyField {
            text: text.into(),
            line: 1,
            column,
        };
        assert_eq!(error("Hi {{ }}"), empty("{{ }}", 4));
        assert_eq!(error("{{}}"), empty("{{}}", 1));
    }

    #[test]
    fn invalid_names_are_refused() {
        let invalid = |text: &str, column| TemplateError::InvalidFieldName {
            text: text.into(),
            line: 1,
            column,
        };
        assert_eq!(error("Hi {{First Name}}"), invalid("{{First Name}}", 4));
        assert_eq!(error("{{first name}}"), invalid("{{first name}}", 1));
        assert_eq!(error("{{1st}}"), invalid("{{1st}}", 1));
        assert_eq!(error("{{_x}}"), invalid("{{_x}}", 1));
        assert_eq!(error("{{first-name}}"), invalid("{{first-name}}", 1));
        assert_eq!(error("{{prénom}}"), invalid("{{prénom}}", 1));
        assert_eq!(
            error("{{{first_name}}}"),
            invalid("{{{first_name}}", 1),
            "triple braces are not a field"
        );
    }

    #[test]
    fn stray_closing_braces_are_refused() {
        assert_eq!(
            error("Hi first_name}}"),
            TemplateError::StrayClose {
                line: 1,
                column: 14
            }
        );
        assert_eq!(
            error("{{x}}\n}}"),
            TemplateError::StrayClose { line: 2, column: 1 }
        );
    }

    #[test]
    fn odd_text_is_answered_never_a_crash() {
        for body in [
            "{{",
            "}}",
            "{{\n",
            "é{{é",
            "{{é}}",
            "{{ é",
            "😀{{x",
            "{{x}}😀}}",
            "\n\n}}",
        ] {
            let _ = placeholders(body);
        }
        assert_eq!(
            error("😀 {{x"),
            unclosed("{{x", 1, 3),
            "an emoji is one character"
        );
    }

    #[test]
    fn the_help_text_shows_only_valid_examples() {
        // Every {{...}} in the help text must itself be valid markup, or the help would lie.
        let without_lone_braces = SYNTAX_HELP.replace("{ or }", "");
        assert!(placeholders(&without_lone_braces).is_ok());
        assert!(SYNTAX_HELP.is_ascii());
    }
}

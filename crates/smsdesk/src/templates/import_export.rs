//! Templates files: saving the list to share or back it up, and reading one back.
//!
//! A file looks like `{"format": "smsdesk-templates", "version": 1, "templates": [...]}`. A bare
//! JSON list of templates is read too. Importing never loses anything quietly: each entry is
//! either imported, skipped (already there) or reported as invalid, with the reason.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::error::TemplateError;
use super::list::validate;
use super::naming::{new_id, unique_name, MAX_NAME_CHARS};
use super::{Template, TemplateDraft};
use crate::text_safety;

/// The `format` marker of a templates file.
pub const FORMAT: &str = "smsdesk-templates";
/// The newest file version this SMS Desk reads and the one it writes.
pub const VERSION: u64 = 1;

/// What importing a file would add. The caller appends `imported` to its list and saves it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    /// Ready to add, checked and tidied, with ids not used in the list.
    pub imported: Vec<Template>,
    /// Entries left out because the list already has them.
    pub skipped: Vec<ImportIssue>,
    /// Entries that could not be imported, and why.
    pub invalid: Vec<ImportIssue>,
}

/// One entry of the file that was not imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportIssue {
    /// Where the entry is in the file's list, from 0 (show `index + 1` to people).
    pub index: usize,
    /// The entry's name, when it has one.
    pub name: Option<String>,
    /// Why, in plain words.
    pub reason: String,
}

#[derive(Serialize)]
struct File<'a> {
    format: &'a str,
    version: u64,
    templates: &'a [Template],
}

/// The templates as a file's text (pretty JSON).
pub fn export(templates: &[Template]) -> String {
    let file = File {
        format: FORMAT,
        version: VERSION,
        templates,
    };
    serde_json::to_string_pretty(&file).expect("templates are plain strings and booleans")
}

/// Reads a templates file against the list it would be added to. A file that is not a templates
/// file at all, or is from a newer SMS Desk, is an error; problems with single entries are
/// reported in [`ImportReport`] and do not stop the others.
///
/// An entry is skipped when the list (or an earlier entry) has a template with the same name
/// (ignoring case) and the same text. An entry whose name is taken by a different text is
/// imported as "Name (imported)". An entry whose id is missing or taken gets a new one.
pub fn import(json: &str, existing: &[Template]) -> Result<ImportReport, TemplateError> {
    let entries = entries(json)?;
    let mut report = ImportReport::default();
    for (index, entry) in entries.into_iter().enumerate() {
        let issue = |reason: String| ImportIssue {
            index,
            name: entry_name(&entry),
            reason,
        };
        let Some(fields) = entry.as_object() else {
            report
                .invalid
                .push(issue("This entry is not a template.".into()));
            continue;
        };
        let mut template = read_template(fields);
        if let Err(e) = validate(&template) {
            report.invalid.push(issue(e.to_string()));
            continue;
        }
        let all = || existing.iter().chain(&report.imported);
        let same = |t: &Template| {
            t.name.trim().eq_ignore_ascii_case(&template.name) && t.body.trim() == template.body
        };
        if existing.iter().any(same) {
            let reason = "A template with the same name and text is already in the list.";
            report.skipped.push(issue(reason.into()));
            continue;
        }
        if report.imported.iter().any(same) {
            let reason = "The same template is earlier in this file.";
            report.skipped.push(issue(reason.into()));
            continue;
        }
        if all().any(|t| t.name.trim().eq_ignore_ascii_case(&template.name)) {
            let taken: Vec<Template> = all().cloned().collect();
            template.name = unique_name(&template.name, "imported", &taken);
        }
        if !usable_id(&template.id) || all().any(|t| t.id == template.id) {
            template.id = new_id(|id| all().any(|t| t.id == id));
        }
        report.imported.push(template);
    }
    Ok(report)
}

/// The file's list of entries, or why the file is not a templates file.
fn entries(json: &str) -> Result<Vec<Value>, TemplateError> {
    // Some editors on Windows start a saved file with an invisible byte-order mark.
    let json = json.trim_start_matches('\u{feff}');
    let value: Value = serde_json::from_str(json).map_err(|e| TemplateError::ImportNotJson {
        line: e.line(),
        column: e.column(),
    })?;
    let mut file = match value {
        Value::Array(entries) => return Ok(entries),
        Value::Object(file) => file,
        _ => return Err(TemplateError::ImportNotTemplates),
    };
    if file.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(TemplateError::ImportNotTemplates);
    }
    match file.get("version") {
        None => {}
        Some(v) => match v.as_u64() {
            Some(1..=VERSION) => {}
            Some(version) if version > VERSION => {
                return Err(TemplateError::ImportNewerVersion {
                    version,
                    supported: VERSION,
                })
            }
            _ => return Err(TemplateError::ImportNotTemplates),
        },
    }
    match file.remove("templates") {
        Some(Value::Array(entries)) => Ok(entries),
        _ => Err(TemplateError::ImportNotTemplates),
    }
}

/// A template from an entry's fields, read leniently (snake_case names, a numeric teammate id)
/// and tidied like one typed in the editor. A missing id is left empty for [`import`] to fill.
fn read_template(fields: &Map<String, Value>) -> Template {
    let field = |camel: &str, snake: &str| fields.get(camel).or_else(|| fields.get(snake));
    let text = |name: &str| {
        field(name, name)
            .and_then(Value::as_str)
            .unwrap_or_default()
    };
    let teammate_id = match field("teammateId", "teammate_id") {
        Some(Value::String(id)) => Some(id.clone()),
        Some(Value::Number(id)) => Some(id.to_string()),
        _ => None,
    };
    let draft = TemplateDraft {
        name: text("name").to_owned(),
        body: text("body").to_owned(),
        open_conversation: field("openConversation", "open_conversation")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        teammate_id,
    };
    draft.into_template(text("id").trim().to_owned())
}

/// The entry's name for the report, when it has a non-blank one: one line, control characters
/// removed, cut to [`MAX_NAME_CHARS`] (an invalid entry's name may be anything).
fn entry_name(entry: &Value) -> Option<String> {
    let name = text_safety::line(entry.get("name")?.as_str()?);
    let name = name.trim();
    if name.chars().count() > MAX_NAME_CHARS {
        let head: String = name.chars().take(MAX_NAME_CHARS - 1).collect();
        return Some(format!("{}…", head.trim_end()));
    }
    (!name.is_empty()).then(|| name.to_owned())
}

/// The longest id kept from a file (SMS Desk's own are about 20 characters).
const MAX_ID_CHARS: usize = 100;

/// An id from a file that can be kept: not empty, not too long, printable. Any other gets a new
/// one (ids are never shown, so nothing is lost).
fn usable_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_CHARS
        && !id.chars().any(|c| c.is_control() || c.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::starter_templates;

    fn template(id: &str, name: &str, body: &str) -> Template {
        Template {
            id: id.into(),
            name: name.into(),
            body: body.into(),
            open_conversation: false,
            teammate_id: None,
        }
    }

    #[test]
    fn export_then_import_gives_the_same_templates() {
        let mut list = starter_templates();
        list[0].open_conversation = true;
        list[0].teammate_id = Some("814860".into());
        let file = export(&list);
        let parsed: Value = serde_json::from_str(&file).expect("export is JSON");
        assert_eq!(parsed["format"], "smsdesk-templates");
        assert_eq!(parsed["version"], 1);
        assert_eq!(parsed["templates"][0]["openConversation"], true);
        assert!(file.contains("\n  \"templates\""), "pretty printed");

        let report = import(&file, &[]).expect("a templates file");
        assert_eq!(report.imported, list, "ids and settings survive the trip");
        assert!(report.skipped.is_empty() && report.invalid.is_empty());

        let again = import(&file, &list).expect("a templates file");
        assert!(again.imported.is_empty(), "nothing is added twice");
        assert_eq!(again.skipped.len(), list.len());
    }

    #[test]
    fn good_entries_are_imported_and_bad_ones_reported() {
        let file = r#"[
            {"name": "One", "body": "Hi {{first_name}}"},
            {"name": "Broken", "body": "Hi {{first"},
            {"name": "Two", "body": "See you {{date}}"},
            {"body": "No name"},
            {"name": "Three", "body": "Bye"}
        ]"#;
        let report = import(file, &[]).expect("a bare list is accepted");
        let names: Vec<&str> = report.imported.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["One", "Two", "Three"]);
        let bad: Vec<usize> = report.invalid.iter().map(|i| i.index).collect();
        assert_eq!(bad, [1, 3]);
    }

    /// Every kind of entry problem, as the import dialog will list them.
    #[test]
    fn the_import_report_explains_every_entry() {
        let existing = vec![
            template("starter-reminder", "Reminder", "See you {{date}}."),
            template("tpl-a", "Thanks", "Thank you!"),
        ];
        let file = serde_json::json!({
            "format": "smsdesk-templates",
            "templates": [
                {"id": "x-1", "name": "Welcome", "body": "Welcome, {{first_name}}!", "openConversation": true},
                42,
                {"id": "x-2", "body": "No name here"},
                {"id": "x-3", "name": "Empty", "body": "   "},
                {"id": "x-4", "name": "Braces", "body": "Hi {{First Name}}"},
                {"id": "x-5", "name": "Teammate", "body": "Hi", "teammateId": "jane"},
                {"id": "x-6", "name": "Long", "body": "x".repeat(1601)},
                {"id": "x-7", "name": "reminder", "body": "See you {{date}}."},
                {"id": "x-8", "name": "Welcome", "body": "Welcome, {{first_name}}!"},
                {"id": "x-9", "name": "Reminder", "body": "Tomorrow: {{time}}."},
                {"id": "tpl-a", "name": "Snake", "body": "Hi", "open_conversation": true, "teammate_id": 814860},
                {"name": "No id", "body": "Hi there"}
            ]
        })
        .to_string();
        let report = import(&file, &existing).expect("a templates file without a version is read");
        let new_ids: Vec<bool> = report
            .imported
            .iter()
            .map(|t| t.id.starts_with("tpl-") && t.id != "tpl-a")
            .collect();
        assert_eq!(
            new_ids,
            [false, false, true, true],
            "a clashing or missing id is replaced, others are kept"
        );
        insta::assert_json_snapshot!(report, {
            ".imported[].id" => insta::dynamic_redaction(|value, _path| {
                match value.as_str() {
                    Some(id) if id.starts_with("tpl-") => "[new id]".into(),
                    _ => value,
                }
            }),
        });
    }

    #[test]
    fn files_that_are_not_templates_files_are_refused() {
        let not_json = import("{\n  \"format\": smsdesk", &[]);
        assert!(matches!(
            not_json,
            Err(TemplateError::ImportNotJson { line: 2, .. })
        ));
        assert!(matches!(
            import("", &[]),
            Err(TemplateError::ImportNotJson { .. })
        ));
        for other in [
            r#""templates""#,
            r#"{"templates": []}"#,
            r#"{"format": "something-else", "version": 1, "templates": []}"#,
            r#"{"format": "smsdesk-templates", "version": 0, "templates": []}"#,
            r#"{"format": "smsdesk-templates", "version": "1", "templates": []}"#,
            r#"{"format": "smsdesk-templates", "version": 1}"#,
            r#"{"format": "smsdesk-templates", "version": 1, "templates": {}}"#,
        ] {
            assert_eq!(
                import(other, &[]),
                Err(TemplateError::ImportNotTemplates),
                "{other}"
            );
        }
        assert_eq!(
            import(
                r#"{"format": "smsdesk-templates", "version": 2, "templates": []}"#,
                &[]
            ),
            Err(TemplateError::ImportNewerVersion {
                version: 2,
                supported: 1
            })
        );
    }

    #[test]
    fn imported_entries_lose_control_characters() {
        let file = serde_json::json!([
            {"id": "ok-1", "name": "Remind\u{1b}[2Jer\u{0}", "body": "Hi\r\n{{first_name}}\u{9b}\u{0B}bye"},
            {"id": "bad\u{1b}id", "name": "Other", "body": "Hi"},
            {"id": "x".repeat(101), "name": "Third", "body": "Hi"},
            {"name": format!("\u{1b}[31m{}", "n".repeat(200)), "body": ""}
        ])
        .to_string();
        let report = import(&file, &[]).expect("a templates file");
        let first = &report.imported[0];
        assert_eq!(
            (first.id.as_str(), first.name.as_str()),
            ("ok-1", "Remind[2Jer")
        );
        assert_eq!(first.body, "Hi\n{{first_name}}\nbye");
        assert!(
            report.imported[1].id.starts_with("tpl-"),
            "an id with a control character"
        );
        assert!(report.imported[2].id.starts_with("tpl-"), "an overlong id");
        let named = report.invalid[0].name.as_deref().expect("named");
        assert!(!named.chars().any(char::is_control), "{named:?}");
        assert_eq!(named.chars().count(), MAX_NAME_CHARS);
    }

    #[test]
    fn a_byte_order_mark_and_an_empty_list_are_fine() {
        let file = format!("\u{feff}{}", export(&[]));
        assert_eq!(import(&file, &[]), Ok(ImportReport::default()));
    }
}

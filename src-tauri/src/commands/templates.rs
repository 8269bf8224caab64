//! Templates: the list (kept in `templates.json`), edits, and import / export through the
//! system's file dialogs (opened from Rust; the webview never names a path).

use serde::Deserialize;
use smsdesk::templates::{self, ImportReport, Template, TemplateDraft};
use smsdesk::UserError;
use tauri::AppHandle;

use crate::file_dialog::{self, FileKind};
use crate::templates_file;

/// The file name an export suggests.
const EXPORT_FILE_NAME: &str = "SMS Desk templates.json";

const IMPORT_KIND: FileKind = FileKind {
    title: "Import templates",
    filter: "SMS Desk templates",
    extension: "json",
};
const EXPORT_KIND: FileKind = FileKind {
    title: "Export templates",
    ..IMPORT_KIND
};

/// Which way a template moves in the list.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Up,
    Down,
}

/// The templates in order (the starter templates until the list is first changed).
#[tauri::command]
pub async fn list_templates(app: AppHandle) -> Result<Vec<Template>, UserError> {
    templates_file::load(&app)
}

/// Creates a template from the editor (`id` absent) or updates the template `id`.
#[tauri::command]
pub async fn save_template(
    app: AppHandle,
    id: Option<String>,
    draft: TemplateDraft,
) -> Result<Template, UserError> {
    templates_file::edit(&app, |list| match id.as_deref() {
        Some(id) => templates::update(list, id, draft),
        None => templates::create(list, draft),
    })
}

/// Copies a template right after itself; returns the copy.
#[tauri::command]
pub async fn duplicate_template(app: AppHandle, id: String) -> Result<Template, UserError> {
    templates_file::edit(&app, |list| templates::duplicate(list, &id))
}

#[tauri::command]
pub async fn delete_template(app: AppHandle, id: String) -> Result<Template, UserError> {
    templates_file::edit(&app, |list| templates::delete(list, &id))
}

/// Moves a template one place; returns its new place (from 0).
#[tauri::command]
pub async fn move_template(
    app: AppHandle,
    id: String,
    direction: Direction,
) -> Result<usize, UserError> {
    templates_file::edit(&app, |list| match direction {
        Direction::Up => templates::move_up(list, &id),
        Direction::Down => templates::move_down(list, &id),
    })
}

/// Asks for a templates file and adds its new templates; `None` when the person cancels.
#[tauri::command]
pub async fn import_templates(app: AppHandle) -> Result<Option<ImportReport>, UserError> {
    match file_dialog::pick_file(&app, IMPORT_KIND).await? {
        Some(path) => templates_file::import(&app, &path).map(Some),
        None => Ok(None),
    }
}

/// Asks where to save and writes every template there; returns the file's path, or `None`
/// when the person cancels.
#[tauri::command]
pub async fn export_templates(app: AppHandle) -> Result<Option<String>, UserError> {
    let Some(path) = file_dialog::pick_save(&app, EXPORT_KIND, EXPORT_FILE_NAME).await? else {
        return Ok(None);
    };
    templates::export_to_file(&path, &templates_file::load(&app)?)?;
    Ok(Some(path.display().to_string()))
}

/// How to write fields in a template, one point a line, for the editor's help panel.
#[tauri::command]
pub async fn get_template_help() -> Result<String, UserError> {
    Ok(templates::SYNTAX_HELP.to_owned())
}

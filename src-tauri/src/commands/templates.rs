//! Templates: the list, edits, and import / export through the system's file dialogs
//! (opened from Rust; the webview never names a path).

use std::sync::Arc;

use smsdesk::desk::library::Direction;
use smsdesk::desk::Desk;
use smsdesk::templates::{ImportReport, Template, TemplateDraft, SYNTAX_HELP};
use smsdesk::UserError;
use tauri::{AppHandle, State};

use crate::file_dialog::{self, FileKind};

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

/// The templates in order (the starter templates until the list is first changed).
#[tauri::command]
pub async fn list_templates(desk: State<'_, Arc<Desk>>) -> Result<Vec<Template>, UserError> {
    Ok(desk.templates().await?)
}

/// Creates a template from the editor (`id` absent) or updates the template `id`.
#[tauri::command]
pub async fn save_template(
    desk: State<'_, Arc<Desk>>,
    id: Option<String>,
    draft: TemplateDraft,
) -> Result<Template, UserError> {
    Ok(desk.save_template(id, draft).await?)
}

/// Copies a template right after itself; returns the copy.
#[tauri::command]
pub async fn duplicate_template(
    desk: State<'_, Arc<Desk>>,
    id: String,
) -> Result<Template, UserError> {
    Ok(desk.duplicate_template(&id).await?)
}

#[tauri::command]
pub async fn delete_template(
    desk: State<'_, Arc<Desk>>,
    id: String,
) -> Result<Template, UserError> {
    Ok(desk.delete_template(&id).await?)
}

/// Moves a template one place; returns its new place (from 0).
#[tauri::command]
pub async fn move_template(
    desk: State<'_, Arc<Desk>>,
    id: String,
    direction: Direction,
) -> Result<usize, UserError> {
    Ok(desk.move_template(&id, direction).await?)
}

/// Asks for a templates file and adds its new templates; `None` when the person cancels.
#[tauri::command]
pub async fn import_templates(
    app: AppHandle,
    desk: State<'_, Arc<Desk>>,
) -> Result<Option<ImportReport>, UserError> {
    let Some(path) = file_dialog::pick_file(&app, IMPORT_KIND).await? else {
        return Ok(None);
    };
    Ok(Some(desk.import_templates(&path).await?))
}

/// Asks where to save and writes every template there; returns the file's path, or `None`
/// when the person cancels.
#[tauri::command]
pub async fn export_templates(
    app: AppHandle,
    desk: State<'_, Arc<Desk>>,
) -> Result<Option<String>, UserError> {
    let Some(path) = file_dialog::pick_save(&app, EXPORT_KIND, EXPORT_FILE_NAME).await? else {
        return Ok(None);
    };
    desk.export_templates(&path).await?;
    Ok(Some(path.display().to_string()))
}

/// How to write fields in a template, one point a line, for the editor's help panel.
#[tauri::command]
pub async fn get_template_help() -> Result<String, UserError> {
    Ok(SYNTAX_HELP.to_owned())
}

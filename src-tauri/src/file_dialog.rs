//! The system's file dialogs, opened from Rust: the webview never chooses a path, so it needs
//! no dialog or file-system permission.
//!
//! Test-only: in debug builds, when `SMSDESK_TEST_FILE_DIALOG` is set, no dialog is shown and
//! the dialog answers with that path (the end-to-end tests cannot click a native dialog).
//! Release builds ignore the variable.

use std::path::PathBuf;

use smsdesk::UserError;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder, FilePath};

/// Debug builds only: answer every file dialog with this path instead of showing it.
#[cfg(debug_assertions)]
pub const TEST_ANSWER_ENV: &str = "SMSDESK_TEST_FILE_DIALOG";

/// What a dialog asks for: its title and the kind of file it lists.
#[derive(Debug, Clone, Copy)]
pub struct FileKind {
    /// The dialog's title, such as "Import templates".
    pub title: &'static str,
    /// The filter's name, such as "SMS Desk templates".
    pub filter: &'static str,
    /// The files' extension, without the dot.
    pub extension: &'static str,
}

/// Asks for a file to open; `None` when the person cancels.
pub async fn pick_file<R: Runtime>(
    app: &AppHandle<R>,
    kind: FileKind,
) -> Result<Option<PathBuf>, UserError> {
    let dialog = builder(app, kind);
    ask(move || dialog.blocking_pick_file()).await
}

/// Asks for a file to open among several extensions (such as every spreadsheet and text
/// format a booking system exports); `None` when the person cancels.
pub async fn pick_file_of<R: Runtime>(
    app: &AppHandle<R>,
    kind: FileKind,
    extensions: &[&str],
) -> Result<Option<PathBuf>, UserError> {
    let dialog = with_parent(
        app,
        app.dialog()
            .file()
            .set_title(kind.title)
            .add_filter(kind.filter, extensions),
    );
    ask(move || dialog.blocking_pick_file()).await
}

/// Asks where to save a file, suggesting `file_name`; `None` when the person cancels.
pub async fn pick_save<R: Runtime>(
    app: &AppHandle<R>,
    kind: FileKind,
    file_name: &str,
) -> Result<Option<PathBuf>, UserError> {
    let dialog = builder(app, kind).set_file_name(file_name);
    ask(move || dialog.blocking_save_file()).await
}

fn builder<R: Runtime>(app: &AppHandle<R>, kind: FileKind) -> FileDialogBuilder<R> {
    let dialog = app
        .dialog()
        .file()
        .set_title(kind.title)
        .add_filter(kind.filter, &[kind.extension]);
    with_parent(app, dialog)
}

/// The dialog over the app's window.
fn with_parent<R: Runtime>(
    app: &AppHandle<R>,
    dialog: FileDialogBuilder<R>,
) -> FileDialogBuilder<R> {
    match app.get_webview_window("main") {
        Some(window) => dialog.set_parent(&window),
        None => dialog,
    }
}

async fn ask(
    show: impl FnOnce() -> Option<FilePath> + Send + 'static,
) -> Result<Option<PathBuf>, UserError> {
    if let Some(path) = test_answer() {
        return Ok(Some(path));
    }
    let picked = tauri::async_runtime::spawn_blocking(show)
        .await
        .map_err(dialog_error)?;
    picked
        .map(|p| p.into_path().map_err(dialog_error))
        .transpose()
}

#[cfg(debug_assertions)]
fn test_answer() -> Option<PathBuf> {
    std::env::var_os(TEST_ANSWER_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

#[cfg(not(debug_assertions))]
fn test_answer() -> Option<PathBuf> {
    None
}

fn dialog_error(error: impl std::fmt::Display) -> UserError {
    UserError::new(
        "file_dialog_failed",
        format!("SMS Desk could not show the file window: {error}"),
        "Try again. If it keeps happening, restart SMS Desk.",
    )
}

//! Templates files on disk: the app picks the path (a file dialog), these read and write it.

use std::io::Read;
use std::path::Path;

use super::error::TemplateError;
use super::import_export::{export, import, ImportReport};
use super::Template;
use crate::error::{Error, Result};

/// A templates file is a few kilobytes; anything above this is not one.
pub const MAX_IMPORT_BYTES: u64 = 2 * 1024 * 1024;

/// Reads the templates file at `path` against the list it would be added to (see
/// [`import`]). A file that cannot be opened, is too big or is not text is an error that
/// names it; nothing is added then.
pub fn import_from_file(path: &Path, existing: &[Template]) -> Result<ImportReport> {
    let unreadable = |e: std::io::Error| Error::FileUnreadable {
        file: file_name(path),
        reason: io_reason(&e),
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    file.take(MAX_IMPORT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_IMPORT_BYTES {
        return Err(TemplateError::ImportNotTemplates.into());
    }
    let text = String::from_utf8(bytes).map_err(|_| TemplateError::ImportNotTemplates)?;
    Ok(import(&text, existing)?)
}

/// Writes `templates` as a templates file at `path` (replacing a file that is there).
pub fn export_to_file(path: &Path, templates: &[Template]) -> Result<()> {
    std::fs::write(path, export(templates)).map_err(|e| Error::FileNotSaved {
        file: file_name(path),
        reason: io_reason(&e),
    })
}

/// The file's name as people see it in a file dialog.
fn file_name(path: &Path) -> String {
    path.file_name()
        .unwrap_or(path.as_os_str())
        .to_string_lossy()
        .into_owned()
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "it is not there any more".into(),
        std::io::ErrorKind::PermissionDenied => {
            "this computer does not allow SMS Desk to use it".into()
        }
        std::io::ErrorKind::IsADirectory => "it is a folder, not a file".into(),
        _ => e.to_string(),
    }
}

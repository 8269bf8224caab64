//! The file SMS Desk was started with — `smsdesk-app tomorrow.csv`, as a file manager's
//! "Open with SMS Desk" or a desktop shortcut runs it. The window asks once, when it is ready
//! (`open_startup_file`), and the file is read exactly as a file picked in the Reminders
//! dialog is ([`super::bulk::open_picked`]); the window never sees the path.

use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use smsdesk::desk::bulk_app::OpenedFile;
use smsdesk::desk::Desk;
use smsdesk::UserError;
use tauri::State;

/// The path given on the command line, until the window has asked for it.
#[derive(Debug, Default)]
pub struct StartupFile(Mutex<Option<PathBuf>>);

impl StartupFile {
    /// The first argument that is not an option (options start with `-`, and are not SMS
    /// Desk's: a toolkit's or a launcher's); later paths are ignored. A relative path is taken
    /// from the folder the app was started in.
    pub fn from_args(args: impl IntoIterator<Item = OsString>) -> Self {
        let path = args
            .into_iter()
            .find(|arg| !arg.is_empty() && !arg.as_encoded_bytes().starts_with(b"-"))
            .map(PathBuf::from)
            .map(|path| std::path::absolute(&path).unwrap_or(path));
        Self(Mutex::new(path))
    }

    /// The path, once: later calls (a reloaded window) get `None`.
    fn take(&self) -> Option<PathBuf> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

/// Reads the file SMS Desk was started with, its columns guessed for `template_id`'s fields,
/// as a file picked in the dialog; `None` when there was none, or once it was asked for.
#[tauri::command]
pub async fn open_startup_file(
    desk: State<'_, Arc<Desk>>,
    given: State<'_, StartupFile>,
    template_id: Option<String>,
) -> Result<Option<OpenedFile>, UserError> {
    super::bulk::open_picked(&desk, given.take(), template_id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn given(args: &[&str]) -> Option<PathBuf> {
        StartupFile::from_args(args.iter().map(OsString::from)).take()
    }

    #[test]
    fn the_first_argument_that_is_not_an_option_is_the_file() {
        assert_eq!(
            given(&["/home/ann/tomorrow.csv"]),
            Some(PathBuf::from("/home/ann/tomorrow.csv"))
        );
        assert_eq!(
            given(&["--automation", "-v", "/tmp/a list.xlsx", "/tmp/other.csv"]),
            Some(PathBuf::from("/tmp/a list.xlsx"))
        );
        assert_eq!(given(&[]), None);
        assert_eq!(given(&["--automation", ""]), None);
    }

    #[test]
    fn a_relative_path_is_taken_from_the_folder_the_app_started_in() {
        let here = std::env::current_dir().expect("a current folder");
        assert_eq!(given(&["tomorrow.csv"]), Some(here.join("tomorrow.csv")));
    }

    #[test]
    fn the_path_is_given_once() {
        let file = StartupFile::from_args([OsString::from("/tmp/tomorrow.csv")]);
        assert_eq!(file.take(), Some(PathBuf::from("/tmp/tomorrow.csv")));
        assert_eq!(file.take(), None);
    }
}

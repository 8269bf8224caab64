//! One SMS Desk per data folder (issue 10): a second launch brings the first one's window to
//! the front and ends (`tauri-plugin-single-instance`). The worker's lock
//! (`<data dir>/worker.lock`) already keeps two processes from sending the same work; this keeps
//! a person from having two windows (and two tray icons) on one folder.
//!
//! How the plugin finds the first instance, and why the id depends on the data folder:
//! - Linux: a well-known name on the session D-Bus, `<id>.SingleInstance`, `<id>` being the
//!   app's identifier by default. Every SMS Desk of one login would share it, whatever its
//!   data folder — the end-to-end tests run many, each on its own `SMSDESK_DATA_DIR`, on one
//!   bus. So with `SMSDESK_DATA_DIR` set the id is derived from that folder
//!   ([`dbus_id`]: `app.smsdesk.desktop.dir_<hash of the path>`): one instance per folder,
//!   and instances on other folders never see each other. The default folder keeps the plain
//!   identifier.
//! - Windows (a named mutex) and macOS (a socket in /tmp) name the instance after the
//!   identifier only, with no way to scope it: there the plugin is used for the default data
//!   folder only, and an SMS Desk started with `SMSDESK_DATA_DIR` (tests, a portable folder)
//!   runs on its own, the worker's lock still keeping one sender per folder.
//!
//! A file given to the second launch ("Open with SMS Desk" while SMS Desk runs) is not opened
//! in the first window — the window reads its start-up file once, when it loads — the person
//! is told to choose it in Reminders instead.

use std::path::{Path, PathBuf};

use tauri::{AppHandle, Manager, Wry};
use tauri_plugin_dialog::{DialogExt, MessageDialogKind};

use crate::background::{show_window, MAIN_WINDOW, MINIMIZED_ARG};

/// Adds the single-instance plugin (first: a second instance must end before anything else
/// starts), when it can be scoped to this data folder.
pub fn register(builder: tauri::Builder<Wry>) -> tauri::Builder<Wry> {
    let folder = std::env::var_os(smsdesk::paths::DATA_DIR_ENV)
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from);
    if folder.is_some() && !cfg!(target_os = "linux") {
        return builder;
    }
    let id = dbus_id(smsdesk::paths::APP_IDENTIFIER, folder.as_deref());
    builder.plugin(
        tauri_plugin_single_instance::Builder::new()
            .dbus_id(id)
            .callback(second_launch)
            .build(),
    )
}

/// The id of the instance on `folder` (`None`: the default data folder): the identifier, or
/// for another folder the identifier and `dir_` + the folder's hash (FNV-1a of its absolute
/// path, stable from one build to the next). Every part is a valid D-Bus name element.
pub fn dbus_id(identifier: &str, folder: Option<&Path>) -> String {
    let Some(folder) = folder else {
        return identifier.to_owned();
    };
    let absolute = std::fs::canonicalize(folder)
        .or_else(|_| std::path::absolute(folder))
        .unwrap_or_else(|_| folder.to_path_buf());
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in absolute.as_os_str().as_encoded_bytes() {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{identifier}.dir_{hash:016x}")
}

/// The file a launch was given (its arguments after the program; the first that is not an
/// option), taken from the folder it was started in.
pub fn given_file(argv: &[String], cwd: &str) -> Option<PathBuf> {
    let arg = argv
        .iter()
        .skip(1)
        .find(|a| !a.is_empty() && !a.starts_with('-'))?;
    let path = PathBuf::from(arg);
    Some(if path.is_absolute() {
        path
    } else {
        Path::new(cwd).join(path)
    })
}

/// SMS Desk was started again on this folder: its window comes to the front (unless it was
/// the login's start, `--minimized`, which leaves it in the tray).
fn second_launch(app: &AppHandle, argv: Vec<String>, cwd: String) {
    if argv.iter().skip(1).any(|a| a == MINIMIZED_ARG) {
        return;
    }
    show_window(app);
    if let Some(file) = given_file(&argv, &cwd) {
        let name = file.file_name().map_or_else(
            || file.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let mut dialog = app
            .dialog()
            .message(format!(
                "SMS Desk is already open. To send the reminders in \u{201c}{name}\u{201d}, choose it under Reminders \u{203a} Choose file\u{2026}"
            ))
            .title("SMS Desk is already open")
            .kind(MessageDialogKind::Info);
        if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
            dialog = dialog.parent(&window);
        }
        dialog.show(|_| {});
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_folder_keeps_the_identifier() {
        assert_eq!(dbus_id("app.smsdesk.desktop", None), "app.smsdesk.desktop");
    }

    #[test]
    fn another_folder_gets_an_id_of_its_own_and_always_the_same() {
        let a = tempfile_dir("a");
        let b = tempfile_dir("b");
        let id_a = dbus_id("app.smsdesk.desktop", Some(&a));
        assert_eq!(id_a, dbus_id("app.smsdesk.desktop", Some(&a)));
        assert_ne!(id_a, dbus_id("app.smsdesk.desktop", Some(&b)));
        // The same folder however it is written.
        assert_eq!(id_a, dbus_id("app.smsdesk.desktop", Some(&a.join("."))));
        // A valid D-Bus name: elements of [A-Za-z0-9_-], none starting with a digit.
        let name = format!("{id_a}.SingleInstance");
        assert!(name.len() <= 255);
        for element in name.split('.') {
            assert!(!element.is_empty());
            assert!(!element.starts_with(|c: char| c.is_ascii_digit()), "{name}");
            assert!(
                element
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'),
                "{name}"
            );
        }
        let _ = std::fs::remove_dir_all(a.parent().unwrap_or(&a));
    }

    #[test]
    fn a_folder_not_made_yet_has_an_id_too() {
        let missing = std::env::temp_dir().join("smsdesk-no-such-folder-for-the-id-test");
        let id = dbus_id("app.smsdesk.desktop", Some(&missing));
        assert!(id.starts_with("app.smsdesk.desktop.dir_"), "{id}");
    }

    #[test]
    fn the_file_of_a_second_launch_is_taken_from_its_folder() {
        let argv = |args: &[&str]| -> Vec<String> {
            std::iter::once("/usr/bin/smsdesk-app")
                .chain(args.iter().copied())
                .map(str::to_owned)
                .collect()
        };
        assert_eq!(
            given_file(&argv(&["tomorrow.csv"]), "/home/ann/Downloads"),
            Some(PathBuf::from("/home/ann/Downloads/tomorrow.csv"))
        );
        assert_eq!(
            given_file(&argv(&["--minimized", "/tmp/a.xlsx"]), "/"),
            Some(PathBuf::from("/tmp/a.xlsx"))
        );
        assert_eq!(given_file(&argv(&["--minimized"]), "/"), None);
        assert_eq!(given_file(&argv(&[]), "/"), None);
    }

    fn tempfile_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir()
            .join(format!("smsdesk-instance-test-{}", std::process::id()))
            .join(name);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        dir
    }
}

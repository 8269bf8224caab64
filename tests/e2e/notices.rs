//! Start-up notices: a damaged history database or templates file is kept aside, and the
//! person is told where, in a banner that can be dismissed; sending still works. The
//! do-not-text list that was in a damaged history may be missing numbers: its banner can only
//! be hidden for now (see optouts.rs for how it is sorted out).

use std::path::Path;

use crate::harness::{serial, App};
use crate::history::{open_history, send, wait_rows};

/// Replaces the history in `dir` (while the app is closed) by a file that is no database at
/// all: nothing in it can be read, the do-not-text list included.
pub fn damage_history(dir: &Path) {
    for journal in ["history.sqlite3-wal", "history.sqlite3-shm"] {
        let _ = std::fs::remove_file(dir.join(journal));
    }
    std::fs::write(
        dir.join("history.sqlite3"),
        "not a database, only words. ".repeat(200),
    )
    .unwrap_or_else(|e| panic!("cannot damage the history: {e}"));
}

#[tokio::test]
async fn damaged_files_are_kept_and_explained_at_start() {
    let _one_at_a_time = serial().await;
    let app = App::launch().await;
    assert!(
        !app.is_displayed("#notices").await,
        "nothing to tell when all is well"
    );
    let app = app
        .relaunch_after(&[], |dir| {
            damage_history(dir);
            std::fs::write(dir.join("templates.json"), "{ half-writ")
                .unwrap_or_else(|e| panic!("cannot damage templates.json: {e}"));
        })
        .await;

    let shown = app
        .wait_text(
            "#notices",
            "Your message history file could not be read, so SMS Desk started a new one.",
        )
        .await;
    assert!(
        shown.contains("The damaged file was kept at")
            && shown.contains("history.sqlite3.damaged-"),
        "where the old file is, in words: {shown:?}"
    );
    assert!(
        shown.contains("The do-not-text list could not be read and is empty now"),
        "the list lived in that file too, and nothing of it could be read: {shown:?}"
    );
    assert!(
        shown.contains("Your templates file could not be read.")
            && shown.contains("templates.json.damaged-"),
        "{shown:?}"
    );
    let kept = std::fs::read_dir(app.data_dir())
        .unwrap_or_else(|e| panic!("cannot list the data folder: {e}"))
        .filter_map(Result::ok)
        .any(|entry| {
            entry
                .file_name()
                .to_string_lossy()
                .starts_with("history.sqlite3.damaged-")
        });
    assert!(kept, "the damaged history is kept, not deleted");
    app.screenshot("notices.png", false).await;

    app.click("#notices [data-code='history_damaged'] [data-action='dismiss']")
        .await;
    app.wait_text("#notices", "Your templates file").await;
    assert!(!app
        .text("#notices")
        .await
        .contains("Your message history file could not be read"));
    app.click("#notices [data-code='file_damaged_templates'] [data-action='dismiss']")
        .await;
    // The list may be missing numbers until it is sorted out: that banner is only hidden.
    app.wait_text(
        "#notices [data-code='opt_outs_incomplete'] [data-action='dismiss']",
        "Hide this for now",
    )
    .await;
    assert!(
        app.is_displayed("#notices [data-code='opt_outs_incomplete'] [data-action='open-optouts']")
            .await
    );
    app.click("#notices [data-code='opt_outs_incomplete'] [data-action='dismiss']")
        .await;
    app.wait_displayed("#notices", false).await;

    send(&app, "+1 201 555 0123", None, "Still sending.", "Sent to").await;
    open_history(&app).await;
    wait_rows(&app, 1).await;
    app.close().await;
}

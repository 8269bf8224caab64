//! Start-up notices: a damaged history database or templates file is kept aside, and the
//! person is told where, in a banner that can be dismissed; sending still works.

use crate::harness::{serial, App};
use crate::history::{open_history, send, wait_rows};

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
            for journal in ["history.sqlite3-wal", "history.sqlite3-shm"] {
                let _ = std::fs::remove_file(dir.join(journal));
            }
            std::fs::write(
                dir.join("history.sqlite3"),
                "not a database, only words. ".repeat(200),
            )
            .unwrap_or_else(|e| panic!("cannot damage the history: {e}"));
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

    app.click("#notices [data-action='dismiss']").await;
    app.wait_text("#notices", "Your templates file").await;
    assert!(!app.text("#notices").await.contains("message history"));
    app.click("#notices [data-action='dismiss']").await;
    app.wait_displayed("#notices", false).await;

    send(&app, "+1 201 555 0123", None, "Still sending.", "Sent to").await;
    open_history(&app).await;
    wait_rows(&app, 1).await;
    app.close().await;
}

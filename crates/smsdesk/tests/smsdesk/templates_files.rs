//! Templates files on disk: export then import, a file with some bad entries, and files that
//! are not templates files at all, with the payloads the Templates screen shows.

use std::path::Path;

use smsdesk::desk::library::MAX_TEMPLATES_FILE_BYTES as MAX_IMPORT_BYTES;
use smsdesk::store::config::keys;
use smsdesk::templates::{starter_templates, ImportReport, Template};
use smsdesk::{Error, UserError};

use crate::TestDesk;

fn payload(error: Error) -> UserError {
    UserError::from(error)
}

/// Imports the file at `path` into a desk whose saved list is `existing`.
async fn import_from_file(path: &Path, existing: &[Template]) -> smsdesk::Result<ImportReport> {
    let t = TestDesk::new();
    t.store()
        .await
        .set_config(keys::TEMPLATES, &existing.to_vec())
        .expect("saved list");
    let report = t.desk.import_templates(path).await;
    if let Ok(report) = &report {
        let mut expected = existing.to_vec();
        expected.extend(report.imported.iter().cloned());
        assert_eq!(
            t.desk.templates().await.expect("list"),
            expected,
            "what was imported is added to the list"
        );
    }
    report
}

async fn export_to_file(path: &Path, list: &[Template]) -> smsdesk::Result<()> {
    let t = TestDesk::new();
    t.store()
        .await
        .set_config(keys::TEMPLATES, &list.to_vec())
        .expect("saved list");
    t.desk.export_templates(path).await
}

#[tokio::test]
async fn an_exported_file_imports_back_and_nothing_is_added_twice() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("clinic templates.json");
    let list = starter_templates();
    export_to_file(&path, &list).await.expect("written");

    let fresh = import_from_file(&path, &[])
        .await
        .expect("a templates file");
    assert_eq!(fresh.imported, list);
    let again = import_from_file(&path, &list)
        .await
        .expect("a templates file");
    assert!(again.imported.is_empty(), "the same templates are skipped");
    assert_eq!(again.skipped.len(), list.len());
}

#[tokio::test]
async fn a_file_with_some_bad_entries_imports_the_good_ones() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("mixed.json");
    let file = serde_json::json!({
        "format": "smsdesk-templates",
        "version": 1,
        "templates": [
            {"name": "Welcome", "body": "Welcome, {{first_name}}!"},
            {"name": "Broken", "body": "Hi {{first"},
            {"name": "Appointment confirmation", "body": starter_templates()[0].body},
        ]
    });
    std::fs::write(&path, file.to_string()).expect("written");
    let report = import_from_file(&path, &starter_templates())
        .await
        .expect("a templates file");
    let names: Vec<&str> = report.imported.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Welcome"]);
    assert_eq!(report.invalid.len(), 1);
    assert_eq!(report.invalid[0].name.as_deref(), Some("Broken"));
    assert_eq!(report.skipped.len(), 1);
    assert_eq!(report.skipped[0].index, 2);
}

#[tokio::test]
async fn files_that_cannot_be_imported_say_why_and_what_to_do() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = import_from_file(&dir.path().join("gone.json"), &[])
        .await
        .expect_err("no file");
    let binary = dir.path().join("photo.jpg");
    std::fs::write(&binary, [0xff, 0xd8, 0xff, 0xe0, 0x00]).expect("written");
    let not_text = import_from_file(&binary, &[]).await.expect_err("not text");
    let huge = dir.path().join("huge.json");
    let size = usize::try_from(MAX_IMPORT_BYTES).expect("fits") + 1;
    std::fs::write(&huge, " ".repeat(size)).expect("written");
    let too_big = import_from_file(&huge, &[]).await.expect_err("too big");
    let newer = dir.path().join("newer.json");
    std::fs::write(
        &newer,
        r#"{"format": "smsdesk-templates", "version": 9, "templates": []}"#,
    )
    .expect("written");
    let from_the_future = import_from_file(&newer, &[]).await.expect_err("newer");
    let folder = export_to_file(dir.path(), &starter_templates())
        .await
        .expect_err("a folder");

    let payloads: Vec<UserError> = [missing, not_text, too_big, from_the_future, folder]
        .into_iter()
        .map(payload)
        .collect();
    let mut payloads = serde_json::to_value(payloads).expect("json");
    // The folder's name is the temp dir's random name.
    payloads[4]["message"] =
        serde_json::json!(payloads[4]["message"].as_str().unwrap_or_default().replace(
            &dir.path()
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            "[folder]"
        ));
    insta::assert_json_snapshot!(payloads);
}

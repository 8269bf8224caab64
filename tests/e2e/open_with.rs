//! A list given on the command line — `smsdesk-app tomorrow.csv`, as "Open with SMS Desk" in a
//! file manager or a desktop shortcut starts it — opens on the Reminders screen exactly as if
//! it had been chosen there: read the same way, its columns guessed, every message previewed
//! once a template is picked. A file that is not there says so in plain words, and the person
//! can choose another.

use crate::bulk::pick;
use crate::harness::{serial, wait_until, App};

/// The day's appointments as a booking system exports them (a byte-order mark, CRLF lines):
/// a number that is not one and the same number twice among them.
const APPOINTMENTS: &str = "\u{feff}First name,Last name,Mobile,Date,Time\r\n\
Ann,Murphy,+1 201 555 0123,Tue 2 Dec,9:00\r\n\
Bob,Ryan,(201) 555-0124,Tue 2 Dec,9:30\r\n\
Cara,Lee,12345,Tue 2 Dec,10:00\r\n\
Dan,Murphy,+1 201 555 0123,Tue 2 Dec,10:30\r\n\
Éabha,Ó Sé,+1 201 555 0131,Tue 2 Dec,11:00\r\n";

const REMINDER: &str = "starter-reminder";

/// The default country and the business details the starter reminder uses, saved in Settings.
async fn set_up_sending(app: &App) {
    app.click("#nav-settings").await;
    pick(app, "#default-country", "US").await;
    app.click("#save-settings").await;
    app.wait_text("#settings-result", "Settings saved.").await;
    app.type_into("#business-name", "Bright Smile Dental").await;
    app.type_into("#business-address", "12 Main St").await;
    app.click("#save-business").await;
    app.wait_text("#business-result", "Business details saved.")
        .await;
}

/// How many rows the preview table draws.
async fn preview_rows(app: &App) -> serde_json::Value {
    app.client
        .execute(
            "return document.querySelectorAll('#bulk-rows tr').length;",
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("cannot count the preview's rows: {e}"))
}

#[tokio::test]
async fn a_list_given_on_the_command_line_opens_in_reminders_as_if_chosen_there() {
    let _one_at_a_time = serial().await;
    let scratch = tempfile::tempdir().expect("temp dir");
    let csv = scratch.path().join("tomorrow.csv");
    std::fs::write(&csv, APPOINTMENTS)
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", csv.display()));
    let csv_path = csv.to_str().expect("a UTF-8 temp path");
    let app = App::launch_with_args(&[csv_path]).await;

    // The window opens on Reminders, with the file read as the dialog's pick is.
    assert!(app.is_displayed("#view-bulk").await, "Reminders is shown");
    assert!(!app.is_displayed("#view-compose").await);
    let tab = app.find("#nav-bulk").await;
    assert_eq!(
        tab.attr("aria-current").await.ok().flatten().as_deref(),
        Some("page")
    );
    assert_eq!(app.text("#bulk-file-name").await, "tomorrow.csv");
    assert_eq!(
        app.text("#bulk-file-summary").await,
        "tomorrow.csv: 5 rows, 5 columns."
    );
    assert_eq!(app.value("#bulk-encoding").await, "utf8_bom");
    assert_eq!(app.value("#bulk-delimiter").await, ",");
    assert_eq!(app.text("#bulk-choose").await, "Choose another file…");
    assert!(app.is_displayed("#bulk-mapping").await, "the columns step");
    assert_eq!(app.value("#bulk-map-phone").await, "2", "Mobile, guessed");
    assert_eq!(
        app.text("#bulk-map-phone-samples").await,
        "For example: +1 201 555 0123 · (201) 555-0124 · 12345"
    );
    // The next step is the template: the keyboard is there, and the button says so.
    assert_eq!(app.focused_id().await, "bulk-template");
    assert_eq!(
        app.text("#bulk-mapping-reason").await,
        "Choose a template first."
    );
    assert!(
        app.text("#bulk-file-result").await.is_empty(),
        "no error for a file that reads"
    );

    // Once the country and the business details are saved and a template is picked, every row
    // of the file given is previewed.
    set_up_sending(&app).await;
    app.click("#nav-bulk").await;
    pick(&app, "#bulk-template", REMINDER).await;
    app.wait_text("#bulk-file-summary", "tomorrow.csv: 5 rows")
        .await;
    wait_until(
        "the messages to be ready to show",
        std::time::Duration::from_secs(10),
        || async {
            let reason = app.text("#bulk-mapping-reason").await;
            let enabled = app
                .find("#bulk-preview-go")
                .await
                .prop("disabled")
                .await
                .ok()
                .flatten()
                .as_deref()
                != Some("true");
            (reason.is_empty() && enabled).then_some(())
        },
    )
    .await;
    app.click("#bulk-preview-go").await;
    app.wait_displayed("#bulk-preview", true).await;
    assert_eq!(
        app.text("#bulk-totals").await,
        "3 messages, 3 segments, from Practice, at 1 segment per second, under a minute."
    );
    assert_eq!(preview_rows(&app).await, serde_json::json!(5), "every row");
    let table = app.text("#bulk-rows").await;
    assert!(
        table.contains("Bright Smile Dental: Hi Éabha, see you tomorrow, Tue 2 Dec at 11:00"),
        "the message exactly as sent: {table:?}"
    );
    app.close().await;
}

#[tokio::test]
async fn a_list_given_on_the_command_line_that_is_not_there_says_so() {
    let _one_at_a_time = serial().await;
    let scratch = tempfile::tempdir().expect("temp dir");
    let missing = scratch.path().join("tomorrow.csv");
    let missing_path = missing.to_str().expect("a UTF-8 temp path");
    let app = App::launch_with_args(&[missing_path]).await;

    assert!(app.is_displayed("#view-bulk").await, "Reminders is shown");
    let said = app
        .wait_text("#bulk-file-result", "This file could not be read")
        .await;
    assert!(
        said.contains("SMS Desk could not open \"tomorrow.csv\": it is not there any more."),
        "{said:?}"
    );
    assert!(
        said.contains("Check that the file is still where it was"),
        "{said:?}"
    );
    assert_eq!(app.text("#bulk-file-name").await, "No file chosen yet.");
    assert!(!app.is_displayed("#bulk-read").await, "nothing was read");
    assert!(!app.is_displayed("#bulk-mapping").await, "no columns");
    assert_eq!(app.text("#bulk-choose").await, "Choose file…");
    app.close().await;
}

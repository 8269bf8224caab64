//! The do-not-text list in the real window: a number added in any format is kept as +country
//! number and refused by New message (History shows the blocked attempt); "Replied STOP" on a
//! message adds its number in one click; removing asks first; a CSV import says what it did;
//! the export writes the list. A list that may be missing numbers (its history file was
//! damaged) pauses live messages until it is imported again or said to be complete; the Do not
//! text screen says so once, in its panel, and the other screens in a banner.

use octopods_sim::{Sim, SimConfig, PRACTICE_KEY};

use crate::channels::add_channel;
use crate::harness::{serial, App};
use crate::history::{open_history, open_row, send, wait_rows};
use crate::live::posts;
use crate::notices::damage_history;

async fn set_country(app: &App, code: &str) {
    app.click("#nav-settings").await;
    app.find(&format!("#default-country option[value='{code}']"))
        .await;
    app.find("#default-country")
        .await
        .select_by_value(code)
        .await
        .unwrap_or_else(|e| panic!("cannot pick {code}: {e}"));
    app.click("#save-settings").await;
    app.wait_text("#settings-result", "Settings saved.").await;
}

async fn add_number(app: &App, number: &str, reason: Option<&str>) {
    app.click("#nav-optouts").await;
    app.type_into("#optout-number", number).await;
    if let Some(reason) = reason {
        app.type_into("#optout-reason", reason).await;
    }
    app.click("#optout-add").await;
    app.wait_text(
        "#optout-add-result",
        "SMS Desk will not send messages to this number.",
    )
    .await;
}

/// On the Do not text screen, "the list may be missing numbers" is said once, in the panel
/// with its buttons (Import CSV…, The list is complete), and the app-wide banner is not shown.
async fn assert_said_once_in_the_panel(app: &App) {
    let window = app.text("body").await;
    assert_eq!(
        window.matches("may be missing numbers").count(),
        1,
        "said once on the screen: {window:?}"
    );
    assert!(
        !app.is_displayed("#notices [data-code='opt_outs_incomplete']")
            .await,
        "the banner is not shown next to the panel"
    );
    for action in ["import", "confirm-complete"] {
        assert!(
            app.is_displayed(&format!("#optouts-incomplete [data-action='{action}']"))
                .await,
            "the panel offers {action}"
        );
    }
}

#[tokio::test]
async fn a_number_on_the_list_is_never_texted_and_can_be_removed() {
    let _one_at_a_time = serial().await;
    let app = App::launch().await;
    set_country(&app, "US").await;

    app.click("#nav-optouts").await;
    app.wait_text("#optout-empty", "The list is empty.").await;
    assert_eq!(
        app.value("#optout-reason").await,
        "Replied STOP",
        "the usual reason is there already"
    );
    add_number(&app, "(201) 555-0199", None).await;
    let result = app.text("#optout-add-result").await;
    assert!(
        result.contains("+1 201-555-0199 is on the do-not-text list."),
        "{result:?}"
    );
    let row = app.wait_text("#optout-list", "+1 201-555-0199").await;
    assert!(row.contains("Replied STOP"), "{row:?}");
    assert_eq!(
        app.value("#optout-number").await,
        "",
        "ready for the next number"
    );

    // Added again in another format: it was already there.
    add_number(&app, "+1 201 555 0199", Some("Asked at the desk")).await;
    app.wait_text("#optout-add-result", "was already on the list")
        .await;
    assert!(
        app.text("#optout-list").await.contains("Replied STOP"),
        "the first reason is kept"
    );

    // Not a number: said so, nothing added.
    app.type_into("#optout-number", "hello").await;
    app.click("#optout-add").await;
    app.wait_text("#optout-add-result", "Not added").await;
    assert_eq!(app.focused_id().await, "optout-number");

    // New message says so as the number is typed, and refuses to send it, unmistakably;
    // History records the attempt.
    app.click("#nav-compose").await;
    app.type_into("#to", "201-555-0199").await;
    let check = app.wait_text("#to-check", "On the do-not-text list").await;
    assert!(check.contains("(Replied STOP)"), "{check:?}");
    send(
        &app,
        "201-555-0199",
        None,
        "Your appointment is on Monday.",
        "do-not-text list",
    )
    .await;
    let result = app.text("#send-result").await;
    assert!(
        result.contains("Not sent: this number is on the do-not-text list")
            && result.contains("+1 201-555-0199")
            && result.contains("Replied STOP"),
        "{result:?}"
    );
    app.screenshot("compose-opted-out.png", false).await;
    open_history(&app).await;
    let listed = wait_rows(&app, 1).await;
    assert!(listed[0].contains("Blocked"), "{listed:?}");

    // The refusal leads to the list.
    app.click("#nav-compose").await;
    app.click("#open-optouts").await;
    app.wait_displayed("#view-optouts", true).await;
    assert_eq!(app.focused_id().await, "optout-number");

    // Removing asks first; Keep keeps it.
    app.click("#optout-list [data-action='remove']").await;
    let question = app
        .wait_text("#optout-list .optout-question", "Remove")
        .await;
    assert_eq!(
        question,
        "Remove +1 201-555-0199? They will be able to receive texts again."
    );
    app.click("#optout-list [data-action='remove-no']").await;
    app.wait_displayed("#optout-list .optout-confirm-row", false)
        .await;
    assert!(app.text("#optout-list").await.contains("+1 201-555-0199"));
    app.click("#optout-list [data-action='remove']").await;
    app.click("#optout-list [data-action='remove-yes']").await;
    app.wait_text(
        "#optout-result",
        "+1 201-555-0199 was removed from the list.",
    )
    .await;
    app.wait_displayed("#optout-empty", true).await;

    send(
        &app,
        "201-555-0199",
        None,
        "Your appointment is on Monday.",
        "Sent to",
    )
    .await;
    app.close().await;
}

#[tokio::test]
async fn replied_stop_from_history_import_and_export() {
    let _one_at_a_time = serial().await;
    let scratch = tempfile::tempdir().expect("temp dir");
    let csv = scratch.path().join("do-not-text.csv");
    let csv_path = csv.to_str().expect("a UTF-8 temp path");
    std::fs::write(
        &csv,
        "\u{feff}Phone,Reason\r\n+1 201 555 0101,Replied STOP\r\n+44 7400 123456,Asked by phone\r\nnot a number,\r\n+12015550123,Replied STOP\r\n",
    )
    .unwrap_or_else(|e| panic!("cannot write {csv_path}: {e}"));
    let app = App::launch_with(&[
        ("SMSDESK_KEYSTORE", "memory"),
        ("SMSDESK_TEST_FILE_DIALOG", csv_path),
    ])
    .await;

    send(
        &app,
        "+1 201 555 0123",
        Some("Jane Doe"),
        "Hi Jane, see you at 10:00.",
        "Sent to",
    )
    .await;
    open_history(&app).await;
    wait_rows(&app, 1).await;
    open_row(&app, "+1 201-555-0123").await;
    app.click("#history-detail [data-action='stop']").await;
    let stop = app
        .wait_text(
            "#history-detail [data-action='stop']",
            "On the do-not-text list",
        )
        .await;
    assert!(!stop.contains("Replied STOP"), "{stop:?}");
    let disabled = app
        .find("#history-detail [data-action='stop']")
        .await
        .prop("disabled")
        .await
        .ok()
        .flatten();
    assert_eq!(disabled.as_deref(), Some("true"), "one click is enough");
    app.wait_text(
        "#history-detail .detail-note",
        "+1 201-555-0123 is on the do-not-text list",
    )
    .await;

    app.click("#nav-optouts").await;
    let listed = app.wait_text("#optout-list", "+1 201-555-0123").await;
    assert!(listed.contains("Replied STOP"), "{listed:?}");

    app.click("#optout-import").await;
    let report = app
        .wait_text(
            "#optout-result",
            "4 numbers in the file: 2 added, 1 already on the list, 1 not a number.",
        )
        .await;
    assert!(
        report.contains("Line 4: “not a number”"),
        "the line that is not a number is named: {report:?}"
    );
    let listed = app.wait_text("#optout-list", "+44 7400 123456").await;
    assert!(
        listed.contains("+1 201-555-0101") && listed.contains("Asked by phone"),
        "{listed:?}"
    );
    app.wait_text("#optout-count", "3 numbers on the list")
        .await;
    // The list, with the import's report, fills the picture.
    app.client
        .execute(
            "document.getElementById('optout-list-heading').scrollIntoView({block: 'start'});",
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("cannot scroll to the list: {e}"));
    app.screenshot("optouts.png", true).await;

    app.type_into("#optout-search", "7400").await;
    app.wait_text("#optout-count", "1 number found").await;
    app.type_into("#optout-search", "").await;
    app.wait_text("#optout-count", "3 numbers on the list")
        .await;

    app.click("#optout-export").await;
    app.wait_text("#optout-result", "Exported 3 numbers.").await;
    let bytes = std::fs::read(&csv).unwrap_or_else(|e| panic!("no export at {csv_path}: {e}"));
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8_lossy(&bytes[3..]).into_owned();
    assert!(text.starts_with("Number,Reason,Date added"), "{text}");
    for number in ["+12015550123", "+12015550101", "+447400123456"] {
        assert!(text.contains(number), "{number} in {text}");
    }
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_list_that_may_be_incomplete_pauses_live_messages_until_it_is_complete() {
    let _one_at_a_time = serial().await;
    let sim = Sim::start(SimConfig::default()).await.expect("simulator");
    let app = App::launch().await;
    let app = app.relaunch_after(&[], damage_history).await;
    app.wait_displayed("#notices [data-code='opt_outs_incomplete']", true)
        .await;

    // Practice messages still go out.
    send(
        &app,
        "+1 201 555 0123",
        None,
        "Practice still works.",
        "Sent to",
    )
    .await;

    // A live one is refused before it reaches Octopods, and the refusal leads to the list.
    add_channel(&app, "Main number", PRACTICE_KEY, &sim).await;
    send(
        &app,
        "+1 201 555 0123",
        None,
        "Your appointment is tomorrow at 10:00.",
        "live messages are paused",
    )
    .await;
    assert_eq!(posts(&sim), 0, "nothing reached Octopods");
    app.click("#open-optouts").await;
    app.wait_displayed("#optouts-incomplete", true).await;
    assert_eq!(app.focused_id().await, "optouts-incomplete-title");
    let panel = app.text("#optouts-incomplete").await;
    assert!(
        panel.contains("This list may be missing numbers")
            && panel.contains("does not send live messages"),
        "{panel:?}"
    );
    // Said once on this screen, in the panel with what to do: not in the banner as well.
    assert_said_once_in_the_panel(&app).await;
    app.screenshot("optouts-incomplete.png", false).await;

    // The other screens still show the banner, which leads back here.
    app.click("#nav-history").await;
    app.wait_displayed("#notices [data-code='opt_outs_incomplete']", true)
        .await;
    app.click("#notices [data-code='opt_outs_incomplete'] [data-action='open-optouts']")
        .await;
    app.wait_displayed("#view-optouts", true).await;
    app.wait_displayed("#optouts-incomplete", true).await;
    assert_eq!(app.focused_id().await, "optouts-incomplete-title");
    assert_said_once_in_the_panel(&app).await;

    // Saying the list is complete asks first; "Not yet" changes nothing.
    app.click("#optouts-incomplete [data-action='confirm-complete']")
        .await;
    app.wait_displayed("#optouts-complete-confirm", true).await;
    app.click("#optouts-incomplete [data-action='confirm-complete-no']")
        .await;
    app.wait_displayed("#optouts-complete-confirm", false).await;
    assert!(app.is_displayed("#optouts-incomplete").await);
    app.click("#optouts-incomplete [data-action='confirm-complete']")
        .await;
    app.click("#optouts-incomplete [data-action='confirm-complete-yes']")
        .await;
    app.wait_displayed("#optouts-incomplete", false).await;
    app.wait_text("#optout-add-result", "live messages can be sent again")
        .await;
    // Sorted out: no other screen shows the banner either.
    app.click("#nav-compose").await;
    app.wait_displayed("#notices [data-code='opt_outs_incomplete']", false)
        .await;

    send(
        &app,
        "+1 201 555 0123",
        None,
        "Your appointment is tomorrow at 10:00.",
        "Sent to",
    )
    .await;
    assert_eq!(posts(&sim), 1, "live messages go out again");
    app.close().await;
}

#[tokio::test]
async fn importing_the_list_again_completes_it() {
    let _one_at_a_time = serial().await;
    let scratch = tempfile::tempdir().expect("temp dir");
    let csv = scratch.path().join("do-not-text.csv");
    let csv_path = csv.to_str().expect("a UTF-8 temp path");
    std::fs::write(&csv, "Phone,Reason\r\n+1 201 555 0101,Replied STOP\r\n")
        .unwrap_or_else(|e| panic!("cannot write {csv_path}: {e}"));
    let app = App::launch().await;
    let app = app
        .relaunch_after(&[("SMSDESK_TEST_FILE_DIALOG", csv_path)], damage_history)
        .await;

    app.click("#nav-optouts").await;
    app.wait_displayed("#optouts-incomplete", true).await;
    app.click("#optouts-incomplete-import").await;
    app.wait_text(
        "#optout-result",
        "1 number in the file: 1 added, 0 already on the list",
    )
    .await;
    app.wait_displayed("#optouts-incomplete", false).await;
    app.wait_text("#optout-list", "+1 201-555-0101").await;
    app.click("#nav-compose").await;
    app.wait_displayed("#notices [data-code='opt_outs_incomplete']", false)
        .await;

    // Sorted out for good: not asked again at the next start.
    let app = app.relaunch(&[]).await;
    assert!(
        !app.is_displayed("#notices [data-code='opt_outs_incomplete']")
            .await
    );
    app.click("#nav-optouts").await;
    app.wait_text("#optout-list", "+1 201-555-0101").await;
    assert!(!app.is_displayed("#optouts-incomplete").await);
    app.close().await;
}

//! History in the real window: sent messages listed newest first with their status in words,
//! a delivery report arriving while the screen is open, search and the status filter, a
//! message's detail (timeline, ids), "Send again" filling in New message without sending
//! (after an unknown outcome, only once the person says so: that one answer lets Send message
//! send it), the CSV export, and the list and the open message following a send and its
//! delivery by themselves (the back end says what changed).

use std::time::Duration;

use fantoccini::Locator;
use octopods_sim::{Fault, Sim, SimConfig, PRACTICE_KEY};

use crate::harness::{serial, wait_until, App};

/// Delivery questions every 200 ms (debug builds only), so "Delivered" arrives in a second.
pub const FAST_POLLING: (&str, &str) = ("SMSDESK_TEST_POLL_MS", "200");

/// Sends from New message and waits until the result shows `expect` and Send is usable again.
/// With a `name`, a conversation is opened so the name is kept.
pub async fn send(app: &App, to: &str, name: Option<&str>, body: &str, expect: &str) {
    app.click("#nav-compose").await;
    app.type_into("#to", to).await;
    let checkbox = app.find("#open-conversation").await;
    let checked = checkbox.prop("checked").await.ok().flatten().as_deref() == Some("true");
    if checked != name.is_some() {
        app.click("#open-conversation").await;
    }
    if let Some(name) = name {
        app.type_into("#name", name).await;
    }
    // A line break is typed as the Enter key.
    app.type_into("#body", &body.replace('\n', "\u{E007}"))
        .await;
    app.click("#send").await;
    app.wait_text("#send-result", expect).await;
    wait_until(
        "Send to be usable again",
        Duration::from_secs(20),
        || async { (app.text("#send").await == "Send message").then_some(()) },
    )
    .await;
}

/// The rows of the History list, as the person reads them (the rendered text: WebDriver's own
/// text leaves out the first line of the message, which is cut with an ellipsis).
pub async fn rows(app: &App) -> Vec<String> {
    let texts = app
        .client
        .execute(
            "return [...document.querySelectorAll('#history-list .history-row')].map((r) => r.innerText);",
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("cannot read the History rows: {e}"));
    serde_json::from_value(texts).unwrap_or_default()
}

/// Waits until the list shows exactly `n` rows; returns them.
pub async fn wait_rows(app: &App, n: usize) -> Vec<String> {
    wait_until(
        &format!("{n} rows in History"),
        Duration::from_secs(20),
        || async {
            let rows = rows(app).await;
            (rows.len() == n && app.is_displayed("#history-list").await).then_some(rows)
        },
    )
    .await
}

/// Waits until the list shows exactly one row, and that row contains `needle`.
async fn wait_only(app: &App, needle: &str) -> String {
    wait_until(
        &format!("one row with {needle}"),
        Duration::from_secs(20),
        || async {
            let rows = rows(app).await;
            (rows.len() == 1 && rows[0].contains(needle)).then(|| rows[0].clone())
        },
    )
    .await
}

pub async fn open_history(app: &App) {
    app.click("#nav-history").await;
    app.wait_displayed("#view-history", true).await;
}

/// Opens the message whose row contains `needle`.
pub async fn open_row(app: &App, needle: &str) {
    let found = app
        .client
        .find_all(Locator::Css("#history-list .history-row"))
        .await
        .unwrap_or_default();
    for row in found {
        if row.text().await.unwrap_or_default().contains(needle) {
            row.click()
                .await
                .unwrap_or_else(|e| panic!("cannot open the row with {needle}: {e}"));
            app.wait_text("#history-detail .detail-title", needle).await;
            return;
        }
    }
    panic!(
        "no History row contains {needle:?}; rows: {:?}",
        rows(app).await
    );
}

async fn pick_status(app: &App, value: &str) {
    app.find("#history-status")
        .await
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("cannot pick the status {value}: {e}"));
}

#[tokio::test]
async fn sent_messages_are_listed_found_and_exported() {
    let _one_at_a_time = serial().await;
    let scratch = tempfile::tempdir().expect("temp dir");
    let csv = scratch.path().join("history.csv");
    let csv_path = csv.to_str().expect("a UTF-8 temp path");
    let app = App::launch_with(&[
        ("SMSDESK_KEYSTORE", "memory"),
        FAST_POLLING,
        ("SMSDESK_TEST_FILE_DIALOG", csv_path),
    ])
    .await;

    open_history(&app).await;
    app.wait_text(
        "#history-empty",
        "No messages yet. Messages you send appear here.",
    )
    .await;

    send(
        &app,
        "+1 201 555 0123",
        Some("Maria Lopez"),
        "Hi Maria, your cleaning is booked for Tue 14 May at 3:30 PM.\nSee you then!",
        "Sent to",
    )
    .await;
    // The practice server refuses this one as a landline.
    send(
        &app,
        "+12015550140",
        None,
        "Your appointment is tomorrow at 9:30.",
        "Not sent",
    )
    .await;

    open_history(&app).await;
    let listed = wait_rows(&app, 2).await;
    assert!(
        listed[0].contains("+1 201-555-0140") && listed[0].contains("Not sent"),
        "the newest first, with its status in words: {listed:?}"
    );
    assert!(
        listed[1].contains("Maria Lopez")
            && listed[1].contains("+1 201-555-0123")
            && listed[1].contains("Hi Maria, your cleaning is booked")
            && !listed[1].contains("See you then"),
        "name, number and the first line of the text: {listed:?}"
    );
    assert_eq!(app.text("#history-count").await, "1–2 of 2 messages");
    // The practice server reports delivery in steps; the open screen picks it up by itself.
    app.wait_text("#history-list li:nth-child(2)", "Delivered")
        .await;

    // Search by part of the number, typed another way.
    app.type_into("#history-search", "555-0140").await;
    wait_only(&app, "+1 201-555-0140").await;
    app.wait_text("#history-count", "1–1 of 1 message").await;
    app.type_into("#history-search", "cleaning").await;
    wait_only(&app, "Maria Lopez").await;
    app.type_into("#history-search", "nobody like this").await;
    app.wait_text("#history-empty", "No messages match").await;
    app.click("#history-empty-clear").await;
    wait_rows(&app, 2).await;

    pick_status(&app, "delivered").await;
    wait_only(&app, "+1 201-555-0123").await;
    pick_status(&app, "refused").await;
    wait_only(&app, "+1 201-555-0140").await;
    pick_status(&app, "").await;
    wait_rows(&app, 2).await;

    // The detail: the whole text, what happened, the ids to give support.
    open_row(&app, "+1 201-555-0123").await;
    let detail = app.wait_text("#history-detail", "Delivered").await;
    assert!(
        detail.contains(
            "Hi Maria, your cleaning is booked for Tue 14 May at 3:30 PM.\nSee you then!"
        ),
        "{detail:?}"
    );
    let timeline = app.text("#history-detail .timeline").await;
    assert!(
        timeline.contains("Accepted by Octopods") && timeline.contains("delivered"),
        "every step, with its time: {timeline:?}"
    );
    for id in ["message-id", "request-id", "history-id"] {
        let shown = app.text(&format!("#history-detail .id-{id}")).await;
        assert!(!shown.is_empty(), "the {id} is shown");
    }
    assert!(
        app.text("#history-detail")
            .await
            .contains("Practice — nobody was texted"),
        "a practice message says so"
    );
    app.screenshot("history-detail-delivered.png", false).await;
    app.click("#history-detail .id-message-id + button.copy")
        .await;
    app.wait_text("#history-detail .id-message-id + button.copy", "Copied")
        .await;
    // It really is on the clipboard: paste it (Ctrl+V) into the search box.
    let message_id = app.text("#history-detail .id-message-id").await;
    app.type_into("#history-search", "").await;
    app.find("#history-search")
        .await
        .send_keys("\u{E009}v\u{E000}")
        .await
        .unwrap_or_else(|e| panic!("cannot press Ctrl+V: {e}"));
    assert_eq!(app.value("#history-search").await, message_id);
    app.type_into("#history-search", "").await;
    wait_rows(&app, 2).await;
    app.click("#history-detail details.detail-raw summary")
        .await;
    let raw = app
        .wait_text("#history-detail pre.raw", "Answer to the send")
        .await;
    assert!(
        raw.contains("\"status\""),
        "the server's own answer: {raw:?}"
    );

    // Send again fills in New message and sends nothing.
    app.click("#history-detail [data-action='send-again']")
        .await;
    app.wait_displayed("#view-compose", true).await;
    assert_eq!(app.value("#to").await, "+12015550123");
    assert_eq!(
        app.value("#body").await,
        "Hi Maria, your cleaning is booked for Tue 14 May at 3:30 PM.\nSee you then!"
    );
    assert_eq!(app.value("#name").await, "Maria Lopez");
    app.wait_text("#send-result", "nothing has been sent yet")
        .await;
    app.screenshot("compose-send-again.png", false).await;
    open_history(&app).await;
    app.wait_text("#history-count", "of 2 messages").await;
    assert_eq!(rows(&app).await.len(), 2, "nothing more was sent");

    // The export: the rows shown, in a file spreadsheets read (UTF-8 with a BOM).
    app.click("#history-export").await;
    let result = app
        .wait_text("#history-result", "Exported 2 messages.")
        .await;
    assert!(result.contains(csv_path), "{result:?}");
    let bytes = std::fs::read(&csv).unwrap_or_else(|e| panic!("no export at {csv_path}: {e}"));
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "the file starts with the UTF-8 BOM"
    );
    let text = String::from_utf8_lossy(&bytes[3..]).into_owned();
    assert!(text.starts_with("Date,To,Name,Message"), "{text}");
    assert!(
        text.contains("+12015550123")
            && text.contains("+12015550140")
            && text.contains("Maria Lopez"),
        "{text}"
    );
    assert_eq!(
        text.lines().count(),
        4,
        "a header and the two rows (one text has two lines): {text}"
    );
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_outcome_is_sent_again_only_after_a_warning() {
    let _one_at_a_time = serial().await;
    let sim = Sim::start(SimConfig::default()).await.expect("simulator");
    let app = App::launch_with(&[("SMSDESK_KEYSTORE", "memory"), FAST_POLLING]).await;
    crate::channels::add_channel(&app, "Main number", PRACTICE_KEY, &sim).await;

    // A server error (500): the message may or may not have gone out.
    send(
        &app,
        "+12015550150",
        None,
        "Reminder: your visit is at 10:00.",
        "Not sure it was sent",
    )
    .await;
    assert_eq!(sim.requests().len(), 1);

    open_history(&app).await;
    let listed = wait_rows(&app, 1).await;
    assert!(listed[0].contains("Outcome unknown"), "{listed:?}");
    open_row(&app, "+1 201-555-0150").await;
    app.wait_text("#history-detail .detail-problem", "may")
        .await;

    app.click("#history-detail [data-action='send-again']")
        .await;
    let warning = app
        .wait_text("#history-detail .resend-confirm", "Send it again anyway?")
        .await;
    assert!(
        warning.contains("This message may already have arrived."),
        "{warning:?}"
    );
    app.screenshot("history-unknown-confirm.png", false).await;
    assert!(
        app.is_displayed("#view-history").await,
        "nothing happens before the answer"
    );
    app.click("#history-detail [data-action='resend-no']").await;
    app.wait_displayed("#history-detail .resend-confirm", false)
        .await;

    app.click("#history-detail [data-action='send-again']")
        .await;
    app.click("#history-detail [data-action='resend-yes']")
        .await;
    app.wait_displayed("#view-compose", true).await;
    assert_eq!(app.value("#to").await, "+12015550150");
    assert_eq!(
        app.value("#body").await,
        "Reminder: your visit is at 10:00."
    );
    assert_eq!(sim.requests().len(), 1, "filling in again sends nothing");
    open_history(&app).await;
    app.wait_text("#history-count", "1–1 of 1 message").await;

    // The answer in History was the one question: Send message sends it without asking again,
    // as exactly one more request.
    app.click("#nav-compose").await;
    app.wait_text("#send-result", "Ready to send again").await;
    app.click("#send").await;
    app.wait_text("#send-result", "Not sure it was sent").await;
    wait_until(
        "Send to be usable again",
        Duration::from_secs(20),
        || async { (app.text("#send").await == "Send message").then_some(()) },
    )
    .await;
    assert!(
        !app.is_displayed("#compose-resend-confirm").await,
        "New message does not ask again what History asked"
    );
    assert_eq!(sim.requests().len(), 2, "one more request, only one");
    open_history(&app).await;
    app.wait_text("#history-count", "1–2 of 2 messages").await;

    // That answer was for that one send: the same text to the same number asks again, once.
    app.click("#nav-compose").await;
    app.click("#send").await;
    app.wait_text("#compose-resend-confirm", "Send it again anyway?")
        .await;
    assert_eq!(sim.requests().len(), 2, "nothing is sent before the answer");
    app.click("#compose-resend-confirm [data-action='cancel-resend']")
        .await;
    app.wait_text("#send-result", "Nothing was sent.").await;
    assert_eq!(sim.requests().len(), 2);
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_history_screen_at_a_glance() {
    let _one_at_a_time = serial().await;
    let app = App::launch_with(&[("SMSDESK_KEYSTORE", "memory"), FAST_POLLING]).await;
    let messages = [
        (
            "+1 201 555 0160",
            Some("Tom Becker"),
            "Hi Tom, your eye test is on Thursday at 11:15.",
        ),
        (
            "+1 201 555 0150",
            None,
            "Reminder: your appointment is tomorrow at 10:00.",
        ),
        (
            "+1 201 555 0140",
            Some("Sam Ortiz"),
            "Hi Sam, we have moved your booking to Friday.",
        ),
        (
            "+1 201 555 0131",
            Some("Priya Shah"),
            "Hi Priya, your prescription is ready to collect.",
        ),
        (
            "+1 201 555 0123",
            Some("Maria Lopez"),
            "Hi Maria, your cleaning is booked for Tue 14 May at 3:30 PM.",
        ),
    ];
    for (to, name, body) in messages {
        app.click("#nav-compose").await;
        send(&app, to, name, body, "").await;
    }
    open_history(&app).await;
    wait_rows(&app, 5).await;
    app.wait_text("#history-list li:nth-child(1)", "Delivered")
        .await;
    app.wait_text("#history-list li:nth-child(5)", "Not delivered")
        .await;
    app.screenshot("history.png", true).await;
    open_row(&app, "Tom Becker").await;
    app.wait_text("#history-detail", "Not delivered").await;
    app.screenshot("history-detail.png", true).await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_follows_a_message_and_its_delivery_by_itself() {
    let _one_at_a_time = serial().await;
    let sim = Sim::start(SimConfig::default()).await.expect("simulator");
    let app = App::launch_with(&[("SMSDESK_KEYSTORE", "memory"), FAST_POLLING]).await;
    crate::channels::add_channel(&app, "Main number", PRACTICE_KEY, &sim).await;

    // Octopods is slow to answer: History is opened while the message is on its way.
    sim.push_fault(Fault::Latency(Duration::from_secs(4)));
    crate::live::send_and_wait_for_the_request(&app, &sim, "See you at 10:00.").await;
    open_history(&app).await;
    let listed = wait_rows(&app, 1).await;
    assert!(listed[0].contains("Sending"), "{listed:?}");
    open_row(&app, "+1 201-555-0123").await;

    // Nothing is clicked from here on: the answer, then each delivery report, shows by itself
    // in the list and in the message open beside it.
    app.wait_text("#history-list", "Delivered").await;
    app.wait_text("#history-detail .timeline", "Delivery status: delivered")
        .await;
    app.wait_text("#history-detail .detail-state", "Delivered")
        .await;
    assert_eq!(rows(&app).await.len(), 1, "the same message, not a new one");
    assert!(
        app.is_displayed("#view-history").await,
        "still on History: nothing had to be opened again"
    );
    app.close().await;
}

#[tokio::test]
async fn check_delivery_now_asks_at_once() {
    let _one_at_a_time = serial().await;
    // The tracker would wait a minute between questions: only the button asks sooner.
    let app = App::launch_with(&[
        ("SMSDESK_KEYSTORE", "memory"),
        ("SMSDESK_TEST_POLL_MS", "60000"),
    ])
    .await;
    send(
        &app,
        "+1 201 555 0123",
        None,
        "See you at 10:00.",
        "Sent to",
    )
    .await;
    open_history(&app).await;
    wait_rows(&app, 1).await;
    open_row(&app, "+1 201-555-0123").await;
    app.wait_text("#history-detail", "Accepted, checking delivery")
        .await;

    // The practice server moves one step (queued, sent, delivered) per question.
    for step in ["queued", "sent", "delivered"] {
        app.click("#history-detail [data-action='check']").await;
        app.wait_text(
            "#history-detail .timeline",
            &format!("Delivery status: {step}"),
        )
        .await;
    }
    app.wait_text("#history-list", "Delivered").await;
    app.wait_displayed("#history-detail [data-action='check']", false)
        .await;
    app.close().await;
}

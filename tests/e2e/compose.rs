//! The compose screen: live number checks, Practice sends, errors in plain words.

use crate::harness::{serial, App};

#[tokio::test]
async fn number_is_checked_as_it_is_typed() {
    let _one_at_a_time = serial().await;
    let app = App::launch().await;

    app.type_into("#to", "+1 415 55").await;
    let reason = app.wait_text("#to-check", "✗").await;
    assert!(
        reason.contains("too short"),
        "a number with digits missing says so in plain words: {reason:?}"
    );

    app.type_into("#to", "+44 7400 123456").await;
    let valid = app.wait_text("#to-check", "✓").await;
    assert_eq!(valid, "✓ Mobile · United Kingdom · +44 7400 123456");

    app.type_into("#to", "+44 20 7946 0958").await;
    let landline = app.wait_text("#to-check", "Landline").await;
    assert!(
        landline.contains("Landlines usually cannot receive text messages"),
        "a landline carries the warning: {landline:?}"
    );

    app.close().await;
}

#[tokio::test]
async fn practice_send_shows_the_message_id() {
    let _one_at_a_time = serial().await;
    let app = App::launch().await;

    app.wait_displayed("#practice-banner", true).await;
    let banner = app.text("#practice-banner").await;
    assert!(
        banner.contains("Practice mode") && banner.contains("nobody is texted"),
        "with no key the Practice banner says nothing is really sent: {banner:?}"
    );

    app.type_into("#to", "+1 201 555 0123").await;
    app.wait_text(
        "#to-check",
        "✓ Mobile or landline · United States · +1 201-555-0123",
    )
    .await;
    app.click("#open-conversation").await;
    app.type_into("#name", "Jane Doe").await;
    app.type_into(
        "#body",
        "Hi Jane, your appointment is confirmed for Monday at 10:00.",
    )
    .await;
    app.wait_text("#message-count", "59 characters · 1 segment · GSM-7")
        .await;
    app.click("#send").await;

    let result = app
        .wait_text("#send-result", "Sent to +1 201-555-0123")
        .await;
    assert!(
        result.contains("Practice — nothing was really sent."),
        "a practice send says so: {result:?}"
    );
    let message_id = result
        .split("Message id ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_default();
    assert!(
        !message_id.is_empty() && message_id.chars().all(|c| c.is_ascii_digit()),
        "the practice server's message id is shown: {result:?}"
    );
    assert!(result.contains("Request id "), "{result:?}");

    assert_eq!(
        app.value("#to").await,
        "",
        "the number is cleared for the next message"
    );
    assert_eq!(app.value("#name").await, "");
    assert_eq!(app.value("#body").await, "");
    assert_eq!(app.focused_id().await, "to", "ready for the next number");
    assert!(app.is_displayed("#practice-banner").await);

    app.screenshot("compose.png", true).await;
    app.close().await;
}

#[tokio::test]
async fn problems_are_explained_in_plain_words() {
    let _one_at_a_time = serial().await;
    let app = App::launch().await;

    // The practice server refuses this one like Octopods refuses a landline (error 4); the
    // banner's list puts it in the number field.
    app.click("#practice-banner summary").await;
    let listed = app.wait_text("#practice-list", "+12015550140").await;
    assert!(
        listed.contains("landline"),
        "each practice number says what it does: {listed:?}"
    );
    app.click("#practice-list button[data-number='+12015550140']")
        .await;
    app.wait_text("#to-check", "✓").await;
    assert_eq!(app.value("#to").await, "+12015550140");
    app.type_into("#body", "Your appointment is tomorrow at 9:30.")
        .await;
    app.click("#send").await;
    let result = app.wait_text("#send-result", "Not sent").await;
    assert!(
        result.contains("The text message provider refused this message"),
        "the problem, in words: {result:?}"
    );
    assert!(
        result.contains("The number may be a landline"),
        "and what to do next: {result:?}"
    );
    assert_eq!(
        app.value("#body").await,
        "Your appointment is tomorrow at 9:30.",
        "a message that was not sent is kept"
    );
    app.screenshot("compose-refused.png", false).await;

    // An empty message is refused before anything is sent; Ctrl+Enter sends from the keyboard.
    app.type_into("#body", "").await;
    app.find("#to")
        .await
        .send_keys("\u{E009}\u{E007}\u{E000}")
        .await
        .unwrap_or_else(|e| panic!("cannot press Ctrl+Enter: {e}"));
    let result = app.wait_text("#send-result", "The message is empty.").await;
    assert!(result.contains("Not sent"), "{result:?}");
    assert!(
        result.contains("Write a message. Nothing was sent."),
        "the hint says nothing went out: {result:?}"
    );
    assert_eq!(
        app.focused_id().await,
        "body",
        "the cursor goes to the message"
    );

    app.close().await;
}

#[tokio::test]
async fn a_damaged_templates_file_is_kept_and_free_text_still_sends() {
    let _one_at_a_time = serial().await;
    // An older SMS Desk's templates file, damaged, found when this version first opens.
    let app = App::launch_seeded(&[("templates.json", "{ this is not json")]).await;
    app.type_into("#to", "+1 201 555 0123").await;
    app.type_into("#body", "Free text still goes out.").await;
    app.click("#send").await;
    app.wait_text("#send-result", "Practice — nothing was really sent.")
        .await;
    let copies: Vec<String> = std::fs::read_dir(app.data_dir())
        .unwrap_or_else(|e| panic!("cannot list the data folder: {e}"))
        .filter_map(|entry| entry.ok())
        .filter(|entry| {
            entry
                .file_name()
                .to_string_lossy()
                .starts_with("templates.json.damaged-")
        })
        .map(|entry| std::fs::read_to_string(entry.path()).unwrap_or_default())
        .collect();
    assert_eq!(
        copies,
        ["{ this is not json"],
        "the damaged file is kept aside, exactly as it was, before anything can overwrite it"
    );
    app.close().await;
}

//! The settings screen: a channel's key (write-only), the default country, no keychain.

use crate::harness::{serial, App};

const TEST_KEY: &str = "e2e-not-a-real-key-5f3a";

#[tokio::test]
async fn a_channel_key_is_write_only_and_removing_the_channel_goes_back_to_practice() {
    let _one_at_a_time = serial().await;
    let app = App::launch().await;
    let main_number = "#channel-list li[data-name=\"Main number\"]";

    app.click("#nav-settings").await;
    app.wait_text("#channel-list", "Practice").await;
    assert!(app.is_displayed("#practice-banner").await);
    assert_eq!(
        app.value("#new-channel-name").await,
        "Main number",
        "the first channel has a name ready"
    );
    assert_eq!(
        app.value("#api-key").await,
        "",
        "the key field is never pre-filled"
    );

    app.type_into("#api-key", TEST_KEY).await;
    app.click("#add-channel").await;
    app.wait_text("#channels-result", "Channel “Main number” added.")
        .await;
    app.wait_text(main_number, "Key saved").await;
    assert_eq!(app.value("#api-key").await, "", "the key is not shown back");
    let page = app
        .client
        .source()
        .await
        .unwrap_or_else(|e| panic!("cannot read the page: {e}"));
    assert!(
        !page.contains(TEST_KEY),
        "the key appears nowhere in the page"
    );
    for (path, text) in app.data_files() {
        assert!(
            !text.contains(TEST_KEY),
            "the key is kept in the keychain only, never in {}",
            path.display()
        );
    }
    assert!(
        app.is_displayed("#practice-banner").await,
        "adding a channel does not switch away from Practice"
    );
    crate::channels::pick_channel(&app, "Main number").await;
    app.wait_displayed("#practice-banner", false).await;

    app.click("#nav-settings").await;
    app.screenshot("settings.png", true).await;
    app.click(&format!("{main_number} [data-action=\"remove\"]"))
        .await;
    app.click(&format!("{main_number} [data-action=\"remove-yes\"]"))
        .await;
    app.wait_text("#channels-result", "Channel “Main number” removed.")
        .await;
    app.wait_displayed("#practice-banner", true).await;

    app.close().await;
}

#[tokio::test]
async fn default_country_reads_local_numbers() {
    let _one_at_a_time = serial().await;
    let app = App::launch().await;

    app.type_into("#to", "083 123 4567").await;
    let before = app.wait_text("#to-check", "✗").await;
    assert!(
        before.contains("Add the country code"),
        "without a country, a local number asks for one: {before:?}"
    );

    app.click("#nav-settings").await;
    app.find("#default-country option[value='IE']").await;
    app.find("#default-country")
        .await
        .select_by_value("IE")
        .await
        .unwrap_or_else(|e| panic!("cannot pick Ireland: {e}"));
    app.click("#save-settings").await;
    app.wait_text("#settings-result", "Settings saved.").await;

    let saved = app.saved_config();
    assert_eq!(saved["settings"]["defaultCountry"], "IE", "{saved}");

    app.click("#nav-compose").await;
    let after = app.wait_text("#to-check", "✓").await;
    assert_eq!(after, "✓ Mobile · Ireland · +353 83 123 4567");
    let help = app.text("#to-help").await;
    assert!(help.contains("Ireland numbers (+353)"), "{help:?}");

    app.close().await;
}

#[tokio::test]
async fn without_a_keychain_the_app_stays_in_practice_and_says_why() {
    let _one_at_a_time = serial().await;
    // The system keychain, on a session bus that does not exist: never a real keychain.
    let app = App::launch_with(&[
        ("SMSDESK_KEYSTORE", "system"),
        (
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/smsdesk-e2e-bus",
        ),
    ])
    .await;

    app.wait_displayed("#practice-banner", true).await;
    app.click("#nav-settings").await;
    let problem = app
        .wait_text("#keychain-problem", "The system keychain is not available")
        .await;
    assert!(
        problem.contains("gnome-keyring") || problem.contains("keychain"),
        "it says how to fix it: {problem:?}"
    );
    let key_field = app.find("#api-key").await;
    assert_eq!(
        key_field.is_enabled().await.ok(),
        Some(false),
        "no key can be typed where it cannot be kept"
    );
    app.screenshot("settings-no-keychain.png", false).await;

    // Practice sends still work.
    app.click("#nav-compose").await;
    app.type_into("#to", "+1 201 555 0123").await;
    app.type_into("#body", "Practice without a keychain.").await;
    app.click("#send").await;
    app.wait_text("#send-result", "Practice — nothing was really sent.")
        .await;

    app.close().await;
}

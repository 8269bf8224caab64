//! The first-run welcome: shown once, with the country guessed from the system's language and
//! confirmed by the person; it leads to the recipient field or to the API key.

use crate::harness::{serial, wait_until, App};

/// What the person sees the very first time, on a computer set to English (Ireland).
const IRISH: &[(&str, &str)] = &[("LANG", "en_IE.UTF-8"), ("LANGUAGE", "")];

/// Presses a key (a WebDriver key code) where the keyboard focus is.
async fn press(app: &App, key: &str) {
    app.client
        .active_element()
        .await
        .unwrap_or_else(|e| panic!("nothing has the focus: {e}"))
        .send_keys(key)
        .await
        .unwrap_or_else(|e| panic!("cannot press {key:?}: {e}"));
}

fn saved_settings(app: &App) -> serde_json::Value {
    app.saved_config()
}

#[tokio::test]
async fn the_welcome_guesses_the_country_and_is_shown_once() {
    let _one_at_a_time = serial().await;
    let app = App::launch_first_run(IRISH).await;

    app.wait_displayed("#welcome", true).await;
    let shown = app.text("#welcome").await;
    assert!(
        shown.contains("Welcome to SMS Desk") && shown.contains("Practice mode"),
        "the welcome says what SMS Desk does and that it starts in Practice: {shown:?}"
    );
    assert_eq!(
        app.focused_id().await,
        "welcome-country",
        "the keyboard starts in the welcome, on the country"
    );
    assert_eq!(
        app.value("#welcome-country").await,
        "IE",
        "the country is guessed from the system's language (LANG=en_IE.UTF-8)"
    );
    app.screenshot("welcome.png", true).await;

    app.click("#welcome-practice-start").await;
    app.wait_displayed("#welcome", false).await;
    assert_eq!(app.focused_id().await, "to", "ready to type a number");
    app.wait_text("#to-help", "Ireland").await;
    let saved = saved_settings(&app);
    assert_eq!(saved["settings"]["defaultCountry"], "IE", "{saved}");
    assert_eq!(saved["firstRunDone"], true, "{saved}");

    // Next time SMS Desk opens on the same data folder, it goes straight to the form.
    let app = app.relaunch(IRISH).await;
    assert!(
        !app.is_displayed("#welcome").await,
        "the welcome is shown only once"
    );
    assert_eq!(app.focused_id().await, "to");
    app.wait_text("#to-help", "Ireland").await;
    app.close().await;
}

#[tokio::test]
async fn i_have_an_api_key_leads_to_the_key_field() {
    let _one_at_a_time = serial().await;
    let app = App::launch_first_run(IRISH).await;
    app.wait_displayed("#welcome", true).await;

    // The person changes the guess before going on.
    app.find("#welcome-country")
        .await
        .select_by_value("GB")
        .await
        .unwrap_or_else(|e| panic!("cannot pick a country: {e}"));
    // From the keyboard: Tab reaches each action, with a visible focus ring; Enter picks it.
    press(&app, "\u{E004}").await;
    assert_eq!(app.focused_id().await, "welcome-practice-start");
    press(&app, "\u{E004}").await;
    assert_eq!(app.focused_id().await, "welcome-key");
    let outline: String = app
        .client
        .execute(
            "return getComputedStyle(document.activeElement).outlineStyle",
            vec![],
        )
        .await
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    assert_eq!(outline, "solid", "the focused button shows a focus ring");
    app.screenshot("welcome-keyboard.png", false).await;
    press(&app, "\u{E007}").await;
    app.wait_displayed("#welcome", false).await;
    app.wait_displayed("#view-settings", true).await;
    assert_eq!(app.focused_id().await, "api-key", "the key field is ready");
    assert_eq!(
        app.value("#default-country").await,
        "GB",
        "Settings shows the country just confirmed"
    );
    let saved = saved_settings(&app);
    assert_eq!(saved["settings"]["defaultCountry"], "GB", "{saved}");
    assert_eq!(saved["firstRunDone"], true, "{saved}");
    app.close().await;
}

#[tokio::test]
async fn escape_keeps_the_country_shown_and_lets_the_person_work() {
    let _one_at_a_time = serial().await;
    let app = App::launch_first_run(IRISH).await;
    app.wait_displayed("#welcome", true).await;

    app.find("#welcome-country")
        .await
        .send_keys("\u{E00C}")
        .await
        .unwrap_or_else(|e| panic!("cannot press Escape: {e}"));
    app.wait_displayed("#welcome", false).await;
    assert_eq!(app.focused_id().await, "to");
    let saved = wait_until(
        "the welcome to be remembered",
        std::time::Duration::from_secs(10),
        || async {
            let saved = saved_settings(&app);
            (saved["firstRunDone"] == true).then_some(saved)
        },
    )
    .await;
    assert_eq!(
        saved["settings"]["defaultCountry"], "IE",
        "leaving with Escape confirms the country shown: {saved}"
    );
    app.close().await;
}

#[tokio::test]
async fn the_welcome_reads_well_in_the_dark_theme() {
    let _one_at_a_time = serial().await;
    let app = App::launch_first_run(&[("GTK_THEME", "Adwaita:dark")]).await;
    app.wait_displayed("#welcome", true).await;
    let dark: bool = app
        .client
        .execute(
            "return matchMedia('(prefers-color-scheme: dark)').matches",
            vec![],
        )
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    app.screenshot("welcome-dark.png", false).await;
    app.click("#welcome-practice-start").await;
    app.wait_displayed("#welcome", false).await;
    app.screenshot("compose-dark.png", false).await;
    assert!(dark, "GTK_THEME=Adwaita:dark gives the dark colours");
    app.close().await;
}

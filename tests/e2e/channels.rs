//! Channels, keys and teammates in the real window, against simulators the tests own: adding a
//! channel and sending from it, a teammate picked in New message reaching the server, the
//! banner for a replaced key (error 5) leading to the key field, "Test this key", and a
//! HubSpot channel hiding the teammate choice.

use octopods_sim::{Sim, SimConfig, DEPRECATED_KEY, HUBSPOT_KEY, PRACTICE_KEY};

use crate::harness::{serial, App};

/// Adds a channel in Settings (name, key, the simulator's address) and picks it in New message.
pub async fn add_channel(app: &App, name: &str, key: &str, sim: &Sim) {
    app.click("#nav-settings").await;
    app.type_into("#new-channel-name", name).await;
    app.type_into("#api-key", key).await;
    app.type_into("#new-channel-url", &sim.base_url()).await;
    app.click("#add-channel").await;
    app.wait_text("#channels-result", &format!("Channel “{name}” added."))
        .await;
    assert_eq!(app.value("#api-key").await, "", "the key is not shown back");
    pick_channel(app, name).await;
}

/// Picks the channel New message sends from, by its name.
pub async fn pick_channel(app: &App, name: &str) {
    app.click("#nav-compose").await;
    app.find("#channel")
        .await
        .select_by_label(name)
        .await
        .unwrap_or_else(|e| panic!("cannot pick the channel {name}: {e}"));
    app.wait_text("#channel-note", &format!("really sent from {name}."))
        .await;
}

/// The channel's item in Settings, as a CSS selector.
fn item(name: &str) -> String {
    format!("#channel-list li[data-name=\"{name}\"]")
}

async fn write_message(app: &App) {
    app.type_into("#to", "+1 201 555 0123").await;
    app.type_into("#body", "Your appointment is tomorrow at 10:00.")
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_channel_sends_with_the_teammate_picked() {
    let _one_at_a_time = serial().await;
    let sim = Sim::start(SimConfig::default()).await.expect("simulator");
    let app = App::launch().await;

    app.click("#nav-settings").await;
    app.type_into("#new-teammate-name", "Ann Lee").await;
    app.type_into("#new-teammate-id", "Ann").await;
    app.click("#add-teammate").await;
    app.wait_text("#teammates-result", "is not an Intercom id")
        .await;
    assert_eq!(app.focused_id().await, "new-teammate-id");
    app.type_into("#new-teammate-id", "814860").await;
    app.click("#add-teammate").await;
    app.wait_text("#teammates-result", "Ann Lee added.").await;
    app.wait_text("#teammate-list", "Ann Lee").await;

    add_channel(&app, "Main Street clinic", PRACTICE_KEY, &sim).await;
    app.wait_displayed("#practice-banner", false).await;
    assert!(
        !app.is_displayed("#name").await && !app.is_displayed("#teammate").await,
        "the name and teammate only show with a conversation"
    );
    write_message(&app).await;
    app.click("#open-conversation").await;
    app.type_into("#name", "Jane Doe").await;
    assert_eq!(
        app.value("#teammate").await,
        "",
        "the workspace default first"
    );
    app.find("#teammate")
        .await
        .select_by_value("814860")
        .await
        .unwrap_or_else(|e| panic!("cannot pick the teammate: {e}"));
    app.screenshot("compose-live-channel.png", true).await;
    app.click("#send").await;
    let shown = app.wait_text("#send-result", "Sent to").await;
    assert!(!shown.contains("Practice"), "a live send: {shown:?}");

    let requests = sim.requests();
    assert_eq!(requests.len(), 1, "exactly one request reached the server");
    assert_eq!(requests[0].auth.as_deref(), Some(PRACTICE_KEY));
    assert_eq!(
        requests[0].body.clone().expect("a JSON body"),
        serde_json::json!({
            "destination_phone": "+12015550123",
            "body": "Your appointment is tomorrow at 10:00.",
            "open_intercom_conversation": true,
            "intercom_teammate_id": "814860",
            "destination_user_name": "Jane Doe",
        })
    );

    // "Workspace default" leaves the field out.
    write_message(&app).await;
    app.find("#teammate")
        .await
        .select_by_value("")
        .await
        .unwrap_or_else(|e| panic!("cannot pick the workspace default: {e}"));
    app.click("#send").await;
    app.wait_text("#send-result", "Sent to").await;
    let body = sim.requests()[1].body.clone().expect("a JSON body");
    assert!(
        body.get("intercom_teammate_id").is_none(),
        "the workspace default omits the teammate: {body}"
    );

    for (path, text) in app.data_files() {
        assert!(
            !text.contains(PRACTICE_KEY),
            "the key is kept in the keychain only, never in {}",
            path.display()
        );
    }
    app.click("#nav-settings").await;
    app.screenshot("settings-channels.png", true).await;
    app.client
        .execute(
            "document.getElementById('teammates-card').scrollIntoView({block: 'start'});",
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("cannot scroll to the teammates: {e}"));
    app.screenshot("settings-teammates.png", true).await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replaced_key_shows_a_banner_that_leads_to_the_key_field() {
    let _one_at_a_time = serial().await;
    let sim = Sim::start(SimConfig::default()).await.expect("simulator");
    let app = App::launch().await;
    add_channel(&app, "Clinic", DEPRECATED_KEY, &sim).await;
    assert!(!app.is_displayed("#channel-problem").await);

    write_message(&app).await;
    app.click("#send").await;
    let shown = app.wait_text("#send-result", "Not sent").await;
    assert!(
        shown.contains("API key was replaced or revoked"),
        "error 5 says what happened: {shown:?}"
    );
    let banner = app
        .wait_text("#channel-problem", "was replaced or revoked in Octopods")
        .await;
    assert!(
        banner.contains("Clinic"),
        "the banner names the channel: {banner:?}"
    );
    app.screenshot("compose-replaced-key.png", false).await;

    app.click("#channel-fix").await;
    let key_field = format!("{} .channel-key", item("Clinic"));
    let focused = app.focused_id().await;
    assert!(
        focused.starts_with("channel-key-"),
        "Replace the key puts the cursor in the channel's key field: {focused:?}"
    );
    app.wait_text(&item("Clinic"), "Key replaced in Octopods")
        .await;
    app.type_into(&key_field, PRACTICE_KEY).await;
    app.click(&format!("{} .channel-key-save", item("Clinic")))
        .await;
    app.wait_text(&item("Clinic"), "Key saved").await;
    assert_eq!(app.value(&key_field).await, "", "never shown back");

    app.click("#nav-compose").await;
    app.wait_displayed("#channel-problem", false).await;
    assert_eq!(
        app.value("#body").await,
        "Your appointment is tomorrow at 10:00.",
        "the message is kept for the retry"
    );
    app.click("#send").await;
    app.wait_text("#send-result", "Sent to").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn testing_keys_and_removing_a_channel() {
    let _one_at_a_time = serial().await;
    let sim = Sim::start(SimConfig::default()).await.expect("simulator");
    let app = App::launch().await;
    add_channel(&app, "Good", PRACTICE_KEY, &sim).await;
    add_channel(&app, "Old", DEPRECATED_KEY, &sim).await;
    app.click("#nav-settings").await;

    app.click(&format!("{} [data-action=\"test\"]", item("Good")))
        .await;
    app.wait_text(&format!("{} .channel-result", item("Good")), "Valid")
        .await;
    app.click(&format!("{} [data-action=\"test\"]", item("Old")))
        .await;
    app.wait_text(
        &format!("{} .channel-result", item("Old")),
        "Replaced in Octopods (deprecated)",
    )
    .await;
    app.wait_text(&item("Old"), "was replaced or revoked").await;
    app.click("#nav-compose").await;
    app.wait_text("#channel-problem", "“Old”").await;
    assert!(
        sim.requests().iter().all(|r| r.method == "GET"),
        "testing a key sends no message"
    );

    app.click("#nav-settings").await;
    app.click(&format!("{} [data-action=\"remove\"]", item("Old")))
        .await;
    app.click(&format!("{} [data-action=\"remove-yes\"]", item("Old")))
        .await;
    app.wait_text("#channels-result", "Channel “Old” removed.")
        .await;
    let list = app.text("#channel-list").await;
    assert!(!list.contains("Old"), "gone from the list: {list:?}");
    app.click("#nav-compose").await;
    app.wait_text("#channel-note", "Practice").await;
    app.wait_displayed("#practice-banner", true).await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hubspot_channel_hides_the_teammate_after_its_first_send() {
    let _one_at_a_time = serial().await;
    let sim = Sim::start(SimConfig::default()).await.expect("simulator");
    let app = App::launch().await;
    add_channel(&app, "Front desk", HUBSPOT_KEY, &sim).await;
    app.click("#open-conversation").await;
    assert!(
        app.is_displayed("#teammate").await,
        "not known to be HubSpot yet"
    );
    write_message(&app).await;
    app.click("#send").await;
    app.wait_text("#send-result", "Sent").await;
    app.wait_displayed("#hubspot-note", true).await;
    assert!(
        !app.is_displayed("#teammate").await,
        "no teammate on HubSpot"
    );
    let note = app.text("#hubspot-note").await;
    assert!(
        note.contains("delivery tracking is not available"),
        "it says why: {note:?}"
    );
    app.close().await;
}

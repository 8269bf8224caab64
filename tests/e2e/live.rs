//! A live channel pointed at a simulator the test owns, so the test can read exactly what
//! reached the server: the teammate and conversation fields, and nothing for a refused draft.

use std::time::Duration;

use octopods_sim::{Fault, Sim, SimConfig, DEPRECATED_KEY, PRACTICE_KEY};

use crate::channels::add_channel;
use crate::harness::{serial, wait_until, App};

/// Adds the teammate Ann (814860) in Settings.
async fn add_ann(app: &App) {
    app.click("#nav-settings").await;
    app.type_into("#new-teammate-name", "Ann").await;
    app.type_into("#new-teammate-id", "814860").await;
    app.click("#add-teammate").await;
    app.wait_text("#teammate-list", "Ann").await;
}

async fn go_live(app: &App, sim: &Sim, key: &str) {
    add_ann(app).await;
    add_channel(app, "Main number", key, sim).await;
}

/// Sends from New message and waits until the request has reached `sim` (whose answer a test
/// has delayed), without waiting for the answer.
pub async fn send_and_wait_for_the_request(app: &App, sim: &Sim, body: &str) {
    app.type_into("#to", "+1 201 555 0123").await;
    app.type_into("#body", body).await;
    app.click("#send").await;
    wait_until(
        "the request to reach Octopods",
        Duration::from_secs(20),
        || async {
            sim.requests()
                .iter()
                .any(|r| r.method == "POST")
                .then_some(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_teammate_and_conversation_reach_the_server() {
    let _one_at_a_time = serial().await;
    let sim = Sim::start(SimConfig::default()).await.expect("simulator");
    let app = App::launch().await;
    go_live(&app, &sim, PRACTICE_KEY).await;

    app.type_into("#to", "+1 201 555 0123").await;
    app.type_into("#body", "Your appointment is tomorrow at 10:00.")
        .await;
    app.click("#open-conversation").await;
    app.type_into("#name", "Jane Doe").await;
    app.find("#teammate")
        .await
        .select_by_value("814860")
        .await
        .unwrap_or_else(|e| panic!("cannot pick the teammate: {e}"));
    app.click("#send").await;
    let shown = app.wait_text("#send-result", "Sent to").await;
    assert!(
        !shown.contains("Practice"),
        "a live send is not labelled practice: {shown:?}"
    );

    let requests = sim.requests();
    assert_eq!(requests.len(), 1, "exactly one request reached the server");
    let body = requests[0].body.clone().expect("a JSON body");
    assert_eq!(
        body,
        serde_json::json!({
            "destination_phone": "+12015550123",
            "body": "Your appointment is tomorrow at 10:00.",
            "open_intercom_conversation": true,
            "intercom_teammate_id": "814860",
            "destination_user_name": "Jane Doe",
        })
    );
    assert_eq!(requests[0].auth.as_deref(), Some(PRACTICE_KEY));

    // A draft the app refuses never reaches the server.
    app.type_into("#to", "+1 201 555 0123").await;
    app.click("#send").await;
    app.wait_text("#send-result", "The message is empty.").await;
    assert_eq!(sim.requests().len(), 1, "no request for an empty message");

    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replaced_key_is_explained() {
    let _one_at_a_time = serial().await;
    let sim = Sim::start(SimConfig::default()).await.expect("simulator");
    let app = App::launch().await;
    go_live(&app, &sim, DEPRECATED_KEY).await;

    app.type_into("#to", "+1 201 555 0123").await;
    app.type_into("#body", "Hello").await;
    app.click("#send").await;
    let shown = app.wait_text("#send-result", "Not sent").await;
    assert!(
        shown.contains("API key was replaced or revoked") && shown.contains("paste it in Settings"),
        "error 5 says what happened and what to do: {shown:?}"
    );
    assert_eq!(
        app.value("#body").await,
        "Hello",
        "the message is kept for the retry"
    );
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_send_does_not_undo_a_settings_change_made_meanwhile() {
    let _one_at_a_time = serial().await;
    let sim = Sim::start(SimConfig::default()).await.expect("simulator");
    let app = App::launch().await;
    add_channel(&app, "Main number", PRACTICE_KEY, &sim).await;
    // The first answer on a channel teaches SMS Desk its workspace, which is saved in the
    // settings: with Octopods slow to answer, the person adds a teammate in the meantime.
    sim.push_fault(Fault::Latency(Duration::from_secs(4)));
    send_and_wait_for_the_request(&app, &sim, "Hello").await;
    add_ann(&app).await;
    app.click("#nav-compose").await;
    app.wait_text("#send-result", "Sent to").await;

    let app = app.relaunch(&[]).await;
    app.click("#nav-settings").await;
    app.wait_text("#teammate-list", "Ann").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_number_on_the_do_not_text_list_never_reaches_octopods() {
    let _one_at_a_time = serial().await;
    let sim = Sim::start(SimConfig::default()).await.expect("simulator");
    let app = App::launch().await;
    add_channel(&app, "Main number", PRACTICE_KEY, &sim).await;
    app.click("#nav-optouts").await;
    app.type_into("#optout-number", "+1 201 555 0123").await;
    app.click("#optout-add").await;
    app.wait_text("#optout-add-result", "is on the do-not-text list")
        .await;

    app.click("#nav-compose").await;
    app.type_into("#to", "+1 (201) 555-0123").await;
    app.type_into("#body", "Your appointment is tomorrow at 10:00.")
        .await;
    app.click("#send").await;
    app.wait_text(
        "#send-result",
        "Not sent: this number is on the do-not-text list",
    )
    .await;
    assert!(sim.requests().is_empty(), "nothing reached Octopods");
    app.close().await;
}

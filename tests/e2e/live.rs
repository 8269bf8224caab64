//! A live channel pointed at a simulator the test owns, so the test can read exactly what
//! reached the server: the teammate and conversation fields, nothing for a refused draft, and
//! no second copy of a message that may already have arrived unless the person confirms it.

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

/// How many messages reached `sim` (delivery questions left out).
pub fn posts(sim: &Sim) -> usize {
    sim.requests().iter().filter(|r| r.method == "POST").count()
}

/// Presses `keys` in the field `css` (WebDriver key codes: Enter is \u{E007}).
async fn press(app: &App, css: &str, keys: &str) {
    app.find(css)
        .await
        .send_keys(keys)
        .await
        .unwrap_or_else(|e| panic!("cannot press {keys:?} in {css}: {e}"));
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_an_unknown_outcome_enter_asks_before_sending_again() {
    let _one_at_a_time = serial().await;
    let sim = Sim::start(SimConfig::default()).await.expect("simulator");
    let app = App::launch().await;
    add_channel(&app, "Main number", PRACTICE_KEY, &sim).await;

    // A server error (500): the message may or may not have gone out. The form keeps it.
    crate::history::send(
        &app,
        "+1 201 555 0150",
        None,
        "Reminder: your visit is at 10:00.",
        "Not sure it was sent",
    )
    .await;
    assert_eq!(posts(&sim), 1);

    // Enter in the number field submits the form again: nothing is sent, the person is asked.
    press(&app, "#to", "\u{E007}").await;
    app.wait_displayed("#compose-resend-confirm", true).await;
    let question = app
        .wait_text("#compose-resend-confirm", "Send it again anyway?")
        .await;
    assert!(
        question.contains("This message may already have arrived."),
        "{question:?}"
    );
    assert_eq!(
        app.focused_id().await,
        "compose-resend-message",
        "the question is read out first"
    );
    app.screenshot("compose-resend-confirm.png", false).await;

    // While the question shows, neither Enter nor Ctrl+Enter sends.
    press(&app, "#to", "\u{E007}").await;
    press(&app, "#body", "\u{E009}\u{E007}\u{E000}").await;
    assert!(app.is_displayed("#compose-resend-confirm").await);

    // Don't send: nothing goes out and the message stays in the form.
    app.click("#compose-resend-confirm [data-action='cancel-resend']")
        .await;
    app.wait_displayed("#compose-resend-confirm", false).await;
    app.wait_text("#send-result", "Nothing was sent.").await;
    assert_eq!(
        app.value("#body").await,
        "Reminder: your visit is at 10:00."
    );

    // Asked again, the person sends it anyway: exactly one more request.
    app.click("#send").await;
    app.wait_displayed("#compose-resend-confirm", true).await;
    app.click("#compose-resend-confirm [data-action='confirm-resend']")
        .await;
    app.wait_displayed("#compose-resend-confirm", false).await;
    app.wait_text("#send-result", "Not sure it was sent").await;
    wait_until(
        "Send to be usable again",
        Duration::from_secs(20),
        || async { (app.text("#send").await == "Send message").then_some(()) },
    )
    .await;
    // Its answer came after any copy that Enter or Ctrl+Enter could have sent.
    assert_eq!(posts(&sim), 2, "one more, only once confirmed");

    // That one's outcome is unknown too: Enter asks again.
    press(&app, "#to", "\u{E007}").await;
    app.wait_displayed("#compose-resend-confirm", true).await;
    assert_eq!(posts(&sim), 2);
    app.close().await;
}

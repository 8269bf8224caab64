//! Everyday polish, checked against a simulator the test owns: a double click on Send sends
//! once, Ctrl+Enter sends, and the result is announced.

use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
use octopods_sim::{Sim, SimConfig, PRACTICE_KEY};

use crate::harness::{serial, wait_until, App};

/// Adds a live channel pointed at `sim` with a key and picks it in New message.
async fn go_live(app: &App, sim: &Sim) {
    crate::channels::add_channel(app, "Main number", PRACTICE_KEY, sim).await;
}

/// Waits until the send has finished (the button is usable again) and returns the result.
async fn sent(app: &App) -> String {
    let result = app.wait_text("#send-result", "Sent to").await;
    wait_until(
        "Send to be usable again",
        std::time::Duration::from_secs(20),
        || async { (app.text("#send").await == "Send message").then_some(()) },
    )
    .await;
    result
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_double_click_sends_once_and_ctrl_enter_sends() {
    let _one_at_a_time = serial().await;
    let sim = Sim::start(SimConfig::default()).await.expect("simulator");
    let app = App::launch().await;
    go_live(&app, &sim).await;

    // A real double click on Send, as an impatient person does it.
    app.type_into("#to", "+1 201 555 0123").await;
    app.type_into("#body", "First: double-clicked.").await;
    let send = app.find("#send").await;
    let double_click = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement {
            element: send,
            duration: None,
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    app.client
        .perform_actions(double_click)
        .await
        .unwrap_or_else(|e| panic!("cannot double-click Send: {e}"));
    let result = sent(&app).await;
    assert!(result.contains("Message id "), "{result:?}");

    // Two submissions in the same instant (faster than the button can be disabled).
    app.type_into("#to", "+1 201 555 0123").await;
    app.type_into("#body", "Second: submitted twice at once.")
        .await;
    app.client
        .execute(
            "const form = document.getElementById('compose-form');\
             form.requestSubmit(); form.requestSubmit();",
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("cannot submit: {e}"));
    sent(&app).await;

    // Ctrl+Enter from the message sends; its arrival also proves that no late duplicate of the
    // messages above is still on its way.
    app.type_into("#to", "+1 201 555 0123").await;
    app.type_into("#body", "Third: Ctrl+Enter.").await;
    app.find("#body")
        .await
        .send_keys("\u{E009}\u{E007}\u{E000}")
        .await
        .unwrap_or_else(|e| panic!("cannot press Ctrl+Enter: {e}"));
    let result = sent(&app).await;
    assert_eq!(app.focused_id().await, "to", "ready for the next number");
    assert!(
        app.find("#send-result")
            .await
            .attr("aria-live")
            .await
            .ok()
            .flatten()
            .is_some_and(|v| v == "polite"),
        "the result is announced to screen readers: {result:?}"
    );

    let bodies: Vec<String> = sim
        .requests()
        .iter()
        .filter_map(|r| r.body.as_ref())
        .filter_map(|b| b["body"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(
        bodies,
        [
            "First: double-clicked.",
            "Second: submitted twice at once.",
            "Third: Ctrl+Enter.",
        ],
        "each message reached the server exactly once"
    );
    app.close().await;
}

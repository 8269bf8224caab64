//! The desk as the one API: template sends rendered here, the command line's route and the
//! app's recording the same row, settings and templates in the store (old files imported
//! once, a newer version's values never reset), getters that never write, changes told.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use octopods_sim::{Sim, SimConfig, PRACTICE_KEY};
use smsdesk::desk::{Desk, DeskOptions, Via};
use smsdesk::draft::Draft;
use smsdesk::events::{Change, ChangeKind, RecordedEvents};
use smsdesk::history::Filter;
use smsdesk::store::config::keys;
use smsdesk::templates::TemplateFill;
use smsdesk::{Error, UserError};

use crate::{TestDesk, MOBILE};

fn draft(to: &str) -> Draft {
    Draft {
        to: to.into(),
        body: "Hello from the front desk.".into(),
        name: "Jane Doe".into(),
        teammate_id: "814860".into(),
        open_conversation: true,
    }
}

/// Everything a row says, but for what differs between any two sends (ids, times).
fn comparable(entry: &smsdesk::history::Entry) -> serde_json::Value {
    let mut row = serde_json::to_value(entry).expect("json");
    for volatile in [
        "id",
        "createdAt",
        "updatedAt",
        "requestId",
        "messageId",
        "nextPollAt",
    ] {
        row[volatile] = serde_json::Value::Null;
    }
    row
}

#[tokio::test]
async fn a_template_send_is_rendered_by_the_desk_and_named_in_the_history() {
    let t = TestDesk::new();
    t.desk
        .save_business(smsdesk::templates::BusinessInfo {
            business_name: "Bright Smile Dental".into(),
            ..Default::default()
        })
        .await
        .expect("business details");
    let values = BTreeMap::from([
        ("first_name".to_owned(), "Maria".to_owned()),
        ("date".to_owned(), "Tue".to_owned()),
        ("time".to_owned(), "3pm".to_owned()),
    ]);
    let fill = TemplateFill {
        template_id: "starter-confirmation".into(),
        values,
    };
    let mut typed = draft(MOBILE);
    typed.body = "whatever the form held".into();
    let sent = t
        .desk
        .send(Via::Active, typed.clone(), Some(fill.clone()), false)
        .await
        .expect("sent");
    let row = t.row(sent.history_id).await;
    assert!(
        row.body.starts_with(
            "Bright Smile Dental: Hi Maria, your appointment is booked for Tue at 3pm."
        ),
        "the saved template, rendered: {}",
        row.body
    );
    assert_eq!(
        row.template_name.as_deref(),
        Some("Appointment confirmation")
    );

    let partial = TemplateFill {
        values: BTreeMap::from([("first_name".to_owned(), "Maria".to_owned())]),
        ..fill
    };
    let err = t
        .desk
        .send(Via::Active, typed, Some(partial), false)
        .await
        .expect_err("a field is empty");
    assert_eq!(UserError::from(&err).code, "template_missing_values");
    assert_eq!(
        t.desk
            .history(Filter::default(), 0, 10)
            .await
            .expect("list")
            .total,
        1,
        "nothing recorded for a refused draft"
    );
}

#[tokio::test]
async fn the_command_line_route_and_the_app_route_record_the_same_row() {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let t = TestDesk::new();
    t.live(&sim, PRACTICE_KEY).await;
    t.desk
        .add_teammate("Ann", "814860")
        .await
        .expect("teammate");
    let app = t
        .desk
        .send(Via::Active, draft(MOBILE), None, false)
        .await
        .expect("app send");
    let cli = t
        .again()
        .send(
            Via::SavedChannel { base_url: None },
            draft(MOBILE),
            None,
            false,
        )
        .await
        .expect("command-line send");
    let (app_row, cli_row) = (t.row(app.history_id).await, t.row(cli.history_id).await);
    assert_eq!(comparable(&app_row), comparable(&cli_row));
    assert_eq!(app_row.teammate_name.as_deref(), Some("Ann"));
    let bodies: Vec<_> = sim
        .requests()
        .iter()
        .filter_map(|r| r.body.clone())
        .collect();
    assert_eq!(bodies.len(), 2);
    assert_eq!(bodies[0], bodies[1], "the same request both ways");
}

#[tokio::test]
async fn the_command_line_without_a_channel_is_told_so_and_never_asks_the_keychain() {
    let dir = tempfile::tempdir().expect("temp dir");
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&asked);
    let desk = Desk::new(DeskOptions::with_key_opener(
        dir.path(),
        Arc::new(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            Err(Error::KeychainUnavailable("no Secret Service here".into()))
        }),
    ));
    let err = desk
        .send(
            Via::SavedChannel { base_url: None },
            draft(MOBILE),
            None,
            false,
        )
        .await
        .expect_err("no channel");
    assert!(matches!(err, Error::NoChannel));
    let user = UserError::from(&err);
    assert_eq!(user.code, "no_channel");
    assert!(user.hint.contains("--practice"), "{}", user.hint);
    assert_eq!(
        desk.history(Filter::default(), 0, 10)
            .await
            .expect("list")
            .total,
        0
    );
    let practice = desk
        .send(Via::Practice, draft(MOBILE), None, false)
        .await
        .expect("practice, only when asked for");
    assert_eq!(practice.channel_id, "practice");
    assert_eq!(
        asked.load(Ordering::SeqCst),
        0,
        "the keychain was never opened"
    );
}

/// settings.json and templates.json as older versions (tauri-plugin-store) wrote them.
fn write_old_files(dir: &std::path::Path) {
    let settings = serde_json::json!({
        "settings": {"defaultCountry": "IE", "channels": [], "activeChannel": "practice",
                     "teammates": [{"id": "42", "name": "Bob"}]},
        "business": {"businessName": "Bright Smile Dental"},
        "firstRunDone": true
    });
    let templates = serde_json::json!({"templates": [
        {"id": "t1", "name": "Only one", "body": "Hi {{first_name}}"}
    ]});
    std::fs::write(dir.join("settings.json"), settings.to_string()).expect("write");
    std::fs::write(dir.join("templates.json"), templates.to_string()).expect("write");
}

#[tokio::test]
async fn old_settings_and_templates_files_are_imported_once_and_kept() {
    let t = TestDesk::new();
    write_old_files(t.dir.path());
    let before = std::fs::read(t.dir.path().join("settings.json")).expect("read");
    let settings = t.desk.settings().await.expect("settings");
    assert_eq!(settings.default_country.as_deref(), Some("IE"));
    assert_eq!(settings.teammates[0].name, "Bob");
    assert_eq!(
        t.desk.business().await.expect("business").business_name,
        "Bright Smile Dental"
    );
    assert!(!t.desk.is_first_run().await.expect("first run"));
    let names: Vec<String> = t
        .desk
        .templates()
        .await
        .expect("templates")
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(names, ["Only one"]);

    t.desk
        .remove_teammate("42")
        .await
        .expect("changed in the store");
    assert_eq!(
        std::fs::read(t.dir.path().join("settings.json")).expect("read"),
        before,
        "the old file is kept exactly as it was"
    );
    let again = t.again();
    assert!(
        again
            .settings()
            .await
            .expect("settings")
            .teammates
            .is_empty(),
        "imported once: the old file does not come back"
    );
}

#[tokio::test]
async fn a_value_a_newer_version_saved_is_never_reset_to_defaults() {
    let t = TestDesk::new();
    let store = t.store().await;
    let newer = serde_json::json!({"defaultCountry": "IE", "channels": [
        {"id": "ch-1", "name": "Clinic", "workspace": "whatsapp"}
    ], "activeChannel": "ch-1"});
    store
        .set_config(keys::SETTINGS, &newer)
        .expect("saved by a newer version");
    let err = t.desk.settings().await.expect_err("not readable here");
    assert_eq!(UserError::from(&err).code, "config_unreadable");
    assert!(
        t.desk.set_active_channel("practice").await.is_err(),
        "a change is refused rather than written over it"
    );
    assert!(
        t.desk
            .send(Via::Active, draft(MOBILE), None, false)
            .await
            .is_err(),
        "nothing is sent on settings this version cannot read"
    );
    assert_eq!(
        store
            .config::<serde_json::Value>(keys::SETTINGS)
            .expect("raw"),
        Some(newer),
        "kept exactly as the newer version wrote it"
    );
    let notices = t.desk.notices().await;
    assert!(
        notices.iter().any(|n| n.code == "config_unreadable"),
        "the person is told at start: {notices:?}"
    );
}

#[tokio::test]
async fn a_damaged_old_file_is_kept_and_explained_until_dismissed() {
    let t = TestDesk::new();
    std::fs::write(t.dir.path().join("settings.json"), "{ half-writ").expect("write");
    assert_eq!(
        t.desk.settings().await.expect("defaults"),
        smsdesk::settings::Settings::default()
    );
    let notices = t.desk.notices().await;
    let notice = notices
        .iter()
        .find(|n| n.code == "file_damaged_settings")
        .expect("told");
    let kept = notice
        .message
        .split("kept at ")
        .nth(1)
        .map(|p| p.trim_end_matches('.'))
        .expect("the copy's place");
    assert_eq!(std::fs::read(kept).expect("copy"), b"{ half-writ");
    assert!(
        t.again()
            .notices()
            .await
            .iter()
            .any(|n| n.code == "file_damaged_settings"),
        "whoever opens next is told too"
    );
    assert!(t
        .desk
        .dismiss_notice("file_damaged_settings")
        .await
        .expect("dismiss"));
    assert!(t.desk.notices().await.is_empty());
}

#[tokio::test]
async fn getters_never_write() {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let t = TestDesk::new();
    write_old_files(t.dir.path());
    t.live(&sim, PRACTICE_KEY).await;
    let store = t.store().await;
    let snapshot = || -> Vec<(String, String, i64)> {
        let conn =
            rusqlite::Connection::open(t.dir.path().join(smsdesk::store::DB_FILE)).expect("sqlite");
        let mut stmt = conn
            .prepare("SELECT key, value, updated_at FROM config ORDER BY key")
            .expect("select");
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("read")
    };
    let before = snapshot();
    t.desk.status().await.expect("status");
    t.desk.settings().await.expect("settings");
    t.desk.templates().await.expect("templates");
    t.desk.business().await.expect("business");
    t.desk.notices().await;
    t.desk.is_first_run().await.expect("first run");
    t.desk
        .history(Filter::default(), 0, 10)
        .await
        .expect("history");
    t.desk.opt_outs("").await.expect("list");
    assert_eq!(snapshot(), before);
    drop(store);
}

#[tokio::test]
async fn every_change_is_told() {
    let events = Arc::new(RecordedEvents::default());
    let listener = Arc::clone(&events);
    let t = TestDesk::with(move |options| options.events = listener);
    let sent = t
        .desk
        .send(Via::Active, draft(MOBILE), None, false)
        .await
        .expect("sent");
    t.desk.poll_due().await.expect("poll");
    t.desk
        .add_opt_out("+12015550199", "Replied STOP", None, None)
        .await
        .expect("listed");
    t.desk
        .add_teammate("Ann", "814860")
        .await
        .expect("teammate");
    let all = events.all();
    let row_told = all
        .iter()
        .filter(|c| **c == Change::row(ChangeKind::History, sent.history_id))
        .count();
    assert_eq!(
        row_told, 2,
        "when the row is written (Sending…), then its outcome: {all:?}"
    );
    for expected in [
        Change::row(ChangeKind::History, sent.history_id),
        Change::row(ChangeKind::Delivery, sent.history_id),
        Change::of(ChangeKind::OptOuts),
        Change::of(ChangeKind::Settings),
    ] {
        assert!(all.contains(&expected), "{expected:?} in {all:?}");
    }
    assert_eq!(
        serde_json::to_value(Change::row(ChangeKind::OptOuts, 3)).expect("json"),
        serde_json::json!({"kind": "optOuts", "id": 3}),
        "what the window receives"
    );
}

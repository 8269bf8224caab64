//! Channels and teammates on the desk, over real HTTP: sending on the active channel, what a
//! send teaches about a channel (HubSpot, replaced keys), keys per channel, the key test, and
//! the move from one key to channels.

use octopods_sim::{Sim, SimConfig, DEPRECATED_KEY, HUBSPOT_KEY, PRACTICE_KEY};
use smsdesk::channels::{KeyProblem, KeyTest, Workspace, PRACTICE_CHANNEL};
use smsdesk::desk::{Desk, DeskOptions, Mode, Sent, Via};
use smsdesk::draft::Draft;
use smsdesk::secrets::{ApiKey, DEFAULT_CHANNEL};
use smsdesk::states::Outcome;
use smsdesk::{Error, UserError};

use crate::{TestDesk, MOBILE};

fn draft() -> Draft {
    Draft {
        to: MOBILE.into(),
        body: "Your appointment is tomorrow at 10:00.".into(),
        open_conversation: true,
        teammate_id: "814860".into(),
        ..Draft::default()
    }
}

/// Sends [`draft`] on the desk's active channel. Each send is a new message (a repeat of
/// one whose outcome is unknown would need confirming).
async fn send(desk: &Desk) -> smsdesk::Result<Sent> {
    desk.send(Via::Active, draft(), None, true).await
}

#[tokio::test]
async fn practice_until_a_live_channel_is_picked_then_that_channel_sends() {
    let t = TestDesk::new();
    let desk = &t.desk;
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    assert_eq!(desk.status().await.expect("status").mode, Mode::Practice);
    let sent = send(desk).await.expect("practice send");
    assert_eq!(
        (sent.mode, sent.channel_id.as_str()),
        (Mode::Practice, PRACTICE_CHANNEL)
    );

    let id = desk
        .add_channel(
            "Main Street clinic",
            &format!(" {PRACTICE_KEY}\n"),
            &sim.base_url(),
        )
        .await
        .expect("added");
    assert_eq!(
        t.keys
            .get(&id)
            .expect("get")
            .map(|k| k.expose_secret().to_owned()),
        Some(PRACTICE_KEY.to_owned()),
        "the key is filed under the channel's id, trimmed"
    );
    let settings = desk.settings().await.expect("settings");
    assert!(
        !serde_json::to_string(&settings)
            .expect("json")
            .contains(PRACTICE_KEY),
        "the key is never in the settings"
    );
    assert_eq!(
        desk.status().await.expect("status").mode,
        Mode::Practice,
        "adding does not switch"
    );
    desk.set_active_channel(&id).await.expect("picked");
    let status = desk.status().await.expect("status");
    assert_eq!(
        (status.mode, status.active_channel.as_str()),
        (Mode::Live, id.as_str())
    );
    assert_eq!(status.channels.len(), 2, "Practice is always listed first");
    assert_eq!(status.channels[1].has_key, Some(true));

    let sent = send(desk).await.expect("live send");
    assert_eq!(
        (sent.mode, sent.channel_name.as_str()),
        (Mode::Live, "Main Street clinic")
    );
    let requests = sim.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].auth.as_deref(), Some(PRACTICE_KEY));
    let body = requests[0].body.clone().expect("json body");
    assert_eq!(body["intercom_teammate_id"], "814860");
    let settings = desk.settings().await.expect("settings");
    assert_eq!(
        settings.channels[0].workspace,
        Workspace::Intercom,
        "an Intercom workspace is learned from the send"
    );

    // No key for the active channel: a clear error naming it, and no request.
    t.keys.delete(&id).expect("deleted");
    let err = send(desk).await.expect_err("no key");
    assert!(matches!(&err, Error::NoChannelKey(name) if name == "Main Street clinic"));
    assert_eq!(UserError::from(&err).code, "no_channel_key");
    assert_eq!(sim.requests().len(), 1, "nothing sent without a key");
}

#[tokio::test]
async fn a_hubspot_channel_is_learned_and_its_teammate_dropped() {
    let t = TestDesk::new();
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    t.live(&sim, HUBSPOT_KEY).await;
    let sent = send(&t.desk).await.expect("send");
    assert!(sent.report.is_accepted());
    assert_eq!(sent.report.message_id, None, "HubSpot gives no message id");
    let settings = t.desk.settings().await.expect("settings");
    assert_eq!(settings.channels[0].workspace, Workspace::Hubspot);
    assert_eq!(
        t.desk.status().await.expect("status").channels[1].workspace,
        Workspace::Hubspot
    );

    send(&t.desk).await.expect("second send");
    let second = sim.requests()[1].body.clone().expect("json body");
    assert!(
        second.get("intercom_teammate_id").is_none(),
        "HubSpot ignores teammates, so none is sent: {second}"
    );
}

#[tokio::test]
async fn a_replaced_key_is_flagged_until_a_new_key_is_pasted() {
    let t = TestDesk::new();
    let desk = &t.desk;
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let id = t.live(&sim, DEPRECATED_KEY).await;
    let sent = send(desk).await.expect("send");
    assert_eq!(sent.report.error_code, Some(5));
    let problem = |s: smsdesk::settings::Settings| s.channels[0].key_problem;
    assert_eq!(
        problem(desk.settings().await.expect("settings")),
        KeyProblem::Deprecated
    );
    assert_eq!(
        desk.status().await.expect("status").channels[1].key_problem,
        KeyProblem::Deprecated
    );

    desk.set_channel_key(&id, PRACTICE_KEY)
        .await
        .expect("replaced");
    assert_eq!(
        problem(desk.settings().await.expect("settings")),
        KeyProblem::None,
        "replacing clears it"
    );
    let sent = send(desk).await.expect("send");
    assert!(sent.report.is_accepted());

    desk.set_channel_key(&id, "not-a-known-key")
        .await
        .expect("stored");
    let sent = send(desk).await.expect("send");
    assert_eq!(sent.report.outcome, Outcome::Unauthorized);
    assert_eq!(
        problem(desk.settings().await.expect("settings")),
        KeyProblem::Unauthorized
    );
}

#[tokio::test]
async fn testing_a_channel_key_records_the_verdict() {
    let t = TestDesk::new();
    let desk = &t.desk;
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let id = desk
        .add_channel("Clinic", "", &sim.base_url())
        .await
        .expect("added without a key");
    assert!(matches!(
        desk.test_channel_key(&id).await,
        Err(Error::NoChannelKey(_))
    ));
    assert!(matches!(
        desk.test_channel_key(PRACTICE_CHANNEL).await,
        Err(Error::PracticeChannelFixed)
    ));
    for (key, verdict, problem) in [
        (DEPRECATED_KEY, KeyTest::Deprecated, KeyProblem::Deprecated),
        ("not-a-key", KeyTest::Invalid, KeyProblem::Unauthorized),
        (PRACTICE_KEY, KeyTest::Valid, KeyProblem::None),
    ] {
        desk.set_channel_key(&id, key).await.expect("store");
        assert_eq!(
            desk.test_channel_key(&id).await.expect("tested"),
            verdict,
            "{key}"
        );
        let settings = desk.settings().await.expect("settings");
        assert_eq!(settings.channels[0].key_problem, problem, "{key}");
    }
    assert!(
        sim.requests().iter().all(|r| r.method == "GET"),
        "testing a key sends no message"
    );
    // A server that cannot be reached gives no verdict and changes nothing.
    let far = desk
        .add_channel("Far", PRACTICE_KEY, "http://127.0.0.1:9")
        .await
        .expect("added");
    let test = desk.test_channel_key(&far).await.expect("tested");
    assert!(matches!(test, KeyTest::Unknown { .. }), "{test:?}");
    let settings = desk.settings().await.expect("settings");
    assert_eq!(
        settings.channel(&far).map(|c| c.key_problem),
        Some(KeyProblem::None)
    );
}

#[tokio::test]
async fn removing_a_channel_deletes_its_key() {
    let t = TestDesk::new();
    let desk = &t.desk;
    let a = desk.add_channel("A", "key-a", "").await.expect("a");
    let b = desk.add_channel("B", "key-b", "").await.expect("b");
    desk.set_active_channel(&a).await.expect("picked");
    desk.remove_channel(&a).await.expect("removed");
    assert_eq!(
        t.keys.get(&a).expect("get"),
        None,
        "its key is gone from the keychain"
    );
    assert!(
        t.keys.get(&b).expect("get").is_some(),
        "other channels keep theirs"
    );
    let settings = desk.settings().await.expect("settings");
    assert_eq!(settings.active_channel, PRACTICE_CHANNEL);
    assert!(matches!(
        desk.add_channel("B", "key", "").await,
        Err(Error::ChannelNameTaken(_))
    ));
    assert!(
        desk.add_channel("C", "two words", "").await.is_err(),
        "a broken key is refused"
    );
    assert_eq!(
        desk.settings().await.expect("settings").channels.len(),
        1,
        "nothing added for a refused channel"
    );
}

#[tokio::test]
async fn a_key_saved_before_channels_becomes_the_main_number() {
    // settings.json as an SMS Desk from before channels wrote it, with its key in the keychain.
    let old = serde_json::json!({"settings": {"defaultCountry": "US", "baseUrl": "https://eu.octopods.io/"}});
    let without_key = TestDesk::new();
    std::fs::write(
        without_key.dir.path().join("settings.json"),
        old.to_string(),
    )
    .expect("write");
    let settings = without_key.desk.settings().await.expect("settings");
    assert!(settings.channels.is_empty(), "no key, no channel");
    assert_eq!(settings.default_country.as_deref(), Some("US"));

    let t = TestDesk::new();
    std::fs::write(t.dir.path().join("settings.json"), old.to_string()).expect("write");
    t.keys
        .set(DEFAULT_CHANNEL, &ApiKey::new("old-key").expect("key"))
        .expect("set");
    let settings = t.desk.settings().await.expect("settings");
    assert_eq!(settings.channels.len(), 1);
    let main = &settings.channels[0];
    assert_eq!(
        (main.id.as_str(), main.name.as_str()),
        (DEFAULT_CHANNEL, "Main number")
    );
    assert_eq!(main.base_url, "https://eu.octopods.io");
    assert_eq!(
        settings.active_channel, DEFAULT_CHANNEL,
        "it sent live before, so it still does"
    );
    assert_eq!(
        t.desk.status().await.expect("status").channels[1].has_key,
        Some(true)
    );
    let json = serde_json::to_value(&settings).expect("json");
    assert!(
        json.get("baseUrl").is_none(),
        "the old field is not written back"
    );
    assert!(
        t.dir.path().join("settings.json").exists(),
        "the old file is kept as it was"
    );
    // A second opener does not move it again.
    t.desk
        .remove_channel(DEFAULT_CHANNEL)
        .await
        .expect("removed");
    let again = t.again();
    assert!(
        again
            .settings()
            .await
            .expect("settings")
            .channels
            .is_empty(),
        "once only"
    );
}

#[tokio::test]
async fn a_first_run_key_makes_the_main_number() {
    let t = TestDesk::new();
    t.desk.set_main_key(PRACTICE_KEY).await.expect("stored");
    let settings = t.desk.settings().await.expect("settings");
    assert_eq!(settings.channels.len(), 1);
    assert_eq!(settings.channels[0].name, "Main number");
    assert_eq!(settings.active_channel, settings.channels[0].id);
    assert!(t.keys.has(&settings.channels[0].id).expect("has"));
}

#[tokio::test]
async fn a_desk_without_a_keychain_still_practises() {
    let dir = tempfile::tempdir().expect("temp dir");
    let desk = Desk::new(DeskOptions::new(
        dir.path(),
        Err(Error::KeychainUnavailable("no Secret Service".into())),
    ));
    let status = desk.status().await.expect("status");
    assert_eq!(status.mode, Mode::Practice);
    let problem = status.keychain.expect("the keychain problem is reported");
    assert_eq!(problem.code, "keychain_unavailable");
    assert_eq!(
        problem.message, "The system keychain is not available: no Secret Service",
        "said once, not wrapped twice"
    );
    let err = desk
        .add_channel("Clinic", "a-key", "")
        .await
        .expect_err("nowhere to keep it");
    assert_eq!(UserError::from(&err).code, "keychain_unavailable");
    assert!(desk.settings().await.expect("settings").channels.is_empty());
    let sent = send(&desk).await.expect("send");
    assert_eq!(sent.mode, Mode::Practice);
}

//! Channels and teammates on the desk, over real HTTP: sending on the active channel, what a
//! send teaches about a channel (HubSpot, replaced keys), keys per channel, the key test, and
//! the move from one key to channels.

use octopods_sim::{Sim, SimConfig, DEPRECATED_KEY, HUBSPOT_KEY, PRACTICE_KEY};
use smsdesk::channels::{KeyProblem, KeyTest, Workspace, PRACTICE_CHANNEL};
use smsdesk::desk::{Desk, Mode, SendContext, Sent, Settings};
use smsdesk::draft::Draft;
use smsdesk::secrets::{ApiKey, KeyStore, DEFAULT_CHANNEL};
use smsdesk::{Error, UserError};

use crate::MOBILE;

fn draft() -> Draft {
    Draft {
        to: MOBILE.into(),
        body: "Your appointment is tomorrow at 10:00.".into(),
        open_conversation: true,
        teammate_id: "814860".into(),
        ..Draft::default()
    }
}

/// Sends [`draft`] on the desk, recorded in a throwaway history.
async fn send(desk: &Desk, settings: &Settings) -> smsdesk::Result<Sent> {
    let (_dir, history) = crate::temp_history();
    desk.send(&history, &draft(), settings, &SendContext::default())
        .await
}

fn desk() -> (Desk, KeyStore) {
    let keys = KeyStore::in_memory().expect("memory store");
    (Desk::new(Ok(keys.clone())), keys)
}

#[tokio::test]
async fn practice_until_a_live_channel_is_picked_then_that_channel_sends() {
    let (desk, keys) = desk();
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let mut settings = Settings::default();
    assert_eq!(desk.status(&settings).mode, Mode::Practice);
    let sent = send(&desk, &settings).await.expect("practice send");
    assert_eq!(
        (sent.mode, sent.channel_id.as_str()),
        (Mode::Practice, PRACTICE_CHANNEL)
    );

    let id = desk
        .add_channel(
            &mut settings,
            "Main Street clinic",
            &format!(" {PRACTICE_KEY}\n"),
            &sim.base_url(),
        )
        .expect("added");
    assert_eq!(
        keys.get(&id)
            .expect("get")
            .map(|k| k.expose_secret().to_owned()),
        Some(PRACTICE_KEY.to_owned()),
        "the key is filed under the channel's id, trimmed"
    );
    assert!(
        !serde_json::to_string(&settings)
            .expect("json")
            .contains(PRACTICE_KEY),
        "the key is never in the settings"
    );
    assert_eq!(
        desk.status(&settings).mode,
        Mode::Practice,
        "adding does not switch"
    );
    settings.set_active_channel(&id).expect("picked");
    let status = desk.status(&settings);
    assert_eq!(
        (status.mode, status.active_channel.as_str()),
        (Mode::Live, id.as_str())
    );
    assert_eq!(status.channels.len(), 2, "Practice is always listed first");
    assert_eq!(status.channels[1].has_key, Some(true));

    let sent = send(&desk, &settings).await.expect("live send");
    assert_eq!(
        (sent.mode, sent.channel_name.as_str()),
        (Mode::Live, "Main Street clinic")
    );
    let requests = sim.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].auth.as_deref(), Some(PRACTICE_KEY));
    let body = requests[0].body.clone().expect("json body");
    assert_eq!(body["intercom_teammate_id"], "814860");
    assert!(
        settings.learn_from(&sent),
        "an Intercom workspace is learned"
    );
    assert_eq!(settings.channels[0].workspace, Workspace::Intercom);
    assert!(!settings.learn_from(&sent), "nothing new the second time");

    // No key for the active channel: a clear error naming it, and no request.
    desk.delete_key(&mut settings, &id).expect("deleted");
    let err = send(&desk, &settings).await.expect_err("no key");
    assert!(matches!(&err, Error::NoChannelKey(name) if name == "Main Street clinic"));
    assert_eq!(UserError::from(&err).code, "no_channel_key");
    assert_eq!(sim.requests().len(), 1, "nothing sent without a key");
}

#[tokio::test]
async fn a_hubspot_channel_is_learned_and_its_teammate_dropped() {
    let (desk, _keys) = desk();
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let mut settings = Settings::default();
    let id = desk
        .add_channel(&mut settings, "Front desk", HUBSPOT_KEY, &sim.base_url())
        .expect("added");
    settings.set_active_channel(&id).expect("picked");
    let sent = send(&desk, &settings).await.expect("send");
    assert!(sent.report.is_accepted());
    assert_eq!(sent.report.message_id, None, "HubSpot gives no message id");
    assert!(settings.learn_from(&sent));
    assert_eq!(settings.channels[0].workspace, Workspace::Hubspot);
    assert_eq!(
        desk.status(&settings).channels[1].workspace,
        Workspace::Hubspot
    );

    send(&desk, &settings).await.expect("second send");
    let second = sim.requests()[1].body.clone().expect("json body");
    assert!(
        second.get("intercom_teammate_id").is_none(),
        "HubSpot ignores teammates, so none is sent: {second}"
    );
}

#[tokio::test]
async fn a_replaced_key_is_flagged_until_a_new_key_is_pasted() {
    let (desk, _keys) = desk();
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let mut settings = Settings::default();
    let id = desk
        .add_channel(&mut settings, "Clinic", DEPRECATED_KEY, &sim.base_url())
        .expect("added");
    settings.set_active_channel(&id).expect("picked");
    let sent = send(&desk, &settings).await.expect("send");
    assert_eq!(sent.report.error_code, Some(5));
    assert!(settings.learn_from(&sent));
    assert_eq!(settings.channels[0].key_problem, KeyProblem::Deprecated);
    assert_eq!(
        desk.status(&settings).channels[1].key_problem,
        KeyProblem::Deprecated
    );

    desk.set_key(&mut settings, &id, PRACTICE_KEY)
        .expect("replaced");
    assert_eq!(
        settings.channels[0].key_problem,
        KeyProblem::None,
        "replacing clears it"
    );
    let sent = send(&desk, &settings).await.expect("send");
    assert!(sent.report.is_accepted());

    desk.set_key(&mut settings, &id, "not-a-known-key")
        .expect("stored");
    let sent = send(&desk, &settings).await.expect("send");
    assert_eq!(sent.report.outcome, "unauthorized");
    assert!(settings.learn_from(&sent));
    assert_eq!(settings.channels[0].key_problem, KeyProblem::Unauthorized);
}

#[tokio::test]
async fn testing_a_channel_key_records_the_verdict() {
    let (desk, _keys) = desk();
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let mut settings = Settings::default();
    let id = desk
        .add_channel(&mut settings, "Clinic", "", &sim.base_url())
        .expect("added without a key");
    assert!(matches!(
        desk.test_key(&mut settings, &id).await,
        Err(Error::NoChannelKey(_))
    ));
    assert!(matches!(
        desk.test_key(&mut settings, PRACTICE_CHANNEL).await,
        Err(Error::PracticeChannelFixed)
    ));
    for (key, verdict, problem) in [
        (DEPRECATED_KEY, KeyTest::Deprecated, KeyProblem::Deprecated),
        ("not-a-key", KeyTest::Invalid, KeyProblem::Unauthorized),
        (PRACTICE_KEY, KeyTest::Valid, KeyProblem::None),
    ] {
        desk.set_key(&mut settings, &id, key).expect("store");
        assert_eq!(
            desk.test_key(&mut settings, &id).await.expect("tested"),
            verdict,
            "{key}"
        );
        assert_eq!(settings.channels[0].key_problem, problem, "{key}");
    }
    assert!(
        sim.requests().iter().all(|r| r.method == "GET"),
        "testing a key sends no message"
    );
    // A server that cannot be reached gives no verdict and changes nothing.
    let mut offline = Settings::default();
    let far = desk
        .add_channel(&mut offline, "Far", PRACTICE_KEY, "http://127.0.0.1:9")
        .expect("added");
    let test = desk.test_key(&mut offline, &far).await.expect("tested");
    assert!(matches!(test, KeyTest::Unknown { .. }), "{test:?}");
    assert_eq!(offline.channels[0].key_problem, KeyProblem::None);
}

#[test]
fn removing_a_channel_deletes_its_key() {
    let (desk, keys) = desk();
    let mut settings = Settings::default();
    let a = desk
        .add_channel(&mut settings, "A", "key-a", "")
        .expect("a");
    let b = desk
        .add_channel(&mut settings, "B", "key-b", "")
        .expect("b");
    settings.set_active_channel(&a).expect("picked");
    desk.remove_channel(&mut settings, &a).expect("removed");
    assert_eq!(
        keys.get(&a).expect("get"),
        None,
        "its key is gone from the keychain"
    );
    assert!(
        keys.get(&b).expect("get").is_some(),
        "other channels keep theirs"
    );
    assert_eq!(settings.active_channel, PRACTICE_CHANNEL);
    assert!(matches!(
        desk.add_channel(&mut settings, "B", "key", ""),
        Err(Error::ChannelNameTaken(_))
    ));
    assert!(
        desk.add_channel(&mut settings, "C", "two words", "")
            .is_err(),
        "a broken key is refused"
    );
    assert_eq!(
        settings.channels.len(),
        1,
        "nothing added for a refused channel"
    );
}

#[test]
fn a_key_saved_before_channels_becomes_the_main_number() {
    let (desk, keys) = desk();
    let saved = serde_json::json!({"defaultCountry": "US", "baseUrl": "https://eu.octopods.io/"});
    let mut settings: Settings = serde_json::from_value(saved.clone()).expect("old settings");
    assert!(
        desk.migrate(&mut settings),
        "changed: the old address is dropped"
    );
    assert!(settings.channels.is_empty(), "no key, no channel");

    keys.set(DEFAULT_CHANNEL, &ApiKey::new("old-key").expect("key"))
        .expect("set");
    let mut settings: Settings = serde_json::from_value(saved).expect("old settings");
    assert!(desk.migrate(&mut settings));
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
    assert_eq!(desk.status(&settings).channels[1].has_key, Some(true));
    let json = serde_json::to_value(&settings).expect("json");
    assert!(
        json.get("baseUrl").is_none(),
        "the old field is not written back"
    );
    assert!(!desk.migrate(&mut settings), "once only");
}

#[test]
fn a_first_run_key_makes_the_main_number() {
    let (desk, keys) = desk();
    let mut settings = Settings::default();
    desk.set_main_key(&mut settings, PRACTICE_KEY)
        .expect("stored");
    assert_eq!(settings.channels.len(), 1);
    assert_eq!(settings.channels[0].name, "Main number");
    assert_eq!(settings.active_channel, settings.channels[0].id);
    assert!(keys.has(&settings.channels[0].id).expect("has"));
}

#[tokio::test]
async fn a_desk_without_a_keychain_still_practises() {
    let desk = Desk::new(Err(Error::KeychainUnavailable("no Secret Service".into())));
    let mut settings = Settings::default();
    let status = desk.status(&settings);
    assert_eq!(status.mode, Mode::Practice);
    let problem = status.keychain.expect("the keychain problem is reported");
    assert_eq!(problem.code, "keychain_unavailable");
    assert_eq!(
        problem.message, "The system keychain is not available: no Secret Service",
        "said once, not wrapped twice"
    );
    let err = desk
        .add_channel(&mut settings, "Clinic", "a-key", "")
        .expect_err("nowhere to keep it");
    assert_eq!(UserError::from(&err).code, "keychain_unavailable");
    assert!(settings.channels.is_empty());
    let sent = send(&desk, &settings).await.expect("send");
    assert_eq!(sent.mode, Mode::Practice);
}

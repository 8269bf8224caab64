//! Successful sends, in both workspace shapes, and what the simulator records about them.

use octopods::{SendOutcome, MESSAGES_PATH};
use octopods_sim::{FIRST_MESSAGE_ID, HUBSPOT_KEY, LEGACY_KEY, PRACTICE_KEY};
use serde_json::json;

use crate::{client, is_uuid_v4, message, raw_send, sim, PHONE};

#[tokio::test]
async fn intercom_send_is_accepted_with_ids_counting_up() {
    let sim = sim().await;
    let client = client(&sim, PRACTICE_KEY);
    let SendOutcome::Accepted(first) = client.send(&message(PHONE)).await else {
        panic!("a normal send is accepted");
    };
    assert_eq!(first.http_status, 201);
    assert_eq!(first.message_id, Some(FIRST_MESSAGE_ID.to_string()));
    assert_eq!(first.phone_number.as_deref(), Some(PHONE));
    assert!(is_uuid_v4(&first.raw["request_id"]), "{:?}", first.raw);
    assert_eq!(
        first.raw["message_id"],
        json!(FIRST_MESSAGE_ID),
        "a JSON number"
    );
    assert_eq!(first.raw.as_object().map(|o| o.len()), Some(3));

    let SendOutcome::Accepted(second) = client.send(&message(PHONE)).await else {
        panic!("a second send is accepted");
    };
    assert_eq!(second.message_id, Some((FIRST_MESSAGE_ID + 1).to_string()));
    assert_ne!(first.request_id, second.request_id);
    sim.shutdown().await;
}

#[tokio::test]
async fn bodies_come_in_the_documented_field_order() {
    let sim = sim().await;
    let body = format!(r#"{{"destination_phone":"{PHONE}","body":"hi"}}"#);
    let answer = raw_send(&sim, PRACTICE_KEY, &body).await;
    assert_eq!(answer.status, 201);
    assert_eq!(answer.content_type, "application/json");
    let expected = format!(r#"","message_id":{FIRST_MESSAGE_ID},"phone_number":"{PHONE}"}}"#);
    assert!(answer.text.starts_with(r#"{"request_id":""#), "{answer:?}");
    assert!(answer.text.ends_with(&expected), "{answer:?}");
}

#[tokio::test]
async fn hubspot_send_answers_with_a_request_id_only() {
    let sim = sim().await;
    let SendOutcome::Accepted(accepted) = client(&sim, HUBSPOT_KEY).send(&message(PHONE)).await
    else {
        panic!("a HubSpot send is accepted");
    };
    assert_eq!(accepted.http_status, 201);
    assert_eq!(accepted.message_id, None);
    assert_eq!(accepted.phone_number, None);
    let keys: Vec<&String> = accepted.raw.as_object().expect("object").keys().collect();
    assert_eq!(keys, ["request_id"]);
    assert!(is_uuid_v4(&accepted.raw["request_id"]));
}

#[tokio::test]
async fn legacy_keys_send_like_intercom() {
    let sim = sim().await;
    let outcome = client(&sim, LEGACY_KEY).send(&message(PHONE)).await;
    let SendOutcome::Accepted(accepted) = outcome else {
        panic!("accepted: {outcome:?}");
    };
    assert_eq!(accepted.message_id, Some(FIRST_MESSAGE_ID.to_string()));
}

#[tokio::test]
async fn every_documented_flag_value_is_accepted() {
    let sim = sim().await;
    for flag in [
        "true",
        "false",
        "1",
        "0",
        "\"true\"",
        "\"FALSE\"",
        "\"1\"",
        "\"0\"",
        "\"Yes\"",
        "\"no\"",
        "\"ON\"",
        "\"off\"",
    ] {
        let body = format!(
            r#"{{"destination_phone":"{PHONE}","body":"hi","open_intercom_conversation":{flag}}}"#
        );
        let answer = raw_send(&sim, PRACTICE_KEY, &body).await;
        assert_eq!(answer.status, 201, "{flag}: {answer:?}");
    }
}

#[tokio::test]
async fn a_send_is_recorded_as_received() {
    let sim = sim().await;
    let mut request = message(PHONE);
    request.open_intercom_conversation = true;
    request.destination_user_name = Some("Jane Doe".into());
    let outcome = client(&sim, PRACTICE_KEY).send(&request).await;
    assert_eq!(outcome.kind(), "accepted");

    let recorded = sim.requests();
    assert_eq!(recorded.len(), 1);
    let r = &recorded[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, MESSAGES_PATH);
    assert_eq!(r.auth.as_deref(), Some(PRACTICE_KEY));
    assert_eq!(r.content_type.as_deref(), Some("application/json"));
    let expected = serde_json::to_value(&request).expect("serialises");
    assert_eq!(r.body.as_ref(), Some(&expected));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&r.raw_body).ok(),
        Some(expected)
    );

    sim.clear_requests();
    assert!(sim.requests().is_empty());
}

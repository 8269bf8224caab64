//! Property tests (issue 12): the answer classifiers never panic on any status, headers and
//! bytes; "accepted" only ever comes from a 2xx carrying Octopods' reply; an outcome safe to
//! retry never comes from a 2xx; the key never shows in `Debug`; an address's password never
//! survives redaction.

use proptest::prelude::*;
use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE, RETRY_AFTER};
use serde_json::{json, Map, Value};

use super::{classify_send, classify_status, json_object, Client};
use crate::key::ApiKey;
use crate::outcome::{text_field, SendOutcome};
use crate::status::StatusError;
use crate::transport::redact;

/// Any status a server could send, and some it could not.
fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        3 => 100u16..600,
        1 => any::<u16>(),
        2 => Just(201u16),
        1 => Just(429u16),
        1 => Just(401u16),
    ]
}

fn headers() -> impl Strategy<Value = HeaderMap> {
    (
        proptest::option::of(prop_oneof![
            any::<u64>().prop_map(|n| n.to_string()),
            "[ -~]{0,20}",
        ]),
        proptest::option::of("[ -~]{0,40}"),
    )
        .prop_map(|(retry, ct)| {
            let mut h = HeaderMap::new();
            if let Some(v) = retry.and_then(|r| HeaderValue::from_str(&r).ok()) {
                h.insert(RETRY_AFTER, v);
            }
            if let Some(v) = ct.and_then(|c| HeaderValue::from_str(&c).ok()) {
                h.insert(CONTENT_TYPE, v);
            }
            h
        })
}

/// A JSON value a field could hold.
fn field_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        "[ -~]{0,12}".prop_map(Value::String),
        Just(json!([])),
        Just(json!({"nested": 1})),
    ]
}

/// Bodies near Octopods' shapes (a `request_id` or not, of any type), and any bytes at all.
fn body() -> impl Strategy<Value = Vec<u8>> {
    let object = (
        proptest::option::of(field_value()),
        proptest::collection::btree_map(
            prop_oneof![
                Just("message_id".to_owned()),
                Just("error_code".to_owned()),
                Just("error".to_owned()),
                Just("status".to_owned()),
                "[a-z_]{1,10}",
            ],
            field_value(),
            0..4,
        ),
    )
        .prop_map(|(request_id, fields)| {
            let mut map: Map<String, Value> = fields.into_iter().collect();
            if let Some(id) = request_id {
                map.insert("request_id".into(), id);
            }
            Value::Object(map).to_string().into_bytes()
        });
    prop_oneof![
        3 => object,
        1 => proptest::collection::vec(any::<u8>(), 0..256),
        1 => "[ -~]{0,64}".prop_map(String::into_bytes),
        1 => field_value().prop_map(|v| v.to_string().into_bytes()),
    ]
}

proptest! {
    #[test]
    fn a_send_answer_is_classified_without_panic(
        status in status(),
        headers in headers(),
        bytes in body(),
    ) {
        let outcome = classify_send(status, &headers, &bytes);
        let two_xx = (200..=299).contains(&status);
        if let SendOutcome::Accepted(a) = &outcome {
            prop_assert!(two_xx, "accepted from HTTP {status}");
            prop_assert_eq!(a.http_status, status);
            let body = json_object(&bytes);
            prop_assert!(body.is_some(), "accepted without a JSON object");
            let body = body.unwrap_or_default();
            prop_assert!(text_field(&body, &["request_id"]).is_some(), "accepted without a request id");
            prop_assert!(a.request_id.as_deref().is_some_and(|id| !id.trim().is_empty()));
        }
        if outcome.is_safe_to_retry() {
            prop_assert!(!two_xx, "HTTP {status} read as safe to send again: {outcome:?}");
            prop_assert_eq!(status, 429, "only a 429 is retried from an answer");
        }
        if two_xx && !matches!(outcome, SendOutcome::Accepted(_)) {
            prop_assert_eq!(outcome.kind(), "unknown");
        }
    }

    #[test]
    fn a_status_answer_is_classified_without_panic(
        status in status(),
        headers in headers(),
        bytes in body(),
    ) {
        match classify_status(status, &headers, &bytes) {
            Ok(report) => {
                prop_assert!((200..=299).contains(&status));
                prop_assert!(report.raw.is_object());
            }
            Err(StatusError::Rejected(r)) => prop_assert_eq!(r.http_status, status),
            Err(_) => {}
        }
    }

    #[test]
    fn a_password_in_an_address_never_survives_redaction(
        user in "[a-z]{1,8}",
        password in "[A-Za-z0-9%._~-]{1,24}",
        host in "[a-z]{1,10}(\\.[a-z]{2,5})?",
        port in 1u16..,
        before in "[A-Za-z ]{0,20}",
    ) {
        let text = format!(
            "{before} (http://{user}:{password}@{host}:{port}/x) via {user}:{password}@{host}:{port} end"
        );
        let out = redact(&text);
        prop_assert!(!out.contains(&format!("{user}:{password}")), "{out}");
        prop_assert!(!out.contains(&format!(":{password}@")), "{out}");
    }
}

proptest! {
    // Each case builds a client (it reads the system's certificates): a few are enough.
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn the_key_never_shows_in_debug(key in "[A-Za-z0-9_-]{16,48}") {
        let api_key = ApiKey::new(&key).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let key_debug = format!("{api_key:?}");
        prop_assert!(!key_debug.contains(&key), "{}", key_debug);
        let client = Client::new("https://app.octopods.io", &api_key)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let debug = format!("{client:?}");
        prop_assert!(!debug.contains(&key), "Debug shows the key: {debug}");
        let pretty = format!("{client:#?}");
        prop_assert!(!pretty.contains(&key), "{}", pretty);
    }
}

//! Every refusal: 401, error codes 1–5 in the documented order, the refusing magic numbers.

use octopods::{ErrorCode, SendOutcome, StatusError, MAX_BODY_CHARS, MESSAGES_PATH};
use octopods_sim::{DEPRECATED_KEY, PRACTICE_KEY};
use reqwest::Method;

use crate::{assert_error, client, message, raw, raw_send, sim, PHONE};

fn rejected(outcome: SendOutcome) -> octopods::Rejected {
    match outcome {
        SendOutcome::Rejected(r) => r,
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[tokio::test]
async fn missing_or_unknown_keys_get_a_plain_401() {
    let sim = sim().await;
    let body = format!(r#"{{"destination_phone":"{PHONE}","body":"hi"}}"#);
    let missing = raw(&sim, Method::POST, MESSAGES_PATH, None, Some(&body)).await;
    assert_eq!(missing.status, 401);
    assert_eq!(missing.text, "Unauthorized");
    assert!(
        missing.content_type.starts_with("text/plain"),
        "{missing:?}"
    );

    let unknown = client(&sim, "not-a-key").send(&message(PHONE)).await;
    assert_eq!(unknown, SendOutcome::Unauthorized { http_status: 401 });
    let status = client(&sim, "not-a-key").status("4829174").await;
    assert_eq!(status, Err(StatusError::Unauthorized));
    assert_eq!(sim.requests().len(), 3, "refused requests are recorded too");
}

#[tokio::test]
async fn a_deprecated_key_is_error_5_on_both_endpoints() {
    let sim = sim().await;
    let text = "API key has been rotated or revoked. Fetch the current key from Octopods.";
    let r = rejected(client(&sim, DEPRECATED_KEY).send(&message(PHONE)).await);
    assert_eq!(r.code, Some(ErrorCode::DeprecatedApiKey));
    assert_eq!(r.error, text);
    // Even an invalid body: the key is checked first.
    let answer = raw_send(&sim, DEPRECATED_KEY, "not json").await;
    assert_error(&answer, 5, text);
    let status = client(&sim, DEPRECATED_KEY).status("4829174").await;
    let Err(StatusError::Rejected(r)) = status else {
        panic!("a deprecated key cannot read statuses: {status:?}");
    };
    assert_eq!(r.code, Some(ErrorCode::DeprecatedApiKey));
}

#[tokio::test]
async fn error_1_argument_missing() {
    let sim = sim().await;
    for body in ["not json", "[1,2]", r#""text""#, r#"{"body":"hi"}"#] {
        let answer = raw_send(&sim, PRACTICE_KEY, body).await;
        assert_eq!(answer.status, 400, "{body}");
        assert_eq!(
            answer.json.as_ref().map(|j| j["error_code"].clone()),
            Some(1.into()),
            "{body}"
        );
    }
    let answer = raw_send(&sim, PRACTICE_KEY, r#"{"body":"hi"}"#).await;
    assert_error(
        &answer,
        1,
        "param is missing or the value is empty: destination_phone",
    );
    let r = rejected(client(&sim, PRACTICE_KEY).send(&message("")).await);
    assert_eq!(r.code, Some(ErrorCode::ArgumentMissing));
    assert_eq!(r.http_status, 400);
}

#[tokio::test]
async fn error_2_empty_body_comes_before_the_phone_check() {
    let sim = sim().await;
    for text in ["", "   \n\t"] {
        let request = octopods::SendRequest::new("not a phone", text);
        let r = rejected(client(&sim, PRACTICE_KEY).send(&request).await);
        assert_eq!(r.code, Some(ErrorCode::EmptyBody), "{text:?}");
    }
    let answer = raw_send(
        &sim,
        PRACTICE_KEY,
        &format!(r#"{{"destination_phone":"{PHONE}"}}"#),
    )
    .await;
    assert_error(&answer, 2, "Message body cannot be empty.");
}

#[tokio::test]
async fn error_3_phone_invalid() {
    let sim = sim().await;
    for phone in [
        "5551234567",
        "+0551234567",
        "+1 555 123 4567",
        "+123456",
        "+1234567890123456",
    ] {
        let r = rejected(client(&sim, PRACTICE_KEY).send(&message(phone)).await);
        assert_eq!(r.code, Some(ErrorCode::PhoneInvalid), "{phone}");
        assert_eq!(r.error, "Invalid Phone number.");
    }
}

#[tokio::test]
async fn error_4_bad_flag_too_long_landline_and_opted_out() {
    let sim = sim().await;
    let body = format!(
        r#"{{"destination_phone":"{PHONE}","body":"hi","open_intercom_conversation":"maybe"}}"#
    );
    let answer = raw_send(&sim, PRACTICE_KEY, &body).await;
    assert_error(
        &answer,
        4,
        "open_intercom_conversation must be true or false.",
    );

    let client = client(&sim, PRACTICE_KEY);
    let at_limit = octopods::SendRequest::new(PHONE, "ü".repeat(MAX_BODY_CHARS));
    assert_eq!(client.send(&at_limit).await.kind(), "accepted");
    let too_long = octopods::SendRequest::new(PHONE, "ü".repeat(MAX_BODY_CHARS + 1));
    let r = rejected(client.send(&too_long).await);
    assert_eq!(r.code, Some(ErrorCode::SmsError));
    assert_eq!(r.error, "Message body exceeds 1600 characters.");

    let cases = [
        (
            "+12015550140",
            "The destination number is a landline and cannot receive SMS.",
        ),
        (
            "+12015550141",
            "The recipient has opted out of messages from this number (replied STOP).",
        ),
    ];
    for (phone, text) in cases {
        let r = rejected(client.send(&message(phone)).await);
        assert_eq!(r.code, Some(ErrorCode::SmsError), "{phone}");
        assert_eq!(r.error, text);
        assert!(r.request_id.is_some());
    }
}

#[tokio::test]
async fn unknown_paths_and_methods_are_recorded_and_refused() {
    let sim = sim().await;
    let answer = raw(
        &sim,
        Method::GET,
        "/api/v2/elsewhere",
        Some(PRACTICE_KEY),
        None,
    )
    .await;
    assert_eq!(answer.status, 404);
    let answer = raw(&sim, Method::GET, MESSAGES_PATH, Some(PRACTICE_KEY), None).await;
    assert_eq!(answer.status, 405);
    let answer = raw(
        &sim,
        Method::DELETE,
        "/api/v1/sms/messages/1",
        Some(PRACTICE_KEY),
        None,
    )
    .await;
    assert_eq!(answer.status, 405);
    let paths: Vec<String> = sim.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        ["/api/v2/elsewhere", MESSAGES_PATH, "/api/v1/sms/messages/1"]
    );
}

#[tokio::test]
async fn an_oversized_request_is_recorded_and_refused_with_413() {
    let sim = sim().await;
    let body = format!(
        r#"{{"destination_phone":"{PHONE}","body":"{}"}}"#,
        "a".repeat(2 * 1024 * 1024)
    );
    let answer = raw_send(&sim, PRACTICE_KEY, &body).await;
    assert_eq!(answer.status, 413, "{}", answer.text);
    let recorded = sim.requests();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].body, None);
}

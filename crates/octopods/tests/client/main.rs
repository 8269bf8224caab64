//! The client against the simulator over real HTTP: every row of octopods-api.md.

mod network;

use std::time::Duration;

use octopods::{
    ApiKey, Client, DeliveryStatus, ErrorCode, SendOutcome, SendRequest, StatusError, Timeouts,
};
use octopods_sim::{
    Fault, Sim, SimConfig, DEPRECATED_KEY, FIRST_MESSAGE_ID, HUBSPOT_KEY, LEGACY_KEY, PRACTICE_KEY,
};

const MOBILE: &str = "+12015550123";

async fn sim() -> Sim {
    Sim::start(SimConfig::default())
        .await
        .expect("simulator starts")
}

fn client(sim: &Sim, key: &str) -> Client {
    Client::new(&sim.base_url(), &ApiKey::new(key).expect("key")).expect("client")
}

fn seed_request() -> SendRequest {
    SendRequest {
        destination_phone: "+15551234567".into(),
        body: "Hi Jane, your appointment is confirmed for April 28 at 10:00 AM. Reply C to cancel."
            .into(),
        open_intercom_conversation: true,
        intercom_teammate_id: None,
        destination_user_name: Some("Jane Doe".into()),
    }
}

#[tokio::test]
async fn the_seed_example_is_sent_exactly_as_documented() {
    let sim = sim().await;
    let outcome = client(&sim, PRACTICE_KEY).send(&seed_request()).await;
    let SendOutcome::Accepted(accepted) = outcome else {
        panic!("the seed request is accepted, got {outcome:?}");
    };
    assert_eq!(accepted.http_status, 201);
    assert_eq!(accepted.message_id, Some(FIRST_MESSAGE_ID.to_string()));
    assert_eq!(accepted.phone_number.as_deref(), Some("+15551234567"));
    assert!(accepted.request_id.is_some());

    let requests = sim.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/api/v1/sms/messages");
    assert_eq!(
        request.auth.as_deref(),
        Some(PRACTICE_KEY),
        "X-Octopods-Auth, no Bearer"
    );
    assert_eq!(request.content_type.as_deref(), Some("application/json"));
    insta::assert_json_snapshot!("seed_request_body", request.body);
}

#[tokio::test]
async fn hubspot_workspaces_answer_with_a_request_id_only() {
    let sim = sim().await;
    let outcome = client(&sim, HUBSPOT_KEY)
        .send(&SendRequest::new(MOBILE, "Hello"))
        .await;
    let SendOutcome::Accepted(accepted) = outcome else {
        panic!("accepted, got {outcome:?}");
    };
    assert!(accepted.request_id.is_some());
    assert_eq!(accepted.message_id, None, "no message id, so no tracking");
    assert_eq!(accepted.phone_number, None);
}

async fn rejected_code(sim: &Sim, key: &str, body: serde_json::Value) -> (Option<i64>, String) {
    // Raw JSON, to reach the server-side checks the typed request cannot express.
    // reqwest is built without a TLS crypto provider of its own: the client installs ring.
    octopods::install_tls_provider();
    let http = reqwest::Client::new();
    let response = http
        .post(format!("{}/api/v1/sms/messages", sim.base_url()))
        .header("X-Octopods-Auth", key)
        .json(&body)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 400);
    let json: serde_json::Value = response.json().await.expect("json error body");
    (
        json["error_code"].as_i64(),
        json["error"].as_str().unwrap_or_default().to_owned(),
    )
}

#[tokio::test]
async fn each_documented_error_code() {
    let sim = sim().await;
    let c = client(&sim, PRACTICE_KEY);
    // 1: ARGUMENT_MISSING (the typed request always has a number, so send raw JSON).
    let (code, _) = rejected_code(&sim, PRACTICE_KEY, serde_json::json!({"body": "x"})).await;
    assert_eq!(code, Some(1));
    // 2: EMPTY_BODY.
    let outcome = c.send(&SendRequest::new(MOBILE, "   ")).await;
    assert_rejected(&outcome, ErrorCode::EmptyBody);
    // 3: PHONE_INVALID.
    let outcome = c.send(&SendRequest::new("5551234", "Hello")).await;
    assert_rejected(&outcome, ErrorCode::PhoneInvalid);
    let SendOutcome::Rejected(r) = &outcome else {
        unreachable!()
    };
    assert_eq!(
        r.error, "Invalid Phone number.",
        "the server's own text is kept"
    );
    // 4: SMS_ERROR, from the provider (a landline) and for a bad flag value.
    let outcome = c.send(&SendRequest::new("+12015550140", "Hello")).await;
    assert_rejected(&outcome, ErrorCode::SmsError);
    let (code, _) = rejected_code(
        &sim,
        PRACTICE_KEY,
        serde_json::json!({"destination_phone": MOBILE, "body": "x", "open_intercom_conversation": "maybe"}),
    )
    .await;
    assert_eq!(code, Some(4));
    // 5: DEPRECATED_API_KEY.
    let outcome = client(&sim, DEPRECATED_KEY)
        .send(&SendRequest::new(MOBILE, "Hello"))
        .await;
    assert_rejected(&outcome, ErrorCode::DeprecatedApiKey);
}

fn assert_rejected(outcome: &SendOutcome, expected: ErrorCode) {
    match outcome {
        SendOutcome::Rejected(r) => {
            assert_eq!(r.code, Some(expected), "{outcome:?}");
            assert_eq!(r.error_code, Some(expected.code()));
            assert_eq!(r.http_status, 400);
            assert!(
                r.request_id.is_some(),
                "Octopods sends a request id with errors"
            );
        }
        other => panic!("expected {}, got {other:?}", expected.name()),
    }
}

#[tokio::test]
async fn an_unknown_key_is_unauthorized() {
    let sim = sim().await;
    let outcome = client(&sim, "not-a-real-key")
        .send(&SendRequest::new(MOBILE, "Hello"))
        .await;
    assert_eq!(outcome, SendOutcome::Unauthorized { http_status: 401 });
    assert!(!outcome.is_safe_to_retry());
}

#[tokio::test]
async fn rate_limits_are_safe_to_retry_and_carry_retry_after() {
    let sim = sim().await;
    sim.push_fault(Fault::RateLimited {
        retry_after: Some(3),
    });
    let outcome = client(&sim, PRACTICE_KEY)
        .send(&SendRequest::new(MOBILE, "Hello"))
        .await;
    assert_eq!(
        outcome,
        SendOutcome::RateLimited {
            retry_after: Some(Duration::from_secs(3))
        }
    );
    assert!(outcome.is_safe_to_retry());
}

/// Every fault that leaves the outcome unknown: exactly one request reached the server, and
/// the client does not retry by itself.
#[tokio::test]
async fn ambiguous_failures_are_unknown_and_sent_once() {
    let faults = [
        Fault::ServerError,
        Fault::BadGatewayHtml,
        Fault::DropConnection,
        Fault::OkHtml,
    ];
    for fault in faults {
        let sim = sim().await;
        sim.push_fault(fault.clone());
        let outcome = client(&sim, PRACTICE_KEY)
            .send(&SendRequest::new(MOBILE, "Hello"))
            .await;
        assert_eq!(outcome.kind(), "unknown", "{fault:?} gave {outcome:?}");
        assert!(
            !outcome.is_safe_to_retry(),
            "{fault:?} must never be retried"
        );
        assert_eq!(sim.requests().len(), 1, "{fault:?}: exactly one request");
    }
}

#[tokio::test]
async fn a_slow_server_times_out_as_unknown() {
    let sim = sim().await;
    sim.push_fault(Fault::Latency(Duration::from_secs(5)));
    let timeouts = Timeouts {
        connect: Duration::from_secs(2),
        overall: Duration::from_millis(300),
    };
    let c = Client::with_timeouts(
        &sim.base_url(),
        &ApiKey::new(PRACTICE_KEY).expect("key"),
        timeouts,
    )
    .expect("client");
    let outcome = c.send(&SendRequest::new(MOBILE, "Hello")).await;
    assert_eq!(outcome.kind(), "unknown", "{outcome:?}");
    assert_eq!(sim.requests().len(), 1);
}

#[tokio::test]
async fn latency_alone_still_succeeds() {
    let sim = sim().await;
    sim.push_fault(Fault::Latency(Duration::from_millis(200)));
    let outcome = client(&sim, PRACTICE_KEY)
        .send(&SendRequest::new(MOBILE, "Hello"))
        .await;
    assert_eq!(outcome.kind(), "accepted", "{outcome:?}");
}

#[tokio::test]
async fn a_refused_connection_is_not_sent() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let c = Client::new(
        &format!("http://{addr}"),
        &ApiKey::new(PRACTICE_KEY).expect("key"),
    )
    .expect("client");
    let outcome = c.send(&SendRequest::new(MOBILE, "Hello")).await;
    assert_eq!(outcome.kind(), "not_sent", "{outcome:?}");
    assert!(outcome.is_safe_to_retry());
}

#[tokio::test]
async fn status_progresses_in_the_modern_shape() {
    let sim = sim().await;
    let c = client(&sim, PRACTICE_KEY);
    let SendOutcome::Accepted(a) = c.send(&SendRequest::new("+12015550161", "Hi")).await else {
        panic!("accepted");
    };
    let id = a.message_id.expect("intercom shape has a message id");
    let mut seen = Vec::new();
    for _ in 0..4 {
        let report = c.status(&id).await.expect("status");
        seen.push(report.status.clone());
        if report.status.is_final() {
            assert!(report.detail.is_some(), "a failure says why: {report:?}");
        }
    }
    assert_eq!(
        seen,
        [
            DeliveryStatus::Queued,
            DeliveryStatus::Sent,
            DeliveryStatus::Undelivered,
            DeliveryStatus::Undelivered
        ]
    );
}

#[tokio::test]
async fn status_in_the_legacy_shape() {
    let sim = sim().await;
    let c = client(&sim, LEGACY_KEY);
    let SendOutcome::Accepted(a) = c.send(&SendRequest::new(MOBILE, "Hi")).await else {
        panic!("accepted");
    };
    let id = a.message_id.expect("message id");
    let mut last = None;
    for _ in 0..3 {
        last = Some(c.status(&id).await.expect("status"));
    }
    let last = last.expect("three reads");
    assert_eq!(last.status, DeliveryStatus::Delivered);
    assert!(last.last_updated.is_some(), "legacy shape has last_updated");
    assert_eq!(last.message_id.as_deref(), Some(id.as_str()));
}

#[tokio::test]
async fn status_errors() {
    let sim = sim().await;
    let err = client(&sim, PRACTICE_KEY)
        .status("999")
        .await
        .expect_err("unknown id");
    let StatusError::Rejected(r) = err else {
        panic!("rejected, got {err:?}");
    };
    assert_eq!(r.http_status, 400);
    assert!(r.error_code.is_some());
    let err = client(&sim, "wrong")
        .status("1")
        .await
        .expect_err("bad key");
    assert_eq!(err, StatusError::Unauthorized);
    sim.push_fault(Fault::BadGatewayHtml);
    let err = client(&sim, PRACTICE_KEY)
        .status("1")
        .await
        .expect_err("502");
    assert!(
        matches!(
            err,
            StatusError::Unavailable {
                http_status: Some(502),
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn checking_a_key_sends_nothing_and_tells_valid_invalid_deprecated() {
    use octopods::KeyCheck;
    let sim = sim().await;
    assert_eq!(
        client(&sim, PRACTICE_KEY).check_key().await,
        KeyCheck::Valid
    );
    assert_eq!(client(&sim, HUBSPOT_KEY).check_key().await, KeyCheck::Valid);
    assert_eq!(
        client(&sim, DEPRECATED_KEY).check_key().await,
        KeyCheck::Deprecated
    );
    assert_eq!(client(&sim, "nope").check_key().await, KeyCheck::Invalid);
    assert!(
        sim.requests().iter().all(|r| r.method == "GET"),
        "only status reads: no message is sent"
    );
    sim.push_fault(Fault::ServerError);
    assert!(matches!(
        client(&sim, PRACTICE_KEY).check_key().await,
        KeyCheck::Unknown { .. }
    ));
}

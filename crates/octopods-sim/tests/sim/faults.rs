//! Faults, set from code and by magic number: every one is recorded before it applies.

use std::time::{Duration, Instant};

use octopods::{ApiKey, Client, DeliveryStatus, SendOutcome, StatusError, Timeouts, MESSAGES_PATH};
use octopods_sim::{Fault, MAGIC_NUMBERS, PRACTICE_KEY};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::{client, message, sim, PHONE};

fn unknown_status(outcome: &SendOutcome) -> Option<u16> {
    match outcome {
        SendOutcome::Unknown { http_status, .. } => *http_status,
        other => panic!("expected an unknown outcome, got {other:?}"),
    }
}

#[tokio::test]
async fn each_fault_is_sent_exactly_one_request() {
    let cases = [
        (Fault::ServerError, Some(500)),
        (Fault::BadGatewayHtml, Some(502)),
        (Fault::OkHtml, Some(200)),
        (Fault::DropConnection, None),
    ];
    for (fault, http_status) in cases {
        let sim = sim().await;
        sim.push_fault(fault.clone());
        let outcome = client(&sim, PRACTICE_KEY).send(&message(PHONE)).await;
        assert_eq!(
            unknown_status(&outcome),
            http_status,
            "{fault:?}: {outcome:?}"
        );
        assert_eq!(sim.requests().len(), 1, "{fault:?}: no automatic resend");
        assert_eq!(sim.requests()[0].path, MESSAGES_PATH);
    }
}

#[tokio::test]
async fn rate_limited_with_and_without_retry_after() {
    let sim = sim().await;
    let client = client(&sim, PRACTICE_KEY);
    sim.push_fault(Fault::RateLimited {
        retry_after: Some(5),
    });
    sim.push_fault(Fault::RateLimited { retry_after: None });
    let first = client.send(&message(PHONE)).await;
    assert_eq!(
        first,
        SendOutcome::RateLimited {
            retry_after: Some(Duration::from_secs(5))
        }
    );
    let second = client.send(&message(PHONE)).await;
    assert_eq!(second, SendOutcome::RateLimited { retry_after: None });
    assert_eq!(
        client.send(&message(PHONE)).await.kind(),
        "accepted",
        "one-shot faults are used up"
    );
}

#[tokio::test]
async fn a_dropped_connection_writes_no_response_at_all() {
    let sim = sim().await;
    sim.push_fault(Fault::DropConnection);
    let body = format!(r#"{{"destination_phone":"{PHONE}","body":"hi"}}"#);
    let request = format!(
        "POST {MESSAGES_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Octopods-Auth: {PRACTICE_KEY}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(sim.addr()).await.expect("connects");
    stream
        .write_all(request.as_bytes())
        .await
        .expect("request written");
    let mut answer = Vec::new();
    // EOF or a reset: either way, not one byte of HTTP.
    let _ = stream.read_to_end(&mut answer).await;
    assert!(
        answer.is_empty(),
        "got {:?}",
        String::from_utf8_lossy(&answer)
    );
    let recorded = sim.requests();
    assert_eq!(recorded.len(), 1);
    assert_eq!(
        recorded[0].raw_body, body,
        "the whole request was read first"
    );
}

#[tokio::test]
async fn a_dropped_keep_alive_connection_is_not_retried_by_the_client() {
    let sim = sim().await;
    let client = client(&sim, PRACTICE_KEY);
    assert_eq!(client.send(&message(PHONE)).await.kind(), "accepted");
    sim.push_fault(Fault::DropConnection);
    let outcome = client.send(&message(PHONE)).await;
    assert_eq!(unknown_status(&outcome), None, "{outcome:?}");
    assert_eq!(sim.requests().len(), 2);
    assert_eq!(
        client.send(&message(PHONE)).await.kind(),
        "accepted",
        "the server still serves"
    );
    assert_eq!(sim.requests().len(), 3);
}

#[tokio::test]
async fn latency_delays_then_answers_normally() {
    let sim = sim().await;
    sim.push_fault(Fault::Latency(Duration::from_millis(150)));
    let started = Instant::now();
    let outcome = client(&sim, PRACTICE_KEY).send(&message(PHONE)).await;
    assert_eq!(outcome.kind(), "accepted");
    assert!(started.elapsed() >= Duration::from_millis(150));
}

#[tokio::test]
async fn latency_past_the_client_timeout_is_an_unknown_outcome() {
    let sim = sim().await;
    sim.push_fault(Fault::Latency(Duration::from_secs(30)));
    let key = ApiKey::new(PRACTICE_KEY).expect("valid");
    let timeouts = Timeouts {
        connect: Duration::from_secs(5),
        overall: Duration::from_millis(200),
    };
    let client = Client::with_timeouts(&sim.base_url(), &key, timeouts).expect("client");
    let outcome = client.send(&message(PHONE)).await;
    assert_eq!(unknown_status(&outcome), None, "{outcome:?}");
    assert_eq!(sim.requests().len(), 1);
}

#[tokio::test]
async fn queued_faults_come_first_in_order_then_the_persistent_one() {
    let sim = sim().await;
    let client = client(&sim, PRACTICE_KEY);
    sim.set_fault(Some(Fault::RateLimited { retry_after: None }));
    sim.push_fault(Fault::ServerError);
    sim.push_fault(Fault::OkHtml);
    let mut seen = Vec::new();
    for _ in 0..4 {
        seen.push(client.send(&message(PHONE)).await.http_status());
    }
    assert_eq!(seen, [Some(500), Some(200), Some(429), Some(429)]);
    sim.set_fault(None);
    assert_eq!(client.send(&message(PHONE)).await.kind(), "accepted");
    sim.set_fault(Some(Fault::ServerError));
    sim.push_fault(Fault::OkHtml);
    sim.clear_faults();
    assert_eq!(client.send(&message(PHONE)).await.kind(), "accepted");
    assert_eq!(sim.requests().len(), 6);
}

#[tokio::test]
async fn faults_apply_to_status_reads_without_advancing_them() {
    let sim = sim().await;
    let client = client(&sim, PRACTICE_KEY);
    let SendOutcome::Accepted(accepted) = client.send(&message(PHONE)).await else {
        panic!("accepted");
    };
    let id = accepted.message_id.expect("an id");
    sim.push_fault(Fault::ServerError);
    sim.push_fault(Fault::RateLimited {
        retry_after: Some(1),
    });
    sim.push_fault(Fault::DropConnection);
    let err = client.status(&id).await.expect_err("500");
    assert!(
        matches!(
            err,
            StatusError::Unavailable {
                http_status: Some(500),
                ..
            }
        ),
        "{err:?}"
    );
    let err = client.status(&id).await.expect_err("429");
    assert_eq!(
        err,
        StatusError::RateLimited {
            retry_after: Some(Duration::from_secs(1))
        }
    );
    let err = client.status(&id).await.expect_err("dropped");
    assert!(
        matches!(
            err,
            StatusError::Unavailable {
                http_status: None,
                ..
            }
        ),
        "{err:?}"
    );
    let report = client.status(&id).await.expect("no fault left");
    assert_eq!(
        report.status,
        DeliveryStatus::Queued,
        "faulted reads did not count"
    );
    assert_eq!(sim.requests().len(), 5);
}

#[tokio::test]
async fn every_magic_number_does_what_the_table_says() {
    let sim = sim().await;
    let client = client(&sim, PRACTICE_KEY);
    let mut outcomes = Vec::new();
    for (number, _) in MAGIC_NUMBERS {
        let outcome = client.send(&message(number)).await;
        outcomes.push((*number, outcome.kind(), outcome.http_status()));
        if let SendOutcome::RateLimited { retry_after } = outcome {
            assert_eq!(retry_after, Some(Duration::from_secs(2)));
        }
    }
    assert_eq!(
        outcomes,
        [
            ("+12015550140", "rejected", Some(400)),
            ("+12015550141", "rejected", Some(400)),
            ("+12015550150", "unknown", Some(500)),
            ("+12015550151", "unknown", Some(502)),
            ("+12015550152", "rate_limited", Some(429)),
            ("+12015550153", "unknown", None),
            ("+12015550160", "accepted", Some(201)),
            ("+12015550161", "accepted", Some(201)),
        ]
    );
    assert_eq!(sim.requests().len(), MAGIC_NUMBERS.len());
}

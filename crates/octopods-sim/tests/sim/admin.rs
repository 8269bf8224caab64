//! The `/_sim` admin endpoints, and stopping the server.

use octopods::{ApiKey, Client, SendOutcome};
use octopods_sim::PRACTICE_KEY;
use reqwest::Method;
use serde_json::Value;

use crate::{client, message, raw, sim, until, PHONE};

#[tokio::test]
async fn requests_can_be_listed_and_cleared_over_http() {
    let sim = sim().await;
    assert_eq!(
        client(&sim, PRACTICE_KEY)
            .send(&message(PHONE))
            .await
            .kind(),
        "accepted"
    );
    let listed = raw(&sim, Method::GET, "/_sim/requests", None, None).await;
    assert_eq!(listed.status, 200);
    let Some(Value::Array(items)) = listed.json else {
        panic!("a JSON array: {}", listed.text);
    };
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["method"], "POST");
    assert_eq!(items[0]["auth"], PRACTICE_KEY);
    assert_eq!(items[0]["body"]["destination_phone"], PHONE);
    assert!(items[0]["raw_body"].is_string());

    let cleared = raw(&sim, Method::DELETE, "/_sim/requests", None, None).await;
    assert_eq!(cleared.status, 204);
    assert!(
        sim.requests().is_empty(),
        "admin requests are never recorded"
    );
    let unknown_admin = raw(&sim, Method::GET, "/_sim/nothing", None, None).await;
    assert_eq!(unknown_admin.status, 404);
    assert!(sim.requests().is_empty());
}

#[tokio::test]
async fn faults_can_be_set_and_cleared_over_http() {
    let sim = sim().await;
    let client = client(&sim, PRACTICE_KEY);
    let post = |body: &'static str| raw(&sim, Method::POST, "/_sim/faults", None, Some(body));

    assert_eq!(
        post(r#"{"fault":"rate_limited","retry_after":3}"#)
            .await
            .status,
        204
    );
    assert_eq!(post(r#"{"fault":"latency","ms":1}"#).await.status, 204);
    assert_eq!(client.send(&message(PHONE)).await.http_status(), Some(429));
    assert_eq!(
        client.send(&message(PHONE)).await.kind(),
        "accepted",
        "latency then normal"
    );

    assert_eq!(
        post(r#"{"fault":"ok_html","persistent":true}"#)
            .await
            .status,
        204
    );
    for _ in 0..2 {
        assert_eq!(client.send(&message(PHONE)).await.http_status(), Some(200));
    }
    assert_eq!(
        raw(&sim, Method::DELETE, "/_sim/faults", None, None)
            .await
            .status,
        204
    );
    assert_eq!(client.send(&message(PHONE)).await.kind(), "accepted");

    let bad = post(r#"{"fault":"meteor"}"#).await;
    assert_eq!(bad.status, 400);
    assert!(
        bad.json.as_ref().is_some_and(|j| j["error"].is_string()),
        "{bad:?}"
    );
    assert_eq!(client.send(&message(PHONE)).await.kind(), "accepted");
}

#[tokio::test]
async fn shutdown_finishes_requests_in_progress_then_refuses_connections() {
    let sim = sim().await;
    sim.push_fault(octopods_sim::Fault::Latency(
        std::time::Duration::from_millis(200),
    ));
    let client = client(&sim, PRACTICE_KEY);
    let in_flight = tokio::spawn(async move { client.send(&message(PHONE)).await });
    until(|| sim.requests().len() == 1).await;
    let base_url = sim.base_url();
    sim.shutdown().await;
    let outcome = in_flight.await.expect("the send task completes");
    assert_eq!(outcome.kind(), "accepted", "{outcome:?}");

    let key = ApiKey::new(PRACTICE_KEY).expect("valid");
    let fresh = Client::new(&base_url, &key).expect("client");
    let after = fresh.send(&message(PHONE)).await;
    assert!(matches!(after, SendOutcome::NotSent { .. }), "{after:?}");
}

#[tokio::test]
async fn dropping_the_sim_stops_the_server() {
    let sim = sim().await;
    let addr = sim.addr();
    drop(sim);
    for _ in 0..100_000 {
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            return;
        }
        tokio::task::yield_now().await;
    }
    panic!("the server kept listening after the Sim was dropped");
}

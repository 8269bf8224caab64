//! A private simulator (`Sim::start_private`, the app's Practice mode): the Octopods endpoints
//! only, and only for its own loopback address in `Host` (no DNS rebinding).

use octopods_sim::{Fault, Sim, SimConfig, FIRST_MESSAGE_ID, PRACTICE_KEY};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::{client, message, PHONE};

async fn private_sim() -> Sim {
    Sim::start_private(SimConfig::default())
        .await
        .expect("the private simulator starts on a free loopback port")
}

/// One HTTP/1.1 request written by hand (so any `Host` can be sent), and the answer's status
/// code and body.
async fn request(sim: &Sim, head: &str, body: &str) -> (u16, String) {
    let request = format!(
        "{head}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(sim.addr()).await.expect("connects");
    stream
        .write_all(request.as_bytes())
        .await
        .expect("request written");
    let mut answer = Vec::new();
    stream
        .read_to_end(&mut answer)
        .await
        .expect("an answer, then the end");
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {answer:?}"));
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default();
    (status, body)
}

fn send_body() -> String {
    format!(r#"{{"destination_phone":"{PHONE}","body":"Hi Jane"}}"#)
}

#[tokio::test]
async fn a_private_simulator_answers_a_send_from_the_client() {
    let sim = private_sim().await;
    let sent = client(&sim, PRACTICE_KEY).send(&message(PHONE)).await;
    assert_eq!(sent.kind(), "accepted", "{sent:?}");
    assert_eq!(sim.requests().len(), 1, "recorded, for the app in-process");
}

#[tokio::test]
async fn a_private_simulator_has_no_admin_endpoints() {
    let sim = private_sim().await;
    let host = sim.addr().to_string();
    for head in [
        format!("GET /_sim/requests HTTP/1.1\r\nHost: {host}"),
        format!("DELETE /_sim/requests HTTP/1.1\r\nHost: {host}"),
        format!("DELETE /_sim/faults HTTP/1.1\r\nHost: {host}"),
    ] {
        let (status, body) = request(&sim, &head, "").await;
        assert_eq!(status, 404, "{head}: {body}");
        assert!(!body.contains(PHONE), "{head}: {body}");
    }
    let (status, _) = request(
        &sim,
        &format!("POST /_sim/faults HTTP/1.1\r\nHost: {host}"),
        r#"{"fault":"server_error","persistent":true}"#,
    )
    .await;
    assert_eq!(status, 404);
    // No fault was set: a send is accepted.
    let sent = client(&sim, PRACTICE_KEY).send(&message(PHONE)).await;
    assert_eq!(sent.kind(), "accepted", "{sent:?}");
    assert_eq!(sim.requests().len(), 1, "admin paths are never recorded");
}

#[tokio::test]
async fn a_private_simulator_refuses_another_host_before_anything_runs() {
    let sim = private_sim().await;
    let port = sim.addr().port();
    // A fault queued in-process would apply to the next request that reaches a handler.
    sim.push_fault(Fault::ServerError);
    for host in [
        format!("evil.example:{port}"),
        format!("localhost:{port}"),
        "127.0.0.1".to_owned(),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
        format!("127.0.0.1:{port}.evil.example"),
    ] {
        let head = format!(
            "POST /api/v1/sms/messages HTTP/1.1\r\nHost: {host}\r\nX-Octopods-Auth: {PRACTICE_KEY}"
        );
        let (status, body) = request(&sim, &head, &send_body()).await;
        assert_eq!(status, 421, "{host}: {body}");
        assert_eq!(body, "", "{host}: nothing of interest");
    }
    // No Host at all (HTTP/1.0), two of them, or an absolute target for another host.
    let own = sim.addr().to_string();
    for head in [
        format!("POST /api/v1/sms/messages HTTP/1.0\r\nX-Octopods-Auth: {PRACTICE_KEY}"),
        format!(
            "POST /api/v1/sms/messages HTTP/1.1\r\nHost: {own}\r\nHost: evil.example:{port}\r\nX-Octopods-Auth: {PRACTICE_KEY}"
        ),
        format!(
            "POST http://evil.example:{port}/api/v1/sms/messages HTTP/1.1\r\nHost: {own}\r\nX-Octopods-Auth: {PRACTICE_KEY}"
        ),
    ] {
        let (status, body) = request(&sim, &head, &send_body()).await;
        assert_eq!(status, 421, "{head}: {body}");
    }
    let (status, _) = request(
        &sim,
        &format!("GET /_sim/requests HTTP/1.1\r\nHost: evil.example:{port}"),
        "",
    )
    .await;
    assert_eq!(status, 421);
    assert!(sim.requests().is_empty(), "nothing refused is recorded");

    // Its own address is answered (the queued fault was not used up by the refusals).
    let head = format!(
        "POST /api/v1/sms/messages HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Octopods-Auth: {PRACTICE_KEY}"
    );
    let (status, _) = request(&sim, &head, &send_body()).await;
    assert_eq!(status, 500, "the queued fault, on the first request let in");
    let (status, body) = request(&sim, &head, &send_body()).await;
    assert_eq!(status, 201, "{body}");
    assert!(body.contains(r#""message_id""#), "{body}");
    let v6 = format!(
        "GET /api/v1/sms/messages/{FIRST_MESSAGE_ID} HTTP/1.1\r\nHost: [::1]:{port}\r\nX-Octopods-Auth: {PRACTICE_KEY}"
    );
    let (status, body) = request(&sim, &v6, "").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(sim.requests().len(), 3);
}

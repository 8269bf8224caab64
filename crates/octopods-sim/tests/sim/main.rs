//! The simulator over real HTTP, driven by the real `octopods::Client` where it can be and by
//! plain reqwest or TCP where the client would never send such a request.

mod admin;
mod arrival;
mod errors;
mod faults;
mod private;
mod send;
mod status;

use octopods::{ApiKey, Client, SendRequest, MESSAGES_PATH};
use octopods_sim::{Sim, SimConfig};
use serde_json::Value;

/// A normal, deliverable destination.
pub const PHONE: &str = "+15551234567";

pub async fn sim() -> Sim {
    Sim::start(SimConfig::default())
        .await
        .expect("the simulator starts on a free loopback port")
}

pub fn client(sim: &Sim, key: &str) -> Client {
    let key = ApiKey::new(key).expect("test keys are valid keys");
    Client::new(&sim.base_url(), &key).expect("a loopback base URL is accepted")
}

pub fn message(phone: &str) -> SendRequest {
    SendRequest::new(phone, "Hi Jane, your appointment is confirmed.")
}

/// An answer read without the octopods client's interpretation.
#[derive(Debug)]
pub struct Raw {
    pub status: u16,
    pub content_type: String,
    pub retry_after: Option<String>,
    pub text: String,
    pub json: Option<Value>,
}

pub async fn raw(
    sim: &Sim,
    method: reqwest::Method,
    path: &str,
    key: Option<&str>,
    body: Option<&str>,
) -> Raw {
    // reqwest is built without a TLS crypto provider of its own (as the app's is): install ring.
    octopods::install_tls_provider();
    let mut request = reqwest::Client::new().request(method, format!("{}{path}", sim.base_url()));
    if let Some(key) = key {
        request = request.header("X-Octopods-Auth", key);
    }
    if let Some(body) = body {
        request = request
            .header("Content-Type", "application/json")
            .body(body.to_owned());
    }
    let response = request.send().await.expect("the simulator answers");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let status = response.status().as_u16();
    let content_type = header("content-type").unwrap_or_default();
    let retry_after = header("retry-after");
    let text = response.text().await.expect("a complete body");
    let json = serde_json::from_str(&text).ok();
    Raw {
        status,
        content_type,
        retry_after,
        text,
        json,
    }
}

/// `POST /api/v1/sms/messages` with a JSON body exactly as given.
pub async fn raw_send(sim: &Sim, key: &str, body: &str) -> Raw {
    raw(
        sim,
        reqwest::Method::POST,
        MESSAGES_PATH,
        Some(key),
        Some(body),
    )
    .await
}

/// Asserts the documented error body: `400 {"request_id", "error_code", "error"}` as JSON.
pub fn assert_error(answer: &Raw, code: i64, error: &str) {
    assert_eq!(answer.status, 400, "{answer:?}");
    assert_eq!(answer.content_type, "application/json", "{answer:?}");
    assert!(
        answer.text.starts_with(r#"{"request_id":""#),
        "documented order: {answer:?}"
    );
    let json = answer.json.as_ref().expect("an error body is JSON");
    assert_eq!(json["error_code"], code, "{answer:?}");
    assert_eq!(json["error"], error, "{answer:?}");
    assert!(is_uuid_v4(&json["request_id"]), "{answer:?}");
    assert_eq!(json.as_object().map(|o| o.len()), Some(3), "{answer:?}");
}

pub fn is_uuid_v4(value: &Value) -> bool {
    let Some(text) = value.as_str() else {
        return false;
    };
    let groups: Vec<usize> = text.split('-').map(str::len).collect();
    groups == [8, 4, 4, 4, 12]
        && text.as_bytes()[14] == b'4'
        && text.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
}

/// Waits, without sleeping, until `done` holds (bounded, so a bug fails instead of hanging).
pub async fn until(mut done: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !done() {
        assert!(std::time::Instant::now() < deadline, "condition never held");
        tokio::task::yield_now().await;
    }
}

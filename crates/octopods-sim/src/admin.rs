//! Admin endpoints under `/_sim`, for driving a standalone simulator over HTTP. They are never
//! recorded and faults never apply to them.
//!
//! - `GET /_sim/requests`: the recorded API requests, oldest first, as a JSON array; each has
//!   `method`, `path`, `auth`, `content_type`, `body` (the JSON, so a send's
//!   `body.destination_phone`), `raw_body` and `received_ms` (when it arrived, in milliseconds
//!   since the simulator started, on its own monotonic clock).
//! - `DELETE /_sim/requests`: forget them.
//! - `POST /_sim/faults` with `{"fault": "latency", "ms": 500}`, `{"fault": "server_error"}`,
//!   `bad_gateway_html`, `rate_limited` (optional `"retry_after": 2`), `drop_connection` or
//!   `ok_html`; add `"persistent": true` to keep it until cleared (otherwise it is used once).
//! - `DELETE /_sim/faults`: clear every fault, one-shot and persistent.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::faults::Fault;
use crate::state::SimState;

/// Every admin path starts with this.
pub(crate) const PREFIX: &str = "/_sim";

/// The longest latency fault accepted over HTTP.
const MAX_LATENCY_MS: u64 = 10 * 60 * 1000;

pub(crate) fn routes() -> Router<Arc<SimState>> {
    Router::new()
        .route("/_sim/requests", get(list_requests).delete(clear_requests))
        .route("/_sim/faults", post(add_fault).delete(clear_faults))
}

/// Why a `POST /_sim/faults` body was refused.
#[derive(Debug, thiserror::Error)]
pub(crate) enum AdminError {
    #[error("expected {{\"fault\": \"latency\"|\"server_error\"|\"bad_gateway_html\"|\"rate_limited\"|\"drop_connection\"|\"ok_html\", ...}}: {0}")]
    BadFault(#[from] serde_json::Error),
    #[error("latency must be at most {MAX_LATENCY_MS} ms")]
    LatencyTooLong,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "fault", rename_all = "snake_case")]
enum FaultSpec {
    Latency {
        ms: u64,
    },
    ServerError,
    BadGatewayHtml,
    RateLimited {
        #[serde(default)]
        retry_after: Option<u64>,
    },
    DropConnection,
    OkHtml,
}

#[derive(Debug, Deserialize)]
struct FaultRequest {
    #[serde(flatten)]
    fault: FaultSpec,
    #[serde(default)]
    persistent: bool,
}

/// Parses a `POST /_sim/faults` body into the fault and whether it is persistent.
pub(crate) fn parse_fault(body: &[u8]) -> Result<(Fault, bool), AdminError> {
    let request: FaultRequest = serde_json::from_slice(body)?;
    let fault = match request.fault {
        FaultSpec::Latency { ms } if ms > MAX_LATENCY_MS => return Err(AdminError::LatencyTooLong),
        FaultSpec::Latency { ms } => Fault::Latency(Duration::from_millis(ms)),
        FaultSpec::ServerError => Fault::ServerError,
        FaultSpec::BadGatewayHtml => Fault::BadGatewayHtml,
        FaultSpec::RateLimited { retry_after } => Fault::RateLimited { retry_after },
        FaultSpec::DropConnection => Fault::DropConnection,
        FaultSpec::OkHtml => Fault::OkHtml,
    };
    Ok((fault, request.persistent))
}

async fn list_requests(State(state): State<Arc<SimState>>) -> Response {
    Json(state.requests()).into_response()
}

async fn clear_requests(State(state): State<Arc<SimState>>) -> StatusCode {
    state.clear_requests();
    StatusCode::NO_CONTENT
}

async fn add_fault(State(state): State<Arc<SimState>>, body: Bytes) -> Response {
    match parse_fault(&body) {
        Ok((fault, true)) => state.set_fault(Some(fault)),
        Ok((fault, false)) => state.push_fault(fault),
        Err(e) => {
            return (
                StatusCode::BAD_REQUEST,
                Json(json!({"error": e.to_string()})),
            )
                .into_response()
        }
    }
    StatusCode::NO_CONTENT.into_response()
}

async fn clear_faults(State(state): State<Arc<SimState>>) -> StatusCode {
    state.clear_faults();
    StatusCode::NO_CONTENT
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<(Fault, bool), AdminError> {
        parse_fault(text.as_bytes())
    }

    #[test]
    fn every_fault_parses() {
        let cases = [
            (
                r#"{"fault":"latency","ms":500}"#,
                Fault::Latency(Duration::from_millis(500)),
            ),
            (r#"{"fault":"server_error"}"#, Fault::ServerError),
            (r#"{"fault":"bad_gateway_html"}"#, Fault::BadGatewayHtml),
            (
                r#"{"fault":"rate_limited"}"#,
                Fault::RateLimited { retry_after: None },
            ),
            (
                r#"{"fault":"rate_limited","retry_after":3}"#,
                Fault::RateLimited {
                    retry_after: Some(3),
                },
            ),
            (r#"{"fault":"drop_connection"}"#, Fault::DropConnection),
            (r#"{"fault":"ok_html"}"#, Fault::OkHtml),
        ];
        for (text, fault) in cases {
            assert_eq!(parse(text).expect(text), (fault, false), "{text}");
        }
        assert_eq!(
            parse(r#"{"fault":"ok_html","persistent":true}"#).expect("persistent"),
            (Fault::OkHtml, true)
        );
    }

    #[test]
    fn bad_faults_are_refused() {
        for text in [
            "",
            "{}",
            r#"{"fault":"explode"}"#,
            r#"{"fault":"latency"}"#,
            r#"{"fault":"latency","ms":-1}"#,
            r#"{"fault":"server_error","persistent":"yes"}"#,
        ] {
            assert!(
                matches!(parse(text), Err(AdminError::BadFault(_))),
                "{text}"
            );
        }
        assert!(matches!(
            parse(r#"{"fault":"latency","ms":600001}"#),
            Err(AdminError::LatencyTooLong)
        ));
    }
}

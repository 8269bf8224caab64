//! The two Octopods endpoints: send (`POST /api/v1/sms/messages`) and delivery status
//! (`GET /api/v1/sms/messages/{id}`), plus the answer to anything else under the API.

use std::sync::Arc;

use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use octopods::{ErrorCode, AUTH_HEADER, MESSAGES_PATH};
use serde::Serialize;
use serde_json::json;

use crate::config::{SimKey, Workspace};
use crate::faults;
use crate::magic::{self, Magic};
use crate::state::{RecordedRequest, SimState};
use crate::validate;

/// The largest request body read; a bigger one is answered with 413.
const MAX_REQUEST_BYTES: usize = 1024 * 1024;

/// `error_code` for an unknown message id on the status endpoint (not in the documented 1–5).
pub const MESSAGE_NOT_FOUND_CODE: i64 = 6;

pub(crate) fn routes() -> Router<Arc<SimState>> {
    Router::new()
        .route(MESSAGES_PATH, post(send).fallback(wrong_method))
        .route(
            &format!("{MESSAGES_PATH}/{{id}}"),
            get(status).fallback(wrong_method),
        )
}

/// Reads and records the request, whatever happens next.
async fn receive(state: &SimState, request: Request) -> Result<RecordedRequest, Response> {
    let received_ms = state.elapsed_ms();
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, MAX_REQUEST_BYTES).await;
    let header_text = |headers: &HeaderMap, name: &str| {
        headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    };
    let raw = bytes.as_deref().unwrap_or_default();
    let recorded = RecordedRequest {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        auth: header_text(&parts.headers, AUTH_HEADER),
        content_type: header_text(&parts.headers, header::CONTENT_TYPE.as_str()),
        body: serde_json::from_slice(raw).ok(),
        raw_body: String::from_utf8_lossy(raw).into_owned(),
        received_ms,
    };
    state.record(recorded.clone());
    match bytes {
        Ok(_) => Ok(recorded),
        Err(_) => Err((
            StatusCode::PAYLOAD_TOO_LARGE,
            Json(json!({"request_id": new_request_id(), "error": "Request body too large."})),
        )
            .into_response()),
    }
}

/// Records the request and applies the next fault, if any.
async fn begin(state: &SimState, request: Request) -> Result<RecordedRequest, Response> {
    let recorded = receive(state, request).await?;
    if let Some(fault) = state.next_fault() {
        if let Some(response) = faults::apply(&fault).await {
            return Err(response);
        }
    }
    Ok(recorded)
}

fn new_request_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// `400 {"request_id", "error_code", "error"}` (fields in the documented order).
#[derive(Serialize)]
struct ErrorBody<'a> {
    request_id: &'a str,
    error_code: i64,
    error: &'a str,
}

/// `201` on an Intercom workspace.
#[derive(Serialize)]
struct IntercomAccepted<'a> {
    request_id: &'a str,
    message_id: u64,
    phone_number: &'a str,
}

/// `201` on a HubSpot workspace.
#[derive(Serialize)]
struct HubSpotAccepted<'a> {
    request_id: &'a str,
}

fn error(request_id: &str, error_code: i64, error: &str) -> Response {
    let body = ErrorBody {
        request_id,
        error_code,
        error,
    };
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}

/// Why a key was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    /// Missing or unknown: `401` with a plain-text body.
    Unauthorized,
    /// Rotated or revoked: `400` with `error_code` 5.
    Deprecated,
}

impl Refusal {
    fn response(self, request_id: &str) -> Response {
        match self {
            Refusal::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                "Unauthorized",
            )
                .into_response(),
            Refusal::Deprecated => error(
                request_id,
                ErrorCode::DeprecatedApiKey.code(),
                "API key has been rotated or revoked. Fetch the current key from Octopods.",
            ),
        }
    }
}

/// The shared start of both endpoints: record the request, apply any fault, check the key.
async fn begin_authorized(
    state: &SimState,
    request: Request,
) -> Result<(RecordedRequest, String, &SimKey), Response> {
    let recorded = begin(state, request).await?;
    let request_id = new_request_id();
    let key = authorize(state, &recorded).map_err(|refusal| refusal.response(&request_id))?;
    Ok((recorded, request_id, key))
}

/// The caller's key, if it may use the API.
fn authorize<'a>(state: &'a SimState, recorded: &RecordedRequest) -> Result<&'a SimKey, Refusal> {
    let key = recorded
        .auth
        .as_deref()
        .and_then(|k| state.config.find_key(k))
        .ok_or(Refusal::Unauthorized)?;
    if key.deprecated {
        return Err(Refusal::Deprecated);
    }
    Ok(key)
}

async fn send(State(state): State<Arc<SimState>>, request: Request) -> Response {
    let (recorded, request_id, key) = match begin_authorized(&state, request).await {
        Ok(started) => started,
        Err(response) => return response,
    };
    let phone = match validate::send_body(recorded.body.as_ref()) {
        Ok(phone) => phone,
        Err(invalid) => return error(&request_id, invalid.code.code(), &invalid.error),
    };
    let outcome = match magic::lookup(&phone) {
        Magic::SmsError(text) => return error(&request_id, ErrorCode::SmsError.code(), text),
        Magic::Fault(fault) => return faults::response(&fault),
        Magic::Accepted(outcome) => outcome,
    };
    let request_id = request_id.as_str();
    match key.workspace {
        Workspace::HubSpot => {
            (StatusCode::CREATED, Json(HubSpotAccepted { request_id })).into_response()
        }
        Workspace::Intercom => {
            let message_id = state.messages().accept(&key.key, &phone, outcome);
            let body = IntercomAccepted {
                request_id,
                message_id,
                phone_number: &phone,
            };
            (StatusCode::CREATED, Json(body)).into_response()
        }
    }
}

async fn status(State(state): State<Arc<SimState>>, request: Request) -> Response {
    let id = request
        .uri()
        .path()
        .rsplit('/')
        .next()
        .and_then(|segment| segment.parse::<u64>().ok());
    let (_recorded, request_id, key) = match begin_authorized(&state, request).await {
        Ok(started) => started,
        Err(response) => return response,
    };
    let report = id.and_then(|id| {
        state
            .messages()
            .poll(&key.key, id, key.status_shape, &request_id)
    });
    match report {
        Some(body) => (StatusCode::OK, Json(body)).into_response(),
        None => error(&request_id, MESSAGE_NOT_FOUND_CODE, "Message not found."),
    }
}

/// A known API path with the wrong method: recorded, then `405`. Faults do not apply here.
async fn wrong_method(State(state): State<Arc<SimState>>, request: Request) -> Response {
    refuse(
        &state,
        request,
        StatusCode::METHOD_NOT_ALLOWED,
        "Method not allowed.",
    )
    .await
}

/// Any other path: `404`. Recorded unless it is under the admin prefix `/_sim`.
pub(crate) async fn not_found(State(state): State<Arc<SimState>>, request: Request) -> Response {
    if request.uri().path().starts_with(crate::admin::PREFIX) {
        return (StatusCode::NOT_FOUND, Json(json!({"error": "Not found."}))).into_response();
    }
    refuse(&state, request, StatusCode::NOT_FOUND, "Not found.").await
}

async fn refuse(state: &SimState, request: Request, status: StatusCode, text: &str) -> Response {
    if let Err(response) = receive(state, request).await {
        return response;
    }
    (
        status,
        Json(json!({"request_id": new_request_id(), "error": text})),
    )
        .into_response()
}

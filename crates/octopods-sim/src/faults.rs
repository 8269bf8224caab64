//! Faults: the ways a real network or a struggling server misbehaves, on demand.

use std::collections::VecDeque;
use std::time::Duration;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// One misbehaviour, applied to an API request (send or status) after it has been recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Wait this long, then answer normally.
    Latency(Duration),
    /// `500` with the JSON body `{"error": "Internal server error"}`.
    ServerError,
    /// `502` with an HTML page, as a proxy in front of the server would send.
    BadGatewayHtml,
    /// `429`, with a `Retry-After` header (seconds) when `Some`.
    RateLimited { retry_after: Option<u64> },
    /// Read the whole request, then close the TCP connection without writing any response.
    DropConnection,
    /// `200` with an HTML page (a captive portal or a login page in the way).
    OkHtml,
}

/// The faults waiting for the next API requests.
#[derive(Debug, Default)]
pub(crate) struct FaultPlan {
    one_shot: VecDeque<Fault>,
    persistent: Option<Fault>,
}

impl FaultPlan {
    pub(crate) fn push(&mut self, fault: Fault) {
        self.one_shot.push_back(fault);
    }

    pub(crate) fn set_persistent(&mut self, fault: Option<Fault>) {
        self.persistent = fault;
    }

    pub(crate) fn clear(&mut self) {
        self.one_shot.clear();
        self.persistent = None;
    }

    /// The fault for the request being handled: the oldest one-shot fault, else the persistent one.
    pub(crate) fn take_next(&mut self) -> Option<Fault> {
        self.one_shot
            .pop_front()
            .or_else(|| self.persistent.clone())
    }
}

/// Put on a response to tell the connection layer to close the socket instead of answering.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DropConnectionMarker;

const BAD_GATEWAY_PAGE: &str = "<!DOCTYPE html>\n<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n<center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n";

const OK_HTML_PAGE: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Sign in to continue</title></head>\n<body>\n<h1>Sign in to continue</h1>\n<p>This network requires you to sign in before you can use the internet.</p>\n<form method=\"post\" action=\"/login\"><input name=\"email\"><button>Sign in</button></form>\n</body>\n</html>\n";

/// Applies `fault`: sleeps for [`Fault::Latency`] and returns `None` (answer normally), or
/// returns the response that replaces the normal answer.
pub(crate) async fn apply(fault: &Fault) -> Option<Response> {
    match fault {
        Fault::Latency(delay) => {
            tokio::time::sleep(*delay).await;
            None
        }
        other => Some(response(other)),
    }
}

/// The response a fault answers with (a plain 200 with no body for [`Fault::Latency`], which
/// [`apply`] never asks for).
pub(crate) fn response(fault: &Fault) -> Response {
    match fault {
        Fault::Latency(_) => StatusCode::OK.into_response(),
        Fault::ServerError => (
            StatusCode::INTERNAL_SERVER_ERROR,
            axum::Json(json!({"error": "Internal server error"})),
        )
            .into_response(),
        Fault::BadGatewayHtml => html(StatusCode::BAD_GATEWAY, BAD_GATEWAY_PAGE),
        Fault::RateLimited { retry_after } => {
            let mut response = (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                "Retry later\n",
            )
                .into_response();
            if let Some(seconds) = retry_after {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(*seconds));
            }
            response
        }
        Fault::DropConnection => {
            let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
            response.extensions_mut().insert(DropConnectionMarker);
            response
        }
        Fault::OkHtml => html(StatusCode::OK, OK_HTML_PAGE),
    }
}

fn html(status: StatusCode, page: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        page,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_shot_faults_come_first_in_order_then_the_persistent_one() {
        let mut plan = FaultPlan::default();
        assert_eq!(plan.take_next(), None);
        plan.set_persistent(Some(Fault::OkHtml));
        plan.push(Fault::ServerError);
        plan.push(Fault::DropConnection);
        assert_eq!(plan.take_next(), Some(Fault::ServerError));
        assert_eq!(plan.take_next(), Some(Fault::DropConnection));
        assert_eq!(plan.take_next(), Some(Fault::OkHtml));
        assert_eq!(plan.take_next(), Some(Fault::OkHtml), "persistent stays");
        plan.push(Fault::BadGatewayHtml);
        plan.clear();
        assert_eq!(plan.take_next(), None);
    }

    #[test]
    fn responses() {
        let r = response(&Fault::RateLimited {
            retry_after: Some(7),
        });
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(
            r.headers()
                .get(header::RETRY_AFTER)
                .map(HeaderValue::as_bytes),
            Some(&b"7"[..])
        );
        let r = response(&Fault::RateLimited { retry_after: None });
        assert!(r.headers().get(header::RETRY_AFTER).is_none());
        let r = response(&Fault::DropConnection);
        assert!(r.extensions().get::<DropConnectionMarker>().is_some());
        let r = response(&Fault::BadGatewayHtml);
        assert_eq!(r.status(), StatusCode::BAD_GATEWAY);
        assert!(r.headers()[header::CONTENT_TYPE]
            .as_bytes()
            .starts_with(b"text/html"));
    }
}

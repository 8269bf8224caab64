//! The HTTP client: builds requests exactly as octopods-api.md says and classifies every answer.

use std::net::IpAddr;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE, RETRY_AFTER};
use serde_json::Value;
use url::{Host, Url};

use crate::error::{Error, Result};
use crate::key::ApiKey;
use crate::outcome::{accepted, rejected, SendOutcome};
use crate::status::{report, DeliveryReport, StatusError};
use crate::wire::{SendRequest, AUTH_HEADER, MESSAGES_PATH};

/// Octopods' production address (the seed and the API overview agree on `app.`).
pub const DEFAULT_BASE_URL: &str = "https://app.octopods.io";

/// How long to wait for a connection, and for the whole exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    pub connect: Duration,
    pub overall: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(10),
            overall: Duration::from_secs(30),
        }
    }
}

/// One SMS channel: its server and its key. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    messages_url: Url,
    /// The key as a header value, marked sensitive so that `Debug` never prints it.
    auth: HeaderValue,
    timeouts: Timeouts,
}

impl Client {
    pub fn new(base_url: &str, key: &ApiKey) -> Result<Self> {
        Self::with_timeouts(base_url, key, Timeouts::default())
    }

    pub fn with_timeouts(base_url: &str, key: &ApiKey, timeouts: Timeouts) -> Result<Self> {
        let (messages_url, loopback) = messages_url(base_url)?;
        let mut auth =
            HeaderValue::from_str(key.expose_secret()).map_err(|_| Error::MalformedKey)?;
        auth.set_sensitive(true);
        let mut builder = reqwest::Client::builder()
            .connect_timeout(timeouts.connect)
            .timeout(timeouts.overall)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("SMS Desk/", env!("CARGO_PKG_VERSION")));
        if loopback {
            builder = builder.no_proxy();
        }
        let http = builder
            .build()
            .map_err(|e| Error::HttpSetup(e.to_string()))?;
        Ok(Self {
            http,
            messages_url,
            auth,
            timeouts,
        })
    }

    /// The send endpoint this client posts to.
    pub fn messages_url(&self) -> &Url {
        &self.messages_url
    }

    /// Sends one message. Never retries: the caller decides, using
    /// [`SendOutcome::is_safe_to_retry`].
    pub async fn send(&self, request: &SendRequest) -> SendOutcome {
        let sent = self
            .http
            .post(self.messages_url.clone())
            .header(AUTH_HEADER, self.auth.clone())
            .json(request)
            .send()
            .await;
        let response = match sent {
            Ok(response) => response,
            Err(e) => return self.send_failure(&e),
        };
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        match response.bytes().await {
            Ok(bytes) => classify_send(status, &headers, &bytes),
            Err(e) => SendOutcome::Unknown {
                http_status: Some(status),
                reason: format!(
                    "The server answered HTTP {status} but the connection broke before the answer was complete ({}).",
                    describe(&e)
                ),
            },
        }
    }

    /// Reads a message's delivery status. Safe to repeat.
    pub async fn status(
        &self,
        message_id: &str,
    ) -> std::result::Result<DeliveryReport, StatusError> {
        let mut url = self.messages_url.clone();
        url.path_segments_mut()
            .map_err(|()| StatusError::Unavailable {
                http_status: None,
                reason: "The server address cannot take a message id.".into(),
            })?
            .push(message_id.trim());
        let response = self
            .http
            .get(url)
            .header(AUTH_HEADER, self.auth.clone())
            .send()
            .await
            .map_err(|e| StatusError::Unavailable {
                http_status: None,
                reason: self.transport_reason(&e),
            })?;
        let status = response.status().as_u16();
        let retry_after = retry_after(response.headers());
        let bytes = response
            .bytes()
            .await
            .map_err(|e| StatusError::Unavailable {
                http_status: Some(status),
                reason: describe(&e),
            })?;
        let json = json_object(&bytes);
        match (status, json) {
            (401, _) => Err(StatusError::Unauthorized),
            (429, _) => Err(StatusError::RateLimited { retry_after }),
            (200..=299, Some(body)) => Ok(report(body)),
            (400..=499, body) => Err(StatusError::Rejected(rejected(
                status,
                body.unwrap_or(Value::Null),
                &format!("The server refused the request (HTTP {status})."),
            ))),
            (_, _) => Err(StatusError::Unavailable {
                http_status: Some(status),
                reason: format!("The server answered HTTP {status} without a delivery status."),
            }),
        }
    }

    fn send_failure(&self, e: &reqwest::Error) -> SendOutcome {
        if e.is_connect() || e.is_builder() {
            SendOutcome::NotSent {
                reason: self.transport_reason(e),
            }
        } else {
            SendOutcome::Unknown {
                http_status: None,
                reason: self.transport_reason(e),
            }
        }
    }

    fn transport_reason(&self, e: &reqwest::Error) -> String {
        let host = self.messages_url.host_str().unwrap_or("the server");
        if e.is_connect() {
            format!("Could not connect to {host} ({}).", describe(e))
        } else if e.is_timeout() {
            format!(
                "No answer from {host} within {} seconds.",
                self.timeouts.overall.as_secs()
            )
        } else {
            format!("The connection to {host} broke ({}).", describe(e))
        }
    }
}

/// Classifies a complete answer to a send.
fn classify_send(status: u16, headers: &HeaderMap, bytes: &[u8]) -> SendOutcome {
    let json = json_object(bytes);
    match status {
        401 => SendOutcome::Unauthorized { http_status: 401 },
        429 => SendOutcome::RateLimited {
            retry_after: retry_after(headers),
        },
        200..=299 => match json {
            Some(body) => SendOutcome::Accepted(accepted(status, body)),
            None => SendOutcome::Unknown {
                http_status: Some(status),
                reason: format!(
                    "The server answered HTTP {status} but not with Octopods' usual reply ({}).",
                    content_kind(headers)
                ),
            },
        },
        300..=399 => SendOutcome::Rejected(rejected(
            status,
            Value::Null,
            &format!("The server sent the request elsewhere (HTTP {status}); check the server address in settings."),
        )),
        400..=499 => SendOutcome::Rejected(rejected(
            status,
            json.unwrap_or(Value::Null),
            &format!("The server refused the request (HTTP {status}) without saying why."),
        )),
        _ => SendOutcome::Unknown {
            http_status: Some(status),
            reason: format!("The server had a problem (HTTP {status}, {}).", content_kind(headers)),
        },
    }
}

fn json_object(bytes: &[u8]) -> Option<Value> {
    serde_json::from_slice::<Value>(bytes)
        .ok()
        .filter(Value::is_object)
}

fn content_kind(headers: &HeaderMap) -> String {
    let ct = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if ct.contains("html") {
        "an HTML page".into()
    } else if ct.is_empty() {
        "no content type".into()
    } else {
        format!("content of type {ct}")
    }
}

/// `Retry-After` in seconds; an HTTP date is not used (treated as absent).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

/// The error and its causes, without the URL (which the caller names itself).
fn describe(e: &reqwest::Error) -> String {
    let mut text = String::new();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(s) = source {
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&s.to_string());
        source = s.source();
    }
    if text.is_empty() {
        text = e.to_string();
    }
    text
}

/// Validates the base URL and returns the send endpoint and whether the host is this computer.
fn messages_url(base_url: &str) -> Result<(Url, bool)> {
    let invalid = || Error::InvalidBaseUrl(base_url.trim().to_owned());
    let mut url = Url::parse(base_url.trim()).map_err(|_| invalid())?;
    let loopback = match url.host() {
        // A name, even `localhost`, is looked up (a hosts file or DNS can point it anywhere):
        // only loopback IP literals may go without TLS.
        Some(Host::Domain(_)) => false,
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => return Err(invalid()),
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => return Err(Error::InsecureBaseUrl),
        _ => return Err(invalid()),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid());
    }
    let path = format!("{}{MESSAGES_PATH}", url.path().trim_end_matches('/'));
    url.set_path(&path);
    url.set_query(None);
    url.set_fragment(None);
    Ok((url, loopback))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        let (u, lo) = messages_url("https://app.octopods.io").expect("production URL");
        assert_eq!(u.as_str(), "https://app.octopods.io/api/v1/sms/messages");
        assert!(!lo);
        let (u, lo) = messages_url("http://127.0.0.1:8080/").expect("loopback http");
        assert_eq!(u.as_str(), "http://127.0.0.1:8080/api/v1/sms/messages");
        assert!(lo);
        assert!(messages_url("http://[::1]:9/").is_ok());
        // `localhost` is a name, looked up like any other: plain http is refused for it.
        assert!(matches!(
            messages_url("http://localhost:9"),
            Err(Error::InsecureBaseUrl)
        ));
        assert!(matches!(
            messages_url("http://LOCALHOST:9"),
            Err(Error::InsecureBaseUrl)
        ));
        let (_, lo) = messages_url("https://localhost:9").expect("https to a name is fine");
        assert!(!lo, "a name is not taken for this computer");
        assert!(matches!(
            messages_url("http://app.octopods.io"),
            Err(Error::InsecureBaseUrl)
        ));
        assert!(matches!(
            messages_url("ftp://x"),
            Err(Error::InvalidBaseUrl(_))
        ));
        assert!(matches!(
            messages_url("app.octopods.io"),
            Err(Error::InvalidBaseUrl(_))
        ));
    }

    #[test]
    fn auth_header_is_sensitive() {
        let key = ApiKey::new("super-secret-key-123").expect("valid");
        let client = Client::new("https://app.octopods.io", &key).expect("client");
        let dbg = format!("{client:?}");
        assert!(!dbg.contains("super-secret"), "Debug leaked the key: {dbg}");
    }

    #[test]
    fn classification() {
        let h = HeaderMap::new();
        assert_eq!(classify_send(500, &h, b"oops").kind(), "unknown");
        assert_eq!(classify_send(201, &h, b"<html>").kind(), "unknown");
        assert_eq!(classify_send(201, &h, b"{}").kind(), "accepted");
        assert_eq!(classify_send(401, &h, b"").kind(), "unauthorized");
        assert_eq!(classify_send(404, &h, b"<html>").kind(), "rejected");
        let mut h429 = HeaderMap::new();
        h429.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(
            classify_send(429, &h429, b""),
            SendOutcome::RateLimited {
                retry_after: Some(Duration::from_secs(7))
            }
        );
    }
}

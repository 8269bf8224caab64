//! The HTTP client: builds requests exactly as octopods-api.md says and classifies every answer.

use std::net::IpAddr;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE, RETRY_AFTER};
use serde_json::Value;
use url::{Host, Url};

use crate::error::{Error, Result};
use crate::key::ApiKey;
use crate::outcome::{accepted, rejected, text_field, SendOutcome};
use crate::status::{report, DeliveryReport, StatusError};
use crate::transport;
use crate::wire::{SendRequest, AUTH_HEADER, MESSAGES_PATH};

/// Octopods' production address (the seed and the API overview agree on `app.`).
pub const DEFAULT_BASE_URL: &str = "https://app.octopods.io";

/// The most of an answer that is read (and so kept in the history). Octopods' answers are a few
/// hundred bytes; a server that sends more is not Octopods, or is broken.
pub const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// What an answer to a send that was longer than [`MAX_ANSWER_BYTES`] reads.
const SEND_ANSWER_TOO_LONG: &str = "The server's answer was far longer than Octopods' (over 64 KB), so SMS Desk cannot tell whether the message was sent.";
/// What an answer to a status read that was longer than [`MAX_ANSWER_BYTES`] reads.
const STATUS_ANSWER_TOO_LONG: &str = "The server's answer was far longer than Octopods' (over 64 KB), so it was not read as a delivery status.";

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

/// Makes ring this process's TLS crypto provider, unless one is installed already (as
/// tauri-plugin-updater does: reqwest is built without a provider of its own). [`Client::new`]
/// calls it; another `reqwest::Client` in the same process (a test's raw requests) must be built
/// after it.
pub fn install_tls_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Another thread may install one between the two calls: either is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
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
        Ok(Self {
            http: http_client(timeouts, loopback)?,
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
        let mut response = match sent {
            Ok(response) => response,
            Err(e) => return self.send_failure(&e),
        };
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        match read_capped(&mut response).await {
            Answer::Complete(bytes) => classify_send(status, &headers, &bytes),
            Answer::TooLong => SendOutcome::Unknown {
                http_status: Some(status),
                reason: SEND_ANSWER_TOO_LONG.into(),
            },
            Answer::Broken(e) => SendOutcome::Unknown {
                http_status: Some(status),
                reason: self.broken_answer(status, &e),
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
        let mut response = self
            .http
            .get(url)
            .header(AUTH_HEADER, self.auth.clone())
            .send()
            .await
            .map_err(|e| StatusError::Unavailable {
                http_status: None,
                reason: self.transport_reason(&e, e.is_connect() || e.is_builder()),
            })?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        match read_capped(&mut response).await {
            Answer::Complete(bytes) => classify_status(status, &headers, &bytes),
            Answer::TooLong => Err(StatusError::Unavailable {
                http_status: Some(status),
                reason: STATUS_ANSWER_TOO_LONG.into(),
            }),
            Answer::Broken(e) => Err(StatusError::Unavailable {
                http_status: Some(status),
                reason: self.broken_answer(status, &e),
            }),
        }
    }

    /// A request that failed without an answer. Before the request was written (no connection,
    /// a refused certificate, a proxy that said no) nothing can have been sent; after, it may have.
    fn send_failure(&self, e: &reqwest::Error) -> SendOutcome {
        if e.is_connect() || e.is_builder() {
            SendOutcome::NotSent {
                reason: self.transport_reason(e, true),
            }
        } else {
            SendOutcome::Unknown {
                http_status: None,
                reason: self.transport_reason(e, false),
            }
        }
    }

    fn transport_reason(&self, e: &reqwest::Error, before_sending: bool) -> String {
        transport::words(
            &transport::failure(e),
            self.host(),
            before_sending,
            self.timeouts.connect,
            self.timeouts.overall,
        )
    }

    /// An answer that started (its status arrived) but did not finish.
    fn broken_answer(&self, status: u16, e: &reqwest::Error) -> String {
        if e.is_timeout() {
            format!(
                "The server answered HTTP {status} but did not finish its answer within {} seconds.",
                self.timeouts.overall.as_secs()
            )
        } else {
            format!(
                "The server answered HTTP {status} but the connection broke before the answer was complete."
            )
        }
    }

    fn host(&self) -> &str {
        self.messages_url.host_str().unwrap_or("the server")
    }
}

/// The HTTP client: the operating system's certificate store (Windows' and macOS' own
/// verifiers; on Linux the system bundle, or `SSL_CERT_FILE` / `SSL_CERT_DIR`), its proxy
/// settings and the `HTTPS_PROXY` / `NO_PROXY` variables; no proxy at all for this computer by
/// its number (the Practice server).
fn http_client(timeouts: Timeouts, loopback: bool) -> Result<reqwest::Client> {
    install_tls_provider();
    let builder = || {
        let builder = reqwest::Client::builder()
            .connect_timeout(timeouts.connect)
            .timeout(timeouts.overall)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("SMS Desk/", env!("CARGO_PKG_VERSION")));
        if loopback {
            builder.no_proxy()
        } else {
            builder
        }
    };
    builder().build().or_else(|_| {
        // The system's certificate store could not be read (on Linux: no bundle, or an empty
        // SSL_CERT_FILE). Trust nothing rather than fail: every secure address then says its
        // certificate is not trusted, and the Practice server (plain http) still works.
        builder()
            .tls_certs_only(std::iter::empty())
            .build()
            .map_err(|e| Error::HttpSetup(transport::redact(&e.to_string())))
    })
}

/// An answer's body, read up to [`MAX_ANSWER_BYTES`].
enum Answer {
    Complete(Vec<u8>),
    /// Longer than the cap: reading stopped there (or before, from `Content-Length`).
    TooLong,
    Broken(reqwest::Error),
}

/// Reads the body chunk by chunk and stops at the cap: never more than the cap and one chunk
/// are held, and the rest is never read (the connection is dropped with the response).
async fn read_capped(response: &mut reqwest::Response) -> Answer {
    if response
        .content_length()
        .is_some_and(|n| n > MAX_ANSWER_BYTES as u64)
    {
        return Answer::TooLong;
    }
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > MAX_ANSWER_BYTES {
                    return Answer::TooLong;
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Answer::Complete(body),
            Err(e) => return Answer::Broken(e),
        }
    }
}

/// Classifies a complete answer to a send. Only Octopods' success counts as accepted: a 2xx
/// whose body is a JSON object with a `request_id` (the one field every documented shape has).
/// Octopods documents 201; another 2xx with that body is taken too, since it can only come from
/// a server that read the request and says it took it. A 2xx without it (a captive portal's
/// page, an empty answer, a proxy's own JSON) proves nothing: unknown.
fn classify_send(status: u16, headers: &HeaderMap, bytes: &[u8]) -> SendOutcome {
    let json = json_object(bytes);
    match status {
        401 => SendOutcome::Unauthorized { http_status: 401 },
        429 => SendOutcome::RateLimited {
            retry_after: retry_after(headers),
        },
        200..=299 => match json {
            Some(body) if text_field(&body, &["request_id"]).is_some() => {
                SendOutcome::Accepted(accepted(status, body))
            }
            Some(_) => SendOutcome::Unknown {
                http_status: Some(status),
                reason: format!(
                    "The server answered HTTP {status} but its reply has no request id, unlike Octopods' own, so SMS Desk cannot tell whether the message was sent."
                ),
            },
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

/// Classifies a complete answer to a status read.
fn classify_status(
    status: u16,
    headers: &HeaderMap,
    bytes: &[u8],
) -> std::result::Result<DeliveryReport, StatusError> {
    let json = json_object(bytes);
    match (status, json) {
        (401, _) => Err(StatusError::Unauthorized),
        (429, _) => Err(StatusError::RateLimited {
            retry_after: retry_after(headers),
        }),
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
        // The server's words: a few of them (a header can be long).
        let ct: String = ct.chars().take(60).collect();
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
        assert_eq!(
            classify_send(201, &h, br#"{"request_id": "r-1"}"#).kind(),
            "accepted"
        );
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

    #[test]
    fn only_octopods_success_is_accepted() {
        let h = HeaderMap::new();
        // No request id: a captive portal's or a proxy's own JSON, an empty object.
        for body in [
            &b"{}"[..],
            br#"{"request_id": ""}"#,
            br#"{"request_id": "   "}"#,
            br#"{"request_id": null, "message_id": 7}"#,
            br#"{"status": "ok"}"#,
            br#"[{"request_id": "r"}]"#,
            b"",
        ] {
            let outcome = classify_send(201, &h, body);
            assert_eq!(
                outcome.kind(),
                "unknown",
                "{:?} gave {outcome:?}",
                String::from_utf8_lossy(body)
            );
        }
        // Another 2xx with Octopods' reply is Octopods saying it took the message.
        assert_eq!(
            classify_send(200, &h, br#"{"request_id": "r"}"#).kind(),
            "accepted"
        );
        assert_eq!(classify_send(204, &h, b"").kind(), "unknown");
    }

    #[test]
    fn status_classification() {
        let h = HeaderMap::new();
        assert!(classify_status(200, &h, br#"{"status": "sent"}"#).is_ok());
        assert_eq!(
            classify_status(401, &h, b""),
            Err(StatusError::Unauthorized)
        );
        assert!(matches!(
            classify_status(200, &h, b"<html>"),
            Err(StatusError::Unavailable {
                http_status: Some(200),
                ..
            })
        ));
        assert!(matches!(
            classify_status(400, &h, br#"{"error_code": 7}"#),
            Err(StatusError::Rejected(_))
        ));
    }
}

#[cfg(test)]
mod props;

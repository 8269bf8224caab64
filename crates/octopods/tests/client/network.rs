//! The network's own failures, on loopback (issue 12): each says in plain words which it was,
//! and an answer far longer than Octopods' is not read to its end.

use std::sync::Arc;
use std::time::Duration;

use octopods::{ApiKey, Client, SendOutcome, SendRequest, StatusError, MAX_ANSWER_BYTES};
use octopods_sim::PRACTICE_KEY;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::MOBILE;

/// What a streaming server offers: far more than the cap.
const OFFERED: usize = 50 * 1024 * 1024;

fn client(base_url: &str) -> Client {
    Client::new(base_url, &ApiKey::new(PRACTICE_KEY).expect("key")).expect("client")
}

fn not_sent_reason(outcome: &SendOutcome) -> &str {
    match outcome {
        SendOutcome::NotSent { reason } => reason,
        other => panic!("not sent, got {other:?}"),
    }
}

/// Words a receptionist should never be shown.
fn assert_plain(reason: &str) {
    for technical in [
        "os error",
        "tcp connect",
        "client error",
        "dns error",
        "tunnel",
        "rustls",
        "UnknownIssuer",
        "://",
    ] {
        assert!(!reason.contains(technical), "{technical:?} in {reason:?}");
    }
}

#[tokio::test]
async fn a_refused_connection_says_so_and_was_not_sent() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let outcome = client(&format!("http://{addr}"))
        .send(&SendRequest::new(MOBILE, "Hello"))
        .await;
    let reason = not_sent_reason(&outcome);
    assert!(
        reason.starts_with("The connection to 127.0.0.1 was refused"),
        "{reason}"
    );
    assert_plain(reason);
    assert!(outcome.is_safe_to_retry());
}

#[tokio::test]
async fn an_unknown_name_says_dns_and_was_not_sent() {
    let outcome = client("https://nowhere.invalid")
        .send(&SendRequest::new(MOBILE, "Hello"))
        .await;
    let reason = not_sent_reason(&outcome);
    assert_eq!(
        reason,
        "Could not find nowhere.invalid on the network (DNS): check the internet connection and the server address."
    );
    let status = client("https://nowhere.invalid").status("1").await;
    let Err(StatusError::Unavailable { reason, .. }) = status else {
        panic!("unavailable, got {status:?}");
    };
    assert!(
        reason.starts_with("Could not find nowhere.invalid"),
        "{reason}"
    );
}

/// An HTTPS server on loopback whose certificate (for 127.0.0.1) is signed by nobody this
/// computer trusts. Counts the handshakes that completed.
async fn untrusted_https_server() -> (String, Arc<std::sync::atomic::AtomicUsize>) {
    let rcgen::CertifiedKey { cert, signing_key } =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).expect("certificate");
    let key = rustls::pki_types::PrivatePkcs8KeyDer::from(signing_key.serialize_der());
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("TLS versions")
    .with_no_client_auth()
    .with_single_cert(vec![cert.der().clone()], key.into())
    .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let handshakes = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = Arc::clone(&handshakes);
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let counted = Arc::clone(&counted);
            tokio::spawn(async move {
                if let Ok(mut tls) = acceptor.accept(tcp).await {
                    counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let _ = tls.shutdown().await;
                }
            });
        }
    });
    (format!("https://{addr}"), handshakes)
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused_in_plain_words() {
    let (base_url, handshakes) = untrusted_https_server().await;
    let outcome = client(&base_url)
        .send(&SendRequest::new(MOBILE, "Hello"))
        .await;
    let reason = not_sent_reason(&outcome);
    assert_eq!(
        reason,
        "127.0.0.1's security certificate is not trusted by this computer (a network that inspects secure traffic needs its certificate installed by IT), so SMS Desk did not connect."
    );
    assert!(outcome.is_safe_to_retry(), "nothing was sent");
    assert_eq!(
        handshakes.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "the connection never became a secure one, so no request was written"
    );
}

/// Reads one request's head (up to the blank line).
async fn read_head(tcp: &mut TcpStream) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match tcp.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
}

/// A server that answers the first request with `status` and a body of [`OFFERED`] bytes that
/// is, whole, a valid Octopods reply (so only the cap stops it being read as one): chunked, or
/// with its `Content-Length`. The task's result is how many body bytes it could write before
/// the client went away.
async fn streaming_server(status: &str, chunked: bool) -> (String, tokio::task::JoinHandle<usize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let status = status.to_owned();
    let task = tokio::spawn(async move {
        let (mut tcp, _) = listener.accept().await.expect("accept");
        read_head(&mut tcp).await;
        let opening = br#"{"request_id": "r-1", "message_id": 1, "status": "delivered", "pad": ""#;
        let closing = br#""}"#;
        let framing = if chunked {
            "Transfer-Encoding: chunked".to_owned()
        } else {
            format!("Content-Length: {OFFERED}")
        };
        let head =
            format!("HTTP/1.1 {status}\r\nContent-Type: application/json\r\n{framing}\r\n\r\n");
        if tcp.write_all(head.as_bytes()).await.is_err() {
            return 0;
        }
        let pad = vec![b'x'; 64 * 1024];
        let mut written = 0;
        while written < OFFERED {
            let part: Vec<u8> = if written == 0 {
                opening.to_vec()
            } else if written + pad.len() + closing.len() >= OFFERED {
                let mut last = vec![b'x'; OFFERED - written - closing.len()];
                last.extend_from_slice(closing);
                last
            } else {
                pad.clone()
            };
            let sent = if chunked {
                let mut framed = format!("{:x}\r\n", part.len()).into_bytes();
                framed.extend_from_slice(&part);
                framed.extend_from_slice(b"\r\n");
                tcp.write_all(&framed).await
            } else {
                tcp.write_all(&part).await
            };
            if sent.is_err() {
                return written;
            }
            written += part.len();
        }
        if chunked {
            let _ = tcp.write_all(b"0\r\n\r\n").await;
        }
        let _ = tcp.flush().await;
        written
    });
    (format!("http://{addr}"), task)
}

/// The start of `value`'s `Debug`: a failure here must not print the 50 MB it was offered.
fn brief(value: &impl std::fmt::Debug) -> String {
    format!("{value:?}").chars().take(400).collect()
}

/// The server's count, once the client has gone (a hang here is the client still reading).
async fn written(task: tokio::task::JoinHandle<usize>) -> usize {
    tokio::time::timeout(Duration::from_secs(120), task)
        .await
        .expect("the server stopped writing: the client closed the connection")
        .expect("server task")
}

#[tokio::test]
async fn a_send_answer_far_longer_than_octopods_is_unknown_and_not_read_to_its_end() {
    let (base_url, server) = streaming_server("201 Created", true).await;
    let outcome = client(&base_url)
        .send(&SendRequest::new(MOBILE, "Hello"))
        .await;
    let expected = SendOutcome::Unknown {
        http_status: Some(201),
        reason: "The server's answer was far longer than Octopods' (over 64 KB), so SMS Desk cannot tell whether the message was sent.".into(),
    };
    assert!(outcome == expected, "{}", brief(&outcome));
    let written = written(server).await;
    assert!(
        written < OFFERED / 4,
        "the server wrote {written} of the {OFFERED} bytes it offered"
    );
    assert!(written > MAX_ANSWER_BYTES, "the client read up to the cap");
}

#[tokio::test]
async fn a_status_answer_far_longer_than_octopods_is_unavailable_and_not_read() {
    let (base_url, server) = streaming_server("200 OK", false).await;
    let status = client(&base_url).status("1").await;
    let expected = Err(StatusError::Unavailable {
        http_status: Some(200),
        reason: "The server's answer was far longer than Octopods' (over 64 KB), so it was not read as a delivery status.".into(),
    });
    assert!(status == expected, "{}", brief(&status));
    let written = written(server).await;
    assert!(
        written < OFFERED / 4,
        "the server wrote {written} of the {OFFERED} bytes it offered"
    );
}

#[tokio::test]
async fn a_chunked_status_answer_past_the_cap_is_unavailable() {
    let (base_url, server) = streaming_server("200 OK", true).await;
    let status = client(&base_url).status("1").await;
    assert!(
        matches!(status, Err(StatusError::Unavailable { http_status: Some(200), ref reason }) if reason.contains("over 64 KB")),
        "{}",
        brief(&status)
    );
    assert!(written(server).await < OFFERED / 4);
}

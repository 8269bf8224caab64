//! The computer's own trust store and proxy settings (issue 12), through the real binary: each
//! case sets `SSL_CERT_FILE`, `HTTPS_PROXY`, `NO_PROXY` on the child only. The simulator stands
//! behind a TLS front written here, with a private CA made for the test; a CONNECT proxy on
//! loopback is the only way to the name `sms.test`.

use std::net::SocketAddr;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use octopods_sim::PRACTICE_KEY;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::{code, json_lines, run, stderr, stdout, Env, MOBILE};

/// The exit code of a message that was not sent (args.rs).
const NOT_SENT: i32 = 5;
const PASSWORD: &str = "s3cretpw";
/// `Proxy-Authorization` for `user:s3cretpw`.
const PROXY_AUTHORIZATION: &str = "Basic dXNlcjpzM2NyZXRwdw==";

const UNTRUSTED_127: &str = "127.0.0.1's security certificate is not trusted by this computer (a network that inspects secure traffic needs its certificate installed by IT), so SMS Desk did not connect.";
const PROXY_PASSWORD: &str = "The proxy server asked for a password (HTTP 407) and did not accept what this computer's proxy settings give it: ask IT to check the proxy user name and password.";

/// A private certificate authority, its certificate in a PEM file (for `SSL_CERT_FILE`), and
/// the TLS server configuration of a leaf it signed for `sms.test`, `localhost` and 127.0.0.1.
struct Pki {
    ca_file: std::path::PathBuf,
    server: Arc<rustls::ServerConfig>,
    _dir: tempfile::TempDir,
}

impl Pki {
    fn new() -> Self {
        use rcgen::{
            BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer,
            KeyPair, KeyUsagePurpose,
        };
        let ca_key = KeyPair::generate().expect("CA key");
        let mut ca = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, "SMS Desk test inspection CA");
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_cert = ca.self_signed(&ca_key).expect("CA certificate");
        let issuer = Issuer::new(ca, ca_key);

        let leaf_key = KeyPair::generate().expect("leaf key");
        let mut leaf = CertificateParams::new(vec![
            "sms.test".to_owned(),
            "localhost".to_owned(),
            "127.0.0.1".to_owned(),
        ])
        .expect("leaf params");
        leaf.distinguished_name.push(DnType::CommonName, "sms.test");
        leaf.use_authority_key_identifier_extension = true;
        leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let leaf_cert = leaf
            .signed_by(&leaf_key, &issuer)
            .expect("leaf certificate");

        let dir = tempfile::tempdir().expect("temp dir");
        let ca_file = dir.path().join("inspection-ca.pem");
        std::fs::write(&ca_file, ca_cert.pem()).expect("write the CA");
        let key = rustls::pki_types::PrivatePkcs8KeyDer::from(leaf_key.serialize_der());
        let server = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf_cert.der().clone(), ca_cert.der().clone()],
            key.into(),
        )
        .expect("server config");
        Self {
            ca_file,
            server: Arc::new(server),
            _dir: dir,
        }
    }
}

/// TLS in front of the simulator: each connection whose handshake succeeds is forwarded to it.
async fn tls_front(pki: &Pki, sim_base_url: &str) -> SocketAddr {
    let sim: SocketAddr = sim_base_url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .expect("the simulator is on an IP address");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::clone(&pki.server));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                if let Ok(mut upstream) = TcpStream::connect(sim).await {
                    let _ = tokio::io::copy_bidirectional(&mut tls, &mut upstream).await;
                }
            });
        }
    });
    addr
}

/// What a test proxy does with a CONNECT.
#[derive(Clone, Copy)]
enum ProxyMode {
    /// Opens the tunnel; it alone knows that `sms.test` is this address.
    Tunnel { sms_test: SocketAddr },
    /// Answers 407 Proxy Authentication Required, whatever credentials came.
    WantsPassword,
}

/// A CONNECT proxy on loopback; `seen` holds the head of each request it received.
struct Proxy {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Proxy {
    async fn start(mode: ProxyMode) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                tokio::spawn(proxy_connection(tcp, mode, Arc::clone(&log)));
            }
        });
        Self { addr, seen }
    }

    fn url_with_password(&self) -> String {
        format!("http://user:{PASSWORD}@{}", self.addr)
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().expect("proxy log").clone()
    }
}

async fn proxy_connection(mut tcp: TcpStream, mode: ProxyMode, seen: Arc<Mutex<Vec<String>>>) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match tcp.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    seen.lock().expect("proxy log").push(head.clone());
    match mode {
        ProxyMode::WantsPassword => {
            let _ = tcp
                .write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"clinic\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .await;
        }
        ProxyMode::Tunnel { sms_test } => {
            let target = head
                .strip_prefix("CONNECT ")
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|authority| authority.rsplit_once(':'))
                .filter(|(host, _)| *host == "sms.test")
                .map(|(_, port)| SocketAddr::new(sms_test.ip(), port.parse().unwrap_or(0)));
            let Some(target) = target else {
                let _ = tcp
                    .write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
                    .await;
                return;
            };
            let Ok(mut upstream) = TcpStream::connect(target).await else {
                return;
            };
            if tcp
                .write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")
                .await
                .is_ok()
            {
                let _ = tokio::io::copy_bidirectional(&mut tcp, &mut upstream).await;
            }
        }
    }
}

/// The value of the header `name` (any case) in a request head.
fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim()
            .eq_ignore_ascii_case(name)
            .then_some(value.trim())
    })
}

/// `smsdesk send --json` with the test's key, at `base_url`, and no proxy or certificate
/// settings but those the case adds.
fn send_to(env: &Env, base_url: &str, extra: impl FnOnce(&mut Command)) -> Output {
    let mut cmd = env.cmd();
    for var in [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("OCTOPODS_API_KEY", PRACTICE_KEY).args([
        "send",
        "--json",
        "--base-url",
        base_url,
        "--to",
        MOBILE,
        "--body",
        "Hi",
    ]);
    extra(&mut cmd);
    run(&mut cmd)
}

fn the_line(output: &Output) -> serde_json::Value {
    let mut lines = json_lines(output);
    assert_eq!(lines.len(), 1, "one JSON line: {output:?}");
    lines.remove(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_ca_in_the_computers_trust_store_is_trusted() {
    let env = Env::new().await;
    let pki = Pki::new();
    let front = tls_front(&pki, &env.sim.base_url()).await;
    let output = send_to(&env, &format!("https://{front}"), |cmd| {
        cmd.env("SSL_CERT_FILE", &pki.ca_file);
    });
    assert_eq!(code(&output), 0, "{output:?}");
    assert_eq!(the_line(&output)["outcome"], "accepted");
    assert_eq!(env.sim.requests().len(), 1, "the simulator received it");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_the_computer_does_not_trust_is_refused_in_plain_words() {
    let env = Env::new().await;
    let pki = Pki::new();
    let front = tls_front(&pki, &env.sim.base_url()).await;
    // The system's own store (no SSL_CERT_FILE): the private CA is not in it.
    let output = send_to(&env, &format!("https://{front}"), |_| {});
    assert_eq!(code(&output), NOT_SENT, "{output:?}");
    let line = the_line(&output);
    assert_eq!(line["outcome"], "not_sent");
    assert_eq!(line["error"], UNTRUSTED_127);
    assert!(
        env.sim.requests().is_empty(),
        "no request reached the server"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_proxy_is_used_and_reaches_a_name_only_it_knows() {
    let env = Env::new().await;
    let pki = Pki::new();
    let front = tls_front(&pki, &env.sim.base_url()).await;
    let proxy = Proxy::start(ProxyMode::Tunnel { sms_test: front }).await;
    let base_url = format!("https://sms.test:{}", front.port());
    let output = send_to(&env, &base_url, |cmd| {
        cmd.env("SSL_CERT_FILE", &pki.ca_file)
            .env("HTTPS_PROXY", proxy.url_with_password());
    });
    assert_eq!(code(&output), 0, "{output:?}");
    assert_eq!(the_line(&output)["outcome"], "accepted");
    assert_eq!(env.sim.requests().len(), 1, "the simulator received it");
    let seen = proxy.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(
        seen[0].starts_with(&format!("CONNECT sms.test:{} HTTP/1.1\r\n", front.port())),
        "{seen:?}"
    );
    assert!(
        header(&seen[0], "proxy-authorization") == Some(PROXY_AUTHORIZATION),
        "the proxy's user and password went to the proxy: {seen:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proxy_that_asks_for_a_password_says_so_and_the_password_is_never_shown() {
    let env = Env::new().await;
    let pki = Pki::new();
    let proxy = Proxy::start(ProxyMode::WantsPassword).await;
    let with_proxy = |cmd: &mut Command| {
        cmd.env("SSL_CERT_FILE", &pki.ca_file)
            .env("HTTPS_PROXY", proxy.url_with_password());
    };
    let output = send_to(&env, "https://sms.test:443", with_proxy);
    assert_eq!(code(&output), NOT_SENT, "{output:?}");
    let line = the_line(&output);
    assert_eq!(line["outcome"], "not_sent");
    assert_eq!(line["error"], PROXY_PASSWORD);
    assert!(!proxy.seen().is_empty(), "the proxy was asked");
    assert!(env.sim.requests().is_empty());

    // The same send in words, and the history in JSON: the password is nowhere.
    let mut cmd = env.cmd();
    cmd.env("OCTOPODS_API_KEY", PRACTICE_KEY)
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .args([
            "send",
            "--base-url",
            "https://sms.test:443",
            "--to",
            MOBILE,
            "--body",
            "Hi",
        ]);
    with_proxy(&mut cmd);
    let words = run(&mut cmd);
    assert_eq!(code(&words), NOT_SENT, "{words:?}");
    let history = run(env.cmd().args(["history", "--json"]));
    assert_eq!(code(&history), 0, "{history:?}");
    assert!(
        stdout(&history).contains("HTTP 407"),
        "the history keeps the reason: {}",
        stdout(&history)
    );
    for out in [&output, &words, &history] {
        for text in [stdout(out), stderr(out)] {
            assert!(!text.contains(PASSWORD), "the proxy password shows: {text}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_proxy_and_this_computers_own_address_go_around_the_proxy() {
    let env = Env::new().await;
    let pki = Pki::new();
    let front = tls_front(&pki, &env.sim.base_url()).await;
    // A proxy that would refuse everything: a send that went through it would fail.
    let proxy = Proxy::start(ProxyMode::WantsPassword).await;
    let by_name = send_to(
        &env,
        &format!("https://localhost:{}", front.port()),
        |cmd| {
            cmd.env("SSL_CERT_FILE", &pki.ca_file)
                .env("HTTPS_PROXY", proxy.url_with_password())
                .env("NO_PROXY", "localhost");
        },
    );
    assert_eq!(code(&by_name), 0, "NO_PROXY names it: {by_name:?}");
    let by_number = send_to(&env, &format!("https://{front}"), |cmd| {
        cmd.env("SSL_CERT_FILE", &pki.ca_file)
            .env("HTTPS_PROXY", proxy.url_with_password());
    });
    assert_eq!(
        code(&by_number),
        0,
        "this computer by its number (the Practice server) never goes through a proxy: {by_number:?}"
    );
    assert!(proxy.seen().is_empty(), "{:?}", proxy.seen());
    assert_eq!(env.sim.requests().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proxy_that_refuses_the_connection_says_so() {
    let env = Env::new().await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = closed.local_addr().expect("addr").port();
    drop(closed);
    let output = send_to(&env, "https://sms.test:443", |cmd| {
        cmd.env(
            "HTTPS_PROXY",
            format!("http://user:{PASSWORD}@127.0.0.1:{port}"),
        );
    });
    assert_eq!(code(&output), NOT_SENT, "{output:?}");
    let line = the_line(&output);
    assert_eq!(
        line["error"],
        "The proxy server refused the connection: check this computer's proxy settings (or ask IT)."
    );
    assert!(!stdout(&output).contains(PASSWORD));
}

//! What went wrong on the way to the server, in plain words: the cause of a `reqwest` error
//! (its chain of sources) read into one [`Failure`], and words for it that never carry a URL, a
//! proxy's user name or password, or the error's technical text (except, redacted, for a cause
//! SMS Desk does not know).

use std::error::Error as StdError;
use std::io;
use std::time::Duration;

/// What stopped a request, as far as the error's causes tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The server's name could not be looked up.
    Dns,
    /// Nothing accepts connections at the address (or a firewall said no).
    Refused,
    /// This computer has no route to the server.
    Unreachable,
    /// The server's certificate was not accepted.
    Certificate(CertProblem),
    /// The secure connection could not be set up for another reason.
    Secure,
    /// The proxy answered 407: it wants a user name and password it did not get or refused.
    ProxyPassword,
    /// The proxy would not open the way to the server (it answered CONNECT with an error).
    ProxyRefusedServer,
    /// The proxy itself refused the connection.
    ProxyRefused,
    /// The proxy could not be found or did not answer.
    ProxyUnreachable,
    /// The proxy ended the connection while it was being set up.
    ProxyBroke,
    /// A time limit passed (which one, the caller knows).
    Timeout,
    /// Anything else: the error's own words, redacted.
    Other(String),
}

/// Why a certificate was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CertProblem {
    /// Not signed by an authority this computer trusts (a private or inspecting proxy's CA).
    Untrusted,
    /// Expired, or not valid yet (often: the computer's clock is wrong).
    Expired,
    /// Made out to another name than the server address.
    OtherName,
    /// Revoked, or otherwise unusable.
    Invalid,
}

/// Reads the causes of `e`: the proxy first (a failure behind it is the proxy's to explain),
/// then the certificate, the name lookup, the connection, the clock.
pub(crate) fn failure(e: &reqwest::Error) -> Failure {
    let top: &(dyn StdError + 'static) = e;
    let mut tunnel: Option<String> = None;
    let mut tls: Option<Failure> = None;
    let mut refused = false;
    let mut unreachable = false;
    let mut timed_out = e.is_timeout();
    for cause in chain(top).flat_map(wrapped) {
        let text = cause.to_string();
        // hyper-util's tunnel error (the CONNECT to a proxy) is not public: its words are.
        if tunnel.is_none() && text.starts_with("tunnel error") {
            tunnel = Some(text.clone());
        }
        if let Some(io) = cause.downcast_ref::<io::Error>() {
            match io.kind() {
                io::ErrorKind::ConnectionRefused => refused = true,
                io::ErrorKind::NetworkUnreachable | io::ErrorKind::HostUnreachable => {
                    unreachable = true
                }
                io::ErrorKind::TimedOut => timed_out = true,
                _ => {}
            }
        }
        if let Some(inner) = cause.downcast_ref::<rustls::Error>() {
            tls = tls.or_else(|| Some(tls_failure(inner)));
        }
    }
    if let Some(tunnel) = tunnel {
        return if tunnel.contains("proxy authorization required") {
            Failure::ProxyPassword
        } else if tunnel.contains("unsuccessful") {
            Failure::ProxyRefusedServer
        } else if refused {
            Failure::ProxyRefused
        } else if tunnel.contains("failed to create underlying connection")
            || e.is_dns()
            || timed_out
            || unreachable
        {
            Failure::ProxyUnreachable
        } else {
            Failure::ProxyBroke
        };
    }
    if let Some(tls) = tls {
        return tls;
    }
    if e.is_dns() {
        Failure::Dns
    } else if refused {
        Failure::Refused
    } else if unreachable {
        Failure::Unreachable
    } else if timed_out {
        Failure::Timeout
    } else {
        Failure::Other(redact(&causes(top)))
    }
}

fn tls_failure(e: &rustls::Error) -> Failure {
    use rustls::CertificateError as C;
    match e {
        rustls::Error::InvalidCertificate(c) => Failure::Certificate(match c {
            C::UnknownIssuer | C::BadSignature | C::UnhandledCriticalExtension => {
                CertProblem::Untrusted
            }
            C::Expired
            | C::ExpiredContext { .. }
            | C::NotValidYet
            | C::NotValidYetContext { .. } => CertProblem::Expired,
            C::NotValidForName | C::NotValidForNameContext { .. } => CertProblem::OtherName,
            _ => CertProblem::Invalid,
        }),
        _ => Failure::Secure,
    }
}

/// `e` and each of its sources, outermost first.
fn chain<'a>(
    e: &'a (dyn StdError + 'static),
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(e), |&e| e.source())
}

/// `e`, and the errors an `io::Error` wraps (its `source` skips them: hyper-rustls wraps
/// tokio-rustls' `io::Error`, which wraps rustls' error, in another `io::Error`).
fn wrapped<'a>(e: &'a (dyn StdError + 'static)) -> Vec<&'a (dyn StdError + 'static)> {
    let mut layers = vec![e];
    let mut current = e;
    while let Some(inner) = current
        .downcast_ref::<io::Error>()
        .and_then(|io| io.get_ref())
    {
        let inner: &(dyn StdError + 'static) = inner;
        layers.push(inner);
        current = inner;
    }
    layers
}

/// The causes' own words, without the outermost (which names the URL).
fn causes(e: &(dyn StdError + 'static)) -> String {
    let words: Vec<String> = chain(e).skip(1).map(|c| c.to_string()).collect();
    if words.is_empty() {
        e.to_string()
    } else {
        words.join(": ")
    }
}

/// The words for `failure` on the way to `host`. `connect` is the connection's time limit and
/// `overall` the whole exchange's; `before_sending` says whether the request had not been
/// written yet (a timeout then means no connection was made).
pub(crate) fn words(
    failure: &Failure,
    host: &str,
    before_sending: bool,
    connect: Duration,
    overall: Duration,
) -> String {
    match failure {
        Failure::Dns => format!(
            "Could not find {host} on the network (DNS): check the internet connection and the server address."
        ),
        Failure::Refused => format!(
            "The connection to {host} was refused: nothing answers at that address. Check the server address; if it is right, the server may be down, so try again later."
        ),
        Failure::Unreachable => format!(
            "This computer could not reach {host}: check the internet connection."
        ),
        Failure::Certificate(CertProblem::Untrusted) => format!(
            "{host}'s security certificate is not trusted by this computer (a network that inspects secure traffic needs its certificate installed by IT), so SMS Desk did not connect."
        ),
        Failure::Certificate(CertProblem::Expired) => format!(
            "{host}'s security certificate has expired or is not valid yet, so SMS Desk did not connect: check this computer's date and time."
        ),
        Failure::Certificate(CertProblem::OtherName) => format!(
            "{host}'s security certificate was made out to a different address, so SMS Desk did not connect: check the server address (a network that inspects secure traffic needs its certificate installed by IT)."
        ),
        Failure::Certificate(CertProblem::Invalid) => format!(
            "{host}'s security certificate cannot be used (it may have been withdrawn), so SMS Desk did not connect."
        ),
        Failure::Secure => format!(
            "A secure connection to {host} could not be set up: check that the server address is right and starts with https://."
        ),
        Failure::ProxyPassword => "The proxy server asked for a password (HTTP 407) and did not accept what this computer's proxy settings give it: ask IT to check the proxy user name and password.".to_owned(),
        Failure::ProxyRefusedServer => format!(
            "The proxy server would not connect to {host}: ask IT to allow it, and check the server address."
        ),
        Failure::ProxyRefused => "The proxy server refused the connection: check this computer's proxy settings (or ask IT).".to_owned(),
        Failure::ProxyUnreachable => "The proxy server could not be reached: check this computer's proxy settings (or ask IT) and the internet connection.".to_owned(),
        Failure::ProxyBroke => format!(
            "The proxy server closed the connection before it reached {host}: check this computer's proxy settings (or ask IT)."
        ),
        Failure::Timeout if before_sending => format!(
            "Could not connect to {host} within {} seconds: check the internet connection, then try again.",
            connect.as_secs()
        ),
        Failure::Timeout => format!(
            "No answer from {host} within {} seconds.",
            overall.as_secs()
        ),
        Failure::Other(detail) if before_sending => {
            format!("Could not connect to {host} ({detail}).")
        }
        Failure::Other(detail) => format!("The connection to {host} broke ({detail})."),
    }
}

/// `text` without web addresses (they may carry a user name and password, `user:pw@host`) and
/// without the passwords of the proxies named in this process's environment.
pub(crate) fn redact(text: &str) -> String {
    let mut out: String = text
        .split_inclusive(char::is_whitespace)
        .map(|token| {
            let word = token.trim_end_matches(char::is_whitespace);
            if word.contains("://") || word.contains('@') {
                let space = &token[word.len()..];
                format!("[address]{space}")
            } else {
                token.to_owned()
            }
        })
        .collect();
    for secret in proxy_secrets() {
        out = out.replace(&secret, "[redacted]");
    }
    out
}

/// The user names and passwords in the proxy variables, as written and percent-decoded. Short
/// ones are left out: replacing every "ab" in a sentence would hide nothing and garble it.
fn proxy_secrets() -> Vec<String> {
    const VARS: [&str; 6] = [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
    ];
    let mut secrets = Vec::new();
    for var in VARS {
        let Some(value) = std::env::var_os(var) else {
            continue;
        };
        let value = value.to_string_lossy();
        let Some((before, _host)) = value.rsplit_once('@') else {
            continue;
        };
        let userinfo = before.split_once("://").map_or(before, |(_, u)| u);
        for part in userinfo.split(':').chain(std::iter::once(userinfo)) {
            let decoded = percent_decode(part);
            for s in [part.to_owned(), decoded] {
                if s.chars().count() >= 4 && !secrets.contains(&s) {
                    secrets.push(s);
                }
            }
        }
    }
    // The longest first, so that `user:password` goes before `password` would cut it.
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    secrets
}

fn percent_decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", text.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_their_passwords_are_redacted() {
        let text = "error sending request for url (http://user:s3cretpw@127.0.0.1:9/x): tunnel error, via user:s3cretpw@proxy:8080 now";
        let out = redact(text);
        assert!(!out.contains("s3cretpw"), "{out}");
        assert!(!out.contains("127.0.0.1:9"), "{out}");
        assert!(out.ends_with("via [address] now"), "{out}");
        assert_eq!(
            redact("connection reset by peer"),
            "connection reset by peer"
        );
    }

    #[test]
    fn percent_encoded_passwords_are_decoded() {
        assert_eq!(percent_decode("p%40ss%3Aw+rd"), "p@ss:w+rd");
    }

    #[test]
    fn a_timeout_before_sending_names_the_connection_limit() {
        let connect = Duration::from_secs(10);
        let overall = Duration::from_secs(30);
        let before = words(&Failure::Timeout, "h.example", true, connect, overall);
        assert!(before.contains("within 10 seconds"), "{before}");
        let after = words(&Failure::Timeout, "h.example", false, connect, overall);
        assert_eq!(after, "No answer from h.example within 30 seconds.");
    }
}

//! The team server's connection string: its password taken out (it goes to the keychain),
//! and a connection made with TLS verified by default.
//!
//! Both forms PostgreSQL documents are read: a URL (`postgresql://user:pw@host:5432/db?
//! sslmode=verify-full`) and key=value words (`host=db.example.org user=desk password=…`).
//! `sslmode` is `verify-full` unless the string says otherwise: the server's certificate must
//! be signed by an authority the operating system trusts (as for Octopods; `SSL_CERT_FILE` on
//! Linux) and name the host. `require`, `verify-ca` and `verify-full` are all verified (a
//! connection that is encrypted but could be anyone's protects nothing); `disable` (for a
//! server on this computer or a private network) connects in plain text and
//! [`Target::plain_text`] says so; `prefer` and `allow` are refused as ambiguous.

use std::time::Duration;

use tokio::sync::mpsc;
use tokio_postgres::config::SslMode;

use crate::error::{Error, Result};

/// A connection string split into what may be saved and the password.
#[derive(Clone, PartialEq, Eq)]
pub struct Target {
    /// The string without its password: what settings keep and the screen shows.
    pub without_password: String,
    password: Option<String>,
    plain_text: bool,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("without_password", &self.without_password)
            .field("password", &self.password.as_ref().map(|_| "[hidden]"))
            .finish()
    }
}

impl Target {
    /// Reads a connection string as typed.
    pub fn parse(typed: &str) -> Result<Self> {
        let typed = typed.trim();
        if typed.is_empty() {
            return Err(invalid("it is empty"));
        }
        let (without_password, password, sslmode) =
            if typed.starts_with("postgres://") || typed.starts_with("postgresql://") {
                split_url(typed)?
            } else {
                split_words(typed)?
            };
        let plain_text = match sslmode.as_deref() {
            None | Some("require" | "verify-ca" | "verify-full") => false,
            Some("disable") => true,
            Some(other) => {
                return Err(invalid(&format!(
                    "sslmode={other} is not used: write sslmode=verify-full (the default), or sslmode=disable for a server on this computer"
                )))
            }
        };
        let target = Target {
            without_password,
            password,
            plain_text,
        };
        target.config(None)?;
        Ok(target)
    }

    /// The string saved earlier, with the password from the keychain.
    pub fn saved(without_password: &str, password: Option<String>) -> Result<Self> {
        let mut target = Self::parse(without_password)?;
        target.password = password;
        Ok(target)
    }

    pub fn password(&self) -> Option<&str> {
        self.password.as_deref()
    }

    /// The connection is not encrypted (`sslmode=disable`).
    pub fn plain_text(&self) -> bool {
        self.plain_text
    }

    fn config(&self, connect_timeout: Option<Duration>) -> Result<tokio_postgres::Config> {
        // tokio-postgres knows disable/prefer/require only: the mode is ours to apply.
        let text = strip_sslmode(&self.without_password);
        let mut config: tokio_postgres::Config = text
            .parse()
            .map_err(|e: tokio_postgres::Error| invalid(&e.to_string()))?;
        if let Some(password) = &self.password {
            config.password(password.as_bytes());
        }
        config.ssl_mode(if self.plain_text {
            SslMode::Disable
        } else {
            SslMode::Require
        });
        if let Some(timeout) = connect_timeout {
            config.connect_timeout(timeout);
        }
        config.application_name("SMS Desk");
        Ok(config)
    }

    /// Connects (within `timeout`); the connection's task runs on the current runtime.
    pub async fn connect(&self, timeout: Duration) -> Result<tokio_postgres::Client> {
        let config = self.config(Some(timeout))?;
        let attempt = async {
            if self.plain_text {
                let (client, connection) = config
                    .connect(tokio_postgres::NoTls)
                    .await
                    .map_err(unreachable)?;
                tokio::spawn(connection);
                Ok::<_, Error>(client)
            } else {
                let (client, connection) = config.connect(tls()?).await.map_err(unreachable)?;
                tokio::spawn(connection);
                Ok(client)
            }
        };
        tokio::time::timeout(timeout, attempt)
            .await
            .map_err(|_| Error::TeamUnreachable {
                reason: format!("no answer within {} seconds", timeout.as_secs()),
            })?
    }
}

/// The channel desks tell each other on that they pushed a change (the payload: the desk's
/// id), so that a desk that listens pulls it within seconds.
pub const CHANNEL: &str = "smsdesk_team";

/// A connection that listens on [`CHANNEL`]. It lasts as long as this value.
pub struct Listening {
    _client: tokio_postgres::Client,
    told: mpsc::UnboundedReceiver<String>,
}

impl Listening {
    /// The next desk id told on the channel; `None` once the connection has ended (the server
    /// went away, or the network).
    pub async fn next(&mut self) -> Option<String> {
        self.told.recv().await
    }
}

impl Target {
    /// Connects (within `timeout`) and listens on [`CHANNEL`].
    pub async fn listen(&self, timeout: Duration) -> Result<Listening> {
        let config = self.config(Some(timeout))?;
        let (tx, told) = mpsc::unbounded_channel();
        let attempt = async {
            let client = if self.plain_text {
                let (client, connection) = config
                    .connect(tokio_postgres::NoTls)
                    .await
                    .map_err(unreachable)?;
                tokio::spawn(forward(connection, tx));
                client
            } else {
                let (client, connection) = config.connect(tls()?).await.map_err(unreachable)?;
                tokio::spawn(forward(connection, tx));
                client
            };
            client
                .batch_execute(&format!("LISTEN {CHANNEL}"))
                .await
                .map_err(unreachable)?;
            Ok::<_, Error>(client)
        };
        let client = tokio::time::timeout(timeout, attempt).await.map_err(|_| {
            Error::TeamUnreachable {
                reason: format!("no answer within {} seconds", timeout.as_secs()),
            }
        })??;
        Ok(Listening {
            _client: client,
            told,
        })
    }
}

/// Drives a listening connection, handing each notification's payload on; ends with it.
async fn forward<S, T>(
    mut connection: tokio_postgres::Connection<S, T>,
    tx: mpsc::UnboundedSender<String>,
) where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    loop {
        match futures_util::future::poll_fn(|cx| connection.poll_message(cx)).await {
            Some(Ok(tokio_postgres::AsyncMessage::Notification(n))) => {
                if tx.send(n.payload().to_owned()).is_err() {
                    return;
                }
            }
            Some(Ok(_)) => {}
            Some(Err(_)) | None => return,
        }
    }
}

/// The OS certificate store, as for Octopods.
fn tls() -> Result<tokio_postgres_rustls::MakeRustlsConnect> {
    use rustls_platform_verifier::ConfigVerifierExt;
    octopods::install_tls_provider();
    let config =
        rustls::ClientConfig::with_platform_verifier().map_err(|e| Error::TeamUnreachable {
            reason: format!("the certificate store could not be read ({e})"),
        })?;
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

fn unreachable(e: tokio_postgres::Error) -> Error {
    Error::TeamUnreachable { reason: plain(&e) }
}

/// A server error's words without anything that could hold the password (tokio-postgres
/// never puts it in an error; the connection string is not in one either).
pub(crate) fn plain(e: &tokio_postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return crate::text_safety::from_server(db.message()).into_owned();
    }
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text = format!("{text}: {cause}");
        source = cause.source();
    }
    crate::text_safety::from_server(&text).into_owned()
}

fn invalid(why: &str) -> Error {
    Error::TeamConnectionString {
        reason: why.to_owned(),
    }
}

/// A URL without its password, the password, and `sslmode` if given.
fn split_url(typed: &str) -> Result<(String, Option<String>, Option<String>)> {
    let mut url = url::Url::parse(typed).map_err(|e| invalid(&e.to_string()))?;
    let password = url.password().map(percent_decode).transpose()?;
    if password.is_some() {
        url.set_password(None)
            .map_err(|()| invalid("the password cannot be taken out of it"))?;
    }
    let sslmode = url
        .query_pairs()
        .find(|(k, _)| k == "sslmode")
        .map(|(_, v)| v.into_owned());
    Ok((url.to_string(), password, sslmode))
}

fn percent_decode(text: &str) -> Result<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).map_err(|_| invalid("the password is not valid UTF-8"))
}

/// key=value words without `password=…`, the password, and `sslmode` if given.
fn split_words(typed: &str) -> Result<(String, Option<String>, Option<String>)> {
    let mut kept = Vec::new();
    let mut password = None;
    let mut sslmode = None;
    for (key, value, raw) in words(typed)? {
        match key.as_str() {
            "password" => password = Some(value),
            "sslmode" => {
                sslmode = Some(value);
                kept.push(raw);
            }
            _ => kept.push(raw),
        }
    }
    Ok((kept.join(" "), password, sslmode))
}

/// The `key=value` words (values may be 'quoted', with \' and \\ inside), each with its text.
fn words(typed: &str) -> Result<Vec<(String, String, String)>> {
    let mut out = Vec::new();
    let mut chars = typed.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Ok(out);
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && !c.is_whitespace()) {
            key.push(c);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.next() != Some('=') {
            return Err(invalid(&format!("\"{key}\" has no value (write {key}=…)")));
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        let mut raw_value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            raw_value.push('\'');
            loop {
                match chars.next() {
                    Some('\\') => {
                        let escaped = chars
                            .next()
                            .ok_or_else(|| invalid("a quote is never closed"))?;
                        value.push(escaped);
                        raw_value.push('\\');
                        raw_value.push(escaped);
                    }
                    Some('\'') => {
                        raw_value.push('\'');
                        break;
                    }
                    Some(c) => {
                        value.push(c);
                        raw_value.push(c);
                    }
                    None => return Err(invalid("a quote is never closed")),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                value.push(c);
                raw_value.push(c);
            }
        }
        let raw = format!("{key}={raw_value}");
        out.push((key.to_ascii_lowercase(), value, raw));
    }
}

/// The string without `sslmode` (tokio-postgres refuses verify-full): the mode is applied
/// separately.
fn strip_sslmode(text: &str) -> String {
    if text.starts_with("postgres://") || text.starts_with("postgresql://") {
        match url::Url::parse(text) {
            Ok(mut url) => {
                let pairs: Vec<(String, String)> = url
                    .query_pairs()
                    .filter(|(k, _)| k != "sslmode")
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect();
                if pairs.is_empty() {
                    url.set_query(None);
                } else {
                    url.query_pairs_mut().clear().extend_pairs(pairs);
                }
                url.to_string()
            }
            Err(_) => text.to_owned(),
        }
    } else {
        words(text)
            .map(|w| {
                w.into_iter()
                    .filter(|(k, _, _)| k != "sslmode")
                    .map(|(_, _, raw)| raw)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_else(|_| text.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_taken_out_of_both_forms() {
        let url =
            Target::parse("postgresql://desk:s%40cret@db.example.org:5432/clinic").expect("url");
        assert_eq!(
            url.without_password,
            "postgresql://desk@db.example.org:5432/clinic"
        );
        assert_eq!(url.password(), Some("s@cret"));
        assert!(!url.plain_text(), "verified TLS by default");

        let words =
            Target::parse("host=db.example.org user=desk password='it''s' dbname=clinic").err();
        assert!(words.is_some(), "'' is no escape in libpq: \\' is");
        let words = Target::parse(r"host=db.example.org user=desk password='it\'s' dbname=clinic")
            .expect("words");
        assert_eq!(
            words.without_password,
            "host=db.example.org user=desk dbname=clinic"
        );
        assert_eq!(words.password(), Some("it's"));
        assert!(!format!("{words:?}").contains("it's"), "Debug hides it");
    }

    #[test]
    fn sslmode_is_verified_unless_disabled() {
        assert!(
            Target::parse("postgresql://desk@127.0.0.1/x?sslmode=disable")
                .expect("disable")
                .plain_text()
        );
        assert!(!Target::parse("host=h user=u sslmode=verify-full")
            .expect("verify-full")
            .plain_text());
        assert!(Target::parse("host=h user=u sslmode=prefer").is_err());
        assert!(Target::parse("").is_err());
        assert!(Target::parse("host").is_err());
    }
}

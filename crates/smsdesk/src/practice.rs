//! Practice mode: an Octopods-compatible server inside the app, on this computer only, so a
//! new user can try everything without a key and without texting anyone.
//!
//! It is a private simulator ([`Sim::start_private`]): it serves the two Octopods endpoints
//! only (what was sent and the faults are read and set in-process, through [`Practice::sim`],
//! never over HTTP), and only to requests for its own loopback address, so neither another
//! program on the computer nor a web page (through DNS rebinding) can read what was practised.

use octopods::{ApiKey, Client};
use octopods_sim::{Sim, SimConfig, MAGIC_NUMBERS, PRACTICE_KEY};

use crate::error::{Error, Result};

/// A running practice server.
pub struct Practice {
    sim: Sim,
    started_at: i64,
}

impl Practice {
    /// Starts the server on 127.0.0.1 with a free port; `started_at` is now (milliseconds
    /// since 1970): it knows only messages sent from then on.
    pub async fn start(started_at: i64) -> Result<Self> {
        let sim = Sim::start_private(SimConfig::default())
            .await
            .map_err(|e| Error::Practice(e.to_string()))?;
        Ok(Self { sim, started_at })
    }

    pub fn base_url(&self) -> String {
        self.sim.base_url()
    }

    /// A client for the practice channel.
    pub fn client(&self) -> Result<Client> {
        let key = ApiKey::new(PRACTICE_KEY)?;
        Ok(Client::new(&self.sim.base_url(), &key)?)
    }

    /// The numbers that make the practice server answer with each kind of failure.
    pub fn magic_numbers() -> &'static [(&'static str, &'static str)] {
        MAGIC_NUMBERS
    }

    /// When this server started (milliseconds since 1970): it knows only messages sent since.
    pub fn started_at(&self) -> i64 {
        self.started_at
    }

    /// The server itself, in-process: what it received ([`Sim::requests`]) and its faults.
    pub fn sim(&self) -> &Sim {
        &self.sim
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    use super::*;

    /// Sends `head` (request line and headers) to the practice server; answers the status code.
    async fn status_of(practice: &Practice, head: &str) -> u16 {
        let mut stream = TcpStream::connect(practice.sim().addr())
            .await
            .expect("connects");
        let request = format!("{head}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        stream
            .write_all(request.as_bytes())
            .await
            .expect("request written");
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.expect("an answer");
        let answer = String::from_utf8_lossy(&answer);
        answer
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or_else(|| panic!("not an HTTP answer: {answer:?}"))
    }

    #[tokio::test]
    async fn the_practice_server_has_no_admin_endpoints_and_answers_only_its_own_address() {
        let practice = Practice::start(0).await.expect("practice starts");
        let sent = practice
            .client()
            .expect("client")
            .send(&octopods::SendRequest::new("+15551234567", "Hi"))
            .await;
        assert_eq!(sent.kind(), "accepted", "{sent:?}");
        let port = practice.sim().addr().port();
        let own = format!("127.0.0.1:{port}");
        // What was practised is not readable, nor its faults settable, over HTTP.
        assert_eq!(
            status_of(
                &practice,
                &format!("GET /_sim/requests HTTP/1.1\r\nHost: {own}")
            )
            .await,
            404
        );
        assert_eq!(
            status_of(
                &practice,
                &format!("POST /_sim/faults HTTP/1.1\r\nHost: {own}")
            )
            .await,
            404
        );
        // A web page on a name pointed at 127.0.0.1 (DNS rebinding) is not answered.
        let rebound = format!(
            "GET /api/v1/sms/messages/{} HTTP/1.1\r\nHost: evil.example:{port}\r\nX-Octopods-Auth: {PRACTICE_KEY}",
            octopods_sim::FIRST_MESSAGE_ID
        );
        assert_eq!(status_of(&practice, &rebound).await, 421);
        // In-process, the app still sees what was sent (and only that).
        assert_eq!(practice.sim().requests().len(), 1);
    }
}

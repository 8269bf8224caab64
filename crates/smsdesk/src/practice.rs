//! Practice mode: an Octopods-compatible server inside the app, on this computer only, so a
//! new user can try everything without a key and without texting anyone.

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
        let sim = Sim::start(SimConfig::default())
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

    pub fn sim(&self) -> &Sim {
        &self.sim
    }
}

//! The domain crate against the simulator: the send path, the desk, and every error payload
//! a front end receives.

use std::sync::Mutex;
use std::time::Duration;

use std::sync::Arc;

use octopods::{ApiKey, Client};
use octopods_sim::{Fault, Sim, SimConfig, DEPRECATED_KEY, PRACTICE_KEY};
use smsdesk::desk::{Desk, DeskOptions};
use smsdesk::draft::Draft;
use smsdesk::history::tracking::PollPolicy;
use smsdesk::outbox::{self, RetryPolicy};
use smsdesk::report::SendReport;
use smsdesk::secrets::KeyStore;
use smsdesk::store::Store;
use smsdesk::time::{Pause, Sleeper};
use smsdesk::{Error, UserError};

mod bulk;
mod channels;
mod csv_props;
mod facade;
mod history;
mod inputs;
mod integrity;
mod props;
mod schedule;
mod team;
mod team_templates;
mod team_worker;
mod templates_files;
mod worker;

pub(crate) const MOBILE: &str = "+12015550123";

/// Asks about delivery at once, every time: tests never wait.
pub(crate) const NO_WAIT: PollPolicy = PollPolicy {
    first: Duration::ZERO,
    max: Duration::ZERO,
    give_up: Duration::from_secs(24 * 60 * 60),
};

/// A store in a temporary folder (kept while the folder lives).
pub(crate) fn temp_history() -> (tempfile::TempDir, Arc<Store>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let history = Store::open(dir.path()).expect("history");
    (dir, Arc::new(history))
}

/// A desk on a temporary folder with keys in memory and delivery asked about at once.
pub(crate) struct TestDesk {
    pub desk: Arc<Desk>,
    pub keys: KeyStore,
    pub dir: tempfile::TempDir,
}

impl TestDesk {
    pub fn new() -> Self {
        Self::with(|_| {})
    }

    /// With the options changed by `tune` (a clock, a sleeper, a listener...).
    pub fn with(tune: impl FnOnce(&mut DeskOptions)) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let keys = KeyStore::in_memory().expect("memory store");
        let mut options = DeskOptions::new(dir.path(), Ok(keys.clone()));
        options.poll = NO_WAIT;
        tune(&mut options);
        Self {
            desk: Arc::new(Desk::new(options)),
            keys,
            dir,
        }
    }

    /// Another desk on the same folder and keychain (another process, or after a restart).
    pub fn again(&self) -> Arc<Desk> {
        let mut options = DeskOptions::new(self.dir.path(), Ok(self.keys.clone()));
        options.poll = NO_WAIT;
        Arc::new(Desk::new(options))
    }

    pub async fn store(&self) -> Arc<Store> {
        self.desk.store().await.expect("store")
    }

    /// The history row `id`, as the History screen shows it.
    pub async fn row(&self, id: i64) -> smsdesk::history::Entry {
        self.desk
            .history_entry(id)
            .await
            .expect("read")
            .expect("the row")
            .entry
    }

    /// Adds a live channel at `sim` with `key` and makes it active; returns its id.
    pub async fn live(&self, sim: &Sim, key: &str) -> String {
        let id = self
            .desk
            .add_channel("Clinic", key, &sim.base_url())
            .await
            .expect("channel");
        self.desk.set_active_channel(&id).await.expect("active");
        id
    }
}

/// Records the pauses instead of sleeping, so retry tests run instantly.
#[derive(Default)]
struct RecordingSleeper(Mutex<Vec<Duration>>);

impl Sleeper for RecordingSleeper {
    fn sleep(&self, duration: Duration) -> Pause<'_> {
        if let Ok(mut pauses) = self.0.lock() {
            pauses.push(duration);
        }
        Box::pin(std::future::ready(()))
    }
}

impl RecordingSleeper {
    fn pauses(&self) -> Vec<Duration> {
        self.0.lock().map(|p| p.clone()).unwrap_or_default()
    }
}

fn client(base_url: &str, key: &str) -> Client {
    Client::new(base_url, &ApiKey::new(key).expect("key")).expect("client")
}

async fn send_via(base_url: &str, key: &str, to: &str, sleeper: &RecordingSleeper) -> SendReport {
    let prepared = Draft {
        to: to.into(),
        body: "Hello".into(),
        ..Draft::default()
    }
    .prepare(None)
    .expect("valid draft");
    outbox::send(
        &client(base_url, key),
        &prepared.request,
        &RetryPolicy::default(),
        sleeper,
        None,
    )
    .await
}

#[tokio::test]
async fn what_the_ui_receives_for_every_outcome() {
    let sim = Sim::start(SimConfig::default()).await.expect("sim");
    let base = sim.base_url();
    let sleeper = RecordingSleeper::default();
    let mut problems = Vec::new();
    let mut record = |label: &str, report: &SendReport| {
        problems.push(serde_json::json!({
            "case": label,
            "outcome": report.outcome,
            "attempts": report.attempts,
            "problem": report.problem,
        }));
    };
    record(
        "landline (error 4)",
        &send_via(&base, PRACTICE_KEY, "+12015550140", &sleeper).await,
    );
    record(
        "opted out (error 4)",
        &send_via(&base, PRACTICE_KEY, "+12015550141", &sleeper).await,
    );
    record(
        "deprecated key (error 5)",
        &send_via(&base, DEPRECATED_KEY, MOBILE, &sleeper).await,
    );
    record(
        "unknown key (401)",
        &send_via(&base, "who-knows", MOBILE, &sleeper).await,
    );
    sim.push_fault(Fault::ServerError);
    record(
        "server error (500)",
        &send_via(&base, PRACTICE_KEY, MOBILE, &sleeper).await,
    );
    sim.push_fault(Fault::BadGatewayHtml);
    record(
        "HTML page (502)",
        &send_via(&base, PRACTICE_KEY, MOBILE, &sleeper).await,
    );
    sim.push_fault(Fault::DropConnection);
    record(
        "dropped connection",
        &send_via(&base, PRACTICE_KEY, MOBILE, &sleeper).await,
    );
    assert!(sleeper.pauses().is_empty(), "nothing above may be retried");

    sim.set_fault(Some(Fault::RateLimited {
        retry_after: Some(5),
    }));
    record(
        "rate limited (429 x3)",
        &send_via(&base, PRACTICE_KEY, MOBILE, &sleeper).await,
    );
    sim.set_fault(None);
    assert_eq!(
        sleeper.pauses(),
        [Duration::from_secs(5), Duration::from_secs(5)],
        "Retry-After is honoured between the three attempts"
    );
    let before = sim.requests().len();

    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let closed = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    let refused = RecordingSleeper::default();
    record(
        "connection refused",
        &send_via(&closed, PRACTICE_KEY, MOBILE, &refused).await,
    );
    assert_eq!(
        refused.pauses(),
        [Duration::from_secs(1), Duration::from_secs(2)]
    );
    assert_eq!(sim.requests().len(), before);

    insta::assert_json_snapshot!("send_problems", problems);
}

#[test]
fn what_the_ui_receives_for_every_local_error() {
    let errors = [
        Error::InvalidPhone {
            reason: "The number is too short. Check that no digits are missing.".into(),
        },
        Error::EmptyBody,
        Error::BodyTooLong {
            chars: 1601,
            max: 1600,
        },
        Error::InvalidTeammate("jane".into()),
        Error::UnknownCountry("XX".into()),
        Error::NoApiKey,
        Error::NoChannelKey("Main Street clinic".into()),
        Error::ChannelNameTaken("Main Street clinic".into()),
        Error::PracticeChannelFixed,
        Error::TeammateIdInvalid("Ann".into()),
        Error::TeammateTaken {
            id: "814860".into(),
            name: "Ann".into(),
        },
        Error::KeychainUnavailable("org.freedesktop.secrets was not provided".into()),
        Error::Keychain("it is locked or access was denied".into()),
        Error::Client(octopods::Error::InsecureBaseUrl),
        Error::Client(octopods::Error::InvalidBaseUrl("app.octopods".into())),
        Error::Client(octopods::Error::EmptyKey),
        Error::Client(octopods::Error::MalformedKey),
        Error::Practice("address in use".into()),
    ];
    let payloads: Vec<UserError> = errors.iter().map(UserError::from).collect();
    let codes: std::collections::HashSet<_> = payloads.iter().map(|p| p.code).collect();
    assert_eq!(
        codes.len(),
        payloads.len() - 1,
        "codes are distinct (key errors share one)"
    );
    insta::assert_json_snapshot!("local_errors", payloads);
}

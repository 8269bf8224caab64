//! Delivery questions: one round over every tracked message that is due (the worker runs it
//! on its tick), and the command line's `smsdesk status`.

use octopods::{Client, DeliveryReport, StatusError};

use super::Desk;
use crate::channels::COMMAND_LINE_CHANNEL;
use crate::error::Result;
use crate::events::{Change, ChangeKind};
use crate::history::tracking::{Due, Polled};

/// The most messages asked about in one round.
const ROUND: u32 = 25;

const PRACTICE_RESTARTED: &str = "practice messages are tracked only while SMS Desk stays open";
const CHANNEL_GONE: &str = "its channel was removed from Settings";
const COMMAND_LINE_KEY: &str =
    "it was sent from the command line with its own key (check it with: smsdesk status MESSAGE_ID)";

impl Desk {
    /// Asks about the delivery of every tracked message that is due now, on its channel;
    /// records each answer and tells what changed. Returns how many were asked about.
    pub async fn poll_due(&self) -> Result<usize> {
        let now = self.now();
        let due = self
            .with_store(move |s| s.due_for_polling(now, ROUND))
            .await?;
        let count = due.len();
        for message in due {
            self.poll_one(message).await?;
        }
        Ok(count)
    }

    /// When the next delivery question is due, if any message is tracked.
    pub async fn next_poll_at(&self) -> Result<Option<i64>> {
        self.with_store(|s| s.next_poll_at()).await
    }

    async fn poll_one(&self, due: Due) -> Result<()> {
        let client = match self.status_client(&due).await? {
            Ok(client) => client,
            Err(Stopped(why)) => {
                let id = due.id;
                self.with_store(move |s| s.stop_tracking(id, why)).await?;
                log::info!("message {id} delivery tracking stopped: {why}");
                self.tell(Change::row(ChangeKind::Delivery, id));
                return Ok(());
            }
        };
        let answer = match client {
            Some(client) => client.status(&due.message_id).await,
            // No key (or a locked keychain) for now: try again later, as for a network
            // failure.
            None => Err(StatusError::Unavailable {
                http_status: None,
                reason: "the channel's key could not be read".into(),
            }),
        };
        self.record_answer(due, answer).await
    }

    /// Records a status answer for `due` (asked now); tells the window when it changed.
    async fn record_answer(
        &self,
        due: Due,
        answer: std::result::Result<DeliveryReport, StatusError>,
    ) -> Result<()> {
        let (policy, now, id) = (self.poll_policy(), self.now(), due.id);
        let news = match &answer {
            Ok(report) => format!("delivery {}", report.status.as_str()),
            Err(StatusError::Rejected(rejected)) => match rejected.error_code {
                Some(code) => format!("delivery tracking stopped: Octopods error {code}"),
                None => "delivery tracking stopped: Octopods refused the question".to_owned(),
            },
            Err(_) => "delivery tracking gave up: no final status in time".to_owned(),
        };
        let changed = self
            .with_store(move |s| {
                let polled = match &answer {
                    Ok(report) => Polled::Report(report),
                    Err(error) => Polled::Failed(error),
                };
                s.record_poll(&due, polled, &policy, now)
            })
            .await?;
        if changed {
            log::info!("message {id} {news}");
            self.tell(Change::row(ChangeKind::Delivery, id));
        }
        Ok(())
    }

    /// The client to ask about `due` with: `Ok(None)` when its key cannot be had now,
    /// `Err` when it can never be asked about from here.
    async fn status_client(
        &self,
        due: &Due,
    ) -> Result<std::result::Result<Option<Client>, Stopped>> {
        if due.practice {
            let practice = self.practice().await?;
            if due.created_at < practice.started_at() {
                return Ok(Err(Stopped(PRACTICE_RESTARTED)));
            }
            return Ok(Ok(Some(practice.client()?)));
        }
        let settings = self.settings().await?;
        let Some(channel) = settings.channel(&due.channel_id) else {
            let why = if due.channel_id == COMMAND_LINE_CHANNEL {
                COMMAND_LINE_KEY
            } else {
                CHANNEL_GONE
            };
            return Ok(Err(Stopped(why)));
        };
        Ok(Ok(match self.key_for(&channel.id, &channel.name).await {
            Ok(key) => Some(Client::new(channel.address(), &key)?),
            Err(_) => None,
        }))
    }

    /// `smsdesk status`: asks `client` about `message_id` and, when this computer sent it on a
    /// live channel, records the answer on its row. Only answers are recorded: a refusal may
    /// come from asking with another channel's key.
    pub async fn status_of(
        &self,
        client: &Client,
        message_id: &str,
    ) -> (
        std::result::Result<DeliveryReport, StatusError>,
        Option<crate::error::Error>,
    ) {
        let answer = client.status(message_id).await;
        let Ok(report) = &answer else {
            return (answer, None);
        };
        let (report, id) = (report.clone(), message_id.to_owned());
        let found = self.with_store(move |s| s.find_by_message_id(&id)).await;
        let recorded = match found {
            Ok(Some(due)) => self.record_answer(due, Ok(report)).await,
            Ok(None) => Ok(()),
            Err(error) => Err(error),
        };
        (answer, recorded.err())
    }
}

/// Why a message can no longer be tracked from here.
struct Stopped(&'static str);

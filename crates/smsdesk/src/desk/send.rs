//! Sending: the one function through which the app and the command line reach Octopods, and
//! what the compose form asks as the person types (the number, the preview).

use std::collections::BTreeMap;
use std::sync::Arc;

use octopods::{ApiKey, Client};
use serde::Serialize;

use super::channels::{teammate_name, Mode};
use super::Desk;
use crate::channels::{Workspace, COMMAND_LINE_CHANNEL, PRACTICE_CHANNEL};
use crate::do_not_text::LocalList;
use crate::draft::Draft;
use crate::error::{Error, Result};
use crate::events::{Change, ChangeKind};
use crate::history::NewMessage;
use crate::outbox::{self, Route};
use crate::phone::{self, Country, PhoneCheck};
use crate::report::SendReport;
use crate::templates::{self, BusinessInfo, MessagePreview, Template, TemplateFill};
use crate::text_safety;

/// The channel name the history files sends made with `OCTOPODS_API_KEY` under.
pub const COMMAND_LINE_CHANNEL_NAME: &str = "Command line (OCTOPODS_API_KEY)";

/// Which channel a send goes out on.
#[derive(Debug, Clone)]
pub enum Via {
    /// The app: the active channel (the built-in practice server when Practice is active).
    Active,
    /// The built-in practice server: nobody is texted.
    Practice,
    /// The command line: the active live channel, else the first one; `base_url` replaces
    /// its address when given. No live channel is an error ([`Error::NoChannel`]).
    SavedChannel { base_url: Option<String> },
    /// The command line with its own key (`OCTOPODS_API_KEY`) at `base_url`: filed under the
    /// channel [`COMMAND_LINE_CHANNEL`].
    Key { key: ApiKey, base_url: String },
    /// This saved channel (Practice for [`PRACTICE_CHANNEL`]): a bulk job stays on the channel
    /// it was started on.
    Channel { id: String },
}

/// A send's report, and where it went.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Sent {
    #[serde(flatten)]
    pub report: SendReport,
    pub mode: Mode,
    pub channel_id: String,
    pub channel_name: String,
    /// The message's row in the history.
    pub history_id: i64,
}

/// Where a send goes, resolved.
pub(super) struct Target {
    pub(super) client: Client,
    pub(super) mode: Mode,
    pub(super) channel_id: String,
    pub(super) channel_name: String,
    /// A saved channel, whose answers teach its workspace and key state.
    pub(super) saved: bool,
    pub(super) workspace: Workspace,
}

impl Desk {
    /// Checks the draft (no request for bad input), renders `template` from the saved
    /// template when given (its body replaces the draft's), and sends it on `via`: refused
    /// for a number on the do-not-text list, for a repeat of a message that may have gone
    /// out unless `confirmed_resend`, and for live channels while the do-not-text list may
    /// be incomplete. The row is in the history before the request. What the answer shows
    /// about the channel is remembered.
    pub async fn send(
        &self,
        via: Via,
        draft: Draft,
        template: Option<TemplateFill>,
        confirmed_resend: bool,
    ) -> Result<Sent> {
        self.send_with_region(via, draft, template, confirmed_resend, None)
            .await
    }

    /// [`Desk::send`], with a number typed without `+` read in `region` when given (the
    /// command line's `--region`), else in the saved default country.
    pub async fn send_with_region(
        &self,
        via: Via,
        mut draft: Draft,
        template: Option<TemplateFill>,
        confirmed_resend: bool,
        region: Option<Country>,
    ) -> Result<Sent> {
        let store = self.store().await?;
        let settings = self.settings().await?;
        let mut used: Option<Template> = None;
        if let Some(fill) = &template {
            // The saved templates are read only for a template send: a damaged list must not
            // stop free-text messages.
            let (list, business) = self.with_store(read_library).await?;
            let (saved, body) = fill.render(&list, &business)?;
            draft.body = body;
            used = Some(saved.clone());
        }
        let mut request = draft.prepare(region.or(settings.country()))?.request;
        let target = self.target(via, &settings).await?;
        if target.mode == Mode::Live && store.opt_outs_incomplete()?.is_some() {
            return Err(Error::OptOutsIncomplete);
        }
        if target.mode == Mode::Live {
            // A number another desk of the team opted out is refused here too (bounded wait;
            // offline, the last copy of the team's list decides).
            self.refresh_team_list().await;
        }
        let hubspot = target.workspace == Workspace::Hubspot;
        if hubspot {
            // HubSpot workspaces send from their default sender.
            request.intercom_teammate_id = None;
        }
        let message = NewMessage {
            to: request.destination_phone.clone(),
            name: request.destination_user_name.clone().unwrap_or_default(),
            body: request.body.clone(),
            channel_id: target.channel_id.clone(),
            channel_name: target.channel_name.clone(),
            practice: target.mode == Mode::Practice,
            workspace: target.workspace,
            teammate_name: teammate_name(
                &settings.teammates,
                request.intercom_teammate_id.as_deref(),
            ),
            teammate_id: request.intercom_teammate_id.clone(),
            template_id: used.as_ref().map(|t| t.id.clone()),
            template_name: used.map(|t| t.name),
            open_conversation: request.open_intercom_conversation,
            job: None,
        };
        let route = Route {
            client: &target.client,
            retry: &self.retry,
            sleeper: self.sleeper(),
            list: Arc::new(LocalList),
            trackable: !hubspot,
            first_poll: self.poll_policy().first,
            begun: &|id| self.tell(Change::row(ChangeKind::History, id)),
            pace: None,
        };
        let sent = outbox::send_recorded(&store, route, &request, message, confirmed_resend).await;
        let (mut report, history_id) = match sent {
            Ok(sent) => sent,
            Err(error) => {
                if matches!(error, Error::OptedOut { .. }) {
                    self.tell(Change::of(ChangeKind::History));
                }
                return Err(error);
            }
        };
        self.tell(Change::row(ChangeKind::History, history_id));
        // What the window and the command line show now is what the history keeps.
        without_controls(&mut report);
        if target.saved {
            // Failing to remember it must not hide the send's result.
            let (id, learned) = (target.channel_id.clone(), report.clone());
            let kept = self
                .edit_settings(move |s| {
                    let changed = s.learn_from(&id, &learned);
                    Ok(((), changed))
                })
                .await;
            if let Err(error) = kept {
                crate::error::warn(format_args!("{error}"));
            }
        }
        Ok(Sent {
            report,
            mode: target.mode,
            channel_id: target.channel_id,
            channel_name: target.channel_name,
            history_id,
        })
    }

    /// A client for `via` (the command line's `smsdesk status`): its address and key, as a
    /// send on it would use.
    pub async fn client_for(&self, via: Via) -> Result<Client> {
        let settings = self.settings().await?;
        Ok(self.target(via, &settings).await?.client)
    }

    pub(super) async fn target(
        &self,
        via: Via,
        settings: &crate::settings::Settings,
    ) -> Result<Target> {
        let channel = match &via {
            Via::Active => settings.channel(&settings.active_channel),
            Via::Practice => None,
            Via::Channel { id } if id == PRACTICE_CHANNEL => None,
            Via::Channel { id } => Some(
                settings
                    .channel(id)
                    .ok_or_else(|| Error::ChannelNotFound(id.clone()))?,
            ),
            Via::SavedChannel { .. } => Some(settings.sending_channel().ok_or(Error::NoChannel)?),
            Via::Key { key, base_url } => {
                return Ok(Target {
                    client: Client::new(base_url, key)?,
                    mode: Mode::Live,
                    channel_id: COMMAND_LINE_CHANNEL.to_owned(),
                    channel_name: COMMAND_LINE_CHANNEL_NAME.to_owned(),
                    saved: false,
                    workspace: Workspace::Intercom,
                });
            }
        };
        let Some(channel) = channel else {
            return Ok(Target {
                client: self.practice().await?.client()?,
                mode: Mode::Practice,
                channel_id: PRACTICE_CHANNEL.to_owned(),
                channel_name: "Practice".to_owned(),
                saved: false,
                workspace: Workspace::Intercom,
            });
        };
        // A missing key refuses the send before anything is recorded as attempted.
        let key = self.key_for(&channel.id, &channel.name).await?;
        let address = match &via {
            Via::SavedChannel {
                base_url: Some(url),
            } => url.as_str(),
            _ => channel.address(),
        };
        Ok(Target {
            client: Client::new(address, &key)?,
            mode: Mode::Live,
            channel_id: channel.id.clone(),
            channel_name: channel.name.clone(),
            saved: true,
            workspace: channel.workspace,
        })
    }

    /// Checks a typed number as the person types; numbers without `+` are read in `country`,
    /// else in the saved default country.
    pub async fn check_number(&self, input: &str, country: Option<&str>) -> Result<PhoneCheck> {
        let country = match country.map(str::trim) {
            Some(code) if !code.is_empty() => Some(Country::parse(code)?),
            _ => self.settings().await?.country(),
        };
        Ok(phone::validate(input, country))
    }

    /// The live preview: free text (`values` absent) or a template's text with the values
    /// typed so far; empty fields and costly characters marked, and what it costs.
    pub async fn preview(
        &self,
        body: &str,
        values: Option<&BTreeMap<String, String>>,
    ) -> Result<MessagePreview> {
        let business = self.business().await?;
        Ok(templates::preview_message(body, values, &business)?)
    }
}

/// The server's words in a report (its error, ids, the number it read, and the problem and
/// hint that quote them) without control characters or escape sequences, as they are stored.
/// The raw answer is left as received (it is never printed).
fn without_controls(report: &mut SendReport) {
    let tidy = |text: &mut String| {
        if let std::borrow::Cow::Owned(clean) = text_safety::from_server(text) {
            *text = clean;
        }
    };
    for text in [
        &mut report.error,
        &mut report.request_id,
        &mut report.message_id,
        &mut report.phone_number,
    ]
    .into_iter()
    .flatten()
    {
        tidy(text);
    }
    if let Some(problem) = &mut report.problem {
        tidy(&mut problem.message);
        tidy(&mut problem.hint);
    }
}

/// The saved templates and the business details.
pub(super) fn read_library(store: &crate::store::Store) -> Result<(Vec<Template>, BusinessInfo)> {
    Ok((
        super::library::read_templates(store)?,
        super::library::read_business(store)?,
    ))
}

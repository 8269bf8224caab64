//! Team desks on the façade: join, leave, sync and status (issue 13). The domain is in
//! [`crate::team`]; this is where the keychain, the store and the server meet.

use std::time::Duration;

use serde::Serialize;

use super::Desk;
use crate::error::{Error, Result};
use crate::events::{Change as Told, ChangeKind};
use crate::team::connection::Target;
use crate::team::sends::{self, TeamSend, HISTORY_ON_JOIN_MS};
use crate::team::{server, Membership, DEFAULT_STALE_MINUTES};

/// The keychain entry of the team server's password.
const PASSWORD_ENTRY: &str = "team-server";
/// How long joining, and `smsdesk team sync`, wait for the server.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a send waits for the team's list to be refreshed before it goes on with the last
/// copy.
pub const REFRESH_BEFORE_SEND: Duration = Duration::from_secs(2);

/// What `team status` says (the window's Settings › Team and its "team list as of" line;
/// the command line prints its own fields).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamStatus {
    pub joined: bool,
    pub desk: Option<String>,
    /// The connection string without its password.
    pub server: Option<String>,
    /// When the list was last pushed and pulled (ms), if ever.
    pub last_sync: Option<i64>,
    /// Changes made here not pushed yet.
    pub pending: u64,
    /// The copy of the team list is older than the limit (or was never synced): the window
    /// says so, and a live list waits for a confirmation.
    pub stale: bool,
    /// The limit, in minutes.
    pub stale_after_minutes: u32,
    /// When the list was last synced, on this computer's clock, for "team list as of 10:32"
    /// (`1 Dec 10:32` on another day).
    pub as_of: Option<String>,
    /// The copy is old but the person confirmed it: lists may start on it until the limit
    /// passes again.
    pub stale_confirmed: bool,
}

/// One send of another desk, as History's "Other desks" shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamSendShown {
    pub desk: String,
    /// E.164, and as it is read ("+1 201-555-0123").
    pub number: String,
    pub shown_number: String,
    pub template: Option<String>,
    /// The badge's word (`delivered`, `pending`, `failed`…), as for this desk's rows.
    pub state: crate::states::RowState,
    pub summary: String,
    /// When it was sent (ms).
    pub sent_at: i64,
}

/// What "Test connection" found: the server answers, with these words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamProbe {
    /// Such as "PostgreSQL 15.10".
    pub server_version: String,
    /// The desks already in the team on that server (none before the first desk joins).
    pub desks: Vec<String>,
    /// The connection is not encrypted (`sslmode=disable`).
    pub plain_text: bool,
}

/// What one sync did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Synced {
    pub pushed: u64,
    pub pulled: u64,
    /// Pulled changes that changed this desk's list.
    pub changed: u64,
    /// This desk's sends pushed to the team's history, and the other desks' pulled.
    pub sends_pushed: u64,
    pub sends_pulled: u64,
    /// Templates or business details changed here and at another desk at the same time.
    pub crossings: Vec<crate::team::documents::Crossing>,
}

impl Desk {
    /// Joins the team on the server of `connection` as the desk `desk_name`: the schema is
    /// made or brought up to date, the desk registered, the password kept in the keychain
    /// (the settings keep the string without it), and this desk's list uploaded and merged
    /// with the team's.
    pub async fn team_join(&self, connection: &str, desk_name: &str) -> Result<Synced> {
        let name = crate::text_safety::line(desk_name.trim()).into_owned();
        if name.is_empty() {
            return Err(Error::TeamDeskNameBlank);
        }
        let target = Target::parse(connection)?;
        let mut client = target.connect(CONNECT_TIMEOUT).await?;
        server::migrate(&mut client).await?;
        let known = self.with_store(|s| s.team()).await?;
        let desk_id = known
            .as_ref()
            .map(|m| m.desk_id.clone())
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        server::register(&client, &desk_id, &name).await?;
        let password = target.password().map(str::to_owned);
        self.with_keys(move |k| match password {
            Some(p) => k.set_secret(PASSWORD_ENTRY, &p),
            None => k.delete(PASSWORD_ENTRY),
        })
        .await?;
        let membership = Membership {
            server: target.without_password.clone(),
            desk_id: desk_id.clone(),
            desk_name: name,
            last_seq: known.as_ref().map_or(0, |m| m.last_seq),
            last_sync: None,
            last_send_seq: known.as_ref().map_or(0, |m| m.last_send_seq),
            stale_after_minutes: known
                .as_ref()
                .map_or(DEFAULT_STALE_MINUTES, |m| m.stale_after_minutes),
            stale_confirmed_at: None,
        };
        let history_since = self.now() - HISTORY_ON_JOIN_MS;
        let first_time = known.is_none();
        self.with_store(move |s| {
            s.set_team(Some(&membership))?;
            if first_time {
                s.queue_whole_list_for_team(&desk_id)?;
                s.queue_documents_for_team()?;
                s.queue_history_for_team(history_since)?;
            }
            Ok(())
        })
        .await?;
        self.sync_with(&mut client).await
    }

    /// "Test connection": connects to the server of `connection` and says what is there,
    /// changing nothing (here or on the server).
    pub async fn team_test_connection(&self, connection: &str) -> Result<TeamProbe> {
        let target = Target::parse(connection)?;
        let client = target.connect(CONNECT_TIMEOUT).await?;
        let (server_version, desks) = server::describe(&client).await?;
        Ok(TeamProbe {
            server_version,
            desks,
            plain_text: target.plain_text(),
        })
    }

    /// The team's server (its connection string without the password) when this desk is in
    /// a team: the worker syncs only then, and listens there.
    pub async fn team_server(&self) -> Result<Option<String>> {
        Ok(self.with_store(|s| s.team()).await?.map(|m| m.server))
    }

    /// This desk's membership and its server, with the password from the keychain. Not
    /// joined: [`Error::TeamNotJoined`].
    async fn saved_target(&self) -> Result<(Membership, Target)> {
        let membership = self
            .with_store(|s| s.team())
            .await?
            .ok_or(Error::TeamNotJoined)?;
        let password = self.with_keys(|k| k.get_secret(PASSWORD_ENTRY)).await?;
        let target = Target::saved(&membership.server, password)?;
        Ok((membership, target))
    }

    /// Connects to the team's server and listens for the other desks' pushes: the worker
    /// syncs when one comes. Not joined: [`Error::TeamNotJoined`].
    pub async fn team_listen(&self, timeout: Duration) -> Result<TeamListener> {
        let (membership, target) = self.saved_target().await?;
        Ok(TeamListener {
            listening: target.listen(timeout).await?,
            me: membership.desk_id,
        })
    }

    /// Leaves the team: the membership and the password go; this desk's list stays as it is
    /// (the last copy of the team's). Changes not pushed yet are pushed first if the server
    /// answers within [`REFRESH_BEFORE_SEND`]; those that still could not be are dropped with
    /// the membership, and counted. `None`: this desk was not in a team.
    pub async fn team_leave(&self) -> Result<Option<u64>> {
        if self.with_store(|s| s.team()).await?.is_none() {
            return Ok(None);
        }
        self.refresh_team_list().await;
        let dropped = self.with_store(|s| s.team_pending()).await?;
        self.with_store(|s| {
            s.set_team(None)?;
            s.write(|tx| {
                tx.execute("DELETE FROM team_outbox", [])?;
                tx.execute("DELETE FROM team_send_outbox", [])?;
                Ok(())
            })
        })
        .await?;
        self.with_keys(|k| k.delete(PASSWORD_ENTRY)).await?;
        self.tell(Told::of(ChangeKind::Team));
        Ok(Some(dropped))
    }

    pub async fn team_status(&self) -> Result<TeamStatus> {
        let membership = self.with_store(|s| s.team()).await?;
        let pending = self.with_store(|s| s.team_pending()).await?;
        let now = self.now();
        Ok(match membership {
            Some(m) => TeamStatus {
                joined: true,
                stale: m.stale(now),
                stale_confirmed: m.stale(now) && m.may_start_list(now),
                as_of: m.last_sync.map(|at| crate::time::as_of(at, now)),
                stale_after_minutes: m.stale_after_minutes,
                desk: Some(m.desk_name),
                server: Some(m.server),
                last_sync: m.last_sync,
                pending,
            },
            None => TeamStatus {
                joined: false,
                desk: None,
                server: None,
                last_sync: None,
                pending,
                stale: false,
                stale_after_minutes: DEFAULT_STALE_MINUTES,
                as_of: None,
                stale_confirmed: false,
            },
        })
    }

    /// The person confirmed that lists may go on this desk's old copy of the team list: good
    /// for the limit from now. Not joined: [`Error::TeamNotJoined`].
    pub async fn confirm_stale_team_list(&self) -> Result<()> {
        let now = self.now();
        self.edit_membership(move |m| m.stale_confirmed_at = Some(now))
            .await
    }

    /// Sets after how many minutes without a sync the team list counts as old (1 to 1440).
    pub async fn set_team_stale_limit(&self, minutes: u32) -> Result<()> {
        if !(1..=24 * 60).contains(&minutes) {
            return Err(Error::TeamStaleLimit(minutes));
        }
        self.edit_membership(move |m| m.stale_after_minutes = minutes)
            .await
    }

    async fn edit_membership(
        &self,
        change: impl FnOnce(&mut Membership) + Send + 'static,
    ) -> Result<()> {
        self.with_store(move |s| {
            s.edit_config(
                crate::store::config::keys::TEAM,
                || None,
                |m: &mut Option<Membership>| {
                    let m = m.as_mut().ok_or(Error::TeamNotJoined)?;
                    change(m);
                    Ok(((), true))
                },
            )
        })
        .await?;
        self.tell(Told::of(ChangeKind::Team));
        Ok(())
    }

    /// In a team, refuses a live list while the copy of the team list is older than the
    /// limit and the person has not confirmed it.
    pub(crate) async fn check_team_list_fresh(&self) -> Result<()> {
        let Some(m) = self.with_store(|s| s.team()).await? else {
            return Ok(());
        };
        if m.may_start_list(self.now()) {
            Ok(())
        } else {
            let now = self.now();
            Err(Error::TeamListStale {
                as_of: m.last_sync.map(|at| crate::time::as_of(at, now)),
            })
        }
    }

    /// The other desks' sends known here (pulled at each sync), newest first, at most
    /// `limit`; only to `number` when given (any format; without a country code it is read
    /// in `region`, else the settings' country).
    pub async fn team_history(
        &self,
        number: Option<&str>,
        region: Option<&str>,
        limit: u32,
    ) -> Result<Vec<TeamSend>> {
        let number = match number.map(str::trim).filter(|n| !n.is_empty()) {
            Some(typed) => Some(crate::do_not_text::normalize(
                typed,
                self.country(region).await?,
            )?),
            None => None,
        };
        self.with_store(move |s| s.team_history(number.as_deref(), limit))
            .await
    }

    /// History's "Other desks": the other desks' sends known here, newest first, at most
    /// `limit`; to one number when `search` reads as one (in the settings' country). `None`
    /// when this desk is not in a team, or `search` is not a number (the words of the other
    /// desks' messages never leave them, so a search by name or text cannot be answered).
    pub async fn team_history_shown(
        &self,
        search: &str,
        limit: u32,
    ) -> Result<Option<Vec<TeamSendShown>>> {
        let Some(me) = self.with_store(|s| s.team()).await?.map(|m| m.desk_id) else {
            return Ok(None);
        };
        let search = search.trim();
        let number = if search.is_empty() {
            None
        } else {
            match crate::do_not_text::normalize(search, self.country(None).await?) {
                Ok(number) => Some(number),
                Err(_) => return Ok(None),
            }
        };
        let sends = self
            .with_store(move |s| s.team_history(number.as_deref(), limit))
            .await?;
        Ok(Some(
            sends
                .into_iter()
                .filter(|s| s.desk_id != me)
                .map(|s| {
                    let (state, summary) = s.state();
                    let shown_number = crate::phone::display(&s.number);
                    TeamSendShown {
                        desk: s.desk_name,
                        number: s.number,
                        shown_number,
                        template: s.template_name,
                        state,
                        summary: summary.to_owned(),
                        sent_at: s.sent_at,
                    }
                })
                .collect(),
        ))
    }

    /// Pushes this desk's changes and pulls the others' now, waiting at most `timeout` for
    /// the server. Not joined: [`Error::TeamNotJoined`].
    pub async fn team_sync(&self, timeout: Duration) -> Result<Synced> {
        let (_, target) = self.saved_target().await?;
        let sync = async {
            let mut client = target.connect(timeout).await?;
            self.sync_with(&mut client).await
        };
        tokio::time::timeout(timeout, sync)
            .await
            .map_err(|_| Error::TeamUnreachable {
                reason: format!("no answer within {} seconds", timeout.as_secs()),
            })?
    }

    /// In a team, a sync bounded by [`REFRESH_BEFORE_SEND`]: before a live send (the team's
    /// list refreshed; else the send goes on with the last copy) and after a change of the
    /// list here (pushed at once; else at the next sync). Not joined: nothing.
    pub async fn refresh_team_list(&self) {
        match self.with_store(|s| s.team()).await {
            Ok(Some(_)) => {}
            _ => return,
        }
        if let Err(e) = self.team_sync(REFRESH_BEFORE_SEND).await {
            log::info!("team list not refreshed before a send: {}", UserCode(&e));
        }
    }

    async fn sync_with(&self, client: &mut tokio_postgres::Client) -> Result<Synced> {
        let membership = self
            .with_store(|s| s.team())
            .await?
            .ok_or(Error::TeamNotJoined)?;
        let desk = membership.desk_id.clone();
        let outbox = self.with_store(move |s| s.team_outbox(&desk)).await?;
        let changes: Vec<_> = outbox.iter().map(|(_, c)| c.clone()).collect();
        server::push(client, &changes).await?;
        if let Some((last, _)) = outbox.last() {
            let last = *last;
            self.with_store(move |s| s.team_pushed(last)).await?;
        }
        let me = membership.desk_id.clone();
        let outgoing = self.with_store(move |s| s.team_send_outbox(&me)).await?;
        let sent: Vec<TeamSend> = outgoing.iter().map(|(_, s)| s.clone()).collect();
        sends::push(client, &sent).await?;
        let read: Vec<(i64, i64)> = outgoing.iter().map(|(rev, s)| (s.message, *rev)).collect();
        self.with_store(move |s| s.team_sends_pushed(&read)).await?;
        let pulled = server::pull(client, membership.last_seq).await?;
        let now = self.now();
        let count = u64::try_from(pulled.len()).unwrap_or(0);
        let changed = self
            .with_store(move |s| s.apply_team_changes(&pulled, now))
            .await?;
        if changed > 0 {
            self.tell(Told::of(ChangeKind::OptOuts));
        }
        let theirs = sends::pull(client, membership.last_send_seq, &membership.desk_id).await?;
        let sends_pulled = u64::try_from(theirs.len()).unwrap_or(0);
        if !theirs.is_empty() {
            self.with_store(move |s| s.apply_team_sends(&theirs))
                .await?;
            self.tell(Told::of(ChangeKind::History));
        }
        let (crossings, documents_pushed) = self.sync_documents(client, &membership).await?;
        if !changes.is_empty() || !sent.is_empty() || documents_pushed {
            server::tell_desks(client, &membership.desk_id).await?;
        }
        self.tell(Told::of(ChangeKind::Team));
        Ok(Synced {
            pushed: u64::try_from(changes.len()).unwrap_or(0),
            pulled: count,
            changed,
            sends_pushed: u64::try_from(sent.len()).unwrap_or(0),
            sends_pulled,
            crossings,
        })
    }
}

/// A connection listening for the other desks' pushes ([`Desk::team_listen`]).
pub struct TeamListener {
    listening: crate::team::connection::Listening,
    me: String,
}

impl TeamListener {
    /// Waits until another desk pushes a change: true; false once the connection has ended.
    pub async fn changed_elsewhere(&mut self) -> bool {
        while let Some(desk) = self.listening.next().await {
            if desk != self.me {
                return true;
            }
        }
        false
    }
}

/// An error's code only, for the log (its words may name the server).
struct UserCode<'a>(&'a Error);

impl std::fmt::Display for UserCode<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(crate::error::UserError::from(self.0).code)
    }
}

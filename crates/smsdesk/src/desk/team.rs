//! Team desks on the façade: join, leave, sync and status (issue 13). The domain is in
//! [`crate::team`]; this is where the keychain, the store and the server meet.

use std::time::Duration;

use serde::Serialize;

use super::Desk;
use crate::error::{Error, Result};
use crate::events::{Change as Told, ChangeKind};
use crate::team::connection::Target;
use crate::team::{server, Membership};

/// The keychain entry of the team server's password.
const PASSWORD_ENTRY: &str = "team-server";
/// How long joining, and `smsdesk team sync`, wait for the server.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a send waits for the team's list to be refreshed before it goes on with the last
/// copy.
pub const REFRESH_BEFORE_SEND: Duration = Duration::from_secs(2);

/// What `team status` says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeamStatus {
    pub joined: bool,
    pub desk: Option<String>,
    /// The connection string without its password.
    pub server: Option<String>,
    /// When the list was last pushed and pulled (ms), if ever.
    pub last_sync: Option<i64>,
    /// Changes made here not pushed yet.
    pub pending: u64,
}

/// What one sync did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Synced {
    pub pushed: u64,
    pub pulled: u64,
    /// Pulled changes that changed this desk's list.
    pub changed: u64,
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
        };
        let first_time = known.is_none();
        self.with_store(move |s| {
            s.set_team(Some(&membership))?;
            if first_time {
                s.queue_whole_list_for_team(&desk_id)?;
            }
            Ok(())
        })
        .await?;
        self.sync_with(&mut client).await
    }

    /// Leaves the team: the membership and the password go; this desk's list stays as it is
    /// (the last copy of the team's), and changes not pushed are dropped with the membership.
    pub async fn team_leave(&self) -> Result<bool> {
        let was = self.with_store(|s| s.team()).await?.is_some();
        self.with_store(|s| {
            s.set_team(None)?;
            s.write(|tx| {
                tx.execute("DELETE FROM team_outbox", [])?;
                Ok(())
            })
        })
        .await?;
        self.with_keys(|k| k.delete(PASSWORD_ENTRY)).await?;
        Ok(was)
    }

    pub async fn team_status(&self) -> Result<TeamStatus> {
        let membership = self.with_store(|s| s.team()).await?;
        let pending = self.with_store(|s| s.team_pending()).await?;
        Ok(match membership {
            Some(m) => TeamStatus {
                joined: true,
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
            },
        })
    }

    /// Pushes this desk's changes and pulls the others' now, waiting at most `timeout` for
    /// the server. Not joined: [`Error::TeamNotJoined`].
    pub async fn team_sync(&self, timeout: Duration) -> Result<Synced> {
        let membership = self
            .with_store(|s| s.team())
            .await?
            .ok_or(Error::TeamNotJoined)?;
        let password = self.with_keys(|k| k.get_secret(PASSWORD_ENTRY)).await?;
        let target = Target::saved(&membership.server, password)?;
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
        let pulled = server::pull(client, membership.last_seq).await?;
        let now = self.now();
        let count = u64::try_from(pulled.len()).unwrap_or(0);
        let changed = self
            .with_store(move |s| s.apply_team_changes(&pulled, now))
            .await?;
        if changed > 0 {
            self.tell(Told::of(ChangeKind::OptOuts));
        }
        Ok(Synced {
            pushed: u64::try_from(changes.len()).unwrap_or(0),
            pulled: count,
            changed,
        })
    }
}

/// An error's code only, for the log (its words may name the server).
struct UserCode<'a>(&'a Error);

impl std::fmt::Display for UserCode<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(crate::error::UserError::from(self.0).code)
    }
}

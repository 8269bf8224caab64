//! Shared templates and business details on the façade (issue 13): a sync pushes what this
//! desk changed, then pulls what the others did; the domain is in [`crate::team::documents`].

use super::Desk;
use crate::error::Result;
use crate::events::{Change, ChangeKind};
use crate::team::documents::{self, Crossing};
use crate::team::Membership;

impl Desk {
    /// Pushes the templates and business details changed here, then applies the other desks'.
    /// Returns the edits that crossed another desk's (also kept as notices until dismissed),
    /// and whether anything was pushed.
    pub(super) async fn sync_documents(
        &self,
        client: &mut tokio_postgres::Client,
        membership: &Membership,
    ) -> Result<(Vec<Crossing>, bool)> {
        let outgoing = self.with_store(|s| s.team_outgoing_documents()).await?;
        let pushed_any = !outgoing.is_empty();
        let pushed = documents::push(
            client,
            &membership.desk_id,
            &membership.desk_name,
            &outgoing,
        )
        .await?;
        let crossings: Vec<Crossing> = pushed.iter().filter_map(|p| p.crossing.clone()).collect();
        let mut changed = self
            .with_store(move |s| s.apply_pushed_documents(&pushed))
            .await?;
        let after = self.with_store(|s| s.team_documents_cursor()).await?;
        let pulled = documents::pull(client, after).await?;
        if !pulled.is_empty() {
            let applied = self
                .with_store(move |s| s.apply_pulled_documents(&pulled))
                .await?;
            changed.templates |= applied.templates;
            changed.business |= applied.business;
        }
        if changed.templates {
            self.tell(Change::of(ChangeKind::Templates));
        }
        if changed.business || !crossings.is_empty() {
            self.tell(Change::of(ChangeKind::Settings));
        }
        Ok((crossings, pushed_any))
    }
}

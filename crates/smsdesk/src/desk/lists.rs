//! The History screen's and the Do not text screen's questions and changes, and their CSV
//! files. Numbers typed without a country code are read in the settings' country.

use std::path::Path;

use serde::Serialize;

use super::Desk;
use crate::do_not_text::{Added, OptOut, OptOutImport};
use crate::error::Result;
use crate::events::{Change, ChangeKind};
use crate::files;
use crate::history::{Detail, Filter, Page, SeenChannel};

/// The most rows one page may ask for.
pub const MAX_PAGE: u64 = 500;
/// A do-not-text CSV file larger than this is refused (a list of a million numbers is 20 MB).
pub const MAX_OPT_OUT_FILE_BYTES: u64 = 50 * 1024 * 1024;

/// What an export wrote, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Exported {
    pub count: u64,
    pub path: String,
}

impl Desk {
    /// Up to `limit` messages matching `filter`, newest first, from `offset`; and how many
    /// match in all.
    pub async fn history(&self, filter: Filter, offset: u64, limit: u64) -> Result<Page> {
        self.with_store(move |s| s.list(&filter, offset, limit.min(MAX_PAGE)))
            .await
    }

    /// One message with its timeline and the server's answers; `None` when there is none.
    pub async fn history_entry(&self, id: i64) -> Result<Option<Detail>> {
        self.with_store(move |s| s.get(id)).await
    }

    /// The channels that appear in the history, for the channel filter.
    pub async fn history_channels(&self) -> Result<Vec<SeenChannel>> {
        self.with_store(|s| s.channels()).await
    }

    /// Writes the messages matching `filter` as CSV at `path`.
    pub async fn export_history(&self, filter: Filter, path: &Path) -> Result<Exported> {
        let at = path.to_owned();
        let count = self
            .with_store(move |s| files::write_with(&at, |out| s.export_csv(&filter, out)))
            .await?;
        Ok(Exported {
            count,
            path: path.display().to_string(),
        })
    }

    /// Asks Octopods about this message's delivery at the worker's next tick (woken by the
    /// caller). `false` when it cannot be tracked.
    pub async fn refresh_delivery(&self, id: i64) -> Result<bool> {
        self.with_store(move |s| s.poll_soon(id)).await
    }

    /// The do-not-text list, newest first; `search` matches digits or words of the reason.
    pub async fn opt_outs(&self, search: &str) -> Result<Vec<OptOut>> {
        let search = search.to_owned();
        self.with_store(move |s| s.opt_outs(&search)).await
    }

    /// Puts a number (any format; without a country code it is read in `region`, else the
    /// settings' country) on the list; says whether it was there already.
    pub async fn add_opt_out(
        &self,
        number: &str,
        reason: &str,
        region: Option<&str>,
        from_message: Option<i64>,
    ) -> Result<Added> {
        let country = self.country(region).await?;
        let (number, reason) = (number.to_owned(), reason.to_owned());
        let added = self
            .with_store(move |s| s.add_opt_out(&number, &reason, country, from_message))
            .await?;
        self.tell(Change::of(ChangeKind::OptOuts));
        // In a team: pushed at once when the server answers (else at the next sync).
        self.refresh_team_list().await;
        Ok(added)
    }

    /// Takes a number off the list; `false` when it was not on it.
    pub async fn remove_opt_out(&self, number: &str, region: Option<&str>) -> Result<bool> {
        let country = self.country(region).await?;
        let number = number.to_owned();
        let removed = self
            .with_store(move |s| s.remove_opt_out(&number, country))
            .await?;
        self.tell(Change::of(ChangeKind::OptOuts));
        self.refresh_team_list().await;
        Ok(removed)
    }

    /// Adds the numbers in the CSV file at `path` (any text encoding a spreadsheet writes:
    /// numbers are ASCII either way). A list marked incomplete counts as re-imported.
    pub async fn import_opt_outs(&self, path: &Path, region: Option<&str>) -> Result<OptOutImport> {
        let bytes = files::read_capped_async(path, MAX_OPT_OUT_FILE_BYTES)
            .await?
            .ok_or_else(|| crate::error::Error::FileUnreadable {
                file: files::file_name(path),
                reason: format!(
                    "it is larger than {} MB, too large for a list of numbers",
                    MAX_OPT_OUT_FILE_BYTES / (1024 * 1024)
                ),
            })?;
        let country = self.country(region).await?;
        let report = self
            .with_store(move |s| s.import_opt_outs(&bytes, country))
            .await?;
        self.tell(Change::of(ChangeKind::OptOuts));
        Ok(report)
    }

    /// `region` when given (checked), else the settings' default country.
    pub(super) async fn country(
        &self,
        region: Option<&str>,
    ) -> Result<Option<crate::phone::Country>> {
        match region.map(str::trim).filter(|r| !r.is_empty()) {
            Some(code) => Ok(Some(crate::phone::Country::parse(code)?)),
            None => Ok(self.settings().await?.country()),
        }
    }

    /// Writes the whole list as CSV at `path`.
    pub async fn export_opt_outs(&self, path: &Path) -> Result<Exported> {
        let at = path.to_owned();
        let count = self
            .with_store(move |s| files::write_with(&at, |out| s.export_opt_outs(out)))
            .await?;
        Ok(Exported {
            count,
            path: path.display().to_string(),
        })
    }

    /// The person confirms the do-not-text list is complete after a damaged history: live
    /// sends go on. `false` when it was not marked incomplete.
    pub async fn confirm_opt_outs_complete(&self) -> Result<bool> {
        let confirmed = self.with_store(|s| s.confirm_opt_outs_complete()).await?;
        self.tell(Change::of(ChangeKind::OptOuts));
        Ok(confirmed)
    }
}

//! Templates, the business details that fill them, and the first-run welcome, in the store.
//! Until a template list is first saved the list is the starter templates; once saved (even
//! empty) it is what was saved.

use std::path::Path;

use serde::Deserialize;

use super::Desk;
use crate::error::{Error, Result};
use crate::events::{Change, ChangeKind};
use crate::files;
use crate::store::config::keys;
use crate::store::Store;
use crate::templates::{self, BusinessInfo, ImportReport, Template, TemplateDraft, TemplateError};

/// A templates file is a few kilobytes; anything above this is not one.
pub const MAX_TEMPLATES_FILE_BYTES: u64 = 2 * 1024 * 1024;

/// Which way a template moves in the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Up,
    Down,
}

/// The saved templates, or the starters when none were ever saved.
pub(crate) fn read_templates(store: &Store) -> Result<Vec<Template>> {
    Ok(store
        .config(keys::TEMPLATES)?
        .unwrap_or_else(templates::starter_templates))
}

/// The saved business details (empty when none were saved).
pub(crate) fn read_business(store: &Store) -> Result<BusinessInfo> {
    Ok(store.config(keys::BUSINESS)?.unwrap_or_default())
}

impl Desk {
    /// The templates, in the person's order.
    pub async fn templates(&self) -> Result<Vec<Template>> {
        self.with_store(read_templates).await
    }

    /// Applies `change` to the saved list and saves it, in one transaction; nothing is saved
    /// when it fails. In a team, what changed is marked for the team in the same transaction
    /// and pushed at once (within the bounded refresh; else at the next sync).
    async fn edit_templates<T: Send + 'static>(
        &self,
        change: impl FnOnce(&mut Vec<Template>) -> std::result::Result<T, Error> + Send + 'static,
    ) -> Result<T> {
        let value = self
            .with_store(move |s| s.edit_templates_for_team(change))
            .await?;
        self.tell(Change::of(ChangeKind::Templates));
        self.refresh_team_list().await;
        Ok(value)
    }

    /// Creates a template from the editor (`id` absent) or updates the template `id`.
    pub async fn save_template(
        &self,
        id: Option<String>,
        draft: TemplateDraft,
    ) -> Result<Template> {
        self.edit_templates(move |list| {
            Ok(match id.as_deref() {
                Some(id) => templates::update(list, id, draft)?,
                None => templates::create(list, draft)?,
            })
        })
        .await
    }

    /// Copies a template right after itself; returns the copy.
    pub async fn duplicate_template(&self, id: &str) -> Result<Template> {
        let id = id.to_owned();
        self.edit_templates(move |list| Ok(templates::duplicate(list, &id)?))
            .await
    }

    pub async fn delete_template(&self, id: &str) -> Result<Template> {
        let id = id.to_owned();
        self.edit_templates(move |list| Ok(templates::delete(list, &id)?))
            .await
    }

    /// Moves a template one place; returns its new place (from 0).
    pub async fn move_template(&self, id: &str, direction: Direction) -> Result<usize> {
        let id = id.to_owned();
        self.edit_templates(move |list| {
            Ok(match direction {
                Direction::Up => templates::move_up(list, &id)?,
                Direction::Down => templates::move_down(list, &id)?,
            })
        })
        .await
    }

    /// Adds what the templates file at `path` holds that is new, and says what it did. A file
    /// that cannot be opened, is too big or is not text is an error that names it; nothing
    /// is added then.
    pub async fn import_templates(&self, path: &Path) -> Result<ImportReport> {
        let bytes = files::read_capped_async(path, MAX_TEMPLATES_FILE_BYTES)
            .await?
            .ok_or(Error::Template(TemplateError::ImportNotTemplates))?;
        let text = String::from_utf8(bytes).map_err(|_| TemplateError::ImportNotTemplates)?;
        self.edit_templates(move |list| {
            let report = templates::import(&text, list)?;
            list.extend(report.imported.iter().cloned());
            Ok(report)
        })
        .await
    }

    /// Writes every template as a templates file at `path` (replacing a file that is there).
    pub async fn export_templates(&self, path: &Path) -> Result<()> {
        let text = templates::export(&self.templates().await?);
        files::write_async(path, text.into_bytes()).await
    }

    /// The business details that fill `{{business_name}}` and the other business fields.
    pub async fn business(&self) -> Result<BusinessInfo> {
        self.with_store(read_business).await
    }

    /// Saves the business details (each one line, control characters and spaces around it
    /// removed); returns them as saved. A detail longer than its bound is refused and nothing
    /// is saved.
    pub async fn save_business(&self, business: BusinessInfo) -> Result<BusinessInfo> {
        let business = business.checked()?;
        let saved = business.clone();
        self.with_store(move |s| s.save_business_for_team(&saved))
            .await?;
        self.tell(Change::of(ChangeKind::Settings));
        self.refresh_team_list().await;
        Ok(business)
    }

    /// `true` until the welcome has been finished once (showing it again is the harmless
    /// mistake when the store cannot say).
    pub async fn is_first_run(&self) -> Result<bool> {
        let done = self
            .with_store(|s| s.config::<bool>(keys::FIRST_RUN_DONE))
            .await?;
        Ok(done != Some(true))
    }

    /// Remembers that the welcome is finished.
    pub async fn finish_first_run(&self) -> Result<()> {
        self.with_store(|s| s.set_config(keys::FIRST_RUN_DONE, &true))
            .await
    }
}

//! Sending, and which channel messages go to.

use std::sync::Arc;

use smsdesk::desk::{Desk, DeskStatus, Sent};
use smsdesk::draft::Draft;
use smsdesk::templates::{self, TemplateFill};
use smsdesk::UserError;
use tauri::{AppHandle, State};

use super::blocking;
use crate::{settings_file, templates_file};

/// Checks the draft (nothing is sent when a check fails) and sends it on the active channel.
/// With `template`, the body sent is the saved template rendered with its values here, so an
/// empty field or a literal `{{…}}` is refused before anything is sent.
#[tauri::command]
pub async fn send_message(
    app: AppHandle,
    desk: State<'_, Arc<Desk>>,
    draft: Draft,
    template: Option<TemplateFill>,
) -> Result<Sent, UserError> {
    let (list, business) = (
        templates_file::load(&app)?,
        settings_file::load_business(&app),
    );
    let draft = templates::fill_draft(draft, template.as_ref(), &list, &business)
        .map_err(smsdesk::Error::from)?;
    let settings = settings_file::load(&app);
    Ok(desk.send(&draft, &settings).await?)
}

/// Practice or live, whether the keychain works, and the practice numbers to try.
#[tauri::command]
pub async fn get_status(desk: State<'_, Arc<Desk>>) -> Result<DeskStatus, UserError> {
    let desk = Arc::clone(&desk);
    blocking(move || Ok(desk.status())).await
}

//! The message as the compose form shows it: the live preview and cost, strict rendering, and
//! the look-alike characters that make a message cost more.

use std::collections::BTreeMap;

use smsdesk::segments::{self, Replacement, SegmentCount};
use smsdesk::templates::{self, MessagePreview};
use smsdesk::{Error, UserError};
use tauri::AppHandle;

use crate::settings_file;

/// The live preview: free text (`values` absent) or a template's text with the values typed so
/// far; empty fields and costly characters marked, and what it costs.
#[tauri::command]
pub async fn preview_message(
    app: AppHandle,
    body: String,
    values: Option<BTreeMap<String, String>>,
) -> Result<MessagePreview, UserError> {
    let business = settings_file::load_business(&app);
    Ok(templates::preview_message(&body, values.as_ref(), &business).map_err(Error::from)?)
}

/// The message exactly as it will be sent, or the error naming every empty field.
#[tauri::command]
pub async fn render_message(
    app: AppHandle,
    body: String,
    values: BTreeMap<String, String>,
) -> Result<String, UserError> {
    let business = settings_file::load_business(&app);
    Ok(templates::render(&body, &values, &business).map_err(Error::from)?)
}

#[tauri::command]
pub async fn count_segments(text: String) -> Result<SegmentCount, UserError> {
    Ok(segments::count(&text))
}

/// What "Replace special characters" would change, to show before it is applied.
#[tauri::command]
pub async fn find_lookalikes(text: String) -> Result<Vec<Replacement>, UserError> {
    Ok(segments::lookalikes(&text))
}

#[tauri::command]
pub async fn replace_lookalikes(text: String) -> Result<String, UserError> {
    Ok(segments::replace_lookalikes(&text))
}

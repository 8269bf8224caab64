//! The message as the compose form shows it: the live preview and cost, and the look-alike
//! characters that make a message cost more.

use std::collections::BTreeMap;
use std::sync::Arc;

use smsdesk::desk::Desk;
use smsdesk::templates::MessagePreview;
use smsdesk::UserError;
use tauri::State;

/// The live preview: free text (`values` absent) or a template's text with the values typed so
/// far; empty fields and costly characters marked, and what it costs.
#[tauri::command]
pub async fn preview_message(
    desk: State<'_, Arc<Desk>>,
    body: String,
    values: Option<BTreeMap<String, String>>,
) -> Result<MessagePreview, UserError> {
    Ok(desk.preview(&body, values.as_ref()).await?)
}

/// The text with look-alike characters (curly quotes, long dashes) replaced by plain ones.
#[tauri::command]
pub async fn replace_lookalikes(text: String) -> Result<String, UserError> {
    Ok(smsdesk::segments::replace_lookalikes(&text))
}

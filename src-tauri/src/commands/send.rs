//! Sending on the active channel.

use std::sync::Arc;

use smsdesk::desk::{Desk, Sent, Via};
use smsdesk::draft::Draft;
use smsdesk::templates::TemplateFill;
use smsdesk::UserError;
use tauri::State;

/// Checks the draft and sends it on the active channel (with `template`, the saved template
/// rendered with its values). A repeat of a message that may already have gone out is
/// refused (`maybe_sent`) unless `confirm_resend`.
#[tauri::command]
pub async fn send_message(
    desk: State<'_, Arc<Desk>>,
    draft: Draft,
    template: Option<TemplateFill>,
    confirm_resend: Option<bool>,
) -> Result<Sent, UserError> {
    let confirmed = confirm_resend.unwrap_or(false);
    Ok(desk.send(Via::Active, draft, template, confirmed).await?)
}

//! What to tell the person when SMS Desk starts, until it is resolved or dismissed.

use std::sync::Arc;

use smsdesk::desk::Desk;
use smsdesk::notice::Notice;
use smsdesk::UserError;
use tauri::State;

/// The notices, most serious first; empty when all is well. A store that cannot be opened
/// is a notice here (not an error), so the window can say why nothing can be sent.
#[tauri::command]
pub async fn get_notices(desk: State<'_, Arc<Desk>>) -> Result<Vec<Notice>, UserError> {
    Ok(desk.notices().await)
}

/// The person closed a notice: it is not shown again (`opt_outs_incomplete` stays until the
/// list is fixed). `false` when there was no such notice.
#[tauri::command]
pub async fn dismiss_notice(desk: State<'_, Arc<Desk>>, code: String) -> Result<bool, UserError> {
    Ok(desk.dismiss_notice(&code).await?)
}

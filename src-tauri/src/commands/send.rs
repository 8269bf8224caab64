//! Sending on the active channel.

use std::sync::Arc;

use smsdesk::desk::{Desk, SendContext, Sent};
use smsdesk::draft::Draft;
use smsdesk::templates::{self, TemplateFill};
use smsdesk::UserError;
use tauri::{AppHandle, State};

use super::blocking;
use crate::history_state::HistoryState;
use crate::{settings_file, templates_file};

/// Checks the draft (nothing is sent when a check fails) and sends it on the active channel.
/// With `template`, the body sent is the saved template rendered with its values here, so an
/// empty field or a literal `{{…}}` is refused before anything is sent.
#[tauri::command]
pub async fn send_message(
    app: AppHandle,
    desk: State<'_, Arc<Desk>>,
    history: State<'_, HistoryState>,
    draft: Draft,
    template: Option<TemplateFill>,
) -> Result<Sent, UserError> {
    let history = history.get()?;
    // The saved templates are read only for a template send: a damaged templates file must
    // not stop free-text messages.
    let (draft, context) = match &template {
        Some(fill) => {
            let (list, business) = (
                templates_file::load(&app)?,
                settings_file::load_business(&app),
            );
            let context = SendContext {
                template_id: Some(fill.template_id.clone()),
                template_name: list
                    .iter()
                    .find(|t| t.id == fill.template_id)
                    .map(|t| t.name.clone()),
            };
            let draft = templates::fill_draft(draft, Some(fill), &list, &business)
                .map_err(smsdesk::Error::from)?;
            (draft, context)
        }
        None => (draft, SendContext::default()),
    };
    let settings = settings_file::load(&app);
    let sent = desk.send(&history, &draft, &settings, &context).await?;
    // What the answer showed about the channel (HubSpot, a replaced key) is kept, on the
    // settings as they are now (the send took a while); failing to keep it must not hide the
    // send's result.
    let learned = sent.clone();
    let kept = blocking(move || {
        settings_file::edit(&app, |now| {
            let changed = now.learn_from(&learned);
            Ok(((), changed))
        })
    })
    .await;
    if let Err(error) = kept {
        eprintln!("SMS Desk: {}", error.message);
    }
    Ok(sent)
}

//! Sending later: Settings › Sending's time zone, sending window and grace period; a message
//! from New message scheduled for a time typed on the clinic's clock; the Scheduled screen's
//! list, Send now, Change time and Cancel. Times cross as `YYYY-MM-DD HH:MM` on the clinic's
//! clock (the desk reads them): the webview's clock is never asked.

use std::sync::Arc;

use smsdesk::desk::schedule::{Scheduled, SchedulingSettings};
use smsdesk::desk::schedule_app::{ScheduledList, SchedulingView, SentNow};
use smsdesk::desk::{Desk, Via};
use smsdesk::draft::Draft;
use smsdesk::templates::TemplateFill;
use smsdesk::worker::Worker;
use smsdesk::UserError;
use tauri::State;

#[tauri::command]
pub async fn get_scheduling(desk: State<'_, Arc<Desk>>) -> Result<SchedulingView, UserError> {
    Ok(desk.scheduling_view().await?)
}

/// Saves the time zone, the sending window and the grace period (checked); returns them as
/// saved.
#[tauri::command]
pub async fn save_scheduling(
    desk: State<'_, Arc<Desk>>,
    scheduling: SchedulingSettings,
) -> Result<SchedulingView, UserError> {
    Ok(desk.save_scheduling_view(scheduling).await?)
}

/// The time zones this computer knows, for the Settings picker.
#[tauri::command]
pub async fn list_time_zones(desk: State<'_, Arc<Desk>>) -> Result<Vec<String>, UserError> {
    Ok(desk.time_zones())
}

/// Schedules the draft (checked now, as a send would be) on the active channel for `at`
/// (`YYYY-MM-DD HH:MM` on the clinic's clock). Nothing is sent now.
#[tauri::command]
pub async fn schedule_message(
    desk: State<'_, Arc<Desk>>,
    draft: Draft,
    template: Option<TemplateFill>,
    at: String,
) -> Result<Scheduled, UserError> {
    Ok(desk
        .schedule_message_at(Via::Active, draft, template, &at)
        .await?)
}

/// Everything waiting for its time or for a person (missed first).
#[tauri::command]
pub async fn list_scheduled(desk: State<'_, Arc<Desk>>) -> Result<ScheduledList, UserError> {
    Ok(desk.scheduled_list().await?)
}

/// What waits in job `id` goes now (inside the sending window); the worker is woken.
#[tauri::command]
pub async fn send_scheduled_now(
    desk: State<'_, Arc<Desk>>,
    worker: State<'_, Arc<Worker>>,
    id: i64,
) -> Result<SentNow, UserError> {
    let sent = desk.send_scheduled_now_shown(id).await?;
    worker.wake();
    Ok(sent)
}

/// What waits in job `id` goes at `at` (`YYYY-MM-DD HH:MM` on the clinic's clock) instead.
#[tauri::command]
pub async fn reschedule(
    desk: State<'_, Arc<Desk>>,
    id: i64,
    at: String,
) -> Result<Scheduled, UserError> {
    Ok(desk.reschedule_at(id, &at).await?)
}

/// Job `id` never goes.
#[tauri::command]
pub async fn cancel_scheduled(desk: State<'_, Arc<Desk>>, id: i64) -> Result<(), UserError> {
    Ok(desk.cancel_scheduled(id).await?)
}

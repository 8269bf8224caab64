//! Settings › Team (issue 13): test a connection string, join a team as this desk, sync now,
//! leave; and the "team list as of" line every screen shows. The password in a connection
//! string goes to the keychain inside the desk and never comes back to the window.

use std::sync::Arc;

use smsdesk::desk::team::{Synced, TeamProbe, TeamSendShown, TeamStatus, CONNECT_TIMEOUT};
use smsdesk::desk::Desk;
use smsdesk::worker::Worker;
use smsdesk::UserError;
use tauri::State;

#[tauri::command]
pub async fn team_status(desk: State<'_, Arc<Desk>>) -> Result<TeamStatus, UserError> {
    Ok(desk.team_status().await?)
}

/// Connects and says what is there; changes nothing.
#[tauri::command]
pub async fn test_team_connection(
    desk: State<'_, Arc<Desk>>,
    connection: String,
) -> Result<TeamProbe, UserError> {
    Ok(desk.team_test_connection(&connection).await?)
}

/// Joins, uploads and merges this desk's list, templates and history; the worker then
/// listens for the other desks at once.
#[tauri::command]
pub async fn join_team(
    desk: State<'_, Arc<Desk>>,
    worker: State<'_, Arc<Worker>>,
    connection: String,
    desk_name: String,
) -> Result<Synced, UserError> {
    let synced = desk.team_join(&connection, &desk_name).await?;
    worker.team_changed();
    Ok(synced)
}

/// Pushes what waits if the server answers, then leaves; the number of changes that could
/// not be shared (null: not in a team).
#[tauri::command]
pub async fn leave_team(desk: State<'_, Arc<Desk>>) -> Result<Option<u64>, UserError> {
    Ok(desk.team_leave().await?)
}

#[tauri::command]
pub async fn sync_team(desk: State<'_, Arc<Desk>>) -> Result<Synced, UserError> {
    Ok(desk.team_sync(CONNECT_TIMEOUT).await?)
}

/// "Send lists on this copy anyway": good until the limit passes again.
#[tauri::command]
pub async fn confirm_stale_team_list(desk: State<'_, Arc<Desk>>) -> Result<TeamStatus, UserError> {
    desk.confirm_stale_team_list().await?;
    Ok(desk.team_status().await?)
}

#[tauri::command]
pub async fn set_team_stale_limit(
    desk: State<'_, Arc<Desk>>,
    minutes: u32,
) -> Result<TeamStatus, UserError> {
    desk.set_team_stale_limit(minutes).await?;
    Ok(desk.team_status().await?)
}

/// How many of the other desks' sends History shows: a number's, or the latest.
const TO_A_NUMBER: u32 = 50;
const LATEST: u32 = 10;

/// History's other desks (null: not in a team, or `search` is not a number).
#[tauri::command]
pub async fn list_team_history(
    desk: State<'_, Arc<Desk>>,
    search: String,
) -> Result<Option<Vec<TeamSendShown>>, UserError> {
    let limit = if search.trim().is_empty() {
        LATEST
    } else {
        TO_A_NUMBER
    };
    Ok(desk.team_history_shown(&search, limit).await?)
}

//! The person's settings and business details: read, and save after checking.

use std::sync::Arc;

use smsdesk::desk::Desk;
use smsdesk::settings::{SendingSettings, Settings};
use smsdesk::templates::BusinessInfo;
use smsdesk::UserError;
use tauri::State;

#[tauri::command]
pub async fn get_settings(desk: State<'_, Arc<Desk>>) -> Result<Settings, UserError> {
    Ok(desk.settings().await?)
}

/// Saves the Sending card (the default country, checked; channels and teammates are changed
/// by their own commands) and returns all the settings as saved.
#[tauri::command]
pub async fn save_settings(
    desk: State<'_, Arc<Desk>>,
    settings: SendingSettings,
) -> Result<Settings, UserError> {
    Ok(desk.save_sending(settings).await?)
}

/// The business details that fill `{{business_name}}`, `{{business_phone}}` and
/// `{{business_address}}` in templates.
#[tauri::command]
pub async fn get_business(desk: State<'_, Arc<Desk>>) -> Result<BusinessInfo, UserError> {
    Ok(desk.business().await?)
}

/// Saves the business details (spaces around each removed) and returns them as saved.
#[tauri::command]
pub async fn save_business(
    desk: State<'_, Arc<Desk>>,
    business: BusinessInfo,
) -> Result<BusinessInfo, UserError> {
    Ok(desk.save_business(business).await?)
}

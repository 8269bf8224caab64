//! The person's settings: read, and save after checking.

use smsdesk::desk::Settings;
use smsdesk::settings::SendingSettings;
use smsdesk::templates::BusinessInfo;
use smsdesk::UserError;
use tauri::AppHandle;

use crate::settings_file;

#[tauri::command]
pub async fn get_settings(app: AppHandle) -> Result<Settings, UserError> {
    Ok(settings_file::load(&app))
}

/// Saves the Sending card (the default country, checked; channels and teammates are changed
/// by their own commands) and returns all the settings as saved.
#[tauri::command]
pub async fn save_settings(
    app: AppHandle,
    settings: SendingSettings,
) -> Result<Settings, UserError> {
    settings_file::edit(&app, |saved| {
        *saved = saved.clone().with_sending(settings)?;
        Ok((saved.clone(), true))
    })
}

/// The business details that fill `{{business_name}}`, `{{business_phone}}` and
/// `{{business_address}}` in templates.
#[tauri::command]
pub async fn get_business(app: AppHandle) -> Result<BusinessInfo, UserError> {
    Ok(settings_file::load_business(&app))
}

/// Saves the business details (spaces around each removed) and returns them as saved.
#[tauri::command]
pub async fn save_business(
    app: AppHandle,
    business: BusinessInfo,
) -> Result<BusinessInfo, UserError> {
    let business = business.tidied();
    settings_file::save_business(&app, &business)?;
    Ok(business)
}

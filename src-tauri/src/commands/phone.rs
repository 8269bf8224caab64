//! Phone numbers: live validation as the person types, and the country list.

use std::sync::Arc;

use serde::Serialize;
use smsdesk::desk::Desk;
use smsdesk::phone::PhoneCheck;
use smsdesk::UserError;
use tauri::State;

/// Checks a typed number; numbers without `+` are read in `country`, or else in the saved
/// default country.
#[tauri::command]
pub async fn validate_phone(
    desk: State<'_, Arc<Desk>>,
    input: String,
    country: Option<String>,
) -> Result<PhoneCheck, UserError> {
    Ok(desk.check_number(&input, country.as_deref()).await?)
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CountryEntry {
    code: String,
    calling_code: i32,
}

/// Every country SMS Desk knows, by two-letter code, with its calling code (off the async
/// runtime: the first call may wait for the numbering data to load).
#[tauri::command]
pub async fn list_countries() -> Result<Vec<CountryEntry>, UserError> {
    let countries = tauri::async_runtime::spawn_blocking(smsdesk::phone::countries)
        .await
        .map_err(|e| {
            UserError::new(
                "unexpected",
                format!("SMS Desk could not list the countries: {e}"),
                "Restart SMS Desk.",
            )
        })?;
    Ok(countries
        .into_iter()
        .map(|(code, calling_code)| CountryEntry { code, calling_code })
        .collect())
}

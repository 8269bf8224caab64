//! Phone numbers: live validation as the person types, and the country list.

use serde::Serialize;
use smsdesk::phone::{self, Country, PhoneCheck};
use smsdesk::UserError;
use tauri::AppHandle;

use crate::settings_file;

/// Checks a typed number; numbers without `+` are read in `country`, or else in the saved
/// default country.
#[tauri::command]
pub async fn validate_phone(
    app: AppHandle,
    input: String,
    country: Option<String>,
) -> Result<PhoneCheck, UserError> {
    let country = match country.as_deref().map(str::trim) {
        Some(code) if !code.is_empty() => Some(Country::parse(code)?),
        _ => settings_file::load(&app).country(),
    };
    Ok(phone::validate(&input, country))
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CountryEntry {
    code: String,
    calling_code: i32,
}

/// Every country SMS Desk knows, by two-letter code, with its calling code.
#[tauri::command]
pub async fn list_countries() -> Result<Vec<CountryEntry>, UserError> {
    Ok(phone::countries()
        .into_iter()
        .map(|(code, calling_code)| CountryEntry { code, calling_code })
        .collect())
}

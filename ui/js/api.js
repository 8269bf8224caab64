// The only module that talks to the Rust side. One function per command; argument keys are
// camelCase (Tauri maps them to the Rust snake_case names). Every function returns a Promise;
// a failure rejects with the command's error, `{code, message, hint}`.

function invoke(command, args) {
  const tauri = window.__TAURI__;
  if (!tauri || !tauri.core) {
    return Promise.reject({
      code: 'no_backend',
      message: 'SMS Desk could not reach its own engine.',
      hint: 'Close SMS Desk and open it again.',
    });
  }
  return tauri.core.invoke(command, args).catch((error) => Promise.reject(asUserError(error)));
}

// Errors normally arrive as `{code, message, hint}`; anything else (an IPC failure) is wrapped.
function asUserError(error) {
  if (error && typeof error === 'object' && typeof error.message === 'string') {
    return { code: error.code || 'unexpected', message: error.message, hint: error.hint || '' };
  }
  return {
    code: 'unexpected',
    message: `Something unexpected went wrong: ${String(error)}`,
    hint: 'Try again. If it keeps happening, restart SMS Desk.',
  };
}

/** @returns {Promise<object>} PhoneCheck: {input, valid, e164, national, international, type, region, error, warning} */
export const validatePhone = (input, country) => invoke('validate_phone', { input, country: country || null });

/** @returns {Promise<Array<{code: string, callingCode: number}>>} */
export const listCountries = () => invoke('list_countries');

/** draft: {to, body, name, openConversation, teammateId}. Resolves with the send report. */
export const sendMessage = (draft) => invoke('send_message', { draft });

/** @returns {Promise<{mode: 'practice'|'live', keychain: object|null, practiceNumbers: Array}>} */
export const getStatus = () => invoke('get_status');

export const setApiKey = (key) => invoke('set_api_key', { key });
export const hasApiKey = () => invoke('has_api_key');
export const deleteApiKey = () => invoke('delete_api_key');

/** @returns {Promise<{defaultCountry: string|null, baseUrl: string}>} */
export const getSettings = () => invoke('get_settings');
export const saveSettings = (settings) => invoke('save_settings', { settings });

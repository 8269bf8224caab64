// The only module that talks to the Rust side. One function per command; argument keys are
// camelCase (Tauri maps them to the Rust snake_case names), and so are the answers' keys.
// Every function returns a Promise; a failure rejects with the command's error,
// `{code, message, hint}`. `onDeskChanged` hears what the back end changed by itself.

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

/**
 * draft: {to, body, name, openConversation, teammateId}. template: {templateId, values} or null;
 * with a template the body is rendered from the saved template in Rust (draft.body is ignored).
 * When the last message to this number with this text may have been sent (its outcome is
 * unknown), the send is refused with the code `maybe_sent` and nothing is sent, unless the
 * person confirmed it (`confirmResend` true).
 * @returns {Promise<object>} {outcome: 'accepted'|'rejected'|'unauthorized'|'not_sent'|'unknown',
 *   httpStatus, requestId, messageId, phoneNumber, errorCode, error, attempts,
 *   problem: {code, message, hint}|null, mode: 'practice'|'live', channelId, channelName, historyId}
 */
export const sendMessage = (draft, template, confirmResend = false) =>
  invoke('send_message', { draft, template: template || null, confirmResend: Boolean(confirmResend) });

/**
 * @returns {Promise<object>} DeskStatus: {mode: 'practice'|'live', activeChannel, channels:
 *   [{id, name, practice, baseUrl, hasKey, keyProblem: 'none'|'unauthorized'|'deprecated',
 *   workspace: 'unknown'|'intercom'|'hubspot'}], keychain: object|null, practiceNumbers}
 */
export const getStatus = () => invoke('get_status');

// Channels. Each change resolves with the new DeskStatus. Keys go in, never come back.
export const addChannel = (name, key, baseUrl) => invoke('add_channel', { name, key, baseUrl });
export const renameChannel = (id, name) => invoke('rename_channel', { id, name });
export const deleteChannel = (id) => invoke('delete_channel', { id });
export const setActiveChannel = (id) => invoke('set_active_channel', { id });
export const setChannelKey = (id, key) => invoke('set_channel_key', { id, key });
/** The first run's key: stored on the first channel ("Main number", made if needed), made active. */
export const setApiKey = (key) => invoke('set_api_key', { key });
/** @returns {Promise<{verdict: 'valid'|'invalid'|'deprecated'|'unknown', reason?: string}>} */
export const testChannelKey = (id) => invoke('test_channel_key', { id });

/** @returns {Promise<{defaultCountry: string|null, channels, activeChannel, teammates: Array<{id, name}>, defaultTeammate: string|null}>} */
export const getSettings = () => invoke('get_settings');
/** Saves the Sending card ({defaultCountry}); resolves with all the settings. */
export const saveSettings = (settings) => invoke('save_settings', { settings });

// Intercom teammates. Each resolves with all the settings as saved.
export const addTeammate = (name, teammateId) => invoke('add_teammate', { name, teammateId });
export const deleteTeammate = (teammateId) => invoke('delete_teammate', { teammateId });
export const setDefaultTeammate = (teammateId) => invoke('set_default_teammate', { teammateId });

// Team desks (Settings › Team). A connection string goes in; its password never comes back.
/**
 * @returns {Promise<object>} {joined, desk, server (without its password), lastSync, pending,
 *   stale, staleAfterMinutes, asOf ('10:32', or '1 Dec 10:32' on another day), staleConfirmed}
 */
export const teamStatus = () => invoke('team_status');
/** @returns {Promise<{serverVersion: string, desks: string[], plainText: boolean}>} changes nothing */
export const testTeamConnection = (connection) => invoke('test_team_connection', { connection });
/**
 * @returns {Promise<object>} Synced: {pushed, pulled, changed, sendsPushed, sendsPulled,
 *   crossings: [{kind, name, otherDesk, keptAs, message}]}
 */
export const joinTeam = (connection, deskName) => invoke('join_team', { connection, deskName });
/** Pushes what waits if the server answers, then leaves. @returns {Promise<number|null>} the changes that could not be shared (null: not in a team) */
export const leaveTeam = () => invoke('leave_team');
export const syncTeam = () => invoke('sync_team');
/** Lists may start on the old copy of the team list until the limit passes again. */
export const confirmStaleTeamList = () => invoke('confirm_stale_team_list');
export const setTeamStaleLimit = (minutes) => invoke('set_team_stale_limit', { minutes });
/**
 * History's other desks: newest first; to one number when `search` reads as one.
 * @returns {Promise<Array<{desk, number, shownNumber, template, state, summary, sentAt}>|null>}
 *   null when not in a team, or when `search` is not a number
 */
export const listTeamHistory = (search) => invoke('list_team_history', { search: search || '' });

/** @returns {Promise<{businessName: string, businessPhone: string, businessAddress: string}>} */
export const getBusiness = () => invoke('get_business');
export const saveBusiness = (business) => invoke('save_business', { business });

/** @returns {Promise<Array<{id, name, body, openConversation, teammateId}>>} in order */
export const listTemplates = () => invoke('list_templates');
/** Creates (id null) or updates a template from {name, body, openConversation, teammateId}. */
export const saveTemplate = (id, draft) => invoke('save_template', { id: id || null, draft });
export const duplicateTemplate = (id) => invoke('duplicate_template', { id });
export const deleteTemplate = (id) => invoke('delete_template', { id });
/** direction: 'up' | 'down'. */
export const moveTemplate = (id, direction) => invoke('move_template', { id, direction });
/** Shows the system's open dialog; resolves with {imported, skipped, invalid}, or null if cancelled. */
export const importTemplates = () => invoke('import_templates');
/** Shows the system's save dialog; resolves with the saved file's path, or null if cancelled. */
export const exportTemplates = () => invoke('export_templates');
/** @returns {Promise<string>} how to write fields, one point a line */
export const getTemplateHelp = () => invoke('get_template_help');

/**
 * The live preview: free text (values null) or a template's text with the values typed so far.
 * @returns {Promise<object>} {text, complete, fields, missing, runs: [{text, kind}], count,
 *   maxCharacters, lookalikes, templateLookalikes, segmentsIfReplaced}
 */
export const previewMessage = (body, values) => invoke('preview_message', { body, values: values || null });
/** The text with look-alike characters replaced by plain ones. */
export const replaceLookalikes = (text) => invoke('replace_lookalikes', { text });

/** @returns {Promise<boolean>} true until the first-run welcome has been finished once. */
export const isFirstRun = () => invoke('is_first_run');
/** Remembers that the welcome is finished, so it is not shown again. */
export const finishFirstRun = () => invoke('finish_first_run');
/** @returns {Promise<string|null>} the country in the system's language setting, such as "IE". */
export const guessCountry = () => invoke('guess_country');

// History. A filter is {search, status, channel, from, until} (all optional; from/until are
// milliseconds since 1970, from inclusive, until exclusive).
/** @returns {Promise<{entries: object[], total: number, offset: number}>} newest first */
export const listHistory = (filter, offset, limit) => invoke('list_history', { filter, offset, limit });
/** @returns {Promise<object|null>} the entry with `events: [{at, what}]`, `rawResponse`, `rawStatus` */
export const getHistoryEntry = (id) => invoke('get_history_entry', { id });
/** @returns {Promise<Array<{id: string, name: string}>>} the channels that have messages */
export const listHistoryChannels = () => invoke('list_history_channels');
/** Shows the save dialog; resolves with {count, path}, or null if cancelled. */
export const exportHistory = (filter) => invoke('export_history', { filter });
/** Asks Octopods about this message's delivery now; false when it cannot be tracked. */
export const refreshDelivery = (id) => invoke('refresh_delivery', { id });

// The do-not-text list. Numbers go in in any format and come back as E.164.
/** @returns {Promise<Array<{number, reason, addedAt, message}>>} newest first */
export const listOptOuts = (search) => invoke('list_opt_outs', { search: search || '' });
/**
 * fromMessage: the history id it was added from, or null. Resolves with the entry as it
 * stands, `{number, reason, addedAt, message, already}` (already: it was on the list before).
 */
export const addOptOut = (number, reason, fromMessage) =>
  invoke('add_opt_out', { number, reason, fromMessage: fromMessage ?? null });
/** @returns {Promise<boolean>} false when the number was not on the list */
export const removeOptOut = (number) => invoke('remove_opt_out', { number });
/** Shows the open dialog; resolves with {added, already, invalid: [{line, text, reason}]}, or null. */
export const importOptOuts = () => invoke('import_opt_outs');
/** Shows the save dialog; resolves with {count, path}, or null if cancelled. */
export const exportOptOuts = () => invoke('export_opt_outs');

/** @returns {Promise<Array<{code, message, hint}>>} what to tell the person at start-up */
export const getNotices = () => invoke('get_notices');
/** Forgets a notice for good (the person hid it). `opt_outs_incomplete` cannot be dismissed. */
export const dismissNotice = (code) => invoke('dismiss_notice', { code });
/**
 * The person says the do-not-text list is complete after a damaged history file: live sends
 * (refused with `opt_outs_incomplete` until then) work again. Resolves with nothing.
 */
export const confirmOptOutsComplete = () => invoke('confirm_opt_outs_complete');

// Reminders from a spreadsheet (bulk jobs). An opened file is kept by the back end and named
// by its `draft` number; the window never holds a path. A column choice is
// `{phone, name, fields: {placeholder: columnIndex}}` (indexes into `headers`).
/**
 * Shows the open dialog and reads the file picked; resolves with null if cancelled, else
 * `{draft, fileName, headers, samples (per column, the first values), rows, encoding,
 * encodingLabel, delimiter (',' | ';' | 'tab' | null), sheets, sheet, mapping, remembered}`
 * (the columns guessed for `templateId`'s fields, or remembered for these headings).
 */
export const chooseBulkFile = (templateId) => invoke('choose_bulk_file', { templateId: templateId || null });
/**
 * Reads the file SMS Desk was started with (`smsdesk-app tomorrow.csv`: "Open with SMS Desk")
 * as chooseBulkFile reads the file picked; resolves with null when there was none, and on every
 * call after the first. A file that cannot be read rejects as chooseBulkFile does.
 */
export const openStartupFile = (templateId) => invoke('open_startup_file', { templateId: templateId || null });
/**
 * Reads the opened file again with `{encoding, delimiter, sheet}` (each null: detected) or for
 * another template; resolves with the file as opened now (a new draft; the old one is dropped).
 */
export const reopenBulkFile = (draft, options, templateId) => invoke('reopen_bulk_file', {
  draft,
  encoding: options.encoding || null,
  delimiter: options.delimiter || null,
  sheet: options.sheet || null,
  templateId: templateId || null,
});
/**
 * The person's choices for the rows, the same for the preview, the test and the start:
 * `{keepDuplicates, addLeadingZero}` (read the numbers Excel dropped the leading 0 of with it).
 */
const planOptions = (options) => ({
  keepDuplicates: Boolean(options && options.keepDuplicates),
  addLeadingZero: Boolean(options && options.addLeadingZero),
});
/**
 * When the rows go, the same for the preview, the test and the start: `{when, sendPastNow}`.
 * when: `{kind: 'now'}`, `{kind: 'at', at: 'YYYY-MM-DD HH:MM'}` (on the clinic's clock) or
 * `{kind: 'before', lead: '1 day at 10:00' | 'on the day at 08:30' | '2 hours', dateColumn,
 * timeColumn (null: none)}` (column indexes into `headers`). sendPastNow: rows whose reminder
 * time has passed go at once instead of being left out.
 */
const bulkTiming = (timing) => ({
  when: (timing && timing.when) || { kind: 'now' },
  sendPastNow: Boolean(timing && timing.sendPastNow),
});
/**
 * Every row checked and rendered with `options` (see planOptions) and given its time by
 * `timing` (see bulkTiming); nothing sent. rate: segments per second.
 * @returns {Promise<object>} {rows: [{row, to, typed, name, body, segments, outcome:
 *   'pending'|'invalid'|'duplicate'|'blocked'|'not_sent' (its time has passed), problem,
 *   foreign, leadingZero: null|'offered'|'added', dueAt}], messages, segments, leadingZero:
 *   null|{rows, exampleTyped, exampleWithZero, added}, timing: null|{leadWords, zone, firstAt,
 *   lastAt, past, pastSentNow, movedByQuietHours}, sendTimes (per row: 'Wed 2 Dec, 10:00 GMT'
 *   or null), firstShown, lastShown, channelName, practice, rate, seconds}
 */
export const previewBulk = (draft, templateId, choice, options, timing, rate) =>
  invoke('preview_bulk', { draft, templateId, choice, options: planOptions(options), timing: bulkTiming(timing), rate });
/**
 * Sends the first message of the list (with `options` and `timing`) to `number` now; resolves
 * as sendMessage does, with `shownTo`: the number grouped as screens show it (+1 201-555-0199).
 */
export const sendBulkTest = (draft, templateId, choice, options, timing, number) =>
  invoke('send_bulk_test', { draft, templateId, choice, options: planOptions(options), timing: bulkTiming(timing), number });
/**
 * Stores the job (with `options` and `timing`: rows with a later time wait for it) and starts
 * it in the background; resolves with the job's id.
 */
export const startBulk = (draft, templateId, choice, options, timing, rate) =>
  invoke('start_bulk', { draft, templateId, choice, options: planOptions(options), timing: bulkTiming(timing), rate });
/** Drops an opened file that will not be sent. */
export const forgetBulkFile = (draft) => invoke('forget_bulk_file', { draft });
/**
 * @returns {Promise<object[]>} the jobs, newest first: {id, createdAt, fileName, templateName,
 *   channelName, rate, state: 'ready'|'running'|'paused'|'cancelled'|'done', problem, counts:
 *   {total, pending, sending, accepted, rejected, unauthorized, notSent, unknown, blocked,
 *   invalid, duplicate}}
 */
export const listJobs = () => invoke('list_jobs');
export const getJob = (id) => invoke('get_job', { id });
/** @returns {Promise<object[]>} every row: {row, to, name, body, segments, outcome, problem, message, messageId, status} */
export const getJobReport = (id) => invoke('get_job_report', { id });
export const pauseJob = (id) => invoke('pause_job', { id });
export const resumeJob = (id) => invoke('resume_job', { id });
/** No new sends; the rows not tried read "not sent". */
export const cancelJob = (id) => invoke('cancel_job', { id });
/** Shows the save dialog; resolves with {count, path}, or null if cancelled. */
export const exportJob = (id) => invoke('export_job', { id });
/** @returns {Promise<string[]>} the numbers whose messages were refused because the person opted out */
export const optedOutInJob = (id) => invoke('opted_out_in_job', { id });
/** Puts those numbers on the do-not-text list; resolves with how many. */
export const addOptedOutInJob = (id) => invoke('add_opted_out_in_job', { id });
/** Closes the window although reminders are being sent (the person was asked first). */
export const closeAnyway = () => invoke('close_anyway');
/** "Keep sending in the background": hides the window to the tray; resolves with false when there is no tray (the window stays). */
export const keepInTray = () => invoke('keep_in_tray');
/** Whether SMS Desk starts at login, in the tray; with `enabled` (true/false) turns it on or off first. */
export const autostart = (enabled) => invoke('autostart', { enabled: enabled ?? null });

// Sending later. Times go in as 'YYYY-MM-DD HH:MM' on the clinic's clock (Settings › Sending ›
// Time zone), never on the webview's; they come back in words on that clock.
/**
 * @returns {Promise<object>} {timeZone: string|null (null: the computer's), sendFrom: '08:00',
 *   sendUntil: '21:00', graceMinutes: 15, zone (the zone in use), computerZone, today, tomorrow
 *   ('YYYY-MM-DD' on the clinic's clock)}
 */
export const getScheduling = () => invoke('get_scheduling');
/** Saves {timeZone, sendFrom, sendUntil, graceMinutes} (checked); resolves as getScheduling. */
export const saveScheduling = (scheduling) => invoke('save_scheduling', { scheduling });
/** @returns {Promise<string[]>} the IANA time zones this computer knows, sorted */
export const listTimeZones = () => invoke('list_time_zones');
/**
 * Schedules a message (draft and template as sendMessage takes them) on the active channel for
 * `at`; nothing is sent now. Refused as a send would be (invalid number, do-not-text list), or
 * with `bad_time` (in the past, unreadable).
 * @returns {Promise<object>} {id, at, atShown ('Wed 2 Dec 2026, 10:00 GMT'), atRfc3339, moved
 *   (quiet hours moved it)}
 */
export const scheduleMessage = (draft, template, at) =>
  invoke('schedule_message', { draft, template: template || null, at });
/**
 * @returns {Promise<object>} {zone, missed (rows, in all), items: [job fields (id, kind:
 *   'single'|'list', fileName, template, templateName, channelName, lead, nextAt, missedAt, to,
 *   counts) with nextWords, missedWords ('tomorrow at 10:00 GMT'), toShown, changeFrom
 *   ('YYYY-MM-DD HH:MM')]} missed first
 */
export const listScheduled = () => invoke('list_scheduled');
/** @returns {Promise<{messages: number, windowOpen: boolean, opensWords: string|null}>} */
export const sendScheduledNow = (id) => invoke('send_scheduled_now', { id });
/** What waits in job `id` goes at `at` instead; resolves as scheduleMessage. */
export const reschedule = (id, at) => invoke('reschedule', { id, at });
/** Job `id` never goes. */
export const cancelScheduled = (id) => invoke('cancel_scheduled', { id });

/** @returns {Promise<object>} UpdateStatus: {current, state, available: {version, notes, date} | null, checkedAt, problem} */
export const getUpdate = () => invoke('get_update');
/** Looks for a new version now; resolves with the UpdateStatus. */
export const checkForUpdate = () => invoke('check_for_update');
/** Installs the new version (SMS Desk then starts again); rejects with why it waits or failed. */
export const installUpdate = () => invoke('install_update');
/** @returns {Promise<object>} {version, buildDate, dataFolder, logFile, keychain, system} */
export const getAbout = () => invoke('get_about');
/** @returns {Promise<string>} the diagnostics text: no key, message or phone number */
export const getDiagnostics = () => invoke('get_diagnostics');
/** Opens the data folder in the file manager. */
export const openDataFolder = () => invoke('open_data_folder');

/**
 * Calls `handler(status)` (an UpdateStatus) whenever what is known of new versions changes.
 * @returns {Promise<Function>} resolves with the function that stops listening
 */
export function onUpdateChanged(handler) {
  const tauri = window.__TAURI__;
  if (!tauri || !tauri.event || typeof tauri.event.listen !== 'function') {
    return Promise.resolve(() => {});
  }
  return tauri.event.listen('update-changed', (event) => handler(event.payload || {}));
}

/**
 * Calls `handler({kind, id})` whenever the back end changes something a screen shows. kind:
 * 'history' (a message was added or its outcome changed; id: its history id), 'delivery' (its
 * delivery status changed; id: its history id), 'job' (a reminders job or a message sent later
 * moved on; id: the job),
 * 'optOuts', 'settings', 'templates' or 'team' (joined, left, synced; id null).
 * @returns {Promise<Function>} resolves with the function that stops listening
 */
export function onDeskChanged(handler) {
  const tauri = window.__TAURI__;
  if (!tauri || !tauri.event || typeof tauri.event.listen !== 'function') {
    return Promise.resolve(() => {});
  }
  return tauri.event.listen('desk-changed', (event) => handler(event.payload || {}));
}

/**
 * Calls `handler({tray})` when the person closes the window while reminders are being sent:
 * the window stays open until `closeAnyway()` (or `keepInTray()`, when `tray` is true).
 * @returns {Promise<Function>} resolves with the function that stops listening
 */
export function onCloseWhileSending(handler) {
  const tauri = window.__TAURI__;
  if (!tauri || !tauri.event || typeof tauri.event.listen !== 'function') {
    return Promise.resolve(() => {});
  }
  return tauri.event.listen('close-while-sending', (event) => handler(event.payload || {}));
}

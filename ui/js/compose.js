// The compose screen's wiring: the form and Send. Its parts are in their own files: the
// channel bar and Intercom options (compose_channel.js), the recipient's number check
// (compose_recipient.js), the template and its fields (compose_template.js), the live preview
// and cost (compose_preview.js), what a send shows, with "Send it again anyway?" after an
// unknown outcome (compose_result.js), and "Send later…" (compose_later.js). It never talks to
// the backend itself: main.js hands it `validate`, `preview`, `replace`, `send`, `schedule`,
// `scheduling`, `pickChannel`, `fixKey` and navigation.

import { errorNotice, regionName, showIn } from './dom.js';
import * as channel from './compose_channel.js';
import * as later from './compose_later.js';
import * as preview from './compose_preview.js';
import * as recipient from './compose_recipient.js';
import * as result from './compose_result.js';
import * as template from './compose_template.js';

// Which field to go back to when the draft is refused before sending.
const FIELD_FOR_CODE = {
  invalid_phone: 'to',
  empty_body: 'body',
  body_too_long: 'body',
  invalid_teammate: 'teammate',
  teammate_id_too_long: 'teammate',
  name_too_long: 'name',
  no_channel_key: 'channel-fix',
  opted_out: 'to',
  opt_outs_incomplete: 'open-optouts',
};

const $ = (id) => document.getElementById(id);

let handlers = null;
let sending = false;
/** The active channel is Practice (nobody is texted). */
let practice = false;
/**
 * The draft the back end refused because the same message may already have arrived (as
 * JSON), while "Send it again anyway?" shows; null otherwise. The confirmation is sent only
 * for exactly that draft: a draft changed meanwhile is sent as any other, and asked about
 * again if needed.
 */
let refused = null;
/**
 * The draft filled in from History after the person answered "Send it again anyway?" there
 * (the message's outcome was unknown), as JSON; null otherwise. That answer is the one
 * question: Send message sends exactly that draft with the confirmation, once. A draft
 * changed meanwhile is sent as any other, and asked about again if needed.
 */
let confirmedInHistory = null;

/**
 * Attaches the screen's events. Handlers return Promises: `validate(text)` (a phone check,
 * with `optOut` when the number is on the do-not-text list), `preview(body, values|null)`,
 * `replace(text)`, `send(draft, template|null, confirmResend)`, `schedule(draft, template|null,
 * at)` (at: 'YYYY-MM-DD HH:MM' on the clinic's clock), `scheduling()` (the clinic's zone and
 * dates); and `openBusiness(field)`, `editTemplate(id)` and `openOptOuts(why)` switch screens.
 */
export function bind(h) {
  handlers = h;
  channel.bind({ pick: h.pickChannel, fixKey: h.fixKey });
  recipient.bind(h.validate);
  template.bind({
    preview: h.preview,
    applyDefaults: (picked) => channel.applyTemplate(picked),
    changed: () => {
      preview.closeReplacements();
      preview.now();
    },
    showError: (error) => showIn($('send-result'), errorNotice(error, 'This template cannot be used')),
  });
  result.bind({ resend: () => submit(true), cancel: cancelResend });
  later.bind({ scheduling: h.scheduling, schedule: (at) => scheduleAt(at) });
  $('open-business').addEventListener('click', () => {
    const first = preview.missingBusiness()[0];
    handlers.openBusiness(first ? first.name : null);
  });
  $('edit-template').addEventListener('click', () => {
    const picked = template.picked();
    if (picked) handlers.editTemplate(picked.id);
  });
  const form = $('compose-form');
  // Enter in a field submits the form; while "Send it again anyway?" shows, it does not send.
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit(false);
  });
  // Ctrl+Enter (Cmd+Enter on a Mac) sends from anywhere in the form.
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit(false);
    }
  });
  preview.bind({
    preview: h.preview,
    replace: h.replace,
    showError: (error, title) => showIn($('send-result'), errorNotice(error, title)),
  });
}

/** Shows what depends on the app's state: the templates offered, the hint under the number. */
export function render(state) {
  practice = Boolean(state.status && state.status.mode === 'practice');
  channel.render(state);
  template.render(state.templates || []);
  const country = state.settings && state.settings.defaultCountry;
  const entry = country && state.countries.find((c) => c.code === country);
  $('to-help').textContent = country
    ? `Numbers without + are read as ${regionName(country)} numbers${entry ? ` (+${entry.callingCode})` : ''}.`
    : 'Start with + and the country code (such as +1 or +44), or set your country in Settings.';
}

/** Puts a number in the recipient field (from the practice list) and checks it. */
export function useNumber(number) {
  $('to').value = number;
  recipient.checkNow();
}

/**
 * Fills the form from a message in History ("Send again"): its number and text as free text,
 * and its Intercom options. Nothing is sent: the person checks it and presses Send. History
 * hands over a message whose outcome was unknown only once the person said to send it again
 * anyway: Send message does not ask a second time for that draft.
 */
export function prefill(message) {
  if (template.picked()) template.pick('');
  $('to').value = message.to;
  $('body').value = message.body;
  const channelNote = channel.prefill(message);
  dropResend();
  confirmedInHistory = message.state === 'unknown' ? signatureNow() : null;
  preview.closeReplacements();
  recipient.checkNow();
  preview.now();
  result.showReady(channelNote);
  $('body').focus();
}

/** Checks the current number again (after the default country or the do-not-text list changed). */
export function revalidate() {
  if ($('to').value.trim()) recipient.checkNow();
}

export function focusFirstField() {
  $('to').focus();
}

/** The template picked in compose, or null. */
export function pickedTemplateId() {
  const picked = template.picked();
  return picked ? picked.id : null;
}

/** Shows the preview again (after the business details changed). */
export function refreshPreview() {
  preview.now();
}

function readDraft() {
  return {
    to: $('to').value,
    body: template.picked() ? '' : $('body').value,
    ...channel.intercomDraft(),
  };
}

function readTemplate() {
  const picked = template.picked();
  return picked ? { templateId: picked.id, values: template.readValues() } : null;
}

/** The form as it would be sent, to tell whether it is the draft a question was answered for. */
function signatureNow() {
  return JSON.stringify([readDraft(), readTemplate(), $('channel').value]);
}

/**
 * Sends the form. `confirmed`: the person answered "Send it again anyway"; anything else
 * (Send, Enter, Ctrl+Enter) sends nothing while that question waits for an answer.
 */
async function submit(confirmed) {
  if (sending) return; // one send at a time: no double submission
  if (result.confirming() && !confirmed) {
    $('compose-resend-message').focus();
    return;
  }
  const draft = readDraft();
  const fill = readTemplate();
  const signature = JSON.stringify([draft, fill, $('channel').value]);
  const confirmResend = (confirmed && signature === refused) || signature === confirmedInHistory;
  dropResend();
  setSending(true);
  result.showSending();
  try {
    const sent = await handlers.send(draft, fill, confirmResend);
    // Sent (whatever became of it): a repeat of it is asked about again.
    confirmedInHistory = null;
    if (result.showSent(sent)) clearForNext();
  } catch (error) {
    // The answer given in History stands, for that draft, through a refusal made before any
    // request (a key to fix, the do-not-text list); after anything else it is asked again.
    if (!Object.hasOwn(FIELD_FOR_CODE, error.code)) confirmedInHistory = null;
    if (error.code === 'maybe_sent') {
      refused = signature;
      result.askToResend(error);
    } else {
      result.showError(error, (why) => handlers.openOptOuts(why));
      focusProblem(error);
    }
  } finally {
    setSending(false);
    if (!result.confirming()) $('send-result').scrollIntoView({ block: 'nearest' });
    // The answered question was hidden under the focus: back to the message.
    if (!document.activeElement || document.activeElement === document.body) focusMessage();
  }
}

/**
 * "Schedule message": the form as it is, checked now as a send would be and stored to go at
 * `at`; nothing is sent now. A refusal is said where a send's is, with the field to change.
 */
async function scheduleAt(at) {
  if (sending) return;
  if (result.confirming()) {
    $('compose-resend-message').focus();
    return;
  }
  const draft = readDraft();
  const fill = readTemplate();
  setSending(true, { later: true });
  result.showScheduling();
  try {
    const to = recipient.checkedNumber();
    const scheduled = await handlers.schedule(draft, fill, at);
    confirmedInHistory = null;
    later.showScheduled(scheduled, { practice, to });
    later.reset();
    clearForNext();
  } catch (error) {
    result.showError(error, (why) => handlers.openOptOuts(why), 'Not scheduled');
    if (error.code === 'bad_time') later.focusTime();
    else focusProblem(error);
  } finally {
    setSending(false);
    $('send-result').scrollIntoView({ block: 'nearest' });
  }
}

/** "Don't send": nothing is sent, the message stays in the form. */
function cancelResend() {
  dropResend();
  result.showNotResent();
  focusMessage();
}

/** The cursor in the message: its text, or the template's first field. */
function focusMessage() {
  if (!template.picked()) $('body').focus();
  else (template.fieldInputs()[0] || $('template')).focus();
}

/** Forgets the question "Send it again anyway?" (answered, or the form was filled in again). */
function dropResend() {
  refused = null;
  result.hideResend();
  updateSendButton();
}

/** Puts the cursor where the refused draft needs a change. */
function focusProblem(error) {
  if (error.code === 'template_missing_values') {
    const values = template.readValues();
    const empty = template.fieldInputs().find((input) => !values[input.dataset.field].trim());
    (empty || $('open-business')).focus();
    preview.now();
    return;
  }
  if (error.code === 'template_not_found') {
    handlers.reloadTemplates();
    return;
  }
  const field = FIELD_FOR_CODE[error.code];
  if (field === 'body' && template.picked()) {
    $('template').focus();
  } else if (field) {
    $(field)?.focus();
  }
}

function setSending(on, { later: scheduling = false } = {}) {
  sending = on;
  $('send').textContent = on && !scheduling ? 'Sending…' : 'Send message';
  $('schedule').textContent = on && scheduling ? 'Scheduling…' : 'Schedule message';
  $('compose-form').setAttribute('aria-busy', on ? 'true' : 'false');
  updateSendButton();
}

// Send waits while a send is on its way, and while "Send it again anyway?" is asked.
function updateSendButton() {
  const waiting = sending || result.confirming();
  $('send').disabled = waiting;
  $('schedule').disabled = waiting;
}

// Ready for the next message: the template (and its Intercom options) stay picked.
function clearForNext() {
  $('to').value = '';
  $('name').value = '';
  $('body').value = '';
  template.clearValues();
  recipient.clear();
  preview.now();
  $('to').focus();
}

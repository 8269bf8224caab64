// The compose screen: recipient (checked as it is typed), name, message, Intercom options,
// Send. It never talks to the backend itself: main.js hands it `validate` and `send`.

import { errorNotice, formatCount, notice, regionName, showIn } from './dom.js';

const MAX_CHARS = 1600;
const VALIDATE_DELAY_MS = 120;

const KIND_WORDS = {
  mobile: 'Mobile',
  fixed_line: 'Landline',
  fixed_line_or_mobile: 'Mobile or landline',
  toll_free: 'Toll-free number',
  premium_rate: 'Premium-rate number',
  shared_cost: 'Shared-cost number',
  voip: 'Internet phone number',
  personal_number: 'Personal number',
  pager: 'Pager',
  uan: 'Business number',
  voicemail: 'Voicemail number',
  unknown: 'Phone number',
};

// Which field to go back to when the draft is refused before sending.
const FIELD_FOR_CODE = {
  invalid_phone: 'to',
  empty_body: 'body',
  body_too_long: 'body',
  invalid_teammate: 'teammate',
};

const $ = (id) => document.getElementById(id);

let handlers = null;
let sending = false;
let validateTimer = 0;
let validateSeq = 0;
/** The last valid check shown, to name the recipient as the person typed them. */
let lastValid = null;

/** Attaches the screen's events. `h.validate(text)` and `h.send(draft)` return Promises. */
export function bind(h) {
  handlers = h;
  const form = $('compose-form');
  $('to').addEventListener('input', scheduleValidation);
  $('body').addEventListener('input', renderCount);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  // Ctrl+Enter (Cmd+Enter on a Mac) sends from anywhere in the form.
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit();
    }
  });
  renderCount();
}

/** Shows what depends on the app's state: the hint under the number field. */
export function render(state) {
  const country = state.settings && state.settings.defaultCountry;
  const entry = country && state.countries.find((c) => c.code === country);
  $('to-help').textContent = country
    ? `Numbers without + are read as ${regionName(country)} numbers${entry ? ` (+${entry.callingCode})` : ''}.`
    : 'Start with + and the country code (such as +1 or +44), or set your country in Settings.';
}

/** Puts a number in the recipient field (from the practice list) and checks it. */
export function useNumber(number) {
  $('to').value = number;
  validateNow();
}

/** Checks the current number again (after the default country changed). */
export function revalidate() {
  if ($('to').value.trim()) validateNow();
}

export function focusFirstField() {
  $('to').focus();
}

function scheduleValidation() {
  clearTimeout(validateTimer);
  validateTimer = setTimeout(validateNow, VALIDATE_DELAY_MS);
}

function validateNow() {
  clearTimeout(validateTimer);
  const text = $('to').value;
  const seq = ++validateSeq;
  if (!text.trim()) {
    renderCheck(null);
    return;
  }
  handlers.validate(text).then(
    (check) => {
      // Only the answer for the latest keystroke is shown.
      if (seq === validateSeq) renderCheck(check);
    },
    (error) => {
      if (seq === validateSeq) renderCheckError(error);
    },
  );
}

function renderCheck(check) {
  const box = $('to-check');
  box.replaceChildren();
  $('to').removeAttribute('aria-invalid');
  lastValid = check && check.valid ? check : null;
  if (!check) return;
  const line = document.createElement('p');
  if (check.valid) {
    line.className = 'check-valid';
    const parts = [KIND_WORDS[check.type] || 'Phone number', regionName(check.region)].filter(Boolean);
    line.textContent = `✓ ${parts.join(' · ')}`;
    if (check.international) {
      const number = document.createElement('span');
      number.className = 'nowrap';
      number.textContent = check.international;
      line.append(' · ', number);
    }
  } else {
    line.className = 'check-invalid';
    line.textContent = `✗ ${check.error || 'This number is not valid.'}`;
    $('to').setAttribute('aria-invalid', 'true');
  }
  box.append(line);
  if (check.warning) {
    const warning = document.createElement('p');
    warning.className = 'check-warning';
    warning.textContent = `⚠ ${check.warning}`;
    box.append(warning);
  }
}

function renderCheckError(error) {
  const line = document.createElement('p');
  line.className = 'check-invalid';
  line.textContent = `✗ ${error.message} ${error.hint}`;
  $('to-check').replaceChildren(line);
}

function renderCount() {
  const count = [...$('body').value].length;
  const el = $('body-count');
  const over = count - MAX_CHARS;
  el.textContent = over > 0
    ? `${formatCount(count)} / ${formatCount(MAX_CHARS)} characters — ${formatCount(over)} too many`
    : `${formatCount(count)} / ${formatCount(MAX_CHARS)} characters`;
  el.classList.toggle('over', over > 0);
}

function readDraft() {
  return {
    to: $('to').value,
    name: $('name').value,
    body: $('body').value,
    openConversation: $('open-conversation').checked,
    teammateId: $('teammate').value,
  };
}

async function submit() {
  if (sending) return; // one send at a time: no double submission
  setSending(true);
  const result = $('send-result');
  showIn(result, notice('info', { title: 'Sending…' }));
  try {
    const sent = await handlers.send(readDraft());
    showSent(sent);
  } catch (error) {
    showIn(result, errorNotice(error, 'Not sent'));
    const field = FIELD_FOR_CODE[error.code];
    if (field) $(field).focus();
  } finally {
    setSending(false);
    result.scrollIntoView({ block: 'nearest' });
  }
}

function setSending(on) {
  sending = on;
  const button = $('send');
  button.disabled = on;
  button.textContent = on ? 'Sending…' : 'Send message';
  $('compose-form').setAttribute('aria-busy', on ? 'true' : 'false');
}

function showSent(sent) {
  const result = $('send-result');
  const practice = sent.mode === 'practice';
  if (sent.outcome === 'accepted') {
    const ids = [];
    if (sent.message_id) ids.push(`Message id ${sent.message_id}`);
    if (sent.request_id) ids.push(`Request id ${sent.request_id}`);
    showIn(result, notice('success', {
      title: sentTitle(sent.phone_number),
      message: practice ? 'Practice — nothing was really sent.' : '',
      detail: ids.join(' · '),
    }));
    clearForNext();
    return;
  }
  const unknown = sent.outcome === 'unknown';
  const problem = sent.problem || {
    message: sent.error || 'The message was not sent.',
    hint: '',
  };
  const detail = [];
  if (practice) detail.push('Practice');
  if (sent.error_code != null) detail.push(`Error code ${sent.error_code}`);
  if (sent.http_status != null) detail.push(`Server answer ${sent.http_status}`);
  if (sent.request_id) detail.push(`Request id ${sent.request_id}`);
  // For network trouble the technical reason is not in the message: show it small.
  if (sent.outcome !== 'rejected' && sent.error) detail.push(sent.error);
  showIn(result, notice(unknown ? 'warning' : 'error', {
    title: unknown ? 'Not sure it was sent' : 'Not sent',
    message: problem.message,
    hint: problem.hint,
    detail: detail.join(' · '),
  }));
}

// "Sent to +1 201-555-0123": the number as the person saw it checked, when it is the one sent.
function sentTitle(phone) {
  if (!phone) return 'Sent';
  const digits = (text) => String(text).replace(/\D/g, '');
  if (lastValid && lastValid.international && digits(lastValid.e164) === digits(phone)) {
    return `Sent to ${lastValid.international}`;
  }
  return `Sent to ${phone}`;
}

function clearForNext() {
  $('to').value = '';
  $('name').value = '';
  $('body').value = '';
  renderCheck(null);
  renderCount();
  $('to').focus();
}

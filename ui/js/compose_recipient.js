// New message: the recipient's number, checked as it is typed (its kind, country and the
// number as it will be read), with a warning for landlines and a clear mark when the number is
// on the do-not-text list. main.js (through compose.js) hands it `validate(text)`.

import { regionName } from './dom.js';
import { formatDate } from './history_words.js';

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

const $ = (id) => document.getElementById(id);

let validate = null;
let timer = 0;
/** Only the answer for the latest keystroke is shown. */
let seq = 0;
/** The last valid check shown, to name the recipient as the person typed them. */
let lastValid = null;

/**
 * `check(text)` resolves with a phone check (with `optOut` when the number is on the
 * do-not-text list).
 */
export function bind(check) {
  validate = check;
  $('to').addEventListener('input', schedule);
}

/** Checks the number in the field now. */
export function checkNow() {
  clearTimeout(timer);
  const text = $('to').value;
  const mine = ++seq;
  if (!text.trim()) {
    renderCheck(null);
    return;
  }
  validate(text).then(
    (check) => {
      if (mine === seq) renderCheck(check);
    },
    (error) => {
      if (mine === seq) renderCheckError(error);
    },
  );
}

/** Empties the check (the field was cleared for the next message). */
export function clear() {
  clearTimeout(timer);
  seq += 1;
  renderCheck(null);
}

/**
 * "+1 201-555-0123": the number sent as the person saw it checked, when `phone` is that number;
 * else `phone` as the server wrote it.
 */
export function shownNumber(phone) {
  const digits = (text) => String(text).replace(/\D/g, '');
  if (lastValid && lastValid.international && digits(lastValid.e164) === digits(phone)) {
    return lastValid.international;
  }
  return phone;
}

/** The number in the field as last checked valid ("+1 201-555-0123"), or null. */
export function checkedNumber() {
  return lastValid ? lastValid.international || lastValid.e164 : null;
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(checkNow, VALIDATE_DELAY_MS);
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
  if (check.optOut) {
    const blocked = document.createElement('p');
    blocked.className = 'check-invalid check-optout';
    const reason = check.optOut.reason ? ` (${check.optOut.reason})` : '';
    blocked.textContent = `⊘ On the do-not-text list since ${formatDate(check.optOut.addedAt)}${reason}: SMS Desk will not send to this number.`;
    box.append(blocked);
  }
}

function renderCheckError(error) {
  const line = document.createElement('p');
  line.className = 'check-invalid';
  line.textContent = `✗ ${error.message} ${error.hint}`;
  $('to-check').replaceChildren(line);
}

// The compose screen: template picker, recipient (checked as it is typed), name, the template's
// fields or free text, the live preview and cost, Intercom options, Send; the channel bar and
// Intercom options are in compose_channel.js. It never talks to the backend itself: main.js
// hands it `validate`, `preview`, `replace`, `send`, `pickChannel`, `fixKey` and navigation.

import { errorNotice, formatCount, notice, regionName, showIn } from './dom.js';
import * as channel from './compose_channel.js';
import { sendErrorNotice } from './compose_errors.js';
import { formatDate } from './history_words.js';

const VALIDATE_DELAY_MS = 120;
const PREVIEW_DELAY_MS = 60;

// Characters that cannot be seen, named in the warning and the replacement list.
const INVISIBLE_NAMES = {
  '\u00a0': 'non-breaking space',
  '\u2007': 'figure space',
  '\u2009': 'thin space',
  '\u200a': 'hair space',
  '\u202f': 'narrow non-breaking space',
  '\u200b': 'zero-width space',
  '\u200c': 'zero-width non-joiner',
  '\u200d': 'zero-width joiner',
  '\u2060': 'word joiner',
  '\ufeff': 'zero-width no-break space',
  '\u00ad': 'soft hyphen',
  '\t': 'tab',
};

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
  no_channel_key: 'channel-fix',
  opted_out: 'to',
};

const $ = (id) => document.getElementById(id);

let handlers = null;
let sending = false;
let validateTimer = 0;
let validateSeq = 0;
/** The last valid check shown, to name the recipient as the person typed them. */
let lastValid = null;
/** The templates offered, and the one picked (null: free text). */
let templates = [];
let picked = null;
/** The last preview shown, and a counter so only the latest answer is shown. */
let lastPreview = null;
let previewTimer = 0;
let previewSeq = 0;

/**
 * Attaches the screen's events. Handlers return Promises: `validate(text)` (a phone check,
 * with `optOut` when the number is on the do-not-text list), `preview(body, values|null)`,
 * `replace(text)`, `send(draft, template|null)`; and `openBusiness()`, `editTemplate(id)` and
 * `openOptOuts()` switch screens.
 */
export function bind(h) {
  handlers = h;
  channel.bind({ pick: h.pickChannel, fixKey: h.fixKey });
  const form = $('compose-form');
  $('to').addEventListener('input', scheduleValidation);
  $('body').addEventListener('input', schedulePreview);
  $('template').addEventListener('change', () => pickTemplate($('template').value));
  // One listener for every template field.
  $('template-field-list').addEventListener('input', schedulePreview);
  $('open-business').addEventListener('click', () => {
    const first = lastPreview && lastPreview.missing.find((f) => f.fromBusiness);
    handlers.openBusiness(first ? first.name : null);
  });
  $('edit-template').addEventListener('click', () => {
    if (picked) handlers.editTemplate(picked.id);
  });
  $('replace-specials').addEventListener('click', showReplacements);
  $('replace-no').addEventListener('click', () => {
    $('replace-confirm').hidden = true;
    $('replace-specials').focus();
  });
  $('replace-yes').addEventListener('click', applyReplacements);
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
  previewNow();
}

/** Shows what depends on the app's state: the templates offered, the hint under the number. */
export function render(state) {
  channel.render(state);
  renderTemplates(state.templates || []);
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

/**
 * Fills the form from a message in History ("Send again"): its number and text as free text,
 * and its Intercom options. Nothing is sent: the person checks it and presses Send.
 */
export function prefill(message) {
  if (picked) pickTemplate('');
  $('to').value = message.to;
  $('body').value = message.body;
  const channelNote = channel.prefill(message);
  $('replace-confirm').hidden = true;
  validateNow();
  previewNow();
  showIn($('send-result'), notice('info', {
    title: 'Ready to send again — nothing has been sent yet.',
    message: 'Check the number and the message, then press Send message.',
    hint: channelNote,
  }));
  $('body').focus();
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

// ---- Templates ----

function renderTemplates(list) {
  if (list === templates) return;
  templates = list;
  const select = $('template');
  const keep = select.value;
  select.replaceChildren(select.options[0]);
  for (const t of list) {
    const option = document.createElement('option');
    option.value = t.id;
    option.textContent = t.name;
    select.append(option);
  }
  const still = list.find((t) => t.id === keep);
  if (still) {
    select.value = keep;
    const bodyChanged = !picked || picked.body !== still.body;
    picked = still;
    if (bodyChanged) buildFields(null);
  } else {
    select.value = '';
    if (picked) pickTemplate('');
  }
}

/** Picks a template (or '' for free text), applies its defaults and shows its fields. */
function pickTemplate(id) {
  picked = templates.find((t) => t.id === id) || null;
  $('template').value = picked ? picked.id : '';
  if (picked) channel.applyTemplate(picked);
  $('replace-confirm').hidden = true;
  buildFields(null);
}

/**
 * Shows the free-text box or the template's fields. The fields come from a first preview;
 * values already typed for a field of the same name are kept.
 */
async function buildFields() {
  const free = !picked;
  $('free-text').hidden = !free;
  $('template-fields').hidden = free;
  $('preview-box').hidden = free;
  if (free) {
    $('template-field-list').replaceChildren();
    previewNow();
    return;
  }
  const template = picked;
  const kept = readValues();
  let preview;
  try {
    preview = await handlers.preview(template.body, {});
  } catch (error) {
    showIn($('send-result'), errorNotice(error, 'This template cannot be used'));
    return;
  }
  if (picked !== template) return; // another template was picked meanwhile
  const list = $('template-field-list');
  const proto = $('template-field-template').content.firstElementChild;
  list.replaceChildren();
  for (const field of preview.fields.filter((f) => !f.fromBusiness)) {
    const row = proto.cloneNode(true);
    const input = row.querySelector('input');
    const label = row.querySelector('label');
    input.id = `field-${field.name}`;
    input.dataset.field = field.name;
    input.value = kept[field.name] || '';
    label.htmlFor = input.id;
    label.textContent = field.label;
    list.append(row);
  }
  previewNow();
}

/** The typed value of each template field, by field name. */
function readValues() {
  const values = {};
  for (const input of $('template-field-list').querySelectorAll('input[data-field]')) {
    values[input.dataset.field] = input.value;
  }
  return values;
}

// ---- Preview, cost, special characters ----

function schedulePreview() {
  clearTimeout(previewTimer);
  previewTimer = setTimeout(previewNow, PREVIEW_DELAY_MS);
}

function previewNow() {
  clearTimeout(previewTimer);
  if (!handlers) return;
  const seq = ++previewSeq;
  const request = picked
    ? handlers.preview(picked.body, readValues())
    : handlers.preview($('body').value, null);
  request.then(
    (preview) => {
      if (seq === previewSeq) renderPreview(preview);
    },
    (error) => {
      if (seq === previewSeq) {
        $('message-count').textContent = `${error.message} ${error.hint}`;
      }
    },
  );
}

const plural = (n, one, many) => `${formatCount(n)} ${n === 1 ? one : many}`;

// Look-alikes that are hard to tell apart from their replacement, named in the list.
const LOOKALIKE_NAMES = {
  '\u2018': 'curly quote',
  '\u2019': 'curly apostrophe',
  '\u201c': 'curly quote',
  '\u201d': 'curly quote',
  '\u2013': 'long dash',
  '\u2014': 'long dash',
  '\u2026': 'three dots as one character',
  "'": 'straight apostrophe',
  '"': 'straight quote',
  '-': 'hyphen',
};

/** A character as the person can read it: invisible ones by name. */
function shown(char) {
  return INVISIBLE_NAMES[char] ? `(${INVISIBLE_NAMES[char]})` : char;
}

/** A character in the replacement list, with its name when it could be mistaken. */
function described(char) {
  if (INVISIBLE_NAMES[char]) return INVISIBLE_NAMES[char];
  return LOOKALIKE_NAMES[char] ? `${char} (${LOOKALIKE_NAMES[char]})` : char;
}

function renderPreview(preview) {
  lastPreview = preview;
  const count = preview.count;
  const free = !picked;

  // The message, with special characters and empty fields marked: the preview for a template,
  // a copy inside the warning for free text (the text box itself cannot mark characters).
  const special = count.encoding === 'UCS-2';
  const box = free ? $('warning-preview') : $('preview');
  box.replaceChildren();
  $('preview').replaceChildren();
  for (const run of preview.runs) {
    if (run.kind === 'text') {
      box.append(run.text);
    } else {
      const mark = document.createElement('mark');
      mark.className = run.kind === 'missing' ? 'missing' : 'special';
      mark.textContent = run.kind === 'special' && INVISIBLE_NAMES[run.text] ? '␣' : run.text;
      if (run.kind === 'special') mark.title = 'Special character: costs more';
      box.append(mark);
    }
  }
  $('warning-preview').hidden = !free || !special;
  $('preview-box').hidden = free;
  if (!free) {
    const empty = preview.missing.filter((f) => !f.fromBusiness).map((f) => f.label);
    $('preview-help').textContent = empty.length
      ? `Still to fill in: ${empty.join(', ')}. Nothing is sent until they are filled in.`
      : 'This is exactly the text that will be sent.';
  }

  // Business details that are empty are fixed in Settings.
  const business = preview.missing.filter((f) => f.fromBusiness).map((f) => f.label.toLowerCase());
  $('business-missing').hidden = free || business.length === 0;
  $('business-missing-text').textContent = business.length
    ? `This template uses your ${andList(business)}, which ${business.length === 1 ? 'is' : 'are'} not filled in yet.`
    : '';

  // The cost.
  const soFar = !free && !preview.complete ? ' so far' : '';
  $('message-count').textContent =
    `${plural(count.characters, 'character', 'characters')} · ${plural(count.segments, 'segment', 'segments')} · ${count.encoding}${soFar}`;
  const over = count.characters - preview.maxCharacters;
  $('message-count').classList.toggle('over', over > 0);
  $('length-warning').hidden = over <= 0;
  $('length-warning').textContent = over > 0
    ? `Too long to send: ${formatCount(count.characters)} characters, and the most is ${formatCount(preview.maxCharacters)}. Remove ${plural(over, 'character', 'characters')}.`
    : '';

  renderEncoding(preview);
}

function renderEncoding(preview) {
  const count = preview.count;
  const warning = $('encoding-warning');
  if (count.encoding !== 'UCS-2') {
    warning.hidden = true;
    $('replace-confirm').hidden = true;
    return;
  }
  warning.hidden = false;
  const chars = count.non_gsm.map(shown).join(' ');
  const segs = count.segments;
  const cheaper = preview.segmentsIfReplaced;
  let text;
  if (cheaper != null && cheaper < segs) {
    text = `This message uses special characters (${chars}), so it costs more: ${plural(segs, 'segment', 'segments')} instead of ${formatCount(cheaper)}.`;
  } else if (cheaper != null) {
    text = `This message uses special characters (${chars}), so it is sent as Unicode: each segment holds 70 characters instead of 160. It is still ${plural(segs, 'segment', 'segments')}, but it will cost more if it gets longer.`;
  } else {
    text = `This message uses special characters (${chars}), so it is sent as Unicode and costs more: each segment holds 70 characters instead of 160 (now ${plural(segs, 'segment', 'segments')}).`;
  }
  $('encoding-text').textContent = text;

  const fixable = preview.lookalikes.length > 0;
  $('replace-specials').hidden = !fixable;
  if (!fixable) $('replace-confirm').hidden = true;
  const inTemplate = preview.templateLookalikes || [];
  $('template-special').hidden = inTemplate.length === 0;
  $('template-special-text').textContent = inTemplate.length
    ? `The template’s own text has special characters (${inTemplate.map((r) => shown(r.from)).join(' ')}). Change them in the template, once, for every message. `
    : '';
}

/** Shows what "Replace special characters" would change, before anything changes. */
function showReplacements() {
  if (!lastPreview) return;
  const list = $('replace-list');
  const proto = $('replacement-template').content.firstElementChild;
  list.replaceChildren();
  for (const r of lastPreview.lookalikes) {
    const item = proto.cloneNode(true);
    item.querySelector('.replace-from').textContent = described(r.from);
    item.querySelector('.replace-to').textContent = r.to === '' ? '(removed)' : described(r.to);
    item.querySelector('.replace-count').textContent = `×${r.count}`;
    list.append(item);
  }
  $('replace-scope').textContent = picked
    ? 'They are replaced in the details you typed for this message. The template’s own text is not changed.'
    : 'Nothing else in your message changes.';
  $('replace-confirm').hidden = false;
  $('replace-yes').focus();
}

async function applyReplacements() {
  try {
    if (picked) {
      const inputs = [...$('template-field-list').querySelectorAll('input[data-field]')];
      const replaced = await Promise.all(inputs.map((input) => handlers.replace(input.value)));
      inputs.forEach((input, i) => { input.value = replaced[i]; });
    } else {
      $('body').value = await handlers.replace($('body').value);
    }
  } catch (error) {
    showIn($('send-result'), errorNotice(error, 'The characters were not replaced'));
    return;
  }
  $('replace-confirm').hidden = true;
  (picked ? $('template-field-list').querySelector('input') : $('body'))?.focus();
  previewNow();
}

/** "a", "a and b", "a, b and c". */
function andList(items) {
  if (items.length < 2) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function readDraft() {
  return {
    to: $('to').value,
    body: picked ? '' : $('body').value,
    ...channel.intercomDraft(),
  };
}

async function submit() {
  if (sending) return; // one send at a time: no double submission
  setSending(true);
  const result = $('send-result');
  showIn(result, notice('info', { title: 'Sending…' }));
  try {
    const template = picked ? { templateId: picked.id, values: readValues() } : null;
    const sent = await handlers.send(readDraft(), template);
    showSent(sent);
  } catch (error) {
    showIn(result, sendErrorNotice(error, () => handlers.openOptOuts()));
    focusProblem(error);
  } finally {
    setSending(false);
    result.scrollIntoView({ block: 'nearest' });
  }
}

/** Puts the cursor where the refused draft needs a change. */
function focusProblem(error) {
  if (error.code === 'template_missing_values') {
    const values = readValues();
    const empty = [...$('template-field-list').querySelectorAll('input[data-field]')]
      .find((input) => !values[input.dataset.field].trim());
    (empty || $('open-business')).focus();
    previewNow();
    return;
  }
  if (error.code === 'template_not_found') {
    handlers.reloadTemplates();
    return;
  }
  const field = FIELD_FOR_CODE[error.code];
  if (field === 'body' && picked) {
    $('template').focus();
  } else if (field) {
    $(field).focus();
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

// Ready for the next message: the template (and its Intercom options) stay picked.
function clearForNext() {
  $('to').value = '';
  $('name').value = '';
  $('body').value = '';
  for (const input of $('template-field-list').querySelectorAll('input[data-field]')) {
    input.value = '';
  }
  renderCheck(null);
  previewNow();
  $('to').focus();
}

/** The template picked in compose, or null. */
export function pickedTemplateId() {
  return picked ? picked.id : null;
}

/** Shows the preview again (after the business details changed). */
export function refreshPreview() {
  previewNow();
}

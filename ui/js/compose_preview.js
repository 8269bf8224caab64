// New message: the live preview (a template's text with the values typed so far, empty fields
// and special characters marked), the cost (characters, segments, encoding), the warning for
// special characters with what "Replace special characters" would change, and the template's
// business details that are still empty. compose.js hands it `preview(body, values|null)`,
// `replace(text)` and `showError(error, title)`.

import { formatCount } from './dom.js';
import * as template from './compose_template.js';

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

const $ = (id) => document.getElementById(id);

let handlers = null;
/** The last preview shown, and a counter so only the latest answer is shown. */
let last = null;
let timer = 0;
let seq = 0;

export function bind(h) {
  handlers = h;
  $('body').addEventListener('input', schedule);
  // One listener for every template field.
  $('template-field-list').addEventListener('input', schedule);
  $('replace-specials').addEventListener('click', showReplacements);
  $('replace-no').addEventListener('click', () => {
    $('replace-confirm').hidden = true;
    $('replace-specials').focus();
  });
  $('replace-yes').addEventListener('click', applyReplacements);
  now();
}

/** The business details the template needs that are still empty ([{name, label}]). */
export const missingBusiness = () => (last ? last.missing.filter((f) => f.fromBusiness) : []);

/** Closes "Replace these characters?" without replacing anything. */
export function closeReplacements() {
  $('replace-confirm').hidden = true;
}

/** Shows the preview for what the form holds now. */
export function now() {
  clearTimeout(timer);
  if (!handlers) return;
  const mine = ++seq;
  const picked = template.picked();
  const request = picked
    ? handlers.preview(picked.body, template.readValues())
    : handlers.preview($('body').value, null);
  request.then(
    (preview) => {
      if (mine === seq) render(preview);
    },
    (error) => {
      if (mine === seq) $('message-count').textContent = `${error.message} ${error.hint}`;
    },
  );
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(now, PREVIEW_DELAY_MS);
}

const plural = (n, one, many) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** A character as the person can read it: invisible ones by name. */
function shown(char) {
  return INVISIBLE_NAMES[char] ? `(${INVISIBLE_NAMES[char]})` : char;
}

/** A character in the replacement list, with its name when it could be mistaken. */
function described(char) {
  if (INVISIBLE_NAMES[char]) return INVISIBLE_NAMES[char];
  return LOOKALIKE_NAMES[char] ? `${char} (${LOOKALIKE_NAMES[char]})` : char;
}

/** "a", "a and b", "a, b and c". */
function andList(items) {
  if (items.length < 2) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function render(preview) {
  last = preview;
  const count = preview.count;
  const free = !template.picked();

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

/** The characters that made the message cost more (the count's `nonGsm`). */
function specialCharacters(count) {
  // Older back ends wrote this one key in snake_case.
  return count.nonGsm || [];
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
  const chars = specialCharacters(count).map(shown).join(' ');
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
  if (!last) return;
  const list = $('replace-list');
  const proto = $('replacement-template').content.firstElementChild;
  list.replaceChildren();
  for (const r of last.lookalikes) {
    const item = proto.cloneNode(true);
    item.querySelector('.replace-from').textContent = described(r.from);
    item.querySelector('.replace-to').textContent = r.to === '' ? '(removed)' : described(r.to);
    item.querySelector('.replace-count').textContent = `×${r.count}`;
    list.append(item);
  }
  $('replace-scope').textContent = template.picked()
    ? 'They are replaced in the details you typed for this message. The template’s own text is not changed.'
    : 'Nothing else in your message changes.';
  $('replace-confirm').hidden = false;
  $('replace-yes').focus();
}

async function applyReplacements() {
  const picked = template.picked();
  try {
    if (picked) {
      const inputs = template.fieldInputs();
      const replaced = await Promise.all(inputs.map((input) => handlers.replace(input.value)));
      inputs.forEach((input, i) => { input.value = replaced[i]; });
    } else {
      $('body').value = await handlers.replace($('body').value);
    }
  } catch (error) {
    handlers.showError(error, 'The characters were not replaced');
    return;
  }
  $('replace-confirm').hidden = true;
  (picked ? $('template-field-list').querySelector('input') : $('body'))?.focus();
  now();
}

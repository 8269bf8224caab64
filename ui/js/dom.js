// Small DOM helpers shared by the views. Data is only ever written with textContent and
// <template> clones: nothing from the user or the server is parsed as HTML.

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
const numberFormat = new Intl.NumberFormat('en-US');

/** "IE" → "Ireland"; the code itself when the name is not known. */
export function regionName(code) {
  if (!code) return '';
  try {
    return regionNames.of(code) || code;
  } catch {
    return code;
  }
}

export const formatCount = (n) => numberFormat.format(n);

/**
 * A message box from #message-template. kind: 'success' | 'error' | 'warning' | 'info'.
 * Empty parts are left out.
 */
export function notice(kind, { title, message, hint, detail }) {
  const template = document.getElementById('message-template');
  const box = template.content.firstElementChild.cloneNode(true);
  box.classList.add(kind);
  const parts = {
    '.notice-title': title,
    '.notice-message': message,
    '.notice-hint': hint,
    '.notice-detail': detail,
  };
  for (const [selector, text] of Object.entries(parts)) {
    const el = box.querySelector(selector);
    if (text) el.textContent = text;
    else el.remove();
  }
  return box;
}

/** A `{code, message, hint}` error as a message box. */
export function errorNotice(error, title) {
  return notice('error', { title, message: error.message, hint: error.hint });
}

/** Replaces what a result area shows (an aria-live region, so it is read out). */
export function showIn(container, element) {
  if (element) container.replaceChildren(element);
  else container.replaceChildren();
}

/** Disables a button while its action runs, so a second click cannot repeat it. */
export async function busy(button, action) {
  if (button.disabled) return;
  button.disabled = true;
  try {
    await action();
  } finally {
    // The screen may have been drawn again meanwhile; this button may be gone.
    button.disabled = false;
  }
}

/** Adds one option per country to `select`, sorted by English name: "Ireland (+353)". */
export function appendCountryOptions(select, countries) {
  const sorted = countries
    .map((c) => ({ ...c, name: regionName(c.code) }))
    .sort((a, b) => a.name.localeCompare(b.name, 'en'));
  for (const c of sorted) {
    const option = document.createElement('option');
    option.value = c.code;
    option.textContent = `${c.name} (+${c.callingCode})`;
    select.append(option);
  }
}

const COPIED_FOR_MS = 2000;

/** Copies `text` to the clipboard; the button says "Copied" for a moment (or how to copy). */
export async function copyText(button, text) {
  // The label as first drawn, even when clicked again while it says "Copied".
  button.dataset.label ||= button.textContent;
  const label = button.dataset.label;
  let done = false;
  try {
    await navigator.clipboard.writeText(text);
    done = true;
  } catch {
    // Some webviews refuse the clipboard API: copy through a hidden text box instead.
    const box = document.createElement('textarea');
    box.value = text;
    box.setAttribute('readonly', '');
    box.className = 'visually-hidden';
    document.body.append(box);
    box.select();
    done = document.execCommand('copy');
    box.remove();
    button.focus();
  }
  const said = done ? 'Copied' : 'Select it and press Ctrl+C';
  if (!('spoken' in button.dataset)) button.dataset.spoken = button.getAttribute('aria-label') || '';
  const spoken = button.dataset.spoken;
  button.textContent = said;
  if (spoken) button.setAttribute('aria-label', said);
  setTimeout(() => {
    if (!button.isConnected) return;
    button.textContent = label;
    if (spoken) button.setAttribute('aria-label', spoken);
  }, COPIED_FOR_MS);
}

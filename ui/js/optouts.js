// The Do not text screen: numbers SMS Desk never sends to. Add one (any format; kept as
// +country number), search, remove after an inline confirmation, import a CSV file (with a
// report of what was added and which lines were not numbers) and export the list; the
// warning when the list may be missing numbers is in optouts_incomplete.js (shown here in
// place of its banner, which the other screens show). While the screen is shown, a change to
// the list made elsewhere is shown at once. Handlers from main.js:
// `list(search)`, `add(number, reason)`, `remove(number)`, `importFile()`, `exportFile()`,
// `readNotices()` (the start-up notices, read again), `confirmComplete()` and `resolved()`.

import { busy, errorNotice, formatCount, notice, showIn } from './dom.js';
import { coalesced } from './coalesce.js';
import { formatDate } from './history_words.js';
import * as notices from './notices.js';
import * as incomplete from './optouts_incomplete.js';

const SEARCH_DELAY_MS = 200;
const DEFAULT_REASON = 'Replied STOP';

const $ = (id) => document.getElementById(id);

let handlers = null;
let searchTimer = 0;
let seq = 0;
let visible = false;
/** Reads the list again after a change made elsewhere; bursts of changes read it once. */
const reload = coalesced(() => load());

export function bind(h) {
  handlers = h;
  incomplete.bind({
    importFile: () => importFile(),
    confirmComplete: () => handlers.confirmComplete(),
    resolved: () => {
      handlers.resolved();
      showIn($('optout-add-result'), notice('success', {
        title: 'Thank you: live messages can be sent again.',
        message: 'SMS Desk still never texts a number on this list.',
      }));
      $('optout-number').focus();
    },
  });
  $('optout-form').addEventListener('submit', (event) => {
    event.preventDefault();
    busy($('optout-add'), add);
  });
  // "change" too: emptied by other means than typing, the box may send no "input".
  for (const type of ['input', 'change', 'search']) {
    $('optout-search').addEventListener(type, () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(load, SEARCH_DELAY_MS);
    });
  }
  $('optout-import').addEventListener('click', () => busy($('optout-import'), importFile));
  $('optout-export').addEventListener('click', () => busy($('optout-export'), exportFile));
  // One listener for every row's buttons.
  $('optout-list').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    if (button) act(button);
  });
}

/**
 * The screen is shown: read the list, and whether it may be missing numbers. That warning is
 * the panel here, with what to do about it, instead of the app-wide banner.
 */
export function show() {
  visible = true;
  notices.onScreen(incomplete.CODE, true);
  load();
  readNotices();
}

/** The screen is hidden: changes made elsewhere are read when it is shown again. */
export function hide() {
  visible = false;
  notices.onScreen(incomplete.CODE, false);
}

/** The do-not-text list changed (added, removed, imported; here or elsewhere). */
export function changed() {
  if (!visible) return;
  reload();
  readNotices();
}

/** The start-up notices as read (`[{code, message, hint}]`): is the list complete? */
export function noticesRead(notices) {
  incomplete.update(notices);
}

/**
 * Puts the keyboard focus where the person starts: the warning when the list may be missing
 * numbers (`why` is the refused send's code), else the number to add.
 */
export function focusStart(why) {
  if (why === incomplete.CODE) incomplete.set(true);
  if (incomplete.shown()) incomplete.focus();
  else $('optout-number').focus();
}

function readNotices() {
  handlers.readNotices().then(
    (notices) => incomplete.update(notices),
    () => {}, // the panel stays as it was; the list shows its own problems
  );
}

async function load() {
  const mine = ++seq;
  let list;
  try {
    list = await handlers.list($('optout-search').value.trim());
  } catch (error) {
    if (mine === seq) showIn($('optout-result'), errorNotice(error, 'The do-not-text list could not be read'));
    return;
  }
  if (mine === seq) draw(list);
}

function draw(list) {
  const search = $('optout-search').value.trim();
  const body = $('optout-list');
  const proto = $('optout-row-template').content.firstElementChild;
  body.replaceChildren(...list.map((entry) => {
    const row = proto.cloneNode(true);
    const shown = entry.display || entry.number;
    row.dataset.number = entry.number;
    row.dataset.display = shown;
    row.querySelector('.optout-number-cell').textContent = shown;
    row.querySelector('.optout-reason-cell').textContent = entry.reason || '—';
    row.querySelector('.optout-date-cell').textContent = formatDate(entry.addedAt);
    const remove = row.querySelector('[data-action="remove"]');
    remove.dataset.number = entry.number;
    remove.setAttribute('aria-label', `Remove ${shown}`);
    return row;
  }));
  $('optout-table').hidden = list.length === 0;
  const empty = $('optout-empty');
  empty.hidden = list.length > 0;
  empty.textContent = search
    ? 'No number on the list matches this search.'
    : 'The list is empty. When someone replies STOP, add their number here (or use “Replied STOP” on the message in History) and SMS Desk will never text it again.';
  $('optout-count').textContent = list.length
    ? `${formatCount(list.length)} ${list.length === 1 ? 'number' : 'numbers'}${search ? ' found' : ' on the list'}`
    : '';
}

async function add() {
  const number = $('optout-number').value.trim();
  const reason = $('optout-reason').value.trim() || DEFAULT_REASON;
  const result = $('optout-add-result');
  if (!number) {
    showIn(result, notice('error', { title: 'Type the number to add first.' }));
    $('optout-number').focus();
    return;
  }
  try {
    const entry = await handlers.add(number, reason);
    const already = entry.already;
    showIn(result, notice('success', {
      title: already
        ? `${entry.display || entry.number} was already on the list (since ${formatDate(entry.addedAt)}).`
        : `${entry.display || entry.number} is on the do-not-text list.`,
      message: 'SMS Desk will not send messages to this number.',
    }));
    $('optout-number').value = '';
    $('optout-reason').value = DEFAULT_REASON;
    $('optout-number').removeAttribute('aria-invalid');
    $('optout-number').focus();
    await load();
  } catch (error) {
    // The domain's hint for a bad number speaks of sending; here nothing is sent either way.
    const hint = error.code === 'invalid_phone'
      ? 'Check the number. Type it with + and the country code, or set your country in Settings.'
      : error.hint;
    showIn(result, errorNotice({ ...error, hint }, 'Not added'));
    if (error.code === 'invalid_phone') $('optout-number').setAttribute('aria-invalid', 'true');
    $('optout-number').focus();
  }
}

function act(button) {
  const row = button.closest('tr');
  switch (button.dataset.action) {
    case 'remove':
      askToRemove(row, row.dataset.display);
      break;
    case 'remove-no': {
      const number = row.dataset.number;
      row.remove();
      $('optout-list').querySelector(`[data-action="remove"][data-number="${CSS.escape(number)}"]`)?.focus();
      break;
    }
    case 'remove-yes':
      busy(button, () => remove(row.dataset.number, row.dataset.display));
      break;
    default:
  }
}

/** Shows "Remove …? Yes / Keep" under the row (one at a time). */
function askToRemove(row, shown) {
  for (const open of $('optout-list').querySelectorAll('.optout-confirm-row')) open.remove();
  const confirm = $('optout-confirm-template').content.firstElementChild.cloneNode(true);
  confirm.dataset.number = row.dataset.number;
  confirm.dataset.display = shown;
  confirm.querySelector('.optout-question').textContent =
    `Remove ${shown}? They will be able to receive texts again.`;
  const group = confirm.querySelector('.confirm');
  group.setAttribute('aria-label', `Remove ${shown}?`);
  row.after(confirm);
  confirm.querySelector('[data-action="remove-no"]').focus();
}

async function remove(number, shown) {
  const result = $('optout-result');
  try {
    const removed = await handlers.remove(number);
    showIn(result, notice('success', {
      title: removed ? `${shown} was removed from the list.` : `${shown} was not on the list.`,
      message: removed ? 'SMS Desk can send messages to this number again.' : '',
    }));
  } catch (error) {
    showIn(result, errorNotice(error, 'Not removed'));
  }
  await load();
  $('optout-search').focus();
}

async function importFile() {
  const result = $('optout-result');
  let report;
  try {
    report = await handlers.importFile();
  } catch (error) {
    showIn(result, errorNotice(error, 'Nothing was imported'));
    return;
  }
  if (!report) return; // cancelled
  const bad = report.invalid.filter((p) => p.line > 0);
  const more = report.invalid.find((p) => p.line === 0);
  const numbers = report.inFile === 1 ? 'number' : 'numbers';
  const notNumbers = report.notNumbers === 1 ? 'not a number' : 'not numbers';
  const box = notice(bad.length ? 'warning' : 'success', {
    title: `${formatCount(report.inFile)} ${numbers} in the file: ${formatCount(report.added)} added, ${formatCount(report.already)} already on the list, ${formatCount(report.notNumbers)} ${notNumbers}.`,
  });
  if (bad.length) {
    const heading = document.createElement('p');
    heading.className = 'report-heading';
    heading.textContent = 'These lines were not added:';
    const list = document.createElement('ul');
    list.className = 'report-list';
    for (const problem of bad) {
      const item = document.createElement('li');
      item.textContent = `Line ${problem.line}: “${problem.text}” — ${problem.reason}`;
      list.append(item);
    }
    if (more) {
      const item = document.createElement('li');
      item.textContent = more.reason;
      list.append(item);
    }
    box.append(heading, list);
  }
  showIn(result, box);
  result.scrollIntoView({ block: 'nearest' });
  await load();
  // An import can complete a list that was missing numbers.
  readNotices();
}

async function exportFile() {
  const result = $('optout-result');
  try {
    const saved = await handlers.exportFile();
    if (!saved) return;
    showIn(result, notice('success', {
      title: `Exported ${formatCount(saved.count)} ${saved.count === 1 ? 'number' : 'numbers'}.`,
      detail: saved.path,
    }));
  } catch (error) {
    showIn(result, errorNotice(error, 'The list was not exported'));
  }
}

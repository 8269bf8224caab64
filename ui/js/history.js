// The History screen: every message sent from this computer, newest first, 50 to a page, with
// a search box, filters (status, channel, dates), the CSV export and, beside the list, the
// message picked (history_detail.js); the rows are drawn by history_rows.js. While the screen
// is shown, the page is read again whenever the back end says a message or its delivery
// changed (`changed`), so delivery reports appear by themselves; nothing is redrawn when
// nothing changed. What waits to be sent later is shown above the sent messages
// (history_scheduled.js); in a team, the other desks' sends below them (history_team.js). It
// never talks to the backend itself: main.js hands it `list`, `scheduled`, `openScheduled`,
// `channels`, `exportCsv` and `teamSends`.

import { busy, errorNotice, formatCount, notice, showIn } from './dom.js';
import { coalesced } from './coalesce.js';
import * as detail from './history_detail.js';
import { drawRows, markOpen } from './history_rows.js';
import * as waiting from './history_scheduled.js';
import * as team from './history_team.js';

const PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 250;

const $ = (id) => document.getElementById(id);

let handlers = null;
let offset = 0;
/** The page as last drawn (JSON), so an unchanged page is not drawn again. */
let drawn = '';
let visible = false;
let searchTimer = 0;
/** Only the answer to the latest question is drawn. */
let seq = 0;
/** The search the list shows (typing is applied after a pause). */
let appliedSearch = '';
/** The error shown for the last failed read, so it is not announced again at every change. */
let shownError = '';
/** Reads the page again after changes: one read at a time, one more after a burst. */
const reloadPage = coalesced(() => load());

/**
 * Attaches the screen's events. Handlers: `list(filter, offset, limit)`, `scheduled()` (the
 * Scheduled screen's list), `openScheduled()`, `channels()`, `exportCsv(filter)`; `detail` is
 * handed on to history_detail.js.
 */
export function bind(h) {
  handlers = h;
  detail.bind({ ...h.detail, closed: (id) => closed(id) });
  // "change" too: emptied by other means than typing, the box may send no "input".
  for (const type of ['input', 'change', 'search']) {
    $('history-search').addEventListener(type, () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(() => {
        if ($('history-search').value.trim() !== appliedSearch) filtersChanged();
      }, SEARCH_DELAY_MS);
    });
  }
  for (const id of ['history-status', 'history-channel', 'history-from', 'history-until']) {
    $(id).addEventListener('change', () => filtersChanged());
  }
  // An empty date box shows nothing (WebKit would show today's date in grey, which reads as
  // a filter that is on).
  for (const id of ['history-from', 'history-until']) {
    markEmpty($(id));
    $(id).addEventListener('input', () => markEmpty($(id)));
    $(id).addEventListener('change', () => markEmpty($(id)));
  }
  $('history-filters').addEventListener('submit', (event) => {
    event.preventDefault();
    filtersChanged();
  });
  $('history-clear').addEventListener('click', () => clearFilters($('history-search')));
  $('history-empty-clear').addEventListener('click', () => clearFilters($('history-search')));
  $('history-newer').addEventListener('click', () => turnPage(-PAGE_SIZE));
  $('history-older').addEventListener('click', () => turnPage(PAGE_SIZE));
  $('history-export').addEventListener('click', (event) => busy(event.currentTarget, exportCsv));
  // One listener for every row.
  $('history-list').addEventListener('click', (event) => {
    const row = event.target.closest('.history-row');
    if (row) openRow(Number(row.dataset.id));
  });
  $('history-scheduled-list').addEventListener('click', (event) => {
    if (event.target.closest('.history-scheduled-row')) handlers.openScheduled();
  });
  document.addEventListener('visibilitychange', () => {
    if (visible && !document.hidden) refresh();
  });
}

/** The screen is shown: read the page (and the channels) now. */
export function show() {
  if (visible) return;
  visible = true;
  refresh();
  loadChannels();
}

/** The screen is hidden: changes are read when it is shown again. */
export function hide() {
  visible = false;
}

/** Reads the page and the open message again now. */
export function refresh() {
  reloadPage();
  detail.refresh();
}

/**
 * The back end changed something (`{kind, id}` from `desk-changed`): while the screen is
 * shown, a message added or changed ('history', 'delivery') reads the page again, and the
 * open message reads itself again when it is the one that changed (or when the do-not-text
 * list changed: its "Replied STOP" button says whether the number is on it). A job changed
 * ('job': scheduled, sent, cancelled) or the clinic's zone ('settings'): the page is read
 * again for what waits to be sent.
 */
export function changed(change) {
  if (!visible) return;
  const kind = change && change.kind;
  if (kind === 'job' || kind === 'settings') {
    reloadPage();
  } else if (kind === 'history' || kind === 'delivery') {
    reloadPage();
    if (change.id != null && Number(change.id) === detail.openId()) detail.refresh();
  } else if (kind === 'optOuts') {
    detail.refresh();
  }
}

/** The filters as applied; the search as of the last pause in typing. */
function readFilter() {
  return {
    search: appliedSearch,
    status: $('history-status').value,
    channel: $('history-channel').value,
    from: dayStart($('history-from').value, 0),
    // Until the end of the day picked: the next day's start, which is not included.
    until: dayStart($('history-until').value, 1),
  };
}

/** Midnight (local time) of a date input's value plus `days`, in ms; null when empty. */
function dayStart(value, days) {
  if (!value) return null;
  const [y, m, d] = value.split('-').map(Number);
  if (!y || !m || !d) return null;
  return new Date(y, m - 1, d + days).getTime();
}

function markEmpty(input) {
  input.classList.toggle('empty', !input.value);
}

const isFiltered = (f) => Boolean(f.search || f.status || f.channel || f.from != null || f.until != null);

function filtersChanged() {
  clearTimeout(searchTimer);
  appliedSearch = $('history-search').value.trim();
  offset = 0;
  $('history-list-pane').scrollTop = 0;
  load();
}

function clearFilters(focusAfter) {
  $('history-search').value = '';
  $('history-status').value = '';
  $('history-channel').value = '';
  $('history-from').value = '';
  $('history-until').value = '';
  markEmpty($('history-from'));
  markEmpty($('history-until'));
  filtersChanged();
  focusAfter.focus();
}

function turnPage(by) {
  offset = Math.max(0, offset + by);
  $('history-list-pane').scrollTop = 0;
  load();
}

async function load() {
  const mine = ++seq;
  const filter = readFilter();
  const onlyWaiting = filter.status === waiting.SCHEDULED_STATUS;
  let page;
  let scheduled;
  let others;
  try {
    [page, scheduled, others] = await Promise.all([
      onlyWaiting
        ? { entries: [], total: 0, offset: 0 }
        : handlers.list(filter, offset, PAGE_SIZE),
      offset === 0 ? handlers.scheduled() : { items: [] },
      // The other desks' sends are a help, not the page: without them the page still shows.
      offset === 0 && !onlyWaiting ? handlers.teamSends(filter.search).catch(() => null) : null,
    ]);
  } catch (error) {
    if (mine === seq) showLoadError(error);
    return;
  }
  if (mine !== seq) return;
  if (shownError) {
    shownError = '';
    showIn($('history-result'), null);
  }
  // The page asked for is past the end (rows matched fewer than before): show the last page.
  if (page.entries.length === 0 && page.total > 0 && offset > 0) {
    offset = Math.floor((page.total - 1) / PAGE_SIZE) * PAGE_SIZE;
    await load();
    return;
  }
  draw(page, filter, scheduled.items.filter((item) => waiting.matches(item, filter)));
  team.draw(others, filter.search);
}

function showLoadError(error) {
  const key = `${error.code}:${error.message}`;
  if (key === shownError) return;
  shownError = key;
  showIn($('history-result'), errorNotice(error, 'The history could not be read'));
}

async function loadChannels() {
  let channels;
  try {
    channels = await handlers.channels();
  } catch {
    return; // the filter then offers "All channels" only; the list shows the real problem
  }
  const select = $('history-channel');
  const keep = select.value;
  const options = channels.map((c) => {
    const option = document.createElement('option');
    option.value = c.id;
    option.textContent = c.name || c.id;
    return option;
  });
  select.replaceChildren(select.options[0], ...options);
  select.value = channels.some((c) => c.id === keep) ? keep : '';
}

function draw(page, filter, scheduled) {
  const filtered = isFiltered(filter);
  const backwards = filter.from != null && filter.until != null && filter.from >= filter.until;
  const signature = JSON.stringify([page, scheduled, filtered, backwards]);
  if (signature === drawn) return;
  drawn = signature;

  const { entries, total } = page;
  const onlyWaiting = filter.status === waiting.SCHEDULED_STATUS;
  const counted = total
    ? `${formatCount(page.offset + 1)}–${formatCount(page.offset + entries.length)} of ${formatCount(total)} ${total === 1 ? 'message' : 'messages'}`
    : '';
  const waitingCount = scheduled.length ? `${formatCount(scheduled.length)} waiting to be sent` : '';
  $('history-count').textContent = [counted, waitingCount].filter(Boolean).join(' · ');
  waiting.draw(scheduled);
  $('history-list').hidden = onlyWaiting;
  $('history-newer').disabled = page.offset === 0;
  $('history-older').disabled = page.offset + entries.length >= total;
  $('history-clear').hidden = !filtered;
  $('history-export').disabled = total === 0;

  $('history-empty').hidden = total > 0 || scheduled.length > 0;
  $('history-empty-clear').hidden = !filtered;
  if (total === 0) {
    $('history-empty-text').textContent = !filtered
      ? 'No messages yet. Messages you send appear here.'
      : onlyWaiting
        ? 'Nothing waits to be sent later. Messages you schedule appear here until they go.'
      : backwards
        ? 'No messages match: the From date is after the To date.'
        : 'No messages match these filters.';
  }
  drawRows(entries, detail.openId());
}

async function openRow(id) {
  markOpen(id);
  await detail.open(id);
}

/** The detail was closed: back to the row it was opened from. */
function closed(id) {
  markOpen(null);
  $('history-list').querySelector(`.history-row[data-id="${id}"]`)?.focus();
}

async function exportCsv() {
  const result = $('history-result');
  shownError = '';
  try {
    const saved = await handlers.exportCsv(readFilter());
    if (!saved) {
      showIn(result, null);
      return;
    }
    showIn(result, notice('success', {
      title: `Exported ${formatCount(saved.count)} ${saved.count === 1 ? 'message' : 'messages'}.`,
      message: 'The file opens in Excel, Numbers or LibreOffice.',
      detail: saved.path,
    }));
  } catch (error) {
    showIn(result, errorNotice(error, 'The history was not exported'));
  }
}

// Reminders, step 3: every row of the file as it will go out — its number, name, the message
// exactly as sent, its segments, and for a row left out why, in words — with the totals, a
// filter to the rows with problems, numbers abroad marked for a second look, one choice for
// the numbers whose leading 0 Excel removed (read them with it, or undo), each row's send time
// when the list goes later (and the rows whose time has passed, offered to go now), and the
// confirmation that repeats the totals before anything is sent or scheduled.

import { formatCount } from './dom.js';
import { isLater, leftOut, plural, timingWords, totals, zeroWords } from './bulk_words.js';

const $ = (id) => document.getElementById(id);

/** Rows drawn at a time; "Show more" draws the next ones. */
const PAGE = 500;

let preview = null;
let limit = PAGE;
let handlers = null;
/** Why the list cannot be sent with the "When" chosen ('' when it can). */
let timingBlock = '';

/**
 * Handlers: `leadingZero(add)`: the person chose to read the numbers Excel removed the leading
 * 0 of with it (`true`), or undid that (`false`); the preview is asked again.
 */
export function bind(h) {
  handlers = h;
  buildZeroOffer();
  $('bulk-problems-only').addEventListener('change', () => {
    limit = PAGE;
    drawRows();
  });
  $('bulk-more').addEventListener('click', () => {
    limit += PAGE;
    drawRows();
  });
}

/** The preview shown, or null. */
export const shown = () => preview;

/** Shows `p` (a BulkPreview), or hides the step (null). */
export function render(p) {
  const fresh = !preview;
  preview = p;
  $('bulk-preview').hidden = !p;
  if (!p) return;
  if (fresh) limit = PAGE;
  $('bulk-totals').textContent = `${totals(p)}.`;
  $('bulk-timing').textContent = timingWords(p);
  $('bulk-timing').hidden = !$('bulk-timing').textContent;
  const past = p.timing ? p.timing.past : 0;
  $('bulk-past').hidden = past === 0;
  $('bulk-send-past-label').textContent = past === 1
    ? 'Send the 1 reminder whose time has passed now'
    : `Send the ${formatCount(past)} reminders whose time has passed now`;
  $('bulk-past-help').textContent = past === 1
    ? 'Otherwise it is left out and not sent.'
    : 'Otherwise they are left out and not sent.';
  $('bulk-table').classList.toggle('timed', isLater(p));
  $('bulk-left-out').textContent = leftOut(p.rows);
  $('bulk-left-out').hidden = !$('bulk-left-out').textContent;
  showZeroOffer(p.leadingZero);
  const duplicates = p.rows.some((r) => r.outcome === 'duplicate');
  $('bulk-keep-field').hidden = !duplicates && !$('bulk-keep-duplicates').checked;
  showSendButton();
  drawRows();
}

function showSendButton() {
  const p = preview;
  const send = $('bulk-send');
  if (!p) return;
  send.disabled = p.messages === 0 || Boolean(timingBlock);
  const count = plural(p.messages, 'reminder', 'reminders');
  send.textContent = isLater(p) ? `Schedule ${count}…` : `Send ${count}…`;
  $('bulk-send-reason').textContent = timingBlock || (p.messages === 0
    ? 'No row of this list can be sent. Fix the file (or the columns above) and choose it again.'
    : '');
}

/**
 * The "When" chosen cannot be used (`reason`, said beside the button; '' when it can): the
 * list cannot be sent or scheduled until it is changed.
 */
export function blockTiming(reason) {
  timingBlock = reason || '';
  if (timingBlock) closeConfirm();
  showSendButton();
}

/** A row needs a look: left out, or a number abroad. */
const problem = (r) => r.outcome !== 'pending' || r.foreign;

function drawRows() {
  if (!preview) return;
  const only = $('bulk-problems-only').checked;
  const rows = only ? preview.rows.filter(problem) : preview.rows;
  const proto = $('bulk-row-template').content.firstElementChild;
  const times = preview.sendTimes || [];
  const later = isLater(preview);
  const index = new Map(preview.rows.map((r, i) => [r, i]));
  const shownRows = rows.slice(0, limit).map((r) => {
    const tr = proto.cloneNode(true);
    if (later) {
      const at = times[index.get(r)];
      tr.querySelector('.bulk-cell-when').textContent = at || (r.outcome === 'pending' ? 'As soon as the list starts' : '');
    }
    const out = r.outcome !== 'pending';
    tr.classList.toggle('left-out', out);
    tr.classList.toggle('abroad', !out && r.foreign);
    tr.querySelector('.bulk-cell-row').textContent = String(r.row);
    fillNumber(tr.querySelector('.bulk-cell-number'), r);
    tr.querySelector('.bulk-cell-name').textContent = r.name || '';
    const body = tr.querySelector('.bulk-cell-body');
    body.textContent = out ? (r.body || '') : r.body;
    if (out) body.classList.add('muted');
    tr.querySelector('.bulk-cell-segments').textContent = r.body ? String(r.segments) : '';
    const status = tr.querySelector('.bulk-cell-status');
    if (out) {
      const head = document.createElement('strong');
      head.textContent = 'Left out: ';
      status.append(head, document.createTextNode(r.problem || 'will not be sent.'));
    } else if (r.foreign) {
      const head = document.createElement('strong');
      head.textContent = 'Abroad — check it. ';
      status.append(head, document.createTextNode('Will be sent. A number of another country can be a typing mistake.'));
    } else {
      status.textContent = 'Will be sent';
    }
    return tr;
  });
  $('bulk-rows').replaceChildren(...shownRows);
  $('bulk-table').hidden = rows.length === 0;
  $('bulk-rows-empty').hidden = rows.length > 0;
  const more = $('bulk-more');
  const left = rows.length - shownRows.length;
  more.hidden = left <= 0;
  more.textContent = `Show ${formatCount(Math.min(PAGE, left))} more rows (${formatCount(left)} not shown)`;
}

/** The number as typed in the file, and below it as it is sent when that reads otherwise. */
function fillNumber(cell, r) {
  const typed = (r.typed || '').trim();
  cell.textContent = typed || '(empty)';
  const digits = (t) => t.replace(/[^\d+]/g, '');
  if (r.to && digits(typed) !== r.to) {
    const sent = document.createElement('span');
    sent.className = 'e164';
    sent.textContent = r.leadingZero === 'added' ? `${r.to} (with the 0)` : r.to;
    cell.append(sent);
  }
}

/**
 * The line about the numbers whose leading 0 Excel removed, under the totals: built here (the
 * static page has no place for it), shown only when the file has such numbers.
 */
function buildZeroOffer() {
  const box = document.createElement('div');
  box.id = 'bulk-zero';
  box.className = 'bulk-zero';
  box.hidden = true;
  const text = document.createElement('p');
  text.id = 'bulk-zero-text';
  text.className = 'bulk-zero-text';
  const button = document.createElement('button');
  button.id = 'bulk-zero-action';
  button.type = 'button';
  button.className = 'secondary';
  button.setAttribute('aria-describedby', 'bulk-zero-text');
  button.addEventListener('click', () => {
    const offer = preview && preview.leadingZero;
    if (offer && handlers) handlers.leadingZero(!offer.added);
  });
  box.append(text, button);
  $('bulk-left-out').after(box);
}

/** Shows the offer (`offer`: the preview's `leadingZero`), or hides it (null). */
function showZeroOffer(offer) {
  const box = $('bulk-zero');
  box.hidden = !offer;
  if (!offer) return;
  const words = zeroWords(offer);
  box.classList.toggle('added', offer.added);
  $('bulk-zero-text').textContent = words.text;
  $('bulk-zero-action').textContent = words.action;
}

/** Opens the confirmation, repeating the totals; focus on its question. */
export function askToSend() {
  const p = preview;
  if (!p || p.messages === 0 || timingBlock) return;
  const count = plural(p.messages, 'reminder', 'reminders');
  const later = isLater(p);
  $('bulk-confirm-question').querySelector('strong').textContent = later ? `Schedule ${count}?` : `Send ${count} now?`;
  $('bulk-confirm-totals').textContent = later ? `${totals(p)}. ${timingWords(p)}` : `${totals(p)}.`;
  $('bulk-confirm-practice').textContent = p.practice
    ? 'Practice: nobody is texted. The messages go to the practice server on this computer.'
    : `These are real text messages, sent from ${p.channelName}${later ? ' at their time' : ''}. Once sent, they cannot be taken back.`;
  $('bulk-confirm-practice').classList.toggle('practice', p.practice);
  $('bulk-confirm-left-out').textContent = leftOut(p.rows);
  $('bulk-confirm-send').textContent = later ? `Schedule ${count}` : `Send ${count}`;
  $('bulk-confirm').hidden = false;
  $('bulk-send').setAttribute('aria-expanded', 'true');
  $('bulk-confirm').scrollIntoView({ block: 'nearest' });
  $('bulk-confirm-question').focus();
}

/** Closes the confirmation without sending. */
export function closeConfirm() {
  $('bulk-confirm').hidden = true;
  $('bulk-send').setAttribute('aria-expanded', 'false');
}

export const confirming = () => !$('bulk-confirm').hidden;

// One message from the history, beside the list: its text, where it went, what happened
// (the timeline), the reference numbers (each with Copy) and the server's raw answers; and
// what can be done with it: Send again (fills in New message, never sends by itself; after an
// unknown outcome only once the person confirms), Check delivery now, and "Replied STOP".
// Handlers from main.js (through history.js): `get(id)`, `checkDelivery(id)`,
// `isOptedOut(number)`, `addOptOut(number, reason, id)`, `sendAgain(entry)`, `closed(id)`.
// history.js reads it again (`refresh`) when the back end says this message changed.

import { busy, copyText, notice } from './dom.js';
import { coalesced } from './coalesce.js';
import { fillBadge, formatDateTime, formatStep } from './history_words.js';

const $ = (id) => document.getElementById(id);

let handlers = null;
/** What is shown: the message's id, its detail, whether its number is on the list. */
let current = null;
let drawn = '';
/** Only the latest read is drawn. */
let seq = 0;
/** Kept across redraws: the confirm for an unknown outcome, the last note. */
let confirming = false;
let note = '';
/** Reads the message again after changes: one read at a time, one more after a burst. */
const reread = coalesced(async () => {
  if (current) await read(false);
});

export function bind(h) {
  handlers = h;
  const panel = $('history-detail');
  // One listener for the whole panel.
  panel.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    if (button) act(button.dataset.action, button);
  });
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') close();
  });
}

/** The id of the message shown, or null. */
export const openId = () => (current ? current.id : null);

/** Shows a message, read afresh. */
export async function open(id) {
  confirming = false;
  note = '';
  drawn = '';
  current = { id, detail: null, optedOut: false };
  await read(true);
}

/** Reads the message shown again (soon, once for a burst); draws it only when something changed. */
export function refresh() {
  if (current) reread();
}

export function close() {
  if (!current) return;
  const { id } = current;
  current = null;
  drawn = '';
  $('history-detail').hidden = true;
  $('history-detail').replaceChildren();
  handlers.closed(id);
}

async function read(focus) {
  const mine = ++seq;
  const id = current.id;
  let detail;
  let optedOut = false;
  try {
    detail = await handlers.get(id);
    if (detail) optedOut = await handlers.isOptedOut(detail.to);
  } catch (error) {
    if (mine === seq && current && current.id === id && focus) showProblem(error);
    return;
  }
  if (mine !== seq || !current || current.id !== id) return;
  if (!detail) {
    close();
    return;
  }
  current.detail = detail;
  current.optedOut = optedOut;
  const signature = JSON.stringify([detail, optedOut, confirming, note]);
  if (signature === drawn) return;
  drawn = signature;
  draw(focus);
}

function showProblem(error) {
  const panel = $('history-detail');
  panel.hidden = false;
  panel.replaceChildren(notice('error', { title: 'This message could not be shown', message: error.message, hint: error.hint }));
}

/** Draws the panel; keeps its scroll position, what is unfolded and the focused button. */
function draw(focus) {
  const panel = $('history-detail');
  const scroll = panel.scrollTop;
  const rawOpen = panel.querySelector('.detail-raw')?.open || false;
  const focused = panel.contains(document.activeElement) ? document.activeElement.dataset.action : null;
  const box = build(current.detail, current.optedOut);
  box.querySelector('.detail-raw').open = rawOpen;
  panel.replaceChildren(box);
  panel.hidden = false;
  if (focus) {
    panel.scrollTop = 0;
    box.querySelector('.detail-title').focus();
  } else {
    panel.scrollTop = scroll;
    if (focused) panel.querySelector(`button[data-action="${focused}"]:not([disabled])`)?.focus();
  }
}

function build(d, optedOut) {
  const box = $('history-detail-template').content.firstElementChild.cloneNode(true);
  const q = (css) => box.querySelector(css);
  const shown = d.toDisplay || d.to;
  q('.detail-title').textContent = d.name ? `${d.name} · ${shown}` : shown;
  fillBadge(q('.badge'), d);
  // The summary only when it says more than the badge ("Delivered" twice says nothing).
  const badgeWords = q('.badge-text').textContent;
  q('.detail-summary').textContent = d.summary === badgeWords ? '' : d.summary;

  const problem = d.problem || (d.state !== 'delivered' && d.state !== 'pending' ? d.error : '');
  if (problem && !d.summary.includes(problem)) {
    const kind = d.state === 'unknown' ? 'warning' : d.state === 'accepted' ? 'info' : 'error';
    q('.detail-problem').append(notice(kind, {
      message: problem,
      hint: d.hint,
      detail: d.problem && d.error && d.error !== d.problem ? d.error : '',
    }));
  }

  q('[data-action="send-again"]').hidden = d.state === 'sending';
  q('[data-action="check"]').hidden = !(d.messageId && (d.tracking === 'active' || d.tracking === 'gave_up'));
  const stop = q('[data-action="stop"]');
  if (optedOut) {
    stop.textContent = '⊘ On the do-not-text list';
    stop.disabled = true;
  }
  q('.resend-confirm').hidden = !confirming;
  q('.detail-note').textContent = note;

  q('.detail-body').textContent = d.body;
  addFacts(q('.detail-facts'), d);
  for (const event of d.events) {
    const item = document.createElement('li');
    const time = document.createElement('time');
    time.dateTime = new Date(event.at).toISOString();
    time.textContent = formatStep(event.at, d.createdAt);
    const what = document.createElement('span');
    what.textContent = event.what;
    item.append(time, ' ', what);
    q('.timeline').append(item);
  }
  addIds(q('.detail-ids'), d);

  const raw = [];
  if (d.rawResponse) raw.push(`Answer to the send:\n${pretty(d.rawResponse)}`);
  if (d.rawStatus) raw.push(`Last delivery report:\n${pretty(d.rawStatus)}`);
  q('.raw').textContent = raw.join('\n\n');
  q('.detail-raw').hidden = raw.length === 0;
  return box;
}

function addFacts(list, d) {
  const facts = [
    ['Number', d.toDisplay || d.to],
    ['Sent', formatDateTime(d.createdAt)],
    ['Sent from', d.practice ? 'Practice — nobody was texted' : d.channelName],
    ['Template', d.templateName || 'None: own text'],
    ['Intercom', d.openConversation
      ? `Conversation opened${d.teammateName ? `, assigned to ${d.teammateName}` : ''}`
      : 'No conversation opened'],
  ];
  if (d.attempts > 1) facts.push(['Tries', `${d.attempts} (the first ones did not reach Octopods)`]);
  for (const [name, value] of facts) {
    if (!value) continue;
    const dt = document.createElement('dt');
    dt.textContent = name;
    const dd = document.createElement('dd');
    dd.textContent = value;
    list.append(dt, dd);
  }
}

function addIds(list, d) {
  const ids = [
    ['Message id', d.messageId, 'message-id'],
    ['Request id', d.requestId, 'request-id'],
    ['History id', String(d.id), 'history-id'],
  ];
  for (const [name, value, key] of ids) {
    if (!value) continue;
    const dt = document.createElement('dt');
    dt.textContent = name;
    const dd = document.createElement('dd');
    const code = document.createElement('code');
    code.className = `id-${key}`;
    code.textContent = value;
    const copy = document.createElement('button');
    copy.type = 'button';
    copy.className = 'secondary compact copy';
    copy.dataset.action = 'copy';
    copy.dataset.value = value;
    copy.textContent = 'Copy';
    copy.setAttribute('aria-label', `Copy the ${name.toLowerCase()}`);
    dd.append(code, ' ', copy);
    list.append(dt, dd);
  }
}

/** JSON text laid out for reading; anything else as it came. */
function pretty(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function setNote(text) {
  note = text;
  const el = $('history-detail').querySelector('.detail-note');
  if (el) el.textContent = text;
}

function act(action, button) {
  if (!current || !current.detail) {
    if (action === 'close') close();
    return;
  }
  const d = current.detail;
  switch (action) {
    case 'close':
      close();
      break;
    case 'send-again':
      if (d.state === 'unknown') {
        confirming = true;
        $('history-detail').querySelector('.resend-confirm').hidden = false;
        // The safe answer has the focus.
        $('history-detail').querySelector('[data-action="resend-no"]').focus();
      } else {
        handlers.sendAgain(d);
      }
      break;
    case 'resend-yes':
      confirming = false;
      handlers.sendAgain(d);
      break;
    case 'resend-no':
      confirming = false;
      $('history-detail').querySelector('.resend-confirm').hidden = true;
      $('history-detail').querySelector('[data-action="send-again"]').focus();
      break;
    case 'check':
      busy(button, () => checkDelivery(d.id));
      break;
    case 'stop':
      busy(button, () => addToList(d));
      break;
    case 'copy':
      copyText(button, button.dataset.value);
      break;
    default:
  }
}

async function checkDelivery(id) {
  try {
    const asked = await handlers.checkDelivery(id);
    setNote(asked
      ? 'Asked Octopods again. The status here changes as soon as they answer.'
      : 'The delivery of this message cannot be checked.');
    // What the question changed is shown at once; a later answer arrives as a change.
    refresh();
  } catch (error) {
    setNote(`${error.message} ${error.hint}`);
  }
}

async function addToList(d) {
  try {
    const added = await handlers.addOptOut(d.to, 'Replied STOP', d.id);
    current.optedOut = true;
    note = `${added.display || added.number} is on the do-not-text list: SMS Desk will not text this number again.`;
    drawn = '';
    if (current && current.id === d.id) await read(false);
    $('history-detail').querySelector('.detail-note')?.focus();
  } catch (error) {
    setNote(`${error.message} ${error.hint}`);
  }
}

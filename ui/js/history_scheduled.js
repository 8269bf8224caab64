// History's "Waiting to be sent" group, above the sent messages: each message or list
// scheduled for later (what the Scheduled screen lists) as a row with the badge "Scheduled"
// (or "Missed: not sent") and when it goes, on the clinic's clock. Once sent, a message is a
// normal History row and leaves this group. A row opens the Scheduled screen, where it can be
// sent now, moved or cancelled. Shown on the first page only, and only with the filters that
// can select it (the search, the channel, the status "Scheduled"); the dates filter what was
// sent.

import { fillBadge, firstLine } from './history_words.js';
import * as words from './scheduled_words.js';

const $ = (id) => document.getElementById(id);

/** The status filter's value that shows only what waits. */
export const SCHEDULED_STATUS = 'scheduled';

/** Digits only, to find a number however it was typed. */
const digits = (text) => String(text || '').replace(/\D/g, '');

/** Whether an item of the Scheduled list matches the History filter as applied. */
export function matches(item, filter) {
  if (filter.status && filter.status !== SCHEDULED_STATUS) return false;
  if (filter.from != null || filter.until != null) return false;
  if (filter.channel && filter.channel !== item.channelId) return false;
  const search = (filter.search || '').trim().toLowerCase();
  if (!search) return true;
  const numberish = digits(search);
  if (numberish.length >= 3 && /^[\d\s+().-]+$/.test(search)) {
    return digits(item.to).includes(numberish);
  }
  const text = [item.template, item.fileName, item.toShown, item.to].join('\n').toLowerCase();
  return text.includes(search);
}

/**
 * Draws the group for the items that match (none: the group is hidden); a row whose item did
 * not change is kept as it is (with the keyboard focus on it).
 */
export function draw(items) {
  const list = $('history-scheduled-list');
  $('history-scheduled').hidden = items.length === 0;
  const existing = new Map([...list.children].map((li) => [li.dataset.signature, li]));
  list.replaceChildren(...items.map((item) => {
    const signature = JSON.stringify(item);
    const li = existing.get(signature) || row(item);
    li.dataset.signature = signature;
    return li;
  }));
}

function row(item) {
  const li = $('history-row-template').content.firstElementChild.cloneNode(true);
  li.classList.add('history-scheduled-item');
  const button = li.querySelector('.history-row');
  button.classList.add('history-scheduled-row');
  button.dataset.id = String(item.id);
  const missed = item.counts.missed > 0;
  const when = li.querySelector('.row-when');
  when.textContent = missed
    ? `Was due ${item.missedWords || 'earlier'}`
    : words.capital(item.nextWords || 'waiting');
  fillBadge(li.querySelector('.badge'), {
    state: missed ? 'missed' : 'scheduled',
    summary: missed
      ? 'Its time passed while SMS Desk was not running: it waits for you under Scheduled.'
      : 'Waiting for its time. Open Scheduled to send it now, change the time or cancel it.',
  });
  li.querySelector('.row-name').remove();
  li.querySelector('.row-number').textContent = words.isSingle(item)
    ? item.toShown || item.to || ''
    : words.who(item);
  li.querySelector('.row-text').textContent = words.isSingle(item)
    ? firstLine(item.template) || '(no text)'
    : words.meta(item);
  return li;
}

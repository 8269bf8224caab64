// The History list's rows: one button per message (who, when, the first line of the text and
// its state as a badge), drawn again only when the message changed, keeping the scroll
// position and the keyboard focus.

import { fillBadge, firstLine, formatDateTime, formatWhen } from './history_words.js';

const $ = (id) => document.getElementById(id);

/** Draws the rows, reusing the ones that did not change; marks the one open (`openId`). */
export function drawRows(entries, openId) {
  const list = $('history-list');
  const pane = $('history-list-pane');
  const scroll = pane.scrollTop;
  const focused = document.activeElement && document.activeElement.closest
    ? document.activeElement.closest('.history-row')
    : null;
  const focusedId = focused ? focused.dataset.id : null;
  const existing = new Map([...list.children].map((li) => [li.dataset.id, li]));
  const rows = entries.map((entry) => {
    const key = String(entry.id);
    const signature = JSON.stringify(entry);
    const old = existing.get(key);
    if (old && old.dataset.signature === signature) return old;
    const row = buildRow(entry);
    row.dataset.signature = signature;
    return row;
  });
  list.replaceChildren(...rows);
  markOpen(openId);
  pane.scrollTop = scroll;
  if (focusedId) list.querySelector(`.history-row[data-id="${focusedId}"]`)?.focus();
}

/** Marks the row of the message open beside the list (null: none). */
export function markOpen(id) {
  for (const row of $('history-list').querySelectorAll('.history-row')) {
    if (Number(row.dataset.id) === id) row.setAttribute('aria-current', 'true');
    else row.removeAttribute('aria-current');
  }
  $('history-body').classList.toggle('with-detail', id != null);
}

function buildRow(entry) {
  const proto = $('history-row-template').content.firstElementChild;
  const item = proto.cloneNode(true);
  item.dataset.id = String(entry.id);
  const button = item.querySelector('.history-row');
  button.dataset.id = String(entry.id);
  const when = item.querySelector('.row-when');
  when.textContent = formatWhen(entry.createdAt);
  when.title = formatDateTime(entry.createdAt);
  fillBadge(item.querySelector('.badge'), entry);
  const name = item.querySelector('.row-name');
  if (entry.name) name.textContent = entry.name;
  else name.remove();
  // Read out as "Maria Lopez +1201…", not run together.
  if (entry.name) name.after(' ');
  item.querySelector('.row-number').textContent = entry.toDisplay || entry.to;
  item.querySelector('.row-text').textContent = firstLine(entry.body) || '(no text)';
  if (entry.practice) {
    const practice = document.createElement('span');
    practice.className = 'row-practice';
    practice.textContent = 'Practice';
    item.querySelector('.row-who').append(practice);
  }
  return item;
}

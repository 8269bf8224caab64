// History's "other desks" (team desks, issue 13): the sends of the team's other desks known
// here, below this desk's own. Searching a number shows what every other desk sent to it
// ("did the 3 o'clock patient get their reminder?"); otherwise the latest few. Their words
// never leave their desk, so a row says the template and the state, not the text. history.js
// hands it what `list_team_history` answered (null: not in a team, or a search that is not a
// number).

import { fillBadge, formatDateTime, formatWhen } from './history_words.js';

const $ = (id) => document.getElementById(id);

let drawn = '';

export function draw(sends, search) {
  const signature = JSON.stringify([sends, search]);
  if (signature === drawn) return;
  drawn = signature;
  const section = $('history-team');
  section.hidden = !sends || (sends.length === 0 && !search);
  if (section.hidden) return;
  $('history-team-heading').textContent = search ? 'Sent to this number from other desks' : 'Latest from other desks';
  $('history-team-help').textContent = sends.length
    ? 'As last synced with the team. The other desks’ words stay at their desk: only the template and what became of each message are shared.'
    : 'No other desk of the team has sent to this number.';
  $('history-team-list').replaceChildren(...sends.map(buildRow));
}

function buildRow(send) {
  const item = $('history-team-row-template').content.firstElementChild.cloneNode(true);
  item.querySelector('.row-number').textContent = send.shownNumber;
  const when = item.querySelector('.row-when');
  when.textContent = formatWhen(send.sentAt);
  when.title = formatDateTime(send.sentAt);
  const what = send.template || 'A message written at that desk';
  item.querySelector('.row-text').textContent = `${what} · from ${send.desk}`;
  fillBadge(item.querySelector('.badge'), send);
  return item;
}

// The Scheduled screen: everything waiting to be sent later — single messages and reminder
// lists, each with when it goes on the clinic's clock, to whom and from which channel — with
// Send now, Change time and Cancel (both sending now and cancelling ask first, in the item).
// What was missed (its time passed while SMS Desk was not running) comes first, in a warning
// panel, and the tab counts it. It follows the back end's `job` and `settings` changes (no
// timer). It never talks to the backend itself: main.js hands it `list()`, `sendNow(id)`,
// `reschedule(id, at)` and `cancel(id)`.

import { busy, errorNotice, notice, showIn } from './dom.js';
import { coalesced } from './coalesce.js';
import { plural } from './bulk_words.js';
import * as words from './scheduled_words.js';

const $ = (id) => document.getElementById(id);

let handlers = null;
/** The list as last drawn (JSON), to draw only what changed. */
let drawn = '';
/** The list as last read. */
let list = null;
const reload = coalesced(() => load());

export function bind(h) {
  handlers = h;
  for (const id of ['scheduled-list', 'scheduled-missed-list']) {
    $(id).addEventListener('click', clicked);
    $(id).addEventListener('submit', submitted);
    $(id).addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      const li = event.target.closest('li.scheduled-item');
      if (!li) return;
      event.preventDefault();
      closeAll(li);
      li.querySelector('[data-action="now"]').focus();
    });
  }
}

/** Reads the list again (bursts of changes read it once). */
export function refresh() {
  reload();
}

/** The back end changed a job or the settings (the clinic's zone): the list is read again. */
export function changed(change) {
  if (change.kind === 'job' || change.kind === 'settings') reload();
}

/** The screen is shown. */
export function show() {
  reload();
}

async function load() {
  let read;
  try {
    read = await handlers.list();
  } catch (error) {
    showIn($('scheduled-result'), errorNotice(error, 'What is scheduled could not be read'));
    return;
  }
  list = read;
  const badge = $('nav-scheduled-badge');
  badge.textContent = words.badge(read.missed);
  badge.hidden = !badge.textContent;
  const text = JSON.stringify(read);
  if (text === drawn) return;
  drawn = text;
  draw(read);
}

function draw(read) {
  const missed = read.items.filter((i) => i.counts.missed > 0);
  const waitingItems = read.items.filter((i) => i.counts.missed === 0);
  // An item being answered (a question open, a time being changed) keeps its state.
  const open = openItem();
  $('scheduled-missed').hidden = missed.length === 0;
  $('scheduled-missed-list').replaceChildren(...missed.map((i) => item(i, true)));
  $('scheduled-list').replaceChildren(...waitingItems.map((i) => item(i, false)));
  $('scheduled-empty').hidden = waitingItems.length > 0;
  $('scheduled-intro').hidden = waitingItems.length === 0;
  $('scheduled-intro').textContent = `Times are on ${read.zone} time. Each goes at its time, even if this window is closed, as long as SMS Desk is running on this computer.`;
  if (open) restore(open);
}

function item(i, missed) {
  const li = $('scheduled-item-template').content.firstElementChild.cloneNode(true);
  li.dataset.id = String(i.id);
  li.dataset.changeFrom = i.changeFrom;
  li.classList.toggle('missed', missed);
  // A missed one's time is in its sentence below.
  li.querySelector('.scheduled-when').textContent = missed ? 'Missed' : words.when(i);
  li.querySelector('.scheduled-who').textContent = words.who(i);
  const missedText = li.querySelector('.scheduled-missed-text');
  missedText.hidden = !missed;
  missedText.textContent = missed ? words.missedText(i) : '';
  li.querySelector('.scheduled-meta').textContent = words.meta(i);
  const text = li.querySelector('.scheduled-text');
  text.hidden = !words.isSingle(i) || !i.template;
  text.textContent = words.isSingle(i) ? i.template : '';
  const name = words.who(i);
  const label = (action, what) => li.querySelector(`[data-action="${action}"]`).setAttribute('aria-label', `${what}: ${name}`);
  label('now', 'Send now');
  label('change', missed ? 'Reschedule' : 'Change time');
  label('cancel', 'Cancel');
  if (missed) li.querySelector('[data-action="change"]').textContent = 'Reschedule…';
  // Waiting, the usual thing is to leave it: sending now is not the first button's colour.
  if (!missed) li.querySelector('[data-action="now"]').className = 'secondary compact';
  const idBase = `scheduled-${i.id}`;
  const date = li.querySelector('.scheduled-date');
  const time = li.querySelector('.scheduled-time');
  date.id = `${idBase}-date`;
  time.id = `${idBase}-time`;
  li.querySelector('.scheduled-date-label').htmlFor = date.id;
  li.querySelector('.scheduled-time-label').htmlFor = time.id;
  const zone = `${list ? list.zone : ''} time`;
  li.querySelector('.scheduled-change-zone').textContent = words.isSingle(i) || words.waiting(i) === 1
    ? zone
    : `${zone} — all ${words.waiting(i)} reminders go at this one time`;
  return li;
}

/** The item with a question or the time change open, and what is typed in it, or null. */
function openItem() {
  for (const li of document.querySelectorAll('.scheduled-item')) {
    const form = li.querySelector('.scheduled-change');
    const confirm = li.querySelector('.scheduled-confirm');
    if (!form.hidden || !confirm.hidden) {
      return {
        id: li.dataset.id,
        change: !form.hidden,
        date: li.querySelector('.scheduled-date').value,
        time: li.querySelector('.scheduled-time').value,
        ask: confirm.hidden ? null : confirm.dataset.action,
      };
    }
  }
  return null;
}

function restore(open) {
  const li = document.querySelector(`.scheduled-item[data-id="${open.id}"]`);
  if (!li) return;
  if (open.change) {
    openChange(li, { date: open.date, time: open.time, focus: false });
  } else if (open.ask) {
    ask(li, open.ask, { focus: false });
  }
}

/** The item's data as last read. */
const itemOf = (li) => (list ? list.items.find((i) => String(i.id) === li.dataset.id) : null);

function closeAll(li) {
  li.querySelector('.scheduled-change').hidden = true;
  li.querySelector('.scheduled-confirm').hidden = true;
}

function clicked(event) {
  const button = event.target.closest('button[data-action]');
  if (!button) return;
  const li = button.closest('li.scheduled-item');
  const action = button.dataset.action;
  if (action === 'now' || action === 'cancel') ask(li, action);
  else if (action === 'change') openChange(li);
  else if (action === 'change-no') {
    closeAll(li);
    li.querySelector('[data-action="change"]').focus();
  } else if (action === 'no') {
    const asked = li.querySelector('.scheduled-confirm').dataset.action;
    closeAll(li);
    li.querySelector(`[data-action="${asked}"]`).focus();
  } else if (action === 'yes') {
    busy(button, () => answer(li));
  }
}

/** Asks, in the item, before sending now or cancelling. */
function ask(li, action, { focus = true } = {}) {
  const i = itemOf(li);
  if (!i) return;
  closeAll(li);
  const q = words.question(i, action);
  const box = li.querySelector('.scheduled-confirm');
  box.dataset.action = action;
  box.querySelector('.scheduled-question strong').textContent = q.question;
  box.querySelector('.scheduled-question-help').textContent = q.help;
  const yes = box.querySelector('[data-action="yes"]');
  yes.textContent = q.yes;
  yes.className = action === 'cancel' ? 'danger' : 'primary';
  box.querySelector('[data-action="no"]').textContent = q.no;
  box.setAttribute('aria-label', q.question);
  box.hidden = false;
  if (focus) box.querySelector('[data-action="no"]').focus();
}

function openChange(li, { date = null, time = null, focus = true } = {}) {
  closeAll(li);
  const [fromDate, fromTime] = (li.dataset.changeFrom || ' ').split(' ');
  const dateInput = li.querySelector('.scheduled-date');
  const timeInput = li.querySelector('.scheduled-time');
  dateInput.value = date ?? fromDate;
  timeInput.value = time ?? fromTime;
  li.querySelector('.scheduled-change').hidden = false;
  if (focus) dateInput.focus();
}

async function answer(li) {
  const i = itemOf(li);
  const action = li.querySelector('.scheduled-confirm').dataset.action;
  if (!i) return;
  const result = li.querySelector('.scheduled-item-result');
  const name = words.who(i);
  try {
    if (action === 'now') {
      const sent = await handlers.sendNow(i.id);
      showIn($('scheduled-result'), sentNotice(i, sent));
    } else {
      await handlers.cancel(i.id);
      showIn($('scheduled-result'), notice('success', {
        title: words.isSingle(i) ? `Cancelled: the message ${name.replace(/^To/, 'to')} will not be sent.` : `Cancelled: ${name} will not be sent.`,
      }));
    }
  } catch (error) {
    showIn(result, errorNotice(error, action === 'now' ? 'Not sent' : 'Not cancelled'));
    return;
  }
  await load();
  $('scheduled-waiting-heading').focus();
}

function sentNotice(i, sent) {
  const what = words.isSingle(i) ? 'the message' : plural(sent.messages, 'reminder', 'reminders');
  const where = words.isSingle(i)
    ? 'It appears in History.'
    : 'Follow them under Reminders.';
  if (sent.windowOpen) {
    return notice('success', { title: `Sending ${what} now.`, message: where });
  }
  return notice('info', {
    title: `${words.capital(what)} will go ${sent.opensWords || 'when the sending hours start'}.`,
    message: `It is outside the sending hours now (Settings › Sending). ${where}`,
  });
}

async function submitted(event) {
  event.preventDefault();
  const form = event.target.closest('form.scheduled-change');
  if (!form) return;
  const li = form.closest('li.scheduled-item');
  const i = itemOf(li);
  if (!i) return;
  const date = li.querySelector('.scheduled-date').value;
  const time = li.querySelector('.scheduled-time').value;
  const result = li.querySelector('.scheduled-item-result');
  if (!date || !time) {
    showIn(result, notice('error', { title: 'Not changed', message: 'Choose the new day and time.' }));
    li.querySelector(!date ? '.scheduled-date' : '.scheduled-time').focus();
    return;
  }
  await busy(form.querySelector('button[type="submit"]'), async () => {
    let scheduled;
    try {
      scheduled = await handlers.reschedule(i.id, `${date} ${time}`);
    } catch (error) {
      showIn(result, errorNotice(error, 'The time was not changed'));
      li.querySelector('.scheduled-date').focus();
      return;
    }
    closeAll(li);
    const what = words.isSingle(i)
      ? `the message ${words.who(i).replace(/^To/, 'to')} now goes`
      : `${words.who(i)} now ${words.waiting(i) === 1 ? 'goes' : 'go'}`;
    showIn($('scheduled-result'), notice('success', {
      title: `Changed: ${what} on ${scheduled.atShown}.`,
      hint: scheduled.moved
        ? 'The time you chose is outside the sending hours (Settings › Sending), so it goes when they start.'
        : '',
    }));
    await load();
    $('scheduled-waiting-heading').focus();
  });
}

// New message, "Send later…": a date and a time on the clinic's clock (its zone named beside
// them, prefilled tomorrow at 10:00), and "Schedule message". Nothing is sent then: the
// message waits under Scheduled and goes at its time, even with this window closed, as long as
// SMS Desk runs. Enter in these fields schedules; it never sends now. compose.js hands it
// `scheduling()` (the clinic's zone and dates), `schedule(at)` (resolves with what was
// scheduled, or rejects with the refusal, shown by compose.js) and `opened()`.

import { busy, notice, showIn } from './dom.js';

const $ = (id) => document.getElementById(id);

let handlers = null;
/** The time offered first. */
const FIRST_TIME = '10:00';
/** A calendar date in words ("Wed 2 Dec 2026"): the date picker writes dates as the system does. */
const dayWords = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC',
});
/** The clinic's zone, as last read. */
let zone = '';

export function bind(h) {
  handlers = h;
  $('send-later-open').addEventListener('click', () => {
    if (isOpen()) close();
    else open();
  });
  $('send-later-close').addEventListener('click', () => {
    close();
    $('send-later-open').focus();
  });
  $('schedule').addEventListener('click', (e) => busy(e.currentTarget, schedule));
  for (const id of ['send-later-date', 'send-later-time']) {
    $(id).addEventListener('input', sayWhen);
    $(id).addEventListener('change', sayWhen);
  }
  // Enter (with Ctrl or not) in these fields schedules: the form's own Enter sends now.
  $('send-later').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && event.target.tagName === 'INPUT') {
      event.preventDefault();
      event.stopPropagation();
      $('schedule').click();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      close();
      $('send-later-open').focus();
    }
  });
}

export const isOpen = () => !$('send-later').hidden;

/** Shows the date and time, prefilled tomorrow at 10:00 on the clinic's clock. */
export async function open() {
  $('send-later').hidden = false;
  $('send-later-open').setAttribute('aria-expanded', 'true');
  let view = null;
  try {
    view = await handlers.scheduling();
  } catch {
    // The zone stays unsaid; the back end reads the time on the clinic's clock anyway.
  }
  if (view) {
    zone = view.zone;
    if (!$('send-later-date').value) $('send-later-date').value = view.tomorrow;
    $('send-later-date').min = view.today;
  }
  if (!$('send-later-time').value) $('send-later-time').value = FIRST_TIME;
  sayWhen();
  $('send-later').scrollIntoView({ block: 'nearest' });
  $('send-later-date').focus();
}

/**
 * The date and time picked, in words beside them ("Wed 2 Dec 2026 at 10:00, Europe/Dublin
 * time"): a date picker shows 12/02/2026 on some computers, which reads two ways.
 */
function sayWhen() {
  const date = $('send-later-date').value;
  const time = $('send-later-time').value;
  const [y, m, d] = date.split('-').map(Number);
  let said = '';
  if (y && m && d) {
    said = dayWords.format(new Date(Date.UTC(y, m - 1, d))).replace(/,/g, '');
    if (time) said += ` at ${time}`;
  }
  const clock = zone ? `${zone} time` : '';
  $('send-later-zone').textContent = [said, clock].filter(Boolean).join(', ');
}

export function close() {
  $('send-later').hidden = true;
  $('send-later-open').setAttribute('aria-expanded', 'false');
}

/** Forgets the time picked (after a message was scheduled). */
export function reset() {
  $('send-later-date').value = '';
  $('send-later-time').value = '';
  close();
}

/** The date and time as the back end reads them, or null (said) when one is missing. */
function readAt() {
  const date = $('send-later-date').value;
  const time = $('send-later-time').value;
  const missing = !date ? $('send-later-date') : !time ? $('send-later-time') : null;
  if (missing) {
    showIn($('send-result'), notice('error', {
      title: 'Not scheduled',
      message: !date ? 'Choose the day to send it.' : 'Choose the time to send it.',
    }));
    missing.focus();
    return null;
  }
  return `${date} ${time}`;
}

async function schedule() {
  const at = readAt();
  if (!at) return;
  await handlers.schedule(at);
}

/** Focuses the date when a refused time (`bad_time`) needs changing. */
export function focusTime() {
  if (!isOpen()) open();
  $('send-later-date').focus();
}

/**
 * What was scheduled (`{atShown, moved}`): said above the form, with where to find it and
 * that it goes with the window closed, as long as SMS Desk runs.
 */
export function showScheduled(scheduled, { practice, to }) {
  const who = to ? ` to ${to}` : '';
  const parts = [
    'It will go even if this window is closed, as long as SMS Desk is running on this computer. To change its time or cancel it, open Scheduled.',
  ];
  if (practice) parts.push('Practice — nobody will really be texted.');
  showIn($('send-result'), notice('success', {
    title: `Scheduled${who} for ${scheduled.atShown}`,
    message: parts.join(' '),
    hint: scheduled.moved
      ? 'The time you chose is outside the sending hours (Settings › Sending), so it goes when they start.'
      : '',
  }));
}

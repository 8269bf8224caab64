// Closing SMS Desk while reminders are being sent: the back end keeps the window open and
// asks this module, which asks the person. "Keep sending in the background" (the default, when
// SMS Desk has a tray icon) hides the window to the tray and sending goes on; without a tray
// "Keep sending" leaves the window open. "Pause and quit SMS Desk" pauses every list being
// sent, lets the messages already on their way finish and be recorded (so none is left
// "outcome unknown"), then closes. main.js hands it `jobs()`, `pause(id)` and `closeAnyway()`,
// and forwards each job change to `changed()`; whether there is a tray comes with the close
// question itself (`onCloseWhileSending`), and hiding to it is the shell's `keepInTray()`.

import { errorNotice, showIn } from './dom.js';
import { plural } from './bulk_words.js';
import { keepInTray, onCloseWhileSending } from './api.js';

const $ = (id) => document.getElementById(id);

/** A job with messages to send now or on their way (not one whose rows all wait for their time). */
const going = (j) => j.state === 'running' && j.counts.pending + j.counts.sending > 0;

/** The longest wait for the messages on their way before closing anyway. */
const FINISH_AT_MOST_MS = 20000;

let handlers = null;
/** While pausing to close: checks whether nothing is on its way any more. */
let waiting = null;
/** The last close question came with a tray icon to keep sending from. */
let tray = false;

const WORDS = {
  tray: {
    keep: 'Keep sending in the background',
    pause: 'Pause and quit SMS Desk',
    text: 'SMS Desk can go on sending with its window closed: it stays in the tray (the icons by the clock) until you quit it there. If it quits now, the messages not sent yet wait until you open SMS Desk and press Resume under Reminders. Messages already sent are never sent again.',
  },
  window: {
    keep: 'Keep sending',
    pause: 'Pause and close SMS Desk',
    text: 'If SMS Desk closes now, the messages not sent yet wait. To send them, open SMS Desk again and press Resume under Reminders. Messages already sent are never sent again.',
  },
};

function showWords() {
  const words = tray ? WORDS.tray : WORDS.window;
  $('close-keep').textContent = words.keep;
  $('close-pause').textContent = words.pause;
  $('close-confirm-text').textContent = words.text;
}

export function bind(h) {
  handlers = h;
  $('close-keep').addEventListener('click', keep);
  $('close-pause').addEventListener('click', pauseAndClose);
  // main.js opens the question on this event too; this hears whether it came with a tray.
  onCloseWhileSending((question) => {
    tray = Boolean(question && question.tray);
    showWords();
  }).catch(() => {});
  $('close-confirm').addEventListener('cancel', (event) => {
    // Escape keeps sending, except once closing has begun.
    if (waiting) event.preventDefault();
  });
}

/** The person closed the window while a list is being sent. */
export function ask() {
  const dialog = $('close-confirm');
  showWords();
  if (dialog.open) return;
  $('close-confirm-status').textContent = '';
  $('close-keep').disabled = false;
  $('close-pause').disabled = false;
  dialog.showModal();
  $('close-keep').focus();
  // How much is still to send, in the person's words.
  handlers.jobs().then((jobs) => {
    const left = jobs.filter(going).map((j) => `${plural(j.counts.pending + j.counts.sending, 'message', 'messages')} of ${j.fileName}`);
    if (left.length && !waiting) $('close-confirm-status').textContent = `Not sent yet: ${left.join(', ')}.`;
  }, () => {});
}

/** "Keep sending": to the tray when there is one (the window hides), else the window stays. */
async function keep() {
  $('close-confirm').close();
  if (tray) await keepInTray().catch(() => false);
}

/** A job moved on: while closing, see whether everything on its way has finished. */
export function changed() {
  if (waiting) waiting();
}

async function pauseAndClose() {
  $('close-keep').disabled = true;
  $('close-pause').disabled = true;
  const status = $('close-confirm-status');
  status.textContent = 'Pausing…';
  try {
    // Lists being sent only: a scheduled one keeps its time (it goes when SMS Desk runs then).
    const running = (await handlers.jobs()).filter(going);
    await Promise.all(running.map((j) => handlers.pause(j.id)));
    await finished(running.map((j) => j.id), status);
  } catch (error) {
    // Closing is what the person asked for: a list that could not be paused is offered for
    // resumption at the next start.
    showIn(status, errorNotice(error, 'Not everything could be paused'));
  }
  await handlers.closeAnyway();
}

/** Resolves once none of the jobs `ids` has a message on its way (or after a while). */
function finished(ids, status) {
  return new Promise((resolve) => {
    let done = false;
    const end = () => {
      if (done) return;
      done = true;
      waiting = null;
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(end, FINISH_AT_MOST_MS);
    const check = async () => {
      const jobs = await handlers.jobs().catch(() => []);
      const left = jobs.filter((j) => ids.includes(j.id) && (j.counts.sending > 0 || j.state === 'running'));
      if (!left.length) end();
      else {
        const n = left.reduce((sum, j) => sum + j.counts.sending, 0);
        status.textContent = `Paused. Waiting for ${plural(n, 'message', 'messages')} on its way to be recorded…`;
      }
    };
    waiting = check;
    check();
  });
}

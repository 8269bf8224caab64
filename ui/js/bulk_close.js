// Closing SMS Desk while reminders are being sent: the back end keeps the window open and
// asks this module, which asks the person. "Keep sending" carries on; "Pause and close SMS
// Desk" pauses every list being sent, lets the messages already on their way finish and be
// recorded (so none is left "outcome unknown"), then closes. main.js hands it `jobs()`,
// `pause(id)` and `closeAnyway()`, and forwards each job change to `changed()`.

import { errorNotice, showIn } from './dom.js';
import { plural } from './bulk_words.js';

const $ = (id) => document.getElementById(id);

/** The longest wait for the messages on their way before closing anyway. */
const FINISH_AT_MOST_MS = 20000;

let handlers = null;
/** While pausing to close: checks whether nothing is on its way any more. */
let waiting = null;

export function bind(h) {
  handlers = h;
  $('close-keep').addEventListener('click', () => $('close-confirm').close());
  $('close-pause').addEventListener('click', pauseAndClose);
  $('close-confirm').addEventListener('cancel', (event) => {
    // Escape keeps sending, except once closing has begun.
    if (waiting) event.preventDefault();
  });
}

/** The person closed the window while a list is being sent. */
export function ask() {
  const dialog = $('close-confirm');
  if (dialog.open) return;
  $('close-confirm-status').textContent = '';
  $('close-keep').disabled = false;
  $('close-pause').disabled = false;
  dialog.showModal();
  $('close-keep').focus();
  // How much is still to send, in the person's words.
  handlers.jobs().then((jobs) => {
    const going = jobs.filter((j) => j.state === 'running');
    const left = going.map((j) => `${plural(j.counts.pending + j.counts.sending, 'message', 'messages')} of ${j.fileName}`);
    if (left.length && !waiting) $('close-confirm-status').textContent = `Not sent yet: ${left.join(', ')}.`;
  }, () => {});
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
    const running = (await handlers.jobs()).filter((j) => j.state === 'running');
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
      const going = jobs.filter((j) => ids.includes(j.id) && (j.counts.sending > 0 || j.state === 'running'));
      if (!going.length) end();
      else {
        const n = going.reduce((sum, j) => sum + j.counts.sending, 0);
        status.textContent = `Paused. Waiting for ${plural(n, 'message', 'messages')} on its way to be recorded…`;
      }
    };
    waiting = check;
    check();
  });
}

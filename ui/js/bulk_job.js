// Reminders, step 4: one job as it is sent — a progress bar, the counts by outcome, the time
// left — with Pause, Resume and Cancel (which asks first). It follows the back end's `job`
// changes (no timer). When the job has ended: the counts, "Export report (CSV)…", the rows to
// look at (outcome unknown, refused, not sent), and one click to put the numbers that opted
// out on the do-not-text list. bulk.js hands it `get(id)`, `report(id)`, `entry(historyId)`,
// `pause(id)`, `resume(id)`, `cancel(id)`, `exportCsv(id)`, `optedOut(id)`, `addOptedOut(id)`,
// `openScheduled()` and `closed()`. A list whose rows wait for their time says so, with the way
// to the Scheduled screen.

import { busy, errorNotice, formatCount, notice, showIn } from './dom.js';
import { coalesced } from './coalesce.js';
import { formatDateTime } from './history_words.js';
import {
  COUNTS, duration, fillJobBadge, forWindow, handled, plural, rateWords, reportWords, sendable,
} from './bulk_words.js';

const $ = (id) => document.getElementById(id);

/** Report rows shown under a finished job, at most. */
const ATTENTION_MAX = 200;
/** Of those, how many are explained with the provider's words (one question each). */
const EXPLAINED_MAX = 30;

let handlers = null;
/** The job shown (as last read), or null. */
let job = null;
/** Segments per sendable row of the job shown (for the time left), once read. */
let perRow = null;
/** The state for which the end (report, opted-out numbers) was read, so it is read once. */
let endRead = '';
const reload = coalesced(() => load());

export function bind(h) {
  handlers = h;
  $('bulk-pause').addEventListener('click', (e) => busy(e.currentTarget, () => act(handlers.pause, 'The list was not paused')));
  $('bulk-resume').addEventListener('click', (e) => busy(e.currentTarget, () => act(handlers.resume, 'The list was not resumed')));
  $('bulk-cancel').addEventListener('click', askToCancel);
  $('bulk-cancel-no').addEventListener('click', () => {
    $('bulk-cancel-confirm').hidden = true;
    $('bulk-cancel').focus();
  });
  $('bulk-cancel-yes').addEventListener('click', (e) => busy(e.currentTarget, async () => {
    $('bulk-cancel-confirm').hidden = true;
    await act(handlers.cancel, 'The list was not cancelled');
    $('bulk-job-title').focus();
  }));
  $('bulk-cancel-confirm').addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      $('bulk-cancel-no').click();
    }
  });
  $('bulk-export').addEventListener('click', (e) => busy(e.currentTarget, exportCsv));
  $('bulk-open-scheduled').addEventListener('click', () => handlers.openScheduled());
  $('bulk-add-optouts').addEventListener('click', (e) => busy(e.currentTarget, addOptedOut));
  $('bulk-job-close').addEventListener('click', () => {
    show(null);
    handlers.closed();
  });
}

/** The id of the job shown, or null. */
export const shownId = () => (job ? job.id : null);

/** Shows the job `id` (null: hides the panel); `focus` puts the keyboard on its title. */
export async function show(id, { focus = false } = {}) {
  if (id == null) {
    job = null;
    $('bulk-job').hidden = true;
    return;
  }
  if (!job || job.id !== id) {
    job = { id, placeholder: true };
    perRow = null;
    endRead = '';
    $('bulk-cancel-confirm').hidden = true;
    showIn($('bulk-job-result'), null);
    $('bulk-job-attention').hidden = true;
    $('bulk-add-optouts').hidden = true;
  }
  await load();
  if (focus) {
    $('bulk-job').scrollIntoView({ block: 'start' });
    $('bulk-job-title').focus();
  }
}

/** The back end says job `id` moved on. */
export function changed(id) {
  if (job && (id == null || Number(id) === job.id)) reload();
}

async function load() {
  if (!job) return;
  const id = job.id;
  let read;
  try {
    read = await handlers.get(id);
  } catch (error) {
    if (!job || job.id !== id) return;
    $('bulk-job').hidden = false;
    if (job.placeholder) $('bulk-job-title').textContent = 'Reminders';
    showIn($('bulk-job-result'), errorNotice(forWindow(error), 'This list could not be read'));
    return;
  }
  if (!job || job.id !== id) return;
  const same = !job.placeholder && JSON.stringify(job) === JSON.stringify(read);
  job = read;
  if (perRow == null) await readPerRow(id);
  // Drawn again only when something changed (changes come in bursts).
  if (!same) draw();
  const ended = job.state === 'done' || job.state === 'cancelled';
  if (ended && endRead !== job.state && job.counts.sending === 0) {
    endRead = job.state;
    await readEnd(id);
  }
}

async function readPerRow(id) {
  try {
    const rows = await handlers.report(id);
    const going = rows.filter((r) => r.outcome !== 'invalid' && r.outcome !== 'duplicate');
    const segments = going.reduce((sum, r) => sum + (r.segments || 1), 0);
    perRow = going.length ? segments / going.length : 1;
  } catch {
    perRow = 1;
  }
}

function draw() {
  const j = job;
  const c = j.counts;
  $('bulk-job').hidden = false;
  $('bulk-job-title').textContent = `Reminders from ${j.fileName}`;
  fillJobBadge($('bulk-job-state'), j.state);
  const meta = [
    j.templateName ? `Template “${j.templateName}”` : null,
    `from ${j.channelName}`,
    `at ${rateWords(j.rate)}`,
    `started ${formatDateTime(j.createdAt)}`,
  ].filter(Boolean);
  $('bulk-job-meta').textContent = meta.join(' · ');
  const problem = $('bulk-job-problem');
  problem.hidden = !j.problem;
  problem.textContent = j.problem || '';

  const total = sendable(c);
  const done = handled(c);
  const bar = $('bulk-job-bar');
  bar.max = Math.max(1, total);
  bar.value = done;
  const open = c.pending + c.sending;
  const left = Math.ceil((open * (perRow || 1)) / Math.max(0.001, j.rate));
  let line = `${formatCount(done)} of ${plural(total, 'message', 'messages')} done`;
  if (j.state === 'running' && open) line += ` · ${duration(left)} left`;
  else if (j.state === 'running' && c.scheduled + c.missed) {
    const waiting = c.scheduled + c.missed;
    line += ` · ${plural(waiting, 'reminder waits', 'reminders wait')} for ${waiting === 1 ? 'its' : 'their'} time${c.missed ? ` (${formatCount(c.missed)} missed)` : ''} — see Scheduled`;
  } else if (j.state === 'running') line += ' · finishing';
  else if (j.state === 'paused' && c.sending) line += ' · paused: finishing the messages being sent now';
  else if (j.state === 'paused') line += ` · paused, ${plural(open, 'message', 'messages')} waiting — press Resume to send ${open === 1 ? 'it' : 'them'}`;
  else if (j.state === 'done') line = `Done: ${formatCount(c.accepted)} of ${plural(total, 'message', 'messages')} sent`;
  else if (j.state === 'cancelled') line = `Cancelled: ${formatCount(c.accepted)} of ${plural(total, 'message', 'messages')} sent`;
  $('bulk-job-done').textContent = line;

  const openJob = j.state === 'running' || j.state === 'paused' || j.state === 'ready';
  const list = $('bulk-job-counts');
  list.replaceChildren();
  for (const { key, words, always, whileOpen } of COUNTS) {
    const n = c[key] || 0;
    if (!n && !always && !(whileOpen && openJob)) continue;
    const item = document.createElement('div');
    item.className = `bulk-count count-${key}`;
    const dt = document.createElement('dt');
    dt.textContent = words;
    const dd = document.createElement('dd');
    dd.textContent = formatCount(n);
    item.append(dt, dd);
    list.append(item);
  }
  $('bulk-job-unknown').hidden = !c.unknown;
  $('bulk-job-unknown-title').textContent = c.unknown
    ? `${plural(c.unknown, 'message', 'messages')}: outcome unknown.`
    : '';
  $('bulk-job-unknown-text').textContent = c.unknown === 1
    ? 'It may or may not have been sent — check before sending it again. Find it in History under “Outcome unknown”. SMS Desk never sends it again by itself.'
    : 'They may or may not have been sent — check before sending them again. Find them in History under “Outcome unknown”. SMS Desk never sends them again by itself.';

  // Waiting for their time, nothing is being sent to pause: Cancel (or Scheduled) is the way.
  $('bulk-pause').hidden = j.state !== 'running' || open === 0;
  $('bulk-open-scheduled').hidden = !(openJob && c.scheduled + c.missed > 0);
  $('bulk-resume').hidden = !(j.state === 'paused' || j.state === 'ready');
  $('bulk-cancel').hidden = !openJob;
  $('bulk-export').hidden = openJob;
  $('bulk-job-close').hidden = openJob;
  if (!openJob) $('bulk-cancel-confirm').hidden = true;
}

async function act(action, title) {
  const id = job.id;
  try {
    await action(id);
    showIn($('bulk-job-result'), null);
  } catch (error) {
    showIn($('bulk-job-result'), errorNotice(forWindow(error), title));
  }
  await load();
}

function askToCancel() {
  const c = job.counts;
  const open = c.pending + c.sending + c.scheduled + c.missed;
  const left = c.pending + c.scheduled + c.missed;
  $('bulk-cancel-question').querySelector('strong').textContent = open
    ? `Cancel the rest of this list? ${plural(left, 'message', 'messages')} will not be sent.`
    : 'Cancel the rest of this list?';
  $('bulk-cancel-confirm').hidden = false;
  $('bulk-cancel-no').focus();
}

/** After the job ended: the rows to look at and the numbers that opted out. */
async function readEnd(id) {
  const [report, opted] = await Promise.allSettled([handlers.report(id), handlers.optedOut(id)]);
  if (!job || job.id !== id) return;
  if (report.status === 'fulfilled') drawAttention(report.value);
  const numbers = opted.status === 'fulfilled' ? opted.value : [];
  const button = $('bulk-add-optouts');
  button.hidden = numbers.length === 0;
  button.disabled = false;
  button.textContent = numbers.length === 1
    ? 'Add 1 number that opted out to the do-not-text list'
    : `Add ${formatCount(numbers.length)} numbers that opted out to the do-not-text list`;
  button.title = numbers.join(', ');
}

function drawAttention(rows) {
  const look = rows.filter((r) => ['unknown', 'rejected', 'unauthorized', 'not_sent'].includes(r.outcome));
  $('bulk-job-attention').hidden = look.length === 0;
  const proto = $('bulk-attention-template').content.firstElementChild;
  const drawn = look.slice(0, ATTENTION_MAX).map((r) => {
    const tr = proto.cloneNode(true);
    tr.classList.add(`outcome-${r.outcome}`);
    tr.querySelector('.bulk-cell-row').textContent = String(r.row);
    tr.querySelector('.bulk-cell-number').textContent = r.to || '';
    tr.querySelector('.bulk-cell-name').textContent = r.name || '';
    tr.querySelector('.bulk-cell-status').textContent = reportWords(r);
    return { tr, r };
  });
  $('bulk-attention-list').replaceChildren(...drawn.map((d) => d.tr));
  // What the provider said, from the message in History (for the first few).
  for (const { tr, r } of drawn.slice(0, EXPLAINED_MAX)) {
    if (r.message == null || r.problem) continue;
    handlers.entry(r.message).then((detail) => {
      if (!detail || !tr.isConnected) return;
      tr.querySelector('.bulk-cell-number').textContent = detail.toDisplay || r.to || '';
      const said = detail.problem || detail.error;
      if (said) tr.querySelector('.bulk-cell-status').textContent = `${reportWords(r)} ${said}`;
    }, () => {});
  }
}

async function exportCsv() {
  try {
    const saved = await handlers.exportCsv(job.id);
    if (!saved) return;
    showIn($('bulk-job-result'), notice('success', {
      title: `Exported the report: ${plural(saved.count, 'row', 'rows')}.`,
      message: 'Each row with what happened to it, its message id and its delivery status. It opens in Excel.',
      detail: saved.path,
    }));
  } catch (error) {
    showIn($('bulk-job-result'), errorNotice(forWindow(error), 'The report was not exported'));
  }
}

async function addOptedOut() {
  const button = $('bulk-add-optouts');
  try {
    const added = await handlers.addOptedOut(job.id);
    button.hidden = true;
    showIn($('bulk-job-result'), notice('success', {
      title: `${plural(added, 'number is', 'numbers are')} on the do-not-text list now.`,
      message: 'SMS Desk will not text them again.',
    }));
    $('bulk-export').focus();
  } catch (error) {
    showIn($('bulk-job-result'), errorNotice(forWindow(error), 'The numbers were not added'));
  }
}

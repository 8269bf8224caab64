// The Reminders screen: a list of appointments from a spreadsheet, turned into one message a
// row. Step 1 the template and the file (bulk_file.js: how it was read), step 2 the columns
// (bulk_mapping.js), step 3 when the rows go (bulk_when.js: now, at a time, before each
// appointment), every message with its time and the totals, a test to the person's own number,
// and the confirmation that repeats the totals (bulk_preview.js); then the list being sent
// (bulk_job.js) and the lists sent before (bulk_jobs.js). The back end keeps the opened file
// (named by its draft number) and does every check; nothing is sent before "Send N
// reminders" in the confirmation. It never talks to the backend itself: main.js hands it the
// calls (see `bind`).

import { staleListNotice } from './team.js';
import { busy, errorNotice, notice, showIn } from './dom.js';
import { coalesced } from './coalesce.js';
import * as fileView from './bulk_file.js';
import * as job from './bulk_job.js';
import * as jobs from './bulk_jobs.js';
import * as mapping from './bulk_mapping.js';
import * as previewView from './bulk_preview.js';
import * as whenView from './bulk_when.js';
import { forWindow, isLater, leftOut, plural } from './bulk_words.js';

const $ = (id) => document.getElementById(id);

/** The fastest and slowest speeds accepted, in segments per second. */
const MIN_RATE = 0.1;
const MAX_RATE = 1000;
const RATE_DELAY_MS = 300;

let handlers = null;
/** The templates offered. */
let templates = [];
/** The file as opened by the back end (OpenedFile), or null. */
let opened = null;
/** The picked template's details that come from the file ([{name, label}]), and the business details it needs that are empty. */
let details = [];
let businessMissing = [];
/** Only the answer to the latest question is shown (the template's details, the preview). */
let templateSeq = 0;
let previewSeq = 0;
/** Rereads of the file, one after the other (each drops the draft it read again). */
let rereading = Promise.resolve();
/** Shows the preview again (after a change of columns, speed, "Keep both" or the leading 0). */
const refreshPreview = coalesced(() => showPreview());
/** The person chose to read the numbers Excel removed the leading 0 of with it (this file). */
let addLeadingZero = false;

/**
 * Handlers: `chooseFile(templateId)`, `startupFile(templateId)`, `reopen(draft, options, templateId)`,
 * `templateFields(body)` (resolves with {fields, missing} as the live preview gives them),
 * `preview(draft, templateId, choice, options, timing, rate)`, `test(draft, templateId, choice, options, timing, number)`,
 * `start(draft, templateId, choice, options, timing, rate)` (options: `{keepDuplicates, addLeadingZero}`,
 * timing: `{when, sendPastNow}`, the same for all three), `scheduling()` (the clinic's clock),
 * `openScheduled()`, `forget(draft)`, `jobs()`, `job(id)`,
 * `report(id)`, `entry(historyId)`, `pause(id)`, `resume(id)`, `cancel(id)`, `exportCsv(id)`, `optedOut(id)`,
 * `addOptedOut(id)`, `openTemplates()`, `openBusiness(field)`.
 */
export function bind(h) {
  handlers = h;
  fileView.bind({ reread: (options) => reread(options) });
  mapping.bind({ changed: () => columnsChanged() });
  whenView.bind({
    changed: () => {
      previewView.closeConfirm();
      refreshPreview();
    },
  });
  $('bulk-send-past').addEventListener('change', () => refreshPreview());
  previewView.bind({
    leadingZero: (add) => {
      addLeadingZero = add;
      refreshPreview();
    },
  });
  job.bind({
    get: h.job,
    report: h.report,
    entry: h.entry,
    pause: h.pause,
    resume: h.resume,
    cancel: h.cancel,
    exportCsv: h.exportCsv,
    optedOut: h.optedOut,
    addOptedOut: h.addOptedOut,
    closed: () => $('bulk-template').focus(),
    openScheduled: h.openScheduled,
  });
  jobs.bind({
    list: h.jobs,
    listed: (list) => showTabState(list),
    show: (id) => job.show(id, { focus: true }),
    resume: async (id) => {
      await h.resume(id);
      await job.show(id, { focus: true });
    },
  });
  $('bulk-template').addEventListener('change', () => templatePicked());
  $('bulk-choose').addEventListener('click', (e) => busy(e.currentTarget, chooseFile));
  $('bulk-open-templates').addEventListener('click', () => h.openTemplates());
  $('bulk-open-business').addEventListener('click', () => {
    const first = businessMissing[0];
    h.openBusiness(first ? first.name : null);
  });
  $('bulk-preview-go').addEventListener('click', (e) => busy(e.currentTarget, async () => {
    await showPreview();
    if (previewView.shown()) $('bulk-preview-title').focus();
  }));
  $('bulk-keep-duplicates').addEventListener('change', () => refreshPreview());
  // The totals follow the speed as it is typed (after a short pause in typing).
  let rateTimer = 0;
  $('bulk-rate').addEventListener('input', () => {
    clearTimeout(rateTimer);
    rateTimer = setTimeout(() => refreshPreview(), RATE_DELAY_MS);
  });
  $('bulk-rate').addEventListener('change', () => {
    clearTimeout(rateTimer);
    refreshPreview();
  });
  $('bulk-test').addEventListener('click', (e) => busy(e.currentTarget, sendTest));
  $('bulk-test-number').addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      $('bulk-test').click();
    }
  });
  $('bulk-send').addEventListener('click', () => previewView.askToSend());
  $('bulk-confirm-cancel').addEventListener('click', () => {
    previewView.closeConfirm();
    $('bulk-send').focus();
  });
  $('bulk-confirm').addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      $('bulk-confirm-cancel').click();
    }
  });
  $('bulk-confirm-send').addEventListener('click', (e) => busy(e.currentTarget, start));
  fileView.render(null);
  updateButton();
  // The tab says when a list is being sent or waits paused (after a restart, too).
  jobs.refresh();
  readScheduling();
}

/** The clinic's clock, for "When to send" (read again when the screen is shown). */
async function readScheduling() {
  try {
    whenView.setScheduling(await handlers.scheduling());
  } catch {
    // The zone stays unsaid; the back end reads the times on the clinic's clock anyway.
  }
}

/** A list being sent now (not only waiting for its time). */
const beingSent = (j) => j.state === 'running' && j.counts.pending + j.counts.sending > 0;

/** "Reminders · sending" / "Reminders · 1 paused" on the tab, from the jobs as read. */
function showTabState(list) {
  const badge = $('nav-bulk-badge');
  const sending = list.some(beingSent);
  const paused = list.filter((j) => j.state === 'paused' && j.counts.pending > 0).length;
  badge.textContent = sending ? 'sending' : paused ? `${paused} paused` : '';
  badge.classList.toggle('paused', !sending && paused > 0);
  badge.hidden = !badge.textContent;
}

/** The screen is shown: the earlier lists read again, and a list being sent shown. */
export async function show() {
  readScheduling();
  const list = await jobs.readNow();
  if (job.shownId() == null) {
    const going = list.find(beingSent);
    if (going) job.show(going.id);
  } else {
    job.changed(null);
  }
}

/** A job moved on (`id`), or the do-not-text list changed (the preview may differ now). */
export function changed(change) {
  if (change.kind === 'job') {
    job.changed(change.id);
    jobs.refresh();
  } else if (change.kind === 'optOuts' && previewView.shown()) {
    refreshPreview();
  } else if (change.kind === 'settings') {
    // The clinic's zone or sending hours may have changed: the times shown follow.
    readScheduling();
    if (previewView.shown()) refreshPreview();
  }
}

/** Offers `list` (the templates in order); keeps the one picked while it still exists. */
export function render(state) {
  if (state.business !== business) {
    business = state.business;
    if (picked()) templatePicked({ reread: false });
  }
  if (state.templates === templates) return;
  templates = state.templates;
  const select = $('bulk-template');
  const keep = select.value;
  select.replaceChildren(select.options[0]);
  for (const t of templates) {
    const option = document.createElement('option');
    option.value = t.id;
    option.textContent = t.name;
    select.append(option);
  }
  $('bulk-no-templates').hidden = templates.length > 0;
  const still = templates.find((t) => t.id === keep);
  select.value = still ? keep : '';
  // Read again only when the template picked is another one, or its text changed.
  const now = still ? still.body : null;
  if (now !== pickedBody) templatePicked();
}

/** The text of the template whose details are shown. */
let pickedBody = null;
/** The business details as last shown (they fill some templates' details). */
let business = null;

/** The template picked (saved template), or null. */
const picked = () => templates.find((t) => t.id === $('bulk-template').value) || null;

/**
 * A template was picked (or its text changed): its details, and the columns guessed again
 * for them (`reread`; not when only the business details changed).
 */
async function templatePicked({ reread: readAgain = true } = {}) {
  const template = picked();
  pickedBody = template ? template.body : null;
  const mine = ++templateSeq;
  details = [];
  businessMissing = [];
  if (template) {
    try {
      const fields = await handlers.templateFields(template.body);
      if (mine !== templateSeq) return;
      details = fields.fields.filter((f) => !f.fromBusiness);
      businessMissing = fields.missing.filter((f) => f.fromBusiness);
    } catch (error) {
      showIn($('bulk-file-result'), errorNotice(forWindow(error), 'The template could not be read'));
    }
  }
  if (!readAgain) {
    showBusinessMissing();
    updateButton();
    if (blocker()) previewView.render(null);
    else if (previewView.shown()) refreshPreview();
    return;
  }
  if (opened && template) {
    await reread(fileView.options());
    return;
  }
  mapping.render(opened, details);
  showBusinessMissing();
  previewView.render(null);
  updateButton();
}

async function chooseFile() {
  if (await openFile(handlers.chooseFile)) $('bulk-mapping-list').querySelector('select')?.focus();
}

/**
 * The file SMS Desk was started with ("Open with SMS Desk"), opened as a file chosen in the
 * dialog is; resolves with whether there was one (opened, or said why not).
 */
export async function openStartupFile() {
  return (await openFile(handlers.startupFile)) !== null;
}

/** The keyboard focus where the person goes on: the template, else the columns. */
export function focusStep() {
  const next = picked() ? $('bulk-mapping-list').querySelector('select') : null;
  (next || $('bulk-template')).focus();
}

/**
 * Reads a file (`ask(templateId)`: the dialog's pick, or the one given at start-up) and shows
 * it; resolves with true when opened, false when it could not be read (said), null when there
 * was none (the dialog cancelled). A list being sent is not touched.
 */
async function openFile(ask) {
  const template = picked();
  showIn($('bulk-file-result'), null);
  let file;
  try {
    file = await ask(template ? template.id : null);
  } catch (error) {
    showIn($('bulk-file-result'), errorNotice(forWindow(error), 'This file could not be read'));
    return false;
  }
  if (!file) return null;
  if (opened) handlers.forget(opened.draft).catch(() => {});
  fileView.reset();
  showOpened(file);
  return true;
}

/** Reads the file again with the person's choices of encoding, separator or sheet. */
function reread(options) {
  rereading = rereading.then(() => rereadNow(options));
  return rereading;
}

async function rereadNow(options) {
  if (!opened) return;
  const template = picked();
  try {
    const file = await handlers.reopen(opened.draft, options, template ? template.id : null);
    showIn($('bulk-file-result'), null);
    // The same headings: the columns the person chose stay chosen.
    const same = JSON.stringify(file.headers) === JSON.stringify(opened.headers);
    showOpened(file, same ? mapping.chosen() : null);
  } catch (error) {
    showIn($('bulk-file-result'), errorNotice(forWindow(error), 'The file could not be read that way'));
    if (error.code === 'bulk_file_unreadable' && /no longer open/.test(error.message)) {
      opened = null;
      fileView.render(null);
      mapping.render(null, details);
      previewView.render(null);
    }
  }
}

/** Shows the file as opened; `keep`: the column choice to keep over the one guessed. */
function showOpened(file, keep = null) {
  opened = file;
  addLeadingZero = false;
  fileView.render(file);
  mapping.render(file, details, keep);
  whenView.fileOpened(file, mapping.chosen());
  showBusinessMissing();
  previewView.closeConfirm();
  previewView.render(null);
  showIn($('bulk-test-result'), null);
  showIn($('bulk-send-result'), null);
  updateButton();
}

function showBusinessMissing() {
  const box = $('bulk-business-missing');
  box.hidden = !opened || businessMissing.length === 0;
  const words = businessMissing.map((f) => f.label.toLowerCase());
  const list = words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}` : words[0];
  $('bulk-business-missing-text').textContent = words.length
    ? `This template uses your ${list}, which ${words.length === 1 ? 'is' : 'are'} not filled in yet. Every message would go out without it.`
    : '';
}

/** Why the messages cannot be shown yet ('' when they can). */
function blocker() {
  if (!picked()) return 'Choose a template first.';
  const missing = mapping.missing();
  if (missing) return missing;
  if (businessMissing.length) return 'Fill in your business details in Settings first.';
  return '';
}

function updateButton() {
  const why = blocker();
  $('bulk-preview-go').disabled = Boolean(why);
  $('bulk-mapping-reason').textContent = why;
}

function columnsChanged() {
  previewView.closeConfirm();
  updateButton();
  if (blocker()) previewView.render(null);
  else if (previewView.shown()) refreshPreview();
}

/** The speed typed, or null (said beside it) when it is not a number in range. */
function readRate() {
  const box = $('bulk-rate');
  const rate = Number(box.value.replace(',', '.'));
  const ok = Number.isFinite(rate) && rate >= MIN_RATE && rate <= MAX_RATE;
  $('bulk-rate-error').hidden = ok;
  $('bulk-rate-error').textContent = ok ? '' : `Type a speed from ${MIN_RATE} to ${MAX_RATE} segments per second (1 is usual).`;
  if (ok) box.removeAttribute('aria-invalid');
  else box.setAttribute('aria-invalid', 'true');
  return ok ? rate : null;
}

/** What the preview, the test and the job are made of; null when something is missing. */
function request() {
  const template = picked();
  if (!opened || !template || blocker()) return null;
  const rate = readRate();
  if (rate == null) return null;
  const { timing, problem } = whenView.read();
  return {
    draft: opened.draft,
    templateId: template.id,
    choice: mapping.current(),
    options: { keepDuplicates: $('bulk-keep-duplicates').checked, addLeadingZero },
    timing,
    timingProblem: problem,
    rate,
  };
}

/** Whether an error is about the "When" chosen (a time in the past, a column or rule unread). */
const aboutTiming = (error) => whenView.isTimed() && ['bad_time', 'no_such_column'].includes(error && error.code);

async function showPreview() {
  const r = request();
  if (!r) {
    updateButton();
    return;
  }
  const mine = ++previewSeq;
  if (r.timingProblem) {
    // Asked once the "When" is complete; meanwhile the list cannot be sent.
    whenView.showProblem(r.timingProblem);
    previewView.blockTiming(r.timingProblem);
    return;
  }
  // An answer for a file read again meanwhile, or for an older question, is not shown.
  const current = () => mine === previewSeq && opened && opened.draft === r.draft;
  let p;
  try {
    p = await handlers.preview(r.draft, r.templateId, r.choice, r.options, r.timing, r.rate);
  } catch (error) {
    if (!current()) return;
    if (previewView.shown() && aboutTiming(error)) {
      whenView.showProblem(forWindow(error));
      previewView.blockTiming(error.message);
      return;
    }
    const where = previewView.shown() ? $('bulk-send-result') : $('bulk-mapping-result');
    showIn(where, errorNotice(forWindow(error), 'The messages could not be prepared'));
    return;
  }
  if (!current()) return;
  whenView.showProblem(null);
  previewView.blockTiming('');
  showIn($('bulk-mapping-result'), null);
  // The confirmation repeats the totals: other totals close one opened before.
  if (!sameTotals(previewView.shown(), p)) previewView.closeConfirm();
  showIn($('bulk-send-result'), null);
  previewView.render(p);
}

/** Whether two previews say the same in the confirmation. */
function sameTotals(a, b) {
  if (!a || !b) return false;
  const said = (p) => JSON.stringify([p.messages, p.segments, p.channelName, p.practice, p.rate, p.seconds, leftOut(p.rows), p.timing, p.firstShown, p.lastShown]);
  return said(a) === said(b);
}

async function sendTest() {
  const r = request();
  const number = $('bulk-test-number').value.trim();
  const result = $('bulk-test-result');
  if (!r) return;
  if (!number) {
    showIn(result, notice('error', { title: 'Type your own mobile number first.' }));
    $('bulk-test-number').focus();
    return;
  }
  showIn(result, notice('info', { title: 'Sending the test…' }));
  try {
    const sent = await handlers.test(r.draft, r.templateId, r.choice, r.options, r.timing, number);
    const practice = sent.mode === 'practice';
    if (sent.outcome === 'accepted') {
      showIn(result, notice('success', {
        title: `Test sent to ${sent.shownTo || number}.`,
        message: practice
          ? 'Practice — nothing was really sent. The test is in History.'
          : 'Check your phone: it is the first message of the list, as your patients will see it.',
      }));
    } else {
      const problem = sent.problem || { message: sent.error || 'The test was not sent.', hint: '' };
      showIn(result, notice(sent.outcome === 'unknown' ? 'warning' : 'error', {
        title: sent.outcome === 'unknown' ? 'Not sure the test was sent' : 'The test was not sent',
        message: problem.message,
        hint: problem.hint,
      }));
    }
  } catch (error) {
    showIn(result, errorNotice(forWindow(error), 'The test was not sent'));
    if (error.code === 'invalid_phone') $('bulk-test-number').focus();
  }
}

async function start() {
  const r = request();
  const shown = previewView.shown();
  if (!r || !shown || r.timingProblem) return;
  let id;
  try {
    id = await handlers.start(r.draft, r.templateId, r.choice, r.options, r.timing, r.rate);
  } catch (error) {
    previewView.closeConfirm();
    // An old copy of the team list: the person may confirm it and start the list on it.
    showIn($('bulk-send-result'), error.code === 'team_list_stale'
      ? staleListNotice(error, start)
      : errorNotice(forWindow(error), 'Nothing was sent'));
    return;
  }
  const later = isLater(shown);
  // The back end keeps the job now; the file is closed.
  const count = plural(shown.messages, 'reminder', 'reminders');
  opened = null;
  previewView.closeConfirm();
  fileView.render(null);
  mapping.render(null, details);
  previewView.render(null);
  updateButton();
  showIn($('bulk-file-result'), notice('info', later ? {
    title: `Scheduled: ${count}, first on ${shown.firstShown}.`,
    message: 'Nothing is sent now. Each goes at its time, even if this window is closed, as long as SMS Desk is running. To see them, change their time or cancel them, open Scheduled.',
  } : {
    title: `Started: ${count}. Follow them above.`,
    message: 'They are sent in the background: you can use the other screens meanwhile. To send another list, choose its file.',
  }));
  jobs.refresh();
  await job.show(id, { focus: true });
}

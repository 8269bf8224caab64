// Reminders, step 3, "When to send": now, at one time (a date and a time on the clinic's
// clock), or before each appointment — the day before at a time, on the day at a time, or some
// hours before — read from the file's date column and, if there is one, its time column
// (guessed from the headings: Date, Time, Appointment). The back end works out each row's
// time from these choices, for the preview, the test and the start alike. bulk.js hands it
// `changed()`.

import { errorNotice, notice, showIn } from './dom.js';

const $ = (id) => document.getElementById(id);

/** The time each rule offers first. */
const LEAD_TIMES = { 'day-before': '10:00', 'on-the-day': '08:30' };
const MAX_HOURS = 72;
/** A heading that names the appointment's date, or its time. */
const DATE_HEADING = /date|datum|fecha|jour/i;
const DAY_HEADING = /appointment|appt|day|rendez|cita|termin/i;
const TIME_HEADING = /time|hour|heure|hora|zeit|start/i;

let handlers = null;
/** The file's headings (the column pickers' choices). */
let headers = [];

export function bind(h) {
  handlers = h;
  for (const radio of document.querySelectorAll('input[name="bulk-when"]')) {
    radio.addEventListener('change', () => {
      showFields();
      handlers.changed();
    });
  }
  $('bulk-lead').addEventListener('change', () => {
    const rule = $('bulk-lead').value;
    // The other rule's usual time is replaced by this one's; a time the person typed stays.
    const time = $('bulk-lead-time');
    if (Object.values(LEAD_TIMES).includes(time.value) && LEAD_TIMES[rule]) time.value = LEAD_TIMES[rule];
    showFields();
    handlers.changed();
  });
  for (const id of ['bulk-at-date', 'bulk-at-time', 'bulk-lead-time', 'bulk-lead-hours', 'bulk-date-column', 'bulk-time-column']) {
    $(id).addEventListener('change', () => handlers.changed());
  }
  showFields();
}

/** The choice made: 'now', 'at' or 'before'. */
const kind = () => (document.querySelector('input[name="bulk-when"]:checked') || { value: 'now' }).value;

/** Whether the rows go later than when the list starts. */
export const isTimed = () => kind() !== 'now';

function showFields() {
  const k = kind();
  $('bulk-when-at-fields').hidden = k !== 'at';
  $('bulk-when-before-fields').hidden = k !== 'before';
  const hours = $('bulk-lead').value === 'hours';
  $('bulk-lead-time-field').hidden = hours;
  $('bulk-lead-hours-field').hidden = !hours;
}

/**
 * The clinic's clock (`view`: getScheduling's answer): its zone beside the times, and the
 * date and time offered first (tomorrow at 10:00).
 */
export function setScheduling(view) {
  if (!view) return;
  $('bulk-when-zone').textContent = `Times are on ${view.zone} time (Settings › Sending). Nothing is sent outside the sending hours, ${view.sendFrom} to ${view.sendUntil}: a reminder due then goes when they start.`;
  if (!$('bulk-at-date').value) $('bulk-at-date').value = view.tomorrow;
  $('bulk-at-date').min = view.today;
  if (!$('bulk-at-time').value) $('bulk-at-time').value = '10:00';
}

/**
 * A file was opened (null: closed): its headings in the column pickers, the appointment's
 * date and time columns guessed — the ones chosen for the template's {{date}} and {{time}}
 * first (`choice`: the mapping's), else from the headings.
 */
export function fileOpened(file, choice) {
  headers = file ? file.headers : [];
  const fields = (choice && choice.fields) || {};
  const find = (pattern, skip) => headers.findIndex((h, i) => i !== skip && pattern.test(h));
  let date = fields.date ?? fields.appointment_date ?? -1;
  if (date < 0) date = find(DATE_HEADING, -1);
  if (date < 0) date = find(DAY_HEADING, -1);
  let time = fields.time ?? fields.appointment_time ?? -1;
  if (time < 0 || time === date) time = find(TIME_HEADING, date);
  fillColumns($('bulk-date-column'), 'Choose a column…', date);
  fillColumns($('bulk-time-column'), 'None (no time column)', time);
  showProblem(null);
}

function fillColumns(select, empty, chosen) {
  const none = document.createElement('option');
  none.value = '';
  none.textContent = empty;
  select.replaceChildren(none, ...headers.map((header, i) => {
    const option = document.createElement('option');
    option.value = String(i);
    option.textContent = header || `Column ${i + 1} (no heading)`;
    return option;
  }));
  select.value = chosen >= 0 ? String(chosen) : '';
}

/**
 * What the back end is asked (`{when, sendPastNow}`), and `problem`: what is missing before
 * it can be asked, in words ('' when nothing is).
 */
export function read() {
  const sendPastNow = $('bulk-send-past').checked;
  const k = kind();
  if (k === 'at') {
    const date = $('bulk-at-date').value;
    const time = $('bulk-at-time').value;
    if (!date || !time) return { timing: null, problem: 'Choose the day and the time to send the list.', field: !date ? 'bulk-at-date' : 'bulk-at-time' };
    return { timing: { when: { kind: 'at', at: `${date} ${time}` }, sendPastNow }, problem: '' };
  }
  if (k === 'before') {
    const rule = $('bulk-lead').value;
    let lead;
    if (rule === 'hours') {
      const hours = Number($('bulk-lead-hours').value);
      if (!Number.isInteger(hours) || hours < 1 || hours > MAX_HOURS) {
        return { timing: null, problem: `Type how many hours before the appointment: a whole number from 1 to ${MAX_HOURS}.`, field: 'bulk-lead-hours' };
      }
      lead = `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
    } else {
      const time = $('bulk-lead-time').value;
      if (!time) return { timing: null, problem: 'Choose the time the reminders go.', field: 'bulk-lead-time' };
      lead = rule === 'on-the-day' ? `on the day at ${time}` : `1 day at ${time}`;
    }
    const date = $('bulk-date-column').value;
    if (date === '') return { timing: null, problem: 'Choose the column with the appointment dates.', field: 'bulk-date-column' };
    const time = $('bulk-time-column').value;
    return {
      timing: {
        when: { kind: 'before', lead, dateColumn: Number(date), timeColumn: time === '' ? null : Number(time) },
        sendPastNow,
      },
      problem: '',
    };
  }
  return { timing: { when: { kind: 'now' }, sendPastNow: false }, problem: '' };
}

/**
 * Says why the rows cannot be given their times: `problem` is a sentence or a back-end error
 * `{code, message, hint}`; null clears it.
 */
export function showProblem(problem) {
  const where = $('bulk-when-result');
  if (!problem) showIn(where, null);
  else if (typeof problem === 'string') showIn(where, notice('warning', { title: problem }));
  else showIn(where, errorNotice(problem, 'The reminders’ times could not be worked out'));
}

// Reminders: the words the screens share — how long sending takes, a job's state, its counts
// by outcome, the totals the preview and the confirmation both say, and when the rows go.

import { formatCount } from './dom.js';

/** "1 message" / "5 messages". */
export const plural = (n, one, many) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** A number of seconds as a person says it: "under a minute", "about 3 minutes", "about 1 hour 20 minutes". */
export function duration(seconds) {
  const s = Math.max(0, Math.ceil(Number(seconds) || 0));
  if (s < 60) return s === 0 ? 'no time' : 'under a minute';
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `about ${plural(minutes, 'minute', 'minutes')}`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest
    ? `about ${plural(hours, 'hour', 'hours')} ${plural(rest, 'minute', 'minutes')}`
    : `about ${plural(hours, 'hour', 'hours')}`;
}

/** "1 segment per second", "2.5 segments per second". */
export function rateWords(rate) {
  const shown = Number.isInteger(rate) ? formatCount(rate) : String(rate);
  return `${shown} ${rate === 1 ? 'segment' : 'segments'} per second`;
}

/**
 * "the day before at 10:00" → "the day before each appointment at 10:00"; "2 hours before" →
 * "2 hours before each appointment"; "on the day at 08:30" → "on the day of each appointment
 * at 08:30".
 */
export function leadPhrase(words) {
  if (!words) return '';
  if (words.includes('before')) return words.replace('before', 'before each appointment');
  return words.replace('on the day', 'on the day of each appointment');
}

/** Whether some rows of the preview go later than when the list starts. */
export const isLater = (preview) => Boolean(preview && preview.timing && (preview.sendTimes || []).some(Boolean));

/**
 * The preview's totals: "5 messages, 6 segments, from Practice, at 1 segment per second, about
 * 1 minute"; for rows that go later, when instead of how long: "12 messages, 12 segments, from
 * Clinic, the day before each appointment at 10:00, first on Wed 2 Dec 2026, 10:00 GMT".
 */
export function totals(preview) {
  if (isLater(preview)) {
    const t = preview.timing;
    return [
      plural(preview.messages, 'message', 'messages'),
      plural(preview.segments, 'segment', 'segments'),
      `from ${preview.channelName || 'the channel in use'}`,
      t.leadWords ? `${leadPhrase(t.leadWords)}, first on ${preview.firstShown}` : `all on ${preview.firstShown}`,
    ].join(', ');
  }
  return [
    plural(preview.messages, 'message', 'messages'),
    plural(preview.segments, 'segment', 'segments'),
    `from ${preview.channelName || 'the channel in use'}`,
    `at ${rateWords(preview.rate)}`,
    duration(preview.seconds),
  ].join(', ');
}

/**
 * When the rows go, under the totals ('' when they go as the list starts): the last time, the
 * rows moved into the sending hours or sent at once, and that nothing is sent now.
 */
export function timingWords(preview) {
  if (!isLater(preview)) return '';
  const t = preview.timing;
  const parts = [];
  // The totals say the rule and the first time; this says the last, when it is another.
  if (preview.lastShown && preview.lastShown !== preview.firstShown) {
    parts.push(`The last goes on ${preview.lastShown}.`);
  }
  if (t.movedByQuietHours) {
    parts.push(`${plural(t.movedByQuietHours, 'reminder falls', 'reminders fall')} outside the sending hours and ${t.movedByQuietHours === 1 ? 'goes' : 'go'} when they start.`);
  }
  if (t.past && t.pastSentNow) {
    parts.push(`${plural(t.past, 'reminder whose time has passed goes', 'reminders whose time has passed go')} as soon as the list starts.`);
  }
  parts.push(`Nothing is sent now: each goes at its time (${t.zone} time), even if this window is closed, as long as SMS Desk is running.`);
  return parts.join(' ');
}

/** Why a row is left out, in a few words, by outcome (the row's `problem` says more). */
export const LEFT_OUT = {
  invalid: ['number or details missing or wrong', 'numbers or details missing or wrong'],
  duplicate: ['number already earlier in the list', 'numbers already earlier in the list'],
  blocked: ['on the do-not-text list', 'on the do-not-text list'],
  not_sent: ['reminder time already passed', 'reminder times already passed'],
};

/** "2 rows are left out and will not be sent: 1 …, 1 …." or '' when none is. */
export function leftOut(rows) {
  const counts = { invalid: 0, duplicate: 0, blocked: 0, not_sent: 0 };
  for (const r of rows) if (r.outcome in counts) counts[r.outcome] += 1;
  const total = counts.invalid + counts.duplicate + counts.blocked + counts.not_sent;
  if (!total) return '';
  const parts = Object.entries(counts)
    .filter(([, n]) => n)
    .map(([kind, n]) => `${formatCount(n)} ${LEFT_OUT[kind][n === 1 ? 0 : 1]}`);
  const head = total === 1 ? '1 row is left out and will not be sent' : `${formatCount(total)} rows are left out and will not be sent`;
  return `${head}: ${parts.join(', ')}.`;
}

/**
 * The line about the numbers whose leading 0 Excel removed, and its button: `offer` is the
 * preview's `{rows, exampleTyped, exampleWithZero, added}`.
 */
export function zeroWords(offer) {
  const one = offer.rows === 1;
  const example = `(${offer.exampleTyped} → ${offer.exampleWithZero})`;
  if (offer.added) {
    return {
      text: `${one ? '1 number is' : `${formatCount(offer.rows)} numbers are`} read with the leading 0 that Excel removed ${example}.`,
      action: 'Undo',
    };
  }
  return {
    text: `${one ? '1 number looks' : `${formatCount(offer.rows)} numbers look`} like Excel removed ${one ? 'its' : 'their'} leading 0 ${example}.`,
    action: one ? 'Read it with the 0' : 'Read them with the 0',
  };
}

/** A job's state: a badge's icon, words and colour class. */
const STATES = {
  ready: { icon: '◷', words: 'Ready', css: 'state-pending' },
  running: { icon: '…', words: 'Sending', css: 'state-sending' },
  paused: { icon: '‖', words: 'Paused', css: 'state-unknown' },
  cancelled: { icon: '✗', words: 'Cancelled', css: 'state-not_sent' },
  done: { icon: '✓', words: 'Done', css: 'state-accepted' },
};

/** Fills a `.badge` for a job's state. */
export function fillJobBadge(badge, state) {
  const known = STATES[state] || STATES.paused;
  badge.className = `badge ${known.css}`;
  badge.replaceChildren();
  const icon = document.createElement('span');
  icon.className = 'badge-icon';
  icon.setAttribute('aria-hidden', 'true');
  icon.textContent = known.icon;
  const words = document.createElement('span');
  words.className = 'badge-text';
  words.textContent = known.words;
  badge.append(icon, words);
}

/** Each count of a job, in the order shown, with its words. `always`: shown even at 0. */
export const COUNTS = [
  { key: 'accepted', words: 'Sent', always: true },
  { key: 'pending', words: 'Waiting to be sent', whileOpen: true },
  { key: 'scheduled', words: 'Waiting for their time (see Scheduled)' },
  { key: 'missed', words: 'Missed: their time passed while SMS Desk was not running (see Scheduled)' },
  { key: 'sending', words: 'Being sent now', whileOpen: true },
  { key: 'rejected', words: 'Refused by the provider' },
  { key: 'unauthorized', words: 'Refused: the channel’s key was not accepted' },
  { key: 'notSent', words: 'Not sent' },
  { key: 'unknown', words: 'Outcome unknown: may or may not have been sent — check before sending again' },
  { key: 'blocked', words: 'Not sent: on the do-not-text list' },
  { key: 'invalid', words: 'Left out: number or details missing or wrong' },
  { key: 'duplicate', words: 'Left out: the same number twice' },
];

/** The rows that can be sent (not left out when the file was checked). */
export const sendable = (counts) => counts.total - counts.invalid - counts.duplicate;

/** Rows handled (an outcome recorded), of the sendable ones. */
export const handled = (counts) => sendable(counts) - counts.pending - counts.sending - counts.scheduled - counts.missed;

/** A job's counts in one line, for the list: "38 sent, 1 refused, 1 outcome unknown, 2 left out". */
export function countsLine(counts) {
  const parts = [`${formatCount(counts.accepted)} sent`];
  if (counts.pending + counts.sending) parts.push(`${formatCount(counts.pending + counts.sending)} waiting`);
  if (counts.scheduled) parts.push(`${formatCount(counts.scheduled)} waiting for their time`);
  if (counts.missed) parts.push(`${formatCount(counts.missed)} missed`);
  const refused = counts.rejected + counts.unauthorized;
  if (refused) parts.push(`${formatCount(refused)} refused`);
  if (counts.notSent) parts.push(`${formatCount(counts.notSent)} not sent`);
  if (counts.unknown) parts.push(`${formatCount(counts.unknown)} outcome unknown`);
  if (counts.blocked) parts.push(`${formatCount(counts.blocked)} on the do-not-text list`);
  const left = counts.invalid + counts.duplicate;
  if (left) parts.push(`${formatCount(left)} left out`);
  return `${parts.join(', ')} — ${plural(counts.total, 'row', 'rows')} in all`;
}

/** A row of a job's report, what happened to it in words. */
export function reportWords(row) {
  switch (row.outcome) {
    case 'unknown':
      return row.problem || 'May or may not have been sent — check before sending again.';
    case 'rejected':
      return row.problem || 'Refused by the provider.';
    case 'unauthorized':
      return row.problem || 'Refused: the channel’s key was not accepted.';
    case 'not_sent':
      return row.problem || 'Not sent.';
    case 'blocked':
      return row.problem || 'Not sent: on the do-not-text list.';
    default:
      return row.problem || '';
  }
}

/** Hints the back end words for the command line, said for this screen instead. */
const WINDOW_HINTS = {
  job_not_found: 'Pick it again in “Earlier reminder lists” below.',
  field_without_column: 'Choose a column for every detail of the template under “Which column holds what”. Nothing was sent.',
  no_such_column: 'Choose the columns again under “Which column holds what”. Nothing was sent.',
};

/** An error `{code, message, hint}` with a hint for this screen. */
export function forWindow(error) {
  const hint = WINDOW_HINTS[error && error.code];
  return hint ? { ...error, hint } : error;
}

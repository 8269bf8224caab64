// What the History and Do-not-text screens share: a message's state as a badge (an icon and
// words, never colour alone) and times in this computer's time zone and language.

/** The short words and icon for each `state` of a history entry. */
const STATES = {
  sending: { icon: '…', words: 'Sending' },
  delivered: { icon: '✓', words: 'Delivered' },
  pending: { icon: '◷', words: 'Waiting for delivery' },
  accepted: { icon: '✓', words: 'Accepted' },
  failed: { icon: '✗', words: 'Not delivered' },
  not_sent: { icon: '✗', words: 'Not sent' },
  unknown: { icon: '?', words: 'Outcome unknown' },
  blocked: { icon: '⊘', words: 'Blocked: do not text' },
  // Not sent yet (history_scheduled.js).
  scheduled: { icon: '◷', words: 'Scheduled' },
  missed: { icon: '!', words: 'Missed: not sent' },
};

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const timeWithSeconds = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
const dayAndTime = new Intl.DateTimeFormat(undefined, {
  month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit',
});

/** "27 Nov 2025, 15:30" (as the system writes dates). */
export const formatDateTime = (ms) => dateTime.format(new Date(ms));

/** For a list row, as short as it can be read: "Today, 15:30", "27 Nov, 15:30", else with the year. */
export function formatWhen(ms) {
  const then = new Date(ms);
  const now = new Date();
  if (then.toDateString() === now.toDateString()) return `Today, ${timeOnly.format(then)}`;
  if (then.getFullYear() === now.getFullYear()) return dayAndTime.format(then);
  return dateTime.format(then);
}
/** "27 Nov 2025". */
export const formatDate = (ms) => dateOnly.format(new Date(ms));

/** A timeline step's time: the date only when it is not the message's own day. */
export function formatStep(ms, since) {
  const day = (t) => new Date(t).toDateString();
  return day(ms) === day(since) ? timeWithSeconds.format(new Date(ms)) : formatDateTime(ms);
}

/** Fills a `.badge` element (from a template) for an entry. */
export function fillBadge(badge, entry) {
  const known = STATES[entry.state] || STATES.unknown;
  badge.className = `badge state-${STATES[entry.state] ? entry.state : 'unknown'}`;
  badge.querySelector('.badge-icon').textContent = known.icon;
  badge.querySelector('.badge-text').textContent = known.words;
  badge.title = entry.summary;
}

/** The first line of a message, for a list row. */
export function firstLine(text) {
  const line = String(text || '').split('\n').find((l) => l.trim()) || '';
  return line.trim();
}

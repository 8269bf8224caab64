// The Scheduled screen's words: what an item is ("To +353 83 123 4567", "12 reminders from
// tomorrow.csv"), when it goes, what was missed, and the questions Send now and Cancel ask.

import { formatCount } from './dom.js';
import { leadPhrase, plural } from './bulk_words.js';

/** "tomorrow at 10:00 GMT" → "Tomorrow at 10:00 GMT". */
export const capital = (text) => (text ? text[0].toUpperCase() + text.slice(1) : '');

/** How many messages wait in an item (for their time, or for a person). */
export const waiting = (item) => item.counts.scheduled + item.counts.missed;

export const isSingle = (item) => item.kind === 'single';

/** Whom it goes to: the number, or "12 reminders from tomorrow.csv". */
export function who(item) {
  if (isSingle(item)) return `To ${item.toShown || item.to || 'the number given'}`;
  return `${plural(waiting(item), 'reminder', 'reminders')} from ${item.fileName}`;
}

/** The line under it: the rule, the channel, the template. */
export function meta(item) {
  const parts = [];
  if (!isSingle(item) && item.lead) parts.push(capital(leadPhrase(item.lead)));
  parts.push(`from ${item.channelName}`);
  if (item.templateName) parts.push(`template “${item.templateName}”`);
  const line = parts.join(' · ');
  return capital(line);
}

/** When a waiting item goes: "Tomorrow at 10:00 GMT" (a list: its next reminder). */
export function when(item) {
  if (!item.nextWords) return 'Waiting';
  return isSingle(item) ? capital(item.nextWords) : `Next: ${item.nextWords}`;
}

/** What was missed: "3 reminders were due today at 10:00 GMT while …. They were not sent." */
export function missedText(item) {
  const n = item.counts.missed;
  const due = item.missedWords ? ` ${item.missedWords}` : '';
  const head = isSingle(item)
    ? `This message was due${due} while this computer was off or SMS Desk was closed. It was not sent.`
    : `${n === 1 ? '1 reminder was' : `${formatCount(n)} reminders were`} due${due} while this computer was off or SMS Desk was closed. ${n === 1 ? 'It was' : 'They were'} not sent.`;
  const more = item.counts.scheduled
    ? ` ${plural(item.counts.scheduled, 'more waits', 'more wait')} for ${item.counts.scheduled === 1 ? 'its' : 'their'} time${item.nextWords ? `, the next ${item.nextWords}` : ''}.`
    : '';
  return head + more;
}

/** The inline questions: `{question, help, yes, no}` for 'now' and 'cancel'. */
export function question(item, action) {
  const n = waiting(item);
  const one = isSingle(item) || n === 1;
  const what = isSingle(item)
    ? `this message ${who(item).replace(/^To/, 'to')}`
    : one ? 'this reminder' : `these ${formatCount(n)} reminders`;
  if (action === 'now') {
    return {
      question: `Send ${what} now?`,
      help: 'It goes at once if it is within the sending hours (Settings › Sending); otherwise when they start.',
      yes: one ? 'Yes, send it now' : 'Yes, send them now',
      no: 'Not now',
    };
  }
  return {
    question: `Cancel ${what}?`,
    help: one ? 'It will not be sent. This cannot be undone.' : 'None of them will be sent. This cannot be undone.',
    yes: one ? 'Yes, cancel it' : 'Yes, cancel them',
    no: one ? 'Keep it' : 'Keep them',
  };
}

/** The missed rows in all, for the tab: "3 missed". */
export const badge = (missed) => (missed ? `${formatCount(missed)} missed` : '');

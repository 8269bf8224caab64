// New message: what is shown above the form about a send (Sending…, Sent to …, Not sent, Not
// sure it was sent) and, when the last message to this number with this text may already have
// arrived (its outcome was unknown), the question in the form before it is sent again. Only
// "Send it again anyway" sends it then: Enter in a field does not. compose.js hands it
// `resend()` and `cancel()`.

import { notice, showIn } from './dom.js';
import { sendErrorNotice } from './compose_errors.js';
import { shownNumber } from './compose_recipient.js';

const $ = (id) => document.getElementById(id);

let handlers = null;

export function bind(h) {
  handlers = h;
  const box = $('compose-resend-confirm');
  box.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    if (!button) return;
    if (button.dataset.action === 'confirm-resend') handlers.resend();
    else if (button.dataset.action === 'cancel-resend') handlers.cancel();
  });
  box.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      handlers.cancel();
    }
  });
}

/** Whether "Send it again anyway?" is waiting for an answer. */
export const confirming = () => !$('compose-resend-confirm').hidden;

export function showSending() {
  showIn($('send-result'), notice('info', { title: 'Sending…' }));
}

/** "Ready to send again": the form was filled in from History; nothing was sent. */
export function showReady(channelNote) {
  showIn($('send-result'), notice('info', {
    title: 'Ready to send again — nothing has been sent yet.',
    message: 'Check the number and the message, then press Send message.',
    hint: channelNote,
  }));
}

/**
 * A refused send (`{code, message, hint}`); `openOptOuts(why)` opens the Do not text screen.
 * `refused`: the title's words ('Not sent', 'Not scheduled').
 */
export function showError(error, openOptOuts, refused = 'Not sent') {
  showIn($('send-result'), sendErrorNotice(error, openOptOuts, refused));
}

/** "Scheduling…" while a message sent later is being checked and stored. */
export function showScheduling() {
  showIn($('send-result'), notice('info', { title: 'Scheduling…' }));
}

/** Shows what happened to a send; true when it was accepted. */
export function showSent(sent) {
  const result = $('send-result');
  const practice = sent.mode === 'practice';
  if (sent.outcome === 'accepted') {
    const ids = [];
    if (sent.messageId) ids.push(`Message id ${sent.messageId}`);
    if (sent.requestId) ids.push(`Request id ${sent.requestId}`);
    showIn(result, notice('success', {
      title: sent.phoneNumber ? `Sent to ${shownNumber(sent.phoneNumber)}` : 'Sent',
      message: practice ? 'Practice — nothing was really sent.' : '',
      detail: ids.join(' · '),
    }));
    return true;
  }
  const unknown = sent.outcome === 'unknown';
  const problem = sent.problem || {
    message: sent.error || 'The message was not sent.',
    hint: '',
  };
  const detail = [];
  if (practice) detail.push('Practice');
  if (sent.errorCode != null) detail.push(`Error code ${sent.errorCode}`);
  if (sent.httpStatus != null) detail.push(`Server answer ${sent.httpStatus}`);
  if (sent.requestId) detail.push(`Request id ${sent.requestId}`);
  // For network trouble the technical reason is not in the message: show it small.
  if (sent.outcome !== 'rejected' && sent.error) detail.push(sent.error);
  showIn(result, notice(unknown ? 'warning' : 'error', {
    title: unknown ? 'Not sure it was sent' : 'Not sent',
    message: problem.message,
    hint: problem.hint,
    detail: detail.join(' · '),
  }));
  return false;
}

/**
 * The send was refused with `maybe_sent` (nothing went out): asks in the form whether to send
 * it again anyway, with the back end's words for why, and reads the question out.
 */
export function askToResend(error) {
  showIn($('send-result'), null);
  const why = [error.message, error.hint].filter(Boolean).join(' ');
  $('compose-resend-why').textContent = why;
  $('compose-resend-why').hidden = !why;
  $('compose-resend-confirm').hidden = false;
  $('compose-resend-confirm').scrollIntoView({ block: 'nearest' });
  $('compose-resend-message').focus();
}

/** Hides the question (answered, or the form was filled in again). */
export function hideResend() {
  $('compose-resend-confirm').hidden = true;
}

/** "Don't send": says that nothing was sent and that the message is kept. */
export function showNotResent() {
  showIn($('send-result'), notice('info', {
    title: 'Nothing was sent.',
    message: 'The message is still in the form. If you can, check with the recipient whether the first one arrived before you send it again.',
  }));
}

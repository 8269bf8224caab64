// The Do not text screen's warning after a damaged history file whose do-not-text list could
// not be recovered: the list may be missing numbers, so live messages are paused (practice
// messages still work) until the person imports the list again or says, after a short
// question, that it is complete. optouts.js hands it `importFile()`, `confirmComplete()` and
// `resolved()` (the list was said to be complete).

import { busy, errorNotice, showIn } from './dom.js';

/** The start-up notice that says the list may be incomplete. */
export const CODE = 'opt_outs_incomplete';

const $ = (id) => document.getElementById(id);

let handlers = null;

export function bind(h) {
  handlers = h;
  const panel = $('optouts-incomplete');
  // One listener for the whole panel.
  panel.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    if (button) act(button.dataset.action, button);
  });
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !$('optouts-complete-confirm').hidden) {
      event.preventDefault();
      act('confirm-complete-no');
    }
  });
}

/** Whether the panel shows. */
export const shown = () => !$('optouts-incomplete').hidden;

/** Shows the panel (the list may be incomplete) or hides it. */
export function set(incomplete) {
  const panel = $('optouts-incomplete');
  if (panel.hidden === !incomplete) return;
  // A panel hidden under the keyboard focus (an import completed the list) hands it on.
  const hadFocus = panel.contains(document.activeElement);
  panel.hidden = !incomplete;
  $('optouts-complete-confirm').hidden = true;
  showIn($('optouts-incomplete-result'), null);
  if (!incomplete && hadFocus) $('optout-import').focus();
}

/** Shows the panel for the notices as last read (`[{code, message, hint}]`). */
export function update(notices) {
  set(notices.some((n) => n.code === CODE));
}

/** Puts the keyboard focus on the panel's title, so it is read out first. */
export function focus() {
  $('optouts-incomplete-title').focus();
}

function act(action, button) {
  switch (action) {
    case 'import':
      busy(button, () => handlers.importFile());
      break;
    case 'confirm-complete':
      $('optouts-complete-confirm').hidden = false;
      // The safe answer has the focus.
      $('optouts-complete-confirm').querySelector('[data-action="confirm-complete-no"]').focus();
      break;
    case 'confirm-complete-no':
      $('optouts-complete-confirm').hidden = true;
      $('optouts-incomplete').querySelector('[data-action="confirm-complete"]').focus();
      break;
    case 'confirm-complete-yes':
      busy(button, confirm);
      break;
    default:
  }
}

async function confirm() {
  try {
    await handlers.confirmComplete();
  } catch (error) {
    showIn($('optouts-incomplete-result'), errorNotice(error, 'Live messages are still paused'));
    return;
  }
  set(false);
  handlers.resolved();
}

// How New message shows a send that was refused before anything went out. A number on the
// do-not-text list gets its own unmistakable box, with the way to the list.

import { errorNotice, notice } from './dom.js';

/**
 * The message box for a failed send (`{code, message, hint}`); `openOptOuts()` opens the
 * Do not text screen.
 */
export function sendErrorNotice(error, openOptOuts) {
  if (error.code !== 'opted_out') return errorNotice(error, 'Not sent');
  const box = notice('error', {
    title: '⊘ Not sent: this number is on the do-not-text list',
    message: error.message,
    hint: 'This person asked not to be texted. If they have asked to hear from you again, take the number off the list in Do not text first.',
  });
  box.classList.add('opted-out');
  const actions = document.createElement('div');
  actions.className = 'actions notice-actions';
  const open = document.createElement('button');
  open.type = 'button';
  open.id = 'open-optouts';
  open.className = 'secondary';
  open.textContent = 'Open the do-not-text list';
  open.addEventListener('click', () => openOptOuts());
  actions.append(open);
  box.append(actions);
  return box;
}

// How New message shows a send that was refused before anything went out. A number on the
// do-not-text list gets its own unmistakable box, with the way to the list; so does a list
// that may be missing numbers (after a damaged history file), which pauses live messages.

import { errorNotice, notice } from './dom.js';

/**
 * The message box for a failed send (`{code, message, hint}`); `openOptOuts(why)` opens the
 * Do not text screen (why: the error's code). `refused`: what did not happen, in the title
 * ('Not sent', or 'Not scheduled' for a message sent later).
 */
export function sendErrorNotice(error, openOptOuts, refused = 'Not sent') {
  if (error.code === 'opted_out') {
    const box = notice('error', {
      title: `⊘ ${refused}: this number is on the do-not-text list`,
      message: error.message,
      hint: 'This person asked not to be texted. If they have asked to hear from you again, take the number off the list in Do not text first.',
    });
    box.classList.add('opted-out');
    box.append(openListButton(() => openOptOuts(error.code)));
    return box;
  }
  if (error.code === 'opt_outs_incomplete') {
    const box = errorNotice(error, `${refused}: live messages are paused until the do-not-text list is complete`);
    box.append(openListButton(() => openOptOuts(error.code)));
    return box;
  }
  return errorNotice(error, refused);
}

function openListButton(open) {
  const actions = document.createElement('div');
  actions.className = 'actions notice-actions';
  const button = document.createElement('button');
  button.type = 'button';
  button.id = 'open-optouts';
  button.className = 'secondary';
  button.textContent = 'Open the do-not-text list';
  button.addEventListener('click', () => open());
  actions.append(button);
  return actions;
}

// Settings › Starting SMS Desk: "Start SMS Desk when I log in, in the tray". A module of its
// own, loaded by its block in index.html: it reads the setting once and changes it when the
// box is ticked (the shell's `autostart` command; the webview has no plugin permission).

import { autostart } from './api.js';
import { errorNotice, notice, showIn } from './dom.js';

const box = document.getElementById('autostart');
const result = document.getElementById('autostart-result');

async function start() {
  try {
    box.checked = await autostart();
    box.disabled = false;
  } catch (error) {
    showIn(result, errorNotice(error, 'SMS Desk could not tell whether it starts when you log in'));
  }
}

box.addEventListener('change', async () => {
  const wanted = box.checked;
  box.disabled = true;
  try {
    box.checked = await autostart(wanted);
    showIn(result, notice('success', {
      title: box.checked
        ? 'SMS Desk will start when you log in, in the tray.'
        : 'SMS Desk will not start by itself any more.',
    }));
  } catch (error) {
    box.checked = !wanted;
    showIn(result, errorNotice(error, 'Not changed'));
  } finally {
    box.disabled = false;
  }
});

start();

// The banner under the header when a new version of SMS Desk is found (checked at start and
// every 12 hours by the shell: src-tauri/src/updates.rs). A module of its own, loaded by its
// block in index.html. "See what's new" opens About, where the notes are and where the person
// installs it; "Later" hides the banner until a newer version is found or SMS Desk is opened
// again.

import { getUpdate, onUpdateChanged } from './api.js';
import { availableTitle } from './update_words.js';

const banner = document.getElementById('update-banner');
const badge = document.getElementById('nav-about-badge');
let dismissed = null;

function show(status) {
  const available = status.state === 'available' && status.available ? status.available.version : null;
  banner.hidden = !available || dismissed === available;
  badge.hidden = !available;
  if (available) document.getElementById('update-banner-title').textContent = availableTitle(status);
}

document.getElementById('update-banner-open').addEventListener('click', () => {
  document.getElementById('nav-about').click();
});
document.getElementById('update-banner-later').addEventListener('click', async () => {
  const status = await getUpdate().catch(() => null);
  dismissed = status && status.available ? status.available.version : null;
  banner.hidden = true;
});

onUpdateChanged(show);
getUpdate().then(show).catch(() => {});

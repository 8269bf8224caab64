// The banner under the header when a new version of SMS Desk is found (checked at start and
// every 12 hours by the shell: src-tauri/src/updates.rs). A module of its own, loaded by its
// block in index.html. "See what's new" opens About, where the notes are and where the person
// installs it; it and "Later" put the banner away until a newer version is found or SMS Desk
// is opened again (the dot on the About tab stays while a version waits).

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

/** Hides the banner for the version it shows (the dot on About stays). */
async function putAway() {
  const status = await getUpdate().catch(() => null);
  dismissed = status && status.available ? status.available.version : null;
  banner.hidden = true;
}

// Once About is open the person has seen it there: the banner goes.
document.getElementById('update-banner-open').addEventListener('click', () => {
  document.getElementById('nav-about').click();
  putAway();
});
document.getElementById('update-banner-later').addEventListener('click', putAway);

onUpdateChanged(show);
getUpdate().then(show).catch(() => {});

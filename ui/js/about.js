// About SMS Desk: updates (what is new, Install and restart, Check now), this copy (version,
// build date, system, keychain, data folder with Open, log file) and "Copy diagnostics" (the
// text is shown before it is copied, so the person sees what they share). A module of its
// own, loaded by its block in index.html; it reads everything again each time the About tab
// is opened, and follows the update status as the shell changes it.

import {
  checkForUpdate, getAbout, getDiagnostics, getUpdate, installUpdate, onUpdateChanged, openDataFolder,
} from './api.js';
import { busy, errorNotice, notice, showIn } from './dom.js';
import { availableTitle, notesElement } from './update_words.js';

const $ = (id) => document.getElementById(id);

function when(ms) {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

const STATES = {
  unknown: () => 'SMS Desk has not looked for a new version yet.',
  off: () => 'This copy does not look for new versions: whoever looks after this computer installs them.',
  checking: () => 'Looking for a new version…',
  latest: (s) => `You have the newest version (${s.current}).`,
  available: (s) => availableTitle(s),
  installing: () => 'Downloading and installing the new version… SMS Desk will close and open again by itself.',
  failed: (s) => `SMS Desk could not find out whether a new version is available. You have ${s.current}.`,
};

function showUpdate(status) {
  const words = (STATES[status.state] || STATES.unknown)(status);
  const checked = status.checkedAt ? ` Last checked ${when(status.checkedAt)}.` : '';
  $('update-state').textContent = words + (status.state === 'checking' ? '' : checked);
  const available = status.available && (status.state === 'available' || status.state === 'installing');
  $('update-new').hidden = !available;
  $('update-install').hidden = !available;
  $('update-install').disabled = status.state === 'installing';
  $('update-check').disabled = status.state === 'checking' || status.state === 'installing' || status.state === 'off';
  if (available) {
    $('update-new-title').textContent = `What’s new in ${status.available.version}`;
    $('update-new-date').textContent = status.available.date ? `Published ${status.available.date}` : '';
    $('update-notes').replaceChildren(notesElement(status.available.notes));
  }
  if (status.problem && status.state !== 'failed') {
    showIn($('update-result'), errorNotice(status.problem, 'Not installed'));
  }
}

async function show() {
  getUpdate().then(showUpdate).catch((e) => showIn($('update-result'), errorNotice(e, 'Updates')));
  try {
    const about = await getAbout();
    $('about-version').textContent = about.version;
    $('about-built').textContent = about.buildDate;
    $('about-system').textContent = about.system;
    $('about-keychain').textContent = about.keychain;
    $('about-folder').textContent = about.dataFolder;
    $('about-log').textContent = about.logFile;
  } catch (error) {
    showIn($('about-result'), errorNotice(error, 'SMS Desk could not read this'));
  }
  try {
    $('diagnostics').value = await getDiagnostics();
  } catch (error) {
    showIn($('diagnostics-result'), errorNotice(error, 'The diagnostics could not be made'));
  }
}

$('nav-about').addEventListener('click', () => {
  showIn($('update-result'), null);
  showIn($('diagnostics-result'), null);
  show();
});

$('update-check').addEventListener('click', () => busy($('update-check'), async () => {
  showIn($('update-result'), null);
  try {
    showUpdate(await checkForUpdate());
  } catch (error) {
    showIn($('update-result'), errorNotice(error, 'Not checked'));
  }
}));

$('update-install').addEventListener('click', () => busy($('update-install'), async () => {
  showIn($('update-result'), null);
  try {
    await installUpdate();
  } catch (error) {
    showIn($('update-result'), errorNotice(error, 'Not installed'));
  }
}));

$('about-open-folder').addEventListener('click', async () => {
  try {
    await openDataFolder();
  } catch (error) {
    showIn($('about-result'), errorNotice(error, 'Not opened'));
  }
});

$('diagnostics-copy').addEventListener('click', async () => {
  const area = $('diagnostics');
  let copied = false;
  try {
    await navigator.clipboard.writeText(area.value);
    copied = true;
  } catch {
    area.focus();
    area.select();
    copied = document.execCommand('copy');
  }
  showIn($('diagnostics-result'), copied
    ? notice('success', { title: 'Copied. Paste it into your email.' })
    : notice('warning', { title: 'SMS Desk could not copy it.', hint: 'Select the text above and copy it with Ctrl+C (⌘C on a Mac).' }));
});

onUpdateChanged(showUpdate);

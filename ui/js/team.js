// Team desks (issue 13): Settings › Team (test a connection string, join as this desk, sync
// now, the "old list" limit, leave) and the line under the header on every screen that says
// how old this desk's copy of the team list is. A module of its own, loaded by its block in
// index.html; bulk.js uses `staleListNotice` when a list is refused on an old copy.
//
// The connection string's password goes to the back end once, on "Test connection" or
// "Join the team"; what comes back (the server) never holds it.

import * as api from './api.js';
import { busy, errorNotice, notice, showIn } from './dom.js';

const $ = (id) => document.getElementById(id);

let status = null;

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/** The banner: hidden outside a team; a warning when the copy is older than the limit. */
function renderBanner() {
  const banner = $('team-banner');
  banner.hidden = !status || !status.joined;
  if (banner.hidden) return;
  const title = $('team-banner-title');
  const detail = $('team-banner-detail');
  const pending = status.pending > 0 ? ` · ${plural(status.pending, 'change', 'changes')} made here not shared yet` : '';
  banner.classList.toggle('stale', status.stale);
  $('team-banner-actions').hidden = !status.stale;
  if (!status.stale) {
    title.textContent = `Team list as of ${status.asOf} — shared with the other desks${pending}.`;
    detail.hidden = true;
    return;
  }
  title.textContent = status.asOf
    ? `Team list as of ${status.asOf} — older than ${plural(status.staleAfterMinutes, 'minute', 'minutes')}${pending}.`
    : `The team list has not been fetched from the server yet${pending}.`;
  detail.textContent = `SMS Desk cannot reach the team’s server. Messages are checked against this desk’s copy, which may not have a STOP made at another desk since then. ${status.staleConfirmed
    ? 'Lists of reminders go on this copy, as you confirmed.'
    : 'A list of reminders waits until you confirm it may go on this copy.'}`;
  detail.hidden = false;
}

/** Settings › Team: the join form outside a team, what the desk is inside one. */
function renderCard() {
  if (!status) return;
  $('team-join-form').hidden = status.joined;
  $('team-joined').hidden = !status.joined;
  if (!status.joined) {
    $('team-leave-confirm').hidden = true;
    return;
  }
  $('team-desk').textContent = status.desk;
  $('team-server').textContent = status.server;
  $('team-as-of').textContent = status.asOf
    ? `as of ${status.asOf}${status.stale ? ' (older than the limit)' : ''}`
    : 'not fetched yet';
  $('team-pending').textContent = status.pending > 0
    ? `${plural(status.pending, 'change', 'changes')}: they go when the server answers`
    : 'nothing: everything made here is shared';
  const limit = $('team-stale-limit');
  if (document.activeElement !== limit) limit.value = String(status.staleAfterMinutes);
}

async function refresh() {
  try {
    status = await api.teamStatus();
  } catch {
    return; // the store is not open yet: the next change or check draws it
  }
  renderBanner();
  renderCard();
}

function readForm() {
  return { connection: $('team-connection').value, deskName: $('team-desk-name').value.trim() };
}

/** "Test connection": what is on the server, without joining. */
async function testConnection() {
  const { connection } = readForm();
  const result = $('team-result');
  if (!connection.trim()) {
    showIn(result, notice('error', { title: 'Paste the connection string first.' }));
    $('team-connection').focus();
    return;
  }
  showIn(result, notice('info', { title: 'Connecting…' }));
  try {
    const probe = await api.testTeamConnection(connection);
    const desks = probe.desks.length
      ? `The team has ${plural(probe.desks.length, 'desk', 'desks')}: ${probe.desks.join(', ')}.`
      : 'No desk has joined yet: this one will be the first.';
    showIn(result, notice(probe.plainText ? 'warning' : 'success', {
      title: `Connected to ${probe.serverVersion}.`,
      message: desks,
      hint: probe.plainText
        ? 'The connection is not encrypted (sslmode=disable): use that only for a server on this computer or a private network.'
        : 'Nothing was changed. Press Join the team to join it.',
    }));
  } catch (error) {
    showIn(result, errorNotice(error, 'Could not connect'));
  }
}

async function join() {
  const { connection, deskName } = readForm();
  const result = $('team-result');
  if (!connection.trim()) {
    showIn(result, notice('error', { title: 'Paste the connection string first.' }));
    $('team-connection').focus();
    return;
  }
  if (!deskName) {
    showIn(result, notice('error', { title: 'Give this desk a name, such as Front desk.' }));
    $('team-desk-name').focus();
    return;
  }
  showIn(result, notice('info', { title: 'Joining the team…' }));
  try {
    const synced = await api.joinTeam(connection, deskName);
    // The password is in the keychain now: it leaves the page.
    $('team-connection').value = '';
    await refresh();
    const crossed = synced.crossings.length
      ? ` ${plural(synced.crossings.length, 'template', 'templates')} had been changed at another desk too: both versions are kept.`
      : '';
    showIn(result, notice('success', {
      title: `Joined the team as ${status ? status.desk : deskName}.`,
      message: `This desk’s do-not-text list, templates and the last 30 days of history were shared; ${plural(synced.pulled, 'change', 'changes')} came from the other desks.${crossed}`,
    }));
  } catch (error) {
    showIn(result, errorNotice(error, 'Not joined'));
    if (error.code === 'team_desk_name_taken' || error.code === 'team_desk_name_blank') $('team-desk-name').focus();
    else $('team-connection').focus();
  }
}

/** "Sync now" (in Settings and under the header). */
async function syncNow(result) {
  showIn(result, notice('info', { title: 'Syncing with the team…' }));
  try {
    const synced = await api.syncTeam();
    await refresh();
    showIn(result, notice('success', {
      title: 'The team list is up to date.',
      message: `${plural(synced.pushed, 'change', 'changes')} sent, ${plural(synced.pulled, 'change', 'changes')} received.`,
    }));
  } catch (error) {
    await refresh();
    showIn(result, errorNotice(error, 'Not synced'));
  }
}

async function saveLimit() {
  const minutes = Number($('team-stale-limit').value);
  const result = $('team-result');
  try {
    status = await api.setTeamStaleLimit(Number.isInteger(minutes) ? minutes : 0);
    renderBanner();
    renderCard();
    showIn(result, notice('success', { title: `Saved: the team list counts as old after ${plural(status.staleAfterMinutes, 'minute', 'minutes')}.` }));
  } catch (error) {
    showIn(result, errorNotice(error, 'Not saved'));
    $('team-stale-limit').focus();
  }
}

function askToLeave() {
  const pending = $('team-leave-pending');
  const waiting = status ? status.pending : 0;
  pending.textContent = waiting > 0
    ? `${plural(waiting, 'change', 'changes')} made at this desk have not reached the team yet (the server has not answered). If you leave now, the other desks never get them. To keep them, press Stay in the team and Sync now when the server is back.`
    : '';
  pending.hidden = waiting === 0;
  $('team-leave-confirm').hidden = false;
  $('team-leave-no').focus();
}

async function leave() {
  const result = $('team-result');
  try {
    const dropped = await api.leaveTeam();
    $('team-leave-confirm').hidden = true;
    await refresh();
    showIn(result, notice(dropped > 0 ? 'warning' : 'success', {
      title: 'This desk has left the team.',
      message: 'Its do-not-text list and templates stay as they are now; they are no longer shared.',
      hint: dropped > 0
        ? `${plural(dropped, 'change', 'changes')} made here had not reached the team: the other desks will not get them.`
        : '',
    }));
    $('team-connection').focus();
  } catch (error) {
    showIn(result, errorNotice(error, 'Not left'));
  }
}

/**
 * A list refused because this desk's copy of the team list is old (`team_list_stale`): the
 * reason, and a button that confirms the copy and calls `retry`.
 */
export function staleListNotice(error, retry) {
  const box = notice('warning', {
    title: 'The list was not started: the team list is old',
    message: error.message,
    hint: 'Check the network, or ask your IT person whether the team’s server is up. Or send the list on this desk’s copy: a STOP made at another desk since then is not on it.',
  });
  const actions = document.createElement('div');
  actions.className = 'actions';
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'primary';
  button.id = 'team-confirm-stale';
  button.textContent = 'Send it on this copy anyway';
  button.addEventListener('click', () => busy(button, async () => {
    try {
      status = await api.confirmStaleTeamList();
      renderBanner();
      renderCard();
    } catch (confirmError) {
      box.replaceWith(errorNotice(confirmError, 'Not confirmed'));
      return;
    }
    await retry();
  }));
  actions.append(button);
  box.append(actions);
  return box;
}

function bind() {
  $('team-join-form').addEventListener('submit', (event) => {
    event.preventDefault();
    busy($('team-join'), join);
  });
  $('team-test').addEventListener('click', () => busy($('team-test'), testConnection));
  $('team-sync').addEventListener('click', () => busy($('team-sync'), () => syncNow($('team-result'))));
  $('team-banner-sync').addEventListener('click', () => busy($('team-banner-sync'), async () => {
    try {
      await api.syncTeam();
    } catch {
      // Still away: the banner says so.
    }
    await refresh();
  }));
  $('team-save-limit').addEventListener('click', () => busy($('team-save-limit'), saveLimit));
  $('team-leave').addEventListener('click', askToLeave);
  $('team-leave-no').addEventListener('click', () => {
    $('team-leave-confirm').hidden = true;
    $('team-leave').focus();
  });
  $('team-leave-yes').addEventListener('click', () => busy($('team-leave-yes'), leave));
  // The worker tells 'team' after each sync it tries (every minute, or when another desk
  // pushed), so the line goes stale on time without a timer here.
  api.onDeskChanged(({ kind }) => {
    if (kind === 'team' || kind === 'settings' || kind === 'optOuts') refresh();
  }).catch(() => {});
  // Moving to another screen reads it again: what it says is current where the person looks.
  document.querySelector('.tabs').addEventListener('click', (event) => {
    if (event.target.closest('.tab')) refresh();
  });
}

bind();
refresh();

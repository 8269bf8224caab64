// Settings › Channels: the list (name, server, key state, problems), add, rename, replace the
// key (write-only), test it, remove (with a confirm step). main.js hands it the actions; each
// returns a Promise. Keys are typed in and never shown back.

import { busy, errorNotice, notice, showIn } from './dom.js';
import { problemWords } from './channel_words.js';

const $ = (id) => document.getElementById(id);

let handlers = null;
/** What the list was drawn from, so it is only redrawn when a channel changed. */
let drawn = '';
/** A result to show under a channel after the list is redrawn, by channel id. */
const results = new Map();

const TEST_WORDS = {
  valid: () => notice('success', { title: 'Valid', message: 'Octopods accepts this key.' }),
  invalid: () => notice('error', {
    title: 'Not accepted (invalid)',
    message: 'Octopods does not know this key.',
    hint: 'Copy the key again from Octopods (Settings › SMS channel › API key) and paste it above with Replace key.',
  }),
  deprecated: () => notice('error', {
    title: 'Replaced in Octopods (deprecated)',
    message: 'This key was replaced or revoked in Octopods.',
    hint: 'Copy the current key from the channel’s page in Octopods (Settings › SMS channel › API key) and paste it above with Replace key.',
  }),
  unknown: (test) => notice('warning', {
    title: `Could not check: ${test.reason}`,
    hint: 'Check the internet connection and the server address, then test again.',
  }),
};

/** Attaches the card's events: add(name, key, baseUrl), rename(id, name), remove(id),
 * setKey(id, key), test(id) → {verdict, reason}, refresh(). */
export function bind(h) {
  handlers = h;
  $('add-channel-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = $('new-channel-name');
    const key = $('api-key');
    const url = $('new-channel-url');
    await busy($('add-channel'), async () => {
      try {
        await handlers.add(name.value, key.value, url.value);
        showIn($('channels-result'), notice('success', {
          title: `Channel “${name.value.trim()}” added.`,
          message: 'Pick it under “Send from” at the top of New message to send from this number.',
        }));
        name.value = '';
        key.value = '';
        url.value = '';
      } catch (error) {
        showIn($('channels-result'), errorNotice(error, 'The channel was not added'));
        (error.code && error.code.startsWith('channel_name') ? name
          : error.code && error.code.includes('base_url') ? url : key).focus();
      }
    });
  });

  const list = $('channel-list');
  // One listener per kind of event for the whole list.
  list.addEventListener('submit', (event) => {
    event.preventDefault();
    const item = event.target.closest('.channel-item');
    if (!item) return;
    if (event.target.classList.contains('channel-key-form')) saveKey(item);
    else if (event.target.classList.contains('rename-form')) saveName(item);
  });
  list.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    const item = button && button.closest('.channel-item');
    if (!item) return;
    const id = item.dataset.id;
    const action = button.dataset.action;
    if (action === 'test') testKey(item, button);
    else if (action === 'rename') {
      item.querySelector('.rename-form').hidden = false;
      const input = item.querySelector('.rename-input');
      input.value = item.dataset.name;
      input.focus();
    } else if (action === 'rename-no') {
      item.querySelector('.rename-form').hidden = true;
      item.querySelector('[data-action="rename"]').focus();
    } else if (action === 'remove') {
      item.querySelector('.remove-confirm').hidden = false;
      item.querySelector('[data-action="remove-no"]').focus();
    } else if (action === 'remove-no') {
      item.querySelector('.remove-confirm').hidden = true;
      item.querySelector('[data-action="remove"]').focus();
    } else if (action === 'remove-yes') {
      busy(button, async () => {
        try {
          await handlers.remove(id);
          showIn($('channels-result'), notice('success', {
            title: `Channel “${item.dataset.name}” removed.`,
            message: 'Its key was deleted from this computer’s keychain.',
          }));
          $('new-channel-name').focus();
        } catch (error) {
          showIn(item.querySelector('.channel-result'), errorNotice(error, 'The channel was not removed'));
        }
      });
    }
  });
}

async function saveKey(item) {
  const id = item.dataset.id;
  const input = item.querySelector('.channel-key');
  await busy(item.querySelector('.channel-key-save'), async () => {
    try {
      results.set(id, notice('success', { title: 'Key saved.', message: 'It is kept in this computer’s keychain.' }));
      await handlers.setKey(id, input.value);
      input.value = '';
    } catch (error) {
      results.delete(id);
      showIn(item.querySelector('.channel-result'), errorNotice(error, 'The key was not saved'));
      input.focus();
      return;
    }
    showResult(id);
  });
}

async function saveName(item) {
  const id = item.dataset.id;
  const input = item.querySelector('.rename-input');
  try {
    results.set(id, notice('success', { title: 'Name saved.' }));
    await handlers.rename(id, input.value);
  } catch (error) {
    results.delete(id);
    showIn(item.querySelector('.channel-result'), errorNotice(error, 'The name was not saved'));
    input.focus();
    return;
  }
  showResult(id);
}

async function testKey(item, button) {
  const id = item.dataset.id;
  await busy(button, async () => {
    showIn(item.querySelector('.channel-result'), notice('info', { title: 'Testing the key…' }));
    try {
      const test = await handlers.test(id);
      results.set(id, (TEST_WORDS[test.verdict] || TEST_WORDS.unknown)(test));
    } catch (error) {
      results.set(id, errorNotice(error, 'The key was not tested'));
    }
    await handlers.refresh();
    showResult(id);
  });
}

function itemFor(id) {
  return [...$('channel-list').children].find((li) => li.dataset.id === id) || null;
}

function showResult(id) {
  const item = itemFor(id);
  const result = results.get(id);
  if (item && result) showIn(item.querySelector('.channel-result'), result);
  results.delete(id);
}

/** Puts the cursor in a channel's key field (from a key-problem banner). */
export function focusKey(id) {
  const item = itemFor(id);
  const input = item && item.querySelector('.channel-key');
  if (input && !input.disabled) {
    input.scrollIntoView({ block: 'center' });
    input.focus();
  }
}

export function render(state) {
  renderKeychain(state.keychain);
  const status = state.status;
  if (!status) return;
  const usable = !state.keychain;
  $('api-key').disabled = !usable;
  $('add-channel').disabled = !usable;
  if (!$('channel-list').children.length && !status.channels.some((c) => !c.practice)
    && !$('new-channel-name').value) {
    $('new-channel-name').value = 'Main number';
  }
  const signature = JSON.stringify([status.channels, status.activeChannel, usable]);
  if (signature === drawn) return;
  drawn = signature;
  const focusedId = document.activeElement && document.activeElement.closest('.channel-item')
    ? document.activeElement.closest('.channel-item').dataset.id : null;
  const proto = $('channel-item-template').content.firstElementChild;
  const list = $('channel-list');
  list.replaceChildren();
  for (const channel of status.channels) {
    const item = proto.cloneNode(true);
    fillItem(item, channel, channel.id === status.activeChannel, usable);
    list.append(item);
    const result = results.get(channel.id);
    if (result) showIn(item.querySelector('.channel-result'), result);
  }
  results.clear(); // each result is shown once
  if (focusedId) focusKey(focusedId);
}

function fillItem(item, channel, active, usable) {
  item.dataset.id = channel.id;
  item.dataset.name = channel.name;
  item.classList.toggle('practice', channel.practice);
  item.querySelector('.channel-name').textContent = channel.name + (active ? ' (sending from this one)' : '');
  const state = item.querySelector('.channel-state');
  const server = item.querySelector('.channel-server');
  if (channel.practice) {
    state.textContent = 'Built in';
    server.textContent = 'Messages go to a practice server on this computer; nobody is texted.';
    item.querySelector('.channel-key-form').remove();
    item.querySelector('.rename-form').remove();
    item.querySelector('.remove-confirm').remove();
    return;
  }
  const words = problemWords(channel);
  state.textContent = words ? words.state : channel.hasKey ? 'Key saved' : channel.hasKey === false ? 'No key yet' : '';
  state.className = `channel-state ${words ? 'bad' : channel.hasKey ? 'good' : 'none'}`;
  const parts = [`Server: ${channel.baseUrl}`];
  if (channel.workspace === 'hubspot') parts.push('HubSpot workspace: no teammates, no delivery tracking');
  if (channel.workspace === 'intercom') parts.push('Intercom workspace');
  server.textContent = parts.join(' · ');
  const alert = item.querySelector('.channel-alert');
  alert.hidden = !words;
  if (words) {
    item.querySelector('.channel-alert-title').textContent = words.title;
    item.querySelector('.channel-alert-hint').textContent = `${words.hint} Paste it below and choose Replace key.`;
  }
  const input = item.querySelector('.channel-key');
  input.id = `channel-key-${channel.id}`;
  const label = item.querySelector('.channel-key-label');
  label.htmlFor = input.id;
  label.textContent = channel.hasKey ? `New API key for ${channel.name}` : `API key for ${channel.name}`;
  input.disabled = !usable;
  item.querySelector('.channel-key-save').textContent = channel.hasKey ? 'Replace key' : 'Save key';
  item.querySelector('.channel-key-save').disabled = !usable;
  item.querySelector('[data-action="test"]').hidden = !channel.hasKey;
  const rename = item.querySelector('.rename-input');
  rename.id = `channel-rename-${channel.id}`;
  item.querySelector('.rename-label').htmlFor = rename.id;
  item.querySelector('.remove-question').textContent =
    `Remove “${channel.name}”? Its API key is deleted from this computer. Messages already sent are not affected.`;
}

function renderKeychain(problem) {
  const box = $('keychain-problem');
  if (!problem) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  // What to do comes first; the technical reason is kept small underneath.
  box.replaceChildren(notice('error', {
    title: problem.code === 'keychain_unavailable'
      ? 'The system keychain is not available'
      : 'The system keychain could not be used',
    message: `Keys cannot be saved on this computer right now; Practice still works. ${problem.hint}`,
    detail: problem.message,
  }));
  box.hidden = false;
}


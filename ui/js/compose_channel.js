// New message: which channel it is sent from (Practice marked as such), a banner when that
// channel's key does not work (leading to its key field in Settings), and the Intercom
// options, shown only when a conversation is opened: recipient's name and teammate (hidden on
// HubSpot channels, with the reason). main.js hands it `pick(id)` and `fixKey(id)`.

import { problemWords } from './channel_words.js';
import { fillTeammateSelect } from './teammates.js';

const $ = (id) => document.getElementById(id);

let handlers = null;
/** The active channel as last shown (from get_status), and the settings shown. */
let active = null;
let shownChannels = '';
let shownSettings = null;
let defaultTeammate = '';

export function bind(h) {
  handlers = h;
  $('channel').addEventListener('change', () => handlers.pick($('channel').value));
  $('channel-fix').addEventListener('click', () => {
    if (active) handlers.fixKey(active.id);
  });
  $('open-conversation').addEventListener('change', renderConversation);
}

export function render(state) {
  const status = state.status;
  if (status) renderChannels(status);
  const settings = state.settings;
  if (settings && settings !== shownSettings) {
    const first = shownSettings === null;
    shownSettings = settings;
    defaultTeammate = settings.defaultTeammate || '';
    fillTeammateSelect($('teammate'), settings.teammates || [], 'Workspace default');
    if (first) $('teammate').value = defaultTeammate;
    $('teammate-help').textContent = (settings.teammates || []).length
      ? 'The conversation is assigned to this teammate in Intercom.'
      : 'To pick a teammate here, add your teammates in Settings › Intercom teammates.';
  }
  renderConversation();
}

function renderChannels(status) {
  active = status.channels.find((c) => c.id === status.activeChannel) || status.channels[0];
  const signature = JSON.stringify([status.channels, status.activeChannel]);
  if (signature !== shownChannels) {
    shownChannels = signature;
    const select = $('channel');
    select.replaceChildren(...status.channels.map((c) => {
      const option = document.createElement('option');
      option.value = c.id;
      const words = problemWords(c);
      option.textContent = c.practice
        ? 'Practice — nobody is texted'
        : `${c.name}${words ? ` (${words.short})` : ''}`;
      return option;
    }));
    select.value = active.id;
  }
  const practice = active.practice;
  const bar = $('channel-bar');
  bar.classList.toggle('practice', practice);
  bar.classList.toggle('live', !practice);
  $('channel-note').textContent = practice
    ? 'Practice: messages go to a practice server on this computer. Nobody is texted.'
    : `Live: messages are really sent from ${active.name}.`;
  const words = problemWords(active);
  $('channel-problem').hidden = !words;
  if (words) {
    $('channel-problem-title').textContent = words.title;
    $('channel-problem-hint').textContent = `${words.hint} Then paste it in Settings.`;
    $('channel-fix').textContent = active.hasKey ? 'Replace the key' : 'Add the key';
  }
}

/** Whether the active channel is known to be a HubSpot workspace. */
function hubspot() {
  return Boolean(active && active.workspace === 'hubspot');
}

function renderConversation() {
  const open = $('open-conversation').checked;
  $('conversation-options').hidden = !open;
  $('conversation-help').hidden = open;
  $('teammate-choice').hidden = hubspot();
  $('hubspot-note').hidden = !hubspot();
}

/** Applies a picked template's Intercom defaults: its teammate, or the usual one. */
export function applyTemplate(template) {
  $('open-conversation').checked = template.openConversation;
  const wanted = template.teammateId || defaultTeammate;
  if (wanted && ![...$('teammate').options].some((o) => o.value === wanted)) {
    fillTeammateSelect($('teammate'), (shownSettings && shownSettings.teammates) || [], 'Workspace default', wanted);
  }
  $('teammate').value = wanted;
  renderConversation();
}

/** The Intercom part of the draft: only what applies (a conversation, not HubSpot). */
export function intercomDraft() {
  const open = $('open-conversation').checked;
  return {
    openConversation: open,
    name: open ? $('name').value : '',
    teammateId: open && !hubspot() ? $('teammate').value : '',
  };
}

/**
 * Applies a message's Intercom options (Send again). Returns a sentence when it was sent from
 * another channel than the one it would go from now, else ''.
 */
export function prefill(message) {
  $('open-conversation').checked = Boolean(message.openConversation);
  $('name').value = message.openConversation ? message.name || '' : '';
  const teammate = message.teammateId || '';
  if ([...$('teammate').options].some((o) => o.value === teammate)) $('teammate').value = teammate;
  renderConversation();
  if (!active || !message.channelId || message.channelId === active.id) return '';
  const now = active.practice ? 'Practice (nobody is texted)' : active.name;
  return `It was first sent from ${message.channelName || 'another channel'}; it will now be sent from ${now}. Change “Send from” if needed.`;
}

// Startup and routing. Holds the app's state, asks the backend (through api.js) and tells the
// views to render. Screens: "compose" (New message) and "settings".

import * as api from './api.js';
import * as compose from './compose.js';
import * as settings from './settings.js';
import { errorNotice, showIn } from './dom.js';

const state = {
  view: 'compose',
  /** {mode, keychain, practiceNumbers} from get_status; null until known. */
  status: null,
  /** true / false once known; null when unknown (or the keychain cannot be read). */
  hasKey: null,
  /** Why keys cannot be stored, `{code, message, hint}`, or null. */
  keychain: null,
  settings: null,
  countries: [],
};

const $ = (id) => document.getElementById(id);

function render() {
  for (const view of ['compose', 'settings']) {
    $(`view-${view}`).hidden = state.view !== view;
    const tab = $(`nav-${view}`);
    if (state.view === view) tab.setAttribute('aria-current', 'page');
    else tab.removeAttribute('aria-current');
  }
  renderBanner();
  compose.render(state);
  settings.render(state);
}

let practiceListShown = false;

function renderBanner() {
  const practice = !state.status || state.status.mode === 'practice';
  $('practice-banner').hidden = !state.status || !practice;
  if (!practiceListShown && state.status) {
    const list = $('practice-list');
    const template = $('practice-number-template');
    for (const { number, description } of state.status.practiceNumbers) {
      const item = template.content.firstElementChild.cloneNode(true);
      const button = item.querySelector('.use-number');
      button.textContent = number;
      button.dataset.number = number;
      button.setAttribute('aria-label', `Use ${number}: ${description}`);
      item.querySelector('.practice-description').textContent = description;
      list.append(item);
    }
    practiceListShown = true;
  }
}

// Switches screens. The keyboard focus stays on the tab that was used.
function go(view) {
  state.view = view;
  render();
}

async function refreshStatus() {
  try {
    state.status = await api.getStatus();
    state.keychain = state.status.keychain;
  } catch (error) {
    state.keychain = error;
  }
  state.hasKey = state.status && !state.keychain ? state.status.mode === 'live' : null;
  render();
}

function bindNavigation() {
  $('nav-compose').addEventListener('click', () => go('compose'));
  $('nav-settings').addEventListener('click', () => go('settings'));
  // One listener for the whole practice list.
  $('practice-list').addEventListener('click', (event) => {
    const button = event.target.closest('.use-number');
    if (!button) return;
    go('compose');
    compose.useNumber(button.dataset.number);
    compose.focusFirstField();
  });
}

async function start() {
  compose.bind({
    validate: (text) => api.validatePhone(text),
    send: (draft) => api.sendMessage(draft),
  });
  settings.bind({
    saveKey: async (key) => {
      await api.setApiKey(key);
      await refreshStatus();
    },
    removeKey: async () => {
      await api.deleteApiKey();
      await refreshStatus();
    },
    saveSettings: async (values) => {
      const saved = await api.saveSettings(values);
      state.settings = saved;
      render();
      compose.revalidate();
      return saved;
    },
  });
  bindNavigation();
  render();
  compose.focusFirstField();

  const [settingsResult, countriesResult] = await Promise.allSettled([
    api.getSettings(),
    api.listCountries(),
    refreshStatus(),
  ]);
  if (settingsResult.status === 'fulfilled') state.settings = settingsResult.value;
  else showIn($('settings-result'), errorNotice(settingsResult.reason, 'The settings could not be read'));
  if (countriesResult.status === 'fulfilled') state.countries = countriesResult.value;
  render();
  document.body.dataset.ready = 'true';
}

start();

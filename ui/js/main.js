// Startup and routing. Holds the app's state, asks the backend (through api.js) and tells the
// views to render. Screens: "compose" (New message), "templates" and "settings".

import * as api from './api.js';
import * as business from './business.js';
import * as compose from './compose.js';
import * as settings from './settings.js';
import * as templatesView from './templates.js';
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
  /** The templates in order; replaced (never changed in place) when they change. */
  templates: [],
  /** How to write fields, from Rust (one point a line). */
  templateHelp: '',
  /** {businessName, businessPhone, businessAddress}; null until read. */
  business: null,
};

const VIEWS = ['compose', 'templates', 'settings'];

const $ = (id) => document.getElementById(id);

function render() {
  for (const view of VIEWS) {
    $(`view-${view}`).hidden = state.view !== view;
    const tab = $(`nav-${view}`);
    if (state.view === view) tab.setAttribute('aria-current', 'page');
    else tab.removeAttribute('aria-current');
  }
  renderBanner();
  compose.render(state);
  templatesView.render(state);
  settings.render(state);
  business.render(state);
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
  for (const view of VIEWS) $(`nav-${view}`).addEventListener('click', () => go(view));
  // One listener for the whole practice list.
  $('practice-list').addEventListener('click', (event) => {
    const button = event.target.closest('.use-number');
    if (!button) return;
    go('compose');
    compose.useNumber(button.dataset.number);
    compose.focusFirstField();
  });
}

async function reloadTemplates() {
  state.templates = await api.listTemplates();
  render();
}

// Runs a change to the templates, then shows the list as saved.
async function changeTemplates(change) {
  try {
    return await change();
  } finally {
    await reloadTemplates().catch(() => {});
  }
}

async function start() {
  compose.bind({
    validate: (text) => api.validatePhone(text),
    preview: (body, values) => api.previewMessage(body, values),
    replace: (text) => api.replaceLookalikes(text),
    send: (draft, template) => api.sendMessage(draft, template),
    reloadTemplates: () => reloadTemplates().catch(() => {}),
    openBusiness: (field) => {
      go('settings');
      business.focus(field);
    },
    editTemplate: (id) => {
      go('templates');
      templatesView.edit(id);
    },
  });
  templatesView.bind({
    save: (id, draft) => changeTemplates(() => api.saveTemplate(id, draft)),
    duplicate: (id) => changeTemplates(() => api.duplicateTemplate(id)),
    remove: (id) => changeTemplates(() => api.deleteTemplate(id)),
    move: (id, direction) => changeTemplates(() => api.moveTemplate(id, direction)),
    importFile: () => changeTemplates(() => api.importTemplates()),
    exportFile: () => api.exportTemplates(),
  });
  business.bind({
    save: async (values) => {
      const saved = await api.saveBusiness(values);
      state.business = saved;
      render();
      compose.refreshPreview();
      return saved;
    },
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

  const [settingsResult, countriesResult, templatesResult, helpResult, businessResult] =
    await Promise.allSettled([
      api.getSettings(),
      api.listCountries(),
      api.listTemplates(),
      api.getTemplateHelp(),
      api.getBusiness(),
      refreshStatus(),
    ]);
  if (settingsResult.status === 'fulfilled') state.settings = settingsResult.value;
  else showIn($('settings-result'), errorNotice(settingsResult.reason, 'The settings could not be read'));
  if (countriesResult.status === 'fulfilled') state.countries = countriesResult.value;
  if (templatesResult.status === 'fulfilled') state.templates = templatesResult.value;
  else showIn($('templates-result'), errorNotice(templatesResult.reason, 'The templates could not be read'));
  if (helpResult.status === 'fulfilled') state.templateHelp = helpResult.value;
  if (businessResult.status === 'fulfilled') state.business = businessResult.value;
  render();
  document.body.dataset.ready = 'true';
}

start();

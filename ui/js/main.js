// Startup and routing. Holds the app's state, asks the backend (through api.js) and tells the
// views to render; what the back end changes by itself (`desk-changed`) goes to the screens
// that show it. Screens: "compose" (New message), "bulk" (Reminders from a spreadsheet),
// "scheduled" (what waits to be sent later), "history", "optouts" (Do not text), "templates"
// and "settings".

import * as api from './api.js';
import * as bulk from './bulk.js';
import * as bulkClose from './bulk_close.js';
import * as business from './business.js';
import * as channels from './channels.js';
import * as compose from './compose.js';
import * as history from './history.js';
import * as notices from './notices.js';
import * as optouts from './optouts.js';
import * as practiceBanner from './practice_banner.js';
import * as scheduled from './scheduled.js';
import * as settings from './settings.js';
import * as teammates from './teammates.js';
import * as templatesView from './templates.js';
import * as welcome from './welcome.js';
import { errorNotice, showIn } from './dom.js';

const state = {
  view: 'compose',
  /** {mode, activeChannel, channels, keychain, practiceNumbers} from get_status; null until known. */
  status: null,
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
  /** Sending later (get_scheduling: the clinic's zone, sending hours, grace); null until read. */
  scheduling: null,
  /** The time zones this computer knows, for Settings; null until read. */
  timeZones: null,
};

const VIEWS = ['compose', 'bulk', 'scheduled', 'history', 'optouts', 'templates', 'settings', 'about'];

const $ = (id) => document.getElementById(id);

function render() {
  for (const view of VIEWS) {
    $(`view-${view}`).hidden = state.view !== view;
    const tab = $(`nav-${view}`);
    if (state.view === view) tab.setAttribute('aria-current', 'page');
    else tab.removeAttribute('aria-current');
  }
  practiceBanner.render(state.status);
  compose.render(state);
  bulk.render(state);
  templatesView.render(state);
  settings.render(state);
  channels.render(state);
  teammates.render(state);
  business.render(state);
}

// Switches screens. The keyboard focus stays on the tab that was used. History and Do not
// text follow the back end's changes only while they are shown.
function go(view) {
  state.view = view;
  $('main').classList.toggle('fill', view === 'history');
  if (view === 'history') history.show();
  else history.hide();
  if (view === 'optouts') optouts.show();
  else optouts.hide();
  if (view === 'bulk') bulk.show().catch(() => {});
  if (view === 'scheduled') scheduled.show();
  render();
}

/** Do not text, from a refused send or a notice (`why`: the refusal's code). */
function openOptOuts(why) {
  go('optouts');
  optouts.focusStart(why);
}

/** Reads the start-up notices again and shows them; resolves with them. */
async function readNotices() {
  const list = await api.getNotices();
  notices.show(list);
  optouts.noticesRead(list);
  return list;
}

// What the back end changed by itself or for another window (`{kind, id}`).
function deskChanged(change) {
  switch (change.kind) {
    case 'history':
    case 'delivery':
      history.changed(change);
      break;
    case 'job':
      bulk.changed(change);
      bulkClose.changed();
      scheduled.changed(change);
      history.changed(change);
      break;
    case 'optOuts':
      optouts.changed();
      bulk.changed(change);
      history.changed(change);
      compose.revalidate();
      readNotices().catch(() => {});
      break;
    case 'settings':
      reloadSettings().catch(() => {});
      reloadScheduling().catch(() => {});
      scheduled.changed(change);
      history.changed(change);
      bulk.changed(change);
      break;
    case 'templates':
      reloadTemplates(true).catch(() => {});
      break;
    case 'team':
      // A sync may have found an edit that crossed another desk's: its notice shows now.
      readNotices().catch(() => {});
      break;
    default:
  }
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// The settings (and business details) changed: shown again only where they differ, so a
// change made here, which is already shown, is not drawn twice.
async function reloadSettings() {
  const [saved, details] = await Promise.all([api.getSettings(), api.getBusiness(), refreshStatus()]);
  const changed = !same(saved, state.settings) || !same(details, state.business);
  if (!same(saved, state.settings)) state.settings = saved;
  if (!same(details, state.business)) state.business = details;
  if (!changed) return;
  render();
  compose.revalidate();
  compose.refreshPreview();
}

// The Settings of sending later changed (here, or from the command line).
async function reloadScheduling() {
  const read = await api.getScheduling();
  if (same(read, state.scheduling)) return;
  state.scheduling = read;
  render();
}

async function refreshStatus() {
  try {
    state.status = await api.getStatus();
    state.keychain = state.status.keychain;
  } catch (error) {
    state.keychain = error;
  }
  render();
}

// Runs a change that answers with the new status (channels, keys), then shows it.
async function changeChannels(change) {
  const status = await change();
  state.status = status;
  state.keychain = status.keychain;
  render();
}

// Runs a change that answers with the settings as saved (teammates), then shows them.
async function changeSettings(change) {
  state.settings = await change();
  render();
}

function bindNavigation() {
  for (const view of VIEWS) $(`nav-${view}`).addEventListener('click', () => go(view));
  practiceBanner.bind({
    use: (number) => {
      go('compose');
      compose.useNumber(number);
      compose.focusFirstField();
    },
  });
}

// A valid number on the do-not-text list says so as it is typed (the send is refused anyway).
async function withOptOut(check) {
  if (!check.valid || !check.e164) return check;
  const list = await api.listOptOuts(check.e164).catch(() => []);
  return { ...check, optOut: list.find((o) => o.number === check.e164) || null };
}

// Reads the templates again; `onlyIfChanged`: keeps the list shown when it is the same.
async function reloadTemplates(onlyIfChanged = false) {
  const list = await api.listTemplates();
  if (onlyIfChanged && same(list, state.templates)) return;
  state.templates = list;
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
    validate: (text) => api.validatePhone(text).then(withOptOut),
    preview: (body, values) => api.previewMessage(body, values),
    replace: (text) => api.replaceLookalikes(text),
    // A send can show that the channel's key stopped working or that it is HubSpot.
    send: (draft, template, confirmResend) =>
      api.sendMessage(draft, template, confirmResend).finally(() => refreshStatus()),
    schedule: (draft, template, at) => api.scheduleMessage(draft, template, at),
    scheduling: () => api.getScheduling(),
    pickChannel: (id) => changeChannels(() => api.setActiveChannel(id))
      .catch((error) => showIn($('send-result'), errorNotice(error, 'The channel was not changed'))),
    fixKey: (id) => {
      go('settings');
      channels.focusKey(id);
    },
    reloadTemplates: () => reloadTemplates().catch(() => {}),
    openBusiness: (field) => {
      go('settings');
      business.focus(field);
    },
    editTemplate: (id) => {
      go('templates');
      templatesView.edit(id);
    },
    openOptOuts,
  });
  history.bind({
    list: (filter, offset, limit) => api.listHistory(filter, offset, limit),
    scheduled: () => api.listScheduled(),
    openScheduled: () => {
      go('scheduled');
      $('scheduled-heading').focus();
    },
    channels: () => api.listHistoryChannels(),
    exportCsv: (filter) => api.exportHistory(filter),
    teamSends: (search) => api.listTeamHistory(search),
    detail: {
      get: (id) => api.getHistoryEntry(id),
      checkDelivery: (id) => api.refreshDelivery(id),
      isOptedOut: (number) => api.listOptOuts(number).then((list) => list.some((o) => o.number === number)),
      addOptOut: (number, reason, id) => api.addOptOut(number, reason, id),
      // Fills in New message; never sends by itself.
      sendAgain: (entry) => {
        go('compose');
        compose.prefill(entry);
      },
    },
  });
  optouts.bind({
    list: (search) => api.listOptOuts(search),
    add: (number, reason) => api.addOptOut(number, reason, null),
    remove: (number) => api.removeOptOut(number),
    importFile: () => api.importOptOuts(),
    exportFile: () => api.exportOptOuts(),
    readNotices,
    confirmComplete: () => api.confirmOptOutsComplete(),
    // The list was said to be complete: its notice is sorted out.
    resolved: () => notices.remove('opt_outs_incomplete'),
  });
  bulk.bind({
    chooseFile: (templateId) => api.chooseBulkFile(templateId),
    startupFile: (templateId) => api.openStartupFile(templateId),
    reopen: (draft, options, templateId) => api.reopenBulkFile(draft, options, templateId),
    templateFields: (body) => api.previewMessage(body, {}),
    preview: (draft, templateId, choice, options, timing, rate) =>
      api.previewBulk(draft, templateId, choice, options, timing, rate),
    test: (draft, templateId, choice, options, timing, number) =>
      api.sendBulkTest(draft, templateId, choice, options, timing, number),
    start: (draft, templateId, choice, options, timing, rate) =>
      api.startBulk(draft, templateId, choice, options, timing, rate),
    scheduling: () => api.getScheduling(),
    openScheduled: () => {
      go('scheduled');
      $('scheduled-heading').focus();
    },
    forget: (draft) => api.forgetBulkFile(draft),
    jobs: () => api.listJobs(),
    job: (id) => api.getJob(id),
    report: (id) => api.getJobReport(id),
    entry: (id) => api.getHistoryEntry(id),
    pause: (id) => api.pauseJob(id),
    resume: (id) => api.resumeJob(id),
    cancel: (id) => api.cancelJob(id),
    exportCsv: (id) => api.exportJob(id),
    optedOut: (id) => api.optedOutInJob(id),
    addOptedOut: (id) => api.addOptedOutInJob(id),
    openTemplates: () => {
      go('templates');
      $('new-template').focus();
    },
    openBusiness: (field) => {
      go('settings');
      business.focus(field);
    },
  });
  scheduled.bind({
    list: () => api.listScheduled(),
    sendNow: (id) => api.sendScheduledNow(id),
    reschedule: (id, at) => api.reschedule(id, at),
    cancel: (id) => api.cancelScheduled(id),
  });
  bulkClose.bind({
    jobs: () => api.listJobs(),
    pause: (id) => api.pauseJob(id),
    closeAnyway: () => api.closeAnyway(),
  });
  notices.bind({
    dismiss: (code) => api.dismissNotice(code),
    openOptOuts: () => openOptOuts('opt_outs_incomplete'),
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
  channels.bind({
    add: (name, key, baseUrl) => changeChannels(() => api.addChannel(name, key, baseUrl)),
    rename: (id, name) => changeChannels(() => api.renameChannel(id, name)),
    remove: (id) => changeChannels(() => api.deleteChannel(id)),
    setKey: (id, key) => changeChannels(() => api.setChannelKey(id, key)),
    test: (id) => api.testChannelKey(id),
    refresh: () => refreshStatus(),
  });
  teammates.bind({
    add: (name, id) => changeSettings(() => api.addTeammate(name, id)),
    remove: (id) => changeSettings(() => api.deleteTeammate(id)),
    setDefault: (id) => changeSettings(() => api.setDefaultTeammate(id)),
  });
  settings.bind({
    saveSettings: async (values) => {
      const saved = await api.saveSettings(values);
      state.settings = saved;
      render();
      compose.revalidate();
      return saved;
    },
    saveScheduling: async (values) => {
      const saved = await api.saveScheduling(values);
      state.scheduling = saved;
      render();
      return saved;
    },
  });
  bindNavigation();
  render();
  compose.focusFirstField();
  // Before the first reads, so that a change made meanwhile is not missed.
  api.onDeskChanged(deskChanged).catch(() => {});
  // Closing the window while reminders are being sent asks first (the back end waits).
  api.onCloseWhileSending(() => {
    go('bulk');
    bulkClose.ask();
  }).catch(() => {});

  // The tab counts what was missed from the start (after a restart, too).
  scheduled.refresh();
  const [settingsResult, countriesResult, templatesResult, helpResult, businessResult,
    schedulingResult, zonesResult] =
    await Promise.allSettled([
      api.getSettings(),
      api.listCountries(),
      api.listTemplates(),
      api.getTemplateHelp(),
      api.getBusiness(),
      api.getScheduling(),
      api.listTimeZones(),
      readNotices(),
      refreshStatus(),
    ]);
  if (schedulingResult.status === 'fulfilled') state.scheduling = schedulingResult.value;
  if (zonesResult.status === 'fulfilled') state.timeZones = zonesResult.value;
  if (settingsResult.status === 'fulfilled') state.settings = settingsResult.value;
  else showIn($('settings-result'), errorNotice(settingsResult.reason, 'The settings could not be read'));
  if (countriesResult.status === 'fulfilled') state.countries = countriesResult.value;
  if (templatesResult.status === 'fulfilled') state.templates = templatesResult.value;
  else showIn($('templates-result'), errorNotice(templatesResult.reason, 'The templates could not be read'));
  if (helpResult.status === 'fulfilled') state.templateHelp = helpResult.value;
  if (businessResult.status === 'fulfilled') state.business = businessResult.value;
  render();
  await welcomeIfFirstRun();
  await openStartupFile();
  document.body.dataset.ready = 'true';
}

/** A file was given on the command line ("Open with SMS Desk"): Reminders is where the person goes. */
let startupFile = false;

// The file SMS Desk was started with, opened in Reminders as if chosen there (under the
// welcome, the first time: the welcome moves on to Reminders).
async function openStartupFile() {
  startupFile = await bulk.openStartupFile().catch(() => false);
  if (!startupFile) return;
  go('bulk');
  if (!$('welcome').open) bulk.focusStep();
}

// The first time SMS Desk opens: the welcome, once. The country is saved as Settings saves it,
// keeping every other setting as it is.
async function welcomeIfFirstRun() {
  let first = false;
  try {
    first = await api.isFirstRun();
  } catch {
    return; // the welcome is a nicety: never block the form for it
  }
  if (!first) return;
  welcome.bind({
    finish: async (country) => {
      state.settings = await api.saveSettings({ ...state.settings, defaultCountry: country });
      render();
      compose.revalidate();
      await api.finishFirstRun();
    },
    done: (next) => {
      if (next === 'key') {
        go('settings');
        const key = $('api-key');
        if (key.disabled) $('settings-heading').focus();
        else key.focus();
      } else if (startupFile) {
        go('bulk');
        bulk.focusStep();
      } else {
        go('compose');
        compose.focusFirstField();
      }
    },
  });
  const systemCountry = await api.guessCountry().catch(() => null);
  welcome.show(state, systemCountry);
}

start();

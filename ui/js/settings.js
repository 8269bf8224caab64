// Settings › Sending: the default country, and sending later — the clinic's time zone, the
// sending hours and how late a message may still go by itself. Channels and keys are in
// channels.js, teammates in teammates.js. It never talks to the backend itself: main.js hands
// it `saveSettings` and `saveScheduling`.
//
// The time zone is a list of the zones this computer knows (from the back end, which reads the
// system's time zone database), grouped by region, so a zone cannot be mistyped; its first
// choice is "this computer's time zone", which follows the computer when it changes.

import { appendCountryOptions, busy, errorNotice, notice, showIn } from './dom.js';

const $ = (id) => document.getElementById(id);

let handlers = null;
let countriesShown = false;
let settingsShown = null;
let schedulingShown = null;
let zonesShown = null;

/** Attaches the screen's events. Each handler returns a Promise. */
export function bind(h) {
  handlers = h;
  $('settings-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    await busy($('save-settings'), save);
  });
}

/** Saves the times first (they are the ones that can be refused), then the country. */
async function save() {
  const result = $('settings-result');
  const times = readScheduling();
  if (!times) return;
  let scheduling;
  try {
    scheduling = await handlers.saveScheduling(times);
  } catch (error) {
    showIn(result, errorNotice(error, 'The settings were not saved'));
    focusFor(error);
    return;
  }
  schedulingShown = null;
  fillScheduling(scheduling);
  try {
    const saved = await handlers.saveSettings({
      defaultCountry: $('default-country').value || null,
    });
    settingsShown = null; // show the tidied values as saved
    fillSettings(saved);
  } catch (error) {
    showIn(result, errorNotice(error, 'The sending hours were saved, but your country was not'));
    return;
  }
  showIn(result, notice('success', {
    title: 'Settings saved.',
    message: `Times are on ${scheduling.zone} time. Lists and messages sent later go between ${scheduling.sendFrom} and ${scheduling.sendUntil}.`,
  }));
}

/** The times as typed, or null (said) when one is missing. */
function readScheduling() {
  const from = $('send-from').value;
  const until = $('send-until').value;
  const grace = Number($('grace-minutes').value);
  const missing = !from ? $('send-from') : !until ? $('send-until') : null;
  let problem = '';
  if (missing) problem = 'Type both sending hours, such as 08:00 and 21:00.';
  else if (!Number.isInteger(grace) || grace < 1 || grace > 1440) {
    problem = 'Type how many minutes late a message may still go: a whole number from 1 to 1440 (24 hours).';
  }
  if (problem) {
    showIn($('settings-result'), notice('error', { title: 'The settings were not saved', message: problem }));
    (missing || $('grace-minutes')).focus();
    return null;
  }
  return {
    timeZone: $('time-zone').value || null,
    sendFrom: from,
    sendUntil: until,
    graceMinutes: grace,
  };
}

function focusFor(error) {
  const message = `${error.message || ''}`;
  if (/time zone/i.test(message)) $('time-zone').focus();
  else if (/grace/i.test(message)) $('grace-minutes').focus();
  else if (error.code === 'bad_time') $('send-from').focus();
}

export function render(state) {
  if (!countriesShown && state.countries.length) fillCountries(state.countries);
  if (state.settings && state.settings !== settingsShown) fillSettings(state.settings);
  if (state.timeZones && state.timeZones !== zonesShown) fillZones(state.timeZones, state.scheduling);
  if (state.scheduling && state.scheduling !== schedulingShown) fillScheduling(state.scheduling);
}

function fillCountries(countries) {
  const select = $('default-country');
  appendCountryOptions(select, countries);
  countriesShown = true;
  if (settingsShown) select.value = settingsShown.defaultCountry || '';
}

function fillSettings(settings) {
  $('default-country').value = settings.defaultCountry || '';
  settingsShown = settings;
}

/** The zones grouped by region ("Europe", "America"...), after "this computer's time zone". */
function fillZones(zones, scheduling) {
  zonesShown = zones;
  const select = $('time-zone');
  const groups = new Map();
  for (const zone of zones) {
    const region = zone.includes('/') ? zone.split('/')[0] : 'Other';
    if (!groups.has(region)) groups.set(region, []);
    groups.get(region).push(zone);
  }
  const computer = document.createElement('option');
  computer.value = '';
  computer.id = 'time-zone-computer';
  select.replaceChildren(computer);
  for (const [region, names] of groups) {
    const group = document.createElement('optgroup');
    group.label = region;
    for (const name of names) {
      const option = document.createElement('option');
      option.value = name;
      option.textContent = name.replace(/_/g, ' ');
      group.append(option);
    }
    select.append(group);
  }
  schedulingShown = null;
  if (scheduling) fillScheduling(scheduling);
}

function fillScheduling(scheduling) {
  schedulingShown = scheduling;
  const select = $('time-zone');
  let computer = $('time-zone-computer');
  if (!computer) {
    computer = document.createElement('option');
    computer.value = '';
    computer.id = 'time-zone-computer';
    select.prepend(computer);
  }
  computer.textContent = `This computer’s time zone (${scheduling.computerZone})`;
  const zone = scheduling.timeZone || '';
  // A zone saved that this list does not hold (yet) is still offered as it is.
  if (zone && ![...select.options].some((o) => o.value === zone)) {
    const option = document.createElement('option');
    option.value = zone;
    option.textContent = zone.replace(/_/g, ' ');
    computer.after(option);
  }
  select.value = zone;
  $('send-from').value = scheduling.sendFrom;
  $('send-until').value = scheduling.sendUntil;
  $('grace-minutes').value = String(scheduling.graceMinutes);
}

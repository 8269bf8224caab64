// Settings › Sending: the default country. Channels and keys are in channels.js, teammates in
// teammates.js. It never talks to the backend itself: main.js hands it `saveSettings`.

import { appendCountryOptions, busy, errorNotice, notice, showIn } from './dom.js';

const $ = (id) => document.getElementById(id);

let handlers = null;
let countriesShown = false;
let settingsShown = null;

/** Attaches the screen's events. Each handler returns a Promise. */
export function bind(h) {
  handlers = h;
  $('settings-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    await busy($('save-settings'), async () => {
      try {
        const saved = await handlers.saveSettings({
          defaultCountry: $('default-country').value || null,
        });
        settingsShown = null; // show the tidied values as saved
        fillSettings(saved);
        showIn($('settings-result'), notice('success', { title: 'Settings saved.' }));
      } catch (error) {
        showIn($('settings-result'), errorNotice(error, 'The settings were not saved'));
      }
    });
  });
}

export function render(state) {
  if (!countriesShown && state.countries.length) fillCountries(state.countries);
  if (state.settings && state.settings !== settingsShown) fillSettings(state.settings);
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


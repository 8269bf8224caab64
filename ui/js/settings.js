// The settings screen: the API key (write-only), the default country and the server address.
// It never talks to the backend itself: main.js hands it `saveKey`, `removeKey`, `saveSettings`.

import { errorNotice, notice, regionName, showIn } from './dom.js';

const $ = (id) => document.getElementById(id);

let handlers = null;
let countriesShown = false;
let settingsShown = null;

/** Attaches the screen's events. Each handler returns a Promise. */
export function bind(h) {
  handlers = h;

  $('key-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = $('api-key');
    await busy($('save-key'), async () => {
      try {
        await handlers.saveKey(input.value);
        input.value = '';
        showIn($('key-result'), notice('success', {
          title: 'Key saved.',
          message: 'SMS Desk now sends real text messages.',
        }));
      } catch (error) {
        showIn($('key-result'), errorNotice(error, 'The key was not saved'));
        input.focus();
      }
    });
  });

  $('remove-key').addEventListener('click', () => {
    $('remove-confirm').hidden = false;
    $('remove-key-no').focus();
  });
  $('remove-key-no').addEventListener('click', closeConfirm);
  $('remove-key-yes').addEventListener('click', async () => {
    await busy($('remove-key-yes'), async () => {
      try {
        await handlers.removeKey();
        $('remove-confirm').hidden = true;
        $('api-key').focus();
        showIn($('key-result'), notice('success', {
          title: 'Key removed.',
          message: 'SMS Desk is back in Practice mode: nobody is texted.',
        }));
      } catch (error) {
        showIn($('key-result'), errorNotice(error, 'The key was not removed'));
      }
    });
  });

  $('settings-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    await busy($('save-settings'), async () => {
      try {
        const saved = await handlers.saveSettings({
          defaultCountry: $('default-country').value || null,
          baseUrl: $('base-url').value,
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
  renderKey(state);
  if (!countriesShown && state.countries.length) fillCountries(state.countries);
  if (state.settings && state.settings !== settingsShown) fillSettings(state.settings);
}

function renderKey(state) {
  const problem = state.keychain;
  const keyState = $('key-state');
  const box = $('keychain-problem');
  if (problem) {
    keyState.textContent = 'Keys cannot be saved on this computer right now, so SMS Desk stays in Practice mode.';
    keyState.className = 'key-state none';
    // What to do comes first; the technical reason is kept small underneath.
    box.replaceChildren(notice('error', {
      title: problem.code === 'keychain_unavailable'
        ? 'The system keychain is not available'
        : 'The system keychain could not be used',
      message: problem.hint,
      detail: problem.message,
    }));
    box.hidden = false;
  } else {
    box.hidden = true;
    box.replaceChildren();
    if (state.hasKey === true) {
      keyState.textContent = 'A key is saved. Messages are sent for real.';
      keyState.className = 'key-state saved';
    } else if (state.hasKey === false) {
      keyState.textContent = 'No key saved. SMS Desk is in Practice mode.';
      keyState.className = 'key-state none';
    } else {
      keyState.textContent = '';
    }
  }
  const usable = !problem;
  $('api-key').disabled = !usable;
  $('save-key').disabled = !usable;
  $('remove-key').hidden = state.hasKey !== true;
  if (state.hasKey !== true) $('remove-confirm').hidden = true;
  $('save-key').textContent = state.hasKey ? 'Replace key' : 'Save key';
}

function fillCountries(countries) {
  const select = $('default-country');
  const sorted = countries
    .map((c) => ({ ...c, name: regionName(c.code) }))
    .sort((a, b) => a.name.localeCompare(b.name, 'en'));
  for (const c of sorted) {
    const option = document.createElement('option');
    option.value = c.code;
    option.textContent = `${c.name} (+${c.callingCode})`;
    select.append(option);
  }
  countriesShown = true;
  if (settingsShown) select.value = settingsShown.defaultCountry || '';
}

function fillSettings(settings) {
  $('default-country').value = settings.defaultCountry || '';
  $('base-url').value = settings.baseUrl || '';
  settingsShown = settings;
}

function closeConfirm() {
  $('remove-confirm').hidden = true;
  $('remove-key').focus();
}

// Disables a button while its action runs, so a second click cannot repeat it.
async function busy(button, action) {
  if (button.disabled) return;
  button.disabled = true;
  try {
    await action();
  } finally {
    button.disabled = false;
  }
}

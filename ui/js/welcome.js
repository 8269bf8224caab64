// The first-run welcome: what SMS Desk does, that it starts in Practice mode, and the country
// that numbers without + belong to (guessed from the system's language, confirmed by the person).
// It never talks to the backend itself: main.js hands it `finish(country)` and `done(next)`.

import { appendCountryOptions, errorNotice, showIn } from './dom.js';

const $ = (id) => document.getElementById(id);

let handlers = null;
let finishing = false;

/** The region of a language tag ("en-IE" → "IE"; "fr" → "FR" by likely subtags), or ''. */
export function guessRegion(language) {
  try {
    return new Intl.Locale(language).maximize().region || '';
  } catch {
    return '';
  }
}

/**
 * Attaches the dialog's events. `finish(country|null)` saves the country and remembers that the
 * welcome is done (a Promise); `done(next)` moves on: next is 'practice' or 'key'.
 */
export function bind(h) {
  handlers = h;
  $('welcome-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const next = event.submitter && event.submitter.value === 'key' ? 'key' : 'practice';
    finish(next, false);
  });
  // Escape: the country shown counts as confirmed, and the person is never kept in the dialog.
  $('welcome').addEventListener('cancel', (event) => {
    event.preventDefault();
    finish('practice', true);
  });
}

/**
 * Opens the welcome with the countries. Preselected: the saved country, else the one in the
 * system's language setting (`systemCountry`, from Rust), else the webview's language region.
 */
export function show(state, systemCountry) {
  const select = $('welcome-country');
  appendCountryOptions(select, state.countries);
  const known = new Set(state.countries.map((c) => c.code));
  const saved = state.settings && state.settings.defaultCountry;
  const guesses = [systemCountry, guessRegion(navigator.language)];
  select.value = saved || guesses.find((code) => code && known.has(code)) || '';

  const live = Boolean(state.status && state.status.mode === 'live');
  $('welcome-practice').hidden = live;
  $('welcome-live').hidden = !live;
  $('welcome-practice-start').textContent = live ? 'Start' : 'Start practising';

  $('welcome').showModal();
  select.focus();
}

async function finish(next, leaving) {
  if (finishing) return;
  finishing = true;
  const buttons = [$('welcome-practice-start'), $('welcome-key')];
  for (const button of buttons) button.disabled = true;
  try {
    await handlers.finish($('welcome-country').value || null);
    close(next);
  } catch (error) {
    if (leaving) {
      // Not saved: the welcome comes back next time, but the person can work now.
      close(next);
    } else {
      showIn($('welcome-result'), errorNotice(error, 'The country was not saved'));
      $('welcome-country').focus();
    }
  } finally {
    for (const button of buttons) button.disabled = false;
    finishing = false;
  }
}

function close(next) {
  $('welcome').close();
  handlers.done(next);
}

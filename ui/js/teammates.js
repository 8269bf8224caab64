// Settings › Intercom teammates: add (name + Intercom id), remove, and the usual teammate
// preselected in New message. main.js hands it `add`, `remove`, `setDefault` (Promises).

import { errorNotice, notice, showIn } from './dom.js';

const $ = (id) => document.getElementById(id);

let handlers = null;
let shown = null;

export function bind(h) {
  handlers = h;
  $('add-teammate-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = $('new-teammate-name');
    const id = $('new-teammate-id');
    try {
      await handlers.add(name.value, id.value);
      showIn($('teammates-result'), notice('success', { title: `${name.value.trim()} added.` }));
      name.value = '';
      id.value = '';
      name.focus();
    } catch (error) {
      showIn($('teammates-result'), errorNotice(error, 'The teammate was not added'));
      (['teammate_id_invalid', 'teammate_taken', 'teammate_id_too_long'].includes(error.code) ? id : name).focus();
    }
  });
  // One listener for the whole list.
  $('teammate-list').addEventListener('click', async (event) => {
    const button = event.target.closest('button[data-action="remove"]');
    const item = button && button.closest('.teammate-item');
    if (!item) return;
    try {
      await handlers.remove(item.dataset.id);
      showIn($('teammates-result'), notice('success', { title: `${item.dataset.name} removed.` }));
      $('new-teammate-name').focus();
    } catch (error) {
      showIn($('teammates-result'), errorNotice(error, 'The teammate was not removed'));
    }
  });
  $('default-teammate').addEventListener('change', async () => {
    try {
      await handlers.setDefault($('default-teammate').value || null);
      showIn($('teammates-result'), notice('success', { title: 'Usual teammate saved.' }));
    } catch (error) {
      showIn($('teammates-result'), errorNotice(error, 'The usual teammate was not saved'));
    }
  });
}

export function render(state) {
  const settings = state.settings;
  if (!settings || settings === shown) return;
  shown = settings;
  const teammates = settings.teammates || [];
  const proto = $('teammate-item-template').content.firstElementChild;
  const list = $('teammate-list');
  list.replaceChildren();
  for (const t of teammates) {
    const item = proto.cloneNode(true);
    item.dataset.id = t.id;
    item.dataset.name = t.name;
    item.querySelector('.teammate-name').textContent = t.name;
    item.querySelector('.teammate-id').textContent = `Intercom id ${t.id}`;
    item.querySelector('button').setAttribute('aria-label', `Remove ${t.name}`);
    list.append(item);
  }
  list.hidden = teammates.length === 0;
  $('teammate-empty').hidden = teammates.length > 0;
  fillTeammateSelect($('default-teammate'), teammates, 'Workspace default');
  $('default-teammate').value = settings.defaultTeammate || '';
}

/**
 * Fills a teammate dropdown: `first` (value '') then each teammate. An id that is not in the
 * list (`extra`) is kept as its own option so a saved choice is never silently lost.
 */
export function fillTeammateSelect(select, teammates, first, extra) {
  const keep = select.value;
  const none = document.createElement('option');
  none.value = '';
  none.textContent = first;
  const options = [none];
  for (const t of teammates) {
    const option = document.createElement('option');
    option.value = t.id;
    option.textContent = `${t.name} (${t.id})`;
    options.push(option);
  }
  if (extra && !teammates.some((t) => t.id === extra)) {
    const option = document.createElement('option');
    option.value = extra;
    option.textContent = `Intercom id ${extra} (not in your teammates list)`;
    options.push(option);
  }
  select.replaceChildren(...options);
  if (options.some((o) => o.value === keep)) select.value = keep;
}

// The Templates screen: the list in order (edit, duplicate, move, delete with a confirm step),
// the editor with the field syntax beside it, Import… and Export…. It never talks to the backend
// itself: main.js hands it `save`, `duplicate`, `remove`, `move`, `importFile`, `exportFile`.

import { busy, errorNotice, formatCount, notice, showIn } from './dom.js';
import { fillTeammateSelect } from './teammates.js';

const $ = (id) => document.getElementById(id);

// Which editor field a refused template points at.
const FIELD_FOR_CODE = {
  template_blank_name: 'name',
  template_name_too_long: 'name',
  template_blank_body: 'body',
  template_body_too_long: 'body',
  template_unclosed_field: 'body',
  template_empty_field: 'body',
  template_invalid_field_name: 'body',
  template_stray_close: 'body',
  template_invalid_teammate: 'teammate',
  template_teammate_too_long: 'teammate',
};
const EDITOR_FIELDS = ['name', 'body', 'teammate'];

let handlers = null;
let shown = null;
let helpShown = false;
/** The id of the template being edited; null for a new one. */
let editing = null;
/** The Intercom teammates from Settings, for the editor's dropdown and the list. */
let teammates = [];

/** Attaches the screen's events. Each handler returns a Promise. */
export function bind(h) {
  handlers = h;
  $('new-template').addEventListener('click', () => openEditor(null));
  $('cancel-template').addEventListener('click', closeEditor);
  $('template-editor').addEventListener('submit', (event) => {
    event.preventDefault();
    save();
  });
  $('template-editor').addEventListener('keydown', (event) => {
    if (event.key === 'Escape') closeEditor();
  });
  $('import-templates').addEventListener('click', () => busy($('import-templates'), importFile));
  $('export-templates').addEventListener('click', () => busy($('export-templates'), exportFile));
  // One listener for the whole list.
  $('template-list').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    const item = button && button.closest('.template-item');
    if (item) act(button.dataset.action, item.dataset.id, button);
  });
}

export function render(state) {
  if (state.templateHelp && !helpShown) {
    const list = $('syntax-help');
    for (const line of state.templateHelp.split('\n').filter((l) => l.trim())) {
      const item = document.createElement('li');
      item.textContent = line;
      list.append(item);
    }
    helpShown = true;
  }
  const known = (state.settings && state.settings.teammates) || teammates;
  if (known !== teammates) {
    teammates = known;
    fillTeammateSelect($('tpl-teammate'), teammates, 'Usual teammate (as chosen in Settings)');
    if (shown) renderList(shown);
  }
  if (state.templates && state.templates !== shown) renderList(state.templates);
}

function renderList(list) {
  shown = list;
  const ol = $('template-list');
  const proto = $('template-item-template').content.firstElementChild;
  ol.replaceChildren();
  list.forEach((t, index) => {
    const item = proto.cloneNode(true);
    item.dataset.id = t.id;
    item.querySelector('.template-name').textContent = t.name;
    item.querySelector('.template-body').textContent = t.body;
    const meta = [];
    if (t.openConversation) meta.push('Opens a conversation in Intercom');
    if (t.teammateId) {
      const who = teammates.find((m) => m.id === t.teammateId);
      meta.push(`Assigned to ${who ? who.name : `Intercom id ${t.teammateId}`}`);
    }
    const metaEl = item.querySelector('.template-meta');
    if (meta.length) metaEl.textContent = meta.join(' · ');
    else metaEl.remove();
    for (const button of item.querySelectorAll('button[data-action]')) {
      const label = {
        edit: `Edit “${t.name}”`,
        duplicate: `Duplicate “${t.name}”`,
        up: `Move “${t.name}” up`,
        down: `Move “${t.name}” down`,
        delete: `Delete “${t.name}”`,
      }[button.dataset.action];
      if (label) button.setAttribute('aria-label', label);
    }
    item.querySelector('[data-action="up"]').disabled = index === 0;
    item.querySelector('[data-action="down"]').disabled = index === list.length - 1;
    const question = item.querySelector('.delete-question');
    question.id = `delete-question-${index}`;
    question.textContent = `Delete “${t.name}”? It disappears from the template list for good (export first to keep a copy).`;
    item.querySelector('.delete-confirm').setAttribute('aria-labelledby', question.id);
    ol.append(item);
  });
  $('template-empty').hidden = list.length > 0;
}

function itemFor(id) {
  return [...$('template-list').children].find((li) => li.dataset.id === id) || null;
}

async function act(action, id, button) {
  const template = shown.find((t) => t.id === id);
  const result = $('templates-result');
  if (!template) return;
  if (action === 'edit') {
    openEditor(template);
  } else if (action === 'delete') {
    const confirm = itemFor(id).querySelector('.delete-confirm');
    confirm.hidden = false;
    confirm.querySelector('[data-action="delete-no"]').focus();
  } else if (action === 'delete-no') {
    const item = itemFor(id);
    item.querySelector('.delete-confirm').hidden = true;
    item.querySelector('[data-action="delete"]').focus();
  } else if (action === 'delete-yes') {
    await busy(button, async () => {
      try {
        const index = shown.indexOf(template);
        await handlers.remove(id);
        if (editing === id) closeEditor();
        showIn(result, notice('success', { title: `Deleted “${template.name}”.` }));
        // Keep the keyboard in the list: the next template's Delete, or New template.
        const next = $('template-list').children[Math.min(index, shown.length - 1)];
        (next ? next.querySelector('[data-action="edit"]') : $('new-template')).focus();
      } catch (error) {
        showIn(result, errorNotice(error, 'Not deleted'));
      }
    });
  } else if (action === 'duplicate') {
    await busy(button, async () => {
      try {
        const copy = await handlers.duplicate(id);
        showIn(result, notice('success', { title: `Copied as “${copy.name}”.` }));
        itemFor(copy.id)?.querySelector('[data-action="edit"]').focus();
      } catch (error) {
        showIn(result, errorNotice(error, 'Not copied'));
      }
    });
  } else if (action === 'up' || action === 'down') {
    await busy(button, async () => {
      try {
        const place = await handlers.move(id, action);
        showIn(result, notice('info', {
          title: `“${template.name}” is now number ${place + 1} of ${shown.length}.`,
        }));
        // The focus follows the template; at the end of the list it goes to the other arrow.
        const item = itemFor(id);
        const same = item?.querySelector(`[data-action="${action}"]`);
        const other = item?.querySelector(`[data-action="${action === 'up' ? 'down' : 'up'}"]`);
        (same && !same.disabled ? same : other)?.focus();
      } catch (error) {
        showIn(result, errorNotice(error, 'Not moved'));
      }
    });
  }
}

/** Opens the editor for `template`, or empty for a new one. */
export function openEditor(template) {
  editing = template ? template.id : null;
  $('editor-heading').textContent = template ? `Edit “${template.name}”` : 'New template';
  $('tpl-name').value = template ? template.name : '';
  $('tpl-body').value = template ? template.body : '';
  $('tpl-open-conversation').checked = template ? template.openConversation : false;
  const teammate = template && template.teammateId ? template.teammateId : '';
  fillTeammateSelect($('tpl-teammate'), teammates, 'Usual teammate (as chosen in Settings)', teammate);
  $('tpl-teammate').value = teammate;
  clearErrors();
  $('template-editor').hidden = false;
  $('template-editor').scrollIntoView({ block: 'nearest' });
  $('tpl-name').focus();
}

/** Opens the editor for the template `id` (from compose). */
export function edit(id) {
  const template = shown && shown.find((t) => t.id === id);
  if (template) {
    openEditor(template);
    $('tpl-body').focus();
  }
}

function closeEditor() {
  const id = editing;
  $('template-editor').hidden = true;
  editing = null;
  clearErrors();
  (id && itemFor(id)?.querySelector('[data-action="edit"]') || $('new-template')).focus();
}

function clearErrors() {
  for (const field of EDITOR_FIELDS) {
    const error = $(`tpl-${field}-error`);
    error.hidden = true;
    error.textContent = '';
    $(`tpl-${field}`).removeAttribute('aria-invalid');
  }
}

async function save() {
  clearErrors();
  const draft = {
    name: $('tpl-name').value,
    body: $('tpl-body').value,
    openConversation: $('tpl-open-conversation').checked,
    teammateId: $('tpl-teammate').value,
  };
  await busy($('save-template'), async () => {
    try {
      const saved = await handlers.save(editing, draft);
      const created = !editing;
      $('template-editor').hidden = true;
      editing = null;
      showIn($('templates-result'), notice('success', {
        title: created ? `Template “${saved.name}” added.` : `Template “${saved.name}” saved.`,
        message: created ? 'It is at the end of the list, and in New message.' : '',
      }));
      itemFor(saved.id)?.querySelector('[data-action="edit"]').focus();
    } catch (error) {
      const field = FIELD_FOR_CODE[error.code];
      if (field) {
        const box = $(`tpl-${field}-error`);
        box.textContent = `${error.message} ${error.hint}`;
        box.hidden = false;
        $(`tpl-${field}`).setAttribute('aria-invalid', 'true');
        $(`tpl-${field}`).focus();
        showIn($('templates-result'), null);
      } else {
        showIn($('templates-result'), errorNotice(error, 'The template was not saved'));
      }
    }
  });
}

async function importFile() {
  const result = $('templates-result');
  try {
    const report = await handlers.importFile();
    if (report) showIn(result, importReport(report));
  } catch (error) {
    showIn(result, errorNotice(error, 'Nothing was imported'));
  }
}

/** What an import did, entry by entry: imported, skipped and why, not imported and why. */
export function importReport(report) {
  const { imported, skipped, invalid } = report;
  const kind = invalid.length ? 'warning' : 'success';
  const title = imported.length
    ? `Imported ${plural(imported.length, 'template', 'templates')}.`
    : 'No new templates were imported.';
  const box = notice(kind, { title });
  const add = (heading, lines) => {
    if (!lines.length) return;
    const p = document.createElement('p');
    p.className = 'report-heading';
    p.textContent = heading;
    const ul = document.createElement('ul');
    ul.className = 'report-list';
    for (const line of lines) {
      const li = document.createElement('li');
      li.textContent = line;
      ul.append(li);
    }
    box.append(p, ul);
  };
  const entry = (issue) => {
    const what = issue.name ? `“${issue.name}”` : 'An entry without a name';
    return `${what} (number ${issue.index + 1} in the file): ${issue.reason}`;
  };
  add('Added to the end of your list:', imported.map((t) => t.name));
  add(`Skipped (${formatCount(skipped.length)}), already in your list:`, skipped.map(entry));
  add(`Not imported (${formatCount(invalid.length)}), fix these in the file and import it again:`, invalid.map(entry));
  return box;
}

async function exportFile() {
  const result = $('templates-result');
  try {
    const path = await handlers.exportFile();
    if (path) {
      showIn(result, notice('success', {
        title: `Exported ${plural(shown ? shown.length : 0, 'template', 'templates')}.`,
        message: `Saved to ${path}. Import this file on another computer to use the same templates.`,
      }));
    }
  } catch (error) {
    showIn(result, errorNotice(error, 'The templates were not exported'));
  }
}

const plural = (n, one, many) => `${formatCount(n)} ${n === 1 ? one : many}`;


// New message: the template picker and the template's fields (one box per field, labelled as
// the template names it), or the free-text box when no template is picked. Values typed for a
// field are kept when the template changes and asks for a field of the same name.
// compose.js hands it `preview(body, values)`, `applyDefaults(template)`, `changed()` and
// `showError(error)`.

const $ = (id) => document.getElementById(id);

let handlers = null;
/** The templates offered, and the one picked (null: free text). */
let templates = [];
let current = null;

export function bind(h) {
  handlers = h;
  $('template').addEventListener('change', () => pick($('template').value));
}

/** The template picked, or null for free text. */
export const picked = () => current;

/** The boxes of the template's fields, in order. */
export const fieldInputs = () => [...$('template-field-list').querySelectorAll('input[data-field]')];

/** The typed value of each template field, by field name. */
export function readValues() {
  const values = {};
  for (const input of fieldInputs()) values[input.dataset.field] = input.value;
  return values;
}

/** Empties every field (ready for the next message); the template stays picked. */
export function clearValues() {
  for (const input of fieldInputs()) input.value = '';
}

/** Offers `list` (the templates in order); keeps the one picked while it still exists. */
export function render(list) {
  if (list === templates) return;
  templates = list;
  const select = $('template');
  const keep = select.value;
  select.replaceChildren(select.options[0]);
  for (const t of list) {
    const option = document.createElement('option');
    option.value = t.id;
    option.textContent = t.name;
    select.append(option);
  }
  const still = list.find((t) => t.id === keep);
  if (still) {
    select.value = keep;
    const bodyChanged = !current || current.body !== still.body;
    current = still;
    if (bodyChanged) buildFields();
  } else {
    select.value = '';
    if (current) pick('');
  }
}

/** Picks a template (or '' for free text), applies its defaults and shows its fields. */
export function pick(id) {
  current = templates.find((t) => t.id === id) || null;
  $('template').value = current ? current.id : '';
  if (current) handlers.applyDefaults(current);
  buildFields();
}

/**
 * Shows the free-text box or the template's fields. The fields come from a first preview;
 * values already typed for a field of the same name are kept.
 */
async function buildFields() {
  const free = !current;
  $('free-text').hidden = !free;
  $('template-fields').hidden = free;
  $('preview-box').hidden = free;
  if (free) {
    $('template-field-list').replaceChildren();
    handlers.changed();
    return;
  }
  const template = current;
  const kept = readValues();
  let preview;
  try {
    preview = await handlers.preview(template.body, {});
  } catch (error) {
    handlers.showError(error);
    return;
  }
  if (current !== template) return; // another template was picked meanwhile
  const list = $('template-field-list');
  const proto = $('template-field-template').content.firstElementChild;
  list.replaceChildren();
  for (const field of preview.fields.filter((f) => !f.fromBusiness)) {
    const row = proto.cloneNode(true);
    const input = row.querySelector('input');
    const label = row.querySelector('label');
    input.id = `field-${field.name}`;
    input.dataset.field = field.name;
    input.value = kept[field.name] || '';
    label.htmlFor = input.id;
    label.textContent = field.label;
    list.append(row);
  }
  handlers.changed();
}

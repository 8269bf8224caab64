// Reminders, step 2: which column holds the mobile number, the name and each of the
// template's details — one dropdown of the file's headings each, with the first values of the
// chosen column beside it, so a wrong guess shows at a glance. The choice starts as the back
// end guessed it (or as remembered for these headings). bulk.js hands it `changed()`.

const $ = (id) => document.getElementById(id);

let handlers = null;
/** {phone, name, fields: {placeholder: index}}. */
let choice = { phone: null, name: null, fields: {} };
let file = null;
/** The template's details that come from the file: [{name, label}]. */
let fields = [];

export function bind(h) {
  handlers = h;
  $('bulk-mapping-list').addEventListener('change', (event) => {
    const select = event.target.closest('select[data-slot]');
    if (!select) return;
    const index = select.value === '' ? null : Number(select.value);
    const slot = select.dataset.slot;
    if (slot === 'phone') choice = { ...choice, phone: index };
    else if (slot === 'name') choice = { ...choice, name: index };
    else {
      const next = { ...choice.fields };
      if (index == null) delete next[slot];
      else next[slot] = index;
      choice = { ...choice, fields: next };
    }
    showSamples(select);
    handlers.changed();
  });
}

/** The column choice, with only the template's own details. */
export function current() {
  const kept = {};
  for (const f of fields) if (choice.fields[f.name] != null) kept[f.name] = choice.fields[f.name];
  return { phone: choice.phone, name: choice.name, fields: kept };
}

/** What is still missing before the messages can be shown: a sentence, or '' when nothing. */
export function missing() {
  if (!file) return 'Choose the file first.';
  if (choice.phone == null) return 'Choose the column with the mobile numbers first.';
  const field = fields.find((f) => choice.fields[f.name] == null);
  if (field) return `Choose the column for “${field.label}” first.`;
  return '';
}

/** Every column chosen so far (for all the details, also of a template picked before). */
export const chosen = () => ({ ...choice, fields: { ...choice.fields } });

/**
 * Shows the dropdowns for `opened` (an OpenedFile) and the template's `details`; the columns
 * as guessed (or remembered), except those of `keep` (the person's choice before the file was
 * read again with the same headings).
 */
export function render(opened, details, keep = null) {
  file = opened;
  fields = details;
  $('bulk-mapping').hidden = !opened;
  if (!opened) return;
  choice = {
    phone: opened.mapping.phone ?? null,
    name: opened.mapping.name ?? null,
    fields: { ...(opened.mapping.fields || {}) },
  };
  if (keep) {
    choice = {
      phone: keep.phone,
      name: keep.name,
      fields: { ...choice.fields, ...keep.fields },
    };
  }
  $('bulk-remembered').hidden = !opened.remembered;
  $('bulk-guessed').hidden = opened.remembered;
  const rows = [
    { slot: 'phone', label: 'Mobile number', note: '(needed)', value: choice.phone, empty: 'Choose a column…' },
    { slot: 'name', label: 'Name', note: '(optional)', value: choice.name, empty: 'None' },
    ...fields.map((f) => ({
      slot: f.name,
      label: f.label,
      note: `(fills {{${f.name}}})`,
      value: choice.fields[f.name] ?? null,
      empty: 'Choose a column…',
    })),
  ];
  $('bulk-mapping-list').replaceChildren(...rows.map(mappingRow));
}

function mappingRow({ slot, label, note, value, empty }) {
  const row = $('bulk-mapping-template').content.firstElementChild.cloneNode(true);
  const id = `bulk-map-${slot.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const labelEl = row.querySelector('label');
  labelEl.htmlFor = id;
  labelEl.textContent = `${label} `;
  const small = document.createElement('span');
  small.className = 'optional';
  small.textContent = note;
  labelEl.append(small);
  const select = row.querySelector('select');
  select.id = id;
  select.dataset.slot = slot;
  const samples = row.querySelector('.bulk-map-samples');
  samples.id = `${id}-samples`;
  select.setAttribute('aria-describedby', samples.id);
  const none = document.createElement('option');
  none.value = '';
  none.textContent = empty;
  select.append(none);
  file.headers.forEach((header, i) => {
    const option = document.createElement('option');
    option.value = String(i);
    option.textContent = header || `Column ${i + 1} (no heading)`;
    select.append(option);
  });
  select.value = value == null ? '' : String(value);
  showSamples(select);
  return row;
}

/** The first values of the column chosen in `select`, beside it. */
function showSamples(select) {
  const samples = select.parentElement.querySelector('.bulk-map-samples');
  const index = select.value === '' ? null : Number(select.value);
  samples.classList.toggle('none', index == null);
  if (index == null) {
    samples.textContent = select.dataset.slot === 'name' ? 'No name column.' : 'No column chosen.';
    return;
  }
  const values = (file.samples[index] || []).map((v) => v.trim()).filter(Boolean);
  samples.textContent = values.length ? `For example: ${values.join(' · ')}` : 'The first rows of this column are empty.';
}

// Reminders, step 1: the file as read — its name, how many rows, and how it was read (the
// characters' encoding and the column separator for text files, the sheet for workbooks),
// each shown and changeable; a change reads the file again. bulk.js hands it `reread(options)`.

import { formatCount } from './dom.js';
import { plural } from './bulk_words.js';

const $ = (id) => document.getElementById(id);

let handlers = null;
/** What the person chose instead of what was detected: {encoding, delimiter, sheet}. */
let chosen = {};

export function bind(h) {
  handlers = h;
  $('bulk-encoding').addEventListener('change', () => choose('encoding', $('bulk-encoding').value));
  $('bulk-delimiter').addEventListener('change', () => choose('delimiter', $('bulk-delimiter').value));
  $('bulk-sheet').addEventListener('change', () => choose('sheet', $('bulk-sheet').value));
}

function choose(what, value) {
  chosen = { ...chosen, [what]: value };
  // Another sheet is another table: its own columns, detected again.
  if (what === 'sheet') chosen = { sheet: value };
  handlers.reread(chosen);
}

/** The choices to read the file with again (for another template). */
export const options = () => chosen;

/** A new file: nothing chosen yet. */
export function reset() {
  chosen = {};
}

/** Shows the file as opened (null: none). */
export function render(file) {
  $('bulk-read').hidden = !file;
  $('bulk-file-name').textContent = file ? file.fileName : 'No file chosen yet.';
  $('bulk-choose').textContent = file ? 'Choose another file…' : 'Choose file…';
  if (!file) return;
  const columns = file.headers.length;
  $('bulk-file-summary').textContent = `${file.fileName}: ${plural(file.rows, 'row', 'rows')}, ${plural(columns, 'column', 'columns')}.`;
  const text = file.encoding != null;
  $('bulk-encoding-field').hidden = !text;
  $('bulk-delimiter-field').hidden = !text;
  $('bulk-read-help').hidden = !text;
  if (text) {
    $('bulk-encoding').value = file.encoding;
    const delimiter = $('bulk-delimiter');
    if (file.delimiter && ![...delimiter.options].some((o) => o.value === file.delimiter)) {
      const option = document.createElement('option');
      option.value = file.delimiter;
      option.textContent = `“${file.delimiter}”`;
      delimiter.append(option);
    }
    delimiter.value = file.delimiter || ',';
  }
  const sheets = file.sheets || [];
  $('bulk-sheet-field').hidden = sheets.length < 2;
  const select = $('bulk-sheet');
  select.replaceChildren(...sheets.map((name) => {
    const option = document.createElement('option');
    option.value = name;
    option.textContent = name;
    return option;
  }));
  if (file.sheet) select.value = file.sheet;
  if (file.rows === 0) {
    $('bulk-file-summary').textContent = `${file.fileName}: no rows under the headings (${formatCount(columns)} columns).`;
  }
}

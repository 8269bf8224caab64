// The "Business details" card in Settings: the name, phone and address that templates fill in
// for {{business_name}}, {{business_phone}} and {{business_address}}. main.js hands it `save`.

import { errorNotice, notice, showIn } from './dom.js';

const $ = (id) => document.getElementById(id);

const FIELDS = {
  businessName: 'business-name',
  businessPhone: 'business-phone',
  businessAddress: 'business-address',
};
// Template field name → input, to put the cursor on the detail a template is missing.
const INPUT_FOR_FIELD = {
  business_name: 'business-name',
  business_phone: 'business-phone',
  business_address: 'business-address',
};

let handlers = null;
let shown = null;

export function bind(h) {
  handlers = h;
  $('business-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = $('save-business');
    if (button.disabled) return;
    button.disabled = true;
    const values = {};
    for (const [key, id] of Object.entries(FIELDS)) values[key] = $(id).value;
    try {
      const saved = await handlers.save(values);
      fill(saved);
      showIn($('business-result'), notice('success', {
        title: 'Business details saved.',
        message: 'Templates use them from the next message on.',
      }));
    } catch (error) {
      showIn($('business-result'), errorNotice(error, 'The business details were not saved'));
    } finally {
      button.disabled = false;
    }
  });
}

export function render(state) {
  if (state.business && state.business !== shown) fill(state.business);
}

/** Puts the cursor on the detail a template needs (`business_phone`...), or the first one. */
export function focus(field) {
  const id = INPUT_FOR_FIELD[field] || 'business-name';
  $(id).scrollIntoView({ block: 'nearest' });
  $(id).focus();
}

function fill(business) {
  for (const [key, id] of Object.entries(FIELDS)) $(id).value = business[key] || '';
  shown = business;
}

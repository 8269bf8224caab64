// The Practice mode banner under the header: shown while messages go to the practice server,
// with the practice numbers that show what can go wrong (each one puts its number in New
// message). main.js hands it `use(number)`.

const $ = (id) => document.getElementById(id);

let listShown = false;

export function bind({ use }) {
  // One listener for the whole practice list.
  $('practice-list').addEventListener('click', (event) => {
    const button = event.target.closest('.use-number');
    if (button) use(button.dataset.number);
  });
}

/** Shows the banner for `status` (from get_status; null while it is not known yet). */
export function render(status) {
  $('practice-banner').hidden = !status || status.mode !== 'practice';
  if (listShown || !status) return;
  const list = $('practice-list');
  const template = $('practice-number-template');
  for (const { number, description } of status.practiceNumbers) {
    const item = template.content.firstElementChild.cloneNode(true);
    const button = item.querySelector('.use-number');
    button.textContent = number;
    button.dataset.number = number;
    button.setAttribute('aria-label', `Use ${number}: ${description}`);
    item.querySelector('.practice-description').textContent = description;
    list.append(item);
  }
  listShown = true;
}

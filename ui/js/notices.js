// Start-up notices: what SMS Desk has to tell the person before anything else (a damaged
// history or settings file that was kept aside, a do-not-text list that may be missing
// numbers), each in a banner under the header until it is dismissed. Dismissing one tells the
// back end to forget it, except the incomplete do-not-text list: that one is only hidden until
// SMS Desk is opened again, as it stays true until the list is sorted out (on the Do not text
// screen, where the banner leads). A screen that shows a notice in its own panel, with what to
// do about it, says so (`onScreen`): the banner is not shown there, so the person reads it
// once. main.js hands it `dismiss(code)` and `openOptOuts()`.

const $ = (id) => document.getElementById(id);

/** The notice that is only hidden for this session, never dismissed for good. */
const STAYS = 'opt_outs_incomplete';

let handlers = { dismiss: () => Promise.resolve(), openOptOuts: () => {} };
/** The notices as last read, and those hidden in this session (by code and words). */
let current = [];
const hidden = new Set();
/** The notices the screen shown has in a panel of its own (by code). */
const onThisScreen = new Set();
let drawn = '';

const key = (n) => `${n.code}\n${n.message}`;

export function bind(h) {
  handlers = h;
}

/** Shows `notices` ([{code, message, hint}]) but the ones hidden; none shows nothing. */
export function show(notices) {
  current = notices;
  draw();
}

/** Takes away the banner for `code` (what it said was sorted out). */
export function remove(code) {
  current = current.filter((n) => n.code !== code);
  draw();
}

/**
 * The screen now shown has the notice `code` in a panel of its own (`shown`), or no longer
 * (it was left): its banner is left out meanwhile, and shown again on the other screens.
 */
export function onScreen(code, shown) {
  if (shown) onThisScreen.add(code);
  else onThisScreen.delete(code);
  draw();
}

/** The notices shown as banners: not hidden, and not in the screen's own panel. */
const banners = () => current.filter((n) => !hidden.has(key(n)) && !onThisScreen.has(n.code));

function draw() {
  const shown = banners();
  const signature = JSON.stringify(shown);
  if (signature === drawn) return;
  drawn = signature;
  const area = $('notices');
  const hadFocus = area.contains(document.activeElement);
  const proto = $('notice-banner-template').content.firstElementChild;
  area.replaceChildren(...shown.map((n) => {
    const box = proto.cloneNode(true);
    box.dataset.code = n.code;
    box.querySelector('.notice-message').textContent = n.message;
    const hint = box.querySelector('.notice-hint');
    if (n.hint) hint.textContent = n.hint;
    else hint.remove();
    const dismissButton = box.querySelector('[data-action="dismiss"]');
    dismissButton.addEventListener('click', () => dismiss(box, n));
    if (n.code === STAYS) {
      const open = document.createElement('button');
      open.type = 'button';
      open.className = 'secondary';
      open.dataset.action = 'open-optouts';
      open.textContent = 'Open the do-not-text list';
      open.addEventListener('click', () => handlers.openOptOuts());
      dismissButton.before(open);
      dismissButton.textContent = 'Hide this for now';
    }
    return box;
  }));
  area.hidden = shown.length === 0;
  if (hadFocus) focusAfter();
}

function dismiss(box, n) {
  hidden.add(key(n));
  if (n.code !== STAYS) {
    // Hidden either way: if the back end cannot forget it, it is shown again next time.
    Promise.resolve()
      .then(() => handlers.dismiss(n.code))
      .catch(() => {});
  }
  box.remove();
  drawn = JSON.stringify(banners());
  focusAfter();
}

// The focus goes to the next banner's button, or back to the screen when none is left.
function focusAfter() {
  const area = $('notices');
  const next = area.querySelector('[data-action="dismiss"]');
  if (next) {
    next.focus();
  } else {
    area.hidden = true;
    $('main').focus();
  }
}

// Start-up notices: what SMS Desk has to tell the person before anything else (a damaged
// history or settings file that was kept aside), each in a banner under the header until it
// is dismissed.

const $ = (id) => document.getElementById(id);

/** Shows `notices` ([{code, message, hint}]); an empty list shows nothing. */
export function show(notices) {
  const area = $('notices');
  const proto = $('notice-banner-template').content.firstElementChild;
  area.replaceChildren(...notices.map((n) => {
    const box = proto.cloneNode(true);
    box.dataset.code = n.code;
    box.querySelector('.notice-message').textContent = n.message;
    const hint = box.querySelector('.notice-hint');
    if (n.hint) hint.textContent = n.hint;
    else hint.remove();
    box.querySelector('[data-action="dismiss"]').addEventListener('click', () => dismiss(box));
    return box;
  }));
  area.hidden = notices.length === 0;
}

function dismiss(box) {
  const area = $('notices');
  box.remove();
  if (!area.children.length) {
    area.hidden = true;
    $('main').focus();
  } else {
    area.querySelector('[data-action="dismiss"]').focus();
  }
}

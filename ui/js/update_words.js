// Words and pieces shared by the update banner and the About screen: what a version's notes
// look like on screen (plain text: paragraphs, and "- " lines as a list; never HTML).

/** The notes as paragraphs and lists, built as DOM (the text is the manifest's). */
export function notesElement(notes) {
  const box = document.createDocumentFragment();
  const text = (notes || '').trim();
  if (!text) {
    const p = document.createElement('p');
    p.textContent = 'This version has no notes.';
    box.append(p);
    return box;
  }
  for (const block of text.split(/\n\s*\n/)) {
    const lines = block.split('\n').map((l) => l.trim()).filter(Boolean);
    if (lines.every((l) => /^[-*•]\s+/.test(l))) {
      const list = document.createElement('ul');
      for (const line of lines) {
        const item = document.createElement('li');
        item.textContent = line.replace(/^[-*•]\s+/, '');
        list.append(item);
      }
      box.append(list);
    } else {
      const p = document.createElement('p');
      p.textContent = lines.join(' ').replace(/^#+\s*/, '');
      box.append(p);
    }
  }
  return box;
}

/** "SMS Desk 0.2.0 is ready to install." */
export function availableTitle(status) {
  return `SMS Desk ${status.available.version} is ready to install (you have ${status.current}).`;
}

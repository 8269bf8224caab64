// Reminders, step 5: the lists sent before, newest first — each with its state, its counts
// and when — with Show (the job in the panel above) and Resume for a paused one (also one that
// SMS Desk was closed or stopped in the middle of: its reason is shown). bulk.js hands it
// `list()`, `listed(jobs)` (told after each read), `show(id)` and `resume(id)`.

import { busy, errorNotice, showIn } from './dom.js';
import { coalesced } from './coalesce.js';
import { formatWhen } from './history_words.js';
import { countsLine, fillJobBadge, forWindow } from './bulk_words.js';

const $ = (id) => document.getElementById(id);

let handlers = null;
let drawn = '';
const reload = coalesced(() => load());

export function bind(h) {
  handlers = h;
  $('bulk-job-list').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    if (!button) return;
    const id = Number(button.closest('li').dataset.id);
    if (button.dataset.action === 'show') handlers.show(id);
    else if (button.dataset.action === 'resume') {
      busy(button, async () => {
        try {
          await handlers.resume(id);
          showIn($('bulk-jobs-result'), null);
        } catch (error) {
          showIn($('bulk-jobs-result'), errorNotice(forWindow(error), 'The list was not resumed'));
        }
      });
    }
  });
}

/** Reads the list again (bursts of changes read it once). */
export function refresh() {
  reload();
}

/** The jobs as last read. */
let jobs = [];

/** Reads the list now; resolves with the jobs. */
export async function readNow() {
  await load();
  return jobs;
}

async function load() {
  let read;
  try {
    // Single messages sent later are on the Scheduled screen and in History, not lists.
    read = (await handlers.list()).filter((j) => j.kind !== 'single');
  } catch (error) {
    showIn($('bulk-jobs-result'), errorNotice(forWindow(error), 'The earlier lists could not be read'));
    return;
  }
  jobs = read;
  handlers.listed(read);
  const text = JSON.stringify(read);
  if (text === drawn) return;
  drawn = text;
  draw(read);
}

function draw(list) {
  const proto = $('bulk-job-item-template').content.firstElementChild;
  $('bulk-job-list').replaceChildren(...list.map((job) => {
    const item = proto.cloneNode(true);
    item.dataset.id = String(job.id);
    item.querySelector('.bulk-job-item-name').textContent = job.templateName
      ? `${job.fileName} — ${job.templateName}`
      : job.fileName;
    fillJobBadge(item.querySelector('.badge'), job.state);
    item.querySelector('.bulk-job-item-when').textContent = `${formatWhen(job.createdAt)} · from ${job.channelName}`;
    item.querySelector('.bulk-job-item-counts').textContent = countsLine(job.counts);
    const problem = item.querySelector('.bulk-job-item-problem');
    problem.hidden = !job.problem;
    problem.textContent = job.problem || '';
    const show = item.querySelector('[data-action="show"]');
    show.setAttribute('aria-label', `Show the list ${job.fileName}`);
    const resume = item.querySelector('[data-action="resume"]');
    resume.hidden = !(job.state === 'paused' || job.state === 'ready');
    resume.setAttribute('aria-label', `Resume sending ${job.fileName}`);
    return item;
  }));
  $('bulk-jobs-empty').hidden = list.length > 0;
}

// Jobs by state with server-side filters and keyset paging; actions on the checked rows or on everything
// matching the filter (run on the server).

import { api, query } from './api.js';
import { h, fmtTime, table, stateBadge } from './dom.js';
import { runBulk } from './bulk.js';

const STATES = ['scheduled', 'available', 'active', 'retrying', 'completed', 'dead', 'cancelled'];
const FILTERS = ['state', 'queue', 'type', 'tag', 'id_prefix', 'from', 'to', 'limit'];
const RETRYABLE = ['dead', 'retrying'];
const CANCELLABLE = ['scheduled', 'available', 'active', 'retrying'];
let cursorStack = []; // cursors of the pages before this one, for "Previous"

function toLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}

export async function jobsPage(main, ctx, params, notice = null) {
  const filter = Object.fromEntries(FILTERS.map(f => [f, params.get(f) ?? '']));
  const cursor = params.get('cursor') ?? '';
  if (!cursor) cursorStack = [];
  const hashFor = (f, c) => `#/jobs${query({ ...f, cursor: c })}`;

  const tabs = h('ul', { class: 'tabs', 'aria-label': 'State' },
    h('li', {}, h('a', { href: hashFor({ ...filter, state: '' }), 'aria-current': filter.state === '' ? 'page' : null }, 'all')),
    STATES.map(s => h('li', {}, h('a', { href: hashFor({ ...filter, state: s }), 'aria-current': filter.state === s ? 'page' : null }, s))));

  const field = (name, label, attrs = {}) => h('label', {}, label, h('input', { name, value: filter[name], ...attrs }));
  const form = h('form', { class: 'filters', role: 'search', onsubmit: e => {
    e.preventDefault();
    const data = new FormData(form);
    const next = { state: filter.state };
    for (const f of ['queue', 'type', 'tag', 'id_prefix', 'limit']) next[f] = (data.get(f) ?? '').toString().trim();
    for (const f of ['from', 'to']) { const v = (data.get(f) ?? '').toString(); next[f] = v ? new Date(v).toISOString() : ''; }
    ctx.go(hashFor(next, ''));
  } },
    field('queue', 'Queue'), field('type', 'Type'), field('tag', 'Tag'), field('id_prefix', 'Id starts with'),
    h('label', {}, 'Created from', h('input', { name: 'from', type: 'datetime-local', value: toLocalInput(filter.from) })),
    h('label', {}, 'Created before', h('input', { name: 'to', type: 'datetime-local', value: toLocalInput(filter.to) })),
    h('label', {}, 'Per page', h('select', { name: 'limit' }, ['25', '50', '100', '500'].map(n => h('option', { value: n, selected: (filter.limit || '50') === n }, n)))),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Filter'), h('a', { class: 'button', href: hashFor({ state: filter.state }, '') }, 'Clear')));

  const actions = h('div', { class: 'actions' });
  const progress = h('div', {}, notice);
  const list = h('div', {});
  main.replaceChildren(h('h1', {}, filter.state ? `Jobs: ${filter.state}` : 'Jobs'), tabs, form, actions, progress, list);

  const page = await api(`/v1/jobs${query({ ...filter, limit: filter.limit || 50, cursor })}`);
  const boxes = [];
  const selected = () => boxes.filter(b => b.checked).map(b => b.value);
  const reload = finished => jobsPage(main, ctx, params, finished);

  const bulk = async (action, body, question) => {
    if (!ctx.confirm(question)) return;
    try { await runBulk(ctx, progress, { action, ...body }, reload); } catch (e) { ctx.fail(e); }
  };
  const matching = () => {
    const f = {};
    for (const k of ['state', 'queue', 'type', 'tag', 'id_prefix', 'from', 'to']) if (filter[k]) f[k] = filter[k];
    return f;
  };
  const describe = () => Object.entries(matching()).map(([k, v]) => `${k}=${v}`).join(', ');

  const selectionButtons = [];
  if (ctx.canAct) {
    const sel = (action, label, cls) => {
      const b = h('button', { type: 'button', class: cls, disabled: true, 'data-action': `selected-${action}`,
        onclick: () => bulk(action, { ids: selected() }, `${label} the ${selected().length} checked jobs?`) }, `${label} checked`);
      selectionButtons.push(b);
      return b;
    };
    const all = (action, label, cls) => h('button', { type: 'button', class: cls, 'data-action': `all-${action}`,
      onclick: () => bulk(action, { filter: matching() }, `${label} every job matching ${describe()}? This runs on the server over all of them, not just this page.`) }, `${label} all matching`);
    actions.append(sel('retry', 'Retry'), sel('cancel', 'Cancel'), sel('delete', 'Delete', 'danger'));
    if (filter.state) {
      if (RETRYABLE.includes(filter.state)) actions.append(all('retry', 'Retry'));
      if (CANCELLABLE.includes(filter.state)) actions.append(all('cancel', 'Cancel'));
      if (filter.state !== 'active') actions.append(all('delete', 'Delete', 'danger'));
    } else {
      actions.append(h('span', { class: 'muted' }, 'Choose a state to act on every matching job.'));
    }
  }
  const refreshSelection = () => { for (const b of selectionButtons) b.disabled = selected().length === 0; };

  const headers = [['Id'], ['Type'], ['Queue'], ['State'], ['Attempt', 'num'], ['Created', 'hide-narrow'], ['Tags', 'hide-narrow']];
  let allBox = null;
  if (ctx.canAct) {
    allBox = h('input', { type: 'checkbox', 'aria-label': 'Check every job on this page', onchange: () => { for (const b of boxes) b.checked = allBox.checked; refreshSelection(); } });
    headers.unshift([allBox]);
  }
  const rows = page.jobs.map(j => {
    let box = null;
    if (ctx.canAct) {
      box = h('input', { type: 'checkbox', value: j.id, 'aria-label': `Check job ${j.id}`, onchange: refreshSelection });
      boxes.push(box);
    }
    return h('tr', { 'data-job': j.id },
      box ? h('td', {}, box) : null,
      h('th', { scope: 'row', class: 'mono' }, h('a', { href: `#/job/${encodeURIComponent(j.id)}` }, j.id)),
      h('td', {}, j.type), h('td', {}, j.queue), h('td', {}, stateBadge(j.state)),
      h('td', { class: 'num' }, `${j.attempt}/${j.max_attempts}`),
      h('td', { class: 'hide-narrow' }, fmtTime(j.created_at)), h('td', { class: 'hide-narrow' }, (j.tags ?? []).join(', ')));
  });
  list.append(
    page.jobs.length === 0
      ? h('p', { class: 'muted', id: 'no-jobs' }, page.next_cursor ? 'No match among the jobs looked at so far; go on to the next page.' : 'No jobs match.')
      : table(`Jobs${filter.state ? ` in state ${filter.state}` : ''}, newest first`, headers, rows),
    h('nav', { class: 'pager', 'aria-label': 'Pages' },
      cursor ? h('button', { type: 'button', 'data-action': 'previous', onclick: () => ctx.go(hashFor(filter, cursorStack.pop() ?? '')) }, 'Previous') : null,
      cursor ? h('a', { class: 'button', href: hashFor(filter, '') }, 'First') : null,
      page.next_cursor ? h('button', { type: 'button', 'data-action': 'next', onclick: () => { cursorStack.push(cursor); ctx.go(hashFor(filter, page.next_cursor)); } }, 'Next') : null));
  return null;
}

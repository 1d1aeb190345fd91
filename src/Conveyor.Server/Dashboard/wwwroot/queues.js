// Queues: counts, latency and the paused flag, paged by name; pause, resume, purge and remove for admin keys.

import { api, query } from './api.js';
import { h, fmtNumber, fmtCount, fmtAge, table } from './dom.js';

export function queuesPage(main, ctx, params) {
  const after = params.get('after') ?? '';
  const body = h('div', {});
  main.replaceChildren(h('h1', {}, 'Queues'), body);

  const act = async (label, method, path, question) => {
    if (question && !ctx.confirm(question)) return;
    try {
      await api(path, { method });
      ctx.status(label);
      await load();
    } catch (e) { ctx.fail(e); }
  };

  const load = async () => {
    const page = await api(`/v1/queues${query({ limit: 100, after })}`);
    const now = Date.now();
    const headers = [['Queue'], ['Available', 'num'], ['Scheduled', 'num'], ['Retrying', 'num'], ['Active', 'num'], ['Latency', 'num'], ['State']];
    if (ctx.canAct) headers.push(['Actions']);
    ctx.swap(body,
      page.queues.length === 0 ? h('p', { class: 'muted' }, 'No queues.') :
        table('Every queue, by name', headers, page.queues.map(q => {
          const path = `/v1/queues/${encodeURIComponent(q.name)}`;
          return h('tr', { 'data-queue': q.name },
            h('th', { scope: 'row' }, h('a', { href: `#/jobs?queue=${encodeURIComponent(q.name)}` }, q.name)),
            h('td', { class: 'num' }, fmtCount(q.available, q.count_cap)), h('td', { class: 'num' }, fmtCount(q.scheduled, q.count_cap)),
            h('td', { class: 'num' }, fmtCount(q.retrying, q.count_cap)), h('td', { class: 'num' }, fmtCount(q.active, q.count_cap)),
            h('td', { class: 'num' }, fmtAge(q.oldest_available_at, now)),
            h('td', {}, q.paused ? h('span', { class: 'state state-retrying' }, 'paused') : 'running'),
            ctx.canAct ? h('td', {}, h('div', { class: 'actions' },
              q.paused
                ? h('button', { type: 'button', 'data-key': `resume-${q.name}`, onclick: () => act(`Resumed ${q.name}`, 'POST', `${path}/resume`) }, 'Resume')
                : h('button', { type: 'button', 'data-key': `pause-${q.name}`, onclick: () => act(`Paused ${q.name}`, 'POST', `${path}/pause`) }, 'Pause'),
              h('button', { type: 'button', class: 'danger', 'data-key': `purge-${q.name}`, onclick: () => act(`Purged ${q.name}`, 'DELETE', path, `Delete the ${fmtCount(q.available, q.count_cap)} available jobs of ${q.name}?`) }, 'Purge'),
              h('button', { type: 'button', class: 'danger', 'data-key': `remove-${q.name}`, onclick: () => act(`Removed ${q.name}`, 'DELETE', `${path}?remove=true`, `Remove the queue ${q.name}? (only an empty, running queue can be removed)`) }, 'Remove'))) : null);
        })),
      h('div', { class: 'pager' },
        after ? h('a', { class: 'button', href: '#/queues' }, 'First page') : null,
        page.next ? h('a', { class: 'button', href: `#/queues?after=${encodeURIComponent(page.next)}` }, 'Next page') : null));
  };

  return ctx.poll(load, 5000);
}

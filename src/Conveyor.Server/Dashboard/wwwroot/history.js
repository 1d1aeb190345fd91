// Metrics history: completed and failed jobs per minute and run times (mean, p95) over 1 h, 24 h or 7 d, for all
// jobs, one queue or one type, from the server's persisted ring (GET /v1/dashboard/history).

import { api } from './api.js';
import { h, fmtNumber } from './dom.js';
import { lineChart } from './chart.js';

const RANGES = [['1h', '1 hour', 3600e3], ['24h', '24 hours', 86400e3], ['7d', '7 days', 7 * 86400e3]];

function link(range, queue, type) {
  const q = new URLSearchParams({ range });
  if (queue) q.set('queue', queue);
  if (type) q.set('type', type);
  return `#/history?${q}`;
}

function fmtMs(ms) {
  if (ms >= 1000) return `${+(ms / 1000).toPrecision(3)} s`;
  return `${+ms.toPrecision(3)} ms`;
}

export function historyPage(main, ctx, params) {
  const range = RANGES.find(r => r[0] === params.get('range')) ?? RANGES[0];
  const queue = params.get('queue') || '';
  const type = queue ? '' : params.get('type') || '';
  const pickers = h('form', { class: 'filters', onsubmit: e => e.preventDefault() });
  const summary = h('section', { 'aria-label': 'Totals' });
  const charts = h('section', { class: 'charts', 'aria-label': 'History charts' });
  const what = queue ? `queue ${queue}` : type ? `type ${type}` : 'all jobs';
  main.replaceChildren(
    h('h1', {}, 'Metrics history'),
    h('ul', { class: 'tabs', 'aria-label': 'Range' }, RANGES.map(([name, label]) =>
      h('li', {}, h('a', { href: link(name, queue, type), 'aria-current': name === range[0] ? 'page' : null, 'data-range': name }, label)))),
    pickers, summary, charts);

  return ctx.poll(async () => {
    const q = new URLSearchParams({ range: range[0] });
    if (queue) q.set('queue', queue);
    if (type) q.set('type', type);
    const view = await api(`/v1/dashboard/history?${q}`);
    const select = (id, label, names, current, go) => h('label', { for: id }, label,
      h('select', { id, 'data-key': id, onchange: e => ctx.go(go(e.target.value)) },
        h('option', { value: '' }, 'all'),
        [...new Set([...names, ...(current ? [current] : [])])].map(n => h('option', { value: n, selected: n === current }, n))));
    ctx.swap(pickers,
      select('history-queue', 'Queue', view.queues, queue, v => link(range[0], v, '')),
      select('history-type', 'Type', view.types, type, v => link(range[0], '', v)));

    const stepMin = view.step_seconds / 60;
    const points = view.points;
    const end = points.length ? points.at(-1)[0] + view.step_seconds * 1000 : Date.now();
    let completed = 0, failed = 0, runs = 0, runMs = 0;
    for (const p of points) { completed += p[1]; failed += p[2]; runs += p[3]; runMs += p[3] * p[4]; }
    const total = completed + failed;
    ctx.swap(summary,
      h('p', { id: 'history-totals' }, `${what}, last ${range[1]}: `,
        h('strong', {}, fmtNumber(completed)), ' completed · ', h('strong', {}, fmtNumber(failed)), ' failed',
        total ? ` · ${(100 * failed / total).toFixed(1)}% of settled attempts failed` : '',
        runs ? ` · mean run time ${fmtMs(runMs / runs)}` : ''),
      view.persisted ? null : h('p', { class: 'muted' }, 'This server keeps the history in memory only (its store has no data directory): it starts empty after a restart.'));
    const perMinute = i => points.map(p => [p[0], p[i] / stepMin]);
    const ran = points.filter(p => p[3] > 0);
    const opts = { end, span: `−${range[1]}` };
    ctx.swap(charts,
      lineChart('history-throughput', `Throughput (jobs per minute, ${stepMin === 1 ? 'each minute' : `mean over ${stepMin} min`})`, '/min', [
        { name: 'completed', cls: 'completed', values: perMinute(1) },
        { name: 'failed', cls: 'failed', values: perMinute(2) },
      ], range[2], opts),
      lineChart('history-runtime', `Run time (ms per ${stepMin === 1 ? 'minute' : `${stepMin} min`})`, 'ms', [
        { name: 'mean', cls: 'latency', values: ran.map(p => [p[0], p[4]]) },
        { name: 'p95', cls: 'p95', values: ran.map(p => [p[0], p[5]]) },
      ], range[2], opts));
  }, 15000);
}

// Overview: counts per state, live throughput and pickup-latency charts (from the server's ring, so they keep
// their history across a reload), and the queues.

import { api } from './api.js';
import { h, fmtNumber, fmtCount, fmtAge, table } from './dom.js';
import { lineChart } from './chart.js';

const STATES = ['scheduled', 'available', 'active', 'retrying', 'completed', 'dead', 'cancelled'];
const FINISHED = ['completed', 'dead', 'cancelled']; // counted exactly, never capped
const WINDOW_MS = 5 * 60 * 1000;
let points = []; // [t, enqueued, completed, failed, pickups, pickupMsSum], kept while the tab lives
let intervalMs = 2000;

export function overviewPage(main, ctx) {
  const counts = h('section', { 'aria-labelledby': 'counts-h' });
  const charts = h('section', { class: 'charts', 'aria-label': 'Live charts' });
  const queues = h('section', { 'aria-labelledby': 'queues-h' });
  main.replaceChildren(h('h1', {}, 'Overview'), counts, h('h2', {}, 'Live (last 5 minutes, every 2 s)'), charts, queues);

  return ctx.poll(async () => {
    const last = points.at(-1)?.[0] ?? 0;
    const [stats, live, queuePage] = await Promise.all([
      api('/v1/stats'),
      api(`/v1/dashboard/live?after=${last}`),
      api('/v1/queues?limit=100'),
    ]);
    intervalMs = live.interval_ms;
    points = points.concat(live.points).slice(-1800);
    ctx.swap(counts,
      h('h2', { id: 'counts-h' }, 'Jobs by state'),
      h('div', { class: 'cards' }, STATES.map(s => h('a', { class: 'card', href: `#/jobs?state=${s}`, 'data-key': `card-${s}`, id: `count-${s}` },
        h('div', { class: 'n' }, (FINISHED.includes(s) ? fmtNumber(stats.counts[s]) : fmtCount(stats.counts[s], stats.count_cap))), h('div', { class: 'label' }, s)))),
      h('p', { class: 'muted' }, `Processed ${fmtNumber(stats.processed)} · failed ${fmtNumber(stats.failed)} (since the store began) · ${stats.throughput.toFixed(1)} completed/s over the last minute`));
    const perSecond = i => points.map(p => [p[0], p[i] / (intervalMs / 1000)]);
    ctx.swap(charts,
      lineChart('throughput', 'Throughput (jobs per second)', '/s', [
        { name: 'enqueued', cls: 'enqueued', values: perSecond(1) },
        { name: 'completed', cls: 'completed', values: perSecond(2) },
        { name: 'failed', cls: 'failed', values: perSecond(3) },
      ], WINDOW_MS),
      lineChart('latency', 'Pickup latency (ms, mean per interval)', 'ms', [
        { name: 'pickup latency', cls: 'latency', values: points.filter(p => p[4] > 0).map(p => [p[0], p[5] / p[4]]) },
      ], WINDOW_MS));
    const now = Date.now();
    ctx.swap(queues,
      h('h2', { id: 'queues-h' }, 'Queues'),
      queuePage.queues.length === 0 ? h('p', { class: 'muted' }, 'No queues yet.') :
        table('Queues with their counts and latency (age of the oldest available job)',
          [['Queue'], ['Available', 'num'], ['Scheduled', 'num'], ['Retrying', 'num'], ['Active', 'num'], ['Latency', 'num'], ['Paused']],
          queuePage.queues.map(q => h('tr', {},
            h('th', { scope: 'row' }, h('a', { href: `#/jobs?queue=${encodeURIComponent(q.name)}` }, q.name)),
            h('td', { class: 'num' }, fmtCount(q.available, q.count_cap)), h('td', { class: 'num' }, fmtCount(q.scheduled, q.count_cap)),
            h('td', { class: 'num' }, fmtCount(q.retrying, q.count_cap)), h('td', { class: 'num' }, fmtCount(q.active, q.count_cap)),
            h('td', { class: 'num' }, fmtAge(q.oldest_available_at, now)), h('td', {}, q.paused ? 'paused' : '')))),
      queuePage.next ? h('p', {}, h('a', { href: '#/queues' }, 'All queues')) : null);
  }, 2000);
}

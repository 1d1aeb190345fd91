// Workers: the processes heard from in the last 60 s and the jobs each holds a lease on; quiet and terminate for admin keys.

import { api } from './api.js';
import { h, fmtAge, fmtTime, table, stateBadge } from './dom.js';

export function workersPage(main, ctx) {
  const body = h('div', {});
  main.replaceChildren(h('h1', {}, 'Workers'), body);
  const act = async (wid, what) => {
    if (what === 'terminate' && !ctx.confirm(`Ask worker ${wid} to shut down?`)) return;
    try {
      await api(`/v1/workers/${encodeURIComponent(wid)}/${what}`, { method: 'POST' });
      ctx.status(`Asked ${wid} to ${what === 'quiet' ? 'stop fetching' : 'shut down'} (told on its next heartbeat)`);
      await load();
    } catch (e) { ctx.fail(e); }
  };
  const load = async () => {
    const [workers, active] = await Promise.all([api('/v1/workers'), api('/v1/jobs?state=active&limit=1000')]);
    const running = new Map();
    for (const job of active.jobs) {
      // A Faktory FETCH records its lease under `faktory:WID`; an HTTP fetch under its worker_id.
      const holder = job.lease?.worker_id?.replace(/^faktory:/, '');
      if (holder) running.set(holder, [...(running.get(holder) ?? []), job]);
    }
    const now = Date.now();
    const headers = [['Worker'], ['Host'], ['PID', 'num'], ['Labels'], ['Started'], ['Last beat', 'num'], ['State'], ['Running']];
    if (ctx.canAct) headers.push(['Actions']);
    ctx.swap(body, workers.length === 0
      ? h('p', { class: 'muted' }, 'No worker has sent a heartbeat in the last 60 s. (Workers that heartbeat today are Faktory clients.)')
      : table('Worker processes heard from in the last 60 s', headers, workers.map(w => h('tr', {},
        h('th', { scope: 'row', class: 'mono' }, w.wid), h('td', {}, w.hostname ?? '—'), h('td', { class: 'num' }, w.pid ?? '—'),
        h('td', {}, (w.labels ?? []).join(', ')), h('td', {}, fmtTime(w.started_at)), h('td', { class: 'num' }, `${fmtAge(w.last_beat_at, now)} ago`),
        h('td', {}, stateBadge(w.state)),
        h('td', {}, runningCell(running.get(w.wid) ?? [])),
        ctx.canAct ? h('td', {}, h('div', { class: 'actions' },
          h('button', { type: 'button', 'data-key': `quiet-${w.wid}`, disabled: w.state !== 'running', onclick: () => act(w.wid, 'quiet') }, 'Quiet'),
          h('button', { type: 'button', class: 'danger', 'data-key': `terminate-${w.wid}`, disabled: w.state === 'terminate', onclick: () => act(w.wid, 'terminate') }, 'Terminate'))) : null))));
  };
  return ctx.poll(load, 5000);
}

function runningCell(jobs) {
  if (jobs.length === 0) return '—';
  return [`${jobs.length}: `, jobs.slice(0, 3).map((j, i) => [i ? ', ' : '', h('a', { href: `#/job/${encodeURIComponent(j.id)}` }, j.type)]), jobs.length > 3 ? ', …' : ''];
}

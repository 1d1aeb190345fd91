// One job: its fields and options, its history as a timeline, progress and result when the server reports them, args
// pretty-printed (large ones on request), lease, failures with their backtraces; retry, cancel and delete for admin keys.

import { api } from './api.js';
import { h, fmtTime, stateBadge, replace } from './dom.js';
import { jobTimeline } from './timeline.js';

const LARGE = 20000;

export async function jobPage(main, ctx, id) {
  const job = await api(`/v1/jobs/${encodeURIComponent(id)}`);
  const act = async (label, method, path, question, after) => {
    if (question && !ctx.confirm(question)) return;
    try {
      await api(path, { method });
      ctx.status(label);
      if (after) after(); else await jobPage(main, ctx, id);
    } catch (e) { ctx.fail(e); }
  };
  const base = `/v1/jobs/${encodeURIComponent(id)}`;
  const actions = h('div', { class: 'actions' });
  if (ctx.canAct) {
    if (['dead', 'retrying'].includes(job.state)) actions.append(h('button', { type: 'button', class: 'primary', 'data-action': 'retry', onclick: () => act('Retried: available now', 'POST', `${base}/retry`) }, 'Retry now'));
    if (['scheduled', 'available', 'active', 'retrying'].includes(job.state)) actions.append(h('button', { type: 'button', 'data-action': 'cancel', onclick: () => act('Cancelled', 'POST', `${base}/cancel`, `Cancel job ${id}?`) }, 'Cancel'));
    if (job.state !== 'active') actions.append(h('button', { type: 'button', class: 'danger', 'data-action': 'delete', onclick: () => act('Deleted', 'DELETE', base, `Delete job ${id} for good?`, () => ctx.go(`#/jobs?state=${job.state}`)) }, 'Delete'));
  }

  const row = (label, value) => [h('dt', {}, label), h('dd', {}, value ?? '—')];
  const fields = h('dl', { class: 'fields' },
    row('State', stateBadge(job.state)), row('Type', job.type),
    row('Queue', h('a', { href: `#/jobs?queue=${encodeURIComponent(job.queue)}` }, job.queue)),
    row('Attempt', `${job.attempt} of ${job.max_attempts}`), row('Priority', job.priority),
    row('Created', fmtTime(job.created_at)), row('Run at', fmtTime(job.run_at)), row('Finished', fmtTime(job.finished_at)),
    row('Lease seconds', job.lease_seconds), row('Backoff', job.backoff), row('Kept when dead', job.dead === false ? 'no (removed)' : 'yes'),
    row('Unique key', job.unique_key), row('Tags', (job.tags ?? []).join(', ') || null),
    row('Meta', Object.keys(job.meta ?? {}).length ? h('pre', {}, JSON.stringify(job.meta, null, 2)) : null));

  const lease = job.lease
    ? h('dl', { class: 'fields' }, row('Worker', job.lease.worker_id), row('Lease expires', fmtTime(job.lease.expires_at)))
    : h('p', { class: 'muted' }, 'Not leased.');

  const argsText = JSON.stringify(job.args, null, 2);
  const args = h('pre', { id: 'args' }, argsText.length > LARGE ? argsText.slice(0, 2000) : argsText);
  const argsBox = h('section', { 'aria-labelledby': 'args-h' }, h('h2', { id: 'args-h' }, 'Args'), args);
  if (argsText.length > LARGE) {
    const more = h('button', { type: 'button', onclick: () => { replace(args, argsText); more.remove(); } }, `Show all ${argsText.length.toLocaleString('en-US')} characters`);
    argsBox.append(h('p', { class: 'muted' }, 'Large args: the first 2,000 characters are shown.'), more);
  }

  const failures = (job.failures ?? []).slice().reverse();
  const extra = [];
  if (job.progress) {
    extra.push(h('section', { class: 'progress', id: 'progress', 'aria-labelledby': 'progress-h' },
      h('h2', { id: 'progress-h' }, 'Progress'),
      h('progress', { max: 100, value: job.progress.percent, 'aria-label': `${job.progress.percent}%` }),
      h('p', {}, `${job.progress.percent}%`, job.progress.message ? ` · ${job.progress.message}` : '', ` (reported ${fmtTime(job.progress.updated_at)})`)));
  }
  if (job.result !== undefined && job.result !== null) extra.push(h('h2', {}, 'Result'), h('pre', { id: 'result' }, JSON.stringify(job.result, null, 2)));

  main.replaceChildren(
    h('p', {}, h('a', { href: `#/jobs?state=${job.state}` }, `← ${job.state} jobs`)),
    h('h1', {}, 'Job ', h('span', { class: 'mono' }, job.id)),
    actions, fields,
    h('section', { 'aria-labelledby': 'history-h' }, h('h2', { id: 'history-h' }, 'History'), jobTimeline(job)),
    ...extra, argsBox,
    h('h2', {}, 'Lease'), lease,
    h('section', { 'aria-labelledby': 'failures-h', id: 'failures' },
      h('h2', { id: 'failures-h' }, `Failures (${failures.length}, newest first)`),
      failures.length === 0 ? h('p', { class: 'muted' }, 'No failures.') : failures.map((f, i) => h('details', { class: 'failure', open: i === 0 },
        h('summary', {}, `Attempt ${f.attempt} at ${fmtTime(f.at)}: `, h('strong', {}, f.error_type), ` ${f.message}`),
        (f.backtrace ?? []).length ? h('pre', { class: 'backtrace' }, f.backtrace.join('\n')) : h('p', { class: 'muted' }, 'No backtrace.')))));
  return null;
}

// A job's history, derived from what the store keeps of it (created_at, run_at, the newest failures with their
// attempts and times, the lease, progress, finished_at and the state): no separate event log exists, so attempts
// older than the kept failures are summarised, and times the store does not keep are left out.

import { h, fmtTime } from './dom.js';

const FAILURE_TEXT = { LeaseExpired: 'lease expired', Timeout: 'timed out' };

/** The job's events, oldest first: [{ kind, at (ISO or null), text }]. */
export function jobEvents(job) {
  const events = [];
  const failures = job.failures ?? [];
  const last = failures.at(-1);
  events.push({ kind: 'enqueued', at: job.created_at, text: `Enqueued on queue ${job.queue}` });
  if (job.state === 'scheduled' && job.run_at) events.push({ kind: 'scheduled', at: job.run_at, text: 'Scheduled to run' });
  const firstKept = failures[0]?.attempt ?? job.attempt;
  const earliest = job.state === 'active' || job.state === 'completed' ? Math.min(firstKept, job.attempt) : firstKept;
  if (earliest > 1) events.push({ kind: 'gap', at: null, text: `Attempts 1–${earliest - 1} failed; their details are no longer kept (a job keeps its newest 10 failures)` });
  for (const f of failures) {
    const why = FAILURE_TEXT[f.error_type] ?? `${f.error_type}${f.message ? `: ${f.message}` : ''}`;
    events.push({ kind: 'failed', at: f.at, text: `Attempt ${f.attempt} failed (${why})` });
    if (f !== last || job.attempt > f.attempt) events.push({ kind: 'retry', at: null, text: 'Retried' });
  }
  if (job.state === 'retrying') events.push({ kind: 'retry', at: job.run_at, text: `Retry scheduled (attempt ${job.attempt + 1} of ${job.max_attempts})` });
  if (job.state === 'available' && last) events.push({ kind: 'retry', at: null, text: 'Available again, waiting for a worker' });
  if (job.state === 'active') {
    const worker = job.lease?.worker_id ? ` by worker ${job.lease.worker_id}` : '';
    events.push({ kind: 'leased', at: null, text: `Attempt ${job.attempt} running${worker}; lease expires ${fmtTime(job.lease?.expires_at)}` });
  }
  if (job.progress) events.push({ kind: 'progress', at: job.progress.updated_at, text: `Progress ${job.progress.percent}%${job.progress.message ? `: ${job.progress.message}` : ''}` });
  if (job.state === 'completed') events.push({ kind: 'completed', at: job.finished_at, text: `Attempt ${job.attempt} completed` });
  if (job.state === 'dead') events.push({ kind: 'dead', at: job.finished_at, text: `Dead after attempt ${job.attempt} of ${job.max_attempts}` });
  if (job.state === 'cancelled') events.push({ kind: 'cancelled', at: job.finished_at, text: 'Cancelled' });
  return events;
}

export function jobTimeline(job) {
  return h('ol', { class: 'timeline', id: 'timeline' }, jobEvents(job).map(e => h('li', { class: `ev ev-${e.kind}`, 'data-kind': e.kind },
    e.at ? h('time', { datetime: e.at }, fmtTime(e.at)) : h('span', { class: 'muted' }, '—'),
    h('span', {}, e.text))));
}

// The graphile-worker side of bench/compare/postgres.sh. MODE (environment):
//   enqueue: JOBS no-op jobs added with WorkerUtils.addJobs in chunks of BATCH;
//   e2e:     JOBS added the same way, then drained by one runner (CONCURRENCY jobs at once, LOCAL_QUEUE jobs fetched
//            at a time when > 1, COMPLETE_DELAY ms to batch completions and failures, -1: off) until the jobs table is empty;
//   pickup:  one producer calls addJob at RATE jobs/s for SECONDS (open loop) while the runner waits on LISTEN/NOTIFY;
//            the handler times addJob call → handler start.
// Prints one JSON line: the figures, and what the phase cost PostgreSQL (meter.mjs). DATABASE_URL: its own database.
import { Logger, makeWorkerUtils, run } from 'graphile-worker';
import pg from 'pg';
import { cost, schemaBytes, snapshot } from './meter.mjs';

const mode = process.env.MODE ?? 'e2e';
const connectionString = process.env.DATABASE_URL;
const jobs = Number(process.env.JOBS ?? 100000);
const batch = Number(process.env.BATCH ?? 1000);
const concurrency = Number(process.env.CONCURRENCY ?? 32);
const localQueue = Number(process.env.LOCAL_QUEUE ?? -1);
const completeDelay = Number(process.env.COMPLETE_DELAY ?? -1);
const rate = Number(process.env.RATE ?? 50);
const seconds = Number(process.env.SECONDS ?? 10);
const limitMs = Number(process.env.LIMIT_SECONDS ?? 300) * 1000;
const silent = new Logger(() => () => {});

const utils = await makeWorkerUtils({ connectionString, logger: silent });
await utils.migrate();

async function enqueue(count) {
  for (let i = 0; i < count; i += batch) {
    const n = Math.min(batch, count - i);
    await utils.addJobs(Array.from({ length: n }, () => ({ identifier: 'noop', payload: {} })));
  }
}

function start(taskList) {
  return run({
    taskList,
    noHandleSignals: true,
    logger: silent,
    preset: {
      worker: {
        connectionString,
        concurrentJobs: concurrency,
        maxPoolSize: Math.max(10, concurrency + 2),
        ...(localQueue > 1 ? { localQueue: { size: localQueue } } : {}),
        completeJobBatchDelay: completeDelay,
        failJobBatchDelay: completeDelay,
      },
    },
  });
}

async function unfinished(client) {
  const { rows } = await client.query('SELECT count(*)::int AS n FROM graphile_worker._private_jobs');
  return rows[0].n;
}

async function drain(count) {
  let handled = 0;
  let allHandled;
  const handledAll = new Promise((resolve) => (allHandled = resolve));
  const runner = await start({ noop: async () => { if (++handled === count) allHandled(); } });
  const timeout = setTimeout(() => { console.error(`graphile: drain not done in ${limitMs} ms (${handled} handled)`); process.exit(2); }, limitMs);
  await handledAll;
  // Handled is not finished: a batched completion may still be on its way. Done when the table is empty.
  const client = new pg.Client({ connectionString });
  await client.connect();
  while ((await unfinished(client)) > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  const at = performance.now();
  clearTimeout(timeout);
  await client.end();
  await runner.stop();
  return at;
}

async function pickup() {
  const samples = [];
  const count = rate * seconds;
  let allHandled;
  const handledAll = new Promise((resolve) => (allHandled = resolve));
  const runner = await start({ noop: async (payload) => { samples.push(performance.now() - payload.t); if (samples.length === count) allHandled(); } });
  const begin = performance.now();
  const adds = [];
  for (let i = 0; i < count; i++) {
    const wait = begin + (i * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    adds.push(utils.addJob('noop', { t: performance.now() }));
  }
  await Promise.all(adds);
  await handledAll;
  await runner.stop();
  return samples.sort((a, b) => a - b);
}

const at = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const bytesBefore = await schemaBytes(connectionString, ['graphile_worker']);
const before = await snapshot();
const t0 = performance.now();
let figures;
if (mode === 'enqueue') {
  await enqueue(jobs);
  const t1 = performance.now();
  figures = { jobs, batch, seconds: (t1 - t0) / 1000, jobs_per_second: jobs / ((t1 - t0) / 1000) };
} else if (mode === 'e2e') {
  await enqueue(jobs);
  const t1 = performance.now();
  const t2 = await drain(jobs);
  figures = {
    jobs, batch, concurrency, local_queue: localQueue, complete_delay_ms: completeDelay,
    enqueue_jobs_per_second: jobs / ((t1 - t0) / 1000), drain_seconds: (t2 - t1) / 1000, jobs_per_second: jobs / ((t2 - t1) / 1000),
  };
} else if (mode === 'pickup') {
  const samples = await pickup();
  figures = { rate, jobs: samples.length, concurrency, pickup_p50_ms: at(samples, 0.5), pickup_p99_ms: at(samples, 0.99) };
} else {
  throw new Error(`MODE ${mode}: enqueue, e2e or pickup`);
}
const after = await snapshot();
const bytes = await schemaBytes(connectionString, ['graphile_worker']) - bytesBefore;
await utils.release();
console.log(JSON.stringify({ ...figures, ...cost(before, after, figures.jobs), schema_bytes_added: bytes }));
process.exit(0);

// The pg-boss side of bench/compare/postgres.sh. MODE (environment):
//   enqueue: JOBS no-op jobs written with insert() in chunks of BATCH;
//   e2e:     JOBS inserted the same way, then drained by work() with LOCAL_CONCURRENCY pollers each fetching BATCH_SIZE
//            jobs at a time and burstWhenBatchFull (the handler takes the batch; pg-boss completes it in one call),
//            until no job of the queue is unfinished;
//   send:    JOBS jobs, one send() per job, PRODUCERS calls in flight (durable per-job enqueue);
//   pickup:  one producer calls send() at RATE jobs/s for SECONDS (open loop) on a notify queue, the worker LISTENs;
//            the handler times send() call → handler start.
// Prints one JSON line: the figures, and what the phase cost PostgreSQL (meter.mjs). DATABASE_URL: its own database.
import { PgBoss } from 'pg-boss';
import pg from 'pg';
import { cost, schemaBytes, snapshot } from './meter.mjs';

const mode = process.env.MODE ?? 'e2e';
const connectionString = process.env.DATABASE_URL;
const jobs = Number(process.env.JOBS ?? 100000);
const batch = Number(process.env.BATCH ?? 1000);
const batchSize = Number(process.env.BATCH_SIZE ?? 100);
const localConcurrency = Number(process.env.LOCAL_CONCURRENCY ?? 4);
const producers = Number(process.env.PRODUCERS ?? 32);
const rate = Number(process.env.RATE ?? 50);
const seconds = Number(process.env.SECONDS ?? 10);
const limitMs = Number(process.env.LIMIT_SECONDS ?? 300) * 1000;

const boss = new PgBoss({ connectionString, max: Math.max(10, producers + localConcurrency + 2), useListenNotify: mode === 'pickup' });
boss.on('error', (error) => console.error('pg-boss:', error.message));
await boss.start();
const queue = `bench_${mode}_${Date.now()}`;
await boss.createQueue(queue, { notify: mode === 'pickup' });

async function insert(count) {
  for (let i = 0; i < count; i += batch) {
    const n = Math.min(batch, count - i);
    await boss.insert(queue, Array.from({ length: n }, () => ({ data: {} })));
  }
}

async function send(count) {
  let next = 0;
  const loop = async () => { while (next++ < count) await boss.send(queue, {}); };
  await Promise.all(Array.from({ length: producers }, loop));
}

async function drain(count) {
  let handled = 0;
  let allHandled;
  const handledAll = new Promise((resolve) => (allHandled = resolve));
  const timeout = setTimeout(() => { console.error(`pg-boss: drain not done in ${limitMs} ms (${handled} handled)`); process.exit(2); }, limitMs);
  await boss.work(queue, { batchSize, localConcurrency, burstWhenBatchFull: true, pollingIntervalSeconds: 0.5 }, async (batchOfJobs) => {
    handled += batchOfJobs.length;
    if (handled >= count) allHandled();
  });
  await handledAll;
  // The last batch's completion is written after the handler returns: done when no job of the queue is unfinished.
  const client = new pg.Client({ connectionString });
  await client.connect();
  const open = async () => (await client.query("SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state < 'completed'", [queue])).rows[0].n;
  while ((await open()) > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  const at = performance.now();
  clearTimeout(timeout);
  await client.end();
  return at;
}

async function pickup() {
  const samples = [];
  const count = rate * seconds;
  let allHandled;
  const handledAll = new Promise((resolve) => (allHandled = resolve));
  await boss.work(queue, { batchSize: 1, localConcurrency, pollingIntervalSeconds: 0.5 }, async ([job]) => {
    samples.push(performance.now() - job.data.t);
    if (samples.length === count) allHandled();
  });
  const begin = performance.now();
  const sends = [];
  for (let i = 0; i < count; i++) {
    const wait = begin + (i * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    sends.push(boss.send(queue, { t: performance.now() }));
  }
  await Promise.all(sends);
  await handledAll;
  return samples.sort((a, b) => a - b);
}

const at = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const bytesBefore = await schemaBytes(connectionString, ['pgboss']);
const before = await snapshot();
const t0 = performance.now();
let figures;
if (mode === 'enqueue' || mode === 'send') {
  await (mode === 'enqueue' ? insert(jobs) : send(jobs));
  const t1 = performance.now();
  figures = { jobs, ...(mode === 'enqueue' ? { batch } : { producers }), seconds: (t1 - t0) / 1000, jobs_per_second: jobs / ((t1 - t0) / 1000) };
} else if (mode === 'e2e') {
  await insert(jobs);
  const t1 = performance.now();
  const t2 = await drain(jobs);
  figures = {
    jobs, batch, batch_size: batchSize, local_concurrency: localConcurrency,
    enqueue_jobs_per_second: jobs / ((t1 - t0) / 1000), drain_seconds: (t2 - t1) / 1000, jobs_per_second: jobs / ((t2 - t1) / 1000),
  };
} else if (mode === 'pickup') {
  const samples = await pickup();
  figures = { rate, jobs: samples.length, pickup_p50_ms: at(samples, 0.5), pickup_p99_ms: at(samples, 0.99) };
} else {
  throw new Error(`MODE ${mode}: enqueue, e2e, send or pickup`);
}
const after = await snapshot();
const bytes = await schemaBytes(connectionString, ['pgboss']) - bytesBefore;
await boss.stop({ graceful: false, wait: true, timeout: 5000 });
console.log(JSON.stringify({ ...figures, ...cost(before, after, figures.jobs), schema_bytes_added: bytes }));
process.exit(0);

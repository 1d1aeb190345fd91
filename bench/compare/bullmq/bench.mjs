// The BullMQ side of bench/compare/run.sh: enqueue JOBS no-op jobs with addBulk, then drain them with one
// Worker, and print the figures as one JSON line. Everything at BullMQ's defaults except the worker's concurrency.
// First WARMUP jobs go the same way through a queue of their own, not measured (as `conveyor bench e2e` does).
import { Queue, Worker } from 'bullmq';

const jobs = Number(process.env.JOBS ?? 100000);
const batch = Number(process.env.BATCH ?? 1000);
const concurrency = Number(process.env.CONCURRENCY ?? 50);
const connection = { host: '127.0.0.1', port: Number(process.env.REDIS_PORT) };
const limitMs = Number(process.env.LIMIT_SECONDS ?? 600) * 1000;
const warmup = Number(process.env.WARMUP ?? 0);

async function enqueue(queue, count) {
  for (let i = 0; i < count; i += batch) {
    const n = Math.min(batch, count - i);
    await queue.addBulk(Array.from({ length: n }, () => ({ name: 'noop', data: {} })));
  }
}

function drain(name, count) {
  let completed = 0;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: drain did not finish within ${limitMs} ms (${completed} done)`)), limitMs);
    const worker = new Worker(name, async () => {}, { connection, concurrency });
    worker.on('completed', () => {
      if (++completed === count) {
        clearTimeout(timer);
        const at = performance.now();
        worker.close().then(() => resolve(at));
      }
    });
    worker.on('error', reject);
  });
}

if (warmup > 0) {
  const warm = new Queue('warmup', { connection });
  await warm.waitUntilReady();
  await enqueue(warm, warmup);
  await drain('warmup', warmup);
  await warm.close();
}

const queue = new Queue('bench', { connection });
await queue.waitUntilReady();

const started = performance.now();
await enqueue(queue, jobs);
const enqueued = performance.now();
const drained = await drain('bench', jobs);

await queue.close();
const seconds = (a, b) => (b - a) / 1000;
console.log(JSON.stringify({
  jobs,
  warmup,
  batch,
  concurrency,
  enqueue_seconds: seconds(started, enqueued),
  drain_seconds: seconds(enqueued, drained),
  enqueue_jobs_per_second: jobs / seconds(started, enqueued),
  drain_jobs_per_second: jobs / seconds(enqueued, drained),
  jobs_per_second: jobs / seconds(started, drained),
}));
process.exit(0);

// The BullMQ side of bench/compare/run.sh: enqueue JOBS no-op jobs with addBulk, then drain them with one
// Worker, and print the figures as one JSON line. Everything at BullMQ's defaults except the worker's concurrency.
import { Queue, Worker } from 'bullmq';

const jobs = Number(process.env.JOBS ?? 100000);
const batch = Number(process.env.BATCH ?? 1000);
const concurrency = Number(process.env.CONCURRENCY ?? 50);
const connection = { host: '127.0.0.1', port: Number(process.env.REDIS_PORT) };
const limitMs = Number(process.env.LIMIT_SECONDS ?? 600) * 1000;

const queue = new Queue('bench', { connection });
await queue.waitUntilReady();

const started = performance.now();
for (let i = 0; i < jobs; i += batch) {
  const count = Math.min(batch, jobs - i);
  await queue.addBulk(Array.from({ length: count }, () => ({ name: 'noop', data: {} })));
}
const enqueued = performance.now();

let completed = 0;
const drained = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`drain did not finish within ${limitMs} ms (${completed} done)`)), limitMs);
  const worker = new Worker('bench', async () => {}, { connection, concurrency });
  worker.on('completed', () => {
    if (++completed === jobs) {
      clearTimeout(timer);
      const at = performance.now();
      worker.close().then(() => resolve(at));
    }
  });
  worker.on('error', reject);
});

await queue.close();
const seconds = (a, b) => (b - a) / 1000;
console.log(JSON.stringify({
  jobs,
  batch,
  concurrency,
  enqueue_seconds: seconds(started, enqueued),
  drain_seconds: seconds(enqueued, drained),
  enqueue_jobs_per_second: jobs / seconds(started, enqueued),
  drain_jobs_per_second: jobs / seconds(enqueued, drained),
  jobs_per_second: jobs / seconds(started, drained),
}));
process.exit(0);

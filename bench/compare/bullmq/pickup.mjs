// The BullMQ side of the pickup figure in bench/compare/perjob.sh: one producer adds single jobs at RATE jobs/s
// (open loop, each carrying its send time) while one Worker (CONCURRENCY) waits; the worker times add() call →
// handler start. WARMUP_SECONDS at the same rate first, not measured. Prints one JSON line with p50/p99 in ms.
import { Queue, Worker } from 'bullmq';

const rate = Number(process.env.RATE ?? 200);
const seconds = Number(process.env.SECONDS ?? 10);
const warmupSeconds = Number(process.env.WARMUP_SECONDS ?? 5);
const concurrency = Number(process.env.CONCURRENCY ?? 32);
const connection = { host: '127.0.0.1', port: Number(process.env.REDIS_PORT) };

async function offer(name, count) {
  const queue = new Queue(name, { connection });
  await queue.waitUntilReady();
  const samples = [];
  let done = 0;
  let finished;
  const all = new Promise((resolve) => (finished = resolve));
  const worker = new Worker(name, async (job) => {
    samples.push(performance.now() - job.data.t);
    if (++done === count) finished();
  }, { connection, concurrency });
  await worker.waitUntilReady();
  const start = performance.now();
  const adds = [];
  for (let i = 0; i < count; i++) {
    // Open loop: the i-th add goes at start + i/rate, whether or not the earlier ones were answered.
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    adds.push(queue.add('noop', { t: performance.now() }));
  }
  await Promise.all(adds);
  await all;
  await worker.close();
  await queue.close();
  return samples.sort((a, b) => a - b);
}

const at = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
if (warmupSeconds > 0) await offer('pickup-warmup', rate * warmupSeconds);
const samples = await offer('pickup', rate * seconds);
console.log(JSON.stringify({ rate, jobs: samples.length, concurrency, pickup_p50_ms: at(samples, 0.5), pickup_p99_ms: at(samples, 0.99) }));
process.exit(0);

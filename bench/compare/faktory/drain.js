// The Faktory side of bench/compare/perjob.sh: JOBS no-op jobs enqueued in batches over Conveyor's HTTP API, then
// drained by the official Node client (`faktory-worker` Worker, CONCURRENCY jobs at once, its defaults otherwise)
// through Conveyor's Faktory port. WARMUP jobs go the same way first on a queue of their own, not measured.
// Prints one JSON line: drain jobs/s, and the server's fsyncs per job over the drain (GET /v1/stats).
// Env: CONVEYOR_HTTP (base URL), FAKTORY_PORT, JOBS, WARMUP, CONCURRENCY, LIMIT_SECONDS.
"use strict";
const { Worker } = require("faktory-worker");

const http = process.env.CONVEYOR_HTTP;
const port = Number(process.env.FAKTORY_PORT);
const jobs = Number(process.env.JOBS ?? 50000);
const warmup = Number(process.env.WARMUP ?? 0);
const concurrency = Number(process.env.CONCURRENCY ?? 32);
const limitMs = Number(process.env.LIMIT_SECONDS ?? 300) * 1000;

async function api(method, path, body) {
  const response = await fetch(new URL(path, http), {
    method,
    headers: body ? { "content-type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function enqueue(queue, count) {
  for (let i = 0; i < count; i += 1000) {
    const n = Math.min(1000, count - i);
    await api("POST", "v1/jobs/batch", { jobs: Array.from({ length: n }, () => ({ type: "bench.noop", queue, args: [] })) });
  }
}

// Resolves with the time the last job's ACK was answered.
async function drain(queue, count) {
  let done = 0;
  const worker = new Worker({ host: "127.0.0.1", port, concurrency, queues: [queue], registry: { "bench.noop": async () => {} } });
  let finished;
  const all = new Promise((resolve) => (finished = resolve));
  // Counted as the handler returns; the ACK follows, so the end waits for the last handle() (which ACKs) to leave `working`.
  worker.use(async (_ctx, next) => {
    await next();
    if (++done === count) finished();
  });
  const timer = setTimeout(() => { console.error(`${queue}: drain did not finish within ${limitMs} ms (${done} done)`); process.exit(1); }, limitMs);
  await worker.work();
  await all;
  while (worker.working.size > 0) await new Promise((resolve) => setImmediate(resolve));
  const at = performance.now();
  clearTimeout(timer);
  await worker.stop();
  return at;
}

async function main() {
  if (warmup > 0) {
    await enqueue("perjob-faktory-warmup", warmup);
    await drain("perjob-faktory-warmup", warmup);
  }
  await enqueue("perjob-faktory", jobs);
  const before = await api("GET", "v1/stats");
  const started = performance.now();
  const ended = await drain("perjob-faktory", jobs);
  const after = await api("GET", "v1/stats");
  const seconds = (ended - started) / 1000;
  const fsyncs = before.storage && after.storage ? after.storage.fsyncs - before.storage.fsyncs : null;
  console.log(JSON.stringify({ jobs, warmup, concurrency, drain_seconds: seconds, drain_jobs_per_second: jobs / seconds, fsyncs_per_job: fsyncs === null ? null : fsyncs / jobs }));
  process.exit(0);
}

main().catch((e) => { console.error(e); process.exit(1); });

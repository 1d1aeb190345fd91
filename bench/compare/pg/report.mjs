// Reads the results directory of bench/compare/postgres.sh and prints the side-by-side table, the ratios against the
// targets (issue 24 item 6), and one JSON line with every figure.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
const read = (f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8'));
const exists = (f) => readdirSync(dir).includes(f);
const mib = 1024 * 1024;

// A Conveyor phase: the bench rows of each node's client and the cluster's cost. With two nodes the clients start at once,
// and the rate is all their jobs over the slower client's time (a lower bound: they overlap at most that long).
function conveyor(name, rowPrefix) {
  const nodes = readdirSync(dir).filter((f) => f.startsWith(`${name}-node`)).sort();
  const rows = nodes.map((f) => read(f).rows.find((r) => r.name.startsWith(rowPrefix)));
  const jobs = rows.reduce((s, r) => s + r.jobs, 0);
  const before = read(`${name}.before`), after = read(`${name}.after`);
  const cpu = after.cpu_seconds - before.cpu_seconds, wal = after.wal - before.wal;
  const added = read(`${name}.size-after`).bytes - read(`${name}.size-before`).bytes;
  return {
    jobs, jobs_per_second: jobs / Math.max(...rows.map((r) => r.seconds)), p50_ms: rows[0].p50_ms,
    pg_cpu_ms_per_1k_jobs: (cpu * 1e6) / jobs, wal_bytes_per_job: wal / jobs, schema_bytes_added: added,
  };
}
const figure = (f, prefix) => read(f).figures.find((x) => x.name.startsWith(prefix)).value;

const peers = Object.fromEntries(readdirSync(dir).filter((f) => /^(graphile|pgboss)-.*\.json$/.test(f)).map((f) => [f.slice(0, -5), read(f)]));
const graphileE2e = Object.entries(peers).filter(([k]) => k.startsWith('graphile-e2e-'));
const [bestKey, bestGraphile] = graphileE2e.reduce((a, b) => (b[1].jobs_per_second > a[1].jobs_per_second ? b : a));
const c = {
  enqueue1: conveyor('enqueue-1', 'enqueue: batches'),
  enqueue2: exists('enqueue-2.after') ? conveyor('enqueue-2', 'enqueue: batches') : null,
  http1: conveyor('e2e-http-1', 'e2e drain'),
  grpc1: conveyor('e2e-grpc-1', 'e2e drain'),
  http2: exists('e2e-http-2.after') ? conveyor('e2e-http-2', 'e2e drain') : null,
  single1: conveyor('single-1', 'enqueue: single'),
  single2: exists('single-2.after') ? conveyor('single-2', 'enqueue: single') : null,
  pickup: { p50_ms: figure('pickup-1-node1.json', 'pickup p50'), p99_ms: figure('pickup-1-node1.json', 'pickup p99') },
};

const fmt = (n, d = 0) => (n === null || n === undefined || Number.isNaN(n) ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));
const line = (label, r) => [label, fmt(r.jobs_per_second), fmt(r.pg_cpu_ms_per_1k_jobs), fmt(r.wal_bytes_per_job)];
const rows = [['phase / system', 'jobs/s', 'PG CPU ms/1k jobs', 'WAL B/job']];
rows.push(['batched enqueue (' + c.enqueue1.jobs.toLocaleString('en-US') + ' jobs)', '', '', '']);
rows.push(line('  Conveyor, 1 node, POST /v1/jobs/batch', c.enqueue1));
if (c.enqueue2) rows.push(line('  Conveyor, 2 nodes', c.enqueue2));
rows.push(line('  graphile-worker addJobs', peers['graphile-enqueue']));
rows.push(line('  pg-boss insert', peers['pgboss-enqueue']));
rows.push(['end-to-end drain (jobs/s: drain; cost: enqueue + drain)', '', '', '']);
rows.push(line('  Conveyor, 1 node, HTTP batch drain', c.http1));
rows.push(line('  Conveyor, 1 node, gRPC Work streams', c.grpc1));
if (c.http2) rows.push(line('  Conveyor, 2 nodes, HTTP batch drain', c.http2));
for (const [k, r] of graphileE2e) rows.push(line(`  graphile-worker c${r.concurrency} localQueue ${r.local_queue} batchDelay ${r.complete_delay_ms}`, r));
rows.push(line(`  pg-boss work batchSize ${peers['pgboss-e2e'].batch_size} x${peers['pgboss-e2e'].local_concurrency}, burstWhenBatchFull`, peers['pgboss-e2e']));
rows.push(['per-job durable enqueue (one job per call)', '', '', '']);
rows.push(line(`  Conveyor, 1 node, POST /v1/jobs x${read('single-1-node1.json').rows[0].name.match(/(\d+) in flight/)?.[1] ?? '?'}`, c.single1));
if (c.single2) rows.push(line('  Conveyor, 2 nodes', c.single2));
rows.push(line(`  pg-boss send x${peers['pgboss-send'].producers}`, peers['pgboss-send']));
const widths = rows[0].map((_, i) => Math.max(...rows.map((l) => l[i].length)));
for (const l of rows) console.log(l.map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  '));

const retained = Object.fromEntries(['conveyor', 'pgboss'].map((s) => [s, read(`retained-${s}.size`)]));
const perMillion = (r) => (r.rows > 0 ? fmt((r.bytes / r.rows) * 1e6 / mib) + ' MiB' : 'n/a');
console.log(`finished jobs kept, table + indexes per 1M: Conveyor (jobs_done) ${perMillion(retained.conveyor)}; pg-boss (job) ${perMillion(retained.pgboss)}; graphile-worker deletes completed jobs`);
const pk = (r) => `p50 ${fmt(r.pickup_p50_ms ?? r.p50_ms, 2)} ms, p99 ${fmt(r.pickup_p99_ms ?? r.p99_ms, 2)} ms`;
console.log(`pickup at ${peers['graphile-pickup'].rate} jobs/s: Conveyor gRPC ${pk(c.pickup)}; graphile-worker ${pk(peers['graphile-pickup'])}; pg-boss (notify) ${pk(peers['pgboss-pickup'])}`);

const bestConveyorE2e = Math.max(c.http1.jobs_per_second, c.grpc1.jobs_per_second, c.http2?.jobs_per_second ?? 0);
const bestEnqueue = Math.max(c.enqueue1.jobs_per_second, c.enqueue2?.jobs_per_second ?? 0);
const bestSingle = Math.max(c.single1.jobs_per_second, c.single2?.jobs_per_second ?? 0);
const targets = [
  ['batched enqueue vs graphile addJobs', bestEnqueue / peers['graphile-enqueue'].jobs_per_second, 2, true],
  [`e2e drain vs graphile best (${bestKey.slice('graphile-e2e-'.length)})`, bestConveyorE2e / bestGraphile.jobs_per_second, 3, true],
  ['pickup p50 vs graphile (lower is better)', c.pickup.p50_ms / peers['graphile-pickup'].pickup_p50_ms, 1, false],
  ['per-job enqueue vs pg-boss send', bestSingle / peers['pgboss-send'].jobs_per_second, 1.5, true],
];
for (const [name, ratio, target, higher] of targets) {
  const met = higher ? ratio >= target : ratio <= target;
  console.log(`${name}: ${ratio.toFixed(2)}x (target ${higher ? '>=' : '<='} ${target}x) ${met ? 'met' : 'MISSED'}`);
}
console.log(JSON.stringify({ conveyor: c, peers, retained, targets: targets.map(([name, ratio, target]) => ({ name, ratio, target })) }));

#!/usr/bin/env bash
# Per-job paths, Conveyor vs BullMQ, side by side in one run (docs/performance.md): one job per fetch and per ack
# everywhere, 32 jobs in hand at most per system.
#   - BullMQ: one `Worker`, concurrency 32, Redis with its defaults (not durable), jobs added with addBulk;
#   - Conveyor (--durability sync, a fresh server per path):
#       HTTP: 32 worker loops, POST /v1/fetch max 1 + POST /v1/settle of that one job (`conveyor bench e2e -b 1`);
#       gRPC: STREAMS Work streams with 32 credits each, each job acked as it ends (`conveyor bench e2e --drain grpc`);
#       Faktory: the official Node client (`faktory-worker` 4.7.1 Worker, concurrency 32) on the Faktory port;
#   - pickup at RATE jobs/s, single enqueues: BullMQ's Worker vs Conveyor's gRPC Work stream (`conveyor bench latency`).
# Prints jobs/s of each drain and its ratio to BullMQ, then both pickup p50/p99s.
#
#   bench/compare/perjob.sh                 # 100,000 jobs per drain
#   JOBS=20000 WARMUP=20000 bench/compare/perjob.sh
#
# Knobs (environment): JOBS, WARMUP (jobs drained first on a queue of their own, default 50000), CONCURRENCY (32),
# STREAMS (gRPC Work streams, default 1: one worker process holding 32 jobs, as BullMQ's one Worker),
# RATE (200) / PICKUP_SECONDS (10), LIMIT_SECONDS (each phase's bound, default 300),
# CONVEYOR (a built `conveyor`, e.g. the Native AOT binary; default: dotnet build -c Release).
set -euo pipefail

JOBS=${JOBS:-100000}
WARMUP=${WARMUP:-50000}
CONCURRENCY=${CONCURRENCY:-32}
STREAMS=${STREAMS:-1}
RATE=${RATE:-200}
PICKUP_SECONDS=${PICKUP_SECONDS:-10}
LIMIT_SECONDS=${LIMIT_SECONDS:-300}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=$(mktemp -d -t conveyor-perjob-XXXXXX)
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# shellcheck source=lib.sh
source "$HERE/lib.sh"
ensure_redis_server
for dir in bullmq faktory; do
  # `npm install`, not `npm ci`: see run.sh.
  [ -d "$HERE/$dir/node_modules" ] || (cd "$HERE/$dir" && npm install --no-audit --no-fund --no-save >/dev/null)
done
if [ -z "${CONVEYOR:-}" ]; then
  dotnet build "$ROOT/src/Conveyor.Cli" -c Release -v quiet -nologo >/dev/null
  CONVEYOR="$ROOT/src/Conveyor.Cli/bin/Release/net10.0/conveyor"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Runs COMMAND... with a bound; the bench's own bounds should end it first.
bounded() { timeout --kill-after=10 "$(( LIMIT_SECONDS * 3 + 120 ))" "$@"; }

# BullMQ: a private Redis (127.0.0.1, free port, own dir, defaults), killed before Conveyor runs: a Redis left
# running would fork for its RDB snapshot in the middle of the next run.
redis_port=$(free_port)
mkdir -p "$WORK/redis"
redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$WORK/redis" --daemonize no --logfile "$WORK/redis/redis.log" </dev/null >/dev/null 2>&1 &
redis_pid=$!
PIDS+=("$redis_pid")
for _ in $(seq 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
echo "BullMQ: $JOBS jobs (after $WARMUP), Worker concurrency $CONCURRENCY; then pickup at $RATE/s for ${PICKUP_SECONDS}s" >&2
(cd "$HERE/bullmq" && JOBS=$JOBS WARMUP=$WARMUP BATCH=1000 CONCURRENCY=$CONCURRENCY REDIS_PORT=$redis_port LIMIT_SECONDS=$LIMIT_SECONDS bounded node bench.mjs) > "$WORK/bullmq.json"
(cd "$HERE/bullmq" && RATE=$RATE SECONDS=$PICKUP_SECONDS WARMUP_SECONDS=5 CONCURRENCY=$CONCURRENCY REDIS_PORT=$redis_port bounded node pickup.mjs) > "$WORK/bullmq-pickup.json"
kill "$redis_pid" 2>/dev/null || true
wait "$redis_pid" 2>/dev/null || true

common=(--jobs "$JOBS" --warmup-jobs "$WARMUP" --durability sync --duration "$LIMIT_SECONDS")
echo "Conveyor HTTP: $CONCURRENCY workers, fetch 1 / settle 1" >&2
bounded "$CONVEYOR" bench e2e "${common[@]}" --drain http --workers "$CONCURRENCY" --batch-size 1 --enqueue-batch-size 1000 --json "$WORK/http.json" >&2
echo "Conveyor gRPC: $STREAMS Work stream(s), $CONCURRENCY credits each" >&2
bounded "$CONVEYOR" bench e2e "${common[@]}" --drain grpc --workers "$STREAMS" --credits "$CONCURRENCY" --batch-size 1000 --json "$WORK/grpc.json" >&2
echo "Conveyor gRPC pickup: $RATE/s offered for ${PICKUP_SECONDS}s" >&2
bounded "$CONVEYOR" bench latency --durability sync --rate "$RATE" --duration "$PICKUP_SECONDS" --warmup 5 --drain grpc --workers "$STREAMS" --credits "$CONCURRENCY" --json "$WORK/grpc-pickup.json" >&2

echo "Conveyor Faktory: faktory-worker, concurrency $CONCURRENCY" >&2
http_port=$(free_port); faktory_port=$(free_port)
"$CONVEYOR" serve --data "$WORK/faktory-data" --bind 127.0.0.1 --http-port "$http_port" --faktory-port "$faktory_port" --grpc-port 0 --durability sync \
  </dev/null >"$WORK/serve.log" 2>&1 &
serve_pid=$!
PIDS+=("$serve_pid")
for _ in $(seq 600); do curl -fs "http://127.0.0.1:$http_port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
(cd "$HERE/faktory" && CONVEYOR_HTTP="http://127.0.0.1:$http_port/" FAKTORY_PORT=$faktory_port JOBS=$JOBS WARMUP=$WARMUP CONCURRENCY=$CONCURRENCY LIMIT_SECONDS=$LIMIT_SECONDS bounded node drain.js) > "$WORK/faktory.json"
kill "$serve_pid" 2>/dev/null || true
wait "$serve_pid" 2>/dev/null || true

node - "$WORK" <<'JS'
const fs = require('fs');
const path = require('path');
const dir = process.argv[2];
const read = f => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
const drainRow = f => read(f).rows.find(r => r.name.startsWith('e2e drain'));
const figure = (f, name) => read(f).figures.find(x => x.name.startsWith(name)).value;
const bull = read('bullmq.json'), bullPickup = read('bullmq-pickup.json'), faktory = read('faktory.json');
const http = drainRow('http.json'), grpc = drainRow('grpc.json');
const fmt = n => Math.round(n).toLocaleString('en-US');
const rows = [
  ['path (one job per fetch and ack, 32 in hand)', 'jobs/s', 'vs BullMQ', 'target'],
  ['BullMQ Worker c32 (Redis defaults)', fmt(bull.drain_jobs_per_second), '1.00x', ''],
  ['Conveyor HTTP, 32 workers, fetch 1 / settle 1', fmt(http.jobs_per_second), (http.jobs_per_second / bull.drain_jobs_per_second).toFixed(2) + 'x', '>= 2x'],
  ['Conveyor gRPC Work stream, credits 32', fmt(grpc.jobs_per_second), (grpc.jobs_per_second / bull.drain_jobs_per_second).toFixed(2) + 'x', '>= 4x'],
  ['Conveyor Faktory, faktory-worker c32', fmt(faktory.drain_jobs_per_second), (faktory.drain_jobs_per_second / bull.drain_jobs_per_second).toFixed(2) + 'x', '>= 1.5x'],
];
const widths = rows[0].map((_, i) => Math.max(...rows.map(l => l[i].length)));
for (const l of rows) console.log(l.map((c, i) => i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])).join('  '));
const p50 = figure('grpc-pickup.json', 'pickup p50'), p99 = figure('grpc-pickup.json', 'pickup p99');
console.log(`pickup at ${bullPickup.rate} jobs/s: BullMQ p50 ${bullPickup.pickup_p50_ms.toFixed(2)} ms, p99 ${bullPickup.pickup_p99_ms.toFixed(2)} ms; ` +
  `Conveyor gRPC p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms (target: p50 <= BullMQ's)`);
console.log(`Faktory path: ${faktory.fsyncs_per_job === null ? 'n/a' : faktory.fsyncs_per_job.toFixed(3)} fsyncs per job`);
console.log(JSON.stringify({ bullmq: bull, bullmq_pickup: bullPickup, http: http, grpc: grpc, grpc_pickup: { p50_ms: p50, p99_ms: p99 }, faktory }));
JS

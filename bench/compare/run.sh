#!/usr/bin/env bash
# Conveyor vs BullMQ, side by side on this machine, in one run (docs/performance.md):
# the same N no-op jobs enqueued in batches and drained, against BullMQ on a private Redis with its default
# persistence, and against a fresh Conveyor with --durability sync. Prints both figures and the ratio.
#
#   bench/compare/run.sh                 # 100,000 jobs
#   JOBS=1000000 bench/compare/run.sh    # the 1M target
#   AOF=1 bench/compare/run.sh           # also Redis with appendonly yes + appendfsync always (durable like sync)
#
# Knobs (environment): JOBS, BATCH (addBulk chunk = Conveyor batch = fetch max, default 1000),
# CONCURRENCY (BullMQ worker concurrency, default 50), WORKERS / PRODUCERS (Conveyor loops, default 4 / 2),
# WARMUP (jobs each side enqueues and drains on a queue of their own before measuring, default min(JOBS, 300000)),
# LIMIT_SECONDS (each side's bound, default 600), CONVEYOR (a built `conveyor`; default: dotnet build -c Release).
set -euo pipefail

JOBS=${JOBS:-100000}
BATCH=${BATCH:-1000}
CONCURRENCY=${CONCURRENCY:-50}
WORKERS=${WORKERS:-4}
PRODUCERS=${PRODUCERS:-2}
LIMIT_SECONDS=${LIMIT_SECONDS:-600}
WARMUP=${WARMUP:-$(( JOBS < 300000 ? JOBS : 300000 ))}
AOF=${AOF:-0}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=$(mktemp -d -t conveyor-compare-XXXXXX)
REDIS_PIDS=()

cleanup() {
  for pid in "${REDIS_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# shellcheck source=lib.sh
source "$HERE/lib.sh"
ensure_redis_server
if [ ! -d "$HERE/bullmq/node_modules/bullmq" ]; then
  # Not `npm ci`: npm 11 refuses a lock file that lacks msgpackr-extract's optional builds for other platforms,
  # which a registry mirror may not carry. `npm install` keeps the locked versions and installs what this machine needs.
  (cd "$HERE/bullmq" && npm install --no-audit --no-fund --no-save >/dev/null)
fi
if [ -z "${CONVEYOR:-}" ]; then
  dotnet build "$ROOT/src/Conveyor.Cli" -c Release -v quiet -nologo >/dev/null
  CONVEYOR="$ROOT/src/Conveyor.Cli/bin/Release/net10.0/conveyor"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Starts a private redis (127.0.0.1, free port, its own dir) with the extra arguments; sets REDIS_PORT.
# Not called in $(...): the background server would hold the substitution's pipe open forever.
start_redis() {
  local dir
  REDIS_PORT=$(free_port)
  dir="$WORK/redis-$REDIS_PORT"
  mkdir -p "$dir"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$dir" --daemonize no --logfile "$dir/redis.log" "$@" </dev/null >/dev/null 2>&1 &
  REDIS_PIDS+=($!)
  for _ in $(seq 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
}

run_bullmq() {
  local label=$1; shift
  start_redis "$@"
  echo "BullMQ ($label): $JOBS jobs (after $WARMUP to warm up), addBulk $BATCH, worker concurrency $CONCURRENCY, redis :$REDIS_PORT $*" >&2
  (cd "$HERE/bullmq" && JOBS=$JOBS WARMUP=$WARMUP BATCH=$BATCH CONCURRENCY=$CONCURRENCY REDIS_PORT=$REDIS_PORT LIMIT_SECONDS=$LIMIT_SECONDS node bench.mjs) > "$WORK/bullmq-$label.json"
  # Each system gets the machine to itself: a Redis left running would fork for its RDB snapshot
  # (its default `save` rules) in the middle of the next run.
  kill "${REDIS_PIDS[-1]}" 2>/dev/null || true
  wait "${REDIS_PIDS[-1]}" 2>/dev/null || true
}

run_bullmq defaults
if [ "$AOF" = 1 ]; then run_bullmq aof-always --appendonly yes --appendfsync always; fi

echo "Conveyor (--durability sync): $JOBS jobs (after $WARMUP to warm up), batches of $BATCH, $PRODUCERS producers, $WORKERS workers" >&2
"$CONVEYOR" bench e2e --jobs "$JOBS" --warmup-jobs "$WARMUP" --durability sync --batch-size "$BATCH" --producers "$PRODUCERS" --workers "$WORKERS" \
  --duration "$LIMIT_SECONDS" --json "$WORK/conveyor.json" >&2

node - "$WORK" <<'JS'
const fs = require('fs');
const path = require('path');
const dir = process.argv[2];
const conveyor = JSON.parse(fs.readFileSync(path.join(dir, 'conveyor.json'), 'utf8'));
const row = name => conveyor.rows.find(r => r.name.startsWith(name));
const enq = row('e2e enqueue'), drain = row('e2e drain'), total = row('e2e total');
const lines = [['system', 'jobs', 'enqueue jobs/s', 'drain jobs/s', 'end-to-end jobs/s', 'Conveyor / this']];
const fmt = n => Math.round(n).toLocaleString('en-US');
const bull = fs.readdirSync(dir).filter(f => f.startsWith('bullmq-')).sort();
lines.push(['Conveyor (sync)', fmt(total.jobs), fmt(enq.jobs_per_second), fmt(drain.jobs_per_second), fmt(total.jobs_per_second), '']);
for (const file of bull) {
  const b = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  const label = 'BullMQ, Redis ' + file.slice('bullmq-'.length, -'.json'.length);
  lines.push([label, fmt(b.jobs), fmt(b.enqueue_jobs_per_second), fmt(b.drain_jobs_per_second), fmt(b.jobs_per_second),
    (total.jobs_per_second / b.jobs_per_second).toFixed(2) + 'x']);
}
const widths = lines[0].map((_, i) => Math.max(...lines.map(l => l[i].length)));
for (const l of lines) console.log(l.map((c, i) => i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])).join('  '));
console.log(JSON.stringify({ conveyor: { jobs: total.jobs, jobs_per_second: total.jobs_per_second },
  bullmq: Object.fromEntries(bull.map(f => [f.slice(7, -5), JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))])) }));
JS

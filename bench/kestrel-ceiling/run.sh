#!/usr/bin/env bash
# The per-job HTTP ceiling (docs/performance.md, "Per-job HTTP: the ceiling"): the same `conveyor bench e2e` drain —
# 32 worker loops, POST /v1/fetch max 1 then POST /v1/settle of that job — against
#   ceiling  this folder's app: Kestrel with the same hosting, the same calls answered from memory, nothing durable;
#   sync     a child `conveyor serve --durability sync`;
#   none     a child `conveyor serve --durability none`;
#   bullmq   with BULLMQ=1: BullMQ's `Worker`, concurrency 32, on a fresh Redis with its defaults (bench/compare/bullmq);
# in turn, ROUNDS times (ceiling, sync, none[, bullmq], ceiling, ...), so a drift of the shared machine hits all alike.
# Prints per run the drain's jobs/s and the server's CPU per job, then each round's ratios.
#
#   bench/kestrel-ceiling/run.sh
#   ROUNDS=5 JOBS=60000 WARMUP=30000 BULLMQ=1 bench/kestrel-ceiling/run.sh
#
# Knobs (environment): ROUNDS (3), JOBS (50000), WARMUP (30000, drained first on a queue of their own), WORKERS (32),
# CONVEYOR (a built `conveyor`; default: dotnet build -c Release), CEILING (a built `kestrel-ceiling`; default: the
# same), PORT (5380), BULLMQ (0; 1 installs bench/compare/bullmq's npm packages if missing and needs redis-server).
# Binds 127.0.0.1 only.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
JOBS=${JOBS:-50000}
WARMUP=${WARMUP:-30000}
WORKERS=${WORKERS:-32}
PORT=${PORT:-5380}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=$(mktemp -d -t kestrel-ceiling-XXXXXX)
BULLMQ=${BULLMQ:-0}
CEILING_PID=
REDIS_PID=

cleanup() {
  [ -n "$CEILING_PID" ] && kill "$CEILING_PID" 2>/dev/null || true
  [ -n "$REDIS_PID" ] && kill "$REDIS_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -z "${CONVEYOR:-}" ]; then
  dotnet build "$ROOT/src/Conveyor.Cli" -c Release -v quiet -nologo >/dev/null
  CONVEYOR="$ROOT/src/Conveyor.Cli/bin/Release/net10.0/conveyor"
fi
if [ -z "${CEILING:-}" ]; then
  dotnet build "$HERE" -c Release -v quiet -nologo >/dev/null
  CEILING="$HERE/bin/Release/net10.0/kestrel-ceiling"
fi

if [ "$BULLMQ" = 1 ]; then
  [ -d "$ROOT/bench/compare/bullmq/node_modules" ] || (cd "$ROOT/bench/compare/bullmq" && npm install --no-audit --no-fund --no-save >/dev/null)
fi

bullmq() { # one BullMQ drain on a fresh Redis; prints its drain jobs/s
  local port=$((PORT + 1))
  rm -rf "$WORK/redis"; mkdir -p "$WORK/redis"
  redis-server --bind 127.0.0.1 --port "$port" --dir "$WORK/redis" --daemonize no --logfile "$WORK/redis/redis.log" </dev/null >/dev/null 2>&1 &
  REDIS_PID=$!
  for _ in $(seq 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  (cd "$ROOT/bench/compare/bullmq" && JOBS=$JOBS WARMUP=$WARMUP BATCH=1000 CONCURRENCY=$WORKERS REDIS_PORT=$port node bench.mjs) \
    | python3 -c 'import json, sys; print(round(json.load(sys.stdin)["drain_jobs_per_second"]))'
  kill "$REDIS_PID"; wait "$REDIS_PID" 2>/dev/null || true; REDIS_PID=
}

drain() { # NAME ARGS...: one bench run; prints "NAME jobs/s server-cpu-µs-per-job"
  local name=$1; shift
  "$CONVEYOR" bench e2e -w "$WORKERS" -b 1 --enqueue-batch-size 1000 -n "$JOBS" --warmup-jobs "$WARMUP" \
    --json "$WORK/$name.json" "$@" >"$WORK/$name.log" 2>&1 || { cat "$WORK/$name.log" >&2; return 1; }
  python3 - "$name" "$WORK/$name.json" <<'PY'
import json, sys
name, path = sys.argv[1], sys.argv[2]
doc = json.load(open(path))
rows = doc["rows"] if isinstance(doc, dict) and "rows" in doc else doc
row = next(r for r in rows if r.get("name", "").startswith("e2e drain"))
per_job = row["server_cpu_percent"] / 100 / row["jobs_per_second"] * 1e6 if row.get("server_cpu_percent") else float("nan")
print(f"{name} {row['jobs_per_second']:.0f} {per_job:.1f} {row.get('client_cpu_percent') or 0:.0f}")
PY
}

echo "round  server   drain-jobs/s  server-CPU-us/job  client-CPU-%"
for round in $(seq 1 "$ROUNDS"); do
  "$CEILING" "$PORT" >"$WORK/ceiling-server.log" 2>&1 &
  CEILING_PID=$!
  read -r _ c_rate c_cpu c_client < <(drain ceiling --server "http://127.0.0.1:$PORT/" --server-pid "$CEILING_PID")
  kill "$CEILING_PID"; wait "$CEILING_PID" 2>/dev/null || true; CEILING_PID=
  read -r _ s_rate s_cpu s_client < <(drain sync --durability sync)
  read -r _ n_rate n_cpu n_client < <(drain none --durability none)
  printf '%-6s %-8s %12s %18s %13s\n' "$round" ceiling "$c_rate" "$c_cpu" "$c_client" "$round" sync "$s_rate" "$s_cpu" "$s_client" "$round" none "$n_rate" "$n_cpu" "$n_client"
  python3 -c "import sys; c,s,n=map(float,sys.argv[1:]); print(f'       ratio to ceiling: sync {s/c:.2f}, none {n/c:.2f}')" "$c_rate" "$s_rate" "$n_rate"
  if [ "$BULLMQ" = 1 ]; then
    b_rate=$(bullmq)
    printf '%-6s %-8s %12s\n' "$round" bullmq "$b_rate"
    python3 -c "import sys; c,s,b=map(float,sys.argv[1:]); print(f'       ratio to BullMQ: ceiling {c/b:.2f}, sync {s/b:.2f}')" "$c_rate" "$s_rate" "$b_rate"
  fi
done

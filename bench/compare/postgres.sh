#!/usr/bin/env bash
# Conveyor on PostgreSQL vs graphile-worker 0.18 and pg-boss 12, side by side in one run on ONE throw-away cluster
# (docs/performance.md, "PostgreSQL peers"). The cluster: initdb in /tmp, 127.0.0.1 on a free port, shared_buffers
# $SHARED_BUFFERS, synchronous_commit on and fsync on (the defaults: every commit is durable), pg_stat_statements
# loaded; each system has a database of its own. Phases, each measured for jobs/s, the cluster's CPU (its processes,
# from /proc) and WAL bytes per job; at the end, table + index size per 1M finished jobs kept:
#   1. batched enqueue: Conveyor POST /v1/jobs/batch (BATCH jobs, PRODUCERS in flight) vs graphile addJobs vs pg-boss insert;
#   2. end-to-end (enqueue in batches, then drain): Conveyor HTTP batch drain and gRPC Work streams vs graphile-worker's
#      configurations in GRAPHILE_CONFIGS (the best one counts) vs pg-boss work() with batchSize + burstWhenBatchFull;
#   3. pickup at RATE jobs/s (LISTEN/NOTIFY paths): Conveyor gRPC vs graphile-worker (vs pg-boss with notify, for reference);
#   4. per-job durable enqueue, one job per call, SINGLE_PRODUCERS calls in flight: Conveyor POST /v1/jobs vs pg-boss send;
#   5. two Conveyor nodes on the same database: 1, 2 and 4 again with one bench client per node at once (sum of both).
# Prints a table and the ratios against the targets, then one JSON line with everything.
#
#   bench/compare/postgres.sh                      # 100,000 jobs per phase
#   JOBS=20000 bench/compare/postgres.sh           # a quick look
#
# Knobs (environment): JOBS, BATCH (1000), PRODUCERS (4), WORKERS (HTTP drain loops, 4), STREAMS (gRPC Work streams, 2),
# CREDITS (1000), SINGLE_JOBS (per-job phase, 10000), SINGLE_PRODUCERS (32), RATE (50) / PICKUP_SECONDS (10),
# GRAPHILE_CONFIGS ("concurrency:localQueue:completeDelay ..."), PGBOSS_BATCH_SIZE (1000), PGBOSS_CONCURRENCY (4),
# SHARED_BUFFERS (1GB), LIMIT_SECONDS (each phase's bound, 300), CONVEYOR (a built `conveyor`; default: dotnet build -c Release).
set -euo pipefail

JOBS=${JOBS:-100000}
BATCH=${BATCH:-1000}
PRODUCERS=${PRODUCERS:-4}
WORKERS=${WORKERS:-4}
STREAMS=${STREAMS:-2}
CREDITS=${CREDITS:-1000}
SINGLE_JOBS=${SINGLE_JOBS:-10000}
SINGLE_PRODUCERS=${SINGLE_PRODUCERS:-32}
RATE=${RATE:-50}
PICKUP_SECONDS=${PICKUP_SECONDS:-10}
GRAPHILE_CONFIGS=${GRAPHILE_CONFIGS:-"32:500:0 64:1000:0 128:2000:10"}
PGBOSS_BATCH_SIZE=${PGBOSS_BATCH_SIZE:-1000}
PGBOSS_CONCURRENCY=${PGBOSS_CONCURRENCY:-4}
SHARED_BUFFERS=${SHARED_BUFFERS:-1GB}
LIMIT_SECONDS=${LIMIT_SECONDS:-300}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=$(mktemp -d -t conveyor-pgpeers-XXXXXX)
RESULTS="$WORK/results"
PIDS=()
PG_BIN=""
PG_DATA="$WORK/pg/data"

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -f "$PG_DATA/postmaster.pid" ] && as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# shellcheck source=lib.sh
source "$HERE/lib.sh"
ensure_postgresql
PG_BIN=$(postgresql_bin)
# `npm install`, not `npm ci`: see run.sh (the lock file still pins every version).
[ -d "$HERE/pg/node_modules/graphile-worker" ] || (cd "$HERE/pg" && npm install --no-audit --no-fund --no-save >/dev/null 2>&1)
if [ -z "${CONVEYOR:-}" ]; then
  dotnet build "$ROOT/src/Conveyor.Cli" -c Release -v quiet -nologo >/dev/null
  CONVEYOR="$ROOT/src/Conveyor.Cli/bin/Release/net10.0/conveyor"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# Runs COMMAND... with a bound; the drivers' own bounds should end it first.
bounded() { timeout --kill-after=10 "$(( LIMIT_SECONDS * 2 + 120 ))" "$@"; }
# PostgreSQL refuses to run as root: as root the cluster belongs to the postgres user.
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# The cluster.
chmod 755 "$WORK"  # the postgres user must reach its data directory
mkdir -p "$WORK/pg" "$RESULTS"
[ "$(id -u)" -eq 0 ] && chown postgres "$WORK/pg"
PG_PORT=$(free_port)
as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 >/dev/null
as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -w -t 60 -l "$WORK/pg/log" -o "-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1 \
  -c shared_buffers=$SHARED_BUFFERS -c max_connections=300 -c max_wal_size=8GB -c shared_preload_libraries=pg_stat_statements" start >/dev/null
url() { echo "postgres://postgres@127.0.0.1:$PG_PORT/$1"; }
psql_admin() { psql -qAt -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "${DB:-postgres}" "$@"; }
for db in conveyor graphile pgboss; do psql_admin -c "CREATE DATABASE $db"; done
DB=conveyor psql_admin -c "CREATE EXTENSION pg_stat_statements"
export PG_PID PG_ADMIN CLK_TCK
PG_PID=$(head -1 "$PG_DATA/postmaster.pid")
PG_ADMIN=$(url postgres)
CLK_TCK=$(getconf CLK_TCK)
meter() { (cd "$HERE/pg" && node meter.mjs "$@"); }
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT, shared_buffers $SHARED_BUFFERS, synchronous_commit on; $(uptime)" >&2

# Peers: each driver prints one JSON line with its figures and what the phase cost the cluster.
graphile() { (cd "$HERE/pg" && DATABASE_URL=$(url graphile) LIMIT_SECONDS=$LIMIT_SECONDS bounded env "$@" node graphile.mjs); }
pgboss() { (cd "$HERE/pg" && DATABASE_URL=$(url pgboss) LIMIT_SECONDS=$LIMIT_SECONDS bounded env "$@" node pgboss.mjs); }

echo "graphile-worker: warm-up, addJobs $JOBS in chunks of $BATCH, e2e per configuration, pickup at $RATE/s" >&2
graphile MODE=e2e JOBS=$(( JOBS / 5 )) BATCH="$BATCH" LOCAL_QUEUE=500 COMPLETE_DELAY=0 >/dev/null
graphile MODE=enqueue JOBS="$JOBS" BATCH="$BATCH" > "$RESULTS/graphile-enqueue.json"
DB=graphile psql_admin -c "TRUNCATE graphile_worker._private_jobs CASCADE"
for config in $GRAPHILE_CONFIGS; do
  IFS=: read -r concurrency local_queue delay <<<"$config"
  graphile MODE=e2e JOBS="$JOBS" BATCH="$BATCH" CONCURRENCY="$concurrency" LOCAL_QUEUE="$local_queue" COMPLETE_DELAY="$delay" > "$RESULTS/graphile-e2e-$config.json"
done
graphile MODE=pickup RATE="$RATE" SECONDS="$PICKUP_SECONDS" CONCURRENCY=32 > "$RESULTS/graphile-pickup.json"

echo "pg-boss: warm-up, insert $JOBS in chunks of $BATCH, e2e (batchSize $PGBOSS_BATCH_SIZE x $PGBOSS_CONCURRENCY), send x$SINGLE_PRODUCERS, pickup" >&2
pgboss MODE=e2e JOBS=$(( JOBS / 5 )) BATCH="$BATCH" >/dev/null
pgboss MODE=enqueue JOBS="$JOBS" BATCH="$BATCH" > "$RESULTS/pgboss-enqueue.json"
pgboss MODE=e2e JOBS="$JOBS" BATCH="$BATCH" BATCH_SIZE="$PGBOSS_BATCH_SIZE" LOCAL_CONCURRENCY="$PGBOSS_CONCURRENCY" > "$RESULTS/pgboss-e2e.json"
pgboss MODE=send JOBS="$SINGLE_JOBS" PRODUCERS="$SINGLE_PRODUCERS" > "$RESULTS/pgboss-send.json"
pgboss MODE=pickup RATE="$RATE" SECONDS="$PICKUP_SECONDS" > "$RESULTS/pgboss-pickup.json"

# Conveyor: NODES servers on the same database. One bench client per node; the cluster is metered around them.
start_node() {
  local n=$1 http grpc
  http=$(free_port); grpc=$(free_port)
  "$CONVEYOR" serve --store postgres --postgres "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=conveyor;Maximum Pool Size=50" \
    --bind 127.0.0.1 --http-port "$http" --grpc-port "$grpc" --faktory-port 0 --keep-completed 100000000 </dev/null >"$WORK/node$n.log" 2>&1 &
  PIDS+=($!)
  eval "NODE${n}_PID=$! NODE${n}_HTTP=http://127.0.0.1:$http NODE${n}_GRPC=$grpc"
  for _ in $(seq 600); do curl -fs "http://127.0.0.1:$http/readyz" >/dev/null 2>&1 && return; sleep 0.1; done
  echo "node $n did not become ready: $(tail -5 "$WORK/node$n.log")" >&2; exit 1
}
bench_on() { # NODE MODE ARGS...: conveyor bench against node NODE
  local n=$1 mode=$2; shift 2
  local http="NODE${n}_HTTP" grpc="NODE${n}_GRPC" pid="NODE${n}_PID"
  local extra=()
  [ "$mode" != enqueue ] && extra+=(--grpc-port "${!grpc}")
  [ "$mode" != latency ] && extra+=(--duration "$LIMIT_SECONDS")  # latency's --duration is how long it offers load
  bounded "$CONVEYOR" bench "$mode" --server "${!http}" --server-pid "${!pid}" "${extra[@]}" "$@" >/dev/null
}
conveyor_phase() { # NAME NODES MODE ARGS...: runs the bench on NODES nodes at once, metered; each writes NAME-nodeN.json
  local name=$1 nodes=$2 mode=$3; shift 3
  meter size "$(url conveyor)" conveyor > "$RESULTS/$name.size-before"
  meter > "$RESULTS/$name.before"
  local pids=()
  for n in $(seq "$nodes"); do bench_on "$n" "$mode" "$@" --json "$RESULTS/$name-node$n.json" & pids+=($!); done
  for pid in "${pids[@]}"; do wait "$pid"; done
  meter > "$RESULTS/$name.after"
  meter size "$(url conveyor)" conveyor > "$RESULTS/$name.size-after"
}

# The jobs an enqueue phase leaves available go before the next phase: each node's metrics sampler counts the hot
# table's states every few seconds, which would bill the leftovers to the phase after.
clear_conveyor() { DB=conveyor psql_admin -c "DELETE FROM conveyor.jobs WHERE state = 2" -c "VACUUM conveyor.jobs"; }

start_node 1
echo "Conveyor, one node: warm-up, batched enqueue, e2e (HTTP, gRPC), pickup, per-job enqueue" >&2
bench_on 1 e2e --jobs $(( JOBS / 5 )) --warmup-jobs 0 --batch-size "$BATCH" --workers "$WORKERS"
conveyor_phase enqueue-1 1 enqueue --variant batched --jobs "$JOBS" --batch-size "$BATCH" --producers "$PRODUCERS" --warmup-jobs 0 --fsync-probe-seconds 0
clear_conveyor
conveyor_phase e2e-http-1 1 e2e --jobs "$JOBS" --warmup-jobs 0 --batch-size "$BATCH" --producers "$PRODUCERS" --workers "$WORKERS"
conveyor_phase e2e-grpc-1 1 e2e --jobs "$JOBS" --warmup-jobs 0 --batch-size "$BATCH" --producers "$PRODUCERS" --drain grpc --workers "$STREAMS" --credits "$CREDITS"
conveyor_phase pickup-1 1 latency --rate "$RATE" --warmup 2 --fsync-probe-seconds 0 --drain grpc --workers 1 --credits 32 --duration "$PICKUP_SECONDS"
conveyor_phase single-1 1 enqueue --variant concurrent --jobs "$SINGLE_JOBS" --concurrency "$SINGLE_PRODUCERS" --warmup-jobs 0 --fsync-probe-seconds 0
DB=conveyor psql_admin -F $'\t' -c "SELECT calls, round(total_exec_time)::bigint, rows, left(regexp_replace(query, '\s+', ' ', 'g'), 160)
  FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'conveyor') ORDER BY total_exec_time DESC LIMIT 8" > "$RESULTS/top-statements.tsv"

start_node 2
echo "Conveyor, two nodes (one bench client each, at once): batched enqueue, e2e (HTTP), per-job enqueue" >&2
bench_on 2 e2e --jobs $(( JOBS / 5 )) --warmup-jobs 0 --batch-size "$BATCH" --workers "$WORKERS"
conveyor_phase enqueue-2 2 enqueue --variant batched --jobs $(( JOBS / 2 )) --batch-size "$BATCH" --producers $(( (PRODUCERS + 1) / 2 )) --warmup-jobs 0 --fsync-probe-seconds 0
clear_conveyor
conveyor_phase e2e-http-2 2 e2e --jobs $(( JOBS / 2 )) --warmup-jobs 0 --batch-size "$BATCH" --producers $(( (PRODUCERS + 1) / 2 )) --workers $(( (WORKERS + 1) / 2 ))
clear_conveyor
conveyor_phase single-2 2 enqueue --variant concurrent --jobs $(( SINGLE_JOBS / 2 )) --concurrency $(( SINGLE_PRODUCERS / 2 )) --warmup-jobs 0 --fsync-probe-seconds 0

# Finished jobs kept, table + indexes per 1M (Conveyor's jobs_done with retention raised above; pg-boss keeps completed
# jobs in its job table for days by default; graphile-worker deletes a job when it completes).
retained() { # DATABASE TABLE
  DB=$1 psql_admin -c "SELECT json_build_object('bytes',
    coalesce((SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('$2')), pg_total_relation_size('$2')),
    'rows', (SELECT count(*) FROM $2))"
}
retained conveyor conveyor.jobs_done > "$RESULTS/retained-conveyor.size"
retained pgboss pgboss.job > "$RESULTS/retained-pgboss.size"

echo "top statements in Conveyor's database (calls, total ms, rows, statement):" >&2
cat "$RESULTS/top-statements.tsv" >&2
(cd "$HERE/pg" && node report.mjs "$RESULTS")

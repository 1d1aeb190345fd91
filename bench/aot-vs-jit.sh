#!/usr/bin/env bash
# The Native AOT build and the JIT build side by side, in one session (docs/performance.md, "Native AOT and JIT
# builds"). Builds are alternated run by run, because this kind of VM's speed drifts over minutes.
#
#   bench/aot-vs-jit.sh AOT_DIR JIT_DIR [STARTS] [ROUNDS]
#
# AOT_DIR: dotnet publish src/Conveyor.Cli -c Release -r linux-x64 -p:PublishAot=true -o AOT_DIR
# JIT_DIR: dotnet publish src/Conveyor.Cli -c Release -o JIT_DIR    (framework-dependent, no ReadyToRun)
#
# For each build: publish size; STARTS (10) starts on a fresh data directory timed from launch to the first
# GET /readyz 200, and the RSS 3 s after ready; then ROUNDS (2) rounds of bench memory (1M jobs held), bench
# e2e and bench enqueue --variant single against a server this script starts. The load generator is always the
# JIT build's `conveyor bench` (--server/--server-pid), so only the server differs. Needs bash 5, curl, jq.
set -euo pipefail
aot_dir=${1:?AOT_DIR}
jit_dir=${2:?JIT_DIR}
starts=${3:-10}
rounds=${4:-2}
aot_dir=$(cd "$aot_dir" && pwd)
jit_dir=$(cd "$jit_dir" && pwd)
[ -x "$aot_dir/conveyor" ] && [ ! -e "$aot_dir/conveyor.dll" ] || { echo "$aot_dir is not an AOT publish" >&2; exit 1; }
[ -e "$jit_dir/conveyor.dll" ] || { echo "$jit_dir is not a JIT publish" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/conveyor-aot-vs-jit.XXXXXX")
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; wait "$pid" 2>/dev/null || true; fi
  exec 5>&- 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A 2 ms pause without forking `sleep` (which would compete with the starting server): a read that times out.
mkfifo "$work/pause"
exec 5<>"$work/pause"
pause() { read -r -t 0.002 -u 5 _ || true; }

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

# GET /readyz over bash's own /dev/tcp: no curl process per poll.
ready() { # port
  local line
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
  IFS= read -r -t 2 line <&3 || line=
  exec 3>&-
  [[ $line == "HTTP/1.1 200"* ]]
}

binary() { case $1 in aot) echo "$aot_dir/conveyor" ;; jit) echo "$jit_dir/conveyor" ;; esac; }

# Starts a server of build $1 on a fresh data directory; sets pid, port, ready_ms.
start() {
  local data t0 t1
  data=$(mktemp -d "$work/data.XXXXXX")
  port=$(free_port)
  t0=$EPOCHREALTIME
  Logging__LogLevel__Default=Warning Logging__LogLevel__Conveyor=Information \
    "$(binary "$1")" serve --data "$data" --bind 127.0.0.1 --http-port "$port" --faktory-port "$(free_port)" --grpc-port 0 \
    >"$work/server.log" 2>&1 &
  pid=$!
  until ready "$port"; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/server.log" >&2; echo "the $1 server exited" >&2; exit 1; }
    pause
  done
  t1=$EPOCHREALTIME
  ready_ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) * 1000 }')
}

stop() {
  kill -TERM "$pid"
  local rc=0
  wait "$pid" || rc=$?
  [ "$rc" -eq 0 ] || { echo "the server exited $rc after SIGTERM" >&2; exit 1; }
  pid=
  rm -rf "$work"/data.*
}

rss_mb() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
median() { sort -g | awk '{ v[NR] = $1 } END { printf "%.1f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(. /etc/os-release && echo "$PRETTY_NAME")"
echo "## size"
echo "aot: binary $(du -b "$aot_dir/conveyor" | awk '{ printf "%.1f MB", $1 / 1e6 }')" \
  "(publish folder without .dbg/.pdb/.xml: $(find "$aot_dir" -type f ! -name '*.dbg' ! -name '*.pdb' ! -name '*.xml' -printf '%s\n' | awk '{ s += $1 } END { printf "%.1f MB", s / 1e6 }'))"
echo "jit: publish folder $(find "$jit_dir" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%.1f MB", s / 1e6 }')" \
  "(without .pdb/.xml: $(find "$jit_dir" -type f ! -name '*.pdb' ! -name '*.xml' -printf '%s\n' | awk '{ s += $1 } END { printf "%.1f MB", s / 1e6 }'))," \
  "plus the shared runtime it needs: $(dotnet --list-runtimes | awk '$1 ~ /^Microsoft\.(NETCore|AspNetCore)\.App$/ { last[$1] = $3 "/" $2 } END { for (n in last) print last[n] }' | tr -d '[]' | xargs du -sbc | tail -n 1 | awk '{ printf "%.1f MB", $1 / 1e6 }') (Microsoft.NETCore.App + Microsoft.AspNetCore.App)"

echo "## start to /readyz 200, and RSS 3 s after ready ($starts starts each, alternating)"
: >"$work/starts"
for i in $(seq 1 "$starts"); do
  order="aot jit"
  [ $((i % 2)) -eq 0 ] && order="jit aot"
  for b in $order; do
    start "$b"
    sleep 3
    rss=$(rss_mb "$pid")
    stop
    echo "$b $ready_ms $rss" | tee -a "$work/starts"
  done
done
for b in aot jit; do
  echo "$b: ready median $(awk -v b="$b" '$1 == b { print $2 }' "$work/starts" | median) ms" \
    "(min $(awk -v b="$b" '$1 == b { print $2 }' "$work/starts" | sort -g | head -n 1)," \
    "max $(awk -v b="$b" '$1 == b { print $2 }' "$work/starts" | sort -g | tail -n 1))," \
    "idle RSS median $(awk -v b="$b" '$1 == b { print $3 }' "$work/starts" | median) MB"
done

# One bench run against a fresh server of build $1; prints the figures that matter for mode $2.
bench() { # build mode args...
  local b=$1 mode=$2
  shift 2
  start "$b"
  dotnet "$jit_dir/conveyor.dll" bench "$mode" "$@" --server "http://127.0.0.1:$port/" --server-pid "$pid" \
    --json "$work/report.json" >"$work/bench.log" 2>&1 || { cat "$work/bench.log" >&2; exit 1; }
  stop
  case $mode in
    memory)
      jq -r --arg b "$b" '"\($b) memory: RSS idle \(.figures[] | select(.name | startswith("server RSS before")) | .value | . * 10 | round / 10) MiB, with the jobs \(.figures[] | select(.name == "server RSS with the jobs") | .value | . * 10 | round / 10) MiB, \(.figures[] | select(.name | startswith("bytes per available job")) | .value | round) B/job, enqueue \(.rows[0].jobs_per_second | round) jobs/s"' "$work/report.json" ;;
    *)
      jq -r --arg b "$b" --arg m "$mode" '.rows[] | select(.jobs_per_second != null) | "\($b) \($m): \(.name): \(.jobs_per_second | round) jobs/s, p50 \(.p50_ms // "-") ms, p99 \(.p99_ms // "-") ms, server CPU \(.server_cpu_percent // "-") %"' "$work/report.json" ;;
  esac
}

echo "## throughput and memory ($rounds rounds, alternating)"
for r in $(seq 1 "$rounds"); do
  order="aot jit"
  [ $((r % 2)) -eq 0 ] && order="jit aot"
  for b in $order; do bench "$b" memory -n 1000000; done
  for b in $order; do bench "$b" e2e -n 200000 --warmup-jobs 100000; done
  for b in $order; do bench "$b" enqueue --variant single -n 10000 --fsync-probe-seconds 0 --warmup-jobs 20000; done
done

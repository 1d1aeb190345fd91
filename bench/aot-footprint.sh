#!/usr/bin/env bash
# Start-up footprint of Native AOT binaries side by side (docs/performance.md, "Footprint: size, start, idle RSS"):
# the start loop of bench/aot-vs-jit.sh, for any number of binaries, alternated start by start.
#
#   bench/aot-footprint.sh STARTS BINARY...
#
# Per start, on a fresh data directory: ms from launch to the first GET /readyz 200, the CPU time the process used
# until then (all its threads, /proc/PID/task/*/schedstat: does not depend on how busy the machine is), and RSS
# 3 s after ready, split into anonymous and file-backed (pages of the binary). Ends with the medians per binary.
set -euo pipefail
n=$1; shift
bins=("$@")
work=$(mktemp -d "${TMPDIR:-/tmp}/conveyor-footprint.XXXXXX")
pid=
cleanup() { if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi; exec 5>&- 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
mkfifo "$work/pause"; : >"$work/starts"; exec 5<>"$work/pause"
pause() { read -r -t 0.002 -u 5 _ || true; }
free_port() { local port; while :; do port=$((20000 + RANDOM % 40000)); (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }; done; }
ready() { local line; { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
  IFS= read -r -t 2 line <&3 || line=; exec 3>&-; [[ $line == "HTTP/1.1 200"* ]]; }
for i in $(seq 1 "$n"); do
  order=("${bins[@]}"); [ $((i % 2)) -eq 0 ] && order=($(printf '%s\n' "${bins[@]}" | tac))
  for b in "${order[@]}"; do
    data=$(mktemp -d "$work/data.XXXXXX"); port=$(free_port); fport=$(free_port)
    t0=$EPOCHREALTIME
    Logging__LogLevel__Default=Warning Logging__LogLevel__Conveyor=Information \
      "$b" serve --data "$data" --bind 127.0.0.1 --http-port "$port" --faktory-port "$fport" --grpc-port 0 >"$work/server.log" 2>&1 &
    pid=$!
    until ready "$port"; do kill -0 "$pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }; pause; done
    t1=$EPOCHREALTIME
    cpu=$(cat /proc/$pid/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%.1f", s / 1e6 }')
    sleep 3
    rss=$(awk '/^VmRSS:/ {r=$2} /^RssAnon:/ {a=$2} /^RssFile:/ {f=$2} END { printf "%.1f %.1f %.1f", r/1024, a/1024, f/1024 }' /proc/$pid/status)
    kill -TERM "$pid"; wait "$pid"; pid=
    rm -rf "$data"
    echo "$b cpu $cpu $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) * 1000 }') $rss $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$work/starts"
  done
done
med() { sort -g | awk '{ v[NR] = $1 } END { printf "%.1f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -v b="$1" -v c="$2" '$1 == b { print $c }' "$work/starts"; }
for b in "${bins[@]}"; do
  echo "$b: $(du -b "$b" | awk '{ printf "%.1f MB", $1 / 1e6 }'), ready median $(col "$b" 4 | med) ms" \
    "(min $(col "$b" 4 | sort -g | head -n 1), max $(col "$b" 4 | sort -g | tail -n 1)), CPU to ready $(col "$b" 3 | med) ms," \
    "RSS $(col "$b" 5 | med) MiB (anonymous $(col "$b" 6 | med), file $(col "$b" 7 | med))"
done

#!/usr/bin/env bash
# The dashboard's reads with many jobs (docs/dashboard.md, "Speed with many jobs"): fills a fresh server with JOBS jobs
# (default 1,000,000: 1 in 1,000 dead, the rest completed or available), then times each call a dashboard page makes,
# ROUNDS times (default 100), and prints p50 / p95 / max in ms per page.
#
#   bench/dashboard-lists.sh CONVEYOR_BINARY [JOBS] [ROUNDS]
#
# A load, not a test: run it on a quiet machine. Needs curl and python3.
set -euo pipefail
bin=$1; jobs=${2:-1000000}; rounds=${3:-100}
work=$(mktemp -d "${TMPDIR:-/tmp}/conveyor-dashboard-bench.XXXXXX")
pid=
cleanup() { if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" || true; fi; rm -rf "$work"; }
trap cleanup EXIT
port=$((20000 + RANDOM % 40000))
# Completed jobs are kept (the default keeps 100,000 for an hour), so the store really holds all of them.
"$bin" serve --data "$work/data" --bind 127.0.0.1 --http-port "$port" --faktory-port 0 --durability none \
  --keep-completed "$((jobs * 2))" --keep-completed-seconds 604800 >"$work/server.log" 2>&1 &
pid=$!
url="http://127.0.0.1:$port"
until curl -sf "$url/readyz" >/dev/null; do kill -0 "$pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }; sleep 0.1; done

post() { curl -sf -o /dev/null -H 'content-type: application/json' --data-binary @- "$url$1"; }
batch=10000
echo "filling $jobs jobs..."
for ((done = 0; done < jobs; done += batch)); do
  if (( done % 100000 == 0 )); then echo "  $done"; fi
  python3 -c "import json,sys; n=$batch; o=$done; print(json.dumps({'jobs':[{'type':'t%d' % (i % 7),'queue':'doomed' if (o+i) % 1000 == 0 else 'q%d' % (i % 5),'max_attempts':1,'tags':['bench']} for i in range(n)]}))" | post /v1/jobs/batch
done
# Workers: complete most of q0..q4, and fail every job of "doomed" so it ends dead.
drain() { local queue=$1 verb=$2 n; while :; do
  curl -sf -H 'content-type: application/json' -d "{\"queues\":[\"$queue\"],\"max\":1000}" "$url/v1/fetch" >"$work/leased.json"
  n=$(python3 -c "import json; print(len(json.load(open('$work/leased.json'))['jobs']))"); [ "$n" -eq 0 ] && break
  python3 -c "import json; j=json.load(open('$work/leased.json'))['jobs']; print(json.dumps({'$verb':[{'id':x['id'],'token':x['lease']['token']} for x in j]}))" | post /v1/settle
done; }
drain doomed fail
for q in q0 q1 q2 q3; do drain "$q" ack; done
curl -sf "$url/v1/stats" | python3 -c "import json,sys; print('counts', json.load(sys.stdin)['counts'])"

time_page() { local name=$1; shift; : >"$work/times"
  for ((i = 0; i < rounds; i++)); do for path in "$@"; do curl -s -o /dev/null -w '%{time_total}\n' "$url$path" >>"$work/times.one"; done
    awk '{ s += $1 } END { print s * 1000 }' "$work/times.one" >>"$work/times"; rm "$work/times.one"; done
  sort -n "$work/times" | awk -v name="$name" '{ a[NR] = $1 } END { printf "%-28s p50 %6.1f ms  p95 %6.1f ms  max %6.1f ms\n", name, a[int(NR*0.5)], a[int(NR*0.95)], a[NR] }'; }
time_page "overview" /v1/stats "/v1/dashboard/live?after=0" "/v1/queues?limit=100"
time_page "jobs: all" "/v1/jobs?limit=50"
time_page "jobs: dead (sparse)" "/v1/jobs?state=dead&limit=50"
time_page "jobs: available" "/v1/jobs?state=available&limit=50"
time_page "jobs: dead in queue" "/v1/jobs?state=dead&queue=doomed&limit=50"
time_page "jobs: completed, type" "/v1/jobs?state=completed&type=t3&limit=50"
time_page "queues" "/v1/queues?limit=100"
time_page "history 24h" "/v1/dashboard/history?range=24h"
time_page "history 7d, one queue" "/v1/dashboard/history?range=7d&queue=q1"

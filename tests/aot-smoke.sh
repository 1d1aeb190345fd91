#!/usr/bin/env bash
# Smoke test of the Native AOT `conveyor` binary: the unit tests run the server under the JIT, so this is the one
# check that the trimmed, ahead-of-time compiled server (source-generated JSON, generated request delegates, the
# Faktory listener, the WAL store) really serves, drains on SIGTERM with exit 0 and recovers its state.
#
#   tests/aot-smoke.sh [BINARY]   # BINARY: a published AOT conveyor; without it, publishes to artifacts/aot
#
# Needs bash and curl. Fails loudly (non-zero, with the server's log) on any mismatch; always cleans up.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

bin=${1:-}
if [ -z "$bin" ]; then
  bin=$root/artifacts/aot/conveyor
  echo "aot-smoke: publishing the AOT binary to $root/artifacts/aot"
  dotnet publish "$root/src/Conveyor.Cli" -c Release -r linux-x64 -p:PublishAot=true -o "$root/artifacts/aot"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/conveyor-aot-smoke.XXXXXX")
log=$work/server.log
data=$work/data
pid=
url=

cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "aot-smoke: FAIL: $*" >&2
  if [ -s "$log" ]; then
    echo "--- server log (last 40 lines) ---" >&2
    tail -n 40 "$log" >&2
  fi
  exit 1
}

expect_eq() { # what expected actual
  [ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
}

# The first "key":"value" of a compact JSON document (the server writes no spaces).
json_field() { # key document
  printf '%s' "$2" | grep -o "\"$1\":\"[^\"]*\"" | head -n 1 | sed 's/.*:"\(.*\)"$/\1/' || true
}

http() { # method path [body] -> prints "STATUS BODY"
  local out status
  out=$(curl -sS --max-time 10 -o "$work/body" -w '%{http_code}' -X "$1" "${url}${2#/}" \
    -H 'content-type: application/json' ${3:+--data "$3"}) || fail "$1 $2: curl failed"
  status=$out
  printf '%s %s' "$status" "$(cat "$work/body")"
}

expect_status() { # what expected "STATUS BODY"
  [ "${3%% *}" = "$2" ] || fail "$1: expected HTTP $2, got ${3}"
}

# A port nothing listens on: the Faktory listener needs a fixed one (0 turns it off); HTTP takes 0 and prints its own.
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  fail "no free port found"
}

start_server() {
  faktory_port=$(free_port)
  : >"$log"
  "$bin" serve --data "$data" --bind 127.0.0.1 --http-port 0 --faktory-port "$faktory_port" --grpc-port 0 >"$log" 2>&1 &
  pid=$!
  local line=
  for _ in $(seq 1 300); do
    line=$(grep -m 1 '^Conveyor listening on ' "$log" || true)
    [ -n "$line" ] && break
    kill -0 "$pid" 2>/dev/null || fail "the server exited at start"
    sleep 0.1
  done
  [ -n "$line" ] || fail "the server did not print its address within 30 s"
  url=$(printf '%s' "$line" | sed 's/^Conveyor listening on \([^ ]*\).*/\1/')
  case $url in */) ;; *) url=$url/ ;; esac
  for _ in $(seq 1 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "${url}readyz" || true)" = 200 ] && return
    sleep 0.1
  done
  fail "/readyz did not answer 200 within 30 s"
}

stop_server() { # SIGTERM: the server drains, snapshots and must exit 0
  kill -TERM "$pid"
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && fail "the server did not exit within 30 s of SIGTERM"
  local rc=0
  wait "$pid" || rc=$?
  pid=
  expect_eq "exit code after SIGTERM" 0 "$rc"
}

# One Faktory conversation: greeting, HELLO, one command, END. Prints the command's reply line.
faktory() { # command-line
  local reply
  exec 4<>"/dev/tcp/127.0.0.1/$faktory_port" || fail "cannot connect to the Faktory port $faktory_port"
  IFS= read -r -t 5 reply <&4 || fail "Faktory: no greeting"
  case $reply in "+HI "*) ;; *) fail "Faktory greeting: $reply" ;; esac
  printf 'HELLO {"v":2}\r\n' >&4
  IFS= read -r -t 5 reply <&4 || fail "Faktory: no answer to HELLO"
  expect_eq "Faktory HELLO" "+OK" "${reply%$'\r'}"
  printf '%s\r\n' "$1" >&4
  IFS= read -r -t 5 reply <&4 || fail "Faktory: no answer to ${1%% *}"
  printf 'END\r\n' >&4
  exec 4<&-
  printf '%s' "${reply%$'\r'}"
}

[ -x "$bin" ] || fail "$bin is not an executable"
[ ! -e "$(dirname "$bin")/conveyor.dll" ] || fail "$(dirname "$bin") holds conveyor.dll: not a Native AOT publish"

echo "aot-smoke: $bin, data $data"
start_server
echo "aot-smoke: listening on $url, faktory on $faktory_port"

r=$(http GET /openapi/v1.json)
expect_status "GET /openapi/v1.json" 200 "$r"
case $r in *'"/v1/jobs"'*) ;; *) fail "the OpenAPI document does not describe /v1/jobs" ;; esac

r=$(http POST /v1/jobs '{"type":"smoke_done","queue":"smoke-done","args":{"n":1}}')
expect_status "enqueue the first job" 201 "$r"
first=$(json_field id "${r#* }")
[ -n "$first" ] || fail "no id in: $r"

r=$(http POST /v1/fetch '{"queues":["smoke-done"],"max":1,"wait_ms":1000,"worker_id":"aot-smoke"}')
expect_status "fetch" 200 "$r"
expect_eq "fetched job" "$first" "$(json_field id "${r#* }")"
token=$(json_field token "${r#* }")
[ -n "$token" ] || fail "no lease token in: $r"

r=$(http POST "/v1/jobs/$first/ack" "{\"token\":\"$token\"}")
case ${r%% *} in 200 | 204) ;; *) fail "ack: expected HTTP 200 or 204, got $r" ;; esac

r=$(http POST /v1/jobs '{"type":"smoke_waiting","queue":"smoke-waiting","args":{"n":2}}')
expect_status "enqueue the second job" 201 "$r"
second=$(json_field id "${r#* }")
[ -n "$second" ] || fail "no id in: $r"

third=aot-smoke-faktory-1
expect_eq "Faktory PUSH" "+OK" "$(faktory "PUSH {\"jid\":\"$third\",\"jobtype\":\"smoke_faktory\",\"queue\":\"smoke-faktory\",\"args\":[1]}")"

expect_eq "first job before restart" completed "$(json_field state "$(http GET "/v1/jobs/$first" | cut -d' ' -f2-)")"
expect_eq "second job before restart" available "$(json_field state "$(http GET "/v1/jobs/$second" | cut -d' ' -f2-)")"

stop_server
echo "aot-smoke: stopped with exit 0; restarting on the same data"
start_server

r=$(http GET "/v1/jobs/$first")
expect_status "GET the first job after restart" 200 "$r"
expect_eq "first job after restart" completed "$(json_field state "${r#* }")"
r=$(http GET "/v1/jobs/$second")
expect_status "GET the second job after restart" 200 "$r"
expect_eq "second job after restart" available "$(json_field state "${r#* }")"
r=$(http GET "/v1/jobs/$third")
expect_status "GET the Faktory job after restart" 200 "$r"
expect_eq "Faktory job after restart" available "$(json_field state "${r#* }")"

# Available in the recovered queue index too, not only in the job table.
r=$(http POST /v1/fetch '{"queues":["smoke-waiting"],"max":1,"wait_ms":1000,"worker_id":"aot-smoke"}')
expect_status "fetch after restart" 200 "$r"
expect_eq "job fetched after restart" "$second" "$(json_field id "${r#* }")"

stop_server
echo "aot-smoke: passed (enqueue, fetch, ack, Faktory PUSH, SIGTERM exit 0, state intact after restart)"

#!/usr/bin/env bash
# The long multi-node PostgreSQL test (issue 24 item 5): NODES `conveyor serve --store postgres` nodes on a throw-away
# cluster, producers and workers over HTTP, for DURATION seconds. Every KILL_EVERY seconds a random live node (the
# leader half of the time) is SIGKILLed and restarted; every PG_RESTART_EVERY seconds the database gets
# `pg_ctl restart -m fast`. At the end the load stops, the queue drains, and the ledger is checked: every acknowledged
# enqueue completed, none acknowledged as completed twice. Prints jobs, kills, restarts, failovers, takeover times.
# Binds 127.0.0.1 only; stops by itself; removes the cluster on exit.
# Usage: bench/postgres-soak.sh   (settings by environment:)
#   NODES=3 DURATION=600 KILL_EVERY=20 PG_RESTART_EVERY=180 LEADER_LEASE=5 PRODUCERS=2 WORKERS=4
set -euo pipefail
cd "$(dirname "$0")/.."
export NODES="${NODES:-3}" DURATION="${DURATION:-600}" KILL_EVERY="${KILL_EVERY:-20}" PG_RESTART_EVERY="${PG_RESTART_EVERY:-180}"
export LEADER_LEASE="${LEADER_LEASE:-5}" PRODUCERS="${PRODUCERS:-2}" WORKERS="${WORKERS:-4}"

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ]; then
  [ "$(id -u)" -eq 0 ] || { echo "PostgreSQL is missing: run as root, or apt-get install -y postgresql" >&2; exit 1; }
  apt-get install -y postgresql >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y postgresql >/dev/null; }
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi

echo "building conveyor (Release)..."
dotnet build src/Conveyor.Cli -c Release -v q -nologo >/dev/null
export CONVEYOR_BIN="$PWD/src/Conveyor.Cli/bin/Release/net10.0/conveyor"

work=$(mktemp -d "${TMPDIR:-/tmp}/conveyor-pg-soak.XXXXXX")
as_pg=()
if [ "$(id -u)" -eq 0 ]; then chown postgres "$work"; as_pg=(runuser -u postgres --); fi
pgport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"${as_pg[@]}" "$bin/initdb" -D "$work/data" -U postgres --auth=trust --no-sync -E UTF8 >/dev/null
export PG_OPTS="-p $pgport -k $work -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
"${as_pg[@]}" "$bin/pg_ctl" -D "$work/data" -o "$PG_OPTS" -l "$work/postgres.log" -w start >/dev/null
cleanup() {
  "${as_pg[@]}" "$bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
export PG_DATA="$work/data" PG_LOG="$work/postgres.log" PG_CTL_CMD="${as_pg[*]} $bin/pg_ctl" WORK="$work"
export CONNECTION="Host=127.0.0.1;Port=$pgport;Username=postgres;Database=postgres;Timeout=10"

python3 - <<'PY'
import atexit, json, os, random, shlex, signal, socket, subprocess, threading, time, urllib.error, urllib.request

N, DURATION = int(os.environ["NODES"]), float(os.environ["DURATION"])
KILL_EVERY, PG_EVERY = float(os.environ["KILL_EVERY"]), float(os.environ["PG_RESTART_EVERY"])
PRODUCERS, WORKERS = int(os.environ["PRODUCERS"]), int(os.environ["WORKERS"])
QUEUE, WORK = "soak", os.environ["WORK"]
stop_load, stop_workers, lock = threading.Event(), threading.Event(), threading.Lock()
acknowledged, completions = set(), {}
figures = {"kills": 0, "leader_kills": 0, "pg_restarts": 0, "failovers": 0, "takeovers": [], "unanswered": 0}

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

class Node:
    def __init__(self, i):
        self.i, self.port, self.proc = i, free_port(), None
    def start(self):
        data = f"{WORK}/node-{self.i}"; os.makedirs(data, exist_ok=True)
        log = open(f"{WORK}/node-{self.i}.log", "ab")
        self.proc = subprocess.Popen([os.environ["CONVEYOR_BIN"], "serve", "--data", data, "--bind", "127.0.0.1",
            "--http-port", str(self.port), "--faktory-port", "0", "--grpc-port", "0", "--store", "postgres",
            "--postgres", os.environ["CONNECTION"], "--postgres-leader-lease", os.environ["LEADER_LEASE"],
            "--keep-completed", "100000000"], stdout=log, stderr=log)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if call(self, "GET", "readyz", timeout=2)[0] == 200: return
            except Exception: pass
            time.sleep(0.1)
        raise SystemExit(f"node {self.i} did not become ready:\n" + open(f"{WORK}/node-{self.i}.log", errors="replace").read()[-3000:])
    def kill(self):
        self.proc.send_signal(signal.SIGKILL); self.proc.wait()
    @property
    def url(self): return f"http://127.0.0.1:{self.port}/"

def call(node, method, path, body=None, timeout=10):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(node.url + path, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read()
            return r.status, json.loads(raw) if r.headers.get_content_type().endswith("json") else raw
    except urllib.error.HTTPError as e:
        return e.code, None

nodes = [Node(i) for i in range(N)]
def kill_all():
    for n in nodes:
        if n.proc is not None and n.proc.poll() is None: n.kill()
atexit.register(kill_all)  # also when the run stops early: no node outlives it
for n in nodes: n.start()
down = set()

def live():
    with lock: return [n for n in nodes if n.i not in down]

def send(body_path, body, on_ok):
    while True:
        try:
            status, answer = call(random.choice(live() or nodes), "POST", body_path, body)
            if 200 <= status < 300: on_ok(answer); return
            if status < 500 and status != 429: raise SystemExit(f"{body_path} answered {status}")
        except (urllib.error.URLError, OSError, ConnectionError): pass
        with lock: figures["unanswered"] += 1
        time.sleep(0.05)

def producer(p):
    n = 0
    while not stop_load.is_set():
        ids = [f"p{p}-{n}-{k}" for k in range(50)]; n += 1
        jobs = [{"id": i, "type": "soak", "queue": QUEUE, "args": [i], "lease_seconds": 5, "backoff": "fixed:0", "max_attempts": 10000} for i in ids]
        def ok(_):
            with lock: acknowledged.update(ids)
        send("v1/jobs/batch", {"jobs": jobs}, ok)

def worker():
    while not stop_workers.is_set():
        try:
            status, answer = call(random.choice(live() or nodes), "POST", "v1/fetch", {"queues": [QUEUE], "max": 50, "wait_ms": 200})
        except (urllib.error.URLError, OSError, ConnectionError):
            time.sleep(0.05); continue
        if status != 200 or not answer["jobs"]: continue
        acks = [{"id": j["id"], "token": j["lease"]["token"]} for j in answer["jobs"]]
        def ok(result):
            with lock:
                for r in result["results"]:
                    if r["status"] == "ok": completions[r["id"]] = completions.get(r["id"], 0) + 1
        send("v1/settle", {"ack": acks, "fail": []}, ok)

leader = {"term": 0, "node": None, "lost_at": None}
def who_leads():
    for n in live():
        try:
            status, stats = call(n, "GET", "v1/stats", timeout=2)
            if status == 200 and stats["cluster"]["leader"]: return n, stats["cluster"]["term"]
        except Exception: pass
    return None, None

def monitor():
    while not stop_workers.is_set():
        n, term = who_leads()
        with lock:
            if n is not None and term != leader["term"]:
                if leader["term"]: figures["failovers"] += 1
                if leader["lost_at"] is not None: figures["takeovers"].append(time.time() - leader["lost_at"])
                leader.update(term=term, node=n, lost_at=None)
            elif n is not None:
                leader["lost_at"] = None  # the same leader answers again (e.g. after a database restart)
            elif n is None and leader["lost_at"] is None:
                leader["lost_at"] = time.time()
        time.sleep(0.1)

threads = [threading.Thread(target=producer, args=(p,), daemon=True) for p in range(PRODUCERS)]
threads += [threading.Thread(target=worker, daemon=True) for _ in range(WORKERS)]
mon = threading.Thread(target=monitor, daemon=True)
for t in threads + [mon]: t.start()

start = time.time(); next_kill = start + KILL_EVERY; next_pg = start + PG_EVERY; next_report = start + 60
while time.time() - start < DURATION:
    time.sleep(0.2)
    if time.time() >= next_pg:
        subprocess.run(shlex.split(os.environ["PG_CTL_CMD"]) + ["-D", os.environ["PG_DATA"], "-o", os.environ["PG_OPTS"], "-l", os.environ["PG_LOG"], "-m", "fast", "-w", "restart"], check=True, stdout=subprocess.DEVNULL)
        figures["pg_restarts"] += 1; next_pg += PG_EVERY
    if time.time() >= next_kill:
        current, _ = who_leads()
        victim = current if current is not None and random.random() < 0.5 else random.choice(live())
        with lock:
            down.add(victim.i)
            if victim is current: leader["lost_at"] = time.time()
        victim.kill(); figures["kills"] += 1; figures["leader_kills"] += victim is current
        victim.start()
        with lock: down.discard(victim.i)
        next_kill += KILL_EVERY
    if time.time() >= next_report:
        next_report += 60
        print(f"  {time.time() - start:5.0f} s: {len(acknowledged)} acknowledged, {len(completions)} completed, {figures['kills']} kills, {figures['pg_restarts']} db restarts, leader term {leader['term']}", flush=True)

stop_load.set()
def unfinished():
    status, page = call(live()[0], "GET", "v1/queues?limit=1000")
    q = [x for x in page["queues"] if x["name"] == QUEUE]
    return sum(q[0][f] for f in ("available", "scheduled", "retrying", "active")) if q else 0
left, since = unfinished(), time.time()
while left > 0 and time.time() - since < 120:
    time.sleep(0.5); now = unfinished()
    if now < left: since = time.time()
    left = now
stop_workers.set()
for t in threads: t.join(timeout=30)

completed, cursor = set(), None
while True:
    status, page = call(live()[0], "GET", f"v1/jobs?state=completed&queue={QUEUE}&limit=1000" + (f"&cursor={cursor}" if cursor else ""))
    completed.update(j["id"] for j in page["jobs"]); cursor = page.get("next_cursor")
    if not cursor: break
kill_all()

lost = acknowledged - completed
twice = [i for i, c in completions.items() if c > 1]
takeovers = figures["takeovers"]
print(f"postgres soak: {N} nodes, {DURATION:.0f} s, lease {os.environ['LEADER_LEASE']} s")
print(f"  jobs: {len(acknowledged)} acknowledged enqueues, {len(completed)} completed ({len(acknowledged) / DURATION:.0f}/s), {left} unfinished after the drain")
print(f"  kills: {figures['kills']} ({figures['leader_kills']} of the leader), database restarts: {figures['pg_restarts']}, failovers: {figures['failovers']}")
print(f"  takeover: max {max(takeovers, default=0):.1f} s, mean {sum(takeovers) / max(len(takeovers), 1):.1f} s over {len(takeovers)}; requests without answer: {figures['unanswered']}")
print(f"  ledger: {len(lost)} acknowledged jobs not completed, {len(twice)} acknowledged as completed twice")
raise SystemExit(1 if lost or twice or not acknowledged else 0)
PY

// Drives Conveyor's Faktory port with the unmodified npm `faktory-worker` client.
// Env: FAKTORY_PORT (the Faktory port), CONVEYOR_HTTP (base URL of the HTTP API, e.g. http://127.0.0.1:7420/).
// Prints "step: <name>" as it goes and "ALL OK" at the end; exits 1 on the first failure.
"use strict";
const assert = require("assert/strict");
const faktory = require("faktory-worker");

const port = Number(process.env.FAKTORY_PORT);
const http = process.env.CONVEYOR_HTTP;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function api(method, path, body) {
  const response = await fetch(new URL(path, http), {
    method,
    // Every state change says JSON, with a body or without: the server refuses requests a web page could send.
    headers: method !== "GET" ? { "content-type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

async function until(what, check, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function step(name, body) {
  console.log(`step: ${name}`);
  await body();
}

async function main() {
  const client = await faktory.connect({ host: "127.0.0.1", port });
  const info = () => client.info();

  await step("flush", async () => {
    assert.equal(await client.flush(), "OK");
  });

  await step("push, fetch, ack", async () => {
    const jid = await client.job("Add", 1, 2).push();
    const job = await client.fetch("default");
    assert.equal(job.jid, jid);
    assert.equal(job.jobtype, "Add");
    assert.deepEqual(job.args, [1, 2]);
    assert.equal(job.queue, "default");
    assert.ok(job.created_at);
    await client.ack(jid);
    const { json } = await api("GET", `v1/jobs/${jid}`);
    assert.equal(json.state, "completed");
  });

  await step("push, fail, retries", async () => {
    const job = client.job("Failing", "x");
    job.queue = "failing";
    job.retry = 3;
    const jid = await job.push();
    const fetched = await client.fetch("failing");
    assert.equal(fetched.jid, jid);
    await client.fail(jid, new Error("boom"));
    const { json } = await api("GET", `v1/jobs/${jid}`);
    assert.equal(json.state, "retrying");
    assert.equal(json.max_attempts, 4);
    assert.equal(json.failures[0].message, "boom");
    const stats = await info();
    assert.equal(stats.faktory.tasks.Retries.size, 1);
    assert.equal(stats.faktory.total_failures, 1);
  });

  await step("retry 0 discards on failure, retry -1 goes to dead", async () => {
    const discard = client.job("Once");
    discard.queue = "once";
    discard.retry = 0;
    const discardJid = await discard.push();
    const dead = client.job("Once");
    dead.queue = "once";
    dead.retry = -1;
    const deadJid = await dead.push();
    for (let i = 0; i < 2; i++) {
      const job = await client.fetch("once");
      await client.fail(job.jid, new Error("nope"));
    }
    assert.equal((await api("GET", `v1/jobs/${discardJid}`)).status, 404);
    assert.equal((await api("GET", `v1/jobs/${deadJid}`)).json.state, "dead");
  });

  await step("PUSHB", async () => {
    const a = client.job("Bulk", 1);
    a.queue = "bulk";
    const b = client.job("Bulk", 2);
    b.queue = "bulk";
    const rejected = await client.pushBulk([a, b]);
    assert.deepEqual(rejected, {});
    assert.equal((await info()).faktory.queues.bulk, 2);
  });

  await step("scheduled at", async () => {
    const job = client.job("Later");
    job.queue = "later";
    job.at = new Date(Date.now() + 3600 * 1000);
    const jid = await job.push();
    assert.equal((await info()).faktory.tasks.Scheduled.size, 1);
    assert.equal(await client.fetch("later"), null);
    await client.scheduled.withJids(jid).requeue();
    const fetched = await client.fetch("later");
    assert.equal(fetched.jid, jid);
    await client.ack(jid);
  });

  await step("MUTATE kill, discard", async () => {
    await client.retries.ofType("Failing").kill();
    let stats = await info();
    assert.equal(stats.faktory.tasks.Retries.size, 0);
    assert.equal(stats.faktory.tasks.Dead.size, 2);
    await client.dead.matching("*Failing*").discard();
    stats = await info();
    assert.equal(stats.faktory.tasks.Dead.size, 1);
    await client.dead.clear();
    assert.equal((await info()).faktory.tasks.Dead.size, 0);
  });

  await step("QUEUE pause, resume, latency, remove", async () => {
    assert.equal(await client.send(["QUEUE", "PAUSE", "bulk"]), "OK");
    assert.equal(await client.fetch("bulk"), null);
    assert.equal(await client.send(["QUEUE", "RESUME", "bulk"]), "OK");
    const latency = JSON.parse(await client.send(["QUEUE", "LATENCY", "bulk"]));
    assert.equal(typeof latency.bulk, "number");
    const job = await client.fetch("bulk");
    assert.equal(job.jobtype, "Bulk");
    await client.ack(job.jid);
    // A queue with jobs is refused (unlike Faktory, a removal never loses a job): purge it first, then remove it.
    await assert.rejects(client.send(["QUEUE", "REMOVE", "bulk"]), /not removed: bulk is not empty/);
    assert.equal((await api("DELETE", "v1/queues/bulk")).status, 204);
    assert.equal(await client.send(["QUEUE", "REMOVE", "bulk"]), "OK");
    assert.equal((await info()).faktory.queues.bulk, undefined);
  });

  await step("Faktory push, HTTP worker", async () => {
    const job = client.job("Interop", { n: 1 });
    job.queue = "interop";
    const jid = await job.push();
    const fetched = await api("POST", "v1/fetch", { queues: ["interop"], max: 1, wait_ms: 1000 });
    assert.equal(fetched.json.jobs[0].id, jid);
    assert.deepEqual(fetched.json.jobs[0].args, [{ n: 1 }]);
    const ack = await api("POST", `v1/jobs/${jid}/ack`, { token: fetched.json.jobs[0].lease.token });
    assert.equal(ack.status, 204);
  });

  await step("HTTP push, Faktory worker", async () => {
    const created = await api("POST", "v1/jobs", { type: "FromHttp", queue: "interop", args: ["a"], meta: { trace: "t1" } });
    const job = await client.fetch("interop");
    assert.equal(job.jid, created.json.id);
    assert.equal(job.jobtype, "FromHttp");
    assert.deepEqual(job.custom, { trace: "t1" });
    await client.ack(job.jid);
    assert.equal((await api("GET", `v1/jobs/${job.jid}`)).json.state, "completed");
  });

  await step("INFO counts are numbers", async () => {
    const stats = await info();
    for (const key of ["total_failures", "total_processed", "total_enqueued", "total_queues"]) {
      assert.equal(typeof stats.faktory[key], "number", key);
    }
    assert.ok(stats.faktory.total_processed >= 5);
    assert.equal(typeof stats.server.uptime, "number");
    assert.equal(typeof stats.server.connections, "number");
  });

  await step("worker processes jobs; BEAT quiet then terminate", async () => {
    const done = [];
    faktory.register("Work", async (n) => { done.push(n); });
    const worker = await faktory.work({ host: "127.0.0.1", port, queues: ["work"], concurrency: 1, beatInterval: 0.2 });
    let stopped = false;
    const stop = worker.stop.bind(worker);
    worker.stop = async () => { stopped = true; return stop(); };
    const job = client.job("Work", 7);
    job.queue = "work";
    await job.push();
    await until("the worker to run the job", () => done.length === 1);
    assert.deepEqual(done, [7]);
    const workers = (await api("GET", "v1/workers")).json;
    assert.ok(workers.some((w) => w.wid === worker.wid), "worker listed");
    assert.equal((await api("POST", `v1/workers/${worker.wid}/quiet`)).status, 204);
    await until("quiet", () => worker.quieted === true);
    assert.equal((await api("POST", `v1/workers/${worker.wid}/terminate`)).status, 204);
    await until("terminate", () => stopped);
  });

  await step("unique_for: a duplicate push is refused NOTUNIQUE", async () => {
    const first = client.job("Unique", "u1", 2);
    first.queue = "unique";
    first.custom = { unique_for: 600 };
    const jid = await first.push();
    const again = client.job("Unique", "u1", 2);
    again.queue = "unique";
    again.custom = { unique_for: 600 };
    await assert.rejects(again.push(), (error) => /^NOTUNIQUE Job not unique/.test(error.message));
    const other = client.job("Unique", "u2", 2);
    other.queue = "unique";
    other.custom = { unique_for: 600 };
    await other.push();
    const { json } = await api("GET", "v1/jobs?queue=unique");
    assert.equal(json.jobs.length, 2);
    assert.ok(json.jobs.some((job) => job.id === jid));
  });

  await step("FLUSH empties everything", async () => {
    await client.job("Left").push();
    assert.equal(await client.flush(), "OK");
    const stats = await info();
    assert.equal(stats.faktory.queues.default, undefined, "FLUSH removes the queues too");
    assert.equal(stats.faktory.tasks.Scheduled.size + stats.faktory.tasks.Retries.size + stats.faktory.tasks.Dead.size, 0);
  });

  await client.close();
  console.log("ALL OK");
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

// Drives Conveyor's gRPC API with the unmodified npm @grpc/grpc-js client: unary calls, errors, a deadline,
// and the Work stream (credits, acks, a cancel on the stream). Prints "ALL OK" when every step passed.
// Environment: GRPC_ADDRESS (host:port), PROTO_ROOT (the repository's proto/ folder).
'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const root = process.env.PROTO_ROOT;
const definition = protoLoader.loadSync(path.join(root, 'conveyor/v1/conveyor.proto'), {
  includeDirs: [root], keepCase: true, longs: String, enums: String, defaults: true, oneofs: true,
});
const v1 = grpc.loadPackageDefinition(definition).conveyor.v1;
const client = new v1.ConveyorService(process.env.GRPC_ADDRESS, grpc.credentials.createInsecure());

const call = (method, request, options = {}) => new Promise((resolve, reject) =>
  client[method](request, new grpc.Metadata(), options, (error, response) => (error ? reject(error) : resolve(response))));
const json = (value) => Buffer.from(JSON.stringify(value));

async function unary() {
  const created = await call('Enqueue', {
    id: 'node-1', queue: 'node-unary', type: 'email.send', args: json({ to: 'a@b.c' }), priority: 7, tags: ['x'], meta: { k: 'v' },
  });
  assert.deepEqual([created.id, created.created, created.duplicate], ['node-1', true, false]);
  const job = await call('GetJob', { id: 'node-1' });
  assert.equal(job.state, 'JOB_STATE_AVAILABLE');
  assert.deepEqual(JSON.parse(job.args.toString('utf8')), { to: 'a@b.c' });
  assert.deepEqual([job.priority, job.max_attempts, job.lease_seconds, job.backoff, job.dead], [7, 25, 1800, 'exponential', true]);
  assert.deepEqual([job.tags, job.meta], [['x'], { k: 'v' }]);

  const batch = await call('EnqueueBatch', { jobs: [{ type: 't', queue: 'node-unary' }, { type: 't', queue: 'node-unary' }] });
  assert.equal(batch.ids.length, 2);
  const listed = await call('ListJobs', { queue: 'node-unary', limit: 10 });
  assert.equal(listed.jobs.length, 3);

  const fetched = await call('Fetch', { queues: ['node-unary'], max: 3, worker_id: 'node-w' });
  assert.equal(fetched.jobs.length, 3);
  const first = fetched.jobs[0];
  const beat = await call('Heartbeat', { id: first.id, token: first.lease.token, extend_seconds: 60 });
  assert.ok(beat.expires_at.seconds > 0);
  await call('ReportProgress', { id: first.id, token: first.lease.token, percent: 50, message: 'half' });
  const settled = await call('Settle', {
    acks: fetched.jobs.slice(0, 2).map((j, i) => ({ id: j.id, token: j.lease.token, result: i === 0 ? json({ ok: 1 }) : Buffer.alloc(0) })),
    fails: [{ id: fetched.jobs[2].id, token: fetched.jobs[2].lease.token, message: 'boom', retry: false }],
  });
  assert.deepEqual(settled.results.map((r) => r.status), ['SETTLE_STATUS_OK', 'SETTLE_STATUS_OK', 'SETTLE_STATUS_OK']);

  const done = await call('WaitForCompletion', { id: first.id, timeout_ms: 1000 });
  assert.equal(done.state, 'JOB_STATE_COMPLETED');
  assert.deepEqual(JSON.parse(done.result.toString('utf8')), { ok: 1 });
  assert.deepEqual([done.progress.percent, done.progress.message], [50, 'half']);

  await call('PauseQueue', { name: 'node-unary' });
  const queues = await call('ListQueues', {});
  assert.equal(queues.queues.find((q) => q.name === 'node-unary').paused, true);
  await call('ResumeQueue', { name: 'node-unary' });
  const stats = await call('GetStats', {});
  assert.equal(stats.counts.completed, '2');
  console.log('unary ok');
}

async function errors() {
  await assert.rejects(call('Enqueue', { type: 't', priority: 10 }), (error) => {
    assert.equal(error.code, grpc.status.INVALID_ARGUMENT);
    assert.match(error.details, /^priority:/);
    assert.deepEqual(error.metadata.get('conveyor-field'), ['priority']);
    return true;
  });
  await assert.rejects(call('GetJob', { id: 'nope' }), (error) => error.code === grpc.status.NOT_FOUND);
  await assert.rejects(call('Heartbeat', { id: 'node-1', token: '999999' }), (error) => error.code === grpc.status.FAILED_PRECONDITION);

  // A fetch that would wait 30 s ends at its 500 ms deadline.
  const started = Date.now();
  try {
    const answer = await call('Fetch', { queues: ['node-empty'], wait_ms: 30000 }, { deadline: Date.now() + 500 });
    assert.equal(answer.jobs.length, 0);
  } catch (error) {
    assert.equal(error.code, grpc.status.DEADLINE_EXCEEDED);
  }
  assert.ok(Date.now() - started < 15000, `the fetch took ${Date.now() - started} ms`);
  console.log('errors ok');
}

function work() {
  return new Promise((resolve, reject) => {
    const stream = client.Work(new grpc.Metadata());
    const acked = new Set();
    let cancelled = null;
    let pushed = 0;
    stream.on('data', (message) => {
      try {
        if (message.kind === 'jobs') {
          for (const job of message.jobs.jobs) {
            pushed += 1;
            assert.equal(job.state, 'JOB_STATE_ACTIVE');
            if (job.id === 'node-cancel') {
              call('CancelJob', { id: job.id }).catch(reject);
              continue;
            }
            // Ack the job and take the next in one message.
            stream.write({ settle: { acks: [{ id: job.id, token: job.lease.token }] }, credit: { n: 1 } });
          }
        } else if (message.kind === 'settled') {
          for (const result of message.settled.results) {
            assert.equal(result.status, 'SETTLE_STATUS_OK');
            acked.add(result.id);
          }
          if (acked.size === 5) {
            call('Enqueue', { id: 'node-cancel', type: 't', queue: 'node-work' }).catch(reject);
          }
        } else if (message.kind === 'control') {
          assert.equal(message.control.kind, 'CONTROL_KIND_CANCEL');
          cancelled = message.control.job_id;
          stream.end();
        }
      } catch (error) {
        reject(error);
      }
    });
    stream.on('error', reject);
    stream.on('end', () => {
      try {
        assert.equal(acked.size, 5);
        assert.equal(cancelled, 'node-cancel');
        assert.equal(pushed, 6);
        console.log('work ok');
        resolve();
      } catch (error) {
        reject(error);
      }
    });
    // Two credits at first: the worker never holds more than two jobs.
    stream.write({ subscribe: { queues: ['node-work'], worker_id: 'node-worker' }, credit: { n: 2 } });
  });
}

async function main() {
  await unary();
  await errors();
  await call('EnqueueBatch', { jobs: [1, 2, 3, 4, 5].map((i) => ({ id: `node-work-${i}`, type: 't', queue: 'node-work', args: json([i]) })) });
  await work();
  const done = await call('GetJob', { id: 'node-work-5' });
  assert.equal(done.state, 'JOB_STATE_COMPLETED');
  client.close();
  console.log('ALL OK');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

// What a phase cost the PostgreSQL cluster: CPU seconds of all its processes (the postmaster, its live children,
// and the children it has reaped, from /proc) and WAL bytes written (pg_current_wal_lsn). `node meter.mjs` prints a
// snapshot as one JSON line (the shell takes one before and after a Conveyor run); drivers call snapshot() themselves.
// Environment: PG_PID (the postmaster's pid), PG_ADMIN (a connection string to any database), CLK_TCK (default 100).
import { readFileSync, readdirSync } from 'node:fs';
import pg from 'pg';

const ticksPerSecond = Number(process.env.CLK_TCK ?? 100);

function stat(pid) {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name is in parentheses and may hold spaces: the fields start after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(fields[1]), utime: Number(fields[11]), stime: Number(fields[12]), cutime: Number(fields[13]), cstime: Number(fields[14]) };
}

/** CPU seconds used so far by the cluster's processes. */
export function clusterCpuSeconds(postmaster = Number(process.env.PG_PID)) {
  const own = stat(postmaster);
  let ticks = own.utime + own.stime + own.cutime + own.cstime;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const s = stat(entry);
      if (s.ppid === postmaster) ticks += s.utime + s.stime;
    } catch {
      // The process ended while we looked; its time is in the postmaster's cutime by now.
    }
  }
  return ticks / ticksPerSecond;
}

/** The cluster's CPU seconds and WAL position (bytes since 0/0) now. */
export async function snapshot(admin = process.env.PG_ADMIN) {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::text AS wal");
    return { cpu_seconds: clusterCpuSeconds(), wal: Number(rows[0].wal) };
  } finally {
    await client.end();
  }
}

/** What happened between two snapshots, per job where jobs > 0. */
export function cost(before, after, jobs) {
  const cpu = after.cpu_seconds - before.cpu_seconds;
  const wal = after.wal - before.wal;
  return { pg_cpu_seconds: cpu, wal_bytes: wal, wal_bytes_per_job: jobs > 0 ? wal / jobs : null, pg_cpu_ms_per_1k_jobs: jobs > 0 ? (cpu * 1e6) / jobs : null };
}

/** Table + index bytes of the schemas named, in a database. */
export async function schemaBytes(connectionString, schemas) {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::text AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'm')`, [schemas]);
    return Number(rows[0].bytes);
  } finally {
    await client.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv[2] === 'size') {
    console.log(JSON.stringify({ bytes: await schemaBytes(process.argv[3], process.argv.slice(4)) }));
  } else {
    console.log(JSON.stringify(await snapshot()));
  }
}

using Conveyor.Core.Jobs;
using Npgsql;

namespace Conveyor.Client.Postgres;

/// <summary>
/// New jobs written as one <c>INSERT ... SELECT FROM unnest(...)</c> that rides in the enqueue's statement batch: one round
/// trip where binary COPY takes two of its own (start, then data). Used for small batches (single-job requests, or a few
/// merged by a node's enqueue coalescer); COPY stays the faster path for big ones. Jobs with tags go by COPY, since
/// an array of arrays cannot be unnested row by row.
/// </summary>
internal static class EnqueueInsert
{
    /// <summary>Most jobs written this way; larger batches are copied.</summary>
    public const int MaxRows = 256;

    private const string Sql = """
        INSERT INTO {s}.jobs (
            id, queue, type, state, priority, max_attempts, keep_dead, lease_seconds, created_at, run_at, available_at,
            unique_key, unique_holder, unique_until, backoff_kind, backoff_seconds, tags, meta, args, unique_mode, timeout_seconds)
        SELECT id, queue, type, state, priority, max_attempts, keep_dead, lease_seconds, $9, run_at, available_at,
            unique_key, unique_key, unique_until, backoff_kind, backoff_seconds, '{}'::text[], meta, args, unique_mode, timeout_seconds
        FROM unnest($1::text[], $2::text[], $3::text[], $4::smallint[], $5::smallint[], $6::int[], $7::boolean[], $8::int[],
            $10::bigint[], $11::bigint[], $12::text[], $13::bigint[], $14::smallint[], $15::int[], $16::bytea[], $17::bytea[],
            $18::smallint[], $19::int[])
            WITH ORDINALITY AS u(id, queue, type, state, priority, max_attempts, keep_dead, lease_seconds, run_at, available_at,
                unique_key, unique_until, backoff_kind, backoff_seconds, meta, args, unique_mode, timeout_seconds, ord)
        ORDER BY ord
        """;

    /// <summary>Whether <paramref name="created"/> goes this way.</summary>
    public static bool Fits(List<(string Id, JobSpec Spec)> created) =>
        created.Count <= MaxRows && created.TrueForAll(c => c.Spec.Tags.Count == 0);

    public static NpgsqlBatchCommand Command(SchemaSql sql, List<(string Id, JobSpec Spec)> created, long now)
    {
        var n = created.Count;
        var ids = new string[n];
        var queues = new string[n];
        var types = new string[n];
        var states = new short[n];
        var priorities = new short[n];
        var maxAttempts = new int[n];
        var keepDead = new bool[n];
        var leaseSeconds = new int[n];
        var runAt = new long?[n];
        var availableAt = new long?[n];
        var uniqueKeys = new string?[n];
        var uniqueUntil = new long?[n];
        var backoffKinds = new short[n];
        var backoffSeconds = new int[n];
        byte[]?[] meta = new byte[n][];
        var args = new byte[n][];
        var uniqueModes = new short[n];
        var timeouts = new int?[n];
        for (var i = 0; i < n; i++)
        {
            var (id, spec) = created[i];
            var due = spec.RunAt is { } at && at.UtcTicks > now ? at.UtcTicks : (long?)null;
            ids[i] = id;
            queues[i] = spec.Queue;
            types[i] = spec.Type;
            states[i] = (short)(due is null ? JobState.Available : JobState.Scheduled);
            priorities[i] = (short)spec.Priority;
            maxAttempts[i] = spec.MaxAttempts;
            keepDead[i] = spec.Dead;
            leaseSeconds[i] = spec.LeaseSeconds;
            runAt[i] = due;
            availableAt[i] = due is null ? now : null;
            uniqueKeys[i] = spec.UniqueKey;
            uniqueUntil[i] = JobInsert.UniqueUntil(spec, now, due);
            backoffKinds[i] = (short)spec.Backoff.Kind;
            backoffSeconds[i] = spec.Backoff.FixedSeconds;
            meta[i] = RowCodec.WriteMeta(spec.Meta);
            args[i] = spec.Args.ToArray();
            uniqueModes[i] = (short)spec.UniqueMode;
            timeouts[i] = spec.TimeoutSeconds;
        }

        return sql.BatchCommand(Sql).With(ids).With(queues).With(types).With(states).With(priorities).With(maxAttempts).With(keepDead)
            .With(leaseSeconds).With(now).With(runAt).With(availableAt).With(uniqueKeys).With(uniqueUntil).With(backoffKinds)
            .With(backoffSeconds).With(meta).With(args).With(uniqueModes).With(timeouts);
    }
}

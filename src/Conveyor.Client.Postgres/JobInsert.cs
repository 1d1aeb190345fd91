using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Conveyor.Client.Postgres;

/// <summary>
/// Writes a batch of jobs inside a transaction someone else owns (a node's enqueue, a schedule's tick, an application's
/// transactional enqueue): looks up the ids and unique keys it names (locking the unique holders), decides each job as
/// the embedded store does, then writes the queues, frees unique keys whose window passed, notifies the queues that got
/// jobs due now (one NOTIFY per queue, sent on commit) and writes the new rows (one INSERT in the same round trip for a
/// small batch, binary COPY for a big one). A unique key or id taken by another transaction meanwhile fails the write
/// with a unique violation: the caller decides the batch again.
/// </summary>
internal static class JobInsert
{
    private const string CopyColumns =
        "id, queue, type, state, priority, max_attempts, keep_dead, lease_seconds, created_at, run_at, available_at, " +
        "unique_key, unique_holder, unique_until, backoff_kind, backoff_seconds, tags, meta, args, unique_mode, timeout_seconds";

    /// <summary>
    /// Enqueues <paramref name="jobs"/> at <paramref name="now"/> (UTC ticks). <paramref name="available"/> gets the queues
    /// that got jobs due now (to wake after the commit); <paramref name="notifyNow"/> picks which of them are notified in
    /// this transaction (all of them, unless a node's rate limit leaves some to a later NOTIFY).
    /// </summary>
    public static async Task<EnqueueResult> WithinAsync(
        SchemaSql sql, long now, NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<JobSpec> jobs,
        HashSet<string> available, Func<IReadOnlyCollection<string>, IReadOnlyCollection<string>> notifyNow, CancellationToken cancellationToken)
    {
        available.Clear();
        var nowTime = new DateTimeOffset(now, TimeSpan.Zero);
        var (existing, holders) = await LookUpAsync(sql, connection, transaction, jobs, cancellationToken).ConfigureAwait(false);

        var results = new EnqueuedJob[jobs.Count];
        var created = new List<(string Id, JobSpec Spec)>(jobs.Count);
        var batchIds = new Dictionary<string, JobSpec>(StringComparer.Ordinal);
        var batchUnique = new Dictionary<string, string>(StringComparer.Ordinal);
        var expired = new List<string>();
        for (var i = 0; i < jobs.Count; i++)
        {
            var spec = jobs[i];
            if (spec.Id is { } own)
            {
                var (found, type, args) = existing.TryGetValue(own, out var row) ? (true, row.Type, row.Args)
                    : batchIds.TryGetValue(own, out var earlier) ? (true, earlier.Type, earlier.Args) : (false, "", default(ReadOnlyMemory<byte>));
                if (found)
                {
                    if (!string.Equals(type, spec.Type, StringComparison.Ordinal) || !args.Span.SequenceEqual(spec.Args.Span))
                    {
                        return EnqueueResult.IdConflict(i);
                    }

                    results[i] = new EnqueuedJob(JobKey.Of(own), false);
                    continue;
                }
            }

            if (spec.UniqueKey is { } key)
            {
                if (batchUnique.TryGetValue(key, out var inBatch))
                {
                    results[i] = new EnqueuedJob(JobKey.Of(inBatch), false) { UniqueHeld = true };
                    continue;
                }

                if (holders.TryGetValue(key, out var holder))
                {
                    if (now < holder.Until)
                    {
                        results[i] = new EnqueuedJob(JobKey.Of(holder.Id), false) { UniqueHeld = true };
                        continue;
                    }

                    // The holder's window passed: the key goes to the new job (the old one keeps it as a label).
                    expired.Add(key);
                    holders.Remove(key);
                }
            }

            var id = spec.Id ?? Ulid.Format(JobIdGenerator.NewValue(nowTime));
            created.Add((id, spec));
            if (spec.Id is not null)
            {
                batchIds[id] = spec;
            }

            if (spec.UniqueKey is not null)
            {
                batchUnique[spec.UniqueKey] = id;
            }

            results[i] = new EnqueuedJob(JobKey.Of(id), true);
        }

        if (created.Count > 0)
        {
            foreach (var (_, spec) in created)
            {
                if (!IsScheduled(spec, now))
                {
                    available.Add(spec.Queue);
                }
            }

            var notify = available.Count == 0 ? [] : notifyNow(available);
            await WriteAsync(sql, connection, transaction, created, expired, notify, now, cancellationToken).ConfigureAwait(false);
        }

        return new EnqueueResult(results);
    }

    private static bool IsScheduled(JobSpec spec, long now) => spec.RunAt is { } runAt && runAt.UtcTicks > now;

    private static async Task<(Dictionary<string, (string Type, ReadOnlyMemory<byte> Args)> Existing, Dictionary<string, (string Id, long Until)> Holders)> LookUpAsync(
        SchemaSql sql, NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<JobSpec> jobs, CancellationToken cancellationToken)
    {
        var existing = new Dictionary<string, (string, ReadOnlyMemory<byte>)>(StringComparer.Ordinal);
        var holders = new Dictionary<string, (string, long)>(StringComparer.Ordinal);
        var ids = jobs.Where(j => j.Id is not null).Select(j => j.Id!).Distinct(StringComparer.Ordinal).ToArray();
        var keys = jobs.Where(j => j.UniqueKey is not null).Select(j => j.UniqueKey!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (ids.Length == 0 && keys.Length == 0)
        {
            return (existing, holders);
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(sql.BatchCommand(
            "SELECT id, type, args FROM {s}.jobs WHERE id = ANY($1) UNION ALL SELECT id, type, args FROM {s}.jobs_done WHERE id = ANY($1)").With(ids));
        batch.BatchCommands.Add(sql.BatchCommand(
            "SELECT unique_holder, id, unique_until FROM {s}.jobs WHERE unique_holder = ANY($1) ORDER BY unique_holder FOR UPDATE").With(keys));

        // Dead jobs holding until completed, looked up after the hot table (a later snapshot): a holder that dies meanwhile
        // is found in one or the other.
        batch.BatchCommands.Add(sql.BatchCommand(
            "SELECT unique_holder, id, unique_until FROM {s}.done_holders WHERE unique_holder = ANY($1) ORDER BY unique_holder FOR UPDATE").With(keys));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            existing[reader.GetString(0)] = (reader.GetString(1), reader.GetFieldValue<byte[]>(2));
        }

        for (var holderTable = 0; holderTable < 2; holderTable++)
        {
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                holders.TryAdd(reader.GetString(0), (reader.GetString(1), reader.GetInt64(2)));
            }
        }

        return (existing, holders);
    }

    private static async Task WriteAsync(
        SchemaSql sql, NpgsqlConnection connection, NpgsqlTransaction transaction, List<(string Id, JobSpec Spec)> created,
        List<string> expired, IReadOnlyCollection<string> notify, long now, CancellationToken cancellationToken)
    {
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            var queues = created.Select(c => c.Spec.Queue).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            batch.BatchCommands.Add(sql.BatchCommand("INSERT INTO {s}.queues (name) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING").With(queues));
            if (expired.Count > 0)
            {
                batch.BatchCommands.Add(sql.BatchCommand("UPDATE {s}.jobs SET unique_holder = NULL WHERE unique_holder = ANY($1)").With(expired.ToArray()));
                batch.BatchCommands.Add(sql.BatchCommand("UPDATE {s}.jobs_done d SET unique_holder = NULL FROM {s}.done_holders h WHERE h.unique_holder = ANY($1) AND d.state = 6 AND d.id = h.id AND d.unique_holder = h.unique_holder").With(expired.ToArray()));
            }

            if (notify.Count > 0)
            {
                batch.BatchCommands.Add(sql.NotifyCommand(notify));
            }

            // A small batch rides in this round trip; a big one is copied in after it.
            var inserted = EnqueueInsert.Fits(created);
            if (inserted)
            {
                batch.BatchCommands.Add(EnqueueInsert.Command(sql, created, now));
            }

            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (inserted)
            {
                return;
            }
        }

        await using var copy = await connection.BeginBinaryImportAsync(
            sql.Sql($"COPY {{s}}.jobs ({CopyColumns}) FROM STDIN (FORMAT BINARY)"), cancellationToken).ConfigureAwait(false);
        foreach (var (id, spec) in created)
        {
            var runAt = IsScheduled(spec, now) ? spec.RunAt!.Value.UtcTicks : (long?)null;
            await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(id, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(spec.Queue, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(spec.Type, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync((short)(runAt is null ? JobState.Available : JobState.Scheduled), NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync((short)spec.Priority, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(spec.MaxAttempts, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(spec.Dead, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(spec.LeaseSeconds, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(now, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await WriteNullableAsync(copy, runAt, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await WriteNullableAsync(copy, runAt is null ? now : null, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await WriteNullableAsync(copy, spec.UniqueKey, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await WriteNullableAsync(copy, spec.UniqueKey, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await WriteNullableAsync(copy, UniqueUntil(spec, now, runAt), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync((short)spec.Backoff.Kind, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(spec.Backoff.FixedSeconds, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(spec.Tags.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await WriteNullableAsync(copy, RowCodec.WriteMeta(spec.Meta), NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(spec.Args.ToArray(), NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync((short)spec.UniqueMode, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
            await WriteNullableAsync(copy, spec.TimeoutSeconds, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
        }

        await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// When the job's hold on its unique key ends at the latest (null: no key): the window counts from when the job is first
    /// due, so a scheduled job stays unique through its delay; no window holds it for as long as its mode says.
    /// </summary>
    internal static long? UniqueUntil(JobSpec spec, long now, long? runAt) =>
        spec.UniqueKey is null ? null
        : spec.UniqueForSeconds == 0 ? long.MaxValue
        : Math.Max(now, runAt ?? now) + TimeSpan.FromSeconds(spec.UniqueForSeconds).Ticks;

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, int? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is { } v ? copy.WriteAsync(v, type, cancellationToken) : copy.WriteNullAsync(cancellationToken);

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : class =>
        value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, type, cancellationToken);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, long? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is { } v ? copy.WriteAsync(v, type, cancellationToken) : copy.WriteNullAsync(cancellationToken);
}

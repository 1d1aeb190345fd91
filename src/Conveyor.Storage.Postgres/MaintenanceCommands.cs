using Conveyor.Core.Jobs;
using Npgsql;

namespace Conveyor.Storage.Postgres;

/// <summary>
/// The time-driven transitions, each at most Max jobs in one transaction (oldest first). Only the leader runs them
/// (elsewhere they do nothing and return 0), and each transaction starts with the leader fence, so a deposed leader's
/// late transaction changes nothing. <c>SKIP LOCKED</c> keeps them off rows a fetch or settle holds.
/// </summary>
internal static class MaintenanceCommands
{
    public static Task<int> PromoteAsync(StoreContext context, int max, CancellationToken cancellationToken) =>
        context.Leader?.Current is { } held ? PromoteAsync(context, held, max, cancellationToken) : Task.FromResult(0);

    /// <summary>Promotion as the leader of term <paramref name="held"/>: nothing when the row names another term by now.</summary>
    public static async Task<int> PromoteAsync(StoreContext context, LeaderTerm held, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var db = context.Db;
        var (count, queues) = await db.WriteAsync(
            async (connection, transaction) =>
            {
                if (!await LeaderCommands.FenceAsync(db, connection, transaction, held, cancellationToken).ConfigureAwait(false))
                {
                    return (0, Array.Empty<string>());
                }

                await using var command = db.Command(connection, transaction, FetchCommand.PromoteSql).With(context.Now).With((long)max).With(db.Channel);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                return ((int)reader.GetInt64(0), reader.IsDBNull(2) ? [] : reader.GetFieldValue<string[]>(2));
            },
            cancellationToken).ConfigureAwait(false);
        await context.Waiters.Wake(queues).ConfigureAwait(false);
        return count;
    }

    public static Task<int> ExpireLeasesAsync(StoreContext context, int max, CancellationToken cancellationToken) =>
        context.Leader?.Current is { } held ? ExpireLeasesAsync(context, held, max, cancellationToken) : Task.FromResult(0);

    /// <summary>Lease expiry as the leader of term <paramref name="held"/>: nothing when the row names another term by now.</summary>
    public static Task<int> ExpireLeasesAsync(StoreContext context, LeaderTerm held, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        return context.Db.WriteAsync(
            async (connection, transaction) =>
            {
                if (!await LeaderCommands.FenceAsync(context.Db, connection, transaction, held, cancellationToken).ConfigureAwait(false))
                {
                    return 0;
                }

                var expired = new List<LeasedRow>();
                await using (var command = context.Db.Command(connection, transaction, $$"""
                    SELECT {{LeasedRow.Columns}} FROM {s}.jobs WHERE state = 3 AND lease_expires_at <= $1
                    ORDER BY lease_expires_at, seq LIMIT $2 FOR UPDATE SKIP LOCKED
                    """).With(context.Now).With((long)max))
                await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        expired.Add(LeasedRow.Read(reader));
                    }
                }

                var writes = new SettleWrites();
                foreach (var row in expired)
                {
                    if (row.LeaseEndsAtDeadline)
                    {
                        writes.Fail(context, row, JobFailure.TimeoutType, $"attempt ran past its timeout of {row.TimeoutSeconds} s", [], null, retry: true);
                    }
                    else
                    {
                        writes.Fail(context, row, JobFailure.LeaseExpiredType, $"lease of {row.LeaseSeconds} s expired", [], null, retry: true);
                    }
                }

                await writes.ApplyAsync(context.Db, connection, transaction, context.Now, cancellationToken).ConfigureAwait(false);
                return expired.Count;
            },
            cancellationToken);
    }

    /// <summary>
    /// Removes finished jobs past their window or over their cap: completed, then cancelled, then dead. First the archive's
    /// partitions ahead are made sure of; then whole partitions that qualify are dropped (<see cref="ArchivePartitions.DropAsync"/>;
    /// Max does not bound a drop, whose cost does not grow with its rows); then at most Max rows are deleted one by one,
    /// oldest first (in the order they finished): jobs past their window in the state's DEFAULT partition (a partitioned
    /// job waits for its whole partition to pass the window), then the oldest while more than the cap would be left.
    /// </summary>
    public static Task<int> PruneAsync(StoreContext context, int max, CancellationToken cancellationToken) =>
        context.Leader?.Current is { } held ? PruneAsync(context, held, max, cancellationToken) : Task.FromResult(0);

    /// <summary>Pruning as the leader of term <paramref name="held"/>: nothing when the row names another term by now.</summary>
    public static async Task<int> PruneAsync(StoreContext context, LeaderTerm held, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        await ArchivePartitions.EnsureAsync(context, cancellationToken).ConfigureAwait(false);
        var retention = context.Settings.Retention;
        var now = context.Now;
        (JobState State, long Before, int Cap)[] lists =
        [
            (JobState.Completed, now - retention.Completed.Ticks, retention.CompletedCap),
            (JobState.Cancelled, now - retention.Completed.Ticks, retention.CompletedCap),
            (JobState.Dead, now - retention.Dead.Ticks, retention.DeadCap),
        ];
        return await context.Db.WriteAsync(
            async (connection, transaction) =>
            {
                if (!await LeaderCommands.FenceAsync(context.Db, connection, transaction, held, cancellationToken).ConfigureAwait(false))
                {
                    return 0;
                }

                var dropped = (int)Math.Min(await ArchivePartitions.DropAsync(context, connection, transaction, lists, cancellationToken).ConfigureAwait(false), int.MaxValue);
                var pruned = new List<string>();
                foreach (var (state, before, cap) in lists)
                {
                    if (pruned.Count == max)
                    {
                        break;
                    }

                    await TakePrunableAsync(context.Db, connection, transaction, state, before, cap, max, pruned, cancellationToken).ConfigureAwait(false);
                }

                if (pruned.Count == 0)
                {
                    return dropped;
                }

                await using var delete = context.Db.Command(connection, transaction, "DELETE FROM {s}.jobs_done WHERE id = ANY($1)").With(pruned.ToArray());
                return (int)Math.Min((long)dropped + await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false), int.MaxValue);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static async Task TakePrunableAsync(
        Database db, NpgsqlConnection connection, NpgsqlTransaction transaction, JobState state, long before, int cap, int max, List<string> pruned,
        CancellationToken cancellationToken)
    {
        long keep;
        var taken = pruned.Count;
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            batch.BatchCommands.Add(db.BatchCommand("SELECT COALESCE(sum(n), 0)::bigint FROM {s}.done_counts WHERE state = $1").With((short)state));
            batch.BatchCommands.Add(db.BatchCommand(
                $"SELECT id FROM {{s}}.{ArchivePartitions.DefaultPartition(state)} WHERE finished_at < $1 ORDER BY done_seq LIMIT $2 FOR UPDATE SKIP LOCKED")
                .With(before).With((long)(max - pruned.Count)));
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            keep = reader.GetInt64(0);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                pruned.Add(reader.GetString(0));
            }
        }

        keep -= pruned.Count - taken;
        if (keep <= cap || pruned.Count == max)
        {
            return;
        }

        await using var over = db.Command(connection, transaction,
            "SELECT id FROM {s}.jobs_done WHERE state = $1 AND NOT (id = ANY($2)) ORDER BY done_seq LIMIT $3 FOR UPDATE SKIP LOCKED")
            .With((short)state).With(pruned.ToArray()).With(Math.Min(keep - cap, max - pruned.Count));
        await using var rows = await over.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            pruned.Add(rows.GetString(0));
        }
    }
}

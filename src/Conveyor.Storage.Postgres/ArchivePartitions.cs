using System.Globalization;
using Conveyor.Core.Jobs;
using Npgsql;

namespace Conveyor.Storage.Postgres;

/// <summary>
/// The partitions of the archive (<c>jobs_done</c>, LIST by state, then RANGE by when a job finished; migration 0005):
/// created ahead by maintenance, dropped whole by retention. Completed and cancelled jobs get a partition per day, dead
/// ones (kept 180 days by default) one per 30 days, so that a lookup by id, which probes every partition, stays cheap.
/// A partition is named after its state and first day (<c>jobs_done_dead_20261208</c>); rows of a range without one sit
/// in the state's DEFAULT partition.
/// </summary>
internal static class ArchivePartitions
{
    /// <summary>Days created ahead of today (the partitions holding today and this many more days).</summary>
    public const int DaysAhead = 1;

    private static readonly (JobState State, string Parent, int Days)[] Parents =
    [
        (JobState.Completed, "jobs_done_completed", 1),
        (JobState.Dead, "jobs_done_dead", 30),
        (JobState.Cancelled, "jobs_done_cancelled", 1),
    ];

    /// <summary>The state's DEFAULT partition.</summary>
    public static string DefaultPartition(JobState state) => Parents.First(p => p.State == state).Parent + "_default";

    /// <summary>How many days one partition of the state spans.</summary>
    public static int DaysPerPartition(JobState state) => Parents.First(p => p.State == state).Days;

    /// <summary>The day (days since 0001-01-01, as done_counts and the partition bounds count them) of a tick.</summary>
    public static int Day(long ticks) => (int)(ticks / TimeSpan.TicksPerDay);

    /// <summary>
    /// Creates every state's partition holding today and <see cref="DaysAhead"/> more days unless it exists or rows of its
    /// range already sit in the DEFAULT partition (which keeps that range then). Its own transaction; cheap when they exist
    /// (catalog lookups only).
    /// </summary>
    public static Task<int> EnsureAsync(StoreContext context, CancellationToken cancellationToken)
    {
        var today = Day(context.Now);
        return context.Db.WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = context.Db.Command(connection, transaction, "SELECT {s}.done_partitions($1, $2)").With(today).With(today + DaysAhead);
                return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            },
            cancellationToken);
    }

    /// <summary>
    /// Drops, per state, its oldest partitions while the whole range is past the state's window, or (for ranges that have
    /// ended) while what would be left is still at least the cap and no older row of the state waits in its DEFAULT
    /// partition. Counts come from done_counts (per state and day), so nothing is counted row by row; a dropped range's
    /// count rows and the unique keys its jobs held go in the same transaction (DROP fires no trigger). Only one node drops
    /// at a time (a transaction advisory lock, which creating partitions takes too); another finds it taken and drops
    /// nothing. Returns how many finished jobs went.
    /// </summary>
    public static async Task<long> DropAsync(
        StoreContext context, NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<(JobState State, long Before, int Cap)> lists,
        CancellationToken cancellationToken)
    {
        var db = context.Db;
        var now = context.Now;
        if (await ReadAsync(db, connection, transaction, cancellationToken).ConfigureAwait(false) is not { } catalog)
        {
            return 0;
        }

        var (partitions, counts) = catalog;
        var drops = new List<(JobState State, string Name, int First, int End, long Rows)>();
        foreach (var (state, before, cap) in lists)
        {
            var (_, parent, span) = Parents.First(p => p.State == state);
            var firsts = partitions.GetValueOrDefault(parent, []).Order().ToList();
            var days = counts.Where(c => c.Key.State == state && c.Value != 0).Select(c => c.Key.Day).ToList();
            var left = counts.Where(c => c.Key.State == state).Sum(c => c.Value);

            // The oldest day with rows but no partition: those rows sit in the DEFAULT partition.
            var unpartitioned = days.Where(d => !firsts.Any(f => d >= f && d < f + span)).DefaultIfEmpty(int.MaxValue).Min();
            foreach (var first in firsts)
            {
                var rows = counts.Where(c => c.Key.State == state && c.Key.Day >= first && c.Key.Day < first + span).Sum(c => c.Value);
                var end = (first + (long)span) * TimeSpan.TicksPerDay;
                var pastWindow = end <= before;
                var overCap = end <= now && left - rows >= cap && unpartitioned > first;
                if (!pastWindow && !overCap)
                {
                    break;
                }

                drops.Add((state, parent + "_" + new DateOnly(1, 1, 1).AddDays(first).ToString("yyyyMMdd", CultureInfo.InvariantCulture), first, first + span, rows));
                left -= rows;
            }
        }

        if (drops.Count == 0)
        {
            return 0;
        }

        var holders = new List<(string Key, string Id)>();
        foreach (var (state, name, _, _, _) in drops)
        {
            if (state == JobState.Dead)
            {
                // Read before the drop takes its locks (parent first), written after it, so an enqueue that locked a holder
                // and reads the archive never waits on this transaction while it waits on that enqueue.
                await using var read = db.Command(connection, transaction, $"SELECT h.unique_holder, h.id FROM {{s}}.done_holders h JOIN {{s}}.\"{name}\" p ON p.id = h.id AND p.unique_holder = h.unique_holder");
                await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    holders.Add((reader.GetString(0), reader.GetString(1)));
                }
            }

            await using var drop = db.Command(connection, transaction, $"DROP TABLE IF EXISTS {{s}}.\"{name}\"");
            await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(db.BatchCommand("""
            DELETE FROM {s}.done_counts d USING unnest($1::smallint[], $2::integer[], $3::integer[]) u(state, first, stop)
            WHERE d.state = u.state AND d.day >= u.first AND d.day < u.stop
            """)
            .With(drops.Select(d => (short)d.State).ToArray()).With(drops.Select(d => d.First).ToArray()).With(drops.Select(d => d.End).ToArray()));
        batch.BatchCommands.Add(db.BatchCommand("DELETE FROM {s}.done_holders d USING unnest($1::text[], $2::text[]) u(k, id) WHERE d.unique_holder = u.k AND d.id = u.id")
            .With(holders.Select(h => h.Key).ToArray()).With(holders.Select(h => h.Id).ToArray()));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return drops.Sum(d => d.Rows);
    }

    /// <summary>The day partitions per state parent and the counts per state and day; null when another node holds the lock.</summary>
    private static async Task<(Dictionary<string, HashSet<int>> Partitions, Dictionary<(JobState State, int Day), long> Counts)?> ReadAsync(
        Database db, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(db.BatchCommand("SELECT pg_try_advisory_xact_lock(hashtext($1))").With("conveyor.archive." + db.Schema));
        batch.BatchCommands.Add(db.BatchCommand("""
            SELECT p.relname, c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
            WHERE i.inhparent IN ('{s}.jobs_done_completed'::regclass, '{s}.jobs_done_dead'::regclass, '{s}.jobs_done_cancelled'::regclass)
            """));
        batch.BatchCommands.Add(db.BatchCommand("SELECT state, day, sum(n)::bigint FROM {s}.done_counts GROUP BY state, day"));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (!reader.GetBoolean(0))
        {
            return null;
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var partitions = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var (parent, name) = (reader.GetString(0), reader.GetString(1));
            if (DateOnly.TryParseExact(name.AsSpan(parent.Length + 1), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                (partitions.TryGetValue(parent, out var days) ? days : partitions[parent] = []).Add(date.DayNumber);
            }
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var counts = new Dictionary<(JobState, int), long>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts[((JobState)reader.GetInt16(0), reader.GetInt32(1))] = reader.GetInt64(2);
        }

        return (partitions, counts);
    }
}

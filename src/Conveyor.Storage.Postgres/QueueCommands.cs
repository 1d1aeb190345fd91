using Conveyor.Core.Storage;

namespace Conveyor.Storage.Postgres;

/// <summary>
/// Queue commands and the flush. A queue is a row of <c>queues</c> that every unfinished job references (a foreign key),
/// so removing a queue with jobs, or enqueueing into one being removed, cannot slip past each other on two nodes.
/// </summary>
internal static class QueueCommands
{
    public static async Task SetPausedAsync(StoreContext context, string name, bool paused, CancellationToken cancellationToken)
    {
        var db = context.Db;
        await db.WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = db.Command(connection, transaction,
                    "INSERT INTO {s}.queues (name, paused) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET paused = EXCLUDED.paused").With(name).With(paused);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                if (!paused)
                {
                    await OperatorCommands.NotifyAsync(db, connection, transaction, [name], cancellationToken).ConfigureAwait(false);
                }

                return 0;
            },
            cancellationToken).ConfigureAwait(false);
        if (!paused)
        {
            await context.Waiters.Wake([name]).ConfigureAwait(false);
        }
    }

    public static Task<int> PurgeAsync(StoreContext context, string name, CancellationToken cancellationToken) =>
        context.Db.WriteAsync(
            async (connection, transaction) =>
            {
                await using var batch = new Npgsql.NpgsqlBatch(connection, transaction);
                batch.BatchCommands.Add(context.Db.BatchCommand("INSERT INTO {s}.queues (name) VALUES ($1) ON CONFLICT DO NOTHING").With(name));
                var delete = context.Db.BatchCommand("DELETE FROM {s}.jobs WHERE queue = $1 AND state = 2").With(name);
                batch.BatchCommands.Add(delete);
                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return delete.RecordsAffected;
            },
            cancellationToken);

    public static Task<QueueRemoveStatus> RemoveAsync(StoreContext context, string name, CancellationToken cancellationToken) =>
        context.Db.WriteAsync(
            async (connection, transaction) =>
            {
                var db = context.Db;
                await using (var select = db.Command(connection, transaction, "SELECT paused FROM {s}.queues WHERE name = $1 FOR UPDATE").With(name))
                {
                    switch (await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))
                    {
                        case null:
                            return QueueRemoveStatus.NotFound;
                        case true:
                            return QueueRemoveStatus.Paused;
                    }
                }

                await using (var jobs = db.Command(connection, transaction, "SELECT EXISTS (SELECT 1 FROM {s}.jobs WHERE queue = $1)").With(name))
                {
                    if (await jobs.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
                    {
                        return QueueRemoveStatus.NotEmpty;
                    }
                }

                await using var delete = db.Command(connection, transaction, "DELETE FROM {s}.queues WHERE name = $1").With(name);
                await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return QueueRemoveStatus.Removed;
            },
            cancellationToken);

    /// <summary>Every job and queue goes in one TRUNCATE, whatever their number; sequences and totals stay.</summary>
    public static Task<int> FlushAsync(StoreContext context, CancellationToken cancellationToken) =>
        context.Db.WriteAsync(
            async (connection, transaction) =>
            {
                var db = context.Db;
                await using (var lockTables = db.Command(connection, transaction, "LOCK TABLE {s}.queues, {s}.jobs, {s}.jobs_done IN ACCESS EXCLUSIVE MODE"))
                {
                    await lockTables.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                long count;
                await using (var countCommand = db.Command(connection, transaction, "SELECT (SELECT count(*) FROM {s}.jobs) + (SELECT COALESCE(sum(n), 0) FROM {s}.done_counts)::bigint"))
                {
                    count = (long)(await countCommand.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                }

                await using var truncate = db.Command(connection, transaction, "TRUNCATE {s}.jobs, {s}.jobs_done, {s}.queues");
                await truncate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return (int)count;
            },
            cancellationToken);
}

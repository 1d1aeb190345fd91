using Conveyor.Core.Storage;
using Npgsql;

namespace Conveyor.Storage.Postgres;

/// <summary>
/// Acks and fails in one transaction: the named rows are locked (in id order, so two settles never deadlock) and each
/// item is checked against the lease it names, then <see cref="SettleWrites"/> writes them all. A token is a number from
/// one sequence, so a lease checked here was granted by exactly one fetch on whichever node.
/// </summary>
internal static class SettleCommand
{
    public static Task<IReadOnlyList<SettleResult>> RunAsync(StoreContext context, JobSettle request, CancellationToken cancellationToken) =>
        context.Db.WriteAsync(
            async (connection, transaction) =>
            {
                var ids = request.Acks.Select(a => a.Id.ToString()).Concat(request.Fails.Select(f => f.Id.ToString())).Distinct(StringComparer.Ordinal).ToArray();
                var (rows, done) = await LockAsync(context.Db, connection, transaction, ids, cancellationToken).ConfigureAwait(false);
                var writes = new SettleWrites();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                var results = new List<SettleResult>(ids.Length);
                foreach (var ack in request.Acks)
                {
                    var status = Check(ack.Id.ToString(), ack.Token, ack.WorkerId, rows, done, seen, out _);
                    if (status == SettleStatus.Ok)
                    {
                        writes.Complete(ack.Id.ToString(), ack.Result);
                    }

                    results.Add(new SettleResult(ack.Id, status));
                }

                foreach (var fail in request.Fails)
                {
                    var status = Check(fail.Id.ToString(), fail.Token, fail.WorkerId, rows, done, seen, out var row);
                    if (status == SettleStatus.Ok)
                    {
                        writes.Fail(context, row!, fail.ErrorType, fail.Message, fail.Backtrace, fail.RetryIn, fail.Retry);
                    }

                    results.Add(new SettleResult(fail.Id, status));
                }

                await writes.ApplyAsync(context.Db, connection, transaction, context.Now, cancellationToken).ConfigureAwait(false);
                return (IReadOnlyList<SettleResult>)results;
            },
            cancellationToken);

    /// <summary>
    /// Locks the unfinished rows among <paramref name="ids"/> and finds which of the rest are finished: the archive (whose
    /// id lookup probes every partition) is read only for ids the hot table did not have.
    /// </summary>
    public static async Task<(Dictionary<string, LeasedRow> Rows, HashSet<string> Done)> LockAsync(
        Database db, NpgsqlConnection connection, NpgsqlTransaction transaction, string[] ids, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<string, LeasedRow>(StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = db.Command(connection, transaction, $"SELECT {LeasedRow.Columns} FROM {{s}}.jobs WHERE id = ANY($1) ORDER BY id FOR UPDATE").With(ids))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var row = LeasedRow.Read(reader);
                rows[row.Id] = row;
            }
        }

        var missing = ids.Where(id => !rows.ContainsKey(id)).ToArray();
        if (missing.Length == 0)
        {
            return (rows, done);
        }

        await using (var command = db.Command(connection, transaction, "SELECT id FROM {s}.jobs_done WHERE id = ANY($1)").With(missing))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                done.Add(reader.GetString(0));
            }
        }

        return (rows, done);
    }

    private static SettleStatus Check(
        string id, string token, string? workerId, Dictionary<string, LeasedRow> rows, HashSet<string> done, HashSet<string> seen, out LeasedRow? row)
    {
        if (!rows.TryGetValue(id, out row))
        {
            return done.Contains(id) ? SettleStatus.Stale : SettleStatus.Unknown;
        }

        // The same lease named twice in one batch settles once; the second is stale.
        return row.IsHeldBy(token, workerId) && seen.Add(id) ? SettleStatus.Ok : SettleStatus.Stale;
    }
}

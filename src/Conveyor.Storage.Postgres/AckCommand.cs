using Conveyor.Core.Storage;
using Npgsql;

namespace Conveyor.Storage.Postgres;

/// <summary>
/// A settle of acks only (what a worker sends nearly always), in one statement: the rows whose state, lease token and
/// worker still match are deleted from the hot table and written to <c>jobs_done</c> with their results, and the totals
/// counted, in the same round trip; the lease check is the delete's own condition, so no row is locked and read first.
/// Acks that did not match (stale or unknown) are then told apart as <see cref="SettleCommand"/> does.
/// </summary>
internal static class AckCommand
{
    /// <summary>$1 ids, $2 tokens, $3 workers (null: any), $4 results, $5 finished_at, $6 totals slot; returns the ids moved.</summary>
    private const string Sql = $$"""
        WITH moved AS (
            DELETE FROM {s}.jobs j USING unnest($1::text[], $2::bigint[], $3::text[], $4::bytea[]) WITH ORDINALITY AS u(id, token, worker, result, ord)
            WHERE j.id = u.id AND j.state = 3 AND j.lease_token = u.token AND (u.worker IS NULL OR j.lease_worker = u.worker)
            RETURNING j.*, u.result AS new_result, u.ord AS new_ord),
        woken AS (SELECT pg_notify({c}, ' ' || id) FROM moved WHERE watched),
        done AS (
            INSERT INTO {s}.jobs_done (
                {{SettleWrites.CopiedColumns}}, state, finished_at, failures,
                unique_mode, unique_holder, timeout_seconds, progress_percent, progress_message, progress_at, result)
            SELECT {{SettleWrites.CopiedColumns}}, 5, $5, failures,
                unique_mode, NULL, timeout_seconds, progress_percent, progress_message, progress_at, new_result
            FROM moved WHERE (SELECT count(*) FROM woken) >= 0 ORDER BY new_ord
            RETURNING id),
        counted AS (
            UPDATE {s}.totals SET processed = processed + (SELECT count(*) FROM done) WHERE slot = $6 AND EXISTS (SELECT 1 FROM done))
        SELECT id FROM done
        """;

    /// <summary>
    /// Whether <paramref name="request"/> goes this way: acks only, each job named once (a job named twice is settled by
    /// the first ack that holds its lease, which <see cref="SettleCommand"/> decides in order).
    /// </summary>
    public static bool Fits(JobSettle request) =>
        request.Fails.Count == 0 && request.Acks.Count > 0 && request.Acks.Select(a => a.Id).Distinct().Count() == request.Acks.Count;

    public static Task<IReadOnlyList<SettleResult>> RunAsync(StoreContext context, JobSettle request, CancellationToken cancellationToken) =>
        context.Db.WriteAsync(
            async (connection, transaction) =>
            {
                var moved = await MoveAsync(context, connection, transaction, request.Acks, cancellationToken).ConfigureAwait(false);
                var results = new SettleResult[request.Acks.Count];
                var rest = new List<string>();
                for (var i = 0; i < results.Length; i++)
                {
                    var id = request.Acks[i].Id.ToString();
                    if (moved.Contains(id))
                    {
                        results[i] = new SettleResult(request.Acks[i].Id, SettleStatus.Ok);
                    }
                    else
                    {
                        rest.Add(id);
                    }
                }

                if (rest.Count > 0)
                {
                    // Not moved: that lease does not hold the job (a token is never granted twice), so stale if the job exists.
                    var (rows, done) = await SettleCommand.LockAsync(context.Db, connection, transaction, [.. rest], cancellationToken).ConfigureAwait(false);
                    for (var i = 0; i < results.Length; i++)
                    {
                        var id = request.Acks[i].Id.ToString();
                        if (!moved.Contains(id))
                        {
                            results[i] = new SettleResult(request.Acks[i].Id, rows.ContainsKey(id) || done.Contains(id) ? SettleStatus.Stale : SettleStatus.Unknown);
                        }
                    }
                }

                return (IReadOnlyList<SettleResult>)results;
            },
            cancellationToken);

    private static async Task<HashSet<string>> MoveAsync(
        StoreContext context, NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<JobAck> acks, CancellationToken cancellationToken)
    {
        var ids = new string[acks.Count];
        var tokens = new long[acks.Count];
        var workers = new string?[acks.Count];
        byte[]?[] results = new byte[acks.Count][];
        for (var i = 0; i < acks.Count; i++)
        {
            ids[i] = acks[i].Id.ToString();
            tokens[i] = LeaseTokens.Parse(acks[i].Token);
            workers[i] = acks[i].WorkerId;
            results[i] = acks[i].Result;
        }

        await using var command = new NpgsqlCommand(context.Db.Sql(Sql), connection, transaction);
        command.With(ids).With(tokens).With(workers).With(results).With(context.Now).With(StoreContext.TotalsSlot());
        var moved = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            moved.Add(reader.GetString(0));
        }

        return moved;
    }
}

using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;

namespace Conveyor.Storage.Postgres;

/// <summary>Progress reports (fenced by the lease token) and the read a finish wait makes (marking the job watched).</summary>
internal static class ProgressCommands
{
    public static Task<SettleStatus> ReportAsync(StoreContext context, JobProgressReport request, CancellationToken cancellationToken)
    {
        var db = context.Db;
        return db.ReadAsync(
            async connection =>
            {
                await using var command = db.Command(connection, null, """
                    UPDATE {s}.jobs SET progress_percent = $3, progress_message = $4, progress_at = $5
                    WHERE id = $1 AND state = 3 AND lease_token = $2
                    """).With(request.Id.ToString()).With(LeaseTokens.Parse(request.Token)).With((short)request.Percent)
                    .WithNullable(request.Message, NpgsqlTypes.NpgsqlDbType.Text).With(context.Now);
                if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    return SettleStatus.Ok;
                }

                var known = await LeaseCommands.ExistsAsync(db, connection, request.Id.ToString(), cancellationToken).ConfigureAwait(false);
                return known ? SettleStatus.Stale : SettleStatus.Unknown;
            },
            cancellationToken);
    }

    /// <summary>
    /// Marks an unfinished job watched (the statement that finishes it then notifies) and reads it, in one transaction: a
    /// settle that locked the row first has moved it by the time the read looks.
    /// </summary>
    public static Task<JobInfo?> WatchAsync(StoreContext context, string id, CancellationToken cancellationToken)
    {
        var db = context.Db;
        return db.ReadAsync(
            async connection =>
            {
                await using var batch = new Npgsql.NpgsqlBatch(connection);
                batch.BatchCommands.Add(db.BatchCommand("UPDATE {s}.jobs SET watched = true WHERE id = $1 AND NOT watched").With(id));
                batch.BatchCommands.Add(db.BatchCommand(
                    $"SELECT {JobRows.HotColumns} FROM {{s}}.jobs WHERE id = $1 UNION ALL SELECT {JobRows.DoneColumns} FROM {{s}}.jobs_done WHERE id = $1").With(id));
                await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? JobRows.Read(reader) : null;
            },
            cancellationToken);
    }
}

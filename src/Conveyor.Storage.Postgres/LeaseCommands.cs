using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Npgsql;

namespace Conveyor.Storage.Postgres;

/// <summary>What a lease holder does besides settling: extend it (heartbeat), hand it back (release), ask whether it still holds.</summary>
internal static class LeaseCommands
{
    public static async Task<HeartbeatResult> HeartbeatAsync(StoreContext context, JobHeartbeat request, CancellationToken cancellationToken)
    {
        var db = context.Db;
        return await db.ReadAsync(
            async connection =>
            {
                var now = context.Now;
                await using var command = db.Command(connection, null, """
                    UPDATE {s}.jobs SET lease_expires_at = LEAST($3 + COALESCE($4, lease_seconds * 10000000::bigint), attempt_deadline)
                    WHERE id = $1 AND state = 3 AND lease_token = $2 RETURNING lease_expires_at
                    """).With(request.Id).With(LeaseTokens.Parse(request.Token)).With(now)
                    .WithNullable(request.Extend?.Ticks, NpgsqlTypes.NpgsqlDbType.Bigint);
                if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long expiresAt)
                {
                    return new HeartbeatResult(SettleStatus.Ok, JobRows.Time(expiresAt));
                }

                var known = await ExistsAsync(db, connection, request.Id, cancellationToken).ConfigureAwait(false);
                return new HeartbeatResult(known ? SettleStatus.Stale : SettleStatus.Unknown, null);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public static async Task<int> ReleaseAsync(StoreContext context, LeasesRelease request, CancellationToken cancellationToken)
    {
        var db = context.Db;
        var ids = request.Leases.Select(l => l.Id.ToString()).ToArray();
        var tokens = request.Leases.Select(l => LeaseTokens.Parse(l.Token)).ToArray();
        var queues = await db.WriteAsync(
            async (connection, transaction) =>
            {
                var released = new List<string>();
                await using (var command = db.Command(connection, transaction, """
                    UPDATE {s}.jobs j SET state = 2, attempt = j.attempt - 1, available_at = $3, ready_seq = n.rs,
                        lease_token = NULL, lease_worker = NULL, lease_expires_at = NULL, attempt_deadline = NULL,
                        unique_holder = CASE WHEN j.unique_mode = 1 AND j.attempt = 1 AND j.unique_until > $3
                            AND NOT EXISTS (SELECT 1 FROM {s}.jobs h WHERE h.unique_holder = j.unique_key)
                            AND NOT EXISTS (SELECT 1 FROM {s}.done_holders h WHERE h.unique_holder = j.unique_key)
                            THEN j.unique_key ELSE j.unique_holder END
                    FROM (SELECT id, nextval('{s}.ready_seq') AS rs FROM (
                        SELECT j2.id FROM {s}.jobs j2 JOIN unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS u(id, token, ord)
                            ON j2.id = u.id AND j2.lease_token = u.token
                        WHERE j2.state = 3 ORDER BY u.ord FOR UPDATE OF j2) o) n
                    WHERE j.id = n.id RETURNING j.queue
                    """).With(ids).With(tokens).With(context.Now))
                await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        released.Add(reader.GetString(0));
                    }
                }

                await OperatorCommands.NotifyAsync(db, connection, transaction, released, cancellationToken).ConfigureAwait(false);
                return released;
            },
            cancellationToken).ConfigureAwait(false);
        await context.Waiters.Wake(queues).ConfigureAwait(false);
        return queues.Count;
    }

    public static async Task<IReadOnlyList<LostLease>> CheckAsync(StoreContext context, LeasesCheck request, CancellationToken cancellationToken)
    {
        if (request.Leases.Count == 0)
        {
            return [];
        }

        var db = context.Db;
        var ids = request.Leases.Select(l => l.Id.ToString()).Distinct(StringComparer.Ordinal).ToArray();
        var rows = await db.ReadAsync(
            async connection =>
            {
                var found = new Dictionary<string, (JobState State, long? Token)>(StringComparer.Ordinal);
                await using var command = db.Command(connection, null, """
                    SELECT id, state, lease_token FROM {s}.jobs WHERE id = ANY($1)
                    UNION ALL SELECT id, state, NULL FROM {s}.jobs_done WHERE id = ANY($1)
                    """).With(ids);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    found[reader.GetString(0)] = ((JobState)reader.GetInt16(1), reader.IsDBNull(2) ? null : reader.GetInt64(2));
                }

                return found;
            },
            cancellationToken).ConfigureAwait(false);
        var lost = new List<LostLease>();
        foreach (var lease in request.Leases)
        {
            if (!rows.TryGetValue(lease.Id.ToString(), out var row))
            {
                lost.Add(new LostLease(lease.Id, lease.Token, LeaseLoss.Unknown));
            }
            else if (!(row.State == JobState.Active && row.Token == LeaseTokens.Parse(lease.Token)))
            {
                lost.Add(new LostLease(lease.Id, lease.Token, row.State == JobState.Cancelled ? LeaseLoss.Cancelled : LeaseLoss.Lost));
            }
        }

        return lost;
    }

    public static async Task<bool> ExistsAsync(Database db, NpgsqlConnection connection, string id, CancellationToken cancellationToken)
    {
        await using var command = db.Command(connection, null, "SELECT EXISTS (SELECT 1 FROM {s}.jobs WHERE id = $1) OR EXISTS (SELECT 1 FROM {s}.jobs_done WHERE id = $1)").With(id);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
    }
}

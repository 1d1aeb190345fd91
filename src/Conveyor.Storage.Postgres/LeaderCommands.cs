using Npgsql;

namespace Conveyor.Storage.Postgres;

/// <summary>
/// The statements on the one-row <c>leader</c> table. Expiry is by the database's clock (<c>clock_timestamp()</c>), so the
/// nodes' clocks never compare with each other.
/// </summary>
internal static class LeaderCommands
{
    /// <summary>
    /// Election and renewal in one statement: the row is taken when missing or expired (term + 1) and renewed when it is
    /// this node's and not expired (same term). Returns the holder after the statement, and whether it is this node.
    /// </summary>
    private const string ElectSql = """
        WITH won AS (
            INSERT INTO {s}.leader AS l (id, node, term, elected_at, expires_at)
            VALUES (true, $1, 1, clock_timestamp(), clock_timestamp() + make_interval(secs => $2))
            ON CONFLICT (id) DO UPDATE SET
                term = CASE WHEN l.node = $1 AND l.expires_at > clock_timestamp() THEN l.term ELSE l.term + 1 END,
                elected_at = CASE WHEN l.node = $1 AND l.expires_at > clock_timestamp() THEN l.elected_at ELSE clock_timestamp() END,
                node = $1,
                expires_at = clock_timestamp() + make_interval(secs => $2)
            WHERE l.node = $1 OR l.expires_at <= clock_timestamp()
            RETURNING l.node, l.term)
        SELECT node, term, true FROM won
        UNION ALL
        SELECT node, term, false FROM {s}.leader WHERE NOT EXISTS (SELECT 1 FROM won)
        """;

    public static Task<(string Node, long Term, bool Mine)> ElectAsync(Database db, string node, TimeSpan lease, CancellationToken cancellationToken) =>
        db.ReadAsync(
            async connection =>
            {
                await using var command = db.Command(connection, null, ElectSql).With(node).With(lease.TotalSeconds);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return ("", 0L, false);
                }

                return (reader.GetString(0), reader.GetInt64(1), reader.GetBoolean(2));
            },
            cancellationToken);

    /// <summary>Gives the row up (expires it now, keeping the term so that the next holder's is higher).</summary>
    public static Task<int> ReleaseAsync(Database db, LeaderTerm held, CancellationToken cancellationToken) =>
        db.ReadAsync(
            async connection =>
            {
                await using var command = db.Command(connection, null, "UPDATE {s}.leader SET expires_at = clock_timestamp() WHERE node = $1 AND term = $2")
                    .With(held.Node).With(held.Term);
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);

    /// <summary>
    /// The fence at the start of every maintenance transaction: true when the row still names <paramref name="held"/> and
    /// has not expired. The row is share-locked until the transaction ends, so no other node can take it meanwhile: a
    /// deposed leader's late transaction finds another term here and changes nothing.
    /// </summary>
    public static async Task<bool> FenceAsync(
        Database db, NpgsqlConnection connection, NpgsqlTransaction transaction, LeaderTerm held, CancellationToken cancellationToken)
    {
        await using var command = db.Command(connection, transaction, """
            SELECT 1 FROM {s}.leader WHERE node = $1 AND term = $2 AND expires_at > clock_timestamp() FOR SHARE
            """).With(held.Node).With(held.Term);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }
}

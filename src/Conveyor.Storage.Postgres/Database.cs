using Conveyor.Core.Storage;
using Npgsql;

namespace Conveyor.Storage.Postgres;

/// <summary>
/// The store's one <see cref="NpgsqlDataSource"/> and how every operation talks through it: SQL templates get the schema,
/// each write runs in one transaction that is tried again when it lost a race with another node (a unique key or id taken
/// meanwhile, a serialization failure or deadlock), and a database that cannot be reached is a <see cref="StorageUnavailableException"/>.
/// </summary>
internal sealed class Database(NpgsqlDataSource source, string schema) : IAsyncDisposable
{
    private const int MaxTries = 8;

    /// <summary>The schema and channel names, and the SQL templating.</summary>
    public SchemaSql Names { get; } = new(schema);

    /// <summary>The schema, quoted as an identifier.</summary>
    public string Schema => Names.Schema;

    /// <summary>The channel NOTIFY and LISTEN use: one per schema.</summary>
    public string Channel => Names.Channel;

    /// <summary>The pool.</summary>
    public NpgsqlDataSource Source => source;

    /// <summary>A template with <c>{s}</c> standing for the schema and <c>{c}</c> for the channel (a string literal).</summary>
    public string Sql(string template) => Names.Sql(template);

    /// <summary>Runs <paramref name="body"/> in a transaction and commits it; tried again from the start after a lost race.</summary>
    public async Task<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> body, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var committing = false;
            try
            {
                await using var connection = await Source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                var result = await body(connection, transaction).ConfigureAwait(false);
                committing = true;
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
            catch (PostgresException e) when (IsLostRace(e) && attempt < MaxTries)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 * attempt)), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!committing && IsBrokenConnection(e) && attempt < 3)
            {
                // Nothing was committed: a pooled connection the server dropped (a restart, a failover). Start again on fresh ones.
                Source.Clear();
            }
            catch (Exception e) when (Unavailable(e) is { } unavailable)
            {
                throw unavailable;
            }
        }
    }

    /// <summary>Runs a read (or a single self-contained statement batch) on a pooled connection.</summary>
    public async Task<T> ReadAsync<T>(Func<NpgsqlConnection, Task<T>> body, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await Source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                return await body(connection).ConfigureAwait(false);
            }
            catch (Exception e) when (IsBrokenConnection(e) && attempt < 3)
            {
                // A pooled connection the server dropped. The statement is a read, or one self-contained write whose loss at
                // worst leaves leases nobody holds (they expire): run it again on a fresh connection.
                Source.Clear();
            }
            catch (Exception e) when (Unavailable(e) is { } unavailable)
            {
                throw unavailable;
            }
        }
    }

    public NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string template) =>
        Names.Command(connection, transaction, template);

    public NpgsqlBatchCommand BatchCommand(string template) => Names.BatchCommand(template);

    public ValueTask DisposeAsync() => source.DisposeAsync();

    private static bool IsLostRace(PostgresException e) =>
        e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected
            or PostgresErrorCodes.ForeignKeyViolation;

    private static bool IsBrokenConnection(Exception e) => e switch
    {
        PostgresException p => p.SqlState.StartsWith("57P", StringComparison.Ordinal) || p.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException n => n.InnerException is IOException or System.Net.Sockets.SocketException || n.IsTransient,
        _ => false,
    };

    /// <summary>The error a caller sees for a database that cannot be reached or refuses work; null for anything else (a bug, cancellation).</summary>
    private static StorageUnavailableException? Unavailable(Exception e) => e switch
    {
        OperationCanceledException => null,
        PostgresException p when p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState.StartsWith("53", StringComparison.Ordinal)
            || p.SqlState.StartsWith("57P", StringComparison.Ordinal) || p.SqlState.StartsWith("58", StringComparison.Ordinal)
            => new StorageUnavailableException("the database refused the write: " + p.MessageText, e),
        PostgresException => null,
        NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or IOException
            => new StorageUnavailableException("the database cannot be reached", e),
        _ => null,
    };
}

using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Npgsql;

namespace Conveyor.Client.Postgres;

/// <summary>
/// Enqueues jobs inside the application's own PostgreSQL transaction, on the database its Conveyor nodes use: the jobs
/// exist if and only if that transaction commits, and the nodes' waiting fetches are notified on commit (the NOTIFY is
/// part of the transaction, so a rollback wakes nobody). The same rules as an enqueue through a node: a client id or a
/// held unique key returns the existing job.
/// </summary>
/// <example>
/// <code>
/// await using var tx = await connection.BeginTransactionAsync();
/// await InsertOrderAsync(connection, tx, order);
/// await PostgresTransactionalEnqueue.EnqueueAsync(connection, tx, new JobSpec { Type = "order.confirm", Args = args });
/// await tx.CommitAsync();
/// </code>
/// </example>
public static class PostgresTransactionalEnqueue
{
    private const string Savepoint = "conveyor_enqueue";
    private const int MaxTries = 5;

    /// <summary>Enqueues one job in <paramref name="transaction"/>; returns its id (the existing job's for a taken id or unique key).</summary>
    public static async Task<string> EnqueueAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, JobSpec job, PostgresEnqueueOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = await EnqueueAsync(connection, transaction, [job], options, cancellationToken).ConfigureAwait(false);
        return result.Status == EnqueueStatus.Ok
            ? result.Jobs[0].Id
            : throw new InvalidOperationException($"job id '{job.Id}' is taken by a job of another type or with other args");
    }

    /// <summary>
    /// Enqueues a batch in <paramref name="transaction"/>, all or nothing (<see cref="EnqueueStatus.IdConflict"/> writes
    /// nothing). An invalid job is an <see cref="ArgumentException"/> naming its field.
    /// </summary>
    public static async Task<EnqueueResult> EnqueueAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<JobSpec> jobs, PostgresEnqueueOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(jobs);
        options ??= new PostgresEnqueueOptions();
        if (!SchemaSql.IsPlainName(options.Schema))
        {
            throw new ArgumentException($"schema '{options.Schema}' is not a plain name", nameof(options));
        }

        for (var i = 0; i < jobs.Count; i++)
        {
            if (JobSpecValidator.Validate(jobs[i]) is { } error)
            {
                throw new ArgumentException($"job {i}: {error.Field}: {error.Message}", nameof(jobs));
            }
        }

        var sql = new SchemaSql(options.Schema);
        var available = new HashSet<string>(StringComparer.Ordinal);
        for (var attempt = 1; ; attempt++)
        {
            // A savepoint, so that losing a race with a node (the same id or unique key committed meanwhile) undoes only
            // this enqueue and decides it again, instead of aborting the application's transaction.
            await transaction.SaveAsync(Savepoint, cancellationToken).ConfigureAwait(false);
            try
            {
                // Every queue that got a job due now is notified: one NOTIFY per queue, delivered only if the transaction commits.
                var result = await JobInsert.WithinAsync(
                    sql, options.Time.GetUtcNow().UtcTicks, connection, transaction, jobs, available, queues => queues, cancellationToken).ConfigureAwait(false);
                await transaction.ReleaseAsync(Savepoint, cancellationToken).ConfigureAwait(false);
                return result;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && attempt < MaxTries)
            {
                await transaction.RollbackAsync(Savepoint, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}

using Conveyor.Core.Storage;
using Npgsql;

namespace Conveyor.Storage.Postgres;

/// <summary>
/// Enqueues a batch in one transaction with the insert code transactional enqueue uses (<see cref="JobInsert"/>). A unique
/// key or id taken by another node meanwhile fails the transaction, and the whole batch is decided again. The queues that
/// got jobs due now are notified within this node's rate limit (<see cref="NotifyLimiter"/>), and this node's own waiting
/// fetches are served before the enqueue answers.
/// </summary>
internal static class EnqueueCommand
{
    public static async Task<EnqueueResult> RunAsync(StoreContext context, JobEnqueue request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var available = new HashSet<string>(StringComparer.Ordinal);
        IReadOnlyCollection<string> notified = [];
        var result = await context.Db.WriteAsync(
            (connection, transaction) => JobInsert.WithinAsync(
                context.Db.Names, context.Now, connection, transaction, request.Jobs, available,
                queues => notified = context.Notifies.Take(queues), cancellationToken),
            cancellationToken).ConfigureAwait(false);
        if (available.Count > 0)
        {
            if (notified.Count < available.Count)
            {
                context.Notifies.Trail(available.Except(notified, StringComparer.Ordinal));
            }

            await context.Waiters.Wake(available).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>
    /// Enqueues inside a transaction the caller owns (a schedule's tick), notifying every queue that got jobs due now;
    /// <paramref name="available"/> gets those queues, to wake this node's waiting fetches after the commit.
    /// </summary>
    public static Task<EnqueueResult> WithinAsync(
        StoreContext context, NpgsqlConnection connection, NpgsqlTransaction transaction, JobEnqueue request, HashSet<string> available,
        CancellationToken cancellationToken) =>
        JobInsert.WithinAsync(context.Db.Names, context.Now, connection, transaction, request.Jobs, available, queues => queues, cancellationToken);
}

using Microsoft.Extensions.Logging;
using Npgsql;

namespace Conveyor.Storage.Postgres;

/// <summary>
/// LISTENs on the schema's channel on a connection of its own (not one a pool hands around) and wakes this node's
/// waiting fetches for the queue each notification names. After every (re)connect it wakes them all, since
/// notifications sent while it was away are lost; if it cannot connect, the waiters' poll keeps them going.
/// </summary>
internal sealed partial class NotifyListener : IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly Database db;
    private readonly FetchWaiters waiters;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    /// <summary>This node's finish waits: a payload that starts with a space names a watched job that finished or went.</summary>
    public FinishWaiters? Finishes { get; init; }

    /// <summary>Whether the last attempt to hold the LISTEN connection succeeded (readiness reports the database unreachable otherwise).</summary>
    public bool Connected { get; private set; } = true;

    public NotifyListener(Database db, FetchWaiters waiters, ILogger logger)
    {
        this.db = db;
        this.waiters = waiters;
        this.logger = logger;
        loop = Task.Run(RunAsync);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Closing.
        }

        stop.Dispose();
    }

    private async Task RunAsync()
    {
        var token = stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await using var connection = await db.Source.OpenConnectionAsync(token).ConfigureAwait(false);
                connection.Notification += (_, e) =>
                {
                    if (e.Payload.StartsWith(' '))
                    {
                        Finishes?.Wake([e.Payload[1..]]);
                    }
                    else
                    {
                        _ = waiters.Wake([e.Payload]);
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN \"{db.Channel}\"", connection))
                {
                    await listen.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                }

                Connected = true;
                _ = waiters.WakeAll();
                Finishes?.WakeAll();
                while (true)
                {
                    await connection.WaitAsync(token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
            {
                Connected = false;
                LogListenFailed(logger, e.Message);
                await Task.Delay(RetryDelay, token).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "LISTEN connection lost ({Reason}); waiting fetches poll until it is back")]
    private static partial void LogListenFailed(ILogger logger, string reason);
}

using System.Diagnostics;
using Conveyor.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Conveyor.Storage.Postgres;

/// <summary>
/// This node's part in electing the one leader among the nodes on a schema (River's elector, research §5, §9.11): every
/// <c>renew</c> it runs the election statement, which renews the lease row when it is this node's or takes it when it
/// expired. Leadership is trusted only until the start of the last successful renewal plus the lease minus a fifth of
/// it, by this process's monotonic clock: the row expires (by the database's clock) after that, so a leader whose renewals
/// fail stops acting before another node can win. A lease row, unlike a session advisory lock, survives connection
/// poolers and needs no connection held open.
/// </summary>
internal sealed partial class LeaderElector : IAsyncDisposable
{
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(1);

    private readonly Database db;
    private readonly TimeSpan lease;
    private readonly TimeSpan renew;
    private readonly long trustTicks;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stop = new();
    private Task loop = Task.CompletedTask;
    private volatile Held? held;
    private long seenTerm;
    private int disposed;

    public LeaderElector(Database db, TimeSpan lease, TimeSpan renew, ILogger logger)
    {
        this.db = db;
        this.lease = lease;
        this.renew = renew;
        this.logger = logger;
        trustTicks = (long)((lease - lease / 5).TotalSeconds * Stopwatch.Frequency);
        Node = $"{Environment.MachineName}:{Environment.ProcessId}:{Random.Shared.Next():x8}";
    }

    /// <summary>This store instance's id in the leader row: host, process and a random part (a restarted node is a new one).</summary>
    public string Node { get; }

    /// <summary>The term this node leads, while its trust window lasts; null otherwise.</summary>
    public LeaderTerm? Current => held is { } h && Stopwatch.GetTimestamp() < h.TrustedUntil ? h.Term : null;

    /// <summary>The term this node leads, or else the last term it saw another node hold (0 before any).</summary>
    public long Term => Current?.Term ?? Volatile.Read(ref seenTerm);

    /// <summary>Tests only: while set, this node makes no election attempt (as if the database could not be reached).</summary>
    internal bool Paused { get; set; }

    /// <summary>Runs the first election now (a lone node leads from the start), then keeps renewing in the background.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await TryOnceAsync(cancellationToken).ConfigureAwait(false);
        loop = Task.Run(RunAsync, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await loop.ConfigureAwait(false);
        stop.Dispose();
        if (held is { } h)
        {
            held = null;
            try
            {
                // Expire the row now so another node takes over at its next attempt instead of after the lease.
                await LeaderCommands.ReleaseAsync(db, h.Term, CancellationToken.None).ConfigureAwait(false);
                LogResigned(Node, h.Term.Term);
            }
            catch (StorageUnavailableException e)
            {
                LogElectionFailed(e.Message);
            }
        }
    }

    private async Task RunAsync()
    {
        var token = stop.Token;
        while (!token.IsCancellationRequested)
        {
            var ok = Paused || await TryOnceAsync(token).ConfigureAwait(false);
            if (held is { } h && Stopwatch.GetTimestamp() >= h.TrustedUntil)
            {
                held = null;
                LogLost(Node, h.Term.Term, "no renewal succeeded within the trust window");
            }

            try
            {
                await Task.Delay(ok || held is null ? renew : TimeSpan.FromTicks(Math.Min(renew.Ticks, RetryAfterFailure.Ticks)), token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<bool> TryOnceAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var (node, term, mine) = await LeaderCommands.ElectAsync(db, Node, lease, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref seenTerm, term);
            var was = held;
            if (mine)
            {
                held = new Held(new LeaderTerm(Node, term), started + trustTicks);
                if (was?.Term.Term != term)
                {
                    LogGained(Node, term);
                }
            }
            else if (was is not null)
            {
                held = null;
                LogLost(Node, was.Term.Term, $"node {node} holds the lease (term {term})");
            }

            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception e) when (e is StorageUnavailableException or Npgsql.NpgsqlException)
        {
            LogElectionFailed(e.Message);
            return false;
        }
    }

    private sealed record Held(LeaderTerm Term, long TrustedUntil);

    [LoggerMessage(Level = LogLevel.Information, Message = "This node ({Node}) is now the leader of the PostgreSQL nodes (term {Term}): it runs promotion, lease expiry, pruning and schedules")]
    private partial void LogGained(string node, long term);

    [LoggerMessage(Level = LogLevel.Warning, Message = "This node ({Node}) is no longer the leader (term {Term}): {Reason}")]
    private partial void LogLost(string node, long term, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "This node ({Node}) gave up leadership on stopping (term {Term})")]
    private partial void LogResigned(string node, long term);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Leader election attempt failed ({Reason})")]
    private partial void LogElectionFailed(string reason);
}

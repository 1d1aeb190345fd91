using System.Threading.Channels;
using Conveyor.Core.Storage;
using Conveyor.Storage.Embedded.Device;
using Conveyor.Storage.Embedded.Events;
using Conveyor.Storage.Embedded.Log;
using Conveyor.Storage.Embedded.Operations;
using Conveyor.Storage.Embedded.Snapshots;
using Microsoft.Extensions.Logging;

namespace Conveyor.Storage.Embedded.Writer;

/// <summary>
/// The single writer that owns the state. It drains the command channel in batches, runs each command
/// (which applies its events in memory and appends them to the WAL), makes the batches durable with one
/// write and fsync (group commit), and only then completes the callers; a fetch <see cref="LazyLeases"/> lets answer
/// early is completed as soon as it ran, and a batch of nothing else leaves its records for the next commit. In sync
/// mode the fsync runs off the loop (<see cref="InFlightCommit"/>): while it runs the loop goes on running batches,
/// answering early fetches, and collects the rest for the next commit, which it writes once the fsync is done. When the write fails (disk full,
/// I/O error) it reloads the state from disk, so memory never holds a change the disk does not, refuses
/// the batch's writes, answers its reads, and keeps refusing writes until a probe interval has passed
/// (<see cref="GroupCommit"/>). An operation that throws after it began changing the state stops it for good
/// (<see cref="Stop"/>). Snapshots are <see cref="SnapshotTaker"/>'s. Partial only for its [LoggerMessage] methods.
/// </summary>
internal sealed partial class StoreWriter : IAsyncDisposable
{
    private const int MaxBatch = 4096;

    /// <summary>Records that only answered-early leases need are committed anyway once they reach this size.</summary>
    private const int LazyBytesLimit = 1 << 20;

    private readonly Channel<StoreOperation> channel = Channel.CreateUnbounded<StoreOperation>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

    private readonly SnapshotFiles snapshots;
    private readonly SnapshotTaker snapshotting;
    private readonly EmbeddedStoreOptions options;
    private readonly JobStoreSettings settings;
    private readonly ILogger logger;
    private readonly OperationContext context;
    private readonly List<StoreOperation> batch = new(MaxBatch);

    /// <summary>Per command of <see cref="batch"/>: already answered (failed or refused) while it ran.</summary>
    private readonly List<bool> done = new(MaxBatch);
    private readonly Task loop;
    private readonly WriteAheadLog log;
    private readonly GroupCommit commit;

    /// <summary>Sync mode: a commit's fsync runs off the loop.</summary>
    private readonly bool pipelined;

    /// <summary>Operations run but not answered yet: answered by the next commit (or, with nothing to commit, once none is in flight).</summary>
    private List<StoreOperation> waiting = [];
    private List<StoreOperation>? spare;

    /// <summary>Whether the records pending in the log hold something an unanswered caller waits on (not only early leases).</summary>
    private bool needsCommit;
    private InFlightCommit? inFlight;

    /// <summary>Where sync mode's fsyncs run; the end of each is put on the channel (<see cref="SyncEnded"/>), which wakes the loop.</summary>
    private readonly SyncThread syncThread;
    private volatile StorageUnavailableException? broken;

    public StoreWriter(IStorageDevice device, EmbeddedStoreOptions options, JobStoreSettings settings, ILogger logger)
    {
        this.options = options;
        this.settings = settings;
        this.logger = logger;
        snapshots = new SnapshotFiles(device);
        (var table, log) = StoreRecovery.Recover(device, snapshots, new WalOptions { SegmentBytes = options.SegmentBytes, DirectWrites = options.DirectWalWrites }, logger);
        snapshotting = new SnapshotTaker(snapshots, log, options, logger);
        context = new OperationContext(settings, AppendEvent)
        {
            Table = table, Counters = ReadCounters, MemoryBudget = options.ResolveMemoryBudget(),
            Lazy = new LazyLeases(enabled: options.Durability == DurabilityMode.Sync),
        };
        context.Lazy.Reset(table);
        LogBudget(table.HeldBytes, context.MemoryBudget);
        commit = new GroupCommit(log, options, settings.Time, logger);
        pipelined = options.Durability == DurabilityMode.Sync;
        syncThread = new SyncThread();
        loop = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Queues a command; its task completes once the command's batch is durable.</summary>
    public Task<T> Submit<T>(StoreOperation<T> command)
    {
        if (!channel.Writer.TryWrite(command))
        {
            command.Fail(new ObjectDisposedException(nameof(EmbeddedJobStore), "the store is closed"));
        }

        return command.Task;
    }

    /// <summary>Why the store stopped for good (fail-stop), or null while it serves.</summary>
    public StorageUnavailableException? Failure => broken;

    private StorageCounters ReadCounters() => new(log.FlushCount, log.SyncCount, log.BytesWritten, snapshotting.Written, snapshotting.Failures);

    private void AppendEvent(StoreEvent e)
    {
        var output = log.BeginRecord((byte)e.Type);
        EventCodec.Encode(e, output);
        log.EndRecord();
    }

    private async Task RunAsync()
    {
        var reader = channel.Reader;
        while (await WaitForWorkAsync(reader).ConfigureAwait(false))
        {
            SnapshotOperation? snapshot = null;
            while (batch.Count < MaxBatch && reader.TryRead(out var command))
            {
                if (command is SyncEnded ended)
                {
                    // Finished before the commands after it run (they may be fetches its leases let answer early).
                    if (ReferenceEquals(inFlight?.Ended, ended) && broken is null)
                    {
                        Guarded(EndInFlight, "the commit");
                    }

                    continue;
                }

                if (command is SnapshotOperation requested)
                {
                    // A snapshot runs alone, after the commands before it are durable.
                    snapshot = requested;
                    break;
                }

                batch.Add(command);
            }

            if (batch.Count > 0)
            {
                RunBatch();
                batch.Clear();
            }
            else if (broken is null)
            {
                // Woken by the end of an fsync: write what piled up meanwhile.
                Guarded(Commit, "the commit");
            }

            snapshot?.Run();
            if (broken is null)
            {
                snapshotting.Continue();
            }
            else
            {
                // The state may be half-changed by the failure: no snapshot is taken from it.
                snapshotting.Abort();
            }
        }

        if (broken is null)
        {
            Guarded(CommitNow, "the last commit");
        }

        EndParked();
    }

    /// <summary>
    /// Waits for commands; in interval mode, wakes to fsync what earlier batches wrote; wakes when a snapshot's
    /// fsync is done, to publish it. While a snapshot still has jobs to write it does not wait: with no command
    /// queued the loop writes the snapshot's next slice.
    /// </summary>
    private async ValueTask<bool> WaitForWorkAsync(ChannelReader<StoreOperation> reader)
    {
        if (reader.TryPeek(out _))
        {
            return true;
        }

        if (snapshotting.Running && snapshotting.Syncing is null or { IsCompleted: true })
        {
            return !reader.Completion.IsCompleted;
        }

        var syncing = snapshotting.Syncing;
        if (syncing is null && options.Durability != DurabilityMode.Interval)
        {
            return await reader.WaitToReadAsync().ConfigureAwait(false);
        }

        while (true)
        {
            Task? timer = null;
            if (options.Durability == DurabilityMode.Interval)
            {
                var wait = commit.UntilSyncDue;
                if (wait <= TimeSpan.Zero)
                {
                    SyncQuietly();
                    wait = options.SyncInterval;
                }

                timer = Task.Delay(wait, settings.Time);
            }

            var waiting = reader.WaitToReadAsync().AsTask();
            var woke = await Task.WhenAny(new[] { waiting, syncing, timer }.OfType<Task>()).ConfigureAwait(false);
            if (woke == waiting)
            {
                return await waiting.ConfigureAwait(false);
            }

            if (woke == syncing)
            {
                return true;
            }
        }
    }

    /// <summary>Takes a snapshot on the writer loop (between batches) and waits for it.</summary>
    public Task<bool> SnapshotAsync()
    {
        var command = new SnapshotOperation(this);
        return channel.Writer.TryWrite(command)
            ? command.Completion.Task
            : Task.FromException<bool>(new ObjectDisposedException(nameof(EmbeddedJobStore), "the store is closed"));
    }

    /// <summary>
    /// Writes the whole state to a new snapshot at once, on the loop (a background one in progress is given up:
    /// this one covers more). Used on request and at close.
    /// </summary>
    internal bool TrySnapshot()
    {
        snapshotting.Abort();
        if (broken is null)
        {
            // The snapshot flushes the log itself; first the commit in flight and the callers waiting are done with.
            Guarded(CommitNow, "the commit before a snapshot");
        }

        if (broken is not null)
        {
            // The state may be half-changed: no snapshot is taken from it.
            return false;
        }

        return snapshotting.Start(context.Table) && snapshotting.Finish();
    }

    public async ValueTask DisposeAsync()
    {
        channel.Writer.TryComplete();
        await loop.ConfigureAwait(false);
        if (options.SnapshotOnClose)
        {
            TrySnapshot();
        }
        else
        {
            snapshotting.Abort();
            SyncQuietly();
        }

        syncThread.Dispose();
        log.Dispose();
    }

    private void RunBatch()
    {
        done.Clear();
        for (var i = 0; i < batch.Count; i++)
        {
            done.Add(false);
        }

        if (broken is not null)
        {
            FailUnfinished(broken);
            return;
        }

        Guarded(Execute, "the writer loop");
    }

    private void Guarded(Action step, string what)
    {
        try
        {
            step();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A bug or an unexpected I/O error: the loop must survive it and answer every caller.
            Stop(ex, what);
        }
    }

    /// <summary>
    /// Fail-stop: an operation threw after it began changing the state, so memory may hold part of a change the log
    /// does not, and no later answer from it could be trusted. The batch's records are dropped unwritten (the earlier
    /// operations of the batch were not answered yet, so they fail too), every waiting fetch and every later call is
    /// refused, and nothing is flushed or snapshotted again; a restart rebuilds the state from the log. Chosen over an
    /// atomic apply, which would need an undo for every event type on the hot path for what is always a bug.
    /// </summary>
    private void Stop(Exception error, string operation)
    {
        broken = new StorageUnavailableException($"the store stopped after an internal error in {operation}; restart the server to recover from the log", error);
        LogStopped(error, operation);
        if (inFlight is { } f)
        {
            // Its records were written before the failure: answered as its fsync went.
            inFlight = null;
            var synced = WaitForSync(f) is null;
            foreach (var op in f.Ops)
            {
                if (synced)
                {
                    op.Complete();
                }
                else
                {
                    op.Fail(broken);
                }
            }
        }

        log.DiscardPending();
        snapshotting.Abort();
        FailUnfinished(broken);
        foreach (var op in TakeWaiting())
        {
            op.Fail(broken);
        }

        foreach (var fetch in context.Parked)
        {
            fetch.Fail(broken);
        }

        context.Parked.Clear();
        foreach (var wait in context.Waiters.TakeAll())
        {
            wait.Fail(broken);
        }
    }

    private void Execute()
    {
        context.Now = settings.Time.GetUtcNow().UtcTicks;
        context.ClearNotifications();
        var mustCommit = false;
        var refusing = commit.RefusingWrites;
        for (var i = 0; i < batch.Count; i++)
        {
            var command = batch[i];
            if (refusing && command.IsWrite)
            {
                command.Fail(new StorageUnavailableException($"writes are refused: {commit.UnavailableReason}"));
                done[i] = true;
                continue;
            }

            context.BeginOperation();
            try
            {
                command.Execute(context);
                if (command.AnswersEarly)
                {
                    command.Complete();
                    done[i] = true;
                }
                else
                {
                    mustCommit |= context.Emitted;
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                if (context.Emitted)
                {
                    Stop(ex, command.GetType().Name);
                    return;
                }

                // Nothing was changed yet: only this caller is answered with the error.
                LogOperationFailed(ex, command.GetType().Name);
                command.Fail(ex);
                done[i] = true;
            }
        }

        mustCommit |= ServeParked();
        if (broken is not null)
        {
            return;
        }

        ServeWaiters();
        for (var i = 0; i < batch.Count; i++)
        {
            if (!done[i])
            {
                waiting.Add(batch[i]);
            }
        }

        needsCommit |= mustCommit;
        Commit();
        if (snapshotting.Due && broken is null)
        {
            CommitNow();
            if (broken is null)
            {
                snapshotting.Start(context.Table);
            }
        }
    }

    /// <summary>Whether the pending records are to be committed now: something waits on them, or early leases have piled up (or no early answers in this mode).</summary>
    private bool CommitDue => log.PendingRecords > 0 && (needsCommit || !context.Lazy.Enabled || log.PendingBytes >= LazyBytesLimit);

    /// <summary>
    /// The commit step after a batch. Sync mode: once no fsync is in flight (finishing the one that ended), writes what is
    /// pending and starts its fsync off the loop; the callers waiting are answered when it ends. Other modes: <see cref="CommitNow"/>.
    /// </summary>
    private void Commit()
    {
        if (!pipelined)
        {
            CommitNow();
            return;
        }

        if (inFlight is { } f)
        {
            if (!f.Sync.IsCompleted)
            {
                return;
            }

            EndInFlight();
            if (broken is not null)
            {
                return;
            }
        }

        if (CommitDue)
        {
            var bytes = log.PendingBytes;
            var mark = context.Lazy.Written(context.Table);
            needsCommit = false;
            if (!commit.TryWrite())
            {
                RollBack(TakeWaiting());
                return;
            }

            snapshotting.Committed(bytes);
            var ops = TakeWaiting();
            var ended = new SyncEnded();
            inFlight = new InFlightCommit(ops, mark, ended, syncThread.Run(() =>
            {
                try
                {
                    commit.SyncWritten();
                }
                finally
                {
                    // Queued ahead of anything its callers send next, so the loop takes in the commit (the leases it
                    // made durable) before it runs their next fetch.
                    channel.Writer.TryWrite(ended);
                }

                // Answered from the fsync's thread as soon as it is done, without a hop back to the loop; the loop owns
                // the list again once this task has ended.
                foreach (var op in ops)
                {
                    op.Complete();
                }
            }));
        }
        else if (inFlight is null)
        {
            CompleteWaiting();
        }
    }

    /// <summary>Commits here and now (after the fsync in flight, if any) and answers every waiting caller: other modes, snapshots, close.</summary>
    private void CommitNow()
    {
        if (inFlight is not null)
        {
            EndInFlight();
            if (broken is not null)
            {
                return;
            }
        }

        if (CommitDue)
        {
            var bytes = log.PendingBytes;
            var mark = context.Lazy.Written(context.Table);
            needsCommit = false;
            if (!commit.TryCommit())
            {
                RollBack(TakeWaiting());
                return;
            }

            snapshotting.Committed(bytes);
            if (options.Durability == DurabilityMode.Sync)
            {
                context.Lazy.Committed(mark);
            }
        }

        CompleteWaiting();
    }

    /// <summary>Waits for the fsync in flight; answers its callers, or, if it failed, rolls back everything since the last good one.</summary>
    private void EndInFlight()
    {
        var f = inFlight!;
        inFlight = null;
        var error = WaitForSync(f);
        commit.Synced(error);
        if (error is null)
        {
            // Its callers were answered on the fsync's thread.
            context.Lazy.Committed(f.Mark);
            f.Ops.Clear();
            spare = f.Ops;
            return;
        }

        // The segment was cut back to its last fsync: the records pending since are dropped with it.
        log.DiscardPending();
        needsCommit = false;
        f.Ops.AddRange(TakeWaiting());
        RollBack(f.Ops);
    }

    private static IOException? WaitForSync(InFlightCommit f)
    {
        try
        {
            f.Sync.GetAwaiter().GetResult();
            return null;
        }
        catch (IOException ex)
        {
            return ex;
        }
    }

    private List<StoreOperation> TakeWaiting()
    {
        var taken = waiting;
        waiting = spare ?? [];
        spare = null;
        return taken;
    }

    private void CompleteWaiting()
    {
        foreach (var op in waiting)
        {
            op.Complete();
        }

        waiting.Clear();
    }

    /// <summary>
    /// Leases to the waiting fetches (oldest first) whose queues this batch made available, so their leases
    /// are committed with the batch and they are answered with its callers; drops those whose caller gave up.
    /// Returns whether one of them needs the batch's commit.
    /// </summary>
    private bool ServeParked()
    {
        var parked = context.Parked;
        if (parked.Count == 0 || context.AvailableQueues.Count == 0)
        {
            return false;
        }

        var mustCommit = false;
        var kept = 0;
        for (var i = 0; i < parked.Count; i++)
        {
            var fetch = parked[i];
            if (fetch.IsDone)
            {
                continue;
            }

            if (!fetch.CanLease(context.Table))
            {
                parked[kept++] = fetch;
                continue;
            }

            context.BeginOperation();
            try
            {
                if (fetch.TryServe(context))
                {
                    // A fetch parked earlier in this batch is answered once: completion is idempotent.
                    if (fetch.AnswersEarly)
                    {
                        fetch.Complete();
                    }
                    else
                    {
                        batch.Add(fetch);
                        done.Add(false);
                        mustCommit |= context.Emitted;
                    }
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                if (context.Emitted)
                {
                    Stop(ex, nameof(FetchOperation));
                    return true;
                }

                LogOperationFailed(ex, nameof(FetchOperation));
                fetch.Fail(ex);
            }
        }

        parked.RemoveRange(kept, parked.Count - kept);
        return mustCommit;
    }

    /// <summary>Answers, with this batch's callers, the waits whose job finished or went in it.</summary>
    private void ServeWaiters()
    {
        foreach (var wait in context.Waiters.TakeServed(context.Table))
        {
            batch.Add(wait);
            done.Add(false);
        }
    }

    /// <summary>Answers every waiting fetch empty and every waiting wait with its job as it is (the store is closing).</summary>
    private void EndParked()
    {
        foreach (var fetch in context.Parked)
        {
            fetch.EndWait();
        }

        context.Parked.Clear();
        foreach (var wait in context.Waiters.TakeAll())
        {
            wait.EndWait(context.Table);
        }
    }

    /// <summary>
    /// The records <paramref name="unanswered"/> wait on did not become durable: rebuild the state from disk, fail the
    /// writes and answer the reads against the rebuilt state.
    /// </summary>
    private void RollBack(List<StoreOperation> unanswered)
    {
        var error = new StorageUnavailableException($"the write could not be made durable: {commit.UnavailableReason}");
        snapshotting.Abort();
        try
        {
            context.Table = StoreRecovery.Reload(snapshots, log);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            // Memory may now hold changes the disk does not; nothing can be answered truthfully.
            broken = new StorageUnavailableException($"the store could not reload its state after a failed write and must be restarted: {ex.Message}", ex);
            LogBroken(ex);
            foreach (var command in unanswered)
            {
                command.Fail(broken);
            }

            return;
        }

        context.Lazy.Reset(context.Table);
        foreach (var command in unanswered)
        {
            if (command.IsWrite)
            {
                command.Fail(error);
                continue;
            }

            try
            {
                command.Execute(context);
                command.Complete();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                command.Fail(ex);
            }
        }
    }

    private void FailUnfinished(Exception error)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            if (!done[i])
            {
                batch[i].Fail(error);
            }
        }
    }

    private void SyncQuietly()
    {
        // After a fail-stop the pending records were dropped and the log is not to be touched again.
        if (broken is null)
        {
            commit.SyncQuietly();
        }
    }

    /// <summary>Recovery loads everything whatever the budget; a store that starts over it only refuses enqueues, and says so.</summary>
    private void LogBudget(long held, long budget)
    {
        if (budget == long.MaxValue)
        {
            LogNoBudget(held >> 20);
        }
        else if (held > budget)
        {
            LogOverBudget(held >> 20, budget >> 20);
        }
        else
        {
            LogMemoryBudget(held >> 20, budget >> 20);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Jobs held take {HeldMiB} MiB of the memory budget of {BudgetMiB} MiB")]
    private partial void LogMemoryBudget(long heldMiB, long budgetMiB);

    [LoggerMessage(Level = LogLevel.Information, Message = "Jobs held take {HeldMiB} MiB; no memory budget")]
    private partial void LogNoBudget(long heldMiB);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Jobs held take {HeldMiB} MiB, over the memory budget of {BudgetMiB} MiB: enqueues are refused (503 storage-full) until workers and retention bring it under")]
    private partial void LogOverBudget(long heldMiB, long budgetMiB);

    [LoggerMessage(Level = LogLevel.Error, Message = "Store operation {Operation} failed")]
    private partial void LogOperationFailed(Exception exception, string operation);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The embedded store stopped answering; restart the server to recover from disk")]
    private partial void LogBroken(Exception exception);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The embedded store stopped after an internal error in {Operation}; nothing of its batch was written, and every later call is refused until a restart recovers from the log")]
    private partial void LogStopped(Exception exception, string operation);
}

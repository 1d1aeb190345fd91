using System.Threading.Channels;
using Conveyor.Core.Storage;
using Conveyor.Storage.Embedded.Operations;
using Conveyor.Storage.Embedded.Device;
using Conveyor.Storage.Embedded.Events;
using Conveyor.Storage.Embedded.Log;
using Conveyor.Storage.Embedded.Snapshots;
using Microsoft.Extensions.Logging;

namespace Conveyor.Storage.Embedded.Writer;

/// <summary>
/// The single writer that owns the state. It drains the command channel in batches, runs each command
/// (which applies its events in memory and appends them to the WAL), makes the whole batch durable with
/// one flush/fsync (group commit), and only then completes the callers. When the write fails (disk full,
/// I/O error) it reloads the state from disk, so memory never holds a change the disk does not, refuses
/// the batch's writes, answers its reads, and keeps refusing writes until a probe interval has passed.
/// </summary>
internal sealed partial class StoreWriter : IAsyncDisposable
{
    private const int MaxBatch = 4096;

    private readonly Channel<StoreOperation> channel = Channel.CreateUnbounded<StoreOperation>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

    private readonly SnapshotFiles snapshots;
    private readonly EmbeddedStoreOptions options;
    private readonly JobStoreSettings settings;
    private readonly ILogger logger;
    private readonly OperationContext context;
    private readonly List<StoreOperation> batch = new(MaxBatch);

    /// <summary>Per command of <see cref="batch"/>: already answered (failed or refused) while it ran.</summary>
    private readonly List<bool> done = new(MaxBatch);
    private readonly Task loop;
    private readonly WriteAheadLog log;
    private long bytesSinceSnapshot;
    private long lastSyncTimestamp;
    private long refuseWritesUntil;
    private string? unavailableReason;
    private volatile StorageUnavailableException? broken;

    public StoreWriter(IStorageDevice device, EmbeddedStoreOptions options, JobStoreSettings settings, ILogger logger)
    {
        this.options = options;
        this.settings = settings;
        this.logger = logger;
        snapshots = new SnapshotFiles(device);
        (var table, log) = StoreRecovery.Recover(device, snapshots, new WalOptions { SegmentBytes = options.SegmentBytes, DirectWrites = options.DirectWalWrites }, logger);
        context = new OperationContext(settings, AppendEvent) { Table = table, Counters = ReadCounters };
        lastSyncTimestamp = settings.Time.GetTimestamp();
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

    private StorageCounters ReadCounters() => new(log.FlushCount, log.SyncCount, log.BytesWritten, snapshotsWritten, snapshotFailures);

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

            snapshot?.Run();
            ContinueSnapshot();
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

        if (snapshotting is { } snapshot && snapshot.Syncing is null or { IsCompleted: true })
        {
            return !reader.Completion.IsCompleted;
        }

        var syncing = snapshotting?.Syncing;
        if (syncing is null && options.Durability != DurabilityMode.Interval)
        {
            return await reader.WaitToReadAsync().ConfigureAwait(false);
        }

        while (true)
        {
            Task? timer = null;
            if (options.Durability == DurabilityMode.Interval)
            {
                var wait = options.SyncInterval - settings.Time.GetElapsedTime(lastSyncTimestamp);
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
}

using Conveyor.Broker;
using Conveyor.Core.Storage;
using Conveyor.Storage.Embedded;
using Conveyor.Storage.Postgres;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Conveyor.Server.Hosting;

/// <summary>
/// Owns the store's lifetime: opens (recovers) it in the background so that <c>/healthz</c> answers at once
/// and <c>/readyz</c> turns 200 when recovery is done; then runs the broker's maintenance loop. On shutdown
/// it releases long-polling fetchers first (so the server drains quickly), and after the server stopped
/// takes a snapshot and closes the store.
/// </summary>
internal sealed partial class StoreHostedService(
    ConveyorServerOptions options,
    BrokerRuntime runtime,
    IOptions<BrokerOptions> brokerOptions,
    IHostApplicationLifetime lifetime,
    StartupSchedules schedules,
    ILoggerFactory loggerFactory) : BackgroundService
{
    /// <summary>From this much allocated since the process started, recovery's garbage is worth collecting before serving.</summary>
    private const long CollectBeforeReadyBytes = 64L << 20;

    private readonly ILogger logger = loggerFactory.CreateLogger<StoreHostedService>();
    private IJobStore? store;
    private JobBroker? broker;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var storeOptions = new EmbeddedStoreOptions
            {
                DataDirectory = options.DataDirectory, Durability = options.Durability, SnapshotAfterBytes = options.SnapshotAfterBytes,
                DirectWalWrites = options.DirectWalWrites, MemoryBudgetBytes = options.MemoryBudgetBytes,
            };
            var settings = new JobStoreSettings { Time = options.Time, Retention = options.Retention, PromoteBatch = brokerOptions.Value.MaintenanceBatch };
            var collected = false;
            if (options.Store == StoreKind.Postgres)
            {
                LogOpeningPostgres();
                store = await PostgresJobStore.OpenAsync(
                    new PostgresStoreOptions
                    {
                        ConnectionString = options.PostgresConnectionString!, Schema = options.PostgresSchema, LeaderLease = options.PostgresLeaderLease,
                    }, settings, loggerFactory, stoppingToken).ConfigureAwait(false);
            }
            else
            {
                LogOpening(options.DataDirectory, options.Durability);
                store = await OpenEmbeddedAsync(storeOptions, settings, () => collected = true, stoppingToken).ConfigureAwait(false);
            }

            broker = new JobBroker(store, options.Time, brokerOptions, loggerFactory.CreateLogger<JobBroker>());
            foreach (var schedule in schedules.Schedules)
            {
                await broker.SaveScheduleAsync(schedule, stoppingToken).ConfigureAwait(false);
            }

            if (schedules.Schedules.Count > 0)
            {
                LogSchedulesApplied(schedules.Schedules.Count);
            }

            lifetime.ApplicationStopping.Register(ReleaseFetchers);
            runtime.SetReady(broker);
            LogReady();

            // After a small recovery the same collection still hands back the start's garbage (6 MiB of idle RSS), but
            // after ready: before it, it took 40-50 ms of a ~100 ms start to ready on an empty data directory
            // (docs/performance.md, "Native AOT and JIT builds").
            if (!collected)
            {
                CollectGarbage();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            runtime.SetFailed(new ServiceNotReadyException("the server stopped before the store opened"));
            return;
        }
        catch (Exception ex)
        {
            LogOpenFailed(ex, options.DataDirectory);
            runtime.SetFailed(ex);
            lifetime.StopApplication();
            return;
        }

        await broker.RunMaintenanceAsync(stoppingToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (broker is not null)
        {
            await broker.DisposeAsync().ConfigureAwait(false);
        }

        if (store is not null)
        {
            // Closing the store finishes queued writes and takes the shutdown snapshot (SnapshotOnClose);
            // if that snapshot fails it is logged and the next start replays the log.
            await store.DisposeAsync().ConfigureAwait(false);
            store = null;
        }
    }

    private Task<EmbeddedJobStore> OpenEmbeddedAsync(EmbeddedStoreOptions storeOptions, JobStoreSettings settings, Action collected, CancellationToken cancellationToken) =>
        Task.Run(() =>
        {
            var opened = EmbeddedJobStore.Open(storeOptions, settings, loggerFactory);

            // Recovery decoded every record of the log: hand that garbage back to the OS before serving, so a
            // restarted server holds what a live one does (one compacting collection, a few tenths of a second per million jobs).
            if (GC.GetTotalAllocatedBytes() >= CollectBeforeReadyBytes)
            {
                CollectGarbage();
                collected();
            }

            return opened;
        }, cancellationToken);

    private static void CollectGarbage() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    private void ReleaseFetchers()
    {
        // Waiting fetchers return empty at once, so that the server's drain is not held up by long-polls.
        _ = broker?.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Opening the embedded store in {DataDirectory} (durability {Durability})")]
    private partial void LogOpening(string dataDirectory, DurabilityMode durability);

    [LoggerMessage(Level = LogLevel.Information, Message = "Opening the PostgreSQL store (migrating its schema if needed)")]
    private partial void LogOpeningPostgres();

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {Count} schedules from the cron file")]
    private partial void LogSchedulesApplied(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Store recovered; ready")]
    private partial void LogReady();

    [LoggerMessage(Level = LogLevel.Critical, Message = "The store in {DataDirectory} could not be opened; stopping")]
    private partial void LogOpenFailed(Exception exception, string dataDirectory);
}

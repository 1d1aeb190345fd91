using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Conveyor.Storage.Postgres;

/// <summary>
/// The job store on PostgreSQL: the same contract (and conformance suite) as the embedded store, for several Conveyor
/// nodes sharing one database. Each operation is one transaction (see docs/postgres.md for the schema and why it is so);
/// times come from <see cref="JobStoreSettings.Time"/>, never from the database's clock.
/// </summary>
public sealed partial class PostgresJobStore : IJobStore
{
    private readonly StoreContext context;
    private readonly FetchWaiters waiters;
    private readonly NotifyListener listener;
    private readonly NotifyLimiter notifies;
    private readonly FinishWaiters finishes;
    private readonly LeaderElector leader;

    private readonly EnqueueCoalescer coalescer;
    private int disposed;

    private PostgresJobStore(Database db, JobStoreSettings settings, PostgresStoreOptions options, ILogger logger)
    {
        var poll = options.PollInterval;
        context = new StoreContext(db, settings);
        leader = new LeaderElector(db, options.LeaderLease, options.LeaderRenewInterval ?? options.LeaderLease / 3, logger);
        context.Leader = leader;
        notifies = new NotifyLimiter(
            queues => db.ReadAsync(
                async connection =>
                {
                    await using var batch = new NpgsqlBatch(connection);
                    batch.BatchCommands.Add(db.Names.NotifyCommand(queues));
                    return await batch.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
                },
                CancellationToken.None),
            settings.Time, options.NotifyInterval, logger);
        context.Notifies = notifies;
        waiters = new FetchWaiters(request => FetchCommand.LeaseAsync(context, request, CancellationToken.None), settings.Time, poll);
        context.Waiters = waiters;
        coalescer = new EnqueueCoalescer(context);
        finishes = new FinishWaiters((id, cancellationToken) => ProgressCommands.WatchAsync(context, id, cancellationToken), settings.Time, poll);
        listener = new NotifyListener(db, waiters, logger) { Finishes = finishes };
    }

    /// <summary>
    /// Null while the database answers; while this node cannot hold its LISTEN connection, the error that says the database
    /// cannot be reached, so that readiness turns 503 (calls meanwhile fail with <see cref="StorageUnavailableException"/>).
    /// Unlike the embedded store's, it clears by itself when the database is back: nothing here stops for good.
    /// </summary>
    public StorageUnavailableException? Failure =>
        listener.Connected ? null : new StorageUnavailableException("the PostgreSQL database cannot be reached");

    /// <summary>Opens the store: connects, migrates the schema (or refuses one a newer build migrated), starts listening.</summary>
    public static async Task<PostgresJobStore> OpenAsync(
        PostgresStoreOptions options, JobStoreSettings settings, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(settings);
        if (!IsPlainSchemaName(options.Schema))
        {
            throw new ArgumentException(
                $"schema '{options.Schema}' is not a plain name (lower-case letters, digits and underscores, at most 50 characters)", nameof(options));
        }

        var renew = options.LeaderRenewInterval ?? options.LeaderLease / 3;
        if (options.LeaderLease <= TimeSpan.Zero || renew <= TimeSpan.Zero || renew >= options.LeaderLease * 0.8)
        {
            throw new ArgumentException("the leader lease must be positive and its renew interval positive and shorter than four fifths of it", nameof(options));
        }

        var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        if (builder.ConnectionStringBuilder.KeepAlive == 0)
        {
            // The LISTEN connection sits idle: a keepalive notices a dead server (or a dropped route) within seconds.
            builder.ConnectionStringBuilder.KeepAlive = 10;
        }

        var source = builder.Build();
        try
        {
            await Migrator.MigrateAsync(source, options.Schema, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await source.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<PostgresJobStore>();
        var store = new PostgresJobStore(new Database(source, options.Schema), settings, options, logger);
        try
        {
            // The first election runs before the store is handed out: a lone node (or the first of several) leads at once.
            await store.leader.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return store;
    }

    /// <summary>Whether the database answers (readiness).</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await context.Db.ReadAsync(
                async connection =>
                {
                    await using var command = new NpgsqlCommand("SELECT 1", connection);
                    return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is 1;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (StorageUnavailableException)
        {
            return false;
        }
    }

    public async ValueTask<EnqueueResult> EnqueueAsync(JobEnqueue request, CancellationToken cancellationToken = default) =>
        EnqueueCoalescer.CanMerge(request)
            ? await coalescer.RunAsync(request, cancellationToken).ConfigureAwait(false)
            : await EnqueueCommand.RunAsync(context, request, cancellationToken).ConfigureAwait(false);

    public async ValueTask<IReadOnlyList<JobInfo>> FetchAsync(JobFetch request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Wait <= TimeSpan.Zero)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return await FetchCommand.LeaseAsync(context, request, cancellationToken).ConfigureAwait(false);
        }

        return await waiters.WaitAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<int> ReleaseAsync(LeasesRelease request, CancellationToken cancellationToken = default) =>
        await LeaseCommands.ReleaseAsync(context, request, cancellationToken).ConfigureAwait(false);

    public async ValueTask<IReadOnlyList<SettleResult>> SettleAsync(JobSettle request, CancellationToken cancellationToken = default)
    {
        var results = AckCommand.Fits(request)
            ? await AckCommand.RunAsync(context, request, cancellationToken).ConfigureAwait(false)
            : await SettleCommand.RunAsync(context, request, cancellationToken).ConfigureAwait(false);

        // This node's waits read again now (a fail that retries wakes them for nothing); other nodes' by the NOTIFY.
        finishes.Wake(results.Where(r => r.Status == SettleStatus.Ok).Select(r => r.Id.ToString()));
        return results;
    }

    public async ValueTask<HeartbeatResult> HeartbeatAsync(JobHeartbeat request, CancellationToken cancellationToken = default) =>
        await LeaseCommands.HeartbeatAsync(context, request, cancellationToken).ConfigureAwait(false);

    public async ValueTask<IReadOnlyList<LostLease>> CheckLeasesAsync(LeasesCheck request, CancellationToken cancellationToken = default) =>
        await LeaseCommands.CheckAsync(context, request, cancellationToken).ConfigureAwait(false);

    public async ValueTask<SettleStatus> ReportProgressAsync(JobProgressReport request, CancellationToken cancellationToken = default) =>
        await ProgressCommands.ReportAsync(context, request, cancellationToken).ConfigureAwait(false);

    public async ValueTask<JobInfo?> WaitForFinishAsync(JobWait request, CancellationToken cancellationToken = default) =>
        await finishes.WaitAsync(request, cancellationToken).ConfigureAwait(false);

    public async ValueTask<CommandResult> CancelAsync(JobCancel request, CancellationToken cancellationToken = default)
    {
        var result = await OperatorCommands.CancelAsync(context, request.Id, cancellationToken).ConfigureAwait(false);
        finishes.Wake([request.Id]);
        return result;
    }

    public async ValueTask<CommandResult> RetryAsync(JobRetry request, CancellationToken cancellationToken = default) =>
        await OperatorCommands.RetryAsync(context, request.Id, cancellationToken).ConfigureAwait(false);

    public async ValueTask<int> KillAsync(JobsKill request, CancellationToken cancellationToken = default)
    {
        var killed = await OperatorCommands.KillAsync(context, request.Ids, cancellationToken).ConfigureAwait(false);
        finishes.Wake(request.Ids);
        return killed;
    }

    public async ValueTask<int> DiscardAsync(JobsDiscard request, CancellationToken cancellationToken = default)
    {
        var discarded = await OperatorCommands.DiscardAsync(context, request.Ids, cancellationToken).ConfigureAwait(false);
        finishes.Wake(request.Ids); // removals do not notify: waits on this node read again now, on others at their poll
        return discarded;
    }

    public async ValueTask<int> RequeueAsync(JobsRequeue request, CancellationToken cancellationToken = default) =>
        await OperatorCommands.RequeueAsync(context, request.Ids, cancellationToken).ConfigureAwait(false);

    public async ValueTask<int> PromoteAsync(JobsPromote request, CancellationToken cancellationToken = default) =>
        await MaintenanceCommands.PromoteAsync(context, request.Max, cancellationToken).ConfigureAwait(false);

    public async ValueTask<int> ExpireLeasesAsync(LeasesExpire request, CancellationToken cancellationToken = default) =>
        await MaintenanceCommands.ExpireLeasesAsync(context, request.Max, cancellationToken).ConfigureAwait(false);

    public async ValueTask<int> PruneAsync(JobsPrune request, CancellationToken cancellationToken = default) =>
        await MaintenanceCommands.PruneAsync(context, request.Max, cancellationToken).ConfigureAwait(false);

    public async ValueTask QueuePauseAsync(QueuePause request, CancellationToken cancellationToken = default) =>
        await QueueCommands.SetPausedAsync(context, request.Name, paused: true, cancellationToken).ConfigureAwait(false);

    public async ValueTask QueueResumeAsync(QueueResume request, CancellationToken cancellationToken = default) =>
        await QueueCommands.SetPausedAsync(context, request.Name, paused: false, cancellationToken).ConfigureAwait(false);

    public async ValueTask<int> QueuePurgeAsync(QueuePurge request, CancellationToken cancellationToken = default)
    {
        var purged = await QueueCommands.PurgeAsync(context, request.Name, cancellationToken).ConfigureAwait(false);
        finishes.WakeAll();
        return purged;
    }

    public async ValueTask<QueueRemoveStatus> QueueRemoveAsync(QueueRemove request, CancellationToken cancellationToken = default) =>
        await QueueCommands.RemoveAsync(context, request.Name, cancellationToken).ConfigureAwait(false);

    public async ValueTask<int> FlushAsync(JobsFlush request, CancellationToken cancellationToken = default)
    {
        var flushed = await QueueCommands.FlushAsync(context, cancellationToken).ConfigureAwait(false);
        finishes.WakeAll();
        return flushed;
    }

    public async ValueTask<JobInfo?> GetJobAsync(JobGet request, CancellationToken cancellationToken = default) =>
        await ReadCommands.GetAsync(context, request.Id, cancellationToken).ConfigureAwait(false);

    public async ValueTask<JobPage> ListJobsAsync(JobList request, CancellationToken cancellationToken = default) =>
        await ReadCommands.ListAsync(context, request, cancellationToken).ConfigureAwait(false);

    public async ValueTask<IReadOnlyList<QueueInfo>> ListQueuesAsync(CancellationToken cancellationToken = default) =>
        (await ReadCommands.ListQueuesAsync(context, null, int.MaxValue - 1, cancellationToken).ConfigureAwait(false)).Queues;

    public async ValueTask<QueuePage> ListQueuesAsync(QueueList request, CancellationToken cancellationToken = default) =>
        await ReadCommands.ListQueuesAsync(context, request.After, request.Limit, cancellationToken).ConfigureAwait(false);

    public async ValueTask<StoreStats> GetStatsAsync(CancellationToken cancellationToken = default) =>
        await ReadCommands.StatsAsync(context, cancellationToken).ConfigureAwait(false) with { Cluster = Cluster };

    /// <summary>This node's leader election (tests pause it).</summary>
    internal LeaderElector Leader => leader;

    /// <summary>What this instance's commands share (tests run a command as a given leader term).</summary>
    internal StoreContext Context => context;

    /// <summary>This node's id among the nodes on the schema, and whether it leads them now.</summary>
    public StoreCluster Cluster => new(leader.Node, leader.Current is not null, leader.Term);

    public async ValueTask<Core.Cron.CronScheduleInfo> CronSaveAsync(CronSave request, CancellationToken cancellationToken = default) =>
        await CronCommands.SaveAsync(context, request.Schedule, cancellationToken).ConfigureAwait(false);

    public async ValueTask<bool> CronDeleteAsync(CronDelete request, CancellationToken cancellationToken = default) =>
        await CronCommands.DeleteAsync(context, request.Name, cancellationToken).ConfigureAwait(false);

    public async ValueTask<Core.Cron.CronScheduleInfo?> CronGetAsync(CronGet request, CancellationToken cancellationToken = default) =>
        await CronCommands.GetAsync(context, request.Name, cancellationToken).ConfigureAwait(false);

    public async ValueTask<IReadOnlyList<Core.Cron.CronScheduleInfo>> CronListAsync(CancellationToken cancellationToken = default) =>
        await CronCommands.ListAsync(context, cancellationToken).ConfigureAwait(false);

    public async ValueTask<Core.Cron.CronScheduleInfo?> CronPauseAsync(CronPause request, CancellationToken cancellationToken = default) =>
        await CronCommands.PauseAsync(context, request.Name, request.Paused, cancellationToken).ConfigureAwait(false);

    public async ValueTask<int> CronFireDueAsync(CronFireDue request, CancellationToken cancellationToken = default) =>
        await CronCommands.FireDueAsync(context, request.Max, cancellationToken).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await leader.DisposeAsync().ConfigureAwait(false);
        await finishes.DisposeAsync().ConfigureAwait(false);
        await listener.DisposeAsync().ConfigureAwait(false);
        await waiters.DisposeAsync().ConfigureAwait(false);
        await notifies.DisposeAsync().ConfigureAwait(false);
        await context.Db.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Whether <paramref name="schema"/> is a name the store accepts (it is put into SQL as a quoted identifier).</summary>
    internal static bool IsPlainSchemaName(string schema) => SchemaSql.IsPlainName(schema);
}

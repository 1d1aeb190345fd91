using System.Collections.Concurrent;
using Conveyor.Broker;
using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Server.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Conveyor.Server.Dashboard;

/// <summary>
/// Runs bulk actions on the server: a filter is walked page by page (keyset, <see cref="PageSize"/> jobs) and each page
/// is applied in one bounded write, so "retry all 10,000 dead jobs" never holds the store's writer for long and the
/// browser never holds the ids. Operations are kept in memory (the running ones and the last
/// <see cref="KeptFinished"/> finished) and do not survive a restart.
/// </summary>
internal sealed partial class BulkOperations(BrokerRuntime runtime, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<BulkOperations> logger)
{
    public const int PageSize = 500;
    public const int MaxRunning = 4;
    public const int KeptFinished = 64;

    /// <summary>Cancels run one write each; this many are in flight together so that group commit shares the fsyncs.</summary>
    private const int CancelsInFlight = 64;

    private readonly ConcurrentDictionary<string, BulkOperation> operations = new(StringComparer.Ordinal);

    public BulkOperation? Find(string id) => operations.GetValueOrDefault(id);

    /// <summary>Starts an operation over a filter (or, with <paramref name="ids"/>, over those jobs); null when <see cref="MaxRunning"/> already run.</summary>
    public BulkOperation? Start(BulkAction action, JobList? filter, IReadOnlyList<string>? ids)
    {
        lock (operations)
        {
            if (operations.Values.Count(o => o.Running) >= MaxRunning)
            {
                return null;
            }

            Trim();
            var operation = new BulkOperation("op-" + Guid.NewGuid().ToString("N")[..16], action, time.GetUtcNow());
            operations[operation.Id] = operation;
            _ = Task.Run(() => RunAsync(operation, filter, ids, lifetime.ApplicationStopping));
            return operation;
        }
    }

    private void Trim()
    {
        var finished = operations.Values.Where(o => !o.Running).OrderBy(o => o.FinishedAt).ToList();
        foreach (var old in finished.Take(Math.Max(0, finished.Count - KeptFinished + 1)))
        {
            operations.TryRemove(old.Id, out _);
        }
    }

    private async Task RunAsync(BulkOperation operation, JobList? filter, IReadOnlyList<string>? ids, CancellationToken stopping)
    {
        string? error = null;
        try
        {
            var broker = runtime.Broker;
            if (ids is not null)
            {
                var jobs = new List<JobInfo>(ids.Count);
                foreach (var id in ids)
                {
                    if (await broker.GetJobAsync(id, stopping).ConfigureAwait(false) is { } job)
                    {
                        jobs.Add(job);
                    }
                }

                await ApplyAsync(broker, operation, jobs, stopping).ConfigureAwait(false);
                operation.Count(0, 0, ids.Count - jobs.Count);
            }
            else
            {
                var request = filter! with { Limit = PageSize, Cursor = null };
                do
                {
                    var page = await broker.ListJobsAsync(request, stopping).ConfigureAwait(false);
                    await ApplyAsync(broker, operation, page.Jobs, stopping).ConfigureAwait(false);
                    request = request with { Cursor = page.NextCursor };
                }
                while (request.Cursor is not null);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            error = "the server stopped before the operation finished";
        }
        catch (StorageUnavailableException)
        {
            error = "the store refused the writes (storage unavailable); part of the jobs may have been changed";
        }
        catch (Exception ex)
        {
            Log.BulkFailed(logger, ex, operation.Id);
            error = "an internal error occurred; the server logged it";
        }

        operation.Finish(time.GetUtcNow(), error);
    }

    private static async Task ApplyAsync(JobBroker broker, BulkOperation operation, IReadOnlyList<JobInfo> jobs, CancellationToken stopping)
    {
        var ids = jobs.Where(j => AppliesTo(operation.Action, j.State)).Select(j => j.Id).ToList();
        var applied = 0;
        switch (operation.Action)
        {
            case BulkAction.Retry:
                applied = ids.Count == 0 ? 0 : await broker.RequeueAsync(ids, stopping).ConfigureAwait(false);
                break;
            case BulkAction.Delete:
                applied = ids.Count == 0 ? 0 : await broker.DiscardAsync(ids, stopping).ConfigureAwait(false);
                break;
            default:
                foreach (var chunk in ids.Chunk(CancelsInFlight))
                {
                    var results = await Task.WhenAll(chunk.Select(id => broker.CancelAsync(id, stopping).AsTask())).ConfigureAwait(false);
                    applied += results.Count(r => r.Status == CommandStatus.Ok);
                }

                break;
        }

        operation.Count(jobs.Count, applied, jobs.Count - applied);
    }

    private static bool AppliesTo(BulkAction action, JobState state) => action switch
    {
        BulkAction.Retry => state is JobState.Dead or JobState.Retrying,
        BulkAction.Cancel => state is JobState.Scheduled or JobState.Available or JobState.Active or JobState.Retrying,
        _ => state != JobState.Active,
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = 60, Level = LogLevel.Error, Message = "bulk operation {Id} failed")]
        public static partial void BulkFailed(ILogger logger, Exception exception, string id);
    }
}

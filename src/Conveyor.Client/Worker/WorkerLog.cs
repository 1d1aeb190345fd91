using Microsoft.Extensions.Logging;

namespace Conveyor.Client.Worker;

/// <summary>Every message the worker host logs, compiled by the logging source generator.</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(1, LogLevel.Information, "Conveyor worker {WorkerId} started on {ServerUrl} over {Transport}: {Queues}")]
    public static partial void Started(this ILogger logger, string workerId, string serverUrl, string transport, string queues);

    [LoggerMessage(2, LogLevel.Information, "Conveyor worker {WorkerId} stopping: waiting up to {Timeout} for {Running} running jobs")]
    public static partial void Stopping(this ILogger logger, string workerId, TimeSpan timeout, int running);

    [LoggerMessage(3, LogLevel.Warning, "Job {JobId} ({JobType}) did not finish within the shutdown timeout; failed with Shutdown so it is redelivered now")]
    public static partial void AbandonedAtShutdown(this ILogger logger, string jobId, string jobType);

    [LoggerMessage(4, LogLevel.Warning, "Fetching from queue {Queue} failed; retrying in {Delay}")]
    public static partial void FetchFailed(this ILogger logger, Exception exception, string queue, TimeSpan delay);

    [LoggerMessage(5, LogLevel.Debug, "Job {JobId} ({JobType}) completed in {Elapsed}")]
    public static partial void JobCompleted(this ILogger logger, string jobId, string jobType, TimeSpan elapsed);

    [LoggerMessage(6, LogLevel.Warning, "Job {JobId} ({JobType}) attempt {Attempt} failed")]
    public static partial void JobFailed(this ILogger logger, Exception exception, string jobId, string jobType, int attempt);

    [LoggerMessage(7, LogLevel.Error, "Job {JobId} has type {JobType}, for which no handler is registered (known: {Known})")]
    public static partial void UnknownJobType(this ILogger logger, string jobId, string jobType, string known);

    [LoggerMessage(8, LogLevel.Warning, "Settling job {JobId} was refused: {Status} (its lease expired and it was redelivered, or it was cancelled)")]
    public static partial void SettleRefused(this ILogger logger, string jobId, string status);

    [LoggerMessage(9, LogLevel.Warning, "Settling {Count} jobs failed; retrying in {Delay}")]
    public static partial void SettleFailed(this ILogger logger, Exception exception, int count, TimeSpan delay);

    [LoggerMessage(10, LogLevel.Error, "Gave up settling {Count} jobs; they will be redelivered when their leases expire")]
    public static partial void SettleAbandoned(this ILogger logger, Exception? exception, int count);

    [LoggerMessage(11, LogLevel.Warning, "Heartbeat for job {JobId} failed")]
    public static partial void HeartbeatFailed(this ILogger logger, Exception exception, string jobId);

    [LoggerMessage(12, LogLevel.Warning, "Job {JobId} lost its lease (heartbeat refused as stale); cancelling its handler")]
    public static partial void LeaseLost(this ILogger logger, string jobId);

    [LoggerMessage(13, LogLevel.Information, "Conveyor worker {WorkerId} stopped")]
    public static partial void Stopped(this ILogger logger, string workerId);

    [LoggerMessage(14, LogLevel.Information, "Job {JobId} ({JobType}) was cancelled on the server; cancelling its handler (nothing is settled)")]
    public static partial void JobCancelledOnServer(this ILogger logger, string jobId, string jobType);

    [LoggerMessage(15, LogLevel.Warning, "Job {JobId} ({JobType}) no longer holds its lease ({Reason}); cancelling its handler (nothing is settled)")]
    public static partial void LeaseReportedLost(this ILogger logger, string jobId, string jobType, string reason);

    [LoggerMessage(16, LogLevel.Information, "The server answered {Status} to the lease check (an older server); cancelled jobs reach handlers only through refused heartbeats")]
    public static partial void LeaseCheckUnsupported(this ILogger logger, System.Net.HttpStatusCode status);

    [LoggerMessage(17, LogLevel.Warning, "Checking the leases of running jobs failed; retrying every interval")]
    public static partial void LeaseCheckFailed(this ILogger logger, Exception exception);

    [LoggerMessage(18, LogLevel.Warning, "Job {JobId} ({JobType}) attempt {Attempt} ran past its timeout of {Timeout}; cancelled and failed with Timeout")]
    public static partial void JobTimedOut(this ILogger logger, string jobId, string jobType, int attempt, TimeSpan timeout);

    [LoggerMessage(19, LogLevel.Information, "Job {JobId} ({JobType}) ended without its lease ({Stop}); not settled")]
    public static partial void FinishedWithoutLease(this ILogger logger, string jobId, string jobType, AttemptStop stop);

    [LoggerMessage(20, LogLevel.Warning, "The handler of job {JobId} ({JobType}) ended {Late} after its attempt timed out")]
    public static partial void HandlerEndedAfterTimeout(this ILogger logger, Exception? exception, string jobId, string jobType, TimeSpan late);

    [LoggerMessage(21, LogLevel.Information, "No gRPC answered at {Address} ({Reason}); working over HTTP")]
    public static partial void GrpcNotOffered(this ILogger logger, Uri address, string reason);

    [LoggerMessage(22, LogLevel.Warning, "The Work stream of queue {Queue} ended ({Reason}); {Lost} running jobs were handed back by the server; reconnecting")]
    public static partial void WorkStreamBroke(this ILogger logger, string queue, string reason, int lost);

    [LoggerMessage(23, LogLevel.Warning, "The server asked this worker to {Kind}: no more jobs are taken")]
    public static partial void ControlReceived(this ILogger logger, string kind);
}

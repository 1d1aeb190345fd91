using Conveyor.Core.Inputs;
using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;

namespace Conveyor.Broker;

/// <summary>Progress reports, results and waiting for a job to finish.</summary>
public sealed partial class JobBroker
{
    /// <summary>The longest one wait for a job to finish may be (<c>GET /v1/jobs/{id}/wait</c>'s <c>timeout_ms</c>).</summary>
    public static readonly TimeSpan MaxFinishWait = TimeSpan.FromSeconds(60);

    /// <summary>Records the progress of the attempt held by <paramref name="token"/>; its message is made printable and bounded.</summary>
    public ValueTask<SettleStatus> ReportProgressAsync(string id, string token, int percent, string? message, CancellationToken cancellationToken = default)
    {
        if (percent is < 0 or > JobProgress.MaxPercent)
        {
            throw new RequestRejectedException("percent", $"must be 0–{JobProgress.MaxPercent}");
        }

        return store.ReportProgressAsync(new JobProgressReport(id, token, percent, ProgressText.Bound(message)), cancellationToken);
    }

    /// <summary>
    /// The job once it is finished, or as it is when <paramref name="timeout"/> passes (at most <see cref="MaxFinishWait"/>);
    /// null when there is no such job (or it went while waited on).
    /// </summary>
    public ValueTask<JobInfo?> WaitForFinishAsync(string id, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (timeout < TimeSpan.Zero || timeout > MaxFinishWait)
        {
            throw new RequestRejectedException("timeout_ms", $"must be 0–{(long)MaxFinishWait.TotalMilliseconds}");
        }

        return store.WaitForFinishAsync(new JobWait(id, timeout), cancellationToken);
    }

    /// <summary>Refuses a settle whose ack carries a result over <see cref="InputLimits.ResultBytes"/> (413, nothing settled).</summary>
    private static void CheckResults(IReadOnlyList<JobAck> acks)
    {
        for (var i = 0; i < acks.Count; i++)
        {
            if (acks[i].Result is { Length: > InputLimits.ResultBytes })
            {
                throw new RequestRejectedException("ack.result", ResultTooLarge, i, "ack", tooLarge: true);
            }
        }
    }

    private static string ResultTooLarge => $"must be at most {InputLimits.ResultBytes} bytes of JSON";
}

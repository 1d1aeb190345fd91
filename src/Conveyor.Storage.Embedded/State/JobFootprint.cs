using Conveyor.Core.Jobs;

namespace Conveyor.Storage.Embedded.State;

/// <summary>
/// What a job costs the embedded store's memory, as the store accounts it (<see cref="JobTable.HeldBytes"/>): a fixed
/// overhead per job plus the bytes of what the job brings (args, id, unique key, tags, meta, failures). Deterministic,
/// so the memory budget refuses at the same point on every run and every machine; the constants are measured, not
/// exact, and err on the high side.
/// </summary>
internal static class JobFootprint
{
    /// <summary>
    /// The heap a job with empty args takes in the table: its entry, its slots in the key set and the sequence index,
    /// its args array's header and its share of the queue and timer structures. Measured at about 250 bytes with
    /// 100,000 jobs on x64; the rest is room for the key set's and the index's growth steps (JobFootprintTests checks
    /// the accounting stays above what the heap really grows by).
    /// </summary>
    public const long PerJob = 320;

    /// <summary>A string's header and length on x64 (its characters are counted apart).</summary>
    private const long StringHeader = 24;

    /// <summary>A job as a spec describes it, before it is in the table (the enqueue's check against the budget).</summary>
    public static long Of(JobSpec spec)
    {
        var bytes = PerJob + spec.Args.Length + Text(spec.Id) + Text(spec.UniqueKey);
        foreach (var tag in spec.Tags)
        {
            bytes += Text(tag) + 8;
        }

        foreach (var (key, value) in spec.Meta)
        {
            bytes += Text(key) + Text(value) + 16;
        }

        return bytes;
    }

    /// <summary>A job as the table holds it, failures included.</summary>
    public static long Of(JobEntry job)
    {
        var bytes = PerJob + job.Args.Length + (job.Key.TryGetUlid(out _) ? 0 : Text(job.Key.ToString())) + Text(job.UniqueKey);
        foreach (var tag in job.Tags)
        {
            bytes += Text(tag) + 8;
        }

        foreach (var (key, value) in job.Meta)
        {
            bytes += Text(key) + Text(value) + 16;
        }

        if (job.Failures is { } failures)
        {
            foreach (var failure in failures)
            {
                bytes += Of(failure);
            }
        }

        return bytes + Of(job.Progress) + Of(job.Result);
    }

    /// <summary>A job's progress: the record and its message.</summary>
    public static long Of(JobProgress? progress) => progress is null ? 0 : 48 + Text(progress.Message);

    /// <summary>A job's result: the array and its bytes.</summary>
    public static long Of(byte[]? result) => result is null ? 0 : 24 + result.Length;

    /// <summary>One failure in a job's history: the record, its texts and its backtrace.</summary>
    public static long Of(JobFailure failure)
    {
        var bytes = 64 + Text(failure.ErrorType) + Text(failure.Message) + 32;
        foreach (var frame in failure.Backtrace)
        {
            bytes += Text(frame) + 8;
        }

        return bytes;
    }

    private static long Text(string? text) => text is null ? 0 : StringHeader + (2L * text.Length);
}

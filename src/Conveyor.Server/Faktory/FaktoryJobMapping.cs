using System.Globalization;
using System.Text;
using System.Text.Json;
using Conveyor.Core.Jobs;
using Conveyor.Protocol.Faktory.Wire;

namespace Conveyor.Server.Faktory;

/// <summary>
/// Faktory's job payload to Conveyor's model and back (docs/faktory-protocol.md, "Field mapping"). What
/// Conveyor has no field for is kept in reserved <c>faktory.*</c> meta keys, which never show in <c>custom</c>.
/// </summary>
internal static class FaktoryJobMapping
{
    public const string RetryKey = "faktory.retry";
    public const string BacktraceKey = "faktory.backtrace";
    public const string CustomKey = "faktory.custom";
    private const string ReservedPrefix = "faktory.";
    private const int DefaultRetry = 25;

    public static JobSpec ToSpec(FaktoryJob job)
    {
        if (string.IsNullOrEmpty(job.Jobtype))
        {
            throw new FaktoryVerbException("jobs must have a jobtype");
        }

        if (job.Args is { } args && args.ValueKind != JsonValueKind.Array)
        {
            throw new FaktoryVerbException("args must be an array");
        }

        var retry = job.Retry ?? DefaultRetry;
        if (retry < -1)
        {
            throw new FaktoryVerbException("retry must be -1, 0 or a positive count");
        }

        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        AddCustom(job.Custom, meta);
        if (job.Retry is { } explicitRetry)
        {
            meta[RetryKey] = explicitRetry.ToString(CultureInfo.InvariantCulture);
        }

        if (job.Backtrace is { } backtrace)
        {
            meta[BacktraceKey] = backtrace.ToString(CultureInfo.InvariantCulture);
        }

        var queue = string.IsNullOrEmpty(job.Queue) ? JobDefaults.Queue : job.Queue;
        var jobArgs = job.Args is { } a ? Encoding.UTF8.GetBytes(a.GetRawText()) : JobDefaults.EmptyArgs;
        var (uniqueFor, uniqueMode) = UniqueOf(job.Custom);
        return new JobSpec
        {
            Id = string.IsNullOrEmpty(job.Jid) ? null : job.Jid,
            Type = job.Jobtype,
            Queue = queue,
            Args = jobArgs,

            // Faktory Enterprise's unique jobs: the lock is (jobtype, args, queue), for unique_for seconds.
            UniqueKey = uniqueFor > 0 ? UniqueKeys.ByArgs(queue, job.Jobtype, jobArgs) : null,
            UniqueForSeconds = uniqueFor,
            UniqueMode = uniqueFor > 0 ? uniqueMode : UniqueMode.UntilFinished,
            Priority = job.Priority ?? JobDefaults.Priority,
            RunAt = ParseTime(job.At, "at"),
            MaxAttempts = retry >= 1 ? retry + 1 : 1,

            // retry: 0 discards the job on failure; the store removes it in the fail's own write.
            Dead = retry != 0,
            LeaseSeconds = job.ReserveFor is > 0 and var reserve ? reserve : JobDefaults.LeaseSeconds,
            Meta = meta,
        };
    }

    /// <summary>
    /// The custom fields <c>unique_for</c> (seconds, a number; 0 or absent: not unique) and <c>unique_until</c>
    /// (<c>success</c>, the default: held until the job succeeds; <c>start</c>: until it is fetched).
    /// </summary>
    private static (int Seconds, UniqueMode Mode) UniqueOf(Dictionary<string, JsonElement>? custom)
    {
        if (custom is null || !custom.TryGetValue("unique_for", out var uniqueFor) || uniqueFor.ValueKind == JsonValueKind.Null)
        {
            return (0, UniqueMode.UntilFinished);
        }

        if (uniqueFor.ValueKind != JsonValueKind.Number || !uniqueFor.TryGetDouble(out var seconds)
            || seconds is < 0 or > JobDefaults.MaxUniqueForSeconds)
        {
            throw new FaktoryVerbException($"unique_for must be a number of seconds, 0–{JobDefaults.MaxUniqueForSeconds}");
        }

        var until = custom.TryGetValue("unique_until", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
        var mode = until switch
        {
            null or "success" => UniqueMode.UntilCompleted,
            "start" => UniqueMode.UntilStarted,
            _ => throw new FaktoryVerbException("unique_until must be 'start' or 'success'"),
        };
        return ((int)Math.Ceiling(seconds), mode);
    }

    public static FaktoryJob ToFaktory(JobInfo job)
    {
        using var args = JsonDocument.Parse(job.Args);
        var last = job.Failures.Count > 0 ? job.Failures[^1] : null;
        return new FaktoryJob
        {
            Jid = job.Id,
            Jobtype = job.Type,
            Args = args.RootElement.Clone(),
            Queue = job.Queue,
            Priority = job.Priority,
            At = job.State == JobState.Scheduled ? FormatTime(job.RunAt) : null,
            ReserveFor = job.LeaseSeconds,
            Retry = RetryOf(job),
            Backtrace = job.Meta.TryGetValue(BacktraceKey, out var bt) && int.TryParse(bt, CultureInfo.InvariantCulture, out var lines) ? lines : null,
            Custom = CustomOf(job.Meta),
            CreatedAt = FormatTime(job.CreatedAt),
            EnqueuedAt = FormatTime(job.CreatedAt),
            Failure = last is null ? null : new FaktoryFailure
            {
                RetryCount = job.Failures.Count - 1,
                RetryRemaining = Math.Max(0, job.MaxAttempts - job.Attempt),
                FailedAt = FormatTime(last.At),
                NextAt = job.State == JobState.Retrying ? FormatTime(job.RunAt) : null,
                Message = last.Message,
                Errtype = last.ErrorType,
                Backtrace = last.Backtrace,
            },
        };
    }

    /// <summary>How many backtrace lines the job keeps (all when it did not say).</summary>
    public static int? BacktraceLimit(JobInfo job) =>
        job.Meta.TryGetValue(BacktraceKey, out var bt) && int.TryParse(bt, CultureInfo.InvariantCulture, out var lines) ? Math.Max(0, lines) : null;

    private static int RetryOf(JobInfo job) =>
        job.Meta.TryGetValue(RetryKey, out var retry) && int.TryParse(retry, CultureInfo.InvariantCulture, out var value)
            ? value
            : job.MaxAttempts - 1;

    private static void AddCustom(Dictionary<string, JsonElement>? custom, Dictionary<string, string> meta)
    {
        if (custom is null || custom.Count == 0)
        {
            return;
        }

        if (custom.Values.All(v => v.ValueKind == JsonValueKind.String) && !custom.Keys.Any(k => k.StartsWith(ReservedPrefix, StringComparison.Ordinal)))
        {
            foreach (var (key, value) in custom)
            {
                meta[key] = value.GetString()!;
            }

            return;
        }

        // Non-string values keep their JSON exactly: the whole object is stored once.
        meta[CustomKey] = JsonSerializer.Serialize(custom, FaktoryJsonContext.Default.DictionaryStringJsonElement);
    }

    private static Dictionary<string, JsonElement>? CustomOf(IReadOnlyDictionary<string, string> meta)
    {
        if (meta.TryGetValue(CustomKey, out var raw))
        {
            return JsonSerializer.Deserialize(raw, FaktoryJsonContext.Default.DictionaryStringJsonElement);
        }

        Dictionary<string, JsonElement>? custom = null;
        foreach (var (key, value) in meta)
        {
            if (!key.StartsWith(ReservedPrefix, StringComparison.Ordinal))
            {
                (custom ??= new(StringComparer.Ordinal))[key] = JsonSerializer.SerializeToElement(value, FaktoryJsonContext.Default.String);
            }
        }

        return custom;
    }

    private static DateTimeOffset? ParseTime(string? value, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new FaktoryVerbException($"{field} must be an RFC 3339 time");
    }

    private static string? FormatTime(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}

using Conveyor.Broker;
using Conveyor.Contracts.Json;
using Conveyor.Contracts.Workers;
using Conveyor.Core.Inputs;
using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Server.Json;

namespace Conveyor.Server.Mapping;

/// <summary>Wire ack/fail/settle/heartbeat bodies → store requests, and the names of settle statuses.</summary>
internal static class SettleMapping
{
    private const long MaxRetryInMs = 365L * 24 * 3600 * 1000;

    /// <summary>The lease token; <paramref name="list"/> and <paramref name="index"/> place it inside a settle.</summary>
    public static string RequireToken(string? token, string list = "", int? index = null) => token switch
    {
        null or "" => throw Rejected(list, "token", "required", index),
        { Length: > InputLimits.TokenLength } => throw Rejected(list, "token", $"must be at most {InputLimits.TokenLength} characters", index, tooLarge: true),
        _ => token,
    };

    public static JobFail ToFail(string id, FailRequest request) =>
        Fail(id, request.Token, request.ErrorType, request.Message, request.Backtrace, request.RetryInMs, request.Retry, "", null);

    public static JobSettle ToSettle(SettleBody request)
    {
        var acks = request.Ack ?? [];
        var fails = request.Fail ?? [];
        var jobAcks = new JobAck[acks.Count];
        for (var i = 0; i < jobAcks.Length; i++)
        {
            var ack = acks[i] ?? throw new RequestRejectedException("ack", "each item must be an object", i, "ack");
            jobAcks[i] = new JobAck(RequireId(ack.Id, "ack", i), RequireToken(ack.Token, "ack", i)) { Result = ack.Result };
        }

        var jobFails = new JobFail[fails.Count];
        for (var i = 0; i < jobFails.Length; i++)
        {
            var fail = fails[i] ?? throw new RequestRejectedException("fail", "each item must be an object", i, "fail");
            jobFails[i] = Fail(RequireId(fail.Id, "fail", i), fail.Token, fail.ErrorType, fail.Message, fail.Backtrace, fail.RetryInMs, fail.Retry, "fail", i);
        }

        return new JobSettle(jobAcks, jobFails);
    }

    /// <summary>A single ack's result: the raw JSON value, or null when it was left out or JSON null.</summary>
    public static byte[]? ToResult(RawJson? result) =>
        result is { Utf8: { IsEmpty: false } utf8 } && !utf8.Span.SequenceEqual("null"u8) ? utf8.ToArray() : null;

    public static JobHeartbeat ToHeartbeat(string id, HeartbeatRequest request) =>
        new(id, RequireToken(request.Token), request.ExtendSeconds is { } s ? TimeSpan.FromSeconds(s) : null);

    public static string ToName(SettleStatus status) => status switch
    {
        SettleStatus.Ok => "ok",
        SettleStatus.Stale => "stale",
        _ => "unknown",
    };

    /// <summary>One fail item; <paramref name="list"/> and <paramref name="index"/> place it inside a settle (empty list: a single fail).</summary>
    public static JobFail Fail(
        string id, string? token, string? errorType, string? message, IReadOnlyList<string>? backtrace, long? retryInMs, bool? retry, string list, int? index)
    {
        if (retryInMs is < 0 or > MaxRetryInMs)
        {
            throw Rejected(list, "retry_in_ms", $"must be 0–{MaxRetryInMs}", index);
        }

        if (backtrace is not null && backtrace.Any(frame => frame is null))
        {
            throw Rejected(list, "backtrace", "frames must be strings", index);
        }

        return new JobFail(
            id,
            RequireToken(token, list, index),
            string.IsNullOrEmpty(errorType) ? "Error" : errorType,
            message ?? string.Empty,
            backtrace ?? [],
            retryInMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
            retry ?? true);
    }

    public static string RequireId(string? id, string list, int index) =>
        string.IsNullOrEmpty(id) ? throw Rejected(list, "id", "required", index) : id;

    private static JobKey RequireId(JobKey? id, string list, int index) =>
        id is not { } key || (!key.TryGetUlid(out _) && key.ToString().Length == 0)
            ? throw Rejected(list, "id", "required", index)
            : key;

    /// <summary>A settle item's field is named with its list (<c>ack.token</c>); a single ack's or fail's alone.</summary>
    private static RequestRejectedException Rejected(string list, string name, string reason, int? index, bool tooLarge = false) =>
        list.Length == 0 ? new(name, reason, index, tooLarge: tooLarge) : new($"{list}.{name}", reason, index, list, tooLarge);
}

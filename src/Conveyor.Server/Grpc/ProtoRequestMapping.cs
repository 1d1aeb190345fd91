using System.Text.Json;
using Conveyor.Broker;
using Conveyor.Contracts.Json;
using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Grpc.V1;
using Conveyor.Server.Mapping;
using ContractEnqueue = Conveyor.Contracts.Jobs.EnqueueRequest;
using ProtoEnqueue = Conveyor.Grpc.V1.EnqueueRequest;

namespace Conveyor.Server.Grpc;

/// <summary>Proto requests → store requests, through the same defaults and checks as the HTTP API's.</summary>
internal static class ProtoRequestMapping
{
    public static JobSpec ToSpec(ProtoEnqueue request, DateTimeOffset now, int? index = null)
    {
        var args = request.Args.Memory;
        if (!args.IsEmpty && !IsOneJsonValue(args.Span))
        {
            throw new RequestRejectedException("args", "must be the UTF-8 bytes of one JSON value", index);
        }

        // The HTTP API's wire record carries the same optional fields: its mapping resolves defaults, delay_ms and backoff.
        var wire = new ContractEnqueue
        {
            Id = request.HasId ? request.Id : null,
            Queue = request.HasQueue ? request.Queue : null,
            Type = request.Type,
            Args = args.IsEmpty ? RawJson.EmptyArray : new RawJson(args),
            Priority = request.HasPriority ? request.Priority : null,
            RunAt = request.RunAt?.ToDateTimeOffset(),
            DelayMs = request.HasDelayMs ? request.DelayMs : null,
            MaxAttempts = request.HasMaxAttempts ? request.MaxAttempts : null,
            Dead = request.HasDead ? request.Dead : null,
            LeaseSeconds = request.HasLeaseSeconds ? request.LeaseSeconds : null,
            UniqueKey = request.HasUniqueKey ? request.UniqueKey : null,
            UniqueForSeconds = request.HasUniqueForSeconds ? request.UniqueForSeconds : null,
            UniqueUntil = request.HasUniqueUntil ? request.UniqueUntil : null,
            UniqueByArgs = request.HasUniqueByArgs ? request.UniqueByArgs : null,
            TimeoutSeconds = request.HasTimeoutSeconds ? request.TimeoutSeconds : null,
            Tags = request.Tags.Count == 0 ? null : [.. request.Tags],
            Meta = request.Meta.Count == 0 ? null : new Dictionary<string, string>(request.Meta, StringComparer.Ordinal),
            Backoff = request.HasBackoff ? request.Backoff : null,
        };
        return JobSpecMapping.ToSpec(wire, now, index);
    }

    public static JobSettle ToSettle(SettleRequest request)
    {
        var acks = new JobAck[request.Acks.Count];
        for (var i = 0; i < acks.Length; i++)
        {
            var ack = request.Acks[i];
            acks[i] = new JobAck(SettleMapping.RequireId(ack.Id, "acks", i), SettleMapping.RequireToken(ack.Token, "acks", i))
            {
                Result = ToResult(ack.Result, i),
            };
        }

        var fails = new JobFail[request.Fails.Count];
        for (var i = 0; i < fails.Length; i++)
        {
            var fail = request.Fails[i];
            fails[i] = SettleMapping.Fail(
                SettleMapping.RequireId(fail.Id, "fails", i),
                fail.Token,
                fail.HasErrorType ? fail.ErrorType : null,
                fail.Message,
                [.. fail.Backtrace],
                fail.HasRetryInMs ? fail.RetryInMs : null,
                fail.HasRetry ? fail.Retry : null,
                "fails",
                i);
        }

        return new JobSettle(acks, fails);
    }

    public static JobHeartbeat ToHeartbeat(HeartbeatRequest request, string list = "", int? index = null)
    {
        var id = list.Length == 0
            ? (string.IsNullOrEmpty(request.Id) ? throw new RequestRejectedException("id", "required") : request.Id)
            : SettleMapping.RequireId(request.Id, list, index ?? 0);
        return new JobHeartbeat(
            id,
            SettleMapping.RequireToken(request.Token, list, index),
            request.HasExtendSeconds ? TimeSpan.FromSeconds(request.ExtendSeconds) : null);
    }

    /// <summary>An ack's result: the JSON value's bytes, or null when empty or JSON null (the broker bounds its size).</summary>
    private static byte[]? ToResult(Google.Protobuf.ByteString result, int index)
    {
        var span = result.Span;
        if (span.IsEmpty)
        {
            return null;
        }

        if (!IsOneJsonValue(span))
        {
            throw new RequestRejectedException("acks.result", "must be the UTF-8 bytes of one JSON value", index);
        }

        return span.SequenceEqual("null"u8) ? null : span.ToArray();
    }

    /// <summary>An id that arrives in a request field, required.</summary>
    public static string RequireId(string id) => string.IsNullOrEmpty(id) ? throw new RequestRejectedException("id", "required") : id;

    private static bool IsOneJsonValue(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            return reader.Read() && reader.TrySkip() && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

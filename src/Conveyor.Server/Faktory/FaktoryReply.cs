using System.Buffers;
using Conveyor.Core.Jobs;
using Conveyor.Protocol.Faktory;

namespace Conveyor.Server.Faktory;

/// <summary>What a command answers; written by the connection loop only after the command finished.</summary>
internal readonly record struct FaktoryReply(FaktoryReplyKind Kind, string? Text = null, byte[]? Bytes = null)
{
    /// <summary>The jobs this reply delivers leases of (FETCH): released if the reply cannot be written.</summary>
    public IReadOnlyList<JobInfo>? Leased { get; init; }

    public static FaktoryReply Ok { get; } = new(FaktoryReplyKind.Ok);

    public static FaktoryReply Null { get; } = new(FaktoryReplyKind.Null);

    public static FaktoryReply Close { get; } = new(FaktoryReplyKind.Close);

    /// <summary>Faktory Enterprise's answer to a PUSH whose unique lock is held: <c>-NOTUNIQUE Job not unique</c>.</summary>
    public static FaktoryReply NotUnique { get; } = new(FaktoryReplyKind.Error, NotUniqueMessage) { Code = NotUniqueCode };

    /// <summary>The error code of <see cref="NotUnique"/>.</summary>
    public const string NotUniqueCode = "NOTUNIQUE";

    /// <summary>The message of <see cref="NotUnique"/>.</summary>
    public const string NotUniqueMessage = "Job not unique";

    /// <summary>An error's code: <c>ERR</c> unless a reply names another.</summary>
    public string Code { get; init; } = "ERR";

    public static FaktoryReply Error(string message) => new(FaktoryReplyKind.Error, message);

    public static FaktoryReply Bulk(byte[] bytes) => new(FaktoryReplyKind.Bulk, Bytes: bytes);

    public void WriteTo(IBufferWriter<byte> output)
    {
        switch (Kind)
        {
            case FaktoryReplyKind.Ok:
                FaktoryReplyWriter.WriteOk(output);
                break;
            case FaktoryReplyKind.Null:
                FaktoryReplyWriter.WriteNull(output);
                break;
            case FaktoryReplyKind.Error:
                FaktoryReplyWriter.WriteError(output, Code, Text ?? "error");
                break;
            case FaktoryReplyKind.Bulk:
                FaktoryReplyWriter.WriteBulk(output, Bytes);
                break;
            case FaktoryReplyKind.Close:
                break;
        }
    }
}

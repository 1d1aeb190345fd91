using Microsoft.Extensions.Logging;

namespace Conveyor.Storage.Embedded.Log;

/// <summary>The log lines of the write-ahead log.</summary>
internal static partial class WalLog
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning,
        Message = "WAL torn tail in {File} at byte offset {Offset}: truncated {Bytes} byte(s) of an incomplete write")]
    public static partial void TornTail(ILogger logger, string file, long offset, long bytes);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning,
        Message = "WAL segment {File} has no valid header and no records ({Bytes} byte(s)), left by a crash while it was created; rewriting its header")]
    public static partial void TornHeader(ILogger logger, string file, long bytes);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information,
        Message = "WAL recovered: {Records} record(s) from {Segments} segment(s) starting at segment {FromSegment}")]
    public static partial void Recovered(ILogger logger, long records, int segments, long fromSegment);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Error,
        Message = "WAL flush to {File} failed; {Records} record(s) discarded and the segment cut back to {Length} byte(s)")]
    public static partial void FlushFailed(ILogger logger, Exception exception, string file, int records, long length);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Warning,
        Message = "WAL segment {File} is of an older format or has no preallocated space, and a new one could not be started; appending to it")]
    public static partial void RollAtOpenFailed(ILogger logger, Exception exception, string file);
}

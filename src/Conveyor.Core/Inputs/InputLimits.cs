namespace Conveyor.Core.Inputs;

/// <summary>
/// The size of everything a client sends, in one table (docs/security.md, "Limits"). The HTTP API and the Faktory
/// port check against the same numbers. Lengths are UTF-16 code units, as .NET counts a string.
/// </summary>
/// <remarks>
/// A value over one of these is refused with 413 naming the field (<see cref="InputError.TooLarge"/>), except a
/// failure's text, which is cut with a marker instead (<see cref="FailureText"/>): a worker must always be able to
/// fail its job.
/// </remarks>
public static class InputLimits
{
    /// <summary>Longest client-chosen job id.</summary>
    public const int IdLength = 64;

    /// <summary>Longest queue name.</summary>
    public const int QueueLength = 128;

    /// <summary>Longest job type.</summary>
    public const int TypeLength = 256;

    /// <summary>Longest unique key.</summary>
    public const int UniqueKeyLength = 256;

    /// <summary>Most tags on one job.</summary>
    public const int Tags = 32;

    /// <summary>Longest tag.</summary>
    public const int TagLength = 256;

    /// <summary>Most meta entries on one job.</summary>
    public const int MetaEntries = 64;

    /// <summary>Longest meta key.</summary>
    public const int MetaKeyLength = 256;

    /// <summary>Longest meta value.</summary>
    public const int MetaValueLength = 4096;

    /// <summary>Largest job arguments, in UTF-8 bytes (1 MiB).</summary>
    public const int ArgsBytes = 1 << 20;

    /// <summary>Longest worker id (a fetch's <c>worker_id</c>, a Faktory <c>wid</c>).</summary>
    public const int WorkerIdLength = 128;

    /// <summary>Most queues one fetch names.</summary>
    public const int FetchQueues = 100;

    /// <summary>Longest lease token a client hands back (the server's are much shorter).</summary>
    public const int TokenLength = 64;

    /// <summary>A failure's <c>error_type</c> is cut past this many characters.</summary>
    public const int ErrorTypeLength = 256;

    /// <summary>A failure's <c>message</c> is cut past this many characters.</summary>
    public const int MessageLength = 16 * 1024;

    /// <summary>A failure's <c>backtrace</c> keeps this many lines (the first ones).</summary>
    public const int BacktraceLines = 100;

    /// <summary>Each kept backtrace line is cut past this many characters.</summary>
    public const int BacktraceLineLength = 1024;

    /// <summary>A progress report's <c>message</c> is cut past this many characters.</summary>
    public const int ProgressMessageLength = 1024;

    /// <summary>Largest result an ack may carry, in UTF-8 bytes (64 KiB).</summary>
    public const int ResultBytes = 64 * 1024;

    /// <summary>Queues in a <c>GET /v1/queues</c> page when no <c>limit</c> is given.</summary>
    public const int QueuePageDefault = 100;

    /// <summary>The largest <c>GET /v1/queues</c> page.</summary>
    public const int QueuePageMax = 1000;

    /// <summary>Most leases one <c>POST /v1/leases/check</c> names.</summary>
    public const int LeaseChecks = 1000;
}

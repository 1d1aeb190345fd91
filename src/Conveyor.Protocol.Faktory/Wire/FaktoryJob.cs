using System.Text.Json;

namespace Conveyor.Protocol.Faktory.Wire;

/// <summary>A job as Faktory clients send it in PUSH and receive it from FETCH (the Faktory job payload).</summary>
public sealed class FaktoryJob
{
    public string? Jid { get; set; }

    public string? Jobtype { get; set; }

    /// <summary>Must be a JSON array.</summary>
    public JsonElement? Args { get; set; }

    public string? Queue { get; set; }

    public int? Priority { get; set; }

    /// <summary>RFC 3339 run time; absent or empty means now.</summary>
    public string? At { get; set; }

    /// <summary>Seconds a FETCH reserves the job (the lease).</summary>
    public int? ReserveFor { get; set; }

    /// <summary>Retries on failure: 0 discards on failure, -1 sends straight to dead, n retries n times.</summary>
    public int? Retry { get; set; }

    /// <summary>How many backtrace lines to keep.</summary>
    public int? Backtrace { get; set; }

    public Dictionary<string, JsonElement>? Custom { get; set; }

    public string? CreatedAt { get; set; }

    public string? EnqueuedAt { get; set; }

    public FaktoryFailure? Failure { get; set; }
}

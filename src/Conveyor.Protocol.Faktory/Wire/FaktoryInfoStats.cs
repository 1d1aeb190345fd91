using System.Text.Json.Serialization;

namespace Conveyor.Protocol.Faktory.Wire;

/// <summary>INFO's <c>faktory</c> section: totals, queue sizes and the sizes of the scheduled, retry and dead sets.</summary>
public sealed class FaktoryInfoStats
{
    public long TotalFailures { get; set; }

    public long TotalProcessed { get; set; }

    public long TotalEnqueued { get; set; }

    public long TotalQueues { get; set; }

    public required Dictionary<string, long> Queues { get; set; }

    /// <summary>Keyed <c>Scheduled</c>, <c>Retries</c>, <c>Dead</c> (capitalised as Faktory does).</summary>
    [JsonPropertyName("tasks")]
    public required Dictionary<string, FaktoryTaskSize> Tasks { get; set; }
}

using System.Text.Json.Serialization;

namespace Conveyor.Protocol.Faktory.Wire;

/// <summary>INFO's <c>faktory</c> section: totals, queue sizes, the sizes of the scheduled, retry, dead and working sets, and the background tasks.</summary>
public sealed class FaktoryInfoStats
{
    public long TotalFailures { get; set; }

    public long TotalProcessed { get; set; }

    public long TotalEnqueued { get; set; }

    public long TotalQueues { get; set; }

    public required Dictionary<string, long> Queues { get; set; }

    /// <summary>Keyed <c>scheduled</c>, <c>retries</c>, <c>dead</c>, <c>working</c> (leased jobs).</summary>
    public required Dictionary<string, long> Sets { get; set; }

    /// <summary>Keyed <c>Scheduled</c>, <c>Retries</c>, <c>Dead</c>, <c>Busy</c>, <c>Workers</c> (capitalised as Faktory does; deprecated there in favour of <see cref="Sets"/>).</summary>
    [JsonPropertyName("tasks")]
    public required Dictionary<string, FaktoryTaskStats> Tasks { get; set; }
}

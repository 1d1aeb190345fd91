using System.Collections;
using Conveyor.Contracts.Jobs;

namespace Conveyor.Client.Worker;

/// <summary>The logging scope of one attempt, so every log line a handler writes names its job (structured as the key/value pairs).</summary>
internal sealed class JobLogScope(JobView job) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 4;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("JobId", job.Id),
        1 => new("JobType", job.Type),
        2 => new("Queue", job.Queue),
        3 => new("Attempt", job.Attempt),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"job {job.Id} ({job.Type}, attempt {job.Attempt})";
}

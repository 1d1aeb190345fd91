using Conveyor.Core.Jobs;
using Conveyor.Storage.Embedded.State;

namespace Conveyor.Storage.Embedded.Events;

/// <summary>
/// One attempt's end: <see cref="JobState.Completed"/> (no failure), or <see cref="JobState.Retrying"/>
/// at <paramref name="RunAt"/> / <see cref="JobState.Dead"/> with the failure.
/// </summary>
internal sealed record SettledJob(JobKey Id, JobState Next, long RunAt, JobFailure? Failure)
{
    /// <summary>The job as the deciding command found it, so applying skips the lookup; never encoded (replay looks the id up).</summary>
    public JobEntry? Entry { get; init; }

    /// <summary>An ack's result (raw JSON), kept with the completed job; null for none.</summary>
    public byte[]? Result { get; init; }
}

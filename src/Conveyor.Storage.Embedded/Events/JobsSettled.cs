namespace Conveyor.Storage.Embedded.Events;

/// <summary>
/// Acks, fails and lease expiries decided together at <paramref name="At"/>. With <see cref="WithResults"/> (some ack
/// carried a result) it is written as <see cref="RecordType.JobsSettledWithResults"/>, each job followed by its result; a
/// batch without results keeps the shorter <see cref="RecordType.JobsSettled"/> bytes.
/// </summary>
internal sealed record JobsSettled(long At, SettledJob[] Jobs) : StoreEvent
{
    public bool WithResults { get; init; }

    public override RecordType Type => WithResults ? RecordType.JobsSettledWithResults : RecordType.JobsSettled;
}

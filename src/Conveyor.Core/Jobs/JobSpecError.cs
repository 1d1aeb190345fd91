namespace Conveyor.Core.Jobs;

/// <summary>Why a job was refused: the offending field (wire name) and a sentence.</summary>
public sealed record JobSpecError(string Field, string Message);

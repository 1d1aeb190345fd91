namespace Conveyor.Core.Jobs;

/// <summary>
/// Why a job was refused: the offending field (wire name), a sentence, and whether the value was refused for its
/// size (413) rather than its content (422).
/// </summary>
public sealed record JobSpecError(string Field, string Message, bool TooLarge = false);

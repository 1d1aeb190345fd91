namespace Conveyor.Core.Inputs;

/// <summary>Why a value a client sent was refused: a sentence, and whether it was refused for its size (413) rather than its content (422).</summary>
public sealed record InputError(string Message, bool TooLarge = false);

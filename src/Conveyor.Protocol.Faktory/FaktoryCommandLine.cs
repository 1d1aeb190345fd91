namespace Conveyor.Protocol.Faktory;

/// <summary>One command line: the verb (upper-cased ASCII) and the rest of the line after one space, as raw bytes.</summary>
/// <param name="Verb">e.g. <c>PUSH</c>, <c>FETCH</c>; empty when the line had no usable verb.</param>
/// <param name="Payload">Everything after the first space (JSON for most verbs, names for FETCH and QUEUE); empty if none.</param>
public readonly record struct FaktoryCommandLine(string Verb, ReadOnlyMemory<byte> Payload)
{
    /// <summary>The payload split at spaces (for FETCH and QUEUE), empty entries dropped.</summary>
    public IReadOnlyList<string> Words() =>
        System.Text.Encoding.UTF8.GetString(Payload.Span).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

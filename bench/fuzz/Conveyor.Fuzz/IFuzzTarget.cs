namespace Conveyor.Fuzz;

/// <summary>
/// One reader under fuzz. <see cref="Run"/> feeds it one input and swallows only the reader's documented
/// rejection; any other exception escapes, and afl-fuzz records the input as a crash.
/// </summary>
internal interface IFuzzTarget
{
    string Name { get; }

    void Run(ReadOnlySpan<byte> input);

    /// <summary>Valid inputs to start from (a few KB each), by file name.</summary>
    IEnumerable<(string Name, byte[] Bytes)> Seeds();
}

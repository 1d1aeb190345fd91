namespace Conveyor.Cli.Bench;

/// <summary>A run cannot go on (the server refused a call, could not start, ...); the message says why.</summary>
internal sealed class BenchException : Exception
{
    public BenchException()
    {
    }

    public BenchException(string message)
        : base(message)
    {
    }

    public BenchException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

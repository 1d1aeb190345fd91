using Microsoft.Extensions.Logging;

namespace Conveyor.Storage.Embedded.Tests.Log;

/// <summary>
/// Keeps every log line so tests can assert what an operator would see; as a logger factory, every category
/// logs into it (a store logs from its writer thread, so the lines are locked).
/// </summary>
internal sealed class CapturingLogger : ILogger, ILoggerFactory
{
    private readonly List<(LogLevel Level, string Message)> lines = [];

    public List<(LogLevel Level, string Message)> Lines
    {
        get
        {
            lock (lines)
            {
                return [.. lines];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (lines)
        {
            lines.Add((logLevel, formatter(state, exception)));
        }
    }

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }
}

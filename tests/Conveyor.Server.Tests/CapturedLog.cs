using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Conveyor.Server.Tests;

/// <summary>A logger provider that keeps every line the server logs (set as <see cref="ConveyorServerOptions.LoggerProvider"/>).</summary>
internal sealed class CapturedLog : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLine> lines = new();

    public IReadOnlyList<CapturedLine> Lines => [.. lines];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<CapturedLine> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(new CapturedLine(category, logLevel, formatter(state, exception), exception));
    }
}

/// <summary>One captured log line.</summary>
internal sealed record CapturedLine(string Category, LogLevel Level, string Message, Exception? Exception);

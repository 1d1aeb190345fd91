using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Conveyor.Client.Tests;

/// <summary>A generic host running the worker against a test server, with every test handler and a log capture.</summary>
internal sealed class TestWorker : IAsyncDisposable
{
    private readonly IHost host;
    private bool stopped;

    private TestWorker(IHost host, Probe probe, LogCapture logs)
    {
        this.host = host;
        Probe = probe;
        Logs = logs;
    }

    public Probe Probe { get; }

    public LogCapture Logs { get; }

    public IServiceProvider Services => host.Services;

    public static async Task<TestWorker> StartAsync(
        TestServer server, Action<ConveyorWorkerOptions> configure, Probe? probe = null, Action<ConveyorWorkerBuilder>? build = null)
    {
        probe ??= new Probe();
        var logs = new LogCapture();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton(probe);
        builder.Services.AddConveyorClient(o =>
        {
            o.ServerUrl = server.Url;
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, TestJsonContext.Default);
        });
        var worker = builder.Services.AddConveyorWorker(o =>
            {
                o.FetchWait = TimeSpan.FromMilliseconds(300);

                // Never Auto here: another server on this machine may answer on the default gRPC port.
                o.Transport = server.GrpcUrl is null ? ConveyorWorkerTransport.Http : ConveyorWorkerTransport.Grpc;
                o.GrpcAddress = server.GrpcUrl;
                configure(o);
            })
            .AddHandler<CountJob, CountHandler>()
            .AddHandler<ThrowJob, ThrowHandler>()
            .AddHandler<SleepJob, SleepHandler>()
            .AddHandler<BlockJob, BlockHandler>()
            .AddHandler<HoldJob, HoldHandler>()
            .AddHandler<PermanentJob, PermanentHandler>()
            .AddHandler<RetryLaterJob, RetryLaterHandler>()
            .AddHandler<BadInputJob, BadInputHandler>();
        build?.Invoke(worker);
        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new TestWorker(host, probe, logs);
    }

    public async Task StopAsync()
    {
        stopped = true;
        await host.StopAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (!stopped)
        {
            await StopAsync();
        }

        host.Dispose();
    }

    /// <summary>Keeps every log message, so tests can see what the worker reported.</summary>
    internal sealed class LogCapture : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        /// <summary>The messages with their levels.</summary>
        public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            Messages.Enqueue(message);
            Entries.Enqueue((logLevel, message));
        }

        public void Dispose()
        {
        }
    }
}

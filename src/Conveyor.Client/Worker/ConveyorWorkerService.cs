using Conveyor.Client.Diagnostics;
using Conveyor.Client.Grpc;
using Conveyor.Client.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Conveyor.Client.Worker;

/// <summary>
/// The worker host: one <see cref="QueueWorker"/> per configured queue, one <see cref="LeaseChecker"/> and one <see cref="Settler"/>. Stopping stops the
/// fetches, gives running handlers <see cref="ConveyorWorkerOptions.ShutdownTimeout"/>, then cancels the rest and fails
/// them with <c>Shutdown</c> (retry now) so another worker picks them up at once, and finally sends every settlement.
/// </summary>
internal sealed class ConveyorWorkerService : IHostedService, IDisposable
{
    private static readonly TimeSpan AbandonGrace = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);
    private readonly IHostApplicationLifetime? lifetime;
    private readonly ConveyorClient client;
    private readonly ConveyorWorkerOptions options;
    private readonly ConveyorClientOptions clientOptions;
    private readonly IEnumerable<HandlerRegistration> registrations;
    private readonly JobPipeline pipeline;
    private readonly IServiceScopeFactory scopes;
    private readonly WorkerTelemetry telemetry;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopFetching = new();
    private readonly CancellationTokenSource abortFetches = new();
    private readonly List<QueueWorker> workers = [];
    private readonly List<Task> fetchLoops = [];
    private Settler? settler;
    private LeaseChecker? checker;
    private IWorkerTransport? transport;

    public ConveyorWorkerService(ConveyorClient client, IOptions<ConveyorWorkerOptions> options, IOptions<ConveyorClientOptions> clientOptions,
        IEnumerable<HandlerRegistration> registrations, IEnumerable<MiddlewareRegistration> middlewares, IServiceScopeFactory scopes,
        WorkerTelemetry telemetry, ILoggerFactory loggers, IHostApplicationLifetime? lifetime = null)
    {
        this.lifetime = lifetime;
        pipeline = new JobPipeline(middlewares);
        this.client = client;
        this.options = options.Value;
        this.clientOptions = clientOptions.Value;
        this.registrations = registrations;
        this.scopes = scopes;
        this.telemetry = telemetry;
        logger = loggers.CreateLogger("Conveyor.Client.Worker");
    }

    /// <summary>The transport chosen at start (tests look at it).</summary>
    internal IWorkerTransport? Transport => transport;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var registry = new HandlerRegistry(registrations, clientOptions);
        var time = clientOptions.TimeProvider;
        var api = transport = await ChooseTransportAsync(cancellationToken).ConfigureAwait(false);
        settler = new Settler(api, telemetry, time, logger);
        settler.Start();
        var runner = new JobRunner(registry, pipeline, scopes, clientOptions, telemetry, logger, options.WorkerId);
        var leases = new LeaseKeeper(options, time, logger);
        checker = new LeaseChecker(api, options, time, logger);
        checker.Start();
        var queues = options.EffectiveQueues();
        foreach (var (queue, concurrency) in queues)
        {
            var worker = new QueueWorker(queue, concurrency, api, runner, leases, checker, settler, options, time, logger);
            workers.Add(worker);
            fetchLoops.Add(Task.Run(() => worker.FetchLoopAsync(stopFetching.Token, abortFetches.Token), CancellationToken.None));
        }

        var address = api is GrpcWorkerTransport grpc ? grpc.Address : clientOptions.ServerUrl;
        logger.Started(options.WorkerId, address.ToString(), api.Name, string.Join(", ", queues.Select(q => $"{q.Key}×{q.Value}")));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (settler is null)
        {
            return;
        }

        var time = clientOptions.TimeProvider;
        var deadline = time.GetTimestamp();
        logger.Stopping(options.WorkerId, options.ShutdownTimeout, workers.Sum(w => w.RunningCount));
        await stopFetching.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(workers.Select(w => w.WhenIdleAsync())).WaitAsync(options.ShutdownTimeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            workers.ForEach(w => w.AbandonRunning());

            // Their jobs are already handed back; a moment lets cooperative handlers unwind and dispose their scopes before the host disposes the container.
            await Task.WhenAll(workers.Select(w => w.WhenIdleAsync())).WaitAsync(AbandonGrace, time, cancellationToken)
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        // A fetch in flight may already hold leases; let it return (its jobs are handed straight back) within what is left of the grace.
        var left = options.ShutdownTimeout - time.GetElapsedTime(deadline);
        try
        {
            await Task.WhenAll(fetchLoops).WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            await abortFetches.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(fetchLoops).ConfigureAwait(false);
        }

        await checker!.StopAsync().ConfigureAwait(false);
        await settler.DrainAsync(cancellationToken).ConfigureAwait(false);
        if (transport is not null)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
        }

        logger.Stopped(options.WorkerId);
    }

    /// <summary>HTTP, or the gRPC Work stream: as configured, or for Auto when the gRPC address answers now.</summary>
    private async Task<IWorkerTransport> ChooseTransportAsync(CancellationToken cancellationToken)
    {
        if (options.Transport == ConveyorWorkerTransport.Http)
        {
            return new WorkerApi(client.Transport);
        }

        if (options.EffectiveGrpcAddress(clientOptions.ServerUrl) is not { } address)
        {
            logger.GrpcNotOffered(clientOptions.ServerUrl, "no gRPC address: the server URL is not on the default port 7420; set GrpcAddress");
            return new WorkerApi(client.Transport);
        }

        var grpc = GrpcWorkerTransport.Create(address, clientOptions, options, logger, OnControl);
        if (options.Transport == ConveyorWorkerTransport.Grpc)
        {
            return grpc;
        }

        if (await grpc.ProbeAsync(ProbeTimeout, cancellationToken).ConfigureAwait(false) is { } reason)
        {
            logger.GrpcNotOffered(grpc.Address, reason);
            await grpc.DisposeAsync().ConfigureAwait(false);
            return new WorkerApi(client.Transport);
        }

        return grpc;
    }

    /// <summary>An operator's quiet or terminate, heard on the Work stream: no more jobs are taken; terminate also stops the host.</summary>
    private void OnControl(string kind)
    {
        logger.ControlReceived(kind);
        if (kind == "terminate")
        {
            lifetime?.StopApplication();
        }
    }

    public void Dispose()
    {
        stopFetching.Dispose();
        abortFetches.Dispose();
    }
}

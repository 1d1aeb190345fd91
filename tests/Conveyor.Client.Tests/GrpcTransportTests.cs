using System.Diagnostics;
using Conveyor.Client.Grpc;
using Conveyor.Client.Http;
using Conveyor.Client.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Conveyor.Client.Tests;

/// <summary>The worker over the gRPC Work stream: how Auto chooses, and a stream that breaks mid-run.</summary>
public sealed class GrpcTransportTests
{
    [Fact]
    public async Task Auto_ServerOffersGrpc_WorksOverTheWorkStream()
    {
        await using var server = await TestServer.StartAsync(Transports.Grpc);
        await using var worker = await TestWorker.StartAsync(server, o =>
        {
            o.Transport = ConveyorWorkerTransport.Auto;
            o.AddQueue("default", 2);
        });
        var id = await server.Client.EnqueueAsync(new CountJob(1));

        await Eventually.HoldsAsync(async () => (await server.Client.GetAsync(id))!.State == "completed", "the job to complete");

        Assert.IsType<GrpcWorkerTransport>(TransportOf(worker));
        Assert.Contains(worker.Logs.Messages, m => m.Contains("over grpc", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Auto_GrpcPortOff_FallsBackToHttp()
    {
        await using var server = await TestServer.StartAsync(Transports.Http);
        var nothing = new Uri($"http://127.0.0.1:{TestServer.FreePort()}/");
        await using var worker = await TestWorker.StartAsync(server, o =>
        {
            o.Transport = ConveyorWorkerTransport.Auto;
            o.GrpcAddress = nothing;
            o.AddQueue("default", 2);
        });
        var id = await server.Client.EnqueueAsync(new CountJob(1));

        await Eventually.HoldsAsync(async () => (await server.Client.GetAsync(id))!.State == "completed", "the job to complete");

        Assert.IsType<WorkerApi>(TransportOf(worker));
        Assert.Contains(worker.Logs.Messages, m => m.Contains($"No gRPC answered at {nothing}", StringComparison.Ordinal));
        Assert.Contains(worker.Logs.Messages, m => m.Contains("over http", StringComparison.Ordinal));
    }

    [Fact]
    public void GrpcAddress_Default_PairsOnlyTheDefaultPortsOrTheHttpsUrlItself()
    {
        var auto = new ConveyorWorkerOptions();
        var grpc = new ConveyorWorkerOptions { Transport = ConveyorWorkerTransport.Grpc };

        Assert.Equal(new Uri("http://jobs.example:7421/"), auto.EffectiveGrpcAddress(new Uri("http://jobs.example:7420/")));
        Assert.Equal(new Uri("https://jobs.example:8443/"), auto.EffectiveGrpcAddress(new Uri("https://jobs.example:8443/")));
        Assert.Null(auto.EffectiveGrpcAddress(new Uri("http://jobs.example:8420/")));
        Assert.Equal(new Uri("http://jobs.example:7421/"), grpc.EffectiveGrpcAddress(new Uri("http://jobs.example:8420/")));
    }

    [Fact]
    public async Task Auto_HttpUrlOffTheDefaultPortWithoutGrpcAddress_UsesHttpWithoutGuessing()
    {
        await using var server = await TestServer.StartAsync(Transports.Grpc);
        await using var worker = await TestWorker.StartAsync(server, o =>
        {
            o.Transport = ConveyorWorkerTransport.Auto;
            o.GrpcAddress = null;
            o.AddQueue("default", 1);
        });
        var id = await server.Client.EnqueueAsync(new CountJob(1));

        await Eventually.HoldsAsync(async () => (await server.Client.GetAsync(id))!.State == "completed", "the job to complete");

        Assert.IsType<WorkerApi>(TransportOf(worker));
        Assert.Contains(worker.Logs.Messages, m => m.Contains("set GrpcAddress", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WorkStream_CutMidRun_WorkerReconnectsAndFinishesEveryJobAckingEachOnce()
    {
        await using var server = await TestServer.StartAsync(Transports.Grpc);
        await using var proxy = new TcpProxy(server.GrpcUrl!.Port);
        var probe = new Probe();
        await using var worker = await TestWorker.StartAsync(server, o =>
        {
            o.GrpcAddress = proxy.Url;
            o.AddQueue("default", 4);
        }, probe);
        var ids = await server.Client.EnqueueBatchAsync(Enumerable.Range(0, 12).Select(_ => new SleepJob(400)));
        await Eventually.HoldsAsync(() => probe.Calls.Count >= 2, "jobs to be running");

        proxy.CutAll();

        await Eventually.HoldsAsync(async () => (await server.StatsAsync()).Counts["completed"] == 12, "every job to complete after the reconnect", seconds: 30);
        var stats = await server.StatsAsync();
        Assert.Equal(12, stats.Processed);
        Assert.True(proxy.Cut >= 1);
        Assert.Contains(worker.Logs.Messages, m => m.Contains("The Work stream of queue default ended", StringComparison.Ordinal));
        foreach (var id in ids)
        {
            Assert.Equal("completed", (await server.Client.GetAsync(id))!.State);
        }
    }

    [Fact]
    public async Task CancelAsync_OverTheWorkStream_ReachesTheHandlerWithoutPolling()
    {
        await using var server = await TestServer.StartAsync(Transports.Grpc);
        await using var worker = await TestWorker.StartAsync(server, o =>
        {
            o.AddQueue("hold", 1);
            o.CancellationCheckInterval = TimeSpan.Zero; // nothing polls: only the stream's push can reach the handler
        });
        var id = await server.Client.EnqueueAsync(new HoldJob("cancel me"));
        await Eventually.HoldsAsync(() => worker.Probe.Calls.ContainsKey(id), "the handler to start");

        var cancelledAt = Stopwatch.StartNew();
        await server.Client.CancelAsync(id);
        await Eventually.HoldsAsync(() => worker.Probe.CancelledAttempts.Contains((id, 1)), "the handler's token to fire");
        var seen = cancelledAt.Elapsed;

        // 2 s is the promise; the bound leaves slack for a loaded machine and is no benchmark.
        Assert.True(seen < TimeSpan.FromSeconds(5), $"the handler saw the cancel after {seen}");
        Assert.Equal("cancelled", (await server.Client.GetAsync(id))!.State);
    }

    [Fact]
    public async Task OperatorQuiets_OverTheWorkStream_WorkerTakesNoMoreJobs()
    {
        await using var server = await TestServer.StartAsync(Transports.Grpc);
        await using var worker = await TestWorker.StartAsync(server, o =>
        {
            o.WorkerId = "w-quiet";
            o.AddQueue("default", 2);
        });
        var before = await server.Client.EnqueueAsync(new CountJob(1));
        await Eventually.HoldsAsync(async () => (await server.Client.GetAsync(before))!.State == "completed", "the first job to complete");

        using var quiet = await server.Http.PostAsync(new Uri("v1/workers/w-quiet/quiet", UriKind.Relative), EmptyJson(), TestContext.Current.CancellationToken);
        await Eventually.HoldsAsync(() => worker.Logs.Messages.Any(m => m.Contains("asked this worker to quiet", StringComparison.Ordinal)), "the quiet to arrive on the stream");
        var after = await server.Client.EnqueueAsync(new CountJob(2));
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);

        Assert.True(quiet.IsSuccessStatusCode);
        Assert.Equal("available", (await server.Client.GetAsync(after))!.State);
        Assert.False(worker.Probe.Calls.ContainsKey(after));
    }

    [Fact]
    public async Task OperatorTerminates_OverTheWorkStream_HostStops()
    {
        await using var server = await TestServer.StartAsync(Transports.Grpc);
        await using var worker = await TestWorker.StartAsync(server, o =>
        {
            o.WorkerId = "w-term";
            o.AddQueue("default", 1);
        });
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = worker.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => stopping.TrySetResult());
        var id = await server.Client.EnqueueAsync(new CountJob(1));
        await Eventually.HoldsAsync(async () => (await server.Client.GetAsync(id))!.State == "completed", "the stream to be working");

        using var terminate = await server.Http.PostAsync(new Uri("v1/workers/w-term/terminate", UriKind.Relative), EmptyJson(), TestContext.Current.CancellationToken);

        await stopping.Task.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        Assert.True(terminate.IsSuccessStatusCode);
        Assert.Contains(worker.Logs.Messages, m => m.Contains("asked this worker to terminate", StringComparison.Ordinal));
    }

    private static ByteArrayContent EmptyJson() => new([]) { Headers = { ContentType = new("application/json") } };

    private static IWorkerTransport? TransportOf(TestWorker worker) =>
        worker.Services.GetServices<IHostedService>().OfType<ConveyorWorkerService>().Single().Transport;
}

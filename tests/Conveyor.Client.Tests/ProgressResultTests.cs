using Conveyor.Client.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Conveyor.Client.Tests;

/// <summary>Progress from a handler, results from its return value, and waiting for a job's end, against a real server.</summary>
public sealed class ProgressResultTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task Handler_ReportsProgressThenReturns_ProgressVisibleAndWaitForCompletionReturnsTheResult(string transport)
    {
        await using var server = await TestServer.StartAsync(transport);
        var gate = new ProgressGate();
        await using var worker = await TestWorker.StartAsync(server, o => o.AddQueue("default", 2), build: b =>
        {
            b.Services.AddSingleton(gate);
            b.AddHandler<SumJob, SumResult, SumHandler>(ResultJsonContext.Default.SumJob, ResultJsonContext.Default.SumResult);
        });
        var id = await server.Client.EnqueueAsync(new SumJob(10));

        await Eventually.HoldsAsync(async () => (await server.Client.GetAsync(id, Ct))?.Progress is not null, "the handler's progress");
        var running = await server.Client.GetAsync(id, Ct);
        Assert.Equal("active", running!.State);
        Assert.Equal((50, "half way"), (running.Progress!.Percent, running.Progress.Message));
        var waiting = server.Client.WaitForCompletionAsync(id, ResultJsonContext.Default.SumResult, TimeSpan.FromSeconds(60), Ct);
        Assert.False(waiting.IsCompleted);

        gate.Release();

        Assert.Equal(new SumResult(55, id), await waiting.WaitAsync(TimeSpan.FromSeconds(60), Ct));
        var done = await server.Client.WaitForCompletionAsync(id, cancellationToken: Ct);
        Assert.Equal("completed", done!.State);
        Assert.Equal($$"""{"total":55,"by":"{{id}}"}""", done.Result?.ToString());
        Assert.Equal(50, done.Progress?.Percent);
    }

    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task PlainHandler_Completes_WaitReturnsTheJobWithoutAResult(string transport)
    {
        await using var server = await TestServer.StartAsync(transport);
        await using var worker = await TestWorker.StartAsync(server, o => o.AddQueue("default", 2));
        var id = await server.Client.EnqueueAsync(new CountJob(1));

        var done = await server.Client.WaitForCompletionAsync(id, TimeSpan.FromSeconds(60), Ct);

        Assert.Equal("completed", done!.State);
        Assert.Null(done.Result);
        Assert.Null(await server.Client.WaitForCompletionAsync(id, ResultJsonContext.Default.SumResult, TimeSpan.FromSeconds(5), Ct));
    }

    [Fact]
    public async Task WaitForCompletion_JobDies_TypedWaitThrowsNamingTheState()
    {
        await using var server = await TestServer.StartAsync();
        await using var worker = await TestWorker.StartAsync(server, o => o.AddQueue("default", 2));
        var id = await server.Client.EnqueueAsync(new PermanentJob("no"));

        var error = await Assert.ThrowsAsync<JobNotCompletedException>(
            () => server.Client.WaitForCompletionAsync(id, ResultJsonContext.Default.SumResult, TimeSpan.FromSeconds(60), Ct));

        Assert.Equal("dead", error.Job?.State);
        Assert.Equal(id, error.JobId);
    }

    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task Handler_ResultOverTheLimit_JobDeadWithoutRetries(string transport)
    {
        await using var server = await TestServer.StartAsync(transport);
        await using var worker = await TestWorker.StartAsync(server, o => o.AddQueue("default", 2), build: b =>
            b.AddHandler<HugeResultJob, string, HugeResultHandler>(ResultJsonContext.Default.HugeResultJob, ResultJsonContext.Default.String));
        var id = await server.Client.EnqueueAsync(new HugeResultJob(70_000));

        var dead = await server.Client.WaitForCompletionAsync(id, TimeSpan.FromSeconds(60), Ct);

        Assert.Equal("dead", dead!.State);
        Assert.Equal(1, dead.Attempt);
        Assert.Contains("at most 65536", Assert.Single(dead.Failures).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForCompletion_NoWorker_ThrowsTimeoutOnceItsTimeoutPassed()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.Client.EnqueueAsync(new CountJob(1));

        await Assert.ThrowsAsync<TimeoutException>(() => server.Client.WaitForCompletionAsync(id, TimeSpan.FromMilliseconds(300), Ct));
    }

    [Fact]
    public async Task WaitForCompletion_UnknownJob_Null()
    {
        await using var server = await TestServer.StartAsync();

        Assert.Null(await server.Client.WaitForCompletionAsync("nope", TimeSpan.FromSeconds(5), Ct));
    }

    [Fact]
    public async Task FakeClient_CompletedByTheTest_WaitReturnsTheResult()
    {
        var conveyor = new FakeConveyorClient();
        conveyor.Options.SerializerOptions.TypeInfoResolverChain.Insert(0, TestJsonContext.Default);
        var id = await conveyor.EnqueueAsync(new SumJob(3));
        var waiting = conveyor.WaitForCompletionAsync(id, ResultJsonContext.Default.SumResult, cancellationToken: Ct);
        Assert.False(waiting.IsCompleted);

        conveyor.Complete(id, new SumResult(6, "test"));

        Assert.Equal(new SumResult(6, "test"), await waiting.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.Equal("""{"total":6,"by":"test"}""", (await conveyor.GetAsync(id, Ct))!.Result?.ToString());
    }

    [Fact]
    public async Task FakeClient_JobCancelled_TypedWaitThrows()
    {
        var conveyor = new FakeConveyorClient();
        conveyor.Options.SerializerOptions.TypeInfoResolverChain.Insert(0, TestJsonContext.Default);
        var id = await conveyor.EnqueueAsync(new SumJob(3));
        var waiting = conveyor.WaitForCompletionAsync(id, ResultJsonContext.Default.SumResult, TimeSpan.FromSeconds(30), Ct);

        await conveyor.CancelAsync(id, Ct);

        var error = await Assert.ThrowsAsync<JobNotCompletedException>(() => waiting);
        Assert.Equal("cancelled", error.Job?.State);
    }
}

namespace Conveyor.Client.Tests;

public sealed class FailureTests
{
    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task Worker_HandlerThrows_RetriedWithBackoffThenDeadWithTheException(string transport)
    {
        await using var server = await TestServer.StartAsync(transport);
        await using var worker = await TestWorker.StartAsync(server, o => o.AddQueue("default", 2));

        var id = await server.Client.EnqueueAsync(new ThrowJob("disk on fire"), new JobOptions { MaxAttempts = 3, Backoff = "fixed:1" });

        await Eventually.HoldsAsync(async () => (await server.Client.GetAsync(id))!.State == "dead", "the job to die");
        var job = (await server.Client.GetAsync(id))!;
        Assert.Equal(3, job.Attempt);
        Assert.Equal(3, worker.Probe.Calls[id]);
        Assert.Equal(3, job.Failures.Count);
        Assert.All(job.Failures, failure =>
        {
            Assert.Equal(typeof(InvalidOperationException).FullName, failure.ErrorType);
            Assert.Equal("disk on fire", failure.Message);
            Assert.Contains(failure.Backtrace, frame => frame.Contains(nameof(ThrowHandler), StringComparison.Ordinal));
        });
        Assert.True(job.Failures[1].At - job.Failures[0].At >= TimeSpan.FromSeconds(1), "the retry waited for the back-off");
    }

    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task Worker_UnknownJobType_FailsWithAClearError(string transport)
    {
        await using var server = await TestServer.StartAsync(transport);
        await using var worker = await TestWorker.StartAsync(server, o => o.AddQueue("default", 2));

        var id = await server.Client.EnqueueRawAsync(new Contracts.Jobs.EnqueueRequest { Type = "nobody.handles.this", MaxAttempts = 1 });

        await Eventually.HoldsAsync(async () => (await server.Client.GetAsync(id))!.State == "dead", "the job to fail");
        var failure = Assert.Single((await server.Client.GetAsync(id))!.Failures);
        Assert.Equal("UnknownJobType", failure.ErrorType);
        Assert.Contains("nobody.handles.this", failure.Message, StringComparison.Ordinal);
        Assert.Contains("test.count", failure.Message, StringComparison.Ordinal);
    }
}

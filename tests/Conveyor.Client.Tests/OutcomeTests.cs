namespace Conveyor.Client.Tests;

/// <summary>A handler's say over what follows a failure: dead now, or a retry at a time it names.</summary>
public sealed class OutcomeTests
{
    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task Worker_PermanentFailure_DeadAfterOneAttemptWithTheCause(string transport)
    {
        await using var server = await TestServer.StartAsync(transport);
        await using var worker = await TestWorker.StartAsync(server, o => o.AddQueue("default", 2));

        var id = await server.Client.EnqueueAsync(new PermanentJob("unknown customer"), new JobOptions { MaxAttempts = 5 });

        await Eventually.HoldsAsync(async () => (await server.Client.GetAsync(id))!.State == "dead", "the job to die");
        var job = (await server.Client.GetAsync(id))!;
        Assert.Equal(1, job.Attempt);
        Assert.Equal(1, worker.Probe.Calls[id]);
        var failure = Assert.Single(job.Failures);
        Assert.Equal(typeof(PermanentJobFailureException).FullName, failure.ErrorType);
        Assert.Equal("unknown customer", failure.Message);
        Assert.Contains(failure.Backtrace, frame => frame.Contains("FormatException: the cause", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task Worker_RetryIn_RetryingUntilFailureTimePlusTheDelay(string transport)
    {
        await using var server = await TestServer.StartAsync(transport);
        await using var worker = await TestWorker.StartAsync(server, o => o.AddQueue("default", 2));

        var id = await server.Client.EnqueueAsync(new RetryLaterJob(120), new JobOptions { MaxAttempts = 5, Backoff = "fixed:3600" });

        await Eventually.HoldsAsync(async () => (await server.Client.GetAsync(id))!.State == "retrying", "the job to be retrying");
        var job = (await server.Client.GetAsync(id))!;
        var failure = Assert.Single(job.Failures);
        Assert.Equal("rate limited", failure.Message);
        Assert.NotNull(job.RunAt);
        Assert.InRange(job.RunAt.Value - failure.At, TimeSpan.FromSeconds(119), TimeSpan.FromSeconds(121));
    }

    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task Worker_RetryInZero_RunsAgainAndCompletes(string transport)
    {
        await using var server = await TestServer.StartAsync(transport);
        await using var worker = await TestWorker.StartAsync(server, o => o.AddQueue("default", 2));

        var id = await server.Client.EnqueueAsync(new RetryLaterJob(0), new JobOptions { Backoff = "fixed:3600" });

        await Eventually.HoldsAsync(async () => (await server.Client.GetAsync(id))!.State == "completed", "the retried job to complete");
        Assert.Equal(2, (await server.Client.GetAsync(id))!.Attempt);
    }
}

using Conveyor.Client.Worker;
using Conveyor.Contracts.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace Conveyor.Client.Tests;

public sealed class TimeoutTests
{
    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task Worker_HandlerPastItsTypesPolicyTimeout_IsCancelledAndTheJobRetriedWithTimeout(string transport)
    {
        await using var server = await TestServer.StartAsync(transport);
        await using var worker = await TestWorker.StartAsync(server, o => o.AddQueue("default", 2), build: w => w.AddHandler<TimeoutJob, TimeoutHandler>());

        // Enqueued by a client that knows the type: the policy's timeout travels with the job as timeout_seconds.
        var id = await server.Client.EnqueueAsync(new TimeoutJob("slow"));

        await Eventually.HoldsAsync(async () => (await server.Client.GetAsync(id))!.State == "completed", "the retry to complete");
        var job = (await server.Client.GetAsync(id))!;
        Assert.Equal(2, job.Attempt);
        var failure = Assert.Single(job.Failures);
        Assert.Equal("Timeout", failure.ErrorType);
        Assert.Contains("timeout of 1 s", failure.Message, StringComparison.Ordinal);
        Assert.Contains((id, 1), worker.Probe.CancelledAttempts);
    }

    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task Worker_HandlerIgnoringItsTokenPastARegisteredPolicy_IsFailedAtTheDeadlineAndItsEndLogged(string transport)
    {
        await using var server = await TestServer.StartAsync(transport);
        await using var worker = await TestWorker.StartAsync(server, o => o.AddQueue("default", 2),
            build: w => w.Services.Configure<ConveyorClientOptions>(o => o.SetPolicy<SleepJob>(new JobPolicy { TimeoutSeconds = 1 })));

        // The enqueuing client has no policy for the type: the worker applies its own.
        var id = await server.Client.EnqueueAsync(new SleepJob(5000, OnlyFirstAttempt: true), new JobOptions { Backoff = "fixed:0" });

        // The retry runs in the second slot while the first attempt's handler still sleeps.
        await Eventually.HoldsAsync(async () => (await server.Client.GetAsync(id))!.State == "completed", "the retry to complete");
        var job = (await server.Client.GetAsync(id))!;
        Assert.Equal(2, job.Attempt);
        Assert.Equal("Timeout", Assert.Single(job.Failures).ErrorType);
        await Eventually.HoldsAsync(
            () => worker.Logs.Messages.Any(m => m.Contains($"The handler of job {id} (test.sleep) ended", StringComparison.Ordinal)),
            "the late handler's end to be logged");
    }

    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task Worker_RegistrationTimeout_AppliesToAJobWithoutOne(string transport)
    {
        await using var server = await TestServer.StartAsync(transport);
        await using var worker = await TestWorker.StartAsync(server, o => o.AddQueue("hold-timeout", 1),
            build: w => w.AddHandler<QueuedHoldJob, QueuedHoldHandler>(timeout: TimeSpan.FromSeconds(1)));

        var id = await server.Client.EnqueueAsync(new QueuedHoldJob("x"), new JobOptions { Queue = "hold-timeout", MaxAttempts = 1 });

        await Eventually.HoldsAsync(async () => (await server.Client.GetAsync(id))!.State == "dead", "the attempt to time out");
        Assert.Equal("Timeout", Assert.Single((await server.Client.GetAsync(id))!.Failures).ErrorType);
        Assert.Contains((id, 1), worker.Probe.CancelledAttempts);
    }

    [Fact]
    public void AttemptTimeout_JobAndHandlerBothSet_TheJobsOwnWins()
    {
        Assert.Equal(TimeSpan.FromSeconds(7), AttemptTimeout.Of(new JobView { TimeoutSeconds = 7 }, TimeSpan.FromSeconds(30)));
        Assert.Equal(TimeSpan.FromSeconds(30), AttemptTimeout.Of(new JobView(), TimeSpan.FromSeconds(30)));
        Assert.Null(AttemptTimeout.Of(new JobView(), null));
    }

    [Fact]
    public void Timeout_RegistrationOptionPolicyAndAttribute_RegistrationThenSetPolicyThenAttribute()
    {
        var options = new ConveyorClientOptions();
        var plain = new TypedHandlerRegistration<TimeoutJob, TimeoutHandler>(null, null);
        var registered = new TypedHandlerRegistration<TimeoutJob, TimeoutHandler>(null, null, TimeSpan.FromSeconds(9));

        Assert.Equal(TimeSpan.FromSeconds(1), plain.Timeout(options));
        Assert.Equal(TimeSpan.FromSeconds(9), registered.Timeout(options));
        options.SetPolicy<TimeoutJob>(new JobPolicy { TimeoutSeconds = 4 });
        Assert.Equal(TimeSpan.FromSeconds(4), plain.Timeout(options));
        Assert.Equal(TimeSpan.FromSeconds(9), registered.Timeout(options));
        Assert.Null(new TypedHandlerRegistration<CountJob, CountHandler>(null, null).Timeout(options));
    }

    [Fact]
    public void CreateEnqueueRequest_PolicyTimeout_SentAsTimeoutSecondsUnlessTheEnqueueGivesOne()
    {
        var options = new ConveyorClientOptions();
        options.SerializerOptions.TypeInfoResolverChain.Insert(0, TestJsonContext.Default);

        Assert.Equal(1, options.CreateEnqueueRequest(new TimeoutJob("a")).TimeoutSeconds);
        Assert.Equal(60, options.CreateEnqueueRequest(new TimeoutJob("a"), new JobOptions { TimeoutSeconds = 60 }).TimeoutSeconds);
        Assert.Null(options.CreateEnqueueRequest(new CountJob(1)).TimeoutSeconds);
    }
}

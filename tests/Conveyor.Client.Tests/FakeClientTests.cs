using System.Net;
using Conveyor.Client.Testing;
using Conveyor.Samples.Producer;

namespace Conveyor.Client.Tests;

/// <summary>Application code tested against <see cref="FakeConveyorClient"/>, as docs/sdk.md shows.</summary>
public sealed class FakeClientTests
{
    [Fact]
    public async Task SignupService_Accept_EnqueuesOneWelcomeEmailPerAddress()
    {
        var conveyor = new FakeConveyorClient();
        ProducerApp.ConfigureJobs(conveyor.Options);
        var signups = new SignupService(conveyor);

        var id = await signups.AcceptAsync(new Signup("ada@example.com"), TestContext.Current.CancellationToken);
        var again = await signups.AcceptAsync(new Signup("ada@example.com"), TestContext.Current.CancellationToken);
        await signups.AcceptAsync(new Signup("bob@example.com"), TestContext.Current.CancellationToken);

        Assert.Equal(["ada@example.com", "bob@example.com"], conveyor.Enqueued<SendWelcomeEmail>().Select(e => e.Email));
        Assert.Equal(id, again);
        var job = conveyor.Jobs[0];
        Assert.Equal(("email.welcome", "mail", 5), (job.Type, job.Queue, job.Request.MaxAttempts));
        Assert.Equal("""{"email":"ada@example.com"}""", job.Request.Args.ToString());
    }

    [Fact]
    public async Task FakeClient_EnqueueWithResult_SaysDuplicateAsTheServerDoes()
    {
        var conveyor = new FakeConveyorClient();
        var request = new Conveyor.Contracts.Jobs.EnqueueRequest { Type = "t", UniqueKey = "k" };

        var first = await conveyor.EnqueueRawWithResultAsync(request, TestContext.Current.CancellationToken);
        var again = await conveyor.EnqueueRawWithResultAsync(request, TestContext.Current.CancellationToken);

        Assert.Null(first.Duplicate);
        Assert.Equal((first.Id, true), (again.Id, again.Duplicate));
        Assert.Single(conveyor.Jobs);
    }

    [Fact]
    public async Task FakeClient_Reads_AnswerFromTheJobsItHolds()
    {
        var conveyor = new FakeConveyorClient();
        conveyor.Options.SerializerOptions.TypeInfoResolverChain.Insert(0, TestJsonContext.Default);
        var first = await conveyor.EnqueueAsync(new CountJob(1));
        var later = await conveyor.EnqueueAsync(new CountJob(2), new JobOptions { Delay = TimeSpan.FromHours(1) });
        var blocked = await conveyor.EnqueueAsync(new BlockJob("b"));

        conveyor.SetState(first, "completed");
        await conveyor.CancelAsync(later);
        await conveyor.PauseQueueAsync("block");

        Assert.Equal("completed", (await conveyor.GetAsync(first))!.State);
        Assert.Equal("cancelled", conveyor.StateOf(later));
        Assert.Null(await conveyor.GetAsync("nope"));
        Assert.Equal([blocked], (await conveyor.ListAsync(new JobQuery { Queue = "block" })).Jobs.Select(j => j.Id));
        var page = await conveyor.ListAsync(new JobQuery { Limit = 2 });
        Assert.Equal([blocked, later], page.Jobs.Select(j => j.Id));
        Assert.Equal([first], (await conveyor.ListAsync(new JobQuery { Limit = 2, Cursor = page.NextCursor })).Jobs.Select(j => j.Id));
        var queue = Assert.Single(await conveyor.ListQueuesAsync(), q => q.Name == "block");
        Assert.True(queue.Paused);
        Assert.NotNull(queue.OldestAvailableAt);
        Assert.Equal(1, (await conveyor.GetStatsAsync()).Counts["completed"]);
        var refused = await Assert.ThrowsAsync<ConveyorApiException>(() => conveyor.CancelAsync(first));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
    }

    [Fact]
    public async Task FakeClient_Queues_PagedAndRemovedOnlyWhenEmptyAsTheServerDoes()
    {
        var ct = TestContext.Current.CancellationToken;
        var conveyor = new FakeConveyorClient();
        await conveyor.EnqueueRawAsync(new() { Type = "t", Queue = "a" }, ct);
        await conveyor.EnqueueRawAsync(new() { Type = "t", Queue = "b" }, ct);
        await conveyor.PauseQueueAsync("c", ct);

        var first = await conveyor.ListQueuesPageAsync(2, null, ct);
        var second = await conveyor.ListQueuesPageAsync(2, first.Next, ct);

        Assert.Equal(["a", "b"], first.Queues.Select(q => q.Name));
        Assert.Equal(["c"], second.Queues.Select(q => q.Name));
        Assert.Null(second.Next);
        var busy = await Assert.ThrowsAsync<ConveyorApiException>(() => conveyor.RemoveQueueAsync("a", ct));
        Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
        await Assert.ThrowsAsync<ConveyorApiException>(() => conveyor.RemoveQueueAsync("c", ct));
        await conveyor.PurgeQueueAsync("a", ct);
        await conveyor.RemoveQueueAsync("a", ct);
    }
}

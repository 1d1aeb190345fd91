using System.Diagnostics;
using Conveyor.Grpc.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using static Conveyor.Server.Tests.Grpc.GrpcTestServer;

namespace Conveyor.Server.Tests.Grpc;

/// <summary>Every unary call of <c>conveyor.v1.ConveyorService</c> from Grpc.Net.Client against the real server.</summary>
public sealed class GrpcUnaryTests
{
    private static ByteString Json(string json) => ByteString.CopyFromUtf8(json);

    [Fact]
    public async Task Enqueue_EveryField_GetJobShowsEachOne()
    {
        await using var grpc = await GrpcTestServer.StartAsync();
        var runAt = DateTimeOffset.UtcNow.AddHours(1);
        var request = new EnqueueRequest
        {
            Id = "job-1", Queue = "mail", Type = "email.send", Args = Json("{\"to\": \"a@b.c\"}"), Priority = 7,
            RunAt = Timestamp.FromDateTimeOffset(runAt), MaxAttempts = 3, Dead = false, LeaseSeconds = 60,
            UniqueKey = "u1", UniqueForSeconds = 600, Backoff = "fixed:10",
        };
        request.Tags.Add(["a", "b c"]);
        request.Meta["trace"] = "t-1";

        var created = await grpc.Client.EnqueueAsync(request, Call());
        var job = await grpc.Client.GetJobAsync(new GetJobRequest { Id = "job-1" }, Call());

        Assert.Equal(("job-1", true), (created.Id, created.Created));
        Assert.Equal(("job-1", "mail", "email.send"), (job.Id, job.Queue, job.Type));
        Assert.Equal("{\"to\": \"a@b.c\"}", job.Args.ToStringUtf8());
        Assert.Equal((7, JobState.Scheduled, 0, 3), (job.Priority, job.State, job.Attempt, job.MaxAttempts));
        Assert.Equal((false, 60, "u1", "fixed:10"), (job.Dead, job.LeaseSeconds, job.UniqueKey, job.Backoff));
        Assert.Equal(runAt.ToUnixTimeMilliseconds(), job.RunAt.ToDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.NotNull(job.CreatedAt);
        Assert.Null(job.FinishedAt);
        Assert.Null(job.Lease);
        Assert.Equal(["a", "b c"], job.Tags);
        Assert.Equal("t-1", job.Meta["trace"]);
        Assert.Empty(job.Failures);
    }

    [Fact]
    public async Task Enqueue_Defaults_MatchTheHttpApi()
    {
        await using var grpc = await GrpcTestServer.StartAsync();

        var created = await grpc.Client.EnqueueAsync(new EnqueueRequest { Type = "t" }, Call());
        var job = await grpc.Client.GetJobAsync(new GetJobRequest { Id = created.Id }, Call());

        Assert.Equal(26, created.Id.Length);
        Assert.Equal(("default", "[]", 5, 25), (job.Queue, job.Args.ToStringUtf8(), job.Priority, job.MaxAttempts));
        Assert.Equal((true, 1800, "exponential", JobState.Available), (job.Dead, job.LeaseSeconds, job.Backoff, job.State));
        Assert.False(job.HasUniqueKey);
    }

    [Fact]
    public async Task EnqueueBatch_ThreeJobs_IdsInOrderAndListedNewestFirstByPage()
    {
        await using var grpc = await GrpcTestServer.StartAsync();
        var batch = new EnqueueBatchRequest();
        batch.Jobs.Add(new EnqueueRequest { Id = "a", Type = "t", Queue = "q" });
        batch.Jobs.Add(new EnqueueRequest { Id = "b", Type = "t", Queue = "q" });
        batch.Jobs.Add(new EnqueueRequest { Id = "c", Type = "t", Queue = "q" });

        var ids = await grpc.Client.EnqueueBatchAsync(batch, Call());
        var first = await grpc.Client.ListJobsAsync(new ListJobsRequest { Queue = "q", Limit = 2 }, Call());
        var second = await grpc.Client.ListJobsAsync(new ListJobsRequest { Queue = "q", Limit = 2, Cursor = first.NextCursor }, Call());
        var none = await grpc.Client.ListJobsAsync(new ListJobsRequest { State = JobState.Dead }, Call());

        Assert.Equal(["a", "b", "c"], ids.Ids);
        Assert.Equal(["c", "b"], first.Jobs.Select(j => j.Id));
        Assert.Equal(["a"], second.Jobs.Select(j => j.Id));
        Assert.Equal("", second.NextCursor);
        Assert.Empty(none.Jobs);
    }

    [Fact]
    public async Task Enqueue_PriorityOutOfRange_InvalidArgumentNamingTheField()
    {
        await using var grpc = await GrpcTestServer.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => grpc.Client.EnqueueAsync(new EnqueueRequest { Type = "t", Priority = 10 }, Call()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("priority:", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("priority", error.Trailers.GetValue("conveyor-field"));
        Assert.DoesNotContain("Exception", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnqueueBatch_SecondJobInvalid_InvalidArgumentWithItsIndexAndNothingEnqueued()
    {
        await using var grpc = await GrpcTestServer.StartAsync();
        var batch = new EnqueueBatchRequest();
        batch.Jobs.Add(new EnqueueRequest { Type = "t", Queue = "q" });
        batch.Jobs.Add(new EnqueueRequest { Type = "t", Queue = "q", Args = Json("{not json") });

        var error = await Assert.ThrowsAsync<RpcException>(() => grpc.Client.EnqueueBatchAsync(batch, Call()).ResponseAsync);
        var listed = await grpc.Client.ListJobsAsync(new ListJobsRequest { Queue = "q" }, Call());

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(("args", "1"), (error.Trailers.GetValue("conveyor-field"), error.Trailers.GetValue("conveyor-index")));
        Assert.Empty(listed.Jobs);
    }

    [Fact]
    public async Task Enqueue_IdTakenByAnotherType_AlreadyExists()
    {
        await using var grpc = await GrpcTestServer.StartAsync();
        await grpc.Client.EnqueueAsync(new EnqueueRequest { Id = "x", Type = "one" }, Call());

        var again = await grpc.Client.EnqueueAsync(new EnqueueRequest { Id = "x", Type = "one" }, Call());
        var error = await Assert.ThrowsAsync<RpcException>(() => grpc.Client.EnqueueAsync(new EnqueueRequest { Id = "x", Type = "two" }, Call()).ResponseAsync);

        Assert.False(again.Created);
        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.Equal("id", error.Trailers.GetValue("conveyor-field"));
    }

    [Fact]
    public async Task Enqueue_OverTheMemoryBudget_ResourceExhausted()
    {
        await using var grpc = await GrpcTestServer.StartAsync(o => o.MemoryBudgetBytes = 2000);

        RpcException? error = null;
        for (var i = 0; i < 1000 && error is null; i++)
        {
            try
            {
                await grpc.Client.EnqueueAsync(new EnqueueRequest { Type = "fill", Queue = "q" }, Call());
            }
            catch (RpcException ex)
            {
                error = ex;
            }
        }

        Assert.NotNull(error);
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("memory budget", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetJob_Unknown_NotFound()
    {
        await using var grpc = await GrpcTestServer.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => grpc.Client.GetJobAsync(new GetJobRequest { Id = "nope" }, Call()).ResponseAsync);
        var empty = await Assert.ThrowsAsync<RpcException>(() => grpc.Client.GetJobAsync(new GetJobRequest(), Call()).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, empty.StatusCode);
    }

    [Fact]
    public async Task CancelJob_ThenAgain_FailedPreconditionSayingWhy()
    {
        await using var grpc = await GrpcTestServer.StartAsync();
        await grpc.Client.EnqueueAsync(new EnqueueRequest { Id = "c1", Type = "t" }, Call());

        await grpc.Client.CancelJobAsync(new CancelJobRequest { Id = "c1" }, Call());
        var again = await Assert.ThrowsAsync<RpcException>(() => grpc.Client.CancelJobAsync(new CancelJobRequest { Id = "c1" }, Call()).ResponseAsync);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => grpc.Client.CancelJobAsync(new CancelJobRequest { Id = "nope" }, Call()).ResponseAsync);
        var job = await grpc.Client.GetJobAsync(new GetJobRequest { Id = "c1" }, Call());

        Assert.Equal(JobState.Cancelled, job.State);
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);
        Assert.Contains("cancelled", again.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task FetchSettleHeartbeat_LeaseLifecycle_EndsCompletedAndDead()
    {
        await using var grpc = await GrpcTestServer.StartAsync();
        await grpc.Client.EnqueueAsync(new EnqueueRequest { Id = "ok", Type = "t", Queue = "w", Priority = 9 }, Call());
        await grpc.Client.EnqueueAsync(new EnqueueRequest { Id = "bad", Type = "t", Queue = "w", MaxAttempts = 1 }, Call());

        var fetched = await grpc.Client.FetchAsync(new FetchRequest { Queues = { "w" }, Max = 2, WorkerId = "w1" }, Call());
        var ok = fetched.Jobs.Single(j => j.Id == "ok");
        var bad = fetched.Jobs.Single(j => j.Id == "bad");
        var extended = await grpc.Client.HeartbeatAsync(new HeartbeatRequest { Id = "ok", Token = ok.Lease.Token, ExtendSeconds = 600 }, Call());
        var settle = new SettleRequest { Acks = { new Ack { Id = "ok", Token = ok.Lease.Token } } };
        settle.Fails.Add(new Fail { Id = "bad", Token = bad.Lease.Token, ErrorType = "Boom", Message = "m", Backtrace = { "at x" } });
        var settled = await grpc.Client.SettleAsync(settle, Call());
        var stale = await Assert.ThrowsAsync<RpcException>(() => grpc.Client.HeartbeatAsync(new HeartbeatRequest { Id = "ok", Token = ok.Lease.Token }, Call()).ResponseAsync);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => grpc.Client.HeartbeatAsync(new HeartbeatRequest { Id = "nope", Token = "1" }, Call()).ResponseAsync);
        var done = await grpc.Client.GetJobAsync(new GetJobRequest { Id = "ok" }, Call());
        var dead = await grpc.Client.GetJobAsync(new GetJobRequest { Id = "bad" }, Call());

        Assert.Equal((JobState.Active, 1, "w1"), (ok.State, ok.Attempt, ok.Lease.WorkerId));
        Assert.True(extended.ExpiresAt.ToDateTimeOffset() > DateTimeOffset.UtcNow.AddSeconds(500));
        Assert.Equal([("ok", SettleStatus.Ok), ("bad", SettleStatus.Ok)], settled.Results.Select(r => (r.Id, r.Status)));
        Assert.Equal(StatusCode.FailedPrecondition, stale.StatusCode);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(JobState.Completed, done.State);
        Assert.NotNull(done.FinishedAt);
        Assert.Equal(JobState.Dead, dead.State);
        var failure = Assert.Single(dead.Failures);
        Assert.Equal((1, "Boom", "m"), (failure.Attempt, failure.ErrorType, failure.Message));
        Assert.Equal(["at x"], failure.Backtrace);
    }

    [Fact]
    public async Task RetryJob_Dead_AvailableAgain()
    {
        await using var grpc = await GrpcTestServer.StartAsync();
        await grpc.Client.EnqueueAsync(new EnqueueRequest { Id = "r", Type = "t", Queue = "r" }, Call());
        var job = (await grpc.Client.FetchAsync(new FetchRequest { Queues = { "r" } }, Call())).Jobs.Single();
        await grpc.Client.SettleAsync(new SettleRequest { Fails = { new Fail { Id = "r", Token = job.Lease.Token, Retry = false } } }, Call());

        await grpc.Client.RetryJobAsync(new RetryJobRequest { Id = "r" }, Call());
        var again = await Assert.ThrowsAsync<RpcException>(() => grpc.Client.RetryJobAsync(new RetryJobRequest { Id = "r" }, Call()).ResponseAsync);

        Assert.Equal(JobState.Available, (await grpc.Client.GetJobAsync(new GetJobRequest { Id = "r" }, Call())).State);
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);
    }

    [Fact]
    public async Task Settle_ItemWithoutToken_InvalidArgumentNamingItsPlace()
    {
        await using var grpc = await GrpcTestServer.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => grpc.Client.SettleAsync(
            new SettleRequest { Acks = { new Ack { Id = "a", Token = "1" }, new Ack { Id = "b" } } }, Call()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(("acks.token", "1"), (error.Trailers.GetValue("conveyor-field"), error.Trailers.GetValue("conveyor-index")));
    }

    [Fact]
    public async Task Fetch_DeadlineShorterThanTheWait_EndsAtTheDeadline()
    {
        await using var grpc = await GrpcTestServer.StartAsync();
        var clock = Stopwatch.StartNew();

        try
        {
            var answer = await grpc.Client.FetchAsync(new FetchRequest { Queues = { "empty" }, WaitMs = 30_000 }, Call(DateTime.UtcNow.AddSeconds(1)));
            Assert.Empty(answer.Jobs);
        }
        catch (RpcException ex)
        {
            Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"the fetch ran {clock.Elapsed} past a 1 s deadline (its wait was 30 s)");
        var stats = await grpc.Client.GetStatsAsync(new GetStatsRequest(), Call());
        Assert.Equal(0, stats.Counts["active"]);
    }

    [Fact]
    public async Task Fetch_WaitOutOfRange_InvalidArgument()
    {
        await using var grpc = await GrpcTestServer.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => grpc.Client.FetchAsync(new FetchRequest { Queues = { "q" }, WaitMs = 30_001 }, Call()).ResponseAsync);
        var reserved = await Assert.ThrowsAsync<RpcException>(() => grpc.Client.FetchAsync(new FetchRequest { Queues = { "q" }, WorkerId = "faktory:x" }, Call()).ResponseAsync);

        Assert.Equal(("wait_ms", "worker_id"), (error.Trailers.GetValue("conveyor-field"), reserved.Trailers.GetValue("conveyor-field")));
    }

    [Fact]
    public async Task Queues_PauseResumePurgeRemove_AsTheHttpApi()
    {
        await using var grpc = await GrpcTestServer.StartAsync();
        await grpc.Client.EnqueueAsync(new EnqueueRequest { Type = "t", Queue = "q1" }, Call());
        await grpc.Client.EnqueueAsync(new EnqueueRequest { Type = "t", Queue = "q2" }, Call());

        await grpc.Client.PauseQueueAsync(new PauseQueueRequest { Name = "q1" }, Call());
        var paused = await grpc.Client.ListQueuesAsync(new ListQueuesRequest(), Call());
        var pausedRemove = await Assert.ThrowsAsync<RpcException>(() => grpc.Client.PurgeQueueAsync(new PurgeQueueRequest { Name = "q1", Remove = true }, Call()).ResponseAsync);
        await grpc.Client.ResumeQueueAsync(new ResumeQueueRequest { Name = "q1" }, Call());
        var page = await grpc.Client.ListQueuesAsync(new ListQueuesRequest { Limit = 1 }, Call());
        await grpc.Client.PurgeQueueAsync(new PurgeQueueRequest { Name = "q1" }, Call());
        await grpc.Client.PurgeQueueAsync(new PurgeQueueRequest { Name = "q1", Remove = true }, Call());
        var gone = await Assert.ThrowsAsync<RpcException>(() => grpc.Client.PurgeQueueAsync(new PurgeQueueRequest { Name = "q1", Remove = true }, Call()).ResponseAsync);
        var bad = await Assert.ThrowsAsync<RpcException>(() => grpc.Client.PauseQueueAsync(new PauseQueueRequest { Name = "has space" }, Call()).ResponseAsync);
        var after = await grpc.Client.ListQueuesAsync(new ListQueuesRequest(), Call());

        var q1 = paused.Queues.Single(q => q.Name == "q1");
        Assert.Equal((true, 1), (q1.Paused, q1.Available));
        Assert.NotNull(q1.OldestAvailableAt);
        Assert.Equal(StatusCode.FailedPrecondition, pausedRemove.StatusCode);
        Assert.Equal(["q1"], page.Queues.Select(q => q.Name));
        Assert.Equal("q1", page.Next);
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);
        Assert.Equal((StatusCode.InvalidArgument, "name"), (bad.StatusCode, bad.Trailers.GetValue("conveyor-field")));
        Assert.Equal(["q2"], after.Queues.Select(q => q.Name));
    }

    [Fact]
    public async Task GetStats_AfterAnAck_CountsEveryStateAndTheTotals()
    {
        await using var grpc = await GrpcTestServer.StartAsync();
        await grpc.Client.EnqueueAsync(new EnqueueRequest { Id = "s", Type = "t", Queue = "s" }, Call());
        var job = (await grpc.Client.FetchAsync(new FetchRequest { Queues = { "s" } }, Call())).Jobs.Single();
        await grpc.Client.SettleAsync(new SettleRequest { Acks = { new Ack { Id = "s", Token = job.Lease.Token } } }, Call());

        var stats = await grpc.Client.GetStatsAsync(new GetStatsRequest(), Call());

        Assert.Equal(["active", "available", "cancelled", "completed", "dead", "retrying", "scheduled"], stats.Counts.Keys.Order());
        Assert.Equal((1L, 1L, 0L), (stats.Counts["completed"], stats.Processed, stats.Failed));
        Assert.NotNull(stats.Runtime);
        Assert.True(stats.Runtime.AllocatedBytes > 0);
        Assert.NotNull(stats.Storage);
    }

    [Fact]
    public async Task ListJobs_LimitOutOfRange_InvalidArgument()
    {
        await using var grpc = await GrpcTestServer.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => grpc.Client.ListJobsAsync(new ListJobsRequest { Limit = 1001 }, Call()).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, "limit"), (error.StatusCode, error.Trailers.GetValue("conveyor-field")));
        Assert.Contains("1000", error.Status.Detail, StringComparison.Ordinal);
    }
}

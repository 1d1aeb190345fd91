using System.Diagnostics;
using Conveyor.Grpc.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using static Conveyor.Server.Tests.Grpc.GrpcTestServer;

namespace Conveyor.Server.Tests.Grpc;

/// <summary>
/// The job fields and calls the proto shares with the HTTP API (timeout, uniqueness modes, duplicates, progress, results,
/// waiting, list filters): each set or read over gRPC and compared with what GET /v1/jobs/{id} shows.
/// </summary>
public sealed class GrpcJobFieldsTests
{
    private static ByteString Json(string json) => ByteString.CopyFromUtf8(json);

    [Fact]
    public async Task Enqueue_TimeoutAndUniqueUntil_GetJobShowsThemAsTheHttpViewDoes()
    {
        await using var grpc = await GrpcTestServer.StartAsync();
        var request = new EnqueueRequest { Type = "t", UniqueKey = "k1", UniqueUntil = "started", TimeoutSeconds = 42 };

        var created = await grpc.Client.EnqueueAsync(request, Call());
        var job = await grpc.Client.GetJobAsync(new GetJobRequest { Id = created.Id }, Call());
        var view = await grpc.Server.Api.GetAsync(created.Id);

        Assert.Equal((42, "started", "k1"), (job.TimeoutSeconds, job.UniqueUntil, job.UniqueKey));
        Assert.Equal((view.TimeoutSeconds, view.UniqueUntil, view.UniqueKey), (job.TimeoutSeconds, job.UniqueUntil, job.UniqueKey));
        Assert.False(job.HasTimeoutSeconds && job.TimeoutSeconds == 0);
    }

    [Fact]
    public async Task Enqueue_NoTimeoutAndDefaultUniqueness_BothUnsetAsInTheHttpView()
    {
        await using var grpc = await GrpcTestServer.StartAsync();

        var created = await grpc.Client.EnqueueAsync(new EnqueueRequest { Type = "t", UniqueKey = "k1" }, Call());
        var job = await grpc.Client.GetJobAsync(new GetJobRequest { Id = created.Id }, Call());
        var view = await grpc.Server.Api.GetAsync(created.Id);

        Assert.False(job.HasTimeoutSeconds);
        Assert.False(job.HasUniqueUntil);
        Assert.Null(job.Progress);
        Assert.True(job.Result.IsEmpty);
        Assert.Equal((null, null), (view.TimeoutSeconds, view.UniqueUntil));
    }

    [Fact]
    public async Task Enqueue_UniqueByArgsTwice_SecondIsADuplicateNamingTheFirst()
    {
        await using var grpc = await GrpcTestServer.StartAsync();
        var request = new EnqueueRequest { Type = "t", Args = Json("[1, 2]"), UniqueByArgs = true };

        var first = await grpc.Client.EnqueueAsync(request, Call());
        var second = await grpc.Client.EnqueueAsync(request, Call());
        var view = await grpc.Server.Api.GetAsync(first.Id);

        Assert.Equal((true, false), (first.Created, first.Duplicate));
        Assert.Equal((first.Id, false, true), (second.Id, second.Created, second.Duplicate));
        Assert.NotNull(view.UniqueKey);
    }

    [Fact]
    public async Task EnqueueBatch_WithAHeldUniqueKey_NamesTheDuplicatePositions()
    {
        await using var grpc = await GrpcTestServer.StartAsync();
        var existing = await grpc.Client.EnqueueAsync(new EnqueueRequest { Type = "t", UniqueKey = "held" }, Call());

        var batch = new EnqueueBatchRequest
        {
            Jobs = { new EnqueueRequest { Type = "t" }, new EnqueueRequest { Type = "t", UniqueKey = "held" }, new EnqueueRequest { Type = "t" } },
        };
        var response = await grpc.Client.EnqueueBatchAsync(batch, Call());

        Assert.Equal(3, response.Ids.Count);
        Assert.Equal(existing.Id, response.Ids[1]);
        Assert.Equal([1], response.Duplicates);
    }

    [Fact]
    public async Task ReportProgressThenAckWithAResult_GetJobAndWaitForCompletionShowThemAsTheHttpViewDoes()
    {
        await using var grpc = await GrpcTestServer.StartAsync();
        var created = await grpc.Client.EnqueueAsync(new EnqueueRequest { Type = "t", Queue = "p" }, Call());
        var fetched = Assert.Single((await grpc.Client.FetchAsync(new FetchRequest { Queues = { "p" }, Max = 1, WorkerId = "w1" }, Call())).Jobs);
        var token = fetched.Lease.Token;

        await grpc.Client.ReportProgressAsync(new ReportProgressRequest { Id = created.Id, Token = token, Percent = 40, Message = "halfway" }, Call());
        var running = await grpc.Client.GetJobAsync(new GetJobRequest { Id = created.Id }, Call());
        var runningView = await grpc.Server.Api.GetAsync(created.Id);
        var settled = await grpc.Client.SettleAsync(new SettleRequest { Acks = { new Ack { Id = created.Id, Token = token, Result = Json("{\"sum\":3}") } } }, Call());
        var done = await grpc.Client.WaitForCompletionAsync(new WaitForCompletionRequest { Id = created.Id, TimeoutMs = 5000 }, Call());
        var doneView = await grpc.Server.Api.GetAsync(created.Id);

        Assert.Equal((40, "halfway"), (running.Progress.Percent, running.Progress.Message));
        Assert.Equal(runningView.Progress!.UpdatedAt.ToUnixTimeMilliseconds(), running.Progress.UpdatedAt.ToDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.Equal(SettleStatus.Ok, Assert.Single(settled.Results).Status);
        Assert.Equal(JobState.Completed, done.State);
        Assert.Equal("{\"sum\":3}", done.Result.ToStringUtf8());
        Assert.Equal(doneView.Result!.Value.ToString(), done.Result.ToStringUtf8());
        Assert.Equal((40, "halfway"), (done.Progress.Percent, done.Progress.Message));
    }

    [Fact]
    public async Task ReportProgress_StaleToken_FailedPrecondition()
    {
        await using var grpc = await GrpcTestServer.StartAsync();
        var created = await grpc.Client.EnqueueAsync(new EnqueueRequest { Type = "t" }, Call());
        await grpc.Client.FetchAsync(new FetchRequest { Queues = { "default" }, Max = 1 }, Call());

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            grpc.Client.ReportProgressAsync(new ReportProgressRequest { Id = created.Id, Token = "not-the-lease", Percent = 5 }, Call()).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
    }

    [Fact]
    public async Task Ack_ResultNotJson_InvalidArgumentNamingTheField()
    {
        await using var grpc = await GrpcTestServer.StartAsync();
        var created = await grpc.Client.EnqueueAsync(new EnqueueRequest { Type = "t" }, Call());
        var fetched = Assert.Single((await grpc.Client.FetchAsync(new FetchRequest { Queues = { "default" }, Max = 1 }, Call())).Jobs);

        var error = await Assert.ThrowsAsync<RpcException>(() => grpc.Client.SettleAsync(
            new SettleRequest { Acks = { new Ack { Id = created.Id, Token = fetched.Lease.Token, Result = Json("{not json") } } }, Call()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("acks.result", error.Trailers.GetValue("conveyor-field"));
    }

    [Fact]
    public async Task WaitForCompletion_UnfinishedJobWithAShortDeadline_AnswersTheJobBeforeTheDeadline()
    {
        await using var grpc = await GrpcTestServer.StartAsync();
        var created = await grpc.Client.EnqueueAsync(new EnqueueRequest { Type = "t" }, Call());

        var waited = Stopwatch.StartNew();
        var job = await grpc.Client.WaitForCompletionAsync(new WaitForCompletionRequest { Id = created.Id }, Call(DateTime.UtcNow.AddMilliseconds(800)));

        Assert.Equal(JobState.Available, job.State);
        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(20), $"the 30 s default wait was not cut by the deadline ({waited.Elapsed})");
    }

    [Fact]
    public async Task WaitForCompletion_UnknownJob_NotFound()
    {
        await using var grpc = await GrpcTestServer.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            grpc.Client.WaitForCompletionAsync(new WaitForCompletionRequest { Id = "nope", TimeoutMs = 0 }, Call()).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task ListJobs_TagIdPrefixAndCreatedRange_FilterAsGetV1Jobs()
    {
        await using var grpc = await GrpcTestServer.StartAsync();
        var tagged = new EnqueueRequest { Type = "t", Id = "order-1" };
        tagged.Tags.Add("vip");
        await grpc.Client.EnqueueAsync(tagged, Call());
        await grpc.Client.EnqueueAsync(new EnqueueRequest { Type = "t", Id = "order-2" }, Call());
        await grpc.Client.EnqueueAsync(new EnqueueRequest { Type = "t", Id = "other-1" }, Call());

        var byTag = await grpc.Client.ListJobsAsync(new ListJobsRequest { Tag = "vip" }, Call());
        var byPrefix = await grpc.Client.ListJobsAsync(new ListJobsRequest { IdPrefix = "order-" }, Call());
        var future = await grpc.Client.ListJobsAsync(new ListJobsRequest { CreatedFrom = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(1)) }, Call());
        var http = await grpc.Server.Api.ListAsync("?id_prefix=order-");
        var backwards = await Assert.ThrowsAsync<RpcException>(() => grpc.Client.ListJobsAsync(new ListJobsRequest
        {
            CreatedFrom = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
            CreatedTo = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(-1)),
        }, Call()).ResponseAsync);

        Assert.Equal(["order-1"], byTag.Jobs.Select(j => j.Id));
        Assert.Equal(http.Jobs.Select(j => j.Id), byPrefix.Jobs.Select(j => j.Id));
        Assert.Equal(2, byPrefix.Jobs.Count);
        Assert.Empty(future.Jobs);
        Assert.Equal(StatusCode.InvalidArgument, backwards.StatusCode);
    }
}

using Conveyor.Grpc.V1;
using Grpc.Core;
using static Conveyor.Server.Tests.Grpc.GrpcTestServer;

namespace Conveyor.Server.Tests.Grpc;

/// <summary>The <c>Work</c> stream: credits, settles, lease extensions, cancel and quiet on the stream, and release at its end.</summary>
public sealed class GrpcWorkStreamTests
{
    private static async Task EnqueueAsync(GrpcTestServer grpc, string queue, params string[] ids)
    {
        var batch = new EnqueueBatchRequest();
        foreach (var id in ids)
        {
            batch.Jobs.Add(new EnqueueRequest { Id = id, Type = "t", Queue = queue });
        }

        await grpc.Client.EnqueueBatchAsync(batch, Call());
    }

    private static async Task<long> ActiveAsync(GrpcTestServer grpc) => (await grpc.Client.GetStatsAsync(new GetStatsRequest(), Call())).Counts["active"];

    [Fact]
    public async Task Work_TwoCredits_PushesTwoAndMoreOnlyWhenGranted()
    {
        await using var grpc = await GrpcTestServer.StartAsync();
        await EnqueueAsync(grpc, "c", "j1", "j2", "j3", "j4", "j5");
        using var work = await WorkClient.OpenAsync(grpc.Client, new Subscribe { Queues = { "c" } }, credit: 2);

        var first = await work.JobsAsync(2);
        var leasedAfterTwo = await ActiveAsync(grpc);
        await work.SendAsync(new WorkRequest { Credit = new Credit { N = 3 } });
        var rest = await work.JobsAsync(3);

        Assert.Equal(2, leasedAfterTwo);
        Assert.Equal(["j1", "j2", "j3", "j4", "j5"], first.Concat(rest).Select(j => j.Id).Order());
        Assert.All(first.Concat(rest), j => Assert.Equal(JobState.Active, j.State));
    }

    [Fact]
    public async Task Work_AcksAndFailsOnTheStream_SettledDurablyAndReported()
    {
        await using var grpc = await GrpcTestServer.StartAsync();
        await EnqueueAsync(grpc, "s", "a1", "a2", "f1");
        using var work = await WorkClient.OpenAsync(grpc.Client, new Subscribe { Queues = { "s" }, WorkerId = "w-settle" }, credit: 3);
        var jobs = (await work.JobsAsync(3)).ToDictionary(j => j.Id);

        await work.SendAsync(new WorkRequest { Settle = new SettleRequest { Acks = { new Ack { Id = "a1", Token = jobs["a1"].Lease.Token } } } });
        await work.SendAsync(new WorkRequest
        {
            Settle = new SettleRequest
            {
                Acks = { new Ack { Id = "a2", Token = jobs["a2"].Lease.Token }, new Ack { Id = "nope", Token = "1" } },
                Fails = { new Fail { Id = "f1", Token = jobs["f1"].Lease.Token, Message = "m", Retry = false } },
            },
        });
        Dictionary<string, SettleStatus> results = [];
        while (results.Count < 4)
        {
            foreach (var result in (await work.NextOfKindAsync(WorkResponse.KindOneofCase.Settled)).Settled.Results)
            {
                results[result.Id] = result.Status;
            }
        }

        Assert.Equal("w-settle", jobs["a1"].Lease.WorkerId);
        Assert.Equal((SettleStatus.Ok, SettleStatus.Ok, SettleStatus.Ok, SettleStatus.Unknown), (results["a1"], results["a2"], results["f1"], results["nope"]));
        Assert.Equal(JobState.Completed, (await grpc.Client.GetJobAsync(new GetJobRequest { Id = "a1" }, Call())).State);
        Assert.Equal(JobState.Completed, (await grpc.Client.GetJobAsync(new GetJobRequest { Id = "a2" }, Call())).State);
        Assert.Equal(JobState.Dead, (await grpc.Client.GetJobAsync(new GetJobRequest { Id = "f1" }, Call())).State);
    }

    [Fact]
    public async Task Work_HeartbeatOnTheStream_ExtendsTheLease()
    {
        await using var grpc = await GrpcTestServer.StartAsync();
        await EnqueueAsync(grpc, "h", "h1");
        using var work = await WorkClient.OpenAsync(grpc.Client, new Subscribe { Queues = { "h" } }, credit: 1);
        var job = (await work.JobsAsync(1))[0];

        await work.SendAsync(new WorkRequest { Heartbeat = new WorkHeartbeat { Leases = { new HeartbeatRequest { Id = "h1", Token = job.Lease.Token, ExtendSeconds = 3600 }, new HeartbeatRequest { Id = "h1", Token = "stale" } } } });
        var extended = (await work.NextOfKindAsync(WorkResponse.KindOneofCase.Extended)).Extended.Results;

        Assert.Equal([SettleStatus.Ok, SettleStatus.Stale], extended.Select(r => r.Status));
        Assert.True(extended[0].ExpiresAt.ToDateTimeOffset() > DateTimeOffset.UtcNow.AddSeconds(3000));
        var lease = (await grpc.Client.GetJobAsync(new GetJobRequest { Id = "h1" }, Call())).Lease;
        Assert.Equal(extended[0].ExpiresAt, lease.ExpiresAt);
    }

    [Fact]
    public async Task Work_RunningJobCancelled_ControlCancelReachesTheStream()
    {
        await using var grpc = await GrpcTestServer.StartAsync();
        await EnqueueAsync(grpc, "x", "x1");
        using var work = await WorkClient.OpenAsync(grpc.Client, new Subscribe { Queues = { "x" } }, credit: 1);
        await work.JobsAsync(1);

        await grpc.Client.CancelJobAsync(new CancelJobRequest { Id = "x1" }, Call());
        var control = (await work.NextOfKindAsync(WorkResponse.KindOneofCase.Control)).Control;

        Assert.Equal((ControlKind.Cancel, "x1"), (control.Kind, control.JobId));
        Assert.Equal(JobState.Cancelled, (await grpc.Client.GetJobAsync(new GetJobRequest { Id = "x1" }, Call())).State);
    }

    [Fact]
    public async Task Work_ClientGoneWithJobsInHand_UnsettledJobsReleasedAtOnce()
    {
        await using var grpc = await GrpcTestServer.StartAsync();
        await EnqueueAsync(grpc, "r", "r1", "r2", "r3");
        using (var work = await WorkClient.OpenAsync(grpc.Client, new Subscribe { Queues = { "r" } }, credit: 3))
        {
            var jobs = (await work.JobsAsync(3)).ToDictionary(j => j.Id);
            await work.SendAsync(new WorkRequest { Settle = new SettleRequest { Acks = { new Ack { Id = "r1", Token = jobs["r1"].Lease.Token } } } });
            await work.NextOfKindAsync(WorkResponse.KindOneofCase.Settled);
        }

        // Disposing the call resets the stream; the server releases what it pushed and was not settled.
        Job? r2 = null;
        for (var i = 0; i < 300 && r2?.State != JobState.Available; i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            r2 = await grpc.Client.GetJobAsync(new GetJobRequest { Id = "r2" }, Call());
        }

        var r3 = await grpc.Client.GetJobAsync(new GetJobRequest { Id = "r3" }, Call());
        Assert.Equal(JobState.Available, r2?.State);
        Assert.Equal(JobState.Available, r3.State);
        Assert.Null(r3.Lease);
        Assert.Equal(JobState.Completed, (await grpc.Client.GetJobAsync(new GetJobRequest { Id = "r1" }, Call())).State);
    }

    [Fact]
    public async Task Work_OperatorQuiets_ControlQuietAndNoMoreJobsPushed()
    {
        await using var grpc = await GrpcTestServer.StartAsync();
        using var work = await WorkClient.OpenAsync(grpc.Client, new Subscribe { Queues = { "quiet" }, WorkerId = "w-quiet", Hostname = "h", Pid = 42 }, credit: 5);
        // The subscribe is taken on the server's side of the stream while this test goes on: wait until it registered the
        // worker (a quiet for an unknown worker has no one to reach).
        var listed = await grpc.Server.Http.GetStringAsync(new Uri("v1/workers", UriKind.Relative), TestContext.Current.CancellationToken);
        for (var tries = 0; !listed.Contains("\"wid\":\"w-quiet\"", StringComparison.Ordinal) && tries < 500; tries++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
            listed = await grpc.Server.Http.GetStringAsync(new Uri("v1/workers", UriKind.Relative), TestContext.Current.CancellationToken);
        }

        using var quiet = await grpc.Server.Http.PostAsync(new Uri("v1/workers/w-quiet/quiet", UriKind.Relative), ApiClient.EmptyJson(), TestContext.Current.CancellationToken);
        var control = (await work.NextOfKindAsync(WorkResponse.KindOneofCase.Control)).Control;
        await EnqueueAsync(grpc, "quiet", "q1");
        // A settle's answer comes back through every loop of the stream: after it, a push of q1 would have been seen.
        await work.SendAsync(new WorkRequest { Settle = new SettleRequest { Acks = { new Ack { Id = "none", Token = "1" } } } });
        await work.NextOfKindAsync(WorkResponse.KindOneofCase.Settled);

        Assert.Contains("\"wid\":\"w-quiet\"", listed, StringComparison.Ordinal);
        Assert.True(quiet.IsSuccessStatusCode);
        Assert.Equal(ControlKind.Quiet, control.Kind);
        Assert.Equal(JobState.Available, (await grpc.Client.GetJobAsync(new GetJobRequest { Id = "q1" }, Call())).State);
    }

    [Fact]
    public async Task Work_FirstMessageWithoutSubscribe_InvalidArgument()
    {
        await using var grpc = await GrpcTestServer.StartAsync();
        using var call = grpc.Client.Work(Call());

        await call.RequestStream.WriteAsync(new WorkRequest { Credit = new Credit { N = 1 } }, TestContext.Current.CancellationToken);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(TestContext.Current.CancellationToken));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("subscribe", error.Trailers.GetValue("conveyor-field"));
    }

    [Fact]
    public async Task Work_CreditOutOfRange_InvalidArgumentAndJobsReleased()
    {
        await using var grpc = await GrpcTestServer.StartAsync();
        await EnqueueAsync(grpc, "o", "o1");
        using var work = await WorkClient.OpenAsync(grpc.Client, new Subscribe { Queues = { "o" } }, credit: 1);
        await work.JobsAsync(1);

        await work.SendAsync(new WorkRequest { Credit = new Credit { N = 0 } });
        var status = await work.EndAsync();

        Assert.Equal(StatusCode.InvalidArgument, status.StatusCode);
        Assert.StartsWith("credit.n:", status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, await ActiveAsync(grpc));
    }
}

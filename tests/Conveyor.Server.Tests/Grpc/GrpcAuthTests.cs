using Conveyor.Core.Security;
using Conveyor.Grpc.V1;
using Conveyor.Server.Grpc;
using Conveyor.Server.Tests.Security;
using Grpc.Core;
using Grpc.Health.V1;
using static Conveyor.Server.Tests.Grpc.GrpcTestServer;

namespace Conveyor.Server.Tests.Grpc;

/// <summary>API keys as <c>authorization: Bearer KEY</c> metadata: every call × {no key, a key without its scope, a key with it}.</summary>
public sealed class GrpcAuthTests
{
    /// <summary>Each call of the service with the scope it needs, made with the given options (its answer may be an error of its own).</summary>
    private static readonly (string Method, ApiScope Scope, Func<ConveyorService.ConveyorServiceClient, CallOptions, Task> Call)[] Calls =
    [
        ("Enqueue", ApiScope.Produce, (c, o) => c.EnqueueAsync(new EnqueueRequest { Type = "t" }, o).ResponseAsync),
        ("EnqueueBatch", ApiScope.Produce, (c, o) => c.EnqueueBatchAsync(new EnqueueBatchRequest { Jobs = { new EnqueueRequest { Type = "t" } } }, o).ResponseAsync),
        ("GetJob", ApiScope.Read, (c, o) => c.GetJobAsync(new GetJobRequest { Id = "nope" }, o).ResponseAsync),
        ("ListJobs", ApiScope.Read, (c, o) => c.ListJobsAsync(new ListJobsRequest(), o).ResponseAsync),
        ("ListQueues", ApiScope.Read, (c, o) => c.ListQueuesAsync(new ListQueuesRequest(), o).ResponseAsync),
        ("GetStats", ApiScope.Read, (c, o) => c.GetStatsAsync(new GetStatsRequest(), o).ResponseAsync),
        ("CancelJob", ApiScope.Admin, (c, o) => c.CancelJobAsync(new CancelJobRequest { Id = "nope" }, o).ResponseAsync),
        ("RetryJob", ApiScope.Admin, (c, o) => c.RetryJobAsync(new RetryJobRequest { Id = "nope" }, o).ResponseAsync),
        ("PauseQueue", ApiScope.Admin, (c, o) => c.PauseQueueAsync(new PauseQueueRequest { Name = "q" }, o).ResponseAsync),
        ("ResumeQueue", ApiScope.Admin, (c, o) => c.ResumeQueueAsync(new ResumeQueueRequest { Name = "q" }, o).ResponseAsync),
        ("PurgeQueue", ApiScope.Admin, (c, o) => c.PurgeQueueAsync(new PurgeQueueRequest { Name = "q" }, o).ResponseAsync),
        ("Fetch", ApiScope.Work, (c, o) => c.FetchAsync(new FetchRequest { Queues = { "q" } }, o).ResponseAsync),
        ("Settle", ApiScope.Work, (c, o) => c.SettleAsync(new SettleRequest(), o).ResponseAsync),
        ("Heartbeat", ApiScope.Work, (c, o) => c.HeartbeatAsync(new HeartbeatRequest { Id = "nope", Token = "1" }, o).ResponseAsync),
        ("ReportProgress", ApiScope.Work, (c, o) => c.ReportProgressAsync(new ReportProgressRequest { Id = "nope", Token = "1", Percent = 5 }, o).ResponseAsync),
        ("WaitForCompletion", ApiScope.Read, (c, o) => c.WaitForCompletionAsync(new WaitForCompletionRequest { Id = "nope", TimeoutMs = 0 }, o).ResponseAsync),
        ("Work", ApiScope.Work, WorkAsync),
    ];

    /// <summary>Opens a Work stream, subscribes, closes its side and reads it to the end.</summary>
    private static async Task WorkAsync(ConveyorService.ConveyorServiceClient client, CallOptions options)
    {
        using var call = client.Work(options);
        try
        {
            await call.RequestStream.WriteAsync(new WorkRequest { Subscribe = new Subscribe { Queues = { "q" } } });
            await call.RequestStream.CompleteAsync();
        }
        catch (RpcException)
        {
            // Refused before the request was read: the status comes from the response stream.
        }

        while (await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken))
        {
        }
    }

    private static async Task<StatusCode> StatusOfAsync(Func<Task> call)
    {
        try
        {
            await call();
            return StatusCode.OK;
        }
        catch (RpcException ex)
        {
            return ex.StatusCode;
        }
    }

    [Fact]
    public void GrpcScopes_EveryMethodOfTheService_HasItsScope()
    {
        var methods = ConveyorService.Descriptor.Methods.Select(m => m.Name).Order();

        Assert.Equal(methods, GrpcScopes.ByMethod.Keys.Order());
        Assert.Equal(methods, Calls.Select(c => c.Method).Order());
        Assert.All(Calls, c => Assert.Equal(GrpcScopes.ByMethod[c.Method], c.Scope));
    }

    [Fact]
    public async Task EveryCall_NoKeyOrAWrongOne_Unauthenticated()
    {
        await using var grpc = await GrpcTestServer.StartAsync(o => TestKeys.Add(o.DataDirectory, "ops", ApiScope.Admin));

        foreach (var (method, _, call) in Calls)
        {
            Assert.Equal((method, StatusCode.Unauthenticated), (method, await StatusOfAsync(() => call(grpc.Client, Call()))));
            Assert.Equal((method, StatusCode.Unauthenticated), (method, await StatusOfAsync(() => call(grpc.Client, WithKey("cvk_wrong")))));
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => grpc.Client.GetStatsAsync(new GetStatsRequest(), Call()).ResponseAsync);
        Assert.Contains("authorization: Bearer KEY", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryCall_KeyWithoutItsScope_PermissionDeniedNamingTheScope()
    {
        var keys = new Dictionary<ApiScope, string>();
        await using var grpc = await GrpcTestServer.StartAsync(o =>
        {
            foreach (var scope in ApiScopes.All)
            {
                keys[scope] = TestKeys.Add(o.DataDirectory, "all-but-" + scope.ToName(), ScopeMap.AllBut(scope));
            }
        });

        foreach (var (method, scope, call) in Calls)
        {
            Assert.Equal((method, StatusCode.PermissionDenied), (method, await StatusOfAsync(() => call(grpc.Client, WithKey(keys[scope])))));
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => grpc.Client.GetStatsAsync(new GetStatsRequest(), WithKey(keys[ApiScope.Read])).ResponseAsync);
        Assert.Contains("scope 'read'", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryCall_KeyWithItsScope_PassesTheCheck()
    {
        var keys = new Dictionary<ApiScope, string>();
        await using var grpc = await GrpcTestServer.StartAsync(o =>
        {
            foreach (var scope in ApiScopes.All)
            {
                keys[scope] = TestKeys.Add(o.DataDirectory, "only-" + scope.ToName(), scope);
            }
        });

        foreach (var (method, scope, call) in Calls)
        {
            var status = await StatusOfAsync(() => call(grpc.Client, WithKey(keys[scope])));
            Assert.True(status is not (StatusCode.Unauthenticated or StatusCode.PermissionDenied), $"{method} with a '{scope.ToName()}' key: {status}");
        }
    }

    [Fact]
    public async Task Health_WithoutAKey_ServingOnceReady()
    {
        await using var grpc = await GrpcTestServer.StartAsync(o => TestKeys.Add(o.DataDirectory, "ops", ApiScope.Admin));
        var health = new Health.HealthClient(grpc.Channel);

        var answer = await health.CheckAsync(new HealthCheckRequest(), Call());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, answer.Status);
    }
}

namespace Conveyor.Client.Tests;

public sealed class PolicyTests
{
    [Fact]
    public void CreateEnqueueRequest_PolicyAttribute_AppliedWithAKeyDerivedFromTheArgs()
    {
        var options = Options();

        var request = options.CreateEnqueueRequest(new PolicyJob("k"));

        Assert.Equal("policy", request.Queue);
        Assert.Equal(8, request.Priority);
        Assert.Equal(3, request.MaxAttempts);
        Assert.Equal("fixed:7", request.Backoff);
        Assert.Equal(90, request.LeaseSeconds);
        Assert.Equal(600, request.UniqueForSeconds);
        Assert.StartsWith("args:", request.UniqueKey, StringComparison.Ordinal);
        Assert.Equal(request.UniqueKey, options.CreateEnqueueRequest(new PolicyJob("k")).UniqueKey);
        Assert.NotEqual(request.UniqueKey, options.CreateEnqueueRequest(new PolicyJob("other")).UniqueKey);
    }

    [Fact]
    public void CreateEnqueueRequest_RegisteredPolicyAndJobOptions_OverrideFieldByField()
    {
        var options = Options().SetPolicy<PolicyJob>(new JobPolicy { MaxAttempts = 10, Queue = "registered" });

        var registered = options.CreateEnqueueRequest(new PolicyJob("k"));
        var overridden = options.CreateEnqueueRequest(new PolicyJob("k"), new JobOptions { Queue = "mine", UniqueKey = "key", Backoff = "exponential" });

        Assert.Equal(("registered", 10, "fixed:7", 8), (registered.Queue, registered.MaxAttempts, registered.Backoff, registered.Priority));
        Assert.Equal(("mine", 10, "exponential", "key", 600), (overridden.Queue, overridden.MaxAttempts, overridden.Backoff, overridden.UniqueKey, overridden.UniqueForSeconds));
    }

    [Fact]
    public void CreateEnqueueRequest_NoPolicy_LeavesTheServerDefaults()
    {
        var request = Options().CreateEnqueueRequest(new CountJob(1));

        Assert.Equal((null, null, null, null, null), (request.Queue, request.MaxAttempts, request.Backoff, request.UniqueKey, request.UniqueForSeconds));
    }

    [Fact]
    public async Task EnqueueAsync_PolicyType_ServerKeepsThePolicyAndDeduplicatesTheSameArgs()
    {
        await using var server = await TestServer.StartAsync();

        var id = await server.Client.EnqueueAsync(new PolicyJob("once"));
        var again = await server.Client.EnqueueAsync(new PolicyJob("once"));
        var other = await server.Client.EnqueueAsync(new PolicyJob("twice"), new JobOptions { MaxAttempts = 1 });

        var job = (await server.Client.GetAsync(id))!;
        Assert.Equal(("policy", 8, 3, "fixed:7", 90), (job.Queue, job.Priority, job.MaxAttempts, job.Backoff, job.LeaseSeconds));
        Assert.Equal(id, again);
        Assert.NotEqual(id, other);
        Assert.Equal(1, (await server.Client.GetAsync(other))!.MaxAttempts);
    }

    private static ConveyorClientOptions Options()
    {
        var options = new ConveyorClientOptions();
        options.SerializerOptions.TypeInfoResolverChain.Insert(0, TestJsonContext.Default);
        return options;
    }
}

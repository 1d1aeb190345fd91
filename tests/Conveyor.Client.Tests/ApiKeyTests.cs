using System.Net;
using Conveyor.Contracts;
using Conveyor.Contracts.Jobs;
using Conveyor.Core.Security;
using Conveyor.Storage.Embedded.Security;

namespace Conveyor.Client.Tests;

/// <summary>The SDK sends <see cref="ConveyorClientOptions.ApiKey"/> as a bearer token; bodyless calls say JSON.</summary>
public sealed class ApiKeyTests
{
    [Fact]
    public async Task Calls_WithAdminKey_EnqueueGetAndCancelWork()
    {
        string key = "";
        await using var server = await TestServer.StartAsync(o => key = AddKey(o.DataDirectory, ApiScope.Admin));
        var client = new ConveyorClient(server.Http, new ConveyorClientOptions { ServerUrl = server.Url, ApiKey = key });

        var id = await client.EnqueueRawAsync(new EnqueueRequest { Type = "t", Queue = "q" });
        await client.CancelAsync(id);

        Assert.Equal("cancelled", (await client.GetAsync(id))!.State);
    }

    [Fact]
    public async Task Enqueue_WithoutKeyWhenKeysExist_ThrowsUnauthorized()
    {
        await using var server = await TestServer.StartAsync(o => AddKey(o.DataDirectory, ApiScope.Admin));
        var client = new ConveyorClient(server.Http, new ConveyorClientOptions { ServerUrl = server.Url });

        var error = await Assert.ThrowsAsync<ConveyorApiException>(() => client.EnqueueRawAsync(new EnqueueRequest { Type = "t", Queue = "q" }));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal(ProblemTypes.Unauthorized, error.Problem?.Type);
    }

    [Fact]
    public async Task Cancel_ProduceOnlyKey_ThrowsForbidden()
    {
        string key = "";
        await using var server = await TestServer.StartAsync(o => key = AddKey(o.DataDirectory, ApiScope.Produce));
        var client = new ConveyorClient(server.Http, new ConveyorClientOptions { ServerUrl = server.Url, ApiKey = key });
        var id = await client.EnqueueRawAsync(new EnqueueRequest { Type = "t", Queue = "q" });

        var error = await Assert.ThrowsAsync<ConveyorApiException>(() => client.CancelAsync(id));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
    }

    [Fact]
    public async Task Enqueue_KeyOnlyInEnvironment_IsSent()
    {
        string key = "";
        await using var server = await TestServer.StartAsync(o => key = AddKey(o.DataDirectory, ApiScope.Produce));
        // Process-wide, but harmless to tests running meanwhile: a key from this data directory means nothing to their servers.
        Environment.SetEnvironmentVariable(ConveyorClientOptions.ApiKeyVariable, key);
        try
        {
            var client = new ConveyorClient(server.Http, new ConveyorClientOptions { ServerUrl = server.Url });

            Assert.NotEmpty(await client.EnqueueRawAsync(new EnqueueRequest { Type = "t", Queue = "q" }));
        }
        finally
        {
            Environment.SetEnvironmentVariable(ConveyorClientOptions.ApiKeyVariable, null);
        }
    }

    [Fact]
    public async Task Cancel_NoKeysOnLoopback_Works()
    {
        await using var server = await TestServer.StartAsync();
        var id = await server.Client.EnqueueRawAsync(new EnqueueRequest { Type = "t", Queue = "q" });

        await server.Client.CancelAsync(id);

        Assert.Equal("cancelled", (await server.Client.GetAsync(id))!.State);
    }

    private static string AddKey(string dataDirectory, ApiScope scopes)
    {
        var secret = ApiKeySecret.NewKey();
        var key = new ApiKey(ApiKeySecret.IdOf(secret), "k", scopes, ApiKeySecret.Hash(secret), DateTimeOffset.UtcNow, null);
        Assert.True(new FileApiKeyStore(dataDirectory).TryAddAsync(key).AsTask().GetAwaiter().GetResult());
        return secret;
    }
}

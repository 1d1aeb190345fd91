using System.Net;
using Conveyor.Contracts;
using Conveyor.Core.Security;
using Conveyor.Storage.Embedded.Security;
using Conveyor.Testing;

namespace Conveyor.Server.Tests.Security;

/// <summary>Every endpoint × {no key, a key without its scope, a key with it}, over a real socket.</summary>
public sealed class AuthorizationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryEndpoint_NoKey_401WithBearerChallenge()
    {
        await using var server = await RunningServer.StartAsync(o => TestKeys.Add(o.DataDirectory, "ops", ApiScope.Admin));

        foreach (var endpoint in ScopeMap.Cases)
        {
            using var response = await server.Http.SendAsync(TestKeys.Request(new HttpMethod(endpoint.Method), endpoint.Path, key: null, endpoint.Body), Ct);

            var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
            Assert.NotNull(problem.Detail);
        }
    }

    [Fact]
    public async Task EveryEndpoint_KeyWithoutItsScope_403()
    {
        var keys = new Dictionary<ApiScope, string>();
        await using var server = await RunningServer.StartAsync(o =>
        {
            foreach (var scope in ApiScopes.All)
            {
                keys[scope] = TestKeys.Add(o.DataDirectory, "all-but-" + scope.ToName(), ScopeMap.AllBut(scope));
            }
        });

        foreach (var endpoint in ScopeMap.Cases)
        {
            using var response = await server.Http.SendAsync(TestKeys.Request(new HttpMethod(endpoint.Method), endpoint.Path, keys[endpoint.Scope], endpoint.Body), Ct);

            var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
            Assert.Contains(endpoint.Scope.ToName(), problem.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EveryEndpoint_KeyWithItsScopeOrAdmin_PassesTheCheck()
    {
        var keys = new Dictionary<ApiScope, string>();
        string admin = "";
        await using var server = await RunningServer.StartAsync(o =>
        {
            foreach (var scope in ApiScopes.All)
            {
                keys[scope] = TestKeys.Add(o.DataDirectory, "only-" + scope.ToName(), scope);
            }

            admin = TestKeys.Add(o.DataDirectory, "admin", ApiScope.Admin);
        });

        foreach (var endpoint in ScopeMap.Cases)
        {
            foreach (var key in (string[])[keys[endpoint.Scope], admin])
            {
                using var response = await server.Http.SendAsync(TestKeys.Request(new HttpMethod(endpoint.Method), endpoint.Path, key, endpoint.Body), Ct);

                Assert.True(
                    response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.UnsupportedMediaType),
                    $"{endpoint}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
            }
        }
    }

    [Fact]
    public async Task Probes_KeysExist_AnswerWithoutAKey()
    {
        await using var server = await RunningServer.StartAsync(o => TestKeys.Add(o.DataDirectory, "ops", ApiScope.Admin));

        using var health = await server.Http.GetAsync("healthz", Ct);
        using var ready = await server.Http.GetAsync("readyz", Ct);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Theory]
    [InlineData("Bearer cvk_not-a-key")]
    [InlineData("Basic b3BzOnB3")]
    [InlineData("Bearer ")]
    public async Task Stats_InvalidAuthorization_401(string header)
    {
        await using var server = await RunningServer.StartAsync(o => TestKeys.Add(o.DataDirectory, "ops", ApiScope.Admin));
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/stats");
        request.Headers.TryAddWithoutValidation("Authorization", header);

        using var response = await server.Http.SendAsync(request, Ct);

        await ApiClient.ProblemAsync(response, HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized);
    }

    [Fact]
    public async Task Keys_CreatedAndRevokedWhileServing_TakeEffectWithoutRestart()
    {
        await using var server = await RunningServer.StartAsync(o => TestKeys.Add(o.DataDirectory, "first", ApiScope.Read));
        var store = new FileApiKeyStore(server.DataDirectory);

        var second = TestKeys.Add(server.DataDirectory, "second", ApiScope.Read);
        var accepted = await EventuallyAsync(server, second, HttpStatusCode.OK);
        await store.RevokeAsync("second", Ct);
        var refused = await EventuallyAsync(server, second, HttpStatusCode.Unauthorized);

        Assert.True(accepted, "the new key was never accepted");
        Assert.True(refused, "the revoked key was still accepted");
    }

    [Fact]
    public async Task LastUsed_AfterRequestsAndShutdown_PersistedOnce()
    {
        // A fake clock that never moves: the once-a-minute flush cannot run, so only shutdown writes.
        var time = new FakeTimeProvider();
        string key = "";
        await using var server = await RunningServer.StartAsync(o =>
        {
            o.Time = time;
            key = TestKeys.Add(o.DataDirectory, "reader", ApiScope.Read);
        });
        for (var i = 0; i < 3; i++)
        {
            using var response = await server.Http.SendAsync(TestKeys.Request(HttpMethod.Get, "v1/stats", key), Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var before = Assert.Single(await new FileApiKeyStore(server.DataDirectory).ListAsync(Ct));
        await server.StopAsync();
        var after = Assert.Single(await new FileApiKeyStore(server.DataDirectory).ListAsync(Ct));

        Assert.Null(before.LastUsedAt);
        Assert.Equal(time.GetUtcNow(), after.LastUsedAt);
    }

    [Fact]
    public async Task LastKeyRevoked_ExposedBind_RefusesEverythingButProbes()
    {
        string key = "";
        await using var server = await RunningServer.StartAsync(o =>
        {
            o.BindAddress = "127.0.0.2";
            key = TestKeys.Add(o.DataDirectory, "ops", ApiScope.Admin);
        });
        await new FileApiKeyStore(server.DataDirectory).RevokeAsync("ops", Ct);

        var refused = await EventuallyAsync(server, key: null, HttpStatusCode.Unauthorized);
        using var health = await server.Http.GetAsync("healthz", Ct);

        Assert.True(refused, "an exposed server without keys kept answering");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    /// <summary>Asks until the answer is <paramref name="expected"/> (the server re-reads keys at most once a second); bounded at 15 s.</summary>
    private static async Task<bool> EventuallyAsync(RunningServer server, string? key, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await server.Http.SendAsync(TestKeys.Request(HttpMethod.Get, "v1/stats", key), Ct);
            if (response.StatusCode == expected)
            {
                return true;
            }

            await Task.Delay(100, Ct);
        }

        return false;
    }
}

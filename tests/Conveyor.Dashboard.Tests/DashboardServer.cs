using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Conveyor.Core.Security;
using Conveyor.Server;
using Conveyor.Storage.Embedded;
using Conveyor.Storage.Embedded.Security;
using Conveyor.Testing;
using Microsoft.AspNetCore.Builder;

namespace Conveyor.Dashboard.Tests;

/// <summary>A real server on 127.0.0.1 (port 0, durability none, a temp data directory) and raw JSON calls on its API.</summary>
internal sealed class DashboardServer : IAsyncDisposable
{
    private readonly TempDirectory data;
    private readonly WebApplication app;

    private DashboardServer(TempDirectory data, WebApplication app, HttpClient http)
    {
        this.data = data;
        this.app = app;
        Http = http;
    }

    public HttpClient Http { get; }

    public Uri Url => Http.BaseAddress!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Starts a server; <paramref name="keys"/> are created first (name → scopes) and returned as secrets by name.</summary>
    public static Task<(DashboardServer Server, Dictionary<string, string> Keys)> StartAsync(params (string Name, ApiScope Scopes)[] keys) =>
        StartAsync(0, keys);

    /// <summary>As <see cref="StartAsync(ValueTuple{string, ApiScope}[])"/>, with the Faktory port open on <paramref name="faktoryPort"/> (0: off).</summary>
    public static Task<(DashboardServer Server, Dictionary<string, string> Keys)> StartAsync(int faktoryPort, params (string Name, ApiScope Scopes)[] keys) =>
        StartAsync(faktoryPort, null, keys);

    /// <summary>An open server whose data directory <paramref name="prepare"/> fills first (with a metrics history file, say).</summary>
    public static async Task<DashboardServer> StartOpenAsync(Action<string> prepare) => (await StartAsync(0, prepare)).Server;

    private static async Task<(DashboardServer Server, Dictionary<string, string> Keys)> StartAsync(int faktoryPort, Action<string>? prepare, params (string Name, ApiScope Scopes)[] keys)
    {
        var data = new TempDirectory("conveyor-dashboard-test");
        prepare?.Invoke(data.Path);
        var secrets = new Dictionary<string, string>();
        foreach (var (name, scopes) in keys)
        {
            var secret = ApiKeySecret.NewKey();
            var key = new ApiKey(ApiKeySecret.IdOf(secret), name, scopes, ApiKeySecret.Hash(secret), DateTimeOffset.UtcNow, null);
            Assert.True(await new FileApiKeyStore(data.Path).TryAddAsync(key));
            secrets[name] = secret;
        }

        var options = new ConveyorServerOptions { DataDirectory = data.Path, BindAddress = "127.0.0.1", HttpPort = 0, FaktoryPort = faktoryPort, Durability = DurabilityMode.None };
        var app = ConveyorServer.Build(options, ["--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Conveyor=Warning"]);
        await app.StartAsync(Ct);
        await app.WaitUntilReadyAsync(Ct);
        var http = new HttpClient { BaseAddress = app.GetHttpAddress(), Timeout = TimeSpan.FromSeconds(120) };
        if (secrets.Count > 0)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secrets[keys[0].Name]);
        }

        return (new DashboardServer(data, app, http), secrets);
    }

    public static Task<DashboardServer> StartOpenAsync() => StartAsync().ContinueWith(t => t.Result.Server, TaskScheduler.Default);

    public async Task<JsonElement> CallAsync(HttpMethod method, string path, string? json = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json ?? "", Encoding.UTF8, "application/json") };
        using var response = await Http.SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task<string> EnqueueAsync(string json) =>
        (await CallAsync(HttpMethod.Post, "v1/jobs", json, HttpStatusCode.Created)).GetProperty("id").GetString()!;

    public async Task EnqueueBatchAsync(IEnumerable<string> jobs) =>
        await CallAsync(HttpMethod.Post, "v1/jobs/batch", $$"""{"jobs":[{{string.Join(',', jobs)}}]}""", HttpStatusCode.Created);

    /// <summary>Leases up to <paramref name="max"/> jobs of a queue: (id, token) each.</summary>
    public async Task<List<(string Id, string Token)>> FetchAsync(string queue, int max = 1)
    {
        var answer = await CallAsync(HttpMethod.Post, "v1/fetch", $$"""{"queues":["{{queue}}"],"max":{{max}},"worker_id":"w1"}""");
        return [.. answer.GetProperty("jobs").EnumerateArray().Select(j => (j.GetProperty("id").GetString()!, j.GetProperty("lease").GetProperty("token").GetString()!))];
    }

    /// <summary>Fails every leased job of <paramref name="leased"/> in one settle, with a backtrace.</summary>
    public async Task FailAsync(IEnumerable<(string Id, string Token)> leased, string error = "Timeout", string message = "the mail server did not answer")
    {
        var fails = string.Join(',', leased.Select(j => $$"""{"id":"{{j.Id}}","token":"{{j.Token}}","error_type":"{{error}}","message":"{{message}}","backtrace":["at Mailer.Send() in Mailer.cs:line 42","at Worker.Run()"]}"""));
        await CallAsync(HttpMethod.Post, "v1/settle", $$"""{"fail":[{{fails}}]}""");
    }

    public async Task AckAsync(string id, string token) =>
        await CallAsync(HttpMethod.Post, $"v1/jobs/{id}/ack", $$"""{"token":"{{token}}"}""", HttpStatusCode.NoContent);

    public async Task<string> StateOfAsync(string id) => (await CallAsync(HttpMethod.Get, $"v1/jobs/{id}")).GetProperty("state").GetString()!;

    public async Task<long> CountAsync(string state) => (await CallAsync(HttpMethod.Get, "v1/stats")).GetProperty("counts").GetProperty(state).GetInt64();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
        data.Dispose();
    }
}

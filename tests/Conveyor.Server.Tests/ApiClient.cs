using System.Net;
using System.Net.Http.Json;
using System.Text;
using Conveyor.Contracts;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;
using Conveyor.Contracts.Queues;
using Conveyor.Contracts.Workers;

namespace Conveyor.Server.Tests;

/// <summary>Typed calls on the API for the tests, through the same Contracts the SDK will use.</summary>
internal sealed class ApiClient(HttpClient http)
{
    private static readonly ConveyorJsonContext Json = ConveyorJsonContext.Default;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async Task<string> EnqueueJobAsync(EnqueueRequest job, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var response = await http.PostAsJsonAsync("v1/jobs", job, Json.EnqueueRequest, Ct);
        await ExpectAsync(response, expected);
        return (await response.Content.ReadFromJsonAsync(Json.EnqueueResponse, Ct))!.Id;
    }

    public Task<string> EnqueueAsync(string type, string queue = "default", string args = "[]") =>
        EnqueueJobAsync(new EnqueueRequest { Type = type, Queue = queue, Args = RawJson.FromString(args) });

    public async Task<JobView> GetAsync(string id)
    {
        using var response = await http.GetAsync($"v1/jobs/{Uri.EscapeDataString(id)}", Ct);
        await ExpectAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync(Json.JobView, Ct))!;
    }

    public async Task<IReadOnlyList<JobView>> FetchAsync(string queue, int max = 1, int waitMs = 0, string? workerId = "w1")
    {
        var body = new FetchRequest { Queues = [queue], Max = max, WaitMs = waitMs, WorkerId = workerId };
        using var response = await http.PostAsJsonAsync("v1/fetch", body, Json.FetchRequest, Ct);
        await ExpectAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync(Json.FetchResponse, Ct))!.Jobs;
    }

    public async Task<JobView> FetchOneAsync(string queue)
    {
        var jobs = await FetchAsync(queue);
        return Assert.Single(jobs);
    }

    public Task<HttpResponseMessage> AckAsync(string id, string? token) =>
        http.PostAsJsonAsync($"v1/jobs/{id}/ack", new AckRequest { Token = token }, Json.AckRequest, Ct);

    public Task<HttpResponseMessage> FailAsync(string id, FailRequest body) =>
        http.PostAsJsonAsync($"v1/jobs/{id}/fail", body, Json.FailRequest, Ct);

    /// <summary>A POST without a body, saying JSON as the server requires of every state change (docs/security.md).</summary>
    public Task<HttpResponseMessage> PostAsync(string path) => http.PostAsync(path, EmptyJson(), Ct);

    public Task<HttpResponseMessage> DeleteAsync(string path) =>
        http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, path) { Content = EmptyJson() }, Ct);

    public static ByteArrayContent EmptyJson() => new([]) { Headers = { ContentType = new("application/json") } };

    public Task<HttpResponseMessage> PostRawAsync(string path, string json) =>
        http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Ct);

    public Task<HttpResponseMessage> PostBytesAsync(string path, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        return http.PostAsync(path, content, Ct);
    }

    public async Task<StatsResponse> StatsAsync() =>
        (await http.GetFromJsonAsync("v1/stats", Json.StatsResponse, Ct))!;

    public async Task<IReadOnlyList<WorkerView>> WorkersAsync() =>
        (await http.GetFromJsonAsync("v1/workers", Json.IReadOnlyListWorkerView, Ct))!;

    /// <summary>The first page of queues (up to 1,000: every queue a test makes).</summary>
    public async Task<IReadOnlyList<QueueView>> QueuesAsync() => (await QueuePageAsync("?limit=1000")).Queues;

    public async Task<QueueListResponse> QueuePageAsync(string query)
    {
        using var response = await http.GetAsync("v1/queues" + query, Ct);
        await ExpectAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync(Json.QueueListResponse, Ct))!;
    }

    public async Task<JobListResponse> ListAsync(string query)
    {
        using var response = await http.GetAsync("v1/jobs" + query, Ct);
        await ExpectAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync(Json.JobListResponse, Ct))!;
    }

    /// <summary>Asserts the status, and that an error is a problem document with the given type; returns it.</summary>
    public static async Task<Problem> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        await ExpectAsync(response, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync(Json.Problem, Ct))!;
        Assert.Equal(type, problem.Type);
        Assert.Equal((int)status, problem.Status);
        return problem;
    }

    public static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.Fail($"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        }
    }
}

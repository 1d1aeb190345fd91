using System.Net;
using System.Text.Json.Nodes;
using Conveyor.Contracts;
using Conveyor.Core.Inputs;

namespace Conveyor.Server.Tests.Bounds;

/// <summary>
/// Every size limit over HTTP: a value at its limit is accepted, one past it answers 413 naming the field; an
/// unprintable name answers 422 naming the field (docs/security.md, "Limits").
/// </summary>
public sealed class InputBoundsTests
{
    public static TheoryData<string, string> EnqueueFieldsAtTheirLimit() => new()
    {
        { "id", """{"type":"t","id":"ID"}""".Replace("ID", new string('i', InputLimits.IdLength), StringComparison.Ordinal) },
        { "queue", Job("queue", Quote(new string('q', InputLimits.QueueLength))) },
        { "type", $$"""{"type":{{Quote(new string('t', InputLimits.TypeLength))}}}""" },
        { "unique_key", $$"""{"type":"t","unique_for_seconds":60,"unique_key":{{Quote(new string('k', InputLimits.UniqueKeyLength))}}}""" },
        { "tags", Job("tags", Array(InputLimits.Tags, i => Quote($"tag{i}"))) },
        { "tags", Job("tags", $"[{Quote(new string('t', InputLimits.TagLength))}]") },
        { "meta", Job("meta", Map(InputLimits.MetaEntries, i => ($"k{i}", "v"))) },
        { "meta", Job("meta", Map(1, _ => (new string('k', InputLimits.MetaKeyLength), new string('v', InputLimits.MetaValueLength)))) },
        { "args", Job("args", $"[{Quote(new string('a', InputLimits.ArgsBytes - 4))}]") },
    };

    public static TheoryData<string, string> EnqueueFieldsOnePastTheirLimit() => new()
    {
        { "id", """{"type":"t","id":"ID"}""".Replace("ID", new string('i', InputLimits.IdLength + 1), StringComparison.Ordinal) },
        { "queue", Job("queue", Quote(new string('q', InputLimits.QueueLength + 1))) },
        { "type", $$"""{"type":{{Quote(new string('t', InputLimits.TypeLength + 1))}}}""" },
        { "unique_key", $$"""{"type":"t","unique_for_seconds":60,"unique_key":{{Quote(new string('k', InputLimits.UniqueKeyLength + 1))}}}""" },
        { "tags", Job("tags", Array(InputLimits.Tags + 1, i => Quote($"tag{i}"))) },
        { "tags", Job("tags", $"[{Quote(new string('t', InputLimits.TagLength + 1))}]") },
        { "meta", Job("meta", Map(InputLimits.MetaEntries + 1, i => ($"k{i}", "v"))) },
        { "meta", Job("meta", Map(1, _ => (new string('k', InputLimits.MetaKeyLength + 1), "v"))) },
        { "meta", Job("meta", Map(1, _ => ("k", new string('v', InputLimits.MetaValueLength + 1)))) },
        { "args", Job("args", $"[{Quote(new string('a', InputLimits.ArgsBytes - 3))}]") },
    };

    [Theory]
    [MemberData(nameof(EnqueueFieldsAtTheirLimit))]
    public async Task Enqueue_FieldAtItsLimit_Created(string field, string body)
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Api.PostRawAsync("v1/jobs", body);

        await ApiClient.ExpectAsync(response, HttpStatusCode.Created);
        Assert.NotEmpty(field);
    }

    [Theory]
    [MemberData(nameof(EnqueueFieldsOnePastTheirLimit))]
    public async Task Enqueue_FieldOnePastItsLimit_413NamingTheField(string field, string body)
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Api.PostRawAsync("v1/jobs", body);

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, ProblemTypes.PayloadTooLarge);
        Assert.Equal(field, problem.Field);
        Assert.StartsWith(field + ":", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(0, (await server.Api.StatsAsync()).Counts["available"]);
    }

    [Fact]
    public async Task EnqueueBatch_ItemOnePastALimit_413NamingFieldAndIndex()
    {
        await using var server = await RunningServer.StartAsync();
        var body = $$"""{"jobs":[{"type":"t"},{"type":"t","tags":{{Array(InputLimits.Tags + 1, _ => "\"x\"")}}}]}""";

        using var response = await server.Api.PostRawAsync("v1/jobs/batch", body);

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, ProblemTypes.PayloadTooLarge);
        Assert.Equal("tags", problem.Field);
        Assert.Equal(1, problem.Index);
    }

    public static TheoryData<string, string> UnprintableNames() => new()
    {
        { "queue", Job("queue", "\"pay\\u202Ements\"") },
        { "queue", Job("queue", "\"a\\u200Bb\"") },
        { "type", """{"type":"send\u2066mail"}""" },
        { "type", """{"type":"send\uFEFF"}""" },
        { "tags", Job("tags", "[\"ok\",\"bell\\u0007\"]") },
        { "tags", Job("tags", "[\"rtl\\u200F\"]") },
        { "meta", Job("meta", "{\"key\\u2060\":\"v\"}") },
        { "meta", Job("meta", "{\"new\\nline\":\"v\"}") },
    };

    [Theory]
    [MemberData(nameof(UnprintableNames))]
    public async Task Enqueue_UnprintableName_422NamingTheField(string field, string body)
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Api.PostRawAsync("v1/jobs", body);

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.UnprocessableEntity, ProblemTypes.Validation);
        Assert.Equal(field, problem.Field);
    }

    public static TheoryData<string, string, HttpStatusCode> FetchBodies() => new()
    {
        { "worker_id", $$"""{"queues":["q"],"worker_id":{{Quote(new string('w', InputLimits.WorkerIdLength + 1))}}}""", HttpStatusCode.RequestEntityTooLarge },
        { "worker_id", """{"queues":["q"],"worker_id":"w\u202E1"}""", HttpStatusCode.UnprocessableEntity },
        { "worker_id", """{"queues":["q"],"worker_id":"two words"}""", HttpStatusCode.UnprocessableEntity },
        { "queues", $$"""{"queues":{{Array(InputLimits.FetchQueues + 1, i => Quote($"q{i}"))}}}""", HttpStatusCode.RequestEntityTooLarge },
        { "queues", $$"""{"queues":["q",{{Quote(new string('q', InputLimits.QueueLength + 1))}}]}""", HttpStatusCode.RequestEntityTooLarge },
        { "queues", """{"queues":["q","zero\u200Dwidth"]}""", HttpStatusCode.UnprocessableEntity },
    };

    [Theory]
    [MemberData(nameof(FetchBodies))]
    public async Task Fetch_BadWorkerIdOrQueues_AnswerNamesTheField(string field, string body, HttpStatusCode status)
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Api.PostRawAsync("v1/fetch", body);

        var problem = await ApiClient.ProblemAsync(
            response, status, status == HttpStatusCode.UnprocessableEntity ? ProblemTypes.Validation : ProblemTypes.PayloadTooLarge);
        Assert.Equal(field, problem.Field);
    }

    [Fact]
    public async Task Fetch_WorkerIdAndQueuesAtTheirLimits_Leases()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await server.Api.EnqueueAsync("t", "q99");
        var body = $$"""{"queues":{{Array(InputLimits.FetchQueues, i => Quote($"q{i}"))}},"worker_id":{{Quote(new string('w', InputLimits.WorkerIdLength))}}}""";

        using var response = await server.Api.PostRawAsync("v1/fetch", body);

        await ApiClient.ExpectAsync(response, HttpStatusCode.OK);
        Assert.Equal("active", (await server.Api.GetAsync(id)).State);
    }

    [Fact]
    public async Task Ack_TokenOverItsLimit_413NamingToken()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await server.Api.EnqueueAsync("t", "q");

        using var response = await server.Api.AckAsync(id, new string('1', InputLimits.TokenLength + 1));

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, ProblemTypes.PayloadTooLarge);
        Assert.Equal("token", problem.Field);
    }

    [Fact]
    public async Task QuietWorker_WidOverItsLimit_413NamingWid()
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Api.PostAsync($"v1/workers/{new string('w', InputLimits.WorkerIdLength + 1)}/quiet");

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, ProblemTypes.PayloadTooLarge);
        Assert.Equal("wid", problem.Field);
    }

    [Fact]
    public async Task PauseQueue_BidiControlInThePath_422NamingQueue()
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Api.PostAsync($"v1/queues/{Uri.EscapeDataString("a\u202Eb")}/pause");

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.UnprocessableEntity, ProblemTypes.Validation);
        Assert.Equal("queue", problem.Field);
        Assert.Empty(await server.Api.QueuesAsync());
    }

    private static string Job(string field, string json) => $$"""{"type":"t","{{field}}":{{json}}}""";

    private static string Quote(string text) => JsonValue.Create(text).ToJsonString();

    private static string Array(int count, Func<int, string> item) => "[" + string.Join(",", Enumerable.Range(0, count).Select(item)) + "]";

    private static string Map(int count, Func<int, (string Key, string Value)> entry) =>
        "{" + string.Join(",", Enumerable.Range(0, count).Select(entry).Select(e => $"{Quote(e.Key)}:{Quote(e.Value)}")) + "}";
}

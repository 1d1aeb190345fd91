using System.Net;
using System.Net.Http.Json;
using Conveyor.Contracts;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;

namespace Conveyor.Server.Tests;

public sealed class EnqueueApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Enqueue_FetchAckGet_ShowsCompletedWithAttemptOne()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await server.Api.EnqueueAsync("email.send", "mail", """{"to":"a@b.c"}""");

        var job = await server.Api.FetchOneAsync("mail");
        Assert.Equal(id, job.Id);
        Assert.Equal("active", job.State);
        Assert.NotNull(job.Lease);
        using var ack = await server.Api.AckAsync(id, job.Lease.Token);
        await ApiClient.ExpectAsync(ack, HttpStatusCode.NoContent);

        var done = await server.Api.GetAsync(id);
        Assert.Equal("completed", done.State);
        Assert.Equal(1, done.Attempt);
        Assert.NotNull(done.FinishedAt);
        Assert.Null(done.Lease);
    }

    [Fact]
    public async Task Enqueue_ArgsGiven_KeepsThemByteForByte()
    {
        await using var server = await RunningServer.StartAsync();
        const string args = """[1, {"b" : 2.50, "a":"\u00e9"}, null, true]""";
        var id = await server.Api.EnqueueAsync("t", args: args);

        var job = await server.Api.GetAsync(id);

        Assert.Equal(args, job.Args.ToString());
    }

    [Fact]
    public async Task Enqueue_ArgsOmittedAndUnknownFields_DefaultsToEmptyArrayAndIgnoresThem()
    {
        await using var server = await RunningServer.StartAsync();
        using var response = await server.Api.PostRawAsync("v1/jobs", """{"type":"t","surprise":{"x":[1]},"queue":"q"}""");
        await ApiClient.ExpectAsync(response, HttpStatusCode.Created);
        var id = (await response.Content.ReadFromJsonAsync(ConveyorJsonContext.Default.EnqueueResponse, Ct))!.Id;

        var job = await server.Api.GetAsync(id);

        Assert.Equal("[]", job.Args.ToString());
        Assert.Equal("q", job.Queue);
        Assert.Equal(5, job.Priority);
        Assert.Equal(25, job.MaxAttempts);
        Assert.Equal("available", job.State);
        Assert.Equal($"/v1/jobs/{id}", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Enqueue_SameIdTwice_Returns200WithTheSameId()
    {
        await using var server = await RunningServer.StartAsync();
        var job = new EnqueueRequest { Id = "order-42", Type = "t" };

        var first = await server.Api.EnqueueJobAsync(job);
        var second = await server.Api.EnqueueJobAsync(job with { Priority = 9 }, HttpStatusCode.OK);

        Assert.Equal("order-42", first);
        Assert.Equal(first, second);
        Assert.Equal(5, (await server.Api.GetAsync(first)).Priority);
    }

    [Theory]
    [InlineData("""{"id":"order-42","type":"other","args":[1]}""")]
    [InlineData("""{"id":"order-42","type":"t","args":[2]}""")]
    public async Task Enqueue_SameIdOtherTypeOrArgs_Returns409IdConflict(string body)
    {
        await using var server = await RunningServer.StartAsync();
        using var first = await server.Api.PostRawAsync("v1/jobs", """{"id":"order-42","type":"t","args":[1]}""");
        await ApiClient.ExpectAsync(first, HttpStatusCode.Created);

        using var response = await server.Api.PostRawAsync("v1/jobs", body);

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.Conflict, ProblemTypes.IdConflict);
        Assert.Equal("id", problem.Field);
        Assert.Null(problem.Index);
        var job = await server.Api.GetAsync("order-42");
        Assert.Equal(("t", "[1]"), (job.Type, job.Args.ToString()));
    }

    [Fact]
    public async Task Enqueue_IdWithSlash_Returns422NamingTheAllowedCharacters()
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Api.PostRawAsync("v1/jobs", """{"type":"t","id":"a/b"}""");

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.UnprocessableEntity, ProblemTypes.Validation);
        Assert.Equal("id", problem.Field);
        Assert.Equal("id: must contain only ASCII letters, digits and - _ . :", problem.Detail);
    }

    [Fact]
    public async Task Enqueue_DelayMs_IsScheduledAtNowPlusDelay()
    {
        await using var server = await RunningServer.StartAsync();
        var before = DateTimeOffset.UtcNow;
        var id = await server.Api.EnqueueJobAsync(new EnqueueRequest { Type = "t", DelayMs = 3_600_000, Backoff = "fixed:10", Tags = ["a"], Meta = new Dictionary<string, string> { ["k"] = "v" } });

        var job = await server.Api.GetAsync(id);

        Assert.Equal("scheduled", job.State);
        Assert.True(job.RunAt >= before.AddHours(1));
        Assert.Equal("fixed:10", job.Backoff);
        Assert.Equal(["a"], job.Tags);
        Assert.Equal("v", job.Meta["k"]);
    }

    [Theory]
    [InlineData("""{"type":"t","delay_ms":10,"run_at":"2030-01-01T00:00:00Z"}""", "delay_ms")]
    [InlineData("""{"type":"t","priority":10}""", "priority")]
    [InlineData("""{"type":"t","max_attempts":0}""", "max_attempts")]
    [InlineData("""{"type":"t","lease_seconds":0}""", "lease_seconds")]
    [InlineData("""{"type":"t","backoff":"linear"}""", "backoff")]
    [InlineData("""{"type":"t","delay_ms":-1}""", "delay_ms")]
    [InlineData("""{"type":"t","unique_key":"k","unique_for_seconds":-1}""", "unique_for_seconds")]
    [InlineData("""{"type":"t","unique_for_seconds":60}""", "unique_for_seconds")]
    [InlineData("""{"type":"t","unique_key":"k","unique_until":"forever"}""", "unique_until")]
    [InlineData("""{"type":"t","unique_until":"started"}""", "unique_until")]
    [InlineData("""{"type":"t","unique_key":"k","unique_by_args":true}""", "unique_by_args")]
    [InlineData("""{"type":"t","timeout_seconds":0}""", "timeout_seconds")]
    [InlineData("""{"type":"t","timeout_seconds":604801}""", "timeout_seconds")]
    [InlineData("""{"queue":"q"}""", "type")]
    [InlineData("""{"type":"has space"}""", "type")]
    public async Task Enqueue_InvalidValue_Returns422NamingTheField(string body, string field)
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Api.PostRawAsync("v1/jobs", body);

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.UnprocessableEntity, ProblemTypes.Validation);
        Assert.Equal(field, problem.Field);
        Assert.Null(problem.Index);
        Assert.Equal(0, (await server.Api.StatsAsync()).Counts.Values.Sum());
    }

    [Theory]
    [InlineData("""{"type":"t",""")]
    [InlineData("""{"type":5}""")]
    [InlineData("""{"type":"t","priority":"5"}""")]
    [InlineData("""{"type":"t","priority":1e400}""")]
    [InlineData("""{"type":"t","tags":"a"}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""{"type":"t","run_at":"tomorrow"}""")]
    public async Task Enqueue_MalformedOrWrongTypes_Returns400(string body)
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Api.PostRawAsync("v1/jobs", body);

        await ApiClient.ProblemAsync(response, HttpStatusCode.BadRequest, ProblemTypes.MalformedJson);
    }

    [Fact]
    public async Task Enqueue_BodyOverTheLimit_Returns413()
    {
        await using var server = await RunningServer.StartAsync();
        var body = $$"""{"type":"t","args":"{{new string('x', 2 << 20)}}"}""";

        using var response = await server.Api.PostRawAsync("v1/jobs", body);

        await ApiClient.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, ProblemTypes.PayloadTooLarge);
    }

    [Fact]
    public async Task Enqueue_ArgsJustOverOneMiB_Returns413ForArgs()
    {
        await using var server = await RunningServer.StartAsync();
        var body = $$"""{"type":"t","args":"{{new string('x', 1 << 20)}}"}""";

        using var response = await server.Api.PostRawAsync("v1/jobs", body);

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, ProblemTypes.PayloadTooLarge);
        Assert.Equal("args", problem.Field);
    }

    [Fact]
    public async Task Get_UnknownId_Returns404Problem()
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Http.GetAsync("v1/jobs/nope", Ct);

        await ApiClient.ProblemAsync(response, HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }
}

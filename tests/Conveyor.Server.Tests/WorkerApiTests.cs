using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Conveyor.Contracts;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;
using Conveyor.Contracts.Workers;

namespace Conveyor.Server.Tests;

public sealed class WorkerApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Fail_WithAttemptsLeft_GoesRetryingWithTheFailureRecorded()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await server.Api.EnqueueAsync("t", "q");
        var job = await server.Api.FetchOneAsync("q");

        using var response = await server.Api.FailAsync(id, new FailRequest
        {
            Token = job.Lease!.Token, ErrorType = "Timeout", Message = "too slow", Backtrace = ["a.cs:1", "b.cs:2"], RetryInMs = 60_000,
        });

        await ApiClient.ExpectAsync(response, HttpStatusCode.NoContent);
        var failed = await server.Api.GetAsync(id);
        Assert.Equal("retrying", failed.State);
        var failure = Assert.Single(failed.Failures);
        Assert.Equal(1, failure.Attempt);
        Assert.Equal("Timeout", failure.ErrorType);
        Assert.Equal("too slow", failure.Message);
        Assert.Equal(["a.cs:1", "b.cs:2"], failure.Backtrace);
        Assert.Equal(1, (await server.Api.StatsAsync()).Failed);
    }

    [Fact]
    public async Task Fail_LastAttempt_GoesDead()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await server.Api.EnqueueJobAsync(new() { Type = "t", Queue = "q", MaxAttempts = 1 });
        var job = await server.Api.FetchOneAsync("q");

        using var response = await server.Api.FailAsync(id, new FailRequest { Token = job.Lease!.Token });

        await ApiClient.ExpectAsync(response, HttpStatusCode.NoContent);
        Assert.Equal("dead", (await server.Api.GetAsync(id)).State);
    }

    [Fact]
    public async Task Fail_LastAttemptDeadFalse_JobGone()
    {
        await using var server = await RunningServer.StartAsync();
        using var enqueue = await server.Api.PostRawAsync("v1/jobs", """{"type": "t", "queue": "q", "dead": false, "max_attempts": 1}""");
        await ApiClient.ExpectAsync(enqueue, HttpStatusCode.Created);
        var job = await server.Api.FetchOneAsync("q");
        Assert.False(job.Dead);

        using var response = await server.Api.FailAsync(job.Id, new FailRequest { Token = job.Lease!.Token });

        await ApiClient.ExpectAsync(response, HttpStatusCode.NoContent);
        using var get = await server.Http.GetAsync($"v1/jobs/{job.Id}", Ct);
        await ApiClient.ProblemAsync(get, HttpStatusCode.NotFound, ProblemTypes.NotFound);
        var stats = await server.Api.StatsAsync();
        Assert.Equal(1, stats.Failed);
    }

    [Fact]
    public async Task Get_DeadOmitted_LeavesDeadOutAndReadsTrue()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await server.Api.EnqueueAsync("t", "q");

        using var response = await server.Http.GetAsync($"v1/jobs/{id}", Ct);

        // At its default the option is noise on every job, and "dead": true read as if the job were dead.
        Assert.DoesNotContain("\"dead\"", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.True((await server.Api.GetAsync(id)).Dead);
    }

    [Fact]
    public async Task Get_DeadFalse_ShowsDeadFalse()
    {
        await using var server = await RunningServer.StartAsync();
        using var enqueue = await server.Api.PostRawAsync("v1/jobs", """{"type": "t", "queue": "q", "dead": false}""");
        await ApiClient.ExpectAsync(enqueue, HttpStatusCode.Created);
        var id = (await server.Api.FetchOneAsync("q")).Id;

        using var response = await server.Http.GetAsync($"v1/jobs/{id}", Ct);

        Assert.Contains("\"dead\":false", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ack_StaleTokenAfterCancel_Returns409()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await server.Api.EnqueueAsync("t", "q");
        var job = await server.Api.FetchOneAsync("q");
        using var cancel = await server.Api.PostAsync($"v1/jobs/{id}/cancel");
        await ApiClient.ExpectAsync(cancel, HttpStatusCode.NoContent);

        using var ack = await server.Api.AckAsync(id, job.Lease!.Token);
        using var fail = await server.Api.FailAsync(id, new FailRequest { Token = job.Lease.Token });

        await ApiClient.ProblemAsync(ack, HttpStatusCode.Conflict, ProblemTypes.StaleLease);
        await ApiClient.ProblemAsync(fail, HttpStatusCode.Conflict, ProblemTypes.StaleLease);
        Assert.Equal("cancelled", (await server.Api.GetAsync(id)).State);
    }

    [Fact]
    public async Task AckAndFail_UnknownJob_Return404()
    {
        await using var server = await RunningServer.StartAsync();

        using var ack = await server.Api.AckAsync("nope", "token");
        using var fail = await server.Api.FailAsync("nope", new FailRequest { Token = "token" });

        await ApiClient.ProblemAsync(ack, HttpStatusCode.NotFound, ProblemTypes.NotFound);
        await ApiClient.ProblemAsync(fail, HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task Ack_MissingToken_Returns422()
    {
        await using var server = await RunningServer.StartAsync();

        using var ack = await server.Api.AckAsync("nope", null);

        var problem = await ApiClient.ProblemAsync(ack, HttpStatusCode.UnprocessableEntity, ProblemTypes.Validation);
        Assert.Equal("token", problem.Field);
    }

    [Fact]
    public async Task Settle_MixedItems_ReportsEachStatusAcksFirst()
    {
        await using var server = await RunningServer.StartAsync();
        var a = await server.Api.EnqueueAsync("t", "q");
        var b = await server.Api.EnqueueAsync("t", "q");
        var jobs = await server.Api.FetchAsync("q", max: 2);
        var tokens = jobs.ToDictionary(j => j.Id, j => j.Lease!.Token);
        var body = new SettleRequest
        {
            Ack = [new() { Id = a, Token = tokens[a] }, new() { Id = "ghost", Token = "x" }],
            Fail = [new() { Id = b, Token = tokens[b], ErrorType = "E", Message = "m" }, new() { Id = a, Token = "stale" }],
        };

        using var response = await server.Http.PostAsJsonAsync("v1/settle", body, ConveyorJsonContext.Default.SettleRequest, Ct);

        await ApiClient.ExpectAsync(response, HttpStatusCode.OK);
        var results = (await response.Content.ReadFromJsonAsync(ConveyorJsonContext.Default.SettleResponse, Ct))!.Results;
        Assert.Equal([(a, "ok"), ("ghost", "unknown"), (b, "ok"), (a, "stale")], results.Select(r => (r.Id, r.Status)));
        Assert.Equal("completed", (await server.Api.GetAsync(a)).State);
        Assert.Equal("retrying", (await server.Api.GetAsync(b)).State);
    }

    [Fact]
    public async Task Settle_ItemWithoutToken_Returns422WithIndex()
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Api.PostRawAsync("v1/settle", """{"ack":[{"id":"a","token":"t"},{"id":"b"}]}""");

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.UnprocessableEntity, ProblemTypes.Validation);
        Assert.Equal("ack.token", problem.Field);
        Assert.Equal(1, problem.Index);
        Assert.StartsWith("ack[1].token: ", problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"ack":[{"id":"","token":"t"}]}""", "ack[0].id: ")]
    [InlineData("""{"ack":[{"id":"a","token":"t"},null]}""", "ack[1]: ")]
    [InlineData("""{"fail":[{"id":"a","token":"t"},{"id":"b","token":"t","retry_in_ms":-1}]}""", "fail[1].retry_in_ms: ")]
    public async Task Settle_BadItem_DetailNamesTheListAndIndex(string body, string detail)
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Api.PostRawAsync("v1/settle", body);

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.UnprocessableEntity, ProblemTypes.Validation);
        Assert.StartsWith(detail, problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"ack":[{"id":"a","token":"t"}]""")]
    [InlineData("""{"ack":{"id":"a","token":"t"}}""")]
    [InlineData("""{"fail":[{"id":"a","token":"t","retry_in_ms":"5"}]}""")]
    [InlineData("""{"ack":[]} x""")]
    [InlineData("""null""")]
    public async Task Settle_MalformedOrWrongTypes_Returns400(string body)
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Api.PostRawAsync("v1/settle", body);

        await ApiClient.ProblemAsync(response, HttpStatusCode.BadRequest, ProblemTypes.MalformedJson);
    }

    [Fact]
    public async Task Settle_NullBacktraceFrame_Returns422NamingIt()
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Api.PostRawAsync("v1/settle", """{"fail":[{"id":"a","token":"t"},{"id":"b","token":"t","backtrace":["f",null]}]}""");

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.UnprocessableEntity, ProblemTypes.Validation);
        Assert.Equal("fail.backtrace", problem.Field);
        Assert.Equal(1, problem.Index);
    }

    [Fact]
    public async Task Heartbeat_CurrentToken_ExtendsTheLease()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await server.Api.EnqueueJobAsync(new() { Type = "t", Queue = "q", LeaseSeconds = 30 });
        var job = await server.Api.FetchOneAsync("q");

        using var response = await server.Http.PostAsJsonAsync(
            $"v1/jobs/{id}/heartbeat", new HeartbeatRequest { Token = job.Lease!.Token, ExtendSeconds = 3600 }, ConveyorJsonContext.Default.HeartbeatRequest, Ct);

        await ApiClient.ExpectAsync(response, HttpStatusCode.OK);
        var expires = (await response.Content.ReadFromJsonAsync(ConveyorJsonContext.Default.HeartbeatResponse, Ct))!.ExpiresAt;
        Assert.True(expires > job.Lease.ExpiresAt);
        Assert.Equal(expires, (await server.Api.GetAsync(id)).Lease!.ExpiresAt);
    }

    [Fact]
    public async Task Heartbeat_StaleUnknownOrOutOfRange_Returns409Or404Or422()
    {
        await using var server = await RunningServer.StartAsync();
        var id = await server.Api.EnqueueAsync("t", "q");
        var job = await server.Api.FetchOneAsync("q");

        using var stale = await server.Api.PostRawAsync($"v1/jobs/{id}/heartbeat", """{"token":"not-it"}""");
        using var unknown = await server.Api.PostRawAsync("v1/jobs/nope/heartbeat", """{"token":"x"}""");
        using var range = await server.Api.PostRawAsync($"v1/jobs/{id}/heartbeat", $$"""{"token":"{{job.Lease!.Token}}","extend_seconds":0}""");

        await ApiClient.ProblemAsync(stale, HttpStatusCode.Conflict, ProblemTypes.StaleLease);
        await ApiClient.ProblemAsync(unknown, HttpStatusCode.NotFound, ProblemTypes.NotFound);
        var problem = await ApiClient.ProblemAsync(range, HttpStatusCode.UnprocessableEntity, ProblemTypes.Validation);
        Assert.Equal("extend_seconds", problem.Field);
    }

    [Fact]
    public async Task Fetch_LongPoll_IsWokenByAnEnqueue()
    {
        await using var server = await RunningServer.StartAsync();

        var fetch = server.Api.FetchAsync("late", waitMs: 30_000);
        var id = await server.Api.EnqueueAsync("t", "late");
        var jobs = await fetch;

        Assert.Equal(id, Assert.Single(jobs).Id);
    }

    [Fact]
    public async Task Fetch_NothingAvailableNoWait_ReturnsEmpty()
    {
        await using var server = await RunningServer.StartAsync();

        Assert.Empty(await server.Api.FetchAsync("empty"));
    }

    [Fact]
    public async Task Fetch_OmitDefaults_AnswersTheLeanViewThatReadsAsTheFullOne()
    {
        await using var server = await RunningServer.StartAsync();
        await server.Api.EnqueueJobAsync(new EnqueueRequest { Type = "plain", Queue = "lean" });
        await server.Api.EnqueueJobAsync(new EnqueueRequest { Type = "rich", Queue = "lean", Priority = 5, Tags = ["t"], Meta = new Dictionary<string, string> { ["k"] = "v" }, UniqueKey = "u", UniqueForSeconds = 60, MaxAttempts = 3 });

        using var response = await server.Api.PostRawAsync("v1/fetch", """{"queues":["lean"],"max":2,"worker_id":"w9","omit_defaults":true}""");
        await ApiClient.ExpectAsync(response, HttpStatusCode.OK);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var jobs = JsonSerializer.Deserialize(text, ConveyorJsonContext.Default.FetchResponse)!.Jobs;

        using var document = JsonDocument.Parse(text);
        var plain = document.RootElement.GetProperty("jobs")[0];
        Assert.Equal(
            ["id", "queue", "type", "args", "attempt", "created_at", "lease"],
            plain.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["token", "worker_id", "expires_at"], plain.GetProperty("lease").EnumerateObject().Select(p => p.Name));
        var rich = document.RootElement.GetProperty("jobs")[1];
        Assert.Equal(
            ["id", "queue", "type", "args", "attempt", "max_attempts", "created_at", "unique_key", "tags", "meta", "lease"],
            rich.EnumerateObject().Select(p => p.Name));

        // Read as a view, each lean job is the job as GET /v1/jobs/{id} shows it (its lease included).
        foreach (var job in jobs)
        {
            Assert.Equal(Describe(await server.Api.GetAsync(job.Id)), Describe(job));
        }
    }

    private static string Describe(JobView job) => JsonSerializer.Serialize(job, ConveyorJsonContext.Default.JobView);

    [Theory]
    [InlineData("""{"queues":[]}""", "queues")]
    [InlineData("""{}""", "queues")]
    [InlineData("""{"queues":["q"],"max":0}""", "max")]
    [InlineData("""{"queues":["q"],"max":1001}""", "max")]
    [InlineData("""{"queues":["q"],"wait_ms":30001}""", "wait_ms")]
    [InlineData("""{"queues":["q"],"wait_ms":-1}""", "wait_ms")]
    public async Task Fetch_InvalidValue_Returns422NamingTheField(string body, string field)
    {
        await using var server = await RunningServer.StartAsync();

        using var response = await server.Api.PostRawAsync("v1/fetch", body);

        var problem = await ApiClient.ProblemAsync(response, HttpStatusCode.UnprocessableEntity, ProblemTypes.Validation);
        Assert.Equal(field, problem.Field);
    }
}
